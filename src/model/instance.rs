use std::collections::BTreeMap;
use std::net::Ipv4Addr;

use super::sessions::{Session, Sessions};
use super::user::ClientUser;
use super::users::UserTable;
use crate::cidr::CidrPool;
use crate::error::Error;
use crate::fields::{Bandwidth, ClientIp, EnterpriseCode, RegionId, SmartAgId, UserName};

/// The quota rule: an instance of quota `quota` may hold `users` users.
pub(crate) fn quota_allows(quota: u32, users: usize) -> bool {
    u64::try_from(users).is_ok_and(|users| users <= u64::from(quota))
}

/// The bandwidth-ceiling rule: a user of an instance of ceiling `max` may have `bandwidth`.
pub(crate) fn ceiling_allows(max: Bandwidth, bandwidth: Bandwidth) -> bool {
    bandwidth <= max
}

/// What an instance is, as far as client users go.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum InstanceKind {
    /// An SAG APP instance: it takes client users.
    #[default]
    App,
    /// A hardware gateway (or an APP instance whose users are managed elsewhere): it refuses
    /// client users with `ClientUser.NotSupportAction`.
    Hardware,
}

/// The description of an instance to add to an [`Account`](super::Account): what the purchase
/// of an SAG APP (or hardware) instance fixes.
///
/// ```
/// use smartag_rules::{InstanceSpec, InstanceKind};
///
/// let spec = InstanceSpec::app("sag-app1".parse()?, "cn-shanghai".parse()?)
///     .quota(5)
///     .pool("10.0.0.0/24".parse()?);
/// assert_eq!(spec.kind, InstanceKind::App);
/// assert_eq!(spec.max_bandwidth.get(), 20000);
/// # Ok::<(), smartag_rules::Error>(())
/// ```
#[derive(Clone, PartialEq, Eq, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct InstanceSpec {
    /// The instance ID, unique within the account.
    pub id: SmartAgId,
    /// The region the instance lives in.
    pub region: RegionId,
    /// APP instance or hardware.
    pub kind: InstanceKind,
    /// How many client users (roaming copies included) the instance may hold.
    pub quota: u32,
    /// The per-user bandwidth ceiling (20000 Kbit/s by default; older instances have 2000).
    pub max_bandwidth: Bandwidth,
    /// The client CIDR pool (empty by default: the instance then holds no user).
    pub pool: CidrPool,
    /// The enterprise code bound to the instance; it is created in the account if it is new.
    pub enterprise_code: Option<EnterpriseCode>,
}

impl InstanceSpec {
    /// The quota of a new instance when none is given.
    pub const DEFAULT_QUOTA: u32 = 5;

    /// An APP instance with the default quota, ceiling 20000 Kbit/s, no pool and no code.
    pub fn app(id: SmartAgId, region: RegionId) -> InstanceSpec {
        InstanceSpec {
            id,
            region,
            kind: InstanceKind::App,
            quota: Self::DEFAULT_QUOTA,
            max_bandwidth: Bandwidth::MAX,
            pool: CidrPool::empty(),
            enterprise_code: None,
        }
    }

    /// A hardware instance, which refuses client users.
    pub fn hardware(id: SmartAgId, region: RegionId) -> InstanceSpec {
        InstanceSpec {
            kind: InstanceKind::Hardware,
            ..InstanceSpec::app(id, region)
        }
    }

    /// Sets the user quota.
    pub fn quota(mut self, quota: u32) -> Self {
        self.quota = quota;
        self
    }

    /// Sets the client CIDR pool.
    pub fn pool(mut self, pool: CidrPool) -> Self {
        self.pool = pool;
        self
    }

    /// Sets the per-user bandwidth ceiling.
    pub fn max_bandwidth(mut self, max: Bandwidth) -> Self {
        self.max_bandwidth = max;
        self
    }

    /// Binds an enterprise code.
    pub fn enterprise_code(mut self, code: EnterpriseCode) -> Self {
        self.enterprise_code = Some(code);
        self
    }
}

/// An SAG instance of an account and its client users.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Instance {
    /// What the instance is (its ID, region, quota, ceiling, pool and code), as added and as
    /// changed since.
    pub(crate) spec: InstanceSpec,
    pub(crate) users: UserTable,
    /// The instances linked to this one by roaming copies (in either direction), with how many.
    pub(crate) links: BTreeMap<SmartAgId, u32>,
    /// The online sessions of its users, oldest first.
    pub(crate) sessions: Sessions,
}

impl Instance {
    pub(crate) fn from_spec(spec: InstanceSpec) -> Instance {
        Instance {
            spec,
            users: UserTable::default(),
            links: BTreeMap::new(),
            sessions: Sessions::default(),
        }
    }

    /// The instance ID.
    pub fn id(&self) -> &SmartAgId {
        &self.spec.id
    }

    /// The region.
    pub fn region(&self) -> &RegionId {
        &self.spec.region
    }

    /// APP instance or hardware.
    pub fn kind(&self) -> InstanceKind {
        self.spec.kind
    }

