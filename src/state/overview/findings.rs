//! What is on fire: the findings of the overview, from what the signal, queue, function
//! and Step Functions polls read, ordered by severity and recency, with counts of what was
//! checked and found healthy. Pure: the overview pane and `unstuck overview` both call
//! [`findings`].

use std::collections::BTreeMap;

use serde::Serialize;
use unstuck_aws::api::{ExecutionsView, MachineRow, short_name};
use unstuck_aws::model::baseline::{RECENT_MS, above, rise};
use unstuck_aws::model::functions::{FunctionRow, FunctionsTable};
use unstuck_aws::model::queues::QueueSummary;
use unstuck_aws::model::signals::{AlarmRow, AlarmState, Canary, RumSummary, RunStatus};

/// A p99 this close to the timeout is a finding.
pub const NEAR_TIMEOUT: f64 = 0.8;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Critical,
    Warning,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FindingKind {
    Alarm,
    Canary,
    Rum,
    Dlq,
    Function,
    Executions,
    Stuck,
}

/// One thing on fire, and where to act on it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub severity: Severity,
    pub kind: FindingKind,
    /// The alarm, canary, app monitor, queue, function or state machine.
    pub resource: String,
    pub summary: String,
    /// When it started, as far as the data says (epoch ms).
    pub since: Option<i64>,
    /// The resource's ARN where it has one (what the panes select by): for stuck
    /// executions the one execution's, or the machine's when several are stuck.
    #[serde(skip)]
    pub arn: Option<String>,
}

/// What the overview read, each part None until its first poll.
#[derive(Debug, Clone, Copy, Default)]
pub struct OverviewInputs<'a> {
    pub alarms: Option<&'a [AlarmRow]>,
    pub canaries: Option<&'a [Canary]>,
    pub rum: Option<&'a [RumSummary]>,
    pub queues: Option<&'a [QueueSummary]>,
    /// Visible messages gained per minute, by queue ARN (from successive polls).
    pub queue_growth: Option<&'a BTreeMap<String, f64>>,
    /// When each DLQ was first seen holding messages, by ARN.
    pub dlq_since: Option<&'a BTreeMap<String, i64>>,
    pub functions: Option<&'a FunctionsTable>,
    pub machines: Option<&'a [MachineRow]>,
    /// Each machine scanned for stuck executions (by machine ARN): its running executions
    /// listed, those whose reasons were read, and the stuck among them.
    pub stuck: Option<&'a BTreeMap<String, ExecutionsView>>,
}

/// The findings, ordered, and what was checked.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Overview {
    pub findings: Vec<Finding>,
    /// ("alarms OK", 4): what was checked and is fine.
    pub healthy: Vec<(String, usize)>,
}

pub fn findings(inputs: &OverviewInputs<'_>) -> Overview {
    let mut out = Overview::default();
    if let Some(alarms) = inputs.alarms {
        alarm_findings(alarms, &mut out);
    }
    if let Some(canaries) = inputs.canaries {
        canary_findings(canaries, &mut out);
    }
    if let Some(monitors) = inputs.rum {
        rum_findings(monitors, &mut out);
    }
    if let Some(queues) = inputs.queues {
        queue_findings(queues, inputs, &mut out);
    }
    if let Some(table) = inputs.functions {
        function_findings(table, &mut out);
    }
    if let Some(machines) = inputs.machines {
        machine_findings(machines, &mut out);
        if let Some(stuck) = inputs.stuck {
            stuck_findings(machines, stuck, &mut out);
        }
    }
    out.findings.sort_by(|a, b| {
        (a.severity, std::cmp::Reverse(a.since), a.kind, &a.resource).cmp(&(
            b.severity,
            std::cmp::Reverse(b.since),
            b.kind,
            &b.resource,
        ))
    });
    out
}

fn alarm_findings(alarms: &[AlarmRow], out: &mut Overview) {
    let mut ok = 0;
    for row in alarms {
        let a = &row.alarm;
        if a.state != AlarmState::Alarm {
            ok += usize::from(a.state == AlarmState::Ok);
            continue;
        }
        let what = a.metric.as_ref().map(|m| m.describe()).unwrap_or_default();
        out.findings.push(Finding {
            severity: Severity::Critical,
            kind: FindingKind::Alarm,
            resource: a.name.clone(),
            summary: if what.is_empty() {
                a.reason.clone()
            } else {
                format!("in ALARM: {what}")
            },
            since: a.since_ms,
            arn: Some(a.arn.clone()),
        });
    }
    checked(out, ok, "alarm OK", "alarms OK");
}

