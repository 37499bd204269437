//! The enterprise-code operations beyond creating and binding one: `ListEnterpriseCode` (a
//! page of the account's codes, by `NextToken`), `UpdateEnterpriseCode` (the one default code)
//! and `DeleteEnterpriseCode`.

use core::fmt;
use core::str::FromStr;

use super::describe::paging;
use super::idempotency::takes_client_token;
use super::operation::{client_token, optional, or_default, required, whole_number_param, Check};
use super::raw::raw_request;
use super::setup::{boolean, setup_param};
use super::{Operation, Response};
use crate::error::Error;
use crate::fields::{ClientToken, EnterpriseCode, RegionId};
use crate::model::{Account, Serial};

raw_request! {
    /// `ListEnterpriseCode` as it arrives.
    pub struct ListEnterpriseCodeRaw {
        /// `RegionId` (required; the codes belong to the account, not to a region).
        region_id: "RegionId",
        /// `EnterpriseCode`: only this code, compared without case (absent or empty: no filter).
        enterprise_code: "EnterpriseCode",
        /// `IsDefault`: `true` lists only the default code, `false` (the default) every code;
        /// in any case.
        is_default: "IsDefault",
        /// `NextToken`: where the page starts, as the previous page of the same listing
        /// returned it (absent or empty: the first page).
        next_token: "NextToken",
        /// `MaxResults`: codes per page, 1 to 100 (default 10).
        max_results: "MaxResults",
    }

    /// # Errors
    ///
    /// The first in the order of the parameters: `MissingParameter` or `InvalidParameter` for
    /// `RegionId`, then [`Error::InvalidParameter`] for a malformed `IsDefault`, a `NextToken`
    /// this listing never returned, a `MaxResults` outside 1 to 100.
    ///
    /// ```
    /// use smartag_rules::{Error, ListEnterpriseCodeRaw, MaxResults};
    ///
    /// let raw = ListEnterpriseCodeRaw::default().region_id("cn-shanghai");
    /// assert_eq!(raw.validate()?.max_results, MaxResults::DEFAULT);
    /// assert!(raw.clone().is_default("TRUE").validate()?.only_default);
    /// assert_eq!(raw.clone().is_default("yes").validate(), Err(Error::InvalidParameter));
    /// assert_eq!(raw.clone().max_results("101").validate(), Err(Error::InvalidParameter));
    /// assert_eq!(raw.next_token("caeba0bbb2be03f8").validate(), Err(Error::InvalidParameter));
    /// # Ok::<(), Error>(())
    /// ```
    fn validate() -> ListEnterpriseCode = ListEnterpriseCode;
}

raw_request! {
    /// `UpdateEnterpriseCode` as it arrives.
    pub struct UpdateEnterpriseCodeRaw {
        /// `RegionId` (required).
        region_id: "RegionId",
        /// `EnterpriseCode` (required).
        enterprise_code: "EnterpriseCode",
        /// `IsDefault` (required): `true` makes the code the default, `false` an ordinary code;
        /// in any case.
        is_default: "IsDefault",
        /// `ClientToken` (optional): see [`ClientToken`].
        client_token: "ClientToken",
    }

    /// # Errors
    ///
    /// The first in the order of the parameters: `MissingParameter` or `InvalidParameter` for
    /// `RegionId`, `EnterpriseCode` and `IsDefault` (absent or empty: missing), then
    /// `InvalidParameter` for `ClientToken`.
    ///
    /// ```
    /// use smartag_rules::{Error, UpdateEnterpriseCodeRaw};
    ///
    /// let raw = UpdateEnterpriseCodeRaw::default()
    ///     .region_id("cn-shanghai")
    ///     .enterprise_code("AB123");
    /// assert_eq!(raw.validate(), Err(Error::MissingParameter));
    /// assert!(raw.clone().is_default("True").validate()?.is_default);
    /// let long = "t".repeat(65);
    /// assert_eq!(raw.is_default("false").client_token(long).validate(), Err(Error::InvalidParameter));
    /// # Ok::<(), Error>(())
    /// ```
    fn validate() -> UpdateEnterpriseCode = UpdateEnterpriseCode;
}

