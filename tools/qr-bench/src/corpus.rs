//! The corpus: fake eproc pages and camera frames of them, each file with the texts of
//! the QR codes it shows (none for the files without a code). Every random choice comes
//! from one seeded generator, so a seed always gives the same files.

use std::f64::consts::PI;
use std::io::{self, Write as _};
use std::path::Path;

use qrcode::{Color, EcLevel, QrCode};

use crate::raster::{Plane, Rgb};
use crate::rng::Rng;

pub const MANIFEST: &str = "manifest.tsv";

/// The categories, in the order the table lists them, with how many files each gets.
pub const CATEGORIES: &[(&str, usize)] = &[
    ("screenshot", 36),
    ("dark", 24),
    ("rotation", 24),
    ("perspective", 24),
    ("blur", 24),
    ("noise", 24),
    ("low_contrast", 24),
    ("uneven_light", 24),
    ("jpeg", 24),
    ("mixed", 30),
    ("two_codes", 16),
    ("migration", 20),
    ("no_qr", 30),
];

/// One file of the corpus and what a perfect reader finds in it.
pub struct Item {
    pub file: String,
    pub category: String,
    pub texts: Vec<String>,
}

/// Writes the corpus and its manifest (`file<TAB>category<TAB>text…`) into `dir`.
pub fn generate(dir: &Path, seed: u64) -> io::Result<Vec<Item>> {
    std::fs::create_dir_all(dir)?;
    let mut items = Vec::new();
    for (c, &(category, count)) in CATEGORIES.iter().enumerate() {
        for i in 0..count {
            // One stream per file: changing one category leaves the others as they were.
            let mut rng =
                Rng::new(seed ^ ((c as u64) << 32 | i as u64).wrapping_mul(0x2545_F491_4F6C_DD1D));
            let stem = format!("{category}-{i:03}");
            let (file, texts) = make(category, i, &stem, dir, &mut rng)?;
            items.push(Item {
                file,
                category: category.to_owned(),
                texts,
            });
        }
    }
    let mut manifest = io::BufWriter::new(std::fs::File::create(dir.join(MANIFEST))?);
    for item in &items {
        write!(manifest, "{}\t{}", item.file, item.category)?;
        for text in &item.texts {
            write!(manifest, "\t{text}")?;
        }
        writeln!(manifest)?;
    }
    manifest.flush()?;
    Ok(items)
}

/// Reads a manifest written by [`generate`].
pub fn read_manifest(dir: &Path) -> io::Result<Vec<Item>> {
    let text = std::fs::read_to_string(dir.join(MANIFEST))?;
    text.lines()
        .filter(|l| !l.is_empty())
        .map(|line| {
            let mut fields = line.split('\t');
            let (Some(file), Some(category)) = (fields.next(), fields.next()) else {
                return Err(io::Error::other(format!("bad manifest line: {line}")));
            };
            Ok(Item {
                file: file.to_owned(),
                category: category.to_owned(),
                texts: fields.map(str::to_owned).collect(),
            })
        })
        .collect()
}

