//! Requests of the setup operations.

#[allow(unused_imports)]
use super::*;

/// `CreateSmartAccessGatewaySoftware` in `region` with `UserCount` = `count`.
pub(super) fn software_raw(region: String, count: u32) -> CreateSoftwareRaw {
    CreateSoftwareRaw::default()
        .region_id(region)
        .user_count(count.to_string())
        .period("12")
        .auto_pay("true")
        .charge_type(crate::ops::CreateSoftware::CHARGE_TYPE)
        .data_plan(crate::ops::CreateSoftware::DATA_PLAN)
}

/// `CreateEnterpriseCode` of `code` in `region`.
pub(super) fn new_code_raw(region: String, code: String) -> CreateEnterpriseCodeRaw {
    CreateEnterpriseCodeRaw::default()
        .region_id(region)
        .enterprise_code(code)
}

/// Valid `CreateSmartAccessGatewaySoftware` requests: a region and a quota from 1. Always
/// `Some` (buying an instance needs nothing of the account).
pub fn valid_create_software_request(_account: &Account) -> Option<BoxedStrategy<Request>> {
    Some(
        (texts(valid_region_id()), 1u32..=10_000)
            .prop_map(|(r, n)| Request::CreateSoftware(software_raw(r, n)))
            .boxed(),
    )
}

/// Invalid `CreateSmartAccessGatewaySoftware` requests, labelled with the first error:
/// `MissingParameter` (no region or no `UserCount`), `InvalidParameter` (a malformed region, or
/// a `UserCount` that is not a whole number from 1).
pub fn invalid_create_software_request(_account: &Account) -> BoxedStrategy<LabelledRequest> {
    let wrap = Request::CreateSoftware as fn(_) -> _;
    let base = (texts(valid_region_id()), 1u32..=10_000)
        .prop_map(|(r, n)| software_raw(r, n))
        .boxed();
    let bad_count = prop_oneof![
        Just((None, Error::MissingParameter)),
        Just((Some(String::new()), Error::MissingParameter)),
        some(labelled(
            &["0", "-1", "abc", "1.5", " 3", "3 ", "4294967296", "000"],
            Error::InvalidParameter
        )),
    ]
    .boxed();
    Union::new(vec![
        corrupt(&base, bad_region(), |r, v| r.region_id = v, wrap),
        corrupt(&base, bad_count, |r, v| r.user_count = v, wrap),
    ])
    .boxed()
}

pub(super) fn gateway_raw((region, id): Place, cidr_block: Option<String>) -> Request {
    let mut raw = ModifyGatewayRaw::default()
        .region_id(region)
        .smart_ag_id(id);
    raw.cidr_block = cidr_block;
    Request::ModifyGateway(raw)
}

/// Blocks that overlap none of `avoid`, appended to `keep`, at most ten in all.
pub(super) fn pool_around(
    keep: Vec<CidrBlock>,
    avoid: Vec<CidrBlock>,
) -> BoxedStrategy<Option<String>> {
    vec(valid_cidr_block(), 0..=4)
        .prop_map(move |extra| {
            let mut blocks = keep.clone();
            for b in extra {
                let clear = !avoid.iter().chain(&blocks).any(|a| a.overlaps(&b));
                if clear && blocks.len() < CidrPool::MAX_BLOCKS {
                    blocks.push(b);
                }
            }
            let texts: Vec<String> = blocks.iter().map(|b| b.to_string()).collect();
            Some(texts.join(",")).filter(|t| !t.is_empty())
        })
        .boxed()
}

/// Valid `ModifySmartAccessGateway` requests: no `CidrBlock` (nothing changes), or a pool that
/// keeps every static user's block and overlaps no pool of a roaming-linked instance. `None`
/// when the account has no instance.
pub fn valid_modify_gateway_request(account: &Account) -> Option<BoxedStrategy<Request>> {
    facts(account).pick(|_| true).map(|s| {
        s.prop_flat_map(|i| {
            let keep: Vec<CidrBlock> = i
                .pool()
                .blocks()
                .iter()
                .filter(|b| i.static_ips().iter().any(|ip| b.contains_host(*ip)))
                .copied()
                .collect();
            let place = i.place();
            prop_oneof![1 => Just(None), 4 => pool_around(keep, i.linked_blocks.clone())]
                .prop_map(move |cidr| gateway_raw(place.clone(), cidr))
        })
        .boxed()
    })
}

/// Invalid `ModifySmartAccessGateway` requests, labelled with the first error: the form errors
/// of `RegionId` and `SmartAGId`, every error of a malformed `CidrBlock` (see
/// [`invalid_cidr_pool`]), `SAG.InstanceNoFound`, and where the account allows
/// `SAG.CidrOverlap` (a roaming-linked instance's pool) and `SAG.InvalidCidr` (a static user's
/// address left out).
pub fn invalid_modify_gateway_request(account: &Account) -> BoxedStrategy<LabelledRequest> {
    let f = facts(account);
    let wrap = Request::ModifyGateway as fn(_) -> _;
    let base = (f.any_place(), option::of(texts(valid_cidr_pool())))
        .prop_map(|((region, id), cidr)| {
            let mut raw = ModifyGatewayRaw::default()
                .region_id(region)
                .smart_ag_id(id);
            raw.cidr_block = cidr;
            raw
        })
        .boxed();
    let mut arms = instance_arms(&f, &base, wrap);
    let cidr = corrupt(
        &base,
        some(invalid_cidr_pool()),
        |r, v| r.cidr_block = v,
        wrap,
    );
    arms.push(cidr);
    // The state rules: each arm aims at one rule; the label is what the account answers.
    if let Some(s) = f.pick(|i| !i.linked_blocks.is_empty()) {
        let linked = s.prop_flat_map(|i| {
            let place = i.place();
            select(i.linked_blocks.clone())
                .prop_map(move |b| gateway_raw(place.clone(), Some(b.to_string())))
        });
        arms.push(f.by_violations(linked.boxed()));
    }
    if let Some(s) = f.pick(|i| !i.static_ips().is_empty()) {
        let stranding = s.prop_flat_map(|i| {
            let place = i.place();
            let ips = i.static_ips();
            valid_cidr_block()
                .prop_filter("strands a static user", move |b| {
                    ips.iter().any(|ip| !b.contains_host(*ip))
                })
                .prop_map(move |b| gateway_raw(place.clone(), Some(b.to_string())))
        });
        arms.push(f.by_violations(stranding.boxed()));
    }
    Union::new(arms).boxed()
}

