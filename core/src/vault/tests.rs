use std::path::PathBuf;

use super::*;
use crate::error::{ErrorCode, ErrorKind};
use crate::otp::{Counter, Digits, OtpParams, Period};
use crate::report::TransferProgress;
use crate::secret::Secret;

const PASS: &str = "correct horse battery staple";

pub(crate) fn pass(text: &str) -> Passphrase {
    Passphrase::new(Zeroizing::new(text.to_owned())).unwrap()
}

/// A software stand-in for the phone's keystore: wraps under its own key.
pub(crate) struct SoftKeystore {
    key: [u8; 32],
    uuid: [u8; 16],
}

impl SoftKeystore {
    pub(crate) fn new() -> Self {
        SoftKeystore {
            key: crypto::random_bytes().unwrap(),
            uuid: [9; 16],
        }
    }
    fn place(&self) -> Place<'_> {
        Place {
            table: "test",
            column: "keystore",
            owner: &self.uuid,
        }
    }
}

impl KeyWrapper for SoftKeystore {
    fn wrap(&self, key: &[u8]) -> Result<Vec<u8>, PlatformKeyFailure> {
        crypto::seal_with(&self.key, self.place(), &[], key)
            .map_err(|_| PlatformKeyFailure::Unavailable)
    }
    fn unwrap(&self, wrapped: &[u8]) -> Result<Zeroizing<Vec<u8>>, PlatformKeyFailure> {
        crypto::open_with(&self.key, self.place(), &[], wrapped)
            .map_err(|_| PlatformKeyFailure::KeyInvalidated)
    }
}

struct FailingKeystore(PlatformKeyFailure);

impl KeyWrapper for FailingKeystore {
    fn wrap(&self, _: &[u8]) -> Result<Vec<u8>, PlatformKeyFailure> {
        Err(self.0)
    }
    fn unwrap(&self, _: &[u8]) -> Result<Zeroizing<Vec<u8>>, PlatformKeyFailure> {
        Err(self.0)
    }
}

/// Returns a key of the right length that is not the vault's.
struct LyingKeystore;

impl KeyWrapper for LyingKeystore {
    fn wrap(&self, _: &[u8]) -> Result<Vec<u8>, PlatformKeyFailure> {
        Ok(vec![1; 32])
    }
    fn unwrap(&self, _: &[u8]) -> Result<Zeroizing<Vec<u8>>, PlatformKeyFailure> {
        Ok(Zeroizing::new(vec![7; 32]))
    }
}

pub(crate) struct Dir(PathBuf);

impl Dir {
    pub(crate) fn new() -> Self {
        let hex: String = crypto::random_bytes::<8>()
            .unwrap()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        let dir = std::env::temp_dir().join(format!("a2f-vault-test-{hex}"));
        std::fs::create_dir_all(&dir).unwrap();
        Dir(dir)
    }
    pub(crate) fn vault(&self) -> PathBuf {
        self.0.join("vault.db")
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub(crate) fn new_vault(dir: &Dir) -> Vault {
    Vault::create(
        &dir.vault(),
        FirstSlot::Passphrase(&pass(PASS), KdfParams::FLOOR),
    )
    .unwrap()
}

fn key(seed: u8) -> OtpKey {
    OtpKey {
        secret: Secret::from_bytes(vec![seed; 20]).unwrap(),
        params: OtpParams::default_totp(),
    }
}

fn entry(seed: u8, systems: &[&str]) -> NewEntry {
    NewEntry {
        key: key(seed),
        issuer: Some("eproc TRF4".into()),
        login: Some(format!("login-{seed}")),
        label: None,
        systems: systems
            .iter()
            .map(|s| SystemId::parse(s).unwrap())
            .collect(),
    }
}

fn added(outcome: Added) -> EntryId {
    match outcome {
        Added::New(id) => id,
        other => panic!("{other:?}"),
    }
}

fn at(t: i64) -> UnixTime {
    UnixTime::new(t).unwrap()
}

#[test]
fn create_unlock_and_reopen() {
    let dir = Dir::new();
    let mut v = new_vault(&dir);
    assert!(v.is_unlocked());
    let id = added(v.add(entry(1, &["trf4"])).unwrap());
    #[cfg(unix)]
    for name in ["vault.db", "vault.db-wal"] {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.0.join(name))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "{name} is readable by others");
    }
    drop(v);

