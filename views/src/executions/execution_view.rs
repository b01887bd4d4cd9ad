//! One execution: a headline and its notes (why it is stuck), the state-machine graph
//! coloured by each state's status beside the selected state's details, and the event
//! history below. The graph's viewport follows the selected state: it moves only when that
//! state would leave the screen, so a refresh that only changes colours moves nothing.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use unstuck_aws::model::asl::EdgeKind;

use super::lists_view::{cell, first_row, tone_style};
use super::props::{ExecutionView, Tone};
use crate::graph::{Canvas, CellRole, GraphLayout};
use crate::logs::log_line::clip;
use crate::theme::Theme;
use crate::widgets::detail_view::wrap;

/// Columns of the details column at most.
const DETAILS_WIDTH: u16 = 56;

/// The narrowest body that has room for the details column beside the graph.
const DETAILS_FROM_WIDTH: u16 = 90;

pub fn render(frame: &mut Frame<'_>, area: Rect, view: &ExecutionView<'_>, theme: &Theme) {
    let width = usize::from(area.width);
    let mut top: Vec<Line<'_>> = vec![Line::styled(
        clip(&view.headline, width),
        tone_style(theme, view.tone),
    )];
    for (tone, note) in view.notes.iter().take(3) {
        top.push(Line::styled(clip(note, width), tone_style(theme, *tone)));
    }
    if area.width < DETAILS_FROM_WIDTH && !view.selected_line.is_empty() {
        top.push(Line::styled(
            clip(&format!("▸ {}", view.selected_line), width),
            theme.chrome_title,
        ));
    }
    let top_h = u16::try_from(top.len()).unwrap_or(1).min(area.height);
    frame.render_widget(
        Paragraph::new(top),
        Rect {
            height: top_h,
            ..area
        },
    );
    let rest = Rect {
        y: area.y + top_h,
        height: area.height - top_h,
        ..area
    };
    let history_h = (rest.height / 3).clamp(4.min(rest.height), 14);
    let upper = Rect {
        height: rest.height - history_h,
        ..rest
    };
    let lower = Rect {
        y: upper.y + upper.height,
        height: history_h,
        ..rest
    };
    let details_w = if upper.width >= DETAILS_FROM_WIDTH {
        DETAILS_WIDTH.min(upper.width / 3)
    } else {
        0
    };
    let graph_area = Rect {
        width: upper.width - details_w,
        ..upper
    };
    render_graph(frame, graph_area, view, theme);
    if details_w > 0 {
        let details_area = Rect {
            x: upper.x + graph_area.width,
            width: details_w,
            ..upper
        };
        render_details(frame, details_area, view, theme);
    }
    render_history(frame, lower, view, theme);
}

/// The top-left cell of a `w` x `h` viewport over `layout` that shows `selected`: the
/// origin while it fits, else just enough to bring it in with a margin.
pub fn viewport(
    layout: &GraphLayout,
    selected: Option<usize>,
    w: usize,
    h: usize,
) -> (usize, usize) {
    let Some(node) = selected.and_then(|id| layout.node(id)) else {
        return (0, 0);
    };
    let axis = |start: usize, len: usize, room: usize, total: usize| {
        let end = start + len + 1;
        if end <= room {
            0
        } else {
            // Keep the whole box in view when it fits, with a row or column of context.
            let want = if len + 2 <= room {
                end + 1 - room.min(end + 1)
            } else {
                start.saturating_sub(1)
            };
            want.min(total.saturating_sub(room))
        }
    };
    (
        axis(node.x, node.w, w, layout.width),
        axis(node.y, node.h, h, layout.height),
    )
}

