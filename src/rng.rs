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

    /// One byte of `alphabet`, uniformly (`b'0'` for an empty one).
    pub(crate) fn pick_byte(&mut self, alphabet: &[u8]) -> u8 {
        alphabet
            .get(self.below(alphabet.len()))
            .copied()
            .unwrap_or(b'0')
    }

    /// `len` characters drawn from `alphabet` (ASCII; the field that generates text names the
    /// set, so each character set is written once, with its field).
    ///
    /// ```
    /// use smartag_rules::rng::Rng;
    ///
    /// let text = Rng::new(7).text(b"ab", 6);
    /// assert!(text.len() == 6 && text.bytes().all(|b| b == b'a' || b == b'b'));
    /// ```
    pub fn text(&mut self, alphabet: &[u8], len: usize) -> String {
        (0..len)
            .map(|_| char::from(self.pick_byte(alphabet)))
            .collect()
    }

    /// A request ID in the service's form, `3200E8A3-563F-4FFC-8BDB-0F1263FA69E8`: a version-4
    /// UUID (as every sample ID of the API pages is) in uppercase hexadecimal, grouped 8-4-4-4-12:
    /// the third group starts with `4`, the fourth with one of `8`, `9`, `A`, `B`.
    pub fn request_id(&mut self) -> String {
        // The UUID's 128 bits are these two words, the first one the high half.
        let (high, low) = (self.next_u64(), self.next_u64());
        // Version 4 in bits 12..16 of the high half, variant 0b10 in bits 62..64 of the low one.
        let high = (high & !(0xF << 12)) | (0x4 << 12);
        let low = (low & !(0b11 << 62)) | (0b10 << 62);
        let (high, low) = (hex_digits(high), hex_digits(low));
        let mut id = [b'-'; 36];
        for (at, digits) in [
            (0, &high[..8]),
            (9, &high[8..12]),
            (14, &high[12..]),
            (19, &low[..4]),
            (24, &low[4..]),
        ] {
            id[at..at + digits.len()].copy_from_slice(digits);
        }
        // Hexadecimal digits and dashes: ASCII, so the default is never taken.
        String::from_utf8(id.to_vec()).unwrap_or_default()
    }
}

/// The 16 uppercase hexadecimal digits of `word`, most significant first, all at once (a byte of
/// a `u128` a digit).
fn hex_digits(word: u64) -> [u8; 16] {
    const ONES: u128 = u128::MAX / 0xFF;
    // Each nibble into a byte of its own, in the same order: halves, quarters, eighths, sixteenths.
    let x = u128::from(word);
    let x = (x | (x << 32)) & 0x0000_0000_FFFF_FFFF_0000_0000_FFFF_FFFF;
    let x = (x | (x << 16)) & 0x0000_FFFF_0000_FFFF_0000_FFFF_0000_FFFF;
    let x = (x | (x << 8)) & 0x00FF_00FF_00FF_00FF_00FF_00FF_00FF_00FF;
    let nibbles = (x | (x << 4)) & (ONES * 0x0F);
    // `0` plus the nibble, and 7 more (from `:` on to `A`) where it is 10 or more, which is where
    // adding 6 carries into the byte's bit 4.
    let letters = ((nibbles + ONES * 6) >> 4) & ONES;
    (nibbles + ONES * u128::from(b'0') + letters * 7).to_be_bytes()
}

impl Default for Rng {
    fn default() -> Self {
        Rng::new(0)
    }
}

#[cfg(test)]
mod tests {
    use super::Rng;

    /// The request ID written the plain way: the two words as one 128-bit number, version and
    /// variant set, formatted as hexadecimal groups.
    fn plain_request_id(rng: &mut Rng) -> String {
        let random = (u128::from(rng.next_u64()) << 64) | u128::from(rng.next_u64());
        let bits = (random & !(0xF << 76) & !(0b11 << 62)) | (0x4 << 76) | (0b10 << 62);
        let hex = format!("{bits:032X}");
        [
            &hex[..8],
            &hex[8..12],
            &hex[12..16],
            &hex[16..20],
            &hex[20..],
        ]
        .join("-")
    }

    #[test]
    fn request_ids_are_the_plain_formatting_of_the_same_bits() {
        for seed in [0, 1, 7, u64::MAX, 0x5245_5155_4553_5449] {
            let (mut fast, mut plain) = (Rng::new(seed), Rng::new(seed));
            for _ in 0..10_000 {
                assert_eq!(
                    fast.request_id(),
                    plain_request_id(&mut plain),
                    "seed {seed}"
                );
            }
        }
    }

    #[test]
    fn a_request_id_has_the_service_form() {
        let id = Rng::new(0).request_id();
        let groups: Vec<&str> = id.split('-').collect();
        assert_eq!(
            groups.iter().map(|g| g.len()).collect::<Vec<_>>(),
            [8, 4, 4, 4, 12]
        );
        assert!(id
            .bytes()
            .all(|b| b == b'-' || b.is_ascii_digit() || b.is_ascii_uppercase()));
        assert!(groups[2].starts_with('4'));
        assert!(groups[3].starts_with(['8', '9', 'A', 'B']));
    }
}
