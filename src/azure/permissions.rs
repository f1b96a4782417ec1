//! SAS permissions (`sp`) as a typed flag set, parsed when the request is read; the signed
//! services (`ss`) and resource types (`srt`) of an account SAS, flag sets too.
//!
//! [`Permissions`] holds any of the letters Azure defines for blob-service SAS tokens, given in
//! any order; an unknown letter (upper case included) is an error when the request is read.
//! Signing then checks the set against the kind of resource it applies to ([`PermissionScope`]:
//! a letter the kind does not know, or one newer than the signed version, is an error, never
//! dropped) and emits it in that kind's canonical order.
//!
//! Canonical orders (as the official SDKs emit them — azure-storage-blob's `BlobSasPermissions`,
//! `ContainerSasPermissions`, `AccountSasPermissions`, which follow the REST docs' tables):
//! - blob, blob snapshot and version (`sr=b|bs|bv`): `racwdxytmei`
//! - directory (`sr=d`): `racwdxyltmei`
//! - container (`sr=c`): `racwdxyltfmei`
//! - account SAS: `rwdxylacupfti`
//!
//! ```
//! use presign::azure::{PermissionScope, Permissions};
//!
//! let p = Permissions::READ | Permissions::CREATE | Permissions::WRITE;
//! assert_eq!(p, "wcr".parse()?);
//! assert_eq!(p.to_sp(PermissionScope::Blob, "2025-07-05")?, "rcw");
//! assert!((Permissions::READ | Permissions::LIST).to_sp(PermissionScope::Blob, "2025-07-05").is_err());
//! # Ok::<(), presign::Error>(())
//! ```
//!
//! Spec: <https://learn.microsoft.com/rest/api/storageservices/create-service-sas#permissions-for-a-directory-container-or-blob>,
//! <https://learn.microsoft.com/rest/api/storageservices/create-account-sas#account-sas-permissions-by-operation>.

use crate::error::{msg, msg_at};
use crate::error::{Error, Result};
use crate::prelude::*;

/// Every permission letter, in the order of [`Permissions`]' bits.
const LETTERS: &str = "racwdxyltfmeiup";

/// The bit of letter `c` in [`Permissions`], 0 when Azure defines no such letter.
fn bit(c: u8) -> u16 {
    LETTERS.bytes().position(|l| l == c).map_or(0, |i| 1 << i)
}

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

/// A set of SAS permissions (`sp`): combine the constants with `|`, or parse letters
/// (`"rcw".parse()`). Which letters a SAS may hold depends on what it applies to; see
/// [`Permissions::to_sp`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Permissions(u16);

macro_rules! permission_consts {
    ($($name:ident = $bit:literal, $letter:literal, $doc:literal;)*) => {
        impl Permissions {
            $(
                #[doc = concat!("`", $letter, "`: ", $doc)]
                pub const $name: Permissions = Permissions(1 << $bit);
            )*
        }
    };
}

permission_consts! {
    READ = 0, "r", "read the content, properties, metadata and block list.";
    ADD = 1, "a", "add a block to an append blob.";
    CREATE = 2, "c", "write a new blob, snapshot or block; copy to a new blob.";
    WRITE = 3, "w", "create or write content, properties, metadata or a block list.";
    DELETE = 4, "d", "delete a blob (or, for an account SAS, a resource).";
    DELETE_VERSION = 5, "x", "delete a blob version (2019-10-10+).";
    PERMANENT_DELETE = 6, "y", "permanently delete a snapshot or version (2019-10-10+).";
    LIST = 7, "l", "list blobs (a container, directory or account SAS).";
    TAGS = 8, "t", "read or write blob tags (2019-12-12+).";
    FILTER_BY_TAGS = 9, "f", "find blobs by tags (a container or account SAS).";
    MOVE = 10, "m", "move a blob or directory (2020-02-10+).";
    EXECUTE = 11, "e", "get the system properties; with a hierarchical namespace, the ACL (2020-02-10+).";
    SET_IMMUTABILITY_POLICY = 12, "i", "set or delete an immutability policy or legal hold (2020-08-04+).";
    UPDATE = 13, "u", "update queue messages and table entities (account SAS).";
    PROCESS = 14, "p", "process queue messages (account SAS).";
}

