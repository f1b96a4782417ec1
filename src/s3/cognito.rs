//! Amazon Cognito identity pools: temporary S3 credentials for a browser or a Worker, signed in
//! (`logins`: an identity provider's token per provider name) or a guest (unauthenticated
//! identities, when the pool allows them). Two unsigned calls: `GetId` (the identity's id in the
//! pool) then `GetCredentialsForIdentity` (credentials of the pool's role for it). Sans-io:
//! [`GetIdRequest::build`] / [`CredentialsForIdentityRequest::build`] make the requests, the
//! caller sends them, [`identity_id`] / [`identity_credentials`] read the answers.
//!
//! Spec: <https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_GetId.html>,
//! <https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_GetCredentialsForIdentity.html>.
//!
//! ```
//! use presign::s3::cognito::{identity_credentials, identity_id, CredentialsForIdentityRequest, GetIdRequest};
//!
//! let get_id = GetIdRequest::new("eu-west-1:0b5d5d6a-3f8e-4c6d-9a3c-2f2a9e7c1d11").build()?;
//! assert_eq!(get_id.url, "https://cognito-identity.eu-west-1.amazonaws.com/");
//! // ... POST it, then:
//! let id = identity_id(200, r#"{"IdentityId":"eu-west-1:1f2e3d4c-0000-0000-0000-000000000000"}"#)?;
//! let http = CredentialsForIdentityRequest::new(&id).build()?;
//! // ... POST it, then:
//! let body = r#"{"IdentityId":"eu-west-1:1f2e3d4c-0000-0000-0000-000000000000","Credentials":
//!   {"AccessKeyId":"ASIAEXAMPLE","SecretKey":"secret","SessionToken":"token","Expiration":1795000000}}"#;
//! let creds = identity_credentials(200, body)?.credentials;
//! assert_eq!(creds.expires_at.map(|t| t.rfc3339()).as_deref(), Some("2026-11-18T11:06:40Z"));
//! # Ok::<(), presign::Error>(())
//! ```

use super::sts::{aws_endpoint, check_credentials};
use super::Credentials;
use crate::error::{Error, Result};
use crate::http::{bad_response, service_error, HttpRequest};
use crate::prelude::*;
use crate::schema::{Object, Reader};
use crate::time::Timestamp;
use crate::types::{Method, Params, Secret};
use core::fmt;

const GET_ID: &str = "Cognito GetId";
const GET_CREDENTIALS: &str = "Cognito GetCredentialsForIdentity";

/// Options of a `GetId` request. `Debug` shows the providers of `logins`, not their tokens.
#[derive(Clone)]
pub struct GetIdRequest {
    /// `IdentityPoolId`, `region:uuid`.
    pub identity_pool_id: String,
    /// `Logins`: provider name (`accounts.google.com`, `cognito-idp.{region}.amazonaws.com/{user
    /// pool id}`, …) → that provider's token. None or empty for a guest identity.
    pub logins: Option<Params>,
    /// `AccountId`, the pool's AWS account (rarely needed).
    pub account_id: Option<String>,
    /// The region of the endpoint; default: the pool id's prefix (`eu-west-1` of `eu-west-1:…`).
    pub region: Option<String>,
    /// Another endpoint; default `https://cognito-identity.{region}.amazonaws.com`.
    pub endpoint: Option<String>,
}

#[cfg(feature = "json")]
crate::schema::json_struct!(GetIdRequest {
    required { identity_pool_id: "identityPoolId" }
    optional { logins: "logins", account_id: "accountId", region: "region", endpoint: "endpoint" }
});

/// Options of a `GetCredentialsForIdentity` request. `Debug` shows the providers of `logins`,
/// not their tokens.
#[derive(Clone)]
pub struct CredentialsForIdentityRequest {
    /// `IdentityId` from `GetId`.
    pub identity_id: String,
    /// `Logins`, as given to `GetId` (an authenticated identity needs them again).
    pub logins: Option<Params>,
    /// `CustomRoleArn`: one of the roles the pool's rules allow for this identity's token (the
    /// `cognito:roles` claim), when the pool lets the token choose.
    pub custom_role_arn: Option<String>,
    /// The region of the endpoint; default: the identity id's prefix.
    pub region: Option<String>,
    /// Another endpoint; default `https://cognito-identity.{region}.amazonaws.com`.
    pub endpoint: Option<String>,
}