    let mut v = Vault::open(&dir.vault()).unwrap();
    assert!(!v.is_unlocked());
    assert!(matches!(v.list(Shelf::Live), Err(Error::Locked)));
    v.unlock_with_passphrase(&pass(PASS)).unwrap();
    let list = v.list(Shelf::Live).unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].id, id);
    let d = list[0].details.as_ref().unwrap();
    assert_eq!(d.label, "eproc TRF4");
    assert_eq!(d.login.as_deref(), Some("login-1"));
    v.lock();
    assert!(matches!(v.codes(at(0), None), Err(Error::Locked)));
}

#[test]
fn a_wrong_passphrase_writes_nothing() {
    let dir = Dir::new();
    drop(new_vault(&dir));
    let before = std::fs::read(dir.vault()).unwrap();
    let mut v = Vault::open(&dir.vault()).unwrap();
    assert!(matches!(
        v.unlock_with_passphrase(&pass("wrong")),
        Err(Error::WrongPassphrase)
    ));
    assert!(!v.is_unlocked());
    drop(v);
    assert_eq!(std::fs::read(dir.vault()).unwrap(), before);
}

#[test]
fn create_never_touches_an_existing_file() {
    let dir = Dir::new();
    std::fs::write(dir.vault(), b"precious").unwrap();
    let r = Vault::create(
        &dir.vault(),
        FirstSlot::Passphrase(&pass(PASS), KdfParams::FLOOR),
    );
    assert!(matches!(r, Err(Error::VaultExists)));
    assert_eq!(std::fs::read(dir.vault()).unwrap(), b"precious");
    let leftovers: Vec<_> = std::fs::read_dir(&dir.0).unwrap().collect();
    assert_eq!(leftovers.len(), 1, "no temporary files left behind");
}

#[test]
fn files_that_are_not_vaults_are_reported_and_untouched() {
    let dir = Dir::new();
    assert!(matches!(
        Vault::open(&dir.vault()),
        Err(Error::VaultNotFound)
    ));
    assert!(matches!(Vault::open(&dir.0), Err(Error::VaultNotFound)));

    let cases: Vec<(&str, Vec<u8>, ErrorCode)> = vec![
        (
            "text",
            b"hello, this is not a database at all".repeat(200),
            ErrorCode::NotAVault,
        ),
        ("empty", Vec::new(), ErrorCode::NotAVault),
        ("zeros", vec![0; 8192], ErrorCode::NotAVault),
    ];
    for (name, bytes, code) in cases {
        let path = dir.0.join(name);
        std::fs::write(&path, &bytes).unwrap();
        let err = Vault::open(&path).unwrap_err();
        assert_eq!(err.code(), code, "{name}");
        assert_eq!(std::fs::read(&path).unwrap(), bytes, "{name} was modified");
    }

    // Another program's SQLite database.
    let other = dir.0.join("other.db");
    Connection::open(&other)
        .unwrap()
        .execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
        .unwrap();
    let bytes = std::fs::read(&other).unwrap();
    assert_eq!(
        Vault::open(&other).unwrap_err().code(),
        ErrorCode::NotAVault
    );
    assert_eq!(std::fs::read(&other).unwrap(), bytes);
}

#[test]
fn truncated_and_newer_vaults_are_refused_untouched() {
    let dir = Dir::new();
    let mut v = new_vault(&dir);
    for seed in 0..40 {
        v.add(entry(seed, &["tjrs-1g"])).unwrap();
    }
    drop(v);
    let whole = std::fs::read(dir.vault()).unwrap();
    assert!(whole.len() > 8192);

    for cut in [100, 4096, whole.len() / 2, whole.len() - 1] {
        let path = dir.0.join(format!("cut-{cut}"));
        std::fs::write(&path, &whole[..cut]).unwrap();
        let result = Vault::open(&path).and_then(|mut v| {
            v.unlock_with_passphrase(&pass(PASS))?;
            v.list(Shelf::Live).map(|l| l.len())
        });
        match result {
            Err(e) => assert!(
                matches!(e.kind(), ErrorKind::Damaged | ErrorKind::Auth),
                "cut {cut}: {e:?}"
            ),
            Ok(n) => panic!("cut at {cut} read {n} entries as if whole"),
        }
        assert_eq!(
            std::fs::read(&path).unwrap(),
            &whole[..cut],
            "cut {cut} modified"
        );
    }

    let newer = dir.0.join("newer.db");
    std::fs::write(&newer, &whole).unwrap();
    Connection::open(&newer)
        .unwrap()
        .pragma_update(None, "user_version", SCHEMA_VERSION + 1)
        .unwrap();
    let bytes = std::fs::read(&newer).unwrap();
    assert_eq!(
        Vault::open(&newer).unwrap_err().code(),
        ErrorCode::VaultTooNew
    );
    assert_eq!(std::fs::read(&newer).unwrap(), bytes);
}

