use super::*;
use crate::model::asl::parse;
use crate::model::step_functions::{ExecutionStatus, HistoryEvent, ItemCounts};

const TAX_RETURN: &str = include_str!("../../asl/fixtures/tax_return_processing.asl.json");
const MINUTE: i64 = 60_000;
const HOUR: i64 = 60 * MINUTE;

fn running(start_ms: i64) -> ExecutionSummary {
    ExecutionSummary {
        arn: "arn:aws:states:eu-west-1:1:execution:tax:exec-42".into(),
        name: "exec-42".into(),
        state_machine_arn: "arn:aws:states:eu-west-1:1:stateMachine:tax".into(),
        status: ExecutionStatus::Running,
        start_ms,
        stop_ms: None,
        redrive_count: 0,
    }
}

/// (kind, state, at) events, each following the one before.
fn progress(events: &[(&str, &str, i64)]) -> ExecutionProgress {
    let history: Vec<HistoryEvent> = events
        .iter()
        .enumerate()
        .map(|(i, (kind, state, at))| HistoryEvent {
            id: i as i64 + 1,
            previous_id: i as i64,
            timestamp_ms: *at,
            kind: (*kind).into(),
            state: (!state.is_empty()).then(|| (*state).into()),
            resource: kind
                .ends_with("Scheduled")
                .then(|| "sqs:sendMessage.waitForTaskToken".into()),
            ..HistoryEvent::default()
        })
        .collect();
    ExecutionProgress::from_history(&history)
}

fn detect(def: Option<&Definition>, p: &ExecutionProgress, now: i64) -> Vec<Stuck> {
    detect_stuck(def, &running(0), p, &[], &[], now, &StuckLimits::default())
}

#[test]
fn a_token_wait_with_nothing_to_end_it_is_stuck_and_one_with_a_timeout_is_not() {
    let def = parse(TAX_RETURN).unwrap();
    let waiting = progress(&[
        ("ExecutionStarted", "", 0),
        ("TaskStateEntered", "HumanApproval", 1_000),
        ("TaskScheduled", "", 1_000),
        ("TaskStarted", "", 1_000),
        ("TaskSubmitted", "", 2_000),
    ]);
    let stuck = detect(Some(&def), &waiting, 3 * HOUR + 12 * MINUTE + 2_000);
    assert_eq!(stuck.len(), 1, "{stuck:?}");
    assert_eq!(stuck[0].kind, StuckKind::TaskToken);
    assert_eq!(stuck[0].state.as_deref(), Some("HumanApproval"));
    assert_eq!(stuck[0].since_ms, Some(2_000));
    assert!(
        stuck[0]
            .reason
            .starts_with("waiting for a task token for 3h 12m in HumanApproval"),
        "{}",
        stuck[0].reason
    );
    // TaxReturnSubmitted waits for a token too, but its TimeoutSeconds ends the wait.
    let timed = progress(&[
        ("ExecutionStarted", "", 0),
        ("TaskStateEntered", "TaxReturnSubmitted", 0),
        ("TaskScheduled", "", 0),
        ("TaskSubmitted", "", 0),
    ]);
    assert!(detect(Some(&def), &timed, 5 * HOUR).is_empty());
    // Without the definition, a token wait is stuck after an hour.
    assert!(detect(None, &waiting, 30 * MINUTE).is_empty());
    assert_eq!(
        detect(None, &waiting, 2 * HOUR)[0].kind,
        StuckKind::TaskToken
    );
    // An execution that ended is never stuck.
    let mut done = running(0);
    done.status = ExecutionStatus::Succeeded;
    assert!(
        detect_stuck(
            Some(&def),
            &done,
            &waiting,
            &[],
            &[],
            9 * HOUR,
            &StuckLimits::default()
        )
        .is_empty()
    );
}

#[test]
fn a_wait_far_ahead_is_stuck_and_a_short_one_is_not() {
    let def = parse(
        r#"{"StartAt":"Hold","States":{
            "Hold":{"Type":"Wait","Timestamp":"2026-12-24T00:00:00Z","Next":"Short"},
            "Short":{"Type":"Wait","Seconds":30,"Next":"Dyn"},
            "Dyn":{"Type":"Wait","SecondsPath":"$.delay","End":true}}}"#,
    )
    .unwrap();
    let now = rfc3339_ms("2026-12-02T22:00:00Z").unwrap();
    let hold = progress(&[
        ("ExecutionStarted", "", now),
        ("WaitStateEntered", "Hold", now),
    ]);
    let stuck = detect(Some(&def), &hold, now + MINUTE);
    assert_eq!(stuck[0].kind, StuckKind::Wait);
    assert!(
        stuck[0]
            .reason
            .contains("until 2026-12-24T00:00:00Z): 21d 1h to go"),
        "{}",
        stuck[0].reason
    );
    let short = progress(&[
        ("ExecutionStarted", "", now),
        ("WaitStateEntered", "Short", now),
    ]);
    assert!(detect(Some(&def), &short, now + 10_000).is_empty());
    let dynamic = progress(&[
        ("ExecutionStarted", "", now),
        ("WaitStateEntered", "Dyn", now),
    ]);
    assert!(detect(Some(&def), &dynamic, now + 10 * MINUTE).is_empty());
    assert!(
        detect(Some(&def), &dynamic, now + 2 * HOUR)[0]
            .reason
            .contains("for $.delay) for 2h 0m already")
    );
}

