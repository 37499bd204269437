//! The API's wire format ([`RULES.md`, "Wire format"](crate::rules#wire-format)): RPC
//! parameters or a whole HTTP request in, JSON or XML bodies out, with the service's HTTP
//! statuses, content types, field names and request IDs. On by default through the `wire`
//! feature (`default-features = false` leaves it, and its one dependency, `form_urlencoded`,
//! out). The bodies are written by hand: no serialiser, nothing that can fail.
//!
//! - [`HttpRequest`]: a whole HTTP request as a plain value (method, query, headers, body), with
//!   `Action`/`Version` as parameters or as the ACS3 headers and `POST` form bodies merged with
//!   the query; no network code.
//! - [`parse_request`]: `Action` and `Name=value` pairs to the raw [`Request`] of the account
//!   model.
//! - [`success_body`] and [`error_body`]: the bodies, in JSON or XML.
//! - [`Service`]: an [`Account`] behind the wire format, with a seeded request-ID generator;
//!   [`Service::handle_http`] and [`Service::handle`] do the whole round trip.
//! - [`scenario`]: the replay scenarios (`examples/replay.rs`).
//!
//! ```
//! use smartag_rules::wire::Service;
//! use smartag_rules::InstanceSpec;
//!
//! let mut service = Service::with_seed(0);
//! service.account_mut().add_instance(
//!     InstanceSpec::app("sag-app1".parse()?, "cn-shanghai".parse()?)
//!         .quota(5)
//!         .pool("10.0.0.0/24".parse()?),
//! )?;
//! let created = service.handle_query(
//!     "Action=CreateSmartAccessGatewayClientUser&RegionId=cn-shanghai&SmartAGId=sag-app1\
//!      &UserName=doctest1&Password=duuf1234&UserMail=username%40example.com&Bandwidth=20",
//! );
//! assert_eq!(created.status, 200);
//! assert_eq!(created.content_type, "application/json;charset=utf-8");
//! assert!(created.body.starts_with(r#"{"UserName":"doctest1","RequestId":""#));
//! assert!(created.body.ends_with(r#"","UserMail":"username@example.com","Bandwidth":20,"ClientIp":""}"#));
//!
//! let again = service.handle_query(
//!     "Action=CreateSmartAccessGatewayClientUser&RegionId=cn-shanghai&SmartAGId=sag-app1\
//!      &UserName=doctest1&Password=duuf1234&UserMail=username%40example.com&Format=XML",
//! );
//! assert_eq!((again.status, again.content_type), (400, "text/xml;charset=utf-8"));
//! assert!(again.body.starts_with(r#"<?xml version="1.0" encoding="UTF-8"?><Error>"#));
//! assert!(again.body.contains("<Code>ClientUser.UserExist</Code>"));
//! assert!(again.body.contains("<HostId>smartag.cn-shanghai.aliyuncs.com</HostId>"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod body;
mod http;
mod params;
pub mod scenario;

pub use body::{error_body, host_id, recommend_url, success_body, Success, XML_DECLARATION};
pub use http::{
    HttpRequest, Method, UnsupportedMethod, ACTION_HEADER, FORM_MEDIA_TYPE, VERSION_HEADER,
};
pub use params::{parse_request, ParsedRequest, WireError, API_VERSION, COMMON_PARAMETERS};

use crate::error::Error;
use crate::fields::RegionId;
use crate::model::Account;
use crate::ops::Request;
use crate::rng::Rng;

/// The format of a response body, chosen by the `Format` parameter.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default)]
pub enum Format {
    /// JSON, the default.
    #[default]
    Json,
    /// XML, for `Format=XML`.
    Xml,
}

impl Format {
    /// The format a `Format` parameter asks for: `XML` in any case is XML; anything else, and no
    /// `Format` at all, is JSON.
    ///
    /// ```
    /// use smartag_rules::wire::Format;
    ///
    /// assert_eq!(Format::from_param(Some("xml")), Format::Xml);
    /// assert_eq!(Format::from_param(Some("JSON")), Format::Json);
    /// assert_eq!(Format::from_param(Some("yaml")), Format::Json);
    /// assert_eq!(Format::from_param(None), Format::Json);
    /// ```
    pub fn from_param(value: Option<&str>) -> Format {
        match value {
            Some(v) if v.eq_ignore_ascii_case("xml") => Format::Xml,
            _ => Format::Json,
        }
    }

    /// The `Content-Type` of a body in this format: `application/json;charset=utf-8` or
    /// `text/xml;charset=utf-8` (the official SDKs read an error body as XML only under that
    /// exact type).
    pub const fn content_type(self) -> &'static str {
        match self {
            Format::Json => "application/json;charset=utf-8",
            Format::Xml => "text/xml;charset=utf-8",
        }
    }
}

