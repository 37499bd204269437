//! `CreateSmartAccessGatewayClientUser`: adds a client user to an SAG APP instance.

use super::check::{self, id_arg, Check, IdArg};
use super::raw::raw_request;
use crate::model::{Account, ClientUser, Instance, Roaming, UserState};
use crate::rng::Rng;
use crate::{Bandwidth, ClientIp, Error, Password, RegionId, SmartAgId, UserMail, UserName};

raw_request! {
    /// `CreateSmartAccessGatewayClientUser` as it arrives: every parameter optional text.
    pub struct CreateClientUserRaw {
        /// `RegionId` (required).
        region_id: "RegionId",
        /// `SmartAGId` (required).
        smart_ag_id: "SmartAGId",
        /// `UserName` (with `Password`, or neither: then both are generated).
        user_name: "UserName",
        /// `Password` (with `UserName`).
        password: "Password",
        /// `UserMail` (required).
        user_mail: "UserMail",
        /// `Bandwidth` in Kbit/s (default 2000).
        bandwidth: "Bandwidth",
        /// `ClientIp`: a static address for the user (absent: the pool hands one out per connection).
        client_ip: "ClientIp",
    }
}

/// A user name with its password.
#[derive(Clone, PartialEq, Eq, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Credentials {
    /// The user name.
    pub user_name: UserName,
    /// The password.
    pub password: Password,
}

/// `CreateSmartAccessGatewayClientUser`, validated.
#[derive(Clone, PartialEq, Eq, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct CreateClientUser {
    /// The instance's region.
    pub region_id: RegionId,
    /// The instance.
    pub smart_ag_id: SmartAgId,
    /// Name and password; `None` has the service generate both.
    pub credentials: Option<Credentials>,
    /// The user's mail address.
    pub user_mail: UserMail,
    /// The user's peak bandwidth.
    pub bandwidth: Bandwidth,
    /// A static client IP, or `None` for an address handed out at each connection.
    pub client_ip: Option<ClientIp>,
}

/// A client user as the create and modify operations answer it.
#[derive(Clone, PartialEq, Eq, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ClientUserInfo {
    /// `UserName`.
    pub user_name: UserName,
    /// `UserMail`.
    pub user_mail: UserMail,
    /// `Bandwidth`.
    pub bandwidth: Bandwidth,
    /// `ClientIp`: the static address, `None` for a user without one.
    pub client_ip: Option<ClientIp>,
}

impl ClientUserInfo {
    pub(crate) fn of(user: &ClientUser) -> ClientUserInfo {
        ClientUserInfo {
            user_name: user.name.clone(),
            user_mail: user.mail.clone(),
            bandwidth: user.bandwidth,
            client_ip: user.client_ip,
        }
    }
}

/// The parameters after their own checks (`None`: the check failed and was recorded).
pub(crate) struct Parsed {
    region: Option<RegionId>,
    id: Result<SmartAgId, bool>,
    credentials: Option<Option<Credentials>>,
    mail: Option<UserMail>,
    bandwidth: Option<Bandwidth>,
    client_ip: Option<Option<ClientIp>>,
}

impl CreateClientUserRaw {
    pub(crate) fn parse(&self, c: &mut Check) -> Parsed {
        let region = check::region(c, self.region_id.as_deref());
        let id = check::instance_id(c, self.smart_ag_id.as_deref());
        let credentials = match (self.user_name.as_deref(), self.password.as_deref()) {
            (None, None) => Some(None),
            (name, password) => {
                let name = check::user_name(c, name);
                let password = c.take(password.ok_or(Error::PasswordInvalid).and_then(str::parse));
                name.zip(password).map(|(user_name, password)| {
                    Some(Credentials {
                        user_name,
                        password,
                    })
                })
            }
        };
        let mail = c.take(self.user_mail.as_deref().unwrap_or("").parse());
        let bandwidth = check::bandwidth(c, self.bandwidth.as_deref(), Some(Bandwidth::DEFAULT));
        let client_ip = match self.client_ip.as_deref() {
            None => Some(None),
            Some(s) => c.take(s.parse()).map(Some),
        };
        Parsed {
            region,
            id,
            credentials,
            mail,
            bandwidth,
            client_ip,
        }
    }

    /// Checks the form of every parameter and returns the typed request, or the first error.
    /// A non-empty `SmartAGId` that is not an instance ID is `SAG.InstanceNoFound`, after all
    /// the other form checks.
    pub fn validate(&self) -> Result<CreateClientUser, Error> {
        let mut c = Check::default();
        let parsed = self.parse(&mut c);
        c.first()?;
        parsed.into_typed().ok_or(Error::InstanceNotFound)
    }
}

impl Parsed {
    fn into_typed(self) -> Option<CreateClientUser> {
        Some(CreateClientUser {
            region_id: self.region?,
            smart_ag_id: self.id.ok()?,
            credentials: self.credentials?,
            user_mail: self.mail?,
            bandwidth: self.bandwidth?,
            client_ip: self.client_ip?,
        })
    }
}

/// Generates a password that obeys the password rule: 16 letters and digits.
pub(crate) fn generate_password(rng: &mut Rng) -> Option<Password> {
    format!("P{}", rng.alnum(15)).parse().ok()
}

