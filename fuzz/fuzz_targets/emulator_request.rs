//! Whole HTTP requests into the emulator's gateway (`Gateway::handle_now`: the request-handling
//! path of the server, without sockets): method, path, query parameters (as names worth trying
//! or raw text), headers, a form or other body, and a signature: none, RPC HMAC-SHA1 or
//! `ACS3-HMAC-SHA256`, with the right or a wrong secret, at a timestamp near or far from the
//! emulator's clock. Several requests run against one gateway (nonces repeat, users collide).
//!
//! Every answer is a well-formed response: a known status, a `Content-Type`, a body that is valid
//! JSON or XML as that type says. And a request signed with the right secret, at the right time,
//! with a fresh nonce and no signature parameter of its own, is never refused by the
//! authentication (no `SignatureDoesNotMatch`, `IncompleteSignature`, `InvalidTimeStamp.*`,
//! `InvalidAccessKeyId.NotFound` or `SignatureNonceUsed`).
//!
//! What a signature covers decides the request. A call may place its `Action` and `Version`
//! ([`Placement`]) as parameters, as `x-acs-action`/`x-acs-version` headers, both (agreeing or
//! not) or neither. Every call also runs on a twin gateway that gets only what the signature
//! covers: under RPC signing the same request without those headers (they are never signed
//! there); under ACS3, for a call signed as a client would, the request with the headers' values
//! moved into the signed query where the parameters lack them. Both answers must be the same,
//! byte for byte, and after a placed call both accounts too. A call whose action is named only
//! where no signature covers it (an RPC-signed call whose `Action` is a header) answers no
//! success and leaves the account as it was; an ACS3 call with an `x-acs-*` header left out of
//! its `SignedHeaders` is refused with `IncompleteSignature` and leaves it as it was too.
#![no_main]

use std::sync::Arc;

use arbitrary::Arbitrary;
use bytes::Bytes;
use libfuzzer_sys::fuzz_target;
use smartag_emulator::auth::{
    acs3_canonical_request, acs3_signature, encode_query, sha256_hex, sign_acs3, sign_rpc,
    Acs3Request, SentParams, ACS3_ALGORITHM, ACS3_CONTENT_SHA256_HEADER, ACS3_DATE_HEADER,
    ACS3_NONCE_HEADER,
};
use smartag_emulator::clock::{format_timestamp, parse_timestamp, FixedClock};
use smartag_emulator::{AccessKey, Config, Gateway};
use smartag_rules::wire::API_VERSION;

#[path = "common/params.rs"]
mod params;

use params::{Text, NAMES};

const NOW: &str = "2026-01-02T03:04:05Z";
const KEY_ID: &str = "fuzzid";
const SECRET: &str = "fuzzsecret";
const FIXTURES: &str = "instance sag-app1 region=cn-shanghai users=3 cidr=10.0.0.0/29\n\
                        instance sag-far1 region=ap-southeast-1 users=3 cidr=192.168.0.0/29";

/// The parameters a signature brings itself (the end of the names): a request that sends its
/// own is not one the oracle can predict.
const SIGNATURE_PARAMS: &[&str] = NAMES.split_at(NAMES.len() - 6).1;

const VALUES: [&str; 16] = [
    "CreateSmartAccessGatewayClientUser",
    "ModifySmartAccessGatewayClientUser",
    "DeleteSmartAccessGatewayClientUser",
    "DescribeSmartAccessGatewayClientUsers",
    "RoamClientUser",
    "cn-shanghai",
    "ap-southeast-1",
    "sag-app1",
    "sag-far1",
    "doctest1",
    "duuf1234",
    "a@example.com",
    "20",
    "10.0.0.2",
    "XML",
    "2018-03-13",
];

const HEADERS: [&str; 8] = [
    "content-type",
    "authorization",
    "x-acs-action",
    "x-acs-version",
    "x-acs-date",
    "x-acs-signature-nonce",
    "x-acs-content-sha256",
    "host",
];

