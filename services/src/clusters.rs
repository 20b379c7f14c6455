//! Server-side clustering of the case index for maps: whole grid cells with exact counts for any zoom and filter, kept live.

use crate::case_index::{CodeId, IndexedCase};
use domain::case::{held_back, CaseStatus, Channel};
pub use domain::map_query::{Bounds, MAX_ZOOM};

/// Cluster cells sit this many quadtree levels below the zoom: four cells across a tile, so a
/// cluster circle of up to 60 px never overlaps its neighbour.
const CELL_LEVELS_BELOW_ZOOM: u8 = 2;

/// Above this zoom every case is drawn by itself, as supercluster does with `maxZoom: 16`.
pub const MAX_CLUSTER_ZOOM: u8 = 16;

/// How many new or moved cases wait in the side list before they are merged into the sorted array.
pub const SIDE_LIMIT: usize = 4096;

/// Positions per bitmap word and per coordinate run.
const WORD: usize = 64;
/// Positions per chunk: a query filtered on more than statuses and categories counts whole chunks
/// at once from their words' masks.
const CHUNK: usize = 512;
/// Nodes on the viewport's edge holding at most this many cases are checked case by case instead
/// of split further, when cases are listed or drawn one by one.
const SMALL_CELL: usize = 128;
/// Status keys: one per status, and the rejected cases held back from the public apart.
const STATUS_KEYS: usize = HELD_BACK_REJECTED + 1;
/// The finest level of the cell tables: the cluster level of the highest cluster zoom.
const TABLE_LEVELS: usize = MAX_CLUSTER_ZOOM as usize + CELL_LEVELS_BELOW_ZOOM as usize + 1;
/// A partly matching word with at most this many matches adds its cases one by one; with more,
/// the word's mean position and bounds stand in for them (its cases are neighbours on the curve).
const EXACT_MATCHES: u32 = 8;
/// Cells of level 16 and coarser start at codes whose low 32 bits are zero.
const CELL_TABLE_SHIFT: u32 = 32;
/// Marks a slot that is in the side list rather than the sorted array.
const IN_SIDE: u32 = u32::MAX;

/// Which cases a map shows. `None` means "any"; an empty list matches nothing.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CaseFilter {
    pub statuses: Option<Vec<CaseStatus>>,
    pub categories: Option<Vec<CodeId>>,
    pub agencies: Option<Vec<CodeId>>,
    pub areas: Option<Vec<CodeId>>,
    pub channels: Option<Vec<Channel>>,
    /// Only cases being handled past their deadline (see [`IndexedCase::overdue_at`]).
    pub overdue: bool,
    /// Submitted at or after this Unix time.
    pub submitted_from: Option<i64>,
    /// Submitted before this Unix time.
    pub submitted_before: Option<i64>,
    /// Only what the public may see (screened cases).
    pub public_only: bool,
}

impl CaseFilter {
    /// Whether `case` passes at `now` (Unix seconds). The index answers exactly as if it asked this of every case.
    pub fn accepts(&self, case: &IndexedCase, now: i64) -> bool {
        fn within<T: PartialEq>(list: &Option<Vec<T>>, value: &T) -> bool {
            list.as_ref().is_none_or(|l| l.contains(value))
        }
        fn within_opt<T: PartialEq>(list: &Option<Vec<T>>, value: &Option<T>) -> bool {
            match (list, value) {
                (None, _) => true,
                (Some(l), Some(v)) => l.contains(v),
                (Some(_), None) => false,
            }
        }
        within(&self.statuses, &case.status)
            && within(&self.categories, &case.category)
            && within_opt(&self.agencies, &case.agency)
            && within_opt(&self.areas, &case.area)
            && within(&self.channels, &case.channel)
            && (!self.overdue || case.overdue_at(now))
            && self.submitted_from.is_none_or(|from| case.submitted_at >= from)
            && self.submitted_before.is_none_or(|before| case.submitted_at < before)
            && (!self.public_only || case.is_public())
    }

    fn needs_columns(&self) -> bool {
        self.overdue || self.submitted_from.is_some() || self.submitted_before.is_some()
    }
}

/// A cluster query: what the HTTP handler and the officer map ask.
#[derive(Debug, Clone, PartialEq)]
pub struct ClusterQuery {
    pub viewport: Bounds,
    pub zoom: u8,
    pub filter: CaseFilter,
    /// Unix seconds, for the overdue filter.
    pub now: i64,
}

/// One thing to draw: a cluster of cases, or a case by itself.
#[derive(Debug, Clone, PartialEq)]
pub enum ClusterItem {
    Cluster {
        count: u64,
        /// The mean position of its cases.
        lat: f64,
        lon: f64,
        /// Bounds holding all its cases: where a click zooms to.
        bounds: Bounds,
    },
    /// A case by itself, as its slot in the case list the index was built from.
    Case { slot: u32 },
}

/// Bounds and coordinate sums of a run of sorted cases.
#[derive(Debug, Clone, Copy, Default)]
struct RunStats {
    count: u32,
    sum_x: u64,
    sum_y: u64,
    /// The mean position, standing in for the run's matching cases when only some match.
    mean_x: u32,
    mean_y: u32,
    min_x: u32,
    min_y: u32,
    max_x: u32,
    max_y: u32,
}

impl RunStats {
    /// The stats of consecutive runs taken together.
    fn merged(runs: &[RunStats]) -> Self {
        let mut stats = RunStats { min_x: u32::MAX, min_y: u32::MAX, ..Default::default() };
        for run in runs {
            stats.count += run.count;
            stats.sum_x += run.sum_x;
            stats.sum_y += run.sum_y;
            stats.min_x = stats.min_x.min(run.min_x);
            stats.min_y = stats.min_y.min(run.min_y);
            stats.max_x = stats.max_x.max(run.max_x);
            stats.max_y = stats.max_y.max(run.max_y);
        }
        stats.with_mean()
    }

    fn with_mean(mut self) -> Self {
        if self.count > 0 {
            self.mean_x = (self.sum_x / u64::from(self.count)) as u32;
            self.mean_y = (self.sum_y / u64::from(self.count)) as u32;
        }
        self
    }

    fn of(xs: &[u32], ys: &[u32]) -> Self {
        let mut stats = RunStats { min_x: u32::MAX, min_y: u32::MAX, ..Default::default() };
        for (&x, &y) in xs.iter().zip(ys) {
            stats.count += 1;
            stats.sum_x += u64::from(x);
            stats.sum_y += u64::from(y);
            stats.min_x = stats.min_x.min(x);
            stats.min_y = stats.min_y.min(y);
            stats.max_x = stats.max_x.max(x);
            stats.max_y = stats.max_y.max(y);
        }
        stats.with_mean()
    }
}

/// A cluster being summed up.
#[derive(Debug, Clone, Copy)]
struct Tally {
    count: u64,
    sum_x: u64,
    sum_y: u64,
    min_x: u32,
    min_y: u32,
    max_x: u32,
    max_y: u32,
    /// The slot of the last case added one by one: the case itself when the count ends at 1.
    last_slot: u32,
    /// Cases were added from running totals or taken out by subtraction: a count of one does not
    /// name its case then.
    unnamed: bool,
}

impl Default for Tally {
    fn default() -> Self {
        Tally {
            count: 0,
            sum_x: 0,
            sum_y: 0,
            min_x: u32::MAX,
            min_y: u32::MAX,
            max_x: 0,
            max_y: 0,
            last_slot: 0,
            unnamed: false,
        }
    }
}

impl Tally {
    fn add_case(&mut self, x: u32, y: u32, slot: u32) {
        self.count += 1;
        self.sum_x += u64::from(x);
        self.sum_y += u64::from(y);
        self.extend(x, y, x, y);
        self.last_slot = slot;
    }

    /// Adds `matches` cases of the run, all of them when `matches == run.count`.
    fn add_run(&mut self, run: &RunStats, matches: u32) {
        if run.count == 0 || matches == 0 {
            return;
        }
        self.count += u64::from(matches);
        if matches == run.count {
            self.sum_x += run.sum_x;
            self.sum_y += run.sum_y;
        } else {
            self.sum_x += u64::from(run.mean_x) * u64::from(matches);
            self.sum_y += u64::from(run.mean_y) * u64::from(matches);
        }
        self.extend(run.min_x, run.min_y, run.max_x, run.max_y);
    }

    fn extend(&mut self, min_x: u32, min_y: u32, max_x: u32, max_y: u32) {
        self.min_x = self.min_x.min(min_x);
        self.min_y = self.min_y.min(min_y);
        self.max_x = self.max_x.max(max_x);
        self.max_y = self.max_y.max(max_y);
    }

    /// Runs' bounds may reach past the cell; every case counted lies in it.
    fn clip(&mut self, cell: &Rect) {
        let [x0, y0, x1, y1] = cell.corners();
        self.min_x = self.min_x.max(x0);
        self.min_y = self.min_y.max(y0);
        self.max_x = self.max_x.min(x1);
        self.max_y = self.max_y.min(y1);
    }

    /// Takes out cases counted with a run: `count` of them, with these coordinate sums.
    fn remove(&mut self, count: u64, sum_x: u64, sum_y: u64) {
        self.unnamed = true;
        self.count -= count;
        self.sum_x -= sum_x;
        self.sum_y -= sum_y;
    }

    fn item(&self) -> ClusterItem {
        if self.count == 1 {
            return ClusterItem::Case { slot: self.last_slot };
        }
        let (lat, lon) = unproject((self.sum_x / self.count) as u32, (self.sum_y / self.count) as u32);
        let (south, west) = unproject(self.min_x, self.max_y);
        let (north, east) = unproject(self.max_x, self.min_y);
        ClusterItem::Cluster { count: self.count, lat, lon, bounds: Bounds { west, south, east, north } }
    }
}

/// One bitmap per value of an attribute, over the sorted positions.
#[derive(Debug, Clone, Default)]
struct Bitmaps {
    maps: Vec<Vec<u64>>,
}

impl Bitmaps {
    fn set(&mut self, value: usize, position: usize, words: usize) {
        if self.maps.len() <= value {
            self.maps.resize_with(value + 1, Vec::new);
        }
        let map = &mut self.maps[value];
        if map.len() < words {
            map.resize(words, 0);
        }
        map[position / WORD] |= 1u64 << (position % WORD);
    }

    /// Clears `position` in every value's bitmap.
    fn clear(&mut self, position: usize) {
        for map in &mut self.maps {
            if let Some(word) = map.get_mut(position / WORD) {
                *word &= !(1u64 << (position % WORD));
            }
        }
    }

    /// The value whose bitmap holds `position`.
    fn value_at(&self, position: usize) -> Option<usize> {
        let bit = 1u64 << (position % WORD);
        self.maps.iter().position(|map| map.get(position / WORD).is_some_and(|word| word & bit != 0))
    }

