//! Azure SAS vectors with fixed keys, run from one data-driven loop; every case is compared stage
//! by stage (string-to-sign, signature, token parameters), all differences are printed, and the
//! test fails once at the end.
//!
//! - `azure-storage-node-sas-2018-03-28.json`: assertions from Microsoft's retired
//!   azure-storage-node SDK tests (sv=2018-03-28), checked through the low-level
//!   [`presign::azure::sas`] functions and, where the inputs are a valid request, through the
//!   request API too.
//! - `storage-blob-js-sas.json`: cases signed by @azure/storage-blob (the official JS SDK) for the
//!   2020-12-06, 2025-07-05 and 2026-04-06 layouts, run through the request schema.
//!
//! Vectors: tests/vectors/azure (see SOURCE.md there).
#![cfg(all(feature = "azure", feature = "json"))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use base64::Engine as _;
use presign::azure::sas::{self, Layout, SasFields};
use presign::azure::Presigner;
use presign::{Request, Timestamp};
use serde_json::Value;
use std::collections::BTreeMap;

mod common;
use common::{query_map, vector_json, Diffs};

fn s<'a>(v: &'a Value, k: &str) -> Option<&'a str> {
    v.get(k).and_then(Value::as_str)
}

/// The node vectors through the low-level layout functions.
fn node_vector_low_level(v: &Value, fails: &mut Diffs) {
    let id = v["id"].as_str().unwrap();
    let i = &v["inputs"];
    let version = v["signed_version"].as_str().unwrap();
    let layout = sas::SignedVersion::parse(version).unwrap().layout();
    assert_eq!(layout, Layout::V2015_04_05);
    let account = s(i, "account_name").unwrap();
    let service = v["kind"] == "service_sas_blob";
    let fields = SasFields {
        version,
        services: s(i, "services"),
        resource_types: s(i, "resource_types"),
        resource: service.then_some("b"),
        permissions: s(i, "permission"),
        start: s(i, "start"),
        expiry: s(i, "expiry"),
        ip: s(i, "ip"),
        protocol: s(i, "protocol"),
        identifier: s(i, "policy_id"),
        ..SasFields::default()
    };
    let sts = if service {
        let resource = sas::canonical_resource(
            account,
            s(i, "container").unwrap(),
            Some(s(i, "blob").unwrap()),
        );
        sas::service_string_to_sign(layout, &resource, &fields).unwrap()
    } else {
        sas::account_string_to_sign(layout, account, &fields).unwrap()
    };
    fails.check(
        id,
        "string-to-sign",
        &sts,
        v["derived_string_to_sign"].as_str().unwrap(),
    );
    // The signature, computed here with ring and base64 (the crate's own HMAC is internal).
    let b64 = base64::engine::general_purpose::STANDARD;
    let account_key = b64.decode(s(i, "account_key").unwrap()).unwrap();
    let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, &account_key);
    let sig = b64.encode(ring::hmac::sign(&key, sts.as_bytes()));
    let want_sig = v["expected"]["signature"].as_str().unwrap();
    fails.check(id, "signature", &sig, want_sig);

    // Token parameters.
    let mut token = String::new();
    sas::write_query(&mut token, &fields, &sig);
    let got = query_map(&format!("?{token}"), fails, id);
    let want: BTreeMap<String, String> = if let Some(q) = s(&v["expected"], "query_string") {
        query_map(&format!("?{q}"), fails, id)
    } else if let Some(obj) = v["expected"]["query_values"].as_object() {
        let mut m: BTreeMap<String, String> = obj
            .iter()
            .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned()))
            .collect();
        m.insert("sig".into(), want_sig.into());
        m
    } else {
        return;
    };
    fails.check(
        id,
        "token parameters",
        &format!("{got:?}"),
        &format!("{want:?}"),
    );
}

