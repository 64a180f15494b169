//! The frame journal: every received frame, on disk before it is processed.
//!
//! Each session has one file, `journal/session-ID.jsonl`, with one JSON object per line:
//! `{"received_at_ms":1714550400000,"frame":"..."}`. JSON escapes line breaks inside a frame, so a
//! record is always one line. A crash during a write can leave a torn last line, which reading
//! skips: its frame was never processed, because processing starts only after the append returns.

use std::fs::{self, File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use crate::error::JournalError;
use crate::session::SessionId;

/// The folder inside the data folder that contains the journals.
pub(crate) const JOURNAL_DIR: &str = "journal";

/// The folder inside the journal folder for journals of sessions the database does not contain.
pub(crate) const ORPHANED_DIR: &str = "orphaned";

const FILE_PREFIX: &str = "session-";
const FILE_SUFFIX: &str = ".jsonl";
const LOCK_SUFFIX: &str = ".lock";

/// Proof that this process runs a session: an exclusive lock on `journal/session-ID.lock`.
///
/// Recovery skips a session whose lock another process has taken, because that process is alive
/// and still running it. The operating system releases the lock when a process dies, however it dies.
#[derive(Debug)]
pub struct SessionLock {
    path: PathBuf,
    file: File,
}

impl Drop for SessionLock {
    fn drop(&mut self) {
        // Removing the file first keeps an ended session from leaving lock files behind. A
        // process that opened the file meanwhile finds the session ended in the database.
        let _ = fs::remove_file(&self.path);
        let _ = self.file.unlock();
    }
}

/// The append-only journals of the sessions in progress.
#[derive(Debug, Clone)]
pub struct Journal {
    dir: PathBuf,
}

/// One journaled frame.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JournalEntry {
    /// When the frame arrived, in ms since the Unix epoch.
    pub received_at_ms: u64,
    /// The frame text, already scrubbed of the token by the caller.
    pub frame: String,
}

impl Journal {
    /// Opens the journal folder `data_dir/journal`, creating it if missing.
    pub fn open(data_dir: &Path) -> Result<Journal, JournalError> {
        let dir = data_dir.join(JOURNAL_DIR);
        fs::create_dir_all(&dir).map_err(|source| {
            tracing::error!(path = %dir.display(), error = %source, "cannot create the journal folder");
            JournalError::CreateDir {
                path: dir.clone(),
                source,
            }
        })?;

        tracing::info!(path = %dir.display(), "opened the frame journal");
        Ok(Journal { dir })
    }

    /// Returns the journal folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Returns the path of the journal of `session`.
    pub fn path_of(&self, session: SessionId) -> PathBuf {
        self.dir
            .join(format!("{FILE_PREFIX}{}{FILE_SUFFIX}", session.0))
    }

    /// Appends a frame received now and syncs it to disk. Call it before processing the frame.
    ///
    /// `frame_text` must already be scrubbed of the token: the journal writes it as given.
    pub fn append(&self, session: SessionId, frame_text: &str) -> Result<(), JournalError> {
        self.append_at(session, frame_text, now_ms())
    }

    /// Appends a frame received at `received_at_ms` and syncs it to disk.
    pub fn append_at(
        &self,
        session: SessionId,
        frame_text: &str,
        received_at_ms: u64,
    ) -> Result<(), JournalError> {
        let path = self.path_of(session);
        let entry = JournalEntry {
            received_at_ms,
            frame: frame_text.to_owned(),
        };
        // Serializing a number and a string into JSON cannot fail.
        let mut record = serde_json::to_string(&entry).unwrap_or_default();
        record.push('\n');

        append_record(&path, &record).map_err(|source| {
            tracing::error!(session = %session, path = %path.display(), error = %source, "cannot journal a frame");
            JournalError::Append { path, source }
        })
    }

    /// Reads the journaled frames of `session` in the order they arrived. A missing journal reads
    /// as no frames. Unreadable lines are skipped and counted in the second value.
    pub fn read(&self, session: SessionId) -> Result<(Vec<JournalEntry>, usize), JournalError> {
        let path = self.path_of(session);
        let bytes = match fs::read(&path) {
            Ok(bytes) => bytes,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                return Ok((Vec::new(), 0))
            }
            Err(source) => {
                tracing::error!(path = %path.display(), error = %source, "cannot read a journal");
                return Err(JournalError::Read { path, source });
            }
        };

