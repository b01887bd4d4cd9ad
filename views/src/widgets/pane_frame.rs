//! What every pane draws around and above its content: the focused bordered box with its
//! title, and the lines saying loading / failed / stale and which keys do what.

use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders};

use crate::logs::log_line::clip;
use crate::props::Loadable;
use crate::theme::Theme;

/// The pane's box, titled `title` (as given: callers pad it).
pub fn pane_block<'a>(title: String, theme: &Theme) -> Block<'a> {
    Block::default()
        .borders(Borders::ALL)
        .border_style(theme.chrome_border_focused)
        .title(Span::styled(title, theme.chrome_title))
}

/// Loading, failed or stale (nothing when ready), then the key hints, each cut to `width`.
pub fn status_lines<'a>(
    state: &Loadable,
    hint: &str,
    width: usize,
    theme: &Theme,
) -> Vec<Line<'a>> {
    let mut lines = Vec::new();
    match state {
        Loadable::Loading => lines.push(Line::styled("loading…", theme.chrome_dim)),
        Loadable::Failed(e) => lines.push(Line::styled(clip(e, width), theme.status_failed)),
        Loadable::Stale(e) => lines.push(Line::styled(
            clip(&format!("STALE: {e}"), width),
            theme.status_stale,
        )),
        Loadable::Ready => {}
    }
    lines.push(Line::styled(clip(hint, width), theme.chrome_dim));
    lines
}
