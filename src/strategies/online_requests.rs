//! Requests of the online-session operations `DescribeUserOnlineClients` and `KickOutClients`.

#[allow(unused_imports)]
use super::*;
use crate::ops::{DescribeUserOnlineClientsRaw, KickOutClientsRaw};

pub(super) fn online_raw((region, id): Place, name: String) -> DescribeUserOnlineClientsRaw {
    DescribeUserOnlineClientsRaw::default()
        .region_id(region)
        .smart_ag_id(id)
        .user_name(name)
}

pub(super) fn kick_raw((region, id): Place, name: String) -> KickOutClientsRaw {
    KickOutClientsRaw::default()
        .region_id(region)
        .smart_ag_id(id)
        .username(name)
}

/// An instance of the account and a user name on it: one of its users (whose sessions the
/// request finds) or a well-formed name none of them has (no session, no error). `None` when
/// the account has no instance.
fn instance_and_name(account: &Account) -> Option<BoxedStrategy<(Place, String)>> {
    let f = facts(account);
    let any = f.pick(|_| true)?.prop_flat_map(|i| {
        let place = i.place();
        new_name(&i).prop_map(move |n| (place.clone(), n))
    });
    Some(match f.pick_user(|_, _| true) {
        Some(users) => prop_oneof![
            3 => users.prop_map(|(i, u)| (i.place(), u.name().to_string())),
            1 => any,
        ]
        .boxed(),
        None => any.boxed(),
    })
}

/// Valid `DescribeUserOnlineClients` requests: any instance and a user of it, or a well-formed
/// name no user has (an empty list). `None` when the account has no instance.
pub fn valid_describe_online_request(account: &Account) -> Option<BoxedStrategy<Request>> {
    instance_and_name(account).map(|s| {
        s.prop_map(|(place, n)| Request::DescribeUserOnlineClients(online_raw(place, n)))
            .boxed()
    })
}

/// Invalid `DescribeUserOnlineClients` requests, labelled with the first error: the form errors
/// of `RegionId`, `SmartAGId` and `UserName`, `SAG.InstanceNoFound`.
pub fn invalid_describe_online_request(account: &Account) -> BoxedStrategy<LabelledRequest> {
    let f = facts(account);
    let wrap = Request::DescribeUserOnlineClients as fn(_) -> _;
    let base = named(&f)
        .prop_map(|(place, n)| online_raw(place, n))
        .boxed();
    let mut arms = instance_arms(&f, &base, wrap);
    arms.push(corrupt(&base, bad_name(), |r, v| r.user_name = v, wrap));
    Union::new(arms).boxed()
}

/// Valid `KickOutClients` requests (the user in `Username`): any instance and a user of it, or a
/// well-formed name no user has. `None` when the account has no instance.
pub fn valid_kick_out_request(account: &Account) -> Option<BoxedStrategy<Request>> {
    instance_and_name(account).map(|s| {
        s.prop_map(|(place, n)| Request::KickOutClients(kick_raw(place, n)))
            .boxed()
    })
}

/// Invalid `KickOutClients` requests, labelled with the first error: the form errors of
/// `RegionId`, `SmartAGId` and `Username` (`ClientUser.NameEmpty` also for a user named only
/// in `UserName`, which it does not read), `SAG.InstanceNoFound`.
pub fn invalid_kick_out_request(account: &Account) -> BoxedStrategy<LabelledRequest> {
    let f = facts(account);
    let wrap = Request::KickOutClients as fn(_) -> _;
    let base = named(&f).prop_map(|(place, n)| kick_raw(place, n)).boxed();
    let mut arms = instance_arms(&f, &base, wrap);
    arms.push(corrupt(&base, bad_name(), |r, v| r.username = v, wrap));
    Union::new(arms).boxed()
}