fn make(
    category: &str,
    i: usize,
    stem: &str,
    dir: &Path,
    rng: &mut Rng,
) -> io::Result<(String, Vec<String>)> {
    let frame = if i.is_multiple_of(2) {
        (1280, 720)
    } else {
        (1920, 1080)
    };
    match category {
        "screenshot" | "dark" => {
            let dark = category == "dark";
            let text = eproc_uri(rng);
            // Whole pixels a module, or a browser zoom / HiDPI factor on top.
            let module = *rng.pick(&[2usize, 3, 4, 5, 6]);
            let size = *rng.pick(&[(1366, 768), (1920, 1080), (1440, 900), (1280, 800)]);
            let mut page = page(rng, size, dark, std::slice::from_ref(&text), module).img;
            if i % 3 == 2 {
                let factor = *rng.pick(&[0.8, 1.25, 1.5, 1.75]);
                if module as f64 * factor >= 1.6 {
                    page = page.scaled(factor);
                }
            }
            // Screenshots shared through a chat app arrive as JPEG.
            let file = if i % 4 == 3 {
                let file = format!("{stem}.jpg");
                let quality = rng.int(70, 90) as u8;
                page.save_jpeg(&dir.join(&file), quality)?;
                file
            } else {
                let file = format!("{stem}.png");
                page.save_png(&dir.join(&file))?;
                file
            };
            Ok((file, vec![text]))
        }
        "migration" => {
            let accounts = *rng.pick(&[1usize, 2, 4, 7, 10]);
            let text = migration_uri(rng, accounts);
            if i.is_multiple_of(2) {
                // A phone screenshot of Google Authenticator's transfer screen.
                let module = rng.int(6, 9) as usize;
                let screen = phone_screen(rng, &text, module);
                let file = format!("{stem}.png");
                screen.img.save_png(&dir.join(&file))?;
                Ok((file, vec![text]))
            } else {
                // A photo of that phone's screen, taken with another phone.
                let screen = phone_screen(rng, &text, 6);
                let mut shot = Shot::base(rng, frame);
                shot.module_px = rng.range(3.5, 6.0);
                let plane = shoot(rng, &screen, 6.0, &shot);
                save_frame(&plane, dir, stem, None).map(|f| (f, vec![text]))
            }
        }
        "two_codes" => {
            let texts = vec![eproc_uri(rng), eproc_uri(rng)];
            if i.is_multiple_of(2) {
                let module = *rng.pick(&[3usize, 4, 5]);
                let page = page(rng, (1920, 1080), i % 4 == 2, &texts, module);
                let file = format!("{stem}.png");
                page.img.save_png(&dir.join(&file))?;
                Ok((file, texts))
            } else {
                let module = 8;
                let doc = page(rng, (1500, 900), false, &texts, module);
                let mut shot = Shot::base(rng, frame);
                shot.module_px = rng.range(3.5, 5.0);
                let plane = shoot(rng, &doc, module as f64, &shot);
                save_frame(&plane, dir, stem, None).map(|f| (f, texts))
            }
        }
        "no_qr" => no_qr(i, stem, dir, rng, frame),
        _ => {
            let text = eproc_uri(rng);
            let mut shot = Shot::base(rng, frame);
            shot.degrade(category, rng);
            let module = shot.module_px.ceil().max(4.0) as usize;
            let doc = page(rng, (1280, 860), false, std::slice::from_ref(&text), module);
            let plane = shoot(rng, &doc, module as f64, &shot);
            save_frame(&plane, dir, stem, shot.jpeg).map(|f| (f, vec![text]))
        }
    }
}

fn save_frame(plane: &Plane, dir: &Path, stem: &str, jpeg: Option<u8>) -> io::Result<String> {
    match jpeg {
        Some(quality) => {
            let file = format!("{stem}.jpg");
            plane.save_jpeg(&dir.join(&file), quality)?;
            Ok(file)
        }
        None => {
            let file = format!("{stem}.png");
            plane.save_png(&dir.join(&file))?;
            Ok(file)
        }
    }
}

// ---------------------------------------------------------------------------------
// Payloads

const ISSUERS: &[&str] = &[
    "eproc TRF4",
    "eproc JFPR",
    "eproc JFSC",
    "eproc JFRS",
    "eproc TJRS",
    "eproc TJSC",
    "eproc TJTO",
    "eproc JFRJ",
    "eproc TRF2",
    "eproc TJSP",
    "eproc TJMG",
];

fn cpf(rng: &mut Rng) -> String {
    (0..11)
        .map(|_| char::from(b'0' + rng.int(0, 9) as u8))
        .collect()
}

/// An enrolment URI as eproc shows it: a 160-bit key, 32 base32 characters.
fn eproc_uri(rng: &mut Rng) -> String {
    let issuer = *rng.pick(ISSUERS);
    let encoded = issuer.replace(' ', "%20");
    let secret = data_encoding::BASE32_NOPAD.encode(&rng.bytes(20));
    format!(
        "otpauth://totp/{encoded}:{}?secret={secret}&issuer={encoded}",
        cpf(rng)
    )
}

