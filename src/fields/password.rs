use core::fmt;

use super::{digits, is_token, lower, upper, ByteSet, InlineStr};
use crate::error::Error;

const FIRST: ByteSet = ByteSet::of(Password::FIRST_CHARS);
const REST: ByteSet = ByteSet::of(Password::REST_CHARS);

/// A client user's password: 8 to 32 characters, the first a letter or digit, the rest letters,
/// digits, `_`, `@` or `-`.
///
/// A secret: neither `Debug` nor `Display` shows it, and it has no `AsRef<str>`; read it with
/// [`Password::expose_secret`] where it must leave the program.
///
/// ```
/// use smartag_rules::{Error, Password};
///
/// let password: Password = "duuf1234".parse()?;
/// assert_eq!(password.expose_secret(), "duuf1234");
/// assert_eq!(format!("{password} {password:?}"), "******** Password(********)");
/// assert_eq!("duuf123".parse::<Password>(), Err(Error::PasswordInvalid)); // 7 characters
/// assert_eq!("duuf.1234".parse::<Password>(), Err(Error::PasswordInvalid)); // '.' not allowed
/// # Ok::<(), Error>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Password(InlineStr<{ Password::MAX_LEN }>);

impl Password {
    /// The documented rule as a regular expression.
    pub const PATTERN: &'static str = r"^[A-Za-z0-9][A-Za-z0-9_@\-]{7,31}$";
    /// Fewest characters.
    pub const MIN_LEN: usize = 8;
    /// Most characters.
    pub const MAX_LEN: usize = 32;
    /// The characters a password may start with: `[A-Za-z0-9]`.
    pub const FIRST_CHARS: &'static [u8] = super::ALNUM;
    /// The characters of the rest of a password: `[A-Za-z0-9_@-]`.
    pub const REST_CHARS: &'static [u8] = concat!(upper!(), lower!(), digits!(), "_@-").as_bytes();
    /// What `Debug` and `Display` print in place of the secret.
    pub const REDACTED: &'static str = "********";

    /// Checks `s` against the rule: `ClientUser.PasswordInvalid` when broken (the empty string
    /// included: the API has no "password empty" code).
    #[inline]
    pub fn check(s: &str) -> Result<(), Error> {
        let rule = |b: &[u8]| is_token(b, &FIRST, &REST);
        let (empty, invalid) = (Error::PasswordInvalid, Error::PasswordInvalid);
        super::check_text(s, Self::MIN_LEN..=Self::MAX_LEN, rule, empty, invalid)
    }

    /// The secret itself.
    pub fn expose_secret(&self) -> &str {
        self.0.as_str()
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Password({})", Self::REDACTED)
    }
}

impl fmt::Display for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(Self::REDACTED)
    }
}

// `check` bounds the length by `MAX_LEN`, the storage's size: the storage always holds it.
super::parse_stored!(Password, Error::PasswordInvalid);

// Snapshots must keep the secret to restore an account, so serialisation writes it as text.
super::serde_str!(Password, expose_secret);