    fn get(&self, value: usize) -> Option<&[u64]> {
        self.maps.get(value).map(Vec::as_slice).filter(|m| !m.is_empty())
    }

    fn bytes(&self) -> usize {
        self.maps.iter().map(|m| m.capacity() * 8).sum()
    }
}

/// A count of cases and the sums of their coordinates.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Totals {
    count: u32,
    sum_x: u64,
    sum_y: u64,
}

/// Running totals of the live cases before every word boundary of the sorted array, per status
/// key and per status key and category: a filter on statuses and categories (the public's, and
/// the common ones of the officers' map) counts and places the whole words of a cell from two
/// entries per key, however large the cell, instead of from their bitmap words. Counts and sums
/// are kept apart, so that an entry costs 20 bytes rather than 24.
#[derive(Debug, Clone, Default)]
struct KeyTotals {
    /// Category columns of the joint rows; a case of a later category makes the totals stale.
    categories: usize,
    /// Word boundaries, the end of the array included: entries per row.
    boundaries: usize,
    /// Rows `[status key]`, then `[status key][category]`, each of `boundaries` entries.
    counts: Vec<u32>,
    sums: Vec<[u64; 2]>,
    /// Set when a change could not be counted (a category beyond the columns): unused until the next build.
    stale: bool,
}

impl KeyTotals {
    /// The totals of cases at `xs`, `ys` with these (status key, category) pairs, in sorted order.
    fn build(xs: &[u32], ys: &[u32], keys: &[(usize, usize)], categories: usize) -> Self {
        let boundaries = xs.len().div_ceil(WORD) + 1;
        let entries = STATUS_KEYS * (1 + categories) * boundaries;
        let mut totals =
            KeyTotals { categories, boundaries, counts: vec![0; entries], sums: vec![[0; 2]; entries], stale: false };
        // Each word's own totals go to the boundary after it, then every row is summed along.
        for (position, &(status, category)) in keys.iter().enumerate() {
            if status >= STATUS_KEYS || category >= categories {
                totals.stale = true;
                continue;
            }
            for row in totals.rows(status, category) {
                let entry = row * boundaries + position / WORD + 1;
                totals.counts[entry] += 1;
                totals.sums[entry][0] += u64::from(xs[position]);
                totals.sums[entry][1] += u64::from(ys[position]);
            }
        }
        for (counts, sums) in totals.counts.chunks_mut(boundaries).zip(totals.sums.chunks_mut(boundaries)) {
            for b in 1..counts.len() {
                counts[b] += counts[b - 1];
                sums[b] = [sums[b][0] + sums[b - 1][0], sums[b][1] + sums[b - 1][1]];
            }
        }
        totals
    }

    /// The rows a case of `status` key and `category` is counted in.
    fn rows(&self, status: usize, category: usize) -> [usize; 2] {
        [status, STATUS_KEYS + status * self.categories + category]
    }

    /// Counts the case at `position` (at `x`, `y`), of `status` key and `category`, in (`add`) or out.
    fn count(&mut self, position: usize, (x, y): (u32, u32), status: usize, category: usize, add: bool) {
        if self.stale {
            return;
        }
        if category >= self.categories || status >= STATUS_KEYS {
            self.stale = true;
            return;
        }
        for row in self.rows(status, category) {
            let entries = row * self.boundaries + position / WORD + 1..(row + 1) * self.boundaries;
            for (count, sum) in self.counts[entries.clone()].iter_mut().zip(&mut self.sums[entries]) {
                if add {
                    *count += 1;
                    *sum = [sum[0] + u64::from(x), sum[1] + u64::from(y)];
                } else {
                    *count -= 1;
                    *sum = [sum[0] - u64::from(x), sum[1] - u64::from(y)];
                }
            }
        }
    }

    /// The live cases of positions `start..end`, both multiples of [`WORD`], whose status key and
    /// category the filter allows.
    fn between(&self, start: usize, end: usize, keys: &CountKeys) -> Totals {
        let mut total = Totals::default();
        let (first, last) = (start / WORD, end / WORD);
        let mut add = |row: usize| {
            let (low, high) = (row * self.boundaries + first, row * self.boundaries + last);
            total.count += self.counts[high] - self.counts[low];
            total.sum_x += self.sums[high][0] - self.sums[low][0];
            total.sum_y += self.sums[high][1] - self.sums[low][1];
        };
        for &status in &keys.statuses {
            match &keys.categories {
                None => add(status),
                Some(categories) => {
                    for &category in categories {
                        add(STATUS_KEYS + status * self.categories + category);
                    }
                }
            }
        }
        total
    }

    fn bytes(&self) -> usize {
        self.counts.capacity() * 4 + self.sums.capacity() * 16
    }
}

/// What a filter restricted to statuses and categories allows, as keys of [`KeyTotals`].
#[derive(Debug, Clone)]
struct CountKeys {
    statuses: Vec<usize>,
    /// `None` for any category; only ids within the total columns.
    categories: Option<Vec<usize>>,
}

/// The non-empty cells of one quadtree level and where each starts in the sorted array.
#[derive(Debug, Clone, Default)]
struct CellTable {
    /// Morton codes of the cells at their level, ascending.
    cells: Vec<u64>,
    /// Sorted positions where each cell starts, and the end of the array after the last.
    starts: Vec<u32>,
    /// The coordinate sums and bounds of each cell's cases as built: an unfiltered query reads a
    /// cell's cluster from here, in the order it visits the cells, instead of from the prefix sums
    /// and word bounds of the whole array, which lie far apart in memory.
    stats: Vec<CellStats>,
}

/// The coordinate sums and exact bounds of a cell's cases.
#[derive(Debug, Clone, Copy)]
struct CellStats {
    sum_x: u64,
    sum_y: u64,
    /// `[min_x, min_y, max_x, max_y]`.
    bounds: [u32; 4],
}

impl CellStats {
    const EMPTY: CellStats = CellStats { sum_x: 0, sum_y: 0, bounds: [u32::MAX, u32::MAX, 0, 0] };

    fn add(&mut self, other: &CellStats) {
        self.sum_x += other.sum_x;
        self.sum_y += other.sum_y;
        self.bounds = union(self.bounds, other.bounds);
    }
}

impl CellTable {
    fn of(codes: &[u64], xs: &[u32], ys: &[u32], level: u8) -> Self {
        let shift = 64 - 2 * u32::from(level);
        let mut table = CellTable::default();
        for (position, &code) in codes.iter().enumerate() {
            let cell = code.checked_shr(shift).unwrap_or(0);
            if table.cells.last() != Some(&cell) {
                table.cells.push(cell);
                table.starts.push(position as u32);
                table.stats.push(CellStats::EMPTY);
            }
            let (x, y) = (xs[position], ys[position]);
            if let Some(stats) = table.stats.last_mut() {
                stats.add(&CellStats { sum_x: u64::from(x), sum_y: u64::from(y), bounds: [x, y, x, y] });
            }
        }
        table.starts.push(codes.len() as u32);
        table
    }

    /// The table of the level above.
    fn parent(&self) -> Self {
        let mut table = CellTable::default();
        for ((&cell, &start), stats) in self.cells.iter().zip(&self.starts).zip(&self.stats) {
            if table.cells.last() != Some(&(cell >> 2)) {
                table.cells.push(cell >> 2);
                table.starts.push(start);
                table.stats.push(CellStats::EMPTY);
            }
            if let Some(parent) = table.stats.last_mut() {
                parent.add(stats);
            }
        }
        table.starts.extend(self.starts.last());
        table
    }

    fn bytes(&self) -> usize {
        self.cells.capacity() * 8
            + self.starts.capacity() * 4
            + self.stats.capacity() * std::mem::size_of::<CellStats>()
    }
}

/// The attributes a filter reads, each as an index into its bitmaps.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Keys {
    status: usize,
    channel: usize,
    category: usize,
    /// 0 for none, else the code id + 1.
    agency: usize,
    area: usize,
}

impl Keys {
    fn of(case: &IndexedCase) -> Self {
        Keys {
            status: if case.status == CaseStatus::Rejected && !case.is_public() {
                HELD_BACK_REJECTED
            } else {
                status_index(case.status)
            },
            channel: channel_index(case.channel),
            category: usize::from(case.category),
            agency: case.agency.map_or(0, |a| usize::from(a) + 1),
            area: case.area.map_or(0, |a| usize::from(a) + 1),
        }
    }
}

/// The status bitmap of rejected cases held back from the public (see [`domain::case::held_back`]),
/// apart from the other rejected cases so a public query leaves them out without reading each case.
const HELD_BACK_REJECTED: usize = CaseStatus::ALL.len();

fn status_index(status: CaseStatus) -> usize {
    CaseStatus::ALL.iter().position(|s| *s == status).unwrap_or(0)
}

fn channel_index(channel: Channel) -> usize {
    Channel::ALL.iter().position(|c| *c == channel).unwrap_or(0)
}

/// The clustering structure over every case of the case index.
///
/// Every case gets a Morton code of its Web Mercator position (32 bits per axis), and the cases
/// are kept sorted by it, so that the cases inside any quadtree cell form one contiguous run.
/// A cluster query visits the non-empty cells of its level (a quarter tile, 64 px on 256 px tiles)
/// that meet the view by a Z-order range search over a table of each level's cells and where their
/// runs start (BIGMIN skips the stretches of the curve outside the view), and counts each cell
/// whole: its count is exact and does not change as the view moves over it. Unfiltered, a cell's
/// count, centroid and bounds come from its entry in the level's table.
/// Filters are bitmaps over the sorted positions (one per status, channel, category, agency and
/// area), ANDed word by word; dates and deadlines are checked from columns kept in the same order.
/// With a filter on statuses and categories alone, a cell's whole words are counted and placed
/// exactly from running totals per status and category kept live; with other filters whole chunks
/// (512 cases) are counted from their words' masks, at the chunk's mean position when only some of
/// its cases match. A cluster's bounds always hold all its cases, clipped to its cell. New and
/// moved cases go to a small sorted side list that queries read too, and are merged into the sorted
/// array when it grows past [`SIDE_LIMIT`]; a status change flips bits in place and updates the
/// running totals after it.
/// Single cases (above the cluster zooms) and case lists walk the quadtree from the root.
#[derive(Debug, Clone, Default)]
pub struct ClusterIndex {
    /// Morton codes, ascending.
    codes: Vec<u64>,
    /// The same positions decoded, so that summing or placing cases reads them without decoding each code.
    xs: Vec<u32>,
    ys: Vec<u32>,
    /// The non-empty cells of each level up to the finest cluster level: a query visits the cells
    /// of its level in the view by a Z-order range search instead of descending from the root.
    tables: Vec<CellTable>,
    /// Every 64th code: searches start in this small table, which stays in cache, and end in one run.
    directory: Vec<u64>,
    /// The non-empty cells of level 16 (their 32-bit prefixes) and where each starts: the bounds of
    /// every coarser cell, without touching the codes.
    cell_prefixes: Vec<u32>,
    cell_starts: Vec<u32>,
    /// The case-list slot at each sorted position.
    slots: Vec<u32>,
    /// Submission times and deadlines (`i64::MAX` when none), in sorted order.
    submitted: Vec<i64>,
    deadlines: Vec<i64>,
    statuses: Bitmaps,
    channels: Bitmaps,
    categories: Bitmaps,
    agencies: Bitmaps,
    areas: Bitmaps,
    /// Positions still holding their case; a case that moved lives in the side list instead.
    alive: Vec<u64>,
    dead: usize,
    words: Vec<RunStats>,
    chunks: Vec<RunStats>,
    totals: KeyTotals,
    /// Bounds of 2^k consecutive words from each word, for level k: any run's bounds at once (to the word).
    spans: Vec<Vec<[u32; 4]>>,
    /// The sorted position of each slot, or [`IN_SIDE`].
    position_of_slot: Vec<u32>,
    /// New and moved cases as (code, slot), ascending.
    side: Vec<(u64, u32)>,
    /// While loading, upserts are left for one [`ClusterIndex::build`] at the end.
    deferred: bool,
}

