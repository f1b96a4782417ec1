use super::*;
use crate::azure::{AzureRequest, Credentials as AzCreds};
use crate::s3::{Credentials, S3Request};

const AK: &str = "AKIAIOSFODNN7EXAMPLE";
const SK: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
const AZ_KEY: &str = "a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5";

fn t(s: &str) -> Timestamp {
    Timestamp::parse_rfc3339(s).unwrap()
}

fn s3_keys() -> Keyring {
    Keyring::new().with_s3(Credentials::new(AK, SK))
}

fn code(r: Result<Verified, VerifyError>) -> &'static str {
    match r {
        Ok(_) => "OK",
        Err(e) => e.code(),
    }
}

// AWS's published example (S3 API reference, "GET object with query-string auth"): the URL is
// AWS's, not ours.
const AWS_DOCS_URL: &str = "https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404";

#[test]
fn the_aws_documentation_url_verifies_until_it_expires() {
    let opts = VerifyOptions::default();
    let req = IncomingRequest::new(AWS_DOCS_URL, Method::Get);
    let ok = verify(&req, &s3_keys(), t("2013-05-24T12:00:00Z"), &opts).unwrap();
    assert_eq!(ok.key_id, AK);
    assert_eq!(ok.algorithm, "AWS4-HMAC-SHA256");
    assert_eq!(ok.resource, "/test.txt");
    assert_eq!(ok.expires_at, t("2013-05-25T00:00:00Z"));
    assert_eq!(ok.signed_headers, ["host"]);
    assert_eq!(
        code(verify(&req, &s3_keys(), t("2013-05-25T00:00:00Z"), &opts)),
        "EXPIRED"
    );
    // Dated 15 minutes ahead is tolerated, 15 minutes and a second is not.
    assert_eq!(
        code(verify(&req, &s3_keys(), t("2013-05-23T23:45:00Z"), &opts)),
        "OK"
    );
    assert_eq!(
        code(verify(&req, &s3_keys(), t("2013-05-23T23:44:59Z"), &opts)),
        "NOT_YET_VALID"
    );
    let strict = VerifyOptions {
        clock_skew: 0,
        ..VerifyOptions::default()
    };
    assert_eq!(
        code(verify(&req, &s3_keys(), t("2013-05-23T23:59:59Z"), &strict)),
        "NOT_YET_VALID"
    );
}

#[test]
fn each_check_has_its_code() {
    let now = t("2013-05-24T00:00:01Z");
    let opts = VerifyOptions::default();
    let v = |url: &str, m: Method| {
        code(verify(
            &IncomingRequest::new(url, m),
            &s3_keys(),
            now,
            &opts,
        ))
    };
    assert_eq!(v(AWS_DOCS_URL, Method::Put), "SIGNATURE_MISMATCH");
    assert_eq!(
        v(
            &AWS_DOCS_URL.replace("test.txt?", "test2.txt?"),
            Method::Get
        ),
        "SIGNATURE_MISMATCH"
    );
    assert_eq!(
        v(
            &AWS_DOCS_URL.replace("AKIAIOSFODNN7EXAMPLE%2F", "AKIAOTHER%2F"),
            Method::Get
        ),
        "UNKNOWN_KEY"
    );
    assert_eq!(
        v(
            &AWS_DOCS_URL.replace("Expires=86400", "Expires=604801"),
            Method::Get
        ),
        "INVALID_EXPIRY"
    );
    assert_eq!(
        v(
            &AWS_DOCS_URL.replace("Expires=86400", "Expires=086400"),
            Method::Get
        ),
        "MALFORMED"
    );
    assert_eq!(
        v(&AWS_DOCS_URL.replace("%2Fs3%2F", "%2Fs4%2F"), Method::Get),
        "SCOPE_MISMATCH"
    );
    assert_eq!(
        v(
            &AWS_DOCS_URL.replace("%2F20130524%2F", "%2F20130525%2F"),
            Method::Get
        ),
        "SCOPE_MISMATCH"
    );
    assert_eq!(
        v(&format!("{AWS_DOCS_URL}&x-amz-date=1"), Method::Get),
        "MALFORMED"
    );
    assert_eq!(
        v(
            &format!("{AWS_DOCS_URL}&X-Amz-Date=20130524T000000Z"),
            Method::Get
        ),
        "MALFORMED"
    );
    assert_eq!(v("https://h/k?a=b", Method::Get), "NOT_PRESIGNED");
    assert_eq!(v("not a url", Method::Get), "MALFORMED");
    let wrong_host = [("Host".to_string(), "evil.example".to_string())];
    let req = IncomingRequest::new(AWS_DOCS_URL, Method::Get).with_headers(&wrong_host);
    assert_eq!(code(verify(&req, &s3_keys(), now, &opts)), "HOST_MISMATCH");
    let region = VerifyOptions {
        region: Some("eu-west-1".into()),
        ..VerifyOptions::default()
    };
    let req = IncomingRequest::new(AWS_DOCS_URL, Method::Get);
    assert_eq!(
        code(verify(&req, &s3_keys(), now, &region)),
        "SCOPE_MISMATCH"
    );
}

