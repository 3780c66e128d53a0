//! The whole uniffi surface: what the phone apps call, and nothing else does.
//!
//! Thin by design: each export converts its arguments, calls a domain module and
//! converts the result. Records never carry a key. Every failure the core can foresee
//! arrives as `A2fError`; uniffi's panic catching is a last resort, never the path for
//! bad input. The API is synchronous and coarse: a call through JNA costs 10–30 µs, so
//! one call does a screen's worth of work.
//!
//! The vault object (`vault`), the inputs read for it (`imports`), the camera
//! screen's reader (`scan`), the keys going out (`exports`) and the keystore the apps
//! implement (`keystore`) live in submodules.

mod exports;
mod imports;
mod keystore;
mod scan;
mod vault;

use std::fmt;
use std::sync::atomic::{AtomicU8, Ordering};

use zeroize::Zeroizing;

use crate::catalog::{self, System, SystemId};
use crate::error::{Error, ErrorKind};
use crate::i18n::Lang;
use crate::import::{self, ParsedKey, Warning};
use crate::otp::{Algorithm, CodeView, OtpKind, UnixTime};
use crate::vault::PlatformKeyFailure;

/// The language of the messages the core writes: error details and import warnings.
/// Codes never change with it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, uniffi::Enum)]
pub enum Language {
    /// Brazilian Portuguese, the source language and the default.
    PtBr,
    En,
}

impl From<Language> for Lang {
    fn from(language: Language) -> Self {
        match language {
            Language::PtBr => Lang::Pt,
            Language::En => Lang::En,
        }
    }
}

impl From<Lang> for Language {
    fn from(lang: Lang) -> Self {
        match lang {
            Lang::Pt => Language::PtBr,
            Lang::En => Language::En,
        }
    }
}

/// Process-wide, because every call may produce a message and the apps have one UI
/// language at a time. 0 is Portuguese, anything else English.
static LANGUAGE: AtomicU8 = AtomicU8::new(0);

fn current_lang() -> Lang {
    match LANGUAGE.load(Ordering::Relaxed) {
        0 => Lang::Pt,
        _ => Lang::En,
    }
}

/// Sets the language of every message the core writes from now on, in all threads.
/// Call it at start-up and whenever the app's locale changes. The default is pt-BR.
#[uniffi::export]
pub fn set_language(language: Language) {
    let value = match Lang::from(language) {
        Lang::Pt => 0,
        Lang::En => 1,
    };
    LANGUAGE.store(value, Ordering::Relaxed);
}

/// The language for a locale tag such as `pt-BR`, `pt_PT` or `en-US`: Portuguese for
/// any Portuguese locale, English otherwise (the CLI's rule for `LANG`).
#[uniffi::export]
pub fn language_for_locale(locale: String) -> Language {
    Lang::from_locale(&locale).into()
}

/// Every error the core reports to the apps. The variant is the family, which decides
/// what the screen does; `code` is the stable snake_case code (the CLI's), for logic
/// and analytics; `detail` is a message for the user, in the language set by
/// `set_language`. Neither ever holds a key, a login or a code.
#[derive(Debug, PartialEq, Eq, thiserror::Error, uniffi::Error)]
pub enum A2fError {
    /// A URI, key, image or file that cannot be used: show `detail` next to the input.
    #[error("{code}: {detail}")]
    InvalidInput { code: String, detail: String },
    /// A wrong passphrase, or the vault is locked: ask again.
    #[error("{code}: {detail}")]
    Auth { code: String, detail: String },
    /// A vault or backup that is damaged or from a newer version: never retry blindly.
    #[error("{code}: {detail}")]
    Damaged { code: String, detail: String },
    /// An entry or system that does not exist (any more): refresh the screen.
    #[error("{code}: {detail}")]
    NotFound { code: String, detail: String },
    /// A bug, an environment failure, or a failure in the app's own callback.
    #[error("{code}: {detail}")]
    Internal { code: String, detail: String },
}

/// The code of a foreign callback (an app-implemented trait) that failed unexpectedly.
pub const CALLBACK_FAILED: &str = "callback_failed";

