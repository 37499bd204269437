//! The operations on instances holding 10, 1,000, 100,000 and 1,000,000 users, beside the simple
//! Vec-based reference model of the property tests (up to 100,000 users: filling it further
//! takes too long, which is the point).
//!
//! The enterprise-code operations (list, update, delete, each also with a replayed
//! `ClientToken`) run at every size too: their cost must not depend on the users. So do the
//! online-session operations (`DescribeUserOnlineClients` of a user with two sessions,
//! `KickOutClients` of a user with one session and of one with none): their cost follows the
//! sessions of the instance, not its users.
//!
//! Goals (issue 6): per-call cost at 1,000,000 users within 2x of the cost at 10 users; Create
//! (validated request to committed user) under 1 µs median; at 100,000 users at least 100x
//! faster than the reference model.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, BatchSize, BenchmarkId, Criterion};
use smartag_rules::{
    Account, Bandwidth, ClientUserRef, ClientUserRefRaw, CreateClientUser, CreateClientUserRaw,
    CreateEnterpriseCodeRaw, Credentials, DeleteEnterpriseCodeRaw, DescribeClientUsers,
    DescribeClientUsersRaw, DescribeUserOnlineClientsRaw, InstanceSpec, KickOutClientsRaw,
    ListEnterpriseCodeRaw, ModifyClientUser, ModifyClientUserRaw, RegionId, Request,
    RoamClientUser, RoamClientUserRaw, SmartAgId, UpdateEnterpriseCodeRaw, UserName,
};

mod common;
#[allow(dead_code)]
#[path = "../tests/support/reference.rs"]
mod reference;

use common::{name, parse, specs, ORIGIN, TARGET};
use reference::{Generated, RefAccount, RefUser};

const SIZES: &[u32] = &[10, 1_000, 100_000, 1_000_000];
/// The sizes the reference model is measured at (filling it is quadratic).
const REFERENCE_SIZES: &[u32] = &[10, 1_000, 100_000];
/// Calls timed together in one batch (the instance grows by at most this many users during a
/// batch, then is restored untimed).
const BATCH: u32 = 100;

fn origin() -> (RegionId, SmartAgId) {
    (parse(ORIGIN.0), parse(ORIGIN.1))
}

fn target() -> (RegionId, SmartAgId) {
    (parse(TARGET.0), parse(TARGET.1))
}

fn create_request(i: u32) -> CreateClientUser {
    let (region_id, smart_ag_id) = origin();
    let mail = parse(&format!("{}@example.com", name(i)));
    let credentials = Credentials::new(parse(&name(i)), parse(&format!("pass{i:07}")));
    CreateClientUser::new(region_id, smart_ag_id, mail).with_credentials(credentials)
}

fn create_raw(i: u32) -> Request {
    Request::CreateClientUser(
        CreateClientUserRaw::default()
            .region_id(ORIGIN.0)
            .smart_ag_id(ORIGIN.1)
            .user_name(name(i))
            .password(format!("pass{i:07}"))
            .user_mail(format!("{}@example.com", name(i))),
    )
}

fn user_ref(i: u32, (region_id, smart_ag_id): (RegionId, SmartAgId)) -> ClientUserRef {
    ClientUserRef::new(region_id, smart_ag_id, parse(&name(i)))
}

fn roam_request(i: u32) -> RoamClientUser {
    let user = ClientUserRef::new(parse(ORIGIN.0), parse(ORIGIN.1), parse(&name(i)));
    RoamClientUser::new(user, parse(TARGET.0), parse(TARGET.1))
}

/// The two instances of every bench account: the origin holding `n` users, the target (another
/// region) taking roaming copies; both with room for the batches.
fn specs_for(n: u32) -> [InstanceSpec; 2] {
    specs(n + 2 * BATCH, 2 * BATCH)
}

