//! Whole accounts built through the account's own operations, and what the request
//! strategies need to know of one.

#[allow(unused_imports)]
use super::*;

// ---------------------------------------------------------------------------------------------
// Accounts
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Debug)]
pub(super) struct UserPlan {
    name: UserName,
    password: Password,
    mail: UserMail,
    bandwidth: u32,
    static_ip: Option<(Index, u32)>,
    roam: bool,
}

#[derive(Clone, Debug)]
pub(super) struct Plan {
    seed: u64,
    regions: Vec<&'static str>,
    stems: Vec<String>,
    code: Option<EnterpriseCode>,
    other_code: EnterpriseCode,
    spare_code: Option<EnterpriseCode>,
    pools: [CidrPool; 4],
    home_max: u32,
    away_max: u32,
    room: [u32; 2],
    users: Vec<UserPlan>,
    full_users: Vec<UserPlan>,
    used: Index,
    extras: Vec<(Index, Option<CidrPool>, u32, bool)>,
}

pub(super) fn user_plan() -> BoxedStrategy<UserPlan> {
    (
        valid_user_name(),
        valid_password(),
        valid_user_mail(),
        any::<u32>(),
        option::weighted(0.4, (any::<Index>(), any::<u32>())),
        any::<bool>(),
    )
        .prop_map(
            |(name, password, mail, bandwidth, static_ip, roam)| UserPlan {
                name,
                password,
                mail,
                bandwidth,
                static_ip,
                roam,
            },
        )
        .boxed()
}

pub(super) fn plan() -> BoxedStrategy<Plan> {
    let [ten, one_seven_two, one_nine_two] = CidrBlock::PRIVATE_RANGES;
    let codes = (
        option::weighted(0.7, valid_enterprise_code()),
        valid_enterprise_code(),
    )
        .prop_filter("two different codes", |(a, b)| a.as_ref() != Some(b));
    let pools = (
        pool_of(block_in(ten, 20..=28), 1..=3),
        pool_of(block_in(one_nine_two, 22..=28), 1..=2),
        pool_of(block_in(one_seven_two, 16..=28), 1..=2),
        valid_cidr_pool(),
    )
        .prop_map(|(a, b, c, d)| [a, b, c, d]);
    let extras = vec(
        (
            any::<Index>(),
            option::of(valid_cidr_pool()),
            0u32..=8,
            prop::bool::weighted(0.8),
        ),
        0..=2,
    );
    (
        (
            any::<u64>(),
            subsequence(REGIONS.to_vec(), 3).prop_shuffle(),
        ),
        vec(published("^[a-z0-9]{3,12}$"), 10),
        (codes, option::of(valid_enterprise_code())),
        pools,
        (
            prop_oneof![Just(20_000u32), 5_000u32..=20_000],
            1_000u32..=3_000,
        ),
        ([1u32..=5, 1u32..=5]),
        (vec(user_plan(), 3..=7), vec(user_plan(), 1..=3)),
        any::<Index>(),
        extras,
    )
        .prop_map(
            |(
                (seed, regions),
                stems,
                ((code, other_code), spare_code),
                pools,
                (home_max, away_max),
                room,
                (users, full_users),
                used,
                extras,
            )| Plan {
                seed,
                regions,
                stems,
                code,
                other_code,
                spare_code,
                pools,
                home_max,
                away_max,
                room,
                users,
                full_users,
                used,
                extras,
            },
        )
        .boxed()
}

/// A host of `pool` chosen by `(which block, offset)`.
pub(super) fn host_of(pool: &CidrPool, which: Option<Index>, offset: u32) -> Option<Ipv4Addr> {
    let blocks = pool.blocks();
    if blocks.is_empty() {
        return None;
    }
    let b = blocks.get(which.map_or(0, |w| w.index(blocks.len())))?;
    let count = b.host_count().max(1);
    Some(Ipv4Addr::from(
        u32::from(b.network()).wrapping_add(1 + offset % count),
    ))
}

