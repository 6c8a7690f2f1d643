//! A crate's module graph and its circles: strongly connected sets of
//! modules (Tarjan), each shown as its shortest circle.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::fmt;
use std::path::PathBuf;

use super::modules::ModulePath;

/// `from` names something `to` defines, at `file:line` (`text`).
pub struct Edge {
    pub from: ModulePath,
    pub to: ModulePath,
    pub file: PathBuf,
    pub line: usize,
    pub text: String,
}

pub struct Graph {
    name: String,
    modules: Vec<ModulePath>,
    /// The first edge seen from each module to each other one.
    edges: BTreeMap<ModulePath, BTreeMap<ModulePath, Edge>>,
}

/// Modules that reach each other: `members` sorted, `steps` one shortest
/// circle through them.
pub struct Circle {
    krate: String,
    members: Vec<String>,
    steps: Vec<Edge>,
}

impl Graph {
    pub fn new(name: &str, modules: Vec<ModulePath>, all_edges: Vec<Edge>) -> Self {
        let mut edges: BTreeMap<ModulePath, BTreeMap<ModulePath, Edge>> = BTreeMap::new();
        for edge in all_edges {
            edges
                .entry(edge.from.clone())
                .or_default()
                .entry(edge.to.clone())
                .or_insert(edge);
        }
        Graph {
            name: name.to_string(),
            modules,
            edges,
        }
    }

    pub fn module_count(&self) -> usize {
        self.modules.len()
    }

    fn next(&self, module: &ModulePath) -> impl Iterator<Item = &ModulePath> {
        self.edges.get(module).into_iter().flat_map(BTreeMap::keys)
    }

    pub fn circles(&self) -> Vec<Circle> {
        self.components()
            .into_iter()
            .filter(|component| component.len() > 1)
            .map(|component| {
                let steps = component
                    .iter()
                    .filter_map(|start| self.shortest_circle(start, &component))
                    .min_by_key(Vec::len)
                    .unwrap_or_default();
                Circle {
                    krate: self.name.clone(),
                    members: component.iter().map(display).collect(),
                    steps,
                }
            })
            .collect()
    }

    /// Strongly connected components (Tarjan), each sorted.
    fn components(&self) -> Vec<BTreeSet<ModulePath>> {
        struct State<'g> {
            index: BTreeMap<&'g ModulePath, (usize, usize)>,
            stack: Vec<&'g ModulePath>,
            on_stack: BTreeSet<&'g ModulePath>,
            found: Vec<BTreeSet<ModulePath>>,
        }
        fn visit<'g>(graph: &'g Graph, module: &'g ModulePath, state: &mut State<'g>) {
            let number = state.index.len();
            state.index.insert(module, (number, number));
            state.stack.push(module);
            state.on_stack.insert(module);
            for next in graph.next(module) {
                if !state.index.contains_key(next) {
                    visit(graph, next, state);
                    let low = state.index[next].1;
                    let entry = state.index.get_mut(module).expect("visited above");
                    entry.1 = entry.1.min(low);
                } else if state.on_stack.contains(next) {
                    let number = state.index[next].0;
                    let entry = state.index.get_mut(module).expect("visited above");
                    entry.1 = entry.1.min(number);
                }
            }
            let (number, low) = state.index[module];
            if number == low {
                let mut component = BTreeSet::new();
                while let Some(member) = state.stack.pop() {
                    state.on_stack.remove(member);
                    component.insert(member.clone());
                    if member == module {
                        break;
                    }
                }
                state.found.push(component);
            }
        }
        let mut state = State {
            index: BTreeMap::new(),
            stack: Vec::new(),
            on_stack: BTreeSet::new(),
            found: Vec::new(),
        };
        for module in &self.modules {
            if !state.index.contains_key(module) {
                visit(self, module, &mut state);
            }
        }
        state.found.sort();
        state.found
    }

    /// Breadth first from `start` back to it, inside `within`.
    fn shortest_circle(
        &self,
        start: &ModulePath,
        within: &BTreeSet<ModulePath>,
    ) -> Option<Vec<Edge>> {
        let mut came_from: BTreeMap<&ModulePath, &ModulePath> = BTreeMap::new();
        let mut queue = VecDeque::from([start]);
        while let Some(module) = queue.pop_front() {
            for next in self.next(module).filter(|next| within.contains(*next)) {
                if next == start {
                    let mut steps = vec![self.edge(module, start)];
                    let mut at = module;
                    while at != start {
                        let before = came_from[at];
                        steps.push(self.edge(before, at));
                        at = before;
                    }
                    steps.reverse();
                    return Some(steps);
                }
                if !came_from.contains_key(next) {
                    came_from.insert(next, module);
                    queue.push_back(next);
                }
            }
        }
        None
    }

    fn edge(&self, from: &ModulePath, to: &ModulePath) -> Edge {
        let edge = &self.edges[from][to];
        Edge {
            from: from.clone(),
            to: to.clone(),
            file: edge.file.clone(),
            line: edge.line,
            text: edge.text.clone(),
        }
    }
}

impl Circle {
    pub fn members(&self) -> &[String] {
        &self.members
    }
}

fn display(module: &ModulePath) -> String {
    if module.is_empty() {
        "crate".into()
    } else {
        module.join("::")
    }
}

impl fmt::Display for Circle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<String> = self.steps.iter().map(|step| display(&step.from)).collect();
        let first = names.first().cloned().unwrap_or_default();
        writeln!(f, "{}: {} -> {first}", self.krate, names.join(" -> "))?;
        for step in &self.steps {
            let (from, to) = (display(&step.from), display(&step.to));
            writeln!(
                f,
                "  {from} -> {to}  ({}:{}: {})",
                step.file.display(),
                step.line,
                step.text
            )?;
        }
        if self.members.len() > self.steps.len() {
            writeln!(f, "  one knot with: {}", self.members.join(", "))?;
        }
        Ok(())
    }
}
