//! Injected faults (`POST/DELETE /_emulator/faults`) and the account as JSON
//! (`GET /_emulator/state`), through the gateway without the network: each code's exact answer
//! in JSON and XML, counts, actions, delays, clearing, accounts, restarts and authorisation.

use std::cell::Cell;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use smartag_emulator::auth::{encode_query, sign_acs3, sign_rpc, Acs3Request};
use smartag_emulator::clock::FixedClock;
use smartag_emulator::gateway::Handled;
use smartag_emulator::{AccessKey, Config, Gateway};
use smartag_rules::wire::{HttpRequest, Service};
use smartag_rules::Error;

const TIMESTAMP: &str = "2026-01-02T03:04:05Z";
const FIXTURE: &str = "instance sag-app1 region=cn-shanghai users=5 cidr=10.0.0.0/24";
const FORM: &str = "application/x-www-form-urlencoded";

const DESCRIBE: &[(&str, &str)] = &[
    ("Action", "DescribeSmartAccessGatewayClientUsers"),
    ("RegionId", "cn-shanghai"),
    ("SmartAGId", "sag-app1"),
];

/// A create of user `name` on sag-app1.
fn create(name: &str) -> Vec<(&'static str, String)> {
    [
        ("Action", "CreateSmartAccessGatewayClientUser"),
        ("RegionId", "cn-shanghai"),
        ("SmartAGId", "sag-app1"),
        ("Password", "duuf1234"),
        ("UserMail", "a@example.com"),
    ]
    .into_iter()
    .map(|(k, v)| (k, v.to_owned()))
    .chain([("UserName", name.to_owned())])
    .collect()
}

fn key() -> AccessKey {
    AccessKey::new("testid", "testsecret").unwrap()
}

fn config(keys: &[&AccessKey]) -> Config {
    let clock = Arc::new(FixedClock::at(TIMESTAMP).unwrap());
    keys.iter()
        .fold(Config::new(), |config, key| {
            config.access_key((*key).clone())
        })
        .fixtures(FIXTURE)
        .clock(clock)
}

struct Answer {
    status: u16,
    content_type: String,
    request_id: String,
    body: String,
    delay: Option<Duration>,
}

impl Answer {
    fn of(handled: Handled) -> Answer {
        let response = handled.response;
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .map(|v| v.to_str().unwrap().to_owned())
                .unwrap_or_default()
        };
        Answer {
            status: response.status().as_u16(),
            content_type: header("content-type"),
            request_id: header("x-acs-request-id"),
            body: String::from_utf8(response.body().to_vec()).unwrap(),
            delay: handled.delay,
        }
    }

    fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }

    fn code(&self) -> Option<String> {
        let json: serde_json::Value = serde_json::from_str(&self.body).ok()?;
        json.get("Code")?.as_str().map(str::to_owned)
    }
}

/// A gateway and a nonce counter, to sign each request afresh.
struct Emulator {
    gateway: Gateway,
    nonce: Cell<u32>,
}

impl Emulator {
    fn new(config: &Config) -> Emulator {
        Emulator {
            gateway: Gateway::new(config).unwrap(),
            nonce: Cell::new(0),
        }
    }

    fn nonce(&self) -> String {
        self.nonce.set(self.nonce.get() + 1);
        format!("nonce-{}", self.nonce.get())
    }

    fn send(&self, request: http::Request<Bytes>) -> Answer {
        Answer::of(self.gateway.handle_now(request))
    }

    /// An API request, RPC-signed by `key` in the query (GET) or a form body (POST).
    fn rpc_request<V: AsRef<str>>(
        &self,
        key: &AccessKey,
        method: &str,
        path: &str,
        params: &[(&str, V)],
    ) -> http::Request<Bytes> {
        let params: Vec<(&str, &str)> = params.iter().map(|(k, v)| (*k, v.as_ref())).collect();
        let signed = encode_query(&sign_rpc(key, method, &params, TIMESTAMP, &self.nonce()));
        let builder = http::Request::builder().method(method);
        if method == "POST" {
            builder
                .uri(path)
                .header("content-type", FORM)
                .body(Bytes::from(signed))
                .unwrap()
        } else {
            builder
                .uri(format!("{path}?{signed}"))
                .body(Bytes::new())
                .unwrap()
        }
    }

