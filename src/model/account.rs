use std::collections::{BTreeMap, BTreeSet};

use super::instance::{Instance, InstanceSpec};
use super::user::Roaming;
use crate::rng::Rng;
use crate::{Bandwidth, CidrPool, EnterpriseCode, Error, RegionId, SmartAgId};

/// Everything one cloud account owns: SAG instances in any number of regions, their client users,
/// and the account's enterprise codes.
///
/// Every operation is atomic: it checks everything first (on `&self`) and changes the account only
/// once all checks have passed, so a failed call leaves it exactly as it was.
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
/// let instance = account.instance(&"cn-shanghai".parse()?, "sag-app1").unwrap();
/// assert_eq!(instance.user_count(), 0);
/// # Ok::<(), smartag_rules::Error>(())
/// ```
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct Account {
    pub(crate) instances: BTreeMap<SmartAgId, Instance>,
    pub(crate) enterprise_codes: BTreeSet<EnterpriseCode>,
    pub(crate) rng: Rng,
}

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

    /// Adds an instance. Its ID must be new to the account (else `InvalidParameter`); its
    /// enterprise code, if any, is created in the account when new.
    pub fn add_instance(&mut self, spec: InstanceSpec) -> Result<&Instance, Error> {
        if self.instances.contains_key(&spec.id) {
            return Err(Error::InvalidParameter);
        }
        if let Some(code) = spec.enterprise_code {
            self.enterprise_codes.insert(code);
        }
        let id = spec.id.clone();
        Ok(self
            .instances
            .entry(id)
            .or_insert_with(|| Instance::from_spec(spec)))
    }

    /// The instance `id` if it lives in `region` (an instance of another region is not found).
    pub fn instance(&self, region: &RegionId, id: &str) -> Option<&Instance> {
        self.instances
            .get(id)
            .filter(|instance| &instance.region == region)
    }

    pub(crate) fn instance_mut(&mut self, region: &RegionId, id: &str) -> Option<&mut Instance> {
        self.instances
            .get_mut(id)
            .filter(|instance| &instance.region == region)
    }

    /// All instances, ordered by ID.
    pub fn instances(&self) -> impl Iterator<Item = &Instance> + '_ {
        self.instances.values()
    }

    /// The enterprise codes created in the account.
    pub fn enterprise_codes(&self) -> impl Iterator<Item = &EnterpriseCode> + '_ {
        self.enterprise_codes.iter()
    }

    /// The generator state (seeded by [`Account::with_seed`]).
    pub fn rng(&self) -> &Rng {
        &self.rng
    }

    fn found(&self, region: &RegionId, id: &SmartAgId) -> Result<&Instance, Error> {
        self.instance(region, id.as_str())
            .ok_or(Error::InstanceNotFound)
    }

    /// Sets the user quota of an instance: `ClientUser.UserOverLimit` if it already holds more
    /// users than `quota`.
    pub fn set_quota(
        &mut self,
        region: &RegionId,
        id: &SmartAgId,
        quota: u32,
    ) -> Result<(), Error> {
        let instance = self.found(region, id)?;
        if u64::try_from(instance.user_count()).unwrap_or(u64::MAX) > u64::from(quota) {
            return Err(Error::UserOverLimit);
        }
        if let Some(instance) = self.instance_mut(region, id.as_str()) {
            instance.quota = quota;
        }
        Ok(())
    }

    /// Sets the per-user bandwidth ceiling of an instance: `ClientUser.BandwidthInvalid` if a
    /// user already has more.
    pub fn set_max_bandwidth(
        &mut self,
        region: &RegionId,
        id: &SmartAgId,
        max: Bandwidth,
    ) -> Result<(), Error> {
        let instance = self.found(region, id)?;
        if instance.users().any(|u| u.bandwidth > max) {
            return Err(Error::BandwidthInvalid);
        }
        if let Some(instance) = self.instance_mut(region, id.as_str()) {
            instance.max_bandwidth = max;
        }
        Ok(())
    }

    /// Replaces the client CIDR pool of an instance (as `ModifySmartAccessGateway` does):
    /// `SAG.CidrEmpty` for an empty pool, `SAG.CidrOverlap` if it overlaps the pool of an instance
    /// linked to this one by a roaming user, `SAG.InvalidCidr` if a static user's address would
    /// no longer be a usable host of the pool.
    pub fn set_cidr_pool(
        &mut self,
        region: &RegionId,
        id: &SmartAgId,
        pool: CidrPool,
    ) -> Result<(), Error> {
        self.check_cidr_pool(region, id, &pool)?;
        if let Some(instance) = self.instance_mut(region, id.as_str()) {
            instance.pool = pool;
        }
        Ok(())
    }

    pub(crate) fn check_cidr_pool(
        &self,
        region: &RegionId,
        id: &SmartAgId,
        pool: &CidrPool,
    ) -> Result<(), Error> {
        self.cidr_pool_violations(region, id, pool)
            .first()
            .map_or(Ok(()), |&e| Err(e))
    }

    /// Every reason `pool` cannot replace the pool of instance `id`, in order:
    /// `SAG.InstanceNoFound` (alone), `SAG.CidrEmpty`, `SAG.CidrOverlap` with a roaming-linked
    /// instance, `SAG.InvalidCidr` for a stranded static user.
    pub(crate) fn cidr_pool_violations(
        &self,
        region: &RegionId,
        id: &SmartAgId,
        pool: &CidrPool,
    ) -> Vec<Error> {
        let instance = match self.found(region, id) {
            Ok(instance) => instance,
            Err(e) => return vec![e],
        };
        let mut out = Vec::new();
        if pool.is_empty() {
            out.push(Error::CidrEmpty);
        }
        let linked_overlap = instance
            .links
            .keys()
            .filter_map(|other| self.instances.get(other))
            .any(|other| other.pool.overlaps(pool));
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

    /// Creates an enterprise code in the account: `EnterpriseCode.BeenOccupied` if it exists
    /// (codes compare case-insensitively).
    pub fn create_enterprise_code(&mut self, code: EnterpriseCode) -> Result<(), Error> {
        if self.enterprise_codes.contains(&code) {
            return Err(Error::EnterpriseCodeBeenOccupied);
        }
        self.enterprise_codes.insert(code);
        Ok(())
    }

    /// Binds an enterprise code of the account to an instance (`UpdateSmartAGEnterpriseCode`):
    /// `EnterpriseCode.NotExist` if the code was never created.
    pub fn bind_enterprise_code(
        &mut self,
        region: &RegionId,
        id: &SmartAgId,
        code: EnterpriseCode,
    ) -> Result<(), Error> {
        self.found(region, id)?;
        if !self.enterprise_codes.contains(&code) {
            return Err(Error::EnterpriseCodeNotExist);
        }
        if let Some(instance) = self.instance_mut(region, id.as_str()) {
            instance.enterprise_code = Some(code);
        }
        Ok(())
    }

    /// Marks a user as used (or not) this month; a used user cannot be deleted
    /// (`ClientUser.UserInUsing`). `ResourceNotFound.User` if there is no such user.
    pub fn mark_used_this_month(
        &mut self,
        region: &RegionId,
        id: &SmartAgId,
        name: &str,
        used: bool,
    ) -> Result<(), Error> {
        let instance = self
            .instance_mut(region, id.as_str())
            .ok_or(Error::InstanceNotFound)?;
        let user = instance.users.get_mut(name).ok_or(Error::UserNotFound)?;
        user.used_this_month = used;
        Ok(())
    }

    /// Reserves room for `additional` more users in an instance, so that filling a large instance
    /// does not rehash as it grows. Does nothing if the instance is not found.
    pub fn reserve_users(&mut self, region: &RegionId, id: &SmartAgId, additional: usize) {
        if let Some(instance) = self.instance_mut(region, id.as_str()) {
            instance.reserve(additional);
        }
    }

    /// Records one more roaming copy between `a` and `b` (in either direction).
    pub(crate) fn link(&mut self, a: &SmartAgId, b: &SmartAgId) {
        for (x, y) in [(a, b), (b, a)] {
            if let Some(instance) = self.instances.get_mut(x) {
                *instance.links.entry(y.clone()).or_default() += 1;
            }
        }
    }

    /// Forgets one roaming copy between `a` and `b`.
    pub(crate) fn unlink(&mut self, a: &SmartAgId, b: &SmartAgId) {
        for (x, y) in [(a, b), (b, a)] {
            if let Some(instance) = self.instances.get_mut(x) {
                if let Some(count) = instance.links.get_mut(y) {
                    *count -= 1;
                    if *count == 0 {
                        instance.links.remove(y);
                    }
                }
            }
        }
    }

    /// Checks the [invariants](crate::rules#invariants) and returns every breach found, described in
    /// words (empty when all hold). For property tests and fuzz targets; the operations keep
    /// the invariants, so a breach is a bug of this crate.
    pub fn invariant_violations(&self) -> Vec<String> {
        let mut out = Vec::new();
        for (key, inst) in &self.instances {
            let id = &inst.id;
            if key != id {
                out.push(format!("{id}: stored under key {key}"));
            }
            if u64::try_from(inst.users.len()).unwrap_or(u64::MAX) > u64::from(inst.quota) {
                out.push(format!(
                    "{id}: {} users over quota {}",
                    inst.users.len(),
                    inst.quota
                ));
            }
            if inst.users.len() != inst.users.iter().count() {
                out.push(format!("{id}: user count out of step"));
            }
            if inst.users.len() > 0 && inst.pool.is_empty() {
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
                    if !inst.pool.contains_host(ip.addr()) {
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
                            .get(origin)
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
            for (i, a) in inst.pool.blocks().iter().enumerate() {
                for b in inst.pool.blocks().iter().skip(i + 1) {
                    if a.overlaps(b) {
                        out.push(format!("{id}: blocks {a} and {b} overlap"));
                    }
                }
            }
            if inst.pool.len() > CidrPool::MAX_BLOCKS {
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
                    Some(o) if o.pool.overlaps(&inst.pool) => {
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
