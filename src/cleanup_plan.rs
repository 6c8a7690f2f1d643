//! `scimulate cleanup`'s arguments resolved, and consent asked, before a
//! single DELETE.

use anyhow::bail;
use scimulate_simulator::{ClientSettings, Liveness, Proxies, Target};
use scimulate_suites::Route;

use crate::cli::CleanupArgs;

/// A cleanup, ready to start.
pub struct CleanupPlan {
    pub target: Target,
    pub run_id: String,
    pub settings: ClientSettings,
    /// The whole cleanup's bound (`--deadline`).
    pub deadline: std::time::Duration,
}

impl CleanupPlan {
    pub fn resolve(args: CleanupArgs, proxies: &Proxies) -> anyhow::Result<Self> {
        // Without a base URL `resolve` means the embedded bridge, which
        // holds nothing to clean up.
        let given = match &args.target.base_url {
            Some(_) => args.target.resolve("cleanup")?,
            None => None,
        };
        let Some(given) = given else {
            bail!(
                "cleanup needs --base-url (or SCIM_BASE_URL): the SCIM base URL the run was pointed at"
            );
        };
        let route = Route::of(&given.target, proxies);
        if !args.allow_remote_writes && !route.is_local() {
            bail!(
                "{} is not on this machine: cleanup deletes users and groups, so it needs \
                 --allow-remote-writes",
                route.describe(&given.target)
            );
        }
        Ok(CleanupPlan {
            target: given.target,
            run_id: args.run_id,
            settings: {
                let mut settings = ClientSettings {
                    liveness: Liveness::new(args.max_dead_exchanges),
                    ..Default::default()
                };
                settings.bound_silence(args.timeout);
                settings
            },
            deadline: args.deadline,
        })
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::cli::{Command, parse_without_env};

    const TOKEN: &str = "tok-7f3a9c1e-secret";

    fn plan(args: &[&str], proxies: &Proxies) -> anyhow::Result<CleanupPlan> {
        let mut all = vec!["cleanup", "--run-id", "r5713e4"];
        all.extend_from_slice(args);
        let Command::Cleanup(args) = parse_without_env(&all)?.command else {
            unreachable!("parsed as cleanup")
        };
        CleanupPlan::resolve(args, proxies)
    }

    fn error(args: &[&str], proxies: &Proxies) -> String {
        format!("{:#}", plan(args, proxies).err().expect("refused"))
    }

    #[test]
    fn a_loopback_target_is_cleaned_up_with_the_timeout_given() {
        let none = Proxies::default();
        let plan = plan(
            &[
                "--base-url",
                "http://127.0.0.1:9/scim/v2",
                "--token",
                TOKEN,
                "--timeout",
                "5s",
            ],
            &none,
        )
        .unwrap();
        assert_eq!(plan.run_id, "r5713e4");
        assert_eq!(
            plan.target.base_url().as_str(),
            "http://127.0.0.1:9/scim/v2"
        );
        assert_eq!(plan.settings.read_timeout, Duration::from_secs(5));
    }

    #[test]
    fn the_base_url_and_the_token_are_needed() {
        let none = Proxies::default();
        assert!(error(&["--token", TOKEN], &none).starts_with("cleanup needs --base-url"));
        assert!(
            error(&["--base-url", "http://127.0.0.1:9"], &none)
                .starts_with("cleanup needs the bridge's bearer token")
        );
    }

    #[test]
    fn issue_15_a_remote_target_or_proxy_needs_consent() {
        let none = Proxies::default();
        let remote = [
            "--base-url",
            "https://scim.example.com/scim/v2",
            "--token",
            TOKEN,
        ];
        let text = error(&remote, &none);
        assert!(text.contains("needs --allow-remote-writes"), "{text}");
        assert!(plan(&[&remote[..], &["--allow-remote-writes"]].concat(), &none).is_ok());
        let proxied = Proxies::from_vars([("http_proxy", "http://10.1.2.3:3128")]);
        let local = ["--base-url", "http://127.0.0.1:9/scim/v2", "--token", TOKEN];
        let text = error(&local, &proxied);
        assert!(
            text.contains("through the proxy http://10.1.2.3:3128"),
            "{text}"
        );
        assert!(text.contains("needs --allow-remote-writes"), "{text}");
        let bypassed = Proxies::from_vars([
            ("http_proxy", "http://10.1.2.3:3128"),
            ("no_proxy", "127.0.0.1"),
        ]);
        assert!(plan(&local, &bypassed).is_ok());
    }
}
