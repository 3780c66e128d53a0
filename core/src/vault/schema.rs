//! The vault's SQLite schema and its migrations. A fresh vault gets `CURRENT` in one go;
//! an older one is upgraded step by step, in one transaction, to the same schema (the
//! tests check that both roads end at the same place). A newer vault is refused.

use rusqlite::{Connection, TransactionBehavior};

use super::storage_error;
use crate::error::{Error, Result};

/// Written in the SQLite header at offset 68: "A2FE". Tells our file from any other
/// SQLite database.
pub const APPLICATION_ID: i32 = 0x4132_4645;

pub const CURRENT_VERSION: i32 = 3;

/// The schema of a fresh vault. Columns added by a migration go last, as `ALTER TABLE`
/// puts them, so both roads give the same tables.
const CURRENT: &str = "
CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value BLOB NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE key_slots (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    uuid BLOB NOT NULL UNIQUE CHECK (length(uuid) = 16),
    kind TEXT NOT NULL CHECK (kind IN ('passphrase', 'platform')),
    params BLOB NOT NULL,
    wrapped_key BLOB NOT NULL,
    created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE entries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    uuid BLOB NOT NULL UNIQUE CHECK (length(uuid) = 16),
    fingerprint BLOB NOT NULL UNIQUE CHECK (length(fingerprint) = 32),
    key_blob BLOB NOT NULL,
    details_blob BLOB NOT NULL,
    created_at INTEGER NOT NULL,
    key_changed_at INTEGER NOT NULL,
    exported_at INTEGER,
    deleted_at INTEGER
) STRICT;

CREATE TABLE entry_systems (
    entry_id INTEGER NOT NULL REFERENCES entries(id) ON DELETE CASCADE,
    system TEXT NOT NULL,
    PRIMARY KEY (entry_id, system)
) STRICT, WITHOUT ROWID;

CREATE INDEX entry_systems_by_system ON entry_systems(system);
CREATE INDEX entries_by_deleted_at ON entries(deleted_at);

CREATE TABLE transfer_parts (
    batch_id INTEGER NOT NULL,
    batch_size INTEGER NOT NULL,
    part INTEGER NOT NULL,
    seen_at INTEGER NOT NULL,
    PRIMARY KEY (batch_id, batch_size, part)
) STRICT, WITHOUT ROWID;
";

/// Version 1, as it shipped: the base the migrations start from.
#[cfg(test)]
const V1: &str = "
CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value BLOB NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE key_slots (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    uuid BLOB NOT NULL UNIQUE CHECK (length(uuid) = 16),
    kind TEXT NOT NULL CHECK (kind IN ('passphrase', 'platform')),
    params BLOB NOT NULL,
    wrapped_key BLOB NOT NULL,
    created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE entries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    uuid BLOB NOT NULL UNIQUE CHECK (length(uuid) = 16),
    fingerprint BLOB NOT NULL UNIQUE CHECK (length(fingerprint) = 32),
    key_blob BLOB NOT NULL,
    details_blob BLOB NOT NULL,
    created_at INTEGER NOT NULL,
    key_changed_at INTEGER NOT NULL,
    exported_at INTEGER
) STRICT;

CREATE TABLE entry_systems (
    entry_id INTEGER NOT NULL REFERENCES entries(id) ON DELETE CASCADE,
    system TEXT NOT NULL,
    PRIMARY KEY (entry_id, system)
) STRICT, WITHOUT ROWID;

CREATE INDEX entry_systems_by_system ON entry_systems(system);
";

