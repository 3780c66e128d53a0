//! `systems` and `decode` through the real binary, against the CLI contract.

mod common;

use common::{RFC_KEY, run, run_env};
use serde_json::Value;

#[test]
fn systems_json_lists_the_22_systems() {
    let r = run(&["systems", "--json"]);
    assert_eq!(r.status, 0, "{}", r.stderr);
    let list = r.json();
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 22);
    for s in list {
        for field in [
            "id",
            "name",
            "court",
            "instance",
            "url",
            "mandatory",
            "shared_key_group",
        ] {
            assert!(s.get(field).is_some(), "{field} missing in {s}");
        }
        let instance = &s["instance"];
        assert!(instance.is_null() || instance == 1 || instance == 2);
    }
    let by_id = |id: &str| list.iter().find(|s| s["id"] == id).unwrap().clone();
    assert_eq!(
        by_id("tjto-2g")["url"],
        "https://eproc2.tjto.jus.br/eprocV2_prod_2grau/"
    );
    assert_eq!(
        by_id("trf6-1g")["url"],
        "https://eproc1g.trf6.jus.br/eproc/"
    );
    assert_eq!(by_id("tnu")["mandatory"], false);
    assert_eq!(by_id("tjrs-1g")["instance"], 1);
    let group: Vec<&str> = list
        .iter()
        .filter(|s| s["shared_key_group"] == "trf4")
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert_eq!(group, ["trf4", "jfpr", "jfsc", "jfrs"]);
    assert_eq!(
        list.iter()
            .filter(|s| !s["shared_key_group"].is_null())
            .count(),
        4
    );
}

#[test]
fn systems_text_is_localised() {
    let pt = run_env(&["systems"], &[("LANG", "pt_BR.UTF-8")]);
    assert!(pt.stdout.contains("obrigatório"));
    let en = run(&["systems"]);
    assert!(en.stdout.contains("mandatory"));
    assert_eq!(en.stdout.lines().count(), 22);
}

fn decode_one(input: &str, at: &str) -> Value {
    let r = run(&["decode", "--json", "--show-secret", "--at", at, input]);
    assert_eq!(r.status, 0, "{input}: {}", r.stderr);
    let doc = r.json();
    assert_eq!(doc["errors"].as_array().unwrap().len(), 0, "{doc}");
    let items = doc["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{doc}");
    items[0].clone()
}

#[test]
fn decode_reads_every_kind_of_input() {
    let sha512_key = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNA";
    let sha256_key = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZA";
    // (input, at, kind, issuer, account, algorithm, digits, period, counter, code, secret)
    type Case<'a> = (
        &'a str,
        &'a str,
        &'a str,
        Option<&'a str>,
        Option<&'a str>,
        &'a str,
        u64,
        Option<u64>,
        Option<u64>,
        &'a str,
        &'a str,
    );
    let uri512 =
        format!("otpauth://totp/ACME:jo?secret={sha512_key}&issuer=ACME&algorithm=SHA512&digits=8");
    let uri256 = format!("otpauth://totp/?secret={sha256_key}&algorithm=sha256&digits=8&period=30");
    let cases: Vec<Case> = vec![
        (
            "otpauth://totp/eproc%20TRF4:jo%C3%A3o?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=eproc%20TRF4&digits=8",
            "59",
            "totp",
            Some("eproc TRF4"),
            Some("joão"),
            "SHA1",
            8,
            Some(30),
            None,
            "94287082",
            RFC_KEY,
        ),
        (
            &uri512,
            "1111111109",
            "totp",
            Some("ACME"),
            Some("jo"),
            "SHA512",
            8,
            Some(30),
            None,
            "25091201",
            sha512_key,
        ),
        (
            &uri256,
            "20000000000",
            "totp",
            None,
            None,
            "SHA256",
            8,
            Some(30),
            None,
            "77737706",
            sha256_key,
        ),
        (
            "OTPAUTH://HOTP/TJRS%3Ajo?secret=gezd-gnbv-gy3t-qojq-gezd-gnbv-gy3t-qojq%3D%3D&counter=9",
            "0",
            "hotp",
            Some("TJRS"),
            Some("jo"),
            "SHA1",
            6,
            None,
            Some(9),
            "520489",
            RFC_KEY,
        ),
        (
            "GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ",
            "59",
            "totp",
            None,
            None,
            "SHA1",
            6,
            Some(30),
            None,
            "287082",
            RFC_KEY,
        ),
        (
            "gezdgnbvgy3tqojqgezdgnbvgy3tqojq",
            "1234567890",
            "totp",
            None,
            None,
            "SHA1",
            6,
            Some(30),
            None,
            "005924",
            RFC_KEY,
        ),
        (
            "GEZD-GNBV-GY3T-QOJQ-GEZD-GNBV-GY3T-QOJQ",
            "2000000000",
            "totp",
            None,
            None,
            "SHA1",
            6,
            Some(30),
            None,
            "279037",
            RFC_KEY,
        ),
    ];
    for (input, at, kind, issuer, account, algorithm, digits, period, counter, code, secret) in
        cases
    {
        let item = decode_one(input, at);
        assert_eq!(item["source"], "arg:1");
        assert_eq!(item["kind"], kind, "{input}");
        assert_eq!(item["issuer"].as_str(), issuer, "{input}");
        assert_eq!(item["account"].as_str(), account, "{input}");
        assert_eq!(item["algorithm"], algorithm, "{input}");
        assert_eq!(item["digits"], digits, "{input}");
        assert_eq!(item["period"].as_u64(), period, "{input}");
        assert_eq!(item["counter"].as_u64(), counter, "{input}");
        assert_eq!(item["code"], code, "{input}");
        assert_eq!(item["secret"], secret, "{input}");
        assert!(item["next"].as_str().unwrap().len() == digits as usize);
        if kind == "totp" {
            assert!(item["valid_for"].as_u64().unwrap() >= 1);
        } else {
            assert!(item["valid_for"].is_null());
        }
    }
}

