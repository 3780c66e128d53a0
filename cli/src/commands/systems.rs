//! `systems`: the eproc catalog.

use eproc_a2f_core::catalog::{self, System};
use serde::Serialize;

use crate::output::{CliError, Out};

#[derive(Serialize)]
struct SystemJson {
    id: &'static str,
    name: &'static str,
    court: &'static str,
    instance: Option<u8>,
    url: &'static str,
    mandatory: bool,
    shared_key_group: Option<&'static str>,
}

impl From<&System> for SystemJson {
    fn from(s: &System) -> Self {
        SystemJson {
            id: s.id.as_str(),
            name: s.name,
            court: s.court,
            instance: s.instance.map(|i| i.number()),
            url: s.url,
            mandatory: s.mandatory,
            shared_key_group: s.shared_key_group,
        }
    }
}

pub fn run(out: &Out) -> Result<(), CliError> {
    let systems = catalog::systems();
    if out.json {
        let list: Vec<SystemJson> = systems.iter().map(SystemJson::from).collect();
        return out.json(&list);
    }
    let id_width = systems
        .iter()
        .map(|s| s.id.as_str().len())
        .max()
        .unwrap_or(0);
    let name_width = systems
        .iter()
        .map(|s| s.name.chars().count())
        .max()
        .unwrap_or(0);
    for s in systems {
        let status = if s.mandatory {
            out.t("obrigatório", "mandatory")
        } else {
            out.t("opcional", "optional")
        };
        let group = match s.shared_key_group {
            Some(g) => format!("  [{} {g}]", out.t("chave compartilhada:", "shared key:")),
            None => String::new(),
        };
        let pad = name_width - s.name.chars().count();
        out.line(format!(
            "{:<id_width$}  {}{:pad$}  {:<11}  {}{}",
            s.id.as_str(),
            s.name,
            "",
            status,
            s.url,
            group
        ))?;
    }
    Ok(())
}
