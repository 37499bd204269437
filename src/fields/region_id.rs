use core::ops::RangeInclusive;

use super::{lower, text_field, ByteSet, InlineStr};

const HEAD: ByteSet = ByteSet::of(RegionId::HEAD_CHARS);
const PART: ByteSet = ByteSet::of(RegionId::PART_CHARS);

/// The lengths of the rule, written once: the length constants of [`RegionId`] and its `PATTERN`
/// are both made from them.
macro_rules! region_lengths {
    (head: $h0:literal..=$h1:literal, part: $p0:literal..=$p1:literal, parts: $n0:literal..=$n1:literal) => {
        impl RegionId {
            /// The accepted form as a regular expression.
            pub const PATTERN: &'static str = concat!(
                "^[a-z]{",
                $h0,
                ",",
                $h1,
                "}(-[a-z0-9]{",
                $p0,
                ",",
                $p1,
                "}){",
                $n0,
                ",",
                $n1,
                "}$"
            );
            /// Characters of the first part.
            pub const HEAD_LEN: RangeInclusive<usize> = $h0..=$h1;
            /// Characters of each further part.
            pub const PART_LEN: RangeInclusive<usize> = $p0..=$p1;
            /// How many further parts.
            pub const PARTS: RangeInclusive<usize> = $n0..=$n1;
        }
    };
}

region_lengths!(head: 2..=8, part: 1..=16, parts: 1..=4);

/// A region ID such as `cn-shanghai` or `ap-southeast-1`: 2 to 8 lowercase letters, then one to
/// four `-`-separated parts of 1 to 16 lowercase letters and digits.
///
/// `RegionId` is a required parameter with no code of its own: the empty string is
/// `MissingParameter` (403), any other malformed value `InvalidParameter`.
///
/// ```
/// use smartag_rules::{Error, RegionId};
///
/// let region: RegionId = "ap-southeast-1".parse()?;
/// assert_eq!(region.as_str(), "ap-southeast-1");
/// assert_eq!("".parse::<RegionId>(), Err(Error::MissingParameter));
/// assert_eq!("Shanghai".parse::<RegionId>(), Err(Error::InvalidParameter));
/// assert_eq!(RegionId::PATTERN, r"^[a-z]{2,8}(-[a-z0-9]{1,16}){1,4}$");
/// assert_eq!(RegionId::MAX_LEN, 8 + 4 * (1 + 16));
/// # Ok::<(), Error>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub struct RegionId(InlineStr<{ RegionId::MAX_LEN }>);

impl RegionId {
    /// The characters of the first part: `[a-z]`.
    pub const HEAD_CHARS: &'static [u8] = lower!().as_bytes();
    /// The characters of the parts after a `-`: `[a-z0-9]`.
    pub const PART_CHARS: &'static [u8] = super::LOWER_ALNUM;
    /// Most characters of a region ID: the longest first part and four longest further parts.
    pub const MAX_LEN: usize =
        *Self::HEAD_LEN.end() + *Self::PARTS.end() * (1 + *Self::PART_LEN.end());
}

/// The rule described on [`RegionId`], in one pass over the bytes (the length bound is
/// [`RegionId::check`]'s).
#[inline]
fn is_region(s: &[u8]) -> bool {
    let mut bytes = s.iter();
    let mut head = 0usize;
    loop {
        match bytes.next() {
            Some(b'-') => break,
            Some(&b) if HEAD.contains(b) => head += 1,
            _ => return false, // no `-` at all, or a byte outside the head's set
        }
    }
    let (mut parts, mut len) = (1usize, 0usize);
    for &b in bytes {
        if b == b'-' {
            if !RegionId::PART_LEN.contains(&len) {
                return false;
            }
            parts += 1;
            len = 0;
        } else if PART.contains(b) {
            len += 1;
        } else {
            return false;
        }
    }
    RegionId::HEAD_LEN.contains(&head)
        && RegionId::PART_LEN.contains(&len)
        && RegionId::PARTS.contains(&parts)
}

text_field!(RegionId, rule: is_region, empty: MissingParameter, invalid: InvalidParameter);
