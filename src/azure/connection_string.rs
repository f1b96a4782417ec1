//! Azure Storage connection strings: `Key=Value;Key=Value;…`.
//!
//! Keys are case-insensitive; a value runs to the next `;` and may contain `=` (base64 keys,
//! SAS tokens). Recognised: `DefaultEndpointsProtocol`, `AccountName`, `AccountKey`,
//! `BlobEndpoint`, `EndpointSuffix`, `SharedAccessSignature`, `UseDevelopmentStorage=true`.
//! The other services' keys (`QueueEndpoint`, `TableEndpoint`, `FileEndpoint`, the
//! `*SecondaryEndpoint`s) are accepted and ignored; any other key is an error, as is a key given
//! twice. Messages name keys, never values.
//!
//! Spec: <https://learn.microsoft.com/azure/storage/common/storage-configure-connection-string>.

use crate::error::msg;
use crate::error::{Error, Result};
use crate::prelude::*;
use crate::types::Secret;

/// Azurite's / the storage emulator's account.
pub const DEV_ACCOUNT: &str = "devstoreaccount1";
/// Azurite's / the storage emulator's well-known account key (public, documented by Microsoft).
pub const DEV_ACCOUNT_KEY: &str =
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
/// Azurite's blob endpoint (path style: the account is the first path segment).
pub const DEV_BLOB_ENDPOINT: &str = "http://127.0.0.1:10000/devstoreaccount1";

/// A parsed connection string. `Debug` redacts the key and the SAS.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ConnectionString {
    /// `AccountName`.
    pub account_name: Option<String>,
    /// `AccountKey` (base64).
    pub account_key: Option<Secret>,
    /// `SharedAccessSignature`, without a leading `?`.
    pub shared_access_signature: Option<Secret>,
    /// `BlobEndpoint`.
    pub blob_endpoint: Option<String>,
    /// `DefaultEndpointsProtocol` (default `https`).
    pub protocol: Option<&'static str>,
    /// `EndpointSuffix` (default `core.windows.net`).
    pub endpoint_suffix: Option<String>,
}

/// The keys a connection string may hold, lower-case: the ones [`ConnectionString::parse`] reads
/// (by position), then the other services' keys, accepted and ignored.
const KEYS: [&str; 15] = [
    "defaultendpointsprotocol",
    "accountname",
    "accountkey",
    "blobendpoint",
    "endpointsuffix",
    "sharedaccesssignature",
    "usedevelopmentstorage",
    "developmentstorageproxyuri",
    "queueendpoint",
    "tableendpoint",
    "fileendpoint",
    "blobsecondaryendpoint",
    "queuesecondaryendpoint",
    "tablesecondaryendpoint",
    "filesecondaryendpoint",
];

/// A malformed connection string; `why` names the part, never its text.
fn bad(why: String) -> Error {
    Error::InvalidCredentials(msg!("connection string: {why}"))
}

