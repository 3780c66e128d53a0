//! What the fuzz targets share: how inputs become text, and what "the same key" means
//! after a write and a read.

use std::borrow::Cow;

use eproc_a2f_core::import::ParsedKey;

/// The bytes as text. Invalid UTF-8 becomes U+FFFD, as it would in any app that decoded
/// a file or a QR leniently before handing it over.
pub fn text(data: &[u8]) -> Cow<'_, str> {
    String::from_utf8_lossy(data)
}

/// Key, parameters, issuer and account: what a written format must carry. Warnings are
/// about the input that was read, so they may differ.
pub fn assert_same_keys<'a>(
    read: impl IntoIterator<Item = &'a ParsedKey>,
    reread: impl IntoIterator<Item = &'a ParsedKey>,
) {
    let view = |k: &'a ParsedKey| (&k.key, k.issuer.as_deref(), k.account.as_deref());
    let read: Vec<_> = read.into_iter().map(view).collect();
    let reread: Vec<_> = reread.into_iter().map(view).collect();
    assert_eq!(read.len(), reread.len(), "keys lost or gained");
    for (index, (a, b)) in read.iter().zip(&reread).enumerate() {
        assert_eq!(a.0, b.0, "key {index} changed");
        assert_eq!(a.1, b.1, "issuer of key {index} changed");
        assert_eq!(a.2, b.2, "account of key {index} changed");
    }
}