/// Generates a user name and password that obey the rules, the name new to the instance.
fn generate_credentials(rng: &mut Rng, instance: &Instance) -> Option<Credentials> {
    let password = generate_password(rng)?;
    for attempt in 0..=24usize {
        let name = format!("user{}", rng.lower_alnum(8 + attempt))
            .parse::<UserName>()
            .ok()?;
        if !instance.users.contains(name.as_str()) {
            return Some(Credentials {
                user_name: name,
                password,
            });
        }
    }
    None
}

impl Account {
    /// Steps 2 to 4 of create: the instance, then its state.
    fn check_create(
        &self,
        c: &mut Check,
        region: Option<&RegionId>,
        id: IdArg<'_>,
        credentials: Option<&Option<Credentials>>,
        bandwidth: Option<Bandwidth>,
        client_ip: Option<&Option<ClientIp>>,
    ) {
        let Some(instance) = self.resolve(c, region, id) else {
            return;
        };
        c.ensure(instance.accepts_client_users(), Error::NotSupportAction);
        c.ensure(!instance.pool.is_empty(), Error::CidrEmpty);
        if let Some(Some(creds)) = credentials {
            c.ensure(
                !instance.users.contains(creds.user_name.as_str()),
                Error::UserExist,
            );
        }
        c.ensure(!instance.is_full(), Error::UserOverLimit);
        if let Some(Some(ip)) = client_ip {
            c.ensure(instance.is_free_host(*ip), Error::InvalidClientIp);
        }
        if let Some(bandwidth) = bandwidth {
            c.ensure(bandwidth <= instance.max_bandwidth, Error::BandwidthInvalid);
        }
    }

    pub(crate) fn create_violations(&self, raw: &CreateClientUserRaw) -> Vec<Error> {
        let mut c = Check::default();
        let p = raw.parse(&mut c);
        self.check_create(
            &mut c,
            p.region.as_ref(),
            id_arg(&p.id),
            p.credentials.as_ref(),
            p.bandwidth,
            p.client_ip.as_ref(),
        );
        c.into_errors()
    }

    pub(crate) fn create_raw(
        &mut self,
        raw: &CreateClientUserRaw,
    ) -> Result<ClientUserInfo, Error> {
        let mut c = Check::default();
        let p = raw.parse(&mut c);
        c.first()?;
        self.create_client_user(p.into_typed().ok_or(Error::InstanceNotFound)?)
    }

    /// `CreateSmartAccessGatewayClientUser`: adds the user to the instance.
    ///
    /// Errors, first that applies: `SAG.InstanceNoFound`, `ClientUser.NotSupportAction`,
    /// `SAG.CidrEmpty`, `ClientUser.UserExist`, `ClientUser.UserOverLimit`,
    /// `ClientUser.InvalidClientIp`, `ClientUser.BandwidthInvalid` (above the instance's
    /// ceiling). Without credentials, a name and password are generated from the account's
    /// seeded generator.
    ///
    /// ```
    /// use smartag_rules::{Account, Bandwidth, CreateClientUser, Credentials, Error, InstanceSpec};
    ///
    /// let mut account = Account::with_seed(1);
    /// account.add_instance(
    ///     InstanceSpec::app("sag-app1".parse()?, "cn-shanghai".parse()?)
    ///         .quota(1)
    ///         .pool("10.0.0.0/24".parse()?),
    /// )?;
    /// let mut request = CreateClientUser {
    ///     region_id: "cn-shanghai".parse()?,
    ///     smart_ag_id: "sag-app1".parse()?,
    ///     credentials: Some(Credentials {
    ///         user_name: "doctest1".parse()?,
    ///         password: "duuf1234".parse()?,
    ///     }),
    ///     user_mail: "username@example.com".parse()?,
    ///     bandwidth: Bandwidth::DEFAULT,
    ///     client_ip: Some("10.0.0.1".parse()?),
    /// };
    /// let created = account.create_client_user(request.clone())?;
    /// assert_eq!(created.user_name.as_str(), "doctest1");
    ///
    /// // The same name again: the user exists (checked before the quota).
    /// assert_eq!(account.create_client_user(request.clone()), Err(Error::UserExist));
    /// request.credentials = None;
    /// assert_eq!(account.create_client_user(request), Err(Error::UserOverLimit));
    /// # Ok::<(), Error>(())
    /// ```
    pub fn create_client_user(&mut self, req: CreateClientUser) -> Result<ClientUserInfo, Error> {
        let mut c = Check::default();
        self.check_create(
            &mut c,
            Some(&req.region_id),
            IdArg::Id(&req.smart_ag_id),
            Some(&req.credentials),
            Some(req.bandwidth),
            Some(&req.client_ip),
        );
        c.first()?;
        let Account { instances, rng, .. } = self;
        let instance = instances
            .get_mut(req.smart_ag_id.as_str())
            .ok_or(Error::InstanceNotFound)?;
        let credentials = match req.credentials {
            Some(credentials) => credentials,
            None => generate_credentials(rng, instance).ok_or(Error::UserExist)?,
        };
        let user = ClientUser {
            name: credentials.user_name,
            password: credentials.password,
            mail: req.user_mail,
            bandwidth: req.bandwidth,
            state: UserState::Enabled,
            client_ip: req.client_ip,
            used_this_month: false,
            roaming: Roaming::default(),
        };
        let info = ClientUserInfo::of(&user);
        instance.users.insert(user);
        Ok(info)
    }
}
