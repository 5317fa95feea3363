//! The modules of every crate in the workspace depend on each other in one direction only:
//! a cycle between two files means neither can be understood (or changed) without the
//! other. This reads each crate's sources as text, resolves the `crate::`, `super::`,
//! `self::` and child-module paths each file names, and fails on any cycle, naming the
//! paths that close it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// A module by its path from the crate root (`[]` is the root, `["sync", "apply"]`).
type Module = Vec<String>;

struct Crate {
    name: String,
    /// Every module of the crate, with its file's text (tests at its end left out).
    modules: BTreeMap<Module, String>,
}

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

fn module_of(src: &Path, file: &Path) -> Option<Module> {
    let rel = file.strip_prefix(src).ok()?;
    let mut parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.first().map(String::as_str) == Some("bin") {
        return None; // a program of its own, with its own root
    }
    let last = parts.pop()?.strip_suffix(".rs")?.to_owned();
    if !matches!(last.as_str(), "lib" | "main" | "mod") || !parts.is_empty() && last != "mod" {
        parts.push(last);
    }
    Some(parts)
}

fn read_crate(dir: &Path) -> Crate {
    let src = dir.join("src");
    let mut modules = BTreeMap::new();
    let mut stack = vec![src.clone()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "rs")
                && let Some(m) = module_of(&src, &p)
            {
                let text = std::fs::read_to_string(&p).unwrap();
                // Unit tests sit at the end of a file, where `super` means the file itself.
                let text = match text.find("#[cfg(test)]") {
                    Some(i) => text[..i].to_owned(),
                    None => text,
                };
                modules.insert(m, strip_comments(&text));
            }
        }
    }
    Crate {
        name: dir.file_name().unwrap().to_string_lossy().into_owned(),
        modules,
    }
}

/// The text without `//` comments and string literals (paths in prose are not imports).
fn strip_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        let mut in_str = false;
        let mut prev = ' ';
        let mut kept = String::new();
        let chars: Vec<char> = line.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            if !in_str && c == '/' && chars.get(i + 1) == Some(&'/') {
                break;
            }
            if c == '"' && prev != '\\' && !(prev == '\'' && chars.get(i + 1) == Some(&'\'')) {
                in_str = !in_str;
            } else if !in_str {
                kept.push(c);
            }
            prev = c;
            i += 1;
        }
        out.push_str(&kept);
        out.push('\n');
    }
    out
}

/// `use a::{b, c::{d, e}}` and inline `a::b::c` paths, expanded to whole paths.
fn paths(text: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let bytes: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < bytes.len() {
        let starts_word = i == 0 || !(bytes[i - 1].is_alphanumeric() || bytes[i - 1] == '_');
        if starts_word && (bytes[i].is_alphabetic() || bytes[i] == '_') {
            let (tree, end) = parse_tree(&bytes, i);
            for p in tree {
                if p.len() > 1 {
                    out.push(p);
                }
            }
            i = end.max(i + 1);
        } else {
            i += 1;
        }
    }
    out
}

/// Parses `seg::seg::{tree, tree}` from `i`; returns the expanded paths and where it ended.
fn parse_tree(c: &[char], mut i: usize) -> (Vec<Vec<String>>, usize) {
    let mut prefix = Vec::new();
    loop {
        let start = i;
        while i < c.len() && (c[i].is_alphanumeric() || c[i] == '_') {
            i += 1;
        }
        if i == start {
            return (vec![prefix], i);
        }
        prefix.push(c[start..i].iter().collect::<String>());
        if c.get(i) == Some(&':') && c.get(i + 1) == Some(&':') {
            i += 2;
            while c.get(i).is_some_and(|x| x.is_whitespace()) {
                i += 1;
            }
            if c.get(i) == Some(&'{') {
                i += 1;
                let mut all = Vec::new();
                loop {
                    while c.get(i).is_some_and(|x| x.is_whitespace() || *x == ',') {
                        i += 1;
                    }
                    match c.get(i) {
                        None => return (all, i),
                        Some('}') => return (all, i + 1),
                        _ => {}
                    }
                    let (sub, end) = parse_tree(c, i);
                    for s in sub {
                        let mut p = prefix.clone();
                        p.extend(s);
                        all.push(p);
                    }
                    i = if end > i { end } else { i + 1 };
                    // Skip `as name` and anything else up to the next item.
                    while c.get(i).is_some_and(|x| *x != ',' && *x != '}') {
                        i += 1;
                    }
                }
            }
            continue;
        }
        return (vec![prefix], i);
    }
}

/// Child modules a file declares (`mod x;`, `pub mod x;`, `pub(crate) mod x;`).
fn children(text: &str) -> BTreeSet<String> {
    text.lines()
        .filter_map(|l| {
            let l = l.trim();
            let rest = l
                .strip_prefix("pub(crate) mod ")
                .or_else(|| l.strip_prefix("pub(super) mod "))
                .or_else(|| l.strip_prefix("pub mod "))
                .or_else(|| l.strip_prefix("mod "))?;
            rest.strip_suffix(';').map(str::to_owned)
        })
        .collect()
}

/// What `crate::Name` means when the root re-exports `Name` from one of its modules.
fn root_reexports(root: &str) -> BTreeMap<String, Module> {
    let mut out = BTreeMap::new();
    for p in paths(root) {
        if let [first, .., name] = p.as_slice()
            && first != "crate"
            && first != "std"
        {
            out.insert(name.clone(), vec![first.clone()]);
        }
    }
    out
}

