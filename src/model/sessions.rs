//! The online sessions of one instance's client users: who is connected through the SAG app,
//! from which address, since when. Sessions are made by a testing hook ([`Account::connect`]),
//! never by the wire API.
//!
//! [`Account::connect`]: super::Account::connect

use std::net::Ipv4Addr;

use crate::fields::{ClientIp, UserName};

/// One online session of a client user: the address the user is connected from and when the
/// connection was made.
///
/// ```
/// use smartag_rules::{Account, CreateClientUserRaw, InstanceSpec};
///
/// let mut account = Account::new();
/// account.add_instance(
///     InstanceSpec::app("sag-app1".parse()?, "cn-shanghai".parse()?).pool("10.0.0.0/24".parse()?),
/// )?;
/// let create = CreateClientUserRaw::default()
///     .region_id("cn-shanghai")
///     .smart_ag_id("sag-app1")
///     .user_name("doctest1")
///     .password("duuf1234")
///     .user_mail("username@example.com");
/// account.create_client_user(create.validate()?)?;
/// account.set_clock(1_559_125_519);
/// let session = account.connect(&"sag-app1".parse()?, &"doctest1".parse()?)?;
/// assert_eq!(session.user_name().as_str(), "doctest1");
/// assert_eq!(session.client_ip().to_string(), "10.0.0.1");
/// assert_eq!(session.online_time(), 1_559_125_519);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Session {
    pub(crate) user_name: UserName,
    pub(crate) client_ip: ClientIp,
    pub(crate) online_time: u64,
}

impl Session {
    /// The user the session belongs to.
    pub fn user_name(&self) -> &UserName {
        &self.user_name
    }

    /// The address the user is connected from (`ClientIp` of `DescribeUserOnlineClients`).
    pub fn client_ip(&self) -> ClientIp {
        self.client_ip
    }

    /// When the connection was made, in the account clock's Unix seconds (`OnlineTime`).
    pub fn online_time(&self) -> u64 {
        self.online_time
    }
}

/// The sessions of one instance, oldest first.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub(crate) struct Sessions(Vec<Session>);

impl Sessions {
    /// Every session, oldest first.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &Session> + '_ {
        self.0.iter()
    }

    /// The sessions of `name`, oldest first.
    pub(crate) fn of<'a>(&'a self, name: &'a UserName) -> impl Iterator<Item = &'a Session> + 'a {
        self.0.iter().filter(move |s| s.user_name == *name)
    }

    /// Whether a session holds `ip`.
    pub(crate) fn holds(&self, ip: Ipv4Addr) -> bool {
        self.0.iter().any(|s| s.client_ip.addr() == ip)
    }

    /// Adds the newest session.
    pub(crate) fn push(&mut self, session: Session) {
        self.0.push(session);
    }

    /// Ends every session of `name`. Nothing to do on an instance no user is connected to (the
    /// common case, checked first: the operations that end sessions pay nothing for them then).
    #[inline]
    pub(crate) fn end_user(&mut self, name: &UserName) {
        if !self.0.is_empty() {
            self.0.retain(|s| s.user_name != *name);
        }
    }

    /// Keeps only the sessions `keep` accepts.
    pub(crate) fn retain(&mut self, keep: impl FnMut(&Session) -> bool) {
        if !self.0.is_empty() {
            self.0.retain(keep);
        }
    }
}

impl FromIterator<Session> for Sessions {
    fn from_iter<I: IntoIterator<Item = Session>>(iter: I) -> Self {
        Sessions(iter.into_iter().collect())
    }
}
