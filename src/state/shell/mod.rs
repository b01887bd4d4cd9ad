//! The shell around the panes: the pane table and trait, the modal layer, the palette, key
//! routing, the top-level reducer and the props of the frame.

pub mod keys;
pub mod modal;
pub mod palette;
pub mod panes;
pub mod prompt;
pub mod prompt_keys;
pub mod shell_commands;
pub mod update;
pub mod usage;
pub mod view_model;

pub use panes::{PANES, Pane, PaneId, PaneSpec};
