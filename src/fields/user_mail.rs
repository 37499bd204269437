use std::sync::LazyLock;

use email_address::{EmailAddress, Options};
use regex::Regex;

use super::text_field;
use crate::Error;

static SHAPE: LazyLock<Regex> = LazyLock::new(|| {
    // PATTERN is a constant, tested to compile; a failure here is a bug of this crate.
    Regex::new(UserMail::PATTERN).unwrap_or_else(|e| unreachable!("UserMail::PATTERN: {e}"))
});

/// A client user's mail address.
///
/// Valid when it has the plain ASCII shape of [`UserMail::PATTERN`] (a dot-atom local part, `@`,
/// and a domain of at least two labels) **and** the `email_address` crate accepts it as an
/// address (RFC 5321 lengths: local part at most 64, domain at most 254, labels at most 63;
/// no empty label, no leading, trailing or doubled dot). Display names (`Name <a@b.c>`),
/// quoted local parts, domain literals and non-ASCII addresses are refused.
///
/// ```
/// use smartag_rules::{Error, UserMail};
///
/// let mail: UserMail = "username@example.com".parse()?;
/// assert_eq!(mail.as_str(), "username@example.com");
/// assert_eq!("".parse::<UserMail>(), Err(Error::EmailEmpty));
/// assert_eq!("username@localhost".parse::<UserMail>(), Err(Error::EmailInvalid));
/// assert_eq!("User <u@example.com>".parse::<UserMail>(), Err(Error::EmailInvalid));
/// # Ok::<(), Error>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub struct UserMail(Box<str>);

impl UserMail {
    /// The shape every address has, as a regular expression; lengths and dot placement are
    /// further checked as described on the type.
    pub const PATTERN: &'static str =
        r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~\-]+@[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)+$";

    /// Checks `s`: `ClientUser.EmailEmpty` for `""`, else `ClientUser.EmailInvalid` when it is
    /// not a valid address.
    pub fn check(s: &str) -> Result<(), Error> {
        if s.is_empty() {
            return Err(Error::EmailEmpty);
        }
        let options = Options::default()
            .without_display_text()
            .without_domain_literal()
            .with_minimum_sub_domains(2);
        if SHAPE.is_match(s) && EmailAddress::parse_with_options(s, options).is_ok() {
            Ok(())
        } else {
            Err(Error::EmailInvalid)
        }
    }
}

text_field!(UserMail);
