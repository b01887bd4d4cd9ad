//! aws-sdk-sfn types -> the Step Functions model. Every text from AWS is neutralised here:
//! names as one line, definitions, input, output and causes as lines (JSON keeps its line
//! breaks; nothing a terminal acts on survives).

use aws_sdk_sfn::operation::describe_execution::DescribeExecutionOutput;
use aws_sdk_sfn::operation::describe_map_run::DescribeMapRunOutput;
use aws_sdk_sfn::operation::describe_state_machine::DescribeStateMachineOutput;
use aws_sdk_sfn::operation::describe_state_machine_for_execution::DescribeStateMachineForExecutionOutput;
use aws_sdk_sfn::primitives::DateTime;
use aws_sdk_sfn::types::{self as sdk, HistoryEvent as SdkEvent};

use crate::model::step_functions::{
    ExecutionDetail, ExecutionStatus, ExecutionSummary, HistoryEvent, ItemCounts,
    MachineDefinition, MachineLogging, MachineType, MapRun, StateMachineSummary,
};
use crate::untrusted_text::{sanitize_line, sanitize_lines};

fn line(text: &str) -> String {
    sanitize_line(text).into_owned()
}

/// Text that may span lines (JSON, a stack trace in a cause).
fn lines(text: &str) -> String {
    sanitize_lines(text).join("\n")
}

pub(crate) fn ms(date: &DateTime) -> i64 {
    date.to_millis().unwrap_or(0)
}

