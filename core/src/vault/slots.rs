//! Key slots (Aegis's model): the vault key, wrapped once per way of unlocking. A
//! *platform* slot is wrapped by the phone's keystore through `KeyWrapper`; a
//! *passphrase* slot by a key Argon2id derives from the passphrase. Any slot unlocks.

use argon2::{Algorithm, Argon2, Params, Version};
use zeroize::Zeroizing;

use super::crypto::{self, KEY_LEN, Place, VaultKey};
use crate::error::{Error, Result};

/// A passphrase, wiped on drop, never printed.
#[derive(Clone)]
pub struct Passphrase(Zeroizing<String>);

impl Passphrase {
    /// Rejects only the empty passphrase: the vault's strength on a phone comes from the
    /// platform slot, and a desktop user chooses their own.
    pub fn new(text: Zeroizing<String>) -> Result<Self> {
        if text.is_empty() {
            return Err(Error::EmptyPassphrase);
        }
        Ok(Passphrase(text))
    }

    fn bytes(&self) -> &[u8] {
        self.0.as_bytes()
    }

    pub fn chars(&self) -> usize {
        self.0.chars().count()
    }
}

impl std::fmt::Debug for Passphrase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Passphrase([redacted])")
    }
}

/// How the phone's keystore failed to wrap or unwrap the vault key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PlatformKeyFailure {
    /// The user dismissed the biometric or device-credential prompt.
    Cancelled,
    /// The keystore key is gone: biometrics re-enrolled, device reset, app reinstalled.
    KeyInvalidated,
    /// Anything else the keystore reports.
    Unavailable,
}

/// The phone's keystore (Android Keystore, iOS Keychain + Secure Enclave), which wraps
/// the vault key with a key that never leaves the hardware.
pub trait KeyWrapper {
    fn wrap(&self, key: &[u8]) -> Result<Vec<u8>, PlatformKeyFailure>;
    fn unwrap(&self, wrapped: &[u8]) -> Result<Zeroizing<Vec<u8>>, PlatformKeyFailure>;
}

/// Argon2id cost parameters, stored with each passphrase slot and backup.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KdfParams {
    pub memory_kib: u32,
    pub iterations: u32,
    pub parallelism: u32,
}

impl KdfParams {
    /// 64 MiB, 3 passes, 1 lane: ~170 ms on a laptop core, within a phone's budget.
    pub const DEFAULT: KdfParams = KdfParams {
        memory_kib: 64 * 1024,
        iterations: 3,
        parallelism: 1,
    };
    /// OWASP's minimum for Argon2id (19 MiB, 2 passes): nothing weaker is read or written.
    pub const FLOOR: KdfParams = KdfParams {
        memory_kib: 19 * 1024,
        iterations: 2,
        parallelism: 1,
    };
    /// A file asking for more would make a phone run out of memory or time: refused.
    pub const CEILING: KdfParams = KdfParams {
        memory_kib: 1024 * 1024,
        iterations: 20,
        parallelism: 8,
    };

    /// Parameters from a file or a user: within floor and ceiling, or an error.
    pub fn checked(memory_kib: u32, iterations: u32, parallelism: u32) -> Result<Self> {
        let (lo, hi) = (Self::FLOOR, Self::CEILING);
        let ok = (lo.memory_kib..=hi.memory_kib).contains(&memory_kib)
            && (lo.iterations..=hi.iterations).contains(&iterations)
            && (lo.parallelism..=hi.parallelism).contains(&parallelism)
            && memory_kib >= 8 * parallelism;
        if ok {
            Ok(KdfParams {
                memory_kib,
                iterations,
                parallelism,
            })
        } else {
            Err(Error::KdfParamsOutOfRange)
        }
    }

    /// 12 bytes: memory, iterations, parallelism, big-endian.
    pub fn encode(&self) -> [u8; 12] {
        let mut out = [0u8; 12];
        out[..4].copy_from_slice(&self.memory_kib.to_be_bytes());
        out[4..8].copy_from_slice(&self.iterations.to_be_bytes());
        out[8..].copy_from_slice(&self.parallelism.to_be_bytes());
        out
    }

    pub fn decode(bytes: &[u8]) -> Result<Self> {
        let field = |i: usize| -> Result<u32> {
            bytes
                .get(i..i + 4)
                .and_then(|b| b.try_into().ok())
                .map(u32::from_be_bytes)
                .ok_or(Error::KdfParamsOutOfRange)
        };
        if bytes.len() != 12 {
            return Err(Error::KdfParamsOutOfRange);
        }
        Self::checked(field(0)?, field(4)?, field(8)?)
    }

    /// The key-encryption key for `passphrase` and `salt`.
    pub fn derive(&self, passphrase: &Passphrase, salt: &[u8]) -> Result<Zeroizing<[u8; KEY_LEN]>> {
        let params = Params::new(
            self.memory_kib,
            self.iterations,
            self.parallelism,
            Some(KEY_LEN),
        )
        .map_err(|_| Error::KdfParamsOutOfRange)?;
        let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params);
        let mut out = Zeroizing::new([0u8; KEY_LEN]);
        argon
            .hash_password_into(passphrase.bytes(), salt, out.as_mut_slice())
            .map_err(|_| Error::KdfParamsOutOfRange)?;
        Ok(out)
    }
}

