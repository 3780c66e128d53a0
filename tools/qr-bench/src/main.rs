//! `qr-bench`: writes the project's QR corpus and measures decoders on it.
//!
//! ```text
//! qr-bench generate DIR [--seed N]
//! qr-bench measure DIR [--decoders ours,zbar,rxing,rqrr] [--only CATEGORY,…] [--failures]
//! qr-bench fixtures DIR EPROC_URI_FILE TRANSFER_URI_FILE
//! ```
//!
//! `fixtures` draws the test images the repository keeps in `tests/fixtures/`.
//!
//! `scripts/qr-bench` runs both, ours against zbar; `docs/qr.md` has the numbers.

mod corpus;
mod measure;
mod raster;
mod rng;

use std::path::PathBuf;
use std::process::ExitCode;

use measure::Decoder;

/// The corpus the numbers in docs/qr.md were measured on.
const DEFAULT_SEED: u64 = 0x00A2_F0E9_50C0_0001;

const USAGE: &str = "usage: qr-bench generate DIR [--seed N]\n       qr-bench measure DIR [--decoders ours,zbar,rxing,rqrr] [--only CATEGORY,…] [--failures]\n       qr-bench fixtures DIR EPROC_URI_FILE TRANSFER_URI_FILE";

fn main() -> ExitCode {
    match run(std::env::args().skip(1).collect()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("qr-bench: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: Vec<String>) -> Result<(), String> {
    let (command, rest) = args.split_first().ok_or(USAGE)?;
    let (dir, options) = rest.split_first().ok_or(USAGE)?;
    let dir = PathBuf::from(dir);
    match command.as_str() {
        "generate" => {
            let seed = match options {
                [] => DEFAULT_SEED,
                [flag, n] if flag == "--seed" => n.parse().map_err(|_| format!("bad seed: {n}"))?,
                _ => return Err(USAGE.into()),
            };
            let items = corpus::generate(&dir, seed).map_err(|e| e.to_string())?;
            println!("{} files in {}", items.len(), dir.display());
            Ok(())
        }
        "measure" => {
            let mut decoders = vec![Decoder::Ours, Decoder::Zbar];
            let mut failures = false;
            let mut only = None;
            let mut options = options.iter();
            while let Some(option) = options.next() {
                match option.as_str() {
                    "--failures" => failures = true,
                    "--only" => {
                        let list = options.next().ok_or(USAGE)?;
                        only = Some(list.split(',').map(str::to_owned).collect::<Vec<_>>());
                    }
                    "--decoders" => {
                        let list = options.next().ok_or(USAGE)?;
                        decoders = list
                            .split(',')
                            .map(|d| Decoder::parse(d).ok_or(format!("unknown decoder: {d}")))
                            .collect::<Result<_, _>>()?;
                    }
                    _ => return Err(USAGE.into()),
                }
            }
            measure::measure(&dir, &decoders, only.as_deref(), failures).map_err(|e| e.to_string())
        }
        "fixtures" => {
            let [eproc, transfer] = options else {
                return Err(USAGE.into());
            };
            let read = |p: &String| {
                std::fs::read_to_string(p)
                    .map(|t| t.trim().to_owned())
                    .map_err(|e| format!("{p}: {e}"))
            };
            let written = corpus::fixtures(&dir, &read(eproc)?, &read(transfer)?)
                .map_err(|e| e.to_string())?;
            for (file, text) in written {
                let found = eproc_a2f_core::qr::decode_image(
                    &std::fs::read(dir.join(&file)).map_err(|e| e.to_string())?,
                )
                .map_err(|e| format!("{file}: {e}"))?;
                if found != [text] {
                    return Err(format!("{file} does not read back"));
                }
                println!("{}", dir.join(file).display());
            }
            Ok(())
        }
        _ => Err(USAGE.into()),
    }
}
