//! Compaction while the server runs: once the log being written has grown past the snapshot
//! (and past [`Compaction::min_log_bytes`]), the writer thread moves to a new log and a thread of
//! its own folds the logs before it into a new snapshot, exactly as opening the directory would.
//! See the [store](super) for the steps and why a crash at any of them loses nothing.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::thread::JoinHandle;

use super::format::Link;
use smartag_rules::Account;

use super::files::{create_log, list_logs, remove_logs};
use super::io::Io;
use super::replay::replay_logs;
use super::snapshot::{read_snapshot, write_snapshot, Snapshot};
use super::{format, StoreError, SNAPSHOT};

/// When the running server compacts its state directory: once the log it writes holds more bytes
/// than the snapshot and at least [`min_log_bytes`](Compaction::min_log_bytes).
///
/// ```
/// use smartag_emulator::store::Compaction;
///
/// assert_eq!(Compaction::default().min_log_bytes, 16 * 1024 * 1024);
/// // As soon as the log outgrows the snapshot:
/// assert_eq!(Compaction::with_min_log_bytes(1).min_log_bytes, 1);
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[non_exhaustive]
pub struct Compaction {
    /// The fewest log bytes worth a compaction, however small the snapshot: a small state is
    /// not rewritten every few requests.
    pub min_log_bytes: u64,
}

impl Compaction {
    /// Compacts once the log outgrows the snapshot and holds at least `min_log_bytes`.
    pub const fn with_min_log_bytes(min_log_bytes: u64) -> Compaction {
        Compaction { min_log_bytes }
    }

    /// Whether logs of `log_bytes` beside a snapshot of `snapshot_bytes` are due a compaction.
    pub(crate) fn due(self, log_bytes: u64, snapshot_bytes: u64) -> bool {
        log_bytes >= snapshot_bytes.max(self.min_log_bytes)
    }
}

impl Default for Compaction {
    /// 16 MiB: about 80,000 created users, replayed in well under a second at the next start.
    fn default() -> Compaction {
        Compaction {
            min_log_bytes: 16 * 1024 * 1024,
        }
    }
}

/// The writer thread's side of compaction: counts what it writes, starts a new log and a
/// compaction when the log is due one, and waits for the compaction when the writer stops.
pub(crate) struct Compactor {
    io: Io,
    dir: PathBuf,
    seed: u64,
    policy: Compaction,
    /// The generation of the log being written.
    generation: u64,
    log_bytes: u64,
    snapshot_bytes: u64,
    running: Option<JoinHandle<Result<u64, StoreError>>>,
    /// A compaction failed: none is tried again in this run (the logs keep every change).
    stopped: bool,
}

impl Compactor {
    /// For the log of `generation` just created in `dir` beside a snapshot of `snapshot_bytes`,
    /// after `kept_bytes` of older logs that the snapshot does not hold yet.
    pub(crate) fn new(
        io: Io,
        dir: PathBuf,
        seed: u64,
        policy: Compaction,
        generation: u64,
        kept_bytes: u64,
        snapshot_bytes: u64,
    ) -> Compactor {
        Compactor {
            io,
            dir,
            seed,
            policy,
            generation,
            log_bytes: kept_bytes.saturating_add(format::HEADER_LEN as u64),
            snapshot_bytes,
            running: None,
            stopped: false,
        }
    }

    fn due(&self) -> bool {
        !self.stopped && self.policy.due(self.log_bytes, self.snapshot_bytes)
    }

