use super::{text_field, InlineStr};
use crate::error::Error;

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
    /// Checks `s` against the rule: `ClientUser.NameEmpty` for `""`, else
    /// `ClientUser.NameInvalid`.
    #[inline]
    pub fn check(s: &str) -> Result<(), Error> {
        super::verdict(Self::obeys(s), s, Error::NameEmpty, Error::NameInvalid)
    }
}

text_field!(UserName, Error::NameInvalid);
