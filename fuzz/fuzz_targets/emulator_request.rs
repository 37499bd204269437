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
#![no_main]

use std::sync::Arc;

use arbitrary::Arbitrary;
use bytes::Bytes;
use libfuzzer_sys::fuzz_target;
use smartag_emulator::auth::{encode_query, sign_acs3, sign_rpc, Acs3Request};
use smartag_emulator::clock::{format_timestamp, parse_timestamp, FixedClock};
use smartag_emulator::{AccessKey, Config, Gateway};

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
            4 => Signing::Rpc { right_secret: false },
            5..=7 => Signing::Acs3 { right_secret: true },
            8 => Signing::Acs3 { right_secret: false },
            _ => Signing::None,
        }
    }
}

#[derive(Arbitrary, Debug)]
struct Call {
    /// Mostly `GET` or `POST`; sometimes another method.
    method: u8,
    /// Mostly `/`; sometimes a control endpoint or an unknown path.
    path: u8,
    /// A [`TEMPLATES`] entry the parameters are added to.
    template: u8,
    params: Vec<(Text, Text)>,
    in_body: bool,
    raw_query: Option<String>,
    headers: Vec<(Text, String)>,
    body: Option<Vec<u8>>,
    signing: u8,
    /// Tens of seconds from the emulator's clock (the window is 90 of them either way).
    skew: i8,
    nonce: u8,
}

fn request(call: &Call, key: &AccessKey, wrong: &AccessKey) -> (http::Request<Bytes>, bool) {
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
        "/x",
    ][usize::from(call.path) % 10];
    let template = TEMPLATES[usize::from(call.template) % TEMPLATES.len()];
    let params: Vec<(String, String)> = template
        .iter()
        .map(|&(k, v)| (k.to_owned(), v.to_owned()))
        .chain(call.params.iter().map(|(n, v)| (n.get(&NAMES), v.get(&VALUES))))
        .collect();
    let signing = Signing::from_byte(call.signing);
    let skew = i64::from(call.skew) * 10;
    let borrowed: Vec<(&str, &str)> = params.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let timestamp = format_timestamp(parse_timestamp(NOW).unwrap_or(0) + skew);
    let nonce = format!("nonce{}", call.nonce);
    let mut builder = http::Request::builder().method(method);
    let mut body = call.body.clone().unwrap_or_default();
    let form = method == "POST" && call.in_body;
    let (query, signed_properly) = match signing {
        Signing::None => (encode_query(&params), false),
        Signing::Rpc { right_secret } => {
            let signer = if right_secret { key } else { wrong };
            let signed = sign_rpc(signer, method, &borrowed, &timestamp, &nonce);
            if form {
                body = encode_query(&signed).into_bytes();
                (String::new(), right_secret)
            } else {
                (encode_query(&signed), right_secret)
            }
        }
        Signing::Acs3 { right_secret } => {
            let signer = if right_secret { key } else { wrong };
            let action = params
                .iter()
                .find(|(k, _)| k == "Action")
                .map_or("", |(_, v)| v.as_str());
            let headers = sign_acs3(
                signer,
                &Acs3Request {
                    method,
                    host: "127.0.0.1:8080",
                    path,
                    action,
                    params: &borrowed,
                    body: &body,
                },
                &timestamp,
                &nonce,
            );
            for (name, value) in headers {
                builder = builder.header(name, value);
            }
            (encode_query(&params), right_secret)
        }
    };
    let query = match &call.raw_query {
        Some(raw) => format!("{query}&{raw}"),
        None => query,
    };
    if form {
        builder = builder.header("content-type", "application/x-www-form-urlencoded");
    }
    let plain = call.headers.is_empty() && call.raw_query.is_none();
    for (name, value) in &call.headers {
        builder = builder.header(name.get(&HEADERS), value.as_str());
    }
    let uri = if query.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{query}")
    };
    match builder.uri(uri).body(Bytes::from(body)) {
        Ok(request) => {
            let fresh_time = skew.abs() <= 15 * 60;
            let own_signature_params = params
                .iter()
                .any(|(k, _)| SIGNATURE_PARAMS.contains(&k.as_str()));
            let predictable = signed_properly
                && plain
                && path == "/"
                && fresh_time
                && !own_signature_params
                && matches!(method, "GET" | "POST");
            (request, predictable)
        }
        // Not a request hyper would ever hand over (a bad header name, say).
        Err(_) => (
            http::Request::builder()
                .uri("/")
                .body(Bytes::new())
                .unwrap_or_default(),
            false,
        ),
    }
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

fuzz_target!(|calls: Vec<Call>| {
    let key = AccessKey::new(KEY_ID, SECRET).unwrap();
    let wrong = AccessKey::new(KEY_ID, "not-the-secret").unwrap();
    let clock = Arc::new(FixedClock::at(NOW).unwrap());
    let config = Config::new()
        .access_key(key.clone())
        .fixtures(FIXTURES)
        .clock(clock);
    let gateway = Gateway::new(&config).unwrap();
    let mut nonces = std::collections::HashSet::new();
    for call in calls.iter().take(16) {
        let (request, predictable) = request(call, &key, &wrong);
        let fresh_nonce = nonces.insert(call.nonce);
        let response = gateway.handle_now(request).response;
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
            if predictable && fresh_nonce {
                let code = value.get("Code").and_then(|c| c.as_str()).unwrap_or("");
                assert!(
                    !AUTH_CODES.contains(&code),
                    "a properly signed request refused: {body}"
                );
            }
        } else if content_type.contains("xml") {
            assert!(body.starts_with("<?xml"), "{body}");
        }
    }
});
