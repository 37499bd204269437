//! The one mechanism every operation goes through. An operation declares, in one function
//! ([`Operation::check`]), its parameters with their parsers in precedence order and then its
//! state checks in precedence order, and its effect and response ([`Operation::run`]);
//! [`validate`], [`violations`] and [`execute`] are written once, here, for all of them.

use core::str::FromStr;

use super::idempotency::Recall;
use super::Response;
use crate::error::Error;
use crate::fields::{ClientToken, RegionId, SmartAgId};
use crate::model::{Account, Instance};

/// A raw request and the typed request its parameters give once valid (declared with the raw
/// request).
pub(crate) trait RawRequest {
    /// The validated request.
    type Typed;
}

/// The typed request of the operation `O`.
pub(crate) type Typed<O> = <<O as Operation>::Raw as RawRequest>::Typed;

/// One operation of the API.
pub(crate) trait Operation {
    /// The request as it arrives: every parameter optional text.
    type Raw: RawRequest;

    /// Step 1, each parameter's own form in the order of the operation's parameter table, then,
    /// when `c` looks at an account ([`Check::on`]), steps 2 to 4 as far as the well-formed
    /// parameters allow: records every violation in `c`. Answers the typed request once every
    /// parameter passed its own check; `None` then only for an instance ID that is not one (it
    /// names no instance).
    fn check(raw: &Self::Raw, c: &mut Check<'_>) -> Option<Typed<Self>>;

    /// The operation's typed method (steps 2 to 4 for a typed request, the first violation,
    /// then the effect on the very instance the checks looked at), its success as the wire
    /// answers it.
    fn run(account: &mut Account, request: Typed<Self>) -> Result<Response, Error>;

    /// Whether the operation only reads the account (a describe or a listing): a server need
    /// not make anything durable for it ([`Request::changes_state`]).
    ///
    /// [`Request::changes_state`]: super::Request::changes_state
    const READS_ONLY: bool = false;

    /// Whether the operation takes a `ClientToken` (then [`Operation::recall`] says what the
    /// account remembers of it).
    const TAKES_CLIENT_TOKEN: bool = false;

    /// What the account's client tokens say of a well-formed request: a replay of an identical
    /// success has no violation, another request's token is `IdempotentParameterMismatch`
    /// (after the form checks, before the state's). [`Operation::run`] honours the same memory.
    fn recall(_account: &Account, _request: &Typed<Self>) -> Recall {
        Recall::Fresh
    }
}

/// Checks the form of every parameter of `raw` and returns its typed request, or the first
/// error. A non-empty instance ID that is not one is `SAG.InstanceNoFound`, after every other
/// form check.
#[inline(always)]
pub(crate) fn validate<O: Operation>(raw: &O::Raw) -> Result<Typed<O>, Error> {
    valid_then::<O, _>(raw, Ok)
}

/// [`validate`], handing the typed request straight to `then` (not through a `Result` and a
/// local first: each a `memcpy` once a request outgrows 128 bytes, as those carrying a
/// `ClientToken` do).
#[inline(always)]
fn valid_then<O: Operation, R>(
    raw: &O::Raw,
    then: impl FnOnce(Typed<O>) -> Result<R, Error>,
) -> Result<R, Error> {
    let mut c = Check::default();
    let request = O::check(raw, &mut c);
    c.first()?;
    match request {
        Some(request) => then(request),
        None => Err(Error::InstanceNotFound),
    }
}

/// Every violation of `raw` on `account`, in precedence order.
pub(crate) fn violations<O: Operation>(account: &Account, raw: &O::Raw) -> Vec<Error> {
    let mut c = Check::on(account);
    if O::TAKES_CLIENT_TOKEN {
        let mut form = Check::default();
        let typed = O::check(raw, &mut form);
        if let Some(typed) = typed.filter(|_| form.errors.is_empty()) {
            match O::recall(account, &typed) {
                Recall::Replay => return Vec::new(),
                Recall::Mismatch => c.errors.push(Error::IdempotentParameterMismatch),
                Recall::Fresh => {}
            }
        }
    }
    O::check(raw, &mut c);
    c.into_errors()
}

/// Checks `raw` in precedence order and carries it out: the first error, or the wire answer.
pub(crate) fn execute<O: Operation>(
    account: &mut Account,
    raw: &O::Raw,
) -> Result<Response, Error> {
    valid_then::<O, _>(raw, |request| O::run(account, request))
}

/// The violations of one request, in precedence order, and the account whose state the checks
/// look at (none: the parameters' own form alone). The operation answers the first violation;
/// [`Account::violations`] answers them all.
#[derive(Default, Debug)]
pub(crate) struct Check<'a> {
    errors: Vec<Error>,
    account: Option<&'a Account>,
}

