//! Unit tests of the Azure signer.

use super::*;
use crate::error::Result;
use crate::types::Presigned;

const KEY: &str = connection_string::DEV_ACCOUNT_KEY;

fn t(s: &str) -> Timestamp {
    Timestamp::parse_rfc3339(s).unwrap()
}

fn now() -> Timestamp {
    t("2026-11-24T10:00:00Z")
}

fn blob_req(method: Method, blob: &str) -> AzureRequest {
    let mut r = AzureRequest::new(method, "myaccount", "photos", blob);
    r.credentials = Some(Credentials::account_key(KEY));
    r
}

/// The URL up to `&sig=` (signatures are pinned by the vectors and the SDK diff).
fn unsigned(url: &str) -> &str {
    url.split("&sig=").next().unwrap()
}

fn perms(letters: &str) -> Permissions {
    letters.parse().unwrap()
}

fn code(r: Result<Presigned>) -> &'static str {
    r.unwrap_err().code()
}

#[test]
fn blob_get_has_defaults_in_order() {
    let out = presign(&blob_req(Method::Get, "a b/ü+%?#.jpg"), now()).unwrap();
    assert_eq!(
        unsigned(&out.url),
        "https://myaccount.blob.core.windows.net/photos/a%20b/%C3%BC%2B%25%3F%23.jpg?sv=2025-07-05&sr=b&sp=r&se=2026-11-24T11%3A00%3A00Z"
    );
    assert!(out.url.ends_with("%3D"), "{}", out.url);
    assert_eq!(out.method, Method::Get);
    assert!(out.headers.is_empty());
    assert_eq!(out.expires_at, t("2026-11-24T11:00:00Z"));
    assert!(out.warnings.is_empty());
}

#[test]
fn put_upload_needs_blob_type_but_block_uploads_do_not() {
    let out = presign(&blob_req(Method::Put, "x"), now()).unwrap();
    assert_eq!(
        out.headers.0,
        [("x-ms-blob-type".to_string(), "BlockBlob".to_string())]
    );
    let mut r = blob_req(Method::Put, "x");
    r.query.push("comp", "block");
    r.query.push("blockid", "YmxvY2stMQ==");
    let out = presign(&r, now()).unwrap();
    assert!(out.headers.is_empty());
    assert!(
        out.url
            .starts_with("https://myaccount.blob.core.windows.net/photos/x?comp=block&blockid=YmxvY2stMQ%3D%3D&sv=2025-07-05&sr=b&sp=cw&"),
        "{}",
        out.url
    );
    // A container PUT (create container) has no blob: no blob type.
    let mut r = blob_req(Method::Put, "x");
    r.blob = None;
    r.query.push("restype", "container");
    assert!(presign(&r, now()).unwrap().headers.is_empty());
}

#[test]
fn permissions_are_canonical_and_checked_per_resource() {
    let mut r = blob_req(Method::Get, "x");
    r.permissions = Some(perms("wcr"));
    assert!(presign(&r, now()).unwrap().url.contains("&sp=rcw&"));
    r.permissions = Some(perms("rl"));
    assert_eq!(code(presign(&r, now())), "INVALID_REQUEST");
    r.resource = Some(Resource::Container);
    let out = presign(&r, now()).unwrap();
    assert!(
        out.url.contains("?sv=2025-07-05&sr=c&sp=rl&"),
        "{}",
        out.url
    );
    // A container SAS still addresses the blob in the URL.
    assert!(out
        .url
        .starts_with("https://myaccount.blob.core.windows.net/photos/x?"));
    let mut r = blob_req(Method::Post, "x");
    assert_eq!(code(presign(&r, now())), "INVALID_REQUEST");
    r.permissions = Some(perms("a"));
    assert!(presign(&r, now()).is_ok());
}

