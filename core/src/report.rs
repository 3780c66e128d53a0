//! What one input held, item by item: every reader of a many-key format (URI lists,
//! Google transfers, Aegis exports) says, for each key it found, where it was and
//! whether it could be read. One bad item never hides the others; the CLI's `decode`
//! and `import` and the apps turn this into "added, duplicates, invalid with reason".

use crate::error::{Error, Result};
use crate::i18n::Lang;
use crate::import::ParsedKey;

/// Where an item sits in its input. Line numbers count from 1, as editors show them;
/// indexes are 0-based positions in the format itself (the n-th element of Aegis's
/// `entries`, of a transfer's `otp_parameters`, the transfer's `batch_index`).
/// [`Locator::describe`] says it in words, counting from 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Locator {
    /// The input as a whole: one otpauth URI or one typed key.
    Whole,
    /// A line of a text list of URIs.
    Line { line: usize },
    /// An entry of an Aegis export.
    Entry { index: usize },
    /// One of several QR codes in an image, in the order they were found.
    QrCode { index: usize },
    /// An account of a Google Authenticator transfer QR: which QR of how many, and
    /// the line it was on when it came in a text list.
    Account {
        line: Option<usize>,
        batch_index: u32,
        batch_size: u32,
        index: usize,
    },
}

impl Locator {
    /// Where the item is, for people; `None` for the input as a whole.
    pub fn describe(&self, lang: Lang) -> Option<String> {
        match *self {
            Locator::Whole => None,
            Locator::Line { line } => {
                Some(lang.pick(format!("linha {line}"), format!("line {line}")))
            }
            Locator::Entry { index } => {
                let n = index + 1;
                Some(lang.pick(format!("entrada {n}"), format!("entry {n}")))
            }
            Locator::QrCode { index } => {
                let n = index + 1;
                Some(lang.pick(format!("código QR {n}"), format!("QR code {n}")))
            }
            Locator::Account {
                line,
                batch_index,
                batch_size,
                index,
            } => {
                let mut parts = Vec::with_capacity(3);
                if let Some(line) = line {
                    parts.push(lang.pick(format!("linha {line}"), format!("line {line}")));
                }
                if batch_size > 1 {
                    let qr = u64::from(batch_index) + 1;
                    parts.push(lang.pick(
                        format!("QR {qr} de {batch_size}"),
                        format!("QR {qr} of {batch_size}"),
                    ));
                }
                let n = index + 1;
                parts.push(lang.pick(format!("conta {n}"), format!("account {n}")));
                Some(parts.join(", "))
            }
        }
    }
}

/// One key found in an input, read or not.
#[derive(Debug)]
pub struct Item {
    pub locator: Locator,
    pub outcome: Result<ParsedKey>,
}

/// How far the gathering of one Google Authenticator export has come.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TransferProgress {
    pub batch_id: i32,
    pub batch_size: u32,
    /// The `batch_index` of every QR not read yet, in order.
    pub missing: Vec<u32>,
}

impl TransferProgress {
    pub fn is_complete(&self) -> bool {
        self.missing.is_empty()
    }

    /// "QR 2 and 3 of 3 still missing", for people; `None` when nothing is missing.
    pub fn describe_missing(&self, lang: Lang) -> Option<String> {
        if self.is_complete() {
            return None;
        }
        let numbers: Vec<String> = self
            .missing
            .iter()
            .map(|i| (u64::from(*i) + 1).to_string())
            .collect();
        let list = numbers.join(", ");
        let size = self.batch_size;
        Some(lang.pick(
            format!(
                "Transferência do Google Authenticator incompleta: faltam os QR {list} de {size}."
            ),
            format!("Incomplete Google Authenticator transfer: QR {list} of {size} still missing."),
        ))
    }
}

/// Everything one input held.
#[derive(Debug, Default)]
pub struct Report {
    /// In input order.
    pub items: Vec<Item>,
    /// One per Google Authenticator export seen in the input.
    pub transfers: Vec<TransferProgress>,
}

