//! `DescribeSmartAccessGatewayClientUsers`: a page of an instance's users, in creation order.

use super::check::{self, id_arg, Check, IdArg};
use super::raw::raw_request;
use crate::model::{Account, ClientUser, UserState};
use crate::{Bandwidth, ClientIp, Error, RegionId, SmartAgId, UserMail, UserName};

raw_request! {
    /// `DescribeSmartAccessGatewayClientUsers` as it arrives.
    pub struct DescribeClientUsersRaw {
        /// `RegionId` (required).
        region_id: "RegionId",
        /// `SmartAGId` (required).
        smart_ag_id: "SmartAGId",
        /// `UserName`: only the user of exactly this name (empty: no filter).
        user_name: "UserName",
        /// `UserMail`: only the users of exactly this mail address (empty: no filter).
        user_mail: "UserMail",
        /// `PageNumber`: from 1 (default 1).
        page_number: "PageNumber",
        /// `PageSize`: 1 to 100 (default 10).
        page_size: "PageSize",
    }
}

/// `DescribeSmartAccessGatewayClientUsers`, validated.
#[derive(Clone, PartialEq, Eq, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct DescribeClientUsers {
    /// The instance's region.
    pub region_id: RegionId,
    /// The instance.
    pub smart_ag_id: SmartAgId,
    /// Exact user-name filter.
    pub user_name: Option<String>,
    /// Exact mail filter.
    pub user_mail: Option<String>,
    /// The page, from 1.
    pub page_number: u32,
    /// Users per page, 1 to 100.
    pub page_size: u32,
}

impl DescribeClientUsers {
    /// The default page number.
    pub const DEFAULT_PAGE_NUMBER: u32 = 1;
    /// The default page size.
    pub const DEFAULT_PAGE_SIZE: u32 = 10;
    /// The largest page size.
    pub const MAX_PAGE_SIZE: u32 = 100;
}

/// One user of a described page.
#[derive(Clone, PartialEq, Eq, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ClientUserSummary {
    /// `UserName`.
    pub user_name: UserName,
    /// `UserMail`.
    pub user_mail: UserMail,
    /// `Bandwidth`.
    pub bandwidth: Bandwidth,
    /// `ClientIp` (the static address, if any).
    pub client_ip: Option<ClientIp>,
    /// `State`.
    pub state: UserState,
}

impl ClientUserSummary {
    fn of(user: &ClientUser) -> Self {
        ClientUserSummary {
            user_name: user.name.clone(),
            user_mail: user.mail.clone(),
            bandwidth: user.bandwidth,
            client_ip: user.client_ip,
            state: user.state,
        }
    }

    /// `IsStaticIp`: whether the user has a static address.
    pub fn is_static_ip(&self) -> bool {
        self.client_ip.is_some()
    }
}

/// A page of users.
#[derive(Clone, PartialEq, Eq, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ClientUserPage {
    /// `TotalCount`: how many users match, over all pages.
    pub total_count: u64,
    /// `PageNumber`.
    pub page_number: u32,
    /// `PageSize`.
    pub page_size: u32,
    /// `Users.User`: this page's users, in creation order.
    pub users: Vec<ClientUserSummary>,
}

pub(crate) struct Parsed {
    region: Option<RegionId>,
    id: Result<SmartAgId, bool>,
    page_number: Option<u32>,
    page_size: Option<u32>,
}

fn filter(raw: &Option<String>) -> Option<String> {
    raw.clone().filter(|s| !s.is_empty())
}

impl DescribeClientUsersRaw {
    pub(crate) fn parse(&self, c: &mut Check) -> Parsed {
        let region = check::region(c, self.region_id.as_deref());
        let id = check::instance_id(c, self.smart_ag_id.as_deref());
        let page_number = check::page_param(
            c,
            self.page_number.as_deref(),
            DescribeClientUsers::DEFAULT_PAGE_NUMBER,
            1..=u32::MAX,
        );
        let page_size = check::page_param(
            c,
            self.page_size.as_deref(),
            DescribeClientUsers::DEFAULT_PAGE_SIZE,
            1..=DescribeClientUsers::MAX_PAGE_SIZE,
        );
        Parsed {
            region,
            id,
            page_number,
            page_size,
        }
    }

