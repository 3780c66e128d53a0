//! Backup files: the header checks refuse any bytes without a panic and before any key
//! derivation when the costs are out of bounds; the payload decoder takes any bytes, and
//! whatever it reads encodes back to the very same bytes.
#![no_main]

use eproc_a2f_core::backup::fuzzing::{decode_payload, encode_payload};
use eproc_a2f_core::backup::{self, HEADER_LEN};
use eproc_a2f_core::vault::{KdfParams, Passphrase};
use libfuzzer_sys::fuzz_target;
use zeroize::Zeroizing;

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    if mode % 2 == 0 {
        check_file(rest);
    } else {
        check_payload(rest);
    }
});

/// `open` on the bytes, when that takes no Argon2id run: short files, other magic, bad
/// versions and out-of-bounds costs are all refused before any derivation.
fn check_file(bytes: &[u8]) {
    let derives = bytes.len() >= HEADER_LEN
        && bytes.starts_with(backup::MAGIC)
        && bytes[8] == backup::FORMAT_VERSION
        && KdfParams::decode(&bytes[9..21]).is_ok();
    if derives {
        return;
    }
    let pass = Passphrase::new(Zeroizing::new("fuzz".to_owned())).expect("not empty");
    assert!(
        backup::open(bytes, &pass).is_err(),
        "a backup opened without its costs"
    );
}

fn check_payload(bytes: &[u8]) {
    let Some(backup) = decode_payload(bytes) else {
        return;
    };
    let again = encode_payload(&backup.entries, backup.created_at).expect("encoding what was read");
    // Systems the catalog no longer knows are dropped on reading: compare decodings.
    let reread = decode_payload(&again).expect("an encoded payload decodes");
    assert_eq!(reread.created_at, backup.created_at);
    assert_eq!(reread.entries.len(), backup.entries.len());
    for (a, b) in reread.entries.iter().zip(&backup.entries) {
        assert!(a.uuid == b.uuid && a.key == b.key && a.label == b.label);
        assert!(a.issuer == b.issuer && a.login == b.login && a.systems == b.systems);
        assert!(a.created_at == b.created_at && a.key_changed_at == b.key_changed_at);
        assert!(a.exported_at == b.exported_at && a.deleted_at == b.deleted_at);
    }
}