#[test]
fn an_activity_without_a_worker_a_map_backlog_and_a_history_near_its_limit() {
    let def = parse(
        r#"{"StartAt":"Scan","States":{"Scan":{"Type":"Task",
            "Resource":"arn:aws:states:eu-west-1:1:activity:virus-scan","End":true}}}"#,
    )
    .unwrap();
    let scan = progress(&[
        ("ExecutionStarted", "", 0),
        ("TaskStateEntered", "Scan", 0),
        ("ActivityScheduled", "", 0),
    ]);
    assert!(detect(Some(&def), &scan, 30_000).is_empty());
    let stuck = detect(Some(&def), &scan, 5 * MINUTE);
    assert_eq!(stuck[0].kind, StuckKind::Activity);
    assert!(
        stuck[0]
            .reason
            .starts_with("activity virus-scan was scheduled 5m 0s ago"),
        "{}",
        stuck[0].reason
    );

    let run = MapRun {
        arn: "arn:aws:states:eu-west-1:1:mapRun:tax/docs:1".into(),
        execution_arn: running(0).arn,
        start_ms: 0,
        max_concurrency: 10,
        items: ItemCounts {
            pending: 1_200,
            running: 0,
            failed: 3,
            total: 1_500,
            succeeded: 297,
            ..ItemCounts::default()
        },
    };
    let empty = ExecutionProgress::default();
    let stuck = detect_stuck(
        None,
        &running(0),
        &empty,
        std::slice::from_ref(&run),
        &[],
        HOUR,
        &StuckLimits::default(),
    );
    assert_eq!(stuck[0].kind, StuckKind::MapBacklog);
    assert_eq!(
        stuck[0].reason,
        "Map run has 1200 of 1500 items pending and none running (3 failed)"
    );
    let mut busy = run;
    busy.items.running = 10;
    assert!(
        detect_stuck(
            None,
            &running(0),
            &empty,
            &[busy],
            &[],
            HOUR,
            &StuckLimits::default()
        )
        .is_empty()
    );

    let mut long = ExecutionProgress::default();
    long.events = 23_000;
    let stuck = detect(None, &long, HOUR);
    assert_eq!(stuck[0].kind, StuckKind::HistoryLimit);
    assert!(
        stuck[0]
            .reason
            .starts_with("its history has 23000 of 25000 events")
    );
}

#[test]
fn running_past_the_p95_of_recent_successes() {
    let successes: Vec<i64> = (1..=20).map(|i| i * MINUTE).collect();
    let p = ExecutionProgress::default();
    let limits = StuckLimits::default();
    assert!(detect_stuck(None, &running(0), &p, &[], &successes, 19 * MINUTE, &limits).is_empty());
    let stuck = detect_stuck(
        None,
        &running(0),
        &p,
        &[],
        &successes,
        2 * HOUR + 3 * MINUTE,
        &limits,
    );
    assert_eq!(stuck[0].kind, StuckKind::OverP95);
    assert_eq!(
        stuck[0].reason,
        "running for 2h 3m, longer than 95% of the last 20 successful runs (p95 19m 0s)"
    );
    // Too few runs to say what is usual.
    assert!(
        detect_stuck(
            None,
            &running(0),
            &p,
            &[],
            &successes[..3],
            9 * HOUR,
            &limits
        )
        .is_empty()
    );
}

#[test]
fn nothing_reaches_a_machine_whose_upstream_keeps_receiving() {
    let starts: Vec<i64> = (0..30).map(|i| i * 2 * MINUTE).collect();
    let last = 58 * MINUTE;
    let mut activity = MachineActivity {
        starts_ms: starts,
        upstream_events: 312,
        upstream: "rule tax-submitted".into(),
    };
    assert_eq!(
        nothing_reaches_it(&activity, last + 5 * MINUTE),
        None,
        "not long enough"
    );
    assert_eq!(
        nothing_reaches_it(&activity, last + 47 * MINUTE).as_deref(),
        Some(
            "no execution started for 47m 0s (usually one every 2m 0s) while rule tax-submitted received 312 events"
        )
    );
    activity.upstream_events = 0;
    assert_eq!(
        nothing_reaches_it(&activity, last + 47 * MINUTE),
        None,
        "nothing arrived either"
    );
}

#[test]
fn times_and_durations_read_as_people_write_them() {
    assert_eq!(rfc3339_ms("1970-01-01T00:00:01Z"), Some(1_000));
    assert_eq!(
        rfc3339_ms("2026-12-24T00:00:00.250+01:00"),
        Some(rfc3339_ms("2026-12-23T23:00:00Z").unwrap() + 250)
    );
    assert_eq!(rfc3339_ms("2000-02-29T12:00:00Z"), Some(951_825_600_000));
    for bad in [
        "",
        "2026-13-01T00:00:00Z",
        "2026-12-01 00:00",
        "2026-12-01T00:00:00",
        "2026-12-01T00é00:00Z",
    ] {
        assert_eq!(rfc3339_ms(bad), None, "{bad}");
    }
    assert_eq!(human_duration(59_999), "59s");
    assert_eq!(human_duration(3 * HOUR + 12 * MINUTE), "3h 12m");
    assert_eq!(human_duration(25 * HOUR), "1d 1h");
    assert_eq!(percentile_ms(&[5, 1, 3], 0.5), Some(3));
    assert_eq!(percentile_ms(&[], 0.5), None);
}
