//! The command line, as `shared/CLI.md` fixes it. English help lives here; the pt-BR
//! help is applied over it by `help::localize`.

use std::path::PathBuf;

use clap::{ArgAction, Args, Parser, Subcommand};
use eproc_a2f_core::vault::{EntryId, KdfParams};

#[derive(Debug, Parser)]
#[command(
    name = "eproc-a2f",
    version,
    about = "A2F eproc: two-factor codes for the eproc court systems",
    propagate_version = true,
    // Declared below instead, so that their help can be translated.
    disable_help_flag = true,
    disable_version_flag = true
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
pub struct Global {
    /// The vault file [default: eproc-a2f/vault.db in the platform's data directory]
    #[arg(long, global = true, env = "EPROC_A2F_VAULT", value_name = "PATH")]
    pub vault: Option<PathBuf>,
    /// Print one JSON document on stdout; errors as JSON on stderr
    #[arg(long, global = true)]
    pub json: bool,
    /// Read the vault passphrase from this file (first line)
    #[arg(long, global = true, value_name = "FILE")]
    pub passphrase_file: Option<PathBuf>,
    /// Read the backup passphrase from this file (first line)
    #[arg(long, global = true, value_name = "FILE")]
    pub backup_passphrase_file: Option<PathBuf>,
    /// Print help
    #[arg(short, long, global = true, action = ArgAction::Help)]
    pub help: Option<bool>,
    /// Print version
    #[arg(short = 'V', long, global = true, action = ArgAction::Version)]
    pub version: Option<bool>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// The eproc systems catalog
    Systems,
    /// Show what an otpauth URI, a typed key or a file holds, without storing anything
    Decode(DecodeArgs),
    /// Create a vault, protected by the passphrase
    Init(InitArgs),
    /// Store one key and link it to systems
    Add(AddArgs),
    /// Stored entries, without keys
    List(ListArgs),
    /// Current code, seconds left and next code of every entry
    Codes(CodesArgs),
    /// Each catalog system: registered or not, mandatory or not, exported or not
    Status,
    /// Rename an entry
    Rename(RenameArgs),
    /// Set or clear the eproc login of an entry
    SetLogin(SetLoginArgs),
    /// Link an entry to more systems
    Link(LinkArgs),
    /// Unlink an entry from systems
    Unlink(LinkArgs),
    /// Replace an entry's key after re-enrolling at eproc
    ReplaceKey(ReplaceKeyArgs),
    /// Move an entry to the trash
    Delete(IdArgs),
    /// Bring an entry back from the trash
    Undelete(IdArgs),
    /// Erase an entry in the trash for good
    Purge(IdArgs),
    /// Advance an HOTP entry's counter and show its new code
    HotpNext(IdArgs),
    /// Change the vault passphrase
    Passphrase(PassphraseArgs),
    /// Check the vault file and every entry, without changing anything
    Check,
    /// Store everything in URI lists, Google transfers, QR images and Aegis exports
    Import(ImportArgs),
    /// The text of every QR code in image files (PNG, JPEG)
    Qr(QrArgs),
    /// The key of an entry, for an automation console
    ExportKey(ExportKeyArgs),
    /// Every key in plaintext, in another app's format
    Export(ExportArgs),
    /// An encrypted backup of every entry
    Backup(BackupArgs),
    /// Restore an encrypted backup into the vault (created if missing)
    Restore(RestoreArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum KeyFormat {
    /// The key alone, as eproc shows it
    Raw,
    /// The key in groups of four
    Grouped,
    /// The otpauth URI
    Uri,
    /// A QR code of the URI: PNG or SVG with --out, drawn in the terminal without
    Qr,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PlainFormat {
    /// One otpauth URI per line
    Uris,
    /// Aegis's plain JSON export
    Aegis,
    /// Google Authenticator transfer: URIs, or QR images when --out ends in .png
    Google,
}

#[derive(Debug, Args)]
pub struct ExportKeyArgs {
    /// The entry id, as `list` shows it
    #[arg(value_name = "ID", value_parser = entry_id)]
    pub id: EntryId,
    /// The form of the key
    #[arg(long, value_enum, default_value_t = KeyFormat::Raw)]
    pub format: KeyFormat,
    /// Write to this file instead of standard output (readable by you only)
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The format of the file
    #[arg(long, value_enum)]
    pub format: PlainFormat,
    /// The file to write (readable by you only); it holds every key in plaintext
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
}

#[derive(Debug, Args)]
pub struct BackupArgs {
    /// The backup file to write
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    #[command(flatten)]
    pub kdf: KdfArgs,
}

#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// The backup file
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Make the vault's entries the backup's: keys the backup lacks go to the trash
    #[arg(long)]
    pub replace: bool,
}

/// An entry id as `list` shows it.
fn entry_id(text: &str) -> Result<EntryId, String> {
    text.trim()
        .parse::<i64>()
        .ok()
        .and_then(EntryId::new)
        .ok_or_else(|| "a positive whole number".to_owned())
}

/// Argon2id costs for a new passphrase slot; the defaults suit a laptop and a phone.
#[derive(Debug, Args)]
pub struct KdfArgs {
    /// Argon2id memory in MiB (19 to 1024)
    #[arg(long, value_name = "MIB", default_value_t = KdfParams::DEFAULT.memory_kib / 1024)]
    pub kdf_memory_mib: u32,
    /// Argon2id passes (2 to 20)
    #[arg(long, value_name = "N", default_value_t = KdfParams::DEFAULT.iterations)]
    pub kdf_iterations: u32,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    #[command(flatten)]
    pub kdf: KdfArgs,
}

#[derive(Debug, Args)]
pub struct AddArgs {
    /// An otpauth URI, a key as eproc shows it, or a file; `-` reads standard input
    #[arg(value_name = "INPUT")]
    pub input: String,
    /// A system the key serves (see `systems`); repeat for several [default: suggested by the issuer]
    #[arg(long = "system", value_name = "ID")]
    pub systems: Vec<String>,
    /// The eproc login (CPF or OAB number) this key belongs to
    #[arg(long)]
    pub login: Option<String>,
    /// The name shown for the entry [default: the issuer or the system]
    #[arg(long)]
    pub label: Option<String>,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// List the entries in the trash instead
    #[arg(long)]
    pub trash: bool,
}

#[derive(Debug, Args)]
pub struct CodesArgs {
    /// Compute codes at this Unix time instead of now
    #[arg(
        long,
        value_name = "UNIX",
        allow_negative_numbers = true,
        conflicts_with = "watch"
    )]
    pub at: Option<i64>,
    /// Only the entries serving this system
    #[arg(long, value_name = "ID")]
    pub system: Option<String>,
    /// Keep refreshing the codes in place until interrupted
    #[arg(long)]
    pub watch: bool,
}

