//! An execution's history reduced to the status of each state (issue 9): 25,000 events (the
//! most a history holds) of a Map over documents with retries and caught failures, target
//! <= 50 ms; then the stuck rules over the result.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use unstuck_aws::model::asl::parse;
use unstuck_aws::model::step_functions::{
    ExecutionProgress, ExecutionStatus, ExecutionSummary, HistoryEvent, MAX_HISTORY_EVENTS,
    StuckLimits, detect_stuck,
};

const TAX_RETURN: &str =
    include_str!("../aws/src/model/asl/fixtures/tax_return_processing.asl.json");

/// A full history: the machine's first states, then Map iterations of four states each
/// (every tenth retried once, every fiftieth failing and caught) until 25,000 events.
fn full_history() -> Vec<HistoryEvent> {
    let mut events: Vec<HistoryEvent> = Vec::with_capacity(MAX_HISTORY_EVENTS);
    fn push(events: &mut Vec<HistoryEvent>, kind: &str, state: Option<&str>, input: Option<&str>) {
        let id = events.len() as i64 + 1;
        events.push(HistoryEvent {
            id,
            previous_id: id - 1,
            timestamp_ms: 1_796_000_000_000 + id * 7,
            kind: kind.to_string(),
            state: state.map(str::to_string),
            input: input.map(str::to_string),
            output: kind
                .ends_with("Exited")
                .then(|| r#"{"ok":true}"#.to_string()),
            error: kind
                .ends_with("Failed")
                .then(|| "Lambda.Unknown".to_string()),
            ..HistoryEvent::default()
        });
    }
    push(
        &mut events,
        "ExecutionStarted",
        None,
        Some(r#"{"returnId":"r-42"}"#),
    );
    push(&mut events, "MapStateEntered", Some("CheckDocuments"), None);
    push(&mut events, "MapStateStarted", None, None);
    let mut item = 0;
    while events.len() + 16 < MAX_HISTORY_EVENTS {
        push(&mut events, "MapIterationStarted", None, None);
        push(
            &mut events,
            "PassStateEntered",
            Some("VerifyDocument"),
            Some(r#"{"pages":3}"#),
        );
        push(&mut events, "PassStateExited", Some("VerifyDocument"), None);
        push(&mut events, "TaskStateEntered", Some("ExtractText"), None);
        push(&mut events, "LambdaFunctionScheduled", None, None);
        if item % 10 == 0 {
            push(&mut events, "LambdaFunctionFailed", None, None);
            push(&mut events, "LambdaFunctionScheduled", None, None);
        }
        push(&mut events, "LambdaFunctionStarted", None, None);
        if item % 50 == 0 {
            push(&mut events, "LambdaFunctionFailed", None, None);
            push(
                &mut events,
                "PassStateEntered",
                Some("MarkUnreadable"),
                None,
            );
            push(&mut events, "PassStateExited", Some("MarkUnreadable"), None);
        } else {
            push(&mut events, "LambdaFunctionSucceeded", None, None);
            push(&mut events, "TaskStateExited", Some("ExtractText"), None);
            push(&mut events, "SucceedStateEntered", Some("DocumentOk"), None);
            push(&mut events, "SucceedStateExited", Some("DocumentOk"), None);
        }
        push(&mut events, "MapIterationSucceeded", None, None);
        item += 1;
    }
    events
}

fn history(c: &mut Criterion) {
    let events = full_history();
    assert!(events.len() > MAX_HISTORY_EVENTS - 20);
    c.bench_function("reduce 25,000-event history to per-state status", |b| {
        b.iter(|| ExecutionProgress::from_history(black_box(&events)))
    });
    let progress = ExecutionProgress::from_history(&events);
    assert!(progress.step("ExtractText").unwrap().retries() > 0);
    let definition = parse(TAX_RETURN).unwrap();
    let execution = ExecutionSummary {
        arn: "arn:aws:states:eu-west-1:1:execution:tax:r-42".into(),
        name: "r-42".into(),
        state_machine_arn: "arn:aws:states:eu-west-1:1:stateMachine:tax".into(),
        status: ExecutionStatus::Running,
        start_ms: 1_796_000_000_000,
        stop_ms: None,
        redrive_count: 0,
    };
    let successes: Vec<i64> = (1..=100).map(|i| i * 60_000).collect();
    c.bench_function("stuck rules over a 25,000-event execution", |b| {
        b.iter(|| {
            detect_stuck(
                Some(&definition),
                &execution,
                black_box(&progress),
                &[],
                &successes,
                1_796_000_500_000,
                &StuckLimits::default(),
            )
        })
    });
}

criterion_group!(benches, history);
criterion_main!(benches);
