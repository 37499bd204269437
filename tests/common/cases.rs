//! Case tables: requests and the outcome each must have, written as text (`tests/cases/`) and
//! run by one harness through [`ok`], [`fails`], [`fails_with`] and [`precedes`], so that every
//! row gets every check those make (execute and the typed path agree, a failure changes
//! nothing, `violations` agrees, the invariants hold).
//!
//! One entry per line; blank lines and lines starting with `#` are skipped.
//! - `fixture NAME`: the setup lines up to the next `fixture` or `case` line form a fixture.
//! - `case TITLE [from FIXTURE]`: a case on a fresh account (seed 7), set up by the fixture's
//!   lines; its rows run in order on that account.
//! - `template NAME REQUEST`: names a request that rows can start from.
//! - Setup lines: `seed N` (first: the account's seed instead of 7); `instance ID REGION [hardware] [quota=N] [pool=BLOCKS] [ceiling=KBPS]
//!   [code=CODE]` (an APP instance unless `hardware`; quota 5, no pool, ceiling 20000 by
//!   default); `used REGION ID NAME` marks a user as used this month; `online ID NAME` connects
//!   a user (`Account::connect`); `clock SECONDS` sets the account clock; `code CODE` creates an
//!   enterprise code; `use FIXTURE` replays a fixture's lines; and any row.
//! - Rows: `ok REQUEST` succeeds (its change is kept); `fail REQUEST => CODE, CODE` fails with
//!   exactly those violations (one or more), the first being the error; `fail REQUEST => CODE,
//!   ...` fails with that error whatever follows it; `fail REQUEST => CODE before CODE` fails
//!   with the first and lists the second after it.
//! - `next NAME REQUEST`: a `ListEnterpriseCode` that succeeds and has a next page; its
//!   `NextToken` is kept as `NAME`, and a later `Param={NAME}` stands for it.
//! - `REQUEST`: a template name or an action name, then edits: `Param=value` (the value is
//!   percent-decoded: `%20` a space, `%0A` a newline, `%25` a percent sign; `Param=` is empty)
//!   or `-Param` (absent).

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};

use smartag_rules::{
    Account, Bandwidth, CreateEnterpriseCode, Error, InstanceSpec, Request, Response,
};

use super::{add, code, fails, fails_with, ok, pool, precedes, region, sag};

/// A request as parameters: its action and its `Param=value` pairs.
#[derive(Clone, Debug)]
struct Params {
    action: String,
    values: BTreeMap<String, String>,
}

impl Params {
    fn request(&self) -> Request {
        Request::from_params(&self.action, |name| {
            self.values.get(name).map(String::as_str)
        })
        .unwrap_or_else(|| panic!("no action {}", self.action))
    }
}

/// `%XX` escapes decoded (the text is UTF-8 once decoded).
fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap();
            out.push(u8::from_str_radix(hex, 16).unwrap_or_else(|_| panic!("bad escape %{hex}")));
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

fn error(code: &str) -> Error {
    Error::from_code(code.trim()).unwrap_or_else(|| panic!("no error code {code:?}"))
}

/// What a row expects.
enum Outcome {
    Fails(Error),
    Exactly(Vec<Error>),
    Precedes(Error, Error),
}

fn outcome(text: &str) -> Outcome {
    if let Some((first, second)) = text.split_once(" before ") {
        Outcome::Precedes(error(first), error(second))
    } else if let Some(first) = text.strip_suffix(", ...") {
        Outcome::Fails(error(first))
    } else {
        Outcome::Exactly(text.split(',').map(error).collect())
    }
}

/// A parsed case file.
#[derive(Default)]
struct Table {
    templates: BTreeMap<String, Params>,
    fixtures: BTreeMap<String, Vec<String>>,
    /// The `NextToken`s kept by `next` lines.
    kept: RefCell<BTreeMap<String, String>>,
}

impl Table {
    /// A request: a template or an action, then edits.
    fn params(&self, text: &str) -> Params {
        let mut words = text.split_whitespace();
        let head = words.next().expect("a request");
        let mut params = self.templates.get(head).cloned().unwrap_or_else(|| {
            assert!(
                Request::ACTIONS.contains(&head),
                "{head:?} is neither a template nor an action"
            );
            Params {
                action: head.to_string(),
                values: BTreeMap::new(),
            }
        });
        for edit in words {
            if let Some(name) = edit.strip_prefix('-') {
                params.values.remove(name);
            } else {
                let (name, value) = edit
                    .split_once('=')
                    .unwrap_or_else(|| panic!("{edit:?} is not Param=value or -Param"));
                let value = match value.strip_prefix('{').and_then(|v| v.strip_suffix('}')) {
                    Some(kept) => self
                        .kept
                        .borrow()
                        .get(kept)
                        .cloned()
                        .unwrap_or_else(|| panic!("no NextToken kept as {kept}")),
                    None => decode(value),
                };
                params.values.insert(name.to_string(), value);
            }
        }
        params
    }

