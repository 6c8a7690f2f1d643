//! What each subcommand does. Errors carry context and become exit code 2
//! in `main`; a failed check is not an error but exit code 1.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, anyhow, bail};
use scimulate_bridge::{FAULTS, FaultSet};
use scimulate_reports::terminal::{self, Verbosity};
use scimulate_simulator::{Proxies, Target, Token};
use scimulate_suites::checks::catalogue;
use scimulate_suites::{Embedded, EmbeddedOptions, RunRecord, Selection};

use crate::cleanup_plan::CleanupPlan;
use crate::cli::{ChecksArgs, CleanupArgs, ColorChoice, DiffArgs, LoadArgs, RunArgs, ServeArgs};
use crate::exit_codes;
use crate::load_plan::LoadPlan;
use crate::run_plan::{RunPlan, account_seed};

/// `scimulate run`.
pub async fn run(args: RunArgs, color: ColorChoice) -> anyhow::Result<i32> {
    // Bad selections and report paths are said before a run that may take
    // minutes, not after it.
    let selection = Selection::new(&args.only, &args.skip)?;
    let reports = Reports::from_args(&args)?;
    let RunPlan {
        mut options,
        verbosity,
        run_id,
        on_interrupt,
    } = RunPlan::resolve(
        args,
        selection,
        Proxies::from_env(),
        scimulate_suites::new_run_id(),
    )?;
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
            return interrupted(&run_id, on_interrupt.as_ref(), client).await;
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
    target: Option<&Target>,
    client: scimulate_simulator::ClientSettings,
) -> anyhow::Result<i32> {
    let Some(target) = target else {
        bail!("interrupted: run {run_id} stopped; nothing to clean up");
    };
    eprintln!(
        "interrupted: removing what run {run_id} created on {} …",
        target.base_url()
    );
    let cleaned = tokio::time::timeout(
        scimulate_suites::CLEANUP_BOUND,
        scimulate_suites::cleanup(
            target,
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
    let LoadPlan {
        options,
        run_id,
        on_interrupt,
    } = LoadPlan::resolve(args, Proxies::from_env(), scimulate_suites::new_run_id())?;
    let client = options.client.clone();
    let report = tokio::select! {
        report = scimulate_suites::load(options) => report?,
        _ = tokio::signal::ctrl_c() => return interrupted(&run_id, on_interrupt.as_ref(), client).await,
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
    let CleanupPlan {
        target,
        run_id,
        settings,
    } = CleanupPlan::resolve(args, &Proxies::from_env())?;
    let cleaned = scimulate_suites::cleanup(
        &target,
        &run_id,
        settings,
        std::sync::Arc::new(scimulate_simulator::SystemClock),
    )
    .await?;
    let mut out = std::io::stdout().lock();
    for removed in &cleaned.removed {
        writeln!(out, "removed {removed:?}")?;
    }
    writeln!(out, "{}", cleaned.summary(&run_id))?;
    out.flush()?;
    Ok(if cleaned.problems.is_empty() {
        exit_codes::OK
    } else {
        exit_codes::CHECK_FAILED
    })
}

/// `scimulate serve`.
pub async fn serve(args: ServeArgs) -> anyhow::Result<i32> {
    let account = account_seed(args.account.as_deref())?;
    // Held to the same policy as the token a run is given: the run that
    // talks to this bridge must be able to keep it out of its output.
    let token = args
        .token
        .as_deref()
        .map(Token::parse)
        .transpose()
        .context("--token (or SCIMULATE_SERVE_TOKEN)")?;
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
            token,
            bridge_listener: Some(bridge_listener),
            backend_listener: Some(backend_listener),
            ..EmbeddedOptions::default()
        },
    )
    .await
    .context("could not start the reference bridge")?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "BASE_URL={}", embedded.base_url())?;
    writeln!(out, "TOKEN={}", embedded.token().expose())?;
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
