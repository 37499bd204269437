//! The account model: instances, their CIDR pools and their client users.

mod account;
mod instance;
#[cfg(feature = "serde")]
mod snapshot;
mod user;
mod users;

pub use account::{Account, SetupError};
pub use instance::{Instance, InstanceKind, InstanceSpec};
pub use user::{ClientUser, Roaming, UserState};
