//! The browser builds of the URL entries (`presign`, `presign/s3`, `presign/azure`,
//! `presign/gcs`; feature `wasm-fields`): `pkg/api.js`'s reader of the provider's schema reads the
//! request object — the schema's members, types and paths, refusing what the schema reader
//! refuses with the same codes and member paths — and passes what it read as fields, so these
//! builds link no JSON reader. The request is then built and checked here by the same typed API
//! and signer as every other build, so the values' own checks (key, bucket, headers, lifetime,
//! endpoint, credentials) stay in one place.
//!
//! The fields: `len,len,…;` then the values one after another, each length in UTF-16 code units
//! (JS string lengths: the JS reader has refused lone surrogates, so each unit maps to UTF-8
//! exactly), an empty length for an absent value. An S3 request's, in order: method, bucket, key, keyPrefix,
//! credentials (`1` when present), accessKeyId, secretAccessKey, sessionToken,
//! credentials.expiresAt, expiresIn, signedAt, credentialExpiry, regionSet, limits (`1`),
//! limits.size, limits.maxSize, limits.contentType, limits.checksum.algorithm,
//! limits.checksum.value, region, endpoint, urlStyle, dualstack, accelerate, fips (`1` each when
//! true), store, accountId, then the number of headers and each name and value, then the same for
//! the query. Numbers are decimal digits, instants Unix milliseconds (JS has read their text with
//! [`super::instant_millis`]), enum members the schema's names.

#[cfg(feature = "s3")]
use crate::checksum::{Algorithm, Checksum};
use crate::error::{msg, Error, Result};
use crate::prelude::*;
#[cfg(feature = "s3")]
use crate::s3::{Credentials, S3Request, Store, UploadLimits, UrlStyle};
use crate::time::Timestamp;
#[cfg(any(feature = "s3", feature = "azure"))]
use crate::types::CredentialExpiry;
use crate::types::Method;

/// Decimal digits as a number (one reader for the fields' lengths, numbers and instants: one
/// integer parser in the wasm instead of one per type).
fn decimal<T: TryFrom<u64>>(s: &str) -> Result<T> {
    crate::encoding::parse_decimal(s).ok_or_else(malformed)
}

/// A reader of the fields (see the module docs).
struct Fields<'a> {
    lens: crate::text::SplitByte<'a>,
    rest: &'a str,
}

/// Fields that do not follow the format: only a fault of pkg/api.js, never of the request.
fn malformed() -> Error {
    Error::InvalidRequest(msg!("the request fields from pkg/api.js are malformed"))
}

impl<'a> Fields<'a> {
    fn new(text: &'a str) -> Result<Self> {
        // Byte searches: core's `char` searcher (with its memchr) would be in the wasm for this alone.
        let (lens, rest) = crate::text::split_once_byte(text, b';', false).ok_or_else(malformed)?;
        Ok(Fields {
            lens: crate::text::split_byte(lens, b','),
            rest,
        })
    }

