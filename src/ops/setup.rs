//! The setup operations of the API model: `CreateSmartAccessGatewaySoftware`,
//! `ModifySmartAccessGateway` (its `CidrBlock`), `CreateEnterpriseCode` and
//! `UpdateSmartAGEnterpriseCode`.

use core::num::NonZeroU32;

use super::idempotency::takes_client_token;
use super::operation::{
    client_token, optional, required, whole_number, whole_number_param, Check, Target,
};
use super::raw::raw_request;
use super::{Operation, Response};
use crate::cidr::CidrPool;
use crate::error::Error;
use crate::fields::{ClientToken, EnterpriseCode, RegionId, SmartAgId};
use crate::model::Account;

raw_request! {
    /// `CreateSmartAccessGatewaySoftware` as it arrives. All six parameters are required.
    pub struct CreateSoftwareRaw {
        /// `RegionId`.
        region_id: "RegionId",
        /// `UserCount`: the user quota, a whole number from 1.
        user_count: "UserCount",
        /// `Period`: the subscription in months, one of 1 to 9, 12, 24, 36.
        period: "Period",
        /// `AutoPay`: `true` or `false`, in any case.
        auto_pay: "AutoPay",
        /// `ChargeType`: `PREPAY`.
        charge_type: "ChargeType",
        /// `DataPlan`: `5`.
        data_plan: "DataPlan",
    }

    /// # Errors
    ///
    /// The first in the order `RegionId`, `UserCount`, `Period`, `AutoPay`, `ChargeType`,
    /// `DataPlan`: [`Error::MissingParameter`] when absent or empty,
    /// [`Error::InvalidParameter`] when malformed.
    ///
    /// ```
    /// use smartag_rules::{CreateSoftwareRaw, Error};
    ///
    /// let raw = CreateSoftwareRaw::default()
    ///     .region_id("cn-shanghai")
    ///     .user_count("5")
    ///     .period("12")
    ///     .auto_pay("True")
    ///     .charge_type("PREPAY");
    /// assert_eq!(raw.validate(), Err(Error::MissingParameter)); // no DataPlan
    /// assert_eq!(raw.clone().data_plan("6").validate(), Err(Error::InvalidParameter));
    /// assert!(raw.data_plan("5").validate()?.auto_pay);
    /// # Ok::<(), Error>(())
    /// ```
    fn validate() -> CreateSoftware = CreateSoftware;
}

raw_request! {
    /// `ModifySmartAccessGateway` as it arrives (only `CidrBlock` is modelled; `Name`,
    /// `Description` and the rest are accepted and ignored).
    pub struct ModifyGatewayRaw {
        /// `RegionId` (required).
        region_id: "RegionId",
        /// `SmartAGId` (required).
        smart_ag_id: "SmartAGId",
        /// `CidrBlock`: the new pool, comma-separated (absent: the pool stays).
        cidr_block: "CidrBlock",
    }

    /// # Errors
    ///
    /// The first in precedence order: `MissingParameter` or `InvalidParameter` for `RegionId`,
    /// [`Error::InstanceIdEmpty`], the pool's own form ([`Error::CidrEmpty`],
    /// [`Error::InvalidCidrFormat`], [`Error::InvalidCidr`], [`Error::CidrOverlap`]); then
    /// [`Error::InstanceNotFound`] for a `SmartAGId` that is not an instance ID.
    ///
    /// ```
    /// use smartag_rules::{Error, ModifyGatewayRaw};
    ///
    /// let raw = ModifyGatewayRaw::default()
    ///     .region_id("cn-shanghai")
    ///     .smart_ag_id("sag-app1");
    /// assert_eq!(raw.validate()?.cidr_block, None);
    /// let overlapping = raw.cidr_block("10.0.0.0/8,10.1.0.0/16");
    /// assert_eq!(overlapping.validate(), Err(Error::CidrOverlap));
    /// # Ok::<(), Error>(())
    /// ```
    fn validate() -> ModifyGateway = ModifyGateway;
}