#[test]
fn decode_suggests_systems_and_warns() {
    let item = decode_one(
        "otpauth://totp/TJRS:jo?secret=JBSWY3DPEHPK3PXP&issuer=eproc%20JFPR",
        "0",
    );
    assert_eq!(
        item["systems"],
        serde_json::json!(["trf4", "jfpr", "jfsc", "jfrs"])
    );
    let codes: Vec<&str> = item["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["issuer_mismatch", "short_key"]);
}

#[test]
fn the_secret_is_shown_only_on_request() {
    let r = run(&["decode", "--json", "--at", "0", RFC_KEY]);
    assert_eq!(r.status, 0);
    assert!(r.json()["items"][0].get("secret").is_none());
    assert!(!r.stdout.contains(RFC_KEY));
    let r = run(&["decode", "--at", "0", RFC_KEY]);
    assert!(!r.stdout.contains(RFC_KEY) && !r.stdout.contains("GEZD"));
}

#[test]
fn decode_rejects_bad_inputs_with_typed_errors() {
    let cases: Vec<(&str, &str)> = vec![
        ("", "empty_input"),
        ("   ", "empty_input"),
        (
            "https://eproc.trf4.jus.br/eproc2trf4/",
            "unsupported_scheme",
        ),
        ("Bom dia, doutora!", "unrecognized_input"),
        ("otpauth://totp/x", "missing_secret"),
        ("otpauth://totp/x?secret=", "empty_secret"),
        (
            "otpauth://totp/x?secret=ABC1DEFG",
            "invalid_secret_character",
        ),
        (
            "GEZDGNBVGY3TQOJ0GEZDGNBVGY3TQOJQ",
            "invalid_secret_character",
        ),
        (
            "otpauth://totp/x?secret=GEZDGNBVGY3TQOJQ&digits=-6",
            "invalid_digits",
        ),
        (
            "otpauth://totp/x?secret=GEZDGNBVGY3TQOJQ&digits=0",
            "invalid_digits",
        ),
        (
            "otpauth://totp/x?secret=GEZDGNBVGY3TQOJQ&digits=10",
            "invalid_digits",
        ),
        (
            "otpauth://totp/x?secret=GEZDGNBVGY3TQOJQ&digits=100",
            "invalid_digits",
        ),
        (
            "otpauth://totp/x?secret=GEZDGNBVGY3TQOJQ&period=0",
            "invalid_period",
        ),
        (
            "otpauth://totp/x?secret=GEZDGNBVGY3TQOJQ&period=-30",
            "invalid_period",
        ),
        (
            "otpauth://totp/x?secret=GEZDGNBVGY3TQOJQ&period=18446744073709551615",
            "invalid_period",
        ),
        (
            "otpauth://hotp/x?secret=GEZDGNBVGY3TQOJQ",
            "missing_counter",
        ),
        (
            "otpauth://hotp/x?secret=GEZDGNBVGY3TQOJQ&counter=x",
            "invalid_counter",
        ),
        (
            "otpauth://totp/x?secret=GEZDGNBVGY3TQOJQ&algorithm=MD5",
            "unsupported_algorithm",
        ),
        (
            "otpauth://yandex/x?secret=GEZDGNBVGY3TQOJQ",
            "unsupported_otp_type",
        ),
        (
            "otpauth://totp/%E9?secret=GEZDGNBVGY3TQOJQ",
            "malformed_uri",
        ),
        ("JBSWY3DP", "key_too_short"),
    ];
    for (input, code) in cases {
        let r = run(&["decode", "--json", "--at", "0", input]);
        assert_eq!(r.status, 3, "{code}: {}", r.stderr);
        let doc = r.json();
        assert_eq!(doc["items"].as_array().unwrap().len(), 0);
        let errors = doc["errors"].as_array().unwrap();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0]["code"], code, "{}", errors[0]);
        assert_eq!(errors[0]["source"], "arg:1");
        assert!(!errors[0]["message"].as_str().unwrap().is_empty());
    }
}

