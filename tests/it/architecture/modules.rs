//! One crate's modules read from its sources: what each defines, what it
//! imports (`use`) and which paths its code names, outside `#[cfg(test)]`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use super::graph::{Edge, Graph};
use super::lex::{Token, tokens};

/// A module's path below the crate root (`[]` is the root).
pub type ModulePath = Vec<String>;

#[derive(Default)]
struct Module {
    defines: BTreeSet<String>,
    /// `use` leaves: the name they bring in (`None` for a glob) and the path.
    imports: Vec<(Option<String>, Vec<String>)>,
    /// Every path named, `use` leaves included.
    references: Vec<Reference>,
}

struct Reference {
    path: Vec<String>,
    is_use: bool,
    file: PathBuf,
    line: usize,
}

const ITEM_KEYWORDS: &[&str] = &[
    "fn", "struct", "enum", "const", "static", "type", "trait", "union",
];

/// Reads the crate from its root files; `read` gives a file's text by its
/// path relative to the workspace (`None` when missing: rustc would refuse
/// such a crate, so the module is simply empty here).
pub fn read_crate(name: &str, roots: &[PathBuf], read: &dyn Fn(&Path) -> Option<String>) -> Graph {
    let mut modules: BTreeMap<ModulePath, Module> = BTreeMap::new();
    let mut queue: Vec<Queued> = roots
        .iter()
        .map(|root| {
            (
                vec![root.clone()],
                Vec::new(),
                root.parent().unwrap_or(Path::new("")).to_path_buf(),
            )
        })
        .collect();
    while let Some((candidates, module, children_dir)) = queue.pop() {
        // `mod x;` is `x.rs` or `x/mod.rs`, whichever exists.
        let Some((file, text)) = candidates
            .into_iter()
            .find_map(|file| read(&file).map(|text| (file, text)))
        else {
            continue;
        };
        let mut reader = Reader {
            tokens: tokens(&text),
            at: 0,
            file: &file,
            modules: &mut modules,
            queue: &mut queue,
        };
        reader.module_body(module, children_dir);
    }
    let edges = edges(&modules);
    Graph::new(name, modules.into_keys().collect(), edges)
}

struct Reader<'a> {
    tokens: Vec<Token>,
    at: usize,
    file: &'a Path,
    modules: &'a mut BTreeMap<ModulePath, Module>,
    queue: &'a mut Vec<Queued>,
}

/// A module still to read: its candidate files, path and children's folder.
type Queued = (Vec<PathBuf>, ModulePath, PathBuf);

