//! The typed side of the schema reader: how a struct is read member by member
//! ([`json_struct!`], [`Members`]), how a unit enum is read from its names ([`json_enum!`]), and
//! [`FromJson`] for the shared value types (strings, secrets, numbers, lists, parameters, times,
//! methods).

use super::read::{invalid, missing, FromJson, Reader};
use crate::error::msg;
use crate::error::Result;
use crate::prelude::*;
use crate::time::Timestamp;
use crate::types::{CredentialExpiry, Method, Params, Secret};
use alloc::borrow::Cow;

/// A field's value before its member is read ([`json_struct!`] fills the struct in place):
/// the type's default, or a stand-in for types without one. A required member's stand-in never
/// leaves `from_json`: a missing member is an error.
// Unused by the builds that read no request type (cors, exchange or json alone).
#[cfg_attr(not(request_reader), allow(dead_code))]
pub(crate) trait Placeholder {
    fn placeholder() -> Self;
}

impl<T: Default> Placeholder for T {
    fn placeholder() -> Self {
        T::default()
    }
}

impl Placeholder for Timestamp {
    fn placeholder() -> Self {
        Timestamp::UNIX_EPOCH
    }
}

/// Reads a member's value into its field ([`json_struct!`]): compiled once per value type and
/// shared by every struct, instead of inlined into every member's arm (wasm size).
#[inline(never)]
// Unused by the builds that read no request type (cors, exchange or json alone).
#[cfg_attr(not(request_reader), allow(dead_code))]
pub(crate) fn set_field<T: FromJson>(field: &mut T, r: &mut Reader<'_>) -> Result<()> {
    *field = T::from_json(r)?;
    Ok(())
}

/// A struct read member by member ([`json_struct!`]): into a fresh value ([`FromJson`]), or on
/// top of a value already read — how a client object merges each call's members over its
/// configuration, so that the result equals the stateless call with both in one object.
// Unused by the builds that read no request type (cors, exchange or json alone).
#[cfg_attr(not(request_reader), allow(dead_code))]
pub(crate) trait Members: Sized {
    /// The required members' JSON names.
    const REQUIRED: &'static [&'static str];
    /// Reads an object's members into `self`; `present[i]` is set when `REQUIRED[i]` is read.
    /// A member read again replaces the earlier value (the last one wins).
    fn read_members(&mut self, r: &mut Reader<'_>, present: &mut [bool]) -> Result<()>;
    /// The value before any member is read.
    fn placeholder_struct() -> Self;
}

/// Reads one object as `T`: every required member must be present (the first missing one is
/// named).
// Unused by the builds that read no request type (cors, exchange or json alone).
#[cfg_attr(not(request_reader), allow(dead_code))]
pub(crate) fn read_struct<T: Members>(r: &mut Reader<'_>) -> Result<T> {
    let mut out = T::placeholder_struct();
    // Room for every struct's required members (the most any has is 7: a user-delegation key).
    let mut present = [false; 8];
    out.read_members(r, &mut present)?;
    check_required::<T>(&present)?;
    Ok(out)
}

/// The first required member of `T` not marked in `present`, as an error.
// Unused by the builds that read no request type (cors, exchange or json alone).
#[cfg_attr(not(request_reader), allow(dead_code))]
pub(crate) fn check_required<T: Members>(present: &[bool]) -> Result<()> {
    match T::REQUIRED
        .iter()
        .zip(present.iter().chain(core::iter::repeat(&false)))
        .find(|(_, p)| !**p)
    {
        Some((name, _)) => Err(missing(name)),
        None => Ok(()),
    }
}

impl<T: FromJson> FromJson for Option<T> {
    // Inline: merged into `set_field` for each optional field type (wasm size).
    #[inline]
    fn from_json(r: &mut Reader<'_>) -> Result<Self> {
        if r.null() {
            Ok(None)
        } else {
            T::from_json(r).map(Some)
        }
    }
}

impl FromJson for String {
    fn from_json(r: &mut Reader<'_>) -> Result<Self> {
        r.string().map(Cow::into_owned)
    }
}

impl FromJson for Secret {
    fn from_json(r: &mut Reader<'_>) -> Result<Self> {
        r.string().map(|s| Secret::new(s.into_owned()))
    }
}

impl FromJson for bool {
    fn from_json(r: &mut Reader<'_>) -> Result<Self> {
        r.bool()
    }
}

