//! Two jobs.
//!
//! 1. The crate's cfg predicates, one home per rule: each feature combination the source tests in
//!    more than one place is computed here from the enabled features (`CARGO_FEATURE_*`) and
//!    passed to rustc as a named cfg (`#[cfg(url_signer)]` instead of
//!    `#[cfg(any(feature = "s3", feature = "azure", feature = "gcs"))]`). A new feature joins a
//!    rule here, not at every site. Each name is declared to `unexpected_cfgs` whether or not it
//!    is set. The build script does not see `test`: sites that also hold for the unit tests say
//!    `any(<name>, test)`. Simple one-off predicates stay at their site.
//! 2. The unit tests that read the repository's test vectors (the AWS SigV4 and SigV4a suites,
//!    through tests/common) are compiled where those files are — in the repository — and not in
//!    the published crate, which leaves tests/ out (see `include` in Cargo.toml): cfg
//!    `presign_vectors`. No code of the library depends on it. `.ci/crate-files` tests the
//!    unpacked crate in the repository's target folder with `PRESIGN_PACKAGED=1`, so that cargo
//!    reruns this script on either side instead of reusing the other side's answer.
use std::env;

/// Whether cargo feature `name` (as Cargo.toml spells it) is enabled.
fn feature(name: &str) -> bool {
    let var = format!("CARGO_FEATURE_{}", name.to_uppercase().replace('-', "_"));
    env::var_os(var).is_some()
}

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-changed=tests/common/mod.rs");
    println!("cargo::rerun-if-env-changed=PRESIGN_PACKAGED");

    let (s3, azure, gcs) = (feature("s3"), feature("azure"), feature("gcs"));
    let (json, post, cors, upload) = (
        feature("json"),
        feature("post"),
        feature("cors"),
        feature("upload"),
    );
    let (exchange, verify, sigv4a, s3express) = (
        feature("exchange"),
        feature("verify"),
        feature("sigv4a"),
        feature("s3express"),
    );
    let wasm = feature("wasm");
    let wasm32 = env::var("CARGO_CFG_TARGET_ARCH").is_ok_and(|a| a == "wasm32");

    // What the signers need.
    // `url_signer`: at least one cloud's URL signer (s3, azure or gcs).
    let url_signer = s3 || azure || gcs;
    // `sigv4`: a SigV4-shaped URL signer: S3 SigV4 or GCS V4 (canonical request and query, hex
    // SHA-256) — s3 or gcs.
    let sigv4 = s3 || gcs;
    // `sigv4_prepared`: the SigV4 steps split at the string to sign (`sigv4::Prepared`), for a
    // signature made elsewhere: GCS V4 (RSA, remote signBlob) or SigV4a (ECDSA) — gcs or sigv4a.
    let sigv4_prepared = gcs || sigv4a;
    // `any_signer`: something signs: a URL signer or a POST policy — s3, azure, gcs or post.
    let any_signer = url_signer || post;
    // `v4_lifetime`: the 7-day lifetime rule of V4 signatures: SigV4, GCS V4, POST policies (S3
    // and GCS) — s3, gcs or post.
    let v4_lifetime = sigv4 || post;
    // `expiring_credentials`: credentials that can expire before what they sign (S3 temporary
    // credentials, Azure user-delegation keys) — s3 or azure.
    let expiring_credentials = s3 || azure;
    // `hashing`: SHA-256/HMAC and the hex and base64 encodings, for a URL signer or the upload
    // checksums — s3, azure, gcs or upload.
    let hashing = url_signer || upload;
    // `hex_decoder`: hex decoding of a signature: SigV4a's, or the verifier's RSA signatures —
    // sigv4a, or verify with gcs-rsa.
    let hex_decoder = sigv4a || (verify && feature("gcs-rsa"));

    // Reading and checking the caller's input.
    // `input_checks`: a builder that checks the caller's input (URL signers, POST policies, CORS
    // rules): substring search, the member paths of list elements — s3, azure, gcs, post or cors.
    let input_checks = any_signer || cors;
    // `member_paths`: error messages that name a member path (`msg_at!`, `at_path`, decimal
    // numbers in them): the input checks or the JSON reader — s3, azure, gcs, post, cors or json.
    let member_paths = input_checks || json;
    // `request_reader`: a typed request the schema reads (`json_struct!` / `json_enum!`): a URL
    // signer's, an upload's or a POST policy's — s3, azure, gcs, upload or post.
    let request_reader = url_signer || upload || post;

    // JSON and XML.
    // `json_reader`: the JSON reader: the request schema, Azure's token answers, GCS service-account
    // keys — json, azure or gcs.
    let json_reader = json || azure || gcs;
    // `json_writer`: the JSON string escaper: results, GCS signed documents, CORS rules, POST
    // policy documents — json, gcs, cors or post.
    let json_writer = json || gcs || cors || post;
    // `object_writer`: the schema's JSON object writer (`schema::Object`) — json or gcs.
    let object_writer = json || gcs;

    // Credential exchanges and services' answers.
    // `exchanges`: the Rust credential-exchange builders and parsers: always in native builds; in
    // wasm builds (feature `wasm`) only with `exchange` — exchange, or not wasm.
    let exchanges = exchange || !wasm;
    // `xml_reader`: the XML reader of services' answers: Azure's (user-delegation keys, errors),
    // upload steps', S3 Express CreateSession's, STS's — azure, upload, s3express, or s3 with
    // `exchanges`.
    let xml_reader = azure || upload || s3express || (s3 && exchanges);
    // `service_answers`: a service's answer is read, so its error document becomes an `Error`
    // (`error::quoted`, `http::service_error`): the XML answers or GCS's JSON ones —
    // `xml_reader` or gcs.
    let service_answers = xml_reader || gcs;
    // `gcs_upload`: GCS XML API multipart upload — upload and gcs.
    let gcs_upload = upload && gcs;
    // `upload_plan`: the multipart model, with a signer for its steps — upload and `url_signer`
    // (upload alone carries only the checksums).
    let upload_plan = upload && url_signer;

    // Messages.
    // `terse_errors`: the browser builds' short messages (code and member path, no sentence):
    // feature terse-errors, on wasm32 only.
    let terse_errors = feature("terse-errors") && wasm32;

    // The wasm-bindgen glue (`src/wasm`), each with feature `wasm`.
    // `wasm_url`: the URL entries' exports (presignJson, presignManyJson, the client) —
    // wasm-url and `url_signer`.
    let wasm_url = feature("wasm-url") && url_signer;
    // `wasm_fields`: the browser builds of the provider entries, whose requests pkg/api.js reads
    // (its reader of the provider's schema) and passes as fields (`src/wasm/fields.rs`) —
    // wasm-fields and `url_signer`.
    let wasm_fields = feature("wasm-fields") && url_signer;
    // `wasm_signer`: one URL signer for the module and the answer of one URL — `wasm_url` or
    // `wasm_fields`.
    let wasm_signer = wasm_url || wasm_fields;
    // `wasm_exports`: `src/wasm/mod.rs` itself exports something (its own `#[wasm_bindgen]`
    // items) — `wasm_signer`, post, cors, verify or exchange.
    let wasm_exports = wasm && (wasm_signer || post || cors || verify || exchange);
    // `wasm_request_exports`: an export takes a request and the instant (`now`, `with`) —
    // `wasm_url`, `upload_plan`, post, verify or exchange.
    let wasm_request_exports = wasm && (wasm_url || upload_plan || post || verify || exchange);
    // `wasm_text_exports`: an export reads its input as UTF-8 text (`text`) — the request exports
    // or cors.
    let wasm_text_exports = wasm_request_exports || (wasm && cors);
    // `no_std_wasm`: the crate without std (`#![no_std]`, alloc only, its own panic handler that
    // traps): the browser builds, whose allocator is lol_alloc's — feature wasm-small-alloc, on
    // wasm32 only. std's panic machinery formats every panic's message, which keeps `core::fmt`
    // in the wasm even when no message is ever shown.
    let no_std_wasm = feature("wasm-small-alloc") && wasm32;
    // `batch_sign`: S3 URLs whose signatures a batch computes four at a time (the client's
    // calls given as values, `json::Client::presign_keys`; `sigv4::Unsigned`) — s3 and json,
    // not in the browser builds (`no_std_wasm`), which sign a URL at a time.
    let batch_sign = s3 && json && !no_std_wasm;
    // `once_values`: a value made once for the whole module (`sync::Once`): the wasm exports'
    // signers or the CRC tables — `wasm_signer`, wasm and post, or upload.
    let once_values = wasm_signer || (wasm && post) || upload;

    // The repository's test vectors (job 2).
    let packaged = env::var_os("PRESIGN_PACKAGED").is_some();
    let presign_vectors = !packaged && std::path::Path::new("tests/common/mod.rs").exists();

    for (name, on) in [
        ("url_signer", url_signer),
        ("sigv4", sigv4),
        ("sigv4_prepared", sigv4_prepared),
        ("any_signer", any_signer),
        ("v4_lifetime", v4_lifetime),
        ("expiring_credentials", expiring_credentials),
        ("hashing", hashing),
        ("hex_decoder", hex_decoder),
        ("input_checks", input_checks),
        ("member_paths", member_paths),
        ("request_reader", request_reader),
        ("json_reader", json_reader),
        ("json_writer", json_writer),
        ("object_writer", object_writer),
        ("exchanges", exchanges),
        ("xml_reader", xml_reader),
        ("service_answers", service_answers),
        ("gcs_upload", gcs_upload),
        ("upload_plan", upload_plan),
        ("terse_errors", terse_errors),
        ("wasm_url", wasm_url),
        ("wasm_fields", wasm_fields),
        ("wasm_signer", wasm_signer),
        ("wasm_exports", wasm_exports),
        ("wasm_request_exports", wasm_request_exports),
        ("wasm_text_exports", wasm_text_exports),
        ("no_std_wasm", no_std_wasm),
        ("batch_sign", batch_sign),
        ("once_values", once_values),
        ("presign_vectors", presign_vectors),
    ] {
        println!("cargo::rustc-check-cfg=cfg({name})");
        if on {
            println!("cargo::rustc-cfg={name}");
        }
    }
}
