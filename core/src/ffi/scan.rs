//! The camera screen: frames go in one by one while the user points the phone at eproc's
//! QR code or at Google Authenticator's transfer codes, shown one after another. A
//! `ScanSession` gathers what the frames hold, tells the screen after each frame what
//! it has and what is still missing, and hands over one `ParsedImport` at the end.
//!
//! Most frames hold no code, or one already read: those answers are plain values, not
//! errors, so the camera loop never throws for what the camera sees.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use zeroize::Zeroizing;

use super::imports::ParsedImport;
use super::{A2fError, ErrorInfo, current_lang};
use crate::error::Error;
use crate::import;
use crate::migration::{self, Batch, PartAdded};
use crate::qr;
use crate::report::{Item, Locator, Report, TransferProgress};

/// What the codes of the last frame or text did.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Enum)]
pub enum ScanStep {
    /// No QR code in the frame: the usual answer while the camera moves.
    NoCode,
    /// A code not read before: its keys are in the session now.
    Read,
    /// A code the session already has: nothing changed.
    AlreadyRead,
    /// A code of another Google Authenticator export than the one being gathered, or a
    /// part that contradicts one already read (`migration_batch_mismatch`): `error`
    /// tells the user to finish one export first.
    Refused { error: ErrorInfo },
    /// A code that holds no key (a link, a damaged transfer): `error` says why.
    NotAKey { error: ErrorInfo },
}

impl ScanStep {
    /// When one frame holds several codes, the answer is the one that matters most to
    /// the user: something new, then a refusal, then a repeat.
    fn rank(&self) -> u8 {
        match self {
            ScanStep::NoCode => 0,
            ScanStep::NotAKey { .. } => 1,
            ScanStep::AlreadyRead => 2,
            ScanStep::Refused { .. } => 3,
            ScanStep::Read => 4,
        }
    }
}

/// The Google Authenticator export being gathered.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct TransferScan {
    /// How many QR codes the export has.
    pub batch_size: u32,
    /// The ones not read yet, counted from 1 as Google Authenticator shows them.
    pub missing: Vec<u32>,
}

/// Where the session stands after a frame or a text.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct ScanState {
    /// What this frame or text did.
    pub step: ScanStep,
    /// How many keys `finish` would list now, read or not.
    pub items: u32,
    /// The Google export being gathered, if a part of one was read.
    pub transfer: Option<TransferScan>,
    /// Something was read and no part of a transfer is missing: stop the camera and
    /// call `finish`.
    pub complete: bool,
}

/// A code read that is not a transfer part: its text, to tell a repeat, and its keys.
struct Code {
    text: Zeroizing<String>,
    items: Vec<Item>,
    /// Only a code holding a list of URIs with transfer lines among them has these.
    transfers: Vec<TransferProgress>,
}

/// The export being gathered: which parts arrived, and each part's accounts.
struct Transfer {
    batch: Batch,
    parts: BTreeMap<u32, Vec<Item>>,
}

#[derive(Default)]
struct Gathered {
    transfer: Option<Transfer>,
    codes: Vec<Code>,
}

impl Gathered {
    fn take(&mut self, text: &str) -> ScanStep {
        let text = text.trim();
        let lang = current_lang();
        if migration::has_scheme(text) {
            return match migration::parse_uri(text) {
                Ok(part) => self.take_part(part),
                Err(e) => ScanStep::NotAKey {
                    error: ErrorInfo::new(&e, lang),
                },
            };
        }
        if self.codes.iter().any(|c| c.text.as_str() == text) {
            return ScanStep::AlreadyRead;
        }
        match import::read_text(text) {
            Ok(report) => {
                self.codes.push(Code {
                    text: Zeroizing::new(text.to_owned()),
                    items: report.items,
                    transfers: report.transfers,
                });
                ScanStep::Read
            }
            Err(e) => ScanStep::NotAKey {
                error: ErrorInfo::new(&e, lang),
            },
        }
    }

