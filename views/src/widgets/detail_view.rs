//! The detail overlay of the logs pane: the selected line in full (pretty, foldable JSON, or
//! the whole text of a multi-line event), or every line of one invocation. Long lines wrap.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use unicode_width::UnicodeWidthChar;

use crate::props::{DetailLine, DetailProps, DetailStyle};
use crate::theme::Theme;

pub fn render(frame: &mut Frame<'_>, body: Rect, props: &DetailProps<'_>, theme: &Theme) {
    let area = body;
    frame.render_widget(Clear, area);
    let position = format!(
        " {}/{} ",
        (props.cursor + 1).min(props.lines.len()),
        props.lines.len()
    );
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.chrome_border_focused)
        .title(Span::styled(
            format!(" {} ", props.title),
            theme.chrome_title,
        ))
        .title_bottom(Line::from(Span::styled(position, theme.chrome_dim)).right_aligned());
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let width = usize::from(inner.width);
    let height = usize::from(inner.height);
    if width == 0 || height == 0 {
        return;
    }
    let first = first_line_drawn(props, width, height);
    let mut rows: Vec<Line<'_>> = Vec::with_capacity(height);
    for (index, line) in props.lines.iter().enumerate().skip(first) {
        if rows.len() >= height {
            break;
        }
        let selected = index == props.cursor;
        for mut row in wrap(line, width, theme) {
            if rows.len() >= height {
                break;
            }
            if selected {
                row = row.style(theme.chrome_selection);
            }
            rows.push(row);
        }
    }
    frame.render_widget(Paragraph::new(rows), inner);
}

/// The first line drawn: the reducer's scroll, moved down when wrapping would push the
/// cursor line off the bottom.
fn first_line_drawn(props: &DetailProps<'_>, width: usize, height: usize) -> usize {
    let cursor = props.cursor.min(props.lines.len().saturating_sub(1));
    let mut first = props.scroll.min(cursor);
    loop {
        let used: usize = props.lines[first..=cursor.max(first)]
            .iter()
            .map(|l| wrapped_height(l, width))
            .sum();
        if used <= height || first >= cursor {
            return first;
        }
        first += 1;
    }
}

pub fn style_of(style: DetailStyle, theme: &Theme) -> Style {
    match style {
        DetailStyle::Heading => theme.chrome_title,
        DetailStyle::Label => theme.chrome_dim,
        DetailStyle::Text => theme.log_text,
        DetailStyle::Key => theme.chrome_key,
        DetailStyle::String => theme.log_info,
        DetailStyle::Number => theme.chart_primary,
        DetailStyle::Literal => theme.chart_secondary,
        DetailStyle::Punct => theme.chrome_dim,
        DetailStyle::Fold => theme.status_running.add_modifier(Modifier::BOLD),
        DetailStyle::Error => theme.log_error,
        DetailStyle::Dim => theme.chrome_dim,
    }
}

/// Screen rows a line takes at `width` columns.
pub fn wrapped_height(line: &DetailLine, width: usize) -> usize {
    let text_width: usize = line
        .parts
        .iter()
        .flat_map(|(_, t)| t.chars())
        .map(|c| c.width().unwrap_or(0))
        .sum();
    let first = width.saturating_sub(line.indent.min(width / 2)).max(1);
    if text_width <= first {
        return 1;
    }
    let rest = width
        .saturating_sub((line.indent + 2).min(width / 2))
        .max(1);
    1 + (text_width - first).div_ceil(rest)
}

/// The screen rows of one line: indented, wrapped at `width`, continuation rows indented two
/// more columns.
pub fn wrap<'a>(line: &'a DetailLine, width: usize, theme: &Theme) -> Vec<Line<'a>> {
    let mut rows = Vec::new();
    let mut spans: Vec<Span<'a>> = vec![Span::raw(" ".repeat(line.indent.min(width / 2)))];
    let mut used = line.indent.min(width / 2);
    for (style, text) in &line.parts {
        let style = style_of(*style, theme);
        let mut piece_start = 0;
        for (i, c) in text.char_indices() {
            let w = c.width().unwrap_or(0);
            if used + w > width && used > 0 {
                if i > piece_start {
                    spans.push(Span::styled(&text[piece_start..i], style));
                }
                rows.push(Line::from(std::mem::take(&mut spans)));
                let indent = (line.indent + 2).min(width / 2);
                spans.push(Span::raw(" ".repeat(indent)));
                used = indent;
                piece_start = i;
            }
            used += w;
        }
        if piece_start < text.len() {
            spans.push(Span::styled(&text[piece_start..], style));
        }
    }
    rows.push(Line::from(spans));
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapping_counts_rows() {
        let line = DetailLine::new(2, vec![(DetailStyle::Text, "x".repeat(25))]);
        assert_eq!(wrapped_height(&line, 10), 4);
        let theme = Theme::default();
        let rows = wrap(&line, 10, &theme);
        assert_eq!(rows.len(), 4);
        let texts: Vec<String> = rows.iter().map(|r| r.to_string()).collect();
        assert_eq!(texts[0], format!("  {}", "x".repeat(8)));
        assert_eq!(texts[1], format!("    {}", "x".repeat(6)));
        assert!(rows.iter().all(|r| r.width() <= 10));
    }
}
