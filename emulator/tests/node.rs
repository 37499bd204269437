//! The generic official Node.js clients against the real binary: `tests/node/e2e.js` drives
//! `@alicloud/pop-core` (RPC signing) and `@alicloud/openapi-client` (ACS3 signing, and its RPC
//! mode) through every operation (success and error), a wrong secret and an unknown key, on an
//! emulator started here on a free port with the well-known development key, as a newcomer
//! starts it.
//!
//! `tests/node/quickstart.js` runs first: the README shows it verbatim (checked here too).
//!
//! The clients come from `tests/node/node_modules`, installed from the committed
//! `package-lock.json` by `npm ci` (`.ci/run` runs it); `node` from `SMARTAG_NODE` or the `PATH`.
//! Without either the test says why it skipped, except under `CI=true`, where that is a failure.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

mod spawned;

use spawned::{start, terminate};

/// The directory of the Node.js test and its `package.json`.
fn node_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/node")
}

/// Why the Node.js test cannot run here, if it cannot: no `node`, or clients not installed.
fn missing(node: &str) -> Option<String> {
    match Command::new(node).arg("--version").output() {
        Ok(output) if output.status.success() => {}
        _ => {
            return Some(format!(
                "no `{node}` to run (set SMARTAG_NODE or put node on PATH)"
            ))
        }
    }
    let modules = node_dir().join("node_modules/@alicloud");
    let absent: Vec<&str> = ["pop-core", "openapi-client", "openapi-util", "tea-util"]
        .into_iter()
        .filter(|package| !modules.join(package).join("package.json").is_file())
        .collect();
    (!absent.is_empty()).then(|| {
        format!(
            "@alicloud/{} not installed: run `npm ci` in emulator/tests/node (the registry may be unreachable)",
            absent.join(", @alicloud/")
        )
    })
}

#[test]
fn the_official_node_clients_run_against_the_binary() {
    let node = std::env::var("SMARTAG_NODE")
        .ok()
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| "node".to_owned());
    if let Some(reason) = missing(&node) {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI=true but the Node.js clients cannot run: {reason}"
        );
        eprintln!("skipped: {reason}");
        return;
    }
    let dir = node_dir();
    let fixtures = dir.join("../sdk/fixtures.txt");
    // No --access-key: the well-known development key, which e2e.js uses by default.
    let (child, endpoint) = start(&["--fixtures", fixtures.to_str().unwrap()]);
    // The README's quick start first, then every operation.
    let quickstart = Command::new(&node)
        .current_dir(&dir)
        .arg("quickstart.js")
        .env("SMARTAG_ENDPOINT", &endpoint)
        .stdin(Stdio::null())
        .output()
        .expect("node runs");
    assert!(
        quickstart.status.success() && quickstart.stdout.starts_with(b"quickstart: ok"),
        "quickstart.js failed:\n{}\n{}",
        String::from_utf8_lossy(&quickstart.stdout),
        String::from_utf8_lossy(&quickstart.stderr)
    );
    let output = Command::new(&node)
        .current_dir(&dir)
        .arg("e2e.js")
        .args(["--endpoint", &endpoint])
        .stdin(Stdio::null())
        .output()
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let stopped = terminate(child);
    assert!(
        output.status.success(),
        "e2e.js failed:\n{stdout}\n{stderr}"
    );
    assert!(
        stdout.contains("checks passed across 3 Node.js client flavors"),
        "{stdout}"
    );
    eprintln!("{}", stdout.trim());
    assert!(stopped.success(), "SIGTERM stops it cleanly: {stopped:?}");
}

#[test]
fn the_readme_shows_the_node_quickstart_as_committed() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../README.md"))
            .expect("the README");
    let quickstart =
        std::fs::read_to_string(node_dir().join("quickstart.js")).expect("quickstart.js");
    assert!(
        readme.contains(&format!("```js\n{quickstart}```\n")),
        "README.md's \"Testing from Node.js\" must show emulator/tests/node/quickstart.js as it is"
    );
}
