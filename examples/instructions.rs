//! Instructions per call of the bench cases, for counting under valgrind: runs one case `COUNT`
//! times (default 2,560), each timed call inside [`measured`], everything else (the account
//! filled, requests built, a create undone) outside it.
//!
//! ```text
//! cargo build --release --example instructions
//! benches/instructions.sh target/release/examples/instructions     # every case, a table
//! target/release/examples/instructions list                        # the case names
//! ```
//!
//! `benches/instructions.sh` runs each case under `valgrind --tool=callgrind
//! --collect-atstart=no --toggle-collect='instructions::measured*'`, so only what runs inside
//! `measured` is counted (the call, and dropping its answer), and divides the total by `COUNT`.
//! The count does not depend on the machine's load. The cases are those of `benches/operations.rs`
//! (this crate's, at 1,000 users; not the reference model's), of this crate's side of
//! `benches/peers.rs`, of `benches/fields.rs` and of `benches/wire.rs`, with the paths the
//! earlier before/after tables measured (`disable`, `violations`, `CreateEnterpriseCode` of a
//! code that exists). The file uses only what the crate offered before the enterprise-code and
//! session work, so the same program builds against an older checkout for a side-by-side table.
//!
//! Names rotate over 256 users (created, deleted, roamed, modified, disabled), so that the
//! user table's hash layout, which differs from binary to binary, averages out.

use std::hint::black_box;

use smartag_rules::wire::{HttpRequest, Service};
use smartag_rules::{
    Account, Bandwidth, CidrBlock, ClientIp, ClientUserRef, ClientUserRefRaw, CreateClientUser,
    CreateClientUserRaw, CreateEnterpriseCodeRaw, Credentials, DescribeClientUsers,
    DescribeClientUsersRaw, EnterpriseCode, InstanceSpec, ModifyClientUser, ModifyClientUserRaw,
    Password, RegionId, Request, RoamClientUser, RoamClientUserRaw, SmartAgId, UserMail, UserName,
};

/// Users on the origin instance.
const USERS: u32 = 1_000;
/// Names rotated over.
const ROTATION: u32 = 256;
const ORIGIN: (&str, &str) = ("cn-shanghai", "sag-origin");
const TARGET: (&str, &str) = ("ap-southeast-1", "sag-target");

/// The one place instructions are counted: `f` called, its answer dropped.
#[inline(never)]
fn measured<R>(f: impl FnOnce() -> R) {
    drop(black_box(f()));
}

fn parse<T: std::str::FromStr>(s: &str) -> T
where
    T::Err: std::fmt::Debug,
{
    match s.parse() {
        Ok(v) => v,
        Err(e) => panic!("fixture {s:?}: {e:?}"),
    }
}

fn name(i: u32) -> String {
    format!("user{i:07}")
}

fn specs() -> [InstanceSpec; 2] {
    [
        InstanceSpec::app(parse(ORIGIN.1), parse(ORIGIN.0))
            .quota(USERS + 2 * ROTATION)
            .pool(parse("10.0.0.0/8")),
        InstanceSpec::app(parse(TARGET.1), parse(TARGET.0))
            .quota(2 * ROTATION)
            .pool(parse("192.168.0.0/16")),
    ]
}

fn create_request(i: u32) -> CreateClientUser {
    let mail = parse(&format!("{}@example.com", name(i)));
    let credentials = Credentials::new(parse(&name(i)), parse(&format!("pass{i:07}")));
    CreateClientUser::new(parse(ORIGIN.0), parse(ORIGIN.1), mail).with_credentials(credentials)
}

fn create_raw(i: u32) -> CreateClientUserRaw {
    CreateClientUserRaw::default()
        .region_id(ORIGIN.0)
        .smart_ag_id(ORIGIN.1)
        .user_name(name(i))
        .password(format!("pass{i:07}"))
        .user_mail(format!("{}@example.com", name(i)))
}

fn user_ref(i: u32, (region, id): (&str, &str)) -> ClientUserRef {
    ClientUserRef::new(parse(region), parse(id), parse(&name(i)))
}

