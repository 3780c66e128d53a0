//! Keys in and out through the real binary: QR images, Google transfers, other apps'
//! formats, the console key, encrypted backups, and every bad input class.

mod common;

use common::{TempDir, fixture, in_vault, init_vault, run, run_env};
use serde_json::Value;

const EPROC_URI: &str = "otpauth://totp/eproc%20TRF4:12345678900?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=eproc%20TRF4";

fn codes(vault: &std::path::Path, at: &str) -> Vec<Value> {
    let r = in_vault(vault, &["codes", "--json", "--at", at]);
    assert_eq!(r.status, 0, "{}", r.stderr);
    r.json()["entries"].as_array().unwrap().clone()
}

/// (label, login, code, next) of every entry: what a user sees.
fn seen(vault: &std::path::Path) -> Vec<(Value, Value, Value, Value)> {
    codes(vault, "1750000000")
        .into_iter()
        .map(|e| {
            (
                e["label"].clone(),
                e["login"].clone(),
                e["code"].clone(),
                e["next"].clone(),
            )
        })
        .collect()
}

fn ids(v: &Value) -> usize {
    v.as_array().unwrap().len()
}

#[test]
fn qr_images_of_eproc_and_google_import_with_the_right_codes() {
    for (file, count) in [
        ("eproc-qr.png", 1),
        ("eproc-screenshot.png", 1),
        ("eproc-screenshot-dark.png", 1),
        ("eproc-photo.jpg", 1),
        ("google-transfer.png", 3),
    ] {
        let dir = TempDir::new("qrimport");
        let vault = dir.path("vault.db");
        init_vault(&vault);
        let path = fixture(file);
        let r = in_vault(&vault, &["import", "--json", path.to_str().unwrap()]);
        assert_eq!(r.status, 0, "{file}: {}", r.stderr);
        assert_eq!(ids(&r.json()["added"]), count, "{file}");
        // The same keys, decoded from their text, give the same codes.
        let text = std::fs::read_to_string(fixture(if file.starts_with("google") {
            "google-transfer.txt"
        } else {
            "eproc-uri.txt"
        }))
        .unwrap();
        let d = run(&["decode", "--json", "--at", "59", text.trim()]);
        let want: Vec<Value> = d.json()["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["code"].clone())
            .collect();
        let got: Vec<Value> = codes(&vault, "59")
            .iter()
            .map(|e| e["code"].clone())
            .collect();
        assert_eq!(got, want, "{file}");
        if file.starts_with("eproc") {
            assert_eq!(got, ["287082"]);
            let e = &codes(&vault, "59")[0];
            assert_eq!(
                e["systems"],
                serde_json::json!(["trf4", "jfpr", "jfsc", "jfrs"])
            );
            assert_eq!(e["login"], "12345678900");
        }
    }
}

#[test]
fn qr_command_lists_texts_per_file_in_order() {
    let files = ["eproc-qr.png", "no-qr.png", "google-transfer.png"];
    let paths: Vec<String> = files
        .iter()
        .map(|f| fixture(f).to_str().unwrap().to_owned())
        .collect();
    let mut args = vec!["qr", "--json"];
    args.extend(paths.iter().map(String::as_str));
    let r = run(&args);
    assert_eq!(r.status, 3, "one file has no QR");
    let doc = r.json();
    let list = doc.as_array().unwrap();
    assert_eq!(list.len(), 3);
    assert_eq!(list[0]["file"], paths[0].as_str());
    assert_eq!(list[0]["texts"], serde_json::json!([EPROC_URI]));
    assert_eq!(list[1]["texts"], serde_json::json!([]));
    assert_eq!(list[1]["error"]["code"], "no_qr_code");
    assert!(
        list[2]["texts"][0]
            .as_str()
            .unwrap()
            .starts_with("otpauth-migration://offline?data=")
    );
}

#[test]
fn decode_reads_images_and_transfers() {
    let r = run(&[
        "decode",
        "--json",
        "--at",
        "59",
        fixture("eproc-screenshot.png").to_str().unwrap(),
    ]);
    assert_eq!(r.status, 0, "{}", r.stderr);
    assert_eq!(r.json()["items"][0]["code"], "287082");
    let r = run(&[
        "decode",
        "--json",
        fixture("google-transfer.png").to_str().unwrap(),
    ]);
    let items = r.json()["items"].as_array().unwrap().clone();
    assert_eq!(items.len(), 3);
    assert!(
        items[0]["source"]
            .as_str()
            .unwrap()
            .ends_with("google-transfer.png: account 1")
    );
    assert_eq!(items[2]["kind"], "hotp");
    assert_eq!(items[2]["counter"], 5);
}

#[test]
fn export_key_prints_the_key_as_eproc_shows_it_whatever_form_it_was_typed_in() {
    for typed in [
        "tmtw pdri glkp 5p7t dkfg rm5e bvy6 kmrh",
        "TMTW-PDRI-GLKP-5P7T-DKFG-RM5E-BVY6-KMRH",
        "otpauth://totp/x?secret=tmtwpdriglkp5p7tdkfgrm5ebvy6kmrh%3D%3D%3D%3D&issuer=eproc+TJRS",
    ] {
        let dir = TempDir::new("exportkey");
        let vault = dir.path("vault.db");
        init_vault(&vault);
        assert_eq!(
            in_vault(&vault, &["add", typed, "--system", "tjrs-1g"]).status,
            0
        );
        let r = in_vault(&vault, &["export-key", "1"]);
        assert_eq!(r.status, 0, "{}", r.stderr);
        assert_eq!(r.stdout, "TMTWPDRIGLKP5P7TDKFGRM5EBVY6KMRH\n", "{typed}");
        let g = in_vault(&vault, &["export-key", "1", "--format", "grouped"]);
        assert_eq!(g.stdout.trim(), "TMTW PDRI GLKP 5P7T DKFG RM5E BVY6 KMRH");
        let u = in_vault(&vault, &["export-key", "1", "--format", "uri"]);
        let back = run(&["decode", "--json", "--show-secret", u.stdout.trim()]);
        assert_eq!(
            back.json()["items"][0]["secret"],
            "TMTWPDRIGLKP5P7TDKFGRM5EBVY6KMRH"
        );
        let png = dir.path("key.png");
        let q = in_vault(
            &vault,
            &[
                "export-key",
                "1",
                "--format",
                "qr",
                "--out",
                png.to_str().unwrap(),
            ],
        );
        assert_eq!(q.status, 0, "{}", q.stderr);
        let read = run(&["qr", "--json", png.to_str().unwrap()]);
        assert_eq!(
            read.json()[0]["texts"][0].as_str().unwrap(),
            u.stdout.trim()
        );
        let drawn = in_vault(&vault, &["export-key", "1", "--format", "qr"]);
        assert!(drawn.stdout.contains('█'));
    }
}

#[test]
fn status_and_list_say_when_the_console_needs_the_key_again() {
    let dir = TempDir::new("exported");
    let vault = dir.path("vault.db");
    init_vault(&vault);
    in_vault(&vault, &["add", EPROC_URI]);
    let row = |v: &std::path::Path| {
        in_vault(v, &["status", "--json"])
            .json()
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["system"] == "jfsc")
            .unwrap()
            .clone()
    };
    assert_eq!(row(&vault)["exported"], false);
    in_vault(&vault, &["export-key", "1"]);
    assert_eq!(row(&vault)["exported"], true);
    let list = in_vault(&vault, &["list", "--json"]).json();
    assert!(list[0]["exported_at"].is_i64());
    assert_eq!(list[0]["export_again"], false);
    // Re-enrolment at eproc: a new key; the stamps are in seconds.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    in_vault(
        &vault,
        &["replace-key", "1", "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"],
    );
    assert_eq!(row(&vault)["exported"], false);
    assert_eq!(
        in_vault(&vault, &["list", "--json"]).json()[0]["export_again"],
        true
    );
}

