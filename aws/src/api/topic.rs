//! Topics: what the poller fetches, keyed by their parameters. Each service module names
//! its own topics, their timing and their fetch (`logs.rs`, `session.rs`, ...); this file
//! only dispatches to them, one arm per service.

use std::time::Duration;

use super::Backends;
use super::execution_reader::Pace;
use super::functions::{FunctionsData, FunctionsTopic};
use super::logs::{LogsData, LogsTopic};
use super::queues::{QueuesData, QueuesTopic};
use super::session::{SessionData, SessionTopic};
use super::signals::{SignalsData, SignalsTopic};
use super::step_functions_topic::{StepFunctionsData, StepFunctionsTopic};
use crate::model::BackendError;

/// A periodically polled piece of data. One poller task runs per wanted topic.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Topic {
    Session(SessionTopic),
    Logs(LogsTopic),
    StepFunctions(StepFunctionsTopic),
    Queues(QueuesTopic),
    Functions(FunctionsTopic),
    Signals(SignalsTopic),
}

/// The data a topic yields.
#[derive(Debug, Clone, PartialEq)]
pub enum Data {
    Session(SessionData),
    Logs(LogsData),
    StepFunctions(StepFunctionsData),
    Queues(QueuesData),
    Functions(FunctionsData),
    Signals(SignalsData),
}

impl Topic {
    pub const IDENTITY: Topic = Topic::Session(SessionTopic::Identity);
    pub const LOG_GROUPS: Topic = Topic::Logs(LogsTopic::Groups);
    pub const STATE_MACHINES: Topic = Topic::StepFunctions(StepFunctionsTopic::Machines);
    pub const QUEUES: Topic = Topic::Queues(QueuesTopic::Table);
    pub const ALARMS: Topic = Topic::Signals(SignalsTopic::Alarms);
    pub const CANARIES: Topic = Topic::Signals(SignalsTopic::Canaries);

    pub fn timing(&self) -> TopicTiming {
        match self {
            Topic::Session(t) => t.timing(),
            Topic::Logs(t) => t.timing(),
            Topic::StepFunctions(t) => t.timing(),
            Topic::Queues(t) => t.timing(),
            Topic::Functions(t) => t.timing(),
            Topic::Signals(t) => t.timing(),
        }
    }

    /// Whose API budget its calls draw from.
    pub fn service(&self) -> Service {
        match self {
            Topic::Session(t) => t.service(),
            Topic::Logs(t) => t.service(),
            Topic::StepFunctions(t) => t.service(),
            Topic::Queues(t) => t.service(),
            Topic::Functions(t) => t.service(),
            Topic::Signals(t) => t.service(),
        }
    }

    /// What it fetches, named for messages ("log groups", "executions of tax-approval").
    pub fn resource(&self) -> String {
        match self {
            Topic::Session(t) => t.resource(),
            Topic::Logs(t) => t.resource(),
            Topic::StepFunctions(t) => t.resource(),
            Topic::Queues(t) => t.resource(),
            Topic::Functions(t) => t.resource(),
            Topic::Signals(t) => t.resource(),
        }
    }

    /// One poll. `pace` is waited on before each call a topic makes beyond its first
    /// (which the poller draws); topics of one call do not need it.
    pub async fn fetch(&self, backends: &Backends, pace: &dyn Pace) -> Result<Data, BackendError> {
        match self {
            Topic::Session(t) => t.fetch(backends).await.map(Data::Session),
            Topic::Logs(t) => t.fetch(backends).await.map(Data::Logs),
            Topic::StepFunctions(t) => t.fetch(backends, pace).await.map(Data::StepFunctions),
            Topic::Queues(t) => t.fetch(backends, pace).await.map(Data::Queues),
            Topic::Functions(t) => t.fetch(backends, pace).await.map(Data::Functions),
            Topic::Signals(t) => t.fetch(backends, pace).await.map(Data::Signals),
        }
    }
}

/// How often a topic is polled, and how far its error backoff may grow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TopicTiming {
    pub interval: Duration,
    pub first_retry: Duration,
    pub max_backoff: Duration,
}

impl TopicTiming {
    /// Poll every `interval`; retry after 2 s, backing off to at most 2 minutes.
    pub const fn every(interval: Duration) -> Self {
        Self {
            interval,
            first_retry: Duration::from_secs(2),
            max_backoff: Duration::from_secs(120),
        }
    }
}

/// The AWS services the app calls, each with its own request budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Service {
    /// STS (the header's account).
    Session,
    /// CloudWatch Logs' reads other than FilterLogEvents (groups, Insights, Live Tail).
    Logs,
    /// FilterLogEvents: the tail's calls, quota'd by AWS apart from the other Logs reads.
    LogEvents,
    StepFunctions,
    Sqs,
    CloudWatch,
    Lambda,
}

/// A service's budget, sized from the published AWS quota with a safety margin (the quota
/// is per account and region, shared with every other tool and person using it).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ServiceQuota {
    pub service: Service,
    pub label: &'static str,
    /// The tightest per-second rate among the calls the app makes to it.
    pub quota_per_second: f64,
    /// What that quota is, as AWS publishes it.
    pub quota_source: &'static str,
    /// The app's default budget: a fraction of the quota.
    pub budget_per_second: f64,
    /// Calls the budget lets go at once, when more than a second and a half of its rate: a
    /// poll of many calls (the executions list: ~37) goes out at once while the bucket has
    /// room, as AWS's own buckets (100-250 deep for Step Functions) allow.
    pub budget_burst: Option<f64>,
}

