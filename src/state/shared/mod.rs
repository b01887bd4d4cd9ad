//! What the shell and every pane share: messages and effects, the data store's `Polled<T>`,
//! per-source status, the context a pane works in, text input, and the JSON and detail
//! views (log lines today; execution input/output and message bodies next).

pub mod call_rate;
pub mod detail;
pub mod durations;
pub mod json_compact;
pub mod json_value;
pub mod json_view;
pub mod log_level;
pub mod msg;
pub mod pane_ctx;
pub mod polled;
pub mod regex_filter;
pub mod status;
pub mod tail_health;
pub mod text_input;
pub mod thousands;