    fn api<V: AsRef<str>>(&self, key: &AccessKey, params: &[(&str, V)]) -> Answer {
        self.send(self.rpc_request(key, "POST", "/", params))
    }

    /// How many users sag-app1 holds, for `key`'s account.
    fn users(&self, key: &AccessKey) -> u64 {
        let answer = self.api(key, DESCRIBE);
        assert_eq!(answer.status, 200, "{}", answer.body);
        answer.json()["TotalCount"].as_u64().unwrap()
    }

    /// A control request authorised with HTTP Basic, its parameters in a form body.
    fn control(&self, key: &AccessKey, method: &str, path: &str, form: &[(&str, &str)]) -> Answer {
        use base64::Engine as _;
        let credentials = base64::engine::general_purpose::STANDARD.encode(format!(
            "{}:{}",
            key.id(),
            key.secret().expose()
        ));
        let form: Vec<(String, String)> = form
            .iter()
            .map(|&(k, v)| (k.to_owned(), v.to_owned()))
            .collect();
        let request = http::Request::builder()
            .method(method)
            .uri(path)
            .header("authorization", format!("Basic {credentials}"))
            .header("content-type", FORM)
            .body(Bytes::from(encode_query(&form)))
            .unwrap();
        self.send(request)
    }

    fn arm(&self, key: &AccessKey, form: &[(&str, &str)]) -> Answer {
        let answer = self.control(key, "POST", "/_emulator/faults", form);
        assert_eq!(answer.status, 200, "{form:?}: {}", answer.body);
        answer
    }

    fn clear(&self, key: &AccessKey) -> Answer {
        self.control(key, "DELETE", "/_emulator/faults", &[])
    }
}

/// Each code's answer is the service's error body, byte for byte (a fresh service's, with the
/// answer's own request ID), in the format and with the `HostId` the request asks for; the
/// request does not run.
#[test]
fn each_code_answers_the_services_exact_error_in_json_and_xml() {
    let codes = [
        (
            Error::ThrottlingUser,
            400,
            "Throttling.User",
            "Request was denied due to user flow control.",
        ),
        (
            Error::ServiceUnavailable,
            503,
            "ServiceUnavailable",
            "The request has failed due to a temporary failure of the server.",
        ),
        (
            Error::InternalError,
            500,
            "InternalError",
            "The request processing has failed due to some unknown error, exception or failure.",
        ),
    ];
    // The format parameter sent, the region, the content type answered.
    let formats = [
        (None, "cn-shanghai", "application/json;charset=utf-8"),
        (Some("JSON"), "cn-beijing", "application/json;charset=utf-8"),
        (Some("XML"), "cn-shanghai", "text/xml;charset=utf-8"),
        (Some("xml"), "ap-southeast-1", "text/xml;charset=utf-8"),
    ];
    let emulator = Emulator::new(&config(&[&key()]));
    for (error, status, code, message) in codes {
        assert_eq!(
            (error.http_status(), error.code(), error.message()),
            (status, code, message)
        );
        for (format, region, content_type) in formats {
            let label = format!("{code} {format:?} {region}");
            emulator.arm(&key(), &[("Action", "*"), ("Code", code), ("Count", "1")]);
            let mut params = create("faultuser1");
            params.retain(|(k, _)| *k != "RegionId");
            params.push(("RegionId", region.to_owned()));
            params.extend(format.map(|f| ("Format", f.to_owned())));
            let answer = emulator.api(&key(), &params);
            assert_eq!(
                (answer.status, answer.content_type.as_str()),
                (status, content_type),
                "{label}"
            );
            assert_eq!(answer.delay, None, "{label}");
            // The service's body for this error, format and region, with this request ID.
            let query = encode_query(
                &params
                    .iter()
                    .filter(|(k, _)| ["Format", "RegionId"].contains(k))
                    .map(|(k, v)| ((*k).to_owned(), v.clone()))
                    .collect::<Vec<_>>(),
            );
            let expected = Service::with_seed(7).reject(&HttpRequest::get(query), error);
            assert_eq!(expected.status, status);
            assert_eq!(
                answer.body,
                expected
                    .body
                    .replace(&expected.request_id, &answer.request_id),
                "{label}"
            );
            assert!(answer.body.contains(&answer.request_id), "{label}");
            assert!(answer.body.contains(message), "{label}");
            assert!(
                answer
                    .body
                    .contains(&format!("smartag.{region}.aliyuncs.com")),
                "{label}"
            );
        }
    }
    // None of the creates ran.
    assert_eq!(emulator.users(&key()), 0);
}