        let mut entries = Vec::new();
        let mut unreadable = 0;
        for (index, line) in bytes.split(|byte| *byte == b'\n').enumerate() {
            if line.is_empty() {
                continue;
            }
            match serde_json::from_slice::<JournalEntry>(line) {
                Ok(entry) => entries.push(entry),
                Err(error) => {
                    unreadable += 1;
                    tracing::warn!(
                        path = %path.display(),
                        line = index + 1,
                        error = %error,
                        "skipping an unreadable journal line, most likely torn by a crash"
                    );
                }
            }
        }
        Ok((entries, unreadable))
    }

    /// Removes the journal of `session`. Call it once the session's ending is stored. A missing
    /// journal is not an error.
    pub fn remove(&self, session: SessionId) -> Result<(), JournalError> {
        let path = self.path_of(session);
        match fs::remove_file(&path) {
            Ok(()) => {
                tracing::debug!(session = %session, "removed a journal");
                Ok(())
            }
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(source) => {
                tracing::error!(session = %session, path = %path.display(), error = %source, "cannot remove a journal");
                Err(JournalError::Remove { path, source })
            }
        }
    }

    fn lock_path_of(&self, session: SessionId) -> PathBuf {
        self.dir
            .join(format!("{FILE_PREFIX}{}{LOCK_SUFFIX}", session.0))
    }

    /// Takes the lock that marks `session` as running in this process. Hold it until the
    /// session's ending is stored.
    pub fn hold(&self, session: SessionId) -> Result<SessionLock, JournalError> {
        let path = self.lock_path_of(session);
        let lock_error = |source| JournalError::Lock {
            path: path.clone(),
            source,
        };
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(lock_error)?;
        file.try_lock().map_err(|error| match error {
            fs::TryLockError::WouldBlock => lock_error(std::io::Error::other(
                "the session is locked by another process",
            )),
            fs::TryLockError::Error(source) => lock_error(source),
        })?;
        Ok(SessionLock { path, file })
    }

    /// Returns true when another live process holds the lock of `session`, so the session is
    /// running there and must not be recovered. A missing or unlockable file counts as not held.
    pub fn is_held_elsewhere(&self, session: SessionId) -> bool {
        let Ok(file) = OpenOptions::new()
            .write(true)
            .open(self.lock_path_of(session))
        else {
            return false;
        };
        match file.try_lock() {
            Ok(()) => {
                let _ = file.unlock();
                false
            }
            Err(fs::TryLockError::WouldBlock) => true,
            Err(fs::TryLockError::Error(error)) => {
                tracing::warn!(session = %session, %error, "cannot test the session lock, treating the session as stopped");
                false
            }
        }
    }

    /// Removes the lock file of a session that recovery finished, if one was left behind.
    pub(crate) fn remove_lock(&self, session: SessionId) {
        let _ = fs::remove_file(self.lock_path_of(session));
    }

    /// Lists the sessions that have a journal, in id order. Other files are ignored.
    pub fn sessions(&self) -> Result<Vec<SessionId>, JournalError> {
        let list_error = |source| JournalError::List {
            path: self.dir.clone(),
            source,
        };

        let mut sessions = Vec::new();
        for entry in fs::read_dir(&self.dir).map_err(list_error)? {
            let entry = entry.map_err(list_error)?;
            let name = entry.file_name();
            let Some(id) = name.to_str().and_then(parse_file_name) else {
                continue;
            };
            if entry.file_type().map_err(list_error)?.is_file() {
                sessions.push(SessionId(id));
            }
        }
        sessions.sort();
        Ok(sessions)
    }

    /// Moves the journal of `session` to `journal/orphaned/`, where it is kept but never appended
    /// to or replayed again. Returns the new path.
    pub(crate) fn set_aside(&self, session: SessionId) -> Result<PathBuf, JournalError> {
        let from = self.path_of(session);
        let orphaned = self.dir.join(ORPHANED_DIR);
        fs::create_dir_all(&orphaned).map_err(|source| JournalError::CreateDir {
            path: orphaned.clone(),
            source,
        })?;

        // The time in the name keeps an earlier orphan with the same id.
        let to = orphaned.join(format!(
            "{FILE_PREFIX}{}-{}{FILE_SUFFIX}",
            session.0,
            now_ms()
        ));
        fs::rename(&from, &to).map_err(|source| JournalError::Move {
            from: from.clone(),
            to: to.clone(),
            source,
        })?;
        Ok(to)
    }
}

