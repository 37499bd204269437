//! A valid state directory, mutated thousands of ways (bit flips, truncations, zeroed tails,
//! swapped and missing files): every open either refuses (naming the file it is about and, for
//! corruption, the byte offset in it), or loads exactly the acknowledged prefix the files still
//! prove (only the newest log can lose its tail: a crash cut it short).

use super::*;

/// A directory written over three starts, with every state it went through.
struct History {
    /// Removed when the history is dropped.
    _dir: TempDir,
    /// The account after each acknowledged change (`states[0]`: before any).
    states: Vec<Account>,
    /// The snapshot, then each log, oldest first.
    files: Vec<PathBuf>,
    /// Changes in the logs before the newest.
    base: usize,
    /// The newest log's length after each of its records (one change each).
    ends: Vec<u64>,
}

fn history() -> History {
    let dir = TempDir::new("mutations");
    let mut states = vec![fixture(0)];
    let mut base = 0;
    let mut ends = Vec::new();
    for run in 0..3 {
        let opened = open(&dir.0, 0, &["k"]).unwrap();
        let mut service = Service::with_account(opened.accounts[0].1.clone(), 0);
        let newest = list_logs(&Io::default(), &dir.0)
            .unwrap()
            .last()
            .unwrap()
            .1
            .clone();
        for i in 0..6 {
            let query = if run == 1 && i >= 4 {
                format!(
                    "Action=DeleteSmartAccessGatewayClientUser&RegionId=cn-shanghai\
                     &SmartAGId=sag-app1&UserName=user0{i}00"
                )
            } else {
                create(&format!("user{run}{i}00"))
            };
            assert_eq!(
                serve(&opened.store, "k", &mut service, &query),
                200,
                "{query}"
            );
            states.push(service.account().clone());
            if run == 2 {
                ends.push(fs::metadata(&newest).unwrap().len());
            }
        }
        if run < 2 {
            base = states.len() - 1;
        }
    }
    let mut files = vec![dir.0.join(SNAPSHOT)];
    files.extend(
        list_logs(&Io::default(), &dir.0)
            .unwrap()
            .into_iter()
            .map(|(_, p)| p),
    );
    assert_eq!(files.len(), 4, "{files:?}");
    History {
        _dir: dir,
        states,
        files,
        base,
        ends,
    }
}

/// xorshift64*: the cases are the same on every run.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 33) as usize % n.max(1)
    }
}

/// What an open of the mutated directory must do.
#[derive(Debug)]
enum Expect {
    /// Refuse, naming one of these files (by their place in [`History::files`]): the one
    /// damaged, or the one whose header says it continues the one damaged or removed.
    Refuse(Vec<usize>),
    /// Load the state after this many changes.
    Load(usize),
}

/// Whether refusal `e` names one of `files` in the shape of its kind: corruption names the file
/// and a byte offset inside it as it now is (0 for a file that is missing); a file that cannot
/// be read or written names the file and what was being done.
fn names_its_file(e: &StoreError, files: &[PathBuf]) -> Result<(), String> {
    let message = e.to_string();
    let path = match e {
        StoreError::Corrupt {
            path,
            offset,
            reason,
        } => {
            let len = fs::metadata(path).map_or(0, |m| m.len());
            if *offset > len {
                return Err(format!("offset {offset} past the end of a {len}-byte file"));
            }
            let shape = format!(
                "corrupt state file {} at offset {offset}: {reason}; refusing to start (nothing \
                 was loaded)",
                path.display()
            );
            if message != shape {
                return Err(format!("the message is not {shape:?}"));
            }
            path
        }
        StoreError::Io { action, path, .. } => {
            let shape = format!("cannot {action} {}: ", path.display());
            if !message.starts_with(&shape) {
                return Err(format!("the message does not start with {shape:?}"));
            }
            path
        }
        other => return Err(format!("a refusal of another kind: {other:?}")),
    };
    if files.contains(path) {
        Ok(())
    } else {
        Err(format!("names {}, not one of {files:?}", path.display()))
    }
}

