//! House rule (STYLE.md §3): no module imports another that imports it back,
//! directly or through others, anywhere in the workspace.
//!
//! The test reads every crate of every package from its root (`src/lib.rs`,
//! `src/main.rs`, `src/bin/*.rs`, and the integration tests `tests/*.rs`,
//! `tests/*/main.rs`), following `mod` declarations the way rustc does, and
//! maps each reference to a module: `use` trees, and `crate::…`, `super::…`,
//! `self::…` and child-module paths in code. A name is followed through the
//! `use`s of the module it is reached by (a `mod.rs` that re-exports a
//! sibling's type is a facade, not a dependency), and ends at the module that
//! defines it. Unit tests (`#[cfg(test)]` items, `mod tests` files) are left
//! out: they may reach anywhere in their crate. Every strongly connected set of two or more modules is a
//! failure, printed as its shortest circle with the line that makes each step.
//!
//! The same reading counts each production file's lines (tests are exempt)
//! outside `#[cfg(test)]` (STYLE.md §3: split by concept past ~450): a longer
//! file says why at its top (`//! Long because …`).

mod graph;
mod lex;
mod modules;

use std::collections::BTreeSet;
use std::path::Path;

use graph::Circle;

/// Circles that another change in flight removes. Each entry names the crate
/// and the modules of the circle; the test fails when one of them is gone too,
/// so that the entry goes with it.
const KNOWN: &[(&str, &[&str])] = &[];

/// Production lines past which a file says why it is long.
const LONG: usize = 450;

/// Long files that another change in flight shortens; the test fails when
/// one of them is short again, so that the entry goes with it.
const KNOWN_LONG: &[&str] = &[];

#[test]
fn no_module_imports_one_that_imports_it_back() {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut unexpected = Vec::new();
    let mut known_seen = BTreeSet::new();
    let mut modules = 0;
    for krate in workspace_crates(workspace) {
        let (crate_graph, _) = read(workspace, &krate);
        modules += crate_graph.module_count();
        for circle in crate_graph.circles() {
            match KNOWN
                .iter()
                .position(|(name, members)| is_known(&krate.name, &circle, name, members))
            {
                Some(index) => {
                    eprintln!("known (being removed elsewhere):\n{circle}");
                    known_seen.insert(index);
                }
                None => unexpected.push(circle.to_string()),
            }
        }
    }
    assert!(
        modules > 100,
        "read only {modules} modules: is the workspace layout still what this test expects?"
    );
    let stale = stale(KNOWN, &known_seen, "KNOWN");
    assert!(
        unexpected.is_empty() && stale.is_empty(),
        "{} import circle(s): move the shared name to the module it belongs to, so that the \
         dependency goes one way\n\n{}\n{stale}",
        unexpected.len(),
        unexpected.join("\n"),
    );
}

#[test]
fn long_production_files_say_why() {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut unexplained = Vec::new();
    let mut known_seen = BTreeSet::new();
    for krate in workspace_crates(workspace)
        .iter()
        .filter(|krate| krate.production)
    {
        for file in read(workspace, krate).1 {
            let name = file.path.to_string_lossy().into_owned();
            let long = file.production_lines > LONG && !file.says_why_long;
            match KNOWN_LONG.iter().position(|known| *known == name) {
                Some(index) if long => {
                    known_seen.insert(index);
                }
                Some(_) => {}
                None if long => {
                    unexplained.push(format!("{name}: {} lines", file.production_lines))
                }
                None => {}
            }
        }
    }
    let stale = stale(KNOWN_LONG, &known_seen, "KNOWN_LONG");
    assert!(
        unexplained.is_empty() && stale.is_empty(),
        "production files over {LONG} lines (outside #[cfg(test)]) must be split by concept or \
         say why at their top (`//! Long because …`):\n{}\n{stale}",
        unexplained.join("\n"),
    );
}

/// The known exceptions nothing matched: the change they waited for has
/// landed, so they go.
fn stale<T: std::fmt::Debug>(known: &[T], seen: &BTreeSet<usize>, list: &str) -> String {
    let stale: Vec<String> = (known.iter().enumerate())
        .filter(|(index, _)| !seen.contains(index))
        .map(|(_, entry)| format!("{entry:?}"))
        .collect();
    if stale.is_empty() {
        String::new()
    } else {
        format!(
            "no longer so, remove them from {list}: {}",
            stale.join(", ")
        )
    }
}

fn read(workspace: &Path, krate: &Crate) -> (graph::Graph, Vec<modules::SourceFile>) {
    modules::read_crate(&krate.name, &krate.roots, &|path: &Path| {
        std::fs::read_to_string(workspace.join(path)).ok()
    })
}

