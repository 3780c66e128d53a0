//! The plaintext of an entry's key blob: the key *with* its parameters, so that neither
//! can be changed without the other (no downgrade of algorithm, digits or period).

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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn params() -> impl Strategy<Value = OtpParams> {
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

    proptest! {
        #[test]
        fn round_trips(bytes in proptest::collection::vec(any::<u8>(), 1..=256), params in params()) {
            let key = OtpKey { secret: Secret::from_bytes(bytes).unwrap(), params };
            prop_assert_eq!(decode(&encode(&key)), Some(key));
        }

        #[test]
        fn never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
            let _ = decode(&bytes);
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