#[test]
fn platform_slot() {
    let dir = Dir::new();
    let ks = SoftKeystore::new();
    let mut v = Vault::create(&dir.vault(), FirstSlot::Platform(&ks)).unwrap();
    added(v.add(entry(3, &["tjsp-1g"])).unwrap());
    drop(v);

    let mut v = Vault::open(&dir.vault()).unwrap();
    assert!(matches!(
        v.unlock_with_passphrase(&pass(PASS)),
        Err(Error::NoPassphraseSlot)
    ));
    let failing = FailingKeystore(PlatformKeyFailure::Cancelled);
    assert!(matches!(
        v.unlock_with_platform(&failing),
        Err(Error::PlatformKey {
            failure: PlatformKeyFailure::Cancelled
        })
    ));
    assert!(matches!(
        v.unlock_with_platform(&LyingKeystore),
        Err(Error::PlatformKey {
            failure: PlatformKeyFailure::KeyInvalidated
        })
    ));
    assert!(matches!(
        v.unlock_with_platform(&SoftKeystore::new()),
        Err(Error::PlatformKey { .. })
    ));
    assert!(!v.is_unlocked());
    v.unlock_with_platform(&ks).unwrap();
    assert_eq!(v.list(Shelf::Live).unwrap().len(), 1);

    assert!(matches!(
        Vault::create(&dir.0.join("x.db"), FirstSlot::Platform(&failing)),
        Err(Error::PlatformKey { .. })
    ));
    assert!(!dir.0.join("x.db").exists());
}

#[test]
fn slots_come_and_go_without_touching_entries() {
    let dir = Dir::new();
    let mut v = new_vault(&dir);
    let id = added(v.add(entry(5, &["tnu"])).unwrap());
    let blob_before: Vec<u8> = v
        .conn
        .query_row("SELECT key_blob FROM entries", [], |r| r.get(0))
        .unwrap();
    let ks = SoftKeystore::new();
    let platform = v.add_platform_slot(&ks).unwrap();
    let second = v
        .add_passphrase_slot(&pass("second"), KdfParams::FLOOR)
        .unwrap();
    assert_eq!(v.slots().unwrap().len(), 3);

    let first = v.slots().unwrap()[0].id;
    v.remove_slot(first).unwrap();
    v.remove_slot(second).unwrap();
    assert!(matches!(v.remove_slot(platform), Err(Error::LastSlot)));
    assert!(matches!(v.remove_slot(second), Err(Error::SlotNotFound)));
    drop(v);

    let mut v = Vault::open(&dir.vault()).unwrap();
    assert!(matches!(
        v.unlock_with_passphrase(&pass(PASS)),
        Err(Error::NoPassphraseSlot)
    ));
    v.unlock_with_platform(&ks).unwrap();
    v.change_passphrase(&pass("new one"), KdfParams::FLOOR)
        .unwrap();
    drop(v);
    let mut v = Vault::open(&dir.vault()).unwrap();
    v.unlock_with_passphrase(&pass("new one")).unwrap();
    let blob_after: Vec<u8> = v
        .conn
        .query_row("SELECT key_blob FROM entries", [], |r| r.get(0))
        .unwrap();
    assert_eq!(blob_before, blob_after, "entries are not re-encrypted");
    assert!(v.entry(id).unwrap().details.is_ok());
}

