//! The overview: what is on fire, most severe and newest first, then what was checked and
//! found healthy, and how fresh each part is.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

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
    /// `02:31:00` in the chosen zone.
    pub since_clock: Option<String>,
    /// `16m ago`.
    pub since_ago: Option<String>,
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
    /// "4 alarms OK", "1 canary passing", ...
    pub healthy: Vec<String>,
    pub parts: Vec<PartItem>,
}

/// Below this width the table drops the clock time (the age stays) and shortens the
/// severity, so the summary keeps room on an 80-column terminal.
const WIDE: usize = 110;
/// Rows at most for the selected finding's whole summary.
const DETAIL_ROWS: usize = 3;
/// Rows at most for the healthy counts.
const HEALTHY_ROWS: usize = 2;

struct Columns {
    wide: bool,
    resource: usize,
    since: usize,
}

impl Columns {
    fn at(width: usize) -> Self {
        let wide = width >= WIDE;
        let since = if wide { 22 } else { 11 };
        let fixed = if wide { 2 + 9 + 11 + 1 } else { 2 + 5 + 11 + 1 };
        let resource = width
            .saturating_sub(fixed + since + 20)
            .clamp(14, if wide { 36 } else { 22 });
        Self {
            wide,
            resource,
            since,
        }
    }

    fn row(
        &self,
        mark: &str,
        severity: (&str, &str),
        kind: &str,
        resource: &str,
        since: &str,
        what: &str,
    ) -> String {
        let (severity, severity_w) = if self.wide {
            (severity.0, 9)
        } else {
            (severity.1, 5)
        };
        format!(
            "{mark} {severity:<severity_w$}{kind:<11}{} {}{what}",
            cell(resource, self.resource),
            cell(since, self.since)
        )
    }
}

pub fn render(frame: &mut Frame<'_>, area: Rect, props: &OverviewProps<'_>, theme: &Theme) {
    let block = pane_block(format!(" {} ", props.title), theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let width = usize::from(inner.width);
    let height = usize::from(inner.height);
    let mut lines = status_lines(&props.state, &props.hint, width, theme);
    lines.extend(freshness_lines(&props.parts, width, theme));
    let cols = Columns::at(width);
    lines.push(Line::styled(
        clip(
            &cols.row(
                " ",
                ("SEVERITY", "SEV"),
                "KIND",
                "RESOURCE",
                "SINCE",
                "WHAT",
            ),
            width,
        ),
        theme.chrome_title,
    ));
    let detail = props
        .items
        .get(props.cursor)
        .map(|item| detail_lines(item, width, theme))
        .unwrap_or_default();
    let healthy = packed(
        "healthy: ",
        props.healthy.iter().map(String::as_str),
        " · ",
        width,
        HEALTHY_ROWS,
    );
    let footer = detail.len() + healthy.len();
    let body = height.saturating_sub(lines.len() + footer);
    if props.items.is_empty() && props.state == Loadable::Ready {
        lines.push(Line::styled(
            clip(
                "  nothing is on fire: every part checked below is healthy",
                width,
            ),
            theme.status_ok,
        ));
    }
    // A list longer than the room keeps its last row to say how many more are below.
    let shown = if props.items.len() > body {
        body.saturating_sub(1)
    } else {
        body
    };
    let first = first_row(props.cursor, shown);
    for (i, item) in props.items.iter().enumerate().skip(first).take(shown) {
        let style = if i == props.cursor {
            theme.chrome_selection
        } else if item.critical {
            theme.status_failed
        } else {
            theme.status_stuck
        };
        let since = if cols.wide {
            match (&item.since_clock, &item.since_ago) {
                (Some(clock), Some(ago)) => format!("{clock} ({ago})"),
                _ => "–".to_string(),
            }
        } else {
            item.since_ago.clone().unwrap_or_else(|| "–".to_string())
        };
        let text = cols.row(
            if i == props.cursor { "›" } else { " " },
            if item.critical {
                ("CRITICAL", "CRIT")
            } else {
                ("warning", "warn")
            },
            item.kind,
            item.resource,
            &since,
            item.summary,
        );
        lines.push(Line::styled(clip(&text, width), style));
    }
    let below = props.items.len().saturating_sub(first + shown);
    if below > 0 {
        lines.push(Line::styled(
            clip(&format!("  ↓ {below} more"), width),
            theme.chrome_dim,
        ));
    }
    for _ in lines.len()..height.saturating_sub(footer) {
        lines.push(Line::default());
    }
    lines.extend(detail);
    lines.extend(
        healthy
            .into_iter()
            .map(|row| Line::styled(row, theme.status_ok)),
    );
    frame.render_widget(Paragraph::new(lines), inner);
}

/// "fresh: alarms 2s  canaries 2s ..." on as many rows as the width needs, the failed parts
/// in the failed colour.
fn freshness_lines<'a>(parts: &[PartItem], width: usize, theme: &Theme) -> Vec<Line<'a>> {
    let mut rows: Vec<Line<'a>> = Vec::new();
    let mut row: Vec<Span<'a>> = vec![Span::styled("fresh: ", theme.chrome_dim)];
    let mut used = "fresh: ".len();
    for p in parts {
        let text = format!("{} {}  ", p.label, p.freshness);
        let w = text.width();
        if used + w > width + 2 && used > "fresh: ".len() {
            rows.push(Line::from(std::mem::take(&mut row)));
            row.push(Span::raw("       "));
            used = "fresh: ".len();
        }
        used += w;
        let style = if p.failed {
            theme.status_failed
        } else {
            theme.chrome_dim
        };
        row.push(Span::styled(text, style));
    }
    rows.push(Line::from(row));
    rows
}

/// The selected finding's whole summary, word-wrapped under its resource.
fn detail_lines<'a>(item: &FindingItem<'_>, width: usize, theme: &Theme) -> Vec<Line<'a>> {
    let words = std::iter::once(item.resource)
        .chain(std::iter::once("—"))
        .chain(item.summary.split(' '));
    packed("› ", words, " ", width, DETAIL_ROWS)
        .into_iter()
        .map(|row| Line::styled(row, theme.chrome_title))
        .collect()
}

