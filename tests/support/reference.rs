//! A deliberately simple reference model of an account, for model-based tests.
//!
//! Written from `RULES.md` ("Domain", "Field rules", "Precedence", "Setup operations" and
//! "Invariants", and the crate's decisions where the sources are
//! silent, listed below), not from `src/ops`: an account is a `Vec` of instances, an instance a
//! `Vec` of users, every lookup is a linear scan, nothing is indexed or cached, and every
//! operation checks its rules one after the other in the rules' order and returns at the first
//! broken one, before it changes anything. It is slow on purpose and meant to be obviously right.
//!
//! It depends only on the public API of `smartag_rules` and on `std`. Individual fields are
//! parsed with the crate's field types (`UserName`, `Bandwidth`, `CidrBlock`, ... through
//! `FromStr`), which are tested on their own; which error a missing, empty or malformed parameter
//! gives, the order of the checks, the lookups, the quota, roaming, the CIDR arithmetic and the
//! paging are all re-implemented here.
//!
//! Decisions the spec leaves open, taken as the crate takes them:
//! - `RegionId` (and `OriginRegionId`) is checked first: missing or empty is `MissingParameter`,
//!   malformed `InvalidParameter`.
//! - A non-empty instance ID that is not of the form `sag-[a-z0-9]+` names no instance: it is
//!   `SAG.InstanceNoFound`, reported at the existence step (after every form check).
//! - Modify: `Email` present but empty is `ClientUser.EmailInvalid` (it is optional, so empty is
//!   not "missing"); a missing `Bandwidth` is `ClientUser.BandwidthInvalid`; a bandwidth above the
//!   instance's ceiling is checked after `ResourceNotFound.User`.
//! - Create: a bandwidth above the instance's ceiling is checked last, after the client IP.
//! - Roam: the parameters in the order `RegionId`, `OriginRegionId`, `OriginSmartAGId`,
//!   `TargetSmartAGId`, `UserName`; then the origin exists, the target exists, NotSupportAction
//!   (target refuses client users, or both in one region), CidrEmpty (target), UserNotFound (no
//!   such user of the origin in its own right: a roaming copy does not roam), ConfigDifferent,
//!   CidrOverlap, UserExist, UserOverLimit, InvalidClientIp, BandwidthInvalid (above the
//!   target's ceiling). A copy is a snapshot of the origin user (name, password, mail,
//!   bandwidth, state, static IP) that is not used this month; later changes of either side do
//!   not propagate. Deleting an origin user deletes its copies; deleting a copy removes it alone.
//! - Delete checks UserInUsing after ResourceNotFound.User.
//! - Describe: `PageNumber` and `PageSize` are checked before the instance's existence; a page
//!   number is a whole number from 1 that fits in 32 bits; the filters are exact matches, and an
//!   empty filter is no filter.
//! - `ModifySmartAccessGateway`: the `CidrBlock` text is checked block by block (the first bad
//!   block's error), then more than 10 blocks (`SAG.InvalidCidr`), then overlap within the list
//!   (`SAG.CidrOverlap`); an empty element is `SAG.InvalidCidrFormat`, the empty text
//!   `SAG.CidrEmpty`. After the instance's existence: overlap with an instance linked by a
//!   roaming user (`SAG.CidrOverlap`), then a static user stranded outside the new pool
//!   (`SAG.InvalidCidr`). No `CidrBlock` changes nothing.
//! - Enterprise codes compare case-insensitively; `MissingParameter` when missing or empty,
//!   `InvalidParameter` when malformed; binding a code never created is `EnterpriseCode.NotExist`.
//! - `CreateSmartAccessGatewaySoftware`: `UserCount` missing or empty is `MissingParameter`,
//!   anything but a whole number from 1 that fits in 32 bits `InvalidParameter`.
//! - Enterprise codes are listed in creation order (`ListEnterpriseCode`); a `NextToken` is
//!   opaque text the real account returned: the caller hands it over in [`Generated`], and the
//!   reference remembers which listing (filter without case, `IsDefault`) and which place in
//!   the creation order it stands for; any other text is `InvalidParameter`.
//! - `ClientToken` (create, bind, update and delete of a code): absent or empty is no token;
//!   else 1 to 64 printable ASCII characters or `InvalidParameter`, checked after the other
//!   parameters' form. Then, before the instance and the state: a token of a success with the
//!   same action and the same values (codes without case, `IsDefault` as a boolean) answers
//!   success and changes nothing; with others, `IdempotentParameterMismatch`. The last 10,000
//!   successes with a token are remembered. A bind to a malformed instance ID is
//!   `SAG.InstanceNoFound` before the token is looked up.
//!
//! - Online sessions (`Account::connect`, a testing hook): an instance is found by ID alone;
//!   refused (with the crate's `ConnectError`, in this order) for no such instance, a hardware
//!   instance, no such user, a disabled user, no free address. A static user's session is its
//!   address, and replaces its earlier one; any other user's is the lowest usable host of the
//!   pool (over all blocks, in address order) that is no user's static address and no session's
//!   address. Dated by the account clock (0 until set). Disable, delete (with the copies), reset
//!   end the user's sessions; a pool change ends those whose address left the pool; a session's
//!   address is not free for a static user. `DescribeUserOnlineClients` and `KickOutClients`
//!   (`Username`): region, instance ID, name forms, then the instance; an unknown user has no
//!   session.
//!
//! Generated values (user names and passwords of a create without credentials, a reset without
//! a password, instance IDs) come from the real account's seeded generator: the reference cannot
//! predict them, so the caller passes what the real account generated in a [`Generated`].

use std::collections::VecDeque;
use std::net::Ipv4Addr;

use smartag_rules::{
    Account, Bandwidth, BindEnterpriseCodeRaw, CidrBlock, CidrPool, ClientIp, ClientUserRefRaw,
    ConnectError, CreateClientUserRaw, CreateEnterpriseCodeRaw, CreateSoftwareRaw,
    DeleteEnterpriseCodeRaw, DescribeClientUsersRaw, EnterpriseCode, Error, InstanceKind,
    InstanceSpec, ListEnterpriseCodeRaw, ModifyClientUserRaw, ModifyGatewayRaw, Password, RegionId,
    Request, ResetPasswordRaw, Response, RoamClientUserRaw, SmartAgId, UpdateEnterpriseCodeRaw,
    UserMail, UserName, UserState,
};

/// Used for a generated value the caller did not supply (the answer then cannot match).
const UNKNOWN: &str = "<not generated>";

