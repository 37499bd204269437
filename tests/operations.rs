//! Unit tests of the client-user operations of `RULES.md` ("Precedence") on one region's
//! instances: Create, Modify, Delete, Describe, ResetPassword, Enable and Disable (roaming is in
//! `roaming.rs`, the setup operations in `setup_ops.rs`).
//!
//! Every error code the rules list for each operation is produced here (most of them as rows of
//! `cases/operations.cases`), every precedence pair they order is broken two rules at a time,
//! and every failing call goes through `common::fails`:
//! `execute` and the typed method answer the same exact `Error`, neither changes the account,
//! and `Account::violations` starts with that error. Every succeeding call goes through
//! `common::ok`: `violations` is empty and the invariants hold afterwards.

mod common;

use common::*;
use smartag_rules::{
    Account, Bandwidth, BindEnterpriseCodeRaw, CidrBlock, CidrPool, ClientIp, ClientUser,
    ClientUserInfo, ClientUserPage, ClientUserRef, ClientUserRefRaw, ClientUserSummary,
    CreateClientUser, CreateClientUserRaw, CreateEnterpriseCodeRaw, CreateSoftwareRaw, Credentials,
    DescribeClientUsers, DescribeClientUsersRaw, EnterpriseCode, Error, Instance, InstanceKind,
    InstanceSpec, ModifyClientUser, ModifyClientUserRaw, ModifyGatewayRaw, PageNumber, PageSize,
    Password, RegionId, Request, ResetPassword, ResetPasswordRaw, Response, RoamClientUser,
    RoamClientUserRaw, Roaming, SmartAgId, UserMail, UserName, UserState,
};

/// One account, seed 7:
/// - `sag-app1` (Shanghai): APP, quota 5, pool 10.0.0.0/24;
/// - `sag-hw1` (Shanghai): hardware, pool 10.1.0.0/24;
/// - `sag-nopool` (Shanghai): APP, quota 5, no block;
/// - `sag-old` (Shanghai): APP, quota 5, pool 10.2.0.0/24, bandwidth ceiling 2000;
/// - `sag-bj1` (Beijing): APP, quota 5, pool 10.3.0.0/24.
fn account() -> Account {
    let mut a = Account::with_seed(7);
    add(&mut a, app("sag-app1", SH, 5, "10.0.0.0/24"));
    add(
        &mut a,
        InstanceSpec::hardware(sag("sag-hw1"), region(SH)).pool(pool("10.1.0.0/24")),
    );
    add(&mut a, app("sag-nopool", SH, 5, ""));
    add(
        &mut a,
        app("sag-old", SH, 5, "10.2.0.0/24").max_bandwidth(bandwidth(2000)),
    );
    add(&mut a, app("sag-bj1", BJ, 5, "10.3.0.0/24"));
    a
}

fn c(raw: CreateClientUserRaw) -> Request {
    Request::CreateClientUser(raw)
}

fn m(raw: ModifyClientUserRaw) -> Request {
    Request::ModifyClientUser(raw)
}

fn del(raw: ClientUserRefRaw) -> Request {
    Request::DeleteClientUser(raw)
}

fn d(raw: DescribeClientUsersRaw) -> Request {
    Request::DescribeClientUsers(raw)
}

fn r(raw: ResetPasswordRaw) -> Request {
    Request::ResetClientUserPassword(raw)
}

/// Create on `sag-app1` with the given edits.
fn create_app1(edit: impl FnOnce(&mut CreateClientUserRaw)) -> Request {
    let mut raw = create(SH, "sag-app1", "doctest1");
    edit(&mut raw);
    c(raw)
}

// =============================================================================================
// Send + Sync
// =============================================================================================

/// Each type is `Send` and `Sync`.
macro_rules! assert_send_sync {
    ($($ty:ty),+ $(,)?) => {{
        fn check<T: Send + Sync>() {}
        $(check::<$ty>();)+
    }};
}

#[test]
fn public_types_are_send_and_sync() {
    assert_send_sync! {
        Account, Request, Response, Error, smartag_rules::rng::Rng,
        // Field types and CIDR types.
        Bandwidth, ClientIp, EnterpriseCode, Password, RegionId, SmartAgId, UserMail, UserName,
        CidrBlock, CidrPool,
        // The model.
        Instance, InstanceSpec, InstanceKind, ClientUser, UserState, Roaming,
        // Raw requests.
        CreateClientUserRaw, ModifyClientUserRaw, RoamClientUserRaw, ClientUserRefRaw,
        DescribeClientUsersRaw, ResetPasswordRaw, CreateSoftwareRaw, ModifyGatewayRaw,
        CreateEnterpriseCodeRaw, BindEnterpriseCodeRaw,
        // Typed requests and responses.
        CreateClientUser, Credentials, ModifyClientUser, RoamClientUser, ClientUserRef,
        DescribeClientUsers, ResetPassword, ClientUserInfo, ClientUserPage, ClientUserSummary,
    }
}

