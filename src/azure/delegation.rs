//! User-delegation keys: the key itself, and the two sans-io halves of getting one — the
//! `Get User Delegation Key` request to send (with a Microsoft Entra ID / Workload Identity
//! bearer token the caller adds) and the parser of its XML response.
//!
//! Spec: <https://learn.microsoft.com/rest/api/storageservices/get-user-delegation-key>.
//!
//! The request [`KeyRequest::build`] returns has no `Authorization` header: the caller adds
//! `Authorization: Bearer <token>` with an Entra ID access token for the scope
//! `https://storage.azure.com/.default` (from [`super::token`], or any other source). The token
//! never passes through the library.
//!
//! ```
//! use presign::azure::delegation::{KeyRequest, UserDelegationKey};
//! use presign::Timestamp;
//!
//! let now = Timestamp::parse_rfc3339("2026-11-24T10:00:00Z")?;
//! let http = KeyRequest::new("myaccount", now, now.add_secs(3600)?).build(now)?;
//! assert_eq!(http.url, "https://myaccount.blob.core.windows.net/?restype=service&comp=userdelegationkey");
//! // ... send it with `Authorization: Bearer <token>`, then:
//! let body = "<?xml version=\"1.0\" encoding=\"utf-8\"?><UserDelegationKey>\
//!   <SignedOid>oid</SignedOid><SignedTid>tid</SignedTid>\
//!   <SignedStart>2026-11-24T10:00:00Z</SignedStart><SignedExpiry>2026-11-24T11:00:00Z</SignedExpiry>\
//!   <SignedService>b</SignedService><SignedVersion>2025-07-05</SignedVersion>\
//!   <Value>a2V5</Value></UserDelegationKey>";
//! let key = UserDelegationKey::from_xml(body)?;
//! assert_eq!(key.signed_oid, "oid");
//! # Ok::<(), presign::Error>(())
//! ```

use super::endpoint::{self, DEFAULT_SUFFIX};
use super::sas::SignedVersion;
use crate::error::{msg, msg_at};
use crate::error::{quoted, Error, Result};
use crate::http::{service_error, HttpRequest};
use crate::prelude::*;
use crate::time::Timestamp;
use crate::types::{Method, Params, Secret};
use crate::xml::Xml;

/// How far a user-delegation key's start and expiry may each be from the time of its
/// `Get User Delegation Key` request: 7 days. Azure takes a `Start` and an `Expiry` "within 7
/// days of the current time" (the request's), so a start may be back-dated, and an expiry may be
/// up to 7 days after the request whatever the start.
pub const MAX_KEY_OFFSET: i64 = 604_800;

/// The longest a key Azure issues lives, from `signedStart` to `signedExpiry`: 14 days (a start
/// back-dated by the full 7 days and an expiry 7 days after the request). Clients routinely
/// back-date the start to absorb clock skew, so keys of more than 7 days are ordinary.
pub const MAX_KEY_LIFETIME: i64 = 2 * MAX_KEY_OFFSET;

/// Azure's rule for a user-delegation key's times, the one place it is written: the expiry after
/// the start, and both within [`MAX_KEY_OFFSET`] of the time of the request. `requested_at` is
/// that time when known (building the request); for an issued key it is not, and the rule is
/// that some request time fits both ends: at most [`MAX_KEY_LIFETIME`] from start to expiry.
/// The signer ([`UserDelegationKey::validate`]), the verifier and [`KeyRequest::build`] call it.
fn check_key_times(
    start: Timestamp,
    expiry: Timestamp,
    requested_at: Option<Timestamp>,
) -> core::result::Result<(), &'static str> {
    if expiry <= start {
        return Err("the key's expiry is not after its start");
    }
    match requested_at {
        Some(at) => {
            if at.unix() - start.unix() > MAX_KEY_OFFSET {
                return Err("the key's start is more than 7 days before the request; Azure issues keys whose start and expiry are each within 7 days of the time of the request");
            }
            if expiry.unix() - at.unix() > MAX_KEY_OFFSET {
                return Err("the key's expiry is more than 7 days after the request; Azure issues keys whose start and expiry are each within 7 days of the time of the request");
            }
        }
        None => {
            if expiry.unix() - start.unix() > MAX_KEY_LIFETIME {
                return Err("the key lives longer than 14 days from start to expiry; Azure issues keys whose start and expiry are each within 7 days of the time of the request");
            }
        }
    }
    Ok(())
}