pub(super) fn build(plan: Plan) -> Account {
    let mut account = Account::with_seed(plan.seed);
    let regions: Vec<RegionId> = plan.regions.iter().filter_map(|r| r.parse().ok()).collect();
    let Ok([ra, rb, rc]) = <[RegionId; 3]>::try_from(regions) else {
        return account;
    };
    let region = |i: usize| match i % 3 {
        0 => ra.clone(),
        1 => rb.clone(),
        _ => rc.clone(),
    };
    let id = |i: usize| -> Option<SmartAgId> {
        let stem = plan.stems.get(i)?;
        format!("sag-{stem}{i}").parse().ok()
    };
    let [home_pool, away_pool, full_pool, other_pool] = plan.pools.clone();
    let n_users = u32::try_from(plan.users.len()).unwrap_or(u32::MAX);
    let bw = |kbps: u32| Bandwidth::new(kbps).unwrap_or(Bandwidth::DEFAULT);
    let code_of = |spec: InstanceSpec, code: Option<EnterpriseCode>| match code {
        Some(code) => spec.enterprise_code(code),
        None => spec,
    };
    let (Some(home), Some(away), Some(full), Some(overlap), Some(other), Some(empty), Some(hw)) =
        (id(0), id(1), id(2), id(3), id(4), id(5), id(6))
    else {
        return account;
    };
    let specs = [
        code_of(
            InstanceSpec::app(home.clone(), ra.clone())
                .quota(n_users + plan.room[0])
                .max_bandwidth(bw(plan.home_max))
                .pool(home_pool.clone()),
            plan.code,
        ),
        code_of(
            InstanceSpec::app(away.clone(), rb.clone())
                .quota(n_users + plan.room[1])
                .max_bandwidth(bw(plan.away_max))
                .pool(away_pool),
            plan.code,
        ),
        code_of(
            InstanceSpec::app(full.clone(), rc.clone()).pool(full_pool.clone()),
            plan.code,
        ),
        code_of(
            InstanceSpec::app(overlap, rb.clone()).pool(
                home_pool
                    .blocks()
                    .first()
                    .map(|b| CidrPool::new(vec![*b]).unwrap_or_default())
                    .unwrap_or_default(),
            ),
            plan.code,
        ),
        InstanceSpec::app(other, rc.clone())
            .pool(other_pool)
            .enterprise_code(plan.other_code),
        InstanceSpec::app(empty, rb.clone()),
        InstanceSpec::hardware(hw, rc.clone()).pool(full_pool),
    ];
    for spec in specs {
        account.add_instance(spec).ok();
    }
    for (i, (at, pool, quota, app)) in plan.extras.iter().enumerate() {
        if let Some(x) = id(7 + i) {
            let r = region(at.index(3));
            let spec = if *app {
                InstanceSpec::app(x, r)
            } else {
                InstanceSpec::hardware(x, r)
            };
            account
                .add_instance(spec.quota(*quota).pool(pool.clone().unwrap_or_default()))
                .ok();
        }
    }
    // The other instance's code is the account's default; the spare code (unbound, so it can
    // be deleted) is created with a client token the account remembers.
    let default = crate::ops::UpdateEnterpriseCode::new(ra.clone(), plan.other_code, true);
    account.update_enterprise_code(default).ok();
    if let Some(code) = plan.spare_code {
        let create = crate::ops::CreateEnterpriseCode::new(ra.clone(), code);
        let token = super::code_requests::SETUP_TOKEN.parse().ok();
        let create = match token {
            Some(token) => create.with_client_token(token),
            None => create,
        };
        account.create_enterprise_code(create).ok();
    }

    let mut names = BTreeSet::new();
    let mut create = |account: &mut Account,
                      region: &RegionId,
                      at: &SmartAgId,
                      u: &UserPlan,
                      kbps: u32,
                      ip: Option<Ipv4Addr>|
     -> bool {
        if !names.insert(u.name.clone()) {
            return false;
        }
        let request = |client_ip: Option<Ipv4Addr>| crate::ops::CreateClientUser {
            region_id: region.clone(),
            smart_ag_id: at.clone(),
            credentials: Some(crate::ops::Credentials {
                user_name: u.name.clone(),
                password: u.password.clone(),
            }),
            user_mail: u.mail.clone(),
            bandwidth: bw(kbps),
            client_ip: client_ip.map(ClientIp::from),
        };
        account.create_client_user(request(ip)).is_ok()
            || (ip.is_some() && account.create_client_user(request(None)).is_ok())
    };
    let roam = |account: &mut Account, name: &UserName| {
        account
            .roam_client_user(crate::ops::RoamClientUser {
                region_id: rb.clone(),
                origin_region_id: ra.clone(),
                origin_smart_ag_id: home.clone(),
                target_smart_ag_id: away.clone(),
                user_name: name.clone(),
            })
            .is_ok()
    };
    let mut created = Vec::new();
    for (i, u) in plan.users.iter().enumerate() {
        // The first user roams, the second has a static address, the third is heavier than the
        // away instance's ceiling; the rest are random.
        let (kbps, ip) = match i {
            0 => (1 + u.bandwidth % plan.away_max, None),
            1 => (
                1 + u.bandwidth % plan.home_max,
                host_of(&home_pool, u.static_ip.map(|s| s.0), u.bandwidth),
            ),
            2 => (
                plan.away_max + 1 + u.bandwidth % (plan.home_max - plan.away_max).max(1),
                None,
            ),
            _ => (
                1 + u.bandwidth % plan.home_max,
                u.static_ip
                    .and_then(|(w, off)| host_of(&home_pool, Some(w), off)),
            ),
        };
        if create(&mut account, &ra, &home, u, kbps, ip) {
            created.push(u.name.clone());
            if i == 0 || (u.roam && ip.is_none() && kbps <= plan.away_max) {
                roam(&mut account, &u.name);
            }
        }
    }
    if let Some(name) = created.get(plan.used.index(created.len().max(1))) {
        account.mark_used_this_month(&ra, &home, name, true).ok();
    }
    // The first two home users online, the first twice.
    for name in created.iter().take(2).chain(created.first()) {
        account.connect(&home, name).ok();
    }
    let mut on_full = 0u32;
    for u in &plan.full_users {
        if create(&mut account, &rc, &full, u, 1 + u.bandwidth % 20_000, None) {
            on_full += 1;
        }
    }
    account.set_quota(&rc, &full, on_full).ok();
    account
}