// =============================================================================================
// The case table: every error of every operation, one rule and one precedence pair at a time
// =============================================================================================

case_table!("operations.cases", include_str!("cases/operations.cases"), rows: 191);

// =============================================================================================
// CreateSmartAccessGatewayClientUser
// =============================================================================================

/// An answered user as text: name, mail, bandwidth, static address.
fn info_text(info: &ClientUserInfo) -> (&str, &str, u32, Option<String>) {
    (
        info.user_name.as_str(),
        info.user_mail.as_str(),
        info.bandwidth.get(),
        info.client_ip.map(|ip| ip.to_string()),
    )
}

#[test]
fn create_answers_the_user_and_stores_it() {
    let mut a = account();
    let answer = ok(
        &mut a,
        &create_app1(|raw| {
            raw.bandwidth = Some("500".into());
            raw.client_ip = Some("10.0.0.10".into());
        }),
    );
    assert_eq!(
        info_text(&user_info(answer)),
        ("doctest1", MAIL, 500, Some("10.0.0.10".into()))
    );
    let user = instance(&a, SH, "sag-app1")
        .user(&"doctest1".parse().unwrap())
        .unwrap();
    assert_eq!(user.password().expose_secret(), PASSWORD);
    assert_eq!(user.mail().as_str(), MAIL);
    assert_eq!(user.bandwidth().get(), 500);
    assert_eq!(user.state(), UserState::Enabled);
    assert_eq!(
        user.client_ip().map(|ip| ip.to_string()),
        Some("10.0.0.10".into())
    );
    assert!(!user.used_this_month());
    assert_eq!(user.origin(), None);
    assert!(user.copies().is_empty());
    assert!(instance(&a, SH, "sag-app1").holds_ip("10.0.0.10".parse().unwrap()));
    assert_eq!(instance(&a, SH, "sag-app1").user_count(), 1);
}

#[test]
fn create_without_bandwidth_gets_2000_and_no_static_ip() {
    let mut a = account();
    let info = user_info(ok(&mut a, &create_app1(|_| {})));
    assert_eq!(info.bandwidth.get(), 2000);
    assert_eq!(info.client_ip, None);
    let user = instance(&a, SH, "sag-app1")
        .user(&"doctest1".parse().unwrap())
        .unwrap();
    assert_eq!(user.bandwidth().get(), 2000);
    assert_eq!(user.client_ip(), None);
}

#[test]
fn create_user_exist() {
    let mut a = account();
    add_user(&mut a, SH, "sag-app1", "doctest1");
    fails_with(&mut a, &create_app1(|_| {}), &[Error::UserExist]);
    // Names are compared exactly: another case is another user.
    add_user(&mut a, SH, "sag-app1", "DOCTEST1");
    assert_eq!(names(&a, SH, "sag-app1"), ["doctest1", "DOCTEST1"]);
    // The same name on another instance is another user.
    add_user(&mut a, SH, "sag-old", "doctest1");
}

#[test]
fn create_quota_boundary() {
    let mut a = account();
    // Quota 5: users 1 to 5 are accepted (the fifth is quota - 1 users already there).
    for i in 1..=5 {
        add_user(&mut a, SH, "sag-app1", &format!("doctest{i}"));
    }
    assert!(instance(&a, SH, "sag-app1").is_full());
    let sixth = c(create(SH, "sag-app1", "doctest6"));
    fails_with(&mut a, &sixth, &[Error::UserOverLimit]);
    // Deleting one makes room again.
    done(ok(&mut a, &del(user_ref(SH, "sag-app1", "doctest3"))));
    add_user(&mut a, SH, "sag-app1", "doctest6");
}

#[test]
fn create_client_ip_held_by_another_user_then_freed() {
    let mut a = account();
    add_static_user(&mut a, SH, "sag-app1", "holder01", "10.0.0.7");
    let taken = c(create(SH, "sag-app1", "second01").client_ip("10.0.0.7"));
    fails_with(&mut a, &taken, &[Error::InvalidClientIp]);
    // A user without a static address does not hold one.
    add_user(&mut a, SH, "sag-app1", "dynamic1");
    // Another instance's address space is its own: the same address is free there.
    add(&mut a, app("sag-same", SH, 5, "10.0.0.0/24"));
    add_static_user(&mut a, SH, "sag-same", "second01", "10.0.0.7");
    // Deleting the holder frees the address.
    done(ok(&mut a, &del(user_ref(SH, "sag-app1", "holder01"))));
    assert!(!instance(&a, SH, "sag-app1").holds_ip("10.0.0.7".parse().unwrap()));
    let info = user_info(ok(&mut a, &taken));
    assert_eq!(info.client_ip, Some("10.0.0.7".parse().unwrap()));
}