fn canary_findings(canaries: &[Canary], out: &mut Overview) {
    let mut passing = 0;
    for c in canaries {
        if !c.is_failing() {
            passing += 1;
            continue;
        }
        let runs = &c.runs;
        let streak = runs
            .iter()
            .skip_while(|r| r.status == RunStatus::Running)
            .take_while(|r| r.status == RunStatus::Failed)
            .last();
        let last = c.last_run.as_ref().or(runs.first());
        let step = last
            .and_then(|r| r.failing_step())
            .map(|s| format!(" at step '{s}'"))
            .unwrap_or_default();
        let pct = c.success_pct();
        out.findings.push(Finding {
            severity: if pct.is_some_and(|p| p >= 50.0) {
                Severity::Warning
            } else {
                Severity::Critical
            },
            kind: FindingKind::Canary,
            resource: c.name.clone(),
            summary: format!(
                "failing{step}; {} of the last {} runs passed",
                pct.map_or("?".into(), |p| format!("{p:.0}%")),
                runs.len()
            ),
            since: streak.or(last).and_then(|r| r.started_ms),
            arn: None,
        });
    }
    checked(out, passing, "canary passing", "canaries passing");
}

/// What was checked and found fine, counted.
fn checked(out: &mut Overview, n: usize, one: &str, many: &str) {
    let what = if n == 1 { one } else { many };
    out.healthy.push((what.to_string(), n));
}

fn rum_findings(monitors: &[RumSummary], out: &mut Overview) {
    let mut normal = 0;
    for m in monitors {
        let name = m
            .monitor
            .as_ref()
            .map_or("?", |m| m.name.as_str())
            .to_string();
        let period_ms = 5 * 60_000;
        let end = 0;
        let (now, baseline, _) = rise(&m.js_errors_series, end, period_ms);
        let mut found = false;
        if above(now, baseline) {
            found = true;
            out.findings.push(Finding {
                severity: Severity::Warning,
                kind: FindingKind::Rum,
                resource: name.clone(),
                summary: format!(
                    "JS errors {now:.1}/min, baseline {baseline:.1}/min ({} in the window)",
                    m.js_errors
                ),
                since: None,
                arn: None,
            });
        }
        if let Some(p90) = m.page_load_p90_ms.filter(|p| *p > 4_000.0) {
            found = true;
            out.findings.push(Finding {
                severity: Severity::Warning,
                kind: FindingKind::Rum,
                resource: name.clone(),
                summary: format!("page loads slow: p90 {:.1} s", p90 / 1000.0),
                since: None,
                arn: None,
            });
        }
        normal += usize::from(!found);
    }
    checked(out, normal, "app monitor normal", "app monitors normal");
}

fn queue_findings(queues: &[QueueSummary], inputs: &OverviewInputs<'_>, out: &mut Overview) {
    let mut quiet = 0;
    for q in queues {
        let depth = q.attributes.depth();
        if !q.is_dlq() || depth == 0 {
            quiet += 1;
            continue;
        }
        let arn = &q.attributes.arn;
        let growth = inputs
            .queue_growth
            .and_then(|g| g.get(arn))
            .copied()
            .unwrap_or(0.0);
        let sources: Vec<&str> = q
            .sources
            .iter()
            .map(|s| unstuck_aws::model::queues::queue_name_of(s))
            .collect();
        let from = if sources.is_empty() {
            String::new()
        } else {
            format!(" from {}", sources.join(", "))
        };
        out.findings.push(Finding {
            severity: if growth > 0.0 {
                Severity::Critical
            } else {
                Severity::Warning
            },
            kind: FindingKind::Dlq,
            resource: q.queue.name.clone(),
            summary: if growth > 0.0 {
                format!("DLQ holds {depth} messages{from}, growing {growth:.1}/min")
            } else {
                format!("DLQ holds {depth} messages{from}")
            },
            since: inputs.dlq_since.and_then(|s| s.get(arn)).copied(),
            arn: Some(arn.clone()),
        });
    }
    checked(
        out,
        quiet,
        "queue without dead letters",
        "queues without dead letters",
    );
}

fn function_findings(table: &FunctionsTable, out: &mut Overview) {
    let period_ms = i64::from(table.window.period_s()) * 1000;
    let end = table.range_ms.1;
    let mut healthy = 0;
    for row in &table.rows {
        let before = out.findings.len();
        function_row(row, end, period_ms, out);
        healthy += usize::from(out.findings.len() == before);
    }
    checked(
        out,
        healthy,
        "function within its baseline",
        "functions within their baseline",
    );
}

