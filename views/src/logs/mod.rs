//! The logs pane: merged log lines, invocation rows, and their props.

pub mod invocation_row;
pub mod invocations_view;
pub mod line_fit;
pub mod log_line;
pub mod log_row;
pub mod logs_view;
pub mod props;
