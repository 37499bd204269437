//! The account model: instances, their CIDR pools, their client users and the users' online
//! sessions.

mod account;
mod enterprise_codes;
mod instance;
mod sessions;
#[cfg(feature = "serde")]
mod snapshot;
mod user;
mod users;

pub use account::{Account, ConnectError, SetupError};
pub(crate) use enterprise_codes::{EnterpriseCodes, Serial};
pub use instance::{Instance, InstanceKind, InstanceSpec};
pub use sessions::Session;
pub use user::{ClientUser, Roaming, UserState};