#[test]
fn every_plaintext_format_round_trips_through_the_cli() {
    let dir = TempDir::new("formats");
    let vault = dir.path("vault.db");
    init_vault(&vault);
    let r = in_vault(
        &vault,
        &[
            "import",
            fixture("uris.txt").to_str().unwrap(),
            fixture("google-transfer.txt").to_str().unwrap(),
        ],
    );
    assert_eq!(r.status, 3, "uris.txt has bad lines on purpose");
    let before = seen(&vault);
    assert!(before.len() >= 5);
    for (format, file) in [("uris", "e.txt"), ("aegis", "e.json"), ("google", "e.png")] {
        let out = dir.path(file);
        let r = in_vault(
            &vault,
            &[
                "export",
                "--json",
                "--format",
                format,
                "--out",
                out.to_str().unwrap(),
            ],
        );
        assert_eq!(r.status, 0, "{format}: {}", r.stderr);
        let doc = r.json();
        let files: Vec<String> = doc["files"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f.as_str().unwrap().to_owned())
            .collect();
        let skipped = ids(&doc["skipped"]);
        let target = dir.path(&format!("{format}.db"));
        init_vault(&target);
        let mut args = vec!["import", "--json"];
        args.extend(files.iter().map(String::as_str));
        let r = in_vault(&target, &args);
        assert_eq!(r.status, 0, "{format}: {}", r.stderr);
        assert_eq!(ids(&r.json()["added"]), before.len() - skipped, "{format}");
        if skipped == 0 {
            let mut want: Vec<_> = before
                .iter()
                .map(|(_, l, c, n)| (l.clone(), c.clone(), n.clone()))
                .collect();
            let mut got: Vec<_> = seen(&target)
                .into_iter()
                .map(|(_, l, c, n)| (l, c, n))
                .collect();
            want.sort_by_key(|t| t.1.to_string());
            got.sort_by_key(|t| t.1.to_string());
            assert_eq!(got, want, "{format}");
        } else {
            assert_eq!(format, "google", "only Google refuses some parameters");
        }
    }
}

