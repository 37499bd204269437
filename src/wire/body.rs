//! Response and error bodies, in JSON and XML, with the service's field names and order.
//!
//! Every body is a small tree of [`Value`]s written by hand into JSON or XML: no serialiser that
//! could fail, so no body can come out empty.

use super::Format;
use crate::ops::{ClientUserInfo, ClientUserPage, ClientUserSummary};
use crate::ops::{EnterpriseCodePage, EnterpriseCodeSummary, OnlineClient};
use std::borrow::Cow;

use crate::error::Error;
use crate::fields::{ClientIp, RegionId};
use crate::model::Account;
use crate::ops::{Request, Response};

/// The `HostId` of an answer: `smartag.<region>.aliyuncs.com` for the request's `RegionId`, or
/// `smartag.aliyuncs.com` (the service's central endpoint) when the request has no well-formed
/// `RegionId`.
///
/// ```
/// use smartag_rules::wire::host_id;
///
/// assert_eq!(host_id(Some(&"ap-southeast-1".parse()?)), "smartag.ap-southeast-1.aliyuncs.com");
/// assert_eq!(host_id(None), "smartag.aliyuncs.com");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn host_id(region: Option<&RegionId>) -> String {
    match region {
        Some(region) => format!("smartag.{region}.aliyuncs.com"),
        None => "smartag.aliyuncs.com".to_owned(),
    }
}

/// The `Recommend` link of an error body: the troubleshooting page of the error code for this
/// request.
///
/// ```
/// use smartag_rules::wire::recommend_url;
///
/// assert_eq!(
///     recommend_url("SAG.CidrEmpty", "3200E8A3-563F-4FFC-8BDB-0F1263FA69E8"),
///     "https://api.alibabacloud.com/troubleshoot?intl_lang=EN_US&q=SAG.CidrEmpty\
///      &product=Smartag&requestId=3200E8A3-563F-4FFC-8BDB-0F1263FA69E8"
/// );
/// ```
pub fn recommend_url(code: &str, request_id: &str) -> String {
    format!(
        "https://api.alibabacloud.com/troubleshoot?intl_lang=EN_US&q={code}&product=Smartag&requestId={request_id}"
    )
}

/// A successful operation: the action that ran and its response, paired by running the
/// request ([`Success::execute`] is the only way to make one), so that a body is always rendered
/// under the action that produced it and an action name outside the API cannot reach
/// [`success_body`].
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Success {
    action: &'static str,
    response: Response,
}

impl Success {
    /// Runs `request` on `account` ([`Account::execute`]) and pairs its response with its
    /// action.
    ///
    /// # Errors
    ///
    /// The first error of the request, as [`Account::execute`] answers it; the account is then
    /// unchanged.
    pub fn execute(account: &mut Account, request: &Request) -> Result<Success, Error> {
        account.execute(request).map(|response| Success {
            action: request.action(),
            response,
        })
    }

    /// The API's name of the operation that ran (one of [`Request::ACTIONS`]).
    pub fn action(&self) -> &'static str {
        self.action
    }

    /// The operation's response.
    pub fn response(&self) -> &Response {
        &self.response
    }

    /// The operation's response, giving the pair up.
    pub fn into_response(self) -> Response {
        self.response
    }
}