impl ClusterIndex {
    /// An index that ignores upserts until it is rebuilt: for filling a case list in bulk.
    pub fn deferred() -> Self {
        ClusterIndex { deferred: true, ..Default::default() }
    }

    /// Builds the index over `cases`, whose positions in the slice are their slots.
    pub fn build(cases: &[IndexedCase]) -> Self {
        let mut keyed: Vec<(u64, u32)> =
            cases.iter().enumerate().map(|(slot, case)| (code_of(case), slot as u32)).collect();
        keyed.sort_unstable();
        let n = keyed.len();
        let words = n.div_ceil(WORD);
        let categories = cases.iter().map(|c| usize::from(c.category) + 1).max().unwrap_or(0);
        let mut index = ClusterIndex {
            codes: keyed.iter().map(|k| k.0).collect(),
            xs: keyed.iter().map(|k| decode(k.0).0).collect(),
            ys: keyed.iter().map(|k| decode(k.0).1).collect(),
            slots: keyed.iter().map(|k| k.1).collect(),
            submitted: Vec::with_capacity(n),
            deadlines: Vec::with_capacity(n),
            alive: vec![!0; words],
            position_of_slot: vec![0; cases.len()],
            ..Default::default()
        };
        let mut total_keys = Vec::with_capacity(n);
        for (position, &(_, slot)) in keyed.iter().enumerate() {
            let case = &cases[slot as usize];
            index.position_of_slot[slot as usize] = position as u32;
            index.submitted.push(case.submitted_at);
            index.deadlines.push(case.deadline.unwrap_or(i64::MAX));
            let keys = Keys::of(case);
            index.set_keys(keys, position);
            total_keys.push((keys.status, keys.category));
        }
        index.totals = KeyTotals::build(&index.xs, &index.ys, &total_keys, categories);
        // The finest table from the codes, each coarser one from the table below it.
        let mut tables = vec![CellTable::of(&index.codes, &index.xs, &index.ys, TABLE_LEVELS as u8 - 1)];
        while tables.len() < TABLE_LEVELS {
            let coarser = tables.last().map(CellTable::parent).unwrap_or_default();
            tables.push(coarser);
        }
        tables.reverse();
        index.tables = tables;
        index.directory = index.codes.iter().step_by(WORD).copied().collect();
        for (position, &code) in index.codes.iter().enumerate() {
            let prefix = (code >> CELL_TABLE_SHIFT) as u32;
            if index.cell_prefixes.last() != Some(&prefix) {
                index.cell_prefixes.push(prefix);
                index.cell_starts.push(position as u32);
            }
        }
        index.words = index.xs.chunks(WORD).zip(index.ys.chunks(WORD)).map(|(xs, ys)| RunStats::of(xs, ys)).collect();
        index.chunks = index.words.chunks(CHUNK / WORD).map(RunStats::merged).collect();
        let mut level: Vec<[u32; 4]> = index.words.iter().map(|w| [w.min_x, w.min_y, w.max_x, w.max_y]).collect();
        let mut width = 1;
        while level.len() > width {
            let next: Vec<[u32; 4]> = (0..level.len() - width).map(|i| union(level[i], level[i + width])).collect();
            index.spans.push(std::mem::replace(&mut level, next));
            width *= 2;
        }
        index.spans.push(level);
        index
    }

    /// Bounds of the words `first..=last`.
    fn words_bounds(&self, first: usize, last: usize) -> [u32; 4] {
        let k = (usize::BITS - 1 - (last - first + 1).leading_zeros()) as usize;
        let level = &self.spans[k];
        union(level[first], level[last + 1 - (1 << k)])
    }

    fn set_keys(&mut self, keys: Keys, position: usize) {
        let words = self.codes.len().div_ceil(WORD);
        self.statuses.set(keys.status, position, words);
        self.channels.set(keys.channel, position, words);
        self.categories.set(keys.category, position, words);
        self.agencies.set(keys.agency, position, words);
        self.areas.set(keys.area, position, words);
    }

    /// Follows a change of the case at `slot` in `cases`, new or known.
    pub fn upsert(&mut self, cases: &[IndexedCase], slot: usize) {
        let Some(case) = cases.get(slot) else { return };
        if self.deferred {
            return;
        }
        if self.position_of_slot.len() < cases.len() {
            self.position_of_slot.resize(cases.len(), IN_SIDE);
        }
        let code = code_of(case);
        let at = self.position_of_slot[slot] as usize;
        let in_main = at < self.codes.len();
        if in_main && self.codes[at] == code {
            self.uncount(at);
            for bitmaps in
                [&mut self.statuses, &mut self.channels, &mut self.categories, &mut self.agencies, &mut self.areas]
            {
                bitmaps.clear(at);
            }
            let keys = Keys::of(case);
            self.set_keys(keys, at);
            self.totals.count(at, (self.xs[at], self.ys[at]), keys.status, keys.category, true);
            self.submitted[at] = case.submitted_at;
            self.deadlines[at] = case.deadline.unwrap_or(i64::MAX);
            return;
        }
        if in_main {
            // The case moved: its old position is dropped and it joins the side list.
            self.alive[at / WORD] &= !(1u64 << (at % WORD));
            self.dead += 1;
            self.uncount(at);
        } else {
            self.side.retain(|&(_, s)| s as usize != slot);
        }
        let insert_at = self.side.partition_point(|&(c, _)| c < code);
        self.side.insert(insert_at, (code, slot as u32));
        self.position_of_slot[slot] = IN_SIDE;
        if self.side.len() > SIDE_LIMIT {
            *self = ClusterIndex::build(cases);
        }
    }

    /// Takes the case at sorted position `at` out of the running totals, with the keys its bitmaps hold.
    fn uncount(&mut self, at: usize) {
        match (self.statuses.value_at(at), self.categories.value_at(at)) {
            (Some(status), Some(category)) => {
                self.totals.count(at, (self.xs[at], self.ys[at]), status, category, false)
            }
            _ => self.totals.stale = true,
        }
    }

    /// How many cases wait in the side list.
    pub fn side_len(&self) -> usize {
        self.side.len()
    }

    /// The heap memory the index holds, in bytes.
    pub fn heap_bytes(&self) -> usize {
        (self.codes.capacity() + self.directory.capacity()) * 8
            + (self.xs.capacity() + self.ys.capacity()) * 4
            + self.tables.iter().map(CellTable::bytes).sum::<usize>()
            + self.totals.bytes()
            + (self.cell_prefixes.capacity() + self.cell_starts.capacity()) * 4
            + self.slots.capacity() * 4
            + self.submitted.capacity() * 8
            + self.deadlines.capacity() * 8
            + self.alive.capacity() * 8
            + (self.words.capacity() + self.chunks.capacity()) * std::mem::size_of::<RunStats>()
            + self.spans.iter().map(|level| level.capacity() * 16).sum::<usize>()
            + self.position_of_slot.capacity() * 4
            + self.side.capacity() * 16
            + [&self.statuses, &self.channels, &self.categories, &self.agencies, &self.areas]
                .iter()
                .map(|b| b.bytes())
                .sum::<usize>()
    }

    /// The clusters and single cases of the viewport. At cluster zooms every cell of the grid that
    /// meets the view is answered whole: its count is every matching case in the cell, in the view
    /// or not, so a cluster keeps its number and place while the map pans, and every matching case in
    /// the view is counted by exactly one answer. Above them, the matching cases in the view itself.
    pub fn query(&self, cases: &[IndexedCase], query: &ClusterQuery) -> Vec<ClusterItem> {
        let Some(plan) = self.plan(cases, &query.viewport, &query.filter, query.now) else { return Vec::new() };
        let level = cluster_level(query.zoom);
        let mut items = Vec::new();
        if query.zoom > MAX_CLUSTER_ZOOM {
            self.walk(
                &plan,
                Node::ROOT,
                (0, self.codes.len()),
                (0, self.side.len()),
                level,
                &mut |node, main, side| {
                    self.each_match(&plan, node, main, side, &mut |slot| items.push(ClusterItem::Case { slot }));
                },
            );
            return items;
        }
        // Counted from running totals or by subtraction, a case by itself is not known by name.
        let naming = Plan { left_out: None, counted: None, ..plan.clone() };
        self.each_cell(&plan, level, &mut |node, whole, main, side| {
            let mut tally = Tally::default();
            self.gather(&plan, whole, main, side, &mut tally);
            if tally.count == 1 && tally.unnamed {
                tally = Tally::default();
                self.gather(&naming, whole, main, side, &mut tally);
            }
            if tally.count > 0 {
                tally.clip(&node.rect());
                items.push(tally.item());
            }
        });
        items
    }

