//! Saved inputs of the `emulator_request` fuzz target, replayed as ordinary tests: every file of
//! `fuzz/regressions/emulator_request/` (and of the committed corpus) goes through the target's
//! own checks, its source compiled here with the core crate's stand-in for `fuzz_target!` (see the
//! core's `tests/fuzz_regressions.rs`, which replays the other targets).

use std::fs;
use std::path::{Path, PathBuf};

extern crate self as libfuzzer_sys;

#[path = "../../tests/support/fuzz_shim.rs"]
mod fuzz_shim;

// `#![no_main]` means nothing inside a module, and `fuzz_target!` is in scope anyway.
#[allow(unused_attributes, unused_imports, clippy::all)]
#[rustfmt::skip] // formatted as a member of the fuzz crate
#[path = "../../fuzz/fuzz_targets/emulator_request.rs"]
mod emulator_request;

use fuzz_shim::{inputs, replay, Target};

const TARGETS: &[Target] = &[("emulator_request", emulator_request::run)];

/// The repository's `fuzz/` folder.
fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz")
}

#[test]
fn every_saved_regression_passes_the_targets_checks() {
    assert!(!inputs(&fuzz_dir().join("regressions/emulator_request")).is_empty());
    assert!(replay(&fuzz_dir().join("regressions"), TARGETS) >= 1);
}

#[test]
fn the_committed_corpus_passes_the_targets_checks() {
    replay(&fuzz_dir().join("corpus"), TARGETS);
}

#[test]
fn a_saved_input_is_read_whole() {
    // The target decodes its calls from every byte of the file, as libFuzzer hands them over.
    let dir = fuzz_dir().join("regressions/emulator_request");
    for file in inputs(&dir) {
        assert!(!fs::read(&file).unwrap().is_empty(), "{}", file.display());
    }
}

// ---------------------------------------------------------------- where Action and Version come from

use arbitrary::{Arbitrary, Unstructured};
use emulator_request::{check, Call, Placement};

/// The signing bytes of [`emulator_request`]'s `Signing::from_byte`.
const RPC: u8 = 0;
const ACS3: u8 = 5;
/// Its templates.
const CREATE: u8 = 0;
const DESCRIBE: u8 = 1;
const DELETE: u8 = 4;
/// [`Placement`]'s places, header values and ACS3 modes.
const PARAMS: u8 = 0;
const HEADERS: u8 = 1;
const BOTH: u8 = 2;
const NEITHER: u8 = 3;
const OWN_ACTION: u8 = 0;
const DELETE_ACTION: u8 = 1;
const API_VERSION: u8 = 0;
const OLD_VERSION: u8 = 1;
const SIGNED: u8 = 0;
const UNSIGNED: u8 = 1;
const REPEATED: u8 = 2;

/// A plain `GET /` call of a template, signed, at the emulator's time, with no fuzzed parts.
fn call(signing: u8, template: u8, nonce: u8, placement: Option<Placement>) -> Call {
    Call {
        method: 0,
        path: 0,
        template,
        params: Vec::new(),
        in_body: false,
        raw_query: None,
        headers: Vec::new(),
        body: None,
        signing,
        skew: 0,
        nonce,
        placement,
    }
}

fn place(
    action: u8,
    header_action: u8,
    version: u8,
    header_version: u8,
    acs3: u8,
) -> Option<Placement> {
    Some(Placement {
        action,
        version,
        header_action,
        header_version,
        acs3,
    })
}

/// Calls as the bytes `arbitrary` decodes them from (as libFuzzer hands them to the target),
/// for calls without fuzzed parameters, headers, raw query or body.
fn encode(calls: &[Call]) -> Vec<u8> {
    let mut out = Vec::new();
    for c in calls {
        assert!(c.params.is_empty() && c.headers.is_empty());
        assert!(c.raw_query.is_none() && c.body.is_none());
        out.push(1); // one more call
        out.extend([c.method, c.path, c.template]);
        out.push(0); // no parameters
        out.push(u8::from(c.in_body));
        out.extend([0, 0, 0]); // no raw query, no headers, no body
        out.extend([c.signing, c.skew.to_le_bytes()[0], c.nonce]);
        match &c.placement {
            None => out.push(0),
            Some(p) => out.extend([
                1,
                p.action,
                p.version,
                p.header_action,
                p.header_version,
                p.acs3,
            ]),
        }
    }
    out
}

