//! `ModifySmartAccessGatewayClientUser`: sets a user's bandwidth and, when given, its mail.

use super::check::{self, id_arg, Check, IdArg};
use super::create::ClientUserInfo;
use super::raw::raw_request;
use crate::model::Account;
use crate::{Bandwidth, Error, RegionId, SmartAgId, UserMail, UserName};

raw_request! {
    /// `ModifySmartAccessGatewayClientUser` as it arrives.
    pub struct ModifyClientUserRaw {
        /// `RegionId` (required).
        region_id: "RegionId",
        /// `SmartAGId` (required).
        smart_ag_id: "SmartAGId",
        /// `UserName` (required).
        user_name: "UserName",
        /// `Bandwidth` (required).
        bandwidth: "Bandwidth",
        /// `Email` (optional; when present it must be a valid address, the empty string included).
        email: "Email",
    }
}

/// `ModifySmartAccessGatewayClientUser`, validated.
#[derive(Clone, PartialEq, Eq, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ModifyClientUser {
    /// The instance's region.
    pub region_id: RegionId,
    /// The instance.
    pub smart_ag_id: SmartAgId,
    /// The user.
    pub user_name: UserName,
    /// The new peak bandwidth.
    pub bandwidth: Bandwidth,
    /// The new mail address, if it changes.
    pub email: Option<UserMail>,
}

pub(crate) struct Parsed {
    region: Option<RegionId>,
    id: Result<SmartAgId, bool>,
    name: Option<UserName>,
    email: Option<Option<UserMail>>,
    bandwidth: Option<Bandwidth>,
}

impl ModifyClientUserRaw {
    pub(crate) fn parse(&self, c: &mut Check) -> Parsed {
        let region = check::region(c, self.region_id.as_deref());
        let id = check::instance_id(c, self.smart_ag_id.as_deref());
        let name = check::user_name(c, self.user_name.as_deref());
        // Email is optional, so an empty one is not "missing" but an invalid address.
        let email = match self.email.as_deref() {
            None => Some(None),
            Some(s) => c
                .take(s.parse::<UserMail>().map_err(|_| Error::EmailInvalid))
                .map(Some),
        };
        let bandwidth = check::bandwidth(c, self.bandwidth.as_deref(), None);
        Parsed {
            region,
            id,
            name,
            email,
            bandwidth,
        }
    }

    /// Checks the form of every parameter and returns the typed request, or the first error.
    pub fn validate(&self) -> Result<ModifyClientUser, Error> {
        let mut c = Check::default();
        let parsed = self.parse(&mut c);
        c.first()?;
        parsed.into_typed().ok_or(Error::InstanceNotFound)
    }
}

impl Parsed {
    fn into_typed(self) -> Option<ModifyClientUser> {
        Some(ModifyClientUser {
            region_id: self.region?,
            smart_ag_id: self.id.ok()?,
            user_name: self.name?,
            bandwidth: self.bandwidth?,
            email: self.email?,
        })
    }
}

impl Account {
    fn check_modify(
        &self,
        c: &mut Check,
        region: Option<&RegionId>,
        id: IdArg<'_>,
        name: Option<&UserName>,
        bandwidth: Option<Bandwidth>,
    ) {
        let Some(instance) = self.resolve(c, region, id) else {
            return;
        };
        if let Some(name) = name {
            c.ensure(instance.users.contains(name.as_str()), Error::UserNotFound);
        }
        if let Some(bandwidth) = bandwidth {
            c.ensure(bandwidth <= instance.max_bandwidth, Error::BandwidthInvalid);
        }
    }

    pub(crate) fn modify_violations(&self, raw: &ModifyClientUserRaw) -> Vec<Error> {
        let mut c = Check::default();
        let p = raw.parse(&mut c);
        self.check_modify(
            &mut c,
            p.region.as_ref(),
            id_arg(&p.id),
            p.name.as_ref(),
            p.bandwidth,
        );
        c.into_errors()
    }

    pub(crate) fn modify_raw(
        &mut self,
        raw: &ModifyClientUserRaw,
    ) -> Result<ClientUserInfo, Error> {
        let mut c = Check::default();
        let p = raw.parse(&mut c);
        c.first()?;
        self.modify_client_user(p.into_typed().ok_or(Error::InstanceNotFound)?)
    }

    /// `ModifySmartAccessGatewayClientUser`: sets the user's bandwidth and, when given, its mail.
    ///
    /// Errors, first that applies: `SAG.InstanceNoFound`, `ResourceNotFound.User`,
    /// `ClientUser.BandwidthInvalid` (above the instance's ceiling). A roaming copy is a user of
    /// its instance like any other: modifying it, or its origin, changes that user alone.
    pub fn modify_client_user(&mut self, req: ModifyClientUser) -> Result<ClientUserInfo, Error> {
        let mut c = Check::default();
        self.check_modify(
            &mut c,
            Some(&req.region_id),
            IdArg::Id(&req.smart_ag_id),
            Some(&req.user_name),
            Some(req.bandwidth),
        );
        c.first()?;
        let user = self
            .instance_mut(&req.region_id, req.smart_ag_id.as_str())
            .and_then(|instance| instance.users.get_mut(req.user_name.as_str()))
            .ok_or(Error::UserNotFound)?;
        user.bandwidth = req.bandwidth;
        if let Some(mail) = req.email {
            user.mail = mail;
        }
        Ok(ClientUserInfo::of(user))
    }
}
