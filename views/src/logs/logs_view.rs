//! The merged log view: one row per line, ordered by timestamp, a coloured tag per function;
//! or, grouped by invocation, one entry per Lambda request (see `invocations_view`).

use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use unicode_width::UnicodeWidthStr;

use super::props::{LogsBody, LogsProps, MatchMode};
use crate::logs::invocations_view;
use crate::logs::line_fit::fit_row;
use crate::logs::log_line::{TIME_COLUMNS, clip, row_line};
use crate::logs::log_row::LogRow;
use crate::props::Loadable;
use crate::theme::Theme;

const MAX_TAG_WIDTH: usize = 24;
const MAX_PATTERN_WIDTH: usize = 40;

pub fn render(frame: &mut Frame<'_>, area: Rect, props: &LogsProps<'_>, theme: &Theme) {
    let block = crate::widgets::pane_frame::pane_block(title(props), theme)
        .title_bottom(bottom_title(props, theme));
    let inner = block.inner(area);
    frame.render_widget(block, area);

    if props.groups.is_empty() {
        centered(frame, inner, &props.empty_hint, theme.chrome_dim);
        return;
    }
    if props.body.shown_len() == 0 {
        let (text, style) = empty_text(props, theme);
        centered(frame, inner, &text, style);
        return;
    }
    match &props.body {
        LogsBody::Lines { rows, visible } => {
            render_lines(frame, inner, props, rows, *visible, theme)
        }
        LogsBody::Invocations { items, visible } => {
            invocations_view::render(frame, inner, props, items, *visible, theme)
        }
    }
}

/// The text shown when nothing is to be listed.
fn empty_text(props: &LogsProps<'_>, theme: &Theme) -> (String, Style) {
    let filtered = props.filter_text.is_some() && props.match_mode == MatchMode::Hide
        || props.min_level.is_some();
    let text = match &props.state {
        Loadable::Failed(err) => format!("Could not read logs: {err}"),
        _ if filtered && props.total_lines > 0 => {
            let level = props
                .min_level
                .map(|l| format!(" at level {}+", l.label()))
                .unwrap_or_default();
            format!(
                "Nothing matches the filter{level} ({} hidden).",
                counted(props.total_lines, "line")
            )
        }
        Loadable::Loading => format!(
            "Waiting for log events from {} log group{}…",
            props.groups.len(),
            if props.groups.len() == 1 { "" } else { "s" }
        ),
        _ if matches!(props.body, LogsBody::Invocations { .. }) => {
            "No invocations yet: no line carries a Lambda request id.".to_string()
        }
        _ => "No events yet in the chosen time window.".to_string(),
    };
    let style = match props.state {
        Loadable::Failed(_) => theme.status_failed,
        _ => theme.chrome_dim,
    };
    (text, style)
}

fn render_lines(
    frame: &mut Frame<'_>,
    inner: Rect,
    props: &LogsProps<'_>,
    rows: &std::collections::VecDeque<LogRow>,
    visible: Option<&[usize]>,
    theme: &Theme,
) {
    let shown = visible.map_or(rows.len(), <[usize]>::len);
    let height = usize::from(inner.height);
    let width = usize::from(inner.width);
    let end = shown.saturating_sub(props.scroll_from_bottom);
    let row_at = |i: usize| -> Option<&LogRow> {
        let index = visible.map_or(Some(i), |v| v.get(i).copied())?;
        rows.get(index)
    };
    let shown_tag = |row: &LogRow| tag_shown(&row.tag, props.tag_prefix).width();
    // The tag column: as wide as the tailed groups' tags without their common prefix, and at
    // most a fifth of the width, so the text keeps most of a narrow terminal.
    let tag_width = if props.tag_width > 0 {
        props.tag_width
    } else {
        (end.saturating_sub(height)..end)
            .filter_map(row_at)
            .map(shown_tag)
            .max()
            .unwrap_or(0)
    }
    .min((width / 5).clamp(4, MAX_TAG_WIDTH));
    let prefix_cols = TIME_COLUMNS + tag_width + 1;
    let selected = selected_index(props, shown);
    let fit = |i: usize| -> Vec<Line<'_>> {
        let Some(row) = row_at(i) else {
            return Vec::new();
        };
        let line = row_line(
            row,
            props.zone,
            tag_width,
            props.tag_prefix,
            props.filter,
            theme,
        );
        let line = if Some(i) == selected {
            line.style(theme.chrome_selection)
        } else {
            line
        };
        fit_row(line, prefix_cols, width, props.h_scroll, props.wrap)
    };
    // Back from the newest row in view until the screen is full (wrapped rows take more).
    let mut blocks = Vec::new();
    let mut used = 0;
    let mut start = end;
    while start > 0 && used < height {
        start -= 1;
        let block = fit(start);
        used += block.len();
        blocks.push(block);
    }
    blocks.reverse();
    if let Some(sel) = selected.filter(|&sel| sel < start) {
        // Wrapped rows pushed the selection off the top: show from it downwards.
        blocks.clear();
        used = 0;
        start = sel;
        let mut i = sel;
        while i < shown && used < height {
            let block = fit(i);
            used += block.len();
            blocks.push(block);
            i += 1;
        }
    }
    // The oldest line on screen: a note above it ("loading older lines…") takes a row.
    let note = props
        .history_note
        .as_deref()
        .filter(|_| start == 0 && height > 1);
    let room = height - usize::from(note.is_some());
    // Whole rows only: a wrapped row that does not fit at the top is left out, not cut.
    let keep_top = note.is_some() || selected == Some(start);
    while blocks.len() > 1 && blocks.iter().map(Vec::len).sum::<usize>() > room {
        if keep_top {
            blocks.pop();
        } else {
            blocks.remove(0);
        }
    }
    let mut lines: Vec<Line<'_>> = blocks.into_iter().flatten().collect();
    lines.truncate(room);
    if let Some(text) = note {
        lines.insert(
            0,
            Line::from(Span::styled(format!("  ↑ {text}"), theme.chrome_dim)),
        );
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

/// A tag without the prefix every tailed group shares.
pub fn tag_shown<'a>(tag: &'a str, prefix: &str) -> &'a str {
    tag.strip_prefix(prefix)
        .filter(|t| !t.is_empty())
        .unwrap_or(tag)
}

