//! How the CLI speaks: the language, text or JSON, errors on stderr, exit codes.

use std::fmt;
use std::io::Write;
use std::path::Path;

use eproc_a2f_core::i18n::Lang;
use eproc_a2f_core::{Error, ErrorKind};
use serde::Serialize;
use zeroize::Zeroizing;

/// Exit codes fixed by `shared/CLI.md`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exit {
    Success = 0,
    Internal = 1,
    Usage = 2,
    InvalidInput = 3,
    Auth = 4,
    Damaged = 5,
    NotFound = 6,
}

impl Exit {
    pub fn of_kind(kind: ErrorKind) -> Exit {
        match kind {
            ErrorKind::Internal => Exit::Internal,
            ErrorKind::InvalidInput => Exit::InvalidInput,
            ErrorKind::Auth => Exit::Auth,
            ErrorKind::Damaged => Exit::Damaged,
            ErrorKind::NotFound => Exit::NotFound,
        }
    }
}

/// A failure of a whole command.
#[derive(Debug)]
pub enum CliError {
    Core(Error),
    /// An input file that cannot be read.
    ReadFile {
        path: String,
        reason: std::io::ErrorKind,
    },
    /// A JSON document that cannot be written to stdout.
    Output,
    /// No platform data directory to put the default vault in.
    NoDataDir,
    /// The two typings of a new passphrase differ.
    PassphraseMismatch,
    /// `add` and `replace-key` take one key; the input held another number.
    NotOneKey {
        found: usize,
    },
    /// `--kdf-*` flags outside what the vault accepts.
    KdfFlags,
    /// A directory for the vault that cannot be created.
    CreateDir {
        path: String,
        reason: std::io::ErrorKind,
    },
}

impl From<Error> for CliError {
    fn from(e: Error) -> Self {
        CliError::Core(e)
    }
}

impl CliError {
    pub fn read_file(path: &Path, err: &std::io::Error) -> Self {
        CliError::ReadFile {
            path: path.display().to_string(),
            reason: err.kind(),
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            CliError::Core(e) => e.code().as_str(),
            CliError::ReadFile { .. } => "file_unreadable",
            CliError::Output => "output_failed",
            CliError::NoDataDir => "no_data_dir",
            CliError::PassphraseMismatch => "passphrase_mismatch",
            CliError::CreateDir { .. } => "cannot_create_dir",
            CliError::NotOneKey { .. } => "not_one_key",
            CliError::KdfFlags => "kdf_params_out_of_range",
        }
    }

    pub fn exit(&self) -> Exit {
        match self {
            CliError::Core(e) => Exit::of_kind(e.kind()),
            CliError::ReadFile { .. } => Exit::InvalidInput,
            CliError::Output | CliError::CreateDir { .. } => Exit::Internal,
            CliError::NoDataDir | CliError::KdfFlags => Exit::Usage,
            CliError::PassphraseMismatch | CliError::NotOneKey { .. } => Exit::InvalidInput,
        }
    }

    pub fn message(&self, lang: Lang) -> String {
        match self {
            CliError::Core(e) => e.message(lang),
            CliError::ReadFile { path, reason } => {
                let why = io_reason(*reason, lang);
                lang.pick(
                    format!("Não foi possível ler o arquivo {path}: {why}."),
                    format!("Cannot read the file {path}: {why}."),
                )
            }
            CliError::Output => lang
                .pick(
                    "Não foi possível escrever a saída.",
                    "Cannot write the output.",
                )
                .into(),
            CliError::NoDataDir => lang
                .pick(
                    "Não há pasta de dados neste sistema: indique o cofre com --vault.",
                    "This system has no data directory: give the vault with --vault.",
                )
                .into(),
            CliError::PassphraseMismatch => lang
                .pick(
                    "As senhas digitadas não conferem.",
                    "The passphrases typed do not match.",
                )
                .into(),
            CliError::NotOneKey { found } => lang.pick(
                format!(
                    "A entrada tem {found} chaves; aqui cabe uma só: use `import` para várias."
                ),
                format!("The input holds {found} keys; this takes one: use `import` for several."),
            ),
            CliError::KdfFlags => lang
                .pick(
                    "Parâmetros do Argon2id fora dos limites: memória de 19 a 1024 MiB, de 2 a 20 passagens.",
                    "Argon2id parameters out of bounds: memory from 19 to 1024 MiB, 2 to 20 passes.",
                )
                .into(),
            CliError::CreateDir { path, reason } => {
                let why = io_reason(*reason, lang);
                lang.pick(
                    format!("Não foi possível criar a pasta {path}: {why}."),
                    format!("Cannot create the directory {path}: {why}."),
                )
            }
        }
    }
}