pub const SALT_LEN: usize = 32;

/// What a passphrase slot stores beside the wrapped key: the salt and the parameters.
pub struct PassphraseSlotParams {
    pub kdf: KdfParams,
    pub salt: [u8; SALT_LEN],
}

impl PassphraseSlotParams {
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(12 + SALT_LEN);
        out.extend_from_slice(&self.kdf.encode());
        out.extend_from_slice(&self.salt);
        out
    }

    pub fn decode(bytes: &[u8]) -> Result<Self> {
        if bytes.len() != 12 + SALT_LEN {
            return Err(Error::KdfParamsOutOfRange);
        }
        let kdf = KdfParams::decode(&bytes[..12])?;
        let mut salt = [0u8; SALT_LEN];
        salt.copy_from_slice(&bytes[12..]);
        Ok(PassphraseSlotParams { kdf, salt })
    }
}

fn slot_place(slot_uuid: &[u8; 16]) -> Place<'_> {
    Place {
        table: "key_slots",
        column: "wrapped_key",
        owner: slot_uuid,
    }
}

/// Wraps the vault key under a passphrase: (stored parameters, wrapped key).
pub fn wrap_with_passphrase(
    vault_key: &VaultKey,
    passphrase: &Passphrase,
    kdf: KdfParams,
    slot_uuid: &[u8; 16],
) -> Result<(Vec<u8>, Vec<u8>)> {
    let params = PassphraseSlotParams {
        kdf,
        salt: crypto::random_bytes()?,
    };
    let kek = kdf.derive(passphrase, &params.salt)?;
    let encoded = params.encode();
    let wrapped = crypto::seal_with(&kek, slot_place(slot_uuid), &encoded, vault_key.expose())?;
    Ok((encoded, wrapped))
}

/// Unwraps a passphrase slot. A wrong passphrase fails the AEAD tag.
pub fn unwrap_with_passphrase(
    passphrase: &Passphrase,
    params: &[u8],
    wrapped: &[u8],
    slot_uuid: &[u8; 16],
) -> Result<VaultKey> {
    let decoded = PassphraseSlotParams::decode(params)?;
    let kek = decoded.kdf.derive(passphrase, &decoded.salt)?;
    let key = crypto::open_with(&kek, slot_place(slot_uuid), params, wrapped)
        .map_err(|_| Error::WrongPassphrase)?;
    VaultKey::from_bytes(&key).ok_or(Error::WrongPassphrase)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pass(s: &str) -> Passphrase {
        Passphrase::new(Zeroizing::new(s.into())).unwrap()
    }

    #[test]
    fn wraps_and_unwraps() {
        let vk = VaultKey::generate().unwrap();
        let uuid = [1u8; 16];
        let (params, wrapped) =
            wrap_with_passphrase(&vk, &pass("correct horse"), KdfParams::FLOOR, &uuid).unwrap();
        let back =
            unwrap_with_passphrase(&pass("correct horse"), &params, &wrapped, &uuid).unwrap();
        assert_eq!(back.expose(), vk.expose());
        assert!(matches!(
            unwrap_with_passphrase(&pass("wrong"), &params, &wrapped, &uuid),
            Err(Error::WrongPassphrase)
        ));
        assert!(matches!(
            unwrap_with_passphrase(&pass("correct horse"), &params, &wrapped, &[2u8; 16]),
            Err(Error::WrongPassphrase)
        ));
    }

    #[test]
    fn parameters_are_bound_and_bounded() {
        let vk = VaultKey::generate().unwrap();
        let uuid = [1u8; 16];
        let (mut params, wrapped) =
            wrap_with_passphrase(&vk, &pass("p"), KdfParams::FLOOR, &uuid).unwrap();
        // A raised iteration count is within bounds but no longer matches the AAD.
        params[7] += 1;
        assert!(matches!(
            unwrap_with_passphrase(&pass("p"), &params, &wrapped, &uuid),
            Err(Error::WrongPassphrase)
        ));
        let absurd = KdfParams {
            memory_kib: u32::MAX,
            iterations: 1,
            parallelism: 1,
        };
        let mut bad = absurd.encode().to_vec();
        bad.extend_from_slice(&[0; SALT_LEN]);
        assert!(matches!(
            unwrap_with_passphrase(&pass("p"), &bad, &wrapped, &uuid),
            Err(Error::KdfParamsOutOfRange)
        ));
        assert!(KdfParams::checked(1024, 3, 1).is_err(), "under the floor");
        assert!(
            KdfParams::checked(64 * 1024, 1000, 1).is_err(),
            "over the ceiling"
        );
        assert!(KdfParams::checked(64 * 1024, 3, 0).is_err());
        assert!(KdfParams::decode(&[0; 11]).is_err());
        assert_eq!(
            KdfParams::decode(&KdfParams::DEFAULT.encode()).unwrap(),
            KdfParams::DEFAULT
        );
    }

    #[test]
    fn empty_passphrase_is_refused_and_debug_redacted() {
        assert!(matches!(
            Passphrase::new(Zeroizing::new(String::new())),
            Err(Error::EmptyPassphrase)
        ));
        assert_eq!(format!("{:?}", pass("hunter2")), "Passphrase([redacted])");
    }
}
