//! The tamper-evident record: each case's events form a SHA-256 hash chain, computed here once for every backend, and checked by `verify`.
//!
//! An event's hash covers its content exactly as stored (case, seq, kind, actor, time, statuses,
//! note, publicity and the change's JSON) and the hash of the event before it; the first event
//! chains from [`GENESIS`]. Editing, removing or reordering any event therefore breaks the link
//! at that event (or, for the last events of a case, the count the case row keeps).

use crate::store::{Store, StoreError};
use chrono::{DateTime, SecondsFormat, Utc};
use domain::case::CaseEvent;
use serde_json::Value;
use sha2::{Digest, Sha256};

/// What the first event of every case chains from: a fixed value, so a chain can be checked with
/// nothing but the events themselves.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One event's content as the database keeps it, in the form both backends read back alike.
#[derive(Debug, Clone, PartialEq)]
pub struct EventContent {
    pub case_id: i64,
    pub seq: i64,
    pub kind: String,
    pub actor_role: String,
    pub actor_id: Option<i64>,
    /// RFC 3339 UTC with microseconds ([`stored_time`]): both databases keep microseconds.
    pub occurred_at: String,
    pub from_status: Option<String>,
    pub to_status: String,
    pub note: Option<String>,
    pub public: bool,
    /// The change as JSON. Key order is not part of the content: PostgreSQL's JSONB reorders keys.
    pub data: Value,
}

impl EventContent {
    /// The columns a backend writes for `event` of case `case_id`: the insert statements bind
    /// these very values, so what is hashed is what is stored.
    pub fn of(case_id: i64, event: &CaseEvent) -> Result<Self, StoreError> {
        Ok(Self {
            case_id,
            seq: i64::from(event.seq),
            kind: event.change.kind().as_str().to_string(),
            actor_role: event.actor_role.as_str().to_string(),
            actor_id: event.actor_id,
            occurred_at: stored_time(event.occurred_at),
            from_status: event.from_status.map(|s| s.as_str().to_string()),
            to_status: event.to_status.as_str().to_string(),
            note: event.change.note().map(str::to_string),
            public: event.public,
            data: serde_json::to_value(&event.change).map_err(|e| StoreError::Corrupt(e.to_string()))?,
        })
    }
}

/// A time as an event's hash covers it: truncated to microseconds, which is what both databases
/// keep (and what sqlx's PostgreSQL encoding and SQLite's text column truncate to).
pub fn stored_time(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Micros, true)
}

/// The hash of an event with `content` following an event hashed `previous`, as 64 lowercase hex
/// digits: SHA-256 of a versioned prefix, `previous`, and the content as canonical JSON (an object of
/// the fields named as in [`EventContent`], keys sorted, as [`canonical_json`] writes it).
pub fn event_hash(previous: &str, content: &EventContent) -> String {
    // The object is written field by field, in sorted key order, rather than built as a `Value`
    // first: `verify` hashes every event of the database, and this way costs no copy of the data.
    let mut out = Vec::with_capacity(512);
    out.extend_from_slice(b"hientruong-event-v1\n");
    out.extend_from_slice(previous.as_bytes());
    out.extend_from_slice(b"\n{\"actor_id\":");
    write_scalar(&content.actor_id, &mut out);
    out.extend_from_slice(b",\"actor_role\":");
    write_scalar(&content.actor_role, &mut out);
    out.extend_from_slice(b",\"case_id\":");
    write_scalar(&content.case_id, &mut out);
    out.extend_from_slice(b",\"data\":");
    write_canonical(&content.data, &mut out);
    out.extend_from_slice(b",\"from_status\":");
    write_scalar(&content.from_status, &mut out);
    out.extend_from_slice(b",\"kind\":");
    write_scalar(&content.kind, &mut out);
    out.extend_from_slice(b",\"note\":");
    write_scalar(&content.note, &mut out);
    out.extend_from_slice(b",\"occurred_at\":");
    write_scalar(&content.occurred_at, &mut out);
    out.extend_from_slice(b",\"public\":");
    write_scalar(&content.public, &mut out);
    out.extend_from_slice(b",\"seq\":");
    write_scalar(&content.seq, &mut out);
    out.extend_from_slice(b",\"to_status\":");
    write_scalar(&content.to_status, &mut out);
    out.push(b'}');
    hex(&Sha256::digest(&out))
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut text = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        text.push(char::from(DIGITS[usize::from(byte >> 4)]));
        text.push(char::from(DIGITS[usize::from(byte & 0x0f)]));
    }
    text
}

