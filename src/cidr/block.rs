use core::str::FromStr;
use std::net::Ipv4Addr;

use ipnet::Ipv4Net;

use crate::error::Error;

/// One client CIDR block: a private IPv4 network (inside 10.0.0.0/8, 172.16.0.0/12 or
/// 192.168.0.0/16) with its host bits zero and a prefix from /8 to /30.
///
/// As text it is `a.b.c.d/n`: a dotted quad as [`ClientIp`](crate::ClientIp) takes it, `/`, and
/// a prefix of one or two digits without a leading zero; anything else is `SAG.InvalidCidrFormat`.
/// A well-formed block that breaks a rule (not private, host bits set, prefix outside /8..=/30)
/// is `SAG.InvalidCidr`. The empty string is `SAG.CidrEmpty`.
///
/// ```
/// use smartag_rules::{CidrBlock, Error};
/// use std::net::Ipv4Addr;
///
/// let block: CidrBlock = "10.0.0.0/30".parse()?;
/// assert!(!block.contains_host(Ipv4Addr::new(10, 0, 0, 0))); // network address
/// assert!(block.contains_host(Ipv4Addr::new(10, 0, 0, 1)));  // first host
/// assert!(block.contains_host(Ipv4Addr::new(10, 0, 0, 2)));  // last host
/// assert!(!block.contains_host(Ipv4Addr::new(10, 0, 0, 3))); // broadcast address
/// assert_eq!("10.0.0.1/24".parse::<CidrBlock>(), Err(Error::InvalidCidr)); // host bits
/// assert_eq!("8.8.8.0/24".parse::<CidrBlock>(), Err(Error::InvalidCidr)); // public
/// assert_eq!("10.0.0.0".parse::<CidrBlock>(), Err(Error::InvalidCidrFormat));
/// # Ok::<(), Error>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub struct CidrBlock(Ipv4Net);

impl CidrBlock {
    /// The accepted text form as a regular expression (the rules on the value come on top).
    pub const PATTERN: &'static str = r"^(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(\.(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}/([0-9]|[1-9][0-9])$";
    /// The shortest prefix.
    pub const MIN_PREFIX: u8 = 8;
    /// The longest prefix: a /30 still has two usable hosts.
    pub const MAX_PREFIX: u8 = 30;
    /// The private IPv4 ranges client blocks must lie in (RFC 1918): 10.0.0.0/8,
    /// 172.16.0.0/12 and 192.168.0.0/16.
    ///
    /// ```
    /// use smartag_rules::CidrBlock;
    ///
    /// let ranges: Vec<String> = CidrBlock::PRIVATE_RANGES.iter().map(|r| r.to_string()).collect();
    /// assert_eq!(ranges, ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"]);
    /// ```
    pub const PRIVATE_RANGES: [Ipv4Net; 3] = [
        Ipv4Net::new_assert(Ipv4Addr::new(10, 0, 0, 0), 8),
        Ipv4Net::new_assert(Ipv4Addr::new(172, 16, 0, 0), 12),
        Ipv4Net::new_assert(Ipv4Addr::new(192, 168, 0, 0), 16),
    ];

    /// A block from a network value.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidCidr`] when it breaks a rule (not private, host bits set, prefix outside
    /// /8..=/30).
    pub fn new(net: Ipv4Net) -> Result<CidrBlock, Error> {
        let prefix = net.prefix_len();
        let host_bits_zero = net.addr() == net.network();
        let private = Self::PRIVATE_RANGES
            .iter()
            .any(|range| range.contains(&net));
        if (Self::MIN_PREFIX..=Self::MAX_PREFIX).contains(&prefix) && host_bits_zero && private {
            Ok(CidrBlock(net))
        } else {
            Err(Error::InvalidCidr)
        }
    }

    /// The network.
    pub const fn net(&self) -> Ipv4Net {
        self.0
    }

    /// The network address (the block's first address, not a usable host).
    pub fn network(&self) -> Ipv4Addr {
        self.0.network()
    }

    /// The broadcast address (the block's last address, not a usable host).
    pub fn broadcast(&self) -> Ipv4Addr {
        self.0.broadcast()
    }

    /// The prefix length.
    pub fn prefix_len(&self) -> u8 {
        self.0.prefix_len()
    }

    /// How many usable hosts the block has (all its addresses but the network and broadcast).
    pub fn host_count(&self) -> u32 {
        (u32::MAX >> self.0.prefix_len()) - 1
    }

    /// Whether `addr` is a usable host of the block: inside it, and neither its network nor its
    /// broadcast address.
    pub fn contains_host(&self, addr: Ipv4Addr) -> bool {
        let a = u32::from(addr);
        a > u32::from(self.network()) && a < u32::from(self.broadcast())
    }

    /// Whether the two blocks share any address.
    pub fn overlaps(&self, other: &CidrBlock) -> bool {
        self.0.contains(&other.0.network()) || other.0.contains(&self.0.network())
    }
}

crate::fields::display_inner!(CidrBlock);

impl FromStr for CidrBlock {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        if s.is_empty() {
            return Err(Error::CidrEmpty);
        }
        let (addr, prefix) = s.split_once('/').ok_or(Error::InvalidCidrFormat)?;
        let addr = crate::fields::dotted_quad(addr.as_bytes()).ok_or(Error::InvalidCidrFormat)?;
        let well_formed_prefix = match prefix.as_bytes() {
            [d] => d.is_ascii_digit(),
            [d1, d2] => (b'1'..=b'9').contains(d1) && d2.is_ascii_digit(),
            _ => false,
        };
        if !well_formed_prefix {
            return Err(Error::InvalidCidrFormat);
        }
        let prefix: u8 = prefix.parse().map_err(|_| Error::InvalidCidrFormat)?;
        let net = Ipv4Net::new(addr, prefix).map_err(|_| Error::InvalidCidr)?;
        CidrBlock::new(net)
    }
}

crate::fields::try_from_str!(CidrBlock);
crate::fields::checked_from!(CidrBlock, Ipv4Net, net);
crate::fields::serde_display!(CidrBlock);
