//! Unit tests of `RoamClientUser` and the roaming rules of SPEC.md sections 1, 4 and 5: only
//! across regions, disjoint pools, matching enterprise-code configuration, the copy counts
//! against the target's quota and shows in its Describe, deleting the origin user removes its
//! copies, a copy does not roam further, and pools linked by a roaming user stay disjoint.
//!
//! Every failing call goes through `common::fails` (same exact `Error` from `execute` and from
//! `roam_client_user`, the account unchanged, `violations` starting with that error).

mod common;

use common::*;
use smartag_rules::{Account, Error, InstanceSpec, Request, RoamClientUser, RoamClientUserRaw};

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
// Success
// =============================================================================================

#[test]
fn roaming_copies_the_user_to_the_target() {
    let mut a = account();
    // Give the origin user distinctive values first.
    ok(
        &mut a,
        &Request::ModifyClientUser(smartag_rules::ModifyClientUserRaw {
            email: Some("roamer@example.org".into()),
            ..modify(SH, "sag-sh", "roamer01", "777")
        }),
    );
    done(ok(&mut a, &sh_to_bj("roamer01")));

    let origin = instance(&a, SH, "sag-sh").user("roamer01").unwrap().clone();
    let copy = instance(&a, BJ, "sag-bj").user("roamer01").unwrap();
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
    let origin = instance(&a, SH, "sag-sh").user("roamer01").unwrap();
    assert_eq!(origin.copies(), [sag("sag-bj"), sag("sag-sg")]);
    assert_eq!(instance(&a, SG, "sag-sg").user_count(), 1);
}

// =============================================================================================
// The rules
// =============================================================================================

#[test]
fn roaming_within_one_region_is_not_supported() {
    let mut a = account();
    fails_with(
        &mut a,
        &rq(roam(SH, "sag-sh", SH, "sag-sh2", "roamer01")),
        &[Error::NotSupportAction],
    );
    // Origin and target the same instance: also one region. The user is already there too
    // (UserExist) and the pool overlaps itself, but the region rule comes first.
    let violations = fails(
        &mut a,
        &rq(roam(SH, "sag-sh", SH, "sag-sh", "roamer01")),
        Error::NotSupportAction,
    );
    assert!(violations.contains(&Error::UserExist), "{violations:?}");
}

#[test]
fn roaming_to_a_hardware_instance_is_not_supported() {
    let mut a = account();
    add(
        &mut a,
        InstanceSpec::hardware(sag("sag-hwbj"), region(BJ)).pool(pool("10.4.0.0/24")),
    );
    fails_with(
        &mut a,
        &rq(roam(SH, "sag-sh", BJ, "sag-hwbj", "roamer01")),
        &[Error::NotSupportAction],
    );
}

#[test]
fn roaming_to_an_instance_without_a_block() {
    let mut a = account();
    add(&mut a, app("sag-bjnone", BJ, 5, ""));
    fails_with(
        &mut a,
        &rq(roam(SH, "sag-sh", BJ, "sag-bjnone", "roamer01")),
        &[Error::CidrEmpty],
    );
}

#[test]
fn roaming_needs_disjoint_pools() {
    let mut a = account();
    // A Beijing instance whose pool overlaps sag-sh's in one block of two.
    add(
        &mut a,
        app("sag-bjover", BJ, 5, "10.9.0.0/24,10.0.0.128/25"),
    );
    fails_with(
        &mut a,
        &rq(roam(SH, "sag-sh", BJ, "sag-bjover", "roamer01")),
        &[Error::CidrOverlap],
    );
    // The overlap check is per roaming: the two instances may keep overlapping pools as long as
    // no user links them, and adjacent blocks do not overlap.
    add(&mut a, app("sag-bjnext", BJ, 5, "10.0.1.0/24"));
    ok(
        &mut a,
        &rq(roam(SH, "sag-sh", BJ, "sag-bjnext", "roamer01")),
    );
}

