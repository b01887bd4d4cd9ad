//! The demo world's Lambda metrics, alarms, canaries and RUM through the same traits and
//! topics as the real backend: the numbers agree with the logs the world writes, the
//! incident shows in every signal, and one refresh stays a handful of calls.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use unstuck_aws::api::{
    Data, FunctionsData, FunctionsTopic, SignalsData, Topic, Unpaced, alarm_rows, functions_table,
    rum_summaries,
};
use unstuck_aws::model::functions::{FUNCTION_HEALTH_METRICS, FUNCTION_METRICS, MetricWindow};
use unstuck_aws::model::metrics::{MetricQuery, Stat};
use unstuck_aws::model::signals::{AlarmState, RunStatus};
use unstuck_aws::sim::demo_backends;

#[tokio::test(start_paused = true)]
async fn the_overview_reads_4_metrics_per_function_and_the_same_numbers() {
    let b = demo_backends(7);
    tokio::time::sleep(Duration::from_secs(120)).await;
    let full = functions_table(&b, MetricWindow::H3, &FUNCTION_METRICS, &Unpaced)
        .await
        .unwrap();
    let health = functions_table(&b, MetricWindow::H3, &FUNCTION_HEALTH_METRICS, &Unpaced)
        .await
        .unwrap();
    assert_eq!(full.metrics_requested, 18 * 10 + 1);
    assert_eq!(health.metrics_requested, 18 * 4 + 1);
    for (f, h) in full.rows.iter().zip(&health.rows) {
        assert_eq!(f.config.name, h.config.name);
        assert_eq!(f.metrics.errors_series, h.metrics.errors_series);
        assert_eq!(f.metrics.invocations_series, h.metrics.invocations_series);
        assert_eq!(f.metrics.throttles_series, h.metrics.throttles_series);
        assert_eq!(f.metrics.duration.p99, h.metrics.duration.p99);
        // What the overview does not judge is not read.
        assert_eq!(h.metrics.duration.p50, None);
    }
}

#[tokio::test(start_paused = true)]
async fn the_functions_table_reads_every_function_and_the_refund_function_is_failing() {
    let b = demo_backends(7);
    let before = b.calls.total();
    let table = functions_table(&b, MetricWindow::M15, &FUNCTION_METRICS, &Unpaced)
        .await
        .unwrap();
    assert_eq!(table.rows.len(), 18);
    // ListFunctions, ListEventSourceMappings, GetAccountSettings and one GetMetricData
    // (18 × 10 + 1 queries fit in one call of 500).
    assert_eq!(b.calls.total() - before, 4);
    assert_eq!(table.metrics_requested, 181);
    let refund = table
        .rows
        .iter()
        .find(|r| r.config.name == "tax-calculate-refund")
        .unwrap();
    let m = &refund.metrics;
    assert!(m.invocations > 50.0, "{m:?}");
    let rate = m.error_rate().unwrap();
    assert!((0.02..0.2).contains(&rate), "about 7% fail: {rate}");
    let (p50, p99) = (m.duration.p50.unwrap(), m.duration.p99.unwrap());
    assert!(
        p50 < p99 && p99 < 15_000.0,
        "{p50} < {p99} within the timeout"
    );
    assert_eq!(m.invocations_series.len(), 15);
    assert_eq!(
        m.invocations_series.iter().sum::<f64>(),
        m.invocations,
        "the series are the totals per minute"
    );
    assert_eq!(refund.config.runtime, "java21");
    assert!(table.account.claimed_max.unwrap() >= 1.0);
    assert_eq!(table.account.limit, Some(1_000));
    assert!(
        table
            .mappings
            .iter()
            .any(|e| e.function_name() == "tax-calculate-refund"
                && e.source_arn.ends_with(":tax-refund-calculation"))
    );
    // A second poll reuses the function list: one call.
    let before = b.calls.total();
    functions_table(&b, MetricWindow::H1, &FUNCTION_METRICS, &Unpaced)
        .await
        .unwrap();
    assert_eq!(b.calls.total() - before, 1);
}

