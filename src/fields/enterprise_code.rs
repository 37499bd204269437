use core::fmt;
use core::hash::{Hash, Hasher};
use core::str::FromStr;

use super::{digits, lower, upper, ByteSet};
use crate::error::Error;

const LETTER: ByteSet = ByteSet::of(EnterpriseCode::LETTERS);
const DIGIT: ByteSet = ByteSet::of(EnterpriseCode::DIGITS);

/// An enterprise code: exactly 5 ASCII letters and digits, with at least one of each.
///
/// Codes compare (and hash) case-insensitively: `ab123` and `AB123` are the same code. The text
/// keeps the case it was given.
///
/// A required parameter with no code of its own: the empty string is `MissingParameter`, any
/// other malformed value `InvalidParameter`.
///
/// ```
/// use smartag_rules::{EnterpriseCode, Error};
///
/// let code: EnterpriseCode = "ab123".parse()?;
/// assert_eq!(code, "AB123".parse::<EnterpriseCode>()?);
/// assert_eq!(code.as_str(), "ab123");
/// assert_eq!("12345".parse::<EnterpriseCode>(), Err(Error::InvalidParameter)); // no letter
/// assert_eq!("".parse::<EnterpriseCode>(), Err(Error::MissingParameter));
/// # Ok::<(), Error>(())
/// ```
#[derive(Clone, Copy)]
pub struct EnterpriseCode([u8; EnterpriseCode::LEN]);

impl EnterpriseCode {
    /// The documented rule as a regular expression: 5 letters and digits, and somewhere a letter
    /// next to a digit (which holds exactly when both are present).
    pub const PATTERN: &'static str = concat!(
        r"^(?:(?:[A-Za-z][0-9]|[0-9][A-Za-z])[A-Za-z0-9]{3}",
        r"|[A-Za-z0-9](?:[A-Za-z][0-9]|[0-9][A-Za-z])[A-Za-z0-9]{2}",
        r"|[A-Za-z0-9]{2}(?:[A-Za-z][0-9]|[0-9][A-Za-z])[A-Za-z0-9]",
        r"|[A-Za-z0-9]{3}(?:[A-Za-z][0-9]|[0-9][A-Za-z]))$"
    );
    /// The length of every code.
    pub const LEN: usize = 5;
    /// The letters a code may hold: `[A-Za-z]`.
    pub const LETTERS: &'static [u8] = concat!(upper!(), lower!()).as_bytes();
    /// The digits a code may hold: `[0-9]`.
    pub const DIGITS: &'static [u8] = digits!().as_bytes();

    /// Checks `s` against the rule described on [`EnterpriseCode`], as parsing does, without
    /// keeping it.
    ///
    /// # Errors
    ///
    /// [`Error::MissingParameter`] for `""`, [`Error::InvalidParameter`] for any other text that
    /// breaks the rule.
    pub fn check(s: &str) -> Result<(), Error> {
        Self::bytes_of(s).map(|_| ())
    }

    fn bytes_of(s: &str) -> Result<[u8; Self::LEN], Error> {
        if s.is_empty() {
            return Err(Error::MissingParameter);
        }
        let bytes: [u8; Self::LEN] = s
            .as_bytes()
            .try_into()
            .map_err(|_| Error::InvalidParameter)?;
        let letters = bytes.iter().filter(|&&b| LETTER.contains(b)).count();
        let digits = bytes.iter().filter(|&&b| DIGIT.contains(b)).count();
        if letters + digits == Self::LEN && letters > 0 && digits > 0 {
            Ok(bytes)
        } else {
            Err(Error::InvalidParameter)
        }
    }

    /// The code's bytes in upper case, what it compares and hashes as: an array, not the `Vec`
    /// of `<[u8]>::to_ascii_uppercase` (an allocation per comparison, two per step of a search).
    fn upper(&self) -> [u8; Self::LEN] {
        self.0.map(|b| b.to_ascii_uppercase())
    }

    /// The code as given.
    pub fn as_str(&self) -> &str {
        // Always ASCII by construction.
        core::str::from_utf8(&self.0).unwrap_or_default()
    }
}

impl PartialEq for EnterpriseCode {
    fn eq(&self, other: &Self) -> bool {
        self.0.eq_ignore_ascii_case(&other.0)
    }
}

impl Eq for EnterpriseCode {}

impl Hash for EnterpriseCode {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.upper().hash(state);
    }
}

impl PartialOrd for EnterpriseCode {
    fn partial_cmp(&self, other: &Self) -> Option<core::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for EnterpriseCode {
    fn cmp(&self, other: &Self) -> core::cmp::Ordering {
        self.upper().cmp(&other.upper())
    }
}

impl fmt::Debug for EnterpriseCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("EnterpriseCode")
            .field(&self.as_str())
            .finish()
    }
}

super::str_view!(EnterpriseCode);

impl FromStr for EnterpriseCode {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        Self::bytes_of(s).map(EnterpriseCode)
    }
}

super::try_from_str!(EnterpriseCode);
