//! The gateway without the network: signatures on the requests the official SDKs sent (captured
//! with a fixed clock, nonce and key), each authentication error at its boundary, accounts per
//! key, and the control endpoints.

use std::sync::Arc;

use bytes::Bytes;
use smartag_emulator::auth::{
    acs3_canonical_request, encode_query, rpc_signature, rpc_string_to_sign, sha256_hex, sign_acs3,
    sign_rpc, Acs3Request,
};
use smartag_emulator::clock::{Clock, FixedClock};
use smartag_emulator::{AccessKey, Config, Gateway};

const TIMESTAMP: &str = "2026-01-02T03:04:05Z";
const NONCE: &str = "0123456789abcdef0123456789abcdef";
const FIXTURE: &str = "instance sag-app1 region=cn-shanghai users=5 cidr=10.0.0.0/24";

/// `alibabacloud_smartag20180313` 2.1.2 with `signature_algorithm='v2'`: RPC signature 1.0,
/// every parameter in the query, `Format=json`.
const V2RPC_QUERY: &str = "Action=CreateSmartAccessGatewayClientUser&Format=json&Version=2018-03-13&Timestamp=2026-01-02T03%3A04%3A05Z&SignatureNonce=0123456789abcdef0123456789abcdef&Bandwidth=20&Password=duuf1234&RegionId=cn-shanghai&SmartAGId=sag-app1&UserMail=username%40example.com&UserName=doctest1&SignatureMethod=HMAC-SHA1&SignatureVersion=1.0&AccessKeyId=testid&Signature=bhedbVq00TopsVJRbUZxSZIw5jc%3D";
/// The headers `alibabacloud_smartag20180313` 2.1.2 sent first, with either signing.
const NEWER_SDK_HEADERS: &[(&str, &str)] = &[
    ("Accept-Encoding", "identity"),
    ("host", "127.0.0.1:18080"),
    ("x-acs-version", "2018-03-13"),
    ("x-acs-action", "CreateSmartAccessGatewayClientUser"),
    (
        "user-agent",
        "AlibabaCloud (Linux; x86_64) Python/3.11.7 Core/0.4.3 TeaDSL/2 smartag-testvector",
    ),
];
/// The headers after them with `signature_algorithm='v2'`.
const V2RPC_HEADERS: &[(&str, &str)] = &[
    ("x-acs-credentials-provider", "static_ak"),
    ("Content-Length", "0"),
];

/// `aliyun-python-sdk-smartag` 2.0.4 with `aliyun-python-sdk-core` 2.16.1: RPC signature 1.0,
/// `Format=JSON` and an empty `SignatureType=`.
const CORE_QUERY: &str = "SmartAGId=sag-app1&UserName=doctest1&Password=duuf1234&UserMail=username%40example.com&Bandwidth=20&Version=2018-03-13&Action=CreateSmartAccessGatewayClientUser&Format=JSON&RegionId=cn-shanghai&Timestamp=2026-01-02T03%3A04%3A05Z&SignatureMethod=HMAC-SHA1&SignatureType=&SignatureVersion=1.0&SignatureNonce=0123456789abcdef0123456789abcdef&AccessKeyId=testid&Signature=TrJsriAz3GE85jOIwG72sjIJmqw%3D";
const CORE_HEADERS: &[(&str, &str)] = &[
    ("Host", "127.0.0.1:18080"),
    (
        "User-Agent",
        "AlibabaCloud (Linux 6.18.44-fc-v595;x86_64) Python/3.11.7 Core/2.16.1 python-requests/2.18.3",
    ),
    ("Accept-Encoding", "identity"),
    ("Accept", "*/*"),
    ("Connection", "keep-alive"),
    ("x-acs-action", "CreateSmartAccessGatewayClientUser"),
    ("x-acs-version", "2018-03-13"),
    ("x-sdk-invoke-type", "normal"),
    ("x-sdk-client", "python/2.0.0"),
    ("Content-Length", "0"),
];

/// `alibabacloud_smartag20180313` 2.1.2 default signing, `ACS3-HMAC-SHA256`: `Action` and
/// `Version` as headers, the business parameters alone in the query.
const ACS3_QUERY: &str = "Bandwidth=20&Password=duuf1234&RegionId=cn-shanghai&SmartAGId=sag-app1&UserMail=username%40example.com&UserName=doctest1";
const ACS3_SIGNATURE: &str = "169f86a97fe52e453d03e27e257c709eb3a5c64c2c334d1a75b613974a4e44e6";
const ACS3_SIGNED_HEADERS: &str = "accept;host;user-agent;x-acs-action;x-acs-content-sha256;x-acs-credentials-provider;x-acs-date;x-acs-signature-nonce;x-acs-version";
const EMPTY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

fn acs3_headers(signature: &str) -> Vec<(String, String)> {
    let authorization = format!(
        "ACS3-HMAC-SHA256 Credential=testid,SignedHeaders={ACS3_SIGNED_HEADERS},Signature={signature}"
    );
    owned(NEWER_SDK_HEADERS.iter().chain(&[
        ("x-acs-date", TIMESTAMP),
        ("x-acs-signature-nonce", NONCE),
        ("accept", "application/json"),
        ("x-acs-content-sha256", EMPTY_SHA256),
        ("x-acs-credentials-provider", "static_ak"),
        ("Authorization", authorization.as_str()),
        ("Content-Length", "0"),
    ]))
}

