//! Faults injected at every step of writing, compacting and opening, each checked against the
//! rule: every acknowledged change is kept, nothing else, and nothing that was not acknowledged
//! is ever visible (in the durable account reads answer from, or after a restart).

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::*;
use crate::store::io::{Fault, Io, Step, EIO, ENOSPC};
use crate::{AccessKey, Config, Gateway};

fn enospc() -> Fault {
    Fault::Fail(std::io::ErrorKind::StorageFull, Some(ENOSPC))
}

fn eio() -> Fault {
    Fault::Fail(std::io::ErrorKind::Other, Some(EIO))
}

/// What a test arms: each step fails with its fault, every time, while armed (a full disk stays
/// full until it is freed); `thread` limits it to the steps one thread takes.
#[derive(Default)]
struct Plan {
    faults: Mutex<Vec<(Step, Fault)>>,
    thread: Mutex<Option<&'static str>>,
    /// Remove the state directory at the next step of this kind (once).
    vanish_at: Mutex<Option<Step>>,
    dir: Mutex<Option<PathBuf>>,
    fired: AtomicUsize,
    vanished: AtomicBool,
    /// How many steps an armed fault lets pass before it fires (then counted in `passed`).
    let_pass: AtomicUsize,
    passed: AtomicUsize,
}

impl Plan {
    fn arm(&self, faults: &[(Step, Fault)]) {
        *self.faults.lock().unwrap() = faults.to_vec();
    }

    fn disarm(&self) {
        self.faults.lock().unwrap().clear();
    }

    fn io(self: &Arc<Plan>) -> Io {
        let plan = Arc::clone(self);
        Io::injecting(move |step, _| {
            if let Some(only) = *plan.thread.lock().unwrap() {
                if std::thread::current().name() != Some(only) {
                    return None;
                }
            }
            let mut vanish = plan.vanish_at.lock().unwrap();
            if *vanish == Some(step) {
                *vanish = None;
                if let Some(dir) = &*plan.dir.lock().unwrap() {
                    fs::remove_dir_all(dir).unwrap();
                    plan.vanished.store(true, Ordering::SeqCst);
                }
                return None;
            }
            let fault = plan
                .faults
                .lock()
                .unwrap()
                .iter()
                .find(|(s, _)| *s == step)
                .map(|(_, f)| f.clone());
            if fault.is_some() {
                let passes = plan
                    .let_pass
                    .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1));
                if passes.is_ok() {
                    plan.passed.fetch_add(1, Ordering::SeqCst);
                    return None;
                }
                plan.fired.fetch_add(1, Ordering::SeqCst);
            }
            fault
        })
    }
}

/// The gateway's part, in small: changes are decided on `ahead` (rebuilt from the durable
/// account after a failure), recorded, and acknowledged only once durable.
struct Client {
    store: Store,
    ahead: Service,
    epoch: u64,
    /// The users of every acknowledged create, in order.
    acked: Vec<String>,
    lost: usize,
}

impl Client {
    fn new(store: Store, account: Account) -> Client {
        Client {
            epoch: store.epoch(),
            store,
            ahead: Service::with_account(account, 0),
            acked: Vec::new(),
            lost: 0,
        }
    }

    fn durable(&self) -> Account {
        self.store
            .durable_account("k")
            .unwrap()
            .lock()
            .unwrap()
            .clone()
    }

    /// Creates `name`: whether it was acknowledged.
    fn create(&mut self, name: &str) -> bool {
        if self.store.epoch() != self.epoch {
            if self.store.settled_epoch() != self.store.epoch() {
                // The durable account is still taking what was on disk: nothing is decided.
                self.lost += 1;
                return false;
            }
            *self.ahead.account_mut() = self.durable();
            self.epoch = self.store.epoch();
        }
        if !self.store.accepting() {
            self.lost += 1;
            return false;
        }
        let params = params(&create(name));
        let answer = self.ahead.handle(params.iter().map(|(k, v)| (k, v)));
        assert_eq!(answer.status, 200, "{name}: {}", answer.body);
        let settled = self
            .store
            .record("k", &Change::Request(&params))
            .map_err(drop)
            .and_then(|ticket| {
                tokio::runtime::Builder::new_current_thread()
                    .build()
                    .unwrap()
                    .block_on(self.store.durable(ticket))
                    .map_err(drop)
            });
        if settled.is_ok() {
            self.acked.push(name.to_owned());
        } else {
            self.lost += 1;
        }
        // Reads answer from the durable account: it holds exactly what was acknowledged.
        assert_eq!(users(&self.durable()), self.acked, "after {name}");
        settled.is_ok()
    }

