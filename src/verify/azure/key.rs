//! The key that signed a SAS: the account key, or a known user-delegation key whose fields
//! (`skoid`, `sktid`, `skt`, `ske`, `sks`, `skv`, `skdutid`) the URL repeats.

use super::{parse_time, Kind, Sas, Target};
use crate::azure::UserDelegationKey;
use crate::crypto::HmacKey;
use crate::encoding::base64_decode;
use crate::prelude::*;
use crate::time::Timestamp;
use crate::verify::{Check, KeyId, KeyLookup, ParsedUrl, VerifyError, VerifyKey};
use zeroize::Zeroizing;

/// The user-delegation key's fields in the URL (`skt`, `ske`, `sks`, `skv`, `sktid`,
/// `skdutid`).
pub(super) struct KeyFields<'u> {
    pub(super) skt: Option<&'u str>,
    pub(super) ske: Option<&'u str>,
    pub(super) sks: Option<&'u str>,
    pub(super) skv: Option<&'u str>,
    pub(super) sktid: Option<&'u str>,
    pub(super) skdutid: Option<&'u str>,
}

/// The user-delegation key's fields of the URL.
pub(super) fn read_key_fields(url: &ParsedUrl) -> Result<KeyFields<'_>, VerifyError> {
    let q = |name: &str| url.param(name);
    Ok(KeyFields {
        skt: q("skt")?,
        ske: q("ske")?,
        sks: q("sks")?,
        skv: q("skv")?,
        sktid: q("sktid")?,
        skdutid: q("skdutid")?,
    })
}

/// The key that signed: the account key, or the known user-delegation key whose fields the
/// URL repeats.
pub(super) fn key(
    keys: &(impl KeyLookup + ?Sized),
    sas: &Sas<'_>,
    target: &Target<'_>,
    kf: &KeyFields<'_>,
) -> Result<(HmacKey, Option<UserDelegationKey>), VerifyError> {
    let key_id = match (sas.kind, sas.skoid) {
        (Kind::UserDelegation, Some(oid)) => KeyId::AzureUserDelegation {
            account: target.account,
            signed_oid: oid,
            signed_tid: kf.sktid.unwrap_or(""),
        },
        _ => KeyId::AzureAccount {
            account: target.account,
        },
    };
    let unknown = || {
        VerifyError::new(
            Check::UnknownKey,
            "no matching key is known for the URL's account",
        )
    };
    let (key_b64, udk) = match (sas.kind, keys.lookup(&key_id)) {
        (Kind::Service | Kind::Account, Some(VerifyKey::AzureAccountKey(k))) => (k, None),
        (Kind::UserDelegation, Some(VerifyKey::AzureUserDelegation(k))) => {
            if !same_key(&k, sas, kf) {
                return Err(unknown());
            }
            // The signer's rule for a key (one function): a key Azure could not have issued
            // verifies nothing.
            k.validate().map_err(|e| {
                VerifyError::new(
                    Check::UnknownKey,
                    format!(
                        "the known user-delegation key is not one Azure issues: {}",
                        e.message()
                    ),
                )
            })?;
            (k.value.clone(), Some(k))
        }
        _ => return Err(unknown()),
    };
    let raw_key = Zeroizing::new(
        base64_decode(key_b64.expose())
            .filter(|k| !k.is_empty())
            .ok_or_else(|| VerifyError::new(Check::UnknownKey, "the known key is not base64"))?,
    );
    Ok((HmacKey::new(&raw_key), udk))
}

/// Whether the URL's key fields are those of the known key `k`.
pub(super) fn same_key(k: &UserDelegationKey, sas: &Sas<'_>, kf: &KeyFields<'_>) -> bool {
    let same_time =
        |text: Option<&str>, t: Timestamp| text.and_then(parse_time).is_some_and(|x| x == t);
    Some(k.signed_oid.as_str()) == sas.skoid
        && Some(k.signed_tid.as_str()) == kf.sktid
        && same_time(kf.skt, k.signed_start)
        && same_time(kf.ske, k.signed_expiry)
        && Some(k.signed_service.as_str()) == kf.sks
        && Some(k.signed_version.as_str()) == kf.skv
        && k.signed_delegated_user_tid.as_deref() == kf.skdutid
}
