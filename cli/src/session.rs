//! Finding and unlocking the vault as the contract says: `--vault` or
//! `EPROC_A2F_VAULT`, else the platform's data directory; the passphrase from
//! `--passphrase-file`, `EPROC_A2F_PASSPHRASE`, or a prompt on a terminal.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use eproc_a2f_core::Error;
use eproc_a2f_core::vault::{KdfParams, Passphrase, Vault};
use zeroize::Zeroizing;

use crate::args::{Global, KdfArgs};
use crate::output::{CliError, Out};

pub const PASSPHRASE_ENV: &str = "EPROC_A2F_PASSPHRASE";
pub const NEW_PASSPHRASE_ENV: &str = "EPROC_A2F_NEW_PASSPHRASE";

pub fn vault_path(global: &Global) -> Result<PathBuf, CliError> {
    if let Some(path) = &global.vault {
        return Ok(path.clone());
    }
    dirs::data_dir()
        .map(|dir| dir.join("eproc-a2f").join("vault.db"))
        .ok_or(CliError::NoDataDir)
}

/// Where a passphrase comes from, in the contract's order of precedence.
pub struct Source<'a> {
    pub file: Option<&'a Path>,
    pub env: &'static str,
}

impl Source<'_> {
    pub fn vault(global: &Global) -> Source<'_> {
        Source {
            file: global.passphrase_file.as_deref(),
            env: PASSPHRASE_ENV,
        }
    }
}

/// Reads a passphrase: the file's first line, the variable, or a prompt when stdin is
/// a terminal. With none of them the vault stays locked.
pub fn passphrase(out: &Out, source: &Source<'_>, prompt: Prompt) -> Result<Passphrase, CliError> {
    let text = if let Some(file) = source.file {
        first_line(file)?
    } else if let Some(value) = std::env::var_os(source.env) {
        Zeroizing::new(value.into_string().map_err(|_| Error::EmptyPassphrase)?)
    } else if std::io::stdin().is_terminal() {
        ask(out, prompt)?
    } else {
        return Err(Error::Locked.into());
    };
    Ok(Passphrase::new(text)?)
}

#[derive(Clone, Copy)]
pub enum Prompt {
    Unlock,
    /// A new passphrase: asked twice.
    New,
}

fn ask(out: &Out, prompt: Prompt) -> Result<Zeroizing<String>, CliError> {
    let read = |label: &str| {
        rpassword::prompt_password(label)
            .map(Zeroizing::new)
            .map_err(|_| CliError::from(Error::Locked))
    };
    match prompt {
        Prompt::Unlock => read(out.t("Senha do cofre: ", "Vault passphrase: ")),
        Prompt::New => {
            let first = read(out.t("Nova senha: ", "New passphrase: "))?;
            let again = read(out.t("Repita a senha: ", "Repeat the passphrase: "))?;
            if *first != *again {
                return Err(CliError::PassphraseMismatch);
            }
            Ok(first)
        }
    }
}

fn first_line(path: &Path) -> Result<Zeroizing<String>, CliError> {
    let content =
        Zeroizing::new(std::fs::read_to_string(path).map_err(|e| CliError::read_file(path, &e))?);
    let line = content.lines().next().unwrap_or_default();
    Ok(Zeroizing::new(line.to_owned()))
}

pub fn kdf(args: &KdfArgs) -> Result<KdfParams, CliError> {
    let memory_kib = args
        .kdf_memory_mib
        .checked_mul(1024)
        .ok_or(CliError::KdfFlags)?;
    KdfParams::checked(
        memory_kib,
        args.kdf_iterations,
        KdfParams::DEFAULT.parallelism,
    )
    .map_err(|_| CliError::KdfFlags)
}

/// Opens the vault and unlocks it with the passphrase.
pub fn unlocked(global: &Global, out: &Out) -> Result<Vault, CliError> {
    let path = vault_path(global)?;
    let mut vault = Vault::open(&path)?;
    let pass = passphrase(out, &Source::vault(global), Prompt::Unlock)?;
    vault.unlock_with_passphrase(&pass)?;
    Ok(vault)
}

/// Creates the vault's folder if needed, readable by its owner only.
pub fn create_parent(path: &Path) -> Result<(), CliError> {
    let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) else {
        return Ok(());
    };
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir).map_err(|e| CliError::CreateDir {
        path: dir.display().to_string(),
        reason: e.kind(),
    })
}
