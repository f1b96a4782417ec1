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

/// The identifier a block starts with (the type name after `json_struct!(` and its kin).
fn leading_ident(block: &str) -> String {
    block
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect()
}

/// `json_struct!(Type { required { f: "a", … } optional { g: "b", … } })` blocks of a Rust file:
/// type name → member name → required.
fn rust_structs(text: &str) -> BTreeMap<String, BTreeMap<String, bool>> {
    let mut out = BTreeMap::new();
    for block in text.split("json_struct!(").skip(1) {
        let name = leading_ident(block);
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

/// `json_flat!(Type { f: "a", … })` blocks of a Rust file (members read flat in an enclosing
/// object, all optional): type name → member name → false.
fn rust_flat_structs(text: &str) -> BTreeMap<String, BTreeMap<String, bool>> {
    let mut out = BTreeMap::new();
    for block in text.split("json_flat!(").skip(1) {
        let name = leading_ident(block);
        let (Some(open), Some(close)) = (block.find('{'), block.find('}')) else {
            continue;
        };
        if name.is_empty() || close < open {
            continue;
        }
        let members = block[open + 1..close]
            .split(',')
            .filter_map(|pair| pair.split_once(':'))
            .map(|(_, json)| json.trim().trim_matches('"').to_owned())
            .filter(|json| !json.is_empty())
            .map(|json| (json, false))
            .collect();
        out.insert(name, members);
    }
    out
}

/// The types of the fields a `json_struct!(Type { … flatten { f, … } })` block of a Rust file
/// reads flat, from the struct's `pub f: FieldType,` lines.
fn rust_flattened_types(text: &str, name: &str) -> Vec<String> {
    let Some(block) = text.split(&format!("json_struct!({name} {{")).nth(1) else {
        return Vec::new();
    };
    let body = &block[..block.find("});").unwrap_or(block.len())];
    let Some(start) = body.find("flatten {") else {
        return Vec::new();
    };
    let rest = &body[start + "flatten {".len()..];
    rest[..rest.find('}').unwrap()]
        .split(',')
        .map(str::trim)
        .filter(|f| !f.is_empty())
        .map(|f| {
            let decl = format!("pub {f}: ");
            let at = text
                .find(&decl)
                .unwrap_or_else(|| panic!("no field `{f}` of {name}"));
            let ty = &text[at + decl.len()..];
            ty[..ty.find(',').unwrap()].trim().to_owned()
        })
        .collect()
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
        "src/s3/store.rs",
        "src/checksum.rs",
        "src/azure/mod.rs",
        "src/azure/delegation.rs",
        "src/gcs/mod.rs",
        "src/s3/express.rs",
    ] {
        let text = read(file);
        for (k, mut v) in rust_structs(&text) {
            // Members of flattened fields (a provider's endpoint options, declared beside its
            // endpoint rules) sit in the same object.
            let dir = &file[..file.rfind('/').unwrap()];
            for ty in rust_flattened_types(&text, &k) {
                let flat = rust_flat_structs(&read(&format!("{dir}/endpoint.rs")));
                let members = flat
                    .get(&ty)
                    .unwrap_or_else(|| panic!("no json_flat! for {ty} in {dir}/endpoint.rs"));
                v.extend(members.clone());
            }
            rust.insert(format!("{file}:{k}"), v);
        }
    }
    let ts = ts_interfaces(&read("pkg/index.d.ts"));
    // Rust type (file:name) ↔ TypeScript interface. `provider` is the request's tag and
    // `signedAt` is read for every request by the façade; both are in the TS types of the requests.
    let pairs = [
        ("src/s3/mod.rs:S3Request", "S3Request", true),
        ("src/s3/mod.rs:Credentials", "AwsCredentials", false),
        ("src/s3/store.rs:UploadLimits", "UploadLimits", false),
        ("src/checksum.rs:ChecksumJson", "ChecksumValue", false),
        ("src/azure/mod.rs:AzureRequest", "AzureRequest", true),
        (
            "src/azure/delegation.rs:UserDelegationKey",
            "UserDelegationKey",
            false,
        ),
        ("src/gcs/mod.rs:GcsRequest", "GcsRequest", true),
        (
            "src/s3/express.rs:CreateSession",
            "S3ExpressCreateSessionRequest",
            false,
        ),
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
    let text = "pub struct A {\n    pub e: Flat,\n}\njson_struct!(A { required { a: \"a\" } optional { } flatten { e } });\njson_flat!(Flat { x: \"xX\", y: \"y\" });";
    assert_eq!(rust_flattened_types(text, "A"), ["Flat"]);
    let f = rust_flat_structs(text);
    assert_eq!(f["Flat"].len(), 2);
    assert!(!f["Flat"]["xX"] && !f["Flat"]["y"]);
    let t = ts_interfaces(
        "interface B { x: string; }\nexport interface A extends B {\n  /** doc: y */\n  y?: { min: number; max: number };\n  z: number;\n}\n",
    );
    let a = flattened(&t, "A");
    assert_eq!(a.len(), 3);
    assert!(a["x"] && !a["y"] && a["z"]);
}

/// `json_enum!(Type { Variant: "name", … })` blocks of a Rust file: type name → names.
fn rust_enums(text: &str) -> BTreeMap<String, Vec<String>> {
    let mut out = BTreeMap::new();
    for block in text.split("json_enum!(").skip(1) {
        let name = leading_ident(block);
        let body = &block[..block.find("});").unwrap_or(block.len())];
        // The quoted names (one may hold a comma: Protocol's "https,http").
        let names = body
            .split('"')
            .skip(1)
            .step_by(2)
            .map(str::to_owned)
            .collect();
        out.insert(name, names);
    }
    out
}

/// The text of JS `const NAME = …;` up to the first `;` that ends a line.
fn js_const<'a>(text: &'a str, name: &str) -> &'a str {
    let at = text
        .find(&format!("const {name} = "))
        .unwrap_or_else(|| panic!("pkg/api.js has no const {name}"));
    let rest = &text[at..];
    &rest[..rest.find(";\n").unwrap()]
}

