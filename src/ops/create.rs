//! `CreateSmartAccessGatewayClientUser`: adds a client user to an SAG APP instance.

use super::operation::{optional, or_default, required, Check, Target};
use super::raw::raw_request;
use super::{Operation, Response};
use crate::error::Error;
use crate::fields::{
    Bandwidth, ClientIp, Password, RegionId, SmartAgId, UserMail, UserName, LOWER_ALNUM,
};
use crate::model::{Account, ClientUser, Instance, Roaming, UserState};
use crate::rng::Rng;

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

    /// # Errors
    ///
    /// The first form error in precedence order: [`Error::InstanceIdEmpty`],
    /// [`Error::NameEmpty`], [`Error::NameInvalid`], [`Error::PasswordInvalid`],
    /// [`Error::EmailEmpty`], [`Error::EmailInvalid`], [`Error::BandwidthInvalid`],
    /// [`Error::IpEmpty`], [`Error::IpInvalid`]; `MissingParameter` or `InvalidParameter` for
    /// `RegionId`; then [`Error::InstanceNotFound`] for a `SmartAGId` that is not an instance ID.
    ///
    /// ```
    /// use smartag_rules::{CreateClientUserRaw, Error};
    ///
    /// let raw = CreateClientUserRaw::default()
    ///     .region_id("cn-shanghai")
    ///     .smart_ag_id("sag-app1")
    ///     .user_mail("username@example.com");
    /// let request = raw.validate()?;
    /// assert_eq!(request.bandwidth.get(), 2000); // the default
    /// assert_eq!(request.credentials, None); // generated on creation
    /// assert_eq!(raw.user_name("abc").validate(), Err(Error::NameInvalid));
    /// # Ok::<(), Error>(())
    /// ```
    fn validate() -> CreateClientUser = CreateClientUser;
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

/// `CreateSmartAccessGatewayClientUser`, validated: from [`CreateClientUserRaw::validate`] or
/// [`CreateClientUser::new`].
#[derive(Clone, PartialEq, Eq, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
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

/// A client user as the create, modify and roam operations answer it.
#[derive(Clone, PartialEq, Eq, Debug)]
#[non_exhaustive]
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

impl Credentials {
    /// A user name with its password.
    ///
    /// ```
    /// use smartag_rules::Credentials;
    ///
    /// let credentials = Credentials::new("doctest1".parse()?, "duuf1234".parse()?);
    /// assert_eq!(credentials.user_name.as_str(), "doctest1");
    /// # Ok::<(), smartag_rules::Error>(())
    /// ```
    pub fn new(user_name: UserName, password: Password) -> Credentials {
        Credentials {
            user_name,
            password,
        }
    }
}

impl CreateClientUser {
    /// A new user of the instance with the default bandwidth ([`Bandwidth::DEFAULT`]), a name
    /// and password the service generates, and an address handed out at each connection. The
    /// `with_*` methods set the others.
    ///
    /// ```
    /// use smartag_rules::{CreateClientUser, Credentials};
    ///
    /// let generated = CreateClientUser::new(
    ///     "cn-shanghai".parse()?,
    ///     "sag-app1".parse()?,
    ///     "username@example.com".parse()?,
    /// );
    /// assert_eq!((generated.credentials, generated.bandwidth.get()), (None, 2000));
    /// let named = CreateClientUser::new(
    ///     "cn-shanghai".parse()?,
    ///     "sag-app1".parse()?,
    ///     "username@example.com".parse()?,
    /// )
    /// .with_credentials(Credentials::new("doctest1".parse()?, "duuf1234".parse()?))
    /// .with_bandwidth("500".parse()?)
    /// .with_client_ip("10.0.0.1".parse()?);
    /// assert_eq!(named.client_ip.map(|ip| ip.to_string()).as_deref(), Some("10.0.0.1"));
    /// # Ok::<(), smartag_rules::Error>(())
    /// ```
    pub fn new(
        region_id: RegionId,
        smart_ag_id: SmartAgId,
        user_mail: UserMail,
    ) -> CreateClientUser {
        CreateClientUser {
            region_id,
            smart_ag_id,
            credentials: None,
            user_mail,
            bandwidth: Bandwidth::DEFAULT,
            client_ip: None,
        }
    }

