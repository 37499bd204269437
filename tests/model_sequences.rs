//! Model-based tests of the account: random sequences of setup and client-user operations run
//! against the real [`Account`] and against the deliberately simple reference model of
//! `support/reference.rs`.
//!
//! The universe is small on purpose, so that collisions happen all the time: five instances in
//! three regions (one hardware; small quotas; enterprise codes that match case-insensitively or
//! not; ceilings of 2000 or 20000), three user names (a fourth, rarely, and invalid ones), pools
//! that overlap and pools of /30 blocks, client IPs at the network, first, last and broadcast
//! addresses of those blocks, bandwidths at the edges, valid, invalid, empty and absent
//! parameters. User-name parameters often name a user the instance holds (`#n`: its n-th user),
//! generated ones included.
//!
//! After every step:
//! 1. the real and the reference answers agree: both succeed with the same payload (the user
//!    of create and modify, the whole page of describe or of a code listing), or both fail with
//!    the same error;
//! 2. `Account::invariant_violations` is empty;
//! 3. a failed step left the real account equal to a clone taken before it (atomicity);
//! 4. `Account::violations` agrees with `execute`: its first element is the error, and it is
//!    empty before a success;
//! 5. the whole state of the real account (every instance, pool, code and user field, the
//!    password and the roaming relations included) equals the reference's.
//!
//! Values the real account generates from its seeded generator (user names and passwords of a
//! create without credentials, a reset password, the ID of a new software instance) are read
//! back from its answer and handed to the reference, after checking that they obey their rules;
//! so is the opaque `NextToken` of a code listing, which later listings send back now and then.

#[path = "support/reference.rs"]
mod reference;

use std::any::Any;
use std::cell::Cell;
use std::collections::{BTreeMap, VecDeque};
use std::fmt;

use proptest::prelude::*;
use proptest::strategy::Union;
use proptest::test_runner::{Config, FileFailurePersistence, TestCaseError, TestRunner};
use reference::{Generated, RefAccount, RefResponse};
use smartag_rules::rng::Rng;
use smartag_rules::{
    Account, Bandwidth, CidrPool, Error, InstanceSpec, Password, RegionId, Request, Response,
    SmartAgId, UserName,
};

// ----- the universe -----

/// An optional parameter value: `None` is an absent parameter.
type Txt = Option<&'static str>;

/// The fixture instances: ID, short name for printing, region.
const IDS: [&str; 5] = ["sag-sh1", "sag-sh2", "sag-bj1", "sag-sg1", "sag-hw1"];
const SHORT: [&str; 5] = ["sh1", "sh2", "bj1", "sg1", "hw1"];
const HOME: [&str; 5] = [
    "cn-shanghai",
    "cn-shanghai",
    "cn-beijing",
    "ap-southeast-1",
    "ap-southeast-1",
];
/// The fixture slot that is a hardware gateway.
const HARDWARE: usize = 4;

/// Region parameters: the first four are well-formed.
const REGIONS: &[Txt] = &[
    Some("cn-shanghai"),
    Some("cn-beijing"),
    Some("ap-southeast-1"),
    Some("cn-hangzhou"),
    Some(""),
    None,
    Some("Shanghai"),
];
/// The regions of the fixture instances.
const GOOD_REGIONS: &[Txt] = REGIONS.split_at(3).0;

/// Valid pools (fixtures, `set_cidr_pool`, `CidrBlock`); the empty text is the empty pool.
const POOLS: &[&str] = &[
    "10.0.0.0/30",
    "172.16.0.0/30,10.0.0.4/30",
    "192.168.0.0/30,10.1.0.0/24",
    "10.0.0.0/24",
    "192.168.0.0/24",
    "10.0.0.0/30,10.0.0.4/30",
    "",
];
const TEN_BLOCKS: &str = "10.0.0.0/30,10.0.0.4/30,10.0.0.8/30,10.0.0.12/30,10.0.0.16/30,\
10.0.0.20/30,10.0.0.24/30,10.0.0.28/30,10.0.0.32/30,10.0.0.36/30";
const ELEVEN_BLOCKS: &str = "10.0.0.0/30,10.0.0.4/30,10.0.0.8/30,10.0.0.12/30,10.0.0.16/30,\
10.0.0.20/30,10.0.0.24/30,10.0.0.28/30,10.0.0.32/30,10.0.0.36/30,10.0.0.40/30";
/// `CidrBlock` texts of `ModifySmartAccessGateway` that are valid pools.
const CIDRS_OK: &[Txt] = &[
    Some("10.0.0.0/30"),
    Some("172.16.0.0/30,10.0.0.4/30"),
    Some("192.168.0.0/30,10.1.0.0/24"),
    Some("10.0.0.0/24"),
    Some("192.168.0.0/24"),
    Some("10.0.0.0/30,10.0.0.4/30"),
    Some("172.16.0.0/16"),
    Some(TEN_BLOCKS),
];
/// `CidrBlock` texts, valid or not.
const CIDRS: &[Txt] = &[
    None,
    Some(""),
    Some("10.0.0.0"),
    Some("10.0.0.1/24"),
    Some("8.8.8.0/24"),
    Some("10.0.0.0/31"),
    Some("10.0.0.0/7"),
    Some("10.0.0.0/24,10.0.0.4/30"),
    Some("172.16.0.0/30,172.16.0.0/30"),
    Some("10.0.0.0/24,"),
    Some("10.0.0.0/24, 10.1.0.0/24"),
    Some("10.0.0.0/024"),
    Some(ELEVEN_BLOCKS),
];

const NAMES_OK: &[Txt] = &[Some("alice.01"), Some("bob-0002"), Some("carol_03")];
/// User-name and password texts around both token rules (valid or not for either): the longest
/// valid and the first too long of each, too short, a bad first character, a bad character,
/// non-ASCII, empty and absent.
const TOKENS: &[Txt] = &[
    Some("dave@004"),
    Some("x23456789012345678901234567890123"), // 33 characters: the longest name, a password too long
    Some("x234567890123456789012345678901234"), // 34 characters: a name too long
    Some("abcdef"),
    Some("_alice01"),
    Some("alice 01"),
    Some("\u{e5}lice001"),
    Some(""),
    None,
    Some("duuf1234"),
    Some("Passw0rd-x_@"),
    Some("p2345678901234567890123456789012"), // 32 characters: the longest password
    Some("short12"),
    Some("bad.pass1"),
    Some("_duuf1234"),
];
const MAILS_OK: &[Txt] = &[Some("a@example.com"), Some("b@example.org")];
const MAILS: &[Txt] = &[Some(""), Some("not-an-email"), Some("user@localhost"), None];
/// `Email` of modify (optional).
const EMAILS: &[Txt] = &[
    None,
    Some("c@example.net"),
    Some("a@example.com"),
    Some(""),
    Some("bad"),
];
const BANDWIDTHS_OK: &[Txt] = &[
    Some("2000"),
    Some("1"),
    Some("20000"),
    Some("2001"),
    Some("02000"),
];
const BANDWIDTHS: &[Txt] = &[
    None,
    Some("2000"),
    Some("1"),
    Some("2001"),
    Some("20000"),
    Some("0"),
    Some("20001"),
    Some("abc"),
    Some(""),
    Some("-5"),
    Some("02000"),
];
/// A user-name parameter: a fixed text, or the name of a user the instance holds.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Name {
    Lit(Txt),
    /// The name of the instance's n-th user (modulo how many it has; `alice.01` if it has
    /// none), so that steps often name users that exist, generated ones included.
    Nth(u8),
}

const USERS_NTH: &[Name] = &[Name::Nth(0), Name::Nth(1), Name::Nth(2)];
const USERS_LIT: &[Name] = &[
    Name::Lit(Some("alice.01")),
    Name::Lit(Some("bob-0002")),
    Name::Lit(Some("carol_03")),
];
const USERS_BAD: &[Name] = &[
    Name::Lit(Some("dave@004")),
    Name::Lit(Some("abcdef")),
    Name::Lit(Some("_alice01")),
    Name::Lit(Some("alice 01")),
    Name::Lit(Some("")),
    Name::Lit(None),
];