/// The node vectors whose inputs form a valid request, through the request API.
fn node_vector_request(v: &Value, fails: &mut Diffs) {
    let id = v["id"].as_str().unwrap();
    let i = &v["inputs"];
    let service = v["kind"] == "service_sas_blob";
    let mut req = serde_json::json!({
        "provider": "azure",
        "account": i["account_name"],
        "version": v["signed_version"],
        "permissions": i["permission"],
        "expiresOn": i["expiry"],
        "protocol": i["protocol"],
        "credentials": {"accountKey": i["account_key"]},
        // Signed before the expiry; the instant is not part of the signature.
        "signedAt": "2011-01-01T00:00:00Z",
    });
    let r = req.as_object_mut().unwrap();
    if !i["start"].is_null() {
        r.insert("startsOn".into(), i["start"].clone());
    }
    if !i["ip"].is_null() {
        r.insert("ipRange".into(), i["ip"].clone());
    }
    if service {
        r.insert("container".into(), i["container"].clone());
        r.insert("blob".into(), i["blob"].clone());
    } else {
        r.insert("sas".into(), "account".into());
        r.insert("services".into(), i["services"].clone());
        r.insert("resourceTypes".into(), i["resource_types"].clone());
    }
    let req: Request = presign::json::parse_request(&req.to_string()).unwrap();
    let out = presign::presign(&req, Timestamp::from_unix(0).unwrap()).unwrap();
    let got = query_map(&out.url, fails, id);
    fails.check(
        id,
        "request API signature",
        got.get("sig").map_or("", String::as_str),
        v["expected"]["signature"].as_str().unwrap(),
    );
    if let Some(obj) = v["expected"]["query_values"].as_object() {
        for (k, want) in obj {
            fails.check(
                id,
                &format!("request API {k}"),
                got.get(k).map_or("<absent>", String::as_str),
                want.as_str().unwrap(),
            );
        }
    }
}

#[test]
fn azure_storage_node_vectors_2018_03_28() {
    let file = vector_json("azure/azure-storage-node-sas-2018-03-28.json");
    let vectors = file["vectors"].as_array().unwrap();
    assert_eq!(vectors.len(), 4);
    let mut fails = Diffs::new();
    for v in vectors {
        node_vector_low_level(v, &mut fails);
        // 'storageAccount' is not a valid account name and that vector has no permissions.
        if v["inputs"]["account_name"] != "storageAccount" {
            node_vector_request(v, &mut fails);
        }
    }
    fails.finish("azure-storage-node vectors (sv 2018-03-28)");
}

#[test]
fn storage_blob_js_vectors() {
    let file = vector_json("azure/storage-blob-js-sas.json");
    let cases = file["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 10);
    let signer = Presigner::new();
    let mut fails = Diffs::new();
    for c in cases {
        let id = c["id"].as_str().unwrap();
        // The exact JSON text: a parsed `Value` would sort requestHeaders / requestQuery,
        // whose order is signed.
        let req = match presign::json::parse_request(c["request_json"].as_str().unwrap()) {
            Ok(Request::Azure(r)) => r,
            other => panic!("{id}: not an Azure request: {other:?}"),
        };
        let (out, sts) =
            match signer.presign_with_string_to_sign(&req, Timestamp::from_unix(0).unwrap()) {
                Ok(x) => x,
                Err(e) => {
                    fails.fail(id, e);
                    continue;
                }
            };
        let want = &c["expected"];
        fails.check(
            id,
            "string-to-sign",
            &sts,
            want["string_to_sign"].as_str().unwrap(),
        );
        let mut got = query_map(&out.url, &mut fails, id);
        fails.check(
            id,
            "signature",
            got.get("sig").map_or("", String::as_str),
            want["signature"].as_str().unwrap(),
        );
        // The SDK's token parameters must all be ours, with the same values.
        for (k, v) in want["params"].as_object().unwrap() {
            match got.remove(k) {
                Some(g) => {
                    fails.check(id, k, &g, v.as_str().unwrap());
                }
                None => fails.fail(id, format!("parameter {k} missing from {}", out.url)),
            }
        }
        // What is left addresses the resource: snapshot, versionid, bound query parameters.
        let mut rest = BTreeMap::new();
        if let Some(v) = &req.snapshot {
            rest.insert("snapshot".to_string(), v.clone());
        }
        if let Some(v) = &req.version_id {
            rest.insert("versionid".to_string(), v.clone());
        }
        for (k, v) in req.request_query.iter() {
            rest.insert(k.to_string(), v.to_string());
        }
        fails.check(
            id,
            "addressing parameters",
            &format!("{got:?}"),
            &format!("{rest:?}"),
        );
        // Bound headers come back as headers to send (lower-case, sorted), plus the blob type
        // of a plain upload.
        let mut headers: Vec<(String, String)> = req
            .request_headers
            .iter()
            .map(|(k, v)| (k.to_ascii_lowercase(), v.to_string()))
            .collect();
        if req.method == presign::Method::Put {
            headers.push(("x-ms-blob-type".into(), "BlockBlob".into()));
        }
        headers.sort();
        fails.check(
            id,
            "headers",
            &format!("{:?}", out.headers.0),
            &format!("{headers:?}"),
        );
    }
    fails.finish("@azure/storage-blob SAS vectors");
}

/// Decoded `(name, value)` pairs of a query or form, sorted, without the names in `skip`.
#[cfg(feature = "exchange")]
fn pairs(encoded: &str, skip: &[&str]) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = if encoded.is_empty() {
        Vec::new()
    } else {
        encoded
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|p| {
                let (n, v) = p.split_once('=').unwrap_or((p, ""));
                (common::percent_decode(n), common::percent_decode(v))
            })
            .collect()
    };
    v.retain(|(n, _)| !skip.contains(&n.as_str()));
    v.sort();
    v
}

