//! The operations of the API: each as a raw request (optional text, as parameters arrive), a
//! validated request, and a typed response.
//!
//! Every operation checks in [the rules' order](crate::rules#precedence) and answers the
//! **first** error:
//! 1. each parameter's own form, in the order of the operation's parameter table (`RegionId`
//!    first, then the instance IDs, `UserName`, `Password`, `UserMail`/`Email`, `Bandwidth`,
//!    `ClientIp`);
//! 2. the instances exist (origin before target for roaming);
//! 3. the instance accepts client users and has a CIDR pool;
//! 4. the state: the user exists or not, the quota, the enterprise code, CIDR overlap, the
//!    client IP, the bandwidth ceiling.
//!
//! [`Account::violations`] answers **all** the violations of a request, in that order.

mod create;
mod describe;
mod enterprise_code;
mod idempotency;
mod modify;
mod online;
mod operation;
mod raw;
mod roam;
mod setup;
mod user_ref;

pub use create::{ClientUserInfo, CreateClientUser, CreateClientUserRaw, Credentials};
pub use describe::{
    ClientUserPage, ClientUserSummary, DescribeClientUsers, DescribeClientUsersRaw, PageNumber,
    PageSize,
};
pub use enterprise_code::{
    DeleteEnterpriseCode, DeleteEnterpriseCodeRaw, EnterpriseCodePage, EnterpriseCodeSummary,
    ListEnterpriseCode, ListEnterpriseCodeRaw, MaxResults, NextToken, UpdateEnterpriseCode,
    UpdateEnterpriseCodeRaw,
};
pub(crate) use idempotency::ClientTokens;
#[cfg(feature = "serde")]
pub(crate) use idempotency::Remembered;
pub use modify::{ModifyClientUser, ModifyClientUserRaw};
pub use online::{DescribeUserOnlineClientsRaw, KickOutClientsRaw, OnlineClient};
pub use roam::{RoamClientUser, RoamClientUserRaw};
pub use setup::{
    BindEnterpriseCode, BindEnterpriseCodeRaw, CreateEnterpriseCode, CreateEnterpriseCodeRaw,
    CreateSoftware, CreateSoftwareRaw, ModifyGateway, ModifyGatewayRaw, Period,
};
pub use user_ref::{ClientUserRef, ClientUserRefRaw, ResetPassword, ResetPasswordRaw};

use crate::error::Error;
use crate::fields::SmartAgId;
use crate::model::Account;
use online::{DescribeOnline, KickOut};
use operation::Operation;
use user_ref::{user_action, OnUser};

/// The table of actions: every operation once, with its `Action` name and its raw request. The
/// [`Request`] enum, [`Request::ACTIONS`], [`Request::action`] and [`Request::from_params`] all
/// come from it.
macro_rules! actions {
    ($($variant:ident($raw:ident) = $action:literal => $op:ty;)+) => {
        /// A request of any operation, in its raw form.
        #[derive(Clone, PartialEq, Eq, Debug)]
        #[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
        #[non_exhaustive]
        pub enum Request {
            $(
                #[doc = concat!("`", $action, "`.")]
                $variant($raw),
            )+
        }

        impl Request {
            /// Every action name, in the order of the [`Request`] variants.
            pub const ACTIONS: &'static [&'static str] = &[$($action),+];

            /// The API's name of the operation (`Action`).
            pub fn action(&self) -> &'static str {
                match self {
                    $(Request::$variant(_) => $action,)+
                }
            }

            /// Whether the request, when it succeeds, changes the account: every operation but
            /// the reads (`DescribeSmartAccessGatewayClientUsers`, `ListEnterpriseCode`,
            /// `DescribeUserOnlineClients`), as each operation declares it. What a server must
            /// make durable before it answers.
            ///
            /// ```
            /// use smartag_rules::{DescribeUserOnlineClientsRaw, KickOutClientsRaw, Request};
            ///
            /// let describe = Request::DescribeUserOnlineClients(DescribeUserOnlineClientsRaw::default());
            /// assert!(!describe.changes_state());
            /// assert!(Request::KickOutClients(KickOutClientsRaw::default()).changes_state());
            /// ```
            pub fn changes_state(&self) -> bool {
                match self {
                    $(Request::$variant(_) => !<$op as Operation>::READS_ONLY,)+
                }
            }

            /// The raw `RegionId` of the request (the target's region for roaming).
            pub fn region_id(&self) -> Option<&str> {
                match self {
                    $(Request::$variant(r) => r.region_id.as_deref(),)+
                }
            }

            /// Reads the request of `action` from its parameters, `get` answering a parameter's
            /// value by its API name (case-sensitive); `None` for an action this API does not
            /// have. The values are taken as they are: [`Account::execute`] checks them.
            ///
            /// ```
            /// use smartag_rules::{DescribeClientUsersRaw, Request};
            ///
            /// let params = [("RegionId", "cn-shanghai"), ("SmartAGId", "sag-app1")];
            /// let get = |name: &str| params.iter().find(|(k, _)| *k == name).map(|(_, v)| *v);
            /// let request = Request::from_params("DescribeSmartAccessGatewayClientUsers", get);
            /// assert_eq!(
            ///     request,
            ///     Some(Request::DescribeClientUsers(
            ///         DescribeClientUsersRaw::default()
            ///             .region_id("cn-shanghai")
            ///             .smart_ag_id("sag-app1")
            ///     ))
            /// );
            /// assert_eq!(Request::from_params("DescribeEverything", get), None);
            /// ```
            pub fn from_params<'p>(
                action: &str,
                get: impl Fn(&str) -> Option<&'p str>,
            ) -> Option<Request> {
                Some(match action {
                    $($action => Request::$variant($raw::from_params(&get)),)+
                    _ => return None,
                })
            }
        }

        impl Account {
            /// Runs a raw request: checks it in the rules' order and, if nothing is wrong,
            /// carries it out. A failed request leaves the account exactly as it was.
            ///
            /// # Errors
            ///
            /// The first violation, as [`Account::violations`] lists them: the form of each
            /// parameter in the order of the operation's parameter table, then the instances'
            /// existence, then the state. Each operation's typed method names the [`Error`]s of
            /// its state.
            ///
            /// ```
            /// use smartag_rules::{Account, CreateClientUserRaw, Error, Request};
            ///
            /// let mut account = Account::new();
            /// let request = Request::CreateClientUser(
            ///     CreateClientUserRaw::default()
            ///         .region_id("cn-shanghai")
            ///         .smart_ag_id("sag-nothere")
            ///         .user_name("abcdef") // too short
            ///         .user_mail("a@example.com"),
            /// );
            /// // The form of the parameters comes before the instance's existence.
            /// assert_eq!(account.execute(&request), Err(Error::NameInvalid));
            /// assert_eq!(
            ///     account.violations(&request),
            ///     vec![Error::NameInvalid, Error::PasswordInvalid, Error::InstanceNotFound]
            /// );
            /// ```
            pub fn execute(&mut self, request: &Request) -> Result<Response, Error> {
                match request {
                    $(Request::$variant(raw) => operation::execute::<$op>(self, raw),)+
                }
            }

            /// Every violation of a raw request, in the rules' order (for forms and linters):
            /// all the form errors, then `SAG.InstanceNoFound` if an instance cannot be found,
            /// then every state rule the request breaks that can be checked with its
            /// well-formed parameters. Empty when [`Account::execute`] would succeed; otherwise
            /// its first element is what `execute` answers.
            pub fn violations(&self, request: &Request) -> Vec<Error> {
                match request {
                    $(Request::$variant(raw) => operation::violations::<$op>(self, raw),)+
                }
            }
        }
    };
}