    /// Names the user, with its password.
    #[must_use]
    pub fn with_credentials(mut self, credentials: Credentials) -> CreateClientUser {
        self.credentials = Some(credentials);
        self
    }

    /// Sets the user's peak bandwidth.
    #[must_use]
    pub fn with_bandwidth(mut self, bandwidth: Bandwidth) -> CreateClientUser {
        self.bandwidth = bandwidth;
        self
    }

    /// Gives the user a static client IP.
    #[must_use]
    pub fn with_client_ip(mut self, client_ip: ClientIp) -> CreateClientUser {
        self.client_ip = Some(client_ip);
        self
    }
}

/// `UserName` and `Password`: both or neither (then both are generated). A name without a
/// password: the password is what is missing.
fn credentials(
    c: &mut Check<'_>,
    name: Option<&str>,
    password: Option<&str>,
) -> Option<Credentials> {
    if (name, password) == (None, None) {
        return None;
    }
    let name = required(c, name);
    let password = c.take(password.ok_or(Error::PasswordInvalid).and_then(str::parse));
    Some(Credentials::new(name?, password?))
}

impl Operation for CreateClientUser {
    type Raw = CreateClientUserRaw;

    fn check(raw: &CreateClientUserRaw, c: &mut Check<'_>) -> Option<CreateClientUser> {
        let target = Target::parse(c, &raw.region_id, &raw.smart_ag_id);
        let credentials = credentials(c, raw.user_name.as_deref(), raw.password.as_deref());
        let user_mail = required(c, raw.user_mail.as_deref());
        let bandwidth = or_default(c, raw.bandwidth.as_deref(), Bandwidth::DEFAULT);
        let client_ip = optional(c, raw.client_ip.as_deref());
        if let Some(instance) = target.resolve(c) {
            let name = credentials.as_ref().map(|given| &given.user_name);
            state(c, instance, name, bandwidth, client_ip);
        }
        let (region_id, smart_ag_id) = target.typed()?;
        Some(CreateClientUser {
            credentials,
            bandwidth: bandwidth?,
            client_ip,
            ..CreateClientUser::new(region_id, smart_ag_id, user_mail?)
        })
    }

    fn run(account: &mut Account, req: CreateClientUser) -> Result<Response, Error> {
        account.create_client_user(req).map(Response::ClientUser)
    }
}

/// Steps 3 and 4 of create, on the instance found.
fn state(
    c: &mut Check<'_>,
    instance: &Instance,
    name: Option<&UserName>,
    bandwidth: Option<Bandwidth>,
    client_ip: Option<ClientIp>,
) {
    c.ensure(instance.accepts_client_users(), Error::NotSupportAction);
    c.ensure(!instance.pool().is_empty(), Error::CidrEmpty);
    if let Some(name) = name {
        c.ensure(!instance.users.contains(name.as_str()), Error::UserExist);
    }
    c.ensure(!instance.is_full(), Error::UserOverLimit);
    if let Some(ip) = client_ip {
        c.ensure(instance.is_free_host(ip), Error::InvalidClientIp);
    }
    if let Some(bandwidth) = bandwidth {
        c.ensure(
            instance.allows_bandwidth(bandwidth),
            Error::BandwidthInvalid,
        );
    }
}

