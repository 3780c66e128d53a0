//! The vault: one SQLite file where a lawyer's keys live for years. Secret and personal
//! fields are encrypted (see `crypto`), the vault key lives only wrapped in key slots
//! (see `slots`), and no code path deletes or recreates a vault that fails to open.

pub(crate) mod crypto;
pub(crate) mod record;
mod schema;
mod slots;

/// The private field codecs, for the fuzz targets in `fuzz/` only: cargo-fuzz builds with
/// `--cfg fuzzing`, so no other build exposes them.
#[cfg(fuzzing)]
#[doc(hidden)]
pub mod fuzzing {
    pub use super::crypto::{FieldKeys, KEY_LEN, NONCE_LEN, Place, TAG_LEN, VaultKey};
    pub use super::crypto::{open_with, seal_with};
    pub use super::record::{decode, decode_details, encode, encode_details};
}

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, OptionalExtension, TransactionBehavior, params};
use zeroize::Zeroizing;

pub use schema::CURRENT_VERSION as SCHEMA_VERSION;
pub use slots::{KdfParams, KeyWrapper, Passphrase, PlatformKeyFailure};

use crate::catalog::{self, SystemId};
use crate::error::{Error, Result, StorageProblem};
use crate::files;
use crate::otp::{CodeView, OtpKey, OtpKind, OtpParams, UnixTime};
use crate::report::TransferProgress;
use crypto::{FieldKeys, Place, VaultKey};
use record::Details;

/// How long a writer waits for another process holding the vault.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// An entry's id: positive, assigned by the vault, never reused (AUTOINCREMENT), so a
/// script holding an old id can never reach a different key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EntryId(i64);

impl EntryId {
    pub fn new(value: i64) -> Option<Self> {
        (value > 0).then_some(EntryId(value))
    }

    pub const fn get(self) -> i64 {
        self.0
    }
}

impl std::fmt::Display for EntryId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SlotId(i64);

impl SlotId {
    pub fn new(value: i64) -> Option<Self> {
        (value > 0).then_some(SlotId(value))
    }

    pub const fn get(self) -> i64 {
        self.0
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SlotKind {
    Passphrase,
    Platform,
}

impl SlotKind {
    const fn as_str(self) -> &'static str {
        match self {
            SlotKind::Passphrase => "passphrase",
            SlotKind::Platform => "platform",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SlotInfo {
    pub id: SlotId,
    pub kind: SlotKind,
    pub created_at: i64,
}

/// How a new vault is first protected.
pub enum FirstSlot<'a> {
    Passphrase(&'a Passphrase, KdfParams),
    Platform(&'a dyn KeyWrapper),
}

/// A key to store, with what the user said about it.
#[derive(Debug)]
pub struct NewEntry {
    pub key: OtpKey,
    pub issuer: Option<String>,
    pub login: Option<String>,
    /// The name shown for the entry; when absent, the issuer or the first system's name.
    pub label: Option<String>,
    pub systems: Vec<SystemId>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Added {
    New(EntryId),
    /// The key was already stored, in this entry (possibly in the trash).
    Duplicate {
        id: EntryId,
        in_trash: bool,
    },
}

/// Whether `add_all` keeps what it did: `No` is a dry run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Commit {
    Yes,
    No,
}

/// An entry encrypted and ready to insert.
struct SealedEntry {
    uuid: [u8; 16],
    fingerprint: [u8; 32],
    key_blob: Vec<u8>,
    details_blob: Vec<u8>,
    systems: Vec<SystemId>,
}

/// What the vault shows of an entry: never its key.
#[derive(Clone, PartialEq, Eq)]
pub struct EntryDetails {
    pub label: String,
    pub issuer: Option<String>,
    pub login: Option<String>,
    pub params: OtpParams,
}

impl std::fmt::Debug for EntryDetails {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Logins are CPF or OAB numbers, labels often a name: personal data.
        f.debug_struct("EntryDetails")
            .field("label", &"[redacted]")
            .field("issuer", &self.issuer)
            .field("login", &self.login.as_ref().map(|_| "[redacted]"))
            .field("params", &self.params)
            .finish()
    }
}

#[derive(Debug)]
pub struct EntryInfo {
    pub id: EntryId,
    pub systems: Vec<SystemId>,
    pub created_at: i64,
    pub key_changed_at: i64,
    pub exported_at: Option<i64>,
    pub deleted_at: Option<i64>,
    /// The decrypted fields, or why this entry cannot be read.
    pub details: Result<EntryDetails>,
}

impl EntryInfo {
    /// Exported since the key last changed: the console has the current key.
    pub fn exported_current_key(&self) -> bool {
        self.exported_at.is_some_and(|e| e >= self.key_changed_at)
    }
}

#[derive(Debug)]
pub struct EntryCodes {
    pub id: EntryId,
    pub systems: Vec<SystemId>,
    pub codes: Result<(EntryDetails, CodeView)>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SystemStatus {
    pub system: SystemId,
    /// Live entries linked to the system, oldest first.
    pub entries: Vec<EntryId>,
    /// The first entry's current key was exported to the console.
    pub exported: bool,
}

/// An entry whole, key included, for backups and plaintext exports. Leaves the vault
/// only on an explicit export.
pub struct FullEntry {
    /// The entry's immutable UUID, kept across backup and restore.
    pub uuid: [u8; 16],
    pub key: OtpKey,
    pub label: String,
    pub issuer: Option<String>,
    pub login: Option<String>,
    pub systems: Vec<SystemId>,
    pub created_at: i64,
    pub key_changed_at: i64,
    pub exported_at: Option<i64>,
    pub deleted_at: Option<i64>,
}

impl std::fmt::Debug for FullEntry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FullEntry")
            .field("key", &self.key)
            .field("issuer", &self.issuer)
            .field("systems", &self.systems)
            .finish_non_exhaustive()
    }
}

/// Every entry of a vault with its key, and those that could not be read.
pub struct AllEntries {
    pub entries: Vec<(EntryId, FullEntry)>,
    pub damaged: Vec<EntryId>,
}

/// How a restore meets the entries already in the vault.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RestoreMode {
    /// Adds what the vault lacks; keeps everything it has as it is.
    Merge,
    /// The vault's live entries become the backup's: a key in both takes the backup's
    /// version, and a live key the backup lacks goes to the trash, where nothing is lost.
    Replace,
}

/// What `verify` found: the file is sound; these entries (live or trashed) are not.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Verified {
    pub entries: usize,
    pub damaged: Vec<EntryId>,
}

/// Which entries to list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shelf {
    Live,
    Trash,
}

