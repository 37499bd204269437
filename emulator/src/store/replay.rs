//! Replaying the logs onto the snapshot: each log must continue the one before it, only the
//! newest may end in a torn record, and every change meets the rules again through
//! [`apply_change`], the one place a logged change is applied (opening, compacting, and the
//! writer once a change is on disk).

use std::path::{Path, PathBuf};

use smartag_rules::wire::parse_request;
use smartag_rules::{Account, ConnectError, Session, SmartAgId, UserName};

use super::files::{byte_count, read_file};
use super::format::{self, Defect, Link, LOG_MAGIC};
use super::io::Io;
use super::{Accounts, ChangeIn, EntryIn, StoreError, LOG_PREFIX};

/// What replaying logs found: how many entries, where a torn tail starts, how many bytes, the
/// newest log (what a log after it continues), and whether a file of the previous format was
/// among them.
pub(super) struct Replay {
    pub(super) entries: usize,
    pub(super) torn_tail: Option<(PathBuf, u64)>,
    pub(super) bytes: u64,
    pub(super) newest: Option<Link>,
    pub(super) old_format: bool,
}

/// Replays, in order, those of `logs` of generation `from` (the snapshot's) or later onto
/// `accounts`; the last of them may end in a torn record when `last_may_be_torn` (on opening,
/// not when the running server compacts logs it has finished). Each log must continue the one
/// before it (as its header says): a missing log in between is corruption.
pub(super) fn replay_logs<'a>(
    io: &Io,
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
        newest: None,
        old_format: false,
    };
    for (i, (generation, path)) in live.iter().enumerate() {
        let last = last_may_be_torn && i + 1 == live.len();
        let log = replay_log(io, path, *generation, last, accounts, |follows| {
            check_chain(follows, replay.newest, from)
        })?;
        replay.entries += log.entries;
        replay.bytes = replay.bytes.saturating_add(log.bytes);
        replay.newest = Some(Link {
            generation: *generation,
            len: log.bytes,
        });
        replay.old_format |= log.follows.is_none();
        replay.torn_tail = replay
            .torn_tail
            .or(log.torn.map(|offset| (path.clone(), offset)));
    }
    Ok(replay)
}

/// Whether a log that says it continues `follows` (`None`: a version 1 log, which does not
/// say) may come after the log `previous` (`None`: it is the first beside a snapshot of
/// generation `from`).
pub(super) fn check_chain(
    follows: Option<Link>,
    previous: Option<Link>,
    from: u64,
) -> Result<(), String> {
    let Some(follows) = follows else {
        return Ok(());
    };
    let f = follows.generation;
    match previous {
        None if follows == Link::START || f < from => Ok(()),
        None => Err(format!(
            "it continues log {LOG_PREFIX}{f}, which is missing"
        )),
        Some(previous) if follows == previous => Ok(()),
        Some(p) if f == p.generation => Err(format!(
            "it continues log {LOG_PREFIX}{f} of {} bytes, which holds {} (a log before the newest \
             was cut short or grew)",
            follows.len, p.len
        )),
        Some(p) if follows == Link::START => Err(format!(
            "it starts on the snapshot, but log {LOG_PREFIX}{} comes before it",
            p.generation
        )),
        Some(p) => Err(format!(
            "it continues log {LOG_PREFIX}{f}, but log {LOG_PREFIX}{} comes before it (a log is \
             missing)",
            p.generation
        )),
    }
}

/// What replaying one log found.
pub(super) struct LogReplay {
    entries: usize,
    torn: Option<u64>,
    bytes: u64,
    follows: Option<Link>,
}

/// Replays one log onto `accounts`: how many entries, where a torn tail starts (allowed in the
/// last log only), the log's size, and what it continues (checked by `chain` first).
pub(super) fn replay_log(
    io: &Io,
    path: &Path,
    generation: u64,
    last: bool,
    accounts: &mut Accounts,
    chain: impl FnOnce(Option<Link>) -> Result<(), String>,
) -> Result<LogReplay, StoreError> {
    let bytes = read_file(io, path)?;
    let corrupt = |d| StoreError::corrupt(path, d);
    let header = format::read_header(&bytes, LOG_MAGIC).map_err(corrupt)?;
    if header.generation != generation {
        return Err(corrupt(Defect::new(
            12,
            format!(
                "generation {} in a file named for generation {generation}",
                header.generation
            ),
        )));
    }
    chain(header.follows).map_err(|reason| corrupt(Defect::new(20, reason)))?;
    let frames = format::frames(&bytes, header.len, last).map_err(corrupt)?;
    let mut entries = 0;
    for (offset, range) in frames.frames {
        for entry in
            format::entries(bytes.get(range).unwrap_or_default(), offset).map_err(corrupt)?
        {
            let EntryIn { key, change } = serde_json::from_slice(entry)
                .map_err(|e| corrupt(Defect::new(offset, format!("unreadable entry: {e}"))))?;
            let account = accounts.get_mut(&key).ok_or_else(|| {
                corrupt(Defect::new(
                    offset,
                    format!("an entry for account {key}, which the snapshot lacks"),
                ))
            })?;
            apply_change(account, &key, &change)
                .map_err(|reason| corrupt(Defect::new(offset, reason)))?;
            entries += 1;
        }
    }
    Ok(LogReplay {
        entries,
        torn: frames
            .torn_at
            .map(|at| u64::try_from(at).unwrap_or(u64::MAX)),
        bytes: byte_count(&bytes),
        follows: header.follows,
    })
}

/// Applies one change to the account of `key`, as replaying and the writer (once the change is
/// on disk) both do: the one place a logged change meets the rules.
pub(super) fn apply_change(
    account: &mut Account,
    key: &str,
    change: &ChangeIn,
) -> Result<(), String> {
    match change {
        ChangeIn::Request(params) => {
            let request = parse_request(params.iter().map(|(k, v)| (k, v)))
                .map_err(|e| format!("a request of account {key} that does not parse: {e}"))?
                .request;
            account.execute(&request).map(drop).map_err(|e| {
                format!(
                    "{} for account {key} fails on replay with {} (the log does not match these \
                     rules)",
                    request.action(),
                    e.code()
                )
            })
        }
        ChangeIn::Replace(replacement) => {
            *account = (**replacement).clone();
            Ok(())
        }
        ChangeIn::Connect {
            smart_ag_id,
            user_name,
            online_time,
        } => connect_at(account, smart_ag_id, user_name, *online_time)
            .map(drop)
            .map_err(|e| {
                format!(
                    "a connect for account {key} fails on replay: {e} (the log does not match \
                     these rules)"
                )
            }),
    }
}

/// Connects `user_name` of `smart_ag_id` at `online_time`: the account clock set to that time,
/// then [`Account::connect`]. What the control endpoint decides ahead and what replaying its
/// [`Change::Connect`](super::Change::Connect) does, alike.
///
/// # Errors
///
/// The [`ConnectError`] of a connect the rules refuse; the account is then unchanged, its
/// clock included.
pub fn connect_at(
    account: &mut Account,
    smart_ag_id: &SmartAgId,
    user_name: &UserName,
    online_time: u64,
) -> Result<Session, ConnectError> {
    let before = account.clock();
    account.set_clock(online_time);
    let connected = account.connect(smart_ag_id, user_name);
    if connected.is_err() {
        account.set_clock(before);
    }
    connected
}