/// Flips the case of some letters (codes compare case-insensitively).
pub(super) fn recase(code: BoxedStrategy<String>) -> BoxedStrategy<String> {
    (code, any::<u8>())
        .prop_map(|(c, mask)| {
            c.chars()
                .enumerate()
                .map(|(i, ch)| {
                    if mask >> (i % 8) & 1 == 1 {
                        if ch.is_ascii_lowercase() {
                            ch.to_ascii_uppercase()
                        } else {
                            ch.to_ascii_lowercase()
                        }
                    } else {
                        ch
                    }
                })
                .collect()
        })
        .boxed()
}

/// Valid `CreateEnterpriseCode` requests: a code the account does not have (in any case).
/// Always `Some`.
pub fn valid_create_enterprise_code_request(account: &Account) -> Option<BoxedStrategy<Request>> {
    let f = facts(account);
    Some(
        (texts(valid_region_id()), f.new_code())
            .prop_map(|(r, c)| Request::CreateEnterpriseCode(new_code_raw(r, c)))
            .boxed(),
    )
}

/// Invalid `CreateEnterpriseCode` requests, labelled with the first error: the form errors of
/// `RegionId` and `EnterpriseCode` (`MissingParameter`, `InvalidParameter`), and
/// `EnterpriseCode.BeenOccupied` for a code the account has (in any case).
pub fn invalid_create_enterprise_code_request(account: &Account) -> BoxedStrategy<LabelledRequest> {
    let f = facts(account);
    let wrap = Request::CreateEnterpriseCode as fn(_) -> _;
    let base = (texts(valid_region_id()), f.new_code())
        .prop_map(|(r, c)| new_code_raw(r, c))
        .boxed();
    let bad_enterprise_code = or_absent(invalid_enterprise_code(), Error::MissingParameter);
    let mut arms = vec![
        corrupt(&base, bad_region(), |r, v| r.region_id = v, wrap),
        corrupt(
            &base,
            bad_enterprise_code,
            |r, v| r.enterprise_code = v,
            wrap,
        ),
    ];
    if let Some(codes) = choose(f.codes.iter().map(|c| c.to_string()).collect()) {
        arms.push(
            (texts(valid_region_id()), recase(codes))
                .prop_map(move |(r, c)| {
                    (wrap(new_code_raw(r, c)), Error::EnterpriseCodeBeenOccupied)
                })
                .boxed(),
        );
    }
    Union::new(arms).boxed()
}

pub(super) fn bind_raw((region, id): Place, code: String) -> BindEnterpriseCodeRaw {
    BindEnterpriseCodeRaw::default()
        .region_id(region)
        .smart_ag_id(id)
        .enterprise_code(code)
}

/// Valid `UpdateSmartAGEnterpriseCode` requests: an instance and a code of the account (in any
/// case). `None` when the account has no instance or no code.
pub fn valid_bind_enterprise_code_request(account: &Account) -> Option<BoxedStrategy<Request>> {
    let f = facts(account);
    let codes = choose(f.codes.iter().map(|c| c.to_string()).collect())?;
    let insts = f.pick(|_| true)?;
    Some(
        (insts, recase(codes))
            .prop_map(|(i, c)| Request::BindEnterpriseCode(bind_raw(i.place(), c)))
            .boxed(),
    )
}

/// Invalid `UpdateSmartAGEnterpriseCode` requests, labelled with the first error: the form
/// errors of `RegionId`, `SmartAGId` and `EnterpriseCode`, `SAG.InstanceNoFound`, and
/// `EnterpriseCode.NotExist` for a code the account never created.
pub fn invalid_bind_enterprise_code_request(account: &Account) -> BoxedStrategy<LabelledRequest> {
    let f = facts(account);
    let wrap = Request::BindEnterpriseCode as fn(_) -> _;
    let base = (f.any_place(), texts(valid_enterprise_code()))
        .prop_map(|(place, c)| bind_raw(place, c))
        .boxed();
    let bad_code = or_absent(invalid_enterprise_code(), Error::MissingParameter);
    let mut arms = instance_arms(&f, &base, wrap);
    arms.push(corrupt(&base, bad_code, |r, v| r.enterprise_code = v, wrap));
    if let Some(s) = f.pick(|_| true) {
        arms.push(
            (s, f.new_code())
                .prop_map(move |(i, c)| {
                    (wrap(bind_raw(i.place(), c)), Error::EnterpriseCodeNotExist)
                })
                .boxed(),
        );
    }
    Union::new(arms).boxed()
}
