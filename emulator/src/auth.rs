//! Request signatures, as the real service checks them: RPC signature version 1.0
//! (HMAC-SHA1 over the sorted parameters) and `ACS3-HMAC-SHA256` (over the canonical request).
//! Both sides live here, so that a signature is defined once: the [`Authenticator`] that
//! verifies and the functions a client signs with ([`sign_rpc`], [`sign_acs3`]), used by the
//! tests and load generators.
//!
//! # The checks, in order
//!
//! A request with an `Authorization` header is ACS3-signed; any other is RPC-signed (see
//! [`Scheme`]).
//!
//! 1. The form: ACS3: the header is `ACS3-HMAC-SHA256 Credential=ID,SignedHeaders=a;b,Signature=HEX`
//!    (any other algorithm, or a malformed header, is `IncompleteSignature`); `x-acs-date` and
//!    `x-acs-signature-nonce` are present (else `MissingParameter`); every `x-acs-*` header
//!    of the request and `host` are signed (else `IncompleteSignature`). RPC: `AccessKeyId`,
//!    `Signature`, `SignatureNonce`, `Timestamp` are present and not empty (else
//!    `MissingParameter`), `SignatureMethod` is `HMAC-SHA1` and `SignatureVersion`, when
//!    given, `1.0` (else `IncompleteSignature`).
//!    RPC reads these from the parameters in one scan that decodes no other pair
//!    ([`SentParams::first`]): a request is decoded whole only once its key and its timestamp
//!    passed.
//! 2. The timestamp is `YYYY-MM-DDThh:mm:ssZ` (else `InvalidTimeStamp.Format`).
//! 3. The key is configured (else `InvalidAccessKeyId.NotFound`).
//! 4. The timestamp is at most 15 minutes from the emulator's clock, either way (else
//!    `InvalidTimeStamp.Expired`).
//! 5. The signature matches, compared in constant time (else `SignatureDoesNotMatch`).
//! 6. The nonce was not used by this key within the window (else `SignatureNonceUsed`). Only a
//!    request that passed every other check spends its nonce.
//!
//! ```
//! use smartag_emulator::auth::{rpc_signature, rpc_string_to_sign};
//!
//! let params = [("Action", "DescribeSmartAccessGatewayClientUsers"), ("RegionId", "cn-shanghai")];
//! let text = rpc_string_to_sign("GET", &params);
//! assert_eq!(
//!     text,
//!     "GET&%2F&Action%3DDescribeSmartAccessGatewayClientUsers%26RegionId%3Dcn-shanghai"
//! );
//! assert_eq!(rpc_signature("testsecret", &text).len(), 28);
//! ```

use core::fmt;
use std::borrow::Cow;
use std::cell::OnceCell;
use std::collections::hash_map::RandomState;
use std::collections::{BTreeMap, HashSet};
use std::hash::BuildHasher;
use std::sync::{Mutex, PoisonError};

use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha1::Sha1;
use sha2::{Digest, Sha256};
use smartag_rules::Error;
use subtle::ConstantTimeEq;

use crate::clock::{parse_timestamp, Clock};
use crate::config::AccessKey;

/// How far a request's timestamp may be from the emulator's clock, either way, in seconds.
pub const TIMESTAMP_WINDOW_SECONDS: i64 = 15 * 60;

/// The only `SignatureMethod` of RPC signature version 1.0 the SDKs use.
pub const RPC_SIGNATURE_METHOD: &str = "HMAC-SHA1";
/// The RPC `SignatureVersion`.
pub const RPC_SIGNATURE_VERSION: &str = "1.0";
/// The algorithm name of the `Authorization` header.
pub const ACS3_ALGORITHM: &str = "ACS3-HMAC-SHA256";
/// The parameters an RPC signature brings itself, in the order the checks read them: the four
/// required ones, then `SignatureMethod` and `SignatureVersion`.
pub const RPC_SIGNATURE_PARAMS: [&str; 6] = [
    "AccessKeyId",
    "Signature",
    "SignatureNonce",
    "Timestamp",
    "SignatureMethod",
    "SignatureVersion",
];
/// The header of an ACS3 request's timestamp.
pub const ACS3_DATE_HEADER: &str = "x-acs-date";
/// The header of an ACS3 request's nonce.
pub const ACS3_NONCE_HEADER: &str = "x-acs-signature-nonce";
/// The header of an ACS3 request's body hash.
pub const ACS3_CONTENT_SHA256_HEADER: &str = "x-acs-content-sha256";

