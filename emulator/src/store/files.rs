//! The state directory and its files: making and locking the directory, listing the logs,
//! reading a file whole, making a new log, writing a new file synced, removing folded logs.

use std::fs::File;
use std::path::{Path, PathBuf};

use super::format::{self, Link, LOG_MAGIC};
use super::io::{DirLock, Io, Step};
use super::{StoreError, LOG_PREFIX};

/// Creates the state directory `dir` (and its parents) where it is missing.
pub(super) fn make_dir(io: &Io, dir: &Path) -> Result<(), StoreError> {
    io.make_dir(dir).map_err(StoreError::io("create", dir))
}

/// Opens `dir` and takes its `flock`, held as long as the file returned lives;
/// [`StoreError::InUse`] when another store holds it.
pub(super) fn lock_dir(io: &Io, dir: &Path) -> Result<File, StoreError> {
    match io.lock_dir(dir).map_err(StoreError::io("lock", dir))? {
        DirLock::Held(file) => Ok(file),
        DirLock::InUse => Err(StoreError::InUse(dir.to_owned())),
    }
}

pub(super) fn list_logs(io: &Io, dir: &Path) -> Result<Vec<(u64, PathBuf)>, StoreError> {
    let mut logs = Vec::new();
    for name in io.list(dir).map_err(StoreError::io("list", dir))? {
        let Some(generation) = name
            .to_str()
            .and_then(|n| n.strip_prefix(LOG_PREFIX))
            .filter(|g| !g.is_empty() && g.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|g| g.parse::<u64>().ok())
        else {
            continue;
        };
        logs.push((generation, dir.join(name)));
    }
    logs.sort();
    Ok(logs)
}

pub(super) fn read_file(io: &Io, path: &Path) -> Result<Vec<u8>, StoreError> {
    io.read(path).map_err(StoreError::io("read", path))
}

/// A file's size from the bytes read or written.
pub(super) fn byte_count(bytes: &[u8]) -> u64 {
    u64::try_from(bytes.len()).unwrap_or(u64::MAX)
}

/// Removes `logs` (their changes are in a snapshot on disk), then syncs the directory.
pub(super) fn remove_logs<'a>(
    io: &Io,
    dir: &Path,
    logs: impl IntoIterator<Item = &'a PathBuf>,
) -> Result<(), StoreError> {
    for path in logs {
        io.remove(path).map_err(StoreError::io("remove", path))?;
    }
    io.sync_dir(dir).map_err(StoreError::io("sync", dir))
}

/// A new, empty log of `generation` continuing the log `follows` ([`Link::START`]: it starts on
/// the snapshot), replacing one of that name, synced with its directory.
pub(super) fn create_log(
    io: &Io,
    dir: &Path,
    generation: u64,
    follows: Link,
) -> Result<PathBuf, StoreError> {
    let path = log_path(dir, generation);
    let tmp = dir.join(format!("{LOG_PREFIX}{generation}.tmp"));
    write_synced(io, &tmp, &format::header(LOG_MAGIC, generation, follows))?;
    io.rename(&tmp, &path)
        .map_err(StoreError::io("rename", &tmp))?;
    io.sync_dir(dir).map_err(StoreError::io("sync", dir))?;
    Ok(path)
}

/// Where the log of `generation` lives in `dir`.
pub(super) fn log_path(dir: &Path, generation: u64) -> PathBuf {
    dir.join(format!("{LOG_PREFIX}{generation}"))
}

pub(super) fn write_synced(io: &Io, path: &Path, bytes: &[u8]) -> Result<(), StoreError> {
    let mut file = io.create(path).map_err(StoreError::io("create", path))?;
    io.write(Step::Write, path, &mut file, bytes)
        .and_then(|()| io.sync(Step::SyncFile, path, &file))
        .map_err(StoreError::io("write", path))
}
