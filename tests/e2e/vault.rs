//! The vault through the real binary: init, add, codes, list, status, edits, trash,
//! wrong passphrases and files that are not vaults.

mod common;

use common::{PASSPHRASE, RFC_KEY, TempDir, in_vault, init_vault, run_env};
use serde_json::Value;

fn ids(v: &Value) -> Vec<i64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_i64().unwrap())
        .collect()
}

const SHA256_URI: &str = "otpauth://totp/TJSP:adv?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZA&algorithm=SHA256&digits=8&issuer=TJSP";
const TRF4_URI: &str = "otpauth://totp/eproc%20TRF4:111.222.333-44?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=eproc%20TRF4";

#[test]
fn init_add_three_keys_and_codes_at_a_time() {
    let dir = TempDir::new("codes");
    let vault = dir.path("vault.db");
    init_vault(&vault);

    let r = in_vault(
        &vault,
        &[
            "add",
            "--json",
            RFC_KEY,
            "--system",
            "tjrs-1g",
            "--login",
            "OAB/RS 99.999",
            "--label",
            "Dra. Beatriz",
        ],
    );
    assert_eq!(r.status, 0, "{}", r.stderr);
    assert_eq!(ids(&r.json()["added"]), [1]);
    let r = in_vault(
        &vault,
        &[
            "add", "--json", SHA256_URI, "--system", "tjsp-1g", "--system", "tjsp-2g",
        ],
    );
    assert_eq!(ids(&r.json()["added"]), [2]);
    // No --system: the issuer suggests the TRF4 group.
    let r = in_vault(&vault, &["add", "--json", TRF4_URI]);
    assert_eq!(ids(&r.json()["added"]), [3]);

    let r = in_vault(&vault, &["codes", "--json", "--at", "59"]);
    assert_eq!(r.status, 0, "{}", r.stderr);
    let doc = r.json();
    assert_eq!(doc["at"], 59);
    let entries = doc["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 3);
    for e in entries {
        for field in [
            "id",
            "label",
            "login",
            "systems",
            "code",
            "next",
            "valid_for",
            "error",
        ] {
            assert!(e.get(field).is_some(), "{field} missing in {e}");
        }
        assert!(e["error"].is_null());
        assert_eq!(e["valid_for"], 1);
    }
    assert_eq!(entries[0]["code"], "287082");
    assert_eq!(entries[0]["label"], "Dra. Beatriz");
    assert_eq!(entries[0]["login"], "OAB/RS 99.999");
    assert_eq!(entries[1]["code"], "46119246");
    assert_eq!(
        entries[1]["systems"],
        serde_json::json!(["tjsp-1g", "tjsp-2g"])
    );
    assert_eq!(
        entries[2]["systems"],
        serde_json::json!(["trf4", "jfpr", "jfsc", "jfrs"])
    );
    assert_eq!(entries[2]["login"], "111.222.333-44");
    // The same key, decoded without a vault, gives the same code.
    let d = common::run(&["decode", "--json", "--at", "59", TRF4_URI]);
    assert_eq!(d.json()["items"][0]["code"], entries[2]["code"]);

    let r = in_vault(
        &vault,
        &["codes", "--json", "--at", "1234567890", "--system", "jfsc"],
    );
    let only = r.json()["entries"].as_array().unwrap().clone();
    assert_eq!(only.len(), 1);
    assert_eq!(only[0]["id"], 3);

    let text = in_vault(&vault, &["codes", "--at", "59"]);
    assert!(text.stdout.contains("287 082"), "{}", text.stdout);
}

#[test]
fn list_status_and_edits() {
    let dir = TempDir::new("list");
    let vault = dir.path("vault.db");
    init_vault(&vault);
    in_vault(&vault, &["add", TRF4_URI]);
    in_vault(&vault, &["add", RFC_KEY, "--system", "tnu"]);

    let r = in_vault(&vault, &["list", "--json"]);
    assert_eq!(r.status, 0, "{}", r.stderr);
    let list = r.json();
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 2);
    for e in list {
        for field in [
            "id",
            "label",
            "issuer",
            "login",
            "systems",
            "created_at",
            "key_changed_at",
            "exported_at",
        ] {
            assert!(e.get(field).is_some(), "{field} missing in {e}");
        }
        assert!(e.get("secret").is_none());
    }
    assert!(!r.stdout.contains("JBSWY3DP") && !r.stdout.contains(RFC_KEY));
    assert_eq!(list[0]["issuer"], "eproc TRF4");
    assert_eq!(
        list[1]["label"], "TNU",
        "the first system names an entry without issuer"
    );

    let r = in_vault(&vault, &["status", "--json"]);
    let status = r.json();
    let status = status.as_array().unwrap();
    assert_eq!(status.len(), 22);
    for s in status {
        for field in ["system", "name", "mandatory", "entry", "exported"] {
            assert!(s.get(field).is_some(), "{field} missing in {s}");
        }
    }
    let row = |id: &str| status.iter().find(|s| s["system"] == id).unwrap().clone();
    assert_eq!(row("jfpr")["entry"], 1);
    assert_eq!(row("jfpr")["exported"], false);
    assert_eq!(row("tnu")["entry"], 2);
    assert_eq!(row("tnu")["mandatory"], false);
    assert!(row("tjrs-1g")["entry"].is_null());

    assert_eq!(
        in_vault(&vault, &["rename", "2", "Turma Nacional"]).status,
        0
    );
    assert_eq!(in_vault(&vault, &["set-login", "2", "OAB/SC 1"]).status, 0);
    assert_eq!(
        in_vault(&vault, &["link", "2", "--system", "jfes"]).status,
        0
    );
    assert_eq!(
        in_vault(&vault, &["unlink", "2", "--system", "tnu"]).status,
        0
    );
    let e = &in_vault(&vault, &["list", "--json"]).json()[1];
    assert_eq!(e["label"], "Turma Nacional");
    assert_eq!(e["login"], "OAB/SC 1");
    assert_eq!(e["systems"], serde_json::json!(["jfes"]));

    // Trash: delete, list it, restore, delete again and purge.
    assert_eq!(in_vault(&vault, &["delete", "2"]).status, 0);
    assert_eq!(
        in_vault(&vault, &["list", "--json"])
            .json()
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        ids(&Value::Array(
            in_vault(&vault, &["list", "--json", "--trash"])
                .json()
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["id"].clone())
                .collect()
        )),
        [2]
    );
    assert_eq!(
        in_vault(&vault, &["purge", "1"]).status,
        3,
        "only from the trash"
    );
    assert_eq!(in_vault(&vault, &["undelete", "2"]).status, 0);
    assert_eq!(in_vault(&vault, &["delete", "2"]).status, 0);
    assert_eq!(in_vault(&vault, &["purge", "2"]).status, 0);
    assert_eq!(in_vault(&vault, &["undelete", "2"]).status, 6);
    let r = in_vault(&vault, &["rename", "--json", "77", "x"]);
    assert_eq!(r.status, 6);
    assert_eq!(r.error_json()["error"]["code"], "entry_not_found");

    // A duplicate is reported, not stored.
    let r = in_vault(&vault, &["add", "--json", TRF4_URI]);
    assert_eq!(r.status, 0);
    assert_eq!(r.json()["duplicates"][0]["id"], 1);
    assert_eq!(
        in_vault(&vault, &["list", "--json"])
            .json()
            .as_array()
            .unwrap()
            .len(),
        1
    );

    // Re-enrolment: a new key in the same entry.
    let r = in_vault(
        &vault,
        &[
            "replace-key",
            "1",
            "GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ",
        ],
    );
    assert_eq!(r.status, 0, "{}", r.stderr);
    let c = in_vault(&vault, &["codes", "--json", "--at", "59"]);
    assert_eq!(c.json()["entries"][0]["code"], "287082");

    assert_eq!(
        in_vault(&vault, &["check", "--json"]).json()["damaged"],
        serde_json::json!([])
    );
    assert_eq!(
        in_vault(&vault, &["add", RFC_KEY, "--system", "tjxx"]).status,
        3
    );
}

