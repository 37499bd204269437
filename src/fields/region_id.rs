use super::{lower, text_field, ByteSet, InlineStr};

const HEAD: ByteSet = ByteSet::of(RegionId::HEAD_CHARS);
const PART: ByteSet = ByteSet::of(RegionId::PART_CHARS);

/// Characters of the first part.
const HEAD_LEN: core::ops::RangeInclusive<usize> = 2..=8;
/// Characters of each further part.
const PART_LEN: core::ops::RangeInclusive<usize> = 1..=16;
/// How many further parts.
const PARTS: core::ops::RangeInclusive<usize> = 1..=4;

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
/// # Ok::<(), Error>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub struct RegionId(InlineStr<{ RegionId::MAX_LEN }>);

impl RegionId {
    /// The accepted form as a regular expression.
    pub const PATTERN: &'static str = r"^[a-z]{2,8}(-[a-z0-9]{1,16}){1,4}$";
    /// The characters of the first part: `[a-z]`.
    pub const HEAD_CHARS: &'static [u8] = lower!().as_bytes();
    /// The characters of the parts after a `-`: `[a-z0-9]`.
    pub const PART_CHARS: &'static [u8] = super::LOWER_ALNUM;
    /// Most characters of a region ID: the longest first part and four longest further parts.
    pub const MAX_LEN: usize = *HEAD_LEN.end() + *PARTS.end() * (1 + *PART_LEN.end());
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
            if !PART_LEN.contains(&len) {
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
    HEAD_LEN.contains(&head) && PART_LEN.contains(&len) && PARTS.contains(&parts)
}

text_field!(RegionId, rule: is_region, empty: MissingParameter, invalid: InvalidParameter);
