//! The account model: instances, their CIDR pools and their client users.

mod account;
mod enterprise_codes;
mod instance;
#[cfg(feature = "serde")]
mod snapshot;
mod user;
mod users;

pub use account::{Account, SetupError};
pub(crate) use enterprise_codes::{EnterpriseCodes, Serial};
pub use instance::{Instance, InstanceKind, InstanceSpec};
pub use user::{ClientUser, Roaming, UserState};