actions! {
    CreateClientUser(CreateClientUserRaw) = "CreateSmartAccessGatewayClientUser" => CreateClientUser;
    ModifyClientUser(ModifyClientUserRaw) = "ModifySmartAccessGatewayClientUser" => ModifyClientUser;
    RoamClientUser(RoamClientUserRaw) = "RoamClientUser" => RoamClientUser;
    DeleteClientUser(ClientUserRefRaw) = "DeleteSmartAccessGatewayClientUser" => OnUser<{ user_action::DELETE }>;
    DescribeClientUsers(DescribeClientUsersRaw) = "DescribeSmartAccessGatewayClientUsers" => DescribeClientUsers;
    ResetClientUserPassword(ResetPasswordRaw) = "ResetSmartAccessGatewayClientUserPassword" => ResetPassword;
    EnableUser(ClientUserRefRaw) = "EnableSmartAccessGatewayUser" => OnUser<{ user_action::ENABLE }>;
    DisableUser(ClientUserRefRaw) = "DisableSmartAccessGatewayUser" => OnUser<{ user_action::DISABLE }>;
    CreateSoftware(CreateSoftwareRaw) = "CreateSmartAccessGatewaySoftware" => CreateSoftware;
    ModifyGateway(ModifyGatewayRaw) = "ModifySmartAccessGateway" => ModifyGateway;
    CreateEnterpriseCode(CreateEnterpriseCodeRaw) = "CreateEnterpriseCode" => CreateEnterpriseCode;
    BindEnterpriseCode(BindEnterpriseCodeRaw) = "UpdateSmartAGEnterpriseCode" => BindEnterpriseCode;
    ListEnterpriseCode(ListEnterpriseCodeRaw) = "ListEnterpriseCode" => ListEnterpriseCode;
    UpdateEnterpriseCode(UpdateEnterpriseCodeRaw) = "UpdateEnterpriseCode" => UpdateEnterpriseCode;
    DeleteEnterpriseCode(DeleteEnterpriseCodeRaw) = "DeleteEnterpriseCode" => DeleteEnterpriseCode;
    DescribeUserOnlineClients(DescribeUserOnlineClientsRaw) = "DescribeUserOnlineClients" => DescribeOnline;
    KickOutClients(KickOutClientsRaw) = "KickOutClients" => KickOut;
}

/// The answer of a successful request.
#[derive(Clone, PartialEq, Eq, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum Response {
    /// Create and modify: the user as it now is.
    ClientUser(ClientUserInfo),
    /// Describe: a page of users.
    ClientUsers(ClientUserPage),
    /// `CreateSmartAccessGatewaySoftware`: the new instance.
    InstanceCreated(SmartAgId),
    /// `ListEnterpriseCode`: a page of enterprise codes.
    EnterpriseCodes(EnterpriseCodePage),
    /// `DescribeUserOnlineClients`: the user's online sessions, oldest first.
    OnlineClients(Vec<OnlineClient>),
    /// The operations that answer only a request ID.
    Done,
}
