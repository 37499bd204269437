//! `DescribeSmartAccessGatewayClientUsers`: a page of an instance's users, in creation order.

use super::operation::{or_default, whole_number_param, Check, Target};
use super::raw::raw_request;
use super::{Operation, Response};
use crate::error::Error;
use crate::fields::{Bandwidth, ClientIp, RegionId, SmartAgId, UserMail, UserName};
use crate::model::{Account, ClientUser, UserState};

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

    /// # Errors
    ///
    /// The first form error in precedence order: `MissingParameter` or `InvalidParameter` for
    /// `RegionId`, [`Error::InstanceIdEmpty`], [`Error::InvalidParameter`] for `PageNumber` or
    /// `PageSize`; then [`Error::InstanceNotFound`] for a `SmartAGId` that is not an instance ID.
    ///
    /// ```
    /// use smartag_rules::{DescribeClientUsersRaw, Error, PageSize};
    ///
    /// let raw = DescribeClientUsersRaw::default()
    ///     .region_id("cn-shanghai")
    ///     .smart_ag_id("sag-app1");
    /// assert_eq!(raw.validate()?.page_size, PageSize::DEFAULT);
    /// assert_eq!(raw.page_size("abc").validate(), Err(Error::InvalidParameter));
    /// # Ok::<(), Error>(())
    /// ```
    fn validate() -> DescribeClientUsers = DescribeClientUsers;
}

/// `DescribeSmartAccessGatewayClientUsers`, validated: from [`DescribeClientUsersRaw::validate`]
/// or [`DescribeClientUsers::new`].
#[derive(Clone, PartialEq, Eq, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct DescribeClientUsers {
    /// The instance's region.
    pub region_id: RegionId,
    /// The instance.
    pub smart_ag_id: SmartAgId,
    /// Exact user-name filter.
    pub user_name: Option<String>,
    /// Exact mail filter.
    pub user_mail: Option<String>,
    /// The page.
    pub page_number: PageNumber,
    /// Users per page.
    pub page_size: PageSize,
}