    /// Runs one setup line or row on `account`.
    fn step(&self, account: &mut Account, line: &str) {
        let (word, rest) = line.split_once(' ').unwrap_or((line, ""));
        match word {
            "seed" => *account = Account::with_seed(rest.trim().parse().unwrap()),
            "instance" => add(account, instance(rest)),
            "used" => {
                let [r, id, name]: [&str; 3] = words(rest);
                account
                    .mark_used_this_month(&region(r), &sag(id), &name.parse().unwrap(), true)
                    .unwrap();
            }
            "online" => {
                let [id, name]: [&str; 2] = words(rest);
                account.connect(&sag(id), &name.parse().unwrap()).unwrap();
            }
            "clock" => account.set_clock(rest.trim().parse().unwrap()),
            "code" => account
                .create_enterprise_code(CreateEnterpriseCode::new(
                    region("cn-shanghai"),
                    code(rest.trim()),
                ))
                .unwrap(),
            "use" => {
                let lines = self
                    .fixtures
                    .get(rest.trim())
                    .unwrap_or_else(|| panic!("no fixture {rest}"));
                for line in lines {
                    self.step(account, line);
                }
            }
            "ok" => {
                ok(account, &self.params(rest).request());
            }
            "next" => {
                let (name, request) = rest.split_once(' ').expect("next NAME REQUEST");
                let Response::EnterpriseCodes(page) = ok(account, &self.params(request).request())
                else {
                    panic!("a next line lists enterprise codes");
                };
                let token = page.next_token.expect("a next page");
                self.kept
                    .borrow_mut()
                    .insert(name.to_string(), token.to_string());
            }
            "fail" => {
                let (request, expected) = rest
                    .split_once("=>")
                    .unwrap_or_else(|| panic!("a fail row needs => CODE"));
                let request = self.params(request).request();
                match outcome(expected.trim()) {
                    Outcome::Fails(e) => {
                        fails(account, &request, e);
                    }
                    Outcome::Exactly(all) => fails_with(account, &request, &all),
                    Outcome::Precedes(first, second) => precedes(account, &request, first, second),
                }
            }
            other => panic!("unknown line kind {other:?}"),
        }
    }
}

fn words<const N: usize>(text: &str) -> [&str; N] {
    let all: Vec<&str> = text.split_whitespace().collect();
    all.try_into()
        .unwrap_or_else(|v: Vec<&str>| panic!("expected {N} words, got {v:?}"))
}

/// `ID REGION [hardware] [quota=N] [pool=BLOCKS] [ceiling=KBPS] [code=CODE]`.
fn instance(text: &str) -> InstanceSpec {
    let mut words = text.split_whitespace();
    let (id, r) = (sag(words.next().unwrap()), region(words.next().unwrap()));
    let mut spec = if text.split_whitespace().any(|w| w == "hardware") {
        InstanceSpec::hardware(id, r)
    } else {
        InstanceSpec::app(id, r)
    };
    for word in words.filter(|w| *w != "hardware") {
        spec = match word.split_once('=') {
            Some(("quota", n)) => spec.quota(n.parse().unwrap()),
            Some(("pool", blocks)) => spec.pool(pool(blocks)),
            Some(("ceiling", kbps)) => {
                spec.max_bandwidth(Bandwidth::new(kbps.parse().unwrap()).unwrap())
            }
            Some(("code", c)) => spec.enterprise_code(code(c)),
            _ => panic!("unknown instance word {word:?}"),
        };
    }
    spec
}

/// Runs every case of a case file (`name` is for messages); answers the number of rows run.
pub fn run(name: &str, text: &str) -> usize {
    let mut table = Table::default();
    let mut fixture: Option<String> = None;
    let mut case: Option<(String, Account)> = None;
    let mut rows = 0;
    for (n, line) in text.lines().enumerate().map(|(i, l)| (i + 1, l.trim())) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let at = || format!("{name}:{n}: {line}");
        let (word, rest) = line.split_once(' ').unwrap_or((line, ""));
        match word {
            "template" => {
                let (t, request) = rest.split_once(' ').unwrap_or_else(|| panic!("{}", at()));
                let params = table.params(request);
                table.templates.insert(t.to_string(), params);
            }
            "fixture" => {
                fixture = Some(rest.to_string());
                case = None;
                table.fixtures.insert(rest.to_string(), Vec::new());
            }
            "case" => {
                fixture = None;
                let (title, from) = match rest.rsplit_once(" from ") {
                    Some((title, from)) => (title, Some(from)),
                    None => (rest, None),
                };
                let mut account = Account::with_seed(7);
                let setup = from.map_or(&[][..], |f| {
                    table
                        .fixtures
                        .get(f)
                        .unwrap_or_else(|| panic!("{}: no fixture {f}", at()))
                });
                for line in setup {
                    table.step(&mut account, line);
                }
                case = Some((title.to_string(), account));
            }
            _ => {
                if let Some(f) = &fixture {
                    table.fixtures.get_mut(f).unwrap().push(line.to_string());
                    continue;
                }
                let (title, account) = case.as_mut().unwrap_or_else(|| panic!("{}: no case", at()));
                let result = catch_unwind(AssertUnwindSafe(|| table.step(account, line)));
                if let Err(cause) = result {
                    let why = cause
                        .downcast_ref::<String>()
                        .cloned()
                        .or_else(|| cause.downcast_ref::<&str>().map(|s| s.to_string()))
                        .unwrap_or_default();
                    panic!("{} (case {title}): {why}", at());
                }
                rows += 1;
            }
        }
    }
    rows
}

/// A test, `case_table`, that runs a case file and checks that all its rows ran.
#[macro_export]
macro_rules! case_table {
    ($name:literal, $text:expr, rows: $rows:literal) => {
        #[test]
        fn case_table() {
            let rows = $crate::common::cases::run($name, $text);
            assert_eq!(rows, $rows, "every row of {} ran", $name);
        }
    };
}
