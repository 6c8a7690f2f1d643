//! The target on the command line: `--base-url`, `--token`/`SCIM_TOKEN`,
//! `--token-file` and `--backend-url`, shared by every command that talks
//! to a target (`run`, `load`, `cleanup`), and parsed here once into a
//! [`Target`]: everything downstream borrows it, no command sees the token
//! as text.

use std::path::{Path, PathBuf};

use anyhow::{Context, anyhow, bail};
use clap::Args;
use scimulate_simulator::{Target, Token, TokenError};
use scimulate_suites::TargetSpec;

/// Where a command's requests go, as typed.
#[derive(Debug, Clone, Default, Args)]
pub struct TargetArgs {
    /// The SCIM base URL of the bridge under test, e.g.
    /// https://scim.example.com/scim/v2 (no user name or password in it).
    /// Without it, run and load start the embedded reference bridge.
    #[arg(long, env = "SCIM_BASE_URL", value_name = "URL")]
    pub base_url: Option<String>,
    /// The bridge's bearer token (surrounding whitespace is trimmed; at
    /// least 8 characters).
    #[arg(long, env = "SCIM_TOKEN", hide_env_values = true, value_name = "TOKEN")]
    pub token: Option<String>,
    /// Read the bearer token from a file (its first line, trimmed).
    #[arg(long, value_name = "FILE", conflicts_with = "token")]
    pub token_file: Option<PathBuf>,
    /// The fake account's API, when the bridge under test was configured
    /// with it: run judges the account's effects, load reads its allowed
    /// e-mail domains; cleanup does not use it.
    #[arg(long, env = "SCIMULATE_BACKEND_URL", value_name = "URL")]
    pub backend_url: Option<String>,
}

/// A target given on the command line, parsed.
#[derive(Debug, Clone)]
pub struct GivenTarget {
    /// The normalised base URL and the token.
    pub target: Target,
    /// The fake account's API, when given.
    pub backend_url: Option<String>,
}

impl GivenTarget {
    /// The run's target: someone else's bridge.
    pub fn external(self) -> TargetSpec {
        TargetSpec::External {
            target: self.target,
            backend_url: self.backend_url,
        }
    }
}

impl TargetArgs {
    /// The target, or `None` when no base URL was given (the embedded
    /// bridge then). `what` names the command for the missing-token
    /// message (`--base-url`, `cleanup`).
    pub fn resolve(&self, what: &str) -> anyhow::Result<Option<GivenTarget>> {
        let Some(base_url) = self.base_url.as_deref().filter(|u| !u.trim().is_empty()) else {
            if self.backend_url.is_some() {
                bail!(
                    "--backend-url goes with --base-url: the embedded bridge's account is \
                     always observed"
                );
            }
            return Ok(None);
        };
        let token = self.token()?.ok_or_else(|| {
            anyhow!(
                "{what} needs the bridge's bearer token: give --token-file FILE, SCIM_TOKEN or \
                 --token"
            )
        })?;
        // Logs, error lines and panics redact it from now on.
        crate::redacted_output::protect(token.redactor());
        let target = Target::new(base_url, token).context("--base-url (or SCIM_BASE_URL)")?;
        Ok(Some(GivenTarget {
            target,
            backend_url: self.backend_url.clone(),
        }))
    }

    /// The token from `--token`/`SCIM_TOKEN`, or the first line of
    /// `--token-file`; trimmed the same way from every source
    /// ([`Token::parse`]). An empty `--token` counts as not given.
    fn token(&self) -> anyhow::Result<Option<Token>> {
        if let Some(path) = &self.token_file {
            return token_from_file(path).map(Some);
        }
        match self.token.as_deref().map(Token::parse) {
            None | Some(Err(TokenError::Empty)) => Ok(None),
            Some(Ok(token)) => Ok(Some(token)),
            Some(Err(error)) => Err(anyhow!("--token (or SCIM_TOKEN): {error}")),
        }
    }
}