/// The body of a successful operation.
///
/// Field names and order are those of the API's samples:
/// - create and modify: `UserName`, `RequestId`, `UserMail`, `Bandwidth` (a number), `ClientIp`
///   (`""` for a user without a static address);
/// - describe: `TotalCount`, `PageSize`, `RequestId`, `PageNumber`, `Users` holding the list
///   `User` of `Bandwidth`, `State` (0 enabled, 1 disabled), `ClientIp` (`""` without a static
///   address), `UserName`, `UserMail`, `IsStaticIp` (0 or 1);
/// - `CreateSmartAccessGatewaySoftware`: `RequestId`, `SmartAGId`;
/// - `ListEnterpriseCode`: `TotalCount`, `NextToken` (`""` on the last page), `RequestId`,
///   `MaxResults`, `EnterpriseCodes`, the list of `IsDefault` (`true` or `false`) and
///   `EnterpriseCode`, in XML one `<EnterpriseCodes>` element per code;
/// - `DescribeUserOnlineClients`: `RequestId`, `Users` holding the list `User` of `ClientIp`
///   and `OnlineTime` (Unix seconds as text: `"1559125519"`), oldest session first;
/// - every other operation: `RequestId`.
///
/// XML starts with [`XML_DECLARATION`], has the root element `<{action}Response>`, the same
/// fields as elements in the same order, and a list as repeated elements
/// (`<Users><User>..</User><User>..</User></Users>`).
///
/// ```
/// use smartag_rules::wire::{success_body, Format, Success};
/// use smartag_rules::{Account, ClientUserRefRaw, DescribeClientUsersRaw, InstanceSpec, Request};
///
/// let mut account = Account::new();
/// account.add_instance(
///     InstanceSpec::app("sag-app1".parse()?, "cn-shanghai".parse()?)
///         .pool("10.0.0.0/24".parse()?),
/// )?;
/// let request = Request::EnableUser(
///     ClientUserRefRaw::default()
///         .region_id("cn-shanghai")
///         .smart_ag_id("sag-app1")
///         .user_name("nobody12"),
/// );
/// assert!(Success::execute(&mut account, &request).is_err());
///
/// let request = Request::DescribeClientUsers(
///     DescribeClientUsersRaw::default()
///         .region_id("cn-shanghai")
///         .smart_ag_id("sag-app1"),
/// );
/// let success = Success::execute(&mut account, &request)?;
/// let id = "3200E8A3-563F-4FFC-8BDB-0F1263FA69E8";
/// assert_eq!(
///     success_body(&success, id, Format::Json),
///     r#"{"TotalCount":0,"PageSize":10,"RequestId":"3200E8A3-563F-4FFC-8BDB-0F1263FA69E8","PageNumber":1,"Users":{"User":[]}}"#
/// );
/// assert!(success_body(&success, id, Format::Xml).starts_with(
///     r#"<?xml version="1.0" encoding="UTF-8"?><DescribeSmartAccessGatewayClientUsersResponse><TotalCount>0</TotalCount>"#
/// ));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn success_body(success: &Success, request_id: &str, format: Format) -> String {
    let root = Root::Response(success.action);
    match &success.response {
        Response::ClientUser(user) => render(format, root, &client_user(user, request_id)),
        Response::ClientUsers(page) => render(format, root, &describe(page, request_id)),
        Response::InstanceCreated(id) => render(
            format,
            root,
            &[
                ("RequestId", Value::text(request_id)),
                ("SmartAGId", Value::text(id.as_str())),
            ],
        ),
        Response::EnterpriseCodes(page) => {
            let next_token = page.next_token.map(|t| t.to_string()).unwrap_or_default();
            render(format, root, &code_page(page, &next_token, request_id))
        }
        Response::OnlineClients(clients) => {
            render(format, root, &online_clients(clients, request_id))
        }
        Response::Done => render(format, root, &[("RequestId", Value::text(request_id))]),
    }
}

/// The body of a failed request: `RequestId`, `HostId`, `Code`, `Message`, `Recommend` (in XML,
/// after [`XML_DECLARATION`], under the root element `<Error>`). Its HTTP status is [`Error::http_status`].
///
/// ```
/// use smartag_rules::wire::{error_body, Format};
/// use smartag_rules::Error;
///
/// let body = error_body(Error::UserExist, "26C24B63-5E5A-413A-9E49-FC0C0AE9DFB7",
///     "smartag.cn-shanghai.aliyuncs.com", Format::Json);
/// assert_eq!(body, concat!(
///     r#"{"RequestId":"26C24B63-5E5A-413A-9E49-FC0C0AE9DFB7","#,
///     r#""HostId":"smartag.cn-shanghai.aliyuncs.com","Code":"ClientUser.UserExist","#,
///     r#""Message":"The specified user already exists.","#,
///     r#""Recommend":"https://api.alibabacloud.com/troubleshoot?intl_lang=EN_US"#,
///     r#"&q=ClientUser.UserExist&product=Smartag&requestId=26C24B63-5E5A-413A-9E49-FC0C0AE9DFB7"}"#,
/// ));
/// ```
pub fn error_body(error: Error, request_id: &str, host_id: &str, format: Format) -> String {
    error_body_detailed(error, "", request_id, host_id, format)
}

/// [`error_body`] with `detail` written right after the error's message, inside `Message`.
pub(super) fn error_body_detailed(
    error: Error,
    detail: &str,
    request_id: &str,
    host_id: &str,
    format: Format,
) -> String {
    let recommend = recommend_url(error.code(), request_id);
    let message = match detail {
        "" => Value::text(error.message()),
        detail => Value::Text([error.message(), detail].concat().into()),
    };
    let fields = [
        ("RequestId", Value::text(request_id)),
        ("HostId", Value::text(host_id)),
        ("Code", Value::text(error.code())),
        ("Message", message),
        ("Recommend", Value::Text(recommend.into())),
    ];
    render(format, Root::Error, &fields)
}