raw_request! {
    /// `DeleteEnterpriseCode` as it arrives.
    pub struct DeleteEnterpriseCodeRaw {
        /// `RegionId` (required).
        region_id: "RegionId",
        /// `EnterpriseCode` (required).
        enterprise_code: "EnterpriseCode",
        /// `ClientToken` (optional): see [`ClientToken`].
        client_token: "ClientToken",
    }

    /// # Errors
    ///
    /// `MissingParameter` or `InvalidParameter` for `RegionId`, then for `EnterpriseCode`, then
    /// `InvalidParameter` for `ClientToken`.
    ///
    /// ```
    /// use smartag_rules::{DeleteEnterpriseCodeRaw, Error};
    ///
    /// let raw = DeleteEnterpriseCodeRaw::default().region_id("cn-shanghai");
    /// assert_eq!(raw.validate(), Err(Error::MissingParameter));
    /// let delete = raw.enterprise_code("AB123").client_token("retry-1").validate()?;
    /// assert_eq!(delete.client_token.map(|t| t.to_string()).as_deref(), Some("retry-1"));
    /// # Ok::<(), Error>(())
    /// ```
    fn validate() -> DeleteEnterpriseCode = DeleteEnterpriseCode;
}

paging! {
    /// `MaxResults`: enterprise codes per page of `ListEnterpriseCode`, 1 to 100 (default 10).
    ///
    /// ```
    /// use smartag_rules::{Error, MaxResults};
    ///
    /// assert_eq!(MaxResults::default().get(), 10);
    /// assert_eq!("100".parse::<MaxResults>()?, MaxResults::MAX);
    /// assert_eq!("0".parse::<MaxResults>(), Err(Error::InvalidParameter));
    /// # Ok::<(), Error>(())
    /// ```
    MaxResults: 1..=100, default 10
}

/// `NextToken`: where the next page of one listing of `ListEnterpriseCode` starts. Opaque text
/// (32 lowercase hexadecimal digits) that names a place in the account's creation order and the
/// listing it belongs to (its `EnterpriseCode` filter and `IsDefault`): a token of another
/// listing, or text no listing returns, is `InvalidParameter`. Codes deleted after the token was
/// returned are simply not listed; the page starts at the next code still there.
///
/// ```
/// use smartag_rules::{Error, NextToken};
///
/// assert_eq!("0123".parse::<NextToken>(), Err(Error::InvalidParameter));
/// assert_eq!("g".repeat(32).parse::<NextToken>(), Err(Error::InvalidParameter));
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct NextToken {
    serial: Serial,
    check: u64,
}

impl NextToken {
    /// How many characters a token has.
    pub const LEN: usize = 32;

    /// The token of the listing of `filter` and `only_default` that starts at `serial`.
    fn new(filter: Option<&str>, only_default: bool, serial: Serial) -> NextToken {
        NextToken {
            serial,
            check: token_check(filter, only_default, serial),
        }
    }

    /// Where the page of the listing of `filter` and `only_default` starts.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`] when the token belongs to another listing.
    fn start(&self, filter: Option<&str>, only_default: bool) -> Result<Serial, Error> {
        if token_check(filter, only_default, self.serial) == self.check {
            Ok(self.serial)
        } else {
            Err(Error::InvalidParameter)
        }
    }
}

/// The check of a token of the listing of `filter` and `only_default` starting at `serial`:
/// FNV-1a over the listing (the filter without case, `IsDefault`) and the serial. Not a secret:
/// it tells tokens of another listing, and made-up text, from the ones a listing returns.
fn token_check(filter: Option<&str>, only_default: bool, serial: Serial) -> u64 {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    let filter = filter.map(str::as_bytes);
    let bytes = b"ListEnterpriseCode"
        .iter()
        .copied()
        .chain(serial.to_le_bytes())
        .chain([u8::from(only_default), u8::from(filter.is_some())])
        .chain(
            filter
                .unwrap_or_default()
                .iter()
                .map(u8::to_ascii_uppercase),
        );
    bytes.fold(OFFSET, |hash, b| (hash ^ u64::from(b)).wrapping_mul(PRIME))
}

impl fmt::Display for NextToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:016x}{:016x}", self.serial, self.check)
    }
}

impl FromStr for NextToken {
    type Err = Error;

