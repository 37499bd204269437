use std::collections::{BTreeMap, BTreeSet};

use super::enterprise_codes::EnterpriseCodes;
use crate::ops::ClientTokens;
use std::ops::Bound;

use super::instance::{ceiling_allows, quota_allows, Instance, InstanceSpec};
use super::sessions::Session;
use super::user::{Roaming, UserState};
use crate::cidr::CidrPool;
use crate::error::Error;
use crate::fields::{Bandwidth, EnterpriseCode, RegionId, SmartAgId, UserName};
use crate::rng::Rng;

/// Everything one cloud account owns: SAG instances in any number of regions, their client users
/// and the users' online sessions, and the account's enterprise codes; and the clock that dates
/// the sessions.
///
/// Every operation is atomic: it checks everything first and changes the account only once all
/// checks have passed, so a failed call leaves it exactly as it was.
///
/// ```
/// use smartag_rules::{Account, InstanceSpec};
///
/// let mut account = Account::with_seed(42);
/// account.add_instance(
///     InstanceSpec::app("sag-app1".parse()?, "cn-shanghai".parse()?)
///         .quota(5)
///         .pool("10.0.0.0/24".parse()?),
/// )?;
/// let instance = account.instance(&"cn-shanghai".parse()?, &"sag-app1".parse()?).unwrap();
/// assert_eq!(instance.user_count(), 0);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct Account {
    pub(crate) instances: BTreeMap<SmartAgId, Instance>,
    pub(crate) enterprise_codes: EnterpriseCodes,
    pub(crate) rng: Rng,
    pub(crate) client_tokens: ClientTokens,
    /// The account clock: Unix seconds, the `OnlineTime` of the sessions connected now.
    pub(crate) clock: u64,
}

/// A misuse of the library's own setup API: not an error of the service, so it has no wire code.
#[derive(Debug, Clone, PartialEq, Eq, Hash, thiserror::Error)]
#[non_exhaustive]
pub enum SetupError {
    /// [`Account::add_instance`] with an ID the account already has.
    #[error("the account already has an instance {0}")]
    DuplicateInstance(SmartAgId),
}

/// Why [`Account::connect`] refuses a session: a misuse of the testing hook, not an error of the
/// service, so it has no wire code.
#[derive(Debug, Clone, PartialEq, Eq, Hash, thiserror::Error)]
#[non_exhaustive]
pub enum ConnectError {
    /// No instance of the account has that ID.
    #[error("no instance {0}")]
    NoSuchInstance(SmartAgId),
    /// The instance is not an SAG APP instance: it takes no client users.
    #[error("instance {0} takes no client users")]
    NotAppInstance(SmartAgId),
    /// The instance has no user of that name.
    #[error("no user {user} on instance {instance}")]
    NoSuchUser {
        /// The instance.
        instance: SmartAgId,
        /// The user name.
        user: UserName,
    },
    /// The user is disabled: it cannot log in.
    #[error("user {user} of instance {instance} is disabled")]
    UserDisabled {
        /// The instance.
        instance: SmartAgId,
        /// The user name.
        user: UserName,
    },
    /// Every usable host of the instance's pool is held by a static user or a session.
    #[error("no free address in the pool of instance {0}")]
    NoFreeAddress(SmartAgId),
}

/// How long a generated instance ID's suffix is (`sag-` and 18 lowercase letters and digits).
const GENERATED_ID_LEN: usize = 18;

impl Account {
    /// An empty account whose generated values come from seed 0.
    pub fn new() -> Account {
        Account::default()
    }

    /// An empty account whose generated values (user names, passwords, instance IDs) come from
    /// `seed`.
    pub fn with_seed(seed: u64) -> Account {
        Account {
            rng: Rng::new(seed),
            ..Account::default()
        }
    }