#[test]
fn snapshots_versions_and_directories() {
    let mut r = blob_req(Method::Get, "x");
    r.snapshot = Some("2026-01-01T00:00:00.1234567Z".into());
    let out = presign(&r, now()).unwrap();
    assert!(out
        .url
        .contains("/photos/x?snapshot=2026-01-01T00%3A00%3A00.1234567Z&sv=2025-07-05&sr=bs&"));
    r.version_id = Some("2026-01-01T00:00:00.1234567Z".into());
    assert_eq!(code(presign(&r, now())), "INVALID_REQUEST");
    r.snapshot = None;
    assert!(presign(&r, now()).unwrap().url.contains("?versionid="));
    let mut d = blob_req(Method::Get, "a/b/c");
    d.resource = Some(Resource::Directory);
    d.permissions = Some(perms("rl"));
    let out = presign(&d, now()).unwrap();
    assert!(out.url.contains("&sr=d&sp=rl&"), "{}", out.url);
    assert!(out.url.contains("&sdd=3&sig="), "{}", out.url);
    d.blob = Some("a/b/".into());
    assert_eq!(code(presign(&d, now())), "INVALID_KEY");
    d.blob = Some("a".into());
    d.version = Some("2018-03-28".into());
    assert_eq!(code(presign(&d, now())), "UNSUPPORTED");
}

#[test]
fn start_clock_skew_and_expiry_rules() {
    let mut r = blob_req(Method::Get, "x");
    r.clock_skew = Some(300);
    let out = presign(&r, now()).unwrap();
    assert!(out
        .url
        .contains("&st=2026-11-24T09%3A55%3A00Z&se=2026-11-24T11%3A00%3A00Z&"));
    r.clock_skew = Some(MAX_CLOCK_SKEW + 1);
    assert_eq!(code(presign(&r, now())), "INVALID_TIME");
    let mut r = blob_req(Method::Get, "x");
    r.expires_in = Some(60);
    r.expires_on = Some(now());
    assert_eq!(code(presign(&r, now())), "INVALID_EXPIRY");
    r.expires_in = None;
    assert_eq!(code(presign(&r, now())), "INVALID_EXPIRY");
    r.expires_on = None;
    r.expires_in = Some(0);
    assert_eq!(code(presign(&r, now())), "INVALID_EXPIRY");
    let mut r = blob_req(Method::Get, "x");
    r.starts_on = Some(t("2026-11-24T12:00:00Z"));
    assert_eq!(code(presign(&r, now())), "INVALID_EXPIRY");
    // signedAt wins over now.
    let mut r = blob_req(Method::Get, "x");
    r.signed_at = Some(t("2030-01-01T00:00:00Z"));
    assert_eq!(
        presign(&r, now()).unwrap().expires_at,
        t("2030-01-01T01:00:00Z")
    );
}

#[test]
fn stored_policy_may_supply_permissions_and_expiry() {
    let mut r = blob_req(Method::Get, "x");
    r.identifier = Some("policy-1".into());
    let out = presign(&r, now()).unwrap();
    assert!(
        out.url.contains("?sv=2025-07-05&sr=b&si=policy-1&sig="),
        "{}",
        out.url
    );
    assert_eq!(out.expires_at, now());
    assert_eq!(out.warnings.len(), 1);
    assert_eq!(out.warnings[0].code, "EXPIRY_FROM_POLICY");
    r.identifier = Some("x".repeat(65));
    assert_eq!(code(presign(&r, now())), "INVALID_REQUEST");
}

#[test]
fn signed_fields_refuse_control_characters_and_bad_values() {
    let mut r = blob_req(Method::Get, "a\nb");
    assert_eq!(code(presign(&r, now())), "INVALID_KEY");
    r.blob = Some("x".into());
    r.response_headers.content_type = Some("text/plain\r\nx: y".into());
    assert_eq!(code(presign(&r, now())), "INVALID_REQUEST");
    r.response_headers.content_type = Some(String::new());
    assert_eq!(code(presign(&r, now())), "INVALID_REQUEST");
    let mut r = blob_req(Method::Get, "x");
    for bad in ["1.2.3", "10.0.0.2-10.0.0.1", "::1", "1.2.3.4-", "01.2.3.4"] {
        r.ip_range = Some(bad.into());
        assert_eq!(code(presign(&r, now())), "INVALID_REQUEST", "{bad}");
    }
    r.ip_range = Some("10.0.0.1-10.0.0.9".into());
    assert!(presign(&r, now()).is_ok());
    let mut r = blob_req(Method::Get, "x");
    r.query.push("SIG", "x");
    assert_eq!(code(presign(&r, now())), "INVALID_QUERY");
    let mut r = blob_req(Method::Get, "x");
    r.version = Some("2019-02-02".into());
    assert_eq!(code(presign(&r, now())), "UNSUPPORTED");
    for (container, code_want) in [
        ("ab", "INVALID_BUCKET"),
        ("a--b", "INVALID_BUCKET"),
        ("Abc", "INVALID_BUCKET"),
    ] {
        let mut r = blob_req(Method::Get, "x");
        r.container = Some(container.into());
        assert_eq!(code(presign(&r, now())), code_want, "{container}");
    }
    let mut r = blob_req(Method::Get, "x");
    r.account = Some("My_Account".into());
    assert_eq!(code(presign(&r, now())), "INVALID_REQUEST");
    let mut r = blob_req(Method::Get, &"x".repeat(1025));
    assert_eq!(code(presign(&r, now())), "INVALID_KEY");
    r.blob = Some("ü".repeat(1024));
    assert!(presign(&r, now()).is_ok());
}