/// The codes of the keystore's failures, in the `Auth` family.
pub const PLATFORM_KEY_CANCELLED: &str = "platform_key_cancelled";
pub const PLATFORM_KEY_INVALIDATED: &str = "platform_key_invalidated";
pub const PLATFORM_KEY_UNAVAILABLE: &str = "platform_key_unavailable";

const fn platform_key_code(failure: PlatformKeyFailure) -> &'static str {
    match failure {
        PlatformKeyFailure::Cancelled => PLATFORM_KEY_CANCELLED,
        PlatformKeyFailure::KeyInvalidated => PLATFORM_KEY_INVALIDATED,
        PlatformKeyFailure::Unavailable => PLATFORM_KEY_UNAVAILABLE,
    }
}

impl A2fError {
    /// The stable code, whatever the family.
    pub fn code(&self) -> &str {
        match self {
            A2fError::InvalidInput { code, .. }
            | A2fError::Auth { code, .. }
            | A2fError::Damaged { code, .. }
            | A2fError::NotFound { code, .. }
            | A2fError::Internal { code, .. } => code,
        }
    }

    fn from_core(error: &Error, lang: Lang) -> Self {
        let code = match error {
            // The core has one code for every keystore failure; the apps act on which
            // one it was (a cancelled prompt stays put, an invalidated key falls back
            // to the passphrase), so each gets its own.
            Error::PlatformKey { failure } => platform_key_code(*failure),
            _ => error.code().as_str(),
        }
        .to_owned();
        let detail = error.message(lang);
        match error.kind() {
            ErrorKind::InvalidInput => A2fError::InvalidInput { code, detail },
            ErrorKind::Auth => A2fError::Auth { code, detail },
            ErrorKind::Damaged => A2fError::Damaged { code, detail },
            ErrorKind::NotFound => A2fError::NotFound { code, detail },
            ErrorKind::Internal => A2fError::Internal { code, detail },
        }
    }

    fn callback_failed(lang: Lang) -> Self {
        A2fError::Internal {
            code: CALLBACK_FAILED.to_owned(),
            detail: lang
                .pick(
                    "O aplicativo falhou ao atender a uma chamada do núcleo.",
                    "The app failed while answering a call from the core.",
                )
                .to_owned(),
        }
    }
}

impl From<Error> for A2fError {
    fn from(error: Error) -> Self {
        A2fError::from_core(&error, current_lang())
    }
}

/// What uniffi hands back when an app's implementation of a core trait throws an
/// exception the trait does not declare. The foreign message is dropped: it is the
/// app's to log, and it could quote anything.
impl From<uniffi::UnexpectedUniFFICallbackError> for A2fError {
    fn from(_: uniffi::UnexpectedUniFFICallbackError) -> Self {
        A2fError::callback_failed(current_lang())
    }
}

/// One eproc system of the catalog.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct SystemInfo {
    /// The catalog id (`tjrs-1g`, `trf4`): what entries link to.
    pub id: String,
    /// The display name, as the seed writes it (`TJRS - 1º Grau`).
    pub name: String,
    /// The court or region (`RS`, `TRF4`): the group heading on screens.
    pub court: String,
    /// 1 or 2 for a court with two instances; absent for a single system.
    pub instance: Option<u8>,
    /// The login page.
    pub url: String,
    /// Whether the court made A2F mandatory.
    pub mandatory: bool,
    /// Systems with the same group accept one registration: one key serves them all.
    pub shared_key_group: Option<String>,
}

impl From<&System> for SystemInfo {
    fn from(s: &System) -> Self {
        SystemInfo {
            id: s.id.as_str().to_owned(),
            name: s.name.to_owned(),
            court: s.court.to_owned(),
            instance: s.instance.map(|i| i.number()),
            url: s.url.to_owned(),
            mandatory: s.mandatory,
            shared_key_group: s.shared_key_group.map(str::to_owned),
        }
    }
}

/// The eproc systems, in the order of the courts' enrolment guide.
#[uniffi::export]
pub fn catalog() -> Vec<SystemInfo> {
    catalog::systems().iter().map(SystemInfo::from).collect()
}

/// The catalog ids a free text (an issuer, a label, a URL) refers to, in catalog order;
/// empty when nothing matches.
#[uniffi::export]
pub fn suggest_systems(text: String) -> Vec<String> {
    ids(catalog::suggest(&text))
}