    /// The next value, `None` when absent.
    fn next(&mut self) -> Result<Option<&'a str>> {
        let len = self.lens.next().ok_or_else(malformed)?;
        if len.is_empty() {
            return Ok(None);
        }
        let units: usize = decimal(len)?;
        let mut seen = 0;
        let mut end = None;
        for (i, c) in self.rest.char_indices() {
            if seen == units {
                end = Some(i);
                break;
            }
            seen += c.len_utf16();
        }
        let end = match end {
            Some(i) => i,
            None if seen == units => self.rest.len(),
            None => return Err(malformed()),
        };
        let (value, rest) = self.rest.split_at_checked(end).ok_or_else(malformed)?;
        self.rest = rest;
        Ok(Some(value))
    }

    fn string(&mut self) -> Result<Option<String>> {
        Ok(self.next()?.map(String::from))
    }

    /// [`Fields::string`] into a member: the old value is dropped here, not at every caller.
    #[inline(never)]
    fn string_to(&mut self, member: &mut Option<String>) -> Result<()> {
        *member = self.string()?;
        Ok(())
    }

    /// A value that must be present, into a member (as [`Fields::string_to`]).
    #[cfg(any(feature = "s3", feature = "gcs"))]
    #[inline(never)]
    fn required_to(&mut self, member: &mut String) -> Result<()> {
        *member = self.next()?.ok_or_else(malformed)?.into();
        Ok(())
    }

    // S3's flags (credentials, limits, the endpoint's switches); GCS has none.
    #[cfg(feature = "s3")]
    fn flag(&mut self) -> Result<bool> {
        Ok(self.next()?.is_some())
    }

    fn number(&mut self) -> Result<Option<u64>> {
        self.next()?.map(decimal).transpose()
    }

    /// An enum member by its schema name.
    fn name<T>(&mut self, from_name: fn(&str) -> Option<T>) -> Result<Option<T>> {
        self.next()?
            .map(|n| from_name(n).ok_or_else(malformed))
            .transpose()
    }

    /// An instant as Unix milliseconds (JS has checked it: numbers against the range, text with
    /// [`super::instant_millis`]).
    fn instant(&mut self) -> Result<Option<Timestamp>> {
        self.next()?
            .map(|ms| {
                let (sign, digits) = ms.strip_prefix('-').map_or((1, ms), |d| (-1, d));
                let ms: i64 = decimal(digits)?;
                Timestamp::from_unix_millis(sign * ms)
            })
            .transpose()
    }

    /// A letter set (JS has checked its letters, so `parse` cannot refuse them).
    #[cfg(feature = "azure")]
    fn letters<T>(&mut self, parse: fn(&str) -> Result<T>) -> Result<Option<T>> {
        self.next()?
            .map(|s| parse(s).map_err(|_| malformed()))
            .transpose()
    }

    /// `count` then that many name/value pairs.
    fn pairs(&mut self, into: &mut Vec<(String, String)>) -> Result<()> {
        let n = self.number()?.unwrap_or(0);
        for _ in 0..n {
            let name = self.next()?.ok_or_else(malformed)?;
            let value = self.next()?.ok_or_else(malformed)?;
            into.push((name.into(), value.into()));
        }
        Ok(())
    }
}

/// The method, when given.
fn method(f: &mut Fields<'_>) -> Result<Method> {
    f.next()?.map_or(Ok(Method::default()), str::parse)
}

/// The S3 request the fields describe.
#[cfg(feature = "s3")]
pub(super) fn s3_request(text: &str) -> Result<S3Request> {
    let mut f = Fields::new(text)?;
    let mut req = S3Request {
        method: method(&mut f)?,
        ..S3Request::default()
    };
    f.required_to(&mut req.bucket)?;
    f.required_to(&mut req.key)?;
    f.string_to(&mut req.key_prefix)?;
    let credentials = f.flag()?;
    let access_key_id = f.string()?;
    let secret = f.string()?;
    let session_token = f.string()?;
    let expires_at = f.instant()?;
    if credentials {
        req.credentials = Some(Credentials {
            access_key_id: access_key_id.ok_or_else(malformed)?,
            secret_access_key: secret.ok_or_else(malformed)?.into(),
            session_token: session_token.map(Into::into),
            expires_at,
        });
    }
    req.expires_in = f.number()?;
    req.signed_at = f.instant()?;
    if let Some(policy) = f.name(CredentialExpiry::from_schema_name)? {
        req.credential_expiry = policy;
    }
    f.string_to(&mut req.region_set)?;
    let limits = f.flag()?;
    let size = f.number()?;
    let max_size = f.number()?;
    let content_type = f.string()?;
    let algorithm = f.name(Algorithm::from_schema_name)?;
    let value = f.next()?;
    if limits {
        let checksum = match (algorithm, value) {
            (Some(a), Some(v)) => Some(Checksum::from_base64(a, v).map_err(|e| match e {
                Error::InvalidRequest(m) => {
                    Error::InvalidRequest(crate::error::prefix_path("limits.checksum", m))
                }
                other => other,
            })?),
            _ => None,
        };
        req.limits = Some(UploadLimits {
            size,
            max_size,
            content_type,
            checksum,
        });
    }
    let e = &mut req.endpoint;
    f.string_to(&mut e.region)?;
    f.string_to(&mut e.url)?;
    e.url_style = f.name(UrlStyle::from_schema_name)?;
    e.dualstack = f.flag()?;
    e.accelerate = f.flag()?;
    e.fips = f.flag()?;
    if let Some(store) = f.name(Store::from_schema_name)? {
        e.store = store;
    }
    f.string_to(&mut e.account_id)?;
    f.pairs(&mut req.headers.0)?;
    f.pairs(&mut req.query.0)?;
    Ok(req)
}