    /// Checks the form of every parameter and returns the typed request, or the first error.
    pub fn validate(&self) -> Result<DescribeClientUsers, Error> {
        let mut c = Check::default();
        let p = self.parse(&mut c);
        c.first()?;
        Ok(DescribeClientUsers {
            region_id: p.region.ok_or(Error::MissingParameter)?,
            smart_ag_id: p.id.map_err(|_| Error::InstanceNotFound)?,
            user_name: filter(&self.user_name),
            user_mail: filter(&self.user_mail),
            page_number: p.page_number.ok_or(Error::InvalidParameter)?,
            page_size: p.page_size.ok_or(Error::InvalidParameter)?,
        })
    }
}

impl Account {
    pub(crate) fn describe_violations(&self, raw: &DescribeClientUsersRaw) -> Vec<Error> {
        let mut c = Check::default();
        let p = raw.parse(&mut c);
        self.resolve(&mut c, p.region.as_ref(), id_arg(&p.id));
        c.into_errors()
    }

    /// `DescribeSmartAccessGatewayClientUsers`: a page of the instance's users, in creation
    /// order, filtered by exact name and mail. A page past the end is empty.
    ///
    /// Errors: `SAG.InstanceNoFound`. Cost: O(1) with a name filter, else O(offset + page size)
    /// (a mail filter scans the users).
    pub fn describe_client_users(
        &self,
        req: &DescribeClientUsers,
    ) -> Result<ClientUserPage, Error> {
        let mut c = Check::default();
        let instance = self.resolve(&mut c, Some(&req.region_id), IdArg::Id(&req.smart_ag_id));
        c.first()?;
        let instance = instance.ok_or(Error::InstanceNotFound)?;
        let page_size_ok = (1..=DescribeClientUsers::MAX_PAGE_SIZE).contains(&req.page_size);
        if req.page_number == 0 || !page_size_ok {
            return Err(Error::InvalidParameter);
        }
        let size = usize::try_from(req.page_size).unwrap_or(usize::MAX);
        let skip = usize::try_from(u64::from(req.page_number - 1) * u64::from(req.page_size))
            .unwrap_or(usize::MAX);
        let mail_ok = |u: &&ClientUser| {
            req.user_mail
                .as_deref()
                .map_or(true, |m| u.mail.as_str() == m)
        };
        let (total, users) = match req.user_name.as_deref() {
            Some(name) => page(
                instance.users.get(name).into_iter().filter(mail_ok),
                skip,
                size,
            ),
            None if req.user_mail.is_some() => {
                page(instance.users.iter().filter(mail_ok), skip, size)
            }
            // No filter: the total is known, and only the page is walked.
            None => (
                instance.users.len(),
                instance
                    .users
                    .iter()
                    .skip(skip)
                    .take(size)
                    .map(ClientUserSummary::of)
                    .collect(),
            ),
        };
        Ok(ClientUserPage {
            total_count: u64::try_from(total).unwrap_or(u64::MAX),
            page_number: req.page_number,
            page_size: req.page_size,
            users,
        })
    }
}

/// The users of `matching` from `skip` on, at most `size` of them, and how many match in all.
fn page<'a>(
    matching: impl Iterator<Item = &'a ClientUser>,
    skip: usize,
    size: usize,
) -> (usize, Vec<ClientUserSummary>) {
    let mut users = Vec::new();
    let mut total = 0;
    for user in matching {
        if total >= skip && users.len() < size {
            users.push(ClientUserSummary::of(user));
        }
        total += 1;
    }
    (total, users)
}
