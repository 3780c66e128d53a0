//! The help in pt-BR, laid over the English help of `args.rs` when LANG is Portuguese.

use clap::Command;
use eproc_a2f_core::i18n::Lang;

/// pt-BR text for a command's description (`arg` empty) or one of its arguments.
fn pt(command: &str, arg: &str) -> Option<&'static str> {
    Some(match (command, arg) {
        ("eproc-a2f", "") => {
            "A2F eproc: códigos de dois fatores para os sistemas eproc dos tribunais"
        }
        (_, "vault") => {
            "O arquivo do cofre [padrão: eproc-a2f/vault.db na pasta de dados do sistema]"
        }
        (_, "json") => "Imprime um documento JSON na saída; erros em JSON na saída de erro",
        (_, "passphrase_file") => "Lê a senha do cofre deste arquivo (primeira linha)",
        (_, "backup_passphrase_file") => "Lê a senha do backup deste arquivo (primeira linha)",
        (_, "help") => "Mostra esta ajuda",
        (_, "version") => "Mostra a versão",
        ("systems", "") => "O catálogo dos sistemas eproc",
        ("decode", "") => {
            "Mostra o que um URI otpauth, uma chave digitada ou um arquivo contém, sem guardar nada"
        }
        ("decode", "inputs") => {
            "URIs otpauth, chaves como o eproc mostra, ou arquivos; `-` lê a entrada padrão"
        }
        ("decode", "show_secret") => "Mostra também a própria chave (base32)",
        ("decode", "at") => "Calcula os códigos neste instante Unix em vez de agora",
        ("init", "") => "Cria um cofre, protegido pela senha",
        (_, "kdf_memory_mib") => "Memória do Argon2id em MiB (19 a 1024)",
        (_, "kdf_iterations") => "Passagens do Argon2id (2 a 20)",
        ("add", "") => "Guarda uma chave e a liga a sistemas",
        ("add", "input") => {
            "Um URI otpauth, uma chave como o eproc mostra, ou um arquivo; `-` lê a entrada padrão"
        }
        ("add", "systems") => {
            "Um sistema que a chave atende (veja `systems`); repita para vários [padrão: sugeridos pelo emissor]"
        }
        ("add", "login") => "O login do eproc (CPF ou número da OAB) desta chave",
        ("add", "label") => "O nome mostrado para a entrada [padrão: o emissor ou o sistema]",
        ("list", "") => "As entradas guardadas, sem as chaves",
        ("list", "trash") => "Lista as entradas da lixeira",
        ("codes", "") => "Código atual, segundos restantes e próximo código de cada entrada",
        ("codes", "at") => "Calcula os códigos neste instante Unix em vez de agora",
        ("codes", "system") => "Só as entradas que atendem este sistema",
        ("codes", "watch") => "Atualiza os códigos no lugar até ser interrompido",
        ("status", "") => {
            "Cada sistema do catálogo: cadastrado ou não, obrigatório ou não, exportado ou não"
        }
        ("rename", "") => "Renomeia uma entrada",
        ("rename", "label") => "O novo nome",
        ("set-login", "") => "Define ou apaga o login do eproc de uma entrada",
        ("set-login", "login") => "O login do eproc; omita para apagar",
        ("link", "") => "Liga uma entrada a mais sistemas",
        ("unlink", "") => "Desliga uma entrada de sistemas",
        ("link" | "unlink", "systems") => "O id de um sistema (veja `systems`); repita para vários",
        ("replace-key", "") => "Troca a chave de uma entrada depois de recadastrar no eproc",
        ("replace-key", "input") => {
            "A nova chave: um URI otpauth, uma chave como o eproc mostra, ou um arquivo"
        }
        ("delete", "") => "Manda uma entrada para a lixeira",
        ("undelete", "") => "Traz uma entrada de volta da lixeira",
        ("purge", "") => "Apaga de vez uma entrada da lixeira",
        ("hotp-next", "") => "Avança o contador de uma entrada HOTP e mostra o novo código",
        (_, "id") => "O id da entrada, como `list` mostra",
        ("passphrase", "") => "Troca a senha do cofre",
        ("passphrase", "new_passphrase_file") => {
            "Lê a nova senha deste arquivo (primeira linha) [env: EPROC_A2F_NEW_PASSPHRASE]"
        }
        ("check", "") => "Verifica o arquivo do cofre e cada entrada, sem alterar nada",
        ("import", "") => {
            "Guarda tudo o que há em listas de URIs, transferências do Google, imagens de QR e exportações do Aegis"
        }
        ("import", "inputs") => {
            "Arquivos ou textos: listas de URIs otpauth, URIs ou QR de transferência do Google, JSON do Aegis; `-` lê a entrada padrão"
        }
        ("import", "dry_run") => "Mostra o relatório sem guardar nada",
        ("qr", "") => "O texto de cada código QR em arquivos de imagem (PNG, JPEG)",
        ("qr", "files") => "Arquivos PNG ou JPEG; `-` lê a entrada padrão",
        ("export-key", "") => "A chave de uma entrada, para um console de automação",
        ("export-key", "format") => "A forma da chave",
        ("export-key", "out") => "Grava neste arquivo em vez da saída padrão (legível só por você)",
        ("export", "") => "Todas as chaves em texto claro, no formato de outro aplicativo",
        ("export", "format") => "O formato do arquivo",
        ("export", "out") => {
            "O arquivo a gravar (legível só por você); ele contém todas as chaves em texto claro"
        }
        ("backup", "") => "Um backup criptografado de todas as entradas",
        ("backup", "out") => "O arquivo de backup a gravar",
        ("restore", "") => "Restaura um backup criptografado no cofre (criado se não existir)",
        ("restore", "file") => "O arquivo de backup",
        ("restore", "replace") => {
            "Faz das entradas do cofre as do backup: chaves que o backup não tem vão para a lixeira"
        }
        _ => return None,
    })
}

