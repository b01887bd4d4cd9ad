//! API budgets, one per AWS service, shared by everything in the process: the pollers and
//! the tail draw from them. Each is sized from the service's published quota
//! ([`unstuck_aws::api::SERVICE_QUOTAS`]) with a safety margin. CloudWatch Logs has two,
//! because AWS quotas its calls apart: FilterLogEvents (the tail's, `--calls-per-second`,
//! 5/s per account) and its other reads (DescribeLogGroups, ...), so a busy tail never
//! starves the group list a user just opened.

use std::collections::BTreeMap;
use std::sync::Arc;

use unstuck_aws::api::{SERVICE_QUOTAS, Service};

use crate::tail::RequestBudget;

#[derive(Debug, Clone)]
pub struct ApiBudgets {
    /// One per service; FilterLogEvents' ([`Service::LogEvents`]) is the tail's.
    by_service: BTreeMap<Service, Arc<RequestBudget>>,
}

impl ApiBudgets {
    /// The default budgets, with FilterLogEvents at `logs_calls_per_second`.
    pub fn new(logs_calls_per_second: f64) -> Self {
        let by_service = SERVICE_QUOTAS
            .iter()
            .map(|quota| {
                let budget = match (quota.service, quota.budget_burst) {
                    (Service::LogEvents, _) => RequestBudget::new(logs_calls_per_second),
                    (_, Some(burst)) => RequestBudget::with_burst(quota.budget_per_second, burst),
                    (_, None) => RequestBudget::new(quota.budget_per_second),
                };
                (quota.service, Arc::new(budget))
            })
            .collect();
        Self { by_service }
    }

    /// Share an existing FilterLogEvents budget (the tail's) and default the rest.
    pub fn with_logs(logs: Arc<RequestBudget>) -> Self {
        let mut budgets = Self::new(logs.full_calls_per_second());
        budgets.by_service.insert(Service::LogEvents, logs);
        budgets
    }

    pub fn of(&self, service: Service) -> Arc<RequestBudget> {
        match self.by_service.get(&service) {
            Some(budget) => Arc::clone(budget),
            None => Arc::new(RequestBudget::new(service.quota().budget_per_second)),
        }
    }

    /// FilterLogEvents (the tail).
    pub fn logs(&self) -> Arc<RequestBudget> {
        self.of(Service::LogEvents)
    }
}

/// Each call of a poll waits on its service's budget (the Step Functions topics make many).
pub struct BudgetPace(pub Arc<RequestBudget>);

#[async_trait::async_trait]
impl unstuck_aws::api::Pace for BudgetPace {
    async fn before_call(&self) {
        self.0.acquire().await;
    }

    fn try_call(&self) -> bool {
        self.0.try_acquire()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_service_has_a_budget_under_its_quota() {
        let budgets = ApiBudgets::new(2.0);
        for quota in SERVICE_QUOTAS {
            let rate = budgets.of(quota.service).calls_per_second();
            assert!(
                rate > 0.0 && rate <= quota.quota_per_second / 2.0,
                "{}",
                quota.label
            );
        }
        assert_eq!(budgets.logs().calls_per_second(), 2.0);
    }

    /// A poll of the executions list (~37 calls) goes out at once; beyond the burst, calls
    /// wait for the budget's rate.
    #[tokio::test(start_paused = true)]
    async fn step_functions_polls_spend_a_burst_then_the_rate() {
        use unstuck_aws::api::Pace;
        let budget = ApiBudgets::new(2.0).of(Service::StepFunctions);
        let pace = BudgetPace(budget);
        let start = tokio::time::Instant::now();
        for _ in 0..40 {
            pace.before_call().await;
        }
        assert!(start.elapsed() < std::time::Duration::from_millis(10));
        for _ in 0..3 {
            pace.before_call().await;
        }
        let waited = start.elapsed().as_secs_f64();
        assert!(
            (2.5..=3.5).contains(&waited),
            "{waited} s for 3 calls past the burst"
        );
    }
}