fn user_ref_raw(i: u32, (region, id): (&str, &str)) -> ClientUserRefRaw {
    ClientUserRefRaw::default()
        .region_id(region)
        .smart_ag_id(id)
        .user_name(name(i))
}

fn roam_request(i: u32) -> RoamClientUser {
    RoamClientUser::new(user_ref(i, ORIGIN), parse(TARGET.0), parse(TARGET.1))
}

fn roam_raw(i: u32) -> Request {
    Request::RoamClientUser(
        RoamClientUserRaw::default()
            .region_id(TARGET.0)
            .origin_region_id(ORIGIN.0)
            .origin_smart_ag_id(ORIGIN.1)
            .target_smart_ag_id(TARGET.1)
            .user_name(name(i)),
    )
}

/// The account of `benches/operations.rs`: `USERS` users on the origin instance.
fn account() -> Account {
    let mut account = Account::new();
    for spec in specs() {
        assert!(account.add_instance(spec).is_ok());
    }
    assert!(account
        .reserve_users(
            &parse(ORIGIN.0),
            &parse(ORIGIN.1),
            (USERS + 2 * ROTATION) as usize
        )
        .is_ok());
    for i in 0..USERS {
        assert!(account.create_client_user(create_request(i)).is_ok());
    }
    account
}

/// The user `k` of a rotation: fresh names above every existing user.
fn fresh(k: u64) -> u32 {
    USERS + ROTATION + (k % u64::from(ROTATION)) as u32
}

/// The user `k` of a rotation among the existing users, from the middle of the instance.
fn existing(k: u64) -> u32 {
    (USERS - ROTATION) / 2 + (k % u64::from(ROTATION)) as u32
}

/// Runs `timed` on the request of user `who(k)` for `k` in `0..count`, then `undo` outside the
/// counting; every timed call must succeed. A typed request is taken (the call consumes it, as
/// in the benches); a raw one is borrowed and dropped outside the counting.
fn rotated<T, U>(
    count: u64,
    account: &mut Account,
    make: impl Fn(u32) -> (T, U),
    who: fn(u64) -> u32,
    timed: impl Fn(&mut Account, &mut Option<T>) -> bool,
    undo: impl Fn(&mut Account, U),
) {
    let mut ok = true;
    for k in 0..count {
        let (t, u) = make(who(k));
        let mut t = Some(t);
        let mut result = false;
        measured(|| result = timed(account, black_box(&mut t)));
        ok &= result;
        undo(account, u);
    }
    assert!(ok, "a counted call failed");
}

fn execute_ok(account: &mut Account, request: &Request) -> bool {
    account.execute(request).is_ok()
}

