//! `DescribeUserOnlineClients` and `KickOutClients`: the case table (`cases/online.cases`), what
//! each answers of the sessions, and the parameter names each reads.

mod common;

use common::*;
use smartag_rules::{
    Account, DescribeUserOnlineClientsRaw, KickOutClientsRaw, OnlineClient, Request, Response,
};

case_table!(
    "online.cases",
    include_str!("cases/online.cases"),
    rows: 57
);

fn describe_online(user: &str) -> Request {
    Request::DescribeUserOnlineClients(
        DescribeUserOnlineClientsRaw::default()
            .region_id(SH)
            .smart_ag_id("sag-app1")
            .user_name(user),
    )
}

fn kick(user: &str) -> Request {
    Request::KickOutClients(
        KickOutClientsRaw::default()
            .region_id(SH)
            .smart_ag_id("sag-app1")
            .username(user),
    )
}

/// The sessions `DescribeUserOnlineClients` lists for `user`, as (address, time).
fn online(account: &mut Account, user: &str) -> Vec<(String, u64)> {
    match ok(account, &describe_online(user)) {
        Response::OnlineClients(clients) => clients
            .iter()
            .map(|c: &OnlineClient| (c.client_ip.to_string(), c.online_time))
            .collect(),
        other => panic!("expected online clients, got {other:?}"),
    }
}

fn fixture() -> Account {
    let mut account = Account::with_seed(7);
    add(&mut account, app("sag-app1", SH, 5, "10.0.0.0/29"));
    add_user(&mut account, SH, "sag-app1", "alice.01");
    add_static_user(&mut account, SH, "sag-app1", "bob-0002", "10.0.0.2");
    account
}

#[test]
fn describe_lists_the_users_sessions_oldest_first() {
    let mut account = fixture();
    assert!(online(&mut account, "alice.01").is_empty());
    for (time, user) in [(100, "alice.01"), (200, "bob-0002"), (300, "alice.01")] {
        account.set_clock(time);
        account
            .connect(&sag("sag-app1"), &user.parse().unwrap())
            .unwrap();
    }
    assert_eq!(
        online(&mut account, "alice.01"),
        [("10.0.0.1".to_owned(), 100), ("10.0.0.3".to_owned(), 300)]
    );
    assert_eq!(
        online(&mut account, "bob-0002"),
        [("10.0.0.2".to_owned(), 200)]
    );
    assert!(online(&mut account, "nobody99").is_empty());
}

#[test]
fn kick_out_ends_every_session_of_the_user_alone() {
    let mut account = fixture();
    for user in ["alice.01", "alice.01", "bob-0002"] {
        account
            .connect(&sag("sag-app1"), &user.parse().unwrap())
            .unwrap();
    }
    done(ok(&mut account, &kick("alice.01")));
    assert!(online(&mut account, "alice.01").is_empty());
    assert_eq!(online(&mut account, "bob-0002").len(), 1);
    // The freed addresses are handed out again, lowest first.
    let again = account
        .connect(&sag("sag-app1"), &"alice.01".parse().unwrap())
        .unwrap();
    assert_eq!(again.client_ip().to_string(), "10.0.0.1");
}

#[test]
fn each_operation_reads_its_own_user_parameter() {
    assert_eq!(
        DescribeUserOnlineClientsRaw::PARAMETERS,
        ["RegionId", "SmartAGId", "UserName"]
    );
    assert_eq!(
        KickOutClientsRaw::PARAMETERS,
        ["RegionId", "SmartAGId", "Username"]
    );
}

#[test]
fn describe_is_a_read_and_kick_out_a_change() {
    assert!(!describe_online("alice.01").changes_state());
    assert!(kick("alice.01").changes_state());
}

