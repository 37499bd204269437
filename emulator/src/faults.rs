//! Injected faults, so that a test can prove its retry logic (its own, or an SDK's) against the
//! emulator: `POST /_emulator/faults` arms one, `DELETE /_emulator/faults` disarms them all.
//!
//! A fault is read from the form parameters of its request ([`Fault::from_params`]):
//!
//! | parameter | value |
//! |---|---|
//! | `Action` | an action of the API (`CreateEnterpriseCode`, exactly as the service spells it), or `*` for every request |
//! | `Code` | optional: `Throttling.User` (400), `ServiceUnavailable` (503) or `InternalError` (500) |
//! | `Count` | how many requests it acts on: a whole number, 1 or more |
//! | `DelayMs` | optional: how long each of those answers waits, in milliseconds (0 to [`MAX_DELAY_MS`]) |
//!
//! The next `Count` correctly signed API requests of the account whose `Action` matches are
//! answered by the fault: with `Code`, that error (the catalogue's status and message, in the
//! request's format, with a request ID, as the service answers it), and the request does not
//! run, so nothing changes; without `Code` (a *delay-only* fault), the request runs as usual and
//! only its answer leaves `DelayMs` late: to a client whose read timeout is shorter, a lost
//! answer to a request that did act. A request refused by the authentication never meets a
//! fault and spends none of its count.
//!
//! Faults belong to the account of the key that armed them, and live in memory only: they are
//! never written to the state directory, so a restart forgets them (as does
//! `POST /_emulator/reset`). When several are armed, a request meets the oldest one that matches
//! it.
//!
//! ```
//! use std::time::Duration;
//! use smartag_emulator::faults::{Fault, Faults};
//! use smartag_rules::Error;
//!
//! let faults = Faults::default();
//! let fault = Fault::from_params([("Action", "*"), ("Code", "Throttling.User"), ("Count", "2")])?;
//! faults.add(fault);
//! let delay = Fault::from_params([("Action", "ListEnterpriseCode"), ("Count", "1"), ("DelayMs", "1500")])?;
//! faults.add(delay);
//!
//! // The oldest match first: two throttled requests, whatever their action...
//! for _ in 0..2 {
//!     let injection = faults.take(Some("ListEnterpriseCode")).unwrap();
//!     assert_eq!(injection.error(), Some(Error::ThrottlingUser));
//! }
//! // ...then the delay-only fault, for its own action only.
//! assert_eq!(faults.take(Some("CreateEnterpriseCode")), None);
//! let late = faults.take(Some("ListEnterpriseCode")).unwrap();
//! assert_eq!((late.error(), late.delay()), (None, Some(Duration::from_millis(1500))));
//! assert_eq!(faults.take(Some("ListEnterpriseCode")), None);
//! # Ok::<(), smartag_emulator::faults::InvalidFault>(())
//! ```

use core::fmt;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use smartag_rules::wire::{HttpRequest, HttpResponse, Service};
use smartag_rules::{Error, Request};

use crate::auth::encode_query;

/// The errors a fault may answer.
pub const FAULT_ERRORS: [Error; 3] = [
    Error::ThrottlingUser,
    Error::ServiceUnavailable,
    Error::InternalError,
];

/// The longest delay a fault may hold an answer back, in milliseconds: 30 seconds, well inside
/// the connection's idle timeout, and past the official SDKs' default read timeouts.
pub const MAX_DELAY_MS: u64 = 30_000;

/// The `Action` of a fault that matches every request.
pub const EVERY_ACTION: &str = "*";

/// One fault, as armed: which requests it matches, what it answers, how many more it acts on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fault {
    /// The action it matches; `None` for every request (`*`).
    action: Option<&'static str>,
    error: Option<Error>,
    delay: Duration,
    count: u32,
}

/// A fault's form that cannot be armed: what is wrong, for the 400 answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidFault(String);

impl fmt::Display for InvalidFault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for InvalidFault {}