/// Hosts and non-hosts of the pools above.
const IPS_OK: &[Txt] = &[
    Some("10.0.0.1"),
    Some("10.0.0.2"),
    Some("10.0.0.0"),
    Some("10.0.0.3"),
    Some("10.0.0.5"),
    Some("10.0.0.4"),
    Some("10.0.0.7"),
    Some("10.0.0.254"),
    Some("10.0.0.255"),
    Some("192.168.0.1"),
    Some("192.168.0.2"),
    Some("192.168.0.3"),
    Some("172.16.0.1"),
    Some("172.16.0.2"),
    Some("10.1.0.1"),
    Some("10.1.0.255"),
];
const IPS_BAD: &[Txt] = &[Some(""), Some("10.0.0.256"), Some("10.0.0.01"), Some("abc")];
const PAGE_NUMBERS: &[Txt] = &[
    None,
    Some("1"),
    Some("2"),
    Some("3"),
    Some("0"),
    Some("01"),
    Some("abc"),
    Some(""),
    Some("4294967295"),
    Some("4294967296"),
];
const PAGE_SIZES: &[Txt] = &[
    None,
    Some("1"),
    Some("2"),
    Some("100"),
    Some("101"),
    Some("0"),
    Some("x"),
];
const USER_COUNTS: &[Txt] = &[
    Some("1"),
    Some("2"),
    Some("3"),
    Some("0"),
    Some(""),
    None,
    Some("abc"),
    Some("+1"),
];
const CODES: &[Txt] = &[
    Some("AB123"),
    Some("ab123"),
    Some("XY789"),
    Some("QQ111"),
    Some("12345"),
    Some("AB1234"),
    Some(""),
    None,
];
const FIXTURE_CODES: &[Txt] = &[None, Some("AB123"), Some("ab123"), Some("XY789")];
const QUOTAS: &[u32] = &[3, 1, 2, 5, 0];
const CEILINGS: &[u32] = &[20000, 2000, 1, 2001];

/// An instance parameter.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Inst {
    /// A fixture instance.
    Fixed(u8),
    /// The n-th instance made by `CreateSmartAccessGatewaySoftware` (a well-formed ID of no
    /// instance while there is none).
    Soft(u8),
    /// A well-formed ID of no instance.
    Missing,
    /// Not an instance ID.
    Malformed,
    /// Present but empty.
    Empty,
    /// Absent.
    Absent,
}

/// A region parameter: the instance's own region, or a fixed text.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Reg {
    Home,
    Other(u8),
}

/// `[$variant(0), …, $variant($n - 1)]`, in a constant (`$fill` is overwritten).
macro_rules! numbered {
    ($variant:path, $n:expr, $fill:expr) => {{
        let mut all = [$fill; $n];
        let mut k = 0;
        while k < $n {
            all[k] = $variant(k as u8);
            k += 1;
        }
        all
    }};
}

/// The fixture instances that take client users, drawn more often.
const INSTS_MAIN: &[Inst] = &[Inst::Fixed(0), Inst::Fixed(2), Inst::Fixed(3)];
/// Every fixture instance.
const INSTS: &[Inst] = &numbered!(Inst::Fixed, IDS.len(), Inst::Absent);
const INSTS_RARE: &[Inst] = &[
    Inst::Soft(0),
    Inst::Soft(1),
    Inst::Missing,
    Inst::Malformed,
    Inst::Empty,
    Inst::Absent,
];
/// Instance parameters that are well-formed IDs (for the typed setup API).
const INSTS_TYPED: &[Inst] = &[Inst::Soft(0), Inst::Missing];
/// Every region parameter of [`REGIONS`].
const REGS_OTHER: &[Reg] = &numbered!(Reg::Other, REGIONS.len(), Reg::Home);
/// The well-formed ones.
const REGS_TYPED: &[Reg] = REGS_OTHER.split_at(4).0;

