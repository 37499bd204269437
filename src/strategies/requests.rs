//! Requests of the client-user operations that create, change and roam users.

#[allow(unused_imports)]
use super::*;

pub(super) type Setter<R> = fn(&mut R, Option<String>);

/// Puts each labelled bad value into a well-formed base request.
pub(super) fn corrupt<R: Clone + Debug + 'static>(
    base: &BoxedStrategy<R>,
    bad: BoxedStrategy<(Option<String>, Error)>,
    set: Setter<R>,
    wrap: fn(R) -> Request,
) -> BoxedStrategy<LabelledRequest> {
    (base.clone(), bad)
        .prop_map(move |(mut r, (v, e))| {
            set(&mut r, v);
            (wrap(r), e)
        })
        .boxed()
}

/// A raw request that acts on one instance, named by its `RegionId` and `SmartAGId`.
pub(super) trait OnInstance: Clone + Debug + 'static {
    fn set_region_id(&mut self, value: Option<String>);
    fn set_smart_ag_id(&mut self, value: Option<String>);
}

macro_rules! on_instance {
    ($($raw:ty),+) => {$(
        impl OnInstance for $raw {
            fn set_region_id(&mut self, value: Option<String>) {
                self.region_id = value;
            }

            fn set_smart_ag_id(&mut self, value: Option<String>) {
                self.smart_ag_id = value;
            }
        }
    )+};
}

on_instance!(
    CreateClientUserRaw,
    ModifyClientUserRaw,
    ClientUserRefRaw,
    ResetPasswordRaw,
    DescribeClientUsersRaw,
    ModifyGatewayRaw,
    BindEnterpriseCodeRaw,
    crate::ops::DescribeUserOnlineClientsRaw,
    crate::ops::KickOutClientsRaw
);

/// The arms every request on one instance has, from a well-formed base request: a bad
/// `RegionId`, a bad `SmartAGId`, and a well-formed place that names no instance of the account
/// (`SAG.InstanceNoFound`).
pub(super) fn instance_arms<R: OnInstance>(
    f: &Facts,
    base: &BoxedStrategy<R>,
    wrap: fn(R) -> Request,
) -> Vec<BoxedStrategy<LabelledRequest>> {
    vec![
        corrupt(base, bad_region(), R::set_region_id, wrap),
        corrupt(base, bad_id(), R::set_smart_ag_id, wrap),
        (f.nowhere(), base.clone())
            .prop_map(move |((region, id), mut r)| {
                r.set_region_id(Some(region));
                r.set_smart_ag_id(Some(id));
                (wrap(r), Error::InstanceNotFound)
            })
            .boxed(),
    ]
}

/// A place (mostly one of the account's instances) and a valid user name.
pub(super) fn named(f: &Facts) -> BoxedStrategy<(Place, String)> {
    (f.any_place(), texts(valid_user_name())).boxed()
}

pub(super) fn some(s: BoxedStrategy<Labelled>) -> BoxedStrategy<(Option<String>, Error)> {
    s.prop_map(|(t, e)| (Some(t), e)).boxed()
}

pub(super) fn or_absent(
    s: BoxedStrategy<Labelled>,
    absent: Error,
) -> BoxedStrategy<(Option<String>, Error)> {
    prop_oneof![1 => Just((None, absent)), 6 => some(s)].boxed()
}

pub(super) fn bad_region() -> BoxedStrategy<(Option<String>, Error)> {
    or_absent(invalid_region_id(), Error::MissingParameter)
}

pub(super) fn bad_id() -> BoxedStrategy<(Option<String>, Error)> {
    or_absent(invalid_smart_ag_id(), Error::InstanceIdEmpty)
}

pub(super) fn bad_name() -> BoxedStrategy<(Option<String>, Error)> {
    or_absent(invalid_user_name(), Error::NameEmpty)
}

pub(super) fn opt_text<T: ToString + Debug + 'static>(
    s: BoxedStrategy<T>,
) -> BoxedStrategy<Option<String>> {
    option::of(texts(s)).boxed()
}

// ---------------------------------------------------------------------------------------------
// CreateSmartAccessGatewayClientUser
// ---------------------------------------------------------------------------------------------