/// The columns `Row::read` reads, in its order.
macro_rules! row_columns {
    () => {
        "id, uuid, key_blob, details_blob, created_at, key_changed_at, exported_at, deleted_at"
    };
}

/// The two encrypted columns of an entry.
#[derive(Clone, Copy)]
enum Blob {
    Key,
    Details,
}

/// Keys of an unlocked vault.
struct Unlocked {
    vault_key: VaultKey,
    fields: FieldKeys,
}

pub struct Vault {
    conn: Connection,
    path: PathBuf,
    uuid: [u8; 16],
    unlocked: Option<Unlocked>,
}

impl std::fmt::Debug for Vault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Vault")
            .field("path", &self.path)
            .field("unlocked", &self.unlocked.is_some())
            .finish()
    }
}

/// Maps SQLite's failures to ours: a file that is not a database or is corrupt is
/// damage, a lock held too long is "busy", the rest is storage trouble.
pub(crate) fn storage_error(err: rusqlite::Error) -> Error {
    use rusqlite::ErrorCode as C;
    match err.sqlite_error_code() {
        Some(C::NotADatabase) => Error::NotAVault,
        Some(C::DatabaseCorrupt) => Error::VaultDamaged,
        Some(C::DatabaseBusy | C::DatabaseLocked) => Error::VaultBusy,
        Some(C::DiskFull) => Error::Storage {
            reason: StorageProblem::Full,
        },
        Some(C::ReadOnly) => Error::Storage {
            reason: StorageProblem::ReadOnly,
        },
        Some(C::SystemIoFailure | C::CannotOpen) => Error::Storage {
            reason: StorageProblem::Io,
        },
        _ => Error::Storage {
            reason: StorageProblem::Other,
        },
    }
}

fn now() -> Result<i64> {
    UnixTime::now().map(|t| t.seconds() as i64)
}

fn uuid_v4() -> Result<[u8; 16]> {
    let mut bytes: [u8; 16] = crypto::random_bytes()?;
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    Ok(bytes)
}

fn to_uuid(bytes: Vec<u8>) -> Result<[u8; 16]> {
    bytes.try_into().map_err(|_| Error::VaultDamaged)
}

const CANARY: &[u8] = b"A2F eproc vault key check";

fn canary_place(vault: &[u8; 16]) -> Place<'_> {
    Place {
        table: "meta",
        column: "canary",
        owner: vault,
    }
}

fn entry_place<'a>(column: &'static str, uuid: &'a [u8; 16]) -> Place<'a> {
    Place {
        table: "entries",
        column,
        owner: uuid,
    }
}

fn configure(conn: &Connection) -> Result<()> {
    conn.busy_timeout(BUSY_TIMEOUT).map_err(storage_error)?;
    // Connection settings only: none of them writes to the file.
    conn.pragma_update(None, "foreign_keys", true)
        .map_err(storage_error)?;
    conn.pragma_update(None, "secure_delete", true)
        .map_err(storage_error)?;
    conn.pragma_update(None, "synchronous", "FULL")
        .map_err(storage_error)?;
    Ok(())
}

impl Vault {
    /// Creates a vault at `path`, which must not exist: the vault is built beside it
    /// under a temporary name and linked into place only when complete, so a crash
    /// never leaves a half-made vault, and an existing file is never touched.
    pub fn create(path: &Path, first: FirstSlot<'_>) -> Result<Vault> {
        if path.exists() {
            return Err(Error::VaultExists);
        }
        let vault_key = VaultKey::generate()?;
        let uuid = uuid_v4()?;
        let (kind, params, wrapped, slot_uuid) = {
            let slot_uuid = uuid_v4()?;
            match first {
                FirstSlot::Passphrase(pass, kdf) => {
                    let (p, w) = slots::wrap_with_passphrase(&vault_key, pass, kdf, &slot_uuid)?;
                    (SlotKind::Passphrase, p, w, slot_uuid)
                }
                FirstSlot::Platform(wrapper) => {
                    let w = wrapper
                        .wrap(vault_key.expose())
                        .map_err(|failure| Error::PlatformKey { failure })?;
                    (SlotKind::Platform, Vec::new(), w, slot_uuid)
                }
            }
        };
        let temp = files::temp_beside(path, "creating")?;
        let built = (|| -> Result<()> {
            // Created here, owner-only, before SQLite opens it: SQLite gives its WAL and
            // shared-memory files the same permissions.
            files::create_private(&temp).map_err(|e| files::storage_problem(&e))?;
            let mut conn = Connection::open(&temp).map_err(storage_error)?;
            configure(&conn)?;
            conn.pragma_update(None, "journal_mode", "WAL")
                .map_err(storage_error)?;
            let fields = FieldKeys::derive(&vault_key);
            let created = now()?;
            let tx = conn.transaction().map_err(storage_error)?;
            schema::create(&tx)?;
            tx.execute(
                "INSERT INTO meta (key, value) VALUES ('vault_uuid', ?1), ('canary', ?2)",
                params![uuid.to_vec(), fields.seal(canary_place(&uuid), CANARY)?],
            )
            .map_err(storage_error)?;
            tx.execute(
                "INSERT INTO key_slots (uuid, kind, params, wrapped_key, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![slot_uuid.to_vec(), kind.as_str(), params, wrapped, created],
            )
            .map_err(storage_error)?;
            tx.commit().map_err(storage_error)?;
            conn.close().map_err(|(_, e)| storage_error(e))
        })();
        let linked = built.and_then(|()| link_into_place(&temp, path));
        remove_temp(&temp);
        linked?;
        let mut vault = Vault::open(path)?;
        vault.install(vault_key)?;
        Ok(vault)
    }

