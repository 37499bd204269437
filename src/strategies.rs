//! [`proptest`](mod@proptest) strategies for property tests of code that uses this crate (the
//! `proptest` feature).
//!
//! - **Valid field values**, typed: [`valid_user_name`], [`valid_password`], [`valid_bandwidth`],
//!   [`valid_user_mail`], [`valid_client_ip`], [`valid_smart_ag_id`], [`valid_region_id`],
//!   [`valid_enterprise_code`], [`valid_cidr_block`], [`valid_cidr_pool`]. Where a type's
//!   published `PATTERN` is its exact rule, the text is generated from the pattern (see
//!   [`pattern_text`]); otherwise values are built to obey the rule.
//! - **Invalid field text**, each labelled with the error the parser must answer:
//!   [`invalid_user_name`], [`invalid_password`], ... `(String, Error)` pairs.
//! - **Whole accounts**: [`account_setup`] builds [`Account`]s with instances in several regions,
//!   client CIDR pools, quotas, bandwidth ceilings, enterprise codes, users (static and not), a
//!   roaming user and a user marked as used this month.
//! - **Requests against an account**: `valid_*_request(&account)` give raw requests that
//!   [`Account::execute`] must accept (`None` when the account admits none of that operation);
//!   `invalid_*_request(&account)` give `(Request, Error)` pairs, the error being the first one
//!   `execute` must answer. Together the invalid request strategies produce every code of
//!   SPEC.md section 3 that a request can reach (every [`Error::ALL`] but
//!   `InvalidAction.NotFound`, which only the wire layer can answer).
//!
//! A downstream property test:
//!
//! ```
//! use proptest::prelude::*;
//! use smartag_rules::strategies::{
//!     account_and_invalid_request, invalid_user_name, valid_user_name,
//! };
//! use smartag_rules::UserName;
//!
//! proptest!(|(name in valid_user_name())| {
//!     prop_assert_eq!(name.as_str().parse::<UserName>(), Ok(name.clone()));
//! });
//! proptest!(|((text, code) in invalid_user_name())| {
//!     prop_assert_eq!(text.parse::<UserName>(), Err(code));
//! });
//! proptest!(ProptestConfig::with_cases(32), |((account, request, code) in account_and_invalid_request())| {
//!     let mut after = account.clone();
//!     prop_assert_eq!(after.execute(&request), Err(code));
//!     prop_assert_eq!(after, account); // a failed request changes nothing
//! });
//! ```

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Debug;
use std::net::Ipv4Addr;

use ipnet::Ipv4Net;
use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;
use proptest::sample::{select, subsequence, Index};
use proptest::strategy::{BoxedStrategy, Just, Strategy, Union};

use crate::model::{Account, InstanceSpec};
use crate::{
    Bandwidth, BindEnterpriseCodeRaw, CidrBlock, CidrPool, ClientIp, ClientUserRefRaw,
    CreateClientUserRaw, CreateEnterpriseCodeRaw, CreateSoftwareRaw, DescribeClientUsersRaw,
    EnterpriseCode, Error, ModifyClientUserRaw, ModifyGatewayRaw, Password, RegionId, Request,
    ResetPasswordRaw, RoamClientUserRaw, SmartAgId, UserMail, UserName,
};

/// A labelled invalid input: the text and the error it must produce.
pub type Labelled = (String, Error);

/// A request and the first error [`Account::execute`] must answer for it.
pub type LabelledRequest = (Request, Error);

// ---------------------------------------------------------------------------------------------
// Text from patterns
// ---------------------------------------------------------------------------------------------

/// Text matching an anchored regular expression such as [`UserName::PATTERN`] (`^...$`; the
/// anchors are dropped, since the generator produces whole strings).
///
/// ```
/// use proptest::prelude::*;
/// use smartag_rules::{strategies::pattern_text, SmartAgId};
///
/// let ids = pattern_text(SmartAgId::PATTERN).expect("a generatable pattern");
/// proptest!(|(id in ids)| {
///     prop_assert!(id.parse::<SmartAgId>().is_ok());
/// });
/// ```
pub fn pattern_text(pattern: &str) -> Result<BoxedStrategy<String>, Box<proptest::string::Error>> {
    let inner = pattern
        .strip_prefix('^')
        .and_then(|p| p.strip_suffix('$'))
        .unwrap_or(pattern);
    proptest::string::string_regex(inner)
        .map(Strategy::boxed)
        .map_err(Box::new)
}

/// Text of one of this crate's published patterns (constants, tested to be generatable).
fn published(pattern: &str) -> BoxedStrategy<String> {
    match pattern_text(pattern) {
        Ok(s) => s,
        Err(e) => unreachable!("published PATTERN {pattern} cannot be generated: {e}"),
    }
}

/// Parses the text of a strategy into `T`. The text is meant to be valid by construction, so a
/// refusal would only show up as a proptest "too many local rejects" failure.
fn parsed<T: core::str::FromStr + Debug + 'static>(
    text: BoxedStrategy<String>,
    why: &'static str,
) -> BoxedStrategy<T> {
    text.prop_filter_map(why, |s| s.parse().ok()).boxed()
}

fn texts<T: ToString + Debug + 'static>(s: BoxedStrategy<T>) -> BoxedStrategy<String> {
    s.prop_map(|v| v.to_string()).boxed()
}

/// A uniform choice among strategies; `None` when there is none.
fn one_of<T: Debug + 'static>(arms: Vec<BoxedStrategy<T>>) -> Option<BoxedStrategy<T>> {
    if arms.is_empty() {
        None
    } else {
        Some(Union::new(arms).boxed())
    }
}

/// A uniform choice among values; `None` when there is none.
fn choose<T: Clone + Debug + 'static>(values: Vec<T>) -> Option<BoxedStrategy<T>> {
    if values.is_empty() {
        None
    } else {
        Some(select(values).boxed())
    }
}

fn labelled(texts: &[&str], error: Error) -> BoxedStrategy<Labelled> {
    let pairs: Vec<Labelled> = texts.iter().map(|t| (t.to_string(), error)).collect();
    choose(pairs).unwrap_or_else(|| Just((String::new(), error)).boxed())
}

fn label(text: BoxedStrategy<String>, error: Error) -> BoxedStrategy<Labelled> {
    text.prop_map(move |t| (t, error)).boxed()
}

/// Replaces the character at a position from `from` on with one of `chars`.
fn replace_char(
    valid: BoxedStrategy<String>,
    chars: &'static [char],
    from: usize,
) -> BoxedStrategy<String> {
    (valid, any::<Index>(), select(chars))
        .prop_map(move |(s, at, c)| {
            let n = s.chars().count();
            if n <= from {
                return format!("{s}{c}");
            }
            let at = from + at.index(n - from);
            s.chars()
                .enumerate()
                .map(|(i, x)| if i == at { c } else { x })
                .collect()
        })
        .boxed()
}

/// Inserts one of `chars` at the start, the end or inside.
fn insert_char(valid: BoxedStrategy<String>, chars: &'static [char]) -> BoxedStrategy<String> {
    (valid, any::<Index>(), select(chars))
        .prop_map(|(s, at, c)| {
            let n = s.chars().count();
            let at = at.index(n + 1);
            let mut out: String = s.chars().take(at).collect();
            out.push(c);
            out.extend(s.chars().skip(at));
            out
        })
        .boxed()
}

const WHITESPACE: &[char] = &[' ', '\t', '\n', '\r', '\u{a0}', '\u{3000}', '\u{2003}'];
const NON_ASCII: &[char] = &[
    'é', 'ü', 'ß', 'ø', '名', '字', 'Ａ', '１', '٣', 'а', 'ο', '😀', '\u{200b}', '\u{301}',
];
const ASCII_PUNCT_NOT_IN_NAMES: &[char] = &[
    '!', '"', '#', '$', '%', '&', '\'', '(', ')', '*', '+', ',', '/', ':', ';', '<', '=', '>', '?',
    '[', '\\', ']', '^', '`', '{', '|', '}', '~', '\0', '\x7f',
];
const ASCII_PUNCT_NOT_IN_PASSWORDS: &[char] = &[
    '.', '!', '"', '#', '$', '%', '&', '\'', '(', ')', '*', '+', ',', '/', ':', ';', '<', '=', '>',
    '?', '[', '\\', ']', '^', '`', '{', '|', '}', '~', '\0', '\x7f',
];

// ---------------------------------------------------------------------------------------------
// Valid field values
// ---------------------------------------------------------------------------------------------

/// Valid user names, from [`UserName::PATTERN`].
///
/// ```
/// use proptest::prelude::*;
/// use smartag_rules::{strategies::valid_user_name, UserName};
///
/// proptest!(|(name in valid_user_name())| {
///     prop_assert!((7..=33).contains(&name.as_str().len()));
///     prop_assert_eq!(name.to_string().parse::<UserName>(), Ok(name));
/// });
/// ```
pub fn valid_user_name() -> BoxedStrategy<UserName> {
    parsed(
        published(UserName::PATTERN),
        "UserName::PATTERN text refused",
    )
}

/// Valid passwords, from [`Password::PATTERN`] (read them with
/// [`Password::expose_secret`]).
///
/// ```
/// use proptest::prelude::*;
/// use smartag_rules::{strategies::valid_password, Password};
///
/// proptest!(|(password in valid_password())| {
///     prop_assert_eq!(password.expose_secret().parse::<Password>(), Ok(password));
/// });
/// ```
pub fn valid_password() -> BoxedStrategy<Password> {
    parsed(
        published(Password::PATTERN),
        "Password::PATTERN text refused",
    )
}

/// Valid bandwidths (1 to 20000 Kbit/s), from [`Bandwidth::PATTERN`] (whose text may carry
/// leading zeros; the value displays without them).
///
/// ```
/// use proptest::prelude::*;
/// use smartag_rules::{strategies::valid_bandwidth, Bandwidth};
///
/// proptest!(|(bandwidth in valid_bandwidth())| {
///     prop_assert!((1..=20000).contains(&bandwidth.get()));
///     prop_assert_eq!(bandwidth.to_string().parse::<Bandwidth>(), Ok(bandwidth));
/// });
/// ```
pub fn valid_bandwidth() -> BoxedStrategy<Bandwidth> {
    parsed(
        published(Bandwidth::PATTERN),
        "Bandwidth::PATTERN text refused",
    )
}

/// Valid bandwidths up to `max` Kbit/s (at least 1).
fn bandwidth_up_to(max: u32) -> BoxedStrategy<String> {
    (1..=max.clamp(1, 20000))
        .prop_map(|b| b.to_string())
        .boxed()
}

/// The characters of an unquoted local part besides letters and digits.
const MAIL_LOCAL_SPECIALS: &[char] = &[
    '!', '#', '$', '%', '&', '\'', '*', '+', '/', '=', '?', '^', '_', '`', '{', '|', '}', '~', '-',
];

fn mail_atom(max: usize) -> BoxedStrategy<String> {
    let alnum = published("^[A-Za-z0-9]$");
    let special = select(MAIL_LOCAL_SPECIALS).prop_map(String::from).boxed();
    let ch = prop_oneof![6 => alnum, 1 => special];
    vec(ch, 1..=max).prop_map(|cs| cs.concat()).boxed()
}

fn mail_label(max_middle: usize) -> BoxedStrategy<String> {
    published(&format!(
        "^[A-Za-z0-9]([A-Za-z0-9-]{{0,{max_middle}}}[A-Za-z0-9])?$"
    ))
}

/// Valid mail addresses, built to the rule described on [`UserMail`] ([`UserMail::PATTERN`] is
/// only the shape, not the whole rule): a dot-atom local part of at most 64 characters, `@`, and
/// two to four domain labels (letters, digits, inner hyphens; at most 63 characters each), with
/// the length limits reached now and then.
///
/// ```
/// use proptest::prelude::*;
/// use smartag_rules::{strategies::valid_user_mail, UserMail};
///
/// proptest!(|(mail in valid_user_mail())| {
///     prop_assert_eq!(mail.as_str().parse::<UserMail>(), Ok(mail.clone()));
/// });
/// ```
pub fn valid_user_mail() -> BoxedStrategy<UserMail> {
    let local = vec(mail_atom(12), 1..=4).prop_map(|atoms| atoms.join("."));
    let long_local = published("^[A-Za-z0-9]{64}$");
    let domain = vec(mail_label(16), 2..=4).prop_map(|labels| labels.join("."));
    let long_label = (published("^[a-z0-9]{63}$"), mail_label(8))
        .prop_map(|(long, tld)| format!("{long}.{tld}"));
    let text = (
        prop_oneof![8 => local, 1 => long_local],
        prop_oneof![8 => domain.boxed(), 1 => long_label.boxed()],
    )
        .prop_map(|(l, d)| format!("{l}@{d}"))
        .boxed();
    parsed(text, "constructed mail address refused")
}

