//! The validated field types: each is the only way to hold a value that obeys its documented
//! rule, and each publishes that rule as a regular expression (`PATTERN`) for generators and
//! schema writers.
//!
//! Parsing is the only way in: `"doctest1".parse::<UserName>()`, `UserName::try_from(..)`.
//! The production checks of the character-class fields scan a byte table rather than run the
//! regular expression; the property tests prove the two agree on arbitrary strings.

mod bandwidth;
mod client_ip;
mod client_token;
mod enterprise_code;
mod password;
mod region_id;
mod smart_ag_id;
mod user_mail;
mod user_name;

pub use bandwidth::Bandwidth;
pub(crate) use client_ip::dotted_quad;
pub use client_ip::ClientIp;
pub use client_token::ClientToken;
pub use enterprise_code::EnterpriseCode;
pub use password::Password;
pub use region_id::RegionId;
pub use smart_ag_id::SmartAgId;
pub use user_mail::UserMail;
pub use user_name::UserName;

use core::ops::RangeInclusive;

use crate::error::Error;
use crate::rng::Rng;

/// The character sets of the rules, each written once here; the field types publish them as
/// associated constants (`UserName::REST_CHARS`, ...) and build their byte tables from them.
macro_rules! upper {
    () => {
        "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    };
}
macro_rules! lower {
    () => {
        "abcdefghijklmnopqrstuvwxyz"
    };
}
macro_rules! digits {
    () => {
        "0123456789"
    };
}
pub(crate) use {digits, lower, upper};

/// `[A-Za-z0-9]`.
pub(crate) const ALNUM: &[u8] = concat!(upper!(), lower!(), digits!()).as_bytes();
/// `[a-z0-9]`.
pub(crate) const LOWER_ALNUM: &[u8] = concat!(lower!(), digits!()).as_bytes();

/// A set of ASCII bytes, as a 256-entry table: one lookup per byte, no branches on the class.
pub(crate) struct ByteSet([bool; 256]);

impl ByteSet {
    /// The bytes of `chars`.
    pub(crate) const fn of(chars: &[u8]) -> ByteSet {
        let mut table = [false; 256];
        let mut i = 0;
        while i < chars.len() {
            table[chars[i] as usize] = true;
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

/// The check of a text field: `Ok` when `s` has a length in `len` (bytes) and `rule` holds on
/// it, else `empty` for `""` and `invalid` for any other text. The length comes first, so no rule
/// scans more than its field can hold, and every accepted text fits the field's storage.
#[inline(always)]
pub(crate) fn check_text(
    s: &str,
    len: RangeInclusive<usize>,
    rule: impl FnOnce(&[u8]) -> bool,
    empty: Error,
    invalid: Error,
) -> Result<(), Error> {
    if len.contains(&s.len()) && rule(s.as_bytes()) {
        Ok(())
    } else if s.is_empty() {
        Err(empty)
    } else {
        Err(invalid)
    }
}

/// The shape shared by `UserName` and `Password` (whose checks bound the length): the first
/// character from `first`, the rest from `rest`. Both sets are ASCII, so a valid value has as many
/// bytes as characters and any non-ASCII character fails the table lookup.
#[inline]
pub(crate) fn is_token(bytes: &[u8], first: &ByteSet, rest: &ByteSet) -> bool {
    match bytes.split_first() {
        Some((&head, tail)) => {
            // No early exit: a branch-free fold over at most a few dozen bytes lets the compiler
            // unroll the table lookups, which is faster than stopping at the first bad byte.
            first.contains(head) && tail.iter().fold(true, |ok, &b| ok & rest.contains(b))
        }
        _ => false,
    }
}

/// A rule of the form "`$min..=$max` characters, the first from one set, the rest from
/// another" ([`is_token`]), said once for its type: the constants that publish it (`PATTERN`,
/// `MIN_LEN`, `MAX_LEN`, `FIRST_CHARS`, `REST_CHARS`) and `obeys`, its scan over the bytes (the
/// length is the check's, `MIN_LEN..=MAX_LEN`). `$what` names a value in the constants' docs;
/// `$first_re` and `$rest_re` show the sets as regex classes.
macro_rules! token_rule {
    (
        $ty:ident, $what:literal, pattern: $pattern:literal, len: $min:literal..=$max:literal,
        first: $first:expr, $first_re:literal,
        rest: $rest:expr, $rest_re:literal $(,)?
    ) => {
        impl $ty {
            /// The documented rule as a regular expression.
            pub const PATTERN: &'static str = $pattern;
            /// Fewest characters.
            pub const MIN_LEN: usize = $min;
            /// Most characters.
            pub const MAX_LEN: usize = $max;
            #[doc = concat!("The characters a ", $what, " may start with: `", $first_re, "`.")]
            pub const FIRST_CHARS: &'static [u8] = $first;
            #[doc = concat!("The characters of the rest of a ", $what, ": `", $rest_re, "`.")]
            pub const REST_CHARS: &'static [u8] = $rest;

            /// Whether the first byte is one of `FIRST_CHARS` and the others of `REST_CHARS`.
            #[inline]
            fn obeys(bytes: &[u8]) -> bool {
                const FIRST: $crate::fields::ByteSet =
                    $crate::fields::ByteSet::of($ty::FIRST_CHARS);
                const REST: $crate::fields::ByteSet = $crate::fields::ByteSet::of($ty::REST_CHARS);
                $crate::fields::is_token(bytes, &FIRST, &REST)
            }
        }
    };
}
pub(crate) use token_rule;

/// The text of a bounded field, held inline: at most `N` bytes and their length, no heap
/// allocation. Built only from a `&str`, so its bytes are always valid UTF-8; equality,
/// hashing and order are those of the text, so a field keyed by it can be looked up by `&str`.
#[derive(Clone, Copy)]
pub(crate) struct InlineStr<const N: usize> {
    len: u8,
    bytes: [u8; N],
}

impl<const N: usize> InlineStr<N> {
    /// `N` must fit the one-byte length.
    const FITS: () = assert!(N <= u8::MAX as usize);

    /// `s` held inline, or `None` when it is longer than `N` bytes.
    #[inline]
    pub(crate) fn new(s: &str) -> Option<InlineStr<N>> {
        let () = Self::FITS;
        // Built in place and copied into: no second move of the array.
        let mut text = InlineStr {
            len: s.len() as u8,
            bytes: [0u8; N],
        };
        text.bytes.get_mut(..s.len())?.copy_from_slice(s.as_bytes());
        Some(text)
    }

    /// Generated text: `prefix`, then `L` bytes drawn by `rng` from `alphabet`. That it fits is
    /// checked when compiled; the prefix and the sets the fields draw from are ASCII, so the
    /// text is valid UTF-8 (the generating field's tests check its rule on the result).
    pub(crate) fn generate<const P: usize, const L: usize>(
        prefix: [u8; P],
        alphabet: &[u8],
        rng: &mut Rng,
    ) -> InlineStr<N> {
        const { assert!(P + L <= N && N <= u8::MAX as usize) };
        let mut bytes = [0u8; N];
        for (i, byte) in bytes.iter_mut().take(P + L).enumerate() {
            *byte = match prefix.get(i) {
                Some(&b) => b,
                None => rng.pick_byte(alphabet),
            };
        }
        InlineStr {
            len: (P + L) as u8,
            bytes,
        }
    }

    /// The text.
    #[inline]
    pub(crate) fn as_str(&self) -> &str {
        // Copied from a `&str` whole: always valid UTF-8, so neither fallback can be taken.
        let bytes = self.bytes.get(..usize::from(self.len)).unwrap_or_default();
        core::str::from_utf8(bytes).unwrap_or_default()
    }
}

impl<const N: usize> PartialEq for InlineStr<N> {
    #[inline]
    fn eq(&self, other: &Self) -> bool {
        // The bytes past `len` are always zero, so the whole arrays compare as the texts do.
        self.len == other.len && self.bytes == other.bytes
    }
}

impl<const N: usize> Eq for InlineStr<N> {}

/// `Hash`, `Ord` and `Debug` of a text storage: those of its text, so a field keyed by it can be
/// looked up by `&str`.
macro_rules! as_its_text {
    ($($storage:ident),*) => {$(
        impl<const N: usize> core::hash::Hash for $storage<N> {
            fn hash<H: core::hash::Hasher>(&self, state: &mut H) {
                self.as_str().hash(state);
            }
        }

        impl<const N: usize> PartialOrd for $storage<N> {
            fn partial_cmp(&self, other: &Self) -> Option<core::cmp::Ordering> {
                Some(self.cmp(other))
            }
        }

        impl<const N: usize> Ord for $storage<N> {
            fn cmp(&self, other: &Self) -> core::cmp::Ordering {
                self.as_str().cmp(other.as_str())
            }
        }

        impl<const N: usize> core::fmt::Debug for $storage<N> {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                core::fmt::Debug::fmt(self.as_str(), f)
            }
        }
    )*};
}
as_its_text!(InlineStr, SmallStr);

/// Text kept inline up to `N` bytes and on the heap beyond: for the mail, whose bound (254
/// bytes) is far above its typical length. With `N` = 22 it takes 24 bytes, 8 more than a
/// `Box<str>`, and a typical address needs no allocation at all.
///
/// A text of at most `N` bytes is always `Inline`, a longer one always `Heap`.
#[derive(Clone)]
pub(crate) enum SmallStr<const N: usize> {
    /// At most `N` bytes.
    Inline(InlineStr<N>),
    /// More than `N` bytes.
    Heap(Box<str>),
}

impl<const N: usize> SmallStr<N> {
    /// The text.
    #[inline]
    pub(crate) fn as_str(&self) -> &str {
        match self {
            SmallStr::Inline(s) => s.as_str(),
            SmallStr::Heap(s) => s,
        }
    }
}

impl<const N: usize> PartialEq for SmallStr<N> {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl<const N: usize> Eq for SmallStr<N> {}

/// Where a text field keeps its text: inline ([`InlineStr`]) for the bounded fields, inline or
/// boxed ([`SmallStr`]) for the mail.
pub(crate) trait Storage: Sized {
    /// `s` stored, or `None` when it does not fit (which the field's check already refuses).
    fn store(s: &str) -> Option<Self>;
    /// `s` stored, reusing its allocation where the storage is on the heap.
    fn store_string(s: String) -> Option<Self> {
        Self::store(&s)
    }
    /// The text.
    fn text(&self) -> &str;
    /// The text, owned.
    fn into_string(self) -> String {
        self.text().to_owned()
    }
}

impl<const N: usize> Storage for SmallStr<N> {
    #[inline]
    fn store(s: &str) -> Option<Self> {
        Some(InlineStr::new(s).map_or_else(|| SmallStr::Heap(s.into()), SmallStr::Inline))
    }
    fn store_string(s: String) -> Option<Self> {
        Some(match InlineStr::new(&s) {
            Some(inline) => SmallStr::Inline(inline),
            None => SmallStr::Heap(s.into_boxed_str()),
        })
    }
    #[inline]
    fn text(&self) -> &str {
        self.as_str()
    }
    fn into_string(self) -> String {
        match self {
            SmallStr::Inline(s) => s.as_str().to_owned(),
            SmallStr::Heap(s) => String::from(s),
        }
    }
}

impl<const N: usize> Storage for InlineStr<N> {
    #[inline]
    fn store(s: &str) -> Option<Self> {
        InlineStr::new(s)
    }
    #[inline]
    fn text(&self) -> &str {
        self.as_str()
    }
}

/// `TryFrom<&str>` through the type's validating `FromStr`.
macro_rules! try_from_str {
    ($ty:ident) => {
        impl ::core::convert::TryFrom<&str> for $ty {
            type Error = $crate::error::Error;
            #[inline]
            fn try_from(s: &str) -> Result<Self, $crate::error::Error> {
                s.parse()
            }
        }
    };
}
pub(crate) use try_from_str;

/// `Display` of a tuple struct: that of the value it wraps.
macro_rules! display_inner {
    ($ty:ident) => {
        impl ::core::fmt::Display for $ty {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                ::core::fmt::Display::fmt(&self.0, f)
            }
        }
    };
}
pub(crate) use display_inner;

/// `TryFrom<$outer>` through the checking `$ty::new`, and `From<$ty> for $outer` through
/// `$get`: the conversions of a type that narrows a plain value.
macro_rules! checked_from {
    ($ty:ident, $outer:ty, $get:ident) => {
        impl ::core::convert::TryFrom<$outer> for $ty {
            type Error = $crate::error::Error;
            #[inline]
            fn try_from(v: $outer) -> Result<Self, $crate::error::Error> {
                $ty::new(v)
            }
        }

        impl From<$ty> for $outer {
            #[inline]
            fn from(v: $ty) -> $outer {
                v.$get()
            }
        }
    };
}
pub(crate) use checked_from;

/// Serialisation (with `serde`) as the text `self.$get()` returns, and deserialisation through
/// the validating parser (`deserialize_from_str!`).
macro_rules! serde_str {
    ($ty:ident, $get:ident) => {
        #[cfg(feature = "serde")]
        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.$get())
            }
        }

        $crate::fields::deserialize_from_str!($ty);
    };
}
pub(crate) use serde_str;

