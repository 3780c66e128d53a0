//! The vault as the apps hold it: one long-lived object that every thread shares.
//! Each call takes the vault's lock for its own work only; the app's keystore is
//! always called with the lock released, using the vault's two-phase platform API.

use std::fmt;
use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};

use zeroize::Zeroizing;

use super::imports::{IncompleteTransfer, ParsedImport};
use super::keystore::{Keystore, PlatformKeyStore};
use super::{A2fError, CodePreview, ErrorInfo, OtpAlgorithm, OtpType, current_lang, ids};
use crate::catalog::{self, SystemId};
use crate::error::{Error, Result};
use crate::i18n::Lang;
use crate::otp::{OtpKind, UnixTime};
use crate::vault::{
    self as domain, Added, Commit, EntryId, FirstSlot, KdfParams, KeyWrapper, NewEntry, Passphrase,
    PlatformKeyFailure, Shelf, SlotId,
};

/// Argon2id's cost for a passphrase slot. Absent, the core's default (64 MiB, 3
/// passes, 1 lane); a phone short of memory may pass less, down to OWASP's floor
/// (19 MiB, 2 passes).
#[derive(Clone, Copy, Debug, PartialEq, Eq, uniffi::Record)]
pub struct KdfSettings {
    pub memory_kib: u32,
    pub iterations: u32,
    pub parallelism: u32,
}

pub(super) fn kdf_params(settings: Option<KdfSettings>) -> Result<KdfParams> {
    match settings {
        None => Ok(KdfParams::DEFAULT),
        Some(s) => KdfParams::checked(s.memory_kib, s.iterations, s.parallelism),
    }
}

pub(super) fn to_passphrase(text: String) -> Result<Passphrase> {
    Passphrase::new(Zeroizing::new(text))
}

pub(super) fn entry_id(id: i64) -> Result<EntryId> {
    EntryId::new(id).ok_or(Error::EntryNotFound)
}

/// Catalog ids from the app, in catalog order without repeats. With `whole_groups`, a
/// system of a shared-key group brings its group: one registration serves them all.
fn system_ids(ids: &[String], whole_groups: bool) -> Result<Vec<SystemId>> {
    let mut out = Vec::new();
    for text in ids {
        let id = SystemId::parse(text)?;
        if whole_groups {
            out.extend(catalog::key_siblings(id));
        } else {
            out.push(id);
        }
    }
    out.sort_by_key(|s| catalog::systems().iter().position(|c| c.id == *s));
    out.dedup();
    Ok(out)
}

fn otp_type(kind: OtpKind) -> OtpType {
    match kind {
        OtpKind::Totp { .. } => OtpType::Totp,
        OtpKind::Hotp { .. } => OtpType::Hotp,
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, uniffi::Enum)]
pub enum SlotKind {
    Passphrase,
    /// Wrapped by the phone's keystore.
    Platform,
}

/// One way to unlock the vault.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct SlotInfo {
    pub id: i64,
    pub kind: SlotKind,
    pub created_at: i64,
}

impl From<domain::SlotInfo> for SlotInfo {
    fn from(slot: domain::SlotInfo) -> Self {
        SlotInfo {
            id: slot.id.get(),
            kind: match slot.kind {
                domain::SlotKind::Passphrase => SlotKind::Passphrase,
                domain::SlotKind::Platform => SlotKind::Platform,
            },
            created_at: slot.created_at,
        }
    }
}

/// A stored entry, as lists and edit screens show it: never its key. An entry that
/// cannot be read has only its id, systems and dates, and `error`.
#[derive(Clone, PartialEq, Eq, uniffi::Record)]
pub struct EntryInfo {
    pub id: i64,
    pub label: Option<String>,
    pub issuer: Option<String>,
    /// A CPF, an OAB number, an e-mail: personal data.
    pub login: Option<String>,
    /// Catalog ids, in catalog order.
    pub systems: Vec<String>,
    /// Unix seconds, like every date here.
    pub created_at: i64,
    pub key_changed_at: i64,
    /// When the key last went to the automation console.
    pub exported_at: Option<i64>,
    /// The key changed after its last export: the console needs it again.
    pub export_again: bool,
    /// When it went to the trash.
    pub deleted_at: Option<i64>,
    pub kind: Option<OtpType>,
    pub algorithm: Option<OtpAlgorithm>,
    pub digits: Option<u8>,
    /// Seconds per code, for TOTP.
    pub period: Option<u32>,
    /// Why the entry cannot be read (`entry_damaged`); the others are unaffected.
    pub error: Option<ErrorInfo>,
}

impl EntryInfo {
    fn new(entry: domain::EntryInfo, lang: Lang) -> Self {
        let export_again = entry.exported_at.is_some() && !entry.exported_current_key();
        let (details, error) = match entry.details {
            Ok(details) => (Some(details), None),
            Err(e) => (None, Some(ErrorInfo::new(&e, lang))),
        };
        let params = details.as_ref().map(|d| d.params);
        let (label, issuer, login) = match details {
            Some(d) => (Some(d.label), d.issuer, d.login),
            None => (None, None, None),
        };
        EntryInfo {
            id: entry.id.get(),
            label,
            issuer,
            login,
            systems: ids(entry.systems),
            created_at: entry.created_at,
            key_changed_at: entry.key_changed_at,
            exported_at: entry.exported_at,
            export_again,
            deleted_at: entry.deleted_at,
            kind: params.map(|p| otp_type(p.kind)),
            algorithm: params.map(|p| p.algorithm.into()),
            digits: params.map(|p| p.digits.get()),
            period: params.and_then(|p| match p.kind {
                OtpKind::Totp { period } => Some(period.get()),
                OtpKind::Hotp { .. } => None,
            }),
            error,
        }
    }
}