    /// 32 lowercase hexadecimal digits; [`Error::InvalidParameter`] otherwise (whether the
    /// token belongs to a listing is checked with the listing).
    fn from_str(s: &str) -> Result<NextToken, Error> {
        let hex = |part: Option<&str>| {
            part.filter(|p| p.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')))
                .and_then(|p| u64::from_str_radix(p, 16).ok())
                .ok_or(Error::InvalidParameter)
        };
        if s.len() != NextToken::LEN {
            return Err(Error::InvalidParameter);
        }
        Ok(NextToken {
            serial: hex(s.get(..16))?,
            check: hex(s.get(16..))?,
        })
    }
}

crate::fields::serde_display!(NextToken);

/// `ListEnterpriseCode`, validated: from [`ListEnterpriseCodeRaw::validate`] or
/// [`ListEnterpriseCode::new`].
#[derive(Clone, PartialEq, Eq, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct ListEnterpriseCode {
    /// The region the request is sent to (the codes are the account's, in every region).
    pub region_id: RegionId,
    /// `EnterpriseCode`: only the code of this text, compared without case.
    pub enterprise_code: Option<String>,
    /// `IsDefault=true`: only the default code.
    pub only_default: bool,
    /// `NextToken`: where the page starts (`None`: the first page).
    pub next_token: Option<NextToken>,
    /// `MaxResults`: codes per page.
    pub max_results: MaxResults,
}

/// `UpdateEnterpriseCode`, validated: from [`UpdateEnterpriseCodeRaw::validate`] or
/// [`UpdateEnterpriseCode::new`].
#[derive(Clone, PartialEq, Eq, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct UpdateEnterpriseCode {
    /// The region the request is sent to.
    pub region_id: RegionId,
    /// A code of the account.
    pub enterprise_code: EnterpriseCode,
    /// `IsDefault`: `true` makes it the account's one default code, `false` an ordinary code.
    pub is_default: bool,
    /// `ClientToken`: a retry with the same token and parameters changes nothing.
    pub client_token: Option<ClientToken>,
}

/// `DeleteEnterpriseCode`, validated: from [`DeleteEnterpriseCodeRaw::validate`] or
/// [`DeleteEnterpriseCode::new`].
#[derive(Clone, PartialEq, Eq, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct DeleteEnterpriseCode {
    /// The region the request is sent to.
    pub region_id: RegionId,
    /// A code of the account.
    pub enterprise_code: EnterpriseCode,
    /// `ClientToken`: a retry with the same token and parameters changes nothing.
    pub client_token: Option<ClientToken>,
}

/// One code of a listed page.
#[derive(Clone, PartialEq, Eq, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct EnterpriseCodeSummary {
    /// `EnterpriseCode`, in the case it was created in.
    pub enterprise_code: EnterpriseCode,
    /// `IsDefault`: whether it is the account's default code.
    pub is_default: bool,
}

/// A page of enterprise codes.
#[derive(Clone, PartialEq, Eq, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct EnterpriseCodePage {
    /// `TotalCount`: how many codes match, over all pages.
    pub total_count: u64,
    /// `NextToken`: where the next page starts; `None` (written `""`) on the last page.
    pub next_token: Option<NextToken>,
    /// `MaxResults`: codes per page, as asked.
    pub max_results: MaxResults,
    /// `EnterpriseCodes`: this page's codes, in creation order.
    pub enterprise_codes: Vec<EnterpriseCodeSummary>,
}

impl ListEnterpriseCode {
    /// The first page of [`MaxResults::DEFAULT`] codes, unfiltered; the `with_*` methods filter
    /// and page.
    ///
    /// ```
    /// use smartag_rules::{ListEnterpriseCode, MaxResults};
    ///
    /// let list = ListEnterpriseCode::new("cn-shanghai".parse()?)
    ///     .with_enterprise_code("ab123")
    ///     .with_max_results(MaxResults::MAX);
    /// assert_eq!((list.only_default, list.max_results.get()), (false, 100));
    /// # Ok::<(), smartag_rules::Error>(())
    /// ```
    pub fn new(region_id: RegionId) -> ListEnterpriseCode {
        ListEnterpriseCode {
            region_id,
            enterprise_code: None,
            only_default: false,
            next_token: None,
            max_results: MaxResults::DEFAULT,
        }
    }

