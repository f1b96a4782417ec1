//! The part-size rule: how many parts of what size an object of a given size takes within a
//! provider's [`Limits`](super::Limits).

use super::{PartRange, Provider, DEFAULT_PART_SIZE};
use crate::error::{Error, Result};
use crate::prelude::*;

pub(super) const MIB: u64 = 1 << 20;
pub(super) const GIB: u64 = 1 << 30;

/// The part size and count for `size` bytes (see [`UploadRequest::layout`](super::UploadRequest::layout)).
pub(super) fn layout(provider: Provider, size: u64, part_size: Option<u64>) -> Result<(u64, u32)> {
    let l = provider.limits();
    if size == 0 {
        return Err(Error::InvalidRequest(
            "`size`: an upload in parts needs at least 1 byte (send an empty object with one PUT)"
                .into(),
        ));
    }
    let max_size = l.max_part.saturating_mul(u64::from(l.max_parts));
    if size > max_size {
        return Err(Error::InvalidRequest(format!(
            "`size`: {} takes at most {} parts of at most {} MiB",
            provider.as_str(),
            l.max_parts,
            l.max_part / MIB
        )));
    }
    let part = match part_size {
        Some(p) => {
            if p == 0 || p > l.max_part {
                return Err(Error::InvalidRequest(format!(
                    "`partSize`: {} parts are 1 byte to {} MiB",
                    provider.as_str(),
                    l.max_part / MIB
                )));
            }
            // The minimum binds every part but the last: a single part may be smaller.
            if p < l.min_part && p < size {
                return Err(Error::InvalidRequest(format!(
                    "`partSize`: {} parts but the last are at least {} MiB",
                    provider.as_str(),
                    l.min_part / MIB
                )));
            }
            p
        }
        None => {
            let needed = size.div_ceil(u64::from(l.max_parts)).div_ceil(MIB) * MIB;
            needed.max(DEFAULT_PART_SIZE).min(l.max_part)
        }
    };
    let count = size.div_ceil(part);
    let count = u32::try_from(count)
        .ok()
        .filter(|c| *c <= l.max_parts)
        .ok_or_else(|| {
            Error::InvalidRequest(format!(
                "`partSize`: too small for `size`: {} takes at most {} parts",
                provider.as_str(),
                l.max_parts
            ))
        })?;
    Ok((part, count))
}

/// Part `number`'s bytes of a layout.
pub(super) fn part_range(size: u64, part_size: u64, count: u32, number: u32) -> Result<PartRange> {
    if number == 0 || number > count {
        return Err(Error::InvalidRequest(
            "`partNumber`: not a part of this upload (parts are numbered from 1)".into(),
        ));
    }
    let offset = u64::from(number - 1) * part_size;
    Ok(PartRange {
        number,
        offset,
        length: part_size.min(size - offset),
    })
}
