//! Aegis Authenticator's plain JSON export, read and written. The format is Aegis's own
//! `docs/vault.md`: a file of version 1 with a `header` (null `slots` and `params` when
//! not encrypted) and a `db` whose content format is at version 3; see also FORMATS.md.

use std::fmt;
use std::io;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize};
use serde_json::error::Category;
use serde_json::value::RawValue;
use zeroize::Zeroizing;

use crate::error::{Error, JsonProblem, Result};
use crate::import::{self, ParsedKey};
use crate::otp::{Algorithm, Counter, Digits, OtpKey, OtpKind, OtpParams, Period};
use crate::report::{Item, Locator, Report};
use crate::secret::Secret;

/// The vault file format Aegis writes and reads.
pub const FILE_VERSION: i64 = 1;

/// The newest content (`db`) format known here; 1 and 2 differ only in fields this
/// reader does not use (groups).
pub const CONTENT_VERSION: i64 = 3;

/// An export with a thousand entries and their icons stays far below this.
pub const MAX_JSON_BYTES: usize = 32 * 1024 * 1024;

#[derive(Deserialize)]
struct RawFile<'a> {
    version: Option<i64>,
    header: Option<RawHeader<'a>>,
    #[serde(borrow)]
    db: Option<&'a RawValue>,
}

#[derive(Deserialize)]
struct RawHeader<'a> {
    #[serde(borrow)]
    slots: Option<&'a RawValue>,
    #[serde(borrow)]
    params: Option<&'a RawValue>,
}

/// Entries stay raw until each is read on its own.
#[derive(Deserialize)]
struct RawDb<'a> {
    version: Option<i64>,
    #[serde(borrow)]
    entries: Option<Vec<&'a RawValue>>,
}

#[derive(Deserialize)]
struct RawEntry<'a> {
    #[serde(rename = "type")]
    kind: String,
    name: Option<String>,
    issuer: Option<String>,
    #[serde(borrow)]
    info: &'a RawValue,
}

#[derive(Deserialize)]
struct RawInfo {
    secret: SecretText,
    algo: String,
    digits: i64,
    period: Option<i64>,
    counter: Option<i64>,
}

/// The base32 key as read from the JSON, wiped on drop.
struct SecretText(Zeroizing<String>);

impl<'de> Deserialize<'de> for SecretText {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        struct Text;
        impl Visitor<'_> for Text {
            type Value = SecretText;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a base32 key")
            }

            fn visit_str<E: de::Error>(self, v: &str) -> std::result::Result<SecretText, E> {
                Ok(SecretText(Zeroizing::new(v.to_owned())))
            }
        }
        deserializer.deserialize_str(Text)
    }
}

/// Reads an Aegis export. The file as a whole fails only when it is not an Aegis export
/// that can be read (not JSON, encrypted, of an unknown version); every entry is then an
/// item of the report, read or not, located by its index in `db.entries`.
pub fn read(json: &str) -> Result<Report> {
    if json.len() > MAX_JSON_BYTES {
        return Err(Error::InputTooLarge {
            max_bytes: MAX_JSON_BYTES,
        });
    }
    let json = json.trim_start_matches('\u{feff}');
    let file: RawFile = serde_json::from_str(json).map_err(file_error)?;
    let not_aegis = || Error::InvalidAegisJson {
        problem: JsonProblem::NotAegis,
    };
    match file.version {
        Some(FILE_VERSION) => {}
        Some(version) => return Err(Error::UnsupportedAegisVersion { version }),
        None => return Err(not_aegis()),
    }
    let db = file.db.ok_or_else(not_aegis)?;
    // An encrypted vault holds its content as a Base64 string, and says so in the header.
    let header_encrypted = file
        .header
        .is_some_and(|h| h.slots.is_some() || h.params.is_some());
    let db_text = db.get();
    if db_text.starts_with('"') || (header_encrypted && !db_text.starts_with('{')) {
        return Err(Error::EncryptedAegisExport);
    }
    let db: RawDb = serde_json::from_str(db_text).map_err(|_| not_aegis())?;
    match db.version {
        Some(1..=CONTENT_VERSION) => {}
        Some(version) => return Err(Error::UnsupportedAegisVersion { version }),
        None => return Err(not_aegis()),
    }
    let entries = db.entries.ok_or_else(not_aegis)?;
    Ok(Report {
        items: entries
            .into_iter()
            .enumerate()
            .map(|(index, raw)| Item {
                locator: Locator::Entry { index },
                outcome: read_entry(raw),
            })
            .collect(),
        transfers: Vec::new(),
    })
}