#[test]
fn google_transfers_in_parts_say_what_is_missing() {
    let dir = TempDir::new("parts");
    let vault = dir.path("vault.db");
    init_vault(&vault);
    let one = fixture("google-migration-1-of-2.txt");
    let two = fixture("google-migration-2-of-2.txt");
    let r = in_vault(&vault, &["import", "--json", one.to_str().unwrap()]);
    let doc = r.json();
    assert_eq!(doc["transfers"][0]["missing_parts"], serde_json::json!([2]));
    let text = in_vault(&vault, &["import", one.to_str().unwrap()]);
    assert!(
        text.stdout.contains("2 of 2") || text.stderr.contains("2 of 2"),
        "{}",
        text.stdout
    );
    let r = in_vault(
        &vault,
        &[
            "import",
            "--json",
            one.to_str().unwrap(),
            two.to_str().unwrap(),
        ],
    );
    assert_eq!(r.json()["transfers"], serde_json::json!([]));
}

#[test]
fn a_dry_run_stores_nothing() {
    let dir = TempDir::new("dry");
    let vault = dir.path("vault.db");
    init_vault(&vault);
    let r = in_vault(
        &vault,
        &[
            "import",
            "--json",
            "--dry-run",
            fixture("google-transfer.png").to_str().unwrap(),
        ],
    );
    assert_eq!(r.status, 0);
    assert_eq!(ids(&r.json()["added"]), 3);
    assert_eq!(r.json()["dry_run"], true);
    assert_eq!(ids(&in_vault(&vault, &["list", "--json"]).json()), 0);
}

