//! Google Authenticator transfers: the protobuf payload from raw bytes, and the whole
//! `otpauth-migration://` URI from text. No panic on either; the numbering of a part
//! that was read holds; and what was read, exported again, reads back the same, in QR
//! codes of the sizes the writer promises.
#![no_main]

use eproc_a2f_core::import::ParsedKey;
use eproc_a2f_core::migration::{self, Batch, MAX_ACCOUNTS_PER_QR, MAX_BATCH_SIZE, MAX_URI_BYTES};
use eproc_a2f_core::migration::{MigrationPart, PartAdded};
use eproc_a2f_fuzz::{assert_same_keys, text};
use libfuzzer_sys::fuzz_target;
use zeroize::Zeroizing;

fuzz_target!(|data: &[u8]| {
    if let Ok(part) = migration::decode_payload(Zeroizing::new(data.to_vec())) {
        check(&part);
    }
    if let Ok(part) = migration::parse_uri(&text(data)) {
        check(&part);
    }
});

fn check(part: &MigrationPart) {
    let batch = part.batch();
    assert!(batch.index < batch.size && batch.size <= MAX_BATCH_SIZE);
    assert!(!part.accounts().is_empty(), "a part has accounts");
    let keys: Vec<&ParsedKey> = part.accounts().iter().flatten().collect();
    let owned: Vec<ParsedKey> = keys.iter().map(|&k| k.clone()).collect();
    let export = migration::export(&owned).expect("export of keys that were read");

    let mut skipped = export.skipped.iter().map(|s| s.index).peekable();
    let kept: Vec<&ParsedKey> = keys
        .iter()
        .enumerate()
        .filter(|(index, _)| skipped.next_if_eq(index).is_none())
        .map(|(_, &k)| k)
        .collect();
    assert!(
        skipped.next().is_none(),
        "skipped indexes in order, in range"
    );

    let mut gathered: Option<Batch> = None;
    let mut reread = Vec::new();
    for (index, uri) in export.uris.iter().enumerate() {
        assert!(uri.len() <= MAX_URI_BYTES, "URI of {} bytes", uri.len());
        let back = migration::parse_uri(uri).expect("an exported URI reads back");
        let info = back.batch();
        assert_eq!(info.index as usize, index);
        assert_eq!(info.size as usize, export.uris.len());
        assert!((1..=MAX_ACCOUNTS_PER_QR).contains(&back.accounts().len()));
        match &mut gathered {
            None => gathered = Some(Batch::new(&back)),
            Some(all) => assert_eq!(all.add(&back).expect("one export"), PartAdded::New),
        }
        for account in back.accounts() {
            reread.push(
                account
                    .as_ref()
                    .expect("an exported account reads back")
                    .clone(),
            );
        }
    }
    if let Some(all) = gathered {
        assert!(all.is_complete(), "QR {:?} missing", all.missing());
    }
    assert_same_keys(kept, &reread);
}
