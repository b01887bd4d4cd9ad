//! Reducer tests of the shell: the one modal layer and its precedence, per-source status,
//! the one palette parser, the confirm dialog, and `goto` between panes. No IO, no clock.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use unstuck::commands::{Command, ExportFormat, ExportJob};
use unstuck::config::{ConfigDirs, Context, Overrides};
use unstuck::state::shell::keys::active_context;
use unstuck::state::{AppState, Confirm, Effect, Modal, Msg, PaneId, StartOptions, update};
use unstuck::tail::TailReport;
use unstuck_aws::api::{BackendLabel, Data, LogsData, Topic};
use unstuck_aws::model::{BackendError, LogEvent, LogGroup};
use unstuck_views::props::StatusLevel;

const NOW: i64 = 1_795_142_700_000;

fn state(prefixes: &[&str], read_only: bool) -> AppState {
    let config =
        unstuck::config::load(&ConfigDirs { dir: None }, &Overrides::default(), false).unwrap();
    let label = BackendLabel {
        profile: "prod".into(),
        region: "eu-west-1".into(),
        endpoint_url: None,
        is_demo: false,
    };
    let mut s = AppState::new(
        Arc::new(config.keymap),
        config.theme,
        label,
        StartOptions {
            read_only,
            log_group_prefixes: prefixes.iter().map(|p| p.to_string()).collect(),
            theme_names: vec!["dark".into(), "light".into()],
            profile_names: vec!["default".into(), "prod".into(), "staging".into()],
            ..StartOptions::default()
        },
    );
    update(&mut s, Msg::Resize(120, 30));
    s
}

fn press(s: &mut AppState, code: KeyCode) -> Vec<Effect> {
    update(s, Msg::key(KeyEvent::new(code, KeyModifiers::NONE), NOW))
}

fn typed(s: &mut AppState, text: &str) {
    for c in text.chars() {
        press(s, KeyCode::Char(c));
    }
}

fn groups_ok(names: &[&str]) -> Msg {
    Msg::Polled {
        topic: Topic::LOG_GROUPS,
        at_ms: NOW,
        result: Ok(Data::Logs(LogsData::Groups(
            names.iter().map(|n| LogGroup::named(*n)).collect(),
        ))),
    }
}

/// A state tailing one group with one line in it; returns the tail id.
fn tailing() -> (AppState, u64) {
    let mut s = state(&["/aws/lambda/a"], false);
    let effects = update(&mut s, groups_ok(&["/aws/lambda/a"]));
    let [Effect::StartTail(spec)] = &effects[..] else {
        panic!("{effects:?}")
    };
    let id = spec.tail_id;
    update(
        &mut s,
        Msg::Tail(TailReport::Events {
            tail_id: id,
            at_ms: NOW,
            events: vec![LogEvent {
                timestamp_ms: NOW - 1_000,
                ingestion_time_ms: NOW - 900,
                group: "/aws/lambda/a".into(),
                stream: "s".into(),
                event_id: "1".into(),
                message: r#"{"level":"ERROR","message":"boom","order":{"id":7}}"#.into(),
            }],
        }),
    );
    (s, id)
}

#[test]
fn the_top_layer_owns_the_keys_and_closes_first() {
    let (mut s, _) = tailing();
    assert_eq!(active_context(&s), Context::Logs);
    press(&mut s, KeyCode::Enter);
    assert!(s.detail().is_some(), "enter opens the line's details");
    assert_eq!(active_context(&s), Context::Detail);
    // The palette opens over the detail view and takes every key.
    press(&mut s, KeyCode::Char(':'));
    assert_eq!(active_context(&s), Context::Prompt);
    typed(&mut s, "q");
    assert!(!s.quit, "q is typed into the prompt");
    press(&mut s, KeyCode::Esc);
    // Closing the prompt shows the detail view again; help goes over it.
    assert_eq!(active_context(&s), Context::Detail);
    press(&mut s, KeyCode::Char('?'));
    assert_eq!(active_context(&s), Context::Help);
    press(&mut s, KeyCode::Char(' '));
    assert!(s.detail().is_none() && s.modals.help_scroll().is_some());
    press(&mut s, KeyCode::Esc);
    assert_eq!(active_context(&s), Context::Detail);
    press(&mut s, KeyCode::Esc);
    assert_eq!(active_context(&s), Context::Logs);
    assert!(s.modals.is_empty());
}

#[test]
fn esc_clears_a_filter_before_it_goes_back() {
    let (mut s, _) = tailing();
    press(&mut s, KeyCode::Char('2'));
    press(&mut s, KeyCode::Char('1'));
    assert_eq!(s.pane, PaneId::Logs);
    press(&mut s, KeyCode::Char('/'));
    typed(&mut s, "boom");
    press(&mut s, KeyCode::Enter);
    assert_eq!(s.logs.filter_text.as_deref(), Some("boom"));
    press(&mut s, KeyCode::Esc);
    assert_eq!(s.logs.filter_text, None, "the first esc clears the filter");
    assert_eq!(s.pane, PaneId::Logs);
    press(&mut s, KeyCode::Esc);
    assert_eq!(s.pane, PaneId::Groups, "the second goes back");
}