#[test]
fn create_bandwidth_against_the_ceiling() {
    let mut a = account();
    // 20000 is the most any instance takes; a default instance takes it.
    let top = create_app1(|r| r.bandwidth = Some("20000".into()));
    assert_eq!(user_info(ok(&mut a, &top)).bandwidth.get(), 20000);
    // An older instance's ceiling is 2000: 2000 is taken, 2001 is not.
    let at = c(create(SH, "sag-old", "doctest1").bandwidth("2000"));
    ok(&mut a, &at);
    let above = c(create(SH, "sag-old", "doctest2").bandwidth("2001"));
    fails_with(&mut a, &above, &[Error::BandwidthInvalid]);
    // The default bandwidth (2000) fits the old ceiling.
    add_user(&mut a, SH, "sag-old", "doctest3");
}

fn generate_one(seed: u64) -> (String, String) {
    let mut a = Account::with_seed(seed);
    add(&mut a, app("sag-app1", SH, 5, "10.0.0.0/24"));
    let request = create_app1(|r| {
        r.user_name = None;
        r.password = None;
    });
    let info = user_info(ok(&mut a, &request));
    let user = instance(&a, SH, "sag-app1")
        .user(&info.user_name)
        .expect("the generated user is stored under the answered name");
    (
        info.user_name.as_str().to_owned(),
        user.password().expose_secret().to_owned(),
    )
}

#[test]
fn create_without_name_and_password_generates_both() {
    let (name, password) = generate_one(7);
    // Valid by the rules (checked with the field parsers, and by hand).
    assert_eq!(
        name.parse::<UserName>().map(|n| n.to_string()),
        Ok(name.clone())
    );
    assert!(password.parse::<Password>().is_ok());
    assert!((7..=33).contains(&name.chars().count()), "{name}");
    assert!((8..=32).contains(&password.chars().count()));
    assert!(name.chars().next().unwrap().is_ascii_alphanumeric());
    assert!(password.chars().next().unwrap().is_ascii_alphanumeric());
    // Deterministic: the same seed gives the same name and password.
    assert_eq!(generate_one(7), (name.clone(), password.clone()));
    // Another seed gives others.
    let (other_name, other_password) = generate_one(8);
    assert_ne!(other_name, name);
    assert_ne!(other_password, password);
}

#[test]
fn generated_names_avoid_existing_ones() {
    let mut a = account();
    let request = create_app1(|r| {
        r.user_name = None;
        r.password = None;
    });
    let mut seen = Vec::new();
    for _ in 0..5 {
        let info = user_info(ok(&mut a, &request));
        assert!(!seen.contains(&info.user_name), "{} twice", info.user_name);
        seen.push(info.user_name);
    }
    // The instance is full: the check comes before any generation, so even the generator's
    // state is untouched by the failure (`fails` compares the whole account).
    fails_with(&mut a, &request, &[Error::UserOverLimit]);
}

#[test]
fn create_typed_method_errors() {
    // The typed method on its own (the raw path is checked by the case table).
    let mut a = account();
    let typed = |id: &str, name: &str| {
        let credentials = Credentials::new(name.parse().unwrap(), PASSWORD.parse().unwrap());
        CreateClientUser::new(region(SH), sag(id), MAIL.parse().unwrap())
            .with_credentials(credentials)
    };
    let before = a.clone();
    use Error::{CidrEmpty, InstanceNotFound, NotSupportAction};
    for (id, e) in [
        ("sag-nothere", InstanceNotFound),
        ("sag-hw1", NotSupportAction),
        ("sag-nopool", CidrEmpty),
    ] {
        assert_eq!(a.create_client_user(typed(id, "doctest1")), Err(e), "{id}");
    }
    assert_eq!(a, before);
    let info = a.create_client_user(typed("sag-app1", "doctest1")).unwrap();
    assert_eq!(
        (info.user_name.as_str(), info.bandwidth),
        ("doctest1", Bandwidth::DEFAULT)
    );
    let after = a.clone();
    let above = typed("sag-old", "doctest1").with_bandwidth(bandwidth(2001));
    assert_eq!(
        a.create_client_user(typed("sag-app1", "doctest1")),
        Err(Error::UserExist)
    );
    assert_eq!(a.create_client_user(above), Err(Error::BandwidthInvalid));
    assert_eq!(a, after);
}