impl Fault {
    /// The fault described by form parameters (`Action`, `Code`, `Count`, `DelayMs`; each read
    /// from its first occurrence; any other parameter, such as a signature's, is ignored).
    ///
    /// # Errors
    ///
    /// An [`InvalidFault`] saying what is wrong: an `Action` that is neither `*` nor an action
    /// of the API, a `Code` that is not one of [`FAULT_ERRORS`], a `Count` that is not a whole
    /// number of at least 1, a `DelayMs` that is not a whole number up to [`MAX_DELAY_MS`], or
    /// neither a `Code` nor a `DelayMs` above 0 (a fault that would do nothing).
    ///
    /// ```
    /// use smartag_emulator::faults::Fault;
    ///
    /// let err = Fault::from_params([("Action", "*"), ("Code", "Throttling"), ("Count", "1")]);
    /// assert_eq!(
    ///     err.unwrap_err().to_string(),
    ///     "Code must be one of Throttling.User, ServiceUnavailable, InternalError, not `Throttling`"
    /// );
    /// ```
    pub fn from_params<'a>(
        params: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Fault, InvalidFault> {
        let mut found: [Option<&str>; 4] = [None; 4];
        const NAMES: [&str; 4] = ["Action", "Code", "Count", "DelayMs"];
        for (name, value) in params {
            if let Some(i) = NAMES.iter().position(|n| *n == name) {
                found[i].get_or_insert(value);
            }
        }
        let [action, code, count, delay] = found;
        let action = match action {
            None | Some("") => {
                return Err(invalid(format!(
                    "Action is missing: an action of the API, or `{EVERY_ACTION}` for every request"
                )))
            }
            Some(EVERY_ACTION) => None,
            Some(name) => match Request::ACTIONS.iter().find(|a| **a == name) {
                Some(action) => Some(*action),
                None => {
                    return Err(invalid(format!(
                        "Action must be `{EVERY_ACTION}` or an action of the API, not `{name}`"
                    )))
                }
            },
        };
        let error = match code {
            None => None,
            Some(code) => match FAULT_ERRORS.iter().find(|e| e.code() == code) {
                Some(error) => Some(*error),
                None => {
                    let codes: Vec<&str> = FAULT_ERRORS.iter().map(Error::code).collect();
                    return Err(invalid(format!(
                        "Code must be one of {}, not `{code}`",
                        codes.join(", ")
                    )));
                }
            },
        };
        let count = match count {
            None => return Err(invalid("Count is missing: how many requests, 1 or more")),
            Some(text) => match whole(text).and_then(|n| u32::try_from(n).ok()) {
                Some(n) if n >= 1 => n,
                _ => {
                    return Err(invalid(format!(
                        "Count must be a whole number from 1 to {}, not `{text}`",
                        u32::MAX
                    )))
                }
            },
        };
        let delay = match delay {
            None => 0,
            Some(text) => match whole(text) {
                Some(ms) if ms <= MAX_DELAY_MS => ms,
                _ => {
                    return Err(invalid(format!(
                        "DelayMs must be a whole number of milliseconds from 0 to {MAX_DELAY_MS}, not `{text}`"
                    )))
                }
            },
        };
        if error.is_none() && delay == 0 {
            return Err(invalid(
                "nothing to inject: give a Code, a DelayMs above 0, or both",
            ));
        }
        Ok(Fault {
            action,
            error,
            delay: Duration::from_millis(delay),
            count,
        })
    }

    /// The action it matches; `None` for every request (`*`).
    pub fn action(&self) -> Option<&'static str> {
        self.action
    }

    /// The error it answers; `None` for a delay-only fault.
    pub fn error(&self) -> Option<Error> {
        self.error
    }

    /// How long each answer waits (zero for none).
    pub fn delay(&self) -> Duration {
        self.delay
    }

    /// How many more requests it acts on.
    pub fn count(&self) -> u32 {
        self.count
    }

    fn matches(&self, action: Option<&str>) -> bool {
        self.action.is_none() || self.action == action
    }

    /// The fault as JSON: `{"Action":"*","Code":"Throttling.User","Count":2,"DelayMs":0}`
    /// (`Code` is `null` for a delay-only fault).
    pub fn to_json(&self) -> String {
        serde_json::json!({
            "Action": self.action.unwrap_or(EVERY_ACTION),
            "Code": self.error.map(|e| e.code()),
            "Count": self.count,
            "DelayMs": u64::try_from(self.delay.as_millis()).unwrap_or(u64::MAX),
        })
        .to_string()
    }
}

fn invalid(message: impl Into<String>) -> InvalidFault {
    InvalidFault(message.into())
}

/// A decimal whole number, digits only (no sign, no space), that fits a `u64`.
fn whole(text: &str) -> Option<u64> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// What a fault does to the one request it met.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Injection {
    error: Option<Error>,
    delay: Duration,
}

