//! Runs decoders over the corpus and prints decode rate and time per image, overall and
//! per category, side by side.
//!
//! A file counts as read when a decoder returns exactly its expected texts: a missed
//! code, a misread text or a code "found" in a file without one are all failures.
//! Time per image covers decoding the file (PNG/JPEG) and finding the codes, not reading
//! it from disk; for zbar it is the wall time of one `zbarimg` run on the file, whose
//! start-up cost is measured apart and printed too.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use rxing::common::HybridBinarizer;
use rxing::multi::MultipleBarcodeReader;
use rxing::qrcode::cpp_port::QrReader;
use rxing::{BarcodeFormat, BinaryBitmap, DecodeHints, Luma8Source};

use crate::corpus::{self, CATEGORIES, Item};

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Decoder {
    /// `eproc_a2f_core::qr::decode_image`, the product's decoder.
    Ours,
    /// rxing alone: one binarization, read as is and inverted.
    Rxing,
    /// rqrr alone: read as is and inverted.
    Rqrr,
    /// `zbarimg --quiet --raw -Sdisable -Sqrcode.enable FILE`.
    Zbar,
}

impl Decoder {
    pub fn parse(name: &str) -> Option<Decoder> {
        match name {
            "ours" => Some(Decoder::Ours),
            "rxing" => Some(Decoder::Rxing),
            "rqrr" => Some(Decoder::Rqrr),
            "zbar" => Some(Decoder::Zbar),
            _ => None,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Decoder::Ours => "ours",
            Decoder::Rxing => "rxing",
            Decoder::Rqrr => "rqrr",
            Decoder::Zbar => "zbar",
        }
    }

    /// The texts found in one file, and how long that took.
    fn run(self, path: &Path) -> (BTreeSet<String>, Duration) {
        let bytes = std::fs::read(path).unwrap_or_default();
        let start = Instant::now();
        let texts = match self {
            Decoder::Ours => eproc_a2f_core::qr::decode_image(&bytes).unwrap_or_default(),
            Decoder::Rxing => grey(&bytes)
                .map(|(w, h, px)| rxing_both(w, h, &px))
                .unwrap_or_default(),
            Decoder::Rqrr => grey(&bytes)
                .map(|(w, h, px)| rqrr_both(w, h, px))
                .unwrap_or_default(),
            Decoder::Zbar => zbar(path),
        };
        (texts.into_iter().collect(), start.elapsed())
    }
}

fn grey(bytes: &[u8]) -> Option<(u32, u32, Vec<u8>)> {
    let img = image::load_from_memory(bytes).ok()?.into_luma8();
    Some((img.width(), img.height(), img.into_raw()))
}

fn rxing_both(width: u32, height: u32, pixels: &[u8]) -> Vec<String> {
    let Ok(source) = Luma8Source::new_with_slice(pixels, width, height) else {
        return Vec::new();
    };
    let mut bitmap = BinaryBitmap::new(HybridBinarizer::new(source));
    let hints = DecodeHints {
        PossibleFormats: Some([BarcodeFormat::QR_CODE].into()),
        TryHarder: Some(true),
        ..DecodeHints::default()
    };
    let mut texts = Vec::new();
    for invert in [false, true] {
        if invert {
            bitmap.invert();
        }
        if let Ok(results) = QrReader.decode_multiple_with_hints(&mut bitmap, &hints) {
            texts.extend(results.iter().map(|r| r.getText().to_owned()));
        }
    }
    texts
}

fn rqrr_both(width: u32, height: u32, mut pixels: Vec<u8>) -> Vec<String> {
    let (w, h) = (width as usize, height as usize);
    let mut texts = Vec::new();
    for invert in [false, true] {
        if invert {
            pixels.iter_mut().for_each(|p| *p = 255 - *p);
        }
        let mut prepared =
            rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| pixels[y * w + x]);
        for grid in prepared.detect_grids() {
            if let Ok((_, text)) = grid.decode() {
                texts.push(text);
            }
        }
    }
    texts
}

fn zbar(path: &Path) -> Vec<String> {
    let output = Command::new("zbarimg")
        .args(["--quiet", "--raw", "-Sdisable", "-Sqrcode.enable"])
        .arg(path)
        .output();
    match output {
        Ok(out) => String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect(),
        Err(e) => {
            eprintln!("zbarimg: {e}");
            Vec::new()
        }
    }
}

/// The median time of `zbarimg` on a 1×1 image: what each run costs before any
/// decoding.
fn zbar_startup(dir: &Path) -> Duration {
    let path = dir.join("startup-probe.png");
    let pixel = image::GrayImage::from_pixel(1, 1, image::Luma([255]));
    if pixel.save(&path).is_err() {
        return Duration::ZERO;
    }
    let mut times: Vec<Duration> = (0..15).map(|_| Decoder::Zbar.run(&path).1).collect();
    let _ = std::fs::remove_file(&path);
    times.sort();
    times[times.len() / 2]
}