impl Reader<'_> {
    fn text(&self, offset: usize) -> &str {
        self.tokens
            .get(self.at + offset)
            .map_or("", |token| token.text.as_str())
    }

    /// Reads items until the `}` that closes this module (or the file's end).
    fn module_body(&mut self, module: ModulePath, children_dir: PathBuf) {
        self.modules.entry(module.clone()).or_default();
        let mut depth = 0usize;
        let mut test_only = false;
        while self.at < self.tokens.len() {
            let (token, next) = (self.text(0).to_string(), self.text(1).to_string());
            if token == "#" && (next == "[" || next == "!") {
                test_only |= self.attribute_is_cfg_test();
                continue;
            }
            if test_only {
                self.skip_item();
                test_only = false;
                continue;
            }
            match token.as_str() {
                "{" => depth += 1,
                "}" if depth == 0 => {
                    self.at += 1;
                    return;
                }
                "}" => depth -= 1,
                "pub" if next == "(" && self.text(2) == "in" => {
                    while self.at < self.tokens.len() && self.text(0) != ")" {
                        self.at += 1;
                    }
                }
                "mod" if depth == 0 => {
                    let child = [module.clone(), vec![next.clone()]].concat();
                    let child_dir = children_dir.join(&next);
                    self.at += 2;
                    if self.text(0) == "{" {
                        self.at += 1;
                        self.module_body(child, child_dir);
                    } else {
                        let candidates = vec![
                            children_dir.join(format!("{next}.rs")),
                            child_dir.join("mod.rs"),
                        ];
                        self.queue.push((candidates, child, child_dir));
                    }
                    continue;
                }
                "use" if next != "<" => {
                    let line = self.tokens[self.at].line;
                    self.at += 1;
                    let mut leaves = Vec::new();
                    self.use_tree(Vec::new(), &mut leaves);
                    for (name, path) in leaves {
                        self.refer(&module, path.clone(), true, line);
                        self.module(&module).imports.push((name, path));
                    }
                    continue;
                }
                "macro_rules" if depth == 0 && next == "!" => {
                    let name = self.text(2).to_string();
                    self.module(&module).defines.insert(name);
                }
                keyword if depth == 0 && ITEM_KEYWORDS.contains(&keyword) && is_name(&next) => {
                    self.module(&module).defines.insert(next);
                }
                first
                    if is_path_start(first, &next) && !matches!(self.text_before(), "::" | ".") =>
                {
                    let line = self.tokens[self.at].line;
                    let path = self.path();
                    self.refer(&module, path, false, line);
                    continue;
                }
                _ => {}
            }
            self.at += 1;
        }
    }

    fn module(&mut self, module: &ModulePath) -> &mut Module {
        self.modules.entry(module.clone()).or_default()
    }

    fn refer(&mut self, module: &ModulePath, path: Vec<String>, is_use: bool, line: usize) {
        let file = self.file.to_path_buf();
        let reference = Reference {
            path,
            is_use,
            file,
            line,
        };
        self.module(module).references.push(reference);
    }

    fn text_before(&self) -> &str {
        self.at
            .checked_sub(1)
            .and_then(|at| self.tokens.get(at))
            .map_or("", |token| token.text.as_str())
    }

    /// Consumes `#[…]` or `#![…]`; true for exactly `#[cfg(test)]`.
    fn attribute_is_cfg_test(&mut self) -> bool {
        let start = self.at;
        self.at += if self.text(1) == "!" { 2 } else { 1 };
        self.skip_group();
        let texts: Vec<&str> = self.tokens[start..self.at]
            .iter()
            .map(|t| t.text.as_str())
            .collect();
        texts == ["#", "[", "cfg", "(", "test", ")", "]"]
    }

    /// Consumes a bracketed group starting at the current token.
    fn skip_group(&mut self) {
        let mut depth = 0usize;
        while self.at < self.tokens.len() {
            let token = self.text(0).to_string();
            self.at += 1;
            match token.as_str() {
                "{" | "(" | "[" => depth += 1,
                "}" | ")" | "]" => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        return;
                    }
                }
                _ => {}
            }
        }
    }

    /// Consumes one item, field or arm: up to a `;` or `,` at its own level,
    /// or through its first `{…}`; stops before a closer that is not its own.
    fn skip_item(&mut self) {
        let mut depth = 0usize;
        while self.at < self.tokens.len() {
            match self.text(0) {
                "{" | "(" | "[" => depth += 1,
                "}" | ")" | "]" if depth == 0 => return,
                "}" if depth == 1 => {
                    self.at += 1;
                    return;
                }
                "}" | ")" | "]" => depth -= 1,
                ";" | "," if depth == 0 => {
                    self.at += 1;
                    return;
                }
                _ => {}
            }
            self.at += 1;
        }
    }

    /// A path in code: `a::b::c` (stops before `::<` or `::{`).
    fn path(&mut self) -> Vec<String> {
        let mut path = Vec::new();
        loop {
            if self.text(0) == "$" {
                self.at += 1;
            }
            path.push(self.text(0).to_string());
            self.at += 1;
            if self.text(0) == "::" && is_name(self.text(1)) {
                self.at += 1;
            } else {
                return path;
            }
        }
    }

    /// One `use` tree: leaves as (name brought in or `None` for a glob, path).
    fn use_tree(
        &mut self,
        mut prefix: Vec<String>,
        leaves: &mut Vec<(Option<String>, Vec<String>)>,
    ) {
        while self.at < self.tokens.len() {
            match self.text(0) {
                "::" | "$" => self.at += 1,
                "*" => {
                    self.at += 1;
                    leaves.push((None, prefix));
                    return;
                }
                "{" => {
                    self.at += 1;
                    while self.at < self.tokens.len() && self.text(0) != "}" {
                        let before = self.at;
                        self.use_tree(prefix.clone(), leaves);
                        if self.text(0) == "," || self.at == before {
                            self.at += 1;
                        }
                    }
                    self.at += 1;
                    return;
                }
                name if is_name(name) || ["crate", "super", "self"].contains(&name) => {
                    prefix.push(name.to_string());
                    self.at += 1;
                    if self.text(0) == "::" {
                        continue;
                    }
                    let mut brought = prefix.last().cloned();
                    if self.text(0) == "as" {
                        brought = Some(self.text(1).to_string());
                        self.at += 2;
                    }
                    if prefix.last().is_some_and(|last| last == "self") {
                        prefix.pop();
                        if brought.as_deref() == Some("self") {
                            brought = prefix.last().cloned();
                        }
                    }
                    leaves.push((brought, prefix));
                    return;
                }
                _ => return,
            }
        }
    }
}