/// A user-delegation key, as `Get User Delegation Key` returns it. `Debug` redacts `value`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UserDelegationKey {
    /// `SignedOid` (`skoid`): the Entra object id the key was issued to.
    pub signed_oid: String,
    /// `SignedTid` (`sktid`): the tenant.
    pub signed_tid: String,
    /// `SignedStart` (`skt`).
    pub signed_start: Timestamp,
    /// `SignedExpiry` (`ske`); after the start, at most 14 days after it (see
    /// [`MAX_KEY_LIFETIME`]).
    pub signed_expiry: Timestamp,
    /// `SignedService` (`sks`), `b`.
    pub signed_service: String,
    /// `SignedVersion` (`skv`).
    pub signed_version: String,
    /// `SignedDelegatedUserTid` (`skdutid`, 2025-07-05+), when the key was requested for a
    /// delegated user's tenant.
    pub signed_delegated_user_tid: Option<String>,
    /// `Value`: the base64 key.
    pub value: Secret,
}

#[cfg(feature = "json")]
crate::schema::json_struct!(UserDelegationKey {
    required {
        signed_oid: "signedOid", signed_tid: "signedTid", signed_start: "signedStart",
        signed_expiry: "signedExpiry", signed_service: "signedService",
        signed_version: "signedVersion", value: "value",
    }
    optional { signed_delegated_user_tid: "signedDelegatedUserTid" }
});

impl UserDelegationKey {
    /// Checks the key: fields present and free of control characters, `value` base64, and times
    /// Azure could have issued: the expiry after the start, at most 14 days after it (start and
    /// expiry each within 7 days of the unknown time of the request; a back-dated start is
    /// ordinary). Whether the key is in force at a given instant is the caller's question.
    ///
    /// # Errors
    /// [`Error::InvalidCredentials`] with the reason (never the key value).
    pub fn validate(&self) -> Result<()> {
        for (name, v) in [
            ("signedOid", self.signed_oid.as_str()),
            ("signedTid", self.signed_tid.as_str()),
            ("signedService", self.signed_service.as_str()),
            ("signedVersion", self.signed_version.as_str()),
        ] {
            if v.is_empty() || v.chars().any(char::is_control) {
                return Err(Error::InvalidCredentials(msg!(
                    "userDelegationKey.{name} is empty or has a control character"
                )));
            }
        }
        if self
            .signed_delegated_user_tid
            .as_deref()
            .is_some_and(|v| v.is_empty() || v.chars().any(char::is_control))
        {
            return Err(Error::InvalidCredentials(msg!(
                "userDelegationKey.signedDelegatedUserTid is empty or has a control character"
            )));
        }
        check_key_times(self.signed_start, self.signed_expiry, None)
            .map_err(|why| Error::InvalidCredentials(msg_at!("userDelegationKey", "{why}")))?;
        if crate::encoding::base64_decode(self.value.expose()).is_none_or(|k| k.is_empty()) {
            return Err(Error::InvalidCredentials(msg!(
                "userDelegationKey.value is not base64"
            )));
        }
        Ok(())
    }

