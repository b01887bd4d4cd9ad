//! The log tail engine: FilterLogEvents polling of many log groups inside one shared request
//! budget, with an overlapping look-back window and de-duplication by event id, so
//! late-ingested events are neither missed nor shown twice. Used by the TUI's logs pane and
//! by the headless `unstuck tail` command.

mod arrival_rhythm;
mod group_cursor;
mod live_tail_task;
mod older;
mod quiet_groups;
mod report;
mod request_budget;
mod seen_ids;
mod tail_task;
mod window_pieces;

pub use arrival_rhythm::ArrivalRhythm;
pub use group_cursor::{GroupCursor, LookBack, PageOutcome, QueryScope};
pub use live_tail_task::{LiveState, LiveTailRun, content_key, run_live_tail};
pub use older::{OlderRequest, OlderWindow, load_older};
pub use report::{GroupProgress, TailReport, TailSpec};
pub use request_budget::{DEFAULT_CALLS_PER_SECOND, RequestBudget};
pub use seen_ids::SeenIds;
pub use tail_task::{ReportSink, TailOptions, run_tail};
