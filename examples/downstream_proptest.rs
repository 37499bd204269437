//! A downstream property test written against `smartag_rules::strategies` (the `proptest`
//! feature): `cargo run --example downstream_proptest --features proptest`.
//!
//! The "downstream" code here is a small form validator that a console might put in front of
//! the API: it must refuse exactly what the service refuses, with the service's message.

#[cfg(feature = "proptest")]
mod downstream {
    use smartag_rules::{Account, Error, Request};

    /// What the form shows under a request: nothing, or the service's code and message.
    pub fn form_feedback(account: &Account, request: &Request) -> Option<String> {
        account
            .violations(request)
            .first()
            .map(|e: &Error| format!("{} ({})", e.message(), e.code()))
    }
}

#[cfg(feature = "proptest")]
fn main() {
    use proptest::prelude::*;
    use smartag_rules::strategies::{
        account_and_invalid_request, account_and_valid_request, invalid_user_name,
        operation_sequence, valid_user_name,
    };
    use smartag_rules::{OperationSequence, UserName};

    // An example has no source tree for proptest to record failures in beside it.
    let config = |cases| ProptestConfig {
        failure_persistence: None,
        ..ProptestConfig::with_cases(cases)
    };

    // Field level: every valid name parses back; every invalid one fails with its label.
    proptest!(config(256), |(name in valid_user_name())| {
        prop_assert_eq!(name.as_str().parse::<UserName>(), Ok(name.clone()));
    });
    proptest!(config(256), |((text, code) in invalid_user_name())| {
        prop_assert_eq!(text.parse::<UserName>(), Err(code));
    });

    // Request level: the form says nothing about a request the service accepts...
    proptest!(config(64), |((mut account, request) in account_and_valid_request())| {
        prop_assert_eq!(downstream::form_feedback(&account, &request), None);
        prop_assert!(account.execute(&request).is_ok());
    });
    // ...and shows the service's own first error for one it refuses.
    proptest!(config(256), |((mut account, request, code) in account_and_invalid_request())| {
        let feedback = downstream::form_feedback(&account, &request);
        prop_assert_eq!(feedback, Some(format!("{} ({})", code.message(), code.code())));
        prop_assert_eq!(account.execute(&request), Err(code));
    });

    // Sequence level: over the crate's small-universe operation sequences (a good share of
    // whose requests succeed), the form agrees with the service at every step.
    proptest!(config(64), |(sequence in operation_sequence())| {
        let mut account = OperationSequence::starting_account();
        for step in sequence.steps() {
            match step.request(&account) {
                Some(request) => {
                    let feedback = downstream::form_feedback(&account, &request);
                    let answer = account.execute(&request).err();
                    let expected = answer.map(|e| format!("{} ({})", e.message(), e.code()));
                    prop_assert_eq!(feedback, expected);
                }
                None => {
                    let _ = step.apply_setup(&mut account);
                }
            }
        }
    });
    println!("downstream properties hold");
}

#[cfg(not(feature = "proptest"))]
fn main() {
    eprintln!("this example needs the `proptest` feature: --features proptest");
}