impl Report {
    /// The keys of an input that holds no per-item structure (a URI, a typed key).
    pub fn whole(keys: Vec<ParsedKey>) -> Self {
        Report {
            items: keys
                .into_iter()
                .map(|key| Item {
                    locator: Locator::Whole,
                    outcome: Ok(key),
                })
                .collect(),
            transfers: Vec::new(),
        }
    }

    pub fn keys(&self) -> impl Iterator<Item = &ParsedKey> {
        self.items.iter().filter_map(|i| i.outcome.as_ref().ok())
    }

    /// The items that could not be read, with where they were.
    pub fn errors(&self) -> impl Iterator<Item = (&Locator, &Error)> {
        self.items
            .iter()
            .filter_map(|i| i.outcome.as_ref().err().map(|e| (&i.locator, e)))
    }

    pub fn has_errors(&self) -> bool {
        self.errors().next().is_some()
    }

    /// Every key, or the first item's error when any item failed: for callers that take
    /// an input whole or not at all.
    pub fn into_keys(self) -> Result<Vec<ParsedKey>> {
        self.items.into_iter().map(|i| i.outcome).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret::Secret;

    fn key() -> ParsedKey {
        ParsedKey::bare(Secret::from_bytes(b"12345678901234567890".to_vec()).unwrap())
    }

    #[test]
    fn locators_in_words() {
        let cases = [
            (Locator::Whole, None, None),
            (Locator::Line { line: 3 }, Some("linha 3"), Some("line 3")),
            (
                Locator::Entry { index: 0 },
                Some("entrada 1"),
                Some("entry 1"),
            ),
            (
                Locator::Account {
                    line: None,
                    batch_index: 0,
                    batch_size: 1,
                    index: 4,
                },
                Some("conta 5"),
                Some("account 5"),
            ),
            (
                Locator::Account {
                    line: Some(7),
                    batch_index: 1,
                    batch_size: 3,
                    index: 0,
                },
                Some("linha 7, QR 2 de 3, conta 1"),
                Some("line 7, QR 2 of 3, account 1"),
            ),
        ];
        for (locator, pt, en) in cases {
            assert_eq!(locator.describe(Lang::Pt).as_deref(), pt);
            assert_eq!(locator.describe(Lang::En).as_deref(), en);
        }
    }

    #[test]
    fn into_keys_is_all_or_the_first_error() {
        let report = Report {
            items: vec![
                Item {
                    locator: Locator::Line { line: 1 },
                    outcome: Ok(key()),
                },
                Item {
                    locator: Locator::Line { line: 2 },
                    outcome: Err(Error::MissingSecret),
                },
                Item {
                    locator: Locator::Line { line: 3 },
                    outcome: Err(Error::InvalidDigits),
                },
            ],
            transfers: Vec::new(),
        };
        assert_eq!(report.keys().count(), 1);
        let errors: Vec<_> = report.errors().map(|(l, e)| (*l, e.code())).collect();
        assert_eq!(
            errors,
            [
                (Locator::Line { line: 2 }, crate::ErrorCode::MissingSecret),
                (Locator::Line { line: 3 }, crate::ErrorCode::InvalidDigits)
            ]
        );
        assert!(report.has_errors());
        assert!(matches!(report.into_keys(), Err(Error::MissingSecret)));
        let clean = Report::whole(vec![key(), key()]);
        assert!(!clean.has_errors());
        assert_eq!(clean.into_keys().unwrap().len(), 2);
    }

    #[test]
    fn transfer_progress_in_words() {
        let p = TransferProgress {
            batch_id: 9,
            batch_size: 3,
            missing: vec![1, 2],
        };
        assert!(!p.is_complete());
        assert_eq!(
            p.describe_missing(Lang::En).unwrap(),
            "Incomplete Google Authenticator transfer: QR 2, 3 of 3 still missing."
        );
        assert!(
            p.describe_missing(Lang::Pt)
                .unwrap()
                .contains("QR 2, 3 de 3")
        );
        let done = TransferProgress {
            missing: vec![],
            ..p
        };
        assert!(done.is_complete() && done.describe_missing(Lang::Pt).is_none());
    }
}
