//! The machines table and one machine's executions table: fixed columns, the name column
//! taking what is left, the cursor row highlighted and kept in view.

use ratatui::style::Style;
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

use super::props::{ExecutionItem, MachineItem, Tone};
use crate::logs::log_line::clip;
use crate::theme::Theme;

pub fn tone_style(theme: &Theme, tone: Tone) -> Style {
    match tone {
        Tone::Quiet => theme.chrome_dim,
        Tone::Running => theme.status_running,
        Tone::Stuck => theme.status_stuck,
        Tone::Ok => theme.status_ok,
        Tone::Failed => theme.status_failed,
        Tone::Warn => theme.status_stale,
    }
}

/// `text` cut or padded to exactly `width` columns.
pub fn cell(text: &str, width: usize) -> String {
    let cut = clip(text, width);
    let pad = width.saturating_sub(cut.width());
    format!("{cut}{}", " ".repeat(pad))
}

/// The first row drawn so that `cursor` is in view in `rows` rows.
pub fn first_row(cursor: usize, rows: usize) -> usize {
    cursor.saturating_sub(rows.saturating_sub(1))
}

fn row_style(theme: &Theme, selected: bool, style: Style) -> Style {
    if selected {
        theme.chrome_selection
    } else {
        style
    }
}

pub fn machine_lines<'a>(
    items: &[MachineItem<'_>],
    cursor: usize,
    width: usize,
    rows: usize,
    theme: &Theme,
) -> Vec<Line<'a>> {
    const FIXED: usize = 10 + 9 + 11 + 20 + 4;
    let name_w = width.saturating_sub(FIXED).clamp(12, 64);
    let mut lines = vec![Line::styled(
        clip(
            &format!(
                "{}{:<10}{:>9}{:>11}  {:<20}",
                cell("STATE MACHINE", name_w + 2),
                "TYPE",
                "RUNNING",
                "FAILED 24H",
                "NEWEST RUNNING"
            ),
            width,
        ),
        theme.chrome_title,
    )];
    let body = rows.saturating_sub(1);
    for (i, item) in items
        .iter()
        .enumerate()
        .skip(first_row(cursor, body))
        .take(body)
    {
        let selected = i == cursor;
        let spans = vec![
            Span::styled(
                cell(item.name, name_w + 2),
                row_style(theme, selected, theme.log_text),
            ),
            Span::styled(
                format!("{:<10}", item.kind),
                row_style(theme, selected, theme.chrome_dim),
            ),
            Span::styled(
                format!("{:>9}", item.running),
                row_style(theme, selected, theme.status_running),
            ),
            Span::styled(
                format!("{:>11}", item.failed_24h),
                row_style(theme, selected, tone_style(theme, item.failed_tone)),
            ),
            Span::styled(
                format!("  {}", item.last_start),
                row_style(theme, selected, theme.chrome_dim),
            ),
        ];
        lines.push(Line::from(spans));
    }
    lines
}

pub fn execution_lines<'a>(
    items: &[ExecutionItem<'_>],
    cursor: usize,
    width: usize,
    rows: usize,
    theme: &Theme,
) -> Vec<Line<'a>> {
    const FIXED: usize = 17 + 10 + 10 + 5;
    let name_w = width.saturating_sub(FIXED + 40).clamp(12, 48);
    let stuck_w = width.saturating_sub(FIXED + name_w + 2);
    let header = format!(
        "{}{:<17}{:<10}{:>10}{:>5}  {}",
        cell("EXECUTION", name_w + 2),
        "STATUS",
        "STARTED",
        "DURATION",
        "RDR",
        "STUCK"
    );
    let mut lines = vec![Line::styled(clip(&header, width), theme.chrome_title)];
    let body = rows.saturating_sub(1);
    for (i, item) in items
        .iter()
        .enumerate()
        .skip(first_row(cursor, body))
        .take(body)
    {
        let selected = i == cursor;
        let stuck_style = if item.stuck == "?" {
            theme.chrome_dim
        } else {
            theme.status_stuck
        };
        let spans = vec![
            Span::styled(
                cell(item.name, name_w + 2),
                row_style(theme, selected, theme.log_text),
            ),
            Span::styled(
                format!("{:<17}", item.status),
                row_style(theme, selected, tone_style(theme, item.tone)),
            ),
            Span::styled(
                format!(
                    "{:<10}{:>10}{:>5}  ",
                    item.started, item.duration, item.redrives
                ),
                row_style(theme, selected, theme.chrome_dim),
            ),
            Span::styled(
                clip(item.stuck, stuck_w),
                row_style(theme, selected, stuck_style),
            ),
        ];
        lines.push(Line::from(spans));
    }
    lines
}
