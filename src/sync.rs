//! The crate's shared state, one home for the std / no-std split: a lock (the key cache) and a
//! value made once (the wasm module's signers). With std they are std's `Mutex` and `OnceLock`;
//! in the browser wasm (`no_std_wasm`: no std) spin's. wasm has one thread, so nothing ever waits
//! for them there (see `Lock::with` for the lock a trap leaves held).

/// A lock around `T`.
#[cfg(url_signer)]
pub(crate) struct Lock<T>(
    #[cfg(not(no_std_wasm))] std::sync::Mutex<T>,
    #[cfg(no_std_wasm)] spin::mutex::SpinMutex<T>,
);

#[cfg(url_signer)]
impl<T> Lock<T> {
    pub(crate) const fn new(value: T) -> Self {
        #[cfg(not(no_std_wasm))]
        return Lock(std::sync::Mutex::new(value));
        #[cfg(no_std_wasm)]
        return Lock(spin::mutex::SpinMutex::new(value));
    }

    /// Runs `f` on the value, holding the lock.
    pub(crate) fn with<R>(&self, f: impl FnOnce(&mut T) -> R) -> R
    where
        T: Default,
    {
        // wasm has one thread: the lock is found held only after a trap inside `f` left it so
        // (nothing unwinds to unlock it). Waiting then would hang the page (spin) or trap again
        // (std) for good; `f` runs on a fresh value instead (for the key cache: keys derived
        // anew, the same signatures).
        #[cfg(all(target_arch = "wasm32", not(no_std_wasm)))]
        let held = self.0.try_lock().ok();
        #[cfg(no_std_wasm)]
        let held = self.0.try_lock();
        #[cfg(target_arch = "wasm32")]
        return match held {
            Some(mut guard) => f(&mut guard),
            None => f(&mut T::default()),
        };
        // A poisoned lock only means another thread panicked while holding it; the caller's
        // values stay whole (the cache pushes whole entries), so keep using them.
        #[cfg(not(target_arch = "wasm32"))]
        return f(&mut self.0.lock().unwrap_or_else(|p| p.into_inner()));
    }
}

#[cfg(url_signer)]
impl<T> core::fmt::Debug for Lock<T> {
    /// Nothing of the value (a key cache, a request with credentials).
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("Lock(..)")
    }
}

/// A value made on first use.
#[cfg(once_values)]
pub(crate) struct Once<T>(
    #[cfg(not(no_std_wasm))] std::sync::OnceLock<T>,
    #[cfg(no_std_wasm)] spin::once::Once<T>,
);

#[cfg(once_values)]
impl<T> Once<T> {
    pub(crate) const fn new() -> Self {
        #[cfg(not(no_std_wasm))]
        return Once(std::sync::OnceLock::new());
        #[cfg(no_std_wasm)]
        return Once(spin::once::Once::new());
    }

    /// The value, made by `make` on the first call. (Without std a `make` that trapped would
    /// leave spin's cell making for good; the crate's makers allocate nothing and cannot trap:
    /// `Signer::new`, `PostSigner::new`, `Uploads::new`, the CRC tables.)
    pub(crate) fn get_or_init(&self, make: impl FnOnce() -> T) -> &T {
        #[cfg(not(no_std_wasm))]
        return self.0.get_or_init(make);
        #[cfg(no_std_wasm)]
        return self.0.call_once(make);
    }
}
