//! The functions pane: every Lambda function with its numbers over the chosen window (the
//! sorted column marked, the ones in trouble in the failed colour, a trend sparkline per
//! row), the account's concurrency, and two charts of the selected function below.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Axis, Block, Borders, Chart, Dataset, GraphType, Paragraph};

use crate::executions::lists_view::{cell, first_row};
use crate::logs::log_line::clip;
use crate::props::Loadable;
use crate::theme::Theme;
use crate::widgets::pane_frame::{pane_block, status_lines};
use crate::widgets::sparkline::sparkline;

/// One column of the table: its header and width, and whether narrow screens drop it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    pub label: &'static str,
    pub width: usize,
    /// Shown only when the pane is at least this wide.
    pub min_pane_width: u16,
    pub right_aligned: bool,
}

pub struct FunctionItem<'a> {
    pub name: &'a str,
    /// One cell per column after the name, already formatted.
    pub cells: Vec<String>,
    /// Invocations per period over the window, oldest first.
    pub trend: Vec<f64>,
    /// Errors, throttles or a p99 near the timeout: drawn in the failed colour.
    pub trouble: bool,
}

/// One line of a chart.
pub struct Series {
    pub label: String,
    /// (x, y): x in minutes before the window's end (negative), y in the series' unit.
    pub points: Vec<(f64, f64)>,
    pub secondary: bool,
}

pub struct ChartProps {
    pub title: String,
    pub series: Vec<Series>,
    /// Left, middle and right x labels ("-3h", "-1h30m", "now").
    pub x_labels: [String; 3],
    pub x_bounds: [f64; 2],
    pub y_max: f64,
    /// The labels at half and at the top of the y axis ("39", "2.5s").
    pub y_labels: [String; 2],
}

pub struct FunctionsProps<'a> {
    pub title: String,
    pub state: Loadable,
    pub hint: String,
    /// "account concurrency: 41 of 1,000 (4%) · 18 functions · window 3h".
    pub account: String,
    /// The columns after NAME, in order.
    pub columns: &'a [Column],
    /// Which column the rows are sorted by (0 = name), and whether descending.
    pub sort: (usize, bool),
    pub items: Vec<FunctionItem<'a>>,
    pub cursor: usize,
    /// The selected function's charts: calls and errors, and duration percentiles.
    pub charts: Vec<ChartProps>,
}

const NAME_MIN: usize = 18;
const TREND_W: usize = 16;