/// The declaration every XML body starts with.
pub const XML_DECLARATION: &str = r#"<?xml version="1.0" encoding="UTF-8"?>"#;

/// A value of a body: text, a whole number, a client IP, named fields in order, or the users of
/// a describe page (in XML, one element per user, each named as the list).
enum Value<'a> {
    Text(Cow<'a, str>),
    Number(u64),
    /// A client IP as text, `""` for none.
    Ip(Option<ClientIp>),
    Fields(Vec<(&'static str, Value<'a>)>),
    /// The users of a describe page, each as the fields of [`user_item`] (rendered one at a
    /// time, without building the list).
    Users(&'a [ClientUserSummary]),
    /// `true` or `false`.
    Bool(bool),
    /// The codes of a `ListEnterpriseCode` page, each as the fields of [`code_item`] (in XML,
    /// one element per code, each named as the list).
    Codes(&'a [EnterpriseCodeSummary]),
    /// A whole number written as text: `"1559125519"` in JSON, the digits in XML.
    NumberText(u64),
    /// The sessions of `DescribeUserOnlineClients`, each as the fields of [`online_item`] (in
    /// XML, one element per session, each named as the list).
    Online(&'a [OnlineClient]),
}

impl<'a> Value<'a> {
    fn text(text: &'a str) -> Value<'a> {
        Value::Text(Cow::Borrowed(text))
    }

    fn number(n: impl Into<u64>) -> Value<'a> {
        Value::Number(n.into())
    }
}

/// The root element of an XML body: `{action}Response` for an action of [`Request::ACTIONS`]
/// (a [`Success`] holds no other), or `Error`.
enum Root {
    Response(&'static str),
    Error,
}

/// Writes a body's fields: a compact JSON object, or the XML declaration and the root element.
fn render(format: Format, root: Root, fields: &[(&'static str, Value<'_>)]) -> String {
    // Room for the status a replay line puts in front, and for the users of a describe page.
    let users = fields
        .iter()
        .map(|(_, value)| match value {
            Value::Fields(inner) => inner
                .iter()
                .map(|(_, v)| match v {
                    Value::Users(users) => users.len(),
                    _ => 0,
                })
                .sum(),
            _ => 0,
        })
        .sum::<usize>();
    let mut out = String::with_capacity(256 + 192 * users);
    match format {
        Format::Json => json_fields(&mut out, fields),
        Format::Xml => {
            out.push_str(XML_DECLARATION);
            let (name, suffix) = match root {
                Root::Response(action) => (action, "Response"),
                Root::Error => ("Error", ""),
            };
            out.extend(["<", name, suffix, ">"]);
            xml_fields(&mut out, fields);
            out.extend(["</", name, suffix, ">"]);
        }
    }
    out
}

fn json_fields(out: &mut String, fields: &[(&'static str, Value<'_>)]) {
    out.push('{');
    for (i, (name, value)) in fields.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        // Field names are fixed identifiers: nothing in them to escape.
        out.extend(["\"", name, "\":"]);
        json_value(out, value);
    }
    out.push('}');
}

fn json_value(out: &mut String, value: &Value<'_>) {
    match value {
        Value::Text(text) => json_text(out, text),
        Value::Number(n) => number(out, *n),
        Value::Ip(ip) => {
            out.push('"');
            ip_into(out, *ip);
            out.push('"');
        }
        Value::Fields(fields) => json_fields(out, fields),
        Value::Users(users) => {
            out.push('[');
            for (i, user) in users.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                json_fields(out, &user_item(user));
            }
            out.push(']');
        }
        Value::Bool(b) => out.push_str(bool_text(*b)),
        Value::Codes(codes) => {
            out.push('[');
            for (i, code) in codes.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                json_fields(out, &code_item(code));
            }
            out.push(']');
        }
        Value::NumberText(n) => {
            out.push('"');
            number(out, *n);
            out.push('"');
        }
        Value::Online(clients) => {
            out.push('[');
            for (i, client) in clients.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                json_fields(out, &online_item(client));
            }
            out.push(']');
        }
    }
}

/// A boolean as JSON and XML write it.
fn bool_text(b: bool) -> &'static str {
    if b {
        "true"
    } else {
        "false"
    }
}