    /// Calls `visit` for each cell of `level` (below [`TABLE_LEVELS`]) that meets the viewport and
    /// holds cases of the sorted array or the side list, with its runs, in Z order. The cells of the
    /// view's box are a few stretches of the Z curve: the search reads the level's cell table along
    /// a stretch and, at a cell outside the box, jumps to the next code inside it (BIGMIN).
    fn each_cell(&self, plan: &Plan, level: u8, visit: &mut CellVisitor) {
        let shift = 32 - u32::from(level);
        let corner = |x: u64, y: u64| ((x >> shift) as u32, (y >> shift) as u32);
        let (x0, y0) = corner(plan.view.x0, plan.view.y0);
        let (x1, y1) = corner(plan.view.x1, plan.view.y1);
        let (low, high) = (morton(x0, y0), morton(x1, y1));
        let (cells, starts, stats): (&[u64], &[u32], &[CellStats]) =
            self.tables.get(usize::from(level)).map_or((&[], &[], &[]), |t| (&t.cells, &t.starts, &t.stats));
        let side_shift = 64 - 2 * u32::from(level);
        let side_cell = |k: usize| self.side.get(k).map_or(u64::MAX, |&(code, _)| code >> side_shift);
        let (mut i, mut k, mut z) = (0, 0, low);
        loop {
            i = seek(cells, i, z);
            k += self.side[k..].partition_point(|&(code, _)| code >> side_shift < z);
            let main_cell = cells.get(i).copied().unwrap_or(u64::MAX);
            let cell = main_cell.min(side_cell(k));
            if cell > high {
                return;
            }
            let (x, y) = decode(cell);
            if x < x0 || x > x1 || y < y0 || y > y1 {
                z = bigmin(cell, low, high, 2 * u32::from(level));
                continue;
            }
            let (main, whole) = if main_cell == cell {
                ((starts[i] as usize, starts[i + 1] as usize), stats.get(i))
            } else {
                ((0, 0), None)
            };
            let side_end = k + self.side[k..].partition_point(|&(code, _)| code >> side_shift == cell);
            visit(Node { level, x, y }, whole, main, (k, side_end));
            z = cell + 1;
        }
    }

    /// Every case the answer to `query` counts, as slots, in curve order: at cluster zooms the
    /// matching cases of the cells that meet the view, above them those in the view. A list of
    /// cases beside the map shows these, so that it holds what the map's clusters count.
    pub fn cases_in(&self, cases: &[IndexedCase], query: &ClusterQuery) -> Vec<u32> {
        let mut found = Vec::new();
        if let Some(mut plan) = self.plan(cases, &query.viewport, &query.filter, query.now) {
            if query.zoom <= MAX_CLUSTER_ZOOM {
                plan.view = plan.view.widened_to_cells(cluster_level(query.zoom));
            }
            self.each_match(&plan, Node::ROOT, (0, self.codes.len()), (0, self.side.len()), &mut |slot| {
                found.push(slot)
            });
        }
        found
    }

