//! The command line: what each user types, with environment fallbacks.

use std::path::PathBuf;
use std::time::Duration;

use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use clap::{Args, Parser, Subcommand, ValueEnum};
use scimulate_bridge::{FAULTS, Fault};

pub use crate::target_args::TargetArgs;

const AFTER_HELP: &str = "\
Examples:
  Bridge developer, against the embedded reference bridge:
    scimulate run
  Vendor, certifying a staging endpoint (token kept out of shell history):
    scimulate run --base-url https://scim.staging.example.com/scim/v2 \\
                  --token-file ./token --allow-remote-writes
  Vendor, handing over a certificate and the evidence:
    scimulate run --base-url https://scim.staging.example.com/scim/v2 \\
                  --token-file ./token --allow-remote-writes \\
                  --html certificate.html --har exchanges.har
  CI pipeline (exit code gates the merge; JUnit and JSON for the dashboard):
    SCIM_BASE_URL=http://127.0.0.1:8080/scim/v2 SCIM_TOKEN=… \\
      scimulate run --quiet --junit junit.xml --report-json report.json
    scimulate diff main-report.json report.json   # exit 1 on a regression
  Bridge developer, only the group checks, every verdict shown:
    scimulate run --only okta.groups --only '1password.groups.*' --verbose
  Serve the reference bridge, with a known bug, for another tool:
    scimulate serve --port 8080 --fault duplicate-groups
  Bridge developer, your bridge over scimulate's fake 1Password account:
    scimulate account --port 9000      # point your bridge at BACKEND_URL
    scimulate run --base-url http://127.0.0.1:8080/scim/v2 --token-file ./token \\
                  --backend-url http://127.0.0.1:9000

Exit codes: 0 every MUST check passed (diff: no regression); 1 a MUST check
failed (diff: something regressed); 2 the run could not be made (bad
arguments, unreadable files, unreachable target, a target that stopped
answering mid-run, a report not written).";

/// Plays Okta's SCIM 2.0 provisioning client against a SCIM bridge and
/// judges what happens in the 1Password account behind it.
#[derive(Debug, Parser)]
#[command(name = "scimulate", version, after_help = AFTER_HELP)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// When to colour the output (also honours NO_COLOR).
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
#[expect(
    clippy::large_enum_variant,
    reason = "parsed once per process; boxing would only blur the definition"
)]
pub enum Command {
    /// Run the Okta scenarios and checks against a target (default: the
    /// embedded reference bridge).
    Run(RunArgs),
    /// Serve the reference bridge and its fake 1Password account until
    /// interrupted; prints BASE_URL=, TOKEN= and BACKEND_URL= first.
    Serve(ServeArgs),
    /// Serve only the fake 1Password account, for a bridge of your own to
    /// call, until interrupted; prints BACKEND_URL= first.
    Account(AccountArgs),
    /// List the reference bridge's deliberate faults (--fault NAME).
    Faults,
    /// List the checks with their ids, levels, sources and needs.
    Checks(ChecksArgs),
    /// Play a bulk assignment of N users (and group pushes) at Okta-like
    /// concurrency and measure the target: throughput, latency percentiles
    /// per request kind, errors and 429s.
    Load(LoadArgs),
    /// Delete the users and groups a run left on a target (a run killed
    /// before its own cleanup): those whose names carry the run id.
    Cleanup(CleanupArgs),
    /// Compare two JSON reports (--report-json): regressions, fixes,
    /// changes; exit 1 when NEW fails a check OLD did not.
    Diff(DiffArgs),
}

