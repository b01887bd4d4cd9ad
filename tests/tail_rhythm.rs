//! The tail engine learns when batches land and polls just after them: against the simulated
//! world in paused time, with producers that flush once a second like a Lambda runtime.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;
use unstuck::tail::{RequestBudget, TailOptions, run_tail};
use unstuck::tail::{TailReport, TailSpec};
use unstuck_aws::api::WallClock;
use unstuck_aws::sim::SimWorld;

const GROUPS: [&str; 3] = ["/aws/lambda/a", "/aws/lambda/b", "/aws/lambda/c"];

/// Delivery latency (receipt − ingestion, ms) of every event, in order of receipt.
struct Delivered {
    latencies: Vec<(i64, i64)>,
    calls: u64,
}

/// Three groups flushing a batch every second (at the same phase) for `seconds`, tailed with
/// `calls_per_second`.
async fn tail_periodic_batches(calls_per_second: f64, seconds: i64) -> Delivered {
    let world = SimWorld::empty(7);
    for group in GROUPS {
        world.create_log_group(group).unwrap();
    }
    let producer = {
        let world = world.clone();
        tokio::spawn(async move {
            let start = world.now_ms();
            let started = tokio::time::Instant::now();
            for tick in 0..seconds {
                // A flush every second; each batch lands over ~40 ms, one stream at a time.
                let flush = started + Duration::from_secs(tick as u64 + 1);
                tokio::time::sleep_until(flush).await;
                for (g, group) in GROUPS.iter().enumerate() {
                    for stream in 0..4 {
                        let at = start + tick * 1_000;
                        let batch: Vec<(i64, String)> = (0..5)
                            .map(|i| (at + i * 100, format!("{group} {stream} {tick} {i}")))
                            .collect();
                        world
                            .put_log_events(group, &format!("s{g}{stream}"), &batch)
                            .unwrap();
                        tokio::time::sleep(Duration::from_millis(3)).await;
                    }
                }
            }
        })
    };
    let (tx, mut rx) = mpsc::channel::<TailReport>(64);
    let cancel = CancellationToken::new();
    let spec = TailSpec {
        tail_id: 1,
        groups: GROUPS.iter().map(|g| g.to_string()).collect(),
        backfill_ms: 0,
        ..TailSpec::default()
    };
    let before = world.calls().of("FilterLogEvents");
    tokio::spawn(run_tail(
        world.clone(),
        world.clone(),
        Arc::new(RequestBudget::new(calls_per_second)),
        spec,
        tx,
        cancel.clone(),
        TailOptions::default(),
    ));
    let mut latencies = Vec::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(seconds as u64 + 3);
    while let Ok(Some(report)) = tokio::time::timeout_at(deadline, rx.recv()).await {
        if let TailReport::Events { events, .. } = report {
            let now = world.now_ms();
            latencies.extend(events.iter().map(|e| (now, now - e.ingestion_time_ms)));
        }
    }
    cancel.cancel();
    producer.await.unwrap();
    Delivered {
        latencies,
        calls: world.calls().of("FilterLogEvents") - before,
    }
}

impl Delivered {
    /// Checks that every event of the run came, then gives the latencies of those delivered
    /// after the first 15 s (the rhythm is being learnt before that).
    fn settled_latencies(&self, seconds: i64) -> Vec<i64> {
        assert_eq!(
            self.latencies.len(),
            3 * 4 * 5 * seconds as usize,
            "every event once"
        );
        let start = self.latencies[0].0;
        self.latencies
            .iter()
            .filter(|(at, _)| at - start > 15_000)
            .map(|&(_, latency)| latency)
            .collect()
    }
}

fn percentile(mut values: Vec<i64>, p: usize) -> i64 {
    values.sort_unstable();
    values[(values.len() * p / 100).min(values.len() - 1)]
}

#[tokio::test(start_paused = true)]
async fn polls_land_just_after_each_batch_once_the_rhythm_is_learnt() {
    let seconds = 60;
    let got = tail_periodic_batches(3.0, seconds).await;
    // After a short learning phase, each batch is read about 100 ms after it landed, where
    // polling once a second at a random moment would wait 500 ms on average.
    let settled = got.settled_latencies(seconds);
    assert!(settled.len() > 2_000);
    let p95 = percentile(settled, 95);
    assert!(p95 <= 250, "p95 latency after learning: {p95} ms");
    // Inside the budget: 3 calls/s plus the bucket's slack.
    let limit = 3 * (seconds as u64 + 3) + 5;
    assert!(got.calls <= limit, "{} calls, limit {limit}", got.calls);
}

#[tokio::test(start_paused = true)]
async fn a_budget_short_of_one_call_per_batch_rotates_between_groups() {
    let seconds = 60;
    let got = tail_periodic_batches(2.0, seconds).await;
    let settled = got.settled_latencies(seconds);
    // Two calls a second for three groups: a group waits at most one extra batch.
    let max = settled.iter().copied().max().unwrap_or(0);
    assert!(max <= 1_700, "worst latency after learning: {max} ms");
    assert!(
        percentile(settled, 50) <= 300,
        "most batches still read right away"
    );
    let limit = 2 * (seconds as u64 + 3) + 4;
    assert!(got.calls <= limit, "{} calls, limit {limit}", got.calls);
}