    /// Only the code of this text, compared without case.
    #[must_use]
    pub fn with_enterprise_code(mut self, code: impl Into<String>) -> ListEnterpriseCode {
        self.enterprise_code = Some(code.into());
        self
    }

    /// Only the default code (`true`) or every code (`false`).
    #[must_use]
    pub fn with_only_default(mut self, only_default: bool) -> ListEnterpriseCode {
        self.only_default = only_default;
        self
    }

    /// The page that `next_token` (from the previous page of this listing) starts.
    #[must_use]
    pub fn with_next_token(mut self, next_token: NextToken) -> ListEnterpriseCode {
        self.next_token = Some(next_token);
        self
    }

    /// The codes per page.
    #[must_use]
    pub fn with_max_results(mut self, max_results: MaxResults) -> ListEnterpriseCode {
        self.max_results = max_results;
        self
    }

    /// Whether `code` is listed.
    fn matches(&self, codes: &crate::model::EnterpriseCodes, code: &EnterpriseCode) -> bool {
        let text_ok = self
            .enterprise_code
            .as_deref()
            .map_or(true, |filter| filter.eq_ignore_ascii_case(code.as_str()));
        text_ok && (!self.only_default || codes.is_default(code))
    }
}

impl UpdateEnterpriseCode {
    /// Makes `enterprise_code` the account's default code (`is_default`) or an ordinary one.
    ///
    /// ```
    /// use smartag_rules::UpdateEnterpriseCode;
    ///
    /// let update = UpdateEnterpriseCode::new("cn-shanghai".parse()?, "AB123".parse()?, true);
    /// assert!(update.is_default && update.client_token.is_none());
    /// # Ok::<(), smartag_rules::Error>(())
    /// ```
    pub fn new(
        region_id: RegionId,
        enterprise_code: EnterpriseCode,
        is_default: bool,
    ) -> UpdateEnterpriseCode {
        UpdateEnterpriseCode {
            region_id,
            enterprise_code,
            is_default,
            client_token: None,
        }
    }
}

impl DeleteEnterpriseCode {
    /// Deletes `enterprise_code`.
    ///
    /// ```
    /// use smartag_rules::DeleteEnterpriseCode;
    ///
    /// let delete = DeleteEnterpriseCode::new("cn-shanghai".parse()?, "AB123".parse()?)
    ///     .with_client_token("retry-1".parse()?);
    /// assert_eq!(delete.enterprise_code.as_str(), "AB123");
    /// # Ok::<(), smartag_rules::Error>(())
    /// ```
    pub fn new(region_id: RegionId, enterprise_code: EnterpriseCode) -> DeleteEnterpriseCode {
        DeleteEnterpriseCode {
            region_id,
            enterprise_code,
            client_token: None,
        }
    }
}

impl Operation for ListEnterpriseCode {
    type Raw = ListEnterpriseCodeRaw;

    const READS_ONLY: bool = true;

    fn check(raw: &ListEnterpriseCodeRaw, c: &mut Check<'_>) -> Option<ListEnterpriseCode> {
        let region_id = required(c, raw.region_id.as_deref());
        let enterprise_code = raw.enterprise_code.as_deref().filter(|s| !s.is_empty());
        let only_default = match raw.is_default.as_deref() {
            None => Some(false),
            Some(s) => c.take(boolean(s).ok_or(Error::InvalidParameter)),
        };
        let next_token =
            optional::<NextToken>(c, raw.next_token.as_deref().filter(|s| !s.is_empty()));
        if let (Some(token), Some(only_default)) = (&next_token, only_default) {
            c.take(token.start(enterprise_code, only_default));
        }
        let max_results = or_default(c, raw.max_results.as_deref(), MaxResults::DEFAULT);
        Some(ListEnterpriseCode {
            region_id: region_id?,
            enterprise_code: enterprise_code.map(str::to_owned),
            only_default: only_default?,
            next_token,
            max_results: max_results?,
        })
    }

    fn run(account: &mut Account, req: ListEnterpriseCode) -> Result<Response, Error> {
        account
            .list_enterprise_codes(req)
            .map(Response::EnterpriseCodes)
    }
}