#[tokio::test(start_paused = true)]
async fn invocations_in_the_metrics_match_the_report_lines_in_the_logs() {
    let b = demo_backends(11);
    tokio::time::sleep(Duration::from_secs(5 * 60)).await;
    let now = b.clock.now_ms();
    let minute = now.div_euclid(60_000) * 60_000 - 4 * 60_000;
    let q = MetricQuery::new("i", "AWS/Lambda", "Invocations", Stat::Sum)
        .dimension("FunctionName", "tax-submit-api");
    let metric = b
        .metrics
        .get_metric_data(&[q], minute, minute + 3 * 60_000)
        .await
        .unwrap()[0]
        .sum();
    let mut logged = 0;
    let mut next_token = None;
    loop {
        let page = b
            .logs
            .filter_log_events(&unstuck_aws::model::FilterRequest {
                group: "/aws/lambda/tax-submit-api".into(),
                stream_names: Vec::new(),
                stream_prefix: None,
                start_ms: minute,
                end_ms: Some(minute + 3 * 60_000 - 1),
                filter_pattern: Some("\"REPORT RequestId\"".into()),
                next_token: next_token.take(),
                limit: Some(10_000),
            })
            .await
            .unwrap();
        logged += page.events.len();
        next_token = page.next_token;
        if next_token.is_none() {
            break;
        }
    }
    assert!(metric > 0.0);
    // A REPORT line is written when an invocation ends, the datapoint when it starts: the
    // two differ by the few invocations that cross the window's edges.
    assert!(
        (metric - logged as f64).abs() <= 3.0,
        "one REPORT line per invocation: {metric} datapoints, {logged} lines"
    );
}

#[tokio::test(start_paused = true)]
async fn cold_starts_come_from_the_report_lines_with_what_the_query_scanned() {
    let b = demo_backends(7);
    let topic = Topic::Functions(FunctionsTopic::ColdStarts {
        window: MetricWindow::M15,
    });
    let data = topic.fetch(&b, &Unpaced).await.unwrap();
    let unstuck_aws::api::Data::Functions(FunctionsData::ColdStarts {
        by_function,
        bytes_scanned,
        ..
    }) = data
    else {
        panic!("cold starts expected");
    };
    assert!(bytes_scanned > 0.0);
    let java = by_function.get("tax-calculate-refund").unwrap();
    assert!(java.reports > 0 && java.cold >= 1, "{java:?}");
    let init = java.init_p50_ms.unwrap();
    assert!(
        (850.0..=3_200.0).contains(&init),
        "Java inits take 0.85-3.2 s: {init}"
    );
}

#[tokio::test(start_paused = true)]
async fn the_incident_sets_off_the_refund_alarms_and_leaves_the_others_ok() {
    let b = demo_backends(7);
    tokio::time::sleep(Duration::from_secs(3 * 60)).await;
    let rows = alarm_rows(&b, &Unpaced).await.unwrap();
    assert_eq!(rows.len(), 5);
    let state = |name: &str| rows.iter().find(|r| r.alarm.name == name).unwrap();
    let errors = state("tax-calculate-refund-errors");
    assert_eq!(
        errors.alarm.state,
        AlarmState::Alarm,
        "{:?}",
        errors.alarm.reason
    );
    assert!(errors.alarm.reason.starts_with("Threshold Crossed"));
    assert!(!errors.series.as_ref().unwrap().points.is_empty());
    assert_eq!(
        state("tax-submit-api-p99-latency").alarm.state,
        AlarmState::Ok
    );
    assert_eq!(rows[0].alarm.state, AlarmState::Alarm, "in ALARM first");
    let since = errors.alarm.since_ms.unwrap();
    assert!(since <= b.clock.now_ms());
}