/// How many nonces are remembered at most (about 40 MiB); past it the oldest minute's nonces
/// are forgotten first, so that memory stays bounded under any load.
pub const NONCE_CAPACITY: usize = 1 << 21;

/// Percent-encodes as RFC 3986 asks and both signatures use: letters, digits and `-._~` stay,
/// every other byte of the UTF-8 text becomes `%XX` (upper-case hex).
///
/// ```
/// use smartag_emulator::auth::percent_encode;
/// assert_eq!(percent_encode("a b*c~d/é"), "a%20b%2Ac~d%2F%C3%A9");
/// ```
pub fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 2);
    percent_encode_into(&mut out, text);
    out
}

/// Whether [`percent_encode`] keeps a byte as it is: ASCII letters, digits and `-._~`.
fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~')
}

/// [`percent_encode`], appended to `out`; runs of unreserved characters are copied whole.
fn percent_encode_into(out: &mut String, text: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let bytes = text.as_bytes();
    let mut run_start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if is_unreserved(b) {
            continue;
        }
        // A run of unreserved ASCII starts and ends on character boundaries.
        out.push_str(text.get(run_start..i).unwrap_or_default());
        out.push('%');
        out.push(char::from(HEX[usize::from(b >> 4)]));
        out.push(char::from(HEX[usize::from(b & 0xf)]));
        run_start = i + 1;
    }
    out.push_str(text.get(run_start..).unwrap_or_default());
}

/// The pairs, each side [`percent_encode`]d (borrowed when nothing needs encoding), sorted by
/// key, then value.
fn encoded_sorted<'a>(
    params: impl Iterator<Item = (&'a str, &'a str)>,
) -> Vec<(Cow<'a, str>, Cow<'a, str>)> {
    let mut pairs: Vec<(Cow<'a, str>, Cow<'a, str>)> = params
        .map(|(k, v)| (encode_cow(k), encode_cow(v)))
        .collect();
    pairs.sort_unstable();
    pairs
}

fn encode_cow(text: &str) -> Cow<'_, str> {
    if text.bytes().all(is_unreserved) {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(percent_encode(text))
    }
}

/// `key=value` pairs, each side [`percent_encode`]d, sorted (by key, then value), joined by `&`:
/// the canonical query of both schemes.
fn canonical_query<'a>(params: impl Iterator<Item = (&'a str, &'a str)>) -> String {
    let mut out = String::new();
    write_pairs(
        &mut out,
        &encoded_sorted(params),
        String::push_str,
        "=",
        "&",
    );
    out
}

/// Appends the pairs to `out`, each side written by `write`, key and value joined by `equals`,
/// pairs by `and`: the one joining loop of [`canonical_query`] and [`rpc_string_to_sign`].
fn write_pairs(
    out: &mut String,
    pairs: &[(Cow<'_, str>, Cow<'_, str>)],
    write: fn(&mut String, &str),
    equals: &str,
    and: &str,
) {
    for (i, (k, v)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push_str(and);
        }
        write(out, k);
        out.push_str(equals);
        write(out, v);
    }
}

/// The string an RPC signature signs: `METHOD&%2F&` and the encoded canonical query of every
/// parameter but `Signature` (the pairs as owned or borrowed text, decoded).
pub fn rpc_string_to_sign<K: AsRef<str>, V: AsRef<str>>(method: &str, params: &[(K, V)]) -> String {
    let pairs = encoded_sorted(
        params
            .iter()
            .map(|(k, v)| (k.as_ref(), v.as_ref()))
            .filter(|(k, _)| *k != "Signature"),
    );
    // The canonical query, encoded once more as it is written: `=` is `%3D`, `&` is `%26`.
    let mut out = String::with_capacity(
        16 + pairs
            .iter()
            .map(|(k, v)| 2 * (k.len() + v.len()) + 6)
            .sum::<usize>(),
    );
    out.push_str(method);
    out.push_str("&%2F&");
    write_pairs(&mut out, &pairs, percent_encode_into, "%3D", "%26");
    out
}

