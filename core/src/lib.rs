//! A2F eproc's core: everything the phone apps and the CLI do, behind one API.
//!
//! One module per capability. Domain modules know nothing of FFI, CLI or screens.

pub mod aegis;
pub mod backup;
pub mod catalog;
pub mod error;
pub mod export;
pub mod ffi;
pub mod files;
pub mod i18n;
pub mod import;
pub mod migration;
pub mod otp;
pub mod otpauth;
pub mod qr;
pub mod report;
pub mod secret;
pub mod uri_list;
pub mod vault;

#[cfg(test)]
mod redaction_tests;

pub use error::{Error, ErrorCode, ErrorKind, Result};

uniffi::setup_scaffolding!();