/// The answer to one request, as the service sends it (made only by [`Service`]; its fields are
/// public to read, and to edit in a server that adds to an answer).
#[derive(Clone, PartialEq, Eq, Debug)]
#[non_exhaustive]
pub struct HttpResponse {
    /// The HTTP status: 200, or the error's (400, 403, 404).
    pub status: u16,
    /// The body's type: [`Format::content_type`].
    pub content_type: &'static str,
    /// The body, compact (no line breaks, no indentation).
    pub body: String,
    /// The request ID, also in the body (`RequestId`).
    pub request_id: String,
}

/// What the request-ID generator's seed is mixed with, so that request IDs and the account's
/// generated values (names, passwords, instance IDs) come from two different streams of one seed.
const REQUEST_ID_STREAM: u64 = 0x5245_5155_4553_5449; // "REQUESTI"

/// An [`Account`] behind the wire format: takes the parameters of a request, runs it and answers
/// the status and body the service would, each with a fresh request ID from a seeded generator.
///
/// The same seed and the same requests give byte-identical answers.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Service {
    account: Account,
    request_ids: Rng,
}

impl Default for Service {
    fn default() -> Self {
        Service::with_seed(0)
    }
}

impl Service {
    /// An empty account, its generated values and the request IDs all seeded with `seed`.
    pub fn with_seed(seed: u64) -> Service {
        Service::with_account(Account::with_seed(seed), seed)
    }

    /// A service in front of an existing account, request IDs seeded with `seed`.
    pub fn with_account(account: Account, seed: u64) -> Service {
        Service {
            account,
            request_ids: Rng::new(seed ^ REQUEST_ID_STREAM),
        }
    }

    /// The account.
    pub fn account(&self) -> &Account {
        &self.account
    }

    /// The account, to set instances up through the Rust API.
    pub fn account_mut(&mut self) -> &mut Account {
        &mut self.account
    }

    /// The account, giving the service up.
    pub fn into_account(self) -> Account {
        self.account
    }

    /// Answers one request given as parameters, already percent-decoded (see
    /// [`parse_request`] for how they are read). Every answer, success or error, carries a new
    /// request ID; an error answers [`Error::http_status`] and the error body.
    pub fn handle<I, K, V>(&mut self, params: I) -> HttpResponse
    where
        I: IntoIterator<Item = (K, V)>,
        K: AsRef<str>,
        V: AsRef<str>,
    {
        self.handle_parsed(&parse_request(params))
    }

    /// Answers one request in RPC query form (`Action=...&RegionId=...`, values
    /// percent-encoded; `+` stands for a space as in every form-encoded query, so a literal `+`
    /// is written `%2B`). Invalid UTF-8 after decoding becomes U+FFFD.
    pub fn handle_query(&mut self, query: &str) -> HttpResponse {
        self.handle(params::form_pairs(query))
    }

    /// Answers one whole HTTP request: exactly what [`Service::handle`] answers for its
    /// [`HttpRequest::rpc_parameters`] (the query's and a `POST` form body's parameters, with
    /// `Action` and `Version` from the ACS3 headers when the parameters lack them).
    ///
    /// ```
    /// use smartag_rules::wire::{HttpRequest, Service};
    ///
    /// let mut service = Service::with_seed(0);
    /// let acs3 = HttpRequest::post("RegionId=cn-shanghai")
    ///     .with_header("x-acs-action", "DescribeSmartAccessGatewayClientUsers")
    ///     .with_header("x-acs-version", "2018-01-01");
    /// let answer = service.handle_http(&acs3);
    /// assert_eq!(answer.status, 400);
    /// assert!(answer.body.contains(r#""Code":"InvalidVersion""#));
    /// ```
    pub fn handle_http(&mut self, request: &HttpRequest) -> HttpResponse {
        self.handle(request.decoded(true))
    }

    /// Answers a request already read by [`parse_request`] (or [`HttpRequest::parse`]): what
    /// [`Service::handle`] answers for the same parameters. A server that parses first (to see
    /// whether the request [changes state](ParsedRequest::changes_state)) answers through this
    /// without reading the parameters twice.
    pub fn handle_parsed(&mut self, parsed: &Result<ParsedRequest, WireError>) -> HttpResponse {
        let request_id = self.request_ids.request_id();
        respond(&mut self.account, parsed, request_id)
    }

