//! A centred dialog box: every configuration error found at start-up, or (for mutations)
//! a confirmation with its concrete summary and, for bulk ones, the name to type.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use crate::props::DialogProps;
use crate::theme::Theme;

pub fn render(frame: &mut Frame<'_>, body: Rect, props: &DialogProps<'_>, theme: &Theme) {
    let width = body.width.saturating_sub(4).clamp(1, 90);
    let wanted = u16::try_from(props.lines.len() + 4).unwrap_or(u16::MAX);
    let height = wanted.min(body.height);
    let area = Rect::new(
        body.x + body.width.saturating_sub(width) / 2,
        body.y + body.height.saturating_sub(height) / 2,
        width,
        height,
    );
    frame.render_widget(Clear, area);
    let border = if props.danger {
        theme.status_failed
    } else {
        theme.chrome_border_focused
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(border)
        .title(Span::styled(
            format!(" {} ", props.title),
            theme.chrome_title,
        ))
        .title_bottom(Line::from(Span::styled(
            format!(" {} ", props.hint),
            theme.chrome_key,
        )));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let mut lines: Vec<Line<'_>> = props
        .lines
        .iter()
        .map(|l| Line::from(Span::styled(l.as_str(), theme.log_text)))
        .collect();
    if let Some((expected, typed)) = props.typed {
        lines.push(Line::default());
        lines.push(Line::from(vec![
            Span::styled(format!("type {expected} to confirm: "), theme.chrome_dim),
            Span::styled(typed, theme.chrome_key),
        ]));
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}
