//! The core's modules form a DAG: the graph of `src/` built from the
//! `crate::` (and a top-level module's `super::`) paths in each
//! `src/**/*.rs` has no cycle. A node is a module declared in `src/lib.rs`;
//! a file below `src/x/` belongs to `x`. Comments, string literals and
//! `#[cfg(test)]` code are left out: tests may use the whole crate.
//!
//! Native only: it reads the sources at test time.
#![cfg(not(target_arch = "wasm32"))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Where an edge was seen first: file and line.
type Site = (String, usize);

/// Edges `from -> to`, each with the first place that makes it.
type Graph = BTreeMap<String, BTreeMap<String, Site>>;

/// `source` with comments, string and character literals blanked out
/// (newlines kept, so line numbers stay right).
fn code_only(source: &str) -> String {
    let chars: Vec<char> = source.chars().collect();
    let mut out = String::with_capacity(source.len());
    let blank = |out: &mut String, c: char| out.push(if c == '\n' { '\n' } else { ' ' });
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                blank(&mut out, chars[i]);
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    out.push_str("  ");
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    out.push_str("  ");
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    blank(&mut out, chars[i]);
                    i += 1;
                }
            }
        } else if (c == 'r' || (c == 'b' && next == Some('r')))
            && !chars
                .get(i.wrapping_sub(1))
                .is_some_and(|p| p.is_alphanumeric() || *p == '_')
            && {
                let start = if c == 'b' { i + 2 } else { i + 1 };
                let hashes = chars[start..].iter().take_while(|h| **h == '#').count();
                chars.get(start + hashes) == Some(&'"')
            }
        {
            // A raw string: r"…", r#"…"#, br#"…"#.
            let start = if c == 'b' { i + 2 } else { i + 1 };
            let hashes = chars[start..].iter().take_while(|h| **h == '#').count();
            let close: String = std::iter::once('"')
                .chain(std::iter::repeat_n('#', hashes))
                .collect();
            let body = start + hashes + 1;
            let rest: String = chars[body..].iter().collect();
            let end = rest.find(&close).map_or(chars.len(), |at| {
                body + rest[..at].chars().count() + close.len()
            });
            for &skipped in &chars[i..end] {
                blank(&mut out, skipped);
            }
            i = end;
        } else if c == '"' {
            blank(&mut out, c);
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                let escaped = chars[i] == '\\';
                blank(&mut out, chars[i]);
                i += 1;
                if escaped && i < chars.len() {
                    blank(&mut out, chars[i]);
                    i += 1;
                }
            }
            if i < chars.len() {
                blank(&mut out, chars[i]);
                i += 1;
            }
        } else if c == '\'' {
            // A character literal ('x', '\n', '\u{7f}'), or a lifetime ('a).
            let end = if next == Some('\\') {
                // The escaped character itself may be a quote ('\'').
                chars
                    .get(i + 3..)
                    .and_then(|rest| rest.iter().position(|q| *q == '\''))
                    .map(|at| i + 3 + at + 1)
            } else if chars.get(i + 2) == Some(&'\'') {
                Some(i + 3)
            } else {
                None
            };
            match end {
                Some(end) => {
                    for &skipped in &chars[i..end] {
                        blank(&mut out, skipped);
                    }
                    i = end;
                }
                None => {
                    out.push(c);
                    i += 1;
                }
            }
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// `code` (from [`code_only`]) without the items a `#[cfg(...)]` naming
/// `test` gates: a `mod … { … }` block is blanked to its closing brace.
/// Also returns the names of `mod name;` declarations so gated.
fn without_test_code(code: &str) -> (String, BTreeSet<String>) {
    let mut out: Vec<char> = code.chars().collect();
    let mut gated_files = BTreeSet::new();
    let text: String = out.iter().collect();
    let mut search = 0;
    while let Some(at) = text[search..].find("#[cfg(") {
        let start = search + at;
        let attr_end = start + text[start..].find(']').unwrap_or(0);
        search = attr_end + 1;
        let attr = &text[start..=attr_end];
        let names_test = attr
            .split(|c: char| !(c.is_alphanumeric() || c == '_'))
            .any(|word| word == "test");
        if !names_test || attr.contains("not(test") {
            continue;
        }
        let rest = text[attr_end + 1..].trim_start();
        let Some(item) = rest.strip_prefix("mod ") else {
            continue;
        };
        let name: String = item
            .trim_start()
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        let after_name = item.trim_start()[name.len()..].trim_start();
        if after_name.starts_with(';') {
            gated_files.insert(name);
            continue;
        }
        // Blank from the attribute to the block's closing brace.
        let open = attr_end + 1 + text[attr_end + 1..].find('{').unwrap();
        let mut depth = 0usize;
        let mut end = open;
        for (offset, c) in text[open..].char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = open + offset;
                        break;
                    }
                }
                _ => {}
            }
        }
        for c in &mut out[text[..start].chars().count()..=text[..end].chars().count()] {
            if *c != '\n' {
                *c = ' ';
            }
        }
        search = end;
    }
    (out.into_iter().collect(), gated_files)
}

