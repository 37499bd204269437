//! The golden scenarios: every `scenarios/*.scn` replayed through the library (the code path of
//! `examples/replay.rs`) must print exactly its `.out` file, twice in a row, and the `.out` files
//! together must show every error code of the catalogue. Also runs the example binary itself.
//!
//! To regenerate a golden file after a deliberate change, run
//! `cargo run --example replay -- scenarios/NAME.scn > scenarios/NAME.out` and read the diff
//! line by line against `RULES.md` before committing it.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use smartag_rules::wire::scenario::Scenario;
use smartag_rules::Error;

fn scenario_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios")
}

/// Every `.scn` file, sorted, with its text.
fn scenarios() -> Vec<(PathBuf, String)> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(scenario_dir())
        .expect("scenarios/ is readable")
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "scn"))
        .collect();
    paths.sort();
    assert!(
        paths.len() >= 5,
        "expected the golden scenarios in scenarios/"
    );
    paths
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{p:?}: {e}"));
            (p, text)
        })
        .collect()
}

fn golden(scn: &Path) -> String {
    let out = scn.with_extension("out");
    std::fs::read_to_string(&out).unwrap_or_else(|e| panic!("{out:?}: {e} (no golden file?)"))
}

fn run(path: &Path, text: &str, seed: u64) -> Vec<String> {
    Scenario::run(text, seed).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn every_scenario_prints_its_golden_file() {
    let mut report = String::new();
    let mut mismatches = 0usize;
    for (path, text) in scenarios() {
        let expected: Vec<String> = golden(&path).lines().map(str::to_owned).collect();
        let actual = run(&path, &text, 0);
        let name = format!(
            "scenarios/{}",
            path.with_extension("out")
                .file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
        );
        for i in 0..expected.len().max(actual.len()) {
            let (e, a) = (expected.get(i), actual.get(i));
            if e != a {
                mismatches += 1;
                report.push_str(&format!(
                    "{name} line {}:\n  expected: {}\n  actual:   {}\n",
                    i + 1,
                    e.map_or("<no line>", String::as_str),
                    a.map_or("<no line>", String::as_str),
                ));
            }
        }
    }
    assert!(
        mismatches == 0,
        "{mismatches} golden line(s) differ:\n{report}"
    );
}

#[test]
fn the_same_seed_prints_byte_identical_output() {
    for (path, text) in scenarios() {
        for seed in [0, 1, u64::MAX] {
            let first = run(&path, &text, seed).join("\n");
            let second = run(&path, &text, seed).join("\n");
            assert_eq!(first, second, "{} with seed {seed}", path.display());
        }
        let (zero, one) = (run(&path, &text, 0), run(&path, &text, 1));
        if !zero.is_empty() {
            assert_ne!(
                zero,
                one,
                "{}: seeds 0 and 1 print the same",
                path.display()
            );
        }
    }
}

/// The error lines of the golden files, as (file, status, code, message).
fn golden_errors() -> Vec<(String, u16, String, String)> {
    let mut found = Vec::new();
    for (path, _) in scenarios() {
        let name = path.display().to_string();
        for (i, line) in golden(&path).lines().enumerate() {
            let (status, body) = line
                .split_once(' ')
                .unwrap_or_else(|| panic!("{name}:{}: not `STATUS BODY`", i + 1));
            let status: u16 = status
                .parse()
                .unwrap_or_else(|_| panic!("{name}:{}: bad status", i + 1));
            if status == 200 {
                continue;
            }
            let (code, message) = if body.starts_with('{') {
                let v: serde_json::Value =
                    serde_json::from_str(body).unwrap_or_else(|e| panic!("{name}:{}: {e}", i + 1));
                (
                    v["Code"].as_str().unwrap_or_default().to_owned(),
                    v["Message"].as_str().unwrap_or_default().to_owned(),
                )
            } else {
                let text = |tag: &str| {
                    let open = format!("<{tag}>");
                    let start = body.find(&open).map(|s| s + open.len());
                    let end = body.find(&format!("</{tag}>"));
                    match (start, end) {
                        (Some(s), Some(e)) if s <= e => body[s..e].to_owned(),
                        _ => String::new(),
                    }
                };
                (text("Code"), text("Message"))
            };
            found.push((format!("{name}:{}", i + 1), status, code, message));
        }
    }
    found
}

#[test]
fn every_error_code_appears_in_some_golden_file() {
    let errors = golden_errors();
    let codes: BTreeSet<&str> = errors.iter().map(|(_, _, c, _)| c.as_str()).collect();
    // The gateway's errors (signatures, keys, nonces, timestamps) come from a server in front of
    // the wire layer: a scenario, unsigned, never meets them.
    let missing: Vec<&str> = Error::ALL
        .iter()
        .filter(|e| !e.is_gateway())
        .map(Error::code)
        .filter(|c| !codes.contains(c))
        .collect();
    assert!(missing.is_empty(), "codes in no golden file: {missing:?}");
}

/// The rules' error catalogue (`RULES.md`), copied here so that the golden files are checked against the contract and
/// not against the catalogue they were printed from.
const RULES_ERRORS: &[(u16, &str, &str)] = &[
    (
        400,
        "SAG.InstanceIdEmpty",
        "You must specify the SAG instance ID.",
    ),
    (
        400,
        "SAG.InstanceNoFound",
        "The specified SAG instance does not exist.",
    ),
    (
        400,
        "SAG.CidrEmpty",
        "You must specify the CIDR blocks of SAG.",
    ),
    (
        400,
        "SAG.CidrOverlap",
        "The specified CIDR overlaps with an existing CIDR.",
    ),
    (
        400,
        "ClientUser.NotSupportAction",
        "You cannot create a user in the current SAG instance.",
    ),
    (400, "ClientUser.NameEmpty", "You must specify UserName."),
    (
        400,
        "ClientUser.NameInvalid",
        "The specified UserName is invalid.",
    ),
    (
        400,
        "ClientUser.PasswordInvalid",
        "The specified password format is invalid.",
    ),
    (
        400,
        "ClientUser.BandwidthInvalid",
        "The specified Bandwidth is invalid.",
    ),
    (400, "ClientUser.EmailEmpty", "You must specify UserEmail."),
    (
        400,
        "ClientUser.EmailInvalid",
        "The format of the specified UserEmail is invalid.",
    ),
    (400, "ClientUser.IpEmpty", "You must specify ClientIp."),
    (
        400,
        "ClientUser.IpInvalid",
        "The specified ClientIp is invalid.",
    ),
    (
        400,
        "ClientUser.InvalidClientIp",
        "The specified ClientIp is invalid.",
    ),
    (
        400,
        "ClientUser.UserExist",
        "The specified user already exists.",
    ),
    (
        400,
        "ClientUser.UserOverLimit",
        "The maximum number of users is exceeded.",
    ),
    (
        400,
        "ResourceNotFound.User",
        "The specified user is not found.",
    ),
    (
        400,
        "EnterpriseCode.ConfigDifferent",
        "The target smart access gateway enterprise code or idaas configuration is not the same.",
    ),
    (
        400,
        "SAG.InvalidCidrFormat",
        "The specified CIDR format is invalid.",
    ),
    (
        400,
        "SAG.InvalidCidr",
        "The specified CIDR block is invalid.",
    ),
    (
        400,
        "EnterpriseCode.BeenOccupied",
        "The specified enterprise code is occupied by other enterprises.",
    ),
    (
        400,
        "ClientUser.UserInUsing",
        "The specified SAG user account is already in use this month. You cannot delete it.",
    ),
    (
        403,
        "MissingParameter",
        "The input parameter is missing, please check your input.",
    ),
    (
        404,
        "InvalidAction.NotFound",
        "Specified api is not found, please check your url and method.",
    ),
    (
        400,
        "InvalidVersion",
        "Specified parameter Version is not valid.",
    ),
];

#[test]
fn golden_error_lines_carry_the_spec_status_and_message() {
    let errors = golden_errors();
    for (at, status, code, message) in &errors {
        if let Some((s, _, m)) = RULES_ERRORS.iter().find(|(_, c, _)| c == code) {
            assert_eq!((status, message.as_str()), (s, *m), "{at}: {code}");
        } else {
            // Codes whose message is a decision (InvalidParameter's message, EnterpriseCode.NotExist).
            let error =
                Error::from_code(code).unwrap_or_else(|| panic!("{at}: unknown code {code}"));
            assert_eq!(
                (*status, message.as_str()),
                (error.http_status(), error.message()),
                "{at}"
            );
        }
    }
    let codes: BTreeSet<&str> = errors.iter().map(|(_, _, c, _)| c.as_str()).collect();
    for (_, code, _) in RULES_ERRORS {
        assert!(
            codes.contains(code),
            "catalogue code {code} in no golden file"
        );
    }
}

/// The features this test was built with, so that the inner `cargo run` reuses the build
/// instead of compiling the library again with other features.
fn features() -> String {
    let mut on = vec!["wire"];
    if cfg!(feature = "proptest") {
        on.push("proptest");
    }
    if cfg!(feature = "arbitrary") {
        on.push("arbitrary");
    }
    on.join(",")
}

/// Runs `cargo run --example replay -- ARGS` in the package (so the binary is always the current
/// one: examples have no `CARGO_BIN_EXE_*`), with `stdin` as standard input.
fn replay_binary(args: &[&str], stdin: &str) -> std::process::Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO"))
        .args(["run", "--quiet", "--no-default-features", "--features"])
        .arg(features())
        .args(["--example", "replay", "--"])
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("cargo runs");
    if let Some(mut input) = child.stdin.take() {
        input
            .write_all(stdin.as_bytes())
            .expect("stdin is writable");
    }
    child.wait_with_output().expect("cargo finishes")
}