#[test]
fn change_passphrase_replaces_the_old_one() {
    let dir = Dir::new();
    let mut v = new_vault(&dir);
    v.change_passphrase(&pass("brand new"), KdfParams::FLOOR)
        .unwrap();
    drop(v);
    let mut v = Vault::open(&dir.vault()).unwrap();
    assert!(matches!(
        v.unlock_with_passphrase(&pass(PASS)),
        Err(Error::WrongPassphrase)
    ));
    v.unlock_with_passphrase(&pass("brand new")).unwrap();
}

#[test]
fn codes_per_entry_and_per_system() {
    let dir = Dir::new();
    let mut v = new_vault(&dir);
    let rfc = OtpKey {
        secret: Secret::from_bytes(b"12345678901234567890".to_vec()).unwrap(),
        params: OtpParams {
            kind: OtpKind::Totp {
                period: Period::DEFAULT,
            },
            algorithm: crate::otp::Algorithm::Sha1,
            digits: Digits::new(8).unwrap(),
        },
    };
    let a = added(
        v.add(NewEntry {
            key: rfc,
            issuer: None,
            login: None,
            label: Some("RFC".into()),
            systems: vec![SystemId::parse("tjrs-1g").unwrap()],
        })
        .unwrap(),
    );
    let b = added(v.add(entry(2, &["trf4", "jfpr", "jfsc", "jfrs"])).unwrap());
    let all = v.codes(at(59), None).unwrap();
    assert_eq!(all.len(), 2);
    let (details, view) = all[0].codes.as_ref().unwrap();
    assert_eq!(all[0].id, a);
    assert_eq!(details.label, "RFC");
    assert_eq!(view.code.as_str(), "94287082");
    assert_eq!(view.valid_for, Some(1));
    let jfsc = v
        .codes(at(59), Some(SystemId::parse("jfsc").unwrap()))
        .unwrap();
    assert_eq!(jfsc.len(), 1);
    assert_eq!(jfsc[0].id, b);
    assert_eq!(jfsc[0].systems.len(), 4);
    assert!(
        v.codes(at(59), Some(SystemId::parse("tnu").unwrap()))
            .unwrap()
            .is_empty()
    );
}

#[test]
fn duplicates_are_reported_not_stored() {
    let dir = Dir::new();
    let mut v = new_vault(&dir);
    let id = added(v.add(entry(1, &["trf4"])).unwrap());
    assert_eq!(
        v.add(entry(1, &["tjsp-1g"])).unwrap(),
        Added::Duplicate {
            id,
            in_trash: false
        }
    );
    v.delete(id).unwrap();
    assert_eq!(
        v.add(entry(1, &[])).unwrap(),
        Added::Duplicate { id, in_trash: true }
    );
    assert_eq!(v.list(Shelf::Live).unwrap().len(), 0);
    let other = added(v.add(entry(2, &[])).unwrap());
    v.restore(id).unwrap();
    assert!(matches!(
        v.replace_key(other, &key(1)),
        Err(Error::DuplicateKey)
    ));
}

#[test]
fn add_all_is_one_transaction_and_a_dry_run_stores_nothing() {
    let dir = Dir::new();
    let mut v = new_vault(&dir);
    let first = added(v.add(entry(1, &[])).unwrap());
    let batch = || {
        vec![
            entry(2, &["tnu"]),
            entry(1, &[]),
            entry(3, &[]),
            entry(2, &[]),
        ]
    };
    let dry = v.add_all(batch(), Commit::No).unwrap();
    assert!(matches!(dry[0], Added::New(_)));
    assert_eq!(
        dry[1],
        Added::Duplicate {
            id: first,
            in_trash: false
        }
    );
    assert!(
        matches!(dry[3], Added::Duplicate { .. }),
        "a repeat within the batch"
    );
    assert_eq!(
        v.list(Shelf::Live).unwrap().len(),
        1,
        "the dry run stored nothing"
    );
    let real = v.add_all(batch(), Commit::Yes).unwrap();
    assert_eq!(
        real.iter().filter(|a| matches!(a, Added::New(_))).count(),
        2
    );
    assert_eq!(v.list(Shelf::Live).unwrap().len(), 3);
}