/// The identifiers a path that starts right after `crate::` reaches first:
/// `a::b` gives `a`, `{a, b::c, self}` gives `a`, `b`.
fn first_segments(rest: &str) -> Vec<String> {
    let ident = |s: &str| -> String {
        s.trim_start()
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect()
    };
    let rest = rest.trim_start();
    let Some(group) = rest.strip_prefix('{') else {
        return vec![ident(rest)];
    };
    let mut depth = 1;
    let mut items = Vec::new();
    let mut item_start = 0;
    for (at, c) in group.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 1 => {
                items.push(&group[item_start..at]);
                break;
            }
            '}' => depth -= 1,
            ',' if depth == 1 => {
                items.push(&group[item_start..at]);
                item_start = at + 1;
            }
            _ => {}
        }
    }
    items.into_iter().map(ident).collect()
}

/// The modules `src/lib.rs` declares (all of them, public or not) and the
/// names it re-exports, each with its module.
fn crate_root(lib: &str) -> (BTreeSet<String>, BTreeMap<String, String>, BTreeSet<String>) {
    let (code, test_only) = without_test_code(&code_only(lib));
    let mut modules = BTreeSet::new();
    let mut reexports = BTreeMap::new();
    for statement in code.split(';') {
        let words: Vec<&str> = statement.split_whitespace().collect();
        if let Some(at) = words.iter().position(|w| *w == "mod")
            && let Some(name) = words.get(at + 1)
        {
            modules.insert((*name).to_owned());
        }
        if let Some(at) = statement.find("pub use ") {
            let path = &statement[at + "pub use ".len()..];
            let Some((module, rest)) = path.trim().split_once("::") else {
                continue;
            };
            for name in first_segments(rest) {
                reexports.insert(name, module.trim().to_owned());
            }
        }
    }
    (modules, reexports, test_only)
}

/// The module graph of the crate rooted at `src`, from its files.
fn graph_of(files: &BTreeMap<String, String>) -> Graph {
    let lib = files.get("lib.rs").expect("src/lib.rs");
    let (modules, reexports, test_only) = crate_root(lib);
    let mut graph = Graph::new();
    for module in &modules {
        if !test_only.contains(module) {
            graph.entry(module.clone()).or_default();
        }
    }
    for (path, source) in files {
        if path == "lib.rs" {
            continue;
        }
        let top = path
            .split('/')
            .next()
            .unwrap()
            .trim_end_matches(".rs")
            .to_owned();
        assert!(
            modules.contains(&top),
            "src/{path} belongs to no module declared in src/lib.rs"
        );
        if test_only.contains(&top) {
            continue;
        }
        let (code, _) = without_test_code(&code_only(source));
        let nested = path.contains('/');
        let mut line_start = 0;
        for (line_index, line) in code.split('\n').enumerate() {
            for prefix in ["crate::", "super::"] {
                if prefix == "super::" && nested {
                    // Inside `src/x/`, `super` is `x` or below it.
                    continue;
                }
                for (at, _) in line.match_indices(prefix) {
                    let before = line[..at].chars().next_back();
                    if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                        continue;
                    }
                    // A path may go on over the next lines (`use crate::{…}`).
                    let rest = &code[line_start + at + prefix.len()..];
                    for name in first_segments(rest) {
                        if name.is_empty() || name == "self" {
                            continue;
                        }
                        let target = if modules.contains(&name) {
                            name
                        } else if let Some(module) = reexports.get(&name) {
                            module.clone()
                        } else {
                            panic!(
                                "src/{path}:{}: {prefix}{name} is neither a module nor a name \
                                 src/lib.rs re-exports",
                                line_index + 1
                            );
                        };
                        if target != top {
                            graph
                                .entry(top.clone())
                                .or_default()
                                .entry(target)
                                .or_insert_with(|| (format!("src/{path}"), line_index + 1));
                        }
                    }
                }
            }
            line_start += line.len() + 1;
        }
    }
    graph
}

