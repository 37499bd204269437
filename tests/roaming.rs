//! Unit tests of `RoamClientUser` and the roaming rules of `RULES.md` ("Domain", "Precedence",
//! "Invariants"; the error rows in `cases/roaming.cases`): only
//! across regions, disjoint pools, matching enterprise-code configuration, the copy counts
//! against the target's quota and shows in its Describe, deleting the origin user removes its
//! copies, a copy does not roam further, and pools linked by a roaming user stay disjoint.
//!
//! Every failing call goes through `common::fails` (same exact `Error` from `execute` and from
//! `roam_client_user`, the account unchanged, `violations` starting with that error).

mod common;

use common::*;
use smartag_rules::{Account, ClientUserRef, Error, Request, RoamClientUser, RoamClientUserRaw};

/// Seed 11:
/// - `sag-sh` (Shanghai): quota 5, pool 10.0.0.0/24, user `roamer01` (no static address);
/// - `sag-bj` (Beijing): quota 5, pool 10.1.0.0/24;
/// - `sag-sg` (Singapore): quota 5, pool 10.2.0.0/24;
/// - `sag-sh2` (Shanghai): quota 5, pool 10.3.0.0/24.
fn account() -> Account {
    let mut a = Account::with_seed(11);
    add(&mut a, app("sag-sh", SH, 5, "10.0.0.0/24"));
    add(&mut a, app("sag-bj", BJ, 5, "10.1.0.0/24"));
    add(&mut a, app("sag-sg", SG, 5, "10.2.0.0/24"));
    add(&mut a, app("sag-sh2", SH, 5, "10.3.0.0/24"));
    add_user(&mut a, SH, "sag-sh", "roamer01");
    a
}

fn rq(raw: RoamClientUserRaw) -> Request {
    Request::RoamClientUser(raw)
}

/// Roam `roamer01` (or `name`) from `sag-sh` to `sag-bj`.
fn sh_to_bj(name: &str) -> Request {
    rq(roam(SH, "sag-sh", BJ, "sag-bj", name))
}

fn delete(region_id: &str, id: &str, name: &str) -> Request {
    Request::DeleteClientUser(user_ref(region_id, id, name))
}

// =============================================================================================
// The case table: every roaming rule, one at a time and two at a time
// =============================================================================================

case_table!("roaming.cases", include_str!("cases/roaming.cases"), rows: 100);

// =============================================================================================
// Success
// =============================================================================================

#[test]
fn roaming_copies_the_user_to_the_target() {
    let mut a = account();
    // Give the origin user distinctive values first.
    ok(
        &mut a,
        &Request::ModifyClientUser(
            modify(SH, "sag-sh", "roamer01", "777").email("roamer@example.org"),
        ),
    );
    done(ok(&mut a, &sh_to_bj("roamer01")));

    let origin = instance(&a, SH, "sag-sh")
        .user(&"roamer01".parse().unwrap())
        .unwrap()
        .clone();
    let copy = instance(&a, BJ, "sag-bj")
        .user(&"roamer01".parse().unwrap())
        .unwrap();
    assert_eq!(copy.name(), origin.name());
    assert_eq!(copy.password().expose_secret(), PASSWORD);
    assert_eq!(copy.mail().as_str(), "roamer@example.org");
    assert_eq!(copy.bandwidth().get(), 777);
    assert_eq!(copy.client_ip(), None);
    assert_eq!(copy.origin(), Some(&sag("sag-sh")));
    assert!(copy.copies().is_empty());
    assert_eq!(origin.origin(), None);
    assert_eq!(origin.copies(), [sag("sag-bj")]);
    // Both instances know the link.
    let linked = |id: &str, r: &str| -> Vec<String> {
        instance(&a, r, id)
            .linked_instances()
            .map(|i| i.to_string())
            .collect()
    };
    assert_eq!(linked("sag-sh", SH), ["sag-bj"]);
    assert_eq!(linked("sag-bj", BJ), ["sag-sh"]);
    // The origin keeps its user.
    assert_eq!(instance(&a, SH, "sag-sh").user_count(), 1);
}

#[test]
fn the_copy_appears_in_the_targets_describe() {
    let mut a = account();
    add_user(&mut a, BJ, "sag-bj", "local001");
    ok(&mut a, &sh_to_bj("roamer01"));
    let listed = page(ok(
        &mut a,
        &Request::DescribeClientUsers(describe(BJ, "sag-bj")),
    ));
    assert_eq!(listed.total_count, 2);
    assert_eq!(page_names(&listed), ["local001", "roamer01"]);
    let copy = &listed.users[1];
    assert_eq!(copy.user_mail.as_str(), MAIL);
    assert_eq!(copy.bandwidth.get(), 2000);
    assert!(!copy.is_static_ip());
}

