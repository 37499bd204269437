//! `RoamClientUser`: lets a user of one instance also log in through an instance of another
//! region.

use super::create::ClientUserInfo;
use super::operation::{instance_id, required, Check, Target};
use super::raw::raw_request;
use super::user_ref::ClientUserRef;
use super::{Operation, Response};
use crate::cidr::CidrPool;
use crate::error::Error;
use crate::fields::{EnterpriseCode, RegionId, SmartAgId, UserName};
use crate::model::{Account, ClientUser, Instance};

raw_request! {
    /// `RoamClientUser` as it arrives.
    pub struct RoamClientUserRaw {
        /// `RegionId`: the target instance's region (required).
        region_id: "RegionId",
        /// `OriginRegionId`: the origin instance's region (required).
        origin_region_id: "OriginRegionId",
        /// `OriginSmartAGId` (required).
        origin_smart_ag_id: "OriginSmartAGId",
        /// `TargetSmartAGId` (required).
        target_smart_ag_id: "TargetSmartAGId",
        /// `UserName` (required).
        user_name: "UserName",
    }

    /// # Errors
    ///
    /// The first form error in precedence order: `MissingParameter` or `InvalidParameter` for
    /// `RegionId` then `OriginRegionId`, [`Error::InstanceIdEmpty`] (origin, then target),
    /// [`Error::NameEmpty`], [`Error::NameInvalid`]; then [`Error::InstanceNotFound`] for an
    /// instance-ID parameter that is not an instance ID.
    ///
    /// ```
    /// use smartag_rules::{Error, RoamClientUserRaw};
    ///
    /// let raw = RoamClientUserRaw::default()
    ///     .region_id("cn-beijing")
    ///     .origin_region_id("cn-shanghai")
    ///     .origin_smart_ag_id("sag-sh")
    ///     .user_name("doctest1");
    /// assert_eq!(raw.validate(), Err(Error::InstanceIdEmpty));
    /// let request = raw.target_smart_ag_id("sag-bj").validate()?;
    /// assert_eq!(request.target_smart_ag_id.as_str(), "sag-bj");
    /// # Ok::<(), Error>(())
    /// ```
    fn validate() -> RoamClientUser = RoamClientUser;
}

/// `RoamClientUser`, validated: from [`RoamClientUserRaw::validate`] or [`RoamClientUser::new`].
#[derive(Clone, PartialEq, Eq, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct RoamClientUser {
    /// The target instance's region.
    pub region_id: RegionId,
    /// The origin instance's region.
    pub origin_region_id: RegionId,
    /// The instance the user belongs to.
    pub origin_smart_ag_id: SmartAgId,
    /// The instance that gains a roaming copy.
    pub target_smart_ag_id: SmartAgId,
    /// The user.
    pub user_name: UserName,
}

impl RoamClientUser {
    /// Roams `user`, a user of its instance in its own right, to the instance `target_smart_ag_id`
    /// of the region `region_id`.
    ///
    /// ```
    /// use smartag_rules::{ClientUserRef, RoamClientUser};
    ///
    /// let user = ClientUserRef::new("cn-shanghai".parse()?, "sag-sh".parse()?, "doctest1".parse()?);
    /// let roam = RoamClientUser::new(user, "cn-beijing".parse()?, "sag-bj".parse()?);
    /// assert_eq!(roam.origin_smart_ag_id.as_str(), "sag-sh");
    /// assert_eq!(roam.target_smart_ag_id.as_str(), "sag-bj");
    /// # Ok::<(), smartag_rules::Error>(())
    /// ```
    pub fn new(
        user: ClientUserRef,
        region_id: RegionId,
        target_smart_ag_id: SmartAgId,
    ) -> RoamClientUser {
        RoamClientUser {
            region_id,
            origin_region_id: user.region_id,
            origin_smart_ag_id: user.smart_ag_id,
            target_smart_ag_id,
            user_name: user.user_name,
        }
    }
}

impl Operation for RoamClientUser {
    type Raw = RoamClientUserRaw;

    fn check(raw: &RoamClientUserRaw, c: &mut Check<'_>) -> Option<RoamClientUser> {
        // Both regions come before both instance IDs.
        let region = required(c, raw.region_id.as_deref());
        let origin_region = required(c, raw.origin_region_id.as_deref());
        let origin_id = instance_id(c, raw.origin_smart_ag_id.as_deref());
        let origin = Target::of(origin_region, origin_id);
        let target = Target::of(region, instance_id(c, raw.target_smart_ag_id.as_deref()));
        let user_name: Option<UserName> = required(c, raw.user_name.as_deref());
        if let (Some(from), Some(to)) = (origin.resolve(c), target.resolve(c)) {
            instances(c, from, to);
            if let Some(name) = &user_name {
                let user = from.users.get(name.as_str()).filter(|u| u.may_roam());
                c.ensure(user.is_some(), Error::UserNotFound);
                user_rules(c, (from.spec.enterprise_code, from.pool()), to, name, user);
            }
        }
        let (origin_region_id, origin_smart_ag_id) = origin.typed()?;
        let (region_id, target_smart_ag_id) = target.typed()?;
        let user = ClientUserRef::new(origin_region_id, origin_smart_ag_id, user_name?);
        Some(RoamClientUser::new(user, region_id, target_smart_ag_id))
    }

