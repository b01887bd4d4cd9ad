//! The log tail: polls FilterLogEvents for every tailed group with an overlapping
//! look-back window and de-duplicates by event id, so late-ingested events are neither
//! missed nor shown twice. Used by the TUI's logs pane (through `TailReport` messages).

mod seen_ids;
mod tail_task;

pub use seen_ids::SeenIds;
pub use tail_task::{GroupCursor, TailOptions, run_tail};