    /// Prepares a filter; `None` when nothing can match.
    fn plan<'a>(
        &'a self,
        cases: &'a [IndexedCase],
        viewport: &Bounds,
        filter: &'a CaseFilter,
        now: i64,
    ) -> Option<Plan<'a>> {
        let mut dims: Vec<Dim<'a>> = Vec::new();
        let mut statuses: Vec<usize> = CaseStatus::ALL
            .into_iter()
            .filter(|s| filter.statuses.as_ref().is_none_or(|l| l.contains(s)))
            .filter(|s| !filter.public_only || !held_back(*s, None))
            .filter(|s| !filter.overdue || matches!(s, CaseStatus::Assigned | CaseStatus::InProgress))
            .map(status_index)
            .collect();
        if !filter.public_only && statuses.contains(&status_index(CaseStatus::Rejected)) {
            statuses.push(HELD_BACK_REJECTED);
        }
        let restricts_status = statuses.len() < STATUS_KEYS;
        let countable = filter.channels.is_none()
            && filter.agencies.is_none()
            && filter.areas.is_none()
            && !filter.needs_columns()
            && !self.totals.stale;
        let counted = countable.then(|| CountKeys {
            statuses: statuses.clone(),
            categories: filter.categories.as_ref().map(|list| {
                let mut ids: Vec<usize> =
                    list.iter().map(|&c| usize::from(c)).filter(|&c| c < self.totals.categories).collect();
                ids.sort_unstable();
                ids.dedup();
                ids
            }),
        });
        // Every case has one status key: a filter allowing most of them (the public's allows all but
        // two) reads the bitmaps of those it leaves out.
        let mut status_values = None;
        let mut left_out = None;
        if restricts_status && statuses.len() > STATUS_KEYS / 2 {
            let keys: Vec<usize> = (0..STATUS_KEYS).filter(|k| !statuses.contains(k)).collect();
            let maps = keys.iter().filter_map(|&k| self.statuses.get(k)).collect();
            dims.push(Dim { maps, excluded: true });
            left_out = Some(CountKeys { statuses: keys, categories: None });
        } else if restricts_status {
            status_values = Some(statuses);
        }
        let mut add = |bitmaps: &'a Bitmaps, values: Option<Vec<usize>>| -> bool {
            let Some(values) = values else { return true };
            let maps: Vec<&[u64]> = values.iter().filter_map(|&v| bitmaps.get(v)).collect();
            let any = !maps.is_empty();
            dims.push(Dim { maps, excluded: false });
            any
        };
        let codes = |list: &Option<Vec<CodeId>>, shift: usize| {
            list.as_ref().map(|l| l.iter().map(|c| usize::from(*c) + shift).collect())
        };
        let mut possible = match status_values {
            Some(values) => add(&self.statuses, Some(values)),
            None => true,
        };
        possible &=
            add(&self.channels, filter.channels.as_ref().map(|l| l.iter().map(|c| channel_index(*c)).collect()));
        possible &= add(&self.categories, codes(&filter.categories, 0));
        possible &= add(&self.agencies, codes(&filter.agencies, 1));
        possible &= add(&self.areas, codes(&filter.areas, 1));
        let side_possible = !self.side.is_empty();
        if !possible && !side_possible {
            return None;
        }
        let (x0, y1) = project(viewport.south, viewport.west);
        let (x1, y0) = project(viewport.north, viewport.east);
        Some(Plan {
            cases,
            filter,
            now,
            main_possible: possible,
            plain: dims.is_empty() && !filter.needs_columns() && self.dead == 0,
            left_out: left_out.filter(|_| countable && dims.len() == 1 && self.dead == 0),
            counted,
            dims,
            columns: filter.needs_columns(),
            view: Rect { x0: u64::from(x0), y0: u64::from(y0), x1: u64::from(x1), y1: u64::from(y1) },
        })
    }

    /// Calls `visit` for each non-empty cell at `level` that meets the viewport, with its runs.
    fn walk(
        &self,
        plan: &Plan,
        node: Node,
        main: (usize, usize),
        side: (usize, usize),
        level: u8,
        visit: &mut dyn FnMut(Node, (usize, usize), (usize, usize)),
    ) {
        if (main.0 == main.1 && side.0 == side.1) || plan.view.disjoint(&node.rect()) {
            return;
        }
        if node.level >= level {
            visit(node, main, side);
            return;
        }
        for (child, main, side) in self.split(node, main, side) {
            self.walk(plan, child, main, side, level, visit);
        }
    }

    /// The four children of `node` with their runs.
    fn split(&self, node: Node, main: (usize, usize), side: (usize, usize)) -> [(Node, Runs, Runs); 4] {
        let prefix = morton(node.x, node.y) << 2;
        let shift = 2 * (31 - u32::from(node.level));
        let mut main_cuts = [main.0, 0, 0, 0, main.1];
        let mut side_cuts = [side.0, 0, 0, 0, side.1];
        for k in 1..4 {
            let start = (prefix + k as u64) << shift;
            main_cuts[k] = self.lower_bound(main_cuts[k - 1], main.1, start);
            side_cuts[k] = side_cuts[k - 1] + self.side[side_cuts[k - 1]..side.1].partition_point(|&(c, _)| c < start);
        }
        std::array::from_fn(|k| {
            let child = Node { level: node.level + 1, x: node.x * 2 + (k as u32 & 1), y: node.y * 2 + (k as u32 >> 1) };
            (child, (main_cuts[k], main_cuts[k + 1]), (side_cuts[k], side_cuts[k + 1]))
        })
    }

    /// The first position of `lo..hi` whose code is not below `code`.
    fn lower_bound(&self, lo: usize, hi: usize, code: u64) -> usize {
        if code & ((1 << CELL_TABLE_SHIFT) - 1) == 0 {
            let prefix = (code >> CELL_TABLE_SHIFT) as u32;
            let cell = self.cell_prefixes.partition_point(|&p| p < prefix);
            let start = self.cell_starts.get(cell).map_or(self.codes.len(), |&s| s as usize);
            return start.clamp(lo, hi);
        }
        if hi - lo <= 2 * WORD {
            return lo + self.codes[lo..hi].partition_point(|&c| c < code);
        }
        // Directory entry d is the code at position d * 64; those between lo and hi narrow the search to one run.
        let (first, last) = (lo.div_ceil(WORD), hi / WORD);
        let k = first + self.directory[first..last].partition_point(|&c| c < code);
        let from = if k == first { lo } else { (k - 1) * WORD };
        let to = if k == last { hi } else { k * WORD };
        from + self.codes[from..to].partition_point(|&c| c < code)
    }

    /// Adds the matching cases of a cell, its runs of the sorted array and of the side list, to `tally`.
    /// `whole` holds the stats of the cell's run of the sorted array, `main`.
    fn gather(&self, plan: &Plan, whole: Option<&CellStats>, main: Runs, side: Runs, tally: &mut Tally) {
        if let Some(whole) = whole.filter(|_| plan.main_possible) {
            self.gather_run(plan, main.0, main.1, whole, tally);
        }
        for &(code, slot) in &self.side[side.0..side.1] {
            if plan.side_accepts(slot) {
                let (x, y) = decode(code);
                tally.add_case(x, y, slot);
            }
        }
    }

    /// Calls `found` with each case of the runs that matches and lies in the viewport, one by one.
    fn each_clipped(&self, plan: &Plan, main: (usize, usize), side: (usize, usize), found: &mut dyn FnMut(u32)) {
        if plan.main_possible && main.0 < main.1 {
            // The filter's mask is taken once per word, then each matching case is placed.
            self.each_word(plan, main.0, main.1, &mut |word, mask| {
                let mut bits = mask;
                while bits != 0 {
                    let position = word * WORD + bits.trailing_zeros() as usize;
                    if plan.view.holds(self.xs[position], self.ys[position]) {
                        found(self.slots[position]);
                    }
                    bits &= bits - 1;
                }
            });
        }
        for &(code, slot) in &self.side[side.0..side.1] {
            let (x, y) = decode(code);
            if plan.view.holds(x, y) && plan.side_accepts(slot) {
                found(slot);
            }
        }
    }

    /// Calls `found` with the slot of each matching case of `node` in the viewport.
    fn each_match(
        &self,
        plan: &Plan,
        node: Node,
        main: (usize, usize),
        side: (usize, usize),
        found: &mut dyn FnMut(u32),
    ) {
        let rect = node.rect();
        if (main.0 == main.1 && side.0 == side.1) || plan.view.disjoint(&rect) {
            return;
        }
        if plan.view.contains(&rect) {
            if plan.main_possible && main.0 < main.1 {
                self.each_word(plan, main.0, main.1, &mut |word, mask| {
                    let mut bits = mask;
                    while bits != 0 {
                        found(self.slots[word * WORD + bits.trailing_zeros() as usize]);
                        bits &= bits - 1;
                    }
                });
            }
            for &(_, slot) in &self.side[side.0..side.1] {
                if plan.side_accepts(slot) {
                    found(slot);
                }
            }
            return;
        }
        if node.level == 32 || main.1 - main.0 + side.1 - side.0 <= SMALL_CELL {
            self.each_clipped(plan, main, side, found);
            return;
        }
        for (child, main, side) in self.split(node, main, side) {
            self.each_match(plan, child, main, side, found);
        }
    }

    /// Adds the matching cases of sorted positions `start..end` to `tally`.
    /// The run is a whole cell's, whose stats are `whole`.
    fn gather_run(&self, plan: &Plan, start: usize, end: usize, whole: &CellStats, tally: &mut Tally) {
        if start >= end {
            return;
        }
        if plan.plain {
            self.gather_all(start, end, whole, tally);
            return;
        }
        // The whole words of the run, counted and placed from the running totals when the filter allows.
        let totalled = plan.counted.as_ref().and_then(|keys| {
            let (head_end, tail_start) = (start.div_ceil(WORD) * WORD, end / WORD * WORD);
            (head_end < tail_start).then_some((keys, head_end, tail_start))
        });
        let (head_end, tail_start) = totalled.map_or((end, end), |(_, head_end, tail_start)| (head_end, tail_start));
        if let Some(left_out) = &plan.left_out {
            // All cases, less those of the few keys left out.
            self.gather_all(start, end, whole, tally);
            let excluded = &plan.dims[0];
            for (word, mask) in words_of(start, head_end).chain(words_of(tail_start, end)) {
                let mask = mask & excluded.any(word);
                if mask != 0 {
                    let (sum_x, sum_y) = self.sums_of(word, mask);
                    tally.remove(u64::from(mask.count_ones()), sum_x, sum_y);
                }
            }
            if totalled.is_some() {
                let out = self.totals.between(head_end, tail_start, left_out);
                tally.remove(u64::from(out.count), out.sum_x, out.sum_y);
            }
            return;
        }
        match totalled {
            Some((keys, _, _)) => {
                self.gather_words(plan, start, head_end, tally);
                let matched = self.totals.between(head_end, tail_start, keys);
                if matched.count > 0 {
                    tally.unnamed = true;
                    tally.count += u64::from(matched.count);
                    tally.sum_x += matched.sum_x;
                    tally.sum_y += matched.sum_y;
                    let [min_x, min_y, max_x, max_y] = self.words_bounds(head_end / WORD, tail_start / WORD - 1);
                    tally.extend(min_x, min_y, max_x, max_y);
                }
                self.gather_words(plan, tail_start, end, tally);
            }
            None => {
                // Whole chunks are counted from their words' masks and added as one run: exact when
                // every case matches, else at the chunk's mean position and within its bounds.
                let (first_chunk, last_chunk) = (start.div_ceil(CHUNK), end / CHUNK);
                if first_chunk >= last_chunk {
                    self.gather_words(plan, start, end, tally);
                    return;
                }
                self.gather_words(plan, start, first_chunk * CHUNK, tally);
                for chunk in first_chunk..last_chunk {
                    self.gather_chunk(plan, chunk, tally);
                }
                self.gather_words(plan, last_chunk * CHUNK, end, tally);
            }
        }
    }

    /// Adds the matching cases of a chunk, counted from its words' masks.
    fn gather_chunk(&self, plan: &Plan, chunk: usize, tally: &mut Tally) {
        let (start, end) = (chunk * CHUNK, (chunk + 1) * CHUNK);
        let matches: u32 = (start / WORD..end / WORD)
            .map(|word| {
                let mask = self.word_mask(plan, word);
                if plan.columns && mask != 0 { self.refine(plan, word, mask) } else { mask }.count_ones()
            })
            .sum();
        // A chunk lies inside the cell: its mean stands for a few matches as well as for many, and
        // only a case by itself is looked for.
        if matches > 1 {
            tally.add_run(&self.chunks[chunk], matches);
        } else if matches > 0 {
            self.gather_words(plan, start, end, tally);
        }
    }

    /// Adds the matching cases of `start..end` word by word.
    fn gather_words(&self, plan: &Plan, start: usize, end: usize, tally: &mut Tally) {
        if start >= end {
            return;
        }
        let (first, last) = (start / WORD, (end - 1) / WORD);
        self.each_word(plan, start, end, &mut |word, mask| {
            let matches = mask.count_ones();
            let stats = &self.words[word];
            if mask == !0 {
                tally.add_run(stats, WORD as u32);
            } else if matches == 1 {
                let position = word * WORD + mask.trailing_zeros() as usize;
                tally.add_case(self.xs[position], self.ys[position], self.slots[position]);
            } else if matches <= EXACT_MATCHES || word == first || word == last {
                // The word's mean would stand for cases of neighbouring cells too: its matches are summed exactly.
                let (sum_x, sum_y) = self.sums_of(word, mask);
                tally.count += u64::from(matches);
                tally.sum_x += sum_x;
                tally.sum_y += sum_y;
                tally.extend(stats.min_x, stats.min_y, stats.max_x, stats.max_y);
            } else {
                tally.add_run(stats, matches);
            }
        });
    }

    /// The sums of x and y over the positions of `word` set in `mask`.
    fn sums_of(&self, word: usize, mask: u64) -> (u64, u64) {
        let (low, high) = (mask.trailing_zeros() as usize, WORD - mask.leading_zeros() as usize);
        let (mut sum_x, mut sum_y) = (0u64, 0u64);
        if mask.count_ones() <= 16 {
            // Few positions: each is visited.
            let mut bits = mask;
            while bits != 0 {
                let position = word * WORD + bits.trailing_zeros() as usize;
                sum_x += u64::from(self.xs[position]);
                sum_y += u64::from(self.ys[position]);
                bits &= bits - 1;
            }
            return (sum_x, sum_y);
        }
        for bit in low..high {
            let selected = 0u64.wrapping_sub((mask >> bit) & 1);
            let position = word * WORD + bit;
            sum_x += u64::from(self.xs[position]) & selected;
            sum_y += u64::from(self.ys[position]) & selected;
        }
        (sum_x, sum_y)
    }

    /// Adds every case of `start..end`, a whole cell's run with the stats `whole`: count, centroid
    /// and bounds exactly.
    fn gather_all(&self, start: usize, end: usize, whole: &CellStats, tally: &mut Tally) {
        if end - start <= EXACT_MATCHES as usize {
            for position in start..end {
                tally.add_case(self.xs[position], self.ys[position], self.slots[position]);
            }
            return;
        }
        tally.count += (end - start) as u64;
        tally.sum_x += whole.sum_x;
        tally.sum_y += whole.sum_y;
        let [min_x, min_y, max_x, max_y] = whole.bounds;
        tally.extend(min_x, min_y, max_x, max_y);
    }

    /// Calls `visit` with each word of `start..end` and the mask of its matching positions in the range.
    fn each_word(&self, plan: &Plan, start: usize, end: usize, visit: &mut dyn FnMut(usize, u64)) {
        let (first, last) = (start / WORD, (end - 1) / WORD);
        for word in first..=last {
            let mut mask = self.word_mask(plan, word);
            if word == first {
                mask &= !0u64 << (start % WORD);
            }
            if word == last && !end.is_multiple_of(WORD) {
                mask &= (1u64 << (end % WORD)) - 1;
            }
            if mask != 0 && plan.columns {
                mask = self.refine(plan, word, mask);
            }
            if mask != 0 {
                visit(word, mask);
            }
        }
    }

    /// The positions of `word` passing the bitmap filters.
    fn word_mask(&self, plan: &Plan, word: usize) -> u64 {
        let mut mask = if self.dead > 0 { self.alive[word] } else { !0 };
        for dim in &plan.dims {
            let mut any = 0;
            for map in &dim.maps {
                any |= map.get(word).copied().unwrap_or(0);
            }
            mask &= if dim.excluded { !any } else { any };
            if mask == 0 {
                break;
            }
        }
        mask
    }

    /// Drops the positions of `mask` failing the date and deadline filters.
    fn refine(&self, plan: &Plan, word: usize, mask: u64) -> u64 {
        let filter = plan.filter;
        let mut kept = mask;
        let mut bits = mask;
        while bits != 0 {
            let bit = bits.trailing_zeros() as usize;
            let position = word * WORD + bit;
            let submitted = self.submitted[position];
            let pass = filter.submitted_from.is_none_or(|from| submitted >= from)
                && filter.submitted_before.is_none_or(|before| submitted < before)
                && (!filter.overdue || plan.now > self.deadlines[position]);
            if !pass {
                kept &= !(1u64 << bit);
            }
            bits &= bits - 1;
        }
        kept
    }
}

/// A run of sorted positions, `start..end`, of the sorted array or the side list.
type Runs = (usize, usize);

/// What [`ClusterIndex::each_cell`] calls for each cell: with its stats as built when it holds cases
/// of the sorted array, and its runs of the sorted array and the side list.
type CellVisitor<'a> = dyn FnMut(Node, Option<&CellStats>, Runs, Runs) + 'a;

/// The first index of `cells` from `from` on whose code is not below `code`, found by galloping:
/// a range search mostly moves a few cells ahead.
fn seek(cells: &[u64], from: usize, code: u64) -> usize {
    let mut low = from;
    let mut step = 1;
    while low + step < cells.len() && cells[low + step] < code {
        low += step;
        step *= 2;
    }
    let high = (low + step + 1).min(cells.len());
    let low = low.min(high);
    low + cells[low..high].partition_point(|&c| c < code)
}

/// The smallest Morton code above `code` inside the box whose corners have the codes `low` and
/// `high`, for a `code` outside the box (Tropf and Herzog's BIGMIN); `u64::MAX` when none.
/// `bits` is the codes' width: twice the level.
fn bigmin(code: u64, low: u64, high: u64, bits: u32) -> u64 {
    const X_BITS: u64 = 0x5555_5555_5555_5555;
    let (mut low, mut high) = (low, high);
    let mut best = u64::MAX;
    for bit in (0..bits).rev() {
        let at = 1u64 << bit;
        // The lower bits of the same axis as this bit.
        let below = (if bit % 2 == 0 { X_BITS } else { !X_BITS }) & (at - 1);
        match (code & at != 0, low & at != 0, high & at != 0) {
            (false, false, true) => {
                // The box spans both halves: the answer is in the lower half or is the upper half's first code.
                best = (low | at) & !below;
                high = (high & !at) | below;
            }
            (false, true, true) => return low,
            (true, false, false) => return best,
            (true, false, true) => low = (low | at) & !below,
            (true, true, false) | (false, true, false) => return best,
            (false, false, false) | (true, true, true) => {}
        }
    }
    best
}

