//! Run records to render: made once per test binary, deterministic (virtual
//! clocks, seeded ids, a fixed run id and token), so renderings can be
//! snapshotted.

use std::sync::OnceLock;

use scimulate_bridge::{Fault, FaultSet};
use scimulate_suites::{
    Embedded, EmbeddedOptions, RunOptions, RunRecord, Selection, TargetSpec, Waivers, run,
};

/// A waiver for one of the checks the fault turns red, so the record has a
/// waived verdict besides passed and failed ones.
const WAIVERS: &str = r#"
[[waiver]]
id = "okta.users.deactivate.reads-back-inactive"
scenario = "core"
reason = "known since 4.1 (TICKET-123)"
"#;

/// The embedded reference bridge with `--fault delete-instead-of-suspend`
/// and a waiver: passed, failed and waived verdicts, every scenario played.
pub fn faulty_record() -> &'static RunRecord {
    static RECORD: OnceLock<RunRecord> = OnceLock::new();
    RECORD.get_or_init(|| play(faulty_options()))
}

/// The faulty embedded bridge, deterministic, with the waiver.
fn faulty_options() -> RunOptions {
    let mut options = RunOptions::new(TargetSpec::Embedded {
        account: Default::default(),
        faults: [Fault::DeleteInsteadOfSuspend]
            .into_iter()
            .collect::<FaultSet>(),
    });
    options.deterministic = true;
    options.waivers = Waivers::from_toml(WAIVERS, "support.rs").expect("the waiver parses");
    options
}

/// The embedded bridge's token in deterministic runs: no rendering may
/// contain it.
pub const EMBEDDED_TOKEN: &str = "scimulate-embedded-token";

/// A recognizable token for the black-box run: no rendering may contain it.
pub const SECRET: &str = "tok-SECRET-51d0c7-never-print";

/// The same run as [`faulty_record`], narrowed to a few checks (so it plays
/// `core` and `deactivate-suspends` only): small enough to snapshot whole.
pub fn small_record() -> &'static RunRecord {
    static RECORD: OnceLock<RunRecord> = OnceLock::new();
    RECORD.get_or_init(|| {
        let mut options = faulty_options();
        options.selection = Selection::new(
            &[
                "okta.users.create.returns-201".into(),
                "okta.users.deactivate.reads-back-inactive".into(),
                "1password.users.deactivate.suspends-not-deletes".into(),
            ],
            &["unassign-suspends::*".into(), "reactivate::*".into()],
        )
        .expect("the selection is valid");
        play(options)
    })
}

/// The faulty reference bridge judged black-box: a bare SCIM URL and
/// [`SECRET`] as its token, so the checks that need the account are
/// skipped with their reason.
pub fn blackbox_record() -> &'static RunRecord {
    static RECORD: OnceLock<RunRecord> = OnceLock::new();
    RECORD.get_or_init(|| {
        runtime().block_on(async {
            let embedded = Embedded::start(
                Default::default(),
                EmbeddedOptions {
                    faults: [Fault::DeleteInsteadOfSuspend]
                        .into_iter()
                        .collect::<FaultSet>(),
                    deterministic: true,
                    token: Some(scimulate_simulator::Token::new(SECRET)),
                    ..EmbeddedOptions::default()
                },
            )
            .await
            .expect("the reference bridge starts");
            let mut options = RunOptions::new(TargetSpec::External {
                target: embedded.target().clone(),
                backend_url: None,
            });
            options.deterministic = true;
            run(options).await.expect("the run can be made")
        })
    })
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime starts")
}

/// Every record, named, for the checks that hold for all of them.
pub fn every_record() -> [(&'static str, &'static RunRecord); 3] {
    [
        ("faulty", faulty_record()),
        ("small", small_record()),
        ("blackbox", blackbox_record()),
    ]
}

/// Plays `options` on a runtime of its own (tests call this from sync code).
pub fn play(options: RunOptions) -> RunRecord {
    runtime()
        .block_on(run(options))
        .expect("the run can be made")
}
