//! Consent: a run writes (creates, deactivates and deletes test users) on
//! this machine only, unless told it may write elsewhere
//! (`--allow-remote-writes`) or it only reads (`--read-only`).
//!
//! "This machine" is judged by where the bytes go, not by the URL alone:
//! the HTTP client sends every request through the proxy the environment
//! names for its scheme (`HTTP_PROXY`, `HTTPS_PROXY`, `ALL_PROXY`, also
//! lower-case), loopback targets included, unless `NO_PROXY` lists the
//! host ([`Proxies`]). A target is local when its host is on loopback and
//! its requests go straight to it or through a proxy that is itself on
//! loopback (README "Secrets").

use scimulate_simulator::{Proxies, Proxy, Target};

/// Where a target's requests go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// To this machine: a loopback host, directly or through a proxy on
    /// loopback.
    Local,
    /// Off this machine: the host is elsewhere, or a proxy elsewhere
    /// carries the requests (named when there is one).
    Elsewhere { proxy: Option<Proxy> },
}

impl Route {
    /// The route of requests to `target` under `proxies`.
    pub fn of(target: &Target, proxies: &Proxies) -> Route {
        match proxies.proxy_for(target.base_url()) {
            Some(proxy) if !proxy.is_on_loopback() => Route::Elsewhere { proxy: Some(proxy) },
            _ if target.is_on_loopback() => Route::Local,
            _ => Route::Elsewhere { proxy: None },
        }
    }

    /// Whether the requests leave this machine.
    pub fn is_local(&self) -> bool {
        matches!(self, Route::Local)
    }

    /// The target's URL as a message names it: with the proxy when one
    /// off this machine carries the requests.
    pub fn describe(&self, target: &Target) -> String {
        match self {
            Route::Elsewhere { proxy: Some(proxy) } => format!(
                "{} (reached through the proxy {proxy} that HTTP_PROXY, HTTPS_PROXY or ALL_PROXY \
                 names; list the host in NO_PROXY to go direct)",
                target.base_url()
            ),
            _ => target.base_url().to_string(),
        }
    }
}

/// Whether a run against `route` must stop before it writes: the requests
/// leave this machine, nobody consented (`--allow-remote-writes`), and the
/// run is not read-only.
pub fn needs_consent(route: &Route, allow_remote_writes: bool, read_only: bool) -> bool {
    !allow_remote_writes && !read_only && !route.is_local()
}

#[cfg(test)]
mod tests {
    use scimulate_simulator::Token;

    use super::*;

    fn target(url: &str) -> Target {
        Target::new(url, Token::new("tok-12345678")).expect("a target")
    }

    fn route(url: &str, vars: &[(&str, &str)]) -> Route {
        Route::of(&target(url), &Proxies::from_vars(vars.iter().copied()))
    }

    const LOCAL: &str = "http://127.0.0.1:9/scim/v2";
    const REMOTE: &str = "https://scim.example.com/scim/v2";

    #[test]
    fn writes_off_this_machine_need_consent_unless_read_only() {
        let remote = route(REMOTE, &[]);
        assert!(needs_consent(&remote, false, false));
        assert!(!needs_consent(&remote, true, false));
        assert!(!needs_consent(&remote, false, true));
        assert!(!needs_consent(&route(LOCAL, &[]), false, false));
        assert_eq!(route(REMOTE, &[]).describe(&target(REMOTE)), REMOTE);
    }

    #[test]
    fn issue_15_a_proxy_off_this_machine_makes_a_loopback_target_remote() {
        let proxied = route(LOCAL, &[("HTTP_PROXY", "http://10.1.2.3:3128")]);
        assert!(!proxied.is_local());
        assert!(needs_consent(&proxied, false, false));
        let text = proxied.describe(&target(LOCAL));
        assert!(
            text.starts_with(
                "http://127.0.0.1:9/scim/v2 (reached through the proxy http://10.1.2.3:3128"
            ),
            "{text}"
        );
        for name in ["http_proxy", "ALL_PROXY", "all_proxy"] {
            assert!(
                !route(LOCAL, &[(name, "http://10.1.2.3:3128")]).is_local(),
                "{name}"
            );
        }
        // A remote target through a remote proxy names the proxy too.
        let text =
            route(REMOTE, &[("HTTPS_PROXY", "http://10.1.2.3:3128")]).describe(&target(REMOTE));
        assert!(
            text.contains("through the proxy http://10.1.2.3:3128"),
            "{text}"
        );
    }

    #[test]
    fn issue_15_no_proxy_or_a_proxy_on_loopback_keeps_a_loopback_target_local() {
        let via = ("HTTP_PROXY", "http://10.1.2.3:3128");
        assert!(route(LOCAL, &[via, ("NO_PROXY", "127.0.0.1")]).is_local());
        assert!(route(LOCAL, &[via, ("no_proxy", "127.0.0.0/8")]).is_local());
        // As in reqwest, `*` covers every name but no IP address.
        assert!(route("http://localhost:9/scim/v2", &[via, ("NO_PROXY", "*")]).is_local());
        assert!(!route(LOCAL, &[via, ("NO_PROXY", "*")]).is_local());
        // As in reqwest, `localhost` covers the name, not 127.0.0.1.
        assert!(!route(LOCAL, &[via, ("NO_PROXY", "localhost")]).is_local());
        assert!(
            route(
                "http://localhost:9/scim/v2",
                &[via, ("NO_PROXY", "localhost")]
            )
            .is_local()
        );
        assert!(route(LOCAL, &[("HTTP_PROXY", "http://127.0.0.1:3128")]).is_local());
        // Only the target's scheme counts: HTTPS_PROXY does not carry http.
        assert!(route(LOCAL, &[("HTTPS_PROXY", "http://10.1.2.3:3128")]).is_local());
    }

    #[test]
    fn a_proxy_on_loopback_does_not_make_a_remote_target_local() {
        let route = route(REMOTE, &[("HTTPS_PROXY", "http://127.0.0.1:3128")]);
        assert_eq!(route, Route::Elsewhere { proxy: None });
    }
}
