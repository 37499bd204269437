//! What the benches on a filled account share: fixture values, the names of the users they
//! create, and the two instances every bench account starts with.

use smartag_rules::InstanceSpec;

/// The region and ID of the instance holding the users.
pub const ORIGIN: (&str, &str) = ("cn-shanghai", "sag-origin");
/// The region and ID of the instance (in another region) taking the roaming copies.
pub const TARGET: (&str, &str) = ("ap-southeast-1", "sag-target");

/// A fixture value parsed; one that does not parse stops the bench.
pub fn parse<T: std::str::FromStr>(s: &str) -> T
where
    T::Err: std::fmt::Debug,
{
    match s.parse() {
        Ok(v) => v,
        Err(e) => panic!("bench fixture {s:?}: {e:?}"),
    }
}

/// The name of user `i`: `user0000000`, `user0000001`...
pub fn name(i: u32) -> String {
    format!("user{i:07}")
}

/// The origin instance with room for `origin_quota` users and the target with room for
/// `target_quota`, each with an address pool of its own.
pub fn specs(origin_quota: u32, target_quota: u32) -> [InstanceSpec; 2] {
    [
        InstanceSpec::app(parse(ORIGIN.1), parse(ORIGIN.0))
            .quota(origin_quota)
            .pool(parse("10.0.0.0/8")),
        InstanceSpec::app(parse(TARGET.1), parse(TARGET.0))
            .quota(target_quota)
            .pool(parse("192.168.0.0/16")),
    ]
}
