//! `Debug` of every public type that can hold a key, a login or a code, and every error
//! met on the way, printed with a sample key: none of them shows it.

use zeroize::Zeroizing;

use crate::backup;
use crate::export::{self, Format};
use crate::i18n::Lang;
use crate::import::{self, ParsedKey};
use crate::migration;
use crate::otp::UnixTime;
use crate::vault::tests::{Dir, SoftKeystore, new_vault, pass};
use crate::vault::{Commit, KdfParams, NewEntry, Shelf};

const KEY: &str = "NB2HI4DTHIXS65DFON2C25TBOVWHILLLMV4S2ZLQOJXWGLLBGJTA";
const KEY_TEXT: &str = "https://test-vault-key-eproc-a2f";
const LOGIN: &str = "123.456.789-00";

/// What must never show: the key as base32 (any case), as text, as a byte list, and
/// the login.
fn assert_clean(what: &str, shown: &str) {
    let bytes_list = format!("{:?}", &KEY_TEXT.as_bytes()[..6]);
    let byte_run = bytes_list.trim_start_matches('[').trim_end_matches(']');
    for needle in [KEY, &KEY.to_lowercase(), KEY_TEXT, byte_run, LOGIN] {
        assert!(!shown.contains(needle), "{what} shows {needle:?}: {shown}");
    }
}

fn parsed() -> ParsedKey {
    let uri = format!("otpauth://totp/eproc%20TRF4:{LOGIN}?secret={KEY}&issuer=eproc%20TRF4");
    import::parse_text(&uri).unwrap().remove(0)
}

#[test]
fn parsed_keys_codes_and_reports() {
    let p = parsed();
    assert_clean("Secret", &format!("{:?}", p.key.secret));
    assert_clean("OtpKey", &format!("{:?}", p.key));
    assert_clean("ParsedKey", &format!("{p:?}"));
    let view = p.key.view(UnixTime::new(59).unwrap());
    assert_clean("CodeView", &format!("{view:?}"));
    assert!(!format!("{view:?}").contains(view.code.as_str()));
    let report = import::read_text(&format!(
        "otpauth://totp/a:{LOGIN}?secret={KEY}\notpauth://totp/b?secret={KEY}&digits=x"
    ))
    .unwrap();
    assert_clean("Report", &format!("{report:?}"));
    let transfer = migration::export(&[p]).unwrap();
    assert_clean("GoogleExport", &format!("{transfer:?}"));
    let part = migration::parse_uri(&transfer.uris[0]).unwrap();
    assert_clean("MigrationPart", &format!("{part:?}"));
    assert_clean("Batch", &format!("{:?}", migration::Batch::new(&part)));
}

#[test]
fn error_messages_never_repeat_the_input() {
    let bad = [
        format!("otpauth://totp/x:{LOGIN}?secret={KEY}&digits=x"),
        format!("otpauth://totp/x:{LOGIN}?secret={KEY}&algorithm={KEY}"),
        format!("otpauth://{KEY}/x?secret={KEY}"),
        format!("otpauth://totp/x?secret={KEY}1"),
        format!("{KEY}!!!"),
        format!("https://{KEY}"),
        format!("otpauth://totp/x?secret={KEY}&secret={KEY}"),
    ];
    for input in &bad {
        let err = import::parse_text(input).unwrap_err();
        for lang in [Lang::Pt, Lang::En] {
            let message = err.message(lang);
            // Quoted names are cut to 12 characters: never a whole key.
            assert_clean(&format!("{:?}", err.code()), &message);
        }
        assert_clean("Error", &format!("{err:?}"));
    }
}

#[test]
fn vault_types_and_exports() {
    let dir = Dir::new();
    let mut vault = new_vault(&dir);
    let p = parsed();
    vault
        .add_all(
            vec![NewEntry {
                key: p.key,
                issuer: p.issuer,
                login: p.account,
                label: Some("Dra. Fulana".into()),
                systems: vec![],
            }],
            Commit::Yes,
        )
        .unwrap();
    assert_clean("Vault", &format!("{vault:?}"));
    let list = vault.list(Shelf::Live).unwrap();
    assert_clean("EntryInfo", &format!("{list:?}"));
    assert!(!format!("{list:?}").contains("Fulana"));
    assert_clean(
        "EntryCodes",
        &format!(
            "{:?}",
            vault.codes(UnixTime::new(0).unwrap(), None).unwrap()
        ),
    );
    assert_clean("key", &format!("{:?}", vault.key(list[0].id).unwrap()));
    assert_clean(
        "AllEntries",
        &format!("{:?}", vault.full_entries().unwrap().entries),
    );
    for format in [Format::Uris, Format::Aegis, Format::Google] {
        assert_clean(
            "PlainExport",
            &format!("{:?}", export::plaintext(&vault, format).unwrap()),
        );
    }
    assert_clean(
        "ConsoleKey",
        &format!("{:?}", export::console_key(&mut vault, list[0].id).unwrap()),
    );
    let created = backup::create(&vault, &pass("b"), KdfParams::FLOOR).unwrap();
    let opened = backup::open(&created.bytes, &pass("b")).unwrap();
    assert_clean("Backup", &format!("{opened:?}"));
    assert_clean("Passphrase", &format!("{:?}", pass(KEY)));
    let ks = SoftKeystore::new();
    vault.add_platform_slot(&ks).unwrap();
    assert_clean("slots", &format!("{:?}", vault.slots().unwrap()));
    let secret_text = Zeroizing::new(KEY.to_owned());
    assert_clean(
        "Passphrase",
        &format!("{:?}", crate::vault::Passphrase::new(secret_text).unwrap()),
    );
}
