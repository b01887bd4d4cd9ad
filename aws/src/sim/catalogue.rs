//! The demo world's Lambda functions: the serverless tax-return system.
//!
//! API Gateway -> SNS -> SQS -> Lambda -> DynamoDB; DynamoDB streams -> Pipes -> EventBridge
//! -> Step Functions. 18 functions; the incident is `tax-calculate-refund` failing on returns
//! without deductions.

use super::stack_traces::{Failure, MISSING_DEDUCTION, MQ_CONNECTION_BROKEN};

/// Region and account of the demo world.
pub const DEMO_REGION: &str = "eu-west-1";
pub const DEMO_ACCOUNT: &str = "123456789012";

/// The Lambda runtimes in use; each has its own log and stack-trace style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Runtime {
    Python312,
    Nodejs20,
    Java21,
}

impl Runtime {
    /// `INIT_START Runtime Version: ...` value.
    pub fn runtime_version(self) -> &'static str {
        match self {
            Self::Python312 => "python:3.12.v38",
            Self::Nodejs20 => "nodejs:20.v41",
            Self::Java21 => "java:21.v29",
        }
    }

    /// The runtime version ARN's hash.
    pub fn runtime_version_hash(self) -> &'static str {
        match self {
            Self::Python312 => "4b7e9a6c1d3f0e2b8a5c7d9e1f3a5b7c9d1e3f5a7b9c1d3e5f7a9b1c3d5e7f9a",
            Self::Nodejs20 => "0d8c2e4f6a8b0c2d4e6f8a0b2c4d6e8f0a2b4c6d8e0f2a4b6c8d0e2f4a6b8c0d",
            Self::Java21 => "9f1e3d5c7b9a1f3e5d7c9b1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e",
        }
    }

    /// Cold-start `Init Duration` range in milliseconds.
    pub fn init_duration_ms(self) -> (f64, f64) {
        match self {
            Self::Python312 => (180.0, 720.0),
            Self::Nodejs20 => (140.0, 480.0),
            Self::Java21 => (850.0, 3200.0),
        }
    }
}

/// How a function writes its application log lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogStyle {
    /// Powertools for AWS Lambda structured JSON.
    Powertools,
    /// The runtime's default plain-text logging.
    PlainText,
}

