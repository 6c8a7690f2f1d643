//! The target: the SCIM base URL Okta talks to, its token and how Okta sends
//! it.

use reqwest::header::HeaderValue;
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

/// Why a base URL or token cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum TargetError {
    /// The base URL does not parse.
    #[error("base URL {url:?} is not a URL: {source}")]
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
        let mut url = Url::parse(base_url.trim()).map_err(|source| TargetError::InvalidUrl {
            url: base_url.to_owned(),
            source,
        })?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(TargetError::UnsupportedScheme {
                url: base_url.to_owned(),
                scheme: url.scheme().to_owned(),
            });
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(TargetError::QueryOrFragment {
                url: base_url.to_owned(),
            });
        }
        if url.host_str().is_none_or(str::is_empty) {
            return Err(TargetError::NoHost {
                url: base_url.to_owned(),
            });
        }
        if HeaderValue::from_str(token.expose()).is_err() {
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

    /// The base URL's path without the trailing slash: `""` for a root URL,
    /// `/scim/v2` for a prefixed one. Request paths are recorded relative to it.
    pub(crate) fn path_prefix(&self) -> &str {
        self.base_url.path().trim_end_matches('/')
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
}
