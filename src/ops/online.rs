//! The operations on a user's online sessions: `DescribeUserOnlineClients` (the sessions,
//! oldest first) and `KickOutClients` (ends them all). Sessions are made by
//! [`Account::connect`], a testing hook.

use super::operation::Check;
use super::raw::raw_request;
use super::user_ref::{ClientUserRef, UserParams};
use super::{Operation, Response};
use crate::error::Error;
use crate::fields::ClientIp;
use crate::model::Account;

raw_request! {
    /// `DescribeUserOnlineClients` as it arrives.
    pub struct DescribeUserOnlineClientsRaw {
        /// `RegionId` (required).
        region_id: "RegionId",
        /// `SmartAGId` (required).
        smart_ag_id: "SmartAGId",
        /// `UserName` (required).
        user_name: "UserName",
    }

    /// # Errors
    ///
    /// The first form error in precedence order: `MissingParameter` or `InvalidParameter` for
    /// `RegionId`, [`Error::InstanceIdEmpty`], [`Error::NameEmpty`], [`Error::NameInvalid`];
    /// then [`Error::InstanceNotFound`] for a `SmartAGId` that is not an instance ID.
    ///
    /// ```
    /// use smartag_rules::{DescribeUserOnlineClientsRaw, Error};
    ///
    /// let raw = DescribeUserOnlineClientsRaw::default()
    ///     .region_id("cn-shanghai")
    ///     .smart_ag_id("sag-app1");
    /// assert_eq!(raw.validate(), Err(Error::NameEmpty));
    /// assert_eq!(raw.clone().user_name("abcdef").validate(), Err(Error::NameInvalid));
    /// assert_eq!(raw.user_name("doctest1").validate()?.user_name.as_str(), "doctest1");
    /// # Ok::<(), Error>(())
    /// ```
    fn validate() -> ClientUserRef = DescribeOnline;
}

raw_request! {
    /// `KickOutClients` as it arrives. Its user parameter is `Username`, with a lower-case `n`,
    /// as the API model and the SDKs send it (`UserName` is not read).
    pub struct KickOutClientsRaw {
        /// `RegionId` (required).
        region_id: "RegionId",
        /// `SmartAGId` (required).
        smart_ag_id: "SmartAGId",
        /// `Username` (required).
        username: "Username",
    }

    /// # Errors
    ///
    /// As [`DescribeUserOnlineClientsRaw::validate`], the user name read from `Username`.
    ///
    /// ```
    /// use smartag_rules::{Error, KickOutClientsRaw};
    ///
    /// let raw = KickOutClientsRaw::default().region_id("cn-shanghai").smart_ag_id("sag-app1");
    /// assert_eq!(raw.validate(), Err(Error::NameEmpty));
    /// assert_eq!(raw.username("doctest1").validate()?.user_name.as_str(), "doctest1");
    /// # Ok::<(), Error>(())
    /// ```
    fn validate() -> ClientUserRef = KickOut;
}

/// One session of `DescribeUserOnlineClients`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct OnlineClient {
    /// `ClientIp`: the address the user is connected from.
    pub client_ip: ClientIp,
    /// `OnlineTime`: when the connection was made, Unix seconds (written as text).
    pub online_time: u64,
}

/// `DescribeUserOnlineClients`.
pub(crate) struct DescribeOnline;

/// `KickOutClients`.
pub(crate) struct KickOut;

impl Operation for DescribeOnline {
    type Raw = DescribeUserOnlineClientsRaw;

    const READS_ONLY: bool = true;

    fn check(raw: &DescribeUserOnlineClientsRaw, c: &mut Check<'_>) -> Option<ClientUserRef> {
        let user = UserParams::parse(c, &raw.region_id, &raw.smart_ag_id, &raw.user_name);
        user.target.resolve(c);
        user.typed()
    }

    fn run(account: &mut Account, req: ClientUserRef) -> Result<Response, Error> {
        account
            .describe_user_online_clients(req)
            .map(Response::OnlineClients)
    }
}

impl Operation for KickOut {
    type Raw = KickOutClientsRaw;

    fn check(raw: &KickOutClientsRaw, c: &mut Check<'_>) -> Option<ClientUserRef> {
        let user = UserParams::parse(c, &raw.region_id, &raw.smart_ag_id, &raw.username);
        user.target.resolve(c);
        user.typed()
    }

    fn run(account: &mut Account, req: ClientUserRef) -> Result<Response, Error> {
        account.kick_out_clients(req).map(|()| Response::Done)
    }
}

impl Account {
    /// `DescribeUserOnlineClients`: the online sessions of the user, oldest first. A
    /// well-formed name that no user of the instance has answers no session (the API model
    /// lists no user-not-found code). Cost: O(sessions of the instance).
    ///
    /// # Errors
    ///
    /// [`Error::InstanceNotFound`].
    ///
    /// ```
    #[doc = include_str!("user_ref_example.md")]
    /// account.set_clock(1_559_125_519);
    /// account.connect(&user.smart_ag_id, &user.user_name)?;
    /// let online = account.describe_user_online_clients(user)?;
    /// assert_eq!(online.len(), 1);
    /// assert_eq!(online[0].client_ip.to_string(), "10.0.0.1");
    /// assert_eq!(online[0].online_time, 1_559_125_519);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn describe_user_online_clients(
        &self,
        req: ClientUserRef,
    ) -> Result<Vec<OnlineClient>, Error> {
        let instance = self.found(&req.region_id, &req.smart_ag_id)?;
        Ok(instance
            .sessions_of(&req.user_name)
            .map(|s| OnlineClient {
                client_ip: s.client_ip(),
                online_time: s.online_time(),
            })
            .collect())
    }

    /// `KickOutClients`: ends every online session of the user (none is no error, as a name
    /// no user has is not: the API model lists no user-not-found code).
    ///
    /// # Errors
    ///
    /// [`Error::InstanceNotFound`].
    ///
    /// ```
    #[doc = include_str!("user_ref_example.md")]
    /// account.connect(&user.smart_ag_id, &user.user_name)?;
    /// account.connect(&user.smart_ag_id, &user.user_name)?;
    /// account.kick_out_clients(user.clone())?;
    /// assert!(account.describe_user_online_clients(user.clone())?.is_empty());
    /// assert_eq!(account.kick_out_clients(user), Ok(()));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn kick_out_clients(&mut self, req: ClientUserRef) -> Result<(), Error> {
        let (instance, _) = self.found_mut(&req.region_id, &req.smart_ag_id)?;
        instance.sessions.end_user(&req.user_name);
        Ok(())
    }
}
