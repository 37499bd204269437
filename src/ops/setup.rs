//! The setup operations of the API model: `CreateSmartAccessGatewaySoftware`,
//! `ModifySmartAccessGateway` (its `CidrBlock`), `CreateEnterpriseCode` and
//! `UpdateSmartAGEnterpriseCode`.

use super::check::{self, id_arg, Check};
use super::raw::raw_request;
use crate::model::{Account, InstanceSpec};
use crate::{CidrPool, EnterpriseCode, Error, RegionId, SmartAgId};

raw_request! {
    /// `CreateSmartAccessGatewaySoftware` as it arrives. `Period`, `ChargeType`, `AutoPay` and
    /// `DataPlan` are billing parameters: accepted, not modelled.
    pub struct CreateSoftwareRaw {
        /// `RegionId` (required).
        region_id: "RegionId",
        /// `UserCount`: the user quota, a whole number from 1 (required).
        user_count: "UserCount",
    }
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
}

raw_request! {
    /// `CreateEnterpriseCode` as it arrives.
    pub struct CreateEnterpriseCodeRaw {
        /// `RegionId` (required).
        region_id: "RegionId",
        /// `EnterpriseCode` (required).
        enterprise_code: "EnterpriseCode",
    }
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
    }
}

/// How long a generated instance ID's suffix is (`sag-` and 18 lowercase letters and digits).
const GENERATED_ID_LEN: usize = 18;

impl Account {
    fn software_checks(
        &self,
        raw: &CreateSoftwareRaw,
        c: &mut Check,
    ) -> (Option<RegionId>, Option<u32>) {
        let region = check::region(c, raw.region_id.as_deref());
        let quota = match raw.user_count.as_deref() {
            None | Some("") => c.take(Err(Error::MissingParameter)),
            Some(s) => check::page_param(c, Some(s), 0, 1..=u32::MAX),
        };
        (region, quota)
    }

    pub(crate) fn create_software_violations(&self, raw: &CreateSoftwareRaw) -> Vec<Error> {
        let mut c = Check::default();
        self.software_checks(raw, &mut c);
        c.into_errors()
    }

    /// `CreateSmartAccessGatewaySoftware`: buys an SAG APP instance with no CIDR block, its ID
    /// generated from the account's seeded generator.
    ///
    /// Errors: `MissingParameter` (`RegionId`, `UserCount`), `InvalidParameter` (`UserCount`
    /// not a whole number from 1).
    pub fn create_software(&mut self, raw: &CreateSoftwareRaw) -> Result<SmartAgId, Error> {
        let mut c = Check::default();
        let (region, quota) = self.software_checks(raw, &mut c);
        c.first()?;
        let (region, quota) = region.zip(quota).ok_or(Error::MissingParameter)?;
        let id = loop {
            let id: SmartAgId = format!("sag-{}", self.rng.lower_alnum(GENERATED_ID_LEN))
                .parse()
                .map_err(|_| Error::InvalidParameter)?;
            if !self.instances.contains_key(&id) {
                break id;
            }
        };
        self.add_instance(InstanceSpec::app(id.clone(), region).quota(quota))?;
        Ok(id)
    }

    fn gateway_checks(
        &self,
        raw: &ModifyGatewayRaw,
        c: &mut Check,
    ) -> Option<(RegionId, SmartAgId, Option<CidrPool>)> {
        let region = check::region(c, raw.region_id.as_deref());
        let id = check::instance_id(c, raw.smart_ag_id.as_deref());
        let pool = match raw.cidr_block.as_deref() {
            None => Some(None),
            Some(s) => c.take(s.parse::<CidrPool>()).map(Some),
        };
        let instance = self.resolve(c, region.as_ref(), id_arg(&id))?;
        if let (Some(region), Some(Some(pool))) = (&region, &pool) {
            for e in self.cidr_pool_violations(region, &instance.id, pool) {
                c.ensure(false, e);
            }
        }
        Some((region?, id.ok()?, pool?))
    }

    pub(crate) fn modify_gateway_violations(&self, raw: &ModifyGatewayRaw) -> Vec<Error> {
        let mut c = Check::default();
        self.gateway_checks(raw, &mut c);
        c.into_errors()
    }

    /// `ModifySmartAccessGateway`: replaces the instance's client CIDR pool when `CidrBlock` is
    /// given.
    ///
    /// Errors, first that applies: the pool's own form (`SAG.CidrEmpty`,
    /// `SAG.InvalidCidrFormat`, `SAG.InvalidCidr`, `SAG.CidrOverlap`), `SAG.InstanceNoFound`,
    /// then [`Account::set_cidr_pool`]'s (`SAG.CidrOverlap` with a roaming-linked instance,
    /// `SAG.InvalidCidr` for a stranded static user).
    pub fn modify_gateway(&mut self, raw: &ModifyGatewayRaw) -> Result<(), Error> {
        let mut c = Check::default();
        let checked = self.gateway_checks(raw, &mut c);
        c.first()?;
        if let Some((region, id, Some(pool))) = checked {
            self.set_cidr_pool(&region, &id, pool)?;
        }
        Ok(())
    }

    fn code_checks(&self, raw: &CreateEnterpriseCodeRaw, c: &mut Check) -> Option<EnterpriseCode> {
        check::region(c, raw.region_id.as_deref());
        let code = c.take(
            raw.enterprise_code
                .as_deref()
                .unwrap_or("")
                .parse::<EnterpriseCode>(),
        )?;
        c.ensure(
            !self.enterprise_codes.contains(&code),
            Error::EnterpriseCodeBeenOccupied,
        );
        Some(code)
    }

    pub(crate) fn create_code_violations(&self, raw: &CreateEnterpriseCodeRaw) -> Vec<Error> {
        let mut c = Check::default();
        self.code_checks(raw, &mut c);
        c.into_errors()
    }

    pub(crate) fn create_code_raw(&mut self, raw: &CreateEnterpriseCodeRaw) -> Result<(), Error> {
        let mut c = Check::default();
        let code = self.code_checks(raw, &mut c);
        c.first()?;
        self.create_enterprise_code(code.ok_or(Error::MissingParameter)?)
    }

    fn bind_checks(
        &self,
        raw: &BindEnterpriseCodeRaw,
        c: &mut Check,
    ) -> Option<(RegionId, SmartAgId, EnterpriseCode)> {
        let region = check::region(c, raw.region_id.as_deref());
        let id = check::instance_id(c, raw.smart_ag_id.as_deref());
        let code = c.take(
            raw.enterprise_code
                .as_deref()
                .unwrap_or("")
                .parse::<EnterpriseCode>(),
        );
        self.resolve(c, region.as_ref(), id_arg(&id))?;
        if let Some(code) = &code {
            c.ensure(
                self.enterprise_codes.contains(code),
                Error::EnterpriseCodeNotExist,
            );
        }
        Some((region?, id.ok()?, code?))
    }

    pub(crate) fn bind_code_violations(&self, raw: &BindEnterpriseCodeRaw) -> Vec<Error> {
        let mut c = Check::default();
        self.bind_checks(raw, &mut c);
        c.into_errors()
    }

    pub(crate) fn bind_code_raw(&mut self, raw: &BindEnterpriseCodeRaw) -> Result<(), Error> {
        let mut c = Check::default();
        let checked = self.bind_checks(raw, &mut c);
        c.first()?;
        let (region, id, code) = checked.ok_or(Error::InstanceNotFound)?;
        self.bind_enterprise_code(&region, &id, code)
    }
}