/// Valid static client IPs, from [`ClientIp::PATTERN`].
///
/// ```
/// use proptest::prelude::*;
/// use smartag_rules::{strategies::valid_client_ip, ClientIp};
///
/// proptest!(|(ip in valid_client_ip())| {
///     prop_assert_eq!(ip.to_string().parse::<ClientIp>(), Ok(ip));
/// });
/// ```
pub fn valid_client_ip() -> BoxedStrategy<ClientIp> {
    parsed(
        published(ClientIp::PATTERN),
        "ClientIp::PATTERN text refused",
    )
}

/// Valid SAG instance IDs, from [`SmartAgId::PATTERN`].
///
/// ```
/// use proptest::prelude::*;
/// use smartag_rules::{strategies::valid_smart_ag_id, SmartAgId};
///
/// proptest!(|(id in valid_smart_ag_id())| {
///     prop_assert!(id.as_str().starts_with("sag-"));
///     prop_assert_eq!(id.to_string().parse::<SmartAgId>(), Ok(id));
/// });
/// ```
pub fn valid_smart_ag_id() -> BoxedStrategy<SmartAgId> {
    parsed(
        published(SmartAgId::PATTERN),
        "SmartAgId::PATTERN text refused",
    )
}

/// Valid region IDs, from [`RegionId::PATTERN`] (mostly made-up ones such as `qx-7a`; see
/// [`REGIONS`] for real ones).
///
/// ```
/// use proptest::prelude::*;
/// use smartag_rules::{strategies::valid_region_id, RegionId};
///
/// proptest!(|(region in valid_region_id())| {
///     prop_assert_eq!(region.to_string().parse::<RegionId>(), Ok(region));
/// });
/// ```
pub fn valid_region_id() -> BoxedStrategy<RegionId> {
    let real = select(REGIONS).prop_map(String::from).boxed();
    parsed(
        prop_oneof![1 => real, 3 => published(RegionId::PATTERN)].boxed(),
        "RegionId::PATTERN text refused",
    )
}

/// Real region IDs that [`account_setup`] places its instances in.
pub const REGIONS: &[&str] = &[
    "cn-shanghai",
    "cn-hangzhou",
    "cn-beijing",
    "cn-shenzhen",
    "cn-hongkong",
    "ap-southeast-1",
    "ap-southeast-5",
    "eu-central-1",
    "us-west-1",
    "us-east-1",
];

/// Valid enterprise codes, from [`EnterpriseCode::PATTERN`] (letters in either case).
///
/// ```
/// use proptest::prelude::*;
/// use smartag_rules::{strategies::valid_enterprise_code, EnterpriseCode};
///
/// proptest!(|(code in valid_enterprise_code())| {
///     let again: EnterpriseCode = code.to_string().parse().unwrap();
///     prop_assert_eq!(again.as_str(), code.as_str());
/// });
/// ```
pub fn valid_enterprise_code() -> BoxedStrategy<EnterpriseCode> {
    parsed(
        published(EnterpriseCode::PATTERN),
        "EnterpriseCode::PATTERN text refused",
    )
}

/// The private ranges as (first address, prefix length).
const PRIVATE_RANGES: [(u32, u8); 3] = [(0x0A00_0000, 8), (0xAC10_0000, 12), (0xC0A8_0000, 16)];

/// A block inside the private range `(base, len)` with a prefix from `prefixes`.
fn block_in(
    (base, len): (u32, u8),
    prefixes: core::ops::RangeInclusive<u8>,
) -> BoxedStrategy<CidrBlock> {
    (prefixes, any::<u32>())
        .prop_filter_map("constructed block refused", move |(prefix, bits)| {
            let addr = base | (bits & (u32::MAX >> len));
            let net = Ipv4Net::new(Ipv4Addr::from(addr), prefix.max(len)).ok()?;
            CidrBlock::new(net.trunc()).ok()
        })
        .boxed()
}

/// Valid client CIDR blocks: networks inside one of the private ranges, host bits zero, prefix
/// /8 to /30 (built by construction: [`CidrBlock::PATTERN`] is only the text form).
///
/// ```
/// use proptest::prelude::*;
/// use smartag_rules::{strategies::valid_cidr_block, CidrBlock};
///
/// proptest!(|(block in valid_cidr_block())| {
///     prop_assert!((8..=30).contains(&block.prefix_len()));
///     prop_assert_eq!(block.to_string().parse::<CidrBlock>(), Ok(block));
/// });
/// ```
pub fn valid_cidr_block() -> BoxedStrategy<CidrBlock> {
    let [ten, one_seven_two, one_nine_two] = PRIVATE_RANGES;
    prop_oneof![
        block_in(ten, 8..=30),
        block_in(one_seven_two, 12..=30),
        block_in(one_nine_two, 16..=30),
    ]
    .boxed()
}

/// Keeps the blocks that overlap no block kept before them.
fn disjoint(blocks: Vec<CidrBlock>) -> Vec<CidrBlock> {
    let mut kept: Vec<CidrBlock> = Vec::new();
    for b in blocks {
        if !kept.iter().any(|k| k.overlaps(&b)) {
            kept.push(b);
        }
    }
    kept
}

fn pool_of(
    blocks: BoxedStrategy<CidrBlock>,
    count: core::ops::RangeInclusive<usize>,
) -> BoxedStrategy<CidrPool> {
    vec(blocks, count)
        .prop_filter_map("constructed pool refused", |blocks| {
            CidrPool::new(disjoint(blocks))
                .ok()
                .filter(|p| !p.is_empty())
        })
        .boxed()
}

/// Valid, non-empty client CIDR pools: 1 to 10 blocks, no two overlapping (the empty pool has
/// no text form: `""` is `SAG.CidrEmpty`).
///
/// ```
/// use proptest::prelude::*;
/// use smartag_rules::{strategies::valid_cidr_pool, CidrPool};
///
/// proptest!(|(pool in valid_cidr_pool())| {
///     prop_assert!((1..=10).contains(&pool.len()));
///     prop_assert_eq!(pool.to_string().parse::<CidrPool>(), Ok(pool));
/// });
/// ```
pub fn valid_cidr_pool() -> BoxedStrategy<CidrPool> {
    prop_oneof![
        3 => pool_of(valid_cidr_block(), 1..=10),
        1 => disjoint_slash24s(1..=10).prop_filter_map("pool", |b| CidrPool::new(b).ok()),
    ]
    .boxed()
}

/// `count` distinct /24 blocks of one 10.x.0.0/16.
fn disjoint_slash24s(count: core::ops::RangeInclusive<usize>) -> BoxedStrategy<Vec<CidrBlock>> {
    let thirds: Vec<u8> = (0..=255).collect();
    (any::<u8>(), subsequence(thirds, count))
        .prop_map(|(second, thirds)| {
            thirds
                .into_iter()
                .filter_map(|third| {
                    let net = Ipv4Net::new(Ipv4Addr::new(10, second, third, 0), 24).ok()?;
                    CidrBlock::new(net).ok()
                })
                .collect()
        })
        .prop_shuffle()
        .boxed()
}

// ---------------------------------------------------------------------------------------------
// Invalid field text
// ---------------------------------------------------------------------------------------------

/// Invalid user names, each with the error parsing must give: `""` (`ClientUser.NameEmpty`);
/// too short, too long, a bad first character, a bad character, a non-ASCII character,
/// whitespace anywhere (`ClientUser.NameInvalid`).
///
/// ```
/// use proptest::prelude::*;
/// use smartag_rules::{strategies::invalid_user_name, UserName};
///
/// proptest!(|((text, code) in invalid_user_name())| {
///     prop_assert_eq!(text.parse::<UserName>(), Err(code));
/// });
/// ```
pub fn invalid_user_name() -> BoxedStrategy<Labelled> {
    let valid = texts(valid_user_name());
    let e = Error::NameInvalid;
    prop_oneof![
        1 => Just((String::new(), Error::NameEmpty)),
        2 => label(published(r"^[A-Za-z0-9][A-Za-z0-9_@.\-]{0,5}$"), e),
        2 => label(published(r"^[A-Za-z0-9][A-Za-z0-9_@.\-]{33,60}$"), e),
        2 => label(published(r"^[_@.\-][A-Za-z0-9_@.\-]{6,32}$"), e),
        2 => label(replace_char(valid.clone(), ASCII_PUNCT_NOT_IN_NAMES, 0), e),
        2 => label(replace_char(valid.clone(), NON_ASCII, 0), e),
        2 => label(insert_char(valid, WHITESPACE), e),
    ]
    .boxed()
}

/// Invalid passwords, all `ClientUser.PasswordInvalid`: `""`, too short, too long, a bad first
/// character, a bad character (`.` included), non-ASCII, whitespace.
///
/// ```
/// use proptest::prelude::*;
/// use smartag_rules::{strategies::invalid_password, Password};
///
/// proptest!(|((text, code) in invalid_password())| {
///     prop_assert_eq!(text.parse::<Password>().unwrap_err(), code);
/// });
/// ```
pub fn invalid_password() -> BoxedStrategy<Labelled> {
    let valid = valid_password()
        .prop_map(|p| p.expose_secret().to_string())
        .boxed();
    let e = Error::PasswordInvalid;
    prop_oneof![
        1 => Just((String::new(), e)),
        2 => label(published(r"^[A-Za-z0-9][A-Za-z0-9_@\-]{0,6}$"), e),
        2 => label(published(r"^[A-Za-z0-9][A-Za-z0-9_@\-]{32,60}$"), e),
        2 => label(published(r"^[_@\-][A-Za-z0-9_@\-]{7,31}$"), e),
        2 => label(replace_char(valid.clone(), ASCII_PUNCT_NOT_IN_PASSWORDS, 0), e),
        2 => label(replace_char(valid.clone(), NON_ASCII, 0), e),
        2 => label(insert_char(valid, WHITESPACE), e),
    ]
    .boxed()
}

/// Invalid bandwidth text, all `ClientUser.BandwidthInvalid`: empty, zero, above 20000 (however
/// large), signs, spaces, decimals, letters, non-ASCII digits.
///
/// ```
/// use proptest::prelude::*;
/// use smartag_rules::{strategies::invalid_bandwidth, Bandwidth};
///
/// proptest!(|((text, code) in invalid_bandwidth())| {
///     prop_assert_eq!(text.parse::<Bandwidth>(), Err(code));
/// });
/// ```
pub fn invalid_bandwidth() -> BoxedStrategy<Labelled> {
    let valid = texts(valid_bandwidth());
    let e = Error::BandwidthInvalid;
    prop_oneof![
        labelled(
            &[
                "",
                "0",
                "00000",
                "20001",
                "65536",
                "4294967296",
                "1e3",
                "0x10"
            ],
            e
        ),
        label(published("^0{1,8}$"), e),
        label((20_001u64..).prop_map(|b| b.to_string()).boxed(), e),
        label(published("^0{0,3}[1-9][0-9]{20,40}$"), e),
        label(
            (select(&["+", "-", " ", "\t"][..]), valid.clone())
                .prop_map(|(p, v)| format!("{p}{v}"))
                .boxed(),
            e
        ),
        label(
            (
                valid.clone(),
                select(&[" ", ".0", ".5", "k", "\n", "Kbps"][..])
            )
                .prop_map(|(v, s)| format!("{v}{s}"))
                .boxed(),
            e
        ),
        label(published("^[A-Za-z]{1,6}$"), e),
        label(replace_char(valid, NON_ASCII, 0), e),
    ]
    .boxed()
}