#[test]
fn hotp_entries_advance() {
    let dir = TempDir::new("hotp");
    let vault = dir.path("vault.db");
    init_vault(&vault);
    in_vault(
        &vault,
        &[
            "add",
            "otpauth://hotp/x?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&counter=0",
            "--system",
            "tnu",
        ],
    );
    assert_eq!(
        in_vault(&vault, &["codes", "--json"]).json()["entries"][0]["code"],
        "755224"
    );
    let r = in_vault(&vault, &["hotp-next", "--json", "1"]);
    assert_eq!(r.json()["code"], "287082");
    assert_eq!(
        in_vault(&vault, &["codes", "--json"]).json()["entries"][0]["code"],
        "287082"
    );
}

#[test]
fn a_wrong_passphrase_exits_4_and_leaves_the_file_byte_identical() {
    let dir = TempDir::new("wrong");
    let vault = dir.path("vault.db");
    init_vault(&vault);
    in_vault(&vault, &["add", RFC_KEY, "--system", "tnu"]);
    let before = std::fs::read(&vault).unwrap();
    for args in [
        &["codes", "--json"][..],
        &["list"],
        &["add", TRF4_URI],
        &["delete", "1"],
        &["passphrase"],
    ] {
        let r = run_env(
            args,
            &[
                ("EPROC_A2F_VAULT", vault.to_str().unwrap()),
                ("EPROC_A2F_PASSPHRASE", "not the passphrase"),
                ("EPROC_A2F_NEW_PASSPHRASE", "x"),
            ],
        );
        assert_eq!(r.status, 4, "{args:?}: {}", r.stderr);
        assert_eq!(
            std::fs::read(&vault).unwrap(),
            before,
            "{args:?} changed the file"
        );
    }
    let r = run_env(
        &["--json", "codes"],
        &[
            ("EPROC_A2F_VAULT", vault.to_str().unwrap()),
            ("EPROC_A2F_PASSPHRASE", "nope"),
        ],
    );
    assert_eq!(r.error_json()["error"]["code"], "wrong_passphrase");
    // No passphrase and no terminal: locked.
    let r = run_env(
        &["--json", "list"],
        &[("EPROC_A2F_VAULT", vault.to_str().unwrap())],
    );
    assert_eq!(r.status, 4);
    assert_eq!(r.error_json()["error"]["code"], "locked");
    // The passphrase from a file works too.
    let pass_file = dir.path("pass.txt");
    std::fs::write(&pass_file, format!("{PASSPHRASE}\n")).unwrap();
    let r = run_env(
        &[
            "list",
            "--json",
            "--passphrase-file",
            pass_file.to_str().unwrap(),
        ],
        &[("EPROC_A2F_VAULT", vault.to_str().unwrap())],
    );
    assert_eq!(r.status, 0, "{}", r.stderr);
    assert_eq!(std::fs::read(&vault).unwrap(), before);
}

