//! Lambda: the functions, their event source mappings and the account's concurrency limit;
//! with their `AWS/Lambda` metrics (through [`super::Metrics`]) the functions table, and
//! with a Logs Insights query over their REPORT lines their cold starts.
//!
//! The function list changes rarely and ListFunctions pages hold 50, so a table poll reuses
//! the list read within [`LIST_REREAD_MS`]; only the metrics are read every poll.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::Duration;

use async_trait::async_trait;

use super::Backends;
use super::execution_reader::Pace;
use super::metrics::fetch_metrics;
use super::topic::{Service, TopicTiming};
use crate::model::functions::{
    AccountConcurrency, ColdStarts, EventSourceMapping, FUNCTION_METRICS, FunctionConfig,
    FunctionDestinations, FunctionRow, FunctionsTable, Invoker, MetricWindow, function_metrics,
};
use crate::model::metrics::{MetricQuery, Stat};
use crate::model::{BackendError, InsightsQuery, MAX_INSIGHTS_GROUPS, QueryStatus};

/// The function list and mappings are read again after this long.
pub const LIST_REREAD_MS: i64 = 5 * 60 * 1000;
/// A cold-start query gives up after this long (its partial counts are not shown).
pub const COLD_START_QUERY_MS: u64 = 60_000;

/// Lambda reads.
#[async_trait]
pub trait Functions: Send + Sync {
    /// Every function (ListFunctions, all pages), by name.
    async fn list_functions(&self) -> Result<Vec<FunctionConfig>, BackendError>;

    /// Every event source mapping (ListEventSourceMappings, all pages).
    async fn event_source_mappings(&self) -> Result<Vec<EventSourceMapping>, BackendError>;

    /// The account's concurrent executions limit (GetAccountSettings).
    async fn account_concurrency_limit(&self) -> Result<Option<u32>, BackendError>;

    /// Where the function's asynchronous invocations go (ListFunctionEventInvokeConfigs,
    /// the unqualified function's config; none configured is all `None`).
    async fn destinations(&self, function: &str) -> Result<FunctionDestinations, BackendError>;
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FunctionsTopic {
    /// Every function with its metrics over the window.
    Table { window: MetricWindow },
    /// Cold starts per function over the window, from REPORT lines (Logs Insights).
    ColdStarts { window: MetricWindow },
    /// Every function with the overview's 4 metrics of the 10 (calls, errors, throttles,
    /// p99), every 5 minutes: what the overview judges, at a fraction of the table's cost.
    Health { window: MetricWindow },
    /// Where one function's asynchronous invocations go: read for the function the pane
    /// asks about (`o`, `m`), not for every function.
    Destinations { function: String },
    /// The state machines that invoke one function (the pane asks as for destinations):
    /// every machine's current definition read (at most 200), paced and kept for 10 minutes.
    Invokers { function: String },
}

#[derive(Debug, Clone, PartialEq)]
pub enum FunctionsData {
    Table(Box<FunctionsTable>),
    ColdStarts {
        window: MetricWindow,
        /// By function name.
        by_function: BTreeMap<String, ColdStarts>,
        bytes_scanned: f64,
    },
    Destinations {
        function: String,
        destinations: FunctionDestinations,
    },
    Invokers {
        function: String,
        machines: Vec<Invoker>,
    },
}

impl FunctionsTopic {
    pub fn timing(&self) -> TopicTiming {
        match self {
            FunctionsTopic::Table { window } => {
                TopicTiming::every(Duration::from_secs(if *window == MetricWindow::H24 {
                    300
                } else {
                    60
                }))
            }
            // A query scans the window's logs (billed per GB): every 10 minutes.
            FunctionsTopic::ColdStarts { .. } => TopicTiming::every(Duration::from_secs(600)),
            FunctionsTopic::Health { .. } | FunctionsTopic::Destinations { .. } => {
                TopicTiming::every(Duration::from_secs(300))
            }
            // Definitions change with deployments: every 10 minutes.
            FunctionsTopic::Invokers { .. } => TopicTiming::every(Duration::from_secs(600)),
        }
    }

    pub fn service(&self) -> Service {
        match self {
            FunctionsTopic::Table { .. } | FunctionsTopic::Health { .. } => Service::CloudWatch,
            FunctionsTopic::ColdStarts { .. } => Service::Logs,
            FunctionsTopic::Destinations { .. } => Service::Lambda,
            FunctionsTopic::Invokers { .. } => Service::StepFunctions,
        }
    }