/// A weighted mix of tables: draws a table by weight, then an element of it. Shrinks towards
/// the first table and its first element.
struct Mix<T: 'static>(&'static [(u32, &'static [T])]);

impl<T: Clone + fmt::Debug + 'static> Mix<T> {
    fn strategy(&self) -> BoxedStrategy<T> {
        Union::new_weighted(
            self.0
                .iter()
                .map(|&(w, table)| (w, prop::sample::select(table).boxed()))
                .collect(),
        )
        .boxed()
    }

    fn roll(&self, d: &mut Dice) -> T {
        let weights: Vec<u32> = self.0.iter().map(|(w, _)| *w).collect();
        let table = self.0[d.weighted(&weights)].1;
        table[d.below(table.len())].clone()
    }
}

const INST: Mix<Inst> = Mix(&[(6, INSTS_MAIN), (4, INSTS), (1, INSTS_RARE)]);
const INST_TYPED: Mix<Inst> = Mix(&[(6, INSTS_MAIN), (4, INSTS), (1, INSTS_TYPED)]);
const REG: Mix<Reg> = Mix(&[(12, &[Reg::Home]), (1, REGS_OTHER)]);
const REG_TYPED: Mix<Reg> = Mix(&[(10, &[Reg::Home]), (1, REGS_TYPED)]);
const REGION: Mix<Txt> = Mix(&[(6, GOOD_REGIONS), (1, REGIONS)]);
const NAME: Mix<Txt> = Mix(&[(12, NAMES_OK), (1, TOKENS)]);
const USER: Mix<Name> = Mix(&[(6, USERS_NTH), (6, USERS_LIT), (1, USERS_BAD)]);
const USER_OK: Mix<Name> = Mix(&[(1, USERS_NTH), (1, USERS_LIT)]);
const PASSWORD: Mix<Txt> = Mix(&[(12, &[Some("duuf1234")]), (1, TOKENS)]);
const MAIL: Mix<Txt> = Mix(&[(12, MAILS_OK), (1, MAILS)]);
const EMAIL: Mix<Txt> = Mix(&[(1, EMAILS)]);
const BANDWIDTH: Mix<Txt> = Mix(&[(6, &[None]), (3, BANDWIDTHS_OK), (1, BANDWIDTHS)]);
const BANDWIDTH_REQUIRED: Mix<Txt> = Mix(&[(1, BANDWIDTHS)]);
const IP: Mix<Txt> = Mix(&[(10, &[None]), (4, IPS_OK), (1, IPS_BAD)]);
const CIDR: Mix<Txt> = Mix(&[(4, CIDRS_OK), (1, CIDRS)]);
const FILTER_NAME: Mix<Txt> = Mix(&[(3, &[None]), (2, NAMES_OK), (1, TOKENS)]);
const FILTER_MAIL: Mix<Txt> = Mix(&[(3, &[None]), (1, MAILS_OK), (1, EMAILS)]);
const PAGE_NUMBER: Mix<Txt> = Mix(&[(3, &[None, Some("1"), Some("2")]), (1, PAGE_NUMBERS)]);
const PAGE_SIZE: Mix<Txt> = Mix(&[(3, &[None, Some("1"), Some("2")]), (1, PAGE_SIZES)]);
const USER_COUNT: Mix<Txt> = Mix(&[(1, USER_COUNTS)]);
const CODE: Mix<Txt> = Mix(&[(1, CODES)]);
/// The text that stands for the `NextToken` the last listing returned.
const LAST_TOKEN: &str = "<last NextToken>";
/// `NextToken`: mostly none or the last one returned, now and then made up.
const NEXT_TOKEN: Mix<Txt> = Mix(&[
    (3, &[None]),
    (3, &[Some(LAST_TOKEN)]),
    (
        1,
        &[
            Some(""),
            Some("0000000000000001ffffffffffffffff"),
            Some("caeba0bbb2be03f8"),
        ],
    ),
]);
const MAX_RESULTS: Mix<Txt> = Mix(&[
    (4, &[Some("1"), Some("2")]),
    (1, &[None, Some("0"), Some("100"), Some("101"), Some("abc")]),
]);
const LIST_FILTER: Mix<Txt> = Mix(&[
    (4, &[None]),
    (1, &[Some("ab123"), Some("XY789"), Some("zz")]),
]);
const IS_DEFAULT: Mix<Txt> = Mix(&[
    (4, &[None, Some("false")]),
    (2, &[Some("True")]),
    (1, &[Some("yes")]),
]);
const IS_DEFAULT_REQUIRED: Mix<Txt> = Mix(&[
    (4, &[Some("true"), Some("FALSE")]),
    (1, &[None, Some(""), Some("1")]),
]);
/// `ClientToken`: mostly none, often one of two (so retries and mismatches happen), now and then
/// empty (no token), 65 characters or not ASCII.
const CLIENT_TOKEN: Mix<Txt> = Mix(&[
    (4, &[None]),
    (3, &[Some("retry-1"), Some("retry-2")]),
    (
        1,
        &[
            Some(""),
            Some("t0123456789012345678901234567890123456789012345678901234567890123"),
            Some("t\u{e9}"),
        ],
    ),
]);
const TOKEN_PARAM: (&str, Field) = ("ClientToken", Field::Txt(&CLIENT_TOKEN));
const POOL: Mix<usize> = Mix(&[(1, &[0, 1, 2, 3, 4, 5, 6])]);
const QUOTA: Mix<u32> = Mix(&[(6, &[3, 5, 2]), (1, QUOTAS)]);
const CEILING: Mix<u32> = Mix(&[(6, &[20000, 2000]), (1, CEILINGS)]);
const FLAG: Mix<bool> = Mix(&[(1, &[true, false])]);
/// Account clock times: the epoch, a sample's time, the largest.
const CLOCK: Mix<u32> = Mix(&[(1, &[0, 1_559_125_519, u32::MAX])]);
const FIXTURE_CODE: Mix<Txt> = Mix(&[
    (2, &[None]),
    (2, &[Some("AB123"), Some("ab123")]),
    (1, FIXTURE_CODES),
]);
const FIXTURE_CEILING: Mix<u32> = Mix(&[(3, &[20000]), (1, &[2000])]);
/// Origin and target of a roam: mostly two APP instances of different regions.
const ROAM_PAIR: Mix<(Inst, Inst)> = Mix(&[(6, ROAM_PAIRS_ACROSS), (1, ROAM_PAIRS_OTHER)]);
const ROAM_PAIRS_ACROSS: &[(Inst, Inst)] = &roam_pairs_across();

/// Whether fixture slots `a` and `b` have the same [`HOME`] region.
const fn same_home(a: usize, b: usize) -> bool {
    let (x, y) = (HOME[a].as_bytes(), HOME[b].as_bytes());
    if x.len() != y.len() {
        return false;
    }
    let mut i = 0;
    while i < x.len() {
        if x[i] != y[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// Every two APP fixture instances (all but [`HARDWARE`]) in different regions, each pair both
/// ways, then a roam to and one from the first software instance.
const fn roam_pairs_across() -> [(Inst, Inst); 12] {
    let mut pairs = [(Inst::Absent, Inst::Absent); 12];
    let mut k = 0;
    let mut a = 0;
    while a < IDS.len() {
        let mut b = a + 1;
        while b < IDS.len() {
            if a != HARDWARE && b != HARDWARE && !same_home(a, b) {
                pairs[k] = (Inst::Fixed(a as u8), Inst::Fixed(b as u8));
                pairs[k + 1] = (Inst::Fixed(b as u8), Inst::Fixed(a as u8));
                k += 2;
            }
            b += 1;
        }
        a += 1;
    }
    assert!(
        k == 10,
        "ten ordered pairs of fixture instances across regions"
    );
    pairs[10] = (Inst::Fixed(0), Inst::Soft(0));
    pairs[11] = (Inst::Soft(0), Inst::Fixed(2));
    pairs
}

const ROAM_PAIRS_OTHER: &[(Inst, Inst)] = &[
    (Inst::Fixed(0), Inst::Fixed(1)),
    (Inst::Fixed(0), Inst::Fixed(0)),
    (Inst::Fixed(3), Inst::Fixed(4)),
    (Inst::Fixed(2), Inst::Fixed(4)),
    (Inst::Fixed(4), Inst::Fixed(2)),
    (Inst::Soft(0), Inst::Soft(1)),
    (Inst::Missing, Inst::Fixed(2)),
    (Inst::Fixed(0), Inst::Missing),
    (Inst::Malformed, Inst::Fixed(2)),
    (Inst::Fixed(0), Inst::Malformed),
    (Inst::Empty, Inst::Fixed(2)),
    (Inst::Fixed(0), Inst::Absent),
];

/// Whether a create has neither `UserName` nor `Password` (so both are generated): 1 in 16,
/// as a generated user is never named again by later steps and only takes room.
const GENERATED: Mix<bool> = Mix(&[(15, &[false]), (1, &[true])]);

// ----- steps -----

/// How one drawn value of a step is drawn.
#[derive(Clone, Copy)]
enum Field {
    /// A text parameter.
    Txt(&'static Mix<Txt>),
    /// A user-name parameter naming a user of the step's instance (a roam's origin).
    User(&'static Mix<Name>),
    /// A number of the typed setup API.
    Num(&'static Mix<u32>),
    /// A pool of the typed setup API, as an index into [`POOLS`].
    Pool(&'static Mix<usize>),
    /// A flag of the typed setup API.
    Flag(&'static Mix<bool>),
    /// Whether a create leaves out both `UserName` and `Password` (so both are generated):
    /// when true, the two drawn after it are dropped.
    Generated,
}

/// One drawn value of a step.
#[derive(Clone, Copy, PartialEq)]
enum Val {
    Txt(Txt),
    User(Name),
    Num(u32),
    Pool(usize),
    Flag(bool),
}

impl Field {
    fn draw(self, d: &mut impl Draw) -> Val {
        match self {
            Field::Txt(mix) => Val::Txt(d.draw(mix)),
            Field::User(mix) => Val::User(d.draw(mix)),
            Field::Num(mix) => Val::Num(d.draw(mix)),
            Field::Pool(mix) => Val::Pool(d.draw(mix)),
            Field::Flag(mix) => Val::Flag(d.draw(mix)),
            Field::Generated => Val::Flag(d.draw(&GENERATED)),
        }
    }
}

/// Which instance a step addresses.
#[derive(Clone, Copy)]
enum Target {
    /// None: its region is a parameter of its own.
    None,
    /// One instance and its region: `SmartAGId` and `RegionId` of a request.
    Instance(&'static Mix<Inst>, &'static Mix<Reg>),
    /// The origin and the target of a roam, each with its region: `OriginSmartAGId`,
    /// `OriginRegionId`, `TargetSmartAGId` and `RegionId`.
    Roam,
}

/// How a step runs.
#[derive(Clone, Copy)]
enum Run {
    /// A raw request of this action, from the drawn parameters and these fixed ones.
    Raw(&'static str, &'static [(&'static str, &'static str)]),
    /// A call of the typed setup API on a well-formed instance.
    Typed(Setup),
}

/// The calls of the typed setup API.
#[derive(Clone, Copy)]
enum Setup {
    SetPool,
    SetQuota,
    SetCeiling,
    MarkUsed,
    /// `Account::connect` (its region is not used: an ID names the instance).
    Connect,
    /// `Account::set_clock`.
    Clock,
}

/// A kind of step: its label (the first word of its printed form and of its outcomes), how
/// often it is drawn, which instance it addresses, its drawn values (request parameters by
/// their wire names) in the order they are drawn, and how it runs.
struct Kind {
    label: &'static str,
    weight: u32,
    target: Target,
    params: &'static [(&'static str, Field)],
    run: Run,
}

impl Kind {
    /// A kind of raw request of `action` with no fixed parameters.
    const fn raw(
        label: &'static str,
        weight: u32,
        target: Target,
        params: &'static [(&'static str, Field)],
        action: &'static str,
    ) -> Kind {
        Kind {
            label,
            weight,
            target,
            params,
            run: Run::Raw(action, &[]),
        }
    }

    /// A kind of typed setup call on a well-formed instance.
    const fn typed(
        label: &'static str,
        weight: u32,
        params: &'static [(&'static str, Field)],
        setup: Setup,
    ) -> Kind {
        Kind {
            label,
            weight,
            target: Target::Instance(&INST_TYPED, &REG_TYPED),
            params,
            run: Run::Typed(setup),
        }
    }
}

const AT: Target = Target::Instance(&INST, &REG);
const USER_PARAM: (&str, Field) = ("UserName", Field::User(&USER));
const CODE_PARAM: (&str, Field) = ("EnterpriseCode", Field::Txt(&CODE));
const REGION_PARAM: (&str, Field) = ("RegionId", Field::Txt(&REGION));

/// Every kind of step, once.
const KINDS: &[Kind] = &[
    Kind::raw(
        "create",
        40,
        AT,
        &[
            ("generated", Field::Generated),
            ("UserName", Field::Txt(&NAME)),
            ("Password", Field::Txt(&PASSWORD)),
            ("UserMail", Field::Txt(&MAIL)),
            ("Bandwidth", Field::Txt(&BANDWIDTH)),
            ("ClientIp", Field::Txt(&IP)),
        ],
        "CreateSmartAccessGatewayClientUser",
    ),
    Kind::raw(
        "modify",
        8,
        AT,
        &[
            USER_PARAM,
            ("Bandwidth", Field::Txt(&BANDWIDTH_REQUIRED)),
            ("Email", Field::Txt(&EMAIL)),
        ],
        "ModifySmartAccessGatewayClientUser",
    ),
    Kind::raw("roam", 30, Target::Roam, &[USER_PARAM], "RoamClientUser"),
    Kind::raw(
        "delete",
        12,
        AT,
        &[USER_PARAM],
        "DeleteSmartAccessGatewayClientUser",
    ),
    Kind::raw(
        "enable",
        3,
        AT,
        &[USER_PARAM],
        "EnableSmartAccessGatewayUser",
    ),
    Kind::raw(
        "disable",
        3,
        AT,
        &[USER_PARAM],
        "DisableSmartAccessGatewayUser",
    ),
    Kind::raw(
        "reset",
        4,
        AT,
        &[USER_PARAM, ("Password", Field::Txt(&PASSWORDS_MIX))],
        "ResetSmartAccessGatewayClientUserPassword",
    ),
    Kind::raw(
        "describe",
        8,
        AT,
        &[
            ("UserName", Field::Txt(&FILTER_NAME)),
            ("UserMail", Field::Txt(&FILTER_MAIL)),
            ("PageNumber", Field::Txt(&PAGE_NUMBER)),
            ("PageSize", Field::Txt(&PAGE_SIZE)),
        ],
        "DescribeSmartAccessGatewayClientUsers",
    ),
    Kind {
        label: "software",
        weight: 2,
        target: Target::None,
        params: &[REGION_PARAM, ("UserCount", Field::Txt(&USER_COUNT))],
        run: Run::Raw(
            "CreateSmartAccessGatewaySoftware",
            &[
                ("Period", "12"),
                ("AutoPay", "true"),
                ("ChargeType", "PREPAY"),
                ("DataPlan", "5"),
            ],
        ),
    },
    Kind::raw(
        "gateway",
        8,
        AT,
        &[("CidrBlock", Field::Txt(&CIDR))],
        "ModifySmartAccessGateway",
    ),
    Kind::raw(
        "code",
        3,
        Target::None,
        &[REGION_PARAM, CODE_PARAM, TOKEN_PARAM],
        "CreateEnterpriseCode",
    ),
    Kind::raw(
        "bind",
        4,
        AT,
        &[CODE_PARAM, TOKEN_PARAM],
        "UpdateSmartAGEnterpriseCode",
    ),
    Kind::raw(
        "list_codes",
        4,
        Target::None,
        &[
            REGION_PARAM,
            ("EnterpriseCode", Field::Txt(&LIST_FILTER)),
            ("IsDefault", Field::Txt(&IS_DEFAULT)),
            ("NextToken", Field::Txt(&NEXT_TOKEN)),
            ("MaxResults", Field::Txt(&MAX_RESULTS)),
        ],
        "ListEnterpriseCode",
    ),
    Kind::raw(
        "update_code",
        3,
        Target::None,
        &[
            REGION_PARAM,
            CODE_PARAM,
            ("IsDefault", Field::Txt(&IS_DEFAULT_REQUIRED)),
            TOKEN_PARAM,
        ],
        "UpdateEnterpriseCode",
    ),
    Kind::raw(
        "delete_code",
        3,
        Target::None,
        &[REGION_PARAM, CODE_PARAM, TOKEN_PARAM],
        "DeleteEnterpriseCode",
    ),
    Kind::typed(
        "set_cidr_pool",
        2,
        &[("pool", Field::Pool(&POOL))],
        Setup::SetPool,
    ),
    Kind::typed(
        "set_quota",
        3,
        &[("quota", Field::Num(&QUOTA))],
        Setup::SetQuota,
    ),
    Kind::typed(
        "set_max_bandwidth",
        2,
        &[("max", Field::Num(&CEILING))],
        Setup::SetCeiling,
    ),
    Kind::raw("online", 6, AT, &[USER_PARAM], "DescribeUserOnlineClients"),
    Kind::raw(
        "kick",
        3,
        AT,
        &[("Username", Field::User(&USER))],
        "KickOutClients",
    ),
    Kind::typed(
        "connect",
        12,
        &[("name", Field::User(&USER_OK))],
        Setup::Connect,
    ),
    Kind::typed(
        "set_clock",
        2,
        &[("time", Field::Num(&CLOCK))],
        Setup::Clock,
    ),
    Kind::typed(
        "mark_used_this_month",
        5,
        &[
            ("name", Field::User(&USER_OK)),
            ("used", Field::Flag(&FLAG)),
        ],
        Setup::MarkUsed,
    ),
];
/// One step of a sequence.
#[derive(Clone)]
struct Op {
    kind: &'static Kind,
    /// The instance (a roam's origin) and its region parameter.
    at: Option<(Inst, Reg)>,
    /// A roam's target and its region parameter.
    to: Option<(Inst, Reg)>,
    /// The drawn values, named as in [`Kind::params`].
    vals: Vec<(&'static str, Val)>,
}

impl Op {
    /// The drawn text of a parameter, if the step has it.
    fn txt(&self, name: &str) -> Txt {
        self.vals.iter().find_map(|&(n, v)| match v {
            Val::Txt(t) if n == name => t,
            _ => None,
        })
    }
}

/// Reset passwords: absent (generated) half of the time.
const PASSWORDS_MIX: Mix<Txt> = Mix(&[(4, &[None]), (3, &[Some("Passw0rd-x_@")]), (1, TOKENS)]);

// ----- drawing steps and fixtures: seeded dice, or proptest -----

/// Something that draws a value from each mix: seeded [`Dice`], or proptest (through
/// [`Recorder`] and [`Replay`]). A [`Build`] makes the same draws, in the same order, whatever
/// the values drawn, so both generators share one description of each step and fixture.
trait Draw {
    fn draw<T: Clone + fmt::Debug + 'static>(&mut self, mix: &Mix<T>) -> T;
}

/// Builds a value from draws.
trait Build: Copy + 'static {
    type Out: fmt::Debug;
    fn build(self, d: &mut impl Draw) -> Self::Out;
}

impl Build for &'static Kind {
    type Out = Op;

    fn build(self, d: &mut impl Draw) -> Op {
        let (at, to) = match self.target {
            Target::None => (None, None),
            Target::Instance(inst, reg) => (Some((d.draw(inst), d.draw(reg))), None),
            Target::Roam => {
                let (from, to) = d.draw(&ROAM_PAIR);
                let from_reg = d.draw(&REG);
                (Some((from, from_reg)), Some((to, d.draw(&REG))))
            }
        };
        let mut vals: Vec<(&str, Val)> = self
            .params
            .iter()
            .map(|&(name, field)| (name, field.draw(d)))
            .collect();
        if let Some(i) = vals
            .iter()
            .position(|v| *v == ("generated", Val::Flag(true)))
        {
            for (_, val) in vals.iter_mut().skip(i + 1).take(2) {
                *val = Val::Txt(None);
            }
        }
        Op {
            kind: self,
            at,
            to,
            vals,
        }
    }
}

/// The fixture, drawn slot by slot.
#[derive(Clone, Copy)]
struct Fixtures;

impl Build for Fixtures {
    type Out = Fixture;

    fn build(self, d: &mut impl Draw) -> Fixture {
        Fixture(std::array::from_fn(|_| Slot {
            quota: d.draw(&QUOTA),
            pool: d.draw(&POOL),
            code: d.draw(&FIXTURE_CODE),
            ceiling: d.draw(&FIXTURE_CEILING),
        }))
    }
}

/// The seeded dice of the deterministic run.
struct Dice(Rng);

impl Dice {
    fn below(&mut self, n: usize) -> usize {
        self.0.below(n)
    }

    fn weighted(&mut self, weights: &[u32]) -> usize {
        let mut roll = self.below(weights.iter().sum::<u32>() as usize) as u32;
        for (i, &w) in weights.iter().enumerate() {
            if roll < w {
                return i;
            }
            roll -= w;
        }
        weights.len() - 1
    }

    fn op(&mut self) -> Op {
        let weights: Vec<u32> = KINDS.iter().map(|k| k.weight).collect();
        KINDS[self.weighted(&weights)].build(self)
    }
}

impl Draw for Dice {
    fn draw<T: Clone + fmt::Debug + 'static>(&mut self, mix: &Mix<T>) -> T {
        mix.roll(self)
    }
}

/// One value drawn by a proptest strategy, of the type its mix has.
struct Drawn(Box<dyn Any>);

impl fmt::Debug for Drawn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Drawn")
    }
}

