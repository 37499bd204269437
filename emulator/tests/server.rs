//! The server over real sockets: the Rust harness (async and blocking), signed requests end to
//! end, and the limits on URLs, heads, bodies, idle clients and connections.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use smartag_emulator::auth::{encode_query, sign_rpc};
use smartag_emulator::clock::{format_timestamp, Clock, SystemClock};
use smartag_emulator::{AccessKey, Config, Emulator, Limits};

const FIXTURE: &str = "instance sag-app1 region=cn-shanghai users=5 cidr=10.0.0.0/24";

/// Sends raw bytes on a new connection and reads until the server closes it: the status (0
/// when the connection closed without an answer) and the whole answer.
fn exchange(addr: SocketAddr, bytes: &[u8]) -> (u16, String) {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    // The server may answer and close before it has read everything (a 413, say).
    let _ = stream.write_all(bytes);
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    let text = String::from_utf8_lossy(&answer).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, text)
}

fn signed_get(
    addr: SocketAddr,
    key: &AccessKey,
    params: &[(&str, &str)],
    nonce: &str,
) -> (u16, String) {
    let now = format_timestamp(SystemClock.unix_seconds());
    let query = encode_query(&sign_rpc(key, "GET", params, &now, nonce));
    exchange(
        addr,
        format!("GET /?{query} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").as_bytes(),
    )
}