/// Invalid mail addresses: `""` (`ClientUser.EmailEmpty`); no `@`, two `@`, an empty side, a
/// one-label domain, misplaced dots or hyphens, whitespace, a display name, a quoted local part,
/// a domain literal, non-ASCII, a local part over 64, a label over 63 or a domain over 254
/// characters (`ClientUser.EmailInvalid`).
///
/// ```
/// use proptest::prelude::*;
/// use smartag_rules::{strategies::invalid_user_mail, UserMail};
///
/// proptest!(|((text, code) in invalid_user_mail())| {
///     prop_assert_eq!(text.parse::<UserMail>(), Err(code));
/// });
/// ```
pub fn invalid_user_mail() -> BoxedStrategy<Labelled> {
    let e = Error::EmailInvalid;
    let parts = valid_user_mail()
        .prop_filter_map("mail without @", |m| {
            m.as_str()
                .rsplit_once('@')
                .map(|(l, d)| (l.to_string(), d.to_string()))
        })
        .boxed();
    let with = |f: fn(&str, &str) -> String| {
        label(parts.clone().prop_map(move |(l, d)| f(&l, &d)).boxed(), e)
    };
    Union::new(vec![
        Just((String::new(), Error::EmailEmpty)).boxed(),
        labelled(
            &[
                "username@localhost",
                "User <u@example.com>",
                "<u@example.com>",
                "\"john doe\"@example.com",
                "user@[10.0.0.1]",
                "user@example..com",
                "user@.example.com",
                "user@example.com.",
                "user@-example.com",
                "user@example-.com",
                "us..er@example.com",
                ".user@example.com",
                "user.@example.com",
                "user@exa_mple.com",
                "@",
                "@@",
                "a@b",
            ],
            e,
        ),
        with(|l, d| format!("{l}{d}")),
        with(|l, d| format!("{l}@{l}@{d}")),
        with(|_, d| format!("@{d}")),
        with(|l, _| format!("{l}@")),
        with(|l, d| format!("{l}@{}", d.replace('.', ""))),
        with(|l, d| format!(".{l}@{d}")),
        with(|l, d| format!("{l}.@{d}")),
        with(|l, d| format!("{l}..x@{d}")),
        with(|l, d| format!("{l}@{d}.")),
        with(|l, d| format!("{l}@-{d}")),
        with(|l, d| format!("{l}@{d}-")),
        with(|l, d| format!("Name <{l}@{d}>")),
        with(|l, d| format!("\"{l}\"@{d}")),
        with(|l, _| format!("{l}@[192.168.0.1]")),
        with(|l, d| format!("{}{l}@{d}", "x".repeat(65))),
        with(|l, d| format!("{l}@{}.{d}", "a".repeat(64))),
        with(|l, d| format!("{l}@{}{d}", "abcdefghij.".repeat(25))),
        label(insert_char(texts(valid_user_mail()), WHITESPACE), e),
        label(replace_char(texts(valid_user_mail()), NON_ASCII, 0), e),
    ])
    .boxed()
}

/// Invalid client IP text: `""` (`ClientUser.IpEmpty`); an octet above 255, a leading zero, too
/// few or too many octets, an empty octet, whitespace, letters, IPv6, a prefix, non-ASCII
/// (`ClientUser.IpInvalid`).
///
/// ```
/// use proptest::prelude::*;
/// use smartag_rules::{strategies::invalid_client_ip, ClientIp};
///
/// proptest!(|((text, code) in invalid_client_ip())| {
///     prop_assert_eq!(text.parse::<ClientIp>(), Err(code));
/// });
/// ```
pub fn invalid_client_ip() -> BoxedStrategy<Labelled> {
    let e = Error::IpInvalid;
    let octets = any::<[u8; 4]>();
    prop_oneof![
        Just((String::new(), Error::IpEmpty)),
        labelled(
            &[
                "::1",
                "fe80::1",
                "localhost",
                "10.0.XX.XX",
                "1.2.3",
                "1.2.3.4.5",
                "...",
                "0x7f.0.0.1"
            ],
            e
        ),
        label(
            (octets, 0usize..4, 256u32..100_000)
                .prop_map(|(o, at, big)| {
                    let parts: Vec<String> = o
                        .iter()
                        .enumerate()
                        .map(|(i, x)| {
                            if i == at {
                                big.to_string()
                            } else {
                                x.to_string()
                            }
                        })
                        .collect();
                    parts.join(".")
                })
                .boxed(),
            e
        ),
        label(
            (octets, 0usize..4, select(&["0", "00"][..]))
                .prop_map(|(o, at, zeros)| {
                    let parts: Vec<String> = o
                        .iter()
                        .enumerate()
                        .map(|(i, x)| {
                            if i == at {
                                format!("{zeros}{x}")
                            } else {
                                x.to_string()
                            }
                        })
                        .collect();
                    parts.join(".")
                })
                .boxed(),
            e
        ),
        label(
            (vec(any::<u8>(), 0..=8).prop_filter("not four octets", |v| v.len() != 4))
                .prop_map(|v| v.iter().map(u8::to_string).collect::<Vec<_>>().join("."))
                .prop_filter("not empty", |s| !s.is_empty())
                .boxed(),
            e
        ),
        label(
            (
                texts(valid_client_ip()),
                select(&["/24", ".", " ", ":80", "\n"][..])
            )
                .prop_map(|(ip, s)| format!("{ip}{s}"))
                .boxed(),
            e
        ),
        label(
            (
                select(&[".", " ", "+", "-", "\t"][..]),
                texts(valid_client_ip())
            )
                .prop_map(|(p, ip)| format!("{p}{ip}"))
                .boxed(),
            e
        ),
        label(
            texts(valid_client_ip())
                .prop_map(|ip| ip.replacen('.', "..", 1))
                .boxed(),
            e
        ),
        label(replace_char(texts(valid_client_ip()), NON_ASCII, 0), e),
    ]
    .boxed()
}

/// Invalid instance IDs: `""` (`SAG.InstanceIdEmpty`); anything else that is not `sag-` and 1
/// to 60 lowercase letters and digits names no instance (`SAG.InstanceNoFound`).
///
/// ```
/// use proptest::prelude::*;
/// use smartag_rules::{strategies::invalid_smart_ag_id, SmartAgId};
///
/// proptest!(|((text, code) in invalid_smart_ag_id())| {
///     prop_assert_eq!(text.parse::<SmartAgId>(), Err(code));
/// });
/// ```
pub fn invalid_smart_ag_id() -> BoxedStrategy<Labelled> {
    let e = Error::InstanceNotFound;
    prop_oneof![
        Just((String::new(), Error::InstanceIdEmpty)),
        labelled(
            &["sag-", "sag", "SAG-abc", "sag_abc", "sag--abc", "-sag-abc"],
            e
        ),
        label(published("^sag-[a-z0-9]{0,10}[A-Z_.\\-][a-z0-9]{0,10}$"), e),
        label(published("^sag-[a-z0-9]{61,70}$"), e),
        label(published("^[a-z0-9]{1,20}$"), e),
        label(insert_char(texts(valid_smart_ag_id()), WHITESPACE), e),
        label(replace_char(texts(valid_smart_ag_id()), NON_ASCII, 4), e),
    ]
    .boxed()
}

/// Invalid region IDs: `""` (`MissingParameter`); anything else malformed
/// (`InvalidParameter`): upper case, no part, a head too short or too long, a part too long,
/// too many parts, an empty part, whitespace, other characters, non-ASCII.
///
/// ```
/// use proptest::prelude::*;
/// use smartag_rules::{strategies::invalid_region_id, RegionId};
///
/// proptest!(|((text, code) in invalid_region_id())| {
///     prop_assert_eq!(text.parse::<RegionId>(), Err(code));
/// });
/// ```
pub fn invalid_region_id() -> BoxedStrategy<Labelled> {
    let e = Error::InvalidParameter;
    prop_oneof![
        Just((String::new(), Error::MissingParameter)),
        labelled(
            &[
                "CN-Shanghai",
                "cn_shanghai",
                "cn--1",
                "cn-",
                "-cn",
                "1n-east",
                "cn-east-"
            ],
            e
        ),
        label(published("^[a-z]{2,8}$"), e),
        label(published("^[a-z]{0,1}-[a-z0-9]{1,16}$"), e),
        label(published("^[a-z]{9,12}-[a-z0-9]{1,16}$"), e),
        label(published("^[a-z]{2,8}-[a-z0-9]{17,20}$"), e),
        label(published("^[a-z]{2,8}(-[a-z0-9]{1,16}){5,6}$"), e),
        label(published("^[A-Z]{2,8}-[a-z0-9]{1,16}$"), e),
        label(insert_char(texts(valid_region_id()), WHITESPACE), e),
        label(replace_char(texts(valid_region_id()), NON_ASCII, 0), e),
    ]
    .boxed()
}

/// Invalid enterprise codes: `""` (`MissingParameter`); a length other than 5, no letter, no
/// digit, another character, non-ASCII (`InvalidParameter`).
///
/// ```
/// use proptest::prelude::*;
/// use smartag_rules::{strategies::invalid_enterprise_code, EnterpriseCode};
///
/// proptest!(|((text, code) in invalid_enterprise_code())| {
///     prop_assert_eq!(text.parse::<EnterpriseCode>().unwrap_err(), code);
/// });
/// ```
pub fn invalid_enterprise_code() -> BoxedStrategy<Labelled> {
    let e = Error::InvalidParameter;
    prop_oneof![
        Just((String::new(), Error::MissingParameter)),
        label(published("^[A-Za-z0-9]{1,4}$"), e),
        label(published("^[A-Za-z0-9]{6,12}$"), e),
        label(published("^[0-9]{5}$"), e),
        label(published("^[A-Za-z]{5}$"), e),
        label(published("^[A-Za-z0-9]{0,4}[ _.@\\-][A-Za-z0-9]{0,4}$"), e),
        label(
            replace_char(texts(valid_enterprise_code()), NON_ASCII, 0),
            e
        ),
        label(
            replace_char(texts(valid_enterprise_code()), WHITESPACE, 0),
            e
        ),
    ]
    .boxed()
}

/// Invalid CIDR block text: `""` (`SAG.CidrEmpty`); not `a.b.c.d/n` (`SAG.InvalidCidrFormat`);
/// well-formed but public, with host bits set, or with a prefix outside /8..=/30
/// (`SAG.InvalidCidr`).
///
/// ```
/// use proptest::prelude::*;
/// use smartag_rules::{strategies::invalid_cidr_block, CidrBlock};
///
/// proptest!(|((text, code) in invalid_cidr_block())| {
///     prop_assert_eq!(text.parse::<CidrBlock>(), Err(code));
/// });
/// ```
pub fn invalid_cidr_block() -> BoxedStrategy<Labelled> {
    let format = Error::InvalidCidrFormat;
    let rule = Error::InvalidCidr;
    let block = valid_cidr_block();
    prop_oneof![
        Just((String::new(), Error::CidrEmpty)),
        labelled(
            &[
                "10.0.0.0",
                "10.0.0.0/",
                "/24",
                "10.0.0/8",
                "10.0.0.0.0/8",
                "010.0.0.0/8",
                "10.0.0.0/08",
                "10.0.0.0/100",
                "10.0.0.0/-8",
                "10.0.0.0/+8",
                "10.0.0.0//8",
                "10.0.0.0/24/1",
                "10.0.0.256/24",
                "a.b.c.d/8",
                "10.0.0.0/٣",
                " 10.0.0.0/8",
                "10.0.0.0/8 ",
                "10.0.0.0 /8"
            ],
            format
        ),
        label(
            (block.clone(), select(&[" ", "/", ".", "\n", "x"][..]))
                .prop_map(|(b, s)| format!("{b}{s}"))
                .boxed(),
            format
        ),
        label(
            block
                .clone()
                .prop_map(|b| b.to_string().replace('/', "/0"))
                .boxed(),
            format
        ),
        labelled(
            &[
                "10.0.0.0/7",
                "172.16.0.0/11",
                "192.168.0.0/15",
                "10.0.0.0/31",
                "10.0.0.0/32",
                "10.0.0.0/33",
                "10.0.0.0/99",
                "8.8.8.0/24",
                "11.0.0.0/8",
                "172.32.0.0/16",
                "192.169.0.0/16",
                "0.0.0.0/8",
                "10.0.0.1/24",
                "192.168.1.1/16"
            ],
            rule
        ),
        label(
            (block.clone(), any::<u32>())
                .prop_map(|(b, bits)| {
                    let host = u32::MAX >> b.prefix_len();
                    let set = (bits & host).max(1);
                    format!(
                        "{}/{}",
                        Ipv4Addr::from(u32::from(b.network()) | set),
                        b.prefix_len()
                    )
                })
                .boxed(),
            rule
        ),
        label(
            (any::<u32>(), 8u8..=30)
                .prop_filter_map("public", |(bits, prefix)| {
                    let first = (bits >> 24) as u8;
                    if matches!(first, 10 | 172 | 192) {
                        return None;
                    }
                    let net = Ipv4Net::new(Ipv4Addr::from(bits), prefix).ok()?.trunc();
                    Some(net.to_string())
                })
                .boxed(),
            rule
        ),
        label(
            (block, 31u8..=99)
                .prop_map(|(b, p)| format!("{}/{p}", b.network()))
                .boxed(),
            rule
        ),
    ]
    .boxed()
}