fn is_name(text: &str) -> bool {
    text.chars()
        .next()
        .is_some_and(|c| c == '_' || c.is_alphabetic())
        && !["self", "super", "crate", "_"].contains(&text)
}

fn is_path_start(first: &str, next: &str) -> bool {
    next == "::" && (is_name(first) || ["crate", "super", "self"].contains(&first))
}

/// `path` as named in `module`, made absolute; `None` when it leaves the
/// crate (another crate, std, a local variable's type).
fn absolute(
    modules: &BTreeMap<ModulePath, Module>,
    module: &[String],
    path: &[String],
    depth: usize,
) -> Option<Vec<String>> {
    let (first, rest) = path.split_first()?;
    match first.as_str() {
        "crate" => Some(rest.to_vec()),
        "self" => Some([module, rest].concat()),
        "super" => {
            let parent = module.split_last()?.1;
            absolute(
                modules,
                parent,
                &[&["self".to_string()], rest].concat(),
                depth,
            )
        }
        _ if modules.contains_key(&[module, std::slice::from_ref(first)].concat()) => {
            Some([module, path].concat())
        }
        _ if depth < 8 => {
            let (_, imported) = modules.get(module)?.imports.iter().find(|(name, target)| {
                name.as_ref() == Some(first) && target.as_slice() != [first.clone()]
            })?;
            let target = absolute(modules, module, imported, depth + 1)?;
            Some([target.as_slice(), rest].concat())
        }
        _ => None,
    }
}

/// The module that defines what `path` (absolute) names, following `use`s.
/// Strict: only where a definition or import of the name was found.
fn owner(
    modules: &BTreeMap<ModulePath, Module>,
    path: &[String],
    strict: bool,
    depth: usize,
) -> Option<ModulePath> {
    let split = (0..=path.len())
        .rev()
        .find(|&len| modules.contains_key(&path[..len]))?;
    let (module, rest) = path.split_at(split);
    let Some(name) = rest.first() else {
        return Some(module.to_vec());
    };
    let entry = &modules[module];
    if entry.defines.contains(name) || depth > 16 {
        return Some(module.to_vec());
    }
    if let Some((_, imported)) = entry
        .imports
        .iter()
        .find(|(brought, _)| brought.as_ref() == Some(name))
    {
        let target = absolute(modules, module, imported, 0)?;
        return owner(
            modules,
            &[target.as_slice(), &rest[1..]].concat(),
            strict,
            depth + 1,
        );
    }
    let from_glob = entry
        .imports
        .iter()
        .filter(|(brought, _)| brought.is_none())
        .find_map(|(_, glob)| {
            let target = absolute(modules, module, glob, 0)?;
            owner(
                modules,
                &[target.as_slice(), rest].concat(),
                true,
                depth + 1,
            )
        });
    from_glob.or_else(|| (!strict).then(|| module.to_vec()))
}

fn edges(modules: &BTreeMap<ModulePath, Module>) -> Vec<Edge> {
    let mut edges = Vec::new();
    for (from, module) in modules {
        for reference in &module.references {
            let Some(path) = absolute(modules, from, &reference.path, 0) else {
                continue;
            };
            // `use a::b;` of a module: the paths through `b::` say what is used.
            if reference.is_use
                && modules.contains_key(&path)
                && !reference_is_glob(module, reference)
            {
                continue;
            }
            if let Some(to) = owner(modules, &path, false, 0).filter(|to| to != from) {
                let text = format!(
                    "{}{}",
                    if reference.is_use { "use " } else { "" },
                    reference.path.join("::")
                );
                edges.push(Edge {
                    from: from.clone(),
                    to,
                    file: reference.file.clone(),
                    line: reference.line,
                    text,
                });
            }
        }
    }
    edges
}

fn reference_is_glob(module: &Module, reference: &Reference) -> bool {
    module
        .imports
        .iter()
        .any(|(name, path)| name.is_none() && *path == reference.path)
}