/// Issue 16: an https-only SAS for an http endpoint (Azurite over http, or a token prepared
/// for the account's https URL) is signed, as the SDKs do, with a warning.
#[test]
fn https_only_on_an_http_endpoint_signs_with_a_warning() {
    let mut r = blob_req(Method::Get, "x");
    r.protocol = Some(Protocol::Https);
    let out = presign(&r, now()).unwrap();
    assert!(out.url.contains("&spr=https&"));
    assert!(out.warnings.is_empty());
    r.endpoint = Some("http://127.0.0.1:10000".into());
    let out = presign(&r, now()).unwrap();
    assert!(
        out.url
            .starts_with("http://127.0.0.1:10000/myaccount/photos/x?sv="),
        "{}",
        out.url
    );
    assert!(out.url.contains("&spr=https&"));
    let codes: Vec<_> = out.warnings.iter().map(|w| w.code).collect();
    assert_eq!(codes, ["HTTPS_ONLY_ON_HTTP"]);
    // The same token as for the https endpoint of the same account.
    let mut https = r.clone();
    https.endpoint = Some("https://127.0.0.1:10000".into());
    let sig = |u: &str| u.split("&sig=").nth(1).unwrap().to_owned();
    assert_eq!(sig(&out.url), sig(&presign(&https, now()).unwrap().url));
    let mut cs = blob_req(Method::Get, "x");
    cs.account = None;
    cs.credentials = Some(Credentials::connection_string("UseDevelopmentStorage=true"));
    cs.protocol = Some(Protocol::Https);
    let out = presign(&cs, now()).unwrap();
    assert_eq!(out.warnings[0].code, "HTTPS_ONLY_ON_HTTP");
}

#[test]
fn https_and_http_on_an_http_endpoint() {
    let mut r = blob_req(Method::Get, "x");
    r.endpoint = Some("http://127.0.0.1:10000".into());
    r.protocol = Some(Protocol::HttpsAndHttp);
    let out = presign(&r, now()).unwrap();
    assert!(out
        .url
        .starts_with("http://127.0.0.1:10000/myaccount/photos/x?sv="));
    assert!(out.url.contains("&spr=https%2Chttp&"));
}

#[test]
fn account_sas_defaults_and_refusals() {
    let mut r = blob_req(Method::Get, "x");
    r.sas = Some(SasKind::Account);
    let out = presign(&r, now()).unwrap();
    assert!(
        out.url.starts_with(
            "https://myaccount.blob.core.windows.net/photos/x?sv=2025-07-05&ss=b&srt=o&sp=rl&se="
        ),
        "{}",
        out.url
    );
    r.blob = None;
    r.container = None;
    r.services = Some(Services::FILE | Services::BLOB);
    r.resource_types = Some("os".parse().unwrap());
    r.permissions = Some(perms("lrw"));
    let out = presign(&r, now()).unwrap();
    assert!(
        out.url.starts_with(
            "https://myaccount.blob.core.windows.net/?sv=2025-07-05&ss=bf&srt=so&sp=rwl&se="
        ),
        "{}",
        out.url
    );
    r.identifier = Some("p".into());
    assert_eq!(code(presign(&r, now())), "UNSUPPORTED");
    r.identifier = None;
    r.resource = Some(Resource::Blob);
    assert_eq!(code(presign(&r, now())), "INVALID_REQUEST");
    r.resource = None;
    r.permissions = Some(perms("rm"));
    assert_eq!(code(presign(&r, now())), "INVALID_REQUEST");
    let mut s = blob_req(Method::Get, "x");
    s.services = Some(Services::BLOB);
    assert_eq!(code(presign(&s, now())), "INVALID_REQUEST");
    s.services = None;
    s.correlation_id = Some("c".into());
    assert_eq!(code(presign(&s, now())), "UNSUPPORTED");
}