#[test]
fn the_example_binary_replays_quickstart_and_refuses_broken_input() {
    let quickstart = scenario_dir().join("quickstart.scn");
    let expected = golden(&quickstart);

    let ok = replay_binary(&["scenarios/quickstart.scn"], "");
    let stderr = String::from_utf8_lossy(&ok.stderr);
    assert!(ok.status.success(), "replay failed: {stderr}");
    assert_eq!(String::from_utf8_lossy(&ok.stdout), expected);

    // Standard input, and a second file on its own fresh account: the same lines twice.
    let text = std::fs::read_to_string(&quickstart).expect("quickstart.scn");
    let twice = replay_binary(&["--seed", "0", "-", "scenarios/quickstart.scn"], &text);
    assert!(twice.status.success());
    assert_eq!(
        String::from_utf8_lossy(&twice.stdout),
        format!("{expected}{expected}")
    );

    // A fixture that breaks a rule: the lines before it, then exit status 1 and file:line.
    let broken = "instance sag-app1 region=cn-shanghai users=5\n\
                  Action=DescribeSmartAccessGatewayClientUsers&RegionId=cn-shanghai&SmartAGId=sag-app1\n\
                  \n\
                  instance sag-app2 region=cn-shanghai users=5 cidr=10.0.0.0/33\n\
                  Action=DescribeSmartAccessGatewayClientUsers&RegionId=cn-shanghai&SmartAGId=sag-app1\n";
    let failed = replay_binary(&["-"], broken);
    assert_eq!(failed.status.code(), Some(1));
    assert_eq!(String::from_utf8_lossy(&failed.stdout).lines().count(), 1);
    let stderr = String::from_utf8_lossy(&failed.stderr);
    assert!(
        stderr.contains("<stdin>:4:") && stderr.contains("cidr=`10.0.0.0/33`"),
        "stderr: {stderr}"
    );

    // A typo in a first word: the lines before it, then exit status 1 naming the file, the line
    // and the word; the line is never sent.
    let typo = "instance sag-app1 region=cn-shanghai users=5\n\
                Action=DescribeSmartAccessGatewayClientUsers&RegionId=cn-shanghai&SmartAGId=sag-app1\n\
                instnace sag-app2 region=cn-shanghai users=5\n\
                Action=DescribeSmartAccessGatewayClientUsers&RegionId=cn-shanghai&SmartAGId=sag-app1\n";
    let dir = std::env::temp_dir().join(format!("smartag-replay-typo-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a scratch directory");
    let file = dir.join("typo.scn");
    std::fs::write(&file, typo).expect("a scratch file");
    let file = file.to_string_lossy().into_owned();
    let failed = replay_binary(&[&file], "");
    assert_eq!(failed.status.code(), Some(1));
    assert_eq!(String::from_utf8_lossy(&failed.stdout).lines().count(), 1);
    let stderr = String::from_utf8_lossy(&failed.stderr);
    assert_eq!(
        stderr.trim_end(),
        format!(
            "replay: {file}:3: unknown word `instnace`: not `instance`, `used`, `online`, `GET`, \
             `POST` nor a request (no `=`)"
        )
    );
    let _ = std::fs::remove_dir_all(&dir);

    // --help explains the format, the options and the exit codes.
    let help = replay_binary(&["--help"], "");
    assert!(help.status.success());
    let help = String::from_utf8_lossy(&help.stdout);
    for needle in [
        "--seed",
        "instance",
        "used",
        "POST",
        "x-acs-action",
        "exit status",
        "1",
        "2",
    ] {
        assert!(help.contains(needle), "--help lacks {needle}: {help}");
    }

    // An unreadable file.
    let missing = replay_binary(&["scenarios/no-such-file.scn"], "");
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&missing.stderr)
        .contains("scenarios/no-such-file.scn: cannot read"));
}

