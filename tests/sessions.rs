//! Online sessions (`Account::connect`): who connects from which address, what ends a session,
//! and the session invariants after random sequences of connects and the operations that end
//! sessions.

mod common;

use common::*;
use proptest::prelude::*;
use smartag_rules::{Account, ConnectError, Request, Session, UserName};

fn name(s: &str) -> UserName {
    s.parse().unwrap()
}

/// The addresses of the sessions of `user` on `id`, oldest first.
fn addresses(account: &Account, id: &str, user: &str) -> Vec<String> {
    instance(account, SH, id)
        .sessions_of(&name(user))
        .map(|s| s.client_ip().to_string())
        .collect()
}

fn connect(account: &mut Account, id: &str, user: &str) -> Result<Session, ConnectError> {
    let before = account.clone();
    let result = account.connect(&sag(id), &name(user));
    if result.is_err() {
        assert!(*account == before, "a refused connect changed the account");
    }
    let broken = account.invariant_violations();
    assert!(broken.is_empty(), "invariants broken: {broken:?}");
    result
}

/// sag-app1 in Shanghai with 10.0.0.0/29 (hosts .1 to .6) and users alice (dynamic), bob
/// (static .2) and carol (dynamic); sag-hw1 a hardware instance.
fn fixture() -> Account {
    let mut account = Account::with_seed(7);
    add(&mut account, app("sag-app1", SH, 10, "10.0.0.0/29"));
    add(
        &mut account,
        smartag_rules::InstanceSpec::hardware(sag("sag-hw1"), region(SH)),
    );
    add_user(&mut account, SH, "sag-app1", "alice.01");
    add_static_user(&mut account, SH, "sag-app1", "bob-0002", "10.0.0.2");
    add_user(&mut account, SH, "sag-app1", "carol.03");
    account
}

#[test]
fn dynamic_users_get_the_lowest_free_host_per_session() {
    let mut account = fixture();
    account.set_clock(1_559_125_519);
    let first = connect(&mut account, "sag-app1", "alice.01").unwrap();
    assert_eq!(first.client_ip().to_string(), "10.0.0.1");
    assert_eq!(first.online_time(), 1_559_125_519);
    // .2 is bob's static address: skipped.
    account.set_clock(1_559_125_600);
    let second = connect(&mut account, "sag-app1", "alice.01").unwrap();
    assert_eq!(second.client_ip().to_string(), "10.0.0.3");
    assert_eq!(second.online_time(), 1_559_125_600);
    assert_eq!(
        connect(&mut account, "sag-app1", "carol.03")
            .unwrap()
            .client_ip()
            .to_string(),
        "10.0.0.4"
    );
    assert_eq!(
        addresses(&account, "sag-app1", "alice.01"),
        ["10.0.0.1", "10.0.0.3"]
    );
    // .5 and .6 left, then none.
    connect(&mut account, "sag-app1", "carol.03").unwrap();
    connect(&mut account, "sag-app1", "carol.03").unwrap();
    assert_eq!(
        connect(&mut account, "sag-app1", "alice.01"),
        Err(ConnectError::NoFreeAddress(sag("sag-app1")))
    );
    // The static user still connects from its own address.
    assert_eq!(
        connect(&mut account, "sag-app1", "bob-0002")
            .unwrap()
            .client_ip()
            .to_string(),
        "10.0.0.2"
    );
}

#[test]
fn a_static_user_has_one_session_from_its_address() {
    let mut account = fixture();
    connect(&mut account, "sag-app1", "bob-0002").unwrap();
    account.set_clock(60);
    let again = connect(&mut account, "sag-app1", "bob-0002").unwrap();
    assert_eq!(again.online_time(), 60);
    let sessions: Vec<_> = instance(&account, SH, "sag-app1").sessions().collect();
    assert_eq!(sessions, [&again]);
}

