//! What an emulator is started with: where it listens, its access keys, its fixtures, its seed,
//! its state directory and its limits. The command line (`src/main.rs`) and the Rust harness
//! ([`Emulator`](crate::Emulator)) both build a [`Config`].

use core::fmt;
use core::str::FromStr;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use crate::clock::{Clock, SystemClock};
use crate::store::Compaction;

/// The access key ID configured when no key is given: the emulator's documented development
/// key, like Azurite's `devstoreaccount1`. Not a secret: never use it outside tests.
pub const WELL_KNOWN_KEY_ID: &str = "smartag-emulator";

/// The secret of [`WELL_KNOWN_KEY_ID`], public by design.
pub const WELL_KNOWN_KEY_SECRET: &str = "smartag-emulator-dev-secret";

/// An access-key secret: compared and used to sign, never shown (`Debug` prints `Secret(***)`).
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// A secret of this text.
    pub fn new(text: impl Into<String>) -> Secret {
        Secret(text.into())
    }

    /// The secret's text, to sign or verify with.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// An access key: its ID (which names its account) and its secret.
///
/// ```
/// use smartag_emulator::AccessKey;
///
/// let key: AccessKey = "testid:testsecret".parse()?;
/// assert_eq!(key.id(), "testid");
/// assert_eq!(key.secret().expose(), "testsecret");
/// assert_eq!(format!("{key:?}"), r#"AccessKey { id: "testid", secret: Secret(***) }"#);
/// assert!("no-colon".parse::<AccessKey>().is_err());
/// # Ok::<(), smartag_emulator::config::InvalidAccessKey>(())
/// ```
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct AccessKey {
    id: String,
    secret: Secret,
}

impl AccessKey {
    /// A key of this ID and secret.
    ///
    /// # Errors
    ///
    /// [`InvalidAccessKey`] when the ID or the secret is empty, or the ID holds a `:` or a
    /// character outside printable ASCII.
    pub fn new(
        id: impl Into<String>,
        secret: impl Into<String>,
    ) -> Result<AccessKey, InvalidAccessKey> {
        let id = id.into();
        let secret = secret.into();
        if id.is_empty()
            || secret.is_empty()
            || id.contains(':')
            || !id.bytes().all(|b| b.is_ascii_graphic())
        {
            return Err(InvalidAccessKey);
        }
        Ok(AccessKey {
            id,
            secret: Secret(secret),
        })
    }

    /// The documented development key ([`WELL_KNOWN_KEY_ID`], [`WELL_KNOWN_KEY_SECRET`]).
    pub fn well_known() -> AccessKey {
        AccessKey {
            id: WELL_KNOWN_KEY_ID.to_owned(),
            secret: Secret(WELL_KNOWN_KEY_SECRET.to_owned()),
        }
    }

    /// The access key ID.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The secret.
    pub fn secret(&self) -> &Secret {
        &self.secret
    }
}

/// An access key written other than `ID:SECRET` (both non-empty, the ID printable ASCII).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct InvalidAccessKey;

impl fmt::Display for InvalidAccessKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an access key is written ID:SECRET, both non-empty, the ID printable ASCII without `:`")
    }
}

impl std::error::Error for InvalidAccessKey {}

impl FromStr for AccessKey {
    type Err = InvalidAccessKey;

    /// `ID:SECRET`, split at the first `:` (the secret may hold more).
    fn from_str(s: &str) -> Result<AccessKey, InvalidAccessKey> {
        let (id, secret) = s.split_once(':').ok_or(InvalidAccessKey)?;
        AccessKey::new(id, secret)
    }
}

/// How much the server takes from one client, and for how long.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[non_exhaustive]
pub struct Limits {
    /// The longest request target (path and query), in bytes: longer is 414.
    pub max_url_bytes: usize,
    /// The largest request head (request line and headers), in bytes: larger is 431.
    pub max_head_bytes: usize,
    /// The most headers a request may carry: more is 431 (hyper is told to parse one more, so
    /// that the server answers it).
    pub max_headers: usize,
    /// The largest body, in bytes: larger is 413.
    pub max_body_bytes: usize,
    /// How long a client may take to send a request head, once it started one.
    pub header_read_timeout: Duration,
    /// How long a client may take to send a body.
    pub body_read_timeout: Duration,
    /// How long a connection may stay without any byte read or written before it is closed.
    pub idle_timeout: Duration,
    /// The most connections served at once; more are closed as soon as they are accepted.
    pub max_connections: usize,
    /// The most bytes of request bodies held at once, across all connections: a body is read
    /// only once its bytes fit (a declared `Content-Length` whole, before the first byte is
    /// read); past it a request waits up to [`Limits::body_budget_wait`], then gets 503
    /// `ServiceUnavailable`.
    pub max_inflight_body_bytes: usize,
    /// How long a request waits for room in [`Limits::max_inflight_body_bytes`].
    pub body_budget_wait: Duration,
}

