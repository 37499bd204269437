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
    /// Whether the pattern is the whole rule (else only a necessary shape: `UserMail`'s lengths
    /// and dots, `CidrBlock`'s private ranges and host bits are checked on top).
    exact: bool,
    inputs: &'static [(&'static str, &'static str)],
}

/// The table of fields, [`FIELDS`], one row a type: `check` when the type has a `check` of its
/// own (else the rule alone is parsing too), `exact` when its pattern is the whole rule (else
/// `shape`), then its inputs by label.
macro_rules! fields {
    (@check $ty:ident check) => { |s| $ty::check(s).is_ok() };
    (@check $ty:ident parse) => { |s| s.parse::<$ty>().is_ok() };
    (@exact exact) => { true };
    (@exact shape) => { false };
    ($($ty:ident: $check:ident, $pattern:ident { $($label:ident: $input:literal),+ $(,)? })+) => {
        const FIELDS: &[Field] = &[$(
            Field {
                name: stringify!($ty),
                pattern: $ty::PATTERN,
                check: fields!(@check $ty $check),
                parse: |s| s.parse::<$ty>().is_ok(),
                exact: fields!(@exact $pattern),
                inputs: &[$((stringify!($label), $input)),+],
            }
        ),+];
    };
}

fields! {
    UserName: check, exact {
        typical: "doctest1",
        max_len_33: "abcdefghijklmnopqrstuvwxyz0123456",
        invalid_tail: "abcdefghijklmnopqrstuvwxyz012345!",
        invalid_first: "_bcdefghijklmnopqrstuvwxyz0123456",
    }
    Password: check, exact {
        typical: "duuf1234",
        max_len_32: "abcdefghijklmnopqrstuvwxyz012345",
        invalid_tail: "abcdefghijklmnopqrstuvwxyz01234.",
    }
    Bandwidth: parse, exact { typical: "2000", max: "20000", invalid: "20001" }
    ClientIp: parse, exact {
        typical: "10.0.0.1",
        max_len: "192.168.255.254",
        invalid: "10.0.XX.XX",
    }
    UserMail: check, shape {
        typical: "username@example.com",
        long: "first.last+tag@mail.subdomain.example.com",
        invalid: "username@localhost",
    }
    CidrBlock: parse, shape { typical: "10.0.0.0/24", invalid: "10.0.0.1/24" }
    SmartAgId: check, exact { typical: "sag-gnhe6sywtare5", invalid: "sag-GNHE6SYWTARE5" }
    RegionId: check, exact { typical: "ap-southeast-1", invalid: "ap_southeast_1" }
    EnterpriseCode: check, exact { typical: "AB123", invalid: "ABCDE" }
}

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
