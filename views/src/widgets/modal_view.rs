//! The layers over a pane, drawn bottom to top: the app hands them in that order, so the
//! one that owns the keys is the one on top.

use ratatui::Frame;

use super::layout::AppLayout;
use super::{detail_view, dialog_view, help_view, prompt_view};
use crate::props::ModalProps;
use crate::theme::Theme;

pub fn render(frame: &mut Frame<'_>, areas: &AppLayout, modals: &[ModalProps<'_>], theme: &Theme) {
    for modal in modals {
        match modal {
            ModalProps::Detail(detail) => detail_view::render(frame, areas.body, detail, theme),
            ModalProps::Help(help) => help_view::render(frame, areas.body, help, theme),
            ModalProps::Prompt(prompt) => {
                prompt_view::render(frame, areas.body, areas.status, prompt, theme)
            }
            ModalProps::Dialog(dialog) => dialog_view::render(frame, areas.body, dialog, theme),
        }
    }
}
