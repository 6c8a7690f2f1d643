//! What keeps a large import within its memory budget (BENCHMARKS.md,
//! "Okta's user import at scale") and is not a figure: the transcript keeps
//! each list page as text, and judging reads the pages one at a time
//! without leaving them parsed. Were a check to read pages through the
//! kept value, a 100,000-user import would hold every page parsed again
//! (about 3.5 KB a user instead of 0.5 KB); this test fails first.

use scimulate_suites::{RunOptions, Selection, TargetSpec, run};

#[tokio::test]
async fn judging_an_import_leaves_its_pages_as_text() {
    let mut options = RunOptions::new(TargetSpec::Embedded {
        account: Default::default(),
        faults: Default::default(),
    });
    options.deterministic = true;
    options.selection =
        Selection::new(&["import-users-paged::*".to_string()], &[]).expect("the pattern matches");
    let record = run(options).await.expect("the run can be made");

    assert!(
        !record.results.is_empty(),
        "the import's checks were judged"
    );
    assert!(
        record
            .results
            .iter()
            .all(|r| matches!(r.verdict, scimulate_suites::verdict::Verdict::Passed)),
        "the reference bridge passes the import checks: {:#?}",
        record.results
    );
    let pages: Vec<_> = record
        .scenarios
        .iter()
        .flat_map(|s| &s.transcript)
        .filter(|e| e.step.starts_with("import page"))
        .collect();
    // 250 generated members and the seed's own: three pages of 100.
    assert!(pages.len() >= 3, "{} pages", pages.len());
    for page in pages {
        let body = page
            .response
            .as_ref()
            .and_then(|r| r.body.json_body())
            .unwrap_or_else(|| panic!("{} answered JSON", page.headline()));
        assert!(
            !body.is_kept(),
            "{} was left parsed after judging",
            page.headline()
        );
        assert!(body.text().starts_with('{') && !body.text().contains('\n'));
    }
}