    /// Parses the body of a `Get User Delegation Key` response and validates the key.
    ///
    /// A `<Error><Code>…</Code><Message>…</Message></Error>` body (what the service returns
    /// with a 4xx/5xx status) becomes an error carrying that code and message.
    ///
    /// # Errors
    /// [`Error::InvalidCredentials`] for an error body, malformed XML, a missing, repeated or
    /// invalid element, or a key that fails [`UserDelegationKey::validate`].
    pub fn from_xml(xml: &str) -> Result<Self> {
        let bad =
            |why: &str| Error::InvalidCredentials(msg!("Get User Delegation Key response: {why}"));
        let doc = Xml::parse(xml).map_err(|e| bad(&e))?;
        let root = doc.root.as_str();
        let get = |name: &str| -> Result<Option<String>> {
            doc.one(name)
                .map(|v| v.map(str::to_owned))
                .map_err(|e| bad(&e))
        };
        if root == "Error" {
            let code = get("Code")?.unwrap_or_default();
            let message = get("Message")?.unwrap_or_default();
            let message = message.lines().next().unwrap_or("");
            return Err(bad(&format!(
                "the service answered with error {}: {message}",
                quoted(&code)
            )));
        }
        if root != "UserDelegationKey" {
            return Err(bad(&format!(
                "the root element is <{root}>, expected <UserDelegationKey>"
            )));
        }
        let req = |name: &str| -> Result<String> {
            get(name)?.ok_or_else(|| bad(&format!("<{name}> is missing")))
        };
        let time = |name: &str| -> Result<Timestamp> {
            Timestamp::parse_rfc3339(&req(name)?)
                .map_err(|_| bad(&format!("<{name}> is not an ISO 8601 date-time")))
        };
        let key = UserDelegationKey {
            signed_oid: req("SignedOid")?,
            signed_tid: req("SignedTid")?,
            signed_start: time("SignedStart")?,
            signed_expiry: time("SignedExpiry")?,
            signed_service: req("SignedService")?,
            signed_version: req("SignedVersion")?,
            signed_delegated_user_tid: get("SignedDelegatedUserTid")?.filter(|s| !s.is_empty()),
            value: Secret::new(req("Value")?),
        };
        key.validate()?;
        Ok(key)
    }
}

impl UserDelegationKey {
    /// Reads a `Get User Delegation Key` answer as the HTTP client received it: a 2xx status
    /// with the key ([`UserDelegationKey::from_xml`]), or the service's error.
    ///
    /// # Errors
    /// [`Error::Service`] for any other status, with the `<Error>` document's code and message
    /// when the body has them; otherwise as [`UserDelegationKey::from_xml`].
    pub fn from_response(status: u16, body: &str) -> Result<Self> {
        if (200..300).contains(&status) {
            return Self::from_xml(body);
        }
        let doc = Xml::parse(body).ok().filter(|d| d.root == "Error");
        let field = |name: &str| {
            doc.as_ref()
                .and_then(|d| d.one(name).ok().flatten())
                .unwrap_or("")
                .to_owned()
        };
        Err(service_error(
            "Get User Delegation Key",
            status,
            &field("Code"),
            &field("Message"),
        ))
    }
}

/// Options of a `Get User Delegation Key` request.
#[derive(Clone, Debug)]
pub struct KeyRequest {
    /// The storage account; may be empty when `endpoint` is the account's URL.
    pub account: String,
    /// The account's blob endpoint URL, as the SDKs' `accountUrl` (the JS helper's
    /// `accountUrl` is this): `https://acct.blob.core.windows.net`, Azurite's
    /// `http://127.0.0.1:10000/devstoreaccount1`, or an IP / localhost endpoint without the
    /// account path when `account` is given (see [`crate::azure`]). Default
    /// `https://{account}.blob.core.windows.net`.
    pub endpoint: Option<String>,
    /// When the key becomes valid: at most 7 days before the request is sent (clients
    /// back-date it to absorb clock skew).
    pub start: Timestamp,
    /// When the key expires: after `start` and after the request, at most 7 days after the
    /// request is sent.
    pub expiry: Timestamp,
    /// `x-ms-version` (default [`super::DEFAULT_VERSION`]); it becomes the key's `SignedVersion`.
    pub version: Option<String>,
    /// `DelegatedUserTid` (2025-07-05+): bind the key to a delegated user's tenant.
    pub delegated_user_tid: Option<String>,
}

#[cfg(feature = "json")]
crate::schema::json_struct!(KeyRequest {
    required { start: "start", expiry: "expiry" }
    optional {
        account: "account", endpoint: "endpoint", version: "version",
        delegated_user_tid: "delegatedUserTid",
    }
});

