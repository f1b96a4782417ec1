use super::*;

fn t0() -> Timestamp {
    Timestamp::parse_rfc3339("2026-11-24T10:00:00Z").unwrap()
}

fn hmac_req(object: &str) -> GcsRequest {
    let mut r = GcsRequest::new(Method::Get, "bkt", object);
    r.credentials = Some(Credentials::hmac("GOOG1EXAMPLE", "c2VjcmV0"));
    r
}

fn query_of(url: &str) -> &str {
    url.split_once('?').unwrap().1
}

#[test]
fn canonical_query_sorts_by_encoded_name_so_a_precedes_a_dash_b() {
    // The spec sorts parameters by name; sorting whole "k=v" strings (as the Python SDK
    // does) would put "a-b=…" first because '-' < '='.
    let mut r = hmac_req("o");
    r.query.push("a-b", "1");
    r.query.push("a", "2");
    let p = prepare(&r, t0()).unwrap();
    let q = p.canonical_request().lines().nth(2).unwrap();
    assert!(q.ends_with("&X-Goog-SignedHeaders=host&a=2&a-b=1"), "{q}");
    let url = p.finish(&"0".repeat(64)).unwrap().url;
    assert!(
        query_of(&url).contains("&a=2&a-b=1&X-Goog-Signature="),
        "{url}"
    );
}

#[test]
fn hmac_and_seam_agree() {
    let r = hmac_req("a b/ሴ+%");
    let direct = presign(&r, t0()).unwrap();
    let p = prepare(&r, t0()).unwrap();
    assert_eq!(p.algorithm(), "GOOG4-HMAC-SHA256");
    let key = sigv4::SigningKey::derive(
        &GOOG4_HMAC_SHA256,
        "c2VjcmV0",
        "20261124",
        "auto",
        "storage",
    );
    let sig = key.sign_hex(p.string_to_sign().as_bytes());
    assert_eq!(p.clone().finish(&sig.to_ascii_uppercase()).unwrap(), direct);
    assert!(direct
        .url
        .starts_with("https://storage.googleapis.com/bkt/a%20b/%E1%88%B4%2B%25?"));
    assert_eq!(direct.expires_at.rfc3339(), "2026-11-24T11:00:00Z");
}

#[test]
fn signed_at_wins_over_now() {
    let mut r = hmac_req("o");
    r.signed_at = Some(Timestamp::parse_rfc3339("2019-02-01T09:00:00Z").unwrap());
    let p = prepare(&r, t0()).unwrap();
    assert!(p
        .string_to_sign()
        .starts_with("GOOG4-HMAC-SHA256\n20190201T090000Z\n20190201/auto/storage/goog4_request\n"));
}

#[test]
fn finish_checks_the_signature_shape() {
    let p = prepare(&hmac_req("o"), t0()).unwrap();
    for bad in [
        "",
        "abc",
        "zz".repeat(32).as_str(),
        &"a".repeat(62),
        &"a".repeat(66),
    ] {
        assert_eq!(p.clone().finish(bad).unwrap_err().code(), "INVALID_REQUEST");
    }
    assert_eq!(
        p.clone().finish_bytes(&[0; 31]).unwrap_err().code(),
        "INVALID_REQUEST"
    );
    assert!(p.finish_bytes(&[0; 32]).is_ok());
    let mut r = hmac_req("o");
    r.credentials = Some(Credentials::service_account("sa@p.iam.gserviceaccount.com"));
    let p = prepare(&r, t0()).unwrap();
    assert_eq!(p.algorithm(), "GOOG4-RSA-SHA256");
    assert!(p
        .clone()
        .finish(&"A".repeat(512))
        .unwrap()
        .url
        .ends_with(&"a".repeat(512)));
    assert_eq!(
        p.finish(&"a".repeat(64)).unwrap_err().code(),
        "INVALID_REQUEST"
    );
}

#[test]
fn service_account_without_key_cannot_presign_natively() {
    let mut r = hmac_req("o");
    r.credentials = Some(Credentials::service_account("sa@p.iam.gserviceaccount.com"));
    assert_eq!(presign(&r, t0()).unwrap_err().code(), "INVALID_CREDENTIALS");
}

#[cfg(not(feature = "gcs-rsa"))]
#[test]
fn service_account_key_without_the_feature_is_unsupported() {
    let mut r = hmac_req("o");
    r.credentials = Some(Credentials::service_account_key(
        "sa@p.iam.gserviceaccount.com",
        "pem",
    ));
    assert_eq!(presign(&r, t0()).unwrap_err().code(), "UNSUPPORTED");
}