#[cfg(feature = "json")]
crate::schema::json_struct!(CredentialsForIdentityRequest {
    required { identity_id: "identityId" }
    optional {
        logins: "logins", custom_role_arn: "customRoleArn", region: "region", endpoint: "endpoint",
    }
});

fn debug_logins(logins: &Option<Params>) -> Vec<&str> {
    logins
        .iter()
        .flat_map(|l| l.iter().map(|(n, _)| n))
        .collect()
}

impl fmt::Debug for GetIdRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GetIdRequest")
            .field("identity_pool_id", &self.identity_pool_id)
            .field("logins", &debug_logins(&self.logins))
            .field("account_id", &self.account_id)
            .field("region", &self.region)
            .field("endpoint", &self.endpoint)
            .finish()
    }
}

impl fmt::Debug for CredentialsForIdentityRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CredentialsForIdentityRequest")
            .field("identity_id", &self.identity_id)
            .field("logins", &debug_logins(&self.logins))
            .field("custom_role_arn", &self.custom_role_arn)
            .field("region", &self.region)
            .field("endpoint", &self.endpoint)
            .finish()
    }
}

impl GetIdRequest {
    /// A guest `GetId` for the pool (add `logins` for a signed-in identity).
    pub fn new(identity_pool_id: impl Into<String>) -> Self {
        GetIdRequest {
            identity_pool_id: identity_pool_id.into(),
            logins: None,
            account_id: None,
            region: None,
            endpoint: None,
        }
    }

    /// Adds a provider's token to `Logins`.
    pub fn with_login(mut self, provider: impl Into<String>, token: impl Into<String>) -> Self {
        push_login(&mut self.logins, provider.into(), token.into());
        self
    }

    /// Builds `POST /` with `X-Amz-Target: AWSCognitoIdentityService.GetId` and the JSON body
    /// botocore sends.
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] for a pool id that is not `region:id` or bad logins;
    /// [`Error::InvalidEndpoint`] for a bad region or endpoint.
    pub fn build(&self) -> Result<HttpRequest> {
        let id = ("identityPoolId", self.identity_pool_id.as_str());
        let (region, endpoint) = (self.region.as_deref(), self.endpoint.as_deref());
        json_request("GetId", id, region, endpoint, |mut o| {
            // The members in the API model's order, as botocore and the other SDKs write them.
            if let Some(a) = &self.account_id {
                o = o.str("AccountId", a);
            }
            o = o.str("IdentityPoolId", &self.identity_pool_id);
            push_logins(o, self.logins.as_ref())
        })
    }
}

impl CredentialsForIdentityRequest {
    /// A `GetCredentialsForIdentity` for the identity (add `logins` for a signed-in one).
    pub fn new(identity_id: impl Into<String>) -> Self {
        CredentialsForIdentityRequest {
            identity_id: identity_id.into(),
            logins: None,
            custom_role_arn: None,
            region: None,
            endpoint: None,
        }
    }

    /// Adds a provider's token to `Logins`.
    pub fn with_login(mut self, provider: impl Into<String>, token: impl Into<String>) -> Self {
        push_login(&mut self.logins, provider.into(), token.into());
        self
    }

    /// Builds `POST /` with `X-Amz-Target: AWSCognitoIdentityService.GetCredentialsForIdentity`.
    ///
    /// # Errors
    /// As [`GetIdRequest::build`], for the identity id.
    pub fn build(&self) -> Result<HttpRequest> {
        let id = ("identityId", self.identity_id.as_str());
        let (region, endpoint) = (self.region.as_deref(), self.endpoint.as_deref());
        json_request("GetCredentialsForIdentity", id, region, endpoint, |o| {
            let mut o = push_logins(o.str("IdentityId", &self.identity_id), self.logins.as_ref())?;
            if let Some(arn) = &self.custom_role_arn {
                o = o.str("CustomRoleArn", arn);
            }
            Ok(o)
        })
    }
}

