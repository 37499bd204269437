//! The small-universe operation sequence: one decoder from bytes, read by the `Arbitrary` impl
//! and by the proptest strategy alike.

use crate::cidr::{CidrBlock, CidrPool};
use crate::error::Error;
use crate::fields::{Bandwidth, EnterpriseCode, RegionId, SmartAgId};
use crate::model::{Account, InstanceSpec};
use crate::ops::{
    BindEnterpriseCodeRaw, ClientUserRefRaw, CreateClientUserRaw, CreateEnterpriseCodeRaw,
    CreateSoftwareRaw, DescribeClientUsersRaw, ModifyClientUserRaw, ModifyGatewayRaw, Request,
    ResetPasswordRaw, RoamClientUserRaw,
};
use crate::ops::{DeleteEnterpriseCodeRaw, ListEnterpriseCodeRaw, UpdateEnterpriseCodeRaw};
use crate::ops::{DescribeUserOnlineClientsRaw, KickOutClientsRaw};

/// The regions of the universe.
const REGIONS: [&str; 3] = ["cn-shanghai", "cn-hangzhou", "ap-southeast-1"];
/// The instance IDs of the universe.
const IDS: [&str; 4] = ["sag-a1", "sag-b2", "sag-c3", "sag-d4"];
/// Malformed instance IDs, chosen now and then.
const BAD_IDS: [&str; 2] = ["", "SAG-A1"];
/// The user names of the universe.
const NAMES: [&str; 4] = ["alice001", "bob00002", "carol003", "dave.004"];
/// Malformed user names, chosen now and then.
const BAD_NAMES: [&str; 2] = ["abc", ""];
/// Enterprise codes; two are the same code in another case.
const CODES: [&str; 3] = ["AB123", "ab123", "XY789"];
/// Client tokens, so that retries and mismatches happen.
const TOKENS: [&str; 3] = ["retry-1", "retry-2", "t"];
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
/// The most steps one sequence holds.
const MAX_STEPS: usize = 64;

/// A source of bytes: past its end it answers zeros, so every input decodes.
pub(crate) trait ByteSource {
    /// The next byte (zero once the input is spent).
    fn byte(&mut self) -> u8;
    /// Whether the input is spent.
    fn is_spent(&self) -> bool;
}

/// A byte slice read front to back.
struct Bytes<'a>(core::slice::Iter<'a, u8>);

impl ByteSource for Bytes<'_> {
    fn byte(&mut self) -> u8 {
        self.0.next().copied().unwrap_or(0)
    }

    fn is_spent(&self) -> bool {
        self.0.len() == 0
    }
}

#[cfg(feature = "arbitrary")]
impl ByteSource for ::arbitrary::Unstructured<'_> {
    fn byte(&mut self) -> u8 {
        <u8 as ::arbitrary::Arbitrary>::arbitrary(self).unwrap_or(0)
    }

    fn is_spent(&self) -> bool {
        self.is_empty()
    }
}

/// The decisions a step reads from its bytes.
trait Decide: ByteSource {
    /// One of `table`.
    fn pick(&mut self, table: &[&'static str]) -> &'static str {
        table
            .get(usize::from(self.byte()) % table.len().max(1))
            .copied()
            .unwrap_or_default()
    }

    /// True about `percent` times in a hundred.
    fn chance(&mut self, percent: u8) -> bool {
        self.byte() % 100 < percent
    }

    /// Mostly one of `good`, now and then one of `bad`.
    fn mostly(&mut self, good: &[&'static str], bad: &[&'static str]) -> &'static str {
        if self.chance(92) {
            self.pick(good)
        } else {
            self.pick(bad)
        }
    }

    /// Two bytes as a number.
    fn number(&mut self) -> u16 {
        u16::from_le_bytes([self.byte(), self.byte()])
    }

    /// A bandwidth as text: mostly a small valid one, now and then any number.
    fn bandwidth(&mut self) -> String {
        if self.chance(90) {
            (1 + self.number() % 1_900).to_string()
        } else {
            self.number().to_string()
        }
    }

    /// Where a step acts: mostly one of the account's instances in its own region.
    fn place(&mut self) -> Place {
        Place {
            id: if self.chance(85) {
                Id::Existing(self.byte())
            } else {
                Id::Named(self.mostly(&IDS, &BAD_IDS))
            },
            region: if self.chance(88) {
                None
            } else {
                Some(self.pick(&REGIONS))
            },
        }
    }

    /// A user a step names: mostly one of the instance's users when the step runs.
    fn user(&mut self) -> Name {
        if self.chance(75) {
            Name::Existing(self.byte())
        } else {
            Name::Named(self.mostly(&NAMES, &BAD_NAMES))
        }
    }

    /// Up to three blocks of the universe.
    fn blocks(&mut self) -> Vec<&'static str> {
        let n = 1 + usize::from(self.byte() % 3);
        (0..n).map(|_| self.pick(&BLOCKS)).collect()
    }
}

