//! A whole HTTP request as a plain value (no network code): method, query string, headers and
//! body, and how its parameters are read.

use std::borrow::Cow;

use core::fmt;
use core::str::FromStr;

use super::params::{form_pairs, form_pairs_bytes, parse_request, ParsedRequest, WireError};

/// The header that carries `Action` in ACS3-signed requests.
pub const ACTION_HEADER: &str = "x-acs-action";
/// The header that carries `Version` in ACS3-signed requests.
pub const VERSION_HEADER: &str = "x-acs-version";
/// The media type of a form body, whose parameters join the query's.
pub const FORM_MEDIA_TYPE: &str = "application/x-www-form-urlencoded";

/// The HTTP method of a request: the API is served on `GET` and `POST`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
#[non_exhaustive]
pub enum Method {
    /// `GET`: parameters in the query string only.
    Get,
    /// `POST`: parameters in the query string and in a form body.
    Post,
}

impl Method {
    /// The method's name, as on the request line (`GET`, `POST`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A method other than `GET` and `POST` (method names are case-sensitive: `get` is not `GET`).
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct UnsupportedMethod(pub String);

impl fmt::Display for UnsupportedMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unsupported HTTP method `{}` (GET or POST)", self.0)
    }
}

impl std::error::Error for UnsupportedMethod {}

impl FromStr for Method {
    type Err = UnsupportedMethod;

    /// `GET` or `POST`, exactly (HTTP method names are case-sensitive).
    ///
    /// # Errors
    ///
    /// [`UnsupportedMethod`] for any other text.
    fn from_str(s: &str) -> Result<Method, UnsupportedMethod> {
        match s {
            "GET" => Ok(Method::Get),
            "POST" => Ok(Method::Post),
            other => Err(UnsupportedMethod(other.to_owned())),
        }
    }
}

