//! `eproc-a2f`: the desktop CLI of A2F eproc, on the same core as the phone apps.
//! Thin: it reads arguments, calls the core and prints what the core returns.

mod args;
mod commands;
mod help;
mod inputs;
mod output;
mod session;

use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches};

use crate::args::{Cli, Command};
use crate::output::{Exit, Out};

fn main() -> ExitCode {
    // Before clap has parsed anything, a usage error must still honour --json.
    let wants_json = std::env::args_os().any(|a| a == "--json");
    let early = Out::from_env(wants_json);
    let parsed = help::localize(Cli::command(), early.lang)
        .try_get_matches()
        .and_then(|m| Cli::from_arg_matches(&m));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(e) => return ExitCode::from(usage_error(&early, &e) as u8),
    };
    let out = Out::from_env(cli.global.json);
    let result = match &cli.command {
        Command::Systems => commands::systems::run(&out).map(|()| Exit::Success),
        Command::Decode(a) => commands::decode::run(&out, a),
        Command::Init(a) => commands::entries::init(&cli.global, &out, a),
        Command::Add(a) => commands::entries::add(&cli.global, &out, a),
        Command::List(a) => commands::entries::list(&cli.global, &out, a),
        Command::Codes(a) => commands::codes::codes(&cli.global, &out, a),
        Command::Status => commands::codes::status(&cli.global, &out),
        Command::Rename(a) => commands::entries::rename(&cli.global, &out, a),
        Command::SetLogin(a) => commands::entries::set_login(&cli.global, &out, a),
        Command::Link(a) => commands::entries::link(&cli.global, &out, a),
        Command::Unlink(a) => commands::entries::unlink(&cli.global, &out, a),
        Command::ReplaceKey(a) => commands::entries::replace_key(&cli.global, &out, a),
        Command::Delete(a) => commands::entries::delete(&cli.global, &out, a),
        Command::Undelete(a) => commands::entries::undelete(&cli.global, &out, a),
        Command::Purge(a) => commands::entries::purge(&cli.global, &out, a),
        Command::HotpNext(a) => commands::codes::hotp_next(&cli.global, &out, a),
        Command::Passphrase(a) => commands::entries::passphrase(&cli.global, &out, a),
        Command::Check => commands::entries::check(&cli.global, &out),
        Command::Import(a) => commands::import::run(&cli.global, &out, a),
        Command::Qr(a) => commands::qr::run(&out, a),
        Command::ExportKey(a) => commands::transfer::export_key(&cli.global, &out, a),
        Command::Export(a) => commands::transfer::export(&cli.global, &out, a),
        Command::Backup(a) => commands::transfer::backup(&cli.global, &out, a),
        Command::Restore(a) => commands::transfer::restore(&cli.global, &out, a),
    };
    let exit = result.unwrap_or_else(|e| out.fail(&e));
    ExitCode::from(exit as u8)
}

fn usage_error(out: &Out, e: &clap::Error) -> Exit {
    use clap::error::ErrorKind;
    if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
        let _ = e.print();
        return Exit::Success;
    }
    if out.json {
        let detail = e.kind().as_str().unwrap_or("invalid usage");
        let message = out.lang.pick(
            format!("Uso incorreto ({detail}); veja `eproc-a2f --help`."),
            format!("Invalid usage ({detail}); see `eproc-a2f --help`."),
        );
        out.error("usage", &message);
    } else {
        let _ = e.print();
    }
    Exit::Usage
}
