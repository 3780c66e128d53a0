//! Keys leaving the vault, only on the user's explicit request: the console key for an
//! automation console, and plaintext exports in other apps' formats.

use zeroize::Zeroizing;

use crate::error::{Error, Result};
use crate::import::ParsedKey;
use crate::vault::{EntryId, Vault};
use crate::{aegis, migration, otpauth, uri_list};

/// One entry's key in the forms an automation console takes.
pub struct ConsoleKey {
    /// As eproc shows it: upper-case base32, no padding, no spaces.
    pub raw: Zeroizing<String>,
    /// In groups of four, for reading aloud or typing.
    pub grouped: Zeroizing<String>,
    /// The otpauth URI, for consoles that scan or paste one.
    pub uri: Zeroizing<String>,
}

impl std::fmt::Debug for ConsoleKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ConsoleKey([redacted])")
    }
}

/// The key of `id` for the console, and the record that the console now has the current
/// key (`status` shows "export again" once the key changes).
pub fn console_key(vault: &mut Vault, id: EntryId) -> Result<ConsoleKey> {
    let (details, key) = vault.key(id)?;
    // Without an issuer the entry's label names the key in the console's list.
    let issuer = details.issuer.as_deref().unwrap_or(&details.label);
    let console = ConsoleKey {
        raw: key.secret.to_base32(),
        grouped: key.secret.to_base32_grouped(),
        uri: otpauth::write(&key, Some(issuer), details.login.as_deref()),
    };
    vault.mark_exported(id)?;
    Ok(console)
}

/// The formats of other apps the vault writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// One otpauth URI per line: what most apps import as "plain text".
    Uris,
    /// Aegis's plain JSON export.
    Aegis,
    /// Google Authenticator's "Transfer accounts" URIs, one per QR code.
    Google,
}

/// A plaintext export, and what it could not hold.
pub struct PlainExport {
    /// The whole export for `Uris` and `Aegis`; one transfer URI per QR code for `Google`.
    pub parts: Vec<Zeroizing<String>>,
    /// How many entries are in it.
    pub exported: usize,
    /// Entries the format cannot hold (Google takes SHA1, 6 digits and 30 s only), each
    /// with the reason. They are not silently changed to fit.
    pub skipped: Vec<(EntryId, Error)>,
    /// Entries that cannot be read from the vault.
    pub damaged: Vec<EntryId>,
}

impl std::fmt::Debug for PlainExport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PlainExport")
            .field("parts", &self.parts.len())
            .field("exported", &self.exported)
            .field("skipped", &self.skipped)
            .field("damaged", &self.damaged)
            .finish()
    }
}