/// A Google Authenticator transfer URI of `accounts` accounts: the protobuf message the
/// format documents, Base64, percent-encoded.
fn migration_uri(rng: &mut Rng, accounts: usize) -> String {
    fn varint(out: &mut Vec<u8>, mut v: u64) {
        while v >= 0x80 {
            out.push(v as u8 | 0x80);
            v >>= 7;
        }
        out.push(v as u8);
    }
    fn field_bytes(out: &mut Vec<u8>, number: u64, bytes: &[u8]) {
        varint(out, number << 3 | 2);
        varint(out, bytes.len() as u64);
        out.extend_from_slice(bytes);
    }
    fn field_int(out: &mut Vec<u8>, number: u64, v: u64) {
        varint(out, number << 3);
        varint(out, v);
    }
    let mut payload = Vec::new();
    for _ in 0..accounts {
        let issuer = *rng.pick(ISSUERS);
        let mut params = Vec::new();
        field_bytes(&mut params, 1, &rng.bytes(20));
        field_bytes(&mut params, 2, format!("{issuer}:{}", cpf(rng)).as_bytes());
        field_bytes(&mut params, 3, issuer.as_bytes());
        field_int(&mut params, 4, 1);
        field_int(&mut params, 5, 1);
        field_int(&mut params, 6, 2);
        field_bytes(&mut payload, 1, &params);
    }
    field_int(&mut payload, 2, 1);
    field_int(&mut payload, 3, 1);
    field_int(&mut payload, 4, 0);
    field_int(&mut payload, 5, rng.int(1, i32::MAX as i64) as u64);
    let data = data_encoding::BASE64.encode(&payload);
    let data = percent_encoding::utf8_percent_encode(&data, percent_encoding::NON_ALPHANUMERIC);
    format!("otpauth-migration://offline?data={data}")
}

// ---------------------------------------------------------------------------------
// Drawing

/// The modules of a QR code, dark or not, with a quiet zone of four.
struct Modules {
    side: usize,
    dark: Vec<bool>,
}

const QUIET: usize = 4;

fn modules(text: &str) -> Modules {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M)
        .expect("corpus payloads fit in a QR code");
    let inner = code.width();
    let side = inner + 2 * QUIET;
    let mut dark = vec![false; side * side];
    for (i, c) in code.to_colors().iter().enumerate() {
        dark[(i / inner + QUIET) * side + i % inner + QUIET] = *c == Color::Dark;
    }
    Modules { side, dark }
}

fn draw_qr(
    img: &mut Rgb,
    x: i64,
    y: i64,
    m: &Modules,
    module: usize,
    dark: [u8; 3],
    light: [u8; 3],
) {
    for my in 0..m.side {
        for mx in 0..m.side {
            let color = if m.dark[my * m.side + mx] {
                dark
            } else {
                light
            };
            img.fill(
                x + (mx * module) as i64,
                y + (my * module) as i64,
                module as i64,
                module as i64,
                color,
            );
        }
    }
}

/// A line of "words": bars of text height, as text looks to a QR finder.
fn text_line(
    img: &mut Rgb,
    rng: &mut Rng,
    x: i64,
    y: i64,
    width: i64,
    height: i64,
    color: [u8; 3],
) {
    let mut cx = x;
    while cx < x + width {
        let word = rng.int(height, height * 7).min(x + width - cx);
        img.fill(cx, y, word, height, color);
        cx += word + rng.int(height / 2 + 2, height);
    }
}

struct Theme {
    background: [u8; 3],
    bar: [u8; 3],
    bar_text: [u8; 3],
    side: [u8; 3],
    text: [u8; 3],
    qr_dark: [u8; 3],
    qr_light: [u8; 3],
}

