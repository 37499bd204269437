//! One whole `CreateSmartAccessGatewayClientUser` request (RegionId, SmartAGId, UserName,
//! Password, UserMail, Bandwidth, ClientIp) validated three ways in one run: by this crate
//! (`CreateClientUserRaw::validate`, text to the typed request), and by a `garde` and a
//! `validator` derive over the same text with the same rules as far as each can express them
//! (the published `PATTERN` of each field as a regex compiled once, lengths, the mail and IPv4
//! validators of each crate). Valid input, and one invalid input per parameter.
//!
//! Goal (issue 13): at least 2x faster than the faster peer on the valid request, and faster
//! than both on every invalid one.
//!
//! ```text
//! cargo bench --bench peers -- --warm-up-time 1 --measurement-time 2
//! ```

use std::hint::black_box;
use std::sync::LazyLock;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
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

/// The request as a `garde` user would declare it.
#[derive(garde::Validate)]
struct GardeCreate {
    #[garde(pattern(*REGION))]
    region_id: String,
    #[garde(pattern(*ID))]
    smart_ag_id: String,
    #[garde(length(min = 7, max = 33), pattern(*NAME))]
    user_name: Option<String>,
    #[garde(length(min = 8, max = 32), pattern(*PASSWORD))]
    password: Option<String>,
    #[garde(length(min = 1, max = 254), email)]
    user_mail: String,
    #[garde(pattern(*BANDWIDTH))]
    bandwidth: Option<String>,
    #[garde(ipv4)]
    client_ip: Option<String>,
}

/// The request as a `validator` user would declare it.
#[derive(validator::Validate)]
struct ValidatorCreate {
    #[validate(regex(path = *REGION))]
    region_id: String,
    #[validate(regex(path = *ID))]
    smart_ag_id: String,
    #[validate(length(min = 7, max = 33), regex(path = *NAME))]
    user_name: Option<String>,
    #[validate(length(min = 8, max = 32), regex(path = *PASSWORD))]
    password: Option<String>,
    #[validate(length(min = 1, max = 254), email)]
    user_mail: String,
    #[validate(regex(path = *BANDWIDTH))]
    bandwidth: Option<String>,
    #[validate(ip(v4))]
    client_ip: Option<String>,
}

/// One input: its label and its seven parameters.
struct Input {
    label: &'static str,
    params: [&'static str; 7],
}

const VALID: [&str; 7] = [
    "cn-shanghai",
    "sag-gnhe6sywtare5",
    "doctest1",
    "duuf1234",
    "username@example.com",
    "2000",
    "10.0.0.1",
];

/// The valid request, then the valid request with one parameter broken.
fn inputs() -> Vec<Input> {
    let broken: [(&str, usize, &str); 7] = [
        ("invalid_region", 0, "Shanghai"),
        ("invalid_id", 1, "sag-ABC"),
        ("invalid_name", 2, "abcdef"),
        ("invalid_password", 3, "duuf.1234"),
        ("invalid_mail", 4, "user name@example.com"),
        ("invalid_bandwidth", 5, "20001"),
        ("invalid_ip", 6, "10.0.XX.XX"),
    ];
    let mut all = vec![Input {
        label: "valid",
        params: VALID,
    }];
    all.extend(broken.iter().map(|&(label, i, bad)| {
        let mut params = VALID;
        params[i] = bad;
        Input { label, params }
    }));
    all
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

fn garde_of(p: &[&str; 7]) -> GardeCreate {
    GardeCreate {
        region_id: p[0].into(),
        smart_ag_id: p[1].into(),
        user_name: Some(p[2].into()),
        password: Some(p[3].into()),
        user_mail: p[4].into(),
        bandwidth: Some(p[5].into()),
        client_ip: Some(p[6].into()),
    }
}

fn validator_of(p: &[&str; 7]) -> ValidatorCreate {
    ValidatorCreate {
        region_id: p[0].into(),
        smart_ag_id: p[1].into(),
        user_name: Some(p[2].into()),
        password: Some(p[3].into()),
        user_mail: p[4].into(),
        bandwidth: Some(p[5].into()),
        client_ip: Some(p[6].into()),
    }
}

fn peers(c: &mut Criterion) {
    let mut group = c.benchmark_group("create_request");
    for input in inputs() {
        let (ours, garde_req, validator_req) = (
            raw(&input.params),
            garde_of(&input.params),
            validator_of(&input.params),
        );
        // All three agree on which inputs are valid.
        let valid = input.label == "valid";
        assert_eq!(
            ours.validate().is_ok(),
            valid,
            "{}: smartag-rules",
            input.label
        );
        assert_eq!(
            garde::Validate::validate(&garde_req).is_ok(),
            valid,
            "{}: garde",
            input.label
        );
        assert_eq!(
            validator::Validate::validate(&validator_req).is_ok(),
            valid,
            "{}: validator",
            input.label
        );
        group.bench_with_input(
            BenchmarkId::new("smartag_rules", input.label),
            &ours,
            |b, r| b.iter(|| black_box(r).validate().is_ok()),
        );
        group.bench_with_input(
            BenchmarkId::new("garde", input.label),
            &garde_req,
            |b, r| b.iter(|| garde::Validate::validate(black_box(r)).is_ok()),
        );
        group.bench_with_input(
            BenchmarkId::new("validator", input.label),
            &validator_req,
            |b, r| b.iter(|| validator::Validate::validate(black_box(r)).is_ok()),
        );
    }
    group.finish();
}

criterion_group!(benches, peers);
criterion_main!(benches);
