//! Group commit, and what happens when the disk says no.
//!
//! One thread owns the log file. Changes are numbered as they are queued (in the order the
//! accounts' locks handed them over); each round takes everything queued (up to [`MAX_BATCH`]
//! bytes), writes it as one record, calls `fdatasync` once, checks that the directory and the log
//! are still the ones it opened (device and inode), and hands the round to a second thread, which
//! applies its changes to the durable accounts and only then publishes that they are durable,
//! while the writer goes on with the next round: a waiter's answer leaves after that, and reads
//! answer from the durable accounts, so no request sees a change before it is on disk.
//!
//! A failed write or sync (or a directory found removed or replaced) fails that round and every
//! change queued behind it, and refuses new ones: each is *lost*, its waiter answers 503, and the
//! gateway rebuilds the account it was decided on from the durable one. The thread cuts the
//! failed record off the log at once, then tries to heal at least once a second: the same
//! directory and log take a probe write again (space was freed), or the directory at the path is
//! a new one (it was removed or replaced), which gets a snapshot of every durable account and a
//! new log. Then writes are accepted again, without a restart, and nothing acknowledged is lost.

use std::collections::BTreeMap;
use std::fs::File;
use std::ops::RangeInclusive;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;
use std::time::Duration;

use smartag_rules::Account;
use tokio::sync::watch;

use super::files::{create_log, lock_dir, log_path, make_dir};
use super::io::{Io, Step};
use super::replay::apply_change;
use super::snapshot::write_snapshot;
use super::{format, ChangeIn, Compactor, StoreError};

/// The most entry bytes one record takes (a larger single entry gets a record of its own).
const MAX_BATCH: usize = 1 << 20;
/// How many times a round looks again for entries still arriving before it is written.
const GATHER_PASSES: usize = 8;
/// How often an idle writer checks the directory (and a failed one tries to heal).
const CHECK_EVERY: Duration = Duration::from_millis(250);

/// Why a change could not be made durable: it was answered 503, is not on disk, and no request
/// saw it.
#[derive(Clone, Debug, thiserror::Error)]
#[error("the state log {path} cannot be written: {reason}")]
pub struct NotDurable {
    path: Arc<str>,
    reason: Arc<str>,
}

impl NotDurable {
    fn new(path: &Path, reason: impl Into<Arc<str>>) -> NotDurable {
        NotDurable {
            path: path.display().to_string().into(),
            reason: reason.into(),
        }
    }
}

/// The accounts as the disk holds them, each behind its own lock (reads take it).
pub(crate) type DurableAccounts = BTreeMap<String, Arc<Mutex<Account>>>;

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// One queued change: its number, its log entry, and the change to apply once it is on disk.
struct Job {
    seq: u64,
    entry: Vec<u8>,
    key: String,
    change: ChangeIn,
}

/// Where the changes stand, published after every round and failure.
#[derive(Clone, Debug, Default)]
pub(crate) struct Progress {
    /// Every change numbered up to this one is on disk, but those in `lost`.
    durable: u64,
    /// Changes lost to a failure, and why.
    lost: Vec<(RangeInclusive<u64>, NotDurable)>,
    /// Why changes are refused now; `None` while they are accepted.
    failure: Option<NotDurable>,
    /// Failures so far: an account decided on before the latest is rebuilt from its durable
    /// state.
    epoch: u64,
    /// The latest failure after which the durable accounts hold every change on disk (the
    /// applier caught up): an account is rebuilt from them only then.
    settled: u64,
}

impl Progress {
    /// Whether change `seq` is settled: on disk, or lost.
    fn settled(&self, seq: u64) -> Option<Result<(), NotDurable>> {
        if let Some((_, why)) = self.lost.iter().find(|(range, _)| range.contains(&seq)) {
            return Some(Err(why.clone()));
        }
        (seq <= self.durable).then_some(Ok(()))
    }
}

/// What an append needs under one lock: numbers in queue order, refused while failed.
struct Gate {
    next: u64,
    failure: Option<NotDurable>,
    queue: Option<mpsc::Sender<Job>>,
}

/// The writer thread and the queue to it.
pub(crate) struct Writer {
    gate: Arc<Mutex<Gate>>,
    progress: watch::Receiver<Progress>,
    thread: Option<JoinHandle<()>>,
    path: PathBuf,
}

/// A device and inode: which file or directory a path or a descriptor is.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
struct Identity(u64, u64);

#[cfg(unix)]
fn identity(meta: &std::fs::Metadata) -> Identity {
    use std::os::unix::fs::MetadataExt as _;
    Identity(meta.dev(), meta.ino())
}

