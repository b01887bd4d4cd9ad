//! The log groups list, k9s-like: what the tail saw of each group (last event, events and
//! errors per minute, when it was polled and how often) beside stored bytes and retention;
//! sortable; rows coloured by status; the same smart-case regex `/` as the logs pane.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod logs_pane_support;

use crossterm::event::KeyCode;
use logs_pane_support::*;
use unstuck::state::{Msg, update};
use unstuck::tail::{GroupProgress, TailReport};
use unstuck_aws::model::LogEvent;

fn line(group: &str, ts: i64, id: &str, message: &str) -> LogEvent {
    LogEvent {
        timestamp_ms: ts,
        ingestion_time_ms: ts,
        group: group.into(),
        stream: "s".into(),
        event_id: id.into(),
        message: message.into(),
    }
}

fn rows_of(screen: &str, needle: &str) -> Vec<String> {
    screen
        .lines()
        .filter(|l| l.contains(needle))
        .map(str::to_string)
        .collect()
}

#[test]
fn the_list_shows_what_the_tail_saw_and_sorts_by_it() {
    let (mut s, id) = tailing(120, 30);
    // Three lines of the validator (one an error) and one of the enricher, 20 s ago.
    feed(
        &mut s,
        id,
        vec![
            line(GROUP, NOW - 20_000, "1", "INFO ok"),
            line(GROUP, NOW - 19_000, "2", "[ERROR] KeyError: 'ssn'"),
            line(GROUP, NOW - 18_000, "3", "INFO ok"),
            line(OTHER_GROUP, NOW - 60_000, "4", "INFO enriching"),
        ],
    );
    update(
        &mut s,
        Msg::Tail(TailReport::Progress {
            tail_id: id,
            at_ms: NOW,
            groups: vec![
                GroupProgress {
                    group: GROUP.into(),
                    polled_ms: Some(NOW - 1_000),
                    every_ms: 1_000,
                    quiet: false,
                },
                GroupProgress {
                    group: OTHER_GROUP.into(),
                    polled_ms: Some(NOW - 3_000),
                    every_ms: 45_000,
                    quiet: true,
                },
            ],
        }),
    );
    keys(&mut s, "2");
    let screen = render(&s).0;
    assert!(
        screen.contains("LAST EVENT") && screen.contains("ERR/MIN"),
        "{screen}"
    );
    let validator = rows_of(&screen, "tax-validate-submission").join("\n");
    assert!(validator.contains("18s ago"), "{screen}");
    assert!(
        validator.contains("1s/1s"),
        "polled 1 s ago, every second: {screen}"
    );
    let enricher = rows_of(&screen, "tax-enrich-taxpayer").join("\n");
    assert!(
        enricher.contains("1m ago") && enricher.contains("3s/45s"),
        "{screen}"
    );
    insta::assert_snapshot!("groups_with_tail_columns_120x30", screen);

    // Sorted by errors: the validator (1 error a minute) comes first.
    palette(&mut s, "sort errors");
    let screen = render(&s).0;
    let first = screen
        .lines()
        .position(|l| l.contains("tax-validate"))
        .unwrap();
    let second = screen
        .lines()
        .position(|l| l.contains("tax-enrich"))
        .unwrap();
    assert!(first < second, "{screen}");
    assert!(screen.contains("by errors"), "{screen}");
    // `s` goes on to the next column.
    keys(&mut s, "s");
    assert!(render(&s).0.contains("by size"));
}

#[test]
fn the_filter_is_the_logs_panes_smart_case_regex() {
    let (mut s, _) = tailing(120, 30);
    keys(&mut s, "2");
    keys(&mut s, "/");
    keys(&mut s, "tax-(enrich|nothing)");
    press(&mut s, KeyCode::Enter);
    let screen = render(&s).0;
    assert!(screen.contains("1 shown of 2"), "{screen}");
    assert!(
        !rows_of(&screen, "[ ]")
            .iter()
            .any(|l| l.contains("validate"))
    );
    keys(&mut s, "/");
    keys(&mut s, "tax-(");
    press(&mut s, KeyCode::Enter);
    assert!(render(&s).0.contains("bad regex"), "{}", render(&s).0);
}

#[test]
fn narrow_terminals_keep_the_name_and_drop_columns() {
    let (mut s, id) = tailing(40, 12);
    feed(&mut s, id, vec![line(GROUP, NOW - 5_000, "1", "INFO ok")]);
    keys(&mut s, "2");
    let screen = render(&s).0;
    insta::assert_snapshot!("groups_40x12", screen.clone());
    assert!(screen.contains("…ax-validate-submission"), "{screen}");
    assert!(!screen.contains("RETAIN"), "{screen}");
}
