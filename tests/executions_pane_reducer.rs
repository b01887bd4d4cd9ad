//! The executions pane's behaviour in the reducer, on the demo world's data: the confirm
//! dialog of each mutation (cancel changes nothing, yes asks the runtime to run exactly that
//! command), what cannot be done said in words, a pasted token, the refresh after a
//! mutation, and the step -> logs focus.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod executions_support;

use std::time::Duration;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use executions_support::{demo_executions, opened, polled, press, run_palette, status_text};
use unstuck::commands::{Command, CommandReport, SfnOperation};
use unstuck::config::Action;
use unstuck::state::shell::keys::on_action;
use unstuck::state::{AppState, Effect, Modal, Msg, PaneId, update};
use unstuck_aws::api::{StepFunctionsData, StepFunctionsTopic, Topic};
use unstuck_aws::model::step_functions::ExecutionStatus;

fn confirm_summary(s: &AppState) -> Option<String> {
    s.modals.iter().find_map(|m| match m {
        Modal::Confirm(c) => Some(c.summary.clone()),
        _ => None,
    })
}

#[tokio::test(start_paused = true)]
async fn mutations_are_confirmed_refused_in_words_and_followed_by_a_refresh() {
    let demo = demo_executions().await;
    let (stuck_arn, stuck) = (&demo.stuck.0, &demo.stuck.1);
    let (failed_arn, failed) = (&demo.failed.0, &demo.failed.1);
    let execution = |arn: &str| StepFunctionsTopic::Execution {
        execution_arn: arn.into(),
    };
    let label = stuck_arn.rsplit(':').next().unwrap();

    // Stop: the dialog says what, n cancels and nothing is asked of the runtime.
    let mut s = opened(stuck_arn, stuck);
    assert!(press(&mut s, 'S').is_empty());
    assert_eq!(
        confirm_summary(&s).unwrap(),
        format!("Stop tax-return-processing/{label} (HumanApproval)")
    );
    assert!(press(&mut s, 'n').is_empty());
    assert!(confirm_summary(&s).is_none());
    assert!(status_text(&s).contains("nothing was changed"));
    // :stop with an error and a cause: yes runs exactly that command.
    run_palette(&mut s, "stop Rejected the documents are missing");
    let effects = press(&mut s, 'y');
    let [Effect::Execute(Command::StepFunctions(command))] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert_eq!(&command.execution_arn, stuck_arn);
    assert_eq!(
        command.operation,
        SfnOperation::Stop {
            error: Some("Rejected".into()),
            cause: Some("the documents are missing".into())
        }
    );
    // Its report shows, and the open execution is read again at once.
    let effects = update(
        &mut s,
        Msg::Command(CommandReport::Mutated {
            summary: command.summary(),
            result: Ok(format!("{}: done", command.summary())),
        }),
    );
    assert!(
        effects.contains(&Effect::Refresh(Topic::StepFunctions(execution(stuck_arn)))),
        "{effects:?}"
    );
    assert!(status_text(&s).ends_with(": done"));

    // A heartbeat goes to the token the history holds; a pasted one wins.
    let mut s = opened(stuck_arn, stuck);
    press(&mut s, 'B');
    let effects = press(&mut s, 'y');
    let [Effect::Execute(Command::StepFunctions(command))] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    let SfnOperation::SendTaskHeartbeat { token } = &command.operation else {
        panic!()
    };
    assert!(token.len() > 20);
    run_palette(&mut s, "token PASTED-TOKEN-123");
    press(&mut s, 'B');
    let effects = press(&mut s, 'y');
    let [Effect::Execute(Command::StepFunctions(command))] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert_eq!(
        command.operation,
        SfnOperation::SendTaskHeartbeat {
            token: "PASTED-TOKEN-123".into()
        }
    );
    // Bad JSON stays in the prompt; redrive of a running execution is refused in words.
    let mut s = opened(stuck_arn, stuck);
    run_palette(&mut s, "task-success {not json");
    let Some(Modal::Prompt(prompt)) = s.modals.top() else {
        panic!("the prompt stays open")
    };
    assert!(prompt.error.as_deref().unwrap().contains("not JSON"));
    update(
        &mut s,
        Msg::key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE), 0),
    );
    assert!(s.modals.is_empty());
    assert!(press(&mut s, 'R').is_empty());
    assert!(
        status_text(&s).contains("it is running"),
        "{}",
        status_text(&s)
    );
    assert!(confirm_summary(&s).is_none());

    // A failed execution: no token to answer, nothing to stop, a redrive to confirm.
    let mut s = opened(failed_arn, failed);
    press(&mut s, 'S');
    assert!(
        status_text(&s).contains("it is not running"),
        "{}",
        status_text(&s)
    );
    press(&mut s, 'R');
    let summary = confirm_summary(&s).unwrap();
    assert!(
        summary.starts_with("Redrive tax-return-processing/"),
        "{summary}"
    );
}