raw_request! {
    /// `CreateEnterpriseCode` as it arrives.
    pub struct CreateEnterpriseCodeRaw {
        /// `RegionId` (required).
        region_id: "RegionId",
        /// `EnterpriseCode` (required).
        enterprise_code: "EnterpriseCode",
        /// `ClientToken` (optional): see [`ClientToken`](crate::ClientToken).
        client_token: "ClientToken",
    }

    /// # Errors
    ///
    /// `MissingParameter` or `InvalidParameter` for `RegionId`, then for `EnterpriseCode`, then
    /// `InvalidParameter` for `ClientToken`.
    ///
    /// ```
    /// use smartag_rules::{CreateEnterpriseCodeRaw, Error};
    ///
    /// let raw = CreateEnterpriseCodeRaw::default().region_id("cn-shanghai");
    /// assert_eq!(raw.validate(), Err(Error::MissingParameter));
    /// let code = raw.enterprise_code("AB123").validate()?.enterprise_code;
    /// assert_eq!(code.to_string(), "AB123");
    /// # Ok::<(), Error>(())
    /// ```
    fn validate() -> CreateEnterpriseCode = CreateEnterpriseCode;
}

raw_request! {
    /// `UpdateSmartAGEnterpriseCode` as it arrives.
    pub struct BindEnterpriseCodeRaw {
        /// `RegionId` (required).
        region_id: "RegionId",
        /// `SmartAGId` (required).
        smart_ag_id: "SmartAGId",
        /// `EnterpriseCode` (required).
        enterprise_code: "EnterpriseCode",
        /// `ClientToken` (optional): see [`ClientToken`](crate::ClientToken).
        client_token: "ClientToken",
    }

    /// # Errors
    ///
    /// The first in precedence order: `MissingParameter` or `InvalidParameter` for `RegionId`,
    /// [`Error::InstanceIdEmpty`], `MissingParameter` or `InvalidParameter` for
    /// `EnterpriseCode`, `InvalidParameter` for `ClientToken`; then [`Error::InstanceNotFound`] for a `SmartAGId` that is not an
    /// instance ID.
    ///
    /// ```
    /// use smartag_rules::{BindEnterpriseCodeRaw, Error};
    ///
    /// let raw = BindEnterpriseCodeRaw::default()
    ///     .region_id("cn-shanghai")
    ///     .enterprise_code("AB123");
    /// assert_eq!(raw.validate(), Err(Error::InstanceIdEmpty));
    /// let bind = raw.smart_ag_id("sag-app1").validate()?;
    /// assert_eq!(bind.smart_ag_id.as_str(), "sag-app1");
    /// # Ok::<(), Error>(())
    /// ```
    fn validate() -> BindEnterpriseCode = BindEnterpriseCode;
}

/// `CreateSmartAccessGatewaySoftware`, validated: from [`CreateSoftwareRaw::validate`] or
/// [`CreateSoftware::new`]. `ChargeType` (`PREPAY`) and `DataPlan` (`5`)
/// have one valid value each, so they are not held.
#[derive(Clone, PartialEq, Eq, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct CreateSoftware {
    /// The region of the new instance.
    pub region_id: RegionId,
    /// `UserCount`: the user quota.
    pub user_count: NonZeroU32,
    /// `Period`: how many months are bought.
    pub period: Period,
    /// `AutoPay`: whether the order is paid automatically.
    pub auto_pay: bool,
}

/// `Period`: the months an SAG APP instance is bought for, one of 1 to 9, 12, 24, 36.
///
/// ```
/// use smartag_rules::{Error, Period};
///
/// assert_eq!("9".parse::<Period>()?.months(), 9);
/// assert_eq!("12".parse::<Period>()?.months(), 12);
/// assert_eq!(Period::new(10), Err(Error::InvalidParameter));
/// assert_eq!(Period::new(37), Err(Error::InvalidParameter));
/// # Ok::<(), Error>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "u8", into = "u8"))]
pub struct Period(u8);

impl Period {
    /// The periods on offer, in months.
    pub const MONTHS: &'static [u8] = &[1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 24, 36];

