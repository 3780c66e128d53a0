//! An input read once and kept in Rust: the add-key screens preview it, the user
//! confirms, and the vault stores it from here. The keys never travel to the app and
//! back; the app refers to them by their index in `items()`.

use std::sync::Arc;

use zeroize::Zeroizing;

use super::{A2fError, CodePreview, ErrorInfo, ImportPreview, current_lang};
use crate::error::Error;
use crate::i18n::Lang;
use crate::import::{self, ParsedKey};
use crate::otp::UnixTime;
use crate::report::{Report, TransferProgress};

/// The code of an item that `read_import` did not hold.
pub const IMPORT_ITEM_NOT_FOUND: &str = "import_item_not_found";

/// What one input held: its keys, read or not, in input order. Close it once the keys
/// are stored or the user gives up: its memory holds the keys until then.
#[derive(Debug, uniffi::Object)]
pub struct ParsedImport {
    report: Report,
}

/// One key of an input, as the add-key screen lists it.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct ImportItem {
    /// Where the item is, for people ("line 3", "QR 2 of 3, account 1"); absent when
    /// the input is a single key.
    pub place: Option<String>,
    /// What the key is, when it could be read.
    pub preview: Option<ImportPreview>,
    /// Why it could not be read.
    pub error: Option<ErrorInfo>,
}

/// A Google Authenticator export whose QR codes were not all read.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct IncompleteTransfer {
    /// How many QR codes the export has.
    pub batch_size: u32,
    /// The missing ones, counted from 1 as Google Authenticator shows them ("2 of 3").
    pub missing: Vec<u32>,
    /// The same, for the user.
    pub message: String,
}

impl IncompleteTransfer {
    /// `None` for a transfer with every part read.
    pub(super) fn new(progress: &TransferProgress, lang: Lang) -> Option<Self> {
        Some(IncompleteTransfer {
            batch_size: progress.batch_size,
            missing: progress
                .missing
                .iter()
                .map(|m| m.saturating_add(1))
                .collect(),
            message: progress.describe_missing(lang)?,
        })
    }
}

/// Reads a scanned, pasted or typed text, or the text of a file: an otpauth URI, a key
/// as eproc shows it, a Google Authenticator transfer, a list of URIs, an Aegis JSON
/// export. Fails only when the input cannot be read at all; otherwise each item says
/// whether it could.
#[uniffi::export]
pub fn read_import(text: String) -> Result<Arc<ParsedImport>, A2fError> {
    // The text holds keys: our copy is wiped once read.
    let text = Zeroizing::new(text);
    let report = import::read_text(&text)?;
    Ok(ParsedImport::new(report))
}

/// Reads a picture file the user picked or shared (a screenshot of eproc's enrolment
/// page, a photo of it, a screenshot of Google Authenticator's transfer QR) by every
/// QR code in it. PNG and JPEG are told by their content; any other file is read as
/// text, so one call also serves the document picker (an Aegis export, a URI list).
/// A picture without a QR code is `InvalidInput` with `no_qr_code`.
#[uniffi::export]
pub fn read_import_image(bytes: Vec<u8>) -> Result<Arc<ParsedImport>, A2fError> {
    // A text file holds keys in plain: wiped once read.
    let bytes = Zeroizing::new(bytes);
    Ok(ParsedImport::new(import::read_bytes(&bytes)?))
}

/// Reads one camera frame by every QR code in it: the luma (Y) plane, `height` rows of
/// `width` bytes, each row starting `row_stride` bytes after the previous one (plane 0
/// of CameraX's `YUV_420_888` with its `rowStride`; plane 0 of a bi-planar
/// `CVPixelBuffer` with its bytes per row). A frame without a QR code is `InvalidInput`
/// with `no_qr_code`: for a live preview, feed frames to a `ScanSession` instead.
#[uniffi::export]
pub fn read_import_frame(
    width: u32,
    height: u32,
    row_stride: u32,
    bytes: Vec<u8>,
) -> Result<Arc<ParsedImport>, A2fError> {
    Ok(ParsedImport::new(import::read_frame(
        width, height, row_stride, &bytes,
    )?))
}

impl ParsedImport {
    pub(super) fn new(report: Report) -> Arc<Self> {
        Arc::new(ParsedImport { report })
    }

    /// One progress per Google export in the input. A picture with several QR codes of
    /// one export reports each code on its own, each missing the others: a part any of
    /// them read is not missing.
    pub(super) fn transfers(&self) -> Vec<TransferProgress> {
        let mut merged: Vec<TransferProgress> = Vec::new();
        for t in &self.report.transfers {
            match merged
                .iter_mut()
                .find(|m| m.batch_id == t.batch_id && m.batch_size == t.batch_size)
            {
                Some(m) => m.missing.retain(|part| t.missing.contains(part)),
                None => merged.push(t.clone()),
            }
        }
        merged
    }

    /// The key at `index`, or why there is none.
    pub(super) fn key(&self, index: u32) -> Result<&ParsedKey, A2fError> {
        let item = usize::try_from(index)
            .ok()
            .and_then(|i| self.report.items.get(i))
            .ok_or_else(|| item_not_found(index))?;
        item.outcome
            .as_ref()
            .map_err(|e| A2fError::from_core(e, current_lang()))
    }

    /// Every item in order, with its index, read or not.
    pub(super) fn outcomes(&self) -> impl Iterator<Item = (u32, Result<&ParsedKey, &Error>)> {
        (0u32..).zip(self.report.items.iter().map(|i| i.outcome.as_ref()))
    }

    pub(super) fn place(&self, index: u32) -> Option<String> {
        let item = self.report.items.get(usize::try_from(index).ok()?)?;
        item.locator.describe(current_lang())
    }
}

