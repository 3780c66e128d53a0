//! Lists of otpauth (and transfer) URIs, one per line: no panic on any text, progress of
//! each transfer within its batch, and the keys that were read, written as a list, read
//! back the same.
#![no_main]

use eproc_a2f_core::import::ParsedKey;
use eproc_a2f_core::uri_list;
use eproc_a2f_fuzz::{assert_same_keys, text};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(report) = uri_list::read(&text(data)) else {
        return;
    };
    for transfer in &report.transfers {
        assert!(transfer.missing.iter().all(|&i| i < transfer.batch_size));
        assert!(transfer.missing.windows(2).all(|w| w[0] < w[1]));
    }
    let keys: Vec<ParsedKey> = report.keys().cloned().collect();
    if keys.is_empty() {
        return;
    }
    let list = uri_list::write(&keys);
    assert_eq!(list.lines().count(), keys.len(), "one line per key");
    let back = uri_list::read(&list).expect("a written list reads back");
    assert!(!back.has_errors(), "a line written did not read back");
    assert_same_keys(&keys, back.keys());
});