/// The bitmaps of one restricted attribute: a case matches when it is in one of them, or, when
/// `excluded`, in none of them.
#[derive(Clone)]
struct Dim<'a> {
    maps: Vec<&'a [u64]>,
    excluded: bool,
}

impl Dim<'_> {
    /// The positions of `word` in one of the bitmaps.
    fn any(&self, word: usize) -> u64 {
        self.maps.iter().fold(0, |any, map| any | map.get(word).copied().unwrap_or(0))
    }
}

/// Each word of positions `start..end`, with the mask of its positions inside the range.
fn words_of(start: usize, end: usize) -> impl Iterator<Item = (usize, u64)> {
    let (first, last) = (start / WORD, end.saturating_sub(1) / WORD);
    (first..=last).filter(move |_| start < end).map(move |word| {
        let mut mask = !0u64;
        if word == first {
            mask &= !0u64 << (start % WORD);
        }
        if word == last && !end.is_multiple_of(WORD) {
            mask &= (1u64 << (end % WORD)) - 1;
        }
        (word, mask)
    })
}

/// A filter made ready for one query.
#[derive(Clone)]
struct Plan<'a> {
    cases: &'a [IndexedCase],
    filter: &'a CaseFilter,
    now: i64,
    /// False when the bitmaps show no case of the sorted array can match.
    main_possible: bool,
    /// Every case of the sorted array matches: runs are counted from the prefix sums.
    plain: bool,
    /// The filter as chunk count keys, when it restricts only statuses and categories.
    counted: Option<CountKeys>,
    /// For a filter that only leaves out a few status keys (the public's): those keys. Runs are
    /// then counted as without a filter, less the cases of these keys, which are few.
    left_out: Option<CountKeys>,
    /// Per restricted attribute, the bitmaps of its allowed values (a case must be in one of each).
    dims: Vec<Dim<'a>>,
    columns: bool,
    view: Rect,
}

impl Plan<'_> {
    fn side_accepts(&self, slot: u32) -> bool {
        self.cases.get(slot as usize).is_some_and(|case| self.filter.accepts(case, self.now))
    }
}

/// An inclusive rectangle in 32-bit Web Mercator units (y grows southwards).
#[derive(Debug, Clone, Copy)]
struct Rect {
    x0: u64,
    y0: u64,
    x1: u64,
    y1: u64,
}

impl Rect {
    fn disjoint(&self, other: &Rect) -> bool {
        other.x1 < self.x0 || other.x0 > self.x1 || other.y1 < self.y0 || other.y0 > self.y1
    }

    fn contains(&self, other: &Rect) -> bool {
        other.x0 >= self.x0 && other.x1 <= self.x1 && other.y0 >= self.y0 && other.y1 <= self.y1
    }

    fn holds(&self, x: u32, y: u32) -> bool {
        let (x, y) = (u64::from(x), u64::from(y));
        x >= self.x0 && x <= self.x1 && y >= self.y0 && y <= self.y1
    }

    /// The smallest rectangle of whole cells of `level` holding this one.
    fn widened_to_cells(&self, level: u8) -> Rect {
        let size = 1u64 << (32 - u32::from(level));
        Rect {
            x0: self.x0 / size * size,
            y0: self.y0 / size * size,
            x1: self.x1 / size * size + size - 1,
            y1: self.y1 / size * size + size - 1,
        }
    }

    /// `[x0, y0, x1, y1]`; a rectangle of the view or of a cell always lies within 32-bit units.
    fn corners(&self) -> [u32; 4] {
        let unit = |v: u64| v.min(u64::from(u32::MAX)) as u32;
        [unit(self.x0), unit(self.y0), unit(self.x1), unit(self.y1)]
    }
}

/// A quadtree cell: `level` 0 is the world, 32 a single Mercator unit.
#[derive(Debug, Clone, Copy)]
struct Node {
    level: u8,
    x: u32,
    y: u32,
}

impl Node {
    const ROOT: Node = Node { level: 0, x: 0, y: 0 };

    fn rect(&self) -> Rect {
        let shift = 32 - u32::from(self.level);
        let x0 = u64::from(self.x) << shift;
        let y0 = u64::from(self.y) << shift;
        Rect { x0, y0, x1: x0 + (1u64 << shift) - 1, y1: y0 + (1u64 << shift) - 1 }
    }
}

/// The quadtree level of a zoom's cluster cells.
fn cluster_level(zoom: u8) -> u8 {
    (zoom.min(MAX_ZOOM) + CELL_LEVELS_BELOW_ZOOM).min(32)
}

/// Whether a case at (`lat`, `lon`) lies in `bounds` as the index sees it (at about 1 cm).
pub fn within(bounds: &Bounds, lat: f64, lon: f64) -> bool {
    let (x, y) = project(lat, lon);
    let (x0, y1) = project(bounds.south, bounds.west);
    let (x1, y0) = project(bounds.north, bounds.east);
    x >= x0 && x <= x1 && y >= y0 && y <= y1
}

const SCALE: f64 = 4_294_967_296.0;
const MAX_LAT: f64 = 85.051_128_779_806_59;

/// Web Mercator position in 32-bit units: x eastwards from 180°W, y southwards from the top.
fn project(lat: f64, lon: f64) -> (u32, u32) {
    let x = (lon + 180.0) / 360.0;
    let sin = lat.clamp(-MAX_LAT, MAX_LAT).to_radians().sin();
    let y = 0.5 - ((1.0 + sin) / (1.0 - sin)).ln() / (4.0 * std::f64::consts::PI);
    (to_units(x), to_units(y))
}

fn to_units(fraction: f64) -> u32 {
    (fraction * SCALE).clamp(0.0, SCALE - 1.0) as u32
}

/// (lat, lon) of a Mercator position.
fn unproject(x: u32, y: u32) -> (f64, f64) {
    let lon = (f64::from(x) + 0.5) / SCALE * 360.0 - 180.0;
    (latitude(y), lon)
}

/// Mercator y positions between two entries of [`LATITUDES`].
const LATITUDE_STEP: u32 = 1 << 16;

/// The latitude at every [`LATITUDE_STEP`]th y position, and at the bottom edge: a cluster answer
/// needs three latitudes per cluster, and interpolating between these is several times cheaper
/// than the exponential and arc tangent of [`exact_latitude`], within 1e-7 degrees of it (about a
/// centimetre; answers are written to six places).
static LATITUDES: std::sync::LazyLock<Vec<f64>> = std::sync::LazyLock::new(|| {
    (0..=u64::from(u32::MAX / LATITUDE_STEP) + 1)
        .map(|k| exact_latitude((k * u64::from(LATITUDE_STEP)) as f64))
        .collect()
});

/// The latitude of the middle of y position `y`, from the table.
fn latitude(y: u32) -> f64 {
    let (entry, within) = ((y / LATITUDE_STEP) as usize, y % LATITUDE_STEP);
    let (above, below) = (LATITUDES[entry], LATITUDES[entry + 1]);
    above + (below - above) * ((f64::from(within) + 0.5) / f64::from(LATITUDE_STEP))
}

/// The latitude at y position `y` (a real number of units from the top), computed in full.
fn exact_latitude(y: f64) -> f64 {
    let n = std::f64::consts::PI * (1.0 - 2.0 * y / SCALE);
    // atan(sinh n), through exp, which costs less than sinh.
    (2.0 * n.exp().atan() - std::f64::consts::FRAC_PI_2).to_degrees()
}

fn union(a: [u32; 4], b: [u32; 4]) -> [u32; 4] {
    [a[0].min(b[0]), a[1].min(b[1]), a[2].max(b[2]), a[3].max(b[3])]
}

fn code_of(case: &IndexedCase) -> u64 {
    let (x, y) = project(case.lat, case.lon);
    morton(x, y)
}

fn spread(v: u32) -> u64 {
    let mut x = u64::from(v);
    x = (x | (x << 16)) & 0x0000_FFFF_0000_FFFF;
    x = (x | (x << 8)) & 0x00FF_00FF_00FF_00FF;
    x = (x | (x << 4)) & 0x0F0F_0F0F_0F0F_0F0F;
    x = (x | (x << 2)) & 0x3333_3333_3333_3333;
    (x | (x << 1)) & 0x5555_5555_5555_5555
}

fn compact(v: u64) -> u32 {
    let mut x = v & 0x5555_5555_5555_5555;
    x = (x | (x >> 1)) & 0x3333_3333_3333_3333;
    x = (x | (x >> 2)) & 0x0F0F_0F0F_0F0F_0F0F;
    x = (x | (x >> 4)) & 0x00FF_00FF_00FF_00FF;
    x = (x | (x >> 8)) & 0x0000_FFFF_0000_FFFF;
    ((x | (x >> 16)) & 0xFFFF_FFFF) as u32
}

/// Interleaves x (even bits) and y (odd bits): cells of every level are runs of this order.
fn morton(x: u32, y: u32) -> u64 {
    spread(x) | (spread(y) << 1)
}

