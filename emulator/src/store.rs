//! Where the accounts' changes go so that they survive a restart (`--state DIR`): every change
//! a request makes is on disk before its 200 leaves, and a restart (after a clean stop or
//! `kill -9`) comes back with every acknowledged change and nothing else.
//!
//! # The seam (how the server calls the store)
//!
//! 1. At start, [`Store::open`] takes each configured key's fresh account (fixtures applied)
//!    and hands back each key's account as the directory holds it: the fresh one only for a key
//!    the directory has never seen (so fixtures apply once, to a new directory or a new key).
//!    The store keeps a second copy of every account, as the disk holds it
//!    ([`Store::durable_account`]): reads answer from it.
//! 2. With the account's lock held, right after a change succeeded on the account handed back,
//!    the gateway calls [`Store::record`] with the account's access key ID and the [`Change`];
//!    calls for one account come in the order the changes were applied. `record` only queues the
//!    entry and returns a [`Ticket`].
//! 3. After the lock is released, and before the answer leaves, the server awaits
//!    [`Store::durable`] with that ticket: it resolves once the change is on disk *and* applied
//!    to the durable account. If the change is lost (the disk is full, an I/O error, the
//!    directory was removed or replaced), the client gets 503: no request saw the change, it is
//!    on disk nowhere, and [`Store::epoch`] has grown, which tells the gateway to rebuild its
//!    account from the durable one. The store refuses changes ([`Store::accepting`]) until the
//!    directory takes writes again, and then goes on by itself.
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
//!   state-changing request, a whole account put in place by the control endpoint, or a
//!   client user connected through the control endpoint (with the time it connected). The
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
//! one before is on disk); a torn tail (a record cut short by the end of the newest log, or
//! whose missing end reads as zeros) is dropped (none of its requests were acknowledged) and
//! logged. Anything else (a complete record with a bad checksum, a damaged record followed by
//! valid ones, a bad header, a log missing or cut short before the newest, a bad snapshot, an
//! unknown format version, a foreign file, a change the rules refuse on replay) stops the start
//! with [`StoreError::Corrupt`], naming the file and the byte offset: nothing is half loaded.
//! Two emulators never share a directory ([`StoreError::InUse`]), and a directory keeps the
//! seed it was created with ([`StoreError::SeedMismatch`]).
//!
//! # Faults
//!
//! Every file-system call goes through one seam (`io.rs`), where the tests inject `ENOSPC`,
//! `EIO`, short writes, failed syncs and a vanished directory at each step of writing,
//! compacting and opening. What each fault does is in the writer's documentation (`writer.rs`)
//! and in RULES.md's table of faults.
//!
//! # One writer
//!
//! The store holds an `flock` on the state directory's own descriptor for its whole life:
//! there is no lock file to delete or replace, a second opener (another process, or another
//! store in this one) gets [`StoreError::InUse`], and the lock goes when the process does,
//! however it ends. (Directories written by earlier builds hold a `lock` file: it is ignored.)

mod compactor;
mod files;
mod format;
mod io;
mod replay;
mod snapshot;
mod writer;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use smartag_rules::{Account, SmartAgId, UserName};

pub use compactor::Compaction;
pub use writer::NotDurable;

use compactor::Compactor;
use files::{create_log, list_logs, lock_dir, make_dir, remove_logs};
pub(crate) use io::Io;
pub use replay::connect_at;
use replay::replay_logs;
use snapshot::{read_snapshot, write_snapshot};

use format::{Defect, Link};

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
    /// A client user was connected (`POST /_emulator/online`) at `online_time` (the emulator
    /// clock's Unix seconds): replayed as the account clock set to that time, then
    /// [`Account::connect`], it gives the same session.
    Connect {
        /// The instance.
        smart_ag_id: &'a SmartAgId,
        /// The user.
        user_name: &'a UserName,
        /// When it connected.
        online_time: u64,
    },
}

/// A recorded change, to wait for with [`Store::durable`].
#[must_use = "a change is durable only once Store::durable resolves"]
#[derive(Clone, Debug)]
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
        source: std::io::Error,
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
    /// A change could not be made durable: no request saw it, and it is not on disk.
    #[error(transparent)]
    NotDurable(#[from] NotDurable),
}

impl StoreError {
    fn io<'a>(
        action: &'static str,
        path: &'a Path,
    ) -> impl FnOnce(std::io::Error) -> StoreError + 'a {
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
    /// Every account as the disk holds it (the writer applies each change once it is on disk).
    durable: writer::DurableAccounts,
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
    Connect {
        smart_ag_id: &'a SmartAgId,
        user_name: &'a UserName,
        online_time: u64,
    },
}

