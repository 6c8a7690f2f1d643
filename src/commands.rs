//! What each subcommand does. Errors carry context and become exit code 2
//! in `main`; a failed check is not an error but exit code 1.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, anyhow, bail};
use scimulate_backend::AccountSeed;
use scimulate_bridge::{FAULTS, FaultSet};
use scimulate_reports::terminal::{self, Verbosity};
use scimulate_simulator::Dialect;
use scimulate_suites::checks::catalogue;
use scimulate_suites::{
    Embedded, EmbeddedOptions, Profile, RunOptions, RunRecord, Selection, TargetSpec, Waivers,
};

use crate::cli::{
    ChecksArgs, CleanupArgs, ColorChoice, DialectChoice, DiffArgs, LoadArgs, ProfileChoice,
    RunArgs, ServeArgs,
};
use crate::exit_codes;

/// `scimulate run`.
pub async fn run(args: RunArgs, color: ColorChoice) -> anyhow::Result<i32> {
    // Bad selections and report paths are said before a run that may take
    // minutes, not after it.
    let selection = Selection::new(&args.only, &args.skip)?;
    let reports = Reports::from_args(&args)?;
    let verbosity = match (args.quiet, args.verbose) {
        (true, _) => Verbosity::Quiet,
        (_, true) => Verbosity::Verbose,
        _ => Verbosity::Normal,
    };
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
    options.selection = selection;
    options.keep_test_data = args.keep_test_data;
    options.read_only = args.read_only;
    // Known before the run starts, so Ctrl-C can clean up after it.
    let run_id = scimulate_suites::new_run_id();
    options.run_id = Some(run_id.clone());
    let on_interrupt = match &options.target {
        TargetSpec::External {
            base_url, token, ..
        } if !args.keep_test_data && !args.read_only => Some((base_url.clone(), token.clone())),
        _ => None,
    };
    options.deadline = args.deadline;
    if let Some(jobs) = args.jobs {
        options.jobs = usize::from(jobs);
    }
    options.client.timeout = args.timeout;
    options.client.retry.max_total_wait = args.max_wait;
    options.client.max_body_bytes = args.max_body_mib as usize * 1024 * 1024;
    let bar = (verbosity != Verbosity::Quiet)
        .then(crate::progress::Bar::new)
        .flatten();
    if let Some(bar) = &bar {
        options.progress = Some(Box::new(bar.clone()));
    }
    let client = options.client.clone();
    let record = tokio::select! {
        record = scimulate_suites::run(options) => record,
        _ = tokio::signal::ctrl_c() => {
            if let Some(bar) = &bar {
                bar.finish();
            }
            return interrupted(&run_id, on_interrupt, client).await;
        }
    };
    if let Some(bar) = bar {
        bar.finish();
    }
    let record = record?;
    // Results first: a report that cannot be written must not hide them.
    let mut out = stdout(color);
    write!(
        out,
        "{}",
        terminal::render(
            &record,
            terminal::Options {
                // anstream strips the colour again off a TTY and with NO_COLOR.
                color: true,
                verbosity,
            }
        )
    )?;
    out.flush()?;
    reports.write(&record)?;
    if let Some(reason) = &record.incomplete {
        bail!(
            "the run is incomplete: {reason}; the results it had are above{}",
            if reports.files.is_empty() {
                ""
            } else {
                " and in the reports"
            }
        );
    }
    Ok(if record.passed() {
        exit_codes::OK
    } else {
        exit_codes::CHECK_FAILED
    })
}

/// Ctrl-C during a run: the run is dropped where it was, what it created is
/// removed (bounded), and the exit code says the run could not be made.
async fn interrupted(
    run_id: &str,
    target: Option<(String, String)>,
    client: scimulate_simulator::ClientSettings,
) -> anyhow::Result<i32> {
    let Some((base_url, token)) = target else {
        bail!("interrupted: run {run_id} stopped; nothing to clean up");
    };
    eprintln!("interrupted: removing what run {run_id} created on {base_url} …");
    let cleaned = tokio::time::timeout(
        scimulate_suites::CLEANUP_BOUND,
        scimulate_suites::cleanup(
            &base_url,
            &token,
            run_id,
            client,
            std::sync::Arc::new(scimulate_simulator::SystemClock),
        ),
    )
    .await;
    match cleaned {
        Ok(Ok(cleaned)) => bail!("interrupted; {}", cleaned.summary(run_id)),
        Ok(Err(error)) => bail!("interrupted; cleanup could not start: {error}"),
        Err(_) => bail!(
            "interrupted; cleanup did not finish in time: run `scimulate cleanup --run-id {run_id}`"
        ),
    }
}

