//! Durability of the real binary: `kill -9` under concurrent signed load, then a restart holds
//! every acknowledged change (and only changes that were sent); a torn log tail is dropped; a
//! damaged record in the middle refuses the start, naming the file and the offset.

mod real_binary;

use std::fs;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use real_binary::{all_users, log_file, Binary, TempDir};

const INSTANCE: &str = "sag-crash";
const FIXTURES: &str = "instance sag-crash region=cn-shanghai users=100000 cidr=10.0.0.0/16\n";
const FIRST_BANDWIDTH: u64 = 10;

/// What the client knows of a request it sent.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Outcome {
    /// Answered 200.
    Acknowledged,
    /// Sent, never answered (the server died): it may or may not have been kept.
    InFlight,
}

/// One user a worker created, then modified.
#[derive(Debug)]
struct Sent {
    name: String,
    create: Outcome,
    modify: Option<(u64, Outcome)>,
}

fn setup(name: &str) -> (TempDir, Vec<String>) {
    let dir = TempDir::new(name);
    let fixtures = dir.path().join("fixtures");
    fs::write(&fixtures, FIXTURES).unwrap();
    let state = dir.path().join("state");
    let args = vec![
        "--state".to_owned(),
        state.display().to_string(),
        "--fixtures".to_owned(),
        fixtures.display().to_string(),
    ];
    (dir, args)
}

fn args(args: &[String]) -> Vec<&str> {
    args.iter().map(String::as_str).collect()
}

fn create(name: &str) -> [(&str, &str); 7] {
    [
        ("Action", "CreateSmartAccessGatewayClientUser"),
        ("RegionId", "cn-shanghai"),
        ("SmartAGId", INSTANCE),
        ("UserName", name),
        ("Password", "duuf1234"),
        ("UserMail", "crash@example.com"),
        ("Bandwidth", "10"),
    ]
}

/// Creates and then modifies users on its own connection until the server goes away.
fn worker(binary_addr: std::net::SocketAddr, id: usize, acks: &AtomicUsize) -> Vec<Sent> {
    let mut client = real_binary::Client::connect(binary_addr).unwrap();
    let mut sent = Vec::new();
    for n in 0.. {
        let name = format!("w{id}n{n:06}");
        match client.call(&create(&name)) {
            Ok((200, _)) => acks.fetch_add(1, Ordering::Relaxed),
            Ok((status, body)) => panic!("create {name}: {status} {body}"),
            Err(_) => {
                sent.push(Sent {
                    name,
                    create: Outcome::InFlight,
                    modify: None,
                });
                return sent;
            }
        };
        let bandwidth = 100 + (n % 900);
        let value = bandwidth.to_string();
        let outcome = match client.call(&[
            ("Action", "ModifySmartAccessGatewayClientUser"),
            ("RegionId", "cn-shanghai"),
            ("SmartAGId", INSTANCE),
            ("UserName", &name),
            ("Bandwidth", &value),
        ]) {
            Ok((200, _)) => {
                acks.fetch_add(1, Ordering::Relaxed);
                Outcome::Acknowledged
            }
            Ok((status, body)) => panic!("modify {name}: {status} {body}"),
            Err(_) => Outcome::InFlight,
        };
        sent.push(Sent {
            name,
            create: Outcome::Acknowledged,
            modify: Some((bandwidth as u64, outcome)),
        });
        if outcome == Outcome::InFlight {
            return sent;
        }
    }
    sent
}

#[test]
fn kill_9_under_concurrent_load_keeps_every_acknowledged_change() {
    let killed_at = kill_9_under_load("crash-kill9", &[]);
    assert_eq!(killed_at, 1, "no compaction under the default floor");
}

