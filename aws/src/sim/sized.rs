//! The demo world sized up, for the overview benchmark: its own functions, queues and state
//! machines plus generated ones (`bench-fn-0001`, `bench-q-0001`, `bench-sm-001`) up to the
//! sizes asked for. The generated ones answer like quiet resources of a big account (metrics
//! with a little traffic, every tenth queue a DLQ, one in fifty of them holding messages,
//! machines with no executions); every call is counted in the world's [`ApiCalls`], pages
//! as the real API pages (ListFunctions 50, ListQueues 1,000, ListStateMachines 100).

use std::sync::Arc;

use async_trait::async_trait;

use crate::api::{Backends, Functions, Metrics, Queues, StepFunctions};
use crate::model::functions::{EventSourceMapping, FunctionConfig, FunctionDestinations};
use crate::model::metrics::{MetricQuery, MetricSeries};
use crate::model::queues::{
    BatchOutcome, MoveTask, QueueAttributes, QueueMessage, QueueRef, ReceiptEntry, ReceiveRequest,
    RedrivePolicy,
};
use crate::model::step_functions::{
    ExecutionDetail, ExecutionsPage, ExecutionsRequest, HistoryPage, MachineDefinition,
    MachineLogging, MachineType, MapRun, StateMachineSummary,
};
use crate::model::{ApiCalls, BackendError};

use super::{DEMO_ACCOUNT, DEMO_REGION};

/// How big the sized-up account is (the demo's own resources count towards each).
#[derive(Debug, Clone, Copy)]
pub struct AccountSize {
    pub functions: usize,
    pub queues: usize,
    pub machines: usize,
}

struct SizedUp<T: ?Sized> {
    inner: Arc<T>,
    size: AccountSize,
    calls: Arc<ApiCalls>,
}

fn pages(n: usize, per_page: usize) -> usize {
    n.div_ceil(per_page).max(1)
}

const BENCH_FN: &str = "bench-fn-";
const BENCH_Q: &str = "bench-q-";

/// The demo backends with the generated resources added. Must be called inside a tokio
/// runtime.
pub fn sized_demo_backends(seed: u64, size: AccountSize) -> Backends {
    let mut backends = super::demo_backends(seed);
    let calls = backends.calls.clone();
    backends.functions = Arc::new(SizedUp {
        inner: backends.functions.clone(),
        size,
        calls: calls.clone(),
    });
    backends.metrics = Arc::new(SizedUp {
        inner: backends.metrics.clone(),
        size,
        calls: calls.clone(),
    });
    backends.queues = Arc::new(SizedUp {
        inner: backends.queues.clone(),
        size,
        calls: calls.clone(),
    });
    backends.step_functions = Arc::new(SizedUp {
        inner: backends.step_functions.clone(),
        size,
        calls,
    });
    backends
}

#[async_trait]
impl Functions for SizedUp<dyn Functions> {
    async fn list_functions(&self) -> Result<Vec<FunctionConfig>, BackendError> {
        let mut out = self.inner.list_functions().await?;
        for i in out.len()..self.size.functions {
            let name = format!("{BENCH_FN}{i:04}");
            out.push(FunctionConfig {
                arn: format!("arn:aws:lambda:{DEMO_REGION}:{DEMO_ACCOUNT}:function:{name}"),
                name,
                runtime: "python3.12".into(),
                memory_mb: 256,
                timeout_s: 30,
                last_modified_ms: None,
                architecture: "arm64".into(),
                dead_letter_arn: None,
            });
        }
        // The demo recorded one page; the rest are the pages a real account would read.
        for _ in 1..pages(out.len(), 50) {
            self.calls.record("ListFunctions");
        }
        Ok(out)
    }

    async fn event_source_mappings(&self) -> Result<Vec<EventSourceMapping>, BackendError> {
        self.inner.event_source_mappings().await
    }

    async fn account_concurrency_limit(&self) -> Result<Option<u32>, BackendError> {
        self.inner.account_concurrency_limit().await
    }

    async fn destinations(&self, function: &str) -> Result<FunctionDestinations, BackendError> {
        if function.starts_with(BENCH_FN) {
            self.calls.record("ListFunctionEventInvokeConfigs");
            return Ok(FunctionDestinations::default());
        }
        self.inner.destinations(function).await
    }
}

#[async_trait]
impl Metrics for SizedUp<dyn Metrics> {
    async fn get_metric_data(
        &self,
        queries: &[MetricQuery],
        start_ms: i64,
        end_ms: i64,
    ) -> Result<Vec<MetricSeries>, BackendError> {
        let generated = |q: &MetricQuery| {
            q.dimension_value("FunctionName")
                .is_some_and(|n| n.starts_with(BENCH_FN))
        };
        let demo: Vec<MetricQuery> = queries.iter().filter(|q| !generated(q)).cloned().collect();
        // One call either way (the demo world counts it).
        let mut out = self.inner.get_metric_data(&demo, start_ms, end_ms).await?;
        for q in queries.iter().filter(|q| generated(q)) {
            let period_ms = i64::from(q.period_s.max(60)) * 1000;
            let value = match q.metric.as_str() {
                "Invocations" => 12.0,
                "Errors" | "Throttles" => 0.0,
                "Duration" => 85.0,
                _ => 1.0,
            };
            out.push(MetricSeries {
                id: q.id.clone(),
                points: (start_ms..end_ms)
                    .step_by(usize::try_from(period_ms).unwrap_or(60_000))
                    .map(|at| (at, value))
                    .collect(),
            });
        }
        Ok(out)
    }
}

