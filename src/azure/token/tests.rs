use super::*;
use proptest::prelude::*;

fn t(s: &str) -> Timestamp {
    Timestamp::parse_rfc3339(s).unwrap()
}

fn now() -> Timestamp {
    t("2026-11-24T10:00:00Z")
}

fn cc(status: u16, body: &str) -> Result<AccessToken> {
    AccessToken::from_response(AccessToken::CLIENT_CREDENTIALS, status, body, now())
}

fn mi(status: u16, body: &str) -> Result<AccessToken> {
    AccessToken::from_response(AccessToken::MANAGED_IDENTITY, status, body, now())
}

#[test]
fn client_credentials_answer() {
    // The successful response of
    // https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow#successful-response-1
    let body = r#"{
  "token_type": "Bearer",
  "expires_in": 3599,
  "access_token": "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiIsIng1dCI6Ik1uQ19WWmNBVGZNNXBP..."
}"#;
    let tok = cc(200, body).unwrap();
    assert_eq!(tok.expires_at, t("2026-11-24T10:59:59Z"));
    assert_eq!(tok.token_type, "Bearer");
    assert!(tok.token.expose().starts_with("eyJ0eXAi"));
    assert!(
        !format!("{tok:?}").contains("eyJ0"),
        "Debug shows the token"
    );
}

#[test]
fn imds_and_app_service_answers() {
    // IMDS: https://learn.microsoft.com/entra/identity/managed-identities-azure-resources/how-to-use-vm-token#get-a-token-using-http
    // (numbers as strings; expires_in wins over expires_on, which is the service's clock).
    let imds = r#"{
  "access_token": "eyJ0eXAi...",
  "refresh_token": "",
  "expires_in": "3599",
  "expires_on": "1506484173",
  "not_before": "1506480273",
  "resource": "https://management.azure.com/",
  "token_type": "Bearer"
}"#;
    assert_eq!(mi(200, imds).unwrap().expires_at, t("2026-11-24T10:59:59Z"));
    // App Service 2019-08-01: https://learn.microsoft.com/azure/app-service/overview-managed-identity#rest-endpoint-reference
    // (only expires_on, Unix seconds as a string).
    let app = r#"{
    "access_token": "eyJ0eXAi...",
    "expires_on": "1586984735",
    "resource": "https://vault.azure.net",
    "token_type": "Bearer",
    "client_id": "5E29463D-71DA-4FE0-8E69-999B57DB23B0"
}"#;
    assert_eq!(
        mi(200, app).unwrap().expires_at,
        Timestamp::from_unix(1_586_984_735).unwrap()
    );
    // expires_on as a number, and a BOM.
    let n = "\u{feff}{\"access_token\":\"x\",\"expires_on\":1586984735}";
    assert_eq!(mi(200, n).unwrap().expires_at.unix(), 1_586_984_735);
}

fn service(e: Error) -> String {
    assert_eq!(e.code(), "SERVICE_ERROR", "{e}");
    e.message().to_owned()
}

