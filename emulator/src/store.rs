//! Where the accounts' changes go so that they survive a restart (`--state DIR`): every change
//! a request makes is on disk before its 200 leaves, and a restart (after a clean stop or
//! `kill -9`) comes back with every acknowledged change and nothing else.
//!
//! # The seam (how the server calls the store)
//!
//! 1. At start, [`Store::open`] takes each configured key's fresh account (fixtures applied)
//!    and hands back each key's account as the directory holds it: the fresh one only for a key
//!    the directory has never seen (so fixtures apply once, to a new directory or a new key).
//! 2. With the account's lock held, right after a change succeeded in memory, the gateway calls
//!    [`Store::record`] with the account's access key ID and the [`Change`]; calls for one
//!    account come in the order the changes were applied. `record` only queues the entry and
//!    returns a [`Ticket`].
//! 3. After the lock is released, and before the answer leaves, the server awaits
//!    [`Store::durable`] with that ticket: it resolves once the change is on disk. If either
//!    step fails, the client gets a 500: the change is in memory only and will not survive a
//!    restart, and the store accepts nothing more (nothing is ever acknowledged after a gap).
//!
//! The in-memory store ([`Store::memory`]) keeps nothing and answers every call at once.
//!
//! # The directory
//!
//! The core is deterministic: the same account (generator state included) and the same
//! successful requests give the same account, and a failed request changes nothing. So the
//! directory holds
//!
//! - `snapshot`: every account (the core's serde snapshot, generator state included), the seed
//!   the directory was created with, and a generation number `S`;
//! - `log.N` (`N` ≥ `S`): the changes made since, in order: the parameters of each successful
//!   state-changing request, or a whole account put in place by the control endpoint. The
//!   writer thread appends in group commits: each round writes everything queued as one
//!   checksummed record (length, CRC-32 of the payload, CRC-32 of the header) and syncs it with
//!   one `fdatasync`, however many requests wait on it.
//!
//! Opening replays the logs through the core on top of the snapshot. When they are due a
//! compaction ([`Compaction`]: more bytes than the snapshot, and at least its floor), end in a
//! torn record, or a key is new, it compacts: a new snapshot (written beside, synced, renamed
//! over), then a new empty log, then the old logs removed. Otherwise it keeps them beside its
//! new log, and the next compaction (or start) folds them in: a restart after a short run does
//! not rewrite a large snapshot. A crash at any step leaves a state that loads to the same
//! accounts.
//!
//! The running server compacts too ([`Compaction`]): once the log being written holds more
//! bytes than the snapshot (and at least [`Compaction::min_log_bytes`]), the writer thread,
//! between two group commits, creates `log.N+1` (synced with its directory) and writes to it
//! from then on; a compaction thread then reads the snapshot, replays every log before `N+1`
//! (all complete: nothing writes to them any more) and writes a snapshot of generation `N+1`
//! (beside, synced, renamed over), then removes those logs. Answers wait only for the new log's
//! two syncs; the compaction holds a second copy of the accounts while it runs. A crash leaves
//! either the old snapshot with every log (the new, possibly empty, log included), or the new
//! snapshot with the older logs ignored (they are below its generation, and removed by the next
//! open): both load to every acknowledged change. Loading is parsing one snapshot plus replaying
//! the changes since the last compaction.
//!
//! # What is refused
//!
//! Only the record written last can be torn by a crash (the writer starts a record only once the
//! one before is on disk); a torn tail is dropped (none of its requests were acknowledged) and
//! logged. Anything else (a damaged record followed by valid ones, a bad snapshot, an unknown
//! format version, a foreign file, a change the rules refuse on replay) stops the start with
//! [`StoreError::Corrupt`], naming the file and the byte offset: nothing is half loaded. Two
//! emulators never share a directory ([`StoreError::InUse`]), and a directory keeps the seed it
//! was created with ([`StoreError::SeedMismatch`]).
//!
//! # One writer
//!
//! The store holds an `flock` on the state directory's own descriptor for its whole life:
//! there is no lock file to delete or replace, a second opener (another process, or another
//! store in this one) gets [`StoreError::InUse`], and the lock goes when the process does,
//! however it ends. (Directories written by earlier builds hold a `lock` file: it is ignored.)

