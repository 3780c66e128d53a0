//! Encrypted backups: every entry of a vault, keys included, in one file sealed under a
//! passphrase. The format is specified in `docs/backup-format.md`; this module is its
//! only reader and writer.

use std::path::Path;

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use zeroize::Zeroizing;

use crate::catalog::SystemId;
use crate::error::{Error, Result};
use crate::files;
use crate::vault::crypto::{self, KEY_LEN, NONCE_LEN, TAG_LEN};
use crate::vault::record::{self, Details};
use crate::vault::{Added, EntryId, FullEntry, KdfParams, Passphrase, RestoreMode, Vault};

/// The payload codec, opened to cargo-fuzz builds only (the file's bytes are sealed;
/// fuzzing through a key derivation per input would crawl).
#[cfg(fuzzing)]
#[doc(hidden)]
pub mod fuzzing {
    use super::{Backup, FullEntry, Result, Zeroizing};

    pub fn decode_payload(bytes: &[u8]) -> Option<Backup> {
        super::decode_payload(bytes)
    }

    pub fn encode_payload(entries: &[FullEntry], created_at: i64) -> Result<Zeroizing<Vec<u8>>> {
        super::encode_payload(entries, created_at)
    }
}

pub const MAGIC: &[u8; 8] = b"A2FEBKUP";
pub const FORMAT_VERSION: u8 = 1;
const PAYLOAD_VERSION: u8 = 1;
const SALT_LEN: usize = 32;
const CHECK_LEN: usize = 16;
/// magic ‖ version ‖ KDF parameters ‖ salt ‖ passphrase check ‖ nonce.
pub const HEADER_LEN: usize = 8 + 1 + 12 + SALT_LEN + CHECK_LEN + NONCE_LEN;
/// A backup of a hundred thousand entries is under 30 MB.
pub const MAX_BACKUP_BYTES: usize = 64 * 1024 * 1024;
const MAX_ENTRIES: u32 = 100_000;
/// An absent time, in the payload's fixed-width fields.
const NO_TIME: i64 = i64::MIN;

/// What a backup holds.
#[derive(Debug)]
pub struct Backup {
    pub created_at: i64,
    pub entries: Vec<FullEntry>,
}

/// A backup made from a vault, already checked by reading it back.
pub struct Created {
    pub bytes: Zeroizing<Vec<u8>>,
    pub entries: usize,
    /// Entries that could not be read and are therefore not in the backup.
    pub damaged: Vec<EntryId>,
}

/// The key that seals the payload and the check that tells a wrong passphrase from a
/// damaged file. Without the check, both would fail the same AEAD tag.
fn derive(
    passphrase: &Passphrase,
    kdf: &KdfParams,
    salt: &[u8],
) -> Result<(Zeroizing<[u8; KEY_LEN]>, [u8; CHECK_LEN])> {
    let master = kdf.derive(passphrase, salt)?;
    let sub = |purpose: &[u8]| {
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(master.as_slice())
            .expect("HMAC takes keys of any length");
        mac.update(purpose);
        mac.finalize().into_bytes()
    };
    let mut key = Zeroizing::new([0u8; KEY_LEN]);
    key.copy_from_slice(&sub(b"a2f-eproc/backup/v1/payload-key"));
    let mut check = [0u8; CHECK_LEN];
    check.copy_from_slice(&sub(b"a2f-eproc/backup/v1/passphrase-check")[..CHECK_LEN]);
    Ok((key, check))
}

/// Seals entries into a backup file's bytes.
pub fn seal(
    entries: &[FullEntry],
    created_at: i64,
    passphrase: &Passphrase,
    kdf: KdfParams,
) -> Result<Zeroizing<Vec<u8>>> {
    let salt: [u8; SALT_LEN] = crypto::random_bytes()?;
    let nonce: [u8; NONCE_LEN] = crypto::random_bytes()?;
    let (key, check) = derive(passphrase, &kdf, &salt)?;
    let payload = encode_payload(entries, created_at)?;
    let mut header = Vec::with_capacity(HEADER_LEN);
    header.extend_from_slice(MAGIC);
    header.push(FORMAT_VERSION);
    header.extend_from_slice(&kdf.encode());
    header.extend_from_slice(&salt);
    header.extend_from_slice(&check);
    header.extend_from_slice(&nonce);
    let sealed = crypto::aead_seal(&key, &nonce, &header, &payload)?;
    let mut out = Zeroizing::new(Vec::with_capacity(HEADER_LEN + sealed.len()));
    out.extend_from_slice(&header);
    out.extend_from_slice(&sealed);
    Ok(out)
}