    fn wait_until_accepting(&self, what: &str) {
        let deadline = Instant::now() + Duration::from_secs(5);
        while !self.store.accepting() {
            assert!(Instant::now() < deadline, "{what}: never healed");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Once healed, three more creates are acknowledged, and a restart holds exactly the durable
    /// account, which holds exactly the acknowledged creates.
    fn heal_and_restart(mut self, dir: &Path, what: &str) {
        self.wait_until_accepting(what);
        for i in 0..3 {
            assert!(self.create(&format!("after{i:03}")), "{what}");
        }
        let durable = self.durable();
        let acked = self.acked.clone();
        drop(self);
        let back = reopened(dir);
        assert_eq!(users(&back), acked, "{what}");
        assert_eq!(back, durable, "{what}");
    }
}

fn users(account: &Account) -> Vec<String> {
    account
        .instances()
        .flat_map(|i| i.users().map(|u| u.name().to_string()).collect::<Vec<_>>())
        .collect()
}

fn open_io(
    io: Io,
    dir: &Path,
    compaction: Compaction,
) -> Result<(Store, Vec<(String, Account)>), StoreError> {
    Store::open_io(io, dir, 0, vec![("k".to_owned(), fixture(0))], compaction)
}

/// Reopens `dir` with no fault: the account it holds.
fn reopened(dir: &Path) -> Account {
    let (_store, mut accounts) = open_io(Io::default(), dir, Compaction::default())
        .unwrap_or_else(|e| panic!("reopening: {e}"));
    accounts.remove(0).1
}

/// Faults while serving: the requests that meet them answer "lost" (503 at the gateway), the
/// store refuses changes until the directory takes writes again, then heals by itself; a
/// restart holds every acknowledged change and nothing else.
#[test]
fn every_fault_while_writing_loses_only_unacknowledged_changes_and_heals() {
    type Case<'a> = (&'static str, &'a [(Step, fn() -> Fault)]);
    fn short() -> Fault {
        Fault::Short(10)
    }
    let cases: &[Case<'_>] = &[
        ("ENOSPC on append", &[(Step::Append, enospc)]),
        ("EIO on append", &[(Step::Append, eio)]),
        ("short append", &[(Step::Append, short)]),
        ("EIO on fdatasync", &[(Step::SyncLog, eio)]),
        ("ENOSPC on fdatasync", &[(Step::SyncLog, enospc)]),
        (
            "short append, and the cut fails too",
            &[(Step::Append, short), (Step::Truncate, eio)],
        ),
        (
            "full disk, probe still refused",
            &[(Step::Append, enospc), (Step::Probe, enospc)],
        ),
    ];
    for (what, faults) in cases {
        let dir = TempDir::new("fault-write");
        let plan = Arc::new(Plan::default());
        let (store, mut accounts) = open_io(plan.io(), &dir.0, Compaction::default()).unwrap();
        let mut client = Client::new(store, accounts.remove(0).1);
        for i in 0..3 {
            assert!(client.create(&format!("before{i:02}")), "{what}");
        }
        let armed: Vec<(Step, Fault)> = faults.iter().map(|(s, f)| (*s, f())).collect();
        plan.arm(&armed);
        for i in 0..3 {
            assert!(
                !client.create(&format!("during{i:02}")),
                "{what}: acknowledged"
            );
        }
        assert!(plan.fired.load(Ordering::SeqCst) > 0, "{what}: never fired");
        assert!(!client.store.accepting(), "{what}");
        // Still refused while the fault lasts (the probe, or the cut, keeps failing).
        std::thread::sleep(Duration::from_millis(600));
        if faults.iter().any(|(s, _)| matches!(s, Step::Probe)) {
            assert!(
                !client.store.accepting(),
                "{what}: healed while the disk is full"
            );
        }
        plan.disarm();
        client.heal_and_restart(&dir.0, what);
    }
}

/// How a file the store holds open goes away under it.
#[derive(Clone, Copy, Debug)]
enum Vanish {
    /// The directory removed when the store reaches a step.
    DirAt(Step),
    /// The directory removed while the store is idle.
    Dir,
    /// The directory replaced by an empty one while the store is idle.
    DirReplaced,
    /// The open log removed (the directory stays) while the store is idle.
    Log,
    /// The open log replaced by another file while the store is idle.
    LogReplaced,
}

/// The newest log in `dir`.
fn newest_log(dir: &Path) -> PathBuf {
    let mut logs: Vec<(u64, PathBuf)> = fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| {
            let path = e.unwrap().path();
            let name = path.file_name()?.to_str()?.to_owned();
            Some((name.strip_prefix("log.")?.parse().ok()?, path))
        })
        .collect();
    logs.sort();
    logs.pop().unwrap().1
}

/// The state directory or its open log removed, or replaced, under the running store: at a
/// write, or while idle. Writes are refused until the store has put every durable account into
/// the directory at the path again, then go on; a restart holds every acknowledged change.
#[test]
fn a_directory_or_log_removed_or_replaced_is_rebuilt_from_the_durable_state() {
    let cases = [
        Vanish::DirAt(Step::Append),
        Vanish::DirAt(Step::SyncLog),
        Vanish::Dir,
        Vanish::DirReplaced,
        Vanish::Log,
        Vanish::LogReplaced,
    ];
    for vanish in cases {
        let what = format!("{vanish:?}");
        let what = what.as_str();
        let dir = TempDir::new("fault-vanish");
        let plan = Arc::new(Plan::default());
        *plan.dir.lock().unwrap() = Some(dir.0.clone());
        let (store, mut accounts) = open_io(plan.io(), &dir.0, Compaction::default()).unwrap();
        let mut client = Client::new(store, accounts.remove(0).1);
        for i in 0..3 {
            assert!(client.create(&format!("before{i:02}")), "{what}");
        }
        match vanish {
            Vanish::DirAt(step) => {
                *plan.vanish_at.lock().unwrap() = Some(step);
                assert!(!client.create("during00"), "{what}: acknowledged");
                assert!(plan.vanished.load(Ordering::SeqCst), "{what}");
            }
            Vanish::Dir => fs::remove_dir_all(&dir.0).unwrap(),
            Vanish::DirReplaced => {
                let away = dir.0.with_extension("away");
                let _ = fs::remove_dir_all(&away);
                fs::rename(&dir.0, &away).unwrap();
                fs::create_dir(&dir.0).unwrap();
                fs::remove_dir_all(&away).unwrap();
            }
            Vanish::Log => fs::remove_file(newest_log(&dir.0)).unwrap(),
            Vanish::LogReplaced => {
                let log = newest_log(&dir.0);
                let away = log.with_extension("away");
                fs::copy(&log, &away).unwrap();
                fs::rename(&away, &log).unwrap();
            }
        }
        if !matches!(vanish, Vanish::DirAt(_)) {
            // Noticed within a second though nothing is written meanwhile (a write would be
            // refused at once: the directory is checked after every sync).
            let deadline = Instant::now() + Duration::from_secs(1);
            while client.store.epoch() == 0 {
                assert!(
                    Instant::now() < deadline,
                    "{what}: not noticed within a second"
                );
                std::thread::sleep(Duration::from_millis(10));
            }
        }
        client.heal_and_restart(&dir.0, what);
    }
}

/// The steps of putting a new file in place (a log, or a snapshot) and of opening a log to
/// append to: creating, writing, syncing and renaming it, syncing the directory, opening it.
const NEW_LOG_STEPS: [Step; 6] = [
    Step::Create,
    Step::Write,
    Step::SyncFile,
    Step::Rename,
    Step::SyncDir,
    Step::OpenLog,
];

/// Faults at each step of a compaction the running server makes: in the writer's move to a
/// new log (thread `state-log`: creating, writing, syncing and renaming it) and in the
/// compaction's own thread. The compaction stops, writes go on in the log they were going to,
/// and a restart holds every acknowledged change.
#[test]
fn every_fault_while_compacting_keeps_every_acknowledged_change() {
    let cases = OPENING_STEPS
        .iter()
        .map(|s| ("state-compaction", *s))
        .chain(NEW_LOG_STEPS.iter().map(|s| ("state-log", *s)));
    for (thread, step) in cases {
        for fault in [enospc(), eio(), Fault::Short(7)] {
            let what = format!("{fault:?} at {step:?} on {thread}");
            let dir = TempDir::new("fault-compact");
            let plan = Arc::new(Plan::default());
            *plan.thread.lock().unwrap() = Some(thread);
            plan.arm(&[(step, fault)]);
            let (store, mut accounts) =
                open_io(plan.io(), &dir.0, Compaction::with_min_log_bytes(1)).unwrap();
            let mut client = Client::new(store, accounts.remove(0).1);
            for i in 0..30 {
                let acked = client.create(&format!("user{i:03}"));
                // A compaction's failure never costs a write; a new log half made stops
                // writes until it is gone (its header names the old log's length).
                assert!(acked || thread == "state-log", "{what}");
            }
            assert!(
                plan.fired.load(Ordering::SeqCst) > 0,
                "{what}: the compaction never reached the step"
            );
            plan.disarm();
            client.heal_and_restart(&dir.0, &what);
        }
    }
}

/// The steps of opening a directory that holds logs to fold (a compaction due): every kind of
/// call the store makes but the log's own (appending, syncing, cutting, probing).
const OPENING_STEPS: [Step; 8] = [
    Step::List,
    Step::Read,
    Step::Create,
    Step::Write,
    Step::SyncFile,
    Step::Rename,
    Step::SyncDir,
    Step::Remove,
];

/// The steps of opening that only a start takes (before and after the compaction's): creating
/// and locking the directory, opening the new log to append to.
const STARTING_STEPS: [Step; 3] = [Step::MakeDir, Step::LockDir, Step::OpenLog];

/// Faults at each step of opening a directory that holds logs to fold: the open fails with a
/// clear error naming the file (or goes on where the step is not needed), and the directory
/// still opens afterwards to every acknowledged change.
#[test]
fn every_fault_while_opening_refuses_clearly_and_loses_nothing() {
    for step in OPENING_STEPS.into_iter().chain(STARTING_STEPS) {
        for fault in [enospc(), eio(), Fault::Short(5)] {
            let what = format!("{fault:?} at {step:?}");
            let dir = TempDir::new("fault-open");
            let expected = directory_with_users(&dir.0, 12);
            let plan = Arc::new(Plan::default());
            plan.arm(&[(step, fault)]);
            // A compaction is due at this open: every step is taken.
            let opened = open_io(plan.io(), &dir.0, Compaction::with_min_log_bytes(1));
            assert!(plan.fired.load(Ordering::SeqCst) > 0, "{what}: never fired");
            match opened {
                Ok(_) => panic!("{what}: opened although a step failed"),
                Err(StoreError::Io { path, .. }) => {
                    assert!(path.starts_with(&dir.0), "{what}: {}", path.display());
                }
                Err(e) => panic!("{what}: {e}"),
            }
            assert_eq!(reopened(&dir.0), expected, "{what}");
        }
    }
}

/// Faults at each step of healing into a new directory (the old one removed under the running
/// store): creating and locking it, writing the snapshot of every durable account, creating and
/// opening the new log. While the step fails, every attempt to heal does, and writes are
/// refused; once it passes, the store heals by itself, writes go on, and a restart holds every
/// acknowledged change and nothing else.
#[test]
fn every_fault_while_healing_refuses_writes_until_the_step_passes() {
    // The directory made and locked, the snapshot written as a new log is (and then the log).
    let healing = [Step::MakeDir, Step::LockDir]
        .into_iter()
        .chain(NEW_LOG_STEPS);
    let cases = healing.flat_map(|step| {
        // A short write is a write's own fault; other steps answer it as ENOSPC.
        let short = (step == Step::Write).then_some(Fault::Short(7));
        [enospc(), eio()]
            .into_iter()
            .chain(short)
            .map(move |f| (step, f))
    });
    // Each case waits for the store's checks (a quarter second apart): all at once.
    std::thread::scope(|s| {
        for (n, (step, fault)) in cases.enumerate() {
            s.spawn(move || heal_through_a_fault(n, step, fault));
        }
    });
}

/// [`every_fault_while_healing_refuses_writes_until_the_step_passes`], one case.
fn heal_through_a_fault(case: usize, step: Step, fault: Fault) {
    let what = format!("{fault:?} at {step:?} while healing");
    let dir = TempDir::new(&format!("fault-heal-{case}"));
    let plan = Arc::new(Plan::default());
    *plan.thread.lock().unwrap() = Some("state-log");
    let (store, mut accounts) = open_io(plan.io(), &dir.0, Compaction::default()).unwrap();
    let mut client = Client::new(store, accounts.remove(0).1);
    for i in 0..3 {
        assert!(client.create(&format!("before{i:02}")), "{what}");
    }
    plan.arm(&[(step, fault)]);
    fs::remove_dir_all(&dir.0).unwrap();
    let tried = |times: usize| {
        eventually(Duration::from_secs(5), || {
            plan.fired.load(Ordering::SeqCst) >= times
        })
    };
    assert!(tried(1), "{what}: the heal never reached the step");
    assert!(!client.create("during00"), "{what}: acknowledged");
    // The next attempt fails at the same step: the first left nothing in its way.
    assert!(
        tried(plan.fired.load(Ordering::SeqCst) + 1),
        "{what}: not retried"
    );
    assert!(!client.store.accepting(), "{what}: accepting");
    plan.disarm();
    client.heal_and_restart(&dir.0, &what);
}

/// A failed look for the snapshot at start refuses the start with that error, naming the
/// snapshot: it is not taken for a missing snapshot (which, beside the logs, would be reported
/// as corruption). The directory opens afterwards to every acknowledged change.
#[test]
fn a_failed_look_for_the_snapshot_is_an_error_not_a_missing_file() {
    let dir = TempDir::new("fault-exists");
    let expected = directory_with_users(&dir.0, 3);
    let snapshot = dir.0.join(SNAPSHOT);
    let looked = Arc::new(AtomicUsize::new(0));
    let io = Io::injecting({
        let (snapshot, looked) = (snapshot.clone(), Arc::clone(&looked));
        move |step, path| {
            (step == Step::List && path == snapshot).then(|| {
                looked.fetch_add(1, Ordering::SeqCst);
                eio()
            })
        }
    });
    match open_io(io, &dir.0, Compaction::default()) {
        Err(StoreError::Io { action, path, .. }) => assert_eq!((action, path), ("read", snapshot)),
        Err(e) => panic!("{e}"),
        Ok(_) => panic!("opened although the snapshot could not be looked for"),
    }
    assert_eq!(looked.load(Ordering::SeqCst), 1);
    assert_eq!(reopened(&dir.0), expected);
}

/// The state directory removed at each step of opening it: the open refuses with a clear error
/// naming a file of the directory, or (removed at its very end) opens, notices, and puts every
/// account back into a new directory at the path before it takes a write.
#[test]
fn a_directory_removed_while_opening_is_refused_or_rebuilt() {
    for step in OPENING_STEPS {
        let what = format!("removed at {step:?}");
        let dir = TempDir::new("vanish-open");
        let expected = directory_with_users(&dir.0, 6);
        let plan = Arc::new(Plan::default());
        *plan.dir.lock().unwrap() = Some(dir.0.clone());
        *plan.vanish_at.lock().unwrap() = Some(step);
        match open_io(plan.io(), &dir.0, Compaction::with_min_log_bytes(1)) {
            Err(StoreError::Io { path, .. }) => {
                assert!(path.starts_with(&dir.0), "{what}: {}", path.display());
            }
            Err(e) => panic!("{what}: {e}"),
            Ok((store, mut accounts)) => {
                assert_eq!(accounts[0].1, expected, "{what}");
                let mut client = Client::new(store, accounts.remove(0).1);
                client.acked = users(&expected);
                let deadline = Instant::now() + Duration::from_secs(1);
                while client.store.epoch() == 0 {
                    assert!(Instant::now() < deadline, "{what}: not noticed");
                    std::thread::sleep(Duration::from_millis(10));
                }
                client.heal_and_restart(&dir.0, &what);
            }
        }
        assert!(
            plan.vanished.load(Ordering::SeqCst),
            "{what}: never reached"
        );
    }
}

/// What one create through the gateway answered.
#[derive(Clone, Debug)]
struct Answered {
    name: String,
    status: u16,
    code: Option<String>,
}

/// Sends `gateway` a create of `name` signed with `key` (RPC, as the older SDK signs), and waits
/// for its answer.
fn create_through(gateway: &Gateway, key: &AccessKey, name: &str) -> Answered {
    static NONCES: AtomicUsize = AtomicUsize::new(0);
    let nonce = format!("{:032x}", NONCES.fetch_add(1, Ordering::SeqCst));
    let timestamp = crate::clock::format_timestamp(gateway.clock().unix_seconds());
    let params = crate::auth::sign_rpc(
        key,
        "GET",
        &[
            ("Action", "CreateSmartAccessGatewayClientUser"),
            ("Version", smartag_rules::wire::API_VERSION),
            ("RegionId", "cn-shanghai"),
            ("SmartAGId", "sag-app1"),
            ("UserName", name),
            ("Password", "duuf1234"),
            ("UserMail", "a@example.com"),
        ],
        &timestamp,
        &nonce,
    );
    let query = crate::auth::encode_query(&params);
    let request = http::Request::get(format!("/?{query}"))
        .body(bytes::Bytes::new())
        .unwrap();
    let response = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(gateway.handle(request));
    let body: serde_json::Value = serde_json::from_slice(response.body()).unwrap_or_default();
    Answered {
        name: name.to_owned(),
        status: response.status().as_u16(),
        code: body["Code"].as_str().map(str::to_owned),
    }
}

/// Creates of all of `names` with `key`, sent together (one thread each).
fn creates_together(gateway: &Gateway, key: &AccessKey, names: &[String]) -> Vec<Answered> {
    std::thread::scope(|s| {
        let sent: Vec<_> = names
            .iter()
            .map(|name| s.spawn(move || create_through(gateway, key, name)))
            .collect();
        sent.into_iter().map(|t| t.join().unwrap()).collect()
    })
}

/// Two accounts (`key-a`, `key-b`) sharing the fixtures' instance `sag-app1` of `quota` users,
/// served by a gateway whose store's file-system calls go through `plan`, in a fresh state
/// directory `dir`.
struct TwoAccounts {
    /// Removed when the test ends.
    _dir: TempDir,
    a: AccessKey,
    b: AccessKey,
    config: Config,
    plan: Arc<Plan>,
    gateway: Gateway,
}

impl TwoAccounts {
    /// Starts them, each account's first user created (`afirst000`, `bfirst000`, both answered
    /// 200): the answers so far.
    fn start(dir: &str, quota: usize) -> (TwoAccounts, Vec<Answered>) {
        let dir = TempDir::new(dir);
        let a = AccessKey::new("key-a", "secret-a").unwrap();
        let b = AccessKey::new("key-b", "secret-b").unwrap();
        let config = Config::new()
            .access_key(a.clone())
            .access_key(b.clone())
            .fixtures(format!(
                "instance sag-app1 region=cn-shanghai users={quota} cidr=10.0.0.0/24"
            ))
            .clock(Arc::new(crate::clock::FixedClock::new(1_767_225_600)))
            .state_dir(&dir.0);
        let plan = Arc::new(Plan::default());
        let gateway = Gateway::with_store_io(&config, plan.io()).unwrap();
        let answers = vec![
            create_through(&gateway, &a, "afirst000"),
            create_through(&gateway, &b, "bfirst000"),
        ];
        assert!(answers.iter().all(|x| x.status == 200), "{answers:?}");
        let two = TwoAccounts {
            _dir: dir,
            a,
            b,
            config,
            plan,
            gateway,
        };
        (two, answers)
    }
}

/// The race closed by ca0e3ea, through a gateway: account A's sync fails while creates of
/// account B (whose last change is durable) are in flight together, all of the same name or
/// more than B's quota. The failure cannot settle meanwhile: the applier is held up on A's
/// durable account (as behind a long read of it) with A's previous round, written and synced,
/// still to apply. A change B decides on its copy ahead then is refused; it must never be
/// decided on again (no `UserExist` for a name, no `UserOverLimit` for users, that were never
/// acknowledged) nor become visible; after healing, the same creates again. Every 200 is for a
/// change a restart holds, and a restart holds nothing else.
#[test]
fn a_change_lost_to_a_failure_is_never_decided_on_again_nor_seen_through_the_gateway() {
    const QUOTA: usize = 4;
    let cases: [(&str, Vec<String>); 2] = [
        ("one name, many times", vec!["bsame0000".to_owned(); 8]),
        (
            "more users than the quota",
            (0..8).map(|i| format!("bfill{i:04}")).collect(),
        ),
    ];
    for (what, names) in cases {
        let (two, mut answers) = TwoAccounts::start("gateway-race", QUOTA);
        let (a, b, plan, gateway) = (&two.a, &two.b, &two.plan, &two.gateway);
        let store = gateway.store();

        let (held, lost, during) = std::thread::scope(|s| {
            let durable_a = store.durable_account("key-a").unwrap();
            let guard = durable_a.lock().unwrap();
            // A's next round is written and synced (the fault lets one sync pass), then waits
            // to be applied; the round after it fails its sync.
            plan.let_pass.store(1, Ordering::SeqCst);
            plan.arm(&[(Step::SyncLog, eio())]);
            let held = s.spawn(|| create_through(gateway, a, "aheld0000"));
            assert!(
                eventually(Duration::from_secs(5), || plan
                    .passed
                    .load(Ordering::SeqCst)
                    == 1),
                "{what}: A's round never synced"
            );
            let lost = s.spawn(|| create_through(gateway, a, "alost0000"));
            assert!(
                eventually(Duration::from_secs(5), || plan.fired.load(Ordering::SeqCst)
                    > 0),
                "{what}: the sync never failed"
            );
            // The failure is published at once (a build that published it only once settled
            // leaves it a moment to be found refusing records).
            eventually(Duration::from_millis(500), || store.epoch() > 0);
            let during = creates_together(gateway, b, &names);
            drop(guard);
            plan.disarm();
            (held.join().unwrap(), lost.join().unwrap(), during)
        });
        assert_eq!((held.status, lost.status), (200, 503), "{what}");
        assert!(
            eventually(Duration::from_secs(5), || store.accepting()),
            "{what}: never healed"
        );
        let after = creates_together(gateway, b, &names);

        // After healing, each distinct name is created once, up to the quota.
        let mut distinct = names.clone();
        distinct.sort();
        distinct.dedup();
        let created = after.iter().filter(|x| x.status == 200).count();
        assert_eq!(created, distinct.len().min(QUOTA - 1), "{what}: {after:?}");
        // While the failure was under way, B knew only its first user: a refusal that rests on
        // anything else rests on a change that was lost.
        for (phase, answered) in [("during the failure", during), ("after healing", after)] {
            refusals_rest_on_acknowledged(
                &format!("{what}: {phase}"),
                &answers,
                &answered,
                "b",
                QUOTA,
            );
            answers.extend(answered);
        }
        answers.extend([held, lost]);
        restart_holds_the_acknowledged(what, two.gateway, &two.config, &answers);
    }
}

/// Each refusal of `answered` (creates sent together, after `earlier` were answered) rests only
/// on acknowledged users of its account (their names starting with `prefix`): `UserExist` for a
/// name answered 200, `UserOverLimit` once `quota` users were; no other answer but 200 and 503.
fn refusals_rest_on_acknowledged(
    what: &str,
    earlier: &[Answered],
    answered: &[Answered],
    prefix: &str,
    quota: usize,
) {
    let mut known: Vec<&str> = earlier
        .iter()
        .chain(answered)
        .filter(|x| x.status == 200 && x.name.starts_with(prefix))
        .map(|x| x.name.as_str())
        .collect();
    known.sort_unstable();
    known.dedup();
    for x in answered {
        match (x.status, x.code.as_deref()) {
            (200 | 503, _) => {}
            (400, Some("ClientUser.UserExist")) => assert!(
                known.contains(&x.name.as_str()),
                "{what}: UserExist for {}, never acknowledged ({known:?})",
                x.name
            ),
            (400, Some("ClientUser.UserOverLimit")) => assert!(
                known.len() >= quota,
                "{what}: UserOverLimit with {known:?} acknowledged"
            ),
            _ => panic!("{what}: {x:?}"),
        }
    }
}

/// Each name of `answers` was acknowledged once at most, and a restart of `gateway` holds
/// exactly the acknowledged users, as its durable accounts (what reads answer from) did.
fn restart_holds_the_acknowledged(
    what: &str,
    gateway: Gateway,
    config: &Config,
    answers: &[Answered],
) {
    let mut acked: Vec<&str> = answers
        .iter()
        .filter(|x| x.status == 200)
        .map(|x| x.name.as_str())
        .collect();
    acked.sort_unstable();
    let all = acked.len();
    acked.dedup();
    assert_eq!(
        all,
        acked.len(),
        "{what}: a name acknowledged twice: {answers:?}"
    );
    let durable = |gateway: &Gateway| -> Vec<Account> {
        config
            .access_keys()
            .iter()
            .map(|key| {
                let account = gateway.store().durable_account(key.id()).unwrap();
                let account = account.lock().unwrap().clone();
                account
            })
            .collect()
    };
    let before = durable(&gateway);
    drop(gateway);
    let again = Gateway::new(config).unwrap_or_else(|e| panic!("{what}: restart: {e}"));
    let back = durable(&again);
    assert_eq!(back, before, "{what}");
    let mut on_disk: Vec<String> = back.iter().flat_map(users).collect();
    on_disk.sort();
    assert_eq!(on_disk, acked, "{what}: {answers:?}");
}

/// `POST /_emulator/fixtures` of `body` for `key` (HTTP Basic): its status.
fn fixtures_through(gateway: &Gateway, key: &AccessKey, body: String) -> u16 {
    use base64::Engine as _;
    let credentials = base64::engine::general_purpose::STANDARD.encode(format!(
        "{}:{}",
        key.id(),
        key.secret().expose()
    ));
    let request = http::Request::post("/_emulator/fixtures")
        .header("authorization", format!("Basic {credentials}"))
        .body(bytes::Bytes::from(body))
        .unwrap();
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(gateway.handle(request))
        .status()
        .as_u16()
}

/// A request of account A that passed the store's check before a failure and reaches A's copy
/// ahead only once the failure is published, while A's durable account still lacks a change on
/// disk (the applier is held up on B's durable account, as behind a long read of it, with A's
/// round queued after B's): it must not be decided on a copy rebuilt from that durable account
/// (which would forget the change on disk, and keep the one it decides). A long fixtures load
/// holds A's copy ahead meanwhile. After healing, the same creates again: each refusal rests on
/// acknowledged users, and a restart holds exactly the 200s.
#[test]
fn a_request_waiting_while_a_failure_is_published_is_not_decided_on_an_unsettled_account() {
    const QUOTA: usize = 8;
    let (two, mut answers) = TwoAccounts::start("gateway-settle", QUOTA);
    let (a, b, plan, gateway) = (&two.a, &two.b, &two.plan, &two.gateway);
    let store = gateway.store();
    // Reads only (about a second of them): however the load ends, it changes no user.
    let slow = "Action=DescribeSmartAccessGatewayClientUsers&RegionId=cn-shanghai\
                &SmartAGId=sag-app1\n"
        .repeat(60_000);

    let (rounds, waiting, lost, loaded) = std::thread::scope(|s| {
        let durable_b = store.durable_account("key-b").unwrap();
        let guard = durable_b.lock().unwrap();
        // Two rounds written and synced (B's, then A's), neither applied; the next one fails.
        plan.let_pass.store(2, Ordering::SeqCst);
        plan.arm(&[(Step::SyncLog, eio())]);
        let mut rounds = Vec::new();
        for (n, (key, name)) in [(b, "bheld0000"), (a, "aheld0000")].into_iter().enumerate() {
            rounds.push(s.spawn(move || create_through(gateway, key, name)));
            assert!(
                eventually(Duration::from_secs(5), || {
                    plan.passed.load(Ordering::SeqCst) == n + 1
                }),
                "{name}'s round never synced"
            );
        }
        let started = Instant::now();
        let loaded = s.spawn(|| fixtures_through(gateway, a, slow));
        std::thread::sleep(Duration::from_millis(100));
        let waiting = s.spawn(|| create_through(gateway, a, "aother000"));
        std::thread::sleep(Duration::from_millis(50));
        let lost = s.spawn(|| create_through(gateway, b, "blost0000"));
        assert!(
            eventually(Duration::from_secs(5), || store.epoch() > 0),
            "the failure was never published"
        );
        assert!(
            !loaded.is_finished(),
            "the fixtures load ended before the failure ({:?}): make it longer",
            started.elapsed()
        );
        let (loaded, waiting) = (loaded.join().unwrap(), waiting.join().unwrap());
        drop(guard);
        plan.disarm();
        let rounds: Vec<Answered> = rounds.into_iter().map(|t| t.join().unwrap()).collect();
        (rounds, waiting, lost.join().unwrap(), loaded)
    });
    let statuses: Vec<u16> = rounds.iter().map(|x| x.status).collect();
    assert_eq!(
        (statuses, waiting.status, lost.status, loaded),
        (vec![200, 200], 503, 503, 503)
    );
    assert!(
        eventually(Duration::from_secs(5), || store.accepting()),
        "never healed"
    );
    answers.extend(rounds);
    answers.extend([waiting, lost]);
    let names = ["aother000", "aheld0000", "afirst000"].map(str::to_owned);
    let after = creates_together(gateway, a, &names);
    refusals_rest_on_acknowledged("after healing", &answers, &after, "a", QUOTA);
    let created: Vec<&str> = after
        .iter()
        .filter(|x| x.status == 200)
        .map(|x| x.name.as_str())
        .collect();
    assert_eq!(created, ["aother000"], "{after:?}");
    answers.extend(after);
    restart_holds_the_acknowledged("after healing", two.gateway, &two.config, &answers);
}