mod compactor;
mod format;
mod writer;

use std::collections::BTreeMap;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use smartag_rules::wire::parse_request;
use smartag_rules::Account;

pub use compactor::Compaction;
pub use writer::NotDurable;

use compactor::Compactor;

use format::{Defect, LOG_MAGIC, SNAPSHOT_MAGIC};

/// The snapshot's file name in the state directory.
const SNAPSHOT: &str = "snapshot";
/// Where a snapshot is written before it replaces [`SNAPSHOT`].
const SNAPSHOT_TMP: &str = "snapshot.tmp";
/// Log files are `log.` followed by their generation.
const LOG_PREFIX: &str = "log.";

/// A change to one account, as the gateway applied it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[non_exhaustive]
pub enum Change<'a> {
    /// A state-changing request that succeeded: its parameters as the wire layer read them.
    /// Replayed in order on the account in the same state, they give the same account.
    Request(&'a [(String, String)]),
    /// The account was replaced as a whole (a reset, or fixtures loaded through the control
    /// endpoint): the account as it now is.
    Replace(&'a Account),
}

/// A recorded change, to wait for with [`Store::durable`].
#[must_use = "a change is durable only once Store::durable resolves"]
#[derive(Debug)]
pub struct Ticket(Option<writer::Durable>);

/// Why a state directory cannot be opened (nothing is loaded then), or a change not kept.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// A file of the directory cannot be read or written.
    #[error("cannot {action} {path}: {source}")]
    Io {
        /// What was being done.
        action: &'static str,
        /// The file or directory.
        path: PathBuf,
        /// The system's error.
        source: io::Error,
    },
    /// Another process holds the directory.
    #[error("state directory {0} is in use by another process")]
    InUse(PathBuf),
    /// The seed asked for differs from the one the directory was created with.
    #[error(
        "state directory {dir} was created with --seed {recorded}; start it with that seed, \
         not {given}"
    )]
    SeedMismatch {
        /// The directory.
        dir: PathBuf,
        /// The seed it holds.
        recorded: u64,
        /// The seed asked for.
        given: u64,
    },
    /// A state file is damaged (other than a torn tail) or not a state file of this version.
    #[error(
        "corrupt state file {path} at offset {offset}: {reason}; refusing to start (nothing \
         was loaded)"
    )]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// The byte offset of the damage.
        offset: u64,
        /// What is wrong.
        reason: String,
    },
    /// A change could not be made durable: it is in memory only.
    #[error(transparent)]
    NotDurable(#[from] NotDurable),
}

impl StoreError {
    fn io<'a>(action: &'static str, path: &'a Path) -> impl FnOnce(io::Error) -> StoreError + 'a {
        move |source| StoreError::Io {
            action,
            path: path.to_owned(),
            source,
        }
    }

    fn corrupt(path: &Path, defect: Defect) -> StoreError {
        StoreError::Corrupt {
            path: path.to_owned(),
            offset: defect.offset,
            reason: defect.reason,
        }
    }
}

/// What opening a state directory found.
#[derive(Clone, PartialEq, Eq, Debug)]
#[non_exhaustive]
pub struct LoadReport {
    /// The directory was new.
    pub fresh: bool,
    /// The seed the directory was created with.
    pub seed: u64,
    /// How many times the directory was opened before this one, plus the compactions of running
    /// servers (each takes a log generation): it grows with every start.
    pub previous_starts: u64,
    /// Accounts in the directory (those of keys not configured now included: they are kept).
    pub accounts: usize,
    /// Client users over all accounts.
    pub users: usize,
    /// Log entries replayed on top of the snapshot.
    pub replayed: usize,
    /// A torn last record dropped: the file and its offset.
    pub torn_tail: Option<(PathBuf, u64)>,
    /// How long opening took (reading, replaying and compacting).
    pub elapsed: Duration,
}