    pub fn resource(&self) -> String {
        match self {
            FunctionsTopic::Table { window } => format!("function metrics ({})", window.label()),
            FunctionsTopic::ColdStarts { window } => format!("cold starts ({})", window.label()),
            FunctionsTopic::Health { window } => format!("function health ({})", window.label()),
            FunctionsTopic::Destinations { function } => format!("destinations of {function}"),
            FunctionsTopic::Invokers { function } => {
                format!("state machines invoking {function}")
            }
        }
    }

    pub async fn fetch(
        &self,
        backends: &Backends,
        pace: &dyn Pace,
    ) -> Result<FunctionsData, BackendError> {
        match self {
            FunctionsTopic::Table { window } => {
                functions_table(backends, *window, &FUNCTION_METRICS, pace)
                    .await
                    .map(|t| FunctionsData::Table(Box::new(t)))
            }
            FunctionsTopic::Health { window } => {
                super::function_health::function_health(backends, *window, pace)
                    .await
                    .map(|t| FunctionsData::Table(Box::new(t)))
            }
            FunctionsTopic::ColdStarts { window } => cold_starts(backends, *window, pace).await,
            FunctionsTopic::Destinations { function } => {
                // One call, paced by the poller like every topic's first.
                let destinations = backends.functions.destinations(function).await?;
                Ok(FunctionsData::Destinations {
                    function: function.clone(),
                    destinations,
                })
            }
            FunctionsTopic::Invokers { function } => Ok(FunctionsData::Invokers {
                function: function.clone(),
                machines: super::invokers::invokers(backends, function, pace).await?,
            }),
        }
    }
}

/// The function list and mappings read lately, for the next polls.
#[derive(Debug, Default)]
pub struct FunctionListCache {
    read: Mutex<Option<(FunctionList, i64)>>,
}

/// What the function list read: the functions, what feeds them, the account's limit.
#[derive(Debug, Clone, Default)]
pub struct FunctionList {
    pub functions: Vec<FunctionConfig>,
    pub mappings: Vec<EventSourceMapping>,
    pub limit: Option<u32>,
}

impl FunctionListCache {
    /// The list read within [`LIST_REREAD_MS`], or a fresh read.
    pub async fn get(
        &self,
        backends: &Backends,
        pace: &dyn Pace,
    ) -> Result<FunctionList, BackendError> {
        let now_ms = backends.clock.now_ms();
        if let Some((list, at_ms)) = &*self.read.lock().unwrap_or_else(|e| e.into_inner())
            && now_ms - at_ms < LIST_REREAD_MS
        {
            return Ok(list.clone());
        }
        let functions = backends.functions.list_functions().await?;
        pace.before_call().await;
        // Mappings and the limit are extras: an emulator without them still lists functions.
        let mappings = backends
            .functions
            .event_source_mappings()
            .await
            .unwrap_or_default();
        pace.before_call().await;
        let limit = backends
            .functions
            .account_concurrency_limit()
            .await
            .unwrap_or_default();
        let list = FunctionList {
            functions,
            mappings,
            limit,
        };
        *self.read.lock().unwrap_or_else(|e| e.into_inner()) = Some((list.clone(), now_ms));
        Ok(list)
    }
}

/// The queries of the functions table: [`FUNCTION_METRICS`] for each function (ids
/// `f{index}_{suffix}`), and the account's ClaimedAccountConcurrency (`acct`).
pub fn table_queries(
    functions: &[FunctionConfig],
    window: MetricWindow,
    metrics: &[(&str, &str, Stat)],
) -> Vec<MetricQuery> {
    let period = window.period_s();
    let mut queries: Vec<MetricQuery> = functions
        .iter()
        .enumerate()
        .flat_map(|(i, f)| {
            metrics.iter().map(move |(suffix, metric, stat)| {
                MetricQuery::new(format!("f{i}_{suffix}"), "AWS/Lambda", metric, *stat)
                    .dimension("FunctionName", &f.name)
                    .period(period)
            })
        })
        .collect();
    queries.push(
        MetricQuery::new(
            "acct",
            "AWS/Lambda",
            "ClaimedAccountConcurrency",
            Stat::Maximum,
        )
        .period(period),
    );
    queries
}

/// Every function with its metrics over `window`.
pub async fn functions_table(
    backends: &Backends,
    window: MetricWindow,
    metrics: &[(&str, &str, Stat)],
    pace: &dyn Pace,
) -> Result<FunctionsTable, BackendError> {
    let list = backends.function_list.get(backends, pace).await?;
    let range_ms = window.range(backends.clock.now_ms());
    let queries = table_queries(&list.functions, window, metrics);
    pace.before_call().await;
    let results = fetch_metrics(
        backends.metrics.as_ref(),
        &backends.calls,
        &queries,
        range_ms,
        pace,
    )
    .await?;
    let period_ms = i64::from(window.period_s()) * 1000;
    let points = window.points();
    let rows = list
        .functions
        .iter()
        .enumerate()
        .map(|(i, config)| FunctionRow {
            config: config.clone(),
            metrics: function_metrics(
                i,
                |id| results.get(id).cloned(),
                range_ms.0,
                period_ms,
                points,
            ),
        })
        .collect();
    let claimed = results.get("acct").cloned().unwrap_or_default();
    Ok(FunctionsTable {
        window,
        range_ms,
        rows,
        account: AccountConcurrency {
            claimed_max: claimed.max(),
            limit: list.limit,
            claimed_series: claimed.dense(range_ms.0, period_ms, points),
        },
        mappings: list.mappings,
        metrics_requested: results.metrics_requested,
        percentiles_refused: results.percentiles_refused,
        rows_read_at_ms: None,
    })
}

/// The Logs Insights query that counts cold starts per log group.
pub const COLD_START_QUERY: &str = "filter @type = \"REPORT\" \
     | stats count(*) as reports, count(@initDuration) as cold, \
     pct(@initDuration, 50) as init50, pct(@initDuration, 99) as init99 by @log";

/// Cold starts per function over `window`: one query per 50 log groups, followed until it
/// ends (at most [`COLD_START_QUERY_MS`]).
pub async fn cold_starts(
    backends: &Backends,
    window: MetricWindow,
    pace: &dyn Pace,
) -> Result<FunctionsData, BackendError> {
    let list = backends.function_list.get(backends, pace).await?;
    let (start_ms, end_ms) = window.range(backends.clock.now_ms());
    let groups: Vec<String> = list
        .functions
        .iter()
        .map(FunctionConfig::log_group)
        .collect();
    let mut by_function = BTreeMap::new();
    let mut bytes_scanned = 0.0;
    for chunk in groups.chunks(MAX_INSIGHTS_GROUPS) {
        pace.before_call().await;
        let query = InsightsQuery {
            groups: chunk.to_vec(),
            start_ms,
            end_ms,
            query: COLD_START_QUERY.to_string(),
            limit: 1_000,
        };
        let id = backends.insights.start_query(&query).await?;
        let deadline = tokio::time::Instant::now() + Duration::from_millis(COLD_START_QUERY_MS);
        let results = loop {
            tokio::time::sleep(Duration::from_millis(1_000)).await;
            pace.before_call().await;
            let results = backends.insights.query_results(&id).await?;
            if results.status.is_final() || tokio::time::Instant::now() >= deadline {
                break results;
            }
        };
        if results.status != QueryStatus::Complete {
            let _ = backends.insights.stop_query(&id).await;
            return Err(BackendError::Timeout(format!(
                "the cold-start query did not complete ({:?})",
                results.status
            )));
        }
        bytes_scanned += results.statistics.bytes_scanned;
        backends
            .calls
            .bill_insights_bytes(results.statistics.bytes_scanned);
        let column = |name: &str| results.columns.iter().position(|c| c == name);
        let (Some(log), Some(reports), Some(cold)) =
            (column("@log"), column("reports"), column("cold"))
        else {
            continue;
        };
        let (init50, init99) = (column("init50"), column("init99"));
        for row in &results.rows {
            let cell = |i: Option<usize>| i.and_then(|i| row.get(i)).and_then(|v| v.parse().ok());
            let group = row
                .get(log)
                .map_or("", String::as_str)
                .rsplit(':')
                .next()
                .unwrap_or_default();
            let Some(name) = group.strip_prefix("/aws/lambda/") else {
                continue;
            };
            by_function.insert(
                name.to_string(),
                ColdStarts {
                    reports: cell(Some(reports)).map_or(0, |v: f64| v as u64),
                    cold: cell(Some(cold)).map_or(0, |v: f64| v as u64),
                    init_p50_ms: cell(init50),
                    init_p99_ms: cell(init99),
                },
            );
        }
    }
    Ok(FunctionsData::ColdStarts {
        window,
        by_function,
        bytes_scanned,
    })
}