#[derive(Debug, Args)]
pub struct ChecksArgs {
    /// Print the catalogue as JSON (id, level, title, sources, needs,
    /// hint, scenarios, requires).
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct LoadArgs {
    /// How many users to assign (1 to 1,000,000).
    #[arg(long, default_value_t = 1000)]
    pub users: usize,
    /// How many users are assigned at once (1 to 64; Okta's own parallelism
    /// is unconfirmed, 4 is a bulk assignment's guess).
    #[arg(long, default_value_t = 4)]
    pub concurrency: usize,
    /// How many groups to push after the assignment (at most one per
    /// concurrent worker, each with that worker's users).
    #[arg(long, default_value_t = 0)]
    pub groups: usize,
    #[command(flatten)]
    pub target: TargetArgs,
    /// Allow the writes on a target off this machine (a host not on
    /// loopback, or one reached through a proxy that is not).
    #[arg(long)]
    pub allow_remote_writes: bool,
    /// E-mail domain of the test users.
    #[arg(long, value_name = "DOMAIN")]
    pub email_domain: Option<String>,
    /// Leave the test users and groups on an external target.
    #[arg(long)]
    pub keep_test_data: bool,
    /// Longest silence in one exchange (Okta: 60 s without data); the whole
    /// exchange is capped at 1.2 times this.
    #[arg(long, value_name = "DURATION", default_value = "60s", value_parser = duration)]
    pub timeout: Duration,
    /// Bound of the whole load: workers stop between two users past it.
    #[arg(long, value_name = "DURATION", default_value = "10m", value_parser = duration)]
    pub deadline: Duration,
    /// Take the target for dead after N exchanges in a row without a
    /// complete answer (timed out, or broken off mid-answer): what is
    /// left is not played, exit 2.
    #[arg(long, value_name = "N", env = "SCIMULATE_MAX_DEAD_EXCHANGES", default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub max_dead_exchanges: u32,
}

#[derive(Debug, Args)]
pub struct CleanupArgs {
    /// The run's id, as printed at the top of its results (e.g. r5713e4).
    #[arg(long, value_name = "ID")]
    pub run_id: String,
    /// The target the run was pointed at (`--base-url` is required here).
    #[command(flatten)]
    pub target: TargetArgs,
    /// Allow the deletes on a target off this machine (a host not on
    /// loopback, or one reached through a proxy that is not).
    #[arg(long)]
    pub allow_remote_writes: bool,
    /// Longest silence in one exchange (Okta: 60 s without data); the whole
    /// exchange is capped at 1.2 times this.
    #[arg(long, value_name = "DURATION", default_value = "60s", value_parser = duration)]
    pub timeout: Duration,
    /// Bound of the whole cleanup: past it, what is left is said with the
    /// command that finishes it (exit 1).
    #[arg(long, value_name = "DURATION", default_value = "30m", value_parser = duration)]
    pub deadline: Duration,
    /// Take the target for dead after N exchanges in a row without a
    /// complete answer (timed out, or broken off mid-answer): what is
    /// left is not played, exit 2.
    #[arg(long, value_name = "N", env = "SCIMULATE_MAX_DEAD_EXCHANGES", default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub max_dead_exchanges: u32,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The earlier report (e.g. from the main branch).
    #[arg(value_name = "OLD.json")]
    pub old: PathBuf,
    /// The later report (e.g. from this change).
    #[arg(value_name = "NEW.json")]
    pub new: PathBuf,
}

#[derive(Debug, Args)]
pub struct RunArgs {
    #[command(flatten)]
    pub target: TargetArgs,
    /// Make the embedded bridge misbehave (repeatable; see `scimulate faults`).
    #[arg(long = "fault", value_name = "NAME", conflicts_with = "base_url", value_parser = fault_parser())]
    pub faults: Vec<Fault>,
    /// Seed the embedded bridge's account from this file (see
    /// fixtures/accounts/).
    #[arg(long, value_name = "FILE", conflicts_with = "base_url")]
    pub account: Option<PathBuf>,
    /// E-mail domain of the test users the run creates (default: the
    /// account's first allowed domain when embedded, else example.com).
    #[arg(long, value_name = "DOMAIN")]
    pub email_domain: Option<String>,
    /// Allow writes (test users are created) to a target off this machine
    /// (a host not on loopback, or one reached through a proxy that is not:
    /// HTTP_PROXY, HTTPS_PROXY, ALL_PROXY, NO_PROXY are read as the HTTP
    /// client reads them).
    #[arg(long)]
    pub allow_remote_writes: bool,
    /// Send only requests that read (GET): judge discovery, Okta's
    /// connection test, authentication and the error answers of reads; no
    /// consent needed for a target off loopback.
    #[arg(long)]
    pub read_only: bool,
    /// Leave the users and groups the run creates on an external target
    /// (default: deleted at the end, also after a failure or Ctrl-C).
    #[arg(long)]
    pub keep_test_data: bool,
    /// The run's id (`r` and six hex digits; default: random), carried by
    /// every test user and group: fix it to compare two runs' records.
    #[arg(long, value_name = "RUN_ID", env = "SCIMULATE_RUN_ID")]
    pub run_id: Option<String>,
    /// Accepted failures: a TOML file of [[waiver]] id, reason, optional
    /// scenario and expires (see README).
    #[arg(long, value_name = "FILE", env = "SCIMULATE_WAIVERS")]
    pub waivers: Option<PathBuf>,
    /// Also play the scenarios in DIR (scenario files, or accounts/,
    /// orgs/ and scenarios/ folders; same names replace built-in ones).
    #[arg(long, value_name = "DIR")]
    pub scenarios: Option<PathBuf>,
    /// Okta client dialects to play: oin (catalogue apps such as
    /// 1Password's), aiw (custom apps), or all.
    #[arg(long, value_enum, default_value_t = DialectChoice::Oin)]
    pub dialect: DialectChoice,
    /// How OIN apps send profile updates: put (GET then PUT, Okta's
    /// reference) or patch (the app's "Support PATCH for User" setting);
    /// default: each scenario's app setting (put). AIW apps always PUT.
    #[arg(long, value_enum, value_name = "HOW")]
    pub user_update: Option<UserUpdateChoice>,
    /// Which rules to judge: 1password (RFC, Okta and 1Password's
    /// semantics) or scim (RFC and Okta only, for any SCIM server).
    #[arg(long, value_enum, default_value_t = ProfileChoice::OnePassword)]
    pub profile: ProfileChoice,
    /// Judge only the checks matching GLOB (repeatable): an id, an id
    /// prefix (okta.groups), a glob (1password.*) or <scenario>::<id>.
    /// Scenarios none of whose checks are selected are not played.
    #[arg(long, value_name = "GLOB")]
    pub only: Vec<String>,
    /// Leave out the checks matching GLOB (repeatable; wins over --only).
    #[arg(long, value_name = "GLOB")]
    pub skip: Vec<String>,
    /// Write the JSON report (schema: reports/report.schema.json).
    #[arg(long, value_name = "PATH")]
    pub report_json: Option<PathBuf>,
    /// Write JUnit XML: a testsuite per capability, a testcase per check.
    #[arg(long, value_name = "PATH")]
    pub junit: Option<PathBuf>,
    /// Write the HTML certificate: one self-contained file to hand over.
    #[arg(long, value_name = "PATH")]
    pub html: Option<PathBuf>,
    /// Write every exchange as HAR 1.2 (open it in a browser's devtools).
    #[arg(long, value_name = "PATH")]
    pub har: Option<PathBuf>,
    /// Longest silence in one exchange (Okta: 60 s without data); the whole
    /// exchange is capped at 1.2 times this (72 s by default).
    #[arg(long, value_name = "DURATION", default_value = "60s", value_parser = duration)]
    pub timeout: Duration,
    /// Bound of the whole run: past it no further scenario is played, the
    /// results so far are printed and written, and the exit code is 2.
    #[arg(long, value_name = "DURATION", default_value = "30m", value_parser = duration)]
    pub deadline: Duration,
    /// Longest total wait for a target's 429s in one step before Okta's task
    /// fails as rate-limited (Okta's own waits add up to hours).
    #[arg(long, value_name = "DURATION", default_value = "15m", value_parser = duration)]
    pub max_wait: Duration,
    /// Take the target for dead after N exchanges in a row without a
    /// complete answer (timed out, or broken off mid-answer): the
    /// scenarios left are skipped, reports are written, exit 2.
    #[arg(long, value_name = "N", env = "SCIMULATE_MAX_DEAD_EXCHANGES", default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub max_dead_exchanges: u32,
    /// Largest answer body read, in MiB; a larger one ends its exchange with
    /// an error.
    #[arg(long, value_name = "MIB", default_value_t = 8, value_parser = clap::value_parser!(u32).range(1..=1024))]
    pub max_body_mib: u32,
    /// Scenarios played at once on the embedded reference bridge (each has
    /// a bridge and an account of its own; results keep their order).
    /// Default: one a core. On an external target they are played one
    /// after another whatever this says: they share its account.
    #[arg(long, value_name = "N", env = "SCIMULATE_JOBS", value_parser = clap::value_parser!(u16).range(1..=scimulate_suites::MAX_JOBS as i64))]
    pub jobs: Option<u16>,
    /// Print only the failures' ids, the totals and the verdict.
    #[arg(short, long, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Print every check's verdict, and each skip's reason.
    #[arg(short, long)]
    pub verbose: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ProfileChoice {
    #[value(name = "1password")]
    OnePassword,
    Scim,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum UserUpdateChoice {
    Put,
    Patch,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DialectChoice {
    Oin,
    Aiw,
    All,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Port of the SCIM bridge on 127.0.0.1 (0: any free port).
    #[arg(long, default_value_t = 0)]
    pub port: u16,
    /// Port of the fake account's API on 127.0.0.1 (0: any free port).
    #[arg(long, default_value_t = 0)]
    pub backend_port: u16,
    /// The bearer token clients must send (default: a new random one).
    #[arg(long, env = "SCIMULATE_SERVE_TOKEN", hide_env_values = true)]
    pub token: Option<String>,
    /// Misbehave on purpose (repeatable; see `scimulate faults`).
    #[arg(long = "fault", value_name = "NAME", value_parser = fault_parser())]
    pub faults: Vec<Fault>,
    /// Seed the account from this file (see fixtures/accounts/).
    #[arg(long, value_name = "FILE")]
    pub account: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct AccountArgs {
    /// Port of the fake account's API on 127.0.0.1 (0: any free port).
    #[arg(long, default_value_t = 0)]
    pub port: u16,
    /// Start the account from this file (see fixtures/accounts/); runs
    /// with --backend-url put it back to this after each run.
    #[arg(long, value_name = "FILE")]
    pub account: Option<PathBuf>,
}

/// `90s`, `15m`, `1h 30m` (humantime), more than zero.
fn duration(text: &str) -> Result<Duration, String> {
    match humantime::parse_duration(text) {
        Ok(d) if d.is_zero() => Err("must be more than zero".into()),
        // Beyond a week a bound bounds nothing (and a far one would
        // overflow the clock).
        Ok(d) if d > Duration::from_secs(7 * 24 * 3600) => Err("must be at most a week".into()),
        Ok(d) => Ok(d),
        Err(e) => Err(format!("{e} (expected e.g. 90s, 15m, 1h)")),
    }
}

/// `--fault NAME`: the names, with their docs in `--help`, come from the
/// bridge's fault catalogue.
fn fault_parser() -> impl TypedValueParser<Value = Fault> {
    PossibleValuesParser::new(
        FAULTS
            .iter()
            .map(|fault| PossibleValue::new(fault.name).help(fault.doc)),
    )
    .try_map(|name| name.parse::<Fault>())
}

/// Parses `args` (after the program name) as the binary would, but blind
/// to the environment: a developer's exported `SCIM_BASE_URL` must not
/// change what a unit test resolves.
#[cfg(test)]
pub(crate) fn parse_without_env(args: &[&str]) -> Result<Cli, clap::Error> {
    use clap::{CommandFactory, FromArgMatches};
    fn blind(command: clap::Command) -> clap::Command {
        command
            .mut_args(|arg| arg.env(None::<&'static str>))
            .mut_subcommands(blind)
    }
    let matches = blind(Cli::command())
        .try_get_matches_from(std::iter::once("scimulate").chain(args.iter().copied()))?;
    Cli::from_arg_matches(&matches)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn unknown_fault_is_a_usage_error() {
        let error = Cli::try_parse_from(["scimulate", "run", "--fault", "asign"]).unwrap_err();
        let text = error.to_string();
        assert!(text.contains("asign"), "{text}");
        assert!(text.contains("invite-existing-member"), "{text}");
        let help = Cli::try_parse_from(["scimulate", "serve", "--help"])
            .unwrap_err()
            .to_string();
        for fault in FAULTS {
            assert!(
                help.contains(fault.name) && help.contains(fault.doc),
                "{}",
                fault.name
            );
        }
    }

    #[test]
    fn fault_and_base_url_conflict() {
        let result = Cli::try_parse_from([
            "scimulate",
            "run",
            "--base-url",
            "http://127.0.0.1:1",
            "--fault",
            "duplicate-groups",
        ]);
        assert!(result.is_err());
    }
}