/// The `name:` keys of a JS object literal's text, nested ones included.
fn js_keys(text: &str) -> std::collections::BTreeSet<String> {
    let mut out = std::collections::BTreeSet::new();
    let bytes = text.as_bytes();
    for (i, _) in text.match_indices(':') {
        let start = text[..i]
            .rfind(|c: char| !(c.is_alphanumeric() || c == '_'))
            .map_or(0, |s| s + 1);
        let before = text[..start].trim_end();
        if start < i && (before.ends_with('{') || before.ends_with(',')) && bytes[i - 1] != b' ' {
            out.insert(text[start..i].to_owned());
        }
    }
    out
}

#[test]
fn the_s3_reader_in_js_reads_exactly_the_members_and_names_rust_reads() {
    // presign/s3's browser build reads the request in pkg/api.js (s3Members); its members must
    // be S3Request's (with the endpoint's, flat), Credentials', UploadLimits' and the checksum's,
    // and its names the schema's enums' (tests/npm_browser_parity.mjs compares the behaviour).
    let api = read("pkg/api.js");
    let mut want = std::collections::BTreeSet::new();
    for (file, ty) in [
        ("src/s3/mod.rs", "S3Request"),
        ("src/s3/mod.rs", "Credentials"),
        ("src/s3/store.rs", "UploadLimits"),
        ("src/checksum.rs", "ChecksumJson"),
    ] {
        want.extend(rust_structs(&read(file))[ty].keys().cloned());
    }
    want.extend(
        rust_flat_structs(&read("src/s3/endpoint.rs"))["Endpoint"]
            .keys()
            .cloned(),
    );
    let got = js_keys(js_const(&api, "s3Members"));
    assert_eq!(got, want, "pkg/api.js s3Members against the Rust schema");

    let enums: BTreeMap<String, Vec<String>> = [
        "src/schema/typed.rs",
        "src/s3/store.rs",
        "src/s3/endpoint.rs",
        "src/checksum.rs",
    ]
    .iter()
    .flat_map(|f| rust_enums(&read(f)))
    .collect();
    let members = js_const(&api, "s3Members");
    for ty in ["CredentialExpiry", "Store", "UrlStyle"] {
        let list = format!("oneOf([\"{}\"])", enums[ty].join("\", \""));
        assert!(members.contains(&list), "pkg/api.js s3Members lacks {list}");
    }
    let digests = js_keys(js_const(&api, "DIGEST_BYTES"));
    let algorithms: std::collections::BTreeSet<String> =
        enums["Algorithm"].iter().cloned().collect();
    assert_eq!(
        digests, algorithms,
        "pkg/api.js DIGEST_BYTES against Algorithm"
    );
}

