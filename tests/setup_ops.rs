//! Unit tests of the setup operations of `RULES.md` ("Setup operations"; the error rows in
//! `cases/setup.cases`) (CreateSmartAccessGatewaySoftware,
//! ModifySmartAccessGateway's `CidrBlock`, CreateEnterpriseCode, UpdateSmartAGEnterpriseCode)
//! and of the Rust setup API beside them (`add_instance`, `set_quota`, `set_max_bandwidth`,
//! `set_cidr_pool`, `create_enterprise_code`, `bind_enterprise_code`, `mark_used_this_month`).
//!
//! Raw requests go through `common::fails` / `common::ok` (execute and the typed path agree,
//! failures change nothing, `violations` starts with the answered error); the typed setup
//! methods are checked with [`refused`], which compares the whole account before and after.

mod common;

use common::*;
use smartag_rules::{
    Account, BindEnterpriseCode, CidrPool, CreateEnterpriseCode, CreateSoftwareRaw, Error,
    InstanceKind, InstanceSpec, Request, SetupError, SmartAgId,
};

/// Seed 5:
/// - `sag-app1` (Shanghai): quota 5, pool 10.0.0.0/24, static user `static01` at 10.0.0.100
///   and user `dynamic1` without a static address;
/// - `sag-empty` (Shanghai): quota 5, no block, no user;
/// - `sag-bj1` (Beijing): quota 5, pool 10.1.0.0/24.
fn account() -> Account {
    let mut a = Account::with_seed(5);
    add(&mut a, app("sag-app1", SH, 5, "10.0.0.0/24"));
    add(&mut a, app("sag-empty", SH, 5, ""));
    add(&mut a, app("sag-bj1", BJ, 5, "10.1.0.0/24"));
    add_static_user(&mut a, SH, "sag-app1", "static01", "10.0.0.100");
    add_user(&mut a, SH, "sag-app1", "dynamic1");
    a
}

/// A typed setup call fails with `expected` and leaves the account equal to its clone.
#[track_caller]
fn refused(a: &mut Account, expected: Error, call: impl FnOnce(&mut Account) -> Result<(), Error>) {
    let before = a.clone();
    assert_eq!(call(a), Err(expected));
    assert!(*a == before, "the refused call changed the account");
}

fn gw(region_id: &str, id: &str, cidr: &str) -> Request {
    Request::ModifyGateway(gateway(region_id, id, Some(cidr)))
}

fn pool_of(a: &Account, region_id: &str, id: &str) -> String {
    instance(a, region_id, id).pool().to_string()
}

/// `n` disjoint /24 blocks 10.50.0.0/24, 10.50.1.0/24, ...
fn blocks(n: usize) -> String {
    let list: Vec<String> = (0..n).map(|i| format!("10.50.{i}.0/24")).collect();
    list.join(",")
}

// =============================================================================================
// The case table: the setup operations' errors, one rule and one precedence pair at a time
// =============================================================================================

case_table!("setup.cases", include_str!("cases/setup.cases"), rows: 117);

// =============================================================================================
// CreateSmartAccessGatewaySoftware
// =============================================================================================

fn buy(seed: u64, user_count: &str) -> (Account, SmartAgId) {
    let mut a = Account::with_seed(seed);
    let id = created_id(ok(
        &mut a,
        &Request::CreateSoftware(software(SH, user_count)),
    ));
    (a, id)
}

#[test]
fn create_software_makes_an_app_instance_without_a_block() {
    let (mut a, id) = buy(1, "3");
    let suffix = id.as_str().strip_prefix("sag-").expect("sag- prefix");
    assert_eq!(suffix.len(), 18);
    assert!(suffix
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()));
    let inst = instance(&a, SH, id.as_str());
    assert_eq!(inst.region().as_str(), SH);
    assert_eq!(inst.kind(), InstanceKind::App);
    assert!(inst.accepts_client_users());
    assert_eq!(inst.quota(), 3);
    assert!(inst.pool().is_empty());
    assert_eq!(inst.max_bandwidth().get(), 20000);
    assert_eq!(inst.enterprise_code(), None);
    assert_eq!(inst.user_count(), 0);
    // Not found from another region.
    assert!(a.instance(&region(BJ), &id).is_none());
    // It holds no user until it has a block.
    let first = Request::CreateClientUser(create(SH, id.as_str(), "doctest1"));
    fails_with(&mut a, &first, &[Error::CidrEmpty]);
    done(ok(&mut a, &gw(SH, id.as_str(), "192.168.0.0/24")));
    ok(&mut a, &first);
    // The quota is the UserCount.
    add_user(&mut a, SH, id.as_str(), "doctest2");
    add_user(&mut a, SH, id.as_str(), "doctest3");
    fails_with(
        &mut a,
        &Request::CreateClientUser(create(SH, id.as_str(), "doctest4")),
        &[Error::UserOverLimit],
    );
}

