//! Google Authenticator's "Transfer accounts" QR codes,
//! `otpauth-migration://offline?data=…`, read and written.
//!
//! `data` is standard Base64 of a protobuf `MigrationPayload`; the field numbers are the
//! ones Google Authenticator writes (shared/FORMATS.md has the table). A large export
//! spans several QR codes sharing one `batch_id`: [`Batch`] gathers them.

use std::fmt;
use std::mem;

use data_encoding::{BASE64, BASE64_NOPAD};
use percent_encoding::percent_decode_str;
use prost::Message;
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use crate::error::{BatchConflict, Error, GoogleLimit, MigrationProblem, Result};
use crate::import::{self, ParsedKey, Warning};
use crate::otp::{Algorithm, Counter, Digits, OtpKey, OtpKind, OtpParams, Period};
use crate::otpauth;
use crate::report::{Item, Locator, Report, TransferProgress};
use crate::secret::Secret;

pub const SCHEME: &str = "otpauth-migration";

/// What this writer puts in `version`, as Google Authenticator does.
pub const VERSION: i32 = 1;

/// Google Authenticator puts about ten accounts in each QR of an export.
pub const MAX_ACCOUNTS_PER_QR: usize = 10;

/// The longest URI this writer puts in one QR: the byte-mode capacity of a version-40
/// QR code at error correction M (ISO/IEC 18004, table 7). Ten eproc-like accounts
/// (20-byte key, issuer and login under 32 characters) take under 1,900 bytes, so the
/// usual part is well under it; the limit only splits exports with very long names.
pub const MAX_URI_BYTES: usize = 2331;

/// The most QR codes one export may span, read or written: 10,000 accounts at ten per
/// QR. It bounds what a forged `batch_size` can make the reader allocate.
pub const MAX_BATCH_SIZE: u32 = 1000;

const URI_PREFIX: &str = "otpauth-migration://offline?data=";

/// What the closing fields (version, batch size, index and id) can add to a URI measured
/// without them: at most 14 protobuf bytes, which with the 2 bytes of an unfinished
/// Base64 group make 6 groups of 4 characters, each escaped to 3 bytes at worst.
const TRAILER_URI_BYTES: usize = 6 * 4 * 3;

/// The protobuf messages, field numbers as Google Authenticator writes them. Enums are
/// read as plain int32 so that values this code does not know stay visible; `name` and
/// `issuer` are read as bytes so that one account with bad UTF-8 does not make the whole
/// payload undecodable. Debug is not derived: it would print the keys.
#[derive(Message)]
#[prost(skip_debug)]
struct Payload {
    #[prost(message, repeated, tag = "1")]
    otp_parameters: Vec<Account>,
    #[prost(int32, tag = "2")]
    version: i32,
    #[prost(int32, tag = "3")]
    batch_size: i32,
    #[prost(int32, tag = "4")]
    batch_index: i32,
    #[prost(int32, tag = "5")]
    batch_id: i32,
}

/// `OtpParameters`. Wiped on drop: prost holds the key in a plain `Vec<u8>`.
#[derive(Message, Zeroize, ZeroizeOnDrop)]
#[prost(skip_debug)]
struct Account {
    #[prost(bytes = "vec", tag = "1")]
    secret: Vec<u8>,
    #[prost(bytes = "vec", tag = "2")]
    name: Vec<u8>,
    #[prost(bytes = "vec", tag = "3")]
    issuer: Vec<u8>,
    #[prost(int32, tag = "4")]
    algorithm: i32,
    #[prost(int32, tag = "5")]
    digits: i32,
    #[prost(int32, tag = "6")]
    kind: i32,
    #[prost(int64, tag = "7")]
    counter: i64,
}

// The enum values of `OtpParameters`; 0 is "unspecified" in each.
const ALGORITHM_SHA1: i32 = 1;
const ALGORITHM_SHA256: i32 = 2;
const ALGORITHM_SHA512: i32 = 3;
const ALGORITHM_MD5: i32 = 4;
const DIGITS_SIX: i32 = 1;
const DIGITS_EIGHT: i32 = 2;
const TYPE_HOTP: i32 = 1;
const TYPE_TOTP: i32 = 2;

/// Which QR of which export a part is. `index < size <= MAX_BATCH_SIZE`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BatchInfo {
    pub id: i32,
    pub size: u32,
    pub index: u32,
}

/// One transfer QR, read: its accounts, each read or not, and its place in the export.
pub struct MigrationPart {
    version: i32,
    batch: BatchInfo,
    accounts: Vec<Result<ParsedKey>>,
    /// The decoded bytes, to tell a QR read twice from a different one.
    payload: Zeroizing<Vec<u8>>,
}

impl MigrationPart {
    pub fn version(&self) -> i32 {
        self.version
    }

    pub fn batch(&self) -> BatchInfo {
        self.batch
    }

    /// In payload order.
    pub fn accounts(&self) -> &[Result<ParsedKey>] {
        &self.accounts
    }

    /// The accounts as report items, with the line the URI was on in a text list.
    pub(crate) fn into_items(self, line: Option<usize>) -> Vec<Item> {
        let batch = self.batch;
        self.accounts
            .into_iter()
            .enumerate()
            .map(|(index, outcome)| Item {
                locator: Locator::Account {
                    line,
                    batch_index: batch.index,
                    batch_size: batch.size,
                    index,
                },
                outcome,
            })
            .collect()
    }

    /// This QR's accounts, and which QR of its export are still to be read.
    pub fn into_report(self) -> Report {
        let progress = Batch::new(&self).progress();
        Report {
            items: self.into_items(None),
            transfers: vec![progress],
        }
    }
}

impl fmt::Debug for MigrationPart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MigrationPart")
            .field("version", &self.version)
            .field("batch", &self.batch)
            .field("accounts", &self.accounts)
            .finish_non_exhaustive()
    }
}

/// Whether `text` starts with the `otpauth-migration:` scheme, in any case.
pub fn has_scheme(text: &str) -> bool {
    strip_scheme(text).is_some()
}

fn strip_scheme(text: &str) -> Option<&str> {
    let (scheme, rest) = text.split_once(':')?;
    scheme.eq_ignore_ascii_case(SCHEME).then_some(rest)
}

/// Reads one transfer URI. A bad account is reported in its place among the others;
/// only a URI whose payload cannot be decoded at all is an error.
pub fn parse_uri(uri: &str) -> Result<MigrationPart> {
    if uri.len() > import::MAX_TEXT_BYTES {
        return Err(Error::InputTooLarge {
            max_bytes: import::MAX_TEXT_BYTES,
        });
    }
    let uri = uri.trim();
    let Some(rest) = strip_scheme(uri) else {
        // Text without a scheme may be a bare key: it is not quoted back.
        return Err(match uri.split_once(':') {
            Some((scheme, _)) => Error::UnsupportedScheme {
                scheme: scheme.into(),
            },
            None => Error::UnrecognizedInput,
        });
    };
    let rest = rest.split('#').next().unwrap_or_default();
    let query = rest.split_once('?').map_or("", |(_, query)| query);
    let mut data = None;
    for pair in query.split('&') {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        if name.trim().eq_ignore_ascii_case("data") {
            if data.is_some() {
                return Err(Error::DuplicateParameter {
                    name: "data".into(),
                });
            }
            data = Some(value);
        }
    }
    let data = data
        .filter(|d| !d.trim().is_empty())
        .ok_or(Error::InvalidMigrationPayload {
            problem: MigrationProblem::MissingData,
        })?;
    decode_payload(decode_base64(data)?)
}