/// The operations (`benches/operations.rs`, this crate's side, and the paths of the earlier
/// before/after tables).
fn operation(case: &str, count: u64) -> bool {
    let mut a = account();
    let a = &mut a;
    // The state a rotation's undo restores: the users to delete exist, those to enable are
    // disabled.
    for k in 0..u64::from(ROTATION) {
        if case.starts_with("delete_") {
            assert!(a.create_client_user(create_request(fresh(k))).is_ok());
        }
        if case == "enable_raw" {
            let user = Request::DisableUser(user_ref_raw(existing(k), ORIGIN));
            assert!(a.execute(&user).is_ok());
        }
    }
    let delete_raw = |i| Request::DeleteClientUser(user_ref_raw(i, ORIGIN));
    let create_raw_req = |i| Request::CreateClientUser(create_raw(i));
    match case {
        "create_typed" => rotated(
            count,
            a,
            |i| (create_request(i), user_ref(i, ORIGIN)),
            fresh,
            |a, r| r.take().is_some_and(|r| a.create_client_user(r).is_ok()),
            |a, u| assert!(a.delete_client_user(u).is_ok()),
        ),
        "create_raw" => rotated(
            count,
            a,
            |i| (create_raw_req(i), delete_raw(i)),
            fresh,
            |a, r| r.as_ref().is_some_and(|r| execute_ok(a, r)),
            |a, u| assert!(execute_ok(a, &u)),
        ),
        "delete_typed" => rotated(
            count,
            a,
            |i| (user_ref(i, ORIGIN), create_request(i)),
            fresh,
            |a, r| r.take().is_some_and(|r| a.delete_client_user(r).is_ok()),
            |a, c| assert!(a.create_client_user(c).is_ok()),
        ),
        "delete_raw" => rotated(
            count,
            a,
            |i| (delete_raw(i), create_raw_req(i)),
            fresh,
            |a, r| r.as_ref().is_some_and(|r| execute_ok(a, r)),
            |a, c| assert!(execute_ok(a, &c)),
        ),
        "roam_typed" => rotated(
            count,
            a,
            |i| (roam_request(i), user_ref(i, TARGET)),
            existing,
            |a, r| r.take().is_some_and(|r| a.roam_client_user(r).is_ok()),
            |a, u| assert!(a.delete_client_user(u).is_ok()),
        ),
        "roam_raw" => rotated(
            count,
            a,
            |i| {
                (
                    roam_raw(i),
                    Request::DeleteClientUser(user_ref_raw(i, TARGET)),
                )
            },
            existing,
            |a, r| r.as_ref().is_some_and(|r| execute_ok(a, r)),
            |a, u| assert!(execute_ok(a, &u)),
        ),
        "modify_typed" => rotated(
            count,
            a,
            |i| {
                let r = ModifyClientUser::new(
                    parse(ORIGIN.0),
                    parse(ORIGIN.1),
                    parse(&name(i)),
                    Bandwidth::MAX,
                );
                (r, ())
            },
            existing,
            |a, r| r.take().is_some_and(|r| a.modify_client_user(r).is_ok()),
            |_, ()| {},
        ),
        "modify_raw" => rotated(
            count,
            a,
            |i| {
                let r = ModifyClientUserRaw::default()
                    .region_id(ORIGIN.0)
                    .smart_ag_id(ORIGIN.1)
                    .user_name(name(i))
                    .bandwidth("20000");
                (Request::ModifyClientUser(r), ())
            },
            existing,
            |a, r| r.as_ref().is_some_and(|r| execute_ok(a, r)),
            |_, ()| {},
        ),
        "disable_raw" => rotated(
            count,
            a,
            |i| {
                let user = user_ref_raw(i, ORIGIN);
                (
                    Request::DisableUser(user.clone()),
                    Request::EnableUser(user),
                )
            },
            existing,
            |a, r| r.as_ref().is_some_and(|r| execute_ok(a, r)),
            |a, u| assert!(execute_ok(a, &u)),
        ),
        "enable_raw" => rotated(
            count,
            a,
            |i| {
                let user = user_ref_raw(i, ORIGIN);
                (
                    Request::EnableUser(user.clone()),
                    Request::DisableUser(user),
                )
            },
            existing,
            |a, r| r.as_ref().is_some_and(|r| execute_ok(a, r)),
            |a, u| assert!(execute_ok(a, &u)),
        ),
        "describe_first_page_typed" | "describe_by_name_typed" => {
            let page = DescribeClientUsers::new(parse(ORIGIN.0), parse(ORIGIN.1));
            let page = if case == "describe_by_name_typed" {
                page.with_user_name(name(USERS / 2))
            } else {
                page
            };
            for _ in 0..count {
                let r = page.clone();
                measured(|| a.describe_client_users(black_box(r)));
            }
        }
        "describe_raw" => {
            let r = Request::DescribeClientUsers(
                DescribeClientUsersRaw::default()
                    .region_id(ORIGIN.0)
                    .smart_ag_id(ORIGIN.1),
            );
            for _ in 0..count {
                measured(|| a.execute(black_box(&r)));
            }
        }
        "violations_valid_create" | "violations_bad_name_create" => {
            let r = if case == "violations_valid_create" {
                create_raw(USERS + 5 * ROTATION)
            } else {
                create_raw(USERS + 5 * ROTATION).user_name("abcdef")
            };
            let r = Request::CreateClientUser(r);
            assert_eq!(
                a.violations(&r).is_empty(),
                case == "violations_valid_create"
            );
            for _ in 0..count {
                measured(|| a.violations(black_box(&r)));
            }
        }
        "create_code_occupied" => {
            let r = Request::CreateEnterpriseCode(
                CreateEnterpriseCodeRaw::default()
                    .region_id(ORIGIN.0)
                    .enterprise_code("AA000"),
            );
            assert!(a.execute(&r).is_ok());
            assert!(a.execute(&r).is_err());
            for _ in 0..count {
                measured(|| a.execute(black_box(&r)));
            }
        }
        _ => return false,
    }
    true
}

