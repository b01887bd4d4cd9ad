//! The Step Functions mutation contract. Against moto (ASL execution on), through the real
//! backend: an execution waiting on a `sqs:sendMessage.waitForTaskToken` task is resumed with
//! the token read back from its history and succeeds with the output sent; another is
//! stopped with an error and cause; a token nobody handed out is refused. On the demo world,
//! through the same trait: a sent token resumes a stuck approval and its later states run, a
//! stop aborts a running execution now, a redrive runs an aborted one again from where it
//! stopped, and each refusal AWS gives (not running, not redrivable, a token no longer
//! waited on, output that is not JSON) is given.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::sync::Arc;
use std::time::{Duration, Instant};

use support::*;
use unstuck_aws::api::{StepFunctions, StepFunctionsOps, WallClock};
use unstuck_aws::model::BackendError;
use unstuck_aws::model::asl;
use unstuck_aws::model::step_functions::{
    ExecutionProgress, ExecutionStatus, ExecutionSummary, ExecutionsRequest, HistoryEvent,
    StepStatus, waiting_tokens,
};

fn definition(queue_url: &str) -> String {
    serde_json::json!({
        "StartAt": "HumanApproval",
        "States": {
            "HumanApproval": {
                "Type": "Task",
                "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                "Parameters": {"QueueUrl": queue_url, "MessageBody": {"token.$": "$$.Task.Token"}},
                "Next": "Done"
            },
            "Done": {"Type": "Succeed"}
        }
    })
    .to_string()
}

async fn history(api: &dyn StepFunctions, arn: &str) -> Vec<HistoryEvent> {
    let mut events = Vec::new();
    let mut token = None;
    loop {
        let page = api.execution_history(arn, token.as_deref()).await.unwrap();
        events.extend(page.events);
        match page.next_token {
            Some(t) => token = Some(t),
            None => return events,
        }
    }
}

/// The tokens `arn` waits on now, read back from its history as the app reads them.
async fn tokens(api: &dyn StepFunctions, arn: &str) -> Vec<(String, String)> {
    let ran = api.definition_for_execution(arn).await.unwrap();
    let definition = asl::parse(&ran.definition).unwrap();
    let progress = ExecutionProgress::from_history(&history(api, arn).await);
    waiting_tokens(&definition, &progress)
}