/// The endpoint: explicit, or of the region given, or of the id's `region:` prefix.
fn endpoint_for(
    what: &str,
    id: &str,
    region: Option<&str>,
    endpoint: Option<&str>,
) -> Result<String> {
    let prefix = id.split_once(':').map(|(r, _)| r);
    if prefix.is_none_or(str::is_empty) || id.len() > 128 || id.chars().any(char::is_control) {
        return Err(Error::InvalidRequest(format!(
            "`{what}`: expected region:id (e.g. eu-west-1:0b5d5d6a-…)"
        )));
    }
    aws_endpoint("cognito-identity", region.or(prefix), endpoint)
}

fn push_logins<'o>(mut o: Object<'o>, logins: Option<&Params>) -> Result<Object<'o>> {
    if let Some(l) = logins.filter(|l| !l.0.is_empty()) {
        for (i, (name, token)) in l.iter().enumerate() {
            if name.is_empty() || token.is_empty() || l.iter().take(i).any(|(n, _)| n == name) {
                return Err(Error::InvalidRequest(format!(
                    "`logins[{i}]`: a provider name (once) and its non-empty token"
                )));
            }
        }
        o = o.pairs("Logins", l.iter());
    }
    Ok(o)
}

/// Adds a provider's token to `Logins`.
fn push_login(logins: &mut Option<Params>, provider: String, token: String) {
    logins
        .get_or_insert_with(Params::default)
        .0
        .push((provider, token));
}

/// `POST /` to the endpoint of `id` (its member name and value), `X-Amz-Target` the operation
/// `target`, with the JSON object whose members `members` writes.
fn json_request(
    target: &str,
    (what, id): (&str, &str),
    region: Option<&str>,
    endpoint: Option<&str>,
    members: impl FnOnce(Object<'_>) -> Result<Object<'_>>,
) -> Result<HttpRequest> {
    let url = endpoint_for(what, id, region, endpoint)?;
    let mut body = String::with_capacity(128);
    members(Object::new(&mut body))?.end();
    Ok(HttpRequest {
        url,
        method: Method::Post,
        headers: Params(vec![
            (
                "x-amz-target".into(),
                format!("AWSCognitoIdentityService.{target}"),
            ),
            ("content-type".into(), "application/x-amz-json-1.1".into()),
        ]),
        body,
    })
}

/// Reads a `GetId` answer: the identity id.
///
/// # Errors
/// [`Error::Service`]: Cognito's `{"__type","message"}` error document (e.g.
/// `NotAuthorizedException`, `ResourceNotFoundException`) with its type and message, or a body
/// that is not the documented response.
pub fn identity_id(status: u16, body: &str) -> Result<String> {
    check_status(GET_ID, status, body)?;
    let mut id = None;
    read_object(GET_ID, body, |r, name| {
        match name {
            "IdentityId" => id = Some(r.string()?.into_owned()),
            _ => r.skip()?,
        }
        Ok(())
    })?;
    id.filter(|i| i.contains(':') && !i.chars().any(char::is_control))
        .ok_or_else(|| bad_response(GET_ID, "no IdentityId"))
}

/// What `GetCredentialsForIdentity` answers: the identity and its temporary credentials.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdentityCredentials {
    /// `IdentityId`.
    pub identity_id: String,
    /// The credentials, with the session token and `expires_at` (so the credential expiry rule
    /// applies when they sign). `Debug` redacts the secret and the token.
    pub credentials: Credentials,
}

