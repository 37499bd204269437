//! One whole `CreateSmartAccessGatewayClientUser` request (RegionId, SmartAGId, UserName,
//! Password, UserMail, Bandwidth, ClientIp) validated by this crate
//! (`CreateClientUserRaw::validate`, text to the typed request), and by a `garde` and a
//! `validator` derive over the same text with the same rules as far as each can express them
//! (the published `PATTERN` of each field as a regex compiled once, lengths, the mail and IPv4
//! validators of each crate), all in one run. Each peer is measured twice: over owned `String`
//! fields and over borrowed `&str` fields (as their READMEs show them, and their cheapest: no
//! allocation on their side). Valid input, and one invalid input per parameter.
//!
//! Goal (issue 21): at least 2x faster than the faster peer on the valid request, and faster
//! than every peer on every invalid one, borrowed variant included.
//!
//! ```text
//! cargo bench --bench peers -- --warm-up-time 1 --measurement-time 2
//! ```

use std::hint::black_box;
use std::sync::LazyLock;

use criterion::measurement::WallTime;
use criterion::{criterion_group, criterion_main, BenchmarkGroup, BenchmarkId, Criterion};
use regex::Regex;
use smartag_rules::{Bandwidth, CreateClientUserRaw, Password, RegionId, SmartAgId, UserName};

fn compiled(pattern: &str) -> Regex {
    Regex::new(pattern).expect("published pattern compiles")
}

static REGION: LazyLock<Regex> = LazyLock::new(|| compiled(RegionId::PATTERN));
static ID: LazyLock<Regex> = LazyLock::new(|| compiled(SmartAgId::PATTERN));
static NAME: LazyLock<Regex> = LazyLock::new(|| compiled(UserName::PATTERN));
static PASSWORD: LazyLock<Regex> = LazyLock::new(|| compiled(Password::PATTERN));
static BANDWIDTH: LazyLock<Regex> = LazyLock::new(|| compiled(Bandwidth::PATTERN));

