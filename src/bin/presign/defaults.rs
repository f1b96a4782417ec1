//! What a request leaves out, from the environment: credentials, and for S3 the region and the
//! endpoint. One rule for every request the CLI signs — a `batch` line, a `post --json-request`
//! line, or the request the command-line flags make.
//!
//! The defaults are merged into the request's JSON text, and the library's reader then reads the
//! merged text once. Nothing here knows a request type's fields: the JSON schema is the interface
//! (the reader keeps the *last* of duplicate members, which `schema::read`'s tests pin), so the
//! defaults are members appended to the object — after the request's own members, so the positions
//! the library's messages name stay the request's own — and only when the request leaves the
//! member out or sets it to `null`. The member texts are written once, with the crate's JSON
//! writer, when the environment is read.

use super::{env, is_json};
use presign::json::{push_str, Object, Reader};
use presign::Error;
use std::borrow::Cow;

/// The provider a request names (its first `provider` member, as the library reads it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Provider {
    S3,
    Azure,
    Gcs,
    /// Absent, not a string, or not one of the above: the library says which.
    Other,
}

/// What a request's text is, as far as the environment's defaults care.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// An object (only whitespace around it).
    Object,
    /// Well-formed JSON, but not an object (the library's reader says so).
    NotObject,
    /// Not JSON (the library's reader says where).
    Malformed,
}

/// A request with the environment's defaults filled in.
#[derive(Debug)]
pub struct Filled<'t> {
    /// The request's JSON text, with the defaults appended (or the text as given).
    pub text: Cow<'t, str>,
    pub shape: Shape,
    pub provider: Provider,
    /// Whether the request has credentials now (its own or the environment's).
    pub has_credentials: bool,
}

/// The top-level members of a request object that decide what the environment fills: for each,
/// whether the object's last such member is present and not `null` (dualstack, accelerate and
/// fips: whether it is `true`).
#[derive(Debug, Default)]
struct Members {
    provider: Option<Provider>,
    credentials: bool,
    region: bool,
    endpoint: bool,
    account: bool,
    /// A store profile other than aws/custom, or R2's `accountId`: the store's own endpoint and
    /// region rules apply, not the environment's AWS ones.
    store: bool,
    aws_variant: [bool; 3],
    count: usize,
    /// The byte offset of the object's closing `}`.
    close: usize,
}

fn provider_of(value: &str) -> Provider {
    let name: Cow<'_, str> = match value {
        // The usual spelling, without decoding.
        "\"s3\"" => return Provider::S3,
        "\"azure\"" => return Provider::Azure,
        "\"gcs\"" => return Provider::Gcs,
        v if v.starts_with('"') => match presign::json::from_str::<String>(v) {
            Ok(s) => Cow::Owned(s),
            Err(_) => return Provider::Other,
        },
        _ => return Provider::Other,
    };
    match &*name {
        "s3" => Provider::S3,
        "azure" => Provider::Azure,
        "gcs" => Provider::Gcs,
        _ => Provider::Other,
    }
}

/// Reads the top level of `text` (values are skipped, not decoded).
fn scan(text: &str) -> Result<Members, Shape> {
    let mut m = Members::default();
    let mut r = Reader::new(text);
    let read = r.object(|r, name| {
        let value = r.raw()?;
        let given = value != "null";
        m.count += 1;
        match name {
            // The library dispatches on the first `provider` (`Reader::peek_member`).
            "provider" if m.provider.is_none() => m.provider = Some(provider_of(value)),
            "credentials" => m.credentials = given,
            "region" => m.region = given,
            "endpoint" => m.endpoint = given,
            "account" => m.account = given,
            "store" => m.store |= given && value != "\"aws\"" && value != "\"custom\"",
            "accountId" => m.store |= given,
            "dualstack" => m.aws_variant[0] = value == "true",
            "accelerate" => m.aws_variant[1] = value == "true",
            "fips" => m.aws_variant[2] = value == "true",
            _ => {}
        }
        Ok(())
    });
    m.close = r.position().saturating_sub(1);
    if read.and_then(|()| r.finish()).is_ok() {
        return Ok(m);
    }
    Err(if is_json(text) && !text.trim_start().starts_with('{') {
        Shape::NotObject
    } else {
        Shape::Malformed
    })
}

/// `"name":value` (the value already JSON).
fn member(name: &str, value_json: &str) -> String {
    let mut out = String::with_capacity(name.len() + value_json.len() + 3);
    push_str(&mut out, name);
    out.push(':');
    out.push_str(value_json);
    out
}

fn string_member(name: &str, value: &str) -> String {
    let mut v = String::with_capacity(value.len() + 2);
    push_str(&mut v, value);
    member(name, &v)
}