/// This crate's side of `benches/peers.rs`: the whole create request, valid and with each
/// parameter broken in turn.
fn peers(case: &str, count: u64) -> bool {
    const PARAMETERS: [(&str, &str, &str); 7] = [
        ("invalid_region", "cn-shanghai", "Shanghai"),
        ("invalid_id", "sag-gnhe6sywtare5", "sag-ABC"),
        ("invalid_name", "doctest1", "abcdef"),
        ("invalid_password", "duuf1234", "duuf.1234"),
        (
            "invalid_mail",
            "username@example.com",
            "user name@example.com",
        ),
        ("invalid_bandwidth", "2000", "20001"),
        ("invalid_ip", "10.0.0.1", "10.0.XX.XX"),
    ];
    let Some(label) = case.strip_prefix("validate_") else {
        return false;
    };
    let mut p = PARAMETERS.map(|(_, good, _)| good);
    if label != "valid" {
        let Some(i) = PARAMETERS.iter().position(|(l, _, _)| *l == label) else {
            return false;
        };
        p[i] = PARAMETERS[i].2;
    }
    let r = CreateClientUserRaw::default()
        .region_id(p[0])
        .smart_ag_id(p[1])
        .user_name(p[2])
        .password(p[3])
        .user_mail(p[4])
        .bandwidth(p[5])
        .client_ip(p[6]);
    assert_eq!(r.validate().is_ok(), label == "valid");
    for _ in 0..count {
        measured(|| black_box(&r).validate());
    }
    true
}

/// One field of `benches/fields.rs`: its type, whether it has a `check` (else `parse` alone),
/// its inputs by label.
type Field = (&'static str, bool, &'static [(&'static str, &'static str)]);

/// The inputs of `benches/fields.rs`.
const FIELDS: &[Field] = &[
    (
        "UserName",
        true,
        &[
            ("typical", "doctest1"),
            ("max_len_33", "abcdefghijklmnopqrstuvwxyz0123456"),
            ("invalid_tail", "abcdefghijklmnopqrstuvwxyz012345!"),
            ("invalid_first", "_bcdefghijklmnopqrstuvwxyz0123456"),
        ],
    ),
    (
        "Password",
        true,
        &[
            ("typical", "duuf1234"),
            ("max_len_32", "abcdefghijklmnopqrstuvwxyz012345"),
            ("invalid_tail", "abcdefghijklmnopqrstuvwxyz01234."),
        ],
    ),
    (
        "Bandwidth",
        false,
        &[("typical", "2000"), ("max", "20000"), ("invalid", "20001")],
    ),
    (
        "ClientIp",
        false,
        &[
            ("typical", "10.0.0.1"),
            ("max_len", "192.168.255.254"),
            ("invalid", "10.0.XX.XX"),
        ],
    ),
    (
        "UserMail",
        true,
        &[
            ("typical", "username@example.com"),
            ("long", "first.last+tag@mail.subdomain.example.com"),
            ("invalid", "username@localhost"),
        ],
    ),
    (
        "CidrBlock",
        false,
        &[("typical", "10.0.0.0/24"), ("invalid", "10.0.0.1/24")],
    ),
    (
        "SmartAgId",
        true,
        &[
            ("typical", "sag-gnhe6sywtare5"),
            ("invalid", "sag-GNHE6SYWTARE5"),
        ],
    ),
    (
        "RegionId",
        true,
        &[("typical", "ap-southeast-1"), ("invalid", "ap_southeast_1")],
    ),
    (
        "EnterpriseCode",
        true,
        &[("typical", "AB123"), ("invalid", "ABCDE")],
    ),
];

