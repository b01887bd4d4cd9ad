//! The backend boundary: async traits per service, taking and returning model types, one
//! module per service (`logs.rs`, `session.rs`, ...). Each module also names the topics the
//! poller fetches from that service, with their timing. Implemented by `real`
//! (aws-sdk-rust) and `sim` (the demo world); both are held to the same contract tests.
//!
//! Read traits and mutation traits live apart: a service's mutations go in a `*Ops` trait
//! next to its read trait, held in [`Backends`] as an `Option` that `--read-only` leaves
//! `None`, so nothing in a read-only app can reach one.

mod execution_reader;
mod function_health;
mod functions;
mod history_cache;
mod insights;
mod invokers;
mod logs;
mod metrics;
mod queue_ages;
mod queues;
mod session;
mod signals;
mod step_functions;
mod step_functions_topic;
mod topic;

use std::sync::Arc;

use crate::model::ApiCalls;

pub use execution_reader::{
    DefinitionCache, ExecutionReader, ExecutionReading, Pace, RECENT_SUCCESSES, Unpaced,
};
pub use function_health::{
    ACCOUNT_TOTALS, FunctionHealthCache, HEALTH_POLL_MS, PER_FUNCTION_METRICS_PER_HOUR,
    PerFunctionRead, per_function_every_ms, per_function_read,
};
pub use functions::{
    COLD_START_QUERY, FunctionListCache, Functions, FunctionsData, FunctionsTopic, LIST_REREAD_MS,
    cold_starts, functions_table, table_queries,
};
pub use history_cache::HistoryCache;
pub use insights::LogsInsights;
pub use invokers::CurrentDefinitions;
pub use logs::{LiveTail, LiveTailSession, Logs, LogsData, LogsTopic};
pub use metrics::{Metrics, fetch_metrics};
pub use queue_ages::{AGES_EVERY, MAX_QUEUES_AGED, oldest_ages};
pub use queues::{
    ATTRIBUTE_READS_IN_FLIGHT, MAX_QUEUES, QUIET_REREAD_MS, QueueAttributeCache, Queues,
    QueuesData, QueuesOps, QueuesTopic, pair_sources, queue_table,
};
pub use session::{Session, SessionData, SessionTopic};
pub use signals::{
    ALARM_PERIODS_SHOWN, Alarms, CANARY_RUNS_READ, Rum, SignalsData, SignalsTopic, Synthetics,
    alarm_rows, rum_summaries,
};
pub use step_functions::{StepFunctions, StepFunctionsOps};
pub use step_functions_topic::{
    Count, ExecutionsView, MAX_PAGES, MachineRow, OLDEST_READ, ROWS_READ, StepFunctionsData,
    StepFunctionsTopic, short_name,
};
pub use topic::{
    Data, SERVICE_QUOTAS, Service, ServiceQuota, Topic, TopicTiming, service_of_operation,
};

/// Wall-clock time in epoch milliseconds. The real backend reads the system clock; the
/// demo world is a fixed epoch plus tokio time, so tests with paused time are deterministic.
pub trait WallClock: Send + Sync {
    fn now_ms(&self) -> i64;
}

/// The system clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl WallClock for SystemClock {
    fn now_ms(&self) -> i64 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
            .unwrap_or(0)
    }
}

/// What the header shows about where we are connected.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BackendLabel {
    /// "DEMO" for the simulated world, else the profile name ("default" when none).
    pub profile: String,
    pub region: String,
    pub endpoint_url: Option<String>,
    pub is_demo: bool,
}

/// Every service the app talks to, behind its trait.
#[derive(Clone)]
pub struct Backends {
    pub logs: Arc<dyn Logs>,
    /// Logs Insights queries.
    pub insights: Arc<dyn LogsInsights>,
    pub session: Arc<dyn Session>,
    /// Step Functions reads (machines, executions, history).
    pub step_functions: Arc<dyn StepFunctions>,
    /// Step Functions mutations; None with `--read-only` (see [`Backends::read_only`]).
    pub step_functions_ops: Option<Arc<dyn StepFunctionsOps>>,
    /// SQS reads (queues, their attributes, receiving messages, move tasks).
    pub queues: Arc<dyn Queues>,
    /// SQS mutations (send, delete, move tasks); None with `--read-only`.
    pub queues_ops: Option<Arc<dyn QueuesOps>>,
    /// Lambda reads (functions, event source mappings, the account limit).
    pub functions: Arc<dyn Functions>,
    /// CloudWatch GetMetricData.
    pub metrics: Arc<dyn Metrics>,
    /// CloudWatch alarms.
    pub alarms: Arc<dyn Alarms>,
    pub synthetics: Arc<dyn Synthetics>,
    pub rum: Arc<dyn Rum>,
    /// The function list read lately, for the next table polls.
    pub function_list: Arc<FunctionListCache>,
    /// Live Tail; `Unavailable` where it is not offered (see [`LiveTail`]).
    pub live_tail: Arc<dyn LiveTail>,
    pub clock: Arc<dyn WallClock>,
    pub label: BackendLabel,
    /// Every AWS API call made through these backends, per operation.
    pub calls: Arc<ApiCalls>,
    /// The Step Functions definitions read, by machine and revision.
    pub definitions: Arc<DefinitionCache>,
    /// The execution histories read, with their page tokens.
    pub histories: Arc<HistoryCache>,
    /// The machines' current definitions read lately (which machines invoke a function).
    pub current_definitions: Arc<CurrentDefinitions>,
    /// The overview's last read of every function's health (see [`FunctionHealthCache`]).
    pub function_health: Arc<FunctionHealthCache>,
    /// The queue attributes read, for the table's next poll.
    pub queue_attributes: Arc<QueueAttributeCache>,
}

impl Backends {
    /// What Step Functions reads reuse: definitions and histories already read.
    pub fn caches(&self) -> (&DefinitionCache, &HistoryCache) {
        (&self.definitions, &self.histories)
    }

    /// The same backends without any mutation capability (`--read-only`).
    pub fn read_only(mut self) -> Self {
        self.step_functions_ops = None;
        self.queues_ops = None;
        self
    }
}