impl fmt::Debug for EntryInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Labels are often a name and logins a CPF: personal data.
        f.debug_struct("EntryInfo")
            .field("id", &self.id)
            .field("label", &self.label.as_ref().map(|_| "[redacted]"))
            .field("issuer", &self.issuer)
            .field("login", &self.login.as_ref().map(|_| "[redacted]"))
            .field("systems", &self.systems)
            .field("created_at", &self.created_at)
            .field("key_changed_at", &self.key_changed_at)
            .field("exported_at", &self.exported_at)
            .field("export_again", &self.export_again)
            .field("deleted_at", &self.deleted_at)
            .field("kind", &self.kind)
            .field("algorithm", &self.algorithm)
            .field("digits", &self.digits)
            .field("period", &self.period)
            .field("error", &self.error)
            .finish()
    }
}

/// One entry's codes: what the code list shows, refreshed from one timer.
#[derive(Clone, PartialEq, Eq, uniffi::Record)]
pub struct EntryCodes {
    pub id: i64,
    pub label: Option<String>,
    pub login: Option<String>,
    pub systems: Vec<String>,
    /// The code at the time asked for, zero-padded.
    pub code: Option<String>,
    /// The code after it: the next step (TOTP) or the next counter (HOTP).
    pub next: Option<String>,
    /// Seconds `code` has left (TOTP); absent for HOTP, whose code lasts until used.
    pub valid_for: Option<u32>,
    /// Why the entry cannot be read; then there are no codes.
    pub error: Option<ErrorInfo>,
}

impl EntryCodes {
    fn new(entry: domain::EntryCodes, lang: Lang) -> Self {
        let systems = ids(entry.systems);
        match entry.codes {
            Ok((details, view)) => EntryCodes {
                id: entry.id.get(),
                label: Some(details.label),
                login: details.login,
                systems,
                code: Some(view.code.as_str().to_owned()),
                next: Some(view.next.as_str().to_owned()),
                valid_for: view.valid_for,
                error: None,
            },
            Err(e) => EntryCodes {
                id: entry.id.get(),
                label: None,
                login: None,
                systems,
                code: None,
                next: None,
                valid_for: None,
                error: Some(ErrorInfo::new(&e, lang)),
            },
        }
    }
}

impl fmt::Debug for EntryCodes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Codes are short-lived secrets; labels and logins personal data.
        let redacted = |v: &Option<String>| v.as_ref().map(|_| "[redacted]");
        f.debug_struct("EntryCodes")
            .field("id", &self.id)
            .field("label", &redacted(&self.label))
            .field("login", &redacted(&self.login))
            .field("systems", &self.systems)
            .field("code", &redacted(&self.code))
            .field("next", &redacted(&self.next))
            .field("valid_for", &self.valid_for)
            .field("error", &self.error)
            .finish()
    }
}

/// One catalog system: the live entries linked to it and whether the console has the
/// first one's current key.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct SystemStatus {
    pub system: String,
    pub name: String,
    pub mandatory: bool,
    /// Oldest first; empty when no key serves the system yet.
    pub entries: Vec<i64>,
    pub exported: bool,
}

impl From<domain::SystemStatus> for SystemStatus {
    fn from(status: domain::SystemStatus) -> Self {
        let system = status.system.system();
        SystemStatus {
            system: system.id.as_str().to_owned(),
            name: system.name.to_owned(),
            mandatory: system.mandatory,
            entries: status.entries.iter().map(|id| id.get()).collect(),
            exported: status.exported,
        }
    }
}

/// What storing one key did.
#[derive(Clone, Copy, Debug, PartialEq, Eq, uniffi::Enum)]
pub enum AddOutcome {
    Added {
        id: i64,
    },
    /// The key was already stored, in this entry (possibly in the trash): nothing
    /// was written.
    Duplicate {
        id: i64,
        in_trash: bool,
    },
}

impl From<Added> for AddOutcome {
    fn from(added: Added) -> Self {
        match added {
            Added::New(id) => AddOutcome::Added { id: id.get() },
            Added::Duplicate { id, in_trash } => AddOutcome::Duplicate {
                id: id.get(),
                in_trash,
            },
        }
    }
}

/// An item of the import that was already stored.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct ImportDuplicate {
    /// Its index in `ParsedImport.items()`.
    pub index: u32,
    pub place: Option<String>,
    /// The entry that already holds the key.
    pub id: i64,
    pub in_trash: bool,
}

/// An item of the import that could not be read.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct ImportInvalid {
    pub index: u32,
    pub place: Option<String>,
    pub error: ErrorInfo,
}

