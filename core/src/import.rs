//! What a piece of text holds: an otpauth URI or a key typed as eproc shows it. Every
//! reader of every format produces `ParsedKey`s, which the vault stores and the CLI and
//! the apps preview.

use std::fmt;

use zeroize::Zeroizing;

use crate::catalog::{self, SystemId};
use crate::error::{Error, Result};
use crate::i18n::Lang;
use crate::otp::{OtpKey, OtpParams};
use crate::otpauth;
use crate::report::{Item, Locator, Report};
use crate::secret::{self, Secret};
use crate::{aegis, migration, qr, uri_list};

/// The largest text taken as one input. A Google transfer QR holds under 3 KB; a list
/// of a thousand URIs about 100 KB.
pub const MAX_TEXT_BYTES: usize = 256 * 1024;

/// A typed key shorter than this is a partial copy, not a key: eproc shows 32
/// characters and the shortest keys in use (80 bits) have 16.
pub const MIN_TYPED_KEY_CHARS: usize = 16;

/// A key read from some input, with what the input said about it.
#[derive(Clone, PartialEq, Eq)]
pub struct ParsedKey {
    pub key: OtpKey,
    pub issuer: Option<String>,
    pub account: Option<String>,
    pub warnings: Vec<Warning>,
}

impl ParsedKey {
    /// A bare key with eproc's parameters (TOTP, SHA1, 6 digits, 30 s).
    pub fn bare(secret: Secret) -> Self {
        let warnings = short_key_warning(&secret).into_iter().collect();
        ParsedKey {
            key: OtpKey {
                secret,
                params: OtpParams::default_totp(),
            },
            issuer: None,
            account: None,
            warnings,
        }
    }

    /// The catalog systems the issuer names.
    pub fn suggested_systems(&self) -> Vec<SystemId> {
        self.issuer
            .as_deref()
            .map(catalog::suggest)
            .unwrap_or_default()
    }
}

impl fmt::Debug for ParsedKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The account is personal data (CPF, OAB number, e-mail).
        f.debug_struct("ParsedKey")
            .field("key", &self.key)
            .field("issuer", &self.issuer)
            .field("account", &self.account.as_ref().map(|_| "[redacted]"))
            .field("warnings", &self.warnings)
            .finish()
    }
}

/// Something the user should know about an input that was still accepted.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Warning {
    /// Under the 128 bits RFC 4226 asks for.
    ShortKey { bits: usize },
    /// The label's issuer prefix and the `issuer` parameter differ; the parameter won.
    IssuerMismatch,
    /// Text after the first line of a URI was not read.
    TrailingTextIgnored,
}

impl Warning {
    pub const fn code(&self) -> &'static str {
        match self {
            Warning::ShortKey { .. } => "short_key",
            Warning::IssuerMismatch => "issuer_mismatch",
            Warning::TrailingTextIgnored => "trailing_text_ignored",
        }
    }

    pub fn message(&self, lang: Lang) -> String {
        match self {
            Warning::ShortKey { bits } => lang.pick(
                format!("A chave tem só {bits} bits; o recomendado são pelo menos 128."),
                format!("The key has only {bits} bits; at least 128 are recommended."),
            ),
            Warning::IssuerMismatch => lang
                .pick(
                    "O emissor do rótulo difere do parâmetro issuer; valeu o parâmetro.",
                    "The label's issuer differs from the issuer parameter; the parameter was used.",
                )
                .into(),
            Warning::TrailingTextIgnored => lang
                .pick(
                    "Havia texto depois do URI, que foi ignorado.",
                    "There was text after the URI, which was ignored.",
                )
                .into(),
        }
    }
}

pub(crate) fn short_key_warning(secret: &Secret) -> Option<Warning> {
    (secret.bits() < secret::RECOMMENDED_MIN_BITS).then(|| Warning::ShortKey {
        bits: secret.bits(),
    })
}

/// Reads a text input: an otpauth URI (its first line, when more follow) or a typed key.
/// A Google transfer URI gives all its accounts, and a text whose lines hold several
/// URIs is read as a URI list. Any item that cannot be read fails the whole text:
/// [`read_text`] says item by item.
pub fn parse_text(text: &str) -> Result<Vec<ParsedKey>> {
    if text.len() > MAX_TEXT_BYTES {
        return Err(Error::InputTooLarge {
            max_bytes: MAX_TEXT_BYTES,
        });
    }
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(Error::EmptyInput);
    }
    let (first_line, rest) = trimmed.split_once('\n').unwrap_or((trimmed, ""));
    let first_line = first_line.trim();
    if let Some(report) = read_several(text)? {
        return report.into_keys();
    }
    if otpauth::has_scheme(first_line) {
        let mut parsed = otpauth::parse(first_line)?;
        if !rest.trim().is_empty() {
            parsed.warnings.push(Warning::TrailingTextIgnored);
        }
        return Ok(vec![parsed]);
    }
    if let Some(scheme) = foreign_scheme(first_line) {
        return Err(Error::UnsupportedScheme {
            scheme: scheme.into(),
        });
    }
    parse_typed_key(text).map(|k| vec![k])
}