#[test]
fn create_software_ids_are_deterministic_and_distinct() {
    let (_, first) = buy(1, "5");
    assert_eq!(buy(1, "5").1, first);
    assert_ne!(buy(2, "5").1, first);
    // Several in one account are distinct, in any region.
    let mut a = Account::with_seed(1);
    let mut ids = Vec::new();
    for r in [SH, SH, BJ, SG] {
        ids.push(created_id(ok(
            &mut a,
            &Request::CreateSoftware(software(r, "1")),
        )));
    }
    assert_eq!(ids[0], first);
    for (i, x) in ids.iter().enumerate() {
        assert!(!ids[i + 1..].contains(x), "{x} twice");
    }
    assert_eq!(a.instances().count(), 4);
}

#[test]
fn create_software_user_count_bounds() {
    let (a, id) = buy(1, "1");
    assert_eq!(instance(&a, SH, id.as_str()).quota(), 1);
    let (a, id) = buy(1, "4294967295");
    assert_eq!(instance(&a, SH, id.as_str()).quota(), u32::MAX);
}

/// `software(SH, "5")` with one parameter set (`None`: absent).
fn software_with(name: &str, value: Option<&str>) -> CreateSoftwareRaw {
    let mut raw = software(SH, "5");
    let field = match name {
        "RegionId" => &mut raw.region_id,
        "UserCount" => &mut raw.user_count,
        "Period" => &mut raw.period,
        "AutoPay" => &mut raw.auto_pay,
        "ChargeType" => &mut raw.charge_type,
        "DataPlan" => &mut raw.data_plan,
        other => panic!("no parameter {other}"),
    };
    *field = value.map(str::to_owned);
    raw
}

/// The six parameters in the order they are checked.
const SOFTWARE_PARAMETERS: [&str; 6] = [
    "RegionId",
    "UserCount",
    "Period",
    "AutoPay",
    "ChargeType",
    "DataPlan",
];

#[test]
fn create_software_each_parameter_absent_or_empty_is_missing() {
    let mut a = account();
    for name in SOFTWARE_PARAMETERS {
        for value in [None, Some("")] {
            fails_with(
                &mut a,
                &Request::CreateSoftware(software_with(name, value)),
                &[Error::MissingParameter],
            );
        }
    }
}

#[test]
fn create_software_checks_in_the_order_of_the_api_model() {
    let mut a = account();
    // Each parameter broken together with every later one: the earlier is answered first, and
    // all are listed in order.
    let broken = |name: &str| match name {
        "RegionId" | "UserCount" | "ChargeType" | "DataPlan" => None,
        _ => Some("x"),
    };
    for (i, first) in SOFTWARE_PARAMETERS.iter().enumerate() {
        for later in &SOFTWARE_PARAMETERS[i + 1..] {
            let mut raw = software_with(first, broken(first));
            let value = broken(later);
            let second = software_with(later, value);
            match *later {
                "UserCount" => raw.user_count = second.user_count,
                "Period" => raw.period = second.period,
                "AutoPay" => raw.auto_pay = second.auto_pay,
                "ChargeType" => raw.charge_type = second.charge_type,
                "DataPlan" => raw.data_plan = second.data_plan,
                other => panic!("{other} is never later"),
            }
            let code = |v: Option<&str>| match v {
                None => Error::MissingParameter,
                Some(_) => Error::InvalidParameter,
            };
            fails_with(
                &mut a,
                &Request::CreateSoftware(raw),
                &[code(broken(first)), code(value)],
            );
        }
    }
}

