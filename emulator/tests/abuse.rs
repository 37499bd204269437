//! Bad input against the real binary: random bytes, a 2 MB URL, a huge header, 50 MB bodies
//! (declared and chunked) and hundreds of idle or half-sent connections. Each gets an HTTP error
//! or a closed connection; meanwhile and afterwards a signed request is answered at once, and the
//! process's resident memory stays bounded (the big bodies are never buffered).

mod real_binary;

use std::io::{ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use real_binary::{Binary, Client, TempDir};
use smartag_emulator::auth::percent_encode;
use smartag_emulator::clock::{format_timestamp, Clock, SystemClock};

const FIXTURES: &str = "instance sag-abuse region=cn-shanghai users=1000 cidr=10.0.0.0/22\n";

/// Sends `bytes` (a write error is fine: the server may close early) and reads what comes back
/// until the server closes the connection: its status, if it answered. Panics if the connection
/// is still open after `within`.
fn throw(addr: SocketAddr, bytes: &[u8], within: Duration) -> Option<u16> {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(within)).unwrap();
    stream.set_write_timeout(Some(within)).unwrap();
    let _ = stream.write_all(bytes);
    let mut answer = Vec::new();
    let started = Instant::now();
    let mut chunk = [0; 4096];
    loop {
        match stream.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => answer.extend_from_slice(&chunk[..n]),
            Err(e) if matches!(e.kind(), ErrorKind::ConnectionReset | ErrorKind::BrokenPipe) => {
                break
            }
            Err(e) => panic!("no answer and no close after {:?}: {e}", started.elapsed()),
        }
        // A server that answered and keeps the connection open is fine too.
        if answer.windows(4).any(|w| w == b"\r\n\r\n") {
            break;
        }
    }
    let head = String::from_utf8_lossy(&answer);
    head.strip_prefix("HTTP/1.1 ")
        .and_then(|rest| rest.get(..3))
        .and_then(|code| code.parse().ok())
}

/// A signed create answered 200, and how long it took.
fn signed_create(addr: SocketAddr, name: &str) -> Duration {
    let started = Instant::now();
    let mut client = Client::connect(addr).unwrap();
    let (status, body) = client
        .call(&[
            ("Action", "CreateSmartAccessGatewayClientUser"),
            ("RegionId", "cn-shanghai"),
            ("SmartAGId", "sag-abuse"),
            ("UserName", name),
            ("Password", "duuf1234"),
            ("UserMail", "abuse@example.com"),
        ])
        .unwrap();
    assert_eq!(status, 200, "{body}");
    started.elapsed()
}

/// Deterministic noise (xorshift64*).
fn noise(seed: u64, len: usize) -> Vec<u8> {
    let mut state = seed | 1;
    (0..len)
        .map(|_| {
            state ^= state >> 12;
            state ^= state << 25;
            state ^= state >> 27;
            (state.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 56) as u8
        })
        .collect()
}

/// A request too large to serve: its label, its bytes and the answers allowed (`None`: the
/// server closed the connection).
type Oversized = (&'static str, Vec<u8>, &'static [Option<u16>]);

