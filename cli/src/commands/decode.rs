//! `decode`: what an input holds, without storing anything.

use eproc_a2f_core::import::ParsedKey;
use eproc_a2f_core::otp::{OtpKind, UnixTime};
use serde::Serialize;
use zeroize::Zeroizing;

use crate::args::DecodeArgs;
use crate::inputs;
use crate::output::{CliError, ErrorJson, Exit, Out};

#[derive(Serialize)]
struct WarningJson {
    code: &'static str,
    message: String,
}

#[derive(Serialize)]
struct ItemJson<'a> {
    source: &'a str,
    kind: &'static str,
    issuer: Option<&'a str>,
    account: Option<&'a str>,
    algorithm: &'static str,
    digits: u8,
    period: Option<u32>,
    counter: Option<u64>,
    systems: Vec<&'static str>,
    warnings: Vec<WarningJson>,
    code: &'a str,
    next: &'a str,
    valid_for: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    secret: Option<&'a str>,
}

#[derive(Serialize)]
struct SourcedError {
    source: String,
    #[serde(flatten)]
    error: ErrorJson,
}

#[derive(Serialize)]
struct DecodeJson<'a> {
    items: Vec<ItemJson<'a>>,
    errors: &'a [SourcedError],
}

/// One key found in an input, with the input it came from.
struct Found {
    source: String,
    key: ParsedKey,
}

pub fn run(out: &Out, args: &DecodeArgs) -> Result<Exit, CliError> {
    let at = match args.at {
        Some(t) => UnixTime::new(t)?,
        None => UnixTime::now()?,
    };
    let mut found = Vec::new();
    let mut errors = Vec::new();
    for (i, arg) in args.inputs.iter().enumerate() {
        match inputs::report(arg, i + 1) {
            Ok((source, report)) => {
                for item in report.items {
                    let here = inputs::item_source(&source, &item.locator, out);
                    match item.outcome {
                        Ok(key) => found.push(Found { source: here, key }),
                        Err(err) => errors.push(SourcedError {
                            source: here,
                            error: ErrorJson::new(&err.into(), out.lang),
                        }),
                    }
                }
            }
            Err((source, err)) => errors.push(SourcedError {
                source,
                error: ErrorJson::new(&err, out.lang),
            }),
        }
    }
    let secrets: Vec<Option<Zeroizing<String>>> = found
        .iter()
        .map(|f| args.show_secret.then(|| f.key.key.secret.to_base32()))
        .collect();
    let views: Vec<_> = found.iter().map(|f| f.key.key.view(at)).collect();
    let items: Vec<ItemJson> = found
        .iter()
        .zip(&views)
        .zip(&secrets)
        .map(|((f, view), secret)| {
            let params = &f.key.key.params;
            let (period, counter) = match params.kind {
                OtpKind::Totp { period } => (Some(period.get()), None),
                OtpKind::Hotp { counter } => (None, Some(counter.get())),
            };
            ItemJson {
                source: &f.source,
                kind: params.kind.name(),
                issuer: f.key.issuer.as_deref(),
                account: f.key.account.as_deref(),
                algorithm: params.algorithm.as_str(),
                digits: params.digits.get(),
                period,
                counter,
                systems: f
                    .key
                    .suggested_systems()
                    .iter()
                    .map(|s| s.as_str())
                    .collect(),
                warnings: f
                    .key
                    .warnings
                    .iter()
                    .map(|w| WarningJson {
                        code: w.code(),
                        message: w.message(out.lang),
                    })
                    .collect(),
                code: view.code.as_str(),
                next: view.next.as_str(),
                valid_for: view.valid_for,
                secret: secret.as_deref().map(String::as_str),
            }
        })
        .collect();

    if out.json {
        let doc = DecodeJson {
            items,
            errors: &errors,
        };
        if args.show_secret {
            out.secret_json(&doc)?;
        } else {
            out.json(&doc)?;
        }
    } else {
        for item in &items {
            print_item(out, item)?;
        }
        for e in &errors {
            out.error(e.error.code, &format!("{}: {}", e.source, e.error.message));
        }
    }
    Ok(if errors.is_empty() {
        Exit::Success
    } else {
        Exit::InvalidInput
    })
}

fn print_item(out: &Out, item: &ItemJson) -> Result<(), CliError> {
    let mut title = item.source.to_owned();
    for part in [item.issuer, item.account].into_iter().flatten() {
        title.push_str(" · ");
        title.push_str(part);
    }
    out.line(title)?;
    let mut params = format!(
        "  {} · {} · {} {}",
        item.kind.to_uppercase(),
        item.algorithm,
        item.digits,
        out.t("dígitos", "digits")
    );
    if let Some(p) = item.period {
        params.push_str(&format!(" · {p} s"));
    }
    if let Some(c) = item.counter {
        params.push_str(&format!(" · {} {c}", out.t("contador", "counter")));
    }
    out.line(params)?;
    let validity = match item.valid_for {
        Some(s) => format!(" ({} {s} s)", out.t("vale mais", "valid for")),
        None => String::new(),
    };
    out.line(format!(
        "  {} {}{validity} · {} {}",
        out.t("código", "code"),
        item.code,
        out.t("próximo", "next"),
        item.next
    ))?;
    if !item.systems.is_empty() {
        out.line(format!(
            "  {}: {}",
            out.t("sistemas", "systems"),
            item.systems.join(", ")
        ))?;
    }
    for w in &item.warnings {
        out.line(format!("  {}: {}", out.t("aviso", "warning"), w.message))?;
    }
    if let Some(secret) = item.secret {
        let label = out.t("chave", "key");
        let mut line = Zeroizing::new(String::with_capacity(label.len() + secret.len() + 4));
        line.push_str("  ");
        line.push_str(label);
        line.push_str(": ");
        line.push_str(secret);
        out.secret_line(&line)?;
    }
    Ok(())
}
