//! [`proptest`](mod@proptest) strategies for property tests of code that uses this crate (the
//! `proptest` feature).
//!
//! - **Valid field values**, typed: [`valid_user_name`], [`valid_password`], [`valid_bandwidth`],
//!   [`valid_user_mail`], [`valid_client_ip`], [`valid_smart_ag_id`], [`valid_region_id`],
//!   [`valid_enterprise_code`], [`valid_cidr_block`], [`valid_cidr_pool`]. Where a type's
//!   published `PATTERN` is its exact rule, the text is generated from the pattern (see
//!   [`pattern_text`]); otherwise values are built to obey the rule.
//! - **Invalid field text**, each labelled with the error the parser must answer:
//!   [`invalid_user_name`], [`invalid_password`], ... `(String, Error)` pairs.
//! - **Whole accounts**: [`account_setup`] builds [`Account`]s with instances in several regions,
//!   client CIDR pools, quotas, bandwidth ceilings, enterprise codes, users (static and not), a
//!   roaming user and a user marked as used this month.
//! - **Requests against an account**: `valid_*_request(&account)` give raw requests that
//!   [`Account::execute`] must accept (`None` when the account admits none of that operation);
//!   `invalid_*_request(&account)` give `(Request, Error)` pairs, the error being the first one
//!   `execute` must answer. A request that breaks one parameter's form is labelled with that
//!   parameter's error; a request aimed at a state rule is labelled with the first error
//!   [`Account::violations`] answers, so the precedence of the rules lives only in the
//!   operations. Together the invalid request strategies produce every error code a request can
//!   reach (every [`Error::ALL`] but `InvalidAction.NotFound`, which only the wire layer can
//!   answer).
//!
//! The module is split by concern: `fields` (valid values), `invalid` (labelled invalid text),
//! `accounts` (whole accounts and what requests need to know of them), `requests`,
//! `user_requests`, `setup_requests`, `code_requests` and `online_requests` (requests of each
//! operation).
//!
//! A downstream property test:
//!
//! ```
//! use proptest::prelude::*;
//! use smartag_rules::strategies::{
//!     account_and_invalid_request, invalid_user_name, valid_user_name,
//! };
//! use smartag_rules::UserName;
//!
//! proptest!(|(name in valid_user_name())| {
//!     prop_assert_eq!(name.as_str().parse::<UserName>(), Ok(name.clone()));
//! });
//! proptest!(|((text, code) in invalid_user_name())| {
//!     prop_assert_eq!(text.parse::<UserName>(), Err(code));
//! });
//! proptest!(ProptestConfig::with_cases(32), |((account, request, code) in account_and_invalid_request())| {
//!     let mut after = account.clone();
//!     prop_assert_eq!(after.execute(&request), Err(code));
//!     prop_assert_eq!(after, account); // a failed request changes nothing
//! });
//! ```

/// The doctest of the strategy `$name` about the type `$T`: imports both, draws `$binding` from
/// the strategy and runs each of `$lines`.
macro_rules! strategy_example {
    ($name:ident, $T:ident, $binding:literal, $($line:literal),+ $(,)?) => {
        concat!(
            "```\n",
            "use proptest::prelude::*;\n",
            "use smartag_rules::{strategies::",
            stringify!($name),
            ", ",
            stringify!($T),
            "};\n\n",
            "proptest!(|(",
            $binding,
            " in ",
            stringify!($name),
            "())| {\n",
            $("    ", $line, "\n",)+
            "});\n",
            "```",
        )
    };
}

mod accounts;
mod code_requests;
mod fields;
mod invalid;
mod online_requests;
mod requests;
mod sequences;
mod setup_requests;
mod user_requests;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Debug;
use std::net::Ipv4Addr;
use std::rc::Rc;

use ipnet::Ipv4Net;
use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;
use proptest::sample::{select, subsequence, Index};
use proptest::strategy::{BoxedStrategy, Just, Strategy, Union};

use crate::cidr::{CidrBlock, CidrPool};
use crate::error::Error;
use crate::fields::ALNUM;
use crate::fields::{
    Bandwidth, ClientIp, EnterpriseCode, Password, RegionId, SmartAgId, UserMail, UserName,
};
use crate::model::{Account, ClientUser, Instance, InstanceSpec};
use crate::ops::{
    BindEnterpriseCodeRaw, ClientUserRefRaw, CreateClientUserRaw, CreateEnterpriseCodeRaw,
    CreateSoftwareRaw, DescribeClientUsersRaw, ModifyClientUserRaw, ModifyGatewayRaw, Request,
    ResetPasswordRaw, RoamClientUserRaw,
};
use crate::ops::{DeleteEnterpriseCodeRaw, ListEnterpriseCodeRaw, UpdateEnterpriseCodeRaw};

