//! The `proptest` feature's strategies keep their promises: valid values parse back from their
//! text, labelled invalid inputs fail with exactly their label, valid requests succeed, labelled
//! invalid requests fail with exactly their label and change nothing, and together the labelled
//! requests reach every error code a request can reach.
#![cfg(feature = "proptest")]

use std::collections::BTreeSet;

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;
use regex::Regex;
use smartag_rules::strategies::*;
use smartag_rules::{
    Bandwidth, CidrBlock, CidrPool, ClientIp, EnterpriseCode, Error, OperationSequence, Password,
    RegionId, Request, SmartAgId, UserMail, UserName,
};

fn regex(pattern: &str) -> Regex {
    Regex::new(pattern).unwrap()
}

// ---------------------------------------------------------------------------------------------
// Valid values
// ---------------------------------------------------------------------------------------------

/// One property per typed strategy whose value displays as its text: the text matches the
/// type's published pattern and parses back to the value.
macro_rules! parses_back {
    ($($test:ident: $strategy:ident => $ty:ident),+ $(,)?) => {
        proptest! {
            #![proptest_config(ProptestConfig::with_cases(512))]
            $(
                #[test]
                fn $test(value in $strategy()) {
                    let text = value.to_string();
                    prop_assert!(regex($ty::PATTERN).is_match(&text), "{}", text);
                    prop_assert_eq!(text.parse::<$ty>(), Ok(value));
                }
            )+
        }
    };
}

parses_back! {
    user_names_parse_back: valid_user_name => UserName, client_ips_parse_back: valid_client_ip => ClientIp,
    instance_ids_parse_back: valid_smart_ag_id => SmartAgId, regions_parse_back: valid_region_id => RegionId,
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn passwords_parse_back(password in valid_password()) {
        prop_assert!(regex(Password::PATTERN).is_match(password.expose_secret()));
        prop_assert_eq!(password.expose_secret().parse::<Password>(), Ok(password));
    }

    #[test]
    fn bandwidths_parse_back(bandwidth in valid_bandwidth()) {
        prop_assert!((1..=20000).contains(&bandwidth.get()));
        prop_assert_eq!(bandwidth.to_string().parse::<Bandwidth>(), Ok(bandwidth));
    }

    #[test]
    fn mails_parse_back_and_have_the_published_shape(mail in valid_user_mail()) {
        prop_assert!(regex(UserMail::PATTERN).is_match(mail.as_str()));
        let (local, domain) = mail.as_str().rsplit_once('@').unwrap();
        prop_assert!(local.len() <= 64 && domain.len() <= 254);
        prop_assert!(domain.split('.').all(|l| (1..=63).contains(&l.len())));
        prop_assert_eq!(mail.to_string().parse::<UserMail>(), Ok(mail));
    }

    #[test]
    fn enterprise_codes_parse_back(code in valid_enterprise_code()) {
        prop_assert!(regex(EnterpriseCode::PATTERN).is_match(code.as_str()));
        let again: EnterpriseCode = code.to_string().parse().unwrap();
        // Codes compare case-insensitively: check the text too.
        prop_assert_eq!(again.as_str(), code.as_str());
    }

    #[test]
    fn cidr_blocks_parse_back(block in valid_cidr_block()) {
        let text = block.to_string();
        prop_assert!(regex(CidrBlock::PATTERN).is_match(&text));
        prop_assert!((8..=30).contains(&block.prefix_len()));
        prop_assert_eq!(text.parse::<CidrBlock>(), Ok(block));
    }

    #[test]
    fn cidr_pools_parse_back(pool in valid_cidr_pool()) {
        prop_assert!((1..=10).contains(&pool.len()));
        let blocks = pool.blocks();
        for (i, a) in blocks.iter().enumerate() {
            for b in &blocks[i + 1..] {
                prop_assert!(!a.overlaps(b), "{} overlaps {}", a, b);
            }
        }
        prop_assert_eq!(pool.to_string().parse::<CidrPool>(), Ok(pool));
    }
}

