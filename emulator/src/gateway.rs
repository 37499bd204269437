//! The emulator without the network: an HTTP request in, an HTTP response out. It checks the
//! request's signature, picks the account of its access key, runs the request through the
//! wire layer of `smartag-rules`, and records each change with the [`Store`].
//!
//! The server ([`Server`](crate::Server)) only reads requests off connections and writes the answers
//! back; everything the emulator decides is decided here, so that tests and fuzz targets can
//! drive it directly.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use base64::Engine as _;
use bytes::Bytes;
use http::{header, HeaderValue, Method, Response, StatusCode};
use smartag_rules::wire::scenario::{Scenario, ScenarioError};
use smartag_rules::wire::{
    parse_request, HttpRequest, HttpResponse, Method as WireMethod, Service,
};
use smartag_rules::wire::{Format, ParsedRequest, WireError};
use smartag_rules::{Account, Error, RegionId, SmartAgId, UserName};
use subtle::ConstantTimeEq;

use crate::auth::{encode_query, Authenticator, Refusal, Scheme, SentParams, SignedRequest};
use crate::clock::Clock;
use crate::config::{AccessKey, Config};
use crate::faults::{Fault, Faults, Injection};
use crate::store::{connect_at, Change, Io, Store, Ticket};
use crate::StartError;

/// The path of the API.
pub const API_PATH: &str = "/";
/// The prefix of the emulator's own endpoints.
pub const CONTROL_PREFIX: &str = "/_emulator/";

/// One account: the key it belongs to, the account its changes are decided on, and (with a
/// state directory) the account as the disk holds it.
#[derive(Debug)]
struct Tenant {
    key: AccessKey,
    seed: u64,
    service: Mutex<Ahead>,
    /// The account as the disk holds it, which reads answer from; `None` in memory, where the
    /// one account is the durable one.
    durable: Option<Arc<Mutex<Account>>>,
    /// The faults a test armed: in memory only, never in the store.
    faults: Faults,
}

/// The account changes are decided on: the durable one plus the changes on their way to disk.
#[derive(Debug)]
struct Ahead {
    service: Service,
    /// The store's failures when the account was last rebuilt from its durable state: after a
    /// new failure it may hold lost changes.
    epoch: u64,
    /// The last change recorded: an answer decided on this account (an error, say) may rest on
    /// it, and waits for it.
    last: Option<Ticket>,
}

