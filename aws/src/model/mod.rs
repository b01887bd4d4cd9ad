//! Plain data types shared by the backends, the app and the views. No IO.

mod api_calls;
pub mod asl;
pub mod baseline;
mod error;
pub mod functions;
mod insights;
mod live_tail;
mod logs;
pub mod metrics;
pub mod queues;
mod session;
pub mod signals;
pub mod step_functions;

pub use api_calls::{ApiCalls, Billed};
pub use error::BackendError;
pub use insights::{
    DEFAULT_INSIGHTS_LIMIT, InsightsQuery, MAX_INSIGHTS_GROUPS, MAX_INSIGHTS_LIMIT, POINTER_FIELD,
    QueryResults, QueryStatistics, QueryStatus,
};
pub use live_tail::{
    LIVE_TAIL_MAX_EVENTS_PER_SECOND, LIVE_TAIL_SESSION_MS, LiveTailRequest, LiveTailUpdate,
    MAX_LIVE_TAIL_GROUPS, log_group_name_of,
};
pub use logs::{FilterPage, FilterRequest, LogEvent, LogGroup};
pub use session::Identity;
