use super::*;

fn req(method: Method, headers: &[(&str, &str)]) -> CorsRequest {
    CorsRequest {
        method,
        headers: headers.iter().copied().collect(),
    }
}

/// Whitespace between tags and JSON tokens removed, so a documentation sample laid out over
/// several lines compares with the compact output.
fn compact(s: &str) -> String {
    let mut out = String::new();
    let mut in_str = false;
    for line in s.lines() {
        for c in line.trim().chars() {
            if c == '"' {
                in_str = !in_str;
            }
            if !in_str && c == ' ' {
                continue;
            }
            out.push(c);
        }
    }
    out
}

fn rules(provider: Provider, origins: &[&str], methods: &[Method]) -> CorsRules {
    CorsRules {
        provider,
        origins: origins.iter().map(|s| s.to_string()).collect(),
        methods: methods.to_vec(),
        allowed_headers: vec![],
        exposed_headers: vec![],
        max_age: DEFAULT_MAX_AGE,
    }
}

// The example of Amazon S3 User Guide, "CORS configuration" (JSON tab), first rule:
// AllowedHeaders ["*"], AllowedMethods PUT POST DELETE, AllowedOrigins http://www.example1.com,
// ExposeHeaders [] — here with an ExposeHeaders entry and MaxAgeSeconds 3000 as in the
// PutBucketCors API reference example.
#[test]
fn s3_json_matches_the_put_bucket_cors_document_layout() {
    let mut r = rules(
        Provider::S3,
        &["http://www.example.com"],
        &[Method::Put, Method::Post, Method::Delete],
    );
    r.allowed_headers = vec!["*".into()];
    r.exposed_headers = vec!["x-amz-server-side-encryption".into()];
    r.max_age = 3000;
    let doc = r#"{
            "CORSRules": [
                {
                    "AllowedHeaders": ["*"],
                    "AllowedMethods": ["PUT", "POST", "DELETE"],
                    "AllowedOrigins": ["http://www.example.com"],
                    "ExposeHeaders": ["x-amz-server-side-encryption"],
                    "MaxAgeSeconds": 3000
                }
            ]
        }"#;
    assert_eq!(r.s3_json(), compact(doc));
    assert_eq!(r.native(), r.s3_json());
}

// PutBucketCors API reference, "Sample Request: Configure CORS" body (one rule).
#[test]
fn s3_xml_matches_the_put_bucket_cors_sample_body() {
    let mut r = rules(
        Provider::S3,
        &["http://www.example.com"],
        &[Method::Put, Method::Post, Method::Delete],
    );
    r.allowed_headers = vec!["*".into()];
    r.exposed_headers = vec!["x-amz-server-side-encryption".into()];
    r.max_age = 3000;
    let doc = r#"<?xml version="1.0" encoding="UTF-8"?>
            <CORSConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
              <CORSRule>
                <AllowedHeader>*</AllowedHeader>
                <AllowedMethod>PUT</AllowedMethod>
                <AllowedMethod>POST</AllowedMethod>
                <AllowedMethod>DELETE</AllowedMethod>
                <AllowedOrigin>http://www.example.com</AllowedOrigin>
                <ExposeHeader>x-amz-server-side-encryption</ExposeHeader>
                <MaxAgeSeconds>3000</MaxAgeSeconds>
              </CORSRule>
            </CORSConfiguration>"#;
    let want = compact(doc)
        .replacen("?>", "?>\n", 1)
        .replace("<CORSConfigurationxmlns=", "<CORSConfiguration xmlns=");
    let want = want.replace(
        "<?xmlversion=\"1.0\"encoding=",
        "<?xml version=\"1.0\" encoding=",
    );
    assert_eq!(r.s3_xml(), want);
}

// Google Cloud Storage "Cross-origin resource sharing", configuration example.
#[test]
fn gcs_json_matches_the_cors_file_example() {
    let mut r = rules(
        Provider::Gcs,
        &["https://your-example-website.appspot.com"],
        &[Method::Get],
    );
    r.exposed_headers = vec!["Content-Type".into()];
    let doc = r#"[
            {
              "origin": ["https://your-example-website.appspot.com"],
              "method": ["GET"],
              "responseHeader": ["Content-Type"],
              "maxAgeSeconds": 3600
            }
        ]"#;
    assert_eq!(r.gcs_json(), compact(doc));
    assert_eq!(r.native(), r.gcs_json());
}

