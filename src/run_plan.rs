//! `scimulate run`'s arguments resolved into a run's options before
//! anything starts (ripgrep's raw arguments → resolved arguments): each
//! flag's meaning is decided here, with its test, and `commands::run` only
//! drives the run.

use std::path::Path;

use scimulate_backend::AccountSeed;
use scimulate_reports::terminal::Verbosity;
use scimulate_simulator::{Dialect, Proxies, Target, UserUpdate};
use scimulate_suites::{Profile, RunOptions, Selection, TargetSpec, Waivers};

use crate::cli::{DialectChoice, ProfileChoice, RunArgs, UserUpdateChoice};

/// A run, ready to start.
pub struct RunPlan {
    pub options: RunOptions,
    pub verbosity: Verbosity,
    /// Known before the run starts, so Ctrl-C can clean up after it.
    pub run_id: String,
    /// What Ctrl-C cleans up: the external target, unless the run keeps
    /// its test data or only reads.
    pub on_interrupt: Option<Target>,
}

impl RunPlan {
    /// Resolves `args`; `selection` was resolved first (its errors come
    /// before any other), `proxies` is the environment the client obeys.
    pub fn resolve(
        args: RunArgs,
        selection: Selection,
        proxies: Proxies,
        run_id: String,
    ) -> anyhow::Result<Self> {
        let target = match args.target.resolve("--base-url")? {
            Some(given) => given.external(),
            None => TargetSpec::Embedded {
                account: account_seed(args.account.as_deref())?,
                faults: args.faults.into_iter().collect(),
            },
        };
        let on_interrupt = match &target {
            TargetSpec::External { target, .. } if !args.keep_test_data && !args.read_only => {
                Some(target.clone())
            }
            _ => None,
        };
        let mut options = RunOptions::new(target);
        options.proxies = proxies;
        options.email_domain = args.email_domain;
        options.allow_remote_writes = args.allow_remote_writes;
        options.dialects = dialects(args.dialect);
        options.user_update = args.user_update.map(|choice| match choice {
            UserUpdateChoice::Put => UserUpdate::Put,
            UserUpdateChoice::Patch => UserUpdate::Patch,
        });
        options.profile = args.profile.into();
        if let Some(dir) = &args.scenarios {
            options.library = options.library.with_dir(dir)?;
        }
        if let Some(path) = &args.waivers {
            options.waivers = Waivers::from_path(path)?;
        }
        options.selection = selection;
        options.keep_test_data = args.keep_test_data;
        options.read_only = args.read_only;
        options.run_id = Some(run_id.clone());
        options.deadline = args.deadline;
        if let Some(jobs) = args.jobs {
            options.jobs = usize::from(jobs);
        }
        options.client.bound_silence(args.timeout);
        options.client.liveness = scimulate_simulator::Liveness::new(args.max_dead_exchanges);
        options.client.retry.max_total_wait = args.max_wait;
        options.client.max_body_bytes = args.max_body_mib as usize * 1024 * 1024;
        Ok(RunPlan {
            options,
            verbosity: verbosity(args.quiet, args.verbose),
            run_id,
            on_interrupt,
        })
    }
}

/// `--account FILE`, or the default account.
pub(crate) fn account_seed(path: Option<&Path>) -> anyhow::Result<AccountSeed> {
    match path {
        Some(path) => Ok(AccountSeed::from_path(path)?),
        None => Ok(AccountSeed::default()),
    }
}

/// `--quiet` / `--verbose` (clap refuses both at once).
fn verbosity(quiet: bool, verbose: bool) -> Verbosity {
    match (quiet, verbose) {
        (true, _) => Verbosity::Quiet,
        (_, true) => Verbosity::Verbose,
        _ => Verbosity::Normal,
    }
}

/// `--dialect`.
fn dialects(choice: DialectChoice) -> Vec<Dialect> {
    match choice {
        DialectChoice::Oin => vec![Dialect::Oin],
        DialectChoice::Aiw => vec![Dialect::Aiw],
        DialectChoice::All => vec![Dialect::Oin, Dialect::Aiw],
    }
}