#[test]
fn reserved_query_parameters_are_refused_but_other_x_goog_ones_are_signed() {
    for name in [
        "X-Goog-Signature",
        "x-goog-algorithm",
        "X-GOOG-CREDENTIAL",
        "X-Goog-Date",
        "X-Goog-Expires",
        "X-Goog-SignedHeaders",
    ] {
        let mut r = hmac_req("o");
        r.query.push(name, "x");
        assert_eq!(
            prepare(&r, t0()).unwrap_err().code(),
            "INVALID_QUERY",
            "{name}"
        );
    }
    let mut r = hmac_req("o");
    r.query.push("", "x");
    assert_eq!(prepare(&r, t0()).unwrap_err().code(), "INVALID_QUERY");
    let mut r = hmac_req("o");
    r.query.push("X-Goog-Meta-Foo", "bar");
    r.query.push("userProject", "p");
    assert!(prepare(&r, t0()).is_ok());
}

#[test]
fn headers_are_validated() {
    for (n, v) in [
        ("Host", "x"),
        ("authorization", "x"),
        ("X-Goog-Signature", "x"),
        ("x-a", "a\r\nb"),
        ("x-a", "é"),
        ("bad name", "x"),
    ] {
        let mut r = hmac_req("o");
        r.headers.push(n, v);
        assert_eq!(
            prepare(&r, t0()).unwrap_err().code(),
            "INVALID_HEADER",
            "{n}"
        );
    }
    let mut r = hmac_req("o");
    r.headers.push("x-a", "1");
    r.headers.push("X-A", "2");
    assert_eq!(prepare(&r, t0()).unwrap_err().code(), "INVALID_HEADER");
    let mut r = hmac_req("o");
    r.headers.push("x-goog-content-sha256", "not hex");
    assert_eq!(prepare(&r, t0()).unwrap_err().code(), "INVALID_HEADER");
}

#[test]
fn headers_are_returned_trimmed_collapsed_and_sorted() {
    let mut r = hmac_req("o");
    r.method = Method::Put;
    r.headers
        .push("X-Goog-Content-Length-Range", " 0,  1048576 ");
    r.headers
        .push("Content-Type", "\ttext/plain;  charset=utf-8");
    r.headers.push("x-goog-date", "20190201T090000Z");
    let out = presign(&r, t0()).unwrap();
    assert_eq!(
        out.headers.0,
        [
            (
                "content-type".to_owned(),
                "text/plain; charset=utf-8".to_owned()
            ),
            (
                "x-goog-content-length-range".to_owned(),
                "0, 1048576".to_owned()
            ),
            ("x-goog-date".to_owned(), "20190201T090000Z".to_owned()),
        ]
    );
    assert!(out.url.contains(
        "&X-Goog-SignedHeaders=content-type%3Bhost%3Bx-goog-content-length-range%3Bx-goog-date&"
    ));
    assert_eq!(out.method, Method::Put);
}

#[test]
fn signed_payload_hash_replaces_unsigned_payload() {
    let mut r = hmac_req("o");
    r.headers.push(
        "X-Goog-Content-SHA256",
        "2CF24DBA5FB0A30E26E83B2AC5B9E29E1B161E5C1FA7425E73043362938B9824",
    );
    let p = prepare(&r, t0()).unwrap();
    assert!(p
        .canonical_request()
        .ends_with("\n2CF24DBA5FB0A30E26E83B2AC5B9E29E1B161E5C1FA7425E73043362938B9824"));
}

#[test]
fn object_names_are_checked_but_never_altered() {
    for (o, code) in [
        ("", "INVALID_KEY"),
        (".", "INVALID_KEY"),
        ("..", "INVALID_KEY"),
        ("a\nb", "INVALID_KEY"),
        ("a\rb", "INVALID_KEY"),
        (".well-known/acme-challenge/x", "INVALID_KEY"),
    ] {
        assert_eq!(
            prepare(&hmac_req(o), t0()).unwrap_err().code(),
            code,
            "{o:?}"
        );
    }
    assert_eq!(
        prepare(&hmac_req(&"k".repeat(1025)), t0())
            .unwrap_err()
            .code(),
        "INVALID_KEY"
    );
    assert!(prepare(&hmac_req(&format!("{}\u{1F600}", "k".repeat(1020))), t0()).is_ok());
    for (o, path) in [
        ("/leading", "/bkt//leading"),
        ("a/./b/../c", "/bkt/a/./b/../c"),
        ("caf\u{e9}", "/bkt/caf%C3%A9"),
        ("cafe\u{301}", "/bkt/cafe%CC%81"),
        ("x?y#z", "/bkt/x%3Fy%23z"),
        ("./", "/bkt/./"),
        ("tab\tdel\u{7f}", "/bkt/tab%09del%7F"),
    ] {
        let p = prepare(&hmac_req(o), t0()).unwrap();
        assert_eq!(p.canonical_request().lines().nth(1).unwrap(), path, "{o:?}");
    }
}

