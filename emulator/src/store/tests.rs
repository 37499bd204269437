use std::fs;
use std::path::PathBuf;

use smartag_rules::wire::scenario::Scenario;
use smartag_rules::wire::{parse_request, HttpRequest, Method, Service};
use smartag_rules::Account;

use super::compactor::compact;
use super::replay::replay_log;
use super::snapshot::Snapshot;
use super::*;

mod faults;
mod generations;
mod mutations;

/// A fresh directory under the system's temporary one, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!("smartag-store-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// A fresh account as the emulator makes one from its fixtures: one instance, `sag-app1`.
fn fixture(seed: u64) -> Account {
    let mut scenario = Scenario::new(seed);
    scenario
        .step("instance sag-app1 region=cn-shanghai users=1000 cidr=10.0.0.0/16")
        .unwrap();
    scenario.into_service().into_account()
}

#[derive(Debug)]
struct Opened {
    store: Store,
    accounts: Vec<(String, Account)>,
}

impl Opened {
    fn report(&self) -> &LoadReport {
        self.store.report().unwrap()
    }
}

fn open_with(
    dir: &Path,
    seed: u64,
    keys: &[&str],
    fresh: impl Fn(u64) -> Account,
) -> Result<Opened, StoreError> {
    let fresh = keys
        .iter()
        .map(|k| ((*k).to_owned(), fresh(seed)))
        .collect();
    Store::open(dir, seed, fresh).map(|(store, accounts)| Opened { store, accounts })
}

fn open(dir: &Path, seed: u64, keys: &[&str]) -> Result<Opened, StoreError> {
    open_with(dir, seed, keys, fixture)
}

fn params(query: &str) -> Vec<(String, String)> {
    form_urlencoded::parse(query.trim().as_bytes())
        .into_owned()
        .collect()
}

/// The parameters of a scenario's request line: a query, or a whole HTTP request
/// (`POST name:value ... ? QUERY | BODY`), as the wire layer reads them.
fn line_params(line: &str) -> Vec<(String, String)> {
    let words: Vec<&str> = line.split_whitespace().collect();
    let method = match words.first() {
        Some(&"GET") => Method::Get,
        Some(&"POST") => Method::Post,
        _ => return params(line),
    };
    let mark = words.iter().position(|w| *w == "?").expect(line);
    let after = words[mark + 1..].join(" ");
    let (query, body) = after.split_once('|').unwrap_or((&after, ""));
    words[1..mark]
        .iter()
        .map(|word| word.split_once(':').expect(word))
        .fold(
            HttpRequest::new(method, query.trim()).with_body(body.trim()),
            |request, (name, value)| request.with_header(name, value),
        )
        .rpc_parameters()
}

/// Records a change and waits until it is durable.
fn keep(store: &Store, key: &str, change: Change<'_>) {
    let ticket = store.record(key, &change).unwrap();
    tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap()
        .block_on(store.durable(ticket))
        .unwrap();
}

fn changes(params: &[(String, String)]) -> bool {
    parse_request(params.iter().map(|(k, v)| (k, v)))
        .is_ok_and(|p| !matches!(p.request, smartag_rules::Request::DescribeClientUsers(_)))
}

/// Runs `query` on `service` as the server does: a success that changes the account is
/// recorded, and waited for.
fn serve(store: &Store, key: &str, service: &mut Service, query: &str) -> u16 {
    let params = params(query);
    let response = service.handle(params.iter().map(|(k, v)| (k, v)));
    if response.status == 200 && changes(&params) {
        keep(store, key, Change::Request(&params));
    }
    response.status
}

