//! How the executions pane polls, on the demo world: definitions and histories read once and
//! reused across polls (the quotas of DescribeStateMachineForExecution and
//! GetExecutionHistory), and ListExecutions paged lazily as the list is scrolled.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod executions_support;

use std::time::Duration;

use executions_support::{polled, state, status_text};
use unstuck::config::Action;
use unstuck::state::shell::keys::on_action;
use unstuck::state::update;
use unstuck_aws::api::{StepFunctionsData, StepFunctionsTopic, Topic};
use unstuck_aws::model::step_functions::ExecutionStatus;

/// The definition an execution ran is read once per revision for the whole app: polls of an
/// open execution reuse what its machine's list read (DescribeStateMachineForExecution
/// refills at 1 call/s). A newer execution than any seen may have run a newer revision, so a
/// list poll that finds one reads it once.
#[tokio::test(start_paused = true)]
async fn definitions_are_read_once_across_polls() {
    let backends = unstuck_aws::sim::demo_backends(7);
    tokio::time::sleep(Duration::from_secs(900)).await;
    let (_, machines) = polled(&backends, StepFunctionsTopic::Machines).await;
    let StepFunctionsData::Machines(rows) = machines else {
        panic!()
    };
    let list = StepFunctionsTopic::Executions {
        machine_arn: rows[0].summary.arn.clone(),
        status: Some(ExecutionStatus::Running),
        rows_from: 0,
        pages: 1,
        reasons: true,
    };
    let (_, running) = polled(&backends, list.clone()).await;
    let StepFunctionsData::Executions(running) = running else {
        panic!()
    };
    assert!(running.read.len() > 10, "{} read", running.read.len());
    let reads = || backends.calls.of("DescribeStateMachineForExecution");
    assert_eq!(reads(), 1, "{:?}", backends.calls.snapshot());
    let open = StepFunctionsTopic::Execution {
        execution_arn: running.read[0].clone(),
    };
    for _ in 0..3 {
        tokio::time::sleep(Duration::from_secs(10)).await;
        polled(&backends, open.clone()).await;
    }
    assert_eq!(reads(), 1, "{:?}", backends.calls.snapshot());
    // The list again, 30 s on: an execution started since may have run a newer revision, so
    // it is read once; one poll later at the same time, nothing is.
    polled(&backends, list.clone()).await;
    assert!(reads() <= 2, "{:?}", backends.calls.snapshot());
    let after = reads();
    polled(&backends, list.clone()).await;
    assert_eq!(reads(), after, "{:?}", backends.calls.snapshot());
}

/// A history is read again only from its last page (one call for a running execution,
/// however long its history), and an ended execution's not at all; what is read is the
/// same as a full read.
#[tokio::test(start_paused = true)]
async fn histories_are_read_again_only_from_their_last_page() {
    let backends = unstuck_aws::sim::demo_backends(7);
    tokio::time::sleep(Duration::from_secs(900)).await;
    let (_, machines) = polled(&backends, StepFunctionsTopic::Machines).await;
    let StepFunctionsData::Machines(rows) = machines else {
        panic!()
    };
    let (_, all) = polled(
        &backends,
        StepFunctionsTopic::Executions {
            machine_arn: rows[0].summary.arn.clone(),
            status: None,
            rows_from: 0,
            pages: 1,
            reasons: true,
        },
    )
    .await;
    let StepFunctionsData::Executions(all) = all else {
        panic!()
    };
    let pick = |running: bool| {
        all.executions
            .iter()
            .find(|e| e.status.is_running() == running)
            .unwrap()
            .arn
            .clone()
    };
    let reads = || backends.calls.of("GetExecutionHistory");
    for (running, per_poll) in [(true, 1), (false, 0)] {
        let open = StepFunctionsTopic::Execution {
            execution_arn: pick(running),
        };
        let (_, first) = polled(&backends, open.clone()).await;
        let before = reads();
        let (_, again) = polled(&backends, open.clone()).await;
        assert_eq!(reads() - before, per_poll, "running: {running}");
        let (StepFunctionsData::Execution(first), StepFunctionsData::Execution(again)) =
            (first, again)
        else {
            panic!()
        };
        assert_eq!(first.1.events, again.1.events);
    }
}

/// ListExecutions is paged lazily: down past the last execution listed asks for a page more
/// (a new topic, read at once); the list keeps what it shows meanwhile.
#[tokio::test(start_paused = true)]
async fn scrolling_past_the_end_lists_a_page_more() {
    let backends = unstuck_aws::sim::demo_backends(7);
    tokio::time::sleep(Duration::from_secs(900)).await;
    let (machines_msg, machines) = polled(&backends, StepFunctionsTopic::Machines).await;
    let StepFunctionsData::Machines(rows) = machines else {
        panic!()
    };
    let arn = rows[0].summary.arn.clone();
    let list = |pages| StepFunctionsTopic::Executions {
        machine_arn: arn.clone(),
        status: None,
        rows_from: 0,
        pages,
        reasons: false,
    };
    let mut s = state(false);
    on_action(&mut s, Action::GotoExecutions);
    update(&mut s, machines_msg);
    on_action(&mut s, Action::Open);
    let wanted = unstuck::state::wanted_topics(&s);
    assert!(
        wanted.contains(&Topic::StepFunctions(list(1))),
        "{wanted:?}"
    );
    let (first, _) = polled(&backends, list(1)).await;
    update(&mut s, first);
    on_action(&mut s, Action::ScrollBottom);
    assert_eq!(s.executions.execution_cursor, 99);
    on_action(&mut s, Action::ScrollDown);
    assert!(
        status_text(&s).contains("listing 100 more"),
        "{}",
        status_text(&s)
    );
    let wanted = unstuck::state::wanted_topics(&s);
    // Both the list and the stuck reasons of the rows around the cursor, two pages now.
    let two_pages: Vec<(u8, u32, bool)> = wanted
        .iter()
        .filter_map(|t| match t {
            Topic::StepFunctions(StepFunctionsTopic::Executions {
                pages,
                rows_from,
                reasons,
                ..
            }) => Some((*pages, *rows_from, *reasons)),
            _ => None,
        })
        .collect();
    assert_eq!(two_pages, [(2, 0, false), (2, 75, true)]);
    let (second, data) = polled(
        &backends,
        StepFunctionsTopic::Executions {
            machine_arn: arn.clone(),
            status: None,
            rows_from: 75,
            pages: 2,
            reasons: true,
        },
    )
    .await;
    let StepFunctionsData::Executions(view) = data else {
        panic!()
    };
    assert_eq!(view.executions.len(), 200);
    update(&mut s, second);
    on_action(&mut s, Action::ScrollDown);
    assert_eq!(s.executions.execution_cursor, 100, "past the first page");
}