impl Injection {
    /// The error the request answers in place of running; `None` when it runs as usual.
    pub fn error(&self) -> Option<Error> {
        self.error
    }

    /// How long its answer waits before it leaves; `None` for no wait.
    pub fn delay(&self) -> Option<Duration> {
        (!self.delay.is_zero()).then_some(self.delay)
    }
}

/// The faults armed on one account, oldest first.
#[derive(Debug, Default)]
pub struct Faults {
    armed: Mutex<Vec<Fault>>,
    /// How many are armed: a request of an account with none never takes the lock.
    len: AtomicUsize,
}

impl Faults {
    /// Arms `fault`, after those already armed.
    pub fn add(&self, fault: Fault) {
        let mut armed = self.armed.lock().unwrap_or_else(PoisonError::into_inner);
        armed.push(fault);
        self.len.store(armed.len(), Ordering::Release);
    }

    /// Disarms every fault: how many there were.
    pub fn clear(&self) -> usize {
        let mut armed = self.armed.lock().unwrap_or_else(PoisonError::into_inner);
        let cleared = armed.len();
        armed.clear();
        self.len.store(0, Ordering::Release);
        cleared
    }

    /// The faults armed, oldest first, with the count each has left.
    pub fn armed(&self) -> Vec<Fault> {
        self.armed
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// What the oldest fault that matches a request of `action` (its `Action` parameter;
    /// `None` when it has none) does to it, spending one of that fault's count (a fault whose
    /// count is spent is disarmed); `None` when no fault matches.
    pub fn take(&self, action: Option<&str>) -> Option<Injection> {
        if self.len.load(Ordering::Acquire) == 0 {
            return None;
        }
        let mut armed = self.armed.lock().unwrap_or_else(PoisonError::into_inner);
        let i = armed.iter().position(|f| f.matches(action))?;
        let fault = &mut armed[i];
        let injection = Injection {
            error: fault.error,
            delay: fault.delay,
        };
        fault.count -= 1;
        if fault.count == 0 {
            armed.remove(i);
            self.len.store(armed.len(), Ordering::Release);
        }
        Some(injection)
    }
}

/// The answer of a request a fault met: `error`, as the service answers it, in the format the
/// request's parameters ask for, with the `HostId` of its `RegionId` and a request ID from the
/// account's own stream; the account is not touched.
pub(crate) fn reject(
    service: &mut Service,
    params: &[(String, String)],
    error: Error,
) -> HttpResponse {
    let first = |name: &str| params.iter().find(|(k, _)| k == name);
    let pairs: Vec<(String, String)> = ["Format", "RegionId"]
        .into_iter()
        .filter_map(first)
        .cloned()
        .collect();
    service.reject(&HttpRequest::get(encode_query(&pairs)), error)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A form, and what it arms: action, error, count, delay in milliseconds.
    type Armed = (
        &'static [(&'static str, &'static str)],
        Option<&'static str>,
        Option<Error>,
        u32,
        u64,
    );

    fn parse(params: &[(&str, &str)]) -> Result<Fault, String> {
        Fault::from_params(params.iter().copied()).map_err(|e| e.to_string())
    }

    #[test]
    fn forms_are_read_or_refused_with_what_is_wrong() {
        let ok: &[Armed] = &[
            (
                &[("Action", "*"), ("Code", "Throttling.User"), ("Count", "1")],
                None,
                Some(Error::ThrottlingUser),
                1,
                0,
            ),
            (
                &[
                    ("Action", "DeleteEnterpriseCode"),
                    ("Code", "ServiceUnavailable"),
                    ("Count", "3"),
                    ("DelayMs", "250"),
                ],
                Some("DeleteEnterpriseCode"),
                Some(Error::ServiceUnavailable),
                3,
                250,
            ),
            (
                &[
                    ("Action", "RoamClientUser"),
                    ("Code", "InternalError"),
                    ("Count", "4294967295"),
                    ("DelayMs", "0"),
                ],
                Some("RoamClientUser"),
                Some(Error::InternalError),
                u32::MAX,
                0,
            ),
            (
                &[("Action", "*"), ("Count", "1"), ("DelayMs", "30000")],
                None,
                None,
                1,
                30_000,
            ),
            // The first of a repeated name; other parameters (a signature's) ignored.
            (
                &[
                    ("AccessKeyId", "testid"),
                    ("Count", "2"),
                    ("Action", "*"),
                    ("Count", "x"),
                    ("Code", "InternalError"),
                    ("Signature", "abc"),
                ],
                None,
                Some(Error::InternalError),
                2,
                0,
            ),
        ];
        for &(params, action, error, count, delay) in ok {
            let fault = parse(params).unwrap();
            assert_eq!(
                (fault.action(), fault.error(), fault.count(), fault.delay()),
                (action, error, count, Duration::from_millis(delay)),
                "{params:?}"
            );
        }
        let refused: &[(&[(&str, &str)], &str)] = &[
            (&[("Code", "InternalError"), ("Count", "1")], "Action is missing"),
            (&[("Action", ""), ("Code", "InternalError"), ("Count", "1")], "Action is missing"),
            (
                &[("Action", "createEnterpriseCode"), ("Code", "InternalError"), ("Count", "1")],
                "Action must be `*` or an action of the API, not `createEnterpriseCode`",
            ),
            (
                &[("Action", "*"), ("Code", "SignatureDoesNotMatch"), ("Count", "1")],
                "Code must be one of Throttling.User, ServiceUnavailable, InternalError, not `SignatureDoesNotMatch`",
            ),
            (&[("Action", "*"), ("Code", "")], "Code must be one of"),
            (&[("Action", "*"), ("Code", "InternalError")], "Count is missing"),
            (
                &[("Action", "*"), ("Code", "InternalError"), ("Count", "0")],
                "Count must be a whole number from 1 to 4294967295, not `0`",
            ),
            (&[("Action", "*"), ("Code", "InternalError"), ("Count", "+1")], "not `+1`"),
            (&[("Action", "*"), ("Code", "InternalError"), ("Count", " 1")], "not ` 1`"),
            (&[("Action", "*"), ("Code", "InternalError"), ("Count", "4294967296")], "not `4294967296`"),
            (&[("Action", "*"), ("Code", "InternalError"), ("Count", "-1")], "not `-1`"),
            (
                &[("Action", "*"), ("Count", "1"), ("DelayMs", "30001")],
                "DelayMs must be a whole number of milliseconds from 0 to 30000, not `30001`",
            ),
            (&[("Action", "*"), ("Count", "1"), ("DelayMs", "1.5")], "not `1.5`"),
            (
                &[("Action", "*"), ("Count", "1")],
                "nothing to inject: give a Code, a DelayMs above 0, or both",
            ),
            (&[("Action", "*"), ("Count", "1"), ("DelayMs", "0")], "nothing to inject"),
        ];
        for &(params, message) in refused {
            let err = parse(params).unwrap_err();
            assert!(err.contains(message), "{params:?}: {err}");
        }
    }

    #[test]
    fn counts_run_out_and_the_oldest_match_goes_first() {
        let faults = Faults::default();
        assert_eq!(faults.take(None), None);
        let add = |params: &[(&str, &str)]| faults.add(parse(params).unwrap());
        add(&[
            ("Action", "RoamClientUser"),
            ("Code", "InternalError"),
            ("Count", "1"),
        ]);
        add(&[("Action", "*"), ("Code", "Throttling.User"), ("Count", "2")]);
        let error = |action| faults.take(action).map(|i| i.error());
        assert_eq!(
            error(Some("ListEnterpriseCode")),
            Some(Some(Error::ThrottlingUser))
        );
        assert_eq!(
            error(Some("RoamClientUser")),
            Some(Some(Error::InternalError))
        );
        assert_eq!(error(None), Some(Some(Error::ThrottlingUser)));
        assert_eq!(error(None), None);
        assert!(faults.armed().is_empty());
        add(&[("Action", "*"), ("Count", "5"), ("DelayMs", "10")]);
        assert_eq!(
            faults.take(None).unwrap().delay(),
            Some(Duration::from_millis(10))
        );
        assert_eq!(faults.armed()[0].count(), 4);
        assert_eq!(faults.clear(), 1);
        assert_eq!(faults.take(None), None);
        let fault = parse(&[("Action", "*"), ("Count", "2"), ("DelayMs", "10")]).unwrap();
        assert_eq!(
            fault.to_json(),
            r#"{"Action":"*","Code":null,"Count":2,"DelayMs":10}"#
        );
    }
}
