//! A structured sequence of setup and client-user operations against one account: the crate's
//! own small-universe `OperationSequence` (regions, instance IDs, names, codes, pools and
//! addresses that collide often, so that many requests succeed), interleaved with arbitrary raw
//! requests. After every step the account's invariants hold; a failed step leaves the account
//! exactly as it was; and for requests, `violations` agrees with `execute` (empty on success,
//! its first element the error on failure).
#![no_main]

use libfuzzer_sys::fuzz_target;
use smartag_rules::{Account, OperationSequence, Request};

/// Runs one request with the checks; answers whether it failed.
fn check(account: &mut Account, request: &Request) -> bool {
    let violations = account.violations(request);
    match account.execute(request) {
        Ok(_) => {
            assert!(
                violations.is_empty(),
                "{request:?} succeeded despite {violations:?}"
            );
            false
        }
        Err(e) => {
            assert_eq!(violations.first(), Some(&e), "{request:?}");
            true
        }
    }
}

fuzz_target!(|input: (Vec<Request>, OperationSequence)| {
    let (anything, sequence) = input;
    let mut account = OperationSequence::starting_account();
    let mut extra = anything.iter();
    for step in sequence.steps() {
        let before = account.clone();
        let failed = match step.request(&account) {
            Some(request) => check(&mut account, &request),
            None => step.apply_setup(&mut account).is_err(),
        };
        if failed {
            assert!(account == before, "failed {step:?} changed the account");
        }
        // Now and then, any raw request at all, from the crate's `Arbitrary`.
        if let Some(request) = extra.next() {
            let before = account.clone();
            if check(&mut account, request) {
                assert!(account == before, "failed {request:?} changed the account");
            }
        }
        let broken = account.invariant_violations();
        assert!(broken.is_empty(), "after {step:?}: {broken:?}");
    }
});
