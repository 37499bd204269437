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
