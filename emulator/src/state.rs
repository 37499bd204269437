//! `GET /_emulator/state`: the caller's account as JSON, for a test's assertions and for
//! debugging, built from the public getters of [`Account`]. The gateway answers it from the
//! account reads are answered from (with a state directory, the account as the disk holds it).
//! Secrets never appear: every password reads `********`.
//!
//! The names follow the API's where it has one (`SmartAGId`, `UserMail`, `State`, ...):
//!
//! ```text
//! {
//!   "AccessKeyId": "testid",                 the key whose account this is
//!   "Instances": [                           ordered by SmartAGId
//!     {
//!       "SmartAGId": "sag-app1",
//!       "RegionId": "cn-shanghai",
//!       "Kind": "App",                       "App" (takes client users) or "Hardware"
//!       "UserQuota": 5,                      users it may hold, roaming copies included
//!       "UserCount": 1,
//!       "MaxBandwidth": 20000,               the per-user ceiling, Kbit/s
//!       "CidrBlocks": ["10.0.0.0/24"],       the client pool, in its order ([] for none)
//!       "EnterpriseCode": "AB123",           the bound code, or null
//!       "LinkedInstances": ["sag-app2"],     linked by roaming users, either way
//!       "Users": [                           in creation order
//!         {
//!           "UserName": "doctest1",
//!           "UserMail": "username@example.com",
//!           "Password": "********",          always masked
//!           "Bandwidth": 20,
//!           "State": 0,                      0 enabled, 1 disabled, as the API answers
//!           "IsStaticIp": false,
//!           "ClientIp": null,                the static address, or null
//!           "UsedThisMonth": false,          true: it cannot be deleted
//!           "RoamingFrom": null,             for a roaming copy: its origin instance
//!           "RoamingTo": []                  for an origin user: the instances with its copies
//!         }
//!       ],
//!       "Sessions": [                        the users online, oldest first
//!         {"UserName": "doctest1", "ClientIp": "10.0.0.1", "OnlineTime": 1559125519}
//!       ]
//!     }
//!   ],
//!   "Clock": 1559125519,                     the account clock (Unix seconds): the last connect's
//!   "EnterpriseCodes": [                     in creation order
//!     {"EnterpriseCode": "AB123", "IsDefault": false}
//!   ]
//! }
//! ```
//!
//! ```
//! use smartag_rules::{Account, InstanceSpec};
//!
//! let mut account = Account::new();
//! account.add_instance(
//!     InstanceSpec::app("sag-app1".parse()?, "cn-shanghai".parse()?)
//!         .quota(5)
//!         .pool("10.0.0.0/24".parse()?)
//!         .enterprise_code("AB123".parse()?),
//! )?;
//! let state: serde_json::Value =
//!     serde_json::from_str(&smartag_emulator::state::to_json("testid", &account))?;
//! assert_eq!(state["Instances"][0]["SmartAGId"], "sag-app1");
//! assert_eq!(state["Instances"][0]["CidrBlocks"][0], "10.0.0.0/24");
//! assert_eq!(state["EnterpriseCodes"][0]["EnterpriseCode"], "AB123");
//! assert_eq!(state["Instances"][0]["Sessions"], serde_json::json!([]));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use serde::Serialize;
use smartag_rules::{Account, ClientUser, Instance, InstanceKind, Session};

/// What every password reads.
pub const MASKED_PASSWORD: &str = "********";

/// The account of key `key_id` as the JSON of the module's schema.
pub fn to_json(key_id: &str, account: &Account) -> String {
    let default = account.default_enterprise_code();
    let state = AccountView {
        access_key_id: key_id,
        instances: account.instances().map(InstanceView::of).collect(),
        enterprise_codes: account
            .enterprise_codes()
            .map(|code| CodeView {
                enterprise_code: code.to_string(),
                is_default: default == Some(code),
            })
            .collect(),
        clock: account.clock(),
    };
    serde_json::to_string(&state).unwrap_or_else(|_| String::from("{}"))
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct AccountView<'a> {
    access_key_id: &'a str,
    instances: Vec<InstanceView>,
    clock: u64,
    enterprise_codes: Vec<CodeView>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct InstanceView {
    #[serde(rename = "SmartAGId")]
    smart_ag_id: String,
    region_id: String,
    kind: &'static str,
    user_quota: u32,
    user_count: usize,
    max_bandwidth: u32,
    cidr_blocks: Vec<String>,
    enterprise_code: Option<String>,
    linked_instances: Vec<String>,
    users: Vec<UserView>,
    sessions: Vec<SessionView>,
}

impl InstanceView {
    fn of(instance: &Instance) -> InstanceView {
        InstanceView {
            smart_ag_id: instance.id().to_string(),
            region_id: instance.region().to_string(),
            kind: match instance.kind() {
                InstanceKind::App => "App",
                InstanceKind::Hardware => "Hardware",
                _ => "Other",
            },
            user_quota: instance.quota(),
            user_count: instance.user_count(),
            max_bandwidth: instance.max_bandwidth().get(),
            cidr_blocks: instance
                .pool()
                .blocks()
                .iter()
                .map(ToString::to_string)
                .collect(),
            enterprise_code: instance.enterprise_code().map(ToString::to_string),
            linked_instances: instance
                .linked_instances()
                .map(ToString::to_string)
                .collect(),
            users: instance.users().map(UserView::of).collect(),
            sessions: instance.sessions().map(SessionView::of).collect(),
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct UserView {
    user_name: String,
    user_mail: String,
    password: &'static str,
    bandwidth: u32,
    state: u8,
    is_static_ip: bool,
    client_ip: Option<String>,
    used_this_month: bool,
    roaming_from: Option<String>,
    roaming_to: Vec<String>,
}

impl UserView {
    fn of(user: &ClientUser) -> UserView {
        UserView {
            user_name: user.name().to_string(),
            user_mail: user.mail().to_string(),
            password: MASKED_PASSWORD,
            bandwidth: user.bandwidth().get(),
            state: user.state().code(),
            is_static_ip: user.client_ip().is_some(),
            client_ip: user.client_ip().map(|ip| ip.to_string()),
            used_this_month: user.used_this_month(),
            roaming_from: user.origin().map(ToString::to_string),
            roaming_to: user.copies().iter().map(ToString::to_string).collect(),
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct CodeView {
    enterprise_code: String,
    is_default: bool,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct SessionView {
    user_name: String,
    client_ip: String,
    online_time: u64,
}

impl SessionView {
    fn of(session: &Session) -> SessionView {
        SessionView {
            user_name: session.user_name().to_string(),
            client_ip: session.client_ip().to_string(),
            online_time: session.online_time(),
        }
    }
}