/// Invalid `CidrBlock` parameter text (a comma-separated pool): `""` (`SAG.CidrEmpty`); a bad
/// block among good ones (that block's error); an empty item or spaces around a comma
/// (`SAG.InvalidCidrFormat`); more than ten blocks (`SAG.InvalidCidr`); two blocks that overlap
/// (`SAG.CidrOverlap`).
///
/// ```
/// use proptest::prelude::*;
/// use smartag_rules::{strategies::invalid_cidr_pool, CidrPool};
///
/// proptest!(|((text, code) in invalid_cidr_pool())| {
///     prop_assert_eq!(text.parse::<CidrPool>(), Err(code));
/// });
/// ```
pub fn invalid_cidr_pool() -> BoxedStrategy<Labelled> {
    let pool = valid_cidr_pool();
    let bad_block = invalid_cidr_block().prop_filter("not empty", |(t, _)| !t.is_empty());
    prop_oneof![
        Just((String::new(), Error::CidrEmpty)),
        (pool.clone(), bad_block, any::<Index>()).prop_map(|(pool, (bad, e), at)| {
            let mut parts: Vec<String> = pool.blocks().iter().map(|b| b.to_string()).collect();
            let at = at.index(parts.len() + 1);
            parts.insert(at, bad);
            (parts.join(","), e)
        }),
        (pool.clone(), select(&[",", ",,"][..]), any::<bool>()).prop_map(|(pool, sep, front)| {
            let text = if front {
                format!("{sep}{pool}")
            } else {
                format!("{pool}{sep}")
            };
            (text, Error::InvalidCidrFormat)
        }),
        (pool.clone(), select(&[", ", " ,", ",,"][..]))
            .prop_filter("two blocks or more", |(pool, _)| pool.len() >= 2)
            .prop_map(|(pool, sep)| (pool.to_string().replace(',', sep), Error::InvalidCidrFormat)),
        disjoint_slash24s(11..=20).prop_map(|blocks| {
            let parts: Vec<String> = blocks.iter().map(|b| b.to_string()).collect();
            (parts.join(","), Error::InvalidCidr)
        }),
        (pool, any::<Index>(), 0u8..=8, any::<u32>(), any::<Index>()).prop_filter_map(
            "overlap",
            |(pool, which, deeper, bits, at)| {
                let blocks = pool.blocks();
                if blocks.len() >= CidrPool::MAX_BLOCKS {
                    return None;
                }
                let b = blocks.get(which.index(blocks.len()))?;
                let prefix = (b.prefix_len() + deeper).min(CidrBlock::MAX_PREFIX);
                let inner = u32::from(b.network()) | (bits & (u32::MAX >> b.prefix_len()));
                let net = Ipv4Net::new(Ipv4Addr::from(inner), prefix).ok()?.trunc();
                let sub = CidrBlock::new(net).ok()?;
                let mut parts: Vec<String> = blocks.iter().map(|b| b.to_string()).collect();
                parts.insert(at.index(parts.len() + 1), sub.to_string());
                Some((parts.join(","), Error::CidrOverlap))
            }
        ),
    ]
    .boxed()
}

// ---------------------------------------------------------------------------------------------
// Accounts
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Debug)]
struct UserPlan {
    name: UserName,
    password: Password,
    mail: UserMail,
    bandwidth: u32,
    static_ip: Option<(Index, u32)>,
    roam: bool,
}

#[derive(Clone, Debug)]
struct Plan {
    seed: u64,
    regions: Vec<&'static str>,
    stems: Vec<String>,
    code: Option<EnterpriseCode>,
    other_code: EnterpriseCode,
    spare_code: Option<EnterpriseCode>,
    pools: [CidrPool; 4],
    home_max: u32,
    away_max: u32,
    room: [u32; 2],
    users: Vec<UserPlan>,
    full_users: Vec<UserPlan>,
    used: Index,
    extras: Vec<(Index, Option<CidrPool>, u32, bool)>,
}

fn user_plan() -> BoxedStrategy<UserPlan> {
    (
        valid_user_name(),
        valid_password(),
        valid_user_mail(),
        any::<u32>(),
        option::weighted(0.4, (any::<Index>(), any::<u32>())),
        any::<bool>(),
    )
        .prop_map(
            |(name, password, mail, bandwidth, static_ip, roam)| UserPlan {
                name,
                password,
                mail,
                bandwidth,
                static_ip,
                roam,
            },
        )
        .boxed()
}

fn plan() -> BoxedStrategy<Plan> {
    let [ten, one_seven_two, one_nine_two] = PRIVATE_RANGES;
    let codes = (
        option::weighted(0.7, valid_enterprise_code()),
        valid_enterprise_code(),
    )
        .prop_filter("two different codes", |(a, b)| a.as_ref() != Some(b));
    let pools = (
        pool_of(block_in(ten, 20..=28), 1..=3),
        pool_of(block_in(one_nine_two, 22..=28), 1..=2),
        pool_of(block_in(one_seven_two, 16..=28), 1..=2),
        valid_cidr_pool(),
    )
        .prop_map(|(a, b, c, d)| [a, b, c, d]);
    let extras = vec(
        (
            any::<Index>(),
            option::of(valid_cidr_pool()),
            0u32..=8,
            prop::bool::weighted(0.8),
        ),
        0..=2,
    );
    (
        (
            any::<u64>(),
            subsequence(REGIONS.to_vec(), 3).prop_shuffle(),
        ),
        vec(published("^[a-z0-9]{3,12}$"), 10),
        (codes, option::of(valid_enterprise_code())),
        pools,
        (
            prop_oneof![Just(20_000u32), 5_000u32..=20_000],
            1_000u32..=3_000,
        ),
        ([1u32..=5, 1u32..=5]),
        (vec(user_plan(), 3..=7), vec(user_plan(), 1..=3)),
        any::<Index>(),
        extras,
    )
        .prop_map(
            |(
                (seed, regions),
                stems,
                ((code, other_code), spare_code),
                pools,
                (home_max, away_max),
                room,
                (users, full_users),
                used,
                extras,
            )| Plan {
                seed,
                regions,
                stems,
                code,
                other_code,
                spare_code,
                pools,
                home_max,
                away_max,
                room,
                users,
                full_users,
                used,
                extras,
            },
        )
        .boxed()
}

/// A host of `pool` chosen by `(which block, offset)`.
fn host_of(pool: &CidrPool, which: Option<Index>, offset: u32) -> Option<Ipv4Addr> {
    let blocks = pool.blocks();
    if blocks.is_empty() {
        return None;
    }
    let b = blocks.get(which.map_or(0, |w| w.index(blocks.len())))?;
    let count = b.host_count().max(1);
    Some(Ipv4Addr::from(
        u32::from(b.network()).wrapping_add(1 + offset % count),
    ))
}

fn build(plan: Plan) -> Account {
    let mut account = Account::with_seed(plan.seed);
    let regions: Vec<RegionId> = plan.regions.iter().filter_map(|r| r.parse().ok()).collect();
    let Ok([ra, rb, rc]) = <[RegionId; 3]>::try_from(regions) else {
        return account;
    };
    let region = |i: usize| match i % 3 {
        0 => ra.clone(),
        1 => rb.clone(),
        _ => rc.clone(),
    };
    let id = |i: usize| -> Option<SmartAgId> {
        let stem = plan.stems.get(i)?;
        format!("sag-{stem}{i}").parse().ok()
    };
    let [home_pool, away_pool, full_pool, other_pool] = plan.pools.clone();
    let n_users = u32::try_from(plan.users.len()).unwrap_or(u32::MAX);
    let bw = |kbps: u32| Bandwidth::new(kbps).unwrap_or(Bandwidth::DEFAULT);
    let code_of = |spec: InstanceSpec, code: Option<EnterpriseCode>| match code {
        Some(code) => spec.enterprise_code(code),
        None => spec,
    };
    let (Some(home), Some(away), Some(full), Some(overlap), Some(other), Some(empty), Some(hw)) =
        (id(0), id(1), id(2), id(3), id(4), id(5), id(6))
    else {
        return account;
    };
    let specs = [
        code_of(
            InstanceSpec::app(home.clone(), ra.clone())
                .quota(n_users + plan.room[0])
                .max_bandwidth(bw(plan.home_max))
                .pool(home_pool.clone()),
            plan.code,
        ),
        code_of(
            InstanceSpec::app(away.clone(), rb.clone())
                .quota(n_users + plan.room[1])
                .max_bandwidth(bw(plan.away_max))
                .pool(away_pool),
            plan.code,
        ),
        code_of(
            InstanceSpec::app(full.clone(), rc.clone()).pool(full_pool.clone()),
            plan.code,
        ),
        code_of(
            InstanceSpec::app(overlap, rb.clone()).pool(
                home_pool
                    .blocks()
                    .first()
                    .map(|b| CidrPool::new(vec![*b]).unwrap_or_default())
                    .unwrap_or_default(),
            ),
            plan.code,
        ),
        InstanceSpec::app(other, rc.clone())
            .pool(other_pool)
            .enterprise_code(plan.other_code),
        InstanceSpec::app(empty, rb.clone()),
        InstanceSpec::hardware(hw, rc.clone()).pool(full_pool),
    ];
    for spec in specs {
        account.add_instance(spec).ok();
    }
    for (i, (at, pool, quota, app)) in plan.extras.iter().enumerate() {
        if let Some(x) = id(7 + i) {
            let r = region(at.index(3));
            let spec = if *app {
                InstanceSpec::app(x, r)
            } else {
                InstanceSpec::hardware(x, r)
            };
            account
                .add_instance(spec.quota(*quota).pool(pool.clone().unwrap_or_default()))
                .ok();
        }
    }
    if let Some(code) = plan.spare_code {
        account.create_enterprise_code(code).ok();
    }

    let mut names = BTreeSet::new();
    let mut create = |account: &mut Account,
                      region: &RegionId,
                      at: &SmartAgId,
                      u: &UserPlan,
                      kbps: u32,
                      ip: Option<Ipv4Addr>|
     -> bool {
        if !names.insert(u.name.clone()) {
            return false;
        }
        let request = |client_ip: Option<Ipv4Addr>| crate::CreateClientUser {
            region_id: region.clone(),
            smart_ag_id: at.clone(),
            credentials: Some(crate::Credentials {
                user_name: u.name.clone(),
                password: u.password.clone(),
            }),
            user_mail: u.mail.clone(),
            bandwidth: bw(kbps),
            client_ip: client_ip.map(ClientIp::from),
        };
        account.create_client_user(request(ip)).is_ok()
            || (ip.is_some() && account.create_client_user(request(None)).is_ok())
    };
    let roam = |account: &mut Account, name: &UserName| {
        account
            .roam_client_user(crate::RoamClientUser {
                region_id: rb.clone(),
                origin_region_id: ra.clone(),
                origin_smart_ag_id: home.clone(),
                target_smart_ag_id: away.clone(),
                user_name: name.clone(),
            })
            .is_ok()
    };
    let mut created = Vec::new();
    for (i, u) in plan.users.iter().enumerate() {
        // The first user roams, the second has a static address, the third is heavier than the
        // away instance's ceiling; the rest are random.
        let (kbps, ip) = match i {
            0 => (1 + u.bandwidth % plan.away_max, None),
            1 => (
                1 + u.bandwidth % plan.home_max,
                host_of(&home_pool, u.static_ip.map(|s| s.0), u.bandwidth),
            ),
            2 => (
                plan.away_max + 1 + u.bandwidth % (plan.home_max - plan.away_max).max(1),
                None,
            ),
            _ => (
                1 + u.bandwidth % plan.home_max,
                u.static_ip
                    .and_then(|(w, off)| host_of(&home_pool, Some(w), off)),
            ),
        };
        if create(&mut account, &ra, &home, u, kbps, ip) {
            created.push(u.name.clone());
            if i == 0 || (u.roam && ip.is_none() && kbps <= plan.away_max) {
                roam(&mut account, &u.name);
            }
        }
    }
    if let Some(name) = created.get(plan.used.index(created.len().max(1))) {
        account
            .mark_used_this_month(&ra, &home, name.as_str(), true)
            .ok();
    }
    let mut on_full = 0u32;
    for u in &plan.full_users {
        if create(&mut account, &rc, &full, u, 1 + u.bandwidth % 20_000, None) {
            on_full += 1;
        }
    }
    account.set_quota(&rc, &full, on_full).ok();
    account
}

/// Whole accounts to run requests against: instances in three regions, with client CIDR pools,
/// quotas, bandwidth ceilings, enterprise codes and users. Every account has:
///
/// - a "home" APP instance with room, users (one with a static address, one marked as used this
///   month, one roaming), and a bandwidth ceiling of 5000 or more;
/// - an "away" APP instance in another region, with the same enterprise code (or none, like
///   home), a pool disjoint from home's, a low bandwidth ceiling and a roaming copy of a home
///   user;
/// - a full instance (quota reached), an instance whose pool overlaps home's, an instance with
///   another enterprise code, an APP instance without a pool and a hardware instance;
/// - sometimes a spare enterprise code and up to two more random instances.
///
/// Built through the account's own operations, so every SPEC.md section 5 invariant holds.
///
/// ```
/// use proptest::prelude::*;
/// use smartag_rules::strategies::account_setup;
///
/// proptest!(ProptestConfig::with_cases(16), |(account in account_setup())| {
///     prop_assert!(account.invariant_violations().is_empty());
///     prop_assert!(account.instances().count() >= 7);
/// });
/// ```
pub fn account_setup() -> BoxedStrategy<Account> {
    plan().prop_map(build).boxed()
}

// ---------------------------------------------------------------------------------------------
// What the request strategies need to know of an account
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Debug)]
struct UserFact {
    name: String,
    copy: bool,
    ip: Option<Ipv4Addr>,
    bandwidth: u32,
    used: bool,
}

