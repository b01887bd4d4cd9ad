//! CloudWatch GetMetricData (percentile statistics, paging) and DescribeAlarms, Synthetics
//! canaries with their last runs and runs, RUM app monitors, and a Lambda function's
//! asynchronous destinations: the requests the real backends send and how they read the
//! answers, through aws-smithy-mocks (moto serves no percentiles, no canary runs and no RUM,
//! does not speak CloudWatch's CBOR, and answers ListFunctionEventInvokeConfigs with a
//! LastModified the SDK cannot read once a config exists).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use aws_sdk_cloudwatch::operation::describe_alarms::DescribeAlarmsOutput;
use aws_sdk_cloudwatch::operation::get_metric_data::GetMetricDataOutput;
use aws_sdk_cloudwatch::primitives::DateTime;
use aws_sdk_cloudwatch::types::{
    ComparisonOperator, Dimension, MetricAlarm, MetricDataResult, StateValue, Statistic,
};
use aws_sdk_rum::operation::list_app_monitors::ListAppMonitorsOutput;
use aws_sdk_rum::types::{AppMonitorSummary, StateEnum};
use aws_sdk_synthetics::operation::describe_canaries::DescribeCanariesOutput;
use aws_sdk_synthetics::operation::describe_canaries_last_run::DescribeCanariesLastRunOutput;
use aws_sdk_synthetics::operation::get_canary_runs::GetCanaryRunsOutput;
use aws_sdk_synthetics::types::{
    Canary as SdkCanary, CanaryLastRun, CanaryRun as SdkRun, CanaryRunState, CanaryRunStatus,
    CanaryRunTimeline, CanaryScheduleOutput, CanaryState, CanaryStatus,
};
use aws_smithy_mocks::{MockResponseInterceptor, Rule, RuleMode, mock};

use super::cloudwatch::RealCloudWatch;
use super::errors::ErrorContext;
use super::functions::RealFunctions;
use super::synthetics::{RealRum, RealSynthetics};
use crate::api::{Alarms, Functions, Metrics, Rum, Synthetics};
use crate::model::metrics::{MetricQuery, Stat};
use crate::model::signals::{AlarmState, RunStatus};

fn interceptor(rules: &[&Rule]) -> MockResponseInterceptor {
    let mut interceptor = MockResponseInterceptor::new().rule_mode(RuleMode::Sequential);
    for rule in rules {
        interceptor = interceptor.with_rule(rule);
    }
    interceptor
}

fn cx() -> ErrorContext {
    ErrorContext {
        profile: "default".into(),
        endpoint: "mocked (us-east-1)".into(),
    }
}

macro_rules! client {
    ($sdk:ident, $rules:expr) => {{
        use $sdk::config::{BehaviorVersion, Credentials, Region};
        let conf = $sdk::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new("us-east-1"))
            .credentials_provider(Credentials::new("a", "b", None, None, "mocked"))
            .http_client(aws_smithy_mocks::create_mock_http_client())
            .interceptor(interceptor($rules))
            .build();
        $sdk::Client::from_conf(conf)
    }};
}

const T0: i64 = 1_796_000_040_000;

#[tokio::test]
async fn metric_queries_ask_for_percentiles_and_pages_are_joined_by_id() {
    let p99 = MetricQuery::new("f0_p99", "AWS/Lambda", "Duration", Stat::P99)
        .dimension("FunctionName", "tax-calculate-refund");
    let mut p99 = p99;
    p99.period_s = 60;
    let mut sum = MetricQuery::new("f0_err", "AWS/Lambda", "Errors", Stat::Sum)
        .dimension("FunctionName", "tax-calculate-refund");
    sum.period_s = 60;
    let first = mock!(aws_sdk_cloudwatch::Client::get_metric_data)
        .match_requests(|r| {
            let q = r.metric_data_queries();
            let stat = |i: usize| q[i].metric_stat().and_then(|s| s.stat()).unwrap_or("");
            let dims = q[0]
                .metric_stat()
                .and_then(|s| s.metric())
                .map(|m| m.dimensions().to_vec())
                .unwrap_or_default();
            q.len() == 2
                && q[0].id() == Some("f0_p99")
                && stat(0) == "p99"
                && stat(1) == "Sum"
                && q[0].metric_stat().map(|s| s.period()) == Some(Some(60))
                && dims
                    == [Dimension::builder()
                        .name("FunctionName")
                        .value("tax-calculate-refund")
                        .build()]
                && r.next_token().is_none()
        })
        .then_output(|| {
            GetMetricDataOutput::builder()
                .metric_data_results(
                    MetricDataResult::builder()
                        .id("f0_p99")
                        .timestamps(DateTime::from_millis(T0 + 60_000))
                        .values(1_820.5)
                        .build(),
                )
                .next_token("page-2")
                .build()
        });
    let second = mock!(aws_sdk_cloudwatch::Client::get_metric_data)
        .match_requests(|r| r.next_token() == Some("page-2"))
        .then_output(|| {
            GetMetricDataOutput::builder()
                .metric_data_results(
                    MetricDataResult::builder()
                        .id("f0_p99")
                        .timestamps(DateTime::from_millis(T0))
                        .values(950.0)
                        .build(),
                )
                .metric_data_results(
                    MetricDataResult::builder()
                        .id("f0_err")
                        .timestamps(DateTime::from_millis(T0))
                        .values(3.0)
                        .build(),
                )
                .build()
        });
    let cw = RealCloudWatch::new(client!(aws_sdk_cloudwatch, &[&first, &second]), cx());
    let series = cw
        .get_metric_data(&[p99, sum], T0, T0 + 120_000)
        .await
        .unwrap();
    let by_id = |id: &str| series.iter().find(|s| s.id == id).unwrap();
    // Oldest first, whatever page each point came on.
    assert_eq!(
        by_id("f0_p99").points,
        [(T0, 950.0), (T0 + 60_000, 1_820.5)]
    );
    assert_eq!(by_id("f0_err").points, [(T0, 3.0)]);
    assert_eq!(first.num_calls() + second.num_calls(), 2);
    // More than one call can carry is refused before anything is sent.
    let many: Vec<MetricQuery> = (0..501)
        .map(|i| MetricQuery::new(format!("m{i}"), "AWS/Lambda", "Errors", Stat::Sum))
        .collect();
    assert!(cw.get_metric_data(&many, T0, T0 + 60_000).await.is_err());
}

