//! The overview: what is on fire, most severe and newest first, then what was checked and
//! found healthy, and how fresh each part is.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::executions::lists_view::{cell, first_row};
use crate::logs::log_line::clip;
use crate::props::Loadable;
use crate::theme::Theme;
use crate::widgets::pane_frame::{pane_block, status_lines};

pub struct FindingItem<'a> {
    pub critical: bool,
    pub kind: &'static str,
    pub resource: &'a str,
    pub summary: &'a str,
    /// `02:31:00 (16m ago)`.
    pub since: Option<String>,
}

/// One polled part and how old it is.
pub struct PartItem {
    pub label: &'static str,
    pub freshness: String,
    pub failed: bool,
}

pub struct OverviewProps<'a> {
    pub title: String,
    pub state: Loadable,
    pub hint: String,
    pub items: Vec<FindingItem<'a>>,
    pub cursor: usize,
    /// "4 alarms OK · 1 canaries passing · ...".
    pub healthy: String,
    pub parts: Vec<PartItem>,
}

pub fn render(frame: &mut Frame<'_>, area: Rect, props: &OverviewProps<'_>, theme: &Theme) {
    let block = pane_block(format!(" {} ", props.title), theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let width = usize::from(inner.width);
    let mut lines = status_lines(&props.state, &props.hint, width, theme);
    let mut parts: Vec<Span<'_>> = vec![Span::styled("fresh: ", theme.chrome_dim)];
    for p in &props.parts {
        let style = if p.failed {
            theme.status_failed
        } else {
            theme.chrome_dim
        };
        parts.push(Span::styled(
            format!("{} {}  ", p.label, p.freshness),
            style,
        ));
    }
    lines.push(Line::from(parts));
    let footer = 2;
    let rows = usize::from(inner.height).saturating_sub(lines.len() + footer);
    let resource_w = width.saturating_sub(13 + 22 + 20).clamp(14, 36);
    lines.push(Line::styled(
        clip(
            &format!(
                "  {:<9}{:<11}{} {:<22}{}",
                "SEVERITY",
                "KIND",
                cell("RESOURCE", resource_w),
                "SINCE",
                "WHAT"
            ),
            width,
        ),
        theme.chrome_title,
    ));
    let body = rows.saturating_sub(1);
    if props.items.is_empty() && props.state == Loadable::Ready {
        lines.push(Line::styled(
            "  nothing is on fire: every part checked below is healthy",
            theme.status_ok,
        ));
    }
    for (i, item) in props
        .items
        .iter()
        .enumerate()
        .skip(first_row(props.cursor, body))
        .take(body)
    {
        let style = if i == props.cursor {
            theme.chrome_selection
        } else if item.critical {
            theme.status_failed
        } else {
            theme.status_stuck
        };
        let text = format!(
            "{} {:<9}{:<11}{} {:<22}{}",
            if i == props.cursor { "›" } else { " " },
            if item.critical { "CRITICAL" } else { "warning" },
            item.kind,
            cell(item.resource, resource_w),
            item.since.as_deref().unwrap_or("–"),
            item.summary
        );
        lines.push(Line::styled(clip(&text, width), style));
    }
    let used = lines.len();
    for _ in used..usize::from(inner.height).saturating_sub(footer) {
        lines.push(Line::default());
    }
    lines.push(Line::styled(clip("healthy:", width), theme.chrome_dim));
    lines.push(Line::styled(
        clip(&format!("  {}", props.healthy), width),
        theme.status_ok,
    ));
    frame.render_widget(Paragraph::new(lines), inner);
}
