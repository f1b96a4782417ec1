//! Credential exchanges over JSON, for the JS bindings (`exchangeRequestJson` /
//! `exchangeResponseJson`) and the CLI: the library builds the HTTP request, the caller sends it
//! (`fetch`), and the library reads the answer. Every exchange is named by `kind`:
//!
//! - request:  `{"kind": K, …options}` → `{"url","method","headers","body"}` (the request to send;
//!   where the exchange needs the caller's bearer token, the caller adds `Authorization` itself —
//!   the JS helpers do, so the token never enters wasm);
//! - response: `{"kind": K, "status": 200, "body": "…", …options}` → the exchange's result object
//!   (credentials in the request schema's shape, ready to put in `credentials`, plus `expiresAt`
//!   where the service says), or `{"error":{"code","message"}}` (`SERVICE_ERROR` for an error
//!   document, with the service's own code and message).
//!
//! Kinds (each provider's exchange lives in its module; this file only dispatches):
//! `azure.userDelegationKey`, `azure.token` (Entra ID client credentials),
//! `azure.managedIdentityToken` (IMDS, App Service), `aws.assumeRoleWithWebIdentity`,
//! `aws.cognitoGetId`, `aws.cognitoGetCredentials`, `gcs.signBlob` (IAM Credentials: a
//! signature of `stringToSign` by `serviceAccountEmail`; the result is `{"keyId","signature"}`,
//! the signature in hex for `gcsFinishJson` / `gcsPostFinishJson`), `aws.s3ExpressCreateSession`
//! (S3 Express One Zone session credentials for a directory bucket).

use super::{error_json, missing, Object, Reader};
use crate::error::msg_at;
use crate::error::{Error, Result};
use crate::http::HttpRequest;
use crate::prelude::*;
#[cfg(url_signer)]
use crate::schema::{json_struct, read_struct};
use crate::time::Timestamp;

/// The kinds this build knows, for the error on an unknown one.
const KINDS: &[&str] = &[
    #[cfg(feature = "azure")]
    "\"azure.userDelegationKey\"",
    #[cfg(feature = "azure")]
    "\"azure.token\"",
    #[cfg(feature = "azure")]
    "\"azure.managedIdentityToken\"",
    #[cfg(feature = "s3")]
    "\"aws.assumeRoleWithWebIdentity\"",
    #[cfg(feature = "s3")]
    "\"aws.cognitoGetId\"",
    #[cfg(feature = "s3")]
    "\"aws.cognitoGetCredentials\"",
    #[cfg(feature = "gcs")]
    "\"gcs.signBlob\"",
    #[cfg(feature = "s3express")]
    "\"aws.s3ExpressCreateSession\"",
];

/// The HTTP request of the exchange `input` names, at `now`; or the error object.
pub fn exchange_request_json(input: &str, now: Timestamp) -> String {
    match read_kind(input).and_then(|(kind, r)| request(&kind, r, now)) {
        Ok(req) => http_request_json(&req),
        Err(e) => error_json(&e),
    }
}

/// The result of the exchange `input` names from the response's `status` and `body`, at `now`;
/// or the error object.
pub fn exchange_response_json(input: &str, now: Timestamp) -> String {
    let mut out = String::new();
    match read_kind(input).and_then(|(kind, r)| response(&kind, r, now, &mut out)) {
        Ok(()) => out,
        Err(e) => error_json(&e),
    }
}

/// Reads the `kind` member and returns a reader positioned to read the rest of the object.
fn read_kind(input: &str) -> Result<(String, Reader<'_>)> {
    let mut r = Reader::new(input);
    let kind = r
        .peek_member("kind")
        .map_err(super::not_a_request)?
        .ok_or_else(|| missing("kind"))?
        .into_owned();
    r.skip_member_once("kind");
    Ok((kind, r))
}

fn unknown_kind() -> Error {
    Error::InvalidRequest(msg_at!(
        "kind",
        "expected one of {}",
        crate::text::join(KINDS, ", ")
    ))
}

/// Reads the rest of the object as `T` (every member known, nothing after it).
#[cfg(url_signer)]
fn options<T: crate::schema::Members>(mut r: Reader<'_>) -> Result<T> {
    let t = read_struct(&mut r)?;
    r.finish()?;
    Ok(t)
}

fn request(kind: &str, r: Reader<'_>, now: Timestamp) -> Result<HttpRequest> {
    let _ = (&r, now);
    match kind {
        #[cfg(feature = "azure")]
        "azure.userDelegationKey" => options::<crate::azure::KeyRequest>(r)?.build(now),
        #[cfg(feature = "azure")]
        "azure.token" => options::<crate::azure::TokenRequest>(r)?.build(),
        #[cfg(feature = "azure")]
        "azure.managedIdentityToken" => options::<crate::azure::ManagedIdentityRequest>(r)?.build(),
        #[cfg(feature = "s3")]
        "aws.assumeRoleWithWebIdentity" => {
            options::<crate::s3::sts::WebIdentityRequest>(r)?.build()
        }
        #[cfg(feature = "s3")]
        "aws.cognitoGetId" => options::<crate::s3::cognito::GetIdRequest>(r)?.build(),
        #[cfg(feature = "s3")]
        "aws.cognitoGetCredentials" => {
            options::<crate::s3::cognito::CredentialsForIdentityRequest>(r)?.build()
        }
        #[cfg(feature = "gcs")]
        "gcs.signBlob" => options::<crate::gcs::sign_blob::SignBlobJson>(r)?.build(),
        #[cfg(feature = "s3express")]
        "aws.s3ExpressCreateSession" => options::<crate::s3::express::CreateSession>(r)?.build(now),
        _ => Err(unknown_kind()),
    }
}

