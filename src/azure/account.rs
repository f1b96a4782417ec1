//! What only an account SAS has: the services (`ss`) and resource types (`srt`) it covers, and
//! none of the resource, stored policy or response-header members of a service SAS.

use super::{AzureRequest, ResourceTypes, Services};
use crate::error::msg;
use crate::error::{Error, Result};
use crate::prelude::*;

/// Refuses the members an account SAS does not have.
pub(super) fn check(req: &AzureRequest) -> Result<()> {
    if req.resource.is_some() {
        return Err(Error::InvalidRequest(msg!("resource applies to a service or user-delegation SAS; an account SAS names resourceTypes")));
    }
    if req.identifier.is_some() {
        return Err(Error::Unsupported(msg!(
            "an account SAS cannot name a stored access policy (identifier)"
        )));
    }
    if !req.response_headers.is_empty() {
        return Err(Error::Unsupported(msg!(
            "response header overrides exist only in a service or user-delegation SAS"
        )));
    }
    Ok(())
}

/// `ss` (default `b`) and `srt` (default from the URL: `o` with a blob, `c` with a container,
/// else `s`), in canonical order.
pub(super) fn services_and_resource_types(req: &AzureRequest) -> Result<(String, String)> {
    let services = req.services.unwrap_or(Services::BLOB);
    let resource_types = match req.resource_types {
        Some(v) => v,
        None if req.blob.is_some() => ResourceTypes::OBJECT,
        None if req.container.is_some() => ResourceTypes::CONTAINER,
        None => ResourceTypes::SERVICE,
    };
    Ok((
        services.sas_letters("services")?,
        resource_types.sas_letters("resourceTypes")?,
    ))
}