    /// A period of `months`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`] for a period not on offer.
    pub fn new(months: u32) -> Result<Period, Error> {
        Period::MONTHS
            .iter()
            .find(|&&m| u32::from(m) == months)
            .map(|&m| Period(m))
            .ok_or(Error::InvalidParameter)
    }

    /// The months.
    pub const fn months(self) -> u8 {
        self.0
    }
}

whole_number_param!(Period(u8));

/// `ModifySmartAccessGateway`, validated: from [`ModifyGatewayRaw::validate`] or
/// [`ModifyGateway::new`].
#[derive(Clone, PartialEq, Eq, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct ModifyGateway {
    /// The instance's region.
    pub region_id: RegionId,
    /// The instance.
    pub smart_ag_id: SmartAgId,
    /// The new pool; `None` leaves the pool as it is.
    pub cidr_block: Option<CidrPool>,
}

/// `CreateEnterpriseCode`, validated: from [`CreateEnterpriseCodeRaw::validate`] or
/// [`CreateEnterpriseCode::new`].
#[derive(Clone, PartialEq, Eq, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct CreateEnterpriseCode {
    /// The region the request is sent to.
    pub region_id: RegionId,
    /// The new code.
    pub enterprise_code: EnterpriseCode,
    /// `ClientToken`: a retry with the same token and parameters changes nothing.
    pub client_token: Option<ClientToken>,
}

/// `UpdateSmartAGEnterpriseCode`, validated: from [`BindEnterpriseCodeRaw::validate`] or
/// [`BindEnterpriseCode::new`].
#[derive(Clone, PartialEq, Eq, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct BindEnterpriseCode {
    /// The instance's region.
    pub region_id: RegionId,
    /// The instance.
    pub smart_ag_id: SmartAgId,
    /// A code created in the account.
    pub enterprise_code: EnterpriseCode,
    /// `ClientToken`: a retry with the same token and parameters changes nothing.
    pub client_token: Option<ClientToken>,
}

/// A required setup parameter: absent or empty is `MissingParameter`, a value `parse` refuses
/// `InvalidParameter`.
pub(super) fn setup_param<T>(
    c: &mut Check<'_>,
    raw: Option<&str>,
    parse: impl FnOnce(&str) -> Option<T>,
) -> Option<T> {
    c.take(match raw {
        None | Some("") => Err(Error::MissingParameter),
        Some(s) => parse(s).ok_or(Error::InvalidParameter),
    })
}

impl CreateSoftware {
    /// The one `ChargeType` the purchase takes.
    pub const CHARGE_TYPE: &'static str = "PREPAY";
    /// The one `DataPlan` the purchase takes.
    pub const DATA_PLAN: &'static str = "5";

    /// An instance of `region_id` for `user_count` users, bought for `period`, paid
    /// automatically or not (`auto_pay`).
    ///
    /// ```
    /// use core::num::NonZeroU32;
    /// use smartag_rules::{CreateSoftware, Period};
    ///
    /// let users = NonZeroU32::new(5).ok_or("zero")?;
    /// let buy = CreateSoftware::new("cn-shanghai".parse()?, users, Period::new(12)?, true);
    /// assert_eq!(buy.period.months(), 12);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(
        region_id: RegionId,
        user_count: NonZeroU32,
        period: Period,
        auto_pay: bool,
    ) -> CreateSoftware {
        CreateSoftware {
            region_id,
            user_count,
            period,
            auto_pay,
        }
    }
}

impl ModifyGateway {
    /// A modification that leaves the pool as it is ([`with_cidr_block`] replaces it).
    ///
    /// [`with_cidr_block`]: ModifyGateway::with_cidr_block
    ///
    /// ```
    /// use smartag_rules::ModifyGateway;
    ///
    /// let keep = ModifyGateway::new("cn-shanghai".parse()?, "sag-app1".parse()?);
    /// assert_eq!(keep.cidr_block, None);
    /// let replace = keep.with_cidr_block("10.0.0.0/24,192.168.0.0/16".parse()?);
    /// assert_eq!(replace.cidr_block.map(|pool| pool.len()), Some(2));
    /// # Ok::<(), smartag_rules::Error>(())
    /// ```
    pub fn new(region_id: RegionId, smart_ag_id: SmartAgId) -> ModifyGateway {
        ModifyGateway {
            region_id,
            smart_ag_id,
            cidr_block: None,
        }
    }

