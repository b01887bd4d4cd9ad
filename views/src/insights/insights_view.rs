//! Draws the insights pane: the saved queries (name and query), or a query's summary line
//! and its rows as a table whose columns fit their content (the last takes the rest).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

use super::props::{InsightsBody, InsightsProps};
use crate::logs::log_line::clip;
use crate::theme::Theme;

/// No column is drawn wider than this unless it is the last.
const MAX_COLUMN: usize = 48;

pub fn render(frame: &mut Frame<'_>, area: Rect, props: &InsightsProps<'_>, theme: &Theme) {
    let block = crate::widgets::pane_frame::pane_block(format!(" {} ", props.title), theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let width = usize::from(inner.width);
    let height = usize::from(inner.height);
    let mut lines: Vec<Line<'_>> = Vec::new();
    if let Some(hint) = props.hint {
        lines.push(Line::styled(clip(hint, width), theme.status_stuck));
    }
    match &props.body {
        InsightsBody::Saved { queries, cursor } => {
            lines.push(Line::styled(
                clip(
                    "Saved queries: enter runs one over the tailed groups, e edits it first",
                    width,
                ),
                theme.chrome_dim,
            ));
            let name_width = queries
                .iter()
                .map(|q| q.name.width())
                .max()
                .unwrap_or(0)
                .min(28);
            let room = height.saturating_sub(lines.len());
            let first = cursor.saturating_sub(room.saturating_sub(1));
            for (i, q) in queries.iter().enumerate().skip(first).take(room) {
                let text = format!("{:<name_width$}  {}", clip(q.name, name_width), q.query);
                let style = if i == *cursor {
                    theme.chrome_selection
                } else {
                    theme.log_text
                };
                lines.push(Line::styled(clip(&text, width), style));
            }
        }
        InsightsBody::Results {
            query,
            summary,
            error,
            running,
            columns,
            rows,
            cursor,
            h_scroll,
        } => {
            lines.push(Line::styled(clip(query, width), theme.chrome_dim));
            let summary_style = match (error, running) {
                (Some(_), _) => theme.status_failed,
                (None, true) => theme.status_running,
                (None, false) => theme.status_ok,
            };
            lines.push(Line::styled(clip(summary, width), summary_style));
            if let Some(error) = error {
                lines.push(Line::styled(clip(error, width), theme.status_failed));
            } else if rows.is_empty() {
                let text = if *running {
                    "waiting for rows…"
                } else {
                    "No rows matched."
                };
                lines.push(Line::styled(text, theme.chrome_dim));
            } else {
                table(
                    &mut lines, columns, rows, *cursor, *h_scroll, width, height, theme,
                );
            }
        }
    }
    lines.truncate(height);
    frame.render_widget(Paragraph::new(lines), inner);
}

#[allow(clippy::too_many_arguments)]
fn table<'a>(
    lines: &mut Vec<Line<'a>>,
    columns: &[String],
    rows: &[Vec<String>],
    cursor: usize,
    h_scroll: usize,
    width: usize,
    height: usize,
    theme: &Theme,
) {
    let skip = h_scroll.min(columns.len().saturating_sub(1));
    let shown = &columns[skip..];
    let widths: Vec<usize> = shown
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let content = rows
                .iter()
                .map(|r| r.get(skip + i).map_or(0, |v| v.width()))
                .max()
                .unwrap_or(0);
            content.max(name.width()).min(MAX_COLUMN)
        })
        .collect();
    let render_row = |cells: Vec<&str>, style: Style| {
        let mut text = String::new();
        for (i, cell) in cells.iter().enumerate() {
            if i + 1 < cells.len() {
                text.push_str(&pad(&clip(cell, widths[i]), widths[i]));
                text.push_str("  ");
            } else {
                text.push_str(cell);
            }
        }
        Line::styled(clip(&text, width), style)
    };
    if skip > 0 {
        let text = format!("◂ {skip} more to the left (←)");
        lines.push(Line::styled(clip(&text, width), theme.chrome_dim));
    }
    let header: Vec<&str> = shown.iter().map(String::as_str).collect();
    lines.push(render_row(header, theme.chrome_key));
    let room = height.saturating_sub(lines.len());
    let first = cursor.saturating_sub(room.saturating_sub(1));
    for (i, row) in rows.iter().enumerate().skip(first).take(room) {
        let cells: Vec<&str> = row.iter().skip(skip).map(String::as_str).collect();
        let style = if i == cursor {
            theme.chrome_selection
        } else {
            theme.log_text
        };
        lines.push(render_row(cells, style));
    }
}

fn pad(text: &str, width: usize) -> String {
    let gap = width.saturating_sub(text.width());
    format!("{text}{}", " ".repeat(gap))
}