/// A fault acts on `Count` requests, then they run again; `*` meets every action, a named
/// fault only its own; the oldest match goes first.
#[test]
fn counts_run_out_and_actions_match_by_name_or_star() {
    let emulator = Emulator::new(&config(&[&key()]));
    let code = |answer: &Answer| (answer.status, answer.code());
    let throttled = (400, Some("Throttling.User".to_owned()));
    let unavailable = (503, Some("ServiceUnavailable".to_owned()));

    emulator.arm(
        &key(),
        &[
            ("Action", "CreateSmartAccessGatewayClientUser"),
            ("Code", "ServiceUnavailable"),
            ("Count", "2"),
        ],
    );
    // Another action does not meet it, nor spend its count.
    assert_eq!(emulator.users(&key()), 0);
    assert_eq!(
        code(&emulator.api(&key(), &create("count001"))),
        unavailable
    );
    assert_eq!(
        code(&emulator.api(&key(), &create("count001"))),
        unavailable
    );
    assert_eq!(emulator.api(&key(), &create("count001")).status, 200);
    assert_eq!(emulator.users(&key()), 1);

    // `*` meets every action; the named fault armed after it waits its turn.
    emulator.arm(
        &key(),
        &[("Action", "*"), ("Code", "Throttling.User"), ("Count", "2")],
    );
    emulator.arm(
        &key(),
        &[
            ("Action", "DescribeSmartAccessGatewayClientUsers"),
            ("Code", "ServiceUnavailable"),
            ("Count", "1"),
        ],
    );
    assert_eq!(code(&emulator.api(&key(), DESCRIBE)), throttled);
    assert_eq!(code(&emulator.api(&key(), &create("count002"))), throttled);
    assert_eq!(
        code(&emulator.api(&key(), &create("count002"))),
        (200, None)
    );
    assert_eq!(code(&emulator.api(&key(), DESCRIBE)), unavailable);
    assert_eq!(emulator.users(&key()), 2);

    // `*` meets even a request the wire layer refuses (an unknown action, no action at all),
    // answering the fault in place of the wire layer's error.
    emulator.arm(
        &key(),
        &[("Action", "*"), ("Code", "InternalError"), ("Count", "2")],
    );
    let nope: &[(&str, &str)] = &[("Action", "Nope"), ("RegionId", "cn-shanghai")];
    assert_eq!(
        code(&emulator.api(&key(), nope)),
        (500, Some("InternalError".to_owned()))
    );
    let none: &[(&str, &str)] = &[("RegionId", "cn-shanghai")];
    assert_eq!(
        code(&emulator.api(&key(), none)),
        (500, Some("InternalError".to_owned()))
    );
    assert_eq!(
        code(&emulator.api(&key(), nope)),
        (404, Some("InvalidAction.NotFound".to_owned()))
    );
}