    /// Replaces the instance's client CIDR pool with `cidr_block`.
    #[must_use]
    pub fn with_cidr_block(mut self, cidr_block: CidrPool) -> ModifyGateway {
        self.cidr_block = Some(cidr_block);
        self
    }
}

impl CreateEnterpriseCode {
    /// Creates `enterprise_code`, the request sent to `region_id`.
    ///
    /// ```
    /// use smartag_rules::CreateEnterpriseCode;
    ///
    /// let create = CreateEnterpriseCode::new("cn-shanghai".parse()?, "AB123".parse()?);
    /// assert_eq!(create.enterprise_code.to_string(), "AB123");
    /// # Ok::<(), smartag_rules::Error>(())
    /// ```
    pub fn new(region_id: RegionId, enterprise_code: EnterpriseCode) -> CreateEnterpriseCode {
        CreateEnterpriseCode {
            region_id,
            enterprise_code,
            client_token: None,
        }
    }
}

impl BindEnterpriseCode {
    /// Binds `enterprise_code` to the instance `smart_ag_id` in `region_id`.
    ///
    /// ```
    /// use smartag_rules::BindEnterpriseCode;
    ///
    /// let bind = BindEnterpriseCode::new(
    ///     "cn-shanghai".parse()?,
    ///     "sag-app1".parse()?,
    ///     "AB123".parse()?,
    /// );
    /// assert_eq!(bind.smart_ag_id.as_str(), "sag-app1");
    /// # Ok::<(), smartag_rules::Error>(())
    /// ```
    pub fn new(
        region_id: RegionId,
        smart_ag_id: SmartAgId,
        enterprise_code: EnterpriseCode,
    ) -> BindEnterpriseCode {
        BindEnterpriseCode {
            region_id,
            smart_ag_id,
            enterprise_code,
            client_token: None,
        }
    }
}

/// A boolean parameter (`AutoPay`, `IsDefault`): `true` or `false`, in any case.
pub(super) fn boolean(s: &str) -> Option<bool> {
    ["false", "true"]
        .iter()
        .position(|b| s.eq_ignore_ascii_case(b))
        .map(|i| i == 1)
}

impl Operation for CreateSoftware {
    type Raw = CreateSoftwareRaw;

    fn check(raw: &CreateSoftwareRaw, c: &mut Check<'_>) -> Option<CreateSoftware> {
        let region_id = required(c, raw.region_id.as_deref());
        let user_count = setup_param(c, raw.user_count.as_deref(), |s| {
            whole_number(s).ok().and_then(NonZeroU32::new)
        });
        let period = setup_param(c, raw.period.as_deref(), |s| s.parse().ok());
        let auto_pay = setup_param(c, raw.auto_pay.as_deref(), boolean);
        let charge_type = setup_param(c, raw.charge_type.as_deref(), |s| {
            (s == CreateSoftware::CHARGE_TYPE).then_some(())
        });
        let data_plan = setup_param(c, raw.data_plan.as_deref(), |s| {
            (s == CreateSoftware::DATA_PLAN).then_some(())
        });
        charge_type.zip(data_plan)?;
        Some(CreateSoftware::new(
            region_id?,
            user_count?,
            period?,
            auto_pay?,
        ))
    }

    fn run(account: &mut Account, req: CreateSoftware) -> Result<Response, Error> {
        Ok(Response::InstanceCreated(account.create_software(req)))
    }
}

impl Operation for ModifyGateway {
    type Raw = ModifyGatewayRaw;