/// Syntax errors say where the parser stopped; a JSON value of another shape is just
/// not an Aegis export. serde_json's own message is not passed on: it may quote values.
fn file_error(error: serde_json::Error) -> Error {
    let problem = match error.classify() {
        Category::Data => JsonProblem::NotAegis,
        Category::Syntax | Category::Eof | Category::Io => JsonProblem::Syntax {
            line: error.line(),
            column: error.column(),
        },
    };
    Error::InvalidAegisJson { problem }
}

fn read_entry(raw: &RawValue) -> Result<ParsedKey> {
    let bad_entry = || Error::InvalidAegisJson {
        problem: JsonProblem::BadEntry,
    };
    let entry: RawEntry = serde_json::from_str(raw.get()).map_err(|_| bad_entry())?;
    // Steam, Yandex and mOTP compute codes their own way: outside this project.
    let is_totp = match entry.kind.as_str() {
        "totp" => true,
        "hotp" => false,
        _ => {
            return Err(Error::UnsupportedOtpType {
                kind: entry.kind.into(),
            });
        }
    };
    let info: RawInfo = serde_json::from_str(entry.info.get()).map_err(|_| bad_entry())?;
    let algorithm = Algorithm::parse(&info.algo)?;
    let digits = Digits::new(u64::try_from(info.digits).map_err(|_| Error::InvalidDigits)?)?;
    let kind = if is_totp {
        OtpKind::Totp {
            // Aegis always writes the period; 30 s is the Key Uri Format's default.
            period: match info.period {
                Some(p) => Period::new(u64::try_from(p).map_err(|_| Error::InvalidPeriod)?)?,
                None => Period::DEFAULT,
            },
        }
    } else {
        let counter = info.counter.ok_or(Error::MissingCounter)?;
        OtpKind::Hotp {
            counter: Counter::new(u64::try_from(counter).map_err(|_| Error::InvalidCounter)?)?,
        }
    };
    let secret = Secret::from_base32(&info.secret.0)?;
    let warnings = import::short_key_warning(&secret).into_iter().collect();
    let trimmed = |s: Option<String>| s.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
    Ok(ParsedKey {
        key: OtpKey {
            secret,
            params: OtpParams {
                kind,
                algorithm,
                digits,
            },
        },
        issuer: trimmed(entry.issuer),
        account: trimmed(entry.name),
        warnings,
    })
}

#[derive(Serialize)]
struct OutFile<'a> {
    version: i64,
    header: OutHeader,
    db: OutDb<'a>,
}

/// Null slots and params: not encrypted.
#[derive(Serialize)]
struct OutHeader {
    slots: Option<()>,
    params: Option<()>,
}

#[derive(Serialize)]
struct OutDb<'a> {
    version: i64,
    entries: Vec<OutEntry<'a>>,
    groups: &'static [()],
}

/// Every field Aegis 3 writes for an entry, so that Aegis reads it as its own.
#[derive(Serialize)]
struct OutEntry<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    uuid: String,
    name: &'a str,
    issuer: &'a str,
    note: &'static str,
    favorite: bool,
    icon: Option<()>,
    icon_mime: Option<()>,
    icon_hash: Option<()>,
    info: OutInfo<'a>,
    groups: &'static [()],
}

#[derive(Serialize)]
struct OutInfo<'a> {
    secret: &'a str,
    algo: &'static str,
    digits: u8,
    #[serde(skip_serializing_if = "Option::is_none")]
    period: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    counter: Option<u64>,
}

