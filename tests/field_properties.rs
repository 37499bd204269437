//! Property tests: each field type's published `PATTERN` agrees with its production check.
//!
//! (a) every string generated from the pattern parses (for `UserMail`, whose pattern is only a
//!     necessary shape, it parses or fails with `ClientUser.EmailInvalid`; for `CidrBlock`,
//!     whose pattern is only the text form, it parses or fails with `SAG.InvalidCidr`);
//! (b) on arbitrary strings, parsing succeeds exactly when the pattern matches (for `UserMail`
//!     and `CidrBlock`: parsing succeeds only when it matches), and a failure is always one of
//!     the field's documented codes;
//! (c) `Display` round-trips through `FromStr` (for `Password`, `expose_secret` does).
//!
//! proptest's regex generator does not take anchors, so the `^`/`$` of each pattern are stripped
//! for generation; matching uses the pattern as published.

use core::fmt::{Debug, Display};
use core::str::FromStr;
use std::net::Ipv4Addr;

use proptest::prelude::*;
use proptest::string::{string_regex, RegexGeneratorStrategy};
use regex::Regex;
use smartag_rules::{
    Bandwidth, CidrBlock, CidrPool, ClientIp, EnterpriseCode, Error, Password, RegionId, SmartAgId,
    UserMail, UserName,
};

/// A generator of the strings `pattern` matches (anchors stripped).
fn from_pattern(pattern: &str) -> RegexGeneratorStrategy<String> {
    let body = pattern
        .strip_prefix('^')
        .and_then(|p| p.strip_suffix('$'))
        .unwrap_or_else(|| panic!("{pattern:?} is not anchored at both ends"));
    string_regex(body).unwrap_or_else(|e| panic!("proptest cannot generate {body:?}: {e}"))
}

fn matches(pattern: &str, s: &str) -> bool {
    Regex::new(pattern)
        .unwrap_or_else(|e| panic!("{pattern:?}: {e}"))
        .is_match(s)
}

/// Parses `s` as `T`; checks that a failure is one of `codes`, and that a success displays as
/// a string that parses back to the same value.
fn parse_checked<T>(s: &str, codes: &[Error]) -> Result<bool, TestCaseError>
where
    T: FromStr<Err = Error> + Display + Debug + PartialEq,
{
    match s.parse::<T>() {
        Ok(v) => {
            let shown = v.to_string();
            prop_assert_eq!(shown.parse::<T>(), Ok(v), "round trip of {:?}", s);
            Ok(true)
        }
        Err(e) => {
            prop_assert!(
                codes.contains(&e),
                "{:?} failed with {:?}, not one of {:?}",
                s,
                e,
                codes
            );
            Ok(false)
        }
    }
}

/// Text generated from a pattern that is the exact rule: it parses, displays as the same text,
/// and that text parses back to the same value.
fn round_trips<T>(s: &str) -> Result<(), TestCaseError>
where
    T: FromStr<Err = Error> + Display + Debug + PartialEq,
{
    let value: T = s
        .parse()
        .map_err(|e| TestCaseError::fail(format!("{s:?}: {e}")))?;
    prop_assert_eq!(value.to_string(), s);
    prop_assert_eq!(value.to_string().parse::<T>(), Ok(value));
    Ok(())
}

/// The check every exact pattern must pass: parsing succeeds exactly when the pattern matches.
fn agrees<T>(pattern: &str, s: &str, codes: &[Error]) -> Result<(), TestCaseError>
where
    T: FromStr<Err = Error> + Display + Debug + PartialEq,
{
    let parsed = parse_checked::<T>(s, codes)?;
    prop_assert_eq!(parsed, matches(pattern, s), "parse vs PATTERN on {:?}", s);
    Ok(())
}

/// The check of a pattern that is only necessary: whatever parses matches it.
fn implies<T>(pattern: &str, s: &str, codes: &[Error]) -> Result<(), TestCaseError>
where
    T: FromStr<Err = Error> + Display + Debug + PartialEq,
{
    if parse_checked::<T>(s, codes)? {
        prop_assert!(
            matches(pattern, s),
            "{:?} parses but does not match PATTERN",
            s
        );
    }
    Ok(())
}

