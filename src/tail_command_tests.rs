//! Tests of the headless tail's report loop and argument forms.

use super::*;

#[tokio::test(start_paused = true)]
async fn a_one_shot_tail_gives_up_on_errors_that_never_end() {
    let (tx, mut rx) = mpsc::channel(16);
    let feeder = tokio::spawn(async move {
        loop {
            let failed = TailReport::Failed {
                tail_id: 1,
                at_ms: 0,
                group: "/aws/lambda/a\u{1b}]52;c;aGk=\u{7}".into(),
                error: BackendError::Other("HTTP 500".into()),
            };
            if tx.send(failed).await.is_err() {
                return;
            }
            tokio::time::sleep(Duration::from_secs(7)).await;
        }
    });
    let started = tokio::time::Instant::now();
    let result = print_reports(&mut rx, None, OutputFormat::Text, Some(ONE_SHOT_GIVE_UP), 1).await;
    let error = result.unwrap_err().to_string();
    assert!(error.starts_with("gave up after 60 s"), "{error}");
    assert!(!error.contains('\u{1b}'), "sanitised: {error:?}");
    assert!(started.elapsed() <= ONE_SHOT_GIVE_UP + Duration::from_secs(1));
    feeder.abort();
}

#[tokio::test(start_paused = true)]
async fn a_deleted_group_is_dropped_and_the_others_go_on() {
    let event = |group: &str| LogEvent {
        timestamp_ms: 1,
        ingestion_time_ms: 1,
        group: group.into(),
        stream: "s".into(),
        event_id: group.into(),
        message: "m".into(),
    };
    let (tx, mut rx) = mpsc::channel(16);
    let not_found = |group: &str| TailReport::Failed {
        tail_id: 1,
        at_ms: 0,
        group: group.into(),
        error: BackendError::NotFound(format!("log group {group}")),
    };
    let events_of = move |group: &str| TailReport::Events {
        tail_id: 1,
        at_ms: 0,
        events: vec![event(group)],
    };
    tokio::spawn(async move {
        for _ in 0..5 {
            tx.send(not_found("gone")).await.unwrap();
            tx.send(events_of("kept")).await.unwrap();
        }
        // It comes back.
        tx.send(events_of("gone")).await.unwrap();
    });
    let result = print_reports(&mut rx, None, OutputFormat::Text, None, 2).await;
    assert!(result.is_ok(), "{result:?}");

    // When every group is gone there is nothing left to tail.
    let (tx, mut rx) = mpsc::channel(16);
    tx.send(not_found("a")).await.unwrap();
    tx.send(not_found("b")).await.unwrap();
    let result = print_reports(&mut rx, None, OutputFormat::Text, None, 2).await;
    let error = format!("{:#}", result.unwrap_err());
    assert!(error.contains("every group is gone"), "{error}");
}

#[tokio::test(start_paused = true)]
async fn a_recovery_resets_the_give_up_clock() {
    let (tx, mut rx) = mpsc::channel(16);
    tokio::spawn(async move {
        for round in 0..3 {
            let failed = TailReport::Failed {
                tail_id: 1,
                at_ms: 0,
                group: "g".into(),
                error: BackendError::Other("HTTP 500".into()),
            };
            tx.send(failed).await.unwrap();
            tokio::time::sleep(Duration::from_secs(50)).await;
            tx.send(TailReport::Caught {
                tail_id: 1,
                at_ms: round,
            })
            .await
            .unwrap();
        }
    });
    // 150 s in all, never 60 s of errors in a row: the engine's end ends it cleanly.
    let result = print_reports(&mut rx, None, OutputFormat::Text, Some(ONE_SHOT_GIVE_UP), 1).await;
    assert!(result.is_ok(), "{result:?}");
}

#[test]
fn since_forms() {
    assert_eq!(parse_since("10m", 0), Ok(600_000));
    assert_eq!(parse_since("90s", 0), Ok(90_000));
    assert_eq!(parse_since("2h", 0), Ok(7_200_000));
    assert_eq!(parse_since("1970-01-01T00:00:01Z", 5_000), Ok(4_000));
    assert!(parse_since("10x", 0).is_err());
    assert!(parse_since("soon", 0).unwrap_err().contains("02:46"));
    // The clock forms `:time` takes work here too (02:47:00 UTC "now").
    let now = 1_795_142_820_000; // 2026-11-20T02:47:00Z
    assert_eq!(parse_since("02:46", now), Ok(60_000));
    assert_eq!(parse_since("2026-11-20 02:40", now), Ok(420_000));
    assert_eq!(parse_since("-5m", now), Ok(300_000));
}

