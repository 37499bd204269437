//! Generated inputs for fuzzers and property tests.
//!
//! - [`OperationSequence`]: a sequence of setup and client-user operations over a small
//!   universe of regions, instance IDs, names, codes, blocks and addresses, so that steps
//!   collide often and most requests reach the rules past the form checks (a good share
//!   succeed). It implements [`Arbitrary`](::arbitrary::Arbitrary) (the `arbitrary` feature),
//!   and the `proptest` feature's `strategies::operation_sequence` generates it too; both read
//!   the same decoder, [`OperationSequence::from_bytes`].
//! - With the `arbitrary` feature, `Arbitrary` for the field types, the CIDR types, the raw
//!   requests and [`Request`](crate::Request):
//!   - field and CIDR values are always **valid**: they are built from the input bytes to obey
//!     their rule (a user name of 7 to 33 characters from its sets, a private block with its
//!     host bits zero, a pool of disjoint blocks, ...), so their text always parses back;
//!   - raw requests hold what arrives over the wire, so their parameters are anything: absent,
//!     empty, the text of a valid value, or arbitrary text.

mod sequence;
#[cfg(feature = "arbitrary")]
mod values;

pub use sequence::{OperationSequence, SequenceStep};