/// Finds out which mixes a build draws from: answers the first value of each, and keeps its
/// strategy.
struct Recorder(Vec<BoxedStrategy<Drawn>>);

impl Draw for Recorder {
    fn draw<T: Clone + fmt::Debug + 'static>(&mut self, mix: &Mix<T>) -> T {
        self.0
            .push(mix.strategy().prop_map(|v| Drawn(Box::new(v))).boxed());
        mix.0[0].1[0].clone()
    }
}

/// Answers the values a recorded list of strategies generated, in order.
struct Replay(std::vec::IntoIter<Drawn>);

impl Draw for Replay {
    fn draw<T: Clone + fmt::Debug + 'static>(&mut self, _: &Mix<T>) -> T {
        match self.0.next().map(|v| v.0.downcast::<T>()) {
            Some(Ok(v)) => *v,
            _ => unreachable!("a build draws the same mixes in the same order every time"),
        }
    }
}

/// The strategy of a build: each of its draws as its own strategy (so each value shrinks on
/// its own, towards the first entry of its first table), then the value built.
fn strategy<B: Build>(b: B) -> BoxedStrategy<B::Out> {
    let mut recorder = Recorder(Vec::new());
    let _ = b.build(&mut recorder);
    recorder
        .0
        .prop_map(move |values| b.build(&mut Replay(values.into_iter())))
        .boxed()
}

