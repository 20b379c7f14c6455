//! The case set as compact bytes, so that a start reads one saved row instead of a million cases.
//!
//! Layout, little-endian: a magic and format number; the names of the statuses, channels,
//! rejection reasons and ratings the records' small numbers stand for (so that a variant added to
//! an enum later cannot shift their meaning); the three code tables; then one fixed-width record
//! per case.

use super::{CaseSet, Codes, IndexedCase};
use domain::case::{CaseStatus, Channel};
use domain::workflow::{Rating, RejectReason};

const MAGIC: &[u8; 4] = b"HTCI";
/// Bumped whenever the layout or the meaning of a field changes; an older snapshot is then ignored.
const FORMAT: u32 = 1;
const RECORD: usize = 76;

const RATINGS: [(Rating, &str); 3] =
    [(Rating::Satisfied, "satisfied"), (Rating::Acceptable, "acceptable"), (Rating::Unsatisfied, "unsatisfied")];

/// Which optional fields a record holds, one bit each.
mod has {
    pub const AREA: u16 = 1;
    pub const AGENCY: u16 = 1 << 1;
    pub const DEADLINE: u16 = 1 << 2;
    pub const REJECTION: u16 = 1 << 3;
    pub const HANDLED: u16 = 1 << 4;
    pub const HANDLED_ON_TIME: u16 = 1 << 5;
    pub const RATING: u16 = 1 << 6;
    pub const SCREENED: u16 = 1 << 7;
    pub const RESULT: u16 = 1 << 8;
    pub const RESOLVED: u16 = 1 << 9;
}

/// Why saved bytes were not taken: the start then reads every case from the database instead.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SnapshotError {
    #[error("not a case index snapshot")]
    NotASnapshot,
    #[error("snapshot format {0}, this server reads {FORMAT}")]
    OtherFormat(u32),
    #[error("the snapshot ends early")]
    Truncated,
    #[error("the snapshot names an unknown {0} {1:?}")]
    UnknownName(&'static str, String),
    #[error("a record refers to code {0}, beyond its table")]
    CodeOutOfRange(u16),
    #[error("case {0} appears twice")]
    RepeatedCase(i64),
}

/// Writes `set`'s cases and code tables.
pub fn encode(set: &CaseSet) -> Vec<u8> {
    let mut out = Vec::with_capacity(1024 + set.cases.len() * RECORD);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&FORMAT.to_le_bytes());
    write_names(&mut out, CaseStatus::ALL.iter().map(|s| s.as_str()));
    write_names(&mut out, Channel::ALL.iter().map(|c| c.as_str()));
    write_names(&mut out, RejectReason::ALL.iter().map(|r| r.as_str()));
    write_names(&mut out, RATINGS.iter().map(|(_, name)| *name));
    for codes in [&set.categories, &set.areas, &set.agencies] {
        write_codes(&mut out, codes);
    }
    out.extend_from_slice(&(set.cases.len() as u64).to_le_bytes());
    for case in &set.cases {
        write_record(&mut out, case);
    }
    out
}

/// Reads what [`encode`] wrote. The cluster index is left deferred for the caller to build once.
pub fn decode(bytes: &[u8]) -> Result<CaseSet, SnapshotError> {
    let mut reader = Reader { bytes };
    if reader.take(4)? != MAGIC {
        return Err(SnapshotError::NotASnapshot);
    }
    let format = reader.u32()?;
    if format != FORMAT {
        return Err(SnapshotError::OtherFormat(format));
    }
    let statuses = reader.names("status", CaseStatus::parse)?;
    let channels = reader.names("channel", Channel::parse)?;
    let rejections = reader.names("rejection reason", RejectReason::parse)?;
    let ratings = reader.names("rating", |name| RATINGS.iter().find(|(_, n)| *n == name).map(|(r, _)| *r))?;
    let categories = reader.codes()?;
    let areas = reader.codes()?;
    let agencies = reader.codes()?;
    let count = usize::try_from(reader.u64()?).map_err(|_| SnapshotError::Truncated)?;
    let records = reader.take(count.checked_mul(RECORD).ok_or(SnapshotError::Truncated)?)?;
    let mut cases = Vec::with_capacity(count);
    for record in records.chunks_exact(RECORD) {
        let mut field = Reader { bytes: record };
        let id = field.i64()?;
        let lat = field.f64()?;
        let lon = field.f64()?;
        let category = code_in(field.u16()?, &categories)?;
        let area = field.u16()?;
        let agency = field.u16()?;
        let channel = pick(&channels, field.u8()?)?;
        let status = pick(&statuses, field.u8()?)?;
        let rejection = field.u8()?;
        let rating = field.u8()?;
        let flags = field.u16()?;
        let submitted_at = field.i64()?;
        let mut time_if = |bit: u16| -> Result<Option<i64>, SnapshotError> {
            let at = field.i64()?;
            Ok((flags & bit != 0).then_some(at))
        };
        let deadline = time_if(has::DEADLINE)?;
        let screened_at = time_if(has::SCREENED)?;
        let result_submitted_at = time_if(has::RESULT)?;
        let resolved_at = time_if(has::RESOLVED)?;
        cases.push(IndexedCase {
            id,
            lat,
            lon,
            category,
            area: (flags & has::AREA != 0).then(|| code_in(area, &areas)).transpose()?,
            agency: (flags & has::AGENCY != 0).then(|| code_in(agency, &agencies)).transpose()?,
            channel,
            status,
            submitted_at,
            deadline,
            rejection: (flags & has::REJECTION != 0).then(|| pick(&rejections, rejection)).transpose()?,
            handled_on_time: (flags & has::HANDLED != 0).then_some(flags & has::HANDLED_ON_TIME != 0),
            rating: (flags & has::RATING != 0).then(|| pick(&ratings, rating)).transpose()?,
            screened_at,
            result_submitted_at,
            resolved_at,
        });
    }
    let mut positions = std::collections::HashMap::with_capacity(cases.len());
    for (at, case) in cases.iter().enumerate() {
        if positions.insert(case.id, at).is_some() {
            return Err(SnapshotError::RepeatedCase(case.id));
        }
    }
    Ok(CaseSet { cases, positions, categories, areas, agencies, clusters: crate::clusters::ClusterIndex::deferred() })
}