fn owned<'a>(headers: impl IntoIterator<Item = &'a (&'a str, &'a str)>) -> Vec<(String, String)> {
    headers
        .into_iter()
        .map(|&(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
}

fn decode(query: &str) -> Vec<(String, String)> {
    form_urlencoded::parse(query.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

fn request(
    method: &str,
    query: &str,
    headers: &[(String, String)],
    body: &str,
) -> http::Request<Bytes> {
    let uri = if query.is_empty() {
        "/".to_owned()
    } else {
        format!("/?{query}")
    };
    let mut builder = http::Request::builder().method(method).uri(uri);
    for (k, v) in headers {
        builder = builder.header(k.as_str(), v.as_str());
    }
    builder.body(Bytes::from(body.to_owned())).unwrap()
}

struct Answer {
    status: u16,
    content_type: String,
    body: String,
}

impl Answer {
    fn code(&self) -> Option<String> {
        let json: serde_json::Value = serde_json::from_str(&self.body).ok()?;
        json.get("Code")?.as_str().map(str::to_owned)
    }

    /// Asserts that this is the error `code` with `status`; `label` names the case.
    #[track_caller]
    fn assert_error(&self, status: u16, code: &str, label: &str) {
        assert_eq!(
            (self.status, self.code().as_deref()),
            (status, Some(code)),
            "{label}: {}",
            self.body
        );
    }
}

fn send(gateway: &Gateway, request: http::Request<Bytes>) -> Answer {
    let response = gateway.handle_now(request).response;
    Answer {
        status: response.status().as_u16(),
        content_type: response
            .headers()
            .get("content-type")
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default(),
        body: String::from_utf8(response.body().to_vec()).unwrap(),
    }
}

fn gateway_at(timestamp: &str) -> (Gateway, Arc<FixedClock>) {
    let clock = Arc::new(FixedClock::at(timestamp).unwrap());
    let config = Config::new()
        .access_key(AccessKey::new("testid", "testsecret").unwrap())
        .fixtures(FIXTURE)
        .clock(clock.clone());
    (Gateway::new(&config).unwrap(), clock)
}

fn key() -> AccessKey {
    AccessKey::new("testid", "testsecret").unwrap()
}

#[test]
fn the_rpc_vectors_sign_as_the_sdks_did() {
    for (query, signature) in [
        (V2RPC_QUERY, "bhedbVq00TopsVJRbUZxSZIw5jc="),
        (CORE_QUERY, "TrJsriAz3GE85jOIwG72sjIJmqw="),
    ] {
        let params = decode(query);
        let text = rpc_string_to_sign("POST", &params);
        assert!(text.starts_with("POST&%2F&AccessKeyId%3Dtestid%26Action%3D"));
        assert!(text.contains("Timestamp%3D2026-01-02T03%253A04%253A05Z"));
        assert_eq!(rpc_signature("testsecret", &text), signature);
    }
    // The older SDK's empty SignatureType is signed as `SignatureType=`.
    assert!(rpc_string_to_sign("POST", &decode(CORE_QUERY)).contains("%26SignatureType%3D%26"));
}

#[test]
fn the_acs3_vector_signs_as_the_sdk_did() {
    let headers = acs3_headers(ACS3_SIGNATURE);
    let signed: Vec<String> = ACS3_SIGNED_HEADERS.split(';').map(str::to_owned).collect();
    let canonical = acs3_canonical_request(
        "POST",
        "/",
        &decode(ACS3_QUERY),
        &headers,
        &signed,
        &sha256_hex(b""),
    );
    assert_eq!(
        canonical,
        "POST\n/\nBandwidth=20&Password=duuf1234&RegionId=cn-shanghai&SmartAGId=sag-app1&UserMail=username%40example.com&UserName=doctest1\n\
         accept:application/json\nhost:127.0.0.1:18080\n\
         user-agent:AlibabaCloud (Linux; x86_64) Python/3.11.7 Core/0.4.3 TeaDSL/2 smartag-testvector\n\
         x-acs-action:CreateSmartAccessGatewayClientUser\nx-acs-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n\
         x-acs-credentials-provider:static_ak\nx-acs-date:2026-01-02T03:04:05Z\n\
         x-acs-signature-nonce:0123456789abcdef0123456789abcdef\nx-acs-version:2018-03-13\n\n\
         accept;host;user-agent;x-acs-action;x-acs-content-sha256;x-acs-credentials-provider;x-acs-date;x-acs-signature-nonce;x-acs-version\n\
         e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
    assert_eq!(
        smartag_emulator::auth::acs3_signature("testsecret", &canonical),
        ACS3_SIGNATURE
    );
}

#[test]
fn each_captured_sdk_request_is_accepted_once() {
    let cases = [
        (
            "v2rpc",
            V2RPC_QUERY,
            owned(NEWER_SDK_HEADERS.iter().chain(V2RPC_HEADERS)),
        ),
        ("core", CORE_QUERY, owned(CORE_HEADERS)),
        ("acs3", ACS3_QUERY, acs3_headers(ACS3_SIGNATURE)),
    ];
    for (label, query, headers) in cases {
        let (gateway, _) = gateway_at(TIMESTAMP);
        let first = send(&gateway, request("POST", query, &headers, ""));
        assert_eq!(first.status, 200, "{label}: {}", first.body);
        assert_eq!(
            first.content_type, "application/json;charset=utf-8",
            "{label}"
        );
        assert!(
            first.body.starts_with(r#"{"UserName":"doctest1","#),
            "{label}"
        );
        let replay = send(&gateway, request("POST", query, &headers, ""));
        replay.assert_error(400, "SignatureNonceUsed", label);
    }
}

#[test]
fn timestamps_are_accepted_up_to_fifteen_minutes_off_either_way() {
    let base = smartag_emulator::clock::parse_timestamp(TIMESTAMP).unwrap();
    for (offset, accepted) in [
        (-901, false),
        (-900, true),
        (0, true),
        (900, true),
        (901, false),
    ] {
        for (label, query, headers) in [
            ("core", CORE_QUERY, owned(CORE_HEADERS)),
            ("acs3", ACS3_QUERY, acs3_headers(ACS3_SIGNATURE)),
        ] {
            let (gateway, clock) = gateway_at(TIMESTAMP);
            clock.set(base + offset);
            let answer = send(&gateway, request("POST", query, &headers, ""));
            if accepted {
                assert_eq!(answer.status, 200, "{label} {offset}: {}", answer.body);
            } else {
                answer.assert_error(
                    400,
                    "InvalidTimeStamp.Expired",
                    &format!("{label} {offset}"),
                );
            }
        }
    }
}

/// Signs `params` for the gateway's clock with `key`, as the RPC SDKs do.
fn rpc(
    key: &AccessKey,
    method: &str,
    params: &[(&str, &str)],
    nonce: &str,
) -> http::Request<Bytes> {
    let signed = sign_rpc(key, method, params, TIMESTAMP, nonce);
    request(method, &encode_query(&signed), &[], "")
}

const DESCRIBE: &[(&str, &str)] = &[
    ("Action", "DescribeSmartAccessGatewayClientUsers"),
    ("RegionId", "cn-shanghai"),
    ("SmartAGId", "sag-app1"),
];

/// A change to a signed request's parameters.
#[derive(Clone, Copy)]
enum ParamEdit {
    /// The parameter left out.
    Drop(&'static str),
    /// The parameter given another value.
    Set(&'static str, &'static str),
}

impl ParamEdit {
    fn apply(self, params: &mut Vec<(String, String)>) {
        match self {
            ParamEdit::Drop(name) => params.retain(|(k, _)| k != name),
            ParamEdit::Set(name, value) => params
                .iter_mut()
                .filter(|(k, _)| k == name)
                .for_each(|(_, v)| *v = value.to_owned()),
        }
    }
}

/// Each RPC authentication error at its boundary: the change to a well-signed request, the
/// status and the code.
const RPC_REFUSALS: &[(&str, ParamEdit, u16, &str)] = {
    use ParamEdit::{Drop, Set};
    &[
        (
            "no AccessKeyId",
            Drop("AccessKeyId"),
            403,
            "MissingParameter",
        ),
        ("no Signature", Drop("Signature"), 403, "MissingParameter"),
        (
            "no SignatureNonce",
            Drop("SignatureNonce"),
            403,
            "MissingParameter",
        ),
        ("no Timestamp", Drop("Timestamp"), 403, "MissingParameter"),
        (
            "empty Signature",
            Set("Signature", ""),
            403,
            "MissingParameter",
        ),
        (
            "no SignatureMethod",
            Drop("SignatureMethod"),
            400,
            "IncompleteSignature",
        ),
        (
            "HMAC-SHA256",
            Set("SignatureMethod", "HMAC-SHA256"),
            400,
            "IncompleteSignature",
        ),
        (
            "version 2.0",
            Set("SignatureVersion", "2.0"),
            400,
            "IncompleteSignature",
        ),
        (
            "bad timestamp",
            Set("Timestamp", "2026-01-02 03:04:05"),
            400,
            "InvalidTimeStamp.Format",
        ),
        (
            "unknown key",
            Set("AccessKeyId", "nobody"),
            404,
            "InvalidAccessKeyId.NotFound",
        ),
        (
            "old timestamp",
            Set("Timestamp", "2026-01-02T02:49:04Z"),
            400,
            "InvalidTimeStamp.Expired",
        ),
        (
            "tampered",
            Set("RegionId", "cn-beijing"),
            400,
            "SignatureDoesNotMatch",
        ),
        (
            "forged",
            Set("Signature", "bhedbVq00TopsVJRbUZxSZIw5jc="),
            400,
            "SignatureDoesNotMatch",
        ),
    ]
};

#[test]
fn rpc_authentication_errors_each_with_its_code() {
    let (gateway, _) = gateway_at(TIMESTAMP);
    let good = sign_rpc(&key(), "GET", DESCRIBE, TIMESTAMP, "n-good");
    let with = |edit: Option<ParamEdit>| {
        let mut params = good.clone();
        edit.into_iter().for_each(|edit| edit.apply(&mut params));
        request("GET", &encode_query(&params), &[], "")
    };
    for &(label, edit, status, code) in RPC_REFUSALS {
        send(&gateway, with(Some(edit))).assert_error(status, code, label);
    }
    // None of them spent the nonce.
    assert_eq!(send(&gateway, with(None)).status, 200);
    send(&gateway, with(None)).assert_error(400, "SignatureNonceUsed", "replayed");
}

#[test]
fn a_wrong_secret_does_not_match_and_errors_follow_the_format() {
    let (gateway, _) = gateway_at(TIMESTAMP);
    let wrong = AccessKey::new("testid", "not-the-secret").unwrap();
    let answer = send(&gateway, rpc(&wrong, "GET", DESCRIBE, "n1"));
    answer.assert_error(400, "SignatureDoesNotMatch", "wrong secret");
    let expected = format!(
        r#""Message":"Specified signature is not matched with our calculation. server string to sign is:{}""#,
        rpc_string_to_sign("GET", &sign_rpc(&wrong, "GET", DESCRIBE, TIMESTAMP, "n1"))
    );
    assert!(answer.body.contains(&expected), "{}", answer.body);

    let mut xml = DESCRIBE.to_vec();
    xml.push(("Format", "XML"));
    let answer = send(&gateway, rpc(&wrong, "GET", &xml, "n2"));
    assert_eq!(answer.status, 400);
    assert_eq!(answer.content_type, "text/xml;charset=utf-8");
    assert!(answer
        .body
        .starts_with(r#"<?xml version="1.0" encoding="UTF-8"?><Error>"#));
    assert!(answer.body.contains("<Code>SignatureDoesNotMatch</Code>"));
    let signed = rpc_string_to_sign("GET", &sign_rpc(&wrong, "GET", &xml, TIMESTAMP, "n2"));
    let expected = format!(
        "<Message>Specified signature is not matched with our calculation. server string to sign is:{}</Message>",
        signed.replace('&', "&amp;")
    );
    assert!(answer.body.contains(&expected), "{}", answer.body);
    assert!(answer
        .body
        .contains("<HostId>smartag.cn-shanghai.aliyuncs.com</HostId>"));

    let unknown = AccessKey::new("nobody", "testsecret").unwrap();
    let answer = send(&gateway, rpc(&unknown, "GET", DESCRIBE, "n3"));
    assert_eq!(answer.status, 404);
    assert!(answer
        .body
        .contains(r#""Message":"Specified access key is not found.""#));
}

/// A change to the captured ACS3 request.
#[derive(Clone, Copy)]
enum Acs3Edit {
    /// A header given another value (moved to the end), or left out with `None`.
    Header(&'static str, Option<&'static str>),
    /// The `Authorization` header with another key ID and signature.
    Credential(&'static str, &'static str),
    /// The query with one text replaced.
    Query(&'static str, &'static str),
    /// A form body, which the signature does not cover.
    Body(&'static str),
}

impl Acs3Edit {
    fn request(self) -> http::Request<Bytes> {
        let mut headers = acs3_headers(ACS3_SIGNATURE);
        let mut set = |name: &str, value: Option<String>| {
            headers.retain(|(k, _)| !k.eq_ignore_ascii_case(name));
            headers.extend(value.map(|value| (name.to_owned(), value)));
        };
        let (mut query, mut body) = (ACS3_QUERY.to_owned(), "");
        match self {
            Acs3Edit::Header(name, value) => set(name, value.map(str::to_owned)),
            Acs3Edit::Credential(id, signature) => set(
                "Authorization",
                Some(format!(
                    "ACS3-HMAC-SHA256 Credential={id},SignedHeaders={ACS3_SIGNED_HEADERS},Signature={signature}"
                )),
            ),
            Acs3Edit::Query(from, to) => query = query.replace(from, to),
            Acs3Edit::Body(text) => body = text,
        }
        request("POST", &query, &headers, body)
    }
}

/// Each ACS3 authentication error: the change to the captured request, the status and the
/// code.
const ACS3_REFUSALS: &[(&str, Acs3Edit, u16, &str)] = {
    use Acs3Edit::{Body, Credential, Header, Query};
    const SM3: &str = "ACS3-HMAC-SM3 Credential=testid,SignedHeaders=host,Signature=00";
    const ZEROS: &str = "0000000000000000000000000000000000000000000000000000000000000000";
    &[
        (
            "another algorithm",
            Header("Authorization", Some(SM3)),
            400,
            "IncompleteSignature",
        ),
        (
            "malformed",
            Header("Authorization", Some("ACS3-HMAC-SHA256 testid")),
            400,
            "IncompleteSignature",
        ),
        (
            "no date",
            Header("x-acs-date", None),
            403,
            "MissingParameter",
        ),
        (
            "no nonce",
            Header("x-acs-signature-nonce", None),
            403,
            "MissingParameter",
        ),
        (
            "unsigned x-acs header",
            Header("x-acs-extra", Some("1")),
            400,
            "IncompleteSignature",
        ),
        (
            "bad date",
            Header("x-acs-date", Some("2026-01-02T03:04:05")),
            400,
            "InvalidTimeStamp.Format",
        ),
        (
            "unknown key",
            Credential("nobody", ACS3_SIGNATURE),
            404,
            "InvalidAccessKeyId.NotFound",
        ),
        (
            "wrong signature",
            Credential("testid", ZEROS),
            400,
            "SignatureDoesNotMatch",
        ),
        (
            "tampered query",
            Query("Bandwidth=20", "Bandwidth=21"),
            400,
            "SignatureDoesNotMatch",
        ),
        (
            "tampered body",
            Body("UserName=other"),
            400,
            "SignatureDoesNotMatch",
        ),
        (
            "tampered action",
            Header("x-acs-action", Some("DeleteSmartAccessGatewayClientUser")),
            400,
            "SignatureDoesNotMatch",
        ),
    ]
};

#[test]
fn acs3_authentication_errors_each_with_its_code() {
    let (gateway, _) = gateway_at(TIMESTAMP);
    for &(label, edit, status, code) in ACS3_REFUSALS {
        send(&gateway, edit.request()).assert_error(status, code, label);
    }
    let good = acs3_headers(ACS3_SIGNATURE);
    assert_eq!(
        send(&gateway, request("POST", ACS3_QUERY, &good, "")).status,
        200
    );
}

#[test]
fn acs3_requests_signed_by_the_library_with_a_form_body() {
    let (gateway, _) = gateway_at(TIMESTAMP);
    let body = "UserName=doctest2&Password=duuf1234";
    let mut headers = sign_acs3(
        &key(),
        &Acs3Request {
            method: "POST",
            host: "127.0.0.1:8080",
            path: "/",
            action: "CreateSmartAccessGatewayClientUser",
            params: &[
                ("RegionId", "cn-shanghai"),
                ("SmartAGId", "sag-app1"),
                ("UserMail", "a@example.com"),
            ],
            body: body.as_bytes(),
        },
        TIMESTAMP,
        "n-form",
    );
    headers.push((
        "content-type".to_owned(),
        "application/x-www-form-urlencoded".to_owned(),
    ));
    let answer = send(
        &gateway,
        request(
            "POST",
            "RegionId=cn-shanghai&SmartAGId=sag-app1&UserMail=a%40example.com",
            &headers,
            body,
        ),
    );
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert!(answer.body.contains(r#""UserName":"doctest2""#));
}

#[test]
fn one_key_never_sees_another_keys_users() {
    let clock = Arc::new(FixedClock::at(TIMESTAMP).unwrap());
    let alice = AccessKey::new("alice", "alice-secret").unwrap();
    let bob = AccessKey::new("bob", "bob-secret").unwrap();
    let config = Config::new()
        .access_key(alice.clone())
        .access_key(bob.clone())
        .fixtures(FIXTURE)
        .clock(clock);
    let gateway = Gateway::new(&config).unwrap();
    let create = [
        ("Action", "CreateSmartAccessGatewayClientUser"),
        ("RegionId", "cn-shanghai"),
        ("SmartAGId", "sag-app1"),
        ("UserName", "alice-user"),
        ("Password", "duuf1234"),
        ("UserMail", "a@example.com"),
    ];
    assert_eq!(
        send(&gateway, rpc(&alice, "POST", &create, "1")).status,
        200
    );
    let count = |key: &AccessKey, nonce: &str| {
        let answer = send(&gateway, rpc(key, "GET", DESCRIBE, nonce));
        let json: serde_json::Value = serde_json::from_str(&answer.body).unwrap();
        json["TotalCount"].as_u64().unwrap()
    };
    assert_eq!(count(&alice, "2"), 1);
    assert_eq!(count(&bob, "3"), 0);
    // Bob cannot change Alice's user either: it does not exist in his account.
    let delete = [
        ("Action", "DeleteSmartAccessGatewayClientUser"),
        ("RegionId", "cn-shanghai"),
        ("SmartAGId", "sag-app1"),
        ("UserName", "alice-user"),
    ];
    let answer = send(&gateway, rpc(&bob, "POST", &delete, "4"));
    assert_eq!(answer.code().as_deref(), Some("ResourceNotFound.User"));
    assert_eq!(count(&alice, "5"), 1);
    // Nonces are per key: Bob may use one Alice used.
    assert_eq!(send(&gateway, rpc(&bob, "GET", DESCRIBE, "1")).status, 200);
}

fn basic(key: &AccessKey) -> Vec<(String, String)> {
    use base64::Engine as _;
    let credentials = base64::engine::general_purpose::STANDARD.encode(format!(
        "{}:{}",
        key.id(),
        key.secret().expose()
    ));
    vec![("authorization".to_owned(), format!("Basic {credentials}"))]
}

fn control(
    gateway: &Gateway,
    method: &str,
    path: &str,
    headers: &[(String, String)],
    body: &str,
) -> Answer {
    let mut builder = http::Request::builder().method(method).uri(path);
    for (k, v) in headers {
        builder = builder.header(k.as_str(), v.as_str());
    }
    send(gateway, builder.body(Bytes::from(body.to_owned())).unwrap())
}

#[test]
fn control_endpoints_reset_and_load_fixtures_for_the_calling_key_only() {
    let (gateway, _) = gateway_at(TIMESTAMP);
    let health = control(&gateway, "GET", "/_emulator/health", &[], "");
    assert_eq!(
        (health.status, health.body.as_str()),
        (200, r#"{"Status":"ok"}"#)
    );

    // Not without a configured key.
    let anonymous = control(&gateway, "POST", "/_emulator/reset", &[], "");
    assert_eq!(anonymous.code().as_deref(), Some("MissingParameter"));
    let wrong = control(
        &gateway,
        "POST",
        "/_emulator/reset",
        &basic(&AccessKey::new("testid", "nope").unwrap()),
        "",
    );
    assert_eq!(wrong.status, 401);

    let loaded = control(
        &gateway,
        "POST",
        "/_emulator/fixtures",
        &basic(&key()),
        "instance sag-app2 region=cn-beijing users=2 cidr=10.1.0.0/24\n\
         Action=CreateSmartAccessGatewayClientUser&RegionId=cn-beijing&SmartAGId=sag-app2&UserName=fixture1&Password=duuf1234&UserMail=f%40example.com\n\
         used sag-app2 fixture1",
    );
    assert_eq!(loaded.status, 200, "{}", loaded.body);
    assert!(
        loaded
            .body
            .starts_with(r#"{"Outputs":["200 {\"UserName\":\"fixture1\""#),
        "{}",
        loaded.body
    );

    let describe2 = [
        ("Action", "DescribeSmartAccessGatewayClientUsers"),
        ("RegionId", "cn-beijing"),
        ("SmartAGId", "sag-app2"),
    ];
    let answer = send(&gateway, rpc(&key(), "GET", &describe2, "a"));
    assert!(answer.body.contains(r#""TotalCount":1"#), "{}", answer.body);

    // A broken line changes nothing.
    let broken = control(
        &gateway,
        "POST",
        "/_emulator/fixtures",
        &basic(&key()),
        "instance sag-app3 region=cn-beijing users=1\ninstnace sag-app4",
    );
    assert_eq!(broken.status, 400);
    assert_eq!(broken.code().as_deref(), Some("InvalidFixtures"));
    assert!(broken.body.contains("line 2"), "{}", broken.body);
    let app3 = [
        ("Action", "DescribeSmartAccessGatewayClientUsers"),
        ("RegionId", "cn-beijing"),
        ("SmartAGId", "sag-app3"),
    ];
    assert_eq!(
        send(&gateway, rpc(&key(), "GET", &app3, "b"))
            .code()
            .as_deref(),
        Some("SAG.InstanceNoFound")
    );

    // A signed request authorises too; reset goes back to the start fixtures.
    let signed = sign_rpc(&key(), "POST", &[], TIMESTAMP, "c");
    let reset = control(
        &gateway,
        "POST",
        &format!("/_emulator/reset?{}", encode_query(&signed)),
        &[],
        "",
    );
    assert_eq!(
        (reset.status, reset.body.as_str()),
        (200, r#"{"Reset":"testid"}"#)
    );
    assert_eq!(
        send(&gateway, rpc(&key(), "GET", &describe2, "d"))
            .code()
            .as_deref(),
        Some("SAG.InstanceNoFound")
    );
    assert!(send(&gateway, rpc(&key(), "GET", DESCRIBE, "e"))
        .body
        .contains(r#""TotalCount":0"#));
}

#[test]
fn other_paths_and_methods_are_refused() {
    let (gateway, _) = gateway_at(TIMESTAMP);
    assert_eq!(control(&gateway, "GET", "/other", &[], "").status, 404);
    assert_eq!(control(&gateway, "PUT", "/", &[], "").status, 405);
    assert_eq!(
        control(&gateway, "GET", "/_emulator/reset", &[], "").status,
        405
    );
    assert_eq!(
        control(&gateway, "GET", "/_emulator/nothing", &[], "").status,
        404
    );
}

#[test]
fn start_fixtures_given_in_pieces_number_their_lines_as_one_text() {
    // Each piece is appended on a line of its own; a broken line stops the start with its
    // number in the whole text, and a good text starts.
    let cases: &[(&[&str], Option<&str>)] = &[
        (&[FIXTURE, "used sag-app1"], Some("fixtures, line 2: expected `used <instance ID> <user name>`")),
        (&[FIXTURE, "\n", "instnace sag-app2"], Some("fixtures, line 3: unknown word `instnace`: not `instance`, `used`, `online`, `GET`, `POST` nor a request (no `=`)")),
        (&["", FIXTURE], None),
        (&[FIXTURE, "Action=DeleteSmartAccessGatewayClientUser&RegionId=cn-shanghai&SmartAGId=sag-app1&UserName=nobody"], None),
    ];
    for (pieces, expected) in cases {
        let config = pieces
            .iter()
            .fold(Config::new().access_key(key()), |config, piece| {
                config.fixtures(*piece)
            });
        let started = Gateway::new(&config).map(drop).map_err(|e| e.to_string());
        assert_eq!(started.err().as_deref(), *expected, "{pieces:?}");
    }
}

/// Under RPC signing, `Action` and `Version` come from the signed parameters alone: the unsigned
/// `x-acs-action` and `x-acs-version` headers beside them change nothing. Each case: its label,
/// the signed `Action` and `Version` (`None`: not sent), the unsigned headers' `Action` and
/// `Version`, and the answer (status and code; `None`: a success).
#[allow(clippy::type_complexity)]
const RPC_UNSIGNED_HEADERS: &[(
    &str,
    Option<&str>,
    Option<&str>,
    Option<&str>,
    Option<&str>,
    u16,
    Option<&str>,
)] = {
    const DELETE: Option<&str> = Some("DeleteSmartAccessGatewayClientUser");
    const DESCRIBE: Option<&str> = Some("DescribeSmartAccessGatewayClientUsers");
    const GOOD: Option<&str> = Some("2018-03-13");
    const BAD: Option<&str> = Some("2018-01-01");
    const MISSING: Option<&str> = Some("MissingParameter");
    &[
        ("no action anywhere", None, None, None, None, 403, MISSING),
        (
            "header action alone",
            None,
            None,
            DELETE,
            GOOD,
            403,
            MISSING,
        ),
        (
            "header action, signed version",
            None,
            GOOD,
            DELETE,
            None,
            403,
            MISSING,
        ),
        (
            "empty signed action, header action",
            Some(""),
            None,
            DELETE,
            None,
            403,
            MISSING,
        ),
        (
            "signed describe, header delete",
            DESCRIBE,
            GOOD,
            DELETE,
            None,
            200,
            None,
        ),
        (
            "signed describe, header delete and version",
            DESCRIBE,
            None,
            DELETE,
            GOOD,
            200,
            None,
        ),
        ("both the same", DESCRIBE, GOOD, DESCRIBE, GOOD, 200, None),
        (
            "signed action, header bad version",
            DESCRIBE,
            None,
            None,
            BAD,
            200,
            None,
        ),
        (
            "signed good version, header bad",
            DESCRIBE,
            GOOD,
            None,
            BAD,
            200,
            None,
        ),
        (
            "signed bad version, header good",
            DESCRIBE,
            BAD,
            None,
            GOOD,
            400,
            Some("InvalidVersion"),
        ),
        (
            "signed unknown action, header delete",
            Some("DeleteEverything"),
            None,
            DELETE,
            None,
            404,
            Some("InvalidAction.NotFound"),
        ),
    ]
};

/// The user the header cases try to delete, and how many users `sag-app1` has.
fn users_of_app1(gateway: &Gateway, nonce: &str) -> u64 {
    let answer = send(gateway, rpc(&key(), "GET", DESCRIBE, nonce));
    let json: serde_json::Value = serde_json::from_str(&answer.body).unwrap();
    json["TotalCount"].as_u64().unwrap()
}

#[test]
fn rpc_signed_requests_take_action_and_version_from_signed_parameters_only() {
    let (gateway, _) = gateway_at(TIMESTAMP);
    let create = [
        ("Action", "CreateSmartAccessGatewayClientUser"),
        ("RegionId", "cn-shanghai"),
        ("SmartAGId", "sag-app1"),
        ("UserName", "victim01"),
        ("Password", "duuf1234"),
        ("UserMail", "v@example.com"),
    ];
    assert_eq!(
        send(&gateway, rpc(&key(), "POST", &create, "c")).status,
        200
    );
    for (i, &(label, action, version, header_action, header_version, status, code)) in
        RPC_UNSIGNED_HEADERS.iter().enumerate()
    {
        for method in ["GET", "POST"] {
            let mut params = vec![
                ("RegionId", "cn-shanghai"),
                ("SmartAGId", "sag-app1"),
                ("UserName", "victim01"),
            ];
            params.extend(action.map(|a| ("Action", a)));
            params.extend(version.map(|v| ("Version", v)));
            let signed = sign_rpc(&key(), method, &params, TIMESTAMP, &format!("h{i}{method}"));
            let mut headers = Vec::new();
            headers.extend(header_action.map(|a| ("X-ACS-ACTION".to_owned(), a.to_owned())));
            headers.extend(header_version.map(|v| ("x-acs-version".to_owned(), v.to_owned())));
            // GET: the signed parameters in the query; POST: in a form body.
            let answer = if method == "GET" {
                send(
                    &gateway,
                    request("GET", &encode_query(&signed), &headers, ""),
                )
            } else {
                headers.push((
                    "content-type".to_owned(),
                    "application/x-www-form-urlencoded".to_owned(),
                ));
                send(
                    &gateway,
                    request("POST", "", &headers, &encode_query(&signed)),
                )
            };
            let label = format!("{label} ({method})");
            match code {
                Some(code) => answer.assert_error(status, code, &label),
                None => assert_eq!(answer.status, status, "{label}: {}", answer.body),
            }
            assert_eq!(
                users_of_app1(&gateway, &format!("d{i}{method}")),
                1,
                "{label}: the user was deleted"
            );
        }
    }
}

/// Under ACS3 the `x-acs-*` headers are signed, so they decide (a parameter, signed as well,
/// still wins over its header, as the wire layer reads it).
#[test]
fn acs3_signed_headers_decide_the_action() {
    let (gateway, _) = gateway_at(TIMESTAMP);
    let acs3 = |action: &str, params: &[(&str, &str)], nonce: &str| {
        let headers = sign_acs3(
            &key(),
            &Acs3Request {
                method: "POST",
                host: "127.0.0.1:8080",
                path: "/",
                action,
                params,
                body: b"",
            },
            TIMESTAMP,
            nonce,
        );
        let query: Vec<(String, String)> = params
            .iter()
            .map(|&(k, v)| (k.to_owned(), v.to_owned()))
            .collect();
        send(
            &gateway,
            request("POST", &encode_query(&query), &headers, ""),
        )
    };
    let create = [
        ("RegionId", "cn-shanghai"),
        ("SmartAGId", "sag-app1"),
        ("UserName", "victim01"),
        ("Password", "duuf1234"),
        ("UserMail", "v@example.com"),
    ];
    let answer = acs3("CreateSmartAccessGatewayClientUser", &create, "a1");
    assert_eq!(answer.status, 200, "{}", answer.body);
    let user = [
        ("RegionId", "cn-shanghai"),
        ("SmartAGId", "sag-app1"),
        ("UserName", "victim01"),
    ];
    let mut describe_param = user.to_vec();
    describe_param.push(("Action", "DescribeSmartAccessGatewayClientUsers"));
    let answer = acs3("DeleteSmartAccessGatewayClientUser", &describe_param, "a2");
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert!(answer.body.contains(r#""TotalCount":1"#), "{}", answer.body);
    assert_eq!(users_of_app1(&gateway, "a3"), 1);
    let answer = acs3("DeleteSmartAccessGatewayClientUser", &user, "a4");
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(users_of_app1(&gateway, "a5"), 0);
}

/// How a control request is authorised, for the fixtures table.
#[derive(Clone, Copy, Debug)]
enum ControlAuth {
    /// HTTP Basic, the scheme name written this way.
    Basic(&'static str),
    /// RPC-signed, the signature in the query.
    Rpc,
    /// ACS3-signed over this path and body.
    Acs3(&'static str, &'static str),
}

const FIXTURES_BODY: &str = "instance sag-app2 region=cn-beijing users=2 cidr=10.1.0.0/24";

/// `POST /_emulator/fixtures` (a body of fixture lines, which an RPC signature does not cover)
/// under each scheme: the status and, for a refusal, its code.
const FIXTURES_AUTH: &[(ControlAuth, u16, Option<&str>)] = {
    use ControlAuth::{Acs3, Basic, Rpc};
    &[
        (Rpc, 400, Some("IncompleteSignature")),
        (
            Acs3(
                "/_emulator/fixtures",
                "instance sag-app9 region=cn-beijing users=2",
            ),
            400,
            Some("SignatureDoesNotMatch"),
        ),
        (Acs3("/", FIXTURES_BODY), 400, Some("SignatureDoesNotMatch")),
        (Acs3("/_emulator/fixtures", FIXTURES_BODY), 200, None),
        (Basic("Basic"), 200, None),
        (Basic("basic"), 200, None),
        (Basic("BASIC"), 200, None),
        (Basic("bAsIc"), 200, None),
    ]
};

#[test]
fn fixtures_take_only_schemes_that_sign_their_body() {
    for (i, &(auth, status, code)) in FIXTURES_AUTH.iter().enumerate() {
        let (gateway, _) = gateway_at(TIMESTAMP);
        let nonce = format!("f{i}");
        let (path, headers) = match auth {
            ControlAuth::Basic(scheme) => {
                let mut headers = basic(&key());
                headers[0].1 = headers[0].1.replacen("Basic", scheme, 1);
                ("/_emulator/fixtures".to_owned(), headers)
            }
            ControlAuth::Rpc => {
                let signed = sign_rpc(&key(), "POST", &[], TIMESTAMP, &nonce);
                let path = format!("/_emulator/fixtures?{}", encode_query(&signed));
                let plain = vec![("content-type".to_owned(), "text/plain".to_owned())];
                (path, plain)
            }
            ControlAuth::Acs3(signed_path, signed_body) => {
                let headers = sign_acs3(
                    &key(),
                    &Acs3Request {
                        method: "POST",
                        host: "127.0.0.1:8080",
                        path: signed_path,
                        action: "",
                        params: &[],
                        body: signed_body.as_bytes(),
                    },
                    TIMESTAMP,
                    &nonce,
                );
                ("/_emulator/fixtures".to_owned(), headers)
            }
        };
        let answer = control(&gateway, "POST", &path, &headers, FIXTURES_BODY);
        let label = format!("{auth:?}");
        match code {
            Some(code) => answer.assert_error(status, code, &label),
            None => assert_eq!(answer.status, status, "{label}: {}", answer.body),
        }
        // Loaded exactly when it was answered 200.
        let app2 = [
            ("Action", "DescribeSmartAccessGatewayClientUsers"),
            ("RegionId", "cn-beijing"),
            ("SmartAGId", "sag-app2"),
        ];
        let found = send(&gateway, rpc(&key(), "GET", &app2, &format!("g{i}"))).status == 200;
        assert_eq!(found, status == 200, "{label}");
    }
}

/// `POST /_emulator/online` connects a client user of the caller's account at the emulator's
/// clock; `DescribeUserOnlineClients` and `KickOutClients` then see it. Refusals are 400
/// `ConnectRefused` and change nothing; the endpoint is authorised like reset.
#[test]
fn the_online_endpoint_connects_a_user_at_the_emulator_clock() {
    let (gateway, clock) = gateway_at(TIMESTAMP);
    let create = [
        ("Action", "CreateSmartAccessGatewayClientUser"),
        ("RegionId", "cn-shanghai"),
        ("SmartAGId", "sag-app1"),
        ("UserName", "online01"),
        ("Password", "duuf1234"),
        ("UserMail", "a@example.com"),
    ];
    assert_eq!(
        send(&gateway, rpc(&key(), "POST", &create, "o1")).status,
        200
    );
    let form = |body: &str| {
        let mut headers = basic(&key());
        headers.push((
            "content-type".to_owned(),
            "application/x-www-form-urlencoded".to_owned(),
        ));
        control(&gateway, "POST", "/_emulator/online", &headers, body)
    };
    let first = form("SmartAGId=sag-app1&UserName=online01");
    let at = clock.unix_seconds();
    assert_eq!(
        (first.status, first.body.clone()),
        (
            200,
            format!(r#"{{"ClientIp":"10.0.0.1","OnlineTime":{at}}}"#)
        )
    );
    clock.advance(60);
    let second = form("SmartAGId=sag-app1&UserName=online01");
    assert_eq!(
        second.body,
        format!(r#"{{"ClientIp":"10.0.0.2","OnlineTime":{}}}"#, at + 60)
    );
    let describe = [
        ("Action", "DescribeUserOnlineClients"),
        ("RegionId", "cn-shanghai"),
        ("SmartAGId", "sag-app1"),
        ("UserName", "online01"),
    ];
    let listed = send(&gateway, rpc(&key(), "GET", &describe, "o2"));
    let json: serde_json::Value = serde_json::from_str(&listed.body).unwrap();
    assert_eq!(
        json["Users"]["User"],
        serde_json::json!([
            {"ClientIp": "10.0.0.1", "OnlineTime": at.to_string()},
            {"ClientIp": "10.0.0.2", "OnlineTime": (at + 60).to_string()},
        ]),
        "{}",
        listed.body
    );

    // Refused: each as 400 ConnectRefused, nothing changed.
    for (body, why) in [
        (
            "SmartAGId=sag-app1&UserName=nobody99",
            "no user nobody99 on instance sag-app1",
        ),
        (
            "SmartAGId=sag-nothere&UserName=online01",
            "no instance sag-nothere",
        ),
        (
            "UserName=online01",
            "SmartAGId is missing or not an instance ID",
        ),
        (
            "SmartAGId=sag-app1&UserName=abc",
            "UserName is missing or not a user name",
        ),
    ] {
        let refused = form(body);
        assert_eq!(
            (refused.status, refused.code().as_deref()),
            (400, Some("ConnectRefused")),
            "{body}: {}",
            refused.body
        );
        assert!(refused.body.contains(why), "{body}: {}", refused.body);
    }
    // A signed request authorises too (its form parameters are signed); an anonymous one, a
    // GET or a wrong secret do not.
    let signed = sign_rpc(
        &key(),
        "POST",
        &[("SmartAGId", "sag-app1"), ("UserName", "online01")],
        TIMESTAMP,
        "o3",
    );
    let third = control(
        &gateway,
        "POST",
        &format!("/_emulator/online?{}", encode_query(&signed)),
        &[],
        "",
    );
    assert_eq!(third.status, 200, "{}", third.body);
    assert!(
        third.body.starts_with(r#"{"ClientIp":"10.0.0.3""#),
        "{}",
        third.body
    );
    let anonymous = control(&gateway, "POST", "/_emulator/online", &[], "");
    assert_eq!(anonymous.code().as_deref(), Some("MissingParameter"));
    assert_eq!(
        control(&gateway, "GET", "/_emulator/online", &basic(&key()), "").status,
        405
    );

    // The state lists the sessions, oldest first, and the account clock (the last connect's).
    let state = control(&gateway, "GET", "/_emulator/state", &basic(&key()), "");
    let json: serde_json::Value = serde_json::from_str(&state.body).unwrap();
    let sessions = &json["Instances"][0]["Sessions"];
    assert_eq!(sessions.as_array().map(Vec::len), Some(3), "{}", state.body);
    assert_eq!(
        sessions[0],
        serde_json::json!({"UserName": "online01", "ClientIp": "10.0.0.1", "OnlineTime": at})
    );
    assert_eq!(json["Clock"], serde_json::json!(at + 60), "{}", state.body);

    // KickOutClients ends them all.
    let kick = [
        ("Action", "KickOutClients"),
        ("RegionId", "cn-shanghai"),
        ("SmartAGId", "sag-app1"),
        ("Username", "online01"),
    ];
    assert_eq!(send(&gateway, rpc(&key(), "POST", &kick, "o4")).status, 200);
    let listed = send(&gateway, rpc(&key(), "GET", &describe, "o5"));
    assert!(
        listed.body.contains(r#""Users":{"User":[]}"#),
        "{}",
        listed.body
    );
}
