//! SAS permission letters, signed services (`ss`) and signed resource types (`srt`) as typed
//! flag sets, emitted in the canonical order of the kind of resource they apply to.
//!
//! Letters may be given in any order; they are always emitted in the canonical order. A letter
//! the resource kind does not know, an upper-case letter or a letter newer than the signed
//! version is an error, never dropped.
//!
//! Canonical orders (as the official SDKs emit them — azure-storage-blob's `BlobSasPermissions`,
//! `ContainerSasPermissions`, `AccountSasPermissions`, which follow the REST docs' tables):
//! - blob, blob snapshot and version (`sr=b|bs|bv`): `racwdxytmei`
//! - directory (`sr=d`): `racwdxyltmei`
//! - container (`sr=c`): `racwdxyltfmei`
//! - account SAS: `rwdxylacupfti`
//!
//! Spec: <https://learn.microsoft.com/rest/api/storageservices/create-service-sas#permissions-for-a-directory-container-or-blob>,
//! <https://learn.microsoft.com/rest/api/storageservices/create-account-sas#account-sas-permissions-by-operation>.

use crate::error::msg_at;
use crate::error::{Error, Result};

/// What a permission set applies to; each kind has its own letters and order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PermissionScope {
    /// A blob, blob snapshot or blob version (`sr=b`, `bs`, `bv`).
    Blob,
    /// A container (`sr=c`).
    Container,
    /// A directory of a hierarchical-namespace account (`sr=d`).
    Directory,
    /// An account SAS (`sp` with `ss`/`srt`).
    Account,
}

impl PermissionScope {
    /// Letters this scope accepts, in canonical order.
    pub fn canonical_order(self) -> &'static str {
        match self {
            PermissionScope::Blob => "racwdxytmei",
            PermissionScope::Directory => "racwdxyltmei",
            PermissionScope::Container => "racwdxyltfmei",
            PermissionScope::Account => "rwdxylacupfti",
        }
    }

    fn name(self) -> &'static str {
        match self {
            PermissionScope::Blob => "a blob",
            PermissionScope::Directory => "a directory",
            PermissionScope::Container => "a container",
            PermissionScope::Account => "an account SAS",
        }
    }

    /// The first signed version that knows `letter` in this scope.
    fn since(self, letter: u8) -> &'static str {
        match (self, letter) {
            (_, b'x' | b'y') => "2019-10-10",
            (PermissionScope::Account, b't' | b'f') => "2019-12-12",
            (_, b't') => "2019-12-12",
            (_, b'm' | b'e') => "2020-02-10",
            (_, b'i') => "2020-08-04",
            (_, b'f') => "2021-04-10",
            _ => "2015-04-05",
        }
    }
}

/// A set of SAS permissions for one [`PermissionScope`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Permissions {
    scope: PermissionScope,
    /// Bit `i` set = the `i`-th letter of the scope's canonical order.
    bits: u16,
}

impl Permissions {
    /// Parses letters in any order (repeats allowed) for `scope` at signed version `version`.
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] for an empty set, a letter the scope does not know (the message
    /// lists the valid ones) or a letter newer than `version`.
    pub fn parse(s: &str, scope: PermissionScope, version: &str) -> Result<Self> {
        let order = scope.canonical_order().as_bytes();
        if s.is_empty() {
            return Err(Error::InvalidRequest(msg_at!(
                "permissions",
                "empty; name at least one permission letter"
            )));
        }
        let mut bits = 0u16;
        for (i, c) in s.chars().enumerate() {
            let found = u8::try_from(c)
                .ok()
                .and_then(|b| order.iter().position(|&o| o == b).map(|pos| (b, pos)));
            let Some((letter, pos)) = found else {
                return Err(Error::InvalidRequest(msg_at!(
                    "permissions",
                    "letter {i} is not valid for {}; valid letters: {}",
                    scope.name(),
                    scope.canonical_order()
                )));
            };
            let since = scope.since(letter);
            if version < since {
                return Err(Error::InvalidRequest(msg_at!(
                    "permissions",
                    "letter {i} needs signed version {since} or later"
                )));
            }
            bits |= 1 << pos;
        }
        Ok(Permissions { scope, bits })
    }

    /// The scope the set was parsed for.
    pub fn scope(&self) -> PermissionScope {
        self.scope
    }

    /// Whether `letter` is in the set.
    pub fn contains(&self, letter: char) -> bool {
        self.scope
            .canonical_order()
            .chars()
            .position(|c| c == letter)
            .is_some_and(|pos| self.bits & (1 << pos) != 0)
    }

    /// The letters in canonical order (`sp`).
    pub fn as_string(&self) -> String {
        self.scope
            .canonical_order()
            .chars()
            .enumerate()
            .filter(|(i, _)| self.bits & (1 << i) != 0)
            .map(|(_, c)| c)
            .collect()
    }
}