#[test]
fn a_hidden_panes_failing_poll_leaves_the_visible_status_alone() {
    let (mut s, _) = tailing();
    assert_eq!(s.pane, PaneId::Logs);
    let shown_before = s.shown_status().map(|m| m.text.clone());
    update(
        &mut s,
        Msg::Polled {
            topic: Topic::LOG_GROUPS,
            at_ms: NOW + 1_000,
            result: Err(BackendError::AccessDenied {
                action: "logs:DescribeLogGroups".into(),
                message: "not authorized".into(),
            }),
        },
    );
    assert_eq!(s.shown_status().map(|m| m.text.clone()), shown_before);
    assert!(!s.is_stale(), "the logs pane's data is not stale");
    // The group chooser has the error, with what to do first.
    press(&mut s, KeyCode::Char('2'));
    let shown = s.shown_status().unwrap();
    assert_eq!(shown.level, StatusLevel::Error);
    assert!(
        shown.text.starts_with("not retried, r asks again"),
        "{}",
        shown.text
    );
    assert!(s.is_stale(), "the chooser shows its list as stale");
}

#[test]
fn info_fades_and_asks_to_be_woken() {
    let (mut s, _) = tailing();
    press(&mut s, KeyCode::Char('f'));
    let shown = s.shown_status().unwrap().clone();
    assert_eq!(shown.level, StatusLevel::Info);
    let wake = unstuck::state::next_wake_ms(&s).unwrap();
    assert!(wake > s.now_ms && wake <= s.now_ms + 5_000);
    s.take_redraw();
    update(&mut s, Msg::Tick { at_ms: wake });
    assert!(s.shown_status().is_none(), "faded");
    assert!(s.take_redraw(), "the fade is a visible change");
}

#[test]
fn the_palette_runs_every_command_through_one_parser() {
    let (mut s, _) = tailing();
    let run = |s: &mut AppState, line: &str| {
        press(s, KeyCode::Char(':'));
        typed(s, line);
        press(s, KeyCode::Enter)
    };
    // Unknown, with the config errors' "did you mean".
    run(&mut s, "lgos");
    let error = s.prompt().unwrap().error.clone().unwrap();
    assert_eq!(error, "unknown command \"lgos\" (did you mean \"logs\"?)");
    press(&mut s, KeyCode::Esc);
    // A missing argument names what is needed; the prompt stays open.
    run(&mut s, "theme");
    assert_eq!(
        s.prompt().unwrap().error.as_deref(),
        Some("theme needs a theme name")
    );
    press(&mut s, KeyCode::Esc);
    // A pane's own check of its argument.
    run(&mut s, "time soon");
    assert!(
        s.prompt()
            .unwrap()
            .error
            .as_deref()
            .unwrap()
            .contains("try 02:45")
    );
    press(&mut s, KeyCode::Esc);
    // Completion lists shell, goto and pane commands, with what they do.
    press(&mut s, KeyCode::Char(':'));
    typed(&mut s, "p");
    let candidates: Vec<(String, String)> = s
        .prompt()
        .unwrap()
        .candidates
        .iter()
        .map(|c| (c.text.clone(), c.desc.clone()))
        .collect();
    let names: Vec<&str> = candidates.iter().map(|(t, _)| t.as_str()).collect();
    assert_eq!(names, ["profile", "pattern", "pause", "prefix"]);
    assert!(
        candidates[0].1.contains("switch AWS profile"),
        "{candidates:?}"
    );
    typed(&mut s, "rof");
    press(&mut s, KeyCode::Tab);
    assert_eq!(s.prompt().unwrap().input.text, "profile ");
    typed(&mut s, "st");
    press(&mut s, KeyCode::Tab);
    assert_eq!(s.prompt().unwrap().input.text, "profile staging");
    let effects = press(&mut s, KeyCode::Enter);
    assert_eq!(
        effects,
        vec![Effect::Reconnect(unstuck::state::Reconnect::Profile(
            "staging".into()
        ))]
    );
    // A profile that is not in the AWS config files is refused with the nearest.
    run(&mut s, "profile prdo");
    assert!(
        s.prompt()
            .unwrap()
            .error
            .as_deref()
            .unwrap()
            .contains("did you mean \"prod\""),
        "{:?}",
        s.prompt()
    );
    press(&mut s, KeyCode::Esc);
    // Opening a pane by name.
    run(&mut s, "groups");
    assert_eq!(s.pane, PaneId::Groups);
}

#[test]
fn help_lists_the_palette_commands_and_the_filter_syntax() {
    let (s, _) = tailing();
    let sections = unstuck::state::help_sections(&s);
    let commands = sections
        .iter()
        .find(|sec| sec.title.starts_with("commands"))
        .unwrap();
    let keys: Vec<&str> = commands.hints.iter().map(|h| h.key.as_str()).collect();
    assert!(keys.contains(&":time TIME"), "{keys:?}");
    assert!(keys.contains(&":profile NAME"), "{keys:?}");
    assert!(keys.contains(&":logs"), "{keys:?}");
    assert!(sections.iter().any(|sec| sec.title == "filters"));
}

