//! Keys out and back in: the console key, plaintext exports, encrypted backups.

use std::path::{Path, PathBuf};

use eproc_a2f_core::export::{self, Format};
use eproc_a2f_core::qr;
use eproc_a2f_core::vault::{FirstSlot, KdfParams, RestoreMode, Vault};
use eproc_a2f_core::{backup, files};
use serde::Serialize;
use zeroize::Zeroizing;

use crate::args::{
    BackupArgs, ExportArgs, ExportKeyArgs, Global, KeyFormat, PlainFormat, RestoreArgs,
};
use crate::commands::report::Report;
use crate::output::{CliError, ErrorJson, Exit, Out};
use crate::session::{self, Prompt, Source};

pub const BACKUP_PASSPHRASE_ENV: &str = "EPROC_A2F_BACKUP_PASSPHRASE";

fn write(path: &Path, bytes: &[u8]) -> Result<(), CliError> {
    files::write_atomically(path, bytes).map_err(CliError::from)
}

pub fn export_key(global: &Global, out: &Out, args: &ExportKeyArgs) -> Result<Exit, CliError> {
    let mut vault = session::unlocked(global, out)?;
    let key = export::console_key(&mut vault, args.id)?;
    let text: Zeroizing<String> = match args.format {
        KeyFormat::Raw => key.raw.clone(),
        KeyFormat::Grouped => key.grouped.clone(),
        KeyFormat::Uri => key.uri.clone(),
        KeyFormat::Qr => match &args.out {
            Some(path) if has_extension(path, "svg") => qr::render_svg(&key.uri)?,
            Some(_) => Zeroizing::new(String::new()),
            None => qr::render_terminal(&key.uri)?,
        },
    };
    if let Some(path) = &args.out {
        if args.format == KeyFormat::Qr && !has_extension(path, "svg") {
            write(path, &qr::render_png(&key.uri)?)?;
        } else {
            let mut line = Zeroizing::new(String::with_capacity(text.len() + 1));
            line.push_str(&text);
            line.push('\n');
            write(path, line.as_bytes())?;
        }
    }
    if out.json {
        #[derive(Serialize)]
        struct KeyJson<'a> {
            id: i64,
            raw: &'a str,
            grouped: &'a str,
            uri: &'a str,
            out: Option<String>,
        }
        out.secret_json(&KeyJson {
            id: args.id.get(),
            raw: &key.raw,
            grouped: &key.grouped,
            uri: &key.uri,
            out: args.out.as_ref().map(|p| p.display().to_string()),
        })?;
    } else if args.out.is_none() {
        out.secret_line(&text)?;
    } else {
        out.line(out.t("Chave gravada.", "Key written."))?;
    }
    Ok(Exit::Success)
}

fn has_extension(path: &Path, ext: &str) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case(ext))
}

/// `base.png` → `base-1.png`, `base-2.png`…: one image per transfer QR code.
fn numbered(path: &Path, n: usize) -> PathBuf {
    let stem = path.file_stem().unwrap_or_default().to_string_lossy();
    let ext = path.extension().unwrap_or_default().to_string_lossy();
    path.with_file_name(format!("{stem}-{n}.{ext}"))
}

#[derive(Serialize)]
struct Skipped {
    id: i64,
    #[serde(flatten)]
    error: ErrorJson,
}

