use super::{digits, lower, text_field, upper, ByteSet, SmallStr};

const LOCAL: ByteSet = ByteSet::of(UserMail::LOCAL_CHARS);
/// The label characters a label may start and end with: the label set less `-`.
const EDGE: ByteSet = ByteSet::of(super::ALNUM);

/// A client user's mail address.
///
/// Valid when it is a plain ASCII address of at most [`UserMail::MAX_LEN`] characters: a
/// dot-atom local part of 1 to [`UserMail::MAX_LOCAL_LEN`] characters (atoms of
/// [`UserMail::LOCAL_CHARS`] joined by single dots), `@`, and a domain of at least
/// [`UserMail::MIN_LABELS`] labels of 1 to [`UserMail::MAX_LABEL_LEN`] characters of
/// [`UserMail::LABEL_CHARS`], none starting or ending with `-` (the RFC 5321/1035 limits).
/// Display names (`Name <a@b.c>`), quoted local parts, domain literals and non-ASCII addresses
/// are refused.
///
/// This is exactly what the `email_address` crate accepts (without display text or domain
/// literals, with at least two domain labels) among the texts of the shape [`UserMail::PATTERN`]
/// within the length limits; the property tests and a fuzz target check the two agree. The
/// check itself is one pass over the bytes.
///
/// ```
/// use smartag_rules::{Error, UserMail};
///
/// let mail: UserMail = "username@example.com".parse()?;
/// assert_eq!(mail.as_str(), "username@example.com");
/// assert_eq!("".parse::<UserMail>(), Err(Error::EmailEmpty));
/// assert_eq!("username@localhost".parse::<UserMail>(), Err(Error::EmailInvalid));
/// assert_eq!("User <u@example.com>".parse::<UserMail>(), Err(Error::EmailInvalid));
/// let longest = format!("{}@{}.{}.{}.com", "l".repeat(64), "a".repeat(63), "b".repeat(63), "c".repeat(57));
/// assert_eq!(longest.len(), UserMail::MAX_LEN);
/// assert!(longest.parse::<UserMail>().is_ok());
/// assert_eq!(format!("x{longest}").parse::<UserMail>(), Err(Error::EmailInvalid));
/// # Ok::<(), Error>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub struct UserMail(SmallStr<22>);

impl UserMail {
    /// The shape every address has, as a regular expression; lengths and dot placement are
    /// further checked as described on the type.
    pub const PATTERN: &'static str =
        r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~\-]+@[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)+$";
    /// Most characters of an address (RFC 5321's path limit less its angle brackets).
    pub const MAX_LEN: usize = 254;
    /// Most characters of the local part (RFC 5321).
    pub const MAX_LOCAL_LEN: usize = 64;
    /// Most characters of one domain label (RFC 1035).
    pub const MAX_LABEL_LEN: usize = 63;
    /// Fewest labels of the domain.
    pub const MIN_LABELS: usize = 2;
    /// The characters of the local part's atoms (RFC 5322 `atext`, ASCII only); atoms are
    /// joined by single dots.
    pub const LOCAL_CHARS: &'static [u8] =
        concat!(upper!(), lower!(), digits!(), "!#$%&'*+/=?^_`{|}~-").as_bytes();
    /// The characters of a domain label; its first and last are letters or digits
    /// (`[A-Za-z0-9]`, the set less `-`).
    pub const LABEL_CHARS: &'static [u8] = concat!(upper!(), lower!(), digits!(), "-").as_bytes();
}

/// The rule described on [`UserMail`], in one pass over the bytes (the length bound is
/// [`UserMail::check`]'s).
#[inline]
fn is_address(s: &[u8]) -> bool {
    let mut bytes = s.iter();
    // The local part, up to the `@`: atoms joined by single dots.
    let mut after_dot = true; // at the start, as after a dot: no dot may come next
    loop {
        match bytes.next() {
            Some(&b) if LOCAL.contains(b) => after_dot = false,
            Some(b'.') if !after_dot => after_dot = true,
            Some(b'@') => break,
            _ => return false,
        }
    }
    let domain = bytes.as_slice();
    let local_len = s.len() - domain.len() - 1;
    if after_dot || local_len > UserMail::MAX_LOCAL_LEN {
        return false; // empty, or ending with a dot, or too long
    }
    // The domain: labels joined by single dots, each starting and ending with a letter or digit.
    let (mut labels, mut label_len, mut last) = (1usize, 0usize, b'.');
    for &b in domain {
        // A letter or digit anywhere, a `-` anywhere but first (its last place is checked at
        // the label's end).
        if EDGE.contains(b) || (b == b'-' && label_len > 0) {
            label_len += 1;
        } else if b == b'.' && label_len > 0 && label_len <= UserMail::MAX_LABEL_LEN && last != b'-'
        {
            labels += 1;
            label_len = 0;
        } else {
            return false;
        }
        last = b;
    }
    label_len > 0
        && label_len <= UserMail::MAX_LABEL_LEN
        && last != b'-'
        && labels >= UserMail::MIN_LABELS
}

text_field!(UserMail, rule: is_address, empty: EmailEmpty, invalid: EmailInvalid);
