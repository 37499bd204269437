//! The snapshot: every account of the directory at one generation, as one file (a header, a
//! record of the seed and the number of accounts, then one record per account), written beside
//! its final name, synced, renamed over it, and read back before any log it holds goes.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};
use smartag_rules::Account;

use super::files::{byte_count, read_file, write_synced};
use super::format::{self, Defect, Header, Link, SNAPSHOT_MAGIC};
use super::io::Io;
use super::{Accounts, StoreError, SNAPSHOT, SNAPSHOT_TMP};

#[derive(Serialize, Deserialize)]
pub(super) struct Meta {
    seed: u64,
    accounts: usize,
}

#[derive(Serialize)]
pub(super) struct AccountOut<'a> {
    key: &'a str,
    account: &'a Account,
}

#[derive(Deserialize)]
pub(super) struct AccountIn {
    key: String,
    account: Account,
}

/// A snapshot as read: its accounts, its generation, the seed it records, its size and format.
pub(super) struct Snapshot {
    pub(super) accounts: Accounts,
    pub(super) generation: u64,
    pub(super) seed: u64,
    pub(super) bytes: u64,
    pub(super) version: u32,
}

pub(super) fn read_snapshot(io: &Io, path: &Path) -> Result<Snapshot, StoreError> {
    parse_snapshot(path, &read_file(io, path)?)
}

pub(super) fn parse_snapshot(path: &Path, bytes: &[u8]) -> Result<Snapshot, StoreError> {
    let corrupt = |d| StoreError::corrupt(path, d);
    let Header {
        version,
        generation,
        len,
        ..
    } = format::read_header(bytes, SNAPSHOT_MAGIC).map_err(corrupt)?;
    let frames = format::frames(bytes, len, false).map_err(corrupt)?;
    let mut frames = frames.frames.into_iter();
    let (offset, range) = frames.next().ok_or_else(|| {
        corrupt(Defect::new(
            len,
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
        bytes: byte_count(bytes),
        version,
    })
}

/// Writes a snapshot of `generation` in place (beside, synced, renamed, read back and checked):
/// its size.
pub(super) fn write_snapshot(
    io: &Io,
    dir: &Path,
    generation: u64,
    seed: u64,
    accounts: &[(&str, &Account)],
) -> Result<u64, StoreError> {
    let tmp = dir.join(SNAPSHOT_TMP);
    let unwritable = |e: String| StoreError::io("write", &tmp)(std::io::Error::other(e));
    let mut bytes = format::header(SNAPSHOT_MAGIC, generation, Link::START).to_vec();
    let meta = serde_json::to_vec(&Meta {
        seed,
        accounts: accounts.len(),
    })
    .map_err(|e| unwritable(e.to_string()))?;
    format::push_frame(&mut bytes, &meta).map_err(|e| unwritable(e.to_string()))?;
    for (key, account) in accounts {
        let json = serde_json::to_vec(&AccountOut { key, account })
            .map_err(|e| unwritable(e.to_string()))?;
        format::push_frame(&mut bytes, &json).map_err(|e| unwritable(e.to_string()))?;
    }
    write_synced(io, &tmp, &bytes)?;
    let path = dir.join(SNAPSHOT);
    io.rename(&tmp, &path)
        .map_err(StoreError::io("rename", &tmp))?;
    io.sync_dir(dir).map_err(StoreError::io("sync", dir))?;
    // Verified: what the file holds now is what was written, byte for byte.
    if read_file(io, &path)? != bytes {
        return Err(StoreError::corrupt(
            &path,
            Defect::new(0, "the snapshot just written reads back differently"),
        ));
    }
    Ok(byte_count(&bytes))
}
