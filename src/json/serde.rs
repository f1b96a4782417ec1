//! `serde` for the request schema (feature `serde`; never in the wasm builds): a Rust server takes
//! the camelCase JSON the CLI and the npm package take, with its own framework, and answers with
//! the same result objects.
//!
//! There is one definition of the schema, the crate's own reader and writer, and serde goes
//! through it: deserializing a [`Request`] (or a [`PostRequest`]) writes the input back as JSON
//! text and reads that with [`parse_request`](super::parse_request); serializing a [`Presigned`]
//! (or a [`PostForm`]) writes the crate's JSON and replays it into the serializer. So a request
//! is accepted, refused (with the same code and message, in serde's error) and answered exactly
//! as the CLI and the npm package do, whatever the format (JSON, or any self-describing format
//! serde reads).
//!
//! ```
//! # #[cfg(all(feature = "s3", feature = "azure"))] {
//! let req: presign::Request = serde_json::from_str(r#"{"provider": "azure", "method": "PUT",
//!     "container": "photos", "blob": "cat.jpg", "credentials": {"connectionString": "UseDevelopmentStorage=true"}}"#)?;
//! let now = presign::Timestamp::parse_rfc3339("2026-11-24T10:00:00Z").unwrap();
//! let out = presign::Signer::new().presign(&req, now).unwrap();
//! let json = serde_json::to_string(&out)?;
//! assert!(json.starts_with(r#"{"url":"http://127.0.0.1:10000/devstoreaccount1/photos/cat.jpg?sv="#));
//! # }
//! # Ok::<(), serde_json::Error>(())
//! ```

use crate::prelude::*;
use core::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{self, Serialize, SerializeMap, SerializeSeq, Serializer};

use crate::encoding::{json_string_into, push_decimal};
use crate::error::Error;
use crate::request::Request;
use crate::schema::Reader;
use crate::types::Presigned;

#[cfg(feature = "post")]
use crate::{post::PostForm, request::post::PostRequest};

// --- in: any serde input, written as JSON text, read by the schema's reader ---------------------

/// Appends the next value of a deserializer to `out` as JSON text.
struct JsonText<'o>(&'o mut String);

impl<'de> DeserializeSeed<'de> for JsonText<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for JsonText<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value of the request schema")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<(), E> {
        self.0.push_str(if v { "true" } else { "false" });
        Ok(())
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<(), E> {
        push_decimal(self.0, v);
        Ok(())
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<(), E> {
        if v < 0 {
            self.0.push('-');
        }
        push_decimal(self.0, v.unsigned_abs());
        Ok(())
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<(), E> {
        // The schema's numbers are integers; a fraction is written as one, for the reader to refuse.
        if !v.is_finite() {
            return Err(E::custom("INVALID_REQUEST: a number is not finite"));
        }
        self.0.push_str(&v.to_string());
        Ok(())
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
        json_string_into(self.0, v, false);
        Ok(())
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.0.push_str("null");
        Ok(())
    }

    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        self.visit_unit()
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        self.0.push('[');
        let mut first = true;
        loop {
            let mark = self.0.len();
            if !first {
                self.0.push(',');
            }
            if seq.next_element_seed(JsonText(self.0))?.is_none() {
                self.0.truncate(mark);
                break;
            }
            first = false;
        }
        self.0.push(']');
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        self.0.push('{');
        let mut first = true;
        while let Some(name) = map.next_key::<alloc::borrow::Cow<'de, str>>()? {
            if !first {
                self.0.push(',');
            }
            first = false;
            json_string_into(self.0, &name, false);
            self.0.push(':');
            map.next_value_seed(JsonText(self.0))?;
        }
        self.0.push('}');
        Ok(())
    }
}

/// Reads the deserializer's value as JSON text, then parses it with `parse`.
fn through_schema<'de, D: Deserializer<'de>, T>(
    d: D,
    parse: fn(&str) -> crate::Result<T>,
) -> Result<T, D::Error> {
    let mut text = String::with_capacity(256);
    JsonText(&mut text).deserialize(d)?;
    // The error's Display is "CODE: message": the code survives any serde error type.
    parse(&text).map_err(de::Error::custom)
}

impl<'de> serde::Deserialize<'de> for Request {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        through_schema(d, super::parse_request)
    }
}

#[cfg(feature = "post")]
impl<'de> serde::Deserialize<'de> for PostRequest {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        through_schema(d, super::parse_post_request)
    }
}

// --- out: the crate's JSON, replayed into any serializer -----------------------------------------

/// One JSON value of the crate's own output, serialized as what it is.
struct Replay<'a>(&'a str);

impl Serialize for Replay<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let text = self.0.trim_start();
        let mut r = Reader::new(text);
        // A serializer's error, kept while the reader's callback returns a placeholder.
        let mut failed: Option<S::Error> = None;
        let bad = |e: Error| ser::Error::custom(e);
        match text.as_bytes().first() {
            Some(b'{') => {
                let mut map = s.serialize_map(None)?;
                r.object(|r, name| {
                    let value = r.raw()?;
                    map.serialize_entry(name, &Replay(value)).map_err(|e| {
                        failed = Some(e);
                        Error::InvalidRequest(String::new())
                    })
                })
                .map_err(|e| failed.take().unwrap_or_else(|| bad(e)))?;
                map.end()
            }
            Some(b'[') => {
                let mut seq = s.serialize_seq(None)?;
                r.array(|r| {
                    let value = r.raw()?;
                    seq.serialize_element(&Replay(value)).map_err(|e| {
                        failed = Some(e);
                        Error::InvalidRequest(String::new())
                    })
                })
                .map_err(|e| failed.take().unwrap_or_else(|| bad(e)))?;
                seq.end()
            }
            Some(b'"') => s.serialize_str(&r.string().map_err(bad)?),
            Some(b't' | b'f') => s.serialize_bool(r.bool().map_err(bad)?),
            Some(b'n') => s.serialize_unit(),
            _ => s.serialize_u64(r.u64().map_err(bad)?),
        }
    }
}

impl Serialize for Presigned {
    /// `{"url","method","headers","expiresAt"[,"warnings"]}`, as [`push_presigned`](super::push_presigned) writes it.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut text = String::with_capacity(self.url.len() + 128);
        super::push_presigned(&mut text, self);
        Replay(&text).serialize(s)
    }
}

#[cfg(feature = "post")]
impl Serialize for PostForm {
    /// `{"url","fields":[[name,value],…],"expiresAt"[,"warnings"]}`, as
    /// [`push_post_form`](super::push_post_form) writes it.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut text = String::with_capacity(self.url.len() + 1024);
        super::push_post_form(&mut text, self);
        Replay(&text).serialize(s)
    }
}
