//! The vault's entries: create the vault, add, list, edit, link, trash.

use eproc_a2f_core::catalog::{self, SystemId};
use eproc_a2f_core::otp::OtpKind;
use eproc_a2f_core::vault::{EntryInfo, FirstSlot, NewEntry, Shelf, Vault};
use serde::Serialize;

use crate::args::{
    AddArgs, Global, IdArgs, InitArgs, LinkArgs, ListArgs, PassphraseArgs, RenameArgs,
    ReplaceKeyArgs, SetLoginArgs,
};
use crate::commands::report::Report;
use crate::inputs;
use crate::output::{CliError, ErrorJson, Exit, Out};
use crate::session::{self, NEW_PASSPHRASE_ENV, Prompt, Source};

pub fn init(global: &Global, out: &Out, args: &InitArgs) -> Result<Exit, CliError> {
    let path = session::vault_path(global)?;
    let kdf = session::kdf(&args.kdf)?;
    session::create_parent(&path)?;
    if path.exists() {
        return Err(eproc_a2f_core::Error::VaultExists.into());
    }
    let pass = session::passphrase(out, &Source::vault(global), Prompt::New)?;
    Vault::create(&path, FirstSlot::Passphrase(&pass, kdf))?;
    if out.json {
        #[derive(Serialize)]
        struct Created<'a> {
            vault: &'a str,
        }
        out.json(&Created {
            vault: &path.to_string_lossy(),
        })?;
    } else {
        out.line(format!(
            "{} {}",
            out.t("Cofre criado em", "Vault created at"),
            path.display()
        ))?;
        if pass.chars() < 8 {
            out.line(out.t(
                "Aviso: senha curta; prefira uma frase de pelo menos 8 caracteres.",
                "Warning: a short passphrase; prefer a phrase of at least 8 characters.",
            ))?;
        }
    }
    Ok(Exit::Success)
}

/// Parses `--system` values; a member of a shared-key group brings its group.
pub fn systems(ids: &[String], with_group: bool) -> Result<Vec<SystemId>, CliError> {
    let mut out = Vec::new();
    for text in ids {
        let id = SystemId::parse(text)?;
        if with_group {
            out.extend(catalog::key_siblings(id));
        } else {
            out.push(id);
        }
    }
    out.dedup();
    Ok(out)
}

pub fn add(global: &Global, out: &Out, args: &AddArgs) -> Result<Exit, CliError> {
    let mut chosen = systems(&args.systems, true)?;
    let parsed = inputs::one_key(&args.input)?;
    if chosen.is_empty() {
        chosen = parsed.suggested_systems();
    }
    let mut vault = session::unlocked(global, out)?;
    let outcome = vault.add(NewEntry {
        key: parsed.key,
        issuer: parsed.issuer,
        login: args.login.clone().or(parsed.account),
        label: args.label.clone(),
        systems: chosen,
    })?;
    let mut report = Report::default();
    report.record("arg:1", outcome);
    report.finish(out)
}

#[derive(Serialize)]
struct EntryJson<'a> {
    id: i64,
    label: Option<&'a str>,
    issuer: Option<&'a str>,
    login: Option<&'a str>,
    systems: Vec<&'static str>,
    created_at: i64,
    key_changed_at: i64,
    exported_at: Option<i64>,
    /// The key changed after its last export: the console needs it again.
    export_again: bool,
    deleted_at: Option<i64>,
    kind: Option<&'static str>,
    algorithm: Option<&'static str>,
    digits: Option<u8>,
    period: Option<u32>,
    error: Option<ErrorJson>,
}

fn entry_json<'a>(e: &'a EntryInfo, out: &Out) -> EntryJson<'a> {
    let details = e.details.as_ref().ok();
    let params = details.map(|d| d.params);
    EntryJson {
        id: e.id.get(),
        label: details.map(|d| d.label.as_str()),
        issuer: details.and_then(|d| d.issuer.as_deref()),
        login: details.and_then(|d| d.login.as_deref()),
        systems: e.systems.iter().map(|s| s.as_str()).collect(),
        created_at: e.created_at,
        key_changed_at: e.key_changed_at,
        exported_at: e.exported_at,
        export_again: e.exported_at.is_some() && !e.exported_current_key(),
        deleted_at: e.deleted_at,
        kind: params.map(|p| p.kind.name()),
        algorithm: params.map(|p| p.algorithm.as_str()),
        digits: params.map(|p| p.digits.get()),
        period: params.and_then(|p| match p.kind {
            OtpKind::Totp { period } => Some(period.get()),
            OtpKind::Hotp { .. } => None,
        }),
        error: e
            .details
            .as_ref()
            .err()
            .map(|err| ErrorJson::of_core(err, out.lang)),
    }
}