#[test]
fn kill_9_while_compactions_run_keeps_every_acknowledged_change() {
    // A floor of 1 byte: the running server compacts each time its log outgrows the snapshot,
    // one compaction after the other under this load, so the kill lands during or between them.
    let killed_at = kill_9_under_load("crash-compaction", &["--compact-min-bytes", "1"]);
    eprintln!("{} compactions started before the kill", killed_at - 1);
    assert!(
        killed_at >= 3,
        "only {} compactions ran before the kill",
        killed_at - 1
    );
}

/// The highest log generation in a state directory: above 1 once the first run compacted.
fn last_log_generation(state: &std::path::Path) -> u64 {
    fs::read_dir(state)
        .unwrap()
        .filter_map(|e| {
            let name = e.unwrap().file_name().into_string().ok()?;
            name.strip_prefix("log.")?.parse().ok()
        })
        .max()
        .unwrap()
}

/// Starts the binary with `extra` arguments on a new state directory, kills it with `kill -9`
/// under concurrent load, and checks that a restart holds every acknowledged change and only
/// changes that were sent: the highest log generation the killed run left.
fn kill_9_under_load(name: &str, extra: &[&str]) -> u64 {
    let (dir, mut args_owned) = setup(name);
    args_owned.extend(extra.iter().map(|a| (*a).to_owned()));
    let stderr = dir.path().join("stderr");
    let binary = Binary::start(&args(&args_owned), &stderr);
    let addr = binary.addr;
    let acks = AtomicUsize::new(0);
    let killed = AtomicBool::new(false);
    let sent: Vec<Sent> = std::thread::scope(|s| {
        let workers: Vec<_> = (0..8)
            .map(|id| {
                let acks = &acks;
                s.spawn(move || worker(addr, id, acks))
            })
            .collect();
        // Kill it mid-load: once a few hundred changes are acknowledged.
        let started = Instant::now();
        while acks.load(Ordering::Relaxed) < 1000 && started.elapsed() < Duration::from_secs(20) {
            std::thread::sleep(Duration::from_millis(5));
        }
        binary.kill9();
        killed.store(true, Ordering::Relaxed);
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap())
            .collect()
    });
    assert!(killed.load(Ordering::Relaxed));
    let acknowledged = acks.load(Ordering::Relaxed);
    assert!(
        acknowledged >= 1000,
        "only {acknowledged} changes acknowledged"
    );
    let killed_at = last_log_generation(&dir.path().join("state"));

    let restarted = Binary::start(&args(&args_owned), &stderr);
    let mut client = restarted.client();
    let kept: std::collections::HashMap<String, u64> =
        all_users(&mut client, INSTANCE).into_iter().collect();
    let mut in_flight = 0;
    for user in &sent {
        let found = kept.get(&user.name).copied();
        match (user.create, user.modify) {
            (Outcome::InFlight, _) => {
                in_flight += 1;
                assert!(
                    found.is_none() || found == Some(FIRST_BANDWIDTH),
                    "{user:?}: {found:?}"
                );
            }
            (Outcome::Acknowledged, None) => {
                assert_eq!(found, Some(FIRST_BANDWIDTH), "{user:?}")
            }
            (Outcome::Acknowledged, Some((bandwidth, Outcome::Acknowledged))) => {
                assert_eq!(found, Some(bandwidth), "{user:?}")
            }
            (Outcome::Acknowledged, Some((bandwidth, Outcome::InFlight))) => {
                in_flight += 1;
                assert!(
                    found == Some(bandwidth) || found == Some(FIRST_BANDWIDTH),
                    "{user:?}: {found:?}"
                );
            }
        }
    }
    assert!(in_flight <= 8);
    eprintln!(
        "{acknowledged} changes acknowledged, {} users kept, {in_flight} requests in flight at the kill",
        kept.len()
    );
    // Nothing else: every user kept is one that was sent.
    let names: std::collections::HashSet<&str> = sent.iter().map(|u| u.name.as_str()).collect();
    assert!(kept.keys().all(|k| names.contains(k.as_str())));

    // It serves at once, and a clean stop keeps what it acknowledged too.
    let (status, body) = client.call(&create("afterrestart")).unwrap();
    assert_eq!(status, 200, "{body}");
    assert!(restarted.terminate().success());
    let third = Binary::start(&args(&args_owned), &stderr);
    let again = all_users(&mut third.client(), INSTANCE);
    assert_eq!(again.len(), kept.len() + 1);
    assert!(again.iter().any(|(n, _)| n == "afterrestart"));
    killed_at
}

