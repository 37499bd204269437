//! A load generator that signs every request: N keep-alive connections send RPC-signed
//! (HMAC-SHA1) requests for a duration and report requests per second and p50/p99 latency.
//!
//! ```text
//! cargo run --release --example loadgen -- --url http://127.0.0.1:8080 \
//!     --connections 16 --duration 5 --instance sag-bench
//! ```
//!
//! `--action create` (the default) creates users with names unique to the run, so every request
//! is a state-changing 200; `--action modify` creates one user per connection, then changes its
//! bandwidth on every request; `--action describe` reads a page. Any answer other than 200 is
//! counted as an error (and the first one printed).

use std::net::SocketAddr;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use clap::{Parser, ValueEnum};
use smartag_emulator::auth::{encode_query, sign_rpc};
use smartag_emulator::clock::{format_timestamp, Clock, SystemClock};
use smartag_emulator::{AccessKey, WELL_KNOWN_KEY_ID, WELL_KNOWN_KEY_SECRET};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

#[derive(Clone, Copy, Debug, ValueEnum)]
enum Action {
    Create,
    Modify,
    Describe,
}

/// Signed load against a smartag-emulator.
#[derive(Parser, Debug)]
struct Args {
    /// The emulator's URL.
    #[arg(long, default_value = "http://127.0.0.1:8080")]
    url: String,
    /// Concurrent keep-alive connections.
    #[arg(long, default_value_t = 16)]
    connections: usize,
    /// Seconds to measure (after the warm-up).
    #[arg(long, default_value_t = 5.0)]
    duration: f64,
    /// Seconds of load before measuring.
    #[arg(long, default_value_t = 1.0)]
    warmup: f64,
    /// The access key, ID:SECRET (default: the well-known development key).
    #[arg(long)]
    key: Option<AccessKey>,
    /// The instance the users go to (it needs the room: quota and a pool).
    #[arg(long, default_value = "sag-bench")]
    instance: String,
    /// Its region.
    #[arg(long, default_value = "cn-shanghai")]
    region: String,
    /// What every request does.
    #[arg(long, value_enum, default_value = "create")]
    action: Action,
    /// Runtime worker threads of the generator.
    #[arg(long, default_value_t = 2)]
    threads: usize,
    /// A label printed with the results.
    #[arg(long, default_value = "")]
    label: String,
}

/// What one connection measured.
#[derive(Default)]
struct Tally {
    latencies_us: Vec<u32>,
    errors: u64,
    first_error: Option<String>,
}

struct Conn {
    stream: BufReader<TcpStream>,
    line: String,
    body: Vec<u8>,
}

impl Conn {
    async fn connect(addr: SocketAddr) -> std::io::Result<Conn> {
        let stream = TcpStream::connect(addr).await?;
        stream.set_nodelay(true)?;
        Ok(Conn {
            stream: BufReader::new(stream),
            line: String::new(),
            body: Vec::new(),
        })
    }

    /// Sends one request and reads its answer: the status (the body stays in `self.body`).
    async fn round_trip(&mut self, request: &[u8]) -> std::io::Result<u16> {
        self.stream.get_mut().write_all(request).await?;
        self.line.clear();
        self.stream.read_line(&mut self.line).await?;
        let status = self
            .line
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| std::io::Error::other(format!("bad status line {:?}", self.line)))?;
        let mut length = 0;
        loop {
            self.line.clear();
            if self.stream.read_line(&mut self.line).await? == 0 {
                return Err(std::io::ErrorKind::UnexpectedEof.into());
            }
            if self.line == "\r\n" {
                break;
            }
            if let Some((name, value)) = self.line.split_once(':') {
                if name.eq_ignore_ascii_case("content-length") {
                    length = value.trim().parse().map_err(std::io::Error::other)?;
                }
            }
        }
        self.body.resize(length, 0);
        self.stream.read_exact(&mut self.body).await?;
        Ok(status)
    }
}

fn now_timestamp() -> String {
    format_timestamp(SystemClock.unix_seconds())
}

struct Plan {
    key: AccessKey,
    host: String,
    instance: String,
    region: String,
    action: Action,
    run: String,
}

impl Plan {
    /// The bytes of request `n` of connection `conn`, signed. A create makes the user
    /// `RUNcCONNnN`; a modify changes `RUNcCONNn0`, the user its connection created first.
    fn request(&self, conn: usize, n: u64, action: Action) -> Vec<u8> {
        let name = format!("{}c{conn}n{n}", self.run);
        let user = format!("{}c{conn}n0", self.run);
        let bandwidth = (1 + n % 2000).to_string();
        let mut params: Vec<(&str, &str)> = vec![
            ("Version", "2018-03-13"),
            ("Format", "JSON"),
            ("RegionId", &self.region),
            ("SmartAGId", &self.instance),
        ];
        match action {
            Action::Create => params.extend([
                ("Action", "CreateSmartAccessGatewayClientUser"),
                ("UserName", name.as_str()),
                ("Password", "duuf1234"),
                ("UserMail", "load@example.com"),
            ]),
            Action::Modify => params.extend([
                ("Action", "ModifySmartAccessGatewayClientUser"),
                ("UserName", user.as_str()),
                ("Bandwidth", bandwidth.as_str()),
            ]),
            Action::Describe => params.extend([
                ("Action", "DescribeSmartAccessGatewayClientUsers"),
                ("PageSize", "10"),
            ]),
        }
        let nonce = format!("{}-{conn}-{n}", self.run);
        let signed = sign_rpc(&self.key, "GET", &params, &now_timestamp(), &nonce);
        format!(
            "GET /?{} HTTP/1.1\r\nHost: {}\r\n\r\n",
            encode_query(&signed),
            self.host
        )
        .into_bytes()
    }
}

