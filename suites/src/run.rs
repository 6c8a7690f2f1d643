//! One run: set up the target, play the scenarios, judge them, and keep
//! everything in a [`RunRecord`].

use std::sync::Arc;

use scimulate_backend::{AccountSeed, BackendClient};
use scimulate_bridge::FaultSet;
use scimulate_simulator::{
    ClientError, ClientSettings, Clock, Dialect, OktaClient, SystemClock, Target, Token,
    VirtualClock,
};
use url::Url;

use crate::capabilities::Capabilities;
use crate::checks;
use crate::play::{ExternalTarget, PlayError, PlayOptions, play_embedded, play_external};
use crate::record::{RunRecord, SCHEMA_VERSION, ScenarioRecord, TargetInfo};
use crate::scenario::{FixtureError, Library};
use crate::scenarios::{ScenarioContext, ScenarioError, core};
use crate::target::{Embedded, EmbeddedOptions, Observer, TargetError, TargetKind};
use crate::waivers::Waivers;

/// What to run against.
pub enum TargetSpec {
    /// Start the reference bridge over a fake account seeded with `account`.
    Embedded {
        account: AccountSeed,
        faults: FaultSet,
    },
    /// A bridge someone else runs.
    External {
        base_url: String,
        token: String,
        /// The fake account's API, when the bridge was configured with it.
        backend_url: Option<String>,
    },
}

/// How to run.
pub struct RunOptions {
    pub target: TargetSpec,
    /// Domain of test users' e-mails (default: the embedded account's first
    /// allowed domain, else `example.com`).
    pub email_domain: Option<String>,
    /// Carried in every test user's e-mail (default: random).
    pub run_id: Option<String>,
    /// Same inputs, same record: virtual and stepping clocks, seeded ids,
    /// a fixed run id and token.
    pub deterministic: bool,
    /// A non-loopback target may be written to.
    pub allow_remote_writes: bool,
    pub client: ClientSettings,
    /// The scenarios to play besides `core` (default: the built-in ones).
    pub library: Library,
    /// The Okta dialects to play each scenario in (default: OIN, the
    /// dialect of 1Password's catalogue app).
    pub dialects: Vec<Dialect>,
    /// Accepted failures.
    pub waivers: Waivers,
}

impl RunOptions {
    pub fn new(target: TargetSpec) -> Self {
        RunOptions {
            target,
            email_domain: None,
            run_id: None,
            deterministic: false,
            allow_remote_writes: false,
            client: ClientSettings::default(),
            library: Library::builtin(),
            dialects: vec![Dialect::Oin],
            waivers: Waivers::default(),
        }
    }
}