/// What invokes a function (later issues extend the world with these resources).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trigger {
    ApiGateway { route: &'static str },
    Sqs { queue: &'static str },
    PipeEnrichment { pipe: &'static str },
    EventBridgeRule { rule: &'static str },
    StepFunctionsTask { state_machine: &'static str },
    Schedule { expression: &'static str },
}

/// How invocations arrive.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum TrafficProfile {
    /// Poisson arrivals at `per_second`, multiplied by `burst_factor` during a batch
    /// submission deadline spike.
    Steady { per_second: f64, burst_factor: f64 },
    /// Exactly once every `every_s` seconds (an EventBridge schedule).
    Periodic { every_s: i64 },
}

/// One Lambda function of the demo app.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FunctionSpec {
    pub name: &'static str,
    pub runtime: Runtime,
    pub memory_mb: u32,
    pub timeout_s: u32,
    pub log_style: LogStyle,
    pub trigger: Trigger,
    pub traffic: TrafficProfile,
    /// Execution environments (log streams) alive when the history starts.
    pub initial_containers: usize,
    /// Reserved concurrency: never more environments than this at once.
    pub max_concurrency: usize,
    pub typical_duration_ms: f64,
    pub typical_memory_used_mb: u32,
    /// Probability that an invocation fails with an exception.
    pub error_rate: f64,
    /// Probability that an invocation runs into its timeout.
    pub timeout_rate: f64,
    /// Application log lines of a successful invocation, in order.
    pub steps: &'static [&'static str],
    /// The handler's source file (for `location` fields and stack frames).
    pub source_file: &'static str,
    /// The ERROR line's message when an invocation fails.
    pub failure_message: &'static str,
    /// This function's most common failure (else its runtime's).
    pub signature_failure: Option<Failure>,
}

impl FunctionSpec {
    pub fn log_group(&self) -> String {
        format!("/aws/lambda/{}", self.name)
    }

    pub fn arn(&self) -> String {
        format!(
            "arn:aws:lambda:{DEMO_REGION}:{DEMO_ACCOUNT}:function:{}",
            self.name
        )
    }
}

const fn steady(per_second: f64, burst_factor: f64) -> TrafficProfile {
    TrafficProfile::Steady {
        per_second,
        burst_factor,
    }
}

/// Defaults shared by most functions; each entry overrides what differs.
const BASE: FunctionSpec = FunctionSpec {
    name: "",
    runtime: Runtime::Python312,
    memory_mb: 512,
    timeout_s: 30,
    log_style: LogStyle::Powertools,
    trigger: Trigger::Schedule {
        expression: "rate(1 hour)",
    },
    traffic: steady(0.1, 1.0),
    initial_containers: 1,
    max_concurrency: 1,
    typical_duration_ms: 100.0,
    typical_memory_used_mb: 90,
    error_rate: 0.002,
    timeout_rate: 0.0,
    steps: &[],
    source_file: "app.py",
    failure_message: "failed to process record",
    signature_failure: None,
};

/// The 18 functions, in the order the generator visits them.
pub const FUNCTIONS: [FunctionSpec; 18] = [
    FunctionSpec {
        name: "tax-submit-api",
        runtime: Runtime::Nodejs20,
        trigger: Trigger::ApiGateway {
            route: "POST /v1/returns",
        },
        traffic: steady(0.6, 5.0),
        initial_containers: 2,
        max_concurrency: 4,
        typical_duration_ms: 85.0,
        typical_memory_used_mb: 96,
        timeout_s: 10,
        steps: &[
            "submission received",
            "payload schema valid",
            "published to sns topic tax-submissions",
            "responded 202 Accepted",
        ],
        source_file: "src/handlers/submit.mjs",
        ..BASE
    },
    FunctionSpec {
        name: "tax-authorizer",
        runtime: Runtime::Nodejs20,
        memory_mb: 256,
        trigger: Trigger::ApiGateway {
            route: "authorizer",
        },
        traffic: steady(0.8, 5.0),
        initial_containers: 2,
        max_concurrency: 3,
        typical_duration_ms: 18.0,
        typical_memory_used_mb: 74,
        timeout_s: 3,
        error_rate: 0.001,
        steps: &["token verified", "policy allow"],
        source_file: "src/authorizer.mjs",
        ..BASE
    },
    FunctionSpec {
        name: "tax-status-api",
        memory_mb: 256,
        trigger: Trigger::ApiGateway {
            route: "GET /v1/returns/{id}",
        },
        traffic: steady(0.35, 2.0),
        typical_duration_ms: 45.0,
        typical_memory_used_mb: 82,
        timeout_s: 10,
        steps: &["status requested", "return found"],
        source_file: "status_api/handler.py",
        ..BASE
    },
    FunctionSpec {
        name: "tax-upload-attachment",
        trigger: Trigger::ApiGateway {
            route: "POST /v1/attachments",
        },
        traffic: steady(0.1, 3.0),
        typical_duration_ms: 240.0,
        typical_memory_used_mb: 140,
        steps: &["attachment upload requested", "presigned url issued"],
        source_file: "upload_attachment/handler.py",
        ..BASE
    },
    FunctionSpec {
        name: "tax-validate-submission",
        trigger: Trigger::Sqs {
            queue: "tax-submissions-validate",
        },
        traffic: steady(0.55, 5.0),
        initial_containers: 2,
        max_concurrency: 4,
        typical_duration_ms: 130.0,
        typical_memory_used_mb: 118,
        steps: &[
            "batch received",
            "submission validated",
            "income sections consistent",
            "forwarded to enrichment",
        ],
        source_file: "validate_submission/handler.py",
        ..BASE
    },
    FunctionSpec {
        name: "tax-enrich-taxpayer",
        trigger: Trigger::Sqs {
            queue: "tax-submissions-enrich",
        },
        traffic: steady(0.5, 4.0),
        initial_containers: 2,
        max_concurrency: 4,
        typical_duration_ms: 420.0,
        typical_memory_used_mb: 131,
        timeout_s: 6,
        timeout_rate: 0.006,
        steps: &[
            "batch received",
            "calling taxpayer registry",
            "taxpayer record enriched",
        ],
        source_file: "enrich_taxpayer/handler.py",
        ..BASE
    },
    FunctionSpec {
        name: "tax-calculate-refund",
        runtime: Runtime::Java21,
        memory_mb: 1024,
        timeout_s: 15,
        trigger: Trigger::Sqs {
            queue: "tax-refund-calculation",
        },
        traffic: steady(0.5, 4.0),
        initial_containers: 2,
        max_concurrency: 4,
        typical_duration_ms: 310.0,
        typical_memory_used_mb: 312,
        error_rate: 0.07,
        steps: &[
            "batch received",
            "loaded tax bands for 2025-26",
            "deductions applied",
            "refund calculated",
        ],
        source_file: "RefundCalculator.java",
        failure_message: "refund calculation failed",
        signature_failure: Some(MISSING_DEDUCTION),
        ..BASE
    },
    FunctionSpec {
        name: "tax-persist-return",
        memory_mb: 256,
        trigger: Trigger::Sqs {
            queue: "tax-returns-persist",
        },
        traffic: steady(0.5, 4.0),
        initial_containers: 2,
        max_concurrency: 3,
        typical_duration_ms: 60.0,
        typical_memory_used_mb: 90,
        steps: &["batch received", "return written to table tax-returns"],
        source_file: "persist_return/handler.py",
        ..BASE
    },
    FunctionSpec {
        name: "tax-stream-enricher",
        runtime: Runtime::Nodejs20,
        memory_mb: 256,
        trigger: Trigger::PipeEnrichment {
            pipe: "tax-returns-stream-pipe",
        },
        traffic: steady(0.45, 4.0),
        max_concurrency: 2,
        typical_duration_ms: 35.0,
        typical_memory_used_mb: 80,
        steps: &[
            "stream records received",
            "records enriched for eventbridge",
        ],
        source_file: "src/pipes/enrich.mjs",
        ..BASE
    },
    FunctionSpec {
        name: "tax-fraud-screening",
        memory_mb: 1024,
        trigger: Trigger::StepFunctionsTask {
            state_machine: "tax-return-processing",
        },
        traffic: steady(0.25, 3.0),
        typical_duration_ms: 650.0,
        typical_memory_used_mb: 402,
        steps: &["screening started", "risk model scored", "screening passed"],
        source_file: "fraud_screening/handler.py",
        ..BASE
    },
    FunctionSpec {
        name: "tax-issue-payment",
        runtime: Runtime::Java21,
        memory_mb: 1024,
        trigger: Trigger::StepFunctionsTask {
            state_machine: "tax-return-processing",
        },
        traffic: steady(0.15, 3.0),
        typical_duration_ms: 380.0,
        typical_memory_used_mb: 288,
        steps: &[
            "payment instruction created",
            "payment submitted to bank gateway",
        ],
        source_file: "PaymentIssuer.java",
        ..BASE
    },
    FunctionSpec {
        name: "tax-notify-taxpayer",
        runtime: Runtime::Nodejs20,
        memory_mb: 256,
        trigger: Trigger::StepFunctionsTask {
            state_machine: "tax-return-processing",
        },
        traffic: steady(0.25, 3.0),
        typical_duration_ms: 140.0,
        typical_memory_used_mb: 88,
        steps: &["notification queued", "email sent"],
        source_file: "src/notify.mjs",
        ..BASE
    },
    FunctionSpec {
        name: "tax-generate-receipt",
        runtime: Runtime::Java21,
        memory_mb: 2048,
        trigger: Trigger::StepFunctionsTask {
            state_machine: "tax-return-processing",
        },
        traffic: steady(0.15, 3.0),
        typical_duration_ms: 900.0,
        typical_memory_used_mb: 610,
        steps: &["rendering receipt", "receipt stored in s3"],
        source_file: "ReceiptGenerator.java",
        ..BASE
    },
    FunctionSpec {
        name: "tax-audit-trail",
        memory_mb: 128,
        trigger: Trigger::EventBridgeRule {
            rule: "tax-all-events-audit",
        },
        traffic: steady(0.35, 3.0),
        typical_duration_ms: 25.0,
        typical_memory_used_mb: 61,
        steps: &["audit event recorded"],
        source_file: "audit_trail/handler.py",
        ..BASE
    },
    FunctionSpec {
        name: "tax-legacy-mainframe-bridge",
        runtime: Runtime::Java21,
        log_style: LogStyle::PlainText,
        trigger: Trigger::EventBridgeRule {
            rule: "tax-returns-to-mainframe",
        },
        traffic: steady(0.06, 2.0),
        typical_duration_ms: 1400.0,
        typical_memory_used_mb: 233,
        error_rate: 0.03,
        timeout_rate: 0.01,
        steps: &[
            "Connecting to MQ queue TAX.RETURNS.IN",
            "Sent copybook record",
            "MQ acknowledged",
        ],
        source_file: "MainframeBridge.java",
        failure_message: "MQ send failed, message left on retry queue",
        signature_failure: Some(MQ_CONNECTION_BROKEN),
        ..BASE
    },
    FunctionSpec {
        name: "tax-config-refresh",
        runtime: Runtime::Nodejs20,
        memory_mb: 128,
        log_style: LogStyle::PlainText,
        trigger: Trigger::Schedule {
            expression: "rate(1 minute)",
        },
        traffic: TrafficProfile::Periodic { every_s: 60 },
        typical_duration_ms: 70.0,
        typical_memory_used_mb: 68,
        steps: &[
            "refreshing feature flags",
            "config version 2026.11.3 active",
        ],
        source_file: "src/refresh.mjs",
        ..BASE
    },
    FunctionSpec {
        name: "tax-dlq-redrive",
        memory_mb: 256,
        trigger: Trigger::Schedule {
            expression: "rate(5 minutes)",
        },
        traffic: TrafficProfile::Periodic { every_s: 300 },
        typical_duration_ms: 210.0,
        typical_memory_used_mb: 77,
        steps: &["checking dead-letter queues", "nothing to redrive"],
        source_file: "dlq_redrive/handler.py",
        ..BASE
    },
    FunctionSpec {
        name: "tax-nightly-reconciliation",
        memory_mb: 1024,
        timeout_s: 900,
        log_style: LogStyle::PlainText,
        trigger: Trigger::Schedule {
            expression: "cron(30 2 * * ? *)",
        },
        traffic: steady(0.02, 1.0),
        typical_duration_ms: 4200.0,
        typical_memory_used_mb: 530,
        steps: &[
            "Reconciling payments batch",
            "Matched ledger entries",
            "Batch reconciled",
        ],
        source_file: "reconciliation/job.py",
        ..BASE
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eighteen_distinct_functions_with_about_thirty_streams() {
        let mut names: Vec<&str> = FUNCTIONS.iter().map(|f| f.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), 18);
        let initial: usize = FUNCTIONS.iter().map(|f| f.initial_containers).sum();
        assert!((22..=30).contains(&initial), "{initial} initial streams");
        for function in &FUNCTIONS {
            assert!(!function.steps.is_empty() && function.steps.len() <= 4);
            assert!(function.initial_containers <= function.max_concurrency);
            assert!(function.typical_memory_used_mb < function.memory_mb);
        }
    }
}
