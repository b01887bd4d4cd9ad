//! The Step Functions read contract, against moto running real executions (ASL execution on):
//! a machine with Pass, Choice, Fail and an `sqs:sendMessage.waitForTaskToken` task; one
//! execution fails, one waits for its token. Through the real backend: the machine is listed,
//! executions are filtered by status, the definition that ran parses, the history reduces to
//! the waiting state, the stuck rules name it, and AWS text is neutralised. The demo world is
//! read through the same trait: its executions' histories agree with their statuses, paging
//! works, and its stuck executions are found for each of their reasons; an unknown execution
//! is NotFound on both.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::time::{Duration, Instant};

use support::*;
use unstuck_aws::api::StepFunctions;
use unstuck_aws::model::BackendError;
use unstuck_aws::model::asl::{self, StateKind, TaskPattern};
use unstuck_aws::model::step_functions::{
    ExecutionProgress, ExecutionStatus, ExecutionsRequest, MachineType, StepStatus, StuckKind,
    StuckLimits, detect_stuck,
};
use unstuck_aws::untrusted_text::is_terminal_safe;

fn definition(queue_url: &str) -> String {
    serde_json::json!({
        "Comment": "approval flow for the contract test",
        "StartAt": "Received",
        "States": {
            "Received": {"Type": "Pass", "Next": "Route"},
            "Route": {
                "Type": "Choice",
                "Choices": [{"Variable": "$.approve", "BooleanEquals": true, "Next": "HumanApproval"}],
                "Default": "Rejected"
            },
            "HumanApproval": {
                "Type": "Task",
                "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                "Parameters": {"QueueUrl": queue_url, "MessageBody": {"token.$": "$$.Task.Token"}},
                "Next": "Done"
            },
            "Done": {"Type": "Succeed"},
            "Rejected": {"Type": "Fail", "Error": "Rejected", "Cause": "no \u{1b}]52;c;aGk=\u{7} approval"}
        }
    })
    .to_string()
}

/// Polls `check` every 200 ms for up to 15 s.
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
async fn moto_executions_are_listed_read_and_the_token_wait_found_stuck() {
    let endpoint = moto_endpoint();
    let conf = seed_config(&endpoint).await;
    let sqs = aws_sdk_sqs::Client::new(&conf);
    let sfn = aws_sdk_sfn::Client::new(&conf);
    let name = unique("approvals");
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
    let start = |exec: &str, approve: bool| {
        sfn.start_execution()
            .state_machine_arn(&machine_arn)
            .name(exec)
            .input(serde_json::json!({ "approve": approve }).to_string())
            .send()
    };
    let rejected = start("rejected", false)
        .await
        .unwrap()
        .execution_arn()
        .to_string();
    let waiting = start("waiting", true)
        .await
        .unwrap()
        .execution_arn()
        .to_string();

    let backends = connect_to(&endpoint).await;
    let api = backends.step_functions.clone();
    let machines = api.list_state_machines().await.unwrap();
    let machine = machines.iter().find(|m| m.arn == machine_arn).unwrap();
    assert_eq!(
        (machine.name.as_str(), machine.machine_type),
        (name.as_str(), MachineType::Standard)
    );

    // The waiting one is RUNNING once its message is sent; the rejected one FAILED.
    let by_status = |status| ExecutionsRequest {
        state_machine_arn: machine_arn.clone(),
        status: Some(status),
        ..ExecutionsRequest::default()
    };
    let failed = eventually("the FAILED execution", async || {
        let page = api
            .list_executions(&by_status(ExecutionStatus::Failed))
            .await
            .unwrap();
        (!page.executions.is_empty()).then_some(page.executions)
    })
    .await;
    assert_eq!(
        failed.iter().map(|e| e.arn.as_str()).collect::<Vec<_>>(),
        [rejected.as_str()]
    );
    let running = api
        .list_executions(&by_status(ExecutionStatus::Running))
        .await
        .unwrap();
    assert_eq!(
        running
            .executions
            .iter()
            .map(|e| e.name.as_str())
            .collect::<Vec<_>>(),
        ["waiting"]
    );
    assert_eq!(running.executions[0].status, ExecutionStatus::Running);
    assert!(running.executions[0].start_ms > 0);

    let detail = api.describe_execution(&rejected).await.unwrap();
    assert_eq!(detail.summary.status, ExecutionStatus::Failed);
    assert_eq!(detail.error.as_deref(), Some("Rejected"));
    let cause = detail.cause.unwrap();
    assert!(
        is_terminal_safe(&cause) && cause.contains("␛]52;c;aGk=␇"),
        "{cause:?}"
    );

    // The definition that ran, parsed; the history reduced; the rules name the wait.
    let ran = api.definition_for_execution(&waiting).await.unwrap();
    assert_eq!(ran.state_machine_arn, machine_arn);
    let parsed = asl::parse(&ran.definition).unwrap();
    let approval = parsed.named("HumanApproval").next().unwrap();
    assert!(
        matches!(&approval.kind, StateKind::Task(t) if t.pattern == TaskPattern::WaitForTaskToken)
    );
    let progress = eventually("the token wait in the history", async || {
        let page = api.execution_history(&waiting, None).await.unwrap();
        let progress = ExecutionProgress::from_history(&page.events);
        (progress.status("HumanApproval") == StepStatus::Waiting).then_some(progress)
    })
    .await;
    assert_eq!(progress.status("Received"), StepStatus::Succeeded);
    assert_eq!(progress.status("Route"), StepStatus::Succeeded);
    assert_eq!(progress.status("Done"), StepStatus::NotReached);
    let summary = &running.executions[0];
    let stuck = detect_stuck(
        Some(&parsed),
        summary,
        &progress,
        &[],
        &[],
        system_now_ms(),
        &StuckLimits::default(),
    );
    assert_eq!(
        stuck.first().map(|s| s.kind),
        Some(StuckKind::TaskToken),
        "{stuck:?}"
    );
    assert_eq!(stuck[0].state.as_deref(), Some("HumanApproval"));

    let rejected_history = api.execution_history(&rejected, None).await.unwrap();
    let rejected_progress = ExecutionProgress::from_history(&rejected_history.events);
    assert_eq!(rejected_progress.ended, Some(ExecutionStatus::Failed));
    assert!(
        rejected_history
            .events
            .iter()
            .all(|e| e.cause.as_deref().is_none_or(is_terminal_safe))
    );
    assert!(api.map_runs(&waiting).await.unwrap().is_empty());
}

