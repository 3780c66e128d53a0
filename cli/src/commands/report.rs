//! The report of commands that store keys: what was added, what was already there,
//! what could not be read. `import`, `restore` and `add` share it.

use eproc_a2f_core::vault::Added;
use serde::Serialize;

use crate::output::{CliError, ErrorJson, Exit, Out};

#[derive(Serialize)]
pub struct Duplicate {
    pub source: String,
    pub id: i64,
    pub in_trash: bool,
}

#[derive(Serialize)]
pub struct Invalid {
    pub source: String,
    #[serde(flatten)]
    pub error: ErrorJson,
}

/// A Google Authenticator export read in part: which of its QR codes are missing.
#[derive(Serialize)]
pub struct Transfer {
    pub batch_id: i32,
    pub batch_size: u32,
    /// 1-based, as Google Authenticator numbers its QR codes ("2 of 3").
    pub missing_parts: Vec<u32>,
    #[serde(skip)]
    pub message: Option<String>,
}

#[derive(Serialize, Default)]
pub struct Report {
    pub added: Vec<i64>,
    pub duplicates: Vec<Duplicate>,
    pub invalid: Vec<Invalid>,
    pub transfers: Vec<Transfer>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub dry_run: bool,
}

impl Report {
    pub fn record(&mut self, source: &str, outcome: Added) {
        match outcome {
            Added::New(id) => self.added.push(id.get()),
            Added::Duplicate { id, in_trash } => self.duplicates.push(Duplicate {
                source: source.to_owned(),
                id: id.get(),
                in_trash,
            }),
        }
    }

    pub fn invalid(&mut self, source: &str, err: &CliError, out: &Out) {
        self.invalid.push(Invalid {
            source: source.to_owned(),
            error: ErrorJson::new(err, out.lang),
        });
    }

    /// Prints the report; exit 3 when any input failed, as the contract says.
    pub fn finish(&self, out: &Out) -> Result<Exit, CliError> {
        if out.json {
            out.json(self)?;
        } else {
            let ids = |list: &[i64]| {
                list.iter()
                    .map(|id| id.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            if !self.added.is_empty() {
                out.line(format!(
                    "{}: {}",
                    out.t("Adicionadas (id)", "Added (id)"),
                    ids(&self.added)
                ))?;
            }
            for d in &self.duplicates {
                let where_ = if d.in_trash {
                    out.t(" (na lixeira)", " (in the trash)")
                } else {
                    ""
                };
                out.line(format!(
                    "{}: {} {}{where_}",
                    d.source,
                    out.t("já guardada como id", "already stored as id"),
                    d.id
                ))?;
            }
            for i in &self.invalid {
                out.error(i.error.code, &format!("{}: {}", i.source, i.error.message));
            }
            for t in self.transfers.iter().filter_map(|t| t.message.as_ref()) {
                out.line(t)?;
            }
            if self.dry_run {
                out.line(out.t(
                    "Simulação: nada foi guardado.",
                    "Dry run: nothing was stored.",
                ))?;
            }
            if self.added.is_empty() && self.duplicates.is_empty() && self.invalid.is_empty() {
                out.line(out.t("Nada a importar.", "Nothing to import."))?;
            }
        }
        Ok(if self.invalid.is_empty() {
            Exit::Success
        } else {
            Exit::InvalidInput
        })
    }
}