fn field_cases() -> Vec<String> {
    let mut cases = Vec::new();
    for (ty, has_check, inputs) in FIELDS {
        for (label, _) in *inputs {
            if *has_check {
                cases.push(format!("field_{ty}_{label}_check"));
            }
            cases.push(format!("field_{ty}_{label}_parse"));
        }
    }
    cases
}

/// `benches/fields.rs`: `check` (the rule alone) and `parse` (into the owned value).
fn field(case: &str, count: u64) -> bool {
    let Some(rest) = case.strip_prefix("field_") else {
        return false;
    };
    let (rest, check) = if let Some(r) = rest.strip_suffix("_check") {
        (r, true)
    } else if let Some(r) = rest.strip_suffix("_parse") {
        (r, false)
    } else {
        return false;
    };
    let Some((ty, inputs)) = FIELDS
        .iter()
        .find(|(ty, _, _)| rest.starts_with(&format!("{ty}_")))
        .map(|(ty, _, inputs)| (*ty, *inputs))
    else {
        return false;
    };
    let label = &rest[ty.len() + 1..];
    let Some(&(_, input)) = inputs.iter().find(|(l, _)| *l == label) else {
        return false;
    };
    macro_rules! run {
        ($($t:ident),+) => {
            match (ty, check) {
                $(
                    (stringify!($t), false) => {
                        for _ in 0..count {
                            measured(|| black_box(input).parse::<$t>());
                        }
                    }
                )+
                ("UserName", true) => for _ in 0..count { measured(|| UserName::check(black_box(input))); },
                ("Password", true) => for _ in 0..count { measured(|| Password::check(black_box(input))); },
                ("UserMail", true) => for _ in 0..count { measured(|| UserMail::check(black_box(input))); },
                ("SmartAgId", true) => for _ in 0..count { measured(|| SmartAgId::check(black_box(input))); },
                ("RegionId", true) => for _ in 0..count { measured(|| RegionId::check(black_box(input))); },
                ("EnterpriseCode", true) => for _ in 0..count { measured(|| EnterpriseCode::check(black_box(input))); },
                _ => return false,
            }
        };
    }
    run!(
        UserName,
        Password,
        Bandwidth,
        ClientIp,
        UserMail,
        CidrBlock,
        SmartAgId,
        RegionId,
        EnterpriseCode
    );
    true
}