    /// Adds an instance; its enterprise code, if any, is created in the account when new.
    ///
    /// # Errors
    ///
    /// [`SetupError::DuplicateInstance`] when the account already has an instance of that ID.
    ///
    /// ```
    /// use smartag_rules::{Account, InstanceSpec, SetupError};
    ///
    /// let mut account = Account::new();
    /// let spec = InstanceSpec::app("sag-app1".parse()?, "cn-shanghai".parse()?);
    /// account.add_instance(spec.clone())?;
    /// assert_eq!(
    ///     account.add_instance(spec),
    ///     Err(SetupError::DuplicateInstance("sag-app1".parse()?))
    /// );
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn add_instance(&mut self, spec: InstanceSpec) -> Result<&Instance, SetupError> {
        match self.instances.entry(spec.id.clone()) {
            std::collections::btree_map::Entry::Occupied(_) => {
                Err(SetupError::DuplicateInstance(spec.id))
            }
            std::collections::btree_map::Entry::Vacant(slot) => {
                if let Some(code) = spec.enterprise_code {
                    self.enterprise_codes.insert(code);
                }
                Ok(slot.insert(Instance::from_spec(spec)))
            }
        }
    }

    /// Adds an SAG APP instance with no pool, its ID generated from the account's generator
    /// (`CreateSmartAccessGatewaySoftware`).
    pub(crate) fn buy_app_instance(&mut self, region: RegionId, quota: u32) -> SmartAgId {
        loop {
            let suffix = self.rng.text(SmartAgId::SUFFIX_CHARS, GENERATED_ID_LEN);
            let Ok(id) = format!("sag-{suffix}").parse::<SmartAgId>() else {
                continue;
            };
            if let std::collections::btree_map::Entry::Vacant(slot) =
                self.instances.entry(id.clone())
            {
                slot.insert(Instance::from_spec(
                    InstanceSpec::app(id.clone(), region).quota(quota),
                ));
                return id;
            }
        }
    }

    /// The instance `id` if it lives in `region` (an instance of another region is not found).
    pub fn instance(&self, region: &RegionId, id: &SmartAgId) -> Option<&Instance> {
        self.instances
            .get(id)
            .filter(|instance| &instance.spec.region == region)
    }

    /// The instance `id` of `region`: `SAG.InstanceNoFound` when there is none.
    pub(crate) fn found(&self, region: &RegionId, id: &SmartAgId) -> Result<&Instance, Error> {
        self.instance(region, id).ok_or(Error::InstanceNotFound)
    }

    /// The instance `id` of `region` for a change, with the account's generator:
    /// `SAG.InstanceNoFound` when there is none.
    pub(crate) fn found_mut(
        &mut self,
        region: &RegionId,
        id: &SmartAgId,
    ) -> Result<(&mut Instance, &mut Rng), Error> {
        let instance = self
            .instances
            .get_mut(id)
            .filter(|instance| &instance.spec.region == region)
            .ok_or(Error::InstanceNotFound)?;
        Ok((instance, &mut self.rng))
    }

    /// Two instances, each in its region, for a change to both: `SAG.InstanceNoFound` for the
    /// first not found; `None` when both name one instance.
    pub(crate) fn found_two_mut(
        &mut self,
        (first_region, first): (&RegionId, &SmartAgId),
        (second_region, second): (&RegionId, &SmartAgId),
    ) -> Result<Option<(&mut Instance, &mut Instance)>, Error> {
        if first == second {
            self.found(first_region, first)?;
            self.found(second_region, second)?;
            return Ok(None);
        }
        let (low, high) = if first < second {
            (first, second)
        } else {
            (second, first)
        };
        // The lowest and highest of the range are the two instances, when they exist.
        let mut range = self
            .instances
            .range_mut::<SmartAgId, _>((Bound::Included(low), Bound::Included(high)));
        let (mut a, mut b) = (None, None);
        for (key, instance) in [range.next(), range.next_back()].into_iter().flatten() {
            if key == first {
                a = Some(instance);
            } else if key == second {
                b = Some(instance);
            }
        }
        let a = a.filter(|i| &i.spec.region == first_region);
        let a = a.ok_or(Error::InstanceNotFound)?;
        let b = b.filter(|i| &i.spec.region == second_region);
        let b = b.ok_or(Error::InstanceNotFound)?;
        Ok(Some((a, b)))
    }

    /// Sets the account clock to `unix_seconds`: the `OnlineTime` of the sessions connected from
    /// now on. A new account's clock shows 0; nothing moves it but this (the emulator sets it
    /// from its own clock at each connect).
    pub fn set_clock(&mut self, unix_seconds: u64) {
        self.clock = unix_seconds;
    }

