//! `import`: every key in URI lists, Google Authenticator transfers, Aegis exports and
//! QR images, each input in one transaction, with a report.

use std::collections::BTreeMap;

use eproc_a2f_core::report::TransferProgress;
use eproc_a2f_core::vault::{Commit, NewEntry};

use crate::args::{Global, ImportArgs};
use crate::commands::report::{Report, Transfer};
use crate::inputs;
use crate::output::{CliError, Exit, Out};
use crate::session;

pub fn run(global: &Global, out: &Out, args: &ImportArgs) -> Result<Exit, CliError> {
    let mut vault = session::unlocked(global, out)?;
    let commit = if args.dry_run {
        Commit::No
    } else {
        Commit::Yes
    };
    let mut report = Report {
        dry_run: args.dry_run,
        ..Report::default()
    };
    // Parts of one Google export may come in several inputs: what is missing is what
    // no input had.
    let mut transfers: BTreeMap<i32, TransferProgress> = BTreeMap::new();
    // Per input: where each key came from, and the key.
    let mut batches: Vec<(Vec<String>, Vec<NewEntry>)> = Vec::new();
    for (i, arg) in args.inputs.iter().enumerate() {
        let read = match inputs::report(arg, i + 1) {
            Ok(read) => read,
            Err((source, err)) => {
                report.invalid(&source, &err, out);
                continue;
            }
        };
        let (source, items) = read;
        for t in items.transfers {
            transfers
                .entry(t.batch_id)
                .and_modify(|seen| seen.missing.retain(|m| t.missing.contains(m)))
                .or_insert(t);
        }
        let mut sources = Vec::new();
        let mut entries = Vec::new();
        for item in items.items {
            let here = inputs::item_source(&source, &item.locator, out);
            match item.outcome {
                Ok(key) => {
                    let systems = key.suggested_systems();
                    entries.push(NewEntry {
                        key: key.key,
                        issuer: key.issuer,
                        login: key.account,
                        label: None,
                        systems,
                    });
                    sources.push(here);
                }
                Err(err) => report.invalid(&here, &err.into(), out),
            }
        }
        batches.push((sources, entries));
    }
    if commit == Commit::No {
        // One rolled-back transaction for all inputs: a key met in an earlier input
        // shows as the duplicate it would be.
        let (sources, entries): (Vec<Vec<String>>, Vec<Vec<NewEntry>>) =
            batches.into_iter().unzip();
        batches = vec![(sources.concat(), entries.into_iter().flatten().collect())];
    }
    // Each input in its own transaction: stored whole, or not at all.
    for (sources, entries) in batches {
        for (here, outcome) in sources.iter().zip(vault.add_all(entries, commit)?) {
            report.record(here, outcome);
        }
    }
    // Parts read by earlier imports into this vault count too.
    let mut progress = Vec::with_capacity(transfers.len());
    for t in transfers.into_values() {
        progress.push(vault.note_transfer(&t, commit)?);
    }
    report.transfers = progress
        .into_iter()
        .filter(|t| !t.is_complete())
        .map(|t| Transfer {
            batch_id: t.batch_id,
            batch_size: t.batch_size,
            missing_parts: t.missing.iter().map(|m| m + 1).collect(),
            message: t.describe_missing(out.lang),
        })
        .collect();
    report.finish(out)
}