#[tokio::test]
async fn alarms_are_read_with_their_metric_threshold_and_state_sanitised() {
    let rule = mock!(aws_sdk_cloudwatch::Client::describe_alarms)
        .match_requests(|r| r.max_records() == Some(100))
        .then_output(|| {
            DescribeAlarmsOutput::builder()
                .metric_alarms(
                    MetricAlarm::builder()
                        .alarm_name("tax-refund-errors\u{1b}[2J")
                        .alarm_arn("arn:aws:cloudwatch:us-east-1:1:alarm:tax-refund-errors")
                        .state_value(StateValue::Alarm)
                        .state_reason("Threshold Crossed: 1 datapoint [7.0] > 5.0")
                        .state_updated_timestamp(DateTime::from_millis(T0))
                        .namespace("AWS/Lambda")
                        .metric_name("Errors")
                        .dimensions(
                            Dimension::builder()
                                .name("FunctionName")
                                .value("tax-calculate-refund")
                                .build(),
                        )
                        .statistic(Statistic::Sum)
                        .period(60)
                        .evaluation_periods(1)
                        .threshold(5.0)
                        .comparison_operator(ComparisonOperator::GreaterThanThreshold)
                        .build(),
                )
                .build()
        });
    let cw = RealCloudWatch::new(client!(aws_sdk_cloudwatch, &[&rule]), cx());
    let alarms = cw.describe_alarms().await.unwrap();
    assert_eq!(alarms.len(), 1);
    let a = &alarms[0];
    assert!(!a.name.contains('\u{1b}'), "{:?}", a.name);
    assert_eq!(a.state, AlarmState::Alarm);
    assert_eq!(a.since_ms, Some(T0));
    let m = a.metric.as_ref().unwrap();
    assert_eq!(m.describe(), "Errors Sum > 5 (tax-calculate-refund)");
    assert_eq!(m.query.period_s, 60);
}

#[tokio::test]
async fn canaries_join_their_last_run_and_runs_come_newest_first() {
    let list = mock!(aws_sdk_synthetics::Client::describe_canaries).then_output(|| {
        DescribeCanariesOutput::builder()
            .canaries(
                SdkCanary::builder()
                    .name("tax-submit-journey")
                    .status(CanaryStatus::builder().state(CanaryState::Running).build())
                    .schedule(
                        CanaryScheduleOutput::builder()
                            .expression("rate(5 minutes)")
                            .build(),
                    )
                    .build(),
            )
            .build()
    });
    let run = |id: &str, state: CanaryRunState, reason: &str, at: i64| {
        SdkRun::builder()
            .id(id)
            .status(
                CanaryRunStatus::builder()
                    .state(state)
                    .state_reason(reason)
                    .build(),
            )
            .timeline(
                CanaryRunTimeline::builder()
                    .started(DateTime::from_millis(at))
                    .completed(DateTime::from_millis(at + 35_000))
                    .build(),
            )
            .build()
    };
    let failed = "Step 3 'submit return' failed: TimeoutError";
    let last =
        mock!(aws_sdk_synthetics::Client::describe_canaries_last_run).then_output(move || {
            DescribeCanariesLastRunOutput::builder()
                .canaries_last_run(
                    CanaryLastRun::builder()
                        .canary_name("tax-submit-journey")
                        .last_run(run("r2", CanaryRunState::Failed, failed, T0 + 300_000))
                        .build(),
                )
                .build()
        });
    let runs = mock!(aws_sdk_synthetics::Client::get_canary_runs)
        .match_requests(|r| r.name() == Some("tax-submit-journey") && r.max_results() == Some(20))
        .then_output(move || {
            GetCanaryRunsOutput::builder()
                .canary_runs(run("r1", CanaryRunState::Passed, "", T0))
                .canary_runs(run("r2", CanaryRunState::Failed, failed, T0 + 300_000))
                .build()
        });
    let synthetics = RealSynthetics::new(client!(aws_sdk_synthetics, &[&list, &last, &runs]), cx());
    let mut canaries = synthetics.canaries().await.unwrap();
    let c = &mut canaries[0];
    assert_eq!(
        (c.state.as_str(), c.schedule.as_str()),
        ("RUNNING", "rate(5 minutes)")
    );
    let last_run = c.last_run.as_ref().unwrap();
    assert_eq!(last_run.status, RunStatus::Failed);
    assert_eq!(last_run.failing_step().as_deref(), Some("submit return"));
    assert_eq!(last_run.duration_ms(), Some(35_000));
    c.runs = synthetics
        .canary_runs("tax-submit-journey", 20)
        .await
        .unwrap();
    assert_eq!(
        c.runs.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(),
        ["r2", "r1"]
    );
    assert_eq!(c.success_pct(), Some(50.0));
    assert!(c.is_failing());
}

