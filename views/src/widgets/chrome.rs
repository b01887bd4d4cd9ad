//! Header, status line and footer.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::props::{AppProps, Hint, StatusLevel};
use crate::theme::Theme;
use crate::widgets::layout::tab_labels;

pub fn render_header(frame: &mut Frame<'_>, area: Rect, props: &AppProps<'_>) {
    let theme = props.theme;
    let h = &props.header;
    let base = theme.chrome_header;
    let mut spans = vec![Span::styled(
        "unstuck ",
        base.add_modifier(ratatui::style::Modifier::BOLD),
    )];
    for (i, label) in tab_labels(h.tabs, h.active_tab, area.width)
        .into_iter()
        .enumerate()
    {
        let style = if i == h.active_tab {
            theme
                .chrome_selection
                .add_modifier(ratatui::style::Modifier::BOLD)
        } else {
            base
        };
        spans.push(Span::styled(label, style));
        spans.push(Span::styled(" ", base));
    }
    // Right-hand items, most important first; the least important are dropped when the
    // terminal is too narrow for all of them.
    let mut right: Vec<Span<'_>> = Vec::new();
    if h.read_only {
        right.push(Span::styled(" READ-ONLY ", theme.chrome_read_only));
    }
    if h.stale {
        right.push(Span::styled(
            " STALE ",
            theme
                .status_stale
                .add_modifier(ratatui::style::Modifier::REVERSED),
        ));
    }
    if h.is_demo {
        right.push(Span::styled(" DEMO ", theme.chrome_badge));
    } else {
        right.push(Span::styled(format!(" {} ", h.profile), theme.chrome_badge));
    }
    right.push(Span::styled(format!(" {}", h.region), base));
    let refreshed = h
        .last_refresh_ms
        .map_or_else(|| "--:--:--".to_string(), |ms| h.zone.clock(ms));
    // `Z` (UTC, ISO 8601) or the local offset (`+01`): which zone every time on screen is in,
    // short enough to keep calls/min at 80 columns.
    right.push(Span::styled(
        format!(" ↻ {refreshed}{}", h.zone.suffix()),
        base,
    ));
    if let Some(calls) = h.calls_per_minute {
        right.push(Span::styled(format!(" {calls} calls/min"), base));
    }
    if let Some(cost) = &h.cost_per_hour {
        right.push(Span::styled(format!(" {cost}"), base));
    }
    if let Some(account) = h.account {
        right.push(Span::styled(format!(" {account}"), base));
    }
    if let Some(endpoint) = h.endpoint {
        right.push(Span::styled(format!(" @{endpoint}"), base));
    }
    let left_w: usize = spans.iter().map(|s| s.width()).sum();
    while right.len() > 1
        && left_w + right.iter().map(|s| s.width()).sum::<usize>() + 1 > usize::from(area.width)
    {
        right.pop();
    }
    right.push(Span::styled(" ", base));
    let right_w: usize = right.iter().map(|s| s.width()).sum();
    let pad = usize::from(area.width).saturating_sub(left_w + right_w);
    spans.push(Span::styled(" ".repeat(pad), base));
    spans.extend(right);
    frame.render_widget(Paragraph::new(Line::from(spans)).style(base), area);
}

pub fn render_status(frame: &mut Frame<'_>, area: Rect, props: &AppProps<'_>) {
    let theme = props.theme;
    let line = match &props.status {
        Some(status) => {
            let (style, mark) = match status.level {
                StatusLevel::Info => (theme.status_info, ""),
                StatusLevel::Warn => (theme.status_stale, "⚠ "),
                StatusLevel::Error => (theme.status_failed, "✗ "),
            };
            Line::from(Span::styled(format!("{mark}{}", status.text), style))
        }
        None => Line::default(),
    };
    frame.render_widget(Paragraph::new(line), area);
}

pub fn render_footer(frame: &mut Frame<'_>, area: Rect, props: &AppProps<'_>) {
    let theme = props.theme;
    let width = usize::from(area.width);
    let piece = |hint: &Hint| hint.key.chars().count() + hint.desc.chars().count() + 3;
    let pinned_w: usize = props.footer_pinned.iter().map(piece).sum();
    // The pinned hints stay while they fit at all; the pane's give way first.
    let room = width.saturating_sub(pinned_w);
    let mut spans = Vec::new();
    let mut used = 0usize;
    for hint in props.footer {
        if used + piece(hint) > room {
            break;
        }
        used += piece(hint);
        spans.extend(hint_spans(hint, theme));
    }
    if pinned_w <= width {
        spans.push(Span::raw(" ".repeat(width - used - pinned_w)));
        for hint in props.footer_pinned {
            spans.extend(hint_spans(hint, theme));
        }
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn hint_spans<'a>(hint: &'a Hint, theme: &Theme) -> [Span<'a>; 2] {
    [
        Span::styled(hint.key.as_str(), theme.chrome_key),
        Span::styled(format!(" {}  ", hint.desc), theme.chrome_footer),
    ]
}