impl FromJson for u64 {
    fn from_json(r: &mut Reader<'_>) -> Result<Self> {
        r.u64()
    }
}

impl FromJson for u16 {
    /// A number from 0 to 65535 (an HTTP status).
    fn from_json(r: &mut Reader<'_>) -> Result<Self> {
        let n = r.u64()?;
        u16::try_from(n).map_err(|_| invalid(msg!("expected a number from 0 to 65535")))
    }
}

impl<T: FromJson> FromJson for Vec<T> {
    fn from_json(r: &mut Reader<'_>) -> Result<Self> {
        let mut v = Vec::new();
        r.array(|r| {
            v.push(T::from_json(r)?);
            Ok(())
        })?;
        Ok(v)
    }
}

impl FromJson for Params {
    /// An object of string values, order kept.
    fn from_json(r: &mut Reader<'_>) -> Result<Self> {
        let mut v = Vec::new();
        r.map(|r, name| {
            let value = r.string()?.into_owned();
            v.push((name.to_owned(), value));
            Ok(())
        })?;
        Ok(Params(v))
    }
}

impl FromJson for Timestamp {
    /// An RFC 3339 string, or Unix milliseconds as a non-negative integer (JavaScript's
    /// `Date.now()`; the JS bindings pass a `Date` this way, which is cheaper than its string).
    fn from_json(r: &mut Reader<'_>) -> Result<Self> {
        const WHAT: &str = "an RFC 3339 date-time (e.g. 2026-11-23T10:15:00Z) or Unix milliseconds";
        match r.next_token() {
            Some(b'0'..=b'9') => {
                let ms = r.u64()?;
                Timestamp::from_unix_millis(i64::try_from(ms).unwrap_or(i64::MAX))
            }
            Some(b'"') => {
                let s = r.string()?;
                Timestamp::parse_rfc3339(&s).map_err(|_| invalid(msg!("expected {WHAT}")))
            }
            _ => Err(r.expected(WHAT)),
        }
    }
}

impl FromJson for Method {
    /// `GET`, `PUT`, `HEAD`, `DELETE` or `POST`, any case.
    fn from_json(r: &mut Reader<'_>) -> Result<Self> {
        let s = r.string()?;
        s.parse()
            .map_err(|_| invalid("expected one of GET, PUT, HEAD, DELETE, POST"))
    }
}

/// Implements [`FromJson`] for a struct read from an object: the `required` members must be
/// present, the `optional` ones take their type's default. Every field of the struct is listed
/// (the struct literal does not compile otherwise), and unknown members are refused.
///
/// ```ignore
/// json_struct!(Credentials {
///     required { access_key_id: "accessKeyId", secret_access_key: "secretAccessKey" }
///     optional { session_token: "sessionToken", expires_at: "expiresAt" }
/// });
/// ```
/// With `lenient` before `required`, unknown members are skipped instead (key files that carry
/// more than we read). After `optional`, `flatten { field }` names fields whose own members
/// ([`json_flat!`]) sit flat in the same object (a provider's endpoint options).
// Unused by the builds that read no request type (cors, exchange or json alone).
#[cfg_attr(not(request_reader), allow(unused_macros))]
macro_rules! json_struct {
    ($ty:ident { required { $($rf:ident : $rn:literal),* $(,)? } optional { $($of:ident : $on:literal),* $(,)? } $(flatten { $($ff:ident),* $(,)? })? }) => {
        $crate::schema::json_struct!(@impl $ty, deny, [$($rf : $rn),*], [$($of : $on),*], [$($($ff),*)?]);
    };
    ($ty:ident { lenient required { $($rf:ident : $rn:literal),* $(,)? } optional { $($of:ident : $on:literal),* $(,)? } }) => {
        $crate::schema::json_struct!(@impl $ty, skip, [$($rf : $rn),*], [$($of : $on),*], []);
    };
    (@unknown deny, $r:ident, $name:ident) => {
        return Err($crate::schema::unknown($name))
    };
    (@unknown skip, $r:ident, $name:ident) => {
        $r.skip()?
    };
    (@impl $ty:ident, $mode:ident, [$($rf:ident : $rn:literal),*], [$($of:ident : $on:literal),*], [$($ff:ident),*]) => {
        impl $crate::schema::Members for $ty {
            const REQUIRED: &'static [&'static str] = &[$($rn),*];

            fn read_members(
                &mut self,
                r: &mut $crate::schema::Reader<'_>,
                present: &mut [bool],
            ) -> $crate::error::Result<()> {
                // Structs without optional members end every arm early; without required ones `i`
                // never moves.
                let _ = &present;
                #[allow(unreachable_code, unused_mut)]
                r.object(|r, name| {
                    // One index per required member, in REQUIRED's order.
                    let mut i = 0usize;
                    $(
                        if name == $rn {
                            $crate::schema::set_field(&mut self.$rf, r)?;
                            if let Some(p) = present.get_mut(i) {
                                *p = true;
                            }
                            return Ok(());
                        }
                        i += 1;
                    )*
                    let _ = i;
                    match name {
                        $($on => $crate::schema::set_field(&mut self.$of, r)?,)*
                        _ => {
                            $(
                                if $crate::schema::Flat::read_member(&mut self.$ff, r, name)? {
                                    return Ok(());
                                }
                            )*
                            $crate::schema::json_struct!(@unknown $mode, r, name)
                        }
                    }
                    Ok(())
                })
            }

            fn placeholder_struct() -> Self {
                $ty {
                    $($rf: $crate::schema::Placeholder::placeholder(),)*
                    $($of: Default::default(),)*
                    $($ff: Default::default(),)*
                }
            }
        }

        impl $crate::schema::FromJson for $ty {
            fn from_json(r: &mut $crate::schema::Reader<'_>) -> $crate::error::Result<Self> {
                // Read straight into the struct's fields (no local per member to move out and
                // drop: wasm size); a flag per required member says whether it was present.
                $crate::schema::read_struct(r)
            }
        }
    };
}

