//! The crate's structure, drawn from its imports: three layers whose arrows point down, and no
//! import circle between files.
//!
//! - shared model: errors, time, encoding, text helpers, crypto, endpoint parsing, lifetimes, the
//!   key cache, the prelude and the locks (`prelude`, `sync`), the shared types, the schema reader
//!   and writer, the V4 algorithm, the neutral POST policy model;
//! - signers: the request/dispatch types, each provider's URL and POST signers, CORS rules, the
//!   verifier;
//! - front ends: the JSON façade, the wasm bindings, the CLI.
//!
//! A file's imports are the `crate::a::b` (and `super::…`) paths it names outside comments. The
//! test fails, printing every offending import, when a file imports a higher layer, or when files
//! import each other in a circle.

#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Layer {
    Model,
    Signer,
    Front,
}

/// The layer of a module path (`s3::post`, `encoding::codec`, …), by its first segments.
fn layer(module: &str) -> Layer {
    let top = module.split("::").next().unwrap_or("");
    match top {
        "error" | "time" | "encoding" | "text" | "crypto" | "endpoint" | "lifetime" | "cache"
        | "types" | "schema" | "sigv4" | "prelude" | "sync" | "lib" => Layer::Model,
        "post" if module == "post" || module.starts_with("post::policy") => Layer::Model,
        "json" | "wasm" | "bin" => Layer::Front,
        _ => Layer::Signer,
    }
}

/// Every `.rs` file under `src/` as (module path, file).
fn modules(dir: &Path, prefix: &str, out: &mut Vec<(String, PathBuf)>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        let name = p.file_stem().unwrap().to_str().unwrap().to_owned();
        if p.is_dir() {
            let sub = if prefix.is_empty() {
                name.clone()
            } else {
                format!("{prefix}::{name}")
            };
            modules(&p, &sub, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            let m = match (prefix.is_empty(), name.as_str()) {
                (true, "lib") => "lib".to_owned(),
                (true, _) => name,
                (false, "mod") => prefix.to_owned(),
                (false, _) => format!("{prefix}::{name}"),
            };
            out.push((m, p));
        }
    }
}

/// The code of a file without comments, string literals' contents kept (paths in strings are
/// rare and harmless), and without its `#[cfg(test)] mod tests` block.
fn code(text: &str) -> String {
    let text = match text.find("#[cfg(test)]\nmod tests") {
        Some(i) => &text[..i],
        None => text,
    };
    text.lines()
        .map(|l| match l.find("//") {
            Some(i) => &l[..i],
            None => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The modules a file's code names: `crate::a::b::c` resolves to the longest known module path.
fn imports(module: &str, text: &str, known: &BTreeSet<String>) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let bytes = text.as_bytes();
    let parent = module.rsplit_once("::").map(|(p, _)| p.to_owned());
    let mut i = 0;
    while i < bytes.len() {
        let rest = &text[i..];
        let (base, skip): (Option<String>, usize) = if rest.starts_with("crate::") {
            (Some(String::new()), 7)
        } else if rest.starts_with("super::") && (i == 0 || !bytes[i - 1].is_ascii_alphanumeric()) {
            // `super` of a `mod.rs` module is its parent's parent; of a file, its parent.
            (parent.clone().or(Some(String::new())), 7)
        } else {
            // The next character (text may hold non-ASCII in strings).
            (None, rest.chars().next().map_or(1, char::len_utf8))
        };
        if let Some(base) = base {
            let path: String = text[i + skip..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == ':')
                .collect();
            let mut full = base.clone();
            let mut best = known.contains(&base).then(|| base.clone());
            for seg in path.split("::").filter(|s| !s.is_empty()) {
                full = if full.is_empty() {
                    seg.to_owned()
                } else {
                    format!("{full}::{seg}")
                };
                if known.contains(&full) {
                    best = Some(full.clone());
                }
            }
            if let Some(b) = best.filter(|b| b != module) {
                out.insert(b);
            }
        }
        i += skip;
    }
    out
}

#[test]
fn arrows_point_down_and_no_file_imports_one_that_imports_it_back() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    modules(&root, "", &mut files);
    files.retain(|(m, _)| !m.starts_with("bin") || m == "bin");
    let known: BTreeSet<String> = files.iter().map(|(m, _)| m.clone()).collect();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut bad = Vec::new();
    for (m, path) in &files {
        let text = std::fs::read_to_string(path).unwrap();
        let deps = imports(m, &code(&text), &known);
        for d in &deps {
            // lib.rs declares and re-exports every module; it is the crate's root, not a layer.
            if m != "lib" && layer(d) > layer(m) {
                bad.push(format!("{m} ({:?}) imports {d} ({:?})", layer(m), layer(d)));
            }
        }
        graph.insert(m.clone(), deps);
    }
    graph.remove("lib");
    // Circles: strongly connected components of more than one module (Tarjan).
    let circles = strongly_connected(&graph);
    for c in &circles {
        bad.push(format!("import circle: {}", c.join(" -> ")));
    }
    assert!(
        bad.is_empty(),
        "{} structure problems:\n{}",
        bad.len(),
        bad.join("\n")
    );
}

fn strongly_connected(g: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    struct S<'a> {
        g: &'a BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on: BTreeSet<&'a str>,
        next: usize,
        out: Vec<Vec<String>>,
    }
    fn visit<'a>(s: &mut S<'a>, v: &'a str) {
        s.index.insert(v, s.next);
        s.low.insert(v, s.next);
        s.next += 1;
        s.stack.push(v);
        s.on.insert(v);
        for w in s.g.get(v).into_iter().flatten() {
            let w = w.as_str();
            if !s.g.contains_key(w) {
                continue;
            }
            if !s.index.contains_key(w) {
                visit(s, w);
                let lw = s.low[w];
                let lv = s.low.get_mut(v).unwrap();
                *lv = (*lv).min(lw);
            } else if s.on.contains(w) {
                let iw = s.index[w];
                let lv = s.low.get_mut(v).unwrap();
                *lv = (*lv).min(iw);
            }
        }
        if s.low[v] == s.index[v] {
            let mut comp = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on.remove(w);
                comp.push(w.to_owned());
                if w == v {
                    break;
                }
            }
            if comp.len() > 1 {
                comp.sort();
                s.out.push(comp);
            }
        }
    }
    let mut s = S {
        g,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on: BTreeSet::new(),
        next: 0,
        out: Vec::new(),
    };
    for v in g.keys() {
        if !s.index.contains_key(v.as_str()) {
            visit(&mut s, v);
        }
    }
    s.out
}

#[test]
fn the_checker_sees_an_upward_import_and_a_circle() {
    // The checker itself must be able to fail: a model file importing a signer, and two files
    // importing each other.
    let known: BTreeSet<String> = ["time", "s3", "s3::post", "post"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let deps = imports("time", "use crate::s3::Presigner;", &known);
    assert!(deps.contains("s3") && layer("s3") > layer("time"));
    let mut g = BTreeMap::new();
    g.insert(
        "post".to_owned(),
        imports("post", "crate::s3::post::x()", &known),
    );
    g.insert(
        "s3::post".to_owned(),
        imports("s3::post", "use crate::post::PostPolicy;", &known),
    );
    assert_eq!(
        strongly_connected(&g),
        vec![vec!["post".to_owned(), "s3::post".to_owned()]]
    );
    // `super::` from a file inside a directory module is its parent.
    assert!(imports("s3::post", "use super::Credentials;", &known).contains("s3"));
}