impl Operation for UpdateEnterpriseCode {
    type Raw = UpdateEnterpriseCodeRaw;

    fn check(raw: &UpdateEnterpriseCodeRaw, c: &mut Check<'_>) -> Option<UpdateEnterpriseCode> {
        let region_id = required(c, raw.region_id.as_deref());
        let code = required(c, raw.enterprise_code.as_deref());
        let is_default = setup_param(c, raw.is_default.as_deref(), boolean);
        let token = client_token(c, raw.client_token.as_deref());
        if let (Some(account), Some(code)) = (c.account(), &code) {
            c.ensure(
                account.enterprise_codes.contains(code),
                Error::EnterpriseCodeNotExist,
            );
        }
        Some(UpdateEnterpriseCode {
            client_token: token,
            ..UpdateEnterpriseCode::new(region_id?, code?, is_default?)
        })
    }

    fn run(account: &mut Account, req: UpdateEnterpriseCode) -> Result<Response, Error> {
        account.update_enterprise_code(req).map(|()| Response::Done)
    }

    takes_client_token!();
}

impl Operation for DeleteEnterpriseCode {
    type Raw = DeleteEnterpriseCodeRaw;

    fn check(raw: &DeleteEnterpriseCodeRaw, c: &mut Check<'_>) -> Option<DeleteEnterpriseCode> {
        let region_id = required(c, raw.region_id.as_deref());
        let code = required(c, raw.enterprise_code.as_deref());
        let token = client_token(c, raw.client_token.as_deref());
        if let (Some(account), Some(code)) = (c.account(), &code) {
            c.record(account.delete_violations(code));
        }
        Some(DeleteEnterpriseCode {
            client_token: token,
            ..DeleteEnterpriseCode::new(region_id?, code?)
        })
    }

    fn run(account: &mut Account, req: DeleteEnterpriseCode) -> Result<Response, Error> {
        account.delete_enterprise_code(req).map(|()| Response::Done)
    }

    takes_client_token!();
}

