//! The operations that name one user and change it: `DeleteSmartAccessGatewayClientUser`,
//! `EnableSmartAccessGatewayUser`, `DisableSmartAccessGatewayUser` and
//! `ResetSmartAccessGatewayClientUserPassword`.

use super::operation::{optional, required, Check, Target};
use super::raw::raw_request;
use super::{Operation, Response};
use crate::error::Error;
use crate::fields::{Password, RegionId, SmartAgId, UserName};
use crate::model::{Account, UserState};

raw_request! {
    /// A request naming one user, as it arrives (delete, enable, disable).
    pub struct ClientUserRefRaw {
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
    /// use smartag_rules::{ClientUserRefRaw, Error};
    ///
    /// let raw = ClientUserRefRaw::default().region_id("cn-shanghai").smart_ag_id("sag-app1");
    /// assert_eq!(raw.validate(), Err(Error::NameEmpty));
    /// let user = raw.user_name("doctest1").validate()?;
    /// assert_eq!(user.user_name.as_str(), "doctest1");
    /// # Ok::<(), Error>(())
    /// ```
    fn validate() -> ClientUserRef = OnUser<{ user_action::DELETE }>;
}

/// A request naming one user, validated: from [`ClientUserRefRaw::validate`] (delete, enable,
/// disable), [`DescribeUserOnlineClientsRaw::validate`], [`KickOutClientsRaw::validate`] or
/// [`ClientUserRef::new`].
///
/// [`DescribeUserOnlineClientsRaw::validate`]: crate::DescribeUserOnlineClientsRaw::validate
/// [`KickOutClientsRaw::validate`]: crate::KickOutClientsRaw::validate
#[derive(Clone, PartialEq, Eq, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct ClientUserRef {
    /// The instance's region.
    pub region_id: RegionId,
    /// The instance.
    pub smart_ag_id: SmartAgId,
    /// The user.
    pub user_name: UserName,
}

raw_request! {
    /// `ResetSmartAccessGatewayClientUserPassword` as it arrives.
    pub struct ResetPasswordRaw {
        /// `RegionId` (required).
        region_id: "RegionId",
        /// `SmartAGId` (required).
        smart_ag_id: "SmartAGId",
        /// `UserName` (required).
        user_name: "UserName",
        /// `Password` (optional: generated when absent).
        password: "Password",
    }

    /// # Errors
    ///
    /// As [`ClientUserRefRaw::validate`], then [`Error::PasswordInvalid`] for a `Password` that
    /// is given and breaks the password rule (absent: one is generated).
    ///
    /// ```
    /// use smartag_rules::{Error, ResetPasswordRaw};
    ///
    /// let raw = ResetPasswordRaw::default()
    ///     .region_id("cn-shanghai")
    ///     .smart_ag_id("sag-app1")
    ///     .user_name("doctest1");
    /// assert_eq!(raw.validate()?.password, None);
    /// assert_eq!(raw.password("short").validate(), Err(Error::PasswordInvalid));
    /// # Ok::<(), Error>(())
    /// ```
    fn validate() -> ResetPassword = ResetPassword;
}

/// `ResetSmartAccessGatewayClientUserPassword`, validated: from [`ResetPasswordRaw::validate`] or
/// [`ResetPassword::new`].
#[derive(Clone, PartialEq, Eq, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct ResetPassword {
    /// The user.
    pub user: ClientUserRef,
    /// The new password; `None` has the service generate one.
    pub password: Option<Password>,
}

impl ClientUserRef {
    /// The user `user_name` of the instance `smart_ag_id` in `region_id`.
    ///
    /// ```
    /// use smartag_rules::ClientUserRef;
    ///
    /// let user = ClientUserRef::new("cn-shanghai".parse()?, "sag-app1".parse()?, "doctest1".parse()?);
    /// assert_eq!(user.user_name.as_str(), "doctest1");
    /// # Ok::<(), smartag_rules::Error>(())
    /// ```
    pub fn new(region_id: RegionId, smart_ag_id: SmartAgId, user_name: UserName) -> ClientUserRef {
        ClientUserRef {
            region_id,
            smart_ag_id,
            user_name,
        }
    }
}

