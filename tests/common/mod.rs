//! Helpers shared by the operation tests (`operations.rs`, `roaming.rs`, `setup_ops.rs`):
//! fixtures, builders of raw requests, a second path through the typed API, and the checks
//! every succeeding or failing request goes through.
//!
//! Every failing request of these tests goes through [`fails`], which checks, for one request:
//! - `Account::execute` answers exactly the expected error and leaves the account `==` to its
//!   clone from before the call;
//! - the typed path ([`run_typed`]: validate the raw form, then call the typed method) answers
//!   the same error and leaves the account unchanged too;
//! - `Account::violations` is not empty and its first element is that error.
//!
//! Every succeeding request goes through [`ok`]: `violations` is empty, `execute` succeeds, the
//! typed path gives the same answer and the same account, and the invariants of `RULES.md`
//! ("Invariants") hold afterwards.
#![allow(dead_code)]

pub mod cases;

use smartag_rules::{
    Account, Bandwidth, BindEnterpriseCodeRaw, CidrPool, ClientUserInfo, ClientUserPage,
    ClientUserRefRaw, CreateClientUserRaw, CreateEnterpriseCodeRaw, CreateSoftwareRaw,
    DescribeClientUsersRaw, EnterpriseCode, Error, Instance, InstanceSpec, ModifyClientUserRaw,
    ModifyGatewayRaw, RegionId, Request, ResetPasswordRaw, Response, RoamClientUserRaw, SmartAgId,
    UserState,
};

pub const SH: &str = "cn-shanghai";
pub const BJ: &str = "cn-beijing";
pub const SG: &str = "ap-southeast-1";
pub const MAIL: &str = "username@example.com";
pub const PASSWORD: &str = "duuf1234";

// ---------------------------------------------------------------------------------------------
// Typed values from literals (the literals are valid: a failure is a broken test).
// ---------------------------------------------------------------------------------------------

pub fn region(s: &str) -> RegionId {
    s.parse().unwrap_or_else(|e| panic!("region {s:?}: {e}"))
}

pub fn sag(s: &str) -> SmartAgId {
    s.parse()
        .unwrap_or_else(|e| panic!("instance ID {s:?}: {e}"))
}

/// A pool from text; `""` is the empty pool.
pub fn pool(s: &str) -> CidrPool {
    if s.is_empty() {
        CidrPool::empty()
    } else {
        s.parse().unwrap_or_else(|e| panic!("pool {s:?}: {e}"))
    }
}

pub fn code(s: &str) -> EnterpriseCode {
    s.parse()
        .unwrap_or_else(|e| panic!("enterprise code {s:?}: {e}"))
}

pub fn bandwidth(kbps: u32) -> Bandwidth {
    Bandwidth::new(kbps).unwrap_or_else(|e| panic!("bandwidth {kbps}: {e}"))
}

// ---------------------------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------------------------

/// The spec of an APP instance with `quota` and `pool` (`""`: no block).
pub fn app(id: &str, region_id: &str, quota: u32, cidr: &str) -> InstanceSpec {
    InstanceSpec::app(sag(id), region(region_id))
        .quota(quota)
        .pool(pool(cidr))
}

/// Adds an instance (its ID must be new).
pub fn add(account: &mut Account, spec: InstanceSpec) {
    let id = spec.id.clone();
    if let Err(e) = account.add_instance(spec) {
        panic!("add_instance {id}: {e}");
    }
}

/// The instance `id` of `region_id`, which must exist.
pub fn instance<'a>(account: &'a Account, region_id: &str, id: &str) -> &'a Instance {
    account
        .instance(&region(region_id), &sag(id))
        .unwrap_or_else(|| panic!("no instance {id} in {region_id}"))
}

/// The names of an instance's users, in creation order.
pub fn names(account: &Account, region_id: &str, id: &str) -> Vec<String> {
    instance(account, region_id, id)
        .users()
        .map(|u| u.name().as_str().to_owned())
        .collect()
}

/// Creates user `name` (password [`PASSWORD`], mail [`MAIL`]) through [`ok`].
pub fn add_user(account: &mut Account, region_id: &str, id: &str, name: &str) -> ClientUserInfo {
    user_info(ok(
        account,
        &Request::CreateClientUser(create(region_id, id, name)),
    ))
}

/// Creates user `name` with the static address `ip` through [`ok`].
pub fn add_static_user(
    account: &mut Account,
    region_id: &str,
    id: &str,
    name: &str,
    ip: &str,
) -> ClientUserInfo {
    let raw = create(region_id, id, name).client_ip(ip);
    user_info(ok(account, &Request::CreateClientUser(raw)))
}

// ---------------------------------------------------------------------------------------------
// Raw requests, every required parameter present and valid
// ---------------------------------------------------------------------------------------------

/// Create `name` with [`PASSWORD`] and [`MAIL`], default bandwidth, no client IP.
pub fn create(region_id: &str, id: &str, name: &str) -> CreateClientUserRaw {
    CreateClientUserRaw::default()
        .region_id(region_id)
        .smart_ag_id(id)
        .user_name(name)
        .password(PASSWORD)
        .user_mail(MAIL)
}