fn render_graph(frame: &mut Frame<'_>, area: Rect, view: &ExecutionView<'_>, theme: &Theme) {
    let Some(definition) = view.definition else {
        return;
    };
    let (w, h) = (usize::from(area.width), usize::from(area.height));
    let (x0, y0) = viewport(view.layout, view.selected, w, h);
    let widest = view.layout.width.saturating_sub(w);
    let x0 = x0.saturating_add_signed(view.pan_x).min(widest);
    let canvas = Canvas::draw(definition, view.layout, (x0, y0, w, h));
    let style_of = |role: CellRole| -> Style {
        let state = |id: usize| view.tones.get(id).copied().unwrap_or(Tone::Quiet);
        match role {
            CellRole::Empty => Style::default(),
            CellRole::Label(id) if Some(id) == view.selected => {
                tone_style(theme, state(id)).add_modifier(Modifier::REVERSED | Modifier::BOLD)
            }
            CellRole::Border(id) if Some(id) == view.selected => {
                tone_style(theme, state(id)).add_modifier(Modifier::BOLD)
            }
            CellRole::Border(id) | CellRole::Label(id) | CellRole::Tag(id) => {
                tone_style(theme, state(id))
            }
            CellRole::Edge(EdgeKind::Catch) | CellRole::Arrow(EdgeKind::Catch) => {
                theme.status_stale
            }
            CellRole::Edge(_) | CellRole::Arrow(_) | CellRole::Entry => theme.chrome_border,
        }
    };
    let mut lines = Vec::with_capacity(h);
    for y in 0..h {
        let mut spans: Vec<Span<'_>> = Vec::new();
        let mut run = String::new();
        let mut run_style = Style::default();
        for x in 0..w {
            let (ch, role) = canvas.cell(x, y);
            if ch == '\0' {
                continue;
            }
            let style = style_of(role);
            if style != run_style && !run.is_empty() {
                spans.push(Span::styled(std::mem::take(&mut run), run_style));
            }
            run_style = style;
            run.push(ch);
        }
        if !run.trim_end().is_empty() {
            spans.push(Span::styled(run.trim_end().to_string(), run_style));
        }
        lines.push(Line::from(spans));
    }
    frame.render_widget(Paragraph::new(lines), area);
}

fn render_details(frame: &mut Frame<'_>, area: Rect, view: &ExecutionView<'_>, theme: &Theme) {
    let block = Block::default()
        .borders(Borders::LEFT)
        .border_style(theme.chrome_border);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let width = usize::from(inner.width.saturating_sub(1)).max(1);
    let mut lines = Vec::new();
    for line in &view.details {
        lines.extend(wrap(line, width, theme));
        if lines.len() >= usize::from(inner.height) {
            break;
        }
    }
    let inner = Rect {
        x: inner.x + 1,
        width: inner.width.saturating_sub(1),
        ..inner
    };
    frame.render_widget(Paragraph::new(lines), inner);
}

fn render_history(frame: &mut Frame<'_>, area: Rect, view: &ExecutionView<'_>, theme: &Theme) {
    let border = if view.history_focused {
        theme.chrome_border_focused
    } else {
        theme.chrome_border
    };
    let title = format!(" history · {} events ", view.history_total);
    let block = Block::default()
        .borders(Borders::TOP)
        .border_style(border)
        .title(Span::styled(title, theme.chrome_title));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let width = usize::from(inner.width);
    let rows = usize::from(inner.height);
    let mut lines = Vec::with_capacity(rows);
    let first = first_row(view.history_cursor, rows);
    // Narrow: the type and state columns give way first.
    let (kind_w, state_w) = if width >= 100 { (30, 28) } else { (26, 20) };
    for (i, item) in view.history.iter().enumerate().skip(first).take(rows) {
        let text = format!(
            "{:>6}  {}{}{}{:>10}",
            item.id,
            cell(item.kind, kind_w),
            cell(item.state, state_w),
            cell(&item.time, 10),
            item.elapsed
        );
        let style = if view.history_focused && i == view.history_cursor {
            theme.chrome_selection
        } else {
            tone_style(theme, item.tone)
        };
        lines.push(Line::styled(clip(&text, width), style));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}