impl ResetPassword {
    /// Resets the password of `user` to one the service generates ([`with_password`] sets it).
    ///
    /// [`with_password`]: ResetPassword::with_password
    ///
    /// ```
    /// use smartag_rules::{ClientUserRef, ResetPassword};
    ///
    /// let user = ClientUserRef::new("cn-shanghai".parse()?, "sag-app1".parse()?, "doctest1".parse()?);
    /// assert_eq!(ResetPassword::new(user.clone()).password, None);
    /// let reset = ResetPassword::new(user).with_password("newpass99".parse()?);
    /// assert!(reset.password.is_some());
    /// # Ok::<(), smartag_rules::Error>(())
    /// ```
    pub fn new(user: ClientUserRef) -> ResetPassword {
        ResetPassword {
            user,
            password: None,
        }
    }

    /// Sets this password instead.
    #[must_use]
    pub fn with_password(mut self, password: Password) -> ResetPassword {
        self.password = Some(password);
        self
    }
}

/// The parameters naming one user, after their own checks.
pub(super) struct UserParams {
    pub(super) target: Target,
    name: Option<UserName>,
}

impl UserParams {
    /// `RegionId`, `SmartAGId`, then `UserName` (inlined into each operation's check, as the
    /// per-parameter helpers are).
    #[inline(always)]
    pub(super) fn parse(
        c: &mut Check<'_>,
        region: &Option<String>,
        id: &Option<String>,
        name: &Option<String>,
    ) -> UserParams {
        let target = Target::parse(c, region, id);
        let name = required(c, name.as_deref());
        UserParams { target, name }
    }

    /// Steps 2 to 4: the instance, then the user (and, to delete it, that it is not in use).
    fn check(&self, c: &mut Check<'_>, deleting: bool) {
        let Some(instance) = self.target.resolve(c) else {
            return;
        };
        if let Some(user) = self
            .name
            .as_ref()
            .and_then(|n| c.take(instance.find_user(n)))
        {
            c.ensure(!(deleting && user.used_this_month), Error::UserInUsing);
        }
    }

    /// The user, once its parameters passed their checks.
    #[inline(always)]
    pub(super) fn typed(self) -> Option<ClientUserRef> {
        let (region_id, smart_ag_id) = self.target.typed()?;
        Some(ClientUserRef::new(region_id, smart_ag_id, self.name?))
    }
}

/// What a request naming one user does to it.
pub(crate) mod user_action {
    /// `DeleteSmartAccessGatewayClientUser`.
    pub(crate) const DELETE: u8 = 0;
    /// `EnableSmartAccessGatewayUser`.
    pub(crate) const ENABLE: u8 = 1;
    /// `DisableSmartAccessGatewayUser`.
    pub(crate) const DISABLE: u8 = 2;
}

/// The operations that name one user and delete, enable or disable it (`ACTION`, one of
/// [`user_action`]).
pub(crate) struct OnUser<const ACTION: u8>;

impl<const ACTION: u8> Operation for OnUser<ACTION> {
    type Raw = ClientUserRefRaw;

    fn check(raw: &ClientUserRefRaw, c: &mut Check<'_>) -> Option<ClientUserRef> {
        let user = UserParams::parse(c, &raw.region_id, &raw.smart_ag_id, &raw.user_name);
        user.check(c, ACTION == user_action::DELETE);
        user.typed()
    }

    fn run(account: &mut Account, req: ClientUserRef) -> Result<Response, Error> {
        match ACTION {
            user_action::DELETE => account.delete_client_user(req),
            user_action::ENABLE => account.set_user_state(req, UserState::Enabled),
            _ => account.set_user_state(req, UserState::Disabled),
        }
        .map(|()| Response::Done)
    }
}

impl Operation for ResetPassword {
    type Raw = ResetPasswordRaw;