#[test]
fn bad_input_gets_errors_and_the_server_keeps_serving_in_bounded_memory() {
    let dir = TempDir::new("abuse");
    let fixtures = dir.path().join("fixtures");
    std::fs::write(&fixtures, FIXTURES).unwrap();
    let binary = Binary::start(
        &["--fixtures", fixtures.to_str().unwrap()],
        &dir.path().join("stderr"),
    );
    let addr = binary.addr;
    signed_create(addr, "warmup01");
    let rss_before = binary.rss_kib();
    let within = Duration::from_secs(10);

    // Random bytes: a 400 or a closed connection, every time.
    for seed in 0..20 {
        let status = throw(addr, &noise(seed, 64 * 1024), within);
        assert!(
            matches!(status, None | Some(400)),
            "noise {seed}: {status:?}"
        );
    }

    // A 2 MB URL and a 2 MB header: refused (414 or 431), never read whole. 50 MB bodies,
    // declared and chunked: 413, and never buffered. `None`: the server closed the connection.
    let long_url = format!(
        "GET /?Action={} HTTP/1.1\r\nHost: x\r\n\r\n",
        "a".repeat(2 << 20)
    );
    let long_header = format!(
        "GET / HTTP/1.1\r\nHost: x\r\nX-Big: {}\r\n\r\n",
        "b".repeat(2 << 20)
    );
    let fifty = vec![b'x'; 50 << 20];
    let mut declared = format!(
        "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n",
        fifty.len()
    )
    .into_bytes();
    declared.extend_from_slice(&fifty);
    let mut chunked = b"POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec();
    for piece in fifty.chunks(1 << 20) {
        chunked.extend_from_slice(format!("{:x}\r\n", piece.len()).as_bytes());
        chunked.extend_from_slice(piece);
        chunked.extend_from_slice(b"\r\n");
    }
    chunked.extend_from_slice(b"0\r\n\r\n");
    drop(fifty);
    let oversized: [Oversized; 4] = [
        (
            "2 MB URL",
            long_url.into_bytes(),
            &[None, Some(414), Some(431)],
        ),
        ("2 MB header", long_header.into_bytes(), &[None, Some(431)]),
        ("50 MB declared body", declared, &[Some(413)]),
        ("50 MB chunked body", chunked, &[None, Some(413)]),
    ];
    for (label, bytes, answers) in oversized {
        let status = throw(addr, &bytes, within);
        assert!(answers.contains(&status), "{label}: {status:?}");
    }

    // Hundreds of idle connections, and some that stop halfway through a head: a signed request
    // on a new connection is still answered at once.
    let mut idle: Vec<TcpStream> = (0..300)
        .map(|_| TcpStream::connect(addr).unwrap())
        .collect();
    for stream in idle.iter_mut().take(100) {
        stream
            .write_all(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Le")
            .unwrap();
    }
    std::thread::sleep(Duration::from_millis(200));
    let latency = signed_create(addr, "meanwhile1");
    assert!(
        latency < Duration::from_secs(2),
        "{latency:?} with 300 idle connections"
    );
    let rss_loaded = binary.rss_kib();
    drop(idle);

    let latency = signed_create(addr, "afterward1");
    assert!(latency < Duration::from_secs(2), "{latency:?} afterwards");
    let rss_after = binary.rss_kib();
    eprintln!(
        "VmRSS: {rss_before} KiB before, {rss_loaded} KiB with 300 idle connections, \
         {rss_after} KiB after"
    );
    // Far less than one 50 MB body: nothing big was buffered, nothing leaked per connection.
    assert!(
        rss_loaded.max(rss_after) < rss_before + 40 * 1024,
        "VmRSS grew from {rss_before} KiB to {rss_loaded} / {rss_after} KiB"
    );
}

/// Sends a request whose head is `head` (request line and headers, without the blank line) and
/// `body`, and reads the answer: status and body.
fn exchange(client: &mut Client, head: &str, body: &str) -> (u16, String) {
    let request = format!(
        "{head}\r\nHost: 127.0.0.1\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    client.send_raw(request.as_bytes()).unwrap();
    client.read_response().unwrap()
}

/// The users of `instance` in `region`, or the error code of the describe.
fn users(client: &mut Client, region: &str, instance: &str) -> Result<usize, String> {
    let (status, body) = client
        .call(&[
            ("Action", "DescribeSmartAccessGatewayClientUsers"),
            ("RegionId", region),
            ("SmartAGId", instance),
        ])
        .unwrap();
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    if status == 200 {
        Ok(json["TotalCount"].as_u64().unwrap() as usize)
    } else {
        Err(json["Code"].as_str().unwrap().to_owned())
    }
}

/// What a hostile client on the same machine tried against the binary: an unsigned header to
/// change a signed request's action, an RPC-signed control body the signature does not cover;
/// each is refused and leaves nothing behind, across a restart. A lower-case `basic` scheme
/// authorises as `Basic` does.
#[test]
fn what_a_signature_does_not_cover_changes_nothing() {
    let dir = TempDir::new("unsigned");
    let state = dir.path().join("state");
    let fixtures = dir.path().join("fixtures");
    std::fs::write(&fixtures, FIXTURES).unwrap();
    let args = [
        "--state",
        state.to_str().unwrap(),
        "--fixtures",
        fixtures.to_str().unwrap(),
    ];
    let binary = Binary::start(&args, &dir.path().join("stderr"));
    signed_create(binary.addr, "victim01");
    let mut client = binary.client();

    // Signed over RegionId, SmartAGId and UserName only; the action comes as an unsigned header.
    let (status, body) = client
        .call_with(
            &[
                ("RegionId", "cn-shanghai"),
                ("SmartAGId", "sag-abuse"),
                ("UserName", "victim01"),
            ],
            "X-ACS-ACTION: DeleteSmartAccessGatewayClientUser\r\nx-acs-version: 2018-03-13\r\n",
        )
        .unwrap();
    assert_eq!(status, 403, "{body}");
    assert!(
        body.contains(r#""Code":"MissingParameter","Message":"The input parameter is missing, please check your input.""#),
        "{body}"
    );
    // A signed Describe with an unsigned Delete header describes.
    let (status, body) = client
        .call_with(
            &[
                ("Action", "DescribeSmartAccessGatewayClientUsers"),
                ("RegionId", "cn-shanghai"),
                ("SmartAGId", "sag-abuse"),
            ],
            "x-acs-action: DeleteSmartAccessGatewayClientUser\r\n",
        )
        .unwrap();
    assert_eq!(status, 200, "{body}");
    assert_eq!(users(&mut client, "cn-shanghai", "sag-abuse"), Ok(1));

    // An RPC signature covers no fixture lines.
    let query = client.signed_query("POST", &[]);
    let (status, body) = exchange(
        &mut client,
        &format!("POST /_emulator/fixtures?{query} HTTP/1.1\r\nContent-Type: text/plain"),
        "instance sag-evil region=cn-beijing users=2 cidr=10.9.0.0/24",
    );
    assert_eq!(status, 400, "{body}");
    assert!(body.contains(r#""Code":"IncompleteSignature""#), "{body}");

    // HTTP Basic, the scheme in lower case.
    let credentials = base64::Engine::encode(
        &base64::engine::general_purpose::STANDARD,
        format!("{}:{}", real_binary::KEY_ID, real_binary::KEY_SECRET),
    );
    let (status, body) = exchange(
        &mut client,
        &format!("POST /_emulator/fixtures HTTP/1.1\r\nAuthorization: basic {credentials}"),
        "instance sag-good region=cn-beijing users=2 cidr=10.8.0.0/24",
    );
    assert_eq!(status, 200, "{body}");
    drop(client);

    assert!(binary.terminate().success());
    let binary = Binary::start(&args, &dir.path().join("stderr2"));
    let mut client = binary.client();
    assert_eq!(users(&mut client, "cn-shanghai", "sag-abuse"), Ok(1));
    assert_eq!(users(&mut client, "cn-beijing", "sag-good"), Ok(0));
    assert_eq!(
        users(&mut client, "cn-beijing", "sag-evil"),
        Err("SAG.InstanceNoFound".to_owned())
    );
}

/// A complete request, then `shutdown(SHUT_WR)`: answered, every time, in HTTP/1.1 and 1.0.
#[test]
fn half_closed_requests_are_answered() {
    let dir = TempDir::new("half-close");
    let fixtures = dir.path().join("fixtures");
    std::fs::write(&fixtures, FIXTURES).unwrap();
    let binary = Binary::start(
        &["--fixtures", fixtures.to_str().unwrap()],
        &dir.path().join("stderr"),
    );
    let signer = binary.client();
    for version in ["HTTP/1.1", "HTTP/1.0"] {
        let mut answered = 0;
        for _ in 0..20 {
            let query = signer.signed_query(
                "GET",
                &[
                    ("Action", "DescribeSmartAccessGatewayClientUsers"),
                    ("Version", "2018-03-13"),
                    ("RegionId", "cn-shanghai"),
                    ("SmartAGId", "sag-abuse"),
                ],
            );
            let mut stream = TcpStream::connect(binary.addr).unwrap();
            stream
                .set_read_timeout(Some(Duration::from_secs(10)))
                .unwrap();
            write!(stream, "GET /?{query} {version}\r\nHost: 127.0.0.1\r\n\r\n").unwrap();
            stream.shutdown(std::net::Shutdown::Write).unwrap();
            let mut answer = Vec::new();
            let _ = stream.read_to_end(&mut answer);
            let answer = String::from_utf8_lossy(&answer);
            if answer.starts_with("HTTP/1.1 200 ") || answer.starts_with("HTTP/1.0 200 ") {
                answered += 1;
            }
        }
        assert_eq!(
            answered, 20,
            "{version}: {answered} of 20 half-closed requests answered"
        );
    }
}

/// The resident memory of process `pid`, in KiB (0 once it is gone).
fn rss_of(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// How a flood body fails its authentication.
#[derive(Clone, Copy, Debug)]
enum Unsigned {
    /// No signature parameters at all.
    Bare,
    /// A key the emulator does not know.
    UnknownKey,
    /// The emulator's own key, a current timestamp and a wrong signature: the costliest to
    /// refuse (the whole body is decoded and canonicalised to compute the signature it lacks).
    WrongSignature,
}

/// One unauthenticated request with a 1 MiB form body of tiny pairs (the most pairs a body
/// can hold, the costliest to decode), its signature parameters, if any, at the very end (so
/// that finding them is a scan of the whole body).
fn flood_request(unsigned: Unsigned) -> Vec<u8> {
    let mut body = b"Action=CreateSmartAccessGatewayClientUser&RegionId=cn-shanghai&SmartAGId=sag-abuse&UserName=flood01&Password=duuf1234&UserMail=f%40example.com".to_vec();
    let now = format_timestamp(SystemClock.unix_seconds());
    let tail = match unsigned {
        Unsigned::Bare => "&Format=JSON".to_owned(),
        Unsigned::UnknownKey => "&AccessKeyId=nobody&SignatureMethod=HMAC-SHA1&SignatureVersion=1.0&SignatureNonce=n&Timestamp=2026-01-02T03%3A04%3A05Z&Signature=x".to_owned(),
        Unsigned::WrongSignature => format!(
            "&AccessKeyId={}&SignatureMethod=HMAC-SHA1&SignatureVersion=1.0&SignatureNonce=n&Timestamp={}&Signature=x",
            real_binary::KEY_ID,
            percent_encode(&now),
        ),
    };
    let tail = tail.as_bytes();
    while body.len() + 4 + tail.len() <= 1 << 20 {
        body.extend_from_slice(b"&a=b");
    }
    body.extend_from_slice(tail);
    let mut request = format!(
        "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    request.extend_from_slice(&body);
    request
}

/// What a flood of `connections` connections, each sending one 1 MiB unauthenticated body,
/// cost the binary, while one client sends `signed` signed requests, one after another.
struct Flood {
    rss_before: u64,
    rss_peak: u64,
    /// How long after the last flood connection closed the resident set was back under
    /// `rss_before` + 32 MiB (`None`: not within 10 s), and what it was then.
    fallback: Option<(Duration, u64)>,
    rss_end: u64,
    /// The signed requests' latencies, sorted.
    latencies: Vec<Duration>,
    /// How many flood requests were answered 400/403/404 (refused by the authentication), 503
    /// (no room in the budget), or closed without an answer.
    refused: usize,
    busy: usize,
    closed: usize,
    /// How many flood requests were still unanswered when the last signed one was answered.
    outstanding_at_end: usize,
    took: Duration,
}

fn flood(connections: usize, signed: usize) -> Flood {
    use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
    use std::sync::Arc;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let dir = TempDir::new("flood");
    let fixtures = dir.path().join("fixtures");
    std::fs::write(&fixtures, FIXTURES).unwrap();
    let binary = Binary::start(
        &[
            "--fixtures",
            fixtures.to_str().unwrap(),
            "--max-connections",
            "8192",
        ],
        &dir.path().join("stderr"),
    );
    let (addr, pid) = (binary.addr, binary.pid());
    signed_create(addr, "warmup01");
    let rss_before = rss_of(pid);

    let peak = Arc::new(AtomicU64::new(rss_before));
    let sampling = Arc::new(AtomicBool::new(true));
    let sampler = {
        let (peak, sampling) = (Arc::clone(&peak), Arc::clone(&sampling));
        std::thread::spawn(move || {
            while sampling.load(Ordering::Relaxed) {
                peak.fetch_max(rss_of(pid), Ordering::Relaxed);
                std::thread::sleep(Duration::from_millis(20));
            }
        })
    };

    let requests = [
        Unsigned::Bare,
        Unsigned::UnknownKey,
        Unsigned::WrongSignature,
    ]
    .map(|unsigned| Arc::new(flood_request(unsigned)));
    let outstanding = Arc::new(AtomicUsize::new(connections));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let started = Instant::now();
    let tasks: Vec<_> = (0..connections)
        .map(|i| {
            let request = Arc::clone(&requests[i % requests.len()]);
            let outstanding = Arc::clone(&outstanding);
            runtime.spawn(async move {
                let answer = async {
                    let mut stream = tokio::net::TcpStream::connect(addr).await.ok()?;
                    // The server may answer (503) and close before the body is all sent.
                    let _ = stream.write_all(&request).await;
                    let mut head = [0; 12];
                    stream.read_exact(&mut head).await.ok()?;
                    let status = std::str::from_utf8(&head[9..12]).ok()?.parse::<u16>().ok();
                    drop(stream);
                    status
                };
                let status = tokio::time::timeout(Duration::from_secs(60), answer)
                    .await
                    .ok()
                    .flatten();
                outstanding.fetch_sub(1, Ordering::Relaxed);
                status
            })
        })
        .collect();

    // Meanwhile, signed requests on a connection of their own.
    std::thread::sleep(Duration::from_millis(100));
    let mut client = Client::connect(addr).unwrap();
    let mut latencies: Vec<Duration> = (0..signed)
        .map(|_| {
            let sent = Instant::now();
            let (status, body) = client
                .call(&[
                    ("Action", "DescribeSmartAccessGatewayClientUsers"),
                    ("RegionId", "cn-shanghai"),
                    ("SmartAGId", "sag-abuse"),
                ])
                .unwrap();
            let latency = sent.elapsed();
            assert_eq!(status, 200, "{body}");
            std::thread::sleep(Duration::from_millis(10));
            latency
        })
        .collect();
    latencies.sort();
    let outstanding_at_end = outstanding.load(Ordering::Relaxed);

    let statuses: Vec<Option<u16>> = runtime.block_on(async {
        let mut statuses = Vec::new();
        for task in tasks {
            statuses.push(task.await.unwrap());
        }
        statuses
    });
    let took = started.elapsed();
    drop(runtime);
    let count = |f: &dyn Fn(Option<u16>) -> bool| statuses.iter().filter(|s| f(**s)).count();
    let refused = count(&|s| matches!(s, Some(400 | 403 | 404)));
    let busy = count(&|s| s == Some(503));
    let closed = count(&|s| s.is_none());
    assert_eq!(
        refused + busy + closed,
        connections,
        "unexpected answers: {statuses:?}"
    );

    // Every flood connection is closed: the memory goes back.
    let closed_at = Instant::now();
    let mut fallback = None;
    while closed_at.elapsed() < Duration::from_secs(10) {
        let rss = rss_of(pid);
        if rss < rss_before + 32 * 1024 {
            fallback = Some((closed_at.elapsed(), rss));
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    sampling.store(false, Ordering::Relaxed);
    sampler.join().unwrap();
    // Still serving.
    signed_create(addr, "afterward1");
    Flood {
        rss_before,
        rss_peak: peak.load(Ordering::Relaxed),
        fallback,
        rss_end: rss_of(pid),
        latencies,
        refused,
        busy,
        closed,
        outstanding_at_end,
        took,
    }
}

impl Flood {
    /// The latency at percentile `p` (nearest rank).
    fn percentile(&self, p: usize) -> Duration {
        let rank = (self.latencies.len() * p).div_ceil(100).max(1);
        self.latencies[rank - 1]
    }

    fn report(&self, connections: usize) {
        eprintln!(
            "flood of {connections} x 1 MiB: VmRSS {} KiB before, peak {} KiB, back under +32 MiB after {:?} ({} KiB at the end); \
             signed requests p50 {:?}, p99 {:?}, max {:?} ({} flood requests still unanswered after the last); \
             flood answers: {} refused (400/403/404), {} busy (503), {} closed; took {:?}",
            self.rss_before,
            self.rss_peak,
            self.fallback,
            self.rss_end,
            self.percentile(50),
            self.percentile(99),
            self.latencies.last().copied().unwrap_or_default(),
            self.outstanding_at_end,
            self.refused,
            self.busy,
            self.closed,
            self.took,
        );
    }

    /// The peak stays under 300 MiB.
    fn assert_bounded(&self) {
        assert!(
            self.rss_peak < 300 * 1024,
            "VmRSS peaked at {} KiB",
            self.rss_peak
        );
    }
}

/// The lighter variant, run with every other test (any profile, 2 shared cores): 300
/// connections x 1 MiB unauthenticated stay under 300 MiB resident, the memory falls back
/// within 10 s, and a signed request meanwhile is answered (within 2 s: a debug build on a
/// loaded machine). The full one, `a_thousand_unauthenticated_megabytes_cost_bounded_memory`,
/// runs in CI on its own, in release.
#[test]
fn a_flood_of_unauthenticated_bodies_costs_bounded_memory() {
    let flood = flood(300, 20);
    flood.report(300);
    flood.assert_bounded();
    assert!(
        flood.fallback.is_some(),
        "the memory did not fall back within 10 s"
    );
    assert!(
        flood.percentile(100) < Duration::from_secs(2),
        "a signed request took {:?}",
        flood.percentile(100)
    );
}

/// The full run, against the release binary: `cargo test --release -p smartag-emulator --test
/// abuse -- --ignored --nocapture`. 1,000 connections x 1 MiB unauthenticated keep the resident
/// set under 300 MiB, it falls back (to within 32 MiB of where it was) within 10 s of them
/// closing, and signed requests meanwhile are answered within 100 ms at the 99th percentile
/// (BENCHMARKS.md, "Memory under a flood").
#[test]
#[ignore = "heavy and timed: CI runs it alone, with --release -- --ignored (BENCHMARKS.md, \"Memory under a flood\")"]
fn a_thousand_unauthenticated_megabytes_cost_bounded_memory() {
    let flood = flood(1000, 50);
    flood.report(1000);
    flood.assert_bounded();
    assert!(
        flood.fallback.is_some(),
        "the memory did not fall back within 10 s"
    );
    assert!(
        flood.percentile(99) < Duration::from_millis(100),
        "signed requests' p99 {:?}",
        flood.percentile(99)
    );
}

/// `--max-inflight-body-bytes` sets the budget of the binary: a body past it gets 503 at once,
/// one within it is read (and refused by the authentication: nothing is signed).
#[test]
fn the_budget_flag_sets_the_room_for_bodies() {
    let dir = TempDir::new("budget-flag");
    let binary = Binary::start(
        &["--max-inflight-body-bytes", "1024"],
        &dir.path().join("stderr"),
    );
    let post = |len: usize| {
        let body = format!("a={}", "b".repeat(len - 2));
        format!(
            "POST / HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {len}\r\n\r\n{body}"
        )
    };
    for (len, expected) in [(1025, 503), (1024, 403), (512, 403)] {
        let status = throw(binary.addr, post(len).as_bytes(), Duration::from_secs(5));
        assert_eq!(status, Some(expected), "a body of {len} bytes");
    }
}