const LIGHT: Theme = Theme {
    background: [255, 255, 255],
    bar: [22, 78, 140],
    bar_text: [235, 240, 250],
    side: [240, 242, 245],
    text: [45, 45, 50],
    qr_dark: [0, 0, 0],
    qr_light: [255, 255, 255],
};

/// Dark mode: the page and the QR drawn light on dark.
const DARK: Theme = Theme {
    background: [30, 31, 34],
    bar: [24, 40, 58],
    bar_text: [200, 210, 220],
    side: [42, 44, 48],
    text: [205, 208, 212],
    qr_dark: [232, 232, 232],
    qr_light: [30, 31, 34],
};

/// A drawn page and where its QR codes are: the centre and the longer side of the box
/// around them all, in pixels.
struct Doc {
    img: Rgb,
    centre: (f64, f64),
    side: f64,
}

/// An eproc-like page: top bar, side menu, instructions, the QR code(s) of `texts`
/// side by side (or the empty space where they go), the key as text under them and a
/// button.
fn page(rng: &mut Rng, (w, h): (usize, usize), dark: bool, texts: &[String], module: usize) -> Doc {
    let theme = if dark { &DARK } else { &LIGHT };
    let mut img = Rgb::new(w, h, theme.background);
    let (w, h) = (w as i64, h as i64);
    img.fill(0, 0, w, 56, theme.bar);
    text_line(&mut img, rng, 20, 20, 160, 14, theme.bar_text);
    text_line(&mut img, rng, w - 320, 24, 280, 10, theme.bar_text);
    img.fill(0, 56, 220, h - 56, theme.side);
    for k in 0..((h - 90) / 30) {
        let width = rng.int(90, 170);
        text_line(&mut img, rng, 20, 80 + 30 * k, width, 9, theme.text);
    }
    let content = 250;
    text_line(&mut img, rng, content, 80, 380, 16, theme.text);
    let mut y = 120;
    for _ in 0..3 {
        let width = rng.int(500, (w - content - 40).max(520));
        text_line(&mut img, rng, content, y, width, 9, theme.text);
        y += 22;
    }
    y += 16;
    let mut x = content;
    // Without a code, the space a version-6 code takes.
    let mut tallest = (49 * module) as i64;
    let mut right = content + tallest;
    for (k, text) in texts.iter().enumerate() {
        let m = modules(text);
        let side = (m.side * module) as i64;
        tallest = if k == 0 { side } else { tallest.max(side) };
        draw_qr(&mut img, x, y, &m, module, theme.qr_dark, theme.qr_light);
        text_line(
            &mut img,
            rng,
            x,
            y + side + 14,
            side.min(300),
            10,
            theme.text,
        );
        right = x + side;
        x += side + 60;
    }
    let centre = ((content + right) as f64 / 2.0, (y + tallest / 2) as f64);
    let box_side = (right - content).max(tallest);
    let below = y + tallest + 50;
    img.fill(content, below, 160, 34, theme.bar);
    text_line(
        &mut img,
        rng,
        content + 20,
        below + 12,
        120,
        10,
        theme.bar_text,
    );
    for k in 0..4 {
        let width = rng.int(300, 700);
        text_line(
            &mut img,
            rng,
            content,
            below + 60 + 22 * k,
            width,
            9,
            theme.text,
        );
    }
    Doc {
        img,
        centre,
        side: box_side as f64,
    }
}

