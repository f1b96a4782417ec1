//! What std's prelude gives every module and core's does not. The crate is `no_std` in the
//! browser wasm (`no_std_wasm`), so a module that names these imports them from here
//! (`use crate::prelude::*;`); with std they are the very same items.
// A prelude lists what a module may use; each feature set uses a part of it.
#![allow(unused_imports)]

pub(crate) use alloc::borrow::ToOwned;
pub(crate) use alloc::boxed::Box;
pub(crate) use alloc::string::{String, ToString};
pub(crate) use alloc::vec::Vec;
pub(crate) use alloc::{format, vec};