    /// Whether the instance takes client users.
    pub fn accepts_client_users(&self) -> bool {
        self.spec.kind == InstanceKind::App
    }

    /// The user quota (roaming copies count against it).
    pub fn quota(&self) -> u32 {
        self.spec.quota
    }

    /// The per-user bandwidth ceiling.
    pub fn max_bandwidth(&self) -> Bandwidth {
        self.spec.max_bandwidth
    }

    /// The client CIDR pool.
    pub fn pool(&self) -> &CidrPool {
        &self.spec.pool
    }

    /// The bound enterprise code, if any.
    pub fn enterprise_code(&self) -> Option<&EnterpriseCode> {
        self.spec.enterprise_code.as_ref()
    }

    /// How many users the instance holds, roaming copies included.
    pub fn user_count(&self) -> usize {
        self.users.len()
    }

    /// Whether the quota is used up: one more user would break it.
    pub fn is_full(&self) -> bool {
        !quota_allows(self.spec.quota, self.users.len().saturating_add(1))
    }

    /// Whether a user may have `bandwidth` here: at most the instance's ceiling
    /// (`ClientUser.BandwidthInvalid` otherwise).
    pub fn allows_bandwidth(&self, bandwidth: Bandwidth) -> bool {
        ceiling_allows(self.spec.max_bandwidth, bandwidth)
    }

    /// The user of that name, in O(1).
    pub fn user(&self, name: &UserName) -> Option<&ClientUser> {
        self.users.get(name.as_str())
    }

    /// The user of that name: `ResourceNotFound.User` when there is none.
    pub(crate) fn find_user(&self, name: &UserName) -> Result<&ClientUser, Error> {
        self.user(name).ok_or(Error::UserNotFound)
    }

    /// The user of that name, for a change: `ResourceNotFound.User` when there is none.
    pub(crate) fn find_user_mut(&mut self, name: &UserName) -> Result<&mut ClientUser, Error> {
        self.users.get_mut(name.as_str()).ok_or(Error::UserNotFound)
    }

    /// The users in creation order.
    pub fn users(&self) -> impl DoubleEndedIterator<Item = &ClientUser> + '_ {
        self.users.iter()
    }

    /// Whether some user of the instance holds `ip` as its static address, in O(1).
    pub fn holds_ip(&self, ip: Ipv4Addr) -> bool {
        self.users.holds_ip(ip)
    }

    /// Whether `ip` may become a user's static address here: a usable host of the pool that no
    /// user holds yet, as its static address or as the address of an online session
    /// (`ClientUser.InvalidClientIp` otherwise).
    pub fn is_free_host(&self, ip: ClientIp) -> bool {
        self.spec.pool.contains_host(ip.addr())
            && !self.holds_ip(ip.addr())
            && !self.sessions.holds(ip.addr())
    }

    /// The online sessions of the instance's users, oldest first.
    pub fn sessions(&self) -> impl Iterator<Item = &Session> + '_ {
        self.sessions.iter()
    }

    /// The online sessions of the user `name`, oldest first (none for a name no user has).
    pub fn sessions_of<'a>(&'a self, name: &'a UserName) -> impl Iterator<Item = &'a Session> + 'a {
        self.sessions.of(name)
    }

    /// The address a new session of a user without a static address gets: the lowest usable
    /// host of the pool that is no user's static address and no session's address; `None` when
    /// every host is taken. Cost: O(addresses held), as each address passed over is held.
    pub(crate) fn free_session_address(&self) -> Option<Ipv4Addr> {
        let mut blocks: Vec<_> = self.spec.pool.blocks().iter().collect();
        blocks.sort_by_key(|block| block.network());
        blocks.into_iter().find_map(|block| {
            let first = u32::from(block.network()).checked_add(1)?;
            let last = u32::from(block.broadcast()).checked_sub(1)?;
            (first..=last)
                .map(Ipv4Addr::from)
                .find(|&ip| !self.holds_ip(ip) && !self.sessions.holds(ip))
        })
    }

    /// The instances linked to this one by a roaming user, in either direction.
    pub fn linked_instances(&self) -> impl Iterator<Item = &SmartAgId> + '_ {
        self.links.keys()
    }

    pub(crate) fn reserve(&mut self, additional: usize) {
        self.users.reserve(additional);
    }

    /// Records one more roaming copy between `a` and `b`.
    pub(crate) fn link(a: &mut Instance, b: &mut Instance) {
        a.count_link(&b.spec.id);
        b.count_link(&a.spec.id);
    }

    /// Counts one more roaming copy between this instance and `other`.
    pub(crate) fn count_link(&mut self, other: &SmartAgId) {
        *self.links.entry(other.clone()).or_default() += 1;
    }

    /// Forgets one roaming copy between this instance and `other`.
    pub(crate) fn unlink(&mut self, other: &SmartAgId) {
        if let Some(count) = self.links.get_mut(other) {
            *count -= 1;
            if *count == 0 {
                self.links.remove(other);
            }
        }
    }
}