#[test]
fn only_an_enabled_user_of_an_app_instance_connects() {
    let mut account = fixture();
    let cases: &[(&str, &str, ConnectError)] = &[
        (
            "sag-nothere",
            "alice.01",
            ConnectError::NoSuchInstance(sag("sag-nothere")),
        ),
        (
            "sag-hw1",
            "alice.01",
            ConnectError::NotAppInstance(sag("sag-hw1")),
        ),
        (
            "sag-app1",
            "nobody99",
            ConnectError::NoSuchUser {
                instance: sag("sag-app1"),
                user: name("nobody99"),
            },
        ),
    ];
    for (id, user, error) in cases {
        assert_eq!(connect(&mut account, id, user).as_ref(), Err(error));
    }
    ok(
        &mut account,
        &Request::DisableUser(user_ref(SH, "sag-app1", "alice.01")),
    );
    assert_eq!(
        connect(&mut account, "sag-app1", "alice.01"),
        Err(ConnectError::UserDisabled {
            instance: sag("sag-app1"),
            user: name("alice.01"),
        })
    );
    ok(
        &mut account,
        &Request::EnableUser(user_ref(SH, "sag-app1", "alice.01")),
    );
    connect(&mut account, "sag-app1", "alice.01").unwrap();
}

#[test]
fn disable_delete_and_reset_end_the_users_sessions() {
    let requests = [
        Request::DisableUser(user_ref(SH, "sag-app1", "alice.01")),
        Request::DeleteClientUser(user_ref(SH, "sag-app1", "alice.01")),
        Request::ResetClientUserPassword(reset(SH, "sag-app1", "alice.01", None)),
        Request::ResetClientUserPassword(reset(SH, "sag-app1", "alice.01", Some("newpass99"))),
    ];
    for request in requests {
        let mut account = fixture();
        connect(&mut account, "sag-app1", "alice.01").unwrap();
        connect(&mut account, "sag-app1", "alice.01").unwrap();
        connect(&mut account, "sag-app1", "carol.03").unwrap();
        ok(&mut account, &request);
        assert!(
            addresses(&account, "sag-app1", "alice.01").is_empty(),
            "{}",
            request.action()
        );
        assert_eq!(
            addresses(&account, "sag-app1", "carol.03"),
            ["10.0.0.4"],
            "{}",
            request.action()
        );
    }
    // Enabling (an enabled user) and modifying end nothing.
    let mut account = fixture();
    connect(&mut account, "sag-app1", "alice.01").unwrap();
    ok(
        &mut account,
        &Request::EnableUser(user_ref(SH, "sag-app1", "alice.01")),
    );
    ok(
        &mut account,
        &Request::ModifyClientUser(modify(SH, "sag-app1", "alice.01", "100")),
    );
    assert_eq!(addresses(&account, "sag-app1", "alice.01"), ["10.0.0.1"]);
}

#[test]
fn deleting_an_origin_user_ends_the_sessions_of_its_copies() {
    let mut account = Account::with_seed(7);
    add(&mut account, app("sag-sh1", SH, 5, "10.0.0.0/24"));
    add(&mut account, app("sag-sg1", SG, 5, "192.168.0.0/24"));
    add_user(&mut account, SH, "sag-sh1", "alice.01");
    ok(
        &mut account,
        &Request::RoamClientUser(roam(SH, "sag-sh1", SG, "sag-sg1", "alice.01")),
    );
    account.connect(&sag("sag-sg1"), &name("alice.01")).unwrap();
    account.connect(&sag("sag-sh1"), &name("alice.01")).unwrap();
    ok(
        &mut account,
        &Request::DeleteClientUser(user_ref(SH, "sag-sh1", "alice.01")),
    );
    assert!(account.instances().all(|i| i.sessions().next().is_none()));
}

#[test]
fn a_pool_change_ends_the_sessions_whose_address_left_it() {
    let mut account = Account::with_seed(7);
    add(
        &mut account,
        app("sag-app1", SH, 10, "10.0.0.0/30,10.0.1.0/30"),
    );
    add_user(&mut account, SH, "sag-app1", "alice.01");
    for _ in 0..4 {
        connect(&mut account, "sag-app1", "alice.01").unwrap();
    }
    assert_eq!(
        addresses(&account, "sag-app1", "alice.01"),
        ["10.0.0.1", "10.0.0.2", "10.0.1.1", "10.0.1.2"]
    );
    ok(
        &mut account,
        &Request::ModifyGateway(gateway(SH, "sag-app1", Some("10.0.1.0/29"))),
    );
    assert_eq!(
        addresses(&account, "sag-app1", "alice.01"),
        ["10.0.1.1", "10.0.1.2"]
    );
    // A refused pool change ends nothing.
    fails(
        &mut account,
        &Request::ModifyGateway(gateway(SH, "sag-app1", Some("8.8.8.0/24"))),
        smartag_rules::Error::InvalidCidr,
    );
    assert_eq!(addresses(&account, "sag-app1", "alice.01").len(), 2);
}

