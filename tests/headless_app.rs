//! Headless app tests: the real runtime loop, reducer and views, on the simulated world,
//! with paused tokio time, driven by scripted keys; the screen is a ratatui TestBackend.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod app_support;

use std::time::Duration;

use app_support::*;
use crossterm::event::KeyCode;
use tokio::sync::mpsc::Sender;
use unstuck::runtime::ScreenObserver;
use unstuck::state::{Msg, PaneId, StartOptions};
use unstuck_aws::api::Backends;

fn start(
    backends: Backends,
    prefixes: &[&str],
    w: u16,
    h: u16,
) -> (Sender<Msg>, ScreenObserver, AppHandle) {
    let options = StartOptions {
        read_only: true,
        log_group_prefixes: prefixes.iter().map(|p| p.to_string()).collect(),
        // These tests are about the log panes: start on them, not on the overview.
        start_pane: Some(if prefixes.is_empty() {
            PaneId::Groups
        } else {
            PaneId::Logs
        }),
        theme_names: vec!["dark".into(), "light".into(), "high-contrast".into()],
        ..StartOptions::default()
    };
    start_app(backends, options, w, h)
}

#[tokio::test(start_paused = true)]
async fn demo_shows_live_merged_logs_from_every_function() {
    let backends = unstuck_aws::sim::demo_backends(7);
    let (tx, screen, handle) = start(backends, &["/aws/lambda/"], 160, 48);
    let text = wait_for(&screen, "logs · 18 groups · following", 10).await;
    assert!(text.contains("DEMO"), "{text}");
    // The tail covers 18 groups inside the default budget (1 call/s): give it one round.
    tokio::time::sleep(Duration::from_secs(20)).await;
    // Lines from several functions are merged on one screen.
    let text = screen.text();
    let functions = text
        .lines()
        // Every demo function starts with "tax-", which the tag column leaves out.
        .filter(|l| l.starts_with("│02:") || l.starts_with("│03:"))
        .filter_map(|l| l.split_whitespace().nth(1))
        .filter(|w| !w.starts_with("tax-"))
        .collect::<std::collections::BTreeSet<_>>();
    assert!(
        functions.len() >= 3,
        "expected several functions merged, got {functions:?}\n{text}"
    );
    // Timestamps on screen are in order.
    let times: Vec<&str> = text
        .lines()
        .filter_map(|l| l.get(3..15))
        .filter(|t| t.as_bytes().get(2) == Some(&b':') && t.as_bytes().get(8) == Some(&b'.'))
        .collect();
    assert!(times.len() > 20, "{text}");
    assert!(
        times.windows(2).all(|w| w[0] <= w[1]),
        "rows out of order: {times:?}"
    );
    // Live: more lines arrive as time passes.
    let state_before = screen.text();
    tokio::time::sleep(Duration::from_secs(20)).await;
    assert_ne!(state_before, screen.text(), "the tail should keep moving");
    let state = quit(&tx, handle).await;
    assert!(
        state.logs.rows.len() > 200,
        "only {} rows",
        state.logs.rows.len()
    );
    assert_eq!(state.logs.groups.len(), 18);
}

#[tokio::test(start_paused = true)]
async fn help_palette_completion_and_panes() {
    let backends = unstuck_aws::sim::demo_backends(7);
    let (tx, screen, handle) = start(backends, &["/aws/lambda/"], 120, 40);
    wait_for(&screen, "following", 10).await;

    key(&tx, KeyCode::Char('?')).await;
    let help = wait_for(&screen, "help · esc to close", 2).await;
    assert!(
        help.contains("everywhere") && help.contains("quit"),
        "{help}"
    );
    key(&tx, KeyCode::Esc).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(!screen.text().contains("help · esc to close"));

    key(&tx, KeyCode::Char(':')).await;
    typed(&tx, "gr").await;
    key(&tx, KeyCode::Tab).await;
    wait_for(&screen, ":groups", 2).await;
    key(&tx, KeyCode::Enter).await;
    let groups = wait_for(&screen, "log groups · 18 shown of 18 · 18 selected", 2).await;
    assert!(groups.contains("[x] /aws/lambda/tax-"), "{groups}");

    // An unknown command is explained and the app keeps running.
    key(&tx, KeyCode::Char(':')).await;
    typed(&tx, "lgos").await;
    key(&tx, KeyCode::Enter).await;
    wait_for(
        &screen,
        "unknown command \"lgos\" (did you mean \"logs\"?)",
        2,
    )
    .await;
    key(&tx, KeyCode::Esc).await;

    // Narrow the groups with the filter, keep one, tail it.
    key(&tx, KeyCode::Char('n')).await; // select none
    key(&tx, KeyCode::Char('/')).await;
    typed(&tx, "refund").await;
    key(&tx, KeyCode::Enter).await;
    let filtered = wait_for(&screen, "1 shown of 18", 2).await;
    assert!(
        filtered.contains("/aws/lambda/tax-calculate-refund"),
        "{filtered}"
    );
    key(&tx, KeyCode::Enter).await;
    wait_for(&screen, "logs · 1 group · following", 5).await;
    let text = wait_for(&screen, "tax-calculate-refund", 10).await;
    let tags: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("│0") || l.starts_with("│1") || l.starts_with("│2"))
        .filter_map(|l| l.split_whitespace().nth(1))
        .collect();
    assert!(
        !tags.is_empty()
            && tags
                .iter()
                .all(|t| *t == "tax-calculate-refund" || *t == "┆"),
        "{text}"
    );
    quit(&tx, handle).await;
}

