//! The overview's rules, on data made for them: errors and throttles count against the
//! function's own baseline, severity and recency order the findings, DLQs that grow are
//! critical, a canary failing most runs is critical, and what was checked is counted.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;

use unstuck::state::overview::{FindingKind, OverviewInputs, Severity, findings};
use unstuck_aws::api::{Count, ExecutionsView, MachineRow, StepFunctionsTopic};
use unstuck_aws::model::functions::{
    FunctionConfig, FunctionMetrics, FunctionRow, FunctionsTable, MetricWindow, Percentiles,
};
use unstuck_aws::model::queues::{QueueAttributes, QueueRef, QueueSummary, RedrivePolicy};
use unstuck_aws::model::signals::{Canary, CanaryRun, RunStatus};
use unstuck_aws::model::step_functions::{
    ExecutionStatus, ExecutionSummary, MachineType, StateMachineSummary, Stuck, StuckKind,
};

const END_MS: i64 = 1_796_000_000_000;

/// A function over 3 h (36 five-minute points): `base` errors per point before the last 15
/// minutes, `recent` per point in them, 100 calls a point.
fn function(name: &str, base: f64, recent: f64) -> FunctionRow {
    let mut errors = vec![base; 33];
    errors.extend([recent; 3]);
    FunctionRow {
        config: FunctionConfig {
            name: name.into(),
            arn: format!("arn:aws:lambda:eu-west-1:1:function:{name}"),
            timeout_s: 30,
            memory_mb: 128,
            ..FunctionConfig::default()
        },
        metrics: FunctionMetrics {
            invocations: 3_600.0,
            errors: errors.iter().sum(),
            invocations_series: vec![100.0; 36],
            errors_series: errors,
            throttles_series: vec![0.0; 36],
            p99_series: vec![50.0; 36],
            duration: Percentiles {
                p99: Some(50.0),
                ..Percentiles::default()
            },
            ..FunctionMetrics::default()
        },
    }
}

fn table(rows: Vec<FunctionRow>) -> FunctionsTable {
    let window = MetricWindow::H3;
    FunctionsTable {
        window,
        range_ms: (END_MS - window.ms(), END_MS),
        rows,
        ..FunctionsTable::default()
    }
}

#[test]
fn functions_are_judged_against_their_own_baseline() {
    let t = table(vec![
        // Always 2 errors per 5 minutes: its normal, not a finding.
        function("steady", 2.0, 2.0),
        // From none to 2 per 5 minutes (6 in 15 minutes, 2% of calls): a warning.
        function("rising", 0.0, 2.0),
        // 10 per 5 minutes (10% of calls): critical.
        function("failing", 0.0, 10.0),
        // One stray error is not a finding.
        function("stray", 0.0, 0.34),
    ]);
    let o = findings(&OverviewInputs {
        functions: Some(&t),
        ..OverviewInputs::default()
    });
    let named: Vec<(&str, Severity)> = o
        .findings
        .iter()
        .map(|f| (f.resource.as_str(), f.severity))
        .collect();
    assert_eq!(
        named,
        [
            ("failing", Severity::Critical),
            ("rising", Severity::Warning)
        ]
    );
    assert!(o.findings[0].summary.contains("30 errors in 15 min"));
    assert!(
        o.healthy
            .contains(&("functions within their baseline".to_string(), 2))
    );
}

#[test]
fn throttles_and_a_p99_near_the_timeout_join_one_finding_per_function() {
    let mut row = function("busy", 0.0, 0.0);
    row.metrics.throttles_series = [vec![0.0; 33], vec![4.0; 3]].concat();
    row.metrics.duration.p99 = Some(29_000.0);
    let t = table(vec![row]);
    let o = findings(&OverviewInputs {
        functions: Some(&t),
        ..OverviewInputs::default()
    });
    assert_eq!(o.findings.len(), 1, "{o:#?}");
    let summary = &o.findings[0].summary;
    assert!(
        summary.contains("12 throttles") && summary.contains("p99 29.0 s of a 30 s timeout"),
        "{summary}"
    );
}

fn queue(name: &str, visible: u64, dlq_of: Option<&str>) -> QueueSummary {
    let arn = format!("arn:aws:sqs:eu-west-1:1:{name}");
    QueueSummary {
        queue: QueueRef {
            name: name.into(),
            url: format!("https://sqs.eu-west-1.amazonaws.com/1/{name}"),
        },
        attributes: QueueAttributes {
            arn,
            visible,
            redrive_policy: None,
            ..QueueAttributes::default()
        },
        sources: dlq_of
            .map(|s| vec![format!("arn:aws:sqs:eu-west-1:1:{s}")])
            .unwrap_or_default(),
    }
}