/// Text generated from a pattern that is only the text form: it round-trips, or fails with
/// `error` (a rule of the value the pattern does not state).
fn round_trips_or<T>(s: &str, error: Error) -> Result<(), TestCaseError>
where
    T: FromStr<Err = Error> + Display + Debug + PartialEq,
{
    match s.parse::<T>() {
        Ok(_) => round_trips::<T>(s),
        Err(e) => {
            prop_assert_eq!(e, error, "{:?}", s);
            Ok(())
        }
    }
}

/// The properties of a field whose `PATTERN` is the exact rule, as a module named after the
/// field: text generated from the pattern parses (by default: [`round_trips`]), and parsing
/// succeeds exactly when the pattern matches (by default: [`agrees`], a failure being one of
/// `codes`), on any string, on the strings of `near` (close to the rule's alphabet and limits)
/// and on those of each further `name in strategy`.
macro_rules! exact_pattern {
    (
        $field:ident: $T:ty,
        near = $near:expr,
        parses = $parses:expr,
        agrees = $agrees:expr
        $(, $more:ident in $strategy:expr)* $(,)?
    ) => {
        mod $field {
            use super::*;

            proptest! {
                #[test]
                fn from_pattern_parses(s in from_pattern(<$T>::PATTERN)) {
                    $parses(&s)?;
                }

                #[test]
                fn agrees_with_pattern_on_any_string(s in any::<String>()) {
                    $agrees(&s)?;
                }

                #[test]
                fn agrees_with_pattern_near_the_alphabet(s in $near) {
                    $agrees(&s)?;
                }

                $(
                    #[test]
                    fn $more(s in $strategy) {
                        $agrees(&s)?;
                    }
                )*
            }
        }
    };
    (
        $field:ident: $T:ty, $codes:expr,
        near = $near:expr,
        parses = $parses:expr
        $(, $more:ident in $strategy:expr)* $(,)?
    ) => {
        exact_pattern!(
            $field: $T,
            near = $near,
            parses = $parses,
            agrees = |s: &str| agrees::<$T>(<$T>::PATTERN, s, $codes)
            $(, $more in $strategy)*
        );
    };
    ($field:ident: $T:ty, $codes:expr, near = $near:expr) => {
        exact_pattern!($field: $T, $codes, near = $near, parses = round_trips::<$T>);
    };
}

/// Strings around the UserName/Password rules: mostly from their alphabet and near their
/// length limits, sometimes with one stray character (`.`, space, tab, newline, `é`).
fn near_token() -> impl Strategy<Value = String> {
    prop_oneof![
        "[A-Za-z0-9_@.\\-][A-Za-z0-9_@.\\-]{4,34}",
        "[A-Za-z0-9][A-Za-z0-9_@\\-]{5,33}",
        "[A-Za-z0-9_@.\\-]{0,20}[é .\t\n]?[A-Za-z0-9_@.\\-]{0,20}",
        "[A-Za-z0-9_@.\\-é \t]{0,40}",
    ]
}

const USER_NAME_CODES: &[Error] = &[Error::NameEmpty, Error::NameInvalid];
const PASSWORD_CODES: &[Error] = &[Error::PasswordInvalid];
const BANDWIDTH_CODES: &[Error] = &[Error::BandwidthInvalid];
const USER_MAIL_CODES: &[Error] = &[Error::EmailEmpty, Error::EmailInvalid];
const CLIENT_IP_CODES: &[Error] = &[Error::IpEmpty, Error::IpInvalid];
const SMART_AG_ID_CODES: &[Error] = &[Error::InstanceIdEmpty, Error::InstanceNotFound];
const REGION_ID_CODES: &[Error] = &[Error::MissingParameter, Error::InvalidParameter];
const ENTERPRISE_CODE_CODES: &[Error] = &[Error::MissingParameter, Error::InvalidParameter];
const CIDR_BLOCK_CODES: &[Error] = &[
    Error::CidrEmpty,
    Error::InvalidCidrFormat,
    Error::InvalidCidr,
];
const CIDR_POOL_CODES: &[Error] = &[
    Error::CidrEmpty,
    Error::InvalidCidrFormat,
    Error::InvalidCidr,
    Error::CidrOverlap,
];