/// Every live entry, in `format`. The issuer and login go where the format keeps the
/// issuer and the account name.
pub fn plaintext(vault: &Vault, format: Format) -> Result<PlainExport> {
    let all = vault.full_entries()?;
    let damaged = all.damaged;
    let (ids, keys): (Vec<EntryId>, Vec<ParsedKey>) = all
        .entries
        .into_iter()
        .filter(|(_, e)| e.deleted_at.is_none())
        .map(|(id, e)| {
            (
                id,
                ParsedKey {
                    key: e.key,
                    issuer: e.issuer,
                    account: e.login,
                    warnings: Vec::new(),
                },
            )
        })
        .unzip();
    let (parts, skipped) = match format {
        Format::Uris => (vec![uri_list::write(&keys)], Vec::new()),
        Format::Aegis => (vec![aegis::write(&keys)?], Vec::new()),
        Format::Google => {
            let out = migration::export(&keys)?;
            let skipped = out
                .skipped
                .into_iter()
                .map(|s| (ids[s.index], s.error))
                .collect();
            (out.uris, skipped)
        }
    };
    Ok(PlainExport {
        parts,
        exported: keys.len() - skipped.len(),
        skipped,
        damaged,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backup;
    use crate::catalog::SystemId;
    use crate::import;
    use crate::otp::{Algorithm, Digits, OtpKey, OtpKind, OtpParams, Period, UnixTime};
    use crate::secret::Secret;
    use crate::vault::tests::{Dir, new_vault, pass};
    use crate::vault::{Commit, KdfParams, NewEntry, RestoreMode, Shelf};

    fn fill(vault: &mut Vault, n: u32, google_safe: bool) {
        let entries = (0..n)
            .map(|i| {
                let mut secret = vec![0xA5u8; 20];
                secret[..4].copy_from_slice(&i.to_be_bytes());
                let odd = !google_safe && i % 3 == 1;
                NewEntry {
                    key: OtpKey {
                        secret: Secret::from_bytes(secret).unwrap(),
                        params: OtpParams {
                            kind: OtpKind::Totp {
                                period: Period::new(if odd { 60 } else { 30 }).unwrap(),
                            },
                            algorithm: if odd {
                                Algorithm::Sha256
                            } else {
                                Algorithm::Sha1
                            },
                            digits: Digits::new(if odd { 8 } else { 6 }).unwrap(),
                        },
                    },
                    issuer: Some(format!("eproc TRF4 {i}")),
                    login: (i % 2 == 0).then(|| format!("{i:011}")),
                    label: None,
                    systems: vec![SystemId::parse("trf4").unwrap()],
                }
            })
            .collect();
        vault.add_all(entries, Commit::Yes).unwrap();
    }

    /// (issuer, login, code now, code later) of every live entry, in order.
    fn fingerprint(vault: &Vault) -> Vec<(Option<String>, Option<String>, String, String)> {
        let now = UnixTime::new(1_750_000_000).unwrap();
        let later = UnixTime::new(2_000_000_000).unwrap();
        let a = vault.codes(now, None).unwrap();
        let b = vault.codes(later, None).unwrap();
        a.iter()
            .zip(&b)
            .map(|(x, y)| {
                let (d, v) = x.codes.as_ref().unwrap();
                let (_, w) = y.codes.as_ref().unwrap();
                (
                    d.issuer.clone(),
                    d.login.clone(),
                    v.code.as_str().to_owned(),
                    w.code.as_str().to_owned(),
                )
            })
            .collect()
    }

    fn reimport(parts: &[Zeroizing<String>]) -> Vault {
        let dir = Dir::new();
        let mut target = new_vault(&dir);
        // An empty vault exports an empty list: nothing to read back.
        for part in parts.iter().filter(|p| !p.is_empty()) {
            let report = import::read_text(part).unwrap();
            assert!(!report.has_errors());
            let entries = report
                .into_keys()
                .unwrap()
                .into_iter()
                .map(|k| NewEntry {
                    systems: k.suggested_systems(),
                    key: k.key,
                    issuer: k.issuer,
                    login: k.account,
                    label: None,
                })
                .collect();
            target.add_all(entries, Commit::Yes).unwrap();
        }
        // The directory may go: the vault keeps its open connection on Linux.
        std::mem::forget(dir);
        target
    }

    #[test]
    fn every_format_round_trips_over_0_1_and_1000_entries() {
        for n in [0u32, 1, 1000] {
            for format in [Format::Uris, Format::Aegis, Format::Google] {
                let dir = Dir::new();
                let mut vault = new_vault(&dir);
                fill(&mut vault, n, format == Format::Google);
                let export = plaintext(&vault, format).unwrap();
                assert_eq!(export.exported, n as usize, "{format:?}");
                assert!(export.skipped.is_empty() && export.damaged.is_empty());
                if format == Format::Google {
                    assert_eq!(
                        export.parts.len(),
                        (n as usize).div_ceil(10),
                        "10 accounts a QR"
                    );
                }
                let back = reimport(&export.parts);
                assert_eq!(
                    fingerprint(&back),
                    fingerprint(&vault),
                    "{format:?} with {n}"
                );
            }
        }
    }

    #[test]
    fn google_skips_what_it_cannot_hold_and_says_why() {
        let dir = Dir::new();
        let mut vault = new_vault(&dir);
        fill(&mut vault, 6, false);
        let export = plaintext(&vault, Format::Google).unwrap();
        assert_eq!(export.skipped.len(), 2);
        assert_eq!(export.exported, 4);
        for (_, err) in &export.skipped {
            assert_eq!(err.code().as_str(), "google_incompatible");
        }
        let skipped_ids: Vec<i64> = export.skipped.iter().map(|(id, _)| id.get()).collect();
        assert_eq!(skipped_ids, [2, 5]);
    }

    #[test]
    fn console_key_is_the_key_as_eproc_shows_it_and_marks_the_export() {
        let dir = Dir::new();
        let mut vault = new_vault(&dir);
        let typed = import::parse_text("tmtw pdri-glkp 5p7t dkfg rm5e bvy6 kmrh")
            .unwrap()
            .remove(0);
        let crate::vault::Added::New(id) = vault
            .add(NewEntry {
                key: typed.key,
                issuer: Some("eproc TRF4".into()),
                login: Some("adv".into()),
                label: None,
                systems: vec![],
            })
            .unwrap()
        else {
            panic!("not added")
        };
        assert!(vault.entry(id).unwrap().exported_at.is_none());
        let console = console_key(&mut vault, id).unwrap();
        assert_eq!(&*console.raw, "TMTWPDRIGLKP5P7TDKFGRM5EBVY6KMRH");
        assert_eq!(&*console.grouped, "TMTW PDRI GLKP 5P7T DKFG RM5E BVY6 KMRH");
        assert!(
            console
                .uri
                .starts_with("otpauth://totp/eproc%20TRF4:adv?secret=TMTW")
        );
        assert!(vault.entry(id).unwrap().exported_current_key());
        assert_eq!(format!("{console:?}"), "ConsoleKey([redacted])");
        vault.delete(id).unwrap();
        assert!(matches!(
            console_key(&mut vault, id),
            Err(Error::EntryInTrash)
        ));
    }

    #[test]
    fn backup_and_restore_into_a_new_vault_gives_identical_codes() {
        for n in [0u32, 1, 1000] {
            let dir = Dir::new();
            let mut vault = new_vault(&dir);
            fill(&mut vault, n, false);
            let created = backup::create(&vault, &pass("backup!"), KdfParams::FLOOR).unwrap();
            assert_eq!(created.entries, n as usize);

            let other = Dir::new();
            let mut fresh = new_vault(&other);
            let outcome = backup::restore(
                &mut fresh,
                &created.bytes,
                &pass("backup!"),
                RestoreMode::Merge,
            )
            .unwrap();
            assert_eq!(outcome.len(), n as usize);
            assert_eq!(fingerprint(&fresh), fingerprint(&vault));
            let before = fresh.list(Shelf::Live).unwrap().len();
            assert!(matches!(
                backup::restore(
                    &mut fresh,
                    &created.bytes,
                    &pass("nope"),
                    RestoreMode::Merge
                ),
                Err(Error::WrongPassphrase)
            ));
            // Restoring twice adds nothing: every key is a duplicate.
            let again = backup::restore(
                &mut fresh,
                &created.bytes,
                &pass("backup!"),
                RestoreMode::Merge,
            )
            .unwrap();
            assert!(
                again
                    .iter()
                    .all(|a| matches!(a, crate::vault::Added::Duplicate { .. }))
            );
            assert_eq!(fresh.list(Shelf::Live).unwrap().len(), before);
        }
    }

    #[test]
    fn replace_moves_what_the_backup_lacks_to_the_trash() {
        let dir = Dir::new();
        let mut vault = new_vault(&dir);
        fill(&mut vault, 3, true);
        let created = backup::create(&vault, &pass("b"), KdfParams::FLOOR).unwrap();
        let other = Dir::new();
        let mut target = new_vault(&other);
        fill(&mut target, 5, false);
        backup::restore(
            &mut target,
            &created.bytes,
            &pass("b"),
            RestoreMode::Replace,
        )
        .unwrap();
        assert_eq!(fingerprint(&target), fingerprint(&vault));
        assert_eq!(
            target.list(Shelf::Trash).unwrap().len(),
            2,
            "nothing is lost"
        );
    }
}
