//! Emulators inside Rust test suites, in the shape of `httpmock` and `wiremock`: start one on a
//! free port, point the code under test at its endpoint, let it go at the end of the test.

use std::net::SocketAddr;
use std::sync::Arc;
use std::thread;

use tokio::sync::oneshot;

use crate::config::{AccessKey, Config};
use crate::gateway::Gateway;
use crate::{Server, StartError};

/// A running emulator. It stops when dropped (or with [`Emulator::stop`]).
///
/// In an async test (on a multi-threaded Tokio runtime, or any runtime that keeps running
/// while the test awaits):
///
/// ```
/// use smartag_emulator::{Config, Emulator};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let emulator = Emulator::start(
///     Config::new().fixtures("instance sag-app1 region=cn-shanghai users=5 cidr=10.0.0.0/24"),
/// )
/// .await?;
/// assert!(emulator.url().starts_with("http://127.0.0.1:"));
/// assert_eq!(emulator.access_key().id(), "smartag-emulator");
/// emulator.stop().await;
/// # Ok(())
/// # }
/// ```
///
/// In a plain `#[test]`, [`Emulator::start_blocking`] runs it on a thread of its own:
///
/// ```
/// use smartag_emulator::{AccessKey, Config, Emulator};
///
/// let emulator = Emulator::start_blocking(
///     Config::new().access_key(AccessKey::new("testid", "testsecret")?),
/// )?;
/// let endpoint = emulator.endpoint(); // "127.0.0.1:PORT", what the SDKs take
/// assert!(endpoint.starts_with("127.0.0.1:"));
/// drop(emulator); // stops it
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct Emulator {
    addr: SocketAddr,
    keys: Vec<AccessKey>,
    /// Answered by [`Emulator::access_key`] if `keys` were ever empty (`Config` never makes it so).
    well_known: AccessKey,
    gateway: Arc<Gateway>,
    shutdown: Option<oneshot::Sender<()>>,
    running: Running,
}

#[derive(Debug)]
enum Running {
    Task(Option<tokio::task::JoinHandle<()>>),
    Thread(Option<thread::JoinHandle<()>>),
}

impl Emulator {
    /// Starts an emulator on the current Tokio runtime.
    ///
    /// # Errors
    ///
    /// A [`StartError`] when the address cannot be bound, the fixtures break a rule or the
    /// state cannot be read.
    pub async fn start(config: Config) -> Result<Emulator, StartError> {
        let server = Server::bind(&config).await?;
        Emulator::serving(config.access_keys(), server, |server, stop| {
            Ok(Running::Task(Some(tokio::spawn(
                server.serve(stopped(stop)),
            ))))
        })
    }

    /// Starts an emulator on a thread with a runtime of its own, for tests without one.
    /// Dropping it stops the server and waits for the thread.
    ///
    /// # Errors
    ///
    /// As [`Emulator::start`]; also [`StartError::Io`] when the runtime cannot be built.
    pub fn start_blocking(config: Config) -> Result<Emulator, StartError> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .map_err(StartError::Io)?;
        let server = runtime.block_on(Server::bind(&config))?;
        Emulator::serving(config.access_keys(), server, |server, stop| {
            thread::Builder::new()
                .name(format!("smartag-emulator-{}", server.local_addr().port()))
                .spawn(move || runtime.block_on(server.serve(stopped(stop))))
                .map(|thread| Running::Thread(Some(thread)))
                .map_err(StartError::Io)
        })
    }

    /// The one way an [`Emulator`] is made: `run` starts the bound `server` (on a task or a
    /// thread), to stop when the sender kept here is used or dropped.
    fn serving(
        keys: Vec<AccessKey>,
        server: Server,
        run: impl FnOnce(Server, oneshot::Receiver<()>) -> Result<Running, StartError>,
    ) -> Result<Emulator, StartError> {
        let addr = server.local_addr();
        let gateway = Arc::clone(server.gateway());
        let (tx, rx) = oneshot::channel::<()>();
        let running = run(server, rx)?;
        Ok(Emulator {
            addr,
            keys,
            well_known: AccessKey::well_known(),
            gateway,
            shutdown: Some(tx),
            running,
        })
    }

    /// The socket address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `HOST:PORT`, the form the SDKs take as their endpoint.
    pub fn endpoint(&self) -> String {
        self.addr.to_string()
    }

    /// `http://HOST:PORT/`, the API's URL.
    pub fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    /// The first configured access key (the well-known one unless keys were given).
    pub fn access_key(&self) -> &AccessKey {
        self.keys.first().unwrap_or(&self.well_known)
    }

    /// Every configured access key.
    pub fn access_keys(&self) -> &[AccessKey] {
        &self.keys
    }

    /// The gateway, to reach the accounts from the test directly.
    pub fn gateway(&self) -> &Gateway {
        &self.gateway
    }

    /// Stops the server and waits until it has.
    pub async fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        match &mut self.running {
            Running::Task(task) => {
                if let Some(task) = task.take() {
                    let _ = task.await;
                }
            }
            Running::Thread(thread) => {
                if let Some(thread) = thread.take() {
                    let _ = tokio::task::spawn_blocking(move || thread.join()).await;
                }
            }
        }
    }
}

/// Resolves when the shutdown signal comes (or its sender is dropped).
async fn stopped(stop: oneshot::Receiver<()>) {
    let _ = stop.await;
}

impl Drop for Emulator {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Running::Thread(thread) = &mut self.running {
            if let Some(thread) = thread.take() {
                let _ = thread.join();
            }
        }
    }
}
