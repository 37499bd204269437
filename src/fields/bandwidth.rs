use core::str::FromStr;

use crate::error::Error;

/// A client user's peak bandwidth in Kbit/s: a whole number from 1 to 20000.
///
/// As text: decimal digits only (leading zeros allowed), no sign, no space, no decimal point;
/// anything else, or a value out of range however large, is `ClientUser.BandwidthInvalid`.
///
/// ```
/// use smartag_rules::{Bandwidth, Error};
///
/// assert_eq!("20000".parse::<Bandwidth>()?.get(), 20000);
/// assert_eq!(Bandwidth::new(1)?, Bandwidth::MIN);
/// assert_eq!(Bandwidth::DEFAULT.get(), 2000);
/// for bad in ["0", "20001", "+20", " 20", "20.0", "", "99999999999999999999"] {
///     assert_eq!(bad.parse::<Bandwidth>(), Err(Error::BandwidthInvalid));
/// }
/// # Ok::<(), Error>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub struct Bandwidth(u16);

impl Bandwidth {
    /// The documented rule as a regular expression (digits only, 1 to 20000).
    pub const PATTERN: &'static str = r"^0*([1-9][0-9]{0,3}|1[0-9]{4}|20000)$";
    /// The smallest bandwidth, 1 Kbit/s.
    pub const MIN: Bandwidth = Bandwidth(1);
    /// The largest bandwidth, 20000 Kbit/s.
    pub const MAX: Bandwidth = Bandwidth(20000);
    /// What create uses when `Bandwidth` is absent: 2000 Kbit/s.
    pub const DEFAULT: Bandwidth = Bandwidth(2000);

    /// A bandwidth of `kbps` Kbit/s.
    ///
    /// # Errors
    ///
    /// [`Error::BandwidthInvalid`] outside 1..=20000.
    pub const fn new(kbps: u32) -> Result<Bandwidth, Error> {
        if kbps >= Self::MIN.0 as u32 && kbps <= Self::MAX.0 as u32 {
            Ok(Bandwidth(kbps as u16))
        } else {
            Err(Error::BandwidthInvalid)
        }
    }

    /// The value in Kbit/s.
    pub const fn get(self) -> u32 {
        self.0 as u32
    }
}

impl Default for Bandwidth {
    fn default() -> Self {
        Self::DEFAULT
    }
}

super::display_inner!(Bandwidth);

impl FromStr for Bandwidth {
    type Err = Error;
    #[inline]
    fn from_str(s: &str) -> Result<Self, Error> {
        if s.is_empty() {
            return Err(Error::BandwidthInvalid);
        }
        // One pass; stopping as soon as the value is out of range also keeps it from overflowing.
        let mut kbps = 0u32;
        for &b in s.as_bytes() {
            if !b.is_ascii_digit() || kbps > Self::MAX.get() {
                return Err(Error::BandwidthInvalid);
            }
            kbps = kbps * 10 + u32::from(b - b'0');
        }
        Bandwidth::new(kbps)
    }
}

super::try_from_str!(Bandwidth);
super::checked_from!(Bandwidth, u32, get);

#[cfg(feature = "serde")]
impl serde::Serialize for Bandwidth {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u32(self.get())
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for Bandwidth {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let kbps = <u32 as serde::Deserialize>::deserialize(d)?;
        Bandwidth::new(kbps).map_err(serde::de::Error::custom)
    }
}
