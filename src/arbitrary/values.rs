//! `Arbitrary` for the field types, the CIDR types, the raw requests and `Request`.

use core::fmt::Display;
use std::net::Ipv4Addr;

use ::arbitrary::{Arbitrary, Error as ArbError, Result, Unstructured};
use ipnet::Ipv4Net;

use crate::cidr::{CidrBlock, CidrPool};
use crate::fields::{
    Bandwidth, ClientIp, EnterpriseCode, Password, RegionId, SmartAgId, UserMail, UserName,
};
use crate::ops::{
    BindEnterpriseCodeRaw, ClientUserRefRaw, CreateClientUserRaw, CreateEnterpriseCodeRaw,
    CreateSoftwareRaw, DescribeClientUsersRaw, ModifyClientUserRaw, ModifyGatewayRaw, Request,
    ResetPasswordRaw, RoamClientUserRaw,
};
use crate::ops::{DeleteEnterpriseCodeRaw, ListEnterpriseCodeRaw, UpdateEnterpriseCodeRaw};
use crate::ops::{DescribeUserOnlineClientsRaw, KickOutClientsRaw};

// The character sets are the fields' own published ones (`UserName::REST_CHARS`, ...); only
// "letters and digits", which no field publishes on its own, comes from the crate's table.
use crate::fields::ALNUM;

fn push_from(u: &mut Unstructured<'_>, out: &mut String, set: &[u8]) -> Result<()> {
    out.push(char::from(*u.choose(set)?));
    Ok(())
}

/// `len` characters: the first from `first`, the rest from `rest`.
fn token(u: &mut Unstructured<'_>, len: usize, first: &[u8], rest: &[u8]) -> Result<String> {
    let mut out = String::with_capacity(len);
    for i in 0..len {
        push_from(u, &mut out, if i == 0 { first } else { rest })?;
    }
    Ok(out)
}

/// Parses text built to be valid; a refusal would be a bug of the construction, reported as
/// unusable input rather than a panic.
fn valid<T: core::str::FromStr>(text: &str) -> Result<T> {
    text.parse().map_err(|_| ArbError::IncorrectFormat)
}

/// `Arbitrary` for the fields whose rule is "`MIN_LEN..=MAX_LEN` characters, the first from
/// `FIRST_CHARS`, the rest from `REST_CHARS`": a length in that range, then the characters.
macro_rules! arbitrary_token {
    ($($ty:ident),+) => {$(
        impl<'a> Arbitrary<'a> for $ty {
            fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
                let len = u.int_in_range($ty::MIN_LEN..=$ty::MAX_LEN)?;
                valid(&token(u, len, $ty::FIRST_CHARS, $ty::REST_CHARS)?)
            }
        }
    )+};
}

arbitrary_token!(UserName, Password);

impl<'a> Arbitrary<'a> for Bandwidth {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        let kbps = u.int_in_range(Bandwidth::MIN.get()..=Bandwidth::MAX.get())?;
        Bandwidth::new(kbps).map_err(|_| ArbError::IncorrectFormat)
    }
}

impl<'a> Arbitrary<'a> for UserMail {
    /// A dot-atom local part of 1 to 4 atoms (at most 51 characters), `@`, and 2 to 4 labels of
    /// letters, digits and inner hyphens (at most 12 characters each).
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        let mut text = String::new();
        for i in 0..u.int_in_range(1..=4)? {
            if i > 0 {
                text.push('.');
            }
            let len = u.int_in_range(1..=12)?;
            text.push_str(&token(
                u,
                len,
                UserMail::LOCAL_CHARS,
                UserMail::LOCAL_CHARS,
            )?);
        }
        text.push('@');
        for i in 0..u.int_in_range(2..=4)? {
            if i > 0 {
                text.push('.');
            }
            let len = u.int_in_range(1..=12)?;
            let mut label = token(u, len, ALNUM, UserMail::LABEL_CHARS)?;
            if len > 1 && label.ends_with('-') {
                label.pop();
                push_from(u, &mut label, ALNUM)?;
            }
            text.push_str(&label);
        }
        valid(&text)
    }
}

impl<'a> Arbitrary<'a> for ClientIp {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(ClientIp::from(Ipv4Addr::from(u32::arbitrary(u)?)))
    }
}

