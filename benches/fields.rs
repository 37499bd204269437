//! Field parsing: the library's validated types beside the obvious alternative a user would
//! write, a `regex` check of the same published pattern (compiled once, outside the timing).
//!
//! Goal (issue 6): `UserName` and `Password` at least 5x faster than the regex baseline, and a
//! 33-character name under 20 ns.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use regex::Regex;
use smartag_rules::{
    Bandwidth, CidrBlock, ClientIp, EnterpriseCode, Password, RegionId, SmartAgId, UserMail,
    UserName,
};

/// One field: its name, its pattern, and the library's parser reduced to "does it parse".
struct Field {
    name: &'static str,
    pattern: &'static str,
    /// The rule alone: `check` where the type has one (no allocation), else `parse`.
    check: fn(&str) -> bool,
    /// Parsing into the owned value (the check plus, for text fields, one allocation).
    parse: fn(&str) -> bool,
    inputs: &'static [(&'static str, &'static str)],
    /// Whether the pattern is the whole rule (else only a necessary shape: `UserMail`'s lengths
    /// and dots, `CidrBlock`'s private ranges and host bits are checked on top).
    exact: bool,
}

const FIELDS: &[Field] = &[
    Field {
        name: "UserName",
        pattern: UserName::PATTERN,
        check: |s| UserName::check(s).is_ok(),
        parse: |s| s.parse::<UserName>().is_ok(),
        inputs: &[
            ("typical", "doctest1"),
            ("max_len_33", "abcdefghijklmnopqrstuvwxyz0123456"),
            ("invalid_tail", "abcdefghijklmnopqrstuvwxyz012345!"),
            ("invalid_first", "_bcdefghijklmnopqrstuvwxyz0123456"),
        ],
        exact: true,
    },
    Field {
        name: "Password",
        pattern: Password::PATTERN,
        check: |s| Password::check(s).is_ok(),
        parse: |s| s.parse::<Password>().is_ok(),
        inputs: &[
            ("typical", "duuf1234"),
            ("max_len_32", "abcdefghijklmnopqrstuvwxyz012345"),
            ("invalid_tail", "abcdefghijklmnopqrstuvwxyz01234."),
        ],
        exact: true,
    },
    Field {
        name: "Bandwidth",
        pattern: Bandwidth::PATTERN,
        check: |s| s.parse::<Bandwidth>().is_ok(),
        parse: |s| s.parse::<Bandwidth>().is_ok(),
        inputs: &[("typical", "2000"), ("max", "20000"), ("invalid", "20001")],
        exact: true,
    },
    Field {
        name: "ClientIp",
        pattern: ClientIp::PATTERN,
        check: |s| s.parse::<ClientIp>().is_ok(),
        parse: |s| s.parse::<ClientIp>().is_ok(),
        inputs: &[
            ("typical", "10.0.0.1"),
            ("max_len", "192.168.255.254"),
            ("invalid", "10.0.XX.XX"),
        ],
        exact: true,
    },
    Field {
        name: "UserMail",
        pattern: UserMail::PATTERN,
        check: |s| UserMail::check(s).is_ok(),
        parse: |s| s.parse::<UserMail>().is_ok(),
        inputs: &[
            ("typical", "username@example.com"),
            ("long", "first.last+tag@mail.subdomain.example.com"),
            ("invalid", "username@localhost"),
        ],
        exact: false,
    },
    Field {
        name: "CidrBlock",
        pattern: CidrBlock::PATTERN,
        check: |s| s.parse::<CidrBlock>().is_ok(),
        parse: |s| s.parse::<CidrBlock>().is_ok(),
        inputs: &[("typical", "10.0.0.0/24"), ("invalid", "10.0.0.1/24")],
        exact: false,
    },
    Field {
        name: "SmartAgId",
        pattern: SmartAgId::PATTERN,
        check: |s| SmartAgId::check(s).is_ok(),
        parse: |s| s.parse::<SmartAgId>().is_ok(),
        inputs: &[
            ("typical", "sag-gnhe6sywtare5"),
            ("invalid", "sag-GNHE6SYWTARE5"),
        ],
        exact: true,
    },
    Field {
        name: "RegionId",
        pattern: RegionId::PATTERN,
        check: |s| RegionId::check(s).is_ok(),
        parse: |s| s.parse::<RegionId>().is_ok(),
        inputs: &[("typical", "ap-southeast-1"), ("invalid", "ap_southeast_1")],
        exact: true,
    },
    Field {
        name: "EnterpriseCode",
        pattern: EnterpriseCode::PATTERN,
        check: |s| EnterpriseCode::check(s).is_ok(),
        parse: |s| s.parse::<EnterpriseCode>().is_ok(),
        inputs: &[("typical", "AB123"), ("invalid", "ABCDE")],
        exact: true,
    },
];

fn fields(c: &mut Criterion) {
    for field in FIELDS {
        let regex = match Regex::new(field.pattern) {
            Ok(regex) => regex,
            Err(e) => panic!("{}::PATTERN does not compile: {e}", field.name),
        };
        let mut group = c.benchmark_group(field.name);
        for &(label, input) in field.inputs {
            if field.exact {
                assert_eq!(
                    (field.check)(input),
                    regex.is_match(input),
                    "{} {label}: library and regex disagree on {input:?}",
                    field.name
                );
            }
            group.bench_with_input(BenchmarkId::new("library_check", label), input, |b, s| {
                b.iter(|| (field.check)(black_box(s)))
            });
            group.bench_with_input(BenchmarkId::new("library_parse", label), input, |b, s| {
                b.iter(|| (field.parse)(black_box(s)))
            });
            group.bench_with_input(BenchmarkId::new("regex", label), input, |b, s| {
                b.iter(|| regex.is_match(black_box(s)))
            });
        }
        group.finish();
    }
}

criterion_group!(benches, fields);
criterion_main!(benches);