/// A JSON string, escaped as `serde_json` escapes it: `"` and `\`, the short forms `\b`, `\f`,
/// `\n`, `\r`, `\t`, and `\u00xx` for the other control characters below U+0020. Runs of
/// characters that need no escape are copied whole.
fn json_text(out: &mut String, text: &str) {
    out.push('"');
    escaped(out, text, |b| match b {
        b'"' => Some(Escape::Text("\\\"")),
        b'\\' => Some(Escape::Text("\\\\")),
        b'\n' => Some(Escape::Text("\\n")),
        b'\r' => Some(Escape::Text("\\r")),
        b'\t' => Some(Escape::Text("\\t")),
        0x08 => Some(Escape::Text("\\b")),
        0x0c => Some(Escape::Text("\\f")),
        b if b < 0x20 => Some(Escape::Unicode(u32::from(b))),
        _ => None,
    });
    out.push('"');
}

/// How one character is escaped.
enum Escape {
    /// A fixed replacement.
    Text(&'static str),
    /// JSON's `\u00xx`.
    Unicode(u32),
}

/// Copies `text`, each character `escape` replaces copied as its replacement, the runs between
/// them copied whole. `escape` names ASCII bytes only (`None` for every byte from 0x80 on), so
/// each byte it replaces is a whole character, and text with none of them is copied at once.
fn escaped(out: &mut String, text: &str, escape: impl Fn(u8) -> Option<Escape>) {
    if !text.bytes().any(|b| escape(b).is_some()) {
        out.push_str(text);
        return;
    }
    let escape_char = |c: char| u8::try_from(c).ok().and_then(&escape);
    for piece in text.split_inclusive(|c| escape_char(c).is_some()) {
        let mut chars = piece.chars();
        match chars.next_back().and_then(escape_char) {
            Some(replacement) => {
                out.push_str(chars.as_str());
                match replacement {
                    Escape::Text(text) => out.push_str(text),
                    Escape::Unicode(code) => out.push_str(&format!("\\u{code:04x}")),
                }
            }
            None => out.push_str(piece),
        }
    }
}

/// One field as XML: `<name>text</name>`, `<name/>` when it holds nothing, a list as one element
/// per item.
fn xml_element(out: &mut String, name: &str, value: &Value<'_>) {
    match value {
        Value::Text(text) => xml_wrapped(out, name, |out| xml_text(out, text)),
        Value::Number(n) => xml_wrapped(out, name, |out| number(out, *n)),
        Value::Ip(ip) => xml_wrapped(out, name, |out| ip_into(out, *ip)),
        Value::Fields(fields) => xml_wrapped(out, name, |out| xml_fields(out, fields)),
        Value::Users(users) => {
            for user in *users {
                xml_wrapped(out, name, |out| xml_fields(out, &user_item(user)));
            }
        }
        Value::Bool(b) => xml_wrapped(out, name, |out| out.push_str(bool_text(*b))),
        Value::Codes(codes) => {
            for code in *codes {
                xml_wrapped(out, name, |out| xml_fields(out, &code_item(code)));
            }
        }
        Value::NumberText(n) => xml_wrapped(out, name, |out| number(out, *n)),
        Value::Online(clients) => {
            for client in *clients {
                xml_wrapped(out, name, |out| xml_fields(out, &online_item(client)));
            }
        }
    }
}

/// Each field as an XML element, in order.
fn xml_fields(out: &mut String, fields: &[(&'static str, Value<'_>)]) {
    for (field, value) in fields {
        xml_element(out, field, value);
    }
}

/// `<name>`, what `content` writes, `</name>`; `<name/>` when it writes nothing.
fn xml_wrapped(out: &mut String, name: &str, content: impl FnOnce(&mut String)) {
    let start = out.len();
    out.extend(["<", name, ">"]);
    let inner = out.len();
    content(out);
    if out.len() == inner {
        out.truncate(start);
        out.extend(["<", name, "/>"]);
    } else {
        out.extend(["</", name, ">"]);
    }
}

/// XML text, escaped as `quick-xml` escapes element text: `&`, `<` and `>`.
fn xml_text(out: &mut String, text: &str) {
    escaped(out, text, |b| match b {
        b'&' => Some(Escape::Text("&amp;")),
        b'<' => Some(Escape::Text("&lt;")),
        b'>' => Some(Escape::Text("&gt;")),
        _ => None,
    });
}

/// A whole number in decimal, written in place.
pub(super) fn number(out: &mut String, n: u64) {
    let mut digits = [0u8; 20];
    let mut start = digits.len();
    let mut rest = n;
    for slot in digits.iter_mut().rev() {
        // `rest % 10` is a digit: the cast cannot truncate.
        *slot = b'0' + (rest % 10) as u8;
        start -= 1;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    for &digit in digits.get(start..).unwrap_or_default() {
        out.push(char::from(digit));
    }
}

/// A client IP as its dotted quad, nothing for none, written in place.
fn ip_into(out: &mut String, ip: Option<ClientIp>) {
    if let Some(ip) = ip {
        for (i, octet) in ip.addr().octets().into_iter().enumerate() {
            if i > 0 {
                out.push('.');
            }
            number(out, u64::from(octet));
        }
    }
}

/// Create and modify: `UserName`, `RequestId`, `UserMail`, `Bandwidth`, `ClientIp`.
fn client_user<'a>(
    user: &'a ClientUserInfo,
    request_id: &'a str,
) -> [(&'static str, Value<'a>); 5] {
    [
        ("UserName", Value::text(user.user_name.as_str())),
        ("RequestId", Value::text(request_id)),
        ("UserMail", Value::text(user.user_mail.as_str())),
        ("Bandwidth", Value::number(user.bandwidth.get())),
        ("ClientIp", Value::Ip(user.client_ip)),
    ]
}

/// Describe: `TotalCount`, `PageSize`, `RequestId`, `PageNumber`, `Users.User[]`.
fn describe<'a>(page: &'a ClientUserPage, request_id: &'a str) -> [(&'static str, Value<'a>); 5] {
    [
        ("TotalCount", Value::number(page.total_count)),
        ("PageSize", Value::number(page.page_size.get())),
        ("RequestId", Value::text(request_id)),
        ("PageNumber", Value::number(page.page_number.get())),
        (
            "Users",
            Value::Fields(vec![("User", Value::Users(&page.users))]),
        ),
    ]
}