/// The environment's defaults, read once: every request that leaves a member out takes it from
/// here. Each is a ready `"name":value` member.
pub struct EnvDefaults {
    aws_credentials: Option<String>,
    aws_region: Option<String>,
    aws_endpoint: Option<String>,
    azure_credentials: Option<String>,
    azure_account: Option<String>,
    /// A key file that cannot be read fails only the GCS requests that need it.
    gcs_credentials: Result<Option<String>, String>,
}

impl EnvDefaults {
    /// Reads the variables (and the GCS key file they name).
    pub fn read() -> Self {
        let aws_credentials = match (env("AWS_ACCESS_KEY_ID"), env("AWS_SECRET_ACCESS_KEY")) {
            (Some(id), Some(secret)) => {
                let mut c = String::new();
                let mut o = Object::new(&mut c)
                    .str("accessKeyId", &id)
                    .str("secretAccessKey", &secret);
                if let Some(t) = env("AWS_SESSION_TOKEN") {
                    o = o.str("sessionToken", &t);
                }
                if let Some(exp) = env("AWS_CREDENTIAL_EXPIRATION") {
                    o = o.str("expiresAt", &exp);
                }
                o.end();
                Some(member("credentials", &c))
            }
            _ => None,
        };
        let connection_string = env("AZURE_STORAGE_CONNECTION_STRING");
        let azure_credentials = match (&connection_string, env("AZURE_STORAGE_KEY")) {
            (Some(cs), _) => Some(("connectionString", cs.clone())),
            (None, Some(k)) => Some(("accountKey", k)),
            (None, None) => None,
        }
        .map(|(name, value)| {
            let mut c = String::new();
            Object::new(&mut c).str(name, &value).end();
            member("credentials", &c)
        });
        let gcs_credentials = match (env("GCS_HMAC_ACCESS_ID"), env("GCS_HMAC_SECRET")) {
            (Some(id), Some(secret)) => {
                let mut hmac = String::new();
                Object::new(&mut hmac)
                    .str("accessId", &id)
                    .str("secret", &secret)
                    .end();
                let mut c = String::new();
                Object::new(&mut c).raw("hmac", &hmac).end();
                Ok(Some(member("credentials", &c)))
            }
            _ => match env("GOOGLE_APPLICATION_CREDENTIALS") {
                Some(path) => gcs_key_file(&path).map(Some),
                None => Ok(None),
            },
        };
        EnvDefaults {
            aws_credentials,
            aws_region: env("AWS_REGION")
                .or_else(|| env("AWS_DEFAULT_REGION"))
                .map(|r| string_member("region", &r)),
            aws_endpoint: env("AWS_ENDPOINT_URL_S3")
                .or_else(|| env("AWS_ENDPOINT_URL"))
                .map(|e| string_member("endpoint", &e)),
            azure_credentials,
            // The connection string names the account.
            azure_account: env("AZURE_STORAGE_ACCOUNT")
                .filter(|_| connection_string.is_none())
                .map(|a| string_member("account", &a)),
            gcs_credentials,
        }
    }

    /// `text` (a request) with what it leaves out filled from the environment.
    ///
    /// # Errors
    /// A GCS request without credentials when `GOOGLE_APPLICATION_CREDENTIALS` names a file that
    /// cannot be read or is not JSON.
    pub fn fill<'t>(&self, text: &'t str) -> Result<Filled<'t>, Error> {
        let m = match scan(text) {
            Ok(m) => m,
            Err(shape) => {
                return Ok(Filled {
                    text: Cow::Borrowed(text),
                    shape,
                    provider: Provider::Other,
                    has_credentials: false,
                })
            }
        };
        let provider = m.provider.unwrap_or(Provider::Other);
        let mut add: [Option<&str>; 3] = [None; 3];
        let mut has_credentials = m.credentials;
        match provider {
            Provider::S3 => {
                if !m.credentials {
                    add[0] = self.aws_credentials.as_deref();
                }
                if !m.region && !m.store {
                    add[1] = self.aws_region.as_deref();
                }
                // dualstack, accelerate and fips select AWS endpoints.
                if !m.endpoint && !m.aws_variant.contains(&true) && !m.store {
                    add[2] = self.aws_endpoint.as_deref();
                }
            }
            Provider::Azure => {
                if !m.credentials {
                    add[0] = self.azure_credentials.as_deref();
                }
                if !m.account {
                    add[1] = self.azure_account.as_deref();
                }
            }
            Provider::Gcs if !m.credentials => match &self.gcs_credentials {
                Ok(c) => add[0] = c.as_deref(),
                Err(e) if is_json(text) => return Err(Error::InvalidCredentials(e.clone())),
                // Text that is not JSON: the library's explanation comes first.
                Err(_) => {
                    return Ok(Filled {
                        text: Cow::Borrowed(text),
                        shape: Shape::Malformed,
                        provider,
                        has_credentials: false,
                    })
                }
            },
            Provider::Gcs | Provider::Other => {}
        }
        has_credentials |= add[0].is_some();
        let text = if add.iter().all(Option::is_none) {
            Cow::Borrowed(text)
        } else {
            // The object without its `}`, then the defaults.
            let head = text.get(..m.close).unwrap_or(text);
            let extra: usize = add.iter().flatten().map(|a| a.len() + 1).sum();
            let mut out = String::with_capacity(head.len() + extra + 1);
            out.push_str(head);
            let mut first = m.count == 0;
            for a in add.iter().flatten() {
                if !first {
                    out.push(',');
                }
                first = false;
                out.push_str(a);
            }
            out.push('}');
            Cow::Owned(out)
        };
        Ok(Filled {
            text,
            shape: Shape::Object,
            provider,
            has_credentials,
        })
    }
}

