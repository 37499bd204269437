use super::{text_field, ByteSet, InlineStr};

const SUFFIX: ByteSet = ByteSet::of(SmartAgId::SUFFIX_CHARS);

/// An SAG instance ID: `sag-` followed by 1 to 60 lowercase letters and digits.
///
/// The empty string is `SAG.InstanceIdEmpty`. Any other string that is not of this form cannot
/// name an instance, so it is `SAG.InstanceNoFound` (the API has no "malformed ID" code); the
/// operations report it at the existence step of their precedence, after the format checks of the
/// other parameters.
///
/// ```
/// use smartag_rules::{Error, SmartAgId};
///
/// let id: SmartAgId = "sag-gnhe6sywtare5".parse()?;
/// assert_eq!(id.to_string(), "sag-gnhe6sywtare5");
/// assert_eq!("".parse::<SmartAgId>(), Err(Error::InstanceIdEmpty));
/// assert_eq!("sag-ABC".parse::<SmartAgId>(), Err(Error::InstanceNotFound));
/// # Ok::<(), Error>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub struct SmartAgId(InlineStr<{ SmartAgId::MAX_LEN }>);

impl SmartAgId {
    /// The documented form as a regular expression.
    pub const PATTERN: &'static str = r"^sag-[a-z0-9]{1,60}$";
    /// Most characters after `sag-`.
    pub const MAX_SUFFIX_LEN: usize = 60;
    /// The prefix of every ID.
    pub const PREFIX: &'static str = "sag-";
    /// Most characters of an ID: the prefix and the longest suffix.
    pub const MAX_LEN: usize = Self::PREFIX.len() + Self::MAX_SUFFIX_LEN;
    /// The characters of the suffix: `[a-z0-9]`.
    pub const SUFFIX_CHARS: &'static [u8] = super::LOWER_ALNUM;
}

/// The rule described on [`SmartAgId`] (the length bound is [`SmartAgId::check`]'s).
#[inline]
fn is_id(s: &[u8]) -> bool {
    match s.strip_prefix(SmartAgId::PREFIX.as_bytes()) {
        // No early exit, as in `is_token`: a branch-free fold unrolls the table lookups.
        Some(suffix) => {
            !suffix.is_empty() && suffix.iter().fold(true, |ok, &b| ok & SUFFIX.contains(b))
        }
        None => false,
    }
}

text_field!(SmartAgId, rule: is_id, empty: InstanceIdEmpty, invalid: InstanceNotFound);

/// IDs compare, hash and order as their text, so maps keyed by `SmartAgId` can be searched
/// with a `&str`.
impl core::borrow::Borrow<str> for SmartAgId {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}