#[test]
fn every_pattern_compiles_for_matching_and_generation() {
    for pattern in [
        UserName::PATTERN,
        Password::PATTERN,
        Bandwidth::PATTERN,
        UserMail::PATTERN,
        ClientIp::PATTERN,
        SmartAgId::PATTERN,
        RegionId::PATTERN,
        EnterpriseCode::PATTERN,
        CidrBlock::PATTERN,
    ] {
        assert!(Regex::new(pattern).is_ok(), "{pattern:?}");
        let _ = from_pattern(pattern);
    }
}

// ---------------------------------------------------------------------------------------------
// UserName
// ---------------------------------------------------------------------------------------------

exact_pattern!(user_name: UserName, USER_NAME_CODES, near = near_token());

// ---------------------------------------------------------------------------------------------
// Password
// ---------------------------------------------------------------------------------------------

exact_pattern!(
    password: Password,
    near = near_token(),
    parses = password_parses,
    agrees = password_agrees
);

/// Text generated from the pattern parses to a password that exposes the same text and never
/// shows it.
fn password_parses(s: &str) -> Result<(), TestCaseError> {
    let p: Password = s
        .parse()
        .map_err(|e| TestCaseError::fail(format!("{s:?}: {e}")))?;
    prop_assert_eq!(p.expose_secret(), s);
    prop_assert_eq!(p.expose_secret().parse::<Password>(), Ok(p.clone()));
    prop_assert_eq!(p.to_string(), Password::REDACTED);
    let shown = format!("{:?}", p);
    prop_assert!(!shown.contains(s));
    Ok(())
}