/// Generates a user name and password that obey the rules, the name new to the instance:
/// `user` and 8 lowercase letters or digits, one more at each collision, up to the longest name;
/// `None` when every length collided.
fn generate_credentials(rng: &mut Rng, instance: &Instance) -> Option<Credentials> {
    const PREFIX: &str = "user";
    let password = Password::generate(rng);
    for len in 8..=UserName::MAX_LEN - PREFIX.len() {
        let name = format!("{PREFIX}{}", rng.text(LOWER_ALNUM, len))
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
    /// `CreateSmartAccessGatewayClientUser`: adds the user to the instance. Without credentials,
    /// a name and password are generated from the account's seeded generator.
    ///
    /// # Errors
    ///
    /// The first that applies: [`Error::InstanceNotFound`], [`Error::NotSupportAction`],
    /// [`Error::CidrEmpty`], [`Error::UserExist`], [`Error::UserOverLimit`],
    /// [`Error::InvalidClientIp`], [`Error::BandwidthInvalid`] (above the instance's ceiling).
    ///
    /// ```
    /// use smartag_rules::{Account, CreateClientUserRaw, Error, InstanceSpec};
    ///
    /// let mut account = Account::with_seed(1);
    /// account.add_instance(
    ///     InstanceSpec::app("sag-app1".parse()?, "cn-shanghai".parse()?)
    ///         .quota(1)
    ///         .pool("10.0.0.0/24".parse()?),
    /// )?;
    /// let raw = CreateClientUserRaw::default()
    ///     .region_id("cn-shanghai")
    ///     .smart_ag_id("sag-app1")
    ///     .user_name("doctest1")
    ///     .password("duuf1234")
    ///     .user_mail("username@example.com")
    ///     .client_ip("10.0.0.1");
    /// let created = account.create_client_user(raw.validate()?)?;
    /// assert_eq!(created.user_name.as_str(), "doctest1");
    ///
    /// // The same name again: the user exists (checked before the quota).
    /// assert_eq!(account.create_client_user(raw.validate()?), Err(Error::UserExist));
    /// let generated = CreateClientUserRaw::default()
    ///     .region_id("cn-shanghai")
    ///     .smart_ag_id("sag-app1")
    ///     .user_mail("username@example.com");
    /// assert_eq!(account.create_client_user(generated.validate()?), Err(Error::UserOverLimit));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn create_client_user(&mut self, req: CreateClientUser) -> Result<ClientUserInfo, Error> {
        let (instance, rng) = self.found_mut(&req.region_id, &req.smart_ag_id)?;
        let name = req.credentials.as_ref().map(|c| &c.user_name);
        Check::first_of(|c| state(c, instance, name, Some(req.bandwidth), req.client_ip))?;
        let credentials = match req.credentials {
            Some(credentials) => credentials,
            // Drawn from a copy of the generator, kept only on success: a create that fails
            // leaves the account's generator as it was, like the rest of the account.
            None => {
                let mut draws = rng.clone();
                let credentials =
                    generate_credentials(&mut draws, instance).ok_or(Error::UserExist)?;
                *rng = draws;
                credentials
            }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::InstanceSpec;

    /// The names the generator will try on `account`, in order: it draws the password first,
    /// then one name of each length until one is free.
    fn names_to_be_tried(account: &Account) -> Vec<UserName> {
        let mut rng = account.rng.clone();
        Password::generate(&mut rng);
        (8..=UserName::MAX_LEN - 4)
            .map(|len| {
                format!("user{}", rng.text(LOWER_ALNUM, len))
                    .parse()
                    .unwrap()
            })
            .collect()
    }

    /// An account whose one instance already holds `taken` users, and a create asking for
    /// generated credentials.
    fn account_holding(taken: &[UserName]) -> (Account, CreateClientUser) {
        let mut account = Account::with_seed(3);
        let (region, id) = ("cn-shanghai".parse().unwrap(), "sag-app1".parse().unwrap());
        let spec = InstanceSpec::app(id, region)
            .quota(100)
            .pool("10.0.0.0/24".parse().unwrap());
        account.add_instance(spec).unwrap();
        let create = |credentials: Option<Credentials>| {
            let request = CreateClientUser::new(
                "cn-shanghai".parse().unwrap(),
                "sag-app1".parse().unwrap(),
                "username@example.com".parse().unwrap(),
            );
            match credentials {
                Some(credentials) => request.with_credentials(credentials),
                None => request,
            }
        };
        for name in taken {
            let credentials = Credentials::new(name.clone(), "duuf1234".parse().unwrap());
            account
                .create_client_user(create(Some(credentials)))
                .unwrap();
        }
        (account, create(None))
    }

    #[test]
    fn generated_names_grow_to_the_longest_name_then_the_user_exists() {
        let names = names_to_be_tried(&Account::with_seed(3));
        assert_eq!(names.len(), 22);
        assert_eq!(
            names.last().map(|n| n.as_str().len()),
            Some(UserName::MAX_LEN)
        );

        // Every shorter name taken: the longest valid one is generated.
        let (mut account, generated) = account_holding(&names[..21]);
        let info = account.create_client_user(generated).unwrap();
        assert_eq!(Some(&info.user_name), names.last());

        // Every length taken: the user exists, and nothing changed, the generator included.
        let (mut account, generated) = account_holding(&names);
        let before = account.clone();
        assert_eq!(account.create_client_user(generated), Err(Error::UserExist));
        assert_eq!(account, before);
    }
}
