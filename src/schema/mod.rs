//! The request schema's JSON, as the shared model reads and writes it: a small strict reader
//! that reads straight into the typed requests (each type declares its members next to its
//! definition with [`json_struct!`] / [`json_enum!`], so the schema has one definition), and a
//! small writer over the crate's one JSON string escaper. No provider is known here; the façade
//! that turns request JSON into results is [`crate::json`].

mod read;
mod typed;
mod write;

pub use read::{from_str, missing, unknown, FromJson, Reader};
pub(crate) use typed::{
    check_required, json_enum, json_flat, json_struct, read_struct, set_field, Flat, Members,
    Placeholder,
};
pub use write::{push_str, string, Object};