fn udk(start: &str, expiry: &str) -> UserDelegationKey {
    UserDelegationKey {
        signed_oid: "oid".into(),
        signed_tid: "tid".into(),
        signed_start: t(start),
        signed_expiry: t(expiry),
        signed_service: "b".into(),
        signed_version: "2025-07-05".into(),
        signed_delegated_user_tid: None,
        value: Secret::new("a2V5a2V5a2V5a2V5"),
    }
}

#[test]
fn user_delegation_key_lifetime_and_expiry_policy() {
    let mut r = blob_req(Method::Get, "x");
    r.credentials = Some(Credentials::user_delegation_key(udk(
        "2026-11-24T09:00:00Z",
        "2026-11-24T10:30:00Z",
    )));
    let out = presign(&r, now()).unwrap();
    assert!(out.url.contains(
        "&skoid=oid&sktid=tid&skt=2026-11-24T09%3A00%3A00Z&ske=2026-11-24T10%3A30%3A00Z&sks=b&skv=2025-07-05&sig="
    ));
    assert_eq!(out.warnings[0].code, "CREDENTIALS_EXPIRE_FIRST");
    let first = "`credentials.userDelegationKey.signedExpiry`: the key expires before the SAS would; the SAS stops working when the key does";
    assert_eq!(out.warnings[0].message, first);
    assert_eq!(out.expires_at, t("2026-11-24T11:00:00Z"));
    r.credential_expiry = CredentialExpiry::Clamp;
    let out = presign(&r, now()).unwrap();
    assert!(out.warnings.is_empty());
    assert_eq!(out.expires_at, t("2026-11-24T10:30:00Z"));
    r.credential_expiry = CredentialExpiry::Error;
    assert_eq!(presign(&r, now()).unwrap_err().message(), first);
    // 14 days and 1 s: no request time has both ends within 7 days of it.
    r.credentials = Some(Credentials::user_delegation_key(udk(
        "2026-11-17T09:00:00Z",
        "2026-12-01T09:00:01Z",
    )));
    assert_eq!(code(presign(&r, now())), "INVALID_CREDENTIALS");
    r.credentials = Some(Credentials::user_delegation_key(udk(
        "2026-11-24T08:00:00Z",
        "2026-11-24T09:00:00Z",
    )));
    assert_eq!(
        presign(&r, now()).unwrap_err().message(),
        "`credentials.userDelegationKey.signedExpiry`: the key expires at or before the signing instant"
    );
    r.credentials = Some(Credentials::user_delegation_key(udk(
        "2026-11-24T09:00:00Z",
        "2026-11-25T09:00:00Z",
    )));
    r.sas = Some(SasKind::Service);
    assert_eq!(code(presign(&r, now())), "INVALID_CREDENTIALS");
    r.sas = None;
    r.identifier = Some("p".into());
    assert_eq!(code(presign(&r, now())), "UNSUPPORTED");
    r.identifier = None;
    r.request_headers.push("x-ms-meta-a", "1");
    assert_eq!(code(presign(&r, now())), "UNSUPPORTED");
    r.version = Some("2026-04-06".into());
    r.method = Method::Put;
    r.request_query.push("job", "4 2");
    let out = presign(&r, now()).unwrap();
    assert_eq!(
        out.headers.0,
        [
            ("x-ms-blob-type".to_string(), "BlockBlob".to_string()),
            ("x-ms-meta-a".to_string(), "1".to_string()),
        ]
    );
    assert!(out
        .url
        .contains("/photos/x?job=4%20that".replace("that", "2").as_str()));
    assert!(out.url.contains("&srh=x-ms-meta-a&srq=job&"), "{}", out.url);
    let mut dup = r.clone();
    dup.query.push("job", "1");
    assert_eq!(code(presign(&dup, now())), "INVALID_QUERY");
    let mut dup = r.clone();
    dup.request_headers.push("X-MS-META-A", "2");
    assert_eq!(code(presign(&dup, now())), "INVALID_HEADER");
}

