//! Preloads users for the emulator's benchmarks, and measures how long a state directory of
//! that many users takes to load.
//!
//! ```text
//! cargo run --release --example preload -- --users 1000000 \
//!     --state /tmp/state-1m --fixtures-out /tmp/fixtures-1m
//! ```
//!
//! - `--state DIR` (a new directory): the bench instance, then `--users` creates recorded through
//!   the store exactly as the server records them (group commits of the request parameters,
//!   with compaction off, so the whole fill stays in one log); then the directory is opened twice: once replaying that log (and compacting it into a
//!   snapshot), once from the snapshot alone. Each open's time is printed. Start the emulator
//!   with `--state DIR` (and the same `--seed`, default 0) to serve those users.
//! - `--fixtures-out FILE`: the same users as a fixtures file (the instance line, then one
//!   create per line), for an emulator in memory.

use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

use clap::Parser;
use smartag_emulator::store::{Change, Compaction, Store};
use smartag_emulator::WELL_KNOWN_KEY_ID;
use smartag_rules::wire::scenario::Scenario;
use smartag_rules::wire::{parse_request, Service};

/// The instance every benchmark uses: room for millions of users.
pub const BENCH_INSTANCE: &str =
    "instance sag-bench region=cn-shanghai users=4000000 cidr=10.0.0.0/8";

#[derive(Parser, Debug)]
struct Args {
    /// How many users to create.
    #[arg(long, default_value_t = 1_000_000)]
    users: usize,
    /// A new state directory to fill.
    #[arg(long)]
    state: Option<PathBuf>,
    /// A fixtures file to write.
    #[arg(long)]
    fixtures_out: Option<PathBuf>,
    /// The access key ID whose account gets the users.
    #[arg(long, default_value = WELL_KNOWN_KEY_ID)]
    key: String,
    /// The seed the state directory records.
    #[arg(long, default_value_t = 0)]
    seed: u64,
}

fn create(i: usize) -> String {
    format!(
        "Action=CreateSmartAccessGatewayClientUser&RegionId=cn-shanghai&SmartAGId=sag-bench\
         &UserName=pre{i:09}&Password=duuf1234&UserMail=pre%40example.com"
    )
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();
    if let Some(path) = &args.fixtures_out {
        let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
        writeln!(out, "{BENCH_INSTANCE}")?;
        for i in 0..args.users {
            writeln!(out, "{}", create(i))?;
        }
        out.flush()?;
        println!("wrote {} users to {}", args.users, path.display());
    }
    let Some(dir) = &args.state else {
        return Ok(());
    };
    if dir.join("snapshot").exists() {
        return Err(format!("{} already holds a state", dir.display()).into());
    }
    let mut scenario = Scenario::with_service(Service::with_seed(args.seed));
    scenario.step(BENCH_INSTANCE)?;
    let fresh = scenario.into_service().into_account();
    // No compaction while filling: the whole fill stays in one log, so the first reopen below
    // replays all of it and compacts, and the second loads the snapshot alone.
    let (store, mut accounts) = Store::open_with(
        dir,
        args.seed,
        vec![(args.key.clone(), fresh)],
        Compaction::with_min_log_bytes(u64::MAX),
    )?;
    let mut account = accounts.pop().ok_or("no account")?.1;
    let runtime = tokio::runtime::Builder::new_current_thread().build()?;
    let started = Instant::now();
    let mut pending = Vec::new();
    for i in 0..args.users {
        let params: Vec<(String, String)> = form_urlencoded::parse(create(i).as_bytes())
            .into_owned()
            .collect();
        let request = parse_request(params.iter().map(|(k, v)| (k, v)))?.request;
        account.execute(&request)?;
        pending.push(store.record(&args.key, &Change::Request(&params))?);
        if pending.len() == 10_000 {
            for ticket in pending.drain(..) {
                runtime.block_on(store.durable(ticket))?;
            }
        }
    }
    for ticket in pending.drain(..) {
        runtime.block_on(store.durable(ticket))?;
    }
    drop(store);
    println!(
        "created and logged {} users in {:.2} s",
        args.users,
        started.elapsed().as_secs_f64()
    );
    for what in [
        "replaying the log and compacting it",
        "loading the snapshot",
    ] {
        let started = Instant::now();
        let (store, accounts) = Store::open(dir, args.seed, Vec::new())?;
        let elapsed = started.elapsed().as_secs_f64();
        let report = store.report().ok_or("no report")?;
        println!("open ({what}): {elapsed:.2} s; {report}");
        drop((store, accounts));
    }
    Ok(())
}
