//! The Logs Insights pane: saved queries, and a query's results as a table.

pub mod insights_view;
pub mod props;
