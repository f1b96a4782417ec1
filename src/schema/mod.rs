//! The request schema's JSON, as the shared model reads and writes it: a small strict reader
//! that reads straight into the typed requests (each type declares its members next to its
//! definition with [`json_struct!`] / [`json_enum!`], so the schema has one definition), and a
//! small writer over the crate's one JSON string escaper. No provider is known here; the façade
//! that turns request JSON into results is [`crate::json`].

mod read;
#[cfg(feature = "json")]
mod typed;
#[cfg(object_writer)]
mod write;

pub use read::Reader;
#[cfg(feature = "json")]
pub use read::{from_str, missing, unknown, FromJson};
#[cfg(all(feature = "json", any_signer))]
pub(crate) use typed::check_required;
#[cfg(all(feature = "json", request_reader))]
pub(crate) use typed::{json_enum, json_struct, read_struct, set_field, Members, Placeholder};
#[cfg(all(feature = "json", sigv4))]
pub(crate) use typed::{json_flat, Flat};
#[cfg(object_writer)]
pub use write::Object;
#[cfg(feature = "json")]
pub use write::{push_str, string};