// ---- Create: precedence pairs (each request breaks both rules) ------------------------------

// =============================================================================================
// ModifySmartAccessGatewayClientUser
// =============================================================================================

fn with_user() -> Account {
    let mut a = account();
    add_static_user(&mut a, SH, "sag-app1", "doctest1", "10.0.0.5");
    add_user(&mut a, SH, "sag-old", "doctest1");
    a
}

#[test]
fn modify_sets_bandwidth_and_mail() {
    let mut a = with_user();
    let request = m(modify(SH, "sag-app1", "doctest1", "20000").email("other@example.org"));
    let info = user_info(ok(&mut a, &request));
    assert_eq!(
        info_text(&info),
        (
            "doctest1",
            "other@example.org",
            20000,
            Some("10.0.0.5".into())
        )
    );
    let user = instance(&a, SH, "sag-app1")
        .user(&"doctest1".parse().unwrap())
        .unwrap();
    assert_eq!(user.bandwidth().get(), 20000);
    assert_eq!(user.mail().as_str(), "other@example.org");
    // Without Email, the mail stays.
    let info = user_info(ok(&mut a, &m(modify(SH, "sag-app1", "doctest1", "1"))));
    assert_eq!(info.bandwidth.get(), 1);
    assert_eq!(info.user_mail.as_str(), "other@example.org");
    // The user of the same name on another instance is untouched.
    let other = instance(&a, SH, "sag-old")
        .user(&"doctest1".parse().unwrap())
        .unwrap();
    assert_eq!(
        (other.bandwidth().get(), other.mail().as_str()),
        (2000, MAIL)
    );
}

#[test]
fn modify_typed_method_errors() {
    let mut a = with_user();
    let before = a.clone();
    let typed = |id: &str, name: &str, kbps: u32| {
        ModifyClientUser::new(region(SH), sag(id), name.parse().unwrap(), bandwidth(kbps))
    };
    let refused = [
        (
            typed("sag-nothere", "doctest1", 10),
            Error::InstanceNotFound,
        ),
        (typed("sag-app1", "nobody01", 10), Error::UserNotFound),
        (typed("sag-old", "doctest1", 2001), Error::BandwidthInvalid),
    ];
    for (request, e) in refused {
        assert_eq!(a.modify_client_user(request).map(drop), Err(e));
    }
    assert_eq!(a, before);
    let changed = a.modify_client_user(typed("sag-app1", "doctest1", 10));
    assert_eq!(changed.map(|i| i.bandwidth.get()), Ok(10));
}

// =============================================================================================
// DeleteSmartAccessGatewayClientUser, Enable, Disable (one user named)
// =============================================================================================

#[test]
fn delete_removes_the_user() {
    let mut a = with_user();
    add_user(&mut a, SH, "sag-app1", "doctest2");
    done(ok(&mut a, &del(user_ref(SH, "sag-app1", "doctest1"))));
    assert_eq!(names(&a, SH, "sag-app1"), ["doctest2"]);
    assert!(instance(&a, SH, "sag-app1")
        .user(&"doctest1".parse().unwrap())
        .is_none());
    // Its static address is free again, and the user of the same name elsewhere stays.
    assert!(!instance(&a, SH, "sag-app1").holds_ip("10.0.0.5".parse().unwrap()));
    assert!(instance(&a, SH, "sag-old")
        .user(&"doctest1".parse().unwrap())
        .is_some());
    // A second delete finds nothing.
    fails_with(
        &mut a,
        &del(user_ref(SH, "sag-app1", "doctest1")),
        &[Error::UserNotFound],
    );
    // The name can be used again.
    add_user(&mut a, SH, "sag-app1", "doctest1");
    assert_eq!(names(&a, SH, "sag-app1"), ["doctest2", "doctest1"]);
}

#[test]
fn delete_refuses_a_user_used_this_month_until_unmarked() {
    let mut a = with_user();
    let (sh, app1) = (region(SH), sag("sag-app1"));
    a.mark_used_this_month(&sh, &app1, &"doctest1".parse().unwrap(), true)
        .unwrap();
    assert!(instance(&a, SH, "sag-app1")
        .user(&"doctest1".parse().unwrap())
        .unwrap()
        .used_this_month());
    let request = del(user_ref(SH, "sag-app1", "doctest1"));
    fails_with(&mut a, &request, &[Error::UserInUsing]);
    // A used user can still be modified, enabled, disabled and given a new password.
    ok(&mut a, &m(modify(SH, "sag-app1", "doctest1", "300")));
    ok(
        &mut a,
        &Request::DisableUser(user_ref(SH, "sag-app1", "doctest1")),
    );
    ok(
        &mut a,
        &r(reset(SH, "sag-app1", "doctest1", Some("newpass01"))),
    );
    fails_with(&mut a, &request, &[Error::UserInUsing]);
    a.mark_used_this_month(&sh, &app1, &"doctest1".parse().unwrap(), false)
        .unwrap();
    done(ok(&mut a, &request));
    assert!(instance(&a, SH, "sag-app1")
        .user(&"doctest1".parse().unwrap())
        .is_none());
}

