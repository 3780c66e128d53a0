//! Code generation with any key of 1 to 256 bytes, any parameters the validated
//! constructors take, and any time: never a panic, a code of exactly `digits` digits,
//! equal to RFC 4226's HOTP computed independently here, and a view whose next code and
//! countdown agree with the following step.
#![no_main]

use eproc_a2f_core::otp::{
    Algorithm, Counter, Digits, OtpKey, OtpKind, OtpParams, Period, UnixTime,
};
use eproc_a2f_core::secret::Secret;
use hmac::{Hmac, KeyInit, Mac};
use libfuzzer_sys::arbitrary::{self, Arbitrary, Unstructured};
use libfuzzer_sys::fuzz_target;

#[derive(Debug)]
struct Input {
    secret: Vec<u8>,
    algorithm: Algorithm,
    hotp: bool,
    digits: u64,
    period: u64,
    counter: u64,
    time: i64,
}

impl<'a> Arbitrary<'a> for Input {
    fn arbitrary(u: &mut Unstructured<'a>) -> arbitrary::Result<Self> {
        let mut secret = vec![0; u.int_in_range(1..=256)?];
        u.fill_buffer(&mut secret)?;
        Ok(Input {
            secret,
            algorithm: *u.choose(&[Algorithm::Sha1, Algorithm::Sha256, Algorithm::Sha512])?,
            hotp: u.arbitrary()?,
            digits: u.arbitrary()?,
            period: u.arbitrary()?,
            counter: u.arbitrary()?,
            time: u.arbitrary()?,
        })
    }
}

fuzz_target!(|input: Input| {
    // Each constructor takes exactly its documented range.
    let digits = Digits::new(input.digits);
    assert_eq!(digits.is_ok(), (6..=8).contains(&input.digits));
    let period = Period::new(input.period);
    assert_eq!(period.is_ok(), (1..=3600).contains(&input.period));
    let counter = Counter::new(input.counter);
    assert_eq!(counter.is_ok(), input.counter < i64::MAX as u64);
    let at = UnixTime::new(input.time);
    assert_eq!(at.is_ok(), input.time >= 0);
    let Ok(at) = at else { return };
    let Ok(digits) = digits else { return };
    let kind = if input.hotp {
        let Ok(counter) = counter else { return };
        OtpKind::Hotp { counter }
    } else {
        let Ok(period) = period else { return };
        OtpKind::Totp { period }
    };
    let key = OtpKey {
        secret: Secret::from_bytes(input.secret.clone()).expect("1 to 256 bytes"),
        params: OtpParams {
            kind,
            algorithm: input.algorithm,
            digits,
        },
    };

    let factor = match kind {
        OtpKind::Totp { period } => at.seconds() / u64::from(period.get()),
        OtpKind::Hotp { counter } => counter.get(),
    };
    let code = key.code(at);
    assert_eq!(code.as_str().len(), usize::from(digits.get()));
    assert!(code.as_str().bytes().all(|b| b.is_ascii_digit()));
    let want = hotp(&input.secret, input.algorithm, digits.get(), factor);
    assert_eq!(code.as_str(), want);

    let view = key.view(at);
    assert!(view.code == code);
    let next = hotp(&input.secret, input.algorithm, digits.get(), factor + 1);
    assert_eq!(view.next.as_str(), next);
    match kind {
        OtpKind::Totp { period } => {
            let period = u64::from(period.get());
            let left = u64::from(view.valid_for.expect("TOTP counts down"));
            assert!((1..=period).contains(&left));
            assert_eq!((at.seconds() + left) % period, 0, "ends on a step boundary");
        }
        OtpKind::Hotp { .. } => assert_eq!(view.valid_for, None),
    }
});

/// RFC 4226 §5.3: HMAC over the 8-byte big-endian counter, dynamic truncation to 31
/// bits, then the low `digits` decimal digits, zero-padded.
fn hotp(key: &[u8], algorithm: Algorithm, digits: u8, counter: u64) -> String {
    let message = counter.to_be_bytes();
    let mac = match algorithm {
        Algorithm::Sha1 => hmac_of::<Hmac<sha1::Sha1>>(key, &message),
        Algorithm::Sha256 => hmac_of::<Hmac<sha2::Sha256>>(key, &message),
        Algorithm::Sha512 => hmac_of::<Hmac<sha2::Sha512>>(key, &message),
    };
    let offset = usize::from(mac[mac.len() - 1] & 0x0f);
    let truncated =
        u32::from_be_bytes(mac[offset..offset + 4].try_into().expect("4 bytes")) & 0x7fff_ffff;
    let code = u64::from(truncated) % 10u64.pow(u32::from(digits));
    format!("{code:0width$}", width = usize::from(digits))
}

fn hmac_of<M: Mac + KeyInit>(key: &[u8], message: &[u8]) -> Vec<u8> {
    let mut mac = <M as KeyInit>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(message);
    mac.finalize().into_bytes().to_vec()
}
