//! Writing a file so that its final name only ever shows a complete file.
//!
//! The content goes to a temporary file in the target's folder, which is synced to disk. Then one
//! step gives it the final name: a hard link that fails when the name exists, or a rename that
//! replaces the file when overwriting is allowed. A crash before that step leaves at most a
//! temporary `.replenish-export-*.part` file beside the target, never a half file under its name.
//! `tempfile` does both steps on Unix and Windows, and deletes the temporary file on an error.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use tempfile::{Builder, NamedTempFile};

/// A failure to write the file. Each keeps the path it concerns.
#[derive(Debug, thiserror::Error)]
pub enum AtomicWriteError {
    /// The target exists and overwriting was not allowed.
    #[error("{path} already exists")]
    Exists { path: PathBuf },

    /// The temporary file could not be created in the target's folder.
    #[error("cannot create a file in {folder}: {source}")]
    Create { folder: PathBuf, source: io::Error },

    /// Writing, syncing or naming the file failed.
    #[error("cannot write {path}: {source}")]
    Write { path: PathBuf, source: io::Error },

    /// The content could not be produced, e.g. the export failed.
    #[error("{0}")]
    Content(String),

    /// The target is a device, a pipe or a folder, which a file cannot replace.
    #[error("{path} is not a regular file")]
    NotRegular { path: PathBuf },
}

/// Writes the file at `path` with what `write_content` puts into the writer it is given.
///
/// Unless `overwrite` is set, an existing file at `path` is left unchanged and the call fails with
/// [`AtomicWriteError::Exists`], even when another program creates the file meanwhile.
pub fn write_atomically<E: std::fmt::Display>(
    path: &Path,
    overwrite: bool,
    write_content: impl FnOnce(&mut BufWriter<&File>) -> Result<(), E>,
) -> Result<(), AtomicWriteError> {
    // Checked first, so a refusal costs no export. The final step checks again.
    if !overwrite && path.symlink_metadata().is_ok() {
        return Err(AtomicWriteError::Exists {
            path: path.to_owned(),
        });
    }

    // A link is written through, so the file it points at gets the export and the link stays.
    // Renaming over the link itself would replace it, and over /dev/stdout would break the
    // device link for the whole machine.
    let resolved = resolve_links(path);
    let path = resolved.as_path();
    if let Ok(metadata) = std::fs::metadata(path) {
        if !metadata.is_file() {
            return Err(AtomicWriteError::NotRegular {
                path: path.to_owned(),
            });
        }
    }

    let folder = folder_of(path);
    let mut builder = Builder::new();
    builder.prefix(".replenish-export-").suffix(".part");
    // A temporary file is private (0600) by default, but the export is an ordinary file, so it
    // gets the mode File::create gives: 0666 less the umask.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let temporary = builder
        .tempfile_in(&folder)
        .map_err(|source| AtomicWriteError::Create {
            folder: folder.clone(),
            source,
        })?;

    write_and_sync(&temporary, write_content)?;
    persist(temporary, path, overwrite)?;
    sync_folder(&folder);
    Ok(())
}

/// Follows `path` through symbolic links, a few levels deep, to the path they end at, even when
/// that path does not exist yet. Returns `path` itself when it is not a link.
fn resolve_links(path: &Path) -> PathBuf {
    let mut current = path.to_owned();
    for _ in 0..MAX_LINK_DEPTH {
        let Ok(target) = std::fs::read_link(&current) else {
            break;
        };
        current = if target.is_absolute() {
            target
        } else {
            folder_of(&current).join(target)
        };
    }
    current
}

/// Links followed before giving up; a loop of links then fails as a write to the last one.
const MAX_LINK_DEPTH: usize = 16;

/// Returns the folder that `path` is in, `.` for a bare file name.
fn folder_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_owned(),
        _ => PathBuf::from("."),
    }
}

fn write_and_sync<E: std::fmt::Display>(
    temporary: &NamedTempFile,
    write_content: impl FnOnce(&mut BufWriter<&File>) -> Result<(), E>,
) -> Result<(), AtomicWriteError> {
    let write_failed = |source: io::Error| AtomicWriteError::Write {
        path: temporary.path().to_owned(),
        source,
    };

    let mut writer = BufWriter::new(temporary.as_file());
    write_content(&mut writer).map_err(|error| AtomicWriteError::Content(error.to_string()))?;
    writer.flush().map_err(write_failed)?;
    drop(writer);

    // The data must be on disk before the name points at it, or a power cut could leave an
    // empty or partial file under the final name.
    temporary.as_file().sync_all().map_err(write_failed)
}