/// Polls `check` every 200 ms for up to 15 s (moto runs executions on its own threads).
async fn eventually<T>(what: &str, mut check: impl AsyncFnMut() -> Option<T>) -> T {
    let start = Instant::now();
    loop {
        if let Some(found) = check().await {
            return found;
        }
        assert!(
            start.elapsed() < Duration::from_secs(15),
            "timed out waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn moto_a_waiting_task_is_resumed_by_its_token_and_another_execution_stopped() {
    let endpoint = moto_endpoint();
    let conf = seed_config(&endpoint).await;
    let sqs = aws_sdk_sqs::Client::new(&conf);
    let sfn = aws_sdk_sfn::Client::new(&conf);
    let name = unique("ops");
    let queue_url = sqs
        .create_queue()
        .queue_name(&name)
        .send()
        .await
        .unwrap()
        .queue_url()
        .unwrap()
        .to_string();
    let machine_arn = sfn
        .create_state_machine()
        .name(&name)
        .definition(definition(&queue_url))
        .role_arn("arn:aws:iam::123456789012:role/unstuck-test")
        .send()
        .await
        .unwrap()
        .state_machine_arn()
        .to_string();
    // moto's stop reaches an execution between states and in a Wait, not one blocked on a
    // task token: the one to stop waits an hour.
    let hold_arn = sfn
        .create_state_machine()
        .name(format!("{name}-hold"))
        .definition(
            serde_json::json!({
                "StartAt": "Hold",
                "States": {"Hold": {"Type": "Wait", "Seconds": 3600, "End": true}}
            })
            .to_string(),
        )
        .role_arn("arn:aws:iam::123456789012:role/unstuck-test")
        .send()
        .await
        .unwrap()
        .state_machine_arn()
        .to_string();
    let start = async |machine: &str, exec: &str| {
        sfn.start_execution()
            .state_machine_arn(machine)
            .name(exec)
            .send()
            .await
            .unwrap()
            .execution_arn()
            .to_string()
    };
    let resumed = start(&machine_arn, "resumed").await;
    let stopped = start(&hold_arn, "stopped").await;
    let backends = connect_to(&endpoint).await;
    let (api, ops) = (
        backends.step_functions.clone(),
        backends.step_functions_ops.clone().unwrap(),
    );

    let waiting = eventually("the token in the history", async || {
        let found = tokens(api.as_ref(), &resumed).await;
        (!found.is_empty()).then_some(found)
    })
    .await;
    assert_eq!(waiting[0].0, "HumanApproval");
    ops.send_task_success(&waiting[0].1, r#"{"approved":true}"#)
        .await
        .unwrap();
    let detail = eventually("the resumed execution to succeed", async || {
        let d = api.describe_execution(&resumed).await.unwrap();
        (d.summary.status == ExecutionStatus::Succeeded).then_some(d)
    })
    .await;
    let output: serde_json::Value =
        serde_json::from_str(detail.output.as_deref().unwrap()).unwrap();
    assert_eq!(output, serde_json::json!({"approved": true}));

    ops.stop_execution(
        &stopped,
        Some("OnCall.Stopped"),
        Some("stuck since the deploy"),
    )
    .await
    .unwrap();
    eventually("the stopped execution to be ABORTED", async || {
        let d = api.describe_execution(&stopped).await.unwrap();
        (d.summary.status == ExecutionStatus::Aborted).then_some(())
    })
    .await;
    let progress = eventually("ExecutionAborted in the history", async || {
        let p = ExecutionProgress::from_history(&history(api.as_ref(), &stopped).await);
        (p.ended == Some(ExecutionStatus::Aborted)).then_some(p)
    })
    .await;
    assert_eq!(progress.status("Hold"), StepStatus::Aborted);

    let refused = ops
        .send_task_success("no-such-token", "{}")
        .await
        .unwrap_err();
    assert!(
        !refused.is_retryable(),
        "an unknown token is the caller's error: {refused:?}"
    );
    let unknown = format!(
        "{}:nope",
        machine_arn.replace(":stateMachine:", ":execution:")
    );
    assert!(matches!(
        ops.stop_execution(&unknown, None, None).await,
        Err(BackendError::NotFound(_))
    ));
}

/// Every message of `group` so far.
async fn all_messages(world: &unstuck_aws::sim::SimWorld, group: &str) -> Vec<String> {
    use unstuck_aws::api::Logs;
    let mut out = Vec::new();
    let mut token = None;
    loop {
        let page = world
            .filter_log_events(&unstuck_aws::model::FilterRequest {
                group: group.to_string(),
                start_ms: 0,
                next_token: token,
                ..unstuck_aws::model::FilterRequest::default()
            })
            .await
            .unwrap();
        out.extend(page.events.into_iter().map(|e| e.message));
        token = page.next_token;
        if token.is_none() {
            return out;
        }
    }
}

/// The running executions of the demo's tax-return machine, with the tokens each waits on.
async fn demo_running(
    world: &Arc<unstuck_aws::sim::SimWorld>,
) -> Vec<(ExecutionSummary, Vec<(String, String)>)> {
    let machine = world.list_state_machines().await.unwrap().remove(0);
    let page = world
        .list_executions(&ExecutionsRequest {
            state_machine_arn: machine.arn,
            status: Some(ExecutionStatus::Running),
            max_results: Some(1_000),
            ..ExecutionsRequest::default()
        })
        .await
        .unwrap();
    let mut found = Vec::new();
    for execution in page.executions {
        let waiting = tokens(world.as_ref(), &execution.arn).await;
        found.push((execution, waiting));
    }
    found
}

#[tokio::test(start_paused = true)]
async fn sim_operations_change_the_world_and_are_refused_as_aws_refuses_them() {
    let world = unstuck_aws::sim::SimWorld::new(7);
    let running = demo_running(&world).await;
    let (approval, token) = running
        .iter()
        .find_map(|(e, t)| {
            t.iter()
                .find(|(state, _)| state == "HumanApproval")
                .map(|(_, token)| (e.clone(), token.clone()))
        })
        .expect("an approval nobody answered");

    // Output that is not JSON is refused before anything changes.
    let bad = world
        .send_task_success(&token, "{approved")
        .await
        .unwrap_err();
    assert!(matches!(bad, BackendError::InvalidInput(ref m) if m.contains("InvalidOutput")));
    world.send_task_heartbeat(&token).await.unwrap();

    let output = r#"{"approved":true,"reviewer":"on-call"}"#;
    world.send_task_success(&token, output).await.unwrap();
    let progress = ExecutionProgress::from_history(&history(world.as_ref(), &approval.arn).await);
    let step = progress.step("HumanApproval").unwrap();
    assert_eq!(step.status, StepStatus::Succeeded);
    assert_eq!(step.output.as_deref(), Some(output));
    // The token is spent: a second answer is refused, as AWS refuses it.
    let again = world.send_task_success(&token, output).await.unwrap_err();
    assert!(matches!(again, BackendError::InvalidInput(ref m) if m.contains("TaskTimedOut")));
    let unknown = world.send_task_heartbeat("AAAA-none").await.unwrap_err();
    assert!(matches!(unknown, BackendError::NotFound(_)));
    // Its later states run as time passes: it ends.
    tokio::time::advance(Duration::from_secs(3_600)).await;
    let detail = world.describe_execution(&approval.arn).await.unwrap();
    assert_ne!(
        detail.summary.status,
        ExecutionStatus::Running,
        "{detail:?}"
    );
    // Its Lambda steps after the approval wrote their invocations' logs, under the request
    // id the step's lambda:invoke output names.
    let events = history(world.as_ref(), &approval.arn).await;
    let answered_at = events
        .iter()
        .find(|e| e.kind == "TaskStateExited" && e.state.as_deref() == Some("HumanApproval"))
        .unwrap()
        .timestamp_ms;
    let mut checked = 0;
    for (i, e) in events.iter().enumerate() {
        if e.kind != "LambdaFunctionSucceeded" || e.timestamp_ms < answered_at {
            continue;
        }
        let output: serde_json::Value = serde_json::from_str(e.output.as_deref().unwrap()).unwrap();
        assert_eq!(output["StatusCode"], 200);
        let id = output["SdkResponseMetadata"]["RequestId"].as_str().unwrap();
        let resource = events[..i]
            .iter()
            .rev()
            .find(|s| s.kind == "LambdaFunctionScheduled")
            .and_then(|s| s.resource.as_deref())
            .unwrap();
        let function = unstuck_aws::model::asl::lambda_function_name(resource);
        let lines = all_messages(world.as_ref(), &format!("/aws/lambda/{function}")).await;
        for platform in ["START RequestId: ", "END RequestId: ", "REPORT RequestId: "] {
            assert!(
                lines
                    .iter()
                    .any(|l| l.starts_with(&format!("{platform}{id}"))),
                "{platform}{id} not in the logs of {function}"
            );
        }
        checked += 1;
    }
    assert!(
        checked >= 2,
        "the approved execution ran Lambda steps: {events:?}"
    );

    // A stop aborts a running execution now, with the error and cause given.
    let running = demo_running(&world).await;
    let (target, _) = running
        .iter()
        .find(|(e, _)| e.arn != approval.arn)
        .expect("another running execution");
    world
        .stop_execution(&target.arn, Some("OnCall.Stopped"), Some("stuck"))
        .await
        .unwrap();
    let now = world.now_ms();
    let events = history(world.as_ref(), &target.arn).await;
    let last = events.last().unwrap();
    assert_eq!(
        (
            last.kind.as_str(),
            last.error.as_deref(),
            last.cause.as_deref()
        ),
        ("ExecutionAborted", Some("OnCall.Stopped"), Some("stuck"))
    );
    assert!(events.iter().all(|e| e.timestamp_ms <= now));
    let again = world
        .stop_execution(&target.arn, None, None)
        .await
        .unwrap_err();
    assert!(
        matches!(again, BackendError::InvalidInput(ref m) if m.contains("ExecutionNotRunning"))
    );

    // A redrive runs it again from the state it was stopped in.
    let stopped_in = ExecutionProgress::from_history(&events)
        .steps
        .iter()
        .filter(|(_, s)| s.status == StepStatus::Aborted)
        .map(|(name, _)| name.clone())
        .next();
    let redriven_at = world.redrive_execution(&target.arn).await.unwrap();
    assert_eq!(redriven_at, world.now_ms());
    let detail = world.describe_execution(&target.arn).await.unwrap();
    assert_eq!(
        (detail.summary.status, detail.summary.redrive_count),
        (ExecutionStatus::Running, 1)
    );
    tokio::time::advance(Duration::from_secs(5)).await;
    let events = history(world.as_ref(), &target.arn).await;
    let redriven = events
        .iter()
        .position(|e| e.kind == "ExecutionRedriven")
        .expect("an ExecutionRedriven event");
    if let Some(state) = stopped_in {
        assert!(
            events[redriven..]
                .iter()
                .any(|e| e.state.as_deref() == Some(state.as_str())),
            "the redrive entered {state} again"
        );
    }

    // A succeeded execution cannot be redriven.
    let machine = world.list_state_machines().await.unwrap().remove(0);
    let succeeded = world
        .list_executions(&ExecutionsRequest {
            state_machine_arn: machine.arn,
            status: Some(ExecutionStatus::Succeeded),
            max_results: Some(1),
            ..ExecutionsRequest::default()
        })
        .await
        .unwrap()
        .executions
        .remove(0);
    let refused = world.redrive_execution(&succeeded.arn).await.unwrap_err();
    assert!(
        matches!(refused, BackendError::InvalidInput(ref m) if m.contains("ExecutionNotRedrivable"))
    );
    for op in [
        "StopExecution",
        "RedriveExecution",
        "SendTaskSuccess",
        "SendTaskHeartbeat",
    ] {
        assert!(world.calls().of(op) > 0, "{op} counted");
    }
}