/// Masks request IDs, so that two answers can be compared apart from them.
fn without_request_ids(line: &str) -> String {
    let pattern = regex::Regex::new("[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}")
        .expect("a valid pattern");
    pattern.replace_all(line, "<request-id>").into_owned()
}

#[test]
fn http_scenario_pairs_answer_alike() {
    // scenarios/http.scn gives every request twice: in RPC query form, then as a whole HTTP
    // request (ACS3 headers, form bodies, ...). Each pair answers the same, request IDs aside.
    let path = scenario_dir().join("http.scn");
    let text = std::fs::read_to_string(&path).expect("http.scn");
    let kinds: Vec<bool> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#') && !l.starts_with("instance"))
        .map(|l| l.starts_with("GET ") || l.starts_with("POST "))
        .collect();
    assert!(kinds.len() >= 30, "{} requests", kinds.len());
    for (i, pair) in kinds.chunks(2).enumerate() {
        assert_eq!(
            pair,
            [false, true],
            "request pair {} is not RPC then HTTP",
            i + 1
        );
    }
    let out = run(&path, &text, 0);
    for (i, pair) in out.chunks(2).enumerate() {
        assert_eq!(
            without_request_ids(&pair[0]),
            without_request_ids(&pair[1]),
            "pair {} answers differently",
            i + 1
        );
    }
}

