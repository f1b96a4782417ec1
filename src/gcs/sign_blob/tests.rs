use super::*;

const EMAIL: &str = "signer@my-project.iam.gserviceaccount.com";

/// A `signBlob` answer as the API reference lays it out ({"keyId", "signedBlob"}), with a
/// 256-byte signature.
fn answer() -> String {
    format!(
        "{{\n  \"keyId\": \"4d3c2b1a\",\n  \"signedBlob\": \"{}\"\n}}\n",
        base64(&[0xa5; 256])
    )
}

#[test]
fn builds_the_request_google_cloud_storage_sends() {
    let r = SignBlobRequest::new(EMAIL)
        .build("GOOG4-RSA-SHA256\n20261124T100000Z\n")
        .unwrap();
    assert_eq!(
        r.url,
        "https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/signer@my-project.iam.gserviceaccount.com:signBlob?alt=json"
    );
    assert_eq!(r.method, Method::Post);
    assert_eq!(
        r.body,
        "{\"payload\":\"R09PRzQtUlNBLVNIQTI1NgoyMDI2MTEyNFQxMDAwMDBaCg==\"}"
    );
    assert_eq!(
        r.headers.0,
        [("content-type".to_string(), "application/json".to_string())]
    );
    assert!(!r.headers.iter().any(|(n, _)| n == "authorization"));
}

#[test]
fn endpoints_and_universes() {
    let mut s = SignBlobRequest::new(EMAIL);
    s.universe_domain = Some("example-universe.net".into());
    assert!(s
        .build("x")
        .unwrap()
        .url
        .starts_with("https://iamcredentials.example-universe.net/v1/projects/-/"));
    let c = s.credentials().unwrap();
    assert!(
        matches!(&c, Credentials::ServiceAccount(sa) if sa.universe_domain.as_deref() == Some("example-universe.net") && sa.client_email == EMAIL && sa.private_key.is_none())
    );
    s.endpoint = Some("http://127.0.0.1:4450".into());
    assert_eq!(s.build("x").unwrap_err().code(), "INVALID_ENDPOINT");
    s.universe_domain = None;
    for (endpoint, want) in [
        (
            "http://127.0.0.1:4450",
            "http://127.0.0.1:4450/v1/projects/",
        ),
        (
            "http://localhost:4450/iam/",
            "http://localhost:4450/iam/v1/projects/",
        ),
        (
            "https://private.example.com",
            "https://private.example.com/v1/projects/",
        ),
    ] {
        s.endpoint = Some(endpoint.into());
        assert!(s.build("x").unwrap().url.starts_with(want), "{endpoint}");
    }
    for bad in [
        "http://example.com",
        "ftp://127.0.0.1",
        "127.0.0.1:4450",
        "https://h/?q",
    ] {
        s.endpoint = Some(bad.into());
        assert_eq!(
            s.build("x").unwrap_err().code(),
            "INVALID_ENDPOINT",
            "{bad}"
        );
    }
    s.endpoint = None;
    s.universe_domain = Some("https://x.com".into());
    assert_eq!(s.build("x").unwrap_err().code(), "INVALID_ENDPOINT");
    assert_eq!(s.credentials().unwrap_err().code(), "INVALID_ENDPOINT");
}

#[test]
fn the_email_is_validated() {
    for bad in [
        "",
        "signer",
        "signer@",
        "@x.com",
        "a@b",
        "a@@x.com",
        "a/b@x.com",
        "a@x.com/../y",
        "a b@x.com",
        "a@x.com:signBlob?",
        "a@x.com#",
        "123456789012345678901",
        "a%40@x.com",
    ] {
        let s = SignBlobRequest::new(bad);
        assert_eq!(
            s.build("x").unwrap_err().code(),
            "INVALID_CREDENTIALS",
            "{bad}"
        );
        assert_eq!(
            s.credentials().unwrap_err().code(),
            "INVALID_CREDENTIALS",
            "{bad}"
        );
    }
    for ok in [
        EMAIL,
        "my-app@appspot.gserviceaccount.com",
        "123-compute@developer.gserviceaccount.com",
    ] {
        assert!(SignBlobRequest::new(ok).build("x").is_ok(), "{ok}");
    }
    assert_eq!(
        SignBlobRequest::new(EMAIL).build("").unwrap_err().code(),
        "INVALID_REQUEST"
    );
}

#[test]
fn reads_the_documented_answer() {
    let b = SignedBlob::from_response(200, &answer()).unwrap();
    assert_eq!(b.key_id, "4d3c2b1a");
    assert_eq!(b.signature, vec![0xa5; 256]);
    assert_eq!(b.signature_hex(), "a5".repeat(256));
    // keyId is informational: an answer without it still signs.
    let no_key = format!("{{\"signedBlob\":\"{}\"}}", base64(&[1; 256]));
    assert_eq!(SignedBlob::from_response(200, &no_key).unwrap().key_id, "");
}