#[test]
fn delete_typed_method_errors() {
    let mut a = with_user();
    let typed =
        |id: &str, name: &str| ClientUserRef::new(region(SH), sag(id), name.parse().unwrap());
    let before = a.clone();
    for (id, name, e) in [
        ("sag-nothere", "doctest1", Error::InstanceNotFound),
        ("sag-app1", "nobody01", Error::UserNotFound),
    ] {
        assert_eq!(a.delete_client_user(typed(id, name)), Err(e));
    }
    a.mark_used_this_month(
        &region(SH),
        &sag("sag-app1"),
        &"doctest1".parse().unwrap(),
        true,
    )
    .unwrap();
    let marked = a.clone();
    assert_ne!(marked, before);
    assert_eq!(
        a.delete_client_user(typed("sag-app1", "doctest1")),
        Err(Error::UserInUsing)
    );
    let disable = a.set_user_state(typed("sag-app1", "nobody01"), UserState::Disabled);
    let enable = a.set_user_state(typed("sag-nothere", "doctest1"), UserState::Enabled);
    assert_eq!(
        (disable, enable),
        (Err(Error::UserNotFound), Err(Error::InstanceNotFound))
    );
    assert_eq!(a, marked);
}

#[test]
fn disable_and_enable_set_the_state() {
    let mut a = with_user();
    add_user(&mut a, SH, "sag-app1", "doctest2");
    let states = |a: &mut Account| -> Vec<(String, u8)> {
        page(ok(a, &d(describe(SH, "sag-app1"))))
            .users
            .iter()
            .map(|u| (u.user_name.to_string(), u.state.code()))
            .collect()
    };
    assert_eq!(
        states(&mut a),
        [("doctest1".into(), 0), ("doctest2".into(), 0)]
    );
    // Disabling or enabling twice is no error.
    let (disable, enable) = (
        Request::DisableUser as fn(_) -> _,
        Request::EnableUser as fn(_) -> _,
    );
    let steps = [
        (disable, UserState::Disabled, 1),
        (disable, UserState::Disabled, 1),
        (enable, UserState::Enabled, 0),
        (enable, UserState::Enabled, 0),
    ];
    for (op, state, code) in steps {
        done(ok(&mut a, &op(user_ref(SH, "sag-app1", "doctest1"))));
        let user = instance(&a, SH, "sag-app1")
            .user(&"doctest1".parse().unwrap())
            .unwrap();
        assert_eq!(user.state(), state);
        assert_eq!(
            states(&mut a),
            [("doctest1".into(), code), ("doctest2".into(), 0)]
        );
    }
}

// =============================================================================================
// ResetSmartAccessGatewayClientUserPassword
// =============================================================================================

#[test]
fn reset_sets_the_given_password() {
    let mut a = with_user();
    done(ok(
        &mut a,
        &r(reset(SH, "sag-app1", "doctest1", Some("Newpass_@-1"))),
    ));
    let user = instance(&a, SH, "sag-app1")
        .user(&"doctest1".parse().unwrap())
        .unwrap();
    assert_eq!(user.password().expose_secret(), "Newpass_@-1");
    // Nothing else changed.
    assert_eq!(user.mail().as_str(), MAIL);
    assert_eq!(user.bandwidth().get(), 2000);
}

fn reset_generated(seed: u64) -> String {
    let mut a = Account::with_seed(seed);
    add(&mut a, app("sag-app1", SH, 5, "10.0.0.0/24"));
    add_user(&mut a, SH, "sag-app1", "doctest1");
    done(ok(&mut a, &r(reset(SH, "sag-app1", "doctest1", None))));
    instance(&a, SH, "sag-app1")
        .user(&"doctest1".parse().unwrap())
        .unwrap()
        .password()
        .expose_secret()
        .to_owned()
}

#[test]
fn reset_without_password_generates_a_valid_one_deterministically() {
    let generated = reset_generated(3);
    assert!(generated.parse::<Password>().is_ok(), "{generated}");
    assert_ne!(generated, PASSWORD);
    assert_eq!(reset_generated(3), generated);
    assert_ne!(reset_generated(4), generated);
}