/// Waits up to `within` for `done`: whether it came.
fn eventually(within: Duration, done: impl Fn() -> bool) -> bool {
    let deadline = Instant::now() + within;
    while !done() {
        if Instant::now() > deadline {
            return false;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    true
}

/// The payload of one log record holding a create of `name` for account `k`.
fn create_payload(name: &str) -> Vec<u8> {
    let params = params(&create(name));
    let entry = serde_json::to_vec(&EntryOut {
        key: "k",
        change: ChangeOut::Request(&params),
    })
    .unwrap();
    let mut payload = Vec::new();
    format::push_entry(&mut payload, &entry).unwrap();
    payload
}

fn create(name: &str) -> String {
    format!(
        "Action=CreateSmartAccessGatewayClientUser&RegionId=cn-shanghai&SmartAGId=sag-app1\
         &UserName={name}&Password=duuf1234&UserMail=a%40example.com"
    )
}

fn log_path(dir: &Path) -> PathBuf {
    let logs = list_logs(&Io::default(), dir).unwrap();
    assert_eq!(logs.len(), 1, "{logs:?}");
    logs[0].1.clone()
}

#[test]
fn a_new_directory_records_its_seed_and_initial_accounts() {
    let dir = TempDir::new("seed");
    let opened = open(&dir.0, 7, &["k1", "k2"]).unwrap();
    assert!(opened.store.is_new());
    assert_eq!(
        (opened.report().seed, opened.store.previous_starts()),
        (7, 0)
    );
    assert_eq!(opened.accounts.len(), 2);
    assert_eq!(opened.accounts[0].1, fixture(7));
    drop(opened);

    let again = open_with(&dir.0, 7, &["k1"], |_| Account::with_seed(1)).unwrap();
    assert!(!again.store.is_new());
    assert_eq!(
        (again.report().accounts, again.store.previous_starts()),
        (2, 1)
    );
    assert_eq!(again.accounts, vec![("k1".to_owned(), fixture(7))]);
    drop(again);

    let err = open(&dir.0, 8, &["k1"]).unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::SeedMismatch {
                recorded: 7,
                given: 8,
                ..
            }
        ),
        "{err}"
    );
    assert!(
        err.to_string().contains("was created with --seed 7"),
        "{err}"
    );
    assert_eq!(open(&dir.0, 7, &["k1"]).unwrap().store.previous_starts(), 2);
}

#[test]
fn one_directory_one_process() {
    let dir = TempDir::new("lock");
    let _held = open(&dir.0, 0, &["k"]).unwrap();
    let err = open(&dir.0, 0, &["k"]).unwrap_err();
    assert!(matches!(err, StoreError::InUse(_)), "{err}");
    // No file holds the lock: removing or replacing one frees nothing.
    let _ = fs::remove_file(dir.0.join("lock"));
    fs::write(dir.0.join("lock"), "").unwrap();
    let err = open(&dir.0, 0, &["k"]).unwrap_err();
    assert!(matches!(err, StoreError::InUse(_)), "{err}");
    drop(_held);
    open(&dir.0, 0, &["k"]).unwrap();
}

#[test]
fn fixtures_apply_once_and_a_new_key_gets_them_on_its_first_start() {
    let dir = TempDir::new("fixtures");
    let opened = open(&dir.0, 0, &["k1"]).unwrap();
    let mut service = Service::with_account(opened.accounts[0].1.clone(), 0);
    assert_eq!(
        serve(&opened.store, "k1", &mut service, &create("alice001")),
        200
    );
    drop(opened);

    // The fresh account is not used again for k1: its user survives.
    let again = open_with(&dir.0, 0, &["k1", "k2"], Account::with_seed).unwrap();
    assert_eq!(again.accounts[0].1, *service.account());
    assert_eq!(again.accounts[1].1, Account::with_seed(0));
    drop(again);
    // k1 not configured: kept all the same.
    let k2_only = open(&dir.0, 0, &["k2"]).unwrap();
    assert_eq!(k2_only.report().accounts, 2);
    drop(k2_only);
    let k1 = open(&dir.0, 0, &["k1"]).unwrap();
    assert_eq!(k1.accounts[0].1, *service.account());
}

