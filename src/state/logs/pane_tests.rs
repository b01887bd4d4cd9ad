//! Unit tests of the logs pane buffer: ordering, bounds, filters, anchoring.
use super::*;

fn ev(ts: i64, id: &str, msg: &str) -> LogEvent {
    LogEvent {
        timestamp_ms: ts,
        ingestion_time_ms: ts,
        group: "/aws/lambda/a".to_string(),
        stream: "s".to_string(),
        event_id: id.to_string(),
        message: msg.to_string(),
    }
}

fn texts(p: &LogsPane) -> Vec<&str> {
    p.rows.iter().map(|r| r.text.as_str()).collect()
}

#[test]
fn merges_late_events_in_timestamp_order() {
    let mut pane = LogsPane::new(100);
    pane.ingest(vec![ev(30, "3", "c"), ev(10, "1", "a")]);
    pane.ingest(vec![ev(20, "2", "b"), ev(40, "4", "d")]);
    assert_eq!(texts(&pane), ["a", "b", "c", "d"]);
}

#[test]
fn bounded_buffer_counts_dropped_lines() {
    let mut pane = LogsPane::new(3);
    pane.ingest(
        (0..5)
            .map(|i| ev(i, &i.to_string(), &format!("m{i}")))
            .collect(),
    );
    assert_eq!(texts(&pane), ["m2", "m3", "m4"]);
    assert_eq!(pane.dropped, 2);
}

#[test]
fn paused_means_frozen_when_the_full_buffer_drops_lines() {
    let mut pane = LogsPane::new(100);
    pane.page_rows = 10;
    let lines = |from: i64, n: i64| -> Vec<LogEvent> {
        (from..from + n)
            .map(|i| ev(i, &i.to_string(), &format!("m{i}")))
            .collect()
    };
    pane.ingest(lines(0, 100));
    let on_screen = |p: &LogsPane| -> Vec<String> {
        p.view_range(p.scroll_from_bottom)
            .map(|i| p.rows[p.shown_row_index(i).unwrap()].text.clone())
            .collect()
    };
    // Paused in the middle: new lines push the oldest out, never the ones on screen.
    pane.scroll_by(50, 10);
    let frozen = on_screen(&pane);
    pane.ingest(lines(100, 30));
    assert_eq!(on_screen(&pane), frozen);
    assert_eq!(pane.rows.len(), 100, "rows above the view go first");
    // Paused at the very top: the buffer holds up to a tenth more so the view stays ...
    pane.scroll_to_top(10);
    let frozen = on_screen(&pane);
    pane.ingest(lines(130, 10));
    assert_eq!(on_screen(&pane), frozen);
    assert_eq!(pane.rows.len(), 110);
    // ... and beyond that the oldest go even from the screen (the bound still holds).
    pane.ingest(lines(140, 5));
    assert_eq!(pane.rows.len(), 110);
    assert_ne!(on_screen(&pane), frozen);
    // Following again: back to the capacity.
    pane.scroll_to_bottom();
    pane.ingest(lines(145, 1));
    assert_eq!(pane.rows.len(), 100);
}

#[test]
fn filter_keeps_matching_rows_as_they_arrive() {
    let mut pane = LogsPane::new(100);
    pane.ingest(vec![ev(1, "1", "ok"), ev(2, "2", "ERROR boom")]);
    pane.set_filter(Some(("error".into(), Regex::new("(?i)error").unwrap())));
    assert_eq!(pane.visible.as_deref(), Some(&[1][..]));
    pane.ingest(vec![ev(3, "3", "fine"), ev(4, "4", "another error")]);
    assert_eq!(pane.visible.as_deref(), Some(&[1, 3][..]));
    pane.ingest(vec![ev(0, "0", "early error")]);
    assert_eq!(pane.visible.as_deref(), Some(&[0, 2, 4][..]));
    pane.set_filter(None);
    assert_eq!(pane.shown_len(), 5);
}

#[test]
fn filtered_rows_stay_right_when_the_full_buffer_drops_lines() {
    let mut pane = LogsPane::new(4);
    pane.set_filter(Some(("x".into(), Regex::new("x").unwrap())));
    pane.ingest(vec![ev(1, "1", "x1"), ev(2, "2", "a"), ev(3, "3", "x3")]);
    pane.ingest(vec![ev(4, "4", "b"), ev(5, "5", "x5"), ev(6, "6", "x6")]);
    let shown: Vec<&str> = (0..pane.shown_len())
        .filter_map(|i| pane.shown_row_index(i))
        .map(|i| pane.rows[i].text.as_str())
        .collect();
    assert_eq!(shown, ["x3", "x5", "x6"]);
    assert_eq!(pane.dropped, 2);
}

