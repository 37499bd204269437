//! The mail rule as its published definitions state it, for the tests and the fuzz target to
//! compare `UserMail`'s one-pass check with: the shape `UserMail::PATTERN` (a regular
//! expression), the `email_address` crate with the crate's options (no display text, no domain
//! literal, at least two domain labels), and the RFC 5321/1035 length limits.

use std::sync::LazyLock;

use email_address::{EmailAddress, Options};
use regex::Regex;
use smartag_rules::{Error, UserMail};

static SHAPE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(UserMail::PATTERN).expect("UserMail::PATTERN compiles"));

/// Whether the rule accepts `s`, decided the slow, obvious way.
pub fn accepts(s: &str) -> bool {
    let options = Options::default()
        .without_display_text()
        .without_domain_literal()
        .with_minimum_sub_domains(2);
    let lengths_ok = s.chars().count() <= 254
        && s.rsplit_once('@').is_some_and(|(local, domain)| {
            local.chars().count() <= 64 && domain.split('.').all(|l| l.chars().count() <= 63)
        });
    lengths_ok && SHAPE.is_match(s) && EmailAddress::parse_with_options(s, options).is_ok()
}

/// What `UserMail::check` must answer for `s`: `ClientUser.EmailEmpty` for `""`, else success
/// exactly when [`accepts`] does, `ClientUser.EmailInvalid` otherwise.
pub fn expected(s: &str) -> Result<(), Error> {
    if s.is_empty() {
        Err(Error::EmailEmpty)
    } else if accepts(s) {
        Ok(())
    } else {
        Err(Error::EmailInvalid)
    }
}
