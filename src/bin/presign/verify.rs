//! `presign verify`: checks a presigned URL as the storage server would (signature, expiry,
//! signed headers, scope, SAS permissions, IP range). Keys come from the same environment
//! variables the signer reads.
//!
//! Exit codes: 0 valid, 1 invalid, 2 usage error (including unreadable credentials).

use super::{env, now};
use presign::azure::{ConnectionString, UserDelegationKey};
use presign::gcs::ServiceAccountKey;
use presign::s3::Credentials;
use presign::verify::RsaPublicKey;
use presign::verify::{
    result_json, verify, IncomingRequest, KeyId, KeyLookup, Keyring, VerifyKey, VerifyOptions,
};
use presign::{Method, Timestamp};
use std::io::Write;
use std::process::ExitCode;

/// Arguments of `presign verify`.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Keys: S3 AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY (+ AWS_SESSION_TOKEN); \
Azure AZURE_STORAGE_CONNECTION_STRING, or AZURE_STORAGE_ACCOUNT + AZURE_STORAGE_KEY, or \
--user-delegation-key; GCS GCS_HMAC_ACCESS_ID + GCS_HMAC_SECRET, GOOGLE_APPLICATION_CREDENTIALS \
(its public half), or --gcs-public-key.\n\n\
Examples:\n  presign verify \"$URL\" --method PUT -H 'Content-Type: image/jpeg'\n  \
presign verify \"$SAS_URL\" --client-ip 10.0.0.5 --json\n\n\
Exit codes: 0 valid, 1 invalid, 2 usage error."
)]
pub struct VerifyArgs {
    /// The URL exactly as the server received it (scheme://host[:port]/path?query).
    url: String,
    /// The request's method: GET, PUT, HEAD, DELETE, POST.
    #[arg(short = 'X', long, default_value = "GET")]
    method: String,
    /// A header the request carries, "Name: value" (repeatable).
    #[arg(short = 'H', long = "header", value_name = "NAME: VALUE")]
    headers: Vec<String>,
    /// The client's address; checks an Azure SAS IP range (sip).
    #[arg(long, value_name = "IP")]
    client_ip: Option<String>,
    /// Verify as of this instant (RFC 3339) instead of now.
    #[arg(long, value_name = "RFC3339")]
    at: Option<String>,
    /// How far in the future a request may be dated: seconds or 90s, 15m, 1h.
    #[arg(long, default_value = "15m")]
    clock_skew: String,
    /// The region this server answers for (S3 / GCS credential scope).
    #[arg(long)]
    region: Option<String>,
    /// The host[:port] this server answers for.
    #[arg(long)]
    host: Option<String>,
    /// An Azure user-delegation key: a JSON file {signedOid, signedTid, signedStart, signedExpiry, signedService, signedVersion, value}.
    #[arg(long, value_name = "FILE")]
    user_delegation_key: Option<String>,
    /// A GCS service account's public key or certificate, EMAIL=PEM_FILE (repeatable).
    #[arg(long, value_name = "EMAIL=FILE")]
    gcs_public_key: Vec<String>,
    /// Print the verdict as JSON.
    #[arg(long)]
    json: bool,
    /// Also print the canonical request and string to sign (never the expected signature).
    #[arg(long)]
    debug: bool,
}

fn usage(msg: String) -> ExitCode {
    eprintln!("presign verify: {msg}");
    eprintln!("Try 'presign verify --help'.");
    ExitCode::from(2)
}

/// The environment's keys, plus a user-delegation key accepted for any account.
struct Keys {
    ring: Keyring,
    udk: Option<UserDelegationKey>,
}

impl KeyLookup for Keys {
    fn lookup(&self, id: &KeyId<'_>) -> Option<VerifyKey> {
        self.ring.lookup(id).or_else(|| match (id, &self.udk) {
            (KeyId::AzureUserDelegation { .. }, Some(k)) => {
                Some(VerifyKey::AzureUserDelegation(k.clone()))
            }
            _ => None,
        })
    }
}

