//! A full request, from parameter pairs to the JSON body, for each operation: `Service::handle`
//! on an instance of 1,000 users, beside a floor that any implementation pays (collecting the
//! pairs into a map and writing a JSON body with `serde_json::json!`, with no validation and no
//! model at all).
//!
//! The same describe also comes as a whole HTTP request (`Service::handle_http`): RPC-signed, as
//! an ACS3 request with its headers, and as a POST form body, to show what reading a whole
//! request costs beside the parameter list.
//!
//! Goal (issue 6): Create under 5 µs median.

use std::collections::HashMap;
use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use smartag_rules::wire::{HttpRequest, HttpResponse, Service};

mod common;

use common::{name, specs, ORIGIN, TARGET};

const USERS: u32 = 1_000;

/// A service whose origin instance holds `USERS` users, and a target instance in another region.
fn service() -> Service {
    let mut service = Service::with_seed(0);
    let account = service.account_mut();
    for spec in specs(USERS * 2, USERS * 2) {
        assert!(account.add_instance(spec).is_ok());
    }
    for i in 0..USERS {
        let response = service.handle(create(i));
        assert_eq!(response.status, 200, "{}", response.body);
    }
    service
}

type Pairs = Vec<(&'static str, String)>;

fn common(action: &str) -> Pairs {
    vec![
        ("Action", action.to_string()),
        ("Format", "JSON".to_string()),
        ("Version", "2018-03-13".to_string()),
        ("AccessKeyId", "testid".to_string()),
        ("SignatureMethod", "HMAC-SHA1".to_string()),
        ("SignatureVersion", "1.0".to_string()),
        (
            "SignatureNonce",
            "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf".to_string(),
        ),
        ("Timestamp", "2026-11-22T12:00:00Z".to_string()),
    ]
}

fn with(mut pairs: Pairs, more: &[(&'static str, String)]) -> Pairs {
    pairs.extend(more.iter().cloned());
    pairs
}

/// The service's answer to `pairs`.
fn handle(service: &mut Service, pairs: &Pairs) -> HttpResponse {
    service.handle(pairs.iter().map(|(k, v)| (*k, v.as_str())))
}

/// Runs each of `requests` untimed; all must answer 200.
fn run_all(service: &mut Service, requests: &[Pairs]) {
    for p in requests {
        let response = handle(service, p);
        assert_eq!(response.status, 200, "{}", response.body);
    }
}

fn create(i: u32) -> Pairs {
    with(
        common("CreateSmartAccessGatewayClientUser"),
        &[
            ("RegionId", ORIGIN.0.into()),
            ("SmartAGId", ORIGIN.1.into()),
            ("UserName", name(i)),
            ("Password", format!("pass{i:07}")),
            ("UserMail", format!("{}@example.com", name(i))),
            ("Bandwidth", "2000".into()),
        ],
    )
}

/// `action` on user `i` of the instance `(region, id)`.
fn user_op(action: &str, (region, id): (&str, &str), i: u32) -> Pairs {
    with(
        common(action),
        &[
            ("RegionId", region.into()),
            ("SmartAGId", id.into()),
            ("UserName", name(i)),
        ],
    )
}

fn delete(i: u32) -> Pairs {
    user_op("DeleteSmartAccessGatewayClientUser", ORIGIN, i)
}

fn roam(i: u32) -> Pairs {
    with(
        common("RoamClientUser"),
        &[
            ("RegionId", TARGET.0.into()),
            ("OriginRegionId", ORIGIN.0.into()),
            ("OriginSmartAGId", ORIGIN.1.into()),
            ("TargetSmartAGId", TARGET.1.into()),
            ("UserName", name(i)),
        ],
    )
}

/// The floor: the pairs into a map, and a JSON body echoing four of them.
fn floor(pairs: &Pairs) -> String {
    let map: HashMap<&str, &str> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let body = serde_json::json!({
        "RequestId": "3200E8A3-563F-4FFC-8BDB-0F1263FA69E8",
        "UserName": map.get("UserName"),
        "UserMail": map.get("UserMail"),
        "Bandwidth": map.get("Bandwidth").and_then(|b| b.parse::<u32>().ok()),
        "ClientIp": map.get("ClientIp").copied().unwrap_or(""),
    });
    body.to_string()
}

/// Times each request of `timed` (all must answer 200), running `undo` untimed after each batch.
fn timed_batches(iters: u64, service: &mut Service, timed: &[Pairs], undo: &[Pairs]) -> Duration {
    let mut total = Duration::ZERO;
    let mut left = iters;
    while left > 0 {
        let k = left.min(timed.len() as u64) as usize;
        let start = Instant::now();
        let ok = timed[..k].iter().fold(true, |ok, p| {
            ok & (black_box(handle(service, p)).status == 200)
        });
        total += start.elapsed();
        assert!(ok, "a timed request failed");
        for p in &undo[..k] {
            handle(service, p);
        }
        left -= k as u64;
    }
    total
}

fn wire(c: &mut Criterion) {
    let mut service = service();
    let mut group = c.benchmark_group("wire");
    let batch = 100u32;
    let fresh: Vec<u32> = (USERS..USERS + batch).collect();
    let middle: Vec<u32> = (USERS / 2..USERS / 2 + batch).collect();

    let creates: Vec<Pairs> = fresh.iter().map(|&i| create(i)).collect();
    let deletes: Vec<Pairs> = fresh.iter().map(|&i| delete(i)).collect();
    group.bench_function(BenchmarkId::new("create", "library"), |b| {
        b.iter_custom(|iters| timed_batches(iters, &mut service, &creates, &deletes))
    });
    group.bench_function(BenchmarkId::new("create", "floor"), |b| {
        b.iter(|| floor(black_box(&creates[0])))
    });
    run_all(&mut service, &creates);
    group.bench_function(BenchmarkId::new("delete", "library"), |b| {
        b.iter_custom(|iters| timed_batches(iters, &mut service, &deletes, &creates))
    });
    run_all(&mut service, &deletes);
    let roams: Vec<Pairs> = middle.iter().map(|&i| roam(i)).collect();
    let unroams: Vec<Pairs> = middle
        .iter()
        .map(|&i| user_op("DeleteSmartAccessGatewayClientUser", TARGET, i))
        .collect();
    group.bench_function(BenchmarkId::new("roam", "library"), |b| {
        b.iter_custom(|iters| timed_batches(iters, &mut service, &roams, &unroams))
    });

    let steady: [(&str, Pairs); 5] = [
        (
            "modify",
            with(
                common("ModifySmartAccessGatewayClientUser"),
                &[
                    ("RegionId", ORIGIN.0.into()),
                    ("SmartAGId", ORIGIN.1.into()),
                    ("UserName", name(USERS / 2)),
                    ("Bandwidth", "20000".into()),
                    ("Email", "changed@example.com".into()),
                ],
            ),
        ),
        (
            "describe",
            with(
                common("DescribeSmartAccessGatewayClientUsers"),
                &[
                    ("RegionId", ORIGIN.0.into()),
                    ("SmartAGId", ORIGIN.1.into()),
                    ("PageSize", "10".into()),
                ],
            ),
        ),
        (
            "reset_password",
            user_op("ResetSmartAccessGatewayClientUserPassword", ORIGIN, 1),
        ),
        (
            "disable",
            user_op("DisableSmartAccessGatewayUser", ORIGIN, 2),
        ),
        ("enable", user_op("EnableSmartAccessGatewayUser", ORIGIN, 2)),
    ];
    for (label, pairs) in &steady {
        group.bench_function(BenchmarkId::new(*label, "library"), |b| {
            b.iter(|| {
                let response = handle(&mut service, black_box(pairs));
                assert_eq!(response.status, 200);
                response
            })
        });
    }
    // The same describe as a whole HTTP request: RPC-signed (everything in the query), as the
    // newer SDKs send it (ACS3: Action and Version as headers among a dozen others), and as a
    // POST form body.
    let query = "RegionId=cn-shanghai&SmartAGId=sag-origin&PageSize=10";
    let describe = "DescribeSmartAccessGatewayClientUsers";
    let acs3_headers = [
        ("Accept-Encoding", "identity"),
        ("host", "127.0.0.1:8080"),
        ("x-acs-version", "2018-03-13"),
        ("x-acs-action", describe),
        (
            "user-agent",
            "AlibabaCloud (Linux; x86_64) Python/3.11.7 Core/0.4.3 TeaDSL/2",
        ),
        ("x-acs-date", "2026-01-02T03:04:05Z"),
        ("x-acs-signature-nonce", "0123456789abcdef0123456789abcdef"),
        ("accept", "application/json"),
        (
            "x-acs-content-sha256",
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        ),
        (
            "Authorization",
            "ACS3-HMAC-SHA256 Credential=testid,SignedHeaders=accept;host,Signature=00",
        ),
        ("Content-Length", "0"),
    ];
    let http: [(&str, HttpRequest); 3] = [
        (
            "describe_http_rpc",
            HttpRequest::post(format!(
                "Action={describe}&Format=JSON&Version=2018-03-13&AccessKeyId=testid\
                 &SignatureMethod=HMAC-SHA1&SignatureVersion=1.0&SignatureNonce=3ee8c1b8\
                 &Timestamp=2026-11-22T12%3A00%3A00Z&Signature=abc%3D&{query}"
            )),
        ),
        (
            "describe_http_acs3",
            acs3_headers
                .iter()
                .fold(HttpRequest::post(query), |r, (n, v)| r.with_header(*n, *v)),
        ),
        (
            "describe_http_form",
            HttpRequest::post("")
                .with_header("Content-Type", "application/x-www-form-urlencoded")
                .with_body(format!("Action={describe}&Version=2018-03-13&{query}")),
        ),
    ];
    for (label, request) in &http {
        group.bench_function(BenchmarkId::new(*label, "library"), |b| {
            b.iter(|| {
                let response = service.handle_http(black_box(request));
                assert_eq!(response.status, 200);
                response
            })
        });
    }

    // A repeated parameter takes its first value, so the bad value replaces the good one.
    let mut invalid = create(USERS + 1000);
    for (key, value) in &mut invalid {
        if *key == "Bandwidth" {
            *value = "20001".into();
        }
    }
    group.bench_function(BenchmarkId::new("create_invalid", "library"), |b| {
        b.iter(|| {
            let response = handle(&mut service, black_box(&invalid));
            assert_eq!(response.status, 400);
            response
        })
    });
    group.finish();
}

criterion_group!(benches, wire);
criterion_main!(benches);
