use super::*;

/// A history written as (kind, state entered/exited or "") with ids 1.. and each event
/// following the one before, one second apart.
fn history(events: &[(&str, &str)]) -> Vec<HistoryEvent> {
    events
        .iter()
        .enumerate()
        .map(|(i, (kind, state))| {
            let id = i64::try_from(i).unwrap() + 1;
            HistoryEvent {
                id,
                previous_id: id - 1,
                timestamp_ms: id * 1_000,
                kind: (*kind).to_string(),
                state: (!state.is_empty()).then(|| (*state).to_string()),
                error: kind.ends_with("Failed").then(|| "Boom".to_string()),
                ..HistoryEvent::default()
            }
        })
        .collect()
}

#[test]
fn a_lambda_chain_that_succeeded() {
    let p = ExecutionProgress::from_history(&history(&[
        ("ExecutionStarted", ""),
        ("TaskStateEntered", "Validate"),
        ("LambdaFunctionScheduled", ""),
        ("LambdaFunctionStarted", ""),
        ("LambdaFunctionSucceeded", ""),
        ("TaskStateExited", "Validate"),
        ("SucceedStateEntered", "Done"),
        ("SucceedStateExited", "Done"),
        ("ExecutionSucceeded", ""),
    ]));
    assert_eq!(p.status("Validate"), StepStatus::Succeeded);
    assert_eq!(p.status("Done"), StepStatus::Succeeded);
    assert_eq!(p.status("Elsewhere"), StepStatus::NotReached);
    let v = p.step("Validate").unwrap();
    assert_eq!(
        (v.entered_ms, v.exited_ms, v.attempts, v.retries()),
        (Some(2_000), Some(6_000), 1, 0)
    );
    assert_eq!(p.ended, Some(ExecutionStatus::Succeeded));
    assert_eq!(p.active().count(), 0);
    assert_eq!(p.events, 9);
}

#[test]
fn a_token_task_waits_from_when_it_was_submitted() {
    let p = ExecutionProgress::from_history(&history(&[
        ("ExecutionStarted", ""),
        ("TaskStateEntered", "HumanApproval"),
        ("TaskScheduled", ""),
        ("TaskStarted", ""),
        ("TaskSubmitted", ""),
    ]));
    let step = p.step("HumanApproval").unwrap();
    assert_eq!(step.status, StepStatus::Waiting);
    assert_eq!(step.waiting_since_ms, Some(5_000));
    assert_eq!(
        p.active().map(|(n, _)| n).collect::<Vec<_>>(),
        ["HumanApproval"]
    );
    assert_eq!(p.ended, None);
}

#[test]
fn retries_are_counted_and_a_caught_failure_says_so() {
    let p = ExecutionProgress::from_history(&history(&[
        ("ExecutionStarted", ""),
        ("TaskStateEntered", "Charge"),
        ("LambdaFunctionScheduled", ""),
        ("LambdaFunctionFailed", ""),
        ("LambdaFunctionScheduled", ""),
        ("LambdaFunctionFailed", ""),
        ("LambdaFunctionScheduled", ""),
        ("LambdaFunctionFailed", ""),
        ("PassStateEntered", "Compensate"),
    ]));
    let charge = p.step("Charge").unwrap();
    assert_eq!(charge.status, StepStatus::Caught);
    assert_eq!((charge.attempts, charge.retries()), (3, 2));
    assert_eq!(charge.error.as_deref(), Some("Boom"));
    assert_eq!(p.status("Compensate"), StepStatus::Running);
}

#[test]
fn an_uncaught_failure_fails_the_state_and_aborts_the_branch_beside_it() {
    let p = ExecutionProgress::from_history(&history(&[
        ("ExecutionStarted", ""),
        ("ParallelStateEntered", "Assess"),
        ("ParallelStateStarted", ""),
        ("TaskStateEntered", "IssuePayment"),
        ("WaitStateEntered", "Cooling"),
        ("TaskStateEntered", "Receipt"),
        ("LambdaFunctionScheduled", ""),
        ("LambdaFunctionFailed", ""),
        ("ExecutionFailed", ""),
    ]));
    assert_eq!(p.status("Receipt"), StepStatus::Failed);
    assert_eq!(p.status("Cooling"), StepStatus::Aborted);
    assert_eq!(p.status("Assess"), StepStatus::Aborted);
    assert_eq!(p.ended, Some(ExecutionStatus::Failed));
    assert_eq!(p.error.as_deref(), Some("Boom"));
}

