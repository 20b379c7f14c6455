//! What every request on the server can reach: the store, the live case index, and the province's settings.

use crate::case_index::CaseIndex;
use crate::store::SharedStore;
use std::sync::Arc;

/// The server's shared state, handed to every request.
#[derive(Clone)]
pub struct ServerContext {
    pub store: SharedStore,
    /// Every case in memory, for maps and statistics; follows the database.
    pub index: Arc<CaseIndex>,
    /// Map tile URL template handed to the browser.
    pub tile_url: String,
    pub screening: ScreeningRules,
    /// Handled cases an agency needs in a period before the statistics rank it.
    pub ranking_minimum: u64,
}

/// How screening looks for possible duplicates: same category, this close, this recent.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ScreeningRules {
    pub duplicate_radius_metres: f64,
    pub duplicate_window_days: i64,
}

impl Default for ScreeningRules {
    fn default() -> Self {
        Self { duplicate_radius_metres: 150.0, duplicate_window_days: 30 }
    }
}
