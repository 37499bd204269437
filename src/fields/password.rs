use core::fmt;

use super::{digits, lower, token_rule, upper, InlineStr};
use crate::error::Error;
use crate::rng::Rng;

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

token_rule!(
    Password, "password", pattern: r"^[A-Za-z0-9][A-Za-z0-9_@\-]{7,31}$", len: 8..=32,
    first: super::ALNUM, "[A-Za-z0-9]",
    rest: concat!(upper!(), lower!(), digits!(), "_@-").as_bytes(), "[A-Za-z0-9_@-]",
);

impl Password {
    /// What `Debug` and `Display` print in place of the secret.
    pub const REDACTED: &'static str = "********";

    /// Checks `s` against the rule described on [`Password`], as parsing does, without keeping it.
    ///
    /// # Errors
    ///
    /// [`Error::PasswordInvalid`] for any text that breaks the rule, the empty string included
    /// (the API has no "password empty" code).
    #[inline]
    pub fn check(s: &str) -> Result<(), Error> {
        let (empty, invalid) = (Error::PasswordInvalid, Error::PasswordInvalid);
        super::check_text(
            s,
            Self::MIN_LEN..=Self::MAX_LEN,
            Self::obeys,
            empty,
            invalid,
        )
    }

    /// The password the service makes up when a reset gives none: `P`, then 15 letters or
    /// digits drawn by `rng`. It obeys the rule (a test checks it over many seeds).
    pub(crate) fn generate(rng: &mut Rng) -> Password {
        Password(InlineStr::generate::<1, 15>(*b"P", Self::FIRST_CHARS, rng))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_passwords_obey_the_rule_and_keep_their_text() {
        for seed in 0..2_000 {
            let (mut rng, mut old) = (Rng::new(seed), Rng::new(seed));
            let password = Password::generate(&mut rng);
            assert_eq!(Password::check(password.expose_secret()), Ok(()));
            // The text the generator made before it built the value inline.
            let before = format!("P{}", old.text(Password::FIRST_CHARS, 15));
            assert_eq!(password.expose_secret(), before);
            assert_eq!(rng, old, "the same draws");
        }
    }
}