impl core::ops::BitOr for Permissions {
    type Output = Permissions;
    fn bitor(self, other: Permissions) -> Permissions {
        Permissions(self.0 | other.0)
    }
}

impl core::ops::BitOrAssign for Permissions {
    fn bitor_assign(&mut self, other: Permissions) {
        self.0 |= other.0;
    }
}

impl core::str::FromStr for Permissions {
    type Err = Error;

    /// As [`Permissions::parse`].
    fn from_str(s: &str) -> Result<Self> {
        Permissions::parse(s)
    }
}

impl Permissions {
    /// Parses letters of [`Permissions`]' constants in any order (repeats allowed). The
    /// messages name no member: the JSON reader puts the member's path in front.
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] for an empty set or a letter Azure does not define (the
    /// message lists the valid ones).
    pub fn parse(s: &str) -> Result<Self> {
        if s.is_empty() {
            return Err(Error::InvalidRequest(msg!(
                "empty; name at least one permission letter"
            )));
        }
        let mut bits = 0;
        // Bytes: a non-ASCII letter is no letter of ours either.
        for c in s.bytes() {
            let bit = bit(c);
            if bit == 0 {
                return Err(Error::InvalidRequest(msg!(
                    "a letter is not a SAS permission; valid letters: racwdxyltfmeiup"
                )));
            }
            bits |= bit;
        }
        Ok(Permissions(bits))
    }

    /// Parses `sp` as [`Permissions::parse`] and checks it for `scope` at signed version
    /// `version` as [`Permissions::to_sp`] does.
    ///
    /// # Errors
    /// As both.
    pub fn parse_for(s: &str, scope: PermissionScope, version: &str) -> Result<Self> {
        let p = Permissions::parse(s)?;
        p.check(scope, version)?;
        Ok(p)
    }

    /// The permission of one letter, if Azure defines it.
    pub fn letter(c: char) -> Option<Permissions> {
        Some(Permissions(u8::try_from(c).map_or(0, bit))).filter(|p| !p.is_empty())
    }

    /// Whether every permission of `other` is in the set.
    pub fn contains(self, other: Permissions) -> bool {
        self.0 & other.0 == other.0
    }

    /// Whether the set is empty.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// Checks the set for `scope` at signed version `version`.
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] for an empty set, a letter `scope` does not know (the message
    /// lists the valid ones) or a letter newer than `version`.
    pub fn check(self, scope: PermissionScope, version: &str) -> Result<()> {
        self.scan(scope, version, None)
    }

    /// The letters in `scope`'s canonical order (`sp`), after [`Permissions::check`].
    ///
    /// # Errors
    /// As [`Permissions::check`].
    pub fn to_sp(self, scope: PermissionScope, version: &str) -> Result<String> {
        let mut sp = String::new();
        self.scan(scope, version, Some(&mut sp))?;
        Ok(sp)
    }

    /// [`Permissions::check`], writing the letters in canonical order to `sp` when given.
    fn scan(
        self,
        scope: PermissionScope,
        version: &str,
        mut sp: Option<&mut String>,
    ) -> Result<()> {
        let order = scope.canonical_order();
        // The scope's letters, as bits.
        let mut known = 0u16;
        for c in order.bytes() {
            let bit = bit(c);
            known |= bit;
            if self.0 & bit == 0 {
                continue;
            }
            let since = scope.since(c);
            if version < since {
                return Err(Error::InvalidRequest(msg_at!(
                    "permissions",
                    "a letter needs signed version {since} or later"
                )));
            }
            if let Some(sp) = sp.as_mut() {
                sp.push(char::from(c));
            }
        }
        if self.0 & !known != 0 {
            return Err(Error::InvalidRequest(msg_at!(
                "permissions",
                "a letter is not valid for {}; valid letters: {order}",
                scope.name()
            )));
        }
        if self.is_empty() {
            return Err(Error::InvalidRequest(msg_at!(
                "permissions",
                "empty; name at least one permission letter"
            )));
        }
        Ok(())
    }
}

