//! CloudWatch through aws-sdk-cloudwatch (Smithy RPC v2 CBOR): GetMetricData and
//! DescribeAlarms. Moto does not speak CBOR; the calls are covered with aws-smithy-mocks
//! (`cloudwatch_mocked`) and, where installed, LocalStack.

use async_trait::async_trait;
use aws_sdk_cloudwatch::Client;
use aws_sdk_cloudwatch::types::{
    AlarmType, Dimension, Metric, MetricAlarm, MetricDataQuery, MetricStat, ScanBy,
};
use aws_smithy_types::DateTime;

use super::errors::{ErrorContext, classify};
use crate::api::{Alarms, Metrics};
use crate::model::BackendError;
use crate::model::metrics::{MAX_METRICS_PER_CALL, MetricQuery, MetricSeries, Stat};
use crate::model::signals::{Alarm, AlarmMetric, AlarmState};
use crate::untrusted_text::sanitize_line;

/// Alarms read at most (DescribeAlarms pages of 100).
pub const MAX_ALARMS: usize = 2_000;

/// The real [`Metrics`] and [`Alarms`] backend.
#[derive(Debug, Clone)]
pub struct RealCloudWatch {
    client: Client,
    cx: ErrorContext,
}

impl RealCloudWatch {
    pub(crate) fn new(client: Client, cx: ErrorContext) -> Self {
        Self { client, cx }
    }
}

fn clean(text: Option<&str>) -> String {
    sanitize_line(text.unwrap_or_default()).into_owned()
}

pub(crate) fn sdk_query(q: &MetricQuery) -> MetricDataQuery {
    let metric = Metric::builder()
        .namespace(&q.namespace)
        .metric_name(&q.metric)
        .set_dimensions(Some(
            q.dimensions
                .iter()
                .map(|(n, v)| Dimension::builder().name(n).value(v).build())
                .collect(),
        ))
        .build();
    MetricDataQuery::builder()
        .id(&q.id)
        .metric_stat(
            MetricStat::builder()
                .metric(metric)
                .period(i32::try_from(q.period_s).unwrap_or(60))
                .stat(q.stat.name())
                .build(),
        )
        .return_data(true)
        .build()
}

pub(crate) fn alarm(a: &MetricAlarm) -> Alarm {
    let stat = a
        .extended_statistic()
        .and_then(Stat::parse)
        .or_else(|| a.statistic().and_then(|s| Stat::parse(s.as_str())));
    let metric = match (a.namespace(), a.metric_name(), stat) {
        (Some(namespace), Some(name), Some(stat)) => {
            let mut query =
                MetricQuery::new("m", &clean(Some(namespace)), &clean(Some(name)), stat)
                    .period(a.period().and_then(|p| u32::try_from(p).ok()).unwrap_or(60));
            for d in a.dimensions() {
                query = query.dimension(&clean(d.name()), &clean(d.value()));
            }
            Some(AlarmMetric {
                query,
                threshold: a.threshold().unwrap_or_default(),
                comparison: clean(a.comparison_operator().map(|c| c.as_str())),
                evaluation_periods: a
                    .evaluation_periods()
                    .and_then(|e| u32::try_from(e).ok())
                    .unwrap_or(1),
            })
        }
        _ => None,
    };
    Alarm {
        name: clean(a.alarm_name()),
        arn: clean(a.alarm_arn()),
        state: AlarmState::parse(a.state_value().map_or("", |s| s.as_str())),
        reason: clean(a.state_reason()),
        since_ms: a.state_updated_timestamp().and_then(|t| t.to_millis().ok()),
        metric,
        actions_enabled: a.actions_enabled().unwrap_or(true),
    }
}

#[async_trait]
impl Metrics for RealCloudWatch {
    async fn get_metric_data(
        &self,
        queries: &[MetricQuery],
        start_ms: i64,
        end_ms: i64,
    ) -> Result<Vec<MetricSeries>, BackendError> {
        if queries.len() > MAX_METRICS_PER_CALL {
            return Err(BackendError::InvalidInput(format!(
                "GetMetricData takes at most {MAX_METRICS_PER_CALL} queries ({} given)",
                queries.len()
            )));
        }
        let mut by_id: std::collections::BTreeMap<String, MetricSeries> = queries
            .iter()
            .map(|q| {
                let series = MetricSeries {
                    id: q.id.clone(),
                    points: Vec::new(),
                };
                (q.id.clone(), series)
            })
            .collect();
        let sdk_queries: Vec<MetricDataQuery> = queries.iter().map(sdk_query).collect();
        let mut next_token: Option<String> = None;
        loop {
            let out = self
                .client
                .get_metric_data()
                .set_metric_data_queries(Some(sdk_queries.clone()))
                .start_time(DateTime::from_millis(start_ms))
                .end_time(DateTime::from_millis(end_ms))
                .scan_by(ScanBy::TimestampAscending)
                .set_next_token(next_token.take())
                .send()
                .await
                .map_err(|e| classify(&e, "GetMetricData", &self.cx))?;
            for result in out.metric_data_results() {
                let Some(series) = result.id().and_then(|id| by_id.get_mut(id)) else {
                    continue;
                };
                for (t, v) in result.timestamps().iter().zip(result.values()) {
                    if let Ok(at) = t.to_millis() {
                        series.points.push((at, *v));
                    }
                }
            }
            next_token = out
                .next_token()
                .filter(|t| !t.is_empty())
                .map(str::to_string);
            if next_token.is_none() {
                break;
            }
        }
        Ok(by_id
            .into_values()
            .map(|mut s| {
                s.points.sort_by_key(|(at, _)| *at);
                s
            })
            .collect())
    }
}

#[async_trait]
impl Alarms for RealCloudWatch {
    async fn describe_alarms(&self) -> Result<Vec<Alarm>, BackendError> {
        let mut out = Vec::new();
        let mut next_token: Option<String> = None;
        loop {
            let page = self
                .client
                .describe_alarms()
                .alarm_types(AlarmType::MetricAlarm)
                .max_records(100)
                .set_next_token(next_token.take())
                .send()
                .await
                .map_err(|e| classify(&e, "DescribeAlarms", &self.cx))?;
            out.extend(page.metric_alarms().iter().map(alarm));
            next_token = page
                .next_token()
                .filter(|t| !t.is_empty())
                .map(str::to_string);
            if next_token.is_none() || out.len() >= MAX_ALARMS {
                break;
            }
        }
        out.truncate(MAX_ALARMS);
        Ok(out)
    }
}
