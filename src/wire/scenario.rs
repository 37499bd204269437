//! Replay scenarios (SPEC.md section 7): text files of instance fixtures and requests, run on a
//! fresh account, one output line per request. `examples/replay.rs` is a thin command-line
//! front end to this module; the golden tests run the same code.
//!
//! A scenario is UTF-8 text, one entry per line; surrounding whitespace is ignored, and blank
//! lines and lines starting with `#` are skipped.
//!
//! - **An instance fixture**:
//!   `instance <id> region=<region> users=<quota> [cidr=<block>,<block>...] [code=<code>]
//!   [max-bandwidth=<Kbit/s>] [kind=app|hardware]`. `region` and `users` are required; `cidr` is
//!   the client CIDR pool (none: an empty pool), `code` the enterprise code, `max-bandwidth` the
//!   per-user bandwidth ceiling (default 20000), `kind=hardware` an instance that refuses client
//!   users. A fixture that breaks a rule (a malformed value, an unknown, repeated or missing key,
//!   an instance ID already used) stops the run with a [`ScenarioError`].
//! - **A usage mark** (an extension of SPEC.md's format: the API has no call that marks a user,
//!   so a scenario could not reach `ClientUser.UserInUsing` otherwise): `used <id> <user name>`
//!   marks the user as used this month ([`Account::mark_used_this_month`](crate::Account::mark_used_this_month)); it cannot be deleted
//!   afterwards. An unknown instance or user stops the run like a broken fixture.
//! - **A request** in RPC query form, values percent-encoded:
//!   `Action=RoamClientUser&RegionId=ap-southeast-1&...`. Its output line is the HTTP status, a
//!   space and the body, in the format the request asks for: compact JSON, or the XML body for
//!   `Format=XML` (compact too; no body ever holds a line break).
//!
//! ```
//! use smartag_rules::wire::scenario::Scenario;
//!
//! let text = [
//!     "# one instance, one user",
//!     "instance sag-app1 region=cn-shanghai users=1 cidr=10.0.0.0/24",
//!     "Action=CreateSmartAccessGatewayClientUser&RegionId=cn-shanghai&SmartAGId=sag-app1&UserMail=a%40example.com",
//!     "Action=CreateSmartAccessGatewayClientUser&RegionId=cn-shanghai&SmartAGId=sag-app1&UserMail=a%40example.com",
//! ]
//! .join("\n");
//! let lines = Scenario::run(&text, 0)?;
//! assert_eq!(lines.len(), 2);
//! assert!(lines[0].starts_with(r#"200 {"UserName":"user"#));
//! assert!(lines[1].starts_with("400 "));
//! assert!(lines[1].contains(r#""Code":"ClientUser.UserOverLimit""#));
//!
//! let err = Scenario::run("instance sag-app1 region=cn-shanghai users=1 colour=red", 0).unwrap_err();
//! assert_eq!(err.to_string(), "line 1: unknown fixture key `colour`");
//! # Ok::<(), smartag_rules::wire::scenario::ScenarioError>(())
//! ```

use core::fmt;

use super::Service;
use crate::{Bandwidth, CidrPool, EnterpriseCode, InstanceSpec, RegionId, SmartAgId};

/// The keys an instance fixture takes.
pub const FIXTURE_KEYS: &[&str] = &["region", "users", "cidr", "code", "max-bandwidth", "kind"];