/// Whole accounts to run requests against: instances in three regions, with client CIDR pools,
/// quotas, bandwidth ceilings, enterprise codes and users. Every account has:
///
/// - a "home" APP instance with room, users (one with a static address, one marked as used this
///   month, one roaming, the first two online), and a bandwidth ceiling of 5000 or more;
/// - an "away" APP instance in another region, with the same enterprise code (or none, like
///   home), a pool disjoint from home's, a low bandwidth ceiling and a roaming copy of a home
///   user;
/// - a full instance (quota reached), an instance whose pool overlaps home's, an instance with
///   another enterprise code, an APP instance without a pool and a hardware instance;
/// - sometimes a spare enterprise code and up to two more random instances.
///
/// Built through the account's own operations, so every invariant of `RULES.md` ("Invariants") holds.
///
/// ```
/// use proptest::prelude::*;
/// use smartag_rules::strategies::account_setup;
///
/// proptest!(ProptestConfig::with_cases(16), |(account in account_setup())| {
///     prop_assert!(account.invariant_violations().is_empty());
///     prop_assert!(account.instances().count() >= 7);
/// });
/// ```
pub fn account_setup() -> BoxedStrategy<Account> {
    plan().prop_map(build).boxed()
}

// ---------------------------------------------------------------------------------------------
// What the request strategies need to know of an account
// ---------------------------------------------------------------------------------------------

