//! The `arbitrary` feature: from any bytes, every field and CIDR value is valid (its text parses
//! back to it and matches its published pattern), and raw requests cover absent, empty, valid
//! and arbitrary parameters.
#![cfg(feature = "arbitrary")]

use std::collections::BTreeSet;
use std::fmt::Debug;
use std::str::FromStr;

use arbitrary::{Arbitrary, Unstructured};
use regex::Regex;
use smartag_rules::rng::Rng;
use smartag_rules::{
    Account, Bandwidth, CidrBlock, CidrPool, ClientIp, CreateClientUserRaw, EnterpriseCode,
    InstanceSpec, OperationSequence, Password, RegionId, Request, SmartAgId, UserMail, UserName,
};

/// `count` byte buffers of 0 to 600 random bytes, the same on every run.
fn buffers(count: usize) -> Vec<Vec<u8>> {
    let mut rng = Rng::new(0x5EED);
    (0..count)
        .map(|_| {
            let len = rng.below(601);
            (0..len).map(|_| rng.next_u64() as u8).collect()
        })
        .collect()
}

/// Draws values of `T` from many buffers (several from each), checks each one with `check`, and
/// returns how many distinct texts were seen.
fn draw<T>(text: impl Fn(&T) -> String, check: impl Fn(&T, &str)) -> usize
where
    T: for<'a> Arbitrary<'a> + Debug,
{
    let mut seen = BTreeSet::new();
    for bytes in buffers(1500) {
        let mut u = Unstructured::new(&bytes);
        for _ in 0..4 {
            // From any bytes, exhausted ones included, a value is always produced.
            let value = T::arbitrary(&mut u).unwrap();
            let t = text(&value);
            check(&value, &t);
            seen.insert(t);
        }
    }
    seen.len()
}

fn reparses<T>(pattern: Option<&str>) -> usize
where
    T: for<'a> Arbitrary<'a> + Debug + PartialEq + FromStr + ToString,
    T::Err: Debug + PartialEq,
{
    let re = pattern.map(|p| Regex::new(p).unwrap());
    draw::<T>(
        |v| v.to_string(),
        |v, t| {
            assert_eq!(t.parse::<T>().as_ref(), Ok(v), "{t:?}");
            if let Some(re) = &re {
                assert!(re.is_match(t), "{t:?} does not match {}", re.as_str());
            }
        },
    )
}

/// One test per type: every value drawn from any bytes reparses from its text and matches the
/// type's published pattern, and the values are varied (more distinct texts than the bound; a
/// bandwidth has only 20000 values, short prefixes leave few blocks to choose from).
macro_rules! reparse {
    ($($test:ident: $ty:ident > $distinct:literal),+ $(,)?) => {$(
        #[test]
        fn $test() {
            let distinct = reparses::<$ty>(Some($ty::PATTERN));
            assert!(distinct > $distinct, "{} distinct {}", distinct, stringify!($ty));
        }
    )+};
}

reparse! {
    user_names_are_valid: UserName > 4000, bandwidths_are_valid: Bandwidth > 2000,
    mails_are_valid: UserMail > 4000, client_ips_are_valid: ClientIp > 4000,
    instance_ids_are_valid: SmartAgId > 4000, regions_are_valid: RegionId > 4000,
    cidr_blocks_are_valid: CidrBlock > 2500,
}

#[test]
fn passwords_are_valid() {
    let re = Regex::new(Password::PATTERN).unwrap();
    let distinct = draw::<Password>(
        |p| p.expose_secret().to_string(),
        |p, t| {
            assert_eq!(t.parse::<Password>().as_ref(), Ok(p));
            assert!(re.is_match(t), "{t:?}");
        },
    );
    assert!(distinct > 4000);
}

#[test]
fn enterprise_codes_are_valid() {
    // Codes compare case-insensitively: compare the text as well as the value.
    let re = Regex::new(EnterpriseCode::PATTERN).unwrap();
    let distinct = draw::<EnterpriseCode>(
        |c| c.to_string(),
        |c, t| {
            let again: EnterpriseCode = t.parse().unwrap();
            assert_eq!(again.as_str(), c.as_str());
            assert!(re.is_match(t), "{t:?}");
        },
    );
    assert!(distinct > 4000);
}

#[test]
fn cidr_pools_are_valid_and_never_empty() {
    let distinct = draw::<CidrPool>(
        |p| p.to_string(),
        |p, t| {
            assert!((1..=CidrPool::MAX_BLOCKS).contains(&p.len()));
            assert_eq!(t.parse::<CidrPool>().as_ref(), Ok(p), "{t:?}");
        },
    );
    assert!(distinct > 4000);
}

#[test]
fn raw_parameters_are_absent_empty_valid_or_anything() {
    let (mut absent, mut empty, mut valid, mut invalid) = (0, 0, 0, 0);
    for bytes in buffers(1500) {
        let mut u = Unstructured::new(&bytes);
        let raw = CreateClientUserRaw::arbitrary(&mut u).unwrap();
        match raw.user_name.as_deref() {
            None => absent += 1,
            Some("") => empty += 1,
            Some(s) if s.parse::<UserName>().is_ok() => valid += 1,
            Some(_) => invalid += 1,
        }
    }
    assert!(absent > 50 && empty > 50 && valid > 300 && invalid > 50);
}

