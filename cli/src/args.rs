//! The command line, as `shared/CLI.md` fixes it. English help lives here; the pt-BR
//! help is applied over it by `help::localize`.

use std::path::PathBuf;

use clap::{ArgAction, Args, Parser, Subcommand};

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