    /// What [`Service::handle_parsed`] answers, run on `account` rather than the service's own
    /// (the request ID still comes from the service): for a server that keeps a second copy of
    /// an account, such as the one on disk, and answers some requests from it.
    ///
    /// ```
    /// use smartag_rules::wire::{parse_request, Service};
    /// use smartag_rules::Account;
    ///
    /// let mut service = Service::with_seed(0);
    /// let mut other = Account::with_seed(1);
    /// let parsed = parse_request([
    ///     ("Action", "DescribeSmartAccessGatewayClientUsers"),
    ///     ("RegionId", "cn-shanghai"),
    ///     ("SmartAGId", "sag-nowhere"),
    /// ]);
    /// let answer = service.handle_parsed_on(&mut other, &parsed);
    /// assert_eq!(answer.status, 400);
    /// assert_eq!(answer, Service::with_seed(0).handle_parsed(&parsed));
    /// ```
    pub fn handle_parsed_on(
        &mut self,
        account: &mut Account,
        parsed: &Result<ParsedRequest, WireError>,
    ) -> HttpResponse {
        let request_id = self.request_ids.request_id();
        respond(account, parsed, request_id)
    }

    /// Answers a request that a server refuses before the wire layer reads it (an
    /// authentication [gateway error](Error::is_gateway), say): `error`'s status and error body,
    /// in the format the request asks for, its `HostId` from the request's `RegionId`, with a
    /// fresh request ID from the same generator as every other answer.
    ///
    /// ```
    /// use smartag_rules::wire::{HttpRequest, Service};
    /// use smartag_rules::Error;
    ///
    /// let mut service = Service::with_seed(0);
    /// let request = HttpRequest::get("Action=RoamClientUser&RegionId=cn-beijing&Format=XML");
    /// let answer = service.reject(&request, Error::SignatureDoesNotMatch);
    /// assert_eq!((answer.status, answer.content_type), (400, "text/xml;charset=utf-8"));
    /// assert!(answer.body.contains("<Code>SignatureDoesNotMatch</Code>"));
    /// assert!(answer.body.contains("<HostId>smartag.cn-beijing.aliyuncs.com</HostId>"));
    /// ```
    pub fn reject(&mut self, request: &HttpRequest, error: Error) -> HttpResponse {
        self.reject_with(request, error, "")
    }

    /// [`Service::reject`] with `detail` written right after the error's message (escaped as
    /// the rest of the body), as the real service adds the string it signed to the message of
    /// `SignatureDoesNotMatch`.
    ///
    /// ```
    /// use smartag_rules::wire::{HttpRequest, Service};
    /// use smartag_rules::Error;
    ///
    /// let mut service = Service::with_seed(0);
    /// let request = HttpRequest::get("Action=RoamClientUser&Format=XML");
    /// let answer = service.reject_with(&request, Error::SignatureDoesNotMatch, " signed:a&b");
    /// let message = format!("<Message>{} signed:a&amp;b</Message>", Error::SignatureDoesNotMatch.message());
    /// assert!(answer.body.contains(&message));
    /// ```
    pub fn reject_with(
        &mut self,
        request: &HttpRequest,
        error: Error,
        detail: &str,
    ) -> HttpResponse {
        let request_id = self.request_ids.request_id();
        let params = request.decoded(true);
        let get = |name: &str| {
            params
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.as_ref())
        };
        let format = Format::from_param(get("Format"));
        let region = get("RegionId").and_then(|r| r.parse::<RegionId>().ok());
        failure(error, detail, format, &host_id(region.as_ref()), request_id)
    }

    /// Answers a raw request of the account model directly, in `format`, as if it had come as
    /// parameters; its `HostId` comes from the request's own `RegionId`.
    pub fn handle_request(&mut self, request: &Request, format: Format) -> HttpResponse {
        let request_id = self.request_ids.request_id();
        let region = request.region_id().and_then(|r| r.parse().ok());
        answer(
            &mut self.account,
            request,
            format,
            region.as_ref(),
            request_id,
        )
    }
}

/// `error`'s answer, `detail` written right after its message.
fn failure(
    error: Error,
    detail: &str,
    format: Format,
    host_id: &str,
    request_id: String,
) -> HttpResponse {
    HttpResponse {
        status: error.http_status(),
        content_type: format.content_type(),
        body: body::error_body_detailed(error, detail, &request_id, host_id, format),
        request_id,
    }
}

/// The answer to a parsed request (or its wire error) on `account`.
fn respond(
    account: &mut Account,
    parsed: &Result<ParsedRequest, WireError>,
    request_id: String,
) -> HttpResponse {
    match parsed {
        Err(e) => failure(e.error, "", e.format, &e.host_id(), request_id),
        Ok(parsed) => answer(
            account,
            &parsed.request,
            parsed.format,
            parsed.region_id.as_ref(),
            request_id,
        ),
    }
}

/// The answer to `request` on `account`: its success body, or its error's.
fn answer(
    account: &mut Account,
    request: &Request,
    format: Format,
    region: Option<&RegionId>,
    request_id: String,
) -> HttpResponse {
    match Success::execute(account, request) {
        Ok(success) => HttpResponse {
            status: 200,
            content_type: format.content_type(),
            body: success_body(&success, &request_id, format),
            request_id,
        },
        Err(error) => failure(error, "", format, &host_id(region), request_id),
    }
}
