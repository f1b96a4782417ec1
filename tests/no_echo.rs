//! Error messages quote nothing from the input (src/error.rs): a canary put anywhere in a request
//! never comes back in an error (or warning) message.
//!
//! For every member of full requests of every provider (URLs, POST forms, CORS rules and verify
//! inputs), each string is replaced by canary-holding variants invalid in different ways (alone,
//! too long, with a control character, a space, a URL, appended to or put before the valid value,
//! as an extra connection-string part or query parameter…); each number by a canary number (too
//! large, negative, a fraction, beyond 64 bits); every member by a value of the wrong type; every
//! member and map entry is renamed to a canary name; an unknown canary member is added to every
//! object. Each variant goes through the JSON entry points the CLI and the npm package use
//! (`presign_json`, `presign_many_json`, `post_json`, `cors_json`, `verify_json`); no message may
//! contain the canary (compared case-insensitively) or a canary number.

#![cfg(feature = "json")]
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

use presign::{Signer, Timestamp};
use serde_json::{json, Value};

const C: &str = "CANARYzq7";
/// Numbers that cannot appear in a message by chance (every number canary contains the first).
const N: &str = "987654321";
const KEY_FILE: &str = include_str!("vectors/gcs/test_service_account.not-a-test.json");

fn now() -> Timestamp {
    Timestamp::parse_rfc3339("2026-11-24T10:00:00Z").unwrap()
}

/// Canary variants of a string member whose valid value is `base`.
fn string_variants(base: &str) -> Vec<String> {
    vec![
        C.to_owned(),
        format!("{C} x/ :;=&?#"),
        format!("x\u{1}{C}"),
        format!("{C}\r\n"),
        format!("{C}/").repeat(150),
        format!("-{C}-"),
        format!("https://{C}/x?y#z"),
        format!("{C}://x/y"),
        format!("ü{C}"),
        format!("{base}{C}"),
        format!("{C}{base}"),
        format!("{base};{C}=x"),
        format!("{base};AccountName={C}"),
        format!("{base};{C}"),
        format!("{base}/{C}"),
        format!("{base} {C}"),
        format!("{base}\n{C}"),
        format!("{base}&{C}=1"),
        format!("{base}&X-Amz-{C}=1"),
        format!("{base}..{C}"),
        format!("{base}-{C}"),
        format!("{C}.{base}"),
    ]
}

/// Canary numbers: plain (too large for most members), a fraction, negative, beyond i64, beyond u64.
fn number_variants() -> Vec<Value> {
    vec![
        json!(987654321u64),
        json!(9876543219876543u64),
        serde_json::from_str("987654321.5").unwrap(),
        json!(-987654321i64),
        json!(9876543219876543219u64),
        serde_json::from_str("98765432198765432198765").unwrap(),
    ]
}

/// Names a map entry or member is renamed to.
fn name_variants() -> Vec<String> {
    vec![
        C.to_owned(),
        format!("{C} x"),
        format!("x-amz-meta-{C}"),
        format!("X-Amz-{C}"),
        format!("x-goog-{C}"),
        format!("x-ms-{C}"),
        format!("x-ignore-{C}"),
        format!("{C}:"),
        format!("ü{C}"),
        String::new() + C + "\u{1}",
    ]
}

/// Every mutation of `v` (path → replacement): the request with one change.
fn mutations(v: &Value) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    walk(v, &mut Vec::new(), &mut |path, node| {
        let mut add = |what: &str, new: Value| {
            out.push((
                format!("{} <- {what}", path.join(".")),
                replace(v, path, new),
            ));
        };
        match node {
            Value::String(s) => {
                for s in string_variants(s) {
                    add("string", Value::String(s));
                }
            }
            Value::Number(_) => {
                for n in number_variants() {
                    add("number", n);
                }
            }
            Value::Object(m) => {
                let mut with = m.clone();
                with.insert(C.to_owned(), json!(C));
                add("unknown member", Value::Object(with));
                for (i, k) in m.keys().enumerate() {
                    for name in name_variants() {
                        let renamed: serde_json::Map<String, Value> = m
                            .iter()
                            .enumerate()
                            .map(|(j, (kk, vv))| {
                                (if j == i { name.clone() } else { kk.clone() }, vv.clone())
                            })
                            .collect();
                        add(&format!("renamed {k}"), Value::Object(renamed));
                    }
                }
            }
            Value::Array(a) => {
                let mut with = a.clone();
                with.push(json!(C));
                add("extra element", Value::Array(with));
            }
            _ => {}
        }
        if !path.is_empty() {
            add("wrong type: string", json!(C));
            add("wrong type: object", json!({ C: C }));
            add("wrong type: array", json!([C]));
        }
    });
    out
}