/// Index (from the oldest shown) of the selected entry, when one is drawn.
pub fn selected_index(props: &LogsProps<'_>, shown: usize) -> Option<usize> {
    props
        .cursor_from_bottom
        .filter(|c| *c < shown)
        .map(|c| shown - 1 - c)
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
    let grouping = match props.body {
        LogsBody::Invocations { .. } => " · by invocation",
        LogsBody::Lines { .. } => "",
    };
    let stale = match &props.state {
        Loadable::Stale(_) => " · STALE",
        _ => "",
    };
    let source = props.source.map(|s| format!(" · {s}")).unwrap_or_default();
    let note = props
        .streams
        .iter()
        .chain(props.tail_note.iter())
        .map(|s| format!(" · {s}"))
        .collect::<String>();
    format!(
        " logs · {n} group{}{grouping} · {mode}{source}{note}{stale} ",
        if n == 1 { "" } else { "s" }
    )
}

fn bottom_title<'a>(props: &LogsProps<'_>, theme: &Theme) -> Line<'a> {
    let mut spans = Vec::new();
    let shown = props.body.shown_len();
    let what = match props.body {
        LogsBody::Lines { .. } => "line",
        LogsBody::Invocations { .. } => "invocation",
    };
    spans.push(Span::styled(
        format!(" {} ", counted(shown, what)),
        theme.chrome_dim,
    ));
    if let Some(level) = props.min_level {
        spans.push(Span::styled(
            format!(" level {}+ ", level.label()),
            theme.chrome_key,
        ));
    }
    if let Some(filter) = props.filter_text {
        let mode = match props.match_mode {
            MatchMode::Hide => "",
            MatchMode::Highlight => " (highlight)",
        };
        spans.push(Span::styled(
            format!(" /{}{mode} ", clip(filter, MAX_PATTERN_WIDTH)),
            theme.chrome_key,
        ));
    }
    if let Some(pattern) = props.pattern {
        let pending = if props.pattern_pending {
            " (checking…)"
        } else {
            ""
        };
        spans.push(Span::styled(
            format!(" aws: {}{pending} ", clip(pattern, MAX_PATTERN_WIDTH)),
            theme.chrome_key,
        ));
    }
    if props.dropped > 0 {
        spans.push(Span::styled(
            format!(
                " {} dropped (buffer full) ",
                counted(usize::try_from(props.dropped).unwrap_or(usize::MAX), "line")
            ),
            theme.status_stale,
        ));
    }
    Line::from(spans).alignment(Alignment::Right)
}

/// `1 line`, `17 lines`.
fn counted(n: usize, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}

/// One line of text in the middle of `area`.
pub fn centered(frame: &mut Frame<'_>, area: Rect, text: &str, style: Style) {
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

/// Split `text` into spans with the regex matches in `hit` style.
pub fn highlight<'a>(
    text: &'a str,
    re: &regex::Regex,
    base: Style,
    hit: Style,
    spans: &mut Vec<Span<'a>>,
) {
    crate::logs::log_line::push_highlighted(text, &[(0, text.len(), base)], Some(re), hit, spans);
}