/// Why a fixture line stops the run.
#[derive(Clone, PartialEq, Eq, Debug)]
#[non_exhaustive]
pub enum FixtureError {
    /// `instance` with no instance ID after it.
    MissingId,
    /// The instance ID is not `sag-` followed by lowercase letters and digits.
    InvalidId(String),
    /// A word after the ID that is not `key=value`.
    NotKeyValue(String),
    /// A key that is not one of [`FIXTURE_KEYS`].
    UnknownKey(String),
    /// A key given twice.
    RepeatedKey(String),
    /// A required key (`region`, `users`) is missing.
    MissingKey(&'static str),
    /// A value that breaks its rule.
    InvalidValue {
        /// The key.
        key: String,
        /// The value as written.
        value: String,
        /// What is wrong with it.
        reason: String,
    },
    /// An instance of that ID is already in the account.
    DuplicateInstance(String),
    /// A `used` line that is not `used <id> <user name>`.
    UsedSyntax,
    /// A `used` line naming no instance of the account.
    NoSuchInstance(String),
    /// A `used` line naming no user of the instance.
    NoSuchUser {
        /// The instance ID.
        instance: String,
        /// The user name.
        user: String,
    },
}

impl fmt::Display for FixtureError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FixtureError::MissingId => f.write_str("instance fixture without an instance ID"),
            FixtureError::InvalidId(id) => write!(
                f,
                "instance ID `{id}` is not `sag-` followed by lowercase letters and digits"
            ),
            FixtureError::NotKeyValue(word) => {
                write!(f, "fixture word `{word}` is not of the form key=value")
            }
            FixtureError::UnknownKey(key) => write!(f, "unknown fixture key `{key}`"),
            FixtureError::RepeatedKey(key) => write!(f, "fixture key `{key}` given twice"),
            FixtureError::MissingKey(key) => write!(f, "fixture key `{key}` is missing"),
            FixtureError::InvalidValue { key, value, reason } => {
                write!(f, "fixture {key}=`{value}`: {reason}")
            }
            FixtureError::DuplicateInstance(id) => write!(f, "instance `{id}` already exists"),
            FixtureError::UsedSyntax => f.write_str("expected `used <instance ID> <user name>`"),
            FixtureError::NoSuchInstance(id) => write!(f, "no instance `{id}`"),
            FixtureError::NoSuchUser { instance, user } => {
                write!(f, "no user `{user}` on instance `{instance}`")
            }
        }
    }
}

impl std::error::Error for FixtureError {}

/// A fixture that stops a scenario, with its line number (from 1).
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct ScenarioError {
    /// The line of the scenario, counting from 1.
    pub line: usize,
    /// What is wrong with it.
    pub error: FixtureError,
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.error)
    }
}

impl std::error::Error for ScenarioError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.error)
    }
}

/// A scenario being run: a fresh [`Service`] fed one line at a time.
#[derive(Clone, Debug)]
pub struct Scenario {
    service: Service,
    line: usize,
}

impl Scenario {
    /// A scenario on a fresh account, request IDs and generated values seeded with `seed`.
    pub fn new(seed: u64) -> Scenario {
        Scenario {
            service: Service::with_seed(seed),
            line: 0,
        }
    }

    /// Runs a whole scenario text on a fresh account: the output lines, one per request, or the
    /// first broken fixture.
    pub fn run(text: &str, seed: u64) -> Result<Vec<String>, ScenarioError> {
        let mut scenario = Scenario::new(seed);
        let mut out = Vec::new();
        for line in text.lines() {
            out.extend(scenario.step(line)?);
        }
        Ok(out)
    }

