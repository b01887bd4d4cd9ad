//! Reducer tests: `update(&mut AppState, Msg) -> Vec<Effect>` with no IO and no clock.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use unstuck::config::{ConfigDirs, Overrides};
use unstuck::state::{AppState, Effect, Msg, PaneId, StartOptions, update, wanted_topics};
use unstuck::tail::TailReport;
use unstuck_aws::api::BackendLabel;
use unstuck_aws::api::{Data, LogsData, Topic};
use unstuck_aws::model::{BackendError, LogEvent, LogGroup};
use unstuck_views::props::Loadable;

fn state(prefixes: &[&str]) -> AppState {
    let config =
        unstuck::config::load(&ConfigDirs { dir: None }, &Overrides::default(), false).unwrap();
    let label = BackendLabel {
        profile: "test".into(),
        region: "us-east-1".into(),
        endpoint_url: None,
        is_demo: false,
    };
    AppState::new(
        Arc::new(config.keymap),
        config.theme,
        label,
        StartOptions {
            log_group_prefixes: prefixes.iter().map(|p| p.to_string()).collect(),
            theme_names: vec!["dark".into(), "light".into()],
            ..StartOptions::default()
        },
    )
}

fn groups(names: &[&str]) -> Msg {
    Msg::Polled {
        topic: Topic::LOG_GROUPS,
        at_ms: 1_000_000,
        result: Ok(Data::Logs(LogsData::Groups(
            names.iter().map(|n| LogGroup::named(*n)).collect(),
        ))),
    }
}

fn key(c: char) -> Msg {
    Msg::key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE), 0)
}

fn code(code: KeyCode) -> Msg {
    Msg::key(KeyEvent::new(code, KeyModifiers::NONE), 0)
}

fn event(ts: i64, id: &str, msg: &str) -> LogEvent {
    LogEvent {
        timestamp_ms: ts,
        ingestion_time_ms: ts,
        group: "/aws/lambda/a".into(),
        stream: "s".into(),
        event_id: id.into(),
        message: msg.into(),
    }
}

fn started_tail(effects: &[Effect]) -> u64 {
    match effects {
        [Effect::StartTail(spec)] => spec.tail_id,
        other => panic!("expected one StartTail, got {other:?}"),
    }
}

#[test]
fn start_up_subscribes_and_prefixes_start_a_tail_once_groups_arrive() {
    let mut s = state(&["/aws/lambda/tax-"]);
    assert_eq!(s.pane, PaneId::Logs);
    // The header's account, and the group list while the prefixes wait for it.
    assert_eq!(
        wanted_topics(&s).into_iter().collect::<Vec<_>>(),
        vec![Topic::IDENTITY, Topic::LOG_GROUPS]
    );
    let effects = update(
        &mut s,
        groups(&["/aws/lambda/tax-a", "/aws/lambda/tax-b", "/aws/lambda/web"]),
    );
    match &effects[..] {
        [Effect::StartTail(spec)] => {
            assert_eq!(spec.groups, ["/aws/lambda/tax-a", "/aws/lambda/tax-b"]);
            assert!(spec.backfill_ms > 0);
        }
        other => panic!("{other:?}"),
    }
    // A later refresh of the list does not restart the tail, and the logs pane no longer
    // needs the list: only the header's account is polled now.
    assert!(update(&mut s, groups(&["/aws/lambda/tax-a"])).is_empty());
    assert_eq!(
        wanted_topics(&s).into_iter().collect::<Vec<_>>(),
        vec![Topic::IDENTITY]
    );
    // The group chooser shows what is tailed.
    assert!(s.groups.selected.contains("/aws/lambda/tax-a"));
}

#[test]
fn without_prefixes_the_app_opens_on_the_overview_and_2_chooses_groups() {
    let mut s = state(&[]);
    assert_eq!(s.pane, PaneId::Overview);
    update(&mut s, code(KeyCode::Char('2')));
    assert_eq!(s.pane, PaneId::Groups);
    assert!(update(&mut s, groups(&["/a", "/b"])).is_empty());
    update(&mut s, code(KeyCode::Char(' ')));
    let effects = update(&mut s, code(KeyCode::Enter));
    started_tail(&effects);
    assert_eq!(s.pane, PaneId::Logs);
    assert_eq!(s.logs.groups, ["/a"]);
}

#[test]
fn poll_errors_keep_the_last_data_and_mark_it_stale() {
    let mut s = state(&[]);
    s.pane = PaneId::Groups;
    update(&mut s, groups(&["/a", "/b"]));
    let error = BackendError::Throttled {
        retry_after: None,
        message: "Rate exceeded".into(),
    };
    update(
        &mut s,
        Msg::Polled {
            topic: Topic::LOG_GROUPS,
            at_ms: 2_000_000,
            result: Err(error),
        },
    );
    assert_eq!(s.groups.all().len(), 2, "data kept");
    assert!(matches!(s.groups.list.loadable(), Loadable::Stale(_)));
    let status = s.shown_status().unwrap();
    assert!(
        status.text.contains("throttled") && status.text.contains("retrying"),
        "{}",
        status.text
    );
    // Before any data, the same error is a failure, not stale data.
    let mut fresh = state(&[]);
    update(
        &mut fresh,
        Msg::Polled {
            topic: Topic::LOG_GROUPS,
            at_ms: 1,
            result: Err(BackendError::Network(
                "cannot reach http://127.0.0.1:9".into(),
            )),
        },
    );
    assert!(matches!(fresh.groups.list.loadable(), Loadable::Failed(_)));
}