#[test]
fn arbitrary_requests_of_every_action_run_atomically() {
    let mut account = Account::with_seed(3);
    account
        .add_instance(
            InstanceSpec::app("sag-a1".parse().unwrap(), "cn-shanghai".parse().unwrap())
                .pool("10.0.0.0/24".parse().unwrap()),
        )
        .unwrap();
    let mut actions = BTreeSet::new();
    for bytes in buffers(1500) {
        let mut u = Unstructured::new(&bytes);
        let request = Request::arbitrary(&mut u).unwrap();
        actions.insert(request.action());
        let before = account.clone();
        let violations = account.violations(&request);
        match account.execute(&request) {
            Ok(_) => assert!(violations.is_empty(), "{request:?}: {violations:?}"),
            Err(e) => {
                assert_eq!(violations.first(), Some(&e), "{request:?}");
                assert_eq!(
                    account, before,
                    "{request:?} failed but changed the account"
                );
            }
        }
        assert!(account.invariant_violations().is_empty());
    }
    assert_eq!(actions.len(), Request::ACTIONS.len());
}

/// Runs a sequence on a fresh starting account with the fuzz target's checks (`violations`
/// agrees with `execute`, a failed step changes nothing, the invariants hold after each step);
/// answers (requests sent, requests that succeeded).
fn run_sequence(sequence: &OperationSequence) -> (usize, usize) {
    let mut account = OperationSequence::starting_account();
    let (mut sent, mut succeeded) = (0, 0);
    for step in sequence.steps() {
        let before = account.clone();
        let failed = match step.request(&account) {
            Some(request) => {
                sent += 1;
                let violations = account.violations(&request);
                match account.execute(&request) {
                    Ok(_) => {
                        assert!(violations.is_empty(), "{request:?}: {violations:?}");
                        succeeded += 1;
                        false
                    }
                    Err(e) => {
                        assert_eq!(violations.first(), Some(&e), "{request:?}");
                        true
                    }
                }
            }
            None => step.apply_setup(&mut account).is_err(),
        };
        if failed {
            assert_eq!(account, before, "the failed {step:?} changed the account");
        }
        let broken = account.invariant_violations();
        assert!(broken.is_empty(), "after {step:?}: {broken:?}");
    }
    (sent, succeeded)
}

#[test]
fn operation_sequences_reach_the_success_paths() {
    let (mut sent, mut succeeded, mut setups) = (0, 0, 0);
    for bytes in buffers(1500) {
        let mut u = Unstructured::new(&bytes);
        let sequence = OperationSequence::arbitrary(&mut u).unwrap();
        assert_eq!(sequence, OperationSequence::from_bytes(&bytes));
        setups += sequence
            .steps()
            .iter()
            .filter(|s| s.request(&OperationSequence::starting_account()).is_none())
            .count();
        let (s, ok) = run_sequence(&sequence);
        sent += s;
        succeeded += ok;
    }
    let rate = succeeded as f64 / sent as f64;
    eprintln!(
        "{succeeded} of {sent} generated requests succeeded ({rate:.3}); {setups} setup steps"
    );
    assert!(sent > 10_000 && setups > 500);
    assert!(
        rate >= 0.30,
        "only {succeeded} of {sent} requests succeeded"
    );
}

/// The sequences reach every action, each succeeding somewhere, and the enterprise-code and
/// client-token rules: a replay, a mismatch, the default code and a bound code refused.
#[test]
fn operation_sequences_reach_every_action_and_the_code_rules() {
    let mut succeeded = BTreeSet::new();
    let mut errors = BTreeSet::new();
    for bytes in buffers(1500) {
        let sequence = OperationSequence::from_bytes(&bytes);
        let mut account = OperationSequence::starting_account();
        for step in sequence.steps() {
            match step.request(&account) {
                Some(request) => match account.execute(&request) {
                    Ok(_) => {
                        succeeded.insert(request.action());
                    }
                    Err(e) => {
                        errors.insert(e);
                    }
                },
                None => {
                    step.apply_setup(&mut account).ok();
                }
            }
        }
    }
    let all: BTreeSet<&str> = Request::ACTIONS.iter().copied().collect();
    assert_eq!(succeeded, all, "every action succeeds somewhere");
    for code in [
        smartag_rules::Error::IdempotentParameterMismatch,
        smartag_rules::Error::EnterpriseCodeDeleteLimit,
        smartag_rules::Error::EnterpriseCodeBeingUsed,
        smartag_rules::Error::EnterpriseCodeNotExist,
        smartag_rules::Error::InvalidParameter,
    ] {
        assert!(errors.contains(&code), "no sequence reached {code:?}");
    }
}

/// The sequences connect users and then list and kick out their sessions: connects add
/// sessions, `DescribeUserOnlineClients` lists some, and `KickOutClients` ends some.
#[test]
fn operation_sequences_connect_list_and_kick_out() {
    let (mut connected, mut listed, mut kicked) = (0, 0, 0);
    for bytes in buffers(1500) {
        let sequence = OperationSequence::from_bytes(&bytes);
        let mut account = OperationSequence::starting_account();
        for step in sequence.steps() {
            let online = |a: &smartag_rules::Account| -> usize {
                a.instances().map(|i| i.sessions().count()).sum()
            };
            let before = online(&account);
            match step.request(&account) {
                Some(request) => match account.execute(&request) {
                    Ok(smartag_rules::Response::OnlineClients(clients)) if !clients.is_empty() => {
                        listed += 1;
                    }
                    Ok(_) if request.action() == "KickOutClients" && online(&account) < before => {
                        kicked += 1;
                    }
                    _ => {}
                },
                None => {
                    step.apply_setup(&mut account).ok();
                    if online(&account) > before {
                        connected += 1;
                    }
                }
            }
        }
    }
    assert!(
        connected > 100 && listed > 10 && kicked > 10,
        "connected {connected}, listed {listed}, kicked {kicked}"
    );
}