/// `MIGRATIONS[i]` takes a vault from version `i + 1` to `i + 2`.
const MIGRATIONS: [&str; (CURRENT_VERSION - 1) as usize] = [
    // 2: the trash. Deleting keeps the entry, with the time it was deleted.
    "ALTER TABLE entries ADD COLUMN deleted_at INTEGER;
     CREATE INDEX entries_by_deleted_at ON entries(deleted_at);",
    // 3: the parts of Google Authenticator transfers already imported, so that an
    // export read one QR code at a time, over several imports, says what is missing.
    "CREATE TABLE transfer_parts (
         batch_id INTEGER NOT NULL,
         batch_size INTEGER NOT NULL,
         part INTEGER NOT NULL,
         seen_at INTEGER NOT NULL,
         PRIMARY KEY (batch_id, batch_size, part)
     ) STRICT, WITHOUT ROWID;",
];

/// Lays out a fresh vault. The caller holds a transaction.
pub fn create(conn: &Connection) -> Result<()> {
    conn.execute_batch(CURRENT).map_err(storage_error)?;
    conn.pragma_update(None, "application_id", APPLICATION_ID)
        .map_err(storage_error)?;
    conn.pragma_update(None, "user_version", CURRENT_VERSION)
        .map_err(storage_error)?;
    Ok(())
}

/// Reads the version of an opened file, writing nothing: not ours, empty, or newer than
/// this code are errors.
pub fn version(conn: &Connection) -> Result<i32> {
    let app: i32 = conn
        .pragma_query_value(None, "application_id", |r| r.get(0))
        .map_err(storage_error)?;
    if app != APPLICATION_ID {
        return Err(Error::NotAVault);
    }
    let version: i32 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .map_err(storage_error)?;
    match version {
        v if v > CURRENT_VERSION => Err(Error::VaultTooNew),
        v if v < 1 => Err(Error::VaultDamaged),
        v => Ok(v),
    }
}