fn write_names<'a>(out: &mut Vec<u8>, names: impl ExactSizeIterator<Item = &'a str>) {
    out.push(u8::try_from(names.len()).unwrap_or(u8::MAX));
    for name in names.take(usize::from(u8::MAX)) {
        let bytes = name.as_bytes();
        out.push(u8::try_from(bytes.len()).unwrap_or(u8::MAX));
        out.extend_from_slice(&bytes[..bytes.len().min(usize::from(u8::MAX))]);
    }
}

fn write_codes(out: &mut Vec<u8>, codes: &Codes) {
    out.extend_from_slice(&(codes.names.len() as u32).to_le_bytes());
    for name in &codes.names {
        out.extend_from_slice(&(name.len() as u32).to_le_bytes());
        out.extend_from_slice(name.as_bytes());
    }
}

/// The position of `value` in its enum's `ALL`, the number the header's name list is read by.
fn position<T: PartialEq>(all: &[T], value: T) -> u8 {
    all.iter().position(|v| *v == value).and_then(|at| u8::try_from(at).ok()).unwrap_or(u8::MAX)
}

fn write_record(out: &mut Vec<u8>, case: &IndexedCase) {
    let mut flags = 0u16;
    let mut set = |bit: u16, on: bool| {
        if on {
            flags |= bit;
        }
    };
    set(has::AREA, case.area.is_some());
    set(has::AGENCY, case.agency.is_some());
    set(has::DEADLINE, case.deadline.is_some());
    set(has::REJECTION, case.rejection.is_some());
    set(has::HANDLED, case.handled_on_time.is_some());
    set(has::HANDLED_ON_TIME, case.handled_on_time == Some(true));
    set(has::RATING, case.rating.is_some());
    set(has::SCREENED, case.screened_at.is_some());
    set(has::RESULT, case.result_submitted_at.is_some());
    set(has::RESOLVED, case.resolved_at.is_some());
    let ratings = RATINGS.map(|(rating, _)| rating);
    out.extend_from_slice(&case.id.to_le_bytes());
    out.extend_from_slice(&case.lat.to_le_bytes());
    out.extend_from_slice(&case.lon.to_le_bytes());
    out.extend_from_slice(&case.category.to_le_bytes());
    out.extend_from_slice(&case.area.unwrap_or(0).to_le_bytes());
    out.extend_from_slice(&case.agency.unwrap_or(0).to_le_bytes());
    out.push(position(&Channel::ALL, case.channel));
    out.push(position(&CaseStatus::ALL, case.status));
    out.push(case.rejection.map_or(0, |r| position(&RejectReason::ALL, r)));
    out.push(case.rating.map_or(0, |r| position(&ratings, r)));
    out.extend_from_slice(&flags.to_le_bytes());
    for at in [case.submitted_at, case.deadline.unwrap_or(0)] {
        out.extend_from_slice(&at.to_le_bytes());
    }
    for at in [case.screened_at, case.result_submitted_at, case.resolved_at] {
        out.extend_from_slice(&at.unwrap_or(0).to_le_bytes());
    }
}

fn code_in(code: u16, codes: &Codes) -> Result<u16, SnapshotError> {
    if usize::from(code) < codes.len() {
        Ok(code)
    } else {
        Err(SnapshotError::CodeOutOfRange(code))
    }
}

fn pick<T: Copy>(table: &[T], at: u8) -> Result<T, SnapshotError> {
    table.get(usize::from(at)).copied().ok_or(SnapshotError::CodeOutOfRange(u16::from(at)))
}