impl<'a> Check<'a> {
    /// Checks that look at the state of `account` too.
    pub(crate) fn on(account: &'a Account) -> Check<'a> {
        Check {
            errors: Vec::new(),
            account: Some(account),
        }
    }

    /// The account whose state is checked, if any.
    pub(crate) fn account(&self) -> Option<&'a Account> {
        self.account
    }

    /// Records the error of `r`, if any, and passes its value on.
    pub(crate) fn take<T>(&mut self, r: Result<T, Error>) -> Option<T> {
        r.map_err(|e| self.errors.push(e)).ok()
    }

    /// Records `error` unless `ok`.
    pub(crate) fn ensure(&mut self, ok: bool, error: Error) {
        if !ok {
            self.errors.push(error);
        }
    }

    /// Records every error of `errors`, in order.
    pub(crate) fn record(&mut self, errors: impl IntoIterator<Item = Error>) {
        self.errors.extend(errors);
    }

    /// The first violation, if any.
    pub(crate) fn first(&self) -> Result<(), Error> {
        self.errors.first().map_or(Ok(()), |&e| Err(e))
    }

    /// Every violation, in the order recorded.
    pub(crate) fn into_errors(self) -> Vec<Error> {
        self.errors
    }

    /// The first violation the checks of `f` record.
    pub(crate) fn first_of(f: impl FnOnce(&mut Check<'_>)) -> Result<(), Error> {
        let mut c = Check::default();
        f(&mut c);
        c.first()
    }
}

/// An instance-ID parameter after its own form check.
#[derive(Clone, PartialEq, Eq, Debug)]
pub(crate) enum InstanceIdParam {
    /// Missing or empty: `SAG.InstanceIdEmpty` is recorded.
    Missing,
    /// Present but not an instance ID: it names no instance (`SAG.InstanceNoFound` at step 2).
    NotAnId,
    /// A well-formed ID.
    Id(SmartAgId),
}

impl InstanceIdParam {
    /// The ID, when the parameter is one.
    pub(crate) fn into_id(self) -> Option<SmartAgId> {
        match self {
            InstanceIdParam::Id(id) => Some(id),
            InstanceIdParam::Missing | InstanceIdParam::NotAnId => None,
        }
    }
}

/// The instance a request names: its region and instance-ID parameters after their own checks,
/// parsed once (the region first) and resolved once.
pub(crate) struct Target {
    region: Option<RegionId>,
    id: InstanceIdParam,
}

impl Target {
    /// The `RegionId` parameter, then the instance-ID parameter.
    #[inline(always)]
    pub(crate) fn parse(c: &mut Check<'_>, region: &Option<String>, id: &Option<String>) -> Target {
        let region = required(c, region.as_deref());
        Target::of(region, instance_id(c, id.as_deref()))
    }

    /// The target of a region and an instance ID parsed apart (roaming parses both regions
    /// before both IDs).
    pub(crate) fn of(region: Option<RegionId>, id: InstanceIdParam) -> Target {
        Target { region, id }
    }

    /// The region and the instance ID, once both passed their own checks.
    #[inline(always)]
    pub(crate) fn typed(self) -> Option<(RegionId, SmartAgId)> {
        Some((self.region?, self.id.into_id()?))
    }

