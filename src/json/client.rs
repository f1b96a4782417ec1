//! A client over JSON: the members that stay the same (provider, credentials, region, bucket,
//! endpoint, defaults such as `expiresIn` or `headers`) are read once; each call reads only what
//! changes (`method`, `key`, `headers`, …) on top of a copy of them and signs. A call equals the
//! stateless call with the configuration's members and then the call's in one object (a member
//! given in both takes the call's value), because it is that: the same member reader, applied to
//! the configuration and then to the call. Derived keys are cached across calls.

use super::{not_a_request, result_json, sign_many, Batch, JSON_ARRAY, PROVIDERS};
use crate::error::{msg, msg_at};
use crate::error::{Error, Result};
use crate::prelude::*;
use crate::request::{Request, Signer};
use crate::schema::{check_required, missing, Members, Reader};
use crate::sync::Lock;
use crate::time::Timestamp;
use crate::types::{Method, Params, Presigned};

/// A request template and its signer (see the module docs).
#[derive(Debug)]
pub struct Client {
    template: Request,
    present: [bool; 8],
    signer: Signer,
    /// A copy of `template` that calls given as values change and put back ([`set_call`],
    /// [`restore`]): such a call copies none of the configuration's strings. Made at the first.
    scratch: Lock<Option<Request>>,
}

/// Whether JSON text may hold a `provider` member: it holds the word, or an escape (which could
/// spell it). A call without one is read in one pass, not first searched for it (a fifth of
/// reading a call). One pass over the bytes, each `p` compared as one 8-byte word: not
/// `str::contains` (its substring searcher is 4 KB of wasm), nor `windows(8)` (a `memcmp` call
/// per byte: 4 % of a client's URL in wasm, node --cpu-prof).
#[cfg(not(no_std_wasm))]
fn may_name_provider(text: &str) -> bool {
    const WORD: u64 = u64::from_le_bytes(*b"provider");
    let b = text.as_bytes();
    b.iter().enumerate().any(|(i, &c)| {
        c == b'\\'
            || (c == b'p'
                && b.get(i..i + 8)
                    .and_then(|w| <[u8; 8]>::try_from(w).ok())
                    .is_some_and(|w| u64::from_le_bytes(w) == WORD))
    })
}

/// The browser builds always search: even dead in `presign/s3`'s (no client there), the search
/// above moved its wasm by 23 bytes of gzip, and a page signs a URL at a time.
#[cfg(no_std_wasm)]
fn may_name_provider(_: &str) -> bool {
    true
}

/// Reads an object's members into `req`, as its provider's members (the `provider` member, if
/// any, must name the same provider; `peek`: unless the text cannot hold one).
fn read_into(
    req: &mut Request,
    r: &mut Reader<'_>,
    present: &mut [bool],
    peek: bool,
) -> Result<()> {
    if let Some(p) = peek
        .then(|| r.peek_member("provider"))
        .transpose()?
        .flatten()
    {
        if p != provider_of(req) {
            return Err(Error::InvalidRequest(msg_at!(
                "provider",
                "a call names another provider than the client's"
            )));
        }
        r.skip_member_once("provider");
    }
    match req {
        #[cfg(feature = "s3")]
        Request::S3(q) => q.read_members(r, present),
        #[cfg(feature = "azure")]
        Request::Azure(q) => q.read_members(r, present),
        #[cfg(feature = "gcs")]
        Request::Gcs(q) => q.read_members(r, present),
        #[allow(unreachable_patterns)]
        _ => Err(Error::Unsupported(msg!("this build has no provider"))),
    }
}

fn provider_of(req: &Request) -> &'static str {
    match req {
        #[cfg(feature = "s3")]
        Request::S3(_) => "s3",
        #[cfg(feature = "azure")]
        Request::Azure(_) => "azure",
        #[cfg(feature = "gcs")]
        Request::Gcs(_) => "gcs",
        #[allow(unreachable_patterns)]
        _ => "",
    }
}

