//! Where a request really goes: straight to the target, or through the
//! proxy the environment names.
//!
//! The run's HTTP client (reqwest, built without its `system-proxy`
//! feature) reads `ALL_PROXY`, `HTTP_PROXY`, `HTTPS_PROXY` and `NO_PROXY`
//! (each also lower-case, upper-case first) and sends every request to a
//! matching host through that proxy, loopback hosts included. [`Proxies`]
//! holds those variables as data and asks the very matcher reqwest uses
//! (`hyper_util::client::proxy::matcher`, reqwest 0.13 `src/proxy.rs`),
//! so consent judges the route the bytes take, and tests pass the
//! environment in instead of changing the process's.

use std::fmt;
use std::net::IpAddr;

use hyper_util::client::proxy::matcher::Matcher;
use url::Url;

/// The proxy variables of an environment, as reqwest reads them.
#[derive(Clone, Default)]
pub struct Proxies {
    all: String,
    http: String,
    https: String,
    no: String,
    /// `REQUEST_METHOD` is set: reqwest then ignores every proxy variable
    /// (a CGI request could set `HTTP_PROXY` through a `Proxy:` header).
    cgi: bool,
}

/// The proxy a request goes through: scheme, host and port, never its
/// credentials.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proxy {
    shown: String,
    host: String,
}

impl Proxies {
    /// The process's environment, read once.
    pub fn from_env() -> Self {
        Self::from_vars(std::env::vars_os().filter_map(|(name, value)| {
            Some((name.into_string().ok()?, value.into_string().ok()?))
        }))
    }

    /// From `(name, value)` pairs, e.g. `[("HTTPS_PROXY", "http://p:3128")]`.
    /// Like reqwest, the upper-case name wins when both are present (even
    /// empty), and a value that is not valid Unicode counts as unset.
    pub fn from_vars<N, V>(vars: impl IntoIterator<Item = (N, V)>) -> Self
    where
        N: AsRef<str>,
        V: AsRef<str>,
    {
        let vars: Vec<(String, String)> = vars
            .into_iter()
            .map(|(n, v)| (n.as_ref().to_owned(), v.as_ref().to_owned()))
            .collect();
        let first = |names: [&str; 2]| {
            names
                .iter()
                .find_map(|name| vars.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone()))
                .unwrap_or_default()
        };
        Proxies {
            all: first(["ALL_PROXY", "all_proxy"]),
            http: first(["HTTP_PROXY", "http_proxy"]),
            https: first(["HTTPS_PROXY", "https_proxy"]),
            no: first(["NO_PROXY", "no_proxy"]),
            cgi: vars.iter().any(|(n, _)| n == "REQUEST_METHOD"),
        }
    }

    /// The proxy a request to `url` goes through, if any: none when no
    /// variable names one for its scheme or `NO_PROXY` lists its host
    /// (comma-separated; a domain also covers its subdomains, an IP or
    /// CIDR block covers its addresses, `*` covers every host).
    pub fn proxy_for(&self, url: &Url) -> Option<Proxy> {
        if self.cgi {
            return None;
        }
        let matcher = Matcher::builder()
            .all(self.all.clone())
            .http(self.http.clone())
            .https(self.https.clone())
            .no(self.no.clone())
            .build();
        let uri: http::Uri = url.as_str().parse().ok()?;
        let intercept = matcher.intercept(&uri)?;
        let proxy = intercept.uri();
        let host = proxy.host().unwrap_or_default().to_owned();
        let shown = match (proxy.scheme_str(), proxy.port_u16()) {
            (Some(scheme), Some(port)) => format!("{scheme}://{host}:{port}"),
            (Some(scheme), None) => format!("{scheme}://{host}"),
            (None, _) => host.clone(),
        };
        Some(Proxy { shown, host })
    }
}

impl fmt::Debug for Proxies {
    /// Names which variables are set, never their values (a proxy URL may
    /// carry a password).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Proxies")
            .field("all", &!self.all.is_empty())
            .field("http", &!self.http.is_empty())
            .field("https", &!self.https.is_empty())
            .field("no", &self.no)
            .field("cgi", &self.cgi)
            .finish()
    }
}

impl Proxy {
    /// Whether the proxy itself runs on this machine (127.0.0.0/8, ::1,
    /// `localhost`): the bytes then leave it only if the proxy sends them
    /// on, which is the proxy's owner's choice, as with a local bridge.
    pub fn is_on_loopback(&self) -> bool {
        let host = self.host.trim_start_matches('[').trim_end_matches(']');
        match host.parse::<IpAddr>() {
            Ok(ip) => ip.is_loopback(),
            Err(_) => host.eq_ignore_ascii_case("localhost"),
        }
    }
}