/// Complete requests the fuzzed parameters are added to, so that signed requests that succeed
/// are common (the last one: no parameters of its own).
const TEMPLATES: [&[(&str, &str)]; 6] = [
    &[
        ("Action", "CreateSmartAccessGatewayClientUser"),
        ("RegionId", "cn-shanghai"),
        ("SmartAGId", "sag-app1"),
        ("UserName", "doctest1"),
        ("Password", "duuf1234"),
        ("UserMail", "a@example.com"),
    ],
    &[
        ("Action", "DescribeSmartAccessGatewayClientUsers"),
        ("RegionId", "cn-shanghai"),
        ("SmartAGId", "sag-app1"),
    ],
    &[
        ("Action", "ModifySmartAccessGatewayClientUser"),
        ("RegionId", "cn-shanghai"),
        ("SmartAGId", "sag-app1"),
        ("UserName", "doctest1"),
        ("Bandwidth", "30"),
    ],
    &[
        ("Action", "RoamClientUser"),
        ("RegionId", "ap-southeast-1"),
        ("OriginRegionId", "cn-shanghai"),
        ("OriginSmartAGId", "sag-app1"),
        ("TargetSmartAGId", "sag-far1"),
        ("UserName", "doctest1"),
    ],
    &[
        ("Action", "DeleteSmartAccessGatewayClientUser"),
        ("RegionId", "cn-shanghai"),
        ("SmartAGId", "sag-app1"),
        ("UserName", "doctest1"),
    ],
    &[],
];

/// How a call is signed: mostly right, so that the rest of the path is reached.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Signing {
    None,
    Rpc { right_secret: bool },
    Acs3 { right_secret: bool },
}

impl Signing {
    fn from_byte(b: u8) -> Signing {
        match b % 10 {
            0..=3 => Signing::Rpc { right_secret: true },
            4 => Signing::Rpc {
                right_secret: false,
            },
            5..=7 => Signing::Acs3 { right_secret: true },
            8 => Signing::Acs3 {
                right_secret: false,
            },
            _ => Signing::None,
        }
    }
}

#[derive(Arbitrary, Debug)]
pub struct Call {
    /// Mostly `GET` or `POST`; sometimes another method.
    pub method: u8,
    /// Mostly `/`; sometimes a control endpoint or an unknown path.
    pub path: u8,
    /// A [`TEMPLATES`] entry the parameters are added to.
    pub template: u8,
    pub params: Vec<(Text, Text)>,
    pub in_body: bool,
    pub raw_query: Option<String>,
    pub headers: Vec<(Text, String)>,
    pub body: Option<Vec<u8>>,
    pub signing: u8,
    /// Tens of seconds from the emulator's clock (the window is 90 of them either way).
    pub skew: i8,
    pub nonce: u8,
    /// Where the template's `Action` and a `Version` go; `None`: the `Action` a parameter, and
    /// under ACS3 both headers signed as the SDKs send them.
    pub placement: Option<Placement>,
}

/// Where a call's `Action` and `Version` go, and what its `x-acs-action`/`x-acs-version` headers
/// say.
#[derive(Arbitrary, Debug)]
pub struct Placement {
    /// Where the template's `Action` goes: a [`Place`].
    pub action: u8,
    /// Where a `Version` (`2018-03-13` as a parameter) goes: a [`Place`].
    pub version: u8,
    /// The `x-acs-action` header's value: a [`HEADER_ACTIONS`] entry (the first: the template's
    /// own action), so that it agrees with the parameter or not.
    pub header_action: u8,
    /// The `x-acs-version` header's value: a [`HEADER_VERSIONS`] entry.
    pub header_version: u8,
    /// Under ACS3, how the headers are sent: an [`Acs3Headers`].
    pub acs3: u8,
}

/// Where a value goes.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Place {
    Params,
    Headers,
    Both,
    Neither,
}

impl Place {
    fn from_byte(b: u8) -> Place {
        [Place::Params, Place::Headers, Place::Both, Place::Neither][usize::from(b) % 4]
    }

    fn in_params(self) -> bool {
        matches!(self, Place::Params | Place::Both)
    }

