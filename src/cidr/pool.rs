use core::fmt;
use core::str::FromStr;
use std::net::Ipv4Addr;

use super::CidrBlock;
use crate::error::Error;

/// An instance's client CIDR pool: up to [`CidrPool::MAX_BLOCKS`] blocks, no two of which
/// overlap. The empty pool is the pool of a new instance, which can hold no user.
///
/// As text it is the blocks joined by `,` with nothing around them (`ModifySmartAccessGateway`'s
/// `CidrBlock` parameter). Parsing reports the first failing block's error, then more than ten
/// blocks (`SAG.InvalidCidr`), then overlap (`SAG.CidrOverlap`); the empty string is
/// `SAG.CidrEmpty`.
///
/// ```
/// use smartag_rules::{CidrPool, Error};
/// use std::net::Ipv4Addr;
///
/// let pool: CidrPool = "10.0.0.0/24,192.168.1.0/24".parse()?;
/// assert_eq!(pool.len(), 2);
/// assert!(pool.contains_host(Ipv4Addr::new(192, 168, 1, 254)));
/// assert_eq!("10.0.0.0/16,10.0.1.0/24".parse::<CidrPool>(), Err(Error::CidrOverlap));
/// assert_eq!("10.0.0.0/24, 10.0.1.0/24".parse::<CidrPool>(), Err(Error::InvalidCidrFormat));
/// # Ok::<(), Error>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash, Debug, Default)]
pub struct CidrPool(Vec<CidrBlock>);

impl CidrPool {
    /// The most blocks one instance may have.
    pub const MAX_BLOCKS: usize = 10;

    /// The empty pool.
    pub const fn empty() -> CidrPool {
        CidrPool(Vec::new())
    }

    /// A pool of these blocks, in this order.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidCidr`] for more than [`CidrPool::MAX_BLOCKS`] blocks, else
    /// [`Error::CidrOverlap`] when two overlap.
    pub fn new(blocks: Vec<CidrBlock>) -> Result<CidrPool, Error> {
        if blocks.len() > Self::MAX_BLOCKS {
            return Err(Error::InvalidCidr);
        }
        let overlapping = blocks
            .iter()
            .enumerate()
            .any(|(i, a)| blocks.iter().skip(i + 1).any(|b| a.overlaps(b)));
        if overlapping {
            return Err(Error::CidrOverlap);
        }
        Ok(CidrPool(blocks))
    }

    /// The blocks, in the order they were given.
    pub fn blocks(&self) -> &[CidrBlock] {
        &self.0
    }

    /// How many blocks.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether the pool has no block.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether `addr` is a usable host of one of the blocks.
    pub fn contains_host(&self, addr: Ipv4Addr) -> bool {
        self.0.iter().any(|b| b.contains_host(addr))
    }

    /// Whether any block of `self` overlaps any block of `other`.
    pub fn overlaps(&self, other: &CidrPool) -> bool {
        self.0.iter().any(|a| other.0.iter().any(|b| a.overlaps(b)))
    }

    /// How many usable host addresses the pool has in all.
    pub fn host_count(&self) -> u64 {
        self.0.iter().map(|b| u64::from(b.host_count())).sum()
    }
}

impl fmt::Display for CidrPool {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, block) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            fmt::Display::fmt(block, f)?;
        }
        Ok(())
    }
}

impl FromStr for CidrPool {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        if s.is_empty() {
            return Err(Error::CidrEmpty);
        }
        let blocks = s
            .split(',')
            .map(|part| {
                if part.is_empty() {
                    Err(Error::InvalidCidrFormat)
                } else {
                    part.parse()
                }
            })
            .collect::<Result<Vec<CidrBlock>, Error>>()?;
        CidrPool::new(blocks)
    }
}

crate::fields::try_from_str!(CidrPool);

impl TryFrom<Vec<CidrBlock>> for CidrPool {
    type Error = Error;
    fn try_from(blocks: Vec<CidrBlock>) -> Result<Self, Error> {
        CidrPool::new(blocks)
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for CidrPool {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        serde::Serialize::serialize(&self.0, s)
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for CidrPool {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let blocks = <Vec<CidrBlock> as serde::Deserialize>::deserialize(d)?;
        CidrPool::new(blocks).map_err(serde::de::Error::custom)
    }
}
