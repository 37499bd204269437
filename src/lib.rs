//! # smartag-rules
//!
//! The offline, no-network core of the Alibaba Cloud Smart Access Gateway (SAG) client-user API.
//! It models SAG instances, their client CIDR pools and their client users, enforces every
//! documented rule, and answers every violation with the exact error the service returns: HTTP
//! status, code (`ClientUser.NameInvalid`) and message.
//!
//! Everything is at the crate root:
//! - the validated field types ([`UserName`], [`Password`], [`Bandwidth`], ...), the only way to
//!   hold a value that obeys its rule; each publishes its rule as a `PATTERN`;
//! - [`CidrBlock`] and [`CidrPool`], the private address blocks client IPs come from;
//! - the in-memory [`Account`] of instances and users, with its setup API ([`InstanceSpec`]);
//! - every operation as a raw request (optional text, as parameters arrive: `*Raw`, built with
//!   chainable setters or [`Request::from_params`]), a typed request (`validate`) and a typed
//!   answer; [`Account::execute`] answers the first error in the order of
//!   [the rules' precedence](crate::rules#precedence), [`Account::violations`] all of them;
//! - the catalogue of every [`Error`], written once;
//! - [`rules`]: the rules document (`RULES.md`): every field rule, error, precedence and
//!   decision, each with its source page;
//! - with the `wire` feature, [`wire`]: the service's parameters and bodies; with `proptest`,
//!   `strategies`.
//!
//! ```
//! use smartag_rules::{Account, CreateClientUserRaw, Error, InstanceSpec, Request, Response};
//!
//! let mut account = Account::with_seed(0);
//! account.add_instance(
//!     InstanceSpec::app("sag-app1".parse()?, "cn-shanghai".parse()?)
//!         .quota(5)
//!         .pool("10.0.0.0/24".parse()?),
//! )?;
//!
//! let create = |name: &str| {
//!     Request::CreateClientUser(
//!         CreateClientUserRaw::default()
//!             .region_id("cn-shanghai")
//!             .smart_ag_id("sag-app1")
//!             .user_name(name)
//!             .password("duuf1234")
//!             .user_mail("username@example.com"),
//!     )
//! };
//! assert!(matches!(account.execute(&create("doctest1")), Ok(Response::ClientUser(_))));
//!
//! let err = account.execute(&create("doctest1")).unwrap_err();
//! assert_eq!(err, Error::UserExist);
//! assert_eq!((err.http_status(), err.code()), (400, "ClientUser.UserExist"));
//!
//! let err = account.execute(&create("abcdef")).unwrap_err();
//! assert_eq!(err.message(), "The specified UserName is invalid.");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

/// The rules this crate implements (the repository's `RULES.md`), rendered as documentation.
///
/// Other items link to its sections, such as [field rules](crate::rules#field-rules) and
/// [precedence](crate::rules#precedence).
#[doc = include_str!("../RULES.md")]
pub mod rules {}

#[cfg(any(feature = "arbitrary", feature = "proptest"))]
mod arbitrary;
mod cidr;
mod error;
mod fields;
mod model;
mod ops;
#[doc(hidden)]
pub mod rng;
#[cfg(feature = "proptest")]
pub mod strategies;
#[cfg(feature = "wire")]
pub mod wire;

/// The README's examples, compiled and run as doc tests. They are written as a downstream crate
/// uses them, each with the features its TOML names, so they run when all of those are on.
#[cfg(all(doctest, feature = "wire", feature = "proptest", feature = "arbitrary"))]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

#[cfg(any(feature = "arbitrary", feature = "proptest"))]
pub use arbitrary::{OperationSequence, SequenceStep};
pub use cidr::{CidrBlock, CidrPool};
pub use error::Error;
pub use fields::{
    Bandwidth, ClientIp, ClientToken, EnterpriseCode, Password, RegionId, SmartAgId, UserMail,
    UserName,
};
pub use model::{
    Account, ClientUser, ConnectError, Instance, InstanceKind, InstanceSpec, Roaming, Session,
    SetupError, UserState,
};
pub use ops::{
    BindEnterpriseCode, BindEnterpriseCodeRaw, ClientUserInfo, ClientUserPage, ClientUserRef,
    ClientUserRefRaw, ClientUserSummary, CreateClientUser, CreateClientUserRaw,
    CreateEnterpriseCode, CreateEnterpriseCodeRaw, CreateSoftware, CreateSoftwareRaw, Credentials,
    DescribeClientUsers, DescribeClientUsersRaw, ModifyClientUser, ModifyClientUserRaw,
    ModifyGateway, ModifyGatewayRaw, PageNumber, PageSize, Period, Request, ResetPassword,
    ResetPasswordRaw, Response, RoamClientUser, RoamClientUserRaw,
};
pub use ops::{
    DeleteEnterpriseCode, DeleteEnterpriseCodeRaw, EnterpriseCodePage, EnterpriseCodeSummary,
    ListEnterpriseCode, ListEnterpriseCodeRaw, MaxResults, NextToken, UpdateEnterpriseCode,
    UpdateEnterpriseCodeRaw,
};
pub use ops::{DescribeUserOnlineClientsRaw, KickOutClientsRaw, OnlineClient};