#[test]
fn debug_gives_what_was_signed_but_never_the_signature() {
    let now = t("2013-05-24T00:00:01Z");
    let opts = VerifyOptions {
        debug: true,
        ..VerifyOptions::default()
    };
    let e = verify(
        &IncomingRequest::new(AWS_DOCS_URL, Method::Put),
        &s3_keys(),
        now,
        &opts,
    )
    .unwrap_err();
    let d = e.debug().unwrap();
    assert!(d.canonical_request.starts_with("PUT\n/test.txt\n"));
    assert!(d
        .string_to_sign
        .starts_with("AWS4-HMAC-SHA256\n20130524T000000Z\n"));
    // The signature a PUT would need is nowhere in the error.
    let put_sig = crate::sigv4::SigningKey::derive(
        &crate::sigv4::AWS4_HMAC_SHA256,
        SK,
        "20130524",
        "us-east-1",
        "s3",
    )
    .sign_hex(d.string_to_sign.as_bytes());
    let text = format!("{e} {e:?} {d:?}");
    assert!(!text.contains(&put_sig));
    assert!(!text.contains(SK));
    let ok = verify(
        &IncomingRequest::new(AWS_DOCS_URL, Method::Get),
        &s3_keys(),
        now,
        &opts,
    )
    .unwrap();
    assert!(ok
        .debug
        .unwrap()
        .canonical_request
        .starts_with("GET\n/test.txt\n"));
}

#[test]
fn session_tokens_must_be_the_credentials_own() {
    let now = t("2026-11-24T10:00:00Z");
    let creds = Credentials::new(AK, SK).with_session_token("TOKEN/+=");
    let mut r = S3Request::new(Method::Get, "bucket", "k");
    r.credentials = Some(creds.clone());
    let url = crate::s3::presign(&r, now).unwrap().url;
    let req = IncomingRequest::new(&url, Method::Get);
    let opts = VerifyOptions::default();
    assert_eq!(
        code(verify(&req, &Keyring::new().with_s3(creds), now, &opts)),
        "OK"
    );
    let other = Credentials::new(AK, SK).with_session_token("OTHER");
    assert_eq!(
        code(verify(&req, &Keyring::new().with_s3(other), now, &opts)),
        "TOKEN_MISMATCH"
    );
    assert_eq!(code(verify(&req, &s3_keys(), now, &opts)), "TOKEN_MISMATCH");
}

fn az(method: Method, blob: &str, permissions: Option<&str>) -> String {
    let mut r = AzureRequest::new(method, "myaccount", "photos", blob);
    r.credentials = Some(AzCreds::account_key(AZ_KEY));
    r.permissions = permissions.map(|p| p.parse().unwrap());
    r.signed_at = Some(t("2026-11-24T10:00:00Z"));
    crate::azure::presign(&r, t("2026-11-24T10:00:00Z"))
        .unwrap()
        .url
}

fn az_verify(url: &str, method: Method) -> &'static str {
    let keys = Keyring::new().with_azure_account_key("myaccount", AZ_KEY);
    code(verify(
        &IncomingRequest::new(url, method),
        &keys,
        t("2026-11-24T10:00:01Z"),
        &VerifyOptions::default(),
    ))
}