impl KeyRequest {
    /// A request for a key valid from `start` to `expiry` on `account`'s default endpoint.
    pub fn new(account: impl Into<String>, start: Timestamp, expiry: Timestamp) -> Self {
        KeyRequest {
            account: account.into(),
            endpoint: None,
            start,
            expiry,
            version: None,
            delegated_user_tid: None,
        }
    }

    /// Builds the request to send at `now` (`x-ms-date`), without `Authorization`: the caller
    /// adds `Authorization: Bearer <token>` (an Entra ID token for Azure Storage, see
    /// [`super::token`]).
    ///
    /// # Errors
    /// [`Error::InvalidExpiry`] when `expiry` is not after `start` or after `now`, or more than
    /// 7 days after `now`, or `start` is more than 7 days before `now`; [`Error::Unsupported`] for an unknown version or a delegated
    /// user tenant before 2025-07-05; [`Error::InvalidEndpoint`] / [`Error::InvalidRequest`] for
    /// a bad endpoint or account.
    pub fn build(&self, now: Timestamp) -> Result<HttpRequest> {
        let account = match (self.account.as_str(), &self.endpoint) {
            ("", Some(_)) => None,
            (a, _) => {
                super::validate_account(a)?;
                Some(a)
            }
        };
        let version = match &self.version {
            Some(v) => SignedVersion::parse(v)?,
            None => SignedVersion::default_version(),
        };
        if version.as_str() < "2020-12-06" {
            return Err(Error::Unsupported(msg!(
                "user-delegation keys need version 2020-12-06 or later here"
            )));
        }
        check_key_times(self.start, self.expiry, Some(now))
            .map_err(|why| Error::InvalidExpiry(why.into()))?;
        if self.expiry <= now {
            return Err(Error::InvalidExpiry(msg!(
                "the key's expiry is not after now"
            )));
        }
        let base = endpoint::resolve(account, self.endpoint.as_deref(), "https", DEFAULT_SUFFIX)?;
        let mut body = String::with_capacity(160);
        body.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<KeyInfo><Start>");
        body.push_str(&self.start.rfc3339());
        body.push_str("</Start><Expiry>");
        body.push_str(&self.expiry.rfc3339());
        body.push_str("</Expiry>");
        if let Some(tid) = &self.delegated_user_tid {
            if version.as_str() < "2025-07-05" {
                return Err(Error::Unsupported(msg!(
                    "DelegatedUserTid needs version 2025-07-05 or later"
                )));
            }
            if tid.is_empty() || !tid.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
                return Err(Error::InvalidRequest(msg!(
                    "delegatedUserTid must be a tenant id (letters, digits and '-')"
                )));
            }
            body.push_str("<DelegatedUserTid>");
            body.push_str(tid);
            body.push_str("</DelegatedUserTid>");
        }
        body.push_str("</KeyInfo>");
        let url = format!(
            "{}://{}{}/?restype=service&comp=userdelegationkey",
            base.scheme, base.authority, base.path
        );
        let headers = Params(vec![
            ("content-type".into(), "application/xml".into()),
            ("x-ms-date".into(), now.http_date()),
            ("x-ms-version".into(), version.as_str().into()),
        ]);
        Ok(HttpRequest {
            url,
            method: Method::Post,
            headers,
            body,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::azure::DEFAULT_VERSION;

    fn t(s: &str) -> Timestamp {
        Timestamp::parse_rfc3339(s).unwrap()
    }

    const RESPONSE: &str =
        "\u{feff}<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n<UserDelegationKey>\
        <SignedOid>23657296-5cd5-45b0-a809-d972a7f4dfe1</SignedOid>\
        <SignedTid>ab1f708d-50f6-404c-a006-d71b2ac7a606</SignedTid>\
        <SignedStart>2026-11-24T10:00:00Z</SignedStart>\
        <SignedExpiry>2026-11-25T10:00:00.1234567Z</SignedExpiry>\
        <SignedService>b</SignedService>\
        <SignedVersion>2025-07-05</SignedVersion>\
        <Value>SECRETKEY/Nc+Yg8OdqfsaNnS4=</Value></UserDelegationKey>";

    #[test]
    fn parses_the_documented_response() {
        let k = UserDelegationKey::from_xml(RESPONSE).unwrap();
        assert_eq!(k.signed_oid, "23657296-5cd5-45b0-a809-d972a7f4dfe1");
        assert_eq!(k.signed_tid, "ab1f708d-50f6-404c-a006-d71b2ac7a606");
        assert_eq!(k.signed_start, t("2026-11-24T10:00:00Z"));
        assert_eq!(k.signed_expiry, t("2026-11-25T10:00:00Z"));
        assert_eq!(k.signed_service, "b");
        assert_eq!(k.signed_version, "2025-07-05");
        assert_eq!(k.signed_delegated_user_tid, None);
        assert_eq!(k.value.expose(), "SECRETKEY/Nc+Yg8OdqfsaNnS4=");
        assert!(!format!("{k:?}").contains("SECRETKEY"));
    }

    #[test]
    fn tolerates_whitespace_comments_entities_unknown_elements() {
        let xml = "<UserDelegationKey>\n  <!-- c -->\n  <SignedOid>o&amp;&#x41;&#66;</SignedOid>\n\
            <SignedTid><![CDATA[t<1>]]></SignedTid><Future a=\"1\"><X>y</X></Future><Empty/>\n\
            <SignedStart>2026-11-24T10:00:00Z</SignedStart><SignedExpiry>2026-11-24T11:00:00Z</SignedExpiry>\
            <SignedService>b</SignedService><SignedVersion>2026-10-06</SignedVersion>\
            <SignedDelegatedUserTid>dtid</SignedDelegatedUserTid><Value>a2V5</Value>\n</UserDelegationKey>\n";
        let k = UserDelegationKey::from_xml(xml).unwrap();
        assert_eq!(k.signed_oid, "o&AB");
        assert_eq!(k.signed_tid, "t<1>");
        assert_eq!(k.signed_delegated_user_tid.as_deref(), Some("dtid"));
    }

    #[test]
    fn error_bodies_and_malformed_xml_are_errors_without_the_key() {
        let e = UserDelegationKey::from_xml(
            "<?xml version=\"1.0\"?><Error><Code>AuthenticationFailed</Code><Message>Server failed to authenticate.\nRequestId:1</Message></Error>",
        )
        .unwrap_err();
        assert_eq!(e.code(), "INVALID_CREDENTIALS");
        assert!(e.message().contains("AuthenticationFailed"), "{e}");
        let lifetime = RESPONSE.replace("2026-11-25T10:00:00.1234567Z", "2026-12-24T10:00:00Z");
        let dup = RESPONSE.replace(
            "<SignedService>b</SignedService>",
            "<SignedService>b</SignedService><SignedService>b</SignedService>",
        );
        for xml in [
            "",
            "<UserDelegationKey>",
            "<UserDelegationKey><SignedOid>x</SignedTid></UserDelegationKey>",
            "<Other/>",
            "<UserDelegationKey/>",
            &RESPONSE.replace("<SignedVersion>2025-07-05</SignedVersion>", ""),
            &RESPONSE.replace("2026-11-24T10:00:00Z", "yesterday"),
            &RESPONSE.replace("SECRETKEY/Nc+Yg8OdqfsaNnS4=", "SECRETKEY!!"),
            &lifetime,
            &dup,
            &format!("{RESPONSE}<junk/>"),
            &RESPONSE.replace("<SignedOid>", "<SignedOid>&bogus;"),
        ] {
            let e = UserDelegationKey::from_xml(xml).unwrap_err();
            assert_eq!(e.code(), "INVALID_CREDENTIALS", "{xml}");
            assert!(!e.message().contains("SECRETKEY"), "{e}");
        }
    }

    /// Azure Storage's error document, as
    /// <https://learn.microsoft.com/rest/api/storageservices/status-and-error-codes2> lays it out
    /// (with the `AuthenticationErrorDetail` of a bad bearer token), and garbage: `from_response`
    /// gives `SERVICE_ERROR` with the service's code for a non-2xx status, never a panic.
    #[test]
    fn from_response_reads_the_documented_error_document_and_survives_garbage() {
        let doc = "\u{feff}<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>AuthenticationFailed</Code>\
            <Message>Server failed to authenticate the request. Make sure the value of Authorization header is formed correctly including the signature.\nRequestId:0000\nTime:2026-11-24T10:00:00.0000000Z</Message>\
            <AuthenticationErrorDetail>Lifetime validation failed. The token is expired.</AuthenticationErrorDetail></Error>";
        let e = UserDelegationKey::from_response(403, doc).unwrap_err();
        assert_eq!(e.code(), "SERVICE_ERROR");
        assert!(
            e.message().contains("403")
                && e.message().contains("AuthenticationFailed")
                && !e.message().contains("RequestId"),
            "{e}"
        );
        for (status, body) in [
            (500, ""),
            (503, "<html>busy</html>"),
            (403, "<Error><Code>x"),
            (200, ""),
            (200, "{\"not\":\"xml\"}"),
            (200, &RESPONSE[..RESPONSE.len() / 2]),
        ] {
            let e = UserDelegationKey::from_response(status, body).unwrap_err();
            assert!(
                matches!(e.code(), "SERVICE_ERROR" | "INVALID_CREDENTIALS"),
                "{e}"
            );
            assert!(!e.message().contains("SECRETKEY"), "{e}");
        }
        for cut in 0..RESPONSE.len() {
            if let Some(part) = RESPONSE.get(..cut) {
                let _ = UserDelegationKey::from_response(200, part);
            }
        }
    }

    /// The JS helper's `accountUrl` is `endpoint` alone: an account URL needs no `account`.
    #[test]
    fn an_account_url_needs_no_account() {
        let now = t("2026-11-24T10:00:00Z");
        let mut r = KeyRequest::new("", now, t("2026-11-24T11:00:00Z"));
        for (url, want) in [
            (
                "https://acct.blob.core.windows.net",
                "https://acct.blob.core.windows.net/?",
            ),
            (
                "http://127.0.0.1:10000/devstoreaccount1",
                "http://127.0.0.1:10000/devstoreaccount1/?",
            ),
        ] {
            r.endpoint = Some(url.into());
            assert!(r.build(now).unwrap().url.starts_with(want), "{url}");
        }
        // An IP endpoint without the account path still needs `account`, and no endpoint at all too.
        r.endpoint = Some("http://127.0.0.1:10000".into());
        assert_eq!(r.build(now).unwrap_err().code(), "INVALID_ENDPOINT");
        r.endpoint = None;
        assert_eq!(r.build(now).unwrap_err().code(), "INVALID_REQUEST");
    }

    #[test]
    fn builds_the_get_user_delegation_key_request() {
        let now = t("2026-11-24T10:00:00Z");
        let r = KeyRequest::new("myaccount", now, t("2026-11-25T10:00:00Z"))
            .build(now)
            .unwrap();
        assert_eq!(
            r.url,
            "https://myaccount.blob.core.windows.net/?restype=service&comp=userdelegationkey"
        );
        assert_eq!(r.method, Method::Post);
        assert_eq!(
            r.body,
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<KeyInfo><Start>2026-11-24T10:00:00Z</Start><Expiry>2026-11-25T10:00:00Z</Expiry></KeyInfo>"
        );
        assert_eq!(
            r.headers.0,
            [
                ("content-type".to_string(), "application/xml".to_string()),
                (
                    "x-ms-date".to_string(),
                    "Tue, 24 Nov 2026 10:00:00 GMT".to_string()
                ),
                ("x-ms-version".to_string(), DEFAULT_VERSION.to_string()),
            ]
        );
        let mut azurite = KeyRequest::new("devstoreaccount1", now, t("2026-11-24T11:00:00Z"));
        azurite.endpoint = Some("https://127.0.0.1:10000".into());
        azurite.delegated_user_tid = Some("ab1f708d-50f6-404c-a006-d71b2ac7a606".into());
        let r = azurite.build(now).unwrap();
        assert_eq!(
            r.url,
            "https://127.0.0.1:10000/devstoreaccount1/?restype=service&comp=userdelegationkey"
        );
        assert!(r
            .body
            .contains("<DelegatedUserTid>ab1f708d-50f6-404c-a006-d71b2ac7a606</DelegatedUserTid>"));
    }

    /// Issue 16: clients back-date a key's start (an hour, or days) to absorb clock skew and ask
    /// for an expiry up to 7 days after the request, so a key Azure issues can live more than 7
    /// days. Azure's rule is relative to the time of the request: start and expiry each within
    /// 7 days of it — at most 14 days from start to expiry.
    #[test]
    fn back_dated_keys_are_keys_azure_issues() {
        let now = t("2026-11-24T10:00:00Z");
        let key = |start: Timestamp, expiry: Timestamp| UserDelegationKey {
            signed_start: start,
            signed_expiry: expiry,
            ..UserDelegationKey::from_xml(RESPONSE).unwrap()
        };
        let day = 86_400;
        let after = |s: i64| now.add_secs(s).unwrap();
        for (back, ahead) in [
            (3600, 7 * day),
            (5 * 60, 7 * day),
            (2 * day, 7 * day),
            (7 * day, 7 * day),
            (7 * day, 60),
        ] {
            let (start, expiry) = (after(-back), after(ahead));
            assert!(key(start, expiry).validate().is_ok(), "{start} {expiry}");
            assert!(
                KeyRequest::new("acc", start, expiry).build(now).is_ok(),
                "{start} {expiry}"
            );
        }
        // No request time has both ends within 7 days: 14 days and 1 s.
        let e = key(after(-7 * day - 1), after(7 * day))
            .validate()
            .unwrap_err();
        assert_eq!(e.code(), "INVALID_CREDENTIALS");
        assert!(e.message().contains("14 days"), "{e}");
        // At the request: a start more than 7 days back, an expiry more than 7 days ahead.
        for (start, expiry) in [
            (after(-7 * day - 1), after(3600)),
            (after(-3600), after(7 * day + 1)),
        ] {
            let e = KeyRequest::new("acc", start, expiry)
                .build(now)
                .unwrap_err();
            assert_eq!(e.code(), "INVALID_EXPIRY", "{start} {expiry}");
            assert!(e.message().contains("7 days"), "{e}");
        }
    }

    #[test]
    fn key_requests_beyond_seven_days_of_the_request_are_refused() {
        let now = t("2026-11-24T10:00:00Z");
        let ok = KeyRequest::new("acc", now, now.add_secs(MAX_KEY_OFFSET).unwrap());
        assert!(ok.build(now).is_ok());
        for (start, expiry) in [
            (now, now.add_secs(MAX_KEY_OFFSET + 1).unwrap()),
            (now.add_secs(-10).unwrap(), now.add_secs(-5).unwrap()),
            (now, now),
            (
                now.add_secs(-MAX_KEY_OFFSET - 1).unwrap(),
                now.add_secs(10).unwrap(),
            ),
        ] {
            let r = KeyRequest::new("acc", start, expiry);
            let e = r.build(now);
            // The last case starts 7 days + 1 s before the request.
            assert_eq!(e.unwrap_err().code(), "INVALID_EXPIRY", "{start} {expiry}");
        }
        let mut old = KeyRequest::new("acc", now, now.add_secs(60).unwrap());
        old.version = Some("2018-03-28".into());
        assert_eq!(old.build(now).unwrap_err().code(), "UNSUPPORTED");
        let mut early = KeyRequest::new("acc", now, now.add_secs(60).unwrap());
        early.version = Some("2021-06-08".into());
        early.delegated_user_tid = Some("t".into());
        assert_eq!(early.build(now).unwrap_err().code(), "UNSUPPORTED");
    }
}
