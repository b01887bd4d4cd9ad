//! The signals pane: CloudWatch alarms (in ALARM first), Synthetics canaries and RUM app
//! monitors, one section each, with a sparkline per row; the cursor moves across the
//! sections and `enter` opens the numbers behind a row.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::executions::lists_view::{cell, first_row, tone_style};
use crate::executions::props::Tone;
use crate::logs::log_line::clip;
use crate::props::Loadable;
use crate::theme::Theme;
use crate::widgets::pane_frame::{pane_block, status_lines};
use crate::widgets::sparkline::sparkline;

pub struct SignalRow<'a> {
    /// The state word (ALARM, OK, PASSED, FAILED, ACTIVE).
    pub state: &'a str,
    pub name: &'a str,
    /// What the row says after its name ("Errors Sum > 5 for 1 × 1m · since 02:31").
    pub text: String,
    /// The metric, durations or errors over the window, oldest first.
    pub trend: Vec<f64>,
    pub tone: Tone,
}

pub struct SignalSection<'a> {
    /// "alarms · 1 in ALARM of 5".
    pub title: String,
    /// The column header after STATE and NAME.
    pub head: &'static str,
    /// Loading, failed or stale for this section alone.
    pub state: Loadable,
    pub rows: Vec<SignalRow<'a>>,
    /// What an empty section says ("no alarms in this region").
    pub empty: &'static str,
}

pub struct SignalsProps<'a> {
    pub title: String,
    pub hint: String,
    pub sections: Vec<SignalSection<'a>>,
    /// Over all sections' rows, in order.
    pub cursor: usize,
}

const STATE_W: usize = 8;
const TREND_W: usize = 14;

enum Drawn<'a> {
    Line(Line<'a>),
    Row(usize, Line<'a>),
}

pub fn render(frame: &mut Frame<'_>, area: Rect, props: &SignalsProps<'_>, theme: &Theme) {
    let block = pane_block(format!(" {} ", props.title), theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let width = usize::from(inner.width);
    let name_w = (width / 4).clamp(16, 34);
    let text_w = width.saturating_sub(2 + STATE_W + 1 + name_w + 1 + TREND_W + 1);
    let mut top = status_lines(&Loadable::Ready, &props.hint, width, theme);
    let mut drawn: Vec<Drawn<'_>> = Vec::new();
    let mut index = 0;
    for section in &props.sections {
        drawn.push(Drawn::Line(Line::styled(
            clip(&section.title, width),
            theme.chrome_title,
        )));
        match &section.state {
            Loadable::Loading => {
                drawn.push(Drawn::Line(Line::styled("  loading…", theme.chrome_dim)))
            }
            Loadable::Failed(e) | Loadable::Stale(e) => drawn.push(Drawn::Line(Line::styled(
                clip(
                    &format!(
                        "  {}{e}",
                        if matches!(section.state, Loadable::Stale(_)) {
                            "STALE: "
                        } else {
                            ""
                        }
                    ),
                    width,
                ),
                theme.status_failed,
            ))),
            Loadable::Ready => {}
        }
        if !section.rows.is_empty() {
            let head = format!(
                "  {}{} {} {}",
                cell("STATE", STATE_W + 1),
                cell("NAME", name_w),
                cell(section.head, text_w),
                "TREND"
            );
            drawn.push(Drawn::Line(Line::styled(
                clip(&head, width),
                theme.chrome_dim,
            )));
        } else if section.state == Loadable::Ready {
            drawn.push(Drawn::Line(Line::styled(
                format!("  {}", section.empty),
                theme.chrome_dim,
            )));
        }
        for row in &section.rows {
            let selected = index == props.cursor;
            let style = if selected {
                theme.chrome_selection
            } else {
                tone_style(theme, row.tone)
            };
            let text = format!(
                "{} {} {} {}",
                if selected { "›" } else { " " },
                cell(row.state, STATE_W),
                cell(row.name, name_w),
                cell(&row.text, text_w),
            );
            drawn.push(Drawn::Row(
                index,
                Line::from(vec![
                    Span::styled(clip(&text, width), style),
                    Span::styled(
                        format!(" {}", sparkline(&row.trend, TREND_W)),
                        tone_style(theme, row.tone),
                    ),
                ]),
            ));
            index += 1;
        }
        drawn.push(Drawn::Line(Line::default()));
    }
    let rows = usize::from(inner.height).saturating_sub(top.len());
    // Scroll so the selected row is in view, counting every drawn line.
    let cursor_line = drawn
        .iter()
        .position(|d| matches!(d, Drawn::Row(i, _) if *i == props.cursor))
        .unwrap_or(0);
    let skip = first_row(cursor_line, rows);
    top.extend(drawn.into_iter().skip(skip).take(rows).map(|d| match d {
        Drawn::Line(line) | Drawn::Row(_, line) => line,
    }));
    frame.render_widget(Paragraph::new(top), inner);
}