/// Every scenario of the repository, run as the server runs requests (recording the successful
/// changes, and fixtures as whole-account replacements), comes back exactly, generator state
/// included, after a restart: the core is deterministic and a failed call changes nothing.
#[test]
fn replaying_the_recorded_requests_reproduces_every_scenario_exactly() {
    let scenarios = Path::new(env!("CARGO_MANIFEST_DIR")).join("../scenarios");
    let mut files: Vec<PathBuf> = fs::read_dir(&scenarios)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "scn"))
        .collect();
    files.sort();
    assert!(files.len() >= 5, "{files:?}");
    for (seed, file) in files.iter().enumerate() {
        let seed = seed as u64;
        let dir = TempDir::new(&format!("scenario-{seed}"));
        let opened = open_with(&dir.0, seed, &["k"], Account::with_seed).unwrap();
        let mut scenario = Scenario::new(seed);
        let mut recorded = 0;
        for line in fs::read_to_string(file).unwrap().lines() {
            let before = scenario.service().account().clone();
            let out = scenario.step(line).unwrap();
            let after = scenario.service().account();
            match out {
                Some(out) if out.starts_with("200 ") => {
                    let params = line_params(line);
                    if changes(&params) {
                        keep(&opened.store, "k", Change::Request(&params));
                        recorded += 1;
                    } else {
                        assert_eq!(&before, after, "{line}");
                    }
                }
                Some(_) => assert_eq!(&before, after, "a failed call changed the account: {line}"),
                None if &before != after => keep(&opened.store, "k", Change::Replace(after)),
                None => {}
            }
        }
        drop(opened);
        let again = open_with(&dir.0, seed, &["k"], |_| Account::with_seed(99)).unwrap();
        let replayed = again.report().replayed;
        assert_eq!(replayed > 0, recorded > 0, "{}", file.display());
        assert_eq!(
            again.accounts[0].1,
            *scenario.service().account(),
            "{}",
            file.display()
        );
        drop(again);
        // And once more: the logs, far below the compaction floor, were kept and replay again.
        let third = open_with(&dir.0, seed, &["k"], |_| Account::with_seed(99)).unwrap();
        assert_eq!(third.report().replayed, replayed);
        assert_eq!(third.accounts[0].1, *scenario.service().account());
    }
}

/// Concurrent writers share rounds of the log; every acknowledged change is there after a
/// restart, each account's in its order.
#[test]
fn concurrent_changes_are_all_recorded() {
    let dir = TempDir::new("concurrent");
    let keys = ["k1", "k2", "k3", "k4"];
    let opened = open(&dir.0, 0, &keys).unwrap();
    let store = &opened.store;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .build()
        .unwrap();
    let runtime = &runtime;
    let services: Vec<std::sync::Mutex<Service>> = opened
        .accounts
        .iter()
        .map(|(_, a)| std::sync::Mutex::new(Service::with_account(a.clone(), 0)))
        .collect();
    std::thread::scope(|s| {
        for t in 0..8 {
            let services = &services;
            s.spawn(move || {
                for i in 0..50 {
                    let which = (t + i) % keys.len();
                    let ticket = {
                        let mut service = services[which].lock().unwrap();
                        let params = params(&create(&format!("user{t}x{i:03}")));
                        assert_eq!(
                            service.handle(params.iter().map(|(k, v)| (k, v))).status,
                            200
                        );
                        store
                            .record(keys[which], &Change::Request(&params))
                            .unwrap()
                    };
                    runtime.block_on(store.durable(ticket)).unwrap();
                }
            });
        }
    });
    let expected: Vec<Account> = services
        .into_iter()
        .map(|s| s.into_inner().unwrap().into_account())
        .collect();
    drop(opened);
    let again = open(&dir.0, 0, &keys).unwrap();
    assert_eq!(again.report().replayed, 400);
    assert_eq!(again.report().users, 400);
    let loaded: Vec<Account> = again.accounts.into_iter().map(|(_, a)| a).collect();
    assert_eq!(loaded, expected);
}

