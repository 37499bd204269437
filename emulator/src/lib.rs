//! `smartag-emulator`: the Alibaba Cloud Smart Access Gateway client-user API served over HTTP,
//! offline, so that the official SDKs, the `aliyun` CLI and any HTTP client can run against it,
//! the way moto and LocalStack serve AWS and Azurite serves Azure storage.
//!
//! Every rule, error and body comes from the `smartag-rules` crate; this crate adds the network,
//! the signature checks of the real service, one account per access key, a control endpoint and
//! a harness for Rust tests.
//!
//! - [`Config`]: where to listen, the access keys, the fixtures, the seed, the limits.
//! - [`Emulator`]: start one inside a test (async or blocking) and get its endpoint.
//! - [`Server`]: bind and serve, as the `smartag-emulator` binary does.
//! - [`gateway::Gateway`]: the whole request handling without the network.
//! - [`faults`] and [`state`]: the errors and delays a test injects (`POST /_emulator/faults`)
//!   and the account as JSON (`GET /_emulator/state`), behind control endpoints.
//!
//! ```
//! use smartag_emulator::{Config, Emulator};
//!
//! let emulator = Emulator::start_blocking(Config::new())?;
//! println!("point the SDK at {}", emulator.endpoint());
//! # Ok::<(), smartag_emulator::StartError>(())
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod auth;
pub mod clock;
pub mod config;
pub mod faults;
pub mod gateway;
mod harness;
mod server;
pub mod state;
pub mod store;

use core::fmt;
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;

use smartag_rules::wire::scenario::ScenarioError;
use tokio::net::TcpListener;

pub use config::{AccessKey, Config, Limits, WELL_KNOWN_KEY_ID, WELL_KNOWN_KEY_SECRET};
pub use gateway::Gateway;
pub use harness::Emulator;
#[doc(hidden)]
pub use server::http1_builder;
use store::StoreError;

/// Why an emulator cannot start.
#[derive(Debug)]
#[non_exhaustive]
pub enum StartError {
    /// The listening address cannot be bound (or a runtime cannot be built).
    Io(io::Error),
    /// The fixtures break a rule.
    Fixtures(ScenarioError),
    /// The state cannot be opened or replayed.
    Store(StoreError),
    /// The same access key ID was given twice.
    DuplicateKey(String),
}

impl fmt::Display for StartError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StartError::Io(e) => write!(f, "{e}"),
            StartError::Fixtures(e) => write!(f, "fixtures, {e}"),
            StartError::Store(e) => write!(f, "state: {e}"),
            StartError::DuplicateKey(id) => write!(f, "access key `{id}` given twice"),
        }
    }
}

impl std::error::Error for StartError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            StartError::Io(e) => Some(e),
            StartError::Fixtures(e) => Some(e),
            StartError::Store(e) => Some(e),
            StartError::DuplicateKey(_) => None,
        }
    }
}

/// A bound server, ready to serve.
///
/// ```
/// use smartag_emulator::{Config, Server};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), smartag_emulator::StartError> {
/// let server = Server::bind(&Config::new()).await?;
/// println!("listening on http://{}", server.local_addr());
/// server.serve(async { /* until this resolves: a signal, say */ }).await;
/// # Ok(())
/// # }
/// ```
#[derive(Debug)]
pub struct Server {
    listener: TcpListener,
    addr: SocketAddr,
    gateway: Arc<Gateway>,
    limits: Limits,
}

impl Server {
    /// Builds the accounts of `config` and binds its address.
    ///
    /// # Errors
    ///
    /// A [`StartError`] when the fixtures break a rule, the state cannot be read, a key is
    /// repeated or the address cannot be bound.
    pub async fn bind(config: &Config) -> Result<Server, StartError> {
        let gateway = Arc::new(Gateway::new(config)?);
        let listener = TcpListener::bind(config.listen)
            .await
            .map_err(StartError::Io)?;
        let addr = listener.local_addr().map_err(StartError::Io)?;
        Ok(Server {
            listener,
            addr,
            gateway,
            limits: config.limits,
        })
    }

    /// The address it listens on (with the port picked, for port 0).
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// The gateway it serves.
    pub fn gateway(&self) -> &Arc<Gateway> {
        &self.gateway
    }

    /// Serves until `shutdown` resolves, then lets open connections finish their request.
    pub async fn serve(self, shutdown: impl Future<Output = ()>) {
        server::serve(self.listener, self.gateway, self.limits, shutdown).await;
    }
}
