//! The queues pane: the queue table (counts, a depth sparkline of our own polls, DLQs with
//! messages first and marked) and one queue's messages as peeked (with their groups by body
//! shape, and the selected message below).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use crate::executions::lists_view::{cell, first_row};
use crate::logs::log_line::clip;
use crate::props::Loadable;
use crate::theme::Theme;
use crate::widgets::pane_frame::{pane_block, status_lines};
use crate::widgets::sparkline::sparkline_counts;

pub struct QueueItem<'a> {
    pub name: &'a str,
    pub fifo: bool,
    pub visible: u64,
    pub in_flight: u64,
    pub delayed: u64,
    /// "DLQ of tax-refund-calculation" or "-> tax-refund-calculation-dlq".
    pub link: String,
    /// Visible messages at each of our last polls, oldest first.
    pub depths: Vec<u64>,
    /// A DLQ holding messages: drawn in the failed colour.
    pub alarming: bool,
    pub moving: Option<String>,
    /// How long the oldest message has waited ("4m12s"), empty when not known.
    pub oldest: String,
}

pub struct MessageItem<'a> {
    pub id: &'a str,
    pub sent: String,
    pub receives: String,
    pub source: String,
    pub summary: String,
}

pub enum QueuesBody<'a> {
    Table {
        items: Vec<QueueItem<'a>>,
        cursor: usize,
    },
    Messages {
        items: Vec<MessageItem<'a>>,
        cursor: usize,
        /// Body shapes (or error attributes) with their counts.
        groups: Vec<(String, usize)>,
        /// The selected message, as lines (attributes, pretty body).
        detail: Vec<String>,
    },
}

pub struct QueuesProps<'a> {
    pub title: String,
    pub state: Loadable,
    pub hint: String,
    /// What a receive does, or a run's progress.
    pub note: Option<String>,
    pub body: QueuesBody<'a>,
}

pub fn render(frame: &mut Frame<'_>, area: Rect, props: &QueuesProps<'_>, theme: &Theme) {
    let block = pane_block(format!(" {} ", props.title), theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let width = usize::from(inner.width);
    let mut lines = status_lines(&props.state, &props.hint, width, theme);
    if let Some(note) = &props.note {
        lines.push(Line::styled(clip(note, width), theme.status_stale));
    }
    let rows = usize::from(inner.height).saturating_sub(lines.len());
    match &props.body {
        QueuesBody::Table { items, cursor } => {
            table(&mut lines, items, *cursor, width, rows, theme)
        }
        QueuesBody::Messages {
            items,
            cursor,
            groups,
            detail,
        } => {
            let shapes: Vec<String> = groups.iter().map(|(g, n)| format!("{n}× {g}")).collect();
            lines.push(Line::styled(
                clip(&format!("groups: {}", shapes.join("  ·  ")), width),
                theme.chrome_dim,
            ));
            let list_rows = (rows.saturating_sub(1) / 2).max(3);
            messages(&mut lines, items, *cursor, width, list_rows, theme);
            for text in detail.iter().take(rows.saturating_sub(list_rows + 1)) {
                lines.push(Line::styled(clip(text, width), theme.log_text));
            }
        }
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

fn table<'a>(
    lines: &mut Vec<Line<'a>>,
    items: &[QueueItem<'_>],
    cursor: usize,
    width: usize,
    rows: usize,
    theme: &Theme,
) {
    const FIXED: usize = 5 + 9 + 10 + 8 + 8 + 14 + 4;
    let name_w = width.saturating_sub(FIXED + 30).clamp(16, 48);
    let link_w = width.saturating_sub(FIXED + name_w).max(8);
    lines.push(Line::styled(
        clip(
            &format!(
                "{}{:<5}{:>9}{:>10}{:>8}{:>8}  {:<12}  {}",
                cell("QUEUE", name_w),
                "TYPE",
                "VISIBLE",
                "IN FLIGHT",
                "DELAYED",
                "OLDEST",
                "DEPTH",
                "DLQ / DLQ OF"
            ),
            width,
        ),
        theme.chrome_title,
    ));
    if items.is_empty() {
        lines.push(Line::styled(
            "no queues in this account and region",
            theme.chrome_dim,
        ));
    }
    let body = rows.saturating_sub(1);
    for (i, item) in items
        .iter()
        .enumerate()
        .skip(first_row(cursor, body))
        .take(body)
    {
        let style = if i == cursor {
            theme.chrome_selection
        } else if item.alarming {
            theme.status_failed
        } else {
            theme.log_text
        };
        let link = match &item.moving {
            Some(m) => format!("{}  [{m}]", item.link),
            None => item.link.clone(),
        };
        let text = format!(
            "{}{:<5}{:>9}{:>10}{:>8}{:>8}  {}  {}",
            cell(item.name, name_w),
            if item.fifo { "fifo" } else { "std" },
            item.visible,
            item.in_flight,
            item.delayed,
            item.oldest,
            sparkline_counts(&item.depths, 12),
            cell(&link, link_w)
        );
        lines.push(Line::styled(clip(&text, width), style));
    }
}

fn messages<'a>(
    lines: &mut Vec<Line<'a>>,
    items: &[MessageItem<'_>],
    cursor: usize,
    width: usize,
    rows: usize,
    theme: &Theme,
) {
    lines.push(Line::styled(
        clip(
            &format!(
                "  {:<38}{:<22}{:>5}  {:<26}{}",
                "MESSAGE", "SENT", "RECV", "FROM", "BODY"
            ),
            width,
        ),
        theme.chrome_title,
    ));
    if items.is_empty() {
        lines.push(Line::styled(
            "no messages read (enter reads again)",
            theme.chrome_dim,
        ));
    }
    let body = rows.saturating_sub(1);
    for (i, m) in items
        .iter()
        .enumerate()
        .skip(first_row(cursor, body))
        .take(body)
    {
        let style = if i == cursor {
            theme.chrome_selection
        } else {
            theme.log_text
        };
        let text = format!(
            "  {} {:<22}{:>5}  {}{}",
            cell(m.id, 37),
            m.sent,
            m.receives,
            cell(&m.source, 26),
            m.summary
        );
        lines.push(Line::styled(clip(&text, width), style));
    }
}
