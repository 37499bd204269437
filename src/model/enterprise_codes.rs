//! The enterprise codes of an account: in creation order, at most one of them the default.

use std::collections::BTreeMap;

use crate::fields::EnterpriseCode;

/// Where a code stands in the account's creation order: codes created later have larger
/// serials, and a serial is never given twice (a listing's `NextToken` points at one).
pub(crate) type Serial = u64;

/// The account's enterprise codes (codes belong to the account, not to a region), each with its
/// creation serial, and the one default code, if any (always one of the codes: removing the
/// default is refused by `DeleteEnterpriseCode`, and `remove` forgets it too).
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub(crate) struct EnterpriseCodes {
    by_serial: BTreeMap<Serial, EnterpriseCode>,
    serial_of: BTreeMap<EnterpriseCode, Serial>,
    next: Serial,
    default: Option<EnterpriseCode>,
}

impl EnterpriseCodes {
    /// Whether `code` exists (compared without case).
    pub(crate) fn contains(&self, code: &EnterpriseCode) -> bool {
        self.serial_of.contains_key(code)
    }

    /// Adds `code` as the newest, an ordinary code; `false` (and no change) when it exists.
    pub(crate) fn insert(&mut self, code: EnterpriseCode) -> bool {
        if self.contains(&code) {
            return false;
        }
        self.insert_at(self.next, code);
        true
    }

    /// Adds `code` at `serial` (restoring a snapshot): the next code comes after it.
    pub(crate) fn insert_at(&mut self, serial: Serial, code: EnterpriseCode) {
        self.by_serial.insert(serial, code);
        self.serial_of.insert(code, serial);
        self.next = self.next.max(serial.saturating_add(1));
    }

    /// Whether a code has `serial`.
    #[cfg(feature = "serde")]
    pub(crate) fn has_serial(&self, serial: Serial) -> bool {
        self.by_serial.contains_key(&serial)
    }

    /// Removes `code`; `false` when there was none.
    pub(crate) fn remove(&mut self, code: &EnterpriseCode) -> bool {
        let Some(serial) = self.serial_of.remove(code) else {
            return false;
        };
        self.by_serial.remove(&serial);
        if self.default.as_ref() == Some(code) {
            self.default = None;
        }
        true
    }

    /// The default code, if any.
    pub(crate) fn default_code(&self) -> Option<&EnterpriseCode> {
        self.default.as_ref()
    }

    /// Whether `code` is the default.
    pub(crate) fn is_default(&self, code: &EnterpriseCode) -> bool {
        self.default.as_ref() == Some(code)
    }

    /// Makes `code` the default (`true`; the previous default becomes ordinary) or an ordinary
    /// code (`false`); `false` answered when the code does not exist (nothing changes).
    pub(crate) fn set_default(&mut self, code: &EnterpriseCode, default: bool) -> bool {
        let Some(stored) = self.stored(code) else {
            return false;
        };
        if default {
            self.default = Some(stored);
        } else if self.is_default(code) {
            self.default = None;
        }
        true
    }

    /// The code as it was created (its case), when it exists.
    fn stored(&self, code: &EnterpriseCode) -> Option<EnterpriseCode> {
        self.serial_of
            .get(code)
            .and_then(|serial| self.by_serial.get(serial))
            .copied()
    }

    /// Every code with its serial, in creation order.
    pub(crate) fn iter(&self) -> impl DoubleEndedIterator<Item = (Serial, &EnterpriseCode)> + '_ {
        self.by_serial.iter().map(|(&serial, code)| (serial, code))
    }

    /// The codes from `serial` on, in creation order.
    pub(crate) fn starting_at(
        &self,
        serial: Serial,
    ) -> impl Iterator<Item = (Serial, &EnterpriseCode)> + '_ {
        self.by_serial
            .range(serial..)
            .map(|(&serial, code)| (serial, code))
    }
}
