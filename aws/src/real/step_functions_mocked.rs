//! RedriveExecution, which moto does not serve: the request the real backend sends and how it
//! reads the answer and AWS's refusals, through aws-smithy-mocks in place of the network.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use aws_sdk_sfn::Client;
use aws_sdk_sfn::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_sfn::error::ErrorMetadata;
use aws_sdk_sfn::operation::redrive_execution::{RedriveExecutionError, RedriveExecutionOutput};
use aws_sdk_sfn::types::error::{ExecutionDoesNotExist, ExecutionNotRedrivable};
use aws_smithy_mocks::{MockResponseInterceptor, Rule, RuleMode, mock};
use aws_smithy_types::DateTime;

use super::errors::ErrorContext;
use super::step_functions::RealStepFunctions;
use crate::api::StepFunctionsOps;
use crate::model::BackendError;

const ARN: &str = "arn:aws:states:us-east-1:123456789012:execution:tax:return-000042";

fn backend(rules: &[&Rule]) -> RealStepFunctions {
    // In order: each rule answers one call.
    let mut interceptor = MockResponseInterceptor::new().rule_mode(RuleMode::Sequential);
    for rule in rules {
        interceptor = interceptor.with_rule(rule);
    }
    let conf = aws_sdk_sfn::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("a", "b", None, None, "mocked"))
        .http_client(aws_smithy_mocks::create_mock_http_client())
        .interceptor(interceptor)
        .build();
    RealStepFunctions::new(
        Client::from_conf(conf),
        ErrorContext {
            profile: "default".into(),
            endpoint: "Step Functions (us-east-1)".into(),
        },
    )
}

/// The SDK fills in an idempotency token, so a retried redrive is one redrive.
#[tokio::test]
async fn redrive_sends_the_execution_arn_and_reads_the_redrive_date() {
    let rule = mock!(Client::redrive_execution)
        .match_requests(|req| req.execution_arn() == Some(ARN) && req.client_token().is_some())
        .then_output(|| {
            RedriveExecutionOutput::builder()
                .redrive_date(DateTime::from_millis(1_764_000_000_123))
                .build()
                .unwrap()
        });
    let api = backend(&[&rule]);
    assert_eq!(api.redrive_execution(ARN).await.unwrap(), 1_764_000_000_123);
    assert_eq!(rule.num_calls(), 1);
}

#[tokio::test]
async fn redrive_refusals_are_the_callers_errors_with_aws_words() {
    let not_redrivable = mock!(Client::redrive_execution).then_error(|| {
        RedriveExecutionError::ExecutionNotRedrivable(
            ExecutionNotRedrivable::builder()
                .message("Execution is SUCCEEDED \u{1b}[2J and cannot be redriven")
                .meta(
                    ErrorMetadata::builder()
                        .code("ExecutionNotRedrivable")
                        .message("Execution is SUCCEEDED \u{1b}[2J and cannot be redriven")
                        .build(),
                )
                .build(),
        )
    });
    let missing = mock!(Client::redrive_execution).then_error(|| {
        RedriveExecutionError::ExecutionDoesNotExist(
            ExecutionDoesNotExist::builder()
                .meta(
                    ErrorMetadata::builder()
                        .code("ExecutionDoesNotExist")
                        .message("Execution Does Not Exist")
                        .build(),
                )
                .build(),
        )
    });
    let api = backend(&[&not_redrivable, &missing]);
    let refused = api.redrive_execution(ARN).await.unwrap_err();
    match &refused {
        BackendError::InvalidInput(text) => {
            assert!(text.contains("ExecutionNotRedrivable"), "{text}");
            assert!(text.contains("cannot be redriven"), "{text}");
        }
        other => panic!("not the caller's error: {other:?}"),
    }
    assert!(!refused.is_retryable());
    assert!(matches!(
        api.redrive_execution(ARN).await,
        Err(BackendError::NotFound(_))
    ));
}

/// The child executions of a distributed Map run: ListExecutions by `mapRunArn` (moto has no
/// Map runs), never with the state machine's ARN beside it (AWS takes one or the other).
#[tokio::test]
async fn a_map_runs_executions_are_listed_by_its_arn() {
    use crate::api::StepFunctions;
    use crate::model::step_functions::{ExecutionStatus, ExecutionsRequest};
    use aws_sdk_sfn::operation::list_executions::ListExecutionsOutput;
    use aws_sdk_sfn::types::{ExecutionListItem, ExecutionStatus as SdkStatus};
    const MAP_RUN: &str =
        "arn:aws:states:us-east-1:123456789012:mapRun:tax/return-000042:ab12cd34-0000-0000";
    let rule = mock!(Client::list_executions)
        .match_requests(|req| {
            req.map_run_arn() == Some(MAP_RUN)
                && req.state_machine_arn().is_none()
                && req.status_filter().map(|s| s.as_str()) == Some("FAILED")
        })
        .then_output(|| {
            ListExecutionsOutput::builder()
                .executions(
                    ExecutionListItem::builder()
                        .execution_arn(format!("{MAP_RUN}:item-7"))
                        .state_machine_arn(
                            "arn:aws:states:us-east-1:123456789012:stateMachine:tax/return-000042",
                        )
                        .name("item-7")
                        .status(SdkStatus::Failed)
                        .start_date(DateTime::from_millis(1_764_000_000_000))
                        .build()
                        .unwrap(),
                )
                .build()
                .unwrap()
        });
    let api = backend(&[&rule]);
    let page = api
        .list_executions(&ExecutionsRequest {
            state_machine_arn: MAP_RUN.into(),
            status: Some(ExecutionStatus::Failed),
            ..ExecutionsRequest::default()
        })
        .await
        .unwrap();
    assert_eq!(rule.num_calls(), 1);
    assert_eq!(page.executions.len(), 1);
    assert_eq!(page.executions[0].name, "item-7");
    assert_eq!(page.executions[0].status, ExecutionStatus::Failed);
}