#[test]
fn documented_error_documents_are_service_errors() {
    // Entra ID's error response:
    // https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow#error-response
    let entra = r#"{
  "error": "invalid_scope",
  "error_description": "AADSTS70011: The provided value for the input parameter 'scope' is not valid. The scope https://foo.microsoft.com/.default is not valid.\r\nTrace ID: 0000aaaa-11bb-cccc-dd22-eeeeee333333\r\nCorrelation ID: aaaa0000-bb11-2222-33cc-444444dddddd\r\nTimestamp: 2016-01-09 02:02:12Z",
  "error_codes": [
    70011
  ],
  "timestamp": "2016-01-09 02:02:12Z",
  "trace_id": "0000aaaa-11bb-cccc-dd22-eeeeee333333",
  "correlation_id": "aaaa0000-bb11-2222-33cc-444444dddddd"
}"#;
    let m = service(cc(400, entra).unwrap_err());
    assert!(
        m.contains("invalid_scope") && m.contains("AADSTS70011"),
        "{m}"
    );
    assert!(m.contains("400") && !m.contains("Trace ID"), "{m}");
    // invalid_client (a wrong secret), the common one:
    // https://learn.microsoft.com/entra/identity-platform/reference-error-codes (AADSTS7000215)
    let secret = r#"{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '00001111-aaaa-2222-bbbb-3333cccc4444'.","error_codes":[7000215],"timestamp":"2026-11-24 10:00:00Z","trace_id":"t","correlation_id":"c","error_uri":"https://login.microsoftonline.com/error?code=7000215"}"#;
    assert!(service(cc(401, secret).unwrap_err()).contains("AADSTS7000215"));
    // IMDS errors: https://learn.microsoft.com/entra/identity/managed-identities-azure-resources/how-to-use-vm-token#error-handling
    let imds = r#"{"error":"invalid_resource","error_description":"AADSTS50001: The application named http://examplecompany.com was not found in the tenant named <TENANT-ID>. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.\r\nTrace ID: 0000aaaa-11bb-cccc-dd22-eeeeee333333\r\nCorrelation ID: aaaa0000-bb11-2222-33cc-444444dddddd\r\nTimestamp: 2017-09-14 20:49:33Z","error_codes":[50001],"timestamp":"2017-09-14 20:49:33Z","trace_id":"0000aaaa-11bb-cccc-dd22-eeeeee333333","correlation_id":"aaaa0000-bb11-2222-33cc-444444dddddd","error_uri":"https://login.microsoftonline.com/error?code=50001"}"#;
    assert!(service(mi(400, imds).unwrap_err()).contains("invalid_resource"));
    // The same page's table: 400 invalid_request "Identity not found" (a user-assigned id the
    // VM does not have), and the same document with a 2xx status is still an error.
    let nf = r#"{"error":"invalid_request","error_description":"Identity not found"}"#;
    assert!(service(mi(400, nf).unwrap_err()).contains("Identity not found"));
    assert!(service(mi(200, nf).unwrap_err()).contains("invalid_request"));
    // App Service's error body (the `statusCode`/`message` MSAL reads in
    // msal/managed_identity.py `_obtain_token_on_app_service`).
    let app = r#"{"statusCode":400,"message":"Unable to load the proper Managed Identity.","correlationId":"7fd0de4d-a8c5-4e8b-8d36-b1ae7b1d3f68"}"#;
    let m = service(mi(400, app).unwrap_err());
    assert!(m.contains("\"400\"") && m.contains("Unable to load"), "{m}");
    // A non-2xx status without a document (a proxy's HTML page, IMDS throttling text).
    for body in ["", "<html>502 Bad Gateway</html>", "Too many requests"] {
        let m = service(mi(429, body).unwrap_err());
        assert!(m.contains("429"), "{m}");
    }
}

#[test]
fn answers_without_a_token_or_expiry_are_bad_responses() {
    for body in [
        "",
        "null",
        "[]",
        "{}",
        "{\"access_token\":\"\",\"expires_in\":1}",
        "{\"access_token\":\"x\"}",
        "{\"access_token\":\"x\",\"expires_in\":\"soon\"}",
        "{\"access_token\":\"x\",\"expires_in\":-1}",
        "{\"access_token\":\"x\",\"expires_in\":1.5}",
        "{\"access_token\":\"x\",\"expires_in\":99999999999999999999}",
        "{\"access_token\":\"x\",\"expires_on\":\"253402300800\"}",
        "{\"access_token\":\"a\\u0000b\",\"expires_in\":1}",
        "{\"access_token\":1,\"expires_in\":1}",
        "{\"access_token\":\"x\",\"expires_in\":1} trailing",
        "{\"access_token\":\"x\",\"expires_in\":1",
    ] {
        let e = cc(200, body).unwrap_err();
        assert_eq!(e.code(), "SERVICE_ERROR", "{body}: {e}");
        assert!(e.message().starts_with("Entra ID token"), "{e}");
    }
}

