//! The emulator without the network: an HTTP request in, an HTTP response out. It checks the
//! request's signature, picks the account of its access key, runs the request through the
//! wire layer of `smartag-rules`, and records each change with the [`Store`].
//!
//! The server ([`Server`](crate::Server)) only reads requests off connections and writes the answers
//! back; everything the emulator decides is decided here, so that tests and fuzz targets can
//! drive it directly.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use base64::Engine as _;
use bytes::Bytes;
use http::{header, HeaderValue, Method, Response, StatusCode};
use smartag_rules::wire::scenario::{Scenario, ScenarioError};
use smartag_rules::wire::{
    parse_request, HttpRequest, HttpResponse, Method as WireMethod, Service,
};
use smartag_rules::Error;
use subtle::ConstantTimeEq;

use crate::auth::{Authenticator, Refusal, SignedRequest};
use crate::clock::Clock;
use crate::config::{AccessKey, Config};
use crate::store::{Change, Store, Ticket};
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
    fixtures: Arc<String>,
    clock: Arc<dyn Clock>,
    auth: Authenticator,
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
        let fixtures = Arc::clone(&config.fixtures);
        let mut fresh = Vec::new();
        for key in config.access_keys() {
            if fresh
                .iter()
                .any(|(k, _, _): &(AccessKey, _, _)| k.id() == key.id())
            {
                return Err(StartError::DuplicateKey(key.id().to_owned()));
            }
            let seed = account_seed(config.seed, key.id());
            let service = fresh_account(&fixtures, seed).map_err(StartError::Fixtures)?;
            fresh.push((key, seed, service));
        }
        let store = match &config.state_dir {
            None => Store::memory(),
            Some(dir) => {
                let accounts = fresh
                    .iter()
                    .map(|(key, _, service)| (key.id().to_owned(), service.account().clone()))
                    .collect();
                let (store, kept) = Store::open_with(dir, config.seed, accounts, config.compaction)
                    .map_err(StartError::Store)?;
                if !store.is_new() {
                    // A restart: the accounts as kept, and request IDs that do not repeat the
                    // previous runs' ones.
                    let restarts = store.previous_starts().wrapping_mul(0x9E37_79B9_7F4A_7C15);
                    for ((_, seed, service), (_, account)) in fresh.iter_mut().zip(kept) {
                        *service = Service::with_account(account, *seed ^ restarts);
                    }
                }
                store
            }
        };
        let tenants = fresh
            .into_iter()
            .map(|(key, seed, service)| {
                let tenant = Tenant {
                    key,
                    seed,
                    service: Mutex::new(service),
                };
                (tenant.key.id().to_owned(), tenant)
            })
            .collect();
        Ok(Gateway {
            tenants,
            unowned: Mutex::new(Service::with_seed(config.seed)),
            fixtures,
            clock: Arc::clone(&config.clock),
            auth: Authenticator::new(),
            store,
        })
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
        let Some(incoming) = Incoming::read(request) else {
            return done(plain(StatusCode::METHOD_NOT_ALLOWED, "GET or POST\n"));
        };
        let tenant = match self.authenticate(&incoming) {
            Ok(tenant) => tenant,
            Err(refusal) => {
                let answer = self.refuse(&incoming.wire, &refusal);
                return done(to_http(answer, None, incoming.wire.action()));
            }
        };
        // What `HttpRequest::parse` reads, decoded once (the signature was checked over its
        // first pairs), kept to record the change.
        let params = &incoming.params;
        let parsed = parse_request(params.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        let action = parsed.as_ref().ok().map(|p| p.request.action().to_owned());
        // The lock is held while the request runs and its change is recorded (so that the log
        // holds the changes in the order they were made), not while the answer is built.
        let (answer, recorded) = {
            let mut service = lock(&tenant.service);
            let answer = service.handle_parsed(&parsed);
            let changed = answer.status == 200 && parsed.as_ref().is_ok_and(|p| p.changes_state());
            let recorded =
                changed.then(|| self.store.record(tenant.key.id(), &Change::Request(params)));
            (answer, recorded)
        };
        let response = to_http(answer, Some(tenant.key.id()), action);
        match recorded {
            None => done(response),
            Some(recorded) => recorded_answer(recorded, response),
        }
    }

    /// Checks the request's signature: the account of its key.
    fn authenticate(&self, incoming: &Incoming) -> Result<&Tenant, Refusal> {
        let signed = incoming.signed();
        let key = self.auth.verify(&signed, &*self.clock, |id| {
            self.tenants.get(id).map(|tenant| &tenant.key)
        })?;
        self.tenants
            .get(key.id())
            .ok_or_else(|| Error::AccessKeyNotFound.into())
    }

    /// Records a change made under the tenant's lock (held by the caller).
    fn commit(&self, tenant: &Tenant, change: &Change<'_>, response: Response<Bytes>) -> Handled {
        recorded_answer(self.store.record(tenant.key.id(), change), response)
    }

    /// The emulator's own endpoints: `GET health` for anyone; `POST reset` and
    /// `POST fixtures` for a configured key, on its own account.
    fn control(&self, endpoint: &str, request: &http::Request<Bytes>) -> Handled {
        match (request.method(), endpoint) {
            (&Method::GET, "health") => {
                return done(json(StatusCode::OK, r#"{"Status":"ok"}"#.to_owned()))
            }
            (&Method::POST, "reset" | "fixtures") => {}
            (_, "health" | "reset" | "fixtures") => {
                return done(plain(
                    StatusCode::METHOD_NOT_ALLOWED,
                    "method not allowed\n",
                ))
            }
            _ => return done(plain(StatusCode::NOT_FOUND, "not found\n")),
        }
        let tenant = match self.authorise(request) {
            Ok(tenant) => tenant,
            Err(response) => return done(*response),
        };
        let mut service = lock(&tenant.service);
        if endpoint == "reset" {
            match fresh_account(&self.fixtures, tenant.seed) {
                Ok(fresh) => *service = fresh,
                Err(e) => return done(control_error(&e.to_string())),
            }
            let body = format!(r#"{{"Reset":{}}}"#, json_string(tenant.key.id()));
            return self.commit(
                tenant,
                &Change::Replace(service.account()),
                json(StatusCode::OK, body),
            );
        }
        let Ok(text) = std::str::from_utf8(request.body()) else {
            return done(control_error("the fixtures are not UTF-8"));
        };
        let mut lines = Vec::new();
        match load_fixtures(service.clone(), text, |line| lines.push(json_string(&line))) {
            Ok(loaded) => {
                *service = loaded;
                let body = format!(r#"{{"Outputs":[{}]}}"#, lines.join(","));
                self.commit(
                    tenant,
                    &Change::Replace(service.account()),
                    json(StatusCode::OK, body),
                )
            }
            Err(e) => done(control_error(&e.to_string())),
        }
    }

    /// The account a control request acts on: HTTP Basic authorisation with a configured key
    /// (`ID:SECRET`), or a request signed as the API's are.
    fn authorise(&self, request: &http::Request<Bytes>) -> Result<&Tenant, Box<Response<Bytes>>> {
        let basic = request
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Basic "));
        if let Some(credentials) = basic {
            let decoded = base64::engine::general_purpose::STANDARD
                .decode(credentials.trim())
                .ok()
                .and_then(|bytes| String::from_utf8(bytes).ok());
            let tenant = decoded.as_deref().and_then(|text| {
                let (id, secret) = text.split_once(':')?;
                let tenant = self.tenants.get(id)?;
                let equal: bool = tenant
                    .key
                    .secret()
                    .expose()
                    .as_bytes()
                    .ct_eq(secret.as_bytes())
                    .into();
                equal.then_some(tenant)
            });
            return tenant.ok_or_else(|| {
                let mut response = Box::new(plain(
                    StatusCode::UNAUTHORIZED,
                    "unknown key or wrong secret\n",
                ));
                response.headers_mut().insert(
                    header::WWW_AUTHENTICATE,
                    HeaderValue::from_static(r#"Basic realm="smartag-emulator""#),
                );
                response
            });
        }
        let incoming = Incoming::read(request).ok_or_else(|| {
            Box::new(plain(
                StatusCode::METHOD_NOT_ALLOWED,
                "method not allowed\n",
            ))
        })?;
        self.authenticate(&incoming).map_err(|refusal| {
            let answer = self.refuse(&incoming.wire, &refusal);
            Box::new(to_http(answer, None, None))
        })
    }

    /// The answer to a request whose authentication failed: the gateway error in the request's
    /// format; for `SignatureDoesNotMatch`, its message followed by the string the emulator
    /// signed, as the real service answers (the older SDK reads it back).
    fn refuse(&self, wire: &HttpRequest, refusal: &Refusal) -> HttpResponse {
        let detail = refusal
            .string_to_sign
            .as_ref()
            .map(|signed| format!("{}{signed}", Refusal::STRING_TO_SIGN_PREFIX))
            .unwrap_or_default();
        lock(&self.unowned).reject_with(wire, refusal.error, &detail)
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

/// A fresh account with the fixtures loaded (their requests' output lines dropped as they come:
/// a million of them would otherwise be held until the end).
fn fresh_account(fixtures: &str, seed: u64) -> Result<Service, ScenarioError> {
    load_fixtures(Service::with_seed(seed), fixtures, drop)
}

/// Fixture lines (and requests, in the replay format) run on `service`: the service after them,
/// each request's output line handed to `output`; or the first broken line.
fn load_fixtures(
    service: Service,
    text: &str,
    mut output: impl FnMut(String),
) -> Result<Service, ScenarioError> {
    let mut scenario = Scenario::with_service(service);
    for line in text.lines() {
        if let Some(line) = scenario.step(line)? {
            output(line);
        }
    }
    Ok(scenario.into_service())
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The answer to a request whose change was recorded (it waits for the ticket), or the error
/// of one that could not be.
fn recorded_answer(
    recorded: Result<Ticket, crate::store::StoreError>,
    response: Response<Bytes>,
) -> Handled {
    match recorded {
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

fn done(response: Response<Bytes>) -> Handled {
    Handled {
        response,
        ticket: None,
    }
}

/// What the server logs of an answered request, carried as a response extension.
#[derive(Clone, Debug, Default)]
pub struct RequestLog {
    /// The access key ID the request was signed with, once verified.
    pub key_id: Option<String>,
    /// The request's `Action`.
    pub action: Option<String>,
}

fn to_http(answer: HttpResponse, key_id: Option<&str>, action: Option<String>) -> Response<Bytes> {
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
    response.extensions_mut().insert(RequestLog {
        key_id: key_id.map(str::to_owned),
        action,
    });
    response
}

fn json(status: StatusCode, body: String) -> Response<Bytes> {
    let mut response = Response::new(Bytes::from(body));
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json;charset=utf-8"),
    );
    response
}

/// A JSON string literal.
fn json_string(text: &str) -> String {
    serde_json::Value::from(text).to_string()
}

/// A control request the emulator cannot carry out (broken fixtures, say): 400 and a body
/// `{"Code":"InvalidFixtures","Message":"line 2: ..."}`; the account is unchanged.
fn control_error(message: &str) -> Response<Bytes> {
    let body = format!(
        r#"{{"Code":"InvalidFixtures","Message":{}}}"#,
        json_string(message)
    );
    json(StatusCode::BAD_REQUEST, body)
}

/// A request to the API as the wire layer and the authenticator read it.
struct Incoming<'a> {
    wire: HttpRequest,
    /// [`HttpRequest::rpc_parameters`], decoded once: the pairs sent (query, then form body),
    /// then those the wire layer takes from the headers.
    params: Vec<(String, String)>,
    /// How many of `params` were sent ([`HttpRequest::parameters`], what an RPC signature
    /// covers).
    sent: usize,
    headers: Vec<(String, String)>,
    path: &'a str,
}

impl<'a> Incoming<'a> {
    /// `None` for a method other than `GET` and `POST`.
    fn read(request: &'a http::Request<Bytes>) -> Option<Incoming<'a>> {
        let method: WireMethod = request.method().as_str().parse().ok()?;
        let query = request.uri().query().unwrap_or_default();
        let headers: Vec<(String, String)> = request
            .headers()
            .iter()
            .map(|(name, value)| {
                (
                    name.as_str().to_owned(),
                    String::from_utf8_lossy(value.as_bytes()).into_owned(),
                )
            })
            .collect();
        let mut wire = HttpRequest::new(method, query).with_body(request.body().to_vec());
        for (name, value) in &headers {
            wire = wire.with_header(name.as_str(), value.as_str());
        }
        let params = wire.rpc_parameters();
        let mut sent = form_pairs(wire.query().as_bytes());
        if wire.has_form_body() {
            sent += form_pairs(wire.body());
        }
        Some(Incoming {
            wire,
            params,
            sent,
            headers,
            path: request.uri().path(),
        })
    }

    fn signed(&self) -> SignedRequest<'_> {
        SignedRequest {
            method: self.wire.method().as_str(),
            path: self.path,
            query: self.wire.query(),
            params: self.params.get(..self.sent).unwrap_or(&self.params),
            headers: &self.headers,
            body: self.wire.body(),
        }
    }
}

/// How many pairs `application/x-www-form-urlencoded` text holds, as `form_urlencoded::parse`
/// reads it: one per `&`-separated piece that is not empty.
fn form_pairs(text: &[u8]) -> usize {
    text.split(|&b| b == b'&')
        .filter(|piece| !piece.is_empty())
        .count()
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The pairs counted are the pairs the wire layer decodes, so that the signature is checked
    /// over exactly the parameters sent, and the ones taken from headers come after them.
    #[test]
    fn sent_pairs_are_the_wire_parameters() {
        let form = "application/x-www-form-urlencoded; charset=utf-8";
        let cases: &[(&str, &str, &str, Option<&str>, &str)] = &[
            // method, query, body, content type, x-acs-action
            ("GET", "", "", None, ""),
            ("GET", "&&", "", None, "RoamClientUser"),
            ("GET", "A=1&&B=2&", "", None, ""),
            ("GET", "=&=x&%26=%3D&a+b=c%20d", "", None, "X"),
            ("GET", "Action=&Version=1", "", None, "X"),
            (
                "GET",
                "RegionId=cn-shanghai&Version=",
                "",
                None,
                "RoamClientUser",
            ),
            ("POST", "A=1", "B=2&&C=3&", Some(form), "X"),
            ("POST", "A=1", "B=2&C=3", Some("application/json"), ""),
            ("POST", "", "Action=Y&&", Some(form), "X"),
            ("GET", "A=1", "B=2", Some(form), "X"),
        ];
        for &(method, query, body, content_type, action) in cases {
            let mut request = http::Request::builder()
                .method(method)
                .uri(format!("/?{query}"));
            if let Some(content_type) = content_type {
                request = request.header(header::CONTENT_TYPE, content_type);
            }
            if !action.is_empty() {
                request = request
                    .header("x-acs-action", action)
                    .header("x-acs-version", "2018-03-13");
            }
            let request = request.body(Bytes::from(body.to_owned())).unwrap();
            let incoming = Incoming::read(&request).unwrap();
            let case = (method, query, body, content_type, action);
            assert_eq!(
                incoming.signed().params,
                incoming.wire.parameters(),
                "{case:?}"
            );
            assert_eq!(incoming.params, incoming.wire.rpc_parameters(), "{case:?}");
        }
    }
}