    /// Opens an existing vault, locked. Reads only: a file that is not a vault, is
    /// damaged or newer is reported and left exactly as it was.
    pub fn open(path: &Path) -> Result<Vault> {
        if !path.is_file() {
            return Err(Error::VaultNotFound);
        }
        // Before SQLite opens it: reading a WAL-mode file creates the WAL.
        check_length(path)?;
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(storage_error)?;
        configure(&conn)?;
        schema::version(&conn)?;
        let uuid: Vec<u8> = conn
            .query_row("SELECT value FROM meta WHERE key = 'vault_uuid'", [], |r| {
                r.get(0)
            })
            .optional()
            .map_err(storage_error)?
            .ok_or(Error::VaultDamaged)?;
        Ok(Vault {
            conn,
            path: path.to_owned(),
            uuid: to_uuid(uuid)?,
            unlocked: None,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn is_unlocked(&self) -> bool {
        self.unlocked.is_some()
    }

    /// Forgets the keys; they are zeroized as they drop.
    pub fn lock(&mut self) {
        self.unlocked = None;
    }

    fn fields(&self) -> Result<&FieldKeys> {
        self.unlocked
            .as_ref()
            .map(|u| &u.fields)
            .ok_or(Error::Locked)
    }

    /// Checks a candidate vault key against the canary, upgrades the schema if needed,
    /// and keeps the key. A key that fails the canary is never kept.
    fn install(&mut self, vault_key: VaultKey) -> Result<()> {
        let fields = FieldKeys::derive(&vault_key);
        let canary: Vec<u8> = self
            .conn
            .query_row("SELECT value FROM meta WHERE key = 'canary'", [], |r| {
                r.get(0)
            })
            .optional()
            .map_err(storage_error)?
            .ok_or(Error::VaultDamaged)?;
        match fields.open(canary_place(&self.uuid), &canary) {
            Ok(text) if text.as_slice() == CANARY => {}
            _ => return Err(Error::WrongPassphrase),
        }
        schema::upgrade(&mut self.conn)?;
        self.unlocked = Some(Unlocked { vault_key, fields });
        Ok(())
    }

    fn slot_rows(&self, kind: SlotKind) -> Result<Vec<SlotRow>> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT id, uuid, params, wrapped_key FROM key_slots WHERE kind = ?1 ORDER BY id",
            )
            .map_err(storage_error)?;
        let rows = stmt
            .query_map([kind.as_str()], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, Vec<u8>>(1)?,
                    r.get(2)?,
                    r.get(3)?,
                ))
            })
            .map_err(storage_error)?;
        let mut out = Vec::new();
        for row in rows {
            let (id, uuid, params, wrapped) = row.map_err(storage_error)?;
            let id = SlotId::new(id).ok_or(Error::VaultDamaged)?;
            out.push(SlotRow {
                id,
                uuid: to_uuid(uuid)?,
                params,
                wrapped,
            });
        }
        Ok(out)
    }

    /// Unlocks with the passphrase. A wrong one is an error and writes nothing.
    pub fn unlock_with_passphrase(&mut self, passphrase: &Passphrase) -> Result<()> {
        let rows = self.slot_rows(SlotKind::Passphrase)?;
        if rows.is_empty() {
            return Err(Error::NoPassphraseSlot);
        }
        let mut last = Error::WrongPassphrase;
        for row in rows {
            match slots::unwrap_with_passphrase(passphrase, &row.params, &row.wrapped, &row.uuid) {
                Ok(key) => return self.install(key),
                Err(e) => last = e,
            }
        }
        Err(last)
    }

    /// The wrapped vault key of each platform slot, for a caller that unwraps it
    /// outside any lock (the FFI must not call into the app while holding one).
    pub fn platform_slots(&self) -> Result<Vec<(SlotId, Vec<u8>)>> {
        Ok(self
            .slot_rows(SlotKind::Platform)?
            .into_iter()
            .map(|row| (row.id, row.wrapped))
            .collect())
    }

    /// Unlocks with a vault key the platform unwrapped.
    pub fn unlock_with_unwrapped_key(&mut self, key: &[u8]) -> Result<()> {
        let key = VaultKey::from_bytes(key).ok_or(Error::WrongPassphrase)?;
        self.install(key).map_err(|e| match e {
            Error::WrongPassphrase => Error::PlatformKey {
                failure: PlatformKeyFailure::KeyInvalidated,
            },
            other => other,
        })
    }

    /// Unlocks through the platform keystore: the first platform slot it can unwrap.
    pub fn unlock_with_platform(&mut self, wrapper: &dyn KeyWrapper) -> Result<()> {
        let slots = self.platform_slots()?;
        let mut last = Error::PlatformKey {
            failure: PlatformKeyFailure::Unavailable,
        };
        for (_, wrapped) in slots {
            match wrapper.unwrap(&wrapped) {
                Ok(key) => match self.unlock_with_unwrapped_key(&key) {
                    Ok(()) => return Ok(()),
                    Err(e) => last = e,
                },
                Err(failure) => last = Error::PlatformKey { failure },
            }
        }
        Err(last)
    }

    pub fn slots(&self) -> Result<Vec<SlotInfo>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id, kind, created_at FROM key_slots ORDER BY id")
            .map_err(storage_error)?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, i64>(2)?,
                ))
            })
            .map_err(storage_error)?;
        let mut out = Vec::new();
        for row in rows {
            let (id, kind, created_at) = row.map_err(storage_error)?;
            let kind = match kind.as_str() {
                "passphrase" => SlotKind::Passphrase,
                "platform" => SlotKind::Platform,
                _ => return Err(Error::VaultDamaged),
            };
            out.push(SlotInfo {
                id: SlotId::new(id).ok_or(Error::VaultDamaged)?,
                kind,
                created_at,
            });
        }
        Ok(out)
    }

    fn insert_slot(
        &self,
        kind: SlotKind,
        slot_uuid: [u8; 16],
        params: Vec<u8>,
        wrapped: Vec<u8>,
    ) -> Result<SlotId> {
        self.conn
            .execute(
                "INSERT INTO key_slots (uuid, kind, params, wrapped_key, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![slot_uuid.to_vec(), kind.as_str(), params, wrapped, now()?],
            )
            .map_err(storage_error)?;
        SlotId::new(self.conn.last_insert_rowid()).ok_or(Error::Internal)
    }

    fn vault_key(&self) -> Result<&VaultKey> {
        self.unlocked
            .as_ref()
            .map(|u| &u.vault_key)
            .ok_or(Error::Locked)
    }

    /// Adds a passphrase slot; the entries are not touched.
    pub fn add_passphrase_slot(
        &mut self,
        passphrase: &Passphrase,
        kdf: KdfParams,
    ) -> Result<SlotId> {
        let slot_uuid = uuid_v4()?;
        let (params, wrapped) =
            slots::wrap_with_passphrase(self.vault_key()?, passphrase, kdf, &slot_uuid)?;
        self.insert_slot(SlotKind::Passphrase, slot_uuid, params, wrapped)
    }

    /// The vault key, for the platform to wrap into a new slot. Only while unlocked.
    pub fn vault_key_for_wrapping(&self) -> Result<Zeroizing<Vec<u8>>> {
        Ok(Zeroizing::new(self.vault_key()?.expose().to_vec()))
    }

    /// Stores a platform slot whose key the platform wrapped.
    pub fn add_platform_slot_wrapped(&mut self, wrapped: Vec<u8>) -> Result<SlotId> {
        self.vault_key()?;
        self.insert_slot(SlotKind::Platform, uuid_v4()?, Vec::new(), wrapped)
    }

    pub fn add_platform_slot(&mut self, wrapper: &dyn KeyWrapper) -> Result<SlotId> {
        let key = self.vault_key_for_wrapping()?;
        let wrapped = wrapper
            .wrap(&key)
            .map_err(|failure| Error::PlatformKey { failure })?;
        self.add_platform_slot_wrapped(wrapped)
    }

    /// Removes a slot, never the last one: a vault nobody can unlock is a lost vault.
    pub fn remove_slot(&mut self, slot: SlotId) -> Result<()> {
        self.vault_key()?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(storage_error)?;
        let count: i64 = tx
            .query_row("SELECT count(*) FROM key_slots", [], |r| r.get(0))
            .map_err(storage_error)?;
        let exists: bool = tx
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM key_slots WHERE id = ?1)",
                [slot.0],
                |r| r.get(0),
            )
            .map_err(storage_error)?;
        if !exists {
            return Err(Error::SlotNotFound);
        }
        if count <= 1 {
            return Err(Error::LastSlot);
        }
        tx.execute("DELETE FROM key_slots WHERE id = ?1", [slot.0])
            .map_err(storage_error)?;
        tx.commit().map_err(storage_error)
    }

    /// Replaces every passphrase slot with one for the new passphrase, in one
    /// transaction: the old passphrase works until the new one does.
    pub fn change_passphrase(&mut self, new: &Passphrase, kdf: KdfParams) -> Result<()> {
        let slot_uuid = uuid_v4()?;
        let (params, wrapped) =
            slots::wrap_with_passphrase(self.vault_key()?, new, kdf, &slot_uuid)?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(storage_error)?;
        tx.execute("DELETE FROM key_slots WHERE kind = 'passphrase'", [])
            .map_err(storage_error)?;
        tx.execute(
            "INSERT INTO key_slots (uuid, kind, params, wrapped_key, created_at) VALUES (?1, 'passphrase', ?2, ?3, ?4)",
            params![slot_uuid.to_vec(), params, wrapped, now()?],
        )
        .map_err(storage_error)?;
        tx.commit().map_err(storage_error)
    }

    /// Stores a key, unless it is already stored: then says where.
    pub fn add(&mut self, entry: NewEntry) -> Result<Added> {
        let mut outcome = self.add_all(vec![entry], Commit::Yes)?;
        outcome.pop().ok_or(Error::Internal)
    }

    /// Stores keys in one transaction: all of them or, on any failure, none. A key
    /// already stored (or met earlier in `entries`) is reported, not stored twice.
    /// `Commit::No` reports what would happen and rolls everything back.
    pub fn add_all(&mut self, entries: Vec<NewEntry>, commit: Commit) -> Result<Vec<Added>> {
        let fields = self.fields()?;
        let created = now()?;
        let mut sealed = Vec::with_capacity(entries.len());
        for entry in entries {
            let uuid = uuid_v4()?;
            let label = non_empty(entry.label)
                .or_else(|| non_empty(entry.issuer.clone()))
                .or_else(|| entry.systems.first().map(|s| s.system().name.to_owned()))
                .unwrap_or_else(|| "eproc".to_owned());
            let details = Details {
                label,
                issuer: non_empty(entry.issuer),
                login: non_empty(entry.login),
            };
            sealed.push(SealedEntry {
                fingerprint: fields.fingerprint(entry.key.secret.expose()),
                key_blob: fields.seal(entry_place("key", &uuid), &record::encode(&entry.key))?,
                details_blob: seal_details(fields, &uuid, &details)?,
                uuid,
                systems: entry.systems,
            });
        }

        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(storage_error)?;
        let mut outcomes = Vec::with_capacity(sealed.len());
        for entry in sealed {
            let existing: Option<(i64, Option<i64>)> = tx
                .query_row(
                    "SELECT id, deleted_at FROM entries WHERE fingerprint = ?1",
                    [entry.fingerprint.to_vec()],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()
                .map_err(storage_error)?;
            if let Some((id, deleted_at)) = existing {
                outcomes.push(Added::Duplicate {
                    id: EntryId::new(id).ok_or(Error::VaultDamaged)?,
                    in_trash: deleted_at.is_some(),
                });
                continue;
            }
            tx.execute(
                "INSERT INTO entries (uuid, fingerprint, key_blob, details_blob, created_at, key_changed_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
                params![
                    entry.uuid.to_vec(),
                    entry.fingerprint.to_vec(),
                    entry.key_blob,
                    entry.details_blob,
                    created
                ],
            )
            .map_err(storage_error)?;
            let id = EntryId::new(tx.last_insert_rowid()).ok_or(Error::Internal)?;
            insert_systems(&tx, id, &entry.systems)?;
            outcomes.push(Added::New(id));
        }
        match commit {
            Commit::Yes => tx.commit().map_err(storage_error)?,
            Commit::No => tx.rollback().map_err(storage_error)?,
        }
        Ok(outcomes)
    }

    /// Live or trashed entries, oldest first, without keys. An entry whose blobs do not
    /// decrypt is listed with its error; the others are unaffected.
    pub fn list(&self, shelf: Shelf) -> Result<Vec<EntryInfo>> {
        let fields = self.fields()?;
        let systems = self.systems_by_entry()?;
        let sql = match shelf {
            Shelf::Live => {
                concat!(
                    "SELECT ",
                    row_columns!(),
                    " FROM entries WHERE deleted_at IS NULL ORDER BY id"
                )
            }
            Shelf::Trash => {
                concat!(
                    "SELECT ",
                    row_columns!(),
                    " FROM entries WHERE deleted_at IS NOT NULL ORDER BY id"
                )
            }
        };
        let mut stmt = self.conn.prepare_cached(sql).map_err(storage_error)?;
        let rows = stmt.query_map([], Row::read).map_err(storage_error)?;
        let mut out = Vec::new();
        for row in rows {
            let row = row.map_err(storage_error)?;
            let id = EntryId::new(row.id).ok_or(Error::VaultDamaged)?;
            let details = row.details(fields).map(|(details, _)| details);
            out.push(EntryInfo {
                id,
                systems: systems.get(&id).cloned().unwrap_or_default(),
                created_at: row.created_at,
                key_changed_at: row.key_changed_at,
                exported_at: row.exported_at,
                deleted_at: row.deleted_at,
                details,
            });
        }
        Ok(out)
    }

    pub fn entry(&self, id: EntryId) -> Result<EntryInfo> {
        let fields = self.fields()?;
        let row = self.row(id)?;
        let details = row.details(fields).map(|(d, _)| d);
        Ok(EntryInfo {
            id,
            systems: self.systems_of(id)?,
            created_at: row.created_at,
            key_changed_at: row.key_changed_at,
            exported_at: row.exported_at,
            deleted_at: row.deleted_at,
            details,
        })
    }

    /// The codes of every live entry (or of those serving `system`) at `at`, in one
    /// call: the screen refreshes them all from one timer.
    pub fn codes(&self, at: UnixTime, system: Option<SystemId>) -> Result<Vec<EntryCodes>> {
        let fields = self.fields()?;
        let systems = self.systems_by_entry()?;
        let mut stmt = self
            .conn
            .prepare_cached(concat!(
                "SELECT ",
                row_columns!(),
                " FROM entries WHERE deleted_at IS NULL ORDER BY id"
            ))
            .map_err(storage_error)?;
        let rows = stmt.query_map([], Row::read).map_err(storage_error)?;
        let mut out = Vec::new();
        for row in rows {
            let row = row.map_err(storage_error)?;
            let id = EntryId::new(row.id).ok_or(Error::VaultDamaged)?;
            let linked = systems.get(&id).cloned().unwrap_or_default();
            if system.is_some_and(|s| !linked.contains(&s)) {
                continue;
            }
            let codes = row
                .details(fields)
                .map(|(details, key)| (details, key.view(at)));
            out.push(EntryCodes {
                id,
                systems: linked,
                codes,
            });
        }
        Ok(out)
    }

    /// The key of one entry, for the explicit console export and plaintext exports.
    pub fn key(&self, id: EntryId) -> Result<(EntryDetails, OtpKey)> {
        let fields = self.fields()?;
        let row = self.row(id)?;
        if row.deleted_at.is_some() {
            return Err(Error::EntryInTrash);
        }
        row.details(fields)
    }

    /// Every catalog system: the live entries linked to it and whether the first one's
    /// current key reached the console.
    pub fn status(&self) -> Result<Vec<SystemStatus>> {
        self.fields()?;
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT s.system, e.id, e.key_changed_at, e.exported_at
                 FROM entry_systems s JOIN entries e ON e.id = s.entry_id
                 WHERE e.deleted_at IS NULL ORDER BY e.id",
            )
            .map_err(storage_error)?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, i64>(2)?,
                    r.get::<_, Option<i64>>(3)?,
                ))
            })
            .map_err(storage_error)?;
        let mut linked: BTreeMap<SystemId, Vec<(EntryId, bool)>> = BTreeMap::new();
        for row in rows {
            let (system, id, changed, exported) = row.map_err(storage_error)?;
            let Ok(system) = SystemId::parse(&system) else {
                continue;
            };
            let id = EntryId::new(id).ok_or(Error::VaultDamaged)?;
            linked
                .entry(system)
                .or_default()
                .push((id, exported.is_some_and(|e| e >= changed)));
        }
        Ok(catalog::systems()
            .iter()
            .map(|s| {
                let entries = linked.remove(&s.id).unwrap_or_default();
                SystemStatus {
                    system: s.id,
                    exported: entries.first().is_some_and(|(_, exported)| *exported),
                    entries: entries.into_iter().map(|(id, _)| id).collect(),
                }
            })
            .collect())
    }

    pub fn rename(&mut self, id: EntryId, label: &str) -> Result<()> {
        let label = label.trim();
        if label.is_empty() {
            return Err(Error::EmptyInput);
        }
        self.edit_details(id, |d| d.label = label.to_owned())
    }

    pub fn set_login(&mut self, id: EntryId, login: Option<&str>) -> Result<()> {
        let login = non_empty(login.map(str::to_owned));
        self.edit_details(id, |d| d.login = login)
    }

    fn edit_details(&mut self, id: EntryId, change: impl FnOnce(&mut Details)) -> Result<()> {
        self.rewrite_blob(id, Blob::Details, |plain| {
            let mut details = record::decode_details(plain).ok_or(Error::EntryDamaged)?;
            change(&mut details);
            Ok((record::encode_details(&details), ()))
        })
    }

    /// Reads one blob of a live entry, lets `change` make the new plaintext from the old,
    /// and writes it back sealed, in one transaction: two edits at once never undo each
    /// other, and two HOTP readers never get the same counter.
    fn rewrite_blob<T>(
        &mut self,
        id: EntryId,
        blob: Blob,
        change: impl FnOnce(&[u8]) -> Result<(Zeroizing<Vec<u8>>, T)>,
    ) -> Result<T> {
        let Some(unlocked) = self.unlocked.as_ref() else {
            return Err(Error::Locked);
        };
        let (select, update, column) = match blob {
            Blob::Key => (
                "SELECT uuid, key_blob, deleted_at FROM entries WHERE id = ?1",
                "UPDATE entries SET key_blob = ?1 WHERE id = ?2",
                "key",
            ),
            Blob::Details => (
                "SELECT uuid, details_blob, deleted_at FROM entries WHERE id = ?1",
                "UPDATE entries SET details_blob = ?1 WHERE id = ?2",
                "details",
            ),
        };
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(storage_error)?;
        let (uuid, sealed, deleted_at): (Vec<u8>, Vec<u8>, Option<i64>) = tx
            .query_row(select, [id.0], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .optional()
            .map_err(storage_error)?
            .ok_or(Error::EntryNotFound)?;
        if deleted_at.is_some() {
            return Err(Error::EntryInTrash);
        }
        let uuid = to_uuid(uuid)?;
        let plain = unlocked
            .fields
            .open(entry_place(column, &uuid), &sealed)
            .map_err(|_| Error::EntryDamaged)?;
        let (new_plain, out) = change(&plain)?;
        let resealed = unlocked
            .fields
            .seal(entry_place(column, &uuid), &new_plain)?;
        tx.execute(update, params![resealed, id.0])
            .map_err(storage_error)?;
        tx.commit().map_err(storage_error)?;
        Ok(out)
    }

    pub fn link(&mut self, id: EntryId, systems: &[SystemId]) -> Result<()> {
        self.fields()?;
        self.live_uuid(id)?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(storage_error)?;
        insert_systems(&tx, id, systems)?;
        tx.commit().map_err(storage_error)
    }

    pub fn unlink(&mut self, id: EntryId, systems: &[SystemId]) -> Result<()> {
        self.fields()?;
        self.live_uuid(id)?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(storage_error)?;
        for s in systems {
            tx.execute(
                "DELETE FROM entry_systems WHERE entry_id = ?1 AND system = ?2",
                params![id.0, s.as_str()],
            )
            .map_err(storage_error)?;
        }
        tx.commit().map_err(storage_error)
    }

    /// Re-enrolment at eproc issues a new key: it replaces the old one in this entry,
    /// keeping its systems, and the console export is due again.
    pub fn replace_key(&mut self, id: EntryId, key: &OtpKey) -> Result<()> {
        let fields = self.fields()?;
        let uuid = self.live_uuid(id)?;
        let fingerprint = fields.fingerprint(key.secret.expose());
        let blob = fields.seal(entry_place("key", &uuid), &record::encode(key))?;
        let changed = now()?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(storage_error)?;
        let other: Option<i64> = tx
            .query_row(
                "SELECT id FROM entries WHERE fingerprint = ?1 AND id <> ?2",
                params![fingerprint.to_vec(), id.0],
                |r| r.get(0),
            )
            .optional()
            .map_err(storage_error)?;
        if other.is_some() {
            return Err(Error::DuplicateKey);
        }
        tx.execute(
            "UPDATE entries SET key_blob = ?1, fingerprint = ?2, key_changed_at = ?3 WHERE id = ?4",
            params![blob, fingerprint.to_vec(), changed, id.0],
        )
        .map_err(storage_error)?;
        tx.commit().map_err(storage_error)
    }

    /// Moves an entry to the trash. Nothing is lost: `restore` brings it back.
    pub fn delete(&mut self, id: EntryId) -> Result<()> {
        self.fields()?;
        self.live_uuid(id)?;
        self.conn
            .execute(
                "UPDATE entries SET deleted_at = ?1 WHERE id = ?2",
                params![now()?, id.0],
            )
            .map_err(storage_error)?;
        Ok(())
    }

    pub fn restore(&mut self, id: EntryId) -> Result<()> {
        self.fields()?;
        if self.row(id)?.deleted_at.is_none() {
            return Err(Error::EntryNotInTrash);
        }
        self.conn
            .execute("UPDATE entries SET deleted_at = NULL WHERE id = ?1", [id.0])
            .map_err(storage_error)?;
        Ok(())
    }

    /// Erases an entry for good. Only from the trash: one command never loses a key.
    /// `secure_delete` overwrites its bytes in the file.
    pub fn purge(&mut self, id: EntryId) -> Result<()> {
        self.fields()?;
        if self.row(id)?.deleted_at.is_none() {
            return Err(Error::EntryNotInTrash);
        }
        self.conn
            .execute("DELETE FROM entries WHERE id = ?1", [id.0])
            .map_err(storage_error)?;
        Ok(())
    }

    /// Records that the entry's key went to the console now.
    pub fn mark_exported(&mut self, id: EntryId) -> Result<()> {
        self.fields()?;
        self.live_uuid(id)?;
        self.conn
            .execute(
                "UPDATE entries SET exported_at = ?1 WHERE id = ?2",
                params![now()?, id.0],
            )
            .map_err(storage_error)?;
        Ok(())
    }

    /// Advances an HOTP entry's counter and returns the code for the new counter. The
    /// read, the increment and the write are one transaction: two callers never get the
    /// same counter.
    pub fn next_hotp(&mut self, id: EntryId) -> Result<CodeView> {
        self.rewrite_blob(id, Blob::Key, |plain| {
            let mut key = record::decode(plain).ok_or(Error::EntryDamaged)?;
            let OtpKind::Hotp { counter } = key.params.kind else {
                return Err(Error::NotHotp);
            };
            key.params.kind = OtpKind::Hotp {
                counter: counter.next()?,
            };
            Ok((record::encode(&key), key.view(UnixTime::new(0)?)))
        })
    }

    /// Every entry, live and trashed, with its key: for backups and plaintext exports.
    /// Entries that cannot be read are returned apart, so the caller can say so.
    pub fn full_entries(&self) -> Result<AllEntries> {
        let fields = self.fields()?;
        let systems = self.systems_by_entry()?;
        let mut stmt = self
            .conn
            .prepare_cached(concat!(
                "SELECT ",
                row_columns!(),
                " FROM entries ORDER BY id"
            ))
            .map_err(storage_error)?;
        let rows = stmt.query_map([], Row::read).map_err(storage_error)?;
        let (mut whole, mut damaged) = (Vec::new(), Vec::new());
        for row in rows {
            let row = row.map_err(storage_error)?;
            let id = EntryId::new(row.id).ok_or(Error::VaultDamaged)?;
            match (row.details(fields), to_uuid(row.uuid.clone())) {
                (Ok((details, key)), Ok(uuid)) => whole.push((
                    id,
                    FullEntry {
                        uuid,
                        key,
                        label: details.label,
                        issuer: details.issuer,
                        login: details.login,
                        systems: systems.get(&id).cloned().unwrap_or_default(),
                        created_at: row.created_at,
                        key_changed_at: row.key_changed_at,
                        exported_at: row.exported_at,
                        deleted_at: row.deleted_at,
                    },
                )),
                _ => damaged.push(id),
            }
        }
        Ok(AllEntries {
            entries: whole,
            damaged,
        })
    }

    /// Puts backed-up entries into the vault in one transaction, keeping their UUIDs,
    /// times and trash state. A key already stored is reported, not stored twice.
    pub fn restore_entries(
        &mut self,
        entries: Vec<FullEntry>,
        mode: RestoreMode,
    ) -> Result<Vec<Added>> {
        let Some(unlocked) = self.unlocked.as_ref() else {
            return Err(Error::Locked);
        };
        let fields = &unlocked.fields;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(storage_error)?;
        let restored: Vec<[u8; 32]> = entries
            .iter()
            .map(|e| fields.fingerprint(e.key.secret.expose()))
            .collect();
        if mode == RestoreMode::Replace {
            let live: Vec<(i64, Vec<u8>)> = tx
                .prepare("SELECT id, fingerprint FROM entries WHERE deleted_at IS NULL")
                .and_then(|mut stmt| {
                    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                        .collect::<rusqlite::Result<Vec<_>>>()
                })
                .map_err(storage_error)?;
            let now = now()?;
            for (id, fingerprint) in live {
                if !restored.iter().any(|f| f.as_slice() == fingerprint) {
                    tx.execute(
                        "UPDATE entries SET deleted_at = ?1 WHERE id = ?2",
                        params![now, id],
                    )
                    .map_err(storage_error)?;
                }
            }
        }
        let mut outcomes = Vec::with_capacity(entries.len());
        for (entry, fingerprint) in entries.into_iter().zip(restored) {
            let existing: Option<(i64, Option<i64>)> = tx
                .query_row(
                    "SELECT id, deleted_at FROM entries WHERE fingerprint = ?1",
                    [fingerprint.to_vec()],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()
                .map_err(storage_error)?;
            let details = Details {
                label: entry.label,
                issuer: entry.issuer,
                login: entry.login,
            };
            if let Some((id, deleted_at)) = existing {
                let id = EntryId::new(id).ok_or(Error::VaultDamaged)?;
                if mode == RestoreMode::Replace {
                    // The backup wins: the entry keeps its id and UUID, and takes the
                    // backup's parameters, names, systems and times.
                    let uuid: Vec<u8> = tx
                        .query_row("SELECT uuid FROM entries WHERE id = ?1", [id.0], |r| {
                            r.get(0)
                        })
                        .map_err(storage_error)?;
                    let uuid = to_uuid(uuid)?;
                    tx.execute(
                        "UPDATE entries SET key_blob = ?1, details_blob = ?2, created_at = ?3, key_changed_at = ?4,
                         exported_at = ?5, deleted_at = ?6 WHERE id = ?7",
                        params![
                            fields.seal(entry_place("key", &uuid), &record::encode(&entry.key))?,
                            seal_details(fields, &uuid, &details)?,
                            entry.created_at,
                            entry.key_changed_at,
                            entry.exported_at,
                            entry.deleted_at,
                            id.0
                        ],
                    )
                    .map_err(storage_error)?;
                    tx.execute("DELETE FROM entry_systems WHERE entry_id = ?1", [id.0])
                        .map_err(storage_error)?;
                    insert_systems(&tx, id, &entry.systems)?;
                }
                outcomes.push(Added::Duplicate {
                    id,
                    in_trash: deleted_at.is_some(),
                });
                continue;
            }
            // A UUID taken by another key (a backup of another vault) gets a new one.
            let taken: bool = tx
                .query_row(
                    "SELECT EXISTS (SELECT 1 FROM entries WHERE uuid = ?1)",
                    [entry.uuid.to_vec()],
                    |r| r.get(0),
                )
                .map_err(storage_error)?;
            let uuid = if taken { uuid_v4()? } else { entry.uuid };
            tx.execute(
                "INSERT INTO entries (uuid, fingerprint, key_blob, details_blob, created_at, key_changed_at, exported_at, deleted_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![
                    uuid.to_vec(),
                    fingerprint.to_vec(),
                    fields.seal(entry_place("key", &uuid), &record::encode(&entry.key))?,
                    seal_details(fields, &uuid, &details)?,
                    entry.created_at,
                    entry.key_changed_at,
                    entry.exported_at,
                    entry.deleted_at
                ],
            )
            .map_err(storage_error)?;
            let id = EntryId::new(tx.last_insert_rowid()).ok_or(Error::Internal)?;
            insert_systems(&tx, id, &entry.systems)?;
            outcomes.push(Added::New(id));
        }
        tx.commit().map_err(storage_error)?;
        Ok(outcomes)
    }

    /// Records the parts of a Google Authenticator transfer an import read, and says
    /// which parts no import into this vault has read yet. `Commit::No` only says.
    pub fn note_transfer(
        &mut self,
        progress: &TransferProgress,
        commit: Commit,
    ) -> Result<TransferProgress> {
        self.fields()?;
        let size = progress.batch_size;
        let now = now()?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(storage_error)?;
        for part in (0..size).filter(|p| !progress.missing.contains(p)) {
            tx.execute(
                "INSERT OR IGNORE INTO transfer_parts (batch_id, batch_size, part, seen_at) VALUES (?1, ?2, ?3, ?4)",
                params![progress.batch_id, size, part, now],
            )
            .map_err(storage_error)?;
        }
        let seen: Vec<u32> = tx
            .prepare("SELECT part FROM transfer_parts WHERE batch_id = ?1 AND batch_size = ?2")
            .and_then(|mut stmt| {
                stmt.query_map(params![progress.batch_id, size], |r| r.get(0))?
                    .collect::<rusqlite::Result<Vec<u32>>>()
            })
            .map_err(storage_error)?;
        match commit {
            Commit::Yes => tx.commit().map_err(storage_error)?,
            Commit::No => tx.rollback().map_err(storage_error)?,
        }
        Ok(TransferProgress {
            batch_id: progress.batch_id,
            batch_size: size,
            missing: (0..size).filter(|p| !seen.contains(p)).collect(),
        })
    }

    /// Checks the whole file: SQLite's integrity check, then every entry's blobs.
    /// Reads only.
    pub fn verify(&self) -> Result<Verified> {
        let fields = self.fields()?;
        let problems: Vec<String> = self
            .conn
            .prepare("PRAGMA integrity_check")
            .and_then(|mut stmt| {
                stmt.query_map([], |r| r.get::<_, String>(0))?
                    .collect::<rusqlite::Result<Vec<String>>>()
            })
            .map_err(storage_error)?;
        if problems != ["ok"] {
            return Err(Error::VaultDamaged);
        }
        let mut stmt = self
            .conn
            .prepare(concat!(
                "SELECT ",
                row_columns!(),
                " FROM entries ORDER BY id"
            ))
            .map_err(storage_error)?;
        let rows = stmt.query_map([], Row::read).map_err(storage_error)?;
        let mut verified = Verified::default();
        for row in rows {
            let row = row.map_err(storage_error)?;
            verified.entries += 1;
            if row.details(fields).is_err() {
                verified
                    .damaged
                    .push(EntryId::new(row.id).ok_or(Error::VaultDamaged)?);
            }
        }
        Ok(verified)
    }

    fn row(&self, id: EntryId) -> Result<Row> {
        self.conn
            .prepare_cached(concat!(
                "SELECT ",
                row_columns!(),
                " FROM entries WHERE id = ?1"
            ))
            .map_err(storage_error)?
            .query_row([id.0], Row::read)
            .optional()
            .map_err(storage_error)?
            .ok_or(Error::EntryNotFound)
    }

    /// The UUID of a live entry; trashed entries are read-only until restored.
    fn live_uuid(&self, id: EntryId) -> Result<[u8; 16]> {
        let (uuid, deleted_at): (Vec<u8>, Option<i64>) = self
            .conn
            .query_row(
                "SELECT uuid, deleted_at FROM entries WHERE id = ?1",
                [id.0],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(storage_error)?
            .ok_or(Error::EntryNotFound)?;
        if deleted_at.is_some() {
            return Err(Error::EntryInTrash);
        }
        to_uuid(uuid)
    }

    fn systems_of(&self, id: EntryId) -> Result<Vec<SystemId>> {
        Ok(self.systems_by_entry()?.remove(&id).unwrap_or_default())
    }

    /// Every entry's systems in one query, in catalog order.
    fn systems_by_entry(&self) -> Result<BTreeMap<EntryId, Vec<SystemId>>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT entry_id, system FROM entry_systems")
            .map_err(storage_error)?;
        let rows = stmt
            .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))
            .map_err(storage_error)?;
        let mut map: BTreeMap<EntryId, Vec<SystemId>> = BTreeMap::new();
        for row in rows {
            let (id, system) = row.map_err(storage_error)?;
            // An id a later catalog dropped is not damage: it is skipped.
            if let (Some(id), Ok(system)) = (EntryId::new(id), SystemId::parse(&system)) {
                map.entry(id).or_default().push(system);
            }
        }
        for list in map.values_mut() {
            list.sort_by_key(|s| catalog::systems().iter().position(|c| c.id == *s));
        }
        Ok(map)
    }
}

