//! Errors in two layers: `Error`, rich and internal, carrying what went wrong; and
//! `ErrorCode`, the small public set of stable snake_case codes that the CLI prints
//! and the FFI hands to the apps. No message ever carries a key, a login or a code.

use std::fmt;

use crate::i18n::Lang;
use crate::qr::{FrameProblem, ImageLimit};
use crate::vault::PlatformKeyFailure;

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What went wrong, with the detail needed to say it well.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    EmptyInput,
    InputTooLarge { max_bytes: usize },
    UnrecognizedInput,
    UnsupportedScheme { scheme: Quoted },
    MalformedUri { reason: UriProblem },
    UnsupportedOtpType { kind: Quoted },
    DuplicateParameter { name: Quoted },
    MissingSecret,
    EmptySecret,
    InvalidSecretCharacter { position: usize },
    SecretTooLong { max_bytes: usize },
    KeyTooShort { min_chars: usize },
    InvalidDigits,
    InvalidPeriod,
    InvalidCounter,
    MissingCounter,
    UnsupportedAlgorithm { name: Quoted },
    TimeOutOfRange,
    UnknownSystem { id: Quoted },
    Internal,
    RandomUnavailable,
    Storage { reason: StorageProblem },
    VaultBusy,
    VaultNotFound,
    VaultExists,
    NotAVault,
    VaultDamaged,
    VaultTooNew,
    KdfParamsOutOfRange,
    EmptyPassphrase,
    WrongPassphrase,
    Locked,
    NoPassphraseSlot,
    PlatformKey { failure: PlatformKeyFailure },
    SlotNotFound,
    LastSlot,
    EntryNotFound,
    EntryDamaged,
    EntryInTrash,
    EntryNotInTrash,
    DuplicateKey,
    NotHotp,
    InvalidMigrationPayload { problem: MigrationProblem },
    MigrationBatchMismatch { conflict: BatchConflict },
    GoogleIncompatible { limit: GoogleLimit },
    EncryptedAegisExport,
    InvalidAegisJson { problem: JsonProblem },
    UnsupportedAegisVersion { version: i64 },
    EmptyImage,
    UnsupportedImage,
    ImageTooLarge { limit: ImageLimit },
    InvalidFrame { reason: FrameProblem },
    NoQrCode,
    QrTextTooLong { max_bytes: usize },
    NotABackup,
    BackupDamaged,
    BackupTooNew,
    BackupVerifyFailed,
}

/// Why an `otpauth` URI could not be read at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UriProblem {
    /// Nothing after `otpauth:` looks like `//TYPE/LABEL`.
    MissingType,
    /// Percent-encoding that does not decode to UTF-8 text.
    BadEncoding,
}

/// Why the vault's storage failed, without the database's own words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StorageProblem {
    Full,
    ReadOnly,
    Io,
    Other,
}

/// Why a Google Authenticator transfer (`otpauth-migration://`) could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MigrationProblem {
    /// No `data` parameter, or an empty one.
    MissingData,
    /// `data` is not Base64: usually a QR text cut short.
    Base64,
    /// The bytes are not the transfer's protobuf message: damaged or truncated.
    Protobuf,
    /// A well-formed transfer with no account in it.
    NoAccounts,
    /// Batch size and index that do not make sense (index past the size, negative, huge).
    BatchNumbering,
}

/// Why a QR does not belong with the transfer parts gathered so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BatchConflict {
    /// Another export: its batch id or its number of QR codes differs.
    OtherExport,
    /// The same part number as one already read, with different content.
    DifferentPart { index: u32 },
}

/// What keeps an entry out of a Google Authenticator transfer QR.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GoogleLimit {
    Algorithm(crate::otp::Algorithm),
    Digits(u8),
    Period(u32),
    /// The entry alone does not fit one QR code (very long issuer or account name).
    TooLarge,
    /// The export already spans the most QR codes a transfer may have.
    TooManyEntries,
}

/// Why a JSON file could not be read as an Aegis export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonProblem {
    /// Not JSON at all, or cut short; where the parser stopped.
    Syntax { line: usize, column: usize },
    /// JSON, but not shaped like an Aegis export (no `db`, `db` null, …).
    NotAegis,
    /// An entry with a missing field or a field of the wrong type.
    BadEntry,
}

/// The stable public codes. Adding one is fine; renaming one breaks scripts and apps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorCode {
    EmptyInput,
    InputTooLarge,
    UnrecognizedInput,
    UnsupportedScheme,
    MalformedUri,
    UnsupportedOtpType,
    DuplicateParameter,
    MissingSecret,
    EmptySecret,
    InvalidSecretCharacter,
    SecretTooLong,
    KeyTooShort,
    InvalidDigits,
    InvalidPeriod,
    InvalidCounter,
    MissingCounter,
    UnsupportedAlgorithm,
    TimeOutOfRange,
    UnknownSystem,
    Internal,
    RandomUnavailable,
    Storage,
    VaultBusy,
    VaultNotFound,
    VaultExists,
    NotAVault,
    VaultDamaged,
    VaultTooNew,
    KdfParamsOutOfRange,
    EmptyPassphrase,
    WrongPassphrase,
    Locked,
    NoPassphraseSlot,
    PlatformKey,
    SlotNotFound,
    LastSlot,
    EntryNotFound,
    EntryDamaged,
    EntryInTrash,
    EntryNotInTrash,
    DuplicateKey,
    NotHotp,
    InvalidMigrationPayload,
    MigrationBatchMismatch,
    GoogleIncompatible,
    EncryptedAegisExport,
    InvalidAegisJson,
    UnsupportedAegisVersion,
    EmptyImage,
    UnsupportedImage,
    ImageTooLarge,
    InvalidFrame,
    NoQrCode,
    QrTextTooLong,
    NotABackup,
    BackupDamaged,
    BackupTooNew,
    BackupVerifyFailed,
}