/// Writes `n` users in `n` rounds (one record each) and stops.
fn directory_with_users(dir: &Path, n: usize) -> Account {
    let opened = open(dir, 0, &["k"]).unwrap();
    let mut service = Service::with_account(opened.accounts[0].1.clone(), 0);
    for i in 0..n {
        assert_eq!(
            serve(
                &opened.store,
                "k",
                &mut service,
                &create(&format!("user{i:04}"))
            ),
            200
        );
    }
    service.into_account()
}

/// A directory of `users` users (written by [`directory_with_users`]) whose log `damage`
/// changed on disk.
struct Damaged {
    dir: TempDir,
    log: PathBuf,
    /// The log as `damage` left it.
    bytes: Vec<u8>,
    /// The account before the damage.
    full: Account,
}

fn damaged(name: &str, users: usize, damage: impl FnOnce(&mut Vec<u8>)) -> Damaged {
    let dir = TempDir::new(name);
    let full = directory_with_users(&dir.0, users);
    let log = log_path(&dir.0);
    let mut bytes = fs::read(&log).unwrap();
    damage(&mut bytes);
    fs::write(&log, &bytes).unwrap();
    Damaged {
        dir,
        log,
        bytes,
        full,
    }
}

#[test]
fn a_torn_tail_is_dropped_and_reported() {
    // Cut the last record in half: the last user was never acknowledged.
    let Damaged {
        dir,
        log,
        bytes,
        full,
    } = damaged("torn", 10, |b| b.truncate(b.len() - 40));
    let opened = open(&dir.0, 0, &["k"]).unwrap();
    let report = opened.report().clone();
    let (path, offset) = report.torn_tail.clone().unwrap();
    assert_eq!(path, log);
    assert!(offset < bytes.len() as u64);
    assert_eq!((report.replayed, report.users), (9, 9));
    let instance = opened.accounts[0].1.instances().next().unwrap();
    assert!(instance.user(&"user0008".parse().unwrap()).is_some());
    assert!(instance.user(&"user0009".parse().unwrap()).is_none());
    assert!(
        report.to_string().contains("dropped the torn tail of"),
        "{report}"
    );
    // The compacted state starts clean: all but the last user, and a log without a tail.
    drop(opened);
    let again = open(&dir.0, 0, &["k"]).unwrap();
    assert_eq!(again.report().torn_tail, None);
    assert_eq!(again.report().users, 9);
    assert_ne!(again.accounts[0].1, full);
}

#[test]
fn corruption_in_the_middle_refuses_to_start_naming_file_and_offset() {
    let mut middle = 0;
    let Damaged {
        dir, log, bytes, ..
    } = damaged("corrupt", 20, |b| {
        middle = b.len() / 2;
        b[middle] ^= 0x01;
    });
    let err = open(&dir.0, 0, &["k"]).unwrap_err();
    let StoreError::Corrupt { path, offset, .. } = &err else {
        panic!("{err}");
    };
    assert_eq!(path, &log);
    assert!(*offset <= middle as u64 && *offset > 0);
    let message = err.to_string();
    assert!(
        message.starts_with(&format!(
            "corrupt state file {} at offset {offset}: ",
            log.display()
        )),
        "{message}"
    );
    assert!(
        message.ends_with("refusing to start (nothing was loaded)"),
        "{message}"
    );
    // Still refused on the next try: nothing was rewritten.
    assert_eq!(fs::read(&log).unwrap(), bytes);
    assert!(open(&dir.0, 0, &["k"]).is_err());
}