/// Reads a `GetCredentialsForIdentity` answer.
///
/// # Errors
/// As [`identity_id`].
pub fn identity_credentials(status: u16, body: &str) -> Result<IdentityCredentials> {
    check_status(GET_CREDENTIALS, status, body)?;
    let (mut id, mut key, mut secret, mut token, mut expiration) = (None, None, None, None, None);
    read_object(GET_CREDENTIALS, body, |r, name| {
        match name {
            "IdentityId" => id = Some(r.string()?.into_owned()),
            "Credentials" => r.object(|r, name| {
                match name {
                    "AccessKeyId" => key = Some(r.string()?.into_owned()),
                    "SecretKey" => secret = Some(Secret::new(r.string()?.into_owned())),
                    "SessionToken" => token = Some(Secret::new(r.string()?.into_owned())),
                    "Expiration" => expiration = Some(epoch_seconds(r)?),
                    _ => r.skip()?,
                }
                Ok(())
            })?,
            _ => r.skip()?,
        }
        Ok(())
    })?;
    let missing = |what: &str| bad_response(GET_CREDENTIALS, &format!("no {what}"));
    let credentials = Credentials {
        access_key_id: key.ok_or_else(|| missing("Credentials.AccessKeyId"))?,
        secret_access_key: secret.ok_or_else(|| missing("Credentials.SecretKey"))?,
        session_token: Some(token.ok_or_else(|| missing("Credentials.SessionToken"))?),
        expires_at: Some(expiration.ok_or_else(|| missing("Credentials.Expiration"))?),
    };
    check_credentials(GET_CREDENTIALS, &credentials)?;
    Ok(IdentityCredentials {
        identity_id: id.ok_or_else(|| missing("IdentityId"))?,
        credentials,
    })
}

/// A 2xx status, or Cognito's error document: `{"__type": "[namespace#]Code", "message": "…"}`
/// (the awsJson1_1 protocol; some services write `Message`).
fn check_status(exchange: &str, status: u16, body: &str) -> Result<()> {
    let (mut ty, mut message) = (None, None);
    let parsed = read_object(exchange, body, |r, name| {
        match name {
            "__type" => ty = Some(r.string()?.into_owned()),
            "message" | "Message" => message = Some(r.string()?.into_owned()),
            _ => r.skip()?,
        }
        Ok(())
    });
    if let (Ok(()), Some(ty)) = (&parsed, &ty) {
        let code = ty.rsplit('#').next().unwrap_or(ty);
        return Err(service_error(
            exchange,
            status,
            code,
            message.as_deref().unwrap_or(""),
        ));
    }
    if !(200..300).contains(&status) {
        return Err(bad_response(
            exchange,
            &format!("HTTP status {status} without a Cognito error document"),
        ));
    }
    Ok(())
}

