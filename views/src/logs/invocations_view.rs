//! The logs pane grouped by invocation: one summary line per Lambda request id (time,
//! function, outcome, duration, billed duration, memory, init duration and cold start), its
//! error lines indented under it.

use std::collections::VecDeque;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

use super::props::LogsProps;
use crate::logs::invocation_row::{InvocationOutcome, InvocationRow};
use crate::logs::log_line::{TIME_COLUMNS, clip, push_highlighted};
use crate::logs::log_row::Level;
use crate::logs::logs_view::{selected_index, tag_shown};
use crate::theme::Theme;

const MAX_TAG_WIDTH: usize = 24;
/// Below this width the summary drops the billed duration and narrows the tag column.
const NARROW_WIDTH: u16 = 110;
const NARROW_TAG_WIDTH: usize = 12;
const SHORT_ID: usize = 8;

/// Which entries (indices from the oldest shown) fill `height` rows when the newest drawn is
/// `shown - 1 - scroll_from_bottom`: whole entries only, newest at the bottom. The reducer
/// uses the same rule to keep the cursor on screen.
pub fn entries_in_view(
    shown: usize,
    scroll_from_bottom: usize,
    height: usize,
    height_of: impl Fn(usize) -> usize,
) -> std::ops::Range<usize> {
    let end = shown.saturating_sub(scroll_from_bottom);
    let mut start = end;
    let mut used = 0;
    while start > 0 {
        let h = height_of(start - 1).max(1);
        if used + h > height && start < end {
            break;
        }
        used += h;
        start -= 1;
        if used >= height {
            break;
        }
    }
    start..end
}