    /// Step 2, when `c` looks at an account: the instance exists in the region. Records
    /// `SAG.InstanceNoFound` when it does not (nothing when the region or the ID already failed
    /// their own checks).
    pub(crate) fn resolve<'a>(&self, c: &mut Check<'a>) -> Option<&'a Instance> {
        let account = c.account()?;
        let region = self.region.as_ref()?;
        match &self.id {
            InstanceIdParam::Missing => None,
            InstanceIdParam::NotAnId => c.take(Err(Error::InstanceNotFound)),
            InstanceIdParam::Id(id) => c.take(account.found(region, id)),
        }
    }
}

/// A required parameter of the field type `T`, absent read as empty (each type answers its own
/// code for the empty value: `MissingParameter`, `ClientUser.NameEmpty`, ...).
#[inline(always)]
pub(crate) fn required<T: FromStr<Err = Error>>(c: &mut Check<'_>, raw: Option<&str>) -> Option<T> {
    c.take(raw.unwrap_or("").parse())
}

/// An optional parameter: absent gives `None`, present (even empty) must be valid.
pub(crate) fn optional<T: FromStr<Err = Error>>(c: &mut Check<'_>, raw: Option<&str>) -> Option<T> {
    c.take(raw.map(str::parse).transpose()).flatten()
}

/// An optional parameter with a default for when it is absent.
pub(crate) fn or_default<T: FromStr<Err = Error>>(
    c: &mut Check<'_>,
    raw: Option<&str>,
    default: T,
) -> Option<T> {
    match raw {
        None => Some(default),
        Some(s) => c.take(s.parse()),
    }
}

/// The optional `ClientToken` parameter's own form: absent or empty is no token, anything but
/// 1 to 64 printable ASCII characters `InvalidParameter`.
pub(crate) fn client_token(c: &mut Check<'_>, raw: Option<&str>) -> Option<ClientToken> {
    optional(c, raw.filter(|s| !s.is_empty()))
}

/// An instance-ID parameter's own form: present and non-empty.
#[inline(always)]
pub(crate) fn instance_id(c: &mut Check<'_>, raw: Option<&str>) -> InstanceIdParam {
    match raw.unwrap_or("").parse::<SmartAgId>() {
        Ok(id) => InstanceIdParam::Id(id),
        Err(Error::InstanceIdEmpty) => {
            c.take::<()>(Err(Error::InstanceIdEmpty));
            InstanceIdParam::Missing
        }
        Err(_) => InstanceIdParam::NotAnId,
    }
}

/// A whole number in plain decimal digits, as the setup and paging parameters take it:
/// `InvalidParameter` for anything else (signs, spaces, overflow).
pub(crate) fn whole_number(s: &str) -> Result<u32, Error> {
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
        s.parse().map_err(|_| Error::InvalidParameter)
    } else {
        Err(Error::InvalidParameter)
    }
}

/// The impls of a parameter that is a whole number in plain decimal digits, held as `$int` in
/// `$name(..)` and built by its own checked `new(u32)`: its `FromStr` ([`whole_number`], then
/// `new`), its conversions from and to `$int` (the serialized form) and its `Display`.
macro_rules! whole_number_param {
    ($name:ident($int:ty)) => {
        impl core::str::FromStr for $name {
            type Err = $crate::error::Error;

            /// Plain decimal digits naming a valid value; [`Error::InvalidParameter`] otherwise.
            ///
            /// [`Error::InvalidParameter`]: $crate::error::Error::InvalidParameter
            fn from_str(s: &str) -> Result<$name, $crate::error::Error> {
                $name::new($crate::ops::operation::whole_number(s)?)
            }
        }

        impl TryFrom<$int> for $name {
            type Error = $crate::error::Error;

            fn try_from(value: $int) -> Result<$name, $crate::error::Error> {
                $name::new(u32::from(value))
            }
        }

        impl From<$name> for $int {
            fn from(value: $name) -> $int {
                value.0
            }
        }

        impl core::fmt::Display for $name {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                core::fmt::Display::fmt(&self.0, f)
            }
        }
    };
}

pub(crate) use whole_number_param;