/// Without `Code` the request runs as usual (once) and only its answer carries the delay,
/// which `Gateway::handle` waits out; the requests after the count are not delayed.
#[test]
fn delay_only_faults_act_once_and_answer_late() {
    let emulator = Emulator::new(&config(&[&key()]));
    let armed = emulator.arm(
        &key(),
        &[
            ("Action", "CreateSmartAccessGatewayClientUser"),
            ("Count", "1"),
            ("DelayMs", "1500"),
        ],
    );
    assert_eq!(
        armed.body,
        r#"{"Fault":{"Action":"CreateSmartAccessGatewayClientUser","Code":null,"Count":1,"DelayMs":1500}}"#
    );
    let first = emulator.api(&key(), &create("latecomer1"));
    assert_eq!(
        (first.status, first.delay),
        (200, Some(Duration::from_millis(1500))),
        "{}",
        first.body
    );
    assert!(
        first.body.contains(r#""UserName":"latecomer1""#),
        "{}",
        first.body
    );
    // The same request again is not delayed, and finds the user the first one created.
    let again = emulator.api(&key(), &create("latecomer1"));
    assert_eq!(
        (again.code().as_deref(), again.delay),
        (Some("ClientUser.UserExist"), None)
    );
    assert_eq!(emulator.users(&key()), 1);
    // An error fault with a delay: the error, late.
    emulator.arm(
        &key(),
        &[
            ("Action", "*"),
            ("Code", "InternalError"),
            ("Count", "1"),
            ("DelayMs", "20"),
        ],
    );
    let late = emulator.api(&key(), DESCRIBE);
    assert_eq!(
        (late.status, late.delay),
        (500, Some(Duration::from_millis(20)))
    );

    // `handle` (what the server awaits) waits the delay out before it answers.
    emulator.arm(
        &key(),
        &[("Action", "*"), ("Count", "1"), ("DelayMs", "300")],
    );
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .unwrap();
    let started = Instant::now();
    let response = runtime.block_on(emulator.gateway.handle(emulator.rpc_request(
        &key(),
        "GET",
        "/",
        DESCRIBE,
    )));
    assert_eq!(response.status(), 200);
    assert!(
        started.elapsed() >= Duration::from_millis(300),
        "{:?}",
        started.elapsed()
    );
    let started = Instant::now();
    let response = runtime.block_on(emulator.gateway.handle(emulator.rpc_request(
        &key(),
        "GET",
        "/",
        DESCRIBE,
    )));
    assert_eq!(response.status(), 200);
    assert!(
        started.elapsed() < Duration::from_millis(300),
        "{:?}",
        started.elapsed()
    );
}

/// `DELETE /_emulator/faults` disarms every fault of the caller's account; so does a reset.
#[test]
fn delete_and_reset_clear_the_faults() {
    let emulator = Emulator::new(&config(&[&key()]));
    let clear = emulator.clear(&key());
    assert_eq!(
        (clear.status, clear.body.as_str()),
        (200, r#"{"Cleared":0}"#)
    );
    emulator.arm(
        &key(),
        &[("Action", "*"), ("Code", "InternalError"), ("Count", "5")],
    );
    emulator.arm(
        &key(),
        &[
            ("Action", "RoamClientUser"),
            ("Count", "1"),
            ("DelayMs", "10"),
        ],
    );
    let clear = emulator.clear(&key());
    assert_eq!(
        (clear.status, clear.body.as_str()),
        (200, r#"{"Cleared":2}"#)
    );
    let answer = emulator.api(&key(), DESCRIBE);
    assert_eq!((answer.status, answer.delay), (200, None));

    emulator.arm(
        &key(),
        &[("Action", "*"), ("Code", "InternalError"), ("Count", "5")],
    );
    assert_eq!(
        emulator
            .control(&key(), "POST", "/_emulator/reset", &[])
            .status,
        200
    );
    assert_eq!(emulator.api(&key(), DESCRIBE).status, 200);
    assert_eq!(emulator.clear(&key()).body, r#"{"Cleared":0}"#);
}

/// A fault belongs to the account of the key that armed it.
#[test]
fn faults_are_per_account() {
    let alice = AccessKey::new("alice", "alice-secret").unwrap();
    let bob = AccessKey::new("bob", "bob-secret").unwrap();
    let emulator = Emulator::new(&config(&[&alice, &bob]));
    emulator.arm(
        &alice,
        &[("Action", "*"), ("Code", "Throttling.User"), ("Count", "1")],
    );
    emulator.arm(&bob, &[("Action", "*"), ("Count", "1"), ("DelayMs", "10")]);
    let bobs = emulator.api(&bob, &create("bobuser1"));
    assert_eq!(
        (bobs.status, bobs.delay),
        (200, Some(Duration::from_millis(10)))
    );
    assert_eq!(emulator.api(&bob, DESCRIBE).status, 200);
    assert_eq!(
        emulator.api(&alice, DESCRIBE).code().as_deref(),
        Some("Throttling.User")
    );
    assert_eq!(emulator.users(&alice), 0);
    // Bob's clear leaves Alice's faults alone.
    emulator.arm(
        &alice,
        &[("Action", "*"), ("Code", "Throttling.User"), ("Count", "1")],
    );
    assert_eq!(emulator.clear(&bob).body, r#"{"Cleared":0}"#);
    assert_eq!(
        emulator.api(&alice, DESCRIBE).code().as_deref(),
        Some("Throttling.User")
    );
}

/// A request the authentication refuses never meets a fault, nor spends its count.
#[test]
fn refused_requests_do_not_spend_a_fault() {
    let emulator = Emulator::new(&config(&[&key()]));
    emulator.arm(
        &key(),
        &[("Action", "*"), ("Code", "Throttling.User"), ("Count", "1")],
    );
    let wrong = AccessKey::new("testid", "not-the-secret").unwrap();
    let refused = emulator.api(&wrong, DESCRIBE);
    assert_eq!(refused.code().as_deref(), Some("SignatureDoesNotMatch"));
    let unsigned = emulator.send(
        http::Request::builder()
            .uri(format!(
                "/?{}",
                encode_query(&[("Action".to_owned(), "ListEnterpriseCode".to_owned())])
            ))
            .body(Bytes::new())
            .unwrap(),
    );
    assert_eq!(unsigned.code().as_deref(), Some("MissingParameter"));
    assert_eq!(
        emulator.api(&key(), DESCRIBE).code().as_deref(),
        Some("Throttling.User")
    );
    assert_eq!(emulator.api(&key(), DESCRIBE).status, 200);
}

/// The fault endpoints and the state are authorised as the other control endpoints: Basic,
/// RPC (form or query) or ACS3 signing by a configured key; anything else is refused.
#[test]
fn control_requests_are_authorised_like_the_others() {
    let emulator = Emulator::new(&config(&[&key()]));
    let arm: &[(&str, &str)] = &[("Action", "*"), ("Code", "InternalError"), ("Count", "1")];
    let anonymous = |method: &str, path: &str| {
        emulator.send(
            http::Request::builder()
                .method(method)
                .uri(path)
                .header("content-type", FORM)
                .body(Bytes::from("Action=*&Code=InternalError&Count=1"))
                .unwrap(),
        )
    };
    for (method, path) in [
        ("POST", "/_emulator/faults"),
        ("DELETE", "/_emulator/faults"),
        ("GET", "/_emulator/state"),
    ] {
        let answer = anonymous(method, path);
        assert_eq!(
            (answer.status, answer.code().as_deref()),
            (403, Some("MissingParameter")),
            "{method} {path}"
        );
        let wrong = AccessKey::new("testid", "nope").unwrap();
        assert_eq!(
            emulator.control(&wrong, method, path, arm).status,
            401,
            "{method} {path}"
        );
        let unknown = AccessKey::new("nobody", "testsecret").unwrap();
        assert_eq!(
            emulator.control(&unknown, method, path, arm).status,
            401,
            "{method} {path}"
        );
        let forged = emulator.rpc_request(&wrong, method, path, arm);
        let answer = emulator.send(forged);
        assert_eq!(
            answer.code().as_deref(),
            Some("SignatureDoesNotMatch"),
            "{method} {path}"
        );
    }
    // Nothing was armed by any of them.
    assert_eq!(emulator.api(&key(), DESCRIBE).status, 200);

    // RPC-signed, in a form body (POST) and in the query (DELETE, signed as a DELETE).
    let armed = emulator.send(emulator.rpc_request(&key(), "POST", "/_emulator/faults", arm));
    assert_eq!(armed.status, 200, "{}", armed.body);
    let cleared =
        emulator.send(emulator.rpc_request::<&str>(&key(), "DELETE", "/_emulator/faults", &[]));
    assert_eq!(
        (cleared.status, cleared.body.as_str()),
        (200, r#"{"Cleared":1}"#)
    );
    // A DELETE signed as a GET does not match.
    let mut as_get = emulator.rpc_request::<&str>(&key(), "GET", "/_emulator/faults", &[]);
    *as_get.method_mut() = http::Method::DELETE;
    assert_eq!(
        emulator.send(as_get).code().as_deref(),
        Some("SignatureDoesNotMatch")
    );

    // ACS3-signed, the fault in the signed query.
    let headers = sign_acs3(
        &key(),
        &Acs3Request {
            method: "POST",
            host: "127.0.0.1:8080",
            path: "/_emulator/faults",
            action: "",
            params: arm,
            body: b"",
        },
        TIMESTAMP,
        &emulator.nonce(),
    );
    let owned: Vec<(String, String)> = arm
        .iter()
        .map(|&(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    let mut request = http::Request::builder()
        .method("POST")
        .uri(format!("/_emulator/faults?{}", encode_query(&owned)));
    for (k, v) in &headers {
        request = request.header(k.as_str(), v.as_str());
    }
    let armed = emulator.send(request.body(Bytes::new()).unwrap());
    assert_eq!(armed.status, 200, "{}", armed.body);
    assert_eq!(
        emulator.api(&key(), DESCRIBE).code().as_deref(),
        Some("InternalError")
    );

    // Other methods on the same names are 405.
    for (method, path) in [
        ("GET", "/_emulator/faults"),
        ("PUT", "/_emulator/faults"),
        ("POST", "/_emulator/state"),
        ("DELETE", "/_emulator/state"),
        ("DELETE", "/_emulator/reset"),
    ] {
        assert_eq!(
            emulator.control(&key(), method, path, &[]).status,
            405,
            "{method} {path}"
        );
    }
    // DELETE on the API is still 405.
    let mut delete = emulator.rpc_request(&key(), "GET", "/", DESCRIBE);
    *delete.method_mut() = http::Method::DELETE;
    assert_eq!(emulator.send(delete).status, 405);
}

/// A form that cannot be armed is 400 `InvalidFault`, saying what is wrong; nothing is armed.
#[test]
fn bad_forms_are_refused_with_a_clear_error() {
    let emulator = Emulator::new(&config(&[&key()]));
    let cases: &[(&[(&str, &str)], &str)] = &[
        (&[], "Action is missing: an action of the API, or `*` for every request"),
        (&[("Action", "Describe"), ("Code", "InternalError"), ("Count", "1")], "Action must be `*` or an action of the API, not `Describe`"),
        (&[("Action", "*"), ("Code", "Throttling"), ("Count", "1")], "Code must be one of Throttling.User, ServiceUnavailable, InternalError, not `Throttling`"),
        (&[("Action", "*"), ("Code", "InternalError")], "Count is missing: how many requests, 1 or more"),
        (&[("Action", "*"), ("Code", "InternalError"), ("Count", "0")], "Count must be a whole number from 1 to 4294967295, not `0`"),
        (&[("Action", "*"), ("Code", "InternalError"), ("Count", "two")], "Count must be a whole number from 1 to 4294967295, not `two`"),
        (&[("Action", "*"), ("Count", "1"), ("DelayMs", "-5")], "DelayMs must be a whole number of milliseconds from 0 to 30000, not `-5`"),
        (&[("Action", "*"), ("Count", "1"), ("DelayMs", "30001")], "DelayMs must be a whole number of milliseconds from 0 to 30000, not `30001`"),
        (&[("Action", "*"), ("Count", "1")], "nothing to inject: give a Code, a DelayMs above 0, or both"),
    ];
    for &(form, message) in cases {
        let answer = emulator.control(&key(), "POST", "/_emulator/faults", form);
        assert_eq!(answer.status, 400, "{form:?}");
        assert_eq!(answer.content_type, "application/json;charset=utf-8");
        assert_eq!(
            answer.json(),
            serde_json::json!({"Code": "InvalidFault", "Message": message}),
            "{form:?}"
        );
    }
    assert_eq!(emulator.clear(&key()).body, r#"{"Cleared":0}"#);
}

/// Faults are never written to the state directory: arming and clearing them leaves its files
/// as they were, and a restart on it has none (while the change a delayed request made is kept).
#[test]
fn faults_are_not_persisted_across_a_restart() {
    let dir = std::env::temp_dir().join(format!("smartag-faults-state-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let files = || {
        let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| {
                let e = e.unwrap();
                (
                    e.file_name().to_string_lossy().into_owned(),
                    std::fs::read(e.path()).unwrap(),
                )
            })
            .collect();
        files.sort();
        files
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    {
        let emulator = Emulator::new(&config(&[&key()]).state_dir(&dir));
        let before = files();
        emulator.arm(
            &key(),
            &[
                ("Action", "*"),
                ("Code", "ServiceUnavailable"),
                ("Count", "3"),
            ],
        );
        emulator.arm(
            &key(),
            &[
                ("Action", "CreateSmartAccessGatewayClientUser"),
                ("Count", "1"),
                ("DelayMs", "10"),
            ],
        );
        assert_eq!(emulator.clear(&key()).body, r#"{"Cleared":2}"#);
        emulator.arm(
            &key(),
            &[("Action", "*"), ("Count", "1"), ("DelayMs", "10")],
        );
        emulator.arm(
            &key(),
            &[
                ("Action", "*"),
                ("Code", "ServiceUnavailable"),
                ("Count", "3"),
            ],
        );
        assert_eq!(
            files(),
            before,
            "arming and clearing faults wrote to the state directory"
        );
        // The delay-only fault's request runs and is made durable, late.
        let request = emulator.rpc_request(&key(), "POST", "/", &create("keptuser1"));
        let response = runtime.block_on(emulator.gateway.handle(request));
        assert_eq!(response.status(), 200);
        assert_eq!(
            emulator.api(&key(), DESCRIBE).code().as_deref(),
            Some("ServiceUnavailable")
        );
    }
    let emulator = Emulator::new(&config(&[&key()]).state_dir(&dir));
    let answer = emulator.api(&key(), DESCRIBE);
    assert_eq!(
        (answer.status, answer.delay),
        (200, None),
        "{}",
        answer.body
    );
    assert_eq!(answer.json()["TotalCount"], 1);
    assert_eq!(emulator.clear(&key()).body, r#"{"Cleared":0}"#);
    // The state, as the disk holds it, has the delayed request's user.
    let state = emulator.control(&key(), "GET", "/_emulator/state", &[]);
    assert_eq!(
        state.json()["Instances"][0]["Users"][0]["UserName"],
        "keptuser1",
        "{}",
        state.body
    );
    drop(emulator);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// `GET /_emulator/state`: instances, users, sessions and enterprise codes as the account
/// holds them, per key, every password masked.
#[test]
fn the_state_shows_the_account_with_passwords_masked() {
    let alice = AccessKey::new("alice", "alice-secret").unwrap();
    let bob = AccessKey::new("bob", "bob-secret").unwrap();
    let emulator = Emulator::new(&config(&[&alice, &bob]));
    let fixtures = emulator.send(
        http::Request::builder()
            .method("POST")
            .uri("/_emulator/fixtures")
            .header("authorization", {
                use base64::Engine as _;
                format!("Basic {}", base64::engine::general_purpose::STANDARD.encode("alice:alice-secret"))
            })
            .body(Bytes::from_static(b"instance sag-app2 region=cn-beijing users=3 cidr=10.1.0.0/24,10.2.0.0/30 code=AB123 max-bandwidth=2000\n"))
            .unwrap(),
    );
    assert_eq!(fixtures.status, 200, "{}", fixtures.body);
    let ok = |params: &[(&str, &str)]| {
        let answer = emulator.api(&alice, params);
        assert_eq!(answer.status, 200, "{params:?}: {}", answer.body);
    };
    ok(&[
        ("Action", "CreateSmartAccessGatewayClientUser"),
        ("RegionId", "cn-shanghai"),
        ("SmartAGId", "sag-app1"),
        ("UserName", "stateuser1"),
        ("Password", "secret12pw"),
        ("UserMail", "s@example.com"),
        ("Bandwidth", "30"),
        ("ClientIp", "10.0.0.7"),
    ]);
    ok(&[
        ("Action", "DisableSmartAccessGatewayUser"),
        ("RegionId", "cn-shanghai"),
        ("SmartAGId", "sag-app1"),
        ("UserName", "stateuser1"),
    ]);
    ok(&[
        ("Action", "CreateEnterpriseCode"),
        ("RegionId", "cn-shanghai"),
        ("EnterpriseCode", "CD456"),
    ]);
    ok(&[
        ("Action", "UpdateEnterpriseCode"),
        ("RegionId", "cn-shanghai"),
        ("EnterpriseCode", "CD456"),
        ("IsDefault", "true"),
    ]);

    let state = emulator.control(&alice, "GET", "/_emulator/state", &[]);
    assert_eq!(
        (state.status, state.content_type.as_str()),
        (200, "application/json;charset=utf-8")
    );
    assert!(!state.body.contains("secret12pw"), "{}", state.body);
    assert_eq!(
        state.json(),
        serde_json::json!({
            "AccessKeyId": "alice",
            "Instances": [
                {
                    "SmartAGId": "sag-app1", "RegionId": "cn-shanghai", "Kind": "App",
                    "UserQuota": 5, "UserCount": 1, "MaxBandwidth": 20000,
                    "CidrBlocks": ["10.0.0.0/24"], "EnterpriseCode": null, "LinkedInstances": [],
                    "Users": [{
                        "UserName": "stateuser1", "UserMail": "s@example.com", "Password": "********",
                        "Bandwidth": 30, "State": 1, "IsStaticIp": true, "ClientIp": "10.0.0.7",
                        "UsedThisMonth": false, "RoamingFrom": null, "RoamingTo": []
                    }],
                    "Sessions": []
                },
                {
                    "SmartAGId": "sag-app2", "RegionId": "cn-beijing", "Kind": "App",
                    "UserQuota": 3, "UserCount": 0, "MaxBandwidth": 2000,
                    "CidrBlocks": ["10.1.0.0/24", "10.2.0.0/30"], "EnterpriseCode": "AB123",
                    "LinkedInstances": [], "Users": [], "Sessions": []
                }
            ],
            "Clock": 0,
            "EnterpriseCodes": [
                {"EnterpriseCode": "AB123", "IsDefault": false},
                {"EnterpriseCode": "CD456", "IsDefault": true}
            ]
        })
    );
    // Bob's account is his own; an RPC-signed GET reads it too.
    let bobs = emulator.send(emulator.rpc_request::<&str>(&bob, "GET", "/_emulator/state", &[]));
    assert_eq!(bobs.status, 200, "{}", bobs.body);
    assert_eq!(bobs.json()["AccessKeyId"], "bob");
    assert_eq!(bobs.json()["Instances"][0]["Users"], serde_json::json!([]));
    assert_eq!(bobs.json()["EnterpriseCodes"], serde_json::json!([]));
}

/// Over real sockets, on a runtime of one thread: a delayed answer leaves late while another
/// request, sent during the delay, is answered at once (the delay is a timer, never a worker
/// held).
#[tokio::test(flavor = "current_thread")]
async fn a_delay_holds_no_worker() {
    use smartag_emulator::clock::{format_timestamp, Clock, SystemClock};
    use smartag_emulator::Emulator;
    use std::io::{Read, Write};

    fn exchange(addr: std::net::SocketAddr, head: String) -> (u16, String, Duration) {
        let started = Instant::now();
        let mut stream = std::net::TcpStream::connect(addr).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        stream.write_all(head.as_bytes()).unwrap();
        let mut answer = String::new();
        stream.read_to_string(&mut answer).unwrap();
        let status = answer
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        (status, answer, started.elapsed())
    }
    let get = |addr, key: &AccessKey, nonce: &str| {
        let now = format_timestamp(SystemClock.unix_seconds());
        let query = encode_query(&sign_rpc(key, "GET", DESCRIBE, &now, nonce));
        exchange(
            addr,
            format!("GET /?{query} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"),
        )
    };

    let emulator = Emulator::start(Config::new().access_key(key()).fixtures(FIXTURE))
        .await
        .unwrap();
    let addr = emulator.addr();
    let form = "Action=*&Count=1&DelayMs=1500";
    let arm = format!(
        "POST /_emulator/faults HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Basic dGVzdGlkOnRlc3RzZWNyZXQ=\r\n\
         Content-Type: {FORM}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{form}",
        form.len()
    );
    let (status, answer, _) = tokio::task::spawn_blocking(move || exchange(addr, arm))
        .await
        .unwrap();
    assert_eq!(status, 200, "{answer}");

    // Both clients on threads of their own (the runtime's one thread serves), the second sent
    // 300 ms into the first one's delay.
    let late = tokio::task::spawn_blocking(move || get(addr, &key(), "late"));
    let prompt = tokio::task::spawn_blocking(move || {
        std::thread::sleep(Duration::from_millis(300));
        get(addr, &key(), "prompt")
    });
    let (late, prompt) = (late.await.unwrap(), prompt.await.unwrap());
    assert_eq!(prompt.0, 200, "{}", prompt.1);
    assert!(
        prompt.2 < Duration::from_millis(1000),
        "the prompt request waited {:?}",
        prompt.2
    );
    assert_eq!(late.0, 200, "{}", late.1);
    assert!(
        late.2 >= Duration::from_millis(1500),
        "the delayed answer came after {:?}",
        late.2
    );
    emulator.stop().await;
}
