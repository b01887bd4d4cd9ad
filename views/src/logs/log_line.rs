//! Drawing one log row: time, coloured function tag, and the text styled by kind and level
//! (compact JSON rows: the level word coloured, the message, dim `key=value` fields), with
//! the matches of the client-side regex highlighted.

use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

use crate::logs::log_row::{CompactJson, Level, LogRow, RowKind};
use crate::theme::Theme;

/// Columns of `HH:MM:SS.mmm ` before the tag.
pub const TIME_COLUMNS: usize = 13;

/// The style of a level word or of a whole line at that level.
pub fn level_style(level: Option<Level>, theme: &Theme) -> Style {
    match level {
        Some(Level::Error | Level::Fatal) => theme.log_error,
        Some(Level::Warn) => theme.log_warn,
        Some(Level::Info) => theme.log_info,
        Some(Level::Debug | Level::Trace) => theme.log_debug,
        None => theme.log_text,
    }
}

/// The style of a line's text: platform lines dim, errors and warnings coloured.
pub fn text_style(kind: RowKind, level: Option<Level>, theme: &Theme) -> Style {
    match (kind, level) {
        (RowKind::Platform, _) => theme.log_platform,
        (_, Some(Level::Error | Level::Fatal)) => theme.log_error,
        (_, Some(Level::Warn)) => theme.log_warn,
        (_, Some(Level::Debug | Level::Trace)) => theme.log_debug,
        _ => theme.log_text,
    }
}

/// The time and tag columns, then the text.
pub fn row_line<'a>(
    row: &'a LogRow,
    zone: crate::zone::Zone,
    tag_width: usize,
    tag_prefix: &str,
    highlight: Option<&regex::Regex>,
    theme: &Theme,
) -> Line<'a> {
    let mut spans = Vec::with_capacity(8);
    let tag_style = theme.tag_style(&row.group);
    if row.kind == RowKind::Continuation {
        spans.push(Span::raw(" ".repeat(TIME_COLUMNS)));
        spans.push(Span::styled(
            format!("{:<w$} ", "┆", w = tag_width),
            tag_style,
        ));
    } else {
        spans.push(Span::styled(
            zone.row_time(row.timestamp_ms),
            theme.log_timestamp,
        ));
        spans.push(Span::raw(" "));
        let tag = clip(
            crate::logs::logs_view::tag_shown(&row.tag, tag_prefix),
            tag_width,
        );
        spans.push(Span::styled(
            format!("{tag:<w$} ", w = tag_width),
            tag_style.add_modifier(Modifier::BOLD),
        ));
    }
    let base = text_style(row.kind, row.level, theme);
    match row.json.as_deref() {
        Some(json) if compact_offsets_valid(&row.text, json) => {
            let message_style = match row.level {
                Some(Level::Error | Level::Fatal | Level::Warn) => base,
                _ => theme.log_text,
            };
            let segments = [
                (
                    0,
                    json.level_end,
                    level_style(row.level, theme).add_modifier(Modifier::BOLD),
                ),
                (json.level_end, json.message_start, theme.status_running),
                (json.message_start, json.fields_start, message_style),
                (json.fields_start, row.text.len(), theme.chrome_dim),
            ];
            push_highlighted(
                &row.text,
                &segments,
                highlight,
                theme.chrome_match,
                &mut spans,
            );
        }
        _ => push_highlighted(
            &row.text,
            &[(0, row.text.len(), base)],
            highlight,
            theme.chrome_match,
            &mut spans,
        ),
    }
    Line::from(spans)
}

fn compact_offsets_valid(text: &str, json: &CompactJson) -> bool {
    json.level_end <= json.message_start
        && json.message_start <= json.fields_start
        && json.fields_start <= text.len()
        && [json.level_end, json.message_start, json.fields_start]
            .iter()
            .all(|&i| text.is_char_boundary(i))
}

/// `text` cut to `width` columns with a trailing `…` when it is longer.
pub fn clip(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        used += w;
        out.push(c);
    }
    out.push('…');
    out
}

/// Spans for `text` split into styled segments `(start, end, style)` (byte offsets, in
/// order, covering the text), with the non-empty matches of `re` drawn in `hit` style.
pub fn push_highlighted<'a>(
    text: &'a str,
    segments: &[(usize, usize, Style)],
    re: Option<&regex::Regex>,
    hit: Style,
    spans: &mut Vec<Span<'a>>,
) {
    let matches: Vec<(usize, usize)> = re
        .map(|re| {
            re.find_iter(text)
                .filter(|m| m.start() < m.end())
                .map(|m| (m.start(), m.end()))
                .collect()
        })
        .unwrap_or_default();
    let mut next_match = 0;
    for &(start, end, style) in segments {
        if start >= end {
            continue;
        }
        let mut at = start;
        while at < end {
            while next_match < matches.len() && matches[next_match].1 <= at {
                next_match += 1;
            }
            match matches.get(next_match) {
                Some(&(m_start, m_end)) if m_start < end => {
                    let hit_start = m_start.max(at);
                    if hit_start > at {
                        spans.push(Span::styled(&text[at..hit_start], style));
                    }
                    let hit_end = m_end.min(end);
                    spans.push(Span::styled(&text[hit_start..hit_end], style.patch(hit)));
                    at = hit_end;
                }
                _ => {
                    spans.push(Span::styled(&text[at..end], style));
                    at = end;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlights_split_across_segments() {
        let re = regex::Regex::new("lo wo").unwrap();
        let a = Style::default().fg(ratatui::style::Color::Red);
        let b = Style::default().fg(ratatui::style::Color::Blue);
        let hit = Style::default().bg(ratatui::style::Color::Yellow);
        let mut spans = Vec::new();
        push_highlighted(
            "hello world",
            &[(0, 4, a), (4, 11, b)],
            Some(&re),
            hit,
            &mut spans,
        );
        let parts: Vec<(&str, Style)> = spans
            .iter()
            .map(|s| (s.content.as_ref(), s.style))
            .collect();
        assert_eq!(
            parts,
            [
                ("hel", a),
                ("l", a.patch(hit)),
                ("o wo", b.patch(hit)),
                ("rld", b)
            ]
        );
    }

    #[test]
    fn clip_keeps_width() {
        assert_eq!(clip("tax-validate-submission", 10), "tax-valid…");
        assert_eq!(clip("short", 10), "short");
    }
}
