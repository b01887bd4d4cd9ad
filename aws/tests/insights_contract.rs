//! The `LogsInsights` contract where both backends serve it: the demo world (`sim_*`) and the
//! real backend against moto (`moto_*`, through `scripts/test`). moto 5.2 runs a query at
//! once and reads only `fields`, `sort` and `limit` (no `filter`/`stats`, no statistics), so
//! the shared case is a projection; the demo world's `filter`/`stats` are tested in its crate.

#![cfg(all(feature = "real", feature = "sim"))]
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::time::Duration;

use support::{Fixture, unique};
use unstuck_aws::model::{InsightsQuery, QueryResults, QueryStatus};

/// Polls GetQueryResults until the query ends (bounded: a backend that never ends fails).
async fn finished(f: &Fixture, id: &str) -> QueryResults {
    let insights = f.insights();
    for _ in 0..60 {
        let results = insights.query_results(id).await.unwrap();
        if results.status.is_final() {
            return results;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    panic!("query {id} never ended");
}

async fn newest_two(f: Fixture) {
    let group = unique("/insights/contract");
    f.create_group(&group).await;
    let base = f.base_ms();
    f.put(
        &group,
        "s1",
        &[
            (base, "first \u{1b}[2J line"),
            (base + 1_000, "second line"),
            (base + 2_000, "third line"),
        ],
    )
    .await;
    let id = f
        .insights()
        .start_query(&InsightsQuery {
            groups: vec![group.clone()],
            start_ms: base - 60_000,
            end_ms: base + 60_000,
            query: "fields @timestamp, @message | sort @timestamp desc | limit 2".into(),
            limit: 100,
        })
        .await
        .unwrap();
    assert!(!id.is_empty());
    let results = finished(&f, &id).await;
    assert_eq!(results.status, QueryStatus::Complete);
    assert!(
        results.columns.iter().any(|c| c == "@message"),
        "{results:?}"
    );
    assert!(!results.columns.iter().any(|c| c == "@ptr"));
    let message = results
        .columns
        .iter()
        .position(|c| c == "@message")
        .unwrap();
    let messages: Vec<&str> = results.rows.iter().map(|r| r[message].as_str()).collect();
    assert_eq!(messages, ["third line", "second line"]);
    // Stopping a query that has ended is not an error (moto 5.2 does not implement
    // StopQuery: it answers HTTP 500).
    if matches!(f, Fixture::Sim(_)) {
        f.insights().stop_query(&id).await.unwrap();
    }
}

async fn untrusted_text_is_neutralised(f: Fixture) {
    let group = unique("/insights/hostile");
    f.create_group(&group).await;
    let base = f.base_ms();
    f.put(
        &group,
        "s1",
        &[(base, "boom \u{1b}]52;c;aGk=\u{7} \u{202e}x")],
    )
    .await;
    let id = f
        .insights()
        .start_query(&InsightsQuery {
            groups: vec![group],
            start_ms: base - 60_000,
            end_ms: base + 60_000,
            query: "fields @message".into(),
            limit: 10,
        })
        .await
        .unwrap();
    let results = finished(&f, &id).await;
    assert_eq!(results.rows.len(), 1);
    for value in results.rows.iter().flatten() {
        assert!(
            unstuck_aws::untrusted_text::is_terminal_safe(value),
            "{value:?}"
        );
    }
    assert!(results.rows[0].iter().any(|v| v.contains("␛]52;c;aGk=")));
}

#[tokio::test]
async fn sim_projection_sort_and_limit() {
    newest_two(Fixture::sim()).await;
}

#[tokio::test]
async fn moto_projection_sort_and_limit() {
    newest_two(Fixture::moto().await).await;
}

#[tokio::test]
async fn sim_results_are_sanitised() {
    untrusted_text_is_neutralised(Fixture::sim()).await;
}

#[tokio::test]
async fn moto_results_are_sanitised() {
    untrusted_text_is_neutralised(Fixture::moto().await).await;
}