#[test]
fn a_confirm_dialog_runs_its_command_only_on_yes() {
    let (mut s, _) = tailing();
    let job = ExportJob {
        path: "out.jsonl".into(),
        format: ExportFormat::Jsonl,
        overwrite: true,
        rows: Arc::new(Vec::new()),
    };
    let command = Command::ExportLines(job);
    s.modals
        .push(Modal::Confirm(Confirm::new(command.clone(), None)));
    assert_eq!(active_context(&s), Context::Dialog);
    assert!(
        press(&mut s, KeyCode::Char('q')).is_empty(),
        "q cancels, not quits"
    );
    assert!(!s.quit && s.modals.is_empty());
    assert!(
        s.shown_status()
            .unwrap()
            .text
            .contains("nothing was changed")
    );
    // A bulk one needs the name typed before yes counts.
    s.modals.push(Modal::Confirm(Confirm::new(
        command.clone(),
        Some("tax-dlq".into()),
    )));
    assert!(press(&mut s, KeyCode::Enter).is_empty());
    typed(&mut s, "tax-dlq");
    assert_eq!(
        press(&mut s, KeyCode::Enter),
        vec![Effect::Execute(command)]
    );
    assert!(s.modals.is_empty());
}

#[test]
fn config_errors_open_one_dialog_that_owns_the_keys() {
    let config =
        unstuck::config::load(&ConfigDirs { dir: None }, &Overrides::default(), false).unwrap();
    let mut s = AppState::new(
        Arc::new(config.keymap),
        config.theme,
        BackendLabel::default(),
        StartOptions {
            config_errors: vec![
                "keymap.toml:2: unknown action \"qiut\"".into(),
                "themes/ocean.toml:4: bad colour".into(),
            ],
            ..StartOptions::default()
        },
    );
    let Some(Modal::Dialog(dialog)) = s.modals.top() else {
        panic!("no dialog")
    };
    assert_eq!(dialog.title, "2 errors in the configuration");
    assert!(dialog.lines[0].contains("qiut") && dialog.lines[1].contains("ocean"));
    press(&mut s, KeyCode::Char('a'));
    assert!(s.groups.selected.is_empty(), "keys do not reach the pane");
    press(&mut s, KeyCode::Enter);
    assert!(s.modals.is_empty());
}

#[test]
fn keys_carry_their_time_so_relative_times_are_right_without_polls() {
    let mut s = state(&[], false);
    assert_eq!(s.now_ms, 0, "nothing has moved the clock yet");
    press(&mut s, KeyCode::Char(':'));
    typed(&mut s, "export ");
    let candidates: Vec<String> = s
        .prompt()
        .unwrap()
        .candidates
        .iter()
        .map(|c| c.text.clone())
        .collect();
    // NOW is 2026-11-20T02:45:00Z: the default export name is stamped with it.
    assert_eq!(
        candidates,
        [
            "export unstuck-logs-20261120-024500.jsonl",
            "export unstuck-logs-20261120-024500.txt"
        ]
    );
    assert_eq!(
        unstuck::state::logs::parse_time("-5m", s.now_ms),
        Ok(NOW - 300_000)
    );
}

#[test]
fn the_vim_keymap_footer_names_vim_keys() {
    let dirs = ConfigDirs { dir: None };
    let overrides = Overrides {
        keymap: Some("vim".into()),
        ..Overrides::default()
    };
    let config = unstuck::config::load(&dirs, &overrides, false).unwrap();
    let mut s = AppState::new(
        Arc::new(config.keymap),
        config.theme,
        BackendLabel::default(),
        StartOptions {
            log_group_prefixes: vec!["/aws/lambda/".into()],
            ..StartOptions::default()
        },
    );
    update(&mut s, Msg::Resize(200, 30));
    let (hints, pinned) = unstuck::state::footer_hints(&s);
    let keys: Vec<&str> = hints.iter().map(|h| h.key.as_str()).collect();
    assert!(keys.contains(&"k") && keys.contains(&"j"), "{keys:?}");
    assert!(!keys.contains(&"↑"), "{keys:?}");
    let pinned: Vec<&str> = pinned.iter().map(|h| h.key.as_str()).collect();
    assert_eq!(pinned, ["?", ":", "q"]);
}

#[test]
fn a_switch_of_profile_shows_in_the_header_and_polls_again() {
    let (mut s, _) = tailing();
    let label = BackendLabel {
        profile: "staging".into(),
        region: "us-west-2".into(),
        endpoint_url: None,
        is_demo: false,
    };
    let effects = update(
        &mut s,
        Msg::Reconnected(Ok(unstuck::state::Connection {
            label: label.clone(),
        })),
    );
    assert_eq!(s.label, label);
    assert!(
        effects.contains(&Effect::Refresh(Topic::IDENTITY)),
        "{effects:?}"
    );
    assert!(
        s.shown_status()
            .unwrap()
            .text
            .contains("staging in us-west-2")
    );
    update(
        &mut s,
        Msg::Reconnected(Err("no credentials for staging".into())),
    );
    assert!(s.shown_status().unwrap().text.contains("switch failed"));
}