impl core::fmt::Display for LoadReport {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        if self.fresh {
            write!(f, "new state directory, seed {}", self.seed)?;
        } else {
            write!(
                f,
                "state loaded: {} users in {} accounts, {} log entries replayed, seed {}",
                self.users, self.accounts, self.replayed, self.seed
            )?;
        }
        if let Some((path, offset)) = &self.torn_tail {
            write!(
                f,
                "; dropped the torn tail of {} at offset {offset} (never acknowledged)",
                path.display()
            )?;
        }
        write!(f, " ({:.3} s)", self.elapsed.as_secs_f64())
    }
}

/// The accounts' durable log, or none (in memory). See the [module](self).
#[derive(Debug, Default)]
pub struct Store {
    disk: Option<Disk>,
}

struct Disk {
    writer: writer::Writer,
    report: LoadReport,
    /// The state directory, opened: its `flock` keeps every other store off it.
    _lock: File,
}

impl core::fmt::Debug for Disk {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Disk")
            .field("report", &self.report)
            .finish_non_exhaustive()
    }
}

/// One log entry as written.
#[derive(Serialize)]
struct EntryOut<'a> {
    key: &'a str,
    change: ChangeOut<'a>,
}

#[derive(Serialize)]
enum ChangeOut<'a> {
    Request(&'a [(String, String)]),
    Replace(&'a Account),
}

/// One log entry as read.
#[derive(Deserialize)]
struct EntryIn {
    key: String,
    change: ChangeIn,
}

#[derive(Deserialize)]
enum ChangeIn {
    Request(Vec<(String, String)>),
    Replace(Account),
}

#[derive(Serialize, Deserialize)]
struct Meta {
    seed: u64,
    accounts: usize,
}

#[derive(Serialize)]
struct AccountOut<'a> {
    key: &'a str,
    account: &'a Account,
}

#[derive(Deserialize)]
struct AccountIn {
    key: String,
    account: Account,
}

type Accounts = BTreeMap<String, Account>;

impl Store {
    /// A store that keeps nothing: the state lives in memory.
    pub fn memory() -> Store {
        Store { disk: None }
    }

    /// Opens (or creates) the state directory `dir`, for the keys of `fresh` (each key's account
    /// as a new directory would start it: the fixtures applied). Answers each of those keys'
    /// account as the directory holds it, in the same order; a key the directory has never seen
    /// (all of them, for a new directory) gets its fresh account, recorded before this returns.
    /// Accounts of keys not configured now stay in the directory, untouched.
    ///
    /// # Errors
    ///
    /// [`StoreError`]: the directory is in use, unreadable, corrupt, or of another seed.
    pub fn open(
        dir: &Path,
        seed: u64,
        fresh: Vec<(String, Account)>,
    ) -> Result<(Store, Vec<(String, Account)>), StoreError> {
        Store::open_with(dir, seed, fresh, Compaction::default())
    }

