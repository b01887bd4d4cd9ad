//! Fitting a log row to the width: the time and tag columns stay; the text is scrolled
//! sideways by some columns, or wrapped onto continuation lines indented under the text.

use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthChar;

/// Split `spans` after `cols` display columns: (left part, the rest). A wide character that
/// would straddle the cut goes to the right.
pub fn split_at_cols<'a>(spans: Vec<Span<'a>>, cols: usize) -> (Vec<Span<'a>>, Vec<Span<'a>>) {
    let mut left = Vec::new();
    let mut right = Vec::new();
    let mut used = 0;
    for span in spans {
        if used >= cols {
            right.push(span);
            continue;
        }
        let mut cut = span.content.len();
        let mut width = 0;
        for (i, c) in span.content.char_indices() {
            let w = c.width().unwrap_or(0);
            if used + width + w > cols {
                cut = i;
                break;
            }
            width += w;
        }
        used += width;
        if cut >= span.content.len() {
            left.push(span);
            continue;
        }
        let (head, tail) = match span.content {
            std::borrow::Cow::Borrowed(text) => (
                std::borrow::Cow::Borrowed(&text[..cut]),
                std::borrow::Cow::Borrowed(&text[cut..]),
            ),
            std::borrow::Cow::Owned(text) => (
                std::borrow::Cow::Owned(text[..cut].to_string()),
                std::borrow::Cow::Owned(text[cut..].to_string()),
            ),
        };
        if !head.is_empty() {
            left.push(Span::styled(head, span.style));
        }
        right.push(Span::styled(tail, span.style));
        // Nothing more fits on the left once a span was cut.
        used = cols;
    }
    (left, right)
}

/// Lay out one row: `prefix_cols` columns of time and tag, then the text. `h_scroll` columns
/// of text are skipped; with `wrap`, the text continues on further lines instead of being cut.
pub fn fit_row<'a>(
    line: Line<'a>,
    prefix_cols: usize,
    width: usize,
    h_scroll: usize,
    wrap: bool,
) -> Vec<Line<'a>> {
    let style = line.style;
    let (prefix, text) = split_at_cols(line.spans, prefix_cols);
    let room = width.saturating_sub(prefix_cols).max(1);
    if !wrap {
        let (_, shown) = split_at_cols(text, h_scroll);
        let mut spans = prefix;
        spans.extend(shown);
        return vec![Line::from(spans).style(style)];
    }
    let mut lines = Vec::new();
    let mut rest = text;
    let mut first = Some(prefix);
    loop {
        let (part, tail) = split_at_cols(rest, room);
        let mut spans = first
            .take()
            .unwrap_or_else(|| vec![Span::raw(" ".repeat(prefix_cols))]);
        spans.extend(part);
        lines.push(Line::from(spans).style(style));
        if tail.iter().all(|s| s.content.is_empty()) {
            return lines;
        }
        rest = tail;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(line: &Line<'_>) -> String {
        line.spans.iter().map(|s| s.content.as_ref()).collect()
    }

    fn row() -> Line<'static> {
        Line::from(vec![
            Span::raw("02:45:00.000 "),
            Span::raw("fn "),
            Span::raw("hello "),
            Span::raw("wide 界 world"),
        ])
    }

    #[test]
    fn scrolls_the_text_and_keeps_time_and_tag() {
        let lines = fit_row(row(), 16, 40, 6, false);
        assert_eq!(lines.len(), 1);
        assert_eq!(text(&lines[0]), "02:45:00.000 fn wide 界 world");
    }

    #[test]
    fn wraps_under_the_text_column() {
        let lines = fit_row(row(), 16, 24, 0, true);
        let texts: Vec<String> = lines.iter().map(text).collect();
        assert_eq!(
            texts,
            [
                "02:45:00.000 fn hello wi",
                "                de 界 wo",
                "                rld"
            ]
        );
    }

    #[test]
    fn a_wide_character_never_straddles_the_cut() {
        let (left, right) = split_at_cols(vec![Span::raw("ab界c")], 3);
        assert_eq!(left[0].content, "ab");
        assert_eq!(right[0].content, "界c");
    }
}