#[test]
fn create_software_typed_path_buys_nothing_on_invalid_input() {
    let mut a = account();
    assert_eq!(
        software_with("Period", Some("13")).validate(),
        Err(Error::InvalidParameter)
    );
    assert_eq!(
        software_with("UserCount", Some("0")).validate(),
        Err(Error::InvalidParameter)
    );
    let before = a.clone();
    let id = a.create_software(software(SH, "5").validate().unwrap());
    assert_ne!(a, before);
    assert_eq!(instance(&a, SH, id.as_str()).quota(), 5);
}

// =============================================================================================
// ModifySmartAccessGateway (CidrBlock)
// =============================================================================================

#[test]
fn modify_gateway_replaces_the_pool() {
    let mut a = account();
    done(ok(
        &mut a,
        &gw(SH, "sag-app1", "10.0.0.0/24,172.16.0.0/12,192.168.1.0/30"),
    ));
    assert_eq!(
        pool_of(&a, SH, "sag-app1"),
        "10.0.0.0/24,172.16.0.0/12,192.168.1.0/30"
    );
    // The users stay.
    assert_eq!(names(&a, SH, "sag-app1"), ["static01", "dynamic1"]);
    // A first pool for an instance that had none.
    done(ok(&mut a, &gw(SH, "sag-empty", "10.9.0.0/16")));
    assert_eq!(pool_of(&a, SH, "sag-empty"), "10.9.0.0/16");
    // Without CidrBlock nothing changes.
    let before = a.clone();
    done(ok(
        &mut a,
        &Request::ModifyGateway(gateway(SH, "sag-app1", None)),
    ));
    assert_eq!(a, before);
}

#[test]
fn modify_gateway_ten_blocks_but_not_eleven() {
    let mut a = account();
    done(ok(&mut a, &gw(SH, "sag-empty", &blocks(10))));
    assert_eq!(instance(&a, SH, "sag-empty").pool().len(), 10);
    assert_eq!(CidrPool::MAX_BLOCKS, 10);
    fails_with(
        &mut a,
        &gw(SH, "sag-empty", &blocks(11)),
        &[Error::InvalidCidr],
    );
    assert_eq!(pool_of(&a, SH, "sag-empty"), blocks(10));
}

#[test]
fn modify_gateway_keeps_static_users_inside() {
    let mut a = account();
    // static01 holds 10.0.0.100.
    for stranding in [
        "10.0.1.0/24",    // elsewhere
        "10.0.0.0/26",    // a smaller block that misses it
        "10.0.0.100/30",  // its address becomes the network address
        "10.0.0.96/30",   // its address becomes the broadcast address
        "192.168.0.0/16", // another private range
    ] {
        fails_with(
            &mut a,
            &gw(SH, "sag-app1", stranding),
            &[Error::InvalidCidr],
        );
        let before = a.clone();
        assert_eq!(
            a.set_cidr_pool(&region(SH), &sag("sag-app1"), pool(stranding)),
            Err(Error::InvalidCidr)
        );
        assert_eq!(a, before);
    }
    // Pools that keep it a usable host are fine (users without a static address do not pin
    // the pool).
    for keeping in [
        "10.0.0.96/29",
        "10.0.0.0/25",
        "10.0.0.0/16",
        "192.168.0.0/16,10.0.0.64/26",
    ] {
        done(ok(&mut a, &gw(SH, "sag-app1", keeping)));
        assert_eq!(pool_of(&a, SH, "sag-app1"), keeping);
    }
    // Once the static user is gone, the pool is free to move.
    ok(
        &mut a,
        &Request::DeleteClientUser(user_ref(SH, "sag-app1", "static01")),
    );
    done(ok(&mut a, &gw(SH, "sag-app1", "10.0.1.0/24")));
}

// =============================================================================================
// CreateEnterpriseCode
// =============================================================================================

fn codes(a: &Account) -> Vec<String> {
    a.enterprise_codes().map(|c| c.to_string()).collect()
}

