//! Field encryption: XChaCha20-Poly1305 under keys derived from the vault key, with a
//! fresh random nonce per write and associated data that binds each blob to its place.

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hmac::{Hmac, KeyInit as HmacKeyInit, Mac};
use sha2::Sha256;
use zeroize::Zeroizing;

use crate::error::{Error, Result};

pub const KEY_LEN: usize = 32;
pub const NONCE_LEN: usize = 24;
pub const TAG_LEN: usize = 16;
/// The first byte of every blob; a new layout gets a new number.
pub const BLOB_FORMAT: u8 = 1;
/// Tags every associated data, so that no other program's ciphertext verifies here.
const AAD_TAG: &[u8] = b"a2f-eproc";

pub fn random_bytes<const N: usize>() -> Result<[u8; N]> {
    let mut out = [0u8; N];
    getrandom::fill(&mut out).map_err(|_| Error::RandomUnavailable)?;
    Ok(out)
}

/// The random 256-bit key of one vault. Only ever stored wrapped, in key slots.
pub struct VaultKey(Zeroizing<[u8; KEY_LEN]>);

impl VaultKey {
    pub fn generate() -> Result<Self> {
        Ok(VaultKey(Zeroizing::new(random_bytes()?)))
    }

    /// From unwrapped bytes; anything but 32 bytes cannot be a vault key.
    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        let array: [u8; KEY_LEN] = bytes.try_into().ok()?;
        Some(VaultKey(Zeroizing::new(array)))
    }

    pub fn expose(&self) -> &[u8; KEY_LEN] {
        &self.0
    }

    /// One-block HKDF-Expand-like derivation: HMAC-SHA256(vault key, purpose). Keys for
    /// different purposes never coincide, and none of them is the vault key itself.
    fn derive(&self, purpose: &[u8]) -> Zeroizing<[u8; KEY_LEN]> {
        let mut mac = <Hmac<Sha256> as HmacKeyInit>::new_from_slice(self.0.as_slice())
            .expect("HMAC takes keys of any length");
        mac.update(purpose);
        let mut out = Zeroizing::new([0u8; KEY_LEN]);
        out.copy_from_slice(&mac.finalize().into_bytes());
        out
    }
}

impl std::fmt::Debug for VaultKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("VaultKey([redacted])")
    }
}

/// Where a blob lives. The associated data names it, so a blob copied to another row,
/// column or table no longer decrypts.
#[derive(Clone, Copy, Debug)]
pub struct Place<'a> {
    pub table: &'static str,
    pub column: &'static str,
    /// The owner's immutable UUID (an entry's, a slot's or the vault's), never a rowid.
    pub owner: &'a [u8; 16],
}

impl Place<'_> {
    fn aad(&self, extra: &[u8]) -> Vec<u8> {
        let mut aad = Vec::with_capacity(64 + extra.len());
        aad.extend_from_slice(AAD_TAG);
        aad.push(0);
        aad.push(BLOB_FORMAT);
        aad.extend_from_slice(self.table.as_bytes());
        aad.push(0);
        aad.extend_from_slice(self.column.as_bytes());
        aad.push(0);
        aad.extend_from_slice(self.owner);
        aad.extend_from_slice(extra);
        aad
    }
}

/// A blob that does not decrypt at its place: tampered, truncated, moved, or under
/// another key. Deliberately carries no detail: AEAD failures are indistinguishable.
#[derive(Debug, PartialEq, Eq)]
pub struct BadBlob;

/// XChaCha20-Poly1305 of `plaintext` under `key` and `nonce`, binding `aad`:
/// ciphertext ‖ tag.
pub fn aead_seal(
    key: &[u8; KEY_LEN],
    nonce: &[u8; NONCE_LEN],
    aad: &[u8],
    plaintext: &[u8],
) -> Result<Vec<u8>> {
    XChaCha20Poly1305::new(key.into())
        .encrypt(
            &XNonce::from(*nonce),
            Payload {
                msg: plaintext,
                aad,
            },
        )
        .map_err(|_| Error::Internal)
}

/// The inverse of `aead_seal`; any change to key, nonce, aad or bytes fails.
pub fn aead_open(
    key: &[u8; KEY_LEN],
    nonce: &[u8; NONCE_LEN],
    aad: &[u8],
    sealed: &[u8],
) -> Result<Zeroizing<Vec<u8>>, BadBlob> {
    XChaCha20Poly1305::new(key.into())
        .decrypt(&XNonce::from(*nonce), Payload { msg: sealed, aad })
        .map(Zeroizing::new)
        .map_err(|_| BadBlob)
}

/// Seals `plaintext` with `key` for `place`: format ‖ nonce ‖ ciphertext+tag.
/// `extra` is bound too (a key slot binds its KDF parameters).
pub fn seal_with(
    key: &[u8; KEY_LEN],
    place: Place<'_>,
    extra: &[u8],
    plaintext: &[u8],
) -> Result<Vec<u8>> {
    let nonce: [u8; NONCE_LEN] = random_bytes()?;
    let sealed = aead_seal(key, &nonce, &place.aad(extra), plaintext)?;
    let mut blob = Vec::with_capacity(1 + NONCE_LEN + sealed.len());
    blob.push(BLOB_FORMAT);
    blob.extend_from_slice(&nonce);
    blob.extend_from_slice(&sealed);
    Ok(blob)
}