#[test]
fn sas_permissions_decide_the_method() {
    let read = az(Method::Get, "a b.txt", Some("r"));
    assert_eq!(az_verify(&read, Method::Get), "OK");
    assert_eq!(az_verify(&read, Method::Head), "OK");
    assert_eq!(az_verify(&read, Method::Put), "PERMISSION_DENIED");
    assert_eq!(az_verify(&read, Method::Delete), "PERMISSION_DENIED");
    let write = az(Method::Put, "a b.txt", None);
    assert_eq!(az_verify(&write, Method::Put), "OK");
    assert_eq!(az_verify(&write, Method::Get), "PERMISSION_DENIED");
    let create_only = az(Method::Put, "a b.txt", Some("c"));
    assert_eq!(az_verify(&create_only, Method::Put), "OK");
    assert_eq!(
        az_verify(&format!("{create_only}&comp=metadata"), Method::Put),
        "PERMISSION_DENIED"
    );
    let delete = az(Method::Delete, "a b.txt", Some("d"));
    assert_eq!(az_verify(&delete, Method::Delete), "OK");
    assert_eq!(
        az_verify(
            &format!("{delete}&versionid=2026-01-01T00%3A00%3A00.0000000Z"),
            Method::Delete
        ),
        "PERMISSION_DENIED"
    );
    // Another blob, another account's key, a changed permission.
    assert_eq!(
        az_verify(&read.replace("a%20b.txt", "b.txt"), Method::Get),
        "SIGNATURE_MISMATCH"
    );
    assert_eq!(
        az_verify(&read.replace("sp=r&", "sp=rw&"), Method::Put),
        "SIGNATURE_MISMATCH"
    );
    assert_eq!(
        az_verify(&read.replace("myaccount.", "otheraccount."), Method::Get),
        "UNKNOWN_KEY"
    );
}

#[test]
fn sas_times_ip_and_protocol() {
    let mut r = AzureRequest::new(Method::Get, "myaccount", "photos", "x");
    r.credentials = Some(AzCreds::account_key(AZ_KEY));
    r.starts_on = Some(t("2026-11-24T11:00:00Z"));
    r.expires_on = Some(t("2026-11-24T12:00:00Z"));
    r.ip_range = Some("10.0.0.1-10.0.0.9".into());
    r.protocol = Some(crate::azure::Protocol::Https);
    let url = crate::azure::presign(&r, t("2026-11-24T10:00:00Z"))
        .unwrap()
        .url;
    let keys = Keyring::new().with_azure_account_key("myaccount", AZ_KEY);
    let opts = VerifyOptions::default();
    let at = |now: &str, ip: Option<&str>, url: &str| {
        let mut req = IncomingRequest::new(url, Method::Get);
        req.client_ip = ip.map(|i| i.parse().unwrap());
        code(verify(&req, &keys, t(now), &opts))
    };
    assert_eq!(at("2026-11-24T10:44:59Z", None, &url), "NOT_YET_VALID");
    assert_eq!(at("2026-11-24T10:45:00Z", None, &url), "OK");
    assert_eq!(at("2026-11-24T12:00:00Z", None, &url), "EXPIRED");
    assert_eq!(at("2026-11-24T11:30:00Z", Some("10.0.0.5"), &url), "OK");
    assert_eq!(
        at("2026-11-24T11:30:00Z", Some("10.0.0.10"), &url),
        "IP_DENIED"
    );
    assert_eq!(at("2026-11-24T11:30:00Z", Some("::1"), &url), "IP_DENIED");
    let http = url.replace("https://", "http://");
    assert_eq!(at("2026-11-24T11:30:00Z", None, &http), "PROTOCOL_DENIED");
}

