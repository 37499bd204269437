//! A structured sequence of setup and client-user operations against one account, over a small
//! universe of regions, instance IDs, names, codes, pools and addresses (so that steps collide
//! often). After every step the SPEC.md section 5 invariants hold; a failed step leaves the
//! account exactly as it was; and for requests, `violations` agrees with `execute` (empty on
//! success, its first element the error on failure).
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use smartag_rules::{
    Account, Bandwidth, BindEnterpriseCodeRaw, CidrBlock, CidrPool, ClientUserRefRaw,
    CreateClientUserRaw, CreateEnterpriseCodeRaw, CreateSoftwareRaw, DescribeClientUsersRaw,
    EnterpriseCode, Error, InstanceSpec, ModifyClientUserRaw, ModifyGatewayRaw, RegionId, Request,
    ResetPasswordRaw, RoamClientUserRaw, SmartAgId,
};

const REGIONS: [&str; 3] = ["cn-shanghai", "cn-hangzhou", "ap-southeast-1"];
/// Four instance IDs, and two that are malformed.
const IDS: [&str; 6] = ["sag-a1", "sag-b2", "sag-c3", "sag-d4", "", "SAG-A1"];
/// Four user names, and one that is malformed.
const NAMES: [&str; 5] = ["alice001", "bob00002", "carol003", "dave.004", "abc"];
const CODES: [&str; 3] = ["AB123", "ab123", "XY789"];
/// Small blocks, some overlapping each other, in the three private ranges.
const BLOCKS: [&str; 8] = [
    "10.0.0.0/30",
    "10.0.0.0/29",
    "10.0.0.4/30",
    "10.0.1.0/24",
    "192.168.0.0/30",
    "192.168.0.0/24",
    "172.16.0.0/30",
    "172.16.0.8/29",
];
/// Addresses in and around those blocks (network, hosts, broadcast, outside).
const IPS: [&str; 10] = [
    "10.0.0.0",
    "10.0.0.1",
    "10.0.0.2",
    "10.0.0.3",
    "10.0.0.5",
    "10.0.1.7",
    "192.168.0.1",
    "192.168.0.2",
    "172.16.0.9",
    "8.8.8.8",
];

/// Where a step acts: an instance ID of the universe, and a region: `None` for the instance's
/// own region (so that most steps find their instance), else one of the universe.
#[derive(Arbitrary, Debug, Clone, Copy)]
struct Place {
    id: u8,
    region: Option<u8>,
}

fn pick(table: &'static [&'static str], i: u8) -> &'static str {
    table[usize::from(i) % table.len()]
}

#[derive(Arbitrary, Debug)]
enum Step {
    AddInstance {
        id: u8,
        region: u8,
        hardware: bool,
        quota: u8,
        blocks: Vec<u8>,
        code: Option<u8>,
        max_bandwidth: u16,
    },
    SetPool(Place, Vec<u8>),
    SetQuota(Place, u8),
    SetMaxBandwidth(Place, u16),
    CreateCode(u8),
    BindCode(Place, u8),
    MarkUsed(Place, u8, bool),
    Create {
        at: Place,
        name: Option<u8>,
        password: bool,
        ip: Option<u8>,
        bandwidth: Option<u16>,
    },
    Modify {
        at: Place,
        name: u8,
        bandwidth: u16,
        email: bool,
    },
    Roam {
        origin: Place,
        /// `None`: the first instance (by ID) of another region than the origin's.
        target: Option<Place>,
        name: u8,
    },
    UserRef {
        action: u8,
        at: Place,
        name: u8,
    },
    Describe {
        at: Place,
        page: u8,
        size: u8,
    },
    Gateway(Place, Vec<u8>),
    Software(u8, u8),
    CodeRequest {
        at: Place,
        code: u8,
        bind: bool,
    },
    /// Any raw request at all, from the crate's `Arbitrary`.
    Anything(Request),
}

fn pool_text(blocks: &[u8]) -> String {
    blocks
        .iter()
        .take(12)
        .map(|&b| pick(&BLOCKS, b))
        .collect::<Vec<_>>()
        .join(",")
}

/// The valid pool of the first blocks that do not overlap the ones before them.
fn pool(blocks: &[u8]) -> CidrPool {
    let mut kept: Vec<CidrBlock> = Vec::new();
    for &b in blocks.iter().take(12) {
        if let Ok(block) = pick(&BLOCKS, b).parse::<CidrBlock>() {
            if !kept.iter().any(|k| k.overlaps(&block)) && kept.len() < CidrPool::MAX_BLOCKS {
                kept.push(block);
            }
        }
    }
    CidrPool::new(kept).unwrap_or_default()
}