struct Outcome {
    ok: bool,
    time: Duration,
}

/// Runs `decoders` over every file of the corpus in `dir` (file by file, decoder after
/// decoder, so that a busy machine slows all of them alike) and prints the table.
pub fn measure(
    dir: &Path,
    decoders: &[Decoder],
    only: Option<&[String]>,
    show_failures: bool,
) -> std::io::Result<()> {
    let mut items = corpus::read_manifest(dir)?;
    if let Some(categories) = only {
        items.retain(|item| categories.contains(&item.category));
    }
    let mut outcomes: Vec<Vec<Outcome>> = decoders.iter().map(|_| Vec::new()).collect();
    for item in &items {
        let expected: BTreeSet<String> = item.texts.iter().cloned().collect();
        for (d, decoder) in decoders.iter().enumerate() {
            let (found, time) = decoder.run(&dir.join(&item.file));
            let ok = found == expected;
            if !ok && show_failures {
                eprintln!(
                    "{:>5} missed {} (expected {}, found {}{})",
                    decoder.name(),
                    item.file,
                    expected.len(),
                    found.len(),
                    if found.is_subset(&expected) {
                        ""
                    } else {
                        ", some wrong"
                    }
                );
            }
            outcomes[d].push(Outcome { ok, time });
        }
    }
    print_table(&items, decoders, &outcomes);
    let position = |d| decoders.iter().position(|x| *x == d);
    if let Some(z) = position(Decoder::Zbar) {
        let startup = zbar_startup(dir);
        println!();
        println!(
            "zbarimg start-up (a 1×1 PNG, median of 15): {:.1} ms",
            ms(startup)
        );
        if let Some(o) = position(Decoder::Ours) {
            verdict(&outcomes[o], &outcomes[z], startup);
        }
    }
    Ok(())
}

/// The goal: more files read than zbar, at under half its time per image. The
/// comparison takes zbar's start-up off its time, which only makes it harder for us.
fn verdict(ours: &[Outcome], zbar: &[Outcome], startup: Duration) {
    let read = |o: &[Outcome]| o.iter().filter(|x| x.ok).count();
    let mean = |o: &[Outcome]| o.iter().map(|x| x.time).sum::<Duration>() / o.len().max(1) as u32;
    let (ours_mean, zbar_net) = (mean(ours), mean(zbar).saturating_sub(startup));
    let met = read(ours) > read(zbar) && ours_mean * 2 < zbar_net;
    println!(
        "goal (more read than zbar, under half its time): {} — read {} vs {} of {}, mean {:.1} ms vs {:.1} ms without start-up",
        if met { "met" } else { "NOT met" },
        read(ours),
        read(zbar),
        ours.len(),
        ms(ours_mean),
        ms(zbar_net)
    );
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn print_table(items: &[Item], decoders: &[Decoder], outcomes: &[Vec<Outcome>]) {
    let mut header = String::from("| category | files |");
    let mut rule = String::from("|---|---:|");
    for d in decoders {
        header.push_str(&format!(
            " {0} read | {0} mean ms | {0} median ms |",
            d.name()
        ));
        rule.push_str("---:|---:|---:|");
    }
    println!("{header}");
    println!("{rule}");
    let mut rows: Vec<(&str, Vec<usize>)> = CATEGORIES
        .iter()
        .map(|(c, _)| {
            let idx = items
                .iter()
                .enumerate()
                .filter(|(_, it)| it.category == *c)
                .map(|(i, _)| i)
                .collect();
            (*c, idx)
        })
        .filter(|(_, idx): &(&str, Vec<usize>)| !idx.is_empty())
        .collect();
    rows.push(("**all**", (0..items.len()).collect()));
    for (name, idx) in rows {
        let mut line = format!("| {name} | {} |", idx.len());
        for per_decoder in outcomes {
            let picked: Vec<&Outcome> = idx.iter().map(|&i| &per_decoder[i]).collect();
            let read = picked.iter().filter(|o| o.ok).count();
            let mut times: Vec<Duration> = picked.iter().map(|o| o.time).collect();
            times.sort();
            let mean = times.iter().sum::<Duration>() / times.len() as u32;
            let median = times[times.len() / 2];
            line.push_str(&format!(
                " {:.1}% | {:.1} | {:.1} |",
                100.0 * read as f64 / idx.len() as f64,
                ms(mean),
                ms(median)
            ));
        }
        println!("{line}");
    }
}
