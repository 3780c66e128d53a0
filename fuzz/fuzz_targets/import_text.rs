//! Text as the user pastes or types it (`import::parse_text`, `import::read_text`), and
//! the typed-key reader under them: no panic on any text, and the strict reading agrees
//! with the per-item report whenever it succeeds.
#![no_main]

use eproc_a2f_core::import;
use eproc_a2f_core::secret::Secret;
use eproc_a2f_fuzz::text;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = text(data);
    let strict = import::parse_text(&text);
    let report = import::read_text(&text);
    if let Ok(keys) = strict {
        let report = report.expect("text read strictly also reads item by item");
        assert!(!report.has_errors(), "strict reading hid a failed item");
        let listed: Vec<_> = report.keys().cloned().collect();
        assert!(keys == listed, "the two readings disagree");
    }
    if let Ok(secret) = Secret::from_base32(&text) {
        for form in [secret.to_base32(), secret.to_base32_grouped()] {
            let back = Secret::from_base32(&form).expect("written base32 reads back");
            assert!(back == secret, "base32 round trip changed the key");
        }
    }
});