/// Every text generated from an exact published pattern is accepted by the type's parser: the
/// pattern and the parser agree (no silent filtering behind the typed strategies).
#[test]
fn text_of_each_exact_pattern_parses() {
    fn check<T: std::str::FromStr>(pattern: &str)
    where
        T::Err: std::fmt::Debug,
    {
        let mut runner = TestRunner::deterministic();
        let texts = pattern_text(pattern).unwrap();
        for _ in 0..2000 {
            let text = texts.new_tree(&mut runner).unwrap().current();
            assert!(regex(pattern).is_match(&text), "{text:?} vs {pattern}");
            if let Err(e) = text.parse::<T>() {
                panic!("{text:?} matches {pattern} but fails with {e:?}");
            }
        }
    }
    check::<UserName>(UserName::PATTERN);
    check::<Password>(Password::PATTERN);
    check::<Bandwidth>(Bandwidth::PATTERN);
    check::<ClientIp>(ClientIp::PATTERN);
    check::<SmartAgId>(SmartAgId::PATTERN);
    check::<RegionId>(RegionId::PATTERN);
    check::<EnterpriseCode>(EnterpriseCode::PATTERN);
}

#[test]
fn a_pattern_the_generator_cannot_follow_is_an_error_not_a_panic() {
    assert!(pattern_text(r"^a\bb$").is_err());
    assert!(pattern_text("(").is_err());
}

// ---------------------------------------------------------------------------------------------
// Labelled invalid values
// ---------------------------------------------------------------------------------------------

/// One property per invalid-text strategy: every text fails to parse with exactly its label,
/// and the label is one of the codes the strategy documents.
macro_rules! labels_hold {
    ($($test:ident: $strategy:ident => $ty:ty, $($code:ident)|+;)+) => {
        proptest! {
            #![proptest_config(ProptestConfig::with_cases(1024))]
            $(
                #[test]
                fn $test((text, code) in $strategy()) {
                    prop_assert!(matches!(code, $(Error::$code)|+), "{:?}", code);
                    prop_assert_eq!(text.parse::<$ty>().map(drop), Err(code));
                }
            )+
        }
    };
}

labels_hold! {
    invalid_user_names_fail_with_their_label: invalid_user_name => UserName, NameEmpty | NameInvalid;
    invalid_passwords_fail_with_their_label: invalid_password => Password, PasswordInvalid;
    invalid_bandwidths_fail_with_their_label: invalid_bandwidth => Bandwidth, BandwidthInvalid;
    invalid_mails_fail_with_their_label: invalid_user_mail => UserMail, EmailEmpty | EmailInvalid;
    invalid_client_ips_fail_with_their_label: invalid_client_ip => ClientIp, IpEmpty | IpInvalid;
    invalid_instance_ids_fail_with_their_label: invalid_smart_ag_id => SmartAgId, InstanceIdEmpty | InstanceNotFound;
    invalid_regions_fail_with_their_label: invalid_region_id => RegionId, MissingParameter | InvalidParameter;
    invalid_enterprise_codes_fail_with_their_label: invalid_enterprise_code => EnterpriseCode, MissingParameter | InvalidParameter;
    invalid_cidr_blocks_fail_with_their_label: invalid_cidr_block => CidrBlock, CidrEmpty | InvalidCidrFormat | InvalidCidr;
    invalid_cidr_pools_fail_with_their_label: invalid_cidr_pool => CidrPool, CidrEmpty | InvalidCidrFormat | InvalidCidr | CidrOverlap;
}

/// Draws `n` values of a strategy with a fixed seed.
fn sample<T: std::fmt::Debug>(s: &impl Strategy<Value = T>, n: usize) -> Vec<T> {
    let mut runner = TestRunner::deterministic();
    (0..n)
        .map(|_| s.new_tree(&mut runner).unwrap().current())
        .collect()
}

/// The invalid field generators cover each of their documented codes, and each kind of breach
/// (lengths, first character, inner character, non-ASCII, whitespace).
#[test]
fn invalid_field_generators_cover_their_codes_and_kinds() {
    let labels =
        |pairs: Vec<(String, Error)>| pairs.into_iter().map(|p| p.1).collect::<BTreeSet<_>>();
    let names = sample(&invalid_user_name(), 2000);
    let is = |t: &String, f: &dyn Fn(&str) -> bool| f(t.as_str());
    assert!(names
        .iter()
        .any(|(t, _)| is(t, &|t| !t.is_empty() && t.chars().count() < 7)));
    assert!(names
        .iter()
        .any(|(t, _)| is(t, &|t| t.chars().count() > 33)));
    assert!(names
        .iter()
        .any(|(t, _)| is(t, &|t| t.starts_with(['_', '@', '.', '-']))));
    assert!(names.iter().any(|(t, _)| is(t, &|t| !t.is_ascii())));
    assert!(names
        .iter()
        .any(|(t, _)| is(t, &|t| t.chars().any(char::is_whitespace))));
    assert!(names
        .iter()
        .any(|(t, _)| is(t, &|t| t.contains(['!', '#', '/', '$']))));
    assert_eq!(labels(names), [Error::NameEmpty, Error::NameInvalid].into());
    // Every code each invalid-text strategy documents is reached (2000 draws each).
    use Error::*;
    let codes: [(BoxedStrategy<Labelled>, &[Error]); 7] = [
        (invalid_user_mail(), &[EmailEmpty, EmailInvalid]),
        (invalid_client_ip(), &[IpEmpty, IpInvalid]),
        (invalid_smart_ag_id(), &[InstanceIdEmpty, InstanceNotFound]),
        (invalid_region_id(), &[MissingParameter, InvalidParameter]),
        (
            invalid_enterprise_code(),
            &[MissingParameter, InvalidParameter],
        ),
        (
            invalid_cidr_block(),
            &[CidrEmpty, InvalidCidrFormat, InvalidCidr],
        ),
        (
            invalid_cidr_pool(),
            &[CidrEmpty, InvalidCidrFormat, InvalidCidr, CidrOverlap],
        ),
    ];
    for (strategy, expected) in codes {
        let expected: BTreeSet<Error> = expected.iter().copied().collect();
        assert_eq!(labels(sample(&strategy, 2000)), expected);
    }
}

