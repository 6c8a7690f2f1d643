//! Every account seed in `fixtures/accounts/` loads and serves.

use scimulate_backend::{AccountSeed, Backend, BackendOptions, MemberKind, MemberState};

use crate::{accounts_dir, fixture};

#[tokio::test]
async fn every_account_fixture_loads_and_starts() {
    let mut names = Vec::new();
    for entry in std::fs::read_dir(accounts_dir()).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("toml") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            text.starts_with('#'),
            "{} must open with a comment saying what it is for",
            path.display()
        );
        let seed = AccountSeed::from_path(&path).unwrap_or_else(|e| panic!("{e}"));
        let backend = Backend::start(seed.clone(), BackendOptions::deterministic()).await;
        let snapshot = backend.snapshot();
        assert_eq!(snapshot.members.len(), seed.members().len());
        assert_eq!(snapshot.groups.len(), 5 + seed.groups().len());
        assert!(backend.effects().is_empty(), "seeding logs nothing");
        names.push(path.file_name().unwrap().to_string_lossy().into_owned());
    }
    names.sort();
    assert_eq!(names, ["acme.toml", "empty.toml", "provisioning-off.toml"]);
}

#[test]
fn empty_is_the_default_seed() {
    assert_eq!(fixture("empty.toml"), AccountSeed::default());
}

#[test]
fn provisioning_off_is_off() {
    assert!(!fixture("provisioning-off.toml").settings().provisioning);
}

#[test]
fn acme_has_one_person_in_each_state() {
    let seed = fixture("acme.toml");
    let people: Vec<_> = seed
        .members()
        .iter()
        .map(|m| (m.email.as_str(), m.state, m.kind, m.groups.clone()))
        .collect();
    assert_eq!(
        people,
        [
            (
                "alice@acme.com",
                MemberState::Active,
                MemberKind::Member,
                vec!["Owners".to_string()]
            ),
            (
                "bob@acme.com",
                MemberState::Active,
                MemberKind::Member,
                vec!["Engineering".to_string()]
            ),
            (
                "gina@acme.com",
                MemberState::Active,
                MemberKind::Guest,
                vec![]
            ),
            (
                "ivan@acme.com",
                MemberState::Invited,
                MemberKind::Member,
                vec![]
            ),
            (
                "sam@acme.com",
                MemberState::Suspended,
                MemberKind::Member,
                vec![]
            ),
        ]
    );
    let groups: Vec<_> = seed
        .groups()
        .iter()
        .map(|g| (g.name.as_str(), g.managed))
        .collect();
    assert_eq!(groups, [("Engineering", false), ("Design", true)]);
    assert_eq!(seed.settings().allowed_domains, ["acme.com", "acme.io"]);
    assert!(seed.members().iter().all(|m| !m.provisioned));
}
