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

/// A dotted-quad IPv4 address: exactly four decimal octets of 0 to 255 without leading zeros,
/// joined by single dots, nothing around them; in one pass. Accepts exactly what
/// `Ipv4Addr::from_str` accepts (the property tests compare the two).
#[inline]
pub(crate) fn dotted_quad(s: &[u8]) -> Option<Ipv4Addr> {
    const LONGEST: usize = "255.255.255.255".len();
    if s.len() > LONGEST {
        return None;
    }
    let mut octets = [0u8; 4];
    let (mut index, mut value, mut digits) = (0usize, 0u16, 0u8);
    for &b in s {
        if b == b'.' {
            if digits == 0 {
                return None;
            }
            *octets.get_mut(index)? = value as u8; // at most 255: checked below
            index += 1;
            (value, digits) = (0, 0);
        } else if b.is_ascii_digit() {
            if digits > 0 && value == 0 {
                return None; // a leading zero
            }
            value = value * 10 + u16::from(b - b'0');
            digits += 1;
            if value > 255 {
                return None;
            }
        } else {
            return None;
        }
    }
    if digits == 0 || index != 3 {
        return None;
    }
    let [a, b, c, _] = octets;
    Some(Ipv4Addr::new(a, b, c, value as u8))
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

super::display_inner!(ClientIp);

impl FromStr for ClientIp {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        if s.is_empty() {
            return Err(Error::IpEmpty);
        }
        dotted_quad(s.as_bytes())
            .map(ClientIp)
            .ok_or(Error::IpInvalid)
    }
}

super::try_from_str!(ClientIp);
super::serde_display!(ClientIp);