/// The values the real account generated for one request, which the reference cannot predict.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Generated {
    /// The user name of a create without `UserName` and `Password`.
    pub user_name: Option<String>,
    /// The password of a create without credentials, or of a reset without `Password`.
    pub password: Option<String>,
    /// The ID of the instance `CreateSmartAccessGatewaySoftware` made.
    pub instance_id: Option<String>,
    /// The `NextToken` a `ListEnterpriseCode` returned.
    pub next_token: Option<String>,
}

/// One client CIDR block as plain numbers.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct RefBlock {
    /// The network address.
    pub network: u32,
    /// The prefix length.
    pub prefix: u8,
}

impl RefBlock {
    fn of(block: &CidrBlock) -> RefBlock {
        RefBlock {
            network: u32::from(block.network()),
            prefix: block.prefix_len(),
        }
    }

    /// The first address of the block (its network address).
    fn first(self) -> u64 {
        u64::from(self.network)
    }

    /// The last address of the block (its broadcast address).
    fn last(self) -> u64 {
        self.first() + (1u64 << (32 - u32::from(self.prefix))) - 1
    }

    /// Whether `ip` is a usable host: inside, and neither the first nor the last address.
    fn has_host(self, ip: Ipv4Addr) -> bool {
        let a = u64::from(u32::from(ip));
        self.first() < a && a < self.last()
    }

    fn overlaps(self, other: RefBlock) -> bool {
        self.first() <= other.last() && other.first() <= self.last()
    }
}

fn pool_has_host(pool: &[RefBlock], ip: Ipv4Addr) -> bool {
    pool.iter().any(|b| b.has_host(ip))
}

fn pools_overlap(a: &[RefBlock], b: &[RefBlock]) -> bool {
    a.iter().any(|x| b.iter().any(|y| x.overlaps(*y)))
}

fn ref_pool(pool: &CidrPool) -> Vec<RefBlock> {
    pool.blocks().iter().map(RefBlock::of).collect()
}

/// A client user of the reference model.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RefUser {
    /// `UserName`.
    pub name: String,
    /// The password.
    pub password: String,
    /// `UserMail`.
    pub mail: String,
    /// `Bandwidth` in Kbit/s.
    pub bandwidth: u32,
    /// Whether the user is disabled (`State` 1).
    pub disabled: bool,
    /// The static client IP, if any.
    pub ip: Option<Ipv4Addr>,
    /// Marked as used this month (cannot be deleted).
    pub used_this_month: bool,
    /// For a roaming copy, the ID of the instance holding the origin user.
    pub origin: Option<String>,
}

/// An SAG instance of the reference model.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RefInstance {
    /// `SmartAGId`.
    pub id: String,
    /// `RegionId`.
    pub region: String,
    /// A hardware gateway, which refuses client users.
    pub hardware: bool,
    /// The user quota (roaming copies count).
    pub quota: u32,
    /// The per-user bandwidth ceiling.
    pub max_bandwidth: u32,
    /// The client CIDR pool, blocks in the order given.
    pub pool: Vec<RefBlock>,
    /// The bound enterprise code, upper-cased.
    pub code: Option<String>,
    /// The users in creation order.
    pub users: Vec<RefUser>,
    /// The online sessions, oldest first: user name, address, online time.
    pub sessions: Vec<(String, Ipv4Addr, u64)>,
}

impl RefInstance {
    /// The user of that name, by linear scan.
    pub fn user(&self, name: &str) -> Option<&RefUser> {
        self.users.iter().find(|u| u.name == name)
    }

    fn user_mut(&mut self, name: &str) -> Option<&mut RefUser> {
        self.users.iter_mut().find(|u| u.name == name)
    }

    fn is_full(&self) -> bool {
        self.users.len() as u64 >= u64::from(self.quota)
    }

    /// Whether `ip` is a usable host of the pool that no user of the instance holds, as its
    /// static address or as a session's.
    fn ip_is_free_host(&self, ip: Ipv4Addr) -> bool {
        pool_has_host(&self.pool, ip)
            && !self.users.iter().any(|u| u.ip == Some(ip))
            && !self.sessions.iter().any(|(_, at, _)| *at == ip)
    }

    /// Replaces the pool; the sessions whose address left it end.
    fn set_pool(&mut self, pool: Vec<RefBlock>) {
        self.sessions.retain(|(_, ip, _)| pool_has_host(&pool, *ip));
        self.pool = pool;
    }

    /// Ends the sessions of `name`.
    fn end_sessions(&mut self, name: &str) {
        self.sessions.retain(|(user, _, _)| user != name);
    }
}

/// A created or modified user as the operation answers it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RefUserInfo {
    /// `UserName`.
    pub name: String,
    /// `UserMail`.
    pub mail: String,
    /// `Bandwidth`.
    pub bandwidth: u32,
    /// `ClientIp`.
    pub ip: Option<Ipv4Addr>,
}

/// One user of a described page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RefSummary {
    /// `UserName`.
    pub name: String,
    /// `UserMail`.
    pub mail: String,
    /// `Bandwidth`.
    pub bandwidth: u32,
    /// `ClientIp` (so `IsStaticIp` is whether it is present).
    pub ip: Option<Ipv4Addr>,
    /// `State` 1.
    pub disabled: bool,
}

/// What the reference answers for a request.
pub type Answer = Result<RefResponse, Error>;

/// The answer of a successful request, as far as the tests compare it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RefResponse {
    /// Create and modify.
    User(RefUserInfo),
    /// Describe: `TotalCount`, `PageNumber`, `PageSize` and the page.
    Page {
        /// `TotalCount`.
        total: u64,
        /// `PageNumber`.
        page_number: u32,
        /// `PageSize`.
        page_size: u32,
        /// `Users.User`.
        users: Vec<RefSummary>,
    },
    /// `CreateSmartAccessGatewaySoftware`: the new instance's ID.
    InstanceCreated(String),
    /// `ListEnterpriseCode`: `TotalCount`, whether there is a next page, `MaxResults` and the
    /// page's codes (upper-cased) with `IsDefault`.
    Codes {
        /// `TotalCount`.
        total: u64,
        /// `NextToken` is not empty.
        more: bool,
        /// `MaxResults`.
        max_results: u32,
        /// `EnterpriseCodes`.
        codes: Vec<(String, bool)>,
    },
    /// `DescribeUserOnlineClients`: each session's address and online time.
    Online(Vec<(Ipv4Addr, u64)>),
    /// An answer with nothing but a request ID.
    Done,
    /// A response of a kind this model does not know.
    Unknown,
}