async fn unknown_execution_is_not_found(api: &dyn StepFunctions) {
    let arn = "arn:aws:states:us-east-1:123456789012:execution:no-such-machine:no-such-run";
    match api.describe_execution(arn).await {
        Err(BackendError::NotFound(_)) => {}
        other => panic!("expected NotFound, got {other:?}"),
    }
    match api.execution_history(arn, None).await {
        Err(BackendError::NotFound(_)) => {}
        other => panic!("expected NotFound, got {other:?}"),
    }
}

#[tokio::test]
async fn moto_an_unknown_execution_is_not_found() {
    let backends = connect_to(&moto_endpoint()).await;
    unknown_execution_is_not_found(backends.step_functions.as_ref()).await;
}

#[tokio::test]
async fn sim_an_unknown_execution_is_not_found_and_no_machine_is_listed() {
    let world = unstuck_aws::sim::SimWorld::empty(3);
    unknown_execution_is_not_found(world.as_ref()).await;
    assert!(world.list_state_machines().await.unwrap().is_empty());
}

#[tokio::test(start_paused = true)]
async fn sim_executions_read_like_aws_and_their_stuck_ones_are_found_for_each_reason() {
    use std::collections::BTreeMap;
    let world = unstuck_aws::sim::SimWorld::new(7);
    let machines = world.list_state_machines().await.unwrap();
    let names: Vec<&str> = machines.iter().map(|m| m.name.as_str()).collect();
    assert_eq!(names, ["tax-return-processing", "tax-amendment-review"]);
    let now = unstuck_aws::api::WallClock::now_ms(world.as_ref());
    let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
    for machine in &machines {
        // Every page, newest first, until the token runs out.
        let mut all = Vec::new();
        let mut token = None;
        loop {
            let page = world
                .list_executions(&ExecutionsRequest {
                    state_machine_arn: machine.arn.clone(),
                    next_token: token.take(),
                    max_results: Some(100),
                    ..ExecutionsRequest::default()
                })
                .await
                .unwrap();
            all.extend(page.executions);
            match page.next_token {
                Some(t) => token = Some(t),
                None => break,
            }
        }
        assert!(
            all.windows(2).all(|w| w[0].start_ms >= w[1].start_ms),
            "newest first"
        );
        assert!(all.iter().all(|e| e.start_ms <= now));
        let running = world
            .list_executions(&ExecutionsRequest {
                state_machine_arn: machine.arn.clone(),
                status: Some(ExecutionStatus::Running),
                max_results: Some(1_000),
                ..ExecutionsRequest::default()
            })
            .await
            .unwrap();
        assert_eq!(
            running.executions.len(),
            all.iter()
                .filter(|e| e.status == ExecutionStatus::Running)
                .count()
        );
        let definition = world.definition_for_execution(&all[0].arn).await.unwrap();
        let parsed = asl::parse(&definition.definition).unwrap();
        let successes: Vec<i64> = all
            .iter()
            .filter(|e| e.status == ExecutionStatus::Succeeded)
            .map(|e| e.duration_ms(now))
            .collect();
        for execution in &all {
            let history = world.execution_history(&execution.arn, None).await.unwrap();
            let progress = ExecutionProgress::from_history(&history.events);
            let ended = progress.ended.unwrap_or(ExecutionStatus::Running);
            assert_eq!(ended, execution.status, "{}", execution.name);
            for stuck in detect_stuck(
                Some(&parsed),
                execution,
                &progress,
                &[],
                &successes,
                now,
                &StuckLimits::default(),
            ) {
                *kinds.entry(stuck.kind.as_str()).or_default() += 1;
            }
        }
        let detail = world.describe_execution(&all[0].arn).await.unwrap();
        assert_eq!(detail.summary, all[0]);
        assert!(detail.input.unwrap().starts_with('{'));
    }
    eprintln!("stuck executions in the demo world, by reason: {kinds:?}");
    // The demo's stories: approvals nobody sends, submissions waiting for the late rule (far
    // longer than usual), amendments held until the deadline.
    for kind in ["task_token", "over_p95", "wait"] {
        assert!(
            kinds.get(kind).is_some_and(|&n| n > 0),
            "no {kind}: {kinds:?}"
        );
    }
}
