//! # smartag-rules
//!
//! The offline, no-network core of the Alibaba Cloud Smart Access Gateway (SAG) client-user API:
//! validated field types, CIDR pools and the service's exact errors.
//!
//! ```
//! use smartag_rules::{Error, UserName};
//!
//! let err = "abcdef".parse::<UserName>().unwrap_err();
//! assert_eq!((err.http_status(), err.code()), (400, "ClientUser.NameInvalid"));
//! assert_eq!(err.message(), "The specified UserName is invalid.");
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_auto_cfg))]

pub mod cidr;
pub mod error;
pub mod fields;
pub mod model;
pub mod ops;
pub mod rng;

pub use cidr::{CidrBlock, CidrPool};
pub use error::Error;
pub use fields::{
    Bandwidth, ClientIp, EnterpriseCode, Password, RegionId, SmartAgId, UserMail, UserName,
};
pub use model::{Account, ClientUser, Instance, InstanceKind, InstanceSpec, Roaming, UserState};
pub use ops::{
    BindEnterpriseCodeRaw, ClientUserInfo, ClientUserPage, ClientUserRef, ClientUserRefRaw,
    ClientUserSummary, CreateClientUser, CreateClientUserRaw, CreateEnterpriseCodeRaw,
    CreateSoftwareRaw, Credentials, DescribeClientUsers, DescribeClientUsersRaw, ModifyClientUser,
    ModifyClientUserRaw, ModifyGatewayRaw, Request, ResetPassword, ResetPasswordRaw, Response,
    RoamClientUser, RoamClientUserRaw,
};