#[test]
fn waits_for_a_time_or_a_worker_and_a_redrive_runs_again() {
    let p = ExecutionProgress::from_history(&history(&[
        ("ExecutionStarted", ""),
        ("WaitStateEntered", "Hold"),
    ]));
    assert_eq!(p.step("Hold").unwrap().waiting_since_ms, Some(2_000));
    assert_eq!(p.status("Hold"), StepStatus::Waiting);
    let p = ExecutionProgress::from_history(&history(&[
        ("ExecutionStarted", ""),
        ("TaskStateEntered", "Scan"),
        ("ActivityScheduled", ""),
    ]));
    assert_eq!(p.status("Scan"), StepStatus::Waiting);
    let p = ExecutionProgress::from_history(&history(&[
        ("ExecutionStarted", ""),
        ("TaskStateEntered", "Pay"),
        ("TaskScheduled", ""),
        ("TaskFailed", ""),
        ("ExecutionFailed", ""),
        ("ExecutionRedriven", ""),
        ("TaskStateEntered", "Pay"),
        ("TaskScheduled", ""),
    ]));
    assert_eq!(p.ended, None);
    let pay = p.step("Pay").unwrap();
    assert_eq!(
        (pay.status, pay.entries, pay.attempts, pay.error.as_deref()),
        (StepStatus::Running, 2, 2, None)
    );
}

#[test]
fn hostile_ids_cost_no_memory() {
    let mut events = history(&[("ExecutionStarted", ""), ("TaskStateEntered", "A")]);
    events[1].id = i64::MAX;
    events.push(HistoryEvent {
        id: 3,
        previous_id: i64::MAX,
        kind: "TaskScheduled".into(),
        ..HistoryEvent::default()
    });
    let p = ExecutionProgress::from_history(&events);
    assert_eq!(p.status("A"), StepStatus::Running);
    assert_eq!(
        p.step("A").unwrap().attempts,
        0,
        "an event whose owner is unknown is dropped"
    );
}

#[test]
fn a_parallel_owns_its_own_events_so_its_last_inner_state_stays_succeeded() {
    let p = ExecutionProgress::from_history(&history(&[
        ("ExecutionStarted", ""),
        ("ParallelStateEntered", "Assess"),
        ("ParallelStateStarted", ""),
        ("TaskStateEntered", "Score"),
        ("TaskStateExited", "Score"),
        ("TaskStateEntered", "Flag"),
        ("TaskStateExited", "Flag"),
        ("ParallelStateSucceeded", ""),
        ("ParallelStateExited", "Assess"),
        ("SucceedStateEntered", "Done"),
    ]));
    assert_eq!(p.status("Score"), StepStatus::Succeeded);
    assert_eq!(p.status("Flag"), StepStatus::Succeeded);
    assert_eq!(p.status("Assess"), StepStatus::Succeeded);
    assert_eq!(p.status("Done"), StepStatus::Running);
}

#[test]
fn map_iterations_count_entries_and_the_map_succeeds() {
    let p = ExecutionProgress::from_history(&history(&[
        ("ExecutionStarted", ""),
        ("MapStateEntered", "Fan"),
        ("MapStateStarted", ""),
        ("MapIterationStarted", ""),
        ("TaskStateEntered", "Item"),
        ("TaskStateExited", "Item"),
        ("MapIterationSucceeded", ""),
        ("MapIterationStarted", ""),
        ("TaskStateEntered", "Item"),
        ("TaskStateExited", "Item"),
        ("MapIterationSucceeded", ""),
        ("MapStateSucceeded", ""),
        ("MapStateExited", "Fan"),
    ]));
    let item = p.step("Item").unwrap();
    assert_eq!((item.status, item.entries), (StepStatus::Succeeded, 2));
    assert_eq!(p.status("Fan"), StepStatus::Succeeded);
    assert_eq!(p.active().count(), 0);
}

#[test]
fn a_fail_state_is_failed_with_the_error_of_the_execution() {
    let p = ExecutionProgress::from_history(&history(&[
        ("ExecutionStarted", ""),
        ("FailStateEntered", "Reject"),
        ("ExecutionFailed", ""),
    ]));
    let reject = p.step("Reject").unwrap();
    assert_eq!(reject.status, StepStatus::Failed);
    assert_eq!(reject.error.as_deref(), Some("Boom"));
    assert_eq!(p.ended, Some(ExecutionStatus::Failed));
}
