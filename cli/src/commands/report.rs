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

#[derive(Serialize, Default)]
pub struct Report {
    pub added: Vec<i64>,
    pub duplicates: Vec<Duplicate>,
    pub invalid: Vec<Invalid>,
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