    /// Runs the next line of the scenario (every line must be fed, blank ones included, so that
    /// line numbers are right): `Some(output)` for a request, `None` for a blank line, a comment
    /// or a fixture, or the error of a broken fixture.
    pub fn step(&mut self, line: &str) -> Result<Option<String>, ScenarioError> {
        self.line += 1;
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            return Ok(None);
        }
        let mut words = line.split_whitespace();
        let fixture = match words.next() {
            Some("instance") => self.fixture(words),
            Some("used") => self.mark_used(words),
            _ => {
                let response = self.service.handle_query(line);
                return Ok(Some(format!("{} {}", response.status, response.body)));
            }
        };
        fixture.map_err(|error| ScenarioError {
            line: self.line,
            error,
        })?;
        Ok(None)
    }

    /// The service the scenario runs on.
    pub fn service(&self) -> &Service {
        &self.service
    }

    /// How many lines have been fed.
    pub fn lines_fed(&self) -> usize {
        self.line
    }

    fn fixture<'a>(
        &mut self,
        mut words: impl Iterator<Item = &'a str>,
    ) -> Result<(), FixtureError> {
        let id_text = words.next().ok_or(FixtureError::MissingId)?;
        let id: SmartAgId = id_text
            .parse()
            .map_err(|_| FixtureError::InvalidId(id_text.to_owned()))?;
        let mut seen: Vec<&str> = Vec::new();
        let mut pairs: Vec<(&str, &str)> = Vec::new();
        for word in words {
            let (key, value) = word
                .split_once('=')
                .ok_or_else(|| FixtureError::NotKeyValue(word.to_owned()))?;
            if !FIXTURE_KEYS.contains(&key) {
                return Err(FixtureError::UnknownKey(key.to_owned()));
            }
            if seen.contains(&key) {
                return Err(FixtureError::RepeatedKey(key.to_owned()));
            }
            seen.push(key);
            pairs.push((key, value));
        }
        let get = |key: &str| pairs.iter().find(|(k, _)| *k == key).map(|&(_, v)| v);
        let invalid = |key: &str, value: &str, reason: String| FixtureError::InvalidValue {
            key: key.to_owned(),
            value: value.to_owned(),
            reason,
        };
        let region_text = get("region").ok_or(FixtureError::MissingKey("region"))?;
        let region: RegionId = region_text
            .parse()
            .map_err(|e| invalid("region", region_text, format!("{e}")))?;
        let users_text = get("users").ok_or(FixtureError::MissingKey("users"))?;
        let quota = parse_quota(users_text).ok_or_else(|| {
            invalid(
                "users",
                users_text,
                format!("not a whole number from 0 to {}", u32::MAX),
            )
        })?;
        let mut spec = match get("kind") {
            None | Some("app") => InstanceSpec::app(id, region),
            Some("hardware") => InstanceSpec::hardware(id, region),
            Some(other) => {
                return Err(invalid(
                    "kind",
                    other,
                    "expected `app` or `hardware`".to_owned(),
                ))
            }
        }
        .quota(quota);
        if let Some(text) = get("cidr") {
            let pool: CidrPool = text
                .parse()
                .map_err(|e| invalid("cidr", text, format!("{e}")))?;
            spec = spec.pool(pool);
        }
        if let Some(text) = get("code") {
            let code: EnterpriseCode = text
                .parse()
                .map_err(|e| invalid("code", text, format!("{e}")))?;
            spec = spec.enterprise_code(code);
        }
        if let Some(text) = get("max-bandwidth") {
            let max: Bandwidth = text
                .parse()
                .map_err(|e| invalid("max-bandwidth", text, format!("{e}")))?;
            spec = spec.max_bandwidth(max);
        }
        if self
            .service
            .account()
            .instances()
            .any(|instance| instance.id() == &spec.id)
        {
            return Err(FixtureError::DuplicateInstance(spec.id.to_string()));
        }
        let id = spec.id.to_string();
        self.service
            .account_mut()
            .add_instance(spec)
            .map_err(|e| invalid("instance", &id, format!("{e}")))?;
        Ok(())
    }
}

impl Scenario {
    fn mark_used<'a>(
        &mut self,
        mut words: impl Iterator<Item = &'a str>,
    ) -> Result<(), FixtureError> {
        let (Some(id), Some(user), None) = (words.next(), words.next(), words.next()) else {
            return Err(FixtureError::UsedSyntax);
        };
        let account = self.service.account_mut();
        let (region, sag) = account
            .instances()
            .find(|instance| instance.id().as_str() == id)
            .map(|instance| (instance.region().clone(), instance.id().clone()))
            .ok_or_else(|| FixtureError::NoSuchInstance(id.to_owned()))?;
        account
            .mark_used_this_month(&region, &sag, user, true)
            .map_err(|_| FixtureError::NoSuchUser {
                instance: id.to_owned(),
                user: user.to_owned(),
            })
    }
}

/// A quota: decimal digits only, at most `u32::MAX`.
fn parse_quota(text: &str) -> Option<u32> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}