impl RefResponse {
    /// The real account's response in the reference's terms.
    pub fn from_real(response: &Response) -> RefResponse {
        match response {
            Response::ClientUser(info) => RefResponse::User(RefUserInfo {
                name: info.user_name.to_string(),
                mail: info.user_mail.to_string(),
                bandwidth: info.bandwidth.get(),
                ip: info.client_ip.map(ClientIp::addr),
            }),
            Response::ClientUsers(page) => RefResponse::Page {
                total: page.total_count,
                page_number: page.page_number.get(),
                page_size: page.page_size.get(),
                users: page
                    .users
                    .iter()
                    .map(|u| RefSummary {
                        name: u.user_name.to_string(),
                        mail: u.user_mail.to_string(),
                        bandwidth: u.bandwidth.get(),
                        ip: u.client_ip.map(ClientIp::addr),
                        disabled: u.state == UserState::Disabled,
                    })
                    .collect(),
            },
            Response::InstanceCreated(id) => RefResponse::InstanceCreated(id.to_string()),
            Response::EnterpriseCodes(page) => RefResponse::Codes {
                total: page.total_count,
                more: page.next_token.is_some(),
                max_results: page.max_results.get(),
                codes: page
                    .enterprise_codes
                    .iter()
                    .map(|c| {
                        (
                            c.enterprise_code.as_str().to_ascii_uppercase(),
                            c.is_default,
                        )
                    })
                    .collect(),
            },
            Response::OnlineClients(clients) => RefResponse::Online(
                clients
                    .iter()
                    .map(|c| (c.client_ip.addr(), c.online_time))
                    .collect(),
            ),
            Response::Done => RefResponse::Done,
            _ => RefResponse::Unknown,
        }
    }
}

// ----- parameter forms (step 1 of every operation) -----

/// An instance-ID parameter that passed its own form check.
enum IdParam {
    /// A well-formed ID.
    Id(String),
    /// Non-empty but not an ID: found nowhere (reported at the existence step).
    Malformed,
}

fn region_param(raw: &Option<String>) -> Result<String, Error> {
    match raw.as_deref() {
        None | Some("") => Err(Error::MissingParameter),
        Some(s) if s.parse::<RegionId>().is_ok() => Ok(s.to_string()),
        Some(_) => Err(Error::InvalidParameter),
    }
}

fn id_param(raw: &Option<String>) -> Result<IdParam, Error> {
    match raw.as_deref() {
        None | Some("") => Err(Error::InstanceIdEmpty),
        Some(s) if s.parse::<SmartAgId>().is_ok() => Ok(IdParam::Id(s.to_string())),
        Some(_) => Ok(IdParam::Malformed),
    }
}

fn name_param(raw: &Option<String>) -> Result<String, Error> {
    match raw.as_deref() {
        None | Some("") => Err(Error::NameEmpty),
        Some(s) if s.parse::<UserName>().is_ok() => Ok(s.to_string()),
        Some(_) => Err(Error::NameInvalid),
    }
}

fn password_param(raw: &str) -> Result<String, Error> {
    match raw.parse::<Password>() {
        Ok(_) => Ok(raw.to_string()),
        Err(_) => Err(Error::PasswordInvalid),
    }
}

fn mail_is_valid(s: &str) -> bool {
    s.parse::<UserMail>().is_ok()
}

fn bandwidth_param(raw: &str) -> Result<u32, Error> {
    raw.parse::<Bandwidth>()
        .map(Bandwidth::get)
        .map_err(|_| Error::BandwidthInvalid)
}

fn ip_param(raw: &str) -> Result<Ipv4Addr, Error> {
    if raw.is_empty() {
        return Err(Error::IpEmpty);
    }
    raw.parse::<ClientIp>()
        .map(ClientIp::addr)
        .map_err(|_| Error::IpInvalid)
}

/// A whole number of decimal digits only, that fits in 32 bits and is at least `min` and at
/// most `max`; absent gives `default`.
fn number_param(raw: &Option<String>, default: u32, min: u32, max: u32) -> Result<u32, Error> {
    let Some(s) = raw.as_deref() else {
        return Ok(default);
    };
    if s.is_empty() || !s.chars().all(|c| c.is_ascii_digit()) {
        return Err(Error::InvalidParameter);
    }
    let mut value: u64 = 0;
    for c in s.chars() {
        value = value * 10 + u64::from(c as u8 - b'0');
        if value > u64::from(u32::MAX) {
            return Err(Error::InvalidParameter);
        }
    }
    if value < u64::from(min) || value > u64::from(max) {
        return Err(Error::InvalidParameter);
    }
    Ok(value as u32)
}

fn code_param(raw: &Option<String>) -> Result<String, Error> {
    match raw.as_deref() {
        None | Some("") => Err(Error::MissingParameter),
        Some(s) if s.parse::<EnterpriseCode>().is_ok() => Ok(s.to_ascii_uppercase()),
        Some(_) => Err(Error::InvalidParameter),
    }
}

/// The `CidrBlock` text of `ModifySmartAccessGateway`.
fn pool_param(raw: &str) -> Result<Vec<RefBlock>, Error> {
    if raw.is_empty() {
        return Err(Error::CidrEmpty);
    }
    let mut blocks = Vec::new();
    for part in raw.split(',') {
        if part.is_empty() {
            return Err(Error::InvalidCidrFormat);
        }
        let block: CidrBlock = part.parse()?;
        blocks.push(RefBlock::of(&block));
    }
    if blocks.len() > 10 {
        return Err(Error::InvalidCidr);
    }
    for (i, a) in blocks.iter().enumerate() {
        for b in &blocks[i + 1..] {
            if a.overlaps(*b) {
                return Err(Error::CidrOverlap);
            }
        }
    }
    Ok(blocks)
}

/// Everything an account owns, in the simplest possible form.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RefAccount {
    /// The instances, in the order they were added.
    pub instances: Vec<RefInstance>,
    /// The enterprise codes of the account, upper-cased, in creation order.
    pub codes: Vec<String>,
    /// The creation serial of each code of `codes` (never given twice).
    pub serials: Vec<u64>,
    /// The serial the next code gets.
    pub next_serial: u64,
    /// The default code, upper-cased.
    pub default_code: Option<String>,
    /// The client tokens of the last successes that carried one, oldest first, each with its
    /// request as text (action and values).
    pub tokens: VecDeque<(String, String)>,
    /// The `NextToken`s the real account returned: the token, the listing's filter
    /// (upper-cased) and `IsDefault`, and the serial the next page starts at.
    pub next_tokens: Vec<(String, Option<String>, bool, u64)>,
    /// The account clock (Unix seconds).
    pub clock: u64,
}