async fn connection(
    plan: &Plan,
    addr: SocketAddr,
    conn: usize,
    measure_from: Instant,
    until: Instant,
) -> Tally {
    let mut tally = Tally::default();
    let mut c = match Conn::connect(addr).await {
        Ok(c) => c,
        Err(e) => {
            tally.errors += 1;
            tally.first_error = Some(format!("connect: {e}"));
            return tally;
        }
    };
    if let Action::Modify = plan.action {
        // The user this connection modifies: request 0, a create.
        match c.round_trip(&plan.request(conn, 0, Action::Create)).await {
            Ok(200) => {}
            Ok(status) => {
                tally.first_error = Some(format!("{status} {}", String::from_utf8_lossy(&c.body)));
            }
            Err(e) => tally.first_error = Some(e.to_string()),
        }
    }
    for n in 1.. {
        let start = Instant::now();
        if start >= until {
            break;
        }
        let request = plan.request(conn, n, plan.action);
        match c.round_trip(&request).await {
            Ok(200) => {
                if start >= measure_from {
                    let us = start.elapsed().as_micros();
                    tally
                        .latencies_us
                        .push(u32::try_from(us).unwrap_or(u32::MAX));
                }
            }
            Ok(status) => {
                tally.errors += 1;
                tally.first_error.get_or_insert_with(|| {
                    format!("{status} {}", String::from_utf8_lossy(&c.body))
                });
            }
            Err(e) => {
                tally.errors += 1;
                tally.first_error.get_or_insert_with(|| e.to_string());
                break;
            }
        }
    }
    tally
}

fn percentile(sorted: &[u32], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    f64::from(sorted[rank.min(sorted.len() - 1)]) / 1000.0
}

fn main() -> Result<(), String> {
    let args = Args::parse();
    let host = args
        .url
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_owned();
    let addr: SocketAddr = host
        .parse()
        .map_err(|e| format!("--url {}: {e} (give http://IP:PORT)", args.url))?;
    let key = args.key.clone().unwrap_or_else(|| {
        AccessKey::new(WELL_KNOWN_KEY_ID, WELL_KNOWN_KEY_SECRET).expect("the well-known key")
    });
    let started = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis());
    // Names unique to this run: base-36 of the start time in milliseconds.
    let mut run = String::new();
    let mut t = started;
    while t > 0 {
        let digit = (t % 36) as u32;
        run.insert(0, char::from_digit(digit, 36).unwrap_or('0'));
        t /= 36;
    }
    let plan = Plan {
        key,
        host,
        instance: args.instance.clone(),
        region: args.region.clone(),
        action: args.action,
        run: format!("r{run}"),
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(args.threads.max(1))
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    let warmup = Duration::from_secs_f64(args.warmup);
    let duration = Duration::from_secs_f64(args.duration);
    let tallies: Vec<Tally> = runtime.block_on(async {
        let plan = std::sync::Arc::new(plan);
        let measure_from = Instant::now() + warmup;
        let until = measure_from + duration;
        let tasks: Vec<_> = (0..args.connections)
            .map(|conn| {
                let plan = std::sync::Arc::clone(&plan);
                tokio::spawn(
                    async move { connection(&plan, addr, conn, measure_from, until).await },
                )
            })
            .collect();
        let mut out = Vec::new();
        for task in tasks {
            out.push(task.await.unwrap_or_default());
        }
        out
    });
    let mut latencies: Vec<u32> = tallies
        .iter()
        .flat_map(|t| t.latencies_us.iter().copied())
        .collect();
    latencies.sort_unstable();
    let errors: u64 = tallies.iter().map(|t| t.errors).sum();
    let rps = latencies.len() as f64 / duration.as_secs_f64();
    println!(
        "{label}action={action:?} connections={c} duration={d:.1}s requests={n} errors={errors} \
         rps={rps:.0} p50={p50:.2}ms p99={p99:.2}ms",
        label = if args.label.is_empty() {
            String::new()
        } else {
            format!("{} ", args.label)
        },
        action = args.action,
        c = args.connections,
        d = duration.as_secs_f64(),
        n = latencies.len(),
        p50 = percentile(&latencies, 0.50),
        p99 = percentile(&latencies, 0.99),
    );
    if let Some(first) = tallies.iter().find_map(|t| t.first_error.as_ref()) {
        eprintln!("first error: {first}");
    }
    Ok(())
}
