//! Parsing a create request allocates at most once: the bounded fields keep their text inline,
//! and the mail is on the heap only when it is longer than its inline room (22 bytes).
//!
//! A counting global allocator measures each parse; this test has no harness (`harness = false`)
//! so that no other thread allocates while it counts.

use std::alloc::System;

use smartag_rules::{
    Bandwidth, CidrBlock, ClientIp, CreateClientUserRaw, EnterpriseCode, Password, RegionId,
    SmartAgId, UserMail, UserName,
};
use stats_alloc::{Region, StatsAlloc, INSTRUMENTED_SYSTEM};

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

/// How many allocations `f` makes (its result is dropped outside the count).
fn allocations<T>(f: impl FnOnce() -> T) -> usize {
    let region = Region::new(GLOBAL);
    let value = std::hint::black_box(f());
    let count = region.change().allocations;
    drop(value);
    count
}

fn create(mail: &str) -> CreateClientUserRaw {
    CreateClientUserRaw::default()
        .region_id("ap-southeast-1")
        .smart_ag_id("sag-gnhe6sywtare5")
        .user_name("abcdefghijklmnopqrstuvwxyz0123456")
        .password("abcdefghijklmnopqrstuvwxyz012345")
        .user_mail(mail)
        .bandwidth("20000")
        .client_ip("192.168.255.254")
}

/// How many allocations parsing `s` as a `T` makes; the parse must succeed.
fn parse<T: std::str::FromStr>(s: &str) -> usize {
    allocations(|| {
        let parsed = s.parse::<T>();
        assert!(parsed.is_ok(), "{s:?} refused");
        parsed
    })
}

fn main() {
    let long_mail = format!("{}@example.com", "u".repeat(64));
    let long_id = format!("sag-{}", "a".repeat(60));
    let (short_request, long_request) = (create("username@example.com"), create(&long_mail));
    // (what, allocations expected, allocations measured)
    let cases: [(&str, usize, usize); 12] = [
        (
            "UserName, 33 characters",
            0,
            parse::<UserName>("abcdefghijklmnopqrstuvwxyz0123456"),
        ),
        (
            "Password, 32 characters",
            0,
            parse::<Password>("abcdefghijklmnopqrstuvwxyz012345"),
        ),
        ("SmartAgId, 64 characters", 0, parse::<SmartAgId>(&long_id)),
        (
            "RegionId, 14 characters",
            0,
            parse::<RegionId>("ap-southeast-1"),
        ),
        ("Bandwidth", 0, parse::<Bandwidth>("20000")),
        ("ClientIp", 0, parse::<ClientIp>("192.168.255.254")),
        ("EnterpriseCode", 0, parse::<EnterpriseCode>("AB123")),
        ("CidrBlock", 0, parse::<CidrBlock>("192.168.0.0/16")),
        (
            "UserMail, 22 characters",
            0,
            parse::<UserMail>("user0001@example.co.uk"),
        ),
        ("UserMail, 76 characters", 1, parse::<UserMail>(&long_mail)),
        (
            "create request, 20-character mail",
            0,
            allocations(|| short_request.validate().map_err(|e| panic!("{e}"))),
        ),
        (
            "create request, 76-character mail",
            1,
            allocations(|| long_request.validate().map_err(|e| panic!("{e}"))),
        ),
    ];
    let mut failed = 0;
    for (what, expected, measured) in cases {
        let verdict = if measured == expected { "ok" } else { "FAILED" };
        println!("{what}: {measured} allocation(s), expected {expected}: {verdict}");
        failed += usize::from(measured != expected);
    }
    assert_eq!(failed, 0, "{failed} case(s) allocated other than expected");
}