#[test]
fn roaming_an_unknown_user() {
    let mut a = account();
    fails_with(&mut a, &sh_to_bj("nobody01"), &[Error::UserNotFound]);
    // The user is looked up on the origin only: a target user of that name does not help.
    add_user(&mut a, BJ, "sag-bj", "bjonly01");
    fails(&mut a, &sh_to_bj("bjonly01"), Error::UserNotFound);
}

#[test]
fn roaming_a_user_the_target_already_has() {
    let mut a = account();
    // A user of the same name created on the target on its own.
    add_user(&mut a, BJ, "sag-bj", "roamer01");
    fails_with(&mut a, &sh_to_bj("roamer01"), &[Error::UserExist]);
    // Roaming twice to the same target.
    let mut a = account();
    ok(&mut a, &sh_to_bj("roamer01"));
    fails_with(&mut a, &sh_to_bj("roamer01"), &[Error::UserExist]);
}

#[test]
fn the_copy_counts_against_the_target_quota() {
    let mut a = account();
    add(&mut a, app("sag-bj2", BJ, 2, "10.5.0.0/24"));
    add_user(&mut a, BJ, "sag-bj2", "local001");
    // quota - 1 users: the copy fits and fills the instance.
    ok(&mut a, &rq(roam(SH, "sag-sh", BJ, "sag-bj2", "roamer01")));
    assert_eq!(instance(&a, BJ, "sag-bj2").user_count(), 2);
    assert!(instance(&a, BJ, "sag-bj2").is_full());
    fails_with(
        &mut a,
        &Request::CreateClientUser(create(BJ, "sag-bj2", "local002")),
        &[Error::UserOverLimit],
    );
    // Another user cannot roam there either.
    add_user(&mut a, SH, "sag-sh", "roamer02");
    fails_with(
        &mut a,
        &rq(roam(SH, "sag-sh", BJ, "sag-bj2", "roamer02")),
        &[Error::UserOverLimit],
    );
}

#[test]
fn the_origin_quota_is_not_touched() {
    let mut a = account();
    a.set_quota(&region(SH), &sag("sag-sh"), 1).unwrap();
    assert!(instance(&a, SH, "sag-sh").is_full());
    ok(&mut a, &sh_to_bj("roamer01"));
    assert_eq!(instance(&a, SH, "sag-sh").user_count(), 1);
}

#[test]
fn a_static_user_cannot_roam_to_a_disjoint_pool() {
    // The target's pool is disjoint from the origin's, so the static address is never a usable
    // host of the target: InvalidClientIp.
    let mut a = account();
    add_static_user(&mut a, SH, "sag-sh", "static01", "10.0.0.9");
    fails_with(&mut a, &sh_to_bj("static01"), &[Error::InvalidClientIp]);
}

#[test]
fn the_bandwidth_must_fit_the_target_ceiling() {
    let mut a = account();
    add(
        &mut a,
        app("sag-bjold", BJ, 5, "10.6.0.0/24").max_bandwidth(bandwidth(2000)),
    );
    ok(
        &mut a,
        &Request::ModifyClientUser(modify(SH, "sag-sh", "roamer01", "2001")),
    );
    let request = rq(roam(SH, "sag-sh", BJ, "sag-bjold", "roamer01"));
    fails_with(&mut a, &request, &[Error::BandwidthInvalid]);
    // At the ceiling it roams.
    ok(
        &mut a,
        &Request::ModifyClientUser(modify(SH, "sag-sh", "roamer01", "2000")),
    );
    ok(&mut a, &request);
}

// ---- Enterprise codes -----------------------------------------------------------------------

#[test]
fn enterprise_codes_both_none_roam() {
    let mut a = account();
    assert!(instance(&a, SH, "sag-sh").enterprise_code().is_none());
    assert!(instance(&a, BJ, "sag-bj").enterprise_code().is_none());
    ok(&mut a, &sh_to_bj("roamer01"));
}