#[derive(Clone, Debug)]
struct InstFact {
    id: String,
    region: String,
    app: bool,
    pool: CidrPool,
    full: bool,
    max_bw: u32,
    code: Option<EnterpriseCode>,
    users: Vec<UserFact>,
    linked_blocks: Vec<CidrBlock>,
}

impl InstFact {
    fn has(&self, name: &str) -> bool {
        self.users.iter().any(|u| u.name == name)
    }

    fn holds(&self, ip: Ipv4Addr) -> bool {
        self.users.iter().any(|u| u.ip == Some(ip))
    }

    fn static_ips(&self) -> Vec<Ipv4Addr> {
        self.users.iter().filter_map(|u| u.ip).collect()
    }

    fn takes_users(&self) -> bool {
        self.app && !self.pool.is_empty()
    }

    fn has_free_host(&self) -> bool {
        self.pool.host_count() > self.static_ips().len() as u64
    }

    fn place(&self) -> (Option<String>, Option<String>) {
        (Some(self.region.clone()), Some(self.id.clone()))
    }
}

#[derive(Clone, Debug)]
struct Facts {
    insts: Vec<InstFact>,
    codes: Vec<EnterpriseCode>,
}

fn facts(account: &Account) -> Facts {
    let insts = account
        .instances()
        .map(|i| InstFact {
            id: i.id().to_string(),
            region: i.region().to_string(),
            app: i.accepts_client_users(),
            pool: i.pool().clone(),
            full: i.is_full(),
            max_bw: i.max_bandwidth().get(),
            code: i.enterprise_code().copied(),
            users: i
                .users()
                .map(|u| UserFact {
                    name: u.name().to_string(),
                    copy: u.origin().is_some(),
                    ip: u.client_ip().map(ClientIp::addr),
                    bandwidth: u.bandwidth().get(),
                    used: u.used_this_month(),
                })
                .collect(),
            linked_blocks: i
                .linked_instances()
                .filter_map(|other| account.instances().find(|x| x.id() == other))
                .flat_map(|x| x.pool().blocks().to_vec())
                .collect(),
        })
        .collect();
    Facts {
        insts,
        codes: account.enterprise_codes().copied().collect(),
    }
}

impl Facts {
    fn pick(&self, keep: impl Fn(&InstFact) -> bool) -> Option<BoxedStrategy<InstFact>> {
        choose(self.insts.iter().filter(|i| keep(i)).cloned().collect())
    }

    fn pick_user(
        &self,
        keep: impl Fn(&InstFact, &UserFact) -> bool,
    ) -> Option<BoxedStrategy<(InstFact, UserFact)>> {
        let pairs: Vec<(InstFact, UserFact)> = self
            .insts
            .iter()
            .flat_map(|i| {
                i.users
                    .iter()
                    .filter(|u| keep(i, u))
                    .map(move |u| (i.clone(), u.clone()))
            })
            .collect();
        choose(pairs)
    }

    /// A well-formed (region, instance ID): mostly one of the account's, sometimes made up.
    fn any_place(&self) -> BoxedStrategy<(Option<String>, Option<String>)> {
        let made_up = (texts(valid_region_id()), texts(valid_smart_ag_id()))
            .prop_map(|(r, i)| (Some(r), Some(i)))
            .boxed();
        match self.pick(|_| true) {
            Some(known) => prop_oneof![3 => known.prop_map(|i| i.place()), 1 => made_up].boxed(),
            None => made_up,
        }
    }

    /// A well-formed (region, instance ID) that names no instance of the account: an unknown
    /// ID, or a known one in another region.
    fn nowhere(&self) -> BoxedStrategy<(Option<String>, Option<String>)> {
        let ids: BTreeSet<String> = self.insts.iter().map(|i| i.id.clone()).collect();
        let unknown = (texts(valid_region_id()), texts(valid_smart_ag_id()))
            .prop_filter("an ID the account lacks", move |(_, id)| !ids.contains(id))
            .prop_map(|(r, i)| (Some(r), Some(i)))
            .boxed();
        match self.pick(|_| true) {
            Some(known) => prop_oneof![
                unknown,
                known.prop_flat_map(|i| {
                    let id = i.id.clone();
                    texts(valid_region_id())
                        .prop_filter("another region", move |r| *r != i.region)
                        .prop_map(move |r| (Some(r), Some(id.clone())))
                }),
            ]
            .boxed(),
            None => unknown,
        }
    }

    fn new_code(&self) -> BoxedStrategy<String> {
        let codes = self.codes.clone();
        valid_enterprise_code()
            .prop_filter("a code the account lacks", move |c| !codes.contains(c))
            .prop_map(|c| c.to_string())
            .boxed()
    }
}

/// A valid name new to the instance.
fn new_name(inst: &InstFact) -> BoxedStrategy<String> {
    let taken: BTreeSet<String> = inst.users.iter().map(|u| u.name.clone()).collect();
    texts(valid_user_name())
        .prop_filter("a name new to the instance", move |n| !taken.contains(n))
        .boxed()
}

/// A free usable host of the instance's pool (the pool must have one).
fn free_host(inst: &InstFact) -> BoxedStrategy<String> {
    let inst = inst.clone();
    (any::<Index>(), any::<u32>())
        .prop_filter_map("a free host", move |(w, off)| {
            host_of(&inst.pool, Some(w), off)
                .filter(|ip| !inst.holds(*ip))
                .map(|ip| ip.to_string())
        })
        .boxed()
}

/// A well-formed address that is not a free usable host of the instance's pool.
fn unusable_host(inst: &InstFact) -> BoxedStrategy<String> {
    let blocks = inst.pool.blocks().to_vec();
    let pool = inst.pool.clone();
    let mut arms = vec![any::<u32>()
        .prop_map(Ipv4Addr::from)
        .prop_filter("outside the pool", move |ip| !pool.contains_host(*ip))
        .prop_map(|ip| ip.to_string())
        .boxed()];
    if let Some(b) = choose(blocks) {
        arms.push(b.clone().prop_map(|b| b.network().to_string()).boxed());
        arms.push(b.prop_map(|b| b.broadcast().to_string()).boxed());
    }
    if let Some(held) = choose(inst.static_ips()) {
        arms.push(held.prop_map(|ip| ip.to_string()).boxed());
    }
    Union::new(arms).boxed()
}

type Setter<R> = fn(&mut R, Option<String>);

/// Puts each labelled bad value into a well-formed base request.
fn corrupt<R: Clone + Debug + 'static>(
    base: &BoxedStrategy<R>,
    bad: BoxedStrategy<(Option<String>, Error)>,
    set: Setter<R>,
    wrap: fn(R) -> Request,
) -> BoxedStrategy<LabelledRequest> {
    (base.clone(), bad)
        .prop_map(move |(mut r, (v, e))| {
            set(&mut r, v);
            (wrap(r), e)
        })
        .boxed()
}

fn some(s: BoxedStrategy<Labelled>) -> BoxedStrategy<(Option<String>, Error)> {
    s.prop_map(|(t, e)| (Some(t), e)).boxed()
}

fn or_absent(s: BoxedStrategy<Labelled>, absent: Error) -> BoxedStrategy<(Option<String>, Error)> {
    prop_oneof![1 => Just((None, absent)), 6 => some(s)].boxed()
}

fn bad_region() -> BoxedStrategy<(Option<String>, Error)> {
    or_absent(invalid_region_id(), Error::MissingParameter)
}

fn bad_id() -> BoxedStrategy<(Option<String>, Error)> {
    or_absent(invalid_smart_ag_id(), Error::InstanceIdEmpty)
}

fn bad_name() -> BoxedStrategy<(Option<String>, Error)> {
    or_absent(invalid_user_name(), Error::NameEmpty)
}

fn opt_text<T: ToString + Debug + 'static>(s: BoxedStrategy<T>) -> BoxedStrategy<Option<String>> {
    option::of(texts(s)).boxed()
}

// ---------------------------------------------------------------------------------------------
// CreateSmartAccessGatewayClientUser
// ---------------------------------------------------------------------------------------------

fn create_raw(
    (region_id, smart_ag_id): (Option<String>, Option<String>),
    credentials: Option<(String, String)>,
    user_mail: String,
    bandwidth: Option<String>,
    client_ip: Option<String>,
) -> CreateClientUserRaw {
    let (user_name, password) = credentials.map_or((None, None), |(n, p)| (Some(n), Some(p)));
    CreateClientUserRaw {
        region_id,
        smart_ag_id,
        user_name,
        password,
        user_mail: Some(user_mail),
        bandwidth,
        client_ip,
    }
}

fn password_text() -> BoxedStrategy<String> {
    valid_password()
        .prop_map(|p| p.expose_secret().to_string())
        .boxed()
}

fn mail_text() -> BoxedStrategy<String> {
    texts(valid_user_mail())
}

/// Create on `inst`, with credentials from `credentials` (`None`: generated), an address from
/// `ips`, and a bandwidth from `bandwidths`.
fn create_on(
    inst: &InstFact,
    credentials: BoxedStrategy<Option<(String, String)>>,
    ips: BoxedStrategy<Option<String>>,
    bandwidths: BoxedStrategy<Option<String>>,
) -> BoxedStrategy<Request> {
    let place = inst.place();
    (credentials, mail_text(), bandwidths, ips)
        .prop_map(move |(c, m, b, ip)| {
            Request::CreateClientUser(create_raw(place.clone(), c, m, b, ip))
        })
        .boxed()
}

/// A new name and a password, or (sometimes) neither, to have them generated.
fn new_credentials(inst: &InstFact) -> BoxedStrategy<Option<(String, String)>> {
    option::weighted(0.85, (new_name(inst), password_text())).boxed()
}

fn bandwidth_within(inst: &InstFact) -> BoxedStrategy<Option<String>> {
    let within = bandwidth_up_to(inst.max_bw);
    if Bandwidth::DEFAULT.get() <= inst.max_bw {
        option::of(within).boxed()
    } else {
        within.prop_map(Some).boxed()
    }
}

/// Valid `CreateSmartAccessGatewayClientUser` requests against `account`: an APP instance with
/// a pool and room, a new name (or none, to have one generated), a bandwidth within the
/// instance's ceiling, and sometimes a free static address. `None` when no instance can take
/// one more user.
///
/// ```
/// use proptest::prelude::*;
/// use smartag_rules::strategies::{account_setup, valid_create_request};
///
/// let setups = account_setup().prop_flat_map(|account| {
///     let requests = valid_create_request(&account).expect("the setup has room");
///     (Just(account), requests)
/// });
/// proptest!(ProptestConfig::with_cases(16), |((mut account, request) in setups)| {
///     prop_assert!(account.execute(&request).is_ok());
/// });
/// ```
pub fn valid_create_request(account: &Account) -> Option<BoxedStrategy<Request>> {
    let f = facts(account);
    f.pick(|i| i.takes_users() && !i.full).map(|insts| {
        insts
            .prop_flat_map(|i| {
                let ips = if i.has_free_host() {
                    option::of(free_host(&i)).boxed()
                } else {
                    Just(None).boxed()
                };
                create_on(&i, new_credentials(&i), ips, bandwidth_within(&i))
            })
            .boxed()
    })
}