/// The published quotas (AWS service quotas pages, read 2026-11), and our budgets.
pub const SERVICE_QUOTAS: [ServiceQuota; 7] = [
    ServiceQuota {
        service: Service::Session,
        label: "STS",
        quota_per_second: 600.0,
        quota_source: "GetCallerIdentity: 600 requests/s per account",
        budget_per_second: 1.0,
        budget_burst: None,
    },
    ServiceQuota {
        service: Service::Logs,
        label: "CloudWatch Logs",
        quota_per_second: 5.0,
        quota_source: "DescribeLogGroups: 5 transactions/s per account and region",
        budget_per_second: 1.0,
        budget_burst: None,
    },
    ServiceQuota {
        service: Service::LogEvents,
        label: "FilterLogEvents",
        quota_per_second: 5.0,
        quota_source: "FilterLogEvents: 5 transactions/s per account and region",
        // The tail's default (`--calls-per-second`): 20% of the quota, half of it while the
        // logs pane is not shown.
        budget_per_second: 1.0,
        budget_burst: None,
    },
    ServiceQuota {
        service: Service::StepFunctions,
        label: "Step Functions",
        quota_per_second: 2.0,
        quota_source: "ListExecutions: bucket 100, refill 2/s (5/s in the largest regions)",
        budget_per_second: 1.0,
        budget_burst: Some(40.0),
    },
    ServiceQuota {
        service: Service::Sqs,
        label: "SQS",
        quota_per_second: 3000.0,
        quota_source: "standard queues: nearly unlimited API calls; FIFO: 3,000 messages/s \
                       per queue with batching. The pollers' share is a courtesy (a \
                       redrive has its own --rate)",
        budget_per_second: 20.0,
        budget_burst: Some(64.0),
    },
    ServiceQuota {
        service: Service::CloudWatch,
        label: "CloudWatch",
        quota_per_second: 9.0,
        quota_source: "DescribeAlarms: 9 transactions/s (GetMetricData: 50/s)",
        budget_per_second: 3.0,
        budget_burst: None,
    },
    ServiceQuota {
        service: Service::Lambda,
        label: "Lambda",
        quota_per_second: 15.0,
        quota_source: "control-plane read calls: 15 requests/s per account and region",
        budget_per_second: 5.0,
        budget_burst: None,
    },
];

impl Service {
    pub fn quota(self) -> &'static ServiceQuota {
        let index = SERVICE_QUOTAS
            .iter()
            .position(|q| q.service == self)
            .unwrap_or(0);
        &SERVICE_QUOTAS[index]
    }
}

/// The service (and so the budget and quota) an operation counted in
/// [`crate::model::ApiCalls`] belongs to; None for Synthetics and RUM, which have no budget
/// of their own (their reads are few: one poll every two minutes).
pub fn service_of_operation(operation: &str) -> Option<Service> {
    const SQS: [&str; 4] = ["Queue", "Message", "DeadLetter", "MoveTask"];
    Some(match operation {
        "GetCallerIdentity" => Service::Session,
        "FilterLogEvents" => Service::LogEvents,
        "GetMetricData" | "DescribeAlarms" | "ListMetrics" => Service::CloudWatch,
        "ListFunctions"
        | "ListEventSourceMappings"
        | "GetAccountSettings"
        | "GetFunction"
        | "ListFunctionEventInvokeConfigs" => Service::Lambda,
        op if op.contains("Canar") || op.contains("AppMonitor") => return None,
        op if op.contains("Log")
            || op.contains("Query")
            || op.contains("LiveTail")
            || op == "DescribeQueries" =>
        {
            Service::Logs
        }
        op if SQS.iter().any(|part| op.contains(part)) => Service::Sqs,
        _ => Service::StepFunctions,
    })
}

#[cfg(test)]
mod service_of_operation_tests {
    use super::*;

    #[test]
    fn each_operation_counts_against_its_service() {
        for (op, service) in [
            ("FilterLogEvents", Some(Service::LogEvents)),
            ("StartQuery", Some(Service::Logs)),
            ("GetQueryResults", Some(Service::Logs)),
            ("DescribeLogGroups", Some(Service::Logs)),
            ("GetQueueAttributes", Some(Service::Sqs)),
            ("ReceiveMessage", Some(Service::Sqs)),
            ("ListMessageMoveTasks", Some(Service::Sqs)),
            ("ListExecutions", Some(Service::StepFunctions)),
            ("GetExecutionHistory", Some(Service::StepFunctions)),
            ("SendTaskSuccess", Some(Service::StepFunctions)),
            ("GetMetricData", Some(Service::CloudWatch)),
            ("ListFunctions", Some(Service::Lambda)),
            ("ListFunctionEventInvokeConfigs", Some(Service::Lambda)),
            ("GetCanaryRuns", None),
            ("ListAppMonitors", None),
        ] {
            assert_eq!(service_of_operation(op), service, "{op}");
        }
    }
}
