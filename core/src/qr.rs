//! QR codes: reading them from image files and camera frames (the eproc enrolment QR, a
//! screenshot of it, a photo, Google Authenticator's transfer QR), and drawing them to
//! hand a key to another app or to an automation console.
//!
//! Both reading paths end in the same grey-image scanner. Every input is untrusted: sizes
//! are checked before anything is allocated, and the third-party decoders run behind
//! `catch_unwind`, so bad input gives a typed error, never a panic.

mod render;
mod scan;

use std::borrow::Cow;
use std::io::Cursor;
use std::panic::{self, AssertUnwindSafe};

use image::codecs::jpeg::JpegDecoder;
use image::codecs::png::PngDecoder;
use image::error::{ImageError, LimitErrorKind};
use image::{DynamicImage, ImageDecoder, Limits};

use crate::error::{Error, Result};

pub use render::{render_png, render_svg, render_terminal};

/// The largest image file read. Phone photos are 2–15 MB as JPEG and a full-resolution
/// 50 MP photo about 25 MB; a screenshot PNG of a 4K screen under 10 MB. 50 MB leaves
/// room for all of them while refusing what is no photo or screenshot.
pub const MAX_IMAGE_BYTES: usize = 50 * 1024 * 1024;

/// The largest image read, in pixels. Phones with 48–50 MP sensors save full-resolution
/// photos of up to 50 MP; a decoded 50 MP image takes 150 MB as RGB and 50 MB as grey,
/// which a phone can still afford once. Larger is no photo a user takes of a screen.
pub const MAX_PIXELS: u64 = 50_000_000;

/// The most memory the image decoders may take at once: a 50 MP RGBA image at 8 bits
/// a channel. A 16-bit RGBA image that large is refused instead.
const MAX_DECODER_ALLOC: u64 = MAX_PIXELS * 4;

/// Which limit an image went over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageLimit {
    /// The file is over [`MAX_IMAGE_BYTES`].
    Bytes { max: usize },
    /// The picture is over [`MAX_PIXELS`], or needs too much memory to decode.
    Pixels { max: u64 },
}

/// What is wrong with a camera frame's description.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FrameProblem {
    /// Width or height is zero.
    ZeroSize,
    /// The row stride is smaller than the width.
    StrideTooSmall,
    /// The buffer is shorter than `row_stride * (height - 1) + width` bytes.
    BufferTooShort,
}

/// The texts of every QR code in a PNG or JPEG image, distinct, in a stable order.
pub fn decode_image(bytes: &[u8]) -> Result<Vec<String>> {
    let grey = load_grey(bytes)?;
    decode_grey(grey.width, grey.height, &grey.pixels)
}

/// The texts of every QR code in a camera frame's luma (Y) plane, as Android CameraX
/// `ImageAnalysis` (plane 0 of `YUV_420_888`, whose pixel stride is 1) and iOS
/// `CVPixelBuffer` (plane 0 of a bi-planar YCbCr buffer) hand it over: `height` rows of
/// `width` bytes, each row starting `row_stride` bytes after the previous one. The last
/// row needs no padding after it.
pub fn decode_luma(width: u32, height: u32, row_stride: u32, bytes: &[u8]) -> Result<Vec<String>> {
    if width == 0 || height == 0 {
        return Err(Error::InvalidFrame {
            reason: FrameProblem::ZeroSize,
        });
    }
    if row_stride < width {
        return Err(Error::InvalidFrame {
            reason: FrameProblem::StrideTooSmall,
        });
    }
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(Error::ImageTooLarge {
            limit: ImageLimit::Pixels { max: MAX_PIXELS },
        });
    }
    let (width, height, stride) = (width as usize, height as usize, row_stride as usize);
    let needed = stride
        .checked_mul(height - 1)
        .and_then(|n| n.checked_add(width));
    if needed.is_none_or(|n| bytes.len() < n) {
        return Err(Error::InvalidFrame {
            reason: FrameProblem::BufferTooShort,
        });
    }
    let pixels: Cow<'_, [u8]> = if stride == width {
        Cow::Borrowed(&bytes[..width * height])
    } else {
        Cow::Owned(
            bytes
                .chunks(stride)
                .take(height)
                .flat_map(|row| &row[..width])
                .copied()
                .collect(),
        )
    };
    decode_grey(width, height, &pixels)
}