#[cfg(not(unix))]
fn identity(_: &std::fs::Metadata) -> Identity {
    Identity(0, 0)
}

fn identity_of(path: &Path) -> Option<Identity> {
    std::fs::metadata(path).ok().map(|m| identity(&m))
}

/// The files the writer has open, and who they are.
pub(crate) struct Files {
    /// The state directory, opened: its `flock` keeps every other store off it.
    pub(crate) dir_lock: File,
    pub(crate) log: File,
    pub(crate) log_path: PathBuf,
    /// The log's generation.
    pub(crate) generation: u64,
}

/// The writer thread's own state.
struct Thread {
    io: Io,
    dir: PathBuf,
    seed: u64,
    files: Files,
    dir_id: Option<Identity>,
    log_id: Option<Identity>,
    /// The log's length with every durable record: a failed append is cut back to it.
    good_len: u64,
    /// The failed append is still in the log (the cut failed too).
    dirty: bool,
    /// A new log whose making failed half way, which may be in the directory: it must go before
    /// the log it would have continued grows (it names that log's length).
    stray: Option<PathBuf>,
    /// The durable accounts diverged from the rules (a bug): nothing more is written, and
    /// there is no healing.
    broken: Arc<AtomicBool>,
    /// Every change numbered up to this one that is not durable was lost to a failure.
    lost_upto: u64,
    /// Every change numbered up to this one is on disk (and on its way to the durable accounts).
    written: u64,
    accounts: DurableAccounts,
    compactor: Compactor,
    gate: Arc<Mutex<Gate>>,
    progress: Arc<watch::Sender<Progress>>,
    /// The applier thread, which applies each round on disk to the durable accounts and then
    /// publishes it, while the next round is written.
    applier: Option<mpsc::Sender<ToApply>>,
    applier_thread: Option<JoinHandle<()>>,
}

/// What the writer hands the applier thread.
enum ToApply {
    /// A round on disk, to apply and publish.
    Round(Vec<Job>),
    /// Answer once every round before is applied.
    Barrier(mpsc::Sender<()>),
}

/// Applies each round on disk to the durable accounts, in order, then publishes it: answers and
/// reads see a change only after both.
fn apply_rounds(
    rounds: &mpsc::Receiver<ToApply>,
    accounts: &DurableAccounts,
    progress: &watch::Sender<Progress>,
    gate: &Mutex<Gate>,
    broken: &AtomicBool,
    log_path: &Path,
) {
    for message in rounds {
        let round = match message {
            ToApply::Round(round) => round,
            ToApply::Barrier(done) => {
                let _ = done.send(());
                continue;
            }
        };
        if broken.load(Ordering::SeqCst) {
            continue;
        }
        let mut applied = 0;
        for job in &round {
            let outcome = accounts
                .get(&job.key)
                .ok_or_else(|| format!("a change for account {}, which it lacks", job.key))
                .and_then(|account| apply_change(&mut lock(account), &job.key, &job.change));
            if let Err(reason) = outcome {
                // On disk, but the rules refuse it on replay: a bug, which a restart reports as
                // corruption. Nothing more is accepted, and what was not applied is lost.
                broken.store(true, Ordering::SeqCst);
                let failure = NotDurable::new(log_path, reason);
                let last = {
                    let mut gate = lock(gate);
                    gate.failure = Some(failure.clone());
                    gate.next - 1
                };
                progress.send_modify(|p| {
                    p.durable = p.durable.max(applied);
                    if last > p.durable {
                        p.lost.push((p.durable + 1..=last, failure.clone()));
                    }
                    p.failure = Some(failure.clone());
                    p.epoch += 1;
                    p.settled = p.epoch;
                });
                tracing::error!(reason = %failure, "state: a logged change does not apply; no change is accepted any more");
                break;
            }
            applied = job.seq;
        }
        if !broken.load(Ordering::SeqCst) {
            progress.send_modify(|p| p.durable = p.durable.max(applied));
        }
    }
}