/// The RPC signature of `string_to_sign`: HMAC-SHA1 keyed with `SECRET&`, base64.
pub fn rpc_signature(secret: &str, string_to_sign: &str) -> String {
    // HMAC takes keys of any length: the error branch is never taken, and its empty signature
    // would match nothing.
    let Ok(mut mac) = <Hmac<Sha1> as Mac>::new_from_slice(format!("{secret}&").as_bytes()) else {
        return String::new();
    };
    mac.update(string_to_sign.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

/// Lower-case hex of some bytes.
fn hex(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    bytes
        .iter()
        .flat_map(|b| [HEX[usize::from(b >> 4)], HEX[usize::from(b & 0xf)]])
        .map(char::from)
        .collect()
}

/// The SHA-256 of a body, lower-case hex (`x-acs-content-sha256`).
pub fn sha256_hex(body: &[u8]) -> String {
    hex(&Sha256::digest(body))
}

/// The canonical request of an ACS3 signature: the method, the path, the canonical query of
/// the query's parameters, one `name:value` line per signed header (names lower-case, sorted,
/// values trimmed), a blank line, the signed header names joined by `;`, and the body's hash.
/// `headers` are looked up by name in any case; a signed header the request lacks signs as
/// empty.
pub fn acs3_canonical_request(
    method: &str,
    path: &str,
    query: &[(String, String)],
    headers: &[(String, String)],
    signed_headers: &[String],
    body_sha256: &str,
) -> String {
    let query = canonical_query(query.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    let mut names: Vec<String> = signed_headers
        .iter()
        .map(|n| n.to_ascii_lowercase())
        .collect();
    names.sort_unstable();
    names.dedup();
    let mut out = format!("{method}\n{path}\n{query}\n");
    for name in &names {
        let value = headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map_or("", |(_, v)| v.trim());
        out.push_str(name);
        out.push(':');
        out.push_str(value);
        out.push('\n');
    }
    out.push('\n');
    out.push_str(&names.join(";"));
    out.push('\n');
    out.push_str(body_sha256);
    out
}

/// The string an ACS3 signature signs: `ACS3-HMAC-SHA256\n` and the canonical request's
/// SHA-256 in hex.
pub fn acs3_string_to_sign(canonical_request: &str) -> String {
    format!(
        "{ACS3_ALGORITHM}\n{}",
        sha256_hex(canonical_request.as_bytes())
    )
}

/// The ACS3 signature of a canonical request: HMAC-SHA256, keyed with the secret, of its
/// [`acs3_string_to_sign`]; lower-case hex.
pub fn acs3_signature(secret: &str, canonical_request: &str) -> String {
    let string_to_sign = acs3_string_to_sign(canonical_request);
    // As in `rpc_signature`: never taken, and the empty signature would match nothing.
    let Ok(mut mac) = <Hmac<Sha256> as Mac>::new_from_slice(secret.as_bytes()) else {
        return String::new();
    };
    mac.update(string_to_sign.as_bytes());
    hex(&mac.finalize().into_bytes())
}

/// Signs a request the RPC way, as the SDKs do: `params` (the business parameters, `Action`
/// and `Version` included) gain `AccessKeyId`, `SignatureMethod`, `SignatureVersion`,
/// `SignatureNonce`, `Timestamp` and finally `Signature`. Send them as the query string.
///
/// ```
/// use smartag_emulator::auth::{sign_rpc, encode_query};
/// use smartag_emulator::AccessKey;
///
/// let key = AccessKey::new("testid", "testsecret")?;
/// let params = sign_rpc(
///     &key,
///     "GET",
///     &[("Action", "DescribeSmartAccessGatewayClientUsers"), ("RegionId", "cn-shanghai")],
///     "2026-01-02T03:04:05Z",
///     "0123456789abcdef0123456789abcdef",
/// );
/// assert_eq!(params.last().map(|(k, _)| k.as_str()), Some("Signature"));
/// assert!(encode_query(&params).starts_with("Action=DescribeSmartAccessGatewayClientUsers&"));
/// # Ok::<(), smartag_emulator::config::InvalidAccessKey>(())
/// ```
pub fn sign_rpc(
    key: &AccessKey,
    method: &str,
    params: &[(&str, &str)],
    timestamp: &str,
    nonce: &str,
) -> Vec<(String, String)> {
    let mut signed: Vec<(String, String)> = params
        .iter()
        .map(|&(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    for (k, v) in [
        ("AccessKeyId", key.id()),
        ("SignatureMethod", RPC_SIGNATURE_METHOD),
        ("SignatureVersion", RPC_SIGNATURE_VERSION),
        ("SignatureNonce", nonce),
        ("Timestamp", timestamp),
    ] {
        signed.push((k.to_owned(), v.to_owned()));
    }
    let signature = rpc_signature(key.secret().expose(), &rpc_string_to_sign(method, &signed));
    signed.push(("Signature".to_owned(), signature));
    signed
}

/// What an ACS3 signature covers of a request a client is about to send.
#[derive(Clone, Copy, Debug)]
pub struct Acs3Request<'a> {
    /// `GET` or `POST`.
    pub method: &'a str,
    /// The `host` header: the emulator's `HOST:PORT`.
    pub host: &'a str,
    /// The path: `/` for the API, `/_emulator/...` for a control endpoint.
    pub path: &'a str,
    /// The `Action`, sent as `x-acs-action`.
    pub action: &'a str,
    /// The query's parameters (not yet encoded).
    pub params: &'a [(&'a str, &'a str)],
    /// The body.
    pub body: &'a [u8],
}

/// Signs a request the ACS3 way, as the newer SDKs do: the headers to send with the request's
/// parameters as the query string and its body (`host`, `x-acs-action`, `x-acs-version`,
/// `x-acs-date`, `x-acs-signature-nonce`, `x-acs-content-sha256` and `Authorization`).
pub fn sign_acs3(
    key: &AccessKey,
    request: &Acs3Request<'_>,
    timestamp: &str,
    nonce: &str,
) -> Vec<(String, String)> {
    let Acs3Request {
        method,
        host,
        path,
        action,
        params,
        body,
    } = *request;
    let body_sha256 = sha256_hex(body);
    let mut headers: Vec<(String, String)> = [
        ("host", host),
        ("x-acs-action", action),
        ("x-acs-version", smartag_rules::wire::API_VERSION),
        (ACS3_DATE_HEADER, timestamp),
        (ACS3_NONCE_HEADER, nonce),
        (ACS3_CONTENT_SHA256_HEADER, body_sha256.as_str()),
    ]
    .iter()
    .map(|&(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    let signed: Vec<String> = headers.iter().map(|(k, _)| k.clone()).collect();
    let query: Vec<(String, String)> = params
        .iter()
        .map(|&(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    let canonical = acs3_canonical_request(method, path, &query, &headers, &signed, &body_sha256);
    let signature = acs3_signature(key.secret().expose(), &canonical);
    headers.push((
        "Authorization".to_owned(),
        format!(
            "{ACS3_ALGORITHM} Credential={},SignedHeaders={},Signature={signature}",
            key.id(),
            signed.join(";")
        ),
    ));
    headers
}

/// Parameters as a query string, each side [`percent_encode`]d, in the order given.
pub fn encode_query(params: &[(String, String)]) -> String {
    params
        .iter()
        .map(|(k, v)| format!("{}={}", percent_encode(k), percent_encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// How a request says which key sends it, read from its `Authorization` header alone: a
/// request without one is RPC-signed (the signature is in its parameters); `Basic` (the scheme
/// name in any case, as RFC 7235 has it) is HTTP Basic, which only the control endpoints take;
/// any other is ACS3-signed (an algorithm other than `ACS3-HMAC-SHA256` is refused as
/// `IncompleteSignature`).
///
/// What a scheme signs decides where a request's `Action` and `Version` come from: under RPC
/// signing only the parameters are signed, so only they count (an `x-acs-action` header is
/// ignored); under ACS3 the `x-acs-*` headers are signed too.
///
/// ```
/// use smartag_emulator::auth::Scheme;
///
/// assert_eq!(Scheme::of(None), Scheme::Rpc);
/// assert_eq!(Scheme::of(Some("basic dGVzdGlkOnRlc3RzZWNyZXQ=")), Scheme::Basic("dGVzdGlkOnRlc3RzZWNyZXQ="));
/// assert_eq!(Scheme::of(Some("ACS3-HMAC-SHA256 Credential=a,SignedHeaders=host,Signature=00")), Scheme::Acs3);
/// assert_eq!(Scheme::of(Some("Basically")), Scheme::Acs3);
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Scheme<'a> {
    /// No `Authorization` header: RPC signature version 1.0, in the parameters.
    Rpc,
    /// `Basic CREDENTIALS`: the base64 credentials, as sent (trimmed).
    Basic(&'a str),
    /// Any other `Authorization` header: `ACS3-HMAC-SHA256`.
    Acs3,
}

impl<'a> Scheme<'a> {
    /// The scheme of a request whose `Authorization` header is `authorization`.
    pub fn of(authorization: Option<&'a str>) -> Scheme<'a> {
        let Some(value) = authorization else {
            return Scheme::Rpc;
        };
        let value = value.trim();
        let (name, credentials) = value.split_once([' ', '\t']).unwrap_or((value, ""));
        if name.eq_ignore_ascii_case("basic") {
            Scheme::Basic(credentials.trim())
        } else {
            Scheme::Acs3
        }
    }

    /// Whether a signature of this scheme covers a body that is not form parameters: ACS3 signs
    /// the body's SHA-256, HTTP Basic carries the secret itself; an RPC signature covers the
    /// parameters alone.
    pub fn covers_any_body(self) -> bool {
        !matches!(self, Scheme::Rpc)
    }
}

/// The parameters a request sent, as an RPC signature covers them: the query string's pairs,
/// then those of a form body, percent-decoded (`+` is a space, invalid UTF-8 becomes U+FFFD),
/// in order, repeated names repeated. The checks before the signature look a few of them up
/// by name ([`SentParams::first`]) without decoding the others; the signature is computed over
/// pairs borrowed from the text ([`SentParams::borrowed`]), and only an authenticated request's
/// are decoded into owned strings ([`SentParams::all`]), so that an unknown key or a stale
/// timestamp costs a scan of the text and a wrong signature no allocation per pair.
///
/// `Debug` shows the sizes, never a value.
///
/// ```
/// use smartag_emulator::auth::SentParams;
///
/// let params = SentParams::new("Action=RoamClientUser&RegionId=cn-shanghai", Some(b"UserName=a+b&RegionId=x"));
/// let [region, user, none] = params.first(["RegionId", "UserName", "Version"]);
/// assert_eq!((region.as_deref(), user.as_deref(), none), (Some("cn-shanghai"), Some("a b"), None));
/// assert_eq!(params.all().len(), 4);
/// assert_eq!(params.borrowed(), params.all().iter().map(|(k, v)| (k.into(), v.into())).collect::<Vec<_>>());
/// ```
pub struct SentParams<'a> {
    query: &'a [u8],
    form: &'a [u8],
    decoded: OnceCell<Vec<(String, String)>>,
}

impl<'a> SentParams<'a> {
    /// The parameters of `query` (percent-encoded, without the `?`) and of `form_body`, a body
    /// whose pairs join the query's (`None` for a `GET`, or a body of another type).
    pub fn new(query: &'a str, form_body: Option<&'a [u8]>) -> SentParams<'a> {
        SentParams {
            query: query.as_bytes(),
            form: form_body.unwrap_or_default(),
            decoded: OnceCell::new(),
        }
    }

    fn pairs(&self) -> impl Iterator<Item = (Cow<'a, str>, Cow<'a, str>)> {
        form_urlencoded::parse(self.query).chain(form_urlencoded::parse(self.form))
    }

    /// The first value of each of `names`, in one pass that stops once all are found and keeps
    /// no other pair.
    pub fn first<const N: usize>(&self, names: [&str; N]) -> [Option<Cow<'a, str>>; N] {
        let mut found: [Option<Cow<'a, str>>; N] = std::array::from_fn(|_| None);
        let mut missing = N;
        for (name, value) in self.pairs() {
            if missing == 0 {
                break;
            }
            let slot = names
                .iter()
                .zip(found.iter_mut())
                .find(|(n, slot)| slot.is_none() && **n == name)
                .map(|(_, slot)| slot);
            if let Some(slot) = slot {
                *slot = Some(value);
                missing -= 1;
            }
        }
        found
    }

    /// Every pair, decoded on the first call (the parameters an authenticated request is
    /// answered from).
    pub fn all(&self) -> &[(String, String)] {
        self.decoded.get_or_init(|| {
            self.pairs()
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect()
        })
    }

    /// Every pair, decoded afresh and kept by no one: borrowed from the text where nothing
    /// needed decoding, so that a large body refused by its signature costs no allocation per
    /// pair (what the signature is computed over).
    pub fn borrowed(&self) -> Vec<(Cow<'a, str>, Cow<'a, str>)> {
        self.pairs().collect()
    }
}

impl fmt::Debug for SentParams<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SentParams")
            .field("query_len", &self.query.len())
            .field("form_len", &self.form.len())
            .field("decoded", &self.decoded.get().map(Vec::len))
            .finish()
    }
}

/// What an authenticator reads of a request: everything either scheme signs.
#[derive(Clone, Copy, Debug)]
pub struct SignedRequest<'a> {
    /// `GET` or `POST`.
    pub method: &'a str,
    /// The path (`/`).
    pub path: &'a str,
    /// The query string, as received (percent-encoded, without the `?`).
    pub query: &'a str,
    /// The parameters sent (the query's, then a form body's): what an RPC signature covers.
    pub params: &'a SentParams<'a>,
    /// The headers, names and values as received.
    pub headers: &'a [(String, String)],
    /// The body.
    pub body: &'a [u8],
}

impl<'a> SignedRequest<'a> {
    fn header(&self, name: &str) -> Option<&'a str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// The parts of an `Authorization: ACS3-HMAC-SHA256 ...` header.
#[derive(Debug, PartialEq, Eq)]
struct Acs3Authorization<'a> {
    credential: &'a str,
    signed_headers: Vec<String>,
    signature: &'a str,
}

fn parse_authorization(value: &str) -> Result<Acs3Authorization<'_>, Error> {
    let (algorithm, rest) = value
        .trim()
        .split_once(' ')
        .ok_or(Error::IncompleteSignature)?;
    if algorithm != ACS3_ALGORITHM {
        return Err(Error::IncompleteSignature);
    }
    let (mut credential, mut signed, mut signature) = (None, None, None);
    for part in rest.split(',') {
        let (name, value) = part
            .trim()
            .split_once('=')
            .ok_or(Error::IncompleteSignature)?;
        let slot = match name {
            "Credential" => &mut credential,
            "SignedHeaders" => &mut signed,
            "Signature" => &mut signature,
            _ => return Err(Error::IncompleteSignature),
        };
        if slot.replace(value).is_some() || value.is_empty() {
            return Err(Error::IncompleteSignature);
        }
    }
    match (credential, signed, signature) {
        (Some(credential), Some(signed), Some(signature)) => Ok(Acs3Authorization {
            credential,
            signed_headers: signed.split(';').map(str::to_ascii_lowercase).collect(),
            signature,
        }),
        _ => Err(Error::IncompleteSignature),
    }
}

/// Verifies signatures and remembers nonces.
#[derive(Debug)]
pub struct Authenticator {
    nonces: Mutex<NonceCache>,
}

impl Default for Authenticator {
    fn default() -> Self {
        Authenticator::new()
    }
}

impl Authenticator {
    /// An authenticator that has seen no nonce.
    pub fn new() -> Authenticator {
        Authenticator {
            nonces: Mutex::new(NonceCache::new(NONCE_CAPACITY)),
        }
    }

    /// Checks `request` (see the module's documentation for the order), `key_of` answering
    /// the configured key of an ID; answers the key the request is signed with.
    ///
    /// # Errors
    ///
    /// The [`Refusal`] of the first check that fails.
    pub fn verify<'a, 'k>(
        &self,
        request: &SignedRequest<'a>,
        clock: &dyn Clock,
        key_of: impl Fn(&str) -> Option<&'k AccessKey>,
    ) -> Result<&'k AccessKey, Refusal> {
        let now = clock.unix_seconds();
        let (key, timestamp, nonce, matches, string_to_sign) =
            if let Some(authorization) = request.header("authorization") {
                let auth = parse_authorization(authorization)?;
                let timestamp = request.header(ACS3_DATE_HEADER);
                let nonce = request.header(ACS3_NONCE_HEADER);
                let (Some(timestamp), Some(nonce)) = (timestamp, nonce) else {
                    return Err(Error::MissingParameter.into());
                };
                let unsigned = request.headers.iter().any(|(name, _)| {
                    let name = name.to_ascii_lowercase();
                    (name.starts_with("x-acs-") || name == "host")
                        && !auth.signed_headers.contains(&name)
                });
                if unsigned || nonce.is_empty() {
                    return Err(Error::IncompleteSignature.into());
                }
                let ts = parse_timestamp(timestamp).ok_or(Error::TimestampFormat)?;
                let key = key_of(auth.credential).ok_or(Error::AccessKeyNotFound)?;
                check_window(ts, now)?;
                let query: Vec<(String, String)> = form_urlencoded::parse(request.query.as_bytes())
                    .map(|(k, v)| (k.into_owned(), v.into_owned()))
                    .collect();
                let canonical = acs3_canonical_request(
                    request.method,
                    request.path,
                    &query,
                    request.headers,
                    &auth.signed_headers,
                    &sha256_hex(request.body),
                );
                let expected = acs3_signature(key.secret().expose(), &canonical);
                let matches = constant_time_eq(&expected, &auth.signature.to_ascii_lowercase());
                let string_to_sign = acs3_string_to_sign(&canonical);
                (key, ts, Cow::Borrowed(nonce), matches, string_to_sign)
            } else {
                // One scan for the names the checks before the signature need: the rest of the
                // pairs are decoded only once the key and the timestamp are known good.
                let [key_id, signature, nonce, timestamp, method, version] =
                    request.params.first(RPC_SIGNATURE_PARAMS);
                let present = |v: Option<Cow<'a, str>>| v.filter(|v| !v.is_empty());
                let (Some(key_id), Some(signature), Some(nonce), Some(timestamp)) = (
                    present(key_id),
                    present(signature),
                    present(nonce),
                    present(timestamp),
                ) else {
                    return Err(Error::MissingParameter.into());
                };
                if method.as_deref() != Some(RPC_SIGNATURE_METHOD)
                    || version.is_some_and(|v| v != RPC_SIGNATURE_VERSION)
                {
                    return Err(Error::IncompleteSignature.into());
                }
                let ts = parse_timestamp(&timestamp).ok_or(Error::TimestampFormat)?;
                let key = key_of(&key_id).ok_or(Error::AccessKeyNotFound)?;
                check_window(ts, now)?;
                let string_to_sign = rpc_string_to_sign(request.method, &request.params.borrowed());
                let expected = rpc_signature(key.secret().expose(), &string_to_sign);
                let matches = constant_time_eq(&expected, &signature);
                (key, ts, nonce, matches, string_to_sign)
            };
        if !matches {
            return Err(Refusal {
                error: Error::SignatureDoesNotMatch,
                string_to_sign: Some(string_to_sign),
            });
        }
        let fresh = self
            .nonces
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(key.id(), &nonce, timestamp + TIMESTAMP_WINDOW_SECONDS, now);
        if !fresh {
            return Err(Error::SignatureNonceUsed.into());
        }
        Ok(key)
    }
}

/// Why a request's authentication failed: the gateway error, and for
/// `SignatureDoesNotMatch` the string the emulator signed, which the real service appends to
/// the message (`... server string to sign is:GET&%2F&...`) and the older SDK reads back: when it
/// equals its own, the SDK reports `InvalidAccessKeySecret`.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Refusal {
    /// The gateway error.
    pub error: Error,
    /// The string the emulator signed, for `SignatureDoesNotMatch`.
    pub string_to_sign: Option<String>,
}

impl From<Error> for Refusal {
    fn from(error: Error) -> Refusal {
        Refusal {
            error,
            string_to_sign: None,
        }
    }
}

impl Refusal {
    /// What the real service appends to the message of `SignatureDoesNotMatch`.
    pub const STRING_TO_SIGN_PREFIX: &'static str = " server string to sign is:";
}

fn check_window(timestamp: i64, now: i64) -> Result<(), Error> {
    if timestamp.abs_diff(now) > TIMESTAMP_WINDOW_SECONDS.unsigned_abs() {
        Err(Error::TimestampExpired)
    } else {
        Ok(())
    }
}

fn constant_time_eq(expected: &str, given: &str) -> bool {
    expected.as_bytes().ct_eq(given.as_bytes()).into()
}

/// The nonces seen within the window, by the minute they expire in: a lookup is one hash probe;
/// expired minutes are dropped whole; past the capacity the oldest minute goes first.
#[derive(Debug)]
struct NonceCache {
    hasher: RandomState,
    seen: HashSet<u64>,
    by_expiry: BTreeMap<i64, Vec<u64>>,
    capacity: usize,
}

impl NonceCache {
    fn new(capacity: usize) -> NonceCache {
        NonceCache {
            hasher: RandomState::new(),
            seen: HashSet::new(),
            by_expiry: BTreeMap::new(),
            capacity,
        }
    }

    /// Remembers the nonce of `key_id` until `expires` (seconds); false when it is remembered
    /// already.
    fn insert(&mut self, key_id: &str, nonce: &str, expires: i64, now: i64) -> bool {
        while let Some(entry) = self.by_expiry.first_entry() {
            if *entry.key() * 60 + 59 >= now && self.seen.len() < self.capacity {
                break;
            }
            for hash in entry.remove() {
                self.seen.remove(&hash);
            }
        }
        let hash = self.hasher.hash_one((key_id, nonce));
        if !self.seen.insert(hash) {
            return false;
        }
        self.by_expiry
            .entry(expires.div_euclid(60))
            .or_default()
            .push(hash);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nonces_are_forgotten_after_their_minute_and_past_capacity() {
        let mut cache = NonceCache::new(3);
        assert!(cache.insert("k", "a", 1_000, 100));
        assert!(!cache.insert("k", "a", 1_000, 100));
        assert!(cache.insert("other", "a", 1_000, 100), "nonces are per key");
        // Still remembered up to the end of the minute it expires in.
        assert!(!cache.insert("k", "a", 1_000, 1_019));
        // Gone once that minute is over.
        assert!(cache.insert("k", "a", 2_000, 1_020));
        // Past capacity the oldest minute goes first.
        assert!(cache.insert("k", "b", 3_000, 1_020));
        assert!(cache.insert("k", "c", 3_000, 1_020));
        assert!(cache.insert("k", "d", 3_000, 1_020));
        assert!(cache.seen.len() <= 3);
        assert!(
            cache.insert("k", "a", 4_000, 1_020),
            "the oldest minute was dropped"
        );
    }

    #[test]
    fn percent_encoding_matches_the_byte_by_byte_definition() {
        let reference = |text: &str| -> String {
            text.bytes()
                .map(|b| {
                    if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                        char::from(b).to_string()
                    } else {
                        format!("%{b:02X}")
                    }
                })
                .collect()
        };
        for text in [
            "",
            "plain-._~",
            "a b",
            "é",
            "x€y",
            "😀",
            "%+&=*/",
            "a😀b c",
            "ÿ~",
        ] {
            assert_eq!(percent_encode(text), reference(text), "{text}");
            assert_eq!(encode_cow(text), reference(text), "{text}");
        }
    }

    #[test]
    fn authorization_headers_parse_strictly() {
        let ok = parse_authorization(
            "ACS3-HMAC-SHA256 Credential=testid,SignedHeaders=host;X-Acs-Date,Signature=ab",
        );
        assert_eq!(
            ok,
            Ok(Acs3Authorization {
                credential: "testid",
                signed_headers: vec!["host".into(), "x-acs-date".into()],
                signature: "ab",
            })
        );
        for bad in [
            "",
            "ACS3-HMAC-SHA256",
            "HMAC-SHA1 Credential=a,SignedHeaders=host,Signature=ab",
            "ACS3-HMAC-SHA256 Credential=a,SignedHeaders=host",
            "ACS3-HMAC-SHA256 Credential=a,SignedHeaders=host,Signature=",
            "ACS3-HMAC-SHA256 Credential=a,Credential=b,SignedHeaders=host,Signature=ab",
            "ACS3-HMAC-SHA256 Credential=a,SignedHeaders=host,Signature=ab,Extra=1",
            "ACS3-HMAC-SHA256 Credential=a;SignedHeaders=host;Signature=ab",
        ] {
            assert_eq!(
                parse_authorization(bad),
                Err(Error::IncompleteSignature),
                "{bad}"
            );
        }
    }
}
