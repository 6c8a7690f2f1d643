//! Checks: discovery (being written).

use scimulate_bridge::Fault;

use crate::checks::Check;

pub const CHECKS: &[Check] = &[];

/// The faults that must turn these checks red.
pub const FAULTS: &[(Fault, &[&str])] = &[];

/// Checks here no fault of the reference bridge can turn red, and why.
pub const NOT_FAULT_TESTABLE: &[(&str, &str)] = &[];

#[cfg(test)]
mod tmp_dump {
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    #[ignore]
    async fn dump_run() {
        let faults: scimulate_bridge::FaultSet = std::env::var("FAULT")
            .ok()
            .filter(|f| !f.is_empty())
            .map(|f| f.parse::<scimulate_bridge::Fault>().unwrap())
            .into_iter()
            .collect();
        let mut options = crate::RunOptions::new(crate::TargetSpec::Embedded {
            account: Default::default(),
            faults,
        });
        options.deterministic = true;
        let record = crate::run(options).await.unwrap();
        let out = std::env::var("OUT").unwrap_or("/tmp/run.json".into());
        std::fs::write(out, serde_json::to_string_pretty(&record).unwrap()).unwrap();
    }
}
