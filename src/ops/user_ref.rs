//! The operations that name one user and change it: `DeleteSmartAccessGatewayClientUser`,
//! `EnableSmartAccessGatewayUser`, `DisableSmartAccessGatewayUser` and
//! `ResetSmartAccessGatewayClientUserPassword`.

use super::create::generate_password;
use super::operation::{optional, required, Check, Targeted};
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

/// A request naming one user, validated.
#[derive(Clone, PartialEq, Eq, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
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

/// `ResetSmartAccessGatewayClientUserPassword`, validated.
#[derive(Clone, PartialEq, Eq, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ResetPassword {
    /// The user.
    pub user: ClientUserRef,
    /// The new password; `None` has the service generate one.
    pub password: Option<Password>,
}

/// The parameters naming one user, after their own checks.
pub(crate) type Parsed = Targeted<UserName>;

impl Targeted<UserName> {
    fn of(
        c: &mut Check,
        region: &Option<String>,
        id: &Option<String>,
        name: &Option<String>,
    ) -> Parsed {
        Targeted::parse(c, (region, id), |c| required(c, name.as_deref()))
    }

    fn user(self) -> Option<ClientUserRef> {
        let (region_id, smart_ag_id, name) = self.typed()?;
        let user_name = name?;
        Some(ClientUserRef {
            region_id,
            smart_ag_id,
            user_name,
        })
    }

    /// Steps 2 to 4: the instance, then the user (and, to delete it, that it is not in use).
    fn check(&self, account: &Account, c: &mut Check, deleting: bool) {
        let Some(instance) = self.target.resolve(account, c) else {
            return;
        };
        if let Some(user) = self
            .param
            .as_ref()
            .and_then(|n| c.take(instance.find_user(n)))
        {
            c.ensure(!(deleting && user.used_this_month), Error::UserInUsing);
        }
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
    type Parsed = Parsed;
    type Request = ClientUserRef;

    fn parse(raw: &ClientUserRefRaw, c: &mut Check) -> Parsed {
        Parsed::of(c, &raw.region_id, &raw.smart_ag_id, &raw.user_name)
    }

    fn typed(parsed: Parsed) -> Option<ClientUserRef> {
        parsed.user()
    }

    fn check(account: &Account, c: &mut Check, parsed: &Parsed) {
        parsed.check(account, c, ACTION == user_action::DELETE);
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
    type Parsed = (Parsed, Option<Password>);
    type Request = ResetPassword;

    fn parse(raw: &ResetPasswordRaw, c: &mut Check) -> (Parsed, Option<Password>) {
        let user = Parsed::of(c, &raw.region_id, &raw.smart_ag_id, &raw.user_name);
        (user, optional(c, raw.password.as_deref()))
    }

    fn typed((user, password): (Parsed, Option<Password>)) -> Option<ResetPassword> {
        Some(ResetPassword {
            user: user.user()?,
            password,
        })
    }

    fn check(account: &Account, c: &mut Check, (user, _): &(Parsed, Option<Password>)) {
        user.check(account, c, false);
    }

    fn run(account: &mut Account, req: ResetPassword) -> Result<Response, Error> {
        account.reset_password(req).map(|()| Response::Done)
    }
}

impl Account {
    /// `DeleteSmartAccessGatewayClientUser`: removes the user and, for a user of the instance in
    /// its own right, all its roaming copies (deleting a copy removes that copy alone).
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
    /// (setting the state it already has is no error).
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
        Ok(())
    }

    /// `ResetSmartAccessGatewayClientUserPassword`: sets the user's password, generated from the
    /// account's seeded generator when none is given.
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
            None => generate_password(rng).ok_or(Error::PasswordInvalid)?,
        };
        Ok(())
    }
}