#[cfg(feature = "json")]
impl crate::schema::FromJson for Permissions {
    /// Letters as [`Permissions::parse`] reads them.
    fn from_json(r: &mut crate::schema::Reader<'_>) -> Result<Self> {
        Permissions::parse(&r.string()?)
    }
}

/// The bits of letters of `valid` (canonical order, bit `i` for its letter `i`), any order and
/// repeats allowed. The messages name no member: the JSON reader puts the member's path in front.
fn letter_bits(s: &str, valid: &str) -> Result<u8> {
    if s.is_empty() {
        return Err(Error::InvalidRequest(msg!("empty; valid letters: {valid}")));
    }
    let mut bits = 0u8;
    // Bytes: `valid` is ASCII, so a non-ASCII character is refused at its first byte, whose
    // index is the character's (every letter before it is one of `valid`'s, one byte each).
    for (i, c) in s.bytes().enumerate() {
        match valid.bytes().position(|v| v == c) {
            Some(b) => bits |= 1 << b,
            None => {
                return Err(Error::InvalidRequest(msg!(
                    "letter {i} is not valid; valid letters: {valid}"
                )))
            }
        }
    }
    Ok(bits)
}

/// A JSON string of letters of `valid`, as [`letter_bits`] reads them: the one body of every
/// flag set's JSON reader (each set's own is this and a wrap, inlined; wasm size).
#[cfg(feature = "json")]
fn letter_bits_json(r: &mut crate::schema::Reader<'_>, valid: &str) -> Result<u8> {
    letter_bits(&r.string()?, valid)
}

/// The letters of `valid` whose bits are set in `bits`, in `valid`'s order.
fn letters_of(bits: u8, valid: &str) -> String {
    let mut out = String::new();
    for (i, c) in valid.bytes().enumerate() {
        if bits & (1 << i) != 0 {
            out.push(char::from(c));
        }
    }
    out
}

/// The letters a SAS carries for `bits` of `valid` (as [`letters_of`]), checked not to be none
/// (a SAS names at least one), for member `path`: one body for both flag sets (wasm size).
fn sas_letters_of(bits: u8, valid: &str, path: &str) -> Result<String> {
    if bits == 0 {
        return Err(Error::InvalidRequest(msg_at!(
            path,
            "empty; valid letters: {valid}"
        )));
    }
    Ok(letters_of(bits, valid))
}

/// The flag sets of an account SAS (`ss`, `srt`): the set operators, parsing, the canonical
/// letters (`Display`) and the JSON reader, over the type's `LETTERS` (canonical order, one bit
/// a letter). Each method hands `LETTERS` to one shared function, so the two sets share their
/// compiled bodies.
macro_rules! letter_set {
    ($ty:ident) => {
        impl $ty {
            /// Parses letters in any order (repeats allowed). The messages name no member: the
            /// JSON reader puts the member's path in front.
            ///
            /// # Errors
            /// [`Error::InvalidRequest`] for an empty set or a letter that is not one of the
            /// set's (the message lists the valid ones).
            pub fn parse(s: &str) -> Result<Self> {
                letter_bits(s, Self::LETTERS).map($ty)
            }

            /// Whether every flag of `other` is in the set.
            pub fn contains(self, other: $ty) -> bool {
                self.0 & other.0 == other.0
            }

            /// The letters in canonical order, as the SAS carries them (what `Display` writes).
            pub(crate) fn letters(self) -> String {
                letters_of(self.0, Self::LETTERS)
            }

            /// Whether the set is empty.
            pub fn is_empty(self) -> bool {
                self.0 == 0
            }

            /// The letters the signer writes (as [`letters`](Self::letters), without the
            /// formatting machinery), checked not to be none (a SAS names at least one), for
            /// member `path`.
            #[inline]
            pub(crate) fn sas_letters(self, path: &str) -> Result<String> {
                sas_letters_of(self.0, Self::LETTERS, path)
            }
        }

        impl core::ops::BitOr for $ty {
            type Output = $ty;
            fn bitor(self, other: $ty) -> $ty {
                $ty(self.0 | other.0)
            }
        }

        impl core::ops::BitOrAssign for $ty {
            fn bitor_assign(&mut self, other: $ty) {
                self.0 |= other.0;
            }
        }

        impl core::str::FromStr for $ty {
            type Err = Error;

            fn from_str(s: &str) -> Result<Self> {
                $ty::parse(s)
            }
        }

        /// The letters in canonical order, as the SAS carries them.
        impl core::fmt::Display for $ty {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str(&self.letters())
            }
        }

        #[cfg(feature = "json")]
        impl crate::schema::FromJson for $ty {
            /// Letters as [`parse`](Self::parse) reads them.
            // Inline: merged into the optional field's reader (wasm size).
            #[inline]
            fn from_json(r: &mut crate::schema::Reader<'_>) -> Result<Self> {
                letter_bits_json(r, Self::LETTERS).map($ty)
            }
        }
    };
}

