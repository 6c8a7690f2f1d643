//! The target: the SCIM base URL Okta talks to, its token and how Okta sends
//! it.

use serde::{Deserialize, Serialize};
use url::Url;

use crate::token::Token;

/// Where the simulated Okta sends its SCIM requests.
#[derive(Debug, Clone)]
pub struct Target {
    base_url: Url,
    token: Token,
    auth: AuthScheme,
}

/// How the token goes into the `Authorization` header (docs/okta-wire.md#22-authorization).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuthScheme {
    /// `Authorization: Bearer <token>`: OIN Wizard *Bearer* mode, AIW *HTTP
    /// Header* mode (the UI adds the prefix) and what 1Password requires
    /// ("API Token: the bearer token for your SCIM bridge", §2.2 SEED-1P).
    #[default]
    Bearer,
    /// `Authorization: <token>` verbatim: OIN Wizard *Header* mode (§2.2).
    Header,
}

/// Why a base URL or token cannot be used. Every URL shown has its user
/// name and password masked ([`mask_credentials`]); the token never shows.
#[derive(Debug, thiserror::Error)]
pub enum TargetError {
    /// The base URL does not parse.
    #[error("base URL {url:?} is not a URL (expected e.g. https://scim.example.com/scim/v2)")]
    InvalidUrl {
        url: String,
        #[source]
        source: url::ParseError,
    },
    /// Okta only speaks HTTP(S) (§9: "HTTPS required"; plain http for loopback).
    #[error("base URL {url:?} has scheme {scheme:?} (expected http or https)")]
    UnsupportedScheme { url: String, scheme: String },
    /// A query or fragment cannot be part of a SCIM base URL.
    #[error("base URL {url:?} carries a query or fragment (expected scheme, host and path only)")]
    QueryOrFragment { url: String },
    /// The base URL has no host to connect to.
    #[error("base URL {url:?} has no host")]
    NoHost { url: String },
    /// A user name or password in the base URL: Okta authenticates with the
    /// token alone (§2.2), and credentials there would be printed with
    /// every mention of the URL, so they are refused (masked here).
    #[error(
        "base URL {url:?} carries a user name or password: Okta sends only the token (remove \
         them from the URL; give the token with --token-file or SCIM_TOKEN)"
    )]
    Credentials { url: String },
    /// The token holds characters an HTTP header cannot carry (never shows it).
    #[error("the token contains characters an HTTP header cannot carry (e.g. a line break)")]
    InvalidToken,
}

impl Target {
    /// A target with the default [`AuthScheme::Bearer`].
    ///
    /// The base URL keeps its path prefix (`/scim/v2`) and loses any trailing
    /// slash: 1Password's hosted URL is given without one (§9 SEED-1P) and
    /// Okta appends `/Users`, `/Groups` to it.
    pub fn new(base_url: &str, token: Token) -> Result<Self, TargetError> {
        let shown = || mask_credentials(base_url.trim());
        let mut url = Url::parse(base_url.trim()).map_err(|source| TargetError::InvalidUrl {
            url: shown(),
            source,
        })?;
        if !url.username().is_empty() || url.password().is_some() {
            return Err(TargetError::Credentials { url: shown() });
        }
        if !matches!(url.scheme(), "http" | "https") {
            return Err(TargetError::UnsupportedScheme {
                url: shown(),
                scheme: url.scheme().to_owned(),
            });
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(TargetError::QueryOrFragment { url: shown() });
        }
        if url.host_str().is_none_or(str::is_empty) {
            return Err(TargetError::NoHost { url: shown() });
        }
        if !token.is_sendable() {
            return Err(TargetError::InvalidToken);
        }
        let trimmed = url.path().trim_end_matches('/').to_owned();
        url.set_path(&trimmed);
        Ok(Self {
            base_url: url,
            token,
            auth: AuthScheme::default(),
        })
    }

    /// The same target with another way of sending the token.
    #[must_use]
    pub fn with_auth(mut self, auth: AuthScheme) -> Self {
        self.auth = auth;
        self
    }

    /// The normalised base URL (no trailing slash after a path prefix).
    pub fn base_url(&self) -> &Url {
        &self.base_url
    }

    /// How the token is sent.
    pub fn auth(&self) -> AuthScheme {
        self.auth
    }

    /// The token (prints `[REDACTED]`).
    pub fn token(&self) -> &Token {
        &self.token
    }

    /// Whether the base URL's host is this machine (127.0.0.0/8, ::1,
    /// `localhost`). Where the bytes really go also depends on a proxy: see
    /// [`crate::Proxies`].
    pub fn is_on_loopback(&self) -> bool {
        is_loopback_host(self.base_url.host())
    }

    /// The base URL's path without the trailing slash: `""` for a root URL,
    /// `/scim/v2` for a prefixed one. Request paths are recorded relative to it.
    pub(crate) fn path_prefix(&self) -> &str {
        self.base_url.path().trim_end_matches('/')
    }
}

