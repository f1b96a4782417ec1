//! The URL a server received, taken apart once for every verifier.

use super::{fail, Check, VerifyError};
use crate::encoding::{percent_decode, split_query};
use crate::prelude::*;

/// A URL taken apart: endpoint syntax through the crate's one endpoint parser, the query split
/// and decoded once.
#[derive(Debug)]
pub(super) struct ParsedUrl {
    pub(super) scheme: &'static str,
    /// Lower-case host, without a port.
    pub(super) host: String,
    /// Host plus a non-default port.
    pub(super) authority: String,
    /// An IP address or `localhost`.
    pub(super) is_ip_or_localhost: bool,
    /// The path, decoded once (`/` when the URL has none).
    pub(super) path: String,
    /// Decoded query parameters, in order.
    pub(super) query: Vec<(String, String)>,
}

impl ParsedUrl {
    pub(super) fn parse(url: &str) -> Result<Self, VerifyError> {
        let url = url.split_once('#').map_or(url, |(u, _)| u);
        let (base, raw_query) = url.split_once('?').unwrap_or((url, ""));
        let e = crate::endpoint::parse("url", base, false)
            .map_err(|e| VerifyError::new(Check::Malformed, e.message().to_owned()))?;
        let path =
            percent_decode(if e.path.is_empty() { "/" } else { e.path }).ok_or_else(|| {
                VerifyError::new(
                    Check::Malformed,
                    "the URL's path has a malformed percent-escape or is not UTF-8",
                )
            })?;
        let query = split_query(raw_query).ok_or_else(|| {
            VerifyError::new(
                Check::Malformed,
                "the URL's query has a malformed percent-escape or is not UTF-8",
            )
        })?;
        Ok(ParsedUrl {
            scheme: e.scheme.unwrap_or("https"),
            authority: e.authority(),
            is_ip_or_localhost: e.is_ip || e.host == "localhost",
            host: e.host,
            path,
            query,
        })
    }

    /// The value of the one parameter named exactly `name`.
    ///
    /// # Errors
    /// `MALFORMED` when it is given twice, or when a parameter differs from `name` only in case
    /// (a second spelling a server might read instead).
    pub(super) fn param(&self, name: &str) -> Result<Option<&str>, VerifyError> {
        let mut found = None;
        for (n, v) in &self.query {
            if n == name {
                if found.is_some() {
                    return fail(Check::Malformed, format!("{name} is given twice"));
                }
                found = Some(v.as_str());
            } else if n.eq_ignore_ascii_case(name) {
                return fail(
                    Check::Malformed,
                    format!("a parameter is a second spelling (another case) of the signature parameter {name}"),
                );
            }
        }
        Ok(found)
    }

    /// The value of `name`, which must be present.
    pub(super) fn required(&self, name: &str) -> Result<&str, VerifyError> {
        self.param(name)?
            .ok_or_else(|| VerifyError::new(Check::Malformed, format!("{name} is missing")))
    }
}