/// A way to damage a state directory, by name.
type Damage = (&'static str, fn(&Path));

#[test]
fn foreign_or_unknown_files_are_refused() {
    let cases: [Damage; 5] = [
        ("snapshot garbage", |d| {
            fs::write(d.join("snapshot"), b"hello, world, not a snapshot").unwrap()
        }),
        ("snapshot version", |d| {
            let mut b = fs::read(d.join("snapshot")).unwrap();
            b[8] = 9;
            fs::write(d.join("snapshot"), b).unwrap();
        }),
        ("snapshot truncated", |d| {
            let b = fs::read(d.join("snapshot")).unwrap();
            fs::write(d.join("snapshot"), &b[..b.len() - 1]).unwrap();
        }),
        ("log version", |d| {
            let log = log_path(d);
            let mut b = fs::read(&log).unwrap();
            b[8] = 9;
            fs::write(&log, b).unwrap();
        }),
        ("snapshot missing", |d| {
            fs::remove_file(d.join("snapshot")).unwrap()
        }),
    ];
    for (name, damage) in cases {
        let dir = TempDir::new(&name.replace(' ', "-"));
        directory_with_users(&dir.0, 3);
        damage(&dir.0);
        let err = open(&dir.0, 0, &["k"]).unwrap_err();
        assert!(matches!(err, StoreError::Corrupt { .. }), "{name}: {err}");
        assert!(
            err.to_string().contains("refusing to start"),
            "{name}: {err}"
        );
    }
}

#[test]
fn an_entry_the_rules_refuse_is_corruption() {
    // Append, as a valid record, a second create of an existing user.
    let payload = create_payload("user0001");
    let mut offset = 0;
    let Damaged { dir, log, .. } = damaged("refused", 2, |b| {
        offset = b.len();
        format::push_frame(b, &payload).unwrap();
    });
    let err = open(&dir.0, 0, &["k"]).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "corrupt state file {} at offset {offset}: CreateSmartAccessGatewayClientUser for \
             account k fails on replay with ClientUser.UserExist (the log does not match these \
             rules); refusing to start (nothing was loaded)",
            log.display()
        )
    );
}

/// A crash during the first write after a start leaves a log of one torn record; a crash while
/// the next start replaces that log must not leave it where a later start reads it as corrupt.
#[test]
fn a_log_of_only_a_torn_record_never_comes_back_as_corruption() {
    let Damaged {
        dir,
        log,
        bytes: torn,
        ..
    } = damaged("torn-only", 0, |b| {
        // A record of 200 bytes, cut short after its header and one byte.
        let mut record = Vec::new();
        format::push_frame(&mut record, &[b'{'; 200]).unwrap();
        b.extend_from_slice(&record[..13]);
    });
    let opened = open(&dir.0, 0, &["k"]).unwrap();
    assert!(opened.report().torn_tail.is_some());
    drop(opened);
    // As if the start had crashed before removing the torn log.
    fs::write(&log, &torn).unwrap();
    let again = open(&dir.0, 0, &["k"]).unwrap();
    assert_eq!(again.report().torn_tail, None);
    assert_eq!(again.accounts[0].1, fixture(0));
}

/// The generations of the directory's files: the snapshot's, and each log's.
fn generations(dir: &Path) -> (u64, Vec<u64>) {
    let snapshot = read_snapshot(&Io::default(), &dir.join(SNAPSHOT))
        .unwrap()
        .generation;
    let logs = list_logs(&Io::default(), dir)
        .unwrap()
        .into_iter()
        .map(|(g, _)| g)
        .collect();
    (snapshot, logs)
}