#[tokio::test(start_paused = true)]
async fn the_submit_journey_canary_fails_on_its_step_and_the_portal_errors_rise() {
    let b = demo_backends(7);
    let data = Topic::CANARIES.fetch(&b, &Unpaced).await.unwrap();
    let unstuck_aws::api::Data::Signals(SignalsData::Canaries(canaries)) = data else {
        panic!("canaries expected");
    };
    assert_eq!(canaries.len(), 2);
    let journey = canaries
        .iter()
        .find(|c| c.name == "tax-submit-journey")
        .unwrap();
    assert_eq!(journey.runs.len(), 20);
    let failed = journey
        .runs
        .iter()
        .find(|r| r.status == RunStatus::Failed)
        .expect("the journey fails at times since the incident");
    assert_eq!(failed.failing_step().as_deref(), Some("submit return"));
    assert!(journey.success_pct().unwrap() < 90.0);
    let home = canaries
        .iter()
        .find(|c| c.name == "tax-portal-home")
        .unwrap();
    assert!(home.success_pct().unwrap() >= 90.0);

    let monitors = rum_summaries(&b, MetricWindow::H3, &Unpaced).await.unwrap();
    assert_eq!(monitors.len(), 1);
    let rum = &monitors[0];
    assert!(rum.sessions > 0.0 && rum.page_load_p90_ms.unwrap() > 1_000.0);
    let apdex = rum.apdex().unwrap();
    assert!((0.5..=1.0).contains(&apdex), "{apdex}");
    let series = &rum.js_errors_series;
    let (early, late) = series.split_at(series.len() / 2);
    let mean = |s: &[f64]| s.iter().sum::<f64>() / s.len() as f64;
    assert!(
        mean(late) > mean(early) * 1.5,
        "JS errors rise with the incident: {early:?} -> {late:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn bad_metric_requests_are_the_callers_errors() {
    let b = demo_backends(7);
    let q = MetricQuery::new("i", "AWS/Lambda", "Invocations", Stat::Sum);
    let many = vec![q.clone(); 501];
    let err = b
        .metrics
        .get_metric_data(&many, 0, 60_000)
        .await
        .unwrap_err();
    assert!(matches!(
        err,
        unstuck_aws::model::BackendError::InvalidInput(_)
    ));
    let err = b
        .metrics
        .get_metric_data(&[q], 60_000, 0)
        .await
        .unwrap_err();
    assert!(matches!(
        err,
        unstuck_aws::model::BackendError::InvalidInput(_)
    ));
    let err = b.synthetics.canary_runs("nope", 5).await.unwrap_err();
    assert!(matches!(err, unstuck_aws::model::BackendError::NotFound(_)));
}

/// The machines that invoke a function, from their definitions: the demo's return
/// processing calls four functions; asking about the next one reads no definition again
/// within ten minutes (one ListStateMachines), and one after that does.
#[tokio::test(start_paused = true)]
async fn invoking_machines_are_read_from_definitions_kept_ten_minutes() {
    let backends = demo_backends(11);
    let invokers = |function: &str| {
        Topic::Functions(FunctionsTopic::Invokers {
            function: function.into(),
        })
    };
    let machines_of = |data: Data| match data {
        Data::Functions(FunctionsData::Invokers { machines, .. }) => machines,
        other => panic!("{other:?}"),
    };
    let described = || backends.calls.of("DescribeStateMachine");
    let first = invokers("tax-fraud-screening")
        .fetch(&backends, &Unpaced)
        .await
        .unwrap();
    let first = machines_of(first);
    assert_eq!(first.len(), 1, "{first:?}");
    assert_eq!(first[0].machine_name, "tax-return-processing");
    assert!(!first[0].states.is_empty());
    let read = described();
    assert!(
        read >= 2,
        "every demo machine's definition was read: {read}"
    );
    let second = invokers("tax-issue-payment")
        .fetch(&backends, &Unpaced)
        .await
        .unwrap();
    assert_eq!(machines_of(second)[0].machine_name, "tax-return-processing");
    assert_eq!(described(), read, "kept, not read again");
    let none = invokers("tax-audit-trail")
        .fetch(&backends, &Unpaced)
        .await
        .unwrap();
    assert!(machines_of(none).is_empty(), "an EventBridge target");
    tokio::time::sleep(Duration::from_secs(601)).await;
    invokers("tax-fraud-screening")
        .fetch(&backends, &Unpaced)
        .await
        .unwrap();
    assert_eq!(described(), 2 * read, "read again after ten minutes");
}
