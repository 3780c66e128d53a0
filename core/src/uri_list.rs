//! Plain text with one otpauth URI per line: what many authenticators call their "plain
//! text export", and what a user gets by pasting several QR texts into one file.
//! Google transfer URIs (`otpauth-migration://`) may stand on lines of their own.

use zeroize::Zeroizing;

use crate::error::{Error, Result};
use crate::import::{self, ParsedKey};
use crate::migration::{self, Batch, MigrationPart};
use crate::otpauth;
use crate::report::{Item, Locator, Report};

/// Reads a URI list line by line. Blank lines and `#` comments are skipped; every other
/// line is an item of the report, read or not, with its 1-based line number. Accounts of
/// a transfer URI keep that line number; the transfers' completeness is in
/// `Report::transfers`, and a QR that contradicts another of its export is refused.
pub fn read(text: &str) -> Result<Report> {
    if text.len() > import::MAX_TEXT_BYTES {
        return Err(Error::InputTooLarge {
            max_bytes: import::MAX_TEXT_BYTES,
        });
    }
    let mut report = Report::default();
    let mut batches: Vec<Batch> = Vec::new();
    for (number, raw) in text.lines().enumerate() {
        let line = number + 1;
        // A byte order mark opens files saved by some Windows editors.
        let text = raw.trim_start_matches('\u{feff}').trim();
        if text.is_empty() || text.starts_with('#') {
            continue;
        }
        if migration::has_scheme(text) {
            match migration::parse_uri(text).and_then(|part| track(&mut batches, part)) {
                Ok(part) => report.items.extend(part.into_items(Some(line))),
                Err(error) => report.items.push(Item {
                    locator: Locator::Line { line },
                    outcome: Err(error),
                }),
            }
            continue;
        }
        let outcome = if otpauth::has_scheme(text) {
            otpauth::parse(text)
        } else {
            Err(not_a_uri(text))
        };
        report.items.push(Item {
            locator: Locator::Line { line },
            outcome,
        });
    }
    if report.items.is_empty() {
        return Err(Error::EmptyInput);
    }
    report.transfers = batches.iter().map(Batch::progress).collect();
    Ok(report)
}

/// Files the part with the others of its export. A QR read twice is kept: its accounts
/// then show up as duplicates on import, which tells the user what happened.
fn track(batches: &mut Vec<Batch>, part: MigrationPart) -> Result<MigrationPart> {
    match batches.iter_mut().find(|b| b.id() == part.batch().id) {
        Some(batch) => {
            batch.add(&part)?;
        }
        None => batches.push(Batch::new(&part)),
    }
    Ok(part)
}

/// The error for a line that is not an otpauth URI: another scheme is named as such, and
/// anything else (a bare key included: in a list it is more likely a stray word) is
/// unrecognized.
fn not_a_uri(line: &str) -> Error {
    match line.split_once("://") {
        Some((scheme, _))
            if scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')) =>
        {
            Error::UnsupportedScheme {
                scheme: scheme.into(),
            }
        }
        _ => Error::UnrecognizedInput,
    }
}

/// Whether a text is a list rather than one URI with text after it: two lines or more
/// hold URIs.
pub(crate) fn is_uri_list(text: &str) -> bool {
    text.lines()
        .map(str::trim)
        .filter(|line| otpauth::has_scheme(line) || migration::has_scheme(line))
        .nth(1)
        .is_some()
}

