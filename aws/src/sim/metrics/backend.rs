//! The demo world behind the Lambda, CloudWatch, Synthetics and RUM traits.

use async_trait::async_trait;

use crate::api::{Alarms, Functions, Metrics, Rum, Synthetics};
use crate::model::BackendError;
use crate::model::functions::{EventSourceMapping, FunctionConfig, FunctionDestinations};
use crate::model::metrics::{MAX_METRICS_PER_CALL, MetricQuery, MetricSeries};
use crate::model::signals::{Alarm, AppMonitor, Canary, CanaryRun};
use crate::sim::SimWorld;
use crate::sim::catalogue::{DEMO_ACCOUNT, DEMO_REGION, FUNCTIONS, Runtime, Trigger};

/// The demo's asynchronous destinations: (function, on success, on failure). The mainframe
/// bridge, invoked by an EventBridge rule, hands what it sent to the audit trail and its
/// failures to the operators' SNS topic.
const DEMO_DESTINATIONS: &[(&str, Option<&str>, Option<&str>)] = &[(
    "tax-legacy-mainframe-bridge",
    Some("function:tax-audit-trail"),
    Some("sns:tax-ops-alerts"),
)];

/// `function:NAME` or `sns:NAME` as an ARN of the demo account.
fn demo_arn(short: &str) -> String {
    match short.split_once(':') {
        Some(("function", name)) => {
            format!("arn:aws:lambda:{DEMO_REGION}:{DEMO_ACCOUNT}:function:{name}")
        }
        Some((service, name)) => format!("arn:aws:{service}:{DEMO_REGION}:{DEMO_ACCOUNT}:{name}"),
        None => short.to_string(),
    }
}

/// The functions were last deployed this long before the demo epoch.
const DEPLOYED_BEFORE_EPOCH_MS: i64 = 6 * 24 * 3_600_000 + 5 * 3_600_000;

fn runtime_name(runtime: Runtime) -> &'static str {
    match runtime {
        Runtime::Python312 => "python3.12",
        Runtime::Nodejs20 => "nodejs20.x",
        Runtime::Java21 => "java21",
    }
}

#[async_trait]
impl Functions for SimWorld {
    async fn list_functions(&self) -> Result<Vec<FunctionConfig>, BackendError> {
        self.calls().record("ListFunctions");
        let names = self.function_names();
        let deployed = crate::sim::DEMO_EPOCH_MS - DEPLOYED_BEFORE_EPOCH_MS;
        let mut out: Vec<FunctionConfig> = FUNCTIONS
            .iter()
            .filter(|f| names.iter().any(|n| n == f.name))
            .enumerate()
            .map(|(i, f)| FunctionConfig {
                name: f.name.into(),
                arn: f.arn(),
                runtime: runtime_name(f.runtime).into(),
                memory_mb: f.memory_mb,
                timeout_s: f.timeout_s,
                last_modified_ms: Some(deployed + i as i64 * 7_919_000),
                architecture: if f.runtime == Runtime::Java21 {
                    "x86_64".into()
                } else {
                    "arm64".into()
                },
                dead_letter_arn: None,
            })
            .collect();
        out.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(out)
    }

    async fn event_source_mappings(&self) -> Result<Vec<EventSourceMapping>, BackendError> {
        self.calls().record("ListEventSourceMappings");
        let names = self.function_names();
        Ok(FUNCTIONS
            .iter()
            .filter(|f| names.iter().any(|n| n == f.name))
            .filter_map(|f| match f.trigger {
                Trigger::Sqs { queue } => Some(EventSourceMapping {
                    uuid: format!("esm-{}", f.name),
                    function_arn: f.arn(),
                    source_arn: format!("arn:aws:sqs:{DEMO_REGION}:{DEMO_ACCOUNT}:{queue}"),
                    state: "Enabled".into(),
                    batch_size: Some(10),
                }),
                _ => None,
            })
            .collect())
    }

    async fn account_concurrency_limit(&self) -> Result<Option<u32>, BackendError> {
        self.calls().record("GetAccountSettings");
        Ok(Some(super::DEMO_CONCURRENCY_LIMIT))
    }

    async fn destinations(&self, function: &str) -> Result<FunctionDestinations, BackendError> {
        self.calls().record("ListFunctionEventInvokeConfigs");
        if !self.function_names().iter().any(|n| n == function) {
            return Err(BackendError::NotFound(format!(
                "Function not found: arn:aws:lambda:{DEMO_REGION}:{DEMO_ACCOUNT}:function:{function}"
            )));
        }
        Ok(DEMO_DESTINATIONS
            .iter()
            .find(|(name, _, _)| *name == function)
            .map(|(_, on_success, on_failure)| FunctionDestinations {
                on_success: on_success.map(demo_arn),
                on_failure: on_failure.map(demo_arn),
            })
            .unwrap_or_default())
    }
}

#[async_trait]
impl Metrics for SimWorld {
    async fn get_metric_data(
        &self,
        queries: &[MetricQuery],
        start_ms: i64,
        end_ms: i64,
    ) -> Result<Vec<MetricSeries>, BackendError> {
        self.calls().record("GetMetricData");
        if queries.len() > MAX_METRICS_PER_CALL {
            return Err(BackendError::InvalidInput(format!(
                "The collection MetricDataQueries must not have a size greater than \
                 {MAX_METRICS_PER_CALL} ({} given)",
                queries.len()
            )));
        }
        if end_ms <= start_ms {
            return Err(BackendError::InvalidInput(
                "The parameter StartTime must be less than the parameter EndTime".into(),
            ));
        }
        let mut state = self.lock_caught_up();
        state.signals.ensure_history();
        Ok(queries
            .iter()
            .map(|q| state.signals.store.series(q, start_ms, end_ms))
            .collect())
    }
}

#[async_trait]
impl Alarms for SimWorld {
    async fn describe_alarms(&self) -> Result<Vec<Alarm>, BackendError> {
        self.calls().record("DescribeAlarms");
        let (mut state, now_ms) = self.lock_caught_up_with_now();
        if !state.is_demo() {
            return Ok(Vec::new());
        }
        state.signals.ensure_history();
        Ok(super::alarms::describe(&state.signals.store, now_ms))
    }
}

#[async_trait]
impl Synthetics for SimWorld {
    async fn canaries(&self) -> Result<Vec<Canary>, BackendError> {
        self.calls().record("DescribeCanaries");
        self.calls().record("DescribeCanariesLastRun");
        let (state, now_ms) = self.lock_caught_up_with_now();
        Ok(match state.signals.incident_start_ms() {
            Some(incident) => super::canaries::canaries(self.seed(), incident, now_ms),
            None => Vec::new(),
        })
    }

    async fn canary_runs(&self, name: &str, max: usize) -> Result<Vec<CanaryRun>, BackendError> {
        self.calls().record("GetCanaryRuns");
        let (state, now_ms) = self.lock_caught_up_with_now();
        state
            .signals
            .incident_start_ms()
            .and_then(|incident| {
                super::canaries::canary_runs(name, self.seed(), incident, now_ms, max.min(100))
            })
            .ok_or_else(|| {
                BackendError::NotFound(format!(
                    "ResourceNotFoundException: canary {name} not found"
                ))
            })
    }
}

#[async_trait]
impl Rum for SimWorld {
    async fn app_monitors(&self) -> Result<Vec<AppMonitor>, BackendError> {
        self.calls().record("ListAppMonitors");
        let state = self.lock_caught_up();
        Ok(if state.is_demo() {
            vec![super::rum::monitor()]
        } else {
            Vec::new()
        })
    }
}
