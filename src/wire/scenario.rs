//! Replay scenarios ([`RULES.md`, "Replay scenarios"](crate::rules#replay-scenarios)): text files
//! of instance fixtures and requests, run on a fresh account, one output line per request.
//! `examples/replay.rs` is a thin command-line front end to this module; the golden tests run
//! the same code.
//!
//! A scenario is UTF-8 text, one entry per line; surrounding whitespace is ignored, and blank
//! lines and lines starting with `#` are skipped. The first word of a line says what it is:
//!
//! - **An instance fixture**, `instance`:
//!   `instance <id> region=<region> users=<quota> [cidr=<block>,<block>...] [code=<code>]
//!   [max-bandwidth=<Kbit/s>] [kind=app|hardware]`. `region` and `users` are required; `cidr` is
//!   the client CIDR pool (none: an empty pool), `code` the enterprise code, `max-bandwidth` the
//!   per-user bandwidth ceiling (default 20000), `kind=hardware` an instance that refuses client
//!   users. A fixture that breaks a rule (a malformed value, an unknown, repeated or missing key,
//!   an instance ID already used) stops the run with a [`ScenarioError`].
//! - **A usage mark**, `used` (an extension: the API has no call that marks a user, so a
//!   scenario could not reach `ClientUser.UserInUsing` otherwise): `used <id> <user name>`
//!   marks the user as used this month ([`Account::mark_used_this_month`](crate::Account::mark_used_this_month)); it cannot be deleted
//!   afterwards. An unknown instance or user stops the run like a broken fixture.
//! - **An online session**, `online` (a testing hook, as `used` is: the API has no call that
//!   connects a user): `online <id> <user name>` connects the user once more
//!   ([`Account::connect`](crate::Account::connect)), dated by the account clock (0 in a
//!   scenario). It prints nothing; a connect the rules refuse (a disabled user, no free
//!   address, ...) stops the run like a broken fixture.
//! - **A request in RPC query form**, a first word holding `=`, values percent-encoded:
//!   `Action=RoamClientUser&RegionId=ap-southeast-1&...`, answered as
//!   [`Service::handle_query`] answers the whole line.
//! - **A whole HTTP request**, `GET` or `POST` (exactly, in capitals), answered as
//!   [`Service::handle_http`] answers it:
//!   `METHOD [name:value]... ? [QUERY] [| BODY]`, words separated by whitespace:
//!   - each `name:value` word before the `?` is a header (the name up to the first `:`, made of
//!     letters, digits and `-`; the value the rest, possibly empty, with no whitespace);
//!   - the lone word `?` is required and ends the headers; the one word after it, if any, is
//!     the query string (percent-encoded, `+` a space; no whitespace);
//!   - a lone `|` then gives the body, the one word after it (percent-encoded form text; it is
//!     read only for a `POST` with the header `content-type:application/x-www-form-urlencoded`).
//!
//!   ```text
//!   POST x-acs-action:RoamClientUser x-acs-version:2018-03-13 ? RegionId=ap-southeast-1&UserName=doctest1
//!   POST content-type:application/x-www-form-urlencoded ? RegionId=cn-shanghai | Action=DescribeSmartAccessGatewayClientUsers&SmartAGId=sag-app1
//!   ```
//!
//!   Any other shape stops the run ([`FixtureError::RequestSyntax`]).
//! - Any other first word (a typo such as `instnace`) stops the run
//!   ([`FixtureError::UnknownWord`]): it is never sent as a request.
//!
//! A request's output line is the HTTP status, a space and the body, in the format the request
//! asks for: compact JSON, or the XML body for `Format=XML` (compact too; no body ever holds a
//! line break).
//!
//! ```
//! use smartag_rules::wire::scenario::Scenario;
//!
//! let text = [
//!     "# one instance, one user",
//!     "instance sag-app1 region=cn-shanghai users=1 cidr=10.0.0.0/24",
//!     "Action=CreateSmartAccessGatewayClientUser&RegionId=cn-shanghai&SmartAGId=sag-app1&UserMail=a%40example.com",
//!     "POST x-acs-action:CreateSmartAccessGatewayClientUser ? RegionId=cn-shanghai&SmartAGId=sag-app1&UserMail=a%40example.com",
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
//! let err = Scenario::run("\ninstnace sag-app1 region=cn-shanghai users=1", 0).unwrap_err();
//! assert_eq!(
//!     err.to_string(),
//!     "line 2: unknown word `instnace`: not `instance`, `used`, `online`, `GET`, `POST` nor a request (no `=`)"
//! );
//! # Ok::<(), smartag_rules::wire::scenario::ScenarioError>(())
//! ```

