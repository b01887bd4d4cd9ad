//! The message move task calls, which moto does not serve (HTTP 500): the requests the real
//! backend sends and how it reads the answers and AWS's refusals, through aws-smithy-mocks in
//! place of the network.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use aws_sdk_sqs::Client;
use aws_sdk_sqs::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_sqs::error::ErrorMetadata;
use aws_sdk_sqs::operation::cancel_message_move_task::CancelMessageMoveTaskOutput;
use aws_sdk_sqs::operation::list_message_move_tasks::ListMessageMoveTasksOutput;
use aws_sdk_sqs::operation::start_message_move_task::{
    StartMessageMoveTaskError, StartMessageMoveTaskOutput,
};
use aws_sdk_sqs::types::ListMessageMoveTasksResultEntry;
use aws_sdk_sqs::types::error::UnsupportedOperation;
use aws_smithy_mocks::{MockResponseInterceptor, Rule, RuleMode, mock};

use super::errors::ErrorContext;
use super::queues::RealQueues;
use crate::api::{Queues, QueuesOps};

const DLQ: &str = "arn:aws:sqs:us-east-1:123456789012:tax-dlq";
const SOURCE: &str = "arn:aws:sqs:us-east-1:123456789012:tax-submissions";

fn backend(rules: &[&Rule]) -> RealQueues {
    let mut interceptor = MockResponseInterceptor::new().rule_mode(RuleMode::Sequential);
    for rule in rules {
        interceptor = interceptor.with_rule(rule);
    }
    let conf = aws_sdk_sqs::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("a", "b", None, None, "mocked"))
        .http_client(aws_smithy_mocks::create_mock_http_client())
        .interceptor(interceptor)
        .build();
    RealQueues::new(
        Client::from_conf(conf),
        ErrorContext {
            profile: "default".into(),
            endpoint: "SQS (us-east-1)".into(),
        },
    )
}

#[tokio::test]
async fn a_move_task_starts_with_its_destination_and_rate_and_is_followed_and_cancelled() {
    let start = mock!(Client::start_message_move_task)
        .match_requests(|r| {
            r.source_arn() == Some(DLQ)
                && r.destination_arn() == Some(SOURCE)
                && r.max_number_of_messages_per_second() == Some(50)
        })
        .then_output(|| {
            StartMessageMoveTaskOutput::builder()
                .task_handle("h-1")
                .build()
        });
    let list = mock!(Client::list_message_move_tasks)
        .match_requests(|r| r.source_arn() == Some(DLQ))
        .then_output(|| {
            ListMessageMoveTasksOutput::builder()
                .results(
                    ListMessageMoveTasksResultEntry::builder()
                        .task_handle("h-1")
                        .status("RUNNING")
                        .source_arn(DLQ)
                        .destination_arn(SOURCE)
                        .max_number_of_messages_per_second(50)
                        .approximate_number_of_messages_moved(120)
                        .approximate_number_of_messages_to_move(1_204)
                        .started_timestamp(1_764_000_000_000)
                        .build(),
                )
                .results(
                    ListMessageMoveTasksResultEntry::builder()
                        .status("FAILED")
                        .source_arn(DLQ)
                        .failure_reason("AWS.SimpleQueueService.NonExistentQueue \u{1b}[2J")
                        .build(),
                )
                .build()
        });
    let cancel = mock!(Client::cancel_message_move_task)
        .match_requests(|r| r.task_handle() == Some("h-1"))
        .then_output(|| {
            CancelMessageMoveTaskOutput::builder()
                .approximate_number_of_messages_moved(130)
                .build()
        });
    let api = backend(&[&start, &list, &cancel]);
    assert_eq!(
        api.start_move_task(DLQ, Some(SOURCE), Some(50))
            .await
            .unwrap(),
        "h-1"
    );
    let tasks = api.list_move_tasks(DLQ).await.unwrap();
    assert!(tasks[0].is_active());
    assert_eq!((tasks[0].moved, tasks[0].to_move), (120, Some(1_204)));
    assert_eq!(tasks[0].started_ms, Some(1_764_000_000_000));
    assert!(!tasks[1].is_active());
    let reason = tasks[1].failure_reason.as_deref().unwrap();
    assert!(
        reason.contains("NonExistentQueue") && !reason.contains('\u{1b}'),
        "{reason}"
    );
    assert_eq!(api.cancel_move_task("h-1").await.unwrap(), 130);
    assert_eq!(start.num_calls() + list.num_calls() + cancel.num_calls(), 3);
}

#[tokio::test]
async fn a_refused_move_task_is_the_callers_error_in_aws_words() {
    let refused = mock!(Client::start_message_move_task).then_error(|| {
        StartMessageMoveTaskError::UnsupportedOperation(
            UnsupportedOperation::builder()
                .message("Source queue must be configured as a Dead Letter Queue.")
                .meta(
                    ErrorMetadata::builder()
                        .code("AWS.SimpleQueueService.UnsupportedOperation")
                        .message("Source queue must be configured as a Dead Letter Queue.")
                        .build(),
                )
                .build(),
        )
    });
    let api = backend(&[&refused]);
    let err = api.start_move_task(DLQ, None, None).await.unwrap_err();
    assert!(!err.is_retryable(), "{err:?}");
    assert!(err.to_string().contains("Dead Letter Queue"), "{err}");
}
