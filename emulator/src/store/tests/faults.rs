//! Faults injected at every step of writing, compacting and opening, each checked against the
//! rule: every acknowledged change is kept, nothing else, and nothing that was not acknowledged
//! is ever visible (in the durable account reads answer from, or after a restart).

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::*;
use crate::store::io::{Fault, Io, Step, EIO, ENOSPC};

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

/// Faults at each step of a compaction the running server makes: in the writer's move to a
/// new log (thread `state-log`: creating, writing, syncing and renaming it) and in the
/// compaction's own thread. The compaction stops, writes go on in the log they were going to,
/// and a restart holds every acknowledged change.
#[test]
fn every_fault_while_compacting_keeps_every_acknowledged_change() {
    let moving = [
        Step::Create,
        Step::Write,
        Step::SyncFile,
        Step::Rename,
        Step::SyncDir,
    ];
    let cases = OPENING_STEPS
        .iter()
        .map(|s| ("state-compaction", *s))
        .chain(moving.iter().map(|s| ("state-log", *s)));
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

/// Faults at each step of opening a directory that holds logs to fold: the open fails with a
/// clear error naming the file (or goes on where the step is not needed), and the directory
/// still opens afterwards to every acknowledged change.
#[test]
fn every_fault_while_opening_refuses_clearly_and_loses_nothing() {
    for step in OPENING_STEPS {
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