/// The user-delegation key's validity bounds the SAS's, as at Azure: a request before the key
/// starts (beyond the clock skew) or after it expires is refused. The key's own rule is the
/// signer's ([`UserDelegationKey::validate`]): a back-dated key of up to 14 days verifies, a
/// longer one is not a key Azure issues.
#[test]
fn user_delegation_key_validity_bounds_the_sas() {
    use crate::azure::UserDelegationKey;
    use crate::types::Secret;
    let key = |start: &str, expiry: &str| UserDelegationKey {
        signed_oid: "oid".into(),
        signed_tid: "tid".into(),
        signed_start: t(start),
        signed_expiry: t(expiry),
        signed_service: "b".into(),
        signed_version: "2025-07-05".into(),
        signed_delegated_user_tid: None,
        value: Secret::new(AZ_KEY),
    };
    let sign = |k: &UserDelegationKey| {
        let mut r = AzureRequest::new(Method::Get, "myaccount", "photos", "x");
        r.credentials = Some(AzCreds::user_delegation_key(k.clone()));
        r.starts_on = Some(t("2026-11-20T00:00:00Z"));
        r.expires_on = Some(t("2026-11-30T00:00:00Z"));
        crate::azure::presign(&r, t("2026-11-24T10:00:00Z"))
            .unwrap()
            .url
    };
    let opts = VerifyOptions::default();
    let at = |k: &UserDelegationKey, url: &str, now: &str| {
        let keys = Keyring::new().with_azure_user_delegation_key("myaccount", k.clone());
        code(verify(
            &IncomingRequest::new(url, Method::Get),
            &keys,
            t(now),
            &opts,
        ))
    };
    // Back-dated by a day, expiring 7 days after a request at 2026-11-22T12:00:00Z.
    let k = key("2026-11-21T12:00:00Z", "2026-11-29T12:00:00Z");
    let url = sign(&k);
    assert_eq!(at(&k, &url, "2026-11-21T11:45:00Z"), "OK");
    assert_eq!(at(&k, &url, "2026-11-21T11:44:59Z"), "NOT_YET_VALID");
    assert_eq!(at(&k, &url, "2026-11-29T11:59:59Z"), "OK");
    assert_eq!(at(&k, &url, "2026-11-29T12:00:00Z"), "EXPIRED");
    // 14 days is the longest: no request time has both ends within 7 days of it beyond that.
    let longest = key("2026-11-17T10:00:00Z", "2026-12-01T10:00:00Z");
    assert_eq!(at(&longest, &sign(&longest), "2026-11-24T12:00:00Z"), "OK");
    let mut too_long = longest.clone();
    too_long.signed_expiry = t("2026-12-01T10:00:01Z");
    // The signer refuses that key, so the URL is the 14-day one with `ske` moved by a second.
    let forged = sign(&longest).replace(
        "ske=2026-12-01T10%3A00%3A00Z",
        "ske=2026-12-01T10%3A00%3A01Z",
    );
    assert_eq!(
        at(&too_long, &forged, "2026-11-24T12:00:00Z"),
        "UNKNOWN_KEY"
    );
}

#[test]
fn azure_time_forms() {
    assert_eq!(azure_parse("2026-11-24"), Some(t("2026-11-24T00:00:00Z")));
    assert_eq!(
        azure_parse("2026-11-24T10:05Z"),
        Some(t("2026-11-24T10:05:00Z"))
    );
    assert_eq!(
        azure_parse("2026-11-24T10:05:06.1234567Z"),
        Some(t("2026-11-24T10:05:06Z"))
    );
    assert_eq!(azure_parse("yesterday"), None);
}

fn azure_parse(s: &str) -> Option<Timestamp> {
    azure::parse_time(s)
}

#[test]
fn secrets_stay_out_of_debug_output() {
    let keys = s3_keys().with_azure_account_key("acc", AZ_KEY);
    let text = format!("{keys:?}");
    assert!(!text.contains(SK) && !text.contains(AZ_KEY), "{text}");
}

