use std::fs::{self, File, OpenOptions};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::SystemTime;

use bytes::Bytes;
use image::ImageFormat;
use tracing::{debug, info, warn};

use crate::jpeg_end::has_end_of_image;
use crate::lru::ByteLru;
use crate::thumb::{content_type_for, extension_for};
use crate::{Thumb, ThumbError, CONTENT_TYPE_PNG};

/// Length of a hex SHA-256 cache key.
const KEY_LENGTH: usize = 64;

/// Name suffix of files that are still being written.
const TEMP_SUFFIX: &str = ".part";

/// Thumbnail files named `<key>.jpg` or `<key>.png`, bounded by total size with LRU eviction.
///
/// The use order lives in memory and in the files' modification times, which a hit updates, so
/// that it survives a restart.
#[derive(Debug)]
pub(crate) struct DiskCache {
    dir: PathBuf,
    /// Key to content type, sized by file length.
    index: Mutex<ByteLru<&'static str>>,
    temp_counter: AtomicU64,
}

impl DiskCache {
    /// Creates `dir` when missing, deletes temp files left by a crash and indexes the thumbnail
    /// files, oldest first. Files over `max_bytes` are evicted at once.
    pub(crate) fn open(dir: &Path, max_bytes: u64) -> Result<Self, ThumbError> {
        fs::create_dir_all(dir).map_err(|error| ThumbError::io("create", dir, &error))?;
        let entries = fs::read_dir(dir).map_err(|error| ThumbError::io("list", dir, &error))?;

        let mut files = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|error| ThumbError::io("list", dir, &error))?;
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();

