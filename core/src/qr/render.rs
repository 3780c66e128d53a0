//! Drawing a QR code of a text, to move a key into another app or an automation console.
//! The text holds a key, so every rendering comes back in a `Zeroizing` wrapper; the
//! encoder's own intermediate buffers are not ours to wipe.

use image::ImageEncoder;
use image::codecs::png::PngEncoder;
use qrcode::{Color, EcLevel, QrCode};
use zeroize::Zeroizing;

use crate::error::{Error, Result};

/// The most bytes of any text a code holds at our level M (version 40, byte mode);
/// text of only digits or upper-case letters packs tighter and fits more.
pub const MAX_QR_TEXT_BYTES: usize = 2331;

/// Light modules around the code; the standard asks for four.
const QUIET_ZONE: usize = 4;

/// Pixels per module in the PNG: an eproc URI (version 6, 41 modules) becomes a
/// 392-pixel image, large enough for any phone across a desk.
const PNG_MODULE_PIXELS: usize = 8;

/// Pixels per module in the SVG's own coordinates; viewers scale it anyway.
const SVG_MODULE_PIXELS: u32 = 8;

/// The code's modules, dark (`true`) or light, row by row, with the quiet zone.
struct Modules {
    side: usize,
    dark: Vec<bool>,
}

impl Modules {
    fn is_dark(&self, x: usize, y: usize) -> bool {
        x < self.side && y < self.side && self.dark[y * self.side + x]
    }
}

/// Level M, the usual choice of authenticator apps and otpauth QR generators: it
/// survives a smudge or a glare spot and keeps an eproc URI at version 6.
fn encode(text: &str) -> Result<QrCode> {
    if text.is_empty() {
        return Err(Error::EmptyInput);
    }
    // Bytes in, version chosen by the encoder: too much data is its only failure.
    QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).map_err(|_| {
        Error::QrTextTooLong {
            max_bytes: MAX_QR_TEXT_BYTES,
        }
    })
}

fn modules(text: &str) -> Result<Modules> {
    let code = encode(text)?;
    let inner = code.width();
    let side = inner + 2 * QUIET_ZONE;
    let colors = code.to_colors();
    let mut dark = vec![false; side * side];
    for (i, color) in colors.iter().enumerate() {
        let (x, y) = (i % inner + QUIET_ZONE, i / inner + QUIET_ZONE);
        dark[y * side + x] = *color == Color::Dark;
    }
    Ok(Modules { side, dark })
}

/// A PNG image of the QR code of `text`: black on white, 8 pixels a module, with the
/// quiet zone.
pub fn render_png(text: &str) -> Result<Zeroizing<Vec<u8>>> {
    let modules = modules(text)?;
    let side = modules.side * PNG_MODULE_PIXELS;
    let mut pixels = Zeroizing::new(Vec::with_capacity(side * side));
    for y in 0..side {
        for x in 0..side {
            let dark = modules.is_dark(x / PNG_MODULE_PIXELS, y / PNG_MODULE_PIXELS);
            pixels.push(if dark { 0 } else { 255 });
        }
    }
    // At most (177 + 8) modules × 8 pixels: far inside u32.
    let side = side as u32;
    let mut png = Zeroizing::new(Vec::new());
    PngEncoder::new(&mut *png)
        .write_image(&pixels, side, side, image::ExtendedColorType::L8)
        .map_err(|_| Error::Internal)?;
    Ok(png)
}

/// An SVG image of the QR code of `text`: black on white, with the quiet zone.
pub fn render_svg(text: &str) -> Result<Zeroizing<String>> {
    let code = encode(text)?;
    let svg = code
        .render::<qrcode::render::svg::Color<'_>>()
        .quiet_zone(true)
        .module_dimensions(SVG_MODULE_PIXELS, SVG_MODULE_PIXELS)
        .dark_color(qrcode::render::svg::Color("#000000"))
        .light_color(qrcode::render::svg::Color("#ffffff"))
        .build();
    Ok(Zeroizing::new(svg))
}

