//! Snapshot and restore of an account through serde (the `serde` feature).
#![cfg(feature = "serde")]

use smartag_rules::{
    Account, CreateClientUserRaw, Error, InstanceSpec, Request, RoamClientUserRaw, UserState,
};

fn busy_account() -> Account {
    let mut account = Account::with_seed(9);
    let specs = [
        ("sag-sh1", "cn-shanghai", "10.0.0.0/24", Some("AB123")),
        ("sag-sg1", "ap-southeast-1", "192.168.0.0/24", Some("ab123")),
        ("sag-hw1", "cn-hangzhou", "172.16.0.0/16", None),
    ];
    for (id, region, pool, code) in specs {
        let mut spec = InstanceSpec::app(id.parse().unwrap(), region.parse().unwrap())
            .quota(10)
            .pool(pool.parse().unwrap());
        if let Some(code) = code {
            spec = spec.enterprise_code(code.parse().unwrap());
        }
        account.add_instance(spec).unwrap();
    }
    let create = |name: Option<&str>, ip: Option<&str>| {
        let mut raw = CreateClientUserRaw::default()
            .region_id("cn-shanghai")
            .smart_ag_id("sag-sh1")
            .user_mail("user@example.com");
        raw.user_name = name.map(str::to_string);
        raw.password = name.map(|_| "duuf1234".to_string());
        raw.client_ip = ip.map(str::to_string);
        Request::CreateClientUser(raw)
    };
    account
        .execute(&create(Some("alice.01"), Some("10.0.0.1")))
        .unwrap();
    account.execute(&create(Some("bob-0002"), None)).unwrap();
    account.execute(&create(None, None)).unwrap();
    account
        .execute(&Request::RoamClientUser(
            RoamClientUserRaw::default()
                .region_id("ap-southeast-1")
                .origin_region_id("cn-shanghai")
                .origin_smart_ag_id("sag-sh1")
                .target_smart_ag_id("sag-sg1")
                .user_name("bob-0002"),
        ))
        .unwrap();
    account
}

#[test]
fn snapshot_round_trips_and_the_restored_account_behaves_the_same() {
    let original = busy_account();
    let json = serde_json::to_string(&original).unwrap();
    let mut restored: Account = serde_json::from_str(&json).unwrap();
    assert_eq!(restored, original);
    assert!(restored.invariant_violations().is_empty());

    // The generator state travels too: both generate the same user next.
    let mut original = original;
    let next = Request::CreateClientUser(
        CreateClientUserRaw::default()
            .region_id("cn-shanghai")
            .smart_ag_id("sag-sh1")
            .user_mail("user@example.com"),
    );
    assert_eq!(original.execute(&next), restored.execute(&next));
    assert_eq!(restored, original);

    // The roaming link is rebuilt: the target's pool cannot now overlap the origin's.
    let region = "ap-southeast-1".parse().unwrap();
    let id = "sag-sg1".parse().unwrap();
    assert_eq!(
        restored.set_cidr_pool(&region, &id, "10.0.0.0/16".parse().unwrap()),
        Err(Error::CidrOverlap)
    );
    let user = restored
        .instance(&region, &"sag-sg1".parse().unwrap())
        .and_then(|i| i.user(&"bob-0002".parse().unwrap()))
        .map(|u| u.state());
    assert_eq!(user, Some(UserState::Enabled));
}

#[test]
fn a_snapshot_that_breaks_an_invariant_is_refused() {
    let json = serde_json::to_string(&busy_account()).unwrap();
    // Give bob the static address alice holds: two users of one instance would share it.
    let tampered = json.replacen("\"client_ip\":null", "\"client_ip\":\"10.0.0.1\"", 1);
    assert_ne!(tampered, json);
    assert!(serde_json::from_str::<Account>(&tampered).is_err());

    // An invalid field value is refused by the field's own parser.
    let tampered = json.replacen("alice.01", "_alice", 1);
    assert_ne!(tampered, json);
    assert!(serde_json::from_str::<Account>(&tampered).is_err());

    // A quota below the number of users.
    let tampered = json.replace("\"quota\":10", "\"quota\":1");
    assert_ne!(tampered, json);
    assert!(serde_json::from_str::<Account>(&tampered).is_err());
}

