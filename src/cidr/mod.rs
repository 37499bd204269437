//! Client CIDR blocks and the pool of blocks an instance hands client addresses out of.

mod block;
mod pool;

pub use block::CidrBlock;
pub use pool::CidrPool;
