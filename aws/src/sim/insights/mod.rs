//! Logs Insights served by the demo world: a query runs over the world's stored events when
//! it starts, and is reported `Running` (with growing statistics) for a moment before its
//! rows are served, as AWS does. The statistics are real: the events and bytes of the
//! groups in the window.

mod eval;
mod fields;
mod query;

use std::collections::BTreeMap;

use async_trait::async_trait;

use crate::api::LogsInsights;
use crate::model::{
    BackendError, InsightsQuery, MAX_INSIGHTS_GROUPS, MAX_INSIGHTS_LIMIT, QueryResults,
    QueryStatistics, QueryStatus,
};

use super::SimWorld;
use super::log_store::LogStore;
use query::Query;

/// How long a demo query takes before its rows are served.
pub const SIM_QUERY_MS: i64 = 1_200;

#[derive(Debug, Clone)]
struct SimQuery {
    started_ms: i64,
    rows: Vec<Vec<(String, String)>>,
    statistics: QueryStatistics,
    cancelled: bool,
}

/// The queries started in the world, by id.
#[derive(Debug, Default)]
pub struct QueryRegistry {
    queries: BTreeMap<String, SimQuery>,
    next: u64,
}

fn check(query: &InsightsQuery, logs: &LogStore) -> Result<Query, BackendError> {
    if query.groups.is_empty() || query.groups.len() > MAX_INSIGHTS_GROUPS {
        return Err(BackendError::InvalidInput(format!(
            "a query covers 1 to {MAX_INSIGHTS_GROUPS} log groups, got {}",
            query.groups.len()
        )));
    }
    if let Some(missing) = query.groups.iter().find(|g| !logs.has_group(g)) {
        return Err(BackendError::NotFound(format!(
            "log group {missing} does not exist"
        )));
    }
    let (start_s, end_s) = query.window_s();
    if end_s <= start_s {
        return Err(BackendError::InvalidInput(
            "the query's end time must be after its start time".into(),
        ));
    }
    if !(1..=MAX_INSIGHTS_LIMIT).contains(&query.limit) {
        return Err(BackendError::InvalidInput(format!(
            "limit must be between 1 and {MAX_INSIGHTS_LIMIT}, got {}",
            query.limit
        )));
    }
    Query::parse(&query.query)
}

#[async_trait]
impl LogsInsights for SimWorld {
    async fn start_query(&self, query: &InsightsQuery) -> Result<String, BackendError> {
        self.calls().record("StartQuery");
        let (mut state, now_ms) = self.lock_caught_up_with_now();
        let parsed = check(query, &state.logs)?;
        let (start_s, end_s) = query.window_s();
        let mut records = Vec::new();
        let mut statistics = QueryStatistics::default();
        for event in state
            .logs
            .scan(&query.groups, start_s * 1000, end_s * 1000 + 999, now_ms)
        {
            statistics.records_scanned += 1.0;
            statistics.bytes_scanned += event.message.len() as f64;
            records.push(fields::record_of(
                event.group,
                event.stream,
                event.timestamp_ms,
                event.ingestion_ms,
                event.message,
            ));
        }
        // Raw events come newest first, as AWS returns them.
        records.sort_by_key(|r| {
            std::cmp::Reverse(
                r.get("@timestamp")
                    .and_then(|v| v.as_number())
                    .map(|ms| ms as i64),
            )
        });
        let (rows, matched) = eval::run(&parsed, records, query.limit as usize);
        statistics.records_matched = matched as f64;
        let rows = rows
            .into_iter()
            .map(|r| {
                r.fields
                    .into_iter()
                    .map(|(n, v)| (n, v.display()))
                    .collect()
            })
            .collect();
        let registry = &mut state.insights;
        registry.next += 1;
        let id = format!("sim-query-{:06}", registry.next);
        registry.queries.insert(
            id.clone(),
            SimQuery {
                started_ms: now_ms,
                rows,
                statistics,
                cancelled: false,
            },
        );
        Ok(id)
    }

    async fn query_results(&self, query_id: &str) -> Result<QueryResults, BackendError> {
        self.calls().record("GetQueryResults");
        let (state, now_ms) = self.lock_caught_up_with_now();
        let query = state
            .insights
            .queries
            .get(query_id)
            .ok_or_else(|| BackendError::NotFound(format!("query {query_id}")))?;
        let elapsed = now_ms.saturating_sub(query.started_ms);
        let (status, rows, statistics) = if query.cancelled {
            (QueryStatus::Cancelled, query.rows.clone(), query.statistics)
        } else if elapsed < SIM_QUERY_MS {
            let share = elapsed.max(0) as f64 / SIM_QUERY_MS as f64;
            let so_far = QueryStatistics {
                records_matched: (query.statistics.records_matched * share).floor(),
                records_scanned: (query.statistics.records_scanned * share).floor(),
                bytes_scanned: (query.statistics.bytes_scanned * share).floor(),
            };
            (QueryStatus::Running, Vec::new(), so_far)
        } else {
            (QueryStatus::Complete, query.rows.clone(), query.statistics)
        };
        Ok(QueryResults::from_fields(status, rows, statistics))
    }

    async fn stop_query(&self, query_id: &str) -> Result<(), BackendError> {
        self.calls().record("StopQuery");
        let (mut state, now_ms) = self.lock_caught_up_with_now();
        if let Some(query) = state.insights.queries.get_mut(query_id)
            && now_ms.saturating_sub(query.started_ms) < SIM_QUERY_MS
        {
            query.cancelled = true;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