#[tokio::test(start_paused = true)]
async fn log_filter_pause_and_bad_regex() {
    let backends = unstuck_aws::sim::demo_backends(11);
    let (tx, screen, handle) = start(backends, &["/aws/lambda/"], 160, 48);
    wait_for(&screen, "REPORT RequestId", 10).await;

    key(&tx, KeyCode::Char('/')).await;
    typed(&tx, "REPORT").await;
    key(&tx, KeyCode::Enter).await;
    let text = wait_for(&screen, "/REPORT", 2).await;
    let rows: Vec<&str> = text
        .lines()
        .skip(2)
        .take(44)
        .filter(|l| l.starts_with("│") && l.len() > 20)
        .collect();
    assert!(!rows.is_empty());
    assert!(rows.iter().all(|l| l.contains("REPORT")), "{text}");

    // A bad regex is reported in the prompt; the previous filter stays; nothing crashes.
    key(&tx, KeyCode::Char('/')).await;
    key(&tx, KeyCode::End).await;
    typed(&tx, "(").await;
    wait_for(&screen, "bad regex", 2).await;
    key(&tx, KeyCode::Esc).await;
    wait_for(&screen, "/REPORT", 2).await;

    // Pause (after the first round over all 18 groups, so no back-fill lands inside the
    // view): the view stops moving while lines keep arriving.
    tokio::time::sleep(Duration::from_secs(15)).await;
    key(&tx, KeyCode::Char('f')).await;
    let paused = wait_for(&screen, "paused", 2).await;
    tokio::time::sleep(Duration::from_secs(15)).await;
    let later = screen.text();
    assert!(later.contains("newer below"), "{later}");
    let body = |t: &str, n: usize| {
        t.lines()
            .skip(1)
            .take(n)
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    // The top row stays put; an event ingested late may be merged in below it (by timestamp),
    // but the rows that were on screen keep their order.
    let before = body(&paused, 12);
    let after = body(&later, 44);
    assert_eq!(
        before[1], after[1],
        "the top row of a paused view must not move"
    );
    let mut rest = after.iter();
    for row in &before[1..6] {
        assert!(
            rest.any(|r| r == row),
            "row {row:?} left the paused view:\n{later}"
        );
    }
    key(&tx, KeyCode::Char('f')).await;
    wait_for(&screen, "following", 2).await;
    quit(&tx, handle).await;
}

#[tokio::test(start_paused = true)]
async fn idle_app_draws_no_frames() {
    // No groups tailed: after start-up nothing changes, so nothing is drawn.
    let world = unstuck_aws::sim::SimWorld::empty(1);
    world.create_log_group("/quiet/one").unwrap();
    let backends = unstuck_aws::sim::backends_for(world);
    // 120 columns: narrower, the header gives calls/min up for the tabs and the clock.
    let (tx, screen, handle) = start(backends, &[], 120, 24);
    wait_for(&screen, "/quiet/one", 5).await;
    // The call meter's first reading (the start-up calls) puts calls/min in the header.
    wait_for(&screen, "calls/min", 10).await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let frames = screen.frames();
    // Until the next poll of the group list (60 s), nothing happens and nothing is drawn.
    tokio::time::sleep(Duration::from_secs(45)).await;
    assert_eq!(screen.frames(), frames, "an idle app must not redraw");
    quit(&tx, handle).await;
}

/// FilterLogEvents calls of the demo's 18-group tail over `secs` of paused time.
async fn filter_calls_over(backends: &Backends, secs: u64) -> f64 {
    let before = backends.calls.of("FilterLogEvents");
    tokio::time::sleep(Duration::from_secs(secs)).await;
    (backends.calls.of("FilterLogEvents") - before) as f64 / secs as f64
}

#[tokio::test(start_paused = true)]
async fn the_tail_spends_half_its_budget_behind_another_pane_and_all_of_it_on_return() {
    let backends = unstuck_aws::sim::demo_backends(7);
    let (tx, screen, handle) = start(backends.clone(), &["/aws/lambda/"], 160, 48);
    wait_for(&screen, "logs · 18 groups · following", 10).await;
    tokio::time::sleep(Duration::from_secs(30)).await;
    // The demo's 18 busy groups use the whole default budget while the logs pane is shown ...
    let watched = filter_calls_over(&backends, 120).await;
    assert!(
        (0.85..=1.02).contains(&watched),
        "logs pane: {watched:.2} calls/s"
    );
    // ... half of it behind the overview (10% of the account's quota) ...
    key(&tx, KeyCode::Char('0')).await;
    tokio::time::sleep(Duration::from_secs(5)).await;
    let behind = filter_calls_over(&backends, 120).await;
    assert!(
        (0.4..=0.52).contains(&behind),
        "overview: {behind:.2} calls/s"
    );
    // ... and all of it again when the engineer comes back.
    key(&tx, KeyCode::Char('1')).await;
    tokio::time::sleep(Duration::from_secs(5)).await;
    let back = filter_calls_over(&backends, 120).await;
    assert!(
        (0.85..=1.02).contains(&back),
        "logs pane again: {back:.2} calls/s"
    );
    let text = screen.text();
    assert!(text.contains("following"), "{text}");
    let state = quit(&tx, handle).await;
    assert_eq!(state.logs.groups.len(), 18);
}