/// Invalid `CreateSmartAccessGatewayClientUser` requests against `account`, labelled with the
/// first error: every form error of its parameters (`MissingParameter`, `InvalidParameter`,
/// `SAG.InstanceIdEmpty`, `ClientUser.NameEmpty`, `ClientUser.NameInvalid`,
/// `ClientUser.PasswordInvalid`, `ClientUser.EmailEmpty`, `ClientUser.EmailInvalid`,
/// `ClientUser.BandwidthInvalid`, `ClientUser.IpEmpty`, `ClientUser.IpInvalid`), then
/// `SAG.InstanceNoFound` and, where the account has a fitting instance,
/// `ClientUser.NotSupportAction`, `SAG.CidrEmpty`, `ClientUser.UserExist`,
/// `ClientUser.UserOverLimit`, `ClientUser.InvalidClientIp` and `ClientUser.BandwidthInvalid`
/// (above the instance's ceiling).
pub fn invalid_create_request(account: &Account) -> BoxedStrategy<LabelledRequest> {
    let f = facts(account);
    let wrap = Request::CreateClientUser as fn(_) -> _;
    let base = (
        f.any_place(),
        texts(valid_user_name()),
        password_text(),
        mail_text(),
        opt_text(valid_bandwidth()),
        opt_text(valid_client_ip()),
    )
        .prop_map(|(place, n, p, m, b, ip)| create_raw(place, Some((n, p)), m, b, ip))
        .boxed();
    let mut arms = vec![
        corrupt(&base, bad_region(), |r, v| r.region_id = v, wrap),
        corrupt(&base, bad_id(), |r, v| r.smart_ag_id = v, wrap),
        corrupt(&base, bad_name(), |r, v| r.user_name = v, wrap),
        corrupt(
            &base,
            or_absent(invalid_password(), Error::PasswordInvalid),
            |r, v| r.password = v,
            wrap,
        ),
        corrupt(
            &base,
            or_absent(invalid_user_mail(), Error::EmailEmpty),
            |r, v| r.user_mail = v,
            wrap,
        ),
        corrupt(
            &base,
            some(invalid_bandwidth()),
            |r, v| r.bandwidth = v,
            wrap,
        ),
        corrupt(
            &base,
            some(invalid_client_ip()),
            |r, v| r.client_ip = v,
            wrap,
        ),
        (f.nowhere(), base.clone())
            .prop_map(move |((region, id), mut r)| {
                r.region_id = region;
                r.smart_ag_id = id;
                (wrap(r), Error::InstanceNotFound)
            })
            .boxed(),
    ];
    let anywhere = move |i: InstFact, base: &BoxedStrategy<CreateClientUserRaw>, e: Error| {
        base.clone()
            .prop_map(move |mut r| {
                (r.region_id, r.smart_ag_id) = i.place();
                (wrap(r), e)
            })
            .boxed()
    };
    let labelled_create = |s: BoxedStrategy<Request>, e: Error| s.prop_map(move |r| (r, e)).boxed();
    let b = base.clone();
    if let Some(s) = f.pick(|i| !i.app) {
        arms.push(
            s.prop_flat_map(move |i| anywhere(i, &b, Error::NotSupportAction))
                .boxed(),
        );
    }
    let b = base.clone();
    if let Some(s) = f.pick(|i| i.app && i.pool.is_empty()) {
        arms.push(
            s.prop_flat_map(move |i| anywhere(i, &b, Error::CidrEmpty))
                .boxed(),
        );
    }
    if let Some(s) = f.pick_user(|i, _| i.takes_users()) {
        arms.push(
            s.prop_flat_map(move |(i, u)| {
                let credentials = (Just(u.name.clone()), password_text())
                    .prop_map(Some)
                    .boxed();
                labelled_create(
                    create_on(
                        &i,
                        credentials,
                        opt_text(valid_client_ip()),
                        opt_text(valid_bandwidth()),
                    ),
                    Error::UserExist,
                )
            })
            .boxed(),
        );
    }
    if let Some(s) = f.pick(|i| i.takes_users() && i.full) {
        arms.push(
            s.prop_flat_map(move |i| {
                labelled_create(
                    create_on(
                        &i,
                        new_credentials(&i),
                        opt_text(valid_client_ip()),
                        opt_text(valid_bandwidth()),
                    ),
                    Error::UserOverLimit,
                )
            })
            .boxed(),
        );
    }
    if let Some(s) = f.pick(|i| i.takes_users() && !i.full) {
        arms.push(
            s.prop_flat_map(move |i| {
                labelled_create(
                    create_on(
                        &i,
                        new_credentials(&i),
                        unusable_host(&i).prop_map(Some).boxed(),
                        opt_text(valid_bandwidth()),
                    ),
                    Error::InvalidClientIp,
                )
            })
            .boxed(),
        );
    }
    if let Some(s) = f.pick(|i| i.takes_users() && !i.full && i.max_bw < Bandwidth::MAX.get()) {
        arms.push(
            s.prop_flat_map(move |i| {
                let ips = if i.has_free_host() {
                    option::of(free_host(&i)).boxed()
                } else {
                    Just(None).boxed()
                };
                let above = (i.max_bw + 1..=Bandwidth::MAX.get())
                    .prop_map(|b| Some(b.to_string()))
                    .boxed();
                labelled_create(
                    create_on(&i, new_credentials(&i), ips, above),
                    Error::BandwidthInvalid,
                )
            })
            .boxed(),
        );
    }
    Union::new(arms).boxed()
}

// ---------------------------------------------------------------------------------------------
// ModifySmartAccessGatewayClientUser
// ---------------------------------------------------------------------------------------------

fn modify_raw(
    (region_id, smart_ag_id): (Option<String>, Option<String>),
    user_name: String,
    bandwidth: String,
    email: Option<String>,
) -> Request {
    Request::ModifyClientUser(ModifyClientUserRaw {
        region_id,
        smart_ag_id,
        user_name: Some(user_name),
        bandwidth: Some(bandwidth),
        email,
    })
}

/// Valid `ModifySmartAccessGatewayClientUser` requests: an existing user (roaming copies
/// included), a bandwidth within its instance's ceiling, sometimes a new mail address. `None`
/// when the account has no user.
pub fn valid_modify_request(account: &Account) -> Option<BoxedStrategy<Request>> {
    facts(account).pick_user(|_, _| true).map(|s| {
        s.prop_flat_map(|(i, u)| {
            let place = i.place();
            (bandwidth_up_to(i.max_bw), option::of(mail_text()))
                .prop_map(move |(b, m)| modify_raw(place.clone(), u.name.clone(), b, m))
        })
        .boxed()
    })
}

/// Invalid `ModifySmartAccessGatewayClientUser` requests, labelled with the first error: the
/// form errors (`MissingParameter`, `InvalidParameter`, `SAG.InstanceIdEmpty`,
/// `ClientUser.NameEmpty`, `ClientUser.NameInvalid`, `ClientUser.EmailInvalid` — an empty
/// `Email` included —, `ClientUser.BandwidthInvalid` — a missing one included), then
/// `SAG.InstanceNoFound`, `ResourceNotFound.User`, and `ClientUser.BandwidthInvalid` above the
/// instance's ceiling where the account allows.
pub fn invalid_modify_request(account: &Account) -> BoxedStrategy<LabelledRequest> {
    let f = facts(account);
    let wrap = Request::ModifyClientUser as fn(_) -> _;
    let base = (
        f.any_place(),
        texts(valid_user_name()),
        texts(valid_bandwidth()),
        option::of(mail_text()),
    )
        .prop_map(|(place, n, b, m)| ModifyClientUserRaw {
            region_id: place.0,
            smart_ag_id: place.1,
            user_name: Some(n),
            bandwidth: Some(b),
            email: m,
        })
        .boxed();
    let bad_email = invalid_user_mail()
        .prop_map(|(t, _)| (Some(t), Error::EmailInvalid))
        .boxed();
    let mut arms = vec![
        corrupt(&base, bad_region(), |r, v| r.region_id = v, wrap),
        corrupt(&base, bad_id(), |r, v| r.smart_ag_id = v, wrap),
        corrupt(&base, bad_name(), |r, v| r.user_name = v, wrap),
        corrupt(&base, bad_email, |r, v| r.email = v, wrap),
        corrupt(
            &base,
            or_absent(invalid_bandwidth(), Error::BandwidthInvalid),
            |r, v| r.bandwidth = v,
            wrap,
        ),
        (f.nowhere(), base.clone())
            .prop_map(move |((region, id), mut r)| {
                r.region_id = region;
                r.smart_ag_id = id;
                (wrap(r), Error::InstanceNotFound)
            })
            .boxed(),
    ];
    if let Some(s) = f.pick(|_| true) {
        arms.push(
            s.prop_flat_map(|i| {
                let place = i.place();
                (
                    new_name(&i),
                    texts(valid_bandwidth()),
                    option::of(mail_text()),
                )
                    .prop_map(move |(n, b, m)| {
                        (modify_raw(place.clone(), n, b, m), Error::UserNotFound)
                    })
            })
            .boxed(),
        );
    }
    if let Some(s) = f.pick_user(|i, _| i.max_bw < Bandwidth::MAX.get()) {
        arms.push(
            s.prop_flat_map(|(i, u)| {
                let place = i.place();
                (i.max_bw + 1..=Bandwidth::MAX.get(), option::of(mail_text())).prop_map(
                    move |(b, m)| {
                        (
                            modify_raw(place.clone(), u.name.clone(), b.to_string(), m),
                            Error::BandwidthInvalid,
                        )
                    },
                )
            })
            .boxed(),
        );
    }
    Union::new(arms).boxed()
}

// ---------------------------------------------------------------------------------------------
// RoamClientUser
// ---------------------------------------------------------------------------------------------

/// SPEC.md's roaming rules after the form and existence checks, in their order: the first
/// error of roaming `name` (a user of `origin`, or `None` for a name `origin` lacks) from
/// `origin` to `target`, or `None` when roaming succeeds.
fn roam_outcome(origin: &InstFact, target: &InstFact, name: Option<&str>) -> Option<Error> {
    if !target.app || origin.region == target.region {
        return Some(Error::NotSupportAction);
    }
    if target.pool.is_empty() {
        return Some(Error::CidrEmpty);
    }
    let user = name.and_then(|n| origin.users.iter().find(|u| u.name == n && !u.copy));
    let Some(user) = user else {
        return Some(Error::UserNotFound);
    };
    if origin.code != target.code {
        return Some(Error::EnterpriseCodeConfigDifferent);
    }
    if origin.pool.overlaps(&target.pool) {
        return Some(Error::CidrOverlap);
    }
    if target.has(&user.name) {
        return Some(Error::UserExist);
    }
    if target.full {
        return Some(Error::UserOverLimit);
    }
    if let Some(ip) = user.ip {
        if !target.pool.contains_host(ip) || target.holds(ip) {
            return Some(Error::InvalidClientIp);
        }
    }
    if user.bandwidth > target.max_bw {
        return Some(Error::BandwidthInvalid);
    }
    None
}

type RoamCase = (InstFact, InstFact, Option<String>);

/// Every (origin, target, name) of the account, grouped by the outcome of roaming.
fn roam_cases(f: &Facts) -> BTreeMap<Option<Error>, Vec<RoamCase>> {
    let mut out: BTreeMap<Option<Error>, Vec<RoamCase>> = BTreeMap::new();
    for o in &f.insts {
        for t in &f.insts {
            let names = o.users.iter().map(|u| Some(u.name.clone())).chain([None]);
            for name in names {
                let outcome = roam_outcome(o, t, name.as_deref());
                out.entry(outcome)
                    .or_default()
                    .push((o.clone(), t.clone(), name));
            }
        }
    }
    out
}

fn roam_raw(origin: &InstFact, target: &InstFact, name: String) -> Request {
    Request::RoamClientUser(RoamClientUserRaw {
        region_id: Some(target.region.clone()),
        origin_region_id: Some(origin.region.clone()),
        origin_smart_ag_id: Some(origin.id.clone()),
        target_smart_ag_id: Some(target.id.clone()),
        user_name: Some(name),
    })
}

fn roam_case(case: RoamCase) -> BoxedStrategy<Request> {
    let (o, t, name) = case;
    let names = match name {
        Some(n) => Just(n).boxed(),
        None => new_name(&o),
    };
    names.prop_map(move |n| roam_raw(&o, &t, n)).boxed()
}

/// Valid `RoamClientUser` requests: a user of an instance in its own right, to an APP instance
/// of another region with the same enterprise code, a disjoint pool, room, no user of that name,
/// and a ceiling the user's bandwidth fits (a static user never fits: its address lies in the
/// origin's pool, which the target's must not overlap). `None` when no user can roam.
pub fn valid_roam_request(account: &Account) -> Option<BoxedStrategy<Request>> {
    let cases = roam_cases(&facts(account)).remove(&None)?;
    choose(cases).map(|s| s.prop_flat_map(roam_case).boxed())
}

/// Invalid `RoamClientUser` requests, labelled with the first error: the form errors of
/// `RegionId`, `OriginRegionId`, `OriginSmartAGId`, `TargetSmartAGId` and `UserName`,
/// `SAG.InstanceNoFound` (origin or target), and every roaming rule the account lets a request
/// break: `ClientUser.NotSupportAction`, `SAG.CidrEmpty`, `ResourceNotFound.User`,
/// `EnterpriseCode.ConfigDifferent`, `SAG.CidrOverlap`, `ClientUser.UserExist`,
/// `ClientUser.UserOverLimit`, `ClientUser.InvalidClientIp`, `ClientUser.BandwidthInvalid`.
pub fn invalid_roam_request(account: &Account) -> BoxedStrategy<LabelledRequest> {
    let f = facts(account);
    let wrap = Request::RoamClientUser as fn(_) -> _;
    let base = (f.any_place(), f.any_place(), texts(valid_user_name()))
        .prop_map(|(target, origin, n)| RoamClientUserRaw {
            region_id: target.0,
            origin_region_id: origin.0,
            origin_smart_ag_id: origin.1,
            target_smart_ag_id: target.1,
            user_name: Some(n),
        })
        .boxed();
    let mut arms = vec![
        corrupt(&base, bad_region(), |r, v| r.region_id = v, wrap),
        corrupt(&base, bad_region(), |r, v| r.origin_region_id = v, wrap),
        corrupt(&base, bad_id(), |r, v| r.origin_smart_ag_id = v, wrap),
        corrupt(&base, bad_id(), |r, v| r.target_smart_ag_id = v, wrap),
        corrupt(&base, bad_name(), |r, v| r.user_name = v, wrap),
        (f.nowhere(), base.clone())
            .prop_map(move |((region, id), mut r)| {
                r.origin_region_id = region;
                r.origin_smart_ag_id = id;
                (wrap(r), Error::InstanceNotFound)
            })
            .boxed(),
    ];
    if let Some(origins) = f.pick(|_| true) {
        arms.push(
            (origins, f.nowhere(), texts(valid_user_name()))
                .prop_map(move |(o, (region, id), n)| {
                    let r = RoamClientUserRaw {
                        region_id: region,
                        origin_region_id: Some(o.region.clone()),
                        origin_smart_ag_id: Some(o.id.clone()),
                        target_smart_ag_id: id,
                        user_name: Some(n),
                    };
                    (wrap(r), Error::InstanceNotFound)
                })
                .boxed(),
        );
    }
    for (outcome, cases) in roam_cases(&f) {
        if let (Some(e), Some(s)) = (outcome, choose(cases)) {
            arms.push(s.prop_flat_map(roam_case).prop_map(move |r| (r, e)).boxed());
        }
    }
    Union::new(arms).boxed()
}

