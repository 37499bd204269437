//! Arbitrary block sets and addresses. Every answer of `CidrBlock` and `CidrPool` (the block
//! rules, overlap, containment of usable hosts, host counts, the pool rules, and parsing the
//! pool's text) agrees with a brute-force check on plain `u32` address ranges.
#![no_main]

use std::net::Ipv4Addr;

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use smartag_rules::{CidrBlock, CidrPool, Error};

#[derive(Arbitrary, Debug)]
enum BlockSpec {
    /// A valid block, from the crate's `Arbitrary`.
    Valid(CidrBlock),
    /// Any address and prefix (most are refused).
    Raw(u32, u8),
    /// A block inside (or equal to) an earlier one, so that overlaps are common.
    Inside(u8, u8, u32),
    /// The next network of an earlier block's size, so that neighbours are common.
    Next(u8),
}

#[derive(Arbitrary, Debug)]
struct Input {
    blocks: Vec<BlockSpec>,
    split: u8,
    addrs: Vec<u32>,
}

/// The private ranges, first and last address.
const PRIVATE: [(u32, u32); 3] = [
    (0x0A00_0000, 0x0AFF_FFFF),
    (0xAC10_0000, 0xAC1F_FFFF),
    (0xC0A8_0000, 0xC0A8_FFFF),
];

/// A block as a plain range: its text, first and last address, and what parsing must say.
#[derive(Clone, Debug)]
struct Range {
    text: String,
    first: u32,
    last: u32,
    expected: Result<(), Error>,
}

fn mask(prefix: u8) -> u32 {
    if prefix == 0 {
        0
    } else {
        u32::MAX << (32 - u32::from(prefix.min(32)))
    }
}

/// The block `addr/prefix` (prefix up to 33) and the answer the rules give, brute force.
fn range(addr: u32, prefix: u8) -> Range {
    let text = format!("{}/{prefix}", Ipv4Addr::from(addr));
    let first = addr & mask(prefix);
    let last = first | !mask(prefix);
    let private = PRIVATE.iter().any(|&(lo, hi)| lo <= first && last <= hi);
    let ok = (8..=30).contains(&prefix) && addr == first && private;
    Range {
        text,
        first,
        last,
        expected: if ok { Ok(()) } else { Err(Error::InvalidCidr) },
    }
}

/// The prefix length of a range: the leading ones of its mask.
fn prefix_of(r: &Range) -> u8 {
    (!(r.last - r.first)).leading_ones() as u8
}

fn ranges_overlap(a: &Range, b: &Range) -> bool {
    a.first <= b.last && b.first <= a.last
}

fn is_host(r: &Range, addr: u32) -> bool {
    r.first < addr && addr < r.last
}

fn pool_expected(ranges: &[Range]) -> Result<(), Error> {
    if ranges.is_empty() {
        return Err(Error::CidrEmpty);
    }
    if let Some(e) = ranges.iter().find_map(|r| r.expected.err()) {
        return Err(e);
    }
    if ranges.len() > CidrPool::MAX_BLOCKS {
        return Err(Error::InvalidCidr);
    }
    for (i, a) in ranges.iter().enumerate() {
        if ranges[i + 1..].iter().any(|b| ranges_overlap(a, b)) {
            return Err(Error::CidrOverlap);
        }
    }
    Ok(())
}

fn join(ranges: &[Range]) -> String {
    ranges
        .iter()
        .map(|r| r.text.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

fuzz_target!(|input: Input| {
    let mut ranges: Vec<Range> = Vec::new();
    for spec in input.blocks.iter().take(24) {
        let r = match *spec {
            BlockSpec::Valid(b) => range(u32::from(b.network()), b.prefix_len()),
            BlockSpec::Raw(addr, prefix) => range(addr, prefix % 34),
            BlockSpec::Inside(which, deeper, bits) if !ranges.is_empty() => {
                let outer = &ranges[usize::from(which) % ranges.len()];
                let outer_prefix = prefix_of(outer);
                let inner = (outer_prefix + deeper % 8).min(32);
                let addr = (outer.first | (bits & !mask(outer_prefix))) & mask(inner);
                range(addr, inner)
            }
            BlockSpec::Next(which) if !ranges.is_empty() => {
                let before = &ranges[usize::from(which) % ranges.len()];
                range(before.last.wrapping_add(1), prefix_of(before))
            }
            BlockSpec::Inside(_, _, bits) => range(bits, 24),
            BlockSpec::Next(which) => range(0x0A00_0000 | (u32::from(which) << 8), 24),
        };
        ranges.push(r);
    }

    // Each block: the rules, then (for a valid one) its answers against the plain range.
    let mut blocks: Vec<(CidrBlock, Range)> = Vec::new();
    for r in &ranges {
        let parsed = r.text.parse::<CidrBlock>();
        assert_eq!(parsed.map(|_| ()), r.expected, "{}", r.text);
        if let Ok(b) = parsed {
            assert_eq!(b.to_string(), r.text);
            assert_eq!(u32::from(b.network()), r.first);
            assert_eq!(u32::from(b.broadcast()), r.last);
            assert_eq!(b.host_count(), r.last - r.first - 1);
            for &a in input.addrs.iter().take(16) {
                assert_eq!(b.contains_host(Ipv4Addr::from(a)), is_host(r, a), "{a}");
            }
            assert!(b.contains_host(Ipv4Addr::from(r.first + 1)));
            assert!(!b.contains_host(Ipv4Addr::from(r.first)));
            assert!(!b.contains_host(Ipv4Addr::from(r.last)));
            blocks.push((b, r.clone()));
        }
    }
    for (a, ra) in &blocks {
        for (b, rb) in &blocks {
            assert_eq!(a.overlaps(b), ranges_overlap(ra, rb), "{a} vs {b}");
        }
    }

    // The text of every block, valid or not: the pool's parse follows the rules in order.
    let all = join(&ranges);
    assert_eq!(
        all.parse::<CidrPool>().map(|_| ()),
        pool_expected(&ranges),
        "{all}"
    );

    // The valid blocks alone: `new` and parsing agree with the brute-force pool rules.
    let valid: Vec<Range> = blocks.iter().map(|(_, r)| r.clone()).collect();
    let expected = pool_expected(&valid);
    let built = CidrPool::new(blocks.iter().map(|(b, _)| *b).collect());
    if !valid.is_empty() {
        assert_eq!(built.clone().map(|_| ()), expected);
        assert_eq!(join(&valid).parse::<CidrPool>(), built.clone());
    }
    if let Ok(pool) = &built {
        assert_eq!(pool.to_string(), join(&valid));
        let total: u64 = valid.iter().map(|r| u64::from(r.last - r.first - 1)).sum();
        assert_eq!(pool.host_count(), total);
        for &a in input.addrs.iter().take(16) {
            let brute = valid.iter().any(|r| is_host(r, a));
            assert_eq!(pool.contains_host(Ipv4Addr::from(a)), brute, "{a}");
        }
        // Two pools from a split of the blocks: overlap across them, brute force.
        let at = usize::from(input.split) % (pool.len() + 1);
        let (left, right) = valid.split_at(at);
        let (lp, rp) = (
            CidrPool::new(pool.blocks()[..at].to_vec()),
            CidrPool::new(pool.blocks()[at..].to_vec()),
        );
        if let (Ok(lp), Ok(rp)) = (lp, rp) {
            let brute = left
                .iter()
                .any(|a| right.iter().any(|b| ranges_overlap(a, b)));
            assert_eq!(lp.overlaps(&rp), brute);
            assert!(!brute, "blocks of one valid pool never overlap");
        }
    }
});