/// What `import_all` did with each item of an input.
#[derive(Clone, Debug, Default, PartialEq, Eq, uniffi::Record)]
pub struct ImportReport {
    /// The new entries' ids, in input order (in a dry run, the ids they would have).
    pub added: Vec<i64>,
    pub duplicates: Vec<ImportDuplicate>,
    pub invalid: Vec<ImportInvalid>,
    /// The Google Authenticator exports still missing QR codes, counting the parts that
    /// earlier imports into this vault read.
    pub transfers: Vec<IncompleteTransfer>,
}

/// What `verify` found: the file is sound, and these entries (live or trashed) are not.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct VerifyReport {
    pub entries: u64,
    pub damaged: Vec<i64>,
}

/// The vault. Open it once when the app starts and keep it: every method is safe from
/// any thread, and calls from several threads take turns.
#[derive(uniffi::Object)]
pub struct Vault {
    inner: Mutex<domain::Vault>,
}

impl Vault {
    fn hold(vault: domain::Vault) -> Arc<Self> {
        Arc::new(Vault {
            inner: Mutex::new(vault),
        })
    }

    /// Runs `f` with the vault's lock held, and only then. A panic in an earlier call
    /// (a bug) poisons the lock; the vault keeps its state in SQLite transactions,
    /// which roll back, and in its unlocked keys, so the next call carries on.
    pub(super) fn with<T>(&self, f: impl FnOnce(&mut domain::Vault) -> Result<T>) -> Result<T> {
        let mut vault = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        f(&mut vault)
    }
}

#[uniffi::export]
impl Vault {
    /// Creates a vault at `path` (which must not exist) protected by the phone's
    /// keystore. Add a passphrase slot next: it is the way back in when the keystore
    /// key is invalidated.
    #[uniffi::constructor]
    pub fn create_with_platform(
        path: String,
        store: Arc<dyn PlatformKeyStore>,
    ) -> Result<Arc<Self>, A2fError> {
        // No lock exists yet, so the keystore may be called from inside the core.
        let keystore = Keystore(store);
        let vault = domain::Vault::create(Path::new(&path), FirstSlot::Platform(&keystore))?;
        Ok(Vault::hold(vault))
    }

    /// Creates a vault at `path` (which must not exist) protected by a passphrase.
    #[uniffi::constructor(default(kdf = None))]
    pub fn create_with_passphrase(
        path: String,
        passphrase: String,
        kdf: Option<KdfSettings>,
    ) -> Result<Arc<Self>, A2fError> {
        let pass = to_passphrase(passphrase)?;
        let vault = domain::Vault::create(
            Path::new(&path),
            FirstSlot::Passphrase(&pass, kdf_params(kdf)?),
        )?;
        Ok(Vault::hold(vault))
    }

    /// Opens an existing vault, locked. A file that is not a vault, is damaged or is
    /// from a newer version is reported and left as it was.
    #[uniffi::constructor]
    pub fn open(path: String) -> Result<Arc<Self>, A2fError> {
        Ok(Vault::hold(domain::Vault::open(Path::new(&path))?))
    }

    pub fn is_unlocked(&self) -> bool {
        self.inner
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .is_unlocked()
    }

    /// Forgets the keys until the next unlock; entries stay on disk.
    pub fn lock(&self) {
        self.inner
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .lock();
    }

    /// A wrong passphrase is `Auth` with code `wrong_passphrase`; nothing is written.
    pub fn unlock_with_passphrase(&self, passphrase: String) -> Result<(), A2fError> {
        let pass = to_passphrase(passphrase)?;
        Ok(self.with(|v| v.unlock_with_passphrase(&pass))?)
    }

    /// Unlocks through the keystore: each platform slot in turn until one unwraps. A
    /// cancelled prompt stops there; an invalidated key (`platform_key_invalidated`)
    /// means: ask for the passphrase.
    pub fn unlock_with_platform(&self, store: Arc<dyn PlatformKeyStore>) -> Result<(), A2fError> {
        let keystore = Keystore(store);
        let slots = self.with(|v| v.platform_slots())?;
        let mut last = Error::PlatformKey {
            failure: PlatformKeyFailure::Unavailable,
        };
        for (_, wrapped) in slots {
            // Outside the lock: the keystore may wait for the user's finger.
            match keystore.unwrap(&wrapped) {
                Ok(key) => match self.with(|v| v.unlock_with_unwrapped_key(&key)) {
                    Ok(()) => return Ok(()),
                    Err(e) => last = e,
                },
                // One more prompt after the user said no would be a nuisance.
                Err(PlatformKeyFailure::Cancelled) => {
                    return Err(Error::PlatformKey {
                        failure: PlatformKeyFailure::Cancelled,
                    }
                    .into());
                }
                Err(failure) => last = Error::PlatformKey { failure },
            }
        }
        Err(last.into())
    }

    /// Every way to unlock the vault. Works while locked: the unlock screen offers the
    /// keystore only when there is a platform slot.
    pub fn slots(&self) -> Result<Vec<SlotInfo>, A2fError> {
        let slots = self.with(|v| v.slots())?;
        Ok(slots.into_iter().map(SlotInfo::from).collect())
    }

    /// Adds a passphrase slot (while unlocked); returns its id.
    #[uniffi::method(default(kdf = None))]
    pub fn add_passphrase_slot(
        &self,
        passphrase: String,
        kdf: Option<KdfSettings>,
    ) -> Result<i64, A2fError> {
        let pass = to_passphrase(passphrase)?;
        let kdf = kdf_params(kdf)?;
        Ok(self.with(|v| v.add_passphrase_slot(&pass, kdf))?.get())
    }