/// `scimulate load`: exit 0 when every request succeeded, 1 when the target
/// answered errors, 429s or failed Okta's tasks, 2 when it could not be
/// made.
pub async fn load(args: LoadArgs) -> anyhow::Result<i32> {
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
                backend_url: None,
            }
        }
        None => TargetSpec::Embedded {
            account: AccountSeed::default(),
            faults: FaultSet::none(),
        },
    };
    let mut options = scimulate_suites::LoadOptions::new(target, args.users);
    options.concurrency = args.concurrency;
    options.groups = args.groups;
    options.deadline = args.deadline;
    options.client.timeout = args.timeout;
    options.allow_remote_writes = args.allow_remote_writes;
    options.email_domain = args.email_domain;
    options.keep_test_data = args.keep_test_data;
    let run_id = scimulate_suites::new_run_id();
    options.run_id = Some(run_id.clone());
    let on_interrupt = match &options.target {
        TargetSpec::External {
            base_url, token, ..
        } if !args.keep_test_data => Some((base_url.clone(), token.clone())),
        _ => None,
    };
    let client = options.client.clone();
    let report = tokio::select! {
        report = scimulate_suites::load(options) => report?,
        _ = tokio::signal::ctrl_c() => return interrupted(&run_id, on_interrupt, client).await,
    };
    let mut out = std::io::stdout().lock();
    write!(out, "{}", scimulate_reports::load::render(&report))?;
    out.flush()?;
    if let Some(reason) = &report.incomplete {
        bail!("the load is incomplete: {reason}");
    }
    let troubled = report.failed_actions > 0
        || report
            .kinds
            .iter()
            .any(|k| k.errors > 0 || k.rate_limited > 0);
    Ok(if troubled {
        exit_codes::CHECK_FAILED
    } else {
        exit_codes::OK
    })
}

/// `scimulate cleanup`.
pub async fn cleanup(args: CleanupArgs) -> anyhow::Result<i32> {
    let token = token(args.token, args.token_file.as_deref())?.ok_or_else(|| {
        anyhow!(
            "cleanup needs the bridge's bearer token: give --token-file FILE, SCIM_TOKEN or --token"
        )
    })?;
    if !args.allow_remote_writes && !scimulate_suites::is_loopback(&args.base_url) {
        bail!(
            "{} is not on this machine: cleanup deletes users and groups, so it needs \
             --allow-remote-writes",
            args.base_url
        );
    }
    let settings = scimulate_simulator::ClientSettings {
        timeout: args.timeout,
        ..Default::default()
    };
    let cleaned = scimulate_suites::cleanup(
        &args.base_url,
        &token,
        &args.run_id,
        settings,
        std::sync::Arc::new(scimulate_simulator::SystemClock),
    )
    .await?;
    let mut out = std::io::stdout().lock();
    for removed in &cleaned.removed {
        writeln!(out, "removed {removed:?}")?;
    }
    writeln!(out, "{}", cleaned.summary(&args.run_id))?;
    out.flush()?;
    Ok(if cleaned.problems.is_empty() {
        exit_codes::OK
    } else {
        exit_codes::CHECK_FAILED
    })
}