/// `"credentials":{"serviceAccount":<the key file>}`: the file's text as it is, once it is JSON
/// (the library reads the key from it, and ignores the members it does not need).
fn gcs_key_file(path: &str) -> Result<String, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("GOOGLE_APPLICATION_CREDENTIALS: cannot read {path:?}: {e}"))?;
    if !is_json(&text) {
        return Err(format!(
            "GOOGLE_APPLICATION_CREDENTIALS: {path:?} is not a JSON key file"
        ));
    }
    let mut c = String::with_capacity(text.len() + 20);
    Object::new(&mut c).raw("serviceAccount", text.trim()).end();
    Ok(member("credentials", &c))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn defaults() -> EnvDefaults {
        EnvDefaults {
            aws_credentials: Some(r#""credentials":{"accessKeyId":"ENV"}"#.into()),
            aws_region: Some(string_member("region", "eu-west-1")),
            aws_endpoint: Some(string_member("endpoint", "http://env:9000")),
            azure_credentials: Some(r#""credentials":{"accountKey":"K"}"#.into()),
            azure_account: Some(string_member("account", "envacct")),
            gcs_credentials: Err("GOOGLE_APPLICATION_CREDENTIALS: cannot read".into()),
        }
    }

    fn fill(text: &str) -> (String, Shape, Provider, bool) {
        let f = defaults().fill(text).unwrap();
        (f.text.into_owned(), f.shape, f.provider, f.has_credentials)
    }

    #[test]
    fn appends_only_what_the_request_leaves_out_or_nulls() {
        let (t, shape, p, creds) = fill(r#" {"provider":"s3","bucket":"b","region":null} "#);
        assert_eq!(
            t,
            r#" {"provider":"s3","bucket":"b","region":null,"credentials":{"accessKeyId":"ENV"},"region":"eu-west-1","endpoint":"http://env:9000"}"#
        );
        assert_eq!((shape, p, creds), (Shape::Object, Provider::S3, true));
        // Its own members stay; a later `null` is what counts (the reader keeps the last one).
        let own =
            r#"{"provider":"s3","credentials":{"accessKeyId":"OWN"},"region":"x","endpoint":"y"}"#;
        assert_eq!(fill(own).0, own);
        let (t, ..) = fill(r#"{"provider":"s3","region":"x","region":null,"fips":true}"#);
        assert!(
            t.ends_with(r#""fips":true,"credentials":{"accessKeyId":"ENV"},"region":"eu-west-1"}"#),
            "{t}"
        );
        // dualstack/accelerate/fips false: the environment's endpoint applies.
        assert!(fill(r#"{"provider":"s3","dualstack":false}"#)
            .0
            .contains("http://env:9000"));
        let (t, _, p, creds) = fill(r#"{"provider":"azure","account":"mine"}"#);
        assert_eq!(
            t,
            r#"{"provider":"azure","account":"mine","credentials":{"accountKey":"K"}}"#
        );
        assert_eq!((p, creds), (Provider::Azure, true));
        // The first `provider` decides, as in the library; escapes are decoded.
        assert_eq!(
            fill(r#"{"provider":"g\u0063s","provider":"s3","credentials":{}}"#).2,
            Provider::Gcs
        );
    }

    #[test]
    fn other_text_is_left_as_it_is() {
        for (text, shape) in [
            ("7", Shape::NotObject),
            (" [1] ", Shape::NotObject),
            ("{}", Shape::Object),
            (r#"{"provider":"s3"} x"#, Shape::Malformed),
            (r#"{"provider":"s3""#, Shape::Malformed),
            (r#"{"provider":5,"bucket":"b"}"#, Shape::Object),
        ] {
            let (t, s, p, creds) = fill(text);
            assert_eq!(
                (t.as_str(), s, p, creds),
                (text, shape, Provider::Other, false)
            );
        }
        // A GCS request that needs the unreadable key file fails; one with its own does not.
        let e = defaults().fill(r#"{"provider":"gcs"}"#).unwrap_err();
        assert_eq!(e.code(), "INVALID_CREDENTIALS");
        assert!(defaults()
            .fill(r#"{"provider":"gcs","credentials":{}}"#)
            .is_ok());
    }
}