/// SQLite reads missing pages of a truncated file as zeros: a file shorter than its
/// header says is damaged even if the pages read so far look fine. The header (SQLite's
/// file format, section 1.3) gives the page size at offset 16 and, when its "valid for"
/// counter at 92 matches the change counter at 24, the page count at 28. Only checked
/// without a WAL file, whose pages may legitimately not be in the main file yet.
fn check_length(path: &Path) -> Result<()> {
    use std::io::Read;
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    if Path::new(&wal).exists() {
        return Ok(());
    }
    let io = |_| Error::Storage {
        reason: StorageProblem::Io,
    };
    let mut file = std::fs::File::open(path).map_err(io)?;
    let len = file.metadata().map_err(io)?.len();
    let mut header = [0u8; 100];
    let mut read = 0;
    while read < header.len() {
        match file.read(&mut header[read..]).map_err(io)? {
            0 => break,
            n => read += n,
        }
    }
    if read < 16 || &header[..16] != b"SQLite format 3\0" {
        return Err(Error::NotAVault);
    }
    if read < header.len() {
        return Err(Error::VaultDamaged);
    }
    let be32 = |at: usize| {
        u32::from_be_bytes([header[at], header[at + 1], header[at + 2], header[at + 3]])
    };
    let page_size = match u16::from_be_bytes([header[16], header[17]]) {
        1 => 65536,
        n => u64::from(n),
    };
    if page_size < 512 || len % page_size != 0 {
        return Err(Error::VaultDamaged);
    }
    if be32(92) == be32(24) && u64::from(be32(28)) * page_size > len {
        return Err(Error::VaultDamaged);
    }
    Ok(())
}