/// One user of a describe page: `Bandwidth`, `State`, `ClientIp`, `UserName`, `UserMail`,
/// `IsStaticIp`.
fn user_item(user: &ClientUserSummary) -> [(&'static str, Value<'_>); 6] {
    [
        ("Bandwidth", Value::number(user.bandwidth.get())),
        ("State", Value::number(user.state.code())),
        ("ClientIp", Value::Ip(user.client_ip)),
        ("UserName", Value::text(user.user_name.as_str())),
        ("UserMail", Value::text(user.user_mail.as_str())),
        ("IsStaticIp", Value::number(u8::from(user.is_static_ip()))),
    ]
}

/// `ListEnterpriseCode`: `TotalCount`, `NextToken`, `RequestId`, `MaxResults`,
/// `EnterpriseCodes[]`.
fn code_page<'a>(
    page: &'a EnterpriseCodePage,
    next_token: &'a str,
    request_id: &'a str,
) -> [(&'static str, Value<'a>); 5] {
    [
        ("TotalCount", Value::number(page.total_count)),
        ("NextToken", Value::text(next_token)),
        ("RequestId", Value::text(request_id)),
        ("MaxResults", Value::number(page.max_results.get())),
        ("EnterpriseCodes", Value::Codes(&page.enterprise_codes)),
    ]
}

/// One code of a `ListEnterpriseCode` page: `IsDefault`, `EnterpriseCode`.
fn code_item(code: &EnterpriseCodeSummary) -> [(&'static str, Value<'_>); 2] {
    [
        ("IsDefault", Value::Bool(code.is_default)),
        ("EnterpriseCode", Value::text(code.enterprise_code.as_str())),
    ]
}

/// `DescribeUserOnlineClients`: `RequestId`, `Users.User[]`.
fn online_clients<'a>(
    clients: &'a [OnlineClient],
    request_id: &'a str,
) -> [(&'static str, Value<'a>); 2] {
    [
        ("RequestId", Value::text(request_id)),
        (
            "Users",
            Value::Fields(vec![("User", Value::Online(clients))]),
        ),
    ]
}

/// One session of `DescribeUserOnlineClients`: `ClientIp`, `OnlineTime` (as text).
fn online_item(client: &OnlineClient) -> [(&'static str, Value<'_>); 2] {
    [
        ("ClientIp", Value::Ip(Some(client.client_ip))),
        ("OnlineTime", Value::NumberText(client.online_time)),
    ]
}