use core::fmt;

use super::{HttpRequest, HttpResponse, Method, Service};
use crate::cidr::CidrPool;
use crate::fields::{Bandwidth, EnterpriseCode, RegionId, SmartAgId, UserName};
use crate::model::{ConnectError, InstanceSpec};

/// The keys an instance fixture takes.
pub const FIXTURE_KEYS: &[&str] = &["region", "users", "cidr", "code", "max-bandwidth", "kind"];

/// The first words of the lines that are not requests in RPC query form: the fixtures, the
/// online session and the two methods of a whole HTTP request.
pub const KEYWORDS: &[&str] = &["instance", "used", "online", "GET", "POST"];

/// Why a line stops the run: a broken fixture, a malformed HTTP request line, or an unknown
/// first word.
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
    /// A `used` line naming no user of the instance, or an `online` line naming one by a text
    /// that is no user name.
    NoSuchUser {
        /// The instance ID.
        instance: String,
        /// The user name.
        user: String,
    },
    /// An `online` line that is not `online <id> <user name>`.
    OnlineSyntax,
    /// An `online` line whose connect the rules refuse.
    Connect(ConnectError),
    /// A first word that holds no `=` and is not one of [`KEYWORDS`] (a typo such as
    /// `instnace`): the line is not sent as a request.
    UnknownWord(String),
    /// A `GET`/`POST` line not of the form `METHOD [name:value]... ? [QUERY] [| BODY]`: what is
    /// wrong with it.
    RequestSyntax(String),
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
            FixtureError::OnlineSyntax => {
                f.write_str("expected `online <instance ID> <user name>`")
            }
            FixtureError::Connect(e) => write!(f, "cannot connect: {e}"),
            FixtureError::UnknownWord(word) => write!(
                f,
                "unknown word `{word}`: not `instance`, `used`, `online`, `GET`, `POST` nor a request (no `=`)"
            ),
            FixtureError::RequestSyntax(reason) => write!(
                f,
                "{reason} (expected `METHOD [name:value]... ? [QUERY] [| BODY]`)"
            ),
        }
    }
}

impl std::error::Error for FixtureError {}

/// A line that stops a scenario, with its line number (from 1).
#[non_exhaustive]
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

    /// A scenario that goes on from an existing service (to load fixture lines into an account
    /// in use, say); line numbers count from 1 again.
    pub fn with_service(service: Service) -> Scenario {
        Scenario { service, line: 0 }
    }

    /// The service the scenario ran on, giving the scenario up.
    pub fn into_service(self) -> Service {
        self.service
    }

    /// Runs a whole scenario text on a fresh account: the output lines, one per request, or the
    /// first broken fixture.
    ///
    /// # Errors
    ///
    /// The first line [`Scenario::step`] refuses, with its line number.
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
    /// or a fixture.
    ///
    /// # Errors
    ///
    /// A [`ScenarioError`] for a broken fixture, a malformed HTTP request line or an unknown
    /// first word; the line changes nothing.
    pub fn step(&mut self, line: &str) -> Result<Option<String>, ScenarioError> {
        self.line += 1;
        self.entry(line.trim()).map_err(|error| ScenarioError {
            line: self.line,
            error,
        })
    }

    fn entry(&mut self, line: &str) -> Result<Option<String>, FixtureError> {
        if line.is_empty() || line.starts_with('#') {
            return Ok(None);
        }
        // A request line's first word holds `=` before any whitespace: found without reading
        // the whole line (it is one long word).
        let first_break = line
            .bytes()
            .position(|b| matches!(b, b'=' | b' ' | b'\t'..=b'\r') || !b.is_ascii());
        if first_break.is_some_and(|i| line.as_bytes().get(i) == Some(&b'=')) {
            let response = self.service.handle_query(line);
            return Ok(Some(output_line(&response)));
        }
        let mut words = line.split_whitespace();
        let response = match words.next() {
            Some("instance") => return self.fixture(words).map(|()| None),
            Some("used") => return self.mark_used(words).map(|()| None),
            Some("online") => return self.connect(words).map(|()| None),
            Some("GET") => self.service.handle_http(&http_request(Method::Get, words)?),
            Some("POST") => self
                .service
                .handle_http(&http_request(Method::Post, words)?),
            Some(word) if !word.contains('=') => {
                return Err(FixtureError::UnknownWord(word.to_owned()))
            }
            _ => self.service.handle_query(line),
        };
        Ok(Some(output_line(&response)))
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
        // A text that is no user name names no user either.
        user.parse()
            .and_then(|name| account.mark_used_this_month(&region, &sag, &name, true))
            .map_err(|_| FixtureError::NoSuchUser {
                instance: id.to_owned(),
                user: user.to_owned(),
            })
    }
}