fn decode_grey(width: usize, height: usize, pixels: &[u8]) -> Result<Vec<String>> {
    let texts = scan::scan(&scan::Grey {
        width,
        height,
        pixels,
    });
    if texts.is_empty() {
        Err(Error::NoQrCode)
    } else {
        Ok(texts)
    }
}

#[derive(Clone, Copy)]
enum Format {
    Png,
    Jpeg,
}

/// Tells the format by the file's signature, not by a name or a MIME type that may lie.
fn sniff(bytes: &[u8]) -> Option<Format> {
    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n";
    const JPEG: &[u8] = b"\xff\xd8\xff";
    if bytes.starts_with(PNG) {
        Some(Format::Png)
    } else if bytes.starts_with(JPEG) {
        Some(Format::Jpeg)
    } else {
        None
    }
}

/// A decoded image file, one byte a pixel.
struct GreyImage {
    width: usize,
    height: usize,
    pixels: Vec<u8>,
}

/// Decodes a PNG or JPEG file into grey pixels, after checking its declared size.
fn load_grey(bytes: &[u8]) -> Result<GreyImage> {
    if bytes.is_empty() {
        return Err(Error::EmptyImage);
    }
    if bytes.len() > MAX_IMAGE_BYTES {
        return Err(Error::ImageTooLarge {
            limit: ImageLimit::Bytes {
                max: MAX_IMAGE_BYTES,
            },
        });
    }
    let format = sniff(bytes).ok_or(Error::UnsupportedImage)?;
    // The png and jpeg decoders are third-party code fed with untrusted bytes.
    panic::catch_unwind(AssertUnwindSafe(|| match format {
        Format::Png => decode_with(PngDecoder::new(Cursor::new(bytes))),
        Format::Jpeg => decode_with(JpegDecoder::new(Cursor::new(bytes))),
    }))
    .unwrap_or(Err(Error::UnsupportedImage))
}

fn decode_with(decoder: image::ImageResult<impl ImageDecoder>) -> Result<GreyImage> {
    let mut decoder = decoder.map_err(image_error)?;
    let (width, height) = decoder.dimensions();
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(Error::ImageTooLarge {
            limit: ImageLimit::Pixels { max: MAX_PIXELS },
        });
    }
    let mut limits = Limits::default();
    limits.max_alloc = Some(MAX_DECODER_ALLOC);
    decoder.set_limits(limits).map_err(image_error)?;
    let image = DynamicImage::from_decoder(decoder).map_err(image_error)?;
    Ok(to_grey(image))
}

/// Grey pixels of an image, with transparent parts laid over white: exported QR images
/// often draw the dark modules on a transparent background, which read as black
/// otherwise.
fn to_grey(image: DynamicImage) -> GreyImage {
    let (width, height) = (image.width() as usize, image.height() as usize);
    let pixels = if image.color().has_alpha() {
        image
            .into_luma_alpha8()
            .into_raw()
            .chunks_exact(2)
            .map(|la| {
                let (luma, alpha) = (u32::from(la[0]), u32::from(la[1]));
                // luma·α + white·(1−α), rounded; at most 255.
                ((luma * alpha + 255 * (255 - alpha) + 127) / 255) as u8
            })
            .collect()
    } else {
        image.into_luma8().into_raw()
    };
    GreyImage {
        width,
        height,
        pixels,
    }
}