/// The project's test images, in `tests/fixtures/` and `samples/`: an eproc-style QR
/// alone, the eproc page with it (light and dark), a phone photo of that page, and a
/// Google Authenticator transfer screen, each with the text its QR code holds; and the
/// page without a code.
pub fn fixtures(dir: &Path, eproc: &str, transfer: &str) -> io::Result<Vec<(String, String)>> {
    std::fs::create_dir_all(dir)?;
    let mut rng = Rng::new(0x00A2_F0E9_F1C7_0001);
    let m = modules(eproc);
    let quiet = 4;
    let module = 8;
    let side = (m.side + 2 * quiet) * module;
    let mut plain = Rgb::new(side, side, [255, 255, 255]);
    let edge = (quiet * module) as i64;
    draw_qr(
        &mut plain,
        edge,
        edge,
        &m,
        module,
        [0, 0, 0],
        [255, 255, 255],
    );
    plain.save_png(&dir.join("eproc-qr.png"))?;
    page(&mut rng, (1366, 768), false, &[eproc.to_owned()], 4)
        .img
        .save_png(&dir.join("eproc-screenshot.png"))?;
    page(&mut rng, (1366, 768), true, &[eproc.to_owned()], 4)
        .img
        .save_png(&dir.join("eproc-screenshot-dark.png"))?;
    let doc = page(&mut rng, (1500, 900), false, &[eproc.to_owned()], 8);
    let mut shot = Shot::base(&mut rng, (1280, 720));
    shot.module_px = 5.0;
    shot.jpeg = Some(85);
    let plane = shoot(&mut rng, &doc, 8.0, &shot);
    let photo = save_frame(&plane, dir, "eproc-photo", Some(85))?;
    phone_screen(&mut rng, transfer, 7)
        .img
        .save_png(&dir.join("google-transfer.png"))?;
    page(&mut rng, (800, 600), false, &[], 4)
        .img
        .save_png(&dir.join("no-qr.png"))?;
    Ok(vec![
        ("eproc-qr.png".into(), eproc.into()),
        ("eproc-screenshot.png".into(), eproc.into()),
        ("eproc-screenshot-dark.png".into(), eproc.into()),
        (photo, eproc.into()),
        ("google-transfer.png".into(), transfer.into()),
    ])
}

/// A phone screenshot (1080×2340) of an authenticator's transfer screen.
fn phone_screen(rng: &mut Rng, text: &str, module: usize) -> Doc {
    let (w, h) = (1080usize, 2340usize);
    let mut img = Rgb::new(w, h, LIGHT.background);
    img.fill(0, 0, w as i64, 90, [240, 240, 240]);
    text_line(&mut img, rng, 60, 150, 600, 34, LIGHT.text);
    for k in 0..3 {
        let width = rng.int(700, 960);
        text_line(&mut img, rng, 60, 240 + 50 * k, width, 22, LIGHT.text);
    }
    let m = modules(text);
    let side = m.side * module;
    let x = (w.saturating_sub(side) / 2) as i64;
    draw_qr(&mut img, x, 450, &m, module, LIGHT.qr_dark, LIGHT.qr_light);
    let below = 450 + side as i64 + 80;
    text_line(&mut img, rng, 60, below, 500, 22, LIGHT.text);
    img.fill(700, h as i64 - 220, 320, 110, [26, 115, 232]);
    Doc {
        img,
        centre: (x as f64 + side as f64 / 2.0, 450.0 + side as f64 / 2.0),
        side: side as f64,
    }
}

// ---------------------------------------------------------------------------------
// Camera frames

#[derive(Clone, Copy)]
enum Light {
    Gradient {
        min: f64,
        angle: f64,
    },
    Vignette {
        edge: f64,
    },
    Shadow {
        factor: f64,
        angle: f64,
        offset: f64,
        softness: f64,
    },
}

/// How a camera sees the page.
struct Shot {
    frame: (usize, usize),
    /// Pixels a module in the frame, before perspective.
    module_px: f64,
    roll: f64,
    yaw: f64,
    pitch: f64,
    blur: f64,
    noise: f64,
    levels: (f32, f32),
    light: Light,
    jpeg: Option<u8>,
    invert: bool,
}

