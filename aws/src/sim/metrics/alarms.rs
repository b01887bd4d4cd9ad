//! The demo's CloudWatch alarms, evaluated over the world's own metrics when described:
//! the refund function's errors and its DLQ (which the incident sets off), and three that
//! stay OK (the submit API's p99, the authorizer's throttles, the portal's JS errors).

use super::store::MetricStore;
use crate::model::metrics::{MetricQuery, Stat};
use crate::model::signals::{Alarm, AlarmMetric, AlarmState, trim_number};
use crate::sim::catalogue::{DEMO_ACCOUNT, DEMO_REGION};

struct AlarmSpec {
    name: &'static str,
    namespace: &'static str,
    metric: &'static str,
    dimension: (&'static str, &'static str),
    stat: Stat,
    period_s: u32,
    threshold: f64,
    comparison: &'static str,
    evaluation_periods: u32,
}

const ALARMS: [AlarmSpec; 5] = [
    AlarmSpec {
        name: "tax-calculate-refund-errors",
        namespace: "AWS/Lambda",
        metric: "Errors",
        dimension: ("FunctionName", "tax-calculate-refund"),
        stat: Stat::Sum,
        period_s: 60,
        threshold: 1.0,
        comparison: "GreaterThanThreshold",
        evaluation_periods: 1,
    },
    AlarmSpec {
        name: "tax-refund-calculation-dlq-not-empty",
        namespace: "AWS/SQS",
        metric: "ApproximateNumberOfMessagesVisible",
        dimension: ("QueueName", "tax-refund-calculation-dlq"),
        stat: Stat::Maximum,
        period_s: 60,
        threshold: 0.0,
        comparison: "GreaterThanThreshold",
        evaluation_periods: 1,
    },
    AlarmSpec {
        name: "tax-submit-api-p99-latency",
        namespace: "AWS/Lambda",
        metric: "Duration",
        dimension: ("FunctionName", "tax-submit-api"),
        stat: Stat::P99,
        period_s: 300,
        threshold: 3_000.0,
        comparison: "GreaterThanThreshold",
        evaluation_periods: 2,
    },
    AlarmSpec {
        name: "tax-authorizer-throttles",
        namespace: "AWS/Lambda",
        metric: "Throttles",
        dimension: ("FunctionName", "tax-authorizer"),
        stat: Stat::Sum,
        period_s: 300,
        threshold: 25.0,
        comparison: "GreaterThanOrEqualToThreshold",
        evaluation_periods: 1,
    },
    AlarmSpec {
        name: "tax-portal-js-errors",
        namespace: "AWS/RUM",
        metric: "JsErrorCount",
        dimension: ("application_name", "tax-portal"),
        stat: Stat::Sum,
        period_s: 300,
        threshold: 40.0,
        comparison: "GreaterThanThreshold",
        evaluation_periods: 1,
    },
];

/// How far back a state's start is looked for.
const LOOK_BACK_MS: i64 = 24 * 3_600_000;

/// Every alarm as DescribeAlarms would answer at `now_ms`.
pub fn describe(store: &MetricStore, now_ms: i64) -> Vec<Alarm> {
    ALARMS
        .iter()
        .map(|spec| evaluate(spec, store, now_ms))
        .collect()
}

fn evaluate(spec: &AlarmSpec, store: &MetricStore, now_ms: i64) -> Alarm {
    let query = MetricQuery::new("m", spec.namespace, spec.metric, spec.stat)
        .dimension(spec.dimension.0, spec.dimension.1)
        .period(spec.period_s);
    let period_ms = i64::from(spec.period_s) * 1000;
    // The last whole period ends here.
    let last_end = now_ms.div_euclid(period_ms) * period_ms;
    let series = store.series(&query, last_end - LOOK_BACK_MS, last_end);
    let value_at = |start: i64| {
        series
            .points
            .iter()
            .find(|(at, _)| *at == start)
            .map(|(_, v)| *v)
    };
    let breaching = |v: f64| match spec.comparison {
        "GreaterThanThreshold" => v > spec.threshold,
        "GreaterThanOrEqualToThreshold" => v >= spec.threshold,
        "LessThanThreshold" => v < spec.threshold,
        _ => v <= spec.threshold,
    };
    let n = i64::from(spec.evaluation_periods);
    // State at the evaluation ending at `end`: ALARM when every period breaches; missing
    // data counts as not breaching (treatMissingData = notBreaching).
    let state_at = |end: i64| -> AlarmState {
        let all = (1..=n).all(|k| value_at(end - k * period_ms).is_some_and(breaching));
        if all {
            AlarmState::Alarm
        } else {
            AlarmState::Ok
        }
    };
    let state = if series.points.is_empty() {
        AlarmState::InsufficientData
    } else {
        state_at(last_end)
    };
    let mut since = last_end;
    while since - period_ms > last_end - LOOK_BACK_MS && state_at(since - period_ms) == state {
        since -= period_ms;
    }
    let latest = value_at(last_end - period_ms);
    let when = chrono_like(last_end - period_ms);
    let relation = match spec.comparison {
        "GreaterThanThreshold" => "greater than",
        "GreaterThanOrEqualToThreshold" => "greater than or equal to",
        "LessThanThreshold" => "less than",
        _ => "less than or equal to",
    };
    let reason = match (state, latest) {
        (AlarmState::InsufficientData, _) => {
            "Insufficient Data: no datapoints were received".into()
        }
        (_, Some(v)) => format!(
            "Threshold Crossed: 1 out of the last {n} datapoints [{} ({when})] was {}{relation} the threshold ({}).",
            trim_number(v),
            if state == AlarmState::Alarm {
                ""
            } else {
                "not "
            },
            trim_number(spec.threshold)
        ),
        (_, None) => format!(
            "Threshold Crossed: no datapoints in the last {n} periods were {relation} the threshold ({}) (treated as not breaching).",
            trim_number(spec.threshold)
        ),
    };
    Alarm {
        name: spec.name.into(),
        arn: format!(
            "arn:aws:cloudwatch:{DEMO_REGION}:{DEMO_ACCOUNT}:alarm:{}",
            spec.name
        ),
        state,
        reason,
        since_ms: Some(since),
        metric: Some(AlarmMetric {
            query,
            threshold: spec.threshold,
            comparison: spec.comparison.into(),
            evaluation_periods: spec.evaluation_periods,
        }),
        actions_enabled: true,
    }
}

/// `dd/mm/yy HH:MM:SS`, as alarm reasons write times.
fn chrono_like(ms: i64) -> String {
    let t = crate::sim::clock::UtcTime::from_epoch_ms(ms);
    format!(
        "{:02}/{:02}/{:02} {:02}:{:02}:{:02}",
        t.day,
        t.month,
        t.year.rem_euclid(100),
        t.hour,
        t.minute,
        t.second
    )
}
