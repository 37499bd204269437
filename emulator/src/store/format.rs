//! The bytes of the state files: a header, then frames of `length: u32 LE`,
//! `crc32(payload): u32 LE`, `crc32(the 8 bytes before): u32 LE`, `payload`. A log frame is one
//! group commit: its payload holds one or more entries, each `length: u32 LE` then the entry's
//! JSON.
//!
//! The header (format versions 2 and 4) is the magic, the version (`u32 LE`), the file's generation
//! (`u64 LE`), the log this one continues ([`Link`]: its generation and final length, `u64 LE`
//! each; generation 0: none, it starts right on the snapshot), and a CRC-32 of those 36 bytes:
//! every byte that decides what loads is checked, and a log missing or cut short before the
//! newest is found.
//! Version 4 is version 2 whose entries may hold sessions (a snapshot's account its sessions and
//! clock, a log its connects): the bump keeps a build that knows no session from loading such a
//! directory and dropping them. It is 4, not 3, so that no one flipped bit turns a version read
//! into another one read (3 is one bit from 1 and from 2; 1, 2 and 4 are two bits apart), and
//! the header checksum cannot be skipped by a flip to version 1. Version 2 files are still read,
//! and so are version 1 files (a 20-byte header: magic, version, generation, no checksum); the
//! start that reads either rewrites the directory in version 4.
//!
//! Only the frame written last can be torn by a crash (the writer never starts a frame before the
//! previous one is on disk), so reading tells a torn tail (dropped) from corruption (refused): a
//! record cut short by the end of the file (or whose missing end reads as zeros, as blocks a
//! power cut left unwritten do) is torn; a record that is all there but fails its checksum is
//! corruption, and so is a damaged record followed by a valid one. The header checksum makes a
//! damaged length detectable and lets that search for a later frame run in linear time.

use core::fmt;

/// The first bytes of a snapshot file.
pub(crate) const SNAPSHOT_MAGIC: [u8; 8] = *b"SAGSNAP\n";
/// The first bytes of a log file.
pub(crate) const LOG_MAGIC: [u8; 8] = *b"SAGLOG\n\0";
/// The format version this build writes.
pub(crate) const VERSION: u32 = 4;
/// The format version before sessions (the header of [`VERSION`]), still read.
const VERSION_2: u32 = 2;
/// The format version before header checksums, still read.
const VERSION_1: u32 = 1;
/// Magic, version, generation, the log continued (generation, length), checksum.
pub(crate) const HEADER_LEN: usize = 8 + 4 + 8 + 16 + 4;
/// Where the header's checksum starts.
const HEADER_CRC_AT: usize = HEADER_LEN - 4;
/// Magic, version, generation (version 1).
const HEADER_LEN_V1: usize = 8 + 4 + 8;
/// Length, payload checksum and header checksum of a frame.
const FRAME_HEADER_LEN: usize = 12;

/// Why bytes are not a state file, and where.
#[derive(Clone, PartialEq, Eq, Debug)]
pub(crate) struct Defect {
    /// The byte offset in the file.
    pub(crate) offset: u64,
    /// What is wrong there.
    pub(crate) reason: String,
}

impl Defect {
    pub(crate) fn new(offset: usize, reason: impl Into<String>) -> Defect {
        Defect {
            offset: u64::try_from(offset).unwrap_or(u64::MAX),
            reason: reason.into(),
        }
    }
}

impl fmt::Display for Defect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "offset {}: {}", self.offset, self.reason)
    }
}

/// The log a log continues: its generation and its length once complete.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) struct Link {
    /// The generation of the log continued; 0: none (the log starts right on the snapshot).
    pub(crate) generation: u64,
    /// That log's length in bytes.
    pub(crate) len: u64,
}

impl Link {
    /// No log continued: the log starts right on the snapshot (and a snapshot's header).
    pub(crate) const START: Link = Link {
        generation: 0,
        len: 0,
    };
}