/// Writes an Aegis plain export of `keys`, each with a fresh random UUID. The output
/// holds the keys: it is wiped on drop, and built in a buffer sized beforehand so that
/// no partial copy is left behind by a reallocation.
pub fn write(keys: &[ParsedKey]) -> Result<Zeroizing<String>> {
    let secrets: Vec<Zeroizing<String>> = keys.iter().map(|k| k.key.secret.to_base32()).collect();
    let uuids = random_uuids(keys.len())?;
    let entries = keys
        .iter()
        .zip(&secrets)
        .zip(uuids)
        .map(|((key, secret), uuid)| {
            let params = key.key.params;
            let (period, counter) = match params.kind {
                OtpKind::Totp { period } => (Some(period.get()), None),
                OtpKind::Hotp { counter } => (None, Some(counter.get())),
            };
            OutEntry {
                kind: params.kind.name(),
                uuid,
                name: key.account.as_deref().map_or("", str::trim),
                issuer: key.issuer.as_deref().map_or("", str::trim),
                note: "",
                favorite: false,
                icon: None,
                icon_mime: None,
                icon_hash: None,
                info: OutInfo {
                    secret,
                    algo: params.algorithm.as_str(),
                    digits: params.digits.get(),
                    period,
                    counter,
                },
                groups: &[],
            }
        })
        .collect();
    let file = OutFile {
        version: FILE_VERSION,
        header: OutHeader {
            slots: None,
            params: None,
        },
        db: OutDb {
            version: CONTENT_VERSION,
            entries,
            groups: &[],
        },
    };
    let mut counter = ByteCounter(0);
    // serde_json fails only on I/O errors and non-string map keys: neither can happen
    // with these structs and an in-memory writer.
    serde_json::to_writer_pretty(&mut counter, &file).expect("counting cannot fail");
    let mut bytes = Zeroizing::new(Vec::with_capacity(counter.0));
    serde_json::to_writer_pretty(&mut *bytes, &file).expect("writing to memory cannot fail");
    let text = String::from_utf8(std::mem::take(&mut *bytes)).expect("serde_json writes UTF-8");
    Ok(Zeroizing::new(text))
}

/// Counts what would be written, to size the real buffer.
struct ByteCounter(usize);

