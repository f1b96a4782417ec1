//! The public Rust API, kept on purpose: the items reachable from the crate root are listed in
//! `tests/public-api.txt`, and this test fails when the code's list differs, printing the
//! difference. After an intended change, regenerate the file with
//! `PRESIGN_UPDATE_PUBLIC_API=1 cargo test --all-features --test public_api` and review its diff.
//!
//! The list is read from the source (stable Rust has no rustdoc JSON): public modules, `pub use`
//! re-exports at the root and in public modules, `pub` items at a module's top level, the `pub`
//! methods and associated constants of their `impl` blocks (also those a `macro_rules!` of the
//! crate writes, at the line that calls it with the type, and the `with_*` lines of a
//! `with_methods!(Type { … })`), and the variants of public enums.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// The file of module `path` (`["s3", "post"]`), `src/lib.rs` for the root.
fn module_file(path: &[String]) -> Option<PathBuf> {
    if path.is_empty() {
        return Some(src().join("lib.rs"));
    }
    let rel = path.join("/");
    [
        src().join(format!("{rel}.rs")),
        src().join(format!("{rel}/mod.rs")),
    ]
    .into_iter()
    .find(|p| p.exists())
}

/// The code before the file's test module, one entry per line, comments removed.
fn code_lines(text: &str) -> Vec<String> {
    let text = text.split("#[cfg(test)]\nmod tests").next().unwrap();
    text.lines()
        .map(|l| {
            let t = l.trim_end();
            match t.find("//") {
                Some(i) if !t[..i].contains('"') => t[..i].to_owned(),
                _ => t.to_owned(),
            }
        })
        .collect()
}

fn word_after(s: &str, kw: &str) -> Option<String> {
    let rest = s.strip_prefix(kw)?;
    let w: String = rest
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    (!w.is_empty()).then_some(w)
}

/// The builder a line of `with_methods!` (src/builders.rs) writes: `some with_x(x: T) => x;` →
/// `with_x`.
fn with_line(t: &str) -> Option<String> {
    let rest = ["set ", "some ", "into ", "secs ", "push "]
        .iter()
        .find_map(|k| t.strip_prefix(k))?;
    let name = word_after(rest, "with_")?;
    rest.contains("=>").then(|| format!("with_{name}"))
}