/// Reads `body` as one JSON object; a reader error becomes a bad response (it never quotes the
/// body).
fn read_object(
    exchange: &str,
    body: &str,
    member: impl FnMut(&mut Reader<'_>, &str) -> Result<()>,
) -> Result<()> {
    let mut r = Reader::new(body);
    r.object(member)
        .and_then(|()| r.finish())
        .map_err(|e| bad_response(exchange, e.message()))
}

/// A JSON number of seconds since the epoch (`1795000000`, `1.795E9`, `1795000000.123`), the
/// fraction dropped. Written here without floating point: only plain non-negative decimals.
fn epoch_seconds(r: &mut Reader<'_>) -> Result<Timestamp> {
    let bad = || Error::InvalidRequest("Expiration: expected seconds since the epoch".into());
    let raw = r.raw()?;
    let (mantissa, exp) = match raw.split_once(['e', 'E']) {
        Some((m, e)) => (m, e.strip_prefix('+').unwrap_or(e)),
        None => (raw, "0"),
    };
    let exp: i32 = exp.parse().map_err(|_| bad())?;
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if int.is_empty() || !int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    // value = digits × 10^(exp − fraction length): `keep` digits stand before the point.
    let digits = format!("{int}{frac}");
    let digits = digits.trim_start_matches('0');
    let len = i64::try_from(digits.len()).map_err(|_| bad())?;
    let keep = len + i64::from(exp) - i64::try_from(frac.len()).map_err(|_| bad())?;
    if keep > 12 {
        return Err(bad());
    }
    let whole = digits
        .get(..usize::try_from(keep.clamp(0, len)).unwrap_or(0))
        .unwrap_or("");
    let mut secs: i64 = 0;
    for b in whole.bytes() {
        secs = secs * 10 + i64::from(b - b'0');
    }
    for _ in len..keep {
        secs *= 10;
    }
    Timestamp::from_unix(secs).map_err(|_| bad())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Timestamp {
        Timestamp::parse_rfc3339(s).unwrap()
    }

    #[test]
    fn builds_the_requests() {
        // The bytes are compared with boto3's captures in tests/aws_exchange_vectors.rs
        // (tests/vectors/aws/sts-cognito-requests.json) and tests/aws_token_py_diff.py; here:
        // the endpoints, the refusals, and that Debug hides the tokens.
        let h = GetIdRequest::new("eu-west-1:abc")
            .with_login("accounts.google.com", "t")
            .build()
            .unwrap();
        assert_eq!(h.url, "https://cognito-identity.eu-west-1.amazonaws.com/");
        assert_eq!(h.method, Method::Post);
        let mut other_region = GetIdRequest::new("us-east-2:x");
        other_region.region = Some("eu-central-1".into());
        let h = other_region.build().unwrap();
        assert_eq!(
            h.url,
            "https://cognito-identity.eu-central-1.amazonaws.com/"
        );
        let mut c = CredentialsForIdentityRequest::new("eu-west-1:id").with_login("p", "SECRET");
        c.endpoint = Some("http://127.0.0.1:5055".into());
        let h = c.build().unwrap();
        assert_eq!(h.url, "http://127.0.0.1:5055/");
        assert!(!format!("{c:?}").contains("SECRET"));
        assert!(!format!("{h:?}").contains("SECRET"));
        for bad in [
            GetIdRequest::new("nocolon"),
            GetIdRequest::new(":x"),
            GetIdRequest::new("eu-west-1:x").with_login("p", ""),
            GetIdRequest::new("eu-west-1:x")
                .with_login("p", "a")
                .with_login("p", "b"),
        ] {
            assert_eq!(
                bad.build().unwrap_err().code(),
                "INVALID_REQUEST",
                "{bad:?}"
            );
        }
    }

    const CREDS: &str = r#"{"Credentials":{"AccessKeyId":"ASIAEXAMPLE","Expiration":1.795E9,"SecretKey":"wJalrEXAMPLEKEY","SessionToken":"IQoJEXAMPLETOKEN"},"IdentityId":"us-east-1:1f2e3d4c-0000-0000-0000-000000000000"}"#;

    #[test]
    fn parses_the_documented_responses() {
        // The shapes of the API reference's GetId / GetCredentialsForIdentity "Response Syntax"
        // (Expiration is a timestamp, in awsJson1_1 a number of epoch seconds).
        assert_eq!(
            identity_id(200, r#"{"IdentityId": "us-east-1:1f2e"}"#).unwrap(),
            "us-east-1:1f2e"
        );
        let c = identity_credentials(200, CREDS).unwrap();
        assert_eq!(
            c.identity_id,
            "us-east-1:1f2e3d4c-0000-0000-0000-000000000000"
        );
        assert_eq!(c.credentials.access_key_id, "ASIAEXAMPLE");
        assert_eq!(c.credentials.secret_access_key.expose(), "wJalrEXAMPLEKEY");
        assert_eq!(
            c.credentials.session_token.as_ref().map(Secret::expose),
            Some("IQoJEXAMPLETOKEN")
        );
        assert_eq!(c.credentials.expires_at, Some(t("2026-11-18T11:06:40Z")));
        assert!(!format!("{c:?}").contains("EXAMPLEKEY"));
        for (raw, want) in [
            ("1795000000", "2026-11-18T11:06:40Z"),
            ("1795000000.987", "2026-11-18T11:06:40Z"),
            ("1.795e+9", "2026-11-18T11:06:40Z"),
            ("17950000000E-1", "2026-11-18T11:06:40Z"),
            ("0.0", "1970-01-01T00:00:00Z"),
            ("1795000000.0", "2026-11-18T11:06:40Z"),
        ] {
            let body = CREDS.replace("1.795E9", raw);
            let c = identity_credentials(200, &body).unwrap();
            assert_eq!(c.credentials.expires_at, Some(t(want)), "{raw}");
        }
    }

    #[test]
    fn documented_error_documents_are_service_errors() {
        // The errors GetId / GetCredentialsForIdentity document ("Errors" sections of both API
        // reference pages), in the awsJson1_1 error shape {"__type","message"}
        // (https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/CommonErrors.html).
        for (status, ty) in [
            (400, "NotAuthorizedException"),
            (400, "ResourceNotFoundException"),
            (400, "InvalidParameterException"),
            (400, "LimitExceededException"),
            (400, "TooManyRequestsException"),
            (400, "ResourceConflictException"),
            (400, "InvalidIdentityPoolConfigurationException"),
            (400, "ExternalServiceException"),
            (500, "InternalErrorException"),
            (
                400,
                "com.amazonaws.cognito.identity.model#NotAuthorizedException",
            ),
        ] {
            let body = format!(r#"{{"__type":"{ty}","message":"Reason\nmore"}}"#);
            for e in [
                identity_id(status, &body).unwrap_err(),
                identity_credentials(status, &body).unwrap_err(),
                identity_credentials(200, &body).unwrap_err(),
            ] {
                assert_eq!(e.code(), "SERVICE_ERROR");
                let code = ty.rsplit('#').next().unwrap();
                assert!(e.message().contains(&format!("\"{code}\"")), "{e}");
                assert!(
                    e.message().contains("Reason") && !e.message().contains("more"),
                    "{e}"
                );
            }
        }
        let e = identity_id(400, r#"{"__type":"NotAuthorizedException","Message":"M"}"#);
        assert!(e.unwrap_err().message().contains("\"M\""));
    }

    #[test]
    fn other_bodies_are_bad_responses() {
        for (status, body) in [
            (200, ""),
            (200, "{}"),
            (200, "[]"),
            (200, "<xml/>"),
            (200, &CREDS.replace("1.795E9", "\"1795000000\"")),
            (200, &CREDS.replace("1.795E9", "-1")),
            (200, &CREDS.replace("1.795E9", "001795000000")),
            (200, &CREDS.replace("1.795E9", "1e400")),
            (200, &CREDS.replace("1.795E9", "1.795E99")),
            (200, &CREDS.replace(r#""SecretKey":"wJalrEXAMPLEKEY","#, "")),
            (200, &CREDS.replace("IQoJEXAMPLETOKEN", "")),
            (200, &format!("{CREDS} x")),
            (500, "Internal Server Error"),
            (400, "{\"message\":\"no type\"}"),
        ] {
            let e = identity_credentials(status, body).unwrap_err();
            assert_eq!(e.code(), "SERVICE_ERROR", "{body}");
            assert!(!e.message().contains("EXAMPLEKEY"), "{e}");
        }
        assert!(identity_id(200, r#"{"IdentityId":5}"#).is_err());
        assert!(identity_id(200, r#"{"IdentityId":"nocolon"}"#).is_err());
    }

    proptest::proptest! {
        #[test]
        fn never_panics_on_garbage(status in 0u16..600, body in ".{0,300}") {
            let _ = identity_id(status, &body);
            let _ = identity_credentials(status, &body);
        }

        #[test]
        fn never_panics_on_numbers(raw in "[-+0-9.eE]{1,30}") {
            let _ = identity_credentials(200, &CREDS.replace("1.795E9", &raw));
        }

        #[test]
        fn never_panics_on_truncations(cut in 0usize..300) {
            let end = cut.min(CREDS.len());
            let r = identity_credentials(200, CREDS.get(..end).unwrap_or(""));
            if end < CREDS.len() {
                proptest::prop_assert!(r.is_err());
            }
        }
    }
}