pub(super) fn create_raw(
    (region_id, smart_ag_id): Place,
    credentials: Option<(String, String)>,
    user_mail: String,
    bandwidth: Option<String>,
    client_ip: Option<String>,
) -> CreateClientUserRaw {
    let mut raw = CreateClientUserRaw::default()
        .region_id(region_id)
        .smart_ag_id(smart_ag_id)
        .user_mail(user_mail);
    if let Some((name, password)) = credentials {
        raw = raw.user_name(name).password(password);
    }
    raw.bandwidth = bandwidth;
    raw.client_ip = client_ip;
    raw
}

pub(super) fn password_text() -> BoxedStrategy<String> {
    valid_password()
        .prop_map(|p| p.expose_secret().to_string())
        .boxed()
}

pub(super) fn mail_text() -> BoxedStrategy<String> {
    texts(valid_user_mail())
}

/// Create on `inst`, with credentials from `credentials` (`None`: generated), an address from
/// `ips`, and a bandwidth from `bandwidths`.
pub(super) fn create_on(
    inst: &InstFact,
    credentials: BoxedStrategy<Option<(String, String)>>,
    ips: BoxedStrategy<Option<String>>,
    bandwidths: BoxedStrategy<Option<String>>,
) -> BoxedStrategy<Request> {
    let place = inst.place();
    (credentials, mail_text(), bandwidths, ips)
        .prop_map(move |(c, m, b, ip)| {
            Request::CreateClientUser(create_raw(place.clone(), c, m, b, ip))
        })
        .boxed()
}

/// A new name and a password, or (sometimes) neither, to have them generated.
pub(super) fn new_credentials(inst: &InstFact) -> BoxedStrategy<Option<(String, String)>> {
    option::weighted(0.85, (new_name(inst), password_text())).boxed()
}

pub(super) fn bandwidth_within(inst: &InstFact) -> BoxedStrategy<Option<String>> {
    let within = bandwidth_up_to(inst.max_bw());
    if Bandwidth::DEFAULT.get() <= inst.max_bw() {
        option::of(within).boxed()
    } else {
        within.prop_map(Some).boxed()
    }
}

/// Valid `CreateSmartAccessGatewayClientUser` requests against `account`: an APP instance with
/// a pool and room, a new name (or none, to have one generated), a bandwidth within the
/// instance's ceiling, and sometimes a free static address. `None` when no instance can take
/// one more user.
///
/// ```
/// use proptest::prelude::*;
/// use smartag_rules::strategies::{account_setup, valid_create_request};
///
/// let setups = account_setup().prop_flat_map(|account| {
///     let requests = valid_create_request(&account).expect("the setup has room");
///     (Just(account), requests)
/// });
/// proptest!(ProptestConfig::with_cases(16), |((mut account, request) in setups)| {
///     prop_assert!(account.execute(&request).is_ok());
/// });
/// ```
pub fn valid_create_request(account: &Account) -> Option<BoxedStrategy<Request>> {
    let f = facts(account);
    f.pick(|i| i.takes_users() && !i.full()).map(|insts| {
        insts
            .prop_flat_map(|i| {
                let ips = if i.has_free_host() {
                    option::of(free_host(&i)).boxed()
                } else {
                    Just(None).boxed()
                };
                create_on(&i, new_credentials(&i), ips, bandwidth_within(&i))
            })
            .boxed()
    })
}