/// How many client tokens an account remembers.
const TOKENS_KEPT: usize = 10_000;

/// A `ClientToken` parameter: absent or empty is none.
fn token_param(raw: &Option<String>) -> Result<Option<String>, Error> {
    match raw.as_deref() {
        None | Some("") => Ok(None),
        Some(s) if s.len() <= 64 && s.bytes().all(|b| (0x20..=0x7e).contains(&b)) => {
            Ok(Some(s.to_string()))
        }
        Some(_) => Err(Error::InvalidParameter),
    }
}

/// A boolean parameter: `true` or `false` in any case.
fn bool_param(s: &str) -> Result<bool, Error> {
    if s.eq_ignore_ascii_case("true") {
        Ok(true)
    } else if s.eq_ignore_ascii_case("false") {
        Ok(false)
    } else {
        Err(Error::InvalidParameter)
    }
}

impl RefAccount {
    /// An empty account.
    pub fn new() -> RefAccount {
        RefAccount::default()
    }

    /// Adds an instance as [`Account::add_instance`] does: `InvalidParameter` for an ID already
    /// in the account; a new enterprise code is created in the account.
    pub fn add_instance(&mut self, spec: &InstanceSpec) -> Result<(), Error> {
        if self.instances.iter().any(|i| i.id == spec.id.as_str()) {
            return Err(Error::InvalidParameter);
        }
        let code = spec
            .enterprise_code
            .map(|c| c.as_str().to_ascii_uppercase());
        if let Some(code) = &code {
            if !self.codes.contains(code) {
                self.push_code(code.clone());
            }
        }
        self.instances.push(RefInstance {
            id: spec.id.to_string(),
            region: spec.region.to_string(),
            hardware: spec.kind == InstanceKind::Hardware,
            quota: spec.quota,
            max_bandwidth: spec.max_bandwidth.get(),
            pool: ref_pool(&spec.pool),
            code,
            users: Vec::new(),
            sessions: Vec::new(),
        });
        Ok(())
    }

    /// The instance `id` if it lives in `region`.
    pub fn instance(&self, region: &str, id: &str) -> Option<&RefInstance> {
        self.instances
            .iter()
            .find(|i| i.id == id && i.region == region)
    }

    fn position(&self, region: &str, id: &str) -> Result<usize, Error> {
        self.instances
            .iter()
            .position(|i| i.id == id && i.region == region)
            .ok_or(Error::InstanceNotFound)
    }

    /// Step 2: the instance named by a checked ID parameter exists in the region.
    fn existing(&self, region: &str, id: &IdParam) -> Result<usize, Error> {
        match id {
            IdParam::Id(id) => self.position(region, id),
            IdParam::Malformed => Err(Error::InstanceNotFound),
        }
    }

    /// Whether a roaming user links the instances at `a` and `b` (in either direction).
    fn linked(&self, a: usize, b: usize) -> bool {
        let (x, y) = (&self.instances[a], &self.instances[b]);
        x.users
            .iter()
            .any(|u| u.origin.as_deref() == Some(y.id.as_str()))
            || y.users
                .iter()
                .any(|u| u.origin.as_deref() == Some(x.id.as_str()))
    }

    /// The IDs of the instances holding a roaming copy of the user `name` of instance `id`.
    fn copies_of(&self, id: &str, name: &str) -> Vec<String> {
        self.instances
            .iter()
            .filter(|i| {
                i.users
                    .iter()
                    .any(|u| u.name == name && u.origin.as_deref() == Some(id))
            })
            .map(|i| i.id.clone())
            .collect()
    }

    /// Runs a raw request. `generated` supplies what the real account generated for it (see
    /// [`Generated`]).
    pub fn execute(&mut self, request: &Request, generated: &Generated) -> Answer {
        match request {
            Request::CreateClientUser(r) => self.create(r, generated),
            Request::ModifyClientUser(r) => self.modify(r),
            Request::RoamClientUser(r) => self.roam(r),
            Request::DeleteClientUser(r) => self.delete(r),
            Request::DescribeClientUsers(r) => self.describe(r),
            Request::ResetClientUserPassword(r) => self.reset(r, generated),
            Request::EnableUser(r) => self.set_disabled(r, false),
            Request::DisableUser(r) => self.set_disabled(r, true),
            Request::CreateSoftware(r) => self.create_software(r, generated),
            Request::ModifyGateway(r) => self.modify_gateway(r),
            Request::CreateEnterpriseCode(r) => self.create_code(r),
            Request::BindEnterpriseCode(r) => self.bind_code(r),
            Request::ListEnterpriseCode(r) => self.list_codes(r, generated),
            Request::UpdateEnterpriseCode(r) => self.update_code(r),
            Request::DeleteEnterpriseCode(r) => self.delete_code(r),
            Request::DescribeUserOnlineClients(r) => {
                let (at, name) = self.online_user(&r.region_id, &r.smart_ag_id, &r.user_name)?;
                Ok(RefResponse::Online(
                    self.instances[at]
                        .sessions
                        .iter()
                        .filter(|(user, _, _)| *user == name)
                        .map(|&(_, ip, time)| (ip, time))
                        .collect(),
                ))
            }
            Request::KickOutClients(r) => {
                let (at, name) = self.online_user(&r.region_id, &r.smart_ag_id, &r.username)?;
                self.instances[at].end_sessions(&name);
                Ok(RefResponse::Done)
            }
            _ => Err(Error::ActionNotFound),
        }
    }

