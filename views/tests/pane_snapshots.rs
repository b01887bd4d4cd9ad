//! View snapshots: every pane in loading / empty / data / error / stale states at 80x24 and
//! 160x48, with a fixed `now`. Text only (styles are asserted separately below).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::VecDeque;
use std::sync::Arc;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::style::Color;
use unstuck_views::groups::props::{GroupItem, GroupSort, GroupStatus, GroupsProps};
use unstuck_views::logs::log_row::{Level, LogRow, RowKind};
use unstuck_views::logs::props::{LogsBody, LogsProps, MatchMode};
use unstuck_views::props::{
    AppProps, Completion, HeaderProps, HelpProps, HelpSection, Hint, Loadable, ModalProps,
    PaneProps, PromptProps, StatusLevel, StatusProps,
};
use unstuck_views::theme::Theme;

const NOW: i64 = 1_795_661_220_000; // 2026-11-20T02:47:00Z
const SIZES: [(u16, u16); 2] = [(80, 24), (160, 48)];
const TABS: [&str; 2] = ["logs", "groups"];

fn hints() -> Vec<Hint> {
    [
        ("↑/↓", "scroll"),
        ("f", "follow/pause"),
        ("/", "filter"),
        (":", "command"),
        ("?", "help"),
        ("q", "quit"),
    ]
    .iter()
    .map(|(k, d)| Hint {
        key: k.to_string(),
        desc: d.to_string(),
    })
    .collect()
}

fn row(i: i64, function: &str, kind: RowKind, level: Option<Level>, text: &str) -> LogRow {
    let group: Arc<str> = Arc::from(format!("/aws/lambda/{function}"));
    LogRow {
        timestamp_ms: NOW - 60_000 + i * 250,
        seq: u64::try_from(i).unwrap(),
        group,
        tag: Arc::from(function),
        stream: Arc::from("2026/11/20/[$LATEST]3f9c2a"),
        level,
        kind,
        text: text.to_string(),
        request_id: None,
        json: None,
    }
}

fn rows() -> VecDeque<LogRow> {
    let mut rows = VecDeque::new();
    for i in 0..30 {
        let f = [
            "tax-submit-api",
            "tax-validate-submission",
            "tax-calculate-refund",
        ][usize::try_from(i % 3).unwrap()];
        rows.push_back(match i % 5 {
            0 => row(
                i,
                f,
                RowKind::Platform,
                None,
                &format!("START RequestId: 6f1c{i:04} Version: $LATEST"),
            ),
            1 => row(
                i,
                f,
                RowKind::App,
                Some(Level::Info),
                r#"{"level":"INFO","message":"submission validated","service":"tax"}"#,
            ),
            2 => row(
                i,
                f,
                RowKind::App,
                Some(Level::Error),
                "[ERROR] KeyError: 'ssn' ␛[2J",
            ),
            3 => row(
                i,
                f,
                RowKind::Continuation,
                Some(Level::Error),
                "  File \"/var/task/handler.py\", line 42, in handler",
            ),
            _ => row(
                i,
                f,
                RowKind::Platform,
                None,
                "REPORT RequestId: 6f1c    Duration: 12.40 ms    Billed Duration: 13 ms",
            ),
        });
    }
    rows
}

fn header(stale: bool, active: usize) -> HeaderProps<'static> {
    HeaderProps {
        profile: "DEMO",
        region: "eu-west-1",
        account: Some("123456789012"),
        endpoint: None,
        is_demo: true,
        read_only: true,
        last_refresh_ms: Some(NOW),
        tabs: &TABS,
        active_tab: active,
        stale,
        calls_per_minute: None,
        cost_per_hour: None,
        zone: unstuck_views::zone::Zone::UTC,
    }
}

fn render(props: &AppProps<'_>, w: u16, h: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|f| unstuck_views::render(f, props)).unwrap();
    let buffer = terminal.backend().buffer();
    buffer
        .content
        .chunks(usize::from(w))
        .map(|r| {
            r.iter()
                .map(|c| c.symbol())
                .collect::<String>()
                .trim_end()
                .to_string()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn logs_props<'a>(
    rows: &'a VecDeque<LogRow>,
    groups: &'a [String],
    state: Loadable,
) -> LogsProps<'a> {
    LogsProps {
        body: LogsBody::Lines {
            rows,
            visible: None,
        },
        total_lines: rows.len(),
        scroll_from_bottom: 0,
        cursor_from_bottom: None,
        follow: true,
        filter: None,
        filter_text: None,
        match_mode: MatchMode::Hide,
        min_level: None,
        pattern: None,
        pattern_pending: false,
        groups,
        tag_width: 0,
        source: None,
        tail_note: None,
        streams: None,
        zone: unstuck_views::zone::Zone::UTC,
        history_note: None,
        tag_prefix: "",
        wrap: false,
        h_scroll: 0,
        dropped: 0,
        state,
        empty_hint: "No log groups chosen yet. Press 2 (or type :groups) to choose some.".into(),
    }
}

fn snapshot_logs(
    name: &str,
    logs: impl Fn() -> LogsProps<'static>,
    status: Option<StatusProps<'static>>,
    stale: bool,
) {
    let theme = Theme::default();
    let footer = hints();
    for (w, h) in SIZES {
        let props = AppProps {
            theme: &theme,
            now_ms: NOW,
            header: header(stale, 0),
            pane: PaneProps::Logs(logs()),
            status: status.clone(),
            footer: &footer,
            footer_pinned: &[],
            modals: Vec::new(),
        };
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), render(&props, w, h));
    }
}