/// Declares the request as a `garde` user and as a `validator` user would write it: one struct
/// with both derives, each reading its own attributes, so that both peers validate the same
/// value. `$text` is the type of a text field, the one thing the two variants change (passed as
/// tokens, not as a `ty`, so that the derives see the `Option` around the optional fields).
macro_rules! peer_request {
    ($(#[$meta:meta])* $name:ident $(<$lt:lifetime>)?, text: $($text:tt)+) => {
        $(#[$meta])*
        #[derive(garde::Validate, validator::Validate)]
        struct $name $(<$lt>)? {
            #[garde(pattern(*REGION))]
            #[validate(regex(path = *REGION))]
            region_id: $($text)+,
            #[garde(pattern(*ID))]
            #[validate(regex(path = *ID))]
            smart_ag_id: $($text)+,
            #[garde(length(min = 7, max = 33), pattern(*NAME))]
            #[validate(length(min = 7, max = 33), regex(path = *NAME))]
            user_name: Option<$($text)+>,
            #[garde(length(min = 8, max = 32), pattern(*PASSWORD))]
            #[validate(length(min = 8, max = 32), regex(path = *PASSWORD))]
            password: Option<$($text)+>,
            #[garde(length(min = 1, max = 254), email)]
            #[validate(length(min = 1, max = 254), email)]
            user_mail: $($text)+,
            #[garde(pattern(*BANDWIDTH))]
            #[validate(regex(path = *BANDWIDTH))]
            bandwidth: Option<$($text)+>,
            #[garde(ipv4)]
            #[validate(ip(v4))]
            client_ip: Option<$($text)+>,
        }
    };
}

peer_request!(
    /// Owned fields: what a request deserialised into `String`s gives the peers.
    PeerOwned, text: String
);
peer_request!(
    /// Borrowed fields (as the peers' READMEs show them): the peers at their cheapest, no
    /// allocation on their side.
    PeerBorrowed<'a>, text: &'a str
);

/// One input: its label and its seven parameters.
struct Input {
    label: &'static str,
    params: [&'static str; 7],
}

/// The seven parameters in the request's order: the label of the input that breaks it, a valid
/// value and the value that breaks it.
const PARAMETERS: [(&str, &str, &str); 7] = [
    ("invalid_region", "cn-shanghai", "Shanghai"),
    ("invalid_id", "sag-gnhe6sywtare5", "sag-ABC"),
    ("invalid_name", "doctest1", "abcdef"),
    ("invalid_password", "duuf1234", "duuf.1234"),
    (
        "invalid_mail",
        "username@example.com",
        "user name@example.com",
    ),
    ("invalid_bandwidth", "2000", "20001"),
    ("invalid_ip", "10.0.0.1", "10.0.XX.XX"),
];

/// The valid request, then the valid request with one parameter broken.
fn inputs() -> Vec<Input> {
    let valid = PARAMETERS.map(|(_, good, _)| good);
    let broken = PARAMETERS.iter().enumerate().map(|(i, &(label, _, bad))| {
        let mut params = valid;
        params[i] = bad;
        Input { label, params }
    });
    std::iter::once(Input {
        label: "valid",
        params: valid,
    })
    .chain(broken)
    .collect()
}

fn raw(p: &[&str; 7]) -> CreateClientUserRaw {
    CreateClientUserRaw::default()
        .region_id(p[0])
        .smart_ag_id(p[1])
        .user_name(p[2])
        .password(p[3])
        .user_mail(p[4])
        .bandwidth(p[5])
        .client_ip(p[6])
}

fn owned(p: &[&str; 7]) -> PeerOwned {
    PeerOwned {
        region_id: p[0].into(),
        smart_ag_id: p[1].into(),
        user_name: Some(p[2].into()),
        password: Some(p[3].into()),
        user_mail: p[4].into(),
        bandwidth: Some(p[5].into()),
        client_ip: Some(p[6].into()),
    }
}

fn borrowed<'a>(p: &[&'a str; 7]) -> PeerBorrowed<'a> {
    PeerBorrowed {
        region_id: p[0],
        smart_ag_id: p[1],
        user_name: Some(p[2]),
        password: Some(p[3]),
        user_mail: p[4],
        bandwidth: Some(p[5]),
        client_ip: Some(p[6]),
    }
}

/// Checks that `validator` (one of the three) agrees that `input` is valid or not, then
/// measures it on `request` as `validator/input`.
fn bench_one<T>(
    group: &mut BenchmarkGroup<'_, WallTime>,
    validator: &str,
    input: &Input,
    request: &T,
    validate: impl Fn(&T) -> bool,
) {
    let valid = input.label == "valid";
    assert_eq!(validate(request), valid, "{}: {validator}", input.label);
    group.bench_with_input(BenchmarkId::new(validator, input.label), request, |b, r| {
        b.iter(|| validate(black_box(r)))
    });
}

/// Measures `garde` and `validator` on one variant of the peers' request.
macro_rules! bench_peers {
    ($group:expr, $input:expr, $request:expr, $variant:literal) => {
        let request = $request;
        bench_one($group, concat!("garde_", $variant), $input, &request, |r| {
            garde::Validate::validate(r).is_ok()
        });
        bench_one(
            $group,
            concat!("validator_", $variant),
            $input,
            &request,
            |r| validator::Validate::validate(r).is_ok(),
        );
    };
}

fn peers(c: &mut Criterion) {
    let mut group = c.benchmark_group("create_request");
    for input in inputs() {
        bench_one(
            &mut group,
            "smartag_rules",
            &input,
            &raw(&input.params),
            |r| r.validate().is_ok(),
        );
        bench_peers!(&mut group, &input, borrowed(&input.params), "borrowed");
        bench_peers!(&mut group, &input, owned(&input.params), "owned");
    }
    group.finish();
}

criterion_group!(benches, peers);
criterion_main!(benches);
