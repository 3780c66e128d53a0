//! Processes against one vault: a writer killed at random points never loses a
//! committed entry nor breaks the file; two writers at once lose nothing.

mod common;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{PASSPHRASE, TempDir, init_vault};
use eproc_a2f_core::otp::{OtpKey, OtpParams};
use eproc_a2f_core::secret::Secret;
use eproc_a2f_core::vault::{Added, NewEntry, Passphrase, Shelf, Vault};
use zeroize::Zeroizing;

const WRITER_VAULT: &str = "A2F_TEST_WRITER_VAULT";
const WRITER_TAG: &str = "A2F_TEST_WRITER_TAG";
const WRITER_COUNT: &str = "A2F_TEST_WRITER_COUNT";

fn unlock(path: &Path) -> Vault {
    let mut vault = Vault::open(path).unwrap();
    vault
        .unlock_with_passphrase(&Passphrase::new(Zeroizing::new(PASSPHRASE.into())).unwrap())
        .unwrap();
    vault
}

/// The writer, run in a child process by the tests below: adds entries (and renames
/// them, which rewrites blobs) and prints each id once its transaction committed.
#[test]
#[ignore = "the writer process of the tests below; they run it"]
fn writer_process() {
    let path = std::env::var(WRITER_VAULT).expect("run by the crash and concurrency tests");
    let tag: u64 = std::env::var(WRITER_TAG).unwrap().parse().unwrap();
    let count: u64 = std::env::var(WRITER_COUNT).unwrap().parse().unwrap();
    let mut vault = unlock(Path::new(&path));
    println!("unlocked");
    for i in 0..count {
        let mut secret = [0u8; 20];
        secret[..8].copy_from_slice(&tag.to_be_bytes());
        secret[8..16].copy_from_slice(&i.to_be_bytes());
        let outcome = vault
            .add(NewEntry {
                key: OtpKey {
                    secret: Secret::from_bytes(secret.to_vec()).unwrap(),
                    params: OtpParams::default_totp(),
                },
                issuer: Some(format!("writer {tag}")),
                login: Some(format!("login {i}")),
                label: None,
                systems: vec![],
            })
            .unwrap();
        let Added::New(id) = outcome else {
            panic!("duplicate {outcome:?}")
        };
        println!("{}", id.get());
        vault.rename(id, &format!("entry {tag}-{i}")).unwrap();
    }
}

fn writer(vault: &Path, tag: u64, count: u64) -> Command {
    let mut cmd = Command::new(std::env::current_exe().unwrap());
    cmd.args([
        "--exact",
        "writer_process",
        "--include-ignored",
        "--nocapture",
        "--test-threads",
        "1",
    ])
    .env(WRITER_VAULT, vault)
    .env(WRITER_TAG, tag.to_string())
    .env(WRITER_COUNT, count.to_string())
    .stdout(Stdio::piped())
    .stderr(Stdio::null());
    cmd
}

/// Ids the writer printed: committed entries.
fn committed(output: &[u8]) -> Vec<i64> {
    output
        .lines()
        .map_while(Result::ok)
        .filter_map(|l| l.trim().parse().ok())
        .collect()
}

/// A writer that does not outlive a failed test.
struct KillOnDrop(std::process::Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A small deterministic generator: the kill points vary without a dependency.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

#[test]
fn killed_writers_never_lose_committed_entries() {
    let dir = TempDir::new("crash");
    let vault = dir.path("vault.db");
    init_vault(&vault);
    let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
    let mut all_committed = Vec::new();
    let mut kills_after_a_commit = 0;
    for round in 0..200u64 {
        let mut child = KillOnDrop(writer(&vault, round, 1_000_000).spawn().unwrap());
        let mut stdout = BufReader::new(child.0.stdout.take().unwrap());
        // Wait until it is unlocked, then let it write for a random while.
        // The test harness prints its own words first, on the same line.
        let mut line = String::new();
        while !line.trim_end().ends_with("unlocked") {
            line.clear();
            assert!(
                stdout.read_line(&mut line).unwrap() > 0,
                "round {round}: the writer died"
            );
        }
        let pause = Duration::from_micros(rng.next() % 20_000);
        let start = Instant::now();
        while start.elapsed() < pause {
            std::hint::spin_loop();
        }
        child.0.kill().unwrap();
        child.0.wait().unwrap();
        let mut rest = Vec::new();
        std::io::Read::read_to_end(&mut stdout, &mut rest).unwrap();
        let ids = committed(&rest);
        if !ids.is_empty() {
            kills_after_a_commit += 1;
        }
        all_committed.extend(ids);

        let v = unlock(&vault);
        let verified = v.verify().unwrap();
        assert!(verified.damaged.is_empty(), "round {round}: {verified:?}");
        let live: Vec<i64> = v
            .list(Shelf::Live)
            .unwrap()
            .iter()
            .map(|e| e.id.get())
            .collect();
        for id in &all_committed {
            assert!(
                live.contains(id),
                "round {round}: committed entry {id} lost"
            );
        }
    }
    assert!(
        kills_after_a_commit > 50,
        "the kills mostly hit before any write"
    );
}

#[test]
fn two_writers_at_once_lose_nothing() {
    let dir = TempDir::new("concurrent");
    let vault = dir.path("vault.db");
    init_vault(&vault);
    let children: Vec<_> = (0..2u64)
        .map(|tag| writer(&vault, 1000 + tag, 60).spawn().unwrap())
        .collect();
    let mut ids = Vec::new();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success());
        let mine = committed(&out.stdout);
        assert_eq!(mine.len(), 60);
        ids.extend(mine);
    }
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 120, "every add got its own id");
    let v = unlock(&vault);
    let entries = v.list(Shelf::Live).unwrap();
    assert_eq!(entries.len(), 120);
    for e in &entries {
        let label = &e.details.as_ref().unwrap().label;
        assert!(label.starts_with("entry 100"), "{label}");
    }
}