/// The families of errors, which decide the CLI's exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// A bug or an environment failure.
    Internal,
    /// A URI, key, image or file that cannot be used.
    InvalidInput,
    /// A wrong passphrase, or the vault is locked.
    Auth,
    /// A vault or backup that is damaged or from a newer version.
    Damaged,
    /// An entry or system that does not exist.
    NotFound,
}

impl ErrorCode {
    pub const fn as_str(self) -> &'static str {
        match self {
            ErrorCode::EmptyInput => "empty_input",
            ErrorCode::InputTooLarge => "input_too_large",
            ErrorCode::UnrecognizedInput => "unrecognized_input",
            ErrorCode::UnsupportedScheme => "unsupported_scheme",
            ErrorCode::MalformedUri => "malformed_uri",
            ErrorCode::UnsupportedOtpType => "unsupported_otp_type",
            ErrorCode::DuplicateParameter => "duplicate_parameter",
            ErrorCode::MissingSecret => "missing_secret",
            ErrorCode::EmptySecret => "empty_secret",
            ErrorCode::InvalidSecretCharacter => "invalid_secret_character",
            ErrorCode::SecretTooLong => "secret_too_long",
            ErrorCode::KeyTooShort => "key_too_short",
            ErrorCode::InvalidDigits => "invalid_digits",
            ErrorCode::InvalidPeriod => "invalid_period",
            ErrorCode::InvalidCounter => "invalid_counter",
            ErrorCode::MissingCounter => "missing_counter",
            ErrorCode::UnsupportedAlgorithm => "unsupported_algorithm",
            ErrorCode::TimeOutOfRange => "time_out_of_range",
            ErrorCode::UnknownSystem => "unknown_system",
            ErrorCode::NotABackup => "not_a_backup",
            ErrorCode::BackupDamaged => "backup_damaged",
            ErrorCode::BackupTooNew => "backup_too_new",
            ErrorCode::BackupVerifyFailed => "backup_verify_failed",
            ErrorCode::Internal => "internal",
            ErrorCode::RandomUnavailable => "random_unavailable",
            ErrorCode::Storage => "storage_error",
            ErrorCode::VaultBusy => "vault_busy",
            ErrorCode::VaultNotFound => "vault_not_found",
            ErrorCode::VaultExists => "vault_exists",
            ErrorCode::NotAVault => "not_a_vault",
            ErrorCode::VaultDamaged => "vault_damaged",
            ErrorCode::VaultTooNew => "vault_too_new",
            ErrorCode::KdfParamsOutOfRange => "kdf_params_out_of_range",
            ErrorCode::EmptyPassphrase => "empty_passphrase",
            ErrorCode::WrongPassphrase => "wrong_passphrase",
            ErrorCode::Locked => "locked",
            ErrorCode::NoPassphraseSlot => "no_passphrase_slot",
            ErrorCode::PlatformKey => "platform_key_failed",
            ErrorCode::SlotNotFound => "slot_not_found",
            ErrorCode::LastSlot => "last_slot",
            ErrorCode::EntryNotFound => "entry_not_found",
            ErrorCode::EntryDamaged => "entry_damaged",
            ErrorCode::EntryInTrash => "entry_in_trash",
            ErrorCode::EntryNotInTrash => "entry_not_in_trash",
            ErrorCode::DuplicateKey => "duplicate_key",
            ErrorCode::NotHotp => "not_hotp",
            ErrorCode::InvalidMigrationPayload => "invalid_migration_payload",
            ErrorCode::MigrationBatchMismatch => "migration_batch_mismatch",
            ErrorCode::GoogleIncompatible => "google_incompatible",
            ErrorCode::EncryptedAegisExport => "encrypted_aegis_export",
            ErrorCode::InvalidAegisJson => "invalid_aegis_json",
            ErrorCode::UnsupportedAegisVersion => "unsupported_aegis_version",
            ErrorCode::EmptyImage => "empty_image",
            ErrorCode::UnsupportedImage => "unsupported_image",
            ErrorCode::ImageTooLarge => "image_too_large",
            ErrorCode::InvalidFrame => "invalid_frame",
            ErrorCode::NoQrCode => "no_qr_code",
            ErrorCode::QrTextTooLong => "qr_text_too_long",
        }
    }

    pub const fn kind(self) -> ErrorKind {
        match self {
            ErrorCode::EmptyInput
            | ErrorCode::InputTooLarge
            | ErrorCode::UnrecognizedInput
            | ErrorCode::UnsupportedScheme
            | ErrorCode::MalformedUri
            | ErrorCode::UnsupportedOtpType
            | ErrorCode::DuplicateParameter
            | ErrorCode::MissingSecret
            | ErrorCode::EmptySecret
            | ErrorCode::InvalidSecretCharacter
            | ErrorCode::SecretTooLong
            | ErrorCode::KeyTooShort
            | ErrorCode::InvalidDigits
            | ErrorCode::InvalidPeriod
            | ErrorCode::InvalidCounter
            | ErrorCode::MissingCounter
            | ErrorCode::UnsupportedAlgorithm
            | ErrorCode::TimeOutOfRange
            | ErrorCode::UnknownSystem => ErrorKind::InvalidInput,
            ErrorCode::Internal
            | ErrorCode::RandomUnavailable
            | ErrorCode::Storage
            | ErrorCode::VaultBusy => ErrorKind::Internal,
            ErrorCode::VaultNotFound | ErrorCode::SlotNotFound | ErrorCode::EntryNotFound => {
                ErrorKind::NotFound
            }
            ErrorCode::VaultExists
            | ErrorCode::EmptyPassphrase
            | ErrorCode::LastSlot
            | ErrorCode::EntryInTrash
            | ErrorCode::EntryNotInTrash
            | ErrorCode::DuplicateKey
            | ErrorCode::NotHotp => ErrorKind::InvalidInput,
            ErrorCode::NotAVault
            | ErrorCode::VaultDamaged
            | ErrorCode::VaultTooNew
            | ErrorCode::KdfParamsOutOfRange
            | ErrorCode::EntryDamaged => ErrorKind::Damaged,
            ErrorCode::WrongPassphrase
            | ErrorCode::Locked
            | ErrorCode::NoPassphraseSlot
            | ErrorCode::PlatformKey => ErrorKind::Auth,
            ErrorCode::InvalidMigrationPayload
            | ErrorCode::MigrationBatchMismatch
            | ErrorCode::GoogleIncompatible
            | ErrorCode::EncryptedAegisExport
            | ErrorCode::InvalidAegisJson
            | ErrorCode::UnsupportedAegisVersion => ErrorKind::InvalidInput,
            ErrorCode::EmptyImage
            | ErrorCode::UnsupportedImage
            | ErrorCode::ImageTooLarge
            | ErrorCode::InvalidFrame
            | ErrorCode::NoQrCode
            | ErrorCode::QrTextTooLong => ErrorKind::InvalidInput,
            ErrorCode::NotABackup => ErrorKind::InvalidInput,
            ErrorCode::BackupDamaged => ErrorKind::Damaged,
            ErrorCode::BackupTooNew => ErrorKind::Damaged,
            ErrorCode::BackupVerifyFailed => ErrorKind::Internal,
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Error {
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::EmptyInput => ErrorCode::EmptyInput,
            Error::InputTooLarge { .. } => ErrorCode::InputTooLarge,
            Error::UnrecognizedInput => ErrorCode::UnrecognizedInput,
            Error::UnsupportedScheme { .. } => ErrorCode::UnsupportedScheme,
            Error::MalformedUri { .. } => ErrorCode::MalformedUri,
            Error::UnsupportedOtpType { .. } => ErrorCode::UnsupportedOtpType,
            Error::DuplicateParameter { .. } => ErrorCode::DuplicateParameter,
            Error::MissingSecret => ErrorCode::MissingSecret,
            Error::EmptySecret => ErrorCode::EmptySecret,
            Error::InvalidSecretCharacter { .. } => ErrorCode::InvalidSecretCharacter,
            Error::SecretTooLong { .. } => ErrorCode::SecretTooLong,
            Error::KeyTooShort { .. } => ErrorCode::KeyTooShort,
            Error::InvalidDigits => ErrorCode::InvalidDigits,
            Error::InvalidPeriod => ErrorCode::InvalidPeriod,
            Error::InvalidCounter => ErrorCode::InvalidCounter,
            Error::MissingCounter => ErrorCode::MissingCounter,
            Error::UnsupportedAlgorithm { .. } => ErrorCode::UnsupportedAlgorithm,
            Error::TimeOutOfRange => ErrorCode::TimeOutOfRange,
            Error::UnknownSystem { .. } => ErrorCode::UnknownSystem,
            Error::NotABackup => ErrorCode::NotABackup,
            Error::BackupDamaged => ErrorCode::BackupDamaged,
            Error::BackupTooNew => ErrorCode::BackupTooNew,
            Error::BackupVerifyFailed => ErrorCode::BackupVerifyFailed,
            Error::Internal => ErrorCode::Internal,
            Error::RandomUnavailable => ErrorCode::RandomUnavailable,
            Error::Storage { .. } => ErrorCode::Storage,
            Error::VaultBusy => ErrorCode::VaultBusy,
            Error::VaultNotFound => ErrorCode::VaultNotFound,
            Error::VaultExists => ErrorCode::VaultExists,
            Error::NotAVault => ErrorCode::NotAVault,
            Error::VaultDamaged => ErrorCode::VaultDamaged,
            Error::VaultTooNew => ErrorCode::VaultTooNew,
            Error::KdfParamsOutOfRange => ErrorCode::KdfParamsOutOfRange,
            Error::EmptyPassphrase => ErrorCode::EmptyPassphrase,
            Error::WrongPassphrase => ErrorCode::WrongPassphrase,
            Error::Locked => ErrorCode::Locked,
            Error::NoPassphraseSlot => ErrorCode::NoPassphraseSlot,
            Error::PlatformKey { .. } => ErrorCode::PlatformKey,
            Error::SlotNotFound => ErrorCode::SlotNotFound,
            Error::LastSlot => ErrorCode::LastSlot,
            Error::EntryNotFound => ErrorCode::EntryNotFound,
            Error::EntryDamaged => ErrorCode::EntryDamaged,
            Error::EntryInTrash => ErrorCode::EntryInTrash,
            Error::EntryNotInTrash => ErrorCode::EntryNotInTrash,
            Error::DuplicateKey => ErrorCode::DuplicateKey,
            Error::NotHotp => ErrorCode::NotHotp,
            Error::InvalidMigrationPayload { .. } => ErrorCode::InvalidMigrationPayload,
            Error::MigrationBatchMismatch { .. } => ErrorCode::MigrationBatchMismatch,
            Error::GoogleIncompatible { .. } => ErrorCode::GoogleIncompatible,
            Error::EncryptedAegisExport => ErrorCode::EncryptedAegisExport,
            Error::InvalidAegisJson { .. } => ErrorCode::InvalidAegisJson,
            Error::UnsupportedAegisVersion { .. } => ErrorCode::UnsupportedAegisVersion,
            Error::EmptyImage => ErrorCode::EmptyImage,
            Error::UnsupportedImage => ErrorCode::UnsupportedImage,
            Error::ImageTooLarge { .. } => ErrorCode::ImageTooLarge,
            Error::InvalidFrame { .. } => ErrorCode::InvalidFrame,
            Error::NoQrCode => ErrorCode::NoQrCode,
            Error::QrTextTooLong { .. } => ErrorCode::QrTextTooLong,
        }
    }

    pub fn kind(&self) -> ErrorKind {
        self.code().kind()
    }

    /// A message for people, in their language. It names the problem and, where it
    /// helps, the fix; it never repeats a key, a login or a code.
    pub fn message(&self, lang: Lang) -> String {
        let l = lang;
        match self {
            Error::EmptyInput => l.pick("A entrada está vazia.", "The input is empty.").into(),
            Error::InputTooLarge { max_bytes } => l
                .pick(
                    format!("A entrada passa do limite de {max_bytes} bytes."),
                    format!("The input is over the {max_bytes}-byte limit."),
                ),
            Error::UnrecognizedInput => l
                .pick(
                    "O texto não é um URI otpauth nem uma chave: a chave tem só letras A–Z e algarismos 2–7.",
                    "The text is neither an otpauth URI nor a key: a key has only letters A–Z and digits 2–7.",
                )
                .into(),
            Error::UnsupportedScheme { scheme } => {
                l.pick(
                    format!("Esquema \"{scheme}:\" não suportado: esperado otpauth:// ou otpauth-migration://."),
                    format!("Unsupported scheme \"{scheme}:\": expected otpauth:// or otpauth-migration://."),
                )
            }
            Error::MalformedUri { reason } => match reason {
                UriProblem::MissingType => l
                    .pick(
                        "URI otpauth malformado: esperado otpauth://totp/RÓTULO?secret=….",
                        "Malformed otpauth URI: expected otpauth://totp/LABEL?secret=….",
                    )
                    .into(),
                UriProblem::BadEncoding => l
                    .pick(
                        "URI otpauth malformado: codificação percentual que não forma texto UTF-8.",
                        "Malformed otpauth URI: percent-encoding that is not UTF-8 text.",
                    )
                    .into(),
            },
            Error::UnsupportedOtpType { kind } => {
                l.pick(
                    format!("Tipo \"{kind}\" não suportado: só totp e hotp."),
                    format!("Unsupported type \"{kind}\": only totp and hotp."),
                )
            }
            Error::DuplicateParameter { name } => {
                l.pick(
                    format!("O parâmetro \"{name}\" aparece mais de uma vez."),
                    format!("The parameter \"{name}\" appears more than once."),
                )
            }
            Error::MissingSecret => l
                .pick("Falta o parâmetro secret (a chave).", "The secret parameter (the key) is missing.")
                .into(),
            Error::EmptySecret => l
                .pick("A chave está vazia.", "The key is empty.")
                .into(),
            Error::InvalidSecretCharacter { position } => l.pick(
                format!(
                    "Caractere inválido na chave, na posição {position}: a chave tem só letras A–Z e algarismos 2–7."
                ),
                format!(
                    "Invalid character in the key at position {position}: a key has only letters A–Z and digits 2–7."
                ),
            ),
            Error::SecretTooLong { max_bytes } => l.pick(
                format!("A chave passa de {max_bytes} bytes: não parece uma chave."),
                format!("The key is over {max_bytes} bytes: it does not look like a key."),
            ),
            Error::KeyTooShort { min_chars } => l.pick(
                format!("A chave está incompleta: tem menos de {min_chars} caracteres; o eproc mostra 32."),
                format!("The key is incomplete: it has fewer than {min_chars} characters; eproc shows 32."),
            ),
            Error::InvalidDigits => l
                .pick(
                    "Número de dígitos inválido: deve ser 6, 7 ou 8.",
                    "Invalid number of digits: it must be 6, 7 or 8.",
                )
                .into(),
            Error::InvalidPeriod => l
                .pick(
                    "Período inválido: deve ser de 1 a 3600 segundos.",
                    "Invalid period: it must be 1 to 3600 seconds.",
                )
                .into(),
            Error::InvalidCounter => l
                .pick(
                    "Contador inválido: deve ser um número inteiro de 0 a 9223372036854775806.",
                    "Invalid counter: it must be a whole number from 0 to 9223372036854775806.",
                )
                .into(),
            Error::MissingCounter => l
                .pick(
                    "Falta o parâmetro counter, obrigatório para hotp.",
                    "The counter parameter is missing; hotp requires it.",
                )
                .into(),
            Error::UnsupportedAlgorithm { name } => {
                l.pick(
                    format!("Algoritmo \"{name}\" não suportado: só SHA1, SHA256 e SHA512."),
                    format!("Unsupported algorithm \"{name}\": only SHA1, SHA256 and SHA512."),
                )
            }
            Error::TimeOutOfRange => l
                .pick(
                    "Horário fora do intervalo: deve ser um instante Unix de 0 a 9223372036854775807.",
                    "Time out of range: it must be a Unix time from 0 to 9223372036854775807.",
                )
                .into(),
            Error::Internal => l.pick("Erro interno. Nada foi alterado.".into(), "Internal error. Nothing was changed.".into()),
            Error::RandomUnavailable => l.pick("O gerador de números aleatórios do sistema falhou.".into(), "The system's random number generator failed.".into()),
            Error::VaultBusy => l.pick("O cofre está em uso por outro programa; tente de novo.".into(), "The vault is in use by another program; try again.".into()),
            Error::VaultNotFound => l.pick("Não há cofre neste caminho; crie um com `eproc-a2f init`.".into(), "There is no vault at this path; create one with `eproc-a2f init`.".into()),
            Error::VaultExists => l.pick("Já existe um arquivo neste caminho; ele não foi tocado.".into(), "A file already exists at this path; it was not touched.".into()),
            Error::NotAVault => l.pick("O arquivo não é um cofre do A2F eproc; ele não foi alterado.".into(), "The file is not an A2F eproc vault; it was not changed.".into()),
            Error::VaultDamaged => l.pick("O cofre está danificado; ele não foi alterado. Restaure um backup.".into(), "The vault is damaged; it was not changed. Restore a backup.".into()),
            Error::VaultTooNew => l.pick("O cofre é de uma versão mais nova do A2F eproc; atualize o aplicativo.".into(), "The vault is from a newer version of A2F eproc; update the app.".into()),
            Error::KdfParamsOutOfRange => l.pick("Parâmetros de derivação de chave fora dos limites aceitos.".into(), "Key derivation parameters outside the accepted limits.".into()),
            Error::EmptyPassphrase => l.pick("A senha está vazia.".into(), "The passphrase is empty.".into()),
            Error::WrongPassphrase => l.pick("Senha incorreta.".into(), "Wrong passphrase.".into()),
            Error::Locked => l.pick("O cofre está trancado: informe a senha.".into(), "The vault is locked: give the passphrase.".into()),
            Error::NoPassphraseSlot => l.pick("Este cofre não tem senha; abra-o pelo aparelho.".into(), "This vault has no passphrase; open it on its device.".into()),
            Error::SlotNotFound => l.pick("Não existe esse meio de desbloqueio no cofre.".into(), "The vault has no such unlock method.".into()),
            Error::LastSlot => l.pick("É o único meio de desbloquear o cofre: adicione outro antes de removê-lo.".into(), "It is the only way to unlock the vault: add another before removing it.".into()),
            Error::EntryNotFound => l.pick("Não existe chave com esse id.".into(), "There is no key with that id.".into()),
            Error::EntryDamaged => l.pick("Esta chave está danificada no cofre e não pode ser lida; as demais seguem funcionando.".into(), "This key is damaged in the vault and cannot be read; the others still work.".into()),
            Error::EntryInTrash => l.pick("A chave está na lixeira: restaure-a primeiro.".into(), "The key is in the trash: restore it first.".into()),
            Error::EntryNotInTrash => l.pick("Só se elimina de vez uma chave que está na lixeira.".into(), "Only a key in the trash can be purged.".into()),
            Error::DuplicateKey => l.pick("Essa chave já está no cofre.".into(), "That key is already in the vault.".into()),
            Error::NotHotp => l.pick("Só chaves HOTP têm contador.".into(), "Only HOTP keys have a counter.".into()),
            Error::Storage { reason } => match reason {
                StorageProblem::Full => l
                    .pick(
                        "Sem espaço em disco: nada foi gravado.",
                        "The disk is full: nothing was written.",
                    )
                    .into(),
                StorageProblem::ReadOnly => l
                    .pick(
                        "O cofre está num local somente leitura.",
                        "The vault is in a read-only place.",
                    )
                    .into(),
                StorageProblem::Io => l
                    .pick(
                        "Erro de leitura ou escrita no disco.",
                        "A disk read or write error.",
                    )
                    .into(),
                StorageProblem::Other => l
                    .pick(
                        "Erro do banco de dados do cofre.",
                        "A vault database error.",
                    )
                    .into(),
            },
            Error::PlatformKey { failure } => match failure {
                PlatformKeyFailure::Cancelled => l
                    .pick(
                        "Desbloqueio cancelado.",
                        "Unlock cancelled.",
                    )
                    .into(),
                PlatformKeyFailure::KeyInvalidated => l
                    .pick(
                        "A chave do aparelho foi invalidada (biometria alterada?): desbloqueie com a senha.",
                        "The device key was invalidated (biometrics changed?): unlock with the passphrase.",
                    )
                    .into(),
                PlatformKeyFailure::Unavailable => l
                    .pick(
                        "O cofre de chaves do aparelho não respondeu.",
                        "The device's keystore did not answer.",
                    )
                    .into(),
            },
            Error::NotABackup => l.pick("O arquivo não é um backup do A2F eproc.".into(), "The file is not an A2F eproc backup.".into()),
            Error::BackupDamaged => l.pick("O backup está danificado ou incompleto; nada foi alterado.".into(), "The backup is damaged or incomplete; nothing was changed.".into()),
            Error::BackupTooNew => l.pick("O backup é de uma versão mais nova do A2F eproc; atualize o aplicativo.".into(), "The backup is from a newer version of A2F eproc; update the app.".into()),
            Error::BackupVerifyFailed => l.pick("O backup gravado não confere com o cofre; não confie nele e tente de novo.".into(), "The written backup does not match the vault; do not rely on it and try again.".into()),
            Error::UnknownSystem { id } => {
                l.pick(
                    format!("Sistema \"{id}\" desconhecido: veja a lista com `eproc-a2f systems`."),
                    format!("Unknown system \"{id}\": see the list with `eproc-a2f systems`."),
                )
            }
            Error::InvalidMigrationPayload { problem } => match problem {
                MigrationProblem::MissingData => l
                    .pick(
                        "A transferência do Google Authenticator não tem dados: falta o parâmetro data do URI otpauth-migration.",
                        "The Google Authenticator transfer has no data: the otpauth-migration URI lacks its data parameter.",
                    )
                    .into(),
                MigrationProblem::Base64 => l
                    .pick(
                        "Os dados da transferência do Google Authenticator não são Base64 válido: o texto do QR pode ter sido cortado.",
                        "The Google Authenticator transfer data is not valid Base64: the QR text may have been cut short.",
                    )
                    .into(),
                MigrationProblem::Protobuf => l
                    .pick(
                        "Os dados da transferência do Google Authenticator estão danificados ou incompletos.",
                        "The Google Authenticator transfer data is damaged or incomplete.",
                    )
                    .into(),
                MigrationProblem::NoAccounts => l
                    .pick(
                        "A transferência do Google Authenticator não tem nenhuma conta.",
                        "The Google Authenticator transfer holds no accounts.",
                    )
                    .into(),
                MigrationProblem::BatchNumbering => l
                    .pick(
                        "A transferência do Google Authenticator tem uma numeração de QR inválida.",
                        "The Google Authenticator transfer has invalid QR numbering.",
                    )
                    .into(),
            },
            Error::MigrationBatchMismatch { conflict } => match conflict {
                BatchConflict::OtherExport => l
                    .pick(
                        "Este QR é de outra transferência do Google Authenticator: leia os QR de uma exportação de cada vez.",
                        "This QR belongs to another Google Authenticator transfer: read the QR codes of one export at a time.",
                    )
                    .into(),
                BatchConflict::DifferentPart { index } => {
                    let number = u64::from(*index) + 1;
                    l.pick(
                        format!("O QR {number} desta transferência já foi lido com outro conteúdo: leia os QR de uma exportação de cada vez."),
                        format!("QR {number} of this transfer was already read with different content: read the QR codes of one export at a time."),
                    )
                }
            },
            Error::GoogleIncompatible { limit } => match limit {
                GoogleLimit::Algorithm(algorithm) => l.pick(
                    format!("O Google Authenticator só aceita SHA1 e esta entrada usa {algorithm}: ela não vai no QR de transferência."),
                    format!("Google Authenticator takes SHA1 only and this entry uses {algorithm}: it is left out of the transfer QR."),
                ),
                GoogleLimit::Digits(digits) => l.pick(
                    format!("O Google Authenticator só aceita códigos de 6 dígitos e esta entrada usa {digits}: ela não vai no QR de transferência."),
                    format!("Google Authenticator takes 6-digit codes only and this entry uses {digits}: it is left out of the transfer QR."),
                ),
                GoogleLimit::Period(period) => l.pick(
                    format!("O Google Authenticator só aceita o período de 30 s e esta entrada usa {period} s: ela não vai no QR de transferência."),
                    format!("Google Authenticator takes a 30 s period only and this entry uses {period} s: it is left out of the transfer QR."),
                ),
                GoogleLimit::TooLarge => l
                    .pick(
                        "Esta entrada não cabe num QR de transferência: o emissor ou o nome da conta é longo demais.",
                        "This entry does not fit a transfer QR: its issuer or account name is too long.",
                    )
                    .into(),
                GoogleLimit::TooManyEntries => {
                    let max = crate::migration::MAX_BATCH_SIZE;
                    l.pick(
                        format!("Esta entrada passa do limite de {max} QR de uma transferência: exporte-a numa segunda vez."),
                        format!("This entry is past the limit of {max} QR codes in one transfer: export it in a second run."),
                    )
                }
            },
            Error::EncryptedAegisExport => l
                .pick(
                    "Exportação do Aegis criptografada: exporte-a do Aegis como JSON simples primeiro.",
                    "Encrypted Aegis export: export it as plain JSON from Aegis first.",
                )
                .into(),
            Error::InvalidAegisJson { problem } => match problem {
                JsonProblem::Syntax { line, column } => l.pick(
                    format!("O arquivo não é um JSON válido (linha {line}, coluna {column}): pode estar incompleto."),
                    format!("The file is not valid JSON (line {line}, column {column}): it may be incomplete."),
                ),
                JsonProblem::NotAegis => l
                    .pick(
                        "O JSON não tem a forma de uma exportação do Aegis.",
                        "The JSON is not shaped like an Aegis export.",
                    )
                    .into(),
                JsonProblem::BadEntry => l
                    .pick(
                        "Entrada do Aegis com um campo ausente ou de tipo errado.",
                        "Aegis entry with a missing field or a field of the wrong type.",
                    )
                    .into(),
            },
            Error::UnsupportedAegisVersion { version } => l.pick(
                format!("Versão {version} do formato do Aegis não suportada: este app lê a versão 1 do arquivo e as versões 1 a 3 do conteúdo."),
                format!("Unsupported Aegis format version {version}: this app reads file version 1 and content versions 1 to 3."),
            ),
            Error::EmptyImage => l
                .pick("A imagem está vazia.", "The image is empty.")
                .into(),
            Error::UnsupportedImage => l
                .pick(
                    "A imagem não pôde ser lida: só PNG e JPEG são aceitos.",
                    "The image could not be read: only PNG and JPEG are accepted.",
                )
                .into(),
            Error::ImageTooLarge { limit } => match limit {
                ImageLimit::Bytes { max } => {
                    let mb = max / (1024 * 1024);
                    l.pick(
                        format!("A imagem passa do limite de {mb} MB."),
                        format!("The image is over the {mb} MB limit."),
                    )
                }
                ImageLimit::Pixels { max } => {
                    let mp = max / 1_000_000;
                    l.pick(
                        format!("A imagem passa do limite de {mp} megapixels: use uma captura de tela ou uma foto menor."),
                        format!("The image is over the {mp}-megapixel limit: use a screenshot or a smaller photo."),
                    )
                }
            },
            Error::InvalidFrame { reason } => match reason {
                FrameProblem::ZeroSize => l
                    .pick(
                        "Quadro de câmera inválido: largura ou altura zero.",
                        "Invalid camera frame: zero width or height.",
                    )
                    .into(),
                FrameProblem::StrideTooSmall => l
                    .pick(
                        "Quadro de câmera inválido: o passo de linha é menor que a largura.",
                        "Invalid camera frame: the row stride is smaller than the width.",
                    )
                    .into(),
                FrameProblem::BufferTooShort => l
                    .pick(
                        "Quadro de câmera inválido: faltam bytes para a largura, a altura e o passo de linha informados.",
                        "Invalid camera frame: too few bytes for the given width, height and row stride.",
                    )
                    .into(),
            },
            Error::NoQrCode => l
                .pick(
                    "Nenhum código QR foi encontrado na imagem.",
                    "No QR code was found in the image.",
                )
                .into(),
            Error::QrTextTooLong { max_bytes } => l.pick(
                format!("O texto passa de {max_bytes} bytes e não cabe num código QR."),
                format!("The text is over {max_bytes} bytes and does not fit in a QR code."),
            ),
        }
    }
}