fn decode(code: u64) -> (u32, u32) {
    (compact(code), compact(code >> 1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::workflow::RejectReason;
    use proptest::prelude::*;

    const DONG_HOI: (f64, f64) = (17.4689, 106.6222);

    fn case(id: i64, lat: f64, lon: f64, status: CaseStatus, category: CodeId) -> IndexedCase {
        IndexedCase {
            id,
            lat,
            lon,
            category,
            area: Some(0),
            agency: (status != CaseStatus::Submitted).then_some(category % 3),
            channel: Channel::ALL[(id % 4) as usize],
            status,
            submitted_at: 1_700_000_000 + id * 3600,
            deadline: Some(1_700_000_000 + id * 3600 + 86_400 * 5),
            rejection: None,
            handled_on_time: None,
            rating: None,
            screened_at: None,
            result_submitted_at: None,
            resolved_at: None,
        }
    }

    fn province() -> Bounds {
        Bounds { west: 105.6, south: 16.9, east: 107.0, north: 18.1 }
    }

    fn counted(items: &[ClusterItem]) -> u64 {
        items.iter().map(|item| if let ClusterItem::Cluster { count, .. } = item { *count } else { 1 }).sum()
    }

    /// The block of cells of the query's grid that meet its view, as (x0, y0, x1, y1) cell numbers.
    fn cells_meeting(query: &ClusterQuery) -> (u32, u32, u32, u32, u32) {
        let shift = 32 - u32::from(query.zoom + CELL_LEVELS_BELOW_ZOOM);
        let (x0, y1) = project(query.viewport.south, query.viewport.west);
        let (x1, y0) = project(query.viewport.north, query.viewport.east);
        (x0 >> shift, y0 >> shift, x1 >> shift, y1 >> shift, shift)
    }

    /// Whether a case at (`lat`, `lon`) is answered for: above the cluster zooms when it lies in the
    /// view, at them when it lies in a cell that meets the view.
    fn answered_for(query: &ClusterQuery, lat: f64, lon: f64) -> bool {
        if query.zoom > MAX_CLUSTER_ZOOM {
            return within(&query.viewport, lat, lon);
        }
        let (x0, y0, x1, y1, shift) = cells_meeting(query);
        let (x, y) = project(lat, lon);
        (x0..=x1).contains(&(x >> shift)) && (y0..=y1).contains(&(y >> shift))
    }

    /// The matching cases the query's answer must count.
    fn expected(cases: &[IndexedCase], query: &ClusterQuery) -> u64 {
        cases.iter().filter(|c| query.filter.accepts(c, query.now) && answered_for(query, c.lat, c.lon)).count() as u64
    }

    /// Whether a cluster lies in the cells that meet the view, in degrees to about 10 cm.
    fn among_cells_meeting(query: &ClusterQuery, bounds: &Bounds) -> bool {
        let (x0, y0, x1, y1, shift) = cells_meeting(query);
        let (north, west) = unproject(x0 << shift, y0 << shift);
        let (south, east) = unproject(((x1 + 1) << shift).wrapping_sub(1), ((y1 + 1) << shift).wrapping_sub(1));
        let tolerance = 1e-6;
        bounds.west >= west - tolerance
            && bounds.east <= east + tolerance
            && bounds.south >= south - tolerance
            && bounds.north <= north + tolerance
    }

    fn query(viewport: Bounds, zoom: u8, filter: CaseFilter) -> ClusterQuery {
        ClusterQuery { viewport, zoom, filter, now: 1_700_000_000 + 400 * 3600 }
    }

    #[test]
    fn latitudes_from_the_table_are_within_a_ten_millionth_of_a_degree() {
        let mut random = scramble(7);
        let samples = (0..200_000).map(|_| (random() * f64::from(u32::MAX)) as u32);
        for y in samples.chain([0, 1, LATITUDE_STEP - 1, LATITUDE_STEP, u32::MAX / 2, u32::MAX - 1, u32::MAX]) {
            let (table, exact) = (latitude(y), exact_latitude(f64::from(y) + 0.5));
            assert!((table - exact).abs() < 1e-7, "y {y}: {table} against {exact}");
        }
    }

    #[test]
    fn morton_codes_round_trip_and_mercator_keeps_the_province_in_order() {
        for (x, y) in [(0, 0), (1, 2), (u32::MAX, 7), (123_456_789, u32::MAX)] {
            assert_eq!(decode(morton(x, y)), (x, y));
        }
        let (west, north) = project(18.1, 105.6);
        let (east, south) = project(16.9, 107.0);
        assert!(west < east && north < south);
        let (lat, lon) = unproject(project(DONG_HOI.0, DONG_HOI.1).0, project(DONG_HOI.0, DONG_HOI.1).1);
        assert!((lat - DONG_HOI.0).abs() < 1e-6 && (lon - DONG_HOI.1).abs() < 1e-6);
    }

    #[test]
    fn a_town_is_one_cluster_from_afar_and_its_cases_one_by_one_up_close() {
        let cases: Vec<_> = (0..50)
            .map(|i| case(i, DONG_HOI.0 + f64::from(i as i32) * 1e-4, DONG_HOI.1, CaseStatus::Assigned, 1))
            .collect();
        let index = ClusterIndex::build(&cases);
        let far = index.query(&cases, &query(province(), 8, CaseFilter::default()));
        assert_eq!(far.len(), 1);
        let ClusterItem::Cluster { count, lat, bounds, .. } = far[0] else { panic!("expected a cluster") };
        assert_eq!(count, 50);
        assert!(bounds.south <= DONG_HOI.0 && bounds.north >= DONG_HOI.0 + 49e-4 - 1e-6);
        assert!(lat > bounds.south && lat < bounds.north);
        let near = index.query(&cases, &query(province(), 18, CaseFilter::default()));
        assert_eq!(near.len(), 50);
        assert!(near.iter().all(|item| matches!(item, ClusterItem::Case { .. })));
    }

    #[test]
    fn a_status_change_moves_a_case_between_filters_without_a_rebuild() {
        let mut cases: Vec<_> = (0..10).map(|i| case(i, DONG_HOI.0, DONG_HOI.1, CaseStatus::Submitted, 1)).collect();
        let mut index = ClusterIndex::build(&cases);
        let assigned = CaseFilter { statuses: Some(vec![CaseStatus::Assigned]), ..Default::default() };
        let public = CaseFilter { public_only: true, ..Default::default() };
        assert_eq!(counted(&index.query(&cases, &query(province(), 10, assigned.clone()))), 0);
        assert_eq!(counted(&index.query(&cases, &query(province(), 10, public.clone()))), 0);
        cases[3].status = CaseStatus::Assigned;
        index.upsert(&cases, 3);
        assert_eq!(index.side_len(), 0);
        assert_eq!(counted(&index.query(&cases, &query(province(), 10, assigned))), 1);
        assert_eq!(counted(&index.query(&cases, &query(province(), 10, public))), 1);
    }

    #[test]
    fn new_and_moved_cases_are_counted_at_once_and_merged_past_the_side_limit() {
        let mut cases: Vec<_> = (0..100).map(|i| case(i, DONG_HOI.0, DONG_HOI.1, CaseStatus::Assigned, 1)).collect();
        let mut index = ClusterIndex::build(&cases);
        cases[5].lat = 17.9;
        index.upsert(&cases, 5);
        let north = Bounds { west: 105.6, south: 17.8, east: 107.0, north: 18.1 };
        assert_eq!(counted(&index.query(&cases, &query(north, 12, CaseFilter::default()))), 1);
        assert_eq!(counted(&index.query(&cases, &query(province(), 12, CaseFilter::default()))), 100);
        for i in 100..(100 + SIDE_LIMIT as i64) {
            cases.push(case(i, 17.0 + (i % 97) as f64 * 0.01, 106.0, CaseStatus::Resolved, 2));
            index.upsert(&cases, cases.len() - 1);
        }
        assert_eq!(index.side_len(), 0, "the side list was merged");
        let all = index.query(&cases, &query(province(), 9, CaseFilter::default()));
        assert_eq!(counted(&all), cases.len() as u64);
    }

    #[test]
    fn the_directory_search_finds_what_a_plain_search_finds() {
        let cases: Vec<_> = (0..5000)
            .map(|i| {
                case(
                    i,
                    17.0 + (i * 7919 % 1000) as f64 * 1e-3,
                    106.0 + (i * 104_729 % 997) as f64 * 1e-3,
                    CaseStatus::Closed,
                    1,
                )
            })
            .collect();
        let index = ClusterIndex::build(&cases);
        let n = index.codes.len();
        for (lo, hi) in [(0, n), (3, n - 5), (64, 128), (65, 4000), (1000, 1001), (100, 100)] {
            let probes = (0..50).map(|i| index.codes[(i * 97) % n] + (i % 3) as u64);
            let aligned = (0..50).map(|i| (index.codes[(i * 89) % n] >> (2 * (i % 20))) << (2 * (i % 20)));
            let cell_starts = (0..50).map(|i| ((index.codes[(i * 83) % n] >> 32) + (i % 2) as u64) << 32);
            for probe in probes.chain(aligned).chain(cell_starts) {
                let expected = lo + index.codes[lo..hi].partition_point(|&c| c < probe);
                assert_eq!(index.lower_bound(lo, hi, probe), expected, "{lo}..{hi} for {probe}");
            }
        }
    }

    #[test]
    fn whole_chunks_count_exactly_under_every_kind_of_filter() {
        let statuses = CaseStatus::ALL;
        let cases: Vec<_> = (0..20_000i64)
            .map(|i| {
                let spread = if i % 3 == 0 { 0.5 } else { 0.01 };
                let (u, v) = ((i * 7919 % 10_007) as f64 / 10_007.0, (i * 104_729 % 9_973) as f64 / 9_973.0);
                case(i, 17.2 + u * spread, 106.4 + v * spread, statuses[(i % 7) as usize], (i % 5) as u16)
            })
            .collect();
        let index = ClusterIndex::build(&cases);
        let filters = [
            CaseFilter::default(),
            CaseFilter { public_only: true, ..Default::default() },
            CaseFilter {
                statuses: Some(vec![CaseStatus::Assigned, CaseStatus::Closed]),
                categories: Some(vec![2]),
                ..Default::default()
            },
            CaseFilter { overdue: true, ..Default::default() },
            CaseFilter {
                submitted_from: Some(1_700_000_000 + 5000 * 3600),
                channels: Some(vec![Channel::Web]),
                ..Default::default()
            },
        ];
        let views = [province(), Bounds { west: 106.401, south: 17.201, east: 106.409, north: 17.2095 }];
        for filter in &filters {
            for viewport in views {
                for zoom in [6, 9, 12, 15, 18] {
                    let q = query(viewport, zoom, filter.clone());
                    let items = index.query(&cases, &q);
                    assert_eq!(counted(&items), expected(&cases, &q), "{filter:?} at {zoom}");
                    for item in &items {
                        if let ClusterItem::Cluster { lat, lon, bounds, .. } = item {
                            let inside = |v: f64, low: f64, high: f64| v >= low - 1e-9 && v <= high + 1e-9;
                            assert!(inside(*lat, bounds.south, bounds.north) && inside(*lon, bounds.west, bounds.east));
                            assert!(
                                among_cells_meeting(&q, bounds),
                                "{bounds:?} beyond the cells meeting {viewport:?}"
                            );
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn a_deferred_index_waits_for_its_build() {
        let cases = vec![case(1, DONG_HOI.0, DONG_HOI.1, CaseStatus::Assigned, 1)];
        let mut index = ClusterIndex::deferred();
        index.upsert(&cases, 0);
        assert_eq!(index.side_len(), 0);
        let index = ClusterIndex::build(&cases);
        assert_eq!(counted(&index.query(&cases, &query(province(), 12, CaseFilter::default()))), 1);
    }

    fn arb_case() -> impl Strategy<Value = (u8, f64, f64, usize, u16, u8, u8, i64, Option<i64>)> {
        (
            0u8..3,
            0.0f64..1.0,
            0.0f64..1.0,
            0usize..7,
            0u16..4,
            0u8..4,
            0u8..5,
            0i64..1000,
            proptest::option::of(0i64..1000),
        )
    }

    fn arb_filter() -> impl Strategy<Value = CaseFilter> {
        let statuses = proptest::option::of(proptest::sample::subsequence(CaseStatus::ALL.to_vec(), 0..4));
        let categories = proptest::option::of(proptest::collection::vec(0u16..5, 0..3));
        let agencies = proptest::option::of(proptest::collection::vec(0u16..4, 0..3));
        let channels = proptest::option::of(proptest::sample::subsequence(Channel::ALL.to_vec(), 0..3));
        let times = (proptest::option::of(0i64..1000), proptest::option::of(0i64..1000));
        (statuses, categories, agencies, channels, times, any::<bool>(), any::<bool>()).prop_map(
            |(statuses, categories, agencies, channels, (from, before), overdue, public_only)| CaseFilter {
                statuses,
                categories,
                agencies,
                areas: None,
                channels,
                overdue,
                submitted_from: from,
                submitted_before: before,
                public_only,
            },
        )
    }

    /// Cases bunched in three towns of very different sizes, as on the real map.
    fn place(town: u8, u: f64, v: f64) -> (f64, f64) {
        let spread = [0.002, 0.05, 1.0][usize::from(town)];
        (17.0 + f64::from(town) * 0.3 + u * spread, 106.0 + f64::from(town) * 0.2 + v * spread)
    }

    #[test]
    fn bigmin_finds_the_next_code_inside_the_box() {
        let level = 4u32;
        let side = 1u32 << level;
        for (x0, y0, x1, y1) in
            [(0, 0, 15, 15), (3, 5, 10, 12), (7, 0, 8, 15), (1, 1, 1, 1), (0, 9, 15, 9), (5, 2, 13, 6)]
        {
            let (low, high) = (morton(x0, y0), morton(x1, y1));
            let inside = |code: u64| {
                let (x, y) = decode(code);
                x >= x0 && x <= x1 && y >= y0 && y <= y1
            };
            for code in 0..u64::from(side * side) {
                if inside(code) || code > high {
                    continue;
                }
                let expected = (code + 1..=high).find(|&c| inside(c)).unwrap_or(u64::MAX);
                assert_eq!(bigmin(code, low, high, 2 * level), expected, "box {x0},{y0}-{x1},{y1} from {code}");
            }
        }
    }

    /// A small deterministic generator for the larger property tests.
    fn scramble(seed: u64) -> impl FnMut() -> f64 {
        let mut state = seed | 1;
        move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 11) as f64 / (1u64 << 53) as f64
        }
    }

    /// Matching cases per cell meeting the view, counted one by one: what the clusters must add up to.
    fn counts_per_cell(cases: &[IndexedCase], query: &ClusterQuery) -> Vec<u64> {
        let shift = 32 - u32::from(query.zoom + CELL_LEVELS_BELOW_ZOOM);
        let mut cells = std::collections::BTreeMap::new();
        for case in cases.iter().filter(|c| query.filter.accepts(c, query.now) && answered_for(query, c.lat, c.lon)) {
            let (x, y) = project(case.lat, case.lon);
            *cells.entry((x >> shift, y >> shift)).or_insert(0u64) += 1;
        }
        let mut counts: Vec<u64> = cells.into_values().collect();
        counts.sort_unstable();
        counts
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// Thousands of cases, so whole chunks are counted from the running totals and cells are
        /// found by the Z-order search: each cell's count must be what a plain scan of the cases
        /// finds, after status changes and moves too.
        #[test]
        fn every_cell_counts_what_a_plain_scan_counts(
            seed in any::<u64>(),
            size in 2_000usize..12_000,
            changes in 0usize..300,
            added in 0usize..50,
            zoom in 4u8..=MAX_CLUSTER_ZOOM,
            centre in any::<prop::sample::Index>(),
            filter in prop_oneof![
                Just(CaseFilter::default()),
                Just(CaseFilter { public_only: true, ..Default::default() }),
                proptest::sample::subsequence(CaseStatus::ALL.to_vec(), 0..7)
                    .prop_map(|statuses| CaseFilter { statuses: Some(statuses), ..Default::default() }),
                (proptest::sample::subsequence(CaseStatus::ALL.to_vec(), 0..7), proptest::collection::vec(0u16..5, 0..3), any::<bool>())
                    .prop_map(|(statuses, categories, public_only)| CaseFilter {
                        statuses: Some(statuses),
                        categories: Some(categories),
                        public_only,
                        ..Default::default()
                    }),
                arb_filter(),
            ],
        ) {
            let mut random = scramble(seed);
            let draw = |id: i64, random: &mut dyn FnMut() -> f64| {
                let town = (random() * 3.0) as u8;
                let (lat, lon) = place(town, random(), random());
                let mut made = case(id, lat, lon, CaseStatus::ALL[(random() * 7.0) as usize], (random() * 4.0) as u16);
                made.submitted_at = (random() * 1000.0) as i64;
                made.deadline = (random() < 0.7).then(|| (random() * 1000.0) as i64);
                made.agency = (random() < 0.8).then(|| (random() * 3.0) as u16);
                made.rejection = Some(if random() < 0.5 { RejectReason::Inappropriate } else { RejectReason::Duplicate });
                made
            };
            let mut cases: Vec<IndexedCase> = (0..size as i64).map(|id| draw(id, &mut random)).collect();
            let mut index = ClusterIndex::build(&cases);
            for _ in 0..changes {
                let slot = (random() * cases.len() as f64) as usize;
                cases[slot].status = CaseStatus::ALL[(random() * 7.0) as usize];
                cases[slot].category = (random() * 4.0) as u16;
                if random() < 0.2 {
                    cases[slot].lon += 0.002;
                }
                index.upsert(&cases, slot);
            }
            for _ in 0..added {
                let made = draw(cases.len() as i64, &mut random);
                cases.push(made);
                index.upsert(&cases, cases.len() - 1);
            }
            // Viewports of 1280 x 800 px centred on a case, as the map opens around a report.
            let (lat, lon) = { let c = &cases[centre.index(cases.len())]; (c.lat, c.lon) };
            let half_width = 640.0 * 360.0 / (256.0 * f64::from(1u32 << zoom));
            let half_height = half_width * 400.0 / 640.0 * lat.to_radians().cos();
            let viewport = Bounds { west: lon - half_width, south: lat - half_height, east: lon + half_width, north: lat + half_height };
            let q = query(viewport, zoom, filter);
            let items = index.query(&cases, &q);
            let mut counts: Vec<u64> = items
                .iter()
                .map(|item| if let ClusterItem::Cluster { count, .. } = item { *count } else { 1 })
                .collect();
            counts.sort_unstable();
            prop_assert_eq!(counts, counts_per_cell(&cases, &q));
            for item in &items {
                match item {
                    ClusterItem::Case { slot } => {
                        let c = &cases[*slot as usize];
                        prop_assert!(q.filter.accepts(c, q.now) && answered_for(&q, c.lat, c.lon));
                    }
                    ClusterItem::Cluster { lat, lon, bounds, .. } => {
                        let inside = |v: f64, low: f64, high: f64| v >= low - 1e-9 && v <= high + 1e-9;
                        prop_assert!(inside(*lat, bounds.south, bounds.north) && inside(*lon, bounds.west, bounds.east));
                    }
                }
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn counts_add_up_to_the_matching_cases_of_the_cells_in_view_and_singles_show_up_close(
            raw in proptest::collection::vec(arb_case(), 0..400),
            changes in proptest::collection::vec((any::<prop::sample::Index>(), 0usize..7, any::<bool>()), 0..40),
            added in proptest::collection::vec(arb_case(), 0..40),
            centre in (0.0f64..1.0, 0.0f64..1.0),
            zoom in 4u8..21,
            filter in arb_filter(),
        ) {
            let to_case = |id: i64, (town, u, v, status, category, agency, channel, submitted, deadline): (u8, f64, f64, usize, u16, u8, u8, i64, Option<i64>)| {
                let (lat, lon) = place(town, u, v);
                IndexedCase {
                    id,
                    lat,
                    lon,
                    category,
                    area: Some(0),
                    agency: (agency < 3).then_some(u16::from(agency)),
                    channel: Channel::ALL[usize::from(channel % 4)],
                    status: CaseStatus::ALL[status],
                    submitted_at: submitted,
                    deadline,
                    // Half the rejected cases were rejected as inappropriate, held back from the public.
                    rejection: Some(if category % 2 == 0 { RejectReason::Inappropriate } else { RejectReason::Duplicate }),
                    handled_on_time: None,
                    rating: None,
                    screened_at: None,
                    result_submitted_at: None,
                    resolved_at: None,
                }
            };
            let mut cases: Vec<IndexedCase> = raw.into_iter().enumerate().map(|(i, r)| to_case(i as i64, r)).collect();
            let mut index = ClusterIndex::build(&cases);
            if !cases.is_empty() {
                for (which, status, moves) in changes {
                    let slot = which.index(cases.len());
                    cases[slot].status = CaseStatus::ALL[status];
                    if moves {
                        cases[slot].lat += 0.001;
                    }
                    index.upsert(&cases, slot);
                }
            }
            for r in added {
                cases.push(to_case(cases.len() as i64, r));
                index.upsert(&cases, cases.len() - 1);
            }
            // Viewports of 1280 x 800 px at the zoom, centred anywhere over the towns.
            let (lat, lon) = (17.0 + centre.0 * 1.0, 106.0 + centre.1 * 1.2);
            let half_width = 640.0 * 360.0 / (256.0 * f64::from(1u32 << zoom));
            let half_height = half_width * 400.0 / 640.0 * lat.to_radians().cos();
            let viewport = Bounds { west: lon - half_width, south: lat - half_height, east: lon + half_width, north: lat + half_height };
            let q = query(viewport, zoom, filter);
            let items = index.query(&cases, &q);
            prop_assert_eq!(counted(&items), expected(&cases, &q));
            for item in &items {
                if let ClusterItem::Case { slot } = item {
                    let c = &cases[*slot as usize];
                    prop_assert!(q.filter.accepts(c, q.now) && answered_for(&q, c.lat, c.lon));
                }
            }
            if zoom > MAX_CLUSTER_ZOOM {
                let all_single = items.iter().all(|item| matches!(item, ClusterItem::Case { .. }));
                prop_assert!(all_single, "every case by itself above the cluster zooms");
            }
            let listed = index.cases_in(&cases, &q);
            prop_assert_eq!(listed.len() as u64, expected(&cases, &q), "the list holds what the clusters count");
        }
    }
}
