//! CloudWatch Logs served by the demo world.

use async_trait::async_trait;

use crate::api::Logs;
use crate::model::{BackendError, FilterPage, FilterRequest, LogGroup};

use super::SimWorld;

#[async_trait]
impl Logs for SimWorld {
    async fn list_log_groups(&self, prefix: Option<&str>) -> Result<Vec<LogGroup>, BackendError> {
        self.calls().record("DescribeLogGroups");
        Ok(self.lock_caught_up().logs.list_groups(prefix))
    }

    async fn filter_log_events(&self, req: &FilterRequest) -> Result<FilterPage, BackendError> {
        self.calls().record("FilterLogEvents");
        let (state, now_ms) = self.lock_caught_up_with_now();
        state.logs.filter(req, now_ms)
    }
}
