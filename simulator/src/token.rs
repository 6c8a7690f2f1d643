//! The bearer token: a newtype that never prints its secret.
//!
//! STYLE §5: "the token is a newtype printing `[REDACTED]`". Only
//! [`crate::client`] calls [`Token::expose`], to build the `Authorization`
//! header (docs/okta-wire.md#22-authorization); the transcript records that header as
//! `Bearer [REDACTED]` at capture time.

use std::fmt;

/// The text every redacted secret is replaced by.
pub const REDACTED: &str = "[REDACTED]";

/// The API token Okta sends to the SCIM base URL.
///
/// `Debug` and `Display` print `[REDACTED]`; there is no `Serialize`.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

impl Token {
    /// Wraps a token as the admin pasted it into Okta's *API Token* field.
    pub fn new(token: impl Into<String>) -> Self {
        Self(token.into())
    }

    /// The secret itself, for building the `Authorization` header only.
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

impl fmt::Display for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_hide_the_secret() {
        let token = Token::new("s3cr3t-value");
        assert_eq!(format!("{token}"), "[REDACTED]");
        assert_eq!(format!("{token:?}"), "[REDACTED]");
        assert_eq!(format!("{:?}", Some(&token)), "Some([REDACTED])");
        assert_eq!(token.expose(), "s3cr3t-value");
    }
}