/// The strategy of one step: a kind by weight, then its values.
fn op_strategy() -> BoxedStrategy<Op> {
    Union::new_weighted(KINDS.iter().map(|k| (k.weight, strategy(k))).collect()).boxed()
}

// ----- the fixture -----

/// How one fixture instance is bought.
#[derive(Clone, Copy)]
struct Slot {
    quota: u32,
    /// Index into [`POOLS`].
    pool: usize,
    code: Txt,
    ceiling: u32,
}

/// The five fixture instances ([`IDS`], in their [`HOME`] regions; [`HARDWARE`] is hardware).
#[derive(Clone)]
struct Fixture([Slot; 5]);

impl Fixture {
    /// The default fixture: every rule of roaming reachable from it.
    const DEFAULT: Fixture = Fixture([
        Slot {
            quota: 3,
            pool: 0,
            code: Some("AB123"),
            ceiling: 20000,
        },
        Slot {
            quota: 1,
            pool: 4,
            code: None,
            ceiling: 20000,
        },
        Slot {
            quota: 2,
            pool: 1,
            code: Some("ab123"),
            ceiling: 20000,
        },
        Slot {
            quota: 5,
            pool: 2,
            code: Some("AB123"),
            ceiling: 2000,
        },
        Slot {
            quota: 5,
            pool: 3,
            code: None,
            ceiling: 20000,
        },
    ]);

    fn specs(&self) -> Result<Vec<InstanceSpec>, String> {
        let mut specs = Vec::new();
        for (k, slot) in self.0.iter().enumerate() {
            let id: SmartAgId = parse(IDS[k])?;
            let region: RegionId = parse(HOME[k])?;
            let mut spec = if k == HARDWARE {
                InstanceSpec::hardware(id, region)
            } else {
                InstanceSpec::app(id, region)
            };
            spec = spec
                .quota(slot.quota)
                .pool(pool(slot.pool)?)
                .max_bandwidth(Bandwidth::new(slot.ceiling).map_err(|e| e.to_string())?);
            if let Some(code) = slot.code {
                spec = spec.enterprise_code(parse(code)?);
            }
            specs.push(spec);
        }
        Ok(specs)
    }
}

fn parse<T: std::str::FromStr<Err = Error>>(s: &str) -> Result<T, String> {
    s.parse().map_err(|e| format!("{s:?}: {e}"))
}

/// The pool of [`POOLS`]`[i]`.
fn pool(i: usize) -> Result<CidrPool, String> {
    match POOLS.get(i) {
        Some(&"") => Ok(CidrPool::empty()),
        Some(s) => parse(s),
        None => Err(format!("no pool {i}")),
    }
}

// ----- compact printing, for readable counterexamples -----

fn show(t: Txt) -> String {
    match t {
        None => "-".into(),
        Some(s) => format!("{s:?}"),
    }
}

impl fmt::Debug for Inst {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Inst::Fixed(k) => f.write_str(SHORT[usize::from(k)]),
            Inst::Soft(k) => write!(f, "soft{k}"),
            Inst::Missing => f.write_str("sag-nothere"),
            Inst::Malformed => f.write_str("SAG-X"),
            Inst::Empty => f.write_str("\"\""),
            Inst::Absent => f.write_str("-"),
        }
    }
}

impl fmt::Debug for Reg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Reg::Home => Ok(()),
            Reg::Other(k) => write!(f, "@{}", show(REGIONS[usize::from(k)])),
        }
    }
}

impl fmt::Debug for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Name::Lit(t) => f.write_str(&show(t)),
            Name::Nth(k) => write!(f, "#{k}"),
        }
    }
}

impl fmt::Debug for Val {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Val::Txt(t) => f.write_str(&show(t)),
            Val::User(name) => write!(f, "{name:?}"),
            Val::Num(n) => write!(f, "{n}"),
            Val::Pool(i) => write!(f, "{:?}", POOLS[i]),
            Val::Flag(b) => write!(f, "{b}"),
        }
    }
}

impl fmt::Debug for Op {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.kind.label)?;
        if let Some((at, reg)) = self.at {
            write!(f, " {at:?}{reg:?}")?;
        }
        if let Some((to, reg)) = self.to {
            write!(f, " -> {to:?}{reg:?}")?;
        }
        for (name, val) in &self.vals {
            write!(f, " {name}={val:?}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Slot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "quota={} pool={:?} code={} max={}",
            self.quota,
            POOLS[self.pool],
            show(self.code),
            self.ceiling
        )
    }
}