#[tokio::test(start_paused = true)]
async fn a_lambda_step_opens_the_logs_pane_on_its_function_from_when_it_started() {
    let backends = unstuck_aws::sim::demo_backends(7);
    tokio::time::sleep(Duration::from_secs(900)).await;
    let (_, machines) = polled(&backends, StepFunctionsTopic::Machines).await;
    let StepFunctionsData::Machines(rows) = machines else {
        panic!()
    };
    let (_, running) = polled(
        &backends,
        StepFunctionsTopic::Executions {
            machine_arn: rows[0].summary.arn.clone(),
            status: Some(ExecutionStatus::Running),
            rows_from: 0,
            pages: 1,
            reasons: true,
        },
    )
    .await;
    let StepFunctionsData::Executions(running) = running else {
        panic!()
    };
    let arn = running.stuck[0].0.clone();
    let (reading, data) = polled(
        &backends,
        StepFunctionsTopic::Execution {
            execution_arn: arn.clone(),
        },
    )
    .await;
    let StepFunctionsData::Execution(data) = data else {
        panic!()
    };
    let entered = data
        .1
        .progress
        .step("ScreenForFraud")
        .unwrap()
        .entered_ms
        .unwrap();
    let mut s = opened(&arn, &reading);
    // Not a Lambda step: said so.
    on_action(&mut s, Action::ScrollTop);
    on_action(&mut s, Action::StepLogs);
    assert!(status_text(&s).contains("does not invoke a Lambda function"));
    on_action(&mut s, Action::ScrollDown);
    let effects = on_action(&mut s, Action::StepLogs);
    assert_eq!(s.pane, PaneId::Logs, "{}", status_text(&s));
    assert_eq!(s.logs.groups, ["/aws/lambda/tax-fraud-screening"]);
    assert!(status_text(&s).contains("logs: request "));
    // The tail starts from just before the step; esc comes back to the execution.
    let since = effects.iter().find_map(|e| match e {
        Effect::StartTail(spec) => spec.since_ms,
        _ => None,
    });
    assert!(
        since.is_some_and(|t| t <= entered && t >= entered - 10_000),
        "{effects:?}"
    );
    // The step's invocation is picked out by its request id (the demo's lambda:invoke output
    // names it): esc clears that first, then goes back to the execution.
    let request_id = data.1.events.iter().rev().find_map(|e| {
        let output = e.output.as_deref()?;
        let v: serde_json::Value = serde_json::from_str(output).ok()?;
        Some(v["SdkResponseMetadata"]["RequestId"].as_str()?.to_string())
    });
    assert!(
        request_id.is_some(),
        "the demo's Lambda outputs carry a request id"
    );
    assert!(
        s.logs
            .filter_text
            .as_deref()
            .is_some_and(|f| f.starts_with(&request_id.unwrap()[..8]))
    );
    on_action(&mut s, Action::Back);
    assert_eq!(s.pane, PaneId::Logs);
    on_action(&mut s, Action::Back);
    assert_eq!(s.pane, PaneId::Executions);
}