fn ids(systems: Vec<SystemId>) -> Vec<String> {
    systems
        .into_iter()
        .map(|id| id.as_str().to_owned())
        .collect()
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, uniffi::Enum)]
pub enum OtpType {
    /// Time-based: a new code every `period` seconds. What eproc uses.
    Totp,
    /// Counter-based: a new code each time the counter moves.
    Hotp,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, uniffi::Enum)]
pub enum OtpAlgorithm {
    Sha1,
    Sha256,
    Sha512,
}

impl From<Algorithm> for OtpAlgorithm {
    fn from(algorithm: Algorithm) -> Self {
        match algorithm {
            Algorithm::Sha1 => OtpAlgorithm::Sha1,
            Algorithm::Sha256 => OtpAlgorithm::Sha256,
            Algorithm::Sha512 => OtpAlgorithm::Sha512,
        }
    }
}

/// Something the user should know about an input that was still accepted.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct ImportWarning {
    /// Stable snake_case code (`short_key`, `issuer_mismatch`, …).
    pub code: String,
    /// For the user, in the language set by `set_language`.
    pub message: String,
}

impl ImportWarning {
    fn new(warning: &Warning, lang: Lang) -> Self {
        ImportWarning {
            code: warning.code().to_owned(),
            message: warning.message(lang),
        }
    }
}

/// Why one item (an entry, an input's key) cannot be used, when the rest can: the
/// same `code` and message as the error the item alone would raise.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct ErrorInfo {
    pub code: String,
    /// For the user, in the language set by `set_language`.
    pub message: String,
}

impl ErrorInfo {
    fn new(error: &Error, lang: Lang) -> Self {
        let (code, message) = match A2fError::from_core(error, lang) {
            A2fError::InvalidInput { code, detail }
            | A2fError::Auth { code, detail }
            | A2fError::Damaged { code, detail }
            | A2fError::NotFound { code, detail }
            | A2fError::Internal { code, detail } => (code, detail),
        };
        ErrorInfo { code, message }
    }
}

/// One key found in an input, as the add-key screen shows it before saving.
/// It describes the key and never carries it.
#[derive(Clone, PartialEq, Eq, uniffi::Record)]
pub struct ImportPreview {
    pub kind: OtpType,
    pub issuer: Option<String>,
    /// The login the issuer put in the label (a CPF, an OAB number, an e-mail).
    pub account: Option<String>,
    pub algorithm: OtpAlgorithm,
    pub digits: u8,
    /// Seconds per code, for TOTP.
    pub period: Option<u32>,
    /// The counter of the next code, for HOTP.
    pub counter: Option<u64>,
    /// Catalog ids the issuer names: the systems to tick by default.
    pub suggested_systems: Vec<String>,
    pub warnings: Vec<ImportWarning>,
}

impl ImportPreview {
    fn new(parsed: &ParsedKey, lang: Lang) -> Self {
        let params = parsed.key.params;
        let (kind, period, counter) = match params.kind {
            OtpKind::Totp { period } => (OtpType::Totp, Some(period.get()), None),
            OtpKind::Hotp { counter } => (OtpType::Hotp, None, Some(counter.get())),
        };
        ImportPreview {
            kind,
            issuer: parsed.issuer.clone(),
            account: parsed.account.clone(),
            algorithm: params.algorithm.into(),
            digits: params.digits.get(),
            period,
            counter,
            suggested_systems: ids(parsed.suggested_systems()),
            warnings: parsed
                .warnings
                .iter()
                .map(|w| ImportWarning::new(w, lang))
                .collect(),
        }
    }
}

impl fmt::Debug for ImportPreview {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The account is personal data.
        f.debug_struct("ImportPreview")
            .field("kind", &self.kind)
            .field("issuer", &self.issuer)
            .field("account", &self.account.as_ref().map(|_| "[redacted]"))
            .field("algorithm", &self.algorithm)
            .field("digits", &self.digits)
            .field("period", &self.period)
            .field("counter", &self.counter)
            .field("suggested_systems", &self.suggested_systems)
            .field("warnings", &self.warnings)
            .finish()
    }
}