#[test]
fn backup_then_restore_into_a_new_vault_gives_identical_codes() {
    let dir = TempDir::new("backup");
    let vault = dir.path("vault.db");
    init_vault(&vault);
    in_vault(
        &vault,
        &["import", fixture("google-transfer.png").to_str().unwrap()],
    );
    let r = in_vault(
        &vault,
        &[
            "add",
            "TMTW PDRI GLKP 5P7T DKFG RM5E BVY6 KMRH",
            "--system",
            "tjrs-1g",
            "--label",
            "Escritório",
            "--login",
            "OAB/RS 1",
        ],
    );
    assert_eq!(r.status, 0, "{}", r.stderr);
    in_vault(&vault, &["delete", "2"]);
    let file = dir.path("vault.a2fbackup");
    let env = |v: &std::path::Path| {
        vec![
            ("EPROC_A2F_VAULT", v.to_str().unwrap().to_owned()),
            ("EPROC_A2F_PASSPHRASE", common::PASSPHRASE.to_owned()),
            ("EPROC_A2F_BACKUP_PASSPHRASE", "backup phrase".to_owned()),
        ]
    };
    let with = |v: &std::path::Path, args: &[&str]| {
        let e = env(v);
        let pairs: Vec<(&str, &str)> = e.iter().map(|(k, v)| (*k, v.as_str())).collect();
        run_env(args, &pairs)
    };
    let r = with(
        &vault,
        &[
            "backup",
            "--json",
            "--out",
            file.to_str().unwrap(),
            "--kdf-memory-mib",
            "19",
            "--kdf-iterations",
            "2",
        ],
    );
    assert_eq!(r.status, 0, "{}", r.stderr);
    assert_eq!(r.json()["entries"], 4);
    assert_eq!(r.json()["verified"], true);

    let fresh = dir.path("restored.db");
    let r = with(&fresh, &["restore", "--json", file.to_str().unwrap()]);
    assert_eq!(r.status, 0, "{}", r.stderr);
    assert_eq!(ids(&r.json()["added"]), 4);
    assert_eq!(seen(&fresh), seen(&vault));
    assert_eq!(
        in_vault(&fresh, &["list", "--json", "--trash"]).json()[0]["label"],
        in_vault(&vault, &["list", "--json", "--trash"]).json()[0]["label"]
    );

    // A wrong backup passphrase: exit 4, nothing changed, no vault created.
    let before = std::fs::read(&fresh).unwrap();
    let r = run_env(
        &["--json", "restore", file.to_str().unwrap()],
        &[
            ("EPROC_A2F_VAULT", fresh.to_str().unwrap()),
            ("EPROC_A2F_PASSPHRASE", common::PASSPHRASE),
            ("EPROC_A2F_BACKUP_PASSPHRASE", "wrong"),
        ],
    );
    assert_eq!(r.status, 4);
    assert_eq!(r.error_json()["error"]["code"], "wrong_passphrase");
    assert_eq!(std::fs::read(&fresh).unwrap(), before);
    let never = dir.path("never.db");
    let r = run_env(
        &["restore", file.to_str().unwrap()],
        &[
            ("EPROC_A2F_VAULT", never.to_str().unwrap()),
            ("EPROC_A2F_PASSPHRASE", "x"),
            ("EPROC_A2F_BACKUP_PASSPHRASE", "wrong"),
        ],
    );
    assert_eq!(r.status, 4);
    assert!(!never.exists());

    // Restoring again adds nothing.
    let r = with(&fresh, &["restore", "--json", file.to_str().unwrap()]);
    assert_eq!(ids(&r.json()["added"]), 0);
    assert_eq!(ids(&r.json()["duplicates"]), 4);
}