impl Shot {
    /// A decent photo of a screen or a print: slight tilt, slight blur and noise, not
    /// quite black and white, a little uneven light.
    fn base(rng: &mut Rng, frame: (usize, usize)) -> Shot {
        let scale = frame.1 as f64 / 720.0;
        Shot {
            frame,
            module_px: rng.range(3.5, 7.0) * scale,
            roll: rng.range(-10.0, 10.0),
            yaw: rng.range(-12.0, 12.0),
            pitch: rng.range(-12.0, 12.0),
            blur: rng.range(0.4, 0.9) * scale,
            noise: rng.range(2.0, 4.0),
            levels: (rng.range(15.0, 40.0) as f32, rng.range(200.0, 240.0) as f32),
            light: Light::Gradient {
                min: rng.range(0.8, 0.95),
                angle: rng.range(0.0, 2.0 * PI),
            },
            jpeg: None,
            invert: false,
        }
    }

    fn degrade(&mut self, category: &str, rng: &mut Rng) {
        match category {
            "rotation" => self.roll = rng.range(0.0, 360.0),
            "perspective" => {
                let strong = rng.range(30.0, 50.0) * if rng.chance(0.5) { 1.0 } else { -1.0 };
                let other = rng.range(-30.0, 30.0);
                (self.yaw, self.pitch) = if rng.chance(0.5) {
                    (strong, other)
                } else {
                    (other, strong)
                };
                self.roll = rng.range(-20.0, 20.0);
            }
            "blur" => self.blur = self.module_px * rng.range(0.25, 0.5),
            "noise" => self.noise = rng.range(12.0, 35.0),
            "low_contrast" => {
                let mid = rng.range(70.0, 190.0);
                let span = rng.range(25.0, 60.0);
                self.levels = ((mid - span / 2.0) as f32, (mid + span / 2.0) as f32);
            }
            "uneven_light" => {
                self.light = match rng.int(0, 2) {
                    0 => Light::Gradient {
                        min: rng.range(0.15, 0.35),
                        angle: rng.range(0.0, 2.0 * PI),
                    },
                    1 => Light::Vignette {
                        edge: rng.range(0.2, 0.4),
                    },
                    _ => Light::Shadow {
                        factor: rng.range(0.3, 0.55),
                        angle: rng.range(0.0, 2.0 * PI),
                        offset: rng.range(-0.1, 0.1),
                        softness: rng.range(0.002, 0.05),
                    },
                }
            }
            "jpeg" => self.jpeg = Some(rng.int(15, 40) as u8),
            "mixed" => {
                let all = [
                    "rotation",
                    "perspective",
                    "blur",
                    "noise",
                    "low_contrast",
                    "uneven_light",
                    "jpeg",
                ];
                let count = rng.int(2, 3);
                for _ in 0..count {
                    let pick = *rng.pick(&all);
                    self.degrade(pick, rng);
                }
                // Moderate what piled up, so that a careful reader can still succeed.
                self.blur = self.blur.min(self.module_px * 0.35);
                self.noise = self.noise.min(20.0);
                self.jpeg = self.jpeg.map(|q| q.max(30));
                self.invert = rng.chance(0.25);
            }
            _ => {}
        }
    }
}

/// A desk, a keyboard, a monitor's bezel: smooth shapes of many greys.
fn scene(rng: &mut Rng, (w, h): (usize, usize)) -> Plane {
    let mut plane = Plane::new(w, h, rng.range(60.0, 160.0) as f32);
    let blobs: Vec<(f64, f64, f64, f64)> = (0..6)
        .map(|_| {
            (
                rng.range(0.0, w as f64),
                rng.range(0.0, h as f64),
                rng.range(0.1, 0.5) * w as f64,
                rng.range(-70.0, 70.0),
            )
        })
        .collect();
    for y in 0..h {
        for x in 0..w {
            let mut v = 0.0;
            for &(bx, by, r, amp) in &blobs {
                let d2 = ((x as f64 - bx).powi(2) + (y as f64 - by).powi(2)) / (r * r);
                v += amp * (-d2).exp();
            }
            plane.data[y * w + x] += v as f32;
        }
    }
    // A few hard-edged objects: a keyboard's keys, a mug, a bezel.
    for _ in 0..rng.int(3, 8) {
        let (bw, bh) = (rng.range(20.0, 300.0), rng.range(20.0, 200.0));
        let (bx, by) = (rng.range(0.0, w as f64), rng.range(0.0, h as f64));
        let value = rng.range(10.0, 240.0) as f32;
        for y in (by as usize).min(h)..((by + bh) as usize).min(h) {
            for x in (bx as usize).min(w)..((bx + bw) as usize).min(w) {
                plane.data[y * w + x] = value;
            }
        }
    }
    plane
}

