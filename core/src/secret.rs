//! The OTP key itself: bytes that cannot be printed, and their base32 text.

use std::fmt;

use zeroize::{Zeroize, Zeroizing};

use crate::error::{Error, Result};

/// Keys under this many bits draw a warning (RFC 4226 §4 asks for 128).
pub const RECOMMENDED_MIN_BITS: usize = 128;

/// Upper bound on a key: HMAC keys beyond the hash's block size are hashed anyway,
/// and no issuer hands out more than SHA-512's 64 bytes; 256 leaves room without
/// letting a pasted document become a "key".
pub const MAX_KEY_BYTES: usize = 256;

/// An OTP key. Never printed, never compared in variable time, wiped on drop.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(Zeroizing<Vec<u8>>);

impl Secret {
    /// Takes raw key bytes (Google's migration payload carries them raw).
    pub fn from_bytes(bytes: Vec<u8>) -> Result<Self> {
        let bytes = Zeroizing::new(bytes);
        if bytes.is_empty() {
            return Err(Error::EmptySecret);
        }
        if bytes.len() > MAX_KEY_BYTES {
            return Err(Error::SecretTooLong {
                max_bytes: MAX_KEY_BYTES,
            });
        }
        Ok(Self(bytes))
    }

    /// Parses base32 as people and apps really write it: any case, spaces, hyphens or
    /// underscores between groups, `=` padding, trailing bits that do not fill a byte.
    pub fn from_base32(text: &str) -> Result<Self> {
        let bytes = decode_base32(text)?;
        Self::from_bytes(bytes.to_vec())
    }

    pub fn expose(&self) -> &[u8] {
        &self.0
    }

    pub fn bits(&self) -> usize {
        self.0.len() * 8
    }

    /// The key as eproc shows it: upper-case base32, no padding, no spaces.
    pub fn to_base32(&self) -> Zeroizing<String> {
        Zeroizing::new(data_encoding::BASE32_NOPAD.encode(&self.0))
    }

    /// The key in groups of four for reading aloud or typing by hand.
    pub fn to_base32_grouped(&self) -> Zeroizing<String> {
        let plain = self.to_base32();
        let mut out = Zeroizing::new(String::with_capacity(plain.len() + plain.len() / 4));
        for (i, c) in plain.chars().enumerate() {
            if i > 0 && i % 4 == 0 {
                out.push(' ');
            }
            out.push(c);
        }
        out
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret([redacted])")
    }
}

/// Characters people put between groups of a key; they carry no bits.
pub(crate) fn is_separator(c: char) -> bool {
    matches!(c, ' ' | '-' | '_' | '\t' | '\r' | '\n')
}

fn base32_value(c: char) -> Option<u8> {
    match c {
        'A'..='Z' => Some(c as u8 - b'A'),
        'a'..='z' => Some(c as u8 - b'a'),
        '2'..='7' => Some(c as u8 - b'2' + 26),
        _ => None,
    }
}

/// RFC 4648 base32, tolerant of presentation but strict on content: a character
/// outside the alphabet is an error naming its 1-based position among the characters
/// typed, and `=` may only close the key.
fn decode_base32(text: &str) -> Result<Zeroizing<Vec<u8>>> {
    let mut out = Zeroizing::new(Vec::with_capacity(text.len() * 5 / 8));
    let mut buffer: u32 = 0;
    let mut bits = 0u32;
    let mut padding_started = false;
    let mut symbols = 0usize;
    for (index, c) in text.chars().enumerate() {
        let position = index + 1;
        if is_separator(c) {
            continue;
        }
        if c == '=' {
            padding_started = true;
            continue;
        }
        let Some(value) = base32_value(c) else {
            buffer.zeroize();
            return Err(Error::InvalidSecretCharacter { position });
        };
        if padding_started {
            buffer.zeroize();
            return Err(Error::InvalidSecretCharacter { position });
        }
        symbols += 1;
        if symbols > MAX_KEY_BYTES * 8 / 5 + 1 {
            buffer.zeroize();
            return Err(Error::SecretTooLong {
                max_bytes: MAX_KEY_BYTES,
            });
        }
        buffer = (buffer << 5) | u32::from(value);
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
            buffer &= (1 << bits) - 1;
        }
    }
    // Leftover bits that do not fill a byte are dropped, as RFC 4648 decoders and
    // the major authenticators do.
    buffer.zeroize();
    if symbols == 0 {
        return Err(Error::EmptySecret);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_rfc4648_vectors() {
        for (text, plain) in [
            ("MY", "f"),
            ("MZXQ", "fo"),
            ("MZXW6", "foo"),
            ("MZXW6YQ", "foob"),
            ("MZXW6YTB", "fooba"),
            ("MZXW6YTBOI", "foobar"),
            ("MZXW6YTBOI======", "foobar"),
        ] {
            assert_eq!(
                Secret::from_base32(text).unwrap().expose(),
                plain.as_bytes()
            );
        }
    }

    #[test]
    fn tolerates_case_spaces_hyphens_and_padding() {
        let canonical = Secret::from_base32("JBSWY3DPEHPK3PXP").unwrap();
        for text in [
            "jbswy3dpehpk3pxp",
            "JBSW Y3DP EHPK 3PXP",
            "jbsw-y3dp-ehpk-3pxp",
            " JBSWY3DPEHPK3PXP ",
            "JBSWY3DPEHPK3PXP====",
        ] {
            assert_eq!(Secret::from_base32(text).unwrap(), canonical, "{text}");
        }
    }

    #[test]
    fn ignores_trailing_bits() {
        // 33 characters: 165 bits, 20 whole bytes and 5 spare bits.
        let s = Secret::from_base32("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQA").unwrap();
        assert_eq!(s.expose(), b"12345678901234567890");
    }

    #[test]
    fn names_the_offending_position() {
        let err = Secret::from_base32("JBSW Y3D1").unwrap_err();
        assert!(matches!(err, Error::InvalidSecretCharacter { position: 9 }));
        let err = Secret::from_base32("JBSW=Y3DP").unwrap_err();
        assert!(matches!(err, Error::InvalidSecretCharacter { position: 6 }));
        let err = Secret::from_base32("ÁBCD").unwrap_err();
        assert!(matches!(err, Error::InvalidSecretCharacter { position: 1 }));
    }

    #[test]
    fn rejects_empty_and_huge() {
        assert!(matches!(Secret::from_base32(""), Err(Error::EmptySecret)));
        assert!(matches!(
            Secret::from_base32(" - = "),
            Err(Error::EmptySecret)
        ));
        // One symbol holds five bits: no whole byte.
        assert!(matches!(Secret::from_base32("A"), Err(Error::EmptySecret)));
        let huge = "A".repeat(5000);
        assert!(matches!(
            Secret::from_base32(&huge),
            Err(Error::SecretTooLong { .. })
        ));
    }

    #[test]
    fn encodes_canonically_and_grouped() {
        let s = Secret::from_bytes(b"12345678901234567890".to_vec()).unwrap();
        assert_eq!(&*s.to_base32(), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
        assert_eq!(
            &*s.to_base32_grouped(),
            "GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ"
        );
    }

    #[test]
    fn debug_is_redacted() {
        let s = Secret::from_base32("JBSWY3DPEHPK3PXP").unwrap();
        let shown = format!("{s:?}");
        assert!(!shown.contains("JBSW"));
        assert!(shown.contains("redacted"));
    }
}
