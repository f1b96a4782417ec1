//! CORS rules over JSON, for the JS bindings (`corsRules`).

use crate::cors::{cors_rules, json_list, CorsRequest, Provider};
use crate::error::msg;
use crate::error::{Error, Result};
use crate::prelude::*;
use crate::types::{Method, Params};

/// JSON in, JSON out, for the JS bindings (`corsRules`): reads
/// `{"provider", "origins": [..], "requests": [{"method", "headers"}..], "maxAge"?, "format"?}` —
/// each request may be a presign result or a request object (only `method` and `headers` are
/// read) — and writes `{"provider", "format", "rules": "<text>", "allowedOrigins", "allowedMethods",
/// "allowedHeaders", "exposedHeaders", "maxAge"}`, or `{"error": {"code", "message"}}`.
/// `format` is `native` (default), `s3-json`, `s3-xml`, `gcs-json` or `azure-xml`.
pub fn cors_json(input: &str) -> String {
    match cors_from_json(input) {
        Ok(s) => s,
        Err(e) => super::error_json(&e),
    }
}

fn cors_from_json(input: &str) -> Result<String> {
    use crate::schema::{missing, unknown, FromJson, Reader};
    let mut provider: Option<String> = None;
    let mut origins: Option<Vec<String>> = None;
    let mut requests: Option<Vec<CorsRequest>> = None;
    let mut max_age: Option<u64> = None;
    let mut format: Option<String> = None;
    let mut r = Reader::new(input);
    r.object(|r, name| {
        match name {
            "provider" => provider = Some(String::from_json(r)?),
            "origins" => {
                let mut v = Vec::new();
                r.array(|r| {
                    v.push(String::from_json(r)?);
                    Ok(())
                })?;
                origins = Some(v);
            }
            "requests" => requests = Some(read_requests(r)?),
            "maxAge" => max_age = Some(u64::from_json(r)?),
            "format" => format = Some(String::from_json(r)?),
            other => return Err(unknown(other)),
        }
        Ok(())
    })?;
    r.finish()?;
    let provider: Provider = provider.ok_or_else(|| missing("provider"))?.parse()?;
    let origins = origins.ok_or_else(|| missing("origins"))?;
    let requests = requests.ok_or_else(|| missing("requests"))?;
    let mut rules = cors_rules(provider, &origins, &requests)?;
    if let Some(m) = max_age {
        rules.max_age =
            u32::try_from(m).map_err(|_| Error::InvalidRequest(msg!("`maxAge` is too large")))?;
    }
    let format = format.unwrap_or_else(|| "native".into());
    let text = match format.as_str() {
        "native" => rules.native(),
        "s3-json" => rules.s3_json(),
        "s3-xml" => rules.s3_xml(),
        "gcs-json" => rules.gcs_json(),
        "azure-xml" => rules.azure_xml(),
        _ => {
            return Err(Error::InvalidRequest(msg!(
                "`format` must be native, s3-json, s3-xml, gcs-json or azure-xml"
            )))
        }
    };
    Ok(result_json(provider, &format, &text, &rules))
}

/// `requests`: each one's `method` and `headers`; its other members (a presign result's `url`,
/// a request's `bucket`…) are skipped.
fn read_requests(r: &mut crate::schema::Reader<'_>) -> Result<Vec<CorsRequest>> {
    use crate::schema::FromJson;
    let mut v = Vec::new();
    r.array(|r| {
        let mut req = CorsRequest::default();
        r.object(|r, name| {
            match name {
                "method" => req.method = Method::from_json(r)?,
                "headers" => req.headers = Params::from_json(r)?,
                _ => r.skip()?,
            }
            Ok(())
        })?;
        v.push(req);
        Ok(())
    })?;
    Ok(v)
}

/// The result object: the rules as text in `format`, and their parts as lists (written straight
/// into the object, no list built apart first).
fn result_json(
    provider: Provider,
    format: &str,
    text: &str,
    rules: &crate::cors::CorsRules,
) -> String {
    let mut out = String::new();
    let mut o = crate::schema::Object::new(&mut out)
        .str("provider", provider.as_str())
        .str("format", format)
        .str("rules", text);
    json_list(o.key("allowedOrigins"), &rules.origins);
    json_list(o.key("allowedMethods"), &rules.method_names());
    json_list(o.key("allowedHeaders"), &rules.allowed_headers);
    json_list(o.key("exposedHeaders"), &rules.exposed_headers);
    crate::encoding::push_decimal(o.key("maxAge"), rules.max_age.into());
    o.end();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cors_json_reads_results_and_writes_the_rule() {
        let out = cors_json(
            r#"{"provider":"azure","origins":["http://127.0.0.1:8790"],"maxAge":600,
                "requests":[{"url":"http://x/","method":"PUT","headers":{"x-ms-blob-type":"BlockBlob"},"expiresAt":"2026-11-24T10:10:00Z"},
                            {"method":"GET"}]}"#,
        );
        assert_eq!(
            out,
            "{\"provider\":\"azure\",\"format\":\"native\",\"rules\":\"<?xml version=\\\"1.0\\\" encoding=\\\"utf-8\\\"?>\\n\
             <StorageServiceProperties><Cors><CorsRule><AllowedOrigins>http://127.0.0.1:8790</AllowedOrigins>\
             <AllowedMethods>GET,PUT</AllowedMethods><AllowedHeaders>content-type,x-ms-blob-type</AllowedHeaders>\
             <ExposedHeaders>ETag,x-ms-error-code,x-ms-request-id</ExposedHeaders><MaxAgeInSeconds>600</MaxAgeInSeconds>\
             </CorsRule></Cors></StorageServiceProperties>\",\"allowedOrigins\":[\"http://127.0.0.1:8790\"],\
             \"allowedMethods\":[\"GET\",\"PUT\"],\"allowedHeaders\":[\"content-type\",\"x-ms-blob-type\"],\
             \"exposedHeaders\":[\"ETag\",\"x-ms-error-code\",\"x-ms-request-id\"],\"maxAge\":600}"
        );
    }

    #[test]
    fn cors_json_errors_are_error_objects() {
        for (input, code) in [
            (r#"{"provider":"s3","origins":["*"]}"#, "INVALID_REQUEST"),
            (
                r#"{"provider":"s3","origins":["*"],"requests":[],"bogus":1}"#,
                "INVALID_REQUEST",
            ),
            (
                r#"{"provider":"ftp","origins":["*"],"requests":[{"method":"GET"}]}"#,
                "INVALID_REQUEST",
            ),
            (
                r#"{"provider":"s3","origins":["*"],"requests":[{"method":"PUT","headers":{"a b":"1"}}]}"#,
                "INVALID_HEADER",
            ),
            (
                r#"{"provider":"s3","origins":["*"],"requests":[{"method":"GET"}],"format":"yaml"}"#,
                "INVALID_REQUEST",
            ),
            ("not json", "INVALID_REQUEST"),
        ] {
            let out = cors_json(input);
            assert!(
                out.starts_with(&format!("{{\"error\":{{\"code\":\"{code}\"")),
                "{input} -> {out}"
            );
        }
    }
}
