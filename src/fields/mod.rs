//! The validated field types: each is the only way to hold a value that obeys its documented
//! rule, and each publishes that rule as a regular expression (`PATTERN`) for generators and
//! schema writers.
//!
//! Parsing is the only way in: `"doctest1".parse::<UserName>()`, `UserName::try_from(..)`.
//! The production checks of the character-class fields scan a byte table rather than run the
//! regular expression; the property tests prove the two agree on arbitrary strings.

mod bandwidth;
mod client_ip;
mod enterprise_code;
mod password;
mod region_id;
mod smart_ag_id;
mod user_mail;
mod user_name;

pub use bandwidth::Bandwidth;
pub use client_ip::ClientIp;
pub use enterprise_code::EnterpriseCode;
pub use password::Password;
pub use region_id::RegionId;
pub use smart_ag_id::SmartAgId;
pub use user_mail::UserMail;
pub use user_name::UserName;

/// A set of ASCII bytes, as a 256-entry table: one lookup per byte, no branches on the class.
pub(crate) struct ByteSet([bool; 256]);

impl ByteSet {
    /// ASCII letters and digits, plus the bytes of `extra`.
    pub(crate) const fn alphanumeric_and(extra: &[u8]) -> ByteSet {
        let mut table = [false; 256];
        let mut b = 0;
        while b < 256 {
            table[b] = (b as u8).is_ascii_alphanumeric();
            b += 1;
        }
        let mut i = 0;
        while i < extra.len() {
            table[extra[i] as usize] = true;
            i += 1;
        }
        ByteSet(table)
    }

    /// Whether `b` is in the set.
    #[inline]
    pub(crate) const fn contains(&self, b: u8) -> bool {
        self.0[b as usize]
    }
}

/// The shape shared by `UserName` and `Password`: `min..=max` characters, the first from `first`,
/// the rest from `rest`. Both sets are ASCII, so a valid value has as many bytes as characters and
/// any non-ASCII character fails the table lookup.
#[inline]
pub(crate) fn is_token(s: &str, min: usize, max: usize, first: &ByteSet, rest: &ByteSet) -> bool {
    let bytes = s.as_bytes();
    match bytes.split_first() {
        Some((&head, tail)) if (min..=max).contains(&bytes.len()) => {
            // No early exit: a branch-free fold over at most a few dozen bytes lets the compiler
            // unroll the table lookups, which is faster than stopping at the first bad byte.
            first.contains(head) && tail.iter().fold(true, |ok, &b| ok & rest.contains(b))
        }
        _ => false,
    }
}

/// The trait impls every text field shares: `as_str`, `Display`, `AsRef<str>`, `FromStr`,
/// `TryFrom<&str>`, `TryFrom<String>`, `From<T> for String` and (with `serde`) string
/// (de)serialisation through the validating parser. The type must be a tuple struct over
/// `Box<str>` with an associated `fn check(&str) -> Result<(), Error>`.
macro_rules! text_field {
    ($ty:ident) => {
        impl $ty {
            /// The value as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl ::core::fmt::Display for $ty {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl ::core::convert::AsRef<str> for $ty {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl ::core::str::FromStr for $ty {
            type Err = $crate::Error;
            fn from_str(s: &str) -> Result<Self, $crate::Error> {
                $ty::check(s)?;
                Ok($ty(s.into()))
            }
        }

        impl ::core::convert::TryFrom<&str> for $ty {
            type Error = $crate::Error;
            fn try_from(s: &str) -> Result<Self, $crate::Error> {
                s.parse()
            }
        }

        impl ::core::convert::TryFrom<String> for $ty {
            type Error = $crate::Error;
            fn try_from(s: String) -> Result<Self, $crate::Error> {
                $ty::check(&s)?;
                Ok($ty(s.into_boxed_str()))
            }
        }

        impl From<$ty> for String {
            fn from(v: $ty) -> String {
                v.0.into_string()
            }
        }

        #[cfg(feature = "serde")]
        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(&self.0)
            }
        }

        $crate::fields::deserialize_from_str!($ty);
    };
}
pub(crate) use text_field;

/// Deserialisation (with `serde`) of a type written as text: the text goes through the type's
/// validating `FromStr`, so a snapshot cannot smuggle in a value the parser would refuse.
macro_rules! deserialize_from_str {
    ($ty:ident) => {
        #[cfg(feature = "serde")]
        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(d)?;
                s.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}
pub(crate) use deserialize_from_str;