impl Default for Limits {
    /// 16 KiB URLs, 64 KiB heads of at most 100 headers, 1 MiB bodies, 10 s to send a head or a
    /// body, 60 s idle, 4096 connections, 64 MiB of bodies at once (waited for up to 1 s).
    fn default() -> Limits {
        Limits {
            max_url_bytes: 16 * 1024,
            max_head_bytes: 64 * 1024,
            max_headers: 100,
            max_body_bytes: 1024 * 1024,
            header_read_timeout: Duration::from_secs(10),
            body_read_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(60),
            max_connections: 4096,
            max_inflight_body_bytes: 64 * 1024 * 1024,
            body_budget_wait: Duration::from_secs(1),
        }
    }
}

/// Everything an emulator starts with. [`Config::new`] listens on a free port of 127.0.0.1 with
/// the well-known key; the setters change one thing each.
///
/// ```
/// use smartag_emulator::{AccessKey, Config};
///
/// let config = Config::new()
///     .access_key("testid:testsecret".parse()?)
///     .fixtures("instance sag-app1 region=cn-shanghai users=5 cidr=10.0.0.0/24")
///     .seed(7);
/// assert_eq!(config.access_keys()[0].id(), "testid");
/// # Ok::<(), smartag_emulator::config::InvalidAccessKey>(())
/// ```
#[derive(Clone, Debug)]
pub struct Config {
    pub(crate) listen: SocketAddr,
    pub(crate) access_keys: Vec<AccessKey>,
    /// Shared with the gateway, which keeps it for resets: a million lines are not copied.
    pub(crate) fixtures: Arc<String>,
    pub(crate) seed: u64,
    pub(crate) state_dir: Option<PathBuf>,
    pub(crate) compaction: Compaction,
    pub(crate) limits: Limits,
    pub(crate) clock: Arc<dyn Clock>,
}

impl Default for Config {
    fn default() -> Config {
        Config::new()
    }
}

impl Config {
    /// 127.0.0.1, a free port, no fixtures, seed 0, in memory, the default [`Limits`], the
    /// system clock, and the well-known key unless [`Config::access_key`] adds one.
    pub fn new() -> Config {
        Config {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            access_keys: Vec::new(),
            fixtures: Arc::default(),
            seed: 0,
            state_dir: None,
            compaction: Compaction::default(),
            limits: Limits::default(),
            clock: Arc::new(SystemClock),
        }
    }

    /// Listens on `addr` (port 0 picks a free port).
    pub fn listen(mut self, addr: SocketAddr) -> Config {
        self.listen = addr;
        self
    }

    /// Adds an access key, each its own account. With none, the well-known key is configured.
    pub fn access_key(mut self, key: AccessKey) -> Config {
        self.access_keys.push(key);
        self
    }

    /// Fixture lines (`instance ...`, `used ...`, and requests, in the replay scenario format),
    /// loaded into every account at start and at each reset. Several calls append.
    pub fn fixtures(mut self, text: impl Into<String>) -> Config {
        let fixtures = Arc::make_mut(&mut self.fixtures);
        if fixtures.is_empty() {
            *fixtures = text.into();
            return self;
        }
        if !fixtures.ends_with('\n') {
            fixtures.push('\n');
        }
        fixtures.push_str(&text.into());
        self
    }

    /// Seeds request IDs and generated values.
    pub fn seed(mut self, seed: u64) -> Config {
        self.seed = seed;
        self
    }

    /// Keeps the accounts in this directory (see [`crate::store`]).
    pub fn state_dir(mut self, dir: impl Into<PathBuf>) -> Config {
        self.state_dir = Some(dir.into());
        self
    }

    /// When the running server compacts its state directory (see [`crate::store`]).
    pub fn compaction(mut self, compaction: Compaction) -> Config {
        self.compaction = compaction;
        self
    }

    /// The server's limits.
    pub fn limits(mut self, limits: Limits) -> Config {
        self.limits = limits;
        self
    }

    /// The clock timestamps are checked against (a fixed one in tests).
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Config {
        self.clock = clock;
        self
    }

    /// The configured keys: the ones added, or the well-known key when none was.
    pub fn access_keys(&self) -> Vec<AccessKey> {
        if self.access_keys.is_empty() {
            vec![AccessKey::well_known()]
        } else {
            self.access_keys.clone()
        }
    }

    /// The address to listen on.
    pub fn listen_addr(&self) -> SocketAddr {
        self.listen
    }
}
