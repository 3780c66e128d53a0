//! Files written so that a crash or a full disk never leaves half of one, and that
//! nobody but their owner can read (they may hold keys).

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result, StorageProblem};
use crate::vault::crypto;

pub(crate) fn storage_problem(e: &std::io::Error) -> Error {
    Error::Storage {
        reason: match e.kind() {
            std::io::ErrorKind::StorageFull => StorageProblem::Full,
            std::io::ErrorKind::ReadOnlyFilesystem | std::io::ErrorKind::PermissionDenied => {
                StorageProblem::ReadOnly
            }
            _ => StorageProblem::Io,
        },
    }
}

/// A hidden, random name beside `path`, in the same folder so that renaming or linking
/// it into place is atomic.
pub(crate) fn temp_beside(path: &Path, purpose: &str) -> Result<PathBuf> {
    let name = path
        .file_name()
        .ok_or(Error::Storage {
            reason: StorageProblem::Io,
        })?
        .to_string_lossy();
    let suffix: [u8; 8] = crypto::random_bytes()?;
    let hex: String = suffix.iter().map(|b| format!("{b:02x}")).collect();
    Ok(path.with_file_name(format!(".{name}.{hex}.{purpose}")))
}

/// Creates a new file readable by its owner only; fails if it exists.
pub(crate) fn create_private(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)
}

/// Flushes a folder, so that a new name in it survives a power cut too.
pub(crate) fn sync_folder_of(path: &Path) {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
}

/// Writes a file so that it is either wholly there or not at all: a temporary file in
/// the same folder, owner-only, flushed to disk, renamed over the target, and the
/// folder flushed.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let temp = temp_beside(path, "tmp")?;
    let written = (|| {
        let mut file = create_private(&temp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&temp, path)
    })();
    if let Err(e) = written {
        let _ = std::fs::remove_file(&temp);
        return Err(storage_problem(&e));
    }
    sync_folder_of(path);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_whole_and_owner_only() {
        let dir = std::env::temp_dir().join(format!("a2f-files-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("b.a2fbackup");
        write_atomically(&path, b"first").unwrap();
        write_atomically(&path, b"second").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"second");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        assert_eq!(
            std::fs::read_dir(&dir).unwrap().count(),
            1,
            "no temporary left"
        );
        assert!(write_atomically(&dir.join("missing/dir/x"), b"x").is_err());
        assert!(temp_beside(Path::new("/"), "x").is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
