//! Expected values come from botocore 1.44.18 (boto3 1.44.5, tests/servers/versions.env), run with
//! a frozen clock and a stubbed CreateSession (the set-up of tests/s3express_py_diff.py), and
//! from the AWS documentation pages cited at each test; none from this crate.

use super::*;
use crate::s3::{presign, S3Request};
use crate::types::CredentialExpiry;

fn t(s: &str) -> Timestamp {
    Timestamp::parse_rfc3339(s).unwrap()
}

fn iam() -> Credentials {
    Credentials::new(
        "AKIAIOSFODNN7EXAMPLE",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    )
}

/// The canned CreateSession answer the botocore runs were given.
const SESSION_XML: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
<CreateSessionResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Credentials>\
<SessionToken>TOKEN/+=abc</SessionToken><SecretAccessKey>sessSecret/+x</SecretAccessKey>\
<AccessKeyId>ASIASESSIONKEY</AccessKeyId><Expiration>2026-11-24T10:05:00Z</Expiration>\
</Credentials></CreateSessionResult>";

#[test]
fn zone_ids_are_found_as_the_endpoint_rules_find_them() {
    for (bucket, zone) in [
        ("mybucket--usw2-az1--x-s3", "usw2-az1"),
        ("mybucket--use1-az10--x-s3", "use1-az10"),
        ("my--bucket--usw2-lax1-az1--x-s3", "usw2-lax1-az1"),
        (
            "mybucket--abcdefghijklmnopqrst--x-s3",
            "abcdefghijklmnopqrst",
        ),
    ] {
        assert_eq!(zone_id(bucket).unwrap(), Some(zone), "{bucket}");
    }
    assert_eq!(zone_id("mybucket").unwrap(), None);
    assert_eq!(zone_id("x-s3").unwrap(), None);
    // botocore: "Unrecognized S3Express bucket name format."
    for bad in [
        "mybucket--usw2-az--x-s3",
        "mybucket--x-s3",
        "--x-s3",
        "a--b--x-s3",
    ] {
        assert_eq!(zone_id(bad).unwrap_err().code(), "INVALID_BUCKET", "{bad}");
    }
}

fn url_of(bucket: &str, region: &str, f: impl FnOnce(&mut Endpoint)) -> Result<String> {
    let mut e = Endpoint {
        region: Some(region.into()),
        ..Endpoint::default()
    };
    f(&mut e);
    let zone = zone_id(bucket)?.unwrap_or("");
    let mut out = String::new();
    resolve_into(&e.options(bucket), zone, &mut out)?;
    Ok(out)
}

#[test]
fn zonal_endpoints_match_botocore() {
    let b = "mybucket--usw2-az1--x-s3";
    type Case = (&'static str, fn(&mut Endpoint), &'static str);
    let cases: [Case; 7] = [
        (
            "us-west-2",
            |_| {},
            "https://mybucket--usw2-az1--x-s3.s3express-usw2-az1.us-west-2.amazonaws.com",
        ),
        (
            "us-west-2",
            |e| e.fips = true,
            "https://mybucket--usw2-az1--x-s3.s3express-fips-usw2-az1.us-west-2.amazonaws.com",
        ),
        (
            "us-west-2",
            |e| e.dualstack = true,
            "https://mybucket--usw2-az1--x-s3.s3express-usw2-az1.dualstack.us-west-2.amazonaws.com",
        ),
        (
            "cn-north-1",
            |_| {},
            "https://mybucket--usw2-az1--x-s3.s3express-usw2-az1.cn-north-1.amazonaws.com.cn",
        ),
        (
            "us-west-2",
            |e| e.url = Some("https://example.com:9000/base".into()),
            "https://mybucket--usw2-az1--x-s3.example.com:9000/base",
        ),
        (
            "us-west-2",
            |e| e.url = Some("http://127.0.0.1:9000".into()),
            "http://127.0.0.1:9000/mybucket--usw2-az1--x-s3",
        ),
        (
            "us-east-1",
            |_| {},
            "https://mybucket--usw2-az1--x-s3.s3express-usw2-az1.us-east-1.amazonaws.com",
        ),
    ];
    for (region, f, want) in cases {
        assert_eq!(url_of(b, region, f).unwrap(), want);
    }
    // botocore: "Partition does not support FIPS".
    let e = url_of(b, "cn-north-1", |e| e.fips = true).unwrap_err();
    assert_eq!(e.code(), "INVALID_ENDPOINT");
    // botocore: "S3Express does not support S3 Accelerate."
    let e = url_of(b, "us-west-2", |e| e.accelerate = true).unwrap_err();
    assert_eq!(e.code(), "INVALID_ENDPOINT");
    // botocore: "S3Express bucket name is not a valid virtual hostable name."
    for bad in ["MyBucket--usw2-az1--x-s3", "my.bucket--usw2-az1--x-s3"] {
        let e = url_of(bad, "us-west-2", |_| {}).unwrap_err();
        assert_eq!(e.code(), "INVALID_BUCKET", "{bad}");
    }
    // Ours: path style on AWS is refused (botocore ignores it and stays virtual-hosted).
    let e = url_of(b, "us-west-2", |e| e.url_style = Some(UrlStyle::Path)).unwrap_err();
    assert_eq!(e.code(), "INVALID_ENDPOINT");
}

