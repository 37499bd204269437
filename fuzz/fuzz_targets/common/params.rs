//! What the request-level fuzz targets (`wire_request`, `emulator_request`) share: the parameter
//! names worth trying, and a text that is either one of a table's or arbitrary.

use arbitrary::Arbitrary;

/// Parameter names worth trying: those of the operations, the common ones, and last the six a
/// signature brings itself.
pub const NAMES: [&str; 25] = [
    "Action",
    "RegionId",
    "SmartAGId",
    "UserName",
    "Password",
    "UserMail",
    "Email",
    "Bandwidth",
    "ClientIp",
    "Format",
    "PageNumber",
    "PageSize",
    "OriginRegionId",
    "OriginSmartAGId",
    "TargetSmartAGId",
    "CidrBlock",
    "EnterpriseCode",
    "UserCount",
    "Version",
    "AccessKeyId",
    "Signature",
    "SignatureNonce",
    "Timestamp",
    "SignatureMethod",
    "SignatureVersion",
];

/// A parameter name or value: an index into a table of texts worth trying, or any text.
#[derive(Arbitrary, Debug)]
pub enum Text {
    Known(u8),
    Any(String),
}

impl Text {
    /// The text: for [`Text::Known`], what `known` answers for its index.
    pub fn or_known(&self, known: impl FnOnce(usize) -> String) -> String {
        match self {
            Text::Known(i) => known(usize::from(*i)),
            Text::Any(s) => s.clone(),
        }
    }

    /// The text: for [`Text::Known`], the entry of `table` its index names (wrapping around).
    pub fn get(&self, table: &[&str]) -> String {
        self.or_known(|i| table[i % table.len()].to_owned())
    }
}