/// The codes of one key: a key not yet saved, so the user can check it against
/// eproc, or an HOTP entry just moved on.
#[derive(Clone, PartialEq, Eq, uniffi::Record)]
pub struct CodePreview {
    /// The code now, zero-padded.
    pub code: String,
    /// The code after it: the next step (TOTP) or the next counter (HOTP).
    pub next: String,
    /// Seconds `code` has left (TOTP); absent for HOTP, whose code lasts until used.
    pub valid_for: Option<u32>,
}

impl From<CodeView> for CodePreview {
    fn from(view: CodeView) -> Self {
        CodePreview {
            code: view.code.as_str().to_owned(),
            next: view.next.as_str().to_owned(),
            valid_for: view.valid_for,
        }
    }
}

impl fmt::Debug for CodePreview {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Codes are short-lived secrets.
        f.debug_struct("CodePreview")
            .field("code", &"[redacted]")
            .field("next", &"[redacted]")
            .field("valid_for", &self.valid_for)
            .finish()
    }
}

/// Reads a scanned or typed text (an otpauth URI, or a key as eproc shows it) into
/// previews, one per key, without storing anything.
#[uniffi::export]
pub fn parse_import(text: String) -> Result<Vec<ImportPreview>, A2fError> {
    // The text holds the key: wipe our copy once read.
    let text = Zeroizing::new(text);
    let lang = current_lang();
    let parsed = import::parse_text(&text)?;
    Ok(parsed.iter().map(|p| ImportPreview::new(p, lang)).collect())
}

