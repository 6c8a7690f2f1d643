//! The fake 1Password account as a service for other tools: `scimulate
//! account` serves it alone (a bridge developer points their bridge at
//! it), and `scimulate serve` serves it behind the reference bridge. Both
//! print what a run needs: the addresses, the domains the account takes,
//! and a ready `scimulate run` line.

use std::io::Write;
use std::path::Path;

use anyhow::Context;
use scimulate_backend::{AccountSeed, Backend, BackendOptions};

use crate::cli::AccountArgs;
use crate::exit_codes;

/// The test users' domain of a run that cannot read the account (a bare
/// `scimulate run --base-url … --token …`; `RunOptions::email_domain`).
const RUN_DEFAULT_DOMAIN: &str = "example.com";

/// The account `serve` and `account` start with: `--account FILE`, or the
/// embedded bridge's account (acme.com) that also takes a bare run's test
/// users (example.com) and every domain a built-in scenario's starting
/// state says its account allows (acme.io, a company's second domain), so
/// `serve` then `run` just works, under `--profile scim` too.
pub fn served_seed(path: Option<&Path>) -> anyhow::Result<AccountSeed> {
    match path {
        Some(path) => Ok(AccountSeed::from_path(path)?),
        None => {
            let seed = AccountSeed::default();
            let mut domains = seed.settings().allowed_domains.clone();
            domains.push(RUN_DEFAULT_DOMAIN.to_string());
            for domain in scenario_domains()? {
                if !domains.iter().any(|d| d.eq_ignore_ascii_case(&domain)) {
                    domains.push(domain);
                }
            }
            Ok(seed.with_allowed_domains(domains))
        }
    }
}

/// The domains the built-in scenarios' starting states need allowed.
fn scenario_domains() -> anyhow::Result<Vec<String>> {
    let scenarios = scimulate_suites::scenario::Library::builtin()
        .scenarios()
        .context("the built-in scenarios")?;
    Ok(scenarios
        .into_iter()
        .filter_map(|scenario| match scenario.starting_state {
            scimulate_suites::scim_setup::StartingState::Made(plan) => Some(plan.allowed_domains),
            _ => None,
        })
        .flatten()
        .collect())
}

/// What `serve` prints first, in one write (a reader that stops after the
/// first lines never cuts the server off half-way): `KEY=value` lines, the
/// addresses first, then the account's allowed domains and a ready `run`
/// line.
pub fn serve_banner(base_url: &str, token: &str, backend_url: &str, seed: &AccountSeed) -> String {
    let mut run = format!("scimulate run --base-url {base_url} --token {token}");
    run.push_str(&format!(" --backend-url {backend_url}"));
    format!(
        "BASE_URL={base_url}\nTOKEN={token}\nBACKEND_URL={backend_url}\n\
         ALLOWED_DOMAINS={domains}\nRUN={run}\n",
        domains = seed.settings().allowed_domains.join(",")
    )
}

/// The test-domain flag a run without `--backend-url` needs against this
/// account: none when it takes `example.com` (or any domain).
fn email_domain_flag(seed: &AccountSeed) -> String {
    let domains = &seed.settings().allowed_domains;
    if domains.is_empty()
        || domains
            .iter()
            .any(|d| d.eq_ignore_ascii_case(RUN_DEFAULT_DOMAIN))
    {
        String::new()
    } else {
        format!(" --email-domain {}", domains[0])
    }
}

/// `scimulate account`.
pub async fn account(args: AccountArgs) -> anyhow::Result<i32> {
    let seed = served_seed(args.account.as_deref())?;
    let listener = std::net::TcpListener::bind(("127.0.0.1", args.port))
        .with_context(|| format!("could not listen on 127.0.0.1:{}", args.port))?;
    let options = BackendOptions {
        listener: Some(listener),
        ..BackendOptions::default()
    };
    let banner_seed = seed.clone();
    let backend = Backend::try_start(seed, options).context("could not serve the fake account")?;
    let url = backend.url();
    let domains = banner_seed.settings().allowed_domains.join(",");
    let banner = format!(
        "BACKEND_URL={url}\nALLOWED_DOMAINS={domains}\n\
         RUN=scimulate run --base-url <your bridge's SCIM base URL> --token-file <its token> \
         --backend-url {url}\n"
    );
    let mut out = std::io::stdout().lock();
    out.write_all(banner.as_bytes())?;
    out.flush()?;
    drop(out);
    eprintln!(
        "serving the fake 1Password account {:?} (API: backend/API.md); stop with Ctrl-C\n\
         point your bridge at BACKEND_URL, then run the RUN line above: each scenario's \
         account is seeded over {url}{} before it is played{}",
        banner_seed.settings().name,
        scimulate_backend::CONTROL_PATH,
        match email_domain_flag(&banner_seed) {
            flag if flag.is_empty() => String::new(),
            flag => format!(" (without --backend-url, add{flag})"),
        }
    );
    crate::shutdown::shutdown_signal().await;
    drop(backend);
    Ok(exit_codes::OK)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_served_account_takes_a_bare_runs_test_users() {
        let seed = served_seed(None).unwrap();
        assert_eq!(
            seed.settings().allowed_domains,
            ["acme.com", "example.com", "acme.io"]
        );
        assert_eq!(email_domain_flag(&seed), "");
        let acme_only = AccountSeed::default();
        assert_eq!(email_domain_flag(&acme_only), " --email-domain acme.com");
    }

    #[test]
    fn the_serve_banner_keeps_the_addresses_first_and_ends_with_a_run_line() {
        let seed = served_seed(None).unwrap();
        let banner = serve_banner("http://b/scim/v2", "tok", "http://a", &seed);
        let lines: Vec<&str> = banner.lines().collect();
        assert_eq!(
            lines,
            [
                "BASE_URL=http://b/scim/v2",
                "TOKEN=tok",
                "BACKEND_URL=http://a",
                "ALLOWED_DOMAINS=acme.com,example.com,acme.io",
                "RUN=scimulate run --base-url http://b/scim/v2 --token tok --backend-url http://a",
            ]
        );
    }
}