/// A state file's header, as read.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) struct Header {
    /// The format version the file was written in.
    pub(crate) version: u32,
    /// The file's generation.
    pub(crate) generation: u64,
    /// For a log, the log it continues; `None` in a version 1 file, which does not say.
    pub(crate) follows: Option<Link>,
    /// Where its frames start.
    pub(crate) len: usize,
}

/// The header of a state file of kind `magic`, generation `generation`, continuing the log
/// `follows` ([`Link::START`] for a snapshot, and a log that starts on it).
pub(crate) fn header(magic: [u8; 8], generation: u64, follows: Link) -> [u8; HEADER_LEN] {
    let mut out = [0; HEADER_LEN];
    out[..8].copy_from_slice(&magic);
    out[8..12].copy_from_slice(&VERSION.to_le_bytes());
    out[12..20].copy_from_slice(&generation.to_le_bytes());
    out[20..28].copy_from_slice(&follows.generation.to_le_bytes());
    out[28..36].copy_from_slice(&follows.len.to_le_bytes());
    let crc = crc32fast::hash(&out[..HEADER_CRC_AT]);
    out[HEADER_CRC_AT..].copy_from_slice(&crc.to_le_bytes());
    out
}

fn u64_at(bytes: &[u8], at: usize) -> Option<u64> {
    bytes
        .get(at..at + 8)
        .and_then(|b| <[u8; 8]>::try_from(b).ok())
        .map(u64::from_le_bytes)
}

/// Checks the header of `bytes` (kind `magic`): its version, generation and the log it
/// continues.
pub(crate) fn read_header(bytes: &[u8], magic: [u8; 8]) -> Result<Header, Defect> {
    let kind = if magic == SNAPSHOT_MAGIC {
        "snapshot"
    } else {
        "log"
    };
    if bytes.get(..8) != Some(&magic[..]) {
        return Err(Defect::new(
            0,
            format!("not a smartag-emulator {kind} file (bad magic)"),
        ));
    }
    let short = |at| Defect::new(at, "file ends inside the header");
    let version = bytes
        .get(8..12)
        .and_then(|b| <[u8; 4]>::try_from(b).ok())
        .map(u32::from_le_bytes)
        .ok_or_else(|| short(8))?;
    match version {
        VERSION | VERSION_2 => {
            let head = bytes.get(..HEADER_LEN).ok_or_else(|| short(12))?;
            let crc = head
                .get(HEADER_CRC_AT..)
                .and_then(|b| <[u8; 4]>::try_from(b).ok())
                .map(u32::from_le_bytes);
            if crc
                != Some(crc32fast::hash(
                    head.get(..HEADER_CRC_AT).unwrap_or_default(),
                ))
            {
                return Err(Defect::new(HEADER_CRC_AT, "header checksum mismatch"));
            }
            let (Some(generation), Some(follows), Some(follows_len)) =
                (u64_at(head, 12), u64_at(head, 20), u64_at(head, 28))
            else {
                return Err(short(12));
            };
            Ok(Header {
                version,
                generation,
                follows: Some(Link {
                    generation: follows,
                    len: follows_len,
                }),
                len: HEADER_LEN,
            })
        }
        VERSION_1 => Ok(Header {
            version,
            generation: u64_at(bytes, 12).ok_or_else(|| short(12))?,
            follows: None,
            len: HEADER_LEN_V1,
        }),
        _ => Err(Defect::new(
            8,
            format!(
                "unsupported format version {version} (this build reads versions {VERSION_1}, \
                 {VERSION_2} and {VERSION})"
            ),
        )),
    }
}

/// Appends one frame holding `payload` to `out`.
///
/// # Errors
///
/// A payload of 4 GiB or more cannot be framed.
pub(crate) fn push_frame(out: &mut Vec<u8>, payload: &[u8]) -> Result<(), FrameTooLarge> {
    let len = u32::try_from(payload.len()).map_err(|_| FrameTooLarge)?;
    out.reserve(FRAME_HEADER_LEN + payload.len());
    let mut head = [0; FRAME_HEADER_LEN];
    head[..4].copy_from_slice(&len.to_le_bytes());
    head[4..8].copy_from_slice(&crc32fast::hash(payload).to_le_bytes());
    let header_crc = crc32fast::hash(&head[..8]);
    head[8..].copy_from_slice(&header_crc.to_le_bytes());
    out.extend_from_slice(&head);
    out.extend_from_slice(payload);
    Ok(())
}