    fn create(&mut self, r: &CreateClientUserRaw, generated: &Generated) -> Answer {
        // 1. Forms, in the order of the parameter table.
        let region = region_param(&r.region_id)?;
        let id = id_param(&r.smart_ag_id)?;
        let credentials = match (&r.user_name, &r.password) {
            (None, None) => None,
            (name, password) => {
                let name = name_param(name)?;
                let password = password_param(password.as_deref().ok_or(Error::PasswordInvalid)?)?;
                Some((name, password))
            }
        };
        let mail = match r.user_mail.as_deref() {
            None | Some("") => return Err(Error::EmailEmpty),
            Some(m) if mail_is_valid(m) => m.to_string(),
            Some(_) => return Err(Error::EmailInvalid),
        };
        let bandwidth = match r.bandwidth.as_deref() {
            None => 2000,
            Some(b) => bandwidth_param(b)?,
        };
        let ip = match r.client_ip.as_deref() {
            None => None,
            Some(s) => Some(ip_param(s)?),
        };
        // 2. The instance exists.
        let at = self.existing(&region, &id)?;
        let instance = &self.instances[at];
        // 3. It takes client users and has a pool.
        if instance.hardware {
            return Err(Error::NotSupportAction);
        }
        if instance.pool.is_empty() {
            return Err(Error::CidrEmpty);
        }
        // 4. The state.
        if let Some((name, _)) = &credentials {
            if instance.user(name).is_some() {
                return Err(Error::UserExist);
            }
        }
        if instance.is_full() {
            return Err(Error::UserOverLimit);
        }
        if let Some(ip) = ip {
            if !instance.ip_is_free_host(ip) {
                return Err(Error::InvalidClientIp);
            }
        }
        if bandwidth > instance.max_bandwidth {
            return Err(Error::BandwidthInvalid);
        }
        let (name, password) = credentials.unwrap_or_else(|| {
            (
                generated
                    .user_name
                    .clone()
                    .unwrap_or_else(|| UNKNOWN.into()),
                generated.password.clone().unwrap_or_else(|| UNKNOWN.into()),
            )
        });
        let user = RefUser {
            name,
            password,
            mail,
            bandwidth,
            disabled: false,
            ip,
            used_this_month: false,
            origin: None,
        };
        let info = info_of(&user);
        self.instances[at].users.push(user);
        Ok(RefResponse::User(info))
    }

    fn modify(&mut self, r: &ModifyClientUserRaw) -> Answer {
        let region = region_param(&r.region_id)?;
        let id = id_param(&r.smart_ag_id)?;
        let name = name_param(&r.user_name)?;
        let mail = match r.email.as_deref() {
            None => None,
            Some(m) if mail_is_valid(m) => Some(m.to_string()),
            Some(_) => return Err(Error::EmailInvalid),
        };
        let bandwidth = bandwidth_param(r.bandwidth.as_deref().ok_or(Error::BandwidthInvalid)?)?;
        let at = self.existing(&region, &id)?;
        let instance = &mut self.instances[at];
        let max = instance.max_bandwidth;
        let user = instance.user_mut(&name).ok_or(Error::UserNotFound)?;
        if bandwidth > max {
            return Err(Error::BandwidthInvalid);
        }
        user.bandwidth = bandwidth;
        if let Some(mail) = mail {
            user.mail = mail;
        }
        Ok(RefResponse::User(info_of(user)))
    }

    fn roam(&mut self, r: &RoamClientUserRaw) -> Answer {
        let region = region_param(&r.region_id)?;
        let origin_region = region_param(&r.origin_region_id)?;
        let origin_id = id_param(&r.origin_smart_ag_id)?;
        let target_id = id_param(&r.target_smart_ag_id)?;
        let name = name_param(&r.user_name)?;
        let o = self.existing(&origin_region, &origin_id)?;
        let t = self.existing(&region, &target_id)?;
        let (origin, target) = (&self.instances[o], &self.instances[t]);
        if target.hardware || origin.region == target.region {
            return Err(Error::NotSupportAction);
        }
        if target.pool.is_empty() {
            return Err(Error::CidrEmpty);
        }
        let user = origin
            .user(&name)
            .filter(|u| u.origin.is_none())
            .ok_or(Error::UserNotFound)?;
        if origin.code != target.code {
            return Err(Error::EnterpriseCodeConfigDifferent);
        }
        if pools_overlap(&origin.pool, &target.pool) {
            return Err(Error::CidrOverlap);
        }
        if target.user(&name).is_some() {
            return Err(Error::UserExist);
        }
        if target.is_full() {
            return Err(Error::UserOverLimit);
        }
        if let Some(ip) = user.ip {
            if !target.ip_is_free_host(ip) {
                return Err(Error::InvalidClientIp);
            }
        }
        if user.bandwidth > target.max_bandwidth {
            return Err(Error::BandwidthInvalid);
        }
        let copy = RefUser {
            used_this_month: false,
            origin: Some(origin.id.clone()),
            ..user.clone()
        };
        self.instances[t].users.push(copy);
        Ok(RefResponse::Done)
    }

    /// The form and existence checks shared by delete, enable and disable: the instance's index.
    fn user_ref(&self, r: &ClientUserRefRaw) -> Result<(usize, String), Error> {
        let region = region_param(&r.region_id)?;
        let id = id_param(&r.smart_ag_id)?;
        let name = name_param(&r.user_name)?;
        let at = self.existing(&region, &id)?;
        if self.instances[at].user(&name).is_none() {
            return Err(Error::UserNotFound);
        }
        Ok((at, name))
    }

    fn delete(&mut self, r: &ClientUserRefRaw) -> Answer {
        let (at, name) = self.user_ref(r)?;
        let instance = &self.instances[at];
        let is_copy = match instance.user(&name) {
            Some(u) if u.used_this_month => return Err(Error::UserInUsing),
            Some(u) => u.origin.is_some(),
            None => return Err(Error::UserNotFound),
        };
        let here = instance.id.clone();
        self.instances[at].users.retain(|u| u.name != name);
        self.instances[at].end_sessions(&name);
        if !is_copy {
            for other in &mut self.instances {
                let had_copy = other
                    .users
                    .iter()
                    .any(|u| u.name == name && u.origin.as_deref() == Some(here.as_str()));
                if had_copy {
                    other.users.retain(|u| u.name != name);
                    other.end_sessions(&name);
                }
            }
        }
        Ok(RefResponse::Done)
    }

    fn set_disabled(&mut self, r: &ClientUserRefRaw, disabled: bool) -> Answer {
        let (at, name) = self.user_ref(r)?;
        if let Some(user) = self.instances[at].user_mut(&name) {
            user.disabled = disabled;
        }
        if disabled {
            self.instances[at].end_sessions(&name);
        }
        Ok(RefResponse::Done)
    }

    fn reset(&mut self, r: &ResetPasswordRaw, generated: &Generated) -> Answer {
        let region = region_param(&r.region_id)?;
        let id = id_param(&r.smart_ag_id)?;
        let name = name_param(&r.user_name)?;
        let password = r.password.as_deref().map(password_param).transpose()?;
        let at = self.existing(&region, &id)?;
        let user = self.instances[at]
            .user_mut(&name)
            .ok_or(Error::UserNotFound)?;
        user.password = password
            .or_else(|| generated.password.clone())
            .unwrap_or_else(|| UNKNOWN.into());
        self.instances[at].end_sessions(&name);
        Ok(RefResponse::Done)
    }