type Pairs = Vec<(&'static str, String)>;

fn common(action: &str) -> Pairs {
    vec![
        ("Action", action.to_string()),
        ("Format", "JSON".to_string()),
        ("Version", "2018-03-13".to_string()),
        ("AccessKeyId", "testid".to_string()),
        ("SignatureMethod", "HMAC-SHA1".to_string()),
        ("SignatureVersion", "1.0".to_string()),
        (
            "SignatureNonce",
            "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf".to_string(),
        ),
        ("Timestamp", "2026-11-22T12:00:00Z".to_string()),
    ]
}

fn with(mut pairs: Pairs, more: &[(&'static str, String)]) -> Pairs {
    pairs.extend(more.iter().cloned());
    pairs
}

fn wire_create(i: u32) -> Pairs {
    with(
        common("CreateSmartAccessGatewayClientUser"),
        &[
            ("RegionId", ORIGIN.0.into()),
            ("SmartAGId", ORIGIN.1.into()),
            ("UserName", name(i)),
            ("Password", format!("pass{i:07}")),
            ("UserMail", format!("{}@example.com", name(i))),
            ("Bandwidth", "2000".into()),
        ],
    )
}

fn wire_user_op(action: &str, (region, id): (&str, &str), i: u32) -> Pairs {
    with(
        common(action),
        &[
            ("RegionId", region.into()),
            ("SmartAGId", id.into()),
            ("UserName", name(i)),
        ],
    )
}

fn wire_roam(i: u32) -> Pairs {
    with(
        common("RoamClientUser"),
        &[
            ("RegionId", TARGET.0.into()),
            ("OriginRegionId", ORIGIN.0.into()),
            ("OriginSmartAGId", ORIGIN.1.into()),
            ("TargetSmartAGId", TARGET.1.into()),
            ("UserName", name(i)),
        ],
    )
}

fn status(service: &mut Service, pairs: &Pairs) -> u16 {
    service
        .handle(pairs.iter().map(|(k, v)| (*k, v.as_str())))
        .status
}

const DELETE: &str = "DeleteSmartAccessGatewayClientUser";

/// `benches/wire.rs`: parameters to the answer's body, on a service of `USERS` users.
fn wire(case: &str, count: u64) -> bool {
    let Some(case) = case.strip_prefix("wire_") else {
        return false;
    };
    let mut service = Service::with_seed(0);
    for spec in specs() {
        assert!(service.account_mut().add_instance(spec).is_ok());
    }
    for i in 0..USERS {
        assert_eq!(status(&mut service, &wire_create(i)), 200);
    }
    if case == "delete" {
        for k in 0..u64::from(ROTATION) {
            assert_eq!(status(&mut service, &wire_create(fresh(k))), 200);
        }
    }
    let s = &mut service;
    let rotation = |count: u64,
                    s: &mut Service,
                    who: fn(u64) -> u32,
                    make: &dyn Fn(u32) -> (Pairs, Pairs),
                    expect: u16| {
        let mut ok = true;
        for k in 0..count {
            let (timed, undo) = make(who(k));
            let mut got = 0;
            measured(|| got = status(s, black_box(&timed)));
            ok &= got == expect;
            assert_eq!(status(s, &undo), 200);
        }
        assert!(ok, "a counted request failed");
    };
    match case {
        "create" => rotation(
            count,
            s,
            fresh,
            &|i| (wire_create(i), wire_user_op(DELETE, ORIGIN, i)),
            200,
        ),
        "delete" => rotation(
            count,
            s,
            fresh,
            &|i| (wire_user_op(DELETE, ORIGIN, i), wire_create(i)),
            200,
        ),
        "roam" => rotation(
            count,
            s,
            existing,
            &|i| (wire_roam(i), wire_user_op(DELETE, TARGET, i)),
            200,
        ),
        _ => {
            let query = "RegionId=cn-shanghai&SmartAGId=sag-origin&PageSize=10";
            let describe = "DescribeSmartAccessGatewayClientUsers";
            let steady: Option<Pairs> = match case {
                "modify" => Some(with(
                    common("ModifySmartAccessGatewayClientUser"),
                    &[
                        ("RegionId", ORIGIN.0.into()),
                        ("SmartAGId", ORIGIN.1.into()),
                        ("UserName", name(USERS / 2)),
                        ("Bandwidth", "20000".into()),
                        ("Email", "changed@example.com".into()),
                    ],
                )),
                "describe" => Some(with(
                    common(describe),
                    &[
                        ("RegionId", ORIGIN.0.into()),
                        ("SmartAGId", ORIGIN.1.into()),
                        ("PageSize", "10".into()),
                    ],
                )),
                "reset_password" => Some(wire_user_op(
                    "ResetSmartAccessGatewayClientUserPassword",
                    ORIGIN,
                    1,
                )),
                "disable" => Some(wire_user_op("DisableSmartAccessGatewayUser", ORIGIN, 2)),
                "enable" => Some(wire_user_op("EnableSmartAccessGatewayUser", ORIGIN, 2)),
                _ => None,
            };
            if let Some(pairs) = steady {
                assert_eq!(status(s, &pairs), 200);
                for _ in 0..count {
                    measured(|| s.handle(black_box(&pairs).iter().map(|(k, v)| (*k, v.as_str()))));
                }
                return true;
            }
            if case == "create_invalid" {
                let mut invalid = wire_create(USERS + 1000);
                for (key, value) in &mut invalid {
                    if *key == "Bandwidth" {
                        *value = "20001".into();
                    }
                }
                assert_eq!(status(s, &invalid), 400);
                for _ in 0..count {
                    measured(|| {
                        s.handle(black_box(&invalid).iter().map(|(k, v)| (*k, v.as_str())))
                    });
                }
                return true;
            }
            let acs3_headers = [
                ("Accept-Encoding", "identity"),
                ("host", "127.0.0.1:8080"),
                ("x-acs-version", "2018-03-13"),
                ("x-acs-action", describe),
                (
                    "user-agent",
                    "AlibabaCloud (Linux; x86_64) Python/3.11.7 Core/0.4.3 TeaDSL/2",
                ),
                ("x-acs-date", "2026-01-02T03:04:05Z"),
                ("x-acs-signature-nonce", "0123456789abcdef0123456789abcdef"),
                ("accept", "application/json"),
                (
                    "x-acs-content-sha256",
                    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                ),
                (
                    "Authorization",
                    "ACS3-HMAC-SHA256 Credential=testid,SignedHeaders=accept;host,Signature=00",
                ),
                ("Content-Length", "0"),
            ];
            let request = match case {
                "describe_http_rpc" => HttpRequest::post(format!(
                    "Action={describe}&Format=JSON&Version=2018-03-13&AccessKeyId=testid\
                     &SignatureMethod=HMAC-SHA1&SignatureVersion=1.0&SignatureNonce=3ee8c1b8\
                     &Timestamp=2026-11-22T12%3A00%3A00Z&Signature=abc%3D&{query}"
                )),
                "describe_http_acs3" => acs3_headers
                    .iter()
                    .fold(HttpRequest::post(query), |r, (n, v)| r.with_header(*n, *v)),
                "describe_http_form" => HttpRequest::post("")
                    .with_header("Content-Type", "application/x-www-form-urlencoded")
                    .with_body(format!("Action={describe}&Version=2018-03-13&{query}")),
                _ => return false,
            };
            assert_eq!(s.handle_http(&request).status, 200);
            for _ in 0..count {
                measured(|| s.handle_http(black_box(&request)));
            }
        }
    }
    true
}

const OPERATIONS: &[&str] = &[
    "create_typed",
    "create_raw",
    "delete_typed",
    "delete_raw",
    "roam_typed",
    "roam_raw",
    "modify_typed",
    "modify_raw",
    "describe_first_page_typed",
    "describe_by_name_typed",
    "describe_raw",
    "disable_raw",
    "enable_raw",
    "violations_valid_create",
    "violations_bad_name_create",
    "create_code_occupied",
];

const WIRE: &[&str] = &[
    "wire_create",
    "wire_delete",
    "wire_roam",
    "wire_modify",
    "wire_describe",
    "wire_reset_password",
    "wire_disable",
    "wire_enable",
    "wire_describe_http_rpc",
    "wire_describe_http_acs3",
    "wire_describe_http_form",
    "wire_create_invalid",
];

fn cases() -> Vec<String> {
    let peers = [
        "valid",
        "invalid_region",
        "invalid_id",
        "invalid_name",
        "invalid_password",
        "invalid_mail",
        "invalid_bandwidth",
        "invalid_ip",
    ];
    OPERATIONS
        .iter()
        .map(|s| s.to_string())
        .chain(peers.iter().map(|p| format!("validate_{p}")))
        .chain(field_cases())
        .chain(WIRE.iter().map(|s| s.to_string()))
        .collect()
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(case) = args.first() else {
        eprintln!("usage: instructions list | CASE [COUNT]");
        std::process::exit(2);
    };
    if case == "list" {
        for c in cases() {
            println!("{c}");
        }
        return;
    }
    let count: u64 = args.get(1).map_or(2_560, |c| parse(c));
    let found =
        operation(case, count) || peers(case, count) || field(case, count) || wire(case, count);
    if !found {
        eprintln!("no case {case:?}; `instructions list` names them");
        std::process::exit(2);
    }
    println!("{case} {count}");
}