#[test]
fn changing_the_passphrase() {
    let dir = TempDir::new("passwd");
    let vault = dir.path("vault.db");
    init_vault(&vault);
    in_vault(&vault, &["add", RFC_KEY, "--system", "tnu"]);
    let v = vault.to_str().unwrap();
    let r = run_env(
        &[
            "passphrase",
            "--kdf-memory-mib",
            "19",
            "--kdf-iterations",
            "2",
        ],
        &[
            ("EPROC_A2F_VAULT", v),
            ("EPROC_A2F_PASSPHRASE", PASSPHRASE),
            ("EPROC_A2F_NEW_PASSPHRASE", "brand new phrase"),
        ],
    );
    assert_eq!(r.status, 0, "{}", r.stderr);
    assert_eq!(in_vault(&vault, &["list"]).status, 4);
    let r = run_env(
        &["codes", "--json", "--at", "59"],
        &[
            ("EPROC_A2F_VAULT", v),
            ("EPROC_A2F_PASSPHRASE", "brand new phrase"),
        ],
    );
    assert_eq!(r.json()["entries"][0]["code"], "287082");
}

#[test]
fn init_refuses_an_existing_file_and_weak_kdf() {
    let dir = TempDir::new("init");
    let vault = dir.path("vault.db");
    std::fs::write(&vault, b"my thesis, not a vault").unwrap();
    let r = in_vault(&vault, &["--json", "init"]);
    assert_eq!(r.status, 3);
    assert_eq!(r.error_json()["error"]["code"], "vault_exists");
    assert_eq!(std::fs::read(&vault).unwrap(), b"my thesis, not a vault");
    let other = dir.path("sub/dir/vault.db");
    let r = in_vault(&other, &["--json", "init", "--kdf-memory-mib", "1"]);
    assert_eq!(r.status, 2, "{}", r.stderr);
    assert_eq!(r.error_json()["error"]["code"], "kdf_params_out_of_range");
    assert!(!other.exists());
}