#[test]
fn create_session_request_is_botocores() {
    let now = t("2026-11-24T10:00:00Z");
    let req = CreateSession::new("mybucket--usw2-az1--x-s3", iam()).with_region("us-west-2");
    let http = req.build(now).unwrap();
    assert_eq!(
        http.url,
        "https://mybucket--usw2-az1--x-s3.s3express-usw2-az1.us-west-2.amazonaws.com/?session"
    );
    assert_eq!(http.method, Method::Get);
    assert!(http.body.is_empty());
    let h: Vec<(&str, &str)> = http.headers.iter().collect();
    assert_eq!(
        h,
        [
            (
                "x-amz-content-sha256",
                "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
            ),
            ("x-amz-date", "20261124T100000Z"),
            (
                "authorization",
                "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20261124/us-west-2/s3express/aws4_request, \
                 SignedHeaders=host;x-amz-content-sha256;x-amz-date, \
                 Signature=dab7d9d4631641035a7af602b1a3bec2b010b53ca9a0fb0b78ac8a741655aaeb"
            ),
        ]
    );
}

#[test]
fn create_session_refuses_what_it_cannot_sign() {
    let now = t("2026-11-24T10:00:00Z");
    let e = CreateSession::new("general-bucket", iam()).build(now);
    assert_eq!(e.unwrap_err().code(), "INVALID_BUCKET");
    let expired = iam().with_session_token("T").with_expiry(now);
    let e = CreateSession::new("b--usw2-az1--x-s3", expired).build(now);
    assert_eq!(e.unwrap_err().code(), "CREDENTIALS_EXPIRE");
    let e = CreateSession::new("b--usw2-az1--x-s3", Credentials::new("", "s")).build(now);
    assert_eq!(e.unwrap_err().code(), "INVALID_CREDENTIALS");
}

#[test]
fn session_urls_are_botocores() {
    let now = t("2026-11-24T10:00:00Z");
    let session = parse_create_session(200, SESSION_XML).unwrap();
    assert_eq!(session.access_key_id, "ASIASESSIONKEY");
    assert_eq!(session.expires_at, Some(t("2026-11-24T10:05:00Z")));
    let req = S3Request::new(Method::Get, "mybucket--usw2-az1--x-s3", "a b/c")
        .with_region("us-west-2")
        .with_credentials(session)
        .with_expires_in(core::time::Duration::from_secs(600));
    let out = presign(&req, now).unwrap();
    // botocore's URL has the same parameters with X-Amz-S3session-Token after SignedHeaders; ours
    // are in canonical order.
    assert_eq!(
        out.url,
        "https://mybucket--usw2-az1--x-s3.s3express-usw2-az1.us-west-2.amazonaws.com/a%20b/c\
         ?X-Amz-Algorithm=AWS4-HMAC-SHA256\
         &X-Amz-Credential=ASIASESSIONKEY%2F20261124%2Fus-west-2%2Fs3express%2Faws4_request\
         &X-Amz-Date=20261124T100000Z&X-Amz-Expires=600\
         &X-Amz-S3session-Token=TOKEN%2F%2B%3Dabc&X-Amz-SignedHeaders=host\
         &X-Amz-Signature=bb25e6d317ca8116a6b14f3da4334d57b08c36a7e8d75e2e90a5bae5ab5e47c3"
    );
    // The session (5 minutes) ends before the URL would: the credential-expiry rule applies.
    assert_eq!(out.warnings[0].code, "CREDENTIALS_EXPIRE_FIRST");
    let clamped = presign(
        &req.clone().with_credential_expiry(CredentialExpiry::Clamp),
        now,
    )
    .unwrap();
    assert_eq!(clamped.expires_at, t("2026-11-24T10:05:00Z"));
    assert!(clamped.url.contains("&X-Amz-Expires=300&"));
    let refused = presign(&req.with_credential_expiry(CredentialExpiry::Error), now);
    assert_eq!(refused.unwrap_err().code(), "CREDENTIALS_EXPIRE");
}

#[test]
fn the_session_token_header_is_reserved() {
    let now = t("2026-11-24T10:00:00Z");
    let req = S3Request::new(Method::Get, "b--usw2-az1--x-s3", "k")
        .with_credentials(iam())
        .with_header("X-Amz-S3session-Token", "x");
    assert_eq!(presign(&req, now).unwrap_err().code(), "INVALID_HEADER");
}

