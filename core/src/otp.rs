//! OTP generation: TOTP (RFC 6238) and HOTP (RFC 4226) codes as a pure function of
//! the key, its parameters and a time or counter. totp-rs computes the HMAC and the
//! truncation; this module owns validation, so nothing invalid reaches it.

use std::fmt;

use crate::error::{Error, Result};
use crate::secret::Secret;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Algorithm {
    #[default]
    Sha1,
    Sha256,
    Sha512,
}

impl Algorithm {
    pub const fn as_str(self) -> &'static str {
        match self {
            Algorithm::Sha1 => "SHA1",
            Algorithm::Sha256 => "SHA256",
            Algorithm::Sha512 => "SHA512",
        }
    }

    /// Accepts the names apps write, in any case, with or without a hyphen (`sha-256`).
    pub fn parse(name: &str) -> Result<Self> {
        let compact: String = name
            .trim()
            .chars()
            .filter(|c| *c != '-' && *c != '_')
            .collect::<String>()
            .to_ascii_uppercase();
        match compact.as_str() {
            "SHA1" => Ok(Algorithm::Sha1),
            "SHA256" => Ok(Algorithm::Sha256),
            "SHA512" => Ok(Algorithm::Sha512),
            _ => Err(Error::UnsupportedAlgorithm { name: name.into() }),
        }
    }

    fn to_totp_rs(self) -> totp_rs::Algorithm {
        match self {
            Algorithm::Sha1 => totp_rs::Algorithm::SHA1,
            Algorithm::Sha256 => totp_rs::Algorithm::SHA256,
            Algorithm::Sha512 => totp_rs::Algorithm::SHA512,
        }
    }
}

impl fmt::Display for Algorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Code length: 6 to 8 digits (RFC 4226 §5.3 allows 6 and more; 9 and up overflow
/// the 31-bit truncation in some implementations, and no issuer uses them).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Digits(u8);

impl Digits {
    pub const SIX: Digits = Digits(6);
    pub const MIN: u8 = 6;
    pub const MAX: u8 = 8;

    pub fn new(value: u64) -> Result<Self> {
        match u8::try_from(value) {
            Ok(d) if (Self::MIN..=Self::MAX).contains(&d) => Ok(Digits(d)),
            _ => Err(Error::InvalidDigits),
        }
    }

    pub const fn get(self) -> u8 {
        self.0
    }
}

impl Default for Digits {
    fn default() -> Self {
        Digits::SIX
    }
}

/// TOTP step in seconds: 1 to 3600.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Period(u32);

impl Period {
    pub const DEFAULT: Period = Period(30);
    pub const MAX: u32 = 3600;

    pub fn new(value: u64) -> Result<Self> {
        match u32::try_from(value) {
            Ok(p) if (1..=Self::MAX).contains(&p) => Ok(Period(p)),
            _ => Err(Error::InvalidPeriod),
        }
    }

    pub const fn get(self) -> u32 {
        self.0
    }
}

impl Default for Period {
    fn default() -> Self {
        Period::DEFAULT
    }
}

/// HOTP counter. Capped below `i64::MAX` so that it fits SQLite, protobuf int64 and
/// Aegis's JSON, and so that the next counter always exists.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Counter(u64);

impl Counter {
    pub const MAX: u64 = i64::MAX as u64 - 1;

    pub fn new(value: u64) -> Result<Self> {
        if value <= Self::MAX {
            Ok(Counter(value))
        } else {
            Err(Error::InvalidCounter)
        }
    }

    pub const fn get(self) -> u64 {
        self.0
    }

    pub fn next(self) -> Result<Self> {
        Counter::new(self.0 + 1)
    }
}

/// A Unix time in seconds, from 1970 on. Before 1970 there is no TOTP step; past
/// `i64::MAX` no platform clock reaches.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct UnixTime(u64);

impl UnixTime {
    pub fn new(seconds: i64) -> Result<Self> {
        u64::try_from(seconds)
            .map(UnixTime)
            .map_err(|_| Error::TimeOutOfRange)
    }

    /// Now, by the system clock. A clock before 1970 is an error, not a panic.
    pub fn now() -> Result<Self> {
        let since = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_err(|_| Error::TimeOutOfRange)?;
        i64::try_from(since.as_secs())
            .map_err(|_| Error::TimeOutOfRange)
            .and_then(UnixTime::new)
    }

    pub const fn seconds(self) -> u64 {
        self.0
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum OtpKind {
    Totp { period: Period },
    Hotp { counter: Counter },
}

impl OtpKind {
    pub const fn name(self) -> &'static str {
        match self {
            OtpKind::Totp { .. } => "totp",
            OtpKind::Hotp { .. } => "hotp",
        }
    }
}

/// Everything about a key but the key: what must be stored with it, and encrypted with
/// it, so that it cannot be downgraded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct OtpParams {
    pub kind: OtpKind,
    pub algorithm: Algorithm,
    pub digits: Digits,
}

impl OtpParams {
    /// eproc's parameters, and the defaults of the Key Uri Format: TOTP, SHA1, 6 digits, 30 s.
    pub const fn default_totp() -> Self {
        OtpParams {
            kind: OtpKind::Totp {
                period: Period::DEFAULT,
            },
            algorithm: Algorithm::Sha1,
            digits: Digits::SIX,
        }
    }
}

/// A key with its parameters: everything needed to compute codes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OtpKey {
    pub secret: Secret,
    pub params: OtpParams,
}

