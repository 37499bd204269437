//! The gateway alone, without the network: signs N user creations up front (as `loadgen`
//! does), then times `Gateway::handle_now` on each and prints the mean time per request. For
//! profiling the request path (`perf record`, callgrind) apart from the HTTP stack.
//!
//! ```text
//! cargo run --release --example inproc -- 200000
//! ```

use std::time::Instant;

use bytes::Bytes;
use smartag_emulator::auth::{encode_query, sign_rpc};
use smartag_emulator::clock::{format_timestamp, Clock, SystemClock};
use smartag_emulator::{AccessKey, Config, Gateway};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let count: u64 = std::env::args().nth(1).map_or(Ok(100_000), |n| n.parse())?;
    let config = Config::new()
        .fixtures("instance sag-bench region=cn-shanghai users=4000000 cidr=10.0.0.0/8\n");
    let gateway = Gateway::new(&config)?;
    let key = AccessKey::well_known();
    let timestamp = format_timestamp(SystemClock.unix_seconds());
    let requests: Vec<http::Request<Bytes>> = (0..count)
        .map(|n| {
            let name = format!("inproc{n}");
            let params = [
                ("Version", "2018-03-13"),
                ("Format", "JSON"),
                ("RegionId", "cn-shanghai"),
                ("SmartAGId", "sag-bench"),
                ("Action", "CreateSmartAccessGatewayClientUser"),
                ("UserName", name.as_str()),
                ("Password", "duuf1234"),
                ("UserMail", "load@example.com"),
            ];
            let signed = sign_rpc(&key, "GET", &params, &timestamp, &format!("nonce-{n}"));
            http::Request::get(format!("/?{}", encode_query(&signed)))
                .header("host", "127.0.0.1:8080")
                .body(Bytes::new())
        })
        .collect::<Result<_, _>>()?;
    let started = Instant::now();
    let mut ok = 0_u64;
    for request in requests {
        let handled = gateway.handle_now(request);
        if handled.response.status() == http::StatusCode::OK {
            ok += 1;
        }
    }
    let elapsed = started.elapsed();
    println!(
        "{count} signed creates in process: {ok} answered 200, {:.2} us each",
        elapsed.as_secs_f64() * 1e6 / count as f64
    );
    Ok(())
}
