//! `smartag-emulator`: serves the Smart Access Gateway client-user API on HTTP, offline.
//!
//! ```text
//! smartag-emulator [--listen ADDR] [--fixtures FILE] [--access-key ID:SECRET]...
//!                  [--state DIR] [--seed N] [--max-connections N] [--compact-min-bytes BYTES]
//!                  [--max-inflight-body-bytes BYTES]
//! ```
//!
//! The first line on standard output is `listening on http://HOST:PORT`; request logs go to
//! standard error (`RUST_LOG` filters them, default `info`). SIGINT or SIGTERM stops it
//! gracefully.

#![forbid(unsafe_code)]

/// mimalloc gives the memory of freed request bodies back to the system within about a second
/// (glibc's allocator kept a flood's worth resident for good: BENCHMARKS.md, "Memory under a
/// flood").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use smartag_emulator::store::Compaction;
use smartag_emulator::{AccessKey, Config, Limits, Server, WELL_KNOWN_KEY_ID};

/// An offline emulator of the Alibaba Cloud Smart Access Gateway client-user API.
#[derive(Parser, Debug)]
#[command(version, about, long_about = None)]
struct Args {
    /// The address to listen on (port 0 picks a free port).
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// A file of fixture lines (`instance ...`, `used ...`, requests in the replay format),
    /// loaded into every account at start (with --state, only into a new state directory).
    #[arg(long, value_name = "FILE")]
    fixtures: Option<PathBuf>,
    /// An access key, ID:SECRET, each its own account; repeatable. Without one, the
    /// well-known development key is configured.
    #[arg(long = "access-key", value_name = "ID:SECRET")]
    access_keys: Vec<AccessKey>,
    /// A directory to keep the accounts in across restarts (in memory without it).
    #[arg(long, value_name = "DIR")]
    state: Option<PathBuf>,
    /// Seeds request IDs and generated names and passwords.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// The most connections served at once.
    #[arg(long, value_name = "N")]
    max_connections: Option<usize>,
    /// The most bytes of request bodies held at once, across all connections (default
    /// 64 MiB); past it a request waits a moment, then gets 503 ServiceUnavailable.
    #[arg(long, value_name = "BYTES")]
    max_inflight_body_bytes: Option<usize>,
    /// With --state: the running server compacts once its log holds more bytes than the
    /// snapshot and at least this many (default 16 MiB).
    #[arg(long, value_name = "BYTES")]
    compact_min_bytes: Option<u64>,
}

fn main() -> ExitCode {
    let args = Args::parse();
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .init();
    match run(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("smartag-emulator: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: Args) -> Result<(), String> {
    let mut limits = Limits::default();
    if let Some(max) = args.max_connections {
        limits.max_connections = max;
    }
    if let Some(max) = args.max_inflight_body_bytes {
        limits.max_inflight_body_bytes = max;
    }
    let mut config = Config::new()
        .listen(args.listen)
        .seed(args.seed)
        .limits(limits);
    if let Some(path) = &args.fixtures {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("--fixtures {}: {e}", path.display()))?;
        config = config.fixtures(text);
    }
    if let Some(dir) = args.state {
        config = config.state_dir(dir);
    }
    if let Some(bytes) = args.compact_min_bytes {
        config = config.compaction(Compaction::with_min_log_bytes(bytes));
    }
    let default_key = args.access_keys.is_empty();
    for key in args.access_keys {
        config = config.access_key(key);
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        // A blocking thread (a large request's handling) that has nothing to do goes after a
        // second, and the memory its allocator holds with it: a flood's memory falls back
        // quickly, not after tokio's default of 10 s.
        .thread_keep_alive(std::time::Duration::from_secs(1))
        .build()
        .map_err(|e| format!("cannot start the runtime: {e}"))?;
    runtime.block_on(async {
        let shutdown = shutdown_signal();
        let server = Server::bind(&config).await.map_err(|e| e.to_string())?;
        println!("listening on http://{}", server.local_addr());
        if default_key {
            tracing::info!(
                access_key_id = WELL_KNOWN_KEY_ID,
                "no --access-key given: serving the well-known development key"
            );
        }
        server.serve(shutdown).await;
        tracing::info!("stopped");
        Ok(())
    })
}

/// Resolves on SIGINT or SIGTERM. The handlers are installed when this is called, not when
/// the future is first polled, so that a signal right after the `listening on` line is caught.
fn shutdown_signal() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let interrupt = signal(SignalKind::interrupt());
        let terminate = signal(SignalKind::terminate());
        async move {
            match (interrupt, terminate) {
                (Ok(mut interrupt), Ok(mut terminate)) => {
                    tokio::select! {
                        _ = interrupt.recv() => {}
                        _ = terminate.recv() => {}
                    }
                }
                _ => {
                    tracing::warn!("cannot listen for signals: stop it with SIGKILL");
                    std::future::pending::<()>().await;
                }
            }
        }
    }
    #[cfg(not(unix))]
    {
        async {
            if tokio::signal::ctrl_c().await.is_err() {
                std::future::pending::<()>().await;
            }
        }
    }
}