impl fmt::Display for Proxy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.shown)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn proxy(vars: &[(&str, &str)], url: &str) -> Option<Proxy> {
        let url = Url::parse(url).expect("a URL");
        Proxies::from_vars(vars.iter().copied()).proxy_for(&url)
    }

    const LOCAL: &str = "http://127.0.0.1:9/scim/v2";
    const REMOTE_TLS: &str = "https://scim.example.com/scim/v2";

    #[test]
    fn no_variable_no_proxy() {
        assert_eq!(proxy(&[], LOCAL), None);
        assert_eq!(proxy(&[("PATH", "/bin")], REMOTE_TLS), None);
    }

    #[test]
    fn issue_15_loopback_targets_go_through_a_configured_proxy() {
        let p = proxy(&[("HTTP_PROXY", "http://10.1.2.3:3128")], LOCAL).expect("proxied");
        assert_eq!(p.to_string(), "http://10.1.2.3:3128");
        assert!(!p.is_on_loopback());
        for name in ["http_proxy", "ALL_PROXY", "all_proxy"] {
            assert!(
                proxy(&[(name, "http://10.1.2.3:3128")], LOCAL).is_some(),
                "{name}"
            );
        }
        // HTTPS_PROXY is for https targets only.
        assert_eq!(
            proxy(&[("HTTPS_PROXY", "http://10.1.2.3:3128")], LOCAL),
            None
        );
        assert!(proxy(&[("https_proxy", "http://10.1.2.3:3128")], REMOTE_TLS).is_some());
        assert_eq!(
            proxy(&[("HTTP_PROXY", "http://10.1.2.3:3128")], REMOTE_TLS),
            None
        );
    }

    #[test]
    fn upper_case_wins_even_when_empty() {
        let vars = [("HTTP_PROXY", ""), ("http_proxy", "http://10.1.2.3:3128")];
        assert_eq!(proxy(&vars, LOCAL), None);
        let vars = [
            ("HTTP_PROXY", "http://10.9.9.9:1"),
            ("http_proxy", "http://10.1.2.3:3128"),
        ];
        assert_eq!(
            proxy(&vars, LOCAL).expect("proxied").to_string(),
            "http://10.9.9.9:1"
        );
    }

    #[test]
    fn no_proxy_is_honoured_as_reqwest_does() {
        let via = ("HTTPS_PROXY", "http://10.1.2.3:3128");
        for no in [
            "scim.example.com",
            ".example.com",
            "example.com",
            "other.test, example.com",
            "*",
        ] {
            assert_eq!(proxy(&[via, ("NO_PROXY", no)], REMOTE_TLS), None, "{no}");
            assert_eq!(proxy(&[via, ("no_proxy", no)], REMOTE_TLS), None, "{no}");
        }
        for no in ["notexample.com", "scim.example.org", "10.0.0.0/8"] {
            assert!(
                proxy(&[via, ("NO_PROXY", no)], REMOTE_TLS).is_some(),
                "{no}"
            );
        }
        let via = ("HTTP_PROXY", "http://10.1.2.3:3128");
        for no in ["127.0.0.1", "127.0.0.0/8"] {
            assert_eq!(proxy(&[via, ("NO_PROXY", no)], LOCAL), None, "{no}");
        }
        // `localhost` in NO_PROXY is a domain: it does not cover 127.0.0.1.
        assert!(proxy(&[via, ("NO_PROXY", "localhost")], LOCAL).is_some());
    }

    #[test]
    fn a_proxy_on_loopback_is_on_loopback_and_credentials_never_show() {
        for via in [
            "http://127.0.0.1:3128",
            "http://localhost:3128",
            "http://[::1]:3128",
            "127.0.0.1:3128",
        ] {
            let p = proxy(&[("ALL_PROXY", via)], REMOTE_TLS).expect("proxied");
            assert!(p.is_on_loopback(), "{via}");
        }
        let p = proxy(
            &[("HTTPS_PROXY", "http://bob:pw-secret@10.1.2.3:3128")],
            REMOTE_TLS,
        )
        .expect("proxied");
        assert_eq!(p.to_string(), "http://10.1.2.3:3128");
        let debug = format!(
            "{:?}",
            Proxies::from_vars([("HTTPS_PROXY", "http://bob:pw-secret@10.1.2.3:3128")])
        );
        assert!(!debug.contains("pw-secret"), "{debug}");
    }

    #[test]
    fn cgi_requests_ignore_proxy_variables_as_reqwest_does() {
        let vars = [
            ("REQUEST_METHOD", "GET"),
            ("HTTP_PROXY", "http://10.1.2.3:3128"),
        ];
        assert_eq!(proxy(&vars, LOCAL), None);
    }
}