proptest! {
    #[test]
    fn garbage_never_panics_nor_echoes_the_token(
        bytes in proptest::collection::vec(any::<u8>(), 0..200),
        cut in 0usize..400,
        status in prop_oneof![Just(200u16), Just(400u16), 100u16..600],
    ) {
        let text = String::from_utf8_lossy(&bytes);
        let _ = cc(status, &text);
        let doc = "{\"access_token\":\"SECRETTOKEN\",\"expires_in\":\"3599\",\"token_type\":\"Bearer\",\"error_codes\":[1,2],\"x\":{\"y\":[null,true]}}";
        let truncated = doc.get(..cut.min(doc.len())).unwrap_or(doc);
        match mi(status, truncated) {
            Ok(tok) => prop_assert_eq!(tok.token.expose(), "SECRETTOKEN"),
            Err(e) => prop_assert!(!e.message().contains("SECRETTOKEN"), "{}", e),
        }
    }
}

fn form(body: &str) -> Vec<(String, String)> {
    crate::encoding::split_query(body).unwrap()
}

#[test]
fn client_credentials_requests() {
    let r = TokenRequest::with_secret("contoso.onmicrosoft.com", "cid", Secret::new("s3cr=t&x y"))
        .build()
        .unwrap();
    assert_eq!(
        r.url,
        "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token"
    );
    assert_eq!(r.method, Method::Post);
    assert_eq!(
        form(&r.body),
        [
            ("grant_type", "client_credentials"),
            ("client_id", "cid"),
            ("client_secret", "s3cr=t&x y"),
            ("scope", "https://storage.azure.com/.default"),
        ]
        .map(|(a, b)| (a.to_string(), b.to_string()))
    );
    assert!(!format!("{r:?}").contains("s3cr"));
    let mut a = TokenRequest::with_assertion("t", "cid", Secret::new("eyJhbGciOi.x.y"));
    a.authority_host = Some("https://login.microsoftonline.us/".into());
    let r = a.build().unwrap();
    assert_eq!(
        r.url,
        "https://login.microsoftonline.us/t/oauth2/v2.0/token"
    );
    assert!(r.body.contains("&client_assertion=eyJhbGciOi.x.y&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer&"));
    a.authority_host = Some("http://127.0.0.1:8080".into());
    assert_eq!(
        a.build().unwrap().url,
        "http://127.0.0.1:8080/t/oauth2/v2.0/token"
    );
}

#[test]
fn bad_client_credentials_requests() {
    let ok = TokenRequest::with_secret("t", "c", Secret::new("s"));
    let both = TokenRequest {
        client_assertion: Some(Secret::new("a")),
        ..ok.clone()
    };
    let neither = TokenRequest {
        client_secret: None,
        ..ok.clone()
    };
    for (r, code) in [
        (both, "INVALID_CREDENTIALS"),
        (neither, "INVALID_CREDENTIALS"),
        (
            TokenRequest {
                tenant_id: "a/b".into(),
                ..ok.clone()
            },
            "INVALID_CREDENTIALS",
        ),
        (
            TokenRequest {
                tenant_id: String::new(),
                ..ok.clone()
            },
            "INVALID_CREDENTIALS",
        ),
        (
            TokenRequest {
                client_id: String::new(),
                ..ok.clone()
            },
            "INVALID_CREDENTIALS",
        ),
        (
            TokenRequest {
                client_secret: Some(Secret::new("")),
                ..ok.clone()
            },
            "INVALID_CREDENTIALS",
        ),
        (
            TokenRequest {
                authority_host: Some("http://login.example.com".into()),
                ..ok.clone()
            },
            "INVALID_ENDPOINT",
        ),
        (
            TokenRequest {
                authority_host: Some("https://h/?q".into()),
                ..ok.clone()
            },
            "INVALID_ENDPOINT",
        ),
    ] {
        let e = r.build().unwrap_err();
        assert_eq!(e.code(), code, "{e}");
    }
}

