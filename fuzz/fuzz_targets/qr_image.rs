//! Image files: any bytes to the QR reader and to the import of a file never panic;
//! what is read is a list of distinct, non-empty texts.
#![no_main]

use eproc_a2f_core::{import, qr};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(texts) = qr::decode_image(data) {
        assert!(!texts.is_empty(), "success without a code");
        assert!(texts.iter().all(|t| !t.is_empty()));
        let mut distinct = texts.clone();
        distinct.sort();
        distinct.dedup();
        assert_eq!(distinct.len(), texts.len(), "a code reported twice");
    }
    let _ = import::read_bytes(data);
});