/// Compact JSON with every object's keys sorted, so the same value hashes alike however a
/// database or serde happened to order its keys.
pub fn canonical_json(value: &Value) -> String {
    let mut out = Vec::new();
    write_canonical(value, &mut out);
    String::from_utf8_lossy(&out).into_owned()
}

/// A string, number, boolean or null as compact JSON. Writing into a `Vec` cannot fail, and these
/// types always serialize.
fn write_scalar<T: serde::Serialize + ?Sized>(value: &T, out: &mut Vec<u8>) {
    let _ = serde_json::to_writer(out, value);
}

fn write_canonical(value: &Value, out: &mut Vec<u8>) {
    match value {
        Value::Object(map) => {
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
            out.push(b'{');
            for (i, (key, item)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_scalar(key.as_str(), out);
                out.push(b':');
                write_canonical(item, out);
            }
            out.push(b'}');
        }
        Value::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_canonical(item, out);
            }
            out.push(b']');
        }
        scalar => write_scalar(scalar, out),
    }
}

/// An event as `verify` reads it: its content, the hash stored with it, and the version (number
/// of events) its case row holds, read in the same statement.
#[derive(Debug, Clone, PartialEq)]
pub struct ChainedEvent {
    pub content: EventContent,
    /// `None` for an event written before the chain existed and not sealed since.
    pub hash: Option<String>,
    pub case_version: i64,
}

/// Why a case's chain breaks at an event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Breakage {
    /// The stored hash is not the hash of the event's content and its predecessor's hash: the
    /// event (or the one before it) was edited.
    HashMismatch,
    /// The event carries no hash.
    Unsealed,
    /// The event is missing (deleted), or events were renumbered: the chain jumps past it.
    Missing,
}

/// The first broken link of one case's chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokenLink {
    pub case_id: i64,
    pub seq: i64,
    pub breakage: Breakage,
}

impl std::fmt::Display for BrokenLink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let why = match self.breakage {
            Breakage::HashMismatch => "its hash does not match its content and the event before it",
            // Only events stored before the chain existed lack one, until a server starts or
            // `hientruong migrate` runs; anything else removed the hash on purpose.
            Breakage::Unsealed => {
                "it carries no hash (start the server or run `hientruong migrate` to seal older events)"
            }
            Breakage::Missing => "it is missing",
        };
        write!(f, "case {}: the chain breaks at event {}: {why}", self.case_id, self.seq)
    }
}

/// What a check of every chain found.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ChainSummary {
    pub cases: u64,
    pub events: u64,
    /// Cases whose chain is broken.
    pub broken: u64,
}

/// Checks chains fed event by event, cases one after another and each case's events in order,
/// holding only the case at hand.
#[derive(Debug, Default)]
pub struct ChainChecker {
    summary: ChainSummary,
    current: Option<CaseState>,
}

#[derive(Debug)]
struct CaseState {
    case_id: i64,
    last_seq: i64,
    last_hash: String,
    version: i64,
    broken: bool,
}

impl ChainChecker {
    pub fn new() -> Self {
        Self::default()
    }