impl Writer {
    /// Starts the thread that appends to `files.log` (opened for appending, `good_len` bytes
    /// long), applies each durable change to `accounts`, tells `compactor` of each record
    /// written and moves to the new log it hands back.
    pub(crate) fn start(
        io: Io,
        dir: PathBuf,
        seed: u64,
        files: Files,
        good_len: u64,
        accounts: DurableAccounts,
        compactor: Compactor,
    ) -> std::io::Result<Writer> {
        let (queue, jobs) = mpsc::channel();
        let gate = Arc::new(Mutex::new(Gate {
            next: 1,
            failure: None,
            queue: Some(queue),
        }));
        let (progress, watcher) = watch::channel(Progress::default());
        let progress = Arc::new(progress);
        let broken = Arc::new(AtomicBool::new(false));
        let path = files.log_path.clone();
        let (applier, rounds) = mpsc::channel();
        let applier_thread = {
            let (accounts, progress, gate, broken, path) = (
                accounts.clone(),
                Arc::clone(&progress),
                Arc::clone(&gate),
                Arc::clone(&broken),
                path.clone(),
            );
            std::thread::Builder::new()
                .name("state-apply".into())
                .spawn(move || apply_rounds(&rounds, &accounts, &progress, &gate, &broken, &path))?
        };
        let mut thread = Thread {
            dir_id: std::fs::File::metadata(&files.dir_lock)
                .ok()
                .map(|m| identity(&m)),
            log_id: files.log.metadata().ok().map(|m| identity(&m)),
            io,
            dir,
            seed,
            files,
            good_len,
            dirty: false,
            stray: None,
            broken,
            lost_upto: 0,
            written: 0,
            accounts,
            compactor,
            gate: Arc::clone(&gate),
            progress,
            applier: Some(applier),
            applier_thread: Some(applier_thread),
        };
        let handle = std::thread::Builder::new()
            .name("state-log".into())
            .spawn(move || thread.run(&jobs))?;
        Ok(Writer {
            gate,
            progress: watcher,
            thread: Some(handle),
            path,
        })
    }

    /// Queues one change (its log entry, and the change to apply to the durable account of
    /// `key` once it is on disk); the answer settles once it is on disk or lost.
    pub(crate) fn append(
        &self,
        entry: Vec<u8>,
        key: &str,
        change: ChangeIn,
    ) -> Result<Durable, NotDurable> {
        let mut gate = lock(&self.gate);
        if let Some(failure) = &gate.failure {
            return Err(failure.clone());
        }
        let seq = gate.next;
        let job = Job {
            seq,
            entry,
            key: key.to_owned(),
            change,
        };
        match &gate.queue {
            Some(queue) if queue.send(job).is_ok() => {
                gate.next += 1;
                Ok(Durable {
                    seq,
                    progress: self.progress.clone(),
                    path: self.path.clone(),
                })
            }
            _ => Err(self.not_durable("the log writer has stopped")),
        }
    }

    /// A failure of this log, for `reason`.
    pub(crate) fn not_durable(&self, reason: impl Into<Arc<str>>) -> NotDurable {
        NotDurable::new(&self.path, reason)
    }

    /// Failures so far (see [`Progress`]).
    pub(crate) fn epoch(&self) -> u64 {
        self.progress.borrow().epoch
    }

    /// The latest failure after which the durable accounts hold every change on disk.
    pub(crate) fn settled_epoch(&self) -> u64 {
        self.progress.borrow().settled
    }

    /// Whether changes are accepted now.
    pub(crate) fn accepting(&self) -> bool {
        self.progress.borrow().failure.is_none()
    }
}