pub use self::code_requests::{
    invalid_delete_enterprise_code_request, invalid_list_enterprise_code_request,
    invalid_update_enterprise_code_request, valid_delete_enterprise_code_request,
    valid_list_enterprise_code_request, valid_update_enterprise_code_request,
};
pub use self::online_requests::{
    invalid_describe_online_request, invalid_kick_out_request, valid_describe_online_request,
    valid_kick_out_request,
};
pub use self::{
    accounts::*, fields::*, invalid::*, requests::*, sequences::*, setup_requests::*,
    user_requests::*,
};

/// A labelled invalid input: the text and the error it must produce.
pub type Labelled = (String, Error);

/// A request and the first error [`Account::execute`] must answer for it.
pub type LabelledRequest = (Request, Error);

/// Where a request acts: a region ID and an instance ID, as text.
type Place = (String, String);

// ---------------------------------------------------------------------------------------------
// Any operation
// ---------------------------------------------------------------------------------------------

/// Valid requests of every operation the account admits (there is always one: buying an
/// instance or creating a new enterprise code needs nothing of the account).
pub fn valid_request(account: &Account) -> BoxedStrategy<Request> {
    let arms: Vec<BoxedStrategy<Request>> = [
        valid_create_request(account),
        valid_modify_request(account),
        valid_roam_request(account),
        valid_delete_request(account),
        valid_describe_request(account),
        valid_reset_password_request(account),
        valid_enable_request(account),
        valid_disable_request(account),
        valid_create_software_request(account),
        valid_modify_gateway_request(account),
        valid_create_enterprise_code_request(account),
        valid_bind_enterprise_code_request(account),
        valid_list_enterprise_code_request(account),
        valid_update_enterprise_code_request(account),
        valid_delete_enterprise_code_request(account),
        valid_describe_online_request(account),
        valid_kick_out_request(account),
    ]
    .into_iter()
    .flatten()
    .collect();
    one_of(arms).unwrap_or_else(|| unreachable!("create software is always valid"))
}

/// Invalid requests of every operation, labelled with the first error
/// [`Account::execute`] must answer.
pub fn invalid_request(account: &Account) -> BoxedStrategy<LabelledRequest> {
    Union::new(vec![
        invalid_create_request(account),
        invalid_modify_request(account),
        invalid_roam_request(account),
        invalid_delete_request(account),
        invalid_describe_request(account),
        invalid_reset_password_request(account),
        invalid_enable_request(account),
        invalid_disable_request(account),
        invalid_create_software_request(account),
        invalid_modify_gateway_request(account),
        invalid_create_enterprise_code_request(account),
        invalid_bind_enterprise_code_request(account),
        invalid_list_enterprise_code_request(account),
        invalid_update_enterprise_code_request(account),
        invalid_delete_enterprise_code_request(account),
        invalid_describe_online_request(account),
        invalid_kick_out_request(account),
    ])
    .boxed()
}

/// An [`account_setup`] with a valid request against it.
///
/// ```
/// use proptest::prelude::*;
/// use smartag_rules::strategies::account_and_valid_request;
///
/// proptest!(ProptestConfig::with_cases(32), |((mut account, request) in account_and_valid_request())| {
///     prop_assert!(account.violations(&request).is_empty());
///     prop_assert!(account.execute(&request).is_ok());
///     prop_assert!(account.invariant_violations().is_empty());
/// });
/// ```
pub fn account_and_valid_request() -> BoxedStrategy<(Account, Request)> {
    account_setup()
        .prop_flat_map(|account| {
            let requests = valid_request(&account);
            (Just(account), requests)
        })
        .boxed()
}

/// An [`account_setup`] with an invalid request against it and the first error
/// [`Account::execute`] must answer.
pub fn account_and_invalid_request() -> BoxedStrategy<(Account, Request, Error)> {
    account_setup()
        .prop_flat_map(|account| {
            let requests = invalid_request(&account);
            (Just(account), requests)
        })
        .prop_map(|(account, (request, error))| (account, request, error))
        .boxed()
}
