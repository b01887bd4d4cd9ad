//! `unstuck functions`, `alarms`, `canaries`, `rum` and `overview`: what the functions,
//! signals and overview panes show, for runbooks and scripts, with the headless contract
//! (`--output text|json`; exit 0, 1 on an AWS or input error, 2 on bad usage). Read-only:
//! none of them changes anything. Each ends within [`ONE_SHOT_LIMIT`].

use std::collections::BTreeMap;
use std::time::Duration;

use serde_json::{Value, json};
use unstuck_aws::api::{
    Backends, Data, FunctionsData, FunctionsTopic, QueuesData, SignalsData, SignalsTopic,
    StepFunctionsData, StepFunctionsTopic, Topic, Unpaced,
};
use unstuck_aws::model::functions::{ColdStarts, FunctionsTable, MetricWindow};
use unstuck_aws::model::signals::{AlarmRow, Canary, RumSummary, trim_number};
use unstuck_aws::untrusted_text::sanitize_line;

use crate::cli::OutputFormat;
use crate::cli_signals::{SignalsArgs, WindowedArgs};
use crate::executions_command::render::{print, rfc3339};
use crate::exit::Refusal;
use crate::state::functions::columns::{ColumnKind, cell, in_trouble};
use crate::state::overview::{OVERVIEW_WINDOW, OverviewInputs, findings, kind_label};

/// The longest a one-shot read may take (a cold-start query is followed for 60 s at most).
pub const ONE_SHOT_LIMIT: Duration = Duration::from_secs(120);

async fn fetch(backends: &Backends, topic: Topic) -> anyhow::Result<Data> {
    match tokio::time::timeout(ONE_SHOT_LIMIT, topic.fetch(backends, &Unpaced)).await {
        Ok(result) => Ok(result?),
        Err(_) => Err(Refusal::input(format!(
            "{}: no answer within {} s",
            topic.resource(),
            ONE_SHOT_LIMIT.as_secs()
        ))
        .into()),
    }
}

fn lines(values: impl Iterator<Item = Value>) -> String {
    values.map(|v| format!("{v}\n")).collect()
}

fn opt_ms(value: Option<f64>) -> Value {
    value.map_or(Value::Null, |v| json!((v * 10.0).round() / 10.0))
}

pub async fn run_functions(backends: Backends, args: &WindowedArgs) -> anyhow::Result<()> {
    let window = args.window;
    let (table, cold) = tokio::join!(
        fetch(
            &backends,
            Topic::Functions(FunctionsTopic::Table { window })
        ),
        fetch(
            &backends,
            Topic::Functions(FunctionsTopic::ColdStarts { window })
        ),
    );
    let Data::Functions(FunctionsData::Table(table)) = table? else {
        anyhow::bail!("the functions poll answered something else");
    };
    let cold: BTreeMap<String, ColdStarts> = match cold {
        Ok(Data::Functions(FunctionsData::ColdStarts { by_function, .. })) => by_function,
        Ok(_) => BTreeMap::new(),
        Err(e) => {
            eprintln!(
                "cold starts not counted (Logs Insights over REPORT lines): {}",
                sanitize_line(&format!("{e:#}"))
            );
            BTreeMap::new()
        }
    };
    if let Some(why) = &table.percentiles_refused {
        eprintln!(
            "duration percentiles not read (the endpoint refused them; the other statistics \
             were read without them): {}",
            sanitize_line(why)
        );
    }
    print(&functions_output(&table, &cold, args.output))
}