/// Starts a state directory, creates `n` users one by one (one log record each), `kill -9`.
fn directory_with_users(name: &str, n: usize) -> (TempDir, Vec<String>) {
    let (dir, args_owned) = setup(name);
    let binary = Binary::start(&args(&args_owned), &dir.path().join("stderr"));
    let mut client = binary.client();
    for i in 0..n {
        let (status, body) = client.call(&create(&format!("user{i:04}"))).unwrap();
        assert_eq!(status, 200, "{body}");
    }
    binary.kill9();
    (dir, args_owned)
}

#[test]
fn a_torn_tail_is_dropped_at_start() {
    let (dir, args_owned) = directory_with_users("crash-torn", 10);
    let log = log_file(&dir.path().join("state"));
    let bytes = fs::read(&log).unwrap();
    // Cut the last record in the middle, as a crash during its write would.
    fs::write(&log, &bytes[..bytes.len() - 30]).unwrap();
    let stderr = dir.path().join("stderr");
    let binary = Binary::start(&args(&args_owned), &stderr);
    let users = all_users(&mut binary.client(), INSTANCE);
    let names: Vec<&str> = users.iter().map(|(n, _)| n.as_str()).collect();
    let expected: Vec<String> = (0..9).map(|i| format!("user{i:04}")).collect();
    assert_eq!(names, expected);
    assert!(
        binary.stderr().contains("dropped a torn last record"),
        "{}",
        binary.stderr()
    );
}

#[test]
fn a_damaged_record_in_the_middle_refuses_to_start() {
    let (dir, args_owned) = directory_with_users("crash-corrupt", 20);
    let log = log_file(&dir.path().join("state"));
    let mut bytes = fs::read(&log).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x20;
    fs::write(&log, &bytes).unwrap();
    let stderr = dir.path().join("stderr");
    let status = Binary::try_start(&args(&args_owned), &stderr)
        .err()
        .expect("the emulator started on a corrupt state");
    assert!(!status.success());
    let message = fs::read_to_string(&stderr).unwrap();
    let expected = format!("corrupt state file {} at offset ", log.display());
    assert!(message.contains(&expected), "{message}");
    assert!(
        message.contains("refusing to start (nothing was loaded)"),
        "{message}"
    );
    // Nothing was rewritten: the damaged file is as it was.
    assert_eq!(fs::read(&log).unwrap(), bytes);
}

/// The single-writer guard is an `flock` on the directory itself: deleting or replacing a file
/// named `lock` (where earlier builds kept it) frees nothing, and a second emulator on the same
/// directory is refused while the first runs, leaving its log untouched.
#[test]
fn a_second_emulator_is_refused_whatever_happens_to_a_lock_file() {
    let (dir, args_owned) = setup("crash-one-writer");
    let first = Binary::start(&args(&args_owned), &dir.path().join("stderr"));
    let mut client = first.client();
    for i in 0..5 {
        let (status, body) = client.call(&create(&format!("user{i:04}"))).unwrap();
        assert_eq!(status, 200, "{body}");
    }
    let state = dir.path().join("state");
    let log = log_file(&state);
    for replace in [false, true] {
        let _ = fs::remove_file(state.join("lock"));
        if replace {
            fs::write(state.join("lock"), "").unwrap();
        }
        let before = fs::read(&log).unwrap();
        let stderr = dir.path().join(format!("stderr-second-{replace}"));
        let status = Binary::try_start(&args(&args_owned), &stderr)
            .err()
            .expect("a second emulator started on a directory in use");
        assert!(!status.success());
        let message = fs::read_to_string(&stderr).unwrap();
        assert!(
            message.contains("is in use by another process"),
            "{message}"
        );
        assert_eq!(
            fs::read(&log).unwrap(),
            before,
            "the second start touched the log"
        );
    }
    let (status, body) = client.call(&create("afterrefusal")).unwrap();
    assert_eq!(status, 200, "{body}");
    first.kill9();
    let again = Binary::start(&args(&args_owned), &dir.path().join("stderr-again"));
    assert_eq!(all_users(&mut again.client(), INSTANCE).len(), 6);
}

