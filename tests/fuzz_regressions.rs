//! Saved fuzz inputs, replayed as ordinary tests.
//!
//! Every file under `fuzz/regressions/<target>/` is one input of the fuzz target `<target>`,
//! given to the very same property checks the target makes: the target's own source file is
//! compiled into this test (below, one module per target), with a stand-in for
//! `libfuzzer_sys::fuzz_target!` that turns the target's body into a plain function. Typed
//! inputs are decoded exactly as `libfuzzer-sys` decodes them (`Arbitrary::arbitrary_take_rest`
//! after the same size check), so a file replays here as it does under `cargo fuzz run`.
//!
//! When a fuzz run finds a crash, fix the bug and keep the input:
//!
//! ```text
//! cp fuzz/artifacts/TARGET/crash-* fuzz/regressions/TARGET/NAME
//! cargo test --all-features --test fuzz_regressions
//! ```
//!
//! The committed corpora (`fuzz/corpus/<target>/`, not shipped in the package) are replayed too
//! when they are present, so `cargo test` exercises the fuzz properties without a fuzzer.
#![cfg(all(feature = "arbitrary", feature = "wire"))]

use std::fs;
use std::path::{Path, PathBuf};

extern crate self as libfuzzer_sys;

#[path = "support/fuzz_shim.rs"]
mod fuzz_shim;

use fuzz_shim::{inputs, replay, run_all, Target};

macro_rules! targets {
    ($($target:ident = $path:literal),+ $(,)?) => {
        $(
            // `#![no_main]` means nothing inside a module, and `fuzz_target!` is in scope anyway.
            #[allow(unused_attributes, unused_imports, clippy::all)]
            #[path = $path]
            mod $target;
        )+

        /// Every fuzz target, with the function that runs one input through its checks.
        const TARGETS: &[Target] = &[$((stringify!($target), $target::run)),+];
    };
}

targets!(
    field_parsers = "../fuzz/fuzz_targets/field_parsers.rs",
    cidr_pool = "../fuzz/fuzz_targets/cidr_pool.rs",
    operation_sequence = "../fuzz/fuzz_targets/operation_sequence.rs",
    wire_request = "../fuzz/fuzz_targets/wire_request.rs",
    user_mail = "../fuzz/fuzz_targets/user_mail.rs",
);

/// The repository's `fuzz/` folder.
fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz")
}

#[test]
fn every_saved_regression_passes_its_targets_checks() {
    let ran = replay(&fuzz_dir().join("regressions"), TARGETS);
    assert!(ran >= TARGETS.len(), "only {ran} regression inputs found");
}

#[test]
fn every_target_has_a_regression_folder() {
    for (target, _) in TARGETS {
        let dir = fuzz_dir().join("regressions").join(target);
        assert!(!inputs(&dir).is_empty(), "{} holds no input", dir.display());
    }
}

/// Targets whose regressions another package replays: `emulator_request` needs the emulator, so
/// `emulator/tests/fuzz_regressions.rs` runs it.
const ELSEWHERE: &[&str] = &["emulator_request"];

#[test]
fn every_fuzz_target_is_replayed_here() {
    // A new target needs a line in `targets!` above and a folder of regressions.
    let mut on_disk: Vec<String> = inputs(&fuzz_dir().join("fuzz_targets"))
        .iter()
        .filter_map(|p| Some(p.file_stem()?.to_str()?.to_owned()))
        .collect();
    on_disk.sort();
    on_disk.retain(|t| !ELSEWHERE.contains(&t.as_str()));
    let mut here: Vec<&str> = TARGETS.iter().map(|(name, _)| *name).collect();
    here.sort_unstable();
    assert_eq!(on_disk, here);
}

#[test]
fn the_committed_corpora_pass_their_targets_checks() {
    // The corpora are left out of the published package; in the repository they all run.
    replay(&fuzz_dir().join("corpus"), TARGETS);
}

#[test]
fn an_input_that_breaks_a_check_is_named() {
    fn picky(bytes: &[u8]) {
        assert_ne!(bytes, b"boom", "the property this target checks");
    }
    let root = std::env::temp_dir().join(format!("fuzz-regressions-{}", std::process::id()));
    let dir = root.join("picky");
    fs::create_dir_all(&dir).unwrap();
    fs::write(dir.join("fine"), b"fine").unwrap();
    fs::write(dir.join("crash-1"), b"boom").unwrap();
    let (ran, failed) = run_all(&root, &[("picky", picky)]);
    fs::remove_dir_all(&root).unwrap();
    assert_eq!(ran, 2);
    assert_eq!(failed, [dir.join("crash-1").display().to_string()]);
}

#[test]
fn too_short_inputs_end_quietly() {
    // As under libFuzzer: a typed target given too few bytes returns without running its body.
    for &(_, run) in TARGETS {
        run(&[]);
    }
}
