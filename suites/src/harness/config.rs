//! The harness's configuration: the embedded bridge, or the target and
//! options the environment names (the table in [`super`]).

use std::path::{Path, PathBuf};

use scimulate_simulator::{Target, Token};

use crate::run_options::{RunOptions, TargetSpec};
use crate::waivers::Waivers;

/// What the harness runs against, and with what.
pub struct HarnessConfig {
    pub options: RunOptions,
    /// Where each scenario's baseline lives, if baselines are compared.
    pub baselines: Option<PathBuf>,
}

impl HarnessConfig {
    /// The embedded reference bridge, no baselines.
    pub fn embedded() -> Self {
        HarnessConfig {
            options: RunOptions::new(TargetSpec::Embedded {
                account: Default::default(),
                faults: Default::default(),
            }),
            baselines: None,
        }
    }

    /// Reads the variables above; bad values end the process with exit
    /// code 2 and a plain explanation.
    pub fn from_env() -> Self {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let mut config = match var("SCIM_BASE_URL") {
            Some(base_url) => {
                let token = var("SCIM_TOKEN").unwrap_or_else(|| {
                    usage_error("SCIM_BASE_URL is set but SCIM_TOKEN is not: give the bridge's bearer token")
                });
                HarnessConfig {
                    options: RunOptions::new(TargetSpec::External {
                        target: parse_target(&base_url, &token, "SCIM_BASE_URL", "SCIM_TOKEN"),
                        backend_url: var("SCIMULATE_BACKEND_URL"),
                    }),
                    baselines: None,
                }
            }
            None => HarnessConfig::embedded(),
        };
        config.options.allow_remote_writes =
            var("SCIMULATE_ALLOW_REMOTE_WRITES").as_deref() == Some("1");
        config.options.email_domain = var("SCIMULATE_EMAIL_DOMAIN");
        config.options.profile = match var("SCIMULATE_PROFILE").as_deref() {
            None | Some("1password") => crate::check::Profile::OnePassword,
            Some("scim") => crate::check::Profile::Scim,
            Some(other) => usage_error(&format!(
                "SCIMULATE_PROFILE={other:?}: expected 1password (the default) or scim"
            )),
        };
        config.baselines = var("SCIMULATE_BASELINES").map(PathBuf::from);
        config.options.keep_test_data = var("SCIMULATE_KEEP_TEST_DATA").as_deref() == Some("1");
        if let Some(path) = var("SCIMULATE_WAIVERS") {
            config.options.waivers = Waivers::from_path(Path::new(&path))
                .unwrap_or_else(|e| usage_error(&format!("SCIMULATE_WAIVERS: {e}")));
        }
        config
    }
}

/// The target from what a person gave: the token trimmed and held to the
/// policy of [`Token::parse`], the URL parsed; bad values end the process
/// with exit code 2 naming where they came from.
pub(super) fn parse_target(
    base_url: &str,
    token: &str,
    url_from: &str,
    token_from: &str,
) -> Target {
    let token = Token::parse(token).unwrap_or_else(|e| usage_error(&format!("{token_from}: {e}")));
    Target::new(base_url, token).unwrap_or_else(|e| {
        let cause = std::error::Error::source(&e).map_or(String::new(), |c| format!(": {c}"));
        usage_error(&format!("{url_from}: {e}{cause}"))
    })
}

pub(super) fn usage_error(message: &str) -> ! {
    eprintln!("error: {message}");
    std::process::exit(2)
}
