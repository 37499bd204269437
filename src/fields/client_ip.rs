use core::fmt;
use core::str::FromStr;
use std::net::Ipv4Addr;

use crate::error::Error;

/// A static client IP address: a well-formed dotted-quad IPv4 address (four decimal octets
/// 0 to 255, no leading zeros, nothing around them).
///
/// Whether the address is a usable host of an instance's pool is a rule of the instance
/// (`ClientUser.InvalidClientIp`), checked by the operations, not by parsing.
///
/// ```
/// use smartag_rules::{ClientIp, Error};
///
/// let ip: ClientIp = "10.0.0.1".parse()?;
/// assert_eq!(ip.addr(), std::net::Ipv4Addr::new(10, 0, 0, 1));
/// assert_eq!("".parse::<ClientIp>(), Err(Error::IpEmpty));
/// assert_eq!("10.0.0.256".parse::<ClientIp>(), Err(Error::IpInvalid));
/// assert_eq!("10.0.XX.XX".parse::<ClientIp>(), Err(Error::IpInvalid));
/// # Ok::<(), Error>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub struct ClientIp(Ipv4Addr);

impl ClientIp {
    /// The documented form as a regular expression.
    pub const PATTERN: &'static str = r"^(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(\.(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}$";

    /// The address.
    pub const fn addr(self) -> Ipv4Addr {
        self.0
    }
}

impl From<Ipv4Addr> for ClientIp {
    fn from(addr: Ipv4Addr) -> Self {
        ClientIp(addr)
    }
}

impl From<ClientIp> for Ipv4Addr {
    fn from(ip: ClientIp) -> Self {
        ip.0
    }
}

impl fmt::Display for ClientIp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl FromStr for ClientIp {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        if s.is_empty() {
            return Err(Error::IpEmpty);
        }
        // The standard parser takes exactly four decimal octets and refuses leading zeros.
        s.parse::<Ipv4Addr>()
            .map(ClientIp)
            .map_err(|_| Error::IpInvalid)
    }
}

impl TryFrom<&str> for ClientIp {
    type Error = Error;
    fn try_from(s: &str) -> Result<Self, Error> {
        s.parse()
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for ClientIp {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0)
    }
}

super::deserialize_from_str!(ClientIp);
