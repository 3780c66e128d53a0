//! Keys stay where they belong: not in the memory of a process that has locked the
//! vault or written an export, and not in any output that is not an export.

mod common;

use std::path::Path;
use std::process::Command;

use common::{PASSPHRASE, TempDir, in_vault, init_vault, run};

/// A key no other test uses, so that finding it can only mean a leak from this one.
const KEY_B32: &str = "NB2HI4DTHIXS65DFON2C25TBOVWHILLLMV4S2ZLQOJXWGLLBGJTA";

fn key_bytes() -> Vec<u8> {
    // RFC 4648 base32, no padding: decoded here independently of the code under test.
    let mut bits = 0u32;
    let mut acc = 0u32;
    let mut out = Vec::new();
    for c in KEY_B32.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'2'..=b'7' => c - b'2' + 26,
            _ => unreachable!(),
        };
        acc = (acc << 5) | u32::from(v);
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    out
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// The needles: the key's bytes, its base32 text in both cases, its grouped form.
fn needles() -> Vec<(String, Vec<u8>)> {
    let grouped: String = KEY_B32
        .as_bytes()
        .chunks(4)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect::<Vec<_>>()
        .join(" ");
    vec![
        ("key bytes".into(), key_bytes()),
        ("base32".into(), KEY_B32.as_bytes().to_vec()),
        ("base32 lower".into(), KEY_B32.to_lowercase().into_bytes()),
        ("grouped".into(), grouped.into_bytes()),
    ]
}

/// A vault holding the key, added from a file so that it is never on a command line
/// (whose memory the process keeps to the end).
fn vault_with_key(dir: &TempDir) -> std::path::PathBuf {
    let vault = dir.path("vault.db");
    init_vault(&vault);
    let input = dir.path("key.txt");
    std::fs::write(
        &input,
        format!("otpauth://totp/eproc%20TRF4:adv?secret={KEY_B32}&issuer=eproc%20TRF4\n"),
    )
    .unwrap();
    let r = in_vault(&vault, &["add", input.to_str().unwrap()]);
    assert_eq!(r.status, 0, "{}", r.stderr);
    std::fs::remove_file(&input).unwrap();
    vault
}

/// Runs the CLI under gdb, stops it in `exit` (its work done, the vault dropped and so
/// locked, its output written), and returns a core image of it and what it printed.
fn core_image_at_exit(dir: &TempDir, vault: &Path, args: &[&str]) -> (Vec<u8>, String) {
    let core = dir.path("core");
    let _ = std::fs::remove_file(&core);
    let out = Command::new("gdb")
        .args([
            "-nx",
            "-batch",
            "-ex",
            "set pagination off",
            "-ex",
            "set confirm off",
        ])
        .args([
            "-ex",
            "set breakpoint pending on",
            "-ex",
            "break exit",
            "-ex",
            "run",
        ])
        .args([
            "-ex",
            &format!("gcore {}", core.display()),
            "-ex",
            "kill",
            "--args",
        ])
        .arg(common::bin())
        .args(args)
        .env("EPROC_A2F_VAULT", vault)
        .env("EPROC_A2F_PASSPHRASE", PASSPHRASE)
        .env("LANG", "C")
        .output()
        .expect("gdb must be installed (apt-get install gdb): .ci/run installs it");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let image = std::fs::read(&core).unwrap_or_else(|_| {
        panic!(
            "gdb wrote no core image: {}\n{}",
            stdout,
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (image, stdout)
}

#[test]
fn no_key_in_memory_after_lock_or_after_export() {
    let dir = TempDir::new("memory");
    let vault = vault_with_key(&dir);
    for args in [
        &["codes", "--json"][..],
        &["export-key", "1"],
        &["export-key", "1", "--json"],
    ] {
        let (image, printed) = core_image_at_exit(&dir, &vault, args);
        assert!(
            image.len() > 1 << 20,
            "{args:?}: a core image is larger than that"
        );
        if args[0] == "export-key" {
            assert!(
                printed.contains(KEY_B32),
                "{args:?} printed the key: {printed}"
            );
        }
        for (what, needle) in needles() {
            assert!(
                !contains(&image, &needle),
                "{args:?}: the {what} is still in the process's memory"
            );
        }
    }
}

#[test]
fn no_key_in_output_that_is_not_an_export() {
    let dir = TempDir::new("output");
    let vault = vault_with_key(&dir);
    let backup = dir.path("b.a2fbackup");
    let restored = dir.path("restored.db");
    let list_file = dir.path("list.txt");
    std::fs::write(
        &list_file,
        format!("otpauth://totp/x?secret={KEY_B32}\notpauth://totp/y?secret={KEY_B32}&digits=12\n"),
    )
    .unwrap();
    let lf = list_file.to_str().unwrap();
    let runs = vec![
        in_vault(&vault, &["list"]),
        in_vault(&vault, &["list", "--json"]),
        in_vault(&vault, &["codes"]),
        in_vault(&vault, &["codes", "--json"]),
        in_vault(&vault, &["status", "--json"]),
        in_vault(&vault, &["check", "--json"]),
        in_vault(&vault, &["import", "--json", lf]),
        in_vault(&vault, &["import", lf]),
        in_vault(&vault, &["add", lf]),
        in_vault(&vault, &["rename", "1", "x"]),
        run(&["decode", "--json", lf]),
        run(&["decode", lf]),
        run(&[
            "--json",
            "decode",
            &format!("otpauth://totp/x?secret={KEY_B32}&algorithm=MD5"),
        ]),
        common::run_env(
            &[
                "backup",
                "--json",
                "--out",
                backup.to_str().unwrap(),
                "--kdf-memory-mib",
                "19",
                "--kdf-iterations",
                "2",
            ],
            &[
                ("EPROC_A2F_VAULT", vault.to_str().unwrap()),
                ("EPROC_A2F_PASSPHRASE", PASSPHRASE),
                ("EPROC_A2F_BACKUP_PASSPHRASE", "b"),
            ],
        ),
        common::run_env(
            &["restore", "--json", backup.to_str().unwrap()],
            &[
                ("EPROC_A2F_VAULT", restored.to_str().unwrap()),
                ("EPROC_A2F_PASSPHRASE", PASSPHRASE),
                ("EPROC_A2F_BACKUP_PASSPHRASE", "b"),
            ],
        ),
    ];
    for (i, r) in runs.iter().enumerate() {
        for (what, needle) in needles() {
            for (stream, text) in [("stdout", &r.stdout), ("stderr", &r.stderr)] {
                assert!(
                    !contains(text.as_bytes(), &needle),
                    "run {i}: the {what} is in {stream}: {text}"
                );
            }
        }
    }
    let backup_bytes = std::fs::read(&backup).unwrap();
    for (what, needle) in needles() {
        assert!(
            !contains(&backup_bytes, &needle),
            "the {what} is in the backup file"
        );
    }
}
