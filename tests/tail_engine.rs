//! The tail engine against the simulated world through the `Logs` trait, in paused time:
//! nothing missed, nothing twice, inside the request budget, through throttling.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use async_trait::async_trait;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;
use unstuck::tail::{RequestBudget, TailOptions, run_tail};
use unstuck::tail::{TailReport, TailSpec};
use unstuck_aws::api::{Logs, WallClock};
use unstuck_aws::model::{BackendError, FilterPage, FilterRequest, LogEvent, LogGroup};
use unstuck_aws::sim::SimWorld;

/// Collects what a tail delivered.
struct Collected {
    events: Vec<LogEvent>,
    failures: Vec<BackendError>,
}

fn start(
    logs: Arc<dyn Logs>,
    clock: Arc<dyn WallClock>,
    budget: Arc<RequestBudget>,
    spec: TailSpec,
) -> (CancellationToken, tokio::task::JoinHandle<Collected>) {
    let (tx, mut rx) = mpsc::channel::<TailReport>(64);
    let cancel = CancellationToken::new();
    tokio::spawn(run_tail(
        logs,
        clock,
        budget,
        spec,
        tx,
        cancel.clone(),
        TailOptions::default(),
    ));
    let collector = tokio::spawn(async move {
        let mut c = Collected {
            events: Vec::new(),
            failures: Vec::new(),
        };
        while let Some(report) = rx.recv().await {
            match report {
                TailReport::Events { events, .. } => c.events.extend(events),
                TailReport::Failed { error, .. } => c.failures.push(error),
                TailReport::Caught { .. }
                | TailReport::Live { .. }
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

fn spec(groups: &[&str], backfill_ms: i64) -> TailSpec {
    TailSpec {
        tail_id: 1,
        groups: groups.iter().map(|g| g.to_string()).collect(),
        backfill_ms,
        ..TailSpec::default()
    }
}

fn ids_once(events: &[LogEvent]) -> BTreeMap<(String, String), usize> {
    let mut seen = BTreeMap::new();
    for e in events {
        *seen
            .entry((e.group.clone(), e.event_id.clone()))
            .or_insert(0) += 1;
    }
    seen
}

fn assert_no_duplicates(events: &[LogEvent]) {
    let dups: Vec<_> = ids_once(events)
        .into_iter()
        .filter(|(_, n)| *n > 1)
        .collect();
    assert!(dups.is_empty(), "duplicates: {dups:?}");
}

/// Every event of the group with timestamp >= since that was ingested by `until`.
async fn ground_truth(world: &SimWorld, group: &str, since: i64) -> Vec<LogEvent> {
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

#[tokio::test(start_paused = true)]
async fn late_ingested_events_are_delivered_once_and_new_streams_are_picked_up() {
    let world = SimWorld::empty(1);
    world.create_log_group("/g").unwrap();
    let now = world.now_ms();
    world
        .put_log_events(
            "/g",
            "a",
            &[(now - 1_000, "a1".into()), (now - 500, "a2".into())],
        )
        .unwrap();
    let budget = Arc::new(RequestBudget::new(5.0));
    let (cancel, collector) = start(world.clone(), world.clone(), budget, spec(&["/g"], 60_000));
    tokio::time::sleep(Duration::from_secs(3)).await;
    let now = world.now_ms();
    world
        .put_log_events("/g", "a", &[(now, "a3".into())])
        .unwrap();
    tokio::time::sleep(Duration::from_secs(3)).await;
    // Ingested now, but stamped 8 s before events already delivered: a timestamp cursor misses it.
    let now = world.now_ms();
    world
        .put_log_events("/g", "b-new-stream", &[(now - 8_000, "late-b1".into())])
        .unwrap();
    // Later than the head look-back (5 s, nothing that late seen yet): the next sweep (every
    // 20 s, 60 s back) finds it.
    tokio::time::sleep(Duration::from_secs(25)).await;
    let got = stop(cancel, collector).await;
    let messages: Vec<&str> = got.events.iter().map(|e| e.message.as_str()).collect();
    for expected in ["a1", "a2", "a3", "late-b1"] {
        assert_eq!(
            messages.iter().filter(|m| **m == expected).count(),
            1,
            "{expected} in {messages:?}"
        );
    }
    assert_eq!(got.events.len(), 4);
}

#[tokio::test(start_paused = true)]
async fn every_page_is_followed() {
    let world = SimWorld::empty(2);
    world.create_log_group("/big").unwrap();
    let now = world.now_ms();
    let events: Vec<(i64, String)> = (0..15_000)
        .map(|i| (now - 50_000 + i64::from(i) * 2, format!("m{i}")))
        .collect();
    world.put_log_events("/big", "s", &events).unwrap();
    let budget = Arc::new(RequestBudget::new(5.0));
    let (cancel, collector) = start(
        world.clone(),
        world.clone(),
        budget,
        spec(&["/big"], 60_000),
    );
    tokio::time::sleep(Duration::from_secs(5)).await;
    let got = stop(cancel, collector).await;
    assert_eq!(got.events.len(), 15_000);
    assert_no_duplicates(&got.events);
    // 10,000 per page: the first poll needs two pages.
    assert!(world.calls().of("FilterLogEvents") >= 2);
}

/// Throttles every third call, like an account whose quota other tools also use.
struct Throttling {
    inner: Arc<SimWorld>,
    calls: AtomicU64,
}

#[async_trait]
impl Logs for Throttling {
    async fn list_log_groups(&self, prefix: Option<&str>) -> Result<Vec<LogGroup>, BackendError> {
        self.inner.list_log_groups(prefix).await
    }
    async fn filter_log_events(&self, req: &FilterRequest) -> Result<FilterPage, BackendError> {
        if self.calls.fetch_add(1, Ordering::SeqCst) % 3 == 2 {
            return Err(BackendError::Throttled {
                retry_after: None,
                message: "Rate exceeded".into(),
            });
        }
        self.inner.filter_log_events(req).await
    }
}

#[tokio::test(start_paused = true)]
async fn throttling_loses_nothing_and_is_reported() {
    let world = SimWorld::new(3);
    let groups: Vec<String> = world
        .function_names()
        .iter()
        .take(4)
        .map(|f| format!("/aws/lambda/{f}"))
        .collect();
    let refs: Vec<&str> = groups.iter().map(String::as_str).collect();
    let since = world.now_ms() - 60_000;
    let logs = Arc::new(Throttling {
        inner: world.clone(),
        calls: AtomicU64::new(0),
    });
    let budget = Arc::new(RequestBudget::new(5.0));
    let (cancel, collector) = start(logs, world.clone(), budget, spec(&refs, 60_000));
    tokio::time::sleep(Duration::from_secs(90)).await;
    let end = world.now_ms();
    let got = stop(cancel, collector).await;
    assert!(
        got.failures.iter().any(BackendError::is_throttling),
        "throttling should be reported"
    );
    assert_no_duplicates(&got.events);
    let delivered: HashMap<(String, String), usize> = ids_once(&got.events).into_iter().collect();
    for group in &groups {
        let truth = ground_truth(&world, group, since).await;
        // Events ingested in the last seconds may not have been polled yet.
        let missed: Vec<_> = truth
            .iter()
            .filter(|e| e.ingestion_time_ms < end - 20_000)
            .filter(|e| !delivered.contains_key(&(e.group.clone(), e.event_id.clone())))
            .collect();
        assert!(
            missed.is_empty(),
            "{group}: {} missed, e.g. {:?}",
            missed.len(),
            missed.first()
        );
    }
}

#[tokio::test(start_paused = true)]
async fn eighteen_groups_stay_inside_the_default_budget_with_nothing_missed() {
    let world = SimWorld::new(4);
    let groups: Vec<String> = world
        .function_names()
        .iter()
        .map(|f| format!("/aws/lambda/{f}"))
        .collect();
    assert_eq!(groups.len(), 18);
    let refs: Vec<&str> = groups.iter().map(String::as_str).collect();
    let since = world.now_ms() - 30_000;
    let before = world.calls().of("FilterLogEvents");
    let budget = Arc::new(RequestBudget::new(unstuck::tail::DEFAULT_CALLS_PER_SECOND));
    let (cancel, collector) = start(world.clone(), world.clone(), budget, spec(&refs, 30_000));
    let run = Duration::from_secs(180);
    tokio::time::sleep(run).await;
    let end = world.now_ms();
    let got = stop(cancel, collector).await;
    let calls = world.calls().of("FilterLogEvents") - before;
    // 1 call/s over 180 s, plus the burst of 1.5 calls.
    let rate = unstuck::tail::DEFAULT_CALLS_PER_SECOND;
    assert_eq!(rate, 1.0, "20% of the account's 5/s");
    assert!(calls <= 180 + 2, "{calls} FilterLogEvents calls in 180 s");
    assert!(calls >= 150, "the budget should be used, got {calls}");
    assert_no_duplicates(&got.events);
    let delivered: HashMap<(String, String), usize> = ids_once(&got.events).into_iter().collect();
    let mut total = 0;
    for group in &groups {
        let truth = ground_truth(&world, group, since).await;
        let due: Vec<_> = truth
            .iter()
            .filter(|e| e.ingestion_time_ms < end - 30_000)
            .collect();
        total += due.len();
        let missed = due
            .iter()
            .filter(|e| !delivered.contains_key(&(e.group.clone(), e.event_id.clone())))
            .count();
        assert_eq!(missed, 0, "{group}: {missed} of {} missed", due.len());
    }
    assert!(total > 5_000, "the world should have been busy: {total}");
}

#[tokio::test(start_paused = true)]
async fn a_bad_filter_pattern_is_reported_and_the_tail_keeps_running() {
    let world = SimWorld::empty(5);
    world.create_log_group("/g").unwrap();
    let budget = Arc::new(RequestBudget::new(5.0));
    let bad = TailSpec {
        filter_pattern: Some("{ $.level = ".into()),
        ..spec(&["/g"], 10_000)
    };
    let (cancel, collector) = start(world.clone(), world.clone(), budget, bad);
    tokio::time::sleep(Duration::from_secs(10)).await;
    let before = world.calls().of("FilterLogEvents");
    tokio::time::sleep(Duration::from_secs(30)).await;
    assert!(
        world.calls().of("FilterLogEvents") > before,
        "the tail must keep trying, backing off"
    );
    let got = stop(cancel, collector).await;
    assert!(
        matches!(got.failures.first(), Some(BackendError::InvalidInput(m)) if m.contains("filter pattern")),
        "{:?}",
        got.failures
    );
}