/// Reads any text input item by item: an Aegis JSON export, a URI list, a Google
/// transfer URI, one otpauth URI or a typed key. The error is for an input that cannot
/// be read at all; the report has every item, read or not, with where it was.
pub fn read_text(text: &str) -> Result<Report> {
    // A byte order mark opens files saved by some Windows editors.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // Aegis exports carry icons and outgrow the text limit: they have their own.
    if text.trim_start().starts_with('{') {
        return aegis::read(text);
    }
    if text.len() > MAX_TEXT_BYTES {
        return Err(Error::InputTooLarge {
            max_bytes: MAX_TEXT_BYTES,
        });
    }
    match read_several(text)? {
        Some(report) => Ok(report),
        None => parse_text(text).map(Report::whole),
    }
}

/// Whether bytes are a PNG or a JPEG file, by their signature.
pub fn is_image(bytes: &[u8]) -> bool {
    bytes.starts_with(b"\x89PNG\r\n\x1a\n") || bytes.starts_with(&[0xFF, 0xD8, 0xFF])
}

/// Reads a file's bytes item by item: a PNG or JPEG image by its QR codes, anything
/// else as text (see [`read_text`]).
pub fn read_bytes(bytes: &[u8]) -> Result<Report> {
    if is_image(bytes) {
        return read_qr_texts(qr::decode_image(bytes)?);
    }
    let text = std::str::from_utf8(bytes).map_err(|_| Error::UnrecognizedInput)?;
    read_text(text)
}

/// Reads a camera frame's luma plane (see [`qr::decode_luma`]) by its QR codes.
pub fn read_frame(width: u32, height: u32, row_stride: u32, bytes: &[u8]) -> Result<Report> {
    read_qr_texts(qr::decode_luma(width, height, row_stride, bytes)?)
}

/// Reads the texts of the QR codes of one picture. A code whose text is not a key is an
/// item in error: the others in the picture still count.
fn read_qr_texts(texts: Vec<String>) -> Result<Report> {
    let texts: Vec<Zeroizing<String>> = texts.into_iter().map(Zeroizing::new).collect();
    let several = texts.len() > 1;
    let mut report = Report::default();
    for (index, text) in texts.iter().enumerate() {
        let here = |locator: Locator| match locator {
            Locator::Whole if several => Locator::QrCode { index },
            other => other,
        };
        match read_text(text) {
            Ok(found) => {
                report
                    .items
                    .extend(found.items.into_iter().map(|item| Item {
                        locator: here(item.locator),
                        outcome: item.outcome,
                    }));
                report.transfers.extend(found.transfers);
            }
            Err(error) => report.items.push(Item {
                locator: here(Locator::Whole),
                outcome: Err(error),
            }),
        }
    }
    Ok(report)
}

/// The inputs that hold several keys: a URI list (its lines counted in `text` as given),
/// or a Google transfer URI (its first line, when more follow). `None` for anything else.
fn read_several(text: &str) -> Result<Option<Report>> {
    let trimmed = text.trim();
    if uri_list::is_uri_list(trimmed) {
        return uri_list::read(text).map(Some);
    }
    let (first_line, rest) = trimmed.split_once('\n').unwrap_or((trimmed, ""));
    let first_line = first_line.trim();
    if !migration::has_scheme(first_line) {
        return Ok(None);
    }
    let mut report = migration::parse_uri(first_line)?.into_report();
    if !rest.trim().is_empty() {
        for key in report
            .items
            .iter_mut()
            .filter_map(|i| i.outcome.as_mut().ok())
        {
            key.warnings.push(Warning::TrailingTextIgnored);
        }
    }
    Ok(Some(report))
}

/// A scheme other than otpauth, as in `https://…` or `mailto:`. A colon alone does not
/// make a scheme: people paste "Chave: ABCD…".
fn foreign_scheme(line: &str) -> Option<&str> {
    let (scheme, rest) = line.split_once(':')?;
    let looks_like_scheme = scheme
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    let known_without_slashes = ["mailto", "tel", "data", "urn"]
        .iter()
        .any(|s| s.eq_ignore_ascii_case(scheme));
    (looks_like_scheme && (rest.starts_with("//") || known_without_slashes)).then_some(scheme)
}