    fn check(raw: &ModifyGatewayRaw, c: &mut Check<'_>) -> Option<ModifyGateway> {
        let target = Target::parse(c, &raw.region_id, &raw.smart_ag_id);
        let cidr_block = optional(c, raw.cidr_block.as_deref());
        if let (Some(account), Some(instance), Some(pool)) =
            (c.account(), target.resolve(c), &cidr_block)
        {
            c.record(account.cidr_pool_violations(instance, pool));
        }
        let (region_id, smart_ag_id) = target.typed()?;
        Some(ModifyGateway {
            cidr_block,
            ..ModifyGateway::new(region_id, smart_ag_id)
        })
    }

    fn run(account: &mut Account, req: ModifyGateway) -> Result<Response, Error> {
        account.modify_gateway(req).map(|()| Response::Done)
    }
}

impl Operation for CreateEnterpriseCode {
    type Raw = CreateEnterpriseCodeRaw;

    fn check(raw: &CreateEnterpriseCodeRaw, c: &mut Check<'_>) -> Option<CreateEnterpriseCode> {
        let region_id = required(c, raw.region_id.as_deref());
        let code = required(c, raw.enterprise_code.as_deref());
        let token = client_token(c, raw.client_token.as_deref());
        if let (Some(account), Some(code)) = (c.account(), &code) {
            let taken = account.enterprise_codes.contains(code);
            c.ensure(!taken, Error::EnterpriseCodeBeenOccupied);
        }
        Some(CreateEnterpriseCode {
            client_token: token,
            ..CreateEnterpriseCode::new(region_id?, code?)
        })
    }

    fn run(account: &mut Account, req: CreateEnterpriseCode) -> Result<Response, Error> {
        account.create_enterprise_code(req).map(|()| Response::Done)
    }

    takes_client_token!();
}

impl Operation for BindEnterpriseCode {
    type Raw = BindEnterpriseCodeRaw;

    fn check(raw: &BindEnterpriseCodeRaw, c: &mut Check<'_>) -> Option<BindEnterpriseCode> {
        let target = Target::parse(c, &raw.region_id, &raw.smart_ag_id);
        let code = required(c, raw.enterprise_code.as_deref());
        let token = client_token(c, raw.client_token.as_deref());
        if let (Some(account), Some(_), Some(code)) = (c.account(), target.resolve(c), &code) {
            let created = account.enterprise_codes.contains(code);
            c.ensure(created, Error::EnterpriseCodeNotExist);
        }
        let (region_id, smart_ag_id) = target.typed()?;
        Some(BindEnterpriseCode {
            client_token: token,
            ..BindEnterpriseCode::new(region_id, smart_ag_id, code?)
        })
    }

    fn run(account: &mut Account, req: BindEnterpriseCode) -> Result<Response, Error> {
        account.bind_enterprise_code(req).map(|()| Response::Done)
    }

    takes_client_token!();
}