fn response(kind: &str, r: Reader<'_>, now: Timestamp, out: &mut String) -> Result<()> {
    let _ = (&r, now, &out);
    match kind {
        #[cfg(feature = "azure")]
        "azure.userDelegationKey" => {
            let Answer { status, body } = options(r)?;
            let key = crate::azure::UserDelegationKey::from_response(status, &body)?;
            let mut o = Object::new(out);
            push_user_delegation_key(o.key("userDelegationKey"), &key);
            o.time("expiresAt", key.signed_expiry).end();
            Ok(())
        }
        #[cfg(feature = "azure")]
        "azure.token" | "azure.managedIdentityToken" => {
            use crate::azure::AccessToken;
            let Answer { status, body } = options(r)?;
            let exchange = if kind == "azure.token" {
                AccessToken::CLIENT_CREDENTIALS
            } else {
                AccessToken::MANAGED_IDENTITY
            };
            let token = AccessToken::from_response(exchange, status, &body, now)?;
            Object::new(out)
                .str("accessToken", token.token.expose())
                .str("tokenType", &token.token_type)
                .time("expiresAt", token.expires_at)
                .end();
            Ok(())
        }
        #[cfg(feature = "s3")]
        "aws.assumeRoleWithWebIdentity" => {
            let Answer { status, body } = options(r)?;
            let c = crate::s3::sts::web_identity_credentials(status, &body)?;
            push_aws_credentials(Object::new(out), &c).end();
            Ok(())
        }
        #[cfg(feature = "s3")]
        "aws.cognitoGetId" => {
            let Answer { status, body } = options(r)?;
            let id = crate::s3::cognito::identity_id(status, &body)?;
            Object::new(out).str("identityId", &id).end();
            Ok(())
        }
        #[cfg(feature = "s3")]
        "aws.cognitoGetCredentials" => {
            let Answer { status, body } = options(r)?;
            let c = crate::s3::cognito::identity_credentials(status, &body)?;
            let o = Object::new(out).str("identityId", &c.identity_id);
            push_aws_credentials(o, &c.credentials).end();
            Ok(())
        }
        #[cfg(feature = "gcs")]
        "gcs.signBlob" => {
            let Answer { status, body } = options(r)?;
            let blob = crate::gcs::sign_blob::SignedBlob::from_response(status, &body)?;
            Object::new(out)
                .str("keyId", &blob.key_id)
                .str("signature", &blob.signature_hex())
                .end();
            Ok(())
        }
        #[cfg(feature = "s3express")]
        "aws.s3ExpressCreateSession" => {
            let Answer { status, body } = options(r)?;
            let c = crate::s3::express::parse_create_session(status, &body)?;
            push_aws_credentials(Object::new(out), &c).end();
            Ok(())
        }
        _ => Err(unknown_kind()),
    }
}

/// A response as the caller received it.
#[cfg(url_signer)]
struct Answer {
    status: u16,
    body: String,
}

#[cfg(url_signer)]
json_struct!(Answer {
    required { status: "status", body: "body" }
    optional {}
});

/// `{"url","method","headers":{…},"body"}`.
pub fn http_request_json(req: &HttpRequest) -> String {
    let mut out = String::with_capacity(req.url.len() + req.body.len() + 128);
    Object::new(&mut out)
        .str("url", &req.url)
        .str("method", req.method.as_str())
        .pairs("headers", req.headers.iter())
        .str("body", &req.body)
        .end();
    out
}

#[cfg(feature = "azure")]
fn push_user_delegation_key(out: &mut String, k: &crate::azure::UserDelegationKey) {
    let mut o = Object::new(out)
        .str("signedOid", &k.signed_oid)
        .str("signedTid", &k.signed_tid)
        .time("signedStart", k.signed_start)
        .time("signedExpiry", k.signed_expiry)
        .str("signedService", &k.signed_service)
        .str("signedVersion", &k.signed_version);
    if let Some(tid) = &k.signed_delegated_user_tid {
        o = o.str("signedDelegatedUserTid", tid);
    }
    o.str("value", k.value.expose()).end();
}