/// A request line of a golden scenario in RPC query form, rewritten as a whole HTTP request:
/// `Action` and `Version` moved to the ACS3 headers with the rest in the query (`acs3`), or the
/// whole query sent as a `POST` form body. `None` for lines that cannot move as they are (a
/// repeated `Action` or `Version`, whitespace, text a header cannot hold).
fn as_http(line: &str, acs3: bool) -> Option<String> {
    use smartag_rules::wire::HttpRequest;
    if line.contains(char::is_whitespace) {
        return None;
    }
    if !acs3 {
        return Some(format!(
            "POST content-type:application/x-www-form-urlencoded ? | {line}"
        ));
    }
    let params = HttpRequest::get(line).parameters();
    let mut headers = String::new();
    let mut query = form_urlencoded::Serializer::new(String::new());
    for (header, param) in [("x-acs-action", "Action"), ("x-acs-version", "Version")] {
        let values: Vec<&str> = params
            .iter()
            .filter(|(n, _)| n == param)
            .map(|(_, v)| v.as_str())
            .collect();
        match values.as_slice() {
            [] => {}
            [value] if value.bytes().all(|b| b.is_ascii_graphic()) => {
                headers.push_str(&format!("{header}:{value} "));
            }
            _ => return None,
        }
    }
    for (name, value) in &params {
        if name != "Action" && name != "Version" {
            query.append_pair(name, value);
        }
    }
    Some(format!("POST {headers}? {}", query.finish()))
}