/// A struct whose members sit flat in an enclosing object ([`json_flat!`]): the endpoint
/// options a provider's URL request and POST request share.
#[cfg(sigv4)]
pub(crate) trait Flat {
    /// Reads member `name` into `self`; `false` (nothing read) when it is not one of its members.
    fn read_member(&mut self, r: &mut Reader<'_>, name: &str) -> Result<bool>;
}

/// Implements [`Flat`] for a struct of optional members, read in the enclosing object
/// (`flatten` in [`json_struct!`], or a hand-written reader).
///
/// ```ignore
/// json_flat!(Endpoint { region: "region", url: "endpoint" });
/// ```
#[cfg(sigv4)]
macro_rules! json_flat {
    ($ty:ident { $($f:ident : $n:literal),* $(,)? }) => {
        impl $crate::schema::Flat for $ty {
            fn read_member(
                &mut self,
                r: &mut $crate::schema::Reader<'_>,
                name: &str,
            ) -> $crate::error::Result<bool> {
                match name {
                    $($n => $crate::schema::set_field(&mut self.$f, r)?,)*
                    _ => return Ok(false),
                }
                Ok(true)
            }
        }
    };
}

/// Implements [`FromJson`] for a unit enum read from one of the listed strings.
///
/// ```ignore
/// json_enum!(UrlStyle { VirtualHosted: "virtualHosted", Path: "path" });
/// ```
macro_rules! json_enum {
    ($ty:ident { $($variant:ident : $name:literal),* $(,)? }) => {
        impl $ty {
            /// The value named `name` in the request schema.
            // Also the browser build's field reader's (`src/wasm/fields.rs`), which gets the name
            // from JS; unused elsewhere but here.
            #[allow(dead_code)]
            pub(crate) fn from_schema_name(name: &str) -> Option<Self> {
                match name {
                    $($name => Some($ty::$variant),)*
                    _ => None,
                }
            }
        }

        impl $crate::schema::FromJson for $ty {
            fn from_json(r: &mut $crate::schema::Reader<'_>) -> $crate::error::Result<Self> {
                const EXPECTED: &str = concat!("expected one of" $(, " \"", $name, "\"")*);
                $ty::from_schema_name(&r.string()?)
                    .ok_or_else(|| $crate::error::Error::InvalidRequest(EXPECTED.into()))
            }
        }
    };
}

#[cfg(sigv4)]
pub(crate) use json_flat;
#[cfg(request_reader)]
pub(crate) use {json_enum, json_struct};

json_enum!(CredentialExpiry {
    Warn: "warn",
    Error: "error",
    Clamp: "clamp",
});