/// Issue 16: a key whose start was back-dated (an hour, or days, before it was requested)
/// with an expiry 7 days after the request signs; the SAS's own `st`/`se` anywhere inside the
/// key's validity, and a SAS that could never be used with the key is refused.
#[test]
fn back_dated_user_delegation_keys_sign() {
    let mut r = blob_req(Method::Get, "x");
    for (start, expiry) in [
        ("2026-11-24T09:00:00Z", "2026-12-01T10:00:00Z"),
        ("2026-11-17T10:00:00Z", "2026-12-01T10:00:00Z"),
        ("2026-11-21T10:00:00Z", "2026-11-25T10:00:00Z"),
    ] {
        r.credentials = Some(Credentials::user_delegation_key(udk(start, expiry)));
        r.starts_on = Some(t(start));
        r.expires_on = Some(t(expiry));
        let out = presign(&r, now()).unwrap();
        assert!(out.warnings.is_empty(), "{:?}", out.warnings);
        assert_eq!(out.expires_at, t(expiry));
        assert!(out.url.contains(&format!(
            "&skt={}&ske={}&",
            start.replace(':', "%3A"),
            expiry.replace(':', "%3A")
        )));
    }
    // A key that starts later: a SAS ending at or before the key's start, or starting at or
    // after its expiry, could never be used.
    r.credentials = Some(Credentials::user_delegation_key(udk(
        "2026-11-24T12:00:00Z",
        "2026-11-25T12:00:00Z",
    )));
    r.starts_on = None;
    r.expires_on = Some(t("2026-11-24T12:00:00Z"));
    assert_eq!(code(presign(&r, now())), "INVALID_EXPIRY");
    r.expires_on = Some(t("2026-11-24T12:00:01Z"));
    assert!(presign(&r, now()).is_ok());
    r.starts_on = Some(t("2026-11-25T12:00:00Z"));
    r.expires_on = Some(t("2026-11-25T13:00:00Z"));
    assert_eq!(code(presign(&r, now())), "INVALID_TIME");
}

#[test]
fn connection_strings_give_account_key_and_endpoint() {
    let mut r = blob_req(Method::Get, "x");
    r.account = None;
    r.credentials = Some(Credentials::connection_string("UseDevelopmentStorage=true"));
    let out = presign(&r, now()).unwrap();
    assert!(out
        .url
        .starts_with("http://127.0.0.1:10000/devstoreaccount1/photos/x?sv=2025-07-05&sr=b&sp=r&"));
    r.account = Some("other".into());
    assert_eq!(code(presign(&r, now())), "INVALID_REQUEST");
    r.account = None;
    r.credentials = Some(Credentials::connection_string(format!(
        "DefaultEndpointsProtocol=http;AccountName=acc1;AccountKey={KEY};EndpointSuffix=core.chinacloudapi.cn"
    )));
    assert!(presign(&r, now())
        .unwrap()
        .url
        .starts_with("http://acc1.blob.core.chinacloudapi.cn/photos/x?"));
    // The request's endpoint wins over the connection string's.
    r.endpoint = Some("https://cdn.example.com/base/".into());
    assert!(presign(&r, now())
        .unwrap()
        .url
        .starts_with("https://cdn.example.com/base/photos/x?"));
    let mut none = blob_req(Method::Get, "x");
    none.credentials = None;
    assert_eq!(code(presign(&none, now())), "INVALID_CREDENTIALS");
}