fn leak<T>(value: T) -> &'static T {
    Box::leak(Box::new(value))
}

#[test]
fn logs_pane_states() {
    let rows: &'static VecDeque<LogRow> = leak(rows());
    let empty: &'static VecDeque<LogRow> = leak(VecDeque::new());
    let groups: &'static [String] = leak(vec![
        "/aws/lambda/tax-submit-api".to_string(),
        "/aws/lambda/tax-validate-submission".to_string(),
        "/aws/lambda/tax-calculate-refund".to_string(),
    ]);
    snapshot_logs(
        "logs_loading",
        || logs_props(empty, groups, Loadable::Loading),
        None,
        false,
    );
    snapshot_logs(
        "logs_no_groups",
        || logs_props(empty, &[], Loadable::Loading),
        None,
        false,
    );
    snapshot_logs(
        "logs_data",
        || logs_props(rows, groups, Loadable::Ready),
        None,
        false,
    );
    snapshot_logs(
        "logs_error",
        || {
            logs_props(
                empty,
                groups,
                Loadable::Failed("network error: cannot reach http://127.0.0.1:1".into()),
            )
        },
        Some(StatusProps {
            level: StatusLevel::Error,
            text: "tail /aws/lambda/tax-submit-api: network error; retrying",
        }),
        false,
    );
    snapshot_logs(
        "logs_stale",
        || LogsProps {
            dropped: 1200,
            ..logs_props(rows, groups, Loadable::Stale("throttled".into()))
        },
        Some(StatusProps {
            level: StatusLevel::Error,
            text: "tail /aws/lambda/tax-submit-api: throttled by AWS: Rate exceeded; backing off and retrying",
        }),
        true,
    );
    let re: &'static regex::Regex = leak(regex::Regex::new("(?i)error").unwrap());
    let visible: &'static [usize] = leak((0..30).filter(|i| i % 5 == 2).collect::<Vec<_>>());
    snapshot_logs(
        "logs_filtered_paused",
        || LogsProps {
            body: LogsBody::Lines {
                rows,
                visible: Some(visible),
            },
            filter: Some(re),
            filter_text: Some("error"),
            follow: false,
            scroll_from_bottom: 2,
            ..logs_props(rows, groups, Loadable::Ready)
        },
        None,
        false,
    );
}

fn groups_props(names: &'static [&'static str], state: Loadable) -> GroupsProps<'static> {
    GroupsProps {
        items: names
            .iter()
            .enumerate()
            .map(|(i, n)| {
                let k = i64::try_from(i).unwrap();
                GroupItem {
                    name: n,
                    selected: i % 2 == 0,
                    stored_bytes: Some(1_500_000 * k),
                    retention_days: (i % 3 != 0).then_some(30),
                    // Every other group is tailed: one erroring, one failing, one quiet.
                    last_event_ms: (i % 2 == 0).then_some(NOW - 12_000 * k),
                    events_per_min: (i % 2 == 0).then_some(40 * i),
                    errors_per_min: (i % 2 == 0).then_some(usize::from(i == 2)),
                    polled_ms: (i % 2 == 0).then_some(NOW - 1_000 * k),
                    poll_every_ms: (i % 2 == 0).then_some(5_000),
                    status: match i {
                        2 => GroupStatus::Erroring,
                        4 => GroupStatus::Failing,
                        6 => GroupStatus::Quiet,
                        _ if i % 2 == 0 => GroupStatus::Active,
                        _ => GroupStatus::Untailed,
                    },
                }
            })
            .collect(),
        cursor: 1,
        offset: 0,
        total: 18,
        selected_count: names.len().div_ceil(2),
        filter_text: if names.is_empty() { None } else { Some("tax") },
        state,
        sort: GroupSort::Name,
        now_ms: NOW,
        zone: unstuck_views::zone::Zone::UTC,
    }
}