/// The cases of the header-versus-parameter seeds, each a file of the target's corpus (or
/// regressions), named for what it holds: a user created, then the case.
fn placement_seeds() -> Vec<(&'static str, Vec<Call>)> {
    let created = |signing| call(signing, CREATE, 1, None);
    vec![
        (
            "corpus/emulator_request/rpc-action-only-in-an-unsigned-header",
            vec![
                created(RPC),
                call(RPC, DELETE, 2, place(HEADERS, OWN_ACTION, NEITHER, 0, 0)),
            ],
        ),
        (
            "corpus/emulator_request/rpc-unsigned-headers-disagreeing",
            vec![
                created(RPC),
                call(
                    RPC,
                    DESCRIBE,
                    2,
                    place(BOTH, DELETE_ACTION, BOTH, OLD_VERSION, 0),
                ),
            ],
        ),
        (
            "corpus/emulator_request/acs3-action-header-left-unsigned",
            vec![
                created(ACS3),
                call(
                    ACS3,
                    DELETE,
                    2,
                    place(HEADERS, OWN_ACTION, NEITHER, 0, UNSIGNED),
                ),
            ],
        ),
        (
            "corpus/emulator_request/acs3-action-and-version-headers-signed",
            vec![
                created(ACS3),
                call(
                    ACS3,
                    DELETE,
                    2,
                    place(HEADERS, OWN_ACTION, HEADERS, API_VERSION, SIGNED),
                ),
            ],
        ),
        (
            "corpus/emulator_request/acs3-signed-headers-disagreeing",
            vec![
                created(ACS3),
                call(
                    ACS3,
                    DESCRIBE,
                    2,
                    place(BOTH, DELETE_ACTION, BOTH, OLD_VERSION, SIGNED),
                ),
            ],
        ),
        (
            "corpus/emulator_request/acs3-signed-headers-repeated-unsigned",
            vec![
                created(ACS3),
                call(
                    ACS3,
                    DELETE,
                    2,
                    place(HEADERS, OWN_ACTION, HEADERS, OLD_VERSION, REPEATED),
                ),
            ],
        ),
        (
            "regressions/emulator_request/issue-18-unsigned-action-header",
            issue_18(),
        ),
    ]
}

/// The hostile run of issue 18 and its neighbours, in order, on one account.
fn issue_18() -> Vec<Call> {
    vec![
        // A user to delete.
        call(RPC, CREATE, 1, None),
        // RPC-signed over everything but the action, the action an unsigned header: ignored.
        call(RPC, DELETE, 2, place(HEADERS, OWN_ACTION, NEITHER, 0, 0)),
        // Signed parameters decide under RPC, whatever the headers say.
        call(
            RPC,
            DESCRIBE,
            3,
            place(BOTH, DELETE_ACTION, BOTH, OLD_VERSION, 0),
        ),
        // ACS3 with the action header left out of SignedHeaders: refused.
        call(
            ACS3,
            DELETE,
            4,
            place(HEADERS, OWN_ACTION, NEITHER, 0, UNSIGNED),
        ),
        // ACS3: a signed wrong version, repeated unsigned with the right one: the signed decides.
        call(
            ACS3,
            DELETE,
            5,
            place(HEADERS, OWN_ACTION, HEADERS, OLD_VERSION, REPEATED),
        ),
        // ACS3: the signed parameters win over signed headers that disagree.
        call(
            ACS3,
            DESCRIBE,
            6,
            place(BOTH, DELETE_ACTION, PARAMS, 0, SIGNED),
        ),
        // ACS3: a signed header is where the action comes from when the parameters lack it.
        call(
            ACS3,
            DELETE,
            7,
            place(HEADERS, OWN_ACTION, NEITHER, 0, SIGNED),
        ),
        call(RPC, DESCRIBE, 8, None),
    ]
}

fn code(body: &str) -> String {
    let value: serde_json::Value = serde_json::from_str(body).expect("a JSON body");
    value["Code"].as_str().unwrap_or_default().to_owned()
}

fn total_count(body: &str) -> u64 {
    let value: serde_json::Value = serde_json::from_str(body).expect("a JSON body");
    value["TotalCount"].as_u64().expect("a page")
}

#[test]
fn what_a_signature_covers_decides_the_action_and_the_version() {
    let answers = check(&issue_18());
    let got: Vec<(u16, String)> = answers.iter().map(|(s, b)| (*s, code(b))).collect();
    let expected = [
        (200, ""),
        (403, "MissingParameter"),
        (200, ""),
        (400, "IncompleteSignature"),
        (400, "InvalidVersion"),
        (200, ""),
        (200, ""),
        (200, ""),
    ];
    let expected: Vec<(u16, String)> = expected.iter().map(|&(s, c)| (s, c.to_owned())).collect();
    assert_eq!(got, expected, "{answers:#?}");
    // The user outlived every unsigned attempt, and the signed header deleted it.
    assert_eq!(total_count(&answers[2].1), 1, "{}", answers[2].1);
    assert_eq!(total_count(&answers[5].1), 1, "{}", answers[5].1);
    assert_eq!(total_count(&answers[7].1), 0, "{}", answers[7].1);
}

#[test]
fn the_placement_seeds_hold_the_cases_they_are_named_for() {
    // SMARTAG_WRITE_SEEDS=1 writes them afresh (after a change to the target's input layout).
    let write = std::env::var("SMARTAG_WRITE_SEEDS").as_deref() == Ok("1");
    for (name, calls) in placement_seeds() {
        let bytes = encode(&calls);
        let decoded = Vec::<Call>::arbitrary_take_rest(Unstructured::new(&bytes)).unwrap();
        assert_eq!(format!("{decoded:?}"), format!("{calls:?}"), "{name}");
        let file = fuzz_dir().join(name);
        if write {
            fs::write(&file, &bytes).unwrap();
        }
        assert_eq!(
            fs::read(&file).ok(),
            Some(bytes),
            "{name}: run with SMARTAG_WRITE_SEEDS=1"
        );
        check(&calls);
    }
}
