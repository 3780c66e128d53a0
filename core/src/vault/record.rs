//! The plaintexts of an entry's two blobs. The key blob holds the key *with* its
//! parameters, so that neither can be changed without the other (no downgrade of
//! algorithm, digits or period). The details blob holds what the user sees: label,
//! issuer and login, in one blob so that a screen of codes costs two decryptions per
//! entry, not four.

use zeroize::Zeroizing;

use crate::otp::{Algorithm, Counter, Digits, OtpKey, OtpKind, OtpParams, Period};
use crate::secret::Secret;

const RECORD_VERSION: u8 = 1;
const HEADER_LEN: usize = 14;

/// version ‖ kind ‖ algorithm ‖ digits ‖ period or counter (u64 BE) ‖ key length (u16
/// BE) ‖ key.
pub fn encode(key: &OtpKey) -> Zeroizing<Vec<u8>> {
    let secret = key.secret.expose();
    let mut out = Zeroizing::new(Vec::with_capacity(HEADER_LEN + secret.len()));
    let (kind, moving) = match key.params.kind {
        OtpKind::Totp { period } => (1u8, u64::from(period.get())),
        OtpKind::Hotp { counter } => (2u8, counter.get()),
    };
    let algorithm = match key.params.algorithm {
        Algorithm::Sha1 => 1u8,
        Algorithm::Sha256 => 2,
        Algorithm::Sha512 => 3,
    };
    out.push(RECORD_VERSION);
    out.push(kind);
    out.push(algorithm);
    out.push(key.params.digits.get());
    out.extend_from_slice(&moving.to_be_bytes());
    // Secret::from_bytes caps keys far below u16::MAX.
    out.extend_from_slice(&(secret.len() as u16).to_be_bytes());
    out.extend_from_slice(secret);
    out
}

/// Reads a record back; any inconsistency means the entry is damaged.
pub fn decode(bytes: &[u8]) -> Option<OtpKey> {
    if bytes.len() < HEADER_LEN || bytes[0] != RECORD_VERSION {
        return None;
    }
    let moving = u64::from_be_bytes(bytes[4..12].try_into().ok()?);
    let kind = match bytes[1] {
        1 => OtpKind::Totp {
            period: Period::new(moving).ok()?,
        },
        2 => OtpKind::Hotp {
            counter: Counter::new(moving).ok()?,
        },
        _ => return None,
    };
    let algorithm = match bytes[2] {
        1 => Algorithm::Sha1,
        2 => Algorithm::Sha256,
        3 => Algorithm::Sha512,
        _ => return None,
    };
    let digits = Digits::new(u64::from(bytes[3])).ok()?;
    let len = usize::from(u16::from_be_bytes([bytes[12], bytes[13]]));
    let secret = bytes.get(HEADER_LEN..)?;
    if secret.len() != len {
        return None;
    }
    Some(OtpKey {
        secret: Secret::from_bytes(secret.to_vec()).ok()?,
        params: OtpParams {
            kind,
            algorithm,
            digits,
        },
    })
}

const DETAILS_VERSION: u8 = 1;

/// The descriptive fields of an entry; the label is always there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Details {
    pub label: String,
    pub issuer: Option<String>,
    pub login: Option<String>,
}

/// version ‖ label ‖ issuer ‖ login, each field a presence byte, a u32 BE length and
/// UTF-8 bytes.
pub fn encode_details(d: &Details) -> Zeroizing<Vec<u8>> {
    let fields = [
        Some(d.label.as_str()),
        d.issuer.as_deref(),
        d.login.as_deref(),
    ];
    let len = 1 + fields
        .iter()
        .map(|f| 5 + f.map_or(0, str::len))
        .sum::<usize>();
    let mut out = Zeroizing::new(Vec::with_capacity(len));
    out.push(DETAILS_VERSION);
    for field in fields {
        match field {
            Some(text) => {
                out.push(1);
                // Labels, issuers and logins come from inputs capped far below 4 GiB.
                out.extend_from_slice(&(text.len() as u32).to_be_bytes());
                out.extend_from_slice(text.as_bytes());
            }
            None => {
                out.push(0);
                out.extend_from_slice(&0u32.to_be_bytes());
            }
        }
    }
    out
}

pub fn decode_details(bytes: &[u8]) -> Option<Details> {
    let (&version, mut rest) = bytes.split_first()?;
    if version != DETAILS_VERSION {
        return None;
    }
    let mut next = || -> Option<Option<String>> {
        let (&present, tail) = rest.split_first()?;
        let len = u32::from_be_bytes(tail.get(..4)?.try_into().ok()?) as usize;
        let text = tail.get(4..4usize.checked_add(len)?)?;
        rest = &tail[4 + len..];
        match present {
            0 if len == 0 => Some(None),
            1 => Some(Some(String::from_utf8(text.to_vec()).ok()?)),
            _ => None,
        }
    };
    let label = next()??;
    let issuer = next()?;
    let login = next()?;
    rest.is_empty().then_some(Details {
        label,
        issuer,
        login,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::otp::strategies::any_params;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn round_trips(bytes in proptest::collection::vec(any::<u8>(), 1..=256), params in any_params()) {
            let key = OtpKey { secret: Secret::from_bytes(bytes).unwrap(), params };
            prop_assert_eq!(decode(&encode(&key)), Some(key));
        }

        #[test]
        fn never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
            let _ = decode(&bytes);
            let _ = decode_details(&bytes);
        }

        #[test]
        fn details_round_trip(
            label in ".{0,40}",
            issuer in proptest::option::of(".{0,40}"),
            login in proptest::option::of(".{0,40}"),
        ) {
            let d = Details { label, issuer, login };
            prop_assert_eq!(decode_details(&encode_details(&d)), Some(d));
        }
    }

    #[test]
    fn rejects_inconsistent_details() {
        let good = encode_details(&Details {
            label: "TRF4".into(),
            issuer: None,
            login: Some("x".into()),
        });
        assert!(decode_details(&good).is_some());
        let mut cases = vec![good[..good.len() - 1].to_vec(), [&good[..], &[0]].concat()];
        let mut bad_version = good.to_vec();
        bad_version[0] = 2;
        cases.push(bad_version);
        let mut absent_label = good.to_vec();
        absent_label[1] = 0;
        cases.push(absent_label);
        let mut long = good.to_vec();
        long[2..6].copy_from_slice(&u32::MAX.to_be_bytes());
        cases.push(long);
        for bad in cases {
            assert_eq!(decode_details(&bad), None, "{bad:?}");
        }
    }

    #[test]
    fn rejects_inconsistent_records() {
        let key = OtpKey {
            secret: Secret::from_bytes(vec![1; 20]).unwrap(),
            params: OtpParams::default_totp(),
        };
        let good = encode(&key);
        let mut cases: Vec<Vec<u8>> = Vec::new();
        for (index, value) in [(0, 9u8), (1, 3), (2, 4), (3, 9), (3, 5), (13, 19)] {
            let mut bad = good.to_vec();
            bad[index] = value;
            cases.push(bad);
        }
        let mut zero_period = good.to_vec();
        zero_period[4..12].copy_from_slice(&0u64.to_be_bytes());
        cases.push(zero_period);
        cases.push(good[..good.len() - 1].to_vec());
        let mut longer = good.to_vec();
        longer.push(0);
        cases.push(longer);
        for bad in cases {
            assert_eq!(decode(&bad), None, "{bad:?}");
        }
    }
}
