//! `otpauth://` URIs, after Google's Key Uri Format
//! (github.com/google/google-authenticator/wiki/Key-Uri-Format), read the way real
//! authenticators read them and written canonically.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};
use zeroize::Zeroizing;

use crate::error::{Error, Result, UriProblem};
use crate::import::{ParsedKey, Warning};
use crate::otp::{Algorithm, Counter, Digits, OtpKey, OtpKind, OtpParams, Period};
use crate::secret::Secret;

pub const SCHEME: &str = "otpauth";

/// RFC 3986's unreserved characters stay as they are; everything else is escaped.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Reads one `otpauth://` URI. The caller has checked the scheme.
pub fn parse(uri: &str) -> Result<ParsedKey> {
    let rest = strip_scheme(uri).ok_or(Error::MalformedUri {
        reason: UriProblem::MissingType,
    })?;
    // A fragment is not part of the key (RFC 3986 §3.5).
    let rest = rest.split('#').next().unwrap_or_default();
    let rest = rest.strip_prefix("//").unwrap_or(rest);
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    let (otp_type, label) = path.split_once('/').unwrap_or((path, ""));

    let is_totp = match otp_type.to_ascii_lowercase().as_str() {
        "totp" => true,
        "hotp" => false,
        "" => {
            return Err(Error::MalformedUri {
                reason: UriProblem::MissingType,
            });
        }
        other => {
            return Err(Error::UnsupportedOtpType { kind: other.into() });
        }
    };
    let params = Query::parse(query)?;
    let secret_text = params.get("secret").ok_or(Error::MissingSecret)?;
    if secret_text.trim().is_empty() {
        return Err(Error::EmptySecret);
    }
    let secret = Secret::from_base32(secret_text)?;

    let algorithm = match params.get("algorithm") {
        Some(name) => Algorithm::parse(name)?,
        None => Algorithm::Sha1,
    };
    let digits = match params.get("digits") {
        Some(text) => Digits::new(number(text).ok_or(Error::InvalidDigits)?)?,
        None => Digits::default(),
    };
    let kind = if is_totp {
        OtpKind::Totp {
            period: match params.get("period") {
                Some(text) => Period::new(number(text).ok_or(Error::InvalidPeriod)?)?,
                None => Period::default(),
            },
        }
    } else {
        OtpKind::Hotp {
            counter: Counter::new(
                number(params.get("counter").ok_or(Error::MissingCounter)?)
                    .ok_or(Error::InvalidCounter)?,
            )?,
        }
    };

    let label = decode_component(label, false)?;
    let param_issuer = params.get("issuer").and_then(non_empty);
    let (label_issuer, account) = split_label(&label, param_issuer.as_deref());
    let mut warnings = Vec::new();
    if let (Some(from_label), Some(from_param)) = (&label_issuer, &param_issuer)
        && from_label != from_param
    {
        warnings.push(Warning::IssuerMismatch);
    }
    let issuer = param_issuer.or(label_issuer);
    if secret.bits() < crate::secret::RECOMMENDED_MIN_BITS {
        warnings.push(Warning::ShortKey {
            bits: secret.bits(),
        });
    }

    Ok(ParsedKey {
        key: OtpKey {
            secret,
            params: OtpParams {
                kind,
                algorithm,
                digits,
            },
        },
        issuer,
        account,
        warnings,
    })
}

/// Whether `text` starts with the `otpauth:` scheme, in any case.
pub fn has_scheme(text: &str) -> bool {
    strip_scheme(text).is_some()
}

fn strip_scheme(text: &str) -> Option<&str> {
    let (scheme, rest) = text.split_once(':')?;
    scheme.eq_ignore_ascii_case(SCHEME).then_some(rest)
}

/// Splits a decoded label into issuer prefix and account. When the issuer parameter is
/// known and prefixes the label, it is the prefix even if it contains a colon itself.
pub(crate) fn split_label(label: &str, issuer: Option<&str>) -> (Option<String>, Option<String>) {
    if let Some(issuer) = issuer {
        // The label may hold the issuer alone.
        if label.trim() == issuer {
            return (Some(issuer.to_owned()), None);
        }
        if let Some(account) = label
            .strip_prefix(issuer)
            .and_then(|rest| rest.strip_prefix(':'))
        {
            return (Some(issuer.to_owned()), non_empty(account));
        }
    }
    match label.split_once(':') {
        Some((prefix, account)) => (non_empty(prefix), non_empty(account)),
        None => (None, non_empty(label)),
    }
}

fn non_empty(text: &str) -> Option<String> {
    let trimmed = text.trim();
    (!trimmed.is_empty()).then(|| trimmed.to_owned())
}

/// A whole number as apps write it; signs, fractions and overflow are not numbers here.
fn number(text: &str) -> Option<u64> {
    let t = text.trim();
    if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    t.parse().ok()
}