#[test]
fn a_restarted_tail_does_not_duplicate_what_is_held() {
    let mut pane = LogsPane::new(100);
    pane.ingest(vec![ev(10, "1", "a"), ev(20, "2", "b"), ev(30, "3", "c")]);
    pane.expect_replay_since(20);
    pane.ingest(vec![
        ev(20, "2", "b"),
        ev(25, "x", "late"),
        ev(30, "3", "c"),
        ev(40, "4", "d"),
    ]);
    assert_eq!(texts(&pane), ["a", "b", "late", "c", "d"]);
}

#[test]
fn paused_view_keeps_its_top_row_while_late_lines_arrive() {
    let group = |g: &str, ts: i64, msg: String| LogEvent {
        group: g.to_string(),
        ..ev(ts, &format!("{g}{ts}"), &msg)
    };
    let mut pane = LogsPane::new(1_000);
    pane.page_rows = 10;
    pane.ingest(
        (0..50)
            .map(|i| group("/a", i * 10, format!("REPORT a{i}")))
            .collect(),
    );
    pane.set_filter(Some(("REPORT".into(), Regex::new("REPORT").unwrap())));
    pane.move_cursor(2);
    let top = |p: &LogsPane| {
        let first = p.view_range(p.scroll_from_bottom).start;
        p.rows[p.shown_row_index(first).unwrap()].text.clone()
    };
    let selected = |p: &LogsPane| {
        p.rows[p.shown_row_index(p.cursor_position().unwrap()).unwrap()]
            .text
            .clone()
    };
    assert_eq!(
        (top(&pane), selected(&pane)),
        ("REPORT a40".into(), "REPORT a47".into())
    );
    // Another group's backfill lands in the middle of the view and after it.
    pane.ingest(
        (0..80)
            .map(|i| group("/b", i * 7, format!("REPORT b{i}")))
            .collect(),
    );
    assert!(!pane.follow);
    assert_eq!(top(&pane), "REPORT a40");
    let shown: Vec<String> = pane
        .view_range(pane.scroll_from_bottom)
        .map(|i| pane.rows[pane.shown_row_index(i).unwrap()].text.clone())
        .collect();
    assert!(
        shown.contains(&selected(&pane)),
        "the selection stays on screen"
    );
}

#[test]
fn level_filter_counts_unlevelled_lines_as_info() {
    let mut pane = LogsPane::new(100);
    pane.ingest(vec![
        ev(1, "1", "START RequestId: 1 Version: $LATEST"),
        ev(2, "2", r#"{"level":"DEBUG","message":"d"}"#),
        ev(3, "3", r#"{"level":"INFO","message":"i"}"#),
        ev(
            4,
            "4",
            "[WARNING]\t2026-11-20T02:47:00Z\tid\tslow\nsecond line",
        ),
        ev(5, "5", "[ERROR]\t2026-11-20T02:47:00Z\tid\tboom"),
        ev(6, "6", "plain text"),
        ev(
            7,
            "7",
            "2026-11-20T02:47:06Z id Task timed out after 6.01 seconds",
        ),
    ]);
    let shown = |pane: &LogsPane| -> Vec<i64> {
        (0..pane.shown_len())
            .filter_map(|i| pane.shown_row_index(i))
            .map(|i| pane.rows[i].timestamp_ms)
            .collect()
    };
    let mut counts = Vec::new();
    for _ in 0..5 {
        pane.cycle_min_level();
        counts.push((pane.min_level, shown(&pane)));
    }
    assert_eq!(
        counts,
        [
            (Some(Level::Debug), vec![1, 2, 3, 4, 4, 5, 6, 7]),
            (Some(Level::Info), vec![1, 3, 4, 4, 5, 6, 7]),
            (Some(Level::Warn), vec![4, 4, 5, 7]),
            (Some(Level::Error), vec![5, 7]),
            (None, vec![1, 2, 3, 4, 4, 5, 6, 7]),
        ]
    );
}

#[test]
fn the_tag_prefix_is_what_every_group_shares_up_to_a_separator() {
    let groups = |names: &[&str]| names.iter().map(|n| n.to_string()).collect::<Vec<_>>();
    assert_eq!(
        common_tag_prefix(&groups(&[
            "/aws/lambda/tax-validate-submission",
            "/aws/lambda/tax-notify-taxpayer"
        ])),
        "tax-"
    );
    assert_eq!(
        common_tag_prefix(&groups(&[
            "/aws/lambda/orders-api",
            "/aws/lambda/orders-apiworker"
        ])),
        "orders-"
    );
    assert_eq!(
        common_tag_prefix(&groups(&["/aws/lambda/a-x", "/aws/lambda/b-x"])),
        ""
    );
    assert_eq!(common_tag_prefix(&groups(&["/aws/lambda/tax-only"])), "");
    // Nothing would be left of one of them: keep the whole names.
    assert_eq!(
        common_tag_prefix(&groups(&["/aws/lambda/tax-", "/aws/lambda/tax-a"])),
        ""
    );
}