#[test]
fn decode_keeps_going_after_a_bad_input() {
    let r = run(&[
        "decode",
        "--json",
        "--at",
        "59",
        "nope!",
        RFC_KEY,
        "/no/such/file.png",
    ]);
    assert_eq!(r.status, 3);
    let doc = r.json();
    assert_eq!(doc["items"].as_array().unwrap().len(), 1);
    assert_eq!(doc["items"][0]["source"], "arg:2");
    let codes: Vec<&str> = doc["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["unrecognized_input", "file_unreadable"]);
}

#[test]
fn decode_reads_files_and_stdin() {
    let sample = common::fixture("../../samples/eproc-sample.txt");
    let r = run(&["decode", "--json", "--at", "0", sample.to_str().unwrap()]);
    assert_eq!(r.status, 0, "{}", r.stderr);
    let item = &r.json()["items"][0];
    assert_eq!(item["source"], sample.to_str().unwrap());
    assert_eq!(item["issuer"], "eproc TRF4");

    let mut cmd = common::command(&["decode", "--json", "--at", "59", "-"]);
    cmd.stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(RFC_KEY.as_bytes())
        .unwrap();
    let r = common::finish(child.wait_with_output().unwrap());
    assert_eq!(r.status, 0, "{}", r.stderr);
    assert_eq!(r.json()["items"][0]["code"], "287082");
    assert_eq!(r.json()["items"][0]["source"], "stdin");
}

#[test]
fn oversized_input_is_refused() {
    // Larger than one command-line argument may be: through stdin.
    let mut cmd = common::command(&["decode", "--json", "-"]);
    cmd.stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all("A".repeat(300_000).as_bytes())
        .unwrap();
    let r = common::finish(child.wait_with_output().unwrap());
    assert_eq!(r.status, 3);
    assert_eq!(r.json()["errors"][0]["code"], "input_too_large");
}

#[test]
fn times_out_of_range_are_typed_errors() {
    for at in ["-1", "-9223372036854775808"] {
        let r = run(&["decode", "--json", "--at", at, RFC_KEY]);
        assert_eq!(r.status, 3, "{at}");
        assert_eq!(r.error_json()["error"]["code"], "time_out_of_range");
    }
    let r = run(&["decode", "--json", "--at", "99999999999999999999", RFC_KEY]);
    assert_eq!(r.status, 2);
    for at in [
        "29",
        "30",
        "2147483648",
        "4294967296",
        "20000000000",
        "9223372036854775807",
    ] {
        let r = run(&["decode", "--json", "--at", at, RFC_KEY]);
        assert_eq!(r.status, 0, "{at}: {}", r.stderr);
    }
}

#[test]
fn usage_errors_exit_2_with_json_on_request() {
    let r = run(&["decode"]);
    assert_eq!(r.status, 2);
    let r = run(&["--json", "decode"]);
    assert_eq!(r.status, 2);
    assert_eq!(r.error_json()["error"]["code"], "usage");
    let r = run(&["no-such-command"]);
    assert_eq!(r.status, 2);
    let r = run(&["--help"]);
    assert_eq!(r.status, 0);
    assert!(r.stdout.contains("decode"));
}

#[test]
fn messages_follow_lang() {
    let pt = run_env(
        &["decode", "--json", "otpauth://totp/x"],
        &[("LANG", "pt_BR.UTF-8")],
    );
    let en = run_env(&["decode", "--json", "otpauth://totp/x"], &[("LANG", "C")]);
    let msg = |r: &common::Run| {
        r.json()["errors"][0]["message"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    assert!(msg(&pt).contains("Falta"), "{}", msg(&pt));
    assert!(msg(&en).contains("missing"), "{}", msg(&en));
    assert_eq!(
        pt.json()["errors"][0]["code"],
        en.json()["errors"][0]["code"]
    );
    let help = run_env(&["--help"], &[("LANG", "pt_BR.UTF-8")]);
    assert!(help.stdout.contains("Mostra esta ajuda"));
}

#[test]
fn no_input_makes_it_panic() {
    let nasty = [
        "otpauth://totp/?secret=GEZDGNBVGY3TQOJQ",
        "otpauth://totp/%%%?secret=%ZZ",
        "otpauth://totp/a?secret=GEZDGNBVGY3TQOJQ\n\u{1}\u{2}garbage\nmore",
        "otpauth://totp/a?secret=GEZDGNBVGY3TQOJQ&period=18446744073709551616",
        "otpauth://hotp/a?secret=GEZDGNBVGY3TQOJQ&counter=9223372036854775807",
        "otpauth://totp/a?secret===========",
        "otpauth://",
        "otpauth:",
        "otpauth://totp/a?&&&=&=",
        "\u{feff}GEZDGNBVGY3TQOJQ",
        "=",
        "😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀",
    ];
    for input in nasty {
        let r = run(&["decode", "--json", "--at", "0", input]);
        assert!(r.status == 0 || r.status == 3, "{input:?}: {}", r.stderr);
    }
}
