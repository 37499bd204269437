//! Where the accounts' changes go so that they survive a restart (`--state DIR`).
//!
//! # The seam (how the server calls the store)
//!
//! Every change to an account goes through [`Store::record`] and [`Store::durable`], in this
//! order, by [`Gateway`](crate::gateway::Gateway):
//!
//! 1. With the account's lock held, right after a change succeeded in memory, the gateway calls
//!    [`Store::record`] with the account's access key ID and the [`Change`]. Calls for one
//!    account come in the order the changes were applied. `record` must be quick (append to a
//!    buffer); it returns a [`Ticket`].
//! 2. After the lock is released, and before the answer leaves, the server awaits
//!    [`Store::durable`] with that ticket: it resolves once the change is on disk (group commit:
//!    one `fsync` may cover the tickets of many requests).
//! 3. If either fails, the client gets a 500 and the error is logged; the store decides whether
//!    it keeps accepting changes.
//!
//! At start, [`Store::open`] hands back the changes already kept, which the gateway applies in
//! order through the same code as live requests, before it serves anything; and
//! [`Store::is_new`] says whether the fixtures of the command line apply (only to a new state
//! directory, so that a restart never applies them twice).
//!
//! The in-memory store ([`Store::memory`]) keeps nothing and answers every call at once.

use core::fmt;
use std::path::Path;

/// A change to one account, as the gateway applied it.
#[derive(Clone, PartialEq, Eq, Debug)]
#[non_exhaustive]
pub enum Change {
    /// A state-changing request that succeeded: its parameters as the wire layer read them (the
    /// query's, a form body's, and `Action`/`Version` from the ACS3 headers), signature
    /// parameters included. Replayed in order on an account in the same state, they give the
    /// same account.
    Request(Vec<(String, String)>),
    /// The account was reset to its start (the fixtures of the command line).
    Reset,
    /// Fixture lines were loaded through the control endpoint.
    Fixtures(String),
}

/// A recorded change, to wait for with [`Store::durable`].
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Ticket(pub u64);

/// Why the store failed.
#[derive(Debug)]
pub struct StoreError(pub String);

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for StoreError {}

/// The accounts' durable log (or none, in memory).
#[derive(Debug, Default)]
pub struct Store {
    _private: (),
}

impl Store {
    /// A store that keeps nothing: the state lives in memory.
    pub fn memory() -> Store {
        Store { _private: () }
    }

    /// Opens (or creates) the state in `dir`, with the changes it holds, in order, each with
    /// its account's access key ID.
    ///
    /// # Errors
    ///
    /// A [`StoreError`] naming what is wrong when the state cannot be read (not implemented yet
    /// in this stub: always an error).
    pub fn open(dir: &Path) -> Result<(Store, Vec<(String, Change)>), StoreError> {
        Err(StoreError(format!(
            "--state {}: durable state is not implemented yet",
            dir.display()
        )))
    }

    /// Whether the state is new (fixtures apply only then). Always true in memory.
    pub fn is_new(&self) -> bool {
        true
    }

    /// Records a change to the account of `key_id`; called with the account's lock held.
    ///
    /// # Errors
    ///
    /// A [`StoreError`] when the change cannot be recorded.
    pub fn record(&self, key_id: &str, change: &Change) -> Result<Ticket, StoreError> {
        let _ = (key_id, change);
        Ok(Ticket(0))
    }

    /// Resolves once the change of `ticket` is on disk.
    ///
    /// # Errors
    ///
    /// A [`StoreError`] when it cannot be made durable.
    pub async fn durable(&self, ticket: Ticket) -> Result<(), StoreError> {
        let _ = ticket;
        Ok(())
    }
}