// ---------------------------------------------------------------------------------------------
// Delete, enable, disable, reset password
// ---------------------------------------------------------------------------------------------

fn user_ref(place: (Option<String>, Option<String>), name: String) -> ClientUserRefRaw {
    ClientUserRefRaw {
        region_id: place.0,
        smart_ag_id: place.1,
        user_name: Some(name),
    }
}

fn valid_user_ref(
    account: &Account,
    keep: fn(&UserFact) -> bool,
    wrap: fn(ClientUserRefRaw) -> Request,
) -> Option<BoxedStrategy<Request>> {
    facts(account).pick_user(move |_, u| keep(u)).map(|s| {
        s.prop_map(move |(i, u)| wrap(user_ref(i.place(), u.name)))
            .boxed()
    })
}

fn invalid_user_ref(
    account: &Account,
    wrap: fn(ClientUserRefRaw) -> Request,
    delete: bool,
) -> BoxedStrategy<LabelledRequest> {
    let f = facts(account);
    let base = (f.any_place(), texts(valid_user_name()))
        .prop_map(|(place, n)| user_ref(place, n))
        .boxed();
    let mut arms = vec![
        corrupt(&base, bad_region(), |r, v| r.region_id = v, wrap),
        corrupt(&base, bad_id(), |r, v| r.smart_ag_id = v, wrap),
        corrupt(&base, bad_name(), |r, v| r.user_name = v, wrap),
        (f.nowhere(), base.clone())
            .prop_map(move |(place, r)| {
                (
                    wrap(user_ref(place, r.user_name.unwrap_or_default())),
                    Error::InstanceNotFound,
                )
            })
            .boxed(),
    ];
    if let Some(s) = f.pick(|_| true) {
        arms.push(
            s.prop_flat_map(move |i| {
                let place = i.place();
                new_name(&i)
                    .prop_map(move |n| (wrap(user_ref(place.clone(), n)), Error::UserNotFound))
            })
            .boxed(),
        );
    }
    if delete {
        if let Some(s) = f.pick_user(|_, u| u.used) {
            arms.push(
                s.prop_map(move |(i, u)| (wrap(user_ref(i.place(), u.name)), Error::UserInUsing))
                    .boxed(),
            );
        }
    }
    Union::new(arms).boxed()
}

/// Valid `DeleteSmartAccessGatewayClientUser` requests: a user not marked as used this month.
/// `None` when there is none.
pub fn valid_delete_request(account: &Account) -> Option<BoxedStrategy<Request>> {
    valid_user_ref(account, |u| !u.used, Request::DeleteClientUser)
}

/// Invalid `DeleteSmartAccessGatewayClientUser` requests, labelled with the first error: the
/// form errors, `SAG.InstanceNoFound`, `ResourceNotFound.User`, and `ClientUser.UserInUsing`
/// where a user is marked as used this month.
pub fn invalid_delete_request(account: &Account) -> BoxedStrategy<LabelledRequest> {
    invalid_user_ref(account, Request::DeleteClientUser, true)
}

/// Valid `EnableSmartAccessGatewayUser` requests: any user. `None` when there is none.
pub fn valid_enable_request(account: &Account) -> Option<BoxedStrategy<Request>> {
    valid_user_ref(account, |_| true, Request::EnableUser)
}

/// Invalid `EnableSmartAccessGatewayUser` requests, labelled with the first error: the form
/// errors, `SAG.InstanceNoFound`, `ResourceNotFound.User`.
pub fn invalid_enable_request(account: &Account) -> BoxedStrategy<LabelledRequest> {
    invalid_user_ref(account, Request::EnableUser, false)
}

/// Valid `DisableSmartAccessGatewayUser` requests: any user. `None` when there is none.
pub fn valid_disable_request(account: &Account) -> Option<BoxedStrategy<Request>> {
    valid_user_ref(account, |_| true, Request::DisableUser)
}

/// Invalid `DisableSmartAccessGatewayUser` requests, labelled with the first error: the form
/// errors, `SAG.InstanceNoFound`, `ResourceNotFound.User`.
pub fn invalid_disable_request(account: &Account) -> BoxedStrategy<LabelledRequest> {
    invalid_user_ref(account, Request::DisableUser, false)
}

/// Valid `ResetSmartAccessGatewayClientUserPassword` requests: any user, a new password or none
/// (generated). `None` when there is no user.
pub fn valid_reset_password_request(account: &Account) -> Option<BoxedStrategy<Request>> {
    facts(account).pick_user(|_, _| true).map(|s| {
        (s, option::of(password_text()))
            .prop_map(|((i, u), password)| {
                Request::ResetClientUserPassword(ResetPasswordRaw {
                    region_id: Some(i.region),
                    smart_ag_id: Some(i.id),
                    user_name: Some(u.name),
                    password,
                })
            })
            .boxed()
    })
}

/// Invalid `ResetSmartAccessGatewayClientUserPassword` requests, labelled with the first error:
/// the form errors (`ClientUser.PasswordInvalid` for a bad password), `SAG.InstanceNoFound`,
/// `ResourceNotFound.User`.
pub fn invalid_reset_password_request(account: &Account) -> BoxedStrategy<LabelledRequest> {
    let f = facts(account);
    let wrap = Request::ResetClientUserPassword as fn(_) -> _;
    let reset = |place: (Option<String>, Option<String>), n: String, password| ResetPasswordRaw {
        region_id: place.0,
        smart_ag_id: place.1,
        user_name: Some(n),
        password,
    };
    let base = (
        f.any_place(),
        texts(valid_user_name()),
        option::of(password_text()),
    )
        .prop_map(move |(place, n, p)| reset(place, n, p))
        .boxed();
    let mut arms = vec![
        corrupt(&base, bad_region(), |r, v| r.region_id = v, wrap),
        corrupt(&base, bad_id(), |r, v| r.smart_ag_id = v, wrap),
        corrupt(&base, bad_name(), |r, v| r.user_name = v, wrap),
        corrupt(&base, some(invalid_password()), |r, v| r.password = v, wrap),
        (f.nowhere(), base.clone())
            .prop_map(move |((region, id), mut r)| {
                r.region_id = region;
                r.smart_ag_id = id;
                (wrap(r), Error::InstanceNotFound)
            })
            .boxed(),
    ];
    if let Some(s) = f.pick(|_| true) {
        arms.push(
            s.prop_flat_map(move |i| {
                let place = i.place();
                (new_name(&i), option::of(password_text()))
                    .prop_map(move |(n, p)| (wrap(reset(place.clone(), n, p)), Error::UserNotFound))
            })
            .boxed(),
        );
    }
    Union::new(arms).boxed()
}

// ---------------------------------------------------------------------------------------------
// DescribeSmartAccessGatewayClientUsers
// ---------------------------------------------------------------------------------------------

fn describe_filters(inst: &InstFact) -> BoxedStrategy<(Option<String>, Option<String>)> {
    let names: Vec<String> = inst.users.iter().map(|u| u.name.clone()).collect();
    let mails = prop_oneof![Just(String::new()), mail_text()].boxed();
    let name_filter = match choose(names) {
        Some(known) => prop_oneof![known, texts(valid_user_name()), Just(String::new())].boxed(),
        None => prop_oneof![texts(valid_user_name()), Just(String::new())].boxed(),
    };
    (
        option::weighted(0.3, name_filter),
        option::weighted(0.2, mails),
    )
        .boxed()
}

fn describe_raw(
    place: (Option<String>, Option<String>),
    (user_name, user_mail): (Option<String>, Option<String>),
    page_number: Option<String>,
    page_size: Option<String>,
) -> DescribeClientUsersRaw {
    DescribeClientUsersRaw {
        region_id: place.0,
        smart_ag_id: place.1,
        user_name,
        user_mail,
        page_number,
        page_size,
    }
}

fn page_numbers() -> BoxedStrategy<Option<String>> {
    option::of(prop_oneof![1u32..=5, Just(u32::MAX)].prop_map(|n| n.to_string())).boxed()
}

fn page_sizes() -> BoxedStrategy<Option<String>> {
    option::of((1u32..=100).prop_map(|n| n.to_string())).boxed()
}

/// Valid `DescribeSmartAccessGatewayClientUsers` requests: any instance, optional filters, a
/// page number from 1 and a page size from 1 to 100 (or the defaults). `None` when the account
/// has no instance.
pub fn valid_describe_request(account: &Account) -> Option<BoxedStrategy<Request>> {
    facts(account).pick(|_| true).map(|s| {
        s.prop_flat_map(|i| {
            let place = i.place();
            (describe_filters(&i), page_numbers(), page_sizes()).prop_map(move |(f, n, s)| {
                Request::DescribeClientUsers(describe_raw(place.clone(), f, n, s))
            })
        })
        .boxed()
    })
}

/// Invalid `DescribeSmartAccessGatewayClientUsers` requests, labelled with the first error: the
/// form errors of `RegionId` and `SmartAGId`, `InvalidParameter` for a bad `PageNumber` or
/// `PageSize`, `SAG.InstanceNoFound`.
pub fn invalid_describe_request(account: &Account) -> BoxedStrategy<LabelledRequest> {
    let f = facts(account);
    let wrap = Request::DescribeClientUsers as fn(_) -> _;
    let base = (f.any_place(), page_numbers(), page_sizes())
        .prop_map(|(place, n, s)| describe_raw(place, (None, None), n, s))
        .boxed();
    let e = Error::InvalidParameter;
    let bad_page_number = prop_oneof![
        labelled(
            &[
                "0",
                "",
                "-1",
                "+1",
                " 1",
                "1 ",
                "1.0",
                "abc",
                "4294967296",
                "99999999999999999999",
                "１"
            ],
            e
        ),
        label(published("^0{1,4}$"), e),
    ]
    .boxed();
    let bad_page_size = prop_oneof![
        labelled(&["0", "", "-10", "abc", "10.5", " 10", "4294967296"], e),
        label((101u64..=u64::MAX).prop_map(|n| n.to_string()).boxed(), e),
    ]
    .boxed();
    Union::new(vec![
        corrupt(&base, bad_region(), |r, v| r.region_id = v, wrap),
        corrupt(&base, bad_id(), |r, v| r.smart_ag_id = v, wrap),
        corrupt(&base, some(bad_page_number), |r, v| r.page_number = v, wrap),
        corrupt(&base, some(bad_page_size), |r, v| r.page_size = v, wrap),
        (f.nowhere(), base.clone())
            .prop_map(move |((region, id), mut r)| {
                r.region_id = region;
                r.smart_ag_id = id;
                (wrap(r), Error::InstanceNotFound)
            })
            .boxed(),
    ])
    .boxed()
}

// ---------------------------------------------------------------------------------------------
// Setup operations
// ---------------------------------------------------------------------------------------------

/// Valid `CreateSmartAccessGatewaySoftware` requests: a region and a quota from 1. Always
/// `Some` (buying an instance needs nothing of the account).
pub fn valid_create_software_request(_account: &Account) -> Option<BoxedStrategy<Request>> {
    Some(
        (texts(valid_region_id()), 1u32..=10_000)
            .prop_map(|(r, n)| {
                Request::CreateSoftware(CreateSoftwareRaw {
                    region_id: Some(r),
                    user_count: Some(n.to_string()),
                })
            })
            .boxed(),
    )
}

