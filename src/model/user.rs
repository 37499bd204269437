use crate::fields::{Bandwidth, ClientIp, Password, SmartAgId, UserMail, UserName};

/// Whether a client user may log in.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum UserState {
    /// The user may log in (`State` 0 in the API).
    #[default]
    Enabled,
    /// The user is disabled (`State` 1 in the API).
    Disabled,
}

impl UserState {
    /// The API's number for the state: 0 enabled, 1 disabled.
    pub const fn code(self) -> u8 {
        match self {
            UserState::Enabled => 0,
            UserState::Disabled => 1,
        }
    }
}

/// Where a user comes from with respect to roaming.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Roaming {
    /// A user created on this instance; it has roaming copies on the listed instances.
    Origin(Vec<SmartAgId>),
    /// A roaming copy of the user of the same name on the given origin instance.
    ///
    /// Boxed: copies are rare and an instance ID is 65 bytes inline, so an unboxed ID here
    /// would nearly double the size of every user. Serialized like the bare ID.
    CopyOf(Box<SmartAgId>),
}

impl Default for Roaming {
    fn default() -> Self {
        Roaming::Origin(Vec::new())
    }
}

/// A client user of an SAG APP instance.
///
/// Read-only from outside: the operations of [`Account`](super::Account) change users.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ClientUser {
    pub(crate) name: UserName,
    pub(crate) password: Password,
    pub(crate) mail: UserMail,
    pub(crate) bandwidth: Bandwidth,
    pub(crate) state: UserState,
    pub(crate) client_ip: Option<ClientIp>,
    pub(crate) used_this_month: bool,
    pub(crate) roaming: Roaming,
}

impl ClientUser {
    /// The user name, unique within the instance.
    pub fn name(&self) -> &UserName {
        &self.name
    }

    /// The password (a secret: see [`Password`]).
    pub fn password(&self) -> &Password {
        &self.password
    }

    /// The mail address.
    pub fn mail(&self) -> &UserMail {
        &self.mail
    }

    /// The peak bandwidth.
    pub fn bandwidth(&self) -> Bandwidth {
        self.bandwidth
    }

    /// Enabled or disabled.
    pub fn state(&self) -> UserState {
        self.state
    }

    /// The static client IP, if the user has one (`IsStaticIp` = 1).
    pub fn client_ip(&self) -> Option<ClientIp> {
        self.client_ip
    }

    /// Whether the user is marked as used this month (it then cannot be deleted).
    pub fn used_this_month(&self) -> bool {
        self.used_this_month
    }

    /// The user's roaming relation: an origin user and its copies, or a copy and its origin.
    pub fn roaming(&self) -> &Roaming {
        &self.roaming
    }

    /// The instance this user is a roaming copy from, if it is a copy.
    pub fn origin(&self) -> Option<&SmartAgId> {
        match &self.roaming {
            Roaming::CopyOf(origin) => Some(&**origin),
            Roaming::Origin(_) => None,
        }
    }

    /// The instances holding roaming copies of this user (empty for a copy).
    pub fn copies(&self) -> &[SmartAgId] {
        match &self.roaming {
            Roaming::Origin(copies) => copies,
            Roaming::CopyOf(_) => &[],
        }
    }

    /// Whether this user may roam: only a user of its instance in its own right does, a roaming
    /// copy does not (roaming one answers `ResourceNotFound.User`).
    pub(crate) fn may_roam(&self) -> bool {
        self.origin().is_none()
    }

    /// Makes a roaming copy of this user (an origin user) for instance `target`, and records it.
    pub(crate) fn roam_to(&mut self, origin: &SmartAgId, target: &SmartAgId) -> ClientUser {
        if let Roaming::Origin(copies) = &mut self.roaming {
            copies.push(target.clone());
        }
        ClientUser {
            roaming: Roaming::CopyOf(Box::new(origin.clone())),
            used_this_month: false,
            ..self.clone()
        }
    }

    /// Forgets the roaming copy on `target`.
    pub(crate) fn forget_copy(&mut self, target: &SmartAgId) {
        if let Roaming::Origin(copies) = &mut self.roaming {
            copies.retain(|copy| copy != target);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The rare copy variant must not make every user pay for an inline instance ID.
    #[test]
    fn roaming_is_no_larger_than_its_vector() {
        assert_eq!(
            std::mem::size_of::<Roaming>(),
            std::mem::size_of::<Vec<SmartAgId>>()
        );
    }
}