#[test]
fn one_user_roams_to_several_regions() {
    let mut a = account();
    ok(&mut a, &sh_to_bj("roamer01"));
    ok(&mut a, &rq(roam(SH, "sag-sh", SG, "sag-sg", "roamer01")));
    let origin = instance(&a, SH, "sag-sh")
        .user(&"roamer01".parse().unwrap())
        .unwrap();
    assert_eq!(origin.copies(), [sag("sag-bj"), sag("sag-sg")]);
    assert_eq!(instance(&a, SG, "sag-sg").user_count(), 1);
}

// =============================================================================================
// The rules
// =============================================================================================

#[test]
fn the_origin_quota_is_not_touched() {
    let mut a = account();
    a.set_quota(&region(SH), &sag("sag-sh"), 1).unwrap();
    assert!(instance(&a, SH, "sag-sh").is_full());
    ok(&mut a, &sh_to_bj("roamer01"));
    assert_eq!(instance(&a, SH, "sag-sh").user_count(), 1);
}

// ---- Enterprise codes -----------------------------------------------------------------------

#[test]
fn enterprise_codes_both_none_roam() {
    let mut a = account();
    assert!(instance(&a, SH, "sag-sh").enterprise_code().is_none());
    assert!(instance(&a, BJ, "sag-bj").enterprise_code().is_none());
    ok(&mut a, &sh_to_bj("roamer01"));
}

// =============================================================================================
// Deleting origins and copies
// =============================================================================================

#[test]
fn deleting_the_origin_user_removes_its_copies_and_frees_the_target_quota() {
    let mut a = account();
    add(&mut a, app("sag-bj2", BJ, 1, "10.5.0.0/24"));
    ok(&mut a, &rq(roam(SH, "sag-sh", BJ, "sag-bj2", "roamer01")));
    ok(&mut a, &rq(roam(SH, "sag-sh", SG, "sag-sg", "roamer01")));
    assert!(instance(&a, BJ, "sag-bj2").is_full());
    done(ok(&mut a, &delete(SH, "sag-sh", "roamer01")));
    assert!(instance(&a, SH, "sag-sh")
        .user(&"roamer01".parse().unwrap())
        .is_none());
    assert!(instance(&a, BJ, "sag-bj2")
        .user(&"roamer01".parse().unwrap())
        .is_none());
    assert!(instance(&a, SG, "sag-sg")
        .user(&"roamer01".parse().unwrap())
        .is_none());
    assert_eq!(instance(&a, BJ, "sag-bj2").user_count(), 0);
    assert_eq!(instance(&a, SH, "sag-sh").linked_instances().count(), 0);
    assert_eq!(instance(&a, BJ, "sag-bj2").linked_instances().count(), 0);
    // The target's quota is free again.
    add_user(&mut a, BJ, "sag-bj2", "local001");
}

#[test]
fn deleting_a_copy_keeps_the_origin_and_it_can_roam_again() {
    let mut a = account();
    ok(&mut a, &sh_to_bj("roamer01"));
    done(ok(&mut a, &delete(BJ, "sag-bj", "roamer01")));
    let origin = instance(&a, SH, "sag-sh")
        .user(&"roamer01".parse().unwrap())
        .unwrap();
    assert!(origin.copies().is_empty());
    assert!(instance(&a, BJ, "sag-bj")
        .user(&"roamer01".parse().unwrap())
        .is_none());
    assert_eq!(instance(&a, BJ, "sag-bj").linked_instances().count(), 0);
    ok(&mut a, &sh_to_bj("roamer01"));
    assert_eq!(
        instance(&a, SH, "sag-sh")
            .user(&"roamer01".parse().unwrap())
            .unwrap()
            .copies(),
        [sag("sag-bj")]
    );
}

#[test]
fn a_copy_in_use_this_month_cannot_be_deleted_on_its_own() {
    let mut a = account();
    ok(&mut a, &sh_to_bj("roamer01"));
    // The copy starts not used this month, whatever its origin.
    a.mark_used_this_month(
        &region(BJ),
        &sag("sag-bj"),
        &"roamer01".parse().unwrap(),
        true,
    )
    .unwrap();
    fails_with(
        &mut a,
        &delete(BJ, "sag-bj", "roamer01"),
        &[Error::UserInUsing],
    );
}