fn insert_systems(tx: &Connection, id: EntryId, systems: &[SystemId]) -> Result<()> {
    let mut stmt = tx
        .prepare_cached("INSERT OR IGNORE INTO entry_systems (entry_id, system) VALUES (?1, ?2)")
        .map_err(storage_error)?;
    for s in systems {
        stmt.execute(params![id.0, s.as_str()])
            .map_err(storage_error)?;
    }
    Ok(())
}

fn non_empty(text: Option<String>) -> Option<String> {
    text.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty())
}

fn seal_details(fields: &FieldKeys, uuid: &[u8; 16], details: &Details) -> Result<Vec<u8>> {
    fields.seal(
        entry_place("details", uuid),
        &record::encode_details(details),
    )
}

/// One row of `key_slots`.
struct SlotRow {
    id: SlotId,
    uuid: [u8; 16],
    params: Vec<u8>,
    wrapped: Vec<u8>,
}

/// One row of `entries`, as stored.
struct Row {
    id: i64,
    uuid: Vec<u8>,
    key_blob: Vec<u8>,
    details_blob: Vec<u8>,
    created_at: i64,
    key_changed_at: i64,
    exported_at: Option<i64>,
    deleted_at: Option<i64>,
}

impl Row {
    fn read(r: &rusqlite::Row<'_>) -> rusqlite::Result<Row> {
        Ok(Row {
            id: r.get(0)?,
            uuid: r.get(1)?,
            key_blob: r.get(2)?,
            details_blob: r.get(3)?,
            created_at: r.get(4)?,
            key_changed_at: r.get(5)?,
            exported_at: r.get(6)?,
            deleted_at: r.get(7)?,
        })
    }