/// Connects `user` through `POST /_emulator/online` (RPC-signed, as the API's requests are):
/// status and body.
fn connect(client: &mut real_binary::Client, user: &str) -> (u16, String) {
    let query = client.signed_query("POST", &[("SmartAGId", INSTANCE), ("UserName", user)]);
    let request = format!(
        "POST /_emulator/online?{query} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n"
    );
    client.send_raw(request.as_bytes()).unwrap();
    client.read_response().unwrap()
}

/// The sessions `DescribeUserOnlineClients` lists for `user`.
fn online(client: &mut real_binary::Client, user: &str) -> serde_json::Value {
    let (status, body) = client
        .call(&[
            ("Action", "DescribeUserOnlineClients"),
            ("RegionId", "cn-shanghai"),
            ("SmartAGId", INSTANCE),
            ("UserName", user),
        ])
        .unwrap();
    assert_eq!(status, 200, "{body}");
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    json["Users"]["User"].clone()
}

/// A connect answered 200 is durable: after `kill -9` and after a clean stop, the sessions come
/// back with their addresses and times, and the next connect takes the next address.
#[test]
fn connects_survive_restarts() {
    let (dir, args_owned) = directory_with_users("crash-online", 2);
    let stderr = dir.path().join("stderr");
    let binary = Binary::start(&args(&args_owned), &stderr);
    let mut client = binary.client();
    let mut answers = Vec::new();
    for user in ["user0000", "user0001", "user0000"] {
        let (status, body) = connect(&mut client, user);
        assert_eq!(status, 200, "{body}");
        answers.push(serde_json::from_str::<serde_json::Value>(&body).unwrap());
    }
    let ips: Vec<&str> = answers
        .iter()
        .map(|a| a["ClientIp"].as_str().unwrap())
        .collect();
    assert_eq!(ips, ["10.0.0.1", "10.0.0.2", "10.0.0.3"]);
    let (status, body) = connect(&mut client, "nobody99");
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("ConnectRefused"), "{body}");
    let before = online(&mut client, "user0000");
    let expected: Vec<serde_json::Value> = [&answers[0], &answers[2]]
        .iter()
        .map(|a| {
            serde_json::json!({
                "ClientIp": a["ClientIp"],
                "OnlineTime": a["OnlineTime"].as_u64().unwrap().to_string(),
            })
        })
        .collect();
    assert_eq!(before, serde_json::Value::Array(expected));
    binary.kill9();

    let binary = Binary::start(&args(&args_owned), &stderr);
    let mut client = binary.client();
    assert_eq!(online(&mut client, "user0000"), before);
    assert_eq!(
        online(&mut client, "user0001").as_array().map(Vec::len),
        Some(1)
    );
    let (status, body) = connect(&mut client, "user0001");
    assert_eq!(status, 200, "{body}");
    assert!(body.starts_with(r#"{"ClientIp":"10.0.0.4""#), "{body}");
    assert!(binary.terminate().success());

    let binary = Binary::start(&args(&args_owned), &stderr);
    let mut client = binary.client();
    assert_eq!(online(&mut client, "user0000"), before);
    assert_eq!(
        online(&mut client, "user0001").as_array().map(Vec::len),
        Some(2)
    );
}