/// The signed services of an account SAS (`ss`): combine the constants with `|`, or parse
/// letters (`"bf".parse()`); emitted in the order `bqtf`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Services(u8);

impl Services {
    /// `b`: the blob service.
    pub const BLOB: Services = Services(1);
    /// `q`: the queue service.
    pub const QUEUE: Services = Services(1 << 1);
    /// `t`: the table service.
    pub const TABLE: Services = Services(1 << 2);
    /// `f`: the file service.
    pub const FILE: Services = Services(1 << 3);
    /// The letters, in canonical order.
    const LETTERS: &'static str = "bqtf";
}

letter_set!(Services);

/// The signed resource types of an account SAS (`srt`): combine the constants with `|`, or
/// parse letters (`"co".parse()`); emitted in the order `sco`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct ResourceTypes(u8);

impl ResourceTypes {
    /// `s`: service-level operations (list containers, service properties).
    pub const SERVICE: ResourceTypes = ResourceTypes(1);
    /// `c`: container-level operations (create a container, list blobs).
    pub const CONTAINER: ResourceTypes = ResourceTypes(1 << 1);
    /// `o`: object-level operations (read or write a blob).
    pub const OBJECT: ResourceTypes = ResourceTypes(1 << 2);
    /// The letters, in canonical order.
    const LETTERS: &'static str = "sco";
}

letter_set!(ResourceTypes);

#[cfg(test)]
mod tests {
    use super::*;

    const V: &str = "2025-07-05";

    fn sp(s: &str, scope: PermissionScope, version: &str) -> Result<String> {
        Permissions::parse(s)?.to_sp(scope, version)
    }

    #[test]
    fn letters_are_emitted_in_canonical_order_per_scope() {
        assert_eq!(sp("wdcar", PermissionScope::Blob, V).unwrap(), "racwd");
        let c = sp("ifemtlyxdwcar", PermissionScope::Container, V).unwrap();
        assert_eq!(c, "racwdxyltfmei");
        let a = sp("itfpucalyxdwr", PermissionScope::Account, V).unwrap();
        assert_eq!(a, "rwdxylacupfti");
        assert_eq!(sp("lr", PermissionScope::Directory, V).unwrap(), "rl");
        assert_eq!(sp("rrr", PermissionScope::Blob, V).unwrap(), "r");
        let p = Permissions::parse("rrr").unwrap();
        assert!(p.contains(Permissions::READ) && !p.contains(Permissions::WRITE));
        assert_eq!(p, Permissions::READ);
        let all = Permissions::parse(LETTERS).unwrap();
        assert_eq!(all.0, (1 << LETTERS.len()) - 1);
        assert_eq!(
            Permissions::READ | Permissions::LIST,
            "lr".parse::<Permissions>().unwrap()
        );
    }