/// Percent-decodes and Base64-decodes `data`. Google writes standard Base64 with
/// padding, percent-encoded; copies found in the wild also come with the URL-safe
/// alphabet, without padding, with `+` turned into a space by a form decoder, or
/// wrapped over lines.
fn decode_base64(data: &str) -> Result<Zeroizing<Vec<u8>>> {
    let bad = || Error::InvalidMigrationPayload {
        problem: MigrationProblem::Base64,
    };
    let mut text = Zeroizing::new(Vec::with_capacity(data.len()));
    for byte in percent_decode_str(data) {
        match byte {
            b' ' | b'-' => text.push(b'+'),
            b'_' => text.push(b'/'),
            b'\r' | b'\n' | b'\t' => {}
            other => text.push(other),
        }
    }
    while text.last() == Some(&b'=') {
        text.pop();
    }
    let len = BASE64_NOPAD.decode_len(text.len()).map_err(|_| bad())?;
    let mut bytes = Zeroizing::new(vec![0; len]);
    let written = BASE64_NOPAD
        .decode_mut(&text, &mut bytes)
        .map_err(|_| bad())?;
    bytes.truncate(written);
    Ok(bytes)
}

/// Reads the protobuf payload of one transfer QR. Unknown fields are skipped (newer
/// exports carry more than FORMATS.md lists).
pub fn decode_payload(bytes: Zeroizing<Vec<u8>>) -> Result<MigrationPart> {
    let mut payload =
        Payload::decode(bytes.as_slice()).map_err(|_| Error::InvalidMigrationPayload {
            problem: MigrationProblem::Protobuf,
        })?;
    if payload.otp_parameters.is_empty() {
        return Err(Error::InvalidMigrationPayload {
            problem: MigrationProblem::NoAccounts,
        });
    }
    let batch = batch_info(&payload)?;
    let accounts = payload
        .otp_parameters
        .iter_mut()
        .map(read_account)
        .collect();
    Ok(MigrationPart {
        version: payload.version,
        batch,
        accounts,
        payload: bytes,
    })
}

fn batch_info(payload: &Payload) -> Result<BatchInfo> {
    let bad = Error::InvalidMigrationPayload {
        problem: MigrationProblem::BatchNumbering,
    };
    // Transfers made by other tools may leave the batch fields out (protobuf's 0): one QR.
    if payload.batch_size == 0 && payload.batch_index == 0 {
        return Ok(BatchInfo {
            id: payload.batch_id,
            size: 1,
            index: 0,
        });
    }
    match (
        u32::try_from(payload.batch_size),
        u32::try_from(payload.batch_index),
    ) {
        (Ok(size), Ok(index)) if index < size && size <= MAX_BATCH_SIZE => Ok(BatchInfo {
            id: payload.batch_id,
            size,
            index,
        }),
        _ => Err(bad),
    }
}

/// Maps one account, taking its key out of the protobuf message (which is wiped when
/// dropped).
fn read_account(account: &mut Account) -> Result<ParsedKey> {
    let algorithm = match account.algorithm {
        0 | ALGORITHM_SHA1 => Algorithm::Sha1,
        ALGORITHM_SHA256 => Algorithm::Sha256,
        ALGORITHM_SHA512 => Algorithm::Sha512,
        ALGORITHM_MD5 => return Err(Error::UnsupportedAlgorithm { name: "MD5".into() }),
        other => {
            return Err(Error::UnsupportedAlgorithm {
                name: other.to_string().into(),
            });
        }
    };
    let digits = match account.digits {
        0 | DIGITS_SIX => Digits::SIX,
        DIGITS_EIGHT => Digits::new(8)?,
        _ => return Err(Error::InvalidDigits),
    };
    let kind = match account.kind {
        // There is no period field: Google's TOTP is always 30 s.
        0 | TYPE_TOTP => OtpKind::Totp {
            period: Period::DEFAULT,
        },
        TYPE_HOTP => OtpKind::Hotp {
            counter: Counter::new(
                u64::try_from(account.counter).map_err(|_| Error::InvalidCounter)?,
            )?,
        },
        other => {
            return Err(Error::UnsupportedOtpType {
                kind: other.to_string().into(),
            });
        }
    };
    let secret = Secret::from_bytes(mem::take(&mut account.secret))?;

    let name = String::from_utf8_lossy(&account.name);
    let issuer_field = String::from_utf8_lossy(&account.issuer);
    let issuer_field = Some(issuer_field.trim())
        .filter(|s| !s.is_empty())
        .map(str::to_owned);
    // `name` follows the otpauth label convention, `issuer:account`.
    let (label_issuer, account_name) = otpauth::split_label(&name, issuer_field.as_deref());
    let mut warnings = Vec::new();
    if let (Some(from_label), Some(from_field)) = (&label_issuer, &issuer_field)
        && from_label != from_field
    {
        warnings.push(Warning::IssuerMismatch);
    }
    warnings.extend(import::short_key_warning(&secret));
    Ok(ParsedKey {
        key: OtpKey {
            secret,
            params: OtpParams {
                kind,
                algorithm,
                digits,
            },
        },
        issuer: issuer_field.or(label_issuer),
        account: account_name,
        warnings,
    })
}

/// What [`Batch::add`] did with a part.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PartAdded {
    New,
    /// The same QR read again: nothing changes.
    Duplicate,
}

/// The gathering of one export's QR codes, `0..batch_size` under one `batch_id`: which
/// have been read, which are missing, and a refusal for a QR of another export. It keeps
/// the parts' bytes, not their accounts: the caller imports each new part as it comes.
pub struct Batch {
    id: i32,
    size: u32,
    parts: Vec<Option<Zeroizing<Vec<u8>>>>,
}

impl Batch {
    /// Starts with the first QR read, whichever it is.
    pub fn new(first: &MigrationPart) -> Self {
        let mut parts = vec![None; first.batch.size as usize];
        // `index < size`: checked when the part was decoded.
        parts[first.batch.index as usize] = Some(first.payload.clone());
        Batch {
            id: first.batch.id,
            size: first.batch.size,
            parts,
        }
    }

    pub fn id(&self) -> i32 {
        self.id
    }

    pub fn size(&self) -> u32 {
        self.size
    }

    pub fn add(&mut self, part: &MigrationPart) -> Result<PartAdded> {
        if part.batch.id != self.id || part.batch.size != self.size {
            return Err(Error::MigrationBatchMismatch {
                conflict: BatchConflict::OtherExport,
            });
        }
        let slot = &mut self.parts[part.batch.index as usize];
        match slot {
            None => {
                *slot = Some(part.payload.clone());
                Ok(PartAdded::New)
            }
            Some(seen) if *seen == part.payload => Ok(PartAdded::Duplicate),
            Some(_) => Err(Error::MigrationBatchMismatch {
                conflict: BatchConflict::DifferentPart {
                    index: part.batch.index,
                },
            }),
        }
    }

    /// The `batch_index` of every QR not read yet, in order.
    pub fn missing(&self) -> Vec<u32> {
        (0..self.size)
            .zip(&self.parts)
            .filter(|(_, part)| part.is_none())
            .map(|(index, _)| index)
            .collect()
    }

    pub fn is_complete(&self) -> bool {
        self.parts.iter().all(Option::is_some)
    }

