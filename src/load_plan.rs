//! `scimulate load`'s arguments resolved into a load's options before it
//! starts.

use scimulate_backend::AccountSeed;
use scimulate_bridge::FaultSet;
use scimulate_simulator::{Proxies, Target};
use scimulate_suites::{LoadOptions, TargetSpec};

use crate::cli::LoadArgs;

/// A load, ready to start.
pub struct LoadPlan {
    pub options: LoadOptions,
    /// Known before the load starts, so Ctrl-C can clean up after it.
    pub run_id: String,
    /// What Ctrl-C cleans up: the external target, unless the load keeps
    /// its test data.
    pub on_interrupt: Option<Target>,
}

impl LoadPlan {
    pub fn resolve(args: LoadArgs, proxies: Proxies, run_id: String) -> anyhow::Result<Self> {
        let target = match args.target.resolve("--base-url")? {
            Some(given) => given.external(),
            None => TargetSpec::Embedded {
                account: AccountSeed::default(),
                faults: FaultSet::none(),
            },
        };
        let on_interrupt = match &target {
            TargetSpec::External { target, .. } if !args.keep_test_data => Some(target.clone()),
            _ => None,
        };
        let mut options = LoadOptions::new(target, args.users);
        options.proxies = proxies;
        options.concurrency = args.concurrency;
        options.groups = args.groups;
        options.deadline = args.deadline;
        options.client.bound_silence(args.timeout);
        options.client.liveness = scimulate_simulator::Liveness::new(args.max_dead_exchanges);
        options.allow_remote_writes = args.allow_remote_writes;
        options.email_domain = args.email_domain;
        options.keep_test_data = args.keep_test_data;
        options.run_id = Some(run_id.clone());
        Ok(LoadPlan {
            options,
            run_id,
            on_interrupt,
        })
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::cli::{Command, parse_without_env};

    fn plan(args: &[&str]) -> anyhow::Result<LoadPlan> {
        let mut all = vec!["load"];
        all.extend_from_slice(args);
        let Command::Load(args) = parse_without_env(&all)?.command else {
            unreachable!("parsed as load")
        };
        LoadPlan::resolve(args, Proxies::default(), "r0a1b2c".into())
    }

    #[test]
    fn every_flag_lands_in_its_option() {
        let plan = plan(&[
            "--users",
            "40",
            "--concurrency",
            "3",
            "--groups",
            "2",
            "--deadline",
            "2m",
            "--timeout",
            "9s",
            "--email-domain",
            "example.org",
            "--allow-remote-writes",
        ])
        .unwrap();
        let o = &plan.options;
        assert!(matches!(o.target, TargetSpec::Embedded { .. }));
        assert_eq!((o.users, o.concurrency, o.groups), (40, 3, 2));
        assert_eq!(o.deadline, Duration::from_secs(120));
        assert_eq!(o.client.read_timeout, Duration::from_secs(9));
        assert_eq!(o.email_domain.as_deref(), Some("example.org"));
        assert!(o.allow_remote_writes && !o.keep_test_data);
        assert_eq!(o.run_id.as_deref(), Some("r0a1b2c"));
        assert!(plan.on_interrupt.is_none());
    }

    #[test]
    fn an_external_target_takes_the_backend_url_and_is_cleaned_up_on_ctrl_c() {
        let base = [
            "--base-url",
            "http://127.0.0.1:9",
            "--token",
            "tok-12345678",
        ];
        let plan = plan(&[&base[..], &["--backend-url", "http://127.0.0.1:1"]].concat()).unwrap();
        let TargetSpec::External { backend_url, .. } = &plan.options.target else {
            panic!("an external target")
        };
        assert_eq!(backend_url.as_deref(), Some("http://127.0.0.1:1"));
        assert!(plan.on_interrupt.is_some());
        let plan = self::plan(&[&base[..], &["--keep-test-data"]].concat()).unwrap();
        assert!(plan.on_interrupt.is_none());
    }
}