    fn describe(&self, r: &DescribeClientUsersRaw) -> Answer {
        let region = region_param(&r.region_id)?;
        let id = id_param(&r.smart_ag_id)?;
        let page_number = number_param(&r.page_number, 1, 1, u32::MAX)?;
        let page_size = number_param(&r.page_size, 10, 1, 100)?;
        let at = self.existing(&region, &id)?;
        let name = r.user_name.as_deref().filter(|s| !s.is_empty());
        let mail = r.user_mail.as_deref().filter(|s| !s.is_empty());
        let matching: Vec<&RefUser> = self.instances[at]
            .users
            .iter()
            .filter(|u| name.map_or(true, |n| u.name == n))
            .filter(|u| mail.map_or(true, |m| u.mail == m))
            .collect();
        let skip = (u64::from(page_number) - 1) * u64::from(page_size);
        let users = matching
            .iter()
            .enumerate()
            .filter(|(i, _)| {
                let i = *i as u64;
                i >= skip && i < skip + u64::from(page_size)
            })
            .map(|(_, u)| RefSummary {
                name: u.name.clone(),
                mail: u.mail.clone(),
                bandwidth: u.bandwidth,
                ip: u.ip,
                disabled: u.disabled,
            })
            .collect();
        Ok(RefResponse::Page {
            total: matching.len() as u64,
            page_number,
            page_size,
            users,
        })
    }

    fn create_software(&mut self, r: &CreateSoftwareRaw, generated: &Generated) -> Answer {
        let region = region_param(&r.region_id)?;
        let quota = match r.user_count.as_deref() {
            None | Some("") => return Err(Error::MissingParameter),
            Some(_) => number_param(&r.user_count, 0, 1, u32::MAX)?,
        };
        let id = generated
            .instance_id
            .clone()
            .unwrap_or_else(|| UNKNOWN.into());
        self.instances.push(RefInstance {
            id: id.clone(),
            region,
            hardware: false,
            quota,
            max_bandwidth: 20000,
            pool: Vec::new(),
            code: None,
            users: Vec::new(),
            sessions: Vec::new(),
        });
        Ok(RefResponse::InstanceCreated(id))
    }

    /// The state checks of a new pool for the instance at `at`.
    fn check_new_pool(&self, at: usize, pool: &[RefBlock]) -> Result<(), Error> {
        if pool.is_empty() {
            return Err(Error::CidrEmpty);
        }
        for other in 0..self.instances.len() {
            if other != at
                && self.linked(at, other)
                && pools_overlap(pool, &self.instances[other].pool)
            {
                return Err(Error::CidrOverlap);
            }
        }
        let stranded = self.instances[at]
            .users
            .iter()
            .any(|u| u.ip.is_some_and(|ip| !pool_has_host(pool, ip)));
        if stranded {
            return Err(Error::InvalidCidr);
        }
        Ok(())
    }

    fn modify_gateway(&mut self, r: &ModifyGatewayRaw) -> Answer {
        let region = region_param(&r.region_id)?;
        let id = id_param(&r.smart_ag_id)?;
        let pool = r.cidr_block.as_deref().map(pool_param).transpose()?;
        let at = self.existing(&region, &id)?;
        if let Some(pool) = pool {
            self.check_new_pool(at, &pool)?;
            self.instances[at].set_pool(pool);
        }
        Ok(RefResponse::Done)
    }

    fn push_code(&mut self, code: String) {
        self.codes.push(code);
        self.serials.push(self.next_serial);
        self.next_serial += 1;
    }

    /// What the remembered tokens say of a request: `Some(Ok)` a replay, `Some(Err)` a
    /// mismatch, `None` a fresh request.
    fn recall(&self, token: &Option<String>, request: &str) -> Option<Answer> {
        let token = token.as_ref()?;
        let (_, first) = self.tokens.iter().find(|(t, _)| t == token)?;
        Some(if first == request {
            Ok(RefResponse::Done)
        } else {
            Err(Error::IdempotentParameterMismatch)
        })
    }

    /// Remembers the token of a success.
    fn remember(&mut self, token: Option<String>, request: String) {
        if let Some(token) = token {
            self.tokens.push_back((token, request));
            if self.tokens.len() > TOKENS_KEPT {
                self.tokens.pop_front();
            }
        }
    }

    fn create_code(&mut self, r: &CreateEnterpriseCodeRaw) -> Answer {
        let region = region_param(&r.region_id)?;
        let code = code_param(&r.enterprise_code)?;
        let token = token_param(&r.client_token)?;
        let request = format!("create {region} {code}");
        if let Some(answer) = self.recall(&token, &request) {
            return answer;
        }
        if self.codes.contains(&code) {
            return Err(Error::EnterpriseCodeBeenOccupied);
        }
        self.push_code(code);
        self.remember(token, request);
        Ok(RefResponse::Done)
    }

    fn bind_code(&mut self, r: &BindEnterpriseCodeRaw) -> Answer {
        let region = region_param(&r.region_id)?;
        let id = id_param(&r.smart_ag_id)?;
        let code = code_param(&r.enterprise_code)?;
        let token = token_param(&r.client_token)?;
        let IdParam::Id(id_text) = &id else {
            return Err(Error::InstanceNotFound);
        };
        let request = format!("bind {region} {id_text} {code}");
        if let Some(answer) = self.recall(&token, &request) {
            return answer;
        }
        let at = self.existing(&region, &id)?;
        if !self.codes.contains(&code) {
            return Err(Error::EnterpriseCodeNotExist);
        }
        self.instances[at].code = Some(code);
        self.remember(token, request);
        Ok(RefResponse::Done)
    }