impl Drop for Writer {
    /// Closes the queue and waits for the thread to write what was queued.
    fn drop(&mut self) {
        drop(lock(&self.gate).queue.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Thread {
    fn run(&mut self, jobs: &mpsc::Receiver<Job>) {
        let mut record = Vec::new();
        let mut payload = Vec::new();
        loop {
            let first = match jobs.recv_timeout(CHECK_EVERY) {
                Ok(job) => job,
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    self.idle(jobs);
                    continue;
                }
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
            };
            if first.seq <= self.lost_upto {
                // Queued before a failure that lost it (its waiter answered 503): never written.
                continue;
            }
            let mut size = first.entry.len();
            let mut round = vec![first];
            // Take what is queued; while more keeps coming (other requests are being answered
            // right now), let them join this round rather than wait a whole sync for the next.
            // A lone writer finds nothing more at once and pays no delay.
            for _ in 0..GATHER_PASSES {
                let before = round.len();
                while size < MAX_BATCH {
                    match jobs.try_recv() {
                        Ok(job) if job.seq <= self.lost_upto => {}
                        Ok(job) => {
                            size += job.entry.len();
                            round.push(job);
                        }
                        Err(_) => break,
                    }
                }
                if round.len() == before || size >= MAX_BATCH {
                    break;
                }
                std::thread::yield_now();
            }
            if self.broken.load(Ordering::SeqCst) {
                continue;
            }
            if let Err(reason) = self.commit(round, &mut payload, &mut record) {
                self.fail(&reason, jobs);
            }
        }
        self.compactor.finish();
        drop(self.applier.take());
        if let Some(applier) = self.applier_thread.take() {
            let _ = applier.join();
        }
    }

    /// Waits until the applier has applied every round handed to it.
    fn barrier(&self) {
        let (done, wait) = mpsc::channel();
        if let Some(applier) = &self.applier {
            if applier.send(ToApply::Barrier(done)).is_ok() {
                let _ = wait.recv();
            }
        }
    }

    /// Writes one round as one record, syncs it, checks the files are still where they were,
    /// and hands it to the applier (which applies it to the durable accounts and publishes it).
    fn commit(
        &mut self,
        round: Vec<Job>,
        payload: &mut Vec<u8>,
        record: &mut Vec<u8>,
    ) -> Result<(), String> {
        payload.clear();
        record.clear();
        round
            .iter()
            .try_for_each(|job| format::push_entry(payload, &job.entry))
            .and_then(|()| format::push_frame(record, payload))
            .map_err(|e| e.to_string())?;
        let path = &self.files.log_path;
        self.io
            .write(Step::Append, path, &mut self.files.log, record)
            .and_then(|()| self.io.sync(Step::SyncLog, path, &self.files.log))
            .map_err(|e| e.to_string())?;
        self.good_len += u64::try_from(record.len()).unwrap_or(u64::MAX);
        self.check_files()?;
        self.written = round.last().map_or(self.written, |job| job.seq);
        if let Some(applier) = &self.applier {
            if applier.send(ToApply::Round(round)).is_err() {
                return Err("the applier thread has stopped".to_owned());
            }
        }
        match self.compactor.wrote(record.len(), self.good_len) {
            Some(Ok((file, path, generation))) => self.moved_to(file, path, generation),
            Some(Err(reason)) => {
                tracing::error!(%reason, "state: compaction not started");
                if let Some(next) = self.files.generation.checked_add(1) {
                    self.stray = Some(log_path(&self.dir, next));
                }
                // This round is on disk in the log it went to; nothing more goes there while the
                // half-made new log might be found beside it.
                self.remove_stray()
                    .map_err(|e| format!("a new log was half made and cannot be removed: {e}"))?;
            }
            None => {}
        }
        Ok(())
    }

    /// Removes the half-made new log, if any, for good (the directory synced).
    fn remove_stray(&mut self) -> std::io::Result<()> {
        let Some(stray) = &self.stray else {
            return Ok(());
        };
        match self.io.remove(stray) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
            _ => {}
        }
        self.io.sync_dir(&self.dir)?;
        self.stray = None;
        Ok(())
    }

    /// Writes go to a new log from now on (a compaction started, or a heal).
    fn moved_to(&mut self, file: File, path: PathBuf, generation: u64) {
        self.log_id = file.metadata().ok().map(|m| identity(&m));
        self.good_len = format::HEADER_LEN as u64;
        self.files.log = file;
        self.files.log_path = path;
        self.files.generation = generation;
    }

    /// Whether the directory and the log at their paths are still the ones opened.
    fn check_files(&self) -> Result<(), String> {
        if identity_of(&self.dir) != self.dir_id {
            return Err(format!(
                "the state directory {} was removed or replaced",
                self.dir.display()
            ));
        }
        if identity_of(&self.files.log_path) != self.log_id {
            return Err(format!(
                "the log {} was removed or replaced",
                self.files.log_path.display()
            ));
        }
        Ok(())
    }

    /// Nothing queued for a while: check the directory, or try to heal.
    fn idle(&mut self, jobs: &mpsc::Receiver<Job>) {
        if lock(&self.gate).failure.is_none() {
            if let Err(reason) = self.check_files() {
                self.fail(&reason, jobs);
            }
        } else if !self.broken.load(Ordering::SeqCst) {
            self.heal();
        }
    }

    /// Refuses new changes, loses every change not yet durable, and cuts the failed record off
    /// the log.
    fn fail(&mut self, reason: &str, jobs: &mpsc::Receiver<Job>) {
        let failure = NotDurable::new(&self.files.log_path, reason);
        let written = self.written;
        let last = {
            // Under the gate's lock: an append refused from now on finds the new epoch published,
            // so the account it was decided on is rebuilt before it is decided on again.
            let mut gate = lock(&self.gate);
            gate.failure = Some(failure.clone());
            let last = gate.next - 1;
            self.progress.send_modify(|p| {
                if last > written {
                    p.lost.push((written + 1..=last, failure.clone()));
                }
                p.failure = Some(failure.clone());
                p.epoch += 1;
            });
            last
        };
        // Everything queued is lost with the round: nothing is written after a gap.
        self.lost_upto = last;
        while jobs.try_recv().is_ok() {}
        // The durable accounts hold every round on disk before anyone rebuilds from them.
        self.barrier();
        self.progress.send_modify(|p| p.settled = p.epoch);
        tracing::error!(
            file = %self.files.log_path.display(),
            %reason,
            "state: a change could not be made durable; writes answer 503 until the state \
             directory takes writes again"
        );
        self.dirty = self
            .io
            .truncate(&self.files.log_path, &self.files.log, self.good_len)
            .is_err();
    }

    /// Accepts changes again if the directory takes writes: the same one (cut the failed
    /// record, probe), or a new one at the path (a snapshot of every durable account, a new
    /// log).
    fn heal(&mut self) {
        self.compactor.finish();
        let same = self.check_files().is_ok();
        let healed = if same {
            self.heal_in_place()
        } else {
            self.heal_elsewhere()
        };
        match healed {
            Ok(()) => {
                lock(&self.gate).failure = None;
                self.progress.send_modify(|p| p.failure = None);
                tracing::info!(
                    file = %self.files.log_path.display(),
                    "state: the state directory takes writes again; writes are accepted"
                );
            }
            Err(reason) => tracing::debug!(%reason, "state: not healed yet"),
        }
    }

    fn heal_in_place(&mut self) -> Result<(), String> {
        let path = &self.files.log_path;
        if self.dirty {
            self.io
                .truncate(path, &self.files.log, self.good_len)
                .map_err(|e| e.to_string())?;
            self.dirty = false;
        }
        self.remove_stray().map_err(|e| e.to_string())?;
        self.io.probe(&self.dir).map_err(|e| e.to_string())
    }

    fn heal_elsewhere(&mut self) -> Result<(), String> {
        let io = &self.io;
        let dir = &self.dir;
        make_dir(io, dir).map_err(|e| e.to_string())?;
        // The directory this process locked, its log removed or replaced: the lock it holds
        // stands (a second descriptor of the same directory would be refused). A directory new
        // at the path is locked afresh.
        let dir_lock = if self.dir_id.is_some() && identity_of(dir) == self.dir_id {
            None
        } else {
            Some(lock_dir(io, dir).map_err(|e| e.to_string())?)
        };
        let generation = self
            .files
            .generation
            .checked_add(1)
            .ok_or("the log generation cannot grow any more")?;
        let guards: Vec<(&str, MutexGuard<'_, Account>)> = self
            .accounts
            .iter()
            .map(|(key, account)| (key.as_str(), lock(account)))
            .collect();
        let accounts: Vec<(&str, &Account)> = guards.iter().map(|(k, a)| (*k, &**a)).collect();
        let snapshot_bytes = write_snapshot(io, dir, generation, self.seed, &accounts)
            .map_err(|e: StoreError| e.to_string())?;
        drop(accounts);
        drop(guards);
        let log_path =
            create_log(io, dir, generation, format::Link::START).map_err(|e| e.to_string())?;
        let log = io.open_log(&log_path).map_err(|e| e.to_string())?;
        if let Some(dir_lock) = dir_lock {
            self.dir_id = dir_lock.metadata().ok().map(|m| identity(&m));
            self.files.dir_lock = dir_lock;
        }
        self.moved_to(log, log_path, generation);
        self.dirty = false;
        self.stray = None;
        self.compactor.restart(generation, snapshot_bytes);
        Ok(())
    }
}

/// A change on its way to disk: [`Durable::settled`] resolves once it is durable, or to
/// [`NotDurable`] once it is lost.
#[derive(Clone, Debug)]
pub(crate) struct Durable {
    seq: u64,
    progress: watch::Receiver<Progress>,
    path: PathBuf,
}

impl Durable {
    /// Waits until the change is on disk (or lost).
    pub(crate) async fn settled(mut self) -> Result<(), NotDurable> {
        let seq = self.seq;
        match self
            .progress
            .wait_for(|p| p.settled(seq).is_some())
            .await
            .map(|p| p.settled(seq))
        {
            Ok(Some(settled)) => settled,
            Ok(None) | Err(_) => Err(NotDurable::new(&self.path, "the log writer has stopped")),
        }
    }
}