#[test]
fn dlqs_with_messages_are_found_and_growing_ones_are_critical() {
    let mut source = queue("orders", 3, None);
    source.attributes.redrive_policy = Some(RedrivePolicy {
        dead_letter_target_arn: "arn:aws:sqs:eu-west-1:1:orders-dlq".into(),
        max_receive_count: 3,
    });
    let queues = vec![
        source,
        queue("orders-dlq", 12, Some("orders")),
        queue("old-dlq", 4, Some("legacy")),
        queue("empty-dlq", 0, Some("other")),
    ];
    let growth = BTreeMap::from([("arn:aws:sqs:eu-west-1:1:orders-dlq".to_string(), 2.5)]);
    let since = BTreeMap::from([("arn:aws:sqs:eu-west-1:1:old-dlq".to_string(), END_MS)]);
    let o = findings(&OverviewInputs {
        queues: Some(&queues),
        queue_growth: Some(&growth),
        dlq_since: Some(&since),
        ..OverviewInputs::default()
    });
    let named: Vec<(&str, Severity)> = o
        .findings
        .iter()
        .map(|f| (f.resource.as_str(), f.severity))
        .collect();
    assert_eq!(
        named,
        [
            ("orders-dlq", Severity::Critical),
            ("old-dlq", Severity::Warning)
        ]
    );
    assert!(o.findings[0].summary.contains("growing 2.5/min"));
    assert!(o.findings[0].summary.contains("from orders"));
    assert_eq!(o.findings[1].since, Some(END_MS));
}

fn run(status: RunStatus, at: i64) -> CanaryRun {
    CanaryRun {
        id: format!("run-{at}"),
        status,
        reason: if status == RunStatus::Failed {
            "Step 2 'pay' failed: timeout".into()
        } else {
            String::new()
        },
        started_ms: Some(at),
        completed_ms: Some(at + 5_000),
    }
}

#[test]
fn canaries_failing_most_runs_are_critical_and_findings_are_newest_first() {
    let canary = |name: &str, statuses: &[RunStatus], newest: i64| Canary {
        name: name.into(),
        state: "RUNNING".into(),
        schedule: "rate(5 minutes)".into(),
        last_run: None,
        runs: statuses
            .iter()
            .enumerate()
            .map(|(i, s)| run(*s, newest - i as i64 * 300_000))
            .collect(),
    };
    use RunStatus::{Failed, Passed};
    let canaries = vec![
        canary("mostly-down", &[Failed, Failed, Failed, Passed], END_MS),
        canary(
            "flaky-old",
            &[Failed, Passed, Passed, Passed],
            END_MS - 3_600_000,
        ),
        canary(
            "flaky-new",
            &[Failed, Passed, Passed, Passed],
            END_MS - 60_000,
        ),
        canary("fine", &[Passed, Passed], END_MS),
    ];
    let o = findings(&OverviewInputs {
        canaries: Some(&canaries),
        ..OverviewInputs::default()
    });
    let named: Vec<(&str, Severity)> = o
        .findings
        .iter()
        .map(|f| (f.resource.as_str(), f.severity))
        .collect();
    assert_eq!(
        named,
        [
            ("mostly-down", Severity::Critical),
            ("flaky-new", Severity::Warning),
            ("flaky-old", Severity::Warning),
        ]
    );
    assert!(o.findings.iter().all(|f| f.kind == FindingKind::Canary));
    assert!(o.findings[0].summary.contains("at step 'pay'"));
    // The failing streak's first run is when it started.
    assert_eq!(o.findings[0].since, Some(END_MS - 2 * 300_000));
    assert!(o.healthy.contains(&("canary passing".to_string(), 1)));
}

fn machine(name: &str, running: usize) -> MachineRow {
    MachineRow {
        summary: StateMachineSummary {
            arn: format!("arn:aws:states:eu-west-1:1:stateMachine:{name}"),
            name: name.into(),
            machine_type: MachineType::Standard,
            created_ms: 0,
        },
        running: Some(Count {
            n: running,
            more: false,
        }),
        failed_24h: Some(Count::default()),
        last_start_ms: None,
        logging: None,
    }
}