    fn list_codes(&mut self, r: &ListEnterpriseCodeRaw, generated: &Generated) -> Answer {
        region_param(&r.region_id)?;
        let filter = r
            .enterprise_code
            .as_deref()
            .filter(|s| !s.is_empty())
            .map(str::to_ascii_uppercase);
        let only_default = match r.is_default.as_deref() {
            None => false,
            Some(s) => bool_param(s)?,
        };
        let start = match r.next_token.as_deref() {
            None | Some("") => 0,
            Some(token) => self
                .next_tokens
                .iter()
                .find(|(t, f, d, _)| t == token && *f == filter && *d == only_default)
                .map(|&(_, _, _, serial)| serial)
                .ok_or(Error::InvalidParameter)?,
        };
        let max_results = number_param(&r.max_results, 10, 1, 100)?;
        let matching: Vec<(u64, String)> = self
            .serials
            .iter()
            .zip(&self.codes)
            .filter(|(_, c)| filter.as_ref().map_or(true, |f| f == *c))
            .filter(|(_, c)| !only_default || self.default_code.as_ref() == Some(*c))
            .map(|(&s, c)| (s, c.clone()))
            .collect();
        let rest: Vec<&(u64, String)> = matching.iter().filter(|(s, _)| *s >= start).collect();
        let page: Vec<(String, bool)> = rest
            .iter()
            .take(max_results as usize)
            .map(|(_, c)| (c.clone(), self.default_code.as_ref() == Some(c)))
            .collect();
        let next = rest.get(max_results as usize).map(|(s, _)| *s);
        if let (Some(serial), Some(token)) = (next, &generated.next_token) {
            self.next_tokens
                .push((token.clone(), filter.clone(), only_default, serial));
        }
        Ok(RefResponse::Codes {
            total: matching.len() as u64,
            more: next.is_some(),
            max_results,
            codes: page,
        })
    }

    fn update_code(&mut self, r: &UpdateEnterpriseCodeRaw) -> Answer {
        let region = region_param(&r.region_id)?;
        let code = code_param(&r.enterprise_code)?;
        let is_default = match r.is_default.as_deref() {
            None | Some("") => return Err(Error::MissingParameter),
            Some(s) => bool_param(s)?,
        };
        let token = token_param(&r.client_token)?;
        let request = format!("update {region} {code} {is_default}");
        if let Some(answer) = self.recall(&token, &request) {
            return answer;
        }
        if !self.codes.contains(&code) {
            return Err(Error::EnterpriseCodeNotExist);
        }
        if is_default {
            self.default_code = Some(code);
        } else if self.default_code.as_ref() == Some(&code) {
            self.default_code = None;
        }
        self.remember(token, request);
        Ok(RefResponse::Done)
    }

    fn delete_code(&mut self, r: &DeleteEnterpriseCodeRaw) -> Answer {
        let region = region_param(&r.region_id)?;
        let code = code_param(&r.enterprise_code)?;
        let token = token_param(&r.client_token)?;
        let request = format!("delete {region} {code}");
        if let Some(answer) = self.recall(&token, &request) {
            return answer;
        }
        let Some(at) = self.codes.iter().position(|c| *c == code) else {
            return Err(Error::EnterpriseCodeNotExist);
        };
        if self.default_code.as_ref() == Some(&code) {
            return Err(Error::EnterpriseCodeDeleteLimit);
        }
        if self
            .instances
            .iter()
            .any(|i| i.code.as_ref() == Some(&code))
        {
            return Err(Error::EnterpriseCodeBeingUsed);
        }
        self.codes.remove(at);
        self.serials.remove(at);
        self.remember(token, request);
        Ok(RefResponse::Done)
    }

    // ----- the typed setup API -----

    /// [`Account::set_cidr_pool`]: `SAG.InstanceNoFound`, `SAG.CidrEmpty`, `SAG.CidrOverlap`
    /// (an instance linked by a roaming user), `SAG.InvalidCidr` (a stranded static user).
    pub fn set_cidr_pool(&mut self, region: &str, id: &str, pool: &CidrPool) -> Result<(), Error> {
        let at = self.position(region, id)?;
        let pool = ref_pool(pool);
        self.check_new_pool(at, &pool)?;
        self.instances[at].set_pool(pool);
        Ok(())
    }

    /// [`Account::set_quota`]: `ClientUser.UserOverLimit` if the instance holds more users.
    pub fn set_quota(&mut self, region: &str, id: &str, quota: u32) -> Result<(), Error> {
        let at = self.position(region, id)?;
        if self.instances[at].users.len() as u64 > u64::from(quota) {
            return Err(Error::UserOverLimit);
        }
        self.instances[at].quota = quota;
        Ok(())
    }

    /// [`Account::set_max_bandwidth`]: `ClientUser.BandwidthInvalid` if a user has more.
    pub fn set_max_bandwidth(&mut self, region: &str, id: &str, max: u32) -> Result<(), Error> {
        let at = self.position(region, id)?;
        if self.instances[at].users.iter().any(|u| u.bandwidth > max) {
            return Err(Error::BandwidthInvalid);
        }
        self.instances[at].max_bandwidth = max;
        Ok(())
    }

    /// The form and existence checks of `DescribeUserOnlineClients` and `KickOutClients`: the
    /// instance's index and the user name.
    fn online_user(
        &self,
        region: &Option<String>,
        id: &Option<String>,
        name: &Option<String>,
    ) -> Result<(usize, String), Error> {
        let region = region_param(region)?;
        let id = id_param(id)?;
        let name = name_param(name)?;
        Ok((self.existing(&region, &id)?, name))
    }

    /// [`Account::set_clock`].
    pub fn set_clock(&mut self, unix_seconds: u64) {
        self.clock = unix_seconds;
    }

    /// [`Account::connect`]: the new session's address and time, or why it is refused.
    pub fn connect(&mut self, id: &str, name: &str) -> Result<(Ipv4Addr, u64), ConnectError> {
        let sag: SmartAgId = id
            .parse()
            .map_err(|_| ConnectError::NoSuchInstance(fallback_id()))?;
        let user: UserName = name.parse().map_err(|_| ConnectError::NoSuchUser {
            instance: sag.clone(),
            user: fallback_name(),
        })?;
        let Some(at) = self.instances.iter().position(|i| i.id == id) else {
            return Err(ConnectError::NoSuchInstance(sag));
        };
        let clock = self.clock;
        let instance = &mut self.instances[at];
        if instance.hardware {
            return Err(ConnectError::NotAppInstance(sag));
        }
        let Some(found) = instance.user(name) else {
            return Err(ConnectError::NoSuchUser {
                instance: sag,
                user,
            });
        };
        if found.disabled {
            return Err(ConnectError::UserDisabled {
                instance: sag,
                user,
            });
        }
        let ip = match found.ip {
            Some(ip) => {
                instance.end_sessions(name);
                ip
            }
            None => {
                let mut hosts: Vec<u64> = instance
                    .pool
                    .iter()
                    .flat_map(|b| b.first() + 1..b.last())
                    .collect();
                hosts.sort_unstable();
                let free = hosts
                    .into_iter()
                    .map(|a| Ipv4Addr::from(a as u32))
                    .find(|ip| {
                        !instance.users.iter().any(|u| u.ip == Some(*ip))
                            && !instance.sessions.iter().any(|(_, at, _)| at == ip)
                    });
                free.ok_or(ConnectError::NoFreeAddress(sag))?
            }
        };
        instance.sessions.push((name.to_string(), ip, clock));
        Ok((ip, clock))
    }

