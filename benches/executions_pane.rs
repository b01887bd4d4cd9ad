//! One 160x48 frame of the executions pane (issue 9), target <= 2 ms: the 201-state machine
//! (nested Parallel and Map, Choices, Catches) open, its graph coloured by a 25,000-event
//! history, the selected state's details beside it and the history table below. The layout
//! is cached by the pane; a frame builds the props and draws the visible cells only.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;
use std::sync::Arc;

use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use unstuck::config::{Action, ConfigDirs, Overrides};
use unstuck::state::shell::keys::on_action;
use unstuck::state::{AppState, Msg, StartOptions, draw, update};
use unstuck_aws::api::{
    BackendLabel, Data, ExecutionReading, StepFunctionsData, StepFunctionsTopic, Topic,
};
use unstuck_aws::model::asl::parse;
use unstuck_aws::model::step_functions::{
    ExecutionDetail, ExecutionProgress, ExecutionStatus, ExecutionSummary, HistoryEvent,
    MAX_HISTORY_EVENTS,
};

const LARGE: &str = include_str!("../aws/src/model/asl/fixtures/large_200_states.asl.json");
const ARN: &str = "arn:aws:states:eu-west-1:123456789012:execution:large:run-1";
const START_MS: i64 = 1_796_000_000_000;

/// 25,000 events entering and leaving the machine's states in turn, the last one waiting.
fn history(names: &[String]) -> Vec<HistoryEvent> {
    let mut events = vec![HistoryEvent {
        id: 1,
        timestamp_ms: START_MS,
        kind: "ExecutionStarted".into(),
        input: Some(r#"{"returnId":"r-42"}"#.into()),
        ..HistoryEvent::default()
    }];
    let mut i = 0;
    while events.len() < MAX_HISTORY_EVENTS {
        let name = &names[i % names.len()];
        for kind in ["TaskStateEntered", "TaskScheduled", "TaskStateExited"] {
            let id = events.len() as i64 + 1;
            events.push(HistoryEvent {
                id,
                previous_id: id - 1,
                timestamp_ms: START_MS + id * 13,
                kind: kind.into(),
                state: kind.contains("State").then(|| name.clone()),
                output: kind.ends_with("Exited").then(|| r#"{"ok":true}"#.into()),
                ..HistoryEvent::default()
            });
        }
        i += 1;
    }
    events.truncate(MAX_HISTORY_EVENTS - 1);
    events
}

fn frame(c: &mut Criterion) {
    let definition = parse(LARGE).unwrap();
    let names: Vec<String> = definition.states.iter().map(|s| s.name.clone()).collect();
    let events = history(&names);
    assert_eq!(events.len(), MAX_HISTORY_EVENTS - 1);
    let summary = ExecutionSummary {
        arn: ARN.into(),
        name: "run-1".into(),
        state_machine_arn: "arn:aws:states:eu-west-1:123456789012:stateMachine:large".into(),
        status: ExecutionStatus::Running,
        start_ms: START_MS,
        stop_ms: None,
        redrive_count: 0,
    };
    let detail = ExecutionDetail {
        summary,
        input: Some("{}".into()),
        output: None,
        error: None,
        cause: None,
        redrive_status: None,
        redrive_status_reason: None,
    };
    let reading = ExecutionReading {
        progress: ExecutionProgress::from_history(&events),
        definition: Ok(definition),
        definition_text: LARGE.into(),
        events,
        truncated: false,
        map_runs: Vec::new(),
        stuck: Vec::new(),
    };
    let config =
        unstuck::config::load(&ConfigDirs { dir: None }, &Overrides::default(), false).unwrap();
    let label = BackendLabel {
        profile: "DEMO".into(),
        region: "eu-west-1".into(),
        endpoint_url: None,
        is_demo: true,
    };
    let mut state = AppState::new(
        Arc::new(config.keymap),
        config.theme,
        label,
        StartOptions::default(),
    );
    update(&mut state, Msg::Resize(160, 48));
    on_action(&mut state, Action::GotoExecutions);
    state.executions.open_execution(ARN.into());
    update(
        &mut state,
        Msg::Polled {
            topic: Topic::StepFunctions(StepFunctionsTopic::Execution {
                execution_arn: ARN.into(),
            }),
            at_ms: START_MS + 400_000,
            result: Ok(Data::StepFunctions(StepFunctionsData::Execution(Box::new(
                (detail, reading),
            )))),
        },
    );
    let open = state.executions.open.as_ref().unwrap();
    assert!(open.layout.nodes.len() >= 200 && open.selected.is_some());
    let mut terminal = Terminal::new(TestBackend::new(160, 48)).unwrap();
    let mut group = c.benchmark_group("executions_pane_frame_160x48");
    group.bench_function("201_states_25k_events", |b| {
        b.iter(|| {
            terminal.draw(|f| draw(f, black_box(&state))).unwrap();
        });
    });
    // Following the history instead: the table has the keys.
    on_action(&mut state, Action::FocusHistory);
    on_action(&mut state, Action::ScrollTop);
    group.bench_function("201_states_25k_events_history_focused", |b| {
        b.iter(|| {
            terminal.draw(|f| draw(f, black_box(&state))).unwrap();
        });
    });
    group.finish();
}

criterion_group!(benches, frame);
criterion_main!(benches);
