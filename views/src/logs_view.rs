//! The merged log view: one row per line, ordered by timestamp, a coloured tag per function.

use chrono::{DateTime, Utc};
use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use unicode_width::UnicodeWidthStr;

use crate::log_row::{Level, LogRow, RowKind};
use crate::props::{Loadable, LogsProps};
use crate::theme::Theme;

const MAX_TAG_WIDTH: usize = 24;

pub fn render(frame: &mut Frame<'_>, area: Rect, props: &LogsProps<'_>, theme: &Theme) {
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.chrome_border_focused)
        .title(Span::styled(title(props), theme.chrome_title))
        .title_bottom(bottom_title(props, theme));
    let inner = block.inner(area);
    frame.render_widget(block, area);

    let shown = props.visible.map_or(props.rows.len(), <[usize]>::len);
    if props.groups.is_empty() {
        centered(frame, inner, props.empty_hint, theme.chrome_dim);
        return;
    }
    if shown == 0 {
        let text = match &props.state {
            Loadable::Failed(err) => format!("Could not read logs: {err}"),
            _ if props.filter_text.is_some() && !props.rows.is_empty() => {
                format!(
                    "No line matches the filter ({} lines hidden).",
                    props.rows.len()
                )
            }
            Loadable::Loading => format!(
                "Waiting for log events from {} log group{}…",
                props.groups.len(),
                if props.groups.len() == 1 { "" } else { "s" }
            ),
            _ => "No events yet in the chosen time window.".to_string(),
        };
        let style = match props.state {
            Loadable::Failed(_) => theme.status_failed,
            _ => theme.chrome_dim,
        };
        centered(frame, inner, &text, style);
        return;
    }

    let height = usize::from(inner.height);
    let end = shown.saturating_sub(props.scroll_from_bottom);
    let start = end.saturating_sub(height);
    let row_at = |i: usize| -> &LogRow {
        let index = props.visible.map_or(i, |v| v[i]);
        &props.rows[index]
    };
    let tag_width = (start..end)
        .map(|i| row_at(i).tag.width())
        .max()
        .unwrap_or(0)
        .min(MAX_TAG_WIDTH);
    let lines: Vec<Line<'_>> = (start..end)
        .map(|i| render_row(row_at(i), tag_width, props.filter, theme))
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

fn title(props: &LogsProps<'_>) -> String {
    let n = props.groups.len();
    let mode = if props.follow && props.scroll_from_bottom == 0 {
        "following".to_string()
    } else if props.scroll_from_bottom > 0 {
        format!("paused · {} newer below", props.scroll_from_bottom)
    } else {
        "paused".to_string()
    };
    let stale = match &props.state {
        Loadable::Stale(_) => " · STALE",
        _ => "",
    };
    format!(
        " logs · {n} group{} · {mode}{stale} ",
        if n == 1 { "" } else { "s" }
    )
}

fn bottom_title<'a>(props: &LogsProps<'_>, theme: &Theme) -> Line<'a> {
    let mut spans = Vec::new();
    let shown = props.visible.map_or(props.rows.len(), <[usize]>::len);
    spans.push(Span::styled(format!(" {shown} lines "), theme.chrome_dim));
    if let Some(filter) = props.filter_text {
        spans.push(Span::styled(format!(" /{filter} "), theme.chrome_key));
    }
    if props.dropped > 0 {
        spans.push(Span::styled(
            format!(" {} lines dropped (buffer full) ", props.dropped),
            theme.status_stale,
        ));
    }
    Line::from(spans).alignment(Alignment::Right)
}

fn centered(frame: &mut Frame<'_>, area: Rect, text: &str, style: Style) {
    let y = area.y + area.height / 2;
    if area.height == 0 {
        return;
    }
    let rect = Rect::new(
        area.x,
        y.min(area.bottom().saturating_sub(1)),
        area.width,
        1.max(area.bottom() - y).min(3),
    );
    frame.render_widget(
        Paragraph::new(text.to_string())
            .style(style)
            .alignment(Alignment::Center)
            .wrap(Wrap { trim: true }),
        rect,
    );
}

/// `HH:MM:SS.mmm` (UTC).
pub fn row_time(ms: i64) -> String {
    DateTime::<Utc>::from_timestamp_millis(ms)
        .map(|t| t.format("%H:%M:%S%.3f").to_string())
        .unwrap_or_else(|| "??:??:??.???".to_string())
}

fn render_row<'a>(
    row: &'a LogRow,
    tag_width: usize,
    filter: Option<&regex::Regex>,
    theme: &Theme,
) -> Line<'a> {
    let mut spans = Vec::with_capacity(6);
    let tag_style = theme.tag_style(&row.group);
    if row.kind == RowKind::Continuation {
        spans.push(Span::raw(" ".repeat(13)));
        spans.push(Span::styled(
            format!("{:<w$} ", "┆", w = tag_width),
            tag_style,
        ));
    } else {
        spans.push(Span::styled(
            row_time(row.timestamp_ms),
            theme.log_timestamp,
        ));
        spans.push(Span::raw(" "));
        let tag = clip(&row.tag, tag_width);
        spans.push(Span::styled(
            format!("{tag:<w$} ", w = tag_width),
            tag_style.add_modifier(Modifier::BOLD),
        ));
    }
    let text_style = match (row.kind, row.level) {
        (RowKind::Platform, _) => theme.log_platform,
        (_, Some(Level::Error | Level::Fatal)) => theme.log_error,
        (_, Some(Level::Warn)) => theme.log_warn,
        (_, Some(Level::Debug | Level::Trace)) => theme.log_debug,
        _ => theme.log_text,
    };
    match filter {
        Some(re) => highlight(&row.text, re, text_style, theme.chrome_match, &mut spans),
        None => spans.push(Span::styled(row.text.as_str(), text_style)),
    }
    Line::from(spans)
}

fn clip(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_string();
    }
    let mut out = String::new();
    for c in text.chars() {
        if out.width() + 2 > width {
            break;
        }
        out.push(c);
    }
    out.push('…');
    out
}

/// Split `text` into spans with the regex matches in `hit` style.
pub fn highlight<'a>(
    text: &'a str,
    re: &regex::Regex,
    base: Style,
    hit: Style,
    spans: &mut Vec<Span<'a>>,
) {
    let mut last = 0;
    for m in re.find_iter(text) {
        if m.start() == m.end() {
            continue;
        }
        if m.start() > last {
            spans.push(Span::styled(&text[last..m.start()], base));
        }
        spans.push(Span::styled(&text[m.start()..m.end()], hit));
        last = m.end();
    }
    if last < text.len() {
        spans.push(Span::styled(&text[last..], base));
    }
}