    /// [`Store::open`], compacting the running log as `compaction` says (see the
    /// [module](self)).
    ///
    /// # Errors
    ///
    /// As [`Store::open`].
    pub fn open_with(
        dir: &Path,
        seed: u64,
        fresh: Vec<(String, Account)>,
        compaction: Compaction,
    ) -> Result<(Store, Vec<(String, Account)>), StoreError> {
        let started = Instant::now();
        fs::create_dir_all(dir).map_err(StoreError::io("create", dir))?;
        // The lock is an `flock` on the directory itself, held as long as this store lives: no
        // file inside it to remove or replace, and the system drops it when the process ends
        // (however it ends).
        let lock = File::open(dir).map_err(StoreError::io("open", dir))?;
        if lock.try_lock().is_err() {
            return Err(StoreError::InUse(dir.to_owned()));
        }
        let snapshot_path = dir.join(SNAPSHOT);
        let logs = list_logs(dir)?;
        let is_new = !snapshot_path.exists();
        let (mut accounts, snapshot_generation, snapshot_bytes) = if is_new {
            if let Some((_, path)) = logs.first() {
                return Err(StoreError::corrupt(
                    &snapshot_path,
                    Defect::new(0, format!("missing, while {} exists", path.display())),
                ));
            }
            (BTreeMap::new(), 0, 0)
        } else {
            let snapshot = read_snapshot(&snapshot_path)?;
            if snapshot.seed != seed {
                return Err(StoreError::SeedMismatch {
                    dir: dir.to_owned(),
                    recorded: snapshot.seed,
                    given: seed,
                });
            }
            (snapshot.accounts, snapshot.generation, snapshot.bytes)
        };

        let Replay {
            entries: replayed,
            torn_tail,
            bytes: live_bytes,
        } = replay_logs(&logs, snapshot_generation, true, &mut accounts)?;
        if let Some((path, offset)) = &torn_tail {
            tracing::warn!(
                file = %path.display(),
                offset,
                "state: dropped a torn last record (a crash cut it short; it was never acknowledged)"
            );
        }

        let mut added = false;
        let keys: Vec<String> = fresh.iter().map(|(k, _)| k.clone()).collect();
        for (key, account) in fresh {
            if let std::collections::btree_map::Entry::Vacant(slot) = accounts.entry(key) {
                slot.insert(account);
                added = true;
            }
        }
        // Every start writes a log of a generation of its own, so that it can tell its starts
        // apart; a new snapshot when the logs are due a compaction (or a torn tail: the
        // snapshot's newer generation puts the torn log out of reach should its removal below
        // not happen) or accounts were added. Logs not due one are kept, and replayed again by
        // the next start unless a compaction folds them first.
        let generation = logs
            .last()
            .map_or(snapshot_generation, |(g, _)| *g)
            .max(snapshot_generation)
            + 1;
        let keep_logs = !is_new
            && !added
            && torn_tail.is_none()
            && replayed > 0
            && !compaction.due(live_bytes, snapshot_bytes);
        let snapshot_bytes =
            if !keep_logs && (is_new || added || replayed > 0 || torn_tail.is_some()) {
                write_snapshot(dir, generation, seed, &accounts)?
            } else {
                snapshot_bytes
            };
        let log_path = create_log(dir, generation)?;
        for (log_generation, path) in &logs {
            if !(keep_logs && *log_generation >= snapshot_generation) {
                fs::remove_file(path).map_err(StoreError::io("remove", path))?;
            }
        }
        sync_dir(dir)?;

        let file = OpenOptions::new()
            .append(true)
            .open(&log_path)
            .map_err(StoreError::io("open", &log_path))?;
        let kept_bytes = if keep_logs { live_bytes } else { 0 };
        let compactor = Compactor::new(
            dir.to_owned(),
            seed,
            compaction,
            generation,
            kept_bytes,
            snapshot_bytes,
        );
        let writer = writer::Writer::start(file, log_path.display().to_string().into(), compactor)
            .map_err(StoreError::io("start the writer of", &log_path))?;
        let report = LoadReport {
            fresh: is_new,
            seed,
            previous_starts: generation - 1,
            accounts: accounts.len(),
            users: accounts
                .values()
                .flat_map(Account::instances)
                .map(|i| i.user_count())
                .sum(),
            replayed,
            torn_tail,
            elapsed: started.elapsed(),
        };
        tracing::info!(dir = %dir.display(), "{report}");
        let served = keys
            .iter()
            .filter_map(|k| accounts.remove_entry(k))
            .collect();
        let store = Store {
            disk: Some(Disk {
                writer,
                report,
                _lock: lock,
            }),
        };
        Ok((store, served))
    }

    /// Whether the state is new (or in memory): the fresh accounts were used for every key.
    pub fn is_new(&self) -> bool {
        self.disk.as_ref().is_none_or(|d| d.report.fresh)
    }