    /// Takes the next event; answers the case's first broken link when this event reveals it
    /// (including a case before it whose last events are missing).
    pub fn feed(&mut self, event: &ChainedEvent) -> Vec<BrokenLink> {
        let mut found = Vec::new();
        let content = &event.content;
        let same_case = self.current.as_ref().is_some_and(|state| state.case_id == content.case_id);
        if !same_case {
            found.extend(self.close_case());
            self.summary.cases += 1;
            self.current = Some(CaseState {
                case_id: content.case_id,
                last_seq: 0,
                last_hash: GENESIS.to_string(),
                version: event.case_version,
                broken: false,
            });
        }
        self.summary.events += 1;
        let Some(state) = self.current.as_mut() else { return found };
        state.version = event.case_version;
        if state.broken {
            return found;
        }
        let breakage = if content.seq != state.last_seq + 1 {
            // Anything but the next number: the expected event is gone (or the events renumbered).
            Some((state.last_seq + 1, Breakage::Missing))
        } else {
            match &event.hash {
                None => Some((content.seq, Breakage::Unsealed)),
                Some(stored) if *stored != event_hash(&state.last_hash, content) => {
                    Some((content.seq, Breakage::HashMismatch))
                }
                Some(stored) => {
                    state.last_seq = content.seq;
                    state.last_hash = stored.clone();
                    None
                }
            }
        };
        if let Some((seq, breakage)) = breakage {
            state.broken = true;
            self.summary.broken += 1;
            found.push(BrokenLink { case_id: content.case_id, seq, breakage });
        }
        found
    }

    /// Ends the check: answers the last case's broken link, if its last events are missing, and
    /// the summary.
    pub fn finish(mut self) -> (Vec<BrokenLink>, ChainSummary) {
        let found = self.close_case().into_iter().collect();
        (found, self.summary)
    }

    /// The case's row counts its events; a chain ending before that count lost its last events,
    /// which no later hash could reveal.
    fn close_case(&mut self) -> Option<BrokenLink> {
        let state = self.current.take()?;
        if state.broken || state.last_seq >= state.version {
            return None;
        }
        self.summary.broken += 1;
        Some(BrokenLink { case_id: state.case_id, seq: state.last_seq + 1, breakage: Breakage::Missing })
    }
}

/// How many events one page of [`verify_chains`] reads: a few megabytes at most, however large
/// the database.
pub const VERIFY_PAGE: u32 = 5_000;