/// Opens a backup. Refuses, with distinct errors: what is no backup, a newer format,
/// absurd KDF parameters, a wrong passphrase, and a damaged file.
pub fn open(bytes: &[u8], passphrase: &Passphrase) -> Result<Backup> {
    if bytes.len() > MAX_BACKUP_BYTES {
        return Err(Error::InputTooLarge {
            max_bytes: MAX_BACKUP_BYTES,
        });
    }
    if !bytes.starts_with(MAGIC) {
        return Err(Error::NotABackup);
    }
    if bytes.len() < HEADER_LEN + TAG_LEN {
        return Err(Error::BackupDamaged);
    }
    let (header, sealed) = bytes.split_at(HEADER_LEN);
    if header[8] > FORMAT_VERSION {
        return Err(Error::BackupTooNew);
    }
    if header[8] != FORMAT_VERSION {
        return Err(Error::BackupDamaged);
    }
    let kdf = KdfParams::decode(&header[9..21])?;
    let salt = &header[21..21 + SALT_LEN];
    let stored_check = &header[21 + SALT_LEN..21 + SALT_LEN + CHECK_LEN];
    let nonce: [u8; NONCE_LEN] = header[HEADER_LEN - NONCE_LEN..]
        .try_into()
        .map_err(|_| Error::BackupDamaged)?;
    let (key, check) = derive(passphrase, &kdf, salt)?;
    if !constant_time_eq(&check, stored_check) {
        return Err(Error::WrongPassphrase);
    }
    let payload =
        crypto::aead_open(&key, &nonce, header, sealed).map_err(|_| Error::BackupDamaged)?;
    decode_payload(&payload).ok_or(Error::BackupDamaged)
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Makes a backup of every readable entry, live and trashed, and checks it by opening
/// it again with the passphrase and comparing every entry.
pub fn create(vault: &Vault, passphrase: &Passphrase, kdf: KdfParams) -> Result<Created> {
    let all = vault.full_entries()?;
    let damaged = all.damaged;
    let entries: Vec<FullEntry> = all.entries.into_iter().map(|(_, e)| e).collect();
    let created_at = crate::otp::UnixTime::now()?.seconds() as i64;
    let bytes = seal(&entries, created_at, passphrase, kdf)?;
    verify(&bytes, passphrase, &entries)?;
    Ok(Created {
        bytes,
        entries: entries.len(),
        damaged,
    })
}

/// What `write_file` wrote.
#[derive(Debug)]
pub struct Written {
    pub entries: usize,
    /// Entries that could not be read and are therefore not in the backup.
    pub damaged: Vec<EntryId>,
}

/// Writes a backup file atomically, then reads the file back from disk, opens it with
/// the passphrase and compares every entry: a backup that cannot be restored is never
/// reported as written.
pub fn write_file(
    vault: &Vault,
    path: &Path,
    passphrase: &Passphrase,
    kdf: KdfParams,
) -> Result<Written> {
    let all = vault.full_entries()?;
    let damaged = all.damaged;
    let entries: Vec<FullEntry> = all.entries.into_iter().map(|(_, e)| e).collect();
    let created_at = crate::otp::UnixTime::now()?.seconds() as i64;
    let bytes = seal(&entries, created_at, passphrase, kdf)?;
    files::write_atomically(path, &bytes)?;
    let on_disk = Zeroizing::new(std::fs::read(path).map_err(|_| Error::BackupVerifyFailed)?);
    verify(&on_disk, passphrase, &entries)?;
    Ok(Written {
        entries: entries.len(),
        damaged,
    })
}

/// Opens backup bytes and checks that they hold exactly `expected`: what was written is
/// what can be restored.
pub fn verify(bytes: &[u8], passphrase: &Passphrase, expected: &[FullEntry]) -> Result<()> {
    let back = open(bytes, passphrase).map_err(|_| Error::BackupVerifyFailed)?;
    if back.entries.len() != expected.len()
        || back
            .entries
            .iter()
            .zip(expected)
            .any(|(a, b)| !same_entry(a, b))
    {
        return Err(Error::BackupVerifyFailed);
    }
    Ok(())
}

fn same_entry(a: &FullEntry, b: &FullEntry) -> bool {
    a.uuid == b.uuid
        && a.key == b.key
        && a.label == b.label
        && a.issuer == b.issuer
        && a.login == b.login
        && a.systems == b.systems
        && a.created_at == b.created_at
        && a.key_changed_at == b.key_changed_at
        && a.exported_at == b.exported_at
        && a.deleted_at == b.deleted_at
}

/// Restores a backup into a vault; nothing changes unless the backup opens whole.
pub fn restore(
    vault: &mut Vault,
    bytes: &[u8],
    passphrase: &Passphrase,
    mode: RestoreMode,
) -> Result<Vec<Added>> {
    let backup = open(bytes, passphrase)?;
    vault.restore_entries(backup.entries, mode)
}

fn time_field(t: Option<i64>) -> [u8; 8] {
    t.unwrap_or(NO_TIME).to_be_bytes()
}

/// The payload: version ‖ created_at ‖ count ‖ entries. Sized before it is written, so
/// the buffer holding keys is never reallocated (which would leave copies behind).
fn encode_payload(entries: &[FullEntry], created_at: i64) -> Result<Zeroizing<Vec<u8>>> {
    let count = u32::try_from(entries.len())
        .ok()
        .filter(|n| *n <= MAX_ENTRIES)
        .ok_or(Error::Internal)?;
    let mut encoded = Vec::with_capacity(entries.len());
    let mut len = 1 + 8 + 4;
    for e in entries {
        let key = record::encode(&e.key);
        let details = record::encode_details(&Details {
            label: e.label.clone(),
            issuer: e.issuer.clone(),
            login: e.login.clone(),
        });
        len += 16
            + 4 * 8
            + 1
            + e.systems
                .iter()
                .map(|s| 1 + s.as_str().len())
                .sum::<usize>();
        len += 2 + key.len() + 4 + details.len();
        encoded.push((key, details));
    }
    let mut out = Zeroizing::new(Vec::with_capacity(len));
    out.push(PAYLOAD_VERSION);
    out.extend_from_slice(&created_at.to_be_bytes());
    out.extend_from_slice(&count.to_be_bytes());
    for (e, (key, details)) in entries.iter().zip(&encoded) {
        out.extend_from_slice(&e.uuid);
        out.extend_from_slice(&e.created_at.to_be_bytes());
        out.extend_from_slice(&e.key_changed_at.to_be_bytes());
        out.extend_from_slice(&time_field(e.exported_at));
        out.extend_from_slice(&time_field(e.deleted_at));
        // At most the catalog's 22 systems, with ids under 16 bytes.
        out.push(e.systems.len() as u8);
        for s in &e.systems {
            out.push(s.as_str().len() as u8);
            out.extend_from_slice(s.as_str().as_bytes());
        }
        out.extend_from_slice(&(key.len() as u16).to_be_bytes());
        out.extend_from_slice(key);
        out.extend_from_slice(&(details.len() as u32).to_be_bytes());
        out.extend_from_slice(details);
    }
    debug_assert_eq!(out.len(), len);
    Ok(out)
}

/// A cursor over the payload that never reads past its end.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if self.0.len() < n {
            return None;
        }
        let (head, tail) = self.0.split_at(n);
        self.0 = tail;
        Some(head)
    }
    fn u8(&mut self) -> Option<u8> {
        self.take(1).map(|b| b[0])
    }
    fn u16(&mut self) -> Option<u16> {
        self.take(2).map(|b| u16::from_be_bytes([b[0], b[1]]))
    }
    fn u32(&mut self) -> Option<u32> {
        self.take(4)?.try_into().ok().map(u32::from_be_bytes)
    }
    fn i64(&mut self) -> Option<i64> {
        self.take(8)?.try_into().ok().map(i64::from_be_bytes)
    }
    fn time(&mut self) -> Option<Option<i64>> {
        self.i64().map(|t| (t != NO_TIME).then_some(t))
    }
}