#[test]
fn reset_typed_method_errors() {
    let mut a = with_user();
    let before = a.clone();
    let user = ClientUserRef::new(region(SH), sag("sag-app1"), "nobody01".parse().unwrap());
    let typed = ResetPassword::new(user);
    assert_eq!(a.reset_password(typed), Err(Error::UserNotFound));
    assert_eq!(a, before);
}

// =============================================================================================
// DescribeSmartAccessGatewayClientUsers
// =============================================================================================

/// `sag-big` (Shanghai, quota 30) with users user0001..user0025 in that order; users with an
/// odd number have mail odd@example.com, the others even@example.com; every fifth user has a
/// static address.
fn with_many() -> Account {
    let mut a = account();
    add(&mut a, app("sag-big", SH, 30, "10.7.0.0/24"));
    for i in 1..=25u32 {
        let mail = if i % 2 == 1 {
            "odd@example.com"
        } else {
            "even@example.com"
        };
        let raw = {
            let mut raw = create(SH, "sag-big", &format!("user{i:04}"))
                .user_mail(mail)
                .bandwidth(format!("{}", i * 10));
            raw.client_ip = (i % 5 == 0).then(|| format!("10.7.0.{i}"));
            raw
        };
        ok(&mut a, &c(raw));
    }
    a
}

fn all_names(range: core::ops::RangeInclusive<u32>) -> Vec<String> {
    range.map(|i| format!("user{i:04}")).collect()
}

fn describe_page(a: &mut Account, number: Option<&str>, size: Option<&str>) -> ClientUserPage {
    let raw = {
        let mut raw = describe(SH, "sag-big");
        raw.page_number = number.map(Into::into);
        raw.page_size = size.map(Into::into);
        raw
    };
    page(ok(a, &d(raw)))
}

#[test]
fn describe_defaults_to_page_1_of_10_in_creation_order() {
    let mut a = with_many();
    let first = describe_page(&mut a, None, None);
    assert_eq!(first.total_count, 25);
    assert_eq!(first.page_number.get(), 1);
    assert_eq!(first.page_size.get(), 10);
    assert_eq!(page_names(&first), all_names(1..=10));
}

#[test]
fn describe_paging() {
    let mut a = with_many();
    let second = describe_page(&mut a, Some("2"), None);
    assert_eq!(
        (
            second.page_number.get(),
            second.page_size.get(),
            second.total_count
        ),
        (2, 10, 25)
    );
    assert_eq!(page_names(&second), all_names(11..=20));
    let last = describe_page(&mut a, Some("3"), Some("10"));
    assert_eq!(page_names(&last), all_names(21..=25));
    let sevens = describe_page(&mut a, Some("4"), Some("7"));
    assert_eq!(page_names(&sevens), all_names(22..=25));
    let everything = describe_page(&mut a, Some("1"), Some("100"));
    assert_eq!(page_names(&everything), all_names(1..=25));
    let one = describe_page(&mut a, Some("25"), Some("1"));
    assert_eq!(page_names(&one), all_names(25..=25));
    // Leading zeros are digits too.
    let padded = describe_page(&mut a, Some("02"), Some("010"));
    assert_eq!(page_names(&padded), all_names(11..=20));
    // A page past the end is empty, with the true total.
    for (number, size) in [
        ("4", "10"),
        ("26", "1"),
        ("2", "100"),
        ("4294967295", "100"),
    ] {
        let past = describe_page(&mut a, Some(number), Some(size));
        assert!(past.users.is_empty(), "page {number} of {size}");
        assert_eq!(past.total_count, 25);
        assert_eq!(past.page_number.get(), number.parse::<u32>().unwrap());
    }
}

#[test]
fn describe_order_follows_creation_after_deletes() {
    let mut a = with_many();
    ok(&mut a, &del(user_ref(SH, "sag-big", "user0003")));
    add_user(&mut a, SH, "sag-big", "user0003");
    let all = describe_page(&mut a, None, Some("100"));
    let mut expected = all_names(1..=25);
    expected.retain(|n| n != "user0003");
    expected.push("user0003".into());
    assert_eq!(page_names(&all), expected);
}

