//! CloudWatch through the real aws-sdk-cloudwatch client, on LocalStack (moto does not speak
//! the RPC v2 CBOR protocol the SDK uses), routed there with `AWS_ENDPOINT_URL_CLOUDWATCH`
//! while Lambda, SQS and Step Functions go to moto, as a user with both emulators would run
//! it: alarms (state, reason sanitised, metric and threshold), the functions' metrics
//! (GetMetricData sums by function), and the overview naming what is on fire and the parts
//! no emulator serves. Started by scripts/test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod dlq_support;
mod localstack_support;
mod moto_support;

use aws_sdk_cloudwatch::primitives::DateTime;
use aws_sdk_cloudwatch::types::{
    ComparisonOperator, Dimension, MetricDatum, StandardUnit, StateValue, Statistic,
};
use localstack_support::*;
use moto_support::*;
use serde_json::Value;

fn unique(base: &str) -> String {
    format!("{base}-{:08x}", fastrand::u32(..))
}

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn json_lines(out: &std::process::Output) -> Vec<Value> {
    stdout(out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// An alarm on a function's errors (Sum > 5 over a minute), then set to `state`.
async fn alarm(cw: &aws_sdk_cloudwatch::Client, name: &str, function: &str, state: StateValue) {
    // Data that agrees with the state: LocalStack evaluates its alarms every period.
    let errors = if state == StateValue::Alarm {
        50.0
    } else {
        0.0
    };
    cw.put_metric_data()
        .namespace("AWS/Lambda")
        .metric_data(
            MetricDatum::builder()
                .metric_name("Errors")
                .dimensions(
                    Dimension::builder()
                        .name("FunctionName")
                        .value(function)
                        .build(),
                )
                .timestamp(DateTime::from_secs(now_ms() / 1000 - 30))
                .value(errors)
                .unit(StandardUnit::Count)
                .build(),
        )
        .send()
        .await
        .unwrap();
    cw.put_metric_alarm()
        .alarm_name(name)
        .namespace("AWS/Lambda")
        .metric_name("Errors")
        .dimensions(
            Dimension::builder()
                .name("FunctionName")
                .value(function)
                .build(),
        )
        .statistic(Statistic::Sum)
        .period(60)
        .evaluation_periods(1)
        .threshold(5.0)
        .comparison_operator(ComparisonOperator::GreaterThanThreshold)
        .send()
        .await
        .unwrap();
    cw.set_alarm_state()
        .alarm_name(name)
        .state_value(state)
        .state_reason(format!("Threshold Crossed: {HOSTILE}"))
        .send()
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn localstack_alarms_in_alarm_come_first_with_their_metric_and_a_clean_reason() {
    let cw = cloudwatch().await;
    let firing = unique("refund-errors");
    let calm = unique("calm-errors");
    let refund = unique("tax-refund");
    alarm(&cw, &calm, &unique("tax-calm"), StateValue::Ok).await;
    alarm(&cw, &firing, &refund, StateValue::Alarm).await;
    let state = tempfile::tempdir().unwrap();

    let out = unstuck_split(state.path(), &["alarms", "--output", "json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let rows = json_lines(&out);
    let position = |name: &str| rows.iter().position(|r| r["name"] == name).unwrap();
    let row = &rows[position(&firing)];
    assert_eq!(row["state"], "ALARM");
    assert!(position(&firing) < position(&calm), "ALARM sorts first");
    // OK, or INSUFFICIENT_DATA once LocalStack has evaluated it: never ALARM.
    assert_ne!(rows[position(&calm)]["state"], "ALARM");
    let reason = row["reason"].as_str().unwrap();
    assert!(reason.starts_with("Threshold Crossed: pwned"), "{reason}");
    assert!(
        !reason
            .chars()
            .any(|c| c.is_control() || c == '\u{202e}' || c == '\u{9b}'),
        "sanitised: {reason:?}"
    );
    assert!(row["since"].as_str().is_some_and(|s| s.starts_with("20")));
    let metric = &row["metric"];
    assert_eq!(metric["namespace"], "AWS/Lambda");
    assert_eq!(metric["name"], "Errors");
    assert_eq!(metric["statistic"], "Sum");
    assert_eq!(metric["period_s"], 60);
    assert_eq!(metric["dimensions"]["FunctionName"], refund.as_str());
    assert_eq!(metric["threshold"], 5.0);

    let text = stdout(&unstuck_split(state.path(), &["alarms"]));
    let line = text.lines().find(|l| l.contains(&firing)).unwrap();
    assert!(line.starts_with("ALARM"), "{text}");
    assert!(!text.contains('\u{1b}'), "no escape reaches the terminal");
}

/// One function on moto (what the functions pane lists) whose metrics are on LocalStack.
async fn function_with_metrics(name: &str) {
    let endpoint = moto_endpoint();
    let conf = seed_config(&endpoint).await;
    let role = create_role(&endpoint, &format!("{name}-role")).await;
    aws_sdk_lambda::Client::new(&conf)
        .create_function()
        .function_name(name)
        .runtime(aws_sdk_lambda::types::Runtime::Python312)
        .role(&role)
        .handler("app.handler")
        .memory_size(512)
        .timeout(10)
        .code(
            aws_sdk_lambda::types::FunctionCode::builder()
                .zip_file(aws_sdk_lambda::primitives::Blob::new(EMPTY_ZIP))
                .build(),
        )
        .send()
        .await
        .unwrap();
    let cw = cloudwatch().await;
    let now_s = now_ms() / 1000;
    // Five minutes in the last half hour: 20 calls, 3 errors, 1 throttle each, durations.
    for minute in 0..5_i64 {
        let at = DateTime::from_secs(now_s - 1_800 + minute * 300);
        let datum = |metric: &str, value: f64, unit: StandardUnit| {
            MetricDatum::builder()
                .metric_name(metric)
                .dimensions(
                    Dimension::builder()
                        .name("FunctionName")
                        .value(name)
                        .build(),
                )
                .timestamp(at)
                .value(value)
                .unit(unit)
                .build()
        };
        cw.put_metric_data()
            .namespace("AWS/Lambda")
            .metric_data(datum("Invocations", 20.0, StandardUnit::Count))
            .metric_data(datum("Errors", 3.0, StandardUnit::Count))
            .metric_data(datum("Throttles", 1.0, StandardUnit::Count))
            .metric_data(datum(
                "Duration",
                100.0 * (minute + 1) as f64,
                StandardUnit::Milliseconds,
            ))
            .send()
            .await
            .unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn localstack_function_metrics_are_summed_per_function_over_the_window() {
    let name = unique("tax-calculate");
    function_with_metrics(&name).await;
    let state = tempfile::tempdir().unwrap();
    let out = unstuck_split(
        state.path(),
        &["functions", "--window", "1h", "--output", "json"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let rows = json_lines(&out);
    let row = rows
        .iter()
        .find(|r| r["name"] == name.as_str())
        .unwrap_or_else(|| panic!("{name} listed: {}", stdout(&out)));
    assert_eq!(row["invocations"], 100.0);
    assert_eq!(row["errors"], 15.0);
    assert_eq!(row["throttles"], 5.0);
    // LocalStack computes no percentile statistics (HTTP 500 'p50'): the table is read
    // again without them, the percentiles null and stderr saying why.
    assert_eq!(row["duration_ms"]["p99"], Value::Null, "{row}");
    assert!(
        stderr(&out).contains("duration percentiles not read"),
        "{}",
        stderr(&out)
    );
    assert_eq!(row["memory_mb"], 512);
}

/// The whole overview against the emulators, in a region no other test uses (so it holds
/// only what this test made): an alarm firing on LocalStack; on moto a DLQ with messages
/// really driven into it and an execution waiting for a task token nobody will send.
/// Synthetics and RUM are served by neither emulator: the overview prints what the other
/// parts found, names those two on stderr, and exits 1.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn emulators_overview_shows_the_alarm_the_dlq_and_the_stuck_execution() {
    const REGION: &str = "eu-west-3";
    let moto = moto_endpoint();
    let conf = seed_config_in(&moto, REGION).await;
    let firing = unique("payments-errors");
    alarm(
        &cloudwatch_in(REGION).await,
        &firing,
        &unique("tax-pay"),
        StateValue::Alarm,
    )
    .await;
    let sqs = aws_sdk_sqs::Client::new(&conf);
    let pair = dlq_support::pair(&sqs, "submissions", false).await;
    let seeds: Vec<dlq_support::Seed> = (0..3)
        .map(|i| dlq_support::Seed {
            body: format!("{{\"submission\":{i}}}"),
            kind: "retry",
            group: None,
        })
        .collect();
    dlq_support::drive_into_dlq(&sqs, &pair, &seeds).await;
    let sfn = aws_sdk_sfn::Client::new(&conf);
    let machine_name = unique("approvals");
    let queue_url = token_queue(&conf, &machine_name).await;
    let machine = create_machine(
        &sfn,
        &machine_name,
        &serde_json::json!({
            "StartAt": "HumanApproval",
            "States": {"HumanApproval": approval_state(&queue_url)}
        }),
    )
    .await;
    let execution = sfn
        .start_execution()
        .state_machine_arn(&machine)
        .name("waiting")
        .input("{}")
        .send()
        .await
        .unwrap()
        .execution_arn()
        .to_string();

    let state = tempfile::tempdir().unwrap();
    let started = std::time::Instant::now();
    let (out, findings) = loop {
        let out = unstuck_split_in(state.path(), REGION, &["overview", "--output", "json"]);
        let findings: Vec<Value> = serde_json::from_str(stdout(&out).trim()).unwrap();
        // moto runs the execution into its task state in the background.
        if findings.iter().any(|f| f["kind"] == "stuck")
            || started.elapsed() > std::time::Duration::from_secs(20)
        {
            break (out, findings);
        }
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    };
    let err = stderr(&out);
    let of = |kind: &str| {
        findings
            .iter()
            .find(|f| f["kind"] == kind)
            .unwrap_or_else(|| panic!("a {kind} finding in {findings:?}; stderr: {err}"))
    };
    let alarm = of("alarm");
    assert_eq!(alarm["resource"], firing.as_str());
    assert_eq!(alarm["severity"], "critical");
    let dlq = of("dlq");
    assert_eq!(dlq["resource"], pair.dlq_name.as_str());
    assert!(dlq["summary"].as_str().unwrap().contains('3'), "{dlq}");
    let stuck = of("stuck");
    assert_eq!(stuck["resource"], machine_name.as_str());
    assert_eq!(stuck["severity"], "critical");
    assert_eq!(
        stuck["arn"],
        execution.as_str(),
        "one stuck: it opens the execution"
    );
    assert!(
        stuck["summary"]
            .as_str()
            .unwrap()
            .starts_with("waiting: waiting for a task token"),
        "{stuck}"
    );
    // What no emulator serves is named, and nothing else failed.
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("2 of 6 parts not read"), "{err}");
    assert!(err.contains("canaries") && err.contains("RUM"), "{err}");
    assert!(
        !err.contains("alarms:") && !err.contains("function health"),
        "{err}"
    );
}

/// The queue table's age of the oldest message: CloudWatch's
/// `ApproximateAgeOfOldestMessage` (on LocalStack) for a queue holding messages (on moto);
/// with moto alone (no CloudWatch) the ages are null and stderr says why, the table is whole.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn emulators_queues_show_the_age_of_the_oldest_message() {
    let sqs = aws_sdk_sqs::Client::new(&seed_config(&moto_endpoint()).await);
    let name = unique("tax-backlog");
    let url = sqs
        .create_queue()
        .queue_name(&name)
        .send()
        .await
        .unwrap()
        .queue_url()
        .unwrap()
        .to_string();
    for i in 0..2 {
        sqs.send_message()
            .queue_url(&url)
            .message_body(format!("job {i}"))
            .send()
            .await
            .unwrap();
    }
    cloudwatch()
        .await
        .put_metric_data()
        .namespace("AWS/SQS")
        .metric_data(
            MetricDatum::builder()
                .metric_name("ApproximateAgeOfOldestMessage")
                .dimensions(Dimension::builder().name("QueueName").value(&name).build())
                .timestamp(DateTime::from_secs(now_ms() / 1000 - 90))
                .value(754.0)
                .unit(StandardUnit::Seconds)
                .build(),
        )
        .send()
        .await
        .unwrap();
    let state = tempfile::tempdir().unwrap();
    let out = unstuck_split(state.path(), &["queues", "--output", "json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let rows = json_lines(&out);
    let row = rows.iter().find(|r| r["name"] == name.as_str()).unwrap();
    assert_eq!(row["visible"], 2);
    assert_eq!(row["oldest_age_s"], 754.0, "{row}");
    let text = stdout(&unstuck_split(state.path(), &["queues"]));
    let line = text.lines().find(|l| l.contains(&name)).unwrap();
    assert!(line.contains("12m34s"), "{text}");

    // moto alone: no CloudWatch, so no ages; everything else is there.
    let moto = moto_endpoint();
    let out = unstuck(
        &[
            "queues",
            "--endpoint-url",
            &moto,
            "--region",
            "us-east-1",
            "--output",
            "json",
        ],
        &[("UNSTUCK_STATE_DIR", state.path().to_str().unwrap())],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let row = json_lines(&out)
        .into_iter()
        .find(|r| r["name"] == name.as_str())
        .unwrap();
    assert_eq!(row["visible"], 2);
    assert!(row["oldest_age_s"].is_null(), "{row}");
    assert!(
        stderr(&out).contains("age of the oldest message not read (CloudWatch)"),
        "{}",
        stderr(&out)
    );
}