#[tokio::test]
async fn app_monitors_are_listed_across_pages() {
    let first = mock!(aws_sdk_rum::Client::list_app_monitors)
        .match_requests(|r| r.next_token().is_none())
        .then_output(|| {
            ListAppMonitorsOutput::builder()
                .app_monitor_summaries(
                    AppMonitorSummary::builder()
                        .name("tax-portal")
                        .id("0f7c")
                        .state(StateEnum::Active)
                        .build(),
                )
                .next_token("more")
                .build()
        });
    let second = mock!(aws_sdk_rum::Client::list_app_monitors)
        .match_requests(|r| r.next_token() == Some("more"))
        .then_output(|| {
            ListAppMonitorsOutput::builder()
                .app_monitor_summaries(AppMonitorSummary::builder().name("status-page").build())
                .build()
        });
    let rum = RealRum::new(client!(aws_sdk_rum, &[&first, &second]), cx());
    let monitors = rum.app_monitors().await.unwrap();
    let names: Vec<(&str, &str)> = monitors
        .iter()
        .map(|m| (m.name.as_str(), m.state.as_str()))
        .collect();
    assert_eq!(names, [("tax-portal", "ACTIVE"), ("status-page", "")]);
}

#[tokio::test]
async fn destinations_are_the_unqualified_functions_among_its_versions_and_aliases() {
    use aws_sdk_lambda::operation::list_function_event_invoke_configs::ListFunctionEventInvokeConfigsOutput;
    use aws_sdk_lambda::types::{
        DestinationConfig, FunctionEventInvokeConfig, OnFailure, OnSuccess,
    };
    let fn_arn = "arn:aws:lambda:us-east-1:123456789012:function:tax-bridge";
    let config = |arn: &str, failure: &str, success: Option<&str>| {
        let mut destination = DestinationConfig::builder()
            .on_failure(OnFailure::builder().destination(failure).build());
        if let Some(success) = success {
            destination = destination.on_success(OnSuccess::builder().destination(success).build());
        }
        FunctionEventInvokeConfig::builder()
            .function_arn(arn)
            .destination_config(destination.build())
            .build()
    };
    let list = mock!(aws_sdk_lambda::Client::list_function_event_invoke_configs)
        .match_requests(|r| r.function_name() == Some("tax-bridge"))
        .then_output(move || {
            ListFunctionEventInvokeConfigsOutput::builder()
                // An alias's config first: not the one the function's own invocations use.
                .function_event_invoke_configs(config(
                    &format!("{fn_arn}:live"),
                    "arn:aws:sqs:us-east-1:123456789012:live-failures",
                    None,
                ))
                .function_event_invoke_configs(config(
                    fn_arn,
                    "arn:aws:sqs:us-east-1:123456789012:tax-bridge-failures",
                    Some("arn:aws:events:us-east-1:123456789012:event-bus/tax\u{1b}[2J"),
                ))
                .build()
        });
    let empty = mock!(aws_sdk_lambda::Client::list_function_event_invoke_configs)
        .then_output(|| ListFunctionEventInvokeConfigsOutput::builder().build());
    let backend = RealFunctions::new(client!(aws_sdk_lambda, &[&list, &empty]), cx());
    let d = backend.destinations("tax-bridge").await.unwrap();
    assert_eq!(
        d.on_failure.as_deref(),
        Some("arn:aws:sqs:us-east-1:123456789012:tax-bridge-failures")
    );
    // Untrusted text is neutralised before it reaches a pane.
    let success = d.on_success.unwrap();
    assert!(
        success.starts_with("arn:aws:events:") && !success.contains('\u{1b}'),
        "{success:?}"
    );
    let none = backend.destinations("tax-quiet").await.unwrap();
    assert_eq!((none.on_success, none.on_failure), (None, None));
}