#[test]
fn files_that_are_not_vaults_give_typed_errors_untouched() {
    let dir = TempDir::new("notvault");
    let good = dir.path("good.db");
    init_vault(&good);
    for i in 0..30 {
        let key = format!(
            "otpauth://totp/x{i}?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQ{}",
            ["AA", "AB", "AC", "AD", "AE", "AF", "AG", "AH", "AI", "AJ"][i % 10]
        );
        if i < 10 {
            in_vault(&good, &["add", &key, "--system", "tnu"]);
        }
    }
    let whole = std::fs::read(&good).unwrap();
    let cases: Vec<(&str, Vec<u8>, i32, &str)> = vec![
        (
            "text",
            b"Lorem ipsum dolor sit amet".to_vec(),
            5,
            "not_a_vault",
        ),
        (
            "truncated",
            whole[..whole.len() / 2].to_vec(),
            5,
            "vault_damaged",
        ),
        ("header-only", whole[..100].to_vec(), 5, "vault_damaged"),
    ];
    for (name, bytes, status, code) in cases {
        let path = dir.path(name);
        std::fs::write(&path, &bytes).unwrap();
        let r = in_vault(&path, &["--json", "list"]);
        assert_eq!(r.status, status, "{name}: {}", r.stderr);
        assert_eq!(r.error_json()["error"]["code"], code, "{name}");
        assert_eq!(std::fs::read(&path).unwrap(), bytes, "{name} was modified");
    }
    let r = in_vault(&dir.path("missing.db"), &["--json", "list"]);
    assert_eq!(r.status, 6);
    assert_eq!(r.error_json()["error"]["code"], "vault_not_found");
    assert!(!dir.path("missing.db").exists(), "opening never creates");
}

#[test]
fn no_key_login_or_label_in_the_vault_files() {
    let dir = TempDir::new("plain");
    let vault = dir.path("vault.db");
    init_vault(&vault);
    let key = "KRSXG5DJNZTS25DIMUWWK4DSN5RS2YLMMVZHI";
    let r = in_vault(
        &vault,
        &[
            "add",
            key,
            "--system",
            "trf4",
            "--login",
            "987.654.321-00",
            "--label",
            "Escritorio Fulano",
        ],
    );
    assert_eq!(r.status, 0, "{}", r.stderr);
    in_vault(&vault, &["rename", "1", "Escritorio Beltrano"]);
    let raw_key = {
        let d = common::run(&["decode", "--json", "--show-secret", key]);
        d.json()["items"][0]["secret"].as_str().unwrap().to_owned()
    };
    let mut bytes = Vec::new();
    for name in ["vault.db", "vault.db-wal"] {
        if let Ok(b) = std::fs::read(dir.path(name)) {
            bytes.extend(b);
        }
    }
    for needle in [
        key,
        &raw_key,
        "987.654.321-00",
        "Escritorio",
        PASSPHRASE,
        "trf4\0x",
    ] {
        assert!(
            !bytes.windows(needle.len()).any(|w| w == needle.as_bytes()),
            "{needle} in the vault"
        );
    }
}

#[test]
fn watch_prints_a_document_each_time_the_codes_change() {
    use std::io::{BufRead, BufReader};
    let dir = TempDir::new("watch");
    let vault = dir.path("vault.db");
    init_vault(&vault);
    in_vault(&vault, &["add", RFC_KEY, "--system", "tnu"]);
    let mut child = common::command(&["codes", "--watch", "--json"])
        .env("EPROC_A2F_VAULT", &vault)
        .env("EPROC_A2F_PASSPHRASE", PASSPHRASE)
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    child.kill().unwrap();
    child.wait().unwrap();
    // Not a terminal: one compact JSON document a line, not a redrawn screen.
    let doc: Value = serde_json::from_str(&line).unwrap();
    assert_eq!(doc["entries"][0]["id"], 1);
    assert_eq!(doc["entries"][0]["code"].as_str().unwrap().len(), 6);
    assert!(!line.contains('\x1b'));
}