#[cfg(feature = "exchange")]
fn want_pairs(v: &Value, skip: &[&str]) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p[0].as_str().unwrap().into(), p[1].as_str().unwrap().into()))
        .collect();
    out.retain(|(n, _)| !skip.contains(&n.as_str()));
    out.sort();
    out
}

/// `entra-token-requests.json`: the token requests azure-identity 1.27 (MSAL 1.39) sends for
/// client credentials (secret, assertion, workload-identity token file, sovereign authorities)
/// and managed identities (IMDS and App Service, each id kind), captured by
/// gen_entra_token_requests.py; ours built from the same options through the JSON façade
/// (`azure.token`, `azure.managedIdentityToken`). Compared: method, URL, query and form pairs
/// (decoded, in any order; MSAL's `client_info=1` left out, see the file's `extra`) and the
/// headers that carry meaning. Our requests send no header azure-identity does not, except
/// `accept: application/json` on the token POST (MSAL sends it too, left out of the capture).
#[cfg(feature = "exchange")]
#[test]
fn entra_token_requests_match_azure_identity() {
    let v = vector_json("azure/entra-token-requests.json");
    let now = Timestamp::parse_rfc3339("2026-11-24T10:00:00Z").unwrap();
    let mut fails = Diffs::new();
    let cases = v["cases"].as_array().unwrap();
    assert!(cases.len() >= 13, "{} cases", cases.len());
    for c in cases {
        let name = c["name"].as_str().unwrap();
        let want = &c["request"];
        let skip: Vec<&str> = c["extra"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e.as_str().unwrap())
            .collect();
        let out = presign::json::exchange_request_json(&c["options"].to_string(), now);
        let got: Value = serde_json::from_str(&out).unwrap();
        if got.get("error").is_some() {
            fails.fail(name, out);
            continue;
        }
        let url = got["url"].as_str().unwrap();
        let (base, query) = url.split_once('?').unwrap_or((url, ""));
        fails.check(
            name,
            "method",
            got["method"].as_str().unwrap(),
            want["method"].as_str().unwrap(),
        );
        fails.check(name, "url", base, want["url"].as_str().unwrap());
        fails.check(
            name,
            "query",
            &format!("{:?}", pairs(query, &[])),
            &format!("{:?}", want_pairs(&want["query"], &[])),
        );
        fails.check(
            name,
            "form",
            &format!("{:?}", pairs(got["body"].as_str().unwrap(), &skip)),
            &format!("{:?}", want_pairs(&want["form"], &skip)),
        );
        let mut headers: BTreeMap<String, String> = got["headers"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned()))
            .collect();
        headers.remove("accept");
        let want_headers: BTreeMap<String, String> = want["headers"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned()))
            .collect();
        fails.check(
            name,
            "headers",
            &format!("{headers:?}"),
            &format!("{want_headers:?}"),
        );
    }
    fails.finish("azure-identity token requests");
}
