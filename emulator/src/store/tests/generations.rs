//! A generation never wraps: a directory whose snapshot or newest log already holds the largest
//! generation is refused at open (naming the file, changing nothing), and a running store whose
//! log holds it neither compacts nor heals onto a generation past it.

use std::collections::BTreeMap;
use std::time::Duration;

use super::*;

/// Every file of `dir` by name, with its bytes.
fn contents(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let path = e.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, fs::read(&path).unwrap())
        })
        .collect()
}

/// Appends one record holding a create of `name` for account `k` to the log at `path`.
fn append_create(path: &Path, name: &str) {
    let payload = create_payload(name);
    let mut bytes = fs::read(path).unwrap();
    format::push_frame(&mut bytes, &payload).unwrap();
    fs::write(path, bytes).unwrap();
}

/// A valid directory, written with the store's own writers (so every checksum is right): a
/// snapshot of `snapshot` holding the fixture account `k`, then a log of each of `logs` (each
/// continuing the one before, the first starting on the snapshot) holding one create.
fn directory(dir: &Path, snapshot: u64, logs: &[u64]) {
    let io = Io::default();
    fs::create_dir_all(dir).unwrap();
    let account = fixture(0);
    write_snapshot(&io, dir, snapshot, 0, &[("k", &account)]).unwrap();
    let mut follows = format::Link::START;
    for (i, &generation) in logs.iter().enumerate() {
        let path = create_log(&io, dir, generation, follows).unwrap();
        append_create(&path, &format!("user{i:04}"));
        follows = format::Link {
            generation,
            len: fs::metadata(&path).unwrap().len(),
        };
    }
}

#[test]
fn a_directory_at_the_largest_generation_is_refused_naming_the_file_and_left_as_it_was() {
    let max = u64::MAX;
    // What the directory holds: the snapshot's generation and the logs'; the file refused.
    let cases: [(&str, u64, &[u64], &str); 4] = [
        ("the snapshot, no log", max, &[], SNAPSHOT),
        (
            "the snapshot and its log",
            max,
            &[max],
            "log.18446744073709551615",
        ),
        ("the newest log", 1, &[1, max], "log.18446744073709551615"),
        (
            "the newest log alone",
            7,
            &[max],
            "log.18446744073709551615",
        ),
    ];
    for (what, snapshot, logs, refused) in cases {
        let dir = TempDir::new("generation-max");
        directory(&dir.0, snapshot, logs);
        let before = contents(&dir.0);
        for attempt in 0..2 {
            let err = open(&dir.0, 0, &["k"]).unwrap_err();
            let path = dir.0.join(refused);
            assert!(
                matches!(&err, StoreError::Corrupt { path: p, offset: 12, .. } if *p == path),
                "{what}: {err:?}"
            );
            assert_eq!(
                err.to_string(),
                format!(
                    "corrupt state file {} at offset 12: its generation is the largest there is \
                     (it cannot grow); refusing to start (nothing was loaded)",
                    path.display()
                ),
                "{what}"
            );
            // Nothing written, renamed or removed: refused the same way again.
            assert_eq!(contents(&dir.0), before, "{what}, attempt {attempt}");
        }
    }
}

#[test]
fn a_store_writing_the_largest_generation_neither_compacts_nor_heals_past_it() {
    let dir = TempDir::new("generation-max-running");
    // The start takes the last generation there is: its log is log.MAX.
    directory(&dir.0, u64::MAX - 1, &[]);
    create_log(&Io::default(), &dir.0, u64::MAX - 1, format::Link::START).unwrap();
    let fresh = vec![("k".to_owned(), fixture(0))];
    let (store, mut accounts) =
        Store::open_with(&dir.0, 0, fresh, Compaction::with_min_log_bytes(1)).unwrap();
    let mut service = Service::with_account(accounts.remove(0).1, 0);
    let log = dir.0.join("log.18446744073709551615");
    let snapshot = fs::read(dir.0.join(SNAPSHOT)).unwrap();
    assert_eq!(
        contents(&dir.0).into_keys().collect::<Vec<_>>(),
        [log.file_name().unwrap().to_str().unwrap(), SNAPSHOT]
    );

    // A compaction is due (the log outgrows the snapshot) but would need generation MAX + 1:
    // none starts, and every write still goes to log.MAX and is acknowledged.
    for i in 0..40 {
        let name = format!("user{i:04}");
        assert_eq!(serve(&store, "k", &mut service, &create(&name)), 200);
    }
    assert!(fs::metadata(&log).unwrap().len() > snapshot.len() as u64);
    let files = contents(&dir.0);
    assert_eq!(files.len(), 2, "{:?}", files.keys());
    assert_eq!(files[SNAPSHOT], snapshot);
    let durable = || store.durable_account("k").unwrap().lock().unwrap().clone();
    assert_eq!(durable(), *service.account());

    // The log removed: healing would need a snapshot and a log of generation MAX + 1, so the
    // store keeps refusing writes, writes nothing, and reads still answer.
    fs::remove_file(&log).unwrap();
    assert!(eventually(Duration::from_secs(2), || store.epoch() > 0));
    assert!(!eventually(Duration::from_secs(1), || store.accepting()));
    assert!(store
        .record("k", &Change::Request(&params(&create("late0001"))))
        .is_err());
    let files = contents(&dir.0);
    assert_eq!(
        files.keys().collect::<Vec<_>>(),
        [SNAPSHOT],
        "{:?}",
        files.keys()
    );
    assert_eq!(files[SNAPSHOT], snapshot);
    assert_eq!(durable(), *service.account());
}