/// The codes of each key in `text` at `at_unix` (seconds since 1970), in the order
/// `parse_import` returns the keys. The add-key screen calls it on a timer.
#[uniffi::export]
pub fn preview_code(text: String, at_unix: i64) -> Result<Vec<CodePreview>, A2fError> {
    let text = Zeroizing::new(text);
    let at = UnixTime::new(at_unix)?;
    let parsed = import::parse_text(&text)?;
    Ok(parsed
        .iter()
        .map(|p| CodePreview::from(p.key.view(at)))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    const RFC_SEED_BASE32: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

    fn err(result: Result<Vec<ImportPreview>, A2fError>) -> A2fError {
        result.expect_err("should be rejected")
    }

    #[test]
    fn catalog_mirrors_the_core_table() {
        let all = catalog();
        assert_eq!(all.len(), catalog::systems().len());
        let trf4 = all.iter().find(|s| s.id == "trf4").unwrap();
        assert_eq!(trf4.instance, None);
        assert_eq!(trf4.shared_key_group.as_deref(), Some("trf4"));
        let tjrs2 = all.iter().find(|s| s.id == "tjrs-2g").unwrap();
        assert_eq!(tjrs2.instance, Some(2));
        assert_eq!(tjrs2.court, "RS");
        assert!(tjrs2.mandatory);
        assert_eq!(tjrs2.shared_key_group, None);
    }

    #[test]
    fn suggestions_are_catalog_ids() {
        assert_eq!(
            suggest_systems("JFSC".into()),
            ["trf4", "jfpr", "jfsc", "jfrs"]
        );
        assert!(suggest_systems("GitHub".into()).is_empty());
    }

    #[test]
    fn previews_describe_without_the_key() {
        let uri = format!(
            "otpauth://totp/eproc%20TRF4:12345678900?secret={RFC_SEED_BASE32}&digits=8&period=60&algorithm=SHA256"
        );
        let previews = parse_import(uri).unwrap();
        assert_eq!(previews.len(), 1);
        let p = &previews[0];
        assert_eq!(p.kind, OtpType::Totp);
        assert_eq!(p.issuer.as_deref(), Some("eproc TRF4"));
        assert_eq!(p.account.as_deref(), Some("12345678900"));
        assert_eq!(p.algorithm, OtpAlgorithm::Sha256);
        assert_eq!((p.digits, p.period, p.counter), (8, Some(60), None));
        assert_eq!(p.suggested_systems, ["trf4", "jfpr", "jfsc", "jfrs"]);
        assert!(p.warnings.is_empty());
        let shown = format!("{p:?}");
        assert!(!shown.contains("12345678900") && !shown.contains("GEZD"));
    }

    #[test]
    fn hotp_and_warnings() {
        let p = parse_import("otpauth://hotp/x?secret=JBSWY3DPEHPK3PXP&counter=7".into())
            .unwrap()
            .remove(0);
        assert_eq!(p.kind, OtpType::Hotp);
        assert_eq!((p.period, p.counter), (None, Some(7)));
        assert_eq!(p.warnings.len(), 1);
        assert_eq!(p.warnings[0].code, "short_key");
        assert!(!p.warnings[0].message.is_empty());
    }

    #[test]
    fn codes_follow_rfc6238() {
        let uri = format!("otpauth://totp/x?secret={RFC_SEED_BASE32}&digits=8");
        let at_59 = preview_code(uri.clone(), 59).unwrap().remove(0);
        assert_eq!(at_59.code, "94287082");
        assert_eq!(at_59.valid_for, Some(1));
        let at_60 = preview_code(uri, 60).unwrap().remove(0);
        assert_eq!(at_59.next, at_60.code);
        assert!(!format!("{at_59:?}").contains("94287082"));
        let typed = preview_code(
            "gezd gnbv gy3t qojq gezd gnbv gy3t qojq".into(),
            1_111_111_109,
        )
        .unwrap()
        .remove(0);
        // RFC 6238's 8-digit 07081804, at eproc's 6 digits.
        assert_eq!(typed.code, "081804");
    }

    #[test]
    fn bad_input_is_a_typed_error_with_the_core_code() {
        match err(parse_import(" ".into())) {
            A2fError::InvalidInput { code, detail } => {
                assert_eq!(code, "empty_input");
                assert!(!detail.is_empty());
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(err(parse_import("JBSWY3DP".into())).code(), "key_too_short");
        assert_eq!(
            preview_code(RFC_SEED_BASE32.into(), -1).unwrap_err().code(),
            "time_out_of_range"
        );
        let secret_in_error = err(parse_import(format!("{RFC_SEED_BASE32}1")));
        assert_eq!(secret_in_error.code(), "invalid_secret_character");
        assert!(!secret_in_error.to_string().contains("GEZD"));
    }

    #[test]
    fn every_kind_has_its_variant() {
        let cases = [
            (Error::UnknownSystem { id: "x".into() }, "InvalidInput"),
            (Error::WrongPassphrase, "Auth"),
            (Error::VaultDamaged, "Damaged"),
            (Error::EntryNotFound, "NotFound"),
            (Error::Internal, "Internal"),
        ];
        for (error, family) in cases {
            let mapped = A2fError::from_core(&error, Lang::En);
            let (variant, code, detail) = match &mapped {
                A2fError::InvalidInput { code, detail } => ("InvalidInput", code, detail),
                A2fError::Auth { code, detail } => ("Auth", code, detail),
                A2fError::Damaged { code, detail } => ("Damaged", code, detail),
                A2fError::NotFound { code, detail } => ("NotFound", code, detail),
                A2fError::Internal { code, detail } => ("Internal", code, detail),
            };
            assert_eq!(variant, family, "{}", error.code());
            assert_eq!(code, error.code().as_str());
            assert_eq!(*detail, error.message(Lang::En));
            assert_eq!(
                A2fError::from_core(&error, Lang::Pt).to_string(),
                format!("{}: {}", error.code(), error.message(Lang::Pt))
            );
        }
    }

    #[test]
    fn callback_failures_are_internal() {
        let e: A2fError =
            uniffi::UnexpectedUniFFICallbackError::new("keystore said 12345678900").into();
        assert_eq!(e.code(), CALLBACK_FAILED);
        assert!(matches!(e, A2fError::Internal { .. }));
        assert!(!e.to_string().contains("12345678900"));
    }

    #[test]
    fn language_is_global_and_switchable() {
        // The only test that touches the global language: others use explicit ones.
        assert_eq!(language_for_locale("pt-BR".into()), Language::PtBr);
        assert_eq!(language_for_locale("en-US".into()), Language::En);
        set_language(Language::En);
        let english = err(parse_import(String::new()));
        set_language(Language::PtBr);
        let portuguese = err(parse_import(String::new()));
        assert_eq!(english.code(), portuguese.code());
        assert_eq!(english.to_string(), "empty_input: The input is empty.");
        assert_eq!(portuguese.to_string(), "empty_input: A entrada está vazia.");
    }
}