fn persist(temporary: NamedTempFile, path: &Path, overwrite: bool) -> Result<(), AtomicWriteError> {
    let persisted = if overwrite {
        temporary.persist(path)
    } else {
        temporary.persist_noclobber(path)
    };
    persisted.map(drop).map_err(|error| {
        if error.error.kind() == io::ErrorKind::AlreadyExists {
            AtomicWriteError::Exists {
                path: path.to_owned(),
            }
        } else {
            AtomicWriteError::Write {
                path: path.to_owned(),
                source: error.error,
            }
        }
    })
}

/// Syncs the folder, so the new name survives a power cut. Only Unix can open a folder for this,
/// and a failure only weakens that guarantee, so it is logged and not returned.
fn sync_folder(folder: &Path) {
    #[cfg(unix)]
    if let Err(error) = File::open(folder).and_then(|handle| handle.sync_all()) {
        tracing::warn!(folder = %folder.display(), %error, "cannot sync the folder of the export");
    }
    #[cfg(not(unix))]
    let _ = folder;
}

#[cfg(test)]
mod tests {
    use std::convert::Infallible;

    use super::*;

    fn write_text(path: &Path, overwrite: bool, text: &str) -> Result<(), AtomicWriteError> {
        write_atomically(path, overwrite, |writer| {
            writer.write_all(text.as_bytes())?;
            Ok::<(), io::Error>(())
        })
    }

    fn leftovers(folder: &Path) -> Vec<String> {
        std::fs::read_dir(folder)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|name| name.ends_with(".part"))
            .collect()
    }

    #[test]
    fn new_file_gets_content() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.csv");

        write_text(&path, false, "a,b\r\n").unwrap();

        assert_eq!(std::fs::read_to_string(&path).unwrap(), "a,b\r\n");
        assert!(leftovers(dir.path()).is_empty());
    }

    #[test]
    fn existing_file_is_kept_without_overwrite() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.csv");
        std::fs::write(&path, "old").unwrap();

        let error = write_text(&path, false, "new").unwrap_err();

        assert!(matches!(error, AtomicWriteError::Exists { .. }), "{error}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "old");
        assert!(leftovers(dir.path()).is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn file_gets_ordinary_mode() {
        use std::os::unix::fs::PermissionsExt as _;

        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.csv");
        let ordinary = dir.path().join("ordinary.csv");
        File::create(&ordinary).unwrap();

        write_text(&path, false, "a").unwrap();

        let mode = |path: &Path| path.metadata().unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&path), mode(&ordinary));
    }

    #[test]
    fn overwrite_replaces_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.csv");
        std::fs::write(&path, "old").unwrap();

        write_text(&path, true, "new").unwrap();

        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
    }

    #[test]
    fn failed_content_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.csv");

        let error = write_atomically(&path, false, |writer| {
            writer
                .write_all(b"half")
                .map_err(|error| error.to_string())?;
            Err::<(), String>("the export failed".to_owned())
        })
        .unwrap_err();

        assert!(matches!(error, AtomicWriteError::Content(_)), "{error}");
        assert!(!path.exists());
        assert!(leftovers(dir.path()).is_empty());
    }

    #[test]
    fn missing_folder_is_reported() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("no-such-folder").join("out.csv");

        let error = write_atomically(&path, false, |_| Ok::<(), Infallible>(())).unwrap_err();

        match error {
            AtomicWriteError::Create { folder, .. } => {
                assert_eq!(folder, dir.path().join("no-such-folder"))
            }
            other => panic!("{other}"),
        }
    }

    #[cfg(unix)]
    #[test]
    fn overwrite_writes_through_a_link() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("target.csv");
        let link = dir.path().join("link.csv");
        std::fs::write(&target, "old").unwrap();
        std::os::unix::fs::symlink("target.csv", &link).unwrap();

        write_text(&link, true, "new").unwrap();

        assert!(link.symlink_metadata().unwrap().file_type().is_symlink());
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "new");
        assert!(leftovers(dir.path()).is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn dangling_link_gets_its_target_created() {
        let dir = tempfile::tempdir().unwrap();
        let link = dir.path().join("link.csv");
        std::os::unix::fs::symlink(dir.path().join("later.csv"), &link).unwrap();

        write_text(&link, true, "a").unwrap();

        assert_eq!(
            std::fs::read_to_string(dir.path().join("later.csv")).unwrap(),
            "a"
        );
        assert!(link.symlink_metadata().unwrap().file_type().is_symlink());
    }

    #[cfg(unix)]
    #[test]
    fn device_is_not_replaced() {
        let error = write_text(Path::new("/dev/null"), true, "a").unwrap_err();

        assert!(
            matches!(&error, AtomicWriteError::NotRegular { path } if path == Path::new("/dev/null")),
            "{error}"
        );
        use std::os::unix::fs::FileTypeExt as _;
        assert!(std::fs::metadata("/dev/null")
            .unwrap()
            .file_type()
            .is_char_device());
    }
}
