//! The one runner the vector tests share (`tests/*_vectors.rs`): official vectors are read from
//! `tests/vectors/`, every stage of every case is compared, every difference is recorded, and the
//! test fails once at the end printing all of them.
#![allow(dead_code, clippy::unwrap_used, clippy::panic)]

pub mod aws_suite;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A file under `tests/vectors/`.
pub fn vector_path(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/vectors")
        .join(rel)
}

/// The text of a file under `tests/vectors/`.
pub fn vector_text(rel: &str) -> String {
    let p = vector_path(rel);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// A JSON file under `tests/vectors/`.
pub fn vector_json(rel: &str) -> serde_json::Value {
    serde_json::from_str(&vector_text(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// Differences found so far, across every case and stage of a vector file.
#[derive(Default)]
pub struct Diffs {
    list: Vec<String>,
    compared: usize,
}

impl Diffs {
    /// No differences yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Compares one stage of one case; records a difference.
    pub fn check(&mut self, case: &str, stage: &str, got: &str, want: &str) {
        self.compared += 1;
        if got != want {
            self.list.push(format!(
                "[{case}] {stage}\n    got:  {got:?}\n    want: {want:?}"
            ));
        }
    }

    /// Records a failure that is not a comparison (an error where a result was expected).
    pub fn fail(&mut self, case: &str, what: impl std::fmt::Display) {
        self.list.push(format!("[{case}] {what}"));
    }

    /// How many differences were recorded.
    pub fn len(&self) -> usize {
        self.list.len()
    }

    /// Prints what was compared and fails once, listing every difference, if there was any.
    pub fn finish(self, what: &str) {
        println!(
            "{what}: {} stages compared, {} differences",
            self.compared,
            self.list.len()
        );
        assert!(
            self.list.is_empty(),
            "{what}: {} differences\n{}",
            self.list.len(),
            self.list.join("\n")
        );
    }
}

/// `%XX` decoding written here, independent of the crate's own decoder (`+` stays `+`).
pub fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            let hex = std::str::from_utf8(&b[i + 1..i + 3]).unwrap();
            out.push(u8::from_str_radix(hex, 16).unwrap_or_else(|_| panic!("bad escape in {s:?}")));
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| panic!("not UTF-8 once decoded: {s:?}"))
}

/// The query of `url` as name → decoded value; a repeated name is recorded as a difference.
pub fn query_map(url: &str, diffs: &mut Diffs, case: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let q = url.split_once('?').map_or(url, |(_, q)| q);
    for pair in q.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let (k, v) = (percent_decode(k), percent_decode(v));
        if out.insert(k.clone(), v).is_some() {
            diffs.fail(case, format!("query parameter {k} appears twice in {url}"));
        }
    }
    out
}