    fn in_headers(self) -> bool {
        matches!(self, Place::Headers | Place::Both)
    }
}

/// How an ACS3-signed call sends the headers its placement gives it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Acs3Headers {
    /// Named in `SignedHeaders`.
    Signed,
    /// Sent, but left out of `SignedHeaders`.
    Unsigned,
    /// Signed, then each sent a second time with another value, unsigned.
    Repeated,
}

impl Acs3Headers {
    fn from_byte(b: u8) -> Acs3Headers {
        [
            Acs3Headers::Signed,
            Acs3Headers::Unsigned,
            Acs3Headers::Repeated,
        ][usize::from(b) % 3]
    }
}

/// `x-acs-action` values: the first stands for the template's own action.
const HEADER_ACTIONS: [&str; 9] = [
    "",
    "DeleteSmartAccessGatewayClientUser",
    "ResetSmartAccessGatewayClientUserPassword",
    "DisableSmartAccessGatewayUser",
    "CreateSmartAccessGatewayClientUser",
    "DescribeSmartAccessGatewayClientUsers",
    "RoamClientUser",
    "NoSuchAction",
    "",
];

/// `x-acs-version` values: the API's and wrong ones.
const HEADER_VERSIONS: [&str; 4] = [API_VERSION, "2017-01-01", "", "2018-3-13"];

/// A placement, read.
struct Placed {
    action: Place,
    version: Place,
    acs3: Acs3Headers,
    /// The headers it sends, in order.
    headers: Vec<(&'static str, String)>,
}

impl Placement {
    fn read(&self, own_action: &str) -> Placed {
        let action = Place::from_byte(self.action);
        let version = Place::from_byte(self.version);
        let mut headers = Vec::new();
        if action.in_headers() {
            let value = match usize::from(self.header_action) % HEADER_ACTIONS.len() {
                0 => own_action,
                i => HEADER_ACTIONS[i],
            };
            headers.push(("x-acs-action", value.to_owned()));
        }
        if version.in_headers() {
            let value = HEADER_VERSIONS[usize::from(self.header_version) % HEADER_VERSIONS.len()];
            headers.push(("x-acs-version", value.to_owned()));
        }
        Placed {
            action,
            version,
            acs3: Acs3Headers::from_byte(self.acs3),
            headers,
        }
    }
}

/// Another value for a header sent twice: the second must count for nothing.
fn other_value(name: &str, value: &str) -> &'static str {
    match (name, value) {
        ("x-acs-action", "DeleteSmartAccessGatewayClientUser") => "DisableSmartAccessGatewayUser",
        ("x-acs-action", _) => "DeleteSmartAccessGatewayClientUser",
        (_, API_VERSION) => "2017-01-01",
        _ => API_VERSION,
    }
}

/// What an ACS3 signature of [`sign_acs3_with`] covers besides the headers.
struct Acs3Parts<'a> {
    method: &'a str,
    path: &'a str,
    /// The query's parameters.
    params: &'a [(String, String)],
    body: &'a [u8],
}

/// Signs the ACS3 way over the query's parameters, the body and the headers an SDK signs, plus
/// `extra` headers; answers every header to send.
fn sign_acs3_with(
    key: &AccessKey,
    parts: &Acs3Parts<'_>,
    extra: &[(&str, String)],
    timestamp: &str,
    nonce: &str,
) -> Vec<(String, String)> {
    let Acs3Parts {
        method,
        path,
        params,
        body,
    } = *parts;
    let body_sha256 = sha256_hex(body);
    let mut headers: Vec<(String, String)> = [
        ("host", "127.0.0.1:8080"),
        (ACS3_DATE_HEADER, timestamp),
        (ACS3_NONCE_HEADER, nonce),
        (ACS3_CONTENT_SHA256_HEADER, body_sha256.as_str()),
    ]
    .into_iter()
    .chain(extra.iter().map(|(k, v)| (*k, v.as_str())))
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    let signed: Vec<String> = headers.iter().map(|(k, _)| k.clone()).collect();
    let canonical = acs3_canonical_request(method, path, params, &headers, &signed, &body_sha256);
    let signature = acs3_signature(key.secret().expose(), &canonical);
    headers.push((
        "authorization".to_owned(),
        format!(
            "{ACS3_ALGORITHM} Credential={},SignedHeaders={},Signature={signature}",
            key.id(),
            signed.join(";")
        ),
    ));
    headers
}

