//! Parameters to requests: an `Action` plus `Name=value` pairs become the raw [`Request`] of the
//! account model.

use core::fmt;
use std::borrow::Cow;

use super::Format;
use crate::error::Error;
use crate::fields::RegionId;
use crate::ops::Request;

/// The one version of the API: a `Version` parameter (or `x-acs-version` header), when present,
/// must be exactly this, else 400 `InvalidVersion`.
pub const API_VERSION: &str = "2018-03-13";

/// The common parameters of every RPC request: accepted, never required, and ignored by the
/// rules (apart from `Format`, which chooses the body's format, and `Version`, which must be
/// [`API_VERSION`] when present). Any other parameter an operation does not take is ignored too;
/// this list only documents the ones the service defines. (`ClientToken` is a parameter of the
/// operations that take one, such as `DeleteEnterpriseCode`: see [`ClientToken`].)
///
/// [`ClientToken`]: crate::ClientToken
pub const COMMON_PARAMETERS: &[&str] = &[
    "Format",
    "Version",
    "AccessKeyId",
    "SignatureMethod",
    "SignatureVersion",
    "SignatureNonce",
    "SignatureType",
    "Signature",
    "Timestamp",
    "SecurityToken",
    "OwnerId",
    "ResourceOwnerId",
    "OwnerAccount",
    "ResourceOwnerAccount",
];

/// A request read from its parameters, with what every answer to it needs.
#[non_exhaustive]
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct ParsedRequest {
    /// The operation and its parameters, in the raw form (every parameter optional text).
    pub request: Request,
    /// The body format the caller asked for.
    pub format: Format,
    /// The request's `RegionId` when it is a well-formed region ID (it names the `HostId`).
    pub region_id: Option<RegionId>,
}

impl ParsedRequest {
    /// Whether the request, when it succeeds, changes the account: what a server must make
    /// durable before it answers ([`Request::changes_state`], as each operation declares it).
    pub fn changes_state(&self) -> bool {
        self.request.changes_state()
    }

    /// The `HostId` of the answers to this request: see [`host_id`](super::host_id).
    pub fn host_id(&self) -> String {
        super::host_id(self.region_id.as_ref())
    }
}

/// A request refused before it reaches the account: no `Action` (`MissingParameter`), an
/// unknown one (`InvalidAction.NotFound`) or a `Version` other than [`API_VERSION`]
/// (`InvalidVersion`), with what its error body needs.
#[non_exhaustive]
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct WireError {
    /// The error the service answers.
    pub error: Error,
    /// The body format the caller asked for.
    pub format: Format,
    /// The request's `RegionId` when it is a well-formed region ID.
    pub region_id: Option<RegionId>,
}

impl WireError {
    /// The `HostId` of the error body: see [`host_id`](super::host_id).
    pub fn host_id(&self) -> String {
        super::host_id(self.region_id.as_ref())
    }
}

impl fmt::Display for WireError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.error, f)
    }
}

impl std::error::Error for WireError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.error)
    }
}

/// The parameters of one request: names are case-sensitive and a repeated name takes its first
/// value.
struct Params<K, V>(Vec<(K, V)>);

impl<K: AsRef<str>, V: AsRef<str>> Params<K, V> {
    fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k.as_ref() == name)
            .map(|(_, v)| v.as_ref())
    }
}

/// Reads a request from its parameters, already percent-decoded (`("Action",
/// "RoamClientUser")`, `("RegionId", "cn-hangzhou")`, ...).
///
/// - `Action` picks the operation: absent or empty is 403 `MissingParameter` (a required
///   parameter with no code of its own); a name that is not one of [`Request::ACTIONS`] is 404
///   `InvalidAction.NotFound`.
/// - `Version`, right after `Action` and before every other parameter: when present (even
///   empty) it must be [`API_VERSION`], else 400 `InvalidVersion`; absent is fine.
/// - Each operation takes its own parameters by their API names; the values go to the account
///   model unchecked, so a malformed or missing value is answered by [`Account::execute`] in
///   the operation's precedence (a missing `RegionId` is 403 `MissingParameter`, `PageSize=abc` is 400
///   `InvalidParameter`, ...).
/// - Names are case-sensitive, as in the service (`regionid` is not `RegionId`); a repeated name
///   takes its **first** value; the [`COMMON_PARAMETERS`] and any other parameter the operation
///   does not take are ignored.
/// - `Format=XML` (any case) asks for XML bodies; anything else, or no `Format`, for JSON.
///
/// # Errors
///
/// A [`WireError`] (with the format and region its error body needs) carrying
/// [`Error::MissingParameter`] without an `Action`, [`Error::ActionNotFound`] for an action
/// outside the API and [`Error::InvalidVersion`] for another `Version`. Every other problem is
/// the operation's to answer.
///
/// [`Account::execute`]: crate::Account::execute
///
/// ```
/// use smartag_rules::wire::{parse_request, Format};
/// use smartag_rules::{Error, Request};
///
/// let parsed = parse_request([
///     ("Action", "DeleteSmartAccessGatewayClientUser"),
///     ("RegionId", "cn-shanghai"),
///     ("SmartAGId", "sag-app1"),
///     ("UserName", "doctest1"),
///     ("UserName", "ignored1"),
///     ("Format", "xml"),
/// ])?;
/// assert_eq!(parsed.format, Format::Xml);
/// assert_eq!(parsed.host_id(), "smartag.cn-shanghai.aliyuncs.com");
/// let Request::DeleteClientUser(raw) = parsed.request else { unreachable!() };
/// assert_eq!(raw.user_name.as_deref(), Some("doctest1"));
///
/// let err = parse_request([("Action", "DeleteEverything")]).unwrap_err();
/// assert_eq!(err.error, Error::ActionNotFound);
/// assert_eq!(err.host_id(), "smartag.aliyuncs.com");
/// # Ok::<(), smartag_rules::wire::WireError>(())
/// ```
pub fn parse_request<I, K, V>(params: I) -> Result<ParsedRequest, WireError>
where
    I: IntoIterator<Item = (K, V)>,
    K: AsRef<str>,
    V: AsRef<str>,
{
    let p = Params(params.into_iter().collect());
    let format = Format::from_param(p.get("Format"));
    let region_id = p.get("RegionId").and_then(|r| r.parse::<RegionId>().ok());
    let request = match p.get("Action") {
        None | Some("") => Err(Error::MissingParameter),
        Some(action) => match (request_for(action, &p), p.get("Version")) {
            (None, _) => Err(Error::ActionNotFound),
            (Some(_), Some(version)) if version != API_VERSION => Err(Error::InvalidVersion),
            (Some(request), _) => Ok(request),
        },
    };
    match request {
        Ok(request) => Ok(ParsedRequest {
            request,
            format,
            region_id,
        }),
        Err(error) => Err(WireError {
            error,
            format,
            region_id,
        }),
    }
}

