//! Keys leaving the vault, each on the user's explicit request: the console key, the
//! plaintext exports for other apps, and encrypted backups. The app asks for device
//! authentication before calling any of them. What carries a key stays in `Zeroizing`
//! here until uniffi copies it across; those copies, and the app's, are the app's to
//! keep short-lived.

use std::fmt;

use zeroize::Zeroizing;

use super::vault::{
    ImportDuplicate, ImportReport, KdfSettings, Vault, entry_id, kdf_params, to_passphrase,
};
use super::{A2fError, ErrorInfo, current_lang};
use crate::backup;
use crate::error::Error;
use crate::export::{self, Format};
use crate::qr;
use crate::report::Locator;
use crate::vault::{Added, EntryId, RestoreMode};

/// Text that holds a key. A `String` in Kotlin and Swift; here it is never printed,
/// and wiped when dropped without crossing.
pub struct SecretText(Zeroizing<String>);

impl SecretText {
    /// The text moved out, not copied, for uniffi to write into its buffer; it frees
    /// that allocation unwiped, as it does its buffer.
    fn into_plain(mut self) -> String {
        std::mem::take(&mut *self.0)
    }
}

impl fmt::Debug for SecretText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

uniffi::custom_type!(SecretText, String, {
    lower: |secret| secret.into_plain(),
    try_lift: |text| Ok(SecretText(Zeroizing::new(text))),
});

/// Bytes that hold a key (a QR image of it). A `ByteArray` in Kotlin, `Data` in Swift;
/// here they are never printed, and wiped when dropped without crossing.
pub struct SecretBytes(Zeroizing<Vec<u8>>);

impl SecretBytes {
    fn into_plain(mut self) -> Vec<u8> {
        std::mem::take(&mut *self.0)
    }
}

impl fmt::Debug for SecretBytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[redacted; {} bytes]", self.0.len())
    }
}

uniffi::custom_type!(SecretBytes, Vec<u8>, {
    lower: |secret| secret.into_plain(),
    try_lift: |bytes| Ok(SecretBytes(Zeroizing::new(bytes))),
});

/// One entry's key for the automation console.
#[derive(Debug, uniffi::Record)]
pub struct ConsoleKey {
    /// As eproc shows it: upper-case base32, no padding, no spaces.
    pub raw: SecretText,
    /// In groups of four, for reading aloud or typing.
    pub grouped: SecretText,
    /// The otpauth URI, for consoles that scan or paste one.
    pub uri: SecretText,
    /// A PNG of `uri`'s QR code, for the console to scan from the phone's screen;
    /// absent when the entry's names make the URI too long for a QR code.
    pub qr_png: Option<SecretBytes>,
}

/// Another app's format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, uniffi::Enum)]
pub enum ExportFormat {
    /// One otpauth URI per line: most apps' "plain text" import.
    Uris,
    /// Aegis's plain JSON export.
    Aegis,
    /// Google Authenticator's "Transfer accounts" QR codes.
    Google,
}

impl From<ExportFormat> for Format {
    fn from(format: ExportFormat) -> Self {
        match format {
            ExportFormat::Uris => Format::Uris,
            ExportFormat::Aegis => Format::Aegis,
            ExportFormat::Google => Format::Google,
        }
    }
}

/// One QR code of a Google Authenticator transfer.
#[derive(Debug, uniffi::Record)]
pub struct TransferCode {
    pub uri: SecretText,
    pub png: SecretBytes,
}

/// What a plaintext export is made of.
#[derive(Debug, uniffi::Enum)]
pub enum ExportContents {
    /// The whole file, for `Uris` (`.txt`) and `Aegis` (`.json`): save it with the
    /// document picker or hand it to the share sheet.
    File { text: SecretText },
    /// For `Google`: the codes to show one at a time ("1 of 3"), in order, for Google
    /// Authenticator's "Scan QR code" to read. Empty when nothing could go.
    TransferCodes { codes: Vec<TransferCode> },
}

/// An entry a format cannot hold, with why: it is left out, never altered to fit.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct SkippedEntry {
    pub id: i64,
    /// `google_incompatible` for an algorithm, digits or period Google cannot take.
    pub error: ErrorInfo,
}