/// Declares a paging parameter: a whole number in a range, with a default.
macro_rules! paging {
    ($(#[$doc:meta])* $name:ident: $min:literal..=$max:expr, default $default:literal) => {
        $(#[$doc])*
        #[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
        #[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
        #[cfg_attr(feature = "serde", serde(try_from = "u32", into = "u32"))]
        pub struct $name(u32);

        impl $name {
            /// The smallest value.
            pub const MIN: $name = $name($min);
            /// The largest value.
            pub const MAX: $name = $name($max);
            /// The value when the parameter is absent.
            pub const DEFAULT: $name = $name($default);

            #[doc = concat!("`value` as a `", stringify!($name), "`.")]
            ///
            /// # Errors
            ///
            /// [`Error::InvalidParameter`] outside the range.
            pub const fn new(value: u32) -> Result<$name, Error> {
                if value >= $min && value <= $max {
                    Ok($name(value))
                } else {
                    Err(Error::InvalidParameter)
                }
            }

            /// The number.
            pub const fn get(self) -> u32 {
                self.0
            }
        }

        impl Default for $name {
            fn default() -> $name {
                $name::DEFAULT
            }
        }

        whole_number_param!($name(u32));
    };
}
pub(super) use paging;

paging! {
    /// `PageNumber`: the page, from 1 (default 1).
    ///
    /// ```
    /// use smartag_rules::{Error, PageNumber};
    ///
    /// assert_eq!(PageNumber::default().get(), 1);
    /// assert_eq!("3".parse::<PageNumber>()?.get(), 3);
    /// assert_eq!(PageNumber::new(0), Err(Error::InvalidParameter));
    /// # Ok::<(), Error>(())
    /// ```
    PageNumber: 1..=u32::MAX, default 1
}

paging! {
    /// `PageSize`: users per page, 1 to 100 (default 10).
    ///
    /// ```
    /// use smartag_rules::{Error, PageSize};
    ///
    /// assert_eq!(PageSize::default().get(), 10);
    /// assert_eq!(PageSize::MAX.get(), 100);
    /// assert_eq!("101".parse::<PageSize>(), Err(Error::InvalidParameter));
    /// assert_eq!("+5".parse::<PageSize>(), Err(Error::InvalidParameter));
    /// # Ok::<(), Error>(())
    /// ```
    PageSize: 1..=100, default 10
}

/// One user of a described page.
#[derive(Clone, PartialEq, Eq, Debug)]
#[non_exhaustive]
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
#[non_exhaustive]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ClientUserPage {
    /// `TotalCount`: how many users match, over all pages.
    pub total_count: u64,
    /// `PageNumber`.
    pub page_number: PageNumber,
    /// `PageSize`.
    pub page_size: PageSize,
    /// `Users.User`: this page's users, in creation order.
    pub users: Vec<ClientUserSummary>,
}

impl DescribeClientUsers {
    /// The first page ([`PageNumber::DEFAULT`]) of [`PageSize::DEFAULT`] users of the
    /// instance, unfiltered; the `with_*` methods filter and page.
    ///
    /// ```
    /// use smartag_rules::{DescribeClientUsers, PageNumber, PageSize};
    ///
    /// let describe = DescribeClientUsers::new("cn-shanghai".parse()?, "sag-app1".parse()?)
    ///     .with_user_mail("username@example.com")
    ///     .with_page_number(PageNumber::new(2)?)
    ///     .with_page_size(PageSize::MAX);
    /// assert_eq!((describe.page_number.get(), describe.page_size.get()), (2, 100));
    /// assert_eq!(describe.user_name, None);
    /// # Ok::<(), smartag_rules::Error>(())
    /// ```
    pub fn new(region_id: RegionId, smart_ag_id: SmartAgId) -> DescribeClientUsers {
        DescribeClientUsers {
            region_id,
            smart_ag_id,
            user_name: None,
            user_mail: None,
            page_number: PageNumber::DEFAULT,
            page_size: PageSize::DEFAULT,
        }
    }

    /// Only the user of exactly this name.
    #[must_use]
    pub fn with_user_name(mut self, user_name: impl Into<String>) -> DescribeClientUsers {
        self.user_name = Some(user_name.into());
        self
    }

    /// Only the users of exactly this mail address.
    #[must_use]
    pub fn with_user_mail(mut self, user_mail: impl Into<String>) -> DescribeClientUsers {
        self.user_mail = Some(user_mail.into());
        self
    }

    /// The page to answer.
    #[must_use]
    pub fn with_page_number(mut self, page_number: PageNumber) -> DescribeClientUsers {
        self.page_number = page_number;
        self
    }

    /// The users per page.
    #[must_use]
    pub fn with_page_size(mut self, page_size: PageSize) -> DescribeClientUsers {
        self.page_size = page_size;
        self
    }
}

/// A filter: absent or empty filters nothing.
fn filter(raw: Option<&str>) -> Option<String> {
    raw.filter(|s| !s.is_empty()).map(str::to_owned)
}

impl Operation for DescribeClientUsers {
    type Raw = DescribeClientUsersRaw;

    const READS_ONLY: bool = true;

    fn check(raw: &DescribeClientUsersRaw, c: &mut Check<'_>) -> Option<DescribeClientUsers> {
        let target = Target::parse(c, &raw.region_id, &raw.smart_ag_id);
        let page_number = or_default(c, raw.page_number.as_deref(), PageNumber::DEFAULT);
        let page_size = or_default(c, raw.page_size.as_deref(), PageSize::DEFAULT);
        target.resolve(c);
        let (region_id, smart_ag_id) = target.typed()?;
        Some(DescribeClientUsers {
            user_name: filter(raw.user_name.as_deref()),
            user_mail: filter(raw.user_mail.as_deref()),
            page_number: page_number?,
            page_size: page_size?,
            ..DescribeClientUsers::new(region_id, smart_ag_id)
        })
    }

    fn run(account: &mut Account, req: DescribeClientUsers) -> Result<Response, Error> {
        account
            .describe_client_users(req)
            .map(Response::ClientUsers)
    }
}

impl Account {
    /// `DescribeSmartAccessGatewayClientUsers`: a page of the instance's users, in creation
    /// order, filtered by exact name and mail. A page past the end is empty. Cost: O(1) with a
    /// name filter, else O(offset + page size) (a mail filter scans the users). Like every
    /// operation, it takes its typed request by value.
    ///
    /// # Errors
    ///
    /// [`Error::InstanceNotFound`].
    ///
    /// ```
    /// use smartag_rules::{Account, DescribeClientUsersRaw, InstanceSpec};
    ///
    /// let mut account = Account::new();
    /// account.add_instance(InstanceSpec::app("sag-app1".parse()?, "cn-shanghai".parse()?))?;
    /// let describe = DescribeClientUsersRaw::default()
    ///     .region_id("cn-shanghai")
    ///     .smart_ag_id("sag-app1");
    /// let page = account.describe_client_users(describe.validate()?)?;
    /// assert_eq!((page.total_count, page.users.len()), (0, 0));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn describe_client_users(&self, req: DescribeClientUsers) -> Result<ClientUserPage, Error> {
        let instance = self.found(&req.region_id, &req.smart_ag_id)?;
        let size = usize::try_from(req.page_size.get()).unwrap_or(usize::MAX);
        let skip =
            usize::try_from(u64::from(req.page_number.get() - 1) * u64::from(req.page_size.get()))
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