fn check(req: &Request, present: &[bool]) -> Result<()> {
    match req {
        #[cfg(feature = "s3")]
        Request::S3(_) => check_required::<crate::s3::S3Request>(present),
        #[cfg(feature = "azure")]
        Request::Azure(_) => check_required::<crate::azure::AzureRequest>(present),
        #[cfg(feature = "gcs")]
        Request::Gcs(_) => check_required::<crate::gcs::GcsRequest>(present),
        #[allow(unreachable_patterns)]
        _ => Ok(()),
    }
}

/// A call given as values, not JSON: `{"method": method, <key>: key, "headers": headers,
/// "expiresIn": expires_in}` with its `None` members absent, `<key>` the provider's member for the
/// object (S3 `key`, Azure `blob`, GCS `object`; Azure has no `headers`, refused as that text's
/// unknown member). The JS client's way for calls of this shape ([`Client::presign_key`]).
#[cfg_attr(not(all(wasm_url, not(no_std_wasm))), allow(dead_code))]
#[derive(Debug)]
pub(crate) struct KeyCall<'a> {
    pub(crate) method: Option<Method>,
    pub(crate) key: &'a str,
    pub(crate) headers: Option<Params>,
    pub(crate) expires_in: Option<u64>,
}

/// Sets a call's members given as values as the reader sets them from JSON: the field, and a
/// required member marked present.
fn set_call(req: &mut Request, present: &mut [bool], call: KeyCall<'_>) -> Result<()> {
    let KeyCall {
        method,
        key,
        headers,
        expires_in,
    } = call;
    fn mark<T: Members>(present: &mut [bool], name: &str) {
        if let Some(p) = T::REQUIRED
            .iter()
            .position(|n| *n == name)
            .and_then(|i| present.get_mut(i))
        {
            *p = true;
        }
    }
    // The key into the field's own buffer: a call copies no string it need not.
    fn put(field: &mut String, value: &str) {
        field.clear();
        field.push_str(value);
    }
    macro_rules! set {
        ($q:ident, $ty:ty, $name:literal, $field:expr) => {{
            if let Some(m) = method {
                $q.method = m;
            }
            put($field, key);
            mark::<$ty>(present, $name);
            if expires_in.is_some() {
                $q.expires_in = expires_in;
            }
        }};
    }
    match req {
        #[cfg(feature = "s3")]
        Request::S3(q) => {
            set!(q, crate::s3::S3Request, "key", &mut q.key);
            if let Some(h) = headers {
                q.headers = h;
            }
        }
        #[cfg(feature = "azure")]
        Request::Azure(q) => {
            if headers.is_some() {
                return Err(not_a_request(crate::schema::unknown("headers")));
            }
            set!(
                q,
                crate::azure::AzureRequest,
                "blob",
                q.blob.get_or_insert_with(String::new)
            );
        }
        #[cfg(feature = "gcs")]
        Request::Gcs(q) => {
            set!(
                q,
                crate::gcs::GcsRequest,
                "object",
                q.object.get_or_insert_with(String::new)
            );
            if let Some(h) = headers {
                q.headers = h;
            }
        }
        #[allow(unreachable_patterns)]
        _ => {}
    }
    Ok(())
}

/// Puts back what [`set_call`] changed besides the key (which every call sets): the method,
/// the lifetime, and the headers if the call gave them.
fn restore(req: &mut Request, template: &Request, headers: bool) {
    let _ = headers; // Azure has none: unread in a build with Azure alone
    macro_rules! back {
        ($q:ident, $t:ident) => {{
            $q.method = $t.method;
            $q.expires_in = $t.expires_in;
        }};
    }
    match (req, template) {
        #[cfg(feature = "s3")]
        (Request::S3(q), Request::S3(t)) => {
            back!(q, t);
            if headers {
                q.headers.clone_from(&t.headers);
            }
        }
        #[cfg(feature = "azure")]
        (Request::Azure(q), Request::Azure(t)) => back!(q, t),
        #[cfg(feature = "gcs")]
        (Request::Gcs(q), Request::Gcs(t)) => {
            back!(q, t);
            if headers {
                q.headers.clone_from(&t.headers);
            }
        }
        #[allow(unreachable_patterns)]
        _ => {}
    }
}