#[test]
fn ready_sas_is_appended_and_nothing_else_signed() {
    let sas = "sv=2025-07-05&ss=b&srt=co&sp=rl&se=2026-12-01T00%3A00%3A00Z&sig=a%2Bb%3D";
    let mut r = blob_req(Method::Put, "a b");
    r.account = None;
    r.credentials = Some(Credentials::connection_string(format!(
        "BlobEndpoint=https://acc.blob.core.windows.net/;SharedAccessSignature=?{sas}"
    )));
    let out = presign(&r, now()).unwrap();
    assert_eq!(
        out.url,
        format!("https://acc.blob.core.windows.net/photos/a%20b?{sas}")
    );
    assert_eq!(out.expires_at, t("2026-12-01T00:00:00Z"));
    assert_eq!(out.headers.0.len(), 1);
    r.permissions = Some(perms("r"));
    assert_eq!(code(presign(&r, now())), "INVALID_REQUEST");
    r.permissions = None;
    assert_eq!(
        code(presign(&r, t("2027-01-01T00:00:00Z"))),
        "CREDENTIALS_EXPIRE"
    );
    // `se` as a date alone: its midnight, UTC.
    r.credentials = Some(Credentials::connection_string(
        "BlobEndpoint=https://acc.blob.core.windows.net;SharedAccessSignature=sv=2025-07-05&sp=r&se=2026-12-01&sig=a",
    ));
    assert_eq!(
        presign(&r, now()).unwrap().expires_at,
        t("2026-12-01T00:00:00Z")
    );
    assert_eq!(
        code(presign(&r, t("2026-12-01T00:00:00Z"))),
        "CREDENTIALS_EXPIRE"
    );
    r.credentials = Some(Credentials::connection_string(
        "BlobEndpoint=https://acc.blob.core.windows.net;SharedAccessSignature=sv=2025-07-05&sp=r",
    ));
    assert_eq!(code(presign(&r, now())), "INVALID_CREDENTIALS");
}

#[test]
fn secrets_never_reach_errors_or_debug() {
    let mut r = blob_req(Method::Get, "x");
    r.credentials = Some(Credentials::account_key("NOT-BASE64-SECRET!"));
    let e = presign(&r, now()).unwrap_err();
    assert_eq!(e.code(), "INVALID_CREDENTIALS");
    assert!(!e.message().contains("SECRET"), "{e}");
    assert!(!format!("{r:?}").contains("SECRET"));
    r.credentials = Some(Credentials::connection_string(
        "AccountName=acc;AccountKey=TOPSECRET;Oops=1",
    ));
    let e = presign(&r, now()).unwrap_err();
    assert!(!e.message().contains("TOPSECRET"), "{e}");
    assert!(!format!("{r:?}").contains("TOPSECRET"));
    let p = Presigner::new();
    r.credentials = Some(Credentials::account_key(KEY));
    p.presign(&r, now()).unwrap();
    assert_eq!(format!("{p:?}"), "Presigner { keys: KeyCache(1 keys) }");
}

#[test]
fn the_key_cache_gives_the_same_signature() {
    let p = Presigner::new();
    let r = blob_req(Method::Get, "x");
    let a = p.presign(&r, now()).unwrap();
    let b = p.presign(&r, now()).unwrap();
    assert_eq!(a, b);
    assert_eq!(a, presign(&r, now()).unwrap());
    for i in 0..20 {
        let mut o = blob_req(Method::Get, "x");
        let key = crate::encoding::base64(format!("key number {i}").as_bytes());
        o.credentials = Some(Credentials::account_key(key));
        assert_ne!(p.presign(&o, now()).unwrap().url, a.url);
    }
    assert_eq!(p.presign(&r, now()).unwrap(), a);
}

