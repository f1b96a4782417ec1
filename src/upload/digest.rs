//! The checksum a part carries: the algorithm the provider verifies, the digest each part needs.

use super::Provider;
use crate::checksum::{Algorithm, Checksum};
use crate::error::{Error, Result};
use crate::prelude::*;

/// The algorithm must be one the provider verifies.
pub(super) fn check_algorithm(provider: Provider, algorithm: Option<Algorithm>) -> Result<()> {
    match algorithm {
        Some(a) if !provider.verifies(a) => {
            let verified: Vec<&str> = Algorithm::ALL
                .iter()
                .filter(|a| provider.verifies(**a))
                .map(|a| a.name())
                .collect();
            Err(Error::InvalidRequest(format!(
                "`checksum`: {} does not verify {} (it verifies {})",
                provider.as_str(),
                a.name(),
                verified.join(", ")
            )))
        }
        _ => Ok(()),
    }
}

/// The digest a part carries: required with an algorithm, refused without one.
pub(super) fn digest(
    provider: Provider,
    algorithm: Option<Algorithm>,
    value: Option<&str>,
) -> Result<Option<Checksum>> {
    check_algorithm(provider, algorithm)?;
    match (algorithm, value) {
        (None, None) => Ok(None),
        (Some(a), Some(v)) => Checksum::from_base64(a, v)
            .map(Some)
            .map_err(|e| Error::InvalidRequest(format!("`checksum`: {}", e.message()))),
        (Some(a), None) => Err(Error::InvalidRequest(format!(
            "`checksum`: the upload names {}: each part needs its digest",
            a.name()
        ))),
        (None, Some(_)) => Err(Error::InvalidRequest(
            "`checksum`: a digest without an algorithm: name it in the plan (`checksum`)".into(),
        )),
    }
}

pub(super) fn part_digest_error(i: usize, algorithm: Option<Algorithm>) -> Error {
    Error::InvalidRequest(match algorithm {
        Some(a) => format!(
            "`parts[{i}].checksum`: the part's {} digest, {} bytes in standard base64",
            a.name(),
            a.digest_len()
        ),
        None => format!("`parts[{i}].checksum`: the upload names no checksum algorithm"),
    })
}