/// The GCS request the fields describe: method, bucket, object, the credentials' kind (`h`
/// hmac, `s` serviceAccount) and their members (accessId, secret; or client_email, type,
/// private_key, universe_domain), expiresIn, signedAt, urlStyle, bucketBoundHostname, scheme,
/// endpoint, universeDomain, then the headers and the query as for S3.
#[cfg(feature = "gcs")]
pub(super) fn gcs_request(text: &str) -> Result<crate::gcs::GcsRequest> {
    use crate::gcs::{
        Credentials, GcsRequest, HmacCredentials, ServiceAccountKey, UrlScheme, UrlStyle,
    };
    let mut f = Fields::new(text)?;
    let mut req = GcsRequest {
        method: method(&mut f)?,
        ..GcsRequest::default()
    };
    f.required_to(&mut req.bucket)?;
    f.string_to(&mut req.object)?;
    let kind = f.next()?;
    let (a, b, c, d) = (f.string()?, f.string()?, f.string()?, f.string()?);
    req.credentials = match kind {
        Some("h") => Some(Credentials::Hmac(HmacCredentials {
            access_id: a.ok_or_else(malformed)?,
            secret: b.ok_or_else(malformed)?.into(),
        })),
        Some("s") => Some(Credentials::ServiceAccount(ServiceAccountKey {
            client_email: a.ok_or_else(malformed)?,
            key_type: b,
            private_key: c.map(Into::into),
            universe_domain: d,
        })),
        Some(_) => return Err(malformed()),
        None => None,
    };
    req.expires_in = f.number()?;
    req.signed_at = f.instant()?;
    let e = &mut req.endpoint;
    e.url_style = f.name(UrlStyle::from_schema_name)?;
    f.string_to(&mut e.bucket_bound_hostname)?;
    e.scheme = f.name(UrlScheme::from_schema_name)?;
    f.string_to(&mut e.url)?;
    f.string_to(&mut e.universe_domain)?;
    f.pairs(&mut req.headers.0)?;
    f.pairs(&mut req.query.0)?;
    Ok(req)
}