    /// The account clock, in Unix seconds.
    pub fn clock(&self) -> u64 {
        self.clock
    }

    /// Connects the client user `user` of instance `id` through the SAG app (a testing hook:
    /// the API has no call that does it): a new session, dated by the [account
    /// clock](Account::set_clock). A user with a static address is connected from it and has at
    /// most one session (connecting it again replaces the session); any other user gets, for
    /// each session, the lowest usable host of the pool that is no user's static address and no
    /// other session's address. Disabling, deleting or resetting the password of the user ends
    /// its sessions; a pool change ends the sessions whose address left the pool.
    ///
    /// # Errors
    ///
    /// The first that applies: [`ConnectError::NoSuchInstance`],
    /// [`ConnectError::NotAppInstance`], [`ConnectError::NoSuchUser`],
    /// [`ConnectError::UserDisabled`], [`ConnectError::NoFreeAddress`]. The account is then
    /// unchanged.
    ///
    /// ```
    /// use smartag_rules::{Account, ConnectError, CreateClientUserRaw, InstanceSpec};
    ///
    /// let mut account = Account::new();
    /// account.add_instance(
    ///     InstanceSpec::app("sag-app1".parse()?, "cn-shanghai".parse()?).pool("10.0.0.0/30".parse()?),
    /// )?;
    /// let create = CreateClientUserRaw::default()
    ///     .region_id("cn-shanghai")
    ///     .smart_ag_id("sag-app1")
    ///     .user_name("doctest1")
    ///     .password("duuf1234")
    ///     .user_mail("username@example.com");
    /// account.create_client_user(create.validate()?)?;
    /// let (id, user) = ("sag-app1".parse()?, "doctest1".parse()?);
    /// // A /30 has two usable hosts: two sessions, then no free address.
    /// assert_eq!(account.connect(&id, &user)?.client_ip().to_string(), "10.0.0.1");
    /// assert_eq!(account.connect(&id, &user)?.client_ip().to_string(), "10.0.0.2");
    /// assert_eq!(account.connect(&id, &user), Err(ConnectError::NoFreeAddress(id.clone())));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn connect(&mut self, id: &SmartAgId, user: &UserName) -> Result<Session, ConnectError> {
        let now = self.clock;
        let instance = self
            .instances
            .get_mut(id)
            .ok_or_else(|| ConnectError::NoSuchInstance(id.clone()))?;
        if !instance.accepts_client_users() {
            return Err(ConnectError::NotAppInstance(id.clone()));
        }
        let found = instance
            .user(user)
            .ok_or_else(|| ConnectError::NoSuchUser {
                instance: id.clone(),
                user: user.clone(),
            })?;
        if found.state != UserState::Enabled {
            return Err(ConnectError::UserDisabled {
                instance: id.clone(),
                user: user.clone(),
            });
        }
        let static_ip = found.client_ip;
        let client_ip = match static_ip {
            Some(ip) => {
                instance.sessions.end_user(user);
                ip
            }
            None => instance
                .free_session_address()
                .ok_or_else(|| ConnectError::NoFreeAddress(id.clone()))?
                .into(),
        };
        let session = Session {
            user_name: user.clone(),
            client_ip,
            online_time: now,
        };
        instance.sessions.push(session.clone());
        Ok(session)
    }

    /// All instances, ordered by ID.
    pub fn instances(&self) -> impl Iterator<Item = &Instance> + '_ {
        self.instances.values()
    }

    /// The enterprise codes of the account, in creation order.
    pub fn enterprise_codes(&self) -> impl Iterator<Item = &EnterpriseCode> + '_ {
        self.enterprise_codes.iter().map(|(_, code)| code)
    }

    /// Sets the user quota of an instance.
    ///
    /// # Errors
    ///
    /// [`Error::InstanceNotFound`]; [`Error::UserOverLimit`] if the instance already holds more
    /// users than `quota`.
    pub fn set_quota(
        &mut self,
        region: &RegionId,
        id: &SmartAgId,
        quota: u32,
    ) -> Result<(), Error> {
        let allowed = |i: &Instance| quota_allows(quota, i.user_count());
        self.set_limit(region, id, allowed, Error::UserOverLimit, |i| {
            i.spec.quota = quota
        })
    }

    /// Sets the per-user bandwidth ceiling of an instance.
    ///
    /// # Errors
    ///
    /// [`Error::InstanceNotFound`]; [`Error::BandwidthInvalid`] if a user already has more.
    pub fn set_max_bandwidth(
        &mut self,
        region: &RegionId,
        id: &SmartAgId,
        max: Bandwidth,
    ) -> Result<(), Error> {
        let allowed = |i: &Instance| i.users().all(|u| ceiling_allows(max, u.bandwidth));
        self.set_limit(region, id, allowed, Error::BandwidthInvalid, |i| {
            i.spec.max_bandwidth = max;
        })
    }

    /// Sets a limit of an instance with `set`: `error` unless `allowed` holds of the instance
    /// as it is (its users within the new limit).
    fn set_limit(
        &mut self,
        region: &RegionId,
        id: &SmartAgId,
        allowed: impl FnOnce(&Instance) -> bool,
        error: Error,
        set: impl FnOnce(&mut Instance),
    ) -> Result<(), Error> {
        let (instance, _) = self.found_mut(region, id)?;
        if !allowed(instance) {
            return Err(error);
        }
        set(instance);
        Ok(())
    }

    /// Replaces the client CIDR pool of an instance (as `ModifySmartAccessGateway` does).
    ///
    /// # Errors
    ///
    /// The first that applies: [`Error::InstanceNotFound`], [`Error::CidrEmpty`] for an empty
    /// pool, [`Error::CidrOverlap`] if it overlaps the pool of an instance linked to this one by
    /// a roaming user, [`Error::InvalidCidr`] if a static user's address would no longer be a
    /// usable host of the pool.
    pub fn set_cidr_pool(
        &mut self,
        region: &RegionId,
        id: &SmartAgId,
        pool: CidrPool,
    ) -> Result<(), Error> {
        // The instance to change, beside the others, in ID order: a roaming link makes their
        // pools part of the rule.
        let mut instance = None;
        let mut others = Vec::new();
        for (key, each) in &mut self.instances {
            if key == id {
                instance = Some(each);
            } else {
                others.push(&*each);
            }
        }
        let instance = instance.filter(|i| &i.spec.region == region);
        let instance = instance.ok_or(Error::InstanceNotFound)?;
        let linked = |key: &SmartAgId| {
            let at = others
                .binary_search_by(|other| other.spec.id.cmp(key))
                .ok()?;
            others.get(at).copied()
        };
        if let Some(&error) = pool_violations(instance, linked, &pool).first() {
            return Err(error);
        }
        // The sessions whose address left the pool end.
        instance
            .sessions
            .retain(|s| pool.contains_host(s.client_ip.addr()));
        instance.spec.pool = pool;
        Ok(())
    }

    /// Every reason `pool` cannot replace the pool of `instance`, in order: `SAG.CidrEmpty`,
    /// `SAG.CidrOverlap` with a roaming-linked instance, `SAG.InvalidCidr` for a stranded static
    /// user.
    pub(crate) fn cidr_pool_violations(&self, instance: &Instance, pool: &CidrPool) -> Vec<Error> {
        pool_violations(instance, |key| self.instances.get(key), pool)
    }

    /// Marks a user as used (or not) this month; a used user cannot be deleted
    /// (`ClientUser.UserInUsing`).
    ///
    /// # Errors
    ///
    /// [`Error::InstanceNotFound`], [`Error::UserNotFound`].
    pub fn mark_used_this_month(
        &mut self,
        region: &RegionId,
        id: &SmartAgId,
        name: &UserName,
        used: bool,
    ) -> Result<(), Error> {
        let (instance, _) = self.found_mut(region, id)?;
        instance.find_user_mut(name)?.used_this_month = used;
        Ok(())
    }

    /// Reserves room for `additional` more users in an instance, so that filling a large instance
    /// does not rehash as it grows.
    ///
    /// # Errors
    ///
    /// [`Error::InstanceNotFound`].
    pub fn reserve_users(
        &mut self,
        region: &RegionId,
        id: &SmartAgId,
        additional: usize,
    ) -> Result<(), Error> {
        let (instance, _) = self.found_mut(region, id)?;
        instance.reserve(additional);
        Ok(())
    }

    /// Removes the user `name` of instance `id` and, for a user of the instance in its own
    /// right, all its roaming copies (removing a copy removes that copy alone):
    /// `SAG.InstanceNoFound`, `ResourceNotFound.User`, `ClientUser.UserInUsing` (the user is
    /// marked as used this month).
    pub(crate) fn remove_user(
        &mut self,
        region: &RegionId,
        id: &SmartAgId,
        name: &UserName,
    ) -> Result<(), Error> {
        let (instance, _) = self.found_mut(region, id)?;
        let removed = instance.users.remove_if(name.as_str(), |user| {
            if user.used_this_month {
                Err(Error::UserInUsing)
            } else {
                Ok(())
            }
        })?;
        instance.sessions.end_user(name);
        // The other ends of the user's roaming links, kept by the invariants.
        match removed.roaming {
            Roaming::Origin(copies) => {
                for target in copies {
                    if let Some(target) = self.instances.get_mut(&target) {
                        target.users.remove_if(name.as_str(), |_| Ok(())).ok();
                        target.sessions.end_user(name);
                    }
                    self.unlink(id, &target);
                }
            }
            Roaming::CopyOf(origin) => {
                if let Some(user) = self
                    .instances
                    .get_mut(&*origin)
                    .and_then(|origin| origin.users.get_mut(name.as_str()))
                {
                    user.forget_copy(id);
                }
                self.unlink(id, &origin);
            }
        }
        Ok(())
    }

    /// Records one more roaming copy between `a` and `b` (in either direction): rebuilding the
    /// links of a restored snapshot.
    #[cfg(feature = "serde")]
    pub(crate) fn link(&mut self, a: &SmartAgId, b: &SmartAgId) {
        for (x, y) in [(a, b), (b, a)] {
            if let Some(instance) = self.instances.get_mut(x) {
                instance.count_link(y);
            }
        }
    }

    /// Forgets one roaming copy between `a` and `b`.
    fn unlink(&mut self, a: &SmartAgId, b: &SmartAgId) {
        for (x, y) in [(a, b), (b, a)] {
            if let Some(instance) = self.instances.get_mut(x) {
                instance.unlink(y);
            }
        }
    }

    /// Checks the [invariants](crate::rules#invariants) and returns every breach found,
    /// described in words (empty when all hold). A testing hook for property tests and fuzz
    /// targets, not API: the operations keep the invariants, so a breach is a bug of this crate.
    #[doc(hidden)]
    pub fn invariant_violations(&self) -> Vec<String> {
        let mut out = Vec::new();
        for (key, inst) in &self.instances {
            let id = &inst.spec.id;
            if key != id {
                out.push(format!("{id}: stored under key {key}"));
            }
            if !quota_allows(inst.spec.quota, inst.users.len()) {
                out.push(format!(
                    "{id}: {} users over quota {}",
                    inst.users.len(),
                    inst.spec.quota
                ));
            }
            if inst.users.len() != inst.users.iter().count() {
                out.push(format!("{id}: user count out of step"));
            }
            if inst.users.len() > 0 && inst.spec.pool.is_empty() {
                out.push(format!("{id}: users without a CIDR pool"));
            }
            let mut names = BTreeSet::new();
            let mut ips = BTreeSet::new();
            for user in inst.users.iter() {
                if !names.insert(user.name.as_str()) {
                    out.push(format!("{id}: user name {} twice", user.name));
                }
                if inst.users.get(user.name.as_str()) != Some(user) {
                    out.push(format!("{id}: lookup of {} out of step", user.name));
                }
                if let Some(ip) = user.client_ip {
                    if !inst.spec.pool.contains_host(ip.addr()) {
                        out.push(format!(
                            "{id}: {} holds {ip}, not a host of its pool",
                            user.name
                        ));
                    }
                    if !ips.insert(ip) {
                        out.push(format!("{id}: {ip} held twice"));
                    }
                }
                match &user.roaming {
                    Roaming::CopyOf(origin) => {
                        let ok = self
                            .instances
                            .get(&**origin)
                            .and_then(|o| o.users.get(user.name.as_str()))
                            .is_some_and(|o| o.copies().contains(id));
                        if !ok {
                            out.push(format!(
                                "{id}: copy {} has no origin user on {origin}",
                                user.name
                            ));
                        }
                    }
                    Roaming::Origin(copies) => {
                        for target in copies {
                            let ok = self
                                .instances
                                .get(target)
                                .and_then(|t| t.users.get(user.name.as_str()))
                                .is_some_and(|t| t.origin() == Some(id));
                            if !ok {
                                out.push(format!(
                                    "{id}: {} lists a missing copy on {target}",
                                    user.name
                                ));
                            }
                        }
                    }
                }
            }
            if ips.len() != inst.users.static_ips().count() {
                out.push(format!("{id}: static IP index out of step"));
            }
            session_violations(inst, &mut out);
            for (i, a) in inst.spec.pool.blocks().iter().enumerate() {
                for b in inst.spec.pool.blocks().iter().skip(i + 1) {
                    if a.overlaps(b) {
                        out.push(format!("{id}: blocks {a} and {b} overlap"));
                    }
                }
            }
            if inst.spec.pool.len() > CidrPool::MAX_BLOCKS {
                out.push(format!("{id}: more than {} blocks", CidrPool::MAX_BLOCKS));
            }
            let mut links: BTreeMap<&SmartAgId, u32> = BTreeMap::new();
            for user in inst.users.iter() {
                for other in user.copies().iter().chain(user.origin()) {
                    *links.entry(other).or_default() += 1;
                }
            }
            let stored: BTreeMap<&SmartAgId, u32> =
                inst.links.iter().map(|(k, v)| (k, *v)).collect();
            if links != stored {
                out.push(format!("{id}: roaming links out of step"));
            }
            for other in inst.links.keys() {
                match self.instances.get(other) {
                    Some(o) if o.spec.pool.overlaps(&inst.spec.pool) => {
                        out.push(format!("{id}: pool overlaps the pool of linked {other}"));
                    }
                    Some(_) => {}
                    None => out.push(format!("{id}: linked to missing {other}")),
                }
            }
        }
        out
    }
}

