//! The operations that name one user and change it: `DeleteSmartAccessGatewayClientUser`,
//! `EnableSmartAccessGatewayUser`, `DisableSmartAccessGatewayUser` and
//! `ResetSmartAccessGatewayClientUserPassword`.

use super::check::{self, id_arg, Check, IdArg};
use super::create::generate_password;
use super::raw::raw_request;
use crate::model::{Account, ClientUser, Instance, Roaming, UserState};
use crate::{Error, Password, RegionId, SmartAgId, UserName};

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

pub(crate) struct Parsed {
    region: Option<RegionId>,
    id: Result<SmartAgId, bool>,
    name: Option<UserName>,
}

impl Parsed {
    fn into_typed(self) -> Option<ClientUserRef> {
        Some(ClientUserRef {
            region_id: self.region?,
            smart_ag_id: self.id.ok()?,
            user_name: self.name?,
        })
    }
}

fn parse(c: &mut Check, region: Option<&str>, id: Option<&str>, name: Option<&str>) -> Parsed {
    Parsed {
        region: check::region(c, region),
        id: check::instance_id(c, id),
        name: check::user_name(c, name),
    }
}

impl ClientUserRefRaw {
    pub(crate) fn parse(&self, c: &mut Check) -> Parsed {
        parse(
            c,
            self.region_id.as_deref(),
            self.smart_ag_id.as_deref(),
            self.user_name.as_deref(),
        )
    }

    /// Checks the form of every parameter and returns the typed request, or the first error.
    pub fn validate(&self) -> Result<ClientUserRef, Error> {
        let mut c = Check::default();
        let parsed = self.parse(&mut c);
        c.first()?;
        parsed.into_typed().ok_or(Error::InstanceNotFound)
    }
}

impl ResetPasswordRaw {
    fn parse(&self, c: &mut Check) -> (Parsed, Option<Option<Password>>) {
        let user = parse(
            c,
            self.region_id.as_deref(),
            self.smart_ag_id.as_deref(),
            self.user_name.as_deref(),
        );
        let password = match self.password.as_deref() {
            None => Some(None),
            Some(s) => c.take(s.parse()).map(Some),
        };
        (user, password)
    }

    /// Checks the form of every parameter and returns the typed request, or the first error.
    pub fn validate(&self) -> Result<ResetPassword, Error> {
        let mut c = Check::default();
        let (user, password) = self.parse(&mut c);
        c.first()?;
        Ok(ResetPassword {
            user: user.into_typed().ok_or(Error::InstanceNotFound)?,
            password: password.ok_or(Error::PasswordInvalid)?,
        })
    }
}

/// What a request naming one user does to it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum UserAction {
    Delete,
    Enable,
    Disable,
    ResetPassword,
}

impl Account {
    /// Steps 2 to 4 of the requests naming one user.
    fn check_user_ref(
        &self,
        c: &mut Check,
        region: Option<&RegionId>,
        id: IdArg<'_>,
        name: Option<&UserName>,
        action: UserAction,
    ) {
        let Some(instance) = self.resolve(c, region, id) else {
            return;
        };
        let Some(name) = name else {
            return;
        };
        let user = instance.users.get(name.as_str());
        c.ensure(user.is_some(), Error::UserNotFound);
        if action == UserAction::Delete {
            c.ensure(!user.is_some_and(|u| u.used_this_month), Error::UserInUsing);
        }
    }

    pub(crate) fn user_ref_violations(
        &self,
        raw: &ClientUserRefRaw,
        action: UserAction,
    ) -> Vec<Error> {
        let mut c = Check::default();
        let p = raw.parse(&mut c);
        self.check_user_ref(
            &mut c,
            p.region.as_ref(),
            id_arg(&p.id),
            p.name.as_ref(),
            action,
        );
        c.into_errors()
    }

    pub(crate) fn reset_violations(&self, raw: &ResetPasswordRaw) -> Vec<Error> {
        let mut c = Check::default();
        let (p, _) = raw.parse(&mut c);
        let action = UserAction::ResetPassword;
        self.check_user_ref(
            &mut c,
            p.region.as_ref(),
            id_arg(&p.id),
            p.name.as_ref(),
            action,
        );
        c.into_errors()
    }

