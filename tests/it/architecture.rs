//! House rule (STYLE.md §3): no module imports another that imports it back,
//! directly or through others, anywhere in the workspace.
//!
//! The test reads every crate's sources from its roots (`src/lib.rs`,
//! `src/main.rs`, `src/bin/*.rs`), following `mod` declarations the way rustc
//! does, and maps each reference to a module: `use` trees, and `crate::…`,
//! `super::…`, `self::…` and child-module paths in code. A name is followed
//! through the `use`s of the module it is reached by (a `mod.rs` that
//! re-exports a sibling's type is a facade, not a dependency), and ends at
//! the module that defines it. `#[cfg(test)]` items (and `mod tests` files)
//! are left out: tests may reach anywhere. Every strongly connected set of
//! two or more modules is a failure, printed as its shortest circle with the
//! line that makes each step.

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

#[test]
fn no_module_imports_one_that_imports_it_back() {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut unexpected = Vec::new();
    let mut known_seen = BTreeSet::new();
    let mut modules = 0;
    for krate in workspace_crates(workspace) {
        let crate_graph = modules::read_crate(&krate.name, &krate.roots, &|path: &Path| {
            std::fs::read_to_string(workspace.join(path)).ok()
        });
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
    let gone: Vec<_> = (0..KNOWN.len())
        .filter(|index| !known_seen.contains(index))
        .map(|index| format!("{:?}", KNOWN[index]))
        .collect();
    assert!(
        unexpected.is_empty() && gone.is_empty(),
        "{} import circle(s): move the shared name to the module it belongs to, so that the \
         dependency goes one way\n\n{}\n{}",
        unexpected.len(),
        unexpected.join("\n"),
        if gone.is_empty() {
            String::new()
        } else {
            format!(
                "circles listed in KNOWN are gone, remove them: {}",
                gone.join(", ")
            )
        },
    );
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
    let crate_graph = modules::read_crate("demo", &["src/lib.rs".into()], &read);
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
    let crate_graph = modules::read_crate("demo", &["src/lib.rs".into()], &acyclic);
    assert!(crate_graph.circles().is_empty());
}

/// `name` the crate's folder (`.` is the root package, named `scimulate`).
struct Crate {
    name: String,
    roots: Vec<std::path::PathBuf>,
}

/// Every folder with a Cargo.toml and a `src/`: the root package and the
/// crates at most two levels below it (`examples/bridge-tests`).
fn workspace_crates(workspace: &Path) -> Vec<Crate> {
    let mut folders = vec![std::path::PathBuf::new()];
    let mut crates = Vec::new();
    while let Some(folder) = folders.pop() {
        let absolute = workspace.join(&folder);
        if absolute.join("Cargo.toml").is_file() && absolute.join("src").is_dir() {
            let mut roots: Vec<_> = ["src/lib.rs", "src/main.rs"]
                .iter()
                .map(|root| folder.join(root))
                .filter(|root| workspace.join(root).is_file())
                .collect();
            if let Ok(bins) = std::fs::read_dir(absolute.join("src/bin")) {
                roots.extend(
                    bins.flatten()
                        .map(|bin| folder.join("src/bin").join(bin.file_name())),
                );
            }
            let name = folder.to_string_lossy().into_owned();
            crates.push(Crate {
                name: if name.is_empty() {
                    "scimulate".into()
                } else {
                    name
                },
                roots,
            });
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
