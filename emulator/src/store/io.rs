//! The store's one door to the file system: every call that acts on the state directory
//! (creating and locking it, listing it, reading, writing, opening, syncing, renaming and
//! removing its files) goes through [`Io`], named by the [`Step`] it is, so that tests inject a
//! fault (an error, a short write, a directory removed under the store) at each step of writing,
//! compacting, opening and healing, and check the promise against each. Only the writer's looks
//! at which directory and log are at the path (their `metadata`) do not: they notice faults,
//! and one that fails reads as the directory or log replaced (503 until a heal succeeds).

use std::fmt;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::Path;
use std::sync::Arc;

/// One kind of file-system call the store makes.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub(crate) enum Step {
    /// Creating the state directory (and its parents) where it is missing.
    MakeDir,
    /// Opening the state directory and taking its `flock`.
    LockDir,
    /// Reading a snapshot or a log whole (opening, compacting).
    Read,
    /// Listing the directory, or looking for one file in it.
    List,
    /// Creating a file to write (a snapshot or a new log, beside its final name).
    Create,
    /// Writing a new file's bytes.
    Write,
    /// Syncing a new file.
    SyncFile,
    /// Renaming a new file over its final name.
    Rename,
    /// Syncing the directory (after a rename or a removal).
    SyncDir,
    /// Removing a log that a snapshot holds.
    Remove,
    /// Opening a log (written whole and renamed in place) to append to it.
    OpenLog,
    /// Appending a group commit to the log.
    Append,
    /// `fdatasync` of the log after an append.
    SyncLog,
    /// Cutting a failed append off the end of the log.
    Truncate,
    /// Writing and syncing a small file to see whether the directory takes writes again.
    Probe,
}

/// What a test makes a step do instead of its work.
#[derive(Clone, Debug)]
#[cfg_attr(not(test), allow(dead_code))] // made by tests only
pub(crate) enum Fault {
    /// The step fails with this error, having done nothing.
    Fail(io::ErrorKind, Option<i32>),
    /// A write puts only this many bytes down, then fails with `ENOSPC`.
    Short(usize),
}

impl Fault {
    fn error(&self) -> io::Error {
        match self {
            Fault::Fail(_, Some(code)) => io::Error::from_raw_os_error(*code),
            Fault::Fail(kind, None) => io::Error::from(*kind),
            Fault::Short(_) => io::Error::from_raw_os_error(ENOSPC),
        }
    }
}

/// `ENOSPC` on Linux (no space left on device).
pub(crate) const ENOSPC: i32 = 28;
/// `EIO` on Linux (input/output error).
#[cfg_attr(not(test), allow(dead_code))]
pub(crate) const EIO: i32 = 5;

/// The state directory, opened ([`Io::lock_dir`]).
#[derive(Debug)]
pub(crate) enum DirLock {
    /// Its `flock`, taken by this descriptor: held as long as the descriptor lives.
    Held(File),
    /// Another descriptor holds its `flock` (another store, in this process or another).
    InUse,
}

/// Decides, before each step, whether it fails (and how): tests only.
type Inject = dyn Fn(Step, &Path) -> Option<Fault> + Send + Sync;

/// The file-system calls of one store (see the [module](self)).
#[derive(Clone, Default)]
pub(crate) struct Io {
    inject: Option<Arc<Inject>>,
}

impl fmt::Debug for Io {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Io")
            .field("injecting", &self.inject.is_some())
            .finish()
    }
}

impl Io {
    /// The real file system, with `inject` asked before every step.
    #[cfg(test)]
    pub(crate) fn injecting(
        inject: impl Fn(Step, &Path) -> Option<Fault> + Send + Sync + 'static,
    ) -> Io {
        Io {
            inject: Some(Arc::new(inject)),
        }
    }

    fn fault(&self, step: Step, path: &Path) -> Option<Fault> {
        self.inject.as_ref().and_then(|inject| inject(step, path))
    }

    fn gate(&self, step: Step, path: &Path) -> io::Result<()> {
        match self.fault(step, path) {
            Some(fault) => Err(fault.error()),
            None => Ok(()),
        }
    }

    /// Creates `dir` and its parents where they are missing.
    pub(crate) fn make_dir(&self, dir: &Path) -> io::Result<()> {
        self.gate(Step::MakeDir, dir)?;
        fs::create_dir_all(dir)
    }