impl Scenario {
    fn connect<'a>(
        &mut self,
        mut words: impl Iterator<Item = &'a str>,
    ) -> Result<(), FixtureError> {
        let (Some(id), Some(user), None) = (words.next(), words.next(), words.next()) else {
            return Err(FixtureError::OnlineSyntax);
        };
        let id: SmartAgId = id
            .parse()
            .map_err(|_| FixtureError::InvalidId(id.to_owned()))?;
        // A text that is no user name names no user either.
        let user: UserName = user.parse().map_err(|_| FixtureError::NoSuchUser {
            instance: id.to_string(),
            user: user.to_owned(),
        })?;
        self.service
            .account_mut()
            .connect(&id, &user)
            .map(drop)
            .map_err(FixtureError::Connect)
    }
}

/// A request's output line: the status, a space and the body.
fn output_line(response: &HttpResponse) -> String {
    let mut output = String::with_capacity(response.body.len() + 4);
    super::body::number(&mut output, response.status.into());
    output.push(' ');
    output.push_str(&response.body);
    output
}

/// The rest of a `GET`/`POST` line, after the method: `[name:value]... ? [QUERY] [| BODY]`.
fn http_request<'a>(
    method: Method,
    mut words: impl Iterator<Item = &'a str>,
) -> Result<HttpRequest, FixtureError> {
    let syntax = |reason: String| FixtureError::RequestSyntax(reason);
    let mut headers = Vec::new();
    loop {
        match words.next() {
            None => return Err(syntax("no `?` before the query".to_owned())),
            Some("?") => break,
            Some(word) => {
                let (name, value) = word
                    .split_once(':')
                    .filter(|(name, _)| is_header_name(name))
                    .ok_or_else(|| syntax(format!("`{word}` is not a header `name:value`")))?;
                headers.push((name, value));
            }
        }
    }
    let rest: Vec<&str> = words.collect();
    let (query, body) = match rest.as_slice() {
        [] | ["|"] => ("", ""),
        ["|", body] => ("", *body),
        [query] | [query, "|"] => (*query, ""),
        [query, "|", body] => (*query, *body),
        _ => {
            return Err(syntax(format!(
                "`{}` after `?`: {ONE_WORD}",
                rest.join(" ")
            )))
        }
    };
    Ok(headers.into_iter().fold(
        HttpRequest::new(method, query).with_body(body),
        |request, (name, value)| request.with_header(name, value),
    ))
}

/// Why the words after `?` are wrong when there are too many.
const ONE_WORD: &str = "the query and the body are one word each, the body after a lone `|`";

/// A header name of a scenario line: letters, digits and `-`, not empty.
fn is_header_name(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// A quota: decimal digits only, at most `u32::MAX`.
fn parse_quota(text: &str) -> Option<u32> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}