/// Upgrades to `CURRENT_VERSION`, all steps in one transaction: a crash leaves the old
/// version intact. Another process may have upgraded meanwhile: the version is read
/// again under the write lock.
pub fn upgrade(conn: &mut Connection) -> Result<()> {
    if version(conn)? == CURRENT_VERSION {
        return Ok(());
    }
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(storage_error)?;
    let from = version(&tx)?;
    for step in &MIGRATIONS[(from - 1) as usize..] {
        tx.execute_batch(step).map_err(storage_error)?;
    }
    tx.pragma_update(None, "user_version", CURRENT_VERSION)
        .map_err(storage_error)?;
    tx.commit().map_err(storage_error)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Everything that makes a schema: tables, columns with their types and
    /// constraints, indexes, foreign keys.
    fn shape(conn: &Connection) -> Vec<String> {
        let mut out = Vec::new();
        let mut objects: Vec<(String, String, String)> = conn
            .prepare("SELECT type, name, tbl_name FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        objects.sort();
        for (kind, name, table) in objects {
            out.push(format!("{kind} {name} on {table}"));
            if kind == "table" {
                let cols = conn
                    .prepare(&format!("SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_xinfo('{name}')"))
                    .unwrap()
                    .query_map([], |r| {
                        Ok(format!(
                            "  col {} {} nn={} dflt={:?} pk={}",
                            r.get::<_, String>(0)?,
                            r.get::<_, String>(1)?,
                            r.get::<_, i64>(2)?,
                            r.get::<_, Option<String>>(3)?,
                            r.get::<_, i64>(4)?
                        ))
                    })
                    .unwrap()
                    .map(Result::unwrap)
                    .collect::<Vec<_>>();
                out.extend(cols);
                let fks = conn
                    .prepare(&format!("SELECT \"table\", \"from\", \"to\", on_delete FROM pragma_foreign_key_list('{name}')"))
                    .unwrap()
                    .query_map([], |r| {
                        Ok(format!(
                            "  fk {} {} {} {}",
                            r.get::<_, String>(0)?,
                            r.get::<_, String>(1)?,
                            r.get::<_, String>(2)?,
                            r.get::<_, String>(3)?
                        ))
                    })
                    .unwrap()
                    .map(Result::unwrap)
                    .collect::<Vec<_>>();
                out.extend(fks);
                let strict: i64 = conn
                    .query_row(
                        &format!("SELECT strict FROM pragma_table_list('{name}')"),
                        [],
                        |r| r.get(0),
                    )
                    .unwrap();
                out.push(format!("  strict={strict}"));
            } else {
                let cols = conn
                    .prepare(&format!("SELECT name FROM pragma_index_info('{name}')"))
                    .unwrap()
                    .query_map([], |r| r.get::<_, String>(0))
                    .unwrap()
                    .map(Result::unwrap)
                    .collect::<Vec<_>>();
                out.push(format!("  on {}", cols.join(",")));
            }
        }
        out
    }

    fn fresh() -> Connection {
        let mut conn = Connection::open_in_memory().unwrap();
        let tx = conn.transaction().unwrap();
        create(&tx).unwrap();
        tx.commit().unwrap();
        conn
    }

    #[test]
    fn every_old_version_upgrades_to_the_fresh_schema() {
        let want = shape(&fresh());
        assert!(want.iter().any(|l| l.contains("deleted_at")));
        // Version 1 from its own DDL, then each later version reached by migration.
        for start in 1..=CURRENT_VERSION {
            let mut conn = Connection::open_in_memory().unwrap();
            conn.execute_batch(V1).unwrap();
            for step in &MIGRATIONS[..(start - 1) as usize] {
                conn.execute_batch(step).unwrap();
            }
            conn.pragma_update(None, "application_id", APPLICATION_ID)
                .unwrap();
            conn.pragma_update(None, "user_version", start).unwrap();
            upgrade(&mut conn).unwrap();
            assert_eq!(version(&conn).unwrap(), CURRENT_VERSION);
            assert_eq!(shape(&conn), want, "upgraded from version {start}");
        }
    }

    #[test]
    fn data_survives_the_upgrade() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(V1).unwrap();
        conn.pragma_update(None, "application_id", APPLICATION_ID)
            .unwrap();
        conn.pragma_update(None, "user_version", 1).unwrap();
        conn.execute(
            "INSERT INTO entries (uuid, fingerprint, key_blob, details_blob, created_at, key_changed_at)
             VALUES (?1, ?2, x'01', x'02', 10, 10)",
            (vec![1u8; 16], vec![2u8; 32]),
        )
        .unwrap();
        conn.execute("INSERT INTO entry_systems VALUES (1, 'trf4')", [])
            .unwrap();
        upgrade(&mut conn).unwrap();
        let (details, deleted): (Vec<u8>, Option<i64>) = conn
            .query_row("SELECT details_blob, deleted_at FROM entries", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap();
        assert_eq!((details, deleted), (vec![2], None));
        let system: String = conn
            .query_row("SELECT system FROM entry_systems", [], |r| r.get(0))
            .unwrap();
        assert_eq!(system, "trf4");
    }

    #[test]
    fn refuses_foreign_empty_and_newer_files() {
        let conn = Connection::open_in_memory().unwrap();
        assert!(matches!(version(&conn), Err(Error::NotAVault)));
        let conn = fresh();
        conn.pragma_update(None, "user_version", CURRENT_VERSION + 1)
            .unwrap();
        assert!(matches!(version(&conn), Err(Error::VaultTooNew)));
        conn.pragma_update(None, "user_version", 0).unwrap();
        assert!(matches!(version(&conn), Err(Error::VaultDamaged)));
    }

    #[test]
    fn a_failed_step_leaves_the_old_version() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(V1).unwrap();
        // The column the migration adds is already there: the step fails midway.
        conn.execute_batch("ALTER TABLE entries ADD COLUMN deleted_at INTEGER;")
            .unwrap();
        conn.pragma_update(None, "application_id", APPLICATION_ID)
            .unwrap();
        conn.pragma_update(None, "user_version", 1).unwrap();
        assert!(upgrade(&mut conn).is_err());
        assert_eq!(version(&conn).unwrap(), 1);
    }
}
