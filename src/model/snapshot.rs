//! Snapshots of an [`Account`] (with the `serde` feature): every instance with its users in
//! creation order, the enterprise codes and the generator state. Restoring rebuilds the indexes
//! and refuses a snapshot that breaks one of the [invariants](crate::rules#invariants).

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::account::Account;
use super::instance::{Instance, InstanceKind, InstanceSpec};
use super::user::ClientUser;
use crate::cidr::CidrPool;
use crate::fields::{Bandwidth, EnterpriseCode, RegionId, SmartAgId};
use crate::rng::Rng;

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
struct InstanceRepr<U> {
    id: SmartAgId,
    region: RegionId,
    kind: InstanceKind,
    quota: u32,
    max_bandwidth: Bandwidth,
    pool: CidrPool,
    enterprise_code: Option<EnterpriseCode>,
    users: Vec<U>,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
struct AccountRepr<I, C, R> {
    instances: Vec<I>,
    enterprise_codes: C,
    rng: R,
}

impl Serialize for Account {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let instances: Vec<InstanceRepr<&ClientUser>> = self
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
                }
            })
            .collect();
        AccountRepr {
            instances,
            enterprise_codes: &self.enterprise_codes,
            rng: &self.rng,
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for Account {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let repr =
            AccountRepr::<InstanceRepr<ClientUser>, BTreeSet<EnterpriseCode>, Rng>::deserialize(d)?;
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
        let mut account = Account {
            instances,
            enterprise_codes: repr.enterprise_codes,
            rng: repr.rng,
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
