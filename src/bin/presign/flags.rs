//! The flags the URL signer (`presign TARGET`) and `presign post` share, declared once, and the
//! request members they make (written with the crate's JSON writer, checked once).

use super::Failure;
use presign::json::Object;
use presign::Timestamp;

/// Where the URL points.
#[derive(clap::Args, Debug)]
pub struct Location {
    /// Custom endpoint: an S3-compatible store, an Azure or GCS emulator, e.g. http://127.0.0.1:9000.
    #[arg(long)]
    pub endpoint: Option<String>,
    /// Region of the signature's credential scope (S3).
    #[arg(long)]
    pub region: Option<String>,
    /// Path-style URL (https://host/bucket/key) instead of virtual-hosted (S3, GCS).
    #[arg(long, conflicts_with = "virtual_hosted")]
    pub path_style: bool,
    /// Virtual-hosted URL (https://bucket.host/key); an error if the bucket name does not allow
    /// it (S3, GCS).
    #[arg(long)]
    pub virtual_hosted: bool,
    /// Use the dual-stack AWS endpoint (S3).
    #[arg(long)]
    pub dualstack: bool,
    /// Use S3 Transfer Acceleration.
    #[arg(long)]
    pub accelerate: bool,
    /// Use the FIPS AWS endpoint (S3).
    #[arg(long)]
    pub fips: bool,
    /// The store's profile (S3): aws, r2, b2, minio, seaweedfs, wasabi, gcs-xml, custom.
    #[arg(long, value_name = "STORE")]
    pub store: Option<String>,
    /// R2's account id (with --store r2): the endpoint is https://ID.r2.cloudflarestorage.com.
    #[arg(long, value_name = "ID")]
    pub account_id: Option<String>,
}

impl Location {
    /// Checks that each flag given applies to `provider` (`"s3"`, `"azure"` or `"gcs"`), then
    /// writes `store`, `accountId`, `endpoint` (the flag, else `target_endpoint`), `region`,
    /// `urlStyle`, `dualstack`, `accelerate` and `fips`.
    ///
    /// # Errors
    /// [`Failure::Usage`] naming the flag that does not apply.
    pub fn write<'o>(
        &self,
        provider: &str,
        target_endpoint: Option<&str>,
        mut o: Object<'o>,
    ) -> Result<Object<'o>, Failure> {
        if self.region.is_some() && provider != "s3" {
            return Err(Failure::Usage("--region applies to S3 targets only".into()));
        }
        let style = if self.path_style {
            Some("path")
        } else if self.virtual_hosted {
            Some("virtualHosted")
        } else {
            None
        };
        if style.is_some() && provider == "azure" {
            return Err(Failure::Usage(
                "--path-style/--virtual-hosted apply to S3 and GCS targets".into(),
            ));
        }
        let variants = [
            ("dualstack", self.dualstack),
            ("accelerate", self.accelerate),
            ("fips", self.fips),
        ];
        if variants.iter().any(|v| v.1) && provider != "s3" {
            return Err(Failure::Usage(
                "--dualstack, --accelerate and --fips apply to S3 targets only".into(),
            ));
        }
        if (self.store.is_some() || self.account_id.is_some()) && provider != "s3" {
            return Err(Failure::Usage(
                "--store and --account-id apply to S3 targets only".into(),
            ));
        }
        if let Some(s) = &self.store {
            o = o.str("store", s);
        }
        if let Some(a) = &self.account_id {
            o = o.str("accountId", a);
        }
        if let Some(e) = self.endpoint.as_deref().or(target_endpoint) {
            o = o.str("endpoint", e);
        }
        if let Some(r) = &self.region {
            o = o.str("region", r);
        }
        if let Some(s) = style {
            o = o.str("urlStyle", s);
        }
        for (name, on) in variants {
            if on {
                o = o.raw(name, "true");
            }
        }
        Ok(o)
    }
}

/// How long, as of when, and what to do about credentials that expire first.
#[derive(clap::Args, Debug)]
pub struct Validity {
    /// Lifetime: seconds or 90s, 15m, 1h, 7d (max 7d).
    #[arg(short, long, default_value = "1h")]
    pub expires: String,
    /// Sign as of this instant (RFC 3339) instead of now.
    #[arg(long, value_name = "RFC3339")]
    pub at: Option<String>,
    /// When temporary credentials expire before the URL: warn, error or clamp (S3).
    #[arg(long, default_value = "warn", value_name = "POLICY")]
    pub credential_expiry: String,
}

impl Validity {
    /// `--expires` in seconds.
    ///
    /// # Errors
    /// [`Failure::Usage`] when it is not a lifetime.
    pub fn expires_in(&self) -> Result<u64, Failure> {
        presign::time::parse_duration(&self.expires)
            .map_err(|e| Failure::Usage(format!("--expires: {}", e.message())))
    }

    /// Writes `credentialExpiry` (S3 only).
    pub fn write_credential_expiry<'o>(&self, provider: &str, o: Object<'o>) -> Object<'o> {
        if provider == "s3" {
            o.str("credentialExpiry", &self.credential_expiry)
        } else {
            o
        }
    }

    /// Writes `signedAt` when `--at` is given.
    ///
    /// # Errors
    /// [`Failure::Usage`] when `--at` is not an RFC 3339 date-time.
    pub fn write_signed_at<'o>(&self, o: Object<'o>) -> Result<Object<'o>, Failure> {
        let Some(at) = &self.at else { return Ok(o) };
        Timestamp::parse_rfc3339(at)
            .map_err(|e| Failure::Usage(format!("--at: {}", e.message())))?;
        Ok(o.str("signedAt", at))
    }
}