const DESCRIBE: &[(&str, &str)] = &[
    ("Action", "DescribeSmartAccessGatewayClientUsers"),
    ("RegionId", "cn-shanghai"),
    ("SmartAGId", "sag-app1"),
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_async_harness_serves_signed_requests_with_the_well_known_key() {
    let emulator = Emulator::start(Config::new().fixtures(FIXTURE))
        .await
        .unwrap();
    let addr = emulator.addr();
    let key = emulator.access_key().clone();
    assert_eq!(key, AccessKey::well_known());
    let (status, answer) =
        tokio::task::spawn_blocking(move || signed_get(addr, &key, DESCRIBE, "a"))
            .await
            .unwrap();
    assert_eq!(status, 200, "{answer}");
    assert!(
        answer.contains("content-type: application/json;charset=utf-8"),
        "{answer}"
    );
    assert!(answer.contains("x-acs-request-id: "), "{answer}");
    assert!(answer.contains(r#""TotalCount":0"#), "{answer}");
    emulator.stop().await;
    assert!(TcpStream::connect(addr).is_err(), "stopped");
}

#[test]
fn the_blocking_harness_takes_keys_and_fixtures_from_code_and_stops_on_drop() {
    let key = AccessKey::new("testid", "testsecret").unwrap();
    let emulator =
        Emulator::start_blocking(Config::new().access_key(key.clone()).fixtures(FIXTURE)).unwrap();
    let addr = emulator.addr();
    assert_eq!(emulator.url(), format!("http://{addr}/"));
    assert_eq!(emulator.endpoint(), addr.to_string());
    let (status, answer) = signed_get(addr, &key, DESCRIBE, "b");
    assert_eq!(status, 200, "{answer}");
    let (status, answer) = signed_get(addr, &AccessKey::well_known(), DESCRIBE, "c");
    assert_eq!(status, 404, "only the configured key: {answer}");
    drop(emulator);
    assert!(TcpStream::connect(addr).is_err(), "stopped on drop");
}

fn limited(limits: Limits) -> Emulator {
    Emulator::start_blocking(Config::new().fixtures(FIXTURE).limits(limits)).unwrap()
}

#[test]
fn oversized_urls_heads_and_bodies_are_refused_and_the_server_keeps_serving() {
    let emulator = limited(Limits::default());
    let addr = emulator.addr();
    let long_url = format!(
        "GET /?{} HTTP/1.1\r\nHost: x\r\n\r\n",
        "a".repeat(20 * 1024)
    );
    assert_eq!(exchange(addr, long_url.as_bytes()).0, 414);
    let huge_url = format!(
        "GET /?{} HTTP/1.1\r\nHost: x\r\n\r\n",
        "a".repeat(2 * 1024 * 1024)
    );
    assert_eq!(
        exchange(addr, huge_url.as_bytes()).0,
        431,
        "past the head buffer"
    );
    let big_header = format!(
        "GET / HTTP/1.1\r\nHost: x\r\nX-Big: {}\r\n\r\n",
        "a".repeat(100 * 1024)
    );
    assert_eq!(exchange(addr, big_header.as_bytes()).0, 431);
    let many_headers: String = (0..150).map(|i| format!("X-H{i}: 1\r\n")).collect();
    assert_eq!(
        exchange(
            addr,
            format!("GET / HTTP/1.1\r\nHost: x\r\n{many_headers}\r\n").as_bytes()
        )
        .0,
        431
    );
    let declared = "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 52428800\r\n\r\nabc";
    assert_eq!(exchange(addr, declared.as_bytes()).0, 413);
    let chunk = format!("{:x}\r\n{}\r\n", 512 * 1024, "a".repeat(512 * 1024));
    let chunked = format!("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n{chunk}{chunk}{chunk}0\r\n\r\n");
    assert_eq!(exchange(addr, chunked.as_bytes()).0, 413);
    assert_eq!(exchange(addr, b"NOT HTTP AT ALL\r\n\r\n").0, 400);
    let (status, answer) = signed_get(addr, emulator.access_key(), DESCRIBE, "d");
    assert_eq!(status, 200, "{answer}");
}

/// A request for the health endpoint carrying `count` headers in all (`Host` and `Connection`
/// among them).
fn health_with_headers(count: usize) -> String {
    let extra: String = (2..count).map(|i| format!("X-H{i}: 1\r\n")).collect();
    format!("GET /_emulator/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n{extra}\r\n")
}

#[test]
fn the_configured_header_limit_applies_below_at_and_above_hypers_default() {
    // Lowered, the default (hyper's own default cap too), raised: at the limit served, one
    // header more refused by the server's check, with its body.
    for max_headers in [10, 100, 150, 1000] {
        let mut limits = Limits::default();
        limits.max_headers = max_headers;
        let emulator = limited(limits);
        let addr = emulator.addr();
        let (status, answer) = exchange(addr, health_with_headers(max_headers).as_bytes());
        assert_eq!(
            status, 200,
            "{max_headers} headers, limit {max_headers}: {answer}"
        );
        let (status, answer) = exchange(addr, health_with_headers(max_headers + 1).as_bytes());
        assert_eq!(status, 431, "limit {max_headers}: {answer}");
        assert!(
            answer.contains("content-type: text/plain;charset=utf-8")
                && answer.ends_with("\r\n\r\nRequest Header Fields Too Large\n"),
            "limit {max_headers}: {answer}"
        );
    }
}

#[test]
fn idle_and_slow_clients_are_let_go_and_connections_are_capped() {
    let mut limits = Limits::default();
    limits.idle_timeout = Duration::from_millis(500);
    limits.header_read_timeout = Duration::from_millis(500);
    limits.max_connections = 3;
    let emulator = limited(limits);
    let addr = emulator.addr();

    // A client that starts a head and stops, and one that says nothing: both closed in time.
    let started = Instant::now();
    let (status, _) = exchange(addr, b"GET / HTTP/1.1\r\nHost: x\r\n");
    assert!(status == 408 || status == 0, "{status}");
    let (status, _) = exchange(addr, b"");
    assert_eq!(status, 0);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );

    // Three idle connections hold every slot: a fourth is closed at once, without an answer.
    let idle: Vec<TcpStream> = (0..3).map(|_| TcpStream::connect(addr).unwrap()).collect();
    std::thread::sleep(Duration::from_millis(100));
    let (status, _) = exchange(addr, b"GET /_emulator/health HTTP/1.1\r\nHost: x\r\n\r\n");
    assert_eq!(status, 0, "over the cap");
    // Once the idle ones time out, the slots are free again.
    std::thread::sleep(Duration::from_millis(1200));
    let (status, answer) = signed_get(addr, emulator.access_key(), DESCRIBE, "e");
    assert_eq!(status, 200, "{answer}");
    drop(idle);
}

/// A POST head declaring `len` bytes of form body.
fn post_head(len: usize) -> String {
    format!(
        "POST /?Format=JSON HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {len}\r\n\r\n"
    )
}

/// The body of the service's 503 `ServiceUnavailable` (in JSON), whatever its `RequestId`.
fn is_service_unavailable(answer: &str) -> bool {
    answer.starts_with("HTTP/1.1 503")
        && answer.contains(r#""Code":"ServiceUnavailable""#)
        && answer.contains(
            r#""Message":"The request has failed due to a temporary failure of the server.""#,
        )
}

/// One budget for the bodies of every connection: a declared length is reserved whole before
/// the body is read; a request that finds no room waits up to the budget's wait, then gets the
/// service's 503, as does a body larger than the whole budget (at once) and a chunked body
/// that grows past the room left; a request that finds room within the wait is served; once
/// the bodies holding the budget are read, it is whole again.
#[test]
fn the_body_budget_is_shared_by_every_connection_and_past_it_a_request_gets_503() {
    const BUDGET: usize = 64 * 1024;
    let mut limits = Limits::default();
    limits.max_inflight_body_bytes = BUDGET;
    limits.body_budget_wait = Duration::from_millis(300);
    let emulator = limited(limits);
    let addr = emulator.addr();

    // A client that declares 40 KiB and sends half: its 40 KiB are held.
    let held = 40 * 1024;
    let mut holder = TcpStream::connect(addr).unwrap();
    holder
        .write_all(format!("{}{}", post_head(held), "a".repeat(held / 2)).as_bytes())
        .unwrap();
    std::thread::sleep(Duration::from_millis(100));

    type Case = (&'static str, String, bool);
    let chunk = |n: usize| format!("{n:x}\r\n{}\r\n", "a".repeat(n));
    let cases: Vec<Case> = vec![
        ("declared past the room left", post_head(30 * 1024), false),
        ("declared past the whole budget", post_head(BUDGET + 1), false),
        (
            "chunked past the room left",
            format!(
                "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n{}{}0\r\n\r\n",
                chunk(16 * 1024),
                chunk(16 * 1024)
            ),
            false,
        ),
        ("declared within the room left", post_head(20 * 1024), true),
    ];
    for (what, head, fits) in &cases {
        let body = if head.contains("chunked") {
            String::new()
        } else {
            let len = head
                .rsplit("Content-Length: ")
                .next()
                .and_then(|l| l.trim().parse::<usize>().ok())
                .unwrap();
            "a=".to_owned() + &"b".repeat(len - 2)
        };
        let started = Instant::now();
        let (status, answer) = exchange(addr, format!("{head}{body}").as_bytes());
        let took = started.elapsed();
        if *fits {
            // Read, and refused by the authentication (nothing is signed): not for room.
            assert_ne!(status, 503, "{what}: {answer}");
            assert_ne!(status, 0, "{what}");
        } else {
            assert!(is_service_unavailable(&answer), "{what}: {answer}");
        }
        assert!(took < Duration::from_secs(2), "{what}: {took:?}");
    }

    // A request that finds no room waits: the holder's body ends within the wait, and the
    // waiting request is read.
    let waiting = std::thread::spawn(move || {
        let len = 30 * 1024;
        exchange(
            addr,
            format!("{}a={}", post_head(len), "b".repeat(len - 2)).as_bytes(),
        )
    });
    std::thread::sleep(Duration::from_millis(100));
    holder.write_all("a".repeat(held / 2).as_bytes()).unwrap();
    let mut answer = [0; 12];
    holder.read_exact(&mut answer).unwrap();
    let (status, answer) = waiting.join().unwrap();
    assert!(status != 503 && status != 0, "waited for room: {answer}");

    // The budget is whole again: a body of all of it is read.
    let (status, answer) = exchange(
        addr,
        format!("{}a={}", post_head(BUDGET), "b".repeat(BUDGET - 2)).as_bytes(),
    );
    assert!(status != 503 && status != 0, "{answer}");
    let (status, answer) = signed_get(addr, emulator.access_key(), DESCRIBE, "budget");
    assert_eq!(status, 200, "{answer}");
}
