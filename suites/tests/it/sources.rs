//! Every check's sources can be opened by whoever reads a report: each one
//! starts with a repository file that exists (and, with `#anchor`, a heading
//! or `id` that exists in it) or an https URL, followed by what it says.
//! And no file cites the research notes outside the repository any more.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use scimulate_suites::checks::catalogue;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the workspace root")
        .to_path_buf()
}

/// GitHub's anchor for a heading: lower case, punctuation dropped, spaces
/// as hyphens.
fn slug(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_'))
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

/// The anchors a Markdown file offers: its headings and explicit ids.
fn anchors(text: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for line in text.lines() {
        if let Some(heading) = line.strip_prefix('#') {
            found.insert(slug(heading.trim_start_matches('#')));
        }
        let mut rest = line;
        while let Some(at) = rest.find("id=\"") {
            rest = &rest[at + 4..];
            if let Some(end) = rest.find('"') {
                found.insert(rest[..end].to_string());
            }
        }
    }
    found
}

/// Why `location` cannot be opened, if it cannot.
fn unreachable(location: &str) -> Option<String> {
    if location.starts_with("https://") {
        return match url::Url::parse(location) {
            Ok(url) if url.host_str().is_some_and(|h| h.contains('.')) => None,
            _ => Some("not a valid https URL".into()),
        };
    }
    let (file, anchor) = match location.split_once('#') {
        Some((file, anchor)) => (file, Some(anchor)),
        None => (location, None),
    };
    let path = root().join(file);
    if file.is_empty() || file.starts_with('/') || file.contains("..") || !path.is_file() {
        return Some(format!(
            "neither an https URL nor a file of this repository ({file:?})"
        ));
    }
    let anchor = anchor?;
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    (!anchors(&text).contains(anchor)).then(|| format!("{file} has no heading #{anchor}"))
}

#[test]
fn every_check_source_is_a_repository_file_or_an_https_url() {
    let mut problems = Vec::new();
    for check in catalogue() {
        for source in check.def.sources {
            let location = source.split_whitespace().next().unwrap_or_default();
            let location = location.trim_end_matches([',', ';', ':']);
            if let Some(why) = unreachable(location) {
                problems.push(format!("{}: {source:?}: {why}", check.def.id));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_wire_documents_link_only_to_their_own_headings() {
    for doc in ["docs/okta-wire.md", "docs/1password.md"] {
        let text = std::fs::read_to_string(root().join(doc)).expect("the document");
        let offered = anchors(&text);
        for link in text.split("](#").skip(1) {
            let anchor = link.split(')').next().unwrap_or_default();
            assert!(offered.contains(anchor), "{doc}: no heading #{anchor}");
        }
    }
}

#[test]
fn no_file_cites_the_research_notes_outside_the_repository() {
    let mut citing = Vec::new();
    let mut dirs = vec![root()];
    while let Some(dir) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            if path.is_dir() {
                if !matches!(name.as_str(), "target" | ".git" | ".ci" | "node_modules") {
                    dirs.push(path);
                }
                continue;
            }
            if !(name.ends_with(".rs") || name.ends_with(".toml") || name.ends_with(".md")) {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            // Spelt in pieces, so this file does not cite them itself.
            let notes = [
                ["okta-scim", "-wire"].concat(),
                ["1password", "-bridge.md"].concat(),
            ];
            if notes.iter().any(|note| text.contains(note.as_str())) {
                citing.push(path.display().to_string());
            }
        }
    }
    citing.sort();
    assert!(
        citing.is_empty(),
        "cite docs/okta-wire.md or docs/1password.md instead (.ci/rewrite-wire-citations):\n{}",
        citing.join("\n")
    );
}