/// A plaintext export and what it left out.
#[derive(Debug, uniffi::Record)]
pub struct PlainExport {
    pub contents: ExportContents,
    /// How many entries it holds.
    pub exported: u64,
    pub skipped: Vec<SkippedEntry>,
    /// Entries that cannot be read, so are not in it.
    pub damaged: Vec<i64>,
}

/// A backup made, already checked by opening it again and comparing every entry.
#[derive(uniffi::Record)]
pub struct CreatedBackup {
    /// The backup file, encrypted under its passphrase: save it with the document
    /// picker.
    pub bytes: Vec<u8>,
    /// Entries in it, live and in the trash.
    pub entries: u64,
    /// Entries that cannot be read, so are not in it.
    pub damaged: Vec<i64>,
}

impl fmt::Debug for CreatedBackup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CreatedBackup")
            .field("bytes", &self.bytes.len())
            .field("entries", &self.entries)
            .field("damaged", &self.damaged)
            .finish()
    }
}

fn entry_ids(ids: &[EntryId]) -> Vec<i64> {
    ids.iter().map(|id| id.get()).collect()
}

#[uniffi::export]
impl Vault {
    /// The key of a live entry for the automation console, in every form it takes, and
    /// the record that the console has the entry's current key (`status`' `exported`;
    /// `exportAgain` once the key changes).
    pub fn export_console_key(&self, id: i64) -> Result<ConsoleKey, A2fError> {
        let id = entry_id(id)?;
        let key = self.with(|v| export::console_key(v, id))?;
        // The export is already recorded: a URI too long for a code still gives the
        // key as text rather than an error.
        let qr_png = match qr::render_png(&key.uri) {
            Ok(png) => Some(SecretBytes(png)),
            Err(Error::QrTextTooLong { .. }) => None,
            Err(e) => return Err(e.into()),
        };
        Ok(ConsoleKey {
            raw: SecretText(key.raw),
            grouped: SecretText(key.grouped),
            uri: SecretText(key.uri),
            qr_png,
        })
    }

    /// Every live entry in another app's format, keys in plaintext.
    pub fn export_plaintext(&self, format: ExportFormat) -> Result<PlainExport, A2fError> {
        let plain = self.with(|v| export::plaintext(v, format.into()))?;
        let contents = match format {
            ExportFormat::Google => ExportContents::TransferCodes {
                codes: plain
                    .parts
                    .into_iter()
                    .map(|uri| {
                        let png = qr::render_png(&uri)?;
                        Ok(TransferCode {
                            uri: SecretText(uri),
                            png: SecretBytes(png),
                        })
                    })
                    .collect::<Result<_, Error>>()?,
            },
            // One part: the whole file.
            ExportFormat::Uris | ExportFormat::Aegis => ExportContents::File {
                text: SecretText(plain.parts.into_iter().next().unwrap_or_default()),
            },
        };
        let lang = current_lang();
        Ok(PlainExport {
            contents,
            exported: plain.exported as u64,
            skipped: plain
                .skipped
                .iter()
                .map(|(id, e)| SkippedEntry {
                    id: id.get(),
                    error: ErrorInfo::new(e, lang),
                })
                .collect(),
            damaged: entry_ids(&plain.damaged),
        })
    }

    /// An encrypted backup of every readable entry, live and trashed, under
    /// `passphrase` (not the vault's, necessarily). `kdf` as for passphrase slots.
    /// Argon2id runs twice (sealing, then checking): other calls wait about a second.
    #[uniffi::method(default(kdf = None))]
    pub fn create_backup(
        &self,
        passphrase: String,
        kdf: Option<KdfSettings>,
    ) -> Result<CreatedBackup, A2fError> {
        let pass = to_passphrase(passphrase)?;
        let kdf = kdf_params(kdf)?;
        let mut created = self.with(|v| backup::create(v, &pass, kdf))?;
        Ok(CreatedBackup {
            bytes: std::mem::take(&mut *created.bytes),
            entries: created.entries as u64,
            damaged: entry_ids(&created.damaged),
        })
    }