fn read_keys(a: &VerifyArgs) -> Result<Keys, String> {
    let mut ring = Keyring::new();
    if let (Some(id), Some(secret)) = (env("AWS_ACCESS_KEY_ID"), env("AWS_SECRET_ACCESS_KEY")) {
        let mut c = Credentials::new(id, secret);
        if let Some(t) = env("AWS_SESSION_TOKEN") {
            c = c.with_session_token(t);
        }
        ring = ring.with_s3(c);
    }
    if let Some(cs) = env("AZURE_STORAGE_CONNECTION_STRING") {
        let cs = ConnectionString::parse(&cs)
            .map_err(|e| format!("AZURE_STORAGE_CONNECTION_STRING: {}", e.message()))?;
        if let (Some(account), Some(key)) = (&cs.account_name, cs.account_key) {
            ring = ring.with_azure_account_key(account, key);
        }
    } else if let (Some(account), Some(key)) =
        (env("AZURE_STORAGE_ACCOUNT"), env("AZURE_STORAGE_KEY"))
    {
        ring = ring.with_azure_account_key(&account, key);
    }
    if let (Some(id), Some(secret)) = (env("GCS_HMAC_ACCESS_ID"), env("GCS_HMAC_SECRET")) {
        ring = ring.with_gcs_hmac(&id, secret);
    }
    if let Some(path) = env("GOOGLE_APPLICATION_CREDENTIALS") {
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("GOOGLE_APPLICATION_CREDENTIALS: cannot read {path:?}: {e}"))?;
        let sa: ServiceAccountKey = presign::json::from_str(&text).map_err(|_| {
            format!("GOOGLE_APPLICATION_CREDENTIALS: {path:?} is not a JSON key file")
        })?;
        if let Some(pem) = &sa.private_key {
            let key = RsaPublicKey::from_private_key_pem(pem.expose())
                .map_err(|e| format!("GOOGLE_APPLICATION_CREDENTIALS: {}", e.message()))?;
            ring = ring.with_gcs_public_key(&sa.client_email, key);
        }
    }
    for spec in &a.gcs_public_key {
        let (email, path) = spec
            .split_once('=')
            .ok_or_else(|| "--gcs-public-key must be EMAIL=PEM_FILE".to_owned())?;
        let pem = std::fs::read_to_string(path)
            .map_err(|e| format!("--gcs-public-key: cannot read {path:?}: {e}"))?;
        let key = RsaPublicKey::from_pem(&pem)
            .map_err(|e| format!("--gcs-public-key {path:?}: {}", e.message()))?;
        ring = ring.with_gcs_public_key(email, key);
    }
    let udk = match &a.user_delegation_key {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| format!("--user-delegation-key: cannot read {path:?}: {e}"))?;
            Some(
                presign::json::from_str::<UserDelegationKey>(&text)
                    .map_err(|e| format!("--user-delegation-key {path:?}: {}", e.message()))?,
            )
        }
        None => None,
    };
    Ok(Keys { ring, udk })
}

pub fn run(a: &VerifyArgs) -> ExitCode {
    let method: Method = match a.method.parse() {
        Ok(m) => m,
        Err(e) => return usage(format!("--method: {}", e.message())),
    };
    let mut headers = Vec::new();
    for h in &a.headers {
        match h.split_once(':') {
            Some((n, v)) => headers.push((n.trim().to_owned(), v.trim().to_owned())),
            None => return usage("--header must be \"Name: value\"".into()),
        }
    }
    let client_ip = match a.client_ip.as_deref().map(str::parse) {
        None => None,
        Some(Ok(ip)) => Some(ip),
        Some(Err(_)) => return usage("--client-ip must be an IPv4 or IPv6 address".into()),
    };
    let clock_skew = match presign::time::parse_duration(&a.clock_skew) {
        Ok(s) => s,
        Err(e) => return usage(format!("--clock-skew: {}", e.message())),
    };
    let at = match &a.at {
        Some(at) => Timestamp::parse_rfc3339(at).map_err(|e| format!("--at: {}", e.message())),
        None => now().map_err(|e| e.message().to_owned()),
    };
    let at = match at {
        Ok(t) => t,
        Err(m) => return usage(m),
    };
    let keys = match read_keys(a) {
        Ok(k) => k,
        Err(m) => return usage(m),
    };
    let opts = VerifyOptions {
        clock_skew,
        region: a.region.clone(),
        host: a.host.clone(),
        debug: a.debug,
    };
    let req = IncomingRequest {
        url: &a.url,
        method,
        headers: &headers,
        client_ip,
    };
    let verdict = verify(&req, &keys, at, &opts);
    let mut out = std::io::stdout().lock();
    if a.json {
        let _ = writeln!(out, "{}", result_json(&verdict));
    } else {
        match &verdict {
            Ok(v) => {
                let allowed = match &v.permissions {
                    Some((sp, letter)) => format!(" (sp={sp}: allowed by '{letter}')"),
                    None => String::new(),
                };
                let _ = writeln!(
                    out,
                    "valid: {} {} {}{allowed}, signed by {} ({}), expires {}",
                    v.provider.as_str(),
                    v.method,
                    v.resource,
                    v.key_id,
                    v.algorithm,
                    v.expires_at
                );
                if let Some(ip) = &v.ip_range {
                    if client_ip.is_none() {
                        let _ = writeln!(
                            out,
                            "note: the SAS is limited to {ip}; pass --client-ip to check it"
                        );
                    }
                }
            }
            Err(e) => {
                let _ = writeln!(out, "invalid: {e}");
            }
        }
        let debug = match &verdict {
            Ok(v) => v.debug.as_ref(),
            Err(e) => e.debug(),
        };
        if let Some(d) = debug {
            if !d.canonical_request.is_empty() {
                let _ = writeln!(out, "--- canonical request\n{}", d.canonical_request);
            }
            let _ = writeln!(out, "--- string to sign\n{}", d.string_to_sign);
        }
    }
    if verdict.is_ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