/// An instance of the account as the request strategies see it: the instance itself, and the
/// blocks of the instances a roaming user links it to.
#[derive(Clone, Debug)]
pub(super) struct InstFact {
    inst: Instance,
    pub(super) linked_blocks: Vec<CidrBlock>,
}

impl InstFact {
    pub(super) fn id(&self) -> String {
        self.inst.id().to_string()
    }

    pub(super) fn region(&self) -> String {
        self.inst.region().to_string()
    }

    pub(super) fn app(&self) -> bool {
        self.inst.accepts_client_users()
    }

    pub(super) fn pool(&self) -> &CidrPool {
        self.inst.pool()
    }

    pub(super) fn full(&self) -> bool {
        self.inst.is_full()
    }

    pub(super) fn max_bw(&self) -> u32 {
        self.inst.max_bandwidth().get()
    }

    pub(super) fn users(&self) -> impl Iterator<Item = &ClientUser> + '_ {
        self.inst.users()
    }

    pub(super) fn has(&self, name: &str) -> bool {
        name.parse()
            .is_ok_and(|name| self.inst.user(&name).is_some())
    }

    /// Whether `ip` is held: a user's static address or an online session's.
    pub(super) fn holds(&self, ip: Ipv4Addr) -> bool {
        self.inst.holds_ip(ip) || self.inst.sessions().any(|s| s.client_ip().addr() == ip)
    }

    pub(super) fn static_ips(&self) -> Vec<Ipv4Addr> {
        self.users()
            .filter_map(|u| u.client_ip().map(ClientIp::addr))
            .collect()
    }

    pub(super) fn takes_users(&self) -> bool {
        self.app() && !self.pool().is_empty()
    }

    pub(super) fn has_free_host(&self) -> bool {
        let held = self.static_ips().len() + self.inst.sessions().count();
        self.pool().host_count() > held as u64
    }

    pub(super) fn place(&self) -> Place {
        (self.region(), self.id())
    }
}

#[derive(Clone, Debug)]
pub(super) struct Facts {
    pub(super) insts: Vec<InstFact>,
    pub(super) codes: Vec<EnterpriseCode>,
    /// The account itself, whose [`Account::violations`] labels the invalid requests: the
    /// precedence of the rules lives only in the operations, never in a copy here.
    account: Rc<Account>,
}

pub(super) fn facts(account: &Account) -> Facts {
    let insts = account
        .instances()
        .map(|i| InstFact {
            inst: i.clone(),
            linked_blocks: i
                .linked_instances()
                .filter_map(|other| account.instances().find(|x| x.id() == other))
                .flat_map(|x| x.pool().blocks().to_vec())
                .collect(),
        })
        .collect();
    Facts {
        insts,
        codes: account.enterprise_codes().copied().collect(),
        account: Rc::new(account.clone()),
    }
}

impl Facts {
    /// The first error [`Account::violations`] finds in `request` (`None`: the account accepts
    /// it).
    pub(super) fn first_violation(&self, request: &Request) -> Option<Error> {
        self.account.violations(request).first().copied()
    }

    /// Labels each request with the first error [`Account::violations`] finds in it, dropping
    /// the few the account accepts. The requests are aimed at one rule, but which rule answers
    /// first is the operations' decision alone.
    pub(super) fn by_violations(
        &self,
        requests: BoxedStrategy<Request>,
    ) -> BoxedStrategy<LabelledRequest> {
        let account = Rc::clone(&self.account);
        requests
            .prop_filter_map("a request the account accepts", move |r| {
                let first = account.violations(&r).first().copied()?;
                Some((r, first))
            })
            .boxed()
    }

    pub(super) fn pick(&self, keep: impl Fn(&InstFact) -> bool) -> Option<BoxedStrategy<InstFact>> {
        choose(self.insts.iter().filter(|i| keep(i)).cloned().collect())
    }