/// A value the user gave, kept only as a short printable excerpt for quoting in a
/// message: only names (schemes, types, parameters, algorithms, ids) are quoted, all
/// of them under 12 characters, and the cut keeps even a key pasted in their place
/// from being repeated whole.
#[derive(Clone, PartialEq, Eq)]
pub struct Quoted(String);

impl Quoted {
    const MAX: usize = 12;

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<&str> for Quoted {
    fn from(value: &str) -> Self {
        let mut out: String = value
            .chars()
            .filter(|c| !c.is_control())
            .take(Self::MAX)
            .collect();
        if value.chars().count() > Self::MAX {
            out.push('…');
        }
        Quoted(out)
    }
}

impl From<String> for Quoted {
    fn from(value: String) -> Self {
        Quoted::from(value.as_str())
    }
}

impl fmt::Display for Quoted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Quoted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_snake_case_and_unique() {
        let all = [
            Error::EmptyInput,
            Error::InputTooLarge { max_bytes: 1 },
            Error::UnrecognizedInput,
            Error::UnsupportedScheme {
                scheme: "https".into(),
            },
            Error::MalformedUri {
                reason: UriProblem::MissingType,
            },
            Error::UnsupportedOtpType {
                kind: "steam".into(),
            },
            Error::DuplicateParameter {
                name: "secret".into(),
            },
            Error::MissingSecret,
            Error::EmptySecret,
            Error::InvalidSecretCharacter { position: 3 },
            Error::SecretTooLong { max_bytes: 256 },
            Error::KeyTooShort { min_chars: 16 },
            Error::InvalidDigits,
            Error::InvalidPeriod,
            Error::InvalidCounter,
            Error::MissingCounter,
            Error::UnsupportedAlgorithm { name: "MD5".into() },
            Error::TimeOutOfRange,
            Error::UnknownSystem { id: "x".into() },
            Error::Internal,
            Error::RandomUnavailable,
            Error::Storage {
                reason: StorageProblem::Full,
            },
            Error::VaultBusy,
            Error::VaultNotFound,
            Error::VaultExists,
            Error::NotAVault,
            Error::VaultDamaged,
            Error::VaultTooNew,
            Error::KdfParamsOutOfRange,
            Error::EmptyPassphrase,
            Error::WrongPassphrase,
            Error::Locked,
            Error::NoPassphraseSlot,
            Error::PlatformKey {
                failure: PlatformKeyFailure::Cancelled,
            },
            Error::SlotNotFound,
            Error::LastSlot,
            Error::EntryNotFound,
            Error::EntryDamaged,
            Error::EntryInTrash,
            Error::EntryNotInTrash,
            Error::DuplicateKey,
            Error::NotHotp,
            Error::EmptyImage,
            Error::UnsupportedImage,
            Error::ImageTooLarge {
                limit: ImageLimit::Bytes { max: 50 << 20 },
            },
            Error::InvalidFrame {
                reason: FrameProblem::BufferTooShort,
            },
            Error::NoQrCode,
            Error::QrTextTooLong { max_bytes: 2331 },
        ];
        let mut seen = std::collections::HashSet::new();
        for e in &all {
            let code = e.code().as_str();
            assert!(
                code.chars().all(|c| c.is_ascii_lowercase() || c == '_'),
                "{code}"
            );
            assert!(seen.insert(code), "duplicate {code}");
            for lang in [Lang::Pt, Lang::En] {
                assert!(!e.message(lang).is_empty());
            }
            assert_ne!(e.message(Lang::Pt), e.message(Lang::En), "{code}");
        }
    }

