//! Arbitrary text into every field parser. Whatever parses displays back as the same text and
//! matches the type's published `PATTERN` (for the types whose pattern is the exact rule, the
//! converse holds too: whatever matches parses); whatever fails, fails with one of the type's
//! documented codes.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use regex::Regex;
use smartag_rules::{
    Bandwidth, CidrBlock, CidrPool, ClientIp, ClientToken, EnterpriseCode, Error, NextToken,
    Password, RegionId, SmartAgId, UserMail, UserName,
};

struct Patterns {
    user_name: Regex,
    password: Regex,
    bandwidth: Regex,
    user_mail: Regex,
    client_ip: Regex,
    smart_ag_id: Regex,
    region_id: Regex,
    enterprise_code: Regex,
    client_token: Regex,
    cidr_block: Regex,
}

static PATTERNS: LazyLock<Patterns> = LazyLock::new(|| {
    let re = |p: &str| Regex::new(p).expect("published pattern compiles");
    Patterns {
        user_name: re(UserName::PATTERN),
        password: re(Password::PATTERN),
        bandwidth: re(Bandwidth::PATTERN),
        user_mail: re(UserMail::PATTERN),
        client_ip: re(ClientIp::PATTERN),
        smart_ag_id: re(SmartAgId::PATTERN),
        region_id: re(RegionId::PATTERN),
        enterprise_code: re(EnterpriseCode::PATTERN),
        client_token: re(ClientToken::PATTERN),
        cidr_block: re(CidrBlock::PATTERN),
    }
});

/// `empty` for `""`, else one of `others`.
fn documented(s: &str, e: Error, empty: Error, others: &[Error]) {
    if s.is_empty() {
        assert_eq!(e, empty, "{s:?}");
    } else {
        assert!(others.contains(&e), "{s:?} failed with undocumented {e:?}");
    }
}

/// A type whose `PATTERN` is its exact rule: parses exactly when it matches, and re-displays
/// as the same text.
fn exact<T>(s: &str, re: &Regex, shown: impl Fn(&T) -> String) -> Result<T, Error>
where
    T: std::str::FromStr<Err = Error> + PartialEq + std::fmt::Debug,
{
    let parsed = s.parse::<T>();
    assert_eq!(
        parsed.is_ok(),
        re.is_match(s),
        "{s:?}: {parsed:?} vs {}",
        re.as_str()
    );
    if let Ok(v) = &parsed {
        assert_eq!(shown(v), s);
    }
    parsed
}

fn check(s: &str) {
    let p = &*PATTERNS;

    if let Err(e) = exact::<UserName>(s, &p.user_name, |v| v.to_string()) {
        documented(s, e, Error::NameEmpty, &[Error::NameInvalid]);
    }
    if let Err(e) = exact::<Password>(s, &p.password, |v| v.expose_secret().to_string()) {
        assert_eq!(e, Error::PasswordInvalid, "{s:?}");
    }
    if let Err(e) = exact::<SmartAgId>(s, &p.smart_ag_id, |v| v.to_string()) {
        documented(s, e, Error::InstanceIdEmpty, &[Error::InstanceNotFound]);
    }
    if let Err(e) = exact::<RegionId>(s, &p.region_id, |v| v.to_string()) {
        documented(s, e, Error::MissingParameter, &[Error::InvalidParameter]);
    }
    if let Err(e) = exact::<ClientIp>(s, &p.client_ip, |v| v.to_string()) {
        documented(s, e, Error::IpEmpty, &[Error::IpInvalid]);
    }
    if let Err(e) = exact::<EnterpriseCode>(s, &p.enterprise_code, |v| v.to_string()) {
        documented(s, e, Error::MissingParameter, &[Error::InvalidParameter]);
    }

    if let Err(e) = exact::<ClientToken>(s, &p.client_token, |v| v.to_string()) {
        assert_eq!(e, Error::InvalidParameter, "{s:?}");
    }
    // NextToken: 32 lowercase hexadecimal digits, shown back as they came (whether a listing
    // returned it is the listing's check).
    match s.parse::<NextToken>() {
        Ok(token) => {
            assert_eq!(token.to_string(), s);
            assert!(
                s.len() == NextToken::LEN
                    && s.bytes()
                        .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
            );
        }
        Err(e) => assert_eq!(e, Error::InvalidParameter, "{s:?}"),
    }

    // Bandwidth: the pattern is exact; leading zeros are accepted and not shown again.
    match s.parse::<Bandwidth>() {
        Ok(b) => {
            assert!(p.bandwidth.is_match(s), "{s:?}");
            assert_eq!(b.to_string(), s.trim_start_matches('0'));
            assert!((1..=20000).contains(&b.get()));
        }
        Err(e) => {
            assert!(!p.bandwidth.is_match(s), "{s:?} matches but fails");
            assert_eq!(e, Error::BandwidthInvalid);
        }
    }

    // UserMail: the pattern is a necessary shape, not the whole rule.
    match s.parse::<UserMail>() {
        Ok(m) => {
            assert_eq!(m.as_str(), s);
            assert!(p.user_mail.is_match(s), "{s:?} lacks the published shape");
            let (local, domain) = s.rsplit_once('@').expect("an address has an @");
            assert!(local.len() <= 64 && domain.len() <= 254, "{s:?}");
        }
        Err(e) => documented(s, e, Error::EmailEmpty, &[Error::EmailInvalid]),
    }

    // CidrBlock: the pattern is the text form; well-formed text fails only on the rules.
    match s.parse::<CidrBlock>() {
        Ok(b) => {
            assert_eq!(b.to_string(), s);
            assert!(p.cidr_block.is_match(s), "{s:?}");
            assert!((8..=30).contains(&b.prefix_len()));
        }
        Err(e) => {
            documented(
                s,
                e,
                Error::CidrEmpty,
                &[Error::InvalidCidrFormat, Error::InvalidCidr],
            );
            if !s.is_empty() {
                let form = p.cidr_block.is_match(s);
                assert_eq!(e == Error::InvalidCidr, form, "{s:?}: {e:?}");
            }
        }
    }

    // CidrPool: every item a block, at most ten, none overlapping.
    match s.parse::<CidrPool>() {
        Ok(pool) => {
            assert_eq!(pool.to_string(), s);
            assert!((1..=CidrPool::MAX_BLOCKS).contains(&pool.len()));
            for item in s.split(',') {
                assert!(item.parse::<CidrBlock>().is_ok(), "{item:?} of {s:?}");
            }
        }
        Err(e) => documented(
            s,
            e,
            Error::CidrEmpty,
            &[
                Error::InvalidCidrFormat,
                Error::InvalidCidr,
                Error::CidrOverlap,
            ],
        ),
    }
}

fuzz_target!(|data: &[u8]| {
    match std::str::from_utf8(data) {
        Ok(s) => check(s),
        Err(_) => check(&String::from_utf8_lossy(data)),
    }
});