#[test]
fn create_enterprise_code_and_been_occupied() {
    let mut a = account();
    done(ok(
        &mut a,
        &Request::CreateEnterpriseCode(new_code(SH, "AB123")),
    ));
    assert_eq!(codes(&a), ["AB123"]);
    // Unique in the account, case-insensitively, whatever the region of the request.
    for again in ["AB123", "ab123", "aB123"] {
        fails_with(
            &mut a,
            &Request::CreateEnterpriseCode(new_code(SH, again)),
            &[Error::EnterpriseCodeBeenOccupied],
        );
        fails_with(
            &mut a,
            &Request::CreateEnterpriseCode(new_code(BJ, again)),
            &[Error::EnterpriseCodeBeenOccupied],
        );
    }
    done(ok(
        &mut a,
        &Request::CreateEnterpriseCode(new_code(BJ, "1a2b3")),
    ));
    // In creation order.
    assert_eq!(codes(&a), ["AB123", "1a2b3"]);
    // A code bound at instance creation occupies it too.
    add(
        &mut a,
        app("sag-coded", SG, 5, "10.2.0.0/24").enterprise_code(code("ZZ999")),
    );
    fails_with(
        &mut a,
        &Request::CreateEnterpriseCode(new_code(SG, "zz999")),
        &[Error::EnterpriseCodeBeenOccupied],
    );
    // The typed method.
    let create = |c: &str| CreateEnterpriseCode::new(region(SH), code(c));
    refused(&mut a, Error::EnterpriseCodeBeenOccupied, |a| {
        a.create_enterprise_code(create("ab123"))
    });
    assert_eq!(a.create_enterprise_code(create("QQ111")), Ok(()));
}

// =============================================================================================
// UpdateSmartAGEnterpriseCode
// =============================================================================================

#[test]
fn bind_enterprise_code_sets_and_replaces_the_code() {
    let mut a = account();
    for c in ["AB123", "CD456"] {
        ok(&mut a, &Request::CreateEnterpriseCode(new_code(SH, c)));
    }
    // Then case-insensitively the same code (one code may be bound to several instances), and
    // another code in place of the first.
    let binds = [
        (SH, "sag-app1", "AB123", "AB123"),
        (BJ, "sag-bj1", "ab123", "AB123"),
        (SH, "sag-app1", "CD456", "CD456"),
    ];
    for (r, id, given, bound) in binds {
        done(ok(&mut a, &Request::BindEnterpriseCode(bind(r, id, given))));
        assert_eq!(instance(&a, r, id).enterprise_code(), Some(&code(bound)));
    }
    // Other instances are untouched.
    assert_eq!(instance(&a, SH, "sag-empty").enterprise_code(), None);
}

#[test]
fn bind_enterprise_code_typed_errors() {
    let mut a = account();
    ok(
        &mut a,
        &Request::CreateEnterpriseCode(new_code(SH, "AB123")),
    );
    let bind = |r: &str, c: &str| BindEnterpriseCode::new(region(r), sag("sag-app1"), code(c));
    refused(&mut a, Error::EnterpriseCodeNotExist, |a| {
        a.bind_enterprise_code(bind(SH, "ZZ999"))
    });
    refused(&mut a, Error::InstanceNotFound, |a| {
        a.bind_enterprise_code(bind(BJ, "AB123"))
    });
}

// =============================================================================================
// The Rust setup API
// =============================================================================================

#[test]
fn add_instance_refuses_a_known_id() {
    let mut a = account();
    let before = a.clone();
    // Instance IDs are unique in the account, across regions.
    for spec in [
        app("sag-app1", SH, 9, "10.7.0.0/24"),
        app("sag-app1", BJ, 9, ""),
        InstanceSpec::hardware(sag("sag-bj1"), region(SG)),
    ] {
        let id = spec.id.clone();
        assert_eq!(
            a.add_instance(spec).map(|_| ()),
            Err(SetupError::DuplicateInstance(id))
        );
        assert_eq!(a, before);
    }
}