pub fn render(frame: &mut Frame<'_>, area: Rect, props: &FunctionsProps<'_>, theme: &Theme) {
    let block = pane_block(format!(" {} ", props.title), theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let chart_h = if props.charts.is_empty() || inner.height < 16 {
        0
    } else {
        (inner.height / 3).clamp(7, 14)
    };
    let [table_area, chart_area] =
        Layout::vertical([Constraint::Min(4), Constraint::Length(chart_h)]).areas(inner);
    render_table(frame, table_area, props, theme);
    if chart_h > 0 {
        let n = u32::try_from(props.charts.len()).unwrap_or(1);
        let areas =
            Layout::horizontal(vec![Constraint::Ratio(1, n); props.charts.len()]).split(chart_area);
        for (chart, area) in props.charts.iter().zip(areas.iter()) {
            render_chart(frame, *area, chart, theme);
        }
    }
}

/// The columns that fit this width, with the name's width.
fn fitted(columns: &[Column], width: u16) -> (Vec<(usize, &Column)>, usize) {
    let shown: Vec<(usize, &Column)> = columns
        .iter()
        .enumerate()
        .filter(|(_, c)| width >= c.min_pane_width)
        .collect();
    let used: usize = shown.iter().map(|(_, c)| c.width + 1).sum::<usize>() + TREND_W + 3;
    let name_w = usize::from(width).saturating_sub(used).clamp(NAME_MIN, 44);
    (shown, name_w)
}

fn render_table(frame: &mut Frame<'_>, area: Rect, props: &FunctionsProps<'_>, theme: &Theme) {
    let width = usize::from(area.width);
    let mut lines = status_lines(&props.state, &props.hint, width, theme);
    lines.push(Line::styled(clip(&props.account, width), theme.chrome_dim));
    let (shown, name_w) = fitted(props.columns, area.width);
    let mark = |i: usize| match props.sort {
        (s, true) if s == i => "↓",
        (s, false) if s == i => "↑",
        _ => "",
    };
    let mut head = format!("  {:<name_w$}", format!("NAME{}", mark(0)));
    for (i, c) in &shown {
        head.push(' ');
        head.push_str(&align(
            &format!("{}{}", c.label, mark(i + 1)),
            c.width,
            c.right_aligned,
        ));
    }
    head.push_str(&format!(" {:<TREND_W$}", "TREND"));
    lines.push(Line::styled(clip(&head, width), theme.chrome_title));
    let body = usize::from(area.height).saturating_sub(lines.len());
    if props.items.is_empty() && props.state == Loadable::Ready {
        lines.push(Line::styled("  no Lambda functions here", theme.chrome_dim));
    }
    for (i, item) in props
        .items
        .iter()
        .enumerate()
        .skip(first_row(props.cursor, body))
        .take(body)
    {
        let style = if i == props.cursor {
            theme.chrome_selection
        } else if item.trouble {
            theme.status_failed
        } else {
            theme.log_text
        };
        let mut text = format!(
            "{} {}",
            if i == props.cursor { "›" } else { " " },
            align(item.name, name_w, false)
        );
        for (c_i, c) in &shown {
            text.push(' ');
            let value = item.cells.get(*c_i).map(String::as_str).unwrap_or("");
            text.push_str(&align(value, c.width, c.right_aligned));
        }
        let spans = vec![
            Span::styled(clip(&text, width), style),
            Span::styled(
                format!(" {}", sparkline(&item.trend, TREND_W)),
                if item.trouble {
                    theme.status_failed
                } else {
                    theme.chart_primary
                },
            ),
        ];
        lines.push(Line::from(spans));
    }
    frame.render_widget(Paragraph::new(lines), area);
}

/// `text` cut or padded to `width` columns, on the left or the right.
fn align(text: &str, width: usize, right: bool) -> String {
    if !right {
        return cell(text, width);
    }
    let cut = clip(text, width);
    let pad = width.saturating_sub(unicode_width::UnicodeWidthStr::width(cut.as_str()));
    format!("{}{cut}", " ".repeat(pad))
}

fn render_chart(frame: &mut Frame<'_>, area: Rect, chart: &ChartProps, theme: &Theme) {
    let datasets: Vec<Dataset<'_>> = chart
        .series
        .iter()
        .map(|s| {
            Dataset::default()
                .name(s.label.clone())
                .marker(Marker::Braille)
                .graph_type(GraphType::Line)
                .style(if s.secondary {
                    theme.status_failed
                } else {
                    theme.chart_primary
                })
                .data(&s.points)
        })
        .collect();
    let y_max = if chart.y_max > 0.0 { chart.y_max } else { 1.0 };
    let y_labels = [
        Span::styled("0", theme.chrome_dim),
        Span::styled(chart.y_labels[0].clone(), theme.chrome_dim),
        Span::styled(chart.y_labels[1].clone(), theme.chrome_dim),
    ];
    let x_labels: Vec<Span<'_>> = chart
        .x_labels
        .iter()
        .map(|l| Span::styled(l.clone(), theme.chrome_dim))
        .collect();
    let widget = Chart::new(datasets)
        .block(
            Block::default()
                .borders(Borders::TOP)
                .border_style(theme.chrome_border)
                .title(Span::styled(
                    format!(" {} ", chart.title),
                    theme.chrome_title,
                )),
        )
        .x_axis(
            Axis::default()
                .bounds(chart.x_bounds)
                .labels(x_labels)
                .style(Style::default()),
        )
        .y_axis(Axis::default().bounds([0.0, y_max * 1.05]).labels(y_labels))
        .legend_position(Some(ratatui::widgets::LegendPosition::TopLeft))
        .hidden_legend_constraints((Constraint::Percentage(50), Constraint::Percentage(60)));
    frame.render_widget(widget, area);
}

/// 1234 -> "1.2k", 0.5 -> "0.5".
pub fn compact(value: f64) -> String {
    if value >= 1_000_000.0 {
        format!("{:.1}M", value / 1_000_000.0)
    } else if value >= 10_000.0 {
        format!("{:.0}k", value / 1_000.0)
    } else if value >= 1_000.0 {
        format!("{:.1}k", value / 1_000.0)
    } else if value >= 10.0 {
        format!("{value:.0}")
    } else {
        let text = format!("{value:.1}");
        text.strip_suffix(".0").map(str::to_string).unwrap_or(text)
    }
}
