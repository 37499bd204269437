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
/// joined by single dots, nothing around them; in one pass, an octet at a time. Accepts exactly
/// what `Ipv4Addr::from_str` accepts (the property tests compare the two).
#[inline]
pub(crate) fn dotted_quad(s: &[u8]) -> Option<Ipv4Addr> {
    let mut octets = [0u8; 4];
    let mut rest = s;
    for (i, octet) in octets.iter_mut().enumerate() {
        if i > 0 {
            rest = rest.strip_prefix(b".")?;
        }
        (*octet, rest) = decimal_octet(rest)?;
    }
    rest.is_empty().then_some(Ipv4Addr::from(octets))
}

/// The decimal octet `s` starts with (1 to 3 digits, 0 to 255, no leading zero: a `0` is the
/// whole octet), and the bytes after it.
#[inline(always)]
fn decimal_octet(s: &[u8]) -> Option<(u8, &[u8])> {
    let digit = |i: usize| match s.get(i) {
        Some(&b) if b.is_ascii_digit() => Some(u16::from(b - b'0')),
        _ => None,
    };
    let mut value = digit(0)?;
    let mut len = 1;
    if value > 0 {
        while let (true, Some(d)) = (len < 3, digit(len)) {
            value = value * 10 + d;
            len += 1;
        }
    }
    Some((u8::try_from(value).ok()?, s.get(len..)?))
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