    /// [`Account::mark_used_this_month`]: `ResourceNotFound.User` if there is no such user.
    pub fn mark_used_this_month(
        &mut self,
        region: &str,
        id: &str,
        name: &str,
        used: bool,
    ) -> Result<(), Error> {
        let at = self.position(region, id)?;
        let user = self.instances[at]
            .user_mut(name)
            .ok_or(Error::UserNotFound)?;
        user.used_this_month = used;
        Ok(())
    }

    /// Every difference between this model and a real account's whole state, in words (empty
    /// when they agree): instances, pools, codes, users field by field (password included) and
    /// roaming relations.
    pub fn diff(&self, real: &Account) -> Vec<String> {
        let mut out = Vec::new();
        let real_codes: Vec<String> = real
            .enterprise_codes()
            .map(|c| c.as_str().to_ascii_uppercase())
            .collect();
        if real_codes != self.codes {
            out.push(format!(
                "enterprise codes (in creation order): real {real_codes:?}, reference {:?}",
                self.codes
            ));
        }
        let real_default = real
            .default_enterprise_code()
            .map(|c| c.as_str().to_ascii_uppercase());
        if real_default != self.default_code {
            out.push(format!(
                "default code: real {real_default:?}, reference {:?}",
                self.default_code
            ));
        }
        if real.remembered_client_tokens() != self.tokens.len() {
            out.push(format!(
                "client tokens remembered: real {}, reference {}",
                real.remembered_client_tokens(),
                self.tokens.len()
            ));
        }
        if real.clock() != self.clock {
            out.push(format!(
                "clock: real {}, reference {}",
                real.clock(),
                self.clock
            ));
        }
        let real_ids: Vec<&str> = real.instances().map(|i| i.id().as_str()).collect();
        let mut ids: Vec<&str> = self.instances.iter().map(|i| i.id.as_str()).collect();
        ids.sort();
        if real_ids != ids {
            out.push(format!("instances: real {real_ids:?}, reference {ids:?}"));
            return out;
        }
        for ri in real.instances() {
            let Some(inst) = self.instances.iter().find(|i| i.id == ri.id().as_str()) else {
                continue;
            };
            let id = &inst.id;
            let mut field = |what: &str, real: String, reference: String| {
                if real != reference {
                    out.push(format!("{id} {what}: real {real}, reference {reference}"));
                }
            };
            let code = ri
                .enterprise_code()
                .map(|c| c.as_str().to_ascii_uppercase());
            let hardware = ri.kind() == InstanceKind::Hardware;
            for (what, real, reference) in [
                ("region", ri.region().to_string(), inst.region.clone()),
                ("hardware", hardware.to_string(), inst.hardware.to_string()),
                ("quota", ri.quota().to_string(), inst.quota.to_string()),
                (
                    "max bandwidth",
                    ri.max_bandwidth().get().to_string(),
                    inst.max_bandwidth.to_string(),
                ),
                (
                    "pool",
                    format!("{:?}", ref_pool(ri.pool())),
                    format!("{:?}", inst.pool),
                ),
                ("code", format!("{code:?}"), format!("{:?}", inst.code)),
            ] {
                field(what, real, reference);
            }
            let real_sessions: Vec<(String, Ipv4Addr, u64)> = ri
                .sessions()
                .map(|s| {
                    (
                        s.user_name().to_string(),
                        s.client_ip().addr(),
                        s.online_time(),
                    )
                })
                .collect();
            if real_sessions != inst.sessions {
                out.push(format!(
                    "{id} sessions: real {real_sessions:?}, reference {:?}",
                    inst.sessions
                ));
            }
            let real_names: Vec<&str> = ri.users().map(|u| u.name().as_str()).collect();
            let names: Vec<&str> = inst.users.iter().map(|u| u.name.as_str()).collect();
            if real_names != names {
                out.push(format!(
                    "{id} users: real {real_names:?}, reference {names:?}"
                ));
                continue;
            }
            for (ru, user) in ri.users().zip(&inst.users) {
                let n = &user.name;
                let mut field = |what: &str, real: String, reference: String| {
                    if real != reference {
                        out.push(format!(
                            "{id}/{n} {what}: real {real}, reference {reference}"
                        ));
                    }
                };
                let (disabled, ip) = (ru.state() == UserState::Disabled, ru.client_ip());
                for (what, real, reference) in [
                    (
                        "password",
                        ru.password().expose_secret().to_string(),
                        user.password.clone(),
                    ),
                    ("mail", ru.mail().to_string(), user.mail.clone()),
                    (
                        "bandwidth",
                        ru.bandwidth().get().to_string(),
                        user.bandwidth.to_string(),
                    ),
                    ("disabled", disabled.to_string(), user.disabled.to_string()),
                    (
                        "ip",
                        format!("{:?}", ip.map(ClientIp::addr)),
                        format!("{:?}", user.ip),
                    ),
                    (
                        "used this month",
                        ru.used_this_month().to_string(),
                        user.used_this_month.to_string(),
                    ),
                    (
                        "origin",
                        format!("{:?}", ru.origin().map(SmartAgId::as_str)),
                        format!("{:?}", user.origin.as_deref()),
                    ),
                ] {
                    field(what, real, reference);
                }
                let mut real_copies: Vec<&str> =
                    ru.copies().iter().map(SmartAgId::as_str).collect();
                real_copies.sort();
                let mut copies = if user.origin.is_none() {
                    self.copies_of(id, n)
                } else {
                    Vec::new()
                };
                copies.sort();
                field("copies", format!("{real_copies:?}"), format!("{copies:?}"));
            }
        }
        out
    }
}

/// An instance ID for a refusal whose ID text is none (the real account takes typed IDs, so a
/// caller never hands the reference one).
fn fallback_id() -> SmartAgId {
    "sag-notanid".parse().unwrap_or_else(|e| panic!("{e}"))
}

/// A user name for a refusal whose name text is none.
fn fallback_name() -> UserName {
    "notaname".parse().unwrap_or_else(|e| panic!("{e}"))
}

fn info_of(user: &RefUser) -> RefUserInfo {
    RefUserInfo {
        name: user.name.clone(),
        mail: user.mail.clone(),
        bandwidth: user.bandwidth,
        ip: user.ip,
    }
}
