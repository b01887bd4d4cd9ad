//! The log-group chooser: a filterable, multi-select list.

use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::props::{GroupItem, GroupStatus, GroupsProps};
use crate::props::Loadable;
use crate::theme::Theme;

pub fn render(frame: &mut Frame<'_>, area: Rect, props: &GroupsProps<'_>, theme: &Theme) {
    let stale = matches!(props.state, Loadable::Stale(_));
    let title = format!(
        " log groups · {} shown of {} · {} selected · by {}{} ",
        props.items.len(),
        props.total,
        props.selected_count,
        props.sort.word(),
        if stale { " · STALE" } else { "" }
    );
    let mut block = crate::widgets::pane_frame::pane_block(title, theme);
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

    let columns = Columns::fitting(usize::from(inner.width));
    let header = columns.header(theme);
    let height = usize::from(inner.height).saturating_sub(1);
    let lines: Vec<Line<'_>> = std::iter::once(header)
        .chain(
            props
                .items
                .iter()
                .enumerate()
                .skip(props.offset)
                .take(height)
                .map(|(i, item)| {
                    let line = columns.row(item, props, theme);
                    if i == props.cursor {
                        line.style(theme.chrome_selection)
                    } else {
                        line
                    }
                }),
        )
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

/// Which columns fit: the name gets what the others leave, at least `MIN_NAME`; the
/// others drop off from the right end as the width shrinks.
struct Columns {
    name: usize,
    /// How many of `EXTRA` are shown.
    extra: usize,
}

const MARK: usize = 4;
const MIN_NAME: usize = 20;
/// Title and width of each column after the name, in the order they give way (last first).
const EXTRA: [(&str, usize); 6] = [
    ("LAST EVENT", 11),
    ("EV/MIN", 7),
    ("ERR/MIN", 8),
    ("STORED", 10),
    ("RETAIN", 7),
    ("POLLED", 12),
];

impl Columns {
    fn fitting(width: usize) -> Self {
        let mut extra = EXTRA.len();
        while extra > 0
            && MARK + MIN_NAME + EXTRA[..extra].iter().map(|c| c.1).sum::<usize>() > width
        {
            extra -= 1;
        }
        let used: usize = EXTRA[..extra].iter().map(|c| c.1).sum();
        Self {
            name: width.saturating_sub(MARK + used).max(1),
            extra,
        }
    }

    fn header<'a>(&self, theme: &Theme) -> Line<'a> {
        let mut text = format!("{:MARK$}{:<w$}", "", "NAME", w = self.name);
        for (title, width) in &EXTRA[..self.extra] {
            text.push_str(&format!("{title:>width$}"));
        }
        Line::from(Span::styled(text, theme.chrome_dim))
    }

    fn row<'a>(&self, item: &GroupItem<'a>, props: &GroupsProps<'_>, theme: &Theme) -> Line<'a> {
        let mark = if item.selected { "[x] " } else { "[ ] " };
        let status_style = match item.status {
            GroupStatus::Failing => theme.status_failed,
            GroupStatus::Erroring => theme.log_error,
            GroupStatus::Quiet => theme.chrome_dim,
            GroupStatus::Active | GroupStatus::Untailed => theme.tag_style(item.name),
        };
        let mut spans = vec![
            Span::styled(
                mark,
                if item.selected {
                    theme.status_ok
                } else {
                    theme.chrome_dim
                },
            ),
            Span::styled(
                format!("{:<w$}", clip(item.name, self.name), w = self.name),
                status_style,
            ),
        ];
        let dash = || "—".to_string();
        let now = props.now_ms;
        for (k, (_, width)) in EXTRA[..self.extra].iter().enumerate() {
            let (text, style) = match k {
                0 => (
                    item.last_event_ms.map_or_else(dash, |t| ago(now - t)),
                    theme.chrome_dim,
                ),
                1 => (
                    item.events_per_min.map_or_else(dash, |n| n.to_string()),
                    theme.log_text,
                ),
                2 => (
                    item.errors_per_min.map_or_else(dash, |n| n.to_string()),
                    if item.errors_per_min.unwrap_or(0) > 0 {
                        theme.log_error
                    } else {
                        theme.log_text
                    },
                ),
                3 => (
                    item.stored_bytes.map_or_else(dash, human_bytes),
                    theme.chrome_dim,
                ),
                4 => (
                    item.retention_days
                        .map_or_else(|| "never".to_string(), |d| format!("{d}d")),
                    theme.chrome_dim,
                ),
                _ => (
                    match (item.polled_ms, item.poll_every_ms) {
                        (Some(at), Some(every)) => {
                            format!("{}/{}", short(now - at), short(every))
                        }
                        (Some(at), None) => ago(now - at),
                        _ => dash(),
                    },
                    if item.status == GroupStatus::Failing {
                        theme.status_failed
                    } else {
                        theme.chrome_dim
                    },
                ),
            };
            spans.push(Span::styled(format!("{text:>width$}"), style));
        }
        Line::from(spans)
    }
}

/// `12s ago`, `3m ago`, `2h ago`, `4d ago`.
fn ago(ms: i64) -> String {
    format!("{} ago", short(ms))
}

fn short(ms: i64) -> String {
    if (0..1_000).contains(&ms) {
        return format!("{:.1}s", ms as f64 / 1_000.0);
    }
    let s = ms.max(0) / 1_000;
    match s {
        0..60 => format!("{s}s"),
        60..3_600 => format!("{}m", s / 60),
        3_600..86_400 => format!("{}h", s / 3_600),
        _ => format!("{}d", s / 86_400),
    }
}

/// `name` cut to `width` columns from the left (`…tax-validate-submission`): the end of a
/// log group's name is what tells groups apart.
fn clip(name: &str, width: usize) -> String {
    use unicode_width::UnicodeWidthChar;
    if unicode_width::UnicodeWidthStr::width(name) <= width {
        return name.to_string();
    }
    let mut kept = Vec::new();
    let mut used = 1;
    for c in name.chars().rev() {
        let w = c.width().unwrap_or(0);
        if used + w > width {
            break;
        }
        used += w;
        kept.push(c);
    }
    std::iter::once('…').chain(kept.into_iter().rev()).collect()
}

/// "1.2 MB" style sizes (powers of 1024).
pub fn human_bytes(bytes: i64) -> String {
    const UNITS: [&str; 5] = ["B", "KB", "MB", "GB", "TB"];
    match scaled(bytes.max(0) as f64, 1024.0, UNITS.len()) {
        (_, 0) => format!("{bytes} B"),
        (value, unit) => format!("{value:.1} {}", UNITS[unit]),
    }
}

/// Sizes in powers of 1000, as AWS bills them: "12.3 MB".
pub fn decimal_bytes(bytes: f64) -> String {
    const UNITS: [&str; 5] = ["B", "kB", "MB", "GB", "TB"];
    match scaled(bytes.max(0.0), 1000.0, UNITS.len()) {
        (value, 0) => format!("{value:.0} B"),
        (value, unit) => format!("{value:.1} {}", UNITS[unit]),
    }
}

/// `value` divided by `step` until it is below it (at most `units - 1` times), and how often.
fn scaled(mut value: f64, step: f64, units: usize) -> (f64, usize) {
    let mut unit = 0;
    while value >= step && unit + 1 < units {
        value /= step;
        unit += 1;
    }
    (value, unit)
}