    fn check(raw: &ResetPasswordRaw, c: &mut Check<'_>) -> Option<ResetPassword> {
        let user = UserParams::parse(c, &raw.region_id, &raw.smart_ag_id, &raw.user_name);
        let password = optional(c, raw.password.as_deref());
        user.check(c, false);
        Some(ResetPassword {
            password,
            ..ResetPassword::new(user.typed()?)
        })
    }

    fn run(account: &mut Account, req: ResetPassword) -> Result<Response, Error> {
        account.reset_password(req).map(|()| Response::Done)
    }
}

impl Account {
    /// `DeleteSmartAccessGatewayClientUser`: removes the user and, for a user of the instance in
    /// its own right, all its roaming copies (deleting a copy removes that copy alone), with
    /// their online sessions.
    ///
    /// # Errors
    ///
    /// The first that applies: [`Error::InstanceNotFound`], [`Error::UserNotFound`],
    /// [`Error::UserInUsing`] (the user is marked as used this month).
    ///
    /// ```
    #[doc = include_str!("user_ref_example.md")]
    /// assert_eq!(account.delete_client_user(user.clone()), Ok(()));
    /// assert_eq!(account.delete_client_user(user), Err(Error::UserNotFound));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn delete_client_user(&mut self, req: ClientUserRef) -> Result<(), Error> {
        self.remove_user(&req.region_id, &req.smart_ag_id, &req.user_name)
    }

    /// `EnableSmartAccessGatewayUser` / `DisableSmartAccessGatewayUser`: sets the user's state
    /// (setting the state it already has is no error). Disabling a user ends its online
    /// sessions.
    ///
    /// # Errors
    ///
    /// The first that applies: [`Error::InstanceNotFound`], [`Error::UserNotFound`].
    ///
    /// ```
    #[doc = include_str!("user_ref_example.md")]
    /// use smartag_rules::UserState;
    ///
    /// account.set_user_state(user.clone(), UserState::Disabled)?;
    /// let instance = account.instance(&user.region_id, &user.smart_ag_id).unwrap();
    /// assert_eq!(instance.user(&user.user_name).unwrap().state(), UserState::Disabled);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn set_user_state(&mut self, req: ClientUserRef, state: UserState) -> Result<(), Error> {
        let (instance, _) = self.found_mut(&req.region_id, &req.smart_ag_id)?;
        instance.find_user_mut(&req.user_name)?.state = state;
        if state == UserState::Disabled {
            instance.sessions.end_user(&req.user_name);
        }
        Ok(())
    }

    /// `ResetSmartAccessGatewayClientUserPassword`: sets the user's password, generated from the
    /// account's seeded generator when none is given, and ends the user's online sessions.
    ///
    /// # Errors
    ///
    /// The first that applies: [`Error::InstanceNotFound`], [`Error::UserNotFound`].
    ///
    /// ```
    #[doc = include_str!("user_ref_example.md")]
    /// use smartag_rules::ResetPasswordRaw;
    ///
    /// let reset = ResetPasswordRaw::default()
    ///     .region_id("cn-shanghai")
    ///     .smart_ag_id("sag-app1")
    ///     .user_name("doctest1")
    ///     .password("newpass99");
    /// account.reset_password(reset.validate()?)?;
    /// let instance = account.instance(&user.region_id, &user.smart_ag_id).unwrap();
    /// assert_eq!(instance.user(&user.user_name).unwrap().password().expose_secret(), "newpass99");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn reset_password(&mut self, req: ResetPassword) -> Result<(), Error> {
        let ClientUserRef {
            region_id,
            smart_ag_id,
            user_name,
        } = &req.user;
        let (instance, rng) = self.found_mut(region_id, smart_ag_id)?;
        let user = instance.find_user_mut(user_name)?;
        user.password = match req.password {
            Some(password) => password,
            None => Password::generate(rng),
        };
        instance.sessions.end_user(user_name);
        Ok(())
    }
}