/// Parses a set of single-letter flags from `valid` (canonical order), any order and repeats
/// allowed, and returns the canonical string.
fn parse_letters(s: &str, valid: &str, what: &str) -> Result<String> {
    if s.is_empty() {
        return Err(Error::InvalidRequest(msg_at!(
            what,
            "empty; valid letters: {valid}"
        )));
    }
    // Byte scans: `valid` is ASCII.
    if let Some(i) = s
        .chars()
        .position(|c| !valid.bytes().any(|v| char::from(v) == c))
    {
        return Err(Error::InvalidRequest(msg_at!(
            what,
            "letter {i} is not valid; valid letters: {valid}"
        )));
    }
    Ok(valid
        .bytes()
        .filter(|v| s.as_bytes().contains(v))
        .map(char::from)
        .collect())
}

/// Signed services of an account SAS (`ss`): `b` blob, `q` queue, `t` table, `f` file; emitted
/// in that order.
///
/// # Errors
/// [`Error::InvalidRequest`] for an empty or unknown letter.
pub fn parse_services(s: &str) -> Result<String> {
    parse_letters(s, "bqtf", "services")
}

/// Signed resource types of an account SAS (`srt`): `s` service, `c` container, `o` object;
/// emitted in that order.
///
/// # Errors
/// [`Error::InvalidRequest`] for an empty or unknown letter.
pub fn parse_resource_types(s: &str) -> Result<String> {
    parse_letters(s, "sco", "resourceTypes")
}

#[cfg(test)]
mod tests {
    use super::*;

    const V: &str = "2025-07-05";

    #[test]
    fn letters_are_emitted_in_canonical_order_per_scope() {
        let p = Permissions::parse("wdcar", PermissionScope::Blob, V).unwrap();
        assert_eq!(p.as_string(), "racwd");
        let p = Permissions::parse("ifemtlyxdwcar", PermissionScope::Container, V).unwrap();
        assert_eq!(p.as_string(), "racwdxyltfmei");
        let p = Permissions::parse("itfpucalyxdwr", PermissionScope::Account, V).unwrap();
        assert_eq!(p.as_string(), "rwdxylacupfti");
        let p = Permissions::parse("lr", PermissionScope::Directory, V).unwrap();
        assert_eq!(p.as_string(), "rl");
        let p = Permissions::parse("rrr", PermissionScope::Blob, V).unwrap();
        assert_eq!(p.as_string(), "r");
        assert!(p.contains('r') && !p.contains('w'));
    }

    #[test]
    fn letters_foreign_to_the_scope_are_refused() {
        for (s, scope) in [
            ("rl", PermissionScope::Blob),
            ("rf", PermissionScope::Directory),
            ("ru", PermissionScope::Container),
            ("rm", PermissionScope::Account),
            ("R", PermissionScope::Blob),
            ("", PermissionScope::Blob),
            ("r ", PermissionScope::Blob),
            ("ré", PermissionScope::Blob),
        ] {
            let e = Permissions::parse(s, scope, V).unwrap_err();
            assert_eq!(e.code(), "INVALID_REQUEST", "{s:?}");
        }
    }

    #[test]
    fn letters_newer_than_the_signed_version_are_refused() {
        let e = Permissions::parse("rf", PermissionScope::Container, "2020-12-06").unwrap_err();
        assert!(e.message().contains("2021-04-10"), "{e}");
        assert!(Permissions::parse("rf", PermissionScope::Container, "2021-04-10").is_ok());
        assert!(Permissions::parse("rx", PermissionScope::Blob, "2018-03-28").is_err());
        assert!(Permissions::parse("racwd", PermissionScope::Blob, "2018-03-28").is_ok());
    }

    #[test]
    fn services_and_resource_types_are_canonical() {
        assert_eq!(parse_services("fb").unwrap(), "bf");
        assert_eq!(parse_services("ftqb").unwrap(), "bqtf");
        assert_eq!(parse_resource_types("ocs").unwrap(), "sco");
        assert!(parse_services("x").is_err());
        assert!(parse_resource_types("").is_err());
    }
}
