//! `qr`: the text of every QR code in image files. The texts may hold keys: the user
//! asked for them.

use eproc_a2f_core::qr;
use serde::Serialize;
use zeroize::Zeroizing;

use crate::args::QrArgs;
use crate::inputs;
use crate::output::{CliError, ErrorJson, Exit, Out};

/// The texts found in one file, or why none could be.
type Texts = Result<Vec<Zeroizing<String>>, CliError>;

#[derive(Serialize)]
struct FileJson<'a> {
    file: &'a str,
    texts: Vec<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<ErrorJson>,
}

pub fn run(out: &Out, args: &QrArgs) -> Result<Exit, CliError> {
    let results: Vec<(&str, Texts)> = args
        .files
        .iter()
        .enumerate()
        .map(|(i, file)| {
            let texts = inputs::read(file, i + 1).and_then(|input| {
                qr::decode_image(&input.bytes)
                    .map(|texts| texts.into_iter().map(Zeroizing::new).collect())
                    .map_err(CliError::from)
            });
            (file.as_str(), texts)
        })
        .collect();
    let failed = results.iter().any(|(_, r)| r.is_err());
    if out.json {
        let docs: Vec<FileJson> = results
            .iter()
            .map(|(file, r)| FileJson {
                file,
                texts: r
                    .as_ref()
                    .map(|t| t.iter().map(|s| s.as_str()).collect())
                    .unwrap_or_default(),
                error: r.as_ref().err().map(|e| ErrorJson::new(e, out.lang)),
            })
            .collect();
        out.secret_json(&docs)?;
    } else {
        for (file, r) in &results {
            match r {
                Ok(texts) => {
                    for text in texts {
                        let mut line =
                            Zeroizing::new(String::with_capacity(file.len() + 2 + text.len()));
                        line.push_str(file);
                        line.push_str(": ");
                        line.push_str(text);
                        out.secret_line(&line)?;
                    }
                }
                Err(e) => out.error(e.code(), &format!("{file}: {}", e.message(out.lang))),
            }
        }
    }
    Ok(if failed {
        Exit::InvalidInput
    } else {
        Exit::Success
    })
}