// ---------------------------------------------------------------------------------------------
// Accounts and requests
// ---------------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn account_setups_keep_every_invariant_and_have_their_fixtures(account in account_setup()) {
        prop_assert_eq!(account.invariant_violations(), Vec::<String>::new());
        let instances: Vec<_> = account.instances().collect();
        let regions: BTreeSet<_> = instances.iter().map(|i| i.region().clone()).collect();
        prop_assert!(regions.len() >= 3);
        prop_assert!(instances.iter().any(|i| !i.accepts_client_users()));
        prop_assert!(instances.iter().any(|i| i.accepts_client_users() && i.pool().is_empty()));
        prop_assert!(instances.iter().any(|i| i.is_full() && !i.pool().is_empty()));
        prop_assert!(instances.iter().any(|i| i.users().any(|u| u.client_ip().is_some())));
        prop_assert!(instances.iter().any(|i| i.users().any(|u| u.used_this_month())));
        prop_assert!(instances.iter().any(|i| i.users().any(|u| u.origin().is_some())));
        prop_assert!(account.enterprise_codes().count() >= 1);
        // Every account admits the operations a downstream test most often needs.
        prop_assert!(valid_create_request(&account).is_some());
        prop_assert!(valid_modify_request(&account).is_some());
        prop_assert!(valid_delete_request(&account).is_some());
        prop_assert!(valid_bind_enterprise_code_request(&account).is_some());
    }

    #[test]
    fn valid_requests_succeed_and_keep_the_invariants((account, request) in account_and_valid_request()) {
        let mut after = account.clone();
        prop_assert_eq!(account.violations(&request), vec![]);
        let outcome = after.execute(&request);
        prop_assert!(outcome.is_ok(), "{:?} failed: {:?}", request, outcome);
        prop_assert_eq!(after.invariant_violations(), Vec::<String>::new());
    }

    #[test]
    fn invalid_requests_fail_with_their_label_and_change_nothing(
        (account, request, code) in account_and_invalid_request()
    ) {
        let mut after = account.clone();
        prop_assert_eq!(after.execute(&request), Err(code), "{:?}", request);
        prop_assert_eq!(&after, &account);
        prop_assert_eq!(account.violations(&request).first().copied(), Some(code));
    }
}

type Valid = fn(&smartag_rules::Account) -> Option<BoxedStrategy<Request>>;
type Invalid = fn(&smartag_rules::Account) -> BoxedStrategy<(Request, Error)>;