    /// Opens `dir` and takes its `flock` without waiting. The lock is on the directory itself:
    /// no file inside it to remove or replace, and the system drops it when the process ends
    /// (however it ends).
    pub(crate) fn lock_dir(&self, dir: &Path) -> io::Result<DirLock> {
        self.gate(Step::LockDir, dir)?;
        let file = File::open(dir)?;
        match file.try_lock() {
            Ok(()) => Ok(DirLock::Held(file)),
            Err(fs::TryLockError::WouldBlock) => Ok(DirLock::InUse),
            Err(fs::TryLockError::Error(e)) => Err(e),
        }
    }

    /// Opens the log at `path` to append to it.
    pub(crate) fn open_log(&self, path: &Path) -> io::Result<File> {
        self.gate(Step::OpenLog, path)?;
        OpenOptions::new().append(true).open(path)
    }

    pub(crate) fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        self.gate(Step::Read, path)?;
        let mut bytes = Vec::new();
        File::open(path)?.read_to_end(&mut bytes)?;
        Ok(bytes)
    }

    /// Whether `path` is there (a look into its directory: a step of kind [`Step::List`]); an
    /// error is an error, not "missing".
    pub(crate) fn exists(&self, path: &Path) -> io::Result<bool> {
        self.gate(Step::List, path)?;
        path.try_exists()
    }

    pub(crate) fn list(&self, dir: &Path) -> io::Result<Vec<std::ffi::OsString>> {
        self.gate(Step::List, dir)?;
        fs::read_dir(dir)?
            .map(|item| item.map(|i| i.file_name()))
            .collect()
    }

    /// Writes `bytes` to `file` at its end (a step of kind `step`: [`Step::Write`] or
    /// [`Step::Append`]).
    pub(crate) fn write(
        &self,
        step: Step,
        path: &Path,
        file: &mut File,
        bytes: &[u8],
    ) -> io::Result<()> {
        match self.fault(step, path) {
            Some(fault @ Fault::Short(n)) => {
                file.write_all(bytes.get(..n).unwrap_or(bytes))?;
                Err(fault.error())
            }
            Some(fault) => Err(fault.error()),
            None => file.write_all(bytes),
        }
    }

    /// Syncs `file`'s data (`fdatasync` for [`Step::SyncLog`], `fsync` otherwise).
    pub(crate) fn sync(&self, step: Step, path: &Path, file: &File) -> io::Result<()> {
        self.gate(step, path)?;
        if step == Step::SyncLog {
            file.sync_data()
        } else {
            file.sync_all()
        }
    }

    /// A new file readable by its owner only (the state holds the users' passwords).
    pub(crate) fn create(&self, path: &Path) -> io::Result<File> {
        self.gate(Step::Create, path)?;
        let mut options = OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        options.open(path)
    }

    pub(crate) fn rename(&self, from: &Path, to: &Path) -> io::Result<()> {
        self.gate(Step::Rename, from)?;
        fs::rename(from, to)
    }

    pub(crate) fn remove(&self, path: &Path) -> io::Result<()> {
        self.gate(Step::Remove, path)?;
        fs::remove_file(path)
    }

    pub(crate) fn sync_dir(&self, dir: &Path) -> io::Result<()> {
        self.gate(Step::SyncDir, dir)?;
        File::open(dir)?.sync_all()
    }

    /// Cuts `file` back to `len` bytes and syncs it.
    pub(crate) fn truncate(&self, path: &Path, file: &File, len: u64) -> io::Result<()> {
        self.gate(Step::Truncate, path)?;
        file.set_len(len)?;
        file.sync_data()
    }

    /// Whether `dir` takes a small synced write now (the file is removed after).
    pub(crate) fn probe(&self, dir: &Path) -> io::Result<()> {
        let path = dir.join("probe.tmp");
        self.gate(Step::Probe, &path)?;
        let written = (|| {
            let mut file = OpenOptions::new()
                .write(true)
                .create(true)
                .truncate(true)
                .open(&path)?;
            file.write_all(&[1; 4096])?;
            file.sync_all()
        })();
        let removed = fs::remove_file(&path);
        written.and(removed)
    }
}