#[test]
fn changes_to_the_origin_do_not_reach_the_copy() {
    let mut a = account();
    ok(&mut a, &sh_to_bj("roamer01"));
    ok(
        &mut a,
        &Request::ModifyClientUser(modify(SH, "sag-sh", "roamer01", "10")),
    );
    ok(
        &mut a,
        &Request::DisableUser(user_ref(SH, "sag-sh", "roamer01")),
    );
    let copy = instance(&a, BJ, "sag-bj")
        .user(&"roamer01".parse().unwrap())
        .unwrap();
    assert_eq!(copy.bandwidth().get(), 2000);
    assert_eq!(copy.state(), smartag_rules::UserState::Enabled);
    // And the copy can be modified on its own.
    ok(
        &mut a,
        &Request::ModifyClientUser(modify(BJ, "sag-bj", "roamer01", "30")),
    );
    let origin = instance(&a, SH, "sag-sh")
        .user(&"roamer01".parse().unwrap())
        .unwrap();
    assert_eq!(origin.bandwidth().get(), 10);
}

// =============================================================================================
// Linked pools stay disjoint
// =============================================================================================

#[test]
fn a_linked_pool_cannot_be_changed_to_overlap_until_the_link_goes() {
    let mut a = account();
    ok(&mut a, &sh_to_bj("roamer01"));
    let gw = |r: &str, id: &str, cidr: &str| Request::ModifyGateway(gateway(r, id, Some(cidr)));
    // On the origin, to a pool that covers the target's.
    let origin_change = gw(SH, "sag-sh", "10.0.0.0/24,10.1.0.0/16");
    fails_with(&mut a, &origin_change, &[Error::CidrOverlap]);
    // On the target, to a pool inside the origin's.
    let target_change = gw(BJ, "sag-bj", "10.0.0.64/26");
    fails_with(&mut a, &target_change, &[Error::CidrOverlap]);
    // The typed setup API answers the same.
    let before = a.clone();
    assert_eq!(
        a.set_cidr_pool(&region(BJ), &sag("sag-bj"), pool("10.0.0.64/26")),
        Err(Error::CidrOverlap)
    );
    assert_eq!(a, before);
    // A change that stays disjoint is fine.
    done(ok(&mut a, &gw(BJ, "sag-bj", "10.1.0.0/24,10.8.0.0/16")));
    // An instance not linked may overlap freely.
    done(ok(&mut a, &gw(SG, "sag-sg", "10.0.0.0/24")));
    // Once the copy is gone, the same changes succeed.
    ok(&mut a, &delete(BJ, "sag-bj", "roamer01"));
    done(ok(&mut a, &target_change));
    done(ok(&mut a, &gw(SH, "sag-sh", "10.0.0.0/25,10.1.0.0/16")));
    assert_eq!(
        instance(&a, SH, "sag-sh").pool().to_string(),
        "10.0.0.0/25,10.1.0.0/16"
    );
}

#[test]
fn the_link_stays_while_any_copy_remains() {
    let mut a = account();
    add_user(&mut a, SH, "sag-sh", "roamer02");
    ok(&mut a, &sh_to_bj("roamer01"));
    ok(&mut a, &sh_to_bj("roamer02"));
    let change = Request::ModifyGateway(gateway(BJ, "sag-bj", Some("10.0.0.0/16")));
    ok(&mut a, &delete(BJ, "sag-bj", "roamer01"));
    fails_with(&mut a, &change, &[Error::CidrOverlap]);
    // Deleting the other origin user removes the last copy, and the link with it.
    ok(&mut a, &delete(SH, "sag-sh", "roamer02"));
    // sag-sh still holds roamer01 (10.0.0.0/24 is its pool), but nothing links it to sag-bj.
    ok(&mut a, &change);
}

// =============================================================================================
// Errors of the parameters, and the precedence pairs
// =============================================================================================

#[test]
fn roam_typed_method() {
    let mut a = account();
    let typed = |origin: &str, origin_region: &str, target: &str, target_region: &str| {
        let user = ClientUserRef::new(
            region(origin_region),
            sag(origin),
            "roamer01".parse().unwrap(),
        );
        RoamClientUser::new(user, region(target_region), sag(target))
    };
    let before = a.clone();
    let refused = [
        typed("sag-nothere", SH, "sag-bj", BJ),
        typed("sag-sh", SH, "sag-sh2", SH),
    ];
    let answers = refused.map(|r| a.roam_client_user(r));
    assert_eq!(
        answers,
        [Err(Error::InstanceNotFound), Err(Error::NotSupportAction)]
    );
    assert_eq!(a, before);
    let copy = a
        .roam_client_user(typed("sag-sh", SH, "sag-bj", BJ))
        .unwrap();
    assert_eq!(copy.user_name.as_str(), "roamer01");
    let after = a.clone();
    let refused = [
        typed("sag-sh", SH, "sag-bj", BJ),
        typed("sag-bj", BJ, "sag-sg", SG),
    ];
    let answers = refused.map(|r| a.roam_client_user(r));
    assert_eq!(answers, [Err(Error::UserExist), Err(Error::UserNotFound)]);
    assert_eq!(a, after);
    assert!(a.invariant_violations().is_empty());
}