    /// What opening the directory found; `None` in memory.
    pub fn report(&self) -> Option<&LoadReport> {
        self.disk.as_ref().map(|d| &d.report)
    }

    /// How many times the state directory was opened before, plus the compactions of running
    /// servers (0 for a new one and in memory): it grows with every start, so mix it into the
    /// request IDs' seed so that a restarted emulator does not repeat the request IDs of its
    /// previous runs.
    pub fn previous_starts(&self) -> u64 {
        self.disk.as_ref().map_or(0, |d| d.report.previous_starts)
    }

    /// Records a change to the account of `key_id`; call it with the account's lock held.
    ///
    /// # Errors
    ///
    /// [`StoreError::NotDurable`] when the log can no longer be written, or the change cannot
    /// be encoded.
    pub fn record(&self, key_id: &str, change: &Change<'_>) -> Result<Ticket, StoreError> {
        let Some(disk) = &self.disk else {
            return Ok(Ticket(None));
        };
        let entry = EntryOut {
            key: key_id,
            change: match *change {
                Change::Request(params) => ChangeOut::Request(params),
                Change::Replace(account) => ChangeOut::Replace(account),
            },
        };
        let bytes = serde_json::to_vec(&entry).map_err(|e| {
            disk.writer
                .not_durable(format!("cannot encode a change: {e}"))
        })?;
        Ok(Ticket(Some(disk.writer.append(bytes)?)))
    }

    /// Resolves once the change of `ticket` is on disk (at once in memory).
    ///
    /// # Errors
    ///
    /// [`StoreError::NotDurable`] when it cannot be made durable.
    pub async fn durable(&self, ticket: Ticket) -> Result<(), StoreError> {
        match ticket.0 {
            None => Ok(()),
            Some(durable) => Ok(durable.await?),
        }
    }
}

fn list_logs(dir: &Path) -> Result<Vec<(u64, PathBuf)>, StoreError> {
    let mut logs = Vec::new();
    for item in fs::read_dir(dir).map_err(StoreError::io("list", dir))? {
        let item = item.map_err(StoreError::io("list", dir))?;
        let name = item.file_name();
        let Some(generation) = name
            .to_str()
            .and_then(|n| n.strip_prefix(LOG_PREFIX))
            .filter(|g| !g.is_empty() && g.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|g| g.parse::<u64>().ok())
        else {
            continue;
        };
        logs.push((generation, item.path()));
    }
    logs.sort();
    Ok(logs)
}

fn read_file(path: &Path) -> Result<Vec<u8>, StoreError> {
    fs::read(path).map_err(StoreError::io("read", path))
}

/// A snapshot as read: its accounts, its generation, the seed it records, and its size.
struct Snapshot {
    accounts: Accounts,
    generation: u64,
    seed: u64,
    bytes: u64,
}

fn read_snapshot(path: &Path) -> Result<Snapshot, StoreError> {
    let bytes = read_file(path)?;
    let corrupt = |d| StoreError::corrupt(path, d);
    let generation = format::read_header(&bytes, SNAPSHOT_MAGIC).map_err(corrupt)?;
    let frames = format::frames(&bytes, format::HEADER_LEN, false).map_err(corrupt)?;
    let mut frames = frames.frames.into_iter();
    let (offset, range) = frames.next().ok_or_else(|| {
        corrupt(Defect::new(
            format::HEADER_LEN,
            "the snapshot ends before its first record",
        ))
    })?;
    let meta: Meta = serde_json::from_slice(bytes.get(range).unwrap_or_default()).map_err(|e| {
        corrupt(Defect::new(
            offset,
            format!("unreadable snapshot header: {e}"),
        ))
    })?;
    let mut accounts = BTreeMap::new();
    for (offset, range) in frames {
        let AccountIn { key, account } =
            serde_json::from_slice(bytes.get(range).unwrap_or_default())
                .map_err(|e| corrupt(Defect::new(offset, format!("unreadable account: {e}"))))?;
        if accounts.insert(key.clone(), account).is_some() {
            return Err(corrupt(Defect::new(offset, format!("account {key} twice"))));
        }
    }
    if accounts.len() != meta.accounts {
        return Err(corrupt(Defect::new(
            bytes.len(),
            format!(
                "the snapshot holds {} accounts, its header says {}",
                accounts.len(),
                meta.accounts
            ),
        )));
    }
    Ok(Snapshot {
        accounts,
        generation,
        seed: meta.seed,
        bytes: byte_count(&bytes),
    })
}