/// Photographs `doc`, drawn at `module_doc` pixels a module, with `shot`'s camera,
/// aiming at its QR codes.
fn shoot(rng: &mut Rng, doc: &Doc, module_doc: f64, shot: &Shot) -> Plane {
    let (fw, fh) = shot.frame;
    let mut frame = scene(rng, shot.frame);
    let (qx, qy) = doc.centre;
    let mut scale = shot.module_px / module_doc;
    // Keep the code, tilted, inside the frame.
    let fit = 0.8 * fh as f64 / (doc.side * 1.45);
    scale = scale.min(fit);
    let half = doc.side * scale * 0.75;
    let cx = rng.range(
        half.min(fw as f64 / 2.0),
        (fw as f64 - half).max(fw as f64 / 2.0),
    );
    let cy = rng.range(
        half.min(fh as f64 / 2.0),
        (fh as f64 - half).max(fh as f64 / 2.0),
    );
    let focal = 0.75 * fw as f64;
    let (roll, yaw, pitch) = (
        shot.roll.to_radians(),
        shot.yaw.to_radians(),
        shot.pitch.to_radians(),
    );
    let project = |x: f64, y: f64| {
        // Document point relative to the code's centre, in frame pixels, then rotated
        // in 3D and seen by a pinhole camera at distance `focal`.
        let (mut px, mut py, mut pz) = ((x - qx) * scale, (y - qy) * scale, 0.0);
        (px, py) = (
            px * roll.cos() - py * roll.sin(),
            px * roll.sin() + py * roll.cos(),
        );
        (px, pz) = (
            px * yaw.cos() + pz * yaw.sin(),
            -px * yaw.sin() + pz * yaw.cos(),
        );
        (py, pz) = (
            py * pitch.cos() - pz * pitch.sin(),
            py * pitch.sin() + pz * pitch.cos(),
        );
        let z = focal + pz;
        (cx + focal * px / z, cy + focal * py / z)
    };
    let mut paper = doc.img.grey();
    let (dw, dh) = (paper.w as f64, paper.h as f64);
    let quad = [
        project(0.0, 0.0),
        project(dw, 0.0),
        project(dw, dh),
        project(0.0, dh),
    ];
    if shot.invert {
        paper.invert();
    }
    frame.paste_warped(&paper, quad);
    frame.levels(shot.levels.0, shot.levels.1);
    let light = shot.light;
    frame.light(|x, y| match light {
        Light::Gradient { min, angle } => {
            let t = ((x - 0.5) * angle.cos() + (y - 0.5) * angle.sin() + 0.5).clamp(0.0, 1.0);
            min + (1.0 - min) * t
        }
        Light::Vignette { edge } => {
            let d =
                ((x - 0.5).powi(2) + (y - 0.5).powi(2)).sqrt() / std::f64::consts::FRAC_1_SQRT_2;
            1.0 - (1.0 - edge) * d * d
        }
        Light::Shadow {
            factor,
            angle,
            offset,
            softness,
        } => {
            let s = (x - 0.5) * angle.cos() + (y - 0.5) * angle.sin() - offset;
            let t = 1.0 / (1.0 + (-s / softness).exp());
            factor + (1.0 - factor) * t
        }
    });
    frame.blur(shot.blur);
    frame.noise(rng, shot.noise);
    frame
}

// ---------------------------------------------------------------------------------
// Files without a QR code