#[cfg(feature = "json")]
#[test]
fn the_json_schema_uses_the_issue_field_names() {
    let req: crate::Request = crate::schema::from_str(&format!(
        r#"{{"provider":"azure","sas":"service","account":"myaccount","container":"c-1","blob":"b",
            "resource":"blob","method":"put","permissions":"cw","startsOn":"2026-11-24T09:00:00Z",
            "expiresIn":600,"ipRange":"1.2.3.4","protocol":"https,http","identifier":"p",
            "encryptionScope":"s","version":"2026-10-06","clockSkew":60,
            "responseHeaders":{{"contentType":"text/plain"}},"query":{{"timeout":"30"}},
            "credentials":{{"accountKey":"{KEY}"}},"signedAt":"2026-11-24T10:00:00Z"}}"#
    ))
    .unwrap();
    let out = crate::presign(&req, Timestamp::from_unix(0).unwrap()).unwrap();
    assert_eq!(
        unsigned(&out.url),
        "https://myaccount.blob.core.windows.net/c-1/b?timeout=30&sv=2026-10-06&sr=b&sp=cw&st=2026-11-24T08%3A59%3A00Z&se=2026-11-24T10%3A10%3A00Z&sip=1.2.3.4&spr=https%2Chttp&si=p&ses=s&rsct=text%2Fplain"
    );
    for bad in [
        r#"{"provider":"azure","bogus":1}"#,
        r#"{"provider":"azure","protocol":"http"}"#,
        r#"{"provider":"azure","sas":"Service"}"#,
        r#"{"provider":"azure","credentials":{"accountKey":"k","extra":1}}"#,
        r#"{"provider":"azure","permissions":"rZ"}"#,
        r#"{"provider":"azure","permissions":""}"#,
    ] {
        assert!(
            crate::schema::from_str::<crate::Request>(bad).is_err(),
            "{bad}"
        );
    }
}

/// Credentials are one kind of key, and permissions known letters, when the request is read:
/// the codes and messages are the ones signing gave when both were plain members.
#[cfg(feature = "json")]
#[test]
fn credentials_and_permissions_are_typed_when_read() {
    let read = |json: &str| crate::schema::from_str::<crate::Request>(json).map(|_| ());
    for creds in [
        r#"{}"#,
        r#"{"accountKey":"a2V5","connectionString":"UseDevelopmentStorage=true"}"#,
        r#"{"accountKey":"a2V5","userDelegationKey":null,"connectionString":"x"}"#,
    ] {
        let e = read(&format!(r#"{{"provider":"azure","credentials":{creds}}}"#)).unwrap_err();
        assert_eq!(e.code(), "INVALID_CREDENTIALS", "{creds}");
        assert_eq!(
            e.message(),
            "credentials must hold exactly one of accountKey, connectionString, userDelegationKey"
        );
    }
    // The last of a repeated member wins, as for every member.
    let req = crate::schema::from_str::<AzureRequest>(
        r#"{"credentials":{"accountKey":"x","accountKey":"a2V5"},"permissions":"wcr"}"#,
    )
    .unwrap();
    assert_eq!(req.credentials, Some(Credentials::account_key("a2V5")));
    assert_eq!(
        req.permissions,
        Some(Permissions::READ | Permissions::CREATE | Permissions::WRITE)
    );
    let e = read(r#"{"provider":"azure","permissions":"rwZ"}"#).unwrap_err();
    assert_eq!(e.code(), "INVALID_REQUEST");
    assert_eq!(
        e.message(),
        "`permissions`: a letter is not a SAS permission; valid letters: racwdxyltfmeiup"
    );
    let e = read(r#"{"provider":"azure","permissions":""}"#).unwrap_err();
    assert_eq!(
        e.message(),
        "`permissions`: empty; name at least one permission letter"
    );
}

#[test]
fn builders_set_the_same_fields() {
    let mut by_field = AzureRequest::container(Method::Get, "myaccount", "photos");
    by_field.credentials = Some(Credentials::account_key(KEY));
    by_field.permissions = Some(perms("lr"));
    by_field.expires_in = Some(600);
    by_field.clock_skew = Some(60);
    by_field.protocol = Some(Protocol::Https);
    by_field.query.push("restype", "container");
    let built = AzureRequest::container(Method::Get, "myaccount", "photos")
        .with_credentials(Credentials::account_key(KEY))
        .with_permissions(Permissions::LIST | Permissions::READ)
        .with_expires_in(core::time::Duration::from_millis(600_999))
        .with_clock_skew(core::time::Duration::from_secs(60))
        .with_protocol(Protocol::Https)
        .with_query("restype", "container");
    assert_eq!(
        presign(&built, now()).unwrap().url,
        presign(&by_field, now()).unwrap().url
    );
    let account = AzureRequest::account_sas(Method::Get, "myaccount")
        .with_credentials(Credentials::account_key(KEY))
        .with_services(Services::BLOB)
        .with_resource_types(ResourceTypes::SERVICE);
    assert!(presign(&account, now())
        .unwrap()
        .url
        .contains("&ss=b&srt=s&"));
}