/// What replaying logs found: how many entries, where a torn tail starts, how many bytes.
struct Replay {
    entries: usize,
    torn_tail: Option<(PathBuf, u64)>,
    bytes: u64,
}

/// Replays, in order, those of `logs` of generation `from` (the snapshot's) or later onto
/// `accounts`; the last of them may end in a torn record when `last_may_be_torn` (on opening,
/// not when the running server compacts logs it has finished).
fn replay_logs<'a>(
    logs: impl IntoIterator<Item = &'a (u64, PathBuf)>,
    from: u64,
    last_may_be_torn: bool,
    accounts: &mut Accounts,
) -> Result<Replay, StoreError> {
    let live: Vec<&(u64, PathBuf)> = logs.into_iter().filter(|(g, _)| *g >= from).collect();
    let mut replay = Replay {
        entries: 0,
        torn_tail: None,
        bytes: 0,
    };
    for (i, (generation, path)) in live.iter().enumerate() {
        let last = last_may_be_torn && i + 1 == live.len();
        let (entries, torn, bytes) = replay_log(path, *generation, last, accounts)?;
        replay.entries += entries;
        replay.bytes = replay.bytes.saturating_add(bytes);
        replay.torn_tail = replay
            .torn_tail
            .or(torn.map(|offset| (path.clone(), offset)));
    }
    Ok(replay)
}

/// A file's size from the bytes read or written.
fn byte_count(bytes: &[u8]) -> u64 {
    u64::try_from(bytes.len()).unwrap_or(u64::MAX)
}

/// Replays one log onto `accounts`: how many entries, where a torn tail starts (allowed in the
/// last log only), and the log's size.
fn replay_log(
    path: &Path,
    generation: u64,
    last: bool,
    accounts: &mut Accounts,
) -> Result<(usize, Option<u64>, u64), StoreError> {
    let bytes = read_file(path)?;
    let corrupt = |d| StoreError::corrupt(path, d);
    let found = format::read_header(&bytes, LOG_MAGIC).map_err(corrupt)?;
    if found != generation {
        return Err(corrupt(Defect::new(
            12,
            format!("generation {found} in a file named for generation {generation}"),
        )));
    }
    let frames = format::frames(&bytes, format::HEADER_LEN, last).map_err(corrupt)?;
    let mut replayed = 0;
    for (offset, range) in frames.frames {
        for entry in
            format::entries(bytes.get(range).unwrap_or_default(), offset).map_err(corrupt)?
        {
            let entry: EntryIn = serde_json::from_slice(entry)
                .map_err(|e| corrupt(Defect::new(offset, format!("unreadable entry: {e}"))))?;
            apply(accounts, entry).map_err(|reason| corrupt(Defect::new(offset, reason)))?;
            replayed += 1;
        }
    }
    let torn = frames
        .torn_at
        .map(|at| u64::try_from(at).unwrap_or(u64::MAX));
    Ok((replayed, torn, byte_count(&bytes)))
}