impl fmt::Debug for Fixture {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut list = f.debug_map();
        for (k, slot) in self.0.iter().enumerate() {
            list.entry(&format_args!("{}", SHORT[k]), slot);
        }
        list.finish()
    }
}

/// A request on one line: the action and its present parameters.
fn compact(action: &str, params: &[(&str, Option<String>)]) -> String {
    let mut out = action.to_string();
    for (name, value) in params {
        if let Some(value) = value {
            out.push_str(&format!(" {name}={value:?}"));
        }
    }
    out
}

// ----- running both models -----

/// What a step runs.
enum Call {
    /// A raw request, with its one-line form.
    Request(String, Request),
    /// A typed setup call on a well-formed instance.
    Typed(Setup, RegionId, SmartAgId),
}

/// The real account and the reference side by side.
struct Harness {
    real: Account,
    reference: RefAccount,
    /// The (ID, region) of each instance `CreateSmartAccessGatewaySoftware` made.
    soft: Vec<(String, String)>,
    /// The `NextToken` of the last listing that returned one.
    last_token: Option<String>,
    /// How many steps ran.
    steps: usize,
    /// How often each outcome happened, as `"kind code"` (`"kind ok"` for a success).
    outcomes: BTreeMap<String, usize>,
}

/// A raw request of `action` from its parameters (an absent one is `None`), read as the wire
/// layer reads them.
fn raw_request(action: &str, params: &[(&str, Option<String>)]) -> Request {
    Request::from_params(action, |name| {
        params
            .iter()
            .find(|(n, _)| *n == name)
            .and_then(|(_, v)| v.as_deref())
    })
    .expect("an action of the API")
}

fn text(t: Txt) -> Option<String> {
    t.map(str::to_string)
}

impl Harness {
    fn new(fixture: &Fixture, seed: u64) -> Result<Harness, String> {
        let mut real = Account::with_seed(seed);
        let mut reference = RefAccount::new();
        for spec in fixture.specs()? {
            let got = real.add_instance(spec.clone()).is_ok();
            let want = reference.add_instance(&spec).is_ok();
            if got != want {
                return Err(format!(
                    "add_instance {spec:?}: real {got:?}, reference {want:?}"
                ));
            }
        }
        let harness = Harness {
            real,
            reference,
            soft: Vec::new(),
            last_token: None,
            steps: 0,
            outcomes: BTreeMap::new(),
        };
        harness.check_state()?;
        Ok(harness)
    }

    fn id(&self, inst: Inst) -> Option<String> {
        match inst {
            Inst::Fixed(k) => Some(IDS[usize::from(k)].to_string()),
            Inst::Soft(k) => Some(
                self.soft
                    .get(usize::from(k))
                    .map_or_else(|| format!("sag-nosoft{k}"), |s| s.0.clone()),
            ),
            Inst::Missing => Some("sag-nothere".into()),
            Inst::Malformed => Some("SAG-X".into()),
            Inst::Empty => Some(String::new()),
            Inst::Absent => None,
        }
    }

    fn region(&self, inst: Inst, reg: Reg) -> Option<String> {
        match reg {
            Reg::Other(k) => text(REGIONS[usize::from(k)]),
            Reg::Home => Some(match inst {
                Inst::Fixed(k) => HOME[usize::from(k)].to_string(),
                Inst::Soft(k) => self
                    .soft
                    .get(usize::from(k))
                    .map_or_else(|| HOME[0].to_string(), |s| s.1.clone()),
                _ => HOME[0].to_string(),
            }),
        }
    }

    /// The text of a user-name parameter naming a user of `inst`.
    fn user(&self, inst: Inst, reg: Reg, name: Name) -> Option<String> {
        match name {
            Name::Lit(t) => text(t),
            Name::Nth(k) => {
                let region = self.region(inst, reg).unwrap_or_default();
                let id = self.id(inst).unwrap_or_default();
                let users = self
                    .reference
                    .instance(&region, &id)
                    .map_or(&[][..], |i| &i.users[..]);
                Some(match users.len() {
                    0 => "alice.01".to_string(),
                    n => users[usize::from(k) % n].name.clone(),
                })
            }
        }
    }

    /// The well-formed region and ID of a typed call.
    fn typed_target(&self, inst: Inst, reg: Reg) -> Result<(RegionId, SmartAgId), String> {
        let region = self.region(inst, reg).unwrap_or_default();
        let id = self.id(inst).unwrap_or_default();
        Ok((parse(&region)?, parse(&id)?))
    }

    /// The text of a drawn value as a request parameter (`None` for the values of typed calls).
    fn param(&self, op: &Op, val: Val) -> Option<String> {
        match (val, op.at) {
            (Val::Txt(Some(LAST_TOKEN)), _) => self.last_token.clone(),
            (Val::Txt(t), _) => text(t),
            (Val::User(name), Some((at, reg))) => self.user(at, reg, name),
            _ => None,
        }
    }

    fn call(&self, op: &Op) -> Result<Call, String> {
        match op.kind.run {
            Run::Raw(action, fixed) => {
                let mut params = match (op.at, op.to) {
                    (Some((at, reg)), None) => vec![
                        ("RegionId", self.region(at, reg)),
                        ("SmartAGId", self.id(at)),
                    ],
                    (Some((from, from_reg)), Some((to, reg))) => vec![
                        ("RegionId", self.region(to, reg)),
                        ("OriginRegionId", self.region(from, from_reg)),
                        ("OriginSmartAGId", self.id(from)),
                        ("TargetSmartAGId", self.id(to)),
                    ],
                    _ => Vec::new(),
                };
                params.extend(
                    op.vals
                        .iter()
                        .map(|&(name, val)| (name, self.param(op, val))),
                );
                params.extend(fixed.iter().map(|&(name, v)| (name, text(Some(v)))));
                Ok(Call::Request(
                    compact(action, &params),
                    raw_request(action, &params),
                ))
            }
            Run::Typed(setup) => {
                let (at, reg) = op.at.ok_or("a typed call without an instance")?;
                let (region, id) = self.typed_target(at, reg)?;
                Ok(Call::Typed(setup, region, id))
            }
        }
    }

    /// Runs one step on both models and checks everything; the error says what broke.
    fn step(&mut self, op: &Op) -> Result<(), String> {
        self.steps += 1;
        let before = self.real.clone();
        let (what, failed) = match self.call(op)? {
            Call::Request(line, request) => {
                let failed = self.request(&line, &request)?;
                (line, failed)
            }
            Call::Typed(setup, region, id) => {
                (format!("{op:?}"), self.typed(op, setup, region, id)?)
            }
        };
        *self.outcomes.entry(outcome_label(op, failed)).or_default() += 1;
        if failed.is_some() && self.real != before {
            return Err(format!(
                "{what}: failed with {failed:?} but changed the account"
            ));
        }
        let broken = self.real.invariant_violations();
        if !broken.is_empty() {
            return Err(format!("{what}: invariants broken: {broken:#?}"));
        }
        self.check_state().map_err(|e| format!("{what}: {e}"))
    }

    /// The whole state of both models agrees.
    fn check_state(&self) -> Result<(), String> {
        let diff = self.reference.diff(&self.real);
        if diff.is_empty() {
            Ok(())
        } else {
            Err(format!("states differ: {diff:#?}"))
        }
    }

    /// Runs a request on both models; answers the error, if it failed.
    fn request(&mut self, line: &str, request: &Request) -> Result<Option<Error>, String> {
        let violations = self.real.violations(request);
        let got = self.real.execute(request);
        let generated = self.generated(request, &got)?;
        let want = self.reference.execute(request, &generated);
        let real = got.as_ref().map(RefResponse::from_real).map_err(|e| *e);
        if real != want {
            return Err(format!(
                "disagreement on {line}\n  real:      {real:?}\n  reference: {want:?}"
            ));
        }
        match &got {
            Ok(_) if !violations.is_empty() => Err(format!(
                "{line}: succeeded, but violations() said {violations:?}"
            )),
            Err(e) if violations.first() != Some(e) => Err(format!(
                "{line}: failed with {e:?}, but violations() said {violations:?}"
            )),
            Ok(_) => Ok(None),
            Err(e) => Ok(Some(*e)),
        }
    }