fn walk(v: &Value, path: &mut Vec<String>, f: &mut dyn FnMut(&[String], &Value)) {
    f(path, v);
    match v {
        Value::Object(m) => {
            for (k, child) in m {
                path.push(k.clone());
                walk(child, path, f);
                path.pop();
            }
        }
        Value::Array(a) => {
            for (i, child) in a.iter().enumerate() {
                path.push(i.to_string());
                walk(child, path, f);
                path.pop();
            }
        }
        _ => {}
    }
}

fn replace(v: &Value, path: &[String], new: Value) -> Value {
    let mut out = v.clone();
    let mut node = &mut out;
    for k in path {
        node = match node {
            Value::Object(m) => m.get_mut(k).unwrap(),
            Value::Array(a) => &mut a[k.parse::<usize>().unwrap()],
            _ => unreachable!(),
        };
    }
    *node = new;
    out
}

/// The error and warning messages of a JSON answer (a result, an array of results, a verdict).
fn messages(answer: &str) -> Vec<String> {
    let v: Value = serde_json::from_str(answer).unwrap_or_else(|e| panic!("{e}: {answer}"));
    let mut out = Vec::new();
    let items = match &v {
        Value::Array(a) => a.clone(),
        _ => vec![v],
    };
    for item in items {
        if let Some(m) = item["error"]["message"].as_str() {
            out.push(m.to_owned());
        }
        if let Some(ws) = item["warnings"].as_array() {
            out.extend(
                ws.iter()
                    .filter_map(|w| w["message"].as_str().map(str::to_owned)),
            );
        }
    }
    out
}

fn is_error(answer: &str) -> bool {
    let v: Value = serde_json::from_str(answer).unwrap();
    match &v {
        Value::Array(a) => a.iter().any(|r| r.get("error").is_some()),
        _ => v.get("error").is_some() || v.get("valid") == Some(&Value::Bool(false)),
    }
}

/// Runs every mutation of `base` through `call`; returns (variants, errors). Panics listing
/// every message that quotes a canary.
fn check(name: &str, base: &Value, call: &dyn Fn(&str) -> Vec<String>) -> (usize, usize) {
    let answers = call(&base.to_string());
    let (mut variants, mut errors) = (0, 0);
    let mut leaks = Vec::new();
    for (what, req) in mutations(base) {
        variants += 1;
        for answer in call(&req.to_string()) {
            if is_error(&answer) {
                errors += 1;
            }
            for m in messages(&answer) {
                if m.to_ascii_lowercase().contains(&C.to_ascii_lowercase()) || m.contains(N) {
                    leaks.push(format!("{name}: {what}: {m}"));
                }
            }
        }
    }
    assert!(
        answers.iter().all(|a| !is_error(a)),
        "{name}: the base request must be valid: {answers:?}"
    );
    assert!(
        leaks.is_empty(),
        "{} messages quote the input:\n{}",
        leaks.len(),
        leaks.join("\n")
    );
    (variants, errors)
}

fn presign_calls(req: &str) -> Vec<String> {
    let signer = Signer::new();
    vec![
        presign::json::presign_json(&signer, req, now()),
        presign::json::presign_many_json(&signer, &format!("[{req}]"), now()),
    ]
}

fn post_calls(req: &str) -> Vec<String> {
    vec![presign::json::post_json(None, req, now())]
}

fn cors_calls(req: &str) -> Vec<String> {
    vec![presign::json::cors_json(req)]
}

fn aws() -> Value {
    json!({"accessKeyId": "AKIAIOSFODNN7EXAMPLE", "secretAccessKey": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
           "sessionToken": "FwoGZXIvYXdzEXAMPLETOKEN", "expiresAt": "2026-11-24T12:00:00Z"})
}

fn s3_requests() -> Vec<Value> {
    vec![
        json!({"provider": "s3", "method": "PUT", "bucket": "my-bucket", "key": "uploads/cat.jpg",
               "keyPrefix": "users/alice", "region": "eu-west-1", "urlStyle": "virtualHosted",
               "dualstack": false, "accelerate": false, "fips": false, "credentials": aws(),
               "expiresIn": 600, "signedAt": "2026-11-24T10:00:00Z",
               "headers": {"content-type": "image/jpeg", "x-amz-meta-owner": "alice"},
               "query": {"response-content-disposition": "attachment", "versionId": "v1"},
               "credentialExpiry": "warn"}),
        json!({"provider": "s3", "bucket": "my-bucket", "key": "k", "region": "us-east-1",
               "endpoint": "https://minio.example.com:9000/base", "urlStyle": "path",
               "credentials": aws(), "signedAt": 1795514400000u64, "credentialExpiry": "error"}),
        json!({"provider": "s3", "bucket": "mybucket", "key": "k", "region": "us-west-2",
               "dualstack": true, "accelerate": true, "credentials": aws(), "credentialExpiry": "clamp"}),
    ]
}