fn decode_payload(bytes: &[u8]) -> Option<Backup> {
    let mut r = Reader(bytes);
    if r.u8()? != PAYLOAD_VERSION {
        return None;
    }
    let created_at = r.i64()?;
    let count = r.u32()?;
    if count > MAX_ENTRIES {
        return None;
    }
    let mut entries = Vec::with_capacity(count as usize);
    for _ in 0..count {
        let uuid: [u8; 16] = r.take(16)?.try_into().ok()?;
        let created_at = r.i64()?;
        let key_changed_at = r.i64()?;
        let exported_at = r.time()?;
        let deleted_at = r.time()?;
        let mut systems = Vec::new();
        for _ in 0..r.u8()? {
            let len = usize::from(r.u8()?);
            let id = std::str::from_utf8(r.take(len)?).ok()?;
            // A system a later catalog dropped is skipped, not fatal.
            if let Ok(id) = SystemId::parse(id) {
                systems.push(id);
            }
        }
        let key_len = usize::from(r.u16()?);
        let key = record::decode(r.take(key_len)?)?;
        let details_len = r.u32()? as usize;
        let details = record::decode_details(r.take(details_len)?)?;
        entries.push(FullEntry {
            uuid,
            key,
            label: details.label,
            issuer: details.issuer,
            login: details.login,
            systems,
            created_at,
            key_changed_at,
            exported_at,
            deleted_at,
        });
    }
    r.0.is_empty().then_some(Backup {
        created_at,
        entries,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::otp::{Algorithm, Counter, Digits, OtpKey, OtpKind, OtpParams, Period};
    use crate::secret::Secret;

    fn pass(s: &str) -> Passphrase {
        Passphrase::new(Zeroizing::new(s.into())).unwrap()
    }

    fn entry(seed: u8, hotp: bool) -> FullEntry {
        FullEntry {
            uuid: [seed; 16],
            key: OtpKey {
                secret: Secret::from_bytes(vec![seed; 20 + usize::from(seed % 7)]).unwrap(),
                params: OtpParams {
                    kind: if hotp {
                        OtpKind::Hotp {
                            counter: Counter::new(u64::from(seed) * 1000).unwrap(),
                        }
                    } else {
                        OtpKind::Totp {
                            period: Period::new(30 + u64::from(seed)).unwrap(),
                        }
                    },
                    algorithm: [Algorithm::Sha1, Algorithm::Sha256, Algorithm::Sha512]
                        [usize::from(seed % 3)],
                    digits: Digits::new(6 + u64::from(seed % 3)).unwrap(),
                },
            },
            label: format!("Entrada {seed} – ção"),
            issuer: seed.is_multiple_of(2).then(|| "eproc TRF4".into()),
            login: seed.is_multiple_of(3).then(|| format!("{seed:011}")),
            systems: ["trf4", "jfpr", "tnu"][..usize::from(seed % 4).min(3)]
                .iter()
                .map(|s| SystemId::parse(s).unwrap())
                .collect(),
            created_at: 1_700_000_000 + i64::from(seed),
            key_changed_at: 1_700_000_100 + i64::from(seed),
            exported_at: (seed % 2 == 1).then_some(1_700_000_200),
            deleted_at: (seed == 3).then_some(1_700_000_300),
        }
    }

    fn entries(n: u8) -> Vec<FullEntry> {
        (0..n).map(|i| entry(i, i % 5 == 4)).collect()
    }

    #[test]
    fn round_trip() {
        for n in [0u8, 1, 12] {
            let all = entries(n);
            let bytes = seal(&all, 1_700_000_999, &pass("backup pass"), KdfParams::FLOOR).unwrap();
            let back = open(&bytes, &pass("backup pass")).unwrap();
            assert_eq!(back.created_at, 1_700_000_999);
            assert_eq!(back.entries.len(), all.len());
            assert!(back.entries.iter().zip(&all).all(|(a, b)| same_entry(a, b)));
            verify(&bytes, &pass("backup pass"), &all).unwrap();
        }
    }

    #[test]
    fn typed_errors_for_every_bad_input() {
        let all = entries(3);
        let good = seal(&all, 0, &pass("p4ss"), KdfParams::FLOOR).unwrap();
        let code = |bytes: &[u8], p: &str| open(bytes, &pass(p)).unwrap_err().code().as_str();

        assert_eq!(code(&good, "wrong"), "wrong_passphrase");
        assert_eq!(code(b"", "p4ss"), "not_a_backup");
        assert_eq!(code(b"{\"version\": 1}", "p4ss"), "not_a_backup");
        assert_eq!(code(&good[..HEADER_LEN], "p4ss"), "backup_damaged");
        assert_eq!(code(&good[..good.len() - 1], "p4ss"), "backup_damaged");
        let mut newer = good.to_vec();
        newer[8] = 2;
        assert_eq!(code(&newer, "p4ss"), "backup_too_new");
        let mut absurd = good.to_vec();
        absurd[9..13].copy_from_slice(&u32::MAX.to_be_bytes());
        assert_eq!(code(&absurd, "p4ss"), "kdf_params_out_of_range");
        let mut weak = good.to_vec();
        weak[13..17].copy_from_slice(&1u32.to_be_bytes());
        assert_eq!(code(&weak, "p4ss"), "kdf_params_out_of_range");
        // Flipped bytes: in the salt the passphrase check fails; in the body the tag.
        let mut salt = good.to_vec();
        salt[30] ^= 1;
        assert_eq!(code(&salt, "p4ss"), "wrong_passphrase");
        for at in [HEADER_LEN - 1, HEADER_LEN, HEADER_LEN + 20, good.len() - 1] {
            let mut flipped = good.to_vec();
            flipped[at] ^= 0x40;
            assert_eq!(code(&flipped, "p4ss"), "backup_damaged", "byte {at}");
        }
        let huge = vec![0u8; MAX_BACKUP_BYTES + 1];
        assert_eq!(code(&huge, "p4ss"), "input_too_large");
    }

    /// A file of format 1 written by the CLI and kept in the repository: every later
    /// version must still read it.
    #[test]
    fn the_format_1_fixture_still_opens() {
        let bytes = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../tests/fixtures/sample.a2fbackup"
        ))
        .unwrap();
        let backup = open(&bytes, &pass("fixture passphrase")).unwrap();
        assert_eq!(backup.entries.len(), 2);
        let at = crate::otp::UnixTime::new(59).unwrap();
        let eproc = &backup.entries[0];
        assert_eq!(eproc.key.code(at).as_str(), "287082");
        assert_eq!(eproc.issuer.as_deref(), Some("eproc TRF4"));
        assert_eq!(eproc.login.as_deref(), Some("12345678900"));
        assert_eq!(eproc.systems.len(), 4);
        assert!(matches!(eproc.key.params.kind, OtpKind::Totp { .. }));
        assert!(matches!(
            backup.entries[1].key.params.kind,
            OtpKind::Hotp { .. }
        ));
        assert!(matches!(
            open(&bytes, &pass("wrong")),
            Err(Error::WrongPassphrase)
        ));
    }

    #[test]
    fn verify_catches_a_difference() {
        let all = entries(4);
        let bytes = seal(&all, 0, &pass("p"), KdfParams::FLOOR).unwrap();
        let mut other = entries(4);
        other[2].label.push('!');
        assert!(matches!(
            verify(&bytes, &pass("p"), &other),
            Err(Error::BackupVerifyFailed)
        ));
        assert!(matches!(
            verify(&bytes, &pass("p"), &all[..3]),
            Err(Error::BackupVerifyFailed)
        ));
    }

    #[test]
    fn payload_decoding_never_panics() {
        let payload = encode_payload(&entries(5), 7).unwrap();
        assert!(decode_payload(&payload).is_some());
        for len in 0..payload.len() {
            assert!(decode_payload(&payload[..len]).is_none(), "cut at {len}");
        }
        let mut longer = payload.to_vec();
        longer.push(0);
        assert!(decode_payload(&longer).is_none());
        let mut many = payload.to_vec();
        many[9..13].copy_from_slice(&u32::MAX.to_be_bytes());
        assert!(decode_payload(&many).is_none());
    }
}
