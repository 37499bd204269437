//! Response and error bodies, in JSON and XML, with the service's field names and order.

use serde::Serialize;

use super::Format;
use crate::ops::{ClientUserInfo, ClientUserPage, ClientUserSummary};
use crate::{Account, ClientIp, Error, RegionId, Request, Response};

/// The `HostId` of an answer: `smartag.<region>.aliyuncs.com` for the request's `RegionId`, or
/// `smartag.aliyuncs.com` (the service's central endpoint) when the request has no well-formed
/// `RegionId`.
///
/// ```
/// use smartag_rules::wire::host_id;
///
/// assert_eq!(host_id(Some(&"ap-southeast-1".parse()?)), "smartag.ap-southeast-1.aliyuncs.com");
/// assert_eq!(host_id(None), "smartag.aliyuncs.com");
/// # Ok::<(), smartag_rules::Error>(())
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
/// let request = Request::EnableUser(ClientUserRefRaw {
///     region_id: Some("cn-shanghai".into()),
///     smart_ag_id: Some("sag-app1".into()),
///     user_name: Some("nobody12".into()),
/// });
/// assert!(Success::execute(&mut account, &request).is_err());
///
/// let request = Request::DescribeClientUsers(DescribeClientUsersRaw {
///     region_id: Some("cn-shanghai".into()),
///     smart_ag_id: Some("sag-app1".into()),
///     ..Default::default()
/// });
/// let success = Success::execute(&mut account, &request)?;
/// let id = "3200E8A3-563F-4FFC-8BDB-0F1263FA69E8";
/// assert_eq!(
///     success_body(&success, id, Format::Json),
///     r#"{"TotalCount":0,"PageSize":10,"RequestId":"3200E8A3-563F-4FFC-8BDB-0F1263FA69E8","PageNumber":1,"Users":{"User":[]}}"#
/// );
/// assert!(success_body(&success, id, Format::Xml).starts_with(
///     r#"<?xml version="1.0" encoding="UTF-8"?><DescribeSmartAccessGatewayClientUsersResponse><TotalCount>0</TotalCount>"#
/// ));
/// # Ok::<(), smartag_rules::Error>(())
/// ```
pub fn success_body(success: &Success, request_id: &str, format: Format) -> String {
    let root = format!("{}Response", success.action);
    match &success.response {
        Response::ClientUser(user) => render(format, &root, &ClientUserBody::of(user, request_id)),
        Response::ClientUsers(page) => render(format, &root, &DescribeBody::of(page, request_id)),
        Response::InstanceCreated(id) => render(
            format,
            &root,
            &InstanceBody {
                request_id,
                smart_ag_id: id.as_str(),
            },
        ),
        Response::Done => render(format, &root, &DoneBody { request_id }),
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
    let recommend = recommend_url(error.code(), request_id);
    render(
        format,
        "Error",
        &ErrorBody {
            request_id,
            host_id,
            code: error.code(),
            message: error.message(),
            recommend: &recommend,
        },
    )
}

/// The declaration every XML body starts with.
pub const XML_DECLARATION: &str = r#"<?xml version="1.0" encoding="UTF-8"?>"#;

/// Serialises a body. The bodies are plain structs of strings and numbers, and the root names
/// are `Error` and `{action}Response` for an action of [`Request::ACTIONS`] (a [`Success`] holds
/// no other), all XML names: neither serialiser can fail on them (the tests render every
/// action's body in both formats), so the empty string of the impossible failure never shows.
fn render<T: Serialize>(format: Format, root: &str, body: &T) -> String {
    match format {
        Format::Json => serde_json::to_string(body).unwrap_or_default(),
        Format::Xml => quick_xml::se::to_string_with_root(root, body)
            .map(|xml| format!("{XML_DECLARATION}{xml}"))
            .unwrap_or_default(),
    }
}

fn ip_text(ip: Option<ClientIp>) -> String {
    ip.map(|ip| ip.to_string()).unwrap_or_default()
}

#[derive(Serialize)]
struct DoneBody<'a> {
    #[serde(rename = "RequestId")]
    request_id: &'a str,
}

#[derive(Serialize)]
struct InstanceBody<'a> {
    #[serde(rename = "RequestId")]
    request_id: &'a str,
    #[serde(rename = "SmartAGId")]
    smart_ag_id: &'a str,
}

#[derive(Serialize)]
struct ClientUserBody<'a> {
    #[serde(rename = "UserName")]
    user_name: &'a str,
    #[serde(rename = "RequestId")]
    request_id: &'a str,
    #[serde(rename = "UserMail")]
    user_mail: &'a str,
    #[serde(rename = "Bandwidth")]
    bandwidth: u32,
    #[serde(rename = "ClientIp")]
    client_ip: String,
}

impl<'a> ClientUserBody<'a> {
    fn of(user: &'a ClientUserInfo, request_id: &'a str) -> Self {
        ClientUserBody {
            user_name: user.user_name.as_str(),
            request_id,
            user_mail: user.user_mail.as_str(),
            bandwidth: user.bandwidth.get(),
            client_ip: ip_text(user.client_ip),
        }
    }
}

#[derive(Serialize)]
struct DescribeBody<'a> {
    #[serde(rename = "TotalCount")]
    total_count: u64,
    #[serde(rename = "PageSize")]
    page_size: u32,
    #[serde(rename = "RequestId")]
    request_id: &'a str,
    #[serde(rename = "PageNumber")]
    page_number: u32,
    #[serde(rename = "Users")]
    users: UsersBody<'a>,
}

#[derive(Serialize)]
struct UsersBody<'a> {
    #[serde(rename = "User")]
    user: Vec<UserItem<'a>>,
}

#[derive(Serialize)]
struct UserItem<'a> {
    #[serde(rename = "Bandwidth")]
    bandwidth: u32,
    #[serde(rename = "State")]
    state: u8,
    #[serde(rename = "ClientIp")]
    client_ip: String,
    #[serde(rename = "UserName")]
    user_name: &'a str,
    #[serde(rename = "UserMail")]
    user_mail: &'a str,
    #[serde(rename = "IsStaticIp")]
    is_static_ip: u8,
}

impl<'a> UserItem<'a> {
    fn of(user: &'a ClientUserSummary) -> Self {
        UserItem {
            bandwidth: user.bandwidth.get(),
            state: user.state.code(),
            client_ip: ip_text(user.client_ip),
            user_name: user.user_name.as_str(),
            user_mail: user.user_mail.as_str(),
            is_static_ip: u8::from(user.is_static_ip()),
        }
    }
}

impl<'a> DescribeBody<'a> {
    fn of(page: &'a ClientUserPage, request_id: &'a str) -> Self {
        DescribeBody {
            total_count: page.total_count,
            page_size: page.page_size,
            request_id,
            page_number: page.page_number,
            users: UsersBody {
                user: page.users.iter().map(UserItem::of).collect(),
            },
        }
    }
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    #[serde(rename = "RequestId")]
    request_id: &'a str,
    #[serde(rename = "HostId")]
    host_id: &'a str,
    #[serde(rename = "Code")]
    code: &'a str,
    #[serde(rename = "Message")]
    message: &'a str,
    #[serde(rename = "Recommend")]
    recommend: &'a str,
}
