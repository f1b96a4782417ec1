//! S3 Multi-Region Access Points: a request whose `bucket` is the access point's ARN,
//! `arn:aws:s3::{account}:accesspoint/{alias}`, goes to `{alias}.accesspoint.s3-global.amazonaws.com`
//! and is signed with SigV4a ([`crate::sigv4a`], cargo feature `sigv4a`), valid in the regions of
//! `regionSet` (default `*`). This is what the AWS SDKs do with such a bucket (botocore's S3
//! endpoint rules; its CRT signer for the signature).
//!
//! Without the feature this module is not compiled (the `presign/s3` npm entry stays as it was):
//! an ARN is then an invalid bucket name.
//!
//! Spec: <https://docs.aws.amazon.com/AmazonS3/latest/userguide/MultiRegionAccessPointRequests.html>.

use super::{Presigner, S3Request};
use crate::error::{msg, msg_at};
use crate::error::{Error, Result};
use crate::prelude::*;
use crate::time::Timestamp;
use crate::types::Presigned;

/// The parts of a Multi-Region Access Point ARN that name its host.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct MrapArn<'a> {
    /// The access point's alias (`mfzwi23gnjvgw.mrap`).
    pub alias: &'a str,
}

/// `Some` when `bucket` is an ARN (`arn:…`): a valid Multi-Region Access Point ARN, or an error
/// saying why not. `None` for a bucket name.
pub(super) fn parse(bucket: &str) -> Result<Option<MrapArn<'_>>> {
    let Some(rest) = bucket.strip_prefix("arn:") else {
        return Ok(None);
    };
    let bad = |why: &str| {
        Err(Error::InvalidBucket(msg_at!("bucket", "an ARN must be a Multi-Region Access Point's, arn:aws:s3::{{account}}:accesspoint/{{alias}} ({why})")))
    };
    let mut parts = rest.splitn(5, ':');
    let (Some(partition), Some(service), Some(region), Some(account), Some(resource)) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return bad("too few parts");
    };
    if partition != "aws" {
        return bad("Multi-Region Access Points exist only in the aws partition");
    }
    if service != "s3" {
        return bad("the service must be s3");
    }
    if !region.is_empty() {
        return bad("a Multi-Region Access Point's ARN has no region (single-region access points are not supported)");
    }
    if account.is_empty() || !account.bytes().all(|b| b.is_ascii_digit()) {
        return bad("the account must be digits");
    }
    let Some(alias) = resource.strip_prefix("accesspoint/") else {
        return bad("the resource must be accesspoint/{alias}");
    };
    // The alias becomes host labels: lower-case letters, digits, hyphens, dots between labels.
    let label_ok = |l: &str| {
        !l.is_empty()
            && l.len() <= 63
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    };
    if alias.len() > 200 || !alias.split('.').all(label_ok) {
        return bad("the alias must be lower-case host labels, like mfzwi23gnjvgw.mrap");
    }
    Ok(Some(MrapArn { alias }))
}

/// The endpoint options a Multi-Region Access Point cannot take, checked before signing.
pub(super) fn check_options(req: &S3Request) -> Result<()> {
    let conflict = [
        (req.endpoint.url.is_some(), "endpoint"),
        (req.endpoint.url_style.is_some(), "urlStyle"),
        (req.endpoint.dualstack, "dualstack"),
        (req.endpoint.accelerate, "accelerate"),
        (req.endpoint.fips, "fips"),
    ];
    if let Some((_, name)) = conflict.iter().find(|(on, _)| *on) {
        return Err(Error::InvalidRequest(msg!("`{name}` cannot be used with a Multi-Region Access Point ARN (its host is {{alias}}.accesspoint.s3-global.amazonaws.com)")));
    }
    Ok(())
}

/// `regionSet`: `*` or comma-separated region names (lower-case letters, digits, hyphens), or
/// the default `*`.
pub(super) fn region_set(req: &S3Request) -> Result<&str> {
    let Some(set) = req.region_set.as_deref() else {
        return Ok("*");
    };
    let name_ok = |r: &str| {
        !r.is_empty()
            && r.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    };
    if set == "*" || set.split(',').all(name_ok) {
        Ok(set)
    } else {
        Err(Error::InvalidRequest(msg!(
            "`regionSet` must be * or region names separated by commas (us-east-1,eu-west-1)"
        )))
    }
}

