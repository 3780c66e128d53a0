//! Camera frames: any width, height, row stride and buffer to the luma reader never
//! panic, and a frame whose numbers do not fit its buffer is refused as such.
#![no_main]

use eproc_a2f_core::qr;
use libfuzzer_sys::arbitrary::{Arbitrary, Unstructured};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    // Small frames keep each run quick; the size checks see any u32 all the same.
    let (Ok(width), Ok(height), Ok(pad)) = (
        u8::arbitrary(&mut u),
        u8::arbitrary(&mut u),
        u8::arbitrary(&mut u),
    ) else {
        return;
    };
    let huge = bool::arbitrary(&mut u).unwrap_or(false);
    let pixels = u.take_rest();
    let (width, height) = if huge {
        (u32::from(width) << 16, u32::from(height) << 16)
    } else {
        (u32::from(width), u32::from(height))
    };
    let stride = width.saturating_add(u32::from(pad));
    let result = qr::decode_luma(width, height, stride, pixels);
    let needed = u64::from(stride) * u64::from(height.saturating_sub(1)) + u64::from(width);
    if width == 0 || height == 0 || (pixels.len() as u64) < needed {
        assert!(result.is_err(), "a frame larger than its buffer was read");
    }
});
