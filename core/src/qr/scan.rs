//! Finding and reading QR codes in a grey image, with rxing's port of zxing-cpp's QR
//! reader. When the image as it is gives nothing, a few cheap variants of it follow;
//! which ones, and in which order, comes from measurements on the project's corpus
//! (`tools/qr-bench`, numbers in `docs/qr.md`).

use std::collections::HashSet;
use std::panic::{self, AssertUnwindSafe};

use rxing::common::HybridBinarizer;
use rxing::multi::MultipleBarcodeReader;
use rxing::qrcode::cpp_port::QrReader;
use rxing::{BarcodeFormat, BinaryBitmap, DecodeHints, Luma8Source};

/// A grey image, one byte a pixel, rows packed without padding.
pub(super) struct Grey<'a> {
    pub width: usize,
    pub height: usize,
    pub pixels: &'a [u8],
}

/// A variant of an image made for one pass.
struct Variant {
    width: usize,
    height: usize,
    pixels: Vec<u8>,
}

impl Variant {
    fn grey(&self) -> Grey<'_> {
        Grey {
            width: self.width,
            height: self.height,
            pixels: &self.pixels,
        }
    }
}

/// Every distinct non-empty text of the QR codes found, in a stable order: passes run
/// in a fixed order and the reader reports codes in the order it meets them.
pub(super) fn scan(image: &Grey<'_>) -> Vec<String> {
    let mut texts = read(image);
    if texts.is_empty() {
        // A dim or hazy picture: levels squeezed into a narrow band, which the
        // binarizer takes for a flat area.
        if let Some(stretched) = stretched(image) {
            texts = read(&stretched.grey());
        }
    }
    if texts.is_empty() {
        // Half size averages away sensor noise and JPEG blocks, and is quick.
        if let Some(halved) = halved(image) {
            texts = read(&halved.grey());
        }
    }
    if texts.is_empty() {
        // Out of focus: sharpened edges bring the modules back apart.
        texts = read(&sharpened(image).grey());
    }
    texts
}

/// One binarization, read as it is and then inverted (light-on-dark codes from
/// dark-mode screens): inverting the bit matrix costs far less than binarizing again.
fn read(image: &Grey<'_>) -> Vec<String> {
    let (Ok(width), Ok(height)) = (u32::try_from(image.width), u32::try_from(image.height)) else {
        return Vec::new();
    };
    // rxing is third-party code fed with untrusted pixels: a panic in it must become
    // "nothing found in this pass", never a crash of the host app.
    let found = panic::catch_unwind(AssertUnwindSafe(|| {
        let Ok(source) = Luma8Source::new_with_slice(image.pixels, width, height) else {
            return Vec::new();
        };
        let mut bitmap = BinaryBitmap::new(HybridBinarizer::new(source));
        // QR codes only: Micro QR and rMQR, which no authenticator uses, would only add
        // false positives. Trying harder scans every row for finder patterns.
        let hints = DecodeHints {
            PossibleFormats: Some(HashSet::from([BarcodeFormat::QR_CODE])),
            TryHarder: Some(true),
            ..DecodeHints::default()
        };
        let mut texts: Vec<String> = Vec::new();
        for invert in [false, true] {
            if invert {
                bitmap.invert();
            }
            let Ok(results) = QrReader.decode_multiple_with_hints(&mut bitmap, &hints) else {
                continue;
            };
            for text in results.iter().map(|r| r.getText()) {
                if !text.is_empty() && !texts.iter().any(|t| t == text) {
                    texts.push(text.to_owned());
                }
            }
        }
        texts
    }));
    found.unwrap_or_default()
}

/// The levels stretched to the full range, when the 1st and 99th percentiles are less
/// than 160 levels apart; `None` when the image already has the contrast.
fn stretched(image: &Grey<'_>) -> Option<Variant> {
    const MAX_NARROW_SPAN: usize = 160;
    let mut histogram = [0usize; 256];
    for &p in image.pixels {
        histogram[usize::from(p)] += 1;
    }
    let tail = image.pixels.len() / 100;
    let beyond_tail = |levels: &mut dyn Iterator<Item = usize>| {
        let mut seen = 0;
        for level in levels {
            seen += histogram[level];
            if seen > tail {
                return Some(level);
            }
        }
        None
    };
    let low = beyond_tail(&mut (0..256))?;
    let high = beyond_tail(&mut (0..256).rev())?;
    if high <= low || high - low > MAX_NARROW_SPAN {
        return None;
    }
    let (low, span) = (low as i32, (high - low) as i32);
    let pixels = image
        .pixels
        .iter()
        .map(|&p| ((i32::from(p) - low) * 255 / span).clamp(0, 255) as u8)
        .collect();
    Some(Variant {
        width: image.width,
        height: image.height,
        pixels,
    })
}

/// Half the size, each pixel the mean of a 2×2 block; `None` when too small to hold a
/// code (21 modules and a quiet zone) afterwards.
fn halved(image: &Grey<'_>) -> Option<Variant> {
    const MIN_SIDE: usize = 29;
    let (width, height) = (image.width / 2, image.height / 2);
    if width < MIN_SIDE || height < MIN_SIDE {
        return None;
    }
    let mut pixels = Vec::with_capacity(width * height);
    for y in 0..height {
        let top = &image.pixels[2 * y * image.width..][..2 * width];
        let bottom = &image.pixels[(2 * y + 1) * image.width..][..2 * width];
        for (t, b) in top.chunks_exact(2).zip(bottom.chunks_exact(2)) {
            let sum = u16::from(t[0]) + u16::from(t[1]) + u16::from(b[0]) + u16::from(b[1]);
            pixels.push(((sum + 2) / 4) as u8);
        }
    }
    Some(Variant {
        width,
        height,
        pixels,
    })
}

/// An unsharp mask: each pixel pushed away from the mean of its 5×5 neighbourhood,
/// twice the difference.
fn sharpened(image: &Grey<'_>) -> Variant {
    const RADIUS: usize = 2;
    const AMOUNT: i32 = 2;
    let (w, h) = (image.width, image.height);
    // Summed-area table: any box sum in four look-ups.
    let mut sums = vec![0u32; (w + 1) * (h + 1)];
    for y in 0..h {
        let mut row = 0u32;
        for x in 0..w {
            row += u32::from(image.pixels[y * w + x]);
            sums[(y + 1) * (w + 1) + x + 1] = sums[y * (w + 1) + x + 1] + row;
        }
    }
    let mut pixels = Vec::with_capacity(w * h);
    for y in 0..h {
        let (y0, y1) = (y.saturating_sub(RADIUS), (y + RADIUS + 1).min(h));
        for x in 0..w {
            let (x0, x1) = (x.saturating_sub(RADIUS), (x + RADIUS + 1).min(w));
            let sum = sums[y1 * (w + 1) + x1] + sums[y0 * (w + 1) + x0]
                - sums[y0 * (w + 1) + x1]
                - sums[y1 * (w + 1) + x0];
            let mean = (sum / ((x1 - x0) * (y1 - y0)) as u32) as i32;
            let p = i32::from(image.pixels[y * w + x]);
            pixels.push((p + AMOUNT * (p - mean)).clamp(0, 255) as u8);
        }
    }
    Variant {
        width: w,
        height: h,
        pixels,
    }
}