    pub fn progress(&self) -> TransferProgress {
        TransferProgress {
            batch_id: self.id,
            batch_size: self.size,
            missing: self.missing(),
        }
    }
}

impl fmt::Debug for Batch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Batch")
            .field("id", &self.id)
            .field("size", &self.size)
            .field("missing", &self.missing())
            .finish()
    }
}

/// An entry left out of an export, with why.
#[derive(Debug)]
pub struct Skipped {
    /// Its position in the keys given to [`export`].
    pub index: usize,
    pub error: Error,
}

/// Transfer URIs for Google Authenticator, one per QR code, and the entries it cannot
/// take. Nothing is altered to make it fit.
#[derive(Debug)]
pub struct GoogleExport {
    pub uris: Vec<Zeroizing<String>>,
    pub skipped: Vec<Skipped>,
}

/// Writes `keys` as Google Authenticator transfer URIs: at most
/// [`MAX_ACCOUNTS_PER_QR`] accounts and [`MAX_URI_BYTES`] bytes per URI, the parts
/// numbered under one random `batch_id`, in the order given. Entries Google
/// Authenticator cannot take (FORMATS.md: SHA1 and 6 digits only; there is no period
/// field, so 30 s only) are listed in `skipped`.
pub fn export(keys: &[ParsedKey]) -> Result<GoogleExport> {
    let mut skipped = Vec::new();
    let mut parts: Vec<PartBuilder> = Vec::new();
    let mut current = PartBuilder::default();
    for (index, key) in keys.iter().enumerate() {
        let mut alone = match to_google(key) {
            Ok(account) => vec![account],
            Err(error) => {
                skipped.push(Skipped { index, error });
                continue;
            }
        };
        if !fits(&mut alone) {
            skipped.push(Skipped {
                index,
                error: Error::GoogleIncompatible {
                    limit: GoogleLimit::TooLarge,
                },
            });
            continue;
        }
        current.accounts.append(&mut alone);
        current.indexes.push(index);
        if current.accounts.len() > MAX_ACCOUNTS_PER_QR || !fits(&mut current.accounts) {
            // Close the part without the newcomer, which starts the next one; the part
            // is not empty, since the newcomer fits alone.
            let newcomer = current.accounts.pop();
            current.indexes.pop();
            parts.push(mem::take(&mut current));
            current.accounts.extend(newcomer);
            current.indexes.push(index);
        }
    }
    if !current.accounts.is_empty() {
        parts.push(current);
    }
    if parts.len() > MAX_BATCH_SIZE as usize {
        for part in parts.drain(MAX_BATCH_SIZE as usize..) {
            skipped.extend(part.indexes.iter().map(|&index| Skipped {
                index,
                error: Error::GoogleIncompatible {
                    limit: GoogleLimit::TooManyEntries,
                },
            }));
        }
        skipped.sort_by_key(|s| s.index);
    }

    let batch_id = random_batch_id()?;
    let batch_size = parts.len();
    let uris = parts
        .into_iter()
        .enumerate()
        .map(|(batch_index, part)| {
            encode_uri(&Payload {
                otp_parameters: part.accounts,
                version: VERSION,
                // Both at most MAX_BATCH_SIZE.
                batch_size: batch_size as i32,
                batch_index: batch_index as i32,
                batch_id,
            })
        })
        .collect();
    Ok(GoogleExport { uris, skipped })
}

/// One QR of an export being written: its accounts and their positions in the input.
#[derive(Default)]
struct PartBuilder {
    accounts: Vec<Account>,
    indexes: Vec<usize>,
}

/// Whether these accounts, with any closing fields, make a URI within the limit.
fn fits(accounts: &mut Vec<Account>) -> bool {
    let mut payload = Payload {
        otp_parameters: mem::take(accounts),
        ..Payload::default()
    };
    let len = encode_uri(&payload).len();
    *accounts = mem::take(&mut payload.otp_parameters);
    len + TRAILER_URI_BYTES <= MAX_URI_BYTES
}