/// `pieces` joined by `sep` after `lead`, broken into rows of at most `width` columns where a
/// piece ends (a piece longer than a row is clipped), at most `max_rows` rows, the last one
/// ending in `…` when pieces were left out. Continuation rows are indented like the first
/// row's text.
fn packed<'p>(
    lead: &str,
    pieces: impl Iterator<Item = &'p str>,
    sep: &str,
    width: usize,
    max_rows: usize,
) -> Vec<String> {
    let indent = " ".repeat(lead.width().min(width / 2));
    let mut rows: Vec<String> = Vec::new();
    let mut row = lead.to_string();
    let mut row_has_piece = false;
    let mut truncated = false;
    for piece in pieces {
        let joined = if row_has_piece { sep } else { "" };
        if row_has_piece && row.width() + joined.width() + piece.width() > width {
            if rows.len() + 1 == max_rows {
                truncated = true;
                break;
            }
            rows.push(std::mem::replace(&mut row, indent.clone()));
            row.push_str(piece);
        } else {
            row.push_str(joined);
            row.push_str(piece);
        }
        row_has_piece = true;
    }
    if truncated {
        row.push_str(" …");
        if row.width() > width {
            row = format!("{}…", clip(&row, width.saturating_sub(1)));
        }
    }
    rows.push(clip(&row, width));
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packed_breaks_between_pieces_and_says_when_it_left_some_out() {
        let pieces = [
            "3 alarms OK",
            "1 canary passing",
            "5 queues without dead letters",
        ];
        let rows = packed("healthy: ", pieces.into_iter(), " · ", 40, 2);
        assert_eq!(
            rows,
            [
                "healthy: 3 alarms OK · 1 canary passing",
                "         5 queues without dead letters",
            ]
        );
        let rows = packed("healthy: ", pieces.into_iter(), " · ", 30, 2);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0], "healthy: 3 alarms OK");
        assert!(rows[1].ends_with('…'), "{rows:?}");
        assert!(rows.iter().all(|r| r.width() <= 30), "{rows:?}");
    }

    #[test]
    fn narrow_columns_leave_the_summary_room() {
        let narrow = Columns::at(78);
        let row = narrow.row(
            " ",
            ("CRITICAL", "CRIT"),
            "function",
            "tax-calculate-refund",
            "12m02s ago",
            "",
        );
        assert!(
            78 - row.width() >= 25,
            "{row:?} leaves {}",
            78 - row.width()
        );
        let wide = Columns::at(158);
        assert!(wide.wide && !narrow.wide);
    }
}
