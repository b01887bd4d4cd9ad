//! Live Tail mode of the tail engine, on the simulated world (paused time): back-fill plus
//! sessions with nothing missed or doubled, sessions re-opened when AWS ends them after 3 h,
//! and polling where Live Tail is not offered.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;
use unstuck::tail::{
    LiveState, LiveTailRun, RequestBudget, TailOptions, content_key, run_live_tail,
};
use unstuck::tail::{TailReport, TailSpec};
use unstuck_aws::api::{LiveTail, LiveTailSession, Logs, WallClock};
use unstuck_aws::model::{BackendError, FilterRequest, LiveTailRequest, LogEvent};
use unstuck_aws::sim::{SimLiveTail, SimWorld};

struct Collected {
    events: Vec<LogEvent>,
    live: Vec<LiveState>,
}

fn start(
    world: &Arc<SimWorld>,
    live: Arc<dyn LiveTail>,
    groups: &[String],
    backfill_ms: i64,
) -> (CancellationToken, tokio::task::JoinHandle<Collected>) {
    let (tx, mut rx) = mpsc::channel::<TailReport>(64);
    let cancel = CancellationToken::new();
    let run = LiveTailRun {
        live,
        logs: world.clone(),
        clock: world.clone(),
        budget: Arc::new(RequestBudget::new(5.0)),
        spec: TailSpec {
            tail_id: 9,
            groups: groups.to_vec(),
            backfill_ms,
            ..TailSpec::default()
        },
        options: TailOptions::default(),
    };
    tokio::spawn(run_live_tail(run, tx, cancel.clone()));
    let collector = tokio::spawn(async move {
        let mut c = Collected {
            events: Vec::new(),
            live: Vec::new(),
        };
        while let Some(report) = rx.recv().await {
            match report {
                TailReport::Events {
                    events, tail_id, ..
                } => {
                    assert_eq!(tail_id, 9);
                    c.events.extend(events);
                }
                TailReport::Live { state, .. } => c.live.push(state),
                TailReport::Failed { .. }
                | TailReport::Caught { .. }
                | TailReport::Progress { .. }
                | TailReport::Older { .. } => {}
            }
        }
        c
    });
    (cancel, collector)
}

async fn stop(
    cancel: CancellationToken,
    collector: tokio::task::JoinHandle<Collected>,
) -> Collected {
    cancel.cancel();
    tokio::time::timeout(Duration::from_secs(5), collector)
        .await
        .unwrap()
        .unwrap()
}

async fn truth(world: &SimWorld, group: &str, since: i64) -> Vec<LogEvent> {
    let mut all = Vec::new();
    let mut token = None;
    loop {
        let page = world
            .filter_log_events(&FilterRequest {
                group: group.into(),
                start_ms: since,
                next_token: token,
                ..FilterRequest::default()
            })
            .await
            .unwrap();
        all.extend(page.events);
        match page.next_token {
            Some(t) => token = Some(t),
            None => return all,
        }
    }
}

fn groups(world: &SimWorld, n: usize) -> Vec<String> {
    world
        .function_names()
        .iter()
        .take(n)
        .map(|f| format!("/aws/lambda/{f}"))
        .collect()
}

async fn assert_complete(
    world: &SimWorld,
    got: &[LogEvent],
    groups: &[String],
    since: i64,
    end: i64,
) {
    let mut counts: HashMap<String, usize> = HashMap::new();
    for e in got {
        *counts.entry(content_key(e)).or_default() += 1;
    }
    let doubled: Vec<_> = counts.iter().filter(|(_, n)| **n > 1).collect();
    assert!(
        doubled.is_empty(),
        "{} events delivered twice",
        doubled.len()
    );
    for group in groups {
        let due: Vec<LogEvent> = truth(world, group, since)
            .await
            .into_iter()
            .filter(|e| e.ingestion_time_ms < end - 5_000)
            .collect();
        let missed = due
            .iter()
            .filter(|e| !counts.contains_key(&content_key(e)))
            .count();
        assert_eq!(missed, 0, "{group}: {missed} of {} missed", due.len());
    }
}