#[test]
fn describe_summaries() {
    let mut a = with_many();
    ok(
        &mut a,
        &Request::DisableUser(user_ref(SH, "sag-big", "user0002")),
    );
    let first = describe_page(&mut a, None, Some("5"));
    let summary = |i: usize| &first.users[i];
    assert_eq!(summary(0).user_mail.as_str(), "odd@example.com");
    assert_eq!(summary(1).user_mail.as_str(), "even@example.com");
    assert_eq!(summary(0).bandwidth.get(), 10);
    assert_eq!(summary(4).bandwidth.get(), 50);
    assert_eq!(summary(0).state, UserState::Enabled);
    assert_eq!(summary(0).state.code(), 0);
    assert_eq!(summary(1).state, UserState::Disabled);
    assert_eq!(summary(1).state.code(), 1);
    // IsStaticIp: the fifth user has a static address, the others none.
    assert!(!summary(0).is_static_ip());
    assert_eq!(summary(0).client_ip, None);
    assert!(summary(4).is_static_ip());
    assert_eq!(summary(4).client_ip, Some("10.7.0.5".parse().unwrap()));
}

#[test]
fn describe_filters_are_exact() {
    let mut a = with_many();
    let filtered = |a: &mut Account, name: Option<&str>, mail: Option<&str>| {
        let raw = {
            let mut raw = describe(SH, "sag-big").page_size("100");
            raw.user_name = name.map(Into::into);
            raw.user_mail = mail.map(Into::into);
            raw
        };
        page(ok(a, &d(raw)))
    };
    let one = filtered(&mut a, Some("user0007"), None);
    assert_eq!(page_names(&one), ["user0007"]);
    assert_eq!(one.total_count, 1);
    // Exact: no prefix, no other case.
    for name in ["user000", "USER0007", "user00071", " user0007"] {
        let none = filtered(&mut a, Some(name), None);
        assert!(none.users.is_empty(), "{name}");
        assert_eq!(none.total_count, 0);
    }
    let even = filtered(&mut a, None, Some("even@example.com"));
    assert_eq!(even.total_count, 12);
    assert_eq!(
        page_names(&even),
        (1..=25u32)
            .filter(|i| i % 2 == 0)
            .map(|i| format!("user{i:04}"))
            .collect::<Vec<_>>()
    );
    assert!(filtered(&mut a, None, Some("EVEN@example.com"))
        .users
        .is_empty());
    assert!(filtered(&mut a, None, Some("even@example"))
        .users
        .is_empty());
    // Both filters: the user must match both.
    assert_eq!(
        page_names(&filtered(
            &mut a,
            Some("user0008"),
            Some("even@example.com")
        )),
        ["user0008"]
    );
    assert!(filtered(&mut a, Some("user0007"), Some("even@example.com"))
        .users
        .is_empty());
    // An empty filter is no filter.
    assert_eq!(filtered(&mut a, Some(""), Some("")).total_count, 25);
    // Paging applies to the filtered users.
    let raw = describe(SH, "sag-big")
        .user_mail("odd@example.com")
        .page_number("2")
        .page_size("5");
    let odd = page(ok(&mut a, &d(raw)));
    assert_eq!(odd.total_count, 13);
    assert_eq!(
        page_names(&odd),
        ["user0011", "user0013", "user0015", "user0017", "user0019"]
    );
}

#[test]
fn describe_an_empty_instance() {
    let mut a = account();
    let empty = page(ok(&mut a, &d(describe(SH, "sag-app1"))));
    assert_eq!((empty.total_count, empty.users.len()), (0, 0));
    // Describing is allowed on instances that cannot hold users.
    assert_eq!(
        page(ok(&mut a, &d(describe(SH, "sag-nopool")))).total_count,
        0
    );
    assert_eq!(page(ok(&mut a, &d(describe(SH, "sag-hw1")))).total_count, 0);
}

#[test]
fn describe_typed_method_errors() {
    let a = with_many();
    let typed = |id: &str, number: u32, size: u32| {
        DescribeClientUsers::new(region(SH), sag(id))
            .with_page_number(PageNumber::new(number).unwrap())
            .with_page_size(PageSize::new(size).unwrap())
    };
    assert_eq!(
        a.describe_client_users(typed("sag-nothere", 1, 10)),
        Err(Error::InstanceNotFound)
    );
    // A typed request holds only valid paging: the constructors refuse the rest.
    assert_eq!(PageNumber::new(0), Err(Error::InvalidParameter));
    assert_eq!(PageSize::new(0), Err(Error::InvalidParameter));
    assert_eq!(PageSize::new(101), Err(Error::InvalidParameter));
    assert_eq!(PageSize::new(100).map(PageSize::get), Ok(100));
    let page = a.describe_client_users(typed("sag-big", 3, 10)).unwrap();
    assert_eq!(page_names(&page), all_names(21..=25));
}

// =============================================================================================
// Region scoping
// =============================================================================================