/// The Azure request the fields describe: method, sas, account, container, blob, resource,
/// endpoint; the credentials' kind (`a` accountKey, `c` connectionString, `u` userDelegationKey)
/// and value (the key, the string, the user-delegation key's `value`), then the user-delegation
/// key's signedOid, signedTid, signedStart, signedExpiry, signedService, signedVersion,
/// signedDelegatedUserTid; permissions, startsOn, expiresOn, expiresIn, ipRange, protocol,
/// identifier, encryptionScope, snapshot, versionId, version, the five response headers
/// (cacheControl, contentDisposition, contentEncoding, contentLanguage, contentType), services,
/// resourceTypes, clockSkew, signedAt, preauthorizedAgentObjectId, agentObjectId, correlationId,
/// delegatedUserObjectId, credentialExpiry; then the query, requestHeaders and requestQuery as
/// S3's headers. Letter sets are their letters (JS has checked them against the set's letters).
#[cfg(feature = "azure")]
pub(super) fn azure_request(text: &str) -> Result<crate::azure::AzureRequest> {
    use crate::azure::{
        AzureRequest, Credentials, Permissions, Protocol, Resource, ResourceTypes, SasKind,
        Services, UserDelegationKey,
    };
    let mut f = Fields::new(text)?;
    let mut req = AzureRequest {
        method: method(&mut f)?,
        ..AzureRequest::default()
    };
    req.sas = f.name(SasKind::from_schema_name)?;
    f.string_to(&mut req.account)?;
    f.string_to(&mut req.container)?;
    f.string_to(&mut req.blob)?;
    req.resource = f.name(Resource::from_schema_name)?;
    f.string_to(&mut req.endpoint)?;
    let kind = f.next()?;
    let value = f.string()?;
    let (oid, tid) = (f.string()?, f.string()?);
    let (start, expiry) = (f.instant()?, f.instant()?);
    let (service, version, user_tid) = (f.string()?, f.string()?, f.string()?);
    req.credentials = match kind {
        None => None,
        Some(kind) => {
            let value = value.ok_or_else(malformed)?.into();
            Some(match kind {
                "a" => Credentials::AccountKey(value),
                "c" => Credentials::ConnectionString(value),
                "u" => Credentials::UserDelegationKey(UserDelegationKey {
                    signed_oid: oid.ok_or_else(malformed)?,
                    signed_tid: tid.ok_or_else(malformed)?,
                    signed_start: start.ok_or_else(malformed)?,
                    signed_expiry: expiry.ok_or_else(malformed)?,
                    signed_service: service.ok_or_else(malformed)?,
                    signed_version: version.ok_or_else(malformed)?,
                    signed_delegated_user_tid: user_tid,
                    value,
                }),
                _ => return Err(malformed()),
            })
        }
    };
    req.permissions = f.letters(Permissions::parse)?;
    req.starts_on = f.instant()?;
    req.expires_on = f.instant()?;
    req.expires_in = f.number()?;
    f.string_to(&mut req.ip_range)?;
    req.protocol = f.name(Protocol::from_schema_name)?;
    f.string_to(&mut req.identifier)?;
    f.string_to(&mut req.encryption_scope)?;
    f.string_to(&mut req.snapshot)?;
    f.string_to(&mut req.version_id)?;
    f.string_to(&mut req.version)?;
    let h = &mut req.response_headers;
    f.string_to(&mut h.cache_control)?;
    f.string_to(&mut h.content_disposition)?;
    f.string_to(&mut h.content_encoding)?;
    f.string_to(&mut h.content_language)?;
    f.string_to(&mut h.content_type)?;
    req.services = f.letters(Services::parse)?;
    req.resource_types = f.letters(ResourceTypes::parse)?;
    req.clock_skew = f.number()?;
    req.signed_at = f.instant()?;
    f.string_to(&mut req.preauthorized_agent_object_id)?;
    f.string_to(&mut req.agent_object_id)?;
    f.string_to(&mut req.correlation_id)?;
    f.string_to(&mut req.delegated_user_object_id)?;
    if let Some(policy) = f.name(CredentialExpiry::from_schema_name)? {
        req.credential_expiry = policy;
    }
    f.pairs(&mut req.query.0)?;
    f.pairs(&mut req.request_headers.0)?;
    f.pairs(&mut req.request_query.0)?;
    Ok(req)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fields of `values` (`None`: absent), each length in UTF-16 units.
    fn encode(values: &[Option<&str>]) -> String {
        let lens: Vec<String> = values
            .iter()
            .map(|v| v.map_or(String::new(), |v| v.encode_utf16().count().to_string()))
            .collect();
        let text: String = values.iter().flatten().copied().collect();
        format!("{};{text}", lens.join(","))
    }

    #[test]
    #[cfg(feature = "s3")]
    fn lengths_count_utf16_units_and_an_empty_length_is_absent() {
        // "ä😀b" is 4 UTF-16 units (the emoji is a pair) and 7 UTF-8 bytes; keyPrefix is given
        // empty, region absent; one header, no query.
        let mut v: Vec<Option<&str>> = vec![None; 27]; // method … accountId
        v[0] = Some("put");
        v[1] = Some("b");
        v[2] = Some("ä😀b");
        v[3] = Some(""); // keyPrefix
        v[9] = Some("60"); // expiresIn
        v.extend([Some("1"), Some("content-type"), Some("x"), Some("0")]);
        let r = s3_request(&encode(&v)).unwrap();
        assert_eq!(r.method, Method::Put);
        assert_eq!((r.bucket.as_str(), r.key.as_str()), ("b", "ä😀b"));
        assert_eq!(r.key_prefix.as_deref(), Some(""));
        assert_eq!(r.endpoint.region, None);
        assert_eq!(r.expires_in, Some(60));
        assert!(r.credentials.is_none() && r.limits.is_none());
        assert_eq!(r.headers.0, [("content-type".to_string(), "x".to_string())]);
        assert!(r.query.0.is_empty());
    }

    #[test]
    fn any_values_read_back_by_their_utf16_lengths() {
        // Lengths from std's UTF-16 encoder, read back on the UTF-8 text. Any text, including
        // four-byte characters (two units each) next to each other.
        use proptest::prelude::*;
        proptest!(ProptestConfig::with_cases(5_000), |(vals in proptest::collection::vec(proptest::option::of("\\PC{0,6}|[a😀é日]{0,6}"), 0..5))| {
            let refs: Vec<Option<&str>> = vals.iter().map(Option::as_deref).collect();
            let text = encode(&refs);
            let mut f = Fields::new(&text).unwrap();
            for v in &refs {
                prop_assert_eq!(f.next().unwrap(), *v);
            }
            prop_assert!(f.rest.is_empty());
            // One unit too many for the last value: malformed, never a panic.
            if let Some(Some(last)) = refs.last() {
                let n = last.encode_utf16().count();
                let bad = text.replacen(&format!(",{n};"), &format!(",{};", n + 1), 1);
                if bad != text && refs.len() > 1 {
                    let mut f = Fields::new(&bad).unwrap();
                    let got: Result<Vec<_>> = refs.iter().map(|_| f.next()).collect();
                    prop_assert!(got.is_err());
                }
            }
        });
    }

    #[test]
    #[cfg(all(feature = "s3", feature = "gcs"))]
    fn a_gcs_request_reads_its_credentials_kind() {
        let mut v: Vec<Option<&str>> = vec![None; 15]; // method … universeDomain
        v[1] = Some("b");
        v[2] = Some("o");
        v[3] = Some("h");
        v[4] = Some("GOOG1EXAMPLE");
        v[5] = Some("secret");
        v[12] = Some("http"); // scheme
        v.extend([Some("0"), Some("1"), Some("generation"), Some("7")]);
        let r = gcs_request(&encode(&v)).unwrap();
        assert_eq!((r.bucket.as_str(), r.object.as_deref()), ("b", Some("o")));
        assert!(
            matches!(&r.credentials, Some(crate::gcs::Credentials::Hmac(h)) if h.access_id == "GOOG1EXAMPLE")
        );
        assert_eq!(r.endpoint.scheme, Some(crate::gcs::UrlScheme::Http));
        assert_eq!(r.query.0, [("generation".to_string(), "7".to_string())]);
        v[3] = Some("s");
        let r = gcs_request(&encode(&v)).unwrap();
        assert!(
            matches!(&r.credentials, Some(crate::gcs::Credentials::ServiceAccount(k)) if k.client_email == "GOOG1EXAMPLE" && k.key_type.as_deref() == Some("secret"))
        );
        v[3] = Some("x");
        assert!(gcs_request(&encode(&v)).is_err());
    }

    #[test]
    #[cfg(feature = "azure")]
    fn an_azure_request_reads_its_credentials_kind_and_letter_sets() {
        use crate::azure::{Credentials, Permissions, Protocol, ResourceTypes, SasKind};
        let mut v: Vec<Option<&str>> = vec![None; 41]; // method … credentialExpiry
        v[1] = Some("userDelegation");
        v[3] = Some("photos");
        v[7] = Some("u");
        v[8] = Some("a2V5"); // value
                             // signedOid, signedTid, signedStart, signedExpiry, signedService, signedVersion
        let key = ["x", "x", "1796464800000", "1796464800000", "x", "x"];
        v.splice(9..15, key.map(Some));
        v[16] = Some("wr"); // permissions
        v[21] = Some("https,http");
        v[33] = Some("oc"); // resourceTypes
        v[40] = Some("clamp");
        v.extend([
            Some("0"),
            Some("1"),
            Some("x-ms-blob-type"),
            Some("BlockBlob"),
            Some("0"),
        ]);
        let r = azure_request(&encode(&v)).unwrap();
        assert_eq!(r.sas, Some(SasKind::UserDelegation));
        assert_eq!(r.container.as_deref(), Some("photos"));
        assert!(
            matches!(&r.credentials, Some(Credentials::UserDelegationKey(k))
            if k.signed_start == Timestamp::from_unix(1_796_464_800).unwrap()
                && k.signed_delegated_user_tid.is_none() && k.signed_oid == "x")
        );
        assert_eq!(r.permissions, Some(Permissions::READ | Permissions::WRITE));
        assert_eq!(r.protocol, Some(Protocol::HttpsAndHttp));
        assert_eq!(
            r.resource_types,
            Some(ResourceTypes::CONTAINER | ResourceTypes::OBJECT)
        );
        assert_eq!(r.credential_expiry, CredentialExpiry::Clamp);
        assert!(r.query.0.is_empty() && r.request_query.0.is_empty());
        assert_eq!(
            r.request_headers.0,
            [("x-ms-blob-type".to_string(), "BlockBlob".to_string())]
        );
        // An account key is its value alone; a kind without a value, or an unknown kind, is
        // malformed.
        v[7] = Some("a");
        let r = azure_request(&encode(&v)).unwrap();
        assert!(matches!(r.credentials, Some(Credentials::AccountKey(_))));
        v[8] = None;
        assert!(azure_request(&encode(&v)).is_err());
        v[8] = Some("a2V5");
        v[7] = Some("z");
        assert!(azure_request(&encode(&v)).is_err());
        v[7] = Some("a");
        v[16] = Some("q"); // not a permission letter: JS refuses it first
        assert!(azure_request(&encode(&v)).is_err());
    }

    #[test]
    fn decimal_digits_only_within_the_type() {
        assert_eq!(decimal::<u64>("0").unwrap(), 0);
        assert_eq!(decimal::<u64>("007").unwrap(), 7);
        assert_eq!(decimal::<u64>("18446744073709551615").unwrap(), u64::MAX);
        for bad in [
            "",
            "18446744073709551616",
            "1a",
            "+1",
            "-1",
            " 1",
            "1.5",
            "١",
        ] {
            assert!(decimal::<u64>(bad).is_err(), "{bad:?}");
        }
        assert!(decimal::<i64>("9223372036854775808").is_err());
        assert_eq!(decimal::<usize>("12").unwrap(), 12);
    }

    #[test]
    #[cfg(feature = "s3")]
    fn instants_and_names_read_as_the_schema_reads_them() {
        let one = |v: &str| encode(&[Some(v)]);
        // 2026-12-05T10:00:00.999Z (python3: datetime(2026,12,5,10,tzinfo=utc).timestamp()).
        let text = one("1796464800999");
        let t = Fields::new(&text).unwrap().instant().unwrap();
        assert_eq!(t, Some(Timestamp::from_unix(1_796_464_800).unwrap()));
        let text = one("-62135596800000"); // 0001-01-01T00:00:00Z
        assert!(Fields::new(&text).unwrap().instant().unwrap().is_some());
        assert_eq!(
            super::super::instant_millis("2026-12-05T11:00:00.5+01:00"),
            1_796_464_800_000.0
        );
        assert!(super::super::instant_millis("not a date").is_nan());
        assert!(super::super::instant_millis("10000-01-01T00:00:00Z").is_nan());
        let text = one("gcs-xml");
        let store = Fields::new(&text).unwrap().name(Store::from_schema_name);
        assert_eq!(store.unwrap(), Some(Store::GcsXml));
        // Fields that do not follow the format are an error, never a panic.
        for bad in ["", "3;ab", "x;abc", "2,;ab", "1;\u{1F600}"] {
            assert!(s3_request(bad).is_err(), "{bad:?}");
        }
    }
}
