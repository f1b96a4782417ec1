//! The resource of a service or user-delegation SAS (`sr`): a blob, its snapshot or version, a
//! container or a directory, with its canonicalized resource.

use super::permissions::PermissionScope;
use super::sas::{self, Layout};
use super::{AzureRequest, Resource};
use crate::error::{msg, msg_at};
use crate::error::{Error, Result};
use crate::prelude::*;

/// What a service or user-delegation SAS signs.
pub(super) struct Target {
    /// The permission letters' scope.
    pub scope: PermissionScope,
    /// `sr`.
    pub sr: &'static str,
    /// The canonicalized resource of the string-to-sign.
    pub canonical: String,
    /// `sdd`, for a directory.
    pub depth: Option<u32>,
}

/// Refuses the members of an account SAS, and a missing container.
pub(super) fn check(req: &AzureRequest) -> Result<()> {
    if req.services.is_some() || req.resource_types.is_some() {
        return Err(Error::InvalidRequest(msg!(
            "services and resourceTypes belong to an account SAS (sas: \"account\")"
        )));
    }
    if req.container.is_none() {
        return Err(Error::InvalidBucket(msg!(
            "a service or user-delegation SAS needs a container"
        )));
    }
    Ok(())
}

/// The target of `req` in `account` (`resource`, by default a blob when one is named, else
/// the container).
pub(super) fn target(req: &AzureRequest, account: &str, layout: Layout) -> Result<Target> {
    let container = req.container.as_deref().unwrap_or("");
    let resource = req.resource.unwrap_or(if req.blob.is_some() {
        Resource::Blob
    } else {
        Resource::Container
    });
    match resource {
        Resource::Blob => blob(req, account, container),
        Resource::Container => {
            if req.snapshot.is_some() || req.version_id.is_some() {
                return Err(Error::InvalidRequest(msg!(
                    "a container SAS cannot name a snapshot or versionId (use resource \"blob\")"
                )));
            }
            Ok(Target {
                scope: PermissionScope::Container,
                sr: "c",
                canonical: sas::canonical_resource(account, container, None),
                depth: None,
            })
        }
        Resource::Directory => directory(req, account, container, layout),
    }
}

/// A blob (`b`), its snapshot (`bs`) or its version (`bv`).
fn blob(req: &AzureRequest, account: &str, container: &str) -> Result<Target> {
    let blob = req
        .blob
        .as_deref()
        .ok_or_else(|| Error::InvalidKey(msg!("a blob SAS needs a blob name")))?;
    let sr = match (&req.snapshot, &req.version_id) {
        (Some(_), Some(_)) => {
            return Err(Error::InvalidRequest(msg!(
                "give snapshot or versionId, not both"
            )))
        }
        (Some(_), None) => "bs",
        (None, Some(_)) => "bv",
        (None, None) => "b",
    };
    Ok(Target {
        scope: PermissionScope::Blob,
        sr,
        canonical: sas::canonical_resource(account, container, Some(blob)),
        depth: None,
    })
}

/// A directory of a hierarchical-namespace account (`d`, with its depth `sdd`).
fn directory(req: &AzureRequest, account: &str, container: &str, layout: Layout) -> Result<Target> {
    let dir = req
        .blob
        .as_deref()
        .ok_or_else(|| Error::InvalidKey(msg!("a directory SAS names its directory in blob")))?;
    if dir.starts_with('/') || dir.ends_with('/') {
        return Err(Error::InvalidKey(msg!(
            "a directory SAS's directory must not start or end with '/'"
        )));
    }
    if req.snapshot.is_some() || req.version_id.is_some() {
        return Err(Error::InvalidRequest(msg!(
            "a directory SAS cannot name a snapshot or versionId"
        )));
    }
    if layout == Layout::V2015_04_05 {
        return Err(Error::Unsupported(msg_at!(
            "resource",
            "a directory SAS needs signed version 2020-02-10 or later"
        )));
    }
    let depth = u32::try_from(crate::text::split_byte(dir, b'/').count()).unwrap_or(u32::MAX);
    Ok(Target {
        scope: PermissionScope::Directory,
        sr: "d",
        canonical: sas::canonical_resource(account, container, Some(dir)),
        depth: Some(depth),
    })
}