/// The functions table as `unstuck functions` prints it.
pub fn functions_output(
    table: &FunctionsTable,
    cold: &BTreeMap<String, ColdStarts>,
    output: OutputFormat,
) -> String {
    let mut rows: Vec<_> = table.rows.iter().collect();
    rows.sort_by(|a, b| {
        b.metrics
            .errors
            .total_cmp(&a.metrics.errors)
            .then(a.config.name.cmp(&b.config.name))
    });
    match output {
        OutputFormat::Json => lines(rows.iter().map(|r| {
            let m = &r.metrics;
            let c = cold.get(&r.config.name);
            json!({
                "name": r.config.name,
                "arn": r.config.arn,
                "runtime": r.config.runtime,
                "memory_mb": r.config.memory_mb,
                "timeout_s": r.config.timeout_s,
                "window": table.window.label(),
                "invocations": m.invocations,
                "errors": m.errors,
                "error_rate": m.error_rate(),
                "throttles": m.throttles,
                "duration_ms": {
                    "p50": opt_ms(m.duration.p50),
                    "p95": opt_ms(m.duration.p95),
                    "p99": opt_ms(m.duration.p99),
                },
                "max_concurrency": m.max_concurrency,
                "iterator_age_ms": m.iterator_age_ms,
                "async_event_age_ms": m.async_event_age_ms,
                "cold_start_pct": c.and_then(ColdStarts::rate).map(|r| (r * 1000.0).round() / 10.0),
                "init_duration_ms": c.map(|c| json!({"p50": opt_ms(c.init_p50_ms), "p99": opt_ms(c.init_p99_ms)})),
                "estimated_cost_usd": unstuck_aws::model::functions::estimated_cost(&r.config, m),
                "in_trouble": in_trouble(r),
            })
        })),
        OutputFormat::Text => {
            let kinds = [
                ColumnKind::Invocations,
                ColumnKind::Errors,
                ColumnKind::ErrorRate,
                ColumnKind::Throttles,
                ColumnKind::P50,
                ColumnKind::P95,
                ColumnKind::P99,
                ColumnKind::ColdRate,
                ColumnKind::Cost,
            ];
            let mut out = format!(
                "{:<40} {:>7} {:>6} {:>6} {:>5} {:>7} {:>7} {:>7} {:>6} {:>8}  (last {})\n",
                "FUNCTION",
                "CALLS",
                "ERR",
                "ERR%",
                "THR",
                "P50",
                "P95",
                "P99",
                "COLD%",
                "COST",
                table.window.label()
            );
            for r in rows {
                let c = cold.get(&r.config.name);
                let v: Vec<String> = kinds.iter().map(|k| cell(*k, r, c)).collect();
                out.push_str(&format!(
                    "{:<40} {:>7} {:>6} {:>6} {:>5} {:>7} {:>7} {:>7} {:>6} {:>8}\n",
                    r.config.name, v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8]
                ));
            }
            out
        }
    }
}

pub async fn run_alarms(backends: Backends, args: &SignalsArgs) -> anyhow::Result<()> {
    let Data::Signals(SignalsData::Alarms(rows)) = fetch(&backends, Topic::ALARMS).await? else {
        anyhow::bail!("the alarms poll answered something else");
    };
    print(&alarms_output(&rows, args.output))
}

pub fn alarms_output(rows: &[AlarmRow], output: OutputFormat) -> String {
    match output {
        OutputFormat::Json => lines(rows.iter().map(|r| {
            let a = &r.alarm;
            json!({
                "name": a.name,
                "arn": a.arn,
                "state": a.state.label(),
                "reason": a.reason,
                "since": a.since_ms.map(rfc3339),
                "metric": a.metric.as_ref().map(|m| json!({
                    "namespace": m.query.namespace,
                    "name": m.query.metric,
                    "statistic": m.query.stat.name(),
                    "period_s": m.query.period_s,
                    "dimensions": m.query.dimensions.iter().map(|(k, v)| (k.clone(), json!(v))).collect::<serde_json::Map<_, _>>(),
                    "comparison": m.comparison,
                    "threshold": m.threshold,
                })),
                "last_value": r.series.as_ref().and_then(|s| s.last()),
            })
        })),
        OutputFormat::Text => {
            let mut out = format!("{:<8} {:<44} {:<22} WHAT\n", "STATE", "ALARM", "SINCE");
            for r in rows {
                let a = &r.alarm;
                out.push_str(&format!(
                    "{:<8} {:<44} {:<22} {}\n",
                    a.state.label(),
                    a.name,
                    a.since_ms.map(rfc3339).unwrap_or_default(),
                    a.metric.as_ref().map_or(a.reason.clone(), |m| m.describe())
                ));
            }
            out
        }
    }
}

pub async fn run_canaries(backends: Backends, args: &SignalsArgs) -> anyhow::Result<()> {
    let Data::Signals(SignalsData::Canaries(rows)) = fetch(&backends, Topic::CANARIES).await?
    else {
        anyhow::bail!("the canaries poll answered something else");
    };
    print(&canaries_output(&rows, args.output))
}