    /// What the real account generated for a successful request, checked against its rules.
    fn generated(
        &mut self,
        request: &Request,
        got: &Result<Response, Error>,
    ) -> Result<Generated, String> {
        let mut generated = Generated::default();
        match (request, got) {
            (Request::CreateClientUser(r), Ok(Response::ClientUser(info)))
                if r.user_name.is_none() && r.password.is_none() =>
            {
                let (region, id) = (r.region_id.clone(), r.smart_ag_id.clone());
                let name = info.user_name.to_string();
                parse::<UserName>(&name).map_err(|e| format!("generated name {e}"))?;
                let taken = self
                    .reference
                    .instance(
                        &region.clone().unwrap_or_default(),
                        &id.clone().unwrap_or_default(),
                    )
                    .is_some_and(|i| i.user(&name).is_some());
                if taken {
                    return Err(format!("generated name {name} is already taken"));
                }
                generated.password = Some(self.real_password(&region, &id, &name)?);
                generated.user_name = Some(name);
            }
            (Request::ResetClientUserPassword(r), Ok(_)) if r.password.is_none() => {
                let name = r.user_name.clone().unwrap_or_default();
                generated.password =
                    Some(self.real_password(&r.region_id, &r.smart_ag_id, &name)?);
            }
            (Request::ListEnterpriseCode(_), Ok(Response::EnterpriseCodes(page))) => {
                if let Some(token) = page.next_token {
                    let token = token.to_string();
                    self.last_token = Some(token.clone());
                    generated.next_token = Some(token);
                }
            }
            (Request::CreateSoftware(r), Ok(Response::InstanceCreated(id))) => {
                let region = r.region_id.clone().unwrap_or_default();
                if self.reference.instances.iter().any(|i| i.id == id.as_str()) {
                    return Err(format!("generated instance ID {id} is already taken"));
                }
                self.soft.push((id.to_string(), region));
                generated.instance_id = Some(id.to_string());
            }
            _ => {}
        }
        Ok(generated)
    }

    /// The password the real account now holds for a user, checked against the password rule.
    fn real_password(
        &self,
        region: &Option<String>,
        id: &Option<String>,
        name: &str,
    ) -> Result<String, String> {
        let region: RegionId = parse(region.as_deref().unwrap_or_default())?;
        let password = self
            .real
            .instance(&region, &parse(id.as_deref().unwrap_or_default())?)
            .and_then(|i| i.user(&name.parse().ok()?))
            .map(|u| u.password().expose_secret().to_string())
            .ok_or_else(|| format!("the real account has no user {name} after the request"))?;
        parse::<Password>(&password).map_err(|e| format!("generated password {e}"))?;
        Ok(password)
    }

    /// Runs a typed setup call on both models; answers the error, if it failed.
    fn typed(
        &mut self,
        op: &Op,
        setup: Setup,
        region: RegionId,
        id: SmartAgId,
    ) -> Result<Option<Error>, String> {
        let vals: Vec<Val> = op.vals.iter().map(|&(_, v)| v).collect();
        let (reference, real) = match (setup, &vals[..]) {
            (Setup::SetPool, &[Val::Pool(p)]) => (
                self.reference
                    .set_cidr_pool(region.as_str(), id.as_str(), &pool(p)?),
                self.real.set_cidr_pool(&region, &id, pool(p)?),
            ),
            (Setup::SetQuota, &[Val::Num(quota)]) => (
                self.reference
                    .set_quota(region.as_str(), id.as_str(), quota),
                self.real.set_quota(&region, &id, quota),
            ),
            (Setup::SetCeiling, &[Val::Num(max)]) => (
                self.reference
                    .set_max_bandwidth(region.as_str(), id.as_str(), max),
                self.real.set_max_bandwidth(
                    &region,
                    &id,
                    Bandwidth::new(max).map_err(|e| format!("ceiling {max}: {e}"))?,
                ),
            ),
            (Setup::Connect, &[Val::User(name)]) => {
                let name = self.param(op, Val::User(name)).unwrap_or_default();
                let reference = self.reference.connect(id.as_str(), &name);
                let real = self
                    .real
                    .connect(&id, &parse(&name)?)
                    .map(|s| (s.client_ip().addr(), s.online_time()));
                if real != reference {
                    return Err(format!(
                        "connect disagreement: real {real:?}, reference {reference:?}"
                    ));
                }
                // A refused connect is a misuse of the testing hook, counted as one.
                return Ok(real.err().map(|_| Error::InvalidParameter));
            }
            (Setup::Clock, &[Val::Num(time)]) => {
                self.reference.set_clock(u64::from(time));
                self.real.set_clock(u64::from(time));
                (Ok(()), Ok(()))
            }
            (Setup::MarkUsed, &[Val::User(name), Val::Flag(used)]) => {
                let name = self.param(op, Val::User(name)).unwrap_or_default();
                (
                    self.reference
                        .mark_used_this_month(region.as_str(), id.as_str(), &name, used),
                    self.real
                        .mark_used_this_month(&region, &id, &parse(&name)?, used),
                )
            }
            _ => return Err("the values do not fit the typed call".into()),
        };
        if real != reference {
            return Err(format!(
                "disagreement: real {real:?}, reference {reference:?}"
            ));
        }
        Ok(real.err())
    }
}

/// How a step ended, for the coverage count: the step's first word and the error code (`ok` on
/// success). The cases that share a code with a form error are told apart: a well-formed
/// bandwidth above the instance's ceiling (`BandwidthInvalid>max`), and the state checks of a
/// well-formed new pool (`gateway/valid-pool`).
fn outcome_label(op: &Op, failed: Option<Error>) -> String {
    let kind = match op.kind.label {
        "gateway" if CIDRS_OK.contains(&op.txt("CidrBlock")) => "gateway/valid-pool",
        label => label,
    };
    let bandwidth_well_formed = op
        .txt("Bandwidth")
        .is_some_and(|b| b.parse::<Bandwidth>().is_ok());
    let outcome = match failed {
        None => "ok",
        Some(Error::BandwidthInvalid) if bandwidth_well_formed => "BandwidthInvalid>max",
        Some(e) => e.code(),
    };
    format!("{kind} {outcome}")
}

/// Runs `ops` from `fixture`, stopping at the first broken check.
fn run(fixture: &Fixture, seed: u64, ops: &[Op]) -> Result<Harness, String> {
    let mut harness = Harness::new(fixture, seed)?;
    for (i, op) in ops.iter().enumerate() {
        harness
            .step(op)
            .map_err(|e| format!("step {i} ({op:?}): {e}"))?;
    }
    Ok(harness)
}

// ----- the tests -----

/// At least this many generated steps per run of the property test.
const MIN_PROPERTY_STEPS: usize = 10_000;