impl io::Write for ByteCounter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0 += buf.len();
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Version 4 UUIDs from the system's CSPRNG (RFC 9562 §5.4: version 4 in the high
/// nibble of octet 6, variant `10` in the top bits of octet 8), lower-case as Aegis
/// writes them.
fn random_uuids(count: usize) -> Result<Vec<String>> {
    let mut bytes = vec![0u8; count * 16];
    getrandom::fill(&mut bytes).map_err(|_| Error::RandomUnavailable)?;
    Ok(bytes
        .chunks_exact_mut(16)
        .map(|b| {
            b[6] = (b[6] & 0x0f) | 0x40;
            b[8] = (b[8] & 0x3f) | 0x80;
            let hex: String = b.iter().map(|byte| format!("{byte:02x}")).collect();
            format!(
                "{}-{}-{}-{}-{}",
                &hex[0..8],
                &hex[8..12],
                &hex[12..16],
                &hex[16..20],
                &hex[20..32]
            )
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorCode;
    use crate::i18n::Lang;
    use crate::migration::tests::{any_params, normalized, parsed_key, sample_keys};
    use crate::otp::UnixTime;
    use proptest::prelude::*;
    use serde_json::{Value, json};

    fn fixture(name: &str) -> String {
        let path = format!("{}/../tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    fn code(key: &ParsedKey, t: i64) -> String {
        key.key.code(UnixTime::new(t).unwrap()).as_str().to_owned()
    }

    #[test]
    fn reads_the_plain_fixture_entry_by_entry() {
        let report = read(&fixture("aegis-plain.json")).unwrap();
        assert!(report.transfers.is_empty());
        let locators: Vec<Locator> = report.items.iter().map(|i| i.locator).collect();
        assert_eq!(
            locators,
            (0..7)
                .map(|index| Locator::Entry { index })
                .collect::<Vec<_>>()
        );
        let ok: Vec<&ParsedKey> = report
            .items
            .iter()
            .filter_map(|i| i.outcome.as_ref().ok())
            .collect();
        assert_eq!(ok.len(), 4);
        assert_eq!(ok[0].issuer.as_deref(), Some("eproc TRF4"));
        assert_eq!(ok[0].account.as_deref(), Some("12345678900"));
        assert_eq!(ok[0].key.params, OtpParams::default_totp());
        assert_eq!(code(ok[0], 59), "287082");
        assert_eq!(code(ok[1], 59), "46119246");
        assert_eq!(code(ok[2], 59), "90693936");
        assert_eq!(ok[3].issuer, None);
        assert_eq!(
            ok[3].key.params.kind,
            OtpKind::Hotp {
                counter: Counter::new(7).unwrap()
            }
        );
        assert_eq!(code(ok[3], 0), "162583");
        let unsupported: Vec<(usize, String)> = report
            .items
            .iter()
            .filter_map(|i| match (&i.locator, &i.outcome) {
                (Locator::Entry { index }, Err(Error::UnsupportedOtpType { kind })) => {
                    Some((*index, kind.as_str().to_owned()))
                }
                _ => None,
            })
            .collect();
        assert_eq!(
            unsupported,
            [
                (4, "steam".into()),
                (5, "yandex".into()),
                (6, "motp".into())
            ]
        );
    }

    #[test]
    fn an_encrypted_export_says_how_to_get_a_plain_one() {
        let err = read(&fixture("aegis-encrypted.json")).unwrap_err();
        assert_eq!(err.code(), ErrorCode::EncryptedAegisExport);
        assert_eq!(
            err.message(Lang::En),
            "Encrypted Aegis export: export it as plain JSON from Aegis first."
        );
        assert!(err.message(Lang::Pt).contains("JSON simples"));
        // The header alone says so too, whatever db holds.
        let header_only = json!({"version": 1, "header": {"slots": [], "params": {}}, "db": 5});
        assert_eq!(
            read(&header_only.to_string()).unwrap_err().code(),
            ErrorCode::EncryptedAegisExport
        );
    }

    fn entry(info: Value) -> Value {
        json!({"type": "totp", "uuid": "x", "name": "n", "issuer": "i", "info": info})
    }

    fn file(entries: Vec<Value>) -> String {
        json!({
            "version": 1,
            "header": {"slots": null, "params": null},
            "db": {"version": 2, "entries": entries}
        })
        .to_string()
    }

    const KEY: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

    #[test]
    fn a_bad_entry_is_reported_in_its_place() {
        let good = entry(json!({"secret": KEY, "algo": "SHA1", "digits": 6, "period": 30}));
        let cases: Vec<(Value, ErrorCode)> = vec![
            (
                entry(json!({"secret": KEY, "algo": "SHA1", "digits": "six", "period": 30})),
                ErrorCode::InvalidAegisJson,
            ),
            (
                entry(json!({"secret": 5, "algo": "SHA1", "digits": 6})),
                ErrorCode::InvalidAegisJson,
            ),
            (entry(Value::Null), ErrorCode::InvalidAegisJson),
            (
                json!({"type": "totp", "name": "n"}),
                ErrorCode::InvalidAegisJson,
            ),
            (
                json!({"type": 1, "info": {"secret": KEY, "algo": "SHA1", "digits": 6}}),
                ErrorCode::InvalidAegisJson,
            ),
            (
                json!({"type": "totp", "name": 5, "info": {"secret": KEY, "algo": "SHA1", "digits": 6}}),
                ErrorCode::InvalidAegisJson,
            ),
            (json!("not an entry"), ErrorCode::InvalidAegisJson),
            (
                entry(json!({"secret": KEY, "algo": "SHA1", "digits": 6.5})),
                ErrorCode::InvalidAegisJson,
            ),
            (
                entry(json!({"secret": KEY, "algo": "SHA1", "digits": 10})),
                ErrorCode::InvalidDigits,
            ),
            (
                entry(json!({"secret": KEY, "algo": "SHA1", "digits": -6})),
                ErrorCode::InvalidDigits,
            ),
            (
                entry(json!({"secret": KEY, "algo": "SHA1", "digits": 6, "period": 0})),
                ErrorCode::InvalidPeriod,
            ),
            (
                entry(json!({"secret": KEY, "algo": "SHA1", "digits": 6, "period": -30})),
                ErrorCode::InvalidPeriod,
            ),
            (
                entry(json!({"secret": KEY, "algo": "MD5", "digits": 6})),
                ErrorCode::UnsupportedAlgorithm,
            ),
            (
                entry(json!({"secret": "not base32!", "algo": "SHA1", "digits": 6})),
                ErrorCode::InvalidSecretCharacter,
            ),
            (
                entry(json!({"secret": "", "algo": "SHA1", "digits": 6})),
                ErrorCode::EmptySecret,
            ),
            (
                json!({"type": "hotp", "info": {"secret": KEY, "algo": "SHA1", "digits": 6}}),
                ErrorCode::MissingCounter,
            ),
            (
                json!({"type": "hotp", "info": {"secret": KEY, "algo": "SHA1", "digits": 6, "counter": -1}}),
                ErrorCode::InvalidCounter,
            ),
            (
                json!({"type": "TOTP-ish", "info": {}}),
                ErrorCode::UnsupportedOtpType,
            ),
        ];
        let mut entries = vec![good.clone()];
        entries.extend(cases.iter().map(|(e, _)| e.clone()));
        entries.push(good);
        let report = read(&file(entries)).unwrap();
        assert_eq!(report.items.len(), cases.len() + 2);
        assert!(report.items[0].outcome.is_ok());
        assert!(report.items.last().unwrap().outcome.is_ok());
        for (item, (input, want)) in report.items[1..].iter().zip(&cases) {
            let err = item
                .outcome
                .as_ref()
                .err()
                .unwrap_or_else(|| panic!("{input}"));
            assert_eq!(err.code(), *want, "{input}");
            for lang in [Lang::Pt, Lang::En] {
                let message = err.message(lang);
                assert!(
                    !message.contains("GEZD") && !message.contains("base32!"),
                    "{message}"
                );
            }
        }
    }

    #[test]
    fn an_entry_without_period_is_a_30_s_totp() {
        let report = read(&file(vec![entry(
            json!({"secret": KEY, "algo": "sha-256", "digits": 7}),
        )]))
        .unwrap();
        let key = report.into_keys().unwrap().remove(0);
        assert_eq!(
            key.key.params.kind,
            OtpKind::Totp {
                period: Period::DEFAULT
            }
        );
        assert_eq!(key.key.params.algorithm, Algorithm::Sha256);
        assert_eq!(key.key.params.digits.get(), 7);
    }

    fn whole_file_error(json: &str) -> Error {
        read(json).expect_err(json)
    }

    #[test]
    fn rejects_what_is_not_a_readable_aegis_export() {
        let not_aegis = "InvalidAegisJson { problem: NotAegis }";
        let cases: Vec<(String, String)> = vec![
            (
                json!({"version": 1, "header": {"slots": null, "params": null}, "db": null})
                    .to_string(),
                not_aegis.into(),
            ),
            (
                json!({"version": 1, "db": {"version": 3, "entries": {}}}).to_string(),
                not_aegis.into(),
            ),
            (
                json!({"version": 1, "db": {"version": 3}}).to_string(),
                not_aegis.into(),
            ),
            (
                json!({"version": 1, "db": {"entries": []}}).to_string(),
                not_aegis.into(),
            ),
            (
                json!({"version": 1, "db": []}).to_string(),
                not_aegis.into(),
            ),
            (
                json!({"db": {"version": 3, "entries": []}}).to_string(),
                not_aegis.into(),
            ),
            (json!({"json": true}).to_string(), not_aegis.into()),
            (
                json!({"version": "1", "db": {}}).to_string(),
                not_aegis.into(),
            ),
            (
                json!({"version": 1, "header": 5, "db": {}}).to_string(),
                not_aegis.into(),
            ),
            ("[]".into(), not_aegis.into()),
            ("null".into(), not_aegis.into()),
            (
                json!({"version": 2, "db": {"version": 3, "entries": []}}).to_string(),
                "UnsupportedAegisVersion { version: 2 }".into(),
            ),
            (
                json!({"version": 1, "db": {"version": 4, "entries": []}}).to_string(),
                "UnsupportedAegisVersion { version: 4 }".into(),
            ),
            (
                json!({"version": 1, "db": {"version": 0, "entries": []}}).to_string(),
                "UnsupportedAegisVersion { version: 0 }".into(),
            ),
            (
                "{\n  \"version\": 1,\n  \"db\": {".into(),
                "InvalidAegisJson { problem: Syntax { line: 3, column: 9 } }".into(),
            ),
            (
                "{\"version\": 1,, }".into(),
                "InvalidAegisJson { problem: Syntax { line: 1, column: 15 } }".into(),
            ),
            (
                String::new(),
                "InvalidAegisJson { problem: Syntax { line: 1, column: 0 } }".into(),
            ),
            (
                format!(
                    "{{\"version\": 1, \"db\": \"{}\"}}",
                    "A".repeat(MAX_JSON_BYTES)
                ),
                format!("InputTooLarge {{ max_bytes: {MAX_JSON_BYTES} }}"),
            ),
        ];
        for (json, want) in cases {
            assert_eq!(format!("{:?}", whole_file_error(&json)), want, "{json:.80}");
        }
        // An empty vault is a vault.
        assert!(read(&file(vec![])).unwrap().items.is_empty());
        // A byte order mark is not part of the JSON.
        assert!(read(&format!("\u{feff}{}", file(vec![]))).is_ok());
    }

    #[test]
    fn writes_what_aegis_writes() {
        let mut keys = vec![
            ParsedKey::bare(Secret::from_base32(KEY).unwrap()),
            ParsedKey::bare(Secret::from_base32(KEY).unwrap()),
        ];
        keys[0].issuer = Some(" eproc TRF4 ".into());
        keys[0].account = Some("12345678900".into());
        keys[1].key.params = OtpParams {
            kind: OtpKind::Hotp {
                counter: Counter::new(7).unwrap(),
            },
            algorithm: Algorithm::Sha512,
            digits: Digits::new(8).unwrap(),
        };
        let text = write(&keys).unwrap();
        let mut value: Value = serde_json::from_str(&text).unwrap();
        let entries = value["db"]["entries"].as_array_mut().unwrap();
        let mut uuids = Vec::new();
        for e in entries.iter_mut() {
            let uuid = e["uuid"].take();
            let uuid = uuid.as_str().unwrap();
            let bytes: Vec<char> = uuid.chars().collect();
            assert_eq!(bytes.len(), 36, "{uuid}");
            for (i, c) in bytes.iter().enumerate() {
                if [8, 13, 18, 23].contains(&i) {
                    assert_eq!(*c, '-', "{uuid}");
                } else {
                    assert!(c.is_ascii_hexdigit() && !c.is_ascii_uppercase(), "{uuid}");
                }
            }
            assert_eq!(bytes[14], '4', "version 4: {uuid}");
            assert!("89ab".contains(bytes[19]), "RFC variant: {uuid}");
            uuids.push(uuid.to_owned());
        }
        assert_ne!(uuids[0], uuids[1]);
        let entry = |kind: &str, name: &str, issuer: &str, info: Value| {
            json!({
                "type": kind, "uuid": null, "name": name, "issuer": issuer, "note": "",
                "favorite": false, "icon": null, "icon_mime": null, "icon_hash": null,
                "info": info, "groups": []
            })
        };
        assert_eq!(
            value,
            json!({
                "version": 1,
                "header": {"slots": null, "params": null},
                "db": {
                    "version": 3,
                    "entries": [
                        entry("totp", "12345678900", "eproc TRF4",
                            json!({"secret": KEY, "algo": "SHA1", "digits": 6, "period": 30})),
                        entry("hotp", "", "",
                            json!({"secret": KEY, "algo": "SHA512", "digits": 8, "counter": 7})),
                    ],
                    "groups": []
                }
            })
        );
    }

    #[test]
    fn an_empty_vault_writes_and_reads() {
        let text = write(&[]).unwrap();
        assert!(read(&text).unwrap().items.is_empty());
    }

    #[test]
    fn zero_one_and_a_thousand_entries_round_trip() {
        for n in [0, 1, 1000] {
            let input = sample_keys(n, false);
            let text = write(&input).unwrap();
            assert_eq!(read(&text).unwrap().into_keys().unwrap(), input, "{n}");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn write_then_read_gives_the_same_keys(
            input in proptest::collection::vec(parsed_key(any_params()), 0..=20),
        ) {
            let text = write(&input).unwrap();
            let read = read(&text).unwrap().into_keys().unwrap();
            prop_assert_eq!(read, normalized(&input));
        }

        #[test]
        fn never_panics_on_arbitrary_text(text in "\\{[ -~]{0,120}") {
            let _ = read(&text);
        }

        #[test]
        fn never_panics_on_arbitrary_entries(
            kind in prop_oneof![Just(json!("totp")), Just(json!("hotp")), Just(json!(null)), Just(json!(3))],
            digits in prop_oneof![any::<i64>().prop_map(Value::from), Just(json!("6")), Just(json!(null))],
            number in prop_oneof![any::<i64>().prop_map(Value::from), any::<f64>().prop_map(Value::from), Just(json!(null))],
            secret in prop_oneof!["[A-Z2-7 =]{0,40}".prop_map(Value::from), Just(json!([]))],
        ) {
            let e = json!({"type": kind, "info": {"secret": secret, "algo": "SHA1",
                "digits": digits, "period": number.clone(), "counter": number}});
            let report = read(&file(vec![e])).unwrap();
            prop_assert_eq!(report.items.len(), 1);
        }
    }
}
