//! Valid field values: the text of the published patterns, and values built to obey the
//! rules that a pattern does not capture whole (mail addresses, CIDR blocks and pools).

#[allow(unused_imports)]
use super::*;

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
pub(super) fn published(pattern: &str) -> BoxedStrategy<String> {
    match pattern_text(pattern) {
        Ok(s) => s,
        Err(e) => unreachable!("published PATTERN {pattern} cannot be generated: {e}"),
    }
}

/// Parses the text of a strategy into `T`. The text is meant to be valid by construction, so a
/// refusal would only show up as a proptest "too many local rejects" failure.
pub(super) fn parsed<T: core::str::FromStr + Debug + 'static>(
    text: BoxedStrategy<String>,
    why: &'static str,
) -> BoxedStrategy<T> {
    text.prop_filter_map(why, |s| s.parse().ok()).boxed()
}

pub(super) fn texts<T: ToString + Debug + 'static>(s: BoxedStrategy<T>) -> BoxedStrategy<String> {
    s.prop_map(|v| v.to_string()).boxed()
}

/// A uniform choice among strategies; `None` when there is none.
pub(super) fn one_of<T: Debug + 'static>(arms: Vec<BoxedStrategy<T>>) -> Option<BoxedStrategy<T>> {
    if arms.is_empty() {
        None
    } else {
        Some(Union::new(arms).boxed())
    }
}

/// A uniform choice among values; `None` when there is none.
pub(super) fn choose<T: Clone + Debug + 'static>(values: Vec<T>) -> Option<BoxedStrategy<T>> {
    if values.is_empty() {
        None
    } else {
        Some(select(values).boxed())
    }
}

// ---------------------------------------------------------------------------------------------
// Valid field values
// ---------------------------------------------------------------------------------------------

/// The values of a field type whose `PATTERN` is its whole rule: the pattern's text, parsed.
macro_rules! pattern_values {
    ($T:ident) => {
        parsed(
            published($T::PATTERN),
            concat!(stringify!($T), "::PATTERN text refused"),
        )
    };
}

/// Valid user names, from [`UserName::PATTERN`].
///
#[doc = strategy_example!(valid_user_name, UserName, "name", "prop_assert!((7..=33).contains(&name.as_str().len()));", "prop_assert_eq!(name.to_string().parse::<UserName>(), Ok(name));")]
pub fn valid_user_name() -> BoxedStrategy<UserName> {
    pattern_values!(UserName)
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
    pattern_values!(Password)
}

/// Valid bandwidths (1 to 20000 Kbit/s), from [`Bandwidth::PATTERN`] (whose text may carry
/// leading zeros; the value displays without them).
///
#[doc = strategy_example!(valid_bandwidth, Bandwidth, "bandwidth", "prop_assert!((1..=20000).contains(&bandwidth.get()));", "prop_assert_eq!(bandwidth.to_string().parse::<Bandwidth>(), Ok(bandwidth));")]
pub fn valid_bandwidth() -> BoxedStrategy<Bandwidth> {
    pattern_values!(Bandwidth)
}

/// Valid bandwidths up to `max` Kbit/s (at least 1).
pub(super) fn bandwidth_up_to(max: u32) -> BoxedStrategy<String> {
    (1..=max.clamp(1, 20000))
        .prop_map(|b| b.to_string())
        .boxed()
}

/// A regular-expression character class of exactly `chars` (each escaped).
pub(super) fn class(chars: &[u8]) -> String {
    let escaped: String = chars.iter().map(|&c| format!("\\x{c:02x}")).collect();
    format!("[{escaped}]")
}

/// The bytes of `chars` that are not letters or digits.
pub(super) fn specials(chars: &[u8]) -> Vec<char> {
    chars
        .iter()
        .filter(|c| !c.is_ascii_alphanumeric())
        .map(|&c| char::from(c))
        .collect()
}

/// An atom of a local part: characters of [`UserMail::LOCAL_CHARS`], letters and digits most
/// often.
pub(super) fn mail_atom(max: usize) -> BoxedStrategy<String> {
    let alnum = published(&format!("^{}$", class(ALNUM)));
    let special = select(specials(UserMail::LOCAL_CHARS))
        .prop_map(String::from)
        .boxed();
    let ch = prop_oneof![6 => alnum, 1 => special];
    vec(ch, 1..=max).prop_map(|cs| cs.concat()).boxed()
}

/// A domain label: characters of [`UserMail::LABEL_CHARS`], a letter or digit at each end.
pub(super) fn mail_label(max_middle: usize) -> BoxedStrategy<String> {
    let (end, inner) = (class(ALNUM), class(UserMail::LABEL_CHARS));
    published(&format!("^{end}({inner}{{0,{max_middle}}}{end})?$"))
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
    let long_local = published(&format!(
        "^{}{{{}}}$",
        class(ALNUM),
        UserMail::MAX_LOCAL_LEN
    ));
    let domain = vec(mail_label(16), 2..=4).prop_map(|labels| labels.join("."));
    let long = format!("^{}{{{}}}$", class(ALNUM), UserMail::MAX_LABEL_LEN);
    let long_label =
        (published(&long), mail_label(8)).prop_map(|(long, tld)| format!("{long}.{tld}"));
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
#[doc = strategy_example!(valid_client_ip, ClientIp, "ip", "prop_assert_eq!(ip.to_string().parse::<ClientIp>(), Ok(ip));")]
pub fn valid_client_ip() -> BoxedStrategy<ClientIp> {
    pattern_values!(ClientIp)
}

/// Valid SAG instance IDs, from [`SmartAgId::PATTERN`].
///
#[doc = strategy_example!(valid_smart_ag_id, SmartAgId, "id", "prop_assert!(id.as_str().starts_with(\"sag-\"));", "prop_assert_eq!(id.to_string().parse::<SmartAgId>(), Ok(id));")]
pub fn valid_smart_ag_id() -> BoxedStrategy<SmartAgId> {
    pattern_values!(SmartAgId)
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
    pattern_values!(EnterpriseCode)
}

/// A block inside the private range `range` (one of [`CidrBlock::PRIVATE_RANGES`]) with a
/// prefix from `prefixes`.
pub(super) fn block_in(
    range: Ipv4Net,
    prefixes: core::ops::RangeInclusive<u8>,
) -> BoxedStrategy<CidrBlock> {
    let (base, len) = (u32::from(range.network()), range.prefix_len());
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
    let arms = CidrBlock::PRIVATE_RANGES.map(|range| {
        let shortest = range.prefix_len().max(CidrBlock::MIN_PREFIX);
        block_in(range, shortest..=CidrBlock::MAX_PREFIX)
    });
    Union::new(arms).boxed()
}

/// Keeps the blocks that overlap no block kept before them.
pub(super) fn disjoint(blocks: Vec<CidrBlock>) -> Vec<CidrBlock> {
    let mut kept: Vec<CidrBlock> = Vec::new();
    for b in blocks {
        if !kept.iter().any(|k| k.overlaps(&b)) {
            kept.push(b);
        }
    }
    kept
}

pub(super) fn pool_of(
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
pub(super) fn disjoint_slash24s(
    count: core::ops::RangeInclusive<usize>,
) -> BoxedStrategy<Vec<CidrBlock>> {
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
