//! The policy document's JSON: written in each official SDK's layout ([`policy_json`]), and the
//! conditions read from the request schema's SDK shapes.

use super::Condition;
#[cfg(feature = "json")]
use super::ContentLengthRange;
use crate::error::msg;
#[cfg(feature = "json")]
use crate::error::{Error, Result};
use crate::prelude::*;
use crate::time::Timestamp;

/// The two JSON layouts of the official SDKs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Layout {
    /// boto3: `{"expiration": "…", "conditions": [{"k": "v"}, ["starts-with", "$k", "p"]]}`.
    Spaced,
    /// google-cloud-storage: `{"conditions":[{"k":"v"}],"expiration":"…"}`.
    Compact,
}

/// The policy document as JSON text, in `layout`.
pub(crate) fn policy_json(
    conditions: &[Condition],
    expiration: Timestamp,
    layout: Layout,
) -> String {
    let (comma, colon) = match layout {
        Layout::Spaced => (", ", ": "),
        Layout::Compact => (",", ":"),
    };
    let mut out = String::with_capacity(64 + conditions.len() * 64);
    let push_expiration = |out: &mut String| {
        json_string(out, "expiration");
        out.push_str(colon);
        json_string(out, &expiration.rfc3339());
    };
    out.push('{');
    if layout == Layout::Spaced {
        push_expiration(&mut out);
        out.push_str(comma);
    }
    json_string(&mut out, "conditions");
    out.push_str(colon);
    out.push('[');
    for (i, c) in conditions.iter().enumerate() {
        if i > 0 {
            out.push_str(comma);
        }
        match c {
            Condition::Eq(n, v) => {
                out.push('{');
                json_string(&mut out, n);
                out.push_str(colon);
                json_string(&mut out, v);
                out.push('}');
            }
            Condition::StartsWith(n, p) | Condition::EqArray(n, p) => {
                out.push('[');
                let op = match c {
                    Condition::EqArray(..) => "eq",
                    _ => "starts-with",
                };
                json_string(&mut out, op);
                out.push_str(comma);
                let mut dollar = String::with_capacity(n.len() + 1);
                dollar.push('$');
                dollar.push_str(n);
                json_string(&mut out, &dollar);
                out.push_str(comma);
                json_string(&mut out, p);
                out.push(']');
            }
            Condition::ContentLengthRange(min, max) => {
                out.push('[');
                json_string(&mut out, "content-length-range");
                out.push_str(comma);
                crate::encoding::push_decimal(&mut out, *min);
                out.push_str(comma);
                crate::encoding::push_decimal(&mut out, *max);
                out.push(']');
            }
        }
    }
    out.push(']');
    if layout == Layout::Compact {
        out.push_str(comma);
        push_expiration(&mut out);
    }
    out.push('}');
    out
}

/// Appends `s` as a JSON string escaped as Python's `json.dumps(ensure_ascii=True)` does: the
/// output is pure ASCII.
pub(crate) fn json_string(out: &mut String, s: &str) {
    crate::encoding::json_string_into(out, s, true);
}

#[cfg(feature = "json")]
crate::schema::json_struct!(ContentLengthRange {
    required { min: "min", max: "max" }
    optional {}
});

#[cfg(feature = "json")]
impl crate::schema::FromJson for Condition {
    /// One condition in the SDKs' shapes: `{"name": "value"}`, `["eq", "$name", "value"]`,
    /// `["starts-with", "$name", "prefix"]` or `["content-length-range", min, max]`.
    fn from_json(r: &mut crate::schema::Reader<'_>) -> Result<Self> {
        use crate::schema::Reader;
        let text = r.raw()?;
        let mut r = Reader::new(text);
        if text.starts_with('{') {
            let mut one: Option<(String, String)> = None;
            let mut count = 0usize;
            r.object(|r, name| {
                count += 1;
                let value = r.string()?.into_owned();
                one = Some((name.to_owned(), value));
                Ok(())
            })?;
            return match one {
                Some((n, v)) if count == 1 => Ok(Condition::Eq(n, v)),
                _ => Err(Error::InvalidRequest(msg!(
                    "an object condition has exactly one member, {{\"field\": \"value\"}}"
                ))),
            };
        }
        if !text.starts_with('[') {
            return Err(r.expected("an array or an object (a condition)"));
        }
        const OPS: &str = "expected \"eq\", \"starts-with\" or \"content-length-range\"";
        let mut op = String::new();
        let mut name = String::new();
        let mut value = String::new();
        let (mut min, mut max) = (0u64, 0u64);
        let mut n = 0usize;
        r.array(|r| {
            match (n, op.as_str()) {
                (0, _) => {
                    op = r.string()?.into_owned();
                    if !matches!(op.as_str(), "eq" | "starts-with" | "content-length-range") {
                        return Err(Error::InvalidRequest(OPS.into()));
                    }
                }
                (1, "content-length-range") => min = r.u64()?,
                (2, "content-length-range") => max = r.u64()?,
                (1, _) => {
                    let s = r.string()?;
                    name = s
                        .strip_prefix('$')
                        .ok_or_else(|| {
                            Error::InvalidRequest(msg!(
                                "the field name of an array condition starts with $"
                            ))
                        })?
                        .to_owned();
                }
                (2, _) => value = r.string()?.into_owned(),
                _ => {
                    return Err(Error::InvalidRequest(msg!(
                        "a condition array has three elements"
                    )))
                }
            }
            n += 1;
            Ok(())
        })?;
        if n != 3 {
            return Err(Error::InvalidRequest(msg!(
                "a condition array has three elements"
            )));
        }
        Ok(match op.as_str() {
            "eq" => Condition::EqArray(name, value),
            "starts-with" => Condition::StartsWith(name, value),
            _ => Condition::ContentLengthRange(min, max),
        })
    }
}
