//! API budgets, one per AWS service, shared by everything in the process: the pollers and
//! the tail draw from them. Each is sized from the service's published quota
//! ([`unstuck_aws::api::SERVICE_QUOTAS`]) with a safety margin; CloudWatch Logs' is the
//! tail's FilterLogEvents budget (`--calls-per-second`).

use std::collections::BTreeMap;
use std::sync::Arc;

use unstuck_aws::api::{SERVICE_QUOTAS, Service};

use crate::tail::RequestBudget;

#[derive(Debug, Clone)]
pub struct ApiBudgets {
    by_service: BTreeMap<Service, Arc<RequestBudget>>,
}

impl ApiBudgets {
    /// The default budgets, with CloudWatch Logs at `logs_calls_per_second`.
    pub fn new(logs_calls_per_second: f64) -> Self {
        let by_service = SERVICE_QUOTAS
            .iter()
            .map(|quota| {
                let rate = if quota.service == Service::Logs {
                    logs_calls_per_second
                } else {
                    quota.budget_per_second
                };
                (quota.service, Arc::new(RequestBudget::new(rate)))
            })
            .collect();
        Self { by_service }
    }

    /// Share an existing CloudWatch Logs budget (the tail's) and default the rest.
    pub fn with_logs(logs: Arc<RequestBudget>) -> Self {
        let mut budgets = Self::new(logs.calls_per_second());
        budgets.by_service.insert(Service::Logs, logs);
        budgets
    }

    pub fn of(&self, service: Service) -> Arc<RequestBudget> {
        match self.by_service.get(&service) {
            Some(budget) => Arc::clone(budget),
            None => Arc::new(RequestBudget::new(service.quota().budget_per_second)),
        }
    }

    pub fn logs(&self) -> Arc<RequestBudget> {
        self.of(Service::Logs)
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
}