/// A call made into a request, with the twin's request and what the checks expect.
struct Built {
    request: http::Request<Bytes>,
    /// What the twin gateway gets: the request less what no signature covers.
    twin: http::Request<Bytes>,
    /// Signed with the right secret, at the right time, with no signature parameter of its own:
    /// the authentication must let it through (given a fresh nonce).
    predictable: bool,
    /// The code the authentication must refuse it with.
    refused: Option<&'static str>,
    /// Its `Action` is named only where no signature covers it: it must answer no success and
    /// change nothing.
    inert: bool,
}

/// A copy of a request without the headers named.
fn copy_without(request: &http::Request<Bytes>, dropped: &[&str]) -> http::Request<Bytes> {
    let mut builder = http::Request::builder()
        .method(request.method().clone())
        .uri(request.uri().clone());
    for (name, value) in request.headers() {
        if !dropped.contains(&name.as_str()) {
            builder = builder.header(name, value);
        }
    }
    builder.body(request.body().clone()).unwrap_or_default()
}

/// What a twin gets when nothing is moved: the same request; with no `Authorization` header (RPC
/// signing, which covers no header) less its `x-acs-action` and `x-acs-version` headers.
fn unsigned_stripped(request: &http::Request<Bytes>) -> http::Request<Bytes> {
    if request.headers().contains_key(http::header::AUTHORIZATION) {
        copy_without(request, &[])
    } else {
        copy_without(request, &["x-acs-action", "x-acs-version"])
    }
}

fn request(call: &Call, key: &AccessKey, wrong: &AccessKey) -> Built {
    let Ok((request, facts)) = build(call, key, wrong, false) else {
        // Not a request hyper would ever hand over (a bad header name, say).
        let empty = || {
            http::Request::builder()
                .uri("/")
                .body(Bytes::new())
                .unwrap_or_default()
        };
        return Built {
            request: empty(),
            twin: empty(),
            predictable: false,
            refused: None,
            inert: false,
        };
    };
    let twin = if facts.twin_moved {
        // Built once more, the headers' values moved into the signed query.
        build(call, key, wrong, true)
            .map(|(twin, _)| twin)
            .expect("the twin is built from the same parts")
    } else {
        unsigned_stripped(&request)
    };
    Built {
        request,
        twin,
        predictable: facts.predictable,
        refused: facts.refused,
        inert: facts.inert,
    }
}

/// What [`build`] knows of a request besides the request itself.
struct Facts {
    /// The twin must be built with the headers' values moved into the query.
    twin_moved: bool,
    predictable: bool,
    refused: Option<&'static str>,
    inert: bool,
}