/// Modify `name`'s bandwidth to `kbps`, no `Email`.
pub fn modify(region_id: &str, id: &str, name: &str, kbps: &str) -> ModifyClientUserRaw {
    ModifyClientUserRaw::default()
        .region_id(region_id)
        .smart_ag_id(id)
        .user_name(name)
        .bandwidth(kbps)
}

/// Roam `name` from `origin` (in `origin_region`) to `target` (in `target_region`).
pub fn roam(
    origin_region: &str,
    origin: &str,
    target_region: &str,
    target: &str,
    name: &str,
) -> RoamClientUserRaw {
    RoamClientUserRaw::default()
        .region_id(target_region)
        .origin_region_id(origin_region)
        .origin_smart_ag_id(origin)
        .target_smart_ag_id(target)
        .user_name(name)
}

/// A request naming one user (delete, enable, disable).
pub fn user_ref(region_id: &str, id: &str, name: &str) -> ClientUserRefRaw {
    ClientUserRefRaw::default()
        .region_id(region_id)
        .smart_ag_id(id)
        .user_name(name)
}

/// Describe with no filter and the default paging.
pub fn describe(region_id: &str, id: &str) -> DescribeClientUsersRaw {
    DescribeClientUsersRaw::default()
        .region_id(region_id)
        .smart_ag_id(id)
}

/// Reset `name`'s password (`None`: generated).
pub fn reset(region_id: &str, id: &str, name: &str, password: Option<&str>) -> ResetPasswordRaw {
    let mut raw = ResetPasswordRaw::default()
        .region_id(region_id)
        .smart_ag_id(id)
        .user_name(name);
    raw.password = password.map(Into::into);
    raw
}

/// `ModifySmartAccessGateway` with `CidrBlock` = `cidr` (`None`: absent).
pub fn gateway(region_id: &str, id: &str, cidr: Option<&str>) -> ModifyGatewayRaw {
    let mut raw = ModifyGatewayRaw::default()
        .region_id(region_id)
        .smart_ag_id(id);
    raw.cidr_block = cidr.map(Into::into);
    raw
}

/// `CreateSmartAccessGatewaySoftware` with `UserCount` = `user_count` and valid billing
/// parameters (`Period=12`, `AutoPay=true`, `ChargeType=PREPAY`, `DataPlan=5`).
pub fn software(region_id: &str, user_count: &str) -> CreateSoftwareRaw {
    CreateSoftwareRaw::default()
        .region_id(region_id)
        .user_count(user_count)
        .period("12")
        .auto_pay("true")
        .charge_type("PREPAY")
        .data_plan("5")
}

/// `CreateEnterpriseCode`.
pub fn new_code(region_id: &str, enterprise_code: &str) -> CreateEnterpriseCodeRaw {
    CreateEnterpriseCodeRaw::default()
        .region_id(region_id)
        .enterprise_code(enterprise_code)
}

/// `UpdateSmartAGEnterpriseCode`.
pub fn bind(region_id: &str, id: &str, enterprise_code: &str) -> BindEnterpriseCodeRaw {
    BindEnterpriseCodeRaw::default()
        .region_id(region_id)
        .smart_ag_id(id)
        .enterprise_code(enterprise_code)
}

// ---------------------------------------------------------------------------------------------
// Responses
// ---------------------------------------------------------------------------------------------

pub fn user_info(response: Response) -> ClientUserInfo {
    match response {
        Response::ClientUser(info) => info,
        other => panic!("expected a ClientUser answer, got {other:?}"),
    }
}

pub fn page(response: Response) -> ClientUserPage {
    match response {
        Response::ClientUsers(page) => page,
        other => panic!("expected a ClientUsers answer, got {other:?}"),
    }
}

pub fn created_id(response: Response) -> SmartAgId {
    match response {
        Response::InstanceCreated(id) => id,
        other => panic!("expected an InstanceCreated answer, got {other:?}"),
    }
}

pub fn done(response: Response) {
    assert_eq!(response, Response::Done);
}

/// The names of a described page, in order.
pub fn page_names(page: &ClientUserPage) -> Vec<String> {
    page.users
        .iter()
        .map(|u| u.user_name.as_str().to_owned())
        .collect()
}

// ---------------------------------------------------------------------------------------------
// The typed path
// ---------------------------------------------------------------------------------------------