/// Serialisation (with `serde`) as the text `Display` writes, and deserialisation through the
/// validating parser (`deserialize_from_str!`).
macro_rules! serde_display {
    ($ty:ident) => {
        #[cfg(feature = "serde")]
        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_str(self)
            }
        }

        $crate::fields::deserialize_from_str!($ty);
    };
}
pub(crate) use serde_display;

/// What a type with an `as_str` shows of its text: `Display`, `AsRef<str>` and (with `serde`)
/// string (de)serialisation through the validating parser.
macro_rules! str_view {
    ($ty:ident) => {
        impl ::core::fmt::Display for $ty {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::core::convert::AsRef<str> for $ty {
            #[inline]
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }

        $crate::fields::serde_str!($ty, as_str);
    };
}
pub(crate) use str_view;

/// `FromStr`, `TryFrom<&str>` and `TryFrom<String>` of a tuple struct over a [`Storage`] with an
/// associated `fn check(&str) -> Result<(), Error>`: the check, then the text stored.
/// `$too_long` is the error for text the storage cannot hold, which `check` always refuses first
/// (each inline storage is sized by its type's own length bound), so it is never returned.
macro_rules! parse_stored {
    ($ty:ident, $too_long:expr) => {
        impl ::core::str::FromStr for $ty {
            type Err = $crate::error::Error;
            #[inline]
            fn from_str(s: &str) -> Result<Self, $crate::error::Error> {
                $ty::check(s)?;
                $crate::fields::Storage::store(s).map($ty).ok_or($too_long)
            }
        }

        $crate::fields::try_from_str!($ty);

        impl ::core::convert::TryFrom<String> for $ty {
            type Error = $crate::error::Error;
            #[inline]
            fn try_from(s: String) -> Result<Self, $crate::error::Error> {
                $ty::check(&s)?;
                $crate::fields::Storage::store_string(s)
                    .map($ty)
                    .ok_or($too_long)
            }
        }
    };
}
pub(crate) use parse_stored;

/// What every text field with an empty code of its own shares: its `check` (a length in `$len`,
/// by default up to `MAX_LEN` bytes, on which `$rule` holds, else `$empty` for `""` and
/// `$invalid`, through [`check_text`]), `as_str`, `str_view!`, `parse_stored!` and
/// `From<T> for String`. The type must be a tuple struct over a [`Storage`] that holds `MAX_LEN`
/// bytes.
macro_rules! text_field {
    ($ty:ident, rule: $rule:expr, empty: $empty:ident, invalid: $invalid:ident) => {
        $crate::fields::text_field!(
            $ty, len: 0..=$ty::MAX_LEN, rule: $rule, empty: $empty, invalid: $invalid
        );
    };
    ($ty:ident, len: $len:expr, rule: $rule:expr, empty: $empty:ident, invalid: $invalid:ident) => {
        impl $ty {
            #[doc = concat!("Checks `s` against the rule described on [`", stringify!($ty), "`], as parsing does, without keeping it.")]
            ///
            /// # Errors
            ///
            #[doc = concat!(
                "[`Error::", stringify!($empty), "`](crate::Error::", stringify!($empty), ") for `\"\"`, ",
                "[`Error::", stringify!($invalid), "`](crate::Error::", stringify!($invalid), ") for any other text that breaks the rule."
            )]
            #[inline]
            pub fn check(s: &str) -> Result<(), $crate::error::Error> {
                use $crate::error::Error;
                $crate::fields::check_text(s, $len, $rule, Error::$empty, Error::$invalid)
            }

            /// The value as text.
            #[inline]
            pub fn as_str(&self) -> &str {
                $crate::fields::Storage::text(&self.0)
            }
        }

        $crate::fields::str_view!($ty);
        $crate::fields::parse_stored!($ty, $crate::error::Error::$invalid);

        impl From<$ty> for String {
            fn from(v: $ty) -> String {
                $crate::fields::Storage::into_string(v.0)
            }
        }
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