    /// Told that `bytes` more are on disk in the log (now `log_len` long): the new log to write
    /// to from now on (its
    /// file, path and generation), when a compaction starts; `None` to go on with the same one;
    /// an error when the new log could not be made (the old one goes on).
    pub(crate) fn wrote(
        &mut self,
        bytes: usize,
        log_len: u64,
    ) -> Option<Result<(File, PathBuf, u64), String>> {
        self.log_bytes = self
            .log_bytes
            .saturating_add(u64::try_from(bytes).unwrap_or(u64::MAX));
        if !self.due() || self.running.as_ref().is_some_and(|r| !r.is_finished()) {
            return None;
        }
        self.finish();
        if !self.due() {
            return None;
        }
        let Some(next) = self.generation.checked_add(1) else {
            self.stopped_by("the log generation cannot grow any more");
            return None;
        };
        let follows = Link {
            generation: self.generation,
            len: log_len,
        };
        let opened = create_log(&self.io, &self.dir, next, follows).and_then(|path| {
            self.io
                .open_log(&path)
                .map(|file| (file, path.clone()))
                .map_err(StoreError::io("open", &path))
        });
        let (file, path) = match opened {
            Ok(opened) => opened,
            Err(e) => {
                self.stopped_by(&e.to_string());
                return Some(Err(e.to_string()));
            }
        };
        let (io, dir, seed) = (self.io.clone(), self.dir.clone(), self.seed);
        let spawned = std::thread::Builder::new()
            .name("state-compaction".into())
            .spawn(move || compact(&io, &dir, seed, next));
        self.generation = next;
        self.log_bytes = format::HEADER_LEN as u64;
        match spawned {
            Ok(running) => self.running = Some(running),
            // The new log is in place: the logs before it wait for the next start.
            Err(e) => self.stopped_by(&e.to_string()),
        }
        Some(Ok((file, path, next)))
    }

    /// The writer healed onto a new snapshot of `generation` (`snapshot_bytes` long) and an
    /// empty log of that generation: count from there, and compact again when due.
    pub(crate) fn restart(&mut self, generation: u64, snapshot_bytes: u64) {
        self.finish();
        self.generation = generation;
        self.log_bytes = format::HEADER_LEN as u64;
        self.snapshot_bytes = snapshot_bytes;
        self.stopped = false;
    }

    /// Waits for the compaction under way, if any, and takes its outcome.
    pub(crate) fn finish(&mut self) {
        let Some(running) = self.running.take() else {
            return;
        };
        match running.join() {
            Ok(Ok(snapshot_bytes)) => {
                self.snapshot_bytes = snapshot_bytes;
                tracing::info!(
                    dir = %self.dir.join(SNAPSHOT).display(),
                    snapshot_bytes,
                    "state: compacted the log into a new snapshot"
                );
            }
            Ok(Err(e)) => self.stopped_by(&e.to_string()),
            Err(_) => self.stopped_by("the compaction thread panicked"),
        }
    }

    fn stopped_by(&mut self, reason: &str) {
        self.stopped = true;
        tracing::error!(
            dir = %self.dir.display(),
            %reason,
            "state: compaction failed; none is tried again in this run (the logs keep every \
             change, and the next start compacts them)"
        );
    }
}

impl Drop for Compactor {
    /// Lets a compaction under way finish, so that the directory is left to the next opener
    /// with no thread still writing in it.
    fn drop(&mut self) {
        self.finish();
    }
}

/// Folds the snapshot and every log of a generation before `generation` (all complete: the
/// writer has moved on to the log of `generation`) into a snapshot of `generation`, then removes
/// those logs: the size of the new snapshot.
pub(super) fn compact(io: &Io, dir: &Path, seed: u64, generation: u64) -> Result<u64, StoreError> {
    let Snapshot {
        mut accounts,
        generation: from,
        ..
    } = read_snapshot(io, &dir.join(SNAPSHOT))?;
    let logs = list_logs(io, dir)?;
    let folded: Vec<&(u64, PathBuf)> = logs.iter().filter(|(g, _)| *g < generation).collect();
    replay_logs(io, folded.iter().copied(), from, false, &mut accounts)?;
    let all: Vec<(&str, &Account)> = accounts.iter().map(|(k, a)| (k.as_str(), a)).collect();
    let snapshot_bytes = write_snapshot(io, dir, generation, seed, &all)?;
    remove_logs(io, dir, folded.into_iter().map(|(_, p)| p))?;
    Ok(snapshot_bytes)
}