    /// Adds a slot wrapped by the keystore (while unlocked); returns its id. After a
    /// key invalidation: unlock with the passphrase, remove the dead platform slot, add
    /// a new one.
    pub fn add_platform_slot(&self, store: Arc<dyn PlatformKeyStore>) -> Result<i64, A2fError> {
        let key = self.with(|v| v.vault_key_for_wrapping())?;
        // Outside the lock: the keystore may prompt.
        let wrapped = Keystore(store)
            .wrap(&key)
            .map_err(|failure| Error::PlatformKey { failure })?;
        drop(key);
        Ok(self.with(|v| v.add_platform_slot_wrapped(wrapped))?.get())
    }

    /// Removes a slot, never the last one (`last_slot`).
    pub fn remove_slot(&self, id: i64) -> Result<(), A2fError> {
        let slot = SlotId::new(id).ok_or(Error::SlotNotFound)?;
        Ok(self.with(|v| v.remove_slot(slot))?)
    }

    /// Replaces every passphrase slot with one for the new passphrase, at once.
    #[uniffi::method(default(kdf = None))]
    pub fn change_passphrase(
        &self,
        passphrase: String,
        kdf: Option<KdfSettings>,
    ) -> Result<(), A2fError> {
        let pass = to_passphrase(passphrase)?;
        let kdf = kdf_params(kdf)?;
        Ok(self.with(|v| v.change_passphrase(&pass, kdf))?)
    }

    /// Stores the key at `index` of `import` as the user confirmed it. `systems` are
    /// catalog ids (a system of a shared-key group brings its group); `login` and
    /// `label` are stored as given (absent or blank: none, and a label from the issuer
    /// or the first system).
    pub fn add_from_import(
        &self,
        import: Arc<ParsedImport>,
        index: u32,
        systems: Vec<String>,
        login: Option<String>,
        label: Option<String>,
    ) -> Result<AddOutcome, A2fError> {
        let parsed = import.key(index)?;
        let entry = NewEntry {
            key: parsed.key.clone(),
            issuer: parsed.issuer.clone(),
            login,
            label,
            systems: system_ids(&systems, true)?,
        };
        Ok(self.with(|v| v.add(entry))?.into())
    }

    /// Stores every readable key of `import` in one transaction, each with its
    /// suggested systems and its account as login, and records which QR codes of a
    /// Google export it held; or, with `dry_run`, says what that would do and stores
    /// nothing.
    pub fn import_all(
        &self,
        import: Arc<ParsedImport>,
        dry_run: bool,
    ) -> Result<ImportReport, A2fError> {
        let lang = current_lang();
        let mut report = ImportReport::default();
        let mut indexes = Vec::new();
        let mut entries = Vec::new();
        for (index, outcome) in import.outcomes() {
            match outcome {
                Ok(parsed) => {
                    indexes.push(index);
                    entries.push(NewEntry {
                        key: parsed.key.clone(),
                        issuer: parsed.issuer.clone(),
                        login: parsed.account.clone(),
                        label: None,
                        systems: parsed.suggested_systems(),
                    });
                }
                Err(e) => report.invalid.push(ImportInvalid {
                    index,
                    place: import.place(index),
                    error: ErrorInfo::new(e, lang),
                }),
            }
        }
        let commit = if dry_run { Commit::No } else { Commit::Yes };
        let transfers = import.transfers();
        let (outcomes, progress) = self.with(|v| {
            let outcomes = v.add_all(entries, commit)?;
            // Parts of one export may come in several imports, as the user scans them.
            let progress = transfers
                .iter()
                .map(|t| v.note_transfer(t, commit))
                .collect::<Result<Vec<_>>>()?;
            Ok((outcomes, progress))
        })?;
        report.transfers = progress
            .iter()
            .filter_map(|t| IncompleteTransfer::new(t, lang))
            .collect();
        for (index, outcome) in indexes.into_iter().zip(outcomes) {
            match outcome {
                Added::New(id) => report.added.push(id.get()),
                Added::Duplicate { id, in_trash } => report.duplicates.push(ImportDuplicate {
                    index,
                    place: import.place(index),
                    id: id.get(),
                    in_trash,
                }),
            }
        }
        Ok(report)
    }

    /// Live entries, or with `trash` the trashed ones, oldest first.
    pub fn list(&self, trash: bool) -> Result<Vec<EntryInfo>, A2fError> {
        let shelf = if trash { Shelf::Trash } else { Shelf::Live };
        let entries = self.with(|v| v.list(shelf))?;
        let lang = current_lang();
        Ok(entries
            .into_iter()
            .map(|e| EntryInfo::new(e, lang))
            .collect())
    }

    /// One entry, live or trashed.
    pub fn entry(&self, id: i64) -> Result<EntryInfo, A2fError> {
        let id = entry_id(id)?;
        let entry = self.with(|v| v.entry(id))?;
        Ok(EntryInfo::new(entry, current_lang()))
    }