/// Computes the signatures `held` results wait for (four at once; three with a fourth lane
/// that writes nowhere; one or two one at a time) and gives every result to `push` in order.
#[cfg(batch_sign)]
fn finish_held(
    held: &mut Vec<(Result<Presigned>, Option<crate::sigv4::Unsigned>)>,
    push: &mut dyn FnMut(Result<Presigned>),
) {
    use crate::sigv4::Unsigned;
    let mut todo: Vec<(&Unsigned, &mut String)> = held
        .iter_mut()
        .filter_map(|(r, u)| Some((u.as_ref()?, &mut r.as_mut().ok()?.url)))
        .collect();
    let mut nowhere = String::new();
    match todo.len() {
        3 => {
            let first = todo.first().map(|t| t.0);
            if let Some(first) = first {
                todo.push((first, &mut nowhere));
            }
        }
        1 | 2 => {
            for (u, url) in todo.drain(..) {
                u.finish(url);
            }
        }
        _ => {}
    }
    if let Ok(four) = <[_; 4]>::try_from(todo) {
        Unsigned::finish_x4(four);
    }
    for (r, _) in held.drain(..) {
        push(r);
    }
}

impl Client {
    /// Reads the configuration: an object with `provider` and any members of that provider's
    /// request (none is required here; a member required by the request may come with each
    /// call instead).
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] naming the member that does not fit, as [`super::parse_request`].
    pub fn from_json(config: &str) -> Result<Self> {
        Self::read(config).map_err(not_a_request)
    }

    fn read(config: &str) -> Result<Self> {
        let mut r = Reader::new(config);
        let provider = r
            .peek_member("provider")?
            .ok_or_else(|| missing("provider"))?;
        let mut template = match &*provider {
            #[cfg(feature = "s3")]
            "s3" => Request::S3(Members::placeholder_struct()),
            #[cfg(feature = "azure")]
            "azure" => Request::Azure(Members::placeholder_struct()),
            #[cfg(feature = "gcs")]
            "gcs" => Request::Gcs(Members::placeholder_struct()),
            _ => {
                return Err(Error::InvalidRequest(msg_at!(
                    "provider",
                    "expected one of {}",
                    crate::text::join(PROVIDERS, ", ")
                )))
            }
        };
        let mut present = [false; 8];
        read_into(&mut template, &mut r, &mut present, true)?;
        r.finish()?;
        Ok(Client {
            template,
            present,
            signer: Signer::new(),
            scratch: Lock::new(None),
        })
    }

    /// Replaces members of the configuration (e.g. `{"credentials": {…}}` when temporary
    /// credentials rotate). Nothing changes when the update is refused.
    ///
    /// # Errors
    /// As [`Client::from_json`].
    pub fn update(&mut self, members: &str) -> Result<()> {
        let mut next = self.template.clone();
        let mut present = self.present;
        let mut r = Reader::new(members);
        read_into(&mut next, &mut r, &mut present, true)
            .and_then(|()| r.finish())
            .map_err(not_a_request)?;
        self.template = next;
        self.present = present;
        self.scratch = Lock::new(None);
        Ok(())
    }

    /// The request of one call: a copy of the configuration with the call's members read over
    /// it, checked for its required members (`peek`: see [`read_into`]).
    fn request(&self, r: &mut Reader<'_>, peek: bool) -> Result<Request> {
        let mut req = self.template.clone();
        let mut present = self.present;
        read_into(&mut req, r, &mut present, peek)?;
        check(&req, &present)?;
        Ok(req)
    }

    /// Presigns one call (`{"method", "key", …}`): the result or error object, as
    /// [`super::presign_json`].
    pub fn presign_json(&self, call: &str, now: Timestamp) -> String {
        result_json(&self.presign(call, now))
    }

    /// Presigns one call: the result itself (see [`super::presign`]).
    ///
    /// # Errors
    /// As [`super::presign_json`]'s error objects.
    pub(crate) fn presign(&self, call: &str, now: Timestamp) -> Result<Presigned> {
        let mut r = Reader::new(call);
        let req = self
            .request(&mut r, may_name_provider(call))
            .and_then(|req| r.finish().map(|()| req))
            .map_err(not_a_request);
        // The signer takes the call's or configuration's signedAt over `now`, as presign_json.
        req.and_then(|req| self.signer.presign(&req, now))
    }

    /// Presigns a call given as values: what [`Client::presign`] gives for its JSON text, without
    /// writing or reading it.
    ///
    /// # Errors
    /// As [`Client::presign`].
    #[cfg_attr(not(all(wasm_url, not(no_std_wasm))), allow(dead_code))]
    pub(crate) fn presign_key(&self, call: KeyCall<'_>, now: Timestamp) -> Result<Presigned> {
        self.sign_key(call, |req| self.signer.presign(req, now))
    }

    /// `sign` of the request of `call`: the configuration's copy kept between calls with the
    /// call's members set, then put back.
    fn sign_key<T>(
        &self,
        call: KeyCall<'_>,
        sign: impl FnOnce(&Request) -> Result<T>,
    ) -> Result<T> {
        self.scratch.with(|scratch| {
            let req = scratch.get_or_insert_with(|| self.template.clone());
            let mut present = self.present;
            let given = call.headers.is_some();
            // A refusal changes nothing (Azure's headers, refused before any member is set).
            set_call(req, &mut present, call)?;
            let out = check(req, &present)
                .map_err(not_a_request)
                .and_then(|()| sign(req));
            restore(req, &self.template, given);
            out
        })
    }

    /// Presigns calls given as values ([`Client::presign_key`] of each), each result given to
    /// `push` in order. The server builds compute S3 URLs' signatures four at a time
    /// (`sigv4::Unsigned::finish_x4`): results wait until four are left to compute.
    #[cfg_attr(not(all(wasm_url, not(no_std_wasm))), allow(dead_code))]
    pub(crate) fn presign_keys<'a>(
        &self,
        calls: impl Iterator<Item = KeyCall<'a>>,
        now: Timestamp,
        push: &mut dyn FnMut(Result<Presigned>),
    ) {
        #[cfg(batch_sign)]
        {
            let mut held = Vec::with_capacity(8);
            let mut unsigned = 0;
            for call in calls {
                let signed = self.sign_key(call, |req| self.signer.presign_unsigned(req, now));
                let (result, rest) = match signed {
                    Ok((p, rest)) => (Ok(p), rest),
                    Err(e) => (Err(e), None),
                };
                unsigned += usize::from(rest.is_some());
                held.push((result, rest));
                if unsigned == 4 {
                    finish_held(&mut held, push);
                    unsigned = 0;
                }
            }
            finish_held(&mut held, push);
        }
        #[cfg(not(batch_sign))]
        for call in calls {
            push(self.presign_key(call, now));
        }
    }

    /// Presigns an array of calls; an array of results in the same order, a bad element's error
    /// in its place, as [`super::presign_many_json`].
    pub fn presign_many_json(&self, calls: &str, now: Timestamp) -> String {
        self.presign_many(calls, now, &JSON_ARRAY)
    }

    /// [`Client::presign_many_json`] with its results written as `batch` says.
    pub(crate) fn presign_many(&self, calls: &str, now: Timestamp, batch: &Batch) -> String {
        let capacity = calls.len() * 2 + 2;
        let peek = may_name_provider(calls);
        sign_many(
            &self.signer,
            calls,
            now,
            capacity,
            "calls",
            batch,
            &mut |r| self.request(r, peek),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CONFIG: &str = r#"{"provider":"s3","bucket":"examplebucket","region":"us-east-1",
        "credentials":{"accessKeyId":"AKIAIOSFODNN7EXAMPLE","secretAccessKey":"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}}"#;

    fn now() -> Timestamp {
        Timestamp::from_unix(0).unwrap()
    }

    #[test]
    fn a_call_signs_the_documented_url() {
        // AWS S3 docs example (tests/vectors/aws/s3-docs-examples.json): the same signature as
        // the stateless request with every member in one object.
        let c = Client::from_json(CONFIG).unwrap();
        let out = c.presign_json(
            r#"{"key":"test.txt","expiresIn":86400,"signedAt":"2013-05-24T00:00:00Z"}"#,
            now(),
        );
        assert!(
            out.contains(
                "X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"
            ),
            "{out}"
        );
    }

    fn key_call(
        method: Option<Method>,
        key: &str,
        headers: Option<Params>,
        expires_in: Option<u64>,
    ) -> KeyCall<'_> {
        KeyCall {
            method,
            key,
            headers,
            expires_in,
        }
    }

    #[test]
    fn calls_given_as_values_in_a_batch_are_each_their_own_json_in_order() {
        // Results wait for four signatures to compute (S3): batches of 1 to 11 calls, bad ones
        // among them, hit every remainder (one, two, three left) and every place of an error.
        let c = Client::from_json(CONFIG).unwrap();
        let keys = ["a", "", "b/ü", "c d", "k", "x", "", "y", "z", "w", "q"];
        for n in 1..=keys.len() {
            let mut got = Vec::new();
            let calls = keys.iter().take(n).enumerate().map(|(i, k)| {
                key_call(None, k, None, Some(if i == 5 { 0 } else { 60 + i as u64 }))
            });
            c.presign_keys(calls, now(), &mut |r| got.push(result_json(&r)));
            let want: Vec<String> = keys
                .iter()
                .take(n)
                .enumerate()
                .map(|(i, k)| {
                    let e = if i == 5 { 0 } else { 60 + i };
                    c.presign_json(&format!(r#"{{"key":"{k}","expiresIn":{e}}}"#), now())
                })
                .collect();
            assert_eq!(got, want, "{n} calls");
        }
    }

    #[test]
    fn a_call_given_as_values_signs_the_documented_url_and_reads_as_its_json() {
        // The same S3 docs example through `presign_key`: the key and lifetime as values.
        let config = CONFIG.replacen('{', r#"{"signedAt":"2013-05-24T00:00:00Z","#, 1);
        let c = Client::from_json(&config).unwrap();
        let out = c
            .presign_key(key_call(None, "test.txt", None, Some(86400)), now())
            .unwrap();
        assert!(
            out.url.contains(
                "X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"
            ),
            "{}",
            out.url
        );
        // Each member as its JSON reads: headers over the configuration's, the method, an error
        // for a missing required member or a bad value.
        let json = |call: &str| c.presign_json(call, now());
        let values = |m, key, h: Option<&[(&str, &str)]>, e| {
            let h = h.map(|h| {
                Params(
                    h.iter()
                        .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
                        .collect(),
                )
            });
            result_json(&c.presign_key(key_call(m, key, h, e), now()))
        };
        let h: &[(&str, &str)] = &[("content-type", "image/png"), ("x-amz-meta-a", "1")];
        assert_eq!(
            values(Some(Method::Put), "a b/ü", Some(h), Some(60)),
            json(
                r#"{"method":"PUT","key":"a b/ü","headers":{"content-type":"image/png","x-amz-meta-a":"1"},"expiresIn":60}"#
            )
        );
        assert_eq!(values(None, "", None, None), json(r#"{"key":""}"#));
        assert_eq!(
            values(None, "k", Some(&[("host", "h")]), Some(0)),
            json(r#"{"key":"k","headers":{"host":"h"},"expiresIn":0}"#)
        );
        // What one call sets does not stay for the next.
        assert_eq!(values(None, "k", None, None), json(r#"{"key":"k"}"#));
        let no_bucket = Client::from_json(r#"{"provider":"s3"}"#).unwrap();
        let out = result_json(&no_bucket.presign_key(key_call(None, "k", None, None), now()));
        assert!(
            out.contains("INVALID_REQUEST") && out.contains("`bucket`"),
            "{out}"
        );
        assert_eq!(
            out,
            no_bucket.presign_json(r#"{"key":"k"}"#, now()),
            "the same error"
        );
    }

    #[test]
    fn required_members_may_come_from_either_side_and_one_must_give_them() {
        let c = Client::from_json(r#"{"provider":"s3"}"#).unwrap();
        let out = c.presign_json(r#"{"bucket":"b"}"#, now());
        assert!(
            out.contains("INVALID_REQUEST") && out.contains("`key`"),
            "{out}"
        );
        let out = Client::from_json(CONFIG).unwrap().presign_json("{}", now());
        assert!(out.contains("`key`"), "{out}");
    }

    #[test]
    fn bad_calls_and_configs_are_errors_in_their_place() {
        let c = Client::from_json(CONFIG).unwrap();
        let many = c.presign_many_json(
            r#"[{"key":"a"},{"key":"b","bogus":1},{"provider":"gcs","key":"c"},7]"#,
            now(),
        );
        let v: serde_json::Value = serde_json::from_str(&many).unwrap();
        assert!(v[0]["url"].is_string());
        assert_eq!(v[1]["error"]["code"], "INVALID_REQUEST");
        assert_eq!(v[2]["error"]["code"], "INVALID_REQUEST");
        assert_eq!(v[3]["error"]["code"], "INVALID_REQUEST");
        assert!(Client::from_json(r#"{"provider":"ftp"}"#).is_err());
        assert!(Client::from_json(r#"{"bucket":"b"}"#).is_err());
        assert!(Client::from_json(r#"{"provider":"s3","expiresIn":"x"}"#).is_err());
    }

    #[test]
    fn a_calls_provider_is_checked_however_it_is_spelled() {
        // A call is searched for `provider` only when its text may hold it: the word, or an
        // escape that could spell it.
        let c = Client::from_json(CONFIG).unwrap();
        for call in [
            r#"{"key":"k","provider":"gcs"}"#,
            r#"{"key":"k","provid\u0065r":"gcs"}"#,
        ] {
            let out = c.presign_json(call, now());
            assert!(out.contains("`provider`"), "{call}: {out}");
        }
        for call in [r#"{"key":"k","provider":"s3"}"#, r#"{"key":"\u006b"}"#] {
            assert!(c.presign_json(call, now()).contains("\"url\""), "{call}");
        }
        let many = c.presign_many_json(
            r#"[{"key":"a"},{"key":"b","provid\u0065r":"azure"}]"#,
            now(),
        );
        let v: serde_json::Value = serde_json::from_str(&many).unwrap();
        assert!(v[0]["url"].is_string());
        assert_eq!(v[1]["error"]["code"], "INVALID_REQUEST");
    }

    #[test]
    fn the_provider_search_finds_the_word_anywhere_and_any_escape() {
        for text in [
            "provider",
            r#"{"provider":1}"#,
            r#"{"pprovider":1}"#,
            r#"{"k":"p","x":"providerX"}"#,
            r#"{"k":"\n"}"#,
            "\\",
        ] {
            assert!(may_name_provider(text), "{text}");
        }
        for text in [
            "",
            "p",
            "provide",
            r#"{"key":"photo/provide"}"#,
            "Provider",
            "prov ider",
        ] {
            assert!(!may_name_provider(text), "{text}");
        }
    }

    #[test]
    fn an_update_replaces_members_or_changes_nothing() {
        let mut c = Client::from_json(CONFIG).unwrap();
        let call = r#"{"key":"k","signedAt":"2026-11-24T10:00:00Z"}"#;
        let before = c.presign_json(call, now());
        assert!(c.update(r#"{"credentials":"not an object"}"#).is_err());
        assert_eq!(c.presign_json(call, now()), before);
        c.update(r#"{"credentials":{"accessKeyId":"AKIDOTHER","secretAccessKey":"s"}}"#)
            .unwrap();
        let after = c.presign_json(call, now());
        assert!(after.contains("AKIDOTHER") && after != before, "{after}");
    }
}
