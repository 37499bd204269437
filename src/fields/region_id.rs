use super::text_field;
use crate::Error;

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
pub struct RegionId(Box<str>);

impl RegionId {
    /// The accepted form as a regular expression.
    pub const PATTERN: &'static str = r"^[a-z]{2,8}(-[a-z0-9]{1,16}){1,4}$";

    /// Checks `s`: `MissingParameter` for `""`, `InvalidParameter` when malformed.
    pub fn check(s: &str) -> Result<(), Error> {
        if s.is_empty() {
            return Err(Error::MissingParameter);
        }
        let mut parts = s.split('-');
        let head_ok = parts.next().is_some_and(|h| {
            (2..=8).contains(&h.len()) && h.bytes().all(|b| b.is_ascii_lowercase())
        });
        let mut count = 0usize;
        let rest_ok = parts.all(|p| {
            count += 1;
            (1..=16).contains(&p.len())
                && p.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        });
        if head_ok && rest_ok && (1..=4).contains(&count) {
            Ok(())
        } else {
            Err(Error::InvalidParameter)
        }
    }
}

text_field!(RegionId);
