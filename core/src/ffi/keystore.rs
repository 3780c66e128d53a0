//! The phone's keystore, implemented by the apps: Android Keystore, iOS Keychain with
//! the Secure Enclave. The core hands it the vault key to wrap into a platform slot and
//! asks it to unwrap that slot to unlock.

use std::sync::Arc;

use zeroize::Zeroizing;

use crate::vault::{KeyWrapper, PlatformKeyFailure};

/// How the keystore failed. The app throws one of these from `PlatformKeyStore`; any
/// other exception counts as `Unavailable`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error, uniffi::Error)]
pub enum PlatformKeyError {
    /// The user dismissed the biometric or device-credential prompt.
    #[error("cancelled")]
    Cancelled,
    /// The keystore key is gone for good: biometrics re-enrolled, screen lock removed,
    /// app data restored to another device.
    #[error("key invalidated")]
    KeyInvalidated,
    /// Anything else the keystore reports.
    #[error("unavailable")]
    Unavailable,
}

impl From<PlatformKeyError> for PlatformKeyFailure {
    fn from(error: PlatformKeyError) -> Self {
        match error {
            PlatformKeyError::Cancelled => PlatformKeyFailure::Cancelled,
            PlatformKeyError::KeyInvalidated => PlatformKeyFailure::KeyInvalidated,
            PlatformKeyError::Unavailable => PlatformKeyFailure::Unavailable,
        }
    }
}

/// An exception the app's keystore code did not declare. Its message is the app's to
/// log; here it is a keystore that did not answer.
impl From<uniffi::UnexpectedUniFFICallbackError> for PlatformKeyError {
    fn from(_: uniffi::UnexpectedUniFFICallbackError) -> Self {
        PlatformKeyError::Unavailable
    }
}

/// The app's keystore. `wrap` encrypts the vault key with a key that never leaves the
/// hardware; `unwrap` reverses it, after whatever prompt the app requires. Both are
/// called from the thread that called the vault, never while the vault is locked
/// against other threads, so they may block on a prompt.
#[uniffi::export(with_foreign)]
pub trait PlatformKeyStore: Send + Sync {
    fn wrap(&self, key: Vec<u8>) -> Result<Vec<u8>, PlatformKeyError>;
    fn unwrap(&self, wrapped: Vec<u8>) -> Result<Vec<u8>, PlatformKeyError>;
}

/// The app's keystore as the vault's `KeyWrapper`.
pub(super) struct Keystore(pub(super) Arc<dyn PlatformKeyStore>);

impl KeyWrapper for Keystore {
    fn wrap(&self, key: &[u8]) -> Result<Vec<u8>, PlatformKeyFailure> {
        self.0.wrap(key.to_vec()).map_err(Into::into)
    }

    fn unwrap(&self, wrapped: &[u8]) -> Result<Zeroizing<Vec<u8>>, PlatformKeyFailure> {
        self.0
            .unwrap(wrapped.to_vec())
            .map(Zeroizing::new)
            .map_err(Into::into)
    }
}