/// Invalid `CreateSmartAccessGatewayClientUser` requests against `account`, labelled with the
/// first error: every form error of its parameters (`MissingParameter`, `InvalidParameter`,
/// `SAG.InstanceIdEmpty`, `ClientUser.NameEmpty`, `ClientUser.NameInvalid`,
/// `ClientUser.PasswordInvalid`, `ClientUser.EmailEmpty`, `ClientUser.EmailInvalid`,
/// `ClientUser.BandwidthInvalid`, `ClientUser.IpEmpty`, `ClientUser.IpInvalid`), then
/// `SAG.InstanceNoFound` and, where the account has a fitting instance,
/// `ClientUser.NotSupportAction`, `SAG.CidrEmpty`, `ClientUser.UserExist`,
/// `ClientUser.UserOverLimit`, `ClientUser.InvalidClientIp` and `ClientUser.BandwidthInvalid`
/// (above the instance's ceiling).
pub fn invalid_create_request(account: &Account) -> BoxedStrategy<LabelledRequest> {
    let (f, wrap) = (facts(account), Request::CreateClientUser as fn(_) -> _);
    let (bandwidths, ips) = (opt_text(valid_bandwidth()), opt_text(valid_client_ip()));
    let base = (named(&f), password_text(), mail_text(), bandwidths, ips)
        .prop_map(|((place, n), p, m, b, ip)| create_raw(place, Some((n, p)), m, b, ip))
        .boxed();
    let bad_password = or_absent(invalid_password(), Error::PasswordInvalid);
    let bad_user_mail = or_absent(invalid_user_mail(), Error::EmailEmpty);
    let bad_bandwidth = some(invalid_bandwidth());
    let bad_client_ip = some(invalid_client_ip());
    let mut arms = instance_arms(&f, &base, wrap);
    arms.extend([
        corrupt(&base, bad_name(), |r, v| r.user_name = v, wrap),
        corrupt(&base, bad_password, |r, v| r.password = v, wrap),
        corrupt(&base, bad_user_mail, |r, v| r.user_mail = v, wrap),
        corrupt(&base, bad_bandwidth, |r, v| r.bandwidth = v, wrap),
        corrupt(&base, bad_client_ip, |r, v| r.client_ip = v, wrap),
    ]);
    // The state rules: each arm aims at one rule; the label is what the account answers.
    let mut aimed: Vec<BoxedStrategy<Request>> = Vec::new();
    for refuses in [
        |i: &InstFact| !i.app(),
        |i: &InstFact| i.app() && i.pool().is_empty(),
    ] {
        if let Some(s) = f.pick(refuses) {
            let b = base.clone();
            aimed.push(
                s.prop_flat_map(move |i| {
                    b.clone().prop_map(move |r| {
                        let (region, id) = i.place();
                        wrap(r.region_id(region).smart_ag_id(id))
                    })
                })
                .boxed(),
            );
        }
    }
    if let Some(s) = f.pick_user(|i, _| i.takes_users()) {
        aimed.push(
            s.prop_flat_map(move |(i, u)| {
                let credentials = (Just(u.name().to_string()), password_text())
                    .prop_map(Some)
                    .boxed();
                let (ips, bandwidths) = (opt_text(valid_client_ip()), opt_text(valid_bandwidth()));
                create_on(&i, credentials, ips, bandwidths)
            })
            .boxed(),
        );
    }
    if let Some(s) = f.pick(|i| i.takes_users() && i.full()) {
        aimed.push(
            s.prop_flat_map(move |i| {
                create_on(
                    &i,
                    new_credentials(&i),
                    opt_text(valid_client_ip()),
                    opt_text(valid_bandwidth()),
                )
            })
            .boxed(),
        );
    }
    if let Some(s) = f.pick(|i| i.takes_users() && !i.full()) {
        aimed.push(
            s.prop_flat_map(move |i| {
                let ips = unusable_host(&i).prop_map(Some).boxed();
                create_on(&i, new_credentials(&i), ips, opt_text(valid_bandwidth()))
            })
            .boxed(),
        );
    }
    if let Some(s) = f.pick(|i| i.takes_users() && !i.full() && i.max_bw() < Bandwidth::MAX.get()) {
        aimed.push(
            s.prop_flat_map(move |i| {
                let ips = if i.has_free_host() {
                    option::of(free_host(&i)).boxed()
                } else {
                    Just(None).boxed()
                };
                let above = (i.max_bw() + 1..=Bandwidth::MAX.get())
                    .prop_map(|b| Some(b.to_string()))
                    .boxed();
                create_on(&i, new_credentials(&i), ips, above)
            })
            .boxed(),
        );
    }
    arms.extend(aimed.into_iter().map(|s| f.by_violations(s)));
    Union::new(arms).boxed()
}

// ---------------------------------------------------------------------------------------------
// ModifySmartAccessGatewayClientUser
// ---------------------------------------------------------------------------------------------

pub(super) fn modify_raw(
    (region_id, smart_ag_id): Place,
    user_name: String,
    bandwidth: String,
    email: Option<String>,
) -> ModifyClientUserRaw {
    let mut raw = ModifyClientUserRaw::default()
        .region_id(region_id)
        .smart_ag_id(smart_ag_id)
        .user_name(user_name)
        .bandwidth(bandwidth);
    raw.email = email;
    raw
}