#[test]
fn add_instance_defaults() {
    let mut a = Account::new();
    let spec = InstanceSpec::app(sag("sag-new"), region(SH));
    assert_eq!(spec.quota, InstanceSpec::DEFAULT_QUOTA);
    let inst = a.add_instance(spec).unwrap();
    assert_eq!(inst.kind(), InstanceKind::App);
    assert_eq!(inst.max_bandwidth().get(), 20000);
    assert!(inst.pool().is_empty());
    let hw = a
        .add_instance(InstanceSpec::hardware(sag("sag-hw"), region(SH)))
        .unwrap();
    assert_eq!(hw.kind(), InstanceKind::Hardware);
    assert!(!hw.accepts_client_users());
}

#[test]
fn set_quota() {
    let mut a = account();
    let (sh, app1) = (region(SH), sag("sag-app1"));
    // Two users: a quota of 2 is fine, 1 is not.
    refused(&mut a, Error::UserOverLimit, |a| a.set_quota(&sh, &app1, 1));
    refused(&mut a, Error::UserOverLimit, |a| a.set_quota(&sh, &app1, 0));
    assert_eq!(a.set_quota(&sh, &app1, 2), Ok(()));
    assert!(instance(&a, SH, "sag-app1").is_full());
    fails_with(
        &mut a,
        &Request::CreateClientUser(create(SH, "sag-app1", "third001")),
        &[Error::UserOverLimit],
    );
    refused(&mut a, Error::InstanceNotFound, |a| {
        a.set_quota(&region(BJ), &app1, 10)
    });
}

#[test]
fn set_max_bandwidth() {
    let mut a = account();
    let (sh, app1) = (region(SH), sag("sag-app1"));
    ok(
        &mut a,
        &Request::ModifyClientUser(modify(SH, "sag-app1", "dynamic1", "3000")),
    );
    refused(&mut a, Error::BandwidthInvalid, |a| {
        a.set_max_bandwidth(&sh, &app1, bandwidth(2999))
    });
    assert_eq!(a.set_max_bandwidth(&sh, &app1, bandwidth(3000)), Ok(()));
    assert_eq!(instance(&a, SH, "sag-app1").max_bandwidth().get(), 3000);
    fails_with(
        &mut a,
        &Request::ModifyClientUser(modify(SH, "sag-app1", "static01", "3001")),
        &[Error::BandwidthInvalid],
    );
    refused(&mut a, Error::InstanceNotFound, |a| {
        a.set_max_bandwidth(&region(BJ), &app1, bandwidth(1))
    });
}

#[test]
fn set_cidr_pool() {
    let mut a = account();
    let (sh, app1) = (region(SH), sag("sag-app1"));
    refused(&mut a, Error::CidrEmpty, |a| {
        a.set_cidr_pool(&sh, &app1, CidrPool::empty())
    });
    refused(&mut a, Error::InvalidCidr, |a| {
        a.set_cidr_pool(&sh, &app1, pool("10.0.1.0/24"))
    });
    refused(&mut a, Error::InstanceNotFound, |a| {
        a.set_cidr_pool(&region(BJ), &app1, pool("10.0.0.0/16"))
    });
    assert_eq!(a.set_cidr_pool(&sh, &app1, pool("10.0.0.0/16")), Ok(()));
    assert_eq!(pool_of(&a, SH, "sag-app1"), "10.0.0.0/16");
    assert!(a.invariant_violations().is_empty());
}

#[test]
fn mark_used_this_month_errors() {
    let mut a = account();
    let (sh, app1) = (region(SH), sag("sag-app1"));
    refused(&mut a, Error::UserNotFound, |a| {
        a.mark_used_this_month(&sh, &app1, &"nobody01".parse().unwrap(), true)
    });
    refused(&mut a, Error::InstanceNotFound, |a| {
        a.mark_used_this_month(&region(BJ), &app1, &"static01".parse().unwrap(), true)
    });
    assert_eq!(
        a.mark_used_this_month(&sh, &app1, &"static01".parse().unwrap(), true),
        Ok(())
    );
    assert!(instance(&a, SH, "sag-app1")
        .user(&"static01".parse().unwrap())
        .unwrap()
        .used_this_month());
    assert!(!instance(&a, SH, "sag-app1")
        .user(&"dynamic1".parse().unwrap())
        .unwrap()
        .used_this_month());
}