/// Whether `host` is this machine: 127.0.0.0/8, ::1 or `localhost`.
pub(crate) fn is_loopback_host(host: Option<url::Host<&str>>) -> bool {
    match host {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

/// `text` with the user name and password of a URL replaced by `***`
/// (`https://***@host/scim/v2`), whether or not it parses: for every
/// message that shows a URL someone typed.
pub fn mask_credentials(text: &str) -> String {
    let (scheme, rest) = match text.find("://") {
        Some(at) => text.split_at(at + 3),
        None => ("", text),
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => format!("{scheme}***{}", &rest[at..]),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(url: &str) -> Result<Target, TargetError> {
        Target::new(url, Token::new("t"))
    }

    #[test]
    fn trailing_slash_is_dropped_and_prefix_kept() {
        let t = target("https://scim.example.com/scim/v2/").unwrap();
        assert_eq!(t.base_url().as_str(), "https://scim.example.com/scim/v2");
        assert_eq!(t.path_prefix(), "/scim/v2");
        let t = target("http://127.0.0.1:8080").unwrap();
        assert_eq!(t.path_prefix(), "");
        let t = target("http://127.0.0.1:8080//").unwrap();
        assert_eq!(t.path_prefix(), "");
    }

    #[test]
    fn bearer_is_the_default() {
        let t = target("https://x.example").unwrap();
        assert_eq!(t.auth(), AuthScheme::Bearer);
        assert_eq!(t.with_auth(AuthScheme::Header).auth(), AuthScheme::Header);
    }

    #[test]
    fn bad_base_urls_are_refused() {
        assert!(matches!(
            target("not a url"),
            Err(TargetError::InvalidUrl { .. })
        ));
        assert!(matches!(
            target("ftp://x.example/scim"),
            Err(TargetError::UnsupportedScheme { .. })
        ));
        assert!(matches!(
            target("https://x.example/scim?x=1"),
            Err(TargetError::QueryOrFragment { .. })
        ));
    }

    #[test]
    fn a_token_with_a_line_break_is_refused_without_showing_it() {
        let err = Target::new("https://x.example", Token::new("abc\r\nX-Evil: 1")).unwrap_err();
        assert!(matches!(err, TargetError::InvalidToken));
        assert!(!err.to_string().contains("abc"));
    }

    #[test]
    fn issue_15_credentials_in_the_base_url_are_refused_and_never_shown() {
        for url in [
            "https://alice:hunter2-pw@scim.example.com/scim/v2",
            "https://alice@scim.example.com/scim/v2",
            "http://:hunter2-pw@127.0.0.1:8080/scim/v2",
        ] {
            let error = target(url).unwrap_err();
            assert!(matches!(error, TargetError::Credentials { .. }), "{url}");
            let text = error.to_string();
            assert!(
                !text.contains("hunter2") && !text.contains("alice"),
                "{text}"
            );
            assert!(text.contains("***@"), "{text}");
        }
        // Also when the rest of the URL is wrong.
        let text = target("ftp://alice:hunter2-pw@x.example/")
            .unwrap_err()
            .to_string();
        assert!(!text.contains("hunter2"), "{text}");
        let text = target("ht!tp://alice:hunter2-pw@x/")
            .unwrap_err()
            .to_string();
        assert!(!text.contains("hunter2"), "{text}");
    }

    #[test]
    fn issue_15_a_malformed_url_says_it_is_not_a_url() {
        let text = target("ht!tp://x").unwrap_err().to_string();
        assert!(
            text.starts_with("base URL \"ht!tp://x\" is not a URL"),
            "{text}"
        );
        assert!(text.contains("expected e.g. https://"), "{text}");
    }

    #[test]
    fn credentials_are_masked_in_any_text() {
        assert_eq!(
            mask_credentials("https://u:p@h.example/scim"),
            "https://***@h.example/scim"
        );
        assert_eq!(mask_credentials("u:p@h.example/a@b"), "***@h.example/a@b");
        assert_eq!(
            mask_credentials("https://h.example/scim/a@b"),
            "https://h.example/scim/a@b"
        );
        assert_eq!(mask_credentials("not a url"), "not a url");
    }

    #[test]
    fn loopback_hosts() {
        for url in [
            "http://127.0.0.1:8080/scim/v2",
            "http://127.3.4.5/",
            "http://localhost:1/",
            "http://LOCALHOST:1/",
            "http://[::1]:1/",
        ] {
            assert!(target(url).unwrap().is_on_loopback(), "{url}");
        }
        for url in [
            "https://scim.example.com/scim/v2",
            "http://10.0.0.1/",
            "http://localhost.example.com/",
        ] {
            assert!(!target(url).unwrap().is_on_loopback(), "{url}");
        }
    }
}