/// One HTTP request to the API, as a plain value: its method, its query string (without the
/// `?`), its headers and its body. A server turns what it received into one and hands it to
/// [`Service::handle_http`](super::Service::handle_http); nothing here touches the network.
///
/// How its parameters are read (see [`HttpRequest::parameters`] and
/// [`HttpRequest::rpc_parameters`]):
/// - the query string's `Name=value` pairs, percent-decoded, then, for a `POST` whose
///   `Content-Type` is `application/x-www-form-urlencoded` (any case, any media-type
///   parameters such as `;charset=utf-8`), the body's pairs after them; a `GET` body, or a body
///   of another type, is ignored;
/// - a repeated name takes its **first** value, so the query wins over the body;
/// - `Action` and `Version` may instead come as the ACS3 headers `x-acs-action` and
///   `x-acs-version` (header names in any case; a repeated header takes its first value); a
///   parameter, when present (even empty), wins over its header.
///
/// `Debug` shows the method, the parameter names and the header names, never a value (a
/// `Password` travels in the parameters).
///
/// ```
/// use smartag_rules::wire::{HttpRequest, Service};
/// use smartag_rules::InstanceSpec;
///
/// let mut service = Service::with_seed(0);
/// service.account_mut().add_instance(
///     InstanceSpec::app("sag-app1".parse()?, "cn-shanghai".parse()?)
///         .quota(5)
///         .pool("10.0.0.0/24".parse()?),
/// )?;
/// // As the newer SDKs send it (ACS3 signing): Action and Version as headers.
/// let request = HttpRequest::post("RegionId=cn-shanghai&SmartAGId=sag-app1&UserMail=a%40example.com")
///     .with_header("X-Acs-Action", "CreateSmartAccessGatewayClientUser")
///     .with_header("x-acs-version", "2018-03-13")
///     .with_header("Content-Type", "application/x-www-form-urlencoded")
///     .with_body("UserName=doctest1&Password=duuf1234");
/// assert_eq!(request.action().as_deref(), Some("CreateSmartAccessGatewayClientUser"));
/// let response = service.handle_http(&request);
/// assert_eq!(response.status, 200);
/// assert_eq!(response.content_type, "application/json;charset=utf-8");
/// assert!(response.body.starts_with(r#"{"UserName":"doctest1","#));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct HttpRequest {
    method: Method,
    query: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl HttpRequest {
    /// A request with this method and query string (percent-encoded, without the `?`), no
    /// header and an empty body.
    pub fn new(method: Method, query: impl Into<String>) -> HttpRequest {
        HttpRequest {
            method,
            query: query.into(),
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    /// A `GET` request with this query string.
    pub fn get(query: impl Into<String>) -> HttpRequest {
        HttpRequest::new(Method::Get, query)
    }

    /// A `POST` request with this query string.
    pub fn post(query: impl Into<String>) -> HttpRequest {
        HttpRequest::new(Method::Post, query)
    }

    /// The request with one more header (added after the others, name and value as given).
    pub fn with_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// The request with this body (replacing any body it had).
    pub fn with_body(mut self, body: impl Into<Vec<u8>>) -> Self {
        self.body = body.into();
        self
    }

    /// The method.
    pub fn method(&self) -> Method {
        self.method
    }

    /// The query string, as given (percent-encoded, without the `?`).
    pub fn query(&self) -> &str {
        &self.query
    }

    /// The headers, in the order given, names and values as given.
    pub fn headers(&self) -> impl Iterator<Item = (&str, &str)> {
        self.headers.iter().map(|(n, v)| (n.as_str(), v.as_str()))
    }

    /// The value of the first header named `name`, compared in any case (`Content-Type` is
    /// `content-type`).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body, as given.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// Whether the body's parameters join the query's: a `POST` whose `Content-Type` media type
    /// is `application/x-www-form-urlencoded`, in any case, with any media-type parameters.
    pub fn has_form_body(&self) -> bool {
        self.method == Method::Post
            && self.header("content-type").is_some_and(|value| {
                let media_type = value.split(';').next().unwrap_or_default();
                media_type.trim().eq_ignore_ascii_case(FORM_MEDIA_TYPE)
            })
    }

    /// The request's parameters exactly as sent: the query string's pairs, percent-decoded
    /// (`+` is a space; invalid UTF-8 becomes U+FFFD), then those of a form body (see
    /// [`HttpRequest::has_form_body`]). Repeated names stay repeated. An RPC signature is
    /// computed over this list (less `Signature` itself).
    pub fn parameters(&self) -> Vec<(String, String)> {
        owned(self.decoded(false))
    }

    /// The parameters the request is answered from: [`HttpRequest::parameters`], then
    /// `("Action", x-acs-action)` and `("Version", x-acs-version)` for each of the two the
    /// parameters lack and the headers carry. [`Service::handle_http`] answers exactly what
    /// [`Service::handle`] answers for this list, so a server may keep it (to replay a request,
    /// say) in place of the whole request.
    ///
    /// [`Service::handle_http`]: super::Service::handle_http
    /// [`Service::handle`]: super::Service::handle
    ///
    /// ```
    /// use smartag_rules::wire::HttpRequest;
    ///
    /// let request = HttpRequest::get("RegionId=cn-shanghai&Version=")
    ///     .with_header("X-ACS-ACTION", "RoamClientUser")
    ///     .with_header("x-acs-version", "2018-03-13");
    /// assert_eq!(
    ///     request.rpc_parameters(),
    ///     [("RegionId", "cn-shanghai"), ("Version", ""), ("Action", "RoamClientUser")]
    ///         .map(|(k, v)| (k.to_owned(), v.to_owned()))
    ///         .to_vec()
    /// );
    /// ```
    pub fn rpc_parameters(&self) -> Vec<(String, String)> {
        owned(self.decoded(true))
    }

    /// The parameters, borrowed where no percent escape needed decoding:
    /// [`HttpRequest::parameters`], or with `headers`, [`HttpRequest::rpc_parameters`].
    pub(super) fn decoded(&self, headers: bool) -> Vec<(Cow<'_, str>, Cow<'_, str>)> {
        let mut params: Vec<_> = form_pairs(&self.query).collect();
        if self.has_form_body() {
            params.extend(form_pairs_bytes(&self.body));
        }
        let from_headers = [("Action", ACTION_HEADER), ("Version", VERSION_HEADER)];
        for (param, header) in from_headers.into_iter().filter(|_| headers) {
            if params.iter().all(|(name, _)| name != param) {
                if let Some(value) = self.header(header) {
                    params.push((Cow::Borrowed(param), Cow::Borrowed(value)));
                }
            }
        }
        params
    }

    /// The request's `Action`: the first `Action` parameter, else the `x-acs-action` header;
    /// `None` when neither is there.
    pub fn action(&self) -> Option<String> {
        self.rpc_parameters()
            .into_iter()
            .find(|(name, _)| name == "Action")
            .map(|(_, value)| value)
    }

    /// Reads the request as [`parse_request`] reads [`HttpRequest::rpc_parameters`].
    ///
    /// # Errors
    ///
    /// The [`WireError`] of a missing or unknown `Action` or an invalid `Version`.
    pub fn parse(&self) -> Result<ParsedRequest, WireError> {
        parse_request(self.decoded(true))
    }
}

fn owned(pairs: Vec<(Cow<'_, str>, Cow<'_, str>)>) -> Vec<(String, String)> {
    pairs
        .into_iter()
        .map(|(name, value)| (name.into_owned(), value.into_owned()))
        .collect()
}

impl fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let params = self.decoded(false);
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field(
                "parameters",
                &params
                    .iter()
                    .map(|(n, _)| n.as_ref())
                    .collect::<Vec<&str>>(),
            )
            .field(
                "headers",
                &self.headers().map(|(n, _)| n).collect::<Vec<_>>(),
            )
            .field("body_len", &self.body.len())
            .finish()
    }
}