fn item_not_found(index: u32) -> A2fError {
    let lang = current_lang();
    let n = u64::from(index) + 1;
    A2fError::NotFound {
        code: IMPORT_ITEM_NOT_FOUND.to_owned(),
        detail: lang.pick(
            format!("A leitura não tem o item {n}."),
            format!("The input has no item {n}."),
        ),
    }
}

#[uniffi::export]
impl ParsedImport {
    /// Every item, in input order: a key's index is its position here.
    pub fn items(&self) -> Vec<ImportItem> {
        let lang = current_lang();
        self.report
            .items
            .iter()
            .map(|item| {
                let (preview, error) = match &item.outcome {
                    Ok(key) => (Some(ImportPreview::new(key, lang)), None),
                    Err(e) => (None, Some(ErrorInfo::new(e, lang))),
                };
                ImportItem {
                    place: item.locator.describe(lang),
                    preview,
                    error,
                }
            })
            .collect()
    }

    /// The codes of every item at `at_unix`, in the order of `items()`; absent for an
    /// item that could not be read. The add-key screen calls it on a timer so the user
    /// can check a key against eproc before saving it.
    pub fn codes(&self, at_unix: i64) -> Result<Vec<Option<CodePreview>>, A2fError> {
        let at = UnixTime::new(at_unix)?;
        Ok(self
            .report
            .items
            .iter()
            .map(|item| {
                item.outcome
                    .as_ref()
                    .ok()
                    .map(|key| CodePreview::from(key.key.view(at)))
            })
            .collect())
    }

    /// The Google Authenticator exports this input holds only part of: ask the user to
    /// scan the missing QR codes too.
    pub fn incomplete_transfers(&self) -> Vec<IncompleteTransfer> {
        let lang = current_lang();
        self.transfers()
            .iter()
            .filter_map(|t| IncompleteTransfer::new(t, lang))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::super::scan::tests::{fixture, frame};
    use super::*;

    const KEY: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

    #[test]
    fn a_list_keeps_good_and_bad_items_in_place() {
        let text = format!(
            "otpauth://totp/eproc%20TRF4:a?secret={KEY}\notpauth://totp/x?digits=6\notpauth://totp/TJRS:b?secret=JBSWY3DPEHPK3PXP"
        );
        let parsed = read_import(text).unwrap();
        let items = parsed.items();
        assert_eq!(items.len(), 3);
        // "linha 1" or "line 1": other tests switch the global language.
        assert!(items[0].place.as_deref().is_some_and(|p| p.ends_with(" 1")));
        let first = items[0].preview.as_ref().unwrap();
        assert_eq!(first.suggested_systems, ["trf4", "jfpr", "jfsc", "jfrs"]);
        assert_eq!(items[1].error.as_ref().unwrap().code, "missing_secret");
        assert!(items[1].preview.is_none());
        assert_eq!(
            items[2].preview.as_ref().unwrap().warnings[0].code,
            "short_key"
        );

        let codes = parsed.codes(59).unwrap();
        assert_eq!(codes[0].as_ref().unwrap().code, "287082");
        assert!(codes[1].is_none());
        assert!(parsed.key(0).is_ok());
        assert_eq!(parsed.key(1).unwrap_err().code(), "missing_secret");
        assert_eq!(parsed.key(3).unwrap_err().code(), IMPORT_ITEM_NOT_FOUND);
        assert_eq!(
            parsed.key(u32::MAX).unwrap_err().code(),
            IMPORT_ITEM_NOT_FOUND
        );
        assert!(parsed.incomplete_transfers().is_empty());
        // The object's Debug goes through the report's, which redacts keys.
        assert!(!format!("{parsed:?}").contains("GEZD"));
    }

    #[test]
    fn pictures_and_frames() {
        let path = format!(
            "{}/../tests/fixtures/eproc-screenshot.png",
            env!("CARGO_MANIFEST_DIR")
        );
        let shot = read_import_image(std::fs::read(path).unwrap()).unwrap();
        assert_eq!(shot.codes(59).unwrap()[0].as_ref().unwrap().code, "287082");
        let listed = read_import_image(fixture("eproc-uri.txt").into_bytes()).unwrap();
        assert_eq!(listed.items().len(), 1, "any other file is read as text");
        let (w, h, stride, blank) = frame(&[]);
        let e = read_import_frame(w, h, stride, blank).unwrap_err();
        assert_eq!(e.code(), "no_qr_code");
        assert_eq!(
            read_import_image(b"\x89PNG\r\n\x1a\n".to_vec())
                .unwrap_err()
                .code(),
            "unsupported_image"
        );

        // Both codes of an export in one frame: each says the other is missing, and
        // the import as a whole has them all.
        let one = fixture("google-migration-1-of-2.txt");
        let (w, h, stride, bytes) = frame(&[&one]);
        let half = read_import_frame(w, h, stride, bytes).unwrap();
        assert_eq!(half.incomplete_transfers()[0].missing, [2]);
        let two = fixture("google-migration-2-of-2.txt");
        let (w, h, stride, bytes) = frame(&[&one, &two]);
        let whole = read_import_frame(w, h, stride, bytes).unwrap();
        assert_eq!(whole.report.transfers.len(), 2);
        assert!(whole.incomplete_transfers().is_empty());
        assert_eq!(whole.items().len(), 5);
    }

    #[test]
    fn unreadable_input_fails_whole() {
        assert_eq!(read_import(" ".into()).unwrap_err().code(), "empty_input");
        let single = read_import(KEY.into()).unwrap();
        assert_eq!(single.items()[0].place, None);
        assert_eq!(single.codes(-1).unwrap_err().code(), "time_out_of_range");
    }
}