    /// Decrypts both blobs; any failure makes the whole entry `EntryDamaged`.
    fn details(&self, fields: &FieldKeys) -> Result<(EntryDetails, OtpKey)> {
        let uuid: [u8; 16] = self
            .uuid
            .as_slice()
            .try_into()
            .map_err(|_| Error::EntryDamaged)?;
        let open = |column: &'static str, blob: &[u8]| {
            fields
                .open(entry_place(column, &uuid), blob)
                .map_err(|_| Error::EntryDamaged)
        };
        let key = record::decode(&open("key", &self.key_blob)?).ok_or(Error::EntryDamaged)?;
        let details = record::decode_details(&open("details", &self.details_blob)?)
            .ok_or(Error::EntryDamaged)?;
        Ok((
            EntryDetails {
                label: details.label,
                issuer: details.issuer,
                login: details.login,
                params: key.params,
            },
            key,
        ))
    }
}

/// Puts the finished vault in place without ever replacing a file: a hard link fails
/// if the target exists. Where links are not supported, a rename after a fresh check.
fn link_into_place(temp: &Path, path: &Path) -> Result<()> {
    match std::fs::hard_link(temp, path) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => return Err(Error::VaultExists),
        Err(_) => {
            if path.exists() {
                return Err(Error::VaultExists);
            }
            std::fs::rename(temp, path).map_err(|_| Error::Storage {
                reason: StorageProblem::Io,
            })?;
        }
    }
    files::sync_folder_of(path);
    Ok(())
}

/// Removes the temporary build files (never the vault: it has another name).
fn remove_temp(temp: &Path) {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut name = temp.as_os_str().to_owned();
        name.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(name));
    }
}

#[cfg(test)]
pub(crate) mod tests;