pub fn canaries_output(rows: &[Canary], output: OutputFormat) -> String {
    match output {
        OutputFormat::Json => lines(rows.iter().map(|c| {
            let last = c.last_run.as_ref().or(c.runs.first());
            json!({
                "name": c.name,
                "state": c.state,
                "schedule": c.schedule,
                "last_run": last.map(|r| json!({
                    "status": r.status.label(),
                    "reason": r.reason,
                    "started": r.started_ms.map(rfc3339),
                    "duration_ms": r.duration_ms(),
                    "failing_step": r.failing_step(),
                })),
                "success_pct": c.success_pct(),
                "runs_read": c.runs.len(),
                "failing": c.is_failing(),
            })
        })),
        OutputFormat::Text => {
            let mut out = format!(
                "{:<8} {:<36} {:>8}  LAST RUN\n",
                "STATE", "CANARY", "SUCCESS"
            );
            for c in rows {
                let last = c.last_run.as_ref().or(c.runs.first());
                out.push_str(&format!(
                    "{:<8} {:<36} {:>8}  {}\n",
                    last.map_or("NO RUN", |r| r.status.label()),
                    c.name,
                    c.success_pct()
                        .map(|p| format!("{p:.0}%"))
                        .unwrap_or_default(),
                    last.map(|r| r.reason.clone()).unwrap_or_default()
                ));
            }
            out
        }
    }
}

pub async fn run_rum(backends: Backends, args: &WindowedArgs) -> anyhow::Result<()> {
    let topic = Topic::Signals(SignalsTopic::Rum {
        window: args.window,
    });
    let Data::Signals(SignalsData::Rum { monitors, window }) = fetch(&backends, topic).await?
    else {
        anyhow::bail!("the RUM poll answered something else");
    };
    print(&rum_output(&monitors, window, args.output))
}

pub fn rum_output(rows: &[RumSummary], window: MetricWindow, output: OutputFormat) -> String {
    let name = |r: &RumSummary| r.monitor.as_ref().map_or(String::new(), |m| m.name.clone());
    match output {
        OutputFormat::Json => lines(rows.iter().map(|r| {
            json!({
                "name": name(r),
                "domain": r.monitor.as_ref().map(|m| m.domain.clone()),
                "window": window.label(),
                "sessions": r.sessions,
                "js_errors": r.js_errors,
                "http_errors": r.http_errors,
                "page_load_p90_ms": opt_ms(r.page_load_p90_ms),
                "apdex": r.apdex(),
                "lcp_p75_ms": opt_ms(r.lcp_p75_ms),
                "inp_p75_ms": opt_ms(r.inp_p75_ms),
                "cls_p75": r.cls_p75,
            })
        })),
        OutputFormat::Text => {
            let mut out = format!(
                "{:<30} {:>9} {:>9} {:>11} {:>9} {:>6}  (last {})\n",
                "APP MONITOR",
                "SESSIONS",
                "JS ERR",
                "HTTP ERR",
                "LOAD P90",
                "APDEX",
                window.label()
            );
            for r in rows {
                out.push_str(&format!(
                    "{:<30} {:>9} {:>9} {:>11} {:>9} {:>6}\n",
                    name(r),
                    trim_number(r.sessions),
                    trim_number(r.js_errors),
                    trim_number(r.http_errors),
                    crate::state::functions::columns::millis(r.page_load_p90_ms),
                    r.apdex().map(|a| format!("{a:.2}")).unwrap_or_default()
                ));
            }
            out
        }
    }
}