    /// Restores a backup file's bytes: merged into the vault (what it lacks is added,
    /// nothing it has changes), or with `replace` the backup's entries win and a live
    /// key the backup lacks goes to the trash. A wrong passphrase (`Auth`,
    /// `wrong_passphrase`) or a damaged file (`Damaged`, `backup_damaged`) changes
    /// nothing. In the report, `index` counts the backup's entries.
    pub fn restore_backup(
        &self,
        bytes: Vec<u8>,
        passphrase: String,
        replace: bool,
    ) -> Result<ImportReport, A2fError> {
        let pass = to_passphrase(passphrase)?;
        // Opened before taking the lock: Argon2id is the slow part.
        let opened = backup::open(&bytes, &pass)?;
        let mode = if replace {
            RestoreMode::Replace
        } else {
            RestoreMode::Merge
        };
        let outcomes = self.with(|v| v.restore_entries(opened.entries, mode))?;
        let lang = current_lang();
        let mut report = ImportReport::default();
        for (index, outcome) in (0u32..).zip(outcomes) {
            match outcome {
                Added::New(id) => report.added.push(id.get()),
                Added::Duplicate { id, in_trash } => report.duplicates.push(ImportDuplicate {
                    index,
                    place: Locator::Entry {
                        index: index as usize,
                    }
                    .describe(lang),
                    id: id.get(),
                    in_trash,
                }),
            }
        }
        Ok(report)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::super::imports::read_import;
    use super::super::vault::tests::{Dir, KEY, PASS, QUICK, add, unlocked};
    use super::*;

    /// The codes of every live entry at two times: what must survive a round trip.
    fn codes(vault: &Vault) -> Vec<(Option<String>, Option<String>)> {
        let now = vault.codes(1_750_000_000, None).unwrap();
        let later = vault.codes(2_000_000_000, None).unwrap();
        now.into_iter()
            .zip(later)
            .map(|(a, b)| (a.code, b.code))
            .collect()
    }

    fn filled(dir: &Dir) -> Arc<Vault> {
        let vault = unlocked(dir);
        add(&vault, KEY, &["trf4"]);
        add(
            &vault,
            "otpauth://totp/TJRS:oab?secret=JBSWY3DPEHPK3PXPJBSWY3DP&algorithm=SHA256&digits=8",
            &["tjrs-1g"],
        );
        vault
    }

    #[test]
    fn the_console_key_as_eproc_shows_it() {
        let dir = Dir::new();
        let vault = unlocked(&dir);
        let id = add(&vault, "gezd gnbv gy3t qojq gezd gnbv gy3t qojq", &["trf4"]);
        assert!(!vault.status().unwrap()[0].exported);
        let key = vault.export_console_key(id).unwrap();
        assert_eq!(key.raw.0.as_str(), KEY);
        assert_eq!(
            key.grouped.0.as_str(),
            "GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ"
        );
        assert!(key.uri.0.starts_with("otpauth://totp/"));
        let png = key.qr_png.as_ref().unwrap();
        assert_eq!(qr::decode_image(&png.0).unwrap(), [key.uri.0.as_str()]);
        assert!(!format!("{key:?}").contains("GEZD"));
        let trf4 = vault.status().unwrap();
        assert!(trf4.iter().find(|s| s.system == "trf4").unwrap().exported);
        assert!(vault.entry(id).unwrap().exported_at.is_some());

        // Names too long for a code still give the key as text.
        vault.rename(id, "x".repeat(2400)).unwrap();
        let long = vault.export_console_key(id).unwrap();
        assert!(long.qr_png.is_none());
        assert_eq!(long.raw.0.as_str(), KEY);

        vault.delete(id).unwrap();
        assert_eq!(
            vault.export_console_key(id).unwrap_err().code(),
            "entry_in_trash"
        );
        assert_eq!(
            vault.export_console_key(0).unwrap_err().code(),
            "entry_not_found"
        );
        vault.lock();
        assert_eq!(vault.export_console_key(id).unwrap_err().code(), "locked");
    }

    #[test]
    fn plaintext_exports_read_back_with_the_same_codes() {
        let dir = Dir::new();
        let vault = filled(&dir);
        let want = codes(&vault);
        for format in [ExportFormat::Uris, ExportFormat::Aegis] {
            let plain = vault.export_plaintext(format).unwrap();
            assert_eq!((plain.exported, plain.skipped.len()), (2, 0));
            let ExportContents::File { text } = plain.contents else {
                panic!("{format:?}");
            };
            let target = Dir::new();
            let copy = unlocked(&target);
            let report = copy.import_all(read_import(text.into_plain()).unwrap(), false);
            assert_eq!(report.unwrap().added.len(), 2);
            assert_eq!(codes(&copy), want, "{format:?}");
        }

        let google = vault.export_plaintext(ExportFormat::Google).unwrap();
        assert_eq!(google.exported, 1);
        let skipped = &google.skipped[0];
        assert_eq!(
            (skipped.id, skipped.error.code.as_str()),
            (2, "google_incompatible")
        );
        let ExportContents::TransferCodes { codes: transfer } = &google.contents else {
            panic!("{google:?}");
        };
        assert_eq!(transfer.len(), 1);
        let text = qr::decode_image(&transfer[0].png.0).unwrap().remove(0);
        assert_eq!(text, transfer[0].uri.0.as_str());
        assert!(!format!("{google:?}").contains("otpauth"));
        let target = Dir::new();
        let copy = unlocked(&target);
        copy.import_all(read_import(text).unwrap(), false).unwrap();
        assert_eq!(codes(&copy), want[..1]);
    }

    #[test]
    fn an_empty_vault_exports_nothing() {
        let dir = Dir::new();
        let vault = unlocked(&dir);
        let google = vault.export_plaintext(ExportFormat::Google).unwrap();
        assert!(
            matches!(&google.contents, ExportContents::TransferCodes { codes } if codes.is_empty())
        );
        let uris = vault.export_plaintext(ExportFormat::Uris).unwrap();
        assert!(matches!(&uris.contents, ExportContents::File { text } if text.0.is_empty()));
    }

    #[test]
    fn backups_restore_and_refuse() {
        let dir = Dir::new();
        let vault = filled(&dir);
        let created = vault
            .create_backup("backup pass".into(), Some(QUICK))
            .unwrap();
        assert_eq!((created.entries, created.damaged.len()), (2, 0));
        assert!(format!("{created:?}").contains("entries: 2"));

        let target = Dir::new();
        let copy = unlocked(&target);
        let wrong = copy
            .restore_backup(created.bytes.clone(), PASS.into(), false)
            .unwrap_err();
        assert!(matches!(wrong, A2fError::Auth { .. }));
        assert_eq!(wrong.code(), "wrong_passphrase");
        let mut flipped = created.bytes.clone();
        let last = flipped.len() - 1;
        flipped[last] ^= 1;
        let damaged = copy
            .restore_backup(flipped, "backup pass".into(), false)
            .unwrap_err();
        assert!(matches!(damaged, A2fError::Damaged { .. }));
        assert_eq!(damaged.code(), "backup_damaged");
        assert_eq!(
            copy.restore_backup(b"no backup".to_vec(), "backup pass".into(), false)
                .unwrap_err()
                .code(),
            "not_a_backup"
        );
        assert!(copy.list(false).unwrap().is_empty(), "nothing changed");

        let restored = copy
            .restore_backup(created.bytes.clone(), "backup pass".into(), false)
            .unwrap();
        assert_eq!(restored.added.len(), 2);
        assert_eq!(codes(&copy), codes(&vault));
        let again = copy
            .restore_backup(created.bytes, "backup pass".into(), true)
            .unwrap();
        assert!(again.added.is_empty());
        assert_eq!(again.duplicates[1].index, 1);
        assert_eq!(again.duplicates[1].id, restored.added[1]);
        assert!(again.duplicates[1].place.is_some());

        let weak = KdfSettings {
            memory_kib: 1024,
            ..QUICK
        };
        assert_eq!(
            vault
                .create_backup("p".into(), Some(weak))
                .unwrap_err()
                .code(),
            "kdf_params_out_of_range"
        );
        assert_eq!(
            vault.create_backup(String::new(), None).unwrap_err().code(),
            "empty_passphrase"
        );
    }
}