#[test]
fn the_password_is_in_the_snapshot_but_never_in_debug_output() {
    let account = busy_account();
    let json = serde_json::to_string(&account).unwrap();
    assert!(json.contains("duuf1234"));
    assert!(!format!("{account:?}").contains("duuf1234"));
}

#[test]
fn default_code_and_client_tokens_round_trip() {
    use smartag_rules::{DeleteEnterpriseCodeRaw, UpdateEnterpriseCodeRaw};
    let mut account = busy_account();
    let update = Request::UpdateEnterpriseCode(
        UpdateEnterpriseCodeRaw::default()
            .region_id("cn-shanghai")
            .enterprise_code("AB123")
            .is_default("true")
            .client_token("make-default"),
    );
    account.execute(&update).unwrap();
    let json = serde_json::to_string(&account).unwrap();
    let mut restored: Account = serde_json::from_str(&json).unwrap();
    assert_eq!(restored, account);
    assert_eq!(
        restored.default_enterprise_code().map(|c| c.as_str()),
        Some("AB123")
    );
    assert_eq!(restored.remembered_client_tokens(), 1);
    // The restored account still knows the token: a retry replays, other parameters do not.
    assert_eq!(restored.execute(&update), Ok(smartag_rules::Response::Done));
    let other = Request::DeleteEnterpriseCode(
        DeleteEnterpriseCodeRaw::default()
            .region_id("cn-shanghai")
            .enterprise_code("AB123")
            .client_token("make-default"),
    );
    assert_eq!(
        restored.execute(&other),
        Err(Error::IdempotentParameterMismatch)
    );
    // A default code that is not a code is refused.
    let tampered = json.replacen(
        "\"default_enterprise_code\":\"AB123\"",
        "\"default_enterprise_code\":\"ZZ999\"",
        1,
    );
    assert_ne!(tampered, json);
    assert!(serde_json::from_str::<Account>(&tampered).is_err());
}

/// The snapshot format before the default code and the client tokens: the codes as plain text
/// (in the alphabetical order that format kept them), no `default_enterprise_code`, no
/// `client_tokens`.
#[test]
fn a_snapshot_of_the_previous_format_still_restores() {
    let mut account = busy_account();
    account
        .execute(&Request::CreateEnterpriseCode(
            smartag_rules::CreateEnterpriseCodeRaw::default()
                .region_id("cn-shanghai")
                .enterprise_code("1ZZ99"),
        ))
        .unwrap();
    let mut old: serde_json::Value = serde_json::to_value(&account).unwrap();
    let object = old.as_object_mut().unwrap();
    assert!(object.remove("default_enterprise_code").is_some());
    assert!(object.remove("client_tokens").is_some());
    object.insert(
        "enterprise_codes".into(),
        serde_json::json!(["1ZZ99", "AB123"]),
    );
    let restored: Account = serde_json::from_value(old).unwrap();
    let codes: Vec<&str> = restored.enterprise_codes().map(|c| c.as_str()).collect();
    assert_eq!(codes, ["1ZZ99", "AB123"]);
    assert_eq!(restored.default_enterprise_code(), None);
    assert_eq!(restored.remembered_client_tokens(), 0);
    assert_eq!(restored.instances().count(), account.instances().count());
    assert!(restored.invariant_violations().is_empty());
}

/// `busy_account` with sessions: alice (static 10.0.0.1) once, bob twice, at clock times.
fn online_account() -> Account {
    let mut account = busy_account();
    let id = "sag-sh1".parse().unwrap();
    for (time, user) in [(100, "alice.01"), (200, "bob-0002"), (300, "bob-0002")] {
        account.set_clock(time);
        account.connect(&id, &user.parse().unwrap()).unwrap();
    }
    account.set_clock(1_559_125_519);
    account
}