fn udk() -> Value {
    json!({"signedOid": "11111111-1111-1111-1111-111111111111", "signedTid": "22222222-2222-2222-2222-222222222222",
           "signedStart": "2026-11-24T09:00:00Z", "signedExpiry": "2026-11-25T09:00:00Z",
           "signedService": "b", "signedVersion": "2026-04-06", "value": "a2V5a2V5a2V5a2V5a2V5a2V5",
           "signedDelegatedUserTid": "33333333-3333-3333-3333-333333333333"})
}

fn azure_requests() -> Vec<Value> {
    let key = json!({"accountKey": "a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5"});
    vec![
        json!({"provider": "azure", "method": "PUT", "sas": "service", "account": "myaccount",
               "container": "photos", "blob": "dir/cat.jpg", "resource": "blob", "credentials": key,
               "permissions": "rcw", "startsOn": "2026-11-24T09:55:00Z", "clockSkew": 60,
               "expiresIn": 600, "ipRange": "168.1.5.60-168.1.5.70", "protocol": "https",
               "identifier": "policy1", "encryptionScope": "scope1", "snapshot": "2026-11-01T00:00:00.0000000Z",
               "version": "2025-07-05",
               "responseHeaders": {"cacheControl": "no-cache", "contentDisposition": "attachment",
                                   "contentEncoding": "gzip", "contentLanguage": "en", "contentType": "image/jpeg"},
               "signedAt": "2026-11-24T10:00:00Z", "query": {"comp": "block", "blockid": "AAAA"},
               "credentialExpiry": "warn"}),
        json!({"provider": "azure", "sas": "account", "container": "photos", "blob": "b.txt",
               "services": "b", "resourceTypes": "sco", "expiresOn": "2026-11-24T11:00:00Z",
               "versionId": "2026-11-01T00:00:00.0000000Z",
               "credentials": {"connectionString": "DefaultEndpointsProtocol=https;AccountName=myaccount;AccountKey=a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5;EndpointSuffix=core.windows.net"}}),
        json!({"provider": "azure", "sas": "userDelegation", "account": "myaccount", "container": "photos",
               "blob": "b.txt", "permissions": "r", "version": "2026-04-06", "credentials": {"userDelegationKey": udk()},
               "preauthorizedAgentObjectId": "44444444-4444-4444-4444-444444444444",
               "correlationId": "55555555-5555-5555-5555-555555555555",
               "delegatedUserObjectId": "66666666-6666-6666-6666-666666666666",
               "requestHeaders": {"x-ms-meta-a": "1"}, "requestQuery": {"comp": "block"},
               "signedAt": "2026-11-24T10:00:00Z", "credentialExpiry": "error"}),
        json!({"provider": "azure", "sas": "userDelegation", "account": "myaccount", "container": "photos",
               "blob": "b.txt", "version": "2026-04-06", "credentials": {"userDelegationKey": udk()},
               "agentObjectId": "77777777-7777-7777-7777-777777777777", "signedAt": "2026-11-24T10:00:00Z"}),
        json!({"provider": "azure", "account": "devstoreaccount1", "container": "photos", "blob": "dir",
               "resource": "directory", "endpoint": "http://127.0.0.1:10000", "permissions": "rl",
               "credentials": key, "signedAt": "2026-11-24T10:00:00Z"}),
        json!({"provider": "azure", "container": "photos", "blob": "b",
               "credentials": {"connectionString": "BlobEndpoint=https://myaccount.blob.core.windows.net;SharedAccessSignature=sv=2025-07-05&se=2026-12-01T00:00:00Z&sp=r&sig=abc"}}),
        json!({"provider": "azure", "container": "photos", "blob": "b",
               "credentials": {"connectionString": "UseDevelopmentStorage=true"}}),
    ]
}