    fn take_part(&mut self, part: migration::MigrationPart) -> ScanStep {
        let index = part.batch().index;
        let transfer = match &mut self.transfer {
            Some(transfer) => match transfer.batch.add(&part) {
                Ok(PartAdded::New) => transfer,
                Ok(PartAdded::Duplicate) => return ScanStep::AlreadyRead,
                Err(e) => {
                    return ScanStep::Refused {
                        error: ErrorInfo::new(&e, current_lang()),
                    };
                }
            },
            None => self.transfer.insert(Transfer {
                batch: Batch::new(&part),
                parts: BTreeMap::new(),
            }),
        };
        transfer.parts.insert(index, part.into_items(None));
        ScanStep::Read
    }

    fn items(&self) -> usize {
        let parts = self
            .transfer
            .iter()
            .flat_map(|t| t.parts.values())
            .map(Vec::len);
        parts.chain(self.codes.iter().map(|c| c.items.len())).sum()
    }

    fn state(&self, step: ScanStep) -> ScanState {
        let transfer = self.transfer.as_ref().map(|t| TransferScan {
            batch_size: t.batch.size(),
            missing: t.batch.missing().iter().map(|m| m + 1).collect(),
        });
        let read_any = self.transfer.is_some() || !self.codes.is_empty();
        let listed_whole = self
            .codes
            .iter()
            .flat_map(|c| &c.transfers)
            .all(TransferProgress::is_complete);
        ScanState {
            step,
            items: u32::try_from(self.items()).unwrap_or(u32::MAX),
            complete: read_any
                && listed_whole
                && transfer.as_ref().is_none_or(|t| t.missing.is_empty()),
            transfer,
        }
    }

    /// Everything gathered as one input: the transfer's accounts in export order, then
    /// the other codes' keys in the order they were read.
    fn into_report(self) -> Report {
        let several = self.codes.len() + usize::from(self.transfer.is_some()) > 1;
        let mut report = Report::default();
        if let Some(transfer) = self.transfer {
            report.transfers.push(transfer.batch.progress());
            report.items.extend(transfer.parts.into_values().flatten());
        }
        for (index, code) in self.codes.into_iter().enumerate() {
            report.transfers.extend(code.transfers);
            report.items.extend(code.items.into_iter().map(|item| Item {
                // "QR code 2" tells apart keys that each were a whole code.
                locator: match item.locator {
                    Locator::Whole if several => Locator::QrCode { index },
                    other => other,
                },
                outcome: item.outcome,
            }));
        }
        report
    }
}

/// The live camera screen's reader. Feed it every frame (`scan_frame`), or the texts of
/// a platform barcode scanner (`scan_text`); each call answers with the session's state.
/// It keeps one Google Authenticator export at a time, and any eproc codes read along
/// the way. `finish` hands over what it has, complete or not, and starts afresh.
/// It holds keys: close it when the screen goes away.
#[derive(uniffi::Object)]
pub struct ScanSession {
    gathered: Mutex<Gathered>,
}

impl ScanSession {
    fn gathered(&self) -> MutexGuard<'_, Gathered> {
        // A panic while gathering (a bug) leaves at worst a code half-recorded.
        self.gathered.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn take_all(&self, texts: &[Zeroizing<String>]) -> ScanState {
        let mut gathered = self.gathered();
        let step = texts
            .iter()
            .map(|text| gathered.take(text))
            .max_by_key(ScanStep::rank)
            .unwrap_or(ScanStep::NoCode);
        gathered.state(step)
    }
}

#[uniffi::export]
impl ScanSession {
    #[uniffi::constructor]
    pub fn new() -> Arc<Self> {
        Arc::new(ScanSession {
            gathered: Mutex::new(Gathered::default()),
        })
    }

    /// Reads one camera frame (the luma plane, as for `read_import_frame`) and gathers
    /// its codes. No code in the frame is the `NoCode` step, not an error; only a frame
    /// whose sizes do not fit its bytes is (`invalid_frame`, `image_too_large`).
    pub fn scan_frame(
        &self,
        width: u32,
        height: u32,
        row_stride: u32,
        bytes: Vec<u8>,
    ) -> Result<ScanState, A2fError> {
        // Decoded before taking the lock: that is the slow part.
        let texts = match qr::decode_luma(width, height, row_stride, &bytes) {
            Ok(texts) => texts,
            Err(Error::NoQrCode) => return Ok(self.gathered().state(ScanStep::NoCode)),
            Err(e) => return Err(e.into()),
        };
        let texts: Vec<Zeroizing<String>> = texts.into_iter().map(Zeroizing::new).collect();
        Ok(self.take_all(&texts))
    }