    /// The codes of every live entry at `at_unix`, or of those linked to `system`: the
    /// code list's one call per timer tick.
    pub fn codes(&self, at_unix: i64, system: Option<String>) -> Result<Vec<EntryCodes>, A2fError> {
        let at = UnixTime::new(at_unix)?;
        let system = system.as_deref().map(SystemId::parse).transpose()?;
        let entries = self.with(|v| v.codes(at, system))?;
        let lang = current_lang();
        Ok(entries
            .into_iter()
            .map(|e| EntryCodes::new(e, lang))
            .collect())
    }

    /// Every catalog system, in catalog order: registered or not, exported or not.
    pub fn status(&self) -> Result<Vec<SystemStatus>, A2fError> {
        let status = self.with(|v| v.status())?;
        Ok(status.into_iter().map(SystemStatus::from).collect())
    }

    /// A blank label is `empty_input`.
    pub fn rename(&self, id: i64, label: String) -> Result<(), A2fError> {
        let id = entry_id(id)?;
        Ok(self.with(|v| v.rename(id, &label))?)
    }

    /// Absent or blank removes the login.
    pub fn set_login(&self, id: i64, login: Option<String>) -> Result<(), A2fError> {
        let id = entry_id(id)?;
        Ok(self.with(|v| v.set_login(id, login.as_deref()))?)
    }

    /// Links the entry to systems; a system of a shared-key group brings its group.
    pub fn link(&self, id: i64, systems: Vec<String>) -> Result<(), A2fError> {
        let id = entry_id(id)?;
        let systems = system_ids(&systems, true)?;
        Ok(self.with(|v| v.link(id, &systems))?)
    }

    /// Unlinks exactly the systems given.
    pub fn unlink(&self, id: i64, systems: Vec<String>) -> Result<(), A2fError> {
        let id = entry_id(id)?;
        let systems = system_ids(&systems, false)?;
        Ok(self.with(|v| v.unlink(id, &systems))?)
    }

    /// After re-enrolling at eproc: the entry takes the key at `index` of `import`,
    /// keeping its systems, label and login; the console needs the new key.
    pub fn replace_key(
        &self,
        id: i64,
        import: Arc<ParsedImport>,
        index: u32,
    ) -> Result<(), A2fError> {
        let id = entry_id(id)?;
        let parsed = import.key(index)?;
        Ok(self.with(|v| v.replace_key(id, &parsed.key))?)
    }

    /// Moves the entry to the trash; `restore` brings it back.
    pub fn delete(&self, id: i64) -> Result<(), A2fError> {
        let id = entry_id(id)?;
        Ok(self.with(|v| v.delete(id))?)
    }

    pub fn restore(&self, id: i64) -> Result<(), A2fError> {
        let id = entry_id(id)?;
        Ok(self.with(|v| v.restore(id))?)
    }

    /// Erases a trashed entry for good (`entry_not_in_trash` for a live one).
    pub fn purge(&self, id: i64) -> Result<(), A2fError> {
        let id = entry_id(id)?;
        Ok(self.with(|v| v.purge(id))?)
    }

    /// Moves an HOTP entry's counter on and returns the code for it, and the next.
    pub fn next_hotp(&self, id: i64) -> Result<CodePreview, A2fError> {
        let id = entry_id(id)?;
        Ok(self.with(|v| v.next_hotp(id))?.into())
    }

    /// Checks the whole file and every entry. Reads only.
    pub fn verify(&self) -> Result<VerifyReport, A2fError> {
        let verified = self.with(|v| v.verify())?;
        Ok(VerifyReport {
            entries: verified.entries as u64,
            damaged: verified.damaged.iter().map(|id| id.get()).collect(),
        })
    }
}

#[cfg(test)]
pub(super) mod tests {
    use std::path::PathBuf;
    use std::sync::OnceLock;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::super::imports::read_import;
    use super::super::keystore::PlatformKeyError;
    use super::super::{
        PLATFORM_KEY_CANCELLED, PLATFORM_KEY_INVALIDATED, PLATFORM_KEY_UNAVAILABLE,
    };
    use super::*;

    pub(in crate::ffi) const PASS: &str = "correct horse battery staple";
    pub(in crate::ffi) const KEY: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
    /// OWASP's floor: the cheapest cost the vault accepts, to keep tests quick.
    pub(in crate::ffi) const QUICK: KdfSettings = KdfSettings {
        memory_kib: 19 * 1024,
        iterations: 2,
        parallelism: 1,
    };

    /// A fresh folder under the system's temp dir, removed on drop.
    pub(in crate::ffi) struct Dir(PathBuf);

    impl Dir {
        pub(in crate::ffi) fn new() -> Self {
            static NEXT: AtomicUsize = AtomicUsize::new(0);
            let n = NEXT.fetch_add(1, Ordering::Relaxed);
            let dir =
                std::env::temp_dir().join(format!("a2f-ffi-vault-{}-{n}", std::process::id()));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).unwrap();
            Dir(dir)
        }