/// A key typed or pasted as eproc shows it: any case, groups separated by spaces or
/// hyphens. A stray character or two in key-like text is reported with its position;
/// text that is mostly not key characters is not a key at all.
fn parse_typed_key(text: &str) -> Result<ParsedKey> {
    let symbols = text.chars().filter(char::is_ascii_alphanumeric).count();
    let strays = text
        .chars()
        .filter(|c| !c.is_ascii_alphanumeric() && !secret::is_separator(*c) && *c != '=')
        .count();
    if strays > 0 && (strays > 2 || symbols < MIN_TYPED_KEY_CHARS) {
        return Err(Error::UnrecognizedInput);
    }
    let secret = Secret::from_base32(text)?;
    if symbols < MIN_TYPED_KEY_CHARS {
        return Err(Error::KeyTooShort {
            min_chars: MIN_TYPED_KEY_CHARS,
        });
    }
    Ok(ParsedKey::bare(secret))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Locator;

    fn one(text: &str) -> ParsedKey {
        let mut all = parse_text(text).unwrap_or_else(|e| panic!("{text}: {e}"));
        assert_eq!(all.len(), 1);
        all.remove(0)
    }

    fn code(text: &str) -> &'static str {
        parse_text(text)
            .err()
            .map(|e| e.code().as_str())
            .unwrap_or("accepted")
    }

    #[test]
    fn typed_keys_as_eproc_shows_them() {
        let want = one("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
        for text in [
            "gezdgnbvgy3tqojqgezdgnbvgy3tqojq",
            "GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ",
            "gezd-gnbv-gy3t-qojq-gezd-gnbv-gy3t-qojq",
            "  GEZDGNBVGY3TQOJQ\nGEZDGNBVGY3TQOJQ\n",
        ] {
            assert_eq!(one(text), want, "{text}");
        }
        assert_eq!(want.key.params, OtpParams::default_totp());
        assert!(want.warnings.is_empty());
        assert_eq!(
            one("JBSWY3DPEHPK3PXP").warnings,
            [Warning::ShortKey { bits: 80 }]
        );
    }

    #[test]
    fn uris_with_trailing_garbage() {
        let p =
            one("otpauth://totp/x?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ\nrandom\n\u{0}garbage");
        assert_eq!(p.warnings, [Warning::TrailingTextIgnored]);
    }

    #[test]
    fn rejections_name_the_problem() {
        assert_eq!(code(""), "empty_input");
        assert_eq!(code(" \n\t "), "empty_input");
        assert_eq!(code("https://eproc.trf4.jus.br/"), "unsupported_scheme");
        assert_eq!(code("mailto:a@b"), "unsupported_scheme");
        assert_eq!(code("Olá, mundo! Que dia lindo."), "unrecognized_input");
        assert_eq!(code("{\"json\": true}"), "unrecognized_input");
        assert_eq!(
            code("GEZDGNBVGY3TQOJQ1EZDGNBVGY3TQOJQ"),
            "invalid_secret_character"
        );
        assert_eq!(
            code("GEZDGNBVGY3TQOJQ.GEZDGNBVGY3TQOJQ"),
            "invalid_secret_character"
        );
        assert_eq!(
            code("Chave: GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"),
            "invalid_secret_character"
        );
        assert_eq!(code("JBSWY3DP"), "key_too_short");
        assert_eq!(code(&"A".repeat(MAX_TEXT_BYTES + 1)), "input_too_large");
        assert_eq!(code(&"A".repeat(1000)), "secret_too_long");
    }

    #[test]
    fn bad_character_position_counts_what_was_typed() {
        match parse_text("GEZD GNBV 1Y3T QOJQ GEZD GNBV GY3T QOJQ") {
            Err(Error::InvalidSecretCharacter { position }) => assert_eq!(position, 11),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn suggests_systems_from_the_issuer() {
        let p = one("otpauth://totp/eproc%20JFSC:jo?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
        let ids: Vec<_> = p.suggested_systems().iter().map(|s| s.as_str()).collect();
        assert_eq!(ids, ["trf4", "jfpr", "jfsc", "jfrs"]);
        assert!(
            one("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ")
                .suggested_systems()
                .is_empty()
        );
    }

    #[test]
    fn images_are_read_by_their_qr_codes() {
        let uri = "otpauth://totp/eproc%20TRF4:adv?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=eproc%20TRF4";
        let png = qr::render_png(uri).unwrap();
        assert!(is_image(&png));
        let report = read_bytes(&png).unwrap();
        assert_eq!(report.items.len(), 1);
        assert_eq!(report.items[0].locator, Locator::Whole);
        let key = report.items[0].outcome.as_ref().unwrap();
        assert_eq!(key.issuer.as_deref(), Some("eproc TRF4"));

        let not_a_key = qr::render_png("https://eproc.trf4.jus.br/").unwrap();
        let report = read_bytes(&not_a_key).unwrap();
        assert_eq!(
            report.items[0]
                .outcome
                .as_ref()
                .unwrap_err()
                .code()
                .as_str(),
            "unsupported_scheme"
        );
        assert_eq!(
            read_bytes(b"\x89PNG\r\n\x1a\ngarbage")
                .unwrap_err()
                .code()
                .as_str(),
            "unsupported_image"
        );
        assert_eq!(
            read_bytes(&[0xff, 0xfe, 0x00]).unwrap_err().code().as_str(),
            "unrecognized_input"
        );
        assert_eq!(read_bytes(uri.as_bytes()).unwrap().items.len(), 1);
    }

    #[test]
    fn debug_redacts_key_and_account() {
        let p = one("otpauth://totp/TRF4:12345678900?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
        let shown = format!("{p:?}");
        assert!(!shown.contains("12345678900"));
        assert!(!shown.contains("GEZD"));
    }

    fn fixture(name: &str) -> String {
        let path = format!("{}/../tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    #[test]
    fn a_google_transfer_gives_all_its_accounts() {
        let keys = parse_text(&fixture("google-migration-1-of-2.txt")).unwrap();
        let accounts: Vec<_> = keys.iter().map(|k| k.account.as_deref()).collect();
        assert_eq!(
            accounts,
            [Some("12345678900"), Some("joao@adv.br"), Some("hotp-test")]
        );
        // Strict: the MD5 account of the second QR fails the whole text…
        let err = parse_text(&fixture("google-migration-2-of-2.txt")).unwrap_err();
        assert_eq!(err.code().as_str(), "unsupported_algorithm");
        // …while the report keeps the other account and says which QR is missing.
        let report = read_text(&fixture("google-migration-2-of-2.txt")).unwrap();
        assert_eq!(report.keys().count(), 1);
        assert_eq!(report.errors().count(), 1);
        assert_eq!(report.transfers[0].missing, [0]);
    }

    #[test]
    fn a_transfer_uri_with_text_after_it() {
        let text = format!("{}\nnot part of it", fixture("google-migration-1-of-2.txt"));
        let keys = parse_text(&text).unwrap();
        assert_eq!(keys.len(), 3);
        assert!(
            keys.iter()
                .all(|k| k.warnings.contains(&Warning::TrailingTextIgnored))
        );
        assert_eq!(
            code("otpauth-migration://offline?data=%21"),
            "invalid_migration_payload"
        );
    }

    #[test]
    fn several_uri_lines_are_a_list() {
        let a = "otpauth://totp/A:x?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
        let b = "otpauth://hotp/B:y?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&counter=1";
        let keys = parse_text(&format!("{a}\r\n\r\n{b}\n")).unwrap();
        let issuers: Vec<_> = keys.iter().map(|k| k.issuer.as_deref()).collect();
        assert_eq!(issuers, [Some("A"), Some("B")]);
        assert!(keys.iter().all(|k| k.warnings.is_empty()));
        // One bad line fails the strict reading and is located by the report.
        let text = format!("{a}\notpauth://totp/C?secret=GEZD1\n{b}");
        assert_eq!(code(&text), "invalid_secret_character");
        let report = read_text(&text).unwrap();
        let errors: Vec<_> = report.errors().map(|(l, _)| *l).collect();
        assert_eq!(errors, [Locator::Line { line: 2 }]);
        assert_eq!(report.keys().count(), 2);
    }

    #[test]
    fn read_text_takes_every_format() {
        let report = read_text(&fixture("aegis-plain.json")).unwrap();
        assert_eq!(report.items.len(), 7);
        assert_eq!(report.items[0].locator, Locator::Entry { index: 0 });
        let report = read_text(&format!("\u{feff}{}", fixture("uris.txt"))).unwrap();
        assert_eq!(report.items.len(), 8);
        assert_eq!(report.items[0].locator, Locator::Line { line: 4 });
        // Lines are counted in the text as given, blank lines first included.
        let uri = "otpauth://totp/x?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
        let report = read_text(&format!("\n\n{uri}\n{uri}")).unwrap();
        let lines: Vec<_> = report.items.iter().map(|i| i.locator).collect();
        assert_eq!(
            lines,
            [Locator::Line { line: 3 }, Locator::Line { line: 4 }]
        );
        let report = read_text("GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ").unwrap();
        assert_eq!(report.items.len(), 1);
        assert_eq!(report.items[0].locator, Locator::Whole);
        let report = read_text("otpauth://totp/x?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ").unwrap();
        assert_eq!(report.keys().count(), 1);

        let whole = |text: &str| read_text(text).unwrap_err().code().as_str();
        assert_eq!(whole(" \n "), "empty_input");
        assert_eq!(whole("{\"json\": true}"), "invalid_aegis_json");
        assert_eq!(
            whole(&fixture("aegis-encrypted.json")),
            "encrypted_aegis_export"
        );
        assert_eq!(whole("otpauth://totp/x?secret="), "empty_secret");
        assert_eq!(whole(&"A".repeat(MAX_TEXT_BYTES + 1)), "input_too_large");
    }
}