#[test]
fn edit_link_trash_restore_purge() {
    let dir = Dir::new();
    let mut v = new_vault(&dir);
    let id = added(v.add(entry(1, &["tjmg-1g"])).unwrap());
    let keep = added(v.add(entry(2, &["tjmg-2g"])).unwrap());
    v.rename(id, "Dra. Ana").unwrap();
    assert!(matches!(v.rename(id, "  "), Err(Error::EmptyInput)));
    v.set_login(id, Some("OAB/RS 123")).unwrap();
    let mg1 = SystemId::parse("tjmg-1g").unwrap();
    let mg2 = SystemId::parse("tjmg-2g").unwrap();
    let tnu = SystemId::parse("tnu").unwrap();
    v.link(id, &[tnu, mg2, mg2]).unwrap();
    v.unlink(id, &[mg1]).unwrap();
    let info = v.entry(id).unwrap();
    assert_eq!(info.systems, [mg2, tnu], "catalog order, no repeats");
    let d = info.details.unwrap();
    assert_eq!(d.label, "Dra. Ana");
    assert_eq!(d.login.as_deref(), Some("OAB/RS 123"));

    assert!(matches!(v.purge(id), Err(Error::EntryNotInTrash)));
    v.delete(id).unwrap();
    assert!(matches!(v.delete(id), Err(Error::EntryInTrash)));
    assert!(matches!(v.rename(id, "x"), Err(Error::EntryInTrash)));
    assert!(matches!(v.key(id), Err(Error::EntryInTrash)));
    assert_eq!(v.list(Shelf::Trash).unwrap().len(), 1);
    assert_eq!(v.codes(at(0), None).unwrap().len(), 1);
    v.restore(id).unwrap();
    assert!(matches!(v.restore(id), Err(Error::EntryNotInTrash)));
    v.delete(id).unwrap();
    v.purge(id).unwrap();
    assert!(matches!(v.entry(id), Err(Error::EntryNotFound)));
    assert!(matches!(v.restore(id), Err(Error::EntryNotFound)));
    let links: i64 = v
        .conn
        .query_row(
            "SELECT count(*) FROM entry_systems WHERE entry_id = ?1",
            [id.get()],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(links, 0, "links go with the entry");
    let next = added(v.add(entry(1, &[])).unwrap());
    assert!(next.get() > keep.get(), "ids are never reused");
    assert!(matches!(
        v.entry(EntryId::new(999).unwrap()),
        Err(Error::EntryNotFound)
    ));
}

#[test]
fn replacing_a_key_calls_for_a_new_export() {
    let dir = Dir::new();
    let mut v = new_vault(&dir);
    let id = added(v.add(entry(1, &["jfrs"])).unwrap());
    let jfrs = SystemId::parse("jfrs").unwrap();
    let status = |v: &Vault| {
        v.status()
            .unwrap()
            .into_iter()
            .find(|s| s.system == jfrs)
            .unwrap()
    };
    assert_eq!(status(&v).entries, [id]);
    assert!(!status(&v).exported);
    v.mark_exported(id).unwrap();
    assert!(status(&v).exported);
    assert!(v.entry(id).unwrap().exported_current_key());
    // Re-enrolment: a new key. The stamps are in seconds, so step past this one.
    std::thread::sleep(Duration::from_millis(1100));
    v.replace_key(id, &key(42)).unwrap();
    assert!(!status(&v).exported);
    let info = v.entry(id).unwrap();
    assert!(info.key_changed_at > info.created_at);
    assert!(!info.exported_current_key());
    let (_, k) = v.key(id).unwrap();
    assert_eq!(k, key(42));
    let all = v.status().unwrap();
    assert_eq!(all.len(), 22);
    assert!(
        all.iter()
            .filter(|s| s.system != jfrs)
            .all(|s| s.entries.is_empty())
    );
}

#[test]
fn hotp_counters_advance_atomically() {
    let dir = Dir::new();
    let mut v = new_vault(&dir);
    let hotp = OtpKey {
        secret: Secret::from_bytes(b"12345678901234567890".to_vec()).unwrap(),
        params: OtpParams {
            kind: OtpKind::Hotp {
                counter: Counter::new(0).unwrap(),
            },
            algorithm: crate::otp::Algorithm::Sha1,
            digits: Digits::SIX,
        },
    };
    let id = added(
        v.add(NewEntry {
            key: hotp,
            issuer: None,
            login: None,
            label: None,
            systems: vec![],
        })
        .unwrap(),
    );
    assert_eq!(
        v.codes(at(0), None).unwrap()[0]
            .codes
            .as_ref()
            .unwrap()
            .1
            .code
            .as_str(),
        "755224"
    );
    assert_eq!(v.next_hotp(id).unwrap().code.as_str(), "287082");
    assert_eq!(v.next_hotp(id).unwrap().code.as_str(), "359152");
    drop(v);
    let mut v = Vault::open(&dir.vault()).unwrap();
    v.unlock_with_passphrase(&pass(PASS)).unwrap();
    assert_eq!(
        v.codes(at(0), None).unwrap()[0]
            .codes
            .as_ref()
            .unwrap()
            .1
            .code
            .as_str(),
        "359152"
    );
    let totp = added(v.add(entry(9, &[])).unwrap());
    assert!(matches!(v.next_hotp(totp), Err(Error::NotHotp)));
}

fn blobs(v: &Vault) -> Vec<(i64, &'static str, Vec<u8>)> {
    let mut out = Vec::new();
    for column in ["key_blob", "details_blob"] {
        let mut stmt = v
            .conn
            .prepare(&format!(
                "SELECT id, {column} FROM entries WHERE {column} IS NOT NULL ORDER BY id"
            ))
            .unwrap();
        let rows: Vec<(i64, Vec<u8>)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        out.extend(rows.into_iter().map(|(id, b)| (id, column, b)));
    }
    out
}

fn put(v: &Vault, id: i64, column: &str, blob: &[u8]) {
    v.conn
        .execute(
            &format!("UPDATE entries SET {column} = ?1 WHERE id = ?2"),
            params![blob, id],
        )
        .unwrap();
}

#[test]
fn every_bit_flip_in_every_blob_damages_only_its_entry() {
    let dir = Dir::new();
    let mut v = new_vault(&dir);
    let victim = added(v.add(entry(1, &["tjrs-1g"])).unwrap());
    let other = added(v.add(entry(2, &["tjrs-2g"])).unwrap());
    let originals: Vec<_> = blobs(&v)
        .into_iter()
        .filter(|(id, ..)| *id == victim.get())
        .collect();
    assert_eq!(originals.len(), 2);
    let mut flips = 0;
    for (id, column, blob) in &originals {
        for bit in 0..blob.len() * 8 {
            let mut bad = blob.clone();
            bad[bit / 8] ^= 1 << (bit % 8);
            put(&v, *id, column, &bad);
            let codes = v.codes(at(0), None).unwrap();
            assert!(
                matches!(codes[0].codes, Err(Error::EntryDamaged)),
                "{column} bit {bit} accepted"
            );
            assert!(codes[1].codes.is_ok(), "the other entry still works");
            assert!(matches!(
                v.entry(victim).unwrap().details,
                Err(Error::EntryDamaged)
            ));
            flips += 1;
        }
        put(&v, *id, column, blob);
        assert!(v.entry(victim).unwrap().details.is_ok());
    }
    assert!(flips > 1000, "{flips}");
    assert_eq!(
        v.verify().unwrap(),
        Verified {
            entries: 2,
            damaged: vec![]
        }
    );
    put(&v, victim.get(), "details_blob", b"not a blob");
    assert_eq!(v.verify().unwrap().damaged, [victim]);
    assert!(v.entry(other).unwrap().details.is_ok());
}

#[test]
fn blobs_moved_to_another_row_or_column_are_rejected() {
    let dir = Dir::new();
    let mut v = new_vault(&dir);
    let a = added(v.add(entry(1, &[])).unwrap());
    let b = added(v.add(entry(2, &[])).unwrap());
    let all = blobs(&v);
    let get = |id: EntryId, column: &str| {
        all.iter()
            .find(|(i, c, _)| *i == id.get() && *c == column)
            .unwrap()
            .2
            .clone()
    };
    // Another row, same column: a's key in b's place.
    put(&v, b.get(), "key_blob", &get(a, "key_blob"));
    assert!(matches!(
        v.entry(b).unwrap().details,
        Err(Error::EntryDamaged)
    ));
    assert!(v.entry(a).unwrap().details.is_ok());
    put(&v, b.get(), "key_blob", &get(b, "key_blob"));
    // Same row, another column: the key blob as the details.
    put(&v, b.get(), "details_blob", &get(b, "key_blob"));
    assert!(matches!(
        v.entry(b).unwrap().details,
        Err(Error::EntryDamaged)
    ));
    put(&v, b.get(), "details_blob", &get(b, "details_blob"));
    // Swapped uuids: a blob follows the entry's immutable UUID, not its rowid.
    v.conn
        .execute(
            "UPDATE entries SET uuid = randomblob(16) WHERE id = ?1",
            [a.get()],
        )
        .unwrap();
    assert!(matches!(
        v.entry(a).unwrap().details,
        Err(Error::EntryDamaged)
    ));
    assert!(v.entry(b).unwrap().details.is_ok());
}

#[test]
fn nothing_secret_or_personal_in_the_file_or_its_wal() {
    let dir = Dir::new();
    let mut v = new_vault(&dir);
    let secret = b"SUPERSECRETKEYBYTES!".to_vec();
    let base32 = Secret::from_bytes(secret.clone()).unwrap().to_base32();
    v.add(NewEntry {
        key: OtpKey {
            secret: Secret::from_bytes(secret.clone()).unwrap(),
            params: OtpParams::default_totp(),
        },
        issuer: Some("IssuerNameXYZ".into()),
        login: Some("123.456.789-00".into()),
        label: Some("Dra. Fulana de Tal".into()),
        systems: vec![SystemId::parse("trf4").unwrap()],
    })
    .unwrap();
    // Read the files while the connection is open, so that the WAL is still there.
    let mut bytes = std::fs::read(dir.vault()).unwrap();
    let wal = dir.0.join("vault.db-wal");
    assert!(wal.exists(), "the write went through the WAL");
    bytes.extend(std::fs::read(&wal).unwrap());
    drop(v);
    bytes.extend(std::fs::read(dir.vault()).unwrap());
    let needles: [&[u8]; 6] = [
        &secret,
        base32.as_bytes(),
        b"IssuerNameXYZ",
        b"123.456.789-00",
        b"Dra. Fulana",
        PASS.as_bytes(),
    ];
    for needle in needles {
        assert!(
            !bytes.windows(needle.len()).any(|w| w == needle),
            "{:?} found in the vault files",
            String::from_utf8_lossy(needle)
        );
    }
}

#[test]
fn debug_output_hides_personal_data() {
    let dir = Dir::new();
    let mut v = new_vault(&dir);
    let id = added(v.add(entry(1, &["trf4"])).unwrap());
    let info = v.entry(id).unwrap();
    let shown = format!("{info:?} {v:?}");
    assert!(!shown.contains("login-1"), "{shown}");
    assert!(
        !shown.contains("eproc TRF4\"") || !shown.contains("label: \"eproc"),
        "{shown}"
    );
}

#[test]
fn transfer_parts_add_up_across_imports() {
    let dir = Dir::new();
    let mut v = new_vault(&dir);
    let part = |missing: Vec<u32>| TransferProgress {
        batch_id: 77,
        batch_size: 3,
        missing,
    };
    assert_eq!(
        v.note_transfer(&part(vec![1, 2]), Commit::No)
            .unwrap()
            .missing,
        [1, 2]
    );
    assert_eq!(
        v.note_transfer(&part(vec![0, 2]), Commit::No)
            .unwrap()
            .missing,
        [0, 2],
        "a dry run records nothing"
    );
    assert_eq!(
        v.note_transfer(&part(vec![1, 2]), Commit::Yes)
            .unwrap()
            .missing,
        [1, 2]
    );
    assert_eq!(
        v.note_transfer(&part(vec![0, 1]), Commit::Yes)
            .unwrap()
            .missing,
        [1]
    );
    drop(v);
    let mut v = Vault::open(&dir.vault()).unwrap();
    v.unlock_with_passphrase(&pass(PASS)).unwrap();
    assert!(
        v.note_transfer(&part(vec![0, 2]), Commit::Yes)
            .unwrap()
            .missing
            .is_empty()
    );
    let other = TransferProgress {
        batch_id: 77,
        batch_size: 2,
        missing: vec![1],
    };
    assert_eq!(
        v.note_transfer(&other, Commit::Yes).unwrap().missing,
        [1],
        "another export"
    );
}