impl<S: ByteSource + ?Sized> Decide for S {}

/// Where a step acts: an instance, and a region: `None` for the instance's own region (so that
/// most steps find their instance).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Place {
    id: Id,
    region: Option<&'static str>,
}

/// A user a step names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Name {
    /// One of the users of the step's instance when it runs (by position); the first name of
    /// the universe when the instance has none.
    Existing(u8),
    /// A name of the universe (maybe no user's, maybe malformed).
    Named(&'static str),
}

/// An instance of a place.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Id {
    /// One of the account's instances when the step runs (by position, modulo their number).
    Existing(u8),
    /// An ID of the universe (maybe no instance of the account's, maybe malformed).
    Named(&'static str),
}

/// One step of an [`OperationSequence`]: a request (see [`SequenceStep::request`]) or a call
/// of the account's setup API (see [`SequenceStep::apply_setup`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SequenceStep(Step);

#[derive(Clone, Debug, PartialEq, Eq)]
enum Step {
    AddInstance {
        id: &'static str,
        region: &'static str,
        hardware: bool,
        quota: u32,
        blocks: Vec<&'static str>,
        code: Option<&'static str>,
        max_bandwidth: u32,
    },
    SetPool(Place, Vec<&'static str>),
    SetQuota(Place, u32),
    SetMaxBandwidth(Place, u32),
    CreateCode(&'static str),
    BindCode(Place, &'static str),
    MarkUsed(Place, &'static str, bool),
    /// `Account::connect` of a user of the place's instance (its region is not used).
    Connect(Place, Name),
    /// `DescribeUserOnlineClients` or (`kick`) `KickOutClients`.
    Online {
        at: Place,
        name: Name,
        kick: bool,
    },
    Create {
        at: Place,
        name: Option<&'static str>,
        password: Option<&'static str>,
        ip: Option<&'static str>,
        bandwidth: Option<String>,
    },
    Modify {
        at: Place,
        name: Name,
        bandwidth: String,
        email: bool,
    },
    Roam {
        origin: Place,
        /// `None`: the first instance of another region than the origin's.
        target: Option<Place>,
        name: Name,
    },
    UserRef {
        action: u8,
        at: Place,
        name: Name,
        password: Option<&'static str>,
    },
    Describe {
        at: Place,
        page: String,
        size: String,
    },
    Gateway(Place, Vec<&'static str>),
    Software(&'static str, String),
    /// An enterprise-code request: `kind` picks create, bind, list, update or delete.
    CodeRequest {
        at: Place,
        code: &'static str,
        kind: u8,
        token: Option<&'static str>,
        flag: bool,
        size: u8,
    },
}

impl Step {
    /// Decodes one step: client-user requests most often, setup calls now and then.
    fn decode(s: &mut (impl ByteSource + ?Sized)) -> Step {
        match s.byte() % 100 {
            0..=27 => Step::Create {
                at: s.place(),
                // Mostly both a name and a password; now and then neither (generated), or one
                // without the other.
                name: (s.byte() % 25 != 0).then(|| s.mostly(&NAMES, &BAD_NAMES)),
                password: (s.byte() % 25 != 0).then_some("duuf1234"),
                ip: s.chance(20).then(|| s.pick(&IPS)),
                bandwidth: s.chance(60).then(|| s.bandwidth()),
            },
            30..=44 => Step::Modify {
                at: s.place(),
                name: s.user(),
                bandwidth: s.bandwidth(),
                email: s.chance(50),
            },
            45..=52 => Step::Roam {
                origin: s.place(),
                target: s.chance(25).then(|| s.place()),
                name: s.user(),
            },
            53..=67 => Step::UserRef {
                action: s.byte(),
                at: s.place(),
                name: s.user(),
                password: s.chance(50).then_some("newpass99"),
            },
            28..=29 | 76..=77 => Step::Connect(s.place(), s.user()),
            68..=71 => Step::Online {
                at: s.place(),
                name: s.user(),
                kick: s.chance(40),
            },
            72..=75 => Step::Describe {
                at: s.place(),
                page: if s.chance(90) {
                    (1 + s.byte() % 3).to_string()
                } else {
                    s.byte().to_string()
                },
                size: if s.chance(90) {
                    (1 + s.byte() % 100).to_string()
                } else {
                    s.number().to_string()
                },
            },
            78..=81 => Step::Gateway(s.place(), s.blocks()),
            82..=83 => Step::Software(
                s.pick(&REGIONS),
                if s.chance(90) {
                    (1 + s.byte() % 8).to_string()
                } else {
                    s.byte().to_string()
                },
            ),
            84..=86 => Step::CodeRequest {
                at: s.place(),
                code: s.pick(&CODES),
                kind: s.byte(),
                token: s.chance(40).then(|| s.pick(&TOKENS)),
                flag: s.chance(50),
                size: s.byte(),
            },
            87..=89 => Step::AddInstance {
                id: s.pick(&IDS),
                region: s.pick(&REGIONS),
                hardware: s.chance(20),
                quota: u32::from(s.byte() % 8),
                blocks: s.blocks(),
                code: s.chance(30).then(|| s.pick(&CODES)),
                max_bandwidth: 1 + u32::from(s.number()) % Bandwidth::MAX.get(),
            },
            90..=91 => Step::SetPool(s.place(), s.blocks()),
            92..=93 => Step::SetQuota(s.place(), u32::from(s.byte() % 8)),
            94 => {
                Step::SetMaxBandwidth(s.place(), 1 + u32::from(s.number()) % Bandwidth::MAX.get())
            }
            95 => Step::CreateCode(s.pick(&CODES)),
            96..=97 => Step::BindCode(s.place(), s.pick(&CODES)),
            _ => Step::MarkUsed(s.place(), s.pick(&NAMES), s.chance(70)),
        }
    }
}

/// The valid pool of the blocks that overlap none before them.
fn pool(blocks: &[&str]) -> CidrPool {
    let mut kept: Vec<CidrBlock> = Vec::new();
    for block in blocks.iter().filter_map(|b| b.parse::<CidrBlock>().ok()) {
        if !kept.iter().any(|k| k.overlaps(&block)) && kept.len() < CidrPool::MAX_BLOCKS {
            kept.push(block);
        }
    }
    CidrPool::new(kept).unwrap_or_default()
}

/// The (region, ID) texts of a place.
fn place(account: &Account, p: Place) -> (String, String) {
    let id = match p.id {
        Id::Named(id) => id.to_string(),
        Id::Existing(k) => {
            let count = account.instances().count().max(1);
            account
                .instances()
                .nth(usize::from(k) % count)
                .map_or(IDS[0].to_string(), |i| i.id().to_string())
        }
    };
    let region = match p.region {
        Some(r) => r.to_string(),
        None => account
            .instances()
            .find(|i| i.id().as_str() == id)
            .map_or(REGIONS[0].to_string(), |i| i.region().to_string()),
    };
    (region, id)
}

/// The text of a name, a user of `(region, id)` resolved against the account.
fn name(account: &Account, (region, id): &(String, String), n: Name) -> String {
    match n {
        Name::Named(name) => name.to_string(),
        Name::Existing(k) => region
            .parse::<RegionId>()
            .ok()
            .and_then(|r| account.instance(&r, &id.parse().ok()?))
            .and_then(|i| {
                let count = i.user_count().max(1);
                i.users().nth(usize::from(k) % count)
            })
            .map_or(NAMES[0].to_string(), |u| u.name().to_string()),
    }
}

/// The typed (region, ID) of a place, for the setup API (`None` for a malformed ID).
fn typed(account: &Account, p: Place) -> Option<(RegionId, SmartAgId)> {
    let (region, id) = place(account, p);
    Some((region.parse().ok()?, id.parse().ok()?))
}

/// A parsed value of the universe (its tables hold valid text).
fn value<T: core::str::FromStr>(text: &str) -> Result<T, Error> {
    text.parse().map_err(|_| Error::InvalidParameter)
}

impl SequenceStep {
    /// The raw request this step sends against `account` (its place resolved against the
    /// account's instances), or `None` for a step of the setup API.
    pub fn request(&self, account: &Account) -> Option<Request> {
        Some(match &self.0 {
            Step::Create {
                at,
                name,
                password,
                ip,
                bandwidth,
            } => {
                let (region, id) = place(account, *at);
                let mut raw = CreateClientUserRaw::default()
                    .region_id(region)
                    .smart_ag_id(id)
                    .user_mail("user@example.com");
                raw.user_name = name.map(str::to_string);
                raw.password = password.map(str::to_string);
                raw.bandwidth = bandwidth.clone();
                raw.client_ip = ip.map(str::to_string);
                Request::CreateClientUser(raw)
            }
            Step::Modify {
                at,
                name,
                bandwidth,
                email,
            } => {
                let at = place(account, *at);
                let mut raw = ModifyClientUserRaw::default()
                    .user_name(self::name(account, &at, *name))
                    .region_id(at.0)
                    .smart_ag_id(at.1)
                    .bandwidth(bandwidth.as_str());
                raw.email = email.then(|| "other@example.org".to_string());
                Request::ModifyClientUser(raw)
            }
            Step::Roam {
                origin,
                target,
                name,
            } => {
                let from = place(account, *origin);
                // No target: the first instance of another region than the origin's.
                let to = match target {
                    Some(t) => {
                        let (region, id) = place(account, *t);
                        (Some(region), Some(id))
                    }
                    None => account
                        .instances()
                        .find(|i| i.region().as_str() != from.0)
                        .map_or((None, None), |i| {
                            (Some(i.region().to_string()), Some(i.id().to_string()))
                        }),
                };
                let mut raw = RoamClientUserRaw::default()
                    .user_name(self::name(account, &from, *name))
                    .origin_region_id(from.0.as_str())
                    .origin_smart_ag_id(from.1);
                (raw.region_id, raw.target_smart_ag_id) = to;
                Request::RoamClientUser(raw)
            }
            Step::UserRef {
                action,
                at,
                name,
                password,
            } => {
                let at = place(account, *at);
                let user = self::name(account, &at, *name);
                let raw = ClientUserRefRaw::default()
                    .region_id(at.0.as_str())
                    .smart_ag_id(at.1.as_str())
                    .user_name(user.as_str());
                match action % 4 {
                    0 => Request::DeleteClientUser(raw),
                    1 => Request::EnableUser(raw),
                    2 => Request::DisableUser(raw),
                    _ => {
                        let mut reset = ResetPasswordRaw::default()
                            .region_id(at.0)
                            .smart_ag_id(at.1)
                            .user_name(user);
                        reset.password = password.map(str::to_string);
                        Request::ResetClientUserPassword(reset)
                    }
                }
            }
            Step::Describe { at, page, size } => {
                let (region, id) = place(account, *at);
                Request::DescribeClientUsers(
                    DescribeClientUsersRaw::default()
                        .region_id(region)
                        .smart_ag_id(id)
                        .page_number(page.as_str())
                        .page_size(size.as_str()),
                )
            }
            Step::Gateway(at, blocks) => {
                let (region, id) = place(account, *at);
                Request::ModifyGateway(
                    ModifyGatewayRaw::default()
                        .region_id(region)
                        .smart_ag_id(id)
                        .cidr_block(blocks.join(",")),
                )
            }
            Step::Software(region, count) => Request::CreateSoftware(
                CreateSoftwareRaw::default()
                    .region_id(*region)
                    .user_count(count.as_str())
                    .period("12")
                    .auto_pay("true")
                    .charge_type(crate::ops::CreateSoftware::CHARGE_TYPE)
                    .data_plan(crate::ops::CreateSoftware::DATA_PLAN),
            ),
            Step::CodeRequest {
                at,
                code,
                kind,
                token,
                flag,
                size,
            } => {
                let (region, id) = place(account, *at);
                let token = token.map(str::to_string);
                let is_default = if *flag { "true" } else { "false" };
                match kind % 5 {
                    0 => {
                        let mut raw = BindEnterpriseCodeRaw::default()
                            .region_id(region)
                            .smart_ag_id(id)
                            .enterprise_code(*code);
                        raw.client_token = token;
                        Request::BindEnterpriseCode(raw)
                    }
                    1 => {
                        let mut raw = CreateEnterpriseCodeRaw::default()
                            .region_id(region)
                            .enterprise_code(*code);
                        raw.client_token = token;
                        Request::CreateEnterpriseCode(raw)
                    }
                    2 => {
                        // Mostly 1 to 3 a page, now and then 0 or 101.
                        let max_results = match size % 16 {
                            0 => 0,
                            1 => 101,
                            n => 1 + n % 3,
                        };
                        let mut raw = ListEnterpriseCodeRaw::default()
                            .region_id(region)
                            .max_results(max_results.to_string());
                        raw.enterprise_code = (size % 4 == 0).then(|| code.to_string());
                        raw.is_default = flag.then(|| is_default.to_string());
                        Request::ListEnterpriseCode(raw)
                    }
                    3 => {
                        let mut raw = UpdateEnterpriseCodeRaw::default()
                            .region_id(region)
                            .enterprise_code(*code)
                            .is_default(is_default);
                        raw.client_token = token;
                        Request::UpdateEnterpriseCode(raw)
                    }
                    _ => {
                        let mut raw = DeleteEnterpriseCodeRaw::default()
                            .region_id(region)
                            .enterprise_code(*code);
                        raw.client_token = token;
                        Request::DeleteEnterpriseCode(raw)
                    }
                }
            }
            Step::Online { at, name, kick } => {
                let at = place(account, *at);
                let user = self::name(account, &at, *name);
                if *kick {
                    Request::KickOutClients(
                        KickOutClientsRaw::default()
                            .region_id(at.0)
                            .smart_ag_id(at.1)
                            .username(user),
                    )
                } else {
                    Request::DescribeUserOnlineClients(
                        DescribeUserOnlineClientsRaw::default()
                            .region_id(at.0)
                            .smart_ag_id(at.1)
                            .user_name(user),
                    )
                }
            }
            _ => return None,
        })
    }

    /// Runs a step of the setup API (adding an instance, setting a pool, a quota, a bandwidth
    /// ceiling, creating or binding an enterprise code, marking a user as used, connecting a
    /// user) through the account's typed methods. A request step does nothing here and answers
    /// `Ok`.
    ///
    /// # Errors
    ///
    /// The error the setup method answers (the account is then unchanged);
    /// `SAG.InstanceNoFound` for a place whose region or ID is malformed; `InvalidParameter`
    /// for a connect the rules refuse ([`Account::connect`]) or a malformed name or ID of one.
    pub fn apply_setup(&self, account: &mut Account) -> Result<(), Error> {
        let found = |account: &Account, p: Place| typed(account, p).ok_or(Error::InstanceNotFound);
        match &self.0 {
            Step::AddInstance {
                id,
                region,
                hardware,
                quota,
                blocks,
                code,
                max_bandwidth,
            } => {
                let (id, region) = (value(id)?, value(region)?);
                let spec = if *hardware {
                    InstanceSpec::hardware(id, region)
                } else {
                    InstanceSpec::app(id, region)
                };
                let mut spec = spec
                    .quota(*quota)
                    .pool(pool(blocks))
                    .max_bandwidth(Bandwidth::new(*max_bandwidth)?);
                if let Some(code) = code {
                    spec = spec.enterprise_code(value::<EnterpriseCode>(code)?);
                }
                // A duplicate ID is a misuse of the setup API: refused like a broken rule.
                account
                    .add_instance(spec)
                    .map(|_| ())
                    .map_err(|_| Error::InvalidParameter)
            }
            Step::SetPool(p, blocks) => {
                let (r, i) = found(account, *p)?;
                account.set_cidr_pool(&r, &i, pool(blocks))
            }
            Step::SetQuota(p, quota) => {
                let (r, i) = found(account, *p)?;
                account.set_quota(&r, &i, *quota)
            }
            Step::SetMaxBandwidth(p, kbps) => {
                let (r, i) = found(account, *p)?;
                account.set_max_bandwidth(&r, &i, Bandwidth::new(*kbps)?)
            }
            Step::CreateCode(code) => account.create_enterprise_code(
                crate::ops::CreateEnterpriseCode::new(value(REGIONS[0])?, value(code)?),
            ),
            Step::BindCode(p, code) => {
                let (region_id, smart_ag_id) = found(account, *p)?;
                account.bind_enterprise_code(crate::ops::BindEnterpriseCode::new(
                    region_id,
                    smart_ag_id,
                    value(code)?,
                ))
            }
            Step::MarkUsed(p, name, used) => {
                let (r, i) = found(account, *p)?;
                account.mark_used_this_month(&r, &i, &value(name)?, *used)
            }
            Step::Connect(p, n) => {
                let at = place(account, *p);
                let user = value(&name(account, &at, *n))?;
                // A refused connect is a misuse of the testing hook: refused like a broken rule.
                account
                    .connect(&value(&at.1)?, &user)
                    .map(drop)
                    .map_err(|_| Error::InvalidParameter)
            }
            _ => Ok(()),
        }
    }
}

/// A sequence of setup and client-user operations (and connects of client users) over a small
/// universe (three regions, four instance IDs, four user names, three enterprise codes, eight
/// small blocks and ten addresses, with a few malformed values now and then), to run on
/// [`OperationSequence::starting_account`]. Steps collide often and most reach the rules past
/// the form checks: run on a fresh starting account, well over a third of the requests of
/// generated sequences succeed (a test of this crate counts them).
///
/// ```
/// use smartag_rules::OperationSequence;
///
/// let sequence = OperationSequence::from_bytes(&[7, 42, 0, 3, 250, 9, 1, 1, 2, 3, 5, 8]);
/// let mut account = OperationSequence::starting_account();
/// for step in sequence.steps() {
///     match step.request(&account) {
///         Some(request) => {
///             let violations = account.violations(&request);
///             match account.execute(&request) {
///                 Ok(_) => assert!(violations.is_empty()),
///                 Err(e) => assert_eq!(violations.first(), Some(&e)),
///             }
///         }
///         None => {
///             let _ = step.apply_setup(&mut account);
///         }
///     }
/// }
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OperationSequence {
    steps: Vec<SequenceStep>,
}

impl OperationSequence {
    /// Decodes a sequence from bytes: every input decodes (short input is read as if padded
    /// with zeros), to at most 64 steps.
    pub fn from_bytes(bytes: &[u8]) -> OperationSequence {
        OperationSequence::decode(&mut Bytes(bytes.iter()))
    }

    fn decode(source: &mut (impl ByteSource + ?Sized)) -> OperationSequence {
        let mut steps = Vec::new();
        while !source.is_spent() && steps.len() < MAX_STEPS {
            steps.push(SequenceStep(Step::decode(source)));
        }
        OperationSequence { steps }
    }

    /// The account every sequence starts from (seed 7): `sag-a1` in `cn-shanghai` (pool
    /// 10.0.0.0/30) and `sag-b2` in `cn-hangzhou` (pool 192.168.0.0/24), quota 3 each, and
    /// three users: `alice001` and `bob00002` (static address 10.0.0.1) on `sag-a1`, `carol003`
    /// on `sag-b2`; and the enterprise code `XY789`, bound to no instance.
    pub fn starting_account() -> Account {
        let mut account = Account::with_seed(7);
        let start = [
            Step::AddInstance {
                id: IDS[0],
                region: REGIONS[0],
                hardware: false,
                quota: 3,
                blocks: vec![BLOCKS[0]],
                code: None,
                max_bandwidth: Bandwidth::MAX.get(),
            },
            Step::AddInstance {
                id: IDS[1],
                region: REGIONS[1],
                hardware: false,
                quota: 3,
                blocks: vec![BLOCKS[5]],
                code: None,
                max_bandwidth: Bandwidth::MAX.get(),
            },
        ];
        let home = Place {
            id: Id::Named(IDS[0]),
            region: None,
        };
        let users = [
            (home, NAMES[0], None),
            (home, NAMES[1], Some(IPS[1])),
            (
                Place {
                    id: Id::Named(IDS[1]),
                    ..home
                },
                NAMES[2],
                None,
            ),
        ]
        .map(|(at, name, ip)| Step::Create {
            at,
            name: Some(name),
            password: Some("duuf1234"),
            ip,
            bandwidth: None,
        });
        // An enterprise code bound to no instance, for the code requests to find.
        let code = Step::CreateCode(CODES[2]);
        for step in start
            .into_iter()
            .chain(users)
            .chain([code])
            .map(SequenceStep)
        {
            // The universe's own values: these steps cannot fail.
            let _ = match step.request(&account) {
                Some(request) => account.execute(&request).map(|_| ()),
                None => step.apply_setup(&mut account),
            };
        }
        account
    }

    /// The steps, in order.
    pub fn steps(&self) -> &[SequenceStep] {
        &self.steps
    }
}

#[cfg(feature = "arbitrary")]
impl<'a> ::arbitrary::Arbitrary<'a> for OperationSequence {
    /// Reads the steps from the input as [`OperationSequence::from_bytes`] does.
    fn arbitrary(u: &mut ::arbitrary::Unstructured<'a>) -> ::arbitrary::Result<Self> {
        Ok(OperationSequence::decode(u))
    }
}
