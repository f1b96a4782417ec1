//! The crate's shared state, one home for the std / no-std split: a lock (the key cache) and a
//! value made once (the wasm module's signers). With std they are std's `Mutex` and `OnceLock`;
//! in the browser wasm (`no_std_wasm`: no std, one thread) spin's, which never wait there, since
//! nothing else can hold them.

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
    pub(crate) fn with<R>(&self, f: impl FnOnce(&mut T) -> R) -> R {
        // A poisoned lock only means another thread panicked while holding it; the caller's
        // values stay whole (the cache pushes whole entries), so keep using them.
        #[cfg(not(no_std_wasm))]
        let mut guard = self.0.lock().unwrap_or_else(|p| p.into_inner());
        #[cfg(no_std_wasm)]
        let mut guard = self.0.lock();
        f(&mut guard)
    }
}

/// A value made on first use.
#[cfg(any(wasm_url, all(feature = "wasm", feature = "post"), feature = "upload"))]
pub(crate) struct Once<T>(
    #[cfg(not(no_std_wasm))] std::sync::OnceLock<T>,
    #[cfg(no_std_wasm)] spin::once::Once<T>,
);

#[cfg(any(wasm_url, all(feature = "wasm", feature = "post"), feature = "upload"))]
impl<T> Once<T> {
    pub(crate) const fn new() -> Self {
        #[cfg(not(no_std_wasm))]
        return Once(std::sync::OnceLock::new());
        #[cfg(no_std_wasm)]
        return Once(spin::once::Once::new());
    }

    /// The value, made by `make` on the first call.
    pub(crate) fn get_or_init(&self, make: impl FnOnce() -> T) -> &T {
        #[cfg(not(no_std_wasm))]
        return self.0.get_or_init(make);
        #[cfg(no_std_wasm)]
        return self.0.call_once(make);
    }
}