/// A code, zero-padded to its digits. Codes are short-lived secrets: not logged.
#[derive(Clone, PartialEq, Eq)]
pub struct Code(String);

impl Code {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Code([redacted])")
    }
}

/// What a screen shows for one key: the code now, how long it lasts, and the next.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CodeView {
    pub code: Code,
    pub next: Code,
    /// Seconds left in the current step (TOTP); `None` for HOTP, whose code lasts
    /// until it is used.
    pub valid_for: Option<u32>,
}

/// The code of `secret` at HMAC counter `moving_factor`: RFC 4226's HOTP, which is also
/// TOTP with the step number as the counter (RFC 6238 §4).
fn code_at(secret: &Secret, algorithm: Algorithm, digits: Digits, moving_factor: u64) -> Code {
    // totp-rs divides the time by the step: with a step of 1 the "time" is the counter.
    // The Totp holds a copy of the key in a zeroize-on-drop buffer, built just in time
    // and never logged (its Debug would show the key).
    let totp = totp_rs::Builder::new()
        .with_algorithm(algorithm.to_totp_rs())
        .with_digits(digits.get())
        .with_step_duration(1)
        .with_secret(secret.expose().to_vec())
        .build_noncompliant();
    Code(totp.generate(moving_factor).to_string())
}

impl OtpKey {
    /// The code at a time (TOTP) or at the stored counter (HOTP; the time is unused).
    pub fn code(&self, at: UnixTime) -> Code {
        code_at(
            &self.secret,
            self.params.algorithm,
            self.params.digits,
            self.moving_factor(at),
        )
    }

    /// The current code, the seconds it has left, and the one that follows it.
    pub fn view(&self, at: UnixTime) -> CodeView {
        let factor = self.moving_factor(at);
        let code = code_at(
            &self.secret,
            self.params.algorithm,
            self.params.digits,
            factor,
        );
        let next = code_at(
            &self.secret,
            self.params.algorithm,
            self.params.digits,
            factor + 1,
        );
        let valid_for = match self.params.kind {
            OtpKind::Totp { period } => {
                let p = u64::from(period.get());
                Some((p - at.seconds() % p) as u32)
            }
            OtpKind::Hotp { .. } => None,
        };
        CodeView {
            code,
            next,
            valid_for,
        }
    }