    pub(super) fn pick_user(
        &self,
        keep: impl Fn(&InstFact, &ClientUser) -> bool,
    ) -> Option<BoxedStrategy<(InstFact, ClientUser)>> {
        let pairs: Vec<(InstFact, ClientUser)> = self
            .insts
            .iter()
            .flat_map(|i| {
                i.users()
                    .filter(|u| keep(i, u))
                    .map(move |u| (i.clone(), u.clone()))
            })
            .collect();
        choose(pairs)
    }

    /// A well-formed (region, instance ID): mostly one of the account's, sometimes made up.
    pub(super) fn any_place(&self) -> BoxedStrategy<Place> {
        let made_up = (texts(valid_region_id()), texts(valid_smart_ag_id())).boxed();
        match self.pick(|_| true) {
            Some(known) => prop_oneof![3 => known.prop_map(|i| i.place()), 1 => made_up].boxed(),
            None => made_up,
        }
    }

    /// A well-formed (region, instance ID) that names no instance of the account: an unknown
    /// ID, or a known one in another region.
    pub(super) fn nowhere(&self) -> BoxedStrategy<Place> {
        let ids: BTreeSet<String> = self.insts.iter().map(|i| i.id().clone()).collect();
        let unknown = (texts(valid_region_id()), texts(valid_smart_ag_id()))
            .prop_filter("an ID the account lacks", move |(_, id)| !ids.contains(id))
            .boxed();
        match self.pick(|_| true) {
            Some(known) => prop_oneof![
                unknown,
                known.prop_flat_map(|i| {
                    let id = i.id().clone();
                    texts(valid_region_id())
                        .prop_filter("another region", move |r| *r != i.region())
                        .prop_map(move |r| (r, id.clone()))
                }),
            ]
            .boxed(),
            None => unknown,
        }
    }

    pub(super) fn new_code(&self) -> BoxedStrategy<String> {
        let codes = self.codes.clone();
        valid_enterprise_code()
            .prop_filter("a code the account lacks", move |c| !codes.contains(c))
            .prop_map(|c| c.to_string())
            .boxed()
    }
}

/// A valid name new to the instance.
pub(super) fn new_name(inst: &InstFact) -> BoxedStrategy<String> {
    let taken: BTreeSet<String> = inst.users().map(|u| u.name().to_string()).collect();
    texts(valid_user_name())
        .prop_filter("a name new to the instance", move |n| !taken.contains(n))
        .boxed()
}

/// A free usable host of the instance's pool (the pool must have one).
pub(super) fn free_host(inst: &InstFact) -> BoxedStrategy<String> {
    let inst = inst.clone();
    (any::<Index>(), any::<u32>())
        .prop_filter_map("a free host", move |(w, off)| {
            host_of(inst.pool(), Some(w), off)
                .filter(|ip| !inst.holds(*ip))
                .map(|ip| ip.to_string())
        })
        .boxed()
}

/// A well-formed address that is not a free usable host of the instance's pool.
pub(super) fn unusable_host(inst: &InstFact) -> BoxedStrategy<String> {
    let blocks = inst.pool().blocks().to_vec();
    let pool = inst.pool().clone();
    let mut arms = vec![any::<u32>()
        .prop_map(Ipv4Addr::from)
        .prop_filter("outside the pool", move |ip| !pool.contains_host(*ip))
        .prop_map(|ip| ip.to_string())
        .boxed()];
    if let Some(b) = choose(blocks) {
        arms.push(b.clone().prop_map(|b| b.network().to_string()).boxed());
        arms.push(b.prop_map(|b| b.broadcast().to_string()).boxed());
    }
    if let Some(held) = choose(inst.static_ips()) {
        arms.push(held.prop_map(|ip| ip.to_string()).boxed());
    }
    Union::new(arms).boxed()
}