fn image_error(error: ImageError) -> Error {
    match error {
        ImageError::Limits(limit)
            if matches!(
                limit.kind(),
                LimitErrorKind::InsufficientMemory | LimitErrorKind::DimensionError
            ) =>
        {
            Error::ImageTooLarge {
                limit: ImageLimit::Pixels { max: MAX_PIXELS },
            }
        }
        _ => Error::UnsupportedImage,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;
    use image::{ExtendedColorType, ImageEncoder};
    use proptest::prelude::*;

    const EPROC: &str = "otpauth://totp/eproc%20TRF4:12345678900?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=eproc%20TRF4";
    const OTHER: &str = "otpauth://totp/eproc%20TJRS:98765432100?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=eproc%20TJRS";

    /// A grey picture for tests, 255 white.
    struct Picture {
        w: usize,
        h: usize,
        px: Vec<u8>,
    }

    impl Picture {
        fn blank(w: usize, h: usize) -> Self {
            Picture {
                w,
                h,
                px: vec![255; w * h],
            }
        }

        /// Draws the QR code of `text` (with its quiet zone) with its top-left corner
        /// at (x, y).
        fn draw_code(&mut self, text: &str, module: usize, x: usize, y: usize) {
            let code = qrcode::QrCode::new(text.as_bytes()).expect("test text fits");
            let n = code.width();
            let colors = code.to_colors();
            for my in 0..n + 8 {
                for mx in 0..n + 8 {
                    let inside = (4..n + 4).contains(&mx) && (4..n + 4).contains(&my);
                    let dark = inside && colors[(my - 4) * n + mx - 4] == qrcode::Color::Dark;
                    for dy in 0..module {
                        for dx in 0..module {
                            self.px[(y + my * module + dy) * self.w + x + mx * module + dx] =
                                if dark { 0 } else { 255 };
                        }
                    }
                }
            }
        }

        fn code(text: &str, module: usize) -> Self {
            let side = (qrcode::QrCode::new(text.as_bytes()).expect("fits").width() + 8) * module;
            let mut p = Picture::blank(side, side);
            p.draw_code(text, module, 0, 0);
            p
        }

        /// Turned by `degrees` about its centre onto a white canvas large enough for
        /// any angle (bilinear sampling).
        fn rotated(&self, degrees: f64) -> Self {
            let side = ((self.w.max(self.h) as f64) * 1.5).ceil() as usize;
            let mut out = Picture::blank(side, side);
            let (s, c) = degrees.to_radians().sin_cos();
            let (cx, cy) = (side as f64 / 2.0, side as f64 / 2.0);
            let (sx, sy) = (self.w as f64 / 2.0, self.h as f64 / 2.0);
            for y in 0..side {
                for x in 0..side {
                    let (dx, dy) = (x as f64 + 0.5 - cx, y as f64 + 0.5 - cy);
                    let u = c * dx + s * dy + sx - 0.5;
                    let v = -s * dx + c * dy + sy - 0.5;
                    if u < 0.0 || v < 0.0 || u > (self.w - 1) as f64 || v > (self.h - 1) as f64 {
                        continue;
                    }
                    let (x0, y0) = (u as usize, v as usize);
                    let (x1, y1) = ((x0 + 1).min(self.w - 1), (y0 + 1).min(self.h - 1));
                    let (fx, fy) = (u - x0 as f64, v - y0 as f64);
                    let at = |xx: usize, yy: usize| f64::from(self.px[yy * self.w + xx]);
                    let top = at(x0, y0) * (1.0 - fx) + at(x1, y0) * fx;
                    let bottom = at(x0, y1) * (1.0 - fx) + at(x1, y1) * fx;
                    out.px[y * side + x] = (top * (1.0 - fy) + bottom * fy).round() as u8;
                }
            }
            out
        }

        fn map(mut self, f: impl Fn(u8) -> u8) -> Self {
            self.px.iter_mut().for_each(|p| *p = f(*p));
            self
        }

        /// Uniform noise of ± `amplitude`, from a fixed seed.
        fn noisy(mut self, amplitude: i32) -> Self {
            let mut state = 0x2545_F491_4F6C_DD1Du64;
            for p in &mut self.px {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                let n = (state % (2 * amplitude as u64 + 1)) as i32 - amplitude;
                *p = (i32::from(*p) + n).clamp(0, 255) as u8;
            }
            self
        }

        /// A box blur of the given radius, horizontally then vertically.
        fn blurred(mut self, radius: usize) -> Self {
            for pass in 0..2 {
                let src = self.px.clone();
                for y in 0..self.h {
                    for x in 0..self.w {
                        let (mut sum, mut n) = (0u32, 0u32);
                        for k in 0..=2 * radius {
                            let (xx, yy) = if pass == 0 {
                                ((x + k).wrapping_sub(radius), y)
                            } else {
                                (x, (y + k).wrapping_sub(radius))
                            };
                            if xx < self.w && yy < self.h {
                                sum += u32::from(src[yy * self.w + xx]);
                                n += 1;
                            }
                        }
                        self.px[y * self.w + x] = (sum / n) as u8;
                    }
                }
            }
            self
        }

        fn decode(&self) -> Result<Vec<String>> {
            decode_luma(self.w as u32, self.h as u32, self.w as u32, &self.px)
        }

        fn png(&self) -> Vec<u8> {
            let mut out = Vec::new();
            image::codecs::png::PngEncoder::new(&mut out)
                .write_image(
                    &self.px,
                    self.w as u32,
                    self.h as u32,
                    ExtendedColorType::L8,
                )
                .expect("encodes");
            out
        }
    }

    fn code_of<T>(result: Result<T>) -> ErrorCode {
        match result {
            Ok(_) => panic!("expected an error"),
            Err(e) => e.code(),
        }
    }

    #[test]
    fn reads_a_clean_code_from_a_png() {
        let png = Picture::code(EPROC, 4).png();
        assert_eq!(decode_image(&png).unwrap(), vec![EPROC]);
    }

    #[test]
    fn reads_a_jpeg_photo_of_a_code() {
        let picture = Picture::code(EPROC, 5).rotated(12.0).noisy(20);
        let mut jpeg = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 40)
            .write_image(
                &picture.px,
                picture.w as u32,
                picture.h as u32,
                ExtendedColorType::L8,
            )
            .unwrap();
        assert_eq!(decode_image(&jpeg).unwrap(), vec![EPROC]);
    }

    #[test]
    fn reads_colour_and_transparent_pngs() {
        let code = Picture::code(EPROC, 4);
        // Dark blue on pale yellow.
        let rgb: Vec<u8> = code
            .px
            .iter()
            .flat_map(|&p| {
                if p == 0 {
                    [10, 30, 120]
                } else {
                    [250, 245, 200]
                }
            })
            .collect();
        let mut png = Vec::new();
        image::codecs::png::PngEncoder::new(&mut png)
            .write_image(&rgb, code.w as u32, code.h as u32, ExtendedColorType::Rgb8)
            .unwrap();
        assert_eq!(decode_image(&png).unwrap(), vec![EPROC]);
        // Black modules on a transparent background: read as black on white.
        let rgba: Vec<u8> = code
            .px
            .iter()
            .flat_map(|&p| if p == 0 { [0, 0, 0, 255] } else { [0, 0, 0, 0] })
            .collect();
        let mut png = Vec::new();
        image::codecs::png::PngEncoder::new(&mut png)
            .write_image(
                &rgba,
                code.w as u32,
                code.h as u32,
                ExtendedColorType::Rgba8,
            )
            .unwrap();
        assert_eq!(decode_image(&png).unwrap(), vec![EPROC]);
    }

    #[test]
    fn reads_rotated_codes() {
        let code = Picture::code(EPROC, 4);
        for degrees in [0.0, 17.0, 45.0, 90.0, 133.0, 180.0, 222.0, 270.0, 315.0] {
            assert_eq!(
                code.rotated(degrees).decode().unwrap(),
                vec![EPROC],
                "{degrees}°"
            );
        }
    }

    #[test]
    fn reads_inverted_codes() {
        // Dark-mode screenshots: light modules on a dark page.
        let inverted = Picture::code(EPROC, 4).map(|p| 255 - p);
        assert_eq!(inverted.decode().unwrap(), vec![EPROC]);
        let dim = Picture::code(EPROC, 3)
            .rotated(30.0)
            .map(|p| if p > 127 { 35 } else { 225 });
        assert_eq!(dim.decode().unwrap(), vec![EPROC]);
    }

    #[test]
    fn reads_noisy_and_low_contrast_codes() {
        let noisy = Picture::code(EPROC, 5).rotated(8.0).noisy(120);
        assert_eq!(noisy.decode().unwrap(), vec![EPROC]);
        // Dark modules at 120, light at 140: a hazy photo of a dim screen.
        let flat = Picture::code(EPROC, 4).map(|p| 120 + p / 12).noisy(2);
        assert_eq!(flat.decode().unwrap(), vec![EPROC]);
    }

    #[test]
    fn reads_blurred_codes() {
        // Out of focus by about half a module, and a little sensor noise.
        let blurred = Picture::code(EPROC, 6)
            .rotated(8.0)
            .blurred(3)
            .blurred(3)
            .noisy(10);
        assert_eq!(blurred.decode().unwrap(), vec![EPROC]);
    }

    #[test]
    fn reads_every_code_in_an_image_once() {
        let one = Picture::code(EPROC, 4);
        let mut page = Picture::blank(one.w * 3 + 100, one.h + 80);
        page.draw_code(EPROC, 4, 10, 40);
        page.draw_code(OTHER, 4, one.w + 40, 40);
        page.draw_code(EPROC, 4, 2 * one.w + 60, 40);
        let mut texts = page.decode().unwrap();
        texts.sort();
        let mut expected = vec![EPROC, OTHER];
        expected.sort();
        assert_eq!(texts, expected);
        // The same input gives the same order.
        assert_eq!(page.decode().unwrap(), page.decode().unwrap());
    }

    #[test]
    fn reads_a_frame_with_row_padding() {
        let code = Picture::code(EPROC, 3);
        for stride in [code.w + 1, code.w + 7, code.w + 64] {
            // Padding bytes of a pattern that must never be read as pixels.
            let mut frame = vec![0u8; stride * (code.h - 1) + code.w];
            for (y, row) in code.px.chunks(code.w).enumerate() {
                frame[y * stride..y * stride + code.w].copy_from_slice(row);
            }
            let texts = decode_luma(code.w as u32, code.h as u32, stride as u32, &frame);
            assert_eq!(texts.unwrap(), vec![EPROC], "stride {stride}");
        }
    }

    #[test]
    fn no_code_is_a_typed_error() {
        assert_eq!(
            code_of(Picture::blank(640, 480).decode()),
            ErrorCode::NoQrCode
        );
        let noise = Picture::blank(320, 240).map(|_| 128).noisy(127);
        assert_eq!(code_of(noise.decode()), ErrorCode::NoQrCode);
        assert_eq!(
            code_of(decode_image(&Picture::blank(64, 64).png())),
            ErrorCode::NoQrCode
        );
    }

    #[test]
    fn bad_files_are_typed_errors() {
        assert_eq!(code_of(decode_image(&[])), ErrorCode::EmptyImage);
        assert_eq!(
            code_of(decode_image(b"hello, world")),
            ErrorCode::UnsupportedImage
        );
        assert_eq!(
            code_of(decode_image(b"GIF89a\x01\x00\x01\x00")),
            ErrorCode::UnsupportedImage
        );
        assert_eq!(
            code_of(decode_image(b"\x89PNG\r\n\x1a\n")),
            ErrorCode::UnsupportedImage
        );
        assert_eq!(
            code_of(decode_image(b"\xff\xd8\xff\xe0garbage")),
            ErrorCode::UnsupportedImage
        );
        let png = Picture::code(EPROC, 4).png();
        assert_eq!(
            code_of(decode_image(&png[..png.len() / 2])),
            ErrorCode::UnsupportedImage
        );
        let too_big = vec![0u8; MAX_IMAGE_BYTES + 1];
        assert_eq!(code_of(decode_image(&too_big)), ErrorCode::ImageTooLarge);
    }

    /// A PNG chunk: length, type, data, CRC-32 of type and data.
    fn chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
        let mut crc = 0xFFFF_FFFFu32;
        for &byte in kind.iter().chain(data) {
            crc ^= u32::from(byte);
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
            }
        }
        let mut out = (data.len() as u32).to_be_bytes().to_vec();
        out.extend_from_slice(kind);
        out.extend_from_slice(data);
        out.extend_from_slice(&(!crc).to_be_bytes());
        out
    }

    #[test]
    fn huge_dimensions_in_a_tiny_file_are_refused_before_decoding() {
        for (w, h) in [
            (100_000u32, 100_000u32),
            (10_000, 5_001),
            (u32::MAX >> 1, 1),
        ] {
            let mut ihdr = w.to_be_bytes().to_vec();
            ihdr.extend_from_slice(&h.to_be_bytes());
            ihdr.extend_from_slice(&[8, 0, 0, 0, 0]); // 8-bit grey, no interlace
            let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
            png.extend(chunk(b"IHDR", &ihdr));
            png.extend(chunk(b"IDAT", &[0x78, 0x9c, 0x03, 0x00]));
            png.extend(chunk(b"IEND", &[]));
            assert_eq!(
                code_of(decode_image(&png)),
                ErrorCode::ImageTooLarge,
                "{w}×{h}"
            );
        }
    }

    #[test]
    fn bad_frames_are_typed_errors() {
        let frame = Picture::code(EPROC, 3);
        let (w, h) = (frame.w as u32, frame.h as u32);
        let invalid = |r: Result<Vec<String>>| match r {
            Err(Error::InvalidFrame { reason }) => reason,
            other => panic!("expected invalid_frame, got {other:?}"),
        };
        assert_eq!(
            invalid(decode_luma(0, h, w, &frame.px)),
            FrameProblem::ZeroSize
        );
        assert_eq!(
            invalid(decode_luma(w, 0, w, &frame.px)),
            FrameProblem::ZeroSize
        );
        assert_eq!(
            invalid(decode_luma(w, h, 0, &frame.px)),
            FrameProblem::StrideTooSmall
        );
        assert_eq!(
            invalid(decode_luma(w, h, w - 1, &frame.px)),
            FrameProblem::StrideTooSmall
        );
        let short = &frame.px[..frame.px.len() - 1];
        assert_eq!(
            invalid(decode_luma(w, h, w, short)),
            FrameProblem::BufferTooShort
        );
        assert_eq!(
            invalid(decode_luma(w, h, w + 1, &frame.px)),
            FrameProblem::BufferTooShort
        );
        assert_eq!(
            invalid(decode_luma(w, h, w, &[])),
            FrameProblem::BufferTooShort
        );
        // A stride whose product with the height overflows 32 bits.
        assert_eq!(
            invalid(decode_luma(16, 3, u32::MAX, &frame.px)),
            FrameProblem::BufferTooShort
        );
        assert_eq!(
            code_of(decode_luma(u32::MAX, u32::MAX, u32::MAX, &[])),
            ErrorCode::ImageTooLarge
        );
        assert_eq!(
            code_of(decode_luma(10_000, 5_001, 10_000, &[])),
            ErrorCode::ImageTooLarge
        );
        // The last row needs no padding after it.
        let mut padded = vec![255u8; (frame.w + 3) * (frame.h - 1) + frame.w];
        for (y, row) in frame.px.chunks(frame.w).enumerate() {
            padded[y * (frame.w + 3)..][..frame.w].copy_from_slice(row);
        }
        assert_eq!(decode_luma(w, h, w + 3, &padded).unwrap(), vec![EPROC]);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn any_bytes_give_a_result_not_a_panic(
            prefix in prop::sample::select(vec![&b""[..], b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff"]),
            tail in prop::collection::vec(any::<u8>(), 0..2048),
        ) {
            let mut bytes = prefix.to_vec();
            bytes.extend(tail);
            let _ = decode_image(&bytes);
        }

        #[test]
        fn damaged_pngs_give_a_result_not_a_panic(
            flips in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
        ) {
            let mut png = Picture::code(OTHER, 2).png();
            for (at, byte) in flips {
                let i = at.index(png.len());
                png[i] = byte;
            }
            let _ = decode_image(&png);
        }

        #[test]
        fn any_frame_gives_a_result_not_a_panic(
            w in 0u32..80, h in 0u32..80, pad in 0u32..5,
            bytes in prop::collection::vec(any::<u8>(), 0..8000),
        ) {
            let _ = decode_luma(w, h, w + pad, &bytes);
        }
    }
}