/// Checks every case's chain, reading the events page by page, and tells `report` each case's
/// first broken link as it is found.
pub async fn verify_chains(store: &dyn Store, mut report: impl FnMut(&BrokenLink)) -> Result<ChainSummary, StoreError> {
    let mut checker = ChainChecker::new();
    let mut after = (0_i64, 0_i64);
    loop {
        let page = store.chained_events(after, VERIFY_PAGE).await?;
        for event in &page {
            for broken in checker.feed(event) {
                report(&broken);
            }
        }
        match page.last() {
            Some(last) if page.len() == VERIFY_PAGE as usize => after = (last.content.case_id, last.content.seq),
            _ => break,
        }
    }
    let (found, summary) = checker.finish();
    for broken in &found {
        report(broken);
    }
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use domain::case::{ActorRole, CaseStatus, Channel};
    use domain::workflow::Change;

    fn submitted(case_id: i64, at: DateTime<Utc>) -> EventContent {
        let event = CaseEvent {
            seq: 1,
            actor_role: ActorRole::Citizen,
            actor_id: None,
            occurred_at: at,
            from_status: None,
            to_status: CaseStatus::Submitted,
            public: true,
            change: Change::Submitted { channel: Channel::Web, area: Some("dong-hoi".into()), terms: None },
        };
        EventContent::of(case_id, &event).expect("content")
    }

    fn noted(case_id: i64, seq: i64, note: &str) -> EventContent {
        EventContent {
            seq,
            kind: "note".into(),
            note: Some(note.into()),
            data: serde_json::json!({"kind": "note", "text": note}),
            from_status: Some("submitted".into()),
            ..submitted(case_id, Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).single().expect("time"))
        }
    }

    /// A sealed chain of `contents`, as a backend stores it.
    fn chain(contents: Vec<EventContent>, version: i64) -> Vec<ChainedEvent> {
        let mut previous = GENESIS.to_string();
        contents
            .into_iter()
            .map(|content| {
                let hash = event_hash(&previous, &content);
                previous = hash.clone();
                ChainedEvent { content, hash: Some(hash), case_version: version }
            })
            .collect()
    }

    fn check(events: &[ChainedEvent]) -> (Vec<BrokenLink>, ChainSummary) {
        let mut checker = ChainChecker::new();
        let mut found: Vec<BrokenLink> = events.iter().flat_map(|e| checker.feed(e)).collect();
        let (last, summary) = checker.finish();
        found.extend(last);
        (found, summary)
    }

    fn at() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 2, 27, 9, 30, 15).single().expect("time")
            + chrono::Duration::nanoseconds(123_456_789)
    }

    #[test]
    fn hashes_are_hex_sha256_and_depend_on_content_and_predecessor() {
        let content = submitted(7, at());
        let hash = event_hash(GENESIS, &content);
        assert_eq!(hash.len(), 64);
        assert!(hash.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)));
        assert_eq!(hash, event_hash(GENESIS, &content.clone()), "deterministic");
        assert_ne!(hash, event_hash(&hash, &content), "the predecessor counts");
        for changed in [
            EventContent { case_id: 8, ..content.clone() },
            EventContent { seq: 2, ..content.clone() },
            EventContent { actor_id: Some(3), ..content.clone() },
            EventContent { actor_role: "operator".into(), ..content.clone() },
            EventContent { occurred_at: stored_time(at() + chrono::Duration::seconds(1)), ..content.clone() },
            EventContent { note: Some("x".into()), ..content.clone() },
            EventContent { public: false, ..content.clone() },
            EventContent { data: serde_json::json!({"kind": "submitted"}), ..content.clone() },
        ] {
            assert_ne!(event_hash(GENESIS, &changed), hash, "{changed:?}");
        }
    }

    /// The hash written field by field is the one its definition gives: SHA-256 over the prefix,
    /// the previous hash and the canonical JSON of the object of the fields.
    #[test]
    fn the_hash_is_its_definition() {
        let content =
            EventContent { note: Some("Ghi chú \"trích\"\n".into()), actor_id: Some(12), ..submitted(7, at()) };
        let fields = serde_json::json!({
            "case_id": content.case_id, "seq": content.seq, "kind": content.kind,
            "actor_role": content.actor_role, "actor_id": content.actor_id, "occurred_at": content.occurred_at,
            "from_status": content.from_status, "to_status": content.to_status, "note": content.note,
            "public": content.public, "data": content.data,
        });
        let text = format!("hientruong-event-v1\n{GENESIS}\n{}", canonical_json(&fields));
        assert_eq!(event_hash(GENESIS, &content), hex(&Sha256::digest(text.as_bytes())));
        assert_eq!(hex(&[0x00, 0x7f, 0xa5, 0xff]), "007fa5ff");
    }

    #[test]
    fn key_order_and_sub_microseconds_do_not_change_the_hash() {
        let content = submitted(7, at());
        let reordered: serde_json::Map<String, Value> =
            content.data.as_object().expect("an object").iter().rev().map(|(k, v)| (k.clone(), v.clone())).collect();
        let as_read_back = EventContent { data: Value::Object(reordered), ..content.clone() };
        assert_eq!(event_hash(GENESIS, &as_read_back), event_hash(GENESIS, &content));
        assert_eq!(content.occurred_at, "2026-02-27T09:30:15.123456Z", "truncated as the databases keep it");
        assert_eq!(
            canonical_json(&serde_json::json!({"b": [1, {"d": 1, "c": "é"}], "a": null})),
            r#"{"a":null,"b":[1,{"c":"é","d":1}]}"#
        );
    }

    #[test]
    fn intact_chains_pass_and_are_counted() {
        let mut events = chain(vec![submitted(1, at()), noted(1, 2, "a"), noted(1, 3, "b")], 3);
        events.extend(chain(vec![submitted(4, at())], 1));
        let (found, summary) = check(&events);
        assert!(found.is_empty(), "{found:?}");
        assert_eq!(summary, ChainSummary { cases: 2, events: 4, broken: 0 });
    }

    #[test]
    fn an_edited_event_breaks_its_case_at_that_event_only() {
        let mut events = chain(vec![submitted(1, at()), noted(1, 2, "a"), noted(1, 3, "b")], 3);
        events.extend(chain(vec![submitted(2, at()), noted(2, 2, "c")], 2));
        events[1].content.note = Some("sửa".into());
        let (found, summary) = check(&events);
        assert_eq!(found, vec![BrokenLink { case_id: 1, seq: 2, breakage: Breakage::HashMismatch }]);
        assert_eq!(summary.broken, 1);
        assert_eq!(
            found[0].to_string(),
            "case 1: the chain breaks at event 2: its hash does not match its content and the event before it"
        );
    }

    #[test]
    fn a_rehashed_edit_still_breaks_the_next_link() {
        let mut events = chain(vec![submitted(1, at()), noted(1, 2, "a"), noted(1, 3, "b")], 3);
        events[1].content.note = Some("sửa".into());
        events[1].hash = Some(event_hash(events[0].hash.as_deref().unwrap_or(GENESIS), &events[1].content));
        let (found, _) = check(&events);
        assert_eq!(found, vec![BrokenLink { case_id: 1, seq: 3, breakage: Breakage::HashMismatch }]);
    }

    /// The checker's own cost per event, without the database: `cargo test -p services --release
    /// -- --ignored checking_speed --nocapture`.
    #[test]
    #[ignore = "a measurement, not a check"]
    fn checking_speed() {
        let count = 1_000_000;
        let texts: Vec<String> = (0..count)
            .map(|n| {
                serde_json::json!({"kind": "accepted", "agency": "urenco", "deadline": format!("2026-03-{:02}T08:00:00Z", n % 28 + 1)})
                    .to_string()
            })
            .collect();
        let started = std::time::Instant::now();
        let mut checker = ChainChecker::new();
        for (n, text) in texts.iter().enumerate() {
            // As a backend reads an event: the JSON text parsed, then hashed and checked.
            let content = EventContent {
                seq: 1,
                data: serde_json::from_str(text).expect("json"),
                ..submitted(n as i64 + 1, at())
            };
            // Each its own case's first event, which hashes as much as any other.
            let hash = event_hash(GENESIS, &content);
            let found = checker.feed(&ChainedEvent { content, hash: Some(hash), case_version: 1 });
            assert!(found.is_empty());
        }
        println!("{count} events hashed and checked in {:?}", started.elapsed());
    }

    #[test]
    fn deleted_and_unsealed_events_are_named() {
        let events = chain(vec![submitted(1, at()), noted(1, 2, "a"), noted(1, 3, "b")], 3);
        let without_middle = vec![events[0].clone(), events[2].clone()];
        assert_eq!(check(&without_middle).0, vec![BrokenLink { case_id: 1, seq: 2, breakage: Breakage::Missing }]);
        let without_last = events[..2].to_vec();
        assert_eq!(check(&without_last).0, vec![BrokenLink { case_id: 1, seq: 3, breakage: Breakage::Missing }]);
        let mut unsealed = events.clone();
        unsealed[0].hash = None;
        assert_eq!(check(&unsealed).0, vec![BrokenLink { case_id: 1, seq: 1, breakage: Breakage::Unsealed }]);
    }
}