#[test]
fn damaged_backups_give_typed_errors_and_change_nothing() {
    let dir = TempDir::new("badbackup");
    let vault = dir.path("vault.db");
    init_vault(&vault);
    in_vault(&vault, &["add", EPROC_URI]);
    let file = dir.path("b.bin");
    let r = run_env(
        &[
            "backup",
            "--out",
            file.to_str().unwrap(),
            "--kdf-memory-mib",
            "19",
            "--kdf-iterations",
            "2",
        ],
        &[
            ("EPROC_A2F_VAULT", vault.to_str().unwrap()),
            ("EPROC_A2F_PASSPHRASE", common::PASSPHRASE),
            ("EPROC_A2F_BACKUP_PASSPHRASE", "bk"),
        ],
    );
    assert_eq!(r.status, 0, "{}", r.stderr);
    let good = std::fs::read(&file).unwrap();
    let mut cases: Vec<(&str, Vec<u8>, i32, &str)> = vec![
        (
            "truncated",
            good[..good.len() - 10].to_vec(),
            5,
            "backup_damaged",
        ),
        ("header only", good[..93].to_vec(), 5, "backup_damaged"),
        (
            "not a backup",
            b"otpauth://totp/x?secret=GEZDGNBVGY3TQOJQ".to_vec(),
            3,
            "not_a_backup",
        ),
    ];
    let mut flipped = good.clone();
    let last = flipped.len() - 3;
    flipped[last] ^= 1;
    cases.push(("flipped", flipped, 5, "backup_damaged"));
    let mut absurd = good.clone();
    absurd[9..13].copy_from_slice(&u32::MAX.to_be_bytes());
    cases.push(("absurd kdf", absurd, 5, "kdf_params_out_of_range"));
    let mut newer = good.clone();
    newer[8] = 9;
    cases.push(("newer", newer, 5, "backup_too_new"));
    let before = std::fs::read(&vault).unwrap();
    for (name, bytes, status, code) in cases {
        let path = dir.path(name);
        std::fs::write(&path, &bytes).unwrap();
        let r = run_env(
            &["--json", "restore", path.to_str().unwrap()],
            &[
                ("EPROC_A2F_VAULT", vault.to_str().unwrap()),
                ("EPROC_A2F_PASSPHRASE", common::PASSPHRASE),
                ("EPROC_A2F_BACKUP_PASSPHRASE", "bk"),
            ],
        );
        assert_eq!(r.status, status, "{name}: {}", r.stderr);
        assert_eq!(r.error_json()["error"]["code"], code, "{name}");
        assert_eq!(
            std::fs::read(&vault).unwrap(),
            before,
            "{name} changed the vault"
        );
    }
}

#[test]
fn bad_import_inputs_give_typed_errors() {
    let dir = TempDir::new("badimport");
    let vault = dir.path("vault.db");
    init_vault(&vault);
    let empty = dir.path("empty.png");
    std::fs::write(&empty, b"").unwrap();
    let broken = dir.path("broken.png");
    std::fs::write(&broken, b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").unwrap();
    let bad_proto = dir.path("bad-proto.txt");
    // A transfer cut short: an account announced 5 bytes long with 4 after it.
    std::fs::write(&bad_proto, "otpauth-migration://offline?data=CgUKAxIB").unwrap();
    let cases = [
        (empty.to_str().unwrap().to_owned(), "empty_input"),
        (broken.to_str().unwrap().to_owned(), "unsupported_image"),
        (
            fixture("no-qr.png").to_str().unwrap().to_owned(),
            "no_qr_code",
        ),
        (
            bad_proto.to_str().unwrap().to_owned(),
            "invalid_migration_payload",
        ),
        (
            fixture("aegis-encrypted.json").to_str().unwrap().to_owned(),
            "encrypted_aegis_export",
        ),
    ];
    for (input, code) in &cases {
        let r = in_vault(&vault, &["import", "--json", input]);
        assert_eq!(r.status, 3, "{input}: {}", r.stderr);
        assert_eq!(r.json()["invalid"][0]["code"], *code, "{input}");
    }
    assert_eq!(
        ids(&in_vault(&vault, &["list", "--json"]).json()),
        0,
        "nothing stored"
    );
    let r = run(&["qr", "--json", empty.to_str().unwrap()]);
    assert_eq!(r.json()[0]["error"]["code"], "empty_image");
}