/// Why a run could not be made (exit 2), as opposed to a failed check.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error(transparent)]
    Target(#[from] TargetError),
    #[error("invalid base URL {url:?}: {reason} (expected e.g. https://scim.example.com/scim/v2)")]
    BaseUrl { url: String, reason: String },
    #[error(
        "{url} is not on this machine: a run creates and deactivates test users, so writing to it \
         needs --allow-remote-writes (point it at a staging bridge, not production)"
    )]
    RemoteWrites { url: String },
    #[error(
        "the fake account's API at {url:?} could not be used (is --backend-url the BACKEND_URL \
         the bridge was given?)"
    )]
    BackendUrl {
        url: String,
        #[source]
        source: scimulate_backend::BackendError,
    },
    #[error("could not build the HTTP client")]
    Client(#[source] ClientError),
    #[error(
        "the target did not answer at {url}: {reason} (is the bridge running, and is the URL right?)"
    )]
    Unreachable { url: String, reason: String },
    #[error(transparent)]
    Scenario(#[from] ScenarioError),
    #[error(transparent)]
    Fixture(#[from] FixtureError),
    #[error(transparent)]
    Play(#[from] PlayError),
}

/// Plays every scenario against the target and judges it.
pub async fn run(options: RunOptions) -> Result<RunRecord, RunError> {
    let clock: Arc<dyn Clock> = if options.deterministic {
        Arc::new(VirtualClock::at_epoch())
    } else {
        Arc::new(SystemClock)
    };
    let started_at = clock.now();
    let run_id = options.run_id.clone().unwrap_or_else(|| {
        if options.deterministic {
            "r000001".to_string()
        } else {
            format!("r{}", &uuid::Uuid::new_v4().simple().to_string()[..6])
        }
    });

    let mut fault_set = FaultSet::none();
    let (embedded, base_url, token, observer, kind, faults, default_domain) = match options.target {
        TargetSpec::Embedded { account, faults } => {
            fault_set = faults.clone();
            let domain = account
                .settings()
                .allowed_domains
                .first()
                .cloned()
                .unwrap_or_else(|| "example.com".to_string());
            let fault_names = faults.iter().map(|f| f.name().to_string()).collect();
            let embedded = Embedded::start(
                account,
                EmbeddedOptions {
                    faults,
                    deterministic: options.deterministic,
                    ..EmbeddedOptions::default()
                },
            )
            .await?;
            let base_url = embedded.base_url();
            let token = embedded.token().to_string();
            (
                Some(embedded),
                base_url,
                token,
                None,
                TargetKind::Embedded,
                fault_names,
                domain,
            )
        }
        TargetSpec::External {
            base_url,
            token,
            backend_url,
        } => {
            let (observer, domain) = match backend_url {
                Some(url) => {
                    let client =
                        BackendClient::new(&url).map_err(|source| RunError::BackendUrl {
                            url: url.clone(),
                            source,
                        })?;
                    // The account decides which domains may be provisioned.
                    let settings = client
                        .settings()
                        .await
                        .map_err(|source| RunError::BackendUrl { url, source })?;
                    let domain = settings.allowed_domains.first().cloned();
                    (Some(Observer::Http(client)), domain)
                }
                None => (None, None),
            };
            let domain = domain.unwrap_or_else(|| "example.com".to_string());
            (
                None,
                base_url,
                token,
                observer,
                TargetKind::External,
                Vec::new(),
                domain,
            )
        }
    };
    if !options.allow_remote_writes && !is_loopback(&base_url) {
        return Err(RunError::RemoteWrites { url: base_url });
    }
    let target =
        Target::new(&base_url, Token::new(token.clone())).map_err(|e| RunError::BaseUrl {
            url: base_url.clone(),
            reason: e.to_string(),
        })?;
    let client =
        OktaClient::new(target, options.client.clone(), clock.clone()).map_err(RunError::Client)?;
    let in_process = embedded.as_ref().map(|e| Observer::InProcess(&e.backend));
    let core_observer = in_process.as_ref().or(observer.as_ref());
    let email_domain = options.email_domain.unwrap_or(default_domain);
    let ctx = ScenarioContext {
        client: client.clone(),
        observer: core_observer,
        run_id: &run_id,
        email_domain: &email_domain,
        seed: 1,
    };

    let core = core::run(&ctx).await?;
    if let Some(first) = core.exchanges.first()
        && first.response.is_none()
    {
        return Err(RunError::Unreachable {
            url: base_url,
            reason: first.error.clone().unwrap_or_else(|| "no answer".into()),
        });
    }
    let capabilities = Capabilities::from_core(&core);
    let mut results = checks::judge(&core, &capabilities);
    let mut scenarios = vec![ScenarioRecord::from(&core)];

    let play_options = PlayOptions {
        faults: fault_set,
        deterministic: options.deterministic,
        client: options.client.clone(),
    };
    let external = ExternalTarget {
        base_url: &base_url,
        token: &token,
        observer: observer.as_ref(),
    };
    for (n, scenario) in options.library.scenarios()?.iter().enumerate() {
        for dialect in options
            .dialects
            .iter()
            .filter(|d| scenario.dialects.contains(d))
        {
            let label = scenario_label(&scenario.name, *dialect);
            let played = if embedded.is_some() {
                play_embedded(scenario, *dialect, &play_options).await?
            } else if let Some(reason) = scenario.needs_seeded_account() {
                let reason = format!("only on the embedded bridge: {reason}");
                results.extend(checks::skip_all(&scenario.name, &reason).into_iter().map(
                    |mut r| {
                        r.scenario = label.clone();
                        r
                    },
                ));
                continue;
            } else {
                let tag = format!("{run_id}s{n}");
                play_external(scenario, *dialect, &external, &tag, &play_options).await?
            };
            let observation = played.observation;
            results.extend(
                checks::judge(&observation, &capabilities)
                    .into_iter()
                    .map(|mut r| {
                        r.scenario = label.clone();
                        r
                    }),
            );
            let mut record = ScenarioRecord::from(&observation);
            record.name = label;
            scenarios.push(record);
        }
    }
    let notes = options.waivers.apply(&mut results, started_at.date_naive());

    let duration_ms = u64::try_from((clock.now() - started_at).num_milliseconds()).unwrap_or(0);
    let record = RunRecord {
        schema_version: SCHEMA_VERSION,
        tool: "scimulate",
        version: env!("CARGO_PKG_VERSION"),
        run_id,
        target: TargetInfo {
            base_url,
            kind,
            faults,
            backend_observed: core_observer.is_some(),
        },
        started_at,
        duration_ms,
        capabilities,
        results,
        notes,
        scenarios,
    };
    drop(embedded);
    Ok(record)
}

/// `push-group-new` in OIN (the 1Password dialect), `push-group-new@aiw`
/// otherwise: the scenario part of a result's (and a trial's) name.
pub fn scenario_label(name: &str, dialect: Dialect) -> String {
    match dialect {
        Dialect::Oin => name.to_string(),
        Dialect::Aiw => format!("{name}@aiw"),
    }
}

/// Whether the URL's host is this machine (127.0.0.0/8, ::1, localhost).
pub fn is_loopback(url: &str) -> bool {
    let Ok(url) = Url::parse(url) else {
        return false;
    };
    match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_hosts() {
        assert!(is_loopback("http://127.0.0.1:8080/scim/v2"));
        assert!(is_loopback("http://127.3.4.5/"));
        assert!(is_loopback("http://localhost:1/"));
        assert!(is_loopback("http://[::1]:1/"));
        assert!(!is_loopback("https://scim.example.com/scim/v2"));
        assert!(!is_loopback("http://10.0.0.1/"));
        assert!(!is_loopback("not a url"));
    }
}
