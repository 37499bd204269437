//! The emulator without the network: an HTTP request in, an HTTP response out. It checks the
//! request's signature, picks the account of its access key, runs the request through the
//! wire layer of `smartag-rules`, and records each change with the [`Store`].
//!
//! The server ([`Server`](crate::Server)) only reads requests off connections and writes the answers
//! back; everything the emulator decides is decided here, so that tests and fuzz targets can
//! drive it directly.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use bytes::Bytes;
use http::{header, HeaderValue, Method, Response, StatusCode};
use smartag_rules::wire::scenario::{Scenario, ScenarioError};
use smartag_rules::wire::{HttpResponse, Service};

use crate::clock::Clock;
use crate::config::{AccessKey, Config};
use crate::store::{Change, Store, StoreError, Ticket};
use crate::StartError;

/// The path of the API.
pub const API_PATH: &str = "/";
/// The prefix of the emulator's own endpoints.
pub const CONTROL_PREFIX: &str = "/_emulator/";

/// One account: the key it belongs to and its service.
#[derive(Debug)]
struct Tenant {
    key: AccessKey,
    seed: u64,
    service: Mutex<Service>,
}

/// The emulator's state and its request handling, with no network code.
#[derive(Debug)]
pub struct Gateway {
    tenants: HashMap<String, Tenant>,
    /// Request IDs for the answers that belong to no account (an unknown key, say).
    unowned: Mutex<Service>,
    fixtures: String,
    clock: Arc<dyn Clock>,
    store: Store,
}

/// What the gateway answered, and the change the answer waits for.
#[derive(Debug)]
pub struct Handled {
    /// The answer.
    pub response: Response<Bytes>,
    /// The ticket of the change the request made, to await with [`Store::durable`] before the
    /// answer leaves; `None` when it changed nothing.
    pub ticket: Option<Ticket>,
}

impl Gateway {
    /// A gateway for `config`: one account per access key, each loaded with the fixtures (or,
    /// with a state directory, with what the state holds).
    ///
    /// # Errors
    ///
    /// A [`StartError`] when the fixtures break a rule, the state cannot be read, or a key ID is
    /// repeated.
    pub fn new(config: &Config) -> Result<Gateway, StartError> {
        let (store, recovered) = match &config.state_dir {
            None => (Store::memory(), Vec::new()),
            Some(dir) => Store::open(dir).map_err(StartError::Store)?,
        };
        let fixtures = config.fixtures.clone();
        let mut tenants = HashMap::new();
        for key in config.access_keys() {
            let seed = account_seed(config.seed, key.id());
            let service = if store.is_new() {
                fresh_account(&fixtures, seed).map_err(StartError::Fixtures)?
            } else {
                Service::with_seed(seed)
            };
            let id = key.id().to_owned();
            let tenant = Tenant {
                key,
                seed,
                service: Mutex::new(service),
            };
            if tenants.insert(id.clone(), tenant).is_some() {
                return Err(StartError::DuplicateKey(id));
            }
        }
        let gateway = Gateway {
            tenants,
            unowned: Mutex::new(Service::with_seed(config.seed)),
            fixtures,
            clock: Arc::clone(&config.clock),
            store,
        };
        for (key_id, change) in recovered {
            gateway.replay(&key_id, &change)?;
        }
        Ok(gateway)
    }

    /// The store changes are recorded in.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The clock timestamps are checked against.
    pub fn clock(&self) -> &dyn Clock {
        &*self.clock
    }

    /// Answers one request, waiting until its change (if any) is durable.
    pub async fn handle(&self, request: http::Request<Bytes>) -> Response<Bytes> {
        let handled = self.handle_now(request);
        match handled.ticket {
            None => handled.response,
            Some(ticket) => match self.store.durable(ticket).await {
                Ok(()) => handled.response,
                Err(e) => {
                    tracing::error!(error = %e, "state: a change could not be made durable");
                    plain(StatusCode::INTERNAL_SERVER_ERROR, "state write failed\n")
                }
            },
        }
    }

    /// Answers one request at once; the change it made (if any) is recorded but maybe not
    /// durable yet: see [`Handled::ticket`].
    pub fn handle_now(&self, request: http::Request<Bytes>) -> Handled {
        let path = request.uri().path();
        if path == API_PATH {
            self.api(&request)
        } else if let Some(endpoint) = path.strip_prefix(CONTROL_PREFIX) {
            let endpoint = endpoint.to_owned();
            self.control(&endpoint, &request)
        } else {
            done(plain(StatusCode::NOT_FOUND, "not found\n"))
        }
    }