#[cfg(feature = "json")]
#[test]
fn json_in_json_out() {
    let input = format!(
        r#"{{"url":"{AWS_DOCS_URL}","method":"GET","headers":{{}},"credentials":{{"accessKeyId":"{AK}","secretAccessKey":"{SK}"}},"clockSkew":60}}"#
    );
    let out = verify_json(&input, t("2013-05-24T00:00:01Z"));
    assert_eq!(
        out,
        r#"{"valid":true,"provider":"s3","algorithm":"AWS4-HMAC-SHA256","keyId":"AKIAIOSFODNN7EXAMPLE","method":"GET","resource":"/test.txt","signedHeaders":["host"],"notBefore":"2013-05-24T00:00:00Z","expiresAt":"2013-05-25T00:00:00Z"}"#
    );
    let put = input.replace(r#""method":"GET""#, r#""method":"PUT""#);
    let out = verify_json(&put, t("2013-05-24T00:00:01Z"));
    assert!(
        out.starts_with(r#"{"valid":false,"error":{"code":"SIGNATURE_MISMATCH","#),
        "{out}"
    );
    // Dated 60 s ahead of the caller's clock: more than the given skew.
    let out = verify_json(&input, t("2013-05-23T23:58:59Z"));
    assert!(out.contains(r#""code":"NOT_YET_VALID""#), "{out}");
    // Bad input names the member and never echoes the secret.
    let bad = input.replace(r#""clockSkew":60"#, r#""clockSkew":"x""#);
    let out = verify_json(&bad, t("2013-05-24T00:00:01Z"));
    assert!(
        out.contains(r#""code":"INVALID_REQUEST""#) && out.contains("clockSkew"),
        "{out}"
    );
    assert!(!out.contains(SK));
    let out = verify_json("{}", t("2013-05-24T00:00:01Z"));
    assert!(
        out.contains("INVALID_REQUEST") && out.contains("url"),
        "{out}"
    );
    // Azure: an account key for whatever account the URL names; the client address checks sip.
    let mut r = AzureRequest::new(Method::Get, "myaccount", "photos", "x");
    r.credentials = Some(AzCreds::account_key(AZ_KEY));
    r.ip_range = Some("10.0.0.1".into());
    let url = crate::azure::presign(&r, t("2026-11-24T10:00:00Z"))
        .unwrap()
        .url;
    let az = |ip: &str| {
        verify_json(
            &format!(
                r#"{{"url":"{url}","credentials":{{"accountKey":"{AZ_KEY}"}},"clientIp":"{ip}"}}"#
            ),
            t("2026-11-24T10:00:01Z"),
        )
    };
    assert!(az("10.0.0.1").contains(r#""allowedBy":"r""#));
    assert!(az("10.0.0.2").contains(r#""code":"IP_DENIED""#));
}

#[cfg(feature = "gcs-rsa")]
#[test]
fn public_keys_from_pem_refuse_junk_without_panicking() {
    use crate::crypto::RsaPublicKey;
    let pem = |label: &str, body: &[u8]| {
        format!(
            "-----BEGIN {label}-----\n{}\n-----END {label}-----\n",
            crate::encoding::base64(body)
        )
    };
    // Truncated and nested DER at every length: an error, never a panic.
    let mut der = vec![
        0x30, 0x82, 0x01, 0x00, 0x30, 0x81, 0x10, 0xa0, 0x03, 0x02, 0x01, 0x02,
    ];
    der.extend([
        0x02, 0x01, 0x01, 0x30, 0x00, 0x30, 0x00, 0x30, 0x00, 0x30, 0x00,
    ]);
    for n in 0..=der.len() {
        for label in ["CERTIFICATE", "PUBLIC KEY", "RSA PUBLIC KEY"] {
            let e = RsaPublicKey::from_pem(&pem(label, &der[..n])).unwrap_err();
            assert_eq!(e.code(), "INVALID_CREDENTIALS");
        }
    }
    for bad in [
        "",
        "junk",
        "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----",
    ] {
        assert!(RsaPublicKey::from_pem(bad).is_err());
    }
}

// An RSA signature checked outside the crate (WebCrypto): the verdict is taken as given, every
// other check still runs. The URL comes from the signer's external seam with a stand-in signature
// (the signature bytes are not what this test is about; the caller vouched for them).
#[test]
fn an_externally_checked_rsa_signature_still_gets_every_other_check() {
    let email = "sa@project.iam.gserviceaccount.com";
    let mut req = crate::gcs::GcsRequest::new(Method::Get, "test-bucket", "test-object");
    req.credentials = Some(crate::gcs::Credentials::service_account(email));
    req.expires_in = Some(10);
    let signed_at = t("2019-02-01T09:00:00Z");
    let url = crate::gcs::prepare(&req, signed_at)
        .unwrap()
        .finish(&"ab".repeat(256))
        .unwrap()
        .url;
    let keys = |valid| {
        move |id: &KeyId<'_>| match id {
            KeyId::GcsServiceAccount { client_email } if *client_email == email => {
                Some(VerifyKey::GcsRsaChecked(valid))
            }
            _ => None,
        }
    };
    let opts = VerifyOptions::default();
    let at = t("2019-02-01T09:00:05Z");
    let get = IncomingRequest::new(&url, Method::Get);
    let ok = verify(&get, &keys(true), at, &opts).unwrap();
    assert_eq!(ok.key_id, email);
    assert_eq!(
        code(verify(&get, &keys(false), at, &opts)),
        "SIGNATURE_MISMATCH"
    );
    assert_eq!(
        code(verify(&get, &keys(true), t("2019-02-01T09:00:10Z"), &opts)),
        "EXPIRED"
    );
    // Upper-case hex is refused whatever the external check said (the signer writes lower case).
    let upper = url.replace("X-Goog-Signature=abab", "X-Goog-Signature=ABab");
    let get = IncomingRequest::new(&upper, Method::Get);
    assert_eq!(
        code(verify(&get, &keys(true), at, &opts)),
        "SIGNATURE_MISMATCH"
    );
    // The string to sign comes from the verifier with debug on, for the external check.
    let dbg = VerifyOptions {
        debug: true,
        ..VerifyOptions::default()
    };
    let get = IncomingRequest::new(&url, Method::Get);
    let e = verify(&get, &keys(false), at, &dbg).unwrap_err();
    assert!(e.debug().is_some_and(|d| d
        .string_to_sign
        .starts_with("GOOG4-RSA-SHA256\n20190201T090000Z\n")));
}

/// An S3 Express One Zone URL as botocore 1.44.18 wrote it (session credentials from a stubbed
/// CreateSession, frozen clock; the set-up of tests/s3express_py_diff.py): its parameter order,
/// not ours.
#[cfg(feature = "s3express")]
const BOTOCORE_S3EXPRESS_URL: &str = "https://mybucket--usw2-az1--x-s3.s3express-usw2-az1.us-west-2.amazonaws.com/a%20b/c?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=ASIASESSIONKEY%2F20261124%2Fus-west-2%2Fs3express%2Faws4_request&X-Amz-Date=20261124T100000Z&X-Amz-Expires=600&X-Amz-SignedHeaders=host&X-Amz-S3session-Token=TOKEN%2F%2B%3Dabc&X-Amz-Signature=bb25e6d317ca8116a6b14f3da4334d57b08c36a7e8d75e2e90a5bae5ab5e47c3";

#[cfg(feature = "s3express")]
#[test]
fn s3_express_session_urls_verify_with_the_session_credentials() {
    let opts = VerifyOptions::default();
    let session =
        Credentials::new("ASIASESSIONKEY", "sessSecret/+x").with_session_token("TOKEN/+=abc");
    let keys = Keyring::new().with_s3(session.clone());
    let now = t("2026-11-24T10:01:00Z");
    let req = IncomingRequest::new(BOTOCORE_S3EXPRESS_URL, Method::Get);
    let ok = verify(&req, &keys, now, &opts).unwrap();
    assert_eq!(ok.key_id, "ASIASESSIONKEY");
    assert_eq!(ok.expires_at, t("2026-11-24T10:10:00Z"));
    // Another session token, a wrong secret, the token moved to X-Amz-Security-Token: refused.
    let other = Keyring::new().with_s3(session.clone().with_session_token("OTHER"));
    assert_eq!(code(verify(&req, &other, now, &opts)), "TOKEN_MISMATCH");
    let wrong = Keyring::new()
        .with_s3(Credentials::new("ASIASESSIONKEY", "x").with_session_token("TOKEN/+=abc"));
    assert_eq!(code(verify(&req, &wrong, now, &opts)), "SIGNATURE_MISMATCH");
    let moved = BOTOCORE_S3EXPRESS_URL.replace("X-Amz-S3session-Token", "X-Amz-Security-Token");
    let req = IncomingRequest::new(&moved, Method::Get);
    assert_ne!(code(verify(&req, &keys, now, &opts)), "OK");
    // Our own URL for the same request verifies too.
    let mut ours =
        S3Request::new(Method::Get, "mybucket--usw2-az1--x-s3", "a b/c").with_region("us-west-2");
    ours.credentials = Some(session);
    ours.expires_in = Some(600);
    let url = crate::s3::presign(&ours, t("2026-11-24T10:00:00Z"))
        .unwrap()
        .url;
    assert_eq!(
        code(verify(
            &IncomingRequest::new(&url, Method::Get),
            &keys,
            now,
            &opts
        )),
        "OK"
    );
}