fn stuck(machine: &str, execution: &str, kind: StuckKind, since_ms: i64) -> (String, Stuck) {
    (
        format!("arn:aws:states:eu-west-1:1:execution:{machine}:{execution}"),
        Stuck {
            kind,
            state: Some("Approve".into()),
            since_ms: Some(since_ms),
            reason: format!("{} in 'Approve'", kind.as_str()),
        },
    )
}

/// A stuck scan of `machine`: `running` listed, the first `read` of them read.
fn scan(machine: &str, running: usize, read: usize, stuck: Vec<(String, Stuck)>) -> ExecutionsView {
    let executions: Vec<ExecutionSummary> = (0..running)
        .map(|i| ExecutionSummary {
            arn: format!("arn:aws:states:eu-west-1:1:execution:{machine}:x{i}"),
            name: format!("x{i}"),
            state_machine_arn: format!("arn:aws:states:eu-west-1:1:stateMachine:{machine}"),
            status: ExecutionStatus::Running,
            start_ms: END_MS - i as i64,
            stop_ms: None,
            redrive_count: 0,
        })
        .collect();
    ExecutionsView {
        read: executions
            .iter()
            .take(read)
            .map(|e| e.arn.clone())
            .collect(),
        executions,
        more: false,
        stuck,
    }
}

#[test]
fn stuck_executions_are_critical_and_lead_to_the_execution_or_its_machine() {
    let machines = vec![
        machine("tax-return", 12),
        machine("refunds", 3),
        machine("quiet", 0),
        machine("busy-fine", 40),
    ];
    let arn = |m: &str| format!("arn:aws:states:eu-west-1:1:stateMachine:{m}");
    // The scan picks the machines with the most running, none with nothing running.
    let scanned: Vec<String> = unstuck::state::overview::stuck_scan_topics(&machines)
        .into_iter()
        .map(|t| match t {
            StepFunctionsTopic::StuckScan { machine_arn } => machine_arn,
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(
        scanned,
        [arn("busy-fine"), arn("tax-return"), arn("refunds")]
    );
    let mut found = BTreeMap::new();
    // tax-return: 12 running, 10 of them read (the longest-running), 2 stuck.
    found.insert(
        arn("tax-return"),
        scan(
            "tax-return",
            12,
            10,
            vec![
                stuck("tax-return", "e-new", StuckKind::OverP95, END_MS - 600_000),
                stuck(
                    "tax-return",
                    "e-old",
                    StuckKind::TaskToken,
                    END_MS - 7_200_000,
                ),
            ],
        ),
    );
    found.insert(
        arn("refunds"),
        scan(
            "refunds",
            3,
            3,
            vec![stuck("refunds", "r1", StuckKind::Wait, END_MS - 60_000)],
        ),
    );
    found.insert(arn("busy-fine"), scan("busy-fine", 40, 10, Vec::new()));
    let o = findings(&OverviewInputs {
        machines: Some(&machines),
        stuck: Some(&found),
        ..OverviewInputs::default()
    });
    let stuck_rows: Vec<_> = o
        .findings
        .iter()
        .filter(|f| f.kind == FindingKind::Stuck)
        .collect();
    assert_eq!(stuck_rows.len(), 2);
    assert!(stuck_rows.iter().all(|f| f.severity == Severity::Critical));
    // Newest first among equals: refunds' stuck one began a minute ago.
    assert_eq!(stuck_rows[0].resource, "refunds");
    assert_eq!(
        stuck_rows[0].arn.as_deref(),
        Some("arn:aws:states:eu-west-1:1:execution:refunds:r1"),
        "one stuck execution opens that execution"
    );
    assert_eq!(stuck_rows[1].resource, "tax-return");
    assert!(
        stuck_rows[1].summary.starts_with(
            "2 stuck of the 10 longest-running (12 running); the oldest, e-old: task_token"
        ),
        "{}",
        stuck_rows[1].summary
    );
    assert_eq!(stuck_rows[1].since, Some(END_MS - 7_200_000));
    assert_eq!(
        stuck_rows[1].arn.as_deref(),
        Some(arn("tax-return").as_str()),
        "several open their machine's list"
    );
    // quiet (nothing running) and busy-fine (scanned, none stuck) were checked.
    assert!(
        o.healthy
            .contains(&("state machines without stuck executions".to_string(), 2)),
        "{:?}",
        o.healthy
    );
}
