use super::{digits, is_token, lower, text_field, upper, ByteSet, InlineStr};
use crate::error::Error;

const FIRST: ByteSet = ByteSet::of(UserName::FIRST_CHARS);
const REST: ByteSet = ByteSet::of(UserName::REST_CHARS);

/// A client user's name: 7 to 33 characters, the first a letter or digit, the rest letters,
/// digits, `_`, `@`, `.` or `-`. Unique within its instance.
///
/// ```
/// use smartag_rules::{Error, UserName};
///
/// let name: UserName = "doctest1".parse()?;
/// assert_eq!(name.as_str(), "doctest1");
/// assert_eq!("".parse::<UserName>(), Err(Error::NameEmpty));
/// assert_eq!("abcdef".parse::<UserName>(), Err(Error::NameInvalid)); // 6 characters
/// assert_eq!("_doctest".parse::<UserName>(), Err(Error::NameInvalid)); // first character
/// # Ok::<(), Error>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub struct UserName(InlineStr<{ UserName::MAX_LEN }>);

impl UserName {
    /// The documented rule as a regular expression.
    pub const PATTERN: &'static str = r"^[A-Za-z0-9][A-Za-z0-9_@.\-]{6,32}$";
    /// Fewest characters.
    pub const MIN_LEN: usize = 7;
    /// Most characters.
    pub const MAX_LEN: usize = 33;
    /// The characters a name may start with: `[A-Za-z0-9]`.
    pub const FIRST_CHARS: &'static [u8] = super::ALNUM;
    /// The characters of the rest of a name: `[A-Za-z0-9_@.-]`.
    pub const REST_CHARS: &'static [u8] = concat!(upper!(), lower!(), digits!(), "_@.-").as_bytes();

    /// Checks `s` against the rule: `ClientUser.NameEmpty` for `""`, else
    /// `ClientUser.NameInvalid`.
    #[inline]
    pub fn check(s: &str) -> Result<(), Error> {
        if is_token(s, Self::MIN_LEN, Self::MAX_LEN, &FIRST, &REST) {
            Ok(())
        } else if s.is_empty() {
            Err(Error::NameEmpty)
        } else {
            Err(Error::NameInvalid)
        }
    }
}

text_field!(UserName, Error::NameInvalid);
