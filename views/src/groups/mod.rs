//! The log-group chooser.

pub mod groups_view;
pub mod props;
