//! The `:` command palette and `/` filter input, drawn over the status line, with the
//! completion candidates listed just above it.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use crate::props::PromptProps;
use crate::theme::Theme;

const MAX_CANDIDATES: usize = 8;

pub fn render(
    frame: &mut Frame<'_>,
    body: Rect,
    status: Rect,
    props: &PromptProps<'_>,
    theme: &Theme,
) {
    let mut spans = vec![
        Span::styled(props.prefix.to_string(), theme.chrome_key),
        Span::styled(props.input.to_string(), theme.log_text),
    ];
    if let Some(err) = props.error {
        spans.push(Span::styled(format!("   {err}"), theme.status_failed));
    }
    frame.render_widget(Clear, status);
    frame.render_widget(Paragraph::new(Line::from(spans)), status);
    let cursor_x =
        status.x + u16::try_from(props.prefix.chars().count() + props.cursor).unwrap_or(u16::MAX);
    frame.set_cursor_position(Position::new(
        cursor_x.min(status.right().saturating_sub(1)),
        status.y,
    ));

    if props.candidates.is_empty() || body.height < 3 {
        return;
    }
    let shown = props.candidates.len().min(MAX_CANDIDATES);
    let first = props
        .selected_candidate
        .map_or(0, |s| s.saturating_sub(shown - 1));
    let text_w = props
        .candidates
        .iter()
        .map(|c| c.text.chars().count())
        .max()
        .unwrap_or(0);
    let desc_w = props
        .candidates
        .iter()
        .map(|c| c.desc.chars().count())
        .max()
        .unwrap_or(0);
    let wanted = if desc_w == 0 {
        text_w
    } else {
        text_w + 3 + desc_w
    };
    let width = wanted.clamp(16, usize::from(body.width).saturating_sub(2));
    let height = u16::try_from(shown + 2)
        .unwrap_or(u16::MAX)
        .min(body.height);
    let area = Rect::new(
        body.x,
        body.bottom().saturating_sub(height),
        u16::try_from(width + 2).unwrap_or(u16::MAX).min(body.width),
        height,
    );
    frame.render_widget(Clear, area);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.chrome_border);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let lines: Vec<Line<'_>> = props
        .candidates
        .iter()
        .enumerate()
        .skip(first)
        .take(shown)
        .map(|(i, c)| {
            let mut spans = vec![Span::styled(format!("{:<text_w$}", c.text), theme.log_text)];
            if !c.desc.is_empty() {
                spans.push(Span::styled(format!("   {}", c.desc), theme.chrome_dim));
            }
            let line = Line::from(spans);
            if Some(i) == props.selected_candidate {
                line.style(theme.chrome_selection)
            } else {
                line
            }
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}