#[test]
fn text_and_json_output_are_terminal_safe() {
    let event = LogEvent {
        timestamp_ms: 1_795_142_820_123,
        ingestion_time_ms: 1_795_142_821_000,
        group: "/aws/lambda/a".into(),
        stream: "s".into(),
        event_id: "42".into(),
        message: "x\u{1b}]52;c;aGk=\u{7}\u{1b}[2J\u{9b}1m\u{202e}\n".into(),
    };
    let text = format_event(&event, OutputFormat::Text);
    assert_eq!(
        text,
        "2026-11-20T02:47:00.123Z /aws/lambda/a s x␛]52;c;aGk=␇␛[2J⟨U+009B⟩1m⟨U+202E⟩"
    );
    let json = format_event(&event, OutputFormat::Json);
    assert!(!json.chars().any(|c| c.is_control()), "{json}");
    let parsed: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(parsed["message"], event.message.as_str());
    assert_eq!(parsed["event_id"], "42");
    assert_eq!(parsed["timestamp"], "2026-11-20T02:47:00.123Z");
    assert_eq!(parsed["ingestion_time"], "2026-11-20T02:47:01.000Z");
}

fn line(ts: i64, id: &str, message: &str) -> LogEvent {
    LogEvent {
        timestamp_ms: ts,
        ingestion_time_ms: ts,
        group: "/aws/lambda/a".into(),
        stream: "s".into(),
        event_id: id.into(),
        message: message.into(),
    }
}

#[tokio::test(start_paused = true)]
async fn follow_output_keeps_one_invocation_in_order_across_polls() {
    let mut window = ReorderWindow::default();
    let start = tokio::time::Instant::now();
    // Wall clock at `start`: 500 ms. The end of the invocation (stamped 300 and 400) is read
    // first; its start (0 and 100) 200 ms later, from another poll.
    window.hold(
        start,
        500,
        vec![line(400, "4", "REPORT"), line(300, "3", "END")],
    );
    let later = start + Duration::from_millis(200);
    window.hold(
        later,
        700,
        vec![line(100, "2", "INFO"), line(0, "1", "START")],
    );
    window.hold(later, 700, vec![line(650, "5", "next START")]);
    // Each waits until it is half a second old by its own timestamp; START and INFO are
    // older than that when they are read.
    assert_eq!(window.next_release(), Some(later));
    let mut out: Vec<String> = Vec::new();
    for at in [
        later,
        start + Duration::from_millis(399),
        start + Duration::from_millis(400),
    ] {
        out.extend(window.release(at).into_iter().map(|e| e.message));
    }
    assert_eq!(out, ["START", "INFO", "END", "REPORT"]);
    // The newer line waits until it is half a second old (wall 1_150 = start + 650 ms).
    assert_eq!(
        window.next_release(),
        Some(start + Duration::from_millis(650))
    );
    assert_eq!(window.release(start + Duration::from_millis(650)).len(), 1);
}

#[tokio::test(start_paused = true)]
async fn a_stream_seen_out_of_order_makes_the_window_longer() {
    let mut window = ReorderWindow::default();
    let start = tokio::time::Instant::now();
    window.hold(start, 10_000, vec![line(9_000, "2", "END")]);
    assert_eq!(window.release(start).len(), 1);
    // A line stamped 1.5 s before one already printed: the window grows to cover it.
    window.hold(start, 10_000, vec![line(7_500, "1", "late INFO")]);
    assert_eq!(window.window_ms, 1_750);
    window.hold(start, 10_000, vec![line(9_900, "3", "next")]);
    assert_eq!(
        window.next_release(),
        Some(start),
        "the late line itself is old enough"
    );
    window.release(start);
    assert_eq!(
        window.release(start + Duration::from_millis(1_649)).len(),
        0
    );
    assert_eq!(
        window.release(start + Duration::from_millis(1_650)).len(),
        1
    );
    // Never more than the cap.
    window.hold(start, 100_000, vec![line(0, "4", "very late")]);
    assert_eq!(window.window_ms, 5_000);
}
