//! Aegis plain JSON exports: no panic on any text, and the entries that were read,
//! written as an Aegis export, read back the same.
#![no_main]

use eproc_a2f_core::aegis;
use eproc_a2f_core::import::ParsedKey;
use eproc_a2f_fuzz::{assert_same_keys, text};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(report) = aegis::read(&text(data)) else {
        return;
    };
    let keys: Vec<ParsedKey> = report.keys().cloned().collect();
    let json = aegis::write(&keys).expect("writing keys that were read");
    let back = aegis::read(&json).expect("a written export reads back");
    assert!(!back.has_errors(), "an entry written did not read back");
    assert_same_keys(&keys, back.keys());
});