#[derive(Debug, Args)]
pub struct IdArgs {
    /// The entry id, as `list` shows it
    #[arg(value_name = "ID", value_parser = entry_id)]
    pub id: EntryId,
}

#[derive(Debug, Args)]
pub struct RenameArgs {
    /// The entry id, as `list` shows it
    #[arg(value_name = "ID", value_parser = entry_id)]
    pub id: EntryId,
    /// The new name
    #[arg(value_name = "LABEL")]
    pub label: String,
}

#[derive(Debug, Args)]
pub struct SetLoginArgs {
    /// The entry id, as `list` shows it
    #[arg(value_name = "ID", value_parser = entry_id)]
    pub id: EntryId,
    /// The eproc login; omit it to clear the login
    #[arg(value_name = "LOGIN")]
    pub login: Option<String>,
}

#[derive(Debug, Args)]
pub struct LinkArgs {
    /// The entry id, as `list` shows it
    #[arg(value_name = "ID", value_parser = entry_id)]
    pub id: EntryId,
    /// A system id (see `systems`); repeat for several
    #[arg(long = "system", value_name = "SYSTEM", required = true)]
    pub systems: Vec<String>,
}

#[derive(Debug, Args)]
pub struct ReplaceKeyArgs {
    /// The entry id, as `list` shows it
    #[arg(value_name = "ID", value_parser = entry_id)]
    pub id: EntryId,
    /// The new key: an otpauth URI, a key as eproc shows it, or a file
    #[arg(value_name = "INPUT")]
    pub input: String,
}

#[derive(Debug, Args)]
pub struct PassphraseArgs {
    /// Read the new passphrase from this file (first line) [env: EPROC_A2F_NEW_PASSPHRASE]
    #[arg(long, value_name = "FILE")]
    pub new_passphrase_file: Option<PathBuf>,
    #[command(flatten)]
    pub kdf: KdfArgs,
}

#[derive(Debug, Args)]
pub struct QrArgs {
    /// PNG or JPEG files; `-` reads standard input
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<String>,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Files or texts: otpauth URI lists, Google transfer URIs or QR images, Aegis JSON exports; `-` reads standard input
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<String>,
    /// Show the report without storing anything
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
pub struct DecodeArgs {
    /// otpauth URIs, keys as eproc shows them, or files; `-` reads standard input
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<String>,
    /// Also print the key itself (base32)
    #[arg(long)]
    pub show_secret: bool,
    /// Compute codes at this Unix time instead of now
    #[arg(long, value_name = "UNIX", allow_negative_numbers = true)]
    pub at: Option<i64>,
}