/// `scimulate serve`.
pub async fn serve(args: ServeArgs) -> anyhow::Result<i32> {
    let account = crate::account::served_seed(args.account.as_deref())?;
    let banner_seed = account.clone();
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
    let banner = crate::account::serve_banner(
        &embedded.base_url(),
        embedded.token(),
        &embedded.backend.url(),
        &banner_seed,
    );
    let mut out = std::io::stdout().lock();
    out.write_all(banner.as_bytes())?;
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

/// The report files a run writes (`--report-json`, `--junit`, `--html`,
/// `--har`).
struct Reports {
    files: Vec<ReportFile>,
}

/// One report file: the flag that asked for it, where, and its renderer.
struct ReportFile {
    flag: &'static str,
    path: PathBuf,
    render: fn(&RunRecord) -> String,
}

impl Reports {
    /// Checks that each file's folder exists before the run starts.
    fn from_args(args: &RunArgs) -> anyhow::Result<Self> {
        let wanted = [
            ReportFile::new(
                "--report-json",
                &args.report_json,
                scimulate_reports::json::render,
            ),
            ReportFile::new("--junit", &args.junit, scimulate_reports::junit::render),
            ReportFile::new("--html", &args.html, scimulate_reports::html::render),
            ReportFile::new("--har", &args.har, scimulate_reports::har::render),
        ];
        let mut files = Vec::new();
        for file in wanted.into_iter().flatten() {
            let (flag, path) = (file.flag, &file.path);
            let folder = match path.parent() {
                Some(folder) if !folder.as_os_str().is_empty() => folder,
                _ => Path::new("."),
            };
            if !folder.is_dir() {
                bail!(
                    "{flag} {}: the folder {} does not exist (create it, or give another path)",
                    path.display(),
                    folder.display()
                );
            }
            if path.is_dir() {
                bail!("{flag} {}: is a folder; give a file name", path.display());
            }
            files.push(file);
        }
        Ok(Reports { files })
    }

    fn write(&self, record: &RunRecord) -> anyhow::Result<()> {
        for file in &self.files {
            std::fs::write(&file.path, (file.render)(record)).with_context(|| {
                format!("{}: could not write {}", file.flag, file.path.display())
            })?;
        }
        Ok(())
    }
}

impl ReportFile {
    /// `None` when the flag was not given.
    fn new(
        flag: &'static str,
        path: &Option<PathBuf>,
        render: fn(&RunRecord) -> String,
    ) -> Option<Self> {
        path.as_ref().map(|path| ReportFile {
            flag,
            path: path.clone(),
            render,
        })
    }
}

/// `scimulate diff OLD NEW`.
pub fn diff(args: DiffArgs, color: ColorChoice) -> anyhow::Result<i32> {
    let old = read_report(&args.old)?;
    let new = read_report(&args.new)?;
    let diff = scimulate_reports::diff::compare(&old, &new);
    let mut out = stdout(color);
    write!(out, "{}", scimulate_reports::diff::render(&diff))?;
    out.flush()?;
    Ok(if diff.regressed() {
        exit_codes::CHECK_FAILED
    } else {
        exit_codes::OK
    })
}

/// A JSON report of this schema version; errors name the file, the JSON
/// path and what is wrong.
fn read_report(path: &Path) -> anyhow::Result<scimulate_reports::json::Report> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("could not read the report {}", path.display()))?;
    let value: serde_json::Value = serde_json::from_str(&text).with_context(|| {
        format!(
            "{}: not JSON (expected a report written by --report-json)",
            path.display()
        )
    })?;
    let version = value.get("schema_version").and_then(|v| v.as_u64());
    if version != Some(u64::from(scimulate_reports::json::SCHEMA_VERSION)) {
        bail!(
            "{}: schema_version {} (expected {}: a report written by --report-json of this \
             scimulate; run both sides with the same version)",
            path.display(),
            version.map_or("missing".to_string(), |v| v.to_string()),
            scimulate_reports::json::SCHEMA_VERSION
        );
    }
    serde_path_to_error::deserialize(value).map_err(|error| {
        anyhow!(
            "{}: at {}: {} (expected a report written by --report-json)",
            path.display(),
            error.path(),
            error.inner()
        )
    })
}

/// `scimulate checks`.
pub fn checks(args: ChecksArgs, color: ColorChoice) -> anyhow::Result<i32> {
    let mut out = stdout(color);
    if args.json {
        let list: Vec<serde_json::Value> = catalogue()
            .iter()
            .map(|check| {
                serde_json::json!({
                    "id": check.def.id,
                    "level": check.def.level,
                    "title": check.def.title,
                    "capability": check.def.capability(),
                    "sources": check.def.sources,
                    "needs": check.def.needs,
                    "hint": check.def.hint,
                    "scenarios": check.scenarios,
                    "requires": check.requires.map(|c| c.describe()),
                })
            })
            .collect();
        writeln!(out, "{}", serde_json::to_string_pretty(&list)?)?;
        out.flush()?;
        return Ok(exit_codes::OK);
    }
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
pub(crate) async fn shutdown_signal() {
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