/// A distributed Map's runs: their item counts beside the graph, and `m` lists the run's
/// child executions (ListExecutions by the Map run's ARN).
#[test]
fn a_distributed_map_shows_its_runs_and_opens_their_executions() {
    use unstuck_aws::api::{Data, ExecutionReading};
    use unstuck_aws::model::step_functions::{
        ExecutionDetail, ExecutionProgress, ExecutionSummary, HistoryEvent, ItemCounts, MapRun,
    };
    const LARGE: &str = include_str!("../aws/src/model/asl/fixtures/large_200_states.asl.json");
    const ARN: &str = "arn:aws:states:eu-west-1:123456789012:execution:large:run-1";
    const RUN: &str = "arn:aws:states:eu-west-1:123456789012:mapRun:large/Each0:0c1d";
    let definition = unstuck_aws::model::asl::parse(LARGE).unwrap();
    let events: Vec<HistoryEvent> = ["ExecutionStarted", "MapStateEntered", "MapRunStarted"]
        .iter()
        .enumerate()
        .map(|(i, kind)| HistoryEvent {
            id: i as i64 + 1,
            previous_id: i as i64,
            timestamp_ms: 1_796_000_000_000 + i as i64,
            kind: kind.to_string(),
            state: (*kind == "MapStateEntered").then(|| "Each0".to_string()),
            ..HistoryEvent::default()
        })
        .collect();
    let summary = ExecutionSummary {
        arn: ARN.into(),
        name: "run-1".into(),
        state_machine_arn: "arn:aws:states:eu-west-1:123456789012:stateMachine:large".into(),
        status: ExecutionStatus::Running,
        start_ms: 1_796_000_000_000,
        stop_ms: None,
        redrive_count: 0,
    };
    let reading = ExecutionReading {
        progress: ExecutionProgress::from_history(&events),
        definition: Ok(definition),
        definition_text: LARGE.into(),
        events,
        truncated: false,
        map_runs: vec![MapRun {
            arn: RUN.into(),
            execution_arn: ARN.into(),
            start_ms: 1_796_000_000_002,
            max_concurrency: 10,
            items: ItemCounts {
                pending: 7,
                running: 2,
                succeeded: 2,
                failed: 1,
                total: 12,
                ..ItemCounts::default()
            },
        }],
        stuck: Vec::new(),
    };
    let detail = ExecutionDetail {
        summary,
        input: None,
        output: None,
        error: None,
        cause: None,
        redrive_status: None,
        redrive_status_reason: None,
    };
    let polled = Msg::Polled {
        topic: Topic::StepFunctions(StepFunctionsTopic::Execution {
            execution_arn: ARN.into(),
        }),
        at_ms: 1_796_000_060_000,
        result: Ok(Data::StepFunctions(StepFunctionsData::Execution(Box::new(
            (detail, reading),
        )))),
    };
    let mut s = opened(ARN, &polled);
    let open = s.executions.open.as_ref().unwrap();
    assert_eq!(
        open.selected_name(),
        Some("Each0"),
        "the current state is followed"
    );
    let text = unstuck::runtime::buffer_text(&{
        let mut t = ratatui::Terminal::new(ratatui::backend::TestBackend::new(160, 48)).unwrap();
        t.draw(|f| unstuck::state::draw(f, &s)).unwrap();
        t.backend().buffer().clone()
    });
    assert!(
        text.contains("map run  12 items: 7 pending · 2 running · 2 ok ·"),
        "{text}"
    );
    press(&mut s, 'm');
    assert!(s.executions.open.is_none());
    let wanted = unstuck::state::wanted_topics(&s);
    assert!(
        wanted.iter().any(|t| matches!(t,
            Topic::StepFunctions(StepFunctionsTopic::Executions { machine_arn, .. })
                if machine_arn == RUN)),
        "{wanted:?}"
    );
}

/// An ARN that names no execution: said in the status line and the pane, the app goes on.
#[test]
fn an_unknown_execution_is_said_plainly() {
    const ARN: &str = "arn:aws:states:eu-west-1:123456789012:execution:tax:nope";
    let failed = Msg::Polled {
        topic: Topic::StepFunctions(StepFunctionsTopic::Execution {
            execution_arn: ARN.into(),
        }),
        at_ms: 1_796_000_000_000,
        result: Err(unstuck_aws::model::BackendError::NotFound(
            "execution does not exist: nope".into(),
        )),
    };
    let mut s = opened(ARN, &failed);
    assert!(
        status_text(&s).contains("execution does not exist"),
        "{}",
        status_text(&s)
    );
    let text = unstuck::runtime::buffer_text(&{
        let mut t = ratatui::Terminal::new(ratatui::backend::TestBackend::new(120, 20)).unwrap();
        t.draw(|f| unstuck::state::draw(f, &s)).unwrap();
        t.backend().buffer().clone()
    });
    assert!(text.contains("tax/nope · could not be read"), "{text}");
    // Still usable: esc goes back to the list of its machine.
    on_action(&mut s, Action::Back);
    assert!(s.executions.open.is_none());
    assert!(!s.quit);
}