/// The `pub fn`s that each `macro_rules!` under `src/` writes into an `impl $ty` block (the
/// builders a provider's URL and POST requests share): macro name → method names.
fn macro_methods() -> Vec<(String, Vec<String>)> {
    fn files(dir: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                files(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    let mut paths = Vec::new();
    files(&src(), &mut paths);
    paths.sort();
    let mut macros = Vec::new();
    for p in paths {
        let lines = code_lines(&std::fs::read_to_string(&p).unwrap());
        let mut current: Option<(String, Vec<String>, i32)> = None;
        let mut depth = 0i32;
        for line in &lines {
            let t = line.trim();
            if current.is_none() {
                if let Some(name) = word_after(t, "macro_rules! ") {
                    current = Some((name, Vec::new(), depth));
                }
            } else if let Some((_, fns, _)) = &mut current {
                if let Some(f) = word_after(t, "pub fn ").or_else(|| with_line(t)) {
                    fns.push(f);
                }
            }
            depth += line.matches('{').count() as i32 - line.matches('}').count() as i32;
            if let Some((name, fns, start)) = current.take() {
                if depth > start {
                    current = Some((name, fns, start));
                } else if !fns.is_empty() {
                    macros.push((name, fns));
                }
            }
        }
    }
    macros
}

/// The methods a top-level `name!(Type);` line adds to `Type`, if `name` is one of `macros`.
fn macro_call(t: &str, macros: &[(String, Vec<String>)]) -> Option<(String, Vec<String>)> {
    let (callee, arg) = t.strip_suffix(");")?.split_once("!(")?;
    let name = callee.rsplit("::").next()?;
    let (_, fns) = macros.iter().find(|(m, _)| m == name)?;
    Some((arg.trim().to_owned(), fns.clone()))
}

/// Public items of one module file, as `prefix::Item` lines; public submodules are walked too.
fn walk(path: &[String], out: &mut BTreeSet<String>) {
    walk_with(path, out, &macro_methods());
}

fn walk_with(path: &[String], out: &mut BTreeSet<String>, macros: &[(String, Vec<String>)]) {
    let Some(file) = module_file(path) else {
        return;
    };
    let lines = code_lines(&std::fs::read_to_string(&file).unwrap());
    let prefix = std::iter::once("presign".to_owned())
        .chain(path.iter().cloned())
        .collect::<Vec<_>>()
        .join("::");
    let mut depth = 0i32;
    let mut impl_target: Option<String> = None;
    let mut enum_name: Option<String> = None;
    let mut i = 0;
    while i < lines.len() {
        let line = &lines[i];
        let t = line.trim();
        if depth == 0 {
            impl_target = None;
            enum_name = None;
            if let Some(m) = word_after(t, "pub mod ") {
                out.insert(format!("mod {prefix}::{m}"));
                let mut sub = path.to_vec();
                sub.push(m);
                walk_with(&sub, out, macros);
            } else if t.starts_with("pub use ") {
                // Possibly over several lines, until `;`.
                let mut stmt = t.to_owned();
                while !stmt.ends_with(';') && i + 1 < lines.len() {
                    i += 1;
                    stmt.push(' ');
                    stmt.push_str(lines[i].trim());
                }
                let body = stmt.trim_start_matches("pub use ").trim_end_matches(';');
                let names: Vec<String> = match body.find('{') {
                    Some(b) => body[b + 1..body.rfind('}').unwrap()]
                        .split(',')
                        .map(|s| s.trim().to_owned())
                        .filter(|s| !s.is_empty())
                        .collect(),
                    None => vec![body.rsplit("::").next().unwrap().to_owned()],
                };
                for n in names {
                    let shown = n
                        .rsplit(" as ")
                        .next()
                        .unwrap()
                        .rsplit("::")
                        .next()
                        .unwrap();
                    out.insert(format!("use {prefix}::{shown}"));
                }
            } else if let Some((target, fns)) = macro_call(t, macros) {
                for f in fns {
                    out.insert(format!("fn {prefix}::{target}::{f}"));
                }
            } else {
                for kw in [
                    "pub fn ",
                    "pub const fn ",
                    "pub struct ",
                    "pub enum ",
                    "pub trait ",
                    "pub type ",
                    "pub const ",
                    "pub static ",
                ] {
                    if let Some(name) = word_after(t, kw) {
                        let kind = match kw {
                            "pub const fn " => "fn",
                            _ => kw.trim_start_matches("pub ").trim(),
                        };
                        out.insert(format!("{kind} {prefix}::{name}"));
                        if kw == "pub enum " {
                            enum_name = Some(name);
                        }
                    }
                }
                if let Some((_, rest)) = t.split_once("with_methods!(") {
                    impl_target = word_after(rest, "");
                }
                if t.starts_with("impl") && !t.contains(" for ") {
                    // `impl<'a> Name<'a> {` → Name
                    let after = t.trim_start_matches("impl");
                    let after = if after.starts_with('<') {
                        &after[after.find('>').unwrap() + 1..]
                    } else {
                        after
                    };
                    let name: String = after
                        .trim()
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect();
                    impl_target = Some(name);
                }
            }
        } else if depth == 1 {
            if let Some(target) = &impl_target {
                for kw in ["pub fn ", "pub const fn ", "pub const "] {
                    if let Some(name) = word_after(t, kw) {
                        out.insert(format!("fn {prefix}::{target}::{name}"));
                    }
                }
                if let Some(name) = with_line(t) {
                    out.insert(format!("fn {prefix}::{target}::{name}"));
                }
            }
            if let Some(e) = &enum_name {
                let v: String = t
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if !v.is_empty() && v.chars().next().unwrap().is_uppercase() {
                    out.insert(format!("variant {prefix}::{e}::{v}"));
                }
            }
        }
        depth += line.matches('{').count() as i32 - line.matches('}').count() as i32;
        i += 1;
    }
}

#[test]
fn the_public_api_is_the_listed_one() {
    let mut items = BTreeSet::new();
    walk(&[], &mut items);
    let listed_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/public-api.txt");
    let got: String = items.iter().map(|l| format!("{l}\n")).collect();
    if std::env::var_os("PRESIGN_UPDATE_PUBLIC_API").is_some() {
        std::fs::write(&listed_path, &got).unwrap();
        return;
    }
    let listed = std::fs::read_to_string(&listed_path).unwrap_or_default();
    let want: BTreeSet<String> = listed.lines().map(str::to_owned).collect();
    let added: Vec<_> = items.difference(&want).collect();
    let removed: Vec<_> = want.difference(&items).collect();
    assert!(
        added.is_empty() && removed.is_empty(),
        "the public API changed ({} items now). Added:\n  {}\nRemoved:\n  {}\nIf intended, run \
         PRESIGN_UPDATE_PUBLIC_API=1 cargo test --all-features --test public_api",
        items.len(),
        added
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("\n  "),
        removed
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("\n  "),
    );
}
