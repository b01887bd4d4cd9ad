//! The insights pane through the reducer: `I` in the logs pane opens it over the tailed
//! groups from where the tail started (or its oldest line, if older), a saved query or `:insights [SINCE] QUERY` asks the runtime
//! to run it, its reports fill a table with what it scanned and cost, `x` stops it.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod logs_pane_support;

use crossterm::event::KeyCode;
use logs_pane_support::*;
use unstuck::insights::{InsightsReport, InsightsUpdate};
use unstuck::state::{Effect, Msg, PaneId, update};
use unstuck::tail::{GroupProgress, TailReport};
use unstuck_aws::model::{BackendError, QueryResults, QueryStatistics, QueryStatus};

fn job_of(effects: &[Effect]) -> unstuck::insights::InsightsJob {
    effects
        .iter()
        .find_map(|e| match e {
            Effect::RunInsights(job) => Some(job.clone()),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no RunInsights in {effects:?}"))
}

fn report(job: u64, update: InsightsUpdate) -> Msg {
    Msg::Insights(InsightsReport { job, update })
}

fn cold_starts(status: QueryStatus) -> QueryResults {
    QueryResults::from_fields(
        status,
        vec![vec![
            ("@log".into(), format!("123456789012:{GROUP}")),
            ("coldStarts".into(), "3".into()),
            ("avgInitMs".into(), "312.45".into()),
            ("@ptr".into(), "CmAKJwoj".into()),
        ]],
        QueryStatistics {
            records_matched: 3.0,
            records_scanned: 48_210.0,
            bytes_scanned: 12_300_000.0,
        },
    )
}

#[test]
fn i_opens_the_saved_queries_over_the_tailed_groups_and_window_of_the_logs_pane() {
    let (mut s, tail) = tailing(120, 30);
    feed(&mut s, tail, lambda_events());
    press(&mut s, KeyCode::Char('I'));
    assert_eq!(s.pane, PaneId::Insights);
    assert_eq!(s.insights.groups, [GROUP, OTHER_GROUP]);
    // The window starts where the tail did (5 minutes back), before the oldest line.
    let tail_start = NOW - 300_000;
    assert_eq!(s.insights.window_start_ms, Some(tail_start));
    let (screen, _) = render(&s);
    assert!(screen.contains("insights · 2 groups"), "{screen}");
    for name in ["errors-by-function", "cold-starts", "slowest-invocations"] {
        assert!(screen.contains(name), "{screen}");
    }

    // enter runs the selected one over both groups, from the oldest line to now.
    press(&mut s, KeyCode::Down);
    let job = job_of(&press(&mut s, KeyCode::Enter));
    assert_eq!(job.query.groups, [GROUP, OTHER_GROUP]);
    assert_eq!(job.query.start_ms, tail_start);
    assert!(job.query.query.contains("ispresent(@initDuration)"));

    update(
        &mut s,
        report(job.job, InsightsUpdate::Started("q-1".into())),
    );
    let mut running = cold_starts(QueryStatus::Running);
    running.rows.clear();
    update(&mut s, report(job.job, InsightsUpdate::Results(running)));
    let (screen, _) = render(&s);
    assert!(screen.contains("running…"), "{screen}");
    assert!(screen.contains("waiting for rows"), "{screen}");

    update(
        &mut s,
        report(
            job.job,
            InsightsUpdate::Results(cold_starts(QueryStatus::Complete)),
        ),
    );
    let (screen, _) = render(&s);
    assert!(screen.contains("@log"), "{screen}");
    assert!(screen.contains("coldStarts"), "{screen}");
    assert!(!screen.contains("@ptr"), "{screen}");
    assert!(screen.contains("tax-validate-submission"), "{screen}");
    assert!(
        screen.contains("48,210 records (3 matched) · 12.3 MB scanned ≈ $0.000062"),
        "{screen}"
    );
    assert!(
        status(&s).contains("insights cold-starts: complete"),
        "{}",
        status(&s)
    );
    // enter on a row shows it field by field.
    press(&mut s, KeyCode::Enter);
    let (screen, _) = render(&s);
    assert!(screen.contains("avgInitMs: 312.45"), "{screen}");
}

#[test]
fn a_typed_query_takes_its_window_and_a_newer_query_drops_the_older_ones_reports() {
    let (mut s, tail) = tailing(120, 30);
    feed(&mut s, tail, lambda_events());
    update(
        &mut s,
        Msg::Tail(TailReport::Progress {
            tail_id: tail,
            at_ms: NOW,
            groups: [GROUP, OTHER_GROUP]
                .iter()
                .map(|g| GroupProgress {
                    group: (*g).into(),
                    polled_ms: Some(NOW),
                    every_ms: 1_000,
                    quiet: false,
                })
                .collect(),
        }),
    );
    assert_eq!(s.insights.groups.len(), 2);
    let first = job_of(&palette(&mut s, "insights 30m fields @message | limit 5"));
    assert_eq!(s.pane, PaneId::Insights);
    assert_eq!(first.query.query, "fields @message | limit 5");
    assert!((first.query.end_ms - first.query.start_ms - 30 * 60_000).abs() < 1_000);
    let second = job_of(&palette(&mut s, "insights errors-by-function"));
    assert!(
        second
            .query
            .query
            .contains("stats count(*) as errors by @log")
    );
    update(
        &mut s,
        report(
            first.job,
            InsightsUpdate::Results(cold_starts(QueryStatus::Complete)),
        ),
    );
    assert!(s.insights.run.as_ref().unwrap().results.is_none());

    // x stops the running one; e offers its text for editing.
    assert_eq!(
        press(&mut s, KeyCode::Char('x')),
        vec![Effect::StopInsights(second.job)]
    );
    press(&mut s, KeyCode::Char('e'));
    let (screen, _) = render(&s);
    assert!(
        screen.contains(":insights filter @message like"),
        "{screen}"
    );
}

#[test]
fn failures_and_impossible_asks_say_why() {
    let (mut s, tail) = tailing(120, 30);
    feed(&mut s, tail, lambda_events());
    press(&mut s, KeyCode::Char('I'));
    let job = job_of(&palette(&mut s, "insights parse @message 'x*' as y"));
    update(
        &mut s,
        report(
            job.job,
            InsightsUpdate::Failed(BackendError::InvalidInput(
                "MalformedQueryException: unexpected symbol".into(),
            )),
        ),
    );
    let (screen, _) = render(&s);
    assert!(screen.contains("failed after"), "{screen}");
    assert!(screen.contains("MalformedQueryException"), "{screen}");
    assert!(status(&s).contains("insights query:"), "{}", status(&s));

    // More than 50 groups: refused in the prompt, nothing run.
    s.insights.groups = (0..51).map(|i| format!("/aws/lambda/f{i}")).collect();
    let effects = palette(&mut s, "insights cold-starts");
    assert!(!effects.iter().any(|e| matches!(e, Effect::RunInsights(_))));
    let (screen, _) = render(&s);
    assert!(screen.contains("at most 50 log groups"), "{screen}");
}
