//! No answer lies, against the real binary: a full disk (a small tmpfs, where the tests run as
//! root) and a state directory removed while the emulator runs. Every create that answered 200
//! is there after a `kill -9` and a restart; none that answered 503 is, nor was any ever listed;
//! and once the directory takes writes again the emulator goes on by itself.

mod real_binary;

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use real_binary::{all_users, Binary, Client, TempDir};

const INSTANCE: &str = "sag-disk";
const FIXTURES: &str = "instance sag-disk region=cn-shanghai users=100000 cidr=10.0.0.0/16\n";
const UNAVAILABLE: &str = "The request has failed due to a temporary failure of the server.";

fn create(name: &str) -> [(&str, &str); 6] {
    [
        ("Action", "CreateSmartAccessGatewayClientUser"),
        ("RegionId", "cn-shanghai"),
        ("SmartAGId", INSTANCE),
        ("UserName", name),
        ("Password", "duuf1234"),
        ("UserMail", "disk@example.com"),
    ]
}

fn delete(name: &str) -> [(&str, &str); 4] {
    [
        ("Action", "DeleteSmartAccessGatewayClientUser"),
        ("RegionId", "cn-shanghai"),
        ("SmartAGId", INSTANCE),
        ("UserName", name),
    ]
}

fn listed(client: &mut Client) -> BTreeSet<String> {
    all_users(client, INSTANCE)
        .into_iter()
        .map(|(name, _)| name)
        .collect()
}

fn args(state: &Path, fixtures: &Path) -> Vec<String> {
    vec![
        "--state".to_owned(),
        state.display().to_string(),
        "--fixtures".to_owned(),
        fixtures.display().to_string(),
    ]
}

/// A 200, or the service's 503 for a change that could not be made durable: nothing else.
fn acked(status: u16, body: &str) -> bool {
    match status {
        200 => true,
        503 => {
            assert!(body.contains(r#""Code":"ServiceUnavailable""#), "{body}");
            assert!(body.contains(UNAVAILABLE), "{body}");
            false
        }
        _ => panic!("{status} {body}"),
    }
}

/// A small tmpfs at `at`, unmounted when dropped; `None` where mounting is refused (not root,
/// or no tmpfs in this container).
struct Tmpfs(std::path::PathBuf);

impl Tmpfs {
    fn mount(at: &Path, size: &str) -> Option<Tmpfs> {
        fs::create_dir_all(at).ok()?;
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(at)
            .status()
            .is_ok_and(|s| s.success());
        ok.then(|| Tmpfs(at.to_owned()))
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

#[test]
fn a_full_disk_answers_503_changes_nothing_and_heals_once_space_is_freed() {
    let dir = TempDir::new("full-disk");
    let Some(disk) = Tmpfs::mount(&dir.path().join("disk"), "2m") else {
        eprintln!("skipped: cannot mount a tmpfs here (the test needs root)");
        return;
    };
    let fixtures = dir.path().join("fixtures");
    fs::write(&fixtures, FIXTURES).unwrap();
    let state = disk.0.join("state");
    let args = args(&state, &fixtures);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let binary = Binary::start(&args, &dir.path().join("stderr"));
    let mut client = binary.client();

    let mut kept = BTreeSet::new();
    for i in 0..20 {
        let name = format!("early{i:04}");
        let (status, body) = client.call(&create(&name)).unwrap();
        assert!(acked(status, &body));
        kept.insert(name);
    }
    // Fill the disk, leaving a few hundred bytes: the next record does not fit.
    let filler = disk.0.join("filler");
    let mut fill = fs::File::create(&filler).unwrap();
    let chunk = vec![7u8; 4096];
    while std::io::Write::write_all(&mut fill, &chunk).is_ok() {}
    let mut small = vec![7u8; 256];
    while !small.is_empty() {
        if std::io::Write::write_all(&mut fill, &small).is_err() {
            small.truncate(small.len() / 2);
        }
    }
    let _ = fill.sync_all();

    let mut refused = BTreeSet::new();
    for i in 0..40 {
        let name = format!("full{i:04}");
        let (status, body) = client.call(&create(&name)).unwrap();
        if acked(status, &body) {
            kept.insert(name);
        } else {
            refused.insert(name);
        }
        // Reads go on, and list exactly what was acknowledged.
        assert_eq!(listed(&mut client), kept, "after {i}");
    }
    assert!(!refused.is_empty(), "the disk never filled");
    // A refused create left nothing: its retry is refused the same way, not `UserExist`.
    let retried = refused.iter().next().unwrap().clone();
    let (status, body) = client.call(&create(&retried)).unwrap();
    assert_eq!(status, 503, "{body}");
    // A delete that cannot be made durable hides nobody.
    let victim = kept.iter().next().unwrap().clone();
    let (status, body) = client.call(&delete(&victim)).unwrap();
    assert_eq!(status, 503, "{body}");
    assert!(listed(&mut client).contains(&victim));

    // Space freed while the server runs: writes resume by themselves.
    drop(fill);
    fs::remove_file(&filler).unwrap();
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let (status, body) = client.call(&create(&retried)).unwrap();
        if acked(status, &body) {
            kept.insert(retried.clone());
            break;
        }
        assert!(Instant::now() < deadline, "writes never resumed");
        std::thread::sleep(Duration::from_millis(100));
    }
    for i in 0..10 {
        let name = format!("freed{i:04}");
        let (status, body) = client.call(&create(&name)).unwrap();
        assert_eq!(status, 200, "{body}");
        kept.insert(name);
    }
    assert_eq!(listed(&mut client), kept);
    binary.kill9();

    let again = Binary::start(&args, &dir.path().join("stderr-again"));
    assert_eq!(listed(&mut again.client()), kept);
    drop(again);
}

#[test]
fn a_state_directory_removed_while_running_is_written_again_and_loses_nothing() {
    let dir = TempDir::new("removed-dir");
    let fixtures = dir.path().join("fixtures");
    fs::write(&fixtures, FIXTURES).unwrap();
    let state = dir.path().join("state");
    let args = args(&state, &fixtures);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let binary = Binary::start(&args, &dir.path().join("stderr"));
    let mut client = binary.client();
    let mut kept = BTreeSet::new();
    for i in 0..10 {
        let name = format!("before{i:04}");
        let (status, body) = client.call(&create(&name)).unwrap();
        assert!(acked(status, &body));
        kept.insert(name);
    }
    fs::remove_dir_all(&state).unwrap();
    let mut refused = 0;
    for i in 0..30 {
        let name = format!("after{i:04}");
        let (status, body) = client.call(&create(&name)).unwrap();
        if acked(status, &body) {
            kept.insert(name);
        } else {
            refused += 1;
            std::thread::sleep(Duration::from_millis(100));
        }
        assert_eq!(listed(&mut client), kept, "after {i}");
    }
    assert!(
        refused > 0,
        "a create was acknowledged into a removed directory"
    );
    assert!(kept.len() > 10, "writes never resumed");
    binary.kill9();
    assert!(state.join("snapshot").exists());

    let again = Binary::start(&args, &dir.path().join("stderr-again"));
    assert_eq!(listed(&mut again.client()), kept);
    drop(again);
}
