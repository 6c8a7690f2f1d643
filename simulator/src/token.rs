//! The bearer token: a newtype that never prints its secret.
//!
//! STYLE §5: "the token is a newtype printing `[REDACTED]`". Only
//! [`crate::client`] calls [`Token::expose`], to build the `Authorization`
//! header (okta-scim-wire.md §2.2); the transcript records that header as
//! `Bearer [REDACTED]`. What a target echoes of the token is recorded as
//! received and redacted where output is made, by [`Token::redactor`]
//! (issue #13).

use std::fmt;

pub use scimulate_record::REDACTED;
use scimulate_record::Redactor;

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

    /// What every output of a run against this token goes through: it
    /// finds the token (as given and trimmed) in every form a server can
    /// echo it, without handing the secret out.
    pub fn redactor(&self) -> Redactor {
        Redactor::for_secret(&self.0)
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
