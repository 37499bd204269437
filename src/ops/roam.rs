//! `RoamClientUser`: lets a user of one instance also log in through an instance of another
//! region.

use super::check::{self, id_arg, Check, IdArg};
use super::raw::raw_request;
use crate::model::{Account, ClientUser, Roaming};
use crate::{Error, RegionId, SmartAgId, UserName};

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
}

/// `RoamClientUser`, validated.
#[derive(Clone, PartialEq, Eq, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
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

pub(crate) struct Parsed {
    region: Option<RegionId>,
    origin_region: Option<RegionId>,
    origin: Result<SmartAgId, bool>,
    target: Result<SmartAgId, bool>,
    name: Option<UserName>,
}

impl RoamClientUserRaw {
    pub(crate) fn parse(&self, c: &mut Check) -> Parsed {
        let region = check::region(c, self.region_id.as_deref());
        let origin_region = check::region(c, self.origin_region_id.as_deref());
        let origin = check::instance_id(c, self.origin_smart_ag_id.as_deref());
        let target = check::instance_id(c, self.target_smart_ag_id.as_deref());
        let name = check::user_name(c, self.user_name.as_deref());
        Parsed {
            region,
            origin_region,
            origin,
            target,
            name,
        }
    }

    /// Checks the form of every parameter and returns the typed request, or the first error.
    pub fn validate(&self) -> Result<RoamClientUser, Error> {
        let mut c = Check::default();
        let parsed = self.parse(&mut c);
        c.first()?;
        parsed.into_typed().ok_or(Error::InstanceNotFound)
    }
}

impl Parsed {
    fn into_typed(self) -> Option<RoamClientUser> {
        Some(RoamClientUser {
            region_id: self.region?,
            origin_region_id: self.origin_region?,
            origin_smart_ag_id: self.origin.ok()?,
            target_smart_ag_id: self.target.ok()?,
            user_name: self.name?,
        })
    }
}

impl Account {
    #[allow(clippy::too_many_arguments)]
    fn check_roam(
        &self,
        c: &mut Check,
        region: Option<&RegionId>,
        origin_region: Option<&RegionId>,
        origin: IdArg<'_>,
        target: IdArg<'_>,
        name: Option<&UserName>,
    ) {
        let origin = self.resolve(c, origin_region, origin);
        let target = self.resolve(c, region, target);
        let (Some(origin), Some(target)) = (origin, target) else {
            return;
        };
        c.ensure(
            target.accepts_client_users() && origin.region != target.region,
            Error::NotSupportAction,
        );
        c.ensure(!target.pool.is_empty(), Error::CidrEmpty);
        let Some(name) = name else {
            return;
        };
        // Only a user of the origin in its own right roams: a roaming copy is not one.
        let user = origin
            .users
            .get(name.as_str())
            .filter(|u| u.origin().is_none());
        c.ensure(user.is_some(), Error::UserNotFound);
        c.ensure(
            origin.enterprise_code == target.enterprise_code,
            Error::EnterpriseCodeConfigDifferent,
        );
        c.ensure(!origin.pool.overlaps(&target.pool), Error::CidrOverlap);
        c.ensure(!target.users.contains(name.as_str()), Error::UserExist);
        c.ensure(!target.is_full(), Error::UserOverLimit);
        if let Some(user) = user {
            if let Some(ip) = user.client_ip {
                c.ensure(target.is_free_host(ip), Error::InvalidClientIp);
            }
            c.ensure(
                user.bandwidth <= target.max_bandwidth,
                Error::BandwidthInvalid,
            );
        }
    }

    pub(crate) fn roam_violations(&self, raw: &RoamClientUserRaw) -> Vec<Error> {
        let mut c = Check::default();
        let p = raw.parse(&mut c);
        self.check_roam(
            &mut c,
            p.region.as_ref(),
            p.origin_region.as_ref(),
            id_arg(&p.origin),
            id_arg(&p.target),
            p.name.as_ref(),
        );
        c.into_errors()
    }

    pub(crate) fn roam_raw(&mut self, raw: &RoamClientUserRaw) -> Result<(), Error> {
        let mut c = Check::default();
        let p = raw.parse(&mut c);
        c.first()?;
        self.roam_client_user(p.into_typed().ok_or(Error::InstanceNotFound)?)
    }

    /// `RoamClientUser`: the target instance gains a roaming copy of the origin's user (same
    /// name, credentials, mail, bandwidth, state and static address), which counts against the
    /// target's quota and is removed with its origin user.
    ///
    /// Errors, first that applies: `SAG.InstanceNoFound` (origin, then target),
    /// `ClientUser.NotSupportAction` (the target takes no client users, or both instances are in
    /// one region), `SAG.CidrEmpty` (target), `ResourceNotFound.User` (no such user of the origin
    /// in its own right), `EnterpriseCode.ConfigDifferent`, `SAG.CidrOverlap`,
    /// `ClientUser.UserExist`, `ClientUser.UserOverLimit`, `ClientUser.InvalidClientIp`,
    /// `ClientUser.BandwidthInvalid`.
    pub fn roam_client_user(&mut self, req: RoamClientUser) -> Result<(), Error> {
        let mut c = Check::default();
        self.check_roam(
            &mut c,
            Some(&req.region_id),
            Some(&req.origin_region_id),
            IdArg::Id(&req.origin_smart_ag_id),
            IdArg::Id(&req.target_smart_ag_id),
            Some(&req.user_name),
        );
        c.first()?;
        let origin_user = self
            .instance_mut(&req.origin_region_id, req.origin_smart_ag_id.as_str())
            .and_then(|origin| origin.users.get_mut(req.user_name.as_str()))
            .ok_or(Error::UserNotFound)?;
        if let Roaming::Origin(copies) = &mut origin_user.roaming {
            copies.push(req.target_smart_ag_id.clone());
        }
        let copy = ClientUser {
            roaming: Roaming::CopyOf(req.origin_smart_ag_id.clone()),
            used_this_month: false,
            ..origin_user.clone()
        };
        if let Some(target) = self.instance_mut(&req.region_id, req.target_smart_ag_id.as_str()) {
            target.users.insert(copy);
        }
        self.link(&req.origin_smart_ag_id, &req.target_smart_ag_id);
        Ok(())
    }
}
