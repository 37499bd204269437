//! Invalid field text, each labelled with the error the field's parser must answer.

#[allow(unused_imports)]
use super::*;
use Arm::{Inserted, Made, Matching, Replaced, Written};

pub(super) fn labelled(texts: &[&str], error: Error) -> BoxedStrategy<Labelled> {
    let pairs: Vec<Labelled> = texts.iter().map(|t| (t.to_string(), error)).collect();
    choose(pairs).unwrap_or_else(|| Just((String::new(), error)).boxed())
}

pub(super) fn label(text: BoxedStrategy<String>, error: Error) -> BoxedStrategy<Labelled> {
    text.prop_map(move |t| (t, error)).boxed()
}

/// One way of an `invalid_*` strategy to make wrong text (each chosen as often as the others).
pub(super) enum Arm {
    /// One of these texts.
    Written(&'static [&'static str]),
    /// Text of this generatable regular expression.
    Matching(&'static str),
    /// Valid text with one of these characters inserted anywhere.
    Inserted(&'static [char]),
    /// Valid text with one character, from this position on, replaced by one of these.
    Replaced(&'static [char], usize),
    /// Text made some other way.
    Made(BoxedStrategy<String>),
}

/// Text of a regular expression made from a field's constants (an [`Arm::Matching`] whose
/// lengths and sets come from the field's one definition).
fn derived(pattern: String) -> Arm {
    Made(published(&pattern))
}

/// An `invalid_*` text strategy: `""` answering `empty`, and the text of every arm answering
/// `e`, `valid` being the field's valid text the arms alter.
fn invalid_text(
    valid: BoxedStrategy<String>,
    (empty, e): (Error, Error),
    arms: Vec<Arm>,
) -> BoxedStrategy<Labelled> {
    let made = arms.into_iter().map(|arm| match arm {
        Arm::Written(texts) => labelled(texts, e),
        Arm::Matching(pattern) => label(published(pattern), e),
        Arm::Inserted(chars) => label(insert_char(valid.clone(), chars), e),
        Arm::Replaced(chars, from) => label(replace_char(valid.clone(), chars, from), e),
        Arm::Made(text) => label(text, e),
    });
    let mut all = vec![Just((String::new(), empty)).boxed()];
    all.extend(made);
    Union::new(all).boxed()
}

/// Replaces the character at a position from `from` on with one of `chars`.
pub(super) fn replace_char(
    valid: BoxedStrategy<String>,
    chars: &[char],
    from: usize,
) -> BoxedStrategy<String> {
    (valid, any::<Index>(), select(chars.to_vec()))
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
pub(super) fn insert_char(
    valid: BoxedStrategy<String>,
    chars: &'static [char],
) -> BoxedStrategy<String> {
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

pub(super) const WHITESPACE: &[char] = &[' ', '\t', '\n', '\r', '\u{a0}', '\u{3000}', '\u{2003}'];
pub(super) const NON_ASCII: &[char] = &[
    'é', 'ü', 'ß', 'ø', '名', '字', 'Ａ', '１', '٣', 'а', 'ο', '😀', '\u{200b}', '\u{301}',
];
// ---------------------------------------------------------------------------------------------
// Invalid field text
// ---------------------------------------------------------------------------------------------

/// Invalid user names, each with the error parsing must give: `""` (`ClientUser.NameEmpty`);
/// too short, too long, a bad first character, a bad character, a non-ASCII character,
/// whitespace anywhere (`ClientUser.NameInvalid`).
///
#[doc = strategy_example!(invalid_user_name, UserName, "(text, code)", "prop_assert_eq!(text.parse::<UserName>(), Err(code));")]
pub fn invalid_user_name() -> BoxedStrategy<Labelled> {
    let (sets, lens) = (
        (UserName::FIRST_CHARS, UserName::REST_CHARS),
        (UserName::MIN_LEN, UserName::MAX_LEN),
    );
    let mut arms = vec![(1, Just((String::new(), Error::NameEmpty)).boxed())];
    arms.extend(invalid_token(
        sets,
        lens,
        texts(valid_user_name()),
        Error::NameInvalid,
    ));
    Union::new_weighted(arms).boxed()
}

/// Invalid text of a token field (`min..=max` characters, the first of `first`, the rest of
/// `rest`, the field's published sets): too short, too long, a bad first character, an ASCII
/// character of neither set, a non-ASCII character, whitespace anywhere; weighted arms.
fn invalid_token(
    (first, rest): (&[u8], &[u8]),
    (min, max): (usize, usize),
    valid: BoxedStrategy<String>,
    e: Error,
) -> Vec<(u32, BoxedStrategy<Labelled>)> {
    let (f, r) = (class(first), class(rest));
    let not_first: Vec<u8> = rest
        .iter()
        .filter(|c| !first.contains(c))
        .copied()
        .collect();
    let foreign: Vec<char> = (0u8..0x80)
        .filter(|b| !rest.contains(b) && !first.contains(b) && !b.is_ascii_alphanumeric())
        .filter(|b| b.is_ascii_punctuation() || *b == 0 || *b == 0x7f)
        .map(char::from)
        .collect();
    [
        label(published(&format!("^{f}{r}{{0,{}}}$", min - 2)), e),
        label(published(&format!("^{f}{r}{{{max},60}}$")), e),
        label(
            published(&format!(
                "^{}{r}{{{},{}}}$",
                class(&not_first),
                min - 1,
                max - 1
            )),
            e,
        ),
        label(replace_char(valid.clone(), &foreign, 0), e),
        label(replace_char(valid.clone(), NON_ASCII, 0), e),
        label(insert_char(valid, WHITESPACE), e),
    ]
    .map(|arm| (2, arm))
    .into()
}

/// Invalid passwords, all `ClientUser.PasswordInvalid`: `""`, too short, too long, a bad first
/// character, a bad character (`.` included), non-ASCII, whitespace.
///
#[doc = strategy_example!(invalid_password, Password, "(text, code)", "prop_assert_eq!(text.parse::<Password>(), Err(code));")]
pub fn invalid_password() -> BoxedStrategy<Labelled> {
    let (sets, lens) = (
        (Password::FIRST_CHARS, Password::REST_CHARS),
        (Password::MIN_LEN, Password::MAX_LEN),
    );
    let valid = valid_password()
        .prop_map(|p| p.expose_secret().to_string())
        .boxed();
    let e = Error::PasswordInvalid;
    let mut arms = vec![(1, Just((String::new(), e)).boxed())];
    arms.extend(invalid_token(sets, lens, valid, e));
    Union::new_weighted(arms).boxed()
}

/// Invalid bandwidth text, all `ClientUser.BandwidthInvalid`: empty, zero, above 20000 (however
/// large), signs, spaces, decimals, letters, non-ASCII digits.
///
#[doc = strategy_example!(invalid_bandwidth, Bandwidth, "(text, code)", "prop_assert_eq!(text.parse::<Bandwidth>(), Err(code));")]
pub fn invalid_bandwidth() -> BoxedStrategy<Labelled> {
    let valid = texts(valid_bandwidth());
    let e = Error::BandwidthInvalid;
    let signed = (select(&["+", "-", " ", "\t"][..]), valid.clone())
        .prop_map(|(p, v)| format!("{p}{v}"))
        .boxed();
    let suffixed = (
        valid.clone(),
        select(&[" ", ".0", ".5", "k", "\n", "Kbps"][..]),
    )
        .prop_map(|(v, s)| format!("{v}{s}"))
        .boxed();
    invalid_text(
        valid,
        (e, e),
        vec![
            Written(&["0", "00000", "20001", "65536", "4294967296", "1e3", "0x10"]),
            Matching("^0{1,8}$"),
            Made((20_001u64..).prop_map(|b| b.to_string()).boxed()),
            Matching("^0{0,3}[1-9][0-9]{20,40}$"),
            Made(signed),
            Made(suffixed),
            Matching("^[A-Za-z]{1,6}$"),
            Replaced(NON_ASCII, 0),
        ],
    )
}

/// Invalid mail addresses: `""` (`ClientUser.EmailEmpty`); no `@`, two `@`, an empty side, a
/// one-label domain, misplaced dots or hyphens, whitespace, a display name, a quoted local part,
/// a domain literal, non-ASCII, a local part over 64, a label over 63 or a domain over 254
/// characters (`ClientUser.EmailInvalid`).
///
#[doc = strategy_example!(invalid_user_mail, UserMail, "(text, code)", "prop_assert_eq!(text.parse::<UserMail>(), Err(code));")]
pub fn invalid_user_mail() -> BoxedStrategy<Labelled> {
    let parts = valid_user_mail()
        .prop_filter_map("mail without @", |m| {
            m.as_str()
                .rsplit_once('@')
                .map(|(l, d)| (l.to_string(), d.to_string()))
        })
        .boxed();
    let with =
        |f: fn(&str, &str) -> String| Made(parts.clone().prop_map(move |(l, d)| f(&l, &d)).boxed());
    let errors = (Error::EmailEmpty, Error::EmailInvalid);
    invalid_text(
        texts(valid_user_mail()),
        errors,
        vec![
            Written(&[
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
            ]),
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
            Inserted(WHITESPACE),
            Replaced(NON_ASCII, 0),
        ],
    )
}

/// The dotted text of `octets`, the one at `at` written by `write`.
fn dotted_with(octets: [u8; 4], at: usize, write: impl Fn(u8) -> String) -> String {
    let parts: Vec<String> = octets
        .iter()
        .enumerate()
        .map(|(i, &x)| if i == at { write(x) } else { x.to_string() })
        .collect();
    parts.join(".")
}

/// Invalid client IP text: `""` (`ClientUser.IpEmpty`); an octet above 255, a leading zero, too
/// few or too many octets, an empty octet, whitespace, letters, IPv6, a prefix, non-ASCII
/// (`ClientUser.IpInvalid`).
///
#[doc = strategy_example!(invalid_client_ip, ClientIp, "(text, code)", "prop_assert_eq!(text.parse::<ClientIp>(), Err(code));")]
pub fn invalid_client_ip() -> BoxedStrategy<Labelled> {
    let octets = any::<[u8; 4]>();
    let valid = texts(valid_client_ip());
    let errors = (Error::IpEmpty, Error::IpInvalid);
    invalid_text(
        valid.clone(),
        errors,
        vec![
            Written(&[
                "::1",
                "fe80::1",
                "localhost",
                "10.0.XX.XX",
                "1.2.3",
                "1.2.3.4.5",
                "...",
                "0x7f.0.0.1",
            ]),
            Made(
                (octets, 0usize..4, 256u32..100_000)
                    .prop_map(|(o, at, big)| dotted_with(o, at, |_| big.to_string()))
                    .boxed(),
            ),
            Made(
                (octets, 0usize..4, select(&["0", "00"][..]))
                    .prop_map(|(o, at, zeros)| dotted_with(o, at, |x| format!("{zeros}{x}")))
                    .boxed(),
            ),
            Made(
                (vec(any::<u8>(), 0..=8).prop_filter("not four octets", |v| v.len() != 4))
                    .prop_map(|v| v.iter().map(u8::to_string).collect::<Vec<_>>().join("."))
                    .prop_filter("not empty", |s| !s.is_empty())
                    .boxed(),
            ),
            Made(
                (valid.clone(), select(&["/24", ".", " ", ":80", "\n"][..]))
                    .prop_map(|(ip, s)| format!("{ip}{s}"))
                    .boxed(),
            ),
            Made(
                (select(&[".", " ", "+", "-", "\t"][..]), valid.clone())
                    .prop_map(|(p, ip)| format!("{p}{ip}"))
                    .boxed(),
            ),
            Made(
                valid
                    .clone()
                    .prop_map(|ip| ip.replacen('.', "..", 1))
                    .boxed(),
            ),
            Replaced(NON_ASCII, 0),
        ],
    )
}

/// Invalid instance IDs: `""` (`SAG.InstanceIdEmpty`); anything else that is not `sag-` and 1
/// to 60 lowercase letters and digits names no instance (`SAG.InstanceNoFound`).
///
#[doc = strategy_example!(invalid_smart_ag_id, SmartAgId, "(text, code)", "prop_assert_eq!(text.parse::<SmartAgId>(), Err(code));")]
pub fn invalid_smart_ag_id() -> BoxedStrategy<Labelled> {
    let errors = (Error::InstanceIdEmpty, Error::InstanceNotFound);
    invalid_text(
        texts(valid_smart_ag_id()),
        errors,
        vec![
            Written(&["sag-", "sag", "SAG-abc", "sag_abc", "sag--abc", "-sag-abc"]),
            Matching("^sag-[a-z0-9]{0,10}[A-Z_.\\-][a-z0-9]{0,10}$"),
            derived(format!(
                "^{}{}{{{},{}}}$",
                SmartAgId::PREFIX,
                class(SmartAgId::SUFFIX_CHARS),
                SmartAgId::MAX_SUFFIX_LEN + 1,
                SmartAgId::MAX_SUFFIX_LEN + 10
            )),
            Matching("^[a-z0-9]{1,20}$"),
            Inserted(WHITESPACE),
            Replaced(NON_ASCII, 4),
        ],
    )
}

/// Invalid region IDs: `""` (`MissingParameter`); anything else malformed
/// (`InvalidParameter`): upper case, no part, a head too short or too long, a part too long,
/// too many parts, an empty part, whitespace, other characters, non-ASCII.
///
#[doc = strategy_example!(invalid_region_id, RegionId, "(text, code)", "prop_assert_eq!(text.parse::<RegionId>(), Err(code));")]
pub fn invalid_region_id() -> BoxedStrategy<Labelled> {
    let errors = (Error::MissingParameter, Error::InvalidParameter);
    let (head, part) = (class(RegionId::HEAD_CHARS), class(RegionId::PART_CHARS));
    let (h0, h1) = (*RegionId::HEAD_LEN.start(), *RegionId::HEAD_LEN.end());
    let (p0, p1) = (*RegionId::PART_LEN.start(), *RegionId::PART_LEN.end());
    let n1 = *RegionId::PARTS.end();
    invalid_text(
        texts(valid_region_id()),
        errors,
        vec![
            Written(&[
                "CN-Shanghai",
                "cn_shanghai",
                "cn--1",
                "cn-",
                "-cn",
                "1n-east",
                "cn-east-",
            ]),
            // No part; a head too short, too long; a part too long; too many parts; upper case.
            derived(format!("^{head}{{{h0},{h1}}}$")),
            derived(format!("^{head}{{0,{}}}-{part}{{{p0},{p1}}}$", h0 - 1)),
            derived(format!(
                "^{head}{{{},{}}}-{part}{{{p0},{p1}}}$",
                h1 + 1,
                h1 + 4
            )),
            derived(format!(
                "^{head}{{{h0},{h1}}}-{part}{{{},{}}}$",
                p1 + 1,
                p1 + 4
            )),
            derived(format!(
                "^{head}{{{h0},{h1}}}(-{part}{{{p0},{p1}}}){{{},{}}}$",
                n1 + 1,
                n1 + 2
            )),
            derived(format!("^[A-Z]{{{h0},{h1}}}-{part}{{{p0},{p1}}}$")),
            Inserted(WHITESPACE),
            Replaced(NON_ASCII, 0),
        ],
    )
}

/// Invalid enterprise codes: `""` (`MissingParameter`); a length other than 5, no letter, no
/// digit, another character, non-ASCII (`InvalidParameter`).
///
#[doc = strategy_example!(invalid_enterprise_code, EnterpriseCode, "(text, code)", "prop_assert_eq!(text.parse::<EnterpriseCode>(), Err(code));")]
pub fn invalid_enterprise_code() -> BoxedStrategy<Labelled> {
    let errors = (Error::MissingParameter, Error::InvalidParameter);
    let (alnum, len) = (class(ALNUM), EnterpriseCode::LEN);
    invalid_text(
        texts(valid_enterprise_code()),
        errors,
        vec![
            // Too short, too long, no letter, no digit.
            derived(format!("^{alnum}{{1,{}}}$", len - 1)),
            derived(format!("^{alnum}{{{},{}}}$", len + 1, len + 7)),
            derived(format!("^{}{{{len}}}$", class(EnterpriseCode::DIGITS))),
            derived(format!("^{}{{{len}}}$", class(EnterpriseCode::LETTERS))),
            Matching("^[A-Za-z0-9]{0,4}[ _.@\\-][A-Za-z0-9]{0,4}$"),
            Replaced(NON_ASCII, 0),
            Replaced(WHITESPACE, 0),
        ],
    )
}

/// Invalid CIDR block text: `""` (`SAG.CidrEmpty`); not `a.b.c.d/n` (`SAG.InvalidCidrFormat`);
/// well-formed but public, with host bits set, or with a prefix outside /8..=/30
/// (`SAG.InvalidCidr`).
///
#[doc = strategy_example!(invalid_cidr_block, CidrBlock, "(text, code)", "prop_assert_eq!(text.parse::<CidrBlock>(), Err(code));")]
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
#[doc = strategy_example!(invalid_cidr_pool, CidrPool, "(text, code)", "prop_assert_eq!(text.parse::<CidrPool>(), Err(code));")]
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