pub(crate) fn state_machine(m: &sdk::StateMachineListItem) -> StateMachineSummary {
    StateMachineSummary {
        arn: line(m.state_machine_arn()),
        name: line(m.name()),
        machine_type: machine_type(m.r#type()),
        created_ms: ms(m.creation_date()),
    }
}

fn machine_type(t: &sdk::StateMachineType) -> MachineType {
    match t {
        sdk::StateMachineType::Express => MachineType::Express,
        _ => MachineType::Standard,
    }
}

pub(crate) fn status(s: &sdk::ExecutionStatus) -> ExecutionStatus {
    match s {
        sdk::ExecutionStatus::Succeeded => ExecutionStatus::Succeeded,
        sdk::ExecutionStatus::Failed => ExecutionStatus::Failed,
        sdk::ExecutionStatus::TimedOut => ExecutionStatus::TimedOut,
        sdk::ExecutionStatus::Aborted => ExecutionStatus::Aborted,
        sdk::ExecutionStatus::PendingRedrive => ExecutionStatus::PendingRedrive,
        _ => ExecutionStatus::Running,
    }
}

pub(crate) fn status_filter(s: ExecutionStatus) -> sdk::ExecutionStatus {
    match s {
        ExecutionStatus::Running => sdk::ExecutionStatus::Running,
        ExecutionStatus::Succeeded => sdk::ExecutionStatus::Succeeded,
        ExecutionStatus::Failed => sdk::ExecutionStatus::Failed,
        ExecutionStatus::TimedOut => sdk::ExecutionStatus::TimedOut,
        ExecutionStatus::Aborted => sdk::ExecutionStatus::Aborted,
        ExecutionStatus::PendingRedrive => sdk::ExecutionStatus::PendingRedrive,
    }
}

/// The fields ListExecutions and DescribeExecution share.
fn summary(
    (arn, name, machine): (&str, Option<&str>, &str),
    status_of: &sdk::ExecutionStatus,
    (start, stop): (&DateTime, Option<&DateTime>),
    redrives: Option<i32>,
) -> ExecutionSummary {
    ExecutionSummary {
        arn: line(arn),
        name: name.map(line).unwrap_or_default(),
        state_machine_arn: line(machine),
        status: status(status_of),
        start_ms: ms(start),
        stop_ms: stop.map(ms),
        redrive_count: redrives.and_then(|n| u32::try_from(n).ok()).unwrap_or(0),
    }
}

pub(crate) fn execution(e: &sdk::ExecutionListItem) -> ExecutionSummary {
    summary(
        (e.execution_arn(), Some(e.name()), e.state_machine_arn()),
        e.status(),
        (e.start_date(), e.stop_date()),
        e.redrive_count(),
    )
}

pub(crate) fn execution_detail(e: &DescribeExecutionOutput) -> ExecutionDetail {
    ExecutionDetail {
        summary: summary(
            (e.execution_arn(), e.name(), e.state_machine_arn()),
            e.status(),
            (e.start_date(), e.stop_date()),
            e.redrive_count(),
        ),
        input: e.input().map(lines),
        output: e.output().map(lines),
        error: e.error().map(line),
        cause: e.cause().map(lines),
        redrive_status: e.redrive_status().map(|s| line(s.as_str())),
        redrive_status_reason: e.redrive_status_reason().map(lines),
    }
}

/// The log group is named from its ARN (`arn:aws:logs:r:a:log-group:NAME:*`).
pub(crate) fn machine_logging(c: Option<&sdk::LoggingConfiguration>) -> MachineLogging {
    let Some(c) = c else {
        return MachineLogging {
            level: "OFF".into(),
            ..MachineLogging::default()
        };
    };
    let group = c
        .destinations()
        .iter()
        .filter_map(|d| d.cloud_watch_logs_log_group()?.log_group_arn())
        .map(|arn| {
            let name = arn.split_once(":log-group:").map_or(arn, |(_, rest)| rest);
            line(name.strip_suffix(":*").unwrap_or(name))
        })
        .next();
    MachineLogging {
        level: c.level().map_or("OFF", |l| l.as_str()).to_string(),
        include_execution_data: c.include_execution_data(),
        group,
    }
}

pub(crate) fn machine_definition(m: &DescribeStateMachineForExecutionOutput) -> MachineDefinition {
    MachineDefinition {
        state_machine_arn: line(m.state_machine_arn()),
        name: line(m.name()),
        // Parsed later; its strings are neutralised again by the parser.
        definition: m.definition().to_string(),
        revision_id: m.revision_id().map(line),
        updated_ms: ms(m.update_date()),
    }
}

pub(crate) fn current_definition(m: &DescribeStateMachineOutput) -> MachineDefinition {
    MachineDefinition {
        state_machine_arn: line(m.state_machine_arn()),
        name: line(m.name()),
        // Parsed later; its strings are neutralised again by the parser.
        definition: m.definition().to_string(),
        revision_id: m.revision_id().map(line),
        updated_ms: ms(m.creation_date()),
    }
}

pub(crate) fn map_run(m: &DescribeMapRunOutput) -> MapRun {
    let counts = m.item_counts();
    let n = |v: i64| u64::try_from(v).unwrap_or(0);
    MapRun {
        arn: line(m.map_run_arn()),
        execution_arn: line(m.execution_arn()),
        start_ms: ms(m.start_date()),
        max_concurrency: u32::try_from(m.max_concurrency()).unwrap_or(0),
        items: counts.map_or_else(ItemCounts::default, |c| ItemCounts {
            pending: n(c.pending()),
            running: n(c.running()),
            succeeded: n(c.succeeded()),
            failed: n(c.failed()),
            timed_out: n(c.timed_out()),
            aborted: n(c.aborted()),
            total: n(c.total()),
        }),
    }
}

pub(crate) fn history_event(e: &SdkEvent) -> HistoryEvent {
    let (error, cause) = failure(e);
    HistoryEvent {
        id: e.id(),
        previous_id: e.previous_event_id(),
        timestamp_ms: ms(e.timestamp()),
        kind: line(e.r#type().as_str()),
        state: e
            .state_entered_event_details()
            .map(|d| d.name())
            .or_else(|| e.state_exited_event_details().map(|d| d.name()))
            .map(line),
        resource: resource(e),
        error: error.map(line),
        cause: cause.map(lines),
        input: input(e).map(lines),
        output: output(e).map(lines),
        parameters: e
            .task_scheduled_event_details()
            .map(|d| lines(d.parameters())),
    }
}

fn resource(e: &SdkEvent) -> Option<String> {
    if let Some(d) = e.task_scheduled_event_details() {
        return Some(line(&format!("{}:{}", d.resource_type(), d.resource())));
    }
    e.lambda_function_scheduled_event_details()
        .map(|d| d.resource())
        .or_else(|| e.activity_scheduled_event_details().map(|d| d.resource()))
        .map(line)
}

fn input(e: &SdkEvent) -> Option<&str> {
    e.state_entered_event_details()
        .and_then(|d| d.input())
        .or_else(|| e.execution_started_event_details().and_then(|d| d.input()))
        .or_else(|| {
            e.lambda_function_scheduled_event_details()
                .and_then(|d| d.input())
        })
        .or_else(|| e.activity_scheduled_event_details().and_then(|d| d.input()))
}

fn output(e: &SdkEvent) -> Option<&str> {
    e.state_exited_event_details()
        .and_then(|d| d.output())
        .or_else(|| e.task_succeeded_event_details().and_then(|d| d.output()))
        .or_else(|| {
            e.lambda_function_succeeded_event_details()
                .and_then(|d| d.output())
        })
        .or_else(|| {
            e.activity_succeeded_event_details()
                .and_then(|d| d.output())
        })
        .or_else(|| {
            e.execution_succeeded_event_details()
                .and_then(|d| d.output())
        })
}

/// The error and cause of whichever failure the event reports.
fn failure(e: &SdkEvent) -> (Option<&str>, Option<&str>) {
    macro_rules! first_of {
        ($($details:ident),* $(,)?) => {
            $(
                if let Some(d) = e.$details() {
                    return (d.error(), d.cause());
                }
            )*
        };
    }
    first_of!(
        task_failed_event_details,
        task_start_failed_event_details,
        task_submit_failed_event_details,
        task_timed_out_event_details,
        lambda_function_failed_event_details,
        lambda_function_schedule_failed_event_details,
        lambda_function_start_failed_event_details,
        lambda_function_timed_out_event_details,
        activity_failed_event_details,
        activity_schedule_failed_event_details,
        activity_timed_out_event_details,
        execution_failed_event_details,
        execution_aborted_event_details,
        execution_timed_out_event_details,
        map_run_failed_event_details,
        evaluation_failed_event_details,
    );
    (None, None)
}
