//! The `?` overlay: every binding of the contexts in effect, generated from the keymap.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use crate::props::HelpProps;
use crate::theme::Theme;

pub fn render(frame: &mut Frame<'_>, body: Rect, props: &HelpProps<'_>, theme: &Theme) {
    let width = body.width.saturating_sub(4).min(72);
    let height = body.height.saturating_sub(2);
    let area = Rect::new(
        body.x + (body.width.saturating_sub(width)) / 2,
        body.y + 1,
        width,
        height,
    );
    frame.render_widget(Clear, area);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.chrome_border_focused)
        .title(Span::styled(" help · esc to close ", theme.chrome_title));
    let inner = block.inner(area);
    frame.render_widget(block, area);

    let key_w = props
        .sections
        .iter()
        .flat_map(|s| s.hints.iter())
        .map(|h| h.key.chars().count())
        .max()
        .unwrap_or(0)
        .min(16);
    let mut lines = Vec::new();
    for section in props.sections {
        if !lines.is_empty() {
            lines.push(Line::default());
        }
        lines.push(Line::from(Span::styled(
            section.title.clone(),
            theme.chrome_title,
        )));
        for hint in &section.hints {
            lines.push(Line::from(vec![
                Span::styled(format!("  {:<key_w$}  ", hint.key), theme.chrome_key),
                Span::styled(hint.desc.clone(), theme.log_text),
            ]));
        }
    }
    let max_scroll = lines.len().saturating_sub(usize::from(inner.height));
    let scroll = u16::try_from(props.scroll.min(max_scroll)).unwrap_or(u16::MAX);
    frame.render_widget(Paragraph::new(lines).scroll((scroll, 0)), inner);
}