/// Google's error documents. The shape is the JSON mapping of `google.rpc.Status` that
/// <https://cloud.google.com/apis/design/errors#http_mapping> documents
/// (`{"error":{"code","message","status","details"}}`); the messages are those IAM answers
/// for a missing `iam.serviceAccounts.signBlob` permission (as reported in
/// googleapis/google-api-go-client#419, nodejs-storage#1075), a bad token (401
/// UNAUTHENTICATED) and an unknown account (404 NOT_FOUND).
#[test]
fn the_documented_error_documents_are_service_errors() {
    let docs = [
        (
            400,
            r#"{"error":{"code":400,"message":"API key not valid. Please pass a valid API key.","status":"INVALID_ARGUMENT","details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"API_KEY_INVALID","domain":"googleapis.com","metadata":{"service":"translate.googleapis.com"}}]}}"#,
            "INVALID_ARGUMENT",
        ),
        (
            401,
            "{\n  \"error\": {\n    \"code\": 401,\n    \"message\": \"Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.\",\n    \"status\": \"UNAUTHENTICATED\"\n  }\n}\n",
            "UNAUTHENTICATED",
        ),
        (
            403,
            r#"{"error":{"code":403,"message":"Permission 'iam.serviceAccounts.signBlob' denied on resource (or it may not exist).","status":"PERMISSION_DENIED","details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"IAM_PERMISSION_DENIED","domain":"iam.googleapis.com","metadata":{"permission":"iam.serviceAccounts.signBlob"}}]}}"#,
            "PERMISSION_DENIED",
        ),
        (
            404,
            r#"{"error":{"code":404,"message":"Not found; Gaia id not found for email nobody@my-project.iam.gserviceaccount.com","status":"NOT_FOUND"}}"#,
            "NOT_FOUND",
        ),
        // The legacy shape (no status): the numeric code stands in.
        (503, r#"{"error":{"code":503,"message":"The service is currently unavailable."}}"#, "503"),
    ];
    for (status, body, code) in docs {
        let e = SignedBlob::from_response(status, body).unwrap_err();
        assert_eq!(e.code(), "SERVICE_ERROR", "{body}");
        let m = e.message();
        assert!(
            m.contains(&status.to_string()) && m.contains(code) && m.contains("IAM signBlob"),
            "{m}"
        );
        // An error document is an error even with a 200 status.
        assert_eq!(
            SignedBlob::from_response(200, body).unwrap_err().code(),
            "SERVICE_ERROR"
        );
    }
}

#[test]
fn garbage_is_a_typed_error() {
    let full = answer();
    for (status, body) in [
        (200, ""),
        (200, "null"),
        (200, "[]"),
        (200, "{}"),
        (200, "{\"signedBlob\":\"\"}"),
        (200, "{\"signedBlob\":\"!!not base64!!\"}"),
        (200, "{\"signedBlob\":42}"),
        (200, "{\"error\":\"x\"}"),
        (200, "<html>hi</html>"),
        (500, ""),
        (502, "<html>Bad Gateway</html>"),
        (403, "{\"error\":{\"code\":\"x\"}}"),
        (200, &full[..full.len() / 2]),
        (200, &format!("{full}junk")),
    ] {
        let e = SignedBlob::from_response(status, body).unwrap_err();
        assert_eq!(e.code(), "SERVICE_ERROR", "{status} {body}");
    }
}

#[test]
fn nothing_the_caller_sent_enters_debug_or_errors() {
    let s = SignBlobRequest::new(EMAIL);
    let r = s.build("TOPSECRET-looking string to sign").unwrap();
    let mut with_token = r.clone();
    with_token
        .headers
        .push("authorization", "Bearer ya29.SECRETTOKEN");
    let d = format!("{with_token:?}");
    assert!(!d.contains("SECRETTOKEN") && !d.contains("payload"), "{d}");
    // An error document that echoes the token in a second line: only the first line is kept.
    let doc = r#"{"error":{"code":401,"message":"Invalid token.\nBearer ya29.SECRETTOKEN","status":"UNAUTHENTICATED"}}"#;
    let e = SignedBlob::from_response(401, doc).unwrap_err();
    assert!(!e.message().contains("SECRETTOKEN"), "{e}");
}

mod props {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2_000))]
        /// Any bytes, any status: a result or a typed error, never a panic.
        #[test]
        fn any_body_is_a_result_or_a_typed_error(bytes in proptest::collection::vec(any::<u8>(), 0..300), status in 0u16..1000) {
            let body = String::from_utf8_lossy(&bytes);
            if let Err(e) = SignedBlob::from_response(status, &body) {
                prop_assert_eq!(e.code(), "SERVICE_ERROR");
            }
        }

        /// Every cut and one-byte change of a good answer or an error document.
        #[test]
        fn mutations_of_good_documents(cut in 0usize..400, at in 0usize..400, b in any::<u8>(), which in 0usize..2) {
            let docs = [answer(), r#"{"error":{"code":403,"message":"Permission denied.","status":"PERMISSION_DENIED","details":[{"@type":"t","metadata":{"a":"b"}}]}}"#.to_string()];
            let doc = docs[which].as_bytes();
            let mut v = doc[..cut.min(doc.len())].to_vec();
            if !v.is_empty() {
                let i = at % v.len();
                v[i] = b;
            }
            let body = String::from_utf8_lossy(&v);
            for status in [200, 403] {
                if let Err(e) = SignedBlob::from_response(status, &body) {
                    prop_assert_eq!(e.code(), "SERVICE_ERROR");
                }
            }
        }

        /// The request body is the payload's base64, which decodes to the string to sign.
        #[test]
        fn the_payload_round_trips(s in "\\PC{1,200}") {
            let r = SignBlobRequest::new(EMAIL).build(&s).unwrap();
            let b64 = r.body.strip_prefix("{\"payload\":\"").and_then(|t| t.strip_suffix("\"}")).unwrap();
            prop_assert_eq!(base64_decode(b64).unwrap(), s.as_bytes().to_vec());
        }
    }
}