/// The response of <https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateSession.html>
/// ("Response Syntax"), filled with the documentation's example key values.
#[test]
fn parses_the_documented_response() {
    let body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
        <CreateSessionResult>\n\
           <Credentials>\n\
              <AccessKeyId>AKIAIOSFODNN7EXAMPLE</AccessKeyId>\n\
              <Expiration>2023-11-28T20:00:00Z</Expiration>\n\
              <SecretAccessKey>wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY</SecretAccessKey>\n\
              <SessionToken>AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQW</SessionToken>\n\
           </Credentials>\n\
        </CreateSessionResult>";
    let c = parse_create_session(200, body).unwrap();
    assert_eq!(c.access_key_id, "AKIAIOSFODNN7EXAMPLE");
    assert_eq!(
        c.secret_access_key.expose(),
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
    );
    assert!(c
        .session_token
        .as_ref()
        .unwrap()
        .expose()
        .starts_with("AQoDYXdzEPT//"));
    assert_eq!(c.expires_at, Some(t("2023-11-28T20:00:00Z")));
    // Debug never shows the secret or the token.
    let d = format!("{c:?}");
    assert!(!d.contains("wJalr") && !d.contains("AQoDYXdz"), "{d}");
}

/// S3's error document, <https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html>
/// ("REST error responses"), with codes CreateSession documents for directory buckets
/// (AccessDenied, NoSuchBucket) and the 200-with-error form S3 may send.
#[test]
fn error_documents_are_service_errors() {
    for (status, code, message) in [
        (403, "AccessDenied", "Access Denied"),
        (404, "NoSuchBucket", "The specified bucket does not exist"),
        (
            200,
            "InternalError",
            "We encountered an internal error. Please try again.",
        ),
    ] {
        let body = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error>\n  <Code>{code}</Code>\n  \
             <Message>{message}</Message>\n  <Resource>/mybucket--usw2-az1--x-s3</Resource>\n  \
             <RequestId>4442587FB7D0A2F9</RequestId>\n</Error>"
        );
        let e = parse_create_session(status, &body).unwrap_err();
        assert_eq!(e.code(), "SERVICE_ERROR");
        let m = e.message();
        assert!(m.contains(code) && m.contains(message), "{m}");
        assert!(m.contains(&status.to_string()), "{m}");
    }
    // Not a document at all.
    for (status, body) in [(500, ""), (503, "<html>Slow Down</html>"), (403, "{}")] {
        let e = parse_create_session(status, body).unwrap_err();
        assert_eq!(e.code(), "SERVICE_ERROR", "{body}");
    }
}

#[test]
fn incomplete_answers_are_bad_responses_without_secrets() {
    let drop = |tag: &str| {
        let open = SESSION_XML.find(&format!("<{tag}>")).unwrap();
        let close = SESSION_XML.find(&format!("</{tag}>")).unwrap() + tag.len() + 3;
        format!("{}{}", &SESSION_XML[..open], &SESSION_XML[close..])
    };
    for tag in [
        "SessionToken",
        "SecretAccessKey",
        "AccessKeyId",
        "Expiration",
    ] {
        let e = parse_create_session(200, &drop(tag)).unwrap_err();
        assert_eq!(e.code(), "SERVICE_ERROR", "{tag}");
        assert!(e.message().contains(tag), "{e}");
    }
    let bad_time = SESSION_XML.replace("2026-11-24T10:05:00Z", "tomorrow");
    assert!(parse_create_session(200, &bad_time).is_err());
    let wrong_root = SESSION_XML.replace("CreateSessionResult", "AssumeRoleResult");
    assert!(parse_create_session(200, &wrong_root).is_err());
    for cut in 0..SESSION_XML.len() {
        if let Some(part) = SESSION_XML.get(..cut) {
            let e = parse_create_session(200, part).unwrap_err();
            let m = e.message();
            assert!(!m.contains("sessSecret") && !m.contains("TOKEN/"), "{m}");
        }
    }
}

#[test]
fn garbage_never_panics() {
    use proptest::prelude::*;
    proptest!(ProptestConfig::with_cases(2_000), |(
        status in prop_oneof![Just(200u16), Just(403u16), 0u16..1000],
        body in prop_oneof![
            ".{0,200}",
            "(<[A-Za-z/?!]{0,12}>|[A-Za-z0-9:&;#-]{0,8}){0,30}",
            (0usize..400).prop_map(|n| SESSION_XML.chars().take(n).collect::<String>()),
        ],
    )| {
        let _ = parse_create_session(status, &body);
    });
    proptest!(ProptestConfig::with_cases(2_000), |(bytes in proptest::collection::vec(any::<u8>(), 0..300))| {
        let _ = parse_create_session(200, &String::from_utf8_lossy(&bytes));
    });
}