impl Ahead {
    /// Whether the account may be decided on: rebuilt from `durable` after a failure (it may
    /// hold lost changes), once the durable account holds every change on disk; false while it
    /// does not yet (answer 503: nothing is decided on an account that may be wrong).
    #[must_use]
    fn sync(&mut self, store: &Store, durable: &Mutex<Account>) -> bool {
        let epoch = store.epoch();
        if epoch == self.epoch {
            return true;
        }
        if store.settled_epoch() != epoch {
            return false;
        }
        *self.service.account_mut() = lock(durable).clone();
        self.epoch = epoch;
        self.last = None;
        true
    }
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
    /// The change the answer rests on (the one the request made, or one it was decided after),
    /// to await with [`Store::durable`] before the answer leaves; `None` when it rests on
    /// nothing that is not durable yet.
    pub ticket: Option<Ticket>,
    /// How to answer should that change be lost: the request's format and region.
    lost: Option<(Format, Option<RegionId>)>,
    /// How long the answer waits before it leaves (an injected fault's delay), after its
    /// change is durable; [`Gateway::settle`] waits it out. `None` for no wait.
    pub delay: Option<Duration>,
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
        Gateway::with_store_io(config, Io::default())
    }

    /// [`Gateway::new`] over a store (if the config has a state directory) whose file-system
    /// calls go through `io`: where the store's fault tests inject faults into a gateway.
    pub(crate) fn with_store_io(config: &Config, io: Io) -> Result<Gateway, StartError> {
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
                let (store, kept) =
                    Store::open_io(io, dir, config.seed, accounts, config.compaction)
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
                    durable: store.durable_account(key.id()),
                    key,
                    seed,
                    service: Mutex::new(Ahead {
                        service,
                        epoch: 0,
                        last: None,
                    }),
                    faults: Faults::default(),
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
        self.settle(self.handle_now(request)).await
    }

    /// The answer of a request [`Gateway::handle_now`] handled, once its change (if any) is
    /// durable and its [delay](Handled::delay) (if any) has passed. A server that handles a
    /// large request off its async workers (on a blocking thread, say) awaits this afterwards.
    pub async fn settle(&self, handled: Handled) -> Response<Bytes> {
        let response = match handled.ticket {
            None => handled.response,
            Some(ticket) => match self.store.durable(ticket).await {
                Ok(()) => handled.response,
                Err(e) => {
                    tracing::warn!(error = %e, "state: answered 503 for a change that was lost");
                    let (format, region) = handled.lost.unwrap_or_default();
                    self.unavailable(format, region.as_ref())
                }
            },
        };
        if let Some(delay) = handled.delay {
            tokio::time::sleep(delay).await;
        }
        response
    }

    /// 503 `ServiceUnavailable`, in `format`, with the `HostId` of `region`: the answer to a
    /// change the store could not make durable, or refuses now.
    fn unavailable(&self, format: Format, region: Option<&RegionId>) -> Response<Bytes> {
        let mut pairs = Vec::with_capacity(2);
        if format == Format::Xml {
            pairs.push(("Format".to_owned(), "XML".to_owned()));
        }
        if let Some(region) = region {
            pairs.push(("RegionId".to_owned(), region.to_string()));
        }
        let wire = HttpRequest::get(encode_query(&pairs));
        let answer = lock(&self.unowned).reject(&wire, Error::ServiceUnavailable);
        to_http(answer, None, None)
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
            Err(refusal) => return done(self.refuse(&incoming.sent, &refusal)),
        };
        // What the request is answered from: under RPC signing the parameters the signature
        // was checked over (decoded once), under ACS3 those and the signed `x-acs-*` headers.
        let params = incoming.answered_params();
        let parsed = parse_request(params.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        let action = parsed.as_ref().ok().map(|p| p.request.action().to_owned());
        // An armed fault (`POST /_emulator/faults`) meets the request first: its error answers
        // in place of the request, which does not run; its delay holds the answer back.
        let injection = tenant.faults.take(first_action(&params));
        if let Some(error) = injection.and_then(|i| i.error()) {
            let mut ahead = lock(&tenant.service);
            let answer = crate::faults::reject(&mut ahead.service, &params, error);
            return delayed(
                done(to_http(answer, Some(tenant.key.id()), action)),
                injection,
            );
        }
        delayed(self.run(tenant, params, parsed, action), injection)
    }

    /// Runs an authenticated request on the caller's account: what `api` answers when no fault
    /// answers in the request's place.
    fn run(
        &self,
        tenant: &Tenant,
        params: Cow<'_, [(String, String)]>,
        parsed: Result<ParsedRequest, WireError>,
        action: Option<String>,
    ) -> Handled {
        let key_id = Some(tenant.key.id());
        let changes = parsed.as_ref().is_ok_and(ParsedRequest::changes_state);
        let Some(durable) = &tenant.durable else {
            // In memory: the one account answers everything, and nothing waits.
            let answer = lock(&tenant.service).service.handle_parsed(&parsed);
            return done(to_http(answer, key_id, action));
        };
        if !changes {
            // A read (or a request refused before it reaches the account): answered from the
            // account as the disk holds it, so it never sees a change that is not durable.
            let mut ahead = lock(&tenant.service);
            let answer = ahead.service.handle_parsed_on(&mut lock(durable), &parsed);
            return done(to_http(answer, key_id, action));
        }
        let lost = lost_answer(&parsed);
        if !self.store.accepting() {
            return done(self.unavailable(lost.0, lost.1.as_ref()));
        }
        // The lock is held while the request runs and its change is recorded (so that the log
        // holds the changes in the order they were made), not while the answer is built.
        let (answer, ticket) = {
            let mut ahead = lock(&tenant.service);
            if !ahead.sync(&self.store, durable) {
                drop(ahead);
                return done(self.unavailable(lost.0, lost.1.as_ref()));
            }
            let answer = ahead.service.handle_parsed(&parsed);
            if answer.status == 200 {
                match self
                    .store
                    .record(tenant.key.id(), &Change::Request(&params))
                {
                    Ok(ticket) => {
                        ahead.last = Some(ticket.clone());
                        (answer, Some(ticket))
                    }
                    Err(e) => {
                        // Refused (the store just failed, and its epoch grew): the account is
                        // rebuilt, without the change, before anything is decided on it again.
                        tracing::warn!(error = %e, "state: a change could not be recorded");
                        drop(ahead);
                        return done(self.unavailable(lost.0, lost.1.as_ref()));
                    }
                }
            } else {
                // An error decided after changes not durable yet rests on them.
                (answer, ahead.last.clone())
            }
        };
        Handled {
            response: to_http(answer, key_id, action),
            ticket,
            lost: Some(lost),
            delay: None,
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

    /// Puts a new account in place of the caller's, as a whole: `make` builds it (and the
    /// answer) from the current one, or answers why not. The account changes only once the
    /// replacement is recorded; 503 when the store refuses it.
    fn replace(
        &self,
        tenant: &Tenant,
        make: impl FnOnce(&Service) -> Result<(Service, Response<Bytes>), Box<Response<Bytes>>>,
    ) -> Handled {
        let unavailable = || done(self.unavailable(Format::Json, None));
        if !self.store.accepting() {
            return unavailable();
        }
        let mut ahead = lock(&tenant.service);
        if let Some(durable) = &tenant.durable {
            if !ahead.sync(&self.store, durable) {
                return unavailable();
            }
        }
        let (service, response) = match make(&ahead.service) {
            Ok(made) => made,
            Err(response) => return done(*response),
        };
        match self
            .store
            .record(tenant.key.id(), &Change::Replace(service.account()))
        {
            Ok(ticket) => {
                ahead.service = service;
                ahead.last = Some(ticket.clone());
                Handled {
                    response,
                    ticket: Some(ticket),
                    lost: None,
                    delay: None,
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, "state: a change could not be recorded");
                unavailable()
            }
        }
    }

    /// The emulator's own endpoints: `GET health` for anyone; the [`CONTROL_ENDPOINTS`] for a
    /// configured key, on its own account, authorised by [`Gateway::authorise`].
    fn control(&self, endpoint: &str, request: &http::Request<Bytes>) -> Handled {
        if endpoint == "health" {
            return if request.method() == Method::GET {
                done(json(StatusCode::OK, r#"{"Status":"ok"}"#.to_owned()))
            } else {
                done(method_not_allowed())
            };
        }
        let mut named = CONTROL_ENDPOINTS
            .iter()
            .filter(|e| e.name == endpoint)
            .peekable();
        if named.peek().is_none() {
            return done(plain(StatusCode::NOT_FOUND, "not found\n"));
        }
        let Some(control) = named.find(|e| e.method == request.method().as_str()) else {
            return done(method_not_allowed());
        };
        match self.authorise(request, control.body) {
            Ok(tenant) => (control.run)(self, tenant, request),
            Err(response) => done(*response),
        }
    }

    /// `POST reset`: the caller's account as the start left it (the fixtures loaded).
    fn reset(&self, tenant: &Tenant, _: &http::Request<Bytes>) -> Handled {
        tenant.faults.clear();
        self.replace(tenant, |_| {
            let fresh = fresh_account(&self.fixtures, tenant.seed)
                .map_err(|e| Box::new(control_error(&e.to_string())))?;
            let body = format!(r#"{{"Reset":{}}}"#, json_string(tenant.key.id()));
            Ok((fresh, json(StatusCode::OK, body)))
        })
    }

    /// `POST fixtures`: the body's fixture lines (and requests) run on the caller's account,
    /// all or nothing; the requests' output lines answered.
    fn load_fixtures(&self, tenant: &Tenant, request: &http::Request<Bytes>) -> Handled {
        let Ok(text) = std::str::from_utf8(request.body()) else {
            return done(control_error("the fixtures are not UTF-8"));
        };
        self.replace(tenant, |service| {
            let mut lines = Vec::new();
            let loaded = load_fixtures(service.clone(), text, |line| {
                lines.push(json_string(&line));
            })
            .map_err(|e| Box::new(control_error(&e.to_string())))?;
            let body = format!(r#"{{"Outputs":[{}]}}"#, lines.join(","));
            Ok((loaded, json(StatusCode::OK, body)))
        })
    }

    /// `POST faults`: arms the fault of the form parameters (see [`crate::faults`]) on the
    /// caller's account; answers `{"Fault":{...}}`, or 400 `InvalidFault` saying what is wrong.
    fn add_fault(&self, tenant: &Tenant, request: &http::Request<Bytes>) -> Handled {
        let params = form_params(request);
        match Fault::from_params(params.iter().map(|(k, v)| (k.as_str(), v.as_str()))) {
            Ok(fault) => {
                let body = format!(r#"{{"Fault":{}}}"#, fault.to_json());
                tenant.faults.add(fault);
                done(json(StatusCode::OK, body))
            }
            Err(e) => done(refused_control("InvalidFault", &e.to_string())),
        }
    }

    /// `DELETE faults`: disarms every fault of the caller's account; answers
    /// `{"Cleared":N}`, how many there were.
    fn clear_faults(&self, tenant: &Tenant, _: &http::Request<Bytes>) -> Handled {
        let cleared = tenant.faults.clear();
        done(json(StatusCode::OK, format!(r#"{{"Cleared":{cleared}}}"#)))
    }

    /// `GET state`: the caller's account as JSON (see [`crate::state`]), as reads see it (with
    /// a state directory, as the disk holds it).
    fn state(&self, tenant: &Tenant, _: &http::Request<Bytes>) -> Handled {
        let key_id = tenant.key.id();
        let body = match &tenant.durable {
            Some(durable) => crate::state::to_json(key_id, &lock(durable)),
            None => crate::state::to_json(key_id, lock(&tenant.service).service.account()),
        };
        done(json(StatusCode::OK, body))
    }

    /// `POST online`: connects the client user `UserName` of the instance `SmartAGId` (form
    /// parameters) at the emulator clock's time, decided on the account ahead, recorded as a
    /// [`Change::Connect`] and answered once durable: `{"ClientIp":"..","OnlineTime":N}`; a
    /// connect the rules refuse (or a parameter missing or malformed) is a 400 control error
    /// `ConnectRefused`, with nothing changed.
    fn online(&self, tenant: &Tenant, request: &http::Request<Bytes>) -> Handled {
        let params = form_params(request);
        let get = |name: &str| params.iter().find(|(k, _)| k == name).map(|(_, v)| v);
        let refused = |message: String| done(refused_control("ConnectRefused", &message));
        let Some(id) = get("SmartAGId").and_then(|id| id.parse::<SmartAgId>().ok()) else {
            return refused("SmartAGId is missing or not an instance ID".to_owned());
        };
        let Some(user) = get("UserName").and_then(|user| user.parse::<UserName>().ok()) else {
            return refused("UserName is missing or not a user name".to_owned());
        };
        if !self.store.accepting() {
            return done(self.unavailable(Format::Json, None));
        }
        let now = u64::try_from(self.clock.unix_seconds()).unwrap_or(0);
        let mut ahead = lock(&tenant.service);
        if let Some(durable) = &tenant.durable {
            if !ahead.sync(&self.store, durable) {
                return done(self.unavailable(Format::Json, None));
            }
        }
        let session = match connect_at(ahead.service.account_mut(), &id, &user, now) {
            Ok(session) => session,
            Err(e) => return refused(e.to_string()),
        };
        let change = Change::Connect {
            smart_ag_id: &id,
            user_name: &user,
            online_time: now,
        };
        match self.store.record(tenant.key.id(), &change) {
            Ok(ticket) => {
                ahead.last = Some(ticket.clone());
                let body = format!(
                    r#"{{"ClientIp":{},"OnlineTime":{}}}"#,
                    json_string(&session.client_ip().to_string()),
                    session.online_time()
                );
                Handled {
                    response: json(StatusCode::OK, body),
                    ticket: Some(ticket),
                    lost: None,
                    delay: None,
                }
            }
            Err(e) => {
                // Refused (the store just failed, and its epoch grew): the account is rebuilt,
                // without the connect, before anything is decided on it again.
                tracing::warn!(error = %e, "state: a change could not be recorded");
                drop(ahead);
                done(self.unavailable(Format::Json, None))
            }
        }
    }

    /// The account a control request acts on: HTTP Basic authorisation with a configured key
    /// (`ID:SECRET`; the scheme name in any case), or a request signed as the API's are, by a
    /// scheme whose signature covers what the endpoint reads: for a [`ControlBody::Opaque`]
    /// body, ACS3 only (an RPC signature covers no such body: 400 `IncompleteSignature`).
    fn authorise(
        &self,
        request: &http::Request<Bytes>,
        body: ControlBody,
    ) -> Result<&Tenant, Box<Response<Bytes>>> {
        let incoming =
            Incoming::read_control(request).ok_or_else(|| Box::new(method_not_allowed()))?;
        match incoming.scheme {
            Scheme::Basic(credentials) => self
                .basic(credentials)
                .ok_or_else(|| Box::new(basic_refused())),
            Scheme::Rpc if body == ControlBody::Opaque => Err(Box::new(
                self.refuse(&incoming.sent, &Error::IncompleteSignature.into()),
            )),
            Scheme::Rpc | Scheme::Acs3 => self
                .authenticate(&incoming)
                .map_err(|refusal| Box::new(self.refuse(&incoming.sent, &refusal))),
        }
    }

    /// The account of HTTP Basic credentials (base64 of `ID:SECRET`), the secret compared in
    /// constant time.
    fn basic(&self, credentials: &str) -> Option<&Tenant> {
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(credentials)
            .ok()?;
        let text = String::from_utf8(decoded).ok()?;
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
    }

    /// The answer to a request the server refuses before reading its body (the budget for
    /// bodies is spent: [`Error::ServiceUnavailable`]): `error`, in the format the query asks
    /// for, with the `HostId` of its `RegionId`.
    pub fn refuse_unread(&self, uri: &http::Uri, error: Error) -> Response<Bytes> {
        let sent = SentParams::new(uri.query().unwrap_or_default(), None);
        self.refuse(&sent, &error.into())
    }

    /// The answer to a request whose authentication failed: the gateway error in the request's
    /// format; for `SignatureDoesNotMatch`, its message followed by the string the emulator
    /// signed, as the real service answers (the older SDK reads it back). Only the request's
    /// `Format` and `RegionId` are read, in the one scan [`SentParams::first`] makes.
    fn refuse(&self, sent: &SentParams<'_>, refusal: &Refusal) -> Response<Bytes> {
        let detail = refusal
            .string_to_sign
            .as_ref()
            .map(|signed| format!("{}{signed}", Refusal::STRING_TO_SIGN_PREFIX))
            .unwrap_or_default();
        let [format, region] = sent.first(["Format", "RegionId"]);
        let pairs: Vec<(String, String)> = [("Format", format), ("RegionId", region)]
            .into_iter()
            .filter_map(|(name, value)| Some((name.to_owned(), value?.into_owned())))
            .collect();
        let wire = HttpRequest::get(encode_query(&pairs));
        let answer = lock(&self.unowned).reject_with(&wire, refusal.error, &detail);
        to_http(answer, None, None)
    }
}

/// What a control endpoint's body is, which decides the schemes that may authorise it: a
/// scheme must sign everything the endpoint reads.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ControlBody {
    /// No body, or form parameters: HTTP Basic, ACS3 or RPC signing (an RPC signature covers
    /// form parameters).
    Form,
    /// Any other body (fixture lines): HTTP Basic or ACS3, whose signature covers the body's
    /// SHA-256; RPC-signed, it is 400 `IncompleteSignature`.
    Opaque,
}

/// One control endpoint under [`CONTROL_PREFIX`] that acts on the caller's account.
struct ControlEndpoint {
    /// The path after the prefix.
    name: &'static str,
    /// The method it answers (another, on the same name, is 405).
    method: &'static str,
    /// What its body is.
    body: ControlBody,
    /// What it does, once [`Gateway::authorise`] found the account.
    run: fn(&Gateway, &Tenant, &http::Request<Bytes>) -> Handled,
}

/// The control endpoints that act on the caller's account, each authorised the one way
/// [`Gateway::authorise`] says for its body.
const CONTROL_ENDPOINTS: &[ControlEndpoint] = &[
    ControlEndpoint {
        name: "reset",
        method: "POST",
        body: ControlBody::Form,
        run: Gateway::reset,
    },
    ControlEndpoint {
        name: "fixtures",
        method: "POST",
        body: ControlBody::Opaque,
        run: Gateway::load_fixtures,
    },
    ControlEndpoint {
        name: "faults",
        method: "POST",
        body: ControlBody::Form,
        run: Gateway::add_fault,
    },
    ControlEndpoint {
        name: "faults",
        method: "DELETE",
        body: ControlBody::Form,
        run: Gateway::clear_faults,
    },
    ControlEndpoint {
        name: "state",
        method: "GET",
        body: ControlBody::Form,
        run: Gateway::state,
    },
    ControlEndpoint {
        name: "online",
        method: "POST",
        body: ControlBody::Form,
        run: Gateway::online,
    },
];

fn method_not_allowed() -> Response<Bytes> {
    plain(StatusCode::METHOD_NOT_ALLOWED, "method not allowed\n")
}

/// 401 with the `WWW-Authenticate` challenge: HTTP Basic credentials of no configured key.
fn basic_refused() -> Response<Bytes> {
    let mut response = plain(StatusCode::UNAUTHORIZED, "unknown key or wrong secret\n");
    response.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static(r#"Basic realm="smartag-emulator""#),
    );
    response
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

/// How to answer a request whose change is lost: with its format and region.
fn lost_answer(parsed: &Result<ParsedRequest, WireError>) -> (Format, Option<RegionId>) {
    match parsed {
        Ok(p) => (p.format, p.region_id.clone()),
        Err(e) => (e.format, None),
    }
}

fn done(response: Response<Bytes>) -> Handled {
    Handled {
        response,
        ticket: None,
        lost: None,
        delay: None,
    }
}

/// `handled` with the delay of the fault the request met, if any.
fn delayed(mut handled: Handled, injection: Option<Injection>) -> Handled {
    handled.delay = injection.and_then(|i| i.delay());
    handled
}

/// A request's first `Action` parameter: the one the wire layer reads.
fn first_action(params: &[(String, String)]) -> Option<&str> {
    params
        .iter()
        .find(|(name, _)| name == "Action")
        .map(|(_, value)| value.as_str())
}

/// The parameters of a control request's form: the query's, then a form body's (as the wire
/// layer reads them).
fn form_params(request: &http::Request<Bytes>) -> Vec<(String, String)> {
    let method = if request.method() == Method::POST {
        WireMethod::Post
    } else {
        WireMethod::Get
    };
    let mut wire = HttpRequest::new(method, request.uri().query().unwrap_or_default())
        .with_body(request.body().to_vec());
    if let Some(content_type) = request.headers().get(header::CONTENT_TYPE) {
        wire = wire.with_header(
            header::CONTENT_TYPE.as_str(),
            String::from_utf8_lossy(content_type.as_bytes()),
        );
    }
    wire.parameters()
}

/// A control request refused: 400 and a body `{"Code":"<code>","Message":"..."}`; nothing
/// changed.
fn refused_control(code: &str, message: &str) -> Response<Bytes> {
    let body = format!(
        r#"{{"Code":{},"Message":{}}}"#,
        json_string(code),
        json_string(message)
    );
    json(StatusCode::BAD_REQUEST, body)
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

/// A request as the authenticator and the wire layer read it, borrowed from the request: no
/// pair is decoded until [`Incoming::answered_params`] or the signature asks.
struct Incoming<'a> {
    method: WireMethod,
    scheme: Scheme<'a>,
    /// The parameters sent: what an RPC signature covers.
    sent: SentParams<'a>,
    headers: Vec<(String, String)>,
    request: &'a http::Request<Bytes>,
}

impl<'a> Incoming<'a> {
    /// `None` for a method other than `GET` and `POST`.
    fn read(request: &'a http::Request<Bytes>) -> Option<Incoming<'a>> {
        Some(Incoming::read_as(
            request,
            request.method().as_str().parse().ok()?,
        ))
    }

    /// A control request: as [`Incoming::read`], and a `DELETE` read as a `GET` is (its
    /// parameters in the query only; signed with its own method).
    fn read_control(request: &'a http::Request<Bytes>) -> Option<Incoming<'a>> {
        if request.method() == Method::DELETE {
            Some(Incoming::read_as(request, WireMethod::Get))
        } else {
            Incoming::read(request)
        }
    }

    /// The request, its parameters read as `method`'s are.
    fn read_as(request: &'a http::Request<Bytes>, method: WireMethod) -> Incoming<'a> {
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
        let authorization = request
            .headers()
            .get(header::AUTHORIZATION)
            .map(|v| v.to_str().unwrap_or_default());
        // Whether the body's pairs join the query's is the wire layer's rule, asked of the
        // request's head alone.
        let content_type = request
            .headers()
            .get(header::CONTENT_TYPE)
            .map(|v| String::from_utf8_lossy(v.as_bytes()));
        let mut head = HttpRequest::new(method, String::new());
        if let Some(content_type) = content_type {
            head = head.with_header(header::CONTENT_TYPE.as_str(), content_type);
        }
        let form = head.has_form_body().then(|| request.body().as_ref());
        let query = request.uri().query().unwrap_or_default();
        Incoming {
            method,
            scheme: Scheme::of(authorization),
            sent: SentParams::new(query, form),
            headers,
            request,
        }
    }

    fn signed(&self) -> SignedRequest<'_> {
        SignedRequest {
            method: self.request.method().as_str(),
            path: self.request.uri().path(),
            query: self.request.uri().query().unwrap_or_default(),
            params: &self.sent,
            headers: &self.headers,
            body: self.request.body(),
        }
    }

    /// The parameters an authenticated request is answered from (and its change recorded
    /// with): what its signature covers. RPC signs the parameters alone, so the `x-acs-action`
    /// and `x-acs-version` headers count for nothing; ACS3 signs every `x-acs-*` header too, so
    /// the wire layer's [`HttpRequest::rpc_parameters`] (the headers fill in an `Action` or
    /// `Version` the parameters lack).
    fn answered_params(&self) -> Cow<'_, [(String, String)]> {
        match self.scheme {
            Scheme::Rpc => Cow::Borrowed(self.sent.all()),
            Scheme::Acs3 | Scheme::Basic(_) => Cow::Owned(self.wire().rpc_parameters()),
        }
    }

    /// The whole request as the wire layer reads it.
    fn wire(&self) -> HttpRequest {
        let query = self.request.uri().query().unwrap_or_default();
        let mut wire = HttpRequest::new(self.method, query).with_body(self.request.body().to_vec());
        for (name, value) in &self.headers {
            wire = wire.with_header(name.as_str(), value.as_str());
        }
        wire
    }
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
        let schemes = [None, Some("ACS3-HMAC-SHA256 Credential=a")];
        for (&(method, query, body, content_type, action), authorization) in cases
            .iter()
            .flat_map(|case| schemes.iter().map(move |a| (case, *a)))
        {
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
            if let Some(authorization) = authorization {
                request = request.header(header::AUTHORIZATION, authorization);
            }
            let request = request.body(Bytes::from(body.to_owned())).unwrap();
            let incoming = Incoming::read(&request).unwrap();
            let wire = incoming.wire();
            let case = (method, query, body, content_type, action, authorization);
            assert_eq!(incoming.sent.all(), wire.parameters(), "{case:?}");
            // Headers count only where they are signed: under ACS3, not under RPC signing.
            let answered = match authorization {
                None => wire.parameters(),
                Some(_) => wire.rpc_parameters(),
            };
            assert_eq!(*incoming.answered_params(), answered, "{case:?}");
            // A lookup by name finds what the decoded list holds first.
            for name in [
                "A", "B", "C", "Action", "Version", "RegionId", "", "&", "a b",
            ] {
                let [first] = incoming.sent.first([name]);
                let decoded = wire.parameters().into_iter().find(|(k, _)| k == name);
                assert_eq!(
                    first.map(Cow::into_owned),
                    decoded.map(|(_, v)| v),
                    "{case:?} {name}"
                );
            }
        }
    }
}