fn gcs_requests() -> Vec<Value> {
    let hmac = json!({"hmac": {"accessId": "GOOG1EEXAMPLE", "secret": "bGoa+V7g/yqDXvKRqq+JTFn4uQZbPiQJo4pf9RzJ"}});
    let mut list = vec![
        json!({"provider": "gcs", "method": "PUT", "bucket": "my-bucket", "object": "uploads/cat.jpg",
               "credentials": hmac, "urlStyle": "virtualHosted", "scheme": "https",
               "headers": {"content-type": "image/jpeg", "x-goog-meta-owner": "alice"},
               "query": {"generation": "1"}, "expiresIn": 600, "signedAt": "2026-11-24T10:00:00Z"}),
        json!({"provider": "gcs", "bucket": "my-bucket", "object": "o", "urlStyle": "bucketBound",
               "bucketBoundHostname": "cdn.example.com", "credentials": hmac}),
        json!({"provider": "gcs", "bucket": "my-bucket", "object": "o", "endpoint": "http://127.0.0.1:4443",
               "credentials": hmac}),
    ];
    // A service-account key signs natively only with `gcs-rsa` (without it: UNSUPPORTED, by design).
    if cfg!(feature = "gcs-rsa") {
        let sa: Value = serde_json::from_str(KEY_FILE).unwrap();
        list.push(json!({"provider": "gcs", "bucket": "my-bucket", "object": "o", "universeDomain": "googleapis.com",
               "credentials": {"serviceAccount": sa}}));
    }
    list
}

fn post_requests() -> Vec<Value> {
    let hmac = json!({"hmac": {"accessId": "GOOG1EEXAMPLE", "secret": "bGoa+V7g/yqDXvKRqq+JTFn4uQZbPiQJo4pf9RzJ"}});
    vec![
        json!({"provider": "s3", "bucket": "my-bucket", "key": "uploads/a/${filename}", "keyPrefix": "uploads/",
               "expiresIn": 600, "signedAt": "2026-11-24T10:00:00Z",
               "contentLengthRange": {"min": 1, "max": 1048576}, "contentType": "image/png",
               "successActionStatus": 201, "metadata": {"owner": "alice"}, "acl": "private",
               "cacheControl": "no-cache", "contentDisposition": "inline", "contentEncoding": "gzip",
               "fields": {"x-amz-storage-class": "STANDARD"}, "startsWith": {"x-amz-meta-tag": "a"},
               "region": "eu-west-1", "urlStyle": "virtualHosted", "dualstack": false, "accelerate": false,
               "fips": false, "credentials": aws(), "credentialExpiry": "warn"}),
        json!({"provider": "s3", "bucket": "my-bucket", "keyPrefix": "inbox/", "contentTypePrefix": "image/",
               "successActionRedirect": "https://app.example.com/done", "endpoint": "http://127.0.0.1:8333",
               "urlStyle": "path", "credentials": aws(), "signedAt": "2026-11-24T10:00:00Z"}),
        json!({"provider": "gcs", "bucket": "my-bucket", "key": "inbox/o", "credentials": hmac,
               "urlStyle": "virtualHosted", "scheme": "https", "universeDomain": "googleapis.com",
               "signedAt": "2026-11-24T10:00:00Z"}),
        json!({"provider": "gcs", "bucket": "my-bucket", "key": "o", "credentials": hmac,
               "urlStyle": "bucketBound", "bucketBoundHostname": "cdn.example.com"}),
        json!({"provider": "gcs", "bucket": "my-bucket", "key": "o", "credentials": hmac,
               "endpoint": "http://127.0.0.1:4443"}),
        // The SDK-shaped conditions, an explicit whole-bucket policy and an x-ignore-* field.
        json!({"provider": "s3", "bucket": "my-bucket", "anyKey": true, "contentType": "image/png",
               "conditions": [["starts-with", "$Content-Type", "image/"], {"x-amz-meta-who": "me"},
                              ["eq", "$success_action_status", "201"], ["content-length-range", 1, 10]],
               "fields": {"x-ignore-note": "n"}, "credentials": aws(), "signedAt": "2026-11-24T10:00:00Z"}),
    ]
}

fn cors_requests() -> Vec<Value> {
    vec![
        json!({"provider": "s3", "origins": ["https://app.example.com", "https://*.example.com"],
               "requests": [{"method": "PUT", "headers": {"content-type": "image/png", "x-amz-meta-a": "1"}},
                            {"method": "GET"}],
               "maxAge": 600, "format": "s3-xml"}),
        json!({"provider": "azure", "origins": ["*"], "requests": [{"method": "PUT"}]}),
    ]
}

#[test]
fn no_error_message_quotes_a_url_request() {
    let mut total = (0, 0);
    for (i, req) in s3_requests()
        .into_iter()
        .chain(azure_requests())
        .chain(gcs_requests())
        .enumerate()
    {
        let (v, e) = check(&format!("request {i}"), &req, &presign_calls);
        total = (total.0 + v, total.1 + e);
    }
    // Not vacuous: most variants are refused.
    assert!(total.1 * 2 > total.0, "{total:?}");
    println!("URL requests: {} variants, {} errors", total.0, total.1);
}

