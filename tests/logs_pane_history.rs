//! Looking back in the logs pane: `:since`, older windows loaded when the selection reaches
//! the oldest line or `:time` asks for a time before it, "loading older…" and "nothing older",
//! and the buffer bound.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod logs_pane_support;

use crossterm::event::KeyCode;
use logs_pane_support::*;
use unstuck::state::{AppState, Effect, Msg, update};
use unstuck::tail::{OlderRequest, OlderWindow, TailReport};
use unstuck_aws::model::LogEvent;

const FIVE_MIN: i64 = 5 * 60_000;

fn older_request(effects: &[Effect]) -> Option<OlderRequest> {
    effects.iter().find_map(|e| match e {
        Effect::LoadOlder(request) => Some(request.clone()),
        _ => None,
    })
}

fn answer(
    s: &mut AppState,
    tail_id: u64,
    request: &OlderRequest,
    events: Vec<LogEvent>,
) -> Vec<Effect> {
    answer_with(s, tail_id, request, events, Vec::new())
}

fn answer_with(
    s: &mut AppState,
    tail_id: u64,
    request: &OlderRequest,
    events: Vec<LogEvent>,
    exhausted: Vec<String>,
) -> Vec<Effect> {
    update(
        s,
        Msg::Tail(TailReport::Older {
            tail_id,
            at_ms: NOW,
            result: Ok(OlderWindow {
                start_ms: request.start_ms,
                end_ms: request.end_ms,
                events,
                exhausted,
            }),
        }),
    )
}

fn event(ts: i64, id: &str, message: &str) -> LogEvent {
    LogEvent {
        timestamp_ms: ts,
        ingestion_time_ms: ts,
        group: GROUP.into(),
        stream: "2026/11/20/[$LATEST]old".into(),
        event_id: id.into(),
        message: message.into(),
    }
}

#[test]
fn reaching_the_oldest_line_loads_the_window_before_it() {
    let (mut s, tail_id) = tailing(120, 30);
    feed(&mut s, tail_id, lambda_events());
    let effects = press(&mut s, KeyCode::Home);
    let request = older_request(&effects).expect("the top of the buffer asks for older lines");
    // The tail started 5 minutes before NOW: the window is the 5 minutes before that.
    assert_eq!(request.end_ms, NOW - FIVE_MIN);
    assert_eq!(request.start_ms, NOW - 2 * FIVE_MIN);
    assert_eq!(request.groups.len(), 2);
    assert!(render(&s).0.contains("loading older lines…"));
    // A second press while loading asks for nothing more.
    assert!(older_request(&press(&mut s, KeyCode::Up)).is_none());

    let older = vec![
        event(NOW - 7 * 60_000, "o1", "ERROR the alarm's first error"),
        event(NOW - 6 * 60_000, "o2", "INFO retrying"),
    ];
    assert!(older_request(&answer(&mut s, tail_id, &request, older)).is_none());
    let screen = render(&s).0;
    assert!(!screen.contains("loading older"), "{screen}");
    assert!(
        status(&s).contains("2 older lines loaded"),
        "{}",
        status(&s)
    );
    // The older lines are in the buffer, in time order, above the ones held.
    assert!(screen.contains("the alarm's first error"), "{screen}");
    // Up to the new oldest line: the next window is asked for.
    let effects = press(&mut s, KeyCode::Home);
    let next = older_request(&effects).expect("further back");
    assert_eq!(next.end_ms, NOW - 2 * FIVE_MIN);
}

#[test]
fn empty_windows_grow_until_nothing_older_is_said() {
    let (mut s, tail_id) = tailing(120, 30);
    feed(&mut s, tail_id, lambda_events());
    let mut request = older_request(&press(&mut s, KeyCode::Home)).unwrap();
    let mut windows = vec![request.end_ms - request.start_ms];
    for _ in 0..20 {
        match older_request(&answer(&mut s, tail_id, &request, Vec::new())) {
            Some(next) => {
                assert_eq!(next.end_ms, request.start_ms, "windows join up");
                windows.push(next.end_ms - next.start_ms);
                request = next;
            }
            None => break,
        }
    }
    assert_eq!(windows[..3], [FIVE_MIN, 4 * FIVE_MIN, 16 * FIVE_MIN]);
    assert!(
        windows.len() < 12,
        "a year back in a few calls: {windows:?}"
    );
    assert!(
        render(&s)
            .0
            .contains("nothing older in the retention period")
    );
    assert!(older_request(&press(&mut s, KeyCode::Up)).is_none());
}

#[test]
fn a_time_before_the_oldest_line_loads_back_to_it_and_jumps() {
    let (mut s, tail_id) = tailing(120, 30);
    feed(&mut s, tail_id, lambda_events());
    let alarm = NOW - 20 * 60_000;
    let effects = palette(&mut s, &format!("time {}", alarm / 1_000));
    let request = older_request(&effects).expect(":time before the buffer loads");
    assert_eq!(request.start_ms, alarm - 60_000);
    assert_eq!(request.end_ms, NOW - FIVE_MIN);
    let around = vec![
        event(alarm - 30_000, "b1", "INFO before the alarm"),
        event(alarm, "a1", "ERROR the alarm fired here"),
        event(alarm + 60_000, "a2", "INFO after"),
    ];
    answer(&mut s, tail_id, &request, around);
    assert!(
        selected_text(&s).contains("the alarm fired here"),
        "{}",
        selected_text(&s)
    );
}

#[test]
fn since_restarts_the_tail_from_that_time() {
    let (mut s, tail_id) = tailing(120, 30);
    feed(&mut s, tail_id, lambda_events());
    let effects = palette(&mut s, "since 30m");
    let spec = effects
        .iter()
        .find_map(|e| match e {
            Effect::StartTail(spec) => Some(spec.clone()),
            _ => None,
        })
        .expect("a new tail");
    assert_eq!(spec.since_ms, Some(NOW - 30 * 60_000));
    assert!(spec.tail_id > tail_id);
    let bad = palette(&mut s, "since 30x");
    assert!(bad.is_empty());
    let screen = render(&s).0;
    assert!(screen.contains("bad unit \"x\""), "{screen}");
}

#[test]
fn a_full_buffer_does_not_load_older_lines_over_newer_ones() {
    let (mut s, tail_id) = tailing(120, 30);
    s.logs.capacity = 20;
    feed(&mut s, tail_id, filler(20));
    let effects = press(&mut s, KeyCode::Home);
    assert!(older_request(&effects).is_none());
    assert!(status(&s).contains("buffer is full"), "{}", status(&s));
}

#[test]
fn groups_with_nothing_older_are_not_asked_again() {
    let (mut s, tail_id) = tailing(120, 30);
    feed(&mut s, tail_id, lambda_events());
    let request = older_request(&press(&mut s, KeyCode::Home)).unwrap();
    let next = older_request(&answer_with(
        &mut s,
        tail_id,
        &request,
        Vec::new(),
        vec![GROUP.into()],
    ))
    .expect("the other group is looked at further back");
    assert_eq!(next.groups, [OTHER_GROUP]);
    let last = answer_with(&mut s, tail_id, &next, Vec::new(), vec![OTHER_GROUP.into()]);
    assert!(older_request(&last).is_none());
    assert!(
        render(&s)
            .0
            .contains("nothing older in the retention period")
    );
}