#[test]
fn groups_pane_states() {
    let theme = Theme::default();
    let footer = hints();
    let names: &'static [&'static str] = &[
        "/aws/lambda/tax-submit-api",
        "/aws/lambda/tax-validate-submission",
        "/aws/lambda/tax-calculate-refund",
        "/aws/lambda/tax-notify-taxpayer",
    ];
    let cases: [(&str, &'static [&'static str], Loadable); 4] = [
        ("groups_loading", &[], Loadable::Loading),
        ("groups_data", names, Loadable::Ready),
        (
            "groups_error",
            &[],
            Loadable::Failed("credentials problem: the SSO session has expired".into()),
        ),
        (
            "groups_stale",
            names,
            Loadable::Stale("network error".into()),
        ),
    ];
    for (name, items, state) in cases {
        for (w, h) in SIZES {
            let props = AppProps {
                theme: &theme,
                now_ms: NOW,
                header: header(matches!(state, Loadable::Stale(_)), 1),
                pane: PaneProps::Groups(groups_props(items, state.clone())),
                status: None,
                footer: &footer,
                footer_pinned: &[],
                modals: Vec::new(),
            };
            insta::assert_snapshot!(format!("{name}_{w}x{h}"), render(&props, w, h));
        }
    }
}

#[test]
fn overlays_help_and_palette() {
    let theme = Theme::default();
    let footer = hints();
    let rows = rows();
    let groups = vec!["/aws/lambda/tax-submit-api".to_string()];
    let sections = vec![
        HelpSection {
            title: "logs pane".into(),
            hints: hints(),
        },
        HelpSection {
            title: "everywhere".into(),
            hints: vec![Hint {
                key: "ctrl-z".into(),
                desc: "suspend".into(),
            }],
        },
    ];
    let candidates: Vec<Completion> = ["theme", "help"]
        .iter()
        .map(|t| Completion {
            text: t.to_string(),
            desc: String::new(),
        })
        .collect();
    for (w, h) in SIZES {
        let help = AppProps {
            theme: &theme,
            now_ms: NOW,
            header: header(false, 0),
            pane: PaneProps::Logs(logs_props(&rows, &groups, Loadable::Ready)),
            status: None,
            footer: &footer,
            footer_pinned: &[],
            modals: vec![ModalProps::Help(HelpProps {
                sections: &sections,
                scroll: 0,
            })],
        };
        insta::assert_snapshot!(format!("help_{w}x{h}"), render(&help, w, h));
        let palette = AppProps {
            modals: vec![ModalProps::Prompt(PromptProps {
                prefix: ":",
                input: "the",
                cursor: 3,
                candidates: &candidates,
                selected_candidate: Some(0),
                error: None,
            })],
            pane: PaneProps::Logs(logs_props(&rows, &groups, Loadable::Ready)),
            header: header(false, 0),
            ..help
        };
        insta::assert_snapshot!(format!("palette_{w}x{h}"), render(&palette, w, h));
    }
}

#[test]
fn tags_are_coloured_per_function_and_levels_styled() {
    let theme = Theme::default();
    let footer = hints();
    let rows = rows();
    let groups = vec!["/aws/lambda/tax-submit-api".to_string()];
    let props = AppProps {
        theme: &theme,
        now_ms: NOW,
        header: header(false, 0),
        pane: PaneProps::Logs(logs_props(&rows, &groups, Loadable::Ready)),
        status: None,
        footer: &footer,
        footer_pinned: &[],
        modals: Vec::new(),
    };
    let mut terminal = Terminal::new(TestBackend::new(160, 48)).unwrap();
    terminal.draw(|f| unstuck_views::render(f, &props)).unwrap();
    let buffer = terminal.backend().buffer();
    // Row 0 of the list is at y = 2 (header + border); the tag starts after "HH:MM:SS.mmm ".
    let tag_cell = &buffer[(1 + 13, 2)];
    let expected = theme.tag_style(&rows[0].group).fg;
    assert_eq!(tag_cell.fg, expected.unwrap_or(Color::Reset));
    let a = theme.tag_style("/aws/lambda/tax-submit-api");
    let b = theme.tag_style("/aws/lambda/tax-calculate-refund");
    assert_ne!(a, b, "two functions should get different tag colours");
    // An ERROR row is drawn in the error style.
    let error_y = (2..46).find(|&y| {
        (0..160)
            .map(|x| buffer[(x, y)].symbol().to_string())
            .collect::<String>()
            .contains("KeyError")
    });
    let y = error_y.expect("an error row on screen");
    let x = (0..160).find(|&x| buffer[(x, y)].symbol() == "K").unwrap();
    assert_eq!(buffer[(x, y)].fg, theme.log_error.fg.unwrap());
}