/// Percent-decodes a URI component to UTF-8 text. In the query, `+` is a space (HTML
/// form encoding, which many generators use); in the path it is a literal plus.
fn decode_component(raw: &str, plus_is_space: bool) -> Result<String> {
    let bad = || Error::MalformedUri {
        reason: UriProblem::BadEncoding,
    };
    // The secret may be among the values: the copy is wiped too.
    let spaced;
    let raw = if plus_is_space && raw.contains('+') {
        spaced = Zeroizing::new(raw.replace('+', " "));
        spaced.as_str()
    } else {
        raw
    };
    percent_decode_str(raw)
        .decode_utf8()
        .map(|text| text.into_owned())
        .map_err(|_| bad())
}

/// The query parameters the format defines, each at most once; unknown ones (`image`,
/// `lock`, …) are skipped unread.
struct Query {
    values: Vec<(&'static str, Zeroizing<String>)>,
}

impl Query {
    const KNOWN: [&'static str; 6] = [
        "secret",
        "issuer",
        "algorithm",
        "digits",
        "period",
        "counter",
    ];

    fn parse(query: &str) -> Result<Self> {
        let mut values: Vec<(&'static str, Zeroizing<String>)> = Vec::new();
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (raw_name, raw_value) = pair.split_once('=').unwrap_or((pair, ""));
            let Some(name) = Self::KNOWN
                .iter()
                .find(|known| known.eq_ignore_ascii_case(raw_name.trim()))
            else {
                continue;
            };
            if values.iter().any(|(seen, _)| seen == name) {
                return Err(Error::DuplicateParameter {
                    name: (*name).into(),
                });
            }
            values.push((name, Zeroizing::new(decode_component(raw_value, true)?)));
        }
        Ok(Query { values })
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.values
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Writes the canonical URI: escaped label `issuer:account`, key without padding, every
/// parameter spelled out. `parse(write(k)) == k`.
pub fn write(key: &OtpKey, issuer: Option<&str>, account: Option<&str>) -> Zeroizing<String> {
    let enc = |s: &str| utf8_percent_encode(s, COMPONENT).to_string();
    let issuer = issuer.map(str::trim).filter(|s| !s.is_empty());
    let account = account.map(str::trim).filter(|s| !s.is_empty());
    let label = match (issuer, account) {
        (Some(i), Some(a)) => format!("{}:{}", enc(i), enc(a)),
        (Some(i), None) => enc(i),
        // A colon in the account would read as an issuer prefix: lead with an empty one.
        (None, Some(a)) if a.contains(':') => format!(":{}", enc(a)),
        (None, Some(a)) => enc(a),
        (None, None) => String::new(),
    };
    let params = &key.params;
    let secret = key.secret.to_base32();
    let issuer_param = issuer.map(enc);
    // Sized for everything below (the fixed words and numbers take under 100 bytes), so
    // that the buffer holding the key is never reallocated, which would leave a copy.
    let capacity = 100 + label.len() + secret.len() + issuer_param.as_ref().map_or(0, String::len);
    let mut uri = Zeroizing::new(String::with_capacity(capacity));
    uri.push_str(SCHEME);
    uri.push_str("://");
    uri.push_str(params.kind.name());
    uri.push('/');
    uri.push_str(&label);
    uri.push_str("?secret=");
    uri.push_str(&secret);
    if let Some(i) = &issuer_param {
        uri.push_str("&issuer=");
        uri.push_str(i);
    }
    uri.push_str("&algorithm=");
    uri.push_str(params.algorithm.as_str());
    uri.push_str("&digits=");
    uri.push_str(&params.digits.get().to_string());
    match params.kind {
        OtpKind::Totp { period } => {
            uri.push_str("&period=");
            uri.push_str(&period.get().to_string());
        }
        OtpKind::Hotp { counter } => {
            uri.push_str("&counter=");
            uri.push_str(&counter.get().to_string());
        }
    }
    debug_assert!(uri.len() <= capacity);
    uri
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::otp::UnixTime;
    use crate::otp::strategies::any_params;
    use proptest::prelude::*;

    const RFC_KEY: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

    fn ok(uri: &str) -> ParsedKey {
        parse(uri).unwrap_or_else(|e| panic!("{uri}: {e}"))
    }

    fn code_at(p: &ParsedKey, t: i64) -> String {
        p.key.code(UnixTime::new(t).unwrap()).as_str().to_owned()
    }

    #[test]
    fn reads_a_full_uri() {
        let p = ok(
            "otpauth://totp/TRF4:joao%40adv.br?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=TRF4&algorithm=SHA1&digits=8&period=30",
        );
        assert_eq!(p.issuer.as_deref(), Some("TRF4"));
        assert_eq!(p.account.as_deref(), Some("joao@adv.br"));
        assert_eq!(p.key.params.digits.get(), 8);
        assert_eq!(code_at(&p, 59), "94287082");
        assert!(p.warnings.is_empty());
    }

    #[test]
    fn defaults_are_eprocs() {
        let p = ok("otpauth://totp/x?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
        assert_eq!(p.key.params, OtpParams::default_totp());
    }

    #[test]
    fn scheme_and_type_are_case_insensitive() {
        let p = ok("OTPAUTH://TOTP/a?SECRET=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
        assert!(matches!(p.key.params.kind, OtpKind::Totp { .. }));
        let p = ok("otpauth://Hotp/a?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&counter=1");
        assert_eq!(code_at(&p, 0), "287082");
    }

    #[test]
    fn label_forms() {
        let cases: [(&str, Option<&str>, Option<&str>); 9] = [
            (
                "otpauth://totp/ACME%3Ajo?secret=GEZDGNBVGY3TQOJQ",
                Some("ACME"),
                Some("jo"),
            ),
            (
                "otpauth://totp/ACME:%20jo%20?secret=GEZDGNBVGY3TQOJQ",
                Some("ACME"),
                Some("jo"),
            ),
            (
                "otpauth://totp/a+b?secret=GEZDGNBVGY3TQOJQ",
                None,
                Some("a+b"),
            ),
            (
                "otpauth://totp/Jo%C3%A3o%20Ara%C3%BAjo?secret=GEZDGNBVGY3TQOJQ",
                None,
                Some("João Araújo"),
            ),
            ("otpauth://totp/?secret=GEZDGNBVGY3TQOJQ", None, None),
            ("otpauth://totp?secret=GEZDGNBVGY3TQOJQ", None, None),
            (
                "otpauth://totp/TJRS?secret=GEZDGNBVGY3TQOJQ&issuer=TJRS",
                Some("TJRS"),
                None,
            ),
            (
                "otpauth://totp/a:b:c?secret=GEZDGNBVGY3TQOJQ",
                Some("a"),
                Some("b:c"),
            ),
            (
                "otpauth://totp/x?secret=GEZDGNBVGY3TQOJQ&issuer=Caf%C3%A9+Co",
                Some("Café Co"),
                Some("x"),
            ),
        ];
        for (uri, issuer, account) in cases {
            let p = ok(uri);
            assert_eq!(p.issuer.as_deref(), issuer, "{uri}");
            assert_eq!(p.account.as_deref(), account, "{uri}");
        }
    }

    #[test]
    fn issuer_parameter_wins_with_a_warning() {
        let p = ok(
            "otpauth://totp/Microsoft:jo?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Outlook",
        );
        assert_eq!(p.issuer.as_deref(), Some("Outlook"));
        assert_eq!(p.account.as_deref(), Some("jo"));
        assert_eq!(p.warnings, [Warning::IssuerMismatch]);
    }

    #[test]
    fn normalises_the_secret() {
        for secret in [
            "gezdgnbvgy3tqojqgezdgnbvgy3tqojq",
            "GEZD%20GNBV%20GY3T%20QOJQ%20GEZD%20GNBV%20GY3T%20QOJQ",
            "GEZD-GNBV-GY3T-QOJQ-GEZD-GNBV-GY3T-QOJQ",
            "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ%3D%3D%3D",
            "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ===",
            "GEZD+GNBV+GY3T+QOJQ+GEZD+GNBV+GY3T+QOJQ",
        ] {
            let p = ok(&format!("otpauth://totp/x?secret={secret}"));
            assert_eq!(&*p.key.secret.to_base32(), RFC_KEY, "{secret}");
        }
    }

    #[test]
    fn parameters() {
        let p = ok(
            "otpauth://totp/x?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNA%3D&algorithm=sha512&digits=8&period=30",
        );
        assert_eq!(p.key.params.algorithm, Algorithm::Sha512);
        assert_eq!(code_at(&p, 59), "90693936");
        let p = ok(
            "otpauth://totp/x?secret=GEZDGNBVGY3TQOJQ&period=60&image=https%3A%2F%2Fx&lock=true&foo",
        );
        assert_eq!(
            p.key.params.kind,
            OtpKind::Totp {
                period: Period::new(60).unwrap()
            }
        );
        let p = ok("otpauth://totp/x?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ#frag");
        assert_eq!(&*p.key.secret.to_base32(), RFC_KEY);
    }

    #[test]
    fn short_keys_warn() {
        let p = ok("otpauth://totp/x?secret=JBSWY3DPEHPK3PXP");
        assert_eq!(p.warnings, [Warning::ShortKey { bits: 80 }]);
    }

    #[test]
    fn rejections() {
        let cases: [(&str, &str); 20] = [
            ("otpauth://totp/x", "missing_secret"),
            ("otpauth://totp/x?secret=", "empty_secret"),
            ("otpauth://totp/x?secret=%20%20", "empty_secret"),
            (
                "otpauth://totp/x?secret=GEZD1GNBV",
                "invalid_secret_character",
            ),
            (
                "otpauth://totp/x?secret=GEZDGNBVGY3TQOJQ&digits=-6",
                "invalid_digits",
            ),
            (
                "otpauth://totp/x?secret=GEZDGNBVGY3TQOJQ&digits=0",
                "invalid_digits",
            ),
            (
                "otpauth://totp/x?secret=GEZDGNBVGY3TQOJQ&digits=10",
                "invalid_digits",
            ),
            (
                "otpauth://totp/x?secret=GEZDGNBVGY3TQOJQ&digits=100",
                "invalid_digits",
            ),
            (
                "otpauth://totp/x?secret=GEZDGNBVGY3TQOJQ&digits=six",
                "invalid_digits",
            ),
            (
                "otpauth://totp/x?secret=GEZDGNBVGY3TQOJQ&period=0",
                "invalid_period",
            ),
            (
                "otpauth://totp/x?secret=GEZDGNBVGY3TQOJQ&period=-30",
                "invalid_period",
            ),
            (
                "otpauth://totp/x?secret=GEZDGNBVGY3TQOJQ&period=18446744073709551615",
                "invalid_period",
            ),
            (
                "otpauth://totp/x?secret=GEZDGNBVGY3TQOJQ&period=99999999999999999999999",
                "invalid_period",
            ),
            (
                "otpauth://hotp/x?secret=GEZDGNBVGY3TQOJQ",
                "missing_counter",
            ),
            (
                "otpauth://hotp/x?secret=GEZDGNBVGY3TQOJQ&counter=-1",
                "invalid_counter",
            ),
            (
                "otpauth://hotp/x?secret=GEZDGNBVGY3TQOJQ&counter=18446744073709551615",
                "invalid_counter",
            ),
            (
                "otpauth://totp/x?secret=GEZDGNBVGY3TQOJQ&algorithm=MD5",
                "unsupported_algorithm",
            ),
            (
                "otpauth://steam/x?secret=GEZDGNBVGY3TQOJQ",
                "unsupported_otp_type",
            ),
            ("otpauth:///x?secret=GEZDGNBVGY3TQOJQ", "malformed_uri"),
            (
                "otpauth://totp/x?secret=GEZDGNBVGY3TQOJQ&secret=GEZDGNBVGY3TQOJQ",
                "duplicate_parameter",
            ),
        ];
        for (uri, code) in cases {
            let err = parse(uri)
                .err()
                .unwrap_or_else(|| panic!("{uri} was accepted"));
            assert_eq!(err.code().as_str(), code, "{uri}");
        }
        assert_eq!(
            parse("otpauth://totp/%FF?secret=GEZDGNBVGY3TQOJQ")
                .unwrap_err()
                .code()
                .as_str(),
            "malformed_uri"
        );
        assert_eq!(
            parse("otpauth:").unwrap_err().code().as_str(),
            "malformed_uri"
        );
    }

    #[test]
    fn writes_canonically() {
        let p = ok(
            "otpauth://totp/Caf%C3%A9%20Co:jo%C3%A3o%40x?secret=gezd+gnbv+gy3t+qojq+gezd+gnbv+gy3t+qojq%3D&issuer=Caf%C3%A9+Co",
        );
        let uri = write(&p.key, p.issuer.as_deref(), p.account.as_deref());
        assert_eq!(
            &*uri,
            "otpauth://totp/Caf%C3%A9%20Co:jo%C3%A3o%40x?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Caf%C3%A9%20Co&algorithm=SHA1&digits=6&period=30"
        );
    }

    fn name() -> impl Strategy<Value = Option<String>> {
        proptest::option::of("[ -~À-ÿ:%+&=?#/]{0,20}")
    }

    proptest! {
        #[test]
        fn parse_of_write_is_identity(
            bytes in proptest::collection::vec(any::<u8>(), 1..=64),
            params in any_params(),
            issuer in name(),
            account in name(),
        ) {
            let key = OtpKey { secret: Secret::from_bytes(bytes).unwrap(), params };
            let uri = write(&key, issuer.as_deref(), account.as_deref());
            let back = parse(&uri).unwrap();
            let norm = |s: Option<String>| s.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
            let issuer = norm(issuer);
            prop_assert_eq!(&back.key, &key);
            prop_assert_eq!(&back.issuer, &issuer);
            prop_assert_eq!(back.account, norm(account));
            prop_assert!(!back.warnings.contains(&Warning::IssuerMismatch));
        }

        #[test]
        fn never_panics_on_arbitrary_text(text in "otpauth://[ -~]{0,80}") {
            let _ = parse(&text);
        }
    }
}
