//! An input read once and kept in Rust: the add-key screens preview it, the user
//! confirms, and the vault stores it from here. The keys never travel to the app and
//! back; the app refers to them by their index in `items()`.

use std::sync::Arc;

use zeroize::Zeroizing;

use super::{A2fError, CodePreview, ErrorInfo, ImportPreview, current_lang};
use crate::error::Error;
use crate::import::{self, ParsedKey};
use crate::otp::UnixTime;
use crate::report::Report;

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

/// Reads a scanned, pasted or typed text, or the text of a file: an otpauth URI, a key
/// as eproc shows it, a Google Authenticator transfer, a list of URIs, an Aegis JSON
/// export. Fails only when the input cannot be read at all; otherwise each item says
/// whether it could.
#[uniffi::export]
pub fn read_import(text: String) -> Result<Arc<ParsedImport>, A2fError> {
    // The text holds keys: our copy is wiped once read.
    let text = Zeroizing::new(text);
    let report = import::read_text(&text)?;
    Ok(Arc::new(ParsedImport { report }))
}

impl ParsedImport {
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
        self.report
            .transfers
            .iter()
            .filter_map(|t| {
                Some(IncompleteTransfer {
                    batch_size: t.batch_size,
                    missing: t.missing.iter().map(|m| m.saturating_add(1)).collect(),
                    message: t.describe_missing(lang)?,
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
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
    fn unreadable_input_fails_whole() {
        assert_eq!(read_import(" ".into()).unwrap_err().code(), "empty_input");
        let single = read_import(KEY.into()).unwrap();
        assert_eq!(single.items()[0].place, None);
        assert_eq!(single.codes(-1).unwrap_err().code(), "time_out_of_range");
    }
}