/// The test's own proof: a small crate with a circle through three modules,
/// reached through a facade, is reported with every step.
#[test]
fn a_circle_through_a_facade_is_spelled_out() {
    let files = [
        (
            "src/lib.rs",
            "mod a;\nmod b;\npub mod c;\n#[cfg(test)]\nmod tests;\n",
        ),
        ("src/a.rs", "use crate::b::Bee;\npub struct Ay;\n"),
        ("src/b.rs", "pub struct Bee(super::c::See);\n"),
        ("src/c.rs", "mod inner;\npub use inner::See;\n"),
        ("src/c/inner.rs", "pub struct See(crate::a::Ay);\n"),
        // Test-only code may reach anywhere.
        ("src/tests.rs", "use crate::a::Ay;\n"),
    ];
    let read = |path: &Path| {
        files
            .iter()
            .find(|(name, _)| Path::new(name) == path)
            .map(|(_, text)| text.to_string())
    };
    let (crate_graph, files) = modules::read_crate("demo", &["src/lib.rs".into()], &read);
    let circles: Vec<String> = crate_graph
        .circles()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        circles,
        ["demo: a -> b -> c::inner -> a\n  \
          a -> b  (src/a.rs:1: use crate::b::Bee)\n  \
          b -> c::inner  (src/b.rs:1: super::c::See)\n  \
          c::inner -> a  (src/c/inner.rs:1: crate::a::Ay)\n"],
    );
    // The same crate without the back edge has none.
    let acyclic = |path: &Path| {
        if path == Path::new("src/c/inner.rs") {
            Some("pub struct See;\n".to_string())
        } else {
            read(path)
        }
    };
    let (crate_graph, _) = modules::read_crate("demo", &["src/lib.rs".into()], &acyclic);
    assert!(crate_graph.circles().is_empty());
    // `#[cfg(test)]` lines do not count; `src/tests.rs` is not production.
    let lines: Vec<(String, usize)> = files
        .iter()
        .map(|file| {
            (
                file.path.to_string_lossy().into_owned(),
                file.production_lines,
            )
        })
        .collect();
    assert!(lines.contains(&("src/lib.rs".to_string(), 3)), "{lines:?}");
    assert!(!lines.iter().any(|(path, _)| path == "src/tests.rs"));
}

/// One crate target: its name (`suites`, `suites (test it)`), its root file
/// and whether it is production code (test targets may be long).
struct Crate {
    name: String,
    roots: Vec<std::path::PathBuf>,
    production: bool,
}

/// Every target of every package: the folders with a Cargo.toml and a
/// `src/` (the root package and those at most two levels below it, such as
/// `examples/bridge-tests`); in each, the library, the binaries and the
/// integration tests, each a crate of its own.
fn workspace_crates(workspace: &Path) -> Vec<Crate> {
    let mut folders = vec![std::path::PathBuf::new()];
    let mut crates = Vec::new();
    while let Some(folder) = folders.pop() {
        let absolute = workspace.join(&folder);
        if absolute.join("Cargo.toml").is_file() && absolute.join("src").is_dir() {
            let package = match folder.to_string_lossy().into_owned() {
                name if name.is_empty() => "scimulate".to_string(),
                name => name,
            };
            let mut targets = vec![
                (package.clone(), folder.join("src/lib.rs"), true),
                (format!("{package} (bin)"), folder.join("src/main.rs"), true),
            ];
            for (kind, dir, production) in [("bin", "src/bin", true), ("test", "tests", false)] {
                for entry in std::fs::read_dir(absolute.join(dir))
                    .into_iter()
                    .flatten()
                    .flatten()
                {
                    let path = folder.join(dir).join(entry.file_name());
                    let root = if entry.path().is_dir() {
                        path.join("main.rs")
                    } else {
                        path
                    };
                    let name = entry
                        .file_name()
                        .to_string_lossy()
                        .trim_end_matches(".rs")
                        .to_string();
                    targets.push((format!("{package} ({kind} {name})"), root, production));
                }
            }
            for (name, root, production) in targets {
                if workspace.join(&root).is_file() && root.extension().is_some_and(|e| e == "rs") {
                    crates.push(Crate {
                        name,
                        roots: vec![root],
                        production,
                    });
                }
            }
        }
        if folder.components().count() < 2
            && let Ok(entries) = std::fs::read_dir(&absolute)
        {
            for entry in entries.flatten() {
                let file_name = entry.file_name();
                let skip = file_name.to_string_lossy().starts_with('.')
                    || ["target", "src", "tests", "fixtures"]
                        .contains(&&*file_name.to_string_lossy());
                if !skip && entry.path().is_dir() {
                    folders.push(folder.join(file_name));
                }
            }
        }
    }
    crates.sort_by(|a, b| a.name.cmp(&b.name));
    crates
}

fn is_known(krate: &str, circle: &Circle, name: &str, members: &[&str]) -> bool {
    krate == name
        && circle
            .members()
            .iter()
            .map(String::as_str)
            .eq(members.iter().copied())
}