#[test]
fn no_error_message_quotes_a_post_request() {
    let mut total = (0, 0);
    for (i, req) in post_requests().into_iter().enumerate() {
        let (v, e) = check(&format!("post {i}"), &req, &post_calls);
        total = (total.0 + v, total.1 + e);
    }
    assert!(total.1 * 2 > total.0, "{total:?}");
    println!("POST requests: {} variants, {} errors", total.0, total.1);
}

#[test]
fn no_error_message_quotes_a_cors_request() {
    let mut total = (0, 0);
    for (i, req) in cors_requests().into_iter().enumerate() {
        let (v, e) = check(&format!("cors {i}"), &req, &cors_calls);
        total = (total.0 + v, total.1 + e);
    }
    assert!(total.1 * 2 > total.0, "{total:?}");
    println!("CORS requests: {} variants, {} errors", total.0, total.1);
}

/// The verify inputs: URLs our signer made (the verifier's own checks are tested elsewhere), with
/// the keys that verify them.
#[cfg(feature = "verify")]
#[test]
fn no_error_message_quotes_a_verify_input() {
    let signer = Signer::new();
    let url = |req: &Value| -> String {
        let out: Value = serde_json::from_str(&presign::json::presign_json(
            &signer,
            &req.to_string(),
            now(),
        ))
        .unwrap();
        out["url"]
            .as_str()
            .unwrap_or_else(|| panic!("{out}"))
            .to_owned()
    };
    let s3 = &s3_requests()[0];
    let azure = json!({"provider": "azure", "account": "myaccount", "container": "photos", "blob": "b",
                       "permissions": "r", "ipRange": "168.1.5.60", "startsOn": "2026-11-24T09:59:00Z",
                       "signedAt": "2026-11-24T10:00:00Z",
                       "credentials": {"accountKey": "a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5"}});
    let gcs = &gcs_requests()[0];
    let inputs = [
        json!({"url": url(s3), "method": "PUT", "credentials": s3["credentials"],
               "headers": {"content-type": "image/jpeg", "x-amz-meta-owner": "alice"},
               "clockSkew": 60, "region": "eu-west-1", "host": "my-bucket.s3.eu-west-1.amazonaws.com",
               "debug": false}),
        json!({"url": url(&azure), "method": "GET", "clientIp": "168.1.5.60",
               "credentials": {"accountKey": "a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5"}}),
        json!({"url": url(gcs), "method": "PUT", "credentials": gcs["credentials"],
               "headers": {"content-type": "image/jpeg", "x-goog-meta-owner": "alice"}}),
    ];
    let call = |input: &str| vec![presign::verify::verify_json(input, now())];
    let mut total = (0, 0);
    for (i, input) in inputs.iter().enumerate() {
        let (v, e) = check(&format!("verify {i}"), input, &call);
        total = (total.0 + v, total.1 + e);
        // Each query parameter of the URL, and the host, replaced by a canary (name and value).
        let u = input["url"].as_str().unwrap();
        let (head, query) = u.split_once('?').unwrap();
        let params: Vec<&str> = query.split('&').collect();
        let mut urls = vec![
            u.replacen("https://", &format!("https://{C}."), 1),
            format!("{head}/{C}?{query}"),
        ];
        for (j, p) in params.iter().enumerate() {
            let (name, value) = p.split_once('=').unwrap_or((p, ""));
            for new in [
                format!("{name}={C}"),
                format!("{name}={value}{C}"),
                format!("{name}={C}%2F{value}"),
                format!("{C}={value}"),
                format!("{}={value}", name.to_ascii_lowercase()),
                format!("{p}&{p}{C}"),
            ] {
                let mut ps = params.clone();
                ps[j] = &new;
                urls.push(format!("{head}?{}", ps.join("&")));
            }
        }
        for url in urls {
            let mut bad = input.clone();
            bad["url"] = json!(url);
            let answer = presign::verify::verify_json(&bad.to_string(), now());
            for m in messages(&answer) {
                assert!(
                    !m.to_ascii_lowercase().contains(&C.to_ascii_lowercase()),
                    "verify {i}: {url}: {m}"
                );
            }
            total.0 += 1;
            total.1 += usize::from(is_error(&answer));
        }
    }
    assert!(total.1 * 2 > total.0, "{total:?}");
    println!("verify inputs: {} variants, {} errors", total.0, total.1);
}