#[tokio::test(start_paused = true)]
async fn live_tail_delivers_backfill_and_stream_once() {
    let world = SimWorld::new(21);
    let groups = groups(&world, 12); // two sessions: 10 + 2
    let since = world.now_ms() - 60_000;
    let (cancel, collector) = start(
        &world,
        Arc::new(SimLiveTail::new(world.clone())),
        &groups,
        60_000,
    );
    tokio::time::sleep(Duration::from_secs(120)).await;
    let end = world.now_ms();
    let got = stop(cancel, collector).await;
    assert!(got.live.contains(&LiveState::Streaming), "{:?}", got.live);
    assert!(
        world.calls().of("StartLiveTail") >= 2,
        "12 groups need two sessions"
    );
    assert_complete(&world, &got.events, &groups, since, end).await;
    let tailed: BTreeSet<&str> = got.events.iter().map(|e| e.group.as_str()).collect();
    assert_eq!(tailed.len(), 12);
}

#[tokio::test(start_paused = true)]
async fn sessions_are_reopened_when_aws_ends_them() {
    let world = SimWorld::new(22);
    let groups = groups(&world, 2);
    let (cancel, collector) = start(
        &world,
        Arc::new(SimLiveTail::new(world.clone())),
        &groups,
        10_000,
    );
    // Sessions end after 3 h; the engine opens a new one at once.
    tokio::time::sleep(Duration::from_secs(3 * 3600 + 120)).await;
    let got = stop(cancel, collector).await;
    assert!(
        got.live
            .iter()
            .any(|s| matches!(s, LiveState::Reopening(_))),
        "{:?}",
        got.live
    );
    assert!(world.calls().of("StartLiveTail") >= 2);
    let last = got.events.iter().map(|e| e.timestamp_ms).max().unwrap();
    assert!(
        last > world.now_ms() - 120_000,
        "events kept coming after the reopen"
    );
}

/// A region or endpoint without Live Tail.
struct NoLiveTail;

#[async_trait]
impl LiveTail for NoLiveTail {
    async fn start_live_tail(
        &self,
        _req: &LiveTailRequest,
    ) -> Result<Box<dyn LiveTailSession>, BackendError> {
        Err(BackendError::Unavailable(
            "StartLiveTail is not offered by this endpoint".into(),
        ))
    }
}

#[tokio::test(start_paused = true)]
async fn falls_back_to_polling_where_live_tail_is_unavailable() {
    let world = SimWorld::new(23);
    let groups = groups(&world, 3);
    let since = world.now_ms() - 30_000;
    let (cancel, collector) = start(&world, Arc::new(NoLiveTail), &groups, 30_000);
    tokio::time::sleep(Duration::from_secs(90)).await;
    let end = world.now_ms();
    let got = stop(cancel, collector).await;
    assert!(
        got.live
            .iter()
            .any(|s| matches!(s, LiveState::Polling(why) if why.contains("not offered"))),
        "{:?}",
        got.live
    );
    assert_complete(&world, &got.events, &groups, since, end - 10_000).await;
}

#[tokio::test(start_paused = true)]
async fn sampling_by_aws_is_reported() {
    let world = SimWorld::empty(24);
    world.create_log_group("/busy").unwrap();
    let groups = vec!["/busy".to_string()];
    let (cancel, collector) = start(
        &world,
        Arc::new(SimLiveTail::new(world.clone())),
        &groups,
        0,
    );
    tokio::time::sleep(Duration::from_secs(2)).await;
    // More than Live Tail's 500 events/s: AWS samples and says so.
    let now = world.now_ms();
    let burst: Vec<(i64, String)> = (0..2_000)
        .map(|i| (now + i / 10, format!("burst {i}")))
        .collect();
    world.put_log_events("/busy", "s", &burst).unwrap();
    tokio::time::sleep(Duration::from_secs(3)).await;
    let got = stop(cancel, collector).await;
    assert!(got.live.contains(&LiveState::Sampled), "{:?}", got.live);
    assert!(
        got.events.len() < 2_000,
        "a sampled session delivers a subset"
    );
}