#[test]
fn an_instance_asked_for_in_another_region_is_not_found() {
    let mut a = with_user();
    // sag-app1 lives in Shanghai; every operation asked in Beijing (where other instances do
    // exist) does not find it.
    let requests = [
        c(create(BJ, "sag-app1", "doctest9")),
        m(modify(BJ, "sag-app1", "doctest1", "100")),
        del(user_ref(BJ, "sag-app1", "doctest1")),
        Request::EnableUser(user_ref(BJ, "sag-app1", "doctest1")),
        Request::DisableUser(user_ref(BJ, "sag-app1", "doctest1")),
        r(reset(BJ, "sag-app1", "doctest1", None)),
        d(describe(BJ, "sag-app1")),
        Request::ModifyGateway(gateway(BJ, "sag-app1", Some("10.0.0.0/16"))),
        Request::ModifyGateway(gateway(BJ, "sag-app1", None)),
    ];
    for request in &requests {
        fails_with(&mut a, request, &[Error::InstanceNotFound]);
    }
    // And the Beijing instance is not found from Shanghai.
    fails_with(
        &mut a,
        &c(create(SH, "sag-bj1", "doctest9")),
        &[Error::InstanceNotFound],
    );
    // The same requests in the right region succeed.
    ok(&mut a, &c(create(SH, "sag-app1", "doctest9")));
    ok(&mut a, &c(create(BJ, "sag-bj1", "doctest9")));
    ok(&mut a, &d(describe(SH, "sag-app1")));
    assert_eq!(
        a.instance(&region(BJ), &"sag-app1".parse().unwrap())
            .map(Instance::id),
        None,
        "lookups are scoped by region"
    );
}

// =============================================================================================
// Atomicity and the violations/execute agreement on a mixed sequence
// =============================================================================================

#[test]
fn failed_calls_leave_the_account_equal_to_its_clone() {
    // A selection of failing calls on a populated account, each compared explicitly with the
    // clone taken before it (on top of the same check inside `fails`).
    let mut a = with_many();
    a.mark_used_this_month(
        &region(SH),
        &sag("sag-big"),
        &"user0004".parse().unwrap(),
        true,
    )
    .unwrap();
    let failing = [
        c(create(SH, "sag-big", "user0001")),
        c(create(SH, "sag-big", "newuser1").client_ip("10.7.0.5")),
        c({
            let mut raw = create(SH, "sag-big", "ignored1").client_ip("10.7.0.255");
            raw.user_name = None;
            raw.password = None;
            raw
        }),
        m(modify(SH, "sag-big", "nobody01", "10")),
        m(modify(SH, "sag-big", "user0001", "10").email("bad")),
        del(user_ref(SH, "sag-big", "user0004")),
        del(user_ref(SH, "sag-big", "nobody01")),
        r(reset(SH, "sag-big", "user0001", Some("short"))),
        r(reset(SH, "sag-big", "nobody01", None)),
        Request::DisableUser(user_ref(SH, "sag-big", "nobody01")),
        d(describe(SH, "sag-big").page_size("0")),
    ];
    for request in &failing {
        let before = a.clone();
        let violations = a.violations(request);
        let answer = a.execute(request);
        assert!(answer.is_err(), "{request:?} should fail");
        assert_eq!(answer.err(), violations.first().copied());
        assert_eq!(a, before, "{request:?} changed the account");
    }
    assert!(a.invariant_violations().is_empty());
}

// =============================================================================================
// An action that names no operation
// =============================================================================================

/// `InvalidAction.NotFound` belongs to no operation: a `Request` always names one, so the code
/// comes from reading the parameters (the wire layer), and the account is not touched.
#[cfg(feature = "wire")]
#[test]
fn an_unknown_action_is_action_not_found() {
    use smartag_rules::wire::{parse_request, Service};

    let mut service = Service::with_account(with_user(), 0);
    let before = service.account().clone();
    for action in ["NoSuchThing", "createsmartaccessgatewayclientuser", "Roam"] {
        let params = [
            ("Action", action),
            ("RegionId", SH),
            ("SmartAGId", "sag-app1"),
            ("UserName", "doctest1"),
        ];
        let parsed = parse_request(params).map(|p| p.request);
        assert_eq!(parsed.map_err(|e| e.error), Err(Error::ActionNotFound));
        let answer = service.handle(params);
        assert_eq!(answer.status, 404);
        let body: serde_json::Value = serde_json::from_str(&answer.body).unwrap();
        assert_eq!(body["Code"], "InvalidAction.NotFound");
        assert_eq!(
            body["Message"],
            "Specified api is not found, please check your url and method."
        );
    }
    assert_eq!(*service.account(), before);
}