/// The breaches of the session invariants of `inst`: no two sessions share an address; every
/// session address is a usable host of the pool and no static user's address but its own user's;
/// every session belongs to an enabled user of the instance; a static user has at most one
/// session, from its own address.
fn session_violations(inst: &Instance, out: &mut Vec<String>) {
    let id = &inst.spec.id;
    let mut addresses = BTreeSet::new();
    let mut static_sessions = BTreeSet::new();
    for session in inst.sessions.iter() {
        let (name, ip) = (&session.user_name, session.client_ip);
        if !addresses.insert(ip) {
            out.push(format!("{id}: two sessions at {ip}"));
        }
        if !inst.spec.pool.contains_host(ip.addr()) {
            out.push(format!(
                "{id}: session of {name} at {ip}, not a host of its pool"
            ));
        }
        let Some(user) = inst.users.get(name.as_str()) else {
            out.push(format!("{id}: session of {name}, who is no user"));
            continue;
        };
        if user.state != UserState::Enabled {
            out.push(format!("{id}: session of disabled {name}"));
        }
        match user.client_ip {
            Some(own) if own != ip => {
                out.push(format!("{id}: session of static {name} at {ip}, not {own}"));
            }
            Some(_) if !static_sessions.insert(name.as_str()) => {
                out.push(format!("{id}: static {name} has two sessions"));
            }
            Some(_) => {}
            None if inst.users.holds_ip(ip.addr()) => {
                out.push(format!(
                    "{id}: session of {name} at the static address {ip}"
                ));
            }
            None => {}
        }
    }
}

/// Every reason `pool` cannot replace the pool of `instance`, `linked` giving the instances a
/// roaming user links to it.
fn pool_violations<'a>(
    instance: &Instance,
    linked: impl Fn(&SmartAgId) -> Option<&'a Instance>,
    pool: &CidrPool,
) -> Vec<Error> {
    let mut out = Vec::new();
    if pool.is_empty() {
        out.push(Error::CidrEmpty);
    }
    let linked_overlap = instance
        .links
        .keys()
        .filter_map(linked)
        .any(|other| other.spec.pool.overlaps(pool));
    if linked_overlap {
        out.push(Error::CidrOverlap);
    }
    if instance
        .users
        .static_ips()
        .any(|ip| !pool.contains_host(ip))
    {
        out.push(Error::InvalidCidr);
    }
    out
}
