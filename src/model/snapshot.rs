//! Snapshots of an [`Account`] (with the `serde` feature): every instance with its users in
//! creation order and its online sessions oldest first, the enterprise codes in creation order
//! with the default one, the generator state, the remembered client tokens (oldest first) and
//! the account clock. The default code and the tokens came later, the sessions and the clock
//! later still: a snapshot without them (and one whose codes are plain text, without their
//! creation serials) still restores, with no default, no token, no session and the clock at 0.
//! Restoring rebuilds the indexes and refuses a snapshot that breaks one of the
//! [invariants](crate::rules#invariants).

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::account::Account;
use super::enterprise_codes::{EnterpriseCodes, Serial};
use super::instance::{Instance, InstanceKind, InstanceSpec};
use super::sessions::Session;
use super::user::ClientUser;
use crate::cidr::CidrPool;
use crate::fields::{Bandwidth, ClientToken, EnterpriseCode, RegionId, SmartAgId};
use crate::ops::{ClientTokens, Remembered};
use crate::rng::Rng;

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
struct InstanceRepr<U, S> {
    id: SmartAgId,
    region: RegionId,
    kind: InstanceKind,
    quota: u32,
    max_bandwidth: Bandwidth,
    pool: CidrPool,
    enterprise_code: Option<EnterpriseCode>,
    users: Vec<U>,
    #[serde(default = "Vec::new")]
    sessions: Vec<S>,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
struct AccountRepr<I, C, R, T> {
    instances: Vec<I>,
    enterprise_codes: Vec<C>,
    rng: R,
    #[serde(default)]
    default_enterprise_code: Option<EnterpriseCode>,
    #[serde(default = "Vec::new")]
    client_tokens: Vec<T>,
    #[serde(default)]
    clock: u64,
}

/// An enterprise code with its creation serial; a snapshot of the earlier format holds the code
/// alone (its place in the list is its serial).
#[derive(Serialize, Deserialize)]
#[serde(untagged)]
enum CodeRepr {
    Numbered {
        code: EnterpriseCode,
        serial: Serial,
    },
    Plain(EnterpriseCode),
}

/// A remembered client token and its request.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
struct TokenRepr<R> {
    token: ClientToken,
    request: R,
}

impl Serialize for Account {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let instances: Vec<InstanceRepr<&ClientUser, &Session>> = self
            .instances
            .values()
            .map(|i| {
                let spec = i.spec.clone();
                InstanceRepr {
                    id: spec.id,
                    region: spec.region,
                    kind: spec.kind,
                    quota: spec.quota,
                    max_bandwidth: spec.max_bandwidth,
                    pool: spec.pool,
                    enterprise_code: spec.enterprise_code,
                    users: i.users.iter().collect(),
                    sessions: i.sessions.iter().collect(),
                }
            })
            .collect();
        AccountRepr {
            instances,
            enterprise_codes: self
                .enterprise_codes
                .iter()
                .map(|(serial, &code)| CodeRepr::Numbered { code, serial })
                .collect(),
            rng: &self.rng,
            default_enterprise_code: self.enterprise_codes.default_code().copied(),
            client_tokens: self
                .client_tokens
                .iter()
                .map(|(&token, request)| TokenRepr { token, request })
                .collect(),
            clock: self.clock,
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for Account {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let repr = AccountRepr::<
            InstanceRepr<ClientUser, Session>,
            CodeRepr,
            Rng,
            TokenRepr<Remembered>,
        >::deserialize(d)?;
        let mut instances = BTreeMap::new();
        for i in repr.instances {
            let spec = InstanceSpec {
                id: i.id,
                region: i.region,
                kind: i.kind,
                quota: i.quota,
                max_bandwidth: i.max_bandwidth,
                pool: i.pool,
                enterprise_code: i.enterprise_code,
            };
            let id = spec.id.clone();
            let instance = Instance {
                spec,
                users: i.users.into_iter().collect(),
                links: BTreeMap::new(),
                sessions: i.sessions.into_iter().collect(),
            };
            if instances.insert(id.clone(), instance).is_some() {
                return Err(serde::de::Error::custom(format!("instance {id} twice")));
            }
        }
        // The roaming links are derived from the users, not stored.
        let pairs: Vec<(SmartAgId, SmartAgId)> = instances
            .values()
            .flat_map(|i: &Instance| {
                i.users
                    .iter()
                    .flat_map(|u| u.copies().iter().cloned())
                    .map(|target| (i.spec.id.clone(), target))
                    .collect::<Vec<_>>()
            })
            .collect();
        let mut enterprise_codes = EnterpriseCodes::default();
        for (place, code) in (0..).zip(repr.enterprise_codes) {
            let (serial, code) = match code {
                CodeRepr::Numbered { code, serial } => (serial, code),
                CodeRepr::Plain(code) => (place, code),
            };
            if enterprise_codes.contains(&code) || enterprise_codes.has_serial(serial) {
                return Err(serde::de::Error::custom(format!(
                    "enterprise code {code} or its serial twice"
                )));
            }
            enterprise_codes.insert_at(serial, code);
        }
        if let Some(code) = &repr.default_enterprise_code {
            if !enterprise_codes.set_default(code, true) {
                return Err(serde::de::Error::custom(format!(
                    "default enterprise code {code} is not a code"
                )));
            }
        }
        let mut client_tokens = ClientTokens::default();
        for TokenRepr { token, request } in repr.client_tokens {
            client_tokens.push(token, request);
        }
        let mut account = Account {
            instances,
            enterprise_codes,
            rng: repr.rng,
            client_tokens,
            clock: repr.clock,
        };
        for (origin, target) in &pairs {
            account.link(origin, target);
        }
        let violations = account.invariant_violations();
        if violations.is_empty() {
            Ok(account)
        } else {
            Err(serde::de::Error::custom(violations.join("; ")))
        }
    }
}