#[test]
fn the_lowest_host_is_found_across_blocks_in_address_order() {
    let mut account = Account::with_seed(7);
    add(
        &mut account,
        app("sag-app1", SH, 10, "192.168.0.0/30,10.0.0.0/30"),
    );
    add_user(&mut account, SH, "sag-app1", "alice.01");
    let ips: Vec<String> = (0..4)
        .map(|_| {
            connect(&mut account, "sag-app1", "alice.01")
                .unwrap()
                .client_ip()
                .to_string()
        })
        .collect();
    assert_eq!(ips, ["10.0.0.1", "10.0.0.2", "192.168.0.1", "192.168.0.2"]);
}

#[test]
fn a_static_address_held_by_a_session_is_not_free() {
    let mut account = fixture();
    connect(&mut account, "sag-app1", "alice.01").unwrap();
    fails(
        &mut account,
        &Request::CreateClientUser(create(SH, "sag-app1", "dave-004").client_ip("10.0.0.1")),
        smartag_rules::Error::InvalidClientIp,
    );
    ok(
        &mut account,
        &Request::CreateClientUser(create(SH, "sag-app1", "dave-004").client_ip("10.0.0.3")),
    );
}

/// One step of a random session history.
#[derive(Clone, Debug)]
enum Step {
    Connect(usize),
    Disable(usize),
    Enable(usize),
    Delete(usize),
    Reset(usize),
    Create(usize, Option<u8>),
    Pool(usize),
    Clock(u64),
}

const USERS: [&str; 4] = ["alice.01", "bob-0002", "carol.03", "dave-004"];
const POOLS: [&str; 4] = [
    "10.0.0.0/29",
    "10.0.0.0/30",
    "10.0.0.0/28,10.0.1.0/30",
    "10.0.1.0/30,10.0.0.0/29",
];

fn step() -> impl Strategy<Value = Step> {
    let user = 0..USERS.len();
    prop_oneof![
        4 => user.clone().prop_map(Step::Connect),
        1 => user.clone().prop_map(Step::Disable),
        1 => user.clone().prop_map(Step::Enable),
        1 => user.clone().prop_map(Step::Delete),
        1 => user.clone().prop_map(Step::Reset),
        2 => (user, proptest::option::of(0u8..16)).prop_map(|(u, ip)| Step::Create(u, ip)),
        1 => (0..POOLS.len()).prop_map(Step::Pool),
        1 => any::<u64>().prop_map(Step::Clock),
    ]
}

proptest! {
    /// After any history of connects and of the operations that end sessions, the session
    /// invariants hold (checked by [`connect`] and [`ok`] after every step), a refused step
    /// changes nothing, and every session's time is a time the clock showed.
    #[test]
    fn sessions_keep_their_invariants(steps in proptest::collection::vec(step(), 1..40)) {
        let mut account = fixture();
        let mut times = vec![0];
        for step in &steps {
            let at = |u: &usize| USERS[*u];
            let request = match step {
                Step::Connect(u) => {
                    let _ = connect(&mut account, "sag-app1", at(u));
                    continue;
                }
                Step::Clock(t) => {
                    account.set_clock(*t);
                    times.push(*t);
                    continue;
                }
                Step::Disable(u) => Request::DisableUser(user_ref(SH, "sag-app1", at(u))),
                Step::Enable(u) => Request::EnableUser(user_ref(SH, "sag-app1", at(u))),
                Step::Delete(u) => Request::DeleteClientUser(user_ref(SH, "sag-app1", at(u))),
                Step::Reset(u) => Request::ResetClientUserPassword(reset(SH, "sag-app1", at(u), None)),
                Step::Create(u, ip) => {
                    let mut raw = create(SH, "sag-app1", at(u));
                    raw.client_ip = ip.map(|last| format!("10.0.0.{last}"));
                    Request::CreateClientUser(raw)
                }
                Step::Pool(p) => Request::ModifyGateway(gateway(SH, "sag-app1", Some(POOLS[*p]))),
            };
            match account.violations(&request).first() {
                None => {
                    ok(&mut account, &request);
                }
                Some(&error) => {
                    fails(&mut account, &request, error);
                }
            }
        }
        for session in instance(&account, SH, "sag-app1").sessions() {
            prop_assert!(times.contains(&session.online_time()));
        }
    }
}