/// Writes one canonical otpauth URI per line (`otpauth::write`), each line ended by a
/// newline. The buffer is sized beforehand so that no copy of a key is left behind.
pub fn write(keys: &[ParsedKey]) -> Zeroizing<String> {
    let lines: Vec<Zeroizing<String>> = keys
        .iter()
        .map(|k| otpauth::write(&k.key, k.issuer.as_deref(), k.account.as_deref()))
        .collect();
    let mut out = Zeroizing::new(String::with_capacity(
        lines.iter().map(|l| l.len() + 1).sum(),
    ));
    for line in &lines {
        out.push_str(line);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorCode;
    use crate::migration::tests::{
        Acc, any_params, normalized, parsed_key, payload, sample_keys, uri_of,
    };
    use crate::otp::UnixTime;
    use crate::report::TransferProgress;
    use proptest::prelude::*;

    fn fixture(name: &str) -> String {
        let path = format!("{}/../tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    fn code(key: &ParsedKey, t: i64) -> String {
        key.key.code(UnixTime::new(t).unwrap()).as_str().to_owned()
    }

    /// Each item as (where, code or error code).
    fn summary(report: &Report) -> Vec<(Locator, String)> {
        report
            .items
            .iter()
            .map(|i| {
                let what = match &i.outcome {
                    Ok(key) => match key.key.params.kind {
                        crate::otp::OtpKind::Totp { .. } => code(key, 59),
                        crate::otp::OtpKind::Hotp { .. } => code(key, 0),
                    },
                    Err(e) => e.code().as_str().to_owned(),
                };
                (i.locator, what)
            })
            .collect()
    }

    #[test]
    fn reads_the_fixture_line_by_line() {
        let report = read(&fixture("uris.txt")).unwrap();
        let line = |line| Locator::Line { line };
        let account = |index| Locator::Account {
            line: Some(13),
            batch_index: 1,
            batch_size: 2,
            index,
        };
        assert_eq!(
            summary(&report),
            [
                (line(4), "287082".to_owned()),
                (line(5), "46119246".into()),
                (line(6), "162583".into()),
                (line(9), "invalid_digits".into()),
                (line(10), "unsupported_scheme".into()),
                (line(11), "unsupported_otp_type".into()),
                (account(0), "90693936".into()),
                (account(1), "unsupported_algorithm".into()),
            ]
        );
        let first = report.items[0].outcome.as_ref().unwrap();
        assert_eq!(first.issuer.as_deref(), Some("eproc TRF4"));
        assert_eq!(first.account.as_deref(), Some("12345678900"));
        assert_eq!(
            report.transfers,
            [TransferProgress {
                batch_id: 1234567890,
                batch_size: 2,
                missing: vec![0]
            }]
        );
    }

    #[test]
    fn transfer_lines_are_gathered_per_export() {
        let one = |name: &'static str| [Acc(b"12345678901234567890", name, "", 0, 0, 0, 0)];
        let text = [
            uri_of(&payload(&one("a"), 3, 2, 10)),
            uri_of(&payload(&one("b"), 3, 0, 10)),
            // The same QR again: its account is listed again, the import calls it a duplicate.
            uri_of(&payload(&one("b"), 3, 0, 10)),
            // Another QR 1 of export 10: refused.
            uri_of(&payload(&one("c"), 3, 0, 10)),
            // Export 10 with another size: refused.
            uri_of(&payload(&one("d"), 4, 1, 10)),
            // Another export, complete on its own.
            uri_of(&payload(&one("e"), 1, 0, 11)),
        ]
        .join("\n");
        let report = read(&text).unwrap();
        let accounts: Vec<(Locator, Option<String>)> = report
            .items
            .iter()
            .map(|i| {
                (
                    i.locator,
                    i.outcome.as_ref().ok().and_then(|k| k.account.clone()),
                )
            })
            .collect();
        let at = |line, batch_index, batch_size| Locator::Account {
            line: Some(line),
            batch_index,
            batch_size,
            index: 0,
        };
        assert_eq!(
            accounts,
            [
                (at(1, 2, 3), Some("a".into())),
                (at(2, 0, 3), Some("b".into())),
                (at(3, 0, 3), Some("b".into())),
                (Locator::Line { line: 4 }, None),
                (Locator::Line { line: 5 }, None),
                (at(6, 0, 1), Some("e".into())),
            ]
        );
        let errors: Vec<ErrorCode> = report.errors().map(|(_, e)| e.code()).collect();
        assert_eq!(errors, [ErrorCode::MigrationBatchMismatch; 2]);
        assert_eq!(
            report.transfers,
            [
                TransferProgress {
                    batch_id: 10,
                    batch_size: 3,
                    missing: vec![1]
                },
                TransferProgress {
                    batch_id: 11,
                    batch_size: 1,
                    missing: vec![]
                },
            ]
        );
    }

    #[test]
    fn tolerates_crlf_a_byte_order_mark_and_indentation() {
        let text = "\u{feff}otpauth://totp/a?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ\r\n\r\n  # note\r\n\totpauth://totp/b?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ  \r\n";
        let report = read(text).unwrap();
        let lines: Vec<Locator> = report.items.iter().map(|i| i.locator).collect();
        assert_eq!(
            lines,
            [Locator::Line { line: 1 }, Locator::Line { line: 4 }]
        );
        assert!(!report.has_errors());
    }

    #[test]
    fn a_list_of_nothing_is_an_error() {
        for text in ["", "\n\n", "# only\n  # comments\n"] {
            assert!(matches!(read(text), Err(Error::EmptyInput)), "{text:?}");
        }
        let huge = "#".repeat(import::MAX_TEXT_BYTES + 1);
        assert!(matches!(read(&huge), Err(Error::InputTooLarge { .. })));
    }

    #[test]
    fn stray_lines_are_named_without_quoting_them() {
        let report =
            read("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ\nftp://x\nmailto:a@b\n://\notpauth:/totp")
                .unwrap();
        let got: Vec<String> = report.errors().map(|(_, e)| format!("{e:?}")).collect();
        assert_eq!(
            got,
            [
                "UnrecognizedInput",
                "UnsupportedScheme { scheme: \"ftp\" }",
                "UnrecognizedInput",
                "UnrecognizedInput",
                "MalformedUri { reason: MissingType }",
            ]
        );
    }

    #[test]
    fn tells_a_list_from_a_uri_with_text_after_it() {
        let uri = "otpauth://totp/a?secret=GEZDGNBVGY3TQOJQ";
        assert!(!is_uri_list(uri));
        assert!(!is_uri_list(&format!("{uri}\ngarbage\nmore")));
        assert!(is_uri_list(&format!("{uri}\n  {uri}")));
        assert!(is_uri_list(&format!(
            "{uri}\n{}",
            uri_of(&payload(&[Acc(b"1234567890", "", "", 0, 0, 0, 0)], 1, 0, 1))
        )));
    }

    #[test]
    fn writes_one_canonical_uri_per_line() {
        let mut key = ParsedKey::bare(
            crate::secret::Secret::from_base32("gezd gnbv gy3t qojq gezd gnbv gy3t qojq").unwrap(),
        );
        key.issuer = Some("eproc TRF4".into());
        key.account = Some("12345678900".into());
        let text = write(&[key.clone(), key]);
        let line = "otpauth://totp/eproc%20TRF4:12345678900?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=eproc%20TRF4&algorithm=SHA1&digits=6&period=30\n";
        assert_eq!(*text, format!("{line}{line}"));
        assert_eq!(*write(&[]), "");
    }

    #[test]
    fn one_and_a_thousand_entries_round_trip() {
        for n in [1, 1000] {
            let input = sample_keys(n, false);
            let text = write(&input);
            assert!(text.len() < import::MAX_TEXT_BYTES, "{}", text.len());
            assert_eq!(read(&text).unwrap().into_keys().unwrap(), input, "{n}");
        }
        // An empty list writes nothing, and nothing is not a list.
        assert!(matches!(read(&write(&[])), Err(Error::EmptyInput)));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn write_then_read_gives_the_same_keys(
            input in proptest::collection::vec(parsed_key(any_params()), 1..=20),
        ) {
            let report = read(&write(&input)).unwrap();
            let lines: Vec<Locator> = report.items.iter().map(|i| i.locator).collect();
            let want: Vec<Locator> = (1..=input.len()).map(|line| Locator::Line { line }).collect();
            prop_assert_eq!(lines, want);
            prop_assert_eq!(report.into_keys().unwrap(), normalized(&input));
        }

        #[test]
        fn never_panics_on_arbitrary_text(text in "([ -~]{0,60}\n){0,6}") {
            let _ = read(&text);
        }
    }
}
