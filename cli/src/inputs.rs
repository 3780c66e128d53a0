//! The INPUT arguments: an otpauth URI, a typed key, a file, or `-` for standard input.

use std::io::Read;
use std::path::Path;

use eproc_a2f_core::i18n::Lang;
use eproc_a2f_core::import::{self, ParsedKey};
use eproc_a2f_core::otpauth;
use eproc_a2f_core::report::{Locator, Report};
use zeroize::Zeroizing;

use crate::output::{CliError, Out};

/// The largest input file read: a photo from a phone is a few MB; an export of a
/// thousand keys a few hundred KB.
const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// One INPUT, read. Its `source` names it in reports without repeating it: an argument
/// may be a key, so it is named by position (`arg:2`), a file by its path.
pub struct Input {
    pub source: String,
    pub bytes: Zeroizing<Vec<u8>>,
}

pub fn read(arg: &str, position: usize) -> Result<Input, CliError> {
    if arg == "-" {
        let mut bytes = Zeroizing::new(Vec::new());
        std::io::stdin()
            .take(MAX_FILE_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| CliError::read_file(Path::new("-"), &e))?;
        return too_large_check(Path::new("-"), bytes.len() as u64).map(|()| Input {
            source: "stdin".into(),
            bytes,
        });
    }
    let path = Path::new(arg);
    if !otpauth::has_scheme(arg) && (path.is_file() || looks_like_path(arg)) {
        let file = std::fs::File::open(path).map_err(|e| CliError::read_file(path, &e))?;
        let size = file
            .metadata()
            .map_err(|e| CliError::read_file(path, &e))?
            .len();
        too_large_check(path, size)?;
        let mut bytes = Zeroizing::new(Vec::with_capacity(size as usize));
        file.take(MAX_FILE_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| CliError::read_file(path, &e))?;
        too_large_check(path, bytes.len() as u64)?;
        return Ok(Input {
            source: arg.into(),
            bytes,
        });
    }
    Ok(Input {
        source: format!("arg:{position}"),
        bytes: Zeroizing::new(arg.as_bytes().to_vec()),
    })
}

fn too_large_check(path: &Path, size: u64) -> Result<(), CliError> {
    if size > MAX_FILE_BYTES {
        return Err(CliError::read_file(
            path,
            &std::io::Error::from(std::io::ErrorKind::FileTooLarge),
        ));
    }
    Ok(())
}

/// A key never holds `/`, `\` or `.`: text with them that is not a URI of any scheme
/// names a file, and a missing file is better reported as such than as a bad key.
fn looks_like_path(arg: &str) -> bool {
    arg.contains(['/', '\\', '.']) && !arg.contains("://")
}

/// Names an item in a report: the input, and where in it; in English in JSON, so that
/// scripts can match it whatever the language.
pub fn item_source(source: &str, locator: &Locator, out: &Out) -> String {
    let lang = if out.json { Lang::En } else { out.lang };
    match locator.describe(lang) {
        Some(place) => format!("{source}: {place}"),
        None => source.to_owned(),
    }
}

/// Reads one INPUT item by item: every key it holds (in a QR image, a URI list, a
/// Google transfer, an Aegis export, a URI or a typed key), read or not, with where it
/// was.
pub fn report(arg: &str, position: usize) -> Result<(String, Report), (String, CliError)> {
    let input = read(arg, position).map_err(|e| (format!("arg:{position}"), e))?;
    let report = import::read_bytes(&input.bytes).map_err(|e| (input.source.clone(), e.into()))?;
    Ok((input.source, report))
}

/// Reads an INPUT that must hold exactly one key, and read it whole.
pub fn one_key(arg: &str) -> Result<ParsedKey, CliError> {
    let (_, report) = report(arg, 1).map_err(|(_, e)| e)?;
    let mut keys = report.into_keys()?;
    if keys.len() != 1 {
        return Err(CliError::NotOneKey { found: keys.len() });
    }
    Ok(keys.remove(0))
}