#[test]
fn the_running_server_compacts_once_the_log_outgrows_the_snapshot() {
    let dir = TempDir::new("compact-running");
    let compaction = Compaction::with_min_log_bytes(4096);
    let fresh = vec![("k1".to_owned(), fixture(3))];
    let (store, mut accounts) = Store::open_with(&dir.0, 3, fresh, compaction).unwrap();
    let mut service = Service::with_account(accounts.remove(0).1, 3);
    assert_eq!(generations(&dir.0), (1, vec![1]));
    for i in 0..300 {
        let name = format!("user{i:04}");
        assert_eq!(serve(&store, "k1", &mut service, &create(&name)), 200);
    }
    drop(store);
    // Several compactions ran (each a log generation of its own), each folding the logs before
    // its own into the snapshot and removing them.
    let (snapshot, logs) = generations(&dir.0);
    assert!(snapshot >= 2, "snapshot of generation {snapshot}");
    assert_eq!(logs, vec![snapshot], "only the log written since");
    let again = open(&dir.0, 3, &["k1"]).unwrap();
    assert_eq!(again.accounts[0].1, *service.account());
    assert!(again.report().replayed < 300, "{}", again.report());
    drop(again);

    // Under the floor, or while the log is smaller than the snapshot: no compaction.
    let never = Compaction::with_min_log_bytes(u64::MAX);
    let fresh = vec![("k1".to_owned(), fixture(3))];
    let (store, mut accounts) = Store::open_with(&dir.0, 3, fresh, never).unwrap();
    let mut service = Service::with_account(accounts.remove(0).1, 3);
    let before = generations(&dir.0);
    for i in 0..50 {
        let name = format!("more{i:04}");
        assert_eq!(serve(&store, "k1", &mut service, &create(&name)), 200);
    }
    assert_eq!(generations(&dir.0), before);
}

/// Creates the log of generation `next`, continuing the (complete) log before it, as a running
/// server's compaction starts.
fn next_log(dir: &Path, next: u64) {
    let previous = fs::read(dir.join(format!("{LOG_PREFIX}{}", next - 1))).unwrap();
    let follows = format::Link {
        generation: next - 1,
        len: previous.len() as u64,
    };
    create_log(&Io::default(), dir, next, follows).unwrap();
}

#[test]
fn a_crash_at_any_step_of_a_compaction_opens_to_the_same_accounts() {
    // Each step of a compaction done by hand on a closed directory, as a crash right after it
    // leaves the files; every one opens to the accounts that were acknowledged.
    type Step = fn(&Path, u64);
    let steps: &[(&str, Step)] = &[
        ("the new log created", |dir, next| {
            next_log(dir, next);
        }),
        ("a torn snapshot.tmp beside it", |dir, next| {
            next_log(dir, next);
            fs::write(dir.join(SNAPSHOT_TMP), b"SAGSNAP\n\x01\0\0\0").unwrap();
        }),
        (
            "the new snapshot in place, old logs still there",
            |dir, next| {
                create_log(
                    &Io::default(),
                    dir,
                    next,
                    format::Link {
                        generation: next - 1,
                        len: fs::read(dir.join(format!("log.{}", next - 1)))
                            .unwrap()
                            .len() as u64,
                    },
                )
                .unwrap();
                let Snapshot {
                    mut accounts,
                    generation: from,
                    seed,
                    ..
                } = read_snapshot(&Io::default(), &dir.join(SNAPSHOT)).unwrap();
                for (g, path) in list_logs(&Io::default(), dir).unwrap() {
                    if (from..next).contains(&g) {
                        replay_log(&Io::default(), &path, g, false, &mut accounts, |_| Ok(()))
                            .unwrap();
                    }
                }
                let all: Vec<(&str, &Account)> =
                    accounts.iter().map(|(k, a)| (k.as_str(), a)).collect();
                write_snapshot(&Io::default(), dir, next, seed, &all).unwrap();
            },
        ),
        ("the whole compaction", |dir, next| {
            next_log(dir, next);
            compact(&Io::default(), dir, 0, next).unwrap();
        }),
    ];
    for (what, step) in steps {
        let dir = TempDir::new("compact-steps");
        let expected = directory_with_users(&dir.0, 20);
        let next = list_logs(&Io::default(), &dir.0).unwrap().last().unwrap().0 + 1;
        step(&dir.0, next);
        let opened = open(&dir.0, 0, &["k"]).unwrap_or_else(|e| panic!("{what}: {e}"));
        assert_eq!(opened.accounts[0].1, expected, "{what}");
    }
}

