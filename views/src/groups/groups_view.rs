//! The log-group chooser: a filterable, multi-select list.

use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::props::GroupsProps;
use crate::props::Loadable;
use crate::theme::Theme;

pub fn render(frame: &mut Frame<'_>, area: Rect, props: &GroupsProps<'_>, theme: &Theme) {
    let stale = matches!(props.state, Loadable::Stale(_));
    let title = format!(
        " log groups · {} shown of {} · {} selected{} ",
        props.items.len(),
        props.total,
        props.selected_count,
        if stale { " · STALE" } else { "" }
    );
    let mut block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.chrome_border_focused)
        .title(Span::styled(title, theme.chrome_title));
    if let Some(filter) = props.filter_text {
        block = block.title_bottom(
            Line::from(Span::styled(format!(" /{filter} "), theme.chrome_key))
                .alignment(Alignment::Right),
        );
    }
    let inner = block.inner(area);
    frame.render_widget(block, area);

    if props.items.is_empty() {
        let (text, style) = match &props.state {
            Loadable::Loading => ("Loading log groups…".to_string(), theme.chrome_dim),
            Loadable::Failed(err) => (
                format!("Could not list log groups: {err}"),
                theme.status_failed,
            ),
            _ if props.filter_text.is_some() => (
                "No log group matches the filter.".to_string(),
                theme.chrome_dim,
            ),
            _ => (
                "No log groups in this account and region.".to_string(),
                theme.chrome_dim,
            ),
        };
        let y = inner.y + inner.height / 2;
        if inner.height > 0 {
            frame.render_widget(
                Paragraph::new(text)
                    .style(style)
                    .alignment(Alignment::Center),
                Rect::new(inner.x, y, inner.width, 1),
            );
        }
        return;
    }

    let height = usize::from(inner.height);
    let lines: Vec<Line<'_>> = props
        .items
        .iter()
        .enumerate()
        .skip(props.offset)
        .take(height)
        .map(|(i, item)| {
            let mark = if item.selected { "[x] " } else { "[ ] " };
            let size = item.stored_bytes.map(human_bytes).unwrap_or_default();
            let name_w = usize::from(inner.width).saturating_sub(4 + 10);
            let line = Line::from(vec![
                Span::styled(
                    mark,
                    if item.selected {
                        theme.status_ok
                    } else {
                        theme.chrome_dim
                    },
                ),
                Span::styled(
                    format!("{:<name_w$}", item.name),
                    theme.tag_style(item.name),
                ),
                Span::styled(format!("{size:>10}"), theme.chrome_dim),
            ]);
            if i == props.cursor {
                line.style(theme.chrome_selection)
            } else {
                line
            }
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

/// "1.2 MB" style sizes.
pub fn human_bytes(bytes: i64) -> String {
    const UNITS: [&str; 5] = ["B", "KB", "MB", "GB", "TB"];
    let mut value = bytes.max(0) as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}
