//! The machinery every operation shares: a list of violations kept in precedence order, and the
//! parsers of the parameters that several operations take.

use crate::model::{Account, Instance};
use crate::{Bandwidth, Error, RegionId, SmartAgId, UserName};

/// The violations of one request, in the order of SPEC.md's precedence. The operation answers the
/// first; [`Account::violations`] answers them all.
#[derive(Default, Debug)]
pub(crate) struct Check {
    errors: Vec<Error>,
}

impl Check {
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

    /// The first violation, if any.
    pub(crate) fn first(&self) -> Result<(), Error> {
        self.errors.first().map_or(Ok(()), |&e| Err(e))
    }

    pub(crate) fn into_errors(self) -> Vec<Error> {
        self.errors
    }
}

/// An instance-ID parameter after its own form check.
#[derive(Clone, Copy, Debug)]
pub(crate) enum IdArg<'a> {
    /// Missing or empty: `SAG.InstanceIdEmpty` is already recorded.
    Missing,
    /// Present but not an instance ID: it names no instance (`SAG.InstanceNoFound` at step 2).
    Unknown,
    /// A well-formed ID.
    Id(&'a SmartAgId),
}

/// A required `RegionId`: `MissingParameter` when absent or empty, `InvalidParameter` when
/// malformed.
pub(crate) fn region(c: &mut Check, raw: Option<&str>) -> Option<RegionId> {
    c.take(raw.unwrap_or("").parse())
}

/// An instance-ID parameter's own form: present and non-empty.
pub(crate) fn instance_id(c: &mut Check, raw: Option<&str>) -> Result<SmartAgId, bool> {
    match raw.unwrap_or("").parse::<SmartAgId>() {
        Ok(id) => Ok(id),
        Err(Error::InstanceIdEmpty) => {
            c.take::<()>(Err(Error::InstanceIdEmpty));
            Err(false)
        }
        Err(_) => Err(true),
    }
}

/// Views a parsed ID parameter as an [`IdArg`].
pub(crate) fn id_arg(parsed: &Result<SmartAgId, bool>) -> IdArg<'_> {
    match parsed {
        Ok(id) => IdArg::Id(id),
        Err(true) => IdArg::Unknown,
        Err(false) => IdArg::Missing,
    }
}

/// A required `UserName`: `ClientUser.NameEmpty` when absent or empty.
pub(crate) fn user_name(c: &mut Check, raw: Option<&str>) -> Option<UserName> {
    c.take(raw.unwrap_or("").parse())
}

/// A `Bandwidth`: `default` when absent (`None` makes it required).
pub(crate) fn bandwidth(
    c: &mut Check,
    raw: Option<&str>,
    default: Option<Bandwidth>,
) -> Option<Bandwidth> {
    match (raw, default) {
        (Some(s), _) => c.take(s.parse()),
        (None, Some(d)) => Some(d),
        (None, None) => c.take(Err(Error::BandwidthInvalid)),
    }
}

/// A paging parameter: absent gives `default`; else a whole number in `range`, or
/// `InvalidParameter`.
pub(crate) fn page_param(
    c: &mut Check,
    raw: Option<&str>,
    default: u32,
    range: core::ops::RangeInclusive<u32>,
) -> Option<u32> {
    let Some(s) = raw else {
        return Some(default);
    };
    let value = if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
        s.parse::<u32>().ok().filter(|v| range.contains(v))
    } else {
        None
    };
    c.take(value.ok_or(Error::InvalidParameter))
}

impl Account {
    /// Step 2: the instance exists in the region. Records `SAG.InstanceNoFound` when it does not
    /// (nothing when the region or the ID already failed their own checks).
    pub(crate) fn resolve<'a>(
        &'a self,
        c: &mut Check,
        region: Option<&RegionId>,
        id: IdArg<'_>,
    ) -> Option<&'a Instance> {
        let region = region?;
        match id {
            IdArg::Missing => None,
            IdArg::Unknown => c.take(Err(Error::InstanceNotFound)),
            IdArg::Id(id) => c.take(
                self.instance(region, id.as_str())
                    .ok_or(Error::InstanceNotFound),
            ),
        }
    }
}
