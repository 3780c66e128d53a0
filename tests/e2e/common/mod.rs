//! Helpers shared by the end-to-end tests: run the real `eproc-a2f` binary.

#![allow(dead_code)] // each test file uses its own subset

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

pub const RFC_KEY: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

pub struct Run {
    pub status: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {}", self.stdout))
    }

    pub fn error_json(&self) -> Value {
        serde_json::from_str(self.stderr.trim())
            .unwrap_or_else(|e| panic!("stderr is not JSON ({e}): {}", self.stderr))
    }
}

pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_eproc-a2f"))
}

/// A command with a clean environment: English, no vault or passphrase from the
/// developer's shell.
pub fn command(args: &[&str]) -> Command {
    let mut cmd = Command::new(bin());
    cmd.args(args)
        .env_remove("EPROC_A2F_VAULT")
        .env_remove("EPROC_A2F_PASSPHRASE")
        .env_remove("EPROC_A2F_BACKUP_PASSPHRASE")
        .env("LANG", "en_US.UTF-8")
        .stdin(Stdio::null());
    cmd
}

pub fn finish(output: Output) -> Run {
    let run = Run {
        status: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    };
    assert!(
        !run.stderr.contains("panicked"),
        "the CLI panicked: {}",
        run.stderr
    );
    assert_ne!(run.status, 101, "the CLI panicked: {}", run.stderr);
    run
}

pub fn run(args: &[&str]) -> Run {
    finish(command(args).output().expect("run eproc-a2f"))
}

pub fn run_env(args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut cmd = command(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    finish(cmd.output().expect("run eproc-a2f"))
}

/// The repository's tests/fixtures folder.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures")
        .join(name)
}

/// A fresh folder for one test's vault, removed afterwards.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(name: &str) -> Self {
        let unique = format!(
            "a2f-e2e-{name}-{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos()
        );
        let dir = std::env::temp_dir().join(unique);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub const PASSPHRASE: &str = "e2e passphrase";

/// Runs a command against `vault`, unlocked by the passphrase in the environment.
pub fn in_vault(vault: &Path, args: &[&str]) -> Run {
    run_env(
        args,
        &[
            ("EPROC_A2F_VAULT", vault.to_str().unwrap()),
            ("EPROC_A2F_PASSPHRASE", PASSPHRASE),
        ],
    )
}

/// A new vault with the cheapest Argon2id the vault accepts, to keep tests quick.
pub fn init_vault(vault: &Path) {
    let r = in_vault(
        vault,
        &["init", "--kdf-memory-mib", "19", "--kdf-iterations", "2"],
    );
    assert_eq!(r.status, 0, "init: {}", r.stderr);
}