impl<'a> Arbitrary<'a> for SmartAgId {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        let len = u.int_in_range(1..=SmartAgId::MAX_SUFFIX_LEN)?;
        let suffix = token(u, len, SmartAgId::SUFFIX_CHARS, SmartAgId::SUFFIX_CHARS)?;
        valid(&format!("{}{suffix}", SmartAgId::PREFIX))
    }
}

impl<'a> Arbitrary<'a> for RegionId {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        let head = u.int_in_range(RegionId::HEAD_LEN)?;
        let mut text = token(u, head, RegionId::HEAD_CHARS, RegionId::HEAD_CHARS)?;
        for _ in 0..u.int_in_range(RegionId::PARTS)? {
            text.push('-');
            let len = u.int_in_range(RegionId::PART_LEN)?;
            text.push_str(&token(u, len, RegionId::PART_CHARS, RegionId::PART_CHARS)?);
        }
        valid(&text)
    }
}

impl<'a> Arbitrary<'a> for EnterpriseCode {
    /// Five letters and digits, with a letter and a digit at two chosen places.
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        let letter_at = u.int_in_range(0..=EnterpriseCode::LEN - 1)?;
        let digit_at =
            (letter_at + u.int_in_range(1..=EnterpriseCode::LEN - 1)?) % EnterpriseCode::LEN;
        let mut text = String::with_capacity(EnterpriseCode::LEN);
        for i in 0..EnterpriseCode::LEN {
            let set = if i == letter_at {
                EnterpriseCode::LETTERS
            } else if i == digit_at {
                EnterpriseCode::DIGITS
            } else {
                ALNUM
            };
            push_from(u, &mut text, set)?;
        }
        valid(&text)
    }
}

impl<'a> Arbitrary<'a> for CidrBlock {
    /// A block of one of the private ranges, prefix from the range's own (at least /8) to /30.
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        let range = u.choose(&CidrBlock::PRIVATE_RANGES)?;
        let len = range.prefix_len();
        let prefix = u.int_in_range(len.max(CidrBlock::MIN_PREFIX)..=CidrBlock::MAX_PREFIX)?;
        let addr = u32::from(range.network()) | (u32::arbitrary(u)? & (u32::MAX >> len));
        let net = Ipv4Net::new(Ipv4Addr::from(addr), prefix)
            .map_err(|_| ArbError::IncorrectFormat)?
            .trunc();
        CidrBlock::new(net).map_err(|_| ArbError::IncorrectFormat)
    }
}

impl<'a> Arbitrary<'a> for CidrPool {
    /// 1 to 10 blocks; a block that overlaps one taken before it is left out, so the pool is
    /// never empty (the empty pool has no text form).
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        let mut blocks: Vec<CidrBlock> = Vec::new();
        for _ in 0..u.int_in_range(1..=CidrPool::MAX_BLOCKS)? {
            let block = CidrBlock::arbitrary(u)?;
            if !blocks.iter().any(|b| b.overlaps(&block)) {
                blocks.push(block);
            }
        }
        CidrPool::new(blocks).map_err(|_| ArbError::IncorrectFormat)
    }
}

/// A raw parameter: absent, empty, the text of a valid value, or arbitrary text.
fn param<'a>(
    u: &mut Unstructured<'a>,
    valid_text: impl FnOnce(&mut Unstructured<'a>) -> Result<String>,
) -> Result<Option<String>> {
    Ok(match u.int_in_range(0u8..=7)? {
        0 => None,
        1 => Some(String::new()),
        2 | 3 => Some(String::arbitrary(u)?),
        _ => Some(valid_text(u)?),
    })
}

fn text_of<'a, T: Arbitrary<'a> + Display>(u: &mut Unstructured<'a>) -> Result<String> {
    Ok(T::arbitrary(u)?.to_string())
}

fn password_text(u: &mut Unstructured<'_>) -> Result<String> {
    Ok(Password::arbitrary(u)?.expose_secret().to_string())
}

fn number_text(u: &mut Unstructured<'_>) -> Result<String> {
    Ok(u.int_in_range(0u32..=200)?.to_string())
}