/// A payload of 4 GiB or more.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) struct FrameTooLarge;

impl fmt::Display for FrameTooLarge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a state record of 4 GiB or more")
    }
}

/// Appends one log entry (its length, then its bytes) to a frame payload being built.
pub(crate) fn push_entry(payload: &mut Vec<u8>, entry: &[u8]) -> Result<(), FrameTooLarge> {
    let len = u32::try_from(entry.len()).map_err(|_| FrameTooLarge)?;
    payload.extend_from_slice(&len.to_le_bytes());
    payload.extend_from_slice(entry);
    Ok(())
}

/// The frames of a file read whole, from `start` (after the header).
pub(crate) struct Frames {
    /// Each frame's offset and its payload's range in the file.
    pub(crate) frames: Vec<(usize, core::ops::Range<usize>)>,
    /// Where a torn last frame starts, if the file ends with one.
    pub(crate) torn_at: Option<usize>,
}

/// What is wrong with the frame at some offset.
enum Bad {
    /// Nothing: a frame whose payload is this range.
    Not(core::ops::Range<usize>),
    /// A record cut short: what a torn write leaves, if nothing valid follows.
    MaybeTorn(&'static str),
    /// A defect no crash leaves.
    Corrupt(&'static str),
}

fn check(bytes: &[u8], pos: usize) -> Bad {
    let rest = bytes.get(pos..).unwrap_or_default();
    // The bytes before a final run of zeros: what was written, where a power cut can leave the
    // blocks at the end of a file unwritten (they read as zeros). A real record never ends in a
    // zero byte (its payload is JSON).
    let written = rest
        .iter()
        .rposition(|&b| b != 0)
        .map_or(0, |last| last + 1);
    if written == 0 {
        return Bad::MaybeTorn("the file ends in zero bytes where a record should be");
    }
    let Some(head) = rest.first_chunk::<FRAME_HEADER_LEN>() else {
        return Bad::MaybeTorn("the file ends inside a record header");
    };
    let [l0, l1, l2, l3, c0, c1, c2, c3, h0, h1, h2, h3] = *head;
    if crc32fast::hash(&head[..8]) != u32::from_le_bytes([h0, h1, h2, h3]) {
        return if written < FRAME_HEADER_LEN {
            Bad::MaybeTorn("the file ends inside a record header")
        } else {
            Bad::Corrupt("record header checksum mismatch")
        };
    }
    let len = u32::from_le_bytes([l0, l1, l2, l3]) as usize;
    if len == 0 {
        return Bad::Corrupt("a record of length 0");
    }
    let Some(body_end) = FRAME_HEADER_LEN.checked_add(len) else {
        return Bad::Corrupt("a record longer than the address space");
    };
    let Some(body) = rest.get(FRAME_HEADER_LEN..body_end) else {
        return Bad::MaybeTorn("a record runs past the end of the file");
    };
    if crc32fast::hash(body) != u32::from_le_bytes([c0, c1, c2, c3]) {
        return if written < body_end {
            Bad::MaybeTorn("a record whose end was never written (it reads as zeros)")
        } else {
            Bad::Corrupt("record checksum mismatch in a complete record")
        };
    }
    Bad::Not(pos + FRAME_HEADER_LEN..pos + body_end)
}

/// Splits `bytes[start..]` into frames, checking each header and payload checksum.
///
/// With `torn_tail_allowed` (the log being appended to when the process stopped), a defect that a
/// torn write leaves (a record running past the end of the file, a checksum mismatch, zero bytes)
/// **with no valid record anywhere after it** is a torn tail: reported in [`Frames::torn_at`],
/// not an error. A defect followed by a valid record is corruption, always refused: the writer
/// starts a record only once the one before is on disk, so only the last can be torn.
pub(crate) fn frames(
    bytes: &[u8],
    start: usize,
    torn_tail_allowed: bool,
) -> Result<Frames, Defect> {
    let mut frames = Vec::new();
    let mut pos = start;
    while pos < bytes.len() {
        match check(bytes, pos) {
            Bad::Not(body) => {
                pos = body.end;
                frames.push((pos - body.len() - FRAME_HEADER_LEN, body));
            }
            Bad::Corrupt(reason) => return Err(Defect::new(pos, reason)),
            Bad::MaybeTorn(reason) => {
                let followed =
                    (pos + 1..bytes.len()).any(|q| matches!(check(bytes, q), Bad::Not(_)));
                return if torn_tail_allowed && !followed {
                    Ok(Frames {
                        frames,
                        torn_at: Some(pos),
                    })
                } else if followed {
                    Err(Defect::new(
                        pos,
                        format!("{reason}, followed by valid records (the file is corrupt)"),
                    ))
                } else {
                    Err(Defect::new(pos, reason))
                };
            }
        }
    }
    Ok(Frames {
        frames,
        torn_at: None,
    })
}

/// Splits a log frame's payload (at `offset` in its file) into its entries.
pub(crate) fn entries(payload: &[u8], offset: usize) -> Result<Vec<&[u8]>, Defect> {
    let mut out = Vec::new();
    let mut rest = payload;
    while !rest.is_empty() {
        let (head, tail) = rest
            .split_first_chunk::<4>()
            .ok_or_else(|| Defect::new(offset, "a record ends inside an entry length"))?;
        let len = u32::from_le_bytes(*head) as usize;
        let entry = tail
            .get(..len)
            .ok_or_else(|| Defect::new(offset, "an entry runs past the end of its record"))?;
        out.push(entry);
        rest = tail.get(len..).unwrap_or_default();
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(payloads: &[&[u8]]) -> Vec<u8> {
        let mut out = header(
            LOG_MAGIC,
            3,
            Link {
                generation: 2,
                len: 99,
            },
        )
        .to_vec();
        for p in payloads {
            push_frame(&mut out, p).unwrap();
        }
        out
    }

    fn payloads(bytes: &[u8], torn_ok: bool) -> Result<(Vec<&[u8]>, Option<usize>), Defect> {
        let f = frames(bytes, HEADER_LEN, torn_ok)?;
        Ok((
            f.frames.into_iter().map(|(_, r)| &bytes[r]).collect(),
            f.torn_at,
        ))
    }

    #[test]
    fn header_round_trip_and_defects() {
        let link = Link {
            generation: 6,
            len: 1234,
        };
        let h = header(LOG_MAGIC, 7, link);
        let read = read_header(&h, LOG_MAGIC).unwrap();
        assert_eq!(
            (read.version, read.generation, read.follows, read.len),
            (4, 7, Some(link), HEADER_LEN)
        );
        assert_eq!(
            read_header(&h, SNAPSHOT_MAGIC).unwrap_err().reason,
            "not a smartag-emulator snapshot file (bad magic)"
        );
        for unsupported in [0, 3, 5] {
            let mut other = h;
            other[8] = unsupported;
            assert_eq!(
                read_header(&other, LOG_MAGIC).unwrap_err(),
                Defect::new(
                    8,
                    format!(
                        "unsupported format version {unsupported} (this build reads versions \
                         1, 2 and 4)"
                    )
                ),
            );
        }
        // A version 2 header (the same bytes, its own checksum) still reads.
        let mut v2 = h;
        v2[8] = 2;
        let crc = crc32fast::hash(&v2[..HEADER_CRC_AT]);
        v2[HEADER_CRC_AT..].copy_from_slice(&crc.to_le_bytes());
        let read = read_header(&v2, LOG_MAGIC).unwrap();
        assert_eq!(
            (read.version, read.generation, read.follows),
            (2, 7, Some(link))
        );
        assert_eq!(read_header(&h[..15], LOG_MAGIC).unwrap_err().offset, 12);
        assert_eq!(
            read_header(b"garbage!garbage!", LOG_MAGIC)
                .unwrap_err()
                .offset,
            0
        );
        // Every bit of the version 4 header after the magic is checked: one flipped bit of the
        // version, the generation, the generation continued or the checksum is refused.
        for byte in 8..HEADER_LEN {
            for bit in 0..8 {
                let mut bad = h;
                bad[byte] ^= 1 << bit;
                assert!(
                    read_header(&bad, LOG_MAGIC).is_err(),
                    "bit {bit} of byte {byte} flipped"
                );
            }
        }
        // A version 1 header (no checksum, no chain) still reads.
        let mut v1 = LOG_MAGIC.to_vec();
        v1.extend_from_slice(&1u32.to_le_bytes());
        v1.extend_from_slice(&9u64.to_le_bytes());
        let read = read_header(&v1, LOG_MAGIC).unwrap();
        assert_eq!((read.generation, read.follows, read.len), (9, None, 20));
    }

    #[test]
    fn frames_round_trip() {
        let bytes = file(&[b"one", b"two", b"three"]);
        let (p, torn) = payloads(&bytes, false).unwrap();
        assert_eq!(p, vec![&b"one"[..], b"two", b"three"]);
        assert_eq!(torn, None);
    }

    #[test]
    fn a_torn_tail_is_told_from_corruption() {
        let whole = file(&[b"one", b"two", b"three"]);
        let last = whole.len() - (12 + 5);
        // Every cut inside the last frame is a torn tail where allowed, a defect elsewhere.
        for cut in last + 1..whole.len() {
            let (p, torn) = payloads(&whole[..cut], true).unwrap();
            assert_eq!((p.len(), torn), (2, Some(last)), "cut at {cut}");
            assert_eq!(
                payloads(&whole[..cut], false).unwrap_err().offset,
                last as u64
            );
        }
        // The last frame's end not written (zeros, as a power cut leaves blocks): torn.
        for from in [last + 12, last + 14, whole.len() - 1] {
            let mut zeroed = whole.clone();
            zeroed[from..].fill(0);
            assert_eq!(
                payloads(&zeroed, true).unwrap().1,
                Some(last),
                "zeros from {from}"
            );
        }
        let mut trailing_zeros = whole.clone();
        trailing_zeros.extend_from_slice(&[0; 100]);
        assert_eq!(
            payloads(&trailing_zeros, true).unwrap().1,
            Some(whole.len())
        );
        // A flipped byte in any frame but the last (length, checksums or payload): corruption,
        // torn tails allowed or not.
        for at in HEADER_LEN..last {
            let mut bad = whole.clone();
            bad[at] ^= 0x40;
            let err = payloads(&bad, true).unwrap_err();
            assert!(err.offset <= at as u64, "flip at {at}: {err}");
            assert!(
                err.reason
                    .ends_with("followed by valid records (the file is corrupt)")
                    || err.reason.contains("checksum mismatch")
            );
        }
        // In the last frame too: a record that is all there but fails a checksum was written
        // whole (and acknowledged), so it is corruption, never a torn tail.
        for at in last..whole.len() {
            let mut bad = whole.clone();
            bad[at] ^= 0x40;
            let err = payloads(&bad, true).unwrap_err();
            assert_eq!(err.offset, last as u64, "flip at {at}: {err}");
            assert!(err.reason.contains("checksum mismatch"), "{err}");
        }
    }

    #[test]
    fn entries_split_and_refuse_overruns() {
        let mut payload = Vec::new();
        push_entry(&mut payload, b"{}").unwrap();
        push_entry(&mut payload, b"[1]").unwrap();
        assert_eq!(entries(&payload, 9).unwrap(), vec![&b"{}"[..], b"[1]"]);
        payload.push(9);
        assert_eq!(
            entries(&payload, 9).unwrap_err(),
            Defect::new(9, "a record ends inside an entry length")
        );
        assert_eq!(
            entries(&[5, 0, 0, 0, b'x'], 4).unwrap_err(),
            Defect::new(4, "an entry runs past the end of its record")
        );
    }
}