    /// The HMAC counter. Both arms stay at or below `i64::MAX`, so `+ 1` cannot overflow.
    fn moving_factor(&self, at: UnixTime) -> u64 {
        match self.params.kind {
            OtpKind::Totp { period } => at.seconds() / u64::from(period.get()),
            OtpKind::Hotp { counter } => counter.get(),
        }
    }
}

/// Property-test generators of valid parameters, shared by every format's tests.
#[cfg(test)]
pub(crate) mod strategies {
    use super::*;
    use proptest::prelude::*;

    pub(crate) fn any_params() -> impl Strategy<Value = OtpParams> {
        let kind = prop_oneof![
            (1u64..=3600).prop_map(|p| OtpKind::Totp {
                period: Period::new(p).unwrap()
            }),
            (0u64..=Counter::MAX).prop_map(|c| OtpKind::Hotp {
                counter: Counter::new(c).unwrap()
            }),
        ];
        let algorithm = prop_oneof![
            Just(Algorithm::Sha1),
            Just(Algorithm::Sha256),
            Just(Algorithm::Sha512)
        ];
        (kind, algorithm, 6u64..=8).prop_map(|(kind, algorithm, d)| OtpParams {
            kind,
            algorithm,
            digits: Digits::new(d).unwrap(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(seed: &[u8], kind: OtpKind, algorithm: Algorithm, digits: u64) -> OtpKey {
        OtpKey {
            secret: Secret::from_bytes(seed.to_vec()).unwrap(),
            params: OtpParams {
                kind,
                algorithm,
                digits: Digits::new(digits).unwrap(),
            },
        }
    }

    const SEED20: &[u8] = b"12345678901234567890";
    const SEED32: &[u8] = b"12345678901234567890123456789012";
    const SEED64: &[u8] = b"1234567890123456789012345678901234567890123456789012345678901234";

    #[test]
    fn rfc4226_appendix_d() {
        let expected = [
            "755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583",
            "399871", "520489",
        ];
        for (counter, want) in expected.iter().enumerate() {
            let k = key(
                SEED20,
                OtpKind::Hotp {
                    counter: Counter::new(counter as u64).unwrap(),
                },
                Algorithm::Sha1,
                6,
            );
            let at = UnixTime::new(0).unwrap();
            assert_eq!(k.code(at).as_str(), *want, "counter {counter}");
        }
    }

    #[test]
    fn rfc6238_appendix_b() {
        let table: [(i64, [&str; 3]); 6] = [
            (59, ["94287082", "46119246", "90693936"]),
            (1111111109, ["07081804", "68084774", "25091201"]),
            (1111111111, ["14050471", "67062674", "99943326"]),
            (1234567890, ["89005924", "91819424", "93441116"]),
            (2000000000, ["69279037", "90698825", "38618901"]),
            (20000000000, ["65353130", "77737706", "47863826"]),
        ];
        let algos = [
            (Algorithm::Sha1, SEED20),
            (Algorithm::Sha256, SEED32),
            (Algorithm::Sha512, SEED64),
        ];
        for (time, codes) in table {
            for ((algorithm, seed), want) in algos.iter().zip(codes) {
                let k = key(
                    seed,
                    OtpKind::Totp {
                        period: Period::DEFAULT,
                    },
                    *algorithm,
                    8,
                );
                let at = UnixTime::new(time).unwrap();
                assert_eq!(k.code(at).as_str(), want, "{algorithm} at {time}");
            }
        }
    }

    #[test]
    fn a_20_byte_seed_with_sha256_is_the_classic_trap() {
        let k = key(
            SEED20,
            OtpKind::Totp {
                period: Period::DEFAULT,
            },
            Algorithm::Sha256,
            8,
        );
        assert_ne!(k.code(UnixTime::new(59).unwrap()).as_str(), "46119246");
    }

    #[test]
    fn step_boundaries() {
        let k = key(
            SEED20,
            OtpKind::Totp {
                period: Period::DEFAULT,
            },
            Algorithm::Sha1,
            8,
        );
        let at = |t: i64| UnixTime::new(t).unwrap();
        // period - 1 and period sit in different steps.
        let v29 = k.view(at(29));
        let v30 = k.view(at(30));
        assert_eq!(v29.valid_for, Some(1));
        assert_eq!(v30.valid_for, Some(30));
        assert_eq!(v29.next, v30.code);
        assert_ne!(v29.code, v30.code);
        assert_eq!(k.view(at(0)).valid_for, Some(30));
        for t in [1_i64 << 31, 1 << 32, 20_000_000_000, i64::MAX] {
            let v = k.view(at(t));
            assert_eq!(v.code.as_str().len(), 8);
            let left = i64::from(v.valid_for.unwrap());
            let last_second = t.checked_add(left - 1).unwrap_or(i64::MAX);
            assert_eq!(k.view(at(last_second)).code, v.code, "{t}");
            if let Some(after) = t.checked_add(left) {
                assert_eq!(k.view(at(after)).code, v.next, "{t}");
            }
        }
    }

    #[test]
    fn next_code_agrees_with_the_following_step() {
        let k = key(
            SEED20,
            OtpKind::Totp {
                period: Period::new(60).unwrap(),
            },
            Algorithm::Sha1,
            6,
        );
        let v = k.view(UnixTime::new(1_234_567_890).unwrap());
        let later = k.view(UnixTime::new(1_234_567_920).unwrap());
        assert_eq!(v.next, later.code);
    }

    #[test]
    fn hotp_view_has_next_counter_and_no_countdown() {
        let k = key(
            SEED20,
            OtpKind::Hotp {
                counter: Counter::new(3).unwrap(),
            },
            Algorithm::Sha1,
            6,
        );
        let v = k.view(UnixTime::new(0).unwrap());
        assert_eq!(v.code.as_str(), "969429");
        assert_eq!(v.next.as_str(), "338314");
        assert_eq!(v.valid_for, None);
    }

    #[test]
    fn rejects_times_and_parameters_out_of_range() {
        assert!(matches!(UnixTime::new(-1), Err(Error::TimeOutOfRange)));
        assert!(matches!(
            UnixTime::new(i64::MIN),
            Err(Error::TimeOutOfRange)
        ));
        for d in [0, 5, 9, 10, 100, u64::MAX] {
            assert!(matches!(Digits::new(d), Err(Error::InvalidDigits)), "{d}");
        }
        for p in [0, 3601, u64::MAX] {
            assert!(matches!(Period::new(p), Err(Error::InvalidPeriod)), "{p}");
        }
        assert!(Period::new(1).is_ok() && Period::new(3600).is_ok());
        assert!(matches!(Counter::new(u64::MAX), Err(Error::InvalidCounter)));
        assert!(matches!(
            Counter::new(Counter::MAX).unwrap().next(),
            Err(Error::InvalidCounter)
        ));
    }

    #[test]
    fn the_last_counter_still_has_a_view() {
        let k = key(
            SEED20,
            OtpKind::Hotp {
                counter: Counter::new(Counter::MAX).unwrap(),
            },
            Algorithm::Sha1,
            6,
        );
        assert_eq!(k.view(UnixTime::new(0).unwrap()).code.as_str().len(), 6);
    }

    #[test]
    fn algorithm_names() {
        for (text, want) in [
            ("sha1", Algorithm::Sha1),
            ("SHA-256", Algorithm::Sha256),
            ("Sha512", Algorithm::Sha512),
        ] {
            assert_eq!(Algorithm::parse(text).unwrap(), want);
        }
        for bad in ["MD5", "", "SHA3", "SHA-1-x"] {
            assert!(Algorithm::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn debug_hides_codes() {
        let k = key(
            SEED20,
            OtpKind::Totp {
                period: Period::DEFAULT,
            },
            Algorithm::Sha1,
            6,
        );
        let v = k.view(UnixTime::new(59).unwrap());
        let shown = format!("{v:?} {k:?}");
        assert!(!shown.contains(v.code.as_str()));
        assert!(!shown.contains("1234567890"));
    }
}