/// Translates the help of `cmd` and of its subcommands.
pub fn localize(cmd: Command, lang: Lang) -> Command {
    if lang != Lang::Pt {
        return cmd;
    }
    translate(cmd)
}

fn translate(mut cmd: Command) -> Command {
    let name = cmd.get_name().to_owned();
    if let Some(about) = pt(&name, "") {
        cmd = cmd.about(about);
    }
    cmd = cmd
        .help_template("{about-with-newline}\nUso: {usage}\n\n{all-args}{after-help}")
        .subcommand_help_heading("Comandos")
        .subcommand_value_name("COMANDO")
        .disable_help_subcommand(true);
    let ids: Vec<String> = cmd
        .get_arguments()
        .map(|a| a.get_id().as_str().to_owned())
        .collect();
    for id in ids {
        let help = pt(&name, &id);
        cmd = cmd.mut_arg(&id, |arg| {
            let heading = if arg.is_positional() {
                "Argumentos"
            } else {
                "Opções"
            };
            let arg = arg.help_heading(heading);
            match help {
                Some(text) => arg.help(text),
                None => arg,
            }
        });
    }
    cmd.mut_subcommands(translate)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::args::Cli;
    use clap::CommandFactory;

    /// Every argument and command has its pt-BR help: an English line in the Portuguese
    /// help is a bug.
    #[test]
    fn everything_is_translated() {
        fn walk(cmd: &Command, missing: &mut Vec<String>) {
            let name = cmd.get_name();
            if pt(name, "").is_none() {
                missing.push(name.to_owned());
            }
            for arg in cmd.get_arguments() {
                let id = arg.get_id().as_str();
                if pt(name, id).is_none() {
                    missing.push(format!("{name} {id}"));
                }
            }
            for sub in cmd.get_subcommands() {
                walk(sub, missing);
            }
        }
        let mut missing = Vec::new();
        walk(&Cli::command(), &mut missing);
        assert!(missing.is_empty(), "no pt-BR help for {missing:?}");
    }

    #[test]
    fn portuguese_help_renders() {
        let mut cmd = localize(Cli::command(), Lang::Pt);
        let help = cmd.render_help().to_string();
        assert!(help.contains("Uso:"), "{help}");
        assert!(help.contains("Comandos"), "{help}");
        assert!(help.contains("Mostra esta ajuda"), "{help}");
    }
}
