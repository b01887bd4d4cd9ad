//! The executions pane: state machines, a machine's executions, one execution.

pub mod execution_view;
pub mod lists_view;
pub mod props;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use crate::logs::log_line::clip;
use crate::props::Loadable;
use crate::theme::Theme;
use props::{ExecutionsBody, ExecutionsProps};

pub fn render(frame: &mut Frame<'_>, area: Rect, props: &ExecutionsProps<'_>, theme: &Theme) {
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.chrome_border_focused)
        .title(Span::styled(
            format!(" {} ", props.title),
            theme.chrome_title,
        ));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let width = usize::from(inner.width);
    let mut banner: Vec<Line<'_>> = Vec::new();
    match &props.state {
        Loadable::Loading => banner.push(Line::styled("loading…", theme.chrome_dim)),
        Loadable::Failed(e) => banner.push(Line::styled(clip(e, width), theme.status_failed)),
        Loadable::Stale(e) => banner.push(Line::styled(
            clip(&format!("STALE: {e}"), width),
            theme.status_stale,
        )),
        Loadable::Ready => {}
    }
    banner.push(Line::styled(clip(&props.hint, width), theme.chrome_dim));
    let banner_h = u16::try_from(banner.len()).unwrap_or(1).min(inner.height);
    frame.render_widget(
        Paragraph::new(banner),
        Rect {
            height: banner_h,
            ..inner
        },
    );
    let body = Rect {
        y: inner.y + banner_h,
        height: inner.height - banner_h,
        ..inner
    };
    let rows = usize::from(body.height);
    let lines = match &props.body {
        ExecutionsBody::Machines { items, cursor } => {
            lists_view::machine_lines(items, *cursor, width, rows, theme)
        }
        ExecutionsBody::Executions {
            items,
            cursor,
            summary,
        } => {
            let mut lines = vec![Line::styled(clip(summary, width), theme.chrome_dim)];
            lines.extend(lists_view::execution_lines(
                items,
                *cursor,
                width,
                rows.saturating_sub(1),
                theme,
            ));
            lines
        }
        ExecutionsBody::Execution(view) => {
            execution_view::render(frame, body, view, theme);
            return;
        }
    };
    frame.render_widget(Paragraph::new(lines), body);
}