fn region(i: u8) -> RegionId {
    pick(&REGIONS, i).parse().expect("a valid region")
}

fn id(i: u8) -> SmartAgId {
    // Only the four well-formed IDs of the universe.
    pick(&IDS[..4], i).parse().expect("a valid ID")
}

fn code(i: u8) -> EnterpriseCode {
    pick(&CODES, i).parse().expect("a valid code")
}

/// The (region, ID) texts of a place.
fn place(account: &Account, p: Place) -> (String, String) {
    let id = pick(&IDS, p.id);
    let region = match p.region {
        Some(r) => pick(&REGIONS, r),
        None => account
            .instances()
            .find(|i| i.id().as_str() == id)
            .map_or(REGIONS[0], |i| pick_region(i.region().as_str())),
    };
    (region.to_string(), id.to_string())
}

fn pick_region(r: &str) -> &'static str {
    REGIONS
        .iter()
        .copied()
        .find(|x| *x == r)
        .unwrap_or(REGIONS[0])
}

/// The typed (region, ID) of a place, for the setup API.
fn typed(account: &Account, p: Place) -> (RegionId, SmartAgId) {
    let (r, _) = place(account, p);
    (r.parse().expect("a valid region"), id(p.id))
}

fn request(account: &Account, step: &Step) -> Option<Request> {
    let at = |p: Place| {
        let (r, i) = place(account, p);
        (Some(r), Some(i))
    };
    let name = |n: u8| Some(pick(&NAMES, n).to_string());
    Some(match *step {
        Step::Create {
            at: p,
            name: n,
            password,
            ip,
            bandwidth,
        } => {
            let (region_id, smart_ag_id) = at(p);
            Request::CreateClientUser(CreateClientUserRaw {
                region_id,
                smart_ag_id,
                user_name: n.and_then(name),
                password: password.then(|| "duuf1234".to_string()),
                user_mail: Some("user@example.com".into()),
                bandwidth: bandwidth.map(|b| b.to_string()),
                client_ip: ip.map(|i| pick(&IPS, i).to_string()),
            })
        }
        Step::Modify {
            at: p,
            name: n,
            bandwidth,
            email,
        } => {
            let (region_id, smart_ag_id) = at(p);
            Request::ModifyClientUser(ModifyClientUserRaw {
                region_id,
                smart_ag_id,
                user_name: name(n),
                bandwidth: Some(bandwidth.to_string()),
                email: email.then(|| "other@example.org".to_string()),
            })
        }
        Step::Roam {
            origin,
            target,
            name: n,
        } => {
            let (origin_region_id, origin_smart_ag_id) = at(origin);
            let (region_id, target_smart_ag_id) = match target {
                Some(t) => at(t),
                None => account
                    .instances()
                    .find(|i| Some(i.region().as_str()) != origin_region_id.as_deref())
                    .map_or((None, None), |i| {
                        (Some(i.region().to_string()), Some(i.id().to_string()))
                    }),
            };
            Request::RoamClientUser(RoamClientUserRaw {
                region_id,
                origin_region_id,
                origin_smart_ag_id,
                target_smart_ag_id,
                user_name: name(n),
            })
        }
        Step::UserRef {
            action,
            at: p,
            name: n,
        } => {
            let (region_id, smart_ag_id) = at(p);
            let raw = ClientUserRefRaw {
                region_id,
                smart_ag_id,
                user_name: name(n),
            };
            match action % 4 {
                0 => Request::DeleteClientUser(raw),
                1 => Request::EnableUser(raw),
                2 => Request::DisableUser(raw),
                _ => Request::ResetClientUserPassword(ResetPasswordRaw {
                    region_id: raw.region_id,
                    smart_ag_id: raw.smart_ag_id,
                    user_name: raw.user_name,
                    password: (action % 8 == 7).then(|| "newpass99".to_string()),
                }),
            }
        }
        Step::Describe { at: p, page, size } => {
            let (region_id, smart_ag_id) = at(p);
            Request::DescribeClientUsers(DescribeClientUsersRaw {
                region_id,
                smart_ag_id,
                user_name: None,
                user_mail: None,
                page_number: Some(page.to_string()),
                page_size: Some(size.to_string()),
            })
        }
        Step::Gateway(p, ref blocks) => {
            let (region_id, smart_ag_id) = at(p);
            Request::ModifyGateway(ModifyGatewayRaw {
                region_id,
                smart_ag_id,
                cidr_block: Some(pool_text(blocks)),
            })
        }
        Step::Software(r, count) => Request::CreateSoftware(CreateSoftwareRaw {
            region_id: Some(pick(&REGIONS, r).to_string()),
            user_count: Some(count.to_string()),
        }),
        Step::CodeRequest { at: p, code, bind } => {
            let (region_id, smart_ag_id) = at(p);
            let enterprise_code = Some(pick(&CODES, code).to_string());
            if bind {
                Request::BindEnterpriseCode(BindEnterpriseCodeRaw {
                    region_id,
                    smart_ag_id,
                    enterprise_code,
                })
            } else {
                Request::CreateEnterpriseCode(CreateEnterpriseCodeRaw {
                    region_id,
                    enterprise_code,
                })
            }
        }
        Step::Anything(ref r) => r.clone(),
        _ => return None,
    })
}