#[test]
fn every_golden_request_answers_the_same_as_a_whole_http_request() {
    // Each golden scenario, its RPC request lines rewritten as ACS3-shaped requests (Action and
    // Version as headers) or as POST form bodies, prints its golden file byte for byte.
    let mut rewritten = 0usize;
    for (path, text) in scenarios() {
        let expected: Vec<String> = golden(&path).lines().map(str::to_owned).collect();
        for acs3 in [true, false] {
            let converted: Vec<String> = text
                .lines()
                .map(|line| {
                    let t = line.trim();
                    let first = t.split_whitespace().next().unwrap_or("");
                    if t.starts_with('#') || !first.contains('=') {
                        return line.to_owned();
                    }
                    match as_http(t, acs3) {
                        Some(http) => {
                            rewritten += 1;
                            http
                        }
                        None => line.to_owned(),
                    }
                })
                .collect();
            let actual = run(&path, &converted.join("\n"), 0);
            assert_eq!(actual, expected, "{} (acs3: {acs3})", path.display());
        }
    }
    // Nearly every request line moves (not those with a repeated Action or Version, say).
    let requests: usize = scenarios()
        .iter()
        .map(|(_, text)| {
            text.lines()
                .map(str::trim)
                .filter(|t| !t.starts_with('#'))
                .filter(|t| t.split_whitespace().next().is_some_and(|w| w.contains('=')))
                .count()
        })
        .sum();
    assert!(
        rewritten * 10 >= requests * 2 * 9,
        "only {rewritten} of {requests} request lines rewritten twice"
    );
}

#[test]
fn unknown_words_and_malformed_request_lines_stop_the_run() {
    // (line, the error's text); every one stops the run at line 2 and sends nothing.
    let cases: &[(&str, &str)] = &[
        (
            "instnace sag-b region=cn-shanghai users=1",
            "unknown word `instnace`",
        ),
        (
            "Instance sag-b region=cn-shanghai users=1",
            "unknown word `Instance`",
        ),
        ("use sag-a doctest1", "unknown word `use`"),
        ("Action", "unknown word `Action`"),
        ("get ? Action=RoamClientUser", "unknown word `get`"),
        ("Post ? Action=RoamClientUser", "unknown word `Post`"),
        ("PUT ? Action=RoamClientUser", "unknown word `PUT`"),
        (
            "Action:RoamClientUser",
            "unknown word `Action:RoamClientUser`",
        ),
        ("POST", "no `?` before the query"),
        (
            "POST x-acs-action:RoamClientUser",
            "no `?` before the query",
        ),
        (
            "POST Action=RoamClientUser",
            "`Action=RoamClientUser` is not a header `name:value`",
        ),
        (
            "POST :x ? RegionId=cn-shanghai",
            "`:x` is not a header `name:value`",
        ),
        (
            "POST x_acs:x ? RegionId=cn-shanghai",
            "`x_acs:x` is not a header `name:value`",
        ),
        ("GET ? a=1 b=2", "`a=1 b=2` after `?`"),
        ("GET ? a=1 | b=2 c=3", "`a=1 | b=2 c=3` after `?`"),
        ("GET ? | b=2 | c=3", "`| b=2 | c=3` after `?`"),
    ];
    for (line, message) in cases {
        let text = format!("instance sag-a region=cn-shanghai users=1\n{line}\nAction=Nope");
        let err = Scenario::run(&text, 0).expect_err(line);
        assert_eq!(err.line, 2, "{line}");
        assert!(
            err.to_string().starts_with(&format!("line 2: {message}")),
            "{line}: {err}"
        );
    }
    // The shapes that are fine: headers with empty values, an empty query, a body alone.
    for line in [
        "POST ?",
        "GET x-acs-action: ?",
        "POST ? |",
        "POST ? | Action=Nope",
        "POST X-Acs-Action:Nope ? RegionId=cn-shanghai |",
        "GET content-type:text/plain;charset=utf-8 ? a=1 | b=2",
    ] {
        let out = Scenario::run(line, 0).unwrap_or_else(|e| panic!("{line}: {e}"));
        assert_eq!(out.len(), 1, "{line}");
    }
}