/// The text of a valid value of the API parameter `name` (any text for a parameter this crate
/// does not model).
fn valid_text(u: &mut Unstructured<'_>, name: &str) -> Result<String> {
    match name {
        "RegionId" | "OriginRegionId" => text_of::<RegionId>(u),
        "SmartAGId" | "OriginSmartAGId" | "TargetSmartAGId" => text_of::<SmartAgId>(u),
        "UserName" | "Username" => text_of::<UserName>(u),
        "Password" => password_text(u),
        "UserMail" | "Email" => text_of::<UserMail>(u),
        "Bandwidth" => text_of::<Bandwidth>(u),
        "ClientIp" => text_of::<ClientIp>(u),
        "CidrBlock" => text_of::<CidrPool>(u),
        "EnterpriseCode" => text_of::<EnterpriseCode>(u),
        "PageNumber" | "PageSize" | "UserCount" => number_text(u),
        "Period" => Ok(u.choose(crate::ops::Period::MONTHS)?.to_string()),
        "AutoPay" => Ok((*u.choose(&["true", "false", "True", "FALSE"])?).to_owned()),
        "ChargeType" => Ok(crate::ops::CreateSoftware::CHARGE_TYPE.to_owned()),
        "DataPlan" => Ok(crate::ops::CreateSoftware::DATA_PLAN.to_owned()),
        "IsDefault" => Ok((*u.choose(&["true", "false", "True", "FALSE"])?).to_owned()),
        "MaxResults" => number_text(u),
        // A few tokens, so that requests share them now and then.
        "ClientToken" => Ok((*u.choose(&["token-1", "token-2", "retry"])?).to_owned()),
        _ => String::arbitrary(u),
    }
}

/// `Arbitrary` for raw requests: each of its parameters (`PARAMETERS`) by [`param`], read in
/// as the wire layer reads them.
macro_rules! arbitrary_raw {
    ($($raw:ident),+ $(,)?) => {$(
        impl<'a> Arbitrary<'a> for $raw {
            fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
                let mut values = Vec::with_capacity($raw::PARAMETERS.len());
                for &name in $raw::PARAMETERS {
                    values.push((name, param(u, |u| valid_text(u, name))?));
                }
                Ok($raw::from_params(&|name: &str| {
                    values
                        .iter()
                        .find(|(n, _)| *n == name)
                        .and_then(|(_, v)| v.as_deref())
                }))
            }
        }
    )+};
}

arbitrary_raw!(
    CreateClientUserRaw,
    ModifyClientUserRaw,
    RoamClientUserRaw,
    ClientUserRefRaw,
    ResetPasswordRaw,
    DescribeClientUsersRaw,
    CreateSoftwareRaw,
    ModifyGatewayRaw,
    CreateEnterpriseCodeRaw,
    BindEnterpriseCodeRaw,
    ListEnterpriseCodeRaw,
    UpdateEnterpriseCodeRaw,
    DeleteEnterpriseCodeRaw,
    DescribeUserOnlineClientsRaw,
    KickOutClientsRaw,
);

impl<'a> Arbitrary<'a> for Request {
    /// A request of any operation (one variant per [`Request::ACTIONS`] entry).
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(match u.choose_index(Request::ACTIONS.len())? {
            0 => Request::CreateClientUser(u.arbitrary()?),
            1 => Request::ModifyClientUser(u.arbitrary()?),
            2 => Request::RoamClientUser(u.arbitrary()?),
            3 => Request::DeleteClientUser(u.arbitrary()?),
            4 => Request::DescribeClientUsers(u.arbitrary()?),
            5 => Request::ResetClientUserPassword(u.arbitrary()?),
            6 => Request::EnableUser(u.arbitrary()?),
            7 => Request::DisableUser(u.arbitrary()?),
            8 => Request::CreateSoftware(u.arbitrary()?),
            9 => Request::ModifyGateway(u.arbitrary()?),
            10 => Request::CreateEnterpriseCode(u.arbitrary()?),
            11 => Request::BindEnterpriseCode(u.arbitrary()?),
            12 => Request::ListEnterpriseCode(u.arbitrary()?),
            13 => Request::UpdateEnterpriseCode(u.arbitrary()?),
            14 => Request::DeleteEnterpriseCode(u.arbitrary()?),
            15 => Request::DescribeUserOnlineClients(u.arbitrary()?),
            _ => Request::KickOutClients(u.arbitrary()?),
        })
    }
}