/// Each operation's own strategies: its valid requests succeed, its invalid ones fail with their
/// label; and the labels of all of them together cover every code a request can reach.
#[test]
fn labelled_requests_reach_every_request_reachable_code() {
    let ops: [(&str, Valid, Invalid); 17] = [
        (
            "CreateSmartAccessGatewayClientUser",
            valid_create_request,
            invalid_create_request,
        ),
        (
            "ModifySmartAccessGatewayClientUser",
            valid_modify_request,
            invalid_modify_request,
        ),
        ("RoamClientUser", valid_roam_request, invalid_roam_request),
        (
            "DeleteSmartAccessGatewayClientUser",
            valid_delete_request,
            invalid_delete_request,
        ),
        (
            "DescribeSmartAccessGatewayClientUsers",
            valid_describe_request,
            invalid_describe_request,
        ),
        (
            "ResetSmartAccessGatewayClientUserPassword",
            valid_reset_password_request,
            invalid_reset_password_request,
        ),
        (
            "EnableSmartAccessGatewayUser",
            valid_enable_request,
            invalid_enable_request,
        ),
        (
            "DisableSmartAccessGatewayUser",
            valid_disable_request,
            invalid_disable_request,
        ),
        (
            "CreateSmartAccessGatewaySoftware",
            valid_create_software_request,
            invalid_create_software_request,
        ),
        (
            "ModifySmartAccessGateway",
            valid_modify_gateway_request,
            invalid_modify_gateway_request,
        ),
        (
            "CreateEnterpriseCode",
            valid_create_enterprise_code_request,
            invalid_create_enterprise_code_request,
        ),
        (
            "UpdateSmartAGEnterpriseCode",
            valid_bind_enterprise_code_request,
            invalid_bind_enterprise_code_request,
        ),
        (
            "ListEnterpriseCode",
            valid_list_enterprise_code_request,
            invalid_list_enterprise_code_request,
        ),
        (
            "UpdateEnterpriseCode",
            valid_update_enterprise_code_request,
            invalid_update_enterprise_code_request,
        ),
        (
            "DeleteEnterpriseCode",
            valid_delete_enterprise_code_request,
            invalid_delete_enterprise_code_request,
        ),
        (
            "DescribeUserOnlineClients",
            valid_describe_online_request,
            invalid_describe_online_request,
        ),
        (
            "KickOutClients",
            valid_kick_out_request,
            invalid_kick_out_request,
        ),
    ];
    let mut runner = TestRunner::deterministic();
    let setups = account_setup();
    let mut seen = BTreeSet::new();
    let mut valid_seen = BTreeSet::new();
    for _ in 0..40 {
        let account = setups.new_tree(&mut runner).unwrap().current();
        for (action, valid, invalid) in ops {
            if let Some(valid) = valid(&account) {
                for _ in 0..3 {
                    let request = valid.new_tree(&mut runner).unwrap().current();
                    assert_eq!(request.action(), action);
                    let mut after = account.clone();
                    let outcome = after.execute(&request);
                    assert!(outcome.is_ok(), "{request:?}: {outcome:?}");
                    assert!(after.invariant_violations().is_empty());
                    valid_seen.insert(action);
                }
            }
            let invalid = invalid(&account);
            for _ in 0..12 {
                let (request, code) = invalid.new_tree(&mut runner).unwrap().current();
                assert_eq!(request.action(), action);
                let mut after = account.clone();
                assert_eq!(after.execute(&request), Err(code), "{request:?}");
                assert_eq!(after, account, "{request:?} changed the account");
                seen.insert(code);
            }
        }
    }
    // `InvalidAction.NotFound` answers an unknown `Action` and `InvalidVersion` a wrong
    // `Version`, which no `Request` can carry: only the wire layer reaches them; the gateway's
    // errors only a server in front of it.
    let reachable: BTreeSet<Error> = Error::ALL
        .iter()
        .copied()
        .filter(|e| !matches!(e, Error::ActionNotFound | Error::InvalidVersion) && !e.is_gateway())
        .collect();
    let missing: Vec<_> = reachable.difference(&seen).collect();
    assert!(
        missing.is_empty(),
        "no labelled request produced {missing:?}"
    );
    assert_eq!(seen, reachable);
    assert_eq!(
        valid_seen.len(),
        ops.len(),
        "some operation never had a valid request"
    );
}

/// The exported operation-sequence strategy reaches the success paths: run on a fresh starting
/// account, at least 30 % of the requests of its sequences succeed (and every failed step
/// changes nothing).
#[test]
fn operation_sequences_reach_the_success_paths() {
    let (mut sent, mut succeeded) = (0usize, 0usize);
    for sequence in sample(&operation_sequence(), 1000) {
        let mut account = OperationSequence::starting_account();
        for step in sequence.steps() {
            let before = account.clone();
            let failed = match step.request(&account) {
                Some(request) => {
                    sent += 1;
                    let ok = account.execute(&request).is_ok();
                    succeeded += usize::from(ok);
                    !ok
                }
                None => step.apply_setup(&mut account).is_err(),
            };
            if failed {
                assert_eq!(account, before, "the failed {step:?} changed the account");
            }
        }
    }
    let rate = succeeded as f64 / sent as f64;
    eprintln!("{succeeded} of {sent} generated requests succeeded ({rate:.3})");
    assert!(sent > 10_000);
    assert!(
        rate >= 0.30,
        "only {succeeded} of {sent} requests succeeded"
    );
}