fn to_google(key: &ParsedKey) -> Result<Account> {
    let params = key.key.params;
    if params.algorithm != Algorithm::Sha1 {
        return Err(Error::GoogleIncompatible {
            limit: GoogleLimit::Algorithm(params.algorithm),
        });
    }
    if params.digits != Digits::SIX {
        return Err(Error::GoogleIncompatible {
            limit: GoogleLimit::Digits(params.digits.get()),
        });
    }
    let (kind, counter) = match params.kind {
        OtpKind::Totp { period } if period == Period::DEFAULT => (TYPE_TOTP, 0),
        OtpKind::Totp { period } => {
            return Err(Error::GoogleIncompatible {
                limit: GoogleLimit::Period(period.get()),
            });
        }
        // Counter::MAX is below i64::MAX.
        OtpKind::Hotp { counter } => (TYPE_HOTP, counter.get() as i64),
    };
    let trimmed = |s: &Option<String>| {
        s.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    let issuer = trimmed(&key.issuer);
    let account = trimmed(&key.account);
    // The label convention the reader (and Google) splits again: `issuer:account`; an
    // account with a colon and no issuer gets an empty prefix so it is not split.
    let name = match (&issuer, &account) {
        (Some(i), Some(a)) => format!("{i}:{a}"),
        (Some(i), None) => i.clone(),
        (None, Some(a)) if a.contains(':') => format!(":{a}"),
        (None, Some(a)) => a.clone(),
        (None, None) => String::new(),
    };
    Ok(Account {
        secret: key.key.secret.expose().to_vec(),
        name: name.into_bytes(),
        issuer: issuer.unwrap_or_default().into_bytes(),
        algorithm: ALGORITHM_SHA1,
        digits: DIGITS_SIX,
        kind,
        counter,
    })
}

/// A positive random `batch_id`, so that the parts of two exports never pass for one.
fn random_batch_id() -> Result<i32> {
    let mut bytes = [0u8; 4];
    getrandom::fill(&mut bytes).map_err(|_| Error::RandomUnavailable)?;
    let id = u32::from_le_bytes(bytes) & 0x7fff_ffff;
    Ok(id.max(1) as i32)
}

/// The URI of one part, escaped as Google writes it (`%2B`, `%2F`, `%3D`). Every buffer
/// is sized exactly beforehand, so no copy of a key is left behind by a reallocation.
fn encode_uri(payload: &Payload) -> Zeroizing<String> {
    let bytes = Zeroizing::new(payload.encode_to_vec());
    let mut base64 = Zeroizing::new(vec![0; BASE64.encode_len(bytes.len())]);
    BASE64.encode_mut(&bytes, &mut base64);
    let escaped = base64
        .iter()
        .filter(|b| matches!(b, b'+' | b'/' | b'='))
        .count();
    let mut uri = Zeroizing::new(String::with_capacity(
        URI_PREFIX.len() + base64.len() + 2 * escaped,
    ));
    uri.push_str(URI_PREFIX);
    for &b in base64.iter() {
        match b {
            b'+' => uri.push_str("%2B"),
            b'/' => uri.push_str("%2F"),
            b'=' => uri.push_str("%3D"),
            other => uri.push(char::from(other)),
        }
    }
    uri
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::ErrorCode;
    use crate::otp::UnixTime;
    use proptest::prelude::*;

    /// A protobuf wire codec written from the encoding spec
    /// (protobuf.dev/programming-guides/encoding), independent of prost, so that the
    /// reader is fed bytes prost did not make and the writer is checked by a reader
    /// prost is not.
    pub(crate) mod wire {
        pub fn varint(mut v: u64, out: &mut Vec<u8>) {
            loop {
                let byte = (v & 0x7f) as u8;
                v >>= 7;
                if v == 0 {
                    out.push(byte);
                    return;
                }
                out.push(byte | 0x80);
            }
        }

        /// A varint field; zero is left out, as proto3 writers do.
        pub fn int(field: u32, v: i64, out: &mut Vec<u8>) {
            if v != 0 {
                varint(u64::from(field << 3), out);
                varint(v as u64, out);
            }
        }

        /// A length-delimited field; empty is left out.
        pub fn bytes(field: u32, v: &[u8], out: &mut Vec<u8>) {
            if !v.is_empty() {
                varint(u64::from(field << 3 | 2), out);
                varint(v.len() as u64, out);
                out.extend_from_slice(v);
            }
        }

        #[derive(Debug, PartialEq)]
        pub enum Value {
            Varint(u64),
            Bytes(Vec<u8>),
        }

        fn read_varint(buf: &mut &[u8]) -> u64 {
            let mut v = 0u64;
            for shift in (0..64).step_by(7) {
                let (&byte, rest) = buf.split_first().expect("varint cut short");
                *buf = rest;
                v |= u64::from(byte & 0x7f) << shift;
                if byte & 0x80 == 0 {
                    return v;
                }
            }
            panic!("varint too long");
        }

        /// Every field of a message, in order. Only the wire types the transfer format
        /// uses (varint, length-delimited) are expected.
        pub fn fields(mut buf: &[u8]) -> Vec<(u32, Value)> {
            let mut out = Vec::new();
            while !buf.is_empty() {
                let key = read_varint(&mut buf);
                let field = (key >> 3) as u32;
                match key & 7 {
                    0 => out.push((field, Value::Varint(read_varint(&mut buf)))),
                    2 => {
                        let len = read_varint(&mut buf) as usize;
                        let (value, rest) = buf.split_at(len);
                        out.push((field, Value::Bytes(value.to_vec())));
                        buf = rest;
                    }
                    other => panic!("unexpected wire type {other}"),
                }
            }
            out
        }
    }

    const SEED20: &[u8] = b"12345678901234567890";
    const SEED32: &[u8] = b"12345678901234567890123456789012";
    const SEED64: &[u8] = b"1234567890123456789012345678901234567890123456789012345678901234";

    /// One `OtpParameters`, hand-encoded: secret, name, issuer, algorithm, digits,
    /// type, counter.
    pub(crate) struct Acc<'a>(
        pub &'a [u8],
        pub &'a str,
        pub &'a str,
        pub i64,
        pub i64,
        pub i64,
        pub i64,
    );

    impl Acc<'_> {
        fn encode(&self) -> Vec<u8> {
            let mut out = Vec::new();
            wire::bytes(1, self.0, &mut out);
            wire::bytes(2, self.1.as_bytes(), &mut out);
            wire::bytes(3, self.2.as_bytes(), &mut out);
            wire::int(4, self.3, &mut out);
            wire::int(5, self.4, &mut out);
            wire::int(6, self.5, &mut out);
            wire::int(7, self.6, &mut out);
            out
        }
    }

    /// A `MigrationPayload`, hand-encoded: accounts, then version 1, size, index, id.
    pub(crate) fn payload(accounts: &[Acc], size: i64, index: i64, id: i64) -> Vec<u8> {
        let mut out = Vec::new();
        for a in accounts {
            wire::bytes(1, &a.encode(), &mut out);
        }
        wire::int(2, 1, &mut out);
        wire::int(3, size, &mut out);
        wire::int(4, index, &mut out);
        wire::int(5, id, &mut out);
        out
    }

    /// The URI as Google writes it: standard Base64, escaped.
    pub(crate) fn uri_of(payload: &[u8]) -> String {
        let b64 = BASE64.encode(payload);
        let escaped = b64
            .replace('+', "%2B")
            .replace('/', "%2F")
            .replace('=', "%3D");
        format!("otpauth-migration://offline?data={escaped}")
    }

    fn part(bytes: Vec<u8>) -> MigrationPart {
        decode_payload(Zeroizing::new(bytes)).unwrap()
    }

    fn code(key: &ParsedKey, t: i64) -> String {
        key.key.code(UnixTime::new(t).unwrap()).as_str().to_owned()
    }

    fn err_code(result: &Result<impl Sized>) -> ErrorCode {
        result.as_ref().err().expect("an error").code()
    }

    #[test]
    fn reads_every_parameter_and_reports_bad_accounts_in_place() {
        let mut account_with_unknown_fields = Acc(SEED20, "x", "", 0, 0, 0, 0).encode();
        wire::int(8, 3, &mut account_with_unknown_fields);
        wire::bytes(9, b"future", &mut account_with_unknown_fields);
        // Field 10 as fixed64 (wire type 1) and field 11 as fixed32 (wire type 5).
        account_with_unknown_fields.extend([10 << 3 | 1, 1, 2, 3, 4, 5, 6, 7, 8]);
        account_with_unknown_fields.extend([11 << 3 | 5, 1, 2, 3, 4]);
        let mut bytes = payload(
            &[
                Acc(SEED20, "eproc TRF4:12345678900", "eproc TRF4", 0, 0, 0, 0),
                Acc(SEED32, "TJRS:joao@adv.br", "TJRS", 2, 2, 2, 0),
                Acc(SEED64, "maria", "JFSC", 3, 2, 2, 0),
                Acc(SEED20, "hotp-test", "", 1, 1, 1, 5),
                Acc(SEED20, "md5", "", 4, 1, 2, 0),
                Acc(SEED20, "algo9", "", 9, 1, 2, 0),
                Acc(SEED20, "digits3", "", 1, 3, 2, 0),
                Acc(SEED20, "type7", "", 1, 1, 7, 0),
                Acc(SEED20, "negative", "", 1, 1, 1, -1),
                Acc(b"", "empty", "", 1, 1, 2, 0),
                Acc(SEED20, "Other:jo", "Mine", 1, 1, 2, 0),
                Acc(b"1234567890", "", "", 1, 1, 2, 0),
            ],
            1,
            0,
            77,
        );
        wire::bytes(1, &account_with_unknown_fields, &mut bytes);
        let mut bad_utf8 = Vec::new();
        wire::bytes(1, SEED20, &mut bad_utf8);
        wire::bytes(2, b"Jo\xffo", &mut bad_utf8);
        wire::bytes(1, &bad_utf8, &mut bytes);
        wire::int(9, 12345, &mut bytes);
        wire::bytes(10, b"newer exports carry more", &mut bytes);

        let part = parse_uri(&uri_of(&bytes)).unwrap();
        assert_eq!(part.version(), 1);
        assert_eq!(
            part.batch(),
            BatchInfo {
                id: 77,
                size: 1,
                index: 0
            }
        );
        let a = part.accounts();
        assert_eq!(a.len(), 14);

        let k = a[0].as_ref().unwrap();
        assert_eq!(k.key.params, OtpParams::default_totp());
        assert_eq!(k.issuer.as_deref(), Some("eproc TRF4"));
        assert_eq!(k.account.as_deref(), Some("12345678900"));
        assert_eq!(code(k, 59), "287082");
        assert!(k.warnings.is_empty());

        let k = a[1].as_ref().unwrap();
        assert_eq!(k.key.params.algorithm, Algorithm::Sha256);
        assert_eq!(k.account.as_deref(), Some("joao@adv.br"));
        assert_eq!(code(k, 59), "46119246");

        let k = a[2].as_ref().unwrap();
        assert_eq!(k.key.params.algorithm, Algorithm::Sha512);
        assert_eq!(
            (k.issuer.as_deref(), k.account.as_deref()),
            (Some("JFSC"), Some("maria"))
        );
        assert_eq!(code(k, 59), "90693936");

        let k = a[3].as_ref().unwrap();
        assert_eq!(
            k.key.params.kind,
            OtpKind::Hotp {
                counter: Counter::new(5).unwrap()
            }
        );
        assert_eq!(code(k, 0), "254676");

        match &a[4] {
            Err(Error::UnsupportedAlgorithm { name }) => assert_eq!(name.as_str(), "MD5"),
            other => panic!("{other:?}"),
        }
        assert_eq!(err_code(&a[5]), ErrorCode::UnsupportedAlgorithm);
        assert_eq!(err_code(&a[6]), ErrorCode::InvalidDigits);
        assert_eq!(err_code(&a[7]), ErrorCode::UnsupportedOtpType);
        assert_eq!(err_code(&a[8]), ErrorCode::InvalidCounter);
        assert_eq!(err_code(&a[9]), ErrorCode::EmptySecret);

        let k = a[10].as_ref().unwrap();
        assert_eq!(
            (k.issuer.as_deref(), k.account.as_deref()),
            (Some("Mine"), Some("jo"))
        );
        assert_eq!(k.warnings, [Warning::IssuerMismatch]);

        let k = a[11].as_ref().unwrap();
        assert_eq!((k.issuer.as_deref(), k.account.as_deref()), (None, None));
        assert_eq!(k.warnings, [Warning::ShortKey { bits: 80 }]);

        let k = a[12].as_ref().unwrap();
        assert_eq!(k.account.as_deref(), Some("x"));
        assert_eq!(code(k, 59), "287082");

        let k = a[13].as_ref().unwrap();
        assert_eq!(k.account.as_deref(), Some("Jo\u{fffd}o"));
    }

    #[test]
    fn tolerates_the_base64_found_in_the_wild() {
        // A key whose Base64 has '+', '/' and padding, checked below.
        let bytes = payload(&[Acc(&[0xfb; 20], "ab", "", 0, 0, 0, 0)], 1, 0, 5);
        let b64 = BASE64.encode(&bytes);
        assert!(
            b64.contains('+') && b64.contains('/') && b64.ends_with('='),
            "{b64}"
        );
        let url_safe = b64.replace('+', "-").replace('/', "_");
        let spaced = b64.replace('+', " ");
        let wrapped = format!("{}\r\n{}", &b64[..10], &b64[10..]);
        let variants = [
            uri_of(&bytes),
            format!("otpauth-migration://offline?data={b64}"),
            format!(
                "otpauth-migration://offline?data={}",
                b64.trim_end_matches('=')
            ),
            format!("otpauth-migration://offline?data={url_safe}"),
            format!("otpauth-migration://offline?data={spaced}"),
            format!("otpauth-migration://offline?data={wrapped}"),
            format!("OTPAUTH-MIGRATION://offline?other=1&DATA={b64}#fragment"),
        ];
        for uri in variants {
            let part = parse_uri(&uri).unwrap_or_else(|e| panic!("{uri}: {e}"));
            let key = part.accounts()[0].as_ref().unwrap();
            assert_eq!(key.key.secret.expose(), [0xfb; 20], "{uri}");
        }
    }

    fn problem(uri: &str) -> Error {
        parse_uri(uri).expect_err(uri)
    }

    #[test]
    fn rejects_undecodable_uris_with_typed_errors() {
        let migration = |problem| Error::InvalidMigrationPayload { problem };
        let cases: Vec<(String, Error)> = vec![
            (
                "otpauth-migration://offline".into(),
                migration(MigrationProblem::MissingData),
            ),
            (
                "otpauth-migration://offline?data=".into(),
                migration(MigrationProblem::MissingData),
            ),
            (
                "otpauth-migration://offline?data=!!!!".into(),
                migration(MigrationProblem::Base64),
            ),
            // Five characters cannot end a Base64 text.
            (
                "otpauth-migration://offline?data=CgQKA".into(),
                migration(MigrationProblem::Base64),
            ),
            (
                "otpauth-migration://offline?data=%FF%FE".into(),
                migration(MigrationProblem::Base64),
            ),
            // Padding alone decodes to an empty payload.
            (
                "otpauth-migration://offline?data=%3D%3D".into(),
                migration(MigrationProblem::NoAccounts),
            ),
            (
                uri_of(&payload(&[], 1, 0, 3)),
                migration(MigrationProblem::NoAccounts),
            ),
            (
                "otpauth-migration://offline?data=AA%3D%3D&data=AA%3D%3D".into(),
                Error::DuplicateParameter {
                    name: "data".into(),
                },
            ),
            (
                "otpauth://totp/x?secret=GEZDGNBVGY3TQOJQ".into(),
                Error::UnsupportedScheme {
                    scheme: "otpauth".into(),
                },
            ),
            ("GEZDGNBVGY3TQOJQ".into(), Error::UnrecognizedInput),
            (
                format!(
                    "otpauth-migration://offline?data={}",
                    "A".repeat(import::MAX_TEXT_BYTES)
                ),
                Error::InputTooLarge {
                    max_bytes: import::MAX_TEXT_BYTES,
                },
            ),
        ];
        for (uri, want) in cases {
            let got = problem(&uri);
            assert_eq!(format!("{got:?}"), format!("{want:?}"), "{uri:.80}");
        }
    }

    fn decode_problem(bytes: &[u8]) -> Option<MigrationProblem> {
        match decode_payload(Zeroizing::new(bytes.to_vec())) {
            Err(Error::InvalidMigrationPayload { problem }) => Some(problem),
            Ok(_) => None,
            Err(other) => panic!("{other:?}"),
        }
    }

    #[test]
    fn rejects_broken_protobuf() {
        let good = payload(&[Acc(SEED20, "eproc:jo", "eproc", 1, 1, 2, 0)], 1, 0, 9);
        // Cut anywhere inside the account, the message is truncated.
        let account_end = 2 + usize::from(good[1]);
        for cut in 1..account_end {
            assert_eq!(
                decode_problem(&good[..cut]),
                Some(MigrationProblem::Protobuf),
                "cut at {cut}"
            );
        }
        // Cut between closing fields, what remains is whole.
        assert_eq!(decode_problem(&good[..account_end]), None);

        let protobuf = Some(MigrationProblem::Protobuf);
        // Accounts (field 1) as a varint instead of a message.
        assert_eq!(decode_problem(&[0x08, 0x01]), protobuf);
        // The secret (field 1 of the account) as a varint.
        assert_eq!(decode_problem(&[0x0a, 0x02, 0x08, 0x01]), protobuf);
        // batch_size (field 3) as bytes.
        let mut wrong = good.clone();
        wrong.extend([3 << 3 | 2, 1, 0]);
        assert_eq!(decode_problem(&wrong), protobuf);
        // Length prefixes far past the end.
        let mut huge = vec![0x0a];
        wire::varint(u64::MAX >> 1, &mut huge);
        assert_eq!(decode_problem(&huge), protobuf);
        let mut huge_secret = vec![0x0a, 0x0b, 0x0a];
        wire::varint(1 << 40, &mut huge_secret);
        assert_eq!(decode_problem(&huge_secret), protobuf);
        // A varint longer than ten bytes; wire types 3, 4 (groups) and 7 without sense.
        assert_eq!(
            decode_problem(&[
                0x10, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01
            ]),
            protobuf
        );
        assert_eq!(decode_problem(&[0x0f]), protobuf);
        assert_eq!(decode_problem(&[0x0c]), protobuf);
        assert_eq!(decode_problem(&[0x00]), protobuf);
        assert_eq!(decode_problem(&[]), Some(MigrationProblem::NoAccounts));
    }

    #[test]
    fn checks_batch_numbering() {
        let one = [Acc(SEED20, "a", "", 0, 0, 0, 0)];
        let numbering = Some(MigrationProblem::BatchNumbering);
        for (size, index) in [
            (2, 2),
            (1, 5),
            (-1, 0),
            (3, -1),
            (0, 1),
            (i64::from(MAX_BATCH_SIZE) + 1, 0),
        ] {
            assert_eq!(
                decode_problem(&payload(&one, size, index, 1)),
                numbering,
                "{size} {index}"
            );
        }
        // Left out by other tools: one QR.
        let p = part(payload(&one, 0, 0, 4));
        assert_eq!(
            p.batch(),
            BatchInfo {
                id: 4,
                size: 1,
                index: 0
            }
        );
        let p = part(payload(&one, i64::from(MAX_BATCH_SIZE), 999, -5));
        assert_eq!(p.batch().index, 999);
        assert_eq!(p.batch().id, -5);
    }

    fn keys(n: usize) -> Vec<ParsedKey> {
        (0..n)
            .map(|i| {
                let mut secret = SEED20.to_vec();
                secret[0] = i as u8;
                let mut k = ParsedKey::bare(Secret::from_bytes(secret).unwrap());
                k.issuer = Some(format!("eproc TRF{}", i % 6));
                k.account = Some(format!("{:011}", 12345678900u64 + i as u64));
                k
            })
            .collect()
    }

    fn read_all(export: &GoogleExport) -> (Batch, Vec<ParsedKey>) {
        let parts: Vec<MigrationPart> = export.uris.iter().map(|u| parse_uri(u).unwrap()).collect();
        let mut batch = Batch::new(&parts[0]);
        for p in &parts[1..] {
            assert_eq!(batch.add(p).unwrap(), PartAdded::New);
        }
        let keys = parts
            .into_iter()
            .flat_map(|p| p.into_report().into_keys().unwrap())
            .collect();
        (batch, keys)
    }

    #[test]
    fn gathers_the_parts_of_one_export() {
        let export = export(&keys(25)).unwrap();
        assert_eq!(export.uris.len(), 3);
        let parts: Vec<MigrationPart> = export.uris.iter().map(|u| parse_uri(u).unwrap()).collect();
        let counts: Vec<usize> = parts.iter().map(|p| p.accounts().len()).collect();
        assert_eq!(counts, [10, 10, 5]);

        let mut batch = Batch::new(&parts[2]);
        assert_eq!((batch.size(), batch.id()), (3, parts[0].batch().id));
        assert_eq!(batch.missing(), [0, 1]);
        assert_eq!(batch.add(&parts[0]).unwrap(), PartAdded::New);
        assert_eq!(batch.add(&parts[2]).unwrap(), PartAdded::Duplicate);
        assert_eq!(batch.add(&parts[0]).unwrap(), PartAdded::Duplicate);
        assert_eq!(batch.missing(), [1]);
        assert!(!batch.is_complete());

        // A QR of another export, even one with the same shape, is refused.
        let other = export_with_id(&keys(25), parts[0].batch().id.wrapping_add(1));
        let err = batch.add(&parse_uri(&other[1]).unwrap()).unwrap_err();
        assert!(matches!(
            err,
            Error::MigrationBatchMismatch {
                conflict: BatchConflict::OtherExport
            }
        ));
        // Same id, another size.
        let id = i64::from(batch.id());
        let one = [Acc(SEED20, "a", "", 0, 0, 0, 0)];
        let err = batch.add(&part(payload(&one, 4, 1, id))).unwrap_err();
        assert_eq!(err.code(), ErrorCode::MigrationBatchMismatch);
        // Same id and number, other content.
        let err = batch.add(&part(payload(&one, 3, 0, id))).unwrap_err();
        assert!(matches!(
            err,
            Error::MigrationBatchMismatch {
                conflict: BatchConflict::DifferentPart { index: 0 }
            }
        ));
        assert_eq!(batch.missing(), [1]);

        assert_eq!(batch.add(&parts[1]).unwrap(), PartAdded::New);
        assert!(batch.is_complete());
        assert_eq!(
            batch.progress(),
            TransferProgress {
                batch_id: batch.id(),
                batch_size: 3,
                missing: vec![]
            }
        );
    }

    /// The same export under a chosen batch id, by re-encoding its parts.
    fn export_with_id(keys: &[ParsedKey], id: i32) -> Vec<String> {
        export(keys)
            .unwrap()
            .uris
            .iter()
            .map(|u| {
                let part = parse_uri(u).unwrap();
                let mut p = Payload::decode(part.payload.as_slice()).unwrap();
                p.batch_id = id;
                encode_uri(&p).to_string()
            })
            .collect()
    }

    #[test]
    fn a_single_part_report_says_what_is_missing() {
        let export = export(&keys(12)).unwrap();
        let report = parse_uri(&export.uris[1]).unwrap().into_report();
        assert_eq!(report.items.len(), 2);
        assert_eq!(
            report.items[1].locator,
            Locator::Account {
                line: None,
                batch_index: 1,
                batch_size: 2,
                index: 1
            }
        );
        assert_eq!(report.transfers.len(), 1);
        assert_eq!(report.transfers[0].missing, [0]);
    }

    #[test]
    fn the_writer_is_read_back_by_an_independent_decoder() {
        use wire::Value::{Bytes, Varint};
        let mut input = keys(12);
        input[1].key.params.kind = OtpKind::Hotp {
            counter: Counter::new(Counter::MAX).unwrap(),
        };
        input[2].issuer = None;
        input[2].account = Some("a:b".into());
        input[3].account = None;
        let export = export(&input).unwrap();
        assert!(export.skipped.is_empty());
        let mut batch_ids = Vec::new();
        let mut accounts = Vec::new();
        for (index, uri) in export.uris.iter().enumerate() {
            let data = uri.strip_prefix(URI_PREFIX).unwrap();
            // Google escapes the three Base64 characters that mean something in a query.
            assert!(!data.contains(['+', '/', '=']), "{data}");
            let b64 = data
                .replace("%2B", "+")
                .replace("%2F", "/")
                .replace("%3D", "=");
            let bytes = BASE64.decode(b64.as_bytes()).unwrap();
            let mut trailer = Vec::new();
            for (field, value) in wire::fields(&bytes) {
                match (field, value) {
                    (1, Bytes(account)) => accounts.push(wire::fields(&account)),
                    (f, Varint(v)) => trailer.push((f, v)),
                    other => panic!("{other:?}"),
                }
            }
            let id = trailer.iter().find(|(f, _)| *f == 5).unwrap().1;
            batch_ids.push(id);
            let mut want = vec![(2, 1), (3, 2)];
            if index > 0 {
                want.push((4, index as u64));
            }
            want.push((5, id));
            assert_eq!(trailer, want);
        }
        assert!(batch_ids.iter().all(|id| *id == batch_ids[0]));
        assert!((1..=i32::MAX as u64).contains(&batch_ids[0]));
        assert_eq!(accounts.len(), 12);
        for (key, fields) in input.iter().zip(&accounts) {
            let name = match (&key.issuer, &key.account) {
                (Some(i), Some(a)) => format!("{i}:{a}"),
                (Some(i), None) => i.clone(),
                (None, Some(a)) => format!(":{a}"),
                (None, None) => unreachable!(),
            };
            let mut want = vec![
                (1, Bytes(key.key.secret.expose().to_vec())),
                (2, Bytes(name.into_bytes())),
            ];
            if let Some(issuer) = &key.issuer {
                want.push((3, Bytes(issuer.clone().into_bytes())));
            }
            want.extend([(4, Varint(1)), (5, Varint(1))]);
            match key.key.params.kind {
                OtpKind::Totp { .. } => want.push((6, Varint(2))),
                OtpKind::Hotp { counter } => {
                    want.extend([(6, Varint(1)), (7, Varint(counter.get()))])
                }
            }
            assert_eq!(fields, &want);
        }
    }

    #[test]
    fn entries_google_cannot_take_are_skipped_with_the_reason() {
        let mut input = keys(6);
        input[1].key.params.algorithm = Algorithm::Sha256;
        input[2].key.params.algorithm = Algorithm::Sha512;
        input[3].key.params.digits = Digits::new(8).unwrap();
        input[4].key.params.kind = OtpKind::Totp {
            period: Period::new(60).unwrap(),
        };
        input[5].key.params.digits = Digits::new(7).unwrap();
        let export = export(&input).unwrap();
        let skipped: Vec<(usize, String)> = export
            .skipped
            .iter()
            .map(|s| (s.index, format!("{:?}", s.error)))
            .collect();
        let limit = |l| format!("{:?}", Error::GoogleIncompatible { limit: l });
        assert_eq!(
            skipped,
            [
                (1, limit(GoogleLimit::Algorithm(Algorithm::Sha256))),
                (2, limit(GoogleLimit::Algorithm(Algorithm::Sha512))),
                (3, limit(GoogleLimit::Digits(8))),
                (4, limit(GoogleLimit::Period(60))),
                (5, limit(GoogleLimit::Digits(7))),
            ]
        );
        let (_, read) = read_all(&export);
        assert_eq!(read, input[..1]);
    }

    #[test]
    fn ten_eproc_accounts_fit_one_qr_comfortably() {
        // eproc's keys are 20 bytes; issuers and logins (CPF, OAB, e-mail) stay under
        // 32 characters. Keys vary, so does the Base64 and its escaping: try many.
        let mut longest = 0;
        for round in 0..200u8 {
            let input: Vec<ParsedKey> = (0..10u8)
                .map(|i| {
                    let secret: Vec<u8> = (0..20u8)
                        .map(|j| j.wrapping_mul(37).wrapping_add(i).wrapping_mul(round | 1))
                        .collect();
                    let mut k = ParsedKey::bare(Secret::from_bytes(secret).unwrap());
                    k.issuer = Some(format!("eproc TJRS 1º grau {i:012}"));
                    k.account = Some(format!("advogada.{i}.{round:03}@escritorio.adv.br"));
                    k
                })
                .collect();
            assert!(
                input
                    .iter()
                    .all(|k| k.issuer.as_ref().unwrap().chars().count() <= 32)
            );
            let export = export(&input).unwrap();
            assert_eq!(export.uris.len(), 1, "round {round}");
            longest = longest.max(export.uris[0].len());
        }
        // The figure MAX_URI_BYTES's documentation gives, and room to spare under it.
        assert!(longest < 1900, "{longest}");
        assert!(longest + 300 < MAX_URI_BYTES, "{longest}");
    }

    #[test]
    fn long_names_split_parts_earlier_and_an_entry_too_large_is_skipped() {
        let mut input = keys(12);
        for k in &mut input {
            k.account = Some("x".repeat(400));
        }
        input[5].account = Some("y".repeat(3000));
        let export = export(&input).unwrap();
        assert_eq!(export.skipped.len(), 1);
        assert_eq!(export.skipped[0].index, 5);
        assert!(matches!(
            export.skipped[0].error,
            Error::GoogleIncompatible {
                limit: GoogleLimit::TooLarge
            }
        ));
        assert!(export.uris.len() > 2);
        assert!(export.uris.iter().all(|u| u.len() <= MAX_URI_BYTES));
        let (batch, read) = read_all(&export);
        assert!(batch.is_complete());
        let mut want = input.clone();
        want.remove(5);
        assert_eq!(read, want);
    }

    #[test]
    fn an_export_spans_at_most_max_batch_size_qr_codes() {
        // Entries too long to share a QR: one per part.
        let mut input = keys(MAX_BATCH_SIZE as usize + 2);
        for k in &mut input {
            k.account = Some("z".repeat(1000));
        }
        let export = export(&input).unwrap();
        assert_eq!(export.uris.len(), MAX_BATCH_SIZE as usize);
        let skipped: Vec<usize> = export.skipped.iter().map(|s| s.index).collect();
        assert_eq!(skipped, [1000, 1001]);
        assert_eq!(
            export.skipped[0].error.code(),
            ErrorCode::GoogleIncompatible
        );
        let last = parse_uri(export.uris.last().unwrap()).unwrap();
        assert_eq!(
            (last.batch().index, last.batch().size),
            (MAX_BATCH_SIZE - 1, MAX_BATCH_SIZE)
        );
    }

    #[test]
    fn an_empty_export_has_no_qr() {
        let export = export(&[]).unwrap();
        assert!(export.uris.is_empty() && export.skipped.is_empty());
    }

    #[test]
    fn debug_shows_no_key() {
        let p = parse_uri(&export(&keys(1)).unwrap().uris[0]).unwrap();
        let shown = format!("{p:?} {:?}", Batch::new(&p));
        // The key is SEED20 with its first byte zeroed.
        assert!(!shown.contains("50, 51, 52"), "{shown}");
        assert!(!shown.contains("AEZDGNBV"), "{shown}");
        assert!(!shown.contains("12345678900"), "{shown}");
    }

    fn fixture(name: &str) -> String {
        let path = format!("{}/../tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    /// The two-QR fixture, as its bytes are meant to be.
    pub(crate) fn fixture_payloads() -> [Vec<u8>; 2] {
        let id = 1234567890;
        [
            payload(
                &[
                    Acc(SEED20, "eproc TRF4:12345678900", "eproc TRF4", 1, 1, 2, 0),
                    Acc(SEED32, "TJRS:joao@adv.br", "TJRS", 2, 2, 2, 0),
                    Acc(SEED20, "hotp-test", "", 1, 1, 1, 7),
                ],
                2,
                0,
                id,
            ),
            payload(
                &[
                    Acc(SEED64, "JFSC:maria", "JFSC", 3, 2, 2, 0),
                    Acc(SEED20, "legacy", "", 4, 1, 2, 0),
                ],
                2,
                1,
                id,
            ),
        ]
    }

    #[test]
    fn reads_the_two_qr_fixture() {
        let texts = [
            fixture("google-migration-1-of-2.txt"),
            fixture("google-migration-2-of-2.txt"),
        ];
        for (text, bytes) in texts.iter().zip(fixture_payloads()) {
            assert_eq!(text.trim_end(), uri_of(&bytes));
        }
        let first = parse_uri(&texts[0]).unwrap();
        let second = parse_uri(&texts[1]).unwrap();
        let mut batch = Batch::new(&second);
        assert_eq!(batch.missing(), [0]);
        batch.add(&first).unwrap();
        assert!(batch.is_complete());

        let a = first.accounts();
        let (trf4, tjrs, hotp) = (
            a[0].as_ref().unwrap(),
            a[1].as_ref().unwrap(),
            a[2].as_ref().unwrap(),
        );
        assert_eq!(trf4.suggested_systems().len(), 4);
        assert_eq!(code(trf4, 1111111109), "081804");
        assert_eq!(code(tjrs, 1111111109), "68084774");
        assert_eq!(code(hotp, 0), "162583");
        let b = second.accounts();
        assert_eq!(code(b[0].as_ref().unwrap(), 1111111109), "25091201");
        assert_eq!(err_code(&b[1]), ErrorCode::UnsupportedAlgorithm);
    }

    #[test]
    fn zero_one_and_a_thousand_entries_round_trip() {
        for n in [0, 1, 1000] {
            let input = sample_keys(n, true);
            let export = export(&input).unwrap();
            assert!(export.skipped.is_empty());
            assert_eq!(export.uris.len(), n.div_ceil(MAX_ACCOUNTS_PER_QR));
            if n == 0 {
                continue;
            }
            let (batch, read) = read_all(&export);
            assert!(batch.is_complete());
            assert_eq!(read, input, "{n}");
        }
    }

    fn google_params() -> impl Strategy<Value = OtpParams> {
        prop_oneof![
            Just(OtpKind::Totp {
                period: Period::DEFAULT
            }),
            (0u64..=Counter::MAX).prop_map(|c| OtpKind::Hotp {
                counter: Counter::new(c).unwrap()
            }),
        ]
        .prop_map(|kind| OtpParams {
            kind,
            algorithm: Algorithm::Sha1,
            digits: Digits::SIX,
        })
    }

    pub(crate) use crate::otp::strategies::any_params;

    fn name() -> impl Strategy<Value = Option<String>> {
        proptest::option::of("[ -~À-ÿ:]{0,40}")
    }

    pub(crate) fn parsed_key(
        params: impl Strategy<Value = OtpParams>,
    ) -> impl Strategy<Value = ParsedKey> {
        (
            proptest::collection::vec(any::<u8>(), 1..=64),
            params,
            name(),
            name(),
        )
            .prop_map(|(bytes, params, issuer, account)| {
                let secret = Secret::from_bytes(bytes).unwrap();
                let warnings = import::short_key_warning(&secret).into_iter().collect();
                ParsedKey {
                    key: OtpKey { secret, params },
                    issuer,
                    account,
                    warnings,
                }
            })
    }

    /// `n` distinct keys with every kind of parameter (or only what Google takes), for
    /// the 0, 1 and 1,000-entry round trips.
    pub(crate) fn sample_keys(n: usize, google_only: bool) -> Vec<ParsedKey> {
        (0..n)
            .map(|i| {
                let secret: Vec<u8> = (0..20 + i % 45).map(|j| (i * 31 + j * 7) as u8).collect();
                let kind = if i % 3 == 0 {
                    OtpKind::Hotp {
                        counter: Counter::new(i as u64 * 1_000_003).unwrap(),
                    }
                } else if google_only || i % 4 != 1 {
                    OtpKind::Totp {
                        period: Period::DEFAULT,
                    }
                } else {
                    OtpKind::Totp {
                        period: Period::new(1 + i as u64 % 3600).unwrap(),
                    }
                };
                let (algorithm, digits) = if google_only {
                    (Algorithm::Sha1, Digits::SIX)
                } else {
                    let algorithms = [Algorithm::Sha1, Algorithm::Sha256, Algorithm::Sha512];
                    (algorithms[i % 3], Digits::new(6 + i as u64 % 3).unwrap())
                };
                ParsedKey {
                    key: OtpKey {
                        secret: Secret::from_bytes(secret).unwrap(),
                        params: OtpParams {
                            kind,
                            algorithm,
                            digits,
                        },
                    },
                    issuer: (i % 5 != 0).then(|| format!("eproc TRF{}", i % 7)),
                    account: (i % 7 != 0).then(|| format!("{:011}", 10_000_000_000 + i)),
                    warnings: Vec::new(),
                }
            })
            .collect()
    }

    /// What a writer keeps of a name: trimmed, and absent when blank.
    pub(crate) fn normalized(keys: &[ParsedKey]) -> Vec<ParsedKey> {
        let norm = |s: &Option<String>| {
            s.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
        };
        keys.iter()
            .map(|k| ParsedKey {
                issuer: norm(&k.issuer),
                account: norm(&k.account),
                ..k.clone()
            })
            .collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn export_then_read_gives_the_same_keys(
            input in proptest::collection::vec(parsed_key(google_params()), 1..=25),
        ) {
            let export = export(&input).unwrap();
            prop_assert!(export.skipped.is_empty());
            prop_assert_eq!(export.uris.len(), input.len().div_ceil(MAX_ACCOUNTS_PER_QR));
            for uri in &export.uris {
                prop_assert!(uri.len() <= MAX_URI_BYTES);
            }
            let (batch, read) = read_all(&export);
            prop_assert!(batch.is_complete());
            prop_assert_eq!(read, normalized(&input));
        }

        #[test]
        fn export_skips_exactly_what_google_cannot_take(
            input in proptest::collection::vec(parsed_key(any_params()), 0..=12),
        ) {
            let export = export(&input).unwrap();
            let google = |p: &OtpParams| {
                p.algorithm == Algorithm::Sha1
                    && p.digits == Digits::SIX
                    && !matches!(p.kind, OtpKind::Totp { period } if period != Period::DEFAULT)
            };
            let want: Vec<usize> = (0..input.len()).filter(|&i| !google(&input[i].key.params)).collect();
            let got: Vec<usize> = export.skipped.iter().map(|s| s.index).collect();
            prop_assert_eq!(got, want);
            let kept: Vec<ParsedKey> = input.iter().filter(|k| google(&k.key.params)).cloned().collect();
            let read: Vec<ParsedKey> = export
                .uris
                .iter()
                .flat_map(|u| parse_uri(u).unwrap().into_report().into_keys().unwrap())
                .collect();
            prop_assert_eq!(read, normalized(&kept));
        }

        #[test]
        fn never_panics_on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
            let _ = decode_payload(Zeroizing::new(bytes.clone()));
            let _ = parse_uri(&format!("otpauth-migration://offline?data={}", BASE64.encode(&bytes)));
        }

        #[test]
        fn never_panics_on_arbitrary_text(text in "otpauth-migration://[ -~]{0,120}") {
            let _ = parse_uri(&text);
        }

        #[test]
        fn never_panics_on_mutated_payloads(
            flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
        ) {
            let mut bytes = fixture_payloads()[0].clone();
            for (index, value) in flips {
                let i = index.index(bytes.len());
                bytes[i] = value;
            }
            let _ = decode_payload(Zeroizing::new(bytes));
        }
    }
}