impl ConnectionString {
    /// Parses a connection string.
    ///
    /// `UseDevelopmentStorage=true` gives Azurite's account, well-known key and endpoint
    /// ([`DEV_BLOB_ENDPOINT`]) and cannot be combined with other keys.
    ///
    /// # Errors
    /// [`Error::InvalidCredentials`] for a malformed string (a part without `=`, an unknown or
    /// repeated key, an empty value, neither account nor blob endpoint, neither key nor SAS) and
    /// [`Error::Unsupported`] for `DevelopmentStorageProxyUri`.
    pub fn parse(s: &str) -> Result<Self> {
        // Parts are counted from 0 at each ';'; a message names the part, never its text.
        let mut cs = ConnectionString::default();
        let mut dev = false;
        // The keys given so far, a bit per position in KEYS.
        let mut seen = 0u32;
        for (i, part) in crate::text::split_byte(s, b';').enumerate() {
            let part = part.trim();
            if part.is_empty() {
                continue;
            }
            let Some((k, v)) = crate::text::split_once_byte(part, b'=', false) else {
                return Err(bad(msg!(
                    "every part must be Key=Value (a part has no '=')"
                )));
            };
            let (k, v) = (k.trim(), v.trim());
            let key = KEYS.iter().position(|n| n.eq_ignore_ascii_case(k));
            let bit = key.map_or(0, |n| 1 << n);
            if seen & bit != 0 {
                return Err(bad(msg!("part {i}: the key is given twice")));
            }
            seen |= bit;
            if v.is_empty() {
                return Err(bad(msg!("part {i}: the value is empty")));
            }
            match key {
                Some(0) => {
                    cs.protocol = Some(if v.eq_ignore_ascii_case("https") {
                        "https"
                    } else if v.eq_ignore_ascii_case("http") {
                        "http"
                    } else {
                        return Err(bad(msg!("DefaultEndpointsProtocol must be https or http")));
                    })
                }
                Some(1) => cs.account_name = Some(v.to_owned()),
                Some(2) => cs.account_key = Some(Secret::new(v)),
                Some(3) => cs.blob_endpoint = Some(v.to_owned()),
                Some(4) => cs.endpoint_suffix = Some(v.to_owned()),
                Some(5) => cs.shared_access_signature = Some(Secret::new(v.strip_prefix('?').unwrap_or(v))),
                Some(6) if v.eq_ignore_ascii_case("true") => dev = true,
                Some(6) => return Err(bad(msg!("UseDevelopmentStorage must be true when given"))),
                Some(7) => return Err(Error::Unsupported(msg!("connection string: DevelopmentStorageProxyUri is not supported; give BlobEndpoint instead"))),
                Some(_) => {}
                None => return Err(bad(msg!("part {i}: unknown key"))),
            }
        }
        if dev {
            if seen.count_ones() > 1 {
                return Err(bad(msg!("UseDevelopmentStorage=true cannot be combined with other keys (write AccountName, AccountKey and BlobEndpoint instead)")));
            }
            return Ok(ConnectionString {
                account_name: Some(DEV_ACCOUNT.to_owned()),
                account_key: Some(Secret::new(DEV_ACCOUNT_KEY)),
                blob_endpoint: Some(DEV_BLOB_ENDPOINT.to_owned()),
                protocol: Some("http"),
                ..ConnectionString::default()
            });
        }
        if cs.account_name.is_none() && cs.blob_endpoint.is_none() {
            return Err(bad(msg!("it names neither AccountName nor BlobEndpoint")));
        }
        if cs.account_key.is_none() && cs.shared_access_signature.is_none() {
            return Err(bad(msg!(
                "it has neither AccountKey nor SharedAccessSignature"
            )));
        }
        if cs.account_key.is_some() && cs.account_name.is_none() {
            return Err(bad(msg!("AccountKey needs AccountName")));
        }
        Ok(cs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_portal_connection_string() {
        let cs = ConnectionString::parse(
            "DefaultEndpointsProtocol=https;AccountName=myacc;AccountKey=a2V5a2V5a2V5;EndpointSuffix=core.windows.net",
        )
        .unwrap();
        assert_eq!(cs.account_name.as_deref(), Some("myacc"));
        assert_eq!(cs.account_key.as_ref().unwrap().expose(), "a2V5a2V5a2V5");
        assert_eq!(cs.protocol, Some("https"));
        assert_eq!(cs.endpoint_suffix.as_deref(), Some("core.windows.net"));
        assert!(!format!("{cs:?}").contains("a2V5a2V5a2V5"));
    }

    #[test]
    fn keys_are_case_insensitive_and_values_keep_equals_signs() {
        let cs = ConnectionString::parse(
            " blobendpoint=https://x.example/acc ; SHAREDACCESSSIGNATURE=?sv=2025-07-05&sig=a%2Bb%3D;",
        )
        .unwrap();
        assert_eq!(cs.blob_endpoint.as_deref(), Some("https://x.example/acc"));
        assert_eq!(
            cs.shared_access_signature.as_ref().unwrap().expose(),
            "sv=2025-07-05&sig=a%2Bb%3D"
        );
        assert_eq!(cs.account_name, None);
    }

    #[test]
    fn development_storage_is_azurite() {
        let cs = ConnectionString::parse("UseDevelopmentStorage=true").unwrap();
        assert_eq!(cs.account_name.as_deref(), Some(DEV_ACCOUNT));
        assert_eq!(cs.account_key.as_ref().unwrap().expose(), DEV_ACCOUNT_KEY);
        assert_eq!(cs.blob_endpoint.as_deref(), Some(DEV_BLOB_ENDPOINT));
        assert!(ConnectionString::parse("UseDevelopmentStorage=true;AccountName=x").is_err());
        assert_eq!(
            ConnectionString::parse(
                "UseDevelopmentStorage=true;DevelopmentStorageProxyUri=http://p"
            )
            .unwrap_err()
            .code(),
            "UNSUPPORTED"
        );
    }

    #[test]
    fn malformed_strings_are_refused_without_echoing_values() {
        for s in [
            "",
            "AccountName=a",
            "AccountKey=SECRETVALUE",
            "AccountName=a;AccountKey=SECRETVALUE;AccountKey=SECRETVALUE",
            "AccountName=a;AccountKey=SECRETVALUE;Bogus=1",
            "AccountName=a;AccountKey=SECRETVALUE;junk",
            "AccountName=a;AccountKey=",
            "AccountName=a;AccountKey=SECRETVALUE;DefaultEndpointsProtocol=ftp",
            "UseDevelopmentStorage=false",
        ] {
            let e = ConnectionString::parse(s).unwrap_err();
            assert_eq!(e.code(), "INVALID_CREDENTIALS", "{s:?}");
            assert!(!e.message().contains("SECRETVALUE"), "{e}");
        }
        assert!(ConnectionString::parse(
            "AccountName=a;AccountKey=k;QueueEndpoint=https://q;TableEndpoint=https://t"
        )
        .is_ok());
    }
}