/// An account whose origin instance holds `n` users (names `user0000000`...).
fn account_with(n: u32) -> Account {
    let mut account = Account::new();
    for spec in specs_for(n) {
        assert!(account.add_instance(spec).is_ok());
    }
    let (region, id) = origin();
    assert!(account
        .reserve_users(&region, &id, n as usize + 2 * BATCH as usize)
        .is_ok());
    for i in 0..n {
        if let Err(e) = account.create_client_user(create_request(i)) {
            panic!("filling the bench account: {e}");
        }
    }
    account
}

/// Times up to `batch` calls of `timed` at a time (on users `first..first + batch`), undoing
/// each batch with `undo` outside the timing. Every timed call must succeed: a bench of the
/// error path by mistake would flatter the figures.
fn batched(
    iters: u64,
    account: &mut Account,
    first: u32,
    batch: u32,
    mut timed: impl FnMut(&mut Account, u32) -> bool,
    mut undo: impl FnMut(&mut Account, u32),
) -> Duration {
    let mut total = Duration::ZERO;
    let mut left = iters;
    while left > 0 {
        let k = left.min(u64::from(batch)) as u32;
        let mut ok = true;
        let start = Instant::now();
        for i in first..first + k {
            ok &= timed(account, i);
        }
        total += start.elapsed();
        assert!(ok, "a timed call failed");
        for i in first..first + k {
            undo(account, i);
        }
        left -= u64::from(k);
    }
    total
}

/// Times up to [`BATCH`] creates at a time of users `fresh..`, their requests made by `make`
/// beforehand, each batch deleted again outside the timing.
fn timed_creates<R>(
    iters: u64,
    account: &mut Account,
    fresh: u32,
    make: impl FnMut(u32) -> R,
    mut create: impl FnMut(&mut Account, &R) -> bool,
) -> Duration {
    let requests: Vec<R> = (fresh..fresh + iters.min(u64::from(BATCH)) as u32)
        .map(make)
        .collect();
    batched(
        iters,
        account,
        fresh,
        BATCH,
        |a, i| create(a, &requests[(i - fresh) as usize]),
        |a, i| {
            a.delete_client_user(user_ref(i, origin())).ok();
        },
    )
}

/// The reference model with the same `n` users, filled directly (through its own create it would
/// take quadratic time).
fn reference_with(n: u32) -> RefAccount {
    let mut reference = RefAccount::new();
    for spec in specs_for(n) {
        assert!(reference.add_instance(&spec).is_ok());
    }
    if let Some(instance) = reference.instances.first_mut() {
        instance.users = (0..n)
            .map(|i| RefUser {
                name: name(i),
                password: format!("pass{i:07}"),
                mail: format!("{}@example.com", name(i)),
                bandwidth: Bandwidth::DEFAULT.get(),
                disabled: false,
                ip: None,
                used_this_month: false,
                origin: None,
            })
            .collect();
    }
    reference
}

/// A model that runs raw requests: the library or the reference.
trait Model {
    fn run(&mut self, request: &Request) -> bool;
}

impl Model for Account {
    fn run(&mut self, request: &Request) -> bool {
        self.execute(request).is_ok()
    }
}

impl Model for RefAccount {
    fn run(&mut self, request: &Request) -> bool {
        self.execute(request, &Generated::default()).is_ok()
    }
}

