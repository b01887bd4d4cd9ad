//! Signals: CloudWatch alarms (with their metric around the threshold), Synthetics canaries
//! (last run and recent runs) and RUM app monitors (their `AWS/RUM` metrics). Each is a
//! topic of its own, so the overview and the signals pane share the polls.

use std::time::Duration;

use async_trait::async_trait;

use super::Backends;
use super::execution_reader::Pace;
use super::metrics::fetch_metrics;
use super::topic::{Service, TopicTiming};
use crate::model::BackendError;
use crate::model::functions::MetricWindow;
use crate::model::metrics::MetricQuery;
use crate::model::signals::{
    Alarm, AlarmRow, AppMonitor, Canary, CanaryRun, RUM_METRICS, RumSummary,
};

/// Runs read per canary for its trend.
pub const CANARY_RUNS_READ: usize = 20;
/// An alarm's metric is read over this many of its periods, ending now.
pub const ALARM_PERIODS_SHOWN: i64 = 30;

/// CloudWatch alarms.
#[async_trait]
pub trait Alarms: Send + Sync {
    /// Every metric alarm (DescribeAlarms, all pages), in ALARM first.
    async fn describe_alarms(&self) -> Result<Vec<Alarm>, BackendError>;
}

/// CloudWatch Synthetics.
#[async_trait]
pub trait Synthetics: Send + Sync {
    /// Every canary with its last run (DescribeCanaries + DescribeCanariesLastRun); `runs`
    /// is left empty.
    async fn canaries(&self) -> Result<Vec<Canary>, BackendError>;

    /// A canary's recent runs, newest first (GetCanaryRuns).
    async fn canary_runs(&self, name: &str, max: usize) -> Result<Vec<CanaryRun>, BackendError>;
}

/// CloudWatch RUM.
#[async_trait]
pub trait Rum: Send + Sync {
    /// Every app monitor (ListAppMonitors).
    async fn app_monitors(&self) -> Result<Vec<AppMonitor>, BackendError>;
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SignalsTopic {
    Alarms,
    Canaries,
    Rum { window: MetricWindow },
}

#[derive(Debug, Clone, PartialEq)]
pub enum SignalsData {
    Alarms(Vec<AlarmRow>),
    Canaries(Vec<Canary>),
    Rum {
        window: MetricWindow,
        monitors: Vec<RumSummary>,
    },
}

impl SignalsTopic {
    pub fn timing(&self) -> TopicTiming {
        TopicTiming::every(Duration::from_secs(match self {
            SignalsTopic::Alarms => 60,
            SignalsTopic::Canaries => 120,
            SignalsTopic::Rum { .. } => 120,
        }))
    }

    pub fn service(&self) -> Service {
        Service::CloudWatch
    }

    pub fn resource(&self) -> String {
        match self {
            SignalsTopic::Alarms => "alarms".into(),
            SignalsTopic::Canaries => "canaries".into(),
            SignalsTopic::Rum { .. } => "RUM app monitors".into(),
        }
    }

    pub async fn fetch(
        &self,
        backends: &Backends,
        pace: &dyn Pace,
    ) -> Result<SignalsData, BackendError> {
        match self {
            SignalsTopic::Alarms => alarm_rows(backends, pace).await.map(SignalsData::Alarms),
            SignalsTopic::Canaries => {
                let mut canaries = backends.synthetics.canaries().await?;
                for canary in &mut canaries {
                    pace.before_call().await;
                    canary.runs = backends
                        .synthetics
                        .canary_runs(&canary.name, CANARY_RUNS_READ)
                        .await?;
                }
                Ok(SignalsData::Canaries(canaries))
            }
            SignalsTopic::Rum { window } => Ok(SignalsData::Rum {
                window: *window,
                monitors: rum_summaries(backends, *window, pace).await?,
            }),
        }
    }
}

/// Every alarm with its metric over its last [`ALARM_PERIODS_SHOWN`] periods, in one batch
/// of GetMetricData (ids `a{index}`), in ALARM first, then by how long ago it changed.
pub async fn alarm_rows(
    backends: &Backends,
    pace: &dyn Pace,
) -> Result<Vec<AlarmRow>, BackendError> {
    let mut alarms = backends.alarms.describe_alarms().await?;
    alarms.sort_by(|a, b| {
        (a.state, std::cmp::Reverse(a.since_ms), &a.name).cmp(&(
            b.state,
            std::cmp::Reverse(b.since_ms),
            &b.name,
        ))
    });
    let now_ms = backends.clock.now_ms();
    let longest = alarms
        .iter()
        .filter_map(|a| a.metric.as_ref())
        .map(|m| i64::from(m.query.period_s))
        .max()
        .unwrap_or(60);
    let queries: Vec<MetricQuery> = alarms
        .iter()
        .enumerate()
        .filter_map(|(i, a)| {
            let mut q = a.metric.as_ref()?.query.clone();
            q.id = format!("a{i}");
            Some(q)
        })
        .collect();
    let series = if queries.is_empty() {
        Default::default()
    } else {
        pace.before_call().await;
        let start = now_ms - longest * 1000 * ALARM_PERIODS_SHOWN;
        // A failed read leaves the sparklines out, not the alarms.
        fetch_metrics(
            backends.metrics.as_ref(),
            &backends.calls,
            &queries,
            (start, now_ms),
            pace,
        )
        .await
        .unwrap_or_default()
    };
    Ok(alarms
        .into_iter()
        .enumerate()
        .map(|(i, alarm)| AlarmRow {
            series: series.get(&format!("a{i}")).cloned(),
            alarm,
        })
        .collect())
}

/// Every app monitor with its `AWS/RUM` numbers over `window` (ids `r{index}_{suffix}`).
pub async fn rum_summaries(
    backends: &Backends,
    window: MetricWindow,
    pace: &dyn Pace,
) -> Result<Vec<RumSummary>, BackendError> {
    let monitors = backends.rum.app_monitors().await?;
    if monitors.is_empty() {
        return Ok(Vec::new());
    }
    let range_ms = window.range(backends.clock.now_ms());
    let period = window.period_s();
    let queries: Vec<MetricQuery> = monitors
        .iter()
        .enumerate()
        .flat_map(|(i, m)| {
            RUM_METRICS.iter().map(move |(suffix, metric, stat)| {
                MetricQuery::new(format!("r{i}_{suffix}"), "AWS/RUM", metric, *stat)
                    .dimension("application_name", &m.name)
                    .period(period)
            })
        })
        .collect();
    pace.before_call().await;
    let results = fetch_metrics(
        backends.metrics.as_ref(),
        &backends.calls,
        &queries,
        range_ms,
        pace,
    )
    .await?;
    let period_ms = i64::from(period) * 1000;
    Ok(monitors
        .into_iter()
        .enumerate()
        .map(|(i, monitor)| {
            let get = |s: &str| {
                results
                    .get(&format!("r{i}_{s}"))
                    .cloned()
                    .unwrap_or_default()
            };
            RumSummary {
                monitor: Some(monitor),
                sessions: get("ses").sum(),
                js_errors: get("js").sum(),
                http_errors: get("http").sum(),
                page_load_p90_ms: get("load").max(),
                satisfied: get("sat").sum(),
                tolerated: get("tol").sum(),
                frustrated: get("fru").sum(),
                lcp_p75_ms: get("lcp").max(),
                inp_p75_ms: get("inp").max(),
                cls_p75: get("cls").max(),
                js_errors_series: get("js").dense(range_ms.0, period_ms, window.points()),
            }
        })
        .collect())
}