#[test]
fn tail_reports_from_a_replaced_tail_are_ignored() {
    let mut s = state(&["/aws/lambda/a"]);
    let first = started_tail(&update(&mut s, groups(&["/aws/lambda/a"])));
    update(
        &mut s,
        Msg::Tail(TailReport::Events {
            tail_id: first,
            at_ms: 5,
            events: vec![event(1, "1", "one")],
        }),
    );
    assert_eq!(s.logs.rows.len(), 1);
    // Re-select through the palette: a new tail replaces the old one.
    update(&mut s, key(':'));
    for c in "prefix /aws/lambda/a".chars() {
        update(&mut s, key(c));
    }
    let second = started_tail(&update(&mut s, code(KeyCode::Enter)));
    assert_ne!(first, second);
    update(
        &mut s,
        Msg::Tail(TailReport::Events {
            tail_id: first,
            at_ms: 6,
            events: vec![event(2, "2", "stale")],
        }),
    );
    assert!(
        s.logs.rows.is_empty(),
        "events of the old tail must be dropped"
    );
    update(
        &mut s,
        Msg::Tail(TailReport::Events {
            tail_id: second,
            at_ms: 7,
            events: vec![event(3, "3", "new")],
        }),
    );
    assert_eq!(s.logs.rows.len(), 1);
}

#[test]
fn tail_failure_marks_logs_stale_and_recovery_clears_it() {
    let mut s = state(&["/aws/lambda/a"]);
    let id = started_tail(&update(&mut s, groups(&["/aws/lambda/a"])));
    update(
        &mut s,
        Msg::Tail(TailReport::Events {
            tail_id: id,
            at_ms: 5,
            events: vec![event(1, "1", "one")],
        }),
    );
    update(
        &mut s,
        Msg::Tail(TailReport::Failed {
            tail_id: id,
            at_ms: 6,
            group: "/aws/lambda/a".into(),
            error: BackendError::Credentials {
                message: "ExpiredToken".into(),
                fix: "Run `aws sso login`".into(),
            },
        }),
    );
    assert!(matches!(s.logs.state, Loadable::Stale(_)));
    assert_eq!(s.logs.rows.len(), 1, "rows kept");
    let shown = s.shown_status().unwrap().text.clone();
    assert!(shown.contains("ExpiredToken"), "{shown}");
    assert!(
        shown.starts_with("Run `aws sso login`"),
        "the fix comes first: {shown}"
    );
    update(
        &mut s,
        Msg::Tail(TailReport::Caught {
            tail_id: id,
            at_ms: 7,
        }),
    );
    assert_eq!(s.logs.state, Loadable::Ready);
}

#[test]
fn keys_map_through_the_keymap_and_help_and_palette_capture_input() {
    let mut s = state(&[]);
    update(&mut s, key('?'));
    assert!(s.modals.help_scroll().is_some());
    // While help is open, pane keys do not leak through.
    update(&mut s, code(KeyCode::Char(' ')));
    assert!(s.groups.selected.is_empty());
    update(&mut s, code(KeyCode::Esc));
    assert!(s.modals.help_scroll().is_none());

    update(&mut s, key(':'));
    for c in "q".chars() {
        update(&mut s, key(c));
    }
    // 'q' typed into the palette is text, not quit.
    assert!(!s.quit);
    assert_eq!(s.prompt().unwrap().input.text, "q");
    let effects = update(&mut s, code(KeyCode::Enter));
    assert_eq!(effects, vec![Effect::Quit]);
    assert!(s.quit);
}

#[test]
fn palette_theme_command_asks_the_runtime_to_load_it() {
    let mut s = state(&[]);
    update(&mut s, key(':'));
    for c in "theme li".chars() {
        update(&mut s, key(c));
    }
    update(&mut s, code(KeyCode::Tab));
    assert_eq!(s.prompt().unwrap().input.text, "theme light");
    assert_eq!(
        update(&mut s, code(KeyCode::Enter)),
        vec![Effect::LoadTheme("light".into())]
    );
}

#[test]
fn resize_and_mouse() {
    use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
    let mut s = state(&[]);
    s.pane = PaneId::Groups;
    update(&mut s, Msg::Resize(100, 30));
    assert_eq!(s.size, (100, 30));
    update(&mut s, groups(&["/a", "/b", "/c"]));
    let click = |row, column| Msg::Mouse {
        at_ms: 0,
        mouse: MouseEvent {
            kind: MouseEventKind::Down(MouseButton::Left),
            column,
            row,
            modifiers: KeyModifiers::NONE,
        },
    };
    // Row 2 of the screen is the second list row (header, border, first row).
    update(&mut s, click(3, 2));
    assert_eq!(s.groups.cursor, 1);
    assert!(
        s.groups.selected.contains("/b"),
        "a click on the check box selects"
    );
    // A click on a tab switches to its pane: " 0 " (the overview) at 9..12, " 1 " at 13..16
    // (100 columns shrink the inactive tabs to their numbers).
    update(&mut s, click(0, 14));
    assert_eq!(s.pane, PaneId::Logs);
    update(&mut s, click(0, 10));
    assert_eq!(s.pane, PaneId::Overview);
}