/// Every part of the overview, read at once; a part that fails is named on stderr and the
/// command exits 1 after printing what the others found.
pub async fn run_overview(backends: Backends, args: &SignalsArgs) -> anyhow::Result<()> {
    let topics = crate::state::overview::overview_topics();
    let results =
        futures::future::join_all(topics.iter().map(|t| fetch(&backends, t.clone()))).await;
    let mut inputs = OverviewParts::default();
    let mut failed = Vec::new();
    for (topic, result) in topics.iter().zip(results) {
        match result {
            Ok(Data::Signals(SignalsData::Alarms(rows))) => inputs.alarms = Some(rows),
            Ok(Data::Signals(SignalsData::Canaries(rows))) => inputs.canaries = Some(rows),
            Ok(Data::Signals(SignalsData::Rum { monitors, .. })) => inputs.rum = Some(monitors),
            Ok(Data::Queues(QueuesData::Table(rows))) => inputs.queues = Some(rows),
            Ok(Data::Functions(FunctionsData::Table(t))) => inputs.functions = Some(*t),
            Ok(Data::StepFunctions(StepFunctionsData::Machines(rows))) => {
                inputs.machines = Some(rows)
            }
            Ok(_) => {}
            Err(e) => failed.push(format!("{}: {e:#}", topic.resource())),
        }
    }
    // Then the machines with running executions, for stuck ones.
    let scans: Vec<Topic> = inputs
        .machines
        .as_deref()
        .map(crate::state::overview::stuck_scan_topics)
        .unwrap_or_default()
        .into_iter()
        .map(Topic::StepFunctions)
        .collect();
    let results =
        futures::future::join_all(scans.iter().map(|t| fetch(&backends, t.clone()))).await;
    let mut stuck = BTreeMap::new();
    for (topic, result) in scans.iter().zip(results) {
        match (topic, result) {
            (
                Topic::StepFunctions(StepFunctionsTopic::StuckScan { machine_arn }),
                Ok(Data::StepFunctions(StepFunctionsData::Executions(view))),
            ) => {
                stuck.insert(machine_arn.clone(), view);
            }
            (_, Ok(_)) => {}
            (_, Err(e)) => failed.push(format!("{}: {e:#}", topic.resource())),
        }
    }
    let overview = findings(&OverviewInputs {
        alarms: inputs.alarms.as_deref(),
        canaries: inputs.canaries.as_deref(),
        rum: inputs.rum.as_deref(),
        queues: inputs.queues.as_deref(),
        queue_growth: None,
        dlq_since: None,
        functions: inputs.functions.as_ref(),
        machines: inputs.machines.as_deref(),
        stuck: inputs.machines.is_some().then_some(&stuck),
    });
    let out = match args.output {
        OutputFormat::Json => {
            let items: Vec<Value> = overview
                .findings
                .iter()
                .map(|f| {
                    json!({
                        "severity": f.severity,
                        "kind": f.kind,
                        "resource": f.resource,
                        "summary": f.summary,
                        "since": f.since.map(rfc3339),
                        "arn": f.arn,
                    })
                })
                .collect();
            format!("{}\n", Value::Array(items))
        }
        OutputFormat::Text => {
            let mut out = format!(
                "{:<9} {:<11} {:<40} {:<21} WHAT (functions over the last {})\n",
                "SEVERITY",
                "KIND",
                "RESOURCE",
                "SINCE",
                OVERVIEW_WINDOW.label()
            );
            for f in &overview.findings {
                out.push_str(&format!(
                    "{:<9} {:<11} {:<40} {:<21} {}\n",
                    if f.severity == crate::state::overview::Severity::Critical {
                        "CRITICAL"
                    } else {
                        "warning"
                    },
                    kind_label(f.kind),
                    f.resource,
                    f.since.map(rfc3339).unwrap_or_else(|| "–".into()),
                    f.summary
                ));
            }
            let healthy: Vec<String> = overview
                .healthy
                .iter()
                .map(|(what, n)| format!("{n} {what}"))
                .collect();
            out.push_str(&format!("healthy: {}\n", healthy.join(" · ")));
            out
        }
    };
    print(&out)?;
    if failed.is_empty() {
        Ok(())
    } else {
        Err(Refusal::input(format!(
            "{} of {} parts not read: {}",
            failed.len(),
            topics.len(),
            sanitize_line(&failed.join("; "))
        ))
        .into())
    }
}

#[derive(Default)]
struct OverviewParts {
    alarms: Option<Vec<AlarmRow>>,
    canaries: Option<Vec<Canary>>,
    rum: Option<Vec<RumSummary>>,
    queues: Option<Vec<unstuck_aws::model::queues::QueueSummary>>,
    functions: Option<FunctionsTable>,
    machines: Option<Vec<unstuck_aws::api::MachineRow>>,
}