/// Appends one record and syncs it, first closing a torn last line so the new record stays
/// readable.
fn append_record(path: &Path, record: &str) -> std::io::Result<()> {
    let mut file = OpenOptions::new()
        .create(true)
        .read(true)
        .append(true)
        .open(path)?;

    let length = file.metadata()?.len();
    let created = length == 0;
    if !created && !ends_with_newline(&mut file)? {
        file.write_all(b"\n")?;
    }

    file.write_all(record.as_bytes())?;
    file.sync_data()?;

    if created {
        sync_parent_dir(path)?;
    }
    Ok(())
}

fn ends_with_newline(file: &mut File) -> std::io::Result<bool> {
    let mut last = [0u8; 1];
    file.seek(SeekFrom::End(-1))?;
    file.read_exact(&mut last)?;
    Ok(last[0] == b'\n')
}

/// Syncs the folder, so a new file's name survives a power loss along with its content.
#[cfg(unix)]
fn sync_parent_dir(path: &Path) -> std::io::Result<()> {
    match path.parent() {
        Some(dir) => File::open(dir)?.sync_all(),
        None => Ok(()),
    }
}

/// Does nothing, because the standard library cannot open a folder for syncing on Windows.
///
/// NOTE: on Windows a power loss right after a journal file was created may lose its name, and
/// with it the first frame, until NTFS has flushed its own log. No test covers this.
#[cfg(not(unix))]
fn sync_parent_dir(_path: &Path) -> std::io::Result<()> {
    Ok(())
}

fn parse_file_name(name: &str) -> Option<i64> {
    name.strip_prefix(FILE_PREFIX)?
        .strip_suffix(FILE_SUFFIX)?
        .parse()
        .ok()
}

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|elapsed| elapsed.as_millis() as u64)
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn append_then_read_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let journal = Journal::open(dir.path()).unwrap();
        let session = SessionId(7);

        journal
            .append_at(session, "{\"type\":\"door\"}", 10)
            .unwrap();
        journal
            .append_at(session, "{\"type\":\"final\",\n\"data\":{}}", 20)
            .unwrap();

        let (entries, unreadable) = journal.read(session).unwrap();
        assert_eq!(unreadable, 0);
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[0].received_at_ms, 10);
        assert_eq!(entries[1].frame, "{\"type\":\"final\",\n\"data\":{}}");
        assert_eq!(journal.sessions().unwrap(), vec![session]);
    }

    #[test]
    fn torn_line_is_skipped_and_closed() {
        let dir = tempfile::tempdir().unwrap();
        let journal = Journal::open(dir.path()).unwrap();
        let session = SessionId(3);
        journal.append_at(session, "first", 1).unwrap();

        let mut file = OpenOptions::new()
            .append(true)
            .open(journal.path_of(session))
            .unwrap();
        file.write_all(b"{\"received_at_ms\":2,\"fra").unwrap();
        drop(file);
        journal.append_at(session, "third", 3).unwrap();

        let (entries, unreadable) = journal.read(session).unwrap();
        assert_eq!(unreadable, 1);
        let frames: Vec<&str> = entries.iter().map(|entry| entry.frame.as_str()).collect();
        assert_eq!(frames, vec!["first", "third"]);
    }

    #[test]
    fn missing_journal_reads_empty() {
        let dir = tempfile::tempdir().unwrap();
        let journal = Journal::open(dir.path()).unwrap();
        assert_eq!(journal.read(SessionId(1)).unwrap(), (Vec::new(), 0));
        journal.remove(SessionId(1)).unwrap();
    }

    #[test]
    fn other_files_are_not_sessions() {
        let dir = tempfile::tempdir().unwrap();
        let journal = Journal::open(dir.path()).unwrap();
        fs::write(journal.dir().join("notes.txt"), "x").unwrap();
        fs::write(journal.dir().join("session-x.jsonl"), "x").unwrap();
        journal.append_at(SessionId(12), "a", 1).unwrap();
        journal.append_at(SessionId(2), "b", 1).unwrap();
        assert_eq!(
            journal.sessions().unwrap(),
            vec![SessionId(2), SessionId(12)]
        );
    }
}
