//! What the vault stores: an encrypted field opened with any key, blob, owner, place and
//! bound data never panics; a sealed field opens at its place only; the key and details
//! records and the KDF parameters decode from any bytes without a panic, and whatever
//! decodes is in its one canonical encoding.
#![no_main]

use eproc_a2f_core::vault::KdfParams;
use eproc_a2f_core::vault::fuzzing::{
    FieldKeys, KEY_LEN, NONCE_LEN, Place, TAG_LEN, VaultKey, decode, decode_details, encode,
    encode_details, open_with, seal_with,
};
use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;

/// Every place the vault seals a field at.
const PLACES: [(&str, &str); 4] = [
    ("entries", "key"),
    ("entries", "details"),
    ("meta", "canary"),
    ("key_slots", "wrapped_key"),
];

fuzz_target!(|data: &[u8]| {
    check_stored(data);
    // Running out of bytes only cuts an input short.
    let _ = check_fields(&mut Unstructured::new(data));
});

/// The decoders see the bytes a decryption gives; the KDF parameters are stored in clear.
fn check_stored(bytes: &[u8]) {
    if let Some(key) = decode(bytes) {
        assert!(*encode(&key) == *bytes, "key record not canonical");
    }
    if let Some(details) = decode_details(bytes) {
        assert!(*encode_details(&details) == *bytes, "details not canonical");
    }
    if let Ok(kdf) = KdfParams::decode(bytes) {
        assert_eq!(kdf.encode().as_slice(), bytes);
    }
}

fn place<'a>(u: &mut Unstructured<'_>, owner: &'a [u8; 16]) -> Result<Place<'a>> {
    let (table, column) = *u.choose(&PLACES)?;
    Ok(Place {
        table,
        column,
        owner,
    })
}

fn check_fields(u: &mut Unstructured<'_>) -> Result<()> {
    let key: [u8; KEY_LEN] = u.arbitrary()?;
    let owner: [u8; 16] = u.arbitrary()?;
    let here = place(u, &owner)?;
    let extra_len = u.int_in_range(0..=64)?;
    let extra = u.bytes(extra_len)?;
    let plaintext_len = u.arbitrary_len::<u8>()?;
    let plaintext = u.bytes(plaintext_len)?;
    let blob = u.bytes(u.len())?;

    // Arbitrary blobs, at an arbitrary place, under a raw key and a vault's field key.
    let _ = open_with(&key, here, extra, blob);
    let fields = FieldKeys::derive(&VaultKey::from_bytes(&key).expect("32 bytes"));
    if let Ok(opened) = fields.open(here, blob) {
        check_stored(&opened);
    }

    let sealed = seal_with(&key, here, extra, plaintext).expect("sealing");
    assert_eq!(sealed.len(), 1 + NONCE_LEN + plaintext.len() + TAG_LEN);
    let opened = open_with(&key, here, extra, &sealed).expect("a sealed blob opens");
    assert!(*opened == *plaintext, "round trip changed the field");
    assert!(open_with(&key, here, extra, &sealed[..sealed.len() - 1]).is_err());
    let mut other_owner = owner;
    other_owner[usize::from(owner[0] % 16)] ^= 1;
    let elsewhere = Place {
        owner: &other_owner,
        ..here
    };
    assert!(
        open_with(&key, elsewhere, extra, &sealed).is_err(),
        "moved row"
    );
    for (table, column) in PLACES {
        if (table, column) != (here.table, here.column) {
            let moved = Place {
                table,
                column,
                ..here
            };
            assert!(
                open_with(&key, moved, extra, &sealed).is_err(),
                "moved field"
            );
        }
    }
    let longer = [extra, &[0]].concat();
    assert!(
        open_with(&key, here, &longer, &sealed).is_err(),
        "other data"
    );

    let sealed = fields.seal(here, plaintext).expect("sealing");
    let opened = fields.open(here, &sealed).expect("a sealed field opens");
    assert!(*opened == *plaintext, "round trip changed the field");
    Ok(())
}
