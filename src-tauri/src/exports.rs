//! Export files of the History screen: their names, and writing them without overwriting.

use std::fs::{File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use chrono::NaiveDateTime;
use i18n::Language;
use record_store::export::{export_csv, export_xlsx, ExportError, ExportOptions};
use record_store::StoredSession;
use serde::Deserialize;

/// How many numbered names are tried when exports of the same second already exist.
const MAX_NAME_ATTEMPTS: u32 = 100;

/// The file format of an export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ExportFormat {
    Csv,
    Xlsx,
}

impl ExportFormat {
    fn extension(self) -> &'static str {
        match self {
            ExportFormat::Csv => "csv",
            ExportFormat::Xlsx => "xlsx",
        }
    }
}

/// A failure to write an export file.
#[derive(Debug, thiserror::Error)]
pub enum WriteExportError {
    #[error("cannot create the export folder {path}: {source}. Check that it is writable")]
    CreateFolder { path: PathBuf, source: io::Error },

    #[error(
        "cannot create an export file in {folder}: {source}. Check that the folder is writable"
    )]
    CreateFile { folder: PathBuf, source: io::Error },

    #[error("{MAX_NAME_ATTEMPTS} export files of the same second already exist in {folder}")]
    NoFreeName { folder: PathBuf },

    #[error(transparent)]
    Export(#[from] ExportError),
}

/// Returns the name of an export made at the local time `now`, e.g.
/// "补货记录-20240501-143015.csv" or "replenish-records-20240501-143015.xlsx". An `attempt` above 1
/// adds a number, as in "补货记录-20240501-143015-2.csv".
pub fn file_name(
    language: Language,
    format: ExportFormat,
    now: NaiveDateTime,
    attempt: u32,
) -> String {
    let prefix = match language {
        Language::ZhCn => "补货记录",
        Language::En => "replenish-records",
    };
    let stamp = now.format("%Y%m%d-%H%M%S");
    let extension = format.extension();
    if attempt > 1 {
        format!("{prefix}-{stamp}-{attempt}.{extension}")
    } else {
        format!("{prefix}-{stamp}.{extension}")
    }
}

/// Writes `sessions` into a new file in `folder`, which is created if missing, and returns the
/// file's path. Never overwrites a file, and removes its own file when the export fails.
pub fn write_export(
    folder: &Path,
    sessions: &[StoredSession],
    options: &ExportOptions,
    format: ExportFormat,
    now: NaiveDateTime,
) -> Result<PathBuf, WriteExportError> {
    std::fs::create_dir_all(folder).map_err(|source| WriteExportError::CreateFolder {
        path: folder.to_owned(),
        source,
    })?;
    let (path, file) = create_new_file(folder, options.language, format, now)?;

    let written = match format {
        ExportFormat::Csv => {
            let mut writer = BufWriter::new(file);
            export_csv(sessions, options, &mut writer)
                .and_then(|()| writer.flush().map_err(ExportError::from))
                .and_then(|()| writer.get_ref().sync_all().map_err(ExportError::from))
        }
        ExportFormat::Xlsx => {
            // The empty file only reserves the name, and the XLSX writer replaces it.
            drop(file);
            export_xlsx(sessions, options, &path)
        }
    };

    if let Err(error) = written {
        if let Err(remove_error) = std::fs::remove_file(&path) {
            tracing::warn!(path = %path.display(), error = %remove_error, "cannot remove the failed export file");
        }
        return Err(error.into());
    }
    Ok(path)
}

/// Creates a file under the first free export name. Creating with `create_new` reserves the name
/// atomically, so two exports in the same second never write into one file.
fn create_new_file(
    folder: &Path,
    language: Language,
    format: ExportFormat,
    now: NaiveDateTime,
) -> Result<(PathBuf, File), WriteExportError> {
    for attempt in 1..=MAX_NAME_ATTEMPTS {
        let path = folder.join(file_name(language, format, now, attempt));
        match OpenOptions::new().write(true).create_new(true).open(&path) {
            Ok(file) => return Ok((path, file)),
            Err(error) if error.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(source) => {
                return Err(WriteExportError::CreateFile {
                    folder: folder.to_owned(),
                    source,
                })
            }
        }
    }
    Err(WriteExportError::NoFreeName {
        folder: folder.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;

    fn may_first() -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2024, 5, 1)
            .unwrap()
            .and_hms_opt(14, 30, 15)
            .unwrap()
    }

    #[test]
    fn names_follow_language() {
        assert_eq!(
            file_name(Language::ZhCn, ExportFormat::Csv, may_first(), 1),
            "补货记录-20240501-143015.csv"
        );
        assert_eq!(
            file_name(Language::En, ExportFormat::Xlsx, may_first(), 1),
            "replenish-records-20240501-143015.xlsx"
        );
        assert_eq!(
            file_name(Language::ZhCn, ExportFormat::Csv, may_first(), 2),
            "补货记录-20240501-143015-2.csv"
        );
    }

    #[test]
    fn same_second_gets_new_name() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("exports");
        let options = ExportOptions::default();

        let first = write_export(&folder, &[], &options, ExportFormat::Csv, may_first()).unwrap();
        let second = write_export(&folder, &[], &options, ExportFormat::Csv, may_first()).unwrap();

        assert_ne!(first, second);
        assert!(
            second.ends_with("补货记录-20240501-143015-2.csv"),
            "{second:?}"
        );
        let bytes = std::fs::read(&first).unwrap();
        assert!(
            bytes.starts_with("\u{feff}补货时间".as_bytes()),
            "{bytes:?}"
        );
    }

    #[test]
    fn xlsx_is_a_zip_file() {
        let dir = tempfile::tempdir().unwrap();
        let options = ExportOptions {
            language: Language::En,
            ..ExportOptions::default()
        };

        let path =
            write_export(dir.path(), &[], &options, ExportFormat::Xlsx, may_first()).unwrap();

        assert!(path.ends_with("replenish-records-20240501-143015.xlsx"));
        let bytes = std::fs::read(&path).unwrap();
        assert!(bytes.starts_with(b"PK"), "not a ZIP container");
    }
}
