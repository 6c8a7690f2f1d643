//! What each subcommand does. Errors carry context and become exit code 2
//! in `main`; a failed check is not an error but exit code 1.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, anyhow, bail};
use scimulate_backend::AccountSeed;
use scimulate_bridge::{FAULTS, FaultSet};
use scimulate_simulator::Dialect;
use scimulate_suites::checks::catalogue;
use scimulate_suites::{Embedded, EmbeddedOptions, Profile, RunOptions, TargetSpec, Waivers};

use crate::cli::{ColorChoice, DialectChoice, ProfileChoice, RunArgs, ServeArgs};
use crate::exit_codes;

/// `scimulate run`.
pub async fn run(args: RunArgs, color: ColorChoice) -> anyhow::Result<i32> {
    let target = match args.base_url {
        Some(base_url) => {
            let token = token(args.token, args.token_file.as_deref())?.ok_or_else(|| {
                anyhow!(
                    "--base-url needs the bridge's bearer token: give --token-file FILE, \
                     SCIM_TOKEN or --token"
                )
            })?;
            TargetSpec::External {
                base_url,
                token,
                backend_url: args.backend_url,
            }
        }
        None => {
            if args.backend_url.is_some() {
                bail!(
                    "--backend-url goes with --base-url: the embedded bridge's account is \
                     always observed"
                );
            }
            TargetSpec::Embedded {
                account: account(args.account.as_deref())?,
                faults: args.faults.into_iter().collect::<FaultSet>(),
            }
        }
    };
    let mut options = RunOptions::new(target);
    options.email_domain = args.email_domain;
    options.allow_remote_writes = args.allow_remote_writes;
    options.dialects = match args.dialect {
        DialectChoice::Oin => vec![Dialect::Oin],
        DialectChoice::Aiw => vec![Dialect::Aiw],
        DialectChoice::All => vec![Dialect::Oin, Dialect::Aiw],
    };
    options.profile = match args.profile {
        ProfileChoice::OnePassword => Profile::OnePassword,
        ProfileChoice::Scim => Profile::Scim,
    };
    if let Some(dir) = &args.scenarios {
        options.library = options.library.with_dir(dir)?;
    }
    if let Some(path) = &args.waivers {
        options.waivers = Waivers::from_path(path)?;
    }
    let record = scimulate_suites::run(options).await?;
    let mut out = stdout(color);
    write!(
        out,
        "{}",
        scimulate_reports::terminal::render(&record, true)
    )?;
    out.flush()?;
    Ok(if record.passed() {
        exit_codes::OK
    } else {
        exit_codes::CHECK_FAILED
    })
}

/// `scimulate serve`.
pub async fn serve(args: ServeArgs) -> anyhow::Result<i32> {
    let account = account(args.account.as_deref())?;
    let bridge_listener = tokio::net::TcpListener::bind(("127.0.0.1", args.port))
        .await
        .with_context(|| format!("could not listen on 127.0.0.1:{}", args.port))?;
    let backend_listener = std::net::TcpListener::bind(("127.0.0.1", args.backend_port))
        .with_context(|| format!("could not listen on 127.0.0.1:{}", args.backend_port))?;
    let faults: FaultSet = args.faults.into_iter().collect();
    let fault_names: Vec<&str> = faults.iter().map(|f| f.name()).collect();
    let embedded = Embedded::start(
        account,
        EmbeddedOptions {
            faults,
            token: args.token,
            bridge_listener: Some(bridge_listener),
            backend_listener: Some(backend_listener),
            ..EmbeddedOptions::default()
        },
    )
    .await
    .context("could not start the reference bridge")?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "BASE_URL={}", embedded.base_url())?;
    writeln!(out, "TOKEN={}", embedded.token())?;
    writeln!(out, "BACKEND_URL={}", embedded.backend.url())?;
    out.flush()?;
    drop(out);
    if fault_names.is_empty() {
        eprintln!("serving the reference bridge; stop with Ctrl-C");
    } else {
        eprintln!(
            "serving the reference bridge with --fault {}; stop with Ctrl-C",
            fault_names.join(", --fault ")
        );
    }
    shutdown_signal().await;
    embedded.bridge.shutdown().await;
    Ok(exit_codes::OK)
}

/// `scimulate faults`.
pub fn faults(color: ColorChoice) -> anyhow::Result<i32> {
    let mut out = stdout(color);
    let width = FAULTS.iter().map(|f| f.name.len()).max().unwrap_or(0);
    for fault in FAULTS {
        writeln!(out, "{:width$}  {}", fault.name, fault.doc)?;
        writeln!(out, "{:width$}  breaks: {}", "", fault.breaks)?;
    }
    out.flush()?;
    Ok(exit_codes::OK)
}

/// `scimulate checks`.
pub fn checks(color: ColorChoice) -> anyhow::Result<i32> {
    let mut out = stdout(color);
    for check in catalogue() {
        let def = &check.def;
        let needs = match def.needs {
            scimulate_suites::Needs::Scim => "scim",
            scimulate_suites::Needs::Backend => "backend",
        };
        writeln!(out, "{}  [{}] needs {}", def.id, def.level, needs)?;
        writeln!(out, "  {}", def.title)?;
        writeln!(out, "  sources: {}", def.sources.join("; "))?;
    }
    out.flush()?;
    Ok(exit_codes::OK)
}

fn stdout(color: ColorChoice) -> anstream::AutoStream<std::io::Stdout> {
    let choice = match color {
        ColorChoice::Auto => anstream::ColorChoice::Auto,
        ColorChoice::Always => anstream::ColorChoice::Always,
        ColorChoice::Never => anstream::ColorChoice::Never,
    };
    anstream::AutoStream::new(std::io::stdout(), choice)
}

fn account(path: Option<&Path>) -> anyhow::Result<AccountSeed> {
    match path {
        Some(path) => Ok(AccountSeed::from_path(path)?),
        None => Ok(AccountSeed::default()),
    }
}

/// The token from `--token`/`SCIM_TOKEN` or the first line of `--token-file`.
fn token(given: Option<String>, file: Option<&Path>) -> anyhow::Result<Option<String>> {
    if let Some(path) = file {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("could not read the token file {}", path.display()))?;
        let token = text.lines().next().unwrap_or("").trim().to_string();
        if token.is_empty() {
            bail!("the token file {} is empty", path.display());
        }
        return Ok(Some(token));
    }
    Ok(given.filter(|t| !t.trim().is_empty()))
}

/// Ctrl-C, or SIGTERM on Unix.
async fn shutdown_signal() {
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(signal) => signal,
                Err(_) => {
                    let _ = tokio::signal::ctrl_c().await;
                    return;
                }
            };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
