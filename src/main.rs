//! The `scimulate` command line.

mod cleanup_plan;
mod cli;
mod commands;
mod exit_codes;
mod load_plan;
mod progress;
mod run_plan;
mod target_args;

use std::io::Write;

use clap::Parser;

use cli::{Cli, Command};

fn main() {
    let cli = Cli::parse();
    init_logging();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: could not start the async runtime: {error}");
            std::process::exit(exit_codes::RUN_FAILED);
        }
    };
    let color = cli.color;
    let result = runtime.block_on(async move {
        match cli.command {
            Command::Run(args) => commands::run(args, color).await,
            Command::Serve(args) => commands::serve(args).await,
            Command::Faults => commands::faults(color),
            Command::Checks(args) => commands::checks(args, color),
            Command::Diff(args) => commands::diff(args, color),
            Command::Cleanup(args) => commands::cleanup(args).await,
            Command::Load(args) => commands::load(args).await,
        }
    });
    // Background tasks (servers) end with the runtime.
    runtime.shutdown_timeout(std::time::Duration::from_secs(2));
    let code = match result {
        Ok(code) => code,
        Err(error) if is_broken_pipe(&error) => exit_codes::OK,
        Err(error) => {
            let _ = writeln!(std::io::stderr(), "error: {error:#}");
            exit_codes::RUN_FAILED
        }
    };
    std::process::exit(code);
}

/// Logs go to stderr, filtered by `RUST_LOG` (default: warnings).
fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr())
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(ansi)
        .with_writer(std::io::stderr)
        .try_init();
}

/// A reader that went away (`scimulate run | head`) is not an error.
fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
