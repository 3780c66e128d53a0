//! Open + unlock (platform slot) + codes for 1, 100 and 1,000 entries, beside the floor
//! measured in the same run: one HMAC-SHA1 and one AEAD decryption per entry, the work
//! no implementation can skip.

use std::hint::black_box;
use std::path::{Path, PathBuf};

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use eproc_a2f_core::otp::{OtpKey, OtpParams, UnixTime};
use eproc_a2f_core::secret::Secret;
use eproc_a2f_core::vault::{
    FirstSlot, KdfParams, KeyWrapper, NewEntry, Passphrase, PlatformKeyFailure, Vault,
};
use hmac::{Hmac, Mac};
use zeroize::Zeroizing;

/// Stands in for the phone keystore: an XChaCha20-Poly1305 key held in memory, so the
/// measured unlock is the vault's own cost, not a hardware round trip.
struct SoftKeystore(XChaCha20Poly1305);

impl KeyWrapper for SoftKeystore {
    fn wrap(&self, key: &[u8]) -> Result<Vec<u8>, PlatformKeyFailure> {
        let mut out = vec![0u8; 24];
        let sealed = self
            .0
            .encrypt(&XNonce::from([0u8; 24]), key)
            .map_err(|_| PlatformKeyFailure::Unavailable)?;
        out.extend(sealed);
        Ok(out)
    }
    fn unwrap(&self, wrapped: &[u8]) -> Result<Zeroizing<Vec<u8>>, PlatformKeyFailure> {
        let (nonce, sealed) = wrapped.split_at(24);
        let nonce: [u8; 24] = nonce.try_into().unwrap();
        self.0
            .decrypt(&XNonce::from(nonce), sealed)
            .map(Zeroizing::new)
            .map_err(|_| PlatformKeyFailure::KeyInvalidated)
    }
}

fn keystore() -> SoftKeystore {
    SoftKeystore(XChaCha20Poly1305::new(&[7u8; 32].into()))
}

fn vault_with(dir: &Path, n: u32) -> PathBuf {
    let path = dir.join(format!("bench-{n}.db"));
    let mut vault = Vault::create(&path, FirstSlot::Platform(&keystore())).unwrap();
    for i in 0..n {
        let mut secret = [0x5au8; 20];
        secret[..4].copy_from_slice(&i.to_be_bytes());
        vault
            .add(NewEntry {
                key: OtpKey {
                    secret: Secret::from_bytes(secret.to_vec()).unwrap(),
                    params: OtpParams::default_totp(),
                },
                issuer: Some("eproc TRF4".into()),
                login: Some(format!("{i:011}")),
                label: None,
                systems: vec![],
            })
            .unwrap();
    }
    path
}

fn bench(c: &mut Criterion) {
    let dir = std::env::temp_dir().join(format!("a2f-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let at = UnixTime::new(1_700_000_000).unwrap();
    let mut group = c.benchmark_group("vault");
    for n in [1u32, 100, 1000] {
        let path = vault_with(&dir, n);
        let ks = keystore();
        group.bench_with_input(
            BenchmarkId::new("open_unlock_codes", n),
            &path,
            |b, path| {
                b.iter(|| {
                    let mut vault = Vault::open(path).unwrap();
                    vault.unlock_with_platform(&ks).unwrap();
                    let codes = vault.codes(at, None).unwrap();
                    assert_eq!(codes.len(), n as usize);
                    black_box(codes)
                })
            },
        );

        let aead = XChaCha20Poly1305::new(&[9u8; 32].into());
        let blobs: Vec<Vec<u8>> = (0..n)
            .map(|i| {
                aead.encrypt(
                    &XNonce::from([i as u8; 24]),
                    Payload {
                        msg: &[1u8; 34],
                        aad: b"aad",
                    },
                )
                .unwrap()
            })
            .collect();
        group.bench_with_input(
            BenchmarkId::new("floor_hmac_aead", n),
            &blobs,
            |b, blobs| {
                b.iter(|| {
                    for (i, blob) in blobs.iter().enumerate() {
                        let plain = aead
                            .decrypt(
                                &XNonce::from([i as u8; 24]),
                                Payload {
                                    msg: blob,
                                    aad: b"aad",
                                },
                            )
                            .unwrap();
                        let mut mac =
                            <Hmac<sha1::Sha1> as hmac::KeyInit>::new_from_slice(&plain[..20])
                                .unwrap();
                        mac.update(&(1_700_000_000u64 / 30).to_be_bytes());
                        black_box(mac.finalize());
                    }
                })
            },
        );
    }
    group.finish();

    // The passphrase slot at the default cost: Argon2id dominates, by design.
    let path = dir.join("passphrase.db");
    let pass = Passphrase::new(Zeroizing::new("bench passphrase".into())).unwrap();
    drop(Vault::create(&path, FirstSlot::Passphrase(&pass, KdfParams::DEFAULT)).unwrap());
    let mut slow = c.benchmark_group("vault");
    slow.sample_size(10);
    slow.bench_function("open_unlock_passphrase", |b| {
        b.iter(|| {
            let mut vault = Vault::open(&path).unwrap();
            vault.unlock_with_passphrase(&pass).unwrap();
            black_box(vault)
        })
    });
    slow.finish();
    let _ = std::fs::remove_dir_all(&dir);
}

criterion_group!(benches, bench);
criterion_main!(benches);