#[test]
fn managed_identity_requests() {
    let r = ManagedIdentityRequest::default().build().unwrap();
    assert_eq!(
        r.url,
        "http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https%3A%2F%2Fstorage.azure.com"
    );
    assert_eq!(r.method, Method::Get);
    assert_eq!(r.headers.0, [("metadata".to_string(), "true".to_string())]);
    let r = ManagedIdentityRequest {
        resource_id: Some("/subscriptions/s/rg/x".into()),
        ..Default::default()
    }
    .build()
    .unwrap();
    assert!(
        r.url.ends_with("&msi_res_id=%2Fsubscriptions%2Fs%2Frg%2Fx"),
        "{}",
        r.url
    );
    let app = ManagedIdentityRequest {
        endpoint: Some("http://127.0.0.1:41741/msi/token/".into()),
        identity_header: Some(Secret::new("HDR")),
        resource_id: Some("/r".into()),
        ..Default::default()
    };
    let r = app.build().unwrap();
    assert_eq!(
        r.url,
        "http://127.0.0.1:41741/msi/token/?api-version=2019-08-01&resource=https%3A%2F%2Fstorage.azure.com&mi_res_id=%2Fr"
    );
    assert!(r
        .headers
        .iter()
        .any(|(n, v)| n == "x-identity-header" && v == "HDR"));
    assert!(!format!("{r:?}").contains("HDR") && !format!("{app:?}").contains("HDR"));
    for bad in [
        ManagedIdentityRequest {
            client_id: Some("a".into()),
            object_id: Some("b".into()),
            ..Default::default()
        },
        ManagedIdentityRequest {
            client_id: Some(String::new()),
            ..Default::default()
        },
        ManagedIdentityRequest {
            identity_header: Some(Secret::new("h")),
            ..Default::default()
        },
        ManagedIdentityRequest {
            endpoint: Some("ftp://x".into()),
            ..Default::default()
        },
    ] {
        assert!(bad.build().is_err());
    }
}

/// No error quotes what the caller passed: a canary in every option that can be refused.
#[test]
fn errors_quote_no_input() {
    const C: &str = "CANARY";
    let base = TokenRequest::with_secret("t", "c", Secret::new("s"));
    let bad_tokens = [
        TokenRequest {
            tenant_id: format!("{C}/x"),
            ..base.clone()
        },
        TokenRequest {
            client_id: format!("{C}\u{7}"),
            ..base.clone()
        },
        TokenRequest {
            client_assertion: Some(Secret::new(C)),
            ..base.clone()
        },
        TokenRequest {
            authority_host: Some(format!("ftp://{C}")),
            ..base.clone()
        },
        TokenRequest {
            authority_host: Some(format!("http://{C}.example.com")),
            ..base.clone()
        },
        TokenRequest {
            authority_host: Some(format!("https://h/{C}?q")),
            ..base.clone()
        },
    ];
    for r in bad_tokens {
        let e = r.build().unwrap_err();
        assert!(!e.message().contains(C), "{e}");
    }
    let bad_mi = [
        ManagedIdentityRequest {
            client_id: Some(C.into()),
            object_id: Some(C.into()),
            ..Default::default()
        },
        ManagedIdentityRequest {
            resource_id: Some(format!("{C}\n")),
            ..Default::default()
        },
        ManagedIdentityRequest {
            endpoint: Some(format!("ftp://{C}")),
            ..Default::default()
        },
        ManagedIdentityRequest {
            endpoint: Some(format!("http://h/{C}%zz")),
            ..Default::default()
        },
        ManagedIdentityRequest {
            identity_header: Some(Secret::new(C)),
            ..Default::default()
        },
        ManagedIdentityRequest {
            resource: Some(format!("{C}\u{0}")),
            ..Default::default()
        },
    ];
    for r in bad_mi {
        let e = r.build().unwrap_err();
        assert!(!e.message().contains(C), "{e}");
    }
}