impl Presigner {
    /// Presigns `req`, whose bucket is the Multi-Region Access Point `arn`, with SigV4a.
    pub(super) fn presign_mrap(
        &self,
        req: &S3Request,
        arn: MrapArn<'_>,
        now: Timestamp,
    ) -> Result<Presigned> {
        use super::{check_query, signed_headers, Start};
        use crate::sigv4;
        use crate::text::part;
        use crate::types::{Params, Secret};

        check_options(req)?;
        let region_set = region_set(req)?;
        let Start {
            time,
            creds,
            expires_in,
            warnings,
            key,
        } = Start::of(req, now)?;
        let headers = signed_headers(&req.headers)?;
        check_query(&req.query)?;

        let mut url = String::with_capacity(64 + arn.alias.len() + key.len * 3);
        url.push_str("https://");
        let host_start = url.len();
        url.push_str(arn.alias);
        url.push_str(".accesspoint.s3-global.amazonaws.com");
        let host_end = url.len();
        key.push_path(&mut url, &req.key);

        // `host` in its sorted place among the caller's (already canonical) headers.
        let mut all = headers.clone();
        let host = part(&url, host_start..host_end)?.to_owned();
        let at = all.partition_point(|(n, _)| n.as_str() < "host");
        all.insert(at, ("host".to_owned(), host));

        let signing_key = self
            .sigv4a_keys
            .get(&creds.access_key_id, creds.secret_access_key.expose())?;
        let signed = crate::sigv4a::presign(
            &sigv4::Request {
                method: req.method.as_str(),
                canonical_uri: part(&url, host_end..)?,
                query: &req.query.0,
                headers: &all,
                payload_hash: sigv4::UNSIGNED_PAYLOAD,
            },
            &sigv4::Auth {
                scheme: &sigv4::AWS4_ECDSA_P256_SHA256,
                access_key_id: &creds.access_key_id,
                session_token: creds.session_token.as_ref().map(Secret::expose),
                time,
                region: region_set,
                service: "s3",
                expires_in,
            },
            &signing_key,
        )?;
        url.push('?');
        url.push_str(&signed.query);
        Ok(Presigned {
            url,
            method: req.method,
            headers: Params(headers),
            expires_at: time.add_secs(i64::try_from(expires_in).unwrap_or(i64::MAX))?,
            warnings,
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn arns_parse_or_say_why_not() {
        assert_eq!(parse("my-bucket").unwrap(), None);
        assert_eq!(
            parse("arn:aws:s3::123456789012:accesspoint/mfzwi23gnjvgw.mrap").unwrap(),
            Some(MrapArn {
                alias: "mfzwi23gnjvgw.mrap"
            })
        );
        for bad in [
            "arn:",
            "arn:aws-cn:s3::123456789012:accesspoint/a.mrap",
            "arn:aws:s3:us-east-1:123456789012:accesspoint/ap",
            "arn:aws:s3::12x:accesspoint/a.mrap",
            "arn:aws:s3::123456789012:bucket/a",
            "arn:aws:s3::123456789012:accesspoint/A.mrap",
            "arn:aws:s3::123456789012:accesspoint/a..mrap",
            "arn:aws:s3::123456789012:accesspoint/a/b",
            "arn:aws:s3-outposts::123456789012:accesspoint/a",
        ] {
            assert_eq!(parse(bad).unwrap_err().code(), "INVALID_BUCKET", "{bad}");
        }
    }

    #[test]
    fn region_sets() {
        let mut r = S3Request::default();
        assert_eq!(region_set(&r).unwrap(), "*");
        for ok in ["*", "us-east-1", "us-east-1,eu-west-1"] {
            r.region_set = Some(ok.into());
            assert_eq!(region_set(&r).unwrap(), ok);
        }
        for bad in ["", "us-east-1,", "US-EAST-1", "us-*", "a b"] {
            r.region_set = Some(bad.into());
            assert_eq!(
                region_set(&r).unwrap_err().code(),
                "INVALID_REQUEST",
                "{bad}"
            );
        }
    }
}