impl Account {
    /// `CreateSmartAccessGatewaySoftware`: buys an SAG APP instance with no CIDR block, its ID
    /// generated from the account's seeded generator. Nothing can fail once the request is
    /// valid.
    ///
    /// ```
    /// use smartag_rules::{Account, CreateSoftwareRaw};
    ///
    /// let mut account = Account::with_seed(7);
    /// let buy = CreateSoftwareRaw::default()
    ///     .region_id("cn-shanghai")
    ///     .user_count("5")
    ///     .period("1")
    ///     .auto_pay("false")
    ///     .charge_type("PREPAY")
    ///     .data_plan("5");
    /// let id = account.create_software(buy.validate()?);
    /// let instance = account.instance(&"cn-shanghai".parse()?, &id).unwrap();
    /// assert_eq!((instance.quota(), instance.pool().is_empty()), (5, true));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn create_software(&mut self, req: CreateSoftware) -> SmartAgId {
        self.buy_app_instance(req.region_id, req.user_count.get())
    }

    /// `ModifySmartAccessGateway`: replaces the instance's client CIDR pool when one is given
    /// (see [`Account::set_cidr_pool`]).
    ///
    /// # Errors
    ///
    /// The first that applies: [`Error::InstanceNotFound`], [`Error::CidrOverlap`] (with the
    /// pool of an instance linked by a roaming user), [`Error::InvalidCidr`] (a static user's
    /// address would leave the pool).
    ///
    /// ```
    /// use smartag_rules::{Account, Error, InstanceSpec, ModifyGatewayRaw};
    ///
    /// let mut account = Account::new();
    /// account.add_instance(InstanceSpec::app("sag-app1".parse()?, "cn-shanghai".parse()?))?;
    /// let modify = ModifyGatewayRaw::default()
    ///     .region_id("cn-shanghai")
    ///     .smart_ag_id("sag-app1")
    ///     .cidr_block("10.0.0.0/24,192.168.0.0/16");
    /// account.modify_gateway(modify.validate()?)?;
    /// let instance = account.instance(&"cn-shanghai".parse()?, &"sag-app1".parse()?).unwrap();
    /// assert_eq!(instance.pool().len(), 2);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn modify_gateway(&mut self, req: ModifyGateway) -> Result<(), Error> {
        match req.cidr_block {
            Some(pool) => self.set_cidr_pool(&req.region_id, &req.smart_ag_id, pool),
            None => self.found(&req.region_id, &req.smart_ag_id).map(|_| ()),
        }
    }

    /// `CreateEnterpriseCode`: creates an enterprise code in the account (codes compare
    /// case-insensitively).
    ///
    /// # Errors
    ///
    /// [`Error::IdempotentParameterMismatch`] for the `ClientToken` of another request (the
    /// token of an identical successful request answers `Ok` and changes nothing), then
    /// [`Error::EnterpriseCodeBeenOccupied`] when the code exists.
    ///
    /// ```
    /// use smartag_rules::{Account, CreateEnterpriseCodeRaw, Error};
    ///
    /// let mut account = Account::new();
    /// let create = CreateEnterpriseCodeRaw::default()
    ///     .region_id("cn-shanghai")
    ///     .enterprise_code("AB123");
    /// account.create_enterprise_code(create.validate()?)?;
    /// let again = create.enterprise_code("ab123").validate()?;
    /// assert_eq!(account.create_enterprise_code(again), Err(Error::EnterpriseCodeBeenOccupied));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn create_enterprise_code(&mut self, req: CreateEnterpriseCode) -> Result<(), Error> {
        self.once(req, |account, req| {
            if account.enterprise_codes.insert(req.enterprise_code) {
                Ok(())
            } else {
                Err(Error::EnterpriseCodeBeenOccupied)
            }
        })
    }

    /// `UpdateSmartAGEnterpriseCode`: binds an enterprise code of the account to an instance.
    ///
    /// # Errors
    ///
    /// The first that applies: [`Error::IdempotentParameterMismatch`] (the `ClientToken` of
    /// another request; that of an identical success answers `Ok` and changes nothing),
    /// [`Error::InstanceNotFound`], [`Error::EnterpriseCodeNotExist`] (the code was never
    /// created).
    ///
    /// ```
    /// use smartag_rules::{Account, BindEnterpriseCodeRaw, Error, InstanceSpec};
    ///
    /// let mut account = Account::new();
    /// account.add_instance(InstanceSpec::app("sag-app1".parse()?, "cn-shanghai".parse()?))?;
    /// let bind = BindEnterpriseCodeRaw::default()
    ///     .region_id("cn-shanghai")
    ///     .smart_ag_id("sag-app1")
    ///     .enterprise_code("AB123");
    /// assert_eq!(account.bind_enterprise_code(bind.validate()?), Err(Error::EnterpriseCodeNotExist));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn bind_enterprise_code(&mut self, req: BindEnterpriseCode) -> Result<(), Error> {
        self.once(req, |account, req| {
            let created = account.enterprise_codes.contains(&req.enterprise_code);
            let (instance, _) = account.found_mut(&req.region_id, &req.smart_ag_id)?;
            if !created {
                return Err(Error::EnterpriseCodeNotExist);
            }
            instance.spec.enterprise_code = Some(req.enterprise_code);
            Ok(())
        })
    }
}