    pub(crate) fn user_ref_raw(
        &mut self,
        raw: &ClientUserRefRaw,
        action: UserAction,
    ) -> Result<(), Error> {
        let mut c = Check::default();
        let p = raw.parse(&mut c);
        c.first()?;
        let user = p.into_typed().ok_or(Error::InstanceNotFound)?;
        match action {
            UserAction::Delete => self.delete_client_user(user),
            UserAction::Enable => self.set_user_state(user, UserState::Enabled),
            UserAction::Disable => self.set_user_state(user, UserState::Disabled),
            UserAction::ResetPassword => self.reset_password(ResetPassword {
                user,
                password: None,
            }),
        }
    }

    pub(crate) fn reset_raw(&mut self, raw: &ResetPasswordRaw) -> Result<(), Error> {
        let req = raw.validate()?;
        self.reset_password(req)
    }

    fn checked_user_mut(
        &mut self,
        req: &ClientUserRef,
        action: UserAction,
    ) -> Result<&mut ClientUser, Error> {
        let mut c = Check::default();
        self.check_user_ref(
            &mut c,
            Some(&req.region_id),
            IdArg::Id(&req.smart_ag_id),
            Some(&req.user_name),
            action,
        );
        c.first()?;
        self.instance_mut(&req.region_id, req.smart_ag_id.as_str())
            .and_then(|instance| instance.users.get_mut(req.user_name.as_str()))
            .ok_or(Error::UserNotFound)
    }

    /// `DeleteSmartAccessGatewayClientUser`: removes the user and, for a user of the instance in
    /// its own right, all its roaming copies (deleting a copy removes that copy alone).
    ///
    /// Errors, first that applies: `SAG.InstanceNoFound`, `ResourceNotFound.User`,
    /// `ClientUser.UserInUsing` (the user is marked as used this month).
    pub fn delete_client_user(&mut self, req: ClientUserRef) -> Result<(), Error> {
        self.checked_user_mut(&req, UserAction::Delete)?;
        let removed = self
            .instance_mut(&req.region_id, req.smart_ag_id.as_str())
            .and_then(|instance| instance.users.remove(req.user_name.as_str()))
            .ok_or(Error::UserNotFound)?;
        let here = &req.smart_ag_id;
        match removed.roaming {
            Roaming::Origin(copies) => {
                for target in copies {
                    if let Some(instance) = self.instances.get_mut(target.as_str()) {
                        instance.users.remove(req.user_name.as_str());
                    }
                    self.unlink(here, &target);
                }
            }
            Roaming::CopyOf(origin) => {
                let origin_user =
                    self.instances
                        .get_mut(origin.as_str())
                        .and_then(|instance: &mut Instance| {
                            instance.users.get_mut(req.user_name.as_str())
                        });
                if let Some(ClientUser {
                    roaming: Roaming::Origin(copies),
                    ..
                }) = origin_user
                {
                    copies.retain(|target| target != here);
                }
                self.unlink(here, &origin);
            }
        }
        Ok(())
    }

    /// `EnableSmartAccessGatewayUser` / `DisableSmartAccessGatewayUser`: sets the user's state
    /// (setting the state it already has is no error).
    ///
    /// Errors, first that applies: `SAG.InstanceNoFound`, `ResourceNotFound.User`.
    pub fn set_user_state(&mut self, req: ClientUserRef, state: UserState) -> Result<(), Error> {
        let action = match state {
            UserState::Enabled => UserAction::Enable,
            UserState::Disabled => UserAction::Disable,
        };
        self.checked_user_mut(&req, action)?.state = state;
        Ok(())
    }

    /// `ResetSmartAccessGatewayClientUserPassword`: sets the user's password, generated from the
    /// account's seeded generator when none is given.
    ///
    /// Errors, first that applies: `SAG.InstanceNoFound`, `ResourceNotFound.User`.
    pub fn reset_password(&mut self, req: ResetPassword) -> Result<(), Error> {
        self.checked_user_mut(&req.user, UserAction::ResetPassword)?;
        let password = match req.password {
            Some(password) => password,
            None => generate_password(&mut self.rng).ok_or(Error::PasswordInvalid)?,
        };
        self.checked_user_mut(&req.user, UserAction::ResetPassword)?
            .password = password;
        Ok(())
    }
}
