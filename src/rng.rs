//! The seedable generator behind every value the service makes up: generated user names and
//! passwords, instance IDs and request IDs. The same seed gives the same values, so a run can be
//! replayed exactly.

/// A small, fast, seedable generator (SplitMix64). Not for secrets: the values it makes are
/// meant to be reproducible.
///
/// ```
/// use smartag_rules::rng::Rng;
///
/// let (mut a, mut b) = (Rng::new(7), Rng::new(7));
/// assert_eq!(a.next_u64(), b.next_u64());
/// assert_eq!(a.request_id(), b.request_id());
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Rng {
    state: u64,
}

const LOWER_ALNUM: &[u8; 36] = b"abcdefghijklmnopqrstuvwxyz0123456789";
const ALNUM: &[u8; 62] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const HEX: &[u8; 16] = b"0123456789ABCDEF";

impl Rng {
    /// A generator seeded with `seed`.
    pub const fn new(seed: u64) -> Rng {
        Rng { state: seed }
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A uniform index below `n` (`n` > 0; 0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            return 0;
        }
        // Lemire's multiply-shift: unbiased enough for generated names, and branch-free.
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    fn pick(&mut self, alphabet: &[u8]) -> char {
        char::from(
            alphabet
                .get(self.below(alphabet.len()))
                .copied()
                .unwrap_or(b'0'),
        )
    }

    /// `len` characters from `[a-z0-9]`.
    pub fn lower_alnum(&mut self, len: usize) -> String {
        (0..len).map(|_| self.pick(LOWER_ALNUM)).collect()
    }

    /// `len` characters from `[A-Za-z0-9]`.
    pub fn alnum(&mut self, len: usize) -> String {
        (0..len).map(|_| self.pick(ALNUM)).collect()
    }

    /// A request ID in the service's form, `3200E8A3-563F-4FFC-8BDB-0F1263FA69E8`: a version-4
    /// UUID (as every sample ID of the API pages is) in uppercase hexadecimal, grouped 8-4-4-4-12:
    /// the third group starts with `4`, the fourth with one of `8`, `9`, `A`, `B`.
    pub fn request_id(&mut self) -> String {
        let random = (u128::from(self.next_u64()) << 64) | u128::from(self.next_u64());
        // Version 4 in bits 76..80, variant 0b10 in bits 62..64.
        let bits = (random & !(0xF << 76) & !(0b11 << 62)) | (0x4 << 76) | (0b10 << 62);
        let mut out = String::with_capacity(36);
        for i in 0..32 {
            if matches!(i, 8 | 12 | 16 | 20) {
                out.push('-');
            }
            let nibble = (bits >> (124 - 4 * i)) & 0xF;
            out.push(char::from(HEX[nibble as usize]));
        }
        out
    }
}

impl Default for Rng {
    fn default() -> Self {
        Rng::new(0)
    }
}
