//! The codes per tribunal, and the status of every catalog system.

use std::io::{IsTerminal, Write};
use std::time::Duration;

use eproc_a2f_core::catalog::{self, SystemId};
use eproc_a2f_core::otp::{CodeView, UnixTime};
use eproc_a2f_core::vault::{EntryCodes, Vault};
use serde::Serialize;

use crate::args::{CodesArgs, Global, IdArgs};
use crate::output::{CliError, ErrorJson, Exit, Out};
use crate::session;

#[derive(Serialize)]
struct EntryCodeJson<'a> {
    id: i64,
    label: Option<&'a str>,
    login: Option<&'a str>,
    systems: Vec<&'static str>,
    code: Option<&'a str>,
    next: Option<&'a str>,
    valid_for: Option<u32>,
    error: Option<ErrorJson>,
}

#[derive(Serialize)]
struct CodesJson<'a> {
    at: u64,
    entries: Vec<EntryCodeJson<'a>>,
}

fn entry_json<'a>(e: &'a EntryCodes, out: &Out) -> EntryCodeJson<'a> {
    let ok = e.codes.as_ref().ok();
    EntryCodeJson {
        id: e.id.get(),
        label: ok.map(|(d, _)| d.label.as_str()),
        login: ok.and_then(|(d, _)| d.login.as_deref()),
        systems: e.systems.iter().map(|s| s.as_str()).collect(),
        code: ok.map(|(_, v)| v.code.as_str()),
        next: ok.map(|(_, v)| v.next.as_str()),
        valid_for: ok.and_then(|(_, v)| v.valid_for),
        error: e
            .codes
            .as_ref()
            .err()
            .map(|err| ErrorJson::of_core(err, out.lang)),
    }
}

/// "123 456": easier to read and type, as most authenticators show it.
fn spaced(code: &str) -> String {
    let mid = code.len() / 2;
    format!("{} {}", &code[..mid], &code[mid..])
}

