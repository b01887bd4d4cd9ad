//! Every shipped saved query, run by the app's query loop (`run_query`) against the demo
//! world through the `LogsInsights` trait, in paused time: each ends `Complete` with rows
//! that answer its question, and its statistics say what it scanned. A stopped query ends
//! `Cancelled` in the backend too.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;
use unstuck::insights::{InsightsJob, InsightsReport, InsightsUpdate, Reporter, run_query};
use unstuck::state::insights::SHIPPED_QUERIES;

use unstuck_aws::model::{DEFAULT_INSIGHTS_LIMIT, InsightsQuery, QueryResults, QueryStatus};
use unstuck_aws::sim::demo_backends;

async fn run(query: &str, cancel_after: Option<Duration>) -> Vec<InsightsUpdate> {
    let backends = demo_backends(42);
    let now = backends.clock.now_ms();
    let mut groups: Vec<String> = backends
        .logs
        .list_log_groups(Some("/aws/lambda/"))
        .await
        .unwrap()
        .into_iter()
        .map(|g| g.name)
        .collect();
    groups.truncate(50);
    let job = InsightsJob {
        job: 1,
        query: InsightsQuery {
            groups,
            start_ms: now - 10 * 60_000,
            end_ms: now,
            query: query.into(),
            limit: DEFAULT_INSIGHTS_LIMIT,
        },
    };
    let (tx, mut rx) = mpsc::channel::<InsightsReport>(64);
    let cancel = CancellationToken::new();
    let task = tokio::spawn(run_query(
        backends.insights.clone(),
        job,
        cancel.clone(),
        Reporter {
            tx,
            wrap: |r| r,
            calls: backends.calls.clone(),
        },
    ));
    if let Some(after) = cancel_after {
        tokio::time::sleep(after).await;
        cancel.cancel();
    }
    tokio::time::timeout(Duration::from_secs(60), task)
        .await
        .unwrap()
        .unwrap();
    let mut updates = Vec::new();
    while let Ok(report) = rx.try_recv() {
        assert_eq!(report.job, 1);
        updates.push(report.update);
    }
    // A query that ended is billed to the usage counters by what it scanned (the header's
    // $/h and `:usage`), once.
    let scanned = updates.iter().rev().find_map(|u| match u {
        InsightsUpdate::Results(r) if r.status.is_final() => Some(r.statistics.bytes_scanned),
        _ => None,
    });
    if let Some(bytes) = scanned {
        assert_eq!(
            backends.calls.billed().insights_bytes_scanned,
            bytes.max(0.0) as u64
        );
    }
    updates
}

fn last_results(updates: &[InsightsUpdate]) -> &QueryResults {
    updates
        .iter()
        .rev()
        .find_map(|u| match u {
            InsightsUpdate::Results(r) => Some(r),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no results in {updates:?}"))
}

fn shipped(name: &str) -> &'static str {
    SHIPPED_QUERIES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, q)| *q)
        .unwrap()
}

fn column(r: &QueryResults, name: &str) -> usize {
    r.columns
        .iter()
        .position(|c| c == name)
        .unwrap_or_else(|| panic!("no {name} in {:?}", r.columns))
}

#[tokio::test(start_paused = true)]
async fn every_shipped_query_runs_to_complete_on_the_demo_world() {
    for (name, query) in SHIPPED_QUERIES {
        let updates = run(query, None).await;
        assert!(matches!(&updates[0], InsightsUpdate::Started(id) if !id.is_empty()));
        assert!(
            updates.iter().any(
                |u| matches!(u, InsightsUpdate::Results(r) if r.status == QueryStatus::Running)
            ),
            "{name}: the demo shows a running state first"
        );
        let r = last_results(&updates);
        assert_eq!(r.status, QueryStatus::Complete, "{name}");
        assert!(!r.rows.is_empty(), "{name}: no rows");
        assert!(
            r.statistics.bytes_scanned > 100_000.0,
            "{name}: {:?}",
            r.statistics
        );
        assert!(r.statistics.records_scanned >= r.statistics.records_matched);
    }
}

#[tokio::test(start_paused = true)]
async fn the_saved_queries_answer_their_questions() {
    let errors = run(shipped("errors-by-function"), None).await;
    let r = last_results(&errors);
    let count = column(r, "errors");
    let counts: Vec<f64> = r
        .rows
        .iter()
        .map(|row| row[count].parse().unwrap())
        .collect();
    assert!(
        counts.windows(2).all(|w| w[0] >= w[1]),
        "sorted by errors: {counts:?}"
    );
    assert!(
        r.rows
            .iter()
            .all(|row| row[column(r, "@log")].contains(":/aws/lambda/"))
    );

    let cold = run(shipped("cold-starts"), None).await;
    let r = last_results(&cold);
    let avg = column(r, "avgInitMs");
    assert!(
        r.rows
            .iter()
            .all(|row| row[avg].parse::<f64>().unwrap() > 0.0)
    );

    let slow = run(shipped("slowest-invocations"), None).await;
    let r = last_results(&slow);
    let duration = column(r, "@duration");
    let ms: Vec<f64> = r
        .rows
        .iter()
        .map(|row| row[duration].parse().unwrap())
        .collect();
    assert!(ms.len() <= 25 && !ms.is_empty());
    assert!(ms.windows(2).all(|w| w[0] >= w[1]), "slowest first: {ms:?}");
    assert!(!r.rows[0][column(r, "@requestId")].is_empty());
}

#[tokio::test(start_paused = true)]
async fn a_cancelled_query_is_stopped_in_the_backend() {
    let updates = run("fields @message", Some(Duration::from_millis(700))).await;
    let r = last_results(&updates);
    assert_eq!(r.status, QueryStatus::Cancelled, "{updates:?}");
}

#[tokio::test(start_paused = true)]
async fn a_query_the_backend_refuses_ends_in_one_failure() {
    let updates = run("parse @message 'a*b' as x", None).await;
    assert_eq!(updates.len(), 1, "{updates:?}");
    let InsightsUpdate::Failed(error) = &updates[0] else {
        panic!("{updates:?}")
    };
    assert!(
        error.to_string().contains("unknown command parse"),
        "{error}"
    );
}
