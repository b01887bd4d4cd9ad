//! The numbers behind a signals row: an alarm's metric point by point against its
//! threshold, a canary's runs, an app monitor's counts and vitals.

use unstuck_aws::model::functions::MetricWindow;
use unstuck_aws::model::signals::{AlarmRow, Canary, RumSummary, RunStatus, trim_number};
use unstuck_views::props::{DetailLine, DetailStyle};
use unstuck_views::zone::Zone;

use crate::state::functions::columns::millis;
use crate::state::shared::detail::{Detail, labelled};

fn heading(text: &str) -> DetailLine {
    DetailLine::new(0, vec![(DetailStyle::Heading, text.to_string())])
}

fn blank() -> DetailLine {
    DetailLine::new(0, Vec::new())
}

pub fn alarm_detail(row: &AlarmRow, zone: Zone) -> Detail {
    let a = &row.alarm;
    let text = DetailStyle::Text;
    let mut lines = vec![
        labelled("state", a.state.label(), text),
        labelled(
            "since",
            a.since_ms
                .map(|s| zone.full(s))
                .unwrap_or_else(|| "–".into()),
            text,
        ),
        labelled("reason", a.reason.clone(), text),
        labelled("arn", a.arn.clone(), text),
        labelled(
            "actions",
            if a.actions_enabled {
                "enabled"
            } else {
                "disabled"
            },
            text,
        ),
    ];
    match &a.metric {
        Some(m) => {
            lines.push(labelled(
                "metric",
                format!(
                    "{} / {} {} every {}s, {} period(s) to fire",
                    m.query.namespace,
                    m.query.metric,
                    m.query.stat.name(),
                    m.query.period_s,
                    m.evaluation_periods
                ),
                text,
            ));
            lines.push(labelled("rule", m.describe(), text));
            lines.push(blank());
            lines.push(heading("the metric around the threshold"));
            let breaches = |v: f64| match m.operator() {
                ">" => v > m.threshold,
                ">=" => v >= m.threshold,
                "<" => v < m.threshold,
                "<=" => v <= m.threshold,
                _ => false,
            };
            for (at, value) in row.series.iter().flat_map(|s| s.points.iter()) {
                lines.push(labelled(
                    &zone.clock(*at),
                    format!(
                        "{}{}",
                        trim_number(*value),
                        if breaches(*value) {
                            format!("  {} {}", m.operator(), trim_number(m.threshold))
                        } else {
                            String::new()
                        }
                    ),
                    if breaches(*value) {
                        DetailStyle::Error
                    } else {
                        text
                    },
                ));
            }
            if row.series.as_ref().is_none_or(|s| s.points.is_empty()) {
                lines.push(labelled(
                    "",
                    "no data points in the last periods",
                    DetailStyle::Dim,
                ));
            }
        }
        None => lines.push(labelled(
            "metric",
            "a composite or metric-math alarm: no single metric to show",
            DetailStyle::Dim,
        )),
    }
    Detail::build(format!("alarm {}", a.name), lines, None, Vec::new())
}

pub fn canary_detail(c: &Canary, zone: Zone) -> Detail {
    let text = DetailStyle::Text;
    let mut lines = vec![
        labelled("state", c.state.clone(), text),
        labelled("schedule", c.schedule.clone(), text),
        labelled(
            "success",
            c.success_pct()
                .map(|p| format!("{p:.0}% of the last {} runs", c.runs.len()))
                .unwrap_or_else(|| "no finished runs".into()),
            text,
        ),
        blank(),
        heading("runs, newest first"),
    ];
    for run in &c.runs {
        let mut what = format!(
            "{:<8} {:>7}",
            run.status.label(),
            millis(run.duration_ms().map(|d| d as f64))
        );
        if !run.reason.is_empty() {
            what.push_str(&format!("  {}", run.reason));
        }
        lines.push(labelled(
            &run.started_ms.map(|s| zone.clock(s)).unwrap_or_default(),
            what,
            if run.status == RunStatus::Failed {
                DetailStyle::Error
            } else {
                text
            },
        ));
    }
    Detail::build(format!("canary {}", c.name), lines, None, Vec::new())
}

pub fn rum_detail(r: &RumSummary, window: MetricWindow) -> Detail {
    let text = DetailStyle::Text;
    let opt = |v: Option<f64>| v.map(trim_number).unwrap_or_else(|| "–".into());
    let mut lines = Vec::new();
    if let Some(m) = &r.monitor {
        lines.push(labelled("domain", m.domain.clone(), text));
        lines.push(labelled("id", m.id.clone(), text));
        lines.push(labelled("state", m.state.clone(), text));
    }
    lines.extend([
        blank(),
        heading(&format!("last {} (AWS/RUM)", window.label())),
        labelled("sessions", trim_number(r.sessions), text),
        labelled("JS errors", trim_number(r.js_errors), text),
        labelled("HTTP err", trim_number(r.http_errors), text),
        labelled("load p90", millis(r.page_load_p90_ms), text),
        labelled(
            "Apdex",
            format!(
                "{} = ({} satisfied + {} tolerated / 2) / {} page loads",
                r.apdex()
                    .map(|a| format!("{a:.2}"))
                    .unwrap_or_else(|| "–".into()),
                trim_number(r.satisfied),
                trim_number(r.tolerated),
                trim_number(r.satisfied + r.tolerated + r.frustrated)
            ),
            text,
        ),
        labelled("LCP p75", millis(r.lcp_p75_ms), text),
        labelled("INP p75", millis(r.inp_p75_ms), text),
        labelled("CLS p75", opt(r.cls_p75), text),
    ]);
    let name = r.monitor.as_ref().map_or("?", |m| m.name.as_str());
    Detail::build(format!("app monitor {name}"), lines, None, Vec::new())
}
