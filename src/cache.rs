//! The one cache of derived key material (SigV4/GOOG4 signing keys, decoded Azure keys, parsed
//! RSA keys): a few recent entries, found by a linear scan, oldest evicted first. Entries hold
//! their secret inputs zeroized (the caller's entry type does that); `Debug` prints only how many
//! entries there are. Safe to share between threads.

use crate::prelude::*;
use crate::sync::Lock;

/// A small bounded cache of `E` entries.
pub(crate) struct KeyCache<E> {
    entries: Lock<Vec<E>>,
    capacity: usize,
}

impl<E> KeyCache<E> {
    /// An empty cache that keeps at most `capacity` entries.
    pub(crate) const fn new(capacity: usize) -> Self {
        KeyCache {
            entries: Lock::new(Vec::new()),
            capacity,
        }
    }

    /// `read` of the first entry `hit` matches; on a miss, `make` builds an entry (or fails,
    /// leaving the cache as it was), which is stored (evicting the oldest when full) and read.
    pub(crate) fn get<R, X>(
        &self,
        hit: impl Fn(&E) -> bool,
        read: impl Fn(&E) -> R,
        make: impl FnOnce() -> Result<E, X>,
    ) -> Result<R, X> {
        self.entries.with(|entries| {
            if let Some(e) = entries.iter().find(|e| hit(e)) {
                return Ok(read(e));
            }
            let e = make()?;
            let out = read(&e);
            if entries.len() >= self.capacity && !entries.is_empty() {
                entries.remove(0);
            }
            entries.push(e);
            Ok(out)
        })
    }

    /// How many entries are held.
    pub(crate) fn len(&self) -> usize {
        self.entries.with(|e| e.len())
    }
}

impl<E> core::fmt::Debug for KeyCache<E> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "KeyCache({} keys)", self.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{Error, Result};

    #[test]
    fn hits_reuse_misses_build_and_the_oldest_goes_first() {
        let c: KeyCache<(u32, String)> = KeyCache::new(2);
        let get = |k: u32| -> Result<String> {
            c.get(|e| e.0 == k, |e| e.1.clone(), || Ok((k, format!("v{k}"))))
        };
        assert_eq!(get(1).unwrap(), "v1");
        assert_eq!(get(2).unwrap(), "v2");
        assert_eq!(c.len(), 2);
        // A hit does not build: a failing builder proves it.
        assert_eq!(
            c.get(
                |e| e.0 == 1,
                |e| e.1.clone(),
                || Err(Error::Unsupported("x".into()))
            )
            .unwrap(),
            "v1"
        );
        assert_eq!(get(3).unwrap(), "v3"); // evicts 1, the oldest
        assert_eq!(c.len(), 2);
        let built = core::cell::Cell::new(false);
        c.get(
            |e| e.0 == 1,
            |_| (),
            || -> Result<_> {
                built.set(true);
                Ok((1, String::new()))
            },
        )
        .unwrap();
        assert!(built.get(), "entry 1 was evicted, so it is built again");
        assert_eq!(format!("{c:?}"), "KeyCache(2 keys)");
    }

    #[test]
    fn a_failed_build_stores_nothing() {
        let c: KeyCache<u32> = KeyCache::new(4);
        let e = c.get(
            |_| false,
            |v| *v,
            || Err(Error::InvalidCredentials("bad".into())),
        );
        assert_eq!(e.unwrap_err().code(), "INVALID_CREDENTIALS");
        assert_eq!(c.len(), 0);
    }
}