pub fn render(
    frame: &mut Frame<'_>,
    inner: Rect,
    props: &LogsProps<'_>,
    items: &VecDeque<InvocationRow>,
    visible: Option<&[usize]>,
    theme: &Theme,
) {
    let shown = visible.map_or(items.len(), <[usize]>::len);
    let item_at = |i: usize| -> Option<&InvocationRow> {
        let index = visible.map_or(Some(i), |v| v.get(i).copied())?;
        items.get(index)
    };
    let narrow = inner.width < NARROW_WIDTH;
    let range = entries_in_view(
        shown,
        props.scroll_from_bottom,
        usize::from(inner.height),
        |i| item_at(i).map_or(1, InvocationRow::height),
    );
    let tag_width = if props.tag_width > 0 {
        props.tag_width
    } else {
        range
            .clone()
            .filter_map(item_at)
            .map(|item| tag_shown(&item.tag, props.tag_prefix).width())
            .max()
            .unwrap_or(0)
    }
    .min(if narrow {
        NARROW_TAG_WIDTH
    } else {
        MAX_TAG_WIDTH
    })
    .min((usize::from(inner.width) / 5).max(4));
    let selected = selected_index(props, shown);
    let mut lines: Vec<Line<'_>> = Vec::with_capacity(usize::from(inner.height));
    for i in range {
        let Some(item) = item_at(i) else { continue };
        let first = lines.len();
        push_invocation(item, tag_width, props, narrow, theme, &mut lines);
        if Some(i) == selected {
            for line in &mut lines[first..] {
                *line = std::mem::take(line).style(theme.chrome_selection);
            }
        }
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

fn outcome_label(item: &InvocationRow, theme: &Theme) -> (&'static str, Style) {
    match item.outcome() {
        InvocationOutcome::Running => ("… running", theme.status_running),
        InvocationOutcome::Succeeded if item.max_level >= Some(Level::Warn) => {
            ("⚠ ok·warn", theme.status_stale)
        }
        InvocationOutcome::Succeeded => ("✓ ok     ", theme.status_ok),
        InvocationOutcome::Failed => ("✗ ERROR  ", theme.status_failed),
        InvocationOutcome::TimedOut => ("✗ TIMEOUT", theme.status_failed),
    }
}

/// `412.30 ms`; whole milliseconds print without decimals.
pub fn format_ms(ms: f64) -> String {
    if ms.fract() == 0.0 {
        format!("{ms:.0} ms")
    } else {
        format!("{ms:.2} ms")
    }
}

/// The numbers of the summary line: duration, billed, memory, init.
pub fn summary_numbers(item: &InvocationRow) -> String {
    numbers(item, false)
}

/// `narrow` leaves out the billed duration and decimals.
fn numbers(item: &InvocationRow, narrow: bool) -> String {
    if narrow {
        let mut out = format!(
            "{:>7}",
            item.duration_ms
                .map_or("—".to_string(), |ms| format!("{ms:.0} ms"))
        );
        if let (Some(used), Some(size)) = (item.max_memory_used_mb, item.memory_size_mb) {
            out.push_str(&format!("  {used}/{size}MB"));
        }
        return out;
    }
    let mut out = String::with_capacity(64);
    match item.duration_ms {
        Some(ms) => out.push_str(&format!("{:>11}", format_ms(ms))),
        None => out.push_str(&format!("{:>11}", "—")),
    }
    if let Some(billed) = item.billed_ms.filter(|_| !narrow) {
        out.push_str(&format!("  billed {:>8}", format_ms(billed)));
    }
    match (item.max_memory_used_mb, item.memory_size_mb) {
        (Some(used), Some(size)) => {
            out.push_str(&format!("  mem {:>12}", format!("{used}/{size} MB")))
        }
        (Some(used), None) => out.push_str(&format!("  mem {:>12}", format!("{used} MB"))),
        _ => {}
    }
    if let Some(init) = item.init_duration_ms {
        out.push_str(&format!("  init {}", format_ms(init)));
    }
    out
}

fn push_invocation<'a>(
    item: &'a InvocationRow,
    tag_width: usize,
    props: &LogsProps<'_>,
    narrow: bool,
    theme: &Theme,
    lines: &mut Vec<Line<'a>>,
) {
    let filter = props.filter;
    let tag_style = theme.tag_style(&item.group);
    let (label, label_style) = outcome_label(item, theme);
    let short_id = item
        .request_id
        .char_indices()
        .nth(SHORT_ID)
        .map_or(&*item.request_id, |(i, _)| &item.request_id[..i]);
    let mut spans = vec![
        Span::styled(props.zone.row_time(item.start_ms), theme.log_timestamp),
        Span::raw(" "),
        Span::styled(
            format!(
                "{:<w$} ",
                clip(tag_shown(&item.tag, props.tag_prefix), tag_width),
                w = tag_width
            ),
            tag_style.add_modifier(Modifier::BOLD),
        ),
        Span::styled(label, label_style.add_modifier(Modifier::BOLD)),
        Span::raw(" "),
    ];
    push_highlighted(
        short_id,
        &[(0, short_id.len(), theme.log_text)],
        filter,
        theme.chrome_match,
        &mut spans,
    );
    // Always a gap: a four-digit duration must not run into the id (`b3b9d75a1669 ms`).
    spans.push(Span::raw(" "));
    spans.push(Span::styled(numbers(item, narrow), theme.log_text));
    if item.cold_start {
        let mark = match (narrow, item.init_duration_ms) {
            (true, Some(init)) => format!("  ❄ init {init:.0} ms"),
            (true, None) => "  ❄ cold".to_string(),
            (false, _) => "  ❄ cold start".to_string(),
        };
        spans.push(Span::styled(
            mark,
            theme.status_running.add_modifier(Modifier::BOLD),
        ));
    }
    lines.push(Line::from(spans));
    let indent = " ".repeat(TIME_COLUMNS);
    let gutter = format!("{:<w$}   ", "┆", w = tag_width);
    for error in item.shown_error_lines() {
        let mut spans = vec![
            Span::raw(indent.clone()),
            Span::styled(gutter.clone(), tag_style),
        ];
        push_highlighted(
            error,
            &[(0, error.len(), theme.log_error)],
            filter,
            theme.chrome_match,
            &mut spans,
        );
        lines.push(Line::from(spans));
    }
    let hidden = item.hidden_error_lines();
    if hidden > 0 {
        lines.push(Line::from(vec![
            Span::raw(indent),
            Span::styled(gutter, tag_style),
            Span::styled(
                format!(
                    "… {hidden} more error line{} (enter shows the invocation)",
                    if hidden == 1 { "" } else { "s" }
                ),
                theme.chrome_dim,
            ),
        ]));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_entries_fill_the_view_from_the_bottom() {
        let heights = [1, 3, 1, 2, 1];
        let h = |i: usize| heights[i];
        assert_eq!(entries_in_view(5, 0, 4, h), 2..5);
        assert_eq!(entries_in_view(5, 0, 3, h), 3..5);
        assert_eq!(entries_in_view(5, 2, 4, h), 1..3);
        assert_eq!(entries_in_view(5, 0, 100, h), 0..5);
        // An entry taller than the view is still drawn when it is the only one.
        assert_eq!(entries_in_view(2, 0, 2, |_| 5), 1..2);
    }

    #[test]
    fn narrow_numbers_keep_their_own_column() {
        let mut item = InvocationRow::new(1, "id".into(), "g".into(), "t".into(), 0);
        item.duration_ms = Some(1_669.2);
        assert_eq!(numbers(&item, true), "1669 ms");
        item.duration_ms = Some(12.0);
        assert_eq!(numbers(&item, true), "  12 ms");
    }

    #[test]
    fn numbers_read_like_the_report_line() {
        let mut item = InvocationRow::new(1, "id".into(), "g".into(), "t".into(), 0);
        item.duration_ms = Some(412.3);
        item.billed_ms = Some(725.0);
        item.memory_size_mb = Some(512);
        item.max_memory_used_mb = Some(87);
        item.init_duration_ms = Some(312.45);
        assert_eq!(
            summary_numbers(&item),
            "  412.30 ms  billed   725 ms  mem    87/512 MB  init 312.45 ms"
        );
    }
}