#[test]
fn a_start_keeps_logs_below_the_threshold_and_compacts_logs_above_it() {
    let dir = TempDir::new("compact-at-open");
    let expected = directory_with_users(&dir.0, 20);
    let reopen = |compaction| {
        let fresh = vec![("k".to_owned(), fixture(0))];
        let (store, accounts) = Store::open_with(&dir.0, 0, fresh, compaction).unwrap();
        assert_eq!(accounts[0].1, expected);
        let replayed = store.report().unwrap().replayed;
        drop(store);
        (replayed, generations(&dir.0))
    };
    // Under the default floor: replayed, kept beside a new log, the snapshot untouched.
    assert_eq!(reopen(Compaction::default()), (20, (1, vec![1, 2])));
    assert_eq!(reopen(Compaction::default()), (20, (1, vec![1, 2, 3])));
    // Past the snapshot's size and the floor: folded into a new snapshot, then nothing to replay.
    assert_eq!(
        reopen(Compaction::with_min_log_bytes(0)),
        (20, (4, vec![4]))
    );
    assert_eq!(reopen(Compaction::default()), (0, (4, vec![5])));
}

/// What an earlier format's serializer wrote of an account, made from what this build writes
/// (each field it lacked taken out, each one it wrote otherwise rewritten).
type Shape = fn(&mut serde_json::Value);

/// Takes `key` out of a JSON object: this build must still write it.
fn take_out(object: &mut serde_json::Value, key: &str) {
    let removed = object.as_object_mut().and_then(|o| o.remove(key));
    assert!(
        removed.is_some(),
        "this build no longer writes {key}: {object}"
    );
}

/// Version 2 (4f5fea7 to 435d4e6): no sessions in an instance, no clock in an account.
fn version_2_shape(account: &mut serde_json::Value) {
    for instance in account["instances"].as_array_mut().unwrap() {
        take_out(instance, "sessions");
    }
    take_out(account, "clock");
}

/// Version 1 as its first build wrote it (3e112d9): version 2's shape, and also no default
/// enterprise code, no client tokens, and the codes a set of plain codes (no serials).
fn version_1_shape(account: &mut serde_json::Value) {
    version_2_shape(account);
    take_out(account, "default_enterprise_code");
    take_out(account, "client_tokens");
    let codes = account["enterprise_codes"].as_array_mut().unwrap();
    assert!(!codes.is_empty(), "no code to write plain");
    for code in codes {
        *code = code["code"].take();
        assert!(code.is_string(), "{code}");
    }
}

/// The header an earlier format wrote: version 1's 20 bytes (magic, version, generation), or
/// version 2's (this build's header with its version, and its own checksum).
fn header_of_version(version: u32, magic: [u8; 8], generation: u64) -> Vec<u8> {
    let mut out = format::header(magic, generation, format::Link::START).to_vec();
    out[8..12].copy_from_slice(&version.to_le_bytes());
    if version == 1 {
        out.truncate(20);
    } else {
        let crc_at = format::HEADER_LEN - 4;
        let crc = crc32fast::hash(&out[..crc_at]);
        out[crc_at..].copy_from_slice(&crc.to_le_bytes());
    }
    out
}