/// Valid `ModifySmartAccessGatewayClientUser` requests: an existing user (roaming copies
/// included), a bandwidth within its instance's ceiling, sometimes a new mail address. `None`
/// when the account has no user.
pub fn valid_modify_request(account: &Account) -> Option<BoxedStrategy<Request>> {
    facts(account).pick_user(|_, _| true).map(|s| {
        s.prop_flat_map(|(i, u)| {
            let place = i.place();
            (bandwidth_up_to(i.max_bw()), option::of(mail_text())).prop_map(move |(b, m)| {
                Request::ModifyClientUser(modify_raw(place.clone(), u.name().to_string(), b, m))
            })
        })
        .boxed()
    })
}

/// Invalid `ModifySmartAccessGatewayClientUser` requests, labelled with the first error: the
/// form errors (`MissingParameter`, `InvalidParameter`, `SAG.InstanceIdEmpty`,
/// `ClientUser.NameEmpty`, `ClientUser.NameInvalid`, `ClientUser.EmailInvalid` — an empty
/// `Email` included —, `ClientUser.BandwidthInvalid` — a missing one included), then
/// `SAG.InstanceNoFound`, `ResourceNotFound.User`, and `ClientUser.BandwidthInvalid` above the
/// instance's ceiling where the account allows.
pub fn invalid_modify_request(account: &Account) -> BoxedStrategy<LabelledRequest> {
    let f = facts(account);
    let wrap = Request::ModifyClientUser as fn(_) -> _;
    let base = (named(&f), texts(valid_bandwidth()), option::of(mail_text()))
        .prop_map(|((place, n), b, m)| modify_raw(place, n, b, m))
        .boxed();
    let bad_email = invalid_user_mail()
        .prop_map(|(t, _)| (Some(t), Error::EmailInvalid))
        .boxed();
    let bad_bandwidth = or_absent(invalid_bandwidth(), Error::BandwidthInvalid);
    let mut arms = instance_arms(&f, &base, wrap);
    arms.extend([
        corrupt(&base, bad_name(), |r, v| r.user_name = v, wrap),
        corrupt(&base, bad_email, |r, v| r.email = v, wrap),
        corrupt(&base, bad_bandwidth, |r, v| r.bandwidth = v, wrap),
    ]);
    // The state rules: each arm aims at one rule; the label is what the account answers.
    let mut aimed: Vec<BoxedStrategy<Request>> = Vec::new();
    if let Some(s) = f.pick(|_| true) {
        aimed.push(
            s.prop_flat_map(|i| {
                let place = i.place();
                let bandwidths = texts(valid_bandwidth());
                (new_name(&i), bandwidths, option::of(mail_text())).prop_map(move |(n, b, m)| {
                    Request::ModifyClientUser(modify_raw(place.clone(), n, b, m))
                })
            })
            .boxed(),
        );
    }
    if let Some(s) = f.pick_user(|i, _| i.max_bw() < Bandwidth::MAX.get()) {
        aimed.push(
            s.prop_flat_map(|(i, u)| {
                let place = i.place();
                let above = (i.max_bw() + 1..=Bandwidth::MAX.get()).prop_map(|b| b.to_string());
                (above, option::of(mail_text())).prop_map(move |(b, m)| {
                    Request::ModifyClientUser(modify_raw(place.clone(), u.name().to_string(), b, m))
                })
            })
            .boxed(),
        );
    }
    arms.extend(aimed.into_iter().map(|s| f.by_violations(s)));
    Union::new(arms).boxed()
}

// ---------------------------------------------------------------------------------------------
// RoamClientUser
// ---------------------------------------------------------------------------------------------

/// One roaming case: origin, target, and the name of one of the origin's users (`None`: a name
/// the origin lacks).
pub(super) type RoamCase = (InstFact, InstFact, Option<String>);

/// A well-formed name none of the instance's users has.
pub(super) fn absent_name(inst: &InstFact) -> String {
    (0u32..)
        .map(|n| format!("absent{n:04}"))
        .find(|n| !inst.has(n))
        .unwrap_or_default()
}