#[test]
fn the_gcs_reader_in_js_reads_exactly_the_members_and_names_rust_reads() {
    // presign/gcs's browser build reads the request in pkg/api.js (gcsMembers, GCS_KEY,
    // GCS_HMAC); `credentials` itself ({serviceAccount} or {hmac}) is read by hand on both sides.
    let api = read("pkg/api.js");
    let gcs = read("src/gcs/mod.rs");
    let structs = rust_structs(&gcs);
    let mut want: std::collections::BTreeSet<String> =
        structs["GcsRequest"].keys().cloned().collect();
    want.extend(
        rust_flat_structs(&read("src/gcs/endpoint.rs"))["Endpoint"]
            .keys()
            .cloned(),
    );
    assert_eq!(js_keys(js_const(&api, "gcsMembers")), want, "gcsMembers");
    for (js, rust) in [
        ("GCS_KEY", "ServiceAccountKey"),
        ("GCS_HMAC", "HmacCredentials"),
    ] {
        let want: std::collections::BTreeSet<String> = structs[rust].keys().cloned().collect();
        assert_eq!(js_keys(js_const(&api, js)), want, "{js} against {rust}");
    }
    let enums = rust_enums(&read("src/gcs/endpoint.rs"));
    let members = js_const(&api, "gcsMembers");
    for ty in ["UrlStyle", "UrlScheme"] {
        let list = format!("oneOf([\"{}\"])", enums[ty].join("\", \""));
        assert!(
            members.contains(&list),
            "pkg/api.js gcsMembers lacks {list}"
        );
    }
}

#[test]
fn the_azure_reader_in_js_reads_exactly_the_members_and_names_rust_reads() {
    // presign/azure's browser build reads the request in pkg/api.js (azureMembers with the
    // response headers inline; azureCredentials with the user-delegation key inline).
    let api = read("pkg/api.js");
    let azure = read("src/azure/mod.rs");
    let structs = rust_structs(&azure);
    type Structs = BTreeMap<String, BTreeMap<String, bool>>;
    let keys = |tys: &[(&Structs, &str)]| {
        tys.iter()
            .flat_map(|(s, ty)| s[*ty].keys().cloned())
            .collect::<std::collections::BTreeSet<String>>()
    };
    let want = keys(&[(&structs, "AzureRequest"), (&structs, "ResponseHeaders")]);
    assert_eq!(
        js_keys(js_const(&api, "azureMembers")),
        want,
        "azureMembers"
    );
    let delegation = rust_structs(&read("src/azure/delegation.rs"));
    let want = keys(&[
        (&structs, "CredentialMembers"),
        (&delegation, "UserDelegationKey"),
    ]);
    let credentials = js_const(&api, "azureCredentials");
    assert_eq!(js_keys(credentials), want, "azureCredentials");
    // The user-delegation key's required members: the list after its members' object.
    let list = &credentials[credentials.find("}, [").unwrap() + 4..];
    let got: std::collections::BTreeSet<String> = list[..list.find(']').unwrap()]
        .split(',')
        .map(|k| k.trim().trim_matches('"').to_owned())
        .collect();
    let required: std::collections::BTreeSet<String> = delegation["UserDelegationKey"]
        .iter()
        .filter(|(_, r)| **r)
        .map(|(k, _)| k.clone())
        .collect();
    assert_eq!(
        got, required,
        "azureCredentials: UserDelegationKey's required members"
    );

    let mut enums = rust_enums(&azure);
    enums.extend(rust_enums(&read("src/schema/typed.rs")));
    let members = js_const(&api, "azureMembers");
    for ty in ["SasKind", "Resource", "Protocol", "CredentialExpiry"] {
        let list = format!("oneOf([\"{}\"])", enums[ty].join("\", \""));
        assert!(
            members.contains(&list),
            "pkg/api.js azureMembers lacks {list}"
        );
    }
    // The letter sets: Permissions' letters, then Services' and ResourceTypes' (in that order).
    let permissions = read("src/azure/permissions.rs");
    let sets: Vec<&str> = permissions
        .match_indices("LETTERS: &")
        .map(|(i, _)| {
            let rest = &permissions[i..];
            let q = rest.find('"').unwrap() + 1;
            &rest[q..q + rest[q..].find('"').unwrap()]
        })
        .collect();
    assert_eq!(sets.len(), 3, "permissions.rs: three LETTERS consts");
    for (member, letters) in ["permissions", "services", "resourceTypes"]
        .iter()
        .zip(&sets)
    {
        let js = format!("{member}: letters(\"{letters}\")");
        assert!(members.contains(&js), "pkg/api.js azureMembers lacks {js}");
    }
}