fn apply(accounts: &mut Accounts, entry: EntryIn) -> Result<(), String> {
    let account = accounts.get_mut(&entry.key).ok_or_else(|| {
        format!(
            "an entry for account {}, which the snapshot lacks",
            entry.key
        )
    })?;
    match entry.change {
        ChangeIn::Request(params) => {
            let request = parse_request(params.iter().map(|(k, v)| (k, v)))
                .map_err(|e| {
                    format!(
                        "a request of account {} that does not parse: {e}",
                        entry.key
                    )
                })?
                .request;
            account.execute(&request).map(drop).map_err(|e| {
                format!(
                    "{} for account {} fails on replay with {} (the log does not match these \
                     rules)",
                    request.action(),
                    entry.key,
                    e.code()
                )
            })
        }
        ChangeIn::Replace(replacement) => {
            *account = replacement;
            Ok(())
        }
    }
}

/// Folds the snapshot and every log of a generation before `generation` (all complete: the
/// writer has moved on to the log of `generation`) into a snapshot of `generation`, then removes
/// those logs: the size of the new snapshot.
fn compact(dir: &Path, seed: u64, generation: u64) -> Result<u64, StoreError> {
    let Snapshot {
        mut accounts,
        generation: from,
        ..
    } = read_snapshot(&dir.join(SNAPSHOT))?;
    let logs = list_logs(dir)?;
    let folded: Vec<&(u64, PathBuf)> = logs.iter().filter(|(g, _)| *g < generation).collect();
    replay_logs(folded.iter().copied(), from, false, &mut accounts)?;
    let snapshot_bytes = write_snapshot(dir, generation, seed, &accounts)?;
    for (_, path) in folded {
        fs::remove_file(path).map_err(StoreError::io("remove", path))?;
    }
    sync_dir(dir)?;
    Ok(snapshot_bytes)
}

/// Writes a snapshot of `generation` in place (beside, synced, renamed): its size.
fn write_snapshot(
    dir: &Path,
    generation: u64,
    seed: u64,
    accounts: &Accounts,
) -> Result<u64, StoreError> {
    let tmp = dir.join(SNAPSHOT_TMP);
    let too_large =
        |e: format::FrameTooLarge| StoreError::io("write", &tmp)(io::Error::other(e.to_string()));
    let mut bytes = format::header(SNAPSHOT_MAGIC, generation).to_vec();
    let meta = serde_json::to_vec(&Meta {
        seed,
        accounts: accounts.len(),
    })
    .map_err(|e| StoreError::io("write", &tmp)(e.into()))?;
    format::push_frame(&mut bytes, &meta).map_err(too_large)?;
    for (key, account) in accounts {
        let json = serde_json::to_vec(&AccountOut { key, account })
            .map_err(|e| StoreError::io("write", &tmp)(e.into()))?;
        format::push_frame(&mut bytes, &json).map_err(too_large)?;
    }
    write_synced(&tmp, &bytes)?;
    let path = dir.join(SNAPSHOT);
    fs::rename(&tmp, &path).map_err(StoreError::io("rename", &tmp))?;
    sync_dir(dir)?;
    Ok(byte_count(&bytes))
}

/// A new, empty log of `generation` (replacing one of that name), synced with its directory.
fn create_log(dir: &Path, generation: u64) -> Result<PathBuf, StoreError> {
    let path = dir.join(format!("{LOG_PREFIX}{generation}"));
    let tmp = dir.join(format!("{LOG_PREFIX}{generation}.tmp"));
    write_synced(&tmp, &format::header(LOG_MAGIC, generation))?;
    fs::rename(&tmp, &path).map_err(StoreError::io("rename", &tmp))?;
    sync_dir(dir)?;
    Ok(path)
}

fn write_synced(path: &Path, bytes: &[u8]) -> Result<(), StoreError> {
    let mut file = new_file(path).map_err(StoreError::io("create", path))?;
    file.write_all(bytes)
        .and_then(|()| file.sync_all())
        .map_err(StoreError::io("write", path))
}

/// A new file readable by its owner only: the state holds the users' passwords.
fn new_file(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)
}

fn sync_dir(dir: &Path) -> Result<(), StoreError> {
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(StoreError::io("sync", dir))
}

#[cfg(test)]
mod tests;