/// The token on the first line of `path`.
fn token_from_file(path: &Path) -> anyhow::Result<Token> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("could not read the token file {}", path.display()))?;
    match Token::parse(text.lines().next().unwrap_or("")) {
        Ok(token) => Ok(token),
        Err(TokenError::Empty) => bail!("the token file {} is empty", path.display()),
        Err(error) => bail!("--token-file {}: {error}", path.display()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOKEN: &str = "tok-7f3a9c1e-secret";

    fn args(base_url: &str, token: Option<&str>) -> TargetArgs {
        TargetArgs {
            base_url: Some(base_url.into()),
            token: token.map(str::to_string),
            ..TargetArgs::default()
        }
    }

    fn exposed(given: &GivenTarget) -> &str {
        given.target.token().expose()
    }

    fn error(args: &TargetArgs) -> String {
        format!("{:#}", args.resolve("--base-url").unwrap_err())
    }

    #[test]
    fn no_base_url_is_the_embedded_bridge() {
        assert!(TargetArgs::default().resolve("x").unwrap().is_none());
        assert!(args("  ", Some(TOKEN)).resolve("x").unwrap().is_none());
        let backend_alone = TargetArgs {
            backend_url: Some("http://127.0.0.1:1".into()),
            ..TargetArgs::default()
        };
        assert!(error(&backend_alone).contains("--backend-url goes with --base-url"));
    }

    #[test]
    fn the_base_url_is_normalised_once() {
        let given = args("http://127.0.0.1:8080/scim/v2/", Some(TOKEN))
            .resolve("x")
            .unwrap()
            .unwrap();
        assert_eq!(
            given.target.base_url().as_str(),
            "http://127.0.0.1:8080/scim/v2"
        );
        assert_eq!(exposed(&given), TOKEN);
    }

    #[test]
    fn a_missing_token_names_the_ways_to_give_one() {
        for token in [None, Some(""), Some(" \n")] {
            let text = error(&args("http://127.0.0.1:9/scim/v2", token));
            assert_eq!(
                text,
                "--base-url needs the bridge's bearer token: give --token-file FILE, SCIM_TOKEN \
                 or --token"
            );
        }
    }

    #[test]
    fn issue_15_token_trailing_space_is_trimmed_everywhere() {
        let dir = tempfile::tempdir().unwrap();
        for padded in [
            format!("{TOKEN} "),
            format!("{TOKEN}\n"),
            format!(" {TOKEN}\r\n"),
            format!("\t{TOKEN}  \n"),
        ] {
            // --token and SCIM_TOKEN (clap hands both over as `token`).
            let given = args("http://127.0.0.1:9", Some(&padded))
                .resolve("x")
                .unwrap()
                .unwrap();
            assert_eq!(exposed(&given), TOKEN, "--token {padded:?}");
            // --token-file.
            let path = dir.path().join("token");
            std::fs::write(&path, &padded).unwrap();
            let from_file = TargetArgs {
                token_file: Some(path),
                ..args("http://127.0.0.1:9", None)
            };
            let given = from_file.resolve("x").unwrap().unwrap();
            assert_eq!(exposed(&given), TOKEN, "--token-file holding {padded:?}");
        }
    }

    #[test]
    fn a_token_file_gives_its_first_line_and_must_hold_one() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("token");
        std::fs::write(&path, format!("{TOKEN}\nsomething else\n")).unwrap();
        let file = |path: &Path| TargetArgs {
            token_file: Some(path.to_path_buf()),
            ..args("http://127.0.0.1:9", None)
        };
        assert_eq!(exposed(&file(&path).resolve("x").unwrap().unwrap()), TOKEN);
        std::fs::write(&path, " \n").unwrap();
        assert!(error(&file(&path)).ends_with("is empty"));
        let text = error(&file(&dir.path().join("missing")));
        assert!(text.starts_with("could not read the token file"), "{text}");
    }

    #[test]
    fn issue_13_a_token_too_short_to_redact_is_refused_from_every_source() {
        let text = error(&args("http://127.0.0.1:9", Some("abc")));
        assert!(
            text.starts_with("--token (or SCIM_TOKEN): the token is 3 character(s) long"),
            "{text}"
        );
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("token");
        std::fs::write(&path, "abc\n").unwrap();
        let from_file = TargetArgs {
            token_file: Some(path),
            ..args("http://127.0.0.1:9", None)
        };
        let text = error(&from_file);
        assert!(text.contains("the token is 3 character(s) long"), "{text}");
        assert!(text.starts_with("--token-file "), "{text}");
    }

    #[test]
    fn issue_15_a_newline_in_the_token_is_blamed_on_the_token() {
        let text = error(&args(
            "http://127.0.0.1:9/scim/v2",
            Some("tok-1234\nX-Evil: 1"),
        ));
        assert!(
            text.starts_with("--token (or SCIM_TOKEN): the token contains a line break"),
            "{text}"
        );
        assert!(
            !text.contains("base URL") && !text.contains("tok-1234"),
            "{text}"
        );
    }

    #[test]
    fn issue_15_a_malformed_url_gets_its_own_error() {
        let text = error(&args("ht!tp://x", Some(TOKEN)));
        assert!(
            text.starts_with("--base-url (or SCIM_BASE_URL): base URL \"ht!tp://x\" is not a URL"),
            "{text}"
        );
        assert!(!text.contains("allow-remote-writes"), "{text}");
    }

    #[test]
    fn issue_15_url_credentials_are_refused_and_never_printed() {
        let text = error(&args(
            "https://alice:hunter2-pw@scim.example.com/scim/v2",
            Some(TOKEN),
        ));
        assert!(
            text.contains("https://***@scim.example.com/scim/v2"),
            "{text}"
        );
        assert!(text.contains("carries a user name or password"), "{text}");
        assert!(
            !text.contains("hunter2") && !text.contains("alice"),
            "{text}"
        );
        assert!(!text.contains(TOKEN), "{text}");
    }
}