        pub(in crate::ffi) fn vault(&self) -> String {
            self.0.join("vault.db").to_string_lossy().into_owned()
        }
    }

    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    /// A keystore that wraps by XOR with its own pad, fails as told, counts its calls,
    /// and checks that the vault it serves is not locked against other threads while
    /// it runs (a real one may wait seconds for a finger).
    struct Keystore {
        pad: u8,
        failure: Option<PlatformKeyError>,
        calls: AtomicUsize,
        vault: OnceLock<Arc<Vault>>,
    }

    impl Keystore {
        fn new(pad: u8, failure: Option<PlatformKeyError>) -> Arc<Self> {
            Arc::new(Keystore {
                pad,
                failure,
                calls: AtomicUsize::new(0),
                vault: OnceLock::new(),
            })
        }

        fn serve(&self, vault: &Arc<Vault>) {
            assert!(self.vault.set(Arc::clone(vault)).is_ok());
        }

        fn answer(&self, bytes: Vec<u8>) -> Result<Vec<u8>, PlatformKeyError> {
            self.calls.fetch_add(1, Ordering::Relaxed);
            if let Some(vault) = self.vault.get() {
                assert!(
                    vault.inner.try_lock().is_ok(),
                    "the keystore was called with the vault's lock held"
                );
            }
            match self.failure {
                Some(failure) => Err(failure),
                None => Ok(bytes.iter().map(|b| b ^ self.pad).collect()),
            }
        }
    }

    impl PlatformKeyStore for Keystore {
        fn wrap(&self, key: Vec<u8>) -> Result<Vec<u8>, PlatformKeyError> {
            self.answer(key)
        }
        fn unwrap(&self, wrapped: Vec<u8>) -> Result<Vec<u8>, PlatformKeyError> {
            self.answer(wrapped)
        }
    }

    pub(in crate::ffi) fn unlocked(dir: &Dir) -> Arc<Vault> {
        Vault::create_with_passphrase(dir.vault(), PASS.into(), Some(QUICK)).unwrap()
    }

    pub(in crate::ffi) fn add(vault: &Vault, text: &str, systems: &[&str]) -> i64 {
        let import = read_import(text.into()).unwrap();
        let systems = systems.iter().map(|s| s.to_string()).collect();
        match vault
            .add_from_import(import, 0, systems, Some("12345678900".into()), None)
            .unwrap()
        {
            AddOutcome::Added { id } => id,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn the_keystore_runs_without_the_lock_and_unlocks() {
        let dir = Dir::new();
        let store = Keystore::new(0x5a, None);
        let vault = Vault::create_with_platform(dir.vault(), store.clone()).unwrap();
        store.serve(&vault);
        let id = add(&vault, KEY, &["tjrs-1g"]);
        vault.add_passphrase_slot(PASS.into(), Some(QUICK)).unwrap();
        vault.add_platform_slot(store.clone()).unwrap();
        vault.lock();
        assert_eq!(vault.codes(59, None).unwrap_err().code(), "locked");
        vault.unlock_with_platform(store.clone()).unwrap();
        // create, add_platform_slot, then the first slot unwrapped at once.
        assert_eq!(store.calls.load(Ordering::Relaxed), 3);
        let codes = vault.codes(59, None).unwrap();
        assert_eq!(codes[0].id, id);
        assert_eq!(codes[0].code.as_deref(), Some("287082"));
        let kinds: Vec<SlotKind> = vault.slots().unwrap().iter().map(|s| s.kind).collect();
        assert_eq!(
            kinds,
            [SlotKind::Platform, SlotKind::Passphrase, SlotKind::Platform]
        );
    }

    #[test]
    fn keystore_failures_have_their_own_codes() {
        let dir = Dir::new();
        let vault = unlocked(&dir);
        let good = Keystore::new(0x33, None);
        vault.add_platform_slot(good.clone()).unwrap();
        vault.add_platform_slot(good.clone()).unwrap();
        vault.lock();
        let cases = [
            (PlatformKeyError::Cancelled, PLATFORM_KEY_CANCELLED, 1),
            (
                PlatformKeyError::KeyInvalidated,
                PLATFORM_KEY_INVALIDATED,
                2,
            ),
            (PlatformKeyError::Unavailable, PLATFORM_KEY_UNAVAILABLE, 2),
        ];
        for (failure, code, calls) in cases {
            let store = Keystore::new(0x33, Some(failure));
            let e = vault.unlock_with_platform(store.clone()).unwrap_err();
            assert!(matches!(e, A2fError::Auth { .. }), "{e:?}");
            assert_eq!(e.code(), code);
            // A cancelled prompt is not followed by another one.
            assert_eq!(store.calls.load(Ordering::Relaxed), calls, "{code}");
        }
        // A keystore that unwraps to the wrong bytes lost its key.
        let other = Keystore::new(0x44, None);
        let e = vault.unlock_with_platform(other).unwrap_err();
        assert_eq!(e.code(), PLATFORM_KEY_INVALIDATED);
        assert!(!vault.is_unlocked());
        let e = vault
            .add_platform_slot(Keystore::new(0x33, None))
            .unwrap_err();
        assert_eq!(e.code(), "locked");
        vault.unlock_with_passphrase(PASS.into()).unwrap();
        let e = vault
            .add_platform_slot(Keystore::new(0, Some(PlatformKeyError::Cancelled)))
            .unwrap_err();
        assert_eq!(e.code(), PLATFORM_KEY_CANCELLED);
        assert_eq!(vault.slots().unwrap().len(), 3);

        let failed = Dir::new();
        let e = Vault::create_with_platform(
            failed.vault(),
            Keystore::new(0, Some(PlatformKeyError::KeyInvalidated)),
        )
        .err()
        .unwrap();
        assert_eq!(e.code(), PLATFORM_KEY_INVALIDATED);
        assert!(!Path::new(&failed.vault()).exists());
    }

    #[test]
    fn passphrase_slots_and_locking() {
        let dir = Dir::new();
        drop(unlocked(&dir));
        let vault = Vault::open(dir.vault()).unwrap();
        assert!(!vault.is_unlocked());
        let e = vault.unlock_with_passphrase("wrong".into()).unwrap_err();
        assert!(matches!(e, A2fError::Auth { .. }));
        assert_eq!(e.code(), "wrong_passphrase");
        assert_eq!(
            vault
                .unlock_with_passphrase(String::new())
                .unwrap_err()
                .code(),
            "empty_passphrase"
        );
        vault.unlock_with_passphrase(PASS.into()).unwrap();
        let weak = KdfSettings {
            memory_kib: 1024,
            ..QUICK
        };
        assert_eq!(
            vault
                .change_passphrase("new".into(), Some(weak))
                .unwrap_err()
                .code(),
            "kdf_params_out_of_range"
        );
        vault.change_passphrase("new".into(), Some(QUICK)).unwrap();
        let slots = vault.slots().unwrap();
        assert_eq!(slots.len(), 1);
        assert_eq!(
            vault.remove_slot(slots[0].id).unwrap_err().code(),
            "last_slot"
        );
        assert_eq!(vault.remove_slot(0).unwrap_err().code(), "slot_not_found");
        let second = vault
            .add_passphrase_slot("other".into(), Some(QUICK))
            .unwrap();
        vault.remove_slot(slots[0].id).unwrap();
        vault.lock();
        assert_eq!(
            vault
                .unlock_with_passphrase("new".into())
                .unwrap_err()
                .code(),
            "wrong_passphrase"
        );
        vault.unlock_with_passphrase("other".into()).unwrap();
        assert_eq!(vault.slots().unwrap()[0].id, second);
        assert_eq!(
            Vault::open(dir.vault() + "-none").err().unwrap().code(),
            "vault_not_found"
        );
        assert_eq!(
            Vault::create_with_passphrase(dir.vault(), PASS.into(), Some(QUICK))
                .err()
                .unwrap()
                .code(),
            "vault_exists"
        );
    }

    #[test]
    fn systems_bring_their_group_when_linking_only() {
        let dir = Dir::new();
        let vault = unlocked(&dir);
        let id = add(&vault, KEY, &["jfsc", "tjrs-1g", "trf4"]);
        let systems = |vault: &Vault| vault.entry(id).unwrap().systems;
        assert_eq!(systems(&vault), ["tjrs-1g", "trf4", "jfpr", "jfsc", "jfrs"]);
        vault
            .unlink(id, vec!["jfpr".into(), "TJRS-1G".into()])
            .unwrap();
        assert_eq!(systems(&vault), ["trf4", "jfsc", "jfrs"]);
        vault
            .link(id, vec!["jfrs".into(), "tjto-2g".into()])
            .unwrap();
        assert_eq!(systems(&vault), ["tjto-2g", "trf4", "jfpr", "jfsc", "jfrs"]);
        let e = vault.link(id, vec!["trf9".into()]).unwrap_err();
        assert!(matches!(e, A2fError::InvalidInput { .. }));
        assert_eq!(e.code(), "unknown_system");
        assert_eq!(vault.codes(0, Some("tjrs-1g".into())).unwrap().len(), 0);
        assert_eq!(vault.codes(0, Some("jfpr".into())).unwrap().len(), 1);
        assert_eq!(
            vault.codes(0, Some("x".into())).unwrap_err().code(),
            "unknown_system"
        );
    }

    #[test]
    fn import_all_reports_each_item() {
        let dir = Dir::new();
        let vault = unlocked(&dir);
        let first = add(&vault, KEY, &[]);
        let text = format!(
            "otpauth://totp/eproc%20TJRS:b?secret=JBSWY3DPEHPK3PXP\notpauth://totp/x?digits=6\notpauth://totp/a?secret={KEY}"
        );
        let import = read_import(text).unwrap();
        let dry = vault.import_all(import.clone(), true).unwrap();
        assert_eq!(dry.added.len(), 1);
        assert_eq!(
            vault.list(false).unwrap().len(),
            1,
            "a dry run stores nothing"
        );
        let report = vault.import_all(import.clone(), false).unwrap();
        assert_eq!(report.added.len(), 1);
        assert_eq!(report.invalid.len(), 1);
        assert_eq!(report.invalid[0].index, 1);
        assert_eq!(report.invalid[0].error.code, "missing_secret");
        assert!(report.invalid[0].place.is_some());
        assert_eq!(report.duplicates.len(), 1);
        assert_eq!(
            (report.duplicates[0].index, report.duplicates[0].id),
            (2, first)
        );
        let stored = vault.entry(report.added[0]).unwrap();
        assert_eq!(stored.login.as_deref(), Some("b"));
        assert_eq!(stored.systems, ["tjrs-1g", "tjrs-2g"]);
        let e = vault
            .add_from_import(import.clone(), 1, vec![], None, None)
            .unwrap_err();
        assert_eq!(e.code(), "missing_secret");
        let e = vault
            .add_from_import(import, 3, vec![], None, None)
            .unwrap_err();
        assert!(matches!(e, A2fError::NotFound { .. }));
    }

    #[test]
    fn import_all_remembers_the_parts_of_a_transfer() {
        use super::super::scan::tests::fixture;
        let dir = Dir::new();
        let vault = unlocked(&dir);
        let one = read_import(fixture("google-migration-1-of-2.txt")).unwrap();
        let dry = vault.import_all(one.clone(), true).unwrap();
        assert_eq!(dry.transfers[0].missing, [2]);
        let two = read_import(fixture("google-migration-2-of-2.txt")).unwrap();
        assert_eq!(
            vault.import_all(two.clone(), true).unwrap().transfers[0].missing,
            [1],
            "a dry run records nothing"
        );
        let first = vault.import_all(one, false).unwrap();
        assert_eq!(first.transfers[0].batch_size, 2);
        assert_eq!(first.transfers[0].missing, [2]);
        assert!(!first.transfers[0].message.is_empty());
        let second = vault.import_all(two, false).unwrap();
        // Its second account has an algorithm no app supports.
        assert_eq!((second.added.len(), second.invalid.len()), (1, 1));
        assert!(
            second.transfers.is_empty(),
            "part 1 came in the first import"
        );
    }

    #[test]
    fn entries_through_their_life() {
        let dir = Dir::new();
        let vault = unlocked(&dir);
        let id = add(
            &vault,
            "otpauth://totp/eproc%20TRF4:x?secret=JBSWY3DPEHPK3PXPJBSWY3DP&period=60&digits=8&algorithm=SHA256",
            &["trf4"],
        );
        let entry = vault.entry(id).unwrap();
        assert_eq!(entry.label.as_deref(), Some("eproc TRF4"));
        assert_eq!(entry.login.as_deref(), Some("12345678900"));
        assert_eq!(
            (entry.kind, entry.algorithm, entry.digits, entry.period),
            (
                Some(OtpType::Totp),
                Some(OtpAlgorithm::Sha256),
                Some(8),
                Some(60)
            )
        );
        assert!(entry.error.is_none() && entry.exported_at.is_none() && !entry.export_again);
        vault.rename(id, "  TRF4 escritório ".into()).unwrap();
        assert_eq!(
            vault.rename(id, " ".into()).unwrap_err().code(),
            "empty_input"
        );
        vault.set_login(id, None).unwrap();
        let entry = vault.entry(id).unwrap();
        assert_eq!(entry.label.as_deref(), Some("TRF4 escritório"));
        assert_eq!(entry.login, None);

        let status = vault.status().unwrap();
        assert_eq!(status.len(), catalog::systems().len());
        let trf4 = status.iter().find(|s| s.system == "trf4").unwrap();
        assert_eq!(
            (trf4.entries.as_slice(), trf4.exported),
            ([id].as_slice(), false)
        );
        assert!(
            status
                .iter()
                .find(|s| s.system == "tjsc-1g")
                .unwrap()
                .entries
                .is_empty()
        );

        let replacement = read_import(KEY.into()).unwrap();
        vault.replace_key(id, replacement, 0).unwrap();
        let codes = vault.codes(59, None).unwrap();
        assert_eq!(
            codes[0].code.as_deref(),
            Some("287082"),
            "eproc's defaults now"
        );
        assert_eq!(vault.entry(id).unwrap().period, Some(30));

        assert_eq!(vault.purge(id).unwrap_err().code(), "entry_not_in_trash");
        vault.delete(id).unwrap();
        assert!(vault.codes(59, None).unwrap().is_empty());
        assert_eq!(
            vault.rename(id, "x".into()).unwrap_err().code(),
            "entry_in_trash"
        );
        let trash = vault.list(true).unwrap();
        assert_eq!(trash.len(), 1);
        assert!(trash[0].deleted_at.is_some());
        vault.restore(id).unwrap();
        vault.delete(id).unwrap();
        vault.purge(id).unwrap();
        assert!(vault.list(true).unwrap().is_empty());
        let e = vault.entry(id).unwrap_err();
        assert!(matches!(e, A2fError::NotFound { .. }));
        assert_eq!(vault.delete(-1).unwrap_err().code(), "entry_not_found");
        assert_eq!(
            vault.verify().unwrap(),
            VerifyReport {
                entries: 0,
                damaged: vec![]
            }
        );
    }

    #[test]
    fn hotp_moves_on() {
        let dir = Dir::new();
        let vault = unlocked(&dir);
        let seed = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
        let id = add(
            &vault,
            &format!("otpauth://hotp/x?secret={seed}&counter=0"),
            &[],
        );
        let listed = vault.codes(0, None).unwrap();
        assert_eq!(listed[0].code.as_deref(), Some("755224"));
        assert_eq!(listed[0].valid_for, None);
        // RFC 4226's codes for counters 1 and 2.
        let next = vault.next_hotp(id).unwrap();
        assert_eq!(
            (next.code.as_str(), next.next.as_str()),
            ("287082", "359152")
        );
        assert_eq!(vault.entry(id).unwrap().kind, Some(OtpType::Hotp));
        let totp = add(&vault, KEY.replace("GEZD", "MFRG").as_str(), &[]);
        assert_eq!(vault.next_hotp(totp).unwrap_err().code(), "not_hotp");
    }
}