impl From<ProfileChoice> for Profile {
    fn from(choice: ProfileChoice) -> Self {
        match choice {
            ProfileChoice::OnePassword => Profile::OnePassword,
            ProfileChoice::Scim => Profile::Scim,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::cli::{Command, parse_without_env};

    const TOKEN: &str = "tok-7f3a9c1e-secret";

    fn plan(args: &[&str]) -> anyhow::Result<RunPlan> {
        plan_with(args, Proxies::default())
    }

    fn plan_with(args: &[&str], proxies: Proxies) -> anyhow::Result<RunPlan> {
        let mut all = vec!["run"];
        all.extend_from_slice(args);
        let Command::Run(args) = parse_without_env(&all)?.command else {
            unreachable!("parsed as run")
        };
        let selection = Selection::new(&args.only, &args.skip)?;
        RunPlan::resolve(args, selection, proxies, "r0a1b2c".into())
    }

    #[test]
    fn defaults_are_the_embedded_bridge_and_runs_defaults() {
        let plan = plan(&[]).unwrap();
        assert!(matches!(plan.options.target, TargetSpec::Embedded { .. }));
        assert!(plan.on_interrupt.is_none());
        assert_eq!(plan.options.run_id.as_deref(), Some("r0a1b2c"));
        assert_eq!(plan.options.dialects, vec![Dialect::Oin]);
        assert_eq!(plan.options.profile, Profile::OnePassword);
        assert_eq!(plan.verbosity, Verbosity::Normal);
        assert_eq!(plan.options.deadline, Duration::from_secs(30 * 60));
        assert_eq!(plan.options.client.read_timeout, Duration::from_secs(60));
        assert_eq!(plan.options.client.timeout, Duration::from_secs(72));
        assert_eq!(plan.options.user_update, None);
        assert_eq!(plan.options.client.max_body_bytes, 8 * 1024 * 1024);
        assert_eq!(plan.options.jobs, scimulate_suites::default_jobs());
        assert!(!plan.options.allow_remote_writes && !plan.options.read_only);
    }

    #[test]
    fn every_flag_lands_in_its_option() {
        let plan = plan(&[
            "--dialect",
            "all",
            "--user-update",
            "patch",
            "--profile",
            "scim",
            "--quiet",
            "--deadline",
            "5m",
            "--timeout",
            "7s",
            "--max-wait",
            "1m",
            "--max-body-mib",
            "2",
            "--jobs",
            "3",
            "--email-domain",
            "example.org",
            "--allow-remote-writes",
            "--keep-test-data",
            "--only",
            "okta.groups",
        ])
        .unwrap();
        let o = &plan.options;
        assert_eq!(o.dialects, vec![Dialect::Oin, Dialect::Aiw]);
        assert_eq!(o.user_update, Some(UserUpdate::Patch));
        assert_eq!(o.client.timeout, Duration::from_millis(8400));
        assert_eq!(o.profile, Profile::Scim);
        assert_eq!(plan.verbosity, Verbosity::Quiet);
        assert_eq!(o.deadline, Duration::from_secs(300));
        assert_eq!(o.client.read_timeout, Duration::from_secs(7));
        assert_eq!(o.client.retry.max_total_wait, Duration::from_secs(60));
        assert_eq!(o.client.max_body_bytes, 2 * 1024 * 1024);
        assert_eq!(o.jobs, 3);
        assert_eq!(o.email_domain.as_deref(), Some("example.org"));
        assert!(o.allow_remote_writes && o.keep_test_data);
        assert!(!o.selection.is_everything());
        assert_eq!(
            self::plan(&["--verbose"]).unwrap().verbosity,
            Verbosity::Verbose
        );
    }

    #[test]
    fn an_external_target_is_parsed_once_and_cleaned_up_on_ctrl_c() {
        let plan = plan(&[
            "--base-url",
            "http://127.0.0.1:9/scim/v2/",
            "--token",
            TOKEN,
        ])
        .unwrap();
        let TargetSpec::External {
            target,
            backend_url,
        } = &plan.options.target
        else {
            panic!("an external target")
        };
        assert_eq!(target.base_url().as_str(), "http://127.0.0.1:9/scim/v2");
        assert_eq!(backend_url, &None);
        let interrupt = plan.on_interrupt.as_ref().expect("cleaned up on Ctrl-C");
        assert_eq!(interrupt.base_url(), target.base_url());
        // Nothing to clean up when the data is kept or nothing is written.
        for extra in ["--keep-test-data", "--read-only"] {
            let plan =
                self::plan(&["--base-url", "http://127.0.0.1:9", "--token", TOKEN, extra]).unwrap();
            assert!(plan.on_interrupt.is_none(), "{extra}");
        }
    }

    #[test]
    fn the_proxies_given_reach_the_run() {
        let proxies = Proxies::from_vars([("HTTP_PROXY", "http://10.1.2.3:3128")]);
        let plan = plan_with(&[], proxies).unwrap();
        let target = Target::new(
            "http://127.0.0.1:9/",
            scimulate_simulator::Token::new(TOKEN),
        );
        let target = target.unwrap();
        assert!(plan.options.proxies.proxy_for(target.base_url()).is_some());
    }

    #[test]
    fn embedded_only_flags_and_backend_url_alone_are_refused() {
        let text = plan(&[
            "--base-url",
            "http://127.0.0.1:9",
            "--fault",
            "duplicate-groups",
        ])
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
        assert!(text.contains("cannot be used with"), "{text}");
        let text = format!(
            "{:#}",
            plan(&["--backend-url", "http://127.0.0.1:1"])
                .err()
                .unwrap()
        );
        assert!(
            text.contains("--backend-url goes with --base-url"),
            "{text}"
        );
        let text = format!(
            "{:#}",
            plan(&["--account", "/nonexistent/acme.toml"])
                .err()
                .unwrap()
        );
        assert!(text.contains("/nonexistent/acme.toml"), "{text}");
    }
}