/// Runs `request` through the typed API instead of [`Account::execute`]: the raw form is
/// validated into the typed request, then the typed method runs.
pub fn run_typed(account: &mut Account, request: &Request) -> Result<Response, Error> {
    match request {
        Request::CreateClientUser(r) => account
            .create_client_user(r.validate()?)
            .map(Response::ClientUser),
        Request::ModifyClientUser(r) => account
            .modify_client_user(r.validate()?)
            .map(Response::ClientUser),
        Request::RoamClientUser(r) => account
            .roam_client_user(r.validate()?)
            .map(|_| Response::Done),
        Request::DeleteClientUser(r) => account
            .delete_client_user(r.validate()?)
            .map(|()| Response::Done),
        Request::DescribeClientUsers(r) => account
            .describe_client_users(r.validate()?)
            .map(Response::ClientUsers),
        Request::ResetClientUserPassword(r) => account
            .reset_password(r.validate()?)
            .map(|()| Response::Done),
        Request::EnableUser(r) => account
            .set_user_state(r.validate()?, UserState::Enabled)
            .map(|()| Response::Done),
        Request::DisableUser(r) => account
            .set_user_state(r.validate()?, UserState::Disabled)
            .map(|()| Response::Done),
        Request::CreateSoftware(r) => Ok(Response::InstanceCreated(
            account.create_software(r.validate()?),
        )),
        Request::ModifyGateway(r) => account
            .modify_gateway(r.validate()?)
            .map(|()| Response::Done),
        Request::CreateEnterpriseCode(r) => account
            .create_enterprise_code(r.validate()?)
            .map(|()| Response::Done),
        Request::BindEnterpriseCode(r) => account
            .bind_enterprise_code(r.validate()?)
            .map(|()| Response::Done),
        Request::ListEnterpriseCode(r) => account
            .list_enterprise_codes(r.validate()?)
            .map(Response::EnterpriseCodes),
        Request::UpdateEnterpriseCode(r) => account
            .update_enterprise_code(r.validate()?)
            .map(|()| Response::Done),
        Request::DeleteEnterpriseCode(r) => account
            .delete_enterprise_code(r.validate()?)
            .map(|()| Response::Done),
        Request::DescribeUserOnlineClients(r) => account
            .describe_user_online_clients(r.validate()?)
            .map(Response::OnlineClients),
        Request::KickOutClients(r) => account
            .kick_out_clients(r.validate()?)
            .map(|()| Response::Done),
        other => panic!("no typed path for {}", other.action()),
    }
}

// ---------------------------------------------------------------------------------------------
// The checks
// ---------------------------------------------------------------------------------------------

/// `request` succeeds: `violations` is empty, `execute` succeeds, the typed path gives the same
/// answer and leaves the same account, and the invariants hold. Returns the answer.
#[track_caller]
pub fn ok(account: &mut Account, request: &Request) -> Response {
    let violations = account.violations(request);
    assert!(
        violations.is_empty(),
        "{} should succeed, but violations = {violations:?}",
        request.action()
    );
    let mut typed = account.clone();
    let typed_answer = run_typed(&mut typed, request);
    let answer = account
        .execute(request)
        .unwrap_or_else(|e| panic!("{} failed with {e:?}", request.action()));
    assert_eq!(
        typed_answer.as_ref(),
        Ok(&answer),
        "typed path of {}",
        request.action()
    );
    assert!(
        typed == *account,
        "the typed path of {} left a different account",
        request.action()
    );
    let broken = account.invariant_violations();
    assert!(broken.is_empty(), "invariants broken: {broken:?}");
    answer
}

/// `request` fails with `expected` through `execute` and through the typed path, each leaving the
/// account unchanged, and `violations` starts with `expected`. Returns all the violations.
#[track_caller]
pub fn fails(account: &mut Account, request: &Request, expected: Error) -> Vec<Error> {
    let before = account.clone();
    let violations = account.violations(request);
    assert_eq!(
        violations.first(),
        Some(&expected),
        "first violation of {} (all: {violations:?})",
        request.action()
    );
    assert_eq!(
        account.execute(request),
        Err(expected),
        "execute {}",
        request.action()
    );
    assert!(
        *account == before,
        "the failed {} changed the account",
        request.action()
    );
    let mut typed = before.clone();
    assert_eq!(
        run_typed(&mut typed, request),
        Err(expected),
        "typed path of {}",
        request.action()
    );
    assert!(
        typed == before,
        "the failed typed {} changed the account",
        request.action()
    );
    violations
}

/// [`fails`], and `violations` is exactly `all` (its first element is the error).
#[track_caller]
pub fn fails_with(account: &mut Account, request: &Request, all: &[Error]) {
    let first = *all.first().expect("at least one expected violation");
    let violations = fails(account, request, first);
    assert_eq!(violations, all, "violations of {}", request.action());
}

/// A request that breaks two rules: `first` wins, and `violations` lists `first` and, after it,
/// `second`.
#[track_caller]
pub fn precedes(account: &mut Account, request: &Request, first: Error, second: Error) {
    let violations = fails(account, request, first);
    assert!(
        violations.iter().skip(1).any(|&e| e == second),
        "{} should also list {second:?} after {first:?}: {violations:?}",
        request.action()
    );
}

/// Asserts a success's bodies, in JSON and in XML, byte for byte (the wire layer's answers to
/// a request `request_id`).
#[cfg(feature = "wire")]
#[track_caller]
pub fn assert_bodies(
    success: &smartag_rules::wire::Success,
    request_id: &str,
    json: &str,
    xml: &str,
) {
    use smartag_rules::wire::{success_body, Format};
    assert_eq!(
        success_body(success, request_id, Format::Json),
        json,
        "JSON"
    );
    assert_eq!(success_body(success, request_id, Format::Xml), xml, "XML");
}
