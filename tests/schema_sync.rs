//! One schema, checked everywhere: the members each Rust type reads from JSON (declared once, next
//! to the type, with `json_struct!`) must be the members the TypeScript types of the npm package
//! (`pkg/index.d.ts`) declare, with the same requiredness. A member added on one side only fails
//! here, naming it.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

use std::collections::BTreeMap;
use std::path::PathBuf;

fn read(rel: &str) -> String {
    std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(rel)).unwrap()
}

/// `json_struct!(Type { required { f: "a", … } optional { g: "b", … } })` blocks of a Rust file:
/// type name → member name → required.
fn rust_structs(text: &str) -> BTreeMap<String, BTreeMap<String, bool>> {
    let mut out = BTreeMap::new();
    for block in text.split("json_struct!(").skip(1) {
        let name: String = block
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if name.is_empty() || !block.contains("required") {
            continue;
        }
        // The body ends at the macro's closing `});`.
        let body = &block[..block.find("});").unwrap_or(block.len())];
        let mut members = BTreeMap::new();
        for (section, required) in [("required", true), ("optional", false)] {
            let Some(start) = body.find(&format!("{section} {{")) else {
                continue;
            };
            let rest = &body[start..];
            let inner = &rest[rest.find('{').unwrap() + 1..rest.find('}').unwrap()];
            for pair in inner.split(',') {
                if let Some((_, json)) = pair.split_once(':') {
                    let json = json.trim().trim_matches('"');
                    if !json.is_empty() {
                        members.insert(json.to_owned(), required);
                    }
                }
            }
        }
        out.insert(name, members);
    }
    out
}

/// `interface Name [extends Base] { member?: type; … }` blocks of a .d.ts file: name → (base
/// interfaces, member → required). Nested object types (`{ … }`) are skipped as one member.
fn ts_interfaces(text: &str) -> BTreeMap<String, (Vec<String>, BTreeMap<String, bool>)> {
    let mut out = BTreeMap::new();
    let mut rest = text;
    while let Some(i) = rest.find("interface ") {
        rest = &rest[i + "interface ".len()..];
        let head = &rest[..rest.find('{').unwrap()];
        let mut words = head.split_whitespace();
        let name = words.next().unwrap().to_owned();
        let bases: Vec<String> = match head.find("extends") {
            Some(e) => head[e + 7..]
                .split(',')
                .map(|b| b.trim().to_owned())
                .collect(),
            None => Vec::new(),
        };
        // The body: up to the matching closing brace.
        let body_start = rest.find('{').unwrap() + 1;
        let (mut depth, mut end) = (1, body_start);
        for (j, c) in rest[body_start..].char_indices() {
            match c {
                '{' => depth += 1,
                '}' => depth -= 1,
                _ => {}
            }
            if depth == 0 {
                end = body_start + j;
                break;
            }
        }
        let mut members = BTreeMap::new();
        let mut depth = 0;
        for line in rest[body_start..end].lines() {
            let t = line.trim();
            if depth == 0 && !t.starts_with("/*") && !t.starts_with('*') && !t.starts_with("//") {
                let name: String = t
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                let after = &t[name.len()..];
                if !name.is_empty() && (after.starts_with("?:") || after.starts_with(':')) {
                    members.insert(name, !after.starts_with('?'));
                }
            }
            depth += line.matches('{').count() as i32 - line.matches('}').count() as i32;
        }
        out.insert(name, (bases, members));
        rest = &rest[end..];
    }
    out
}

/// An interface's members with those of the interfaces it extends.
fn flattened(
    all: &BTreeMap<String, (Vec<String>, BTreeMap<String, bool>)>,
    name: &str,
) -> BTreeMap<String, bool> {
    let (bases, own) = all
        .get(name)
        .unwrap_or_else(|| panic!("pkg/index.d.ts has no interface {name}"));
    let mut m = BTreeMap::new();
    for b in bases {
        m.extend(flattened(all, b));
    }
    m.extend(own.clone());
    m
}

#[test]
fn typescript_types_declare_exactly_the_members_rust_reads() {
    let mut rust = BTreeMap::new();
    for file in [
        "src/s3/mod.rs",
        "src/azure/mod.rs",
        "src/azure/delegation.rs",
        "src/gcs/mod.rs",
    ] {
        for (k, v) in rust_structs(&read(file)) {
            rust.insert(format!("{file}:{k}"), v);
        }
    }
    let ts = ts_interfaces(&read("pkg/index.d.ts"));
    // Rust type (file:name) ↔ TypeScript interface. `provider` is the request's tag and
    // `signedAt` is read for every request by the façade; both are in the TS types of the requests.
    let pairs = [
        ("src/s3/mod.rs:S3Request", "S3Request", true),
        ("src/s3/mod.rs:Credentials", "AwsCredentials", false),
        ("src/azure/mod.rs:AzureRequest", "AzureRequest", true),
        (
            "src/azure/delegation.rs:UserDelegationKey",
            "UserDelegationKey",
            false,
        ),
        ("src/gcs/mod.rs:GcsRequest", "GcsRequest", true),
    ];
    let mut diffs = Vec::new();
    for (r, t, tagged) in pairs {
        let mut want = rust
            .get(r)
            .unwrap_or_else(|| panic!("no json_struct! for {r}"))
            .clone();
        if tagged {
            want.insert("provider".into(), true);
            want.entry("signedAt".into()).or_insert(false);
        }
        let got = flattened(&ts, t);
        for (m, req) in &want {
            match got.get(m) {
                None => diffs.push(format!("{t}: Rust reads `{m}`, the TS type lacks it")),
                // The TS types may require what Rust defaults (credentials: the CLI fills them from
                // the environment, JS callers must give them); never the other way round.
                Some(false) if *req => {
                    diffs.push(format!("{t}: `{m}` is required in Rust, optional in TS"))
                }
                _ => {}
            }
        }
        for m in got.keys() {
            if !want.contains_key(m) {
                diffs.push(format!(
                    "{t}: the TS type declares `{m}`, Rust does not read it"
                ));
            }
        }
    }
    assert!(
        diffs.is_empty(),
        "{} differences:\n{}",
        diffs.len(),
        diffs.join("\n")
    );
}

#[test]
fn the_parsers_see_members_and_requiredness() {
    let r =
        rust_structs(r#"json_struct!(A { required { a: "aa", b: "bB" } optional { c: "c" } });"#);
    assert_eq!(r["A"].len(), 3);
    assert!(r["A"]["bB"] && !r["A"]["c"]);
    let t = ts_interfaces(
        "interface B { x: string; }\nexport interface A extends B {\n  /** doc: y */\n  y?: { min: number; max: number };\n  z: number;\n}\n",
    );
    let a = flattened(&t, "A");
    assert_eq!(a.len(), 3);
    assert!(a["x"] && !a["y"] && a["z"]);
}