#[test]
fn enterprise_codes_equal_but_for_case_roam() {
    let mut a = Account::with_seed(11);
    add(
        &mut a,
        app("sag-sh", SH, 5, "10.0.0.0/24").enterprise_code(code("AB123")),
    );
    add(
        &mut a,
        app("sag-bj", BJ, 5, "10.1.0.0/24").enterprise_code(code("ab123")),
    );
    add_user(&mut a, SH, "sag-sh", "roamer01");
    ok(&mut a, &sh_to_bj("roamer01"));
}

#[test]
fn enterprise_code_on_one_side_only_is_config_different() {
    // Origin with a code, target without.
    let mut a = Account::with_seed(11);
    add(
        &mut a,
        app("sag-sh", SH, 5, "10.0.0.0/24").enterprise_code(code("AB123")),
    );
    add(&mut a, app("sag-bj", BJ, 5, "10.1.0.0/24"));
    add_user(&mut a, SH, "sag-sh", "roamer01");
    fails_with(
        &mut a,
        &sh_to_bj("roamer01"),
        &[Error::EnterpriseCodeConfigDifferent],
    );
    // Origin without, target with: bound through UpdateSmartAGEnterpriseCode.
    let mut a = account();
    ok(
        &mut a,
        &Request::CreateEnterpriseCode(new_code(BJ, "CD456")),
    );
    ok(
        &mut a,
        &Request::BindEnterpriseCode(bind(BJ, "sag-bj", "CD456")),
    );
    fails_with(
        &mut a,
        &sh_to_bj("roamer01"),
        &[Error::EnterpriseCodeConfigDifferent],
    );
    // Binding the same code (in another case) to the origin makes them match.
    ok(
        &mut a,
        &Request::BindEnterpriseCode(bind(SH, "sag-sh", "cd456")),
    );
    ok(&mut a, &sh_to_bj("roamer01"));
}

