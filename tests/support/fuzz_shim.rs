// A stand-in for `libfuzzer-sys`, so that a test can compile a fuzz target's own source and run
// saved inputs through it. Declared as the module `fuzz_shim` at the root of `tests/fuzz_regressions.rs` and
// of `emulator/tests/fuzz_regressions.rs`; each also declares `extern crate self as
// libfuzzer_sys;`, so that a target's `use libfuzzer_sys::fuzz_target;` resolves to the macro
// below instead of the real crate (which would bring its own `main`).

use std::fs;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

/// What a fuzz target's body may answer, as in `libfuzzer-sys`.
#[allow(dead_code)]
pub enum Corpus {
    /// Keep the input in the corpus.
    Keep,
    /// Leave it out.
    Reject,
}

impl From<()> for Corpus {
    fn from((): ()) -> Self {
        Corpus::Keep
    }
}

/// `fuzz_target!` of `libfuzzer-sys` 0.4, defining `pub fn run(bytes: &[u8])` instead of the
/// libFuzzer entry point.
#[macro_export]
macro_rules! fuzz_target {
    (|$bytes:ident| $body:expr) => {
        $crate::fuzz_target!(|$bytes: &[u8]| -> () { $body });
    };
    (|$bytes:ident: &[u8]| $body:expr) => {
        $crate::fuzz_target!(|$bytes: &[u8]| -> () { $body });
    };
    (|$bytes:ident: &[u8]| -> $rty:ty $body:block) => {
        pub fn run($bytes: &[u8]) {
            let _: $crate::fuzz_shim::Corpus = (|| -> $rty { $body })().into();
        }
    };
    (|$data:ident: $dty:ty| $body:expr) => {
        $crate::fuzz_target!(|$data: $dty| -> () { $body });
    };
    (|$data:ident: $dty:ty| -> $rty:ty $body:block) => {
        pub fn run(bytes: &[u8]) {
            use arbitrary::{Arbitrary, Unstructured};
            if bytes.len() < <$dty as Arbitrary>::size_hint(0).0 {
                return;
            }
            if let Ok($data) = <$dty as Arbitrary>::arbitrary_take_rest(Unstructured::new(bytes)) {
                let _: $crate::fuzz_shim::Corpus = (|| -> $rty { $body })().into();
            }
        }
    };
}

/// A fuzz target's name and the function that runs one input through its checks.
pub type Target = (&'static str, fn(&[u8]));

/// The files of `dir`, sorted; none when `dir` does not exist.
pub fn inputs(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .map(|e| e.expect("a readable directory entry").path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

/// Runs every input of `root/<target>/` through its target: how many ran, and which failed.
pub fn run_all(root: &Path, targets: &[Target]) -> (usize, Vec<String>) {
    let mut ran = 0;
    let mut failed = Vec::new();
    for &(target, run) in targets {
        for file in inputs(&root.join(target)) {
            let bytes = fs::read(&file).expect("a readable input");
            if catch_unwind(AssertUnwindSafe(|| run(&bytes))).is_err() {
                failed.push(file.display().to_string());
            }
            ran += 1;
        }
    }
    (ran, failed)
}

/// Runs every input of `root/<target>/` through its target and fails naming every input whose
/// checks failed: how many ran.
pub fn replay(root: &Path, targets: &[Target]) -> usize {
    let (ran, failed) = run_all(root, targets);
    assert!(
        failed.is_empty(),
        "fuzz inputs failing their target's checks: {failed:#?}"
    );
    ran
}