            if is_temp_file_name(&name) {
                remove_file_logged(&path, "left from an interrupted write");
                continue;
            }
            let Some((key, content_type)) = parse_file_name(&name) else {
                continue;
            };
            let Ok(metadata) = entry.metadata() else {
                continue;
            };
            let modified = metadata.modified().unwrap_or(SystemTime::UNIX_EPOCH);
            files.push((modified, key, content_type, metadata.len()));
        }
        files.sort();

        let cache = Self {
            dir: dir.to_owned(),
            index: Mutex::new(ByteLru::new(max_bytes)),
            temp_counter: AtomicU64::new(0),
        };

        let mut evicted = Vec::new();
        for (_, key, content_type, size) in files {
            evicted.extend(cache.lock_index().insert(key, content_type, size));
        }
        cache.remove_evicted(evicted);

        let index = cache.lock_index();
        info!(
            dir = %dir.display(),
            files = index.len(),
            bytes = index.total_bytes(),
            max_bytes,
            "opened thumbnail disk cache"
        );
        drop(index);

        Ok(cache)
    }

    /// Reads the thumbnail of `key`, or returns `None` when it is not stored or its file is
    /// missing or damaged. A damaged file is deleted.
    pub(crate) async fn load(self: &Arc<Self>, key: &str) -> Option<Thumb> {
        let content_type = *self.lock_index().get(key)?;
        let path = self.file_path(key, content_type);

        let read_path = path.clone();
        let read = tokio::task::spawn_blocking(move || read_and_touch(&read_path)).await;

        let bytes = match read {
            Ok(Ok(bytes)) => bytes,
            Ok(Err(error)) => {
                warn!(path = %path.display(), %error, "failed to read cached thumbnail; fetching it again");
                self.forget(key, &path);
                return None;
            }
            Err(error) => {
                warn!(path = %path.display(), %error, "cache read task failed; fetching the thumbnail again");
                return None;
            }
        };

        if !is_complete_file(&bytes, content_type) {
            warn!(path = %path.display(), "cached thumbnail is damaged; deleting it and fetching again");
            self.forget(key, &path);
            return None;
        }

        Some(Thumb {
            bytes: Bytes::from(bytes),
            content_type,
        })
    }

    /// Writes the thumbnail of `key` through a temp file and a rename, so that a crash leaves
    /// either no file or a whole one, then evicts the least recently used files over the cap.
    pub(crate) async fn store(
        self: &Arc<Self>,
        key: &str,
        thumb: &Thumb,
    ) -> Result<(), ThumbError> {
        let path = self.file_path(key, thumb.content_type);
        let temp_path = self.temp_path(key);

        let bytes = thumb.bytes.clone();
        let write_path = path.clone();
        tokio::task::spawn_blocking(move || write_atomically(&temp_path, &write_path, &bytes))
            .await
            .map_err(|error| ThumbError::Io {
                action: "write",
                path: path.clone(),
                cause: error.to_string(),
            })??;

        let size = thumb.bytes.len() as u64;
        let (previous, evicted) = {
            let mut index = self.lock_index();
            let previous = index.remove(key);
            let evicted = index.insert(key.to_owned(), thumb.content_type, size);
            (previous, evicted)
        };

        // A picture that changed between opaque and transparent leaves its old file behind.
        if let Some(old_type) = previous.filter(|&old_type| old_type != thumb.content_type) {
            remove_file_logged(&self.file_path(key, old_type), "replaced by another format");
        }

        if !evicted.is_empty() {
            let this = Arc::clone(self);
            let _ = tokio::task::spawn_blocking(move || this.remove_evicted(evicted)).await;
        }
        Ok(())
    }

    /// Marks `key` as recently used after a memory hit, in the in-memory order only, because
    /// touching the file on every hit would cost a blocking call per card.
    pub(crate) fn touch(&self, key: &str) {
        self.lock_index().get(key);
    }

    fn remove_evicted(&self, evicted: Vec<(String, &'static str)>) {
        for (key, content_type) in evicted {
            remove_file_logged(
                &self.file_path(&key, content_type),
                "evicted over the size cap",
            );
        }
    }

    fn forget(&self, key: &str, path: &Path) {
        self.lock_index().remove(key);
        remove_file_logged(path, "unreadable");
    }

    fn file_path(&self, key: &str, content_type: &str) -> PathBuf {
        self.dir
            .join(format!("{key}.{}", extension_for(content_type)))
    }

    fn temp_path(&self, key: &str) -> PathBuf {
        let serial = self.temp_counter.fetch_add(1, Ordering::Relaxed);
        let process = std::process::id();
        self.dir
            .join(format!("{key}.{process}-{serial}{TEMP_SUFFIX}"))
    }

    fn lock_index(&self) -> MutexGuard<'_, ByteLru<&'static str>> {
        // The index stays consistent even if a holder panicked, because every update is one call.
        self.index
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// Splits `<key>.<jpg|png>` into key and content type.
fn parse_file_name(name: &str) -> Option<(String, &'static str)> {
    let (key, extension) = name.split_once('.')?;
    if !is_cache_key(key) {
        return None;
    }
    Some((key.to_owned(), content_type_for(extension)?))
}

/// Matches the temp files of [`DiskCache::temp_path`], `<key>.<process>-<serial>.part`.
fn is_temp_file_name(name: &str) -> bool {
    let Some((key, _)) = name.split_once('.') else {
        return false;
    };
    is_cache_key(key) && name.ends_with(TEMP_SUFFIX)
}

fn is_cache_key(text: &str) -> bool {
    text.len() == KEY_LENGTH && text.bytes().all(|byte| byte.is_ascii_hexdigit())
}

/// Reads a cached file and sets its modification time to now, which marks it as recently used
/// for the next start.
fn read_and_touch(path: &Path) -> std::io::Result<Vec<u8>> {
    // Write access is needed to set file times on Windows.
    let mut file = OpenOptions::new().read(true).write(true).open(path)?;
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes)?;

    if let Err(error) = file.set_modified(SystemTime::now()) {
        debug!(path = %path.display(), %error, "failed to update the use time of a cached thumbnail");
    }
    Ok(bytes)
}

/// Checks the magic bytes, and for JPEG the end marker, without decoding.
fn is_complete_file(bytes: &[u8], content_type: &str) -> bool {
    let expected = if content_type == CONTENT_TYPE_PNG {
        ImageFormat::Png
    } else {
        ImageFormat::Jpeg
    };

    match image::guess_format(bytes) {
        Ok(ImageFormat::Jpeg) => expected == ImageFormat::Jpeg && has_end_of_image(bytes),
        Ok(format) => format == expected,
        Err(_) => false,
    }
}

fn write_atomically(temp_path: &Path, path: &Path, bytes: &[u8]) -> Result<(), ThumbError> {
    let result = write_and_rename(temp_path, path, bytes);

    if result.is_err() {
        let _ = fs::remove_file(temp_path);
    }
    result
}

fn write_and_rename(temp_path: &Path, path: &Path, bytes: &[u8]) -> Result<(), ThumbError> {
    let mut file =
        File::create(temp_path).map_err(|error| ThumbError::io("create", temp_path, &error))?;
    file.write_all(bytes)
        .map_err(|error| ThumbError::io("write", temp_path, &error))?;

    // Without the flush to disk, a power loss after the rename can leave an empty file under the
    // final name.
    file.sync_all()
        .map_err(|error| ThumbError::io("flush", temp_path, &error))?;
    drop(file);

    fs::rename(temp_path, path).map_err(|error| ThumbError::io("rename", temp_path, &error))
}

fn remove_file_logged(path: &Path, reason: &str) {
    match fs::remove_file(path) {
        Ok(()) => debug!(path = %path.display(), reason, "deleted cache file"),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
        Err(error) => warn!(path = %path.display(), reason, %error, "failed to delete cache file"),
    }
}