fn render_text(out: &Out, entries: &[EntryCodes]) -> String {
    if entries.is_empty() {
        return out
            .t(
                "Nenhuma chave para mostrar: adicione com `eproc-a2f add`.",
                "No keys to show: add one with `eproc-a2f add`.",
            )
            .to_owned();
    }
    let mut text = String::new();
    for e in entries {
        let line = match &e.codes {
            Ok((details, view)) => {
                let who = match &details.login {
                    Some(login) => format!("{} · {login}", details.label),
                    None => details.label.clone(),
                };
                let left = match view.valid_for {
                    Some(s) => format!("{s:>2} s"),
                    None => "HOTP".to_owned(),
                };
                format!(
                    "{:>4}  {:<9}  {left}  {} {:<9}  {who}  [{}]",
                    e.id.get(),
                    spaced(view.code.as_str()),
                    out.t("próx.", "next"),
                    spaced(view.next.as_str()),
                    e.systems
                        .iter()
                        .map(|s| s.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            }
            Err(err) => format!("{:>4}  {}", e.id.get(), err.message(out.lang)),
        };
        text.push_str(&line);
        text.push('\n');
    }
    text
}

fn print(out: &Out, at: UnixTime, entries: &[EntryCodes], compact: bool) -> Result<(), CliError> {
    if out.json {
        let doc = CodesJson {
            at: at.seconds(),
            entries: entries.iter().map(|e| entry_json(e, out)).collect(),
        };
        if compact {
            let text = serde_json::to_string(&doc).map_err(|_| CliError::Output)?;
            return out.line(text);
        }
        return out.json(&doc);
    }
    let text = render_text(out, entries);
    write!(std::io::stdout(), "{text}").map_err(|_| CliError::Output)
}

pub fn codes(global: &Global, out: &Out, args: &CodesArgs) -> Result<Exit, CliError> {
    let system = args.system.as_deref().map(SystemId::parse).transpose()?;
    let at = args.at.map(UnixTime::new).transpose()?;
    let vault = session::unlocked(global, out)?;
    if args.watch {
        return watch(out, &vault, system);
    }
    let at = match at {
        Some(t) => t,
        None => UnixTime::now()?,
    };
    let entries = vault.codes(at, system)?;
    print(out, at, &entries, false)?;
    Ok(Exit::Success)
}

/// Refreshes until interrupted: in place on a terminal, every second; elsewhere one
/// block (or one JSON line) each time the codes change.
fn watch(out: &Out, vault: &Vault, system: Option<SystemId>) -> Result<Exit, CliError> {
    let tty = std::io::stdout().is_terminal();
    let mut last: Option<Vec<String>> = None;
    loop {
        let at = UnixTime::now()?;
        let entries = vault.codes(at, system)?;
        if tty && !out.json {
            // Home and clear, then the table: the screen is redrawn, not scrolled.
            let text = render_text(out, &entries);
            write!(std::io::stdout(), "\x1b[H\x1b[2J{text}").map_err(|_| CliError::Output)?;
            std::io::stdout().flush().map_err(|_| CliError::Output)?;
        } else {
            let now: Vec<String> = entries
                .iter()
                .filter_map(|e| e.codes.as_ref().ok())
                .map(|(_, v): &(_, CodeView)| v.code.as_str().to_owned())
                .collect();
            if last.as_ref() != Some(&now) {
                print(out, at, &entries, true)?;
                std::io::stdout().flush().map_err(|_| CliError::Output)?;
                last = Some(now);
            }
        }
        std::thread::sleep(Duration::from_secs(1));
    }
}

#[derive(Serialize)]
struct StatusJson {
    system: &'static str,
    name: &'static str,
    mandatory: bool,
    entry: Option<i64>,
    entries: Vec<i64>,
    exported: bool,
}

pub fn status(global: &Global, out: &Out) -> Result<Exit, CliError> {
    let vault = session::unlocked(global, out)?;
    let rows: Vec<StatusJson> = vault
        .status()?
        .into_iter()
        .map(|s| {
            let sys = s.system.system();
            StatusJson {
                system: sys.id.as_str(),
                name: sys.name,
                mandatory: sys.mandatory,
                entry: s.entries.first().map(|id| id.get()),
                entries: s.entries.iter().map(|id| id.get()).collect(),
                exported: s.exported,
            }
        })
        .collect();
    if out.json {
        out.json(&rows)?;
        return Ok(Exit::Success);
    }
    let width = catalog::systems()
        .iter()
        .map(|s| s.name.chars().count())
        .max()
        .unwrap_or(0);
    for r in &rows {
        let registered = match r.entry {
            Some(id) => format!("{} {id}", out.t("chave", "key")),
            None => out.t("sem chave", "no key").to_owned(),
        };
        let mandatory = if r.mandatory {
            out.t("obrigatório", "mandatory")
        } else {
            out.t("opcional", "optional")
        };
        let exported = match (r.entry, r.exported) {
            (None, _) => "",
            (Some(_), true) => out.t("exportada", "exported"),
            (Some(_), false) => out.t("não exportada", "not exported"),
        };
        let pad = width - r.name.chars().count();
        out.line(format!(
            "{:<8} {}{:pad$}  {:<11}  {:<10}  {exported}",
            r.system, r.name, "", mandatory, registered
        ))?;
    }
    Ok(Exit::Success)
}

pub fn hotp_next(global: &Global, out: &Out, args: &IdArgs) -> Result<Exit, CliError> {
    let mut vault = session::unlocked(global, out)?;
    let view = vault.next_hotp(args.id)?;
    if out.json {
        #[derive(Serialize)]
        struct Next<'a> {
            id: i64,
            code: &'a str,
            next: &'a str,
        }
        out.json(&Next {
            id: args.id.get(),
            code: view.code.as_str(),
            next: view.next.as_str(),
        })?;
    } else {
        out.line(spaced(view.code.as_str()))?;
    }
    Ok(Exit::Success)
}
