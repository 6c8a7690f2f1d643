//! The bearer token: a newtype that never prints its secret.
//!
//! STYLE §5: "the token is a newtype printing `[REDACTED]`". The secret
//! leaves it through [`Token::expose`] only: to build the `Authorization`
//! header (docs/okta-wire.md#22-authorization), to give the embedded bridge the token it
//! expects, and to build the [`Redactor`] ([`Token::redactor`]) every output
//! goes through: answers are recorded as received, and what a target echoes
//! of the token is redacted where output is made (issue #13).
//!
//! A token a person gives (a flag, an environment variable, a file) enters
//! through [`Token::parse`]: surrounding whitespace is trimmed the same way
//! whatever the source, and a token that cannot be sent or kept out of the
//! output is refused before the first request (README "Secrets").

use std::fmt;

pub use scimulate_record::REDACTED;
use scimulate_record::Redactor;

/// The fewest characters a token given by a person may have.
///
/// Every output masks each occurrence of the token's text. The shorter the
/// token, the likelier ordinary text holds it (`T` is in `scimType`, `id`
/// in every resource): masking it corrupts what is shown, and a token that
/// short is guessed in a few thousand tries anyway. Eight characters keep
/// accidental matches in SCIM traffic rare and still admit the short
/// tokens people set up for a local test (`test-token`); real bridge tokens
/// are far longer (1Password's are hundreds of characters).
pub const MIN_TOKEN_LEN: usize = 8;

/// The API token Okta sends to the SCIM base URL.
///
/// `Debug` and `Display` print `[REDACTED]`; there is no `Serialize`.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

/// Why a token a person gave cannot be used (never shows the token).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    /// Nothing but whitespace.
    #[error("the token is empty")]
    Empty,
    /// Too short to be masked in the output without masking ordinary text.
    #[error(
        "the token is {len} character(s) long (expected at least {MIN_TOKEN_LEN}): a token that \
         short cannot be kept out of the output (every text it matches would be masked) and is \
         easy to guess; give the bridge a longer one (see README \"Secrets\")"
    )]
    TooShort { len: usize },
    /// A character an HTTP header cannot carry, left after trimming.
    #[error(
        "the token contains a line break or another character an HTTP header cannot carry \
         (surrounding whitespace is trimmed; check for a line break inside it)"
    )]
    Unsendable,
}

impl Token {
    /// Wraps a token as it is, without trimming or the length policy: for
    /// tokens scimulate made itself and for tests. A token a person gave
    /// goes through [`Token::parse`].
    pub fn new(token: impl Into<String>) -> Self {
        Self(token.into())
    }

    /// What every output of a run against this token goes through: it
    /// finds the token (as given and trimmed) in every form a server can
    /// echo it, without handing the secret out.
    pub fn redactor(&self) -> Redactor {
        Redactor::for_secret(&self.0)
    }

    /// A token as a person gave it: surrounding whitespace (spaces, tabs,
    /// line breaks) trimmed, then refused when empty, when a header cannot
    /// carry it, or when shorter than [`MIN_TOKEN_LEN`] characters.
    pub fn parse(text: &str) -> Result<Self, TokenError> {
        let token = text.trim();
        if token.is_empty() {
            return Err(TokenError::Empty);
        }
        if !is_sendable(token) {
            return Err(TokenError::Unsendable);
        }
        let len = token.chars().count();
        if len < MIN_TOKEN_LEN {
            return Err(TokenError::TooShort { len });
        }
        Ok(Self(token.to_owned()))
    }

    /// Whether the token meets [`Token::parse`]'s policy: for a token a
    /// library caller wrapped with [`Token::new`], checked again before a
    /// run sends anything.
    pub fn check_policy(&self) -> Result<(), TokenError> {
        Self::parse(&self.0).map(|_| ())
    }

    /// The secret itself: for the `Authorization` header, for the embedded
    /// bridge that checks it, and for finding its echoes to redact. Never
    /// format it into a message.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Whether an HTTP header can carry the token.
    pub(crate) fn is_sendable(&self) -> bool {
        is_sendable(&self.0)
    }
}

/// What `HeaderValue::from_str` accepts: no control character but tab.
fn is_sendable(token: &str) -> bool {
    reqwest::header::HeaderValue::from_str(token).is_ok()
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

    #[test]
    fn issue_15_parse_trims_surrounding_whitespace() {
        for given in [
            "tok-12345678",
            "tok-12345678 ",
            " tok-12345678",
            "tok-12345678\n",
            "tok-12345678\r\n",
            "\ttok-12345678 \n",
        ] {
            assert_eq!(
                Token::parse(given).map(|t| t.expose().to_owned()),
                Ok("tok-12345678".to_owned()),
                "{given:?}"
            );
        }
    }

    #[test]
    fn issue_13_a_token_too_short_to_redact_is_refused() {
        assert_eq!(Token::parse("T"), Err(TokenError::TooShort { len: 1 }));
        assert_eq!(
            Token::parse(" 1234567\n"),
            Err(TokenError::TooShort { len: 7 })
        );
        assert!(Token::parse("12345678").is_ok());
        // Characters, not bytes: a short token of multi-byte text is short.
        assert_eq!(
            Token::parse("ééééééé"),
            Err(TokenError::TooShort { len: 7 })
        );
        let message = TokenError::TooShort { len: 1 }.to_string();
        assert!(message.contains("at least 8"), "{message}");
    }

    #[test]
    fn issue_15_a_line_break_inside_the_token_is_blamed_on_the_token() {
        let error = Token::parse("tok-1234\nX-Evil: 1").unwrap_err();
        assert_eq!(error, TokenError::Unsendable);
        assert!(
            error
                .to_string()
                .starts_with("the token contains a line break")
        );
        assert!(!error.to_string().contains("tok-1234"));
        assert_eq!(Token::parse(" \n\t"), Err(TokenError::Empty));
    }
}