// "Cross-Origin Resource Sharing (CORS) support for Azure Storage", the sample CORS rule.
#[test]
fn azure_xml_matches_the_service_properties_sample() {
    let mut r = rules(
        Provider::Azure,
        &["http://www.fabrikam.com", "http://www.contoso.com"],
        &[Method::Put, Method::Get],
    );
    r.allowed_headers = ["x-ms-meta-data*", "x-ms-meta-target*", "x-ms-meta-abc"]
        .map(String::from)
        .to_vec();
    r.exposed_headers = vec!["x-ms-meta-*".into()];
    r.max_age = 200;
    let doc = r#"<Cors>
            <CorsRule>
                <AllowedOrigins>http://www.fabrikam.com,http://www.contoso.com</AllowedOrigins>
                <AllowedMethods>PUT,GET</AllowedMethods>
                <AllowedHeaders>x-ms-meta-data*,x-ms-meta-target*,x-ms-meta-abc</AllowedHeaders>
                <ExposedHeaders>x-ms-meta-*</ExposedHeaders>
                <MaxAgeInSeconds>200</MaxAgeInSeconds>
            </CorsRule>
        </Cors>"#;
    assert_eq!(
        r.azure_xml(),
        format!(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<StorageServiceProperties>{}</StorageServiceProperties>",
            compact(doc)
        )
    );
    assert_eq!(r.native(), r.azure_xml());
}

#[test]
fn s3_upload_with_checksum_and_metadata_allows_exactly_the_signed_headers() {
    let r = cors_rules(
        Provider::S3,
        &["https://app.example.com"],
        &[
            req(
                Method::Put,
                &[
                    ("content-length", "5"),
                    ("content-type", "image/jpeg"),
                    ("x-amz-checksum-sha256", "abc="),
                    ("X-Amz-Meta-Owner", "me"),
                ],
            ),
            req(Method::Get, &[]),
        ],
    )
    .unwrap();
    assert_eq!(r.methods, [Method::Get, Method::Put]);
    // content-length is set by the browser (a forbidden header name): never requested.
    assert_eq!(
        r.allowed_headers,
        ["content-type", "x-amz-checksum-sha256", "x-amz-meta-owner"]
    );
    assert_eq!(
        r.exposed_headers,
        ["ETag", "x-amz-request-id", "x-amz-version-id"]
    );
    assert_eq!(
        r.s3_json(),
        "{\"CORSRules\":[{\"AllowedHeaders\":[\"content-type\",\"x-amz-checksum-sha256\",\"x-amz-meta-owner\"],\
         \"AllowedMethods\":[\"GET\",\"PUT\"],\"AllowedOrigins\":[\"https://app.example.com\"],\
         \"ExposeHeaders\":[\"ETag\",\"x-amz-request-id\",\"x-amz-version-id\"],\"MaxAgeSeconds\":3600}]}"
    );
}

#[test]
fn azure_put_allows_blob_type_and_exposes_the_error_code() {
    let r = cors_rules(
        Provider::Azure,
        &["http://127.0.0.1:8080", "https://app.example.com"],
        &[req(Method::Put, &[]), req(Method::Get, &[])],
    )
    .unwrap();
    assert_eq!(r.allowed_headers, ["content-type", "x-ms-blob-type"]);
    assert_eq!(
        r.azure_xml(),
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<StorageServiceProperties><Cors><CorsRule>\
         <AllowedOrigins>http://127.0.0.1:8080,https://app.example.com</AllowedOrigins>\
         <AllowedMethods>GET,PUT</AllowedMethods><AllowedHeaders>content-type,x-ms-blob-type</AllowedHeaders>\
         <ExposedHeaders>ETag,x-ms-error-code,x-ms-request-id</ExposedHeaders>\
         <MaxAgeInSeconds>3600</MaxAgeInSeconds></CorsRule></Cors></StorageServiceProperties>"
    );
}

