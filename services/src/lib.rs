//! The server's services beneath the pages: the storage seam, the live case index and its clusters, maps, statistics, intake, support and merges, and who sees a case.

pub mod account_links;
pub mod assignment;
pub mod case_index;
pub mod chain;
pub mod changes;
pub mod clusters;
pub mod context;
pub mod escalation;
pub mod following;
pub mod intake;
pub mod login_throttle;
pub mod map;
pub mod personal_data;
pub mod places;
pub mod rate_limits;
pub mod retention;
pub mod search;
pub mod statistics;
pub mod store;
pub mod support;
pub mod visibility;

pub use context::{ClientAddress, ScreeningRules, ServerContext, SessionRules};
