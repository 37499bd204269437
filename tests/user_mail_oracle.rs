//! `UserMail`'s one-pass check accepts exactly what the published definitions accept (the shape
//! regex, `email_address` with the crate's options, the length limits: see
//! `support/mail_oracle.rs`), on arbitrary strings, on strings near the mail alphabet and around
//! the length limits, and on the crate's own valid and invalid mail strategies.
#![cfg(feature = "proptest")]

#[path = "support/mail_oracle.rs"]
mod mail_oracle;

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;
use smartag_rules::strategies::{invalid_user_mail, valid_user_mail};
use smartag_rules::UserMail;

/// At least 100,000 cases for the generated texts.
fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 100_000,
        ..ProptestConfig::default()
    }
}

/// The crate's strategies are slower to draw from (regex-generated parts): 20,000 cases each.
fn strategy_config() -> ProptestConfig {
    ProptestConfig {
        cases: 20_000,
        ..ProptestConfig::default()
    }
}

fn agrees(s: &str) -> Result<(), TestCaseError> {
    let expected = mail_oracle::expected(s);
    prop_assert_eq!(UserMail::check(s), expected, "{:?}", s);
    prop_assert_eq!(
        s.parse::<UserMail>().map(|m| m.to_string()),
        expected.map(|()| s.to_string())
    );
    Ok(())
}

/// Runs of one character class, so that the limits (64, 63, 254) are reached and crossed.
fn run() -> impl Strategy<Value = String> {
    let class = select(vec![
        "a", "Z", "7", "-", ".", "@", "_", "+", "~", "'", "\"", "<", ">", "[", "]", " ", "é",
    ]);
    (class, prop_oneof![4 => 1..4usize, 1 => 55..70usize]).prop_map(|(c, n)| c.repeat(n))
}

/// Texts near the alphabet: a few runs, some long.
fn near_mail() -> impl Strategy<Value = String> {
    vec(run(), 0..12).prop_map(|runs| runs.concat())
}

/// A valid-looking address whose parts sit at and around the limits.
fn around_limits() -> impl Strategy<Value = String> {
    (
        55..70usize,
        vec(55..66usize, 1..5),
        prop_oneof![Just(""), Just("-"), Just("."), Just("..")],
    )
        .prop_map(|(local, labels, tail)| {
            let domain: Vec<String> = labels.iter().map(|&n| "d".repeat(n)).collect();
            format!("{}@{}.com{tail}", "l".repeat(local), domain.join("."))
        })
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn agrees_on_any_string(s in any::<String>()) {
        agrees(&s)?;
    }

    #[test]
    fn agrees_near_the_mail_alphabet(s in near_mail()) {
        agrees(&s)?;
    }

    #[test]
    fn agrees_around_the_length_limits(s in around_limits()) {
        agrees(&s)?;
    }

}

proptest! {
    #![proptest_config(strategy_config())]

    #[test]
    fn agrees_on_the_valid_mail_strategy(m in valid_user_mail()) {
        prop_assert!(mail_oracle::accepts(m.as_str()), "{:?}", m);
        agrees(m.as_str())?;
    }

    #[test]
    fn agrees_on_the_invalid_mail_strategy((text, code) in invalid_user_mail()) {
        prop_assert_eq!(UserMail::check(&text), Err(code));
        agrees(&text)?;
    }
}