    fn run(account: &mut Account, req: RoamClientUser) -> Result<Response, Error> {
        account.roam_client_user(req).map(|_| Response::Done)
    }
}

/// Step 3 of roaming: the target takes client users, in another region, and has a pool.
fn instances(c: &mut Check<'_>, origin: &Instance, target: &Instance) {
    c.ensure(
        target.accepts_client_users() && origin.region() != target.region(),
        Error::NotSupportAction,
    );
    c.ensure(!target.pool().is_empty(), Error::CidrEmpty);
}

/// Step 4 of roaming, after the user's lookup: the origin's enterprise code and pool against the
/// target, then the user against the target.
fn user_rules(
    c: &mut Check<'_>,
    (origin_code, origin_pool): (Option<EnterpriseCode>, &CidrPool),
    target: &Instance,
    name: &UserName,
    user: Option<&ClientUser>,
) {
    c.ensure(
        origin_code == target.spec.enterprise_code,
        Error::EnterpriseCodeConfigDifferent,
    );
    c.ensure(!origin_pool.overlaps(target.pool()), Error::CidrOverlap);
    c.ensure(!target.users.contains(name.as_str()), Error::UserExist);
    c.ensure(!target.is_full(), Error::UserOverLimit);
    if let Some(user) = user {
        if let Some(ip) = user.client_ip {
            c.ensure(target.is_free_host(ip), Error::InvalidClientIp);
        }
        c.ensure(
            target.allows_bandwidth(user.bandwidth),
            Error::BandwidthInvalid,
        );
    }
}

impl Account {
    /// `RoamClientUser`: the target instance gains a roaming copy of the origin's user (same
    /// name, credentials, mail, bandwidth, state and static address), which counts against the
    /// target's quota and is removed with its origin user. Answers the copy, as create and
    /// modify answer the user.
    ///
    /// # Errors
    ///
    /// The first that applies: [`Error::InstanceNotFound`] (origin, then target),
    /// [`Error::NotSupportAction`] (the target takes no client users, or both instances are in
    /// one region), [`Error::CidrEmpty`] (target), [`Error::UserNotFound`] (no such user of the
    /// origin in its own right), [`Error::EnterpriseCodeConfigDifferent`],
    /// [`Error::CidrOverlap`], [`Error::UserExist`], [`Error::UserOverLimit`],
    /// [`Error::InvalidClientIp`], [`Error::BandwidthInvalid`].
    ///
    /// ```
    /// use smartag_rules::{Account, CreateClientUserRaw, Error, InstanceSpec, RoamClientUserRaw};
    ///
    /// let mut account = Account::new();
    /// for (id, region, pool) in [("sag-sh", "cn-shanghai", "10.0.0.0/24"), ("sag-bj", "cn-beijing", "10.1.0.0/24")] {
    ///     account.add_instance(InstanceSpec::app(id.parse()?, region.parse()?).pool(pool.parse()?))?;
    /// }
    /// let user = CreateClientUserRaw::default()
    ///     .region_id("cn-shanghai")
    ///     .smart_ag_id("sag-sh")
    ///     .user_name("doctest1")
    ///     .password("duuf1234")
    ///     .user_mail("username@example.com");
    /// account.create_client_user(user.validate()?)?;
    ///
    /// let roam = RoamClientUserRaw::default()
    ///     .region_id("cn-beijing")
    ///     .target_smart_ag_id("sag-bj")
    ///     .origin_region_id("cn-shanghai")
    ///     .origin_smart_ag_id("sag-sh")
    ///     .user_name("doctest1");
    /// let copy = account.roam_client_user(roam.validate()?)?;
    /// assert_eq!(copy.user_name.as_str(), "doctest1");
    /// assert_eq!(account.roam_client_user(roam.validate()?), Err(Error::UserExist));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn roam_client_user(&mut self, req: RoamClientUser) -> Result<ClientUserInfo, Error> {
        let origin = (&req.origin_region_id, &req.origin_smart_ag_id);
        let target = (&req.region_id, &req.target_smart_ag_id);
        // One instance is in one region, and roaming is only across regions.
        let (origin, target) = self
            .found_two_mut(origin, target)?
            .ok_or(Error::NotSupportAction)?;
        Check::first_of(|c| instances(c, origin, target))?;
        let user = origin
            .users
            .get_mut(req.user_name.as_str())
            .filter(|u| u.may_roam())
            .ok_or(Error::UserNotFound)?;
        let origin_side = (origin.spec.enterprise_code, &origin.spec.pool);
        Check::first_of(|c| user_rules(c, origin_side, target, &req.user_name, Some(user)))?;
        let copy = user.roam_to(&origin.spec.id, target.id());
        let info = ClientUserInfo::of(&copy);
        target.users.insert(copy);
        Instance::link(origin, target);
        Ok(info)
    }
}