#[test]
fn bucket_level_urls() {
    let mut r = hmac_req("o");
    r.object = None;
    let p = prepare(&r, t0()).unwrap();
    assert_eq!(p.canonical_request().lines().nth(1).unwrap(), "/bkt");
    r.endpoint.url_style = Some(UrlStyle::VirtualHosted);
    let out = presign(&r, t0()).unwrap();
    assert!(
        out.url
            .starts_with("https://bkt.storage.googleapis.com/?X-Goog-Algorithm="),
        "{}",
        out.url
    );
}

#[test]
fn expiry_and_credentials_are_checked() {
    for e in [0, MAX_EXPIRES + 1] {
        let mut r = hmac_req("o");
        r.expires_in = Some(e);
        assert_eq!(prepare(&r, t0()).unwrap_err().code(), "INVALID_EXPIRY");
    }
    let mut r = hmac_req("o");
    r.expires_in = Some(MAX_EXPIRES);
    assert_eq!(
        presign(&r, t0()).unwrap().expires_at.rfc3339(),
        "2026-12-01T10:00:00Z"
    );
    for c in [
        None,
        Some(Credentials::hmac("", "s")),
        Some(Credentials::hmac("a/b", "s")),
        Some(Credentials::hmac("id", "")),
        Some(Credentials::service_account("")),
        Some(Credentials::service_account("a b@x")),
        Some(Credentials::ServiceAccount(ServiceAccountKey {
            key_type: Some("authorized_user".into()),
            client_email: "a@b".into(),
            ..ServiceAccountKey::default()
        })),
    ] {
        let mut r = hmac_req("o");
        r.credentials = c;
        assert_eq!(prepare(&r, t0()).unwrap_err().code(), "INVALID_CREDENTIALS");
    }
}

#[test]
fn secrets_stay_out_of_debug_and_errors() {
    let mut r = hmac_req("o");
    r.credentials = Some(Credentials::service_account_key(
        "sa@p",
        "-----BEGIN PRIVATE KEY-----\nTOPSECRET\n-----END PRIVATE KEY-----",
    ));
    let dbg = format!("{r:?}");
    assert!(!dbg.contains("TOPSECRET"));
    let e = presign(&r, t0()).unwrap_err();
    assert!(!e.to_string().contains("TOPSECRET"));
    let h = format!("{:?}", hmac_req("o"));
    assert!(!h.contains("c2VjcmV0"));
}

#[cfg(feature = "json")]
#[test]
fn deserializes_the_schema_and_a_whole_key_file() {
    let key: ServiceAccountKey = crate::schema::from_str(include_str!(
        "../../tests/vectors/gcs/test_service_account.not-a-test.json"
    ))
    .unwrap();
    assert_eq!(
        key.client_email,
        "test-iam-credentials@dummy-project-id.iam.gserviceaccount.com"
    );
    assert_eq!(key.key_type.as_deref(), Some("service_account"));
    let r: GcsRequest = crate::schema::from_str(
        r#"{"method": "put", "bucket": "b-1", "object": "o", "urlStyle": "bucketBound",
                "bucketBoundHostname": "cdn.example.com", "scheme": "http",
                "credentials": {"hmac": {"accessId": "GOOG1E", "secret": "s"}},
                "headers": {"content-type": "text/plain"}, "query": {"generation": "1"},
                "expiresIn": 60, "signedAt": "2026-11-24T10:00:00Z"}"#,
    )
    .unwrap();
    assert_eq!(r.method, Method::Put);
    assert_eq!(r.endpoint.url_style, Some(UrlStyle::BucketBound));
    assert_eq!(r.endpoint.scheme, Some(UrlScheme::Http));
    assert!(presign(&r, t0())
        .unwrap()
        .url
        .starts_with("http://cdn.example.com/o?"));
    for bad in [
        r#"{"bucket": "b", "object": "o", "extra": 1}"#,
        r#"{"bucket": "b", "credentials": {"hmac": {"accessId": "a", "secret": "s", "x": 1}}}"#,
        r#"{"bucket": "b", "urlStyle": "PATH_STYLE"}"#,
        r#"{"bucket": "b", "scheme": "ftp"}"#,
    ] {
        assert!(crate::schema::from_str::<GcsRequest>(bad).is_err(), "{bad}");
    }
}