/// Password's Display is redacted, so its round trip goes through `expose_secret`.
fn password_agrees(s: &str) -> Result<(), TestCaseError> {
    let parsed = match s.parse::<Password>() {
        Ok(p) => {
            prop_assert_eq!(p.expose_secret(), s);
            prop_assert_eq!(p.expose_secret().parse::<Password>(), Ok(p.clone()));
            true
        }
        Err(e) => {
            prop_assert!(PASSWORD_CODES.contains(&e), "{:?} failed with {:?}", s, e);
            false
        }
    };
    prop_assert_eq!(
        parsed,
        matches(Password::PATTERN, s),
        "parse vs PATTERN on {:?}",
        s
    );
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Bandwidth
// ---------------------------------------------------------------------------------------------

exact_pattern!(
    bandwidth: Bandwidth,
    BANDWIDTH_CODES,
    near = "[0-9+\\-. e x]{0,8}",
    parses = |s: &str| {
        let b: Bandwidth = s.parse().map_err(|e| TestCaseError::fail(format!("{s:?}: {e}")))?;
        prop_assert_eq!(b.get(), s.trim_start_matches('0').parse::<u32>().unwrap());
        prop_assert_eq!(b.to_string().parse::<Bandwidth>(), Ok(b));
        Ok::<(), TestCaseError>(())
    },
    agrees_with_pattern_on_numbers in "0{0,3}[0-9]{1,7}",
);

proptest! {
    #[test]
    fn bandwidth_numeric_constructor_agrees_with_text(n in any::<u32>()) {
        let by_number = Bandwidth::new(n);
        prop_assert_eq!(by_number, n.to_string().parse::<Bandwidth>());
        prop_assert_eq!(by_number.is_ok(), (1..=20000).contains(&n));
        if let Ok(b) = by_number {
            prop_assert_eq!(b.get(), n);
            prop_assert_eq!(b.to_string(), n.to_string());
        }
    }
}

// ---------------------------------------------------------------------------------------------
// UserMail
// ---------------------------------------------------------------------------------------------

proptest! {
    #[test]
    fn user_mail_from_pattern_parses_or_is_invalid(s in from_pattern(UserMail::PATTERN)) {
        round_trips_or::<UserMail>(&s, Error::EmailInvalid)?;
        if let Ok(m) = s.parse::<UserMail>() {
            prop_assert_eq!(m.as_str(), s.as_str());
        }
    }

    #[test]
    fn plain_mail_addresses_parse(
        s in "[a-z0-9_+]{1,20}(\\.[a-z0-9]{1,10}){0,2}@[a-z0-9]{1,10}(-[a-z0-9]{1,5})?(\\.[a-z]{2,6}){1,2}"
    ) {
        let m: UserMail = s.parse().map_err(|e| TestCaseError::fail(format!("{s:?}: {e}")))?;
        prop_assert_eq!(m.to_string(), s);
    }

    #[test]
    fn user_mail_parses_only_what_matches_on_any_string(s in any::<String>()) {
        implies::<UserMail>(UserMail::PATTERN, &s, USER_MAIL_CODES)?;
    }

    #[test]
    fn user_mail_parses_only_what_matches_near_the_alphabet(
        s in prop_oneof![
            "[a-z.+]{0,8}@[a-z\\-]{0,6}(\\.[a-z\\-]{0,5}){0,3}",
            "[a-zA-Z0-9.@+\\- é\"<>()\\[\\]]{0,12}@?[a-z0-9.\\-é ]{0,12}",
        ]
    ) {
        implies::<UserMail>(UserMail::PATTERN, &s, USER_MAIL_CODES)?;
    }
}

// ---------------------------------------------------------------------------------------------
// ClientIp
// ---------------------------------------------------------------------------------------------

exact_pattern!(client_ip: ClientIp, CLIENT_IP_CODES, near = "[0-9. x+\\-/:]{0,16}");

proptest! {
    #[test]
    fn client_ip_agrees_with_pattern_and_the_standard_parser(
        s in prop_oneof![
            "([0-9]{1,3}\\.){3}[0-9]{1,3}",
            "(0?[0-9]{1,3}\\.){3}0?[0-9]{1,3}",
            "[0-9]{0,4}(\\.[0-9]{0,4}){0,4}",
        ]
    ) {
        agrees::<ClientIp>(ClientIp::PATTERN, &s, CLIENT_IP_CODES)?;
        prop_assert_eq!(
            s.parse::<ClientIp>().ok().map(ClientIp::addr),
            s.parse::<Ipv4Addr>().ok().filter(|_| !s.is_empty()),
            "the standard parser disagrees on {:?}", s
        );
    }

    #[test]
    fn every_ipv4_address_round_trips(a in any::<u32>()) {
        let addr = Ipv4Addr::from(a);
        let ip: ClientIp = addr.to_string().parse().map_err(|e| TestCaseError::fail(format!("{addr}: {e}")))?;
        prop_assert_eq!(ip.addr(), addr);
        prop_assert_eq!(ip, ClientIp::from(addr));
    }
}

// ---------------------------------------------------------------------------------------------
// SmartAgId
// ---------------------------------------------------------------------------------------------

exact_pattern!(
    smart_ag_id: SmartAgId,
    SMART_AG_ID_CODES,
    near = prop_oneof![
        "sag-[a-z0-9]{0,62}[A-Z\\-é ]?",
        "(sag-|SAG-|sag|sag_|)[a-zA-Z0-9\\-é ]{0,64}",
    ]
);

// ---------------------------------------------------------------------------------------------
// RegionId
// ---------------------------------------------------------------------------------------------

exact_pattern!(
    region_id: RegionId,
    REGION_ID_CODES,
    near = prop_oneof![
        "[a-z]{0,9}(-[a-z0-9]{0,17}){0,5}",
        "[a-zA-Z0-9]{0,9}(-[a-zA-Z0-9é ]{0,17}){0,5}-?",
    ]
);

// ---------------------------------------------------------------------------------------------
// EnterpriseCode
// ---------------------------------------------------------------------------------------------

exact_pattern!(
    enterprise_code: EnterpriseCode,
    ENTERPRISE_CODE_CODES,
    near = prop_oneof!["[A-Za-z0-9]{4,6}", "[A-Za-z0-9é \\-]{0,7}"],
    parses = |s: &str| {
        round_trips::<EnterpriseCode>(s)?;
        // Case-insensitive: the other cases are the same code.
        let c = s.parse::<EnterpriseCode>();
        prop_assert_eq!(s.to_ascii_uppercase().parse::<EnterpriseCode>(), c);
        prop_assert_eq!(s.to_ascii_lowercase().parse::<EnterpriseCode>(), c);
        Ok::<(), TestCaseError>(())
    },
    agrees_with_pattern_on_five_characters in "[a-c0-2]{5}",
);

// ---------------------------------------------------------------------------------------------
// CidrBlock and CidrPool
// ---------------------------------------------------------------------------------------------

/// A valid block: a private range, a prefix in 8..=30 no shorter than the range's, host bits zero.
fn valid_block() -> impl Strategy<Value = String> {
    (0usize..3, any::<u32>(), 8u8..=30).prop_map(|(range, bits, prefix)| {
        let (base, len) = [(0x0a00_0000u32, 8u8), (0xac10_0000, 12), (0xc0a8_0000, 16)][range];
        let prefix = prefix.max(len);
        let mask = u32::MAX << (32 - u32::from(prefix));
        let range_mask = u32::MAX << (32 - u32::from(len));
        let addr = (base & range_mask) | (bits & !range_mask & mask);
        format!("{}/{}", Ipv4Addr::from(addr), prefix)
    })
}

proptest! {
    #[test]
    fn cidr_block_from_pattern_parses_or_breaks_a_value_rule(s in from_pattern(CidrBlock::PATTERN)) {
        round_trips_or::<CidrBlock>(&s, Error::InvalidCidr)?;
    }

    #[test]
    fn valid_blocks_parse(s in valid_block()) {
        let b: CidrBlock = s.parse().map_err(|e| TestCaseError::fail(format!("{s:?}: {e}")))?;
        prop_assert_eq!(b.to_string(), s.clone());
        prop_assert!(matches(CidrBlock::PATTERN, &s));
        prop_assert!(!b.contains_host(b.network()));
        prop_assert!(!b.contains_host(b.broadcast()));
        prop_assert!(b.contains_host(Ipv4Addr::from(u32::from(b.network()) + 1)));
        prop_assert!(b.contains_host(Ipv4Addr::from(u32::from(b.broadcast()) - 1)));
    }

    #[test]
    fn cidr_block_parses_only_what_matches_on_any_string(s in any::<String>()) {
        cidr_block_checks(&s)?;
    }

    #[test]
    fn cidr_block_parses_only_what_matches_near_the_alphabet(
        s in "[0-9]{0,4}(\\.[0-9]{0,4}){0,4}(/[0-9 ]{0,3})?"
    ) {
        cidr_block_checks(&s)?;
    }

    #[test]
    fn cidr_block_parses_only_what_matches_near_private_ranges(
        s in "(10|172|192|0?1[0-9]{0,2})\\.(16|31|32|168|[0-9]{1,3})\\.[0-9]{1,3}\\.[0-9]{1,3}/[0-9]{1,3}"
    ) {
        cidr_block_checks(&s)?;
    }

    #[test]
    fn cidr_pool_of_disjoint_blocks_round_trips(
        thirds in proptest::collection::btree_set(0u8..=255, 1..=10)
    ) {
        let text = thirds
            .iter()
            .map(|t| format!("10.0.{t}.0/24"))
            .collect::<Vec<_>>()
            .join(",");
        let pool: CidrPool = text.parse().map_err(|e| TestCaseError::fail(format!("{text:?}: {e}")))?;
        prop_assert_eq!(pool.len(), thirds.len());
        prop_assert_eq!(pool.to_string(), text.clone());
        prop_assert_eq!(pool.to_string().parse::<CidrPool>(), Ok(pool));
    }

    #[test]
    fn cidr_pool_failures_are_documented_codes(
        parts in proptest::collection::vec(valid_block(), 0..=12)
    ) {
        let text = parts.join(",");
        match text.parse::<CidrPool>() {
            Ok(pool) => {
                prop_assert!(pool.len() <= CidrPool::MAX_BLOCKS);
                prop_assert_eq!(pool.to_string().parse::<CidrPool>(), Ok(pool));
            }
            Err(e) => {
                prop_assert!(CIDR_POOL_CODES.contains(&e), "{:?} failed with {:?}", text, e);
                let expected = if parts.is_empty() {
                    Error::CidrEmpty
                } else if parts.len() > CidrPool::MAX_BLOCKS {
                    Error::InvalidCidr
                } else {
                    Error::CidrOverlap
                };
                prop_assert_eq!(e, expected, "{:?}", text);
            }
        }
    }
}

/// A block parses only when it matches the pattern, and the pattern is exactly the text form:
/// it matches precisely when the error, if any, is about the value (`SAG.InvalidCidr`).
fn cidr_block_checks(s: &str) -> Result<(), TestCaseError> {
    implies::<CidrBlock>(CidrBlock::PATTERN, s, CIDR_BLOCK_CODES)?;
    let well_formed = matches!(s.parse::<CidrBlock>(), Ok(_) | Err(Error::InvalidCidr));
    prop_assert_eq!(
        well_formed,
        matches(CidrBlock::PATTERN, s),
        "text form of {:?}",
        s
    );
    Ok(())
}
