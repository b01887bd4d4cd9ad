//! Logs Insights through aws-sdk-cloudwatchlogs (StartQuery, GetQueryResults, StopQuery).

use async_trait::async_trait;
use aws_sdk_cloudwatchlogs::Client;
use aws_sdk_cloudwatchlogs::types::QueryStatus as SdkStatus;

use super::errors::{ErrorContext, classify};
use crate::api::LogsInsights;
use crate::model::{BackendError, InsightsQuery, QueryResults, QueryStatistics, QueryStatus};

/// The real [`LogsInsights`] backend.
#[derive(Debug, Clone)]
pub struct RealInsights {
    client: Client,
    cx: ErrorContext,
}

impl RealInsights {
    pub(crate) fn new(client: Client, cx: ErrorContext) -> Self {
        Self { client, cx }
    }
}

fn status_of(status: Option<&SdkStatus>) -> QueryStatus {
    match status {
        Some(SdkStatus::Scheduled) => QueryStatus::Scheduled,
        Some(SdkStatus::Running) => QueryStatus::Running,
        Some(SdkStatus::Complete) => QueryStatus::Complete,
        Some(SdkStatus::Failed) => QueryStatus::Failed,
        Some(SdkStatus::Cancelled) => QueryStatus::Cancelled,
        Some(SdkStatus::Timeout) => QueryStatus::Timeout,
        _ => QueryStatus::Unknown,
    }
}

#[async_trait]
impl LogsInsights for RealInsights {
    async fn start_query(&self, query: &InsightsQuery) -> Result<String, BackendError> {
        let (start_s, end_s) = query.window_s();
        let out = self
            .client
            .start_query()
            .set_log_group_names(Some(query.groups.clone()))
            .start_time(start_s)
            .end_time(end_s)
            .query_string(&query.query)
            .limit(i32::try_from(query.limit).unwrap_or(i32::MAX))
            .send()
            .await
            .map_err(|e| classify(&e, "StartQuery", &self.cx))?;
        out.query_id()
            .filter(|id| !id.is_empty())
            .map(str::to_string)
            .ok_or_else(|| BackendError::Other("StartQuery answered without a query id".into()))
    }

    async fn query_results(&self, query_id: &str) -> Result<QueryResults, BackendError> {
        let out = self
            .client
            .get_query_results()
            .query_id(query_id)
            .send()
            .await
            .map_err(|e| classify(&e, "GetQueryResults", &self.cx))?;
        let rows = out
            .results()
            .iter()
            .map(|row| {
                row.iter()
                    .map(|f| {
                        (
                            f.field().unwrap_or_default().to_string(),
                            f.value().unwrap_or_default().to_string(),
                        )
                    })
                    .collect()
            })
            .collect();
        let statistics = out
            .statistics()
            .map(|s| QueryStatistics {
                records_matched: s.records_matched(),
                records_scanned: s.records_scanned(),
                bytes_scanned: s.bytes_scanned(),
            })
            .unwrap_or_default();
        Ok(QueryResults::from_fields(
            status_of(out.status()),
            rows,
            statistics,
        ))
    }

    async fn stop_query(&self, query_id: &str) -> Result<(), BackendError> {
        match self.client.stop_query().query_id(query_id).send().await {
            Ok(_) => Ok(()),
            Err(error) => match classify(&error, "StopQuery", &self.cx) {
                // Already ended (or never known): nothing left to stop.
                BackendError::InvalidInput(_) | BackendError::NotFound(_) => Ok(()),
                other => Err(other),
            },
        }
    }
}