impl Account {
    /// `ListEnterpriseCode`: a page of the account's enterprise codes (of every region), in
    /// creation order, filtered by the code's text without case and by `IsDefault`. Cost:
    /// O(codes) (the total counts every match).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`] for a [`NextToken`] of another listing.
    ///
    /// ```
    /// use smartag_rules::{Account, CreateEnterpriseCode, ListEnterpriseCode, MaxResults};
    ///
    /// let mut account = Account::new();
    /// let region: smartag_rules::RegionId = "cn-shanghai".parse()?;
    /// for code in ["AB123", "CD456", "EF789"] {
    ///     account.create_enterprise_code(CreateEnterpriseCode::new(region.clone(), code.parse()?))?;
    /// }
    /// let list = ListEnterpriseCode::new(region).with_max_results(MaxResults::new(2)?);
    /// let first = account.list_enterprise_codes(list.clone())?;
    /// assert_eq!((first.total_count, first.enterprise_codes.len()), (3, 2));
    /// let next = first.next_token.ok_or("a next page")?;
    /// let second = account.list_enterprise_codes(list.with_next_token(next))?;
    /// assert_eq!(second.enterprise_codes[0].enterprise_code.as_str(), "EF789");
    /// assert_eq!(second.next_token, None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn list_enterprise_codes(
        &self,
        req: ListEnterpriseCode,
    ) -> Result<EnterpriseCodePage, Error> {
        let start = match &req.next_token {
            Some(token) => token.start(req.enterprise_code.as_deref(), req.only_default)?,
            None => 0,
        };
        let codes = &self.enterprise_codes;
        let total = codes.iter().filter(|(_, c)| req.matches(codes, c)).count();
        let size = usize::try_from(req.max_results.get()).unwrap_or(usize::MAX);
        let mut matching = codes
            .starting_at(start)
            .filter(|(_, c)| req.matches(codes, c));
        let enterprise_codes = matching
            .by_ref()
            .take(size)
            .map(|(_, &code)| EnterpriseCodeSummary {
                enterprise_code: code,
                is_default: codes.is_default(&code),
            })
            .collect();
        let next_token = matching.next().map(|(serial, _)| {
            NextToken::new(req.enterprise_code.as_deref(), req.only_default, serial)
        });
        Ok(EnterpriseCodePage {
            total_count: u64::try_from(total).unwrap_or(u64::MAX),
            next_token,
            max_results: req.max_results,
            enterprise_codes,
        })
    }

    /// `UpdateEnterpriseCode`: makes the code the account's one default (the previous default
    /// becomes ordinary) or an ordinary code.
    ///
    /// # Errors
    ///
    /// The first that applies: [`Error::IdempotentParameterMismatch`] (the `ClientToken` of
    /// another request; that of an identical success answers `Ok` and changes nothing),
    /// [`Error::EnterpriseCodeNotExist`].
    ///
    /// ```
    /// use smartag_rules::{Account, CreateEnterpriseCode, UpdateEnterpriseCode};
    ///
    /// let mut account = Account::new();
    /// let region: smartag_rules::RegionId = "cn-shanghai".parse()?;
    /// account.create_enterprise_code(CreateEnterpriseCode::new(region.clone(), "AB123".parse()?))?;
    /// assert_eq!(account.default_enterprise_code(), None);
    /// account.update_enterprise_code(UpdateEnterpriseCode::new(region, "ab123".parse()?, true))?;
    /// assert_eq!(account.default_enterprise_code().map(|c| c.as_str()), Some("AB123"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn update_enterprise_code(&mut self, req: UpdateEnterpriseCode) -> Result<(), Error> {
        self.once(req, |account, req| {
            if account
                .enterprise_codes
                .set_default(&req.enterprise_code, req.is_default)
            {
                Ok(())
            } else {
                Err(Error::EnterpriseCodeNotExist)
            }
        })
    }

    /// `DeleteEnterpriseCode`: removes a code that is neither the default nor bound to an
    /// instance.
    ///
    /// # Errors
    ///
    /// The first that applies: [`Error::IdempotentParameterMismatch`] (the `ClientToken` of
    /// another request; that of an identical success answers `Ok` and changes nothing),
    /// [`Error::EnterpriseCodeNotExist`], [`Error::EnterpriseCodeDeleteLimit`] (the default
    /// code), [`Error::EnterpriseCodeBeingUsed`] (an instance of the account is bound to it).
    ///
    /// ```
    /// use smartag_rules::{Account, DeleteEnterpriseCode, Error, InstanceSpec};
    ///
    /// let mut account = Account::new();
    /// let region: smartag_rules::RegionId = "cn-shanghai".parse()?;
    /// account.add_instance(
    ///     InstanceSpec::app("sag-app1".parse()?, region.clone()).enterprise_code("AB123".parse()?),
    /// )?;
    /// let delete = DeleteEnterpriseCode::new(region, "AB123".parse()?);
    /// assert_eq!(account.delete_enterprise_code(delete), Err(Error::EnterpriseCodeBeingUsed));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn delete_enterprise_code(&mut self, req: DeleteEnterpriseCode) -> Result<(), Error> {
        self.once(req, |account, req| {
            if let Some(&error) = account.delete_violations(&req.enterprise_code).first() {
                return Err(error);
            }
            account.enterprise_codes.remove(&req.enterprise_code);
            Ok(())
        })
    }

    /// Why `code` cannot be deleted, in order: `EnterpriseCode.NotExist` (alone: a code that
    /// does not exist breaks no other rule), `EnterpriseCode.DeleteLimit`,
    /// `EnterpriseCode.BeingUsed`.
    fn delete_violations(&self, code: &EnterpriseCode) -> Vec<Error> {
        if !self.enterprise_codes.contains(code) {
            return vec![Error::EnterpriseCodeNotExist];
        }
        let mut out = Vec::new();
        if self.enterprise_codes.is_default(code) {
            out.push(Error::EnterpriseCodeDeleteLimit);
        }
        if self
            .instances()
            .any(|i| i.spec.enterprise_code.as_ref() == Some(code))
        {
            out.push(Error::EnterpriseCodeBeingUsed);
        }
        out
    }

    /// The account's default enterprise code, if it has one (`UpdateEnterpriseCode`).
    pub fn default_enterprise_code(&self) -> Option<&EnterpriseCode> {
        self.enterprise_codes.default_code()
    }
}