pub fn open_with(
    key: &[u8; KEY_LEN],
    place: Place<'_>,
    extra: &[u8],
    blob: &[u8],
) -> Result<Zeroizing<Vec<u8>>, BadBlob> {
    if blob.len() < 1 + NONCE_LEN + TAG_LEN || blob[0] != BLOB_FORMAT {
        return Err(BadBlob);
    }
    let (nonce, sealed) = blob[1..].split_at(NONCE_LEN);
    let nonce: [u8; NONCE_LEN] = nonce.try_into().map_err(|_| BadBlob)?;
    aead_open(key, &nonce, &place.aad(extra), sealed)
}

/// The keys an unlocked vault works with, derived from the vault key.
pub struct FieldKeys {
    field: Zeroizing<[u8; KEY_LEN]>,
    fingerprint: Zeroizing<[u8; KEY_LEN]>,
}

impl FieldKeys {
    pub fn derive(vault_key: &VaultKey) -> Self {
        FieldKeys {
            field: vault_key.derive(b"a2f-eproc/v1/field-encryption"),
            fingerprint: vault_key.derive(b"a2f-eproc/v1/key-fingerprint"),
        }
    }

    pub fn seal(&self, place: Place<'_>, plaintext: &[u8]) -> Result<Vec<u8>> {
        seal_with(&self.field, place, &[], plaintext)
    }

    pub fn open(&self, place: Place<'_>, blob: &[u8]) -> Result<Zeroizing<Vec<u8>>, BadBlob> {
        open_with(&self.field, place, &[], blob)
    }

    /// A keyed fingerprint of an OTP key, to find duplicates without decrypting every
    /// entry. Without the vault key it says nothing about the key.
    pub fn fingerprint(&self, secret: &[u8]) -> [u8; 32] {
        let mut mac = <Hmac<Sha256> as HmacKeyInit>::new_from_slice(self.fingerprint.as_slice())
            .expect("HMAC takes keys of any length");
        mac.update(secret);
        mac.finalize().into_bytes().into()
    }
}

impl std::fmt::Debug for FieldKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("FieldKeys([redacted])")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OWNER: [u8; 16] = [7; 16];
    const OTHER: [u8; 16] = [8; 16];

    fn keys() -> FieldKeys {
        FieldKeys::derive(&VaultKey::generate().unwrap())
    }

    fn place(owner: &[u8; 16]) -> Place<'_> {
        Place {
            table: "entries",
            column: "key",
            owner,
        }
    }

    #[test]
    fn round_trip_and_fresh_nonces() {
        let k = keys();
        let a = k.seal(place(&OWNER), b"hello").unwrap();
        let b = k.seal(place(&OWNER), b"hello").unwrap();
        assert_ne!(a, b, "a fresh nonce per write");
        assert_eq!(a.len(), 1 + NONCE_LEN + 5 + TAG_LEN);
        assert_eq!(&*k.open(place(&OWNER), &a).unwrap(), b"hello");
        assert_eq!(&*k.open(place(&OWNER), &b).unwrap(), b"hello");
    }

    #[test]
    fn every_bit_flip_is_rejected() {
        let k = keys();
        let blob = k.seal(place(&OWNER), b"GEZDGNBVGY3TQOJQ").unwrap();
        for bit in 0..blob.len() * 8 {
            let mut bad = blob.clone();
            bad[bit / 8] ^= 1 << (bit % 8);
            assert_eq!(k.open(place(&OWNER), &bad), Err(BadBlob), "bit {bit}");
        }
        for len in 0..blob.len() {
            assert_eq!(
                k.open(place(&OWNER), &blob[..len]),
                Err(BadBlob),
                "len {len}"
            );
        }
    }

    #[test]
    fn a_blob_only_opens_at_its_place() {
        let k = keys();
        let blob = k.seal(place(&OWNER), b"x").unwrap();
        assert!(k.open(place(&OTHER), &blob).is_err());
        let moved_column = Place {
            column: "label",
            ..place(&OWNER)
        };
        assert!(k.open(moved_column, &blob).is_err());
        let moved_table = Place {
            table: "meta",
            ..place(&OWNER)
        };
        assert!(k.open(moved_table, &blob).is_err());
        assert!(
            keys().open(place(&OWNER), &blob).is_err(),
            "another vault's key"
        );
        assert!(open_with(&[0; 32], place(&OWNER), b"extra", &blob).is_err());
    }

    #[test]
    fn derived_keys_differ_and_fingerprints_are_keyed() {
        let vk = VaultKey::generate().unwrap();
        let a = FieldKeys::derive(&vk);
        assert_ne!(*a.field, *a.fingerprint);
        assert_ne!(a.field.as_slice(), vk.expose().as_slice());
        assert_eq!(
            a.fingerprint(b"k"),
            FieldKeys::derive(&vk).fingerprint(b"k")
        );
        assert_ne!(a.fingerprint(b"k"), keys().fingerprint(b"k"));
        assert_ne!(a.fingerprint(b"k"), a.fingerprint(b"l"));
    }

    #[test]
    fn debug_is_redacted() {
        let vk = VaultKey::generate().unwrap();
        assert_eq!(format!("{vk:?}"), "VaultKey([redacted])");
        assert_eq!(
            format!("{:?}", FieldKeys::derive(&vk)),
            "FieldKeys([redacted])"
        );
    }
}