/// Invalid `CreateSmartAccessGatewaySoftware` requests, labelled with the first error:
/// `MissingParameter` (no region or no `UserCount`), `InvalidParameter` (a malformed region, or
/// a `UserCount` that is not a whole number from 1).
pub fn invalid_create_software_request(_account: &Account) -> BoxedStrategy<LabelledRequest> {
    let wrap = Request::CreateSoftware as fn(_) -> _;
    let base = (texts(valid_region_id()), 1u32..=10_000)
        .prop_map(|(r, n)| CreateSoftwareRaw {
            region_id: Some(r),
            user_count: Some(n.to_string()),
        })
        .boxed();
    let bad_count = prop_oneof![
        Just((None, Error::MissingParameter)),
        Just((Some(String::new()), Error::MissingParameter)),
        some(labelled(
            &["0", "-1", "abc", "1.5", " 3", "3 ", "4294967296", "000"],
            Error::InvalidParameter
        )),
    ]
    .boxed();
    Union::new(vec![
        corrupt(&base, bad_region(), |r, v| r.region_id = v, wrap),
        corrupt(&base, bad_count, |r, v| r.user_count = v, wrap),
    ])
    .boxed()
}

fn gateway_raw(place: (Option<String>, Option<String>), cidr_block: Option<String>) -> Request {
    Request::ModifyGateway(ModifyGatewayRaw {
        region_id: place.0,
        smart_ag_id: place.1,
        cidr_block,
    })
}

/// Blocks that overlap none of `avoid`, appended to `keep`, at most ten in all.
fn pool_around(keep: Vec<CidrBlock>, avoid: Vec<CidrBlock>) -> BoxedStrategy<Option<String>> {
    vec(valid_cidr_block(), 0..=4)
        .prop_map(move |extra| {
            let mut blocks = keep.clone();
            for b in extra {
                let clear = !avoid.iter().chain(&blocks).any(|a| a.overlaps(&b));
                if clear && blocks.len() < CidrPool::MAX_BLOCKS {
                    blocks.push(b);
                }
            }
            let texts: Vec<String> = blocks.iter().map(|b| b.to_string()).collect();
            Some(texts.join(",")).filter(|t| !t.is_empty())
        })
        .boxed()
}

/// Valid `ModifySmartAccessGateway` requests: no `CidrBlock` (nothing changes), or a pool that
/// keeps every static user's block and overlaps no pool of a roaming-linked instance. `None`
/// when the account has no instance.
pub fn valid_modify_gateway_request(account: &Account) -> Option<BoxedStrategy<Request>> {
    facts(account).pick(|_| true).map(|s| {
        s.prop_flat_map(|i| {
            let keep: Vec<CidrBlock> = i
                .pool
                .blocks()
                .iter()
                .filter(|b| i.static_ips().iter().any(|ip| b.contains_host(*ip)))
                .copied()
                .collect();
            let place = i.place();
            prop_oneof![1 => Just(None), 4 => pool_around(keep, i.linked_blocks.clone())]
                .prop_map(move |cidr| gateway_raw(place.clone(), cidr))
        })
        .boxed()
    })
}

/// Invalid `ModifySmartAccessGateway` requests, labelled with the first error: the form errors
/// of `RegionId` and `SmartAGId`, every error of a malformed `CidrBlock` (see
/// [`invalid_cidr_pool`]), `SAG.InstanceNoFound`, and where the account allows
/// `SAG.CidrOverlap` (a roaming-linked instance's pool) and `SAG.InvalidCidr` (a static user's
/// address left out).
pub fn invalid_modify_gateway_request(account: &Account) -> BoxedStrategy<LabelledRequest> {
    let f = facts(account);
    let wrap = Request::ModifyGateway as fn(_) -> _;
    let base = (f.any_place(), option::of(texts(valid_cidr_pool())))
        .prop_map(|(place, cidr)| ModifyGatewayRaw {
            region_id: place.0,
            smart_ag_id: place.1,
            cidr_block: cidr,
        })
        .boxed();
    let mut arms = vec![
        corrupt(&base, bad_region(), |r, v| r.region_id = v, wrap),
        corrupt(&base, bad_id(), |r, v| r.smart_ag_id = v, wrap),
        corrupt(
            &base,
            some(invalid_cidr_pool()),
            |r, v| r.cidr_block = v,
            wrap,
        ),
        (f.nowhere(), base.clone())
            .prop_map(|(place, r)| (gateway_raw(place, r.cidr_block), Error::InstanceNotFound))
            .boxed(),
    ];
    if let Some(s) = f.pick(|i| !i.linked_blocks.is_empty()) {
        arms.push(
            s.prop_flat_map(|i| {
                let place = i.place();
                select(i.linked_blocks.clone()).prop_map(move |b| {
                    (
                        gateway_raw(place.clone(), Some(b.to_string())),
                        Error::CidrOverlap,
                    )
                })
            })
            .boxed(),
        );
    }
    if let Some(s) = f.pick(|i| !i.static_ips().is_empty()) {
        arms.push(
            s.prop_flat_map(|i| {
                let place = i.place();
                let ips = i.static_ips();
                let avoid = i.linked_blocks.clone();
                valid_cidr_block()
                    .prop_filter("strands a static user, overlaps no linked pool", move |b| {
                        !avoid.iter().any(|a| a.overlaps(b))
                            && ips.iter().any(|ip| !b.contains_host(*ip))
                    })
                    .prop_map(move |b| {
                        (
                            gateway_raw(place.clone(), Some(b.to_string())),
                            Error::InvalidCidr,
                        )
                    })
            })
            .boxed(),
        );
    }
    Union::new(arms).boxed()
}

/// Flips the case of some letters (codes compare case-insensitively).
fn recase(code: BoxedStrategy<String>) -> BoxedStrategy<String> {
    (code, any::<u8>())
        .prop_map(|(c, mask)| {
            c.chars()
                .enumerate()
                .map(|(i, ch)| {
                    if mask >> (i % 8) & 1 == 1 {
                        if ch.is_ascii_lowercase() {
                            ch.to_ascii_uppercase()
                        } else {
                            ch.to_ascii_lowercase()
                        }
                    } else {
                        ch
                    }
                })
                .collect()
        })
        .boxed()
}

/// Valid `CreateEnterpriseCode` requests: a code the account does not have (in any case).
/// Always `Some`.
pub fn valid_create_enterprise_code_request(account: &Account) -> Option<BoxedStrategy<Request>> {
    let f = facts(account);
    Some(
        (texts(valid_region_id()), f.new_code())
            .prop_map(|(r, c)| {
                Request::CreateEnterpriseCode(CreateEnterpriseCodeRaw {
                    region_id: Some(r),
                    enterprise_code: Some(c),
                })
            })
            .boxed(),
    )
}

/// Invalid `CreateEnterpriseCode` requests, labelled with the first error: the form errors of
/// `RegionId` and `EnterpriseCode` (`MissingParameter`, `InvalidParameter`), and
/// `EnterpriseCode.BeenOccupied` for a code the account has (in any case).
pub fn invalid_create_enterprise_code_request(account: &Account) -> BoxedStrategy<LabelledRequest> {
    let f = facts(account);
    let wrap = Request::CreateEnterpriseCode as fn(_) -> _;
    let base = (texts(valid_region_id()), f.new_code())
        .prop_map(|(r, c)| CreateEnterpriseCodeRaw {
            region_id: Some(r),
            enterprise_code: Some(c),
        })
        .boxed();
    let mut arms = vec![
        corrupt(&base, bad_region(), |r, v| r.region_id = v, wrap),
        corrupt(
            &base,
            or_absent(invalid_enterprise_code(), Error::MissingParameter),
            |r, v| r.enterprise_code = v,
            wrap,
        ),
    ];
    if let Some(codes) = choose(f.codes.iter().map(|c| c.to_string()).collect()) {
        arms.push(
            (texts(valid_region_id()), recase(codes))
                .prop_map(move |(r, c)| {
                    let raw = CreateEnterpriseCodeRaw {
                        region_id: Some(r),
                        enterprise_code: Some(c),
                    };
                    (wrap(raw), Error::EnterpriseCodeBeenOccupied)
                })
                .boxed(),
        );
    }
    Union::new(arms).boxed()
}

fn bind_raw(place: (Option<String>, Option<String>), code: String) -> BindEnterpriseCodeRaw {
    BindEnterpriseCodeRaw {
        region_id: place.0,
        smart_ag_id: place.1,
        enterprise_code: Some(code),
    }
}

/// Valid `UpdateSmartAGEnterpriseCode` requests: an instance and a code of the account (in any
/// case). `None` when the account has no instance or no code.
pub fn valid_bind_enterprise_code_request(account: &Account) -> Option<BoxedStrategy<Request>> {
    let f = facts(account);
    let codes = choose(f.codes.iter().map(|c| c.to_string()).collect())?;
    let insts = f.pick(|_| true)?;
    Some(
        (insts, recase(codes))
            .prop_map(|(i, c)| Request::BindEnterpriseCode(bind_raw(i.place(), c)))
            .boxed(),
    )
}

/// Invalid `UpdateSmartAGEnterpriseCode` requests, labelled with the first error: the form
/// errors of `RegionId`, `SmartAGId` and `EnterpriseCode`, `SAG.InstanceNoFound`, and
/// `EnterpriseCode.NotExist` for a code the account never created.
pub fn invalid_bind_enterprise_code_request(account: &Account) -> BoxedStrategy<LabelledRequest> {
    let f = facts(account);
    let wrap = Request::BindEnterpriseCode as fn(_) -> _;
    let base = (f.any_place(), texts(valid_enterprise_code()))
        .prop_map(|(place, c)| bind_raw(place, c))
        .boxed();
    let mut arms = vec![
        corrupt(&base, bad_region(), |r, v| r.region_id = v, wrap),
        corrupt(&base, bad_id(), |r, v| r.smart_ag_id = v, wrap),
        corrupt(
            &base,
            or_absent(invalid_enterprise_code(), Error::MissingParameter),
            |r, v| r.enterprise_code = v,
            wrap,
        ),
        (f.nowhere(), texts(valid_enterprise_code()))
            .prop_map(move |(place, c)| (wrap(bind_raw(place, c)), Error::InstanceNotFound))
            .boxed(),
    ];
    if let Some(s) = f.pick(|_| true) {
        arms.push(
            (s, f.new_code())
                .prop_map(move |(i, c)| {
                    (wrap(bind_raw(i.place(), c)), Error::EnterpriseCodeNotExist)
                })
                .boxed(),
        );
    }
    Union::new(arms).boxed()
}

// ---------------------------------------------------------------------------------------------
// Any operation
// ---------------------------------------------------------------------------------------------

/// Valid requests of every operation the account admits (there is always one: buying an
/// instance or creating a new enterprise code needs nothing of the account).
pub fn valid_request(account: &Account) -> BoxedStrategy<Request> {
    let arms: Vec<BoxedStrategy<Request>> = [
        valid_create_request(account),
        valid_modify_request(account),
        valid_roam_request(account),
        valid_delete_request(account),
        valid_describe_request(account),
        valid_reset_password_request(account),
        valid_enable_request(account),
        valid_disable_request(account),
        valid_create_software_request(account),
        valid_modify_gateway_request(account),
        valid_create_enterprise_code_request(account),
        valid_bind_enterprise_code_request(account),
    ]
    .into_iter()
    .flatten()
    .collect();
    one_of(arms).unwrap_or_else(|| unreachable!("create software is always valid"))
}

/// Invalid requests of every operation, labelled with the first error
/// [`Account::execute`] must answer.
pub fn invalid_request(account: &Account) -> BoxedStrategy<LabelledRequest> {
    Union::new(vec![
        invalid_create_request(account),
        invalid_modify_request(account),
        invalid_roam_request(account),
        invalid_delete_request(account),
        invalid_describe_request(account),
        invalid_reset_password_request(account),
        invalid_enable_request(account),
        invalid_disable_request(account),
        invalid_create_software_request(account),
        invalid_modify_gateway_request(account),
        invalid_create_enterprise_code_request(account),
        invalid_bind_enterprise_code_request(account),
    ])
    .boxed()
}

/// An [`account_setup`] with a valid request against it.
///
/// ```
/// use proptest::prelude::*;
/// use smartag_rules::strategies::account_and_valid_request;
///
/// proptest!(ProptestConfig::with_cases(32), |((mut account, request) in account_and_valid_request())| {
///     prop_assert!(account.violations(&request).is_empty());
///     prop_assert!(account.execute(&request).is_ok());
///     prop_assert!(account.invariant_violations().is_empty());
/// });
/// ```
pub fn account_and_valid_request() -> BoxedStrategy<(Account, Request)> {
    account_setup()
        .prop_flat_map(|account| {
            let requests = valid_request(&account);
            (Just(account), requests)
        })
        .boxed()
}

/// An [`account_setup`] with an invalid request against it and the first error
/// [`Account::execute`] must answer.
pub fn account_and_invalid_request() -> BoxedStrategy<(Account, Request, Error)> {
    account_setup()
        .prop_flat_map(|account| {
            let requests = invalid_request(&account);
            (Just(account), requests)
        })
        .prop_map(|(account, (request, error))| (account, request, error))
        .boxed()
}