/// Directories written by earlier formats open to the account they hold, and the start rewrites
/// them in the current one. Each is written whole in its own format: its headers (version 1:
/// magic, version and generation, no checksum, no chain; version 2: this build's header), and
/// its entries in the shape its serializer wrote them (a snapshot of the account, each
/// request logged after it, and a whole account put in place by the control endpoint), without
/// the fields that came later: they open with none of them (no session, the clock at 0, and for
/// version 1 no default code and no client token).
#[test]
fn a_directory_of_an_earlier_format_opens_and_is_rewritten() {
    // The version, its shape, and the requests it logs beyond the users' creates (what it knew).
    let cases: [(u32, Shape, &[&str]); 2] = [
        (1, version_1_shape, &[]),
        (
            2,
            version_2_shape,
            &[
                "Action=CreateEnterpriseCode&RegionId=cn-shanghai&EnterpriseCode=AB123\
                 &ClientToken=create-ab123",
                "Action=UpdateEnterpriseCode&RegionId=cn-shanghai&EnterpriseCode=AB123\
                 &IsDefault=true",
            ],
        ),
    ];
    for (version, shape, more) in cases {
        let what = format!("version {version}");
        let dir = TempDir::new(&format!("format-{version}"));
        fs::create_dir_all(&dir.0).unwrap();
        let mut scenario = Scenario::new(0);
        scenario
            .step("instance sag-app1 region=cn-shanghai users=10 cidr=10.0.0.0/24 code=BD123")
            .unwrap();
        let mut service = scenario.into_service();
        let shaped = |account: &Account| {
            let mut json = serde_json::to_value(account).unwrap();
            shape(&mut json);
            json
        };

        let mut snapshot = header_of_version(version, format::SNAPSHOT_MAGIC, 1);
        let meta = serde_json::json!({"seed": 0, "accounts": 1});
        format::push_frame(&mut snapshot, meta.to_string().as_bytes()).unwrap();
        let account = serde_json::json!({"key": "k", "account": shaped(service.account())});
        format::push_frame(&mut snapshot, account.to_string().as_bytes()).unwrap();
        fs::write(dir.0.join(SNAPSHOT), snapshot).unwrap();

        // The log: each change a record of one entry.
        let mut log = header_of_version(version, format::LOG_MAGIC, 1);
        let mut push = |entry: serde_json::Value| {
            let mut payload = Vec::new();
            format::push_entry(&mut payload, entry.to_string().as_bytes()).unwrap();
            format::push_frame(&mut log, &payload).unwrap();
        };
        let request = |service: &mut Service, query: &str| {
            let params = params(query);
            let answer = service.handle(params.iter().map(|(k, v)| (k, v)));
            assert_eq!(answer.status, 200, "{what}: {query}: {}", answer.body);
            serde_json::json!({"key": "k", "change": {"Request": params}})
        };
        push(request(&mut service, &create("user0001")));
        for query in more {
            push(request(&mut service, query));
        }
        push(request(&mut service, &create("user0002")));
        // Fixtures loaded through the control endpoint: the whole account put in place.
        request(&mut service, &create("user0003"));
        push(serde_json::json!({"key": "k", "change": {"Replace": shaped(service.account())}}));
        push(request(&mut service, &create("user0004")));
        fs::write(dir.0.join("log.1"), log).unwrap();
        let expected = service.into_account();

        let opened = open(&dir.0, 0, &["k"]).unwrap_or_else(|e| panic!("{what}: {e}"));
        let account = &opened.accounts[0].1;
        assert_eq!(*account, expected, "{what}");
        let instance = account.instances().next().unwrap();
        let names: Vec<String> = instance.users().map(|u| u.name().to_string()).collect();
        assert_eq!(
            names,
            ["user0001", "user0002", "user0003", "user0004"],
            "{what}"
        );
        assert_eq!(instance.sessions().count(), 0, "{what}");
        assert_eq!(account.clock(), 0, "{what}");
        let json = serde_json::to_value(account).unwrap();
        let tokens = json["client_tokens"].as_array().unwrap().len();
        let default = &json["default_enterprise_code"];
        if version == 1 {
            assert_eq!((tokens, default.is_null()), (0, true), "{what}");
        } else {
            assert_eq!((tokens, default.as_str()), (1, Some("AB123")), "{what}");
        }
        drop(opened);
        for path in fs::read_dir(&dir.0).unwrap().map(|e| e.unwrap().path()) {
            let bytes = fs::read(&path).unwrap();
            let version = &bytes[8..12];
            assert_eq!(
                version,
                format::VERSION.to_le_bytes(),
                "{what}: {}",
                path.display()
            );
        }
        assert_eq!(
            open(&dir.0, 0, &["k"]).unwrap().accounts[0].1,
            expected,
            "{what}"
        );
    }
}
