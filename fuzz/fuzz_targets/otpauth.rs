//! `otpauth://` URIs: any text is read without a panic, and a key that was read, written
//! back canonically, reads as the same key, issuer and account.
#![no_main]

use eproc_a2f_core::import::Warning;
use eproc_a2f_core::otpauth;
use eproc_a2f_fuzz::{assert_same_keys, text};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = text(data);
    let Ok(read) = otpauth::parse(&text) else {
        return;
    };
    let uri = otpauth::write(&read.key, read.issuer.as_deref(), read.account.as_deref());
    let reread = otpauth::parse(&uri).expect("a written URI reads back");
    assert_same_keys([&read], [&reread]);
    // The writer puts the issuer in the label and in the parameter alike.
    assert!(!reread.warnings.contains(&Warning::IssuerMismatch));
    let again = otpauth::write(
        &reread.key,
        reread.issuer.as_deref(),
        reread.account.as_deref(),
    );
    assert_eq!(*uri, *again, "the canonical form is a fixed point");
});