    #[test]
    fn the_constants_are_their_letters() {
        for (p, c) in [
            (Permissions::READ, 'r'),
            (Permissions::ADD, 'a'),
            (Permissions::CREATE, 'c'),
            (Permissions::WRITE, 'w'),
            (Permissions::DELETE, 'd'),
            (Permissions::DELETE_VERSION, 'x'),
            (Permissions::PERMANENT_DELETE, 'y'),
            (Permissions::LIST, 'l'),
            (Permissions::TAGS, 't'),
            (Permissions::FILTER_BY_TAGS, 'f'),
            (Permissions::MOVE, 'm'),
            (Permissions::EXECUTE, 'e'),
            (Permissions::SET_IMMUTABILITY_POLICY, 'i'),
            (Permissions::UPDATE, 'u'),
            (Permissions::PROCESS, 'p'),
        ] {
            assert_eq!(Permissions::letter(c), Some(p), "{c}");
        }
    }

    #[test]
    fn unknown_letters_are_refused_on_parse() {
        for s in ["R", "", "r ", "ré", "rz", "q"] {
            let e = Permissions::parse(s).unwrap_err();
            assert_eq!(e.code(), "INVALID_REQUEST", "{s:?}");
        }
    }

    #[test]
    fn letters_foreign_to_the_scope_are_refused() {
        for (s, scope) in [
            ("rl", PermissionScope::Blob),
            ("rf", PermissionScope::Directory),
            ("ru", PermissionScope::Container),
            ("rm", PermissionScope::Account),
            ("rp", PermissionScope::Blob),
        ] {
            let e = sp(s, scope, V).unwrap_err();
            assert_eq!(e.code(), "INVALID_REQUEST", "{s:?}");
            assert!(e.message().contains(scope.canonical_order()), "{e}");
        }
        let e = Permissions::default()
            .check(PermissionScope::Blob, V)
            .unwrap_err();
        assert_eq!(e.code(), "INVALID_REQUEST");
    }

    #[test]
    fn letters_newer_than_the_signed_version_are_refused() {
        let e = sp("rf", PermissionScope::Container, "2020-12-06").unwrap_err();
        assert!(e.message().contains("2021-04-10"), "{e}");
        assert!(sp("rf", PermissionScope::Container, "2021-04-10").is_ok());
        assert!(sp("rx", PermissionScope::Blob, "2018-03-28").is_err());
        assert!(sp("racwd", PermissionScope::Blob, "2018-03-28").is_ok());
        assert!(Permissions::parse_for("rx", PermissionScope::Blob, "2018-03-28").is_err());
    }

    #[test]
    fn services_and_resource_types_are_canonical() {
        let services = |s: &str| Services::parse(s).map(|v| v.to_string());
        let resource_types = |s: &str| ResourceTypes::parse(s).map(|v| v.to_string());
        assert_eq!(services("fb").unwrap(), "bf");
        assert_eq!(services("ftqb").unwrap(), "bqtf");
        assert_eq!(services("bbb").unwrap(), "b");
        assert_eq!(resource_types("ocs").unwrap(), "sco");
        assert_eq!(
            Services::FILE | Services::BLOB,
            "fb".parse::<Services>().unwrap()
        );
        assert_eq!(
            ResourceTypes::SERVICE | ResourceTypes::CONTAINER | ResourceTypes::OBJECT,
            "ocs".parse::<ResourceTypes>().unwrap()
        );
        assert!(Services::parse("bf").unwrap().contains(Services::FILE));
        assert!(!Services::parse("bf").unwrap().contains(Services::QUEUE));
    }

    #[test]
    fn unknown_service_and_resource_type_letters_are_refused_with_their_position() {
        let e = Services::parse("bx").unwrap_err();
        assert_eq!(e.code(), "INVALID_REQUEST");
        assert_eq!(e.message(), "letter 1 is not valid; valid letters: bqtf");
        // Counted in characters: a non-ASCII one is refused at its own index.
        let e = Services::parse("bé").unwrap_err();
        assert_eq!(e.message(), "letter 1 is not valid; valid letters: bqtf");
        let e = ResourceTypes::parse("éo").unwrap_err();
        assert_eq!(e.message(), "letter 0 is not valid; valid letters: sco");
        let e = ResourceTypes::parse("").unwrap_err();
        assert_eq!(e.message(), "empty; valid letters: sco");
        let e = ResourceTypes::default()
            .sas_letters("resourceTypes")
            .unwrap_err();
        assert_eq!(e.message(), "`resourceTypes`: empty; valid letters: sco");
    }
}