/// The bodies, element for element as the API model's samples (`OnlineTime` as text), in the
/// JSON sample's order in both formats.
#[test]
#[cfg(feature = "wire")]
fn the_bodies_have_the_samples_elements() {
    use smartag_rules::wire::Success;
    let mut account = fixture();
    account.set_clock(1_559_125_519);
    account
        .connect(&sag("sag-app1"), &"alice.01".parse().unwrap())
        .unwrap();
    let id = "7108A98F-C47D-45F7-A4D8-C2E3022735DA";
    let success = Success::execute(&mut account, &describe_online("alice.01")).unwrap();
    assert_bodies(
        &success,
        id,
        r#"{"RequestId":"7108A98F-C47D-45F7-A4D8-C2E3022735DA","Users":{"User":[{"ClientIp":"10.0.0.1","OnlineTime":"1559125519"}]}}"#,
        concat!(
            r#"<?xml version="1.0" encoding="UTF-8"?><DescribeUserOnlineClientsResponse>"#,
            "<RequestId>7108A98F-C47D-45F7-A4D8-C2E3022735DA</RequestId><Users><User>",
            "<ClientIp>10.0.0.1</ClientIp><OnlineTime>1559125519</OnlineTime></User></Users>",
            "</DescribeUserOnlineClientsResponse>"
        ),
    );
    let success = Success::execute(&mut account, &kick("alice.01")).unwrap();
    assert_bodies(
        &success,
        id,
        r#"{"RequestId":"7108A98F-C47D-45F7-A4D8-C2E3022735DA"}"#,
        concat!(
            r#"<?xml version="1.0" encoding="UTF-8"?><KickOutClientsResponse>"#,
            "<RequestId>7108A98F-C47D-45F7-A4D8-C2E3022735DA</RequestId></KickOutClientsResponse>"
        ),
    );
}

/// The scenario line `online`: prints nothing; a refused connect, or a line of another shape,
/// stops the run with its line number.
#[test]
#[cfg(feature = "wire")]
fn the_online_scenario_line_connects_or_stops_the_run() {
    use smartag_rules::wire::scenario::Scenario;
    let setup = "instance sag-app1 region=cn-shanghai users=5 cidr=10.0.0.0/30\n\
                 Action=CreateSmartAccessGatewayClientUser&RegionId=cn-shanghai&SmartAGId=sag-app1&UserName=alice.01&Password=duuf1234&UserMail=a%40example.com\n";
    let describe = "Action=DescribeUserOnlineClients&RegionId=cn-shanghai&SmartAGId=sag-app1&UserName=alice.01";
    let lines = Scenario::run(&format!("{setup}online sag-app1 alice.01\n{describe}"), 0).unwrap();
    assert_eq!(lines.len(), 2);
    assert!(
        lines[1].ends_with(r#""Users":{"User":[{"ClientIp":"10.0.0.1","OnlineTime":"0"}]}}"#),
        "{}",
        lines[1]
    );
    let refused: &[(&str, &str)] = &[
        ("online sag-app1", "line 3: expected `online <instance ID> <user name>`"),
        ("online sag-app1 alice.01 again", "line 3: expected `online <instance ID> <user name>`"),
        ("online SAG-1 alice.01", "line 3: instance ID `SAG-1` is not `sag-` followed by lowercase letters and digits"),
        ("online sag-nothere alice.01", "line 3: cannot connect: no instance sag-nothere"),
        ("online sag-app1 nobody99", "line 3: cannot connect: no user nobody99 on instance sag-app1"),
        ("online sag-app1 _bad", "line 3: no user `_bad` on instance `sag-app1`"),
        (
            "online sag-app1 alice.01\nonline sag-app1 alice.01\nonline sag-app1 alice.01",
            "line 5: cannot connect: no free address in the pool of instance sag-app1",
        ),
        (
            "Action=DisableSmartAccessGatewayUser&RegionId=cn-shanghai&SmartAGId=sag-app1&UserName=alice.01\nonline sag-app1 alice.01",
            "line 4: cannot connect: user alice.01 of instance sag-app1 is disabled",
        ),
    ];
    for (lines, message) in refused {
        let error = Scenario::run(&format!("{setup}{lines}"), 0).unwrap_err();
        assert_eq!(error.to_string(), *message, "{lines}");
    }
}
