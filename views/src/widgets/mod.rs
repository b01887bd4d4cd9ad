//! The shell's widgets: header, status line and footer, the screen layout, and the layers
//! drawn over a pane (help, prompt, detail, dialogs).

pub mod chrome;
pub mod detail_view;
pub mod dialog_view;
pub mod help_view;
pub mod layout;
pub mod modal_view;
pub mod pane_frame;
pub mod prompt_view;
pub mod sparkline;
