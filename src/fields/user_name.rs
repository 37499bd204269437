use super::{digits, lower, text_field, token_rule, upper, InlineStr};

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

token_rule!(
    UserName, "name", pattern: r"^[A-Za-z0-9][A-Za-z0-9_@.\-]{6,32}$", len: 7..=33,
    first: super::ALNUM, "[A-Za-z0-9]",
    rest: concat!(upper!(), lower!(), digits!(), "_@.-").as_bytes(), "[A-Za-z0-9_@.-]",
);

text_field!(
    UserName,
    len: UserName::MIN_LEN..=UserName::MAX_LEN,
    rule: UserName::obeys,
    empty: NameEmpty,
    invalid: NameInvalid
);
