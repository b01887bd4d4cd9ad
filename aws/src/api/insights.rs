//! CloudWatch Logs Insights: start a query, read its results as they come, stop it. A query
//! changes nothing in the account (it is billed by the bytes it scans), so it is a read
//! capability and `--read-only` keeps it.

use async_trait::async_trait;

use crate::model::{BackendError, InsightsQuery, QueryResults};

/// Logs Insights queries.
#[async_trait]
pub trait LogsInsights: Send + Sync {
    /// StartQuery: the query's id.
    async fn start_query(&self, query: &InsightsQuery) -> Result<String, BackendError>;

    /// GetQueryResults: the rows so far, the status and what has been scanned.
    async fn query_results(&self, query_id: &str) -> Result<QueryResults, BackendError>;

    /// StopQuery. Stopping a query that already ended is not an error.
    async fn stop_query(&self, query_id: &str) -> Result<(), BackendError>;
}
