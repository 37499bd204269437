//! Arbitrary text into `UserMail`: its one-pass check accepts exactly what the published
//! definitions accept (the shape regex `UserMail::PATTERN`, `email_address` with the crate's
//! options, and the RFC 5321/1035 length limits), and fails with the documented codes.
#![no_main]

#[path = "../../tests/support/mail_oracle.rs"]
mod mail_oracle;

use libfuzzer_sys::fuzz_target;
use smartag_rules::UserMail;

fuzz_target!(|s: &str| {
    assert_eq!(UserMail::check(s), mail_oracle::expected(s), "{s:?}");
    if let Ok(mail) = s.parse::<UserMail>() {
        assert_eq!(mail.as_str(), s);
    }
});