/// The request of a call; for `twin`, as the twin gets it when the headers' values are moved
/// into the signed query.
fn build(
    call: &Call,
    key: &AccessKey,
    wrong: &AccessKey,
    twin: bool,
) -> Result<(http::Request<Bytes>, Facts), ()> {
    let method = [
        "GET", "POST", "GET", "POST", "GET", "POST", "GET", "POST", "PUT", "get", "DELETE",
    ][usize::from(call.method) % 11];
    let path = [
        "/",
        "/",
        "/",
        "/",
        "/",
        "/",
        "/_emulator/reset",
        "/_emulator/fixtures",
        "/_emulator/health",
        // Read-only. Not `/_emulator/faults`: an armed fault would answer the probes that read
        // the accounts, which the checks below compare (faults have tests of their own).
        "/_emulator/state",
        // A connect changes the account as a request does (the twin gets the same, signed).
        "/_emulator/online",
        "/x",
    ][usize::from(call.path) % 12];
    let template = TEMPLATES[usize::from(call.template) % TEMPLATES.len()];
    let own_action = template
        .iter()
        .find(|(k, _)| *k == "Action")
        .map_or("", |(_, v)| *v);
    let placed = call.placement.as_ref().map(|p| p.read(own_action));
    let action_in_params = placed.as_ref().is_none_or(|p| p.action.in_params());
    let version_in_params = placed.as_ref().is_some_and(|p| p.version.in_params());
    let mut params: Vec<(String, String)> = template
        .iter()
        .filter(|(k, _)| *k != "Action" || action_in_params)
        .map(|&(k, v)| (k.to_owned(), v.to_owned()))
        .chain(version_in_params.then(|| ("Version".to_owned(), API_VERSION.to_owned())))
        .chain(
            call.params
                .iter()
                .map(|(n, v)| (n.get(&NAMES), v.get(&VALUES))),
        )
        .collect();
    let placed_headers = placed.as_ref().map_or(&[][..], |p| &p.headers[..]);
    let signing = Signing::from_byte(call.signing);
    let skew = i64::from(call.skew) * 10;
    let timestamp = format_timestamp(parse_timestamp(NOW).unwrap_or(0) + skew);
    let nonce = format!("nonce{}", call.nonce);
    let mut builder = http::Request::builder().method(method);
    let mut body = call.body.clone().unwrap_or_default();
    let form = method == "POST" && call.in_body;
    let plain = call.headers.is_empty() && call.raw_query.is_none();
    let own_signature_params = params
        .iter()
        .any(|(k, _)| SIGNATURE_PARAMS.contains(&k.as_str()));
    let right_secret = matches!(
        signing,
        Signing::Rpc { right_secret: true } | Signing::Acs3 { right_secret: true }
    );
    // Signed as a client would: the authentication has no reason to refuse it.
    let well_signed = right_secret
        && plain
        && path == "/"
        && skew.abs() <= 15 * 60
        && !own_signature_params
        && matches!(method, "GET" | "POST");
    let mut facts = Facts {
        twin_moved: false,
        predictable: well_signed,
        refused: None,
        inert: false,
    };
    let query = match signing {
        Signing::None => {
            for (name, value) in placed_headers {
                builder = builder.header(*name, value.as_str());
            }
            encode_query(&params)
        }
        Signing::Rpc { right_secret } => {
            let signer = if right_secret { key } else { wrong };
            let borrowed: Vec<(&str, &str)> = params
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            let signed = sign_rpc(signer, method, &borrowed, &timestamp, &nonce);
            // The placed headers go along unsigned: RPC signs no header.
            for (name, value) in placed_headers {
                builder = builder.header(*name, value.as_str());
            }
            let query = if form {
                body = encode_query(&signed).into_bytes();
                String::new()
            } else {
                encode_query(&signed)
            };
            let sent = SentParams::new(&query, form.then_some(&body[..]));
            let [action] = sent.first(["Action"]);
            facts.inert = well_signed
                && action.is_none()
                && placed.as_ref().is_some_and(|p| p.action.in_headers());
            query
        }
        Signing::Acs3 { right_secret } => {
            let signer = if right_secret { key } else { wrong };
            match &placed {
                None => {
                    let borrowed: Vec<(&str, &str)> = params
                        .iter()
                        .map(|(k, v)| (k.as_str(), v.as_str()))
                        .collect();
                    let headers = sign_acs3(
                        signer,
                        &Acs3Request {
                            method,
                            host: "127.0.0.1:8080",
                            path,
                            action: own_action_of(&params),
                            params: &borrowed,
                            body: &body,
                        },
                        &timestamp,
                        &nonce,
                    );
                    for (name, value) in headers {
                        builder = builder.header(name, value);
                    }
                }
                Some(placed) => {
                    facts.twin_moved = well_signed && placed.acs3 != Acs3Headers::Unsigned;
                    let (signed_extra, unsigned_extra): (Vec<_>, Vec<_>) = match placed.acs3 {
                        _ if twin => {
                            // The twin: the headers' values as signed parameters, where the
                            // parameters (the query's and a form body's) lack them.
                            let query = encode_query(&params);
                            let sent = SentParams::new(&query, form.then_some(&body[..]));
                            let [action, version] = sent.first(["Action", "Version"]);
                            let mut from_headers = Vec::new();
                            for (name, value) in &placed.headers {
                                let (param, present) = if *name == "x-acs-action" {
                                    ("Action", action.is_some())
                                } else {
                                    ("Version", version.is_some())
                                };
                                if !present {
                                    from_headers.push((param.to_owned(), value.clone()));
                                }
                            }
                            params.extend(from_headers);
                            (Vec::new(), Vec::new())
                        }
                        Acs3Headers::Signed => (placed.headers.clone(), Vec::new()),
                        Acs3Headers::Unsigned => (Vec::new(), placed.headers.clone()),
                        Acs3Headers::Repeated => {
                            let again = placed
                                .headers
                                .iter()
                                .map(|(name, value)| (*name, other_value(name, value).to_owned()))
                                .collect();
                            (placed.headers.clone(), again)
                        }
                    };
                    let parts = Acs3Parts {
                        method,
                        path,
                        params: &params,
                        body: &body,
                    };
                    let headers = sign_acs3_with(signer, &parts, &signed_extra, &timestamp, &nonce);
                    for (name, value) in headers {
                        builder = builder.header(name, value);
                    }
                    for (name, value) in &unsigned_extra {
                        builder = builder.header(*name, value.as_str());
                    }
                    if placed.acs3 == Acs3Headers::Unsigned && !placed.headers.is_empty() {
                        // A signed-looking request with an x-acs-* header left out of its
                        // SignedHeaders: refused, so that it changes nothing.
                        facts.predictable = false;
                        if well_signed {
                            facts.refused = Some("IncompleteSignature");
                            facts.inert = true;
                        }
                    }
                }
            }
            encode_query(&params)
        }
    };
    let query = match &call.raw_query {
        Some(raw) => format!("{query}&{raw}"),
        None => query,
    };
    if form {
        builder = builder.header("content-type", "application/x-www-form-urlencoded");
    }
    for (name, value) in &call.headers {
        builder = builder.header(name.get(&HEADERS), value.as_str());
    }
    let uri = if query.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{query}")
    };
    let request = builder.uri(uri).body(Bytes::from(body)).map_err(|_| ())?;
    Ok((request, facts))
}

