//! The queues pane on the demo world, through the real binary: the table with DLQs holding
//! messages first, a peek that says it is a receive, and the demo's DLQ really emptied by a
//! redrive (the same code the pane's `R` runs), with the consumer's logs of what came back.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::Command;

fn unstuck(args: &[&str], state: &std::path::Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_unstuck"))
        .args(args)
        .env("UNSTUCK_STATE_DIR", state)
        .output()
        .unwrap()
}

fn text(out: &std::process::Output) -> String {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn the_table_puts_filling_dlqs_first_and_a_peek_says_it_is_a_receive() {
    let state = tempfile::tempdir().unwrap();
    let screen = text(&unstuck(
        &[
            "snapshot", "--demo", "--pane", "queues", "--size", "160x30", "--after", "2",
        ],
        state.path(),
    ));
    let rows: Vec<&str> = screen
        .lines()
        .filter(|l| l.contains("DLQ of") || l.contains("-> "))
        .collect();
    assert!(rows[0].contains("-dlq"), "{screen}");
    assert!(screen.contains("DLQ of tax-refund-calculation"), "{screen}");
    assert!(screen.contains("DLQs holding messages"), "{screen}");
    // The age of the oldest message (CloudWatch's ApproximateAgeOfOldestMessage), for the
    // queues holding messages.
    let header = screen.lines().find(|l| l.contains("VISIBLE")).unwrap();
    assert!(header.contains("OLDEST"), "{screen}");
    let dlq = rows[0];
    let age = dlq
        .split_whitespace()
        .find(|w| w.ends_with('s') || w.ends_with('m'))
        .unwrap_or_else(|| panic!("an age on the DLQ's row: {dlq}"));
    assert!(age.chars().next().unwrap().is_ascii_digit(), "{dlq}");
    let peek = text(&unstuck(
        &[
            "snapshot",
            "--demo",
            "--pane",
            "queues",
            "--size",
            "160x40",
            "--after",
            "2",
            "--keys",
            "down enter",
        ],
        state.path(),
    ));
    assert!(peek.contains("is a receive"), "{peek}");
    assert!(peek.contains("tax-refund-calculation-dlq"), "{peek}");
    assert!(
        peek.contains("groups:") && peek.contains("deductions:[]"),
        "grouped by shape: {peek}"
    );
    assert!(peek.contains("DeadLetterQueueSourceArn"), "{peek}");
    // The snapshot is read-only: a redrive is refused, not confirmed.
    let refused = text(&unstuck(
        &[
            "snapshot", "--demo", "--pane", "queues", "--size", "160x30", "--after", "1", "--keys",
            "down R",
        ],
        state.path(),
    ));
    assert!(refused.contains("read-only"), "{refused}");
}

#[test]
fn demo_queues_json_and_a_selective_redrive_moves_only_the_transient_failures() {
    let state = tempfile::tempdir().unwrap();
    let rows: Vec<serde_json::Value> = text(&unstuck(
        &["queues", "--demo", "--output", "json"],
        state.path(),
    ))
    .lines()
    .map(|l| serde_json::from_str(l).unwrap())
    .collect();
    let dlq = rows
        .iter()
        .find(|r| r["name"] == "tax-refund-calculation-dlq")
        .unwrap();
    let before = dlq["visible"].as_u64().unwrap();
    assert!(before > 20, "the incident's DLQ is filling: {dlq}");
    // Its first dead letter came with the incident, well over a minute ago.
    assert!(
        dlq["oldest_age_s"].as_f64().is_some_and(|s| s > 60.0),
        "{dlq}"
    );
    let empty = rows
        .iter()
        .find(|r| r["visible"] == 0 && r["in_flight"] == 0);
    assert!(
        empty.is_none_or(|r| r["oldest_age_s"].is_null()),
        "{empty:?}"
    );
    assert_eq!(
        dlq["sources"][0],
        "arn:aws:sqs:eu-west-1:123456789012:tax-refund-calculation"
    );
    // Only the returns with deductions (the poison ones have none).
    let out = unstuck(
        &[
            "dlq",
            "redrive",
            "--demo",
            "tax-refund-calculation-dlq",
            "--grep",
            "\"deductions\":\\[\\{",
            "--yes",
            "--output",
            "json",
        ],
        state.path(),
    );
    let summary: serde_json::Value =
        serde_json::from_str(text(&out).lines().last().unwrap()).unwrap();
    let moved = summary["moved"].as_u64().unwrap();
    assert!(moved > 0 && moved < before, "{summary}");
    assert_eq!(summary["selected"], summary["moved"]);
    assert_eq!(summary["destinations"]["tax-refund-calculation"], moved);
    let native = unstuck(
        &[
            "dlq",
            "redrive",
            "--demo",
            "tax-notify-failures",
            "--native",
            "--yes",
        ],
        state.path(),
    );
    assert_eq!(native.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&native.stderr).contains("fed by Lambda"));
    let audit = std::fs::read_to_string(state.path().join("audit.jsonl")).unwrap();
    assert!(
        audit.contains("SelectiveRedrive") && audit.contains("\"outcome\":\"ok\""),
        "{audit}"
    );
}