/// The QR code of `text` for a terminal: two modules a character cell with Unicode half
/// blocks, and the quiet zone. Each line sets black on bright white with ANSI escapes
/// and resets after itself: a code drawn in the terminal's own colours comes out
/// inverted on dark themes, and many phone scanners cannot read inverted codes.
pub fn render_terminal(text: &str) -> Result<Zeroizing<String>> {
    const START: &str = "\x1b[30;107m";
    const RESET: &str = "\x1b[0m";
    let modules = modules(text)?;
    let mut out = Zeroizing::new(String::new());
    for y in (0..modules.side).step_by(2) {
        out.push_str(START);
        for x in 0..modules.side {
            let cell = match (modules.is_dark(x, y), modules.is_dark(x, y + 1)) {
                (true, true) => '█',
                (true, false) => '▀',
                (false, true) => '▄',
                (false, false) => ' ',
            };
            out.push(cell);
        }
        out.push_str(RESET);
        out.push('\n');
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;
    use crate::qr::{decode_image, decode_luma};

    const EPROC: &str = "otpauth://totp/eproc%20TRF4:12345678900?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=eproc%20TRF4";

    /// About what a Google Authenticator transfer QR of ten accounts holds.
    fn migration_sized() -> String {
        format!(
            "otpauth-migration://offline?data={}",
            "CjEKFGhlbGxvIHdvcmxkIDEyMzQ1Njc4EgplcHJvYyBUUkY0".repeat(18)
        )
    }

    #[test]
    fn png_round_trips() {
        for text in [EPROC.to_owned(), migration_sized()] {
            let png = render_png(&text).unwrap();
            assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
            assert_eq!(decode_image(&png).unwrap(), vec![text]);
        }
    }

    /// Draws the SVG's dark rectangles (`M{x} {y}h{w}v{h}H{x}V{y}`) on a white grey
    /// image, `scale` pixels a unit.
    fn rasterize_svg(svg: &str, scale: usize) -> (usize, Vec<u8>) {
        let size: usize = svg
            .split("width=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .and_then(|s| s.parse().ok())
            .expect("an SVG width");
        let side = size * scale;
        let mut px = vec![255u8; side * side];
        let path = svg
            .split(" d=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .expect("a path");
        for rect in path.split('M').filter(|r| !r.is_empty()) {
            let numbers: Vec<usize> = rect
                .split(|c: char| !c.is_ascii_digit())
                .filter(|n| !n.is_empty())
                .map(|n| n.parse().unwrap())
                .collect();
            let [x, y, w, h, ..] = numbers[..] else {
                panic!("bad rectangle {rect}");
            };
            for yy in y * scale..(y + h) * scale {
                for xx in x * scale..(x + w) * scale {
                    px[yy * side + xx] = 0;
                }
            }
        }
        (side, px)
    }

    #[test]
    fn svg_round_trips() {
        for text in [EPROC.to_owned(), migration_sized()] {
            let svg = render_svg(&text).unwrap();
            assert!(svg.contains("<svg") && svg.ends_with("</svg>"));
            let (side, px) = rasterize_svg(&svg, 1);
            let side = side as u32;
            assert_eq!(decode_luma(side, side, side, &px).unwrap(), vec![text]);
        }
    }

    /// Reads the terminal drawing back into modules, 4 pixels each, and checks that each
    /// line sets its colours and resets them.
    fn rasterize_terminal(drawing: &str) -> (usize, usize, Vec<u8>) {
        const CELL: usize = 4;
        let mut rows: Vec<Vec<bool>> = Vec::new();
        for line in drawing.lines() {
            let cells = line
                .strip_prefix("\x1b[30;107m")
                .and_then(|l| l.strip_suffix("\x1b[0m"))
                .expect("each line sets and resets its colours");
            let (top, bottom): (Vec<bool>, Vec<bool>) = cells
                .chars()
                .map(|c| match c {
                    '█' => (true, true),
                    '▀' => (true, false),
                    '▄' => (false, true),
                    ' ' => (false, false),
                    other => panic!("unexpected {other:?}"),
                })
                .unzip();
            rows.push(top);
            rows.push(bottom);
        }
        let (w, h) = (rows[0].len() * CELL, rows.len() * CELL);
        let mut px = vec![255u8; w * h];
        for (my, row) in rows.iter().enumerate() {
            for (mx, &dark) in row.iter().enumerate() {
                if dark {
                    for y in my * CELL..(my + 1) * CELL {
                        px[y * w + mx * CELL..][..CELL].fill(0);
                    }
                }
            }
        }
        (w, h, px)
    }

    #[test]
    fn terminal_drawing_round_trips_with_a_quiet_zone() {
        let drawing = render_terminal(EPROC).unwrap();
        let lines: Vec<&str> = drawing.lines().collect();
        // Version 6: 41 modules and 4 light ones each side, two a line.
        assert_eq!(lines.len(), 49usize.div_ceil(2));
        let light_line = format!("\x1b[30;107m{}\x1b[0m", " ".repeat(49));
        assert_eq!(lines[0], light_line);
        assert_eq!(lines[1], light_line);
        let (w, h, px) = rasterize_terminal(&drawing);
        assert_eq!(
            decode_luma(w as u32, h as u32, w as u32, &px).unwrap(),
            vec![EPROC]
        );
        let migration = migration_sized();
        let (w, h, px) = rasterize_terminal(&render_terminal(&migration).unwrap());
        assert_eq!(
            decode_luma(w as u32, h as u32, w as u32, &px).unwrap(),
            vec![migration]
        );
    }

    #[test]
    fn text_that_fits_no_code_is_a_typed_error() {
        let code_of = |r: Result<Zeroizing<String>>| r.err().map(|e| e.code());
        assert_eq!(code_of(render_svg("")), Some(ErrorCode::EmptyInput));
        assert_eq!(code_of(render_terminal("")), Some(ErrorCode::EmptyInput));
        let too_long = "a".repeat(MAX_QR_TEXT_BYTES + 1);
        assert_eq!(
            code_of(render_svg(&too_long)),
            Some(ErrorCode::QrTextTooLong)
        );
        assert_eq!(
            code_of(render_terminal(&too_long)),
            Some(ErrorCode::QrTextTooLong)
        );
        assert_eq!(
            render_png(&too_long).err().map(|e| e.code()),
            Some(ErrorCode::QrTextTooLong)
        );
        assert_eq!(
            render_png("").err().map(|e| e.code()),
            Some(ErrorCode::EmptyInput)
        );
        assert!(render_svg(&"a".repeat(MAX_QR_TEXT_BYTES)).is_ok());
    }
}