/// The first `Action` of some parameters, or empty.
fn own_action_of(params: &[(String, String)]) -> &str {
    params
        .iter()
        .find(|(k, _)| k == "Action")
        .map_or("", |(_, v)| v.as_str())
}

/// The refusals of the authentication (its `MissingParameter` cannot happen to a signed
/// request, and the rules answer that code too).
const AUTH_CODES: [&str; 6] = [
    "SignatureDoesNotMatch",
    "IncompleteSignature",
    "InvalidTimeStamp.Expired",
    "InvalidTimeStamp.Format",
    "InvalidAccessKeyId.NotFound",
    "SignatureNonceUsed",
];

/// The requests that read what an account holds: both instances' users and the enterprise
/// codes.
const PROBES: [&[(&str, &str)]; 3] = [
    &[
        ("Action", "DescribeSmartAccessGatewayClientUsers"),
        ("RegionId", "cn-shanghai"),
        ("SmartAGId", "sag-app1"),
        ("PageSize", "50"),
    ],
    &[
        ("Action", "DescribeSmartAccessGatewayClientUsers"),
        ("RegionId", "ap-southeast-1"),
        ("SmartAGId", "sag-far1"),
        ("PageSize", "50"),
    ],
    &[
        ("Action", "ListEnterpriseCode"),
        ("RegionId", "cn-shanghai"),
    ],
];

