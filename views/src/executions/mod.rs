//! The executions pane: state machines, a machine's executions, one execution.

pub mod execution_view;
pub mod lists_view;
pub mod props;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use crate::logs::log_line::clip;
use crate::theme::Theme;
use crate::widgets::pane_frame::{pane_block, status_lines};
use props::{ExecutionsBody, ExecutionsProps};

pub fn render(frame: &mut Frame<'_>, area: Rect, props: &ExecutionsProps<'_>, theme: &Theme) {
    let block = pane_block(format!(" {} ", props.title), theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let width = usize::from(inner.width);
    let banner = status_lines(&props.state, &props.hint, width, theme);
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
