//! The official Python SDKs against the real binary: `tests/sdk/e2e.py` drives both SDKs, in
//! all three signing flavors, through every operation (success and error), and
//! `tests/sdk/faults.py` through their retry logic with injected faults, each on an emulator
//! started here on a free port with a real key.
//!
//! The Python comes from `SMARTAG_SDK_PYTHON` (a venv with `alibabacloud_smartag20180313` and
//! `aliyun-python-sdk-smartag`; `.ci/run` makes one). Without it the test says it skipped,
//! except under `CI=true`, where a missing SDK is a failure.

use std::path::Path;
use std::process::Command;

mod spawned;

use spawned::{start, terminate};

/// The Python with the official SDKs (`SMARTAG_SDK_PYTHON`); `None` (the test skips) when it is
/// not set, except under `CI=true`, where that fails.
fn sdk_python() -> Option<String> {
    match std::env::var("SMARTAG_SDK_PYTHON") {
        Ok(python) if !python.is_empty() => Some(python),
        _ => {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "CI=true but SMARTAG_SDK_PYTHON is not set: CI must install the Python SDKs"
            );
            eprintln!("skipped: set SMARTAG_SDK_PYTHON to a Python with the official SDKs");
            None
        }
    }
}

/// Runs `tests/sdk/<script>` with `python` against a binary started with the SDK fixtures and
/// key; asserts it passed and printed `summary`.
fn run_sdk_script(python: &str, script: &str, summary: &str) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sdk");
    let fixtures = dir.join("fixtures.txt");
    let (child, endpoint) = start(&[
        "--fixtures",
        fixtures.to_str().unwrap(),
        "--access-key",
        "LTAI5tSdkTestKey:sdk-test-secret-0123456789",
    ]);
    let output = Command::new(python)
        .arg(dir.join(script))
        .args(["--endpoint", &endpoint])
        .args(["--key", "LTAI5tSdkTestKey"])
        .args(["--secret", "sdk-test-secret-0123456789"])
        .output()
        .expect("the Python runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let stopped = terminate(child);
    assert!(
        output.status.success(),
        "{script} failed:\n{stdout}\n{stderr}"
    );
    assert!(stdout.contains(summary), "{stdout}");
    eprintln!("{}", stdout.trim());
    assert!(stopped.success(), "SIGTERM stops it cleanly: {stopped:?}");
}

#[test]
fn the_official_python_sdks_run_against_the_binary() {
    if let Some(python) = sdk_python() {
        run_sdk_script(&python, "e2e.py", "checks passed across 3 SDK flavors");
    }
}

/// The SDKs' retry logic against injected faults: the newer SDK's retry options recover from a
/// lost answer (a delay past its read timeout) and, with a `ClientToken`, act once; the older
/// SDK retries no Smart Access Gateway request (only the ECS APIs its configuration lists);
/// an injected `Throttling.User` reaches both callers exactly. What each SDK does is spelled
/// out at the top of `faults.py`.
#[test]
fn the_official_python_sdks_meet_injected_faults() {
    if let Some(python) = sdk_python() {
        run_sdk_script(
            &python,
            "faults.py",
            "fault checks passed across 3 SDK flavors",
        );
    }
}

#[test]
fn the_binary_prints_its_address_and_stops_on_sigterm() {
    let (child, endpoint) = start(&[]);
    assert!(endpoint.starts_with("127.0.0.1:"), "{endpoint}");
    assert_ne!(endpoint, "127.0.0.1:0");
    let status = terminate(child);
    assert!(status.success(), "{status:?}");
}

#[test]
fn the_binary_refuses_broken_fixtures_and_bad_keys() {
    let dir = std::env::temp_dir().join(format!("smartag-emulator-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let broken = dir.join("broken.txt");
    std::fs::write(
        &broken,
        "instance sag-app1 region=cn-shanghai users=1\ninstnace sag-x\n",
    )
    .unwrap();
    for (args, message) in [
        (vec!["--fixtures", broken.to_str().unwrap()], "line 2"),
        (vec!["--access-key", "no-secret"], "ID:SECRET"),
        (
            vec!["--access-key", "a:b", "--access-key", "a:c"],
            "given twice",
        ),
    ] {
        let output = Command::new(env!("CARGO_BIN_EXE_smartag-emulator"))
            .args(["--listen", "127.0.0.1:0"])
            .args(&args)
            .output()
            .unwrap();
        assert_eq!(
            output.status.code(),
            Some(if message == "ID:SECRET" { 2 } else { 1 }),
            "{args:?}"
        );
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(message), "{args:?}: {stderr}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