/// One log entry as read.
#[derive(Deserialize)]
struct EntryIn {
    key: String,
    change: ChangeIn,
}

/// A change as replayed: read from a log, or handed to the writer to apply once it is durable.
#[derive(Deserialize)]
enum ChangeIn {
    Request(Vec<(String, String)>),
    Replace(Box<Account>),
    Connect {
        smart_ag_id: SmartAgId,
        user_name: UserName,
        online_time: u64,
    },
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
        Store::open_io(Io::default(), dir, seed, fresh, compaction)
    }

    /// [`Store::open_with`], every file-system call through `io`.
    pub(crate) fn open_io(
        io: Io,
        dir: &Path,
        seed: u64,
        fresh: Vec<(String, Account)>,
        compaction: Compaction,
    ) -> Result<(Store, Vec<(String, Account)>), StoreError> {
        let started = Instant::now();
        make_dir(&io, dir)?;
        // Held as long as the writer lives.
        let dir_lock = lock_dir(&io, dir)?;
        let snapshot_path = dir.join(SNAPSHOT);
        let logs = list_logs(&io, dir)?;
        let is_new = !io
            .exists(&snapshot_path)
            .map_err(StoreError::io("read", &snapshot_path))?;
        let (mut accounts, snapshot_generation, snapshot_bytes, snapshot_v1) = if is_new {
            if let Some((_, path)) = logs.first() {
                return Err(StoreError::corrupt(
                    &snapshot_path,
                    Defect::new(0, format!("missing, while {} exists", path.display())),
                ));
            }
            (BTreeMap::new(), 0, 0, false)
        } else {
            let snapshot = read_snapshot(&io, &snapshot_path)?;
            if snapshot.seed != seed {
                return Err(StoreError::SeedMismatch {
                    dir: dir.to_owned(),
                    recorded: snapshot.seed,
                    given: seed,
                });
            }
            (
                snapshot.accounts,
                snapshot.generation,
                snapshot.bytes,
                snapshot.version < format::VERSION,
            )
        };

        let replay = replay_logs(&io, &logs, snapshot_generation, true, &mut accounts)?;
        if let Some((path, offset)) = &replay.torn_tail {
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
        // not happen), accounts were added, or files of the previous format were read. Logs not
        // due one are kept, and replayed again by the next start unless a compaction folds them
        // first. The generation never wraps.
        let newest = logs.last().map(|(g, path)| (*g, path.clone()));
        let generation = newest
            .as_ref()
            .map_or(snapshot_generation, |(g, _)| *g)
            .max(snapshot_generation)
            .checked_add(1)
            .ok_or_else(|| {
                let path = newest.map_or(snapshot_path.clone(), |(_, p)| p);
                StoreError::corrupt(
                    &path,
                    Defect::new(
                        12,
                        "its generation is the largest there is (it cannot grow)",
                    ),
                )
            })?;
        let old_format = snapshot_v1 || replay.old_format;
        let keep_logs = !is_new
            && !added
            && !old_format
            && replay.torn_tail.is_none()
            && replay.entries > 0
            && !compaction.due(replay.bytes, snapshot_bytes);
        let rewrite = !keep_logs
            && (is_new || added || old_format || replay.entries > 0 || replay.torn_tail.is_some());
        let live = |g: u64| g >= snapshot_generation;
        let (snapshot_bytes, log_path) = if rewrite {
            // The new snapshot holds every log's changes: it is on disk and verified before any
            // log goes.
            let all: Vec<(&str, &Account)> =
                accounts.iter().map(|(k, a)| (k.as_str(), a)).collect();
            let bytes = write_snapshot(&io, dir, generation, seed, &all)?;
            let log_path = create_log(&io, dir, generation, Link::START)?;
            remove_logs(&io, dir, logs.iter().map(|(_, p)| p))?;
            (bytes, log_path)
        } else if keep_logs {
            let follows = replay.newest.unwrap_or(Link::START);
            let log_path = create_log(&io, dir, generation, follows)?;
            remove_logs(
                &io,
                dir,
                logs.iter().filter(|(g, _)| !live(*g)).map(|(_, p)| p),
            )?;
            (snapshot_bytes, log_path)
        } else {
            // Every log is empty (or below the snapshot): they go first, and the new log starts
            // right on the snapshot.
            remove_logs(&io, dir, logs.iter().map(|(_, p)| p))?;
            (
                snapshot_bytes,
                create_log(&io, dir, generation, Link::START)?,
            )
        };

        let log = io
            .open_log(&log_path)
            .map_err(StoreError::io("open", &log_path))?;
        let kept_bytes = if keep_logs { replay.bytes } else { 0 };
        let compactor = Compactor::new(
            io.clone(),
            dir.to_owned(),
            seed,
            compaction,
            generation,
            kept_bytes,
            snapshot_bytes,
        );
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
            replayed: replay.entries,
            torn_tail: replay.torn_tail,
            elapsed: started.elapsed(),
        };
        tracing::info!(dir = %dir.display(), "{report}");
        // The accounts served are copies: the gateway decides requests on them, while these
        // stay as the disk holds them.
        let served = keys
            .iter()
            .filter_map(|k| accounts.get(k).map(|a| (k.clone(), a.clone())))
            .collect();
        let durable: writer::DurableAccounts = accounts
            .into_iter()
            .map(|(k, a)| (k, Arc::new(Mutex::new(a))))
            .collect();
        let files = writer::Files {
            dir_lock,
            log,
            log_path: log_path.clone(),
            generation,
        };
        let writer = writer::Writer::start(
            io,
            dir.to_owned(),
            seed,
            files,
            format::HEADER_LEN as u64,
            durable.clone(),
            compactor,
        )
        .map_err(StoreError::io("start the writer of", &log_path))?;
        let store = Store {
            disk: Some(Disk {
                writer,
                report,
                durable,
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

    /// The account of `key_id` as the disk holds it: what reads answer from (`None` in memory,
    /// where the one account is the durable one, and for a key the store does not hold).
    pub fn durable_account(&self, key_id: &str) -> Option<Arc<Mutex<Account>>> {
        self.disk
            .as_ref()
            .and_then(|d| d.durable.get(key_id))
            .map(Arc::clone)
    }

    /// How many times the store has failed so far (0 in memory): an account decided on before
    /// the latest failure may hold changes that were lost, and is rebuilt from
    /// [`Store::durable_account`] once [`Store::settled_epoch`] has caught up with it. A
    /// change refused by [`Store::record`] always finds this grown.
    pub fn epoch(&self) -> u64 {
        self.disk.as_ref().map_or(0, |d| d.writer.epoch())
    }

    /// The latest failure after which the durable accounts hold every change that is on disk
    /// (0 in memory). While it lags behind [`Store::epoch`] (for as long as the writer takes to
    /// apply what it wrote before the failure), an account is not rebuilt, and no change is
    /// decided on it.
    pub fn settled_epoch(&self) -> u64 {
        self.disk.as_ref().map_or(0, |d| d.writer.settled_epoch())
    }

    /// Whether changes are accepted now (always in memory): after a failure, not until the
    /// state directory takes writes again.
    pub fn accepting(&self) -> bool {
        self.disk.as_ref().is_none_or(|d| d.writer.accepting())
    }

    /// Records a change to the account of `key_id`; call it with the account's lock held, in
    /// the order the changes were made.
    ///
    /// # Errors
    ///
    /// [`StoreError::NotDurable`] when changes are not accepted (the store failed and has not
    /// healed yet), or the change cannot be encoded.
    pub fn record(&self, key_id: &str, change: &Change<'_>) -> Result<Ticket, StoreError> {
        let Some(disk) = &self.disk else {
            return Ok(Ticket(None));
        };
        let (entry, owned) = match *change {
            Change::Request(params) => (
                ChangeOut::Request(params),
                ChangeIn::Request(params.to_vec()),
            ),
            Change::Replace(account) => (
                ChangeOut::Replace(account),
                ChangeIn::Replace(Box::new(account.clone())),
            ),
            Change::Connect {
                smart_ag_id,
                user_name,
                online_time,
            } => (
                ChangeOut::Connect {
                    smart_ag_id,
                    user_name,
                    online_time,
                },
                ChangeIn::Connect {
                    smart_ag_id: smart_ag_id.clone(),
                    user_name: user_name.clone(),
                    online_time,
                },
            ),
        };
        let entry = EntryOut {
            key: key_id,
            change: entry,
        };
        let bytes = serde_json::to_vec(&entry).map_err(|e| {
            disk.writer
                .not_durable(format!("cannot encode a change: {e}"))
        })?;
        Ok(Ticket(Some(disk.writer.append(bytes, key_id, owned)?)))
    }

    /// Resolves once the change of `ticket` is on disk (at once in memory).
    ///
    /// # Errors
    ///
    /// [`StoreError::NotDurable`] when it was lost: it is on disk nowhere, and no request saw
    /// it.
    pub async fn durable(&self, ticket: Ticket) -> Result<(), StoreError> {
        match ticket.0 {
            None => Ok(()),
            Some(durable) => Ok(durable.settled().await?),
        }
    }
}

#[cfg(test)]
mod tests;