fn queue_url(name: &str) -> String {
    format!("https://sqs.{DEMO_REGION}.amazonaws.com/{DEMO_ACCOUNT}/{name}")
}

fn queue_arn(name: &str) -> String {
    format!("arn:aws:sqs:{DEMO_REGION}:{DEMO_ACCOUNT}:{name}")
}

#[async_trait]
impl Queues for SizedUp<dyn Queues> {
    async fn list_queues(&self) -> Result<Vec<QueueRef>, BackendError> {
        let mut out = self.inner.list_queues().await?;
        for i in out.len()..self.size.queues {
            let name = format!("{BENCH_Q}{i:04}");
            out.push(QueueRef {
                url: queue_url(&name),
                name,
            });
        }
        for _ in 1..pages(out.len(), 1000) {
            self.calls.record("ListQueues");
        }
        Ok(out)
    }

    async fn queue_url(&self, name: &str) -> Result<String, BackendError> {
        self.inner.queue_url(name).await
    }

    async fn queue_attributes(&self, url: &str) -> Result<QueueAttributes, BackendError> {
        let Some(index) = url
            .rsplit('/')
            .next()
            .and_then(|n| n.strip_prefix(BENCH_Q))
            .and_then(|i| i.parse::<usize>().ok())
        else {
            return self.inner.queue_attributes(url).await;
        };
        self.calls.record("GetQueueAttributes");
        let name = format!("{BENCH_Q}{index:04}");
        let is_dlq = index % 10 == 9;
        Ok(QueueAttributes {
            arn: queue_arn(&name),
            visible: if is_dlq && index % 50 == 49 { 7 } else { 0 },
            visibility_timeout_s: 30,
            retention_s: 345_600,
            redrive_policy: (!is_dlq).then(|| RedrivePolicy {
                dead_letter_target_arn: queue_arn(&format!("{BENCH_Q}{:04}", index / 10 * 10 + 9)),
                max_receive_count: 5,
            }),
            ..QueueAttributes::default()
        })
    }

    async fn dead_letter_sources(&self, url: &str) -> Result<Vec<String>, BackendError> {
        self.inner.dead_letter_sources(url).await
    }

    async fn receive(
        &self,
        url: &str,
        req: &ReceiveRequest,
    ) -> Result<Vec<QueueMessage>, BackendError> {
        self.inner.receive(url, req).await
    }

    async fn change_visibility(
        &self,
        url: &str,
        entries: &[ReceiptEntry],
        timeout_s: u32,
    ) -> Result<BatchOutcome, BackendError> {
        self.inner.change_visibility(url, entries, timeout_s).await
    }

    async fn list_move_tasks(&self, source_arn: &str) -> Result<Vec<MoveTask>, BackendError> {
        self.inner.list_move_tasks(source_arn).await
    }
}

#[async_trait]
impl StepFunctions for SizedUp<dyn StepFunctions> {
    async fn list_state_machines(&self) -> Result<Vec<StateMachineSummary>, BackendError> {
        let mut out = self.inner.list_state_machines().await?;
        for i in out.len()..self.size.machines {
            let name = format!("bench-sm-{i:03}");
            out.push(StateMachineSummary {
                arn: format!("arn:aws:states:{DEMO_REGION}:{DEMO_ACCOUNT}:stateMachine:{name}"),
                name,
                machine_type: MachineType::Standard,
                created_ms: 0,
            });
        }
        for _ in 1..pages(out.len(), 100) {
            self.calls.record("ListStateMachines");
        }
        Ok(out)
    }

    async fn list_executions(
        &self,
        req: &ExecutionsRequest,
    ) -> Result<ExecutionsPage, BackendError> {
        if req.state_machine_arn.contains(":stateMachine:bench-sm-") {
            self.calls.record("ListExecutions");
            return Ok(ExecutionsPage {
                executions: Vec::new(),
                next_token: None,
            });
        }
        self.inner.list_executions(req).await
    }

    async fn describe_execution(
        &self,
        execution_arn: &str,
    ) -> Result<ExecutionDetail, BackendError> {
        self.inner.describe_execution(execution_arn).await
    }

    async fn definition_for_execution(
        &self,
        execution_arn: &str,
    ) -> Result<MachineDefinition, BackendError> {
        self.inner.definition_for_execution(execution_arn).await
    }

    async fn execution_history(
        &self,
        execution_arn: &str,
        next_token: Option<&str>,
    ) -> Result<HistoryPage, BackendError> {
        self.inner
            .execution_history(execution_arn, next_token)
            .await
    }

    async fn machine_logging(
        &self,
        state_machine_arn: &str,
    ) -> Result<MachineLogging, BackendError> {
        self.inner.machine_logging(state_machine_arn).await
    }

    async fn machine_definition(
        &self,
        state_machine_arn: &str,
    ) -> Result<MachineDefinition, BackendError> {
        if let Some((_, name)) = state_machine_arn.split_once(":stateMachine:bench-sm-") {
            self.calls.record("DescribeStateMachine");
            return Ok(MachineDefinition {
                state_machine_arn: state_machine_arn.to_string(),
                name: format!("bench-sm-{name}"),
                definition: r#"{"StartAt":"Done","States":{"Done":{"Type":"Succeed"}}}"#.into(),
                revision_id: None,
                updated_ms: 0,
            });
        }
        self.inner.machine_definition(state_machine_arn).await
    }

    async fn map_runs(&self, execution_arn: &str) -> Result<Vec<MapRun>, BackendError> {
        self.inner.map_runs(execution_arn).await
    }
}
