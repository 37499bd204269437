//! `ModifySmartAccessGatewayClientUser`: sets a user's bandwidth and, when given, its mail.

use super::create::ClientUserInfo;
use super::operation::{required, Check, Target};
use super::raw::raw_request;
use super::{Operation, Response};
use crate::error::Error;
use crate::fields::{Bandwidth, RegionId, SmartAgId, UserMail, UserName};
use crate::model::Account;

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

    /// # Errors
    ///
    /// The first form error in precedence order: [`Error::InstanceIdEmpty`],
    /// [`Error::NameEmpty`], [`Error::NameInvalid`], [`Error::EmailInvalid`],
    /// [`Error::BandwidthInvalid`] (also when absent); `MissingParameter` or `InvalidParameter`
    /// for `RegionId`; then [`Error::InstanceNotFound`] for a `SmartAGId` that is not an
    /// instance ID.
    ///
    /// ```
    /// use smartag_rules::{Error, ModifyClientUserRaw};
    ///
    /// let raw = ModifyClientUserRaw::default()
    ///     .region_id("cn-shanghai")
    ///     .smart_ag_id("sag-app1")
    ///     .user_name("doctest1");
    /// assert_eq!(raw.validate(), Err(Error::BandwidthInvalid)); // required here
    /// let request = raw.bandwidth("500").validate()?;
    /// assert_eq!((request.bandwidth.get(), request.email), (500, None));
    /// # Ok::<(), Error>(())
    /// ```
    fn validate() -> ModifyClientUser = ModifyClientUser;
}

/// `ModifySmartAccessGatewayClientUser`, validated: from [`ModifyClientUserRaw::validate`] or
/// [`ModifyClientUser::new`].
#[derive(Clone, PartialEq, Eq, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
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

impl ModifyClientUser {
    /// A modification setting the user's bandwidth (the mail stays; [`with_email`] changes it).
    ///
    /// [`with_email`]: ModifyClientUser::with_email
    ///
    /// ```
    /// use smartag_rules::ModifyClientUser;
    ///
    /// let modify = ModifyClientUser::new(
    ///     "cn-shanghai".parse()?,
    ///     "sag-app1".parse()?,
    ///     "doctest1".parse()?,
    ///     "500".parse()?,
    /// )
    /// .with_email("username@example.com".parse()?);
    /// assert_eq!(modify.bandwidth.get(), 500);
    /// # Ok::<(), smartag_rules::Error>(())
    /// ```
    pub fn new(
        region_id: RegionId,
        smart_ag_id: SmartAgId,
        user_name: UserName,
        bandwidth: Bandwidth,
    ) -> ModifyClientUser {
        ModifyClientUser {
            region_id,
            smart_ag_id,
            user_name,
            bandwidth,
            email: None,
        }
    }

    /// Sets the user's mail address too.
    #[must_use]
    pub fn with_email(mut self, email: UserMail) -> ModifyClientUser {
        self.email = Some(email);
        self
    }
}

impl Operation for ModifyClientUser {
    type Raw = ModifyClientUserRaw;

    fn check(raw: &ModifyClientUserRaw, c: &mut Check<'_>) -> Option<ModifyClientUser> {
        let target = Target::parse(c, &raw.region_id, &raw.smart_ag_id);
        let user_name = required(c, raw.user_name.as_deref());
        let email = c.take(raw.email.as_deref().map(parse_email).transpose());
        let bandwidth = required(c, raw.bandwidth.as_deref());
        if let Some(instance) = target.resolve(c) {
            if let Some(name) = &user_name {
                c.take(instance.find_user(name));
            }
            if let Some(bandwidth) = bandwidth {
                let within_ceiling = instance.allows_bandwidth(bandwidth);
                c.ensure(within_ceiling, Error::BandwidthInvalid);
            }
        }
        let (region_id, smart_ag_id) = target.typed()?;
        let modify = ModifyClientUser::new(region_id, smart_ag_id, user_name?, bandwidth?);
        Some(ModifyClientUser {
            email: email.flatten(),
            ..modify
        })
    }

    fn run(account: &mut Account, req: ModifyClientUser) -> Result<Response, Error> {
        account.modify_client_user(req).map(Response::ClientUser)
    }
}

/// `Email` is optional, so an empty one is not missing but an invalid address.
fn parse_email(s: &str) -> Result<UserMail, Error> {
    s.parse().map_err(|_| Error::EmailInvalid)
}

impl Account {
    /// `ModifySmartAccessGatewayClientUser`: sets the user's bandwidth and, when given, its mail.
    /// A roaming copy is a user of its instance like any other: modifying it, or its origin,
    /// changes that user alone.
    ///
    /// # Errors
    ///
    /// The first that applies: [`Error::InstanceNotFound`], [`Error::UserNotFound`],
    /// [`Error::BandwidthInvalid`] (above the instance's ceiling).
    ///
    /// ```
    /// use smartag_rules::{Account, CreateClientUserRaw, Error, InstanceSpec, ModifyClientUserRaw};
    ///
    /// let mut account = Account::new();
    /// account.add_instance(
    ///     InstanceSpec::app("sag-app1".parse()?, "cn-shanghai".parse()?)
    ///         .pool("10.0.0.0/24".parse()?)
    ///         .max_bandwidth("2000".parse()?),
    /// )?;
    /// let user = CreateClientUserRaw::default()
    ///     .region_id("cn-shanghai")
    ///     .smart_ag_id("sag-app1")
    ///     .user_name("doctest1")
    ///     .password("duuf1234")
    ///     .user_mail("username@example.com");
    /// account.create_client_user(user.validate()?)?;
    ///
    /// let modify = ModifyClientUserRaw::default()
    ///     .region_id("cn-shanghai")
    ///     .smart_ag_id("sag-app1")
    ///     .user_name("doctest1");
    /// let info = account.modify_client_user(modify.clone().bandwidth("100").validate()?)?;
    /// assert_eq!(info.bandwidth.get(), 100);
    /// assert_eq!(
    ///     account.modify_client_user(modify.bandwidth("2001").validate()?),
    ///     Err(Error::BandwidthInvalid)
    /// );
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn modify_client_user(&mut self, req: ModifyClientUser) -> Result<ClientUserInfo, Error> {
        let (instance, _) = self.found_mut(&req.region_id, &req.smart_ag_id)?;
        let within_ceiling = instance.allows_bandwidth(req.bandwidth);
        let user = instance.find_user_mut(&req.user_name)?;
        if !within_ceiling {
            return Err(Error::BandwidthInvalid);
        }
        user.bandwidth = req.bandwidth;
        if let Some(mail) = req.email {
            user.mail = mail;
        }
        Ok(ClientUserInfo::of(user))
    }
}