fn no_qr(
    i: usize,
    stem: &str,
    dir: &Path,
    rng: &mut Rng,
    frame: (usize, usize),
) -> io::Result<(String, Vec<String>)> {
    let file = format!("{stem}.png");
    let path = dir.join(&file);
    match i % 6 {
        // The enrolment page before the code shows, light and dark.
        0 | 1 => page(rng, (1366, 768), i % 6 == 1, &[], 4)
            .img
            .save_png(&path)?,
        // A camera frame of a page with text only.
        2 => {
            let doc = page(rng, (1280, 860), false, &[], 6);
            let mut shot = Shot::base(rng, frame);
            let kind = *rng.pick(&["rotation", "noise", "blur", "uneven_light"]);
            shot.degrade(kind, rng);
            shoot(rng, &doc, 6.0, &shot).save_png(&path)?;
        }
        // Only the scene, or only noise.
        3 => {
            let mut plane = scene(rng, frame);
            let sigma = rng.range(3.0, 40.0);
            plane.noise(rng, sigma);
            plane.save_png(&path)?;
        }
        // A chequerboard or grid, which is all edges.
        4 => {
            let cell = rng.int(3, 12);
            let mut img = Rgb::new(frame.0, frame.1, [255, 255, 255]);
            for y in (0..frame.1 as i64).step_by(cell as usize) {
                for x in (0..frame.0 as i64).step_by(cell as usize) {
                    if (x / cell + y / cell) % 2 == 0 || rng.chance(0.3) {
                        img.fill(x, y, cell, cell, [0, 0, 0]);
                    }
                }
            }
            img.save_png(&path)?;
        }
        // Three finder patterns with random modules between: a QR without a valid code.
        _ => {
            let module = rng.int(3, 8) as usize;
            let side = 25 + 2 * QUIET;
            let mut dark: Vec<bool> = (0..side * side).map(|_| rng.chance(0.5)).collect();
            for (fx, fy) in [
                (QUIET, QUIET),
                (side - QUIET - 7, QUIET),
                (QUIET, side - QUIET - 7),
            ] {
                for y in 0..7 {
                    for x in 0..7 {
                        let ring = x.min(y).min(6 - x).min(6 - y);
                        dark[(fy + y) * side + fx + x] = ring != 1;
                    }
                }
            }
            for y in 0..side {
                for x in 0..side {
                    if x < QUIET || y < QUIET || x >= side - QUIET || y >= side - QUIET {
                        dark[y * side + x] = false;
                    }
                }
            }
            let m = Modules { side, dark };
            let mut img = Rgb::new(1280, 800, LIGHT.background);
            draw_qr(
                &mut img,
                400,
                200,
                &m,
                module,
                LIGHT.qr_dark,
                LIGHT.qr_light,
            );
            img.save_png(&path)?;
        }
    }
    Ok((file, Vec::new()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payloads_are_what_the_core_reads() {
        let mut rng = Rng::new(7);
        for _ in 0..20 {
            let uri = eproc_uri(&mut rng);
            let keys = eproc_a2f_core::import::parse_text(&uri).unwrap();
            assert_eq!(keys.len(), 1);
            assert!(keys[0].issuer.as_deref().unwrap().starts_with("eproc "));
            assert_eq!(keys[0].key.secret.bits(), 160);
        }
        for accounts in [1, 4, 10] {
            let uri = migration_uri(&mut rng, accounts);
            let part = eproc_a2f_core::migration::parse_uri(&uri).unwrap();
            assert_eq!(part.accounts().len(), accounts);
            assert!(part.accounts().iter().all(Result::is_ok));
        }
    }

    #[test]
    fn one_seed_gives_one_corpus() {
        let (mut a, mut b) = (Rng::new(42), Rng::new(42));
        assert_eq!(eproc_uri(&mut a), eproc_uri(&mut b));
        assert_eq!(migration_uri(&mut a, 3), migration_uri(&mut b, 3));
        let (pa, pb) = (
            page(&mut a, (640, 480), true, &[], 3),
            page(&mut b, (640, 480), true, &[], 3),
        );
        assert_eq!(pa.img.data, pb.img.data);
    }
}
