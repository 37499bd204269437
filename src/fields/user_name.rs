use super::{digits, is_token, lower, text_field, upper, ByteSet, InlineStr};

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
}

text_field!(
    UserName,
    len: UserName::MIN_LEN..=UserName::MAX_LEN,
    rule: |b: &[u8]| is_token(b, &FIRST, &REST),
    empty: NameEmpty,
    invalid: NameInvalid
);