fn user_ref_raw(i: u32, (region, id): (&str, &str)) -> ClientUserRefRaw {
    ClientUserRefRaw::default()
        .region_id(region)
        .smart_ag_id(id)
        .user_name(name(i))
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

/// Times up to `batch` raw requests at a time, undoing each batch outside the timing.
fn batched_raw<M: Model>(
    iters: u64,
    model: &mut M,
    batch: u32,
    timed: &[Request],
    undo: &[Request],
) -> Duration {
    let mut total = Duration::ZERO;
    let mut left = iters;
    while left > 0 {
        let k = left.min(u64::from(batch)) as usize;
        let (timed, undo) = (&timed[..k], &undo[..k]);
        let start = Instant::now();
        let ok = timed
            .iter()
            .fold(true, |ok, r| ok & black_box(model.run(r)));
        total += start.elapsed();
        assert!(ok, "a timed call failed");
        for r in undo {
            model.run(r);
        }
        left -= k as u64;
    }
    total
}

/// The raw-request path of every operation, for the library and the reference alike.
fn raw_operations<M: Model>(
    group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    label: &str,
    model: &mut M,
    n: u32,
) {
    let fresh = n + BATCH;
    let creates: Vec<Request> = (fresh..fresh + BATCH).map(create_raw).collect();
    let deletes: Vec<Request> = (fresh..fresh + BATCH)
        .map(|i| Request::DeleteClientUser(user_ref_raw(i, ORIGIN)))
        .collect();
    group.bench_function(BenchmarkId::new("create_raw", label), |b| {
        b.iter_custom(|iters| batched_raw(iters, model, BATCH, &creates, &deletes))
    });
    for r in &creates {
        assert!(model.run(r));
    }
    group.bench_function(BenchmarkId::new("delete_raw", label), |b| {
        b.iter_custom(|iters| batched_raw(iters, model, BATCH, &deletes, &creates))
    });
    for r in &deletes {
        assert!(model.run(r));
    }
    // Users from the middle of the instance: the reference finds them after scanning half.
    let roam_batch = BATCH.min(n);
    let middle = (n - roam_batch) / 2..(n - roam_batch) / 2 + roam_batch;
    let roams: Vec<Request> = middle.clone().map(roam_raw).collect();
    let unroams: Vec<Request> = middle
        .map(|i| Request::DeleteClientUser(user_ref_raw(i, TARGET)))
        .collect();
    group.bench_function(BenchmarkId::new("roam_raw", label), |b| {
        b.iter_custom(|iters| batched_raw(iters, model, roam_batch, &roams, &unroams))
    });
    let modify = Request::ModifyClientUser(
        ModifyClientUserRaw::default()
            .region_id(ORIGIN.0)
            .smart_ag_id(ORIGIN.1)
            .user_name(name(n / 2))
            .bandwidth("20000"),
    );
    group.bench_function(BenchmarkId::new("modify_raw", label), |b| {
        b.iter(|| assert!(model.run(black_box(&modify))))
    });
    let describe = Request::DescribeClientUsers(
        DescribeClientUsersRaw::default()
            .region_id(ORIGIN.0)
            .smart_ag_id(ORIGIN.1),
    );
    group.bench_function(BenchmarkId::new("describe_raw", label), |b| {
        b.iter(|| assert!(model.run(black_box(&describe))))
    });
}

/// How many enterprise codes the bench accounts hold (codes are the account's, so their cost
/// does not depend on the users).
const CODES: u32 = 20;

/// The code `i` of the bench accounts: `AA000`, `AA001`, ...
fn code(i: u32) -> String {
    format!("AA{i:03}")
}

/// The enterprise-code operations through the raw path: a listed page, an update (without and
/// with a `ClientToken`, the second call of which is a replay), a delete (recreated outside the
/// timing, and a delete replayed by its token).
fn code_operations(
    group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    account: &mut Account,
) {
    let create = |i: u32| {
        Request::CreateEnterpriseCode(
            CreateEnterpriseCodeRaw::default()
                .region_id(ORIGIN.0)
                .enterprise_code(code(i)),
        )
    };
    for i in 0..CODES {
        assert!(account.execute(&create(i)).is_ok());
    }
    let list = Request::ListEnterpriseCode(
        ListEnterpriseCodeRaw::default()
            .region_id(ORIGIN.0)
            .max_results("10"),
    );
    group.bench_function(BenchmarkId::new("list_codes_raw", "first_page"), |b| {
        b.iter(|| assert!(account.execute(black_box(&list)).is_ok()))
    });
    let update = UpdateEnterpriseCodeRaw::default()
        .region_id(ORIGIN.0)
        .enterprise_code(code(1))
        .is_default("true");
    let update_plain = Request::UpdateEnterpriseCode(update.clone());
    group.bench_function(BenchmarkId::new("update_code_raw", "no_token"), |b| {
        b.iter(|| assert!(account.execute(black_box(&update_plain)).is_ok()))
    });
    let update_token = Request::UpdateEnterpriseCode(update.client_token("bench-update-1"));
    group.bench_function(BenchmarkId::new("update_code_raw", "replayed_token"), |b| {
        b.iter(|| assert!(account.execute(black_box(&update_token)).is_ok()))
    });
    let deletes: Vec<Request> = (CODES..CODES + BATCH)
        .map(|i| {
            Request::DeleteEnterpriseCode(
                DeleteEnterpriseCodeRaw::default()
                    .region_id(ORIGIN.0)
                    .enterprise_code(code(i)),
            )
        })
        .collect();
    let creates: Vec<Request> = (CODES..CODES + BATCH).map(create).collect();
    for r in &creates {
        assert!(account.execute(r).is_ok());
    }
    group.bench_function(BenchmarkId::new("delete_code_raw", "no_token"), |b| {
        b.iter_custom(|iters| batched_raw(iters, account, BATCH, &deletes, &creates))
    });
    let delete_token = Request::DeleteEnterpriseCode(
        DeleteEnterpriseCodeRaw::default()
            .region_id(ORIGIN.0)
            .enterprise_code(code(0))
            .client_token("bench-delete-0"),
    );
    assert!(account.execute(&delete_token).is_ok());
    group.bench_function(BenchmarkId::new("delete_code_raw", "replayed_token"), |b| {
        b.iter(|| assert!(account.execute(black_box(&delete_token)).is_ok()))
    });
}

/// Users kicked out per timed batch, each with one session: the instance holds this many
/// sessions (and two more) at every size.
const KICK_BATCH: u32 = 10;

/// The online-session operations through the raw path: the sessions of a user with two listed;
/// a kick-out of a user with one session (batches of users `0..`, each connected again outside
/// the timing) and of a user with none.
fn online_operations(
    group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    account: &mut Account,
    n: u32,
) {
    let (_, id) = origin();
    let listed = n / 2;
    let user: UserName = parse(&name(listed));
    for _ in 0..2 {
        assert!(account.connect(&id, &user).is_ok());
    }
    let describe = Request::DescribeUserOnlineClients(
        DescribeUserOnlineClientsRaw::default()
            .region_id(ORIGIN.0)
            .smart_ag_id(ORIGIN.1)
            .user_name(name(listed)),
    );
    group.bench_function(
        BenchmarkId::new("describe_online_raw", "two_sessions"),
        |b| b.iter(|| assert!(account.execute(black_box(&describe)).is_ok())),
    );
    let kick = |i: u32| {
        Request::KickOutClients(
            KickOutClientsRaw::default()
                .region_id(ORIGIN.0)
                .smart_ag_id(ORIGIN.1)
                .username(name(i)),
        )
    };
    // The same number of sessions at every size (the smallest account has 10 users), so that
    // the figures compare the users alone.
    let batch = KICK_BATCH.min(n);
    let kicks: Vec<Request> = (0..batch).map(kick).collect();
    let users: Vec<UserName> = (0..batch).map(|i| parse(&name(i))).collect();
    let connect = |a: &mut Account, i: u32| {
        if let Some(user) = users.get(i as usize) {
            assert!(a.connect(&id, user).is_ok());
        }
    };
    for i in 0..batch {
        connect(account, i);
    }
    group.bench_function(BenchmarkId::new("kick_out_raw", "one_session"), |b| {
        b.iter_custom(|iters| {
            batched(
                iters,
                account,
                0,
                batch,
                |a, i| {
                    kicks
                        .get(i as usize)
                        .is_some_and(|r| black_box(a.execute(r)).is_ok())
                },
                connect,
            )
        })
    });
    let nobody_online = kick(n + 3 * BATCH);
    group.bench_function(BenchmarkId::new("kick_out_raw", "none_online"), |b| {
        b.iter(|| assert!(account.execute(black_box(&nobody_online)).is_ok()))
    });
}

fn operations(c: &mut Criterion) {
    for &n in SIZES {
        let mut account = account_with(n);
        let fresh = n + BATCH; // names above every existing user
        let existing = n / 2;

        let mut group = c.benchmark_group(format!("users_{n}"));
        group.sample_size(if n >= 100_000 { 30 } else { 100 });

        group.bench_function(BenchmarkId::new("create", "typed"), |b| {
            b.iter_custom(|iters| {
                timed_creates(iters, &mut account, fresh, create_request, |a, r| {
                    black_box(a.create_client_user(r.clone())).is_ok()
                })
            })
        });
        group.bench_function(BenchmarkId::new("create", "raw"), |b| {
            b.iter_custom(|iters| {
                timed_creates(iters, &mut account, fresh, create_raw, |a, r| {
                    black_box(a.execute(r)).is_ok()
                })
            })
        });
        group.bench_function(BenchmarkId::new("modify", "typed"), |b| {
            let (region_id, smart_ag_id) = origin();
            let user_name = parse(&name(existing));
            let request = ModifyClientUser::new(region_id, smart_ag_id, user_name, Bandwidth::MAX);
            b.iter_batched(
                || request.clone(),
                |r| assert!(black_box(account.modify_client_user(r)).is_ok()),
                BatchSize::SmallInput,
            )
        });
        group.bench_function(BenchmarkId::new("roam", "typed"), |b| {
            b.iter_custom(|iters| {
                batched(
                    iters,
                    &mut account,
                    (n - BATCH.min(n)) / 2,
                    BATCH.min(n),
                    |a, i| black_box(a.roam_client_user(roam_request(i))).is_ok(),
                    |a, i| {
                        a.delete_client_user(user_ref(i, target())).ok();
                    },
                )
            })
        });
        for i in fresh..fresh + BATCH {
            assert!(account.create_client_user(create_request(i)).is_ok());
        }
        group.bench_function(BenchmarkId::new("delete", "typed"), |b| {
            b.iter_custom(|iters| {
                batched(
                    iters,
                    &mut account,
                    fresh,
                    BATCH,
                    |a, i| black_box(a.delete_client_user(user_ref(i, origin()))).is_ok(),
                    |a, i| {
                        a.create_client_user(create_request(i)).ok();
                    },
                )
            })
        });
        for i in fresh..fresh + BATCH {
            assert!(account.delete_client_user(user_ref(i, origin())).is_ok());
        }
        let (region_id, smart_ag_id) = origin();
        let page = DescribeClientUsers::new(region_id, smart_ag_id);
        group.bench_function(BenchmarkId::new("describe", "first_page"), |b| {
            b.iter_batched(
                || page.clone(),
                |request| black_box(account.describe_client_users(black_box(request))).is_ok(),
                BatchSize::SmallInput,
            )
        });
        let by_name = page.clone().with_user_name(name(existing));
        group.bench_function(BenchmarkId::new("describe", "by_name"), |b| {
            b.iter_batched(
                || by_name.clone(),
                |request| black_box(account.describe_client_users(black_box(request))).is_ok(),
                BatchSize::SmallInput,
            )
        });
        raw_operations(&mut group, "library", &mut account, n);
        code_operations(&mut group, &mut account);
        online_operations(&mut group, &mut account, n);
        if REFERENCE_SIZES.contains(&n) {
            let mut reference = reference_with(n);
            raw_operations(&mut group, "reference", &mut reference, n);
        }
        group.finish();
    }
}

criterion_group!(benches, operations);
criterion_main!(benches);