    #[test]
    fn quoted_values_are_bounded() {
        let e = Error::UnsupportedScheme {
            scheme: "x".repeat(500).into(),
        };
        assert!(e.message(Lang::En).len() < 200);
    }

    #[test]
    fn format_errors_have_codes_kinds_and_both_languages() {
        use crate::otp::Algorithm;
        let all = [
            Error::InvalidMigrationPayload {
                problem: MigrationProblem::MissingData,
            },
            Error::InvalidMigrationPayload {
                problem: MigrationProblem::Base64,
            },
            Error::InvalidMigrationPayload {
                problem: MigrationProblem::Protobuf,
            },
            Error::InvalidMigrationPayload {
                problem: MigrationProblem::NoAccounts,
            },
            Error::InvalidMigrationPayload {
                problem: MigrationProblem::BatchNumbering,
            },
            Error::MigrationBatchMismatch {
                conflict: BatchConflict::OtherExport,
            },
            Error::MigrationBatchMismatch {
                conflict: BatchConflict::DifferentPart { index: 1 },
            },
            Error::GoogleIncompatible {
                limit: GoogleLimit::Algorithm(Algorithm::Sha256),
            },
            Error::GoogleIncompatible {
                limit: GoogleLimit::Digits(8),
            },
            Error::GoogleIncompatible {
                limit: GoogleLimit::Period(60),
            },
            Error::GoogleIncompatible {
                limit: GoogleLimit::TooLarge,
            },
            Error::GoogleIncompatible {
                limit: GoogleLimit::TooManyEntries,
            },
            Error::EncryptedAegisExport,
            Error::InvalidAegisJson {
                problem: JsonProblem::Syntax { line: 3, column: 9 },
            },
            Error::InvalidAegisJson {
                problem: JsonProblem::NotAegis,
            },
            Error::InvalidAegisJson {
                problem: JsonProblem::BadEntry,
            },
            Error::UnsupportedAegisVersion { version: 4 },
        ];
        let mut messages = std::collections::HashSet::new();
        for e in &all {
            let code = e.code().as_str();
            assert!(
                code.chars().all(|c| c.is_ascii_lowercase() || c == '_'),
                "{code}"
            );
            assert_eq!(e.kind(), ErrorKind::InvalidInput, "{code}");
            for lang in [Lang::Pt, Lang::En] {
                assert!(messages.insert(e.message(lang)), "{e:?} repeats a message");
            }
        }
        let codes: std::collections::HashSet<_> = all.iter().map(Error::code).collect();
        assert_eq!(codes.len(), 6);
        assert!(
            Error::GoogleIncompatible {
                limit: GoogleLimit::Digits(8)
            }
            .message(Lang::Pt)
            .contains("usa 8")
        );
        assert!(
            Error::MigrationBatchMismatch {
                conflict: BatchConflict::DifferentPart { index: 1 }
            }
            .message(Lang::En)
            .starts_with("QR 2 ")
        );
    }
}