/// The graph's strongly connected components with more than one module,
/// each as one cycle through all of them, with the place of each edge.
fn cycles(graph: &Graph) -> Vec<String> {
    // Tarjan's algorithm; the graph has a few dozen nodes.
    struct State<'g> {
        graph: &'g Graph,
        index: BTreeMap<&'g str, usize>,
        low: BTreeMap<&'g str, usize>,
        stack: Vec<&'g str>,
        on_stack: BTreeSet<&'g str>,
        components: Vec<Vec<&'g str>>,
    }
    fn visit<'g>(state: &mut State<'g>, node: &'g str) {
        let index = state.index.len();
        state.index.insert(node, index);
        state.low.insert(node, index);
        state.stack.push(node);
        state.on_stack.insert(node);
        let graph = state.graph;
        for next in graph.get(node).into_iter().flat_map(BTreeMap::keys) {
            let next = next.as_str();
            if !state.index.contains_key(next) {
                visit(state, next);
                let low = state.low[node].min(state.low[next]);
                state.low.insert(node, low);
            } else if state.on_stack.contains(next) {
                let low = state.low[node].min(state.index[next]);
                state.low.insert(node, low);
            }
        }
        if state.low[node] == state.index[node] {
            let mut component = Vec::new();
            while let Some(top) = state.stack.pop() {
                state.on_stack.remove(top);
                component.push(top);
                if top == node {
                    break;
                }
            }
            state.components.push(component);
        }
    }
    let mut state = State {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        components: Vec::new(),
    };
    for node in graph.keys() {
        if !state.index.contains_key(node.as_str()) {
            visit(&mut state, node);
        }
    }
    let mut found = Vec::new();
    for component in state.components.iter().filter(|c| c.len() > 1) {
        let members: BTreeSet<&str> = component.iter().copied().collect();
        // Walk from the first member inside the component until a module
        // repeats: that closes a cycle.
        let start = *members.iter().next().unwrap();
        let mut path = vec![start];
        let mut current = start;
        loop {
            let next = graph[current]
                .keys()
                .map(String::as_str)
                .find(|n| members.contains(n) && (!path.contains(n) || *n == start))
                .or_else(|| {
                    graph[current]
                        .keys()
                        .map(String::as_str)
                        .find(|n| members.contains(n))
                })
                .unwrap();
            if let Some(at) = path.iter().position(|p| *p == next) {
                path.drain(..at);
                path.push(next);
                break;
            }
            path.push(next);
            current = next;
        }
        // Every edge among the component's modules: each one is a place
        // where the cycle could be broken.
        let edges: Vec<String> = members
            .iter()
            .flat_map(|from| {
                graph[*from]
                    .iter()
                    .filter(|(to, _)| members.contains(to.as_str()))
                    .map(move |(to, (file, line))| format!("  {from} -> {to} ({file}:{line})"))
            })
            .collect();
        found.push(format!(
            "cycle {} (modules {})\n{}",
            path.join(" -> "),
            members.into_iter().collect::<Vec<_>>().join(", "),
            edges.join("\n")
        ));
    }
    found
}

/// Every `.rs` file below `dir`, keyed by its path relative to `root`.
fn read_sources(root: &Path, dir: &Path, files: &mut BTreeMap<String, String>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            read_sources(root, &path, files);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let relative = path
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            files.insert(relative, std::fs::read_to_string(&path).unwrap());
        }
    }
}

#[test]
fn the_core_has_no_module_cycle() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = BTreeMap::new();
    read_sources(&src, &src, &mut files);
    let graph = graph_of(&files);
    assert!(graph.len() > 10, "too few modules found: {graph:?}");
    let found = cycles(&graph);
    assert!(
        found.is_empty(),
        "src/ has module cycles:\n{}",
        found.join("\n")
    );
}

/// The checker itself: it sees `use crate::{…}` groups, `crate::x::f(…)`
/// calls, re-exported names and a top-level module's `super::`, and ignores
/// comments, strings and test modules.
#[test]
fn the_checker_names_a_cycle() {
    let file = |path: &str, text: &str| (path.to_owned(), text.to_owned());
    let files: BTreeMap<String, String> = [
        file(
            "lib.rs",
            "mod a;\nmod b;\nmod c;\nmod d;\n#[cfg(test)]\nmod e;\npub use c::Thing;\n",
        ),
        file("a.rs", "use crate::{b::f, d};\n"),
        file(
            "b/mod.rs",
            "mod inner;\n// crate::d::x\nconst S: &str = \"crate::d\";\n",
        ),
        file("b/inner.rs", "fn g() { crate::c::h(); }\n"),
        file("c.rs", "fn h() -> crate::Thing { super::a::k() }\n"),
        file(
            "d.rs",
            "const Q: char = '\\'';\nconst R: &str = r#\"crate::a \"{\"#;\n#[cfg(test)]\nmod tests {\n    use crate::a;\n    fn f() { let _ = '{'; }\n}\n",
        ),
        file("e.rs", "use crate::a;\n"),
    ]
    .into_iter()
    .collect();
    let graph = graph_of(&files);
    let edges: Vec<(String, String)> = graph
        .iter()
        .flat_map(|(from, to)| to.keys().map(move |to| (from.clone(), to.clone())))
        .collect();
    let edge = |from: &str, to: &str| (from.to_owned(), to.to_owned());
    assert_eq!(
        edges,
        [
            edge("a", "b"),
            edge("a", "d"),
            edge("b", "c"),
            edge("c", "a")
        ]
    );
    let found = cycles(&graph);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].starts_with("cycle a -> b -> c -> a"), "{found:?}");
    assert!(found[0].contains("b -> c (src/b/inner.rs:1)"), "{found:?}");
    assert!(!found[0].contains("a -> d"), "{found:?}");
}
