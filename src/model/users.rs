//! The user table of one instance: creation order, O(1) lookup by name, O(1) removal, and an
//! index of the static client IPs, without storing any name twice.

use std::net::Ipv4Addr;

use hashbrown::{DefaultHashBuilder, HashSet, HashTable};

use super::user::ClientUser;
use crate::error::Error;
use core::hash::BuildHasher;

/// Users in creation order. Removal leaves a hole that is compacted away once holes outnumber
/// users, so lookups, inserts and removals are O(1) amortised and iteration stays in order.
#[derive(Clone, Default)]
pub(crate) struct UserTable {
    slots: Vec<Option<ClientUser>>,
    by_name: HashTable<usize>,
    hasher: DefaultHashBuilder,
    static_ips: HashSet<Ipv4Addr>,
    live: usize,
}

/// Compaction waits for at least this many holes, so small tables never churn.
const MIN_HOLES_TO_COMPACT: usize = 64;

impl UserTable {
    pub(crate) fn len(&self) -> usize {
        self.live
    }

    fn slot_name(slots: &[Option<ClientUser>], i: usize) -> Option<&str> {
        slots
            .get(i)
            .and_then(Option::as_ref)
            .map(|u| u.name.as_str())
    }

    fn position(&self, name: &str) -> Option<usize> {
        let hash = self.hasher.hash_one(name);
        self.by_name
            .find(hash, |&i| Self::slot_name(&self.slots, i) == Some(name))
            .copied()
    }

    pub(crate) fn get(&self, name: &str) -> Option<&ClientUser> {
        self.position(name)
            .and_then(|i| self.slots.get(i))
            .and_then(Option::as_ref)
    }

    pub(crate) fn get_mut(&mut self, name: &str) -> Option<&mut ClientUser> {
        self.position(name)
            .and_then(|i| self.slots.get_mut(i))
            .and_then(Option::as_mut)
    }

    pub(crate) fn contains(&self, name: &str) -> bool {
        self.position(name).is_some()
    }

    /// Whether some user holds `ip` as its static address.
    pub(crate) fn holds_ip(&self, ip: Ipv4Addr) -> bool {
        self.static_ips.contains(&ip)
    }

    /// The static addresses held.
    pub(crate) fn static_ips(&self) -> impl Iterator<Item = Ipv4Addr> + '_ {
        self.static_ips.iter().copied()
    }

    /// Adds a user whose name is not in the table (the caller checked).
    pub(crate) fn insert(&mut self, user: ClientUser) {
        let hash = self.hasher.hash_one(user.name.as_str());
        if let Some(ip) = user.client_ip {
            self.static_ips.insert(ip.addr());
        }
        let index = self.slots.len();
        self.slots.push(Some(user));
        let (slots, hasher) = (&self.slots, &self.hasher);
        self.by_name.insert_unique(hash, index, |&i| {
            hasher.hash_one(Self::slot_name(slots, i).unwrap_or_default())
        });
        self.live += 1;
    }

    /// Removes and returns the user of that name if `keep` has nothing against it:
    /// `ResourceNotFound.User` when there is none, `keep`'s error when it objects (the table
    /// then stays as it was).
    pub(crate) fn remove_if(
        &mut self,
        name: &str,
        keep: impl FnOnce(&ClientUser) -> Result<(), Error>,
    ) -> Result<ClientUser, Error> {
        let hash = self.hasher.hash_one(name);
        let slots = &mut self.slots;
        let entry = self
            .by_name
            .find_entry(hash, |&i| Self::slot_name(slots, i) == Some(name))
            .map_err(|_| Error::UserNotFound)?;
        let slot = slots.get_mut(*entry.get()).ok_or(Error::UserNotFound)?;
        let user = slot.take().ok_or(Error::UserNotFound)?;
        if let Err(error) = keep(&user) {
            *slot = Some(user);
            return Err(error);
        }
        entry.remove();
        if let Some(ip) = user.client_ip {
            self.static_ips.remove(&ip.addr());
        }
        self.live -= 1;
        let holes = self.slots.len() - self.live;
        if holes >= MIN_HOLES_TO_COMPACT && holes > self.live {
            self.compact();
        }
        Ok(user)
    }

    fn compact(&mut self) {
        self.slots.retain(Option::is_some);
        self.by_name.clear();
        let (slots, hasher) = (&self.slots, &self.hasher);
        for (index, slot) in slots.iter().enumerate() {
            if let Some(user) = slot {
                let hash = hasher.hash_one(user.name.as_str());
                self.by_name.insert_unique(hash, index, |&i| {
                    hasher.hash_one(Self::slot_name(slots, i).unwrap_or_default())
                });
            }
        }
    }

    /// The users in creation order.
    pub(crate) fn iter(&self) -> impl DoubleEndedIterator<Item = &ClientUser> + '_ {
        self.slots.iter().flatten()
    }

    /// Reserves room for `additional` more users.
    pub(crate) fn reserve(&mut self, additional: usize) {
        self.slots.reserve(additional);
        let (slots, hasher) = (&self.slots, &self.hasher);
        self.by_name.reserve(additional, |&i| {
            hasher.hash_one(Self::slot_name(slots, i).unwrap_or_default())
        });
    }
}

impl PartialEq for UserTable {
    fn eq(&self, other: &Self) -> bool {
        self.live == other.live && self.iter().eq(other.iter())
    }
}

impl Eq for UserTable {}

impl core::fmt::Debug for UserTable {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl FromIterator<ClientUser> for UserTable {
    fn from_iter<I: IntoIterator<Item = ClientUser>>(iter: I) -> Self {
        let iter = iter.into_iter();
        let mut table = UserTable::default();
        // A snapshot's million users: one allocation, no rehash on the way.
        table.reserve(iter.size_hint().0);
        for user in iter {
            table.insert(user);
        }
        table
    }
}