/// The raw request of `action` from its parameters, or `None` for an unknown action.
fn request_for<K: AsRef<str>, V: AsRef<str>>(action: &str, p: &Params<K, V>) -> Option<Request> {
    Request::from_params(action, |name| p.get(name))
}

/// The `Name=value` pairs of a form-encoded string (a query string or a form body), decoded as
/// `form_urlencoded::parse` decodes them, byte for byte: pairs split on `&` (empty ones
/// skipped), name and value on the first `=` (none: an empty value), `+` a space, `%XX` the
/// byte `XX` (any other `%` kept as it is), then UTF-8 with invalid sequences as U+FFFD.
///
/// Faster on the hot path: a name or value holding no `+` or `%` is borrowed as it is (the
/// input is already text, so it needs no UTF-8 check), and one that does is decoded once.
pub(super) fn form_pairs(input: &str) -> FormPairs<'_> {
    FormPairs { rest: input }
}

/// The iterator of [`form_pairs`]: one pass over each pair's bytes finds its end, its `=` and
/// whether its name or value needs decoding.
pub(super) struct FormPairs<'a> {
    rest: &'a str,
}

impl<'a> Iterator for FormPairs<'a> {
    type Item = (Cow<'a, str>, Cow<'a, str>);

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if self.rest.is_empty() {
                return None;
            }
            let bytes = self.rest.as_bytes();
            let mut end = bytes.len();
            let mut eq = None;
            let mut name_escaped = false;
            let mut value_escaped = false;
            for (i, &b) in bytes.iter().enumerate() {
                match b {
                    b'&' => {
                        end = i;
                        break;
                    }
                    b'=' if eq.is_none() => eq = Some(i),
                    b'+' | b'%' => match eq {
                        None => name_escaped = true,
                        Some(_) => value_escaped = true,
                    },
                    _ => {}
                }
            }
            // Every split is at an ASCII byte (`&`, `=`), so on a character boundary.
            let (pair, rest) = self.rest.split_at_checked(end)?;
            self.rest = rest.get(1..).unwrap_or_default();
            if pair.is_empty() {
                continue;
            }
            let (name, value) = match eq {
                Some(eq) => {
                    let (name, value) = pair.split_at_checked(eq)?;
                    (name, value.get(1..).unwrap_or_default())
                }
                None => (pair, ""),
            };
            let decode = |text, escaped| match escaped {
                true => form_decode(text),
                false => Cow::Borrowed(text),
            };
            return Some((decode(name, name_escaped), decode(value, value_escaped)));
        }
    }
}

/// [`form_pairs`] over bytes (a body): the same pairs, the input's invalid UTF-8 as U+FFFD.
pub(super) fn form_pairs_bytes(input: &[u8]) -> Vec<(Cow<'_, str>, Cow<'_, str>)> {
    match core::str::from_utf8(input) {
        Ok(text) => form_pairs(text).collect(),
        Err(_) => form_urlencoded::parse(input).collect(),
    }
}

/// One name or value of [`form_pairs`].
fn form_decode(text: &str) -> Cow<'_, str> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'+' => out.push(b' '),
            b'%' => match (hex(bytes.get(i + 1)), hex(bytes.get(i + 2))) {
                (Some(high), Some(low)) => {
                    out.push(high << 4 | low);
                    i += 3;
                    continue;
                }
                _ => out.push(b'%'),
            },
            other => out.push(other),
        }
        i += 1;
    }
    match String::from_utf8(out) {
        Ok(text) => Cow::Owned(text),
        Err(e) => Cow::Owned(String::from_utf8_lossy(e.as_bytes()).into_owned()),
    }
}

/// The value of one hexadecimal digit, in either case.
fn hex(byte: Option<&u8>) -> Option<u8> {
    char::from(*byte?)
        .to_digit(16)
        .and_then(|d| u8::try_from(d).ok())
}