    fn api(&self, request: &http::Request<Bytes>) -> Handled {
        if request.method() != Method::GET && request.method() != Method::POST {
            return done(plain(StatusCode::METHOD_NOT_ALLOWED, "GET or POST\n"));
        }
        let params = rpc_parameters(request);
        let Some(tenant) = self.authenticate(&params) else {
            let mut unowned = lock(&self.unowned);
            return done(to_http(unowned.handle(params)));
        };
        let mut service = lock(&tenant.service);
        let changes = changes_state(&params);
        let answer = service.handle(params.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        if answer.status != 200 || !changes {
            return done(to_http(answer));
        }
        self.commit(tenant, &Change::Request(params), to_http(answer))
    }

    /// Records a change made under the tenant's lock (held by the caller).
    fn commit(&self, tenant: &Tenant, change: &Change, response: Response<Bytes>) -> Handled {
        match self.store.record(tenant.key.id(), change) {
            Ok(ticket) => Handled {
                response,
                ticket: Some(ticket),
            },
            Err(e) => {
                tracing::error!(error = %e, "state: a change could not be recorded");
                done(plain(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "state write failed\n",
                ))
            }
        }
    }

    fn authenticate(&self, params: &[(String, String)]) -> Option<&Tenant> {
        let id = params
            .iter()
            .find(|(k, _)| k == "AccessKeyId")
            .map(|(_, v)| v.as_str());
        match id {
            Some(id) => self.tenants.get(id),
            None => self.tenants.values().next(),
        }
    }

    fn control(&self, endpoint: &str, request: &http::Request<Bytes>) -> Handled {
        match (request.method(), endpoint) {
            (&Method::GET, "health") => done(plain(StatusCode::OK, "ok\n")),
            _ => done(plain(StatusCode::NOT_FOUND, "not found\n")),
        }
    }

    /// Applies a change the store kept, at start.
    fn replay(&self, key_id: &str, change: &Change) -> Result<(), StartError> {
        let tenant = self.tenants.get(key_id).ok_or_else(|| {
            StartError::Store(StoreError(format!(
                "the state holds changes of access key `{key_id}`, which is not configured"
            )))
        })?;
        let mut service = lock(&tenant.service);
        match change {
            Change::Request(params) => {
                let answer = service.handle(params.iter().map(|(k, v)| (k.as_str(), v.as_str())));
                if answer.status != 200 {
                    return Err(StartError::Store(StoreError(format!(
                        "a kept change of access key `{key_id}` no longer applies (status {})",
                        answer.status
                    ))));
                }
            }
            Change::Reset => {
                *service =
                    fresh_account(&self.fixtures, tenant.seed).map_err(StartError::Fixtures)?;
            }
            Change::Fixtures(text) => {
                let (loaded, _) =
                    load_fixtures(service.clone(), text).map_err(StartError::Fixtures)?;
                *service = loaded;
            }
        }
        Ok(())
    }
}

/// Each account's seed: the configured seed mixed with the key ID (FNV-1a), so that two
/// accounts never share request IDs.
fn account_seed(seed: u64, key_id: &str) -> u64 {
    let hash = key_id.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    });
    seed ^ hash
}

/// A fresh account with the fixtures loaded.
fn fresh_account(fixtures: &str, seed: u64) -> Result<Service, ScenarioError> {
    load_fixtures(Service::with_seed(seed), fixtures).map(|(service, _)| service)
}

/// Fixture lines (and requests, in the replay format) run on `service`: the service after them
/// and the output line of each request, or the first broken line.
fn load_fixtures(service: Service, text: &str) -> Result<(Service, Vec<String>), ScenarioError> {
    let mut scenario = Scenario::with_service(service);
    let mut outputs = Vec::new();
    for line in text.lines() {
        outputs.extend(scenario.step(line)?);
    }
    Ok((scenario.into_service(), outputs))
}

/// The request's parameters: the query's, then a form body's, then `Action` and `Version` from
/// the ACS3 headers when the parameters lack them.
fn rpc_parameters(request: &http::Request<Bytes>) -> Vec<(String, String)> {
    let decode = |bytes: &[u8]| {
        form_urlencoded::parse(bytes)
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect::<Vec<_>>()
    };
    let mut params = decode(request.uri().query().unwrap_or_default().as_bytes());
    let form = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|t| {
            t.trim()
                .eq_ignore_ascii_case("application/x-www-form-urlencoded")
        });
    if request.method() == Method::POST && form {
        params.extend(decode(request.body()));
    }
    for (param, header) in [("Action", "x-acs-action"), ("Version", "x-acs-version")] {
        if params.iter().all(|(name, _)| name != param) {
            if let Some(value) = request.headers().get(header).and_then(|v| v.to_str().ok()) {
                params.push((param.to_owned(), value.to_owned()));
            }
        }
    }
    params
}

fn changes_state(params: &[(String, String)]) -> bool {
    params
        .iter()
        .find(|(k, _)| k == "Action")
        .is_some_and(|(_, v)| v != "DescribeSmartAccessGatewayClientUsers")
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

fn done(response: Response<Bytes>) -> Handled {
    Handled {
        response,
        ticket: None,
    }
}

fn to_http(answer: HttpResponse) -> Response<Bytes> {
    let mut response = Response::new(Bytes::from(answer.body));
    *response.status_mut() =
        StatusCode::from_u16(answer.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(answer.content_type),
    );
    if let Ok(id) = HeaderValue::from_str(&answer.request_id) {
        headers.insert("x-acs-request-id", id);
    }
    response
}

fn plain(status: StatusCode, text: &'static str) -> Response<Bytes> {
    let mut response = Response::new(Bytes::from_static(text.as_bytes()));
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain;charset=utf-8"),
    );
    response
}
