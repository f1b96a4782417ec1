//! Lifetimes: the one home of the 7-day rule of V4 signatures (S3 SigV4, GCS V4, POST policies
//! and their verifier), the default lifetime, and the rule for credentials that expire before
//! what they sign (S3 temporary credentials, Azure user-delegation keys).

#[cfg(v4_lifetime)]
use crate::error::msg_at;
use crate::error::{Error, Result};
#[cfg(expiring_credentials)]
use crate::prelude::*;
#[cfg(expiring_credentials)]
use crate::time::Timestamp;
#[cfg(expiring_credentials)]
use crate::types::{CredentialExpiry, Warning};

/// The longest lifetime a V4 signature (SigV4, GOOG4, POST policy) allows: 7 days, in seconds.
#[cfg(v4_lifetime)]
pub const MAX_EXPIRES: u64 = 604_800;
/// The lifetime when a request names none: 1 hour (the AWS CLI's and the SDKs' default).
#[cfg(v4_lifetime)]
pub const DEFAULT_EXPIRES: u64 = 3600;

/// The lifetime of a V4 signature: `given` (default [`DEFAULT_EXPIRES`]), which must be
/// 1..=[`MAX_EXPIRES`] seconds. `what` names what is signed, for the message ("SigV4 presigned
/// URLs").
///
/// # Errors
/// [`Error::InvalidExpiry`] outside the range.
#[cfg(v4_lifetime)]
pub(crate) fn v4_expires_in(given: Option<u64>, what: &str) -> Result<u64> {
    let expires_in = given.unwrap_or(DEFAULT_EXPIRES);
    if (1..=MAX_EXPIRES).contains(&expires_in) {
        Ok(expires_in)
    } else {
        Err(Error::InvalidExpiry(msg_at!(
            "expiresIn",
            "{what} last from 1 to {MAX_EXPIRES} seconds (7 days)"
        )))
    }
}

/// Credentials that expire at `credentials_expire` must still be in force at the signing
/// instant `time`; `message` words the error (naming the member, quoting no value).
///
/// # Errors
/// [`Error::CredentialsExpire`] when they expire at or before `time`.
#[cfg(expiring_credentials)]
pub(crate) fn credentials_in_force(
    credentials_expire: Timestamp,
    time: Timestamp,
    message: impl FnOnce() -> String,
) -> Result<()> {
    if credentials_expire <= time {
        return Err(Error::CredentialsExpire(message()));
    }
    Ok(())
}

/// Applies `policy` when credentials that expire at `credentials_expire` sign something valid
/// until `expires`, at the signing instant `time`; returns the expiry to sign (shortened by
/// [`CredentialExpiry::Clamp`]). `names` are for messages, which quote no value: the member
/// holding the credentials' expiry (`credentials.expiresAt`), what expires ("the credentials")
/// and what they sign ("the URL"). Other wordings: [`credentials_in_force`], then
/// [`expire_first`].
///
/// # Errors
/// [`Error::CredentialsExpire`] when they expired at or before `time`, or with
/// [`CredentialExpiry::Error`] when they expire first.
#[cfg(feature = "s3")]
pub(crate) fn credential_expiry(
    policy: CredentialExpiry,
    credentials_expire: Timestamp,
    expires: Timestamp,
    time: Timestamp,
    (member, credentials, signed): (&str, &str, &str),
    warnings: &mut Vec<Warning>,
) -> Result<Timestamp> {
    credentials_in_force(credentials_expire, time, || {
        msg_at!(
            member,
            "{credentials} expire at or before the signing instant"
        )
    })?;
    expire_first(policy, credentials_expire, expires, warnings, || {
        msg_at!(
            member,
            "{credentials} expire before {signed} would; {signed} stops working when they do"
        )
    })
}

/// `policy` when credentials expiring at `credentials_expire` would expire before `expires`:
/// a `CREDENTIALS_EXPIRE_FIRST` warning, an error, or `credentials_expire` as the expiry.
/// `message` words the warning or error. Returns the expiry to sign.
///
/// # Errors
/// [`Error::CredentialsExpire`] with [`CredentialExpiry::Error`] when they expire first.
#[cfg(expiring_credentials)]
pub(crate) fn expire_first(
    policy: CredentialExpiry,
    credentials_expire: Timestamp,
    expires: Timestamp,
    warnings: &mut Vec<Warning>,
    message: impl FnOnce() -> String,
) -> Result<Timestamp> {
    if credentials_expire >= expires {
        return Ok(expires);
    }
    match policy {
        CredentialExpiry::Warn => {
            warnings.push(Warning {
                code: "CREDENTIALS_EXPIRE_FIRST",
                message: message(),
            });
            Ok(expires)
        }
        CredentialExpiry::Error => Err(Error::CredentialsExpire(message())),
        CredentialExpiry::Clamp => Ok(credentials_expire),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: i64) -> Timestamp {
        Timestamp::from_unix(1_700_000_000 + s).unwrap()
    }

    #[test]
    fn v4_lifetimes_are_one_second_to_seven_days() {
        assert_eq!(v4_expires_in(None, "x").unwrap(), 3600);
        assert_eq!(v4_expires_in(Some(1), "x").unwrap(), 1);
        assert_eq!(v4_expires_in(Some(604_800), "x").unwrap(), 604_800);
        for bad in [0, 604_801, u64::MAX] {
            assert_eq!(
                v4_expires_in(Some(bad), "x").unwrap_err().code(),
                "INVALID_EXPIRY"
            );
        }
    }

    #[test]
    fn credentials_that_expire_first_warn_fail_or_clamp() {
        let names = ("credentials.expiresAt", "the credentials", "the URL");
        let mut w = Vec::new();
        // Outliving the URL: nothing to say.
        let same = credential_expiry(CredentialExpiry::Error, t(100), t(100), t(0), names, &mut w);
        assert_eq!(same.unwrap(), t(100));
        assert!(w.is_empty());
        let warn = credential_expiry(CredentialExpiry::Warn, t(50), t(100), t(0), names, &mut w);
        assert_eq!(warn.unwrap(), t(100));
        assert_eq!(w[0].code, "CREDENTIALS_EXPIRE_FIRST");
        let clamp = credential_expiry(CredentialExpiry::Clamp, t(50), t(100), t(0), names, &mut w);
        assert_eq!(clamp.unwrap(), t(50));
        let err = credential_expiry(CredentialExpiry::Error, t(50), t(100), t(0), names, &mut w);
        assert_eq!(err.unwrap_err().code(), "CREDENTIALS_EXPIRE");
        // Already expired: an error whatever the policy.
        for p in [
            CredentialExpiry::Warn,
            CredentialExpiry::Clamp,
            CredentialExpiry::Error,
        ] {
            let e = credential_expiry(p, t(0), t(100), t(0), names, &mut w).unwrap_err();
            assert_eq!(e.code(), "CREDENTIALS_EXPIRE");
        }
    }
}