/// Every (origin, target, name) of the account, grouped by the first error
/// [`Account::violations`] answers for roaming it (`None`: roaming succeeds).
pub(super) fn roam_cases(f: &Facts) -> BTreeMap<Option<Error>, Vec<RoamCase>> {
    let mut out: BTreeMap<Option<Error>, Vec<RoamCase>> = BTreeMap::new();
    for o in &f.insts {
        for t in &f.insts {
            let names = o.users().map(|u| Some(u.name().to_string())).chain([None]);
            for name in names {
                let probe = name.clone().unwrap_or_else(|| absent_name(o));
                let request = Request::RoamClientUser(roam_raw(o.place(), t.place(), probe));
                let outcome = f.first_violation(&request);
                out.entry(outcome)
                    .or_default()
                    .push((o.clone(), t.clone(), name));
            }
        }
    }
    out
}

pub(super) fn roam_raw(origin: Place, target: Place, name: String) -> RoamClientUserRaw {
    RoamClientUserRaw::default()
        .region_id(target.0)
        .origin_region_id(origin.0)
        .origin_smart_ag_id(origin.1)
        .target_smart_ag_id(target.1)
        .user_name(name)
}

pub(super) fn roam_case(case: RoamCase) -> BoxedStrategy<Request> {
    let (o, t, name) = case;
    let names = match name {
        Some(n) => Just(n).boxed(),
        None => new_name(&o),
    };
    names
        .prop_map(move |n| Request::RoamClientUser(roam_raw(o.place(), t.place(), n)))
        .boxed()
}

/// Valid `RoamClientUser` requests: a user of an instance in its own right, to an APP instance
/// of another region with the same enterprise code, a disjoint pool, room, no user of that name,
/// and a ceiling the user's bandwidth fits (a static user never fits: its address lies in the
/// origin's pool, which the target's must not overlap). `None` when no user can roam.
pub fn valid_roam_request(account: &Account) -> Option<BoxedStrategy<Request>> {
    let cases = roam_cases(&facts(account)).remove(&None)?;
    choose(cases).map(|s| s.prop_flat_map(roam_case).boxed())
}

/// Invalid `RoamClientUser` requests, labelled with the first error: the form errors of
/// `RegionId`, `OriginRegionId`, `OriginSmartAGId`, `TargetSmartAGId` and `UserName`,
/// `SAG.InstanceNoFound` (origin or target), and every roaming rule the account lets a request
/// break: `ClientUser.NotSupportAction`, `SAG.CidrEmpty`, `ResourceNotFound.User`,
/// `EnterpriseCode.ConfigDifferent`, `SAG.CidrOverlap`, `ClientUser.UserExist`,
/// `ClientUser.UserOverLimit`, `ClientUser.InvalidClientIp`, `ClientUser.BandwidthInvalid`.
pub fn invalid_roam_request(account: &Account) -> BoxedStrategy<LabelledRequest> {
    let f = facts(account);
    let wrap = Request::RoamClientUser as fn(_) -> _;
    let base = (f.any_place(), f.any_place(), texts(valid_user_name()))
        .prop_map(|(target, origin, n)| roam_raw(origin, target, n))
        .boxed();
    let mut arms = vec![
        corrupt(&base, bad_region(), |r, v| r.region_id = v, wrap),
        corrupt(&base, bad_region(), |r, v| r.origin_region_id = v, wrap),
        corrupt(&base, bad_id(), |r, v| r.origin_smart_ag_id = v, wrap),
        corrupt(&base, bad_id(), |r, v| r.target_smart_ag_id = v, wrap),
        corrupt(&base, bad_name(), |r, v| r.user_name = v, wrap),
        (f.nowhere(), base.clone())
            .prop_map(move |((region, id), r)| {
                let r = r.origin_region_id(region).origin_smart_ag_id(id);
                (wrap(r), Error::InstanceNotFound)
            })
            .boxed(),
    ];
    if let Some(origins) = f.pick(|_| true) {
        arms.push(
            (origins, f.nowhere(), texts(valid_user_name()))
                .prop_map(move |(o, target, n)| {
                    (
                        wrap(roam_raw(o.place(), target, n)),
                        Error::InstanceNotFound,
                    )
                })
                .boxed(),
        );
    }
    // One arm per roaming outcome, so that every rule is reached evenly; each request is
    // labelled again by the account (a made-up name may differ from the probe's).
    for (outcome, cases) in roam_cases(&f) {
        if let (Some(_), Some(s)) = (outcome, choose(cases)) {
            arms.push(f.by_violations(s.prop_flat_map(roam_case).boxed()));
        }
    }
    Union::new(arms).boxed()
}