#[test]
fn random_sequences_agree_with_the_reference_model() {
    let config = Config {
        cases: 512,
        source_file: Some(file!()),
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource(
            "proptest-regressions",
        ))),
        ..Config::default()
    };
    let mut runner = TestRunner::new(config);
    let steps = Cell::new(0usize);
    let strategy = (
        strategy(Fixtures),
        0..4u64,
        prop::collection::vec(op_strategy(), 1..=100),
    );
    let result = runner.run(&strategy, |(fixture, seed, ops)| {
        let harness = run(&fixture, seed, &ops).map_err(TestCaseError::fail)?;
        steps.set(steps.get() + harness.steps);
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    assert!(
        steps.get() >= MIN_PROPERTY_STEPS,
        "only {} steps ran",
        steps.get()
    );
}

/// Outcomes the long seeded run must reach, so that it cannot quietly stop testing a rule.
const MUST_REACH: &[&str] = &[
    "bind EnterpriseCode.NotExist",
    "bind IdempotentParameterMismatch",
    "bind InvalidParameter",
    "bind MissingParameter",
    "bind SAG.InstanceIdEmpty",
    "bind SAG.InstanceNoFound",
    "bind ok",
    "code EnterpriseCode.BeenOccupied",
    "code IdempotentParameterMismatch",
    "code InvalidParameter",
    "code MissingParameter",
    "code ok",
    "create BandwidthInvalid>max",
    "create ClientUser.BandwidthInvalid",
    "create ClientUser.EmailEmpty",
    "create ClientUser.EmailInvalid",
    "create ClientUser.InvalidClientIp",
    "create ClientUser.IpEmpty",
    "create ClientUser.IpInvalid",
    "create ClientUser.NameEmpty",
    "create ClientUser.NameInvalid",
    "create ClientUser.NotSupportAction",
    "create ClientUser.PasswordInvalid",
    "create ClientUser.UserExist",
    "create ClientUser.UserOverLimit",
    "create InvalidParameter",
    "create MissingParameter",
    "create SAG.CidrEmpty",
    "create SAG.InstanceIdEmpty",
    "create SAG.InstanceNoFound",
    "create ok",
    "delete ClientUser.NameEmpty",
    "delete ClientUser.NameInvalid",
    "delete ClientUser.UserInUsing",
    "delete InvalidParameter",
    "delete MissingParameter",
    "delete ResourceNotFound.User",
    "delete SAG.InstanceIdEmpty",
    "delete SAG.InstanceNoFound",
    "delete ok",
    "delete_code EnterpriseCode.BeingUsed",
    "delete_code EnterpriseCode.DeleteLimit",
    "delete_code EnterpriseCode.NotExist",
    "delete_code IdempotentParameterMismatch",
    "delete_code InvalidParameter",
    "delete_code ok",
    "describe InvalidParameter",
    "describe MissingParameter",
    "describe SAG.InstanceIdEmpty",
    "describe SAG.InstanceNoFound",
    "describe ok",
    "disable ClientUser.NameEmpty",
    "disable ClientUser.NameInvalid",
    "disable InvalidParameter",
    "disable MissingParameter",
    "disable ResourceNotFound.User",
    "disable SAG.InstanceIdEmpty",
    "disable SAG.InstanceNoFound",
    "disable ok",
    "enable ClientUser.NameEmpty",
    "enable ClientUser.NameInvalid",
    "enable InvalidParameter",
    "enable MissingParameter",
    "enable ResourceNotFound.User",
    "enable SAG.InstanceIdEmpty",
    "enable SAG.InstanceNoFound",
    "enable ok",
    "gateway InvalidParameter",
    "gateway MissingParameter",
    "gateway SAG.CidrEmpty",
    "gateway SAG.CidrOverlap",
    "gateway SAG.InstanceIdEmpty",
    "gateway SAG.InvalidCidr",
    "gateway SAG.InvalidCidrFormat",
    "gateway ok",
    "gateway/valid-pool InvalidParameter",
    "gateway/valid-pool MissingParameter",
    "gateway/valid-pool SAG.CidrOverlap",
    "gateway/valid-pool SAG.InstanceIdEmpty",
    "gateway/valid-pool SAG.InstanceNoFound",
    "gateway/valid-pool SAG.InvalidCidr",
    "gateway/valid-pool ok",
    "list_codes InvalidParameter",
    "list_codes MissingParameter",
    "list_codes ok",
    "connect InvalidParameter",
    "connect ok",
    "kick ClientUser.NameEmpty",
    "kick ClientUser.NameInvalid",
    "kick InvalidParameter",
    "kick MissingParameter",
    "kick SAG.InstanceIdEmpty",
    "kick SAG.InstanceNoFound",
    "kick ok",
    "mark_used_this_month ResourceNotFound.User",
    "mark_used_this_month SAG.InstanceNoFound",
    "mark_used_this_month ok",
    "modify BandwidthInvalid>max",
    "modify ClientUser.BandwidthInvalid",
    "modify ClientUser.EmailInvalid",
    "modify ClientUser.NameEmpty",
    "modify ClientUser.NameInvalid",
    "modify InvalidParameter",
    "modify MissingParameter",
    "modify ResourceNotFound.User",
    "modify SAG.InstanceIdEmpty",
    "modify SAG.InstanceNoFound",
    "modify ok",
    "online ClientUser.NameEmpty",
    "online ClientUser.NameInvalid",
    "online InvalidParameter",
    "online MissingParameter",
    "online SAG.InstanceIdEmpty",
    "online SAG.InstanceNoFound",
    "online ok",
    "reset ClientUser.NameEmpty",
    "reset ClientUser.NameInvalid",
    "reset ClientUser.PasswordInvalid",
    "reset InvalidParameter",
    "reset MissingParameter",
    "reset ResourceNotFound.User",
    "reset SAG.InstanceIdEmpty",
    "reset SAG.InstanceNoFound",
    "reset ok",
    "roam ClientUser.BandwidthInvalid",
    "roam ClientUser.InvalidClientIp",
    "roam ClientUser.NameEmpty",
    "roam ClientUser.NameInvalid",
    "roam ClientUser.NotSupportAction",
    "roam ClientUser.UserExist",
    "roam ClientUser.UserOverLimit",
    "roam EnterpriseCode.ConfigDifferent",
    "roam InvalidParameter",
    "roam MissingParameter",
    "roam ResourceNotFound.User",
    "roam SAG.CidrEmpty",
    "roam SAG.CidrOverlap",
    "roam SAG.InstanceIdEmpty",
    "roam SAG.InstanceNoFound",
    "roam ok",
    "set_cidr_pool SAG.CidrEmpty",
    "set_cidr_pool SAG.CidrOverlap",
    "set_cidr_pool SAG.InstanceNoFound",
    "set_cidr_pool SAG.InvalidCidr",
    "set_cidr_pool ok",
    "set_max_bandwidth ClientUser.BandwidthInvalid",
    "set_max_bandwidth SAG.InstanceNoFound",
    "set_max_bandwidth ok",
    "set_clock ok",
    "set_quota ClientUser.UserOverLimit",
    "set_quota SAG.InstanceNoFound",
    "set_quota ok",
    "software InvalidParameter",
    "software MissingParameter",
    "software ok",
    "update_code EnterpriseCode.NotExist",
    "update_code IdempotentParameterMismatch",
    "update_code InvalidParameter",
    "update_code MissingParameter",
    "update_code ok",
];

#[test]
fn a_long_seeded_sequence_agrees_and_reaches_every_outcome() {
    const EPOCHS: u64 = 100;
    const STEPS: usize = 200;
    let mut dice = Dice(Rng::new(0x5a6_2024));
    let mut outcomes: BTreeMap<String, usize> = BTreeMap::new();
    for epoch in 0..EPOCHS {
        let fixture = if epoch == 0 {
            Fixture::DEFAULT
        } else {
            Fixtures.build(&mut dice)
        };
        let mut harness = Harness::new(&fixture, epoch).unwrap_or_else(|e| panic!("{e}"));
        let mut recent: VecDeque<Op> = VecDeque::new();
        for i in 0..STEPS {
            let op = dice.op();
            if recent.len() == 30 {
                recent.pop_front();
            }
            recent.push_back(op.clone());
            if let Err(e) = harness.step(&op) {
                panic!(
                    "epoch {epoch}, step {i}: {e}\nfixture: {fixture:#?}\nlast steps: {recent:#?}"
                );
            }
        }
        for (outcome, n) in harness.outcomes {
            *outcomes.entry(outcome).or_default() += n;
        }
    }
    let missing: Vec<&str> = MUST_REACH
        .iter()
        .copied()
        .filter(|o| !outcomes.contains_key(*o))
        .collect();
    assert!(
        missing.is_empty(),
        "never reached: {missing:?}\nreached: {outcomes:#?}"
    );
    if std::env::var_os("MODEL_SEQUENCES_OUTCOMES").is_some() {
        eprintln!("{outcomes:#?}");
    }
}
