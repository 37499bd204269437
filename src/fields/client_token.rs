use super::{text_field, InlineStr};

/// A `ClientToken`: the caller's key that makes a retried request safe (an idempotency key),
/// 1 to 64 printable ASCII characters (space to `~`).
///
/// A request that repeats the token of an earlier successful request, with the same action and
/// parameters, answers that success again and changes nothing; the same token with other
/// parameters is `IdempotentParameterMismatch`. A parameter with no code of its own: malformed
/// is `InvalidParameter`. An empty `ClientToken` parameter is no token at all (the request is
/// not remembered), so parsing `""` answers `InvalidParameter` and the operations read an empty
/// parameter as an absent one.
///
/// ```
/// use smartag_rules::{ClientToken, Error};
///
/// let token: ClientToken = "02fb3da4-130e-11e9-8e44-001e0e0b1c9b".parse()?;
/// assert_eq!(token.as_str().len(), 36);
/// assert!("a".repeat(ClientToken::MAX_LEN).parse::<ClientToken>().is_ok());
/// assert_eq!("a".repeat(65).parse::<ClientToken>(), Err(Error::InvalidParameter));
/// assert_eq!("tokén".parse::<ClientToken>(), Err(Error::InvalidParameter));
/// assert_eq!("tab\there".parse::<ClientToken>(), Err(Error::InvalidParameter));
/// # Ok::<(), Error>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub struct ClientToken(InlineStr<{ ClientToken::MAX_LEN }>);

impl ClientToken {
    /// The documented rule as a regular expression.
    pub const PATTERN: &'static str = r"^[ -~]{1,64}$";
    /// Fewest characters.
    pub const MIN_LEN: usize = 1;
    /// Most characters.
    pub const MAX_LEN: usize = 64;
    /// The lowest printable ASCII character (space).
    pub const FIRST_PRINTABLE: u8 = b' ';
    /// The highest printable ASCII character (`~`).
    pub const LAST_PRINTABLE: u8 = b'~';

    /// Whether every byte is printable ASCII.
    fn printable(bytes: &[u8]) -> bool {
        bytes
            .iter()
            .all(|b| (Self::FIRST_PRINTABLE..=Self::LAST_PRINTABLE).contains(b))
    }
}

text_field!(
    ClientToken,
    len: ClientToken::MIN_LEN..=ClientToken::MAX_LEN,
    rule: ClientToken::printable,
    empty: InvalidParameter,
    invalid: InvalidParameter
);