#[test]
fn every_mutated_directory_is_refused_or_loads_exactly_what_its_files_prove() {
    let h = history();
    let full = h.states.len() - 1;
    let newest = h.files.len() - 1;
    let proven_at = |cut: u64| {
        let whole = h.ends.iter().filter(|&&end| end <= cut).count();
        Expect::Load(h.base + whole)
    };
    let originals: Vec<Vec<u8>> = h.files.iter().map(|f| fs::read(f).unwrap()).collect();
    let mut rng = Rng(0x5EED_CAFE);
    let (mut loads, mut refusals) = (0, 0);
    for case in 0..2000 {
        let work = TempDir::new("mutated");
        fs::create_dir_all(&work.0).unwrap();
        for (file, bytes) in h.files.iter().zip(&originals) {
            fs::write(work.0.join(file.file_name().unwrap()), bytes).unwrap();
        }
        let at = |i: usize| work.0.join(h.files[i].file_name().unwrap());
        let f = rng.below(h.files.len());
        let len = originals[f].len();
        let (what, expect) = match rng.below(5) {
            0 => {
                let (byte, bit) = (rng.below(len), rng.below(8));
                let mut bytes = originals[f].clone();
                bytes[byte] ^= 1 << bit;
                fs::write(at(f), bytes).unwrap();
                (
                    format!("bit {bit} of byte {byte} of {f} flipped"),
                    Expect::Refuse(vec![f]),
                )
            }
            1 => {
                let cut = rng.below(len);
                fs::write(at(f), &originals[f][..cut]).unwrap();
                let expect = if f == newest && cut >= format::HEADER_LEN {
                    proven_at(cut as u64)
                } else {
                    Expect::Refuse(vec![f, f + 1])
                };
                (format!("{f} cut at {cut}"), expect)
            }
            2 => {
                fs::remove_file(at(f)).unwrap();
                let expect = if f == newest {
                    Expect::Load(h.base)
                } else if f == 0 {
                    Expect::Refuse(vec![0])
                } else {
                    Expect::Refuse(vec![f + 1])
                };
                (format!("{f} removed"), expect)
            }
            3 => {
                let g = (f + 1 + rng.below(h.files.len() - 1)) % h.files.len();
                fs::write(at(f), &originals[g]).unwrap();
                fs::write(at(g), &originals[f]).unwrap();
                // The first of the two read is the first found wrong.
                (
                    format!("{f} and {g} swapped"),
                    Expect::Refuse(vec![f.min(g)]),
                )
            }
            _ => {
                let from =
                    format::HEADER_LEN + rng.below(originals[newest].len() - format::HEADER_LEN);
                let mut bytes = originals[newest].clone();
                bytes[from..].fill(0);
                fs::write(at(newest), bytes).unwrap();
                (format!("newest zeroed from {from}"), proven_at(from as u64))
            }
        };
        let opened = open(&work.0, 0, &["k"]);
        match (expect, opened) {
            (Expect::Refuse(named), Err(e)) => {
                let named: Vec<PathBuf> =
                    named.into_iter().filter(|&i| i <= newest).map(at).collect();
                if let Err(why) = names_its_file(&e, &named) {
                    panic!("case {case}: {what}: {why}: {e}");
                }
                refusals += 1;
            }
            (Expect::Load(n), Ok(opened)) => {
                loads += 1;
                assert!(n <= full);
                assert_eq!(opened.accounts[0].1, h.states[n], "case {case}: {what}");
            }
            (expect, Err(e)) => panic!("case {case}: {what}: expected {expect:?}, refused: {e}"),
            (expect, Ok(opened)) => panic!(
                "case {case}: {what}: expected {expect:?}, loaded {} users",
                opened.report().users
            ),
        }
    }
    assert!(loads > 100, "only {loads} cases loaded");
    assert!(refusals > 1000, "only {refusals} cases refused");
}