#[test]
fn sessions_and_the_clock_round_trip() {
    let account = online_account();
    let json = serde_json::to_string(&account).unwrap();
    let mut restored: Account = serde_json::from_str(&json).unwrap();
    assert_eq!(restored, account);
    assert_eq!(restored.clock(), 1_559_125_519);
    let instance = restored
        .instance(&"cn-shanghai".parse().unwrap(), &"sag-sh1".parse().unwrap())
        .unwrap();
    let sessions: Vec<(String, String, u64)> = instance
        .sessions()
        .map(|s| {
            (
                s.user_name().to_string(),
                s.client_ip().to_string(),
                s.online_time(),
            )
        })
        .collect();
    assert_eq!(
        sessions,
        [
            ("alice.01".to_owned(), "10.0.0.1".to_owned(), 100),
            ("bob-0002".to_owned(), "10.0.0.2".to_owned(), 200),
            ("bob-0002".to_owned(), "10.0.0.3".to_owned(), 300),
        ]
    );
    // The restored account goes on alike: the next session is dated by the restored clock and
    // gets the next free address.
    let next = restored
        .connect(&"sag-sh1".parse().unwrap(), &"bob-0002".parse().unwrap())
        .unwrap();
    assert_eq!(
        (next.client_ip().to_string(), next.online_time()),
        ("10.0.0.4".to_owned(), 1_559_125_519)
    );
}

/// The snapshot format before sessions and the clock: no `sessions` in an instance, no `clock`
/// in the account. It restores with no session and the clock at 0.
#[test]
fn a_snapshot_without_sessions_and_clock_still_restores() {
    let account = busy_account();
    let mut old: serde_json::Value = serde_json::to_value(&account).unwrap();
    let object = old.as_object_mut().unwrap();
    assert!(object.remove("clock").is_some());
    for instance in object["instances"].as_array_mut().unwrap() {
        let removed = instance.as_object_mut().unwrap().remove("sessions");
        assert_eq!(removed, Some(serde_json::json!([])));
    }
    let restored: Account = serde_json::from_value(old).unwrap();
    assert_eq!(restored, account);
    assert_eq!(restored.clock(), 0);
    assert!(restored.instances().all(|i| i.sessions().next().is_none()));
}

#[test]
fn a_snapshot_whose_sessions_break_an_invariant_is_refused() {
    let json = serde_json::to_string(&online_account()).unwrap();
    let tampered: &[(&str, &str)] = &[
        // Two sessions at one address.
        (
            r#""client_ip":"10.0.0.3","online_time":300"#,
            r#""client_ip":"10.0.0.2","online_time":300"#,
        ),
        // A dynamic user's session at alice's static address.
        (
            r#""client_ip":"10.0.0.3","online_time":300"#,
            r#""client_ip":"10.0.0.1","online_time":300"#,
        ),
        // Not a host of the pool.
        (
            r#""client_ip":"10.0.0.3","online_time":300"#,
            r#""client_ip":"10.0.1.3","online_time":300"#,
        ),
        // The static user away from its address.
        (
            r#""client_ip":"10.0.0.1","online_time":100"#,
            r#""client_ip":"10.0.0.9","online_time":100"#,
        ),
        // A session of no user.
        (
            r#""user_name":"bob-0002","client_ip":"10.0.0.3""#,
            r#""user_name":"nobody99","client_ip":"10.0.0.3""#,
        ),
    ];
    for (from, to) in tampered {
        assert!(json.contains(from), "{from} in {json}");
        let changed = json.replacen(from, to, 1);
        assert!(
            serde_json::from_str::<Account>(&changed).is_err(),
            "{to} was accepted"
        );
    }
    // A session of a disabled user: alice, disabled in the snapshot.
    let alice = json.find(r#""name":"alice.01""#).unwrap();
    let (head, tail) = json.split_at(alice);
    let changed = format!(
        "{head}{}",
        tail.replacen(r#""state":"Enabled""#, r#""state":"Disabled""#, 1)
    );
    assert_ne!(changed, json);
    assert!(serde_json::from_str::<Account>(&changed).is_err());
}