struct Reader<'a> {
    bytes: &'a [u8],
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], SnapshotError> {
        if self.bytes.len() < n {
            return Err(SnapshotError::Truncated);
        }
        let (taken, rest) = self.bytes.split_at(n);
        self.bytes = rest;
        Ok(taken)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], SnapshotError> {
        self.take(N)?.try_into().map_err(|_| SnapshotError::Truncated)
    }

    fn u8(&mut self) -> Result<u8, SnapshotError> {
        Ok(self.array::<1>()?[0])
    }

    fn u16(&mut self) -> Result<u16, SnapshotError> {
        self.array().map(u16::from_le_bytes)
    }

    fn u32(&mut self) -> Result<u32, SnapshotError> {
        self.array().map(u32::from_le_bytes)
    }

    fn u64(&mut self) -> Result<u64, SnapshotError> {
        self.array().map(u64::from_le_bytes)
    }

    fn i64(&mut self) -> Result<i64, SnapshotError> {
        self.array().map(i64::from_le_bytes)
    }

    fn f64(&mut self) -> Result<f64, SnapshotError> {
        self.array().map(f64::from_le_bytes)
    }

    fn text(&mut self, len: usize) -> Result<String, SnapshotError> {
        String::from_utf8(self.take(len)?.to_vec()).map_err(|_| SnapshotError::NotASnapshot)
    }

    /// A name list, each name parsed by this server's own reading of it.
    fn names<T>(&mut self, what: &'static str, parse: impl Fn(&str) -> Option<T>) -> Result<Vec<T>, SnapshotError> {
        let count = self.u8()?;
        (0..count)
            .map(|_| {
                let len = usize::from(self.u8()?);
                let name = self.text(len)?;
                parse(&name).ok_or(SnapshotError::UnknownName(what, name))
            })
            .collect()
    }

    fn codes(&mut self) -> Result<Codes, SnapshotError> {
        let count = self.u32()?;
        let mut codes = Codes::default();
        for _ in 0..count {
            let len = usize::try_from(self.u32()?).map_err(|_| SnapshotError::Truncated)?;
            let name = self.text(len)?;
            codes.intern(&name);
        }
        Ok(codes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::CaseDigest;
    use chrono::{TimeZone, Utc};

    fn digest(id: i64) -> CaseDigest {
        let at = |s: i64| Utc.timestamp_opt(1_780_000_000 + s, 0).single().expect("time");
        CaseDigest {
            id,
            lat: 17.46 + id as f64 * 1e-4,
            lon: 106.6 - id as f64 * 1e-4,
            category: format!("category-{}", id % 3),
            area: (id % 2 == 0).then(|| "dong-hoi".to_string()),
            agency: (id % 3 != 0).then(|| format!("agency-{}", id % 4)),
            channel: Channel::ALL[id as usize % Channel::ALL.len()],
            status: CaseStatus::ALL[id as usize % CaseStatus::ALL.len()],
            submitted_at: at(id),
            deadline: (id % 3 == 1).then(|| at(id + 86_400)),
            rejection: (id % 5 == 0).then_some(RejectReason::ALL[id as usize % RejectReason::ALL.len()]),
            handled_on_time: match id % 3 {
                0 => None,
                1 => Some(true),
                _ => Some(false),
            },
            rating: (id % 4 == 0).then_some(RATINGS[id as usize % 3].0),
            changed_at: at(id),
            screened_at: (id % 2 == 1).then(|| at(id + 60)),
            result_submitted_at: (id % 7 == 0).then(|| at(id + 600)),
            resolved_at: (id % 7 == 0).then(|| at(id + 900)),
        }
    }

    fn set_of(ids: impl IntoIterator<Item = i64>) -> CaseSet {
        let mut set = CaseSet::default();
        for id in ids {
            set.upsert(&digest(id));
        }
        set
    }

    #[test]
    fn a_set_reads_back_case_for_case_with_its_code_tables() {
        let set = set_of(1..=200);
        let read = decode(&encode(&set)).expect("decodes");
        assert_eq!(read.cases(), set.cases());
        for (original, copy) in [(&set.categories, &read.categories), (&set.areas, &read.areas)] {
            assert_eq!(original.names, copy.names);
        }
        assert_eq!(read.agencies.names, set.agencies.names);
        assert_eq!(read.get(150), set.get(150));
        // Both sets use the same codes: each further case costs one fixed record.
        assert_eq!(encode(&set).len() - encode(&set_of(1..=100)).len(), 100 * RECORD);
    }

    #[test]
    fn anything_but_a_whole_snapshot_of_this_format_is_refused() {
        let bytes = encode(&set_of(1..=20));
        assert_eq!(decode(&bytes[..bytes.len() - 1]).err(), Some(SnapshotError::Truncated));
        assert_eq!(decode(b"nope").err(), Some(SnapshotError::NotASnapshot));
        let mut other = bytes.clone();
        other[4] = 9;
        assert_eq!(decode(&other).err(), Some(SnapshotError::OtherFormat(9)));
        let mut renamed = bytes;
        // The first status name, renamed to one this server does not know.
        let at = 4 + 4 + 1 + 1;
        renamed[at] = b'X';
        assert!(matches!(decode(&renamed), Err(SnapshotError::UnknownName("status", _))));
    }
}