fn edges(krate: &Crate) -> BTreeMap<Module, BTreeMap<Module, String>> {
    let root = krate.modules.get(&Vec::new()).cloned().unwrap_or_default();
    let reexports = root_reexports(&root);
    let mut graph: BTreeMap<Module, BTreeMap<Module, String>> = BTreeMap::new();
    for (m, text) in &krate.modules {
        let kids = children(text);
        for p in paths(text) {
            let (mut at, rest): (Module, &[String]) = match p[0].as_str() {
                "crate" => (vec![], &p[1..]),
                "self" => (m.clone(), &p[1..]),
                "super" => {
                    let mut base = m.clone();
                    let mut k = 0;
                    while p.get(k).map(String::as_str) == Some("super") {
                        base.pop();
                        k += 1;
                    }
                    (base, &p[k..])
                }
                first if kids.contains(first) => (m.clone(), &p[..]),
                _ => continue,
            };
            for seg in rest {
                let mut next = at.clone();
                next.push(seg.clone());
                if krate.modules.contains_key(&next) {
                    at = next;
                } else {
                    break;
                }
            }
            if at.is_empty() {
                match rest.first().and_then(|name| reexports.get(name)) {
                    Some(target) if krate.modules.contains_key(target) => at = target.clone(),
                    _ => continue,
                }
            }
            if &at != m && !m.is_empty() {
                graph
                    .entry(m.clone())
                    .or_default()
                    .entry(at)
                    .or_insert_with(|| p.join("::"));
            }
        }
    }
    graph
}

/// Strongly connected components of more than one module (Tarjan's algorithm).
fn cycles(graph: &BTreeMap<Module, BTreeMap<Module, String>>) -> Vec<Vec<Module>> {
    struct State<'a> {
        graph: &'a BTreeMap<Module, BTreeMap<Module, String>>,
        index: BTreeMap<Module, usize>,
        low: BTreeMap<Module, usize>,
        stack: Vec<Module>,
        on: BTreeSet<Module>,
        next: usize,
        out: Vec<Vec<Module>>,
    }
    fn visit(s: &mut State, v: &Module) {
        s.index.insert(v.clone(), s.next);
        s.low.insert(v.clone(), s.next);
        s.next += 1;
        s.stack.push(v.clone());
        s.on.insert(v.clone());
        let targets: Vec<Module> = s
            .graph
            .get(v)
            .map(|t| t.keys().cloned().collect())
            .unwrap_or_default();
        for w in targets {
            if !s.index.contains_key(&w) {
                visit(s, &w);
                let lw = s.low[&w];
                let lv = s.low.get_mut(v).unwrap();
                *lv = (*lv).min(lw);
            } else if s.on.contains(&w) {
                let iw = s.index[&w];
                let lv = s.low.get_mut(v).unwrap();
                *lv = (*lv).min(iw);
            }
        }
        if s.low[v] == s.index[v] {
            let mut comp = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on.remove(&w);
                let done = &w == v;
                comp.push(w);
                if done {
                    break;
                }
            }
            if comp.len() > 1 {
                comp.sort();
                s.out.push(comp);
            }
        }
    }
    let mut s = State {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on: BTreeSet::new(),
        next: 0,
        out: Vec::new(),
    };
    let nodes: Vec<Module> = graph.keys().cloned().collect();
    for v in &nodes {
        if !s.index.contains_key(v) {
            visit(&mut s, v);
        }
    }
    s.out
}

fn name(m: &Module) -> String {
    if m.is_empty() {
        "(root)".into()
    } else {
        m.join("/")
    }
}

#[test]
fn no_crate_has_a_cycle_between_its_modules() {
    let root = workspace();
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root.join("crates"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("src").is_dir())
        .collect();
    dirs.push(root.join("src-tauri"));
    let mut problems = Vec::new();
    let mut seen = 0;
    for dir in dirs {
        let krate = read_crate(&dir);
        seen += krate.modules.len();
        let graph = edges(&krate);
        for comp in cycles(&graph) {
            let mut why = Vec::new();
            for a in &comp {
                for (b, path) in graph.get(a).into_iter().flatten() {
                    if comp.contains(b) {
                        why.push(format!("    {} -> {} (`{path}`)", name(a), name(b)));
                    }
                }
            }
            problems.push(format!(
                "{}: {} modules depend on each other:\n{}",
                krate.name,
                comp.len(),
                why.join("\n")
            ));
        }
    }
    assert!(seen > 60, "the check read only {seen} modules");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_reader_finds_the_paths_a_file_names() {
    let text = "use crate::{a, b::{c, d as e}};\nfn f() { super::g::h(); rows::load(); }";
    let found: BTreeSet<String> = paths(text).into_iter().map(|p| p.join("::")).collect();
    for p in [
        "crate::a",
        "crate::b::c",
        "crate::b::d",
        "super::g::h",
        "rows::load",
    ] {
        assert!(found.contains(p), "{p} not in {found:?}");
    }
    let mut graph = BTreeMap::new();
    let a: Module = vec!["a".into()];
    let b: Module = vec!["b".into()];
    graph.insert(
        a.clone(),
        BTreeMap::from([(b.clone(), "crate::b".to_owned())]),
    );
    assert!(cycles(&graph).is_empty(), "one arrow is no cycle");
    graph.insert(
        b.clone(),
        BTreeMap::from([(a.clone(), "crate::a".to_owned())]),
    );
    assert_eq!(
        cycles(&graph),
        vec![vec![a, b]],
        "two arrows back and forth are"
    );
}
