//! Embeds `fixtures/` (accounts, orgs, scenarios) into the crate, so the
//! binary runs its built-in scenarios with no files beside it. A vendor's
//! own scenarios are read from disk at run time instead.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let manifest = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".into());
    let fixtures = Path::new(&manifest).join("../fixtures");
    println!("cargo:rerun-if-changed={}", fixtures.display());
    let mut code = String::from(
        "/// Built-in fixtures: (kind, name, text).\npub const FIXTURES: &[(&str, &str, &str)] = &[\n",
    );
    for kind in ["accounts", "orgs", "scenarios"] {
        let dir = fixtures.join(kind);
        println!("cargo:rerun-if-changed={}", dir.display());
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut files: Vec<_> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect();
        files.sort();
        for path in files {
            println!("cargo:rerun-if-changed={}", path.display());
            let name = path
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or_default();
            let _ = writeln!(
                code,
                "    ({kind:?}, {name:?}, include_str!({:?})),",
                path.canonicalize()
                    .unwrap_or(path.clone())
                    .display()
                    .to_string()
            );
        }
    }
    code.push_str("];\n");
    let out = std::env::var("OUT_DIR").unwrap_or_else(|_| ".".into());
    if let Err(error) = std::fs::write(Path::new(&out).join("fixtures.rs"), code) {
        println!("cargo:warning=could not write the fixture table: {error}");
    }
}
