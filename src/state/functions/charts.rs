//! The functions pane's charts of the selected function (calls and errors, p99 duration)
//! and the chart point chosen with left/right: marked on both charts, its period is what
//! `enter` opens the logs of.

use unstuck_aws::model::functions::{FunctionRow, FunctionsTable};
use unstuck_views::functions::{ChartProps, Series};
use unstuck_views::zone::Zone;

use super::columns::{self, in_trouble};

/// The selected function's charts (calls and errors, p99), with the chosen point marked.
pub(super) fn charts(
    row: &FunctionRow,
    table: &FunctionsTable,
    point: Option<usize>,
    zone: Zone,
) -> Vec<ChartProps> {
    let period_min = f64::from(table.window.period_s()) / 60.0;
    let points = |values: &[f64]| -> Vec<(f64, f64)> {
        let n = values.len();
        values
            .iter()
            .enumerate()
            .filter(|(_, v)| v.is_finite())
            .map(|(i, v)| (-((n - 1 - i) as f64) * period_min, *v))
            .collect()
    };
    let max = |values: &[f64]| {
        values
            .iter()
            .copied()
            .filter(|v| v.is_finite())
            .fold(0.0, f64::max)
    };
    let span = table.window.ms() as f64 / 60_000.0;
    let half = crate::state::shared::durations::short_duration(table.window.ms() / 2);
    let x_labels = [
        format!("-{}", table.window.label()),
        format!("-{half}"),
        "now".to_string(),
    ];
    let m = &row.metrics;
    let per =
        crate::state::shared::durations::short_duration(i64::from(table.window.period_s()) * 1000);
    let calls_max = max(&m.invocations_series).max(max(&m.errors_series));
    let p99_max = max(&m.p99_series);
    let mut charts = vec![
        ChartProps {
            title: format!("calls and errors per {per}"),
            series: vec![
                Series {
                    label: "calls".into(),
                    points: points(&m.invocations_series),
                    secondary: false,
                },
                Series {
                    label: "errors".into(),
                    points: points(&m.errors_series),
                    secondary: true,
                },
            ],
            x_labels: x_labels.clone(),
            x_bounds: [-span + period_min, 0.0],
            y_max: calls_max,
            y_labels: [
                unstuck_views::functions::compact(calls_max / 2.0),
                unstuck_views::functions::compact(calls_max),
            ],
        },
        ChartProps {
            title: format!("p99 duration (timeout {}s)", row.config.timeout_s),
            series: vec![Series {
                label: "p99".into(),
                points: points(&m.p99_series),
                secondary: in_trouble(row),
            }],
            x_labels,
            x_bounds: [-span + period_min, 0.0],
            y_max: p99_max,
            y_labels: [
                columns::millis(Some(p99_max / 2.0)),
                columns::millis(Some(p99_max)),
            ],
        },
    ];
    if let Some(i) = point {
        let n = table.window.points();
        let x = -((n.saturating_sub(1 + i)) as f64) * period_min;
        let (from, to) = point_window(table, i);
        let label = format!("{}–{}", zone.clock(from), zone.clock(to));
        for chart in &mut charts {
            chart.title = format!("{} · {label} (enter: its logs)", chart.title);
            chart.series.push(Series {
                label: label.clone(),
                points: vec![(x, 0.0), (x, chart.y_max)],
                secondary: true,
            });
        }
    }
    charts
}

/// The period of point `i` of the window (counted from its start): (from, to) in epoch ms.
pub(super) fn point_window(table: &FunctionsTable, i: usize) -> (i64, i64) {
    let period_ms = i64::from(table.window.period_s()) * 1000;
    let from = table.range_ms.0 + i64::try_from(i).unwrap_or(0) * period_ms;
    (from, from + period_ms)
}

/// The point after a step left (`-1`) or right (`+1`) from `point` among `n`: None is "now"
/// (no point chosen); left from now takes the newest point, right past the newest is now.
pub(super) fn stepped_point(point: Option<usize>, delta: i32, n: usize) -> Option<usize> {
    if n == 0 {
        return None;
    }
    match (point, delta < 0) {
        (None, true) => Some(n - 1),
        (None, false) => None,
        (Some(i), true) => Some(i.saturating_sub(1)),
        (Some(i), false) if i + 1 >= n => None,
        (Some(i), false) => Some(i + 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_step_from_now_to_the_oldest_and_back() {
        assert_eq!(stepped_point(None, -1, 60), Some(59));
        assert_eq!(stepped_point(Some(0), -1, 60), Some(0));
        assert_eq!(stepped_point(Some(58), 1, 60), Some(59));
        assert_eq!(stepped_point(Some(59), 1, 60), None);
        assert_eq!(stepped_point(None, 1, 60), None);
        assert_eq!(stepped_point(None, -1, 0), None);
    }
}