pub fn list(global: &Global, out: &Out, args: &ListArgs) -> Result<Exit, CliError> {
    let vault = session::unlocked(global, out)?;
    let shelf = if args.trash {
        Shelf::Trash
    } else {
        Shelf::Live
    };
    let entries = vault.list(shelf)?;
    let rows: Vec<EntryJson> = entries.iter().map(|e| entry_json(e, out)).collect();
    if out.json {
        out.json(&rows)?;
        return Ok(Exit::Success);
    }
    if rows.is_empty() {
        out.line(if args.trash {
            out.t("A lixeira está vazia.", "The trash is empty.")
        } else {
            out.t(
                "Nenhuma chave guardada: adicione com `eproc-a2f add`.",
                "No keys stored: add one with `eproc-a2f add`.",
            )
        })?;
    }
    for r in &rows {
        let name = match (&r.error, r.label) {
            (Some(e), _) => format!("[{}]", e.message),
            (None, label) => label.unwrap_or_default().to_owned(),
        };
        let mut line = format!("{:>4}  {name}", r.id);
        if let Some(login) = r.login {
            line.push_str(&format!(" · {login}"));
        }
        if !r.systems.is_empty() {
            line.push_str(&format!("  [{}]", r.systems.join(", ")));
        }
        if r.export_again {
            line.push_str(out.t("  (exportar de novo)", "  (export again)"));
        }
        out.line(line)?;
    }
    Ok(Exit::Success)
}

fn done(out: &Out, pt: &str, en: &str) -> Result<Exit, CliError> {
    if out.json {
        #[derive(Serialize)]
        struct Ok {
            ok: bool,
        }
        out.json(&Ok { ok: true })?;
    } else {
        out.line(out.t(pt, en))?;
    }
    Ok(Exit::Success)
}

pub fn rename(global: &Global, out: &Out, args: &RenameArgs) -> Result<Exit, CliError> {
    session::unlocked(global, out)?.rename(args.id, &args.label)?;
    done(out, "Renomeada.", "Renamed.")
}

pub fn set_login(global: &Global, out: &Out, args: &SetLoginArgs) -> Result<Exit, CliError> {
    session::unlocked(global, out)?.set_login(args.id, args.login.as_deref())?;
    done(out, "Login atualizado.", "Login updated.")
}

pub fn link(global: &Global, out: &Out, args: &LinkArgs) -> Result<Exit, CliError> {
    let chosen = systems(&args.systems, true)?;
    session::unlocked(global, out)?.link(args.id, &chosen)?;
    done(out, "Sistemas ligados.", "Systems linked.")
}

pub fn unlink(global: &Global, out: &Out, args: &LinkArgs) -> Result<Exit, CliError> {
    let chosen = systems(&args.systems, false)?;
    session::unlocked(global, out)?.unlink(args.id, &chosen)?;
    done(out, "Sistemas desligados.", "Systems unlinked.")
}

pub fn replace_key(global: &Global, out: &Out, args: &ReplaceKeyArgs) -> Result<Exit, CliError> {
    let parsed = inputs::one_key(&args.input)?;
    session::unlocked(global, out)?.replace_key(args.id, &parsed.key)?;
    done(
        out,
        "Chave trocada. Exporte-a de novo para o console.",
        "Key replaced. Export it to the console again.",
    )
}

pub fn delete(global: &Global, out: &Out, args: &IdArgs) -> Result<Exit, CliError> {
    session::unlocked(global, out)?.delete(args.id)?;
    done(
        out,
        "Movida para a lixeira; `undelete` a traz de volta.",
        "Moved to the trash; `undelete` brings it back.",
    )
}

pub fn undelete(global: &Global, out: &Out, args: &IdArgs) -> Result<Exit, CliError> {
    session::unlocked(global, out)?.restore(args.id)?;
    done(out, "Restaurada da lixeira.", "Restored from the trash.")
}

pub fn purge(global: &Global, out: &Out, args: &IdArgs) -> Result<Exit, CliError> {
    session::unlocked(global, out)?.purge(args.id)?;
    done(out, "Apagada de vez.", "Erased for good.")
}

pub fn passphrase(global: &Global, out: &Out, args: &PassphraseArgs) -> Result<Exit, CliError> {
    let kdf = session::kdf(&args.kdf)?;
    let mut vault = session::unlocked(global, out)?;
    let new = session::passphrase(
        out,
        &Source {
            file: args.new_passphrase_file.as_deref(),
            env: NEW_PASSPHRASE_ENV,
        },
        Prompt::New,
    )?;
    vault.change_passphrase(&new, kdf)?;
    done(out, "Senha trocada.", "Passphrase changed.")
}

pub fn check(global: &Global, out: &Out) -> Result<Exit, CliError> {
    let verified = session::unlocked(global, out)?.verify()?;
    let damaged: Vec<i64> = verified.damaged.iter().map(|id| id.get()).collect();
    if out.json {
        #[derive(Serialize)]
        struct Checked<'a> {
            entries: usize,
            damaged: &'a [i64],
        }
        out.json(&Checked {
            entries: verified.entries,
            damaged: &damaged,
        })?;
    } else if damaged.is_empty() {
        out.line(format!(
            "{} {} {}",
            out.t("Cofre íntegro:", "Vault sound:"),
            verified.entries,
            out.t("entradas legíveis.", "entries readable.")
        ))?;
    } else {
        out.line(format!(
            "{} {:?}",
            out.t("Entradas danificadas (id):", "Damaged entries (id):"),
            damaged
        ))?;
    }
    Ok(if damaged.is_empty() {
        Exit::Success
    } else {
        Exit::Damaged
    })
}