#[test]
fn different_enterprise_codes_are_config_different() {
    let mut a = Account::with_seed(11);
    add(
        &mut a,
        app("sag-sh", SH, 5, "10.0.0.0/24").enterprise_code(code("AB123")),
    );
    add(
        &mut a,
        app("sag-bj", BJ, 5, "10.1.0.0/24").enterprise_code(code("CD456")),
    );
    add_user(&mut a, SH, "sag-sh", "roamer01");
    fails_with(
        &mut a,
        &sh_to_bj("roamer01"),
        &[Error::EnterpriseCodeConfigDifferent],
    );
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
    assert!(instance(&a, SH, "sag-sh").user("roamer01").is_none());
    assert!(instance(&a, BJ, "sag-bj2").user("roamer01").is_none());
    assert!(instance(&a, SG, "sag-sg").user("roamer01").is_none());
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
    let origin = instance(&a, SH, "sag-sh").user("roamer01").unwrap();
    assert!(origin.copies().is_empty());
    assert!(instance(&a, BJ, "sag-bj").user("roamer01").is_none());
    assert_eq!(instance(&a, BJ, "sag-bj").linked_instances().count(), 0);
    ok(&mut a, &sh_to_bj("roamer01"));
    assert_eq!(
        instance(&a, SH, "sag-sh")
            .user("roamer01")
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
    a.mark_used_this_month(&region(BJ), &sag("sag-bj"), "roamer01", true)
        .unwrap();
    fails_with(
        &mut a,
        &delete(BJ, "sag-bj", "roamer01"),
        &[Error::UserInUsing],
    );
}

#[test]
fn a_copy_does_not_roam_further() {
    let mut a = account();
    ok(&mut a, &sh_to_bj("roamer01"));
    // From the Beijing copy to Singapore: the copy is not a user of sag-bj in its own right.
    fails_with(
        &mut a,
        &rq(roam(BJ, "sag-bj", SG, "sag-sg", "roamer01")),
        &[Error::UserNotFound],
    );
    // Nor back to its origin.
    let violations = fails(
        &mut a,
        &rq(roam(BJ, "sag-bj", SH, "sag-sh", "roamer01")),
        Error::UserNotFound,
    );
    assert!(violations.contains(&Error::UserExist), "{violations:?}");
    // The origin itself roams on to Singapore.
    ok(&mut a, &rq(roam(SH, "sag-sh", SG, "sag-sg", "roamer01")));
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
    let copy = instance(&a, BJ, "sag-bj").user("roamer01").unwrap();
    assert_eq!(copy.bandwidth().get(), 2000);
    assert_eq!(copy.state(), smartag_rules::UserState::Enabled);
    // And the copy can be modified on its own.
    ok(
        &mut a,
        &Request::ModifyClientUser(modify(BJ, "sag-bj", "roamer01", "30")),
    );
    let origin = instance(&a, SH, "sag-sh").user("roamer01").unwrap();
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
fn roam_form_errors_one_at_a_time() {
    let base = || roam(SH, "sag-sh", BJ, "sag-bj", "roamer01");
    let cases = [
        (
            RoamClientUserRaw {
                region_id: None,
                ..base()
            },
            Error::MissingParameter,
        ),
        (
            RoamClientUserRaw {
                origin_region_id: None,
                ..base()
            },
            Error::MissingParameter,
        ),
        (
            RoamClientUserRaw {
                origin_region_id: Some("CN-SHANGHAI".into()),
                ..base()
            },
            Error::InvalidParameter,
        ),
        (
            RoamClientUserRaw {
                origin_smart_ag_id: None,
                ..base()
            },
            Error::InstanceIdEmpty,
        ),
        (
            RoamClientUserRaw {
                target_smart_ag_id: Some("".into()),
                ..base()
            },
            Error::InstanceIdEmpty,
        ),
        (
            RoamClientUserRaw {
                user_name: None,
                ..base()
            },
            Error::NameEmpty,
        ),
        (
            RoamClientUserRaw {
                user_name: Some("abcdef".into()),
                ..base()
            },
            Error::NameInvalid,
        ),
    ];
    let mut a = account();
    for (raw, error) in cases {
        fails_with(&mut a, &rq(raw), &[error]);
    }
}

#[test]
fn roam_instance_not_found_origin_and_target() {
    let mut a = account();
    // Unknown origin; unknown target.
    fails_with(
        &mut a,
        &rq(roam(SH, "sag-nothere", BJ, "sag-bj", "roamer01")),
        &[Error::InstanceNotFound],
    );
    fails_with(
        &mut a,
        &rq(roam(SH, "sag-sh", BJ, "sag-nothere", "roamer01")),
        &[Error::InstanceNotFound],
    );
    // Each looked up in its own region: the origin asked in Beijing, the target in Shanghai.
    fails_with(
        &mut a,
        &rq(roam(BJ, "sag-sh", BJ, "sag-bj", "roamer01")),
        &[Error::InstanceNotFound],
    );
    fails_with(
        &mut a,
        &rq(roam(SH, "sag-sh", SH, "sag-bj", "roamer01")),
        &[Error::InstanceNotFound],
    );
    // A malformed ID names no instance.
    fails_with(
        &mut a,
        &rq(roam(SH, "sag-SH", BJ, "sag-bj", "roamer01")),
        &[Error::InstanceNotFound],
    );
}

#[test]
fn roam_instance_id_empty_before_name_empty() {
    let request = rq(RoamClientUserRaw {
        target_smart_ag_id: None,
        user_name: None,
        ..roam(SH, "sag-sh", BJ, "sag-bj", "x")
    });
    precedes(
        &mut account(),
        &request,
        Error::InstanceIdEmpty,
        Error::NameEmpty,
    );
}

#[test]
fn roam_name_invalid_before_instance_not_found() {
    let request = rq(roam(SH, "sag-nothere", BJ, "sag-bj", "abcdef"));
    fails_with(
        &mut account(),
        &request,
        &[Error::NameInvalid, Error::InstanceNotFound],
    );
}

#[test]
fn roam_origin_not_found_before_target_not_found() {
    let mut a = account();
    let request = rq(roam(SH, "sag-nothere", BJ, "sag-gone", "roamer01"));
    fails_with(
        &mut a,
        &request,
        &[Error::InstanceNotFound, Error::InstanceNotFound],
    );
    // Origin found, target missing: one InstanceNoFound; origin missing, target found (and a
    // hardware instance that would refuse users): one InstanceNoFound, nothing about the target.
    add(&mut a, InstanceSpec::hardware(sag("sag-hwbj"), region(BJ)));
    fails_with(
        &mut a,
        &rq(roam(SH, "sag-nothere", BJ, "sag-hwbj", "roamer01")),
        &[Error::InstanceNotFound],
    );
}

#[test]
fn roam_target_not_found_before_not_support_action() {
    // Origin and target asked in one region (which NotSupportAction refuses), the target unknown:
    // the region rule needs both instances, so the target's existence is all that is reported.
    let request = rq(roam(SH, "sag-sh", SH, "sag-nothere", "roamer01"));
    fails_with(&mut account(), &request, &[Error::InstanceNotFound]);
}

#[test]
fn roam_not_support_action_before_cidr_empty() {
    let mut a = account();
    add(&mut a, app("sag-shnone", SH, 5, ""));
    let request = rq(roam(SH, "sag-sh", SH, "sag-shnone", "roamer01"));
    precedes(&mut a, &request, Error::NotSupportAction, Error::CidrEmpty);
    // A hardware target without a block, in another region.
    add(&mut a, InstanceSpec::hardware(sag("sag-hwbj"), region(BJ)));
    let request = rq(roam(SH, "sag-sh", BJ, "sag-hwbj", "roamer01"));
    precedes(&mut a, &request, Error::NotSupportAction, Error::CidrEmpty);
}

#[test]
fn roam_cidr_empty_before_user_not_found() {
    let mut a = account();
    add(&mut a, app("sag-bjnone", BJ, 5, ""));
    let request = rq(roam(SH, "sag-sh", BJ, "sag-bjnone", "nobody01"));
    precedes(&mut a, &request, Error::CidrEmpty, Error::UserNotFound);
}

#[test]
fn roam_user_not_found_before_config_different() {
    let mut a = account();
    ok(
        &mut a,
        &Request::CreateEnterpriseCode(new_code(BJ, "CD456")),
    );
    ok(
        &mut a,
        &Request::BindEnterpriseCode(bind(BJ, "sag-bj", "CD456")),
    );
    precedes(
        &mut a,
        &sh_to_bj("nobody01"),
        Error::UserNotFound,
        Error::EnterpriseCodeConfigDifferent,
    );
}

#[test]
fn roam_config_different_before_cidr_overlap() {
    let mut a = account();
    add(
        &mut a,
        app("sag-bjover", BJ, 5, "10.0.0.0/16").enterprise_code(code("CD456")),
    );
    let request = rq(roam(SH, "sag-sh", BJ, "sag-bjover", "roamer01"));
    precedes(
        &mut a,
        &request,
        Error::EnterpriseCodeConfigDifferent,
        Error::CidrOverlap,
    );
}

#[test]
fn roam_cidr_overlap_before_user_exist() {
    let mut a = account();
    add(&mut a, app("sag-bjover", BJ, 5, "10.0.0.0/16"));
    add_user(&mut a, BJ, "sag-bjover", "roamer01");
    let request = rq(roam(SH, "sag-sh", BJ, "sag-bjover", "roamer01"));
    precedes(&mut a, &request, Error::CidrOverlap, Error::UserExist);
}

#[test]
fn roam_user_exist_before_user_over_limit() {
    let mut a = account();
    add(&mut a, app("sag-bj1", BJ, 1, "10.5.0.0/24"));
    add_user(&mut a, BJ, "sag-bj1", "roamer01");
    let request = rq(roam(SH, "sag-sh", BJ, "sag-bj1", "roamer01"));
    precedes(&mut a, &request, Error::UserExist, Error::UserOverLimit);
}

#[test]
fn roam_user_over_limit_before_invalid_client_ip() {
    let mut a = account();
    add(&mut a, app("sag-bj0", BJ, 0, "10.5.0.0/24"));
    add_static_user(&mut a, SH, "sag-sh", "static01", "10.0.0.9");
    let request = rq(roam(SH, "sag-sh", BJ, "sag-bj0", "static01"));
    precedes(
        &mut a,
        &request,
        Error::UserOverLimit,
        Error::InvalidClientIp,
    );
}

#[test]
fn roam_user_over_limit_before_bandwidth_invalid() {
    let mut a = account();
    add(
        &mut a,
        app("sag-bj0", BJ, 0, "10.5.0.0/24").max_bandwidth(bandwidth(2000)),
    );
    ok(
        &mut a,
        &Request::ModifyClientUser(modify(SH, "sag-sh", "roamer01", "20000")),
    );
    let request = rq(roam(SH, "sag-sh", BJ, "sag-bj0", "roamer01"));
    precedes(
        &mut a,
        &request,
        Error::UserOverLimit,
        Error::BandwidthInvalid,
    );
}

#[test]
fn roam_every_state_error_at_once() {
    // Codes differ, pools overlap, the name is taken, the quota is used up, the static address
    // is held there, the bandwidth is above the ceiling: all listed, in SPEC.md's order.
    let mut a = account();
    add(
        &mut a,
        app("sag-bjall", BJ, 1, "10.0.0.0/24")
            .enterprise_code(code("CD456"))
            .max_bandwidth(bandwidth(2000)),
    );
    add_static_user(&mut a, SH, "sag-sh", "static01", "10.0.0.9");
    ok(
        &mut a,
        &Request::ModifyClientUser(modify(SH, "sag-sh", "static01", "3000")),
    );
    add_static_user(&mut a, BJ, "sag-bjall", "static01", "10.0.0.9");
    fails_with(
        &mut a,
        &rq(roam(SH, "sag-sh", BJ, "sag-bjall", "static01")),
        &[
            Error::EnterpriseCodeConfigDifferent,
            Error::CidrOverlap,
            Error::UserExist,
            Error::UserOverLimit,
            Error::InvalidClientIp,
            Error::BandwidthInvalid,
        ],
    );
}

#[test]
fn roam_typed_method() {
    let mut a = account();
    let typed =
        |origin: &str, origin_region: &str, target: &str, target_region: &str| RoamClientUser {
            region_id: region(target_region),
            origin_region_id: region(origin_region),
            origin_smart_ag_id: sag(origin),
            target_smart_ag_id: sag(target),
            user_name: "roamer01".parse().unwrap(),
        };
    let before = a.clone();
    assert_eq!(
        a.roam_client_user(typed("sag-nothere", SH, "sag-bj", BJ)),
        Err(Error::InstanceNotFound)
    );
    assert_eq!(
        a.roam_client_user(typed("sag-sh", SH, "sag-sh2", SH)),
        Err(Error::NotSupportAction)
    );
    assert_eq!(a, before);
    assert_eq!(
        a.roam_client_user(typed("sag-sh", SH, "sag-bj", BJ)),
        Ok(())
    );
    let after = a.clone();
    assert_eq!(
        a.roam_client_user(typed("sag-sh", SH, "sag-bj", BJ)),
        Err(Error::UserExist)
    );
    assert_eq!(
        a.roam_client_user(typed("sag-bj", BJ, "sag-sg", SG)),
        Err(Error::UserNotFound)
    );
    assert_eq!(a, after);
    assert!(a.invariant_violations().is_empty());
}