    /// Gathers the text of one code read by the platform's own scanner (ML Kit,
    /// `AVCaptureMetadataOutput`, VisionKit).
    pub fn scan_text(&self, text: String) -> ScanState {
        self.take_all(&[Zeroizing::new(text)])
    }

    /// What was gathered, as one input to preview and store (its `incomplete_transfers`
    /// names the QR codes not read when the user accepts a partial export). The session
    /// is empty afterwards. Nothing read yet is `InvalidInput` with `no_qr_code`.
    pub fn finish(&self) -> Result<Arc<ParsedImport>, A2fError> {
        let mut gathered = self.gathered();
        if gathered.transfer.is_none() && gathered.codes.is_empty() {
            return Err(Error::NoQrCode.into());
        }
        let report = std::mem::take(&mut *gathered).into_report();
        Ok(ParsedImport::new(report))
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::import::ParsedKey;
    use crate::secret::Secret;

    pub(in crate::ffi) fn fixture(name: &str) -> String {
        let path = format!("{}/../tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read_to_string(path).unwrap().trim().to_owned()
    }

    /// A camera-like frame: the QR codes of `texts` side by side on white, as grey
    /// bytes with 16 bytes of padding after each row.
    pub(in crate::ffi) fn frame(texts: &[&str]) -> (u32, u32, u32, Vec<u8>) {
        let codes: Vec<image::GrayImage> = texts
            .iter()
            .map(|t| {
                let png = qr::render_png(t).unwrap();
                image::load_from_memory(&png).unwrap().to_luma8()
            })
            .collect();
        let width = codes.iter().map(|c| c.width()).sum::<u32>().max(64);
        let height = codes.iter().map(|c| c.height()).max().unwrap_or(64);
        let stride = width + 16;
        let mut bytes = vec![255u8; (stride * height) as usize];
        let mut left = 0;
        for code in &codes {
            for (x, y, pixel) in code.enumerate_pixels() {
                bytes[(y * stride + left + x) as usize] = pixel.0[0];
            }
            left += code.width();
        }
        (width, height, stride, bytes)
    }

    fn scan(session: &ScanSession, texts: &[&str]) -> ScanState {
        let (width, height, stride, bytes) = frame(texts);
        session.scan_frame(width, height, stride, bytes).unwrap()
    }

    fn error_code(step: &ScanStep) -> &str {
        match step {
            ScanStep::Refused { error } | ScanStep::NotAKey { error } => &error.code,
            other => panic!("{other:?}"),
        }
    }

    /// A one-QR Google export of its own, with a fresh batch id.
    fn other_export() -> String {
        let key = ParsedKey::bare(Secret::from_bytes(vec![7; 20]).unwrap());
        let out = migration::export(&[key]).unwrap();
        out.uris[0].to_string()
    }

    #[test]
    fn a_transfer_gathered_part_by_part() {
        let (one, two) = (
            fixture("google-migration-1-of-2.txt"),
            fixture("google-migration-2-of-2.txt"),
        );
        let session = ScanSession::new();
        let empty = scan(&session, &[]);
        assert_eq!(empty.step, ScanStep::NoCode);
        assert!(!empty.complete && empty.transfer.is_none() && empty.items == 0);

        let first = scan(&session, &[&two]);
        assert_eq!(first.step, ScanStep::Read);
        let transfer = first.transfer.as_ref().unwrap();
        assert_eq!(
            (transfer.batch_size, transfer.missing.as_slice()),
            (2, [1].as_slice())
        );
        assert_eq!(first.items, 2);
        assert!(!first.complete);
        assert_eq!(scan(&session, &[&two]).step, ScanStep::AlreadyRead);
        let refused = scan(&session, &[&other_export()]);
        assert_eq!(error_code(&refused.step), "migration_batch_mismatch");
        assert_eq!(refused.items, 2, "nothing of the other export is kept");
        let link = session.scan_text("https://eproc.jfsc.jus.br/".into());
        assert_eq!(error_code(&link.step), "unsupported_scheme");

        let last = scan(&session, &[&one]);
        assert_eq!(last.step, ScanStep::Read);
        assert!(last.complete);
        assert!(last.transfer.unwrap().missing.is_empty());
        assert_eq!(last.items, 5);

        let import = session.finish().unwrap();
        let places: Vec<String> = import
            .items()
            .into_iter()
            .map(|i| i.place.unwrap())
            .collect();
        // Export order, whichever part came first.
        assert!(
            places[0].ends_with(" 1 de 2, conta 1") || places[0].ends_with(" 1 of 2, account 1")
        );
        assert!(
            places[4].ends_with(" 2 de 2, conta 2") || places[4].ends_with(" 2 of 2, account 2")
        );
        assert!(import.incomplete_transfers().is_empty());
        assert_eq!(session.finish().err().unwrap().code(), "no_qr_code");
    }

    #[test]
    fn a_partial_transfer_says_what_is_missing() {
        let session = ScanSession::new();
        let state = session.scan_text(fixture("google-migration-1-of-2.txt"));
        assert_eq!((state.step, state.complete), (ScanStep::Read, false));
        let import = session.finish().unwrap();
        assert_eq!(import.items().len(), 3);
        assert_eq!(import.incomplete_transfers()[0].missing, [2]);
    }

    #[test]
    fn eproc_codes_and_several_codes_in_a_frame() {
        let uri = fixture("eproc-uri.txt");
        let session = ScanSession::new();
        let state = scan(&session, &[&uri]);
        assert_eq!(
            (state.step, state.items, state.complete),
            (ScanStep::Read, 1, true)
        );
        assert_eq!(
            session.scan_text(format!(" {uri}\n")).step,
            ScanStep::AlreadyRead
        );
        let import = session.finish().unwrap();
        assert_eq!(import.items()[0].place, None, "a single key has no place");
        assert_eq!(
            import.codes(59).unwrap()[0].as_ref().unwrap().code,
            "287082"
        );

        // Both parts in one frame, and an eproc code beside them in the next.
        let both = scan(
            &session,
            &[
                &fixture("google-migration-1-of-2.txt"),
                &fixture("google-migration-2-of-2.txt"),
            ],
        );
        assert_eq!(
            (both.step, both.items, both.complete),
            (ScanStep::Read, 5, true)
        );
        let mixed = scan(&session, &[&uri, "https://eproc.jfsc.jus.br/"]);
        assert_eq!((mixed.step, mixed.items), (ScanStep::Read, 6));
        let items = session.finish().unwrap().items();
        assert!(
            items[5].place.as_deref().unwrap().ends_with(" 1"),
            "QR code 1"
        );
    }

    #[test]
    fn a_listed_transfer_counts_toward_completeness() {
        let text = format!(
            "{}\n{}",
            fixture("eproc-uri.txt"),
            fixture("google-migration-1-of-2.txt")
        );
        let session = ScanSession::new();
        let state = session.scan_text(text);
        assert_eq!(
            (state.step, state.items, state.complete),
            (ScanStep::Read, 4, false)
        );
        assert!(state.transfer.is_none());
        let import = session.finish().unwrap();
        assert_eq!(import.incomplete_transfers()[0].missing, [2]);
    }

    #[test]
    fn bad_frames_are_errors_and_damaged_transfers_are_not_keys() {
        let session = ScanSession::new();
        let e = session.scan_frame(10, 10, 5, vec![0; 100]).unwrap_err();
        assert_eq!(e.code(), "invalid_frame");
        let e = session.scan_frame(10, 10, 10, vec![0; 99]).unwrap_err();
        assert_eq!(e.code(), "invalid_frame");
        let damaged = session.scan_text("otpauth-migration://offline?data=AAAA".into());
        assert_eq!(error_code(&damaged.step), "invalid_migration_payload");
        assert_eq!(damaged.items, 0);
        assert!(!damaged.complete);
    }
}