fn io_reason(kind: std::io::ErrorKind, lang: Lang) -> &'static str {
    use std::io::ErrorKind as K;
    match kind {
        K::NotFound => lang.pick("não existe", "it does not exist"),
        K::PermissionDenied => lang.pick("permissão negada", "permission denied"),
        K::IsADirectory => lang.pick("é uma pasta", "it is a directory"),
        K::FileTooLarge => lang.pick("grande demais", "too large"),
        K::InvalidData => lang.pick("conteúdo ilegível", "unreadable content"),
        K::AlreadyExists => lang.pick("já existe", "it already exists"),
        K::ReadOnlyFilesystem => lang.pick("disco somente leitura", "read-only file system"),
        K::StorageFull => lang.pick("disco cheio", "disk full"),
        _ => lang.pick("erro de entrada e saída", "input/output error"),
    }
}

/// Where the output goes and in which language and form.
pub struct Out {
    pub lang: Lang,
    pub json: bool,
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    code: &'a str,
    message: &'a str,
}

#[derive(Serialize)]
struct ErrorDoc<'a> {
    error: ErrorBody<'a>,
}

impl Out {
    pub fn from_env(json: bool) -> Self {
        // The contract names LANG alone: scripts set it to choose the language.
        let lang = std::env::var("LANG")
            .map(|l| Lang::from_locale(&l))
            .unwrap_or(Lang::En);
        Out { lang, json }
    }

    pub fn json<T: Serialize>(&self, value: &T) -> Result<(), CliError> {
        let stdout = std::io::stdout();
        let mut lock = stdout.lock();
        serde_json::to_writer_pretty(&mut lock, value).map_err(|_| CliError::Output)?;
        writeln!(lock).map_err(|_| CliError::Output)
    }

    /// Writes a document that holds keys: serialized into one wiped buffer of exactly
    /// its size (no reallocation leaves a copy behind), then handed to the terminal in
    /// one write, which ends in a newline and so bypasses stdout's line buffer.
    pub fn secret_json<T: Serialize>(&self, value: &T) -> Result<(), CliError> {
        let mut counter = Counter(0);
        serde_json::to_writer_pretty(&mut counter, value).map_err(|_| CliError::Output)?;
        let mut buffer = Zeroizing::new(Vec::with_capacity(counter.0 + 1));
        serde_json::to_writer_pretty(&mut *buffer, value).map_err(|_| CliError::Output)?;
        buffer.push(b'\n');
        Self::write_once(&buffer)
    }

    /// Writes one line that holds a key, the same way as `secret_json`.
    pub fn secret_line(&self, text: &str) -> Result<(), CliError> {
        let mut line = Zeroizing::new(String::with_capacity(text.len() + 1));
        line.push_str(text);
        line.push('\n');
        Self::write_once(line.as_bytes())
    }

    fn write_once(bytes: &[u8]) -> Result<(), CliError> {
        let stdout = std::io::stdout();
        let mut lock = stdout.lock();
        lock.flush().map_err(|_| CliError::Output)?;
        lock.write_all(bytes).map_err(|_| CliError::Output)?;
        lock.flush().map_err(|_| CliError::Output)
    }

    pub fn line(&self, text: impl fmt::Display) -> Result<(), CliError> {
        writeln!(std::io::stdout(), "{text}").map_err(|_| CliError::Output)
    }

    /// Reports a failed command on stderr, in the form the contract gives.
    pub fn error(&self, code: &str, message: &str) {
        let mut stderr = std::io::stderr();
        if self.json {
            let doc = ErrorDoc {
                error: ErrorBody { code, message },
            };
            if let Ok(text) = serde_json::to_string(&doc) {
                let _ = writeln!(stderr, "{text}");
            }
        } else {
            let label = self.lang.pick("erro", "error");
            let _ = writeln!(stderr, "eproc-a2f: {label}: {message}");
        }
    }

    pub fn fail(&self, err: &CliError) -> Exit {
        self.error(err.code(), &err.message(self.lang));
        err.exit()
    }

    pub fn t<'a>(&self, pt: &'a str, en: &'a str) -> &'a str {
        self.lang.pick(pt, en)
    }
}

/// Counts what a serializer writes, to size its buffer exactly.
struct Counter(usize);

impl Write for Counter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len();
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// An error as a JSON object, for commands that report several.
#[derive(Serialize)]
pub struct ErrorJson {
    pub code: &'static str,
    pub message: String,
}

impl ErrorJson {
    pub fn of_core(err: &Error, lang: Lang) -> Self {
        ErrorJson {
            code: err.code().as_str(),
            message: err.message(lang),
        }
    }

    pub fn new(err: &CliError, lang: Lang) -> Self {
        ErrorJson {
            code: err.code(),
            message: err.message(lang),
        }
    }
}