pub fn export(global: &Global, out: &Out, args: &ExportArgs) -> Result<Exit, CliError> {
    let vault = session::unlocked(global, out)?;
    let format = match args.format {
        PlainFormat::Uris => Format::Uris,
        PlainFormat::Aegis => Format::Aegis,
        PlainFormat::Google => Format::Google,
    };
    let plain = export::plaintext(&vault, format)?;
    let mut files = Vec::new();
    if format == Format::Google && has_extension(&args.out, "png") {
        for (i, uri) in plain.parts.iter().enumerate() {
            let path = numbered(&args.out, i + 1);
            write(&path, &qr::render_png(uri)?)?;
            files.push(path);
        }
    } else {
        let len = plain.parts.iter().map(|p| p.len() + 1).sum();
        let mut text = Zeroizing::new(String::with_capacity(len));
        for part in &plain.parts {
            text.push_str(part);
            if !part.ends_with('\n') {
                text.push('\n');
            }
        }
        write(&args.out, text.as_bytes())?;
        files.push(args.out.clone());
    }
    let skipped: Vec<Skipped> = plain
        .skipped
        .iter()
        .map(|(id, e)| Skipped {
            id: id.get(),
            error: ErrorJson::of_core(e, out.lang),
        })
        .collect();
    let damaged: Vec<i64> = plain.damaged.iter().map(|id| id.get()).collect();
    if out.json {
        #[derive(Serialize)]
        struct ExportJson<'a> {
            files: Vec<String>,
            exported: usize,
            skipped: &'a [Skipped],
            damaged: &'a [i64],
        }
        out.json(&ExportJson {
            files: files.iter().map(|f| f.display().to_string()).collect(),
            exported: plain.exported,
            skipped: &skipped,
            damaged: &damaged,
        })?;
    } else {
        for f in &files {
            out.line(format!("{}: {}", out.t("Gravado", "Written"), f.display()))?;
        }
        out.line(format!(
            "{} {}. {}",
            plain.exported,
            out.t("chaves exportadas", "keys exported"),
            out.t(
                "O arquivo contém as chaves em texto claro: apague-o depois de importar.",
                "The file holds the keys in plaintext: delete it once imported.",
            )
        ))?;
        for s in &skipped {
            out.error(s.error.code, &format!("id {}: {}", s.id, s.error.message));
        }
        for id in &damaged {
            out.error(
                "entry_damaged",
                &format!(
                    "id {id}: {}",
                    eproc_a2f_core::Error::EntryDamaged.message(out.lang)
                ),
            );
        }
    }
    Ok(if damaged.is_empty() {
        Exit::Success
    } else {
        Exit::Damaged
    })
}

fn backup_source(global: &Global) -> Source<'_> {
    Source {
        file: global.backup_passphrase_file.as_deref(),
        env: BACKUP_PASSPHRASE_ENV,
    }
}

pub fn backup(global: &Global, out: &Out, args: &BackupArgs) -> Result<Exit, CliError> {
    let kdf = session::kdf(&args.kdf)?;
    let vault = session::unlocked(global, out)?;
    let pass = session::passphrase(out, &backup_source(global), Prompt::New)?;
    let written = backup::write_file(&vault, &args.out, &pass, kdf)?;
    let damaged: Vec<i64> = written.damaged.iter().map(|id| id.get()).collect();
    if out.json {
        #[derive(Serialize)]
        struct BackupJson<'a> {
            file: String,
            entries: usize,
            verified: bool,
            damaged: &'a [i64],
        }
        out.json(&BackupJson {
            file: args.out.display().to_string(),
            entries: written.entries,
            verified: true,
            damaged: &damaged,
        })?;
    } else {
        out.line(format!(
            "{} {} ({} {}), {}",
            out.t("Backup gravado em", "Backup written to"),
            args.out.display(),
            written.entries,
            out.t("entradas", "entries"),
            out.t("conferido depois de gravar.", "checked after writing.")
        ))?;
    }
    Ok(if damaged.is_empty() {
        Exit::Success
    } else {
        Exit::Damaged
    })
}

pub fn restore(global: &Global, out: &Out, args: &RestoreArgs) -> Result<Exit, CliError> {
    let bytes =
        Zeroizing::new(std::fs::read(&args.file).map_err(|e| CliError::read_file(&args.file, &e))?);
    let backup_pass = session::passphrase(out, &backup_source(global), Prompt::Unlock)?;
    // Opened first: a wrong passphrase or a damaged file changes nothing, not even by
    // creating a vault.
    let contents = backup::open(&bytes, &backup_pass)?;
    let path = session::vault_path(global)?;
    let mut vault = if path.exists() {
        session::unlocked(global, out)?
    } else {
        session::create_parent(&path)?;
        let pass = session::passphrase(out, &Source::vault(global), Prompt::New)?;
        Vault::create(&path, FirstSlot::Passphrase(&pass, KdfParams::DEFAULT))?
    };
    let mode = if args.replace {
        RestoreMode::Replace
    } else {
        RestoreMode::Merge
    };
    let outcomes = vault.restore_entries(contents.entries, mode)?;
    let mut report = Report::default();
    let source = args.file.display().to_string();
    for outcome in outcomes {
        report.record(&source, outcome);
    }
    report.finish(out)
}