/// One finding per function at most: what rose above its baseline (errors, throttles) and
/// a p99 near the timeout, said together.
fn function_row(row: &FunctionRow, end: i64, period_ms: i64, out: &mut Overview) {
    let m = &row.metrics;
    let recent_n = usize::try_from(RECENT_MS / period_ms.max(1))
        .unwrap_or(1)
        .max(1);
    let tail = |s: &[f64]| s.iter().rev().take(recent_n).sum::<f64>();
    let (errors, invocations) = (tail(&m.errors_series), tail(&m.invocations_series));
    let mut severity = Severity::Warning;
    let mut said = Vec::new();
    let mut since: Option<i64> = None;
    let mut started = |at: Option<i64>| {
        since = match (since, at) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    };
    let (errors_now, errors_base, errors_since) = rise(&m.errors_series, end, period_ms);
    if errors >= 3.0 && above(errors_now, errors_base) {
        let rate = errors / invocations.max(1.0);
        if rate >= 0.05 {
            severity = Severity::Critical;
        }
        said.push(format!(
            "{errors:.0} errors in 15 min ({:.1}% of {invocations:.0}; baseline {errors_base:.2}/min)",
            rate * 100.0
        ));
        started(errors_since);
    }
    let throttles = tail(&m.throttles_series);
    let (throttles_now, throttles_base, throttles_since) =
        rise(&m.throttles_series, end, period_ms);
    if throttles >= 3.0 && above(throttles_now, throttles_base) {
        said.push(format!(
            "{throttles:.0} throttles in 15 min (baseline {throttles_base:.2}/min)"
        ));
        started(throttles_since);
    }
    let timeout_ms = f64::from(row.config.timeout_s) * 1000.0;
    if let Some(p99) = m.duration.p99.filter(|p| *p >= NEAR_TIMEOUT * timeout_ms) {
        said.push(format!(
            "p99 {:.1} s of a {} s timeout",
            p99 / 1000.0,
            row.config.timeout_s
        ));
    }
    if said.is_empty() {
        return;
    }
    out.findings.push(Finding {
        severity,
        kind: FindingKind::Function,
        resource: row.config.name.clone(),
        summary: said.join("; "),
        since,
        arn: Some(row.config.arn.clone()),
    });
}

fn machine_findings(machines: &[MachineRow], out: &mut Overview) {
    let mut fine = 0;
    for row in machines {
        let Some(failed) = row.failed_24h.filter(|c| c.n > 0) else {
            fine += usize::from(row.failed_24h.is_some());
            continue;
        };
        let plus = if failed.more { "+" } else { "" };
        out.findings.push(Finding {
            severity: Severity::Warning,
            kind: FindingKind::Executions,
            resource: row.summary.name.clone(),
            summary: format!("{}{plus} executions failed in 24 h", failed.n),
            since: None,
            arn: Some(row.summary.arn.clone()),
        });
    }
    checked(
        out,
        fine,
        "state machine without failures",
        "state machines without failures",
    );
}

/// One finding per machine with stuck executions, critical: nothing moves them on without
/// someone acting (a token to send, a wait to cut short, an execution to stop).
fn stuck_findings(
    machines: &[MachineRow],
    stuck: &BTreeMap<String, ExecutionsView>,
    out: &mut Overview,
) {
    // Checked: those with nothing running, and those scanned with nothing stuck.
    let mut fine = machines
        .iter()
        .filter(|m| m.running.is_some_and(|c| c.n == 0))
        .count();
    for (machine_arn, scan) in stuck {
        let found = &scan.stuck;
        let name = machines
            .iter()
            .find(|m| &m.summary.arn == machine_arn)
            .map_or_else(
                || short_name(machine_arn).to_string(),
                |m| m.summary.name.clone(),
            );
        // The longest stuck first: the one to look at.
        let oldest = found
            .iter()
            .min_by_key(|(_, s)| s.since_ms.unwrap_or(i64::MAX));
        let Some((execution_arn, worst)) = oldest else {
            fine += 1;
            continue;
        };
        // Only the longest-running are read: say so when more are running.
        let running = scan.executions.len();
        let among = if scan.read.len() < running || scan.more {
            format!(
                " of the {} longest-running ({running}{} running)",
                scan.read.len(),
                if scan.more { "+" } else { "" }
            )
        } else {
            String::new()
        };
        let summary = if found.len() == 1 && among.is_empty() {
            format!("{}: {}", short_name(execution_arn), worst.reason)
        } else {
            format!(
                "{} stuck{among}; the oldest, {}: {}",
                found.len(),
                short_name(execution_arn),
                worst.reason
            )
        };
        out.findings.push(Finding {
            severity: Severity::Critical,
            kind: FindingKind::Stuck,
            resource: name,
            summary,
            since: found.iter().filter_map(|(_, s)| s.since_ms).min(),
            arn: Some(if found.len() == 1 {
                execution_arn.clone()
            } else {
                machine_arn.clone()
            }),
        });
    }
    checked(
        out,
        fine,
        "state machine without stuck executions",
        "state machines without stuck executions",
    );
}