/// What the key's account holds, as the [`PROBES`] answer it (request IDs left out): RPC-signed
/// reads with nonces of their own (`probe1`, `probe2`, ...; the next when a call spent one).
fn state(gateway: &Gateway, key: &AccessKey, probes: &mut u32) -> Vec<String> {
    PROBES
        .iter()
        .map(|params| loop {
            *probes += 1;
            let signed = sign_rpc(key, "GET", params, NOW, &format!("probe{probes}"));
            let request = http::Request::builder()
                .uri(format!("/?{}", encode_query(&signed)))
                .body(Bytes::new())
                .unwrap_or_default();
            let response = gateway.handle_now(request).response;
            let mut value: serde_json::Value =
                serde_json::from_slice(response.body()).expect("a JSON answer to a probe");
            if value.get("Code").and_then(|c| c.as_str()) == Some("SignatureNonceUsed") {
                continue;
            }
            if let Some(fields) = value.as_object_mut() {
                fields.remove("RequestId");
            }
            break format!("{} {value}", response.status().as_u16());
        })
        .collect()
}

/// An answer as the checks compare it: status, content type and body.
fn answer(response: &http::Response<Bytes>) -> (u16, String, String) {
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    (
        response.status().as_u16(),
        content_type.to_owned(),
        String::from_utf8_lossy(response.body()).into_owned(),
    )
}

/// Runs the calls (at most 16) against a fresh gateway and its twin, with every check: the
/// status and body of each answer.
pub fn check(calls: &[Call]) -> Vec<(u16, String)> {
    let key = AccessKey::new(KEY_ID, SECRET).unwrap();
    let wrong = AccessKey::new(KEY_ID, "not-the-secret").unwrap();
    let clock = Arc::new(FixedClock::at(NOW).unwrap());
    let config = Config::new()
        .access_key(key.clone())
        .fixtures(FIXTURES)
        .clock(clock);
    let gateway = Gateway::new(&config).unwrap();
    let twin = Gateway::new(&config).unwrap();
    let (mut probes, mut twin_probes) = (0, 0);
    let mut nonces = std::collections::HashSet::new();
    let mut answers = Vec::new();
    for call in calls.iter().take(16) {
        let built = request(call, &key, &wrong);
        let predictable = built.predictable;
        let fresh_nonce = nonces.insert(call.nonce);
        // The twin reads its account whenever the gateway does, so that the two stay in step.
        let before = built.inert.then(|| {
            state(&twin, &key, &mut twin_probes);
            state(&gateway, &key, &mut probes)
        });
        let response = gateway.handle_now(built.request).response;
        let twin_response = twin.handle_now(built.twin).response;
        assert_eq!(
            answer(&response),
            answer(&twin_response),
            "what no signature covers changed the answer"
        );
        let status = response.status().as_u16();
        assert!(
            matches!(status, 200 | 400 | 403 | 404 | 405 | 409 | 413 | 500),
            "status {status}"
        );
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_else(|| panic!("no content-type, status {status}"))
            .to_owned();
        let body = std::str::from_utf8(response.body()).expect("a UTF-8 body");
        assert!(!body.is_empty());
        if content_type.starts_with("application/json") {
            let value: serde_json::Value = serde_json::from_str(body).expect("a JSON body");
            let code = value.get("Code").and_then(|c| c.as_str()).unwrap_or("");
            if predictable && fresh_nonce {
                assert!(
                    !AUTH_CODES.contains(&code),
                    "a properly signed request refused: {body}"
                );
            }
            if let Some(refused) = built.refused {
                assert_eq!((status, code), (400, refused), "{body}");
            }
        } else if content_type.contains("xml") {
            assert!(body.starts_with("<?xml"), "{body}");
            if let Some(refused) = built.refused {
                assert!(body.contains(&format!("<Code>{refused}</Code>")), "{body}");
            }
        }
        if let Some(before) = before {
            assert_ne!(
                status, 200,
                "an action no signature covers answered success: {body}"
            );
            let after = state(&gateway, &key, &mut probes);
            assert_eq!(
                after, before,
                "an action no signature covers changed the account"
            );
            state(&twin, &key, &mut twin_probes);
        }
        if call.placement.is_some() {
            assert_eq!(
                state(&gateway, &key, &mut probes),
                state(&twin, &key, &mut twin_probes),
                "what no signature covers changed the account"
            );
        }
        answers.push((status, body.to_owned()));
    }
    answers
}

fuzz_target!(|calls: Vec<Call>| {
    check(&calls);
});