/// `"credentials":{accessKeyId, secretAccessKey, sessionToken, expiresAt}` (the request schema's
/// S3 credentials, so the credential expiry rule applies when they sign) and `"expiresAt"`.
#[cfg(feature = "s3")]
fn push_aws_credentials<'o>(mut o: Object<'o>, c: &crate::s3::Credentials) -> Object<'o> {
    let mut creds = Object::new(o.key("credentials"))
        .str("accessKeyId", &c.access_key_id)
        .str("secretAccessKey", c.secret_access_key.expose());
    if let Some(t) = &c.session_token {
        creds = creds.str("sessionToken", t.expose());
    }
    if let Some(at) = c.expires_at {
        creds = creds.time("expiresAt", at);
    }
    creds.end();
    if let Some(at) = c.expires_at {
        o = o.time("expiresAt", at);
    }
    o
}

#[cfg(all(test, feature = "s3"))]
mod aws_tests {
    use super::*;

    fn now() -> Timestamp {
        Timestamp::parse_rfc3339("2026-11-24T10:00:00Z").unwrap()
    }

    #[test]
    fn aws_requests_from_json() {
        let out = exchange_request_json(
            r#"{"kind":"aws.assumeRoleWithWebIdentity","roleArn":"arn:aws:iam::1:role/r","roleSessionName":"app","webIdentityToken":"SECRETTOKEN","endpoint":"http://127.0.0.1:5055","durationSeconds":900}"#,
            now(),
        );
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["url"], "http://127.0.0.1:5055/");
        assert_eq!(v["method"], "POST");
        assert_eq!(
            v["body"],
            "Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A1%3Arole%2Fr&RoleSessionName=app&WebIdentityToken=SECRETTOKEN&DurationSeconds=900"
        );
        let out = exchange_request_json(
            r#"{"kind":"aws.cognitoGetId","identityPoolId":"eu-west-1:p","logins":{"accounts.google.com":"t"}}"#,
            now(),
        );
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(
            v["headers"]["x-amz-target"],
            "AWSCognitoIdentityService.GetId"
        );
        assert_eq!(
            v["body"],
            r#"{"IdentityPoolId":"eu-west-1:p","Logins":{"accounts.google.com":"t"}}"#
        );
        let out = exchange_request_json(
            r#"{"kind":"aws.cognitoGetCredentials","identityId":"eu-west-1:i","webIdentityToken":"SECRETTOKEN"}"#,
            now(),
        );
        assert!(
            out.contains("INVALID_REQUEST") && !out.contains("SECRETTOKEN"),
            "{out}"
        );
    }

    /// The credentials an exchange answers are the request schema's: signing with them past
    /// their `expiresAt` under `credentialExpiry: "error"` fails, and `clamp` shortens the URL.
    #[test]
    fn aws_credentials_sign_under_the_expiry_rule() {
        let body =
            "<AssumeRoleWithWebIdentityResponse><AssumeRoleWithWebIdentityResult><Credentials>\
            <AccessKeyId>ASIAEXAMPLE</AccessKeyId><SecretAccessKey>SECRETKEY</SecretAccessKey>\
            <SessionToken>SESSION/TOKEN</SessionToken><Expiration>2026-11-24T10:30:00Z</Expiration>\
            </Credentials></AssumeRoleWithWebIdentityResult></AssumeRoleWithWebIdentityResponse>";
        let input = format!(
            r#"{{"kind":"aws.assumeRoleWithWebIdentity","status":200,"body":{}}}"#,
            crate::schema::string(body)
        );
        let out = exchange_response_json(&input, now());
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["expiresAt"], "2026-11-24T10:30:00Z");
        assert_eq!(v["credentials"]["sessionToken"], "SESSION/TOKEN");
        let creds = v["credentials"].to_string();
        let sign = |rule: &str| {
            let req = format!(
                r#"{{"provider":"s3","bucket":"b","key":"k","expiresIn":3600,"signedAt":"2026-11-24T10:00:00Z","credentialExpiry":"{rule}","credentials":{creds}}}"#
            );
            let out = crate::json::presign_json(&crate::json::Signer::new(), &req, now());
            serde_json::from_str::<serde_json::Value>(&out).unwrap()
        };
        let e = sign("error");
        assert_eq!(e["error"]["code"], "CREDENTIALS_EXPIRE", "{e}");
        let c = sign("clamp");
        assert_eq!(c["expiresAt"], "2026-11-24T10:30:00Z", "{c}");
        assert!(c["url"]
            .as_str()
            .unwrap()
            .contains("X-Amz-Security-Token=SESSION%2FTOKEN"));
        // Error documents: SERVICE_ERROR with the service's code.
        for (kind, status, body) in [
            ("aws.assumeRoleWithWebIdentity", 400, "<ErrorResponse><Error><Type>Sender</Type><Code>InvalidIdentityToken</Code><Message>m</Message></Error></ErrorResponse>"),
            ("aws.cognitoGetId", 400, r#"{"__type":"ResourceNotFoundException","message":"m"}"#),
            ("aws.cognitoGetCredentials", 400, r#"{"__type":"NotAuthorizedException","message":"m"}"#),
        ] {
            let input = format!(
                r#"{{"kind":"{kind}","status":{status},"body":{}}}"#,
                crate::schema::string(body)
            );
            let v: serde_json::Value =
                serde_json::from_str(&exchange_response_json(&input, now())).unwrap();
            assert_eq!(v["error"]["code"], "SERVICE_ERROR", "{v}");
        }
    }
}