#[cfg(feature = "azure")]
#[test]
fn a_presigned_azure_upload_converts_into_a_cors_request() {
    use crate::azure::{AzureRequest, Credentials, Presigner};
    let mut r = AzureRequest::new(Method::Put, "devstoreaccount1", "photos", "a b.txt");
    r.credentials = Some(Credentials::connection_string("UseDevelopmentStorage=true"));
    let now = crate::Timestamp::parse_rfc3339("2026-11-24T10:00:00Z").unwrap();
    let p = Presigner::new().presign(&r, now).unwrap();
    let c = CorsRequest::from(&p);
    assert_eq!(c.method, Method::Put);
    let rules = cors_rules(Provider::Azure, &["*"], &[c]).unwrap();
    assert!(rules
        .allowed_headers
        .contains(&"x-ms-blob-type".to_string()));
}

#[test]
fn gcs_resumable_start_allows_put_and_exposes_the_session_location() {
    let r = cors_rules(
        Provider::Gcs,
        &["https://app.example.com"],
        &[req(
            Method::Post,
            &[("content-type", "video/mp4"), ("x-goog-resumable", "start")],
        )],
    )
    .unwrap();
    assert_eq!(r.methods, [Method::Put, Method::Post]);
    assert_eq!(
        r.allowed_headers,
        ["content-range", "content-type", "x-goog-resumable"]
    );
    assert_eq!(
        r.gcs_json(),
        "[{\"origin\":[\"https://app.example.com\"],\"method\":[\"PUT\",\"POST\"],\
         \"responseHeader\":[\"content-range\",\"content-type\",\"x-goog-resumable\",\"ETag\",\"x-goog-generation\",\"Location\"],\
         \"maxAgeSeconds\":3600}]"
    );
}

#[test]
fn a_download_only_rule_allows_no_headers() {
    let r = cors_rules(Provider::S3, &["*"], &[req(Method::Get, &[])]).unwrap();
    assert!(r.allowed_headers.is_empty());
    assert!(!r.s3_json().contains("AllowedHeaders"));
    assert!(r.s3_xml().contains("<AllowedMethod>GET</AllowedMethod>"));
}

#[test]
fn origins_with_a_path_or_trailing_slash_are_refused() {
    for o in [
        "https://app.example.com/",
        "https://app.example.com/x",
        "app.example.com",
        "https://",
        "https://a\"b",
        "https://a,b.com",
    ] {
        let e = cors_rules(Provider::S3, &[o], &[req(Method::Get, &[])]).unwrap_err();
        assert_eq!(e.code(), "INVALID_REQUEST", "{o}");
    }
}

#[test]
fn wildcard_subdomains_are_s3_only() {
    let get = [req(Method::Get, &[])];
    assert!(cors_rules(Provider::S3, &["https://*.example.com"], &get).is_ok());
    for p in [Provider::Azure, Provider::Gcs] {
        let e = cors_rules(p, &["https://*.example.com"], &get).unwrap_err();
        assert_eq!(e.code(), "INVALID_REQUEST");
    }
}

#[test]
fn empty_inputs_and_odd_header_names_are_errors() {
    let get = [req(Method::Get, &[])];
    let none: [&str; 0] = [];
    assert_eq!(
        cors_rules(Provider::S3, &none, &get).unwrap_err().code(),
        "INVALID_REQUEST"
    );
    assert_eq!(
        cors_rules(Provider::S3, &["*"], &[]).unwrap_err().code(),
        "INVALID_REQUEST"
    );
    let bad = [req(Method::Put, &[("x-a<b", "1")])];
    assert_eq!(
        cors_rules(Provider::S3, &["*"], &bad).unwrap_err().code(),
        "INVALID_HEADER"
    );
}

#[test]
fn azure_limits_are_enforced() {
    let origins: Vec<String> = (0..65).map(|i| format!("https://a{i}.example")).collect();
    let e = cors_rules(Provider::Azure, &origins, &[req(Method::Get, &[])]).unwrap_err();
    assert_eq!(e.code(), "INVALID_REQUEST");
    assert!(cors_rules(Provider::S3, &origins, &[req(Method::Get, &[])]).is_ok());
}

#[test]
fn providers_parse_from_their_schema_names() {
    for p in [Provider::S3, Provider::Azure, Provider::Gcs] {
        assert_eq!(p.as_str().parse::<Provider>().unwrap(), p);
    }
    assert!("aws".parse::<Provider>().is_err());
}