/// Runs a setup step through the typed API.
fn setup(account: &mut Account, step: &Step) -> Result<(), Error> {
    match *step {
        Step::AddInstance {
            id: i,
            region: r,
            hardware,
            quota,
            ref blocks,
            code: c,
            max_bandwidth,
        } => {
            let spec = if hardware {
                InstanceSpec::hardware(id(i), region(r))
            } else {
                InstanceSpec::app(id(i), region(r))
            };
            let mut spec = spec
                .quota(u32::from(quota % 8))
                .pool(pool(blocks))
                .max_bandwidth(Bandwidth::new(u32::from(max_bandwidth) % 20_000 + 1)?);
            if let Some(c) = c {
                spec = spec.enterprise_code(code(c));
            }
            account.add_instance(spec).map(|_| ())
        }
        Step::SetPool(p, ref blocks) => {
            let (r, i) = typed(account, p);
            account.set_cidr_pool(&r, &i, pool(blocks))
        }
        Step::SetQuota(p, quota) => {
            let (r, i) = typed(account, p);
            account.set_quota(&r, &i, u32::from(quota % 8))
        }
        Step::SetMaxBandwidth(p, kbps) => {
            let (r, i) = typed(account, p);
            account.set_max_bandwidth(&r, &i, Bandwidth::new(u32::from(kbps) % 20_000 + 1)?)
        }
        Step::CreateCode(c) => account.create_enterprise_code(code(c)),
        Step::BindCode(p, c) => {
            let (r, i) = typed(account, p);
            account.bind_enterprise_code(&r, &i, code(c))
        }
        Step::MarkUsed(p, name, used) => {
            let (r, i) = typed(account, p);
            account.mark_used_this_month(&r, &i, pick(&NAMES, name), used)
        }
        _ => Ok(()),
    }
}

fuzz_target!(|steps: Vec<Step>| {
    // Two instances to start from, in two regions with disjoint pools, and three users (one
    // with a static address), so that short inputs reach the client-user and roaming rules.
    let mut account = Account::with_seed(7);
    for (i, r, blocks) in [(0u8, 0u8, [0u8]), (1, 1, [5])] {
        let spec = InstanceSpec::app(id(i), region(r))
            .quota(3)
            .pool(pool(&blocks));
        account.add_instance(spec).expect("a fresh instance");
    }
    for (at, name, ip) in [(0u8, 0u8, None), (0, 1, Some(1u8)), (1, 2, None)] {
        let create = Step::Create {
            at: Place {
                id: at,
                region: None,
            },
            name: Some(name),
            password: true,
            ip,
            bandwidth: None,
        };
        if let Some(create) = request(&account, &create) {
            account.execute(&create).expect("a starting user");
        }
    }
    for step in steps.iter().take(64) {
        let before = account.clone();
        match request(&account, step) {
            Some(request) => {
                let violations = account.violations(&request);
                match account.execute(&request) {
                    Ok(_) => assert!(
                        violations.is_empty(),
                        "{request:?} succeeded despite {violations:?}"
                    ),
                    Err(e) => {
                        assert_eq!(violations.first(), Some(&e), "{request:?}");
                        assert!(account == before, "failed {request:?} changed the account");
                    }
                }
            }
            None => {
                if setup(&mut account, step).is_err() {
                    assert!(account == before, "failed {step:?} changed the account");
                }
            }
        }
        let broken = account.invariant_violations();
        assert!(broken.is_empty(), "after {step:?}: {broken:?}");
    }
});
