//! The tail engine in paused time against the simulated world: events ingested late (10 s to
//! 15 min after their timestamp) are each delivered once, within about two minutes of their
//! ingestion; quiet groups back off so an idle tail spends a small part of the budget, a
//! burst in a quiet group still shows within that back-off, and traffic starting in many quiet
//! groups at once wakes them all when the first is seen.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;
use unstuck::tail::{DEFAULT_CALLS_PER_SECOND, RequestBudget, TailOptions, run_tail};
use unstuck::tail::{TailReport, TailSpec};
use unstuck_aws::api::WallClock;
use unstuck_aws::model::LogEvent;
use unstuck_aws::sim::SimWorld;

/// Every event delivered, with the world's time when it arrived.
type Deliveries = Arc<Mutex<Vec<(i64, LogEvent)>>>;

fn tail(world: &Arc<SimWorld>, groups: &[String]) -> (CancellationToken, Deliveries) {
    let (tx, mut rx) = mpsc::channel::<TailReport>(64);
    let cancel = CancellationToken::new();
    let spec = TailSpec {
        tail_id: 1,
        groups: groups.to_vec(),
        backfill_ms: 60_000,
        ..TailSpec::default()
    };
    tokio::spawn(run_tail(
        world.clone(),
        world.clone(),
        Arc::new(RequestBudget::new(DEFAULT_CALLS_PER_SECOND)),
        spec,
        tx,
        cancel.clone(),
        TailOptions::default(),
    ));
    let delivered: Deliveries = Arc::default();
    let sink = Arc::clone(&delivered);
    let clock = world.clone();
    tokio::spawn(async move {
        while let Some(report) = rx.recv().await {
            if let TailReport::Events { events, .. } = report {
                let now = clock.now_ms();
                let mut sink = sink.lock().unwrap();
                sink.extend(events.into_iter().map(|e| (now, e)));
            }
        }
    });
    (cancel, delivered)
}

fn quiet_groups(world: &Arc<SimWorld>, n: usize) -> Vec<String> {
    (0..n)
        .map(|i| {
            let name = format!("/aws/lambda/quiet-{i:02}");
            world.create_log_group(&name).unwrap();
            name
        })
        .collect()
}

#[tokio::test(start_paused = true)]
async fn late_events_up_to_fifteen_minutes_are_delivered_once_within_two_minutes() {
    let world = SimWorld::empty(11);
    let groups = quiet_groups(&world, 3);
    // A steady trickle in the first group, so its head window keeps moving.
    let busy = groups[0].clone();
    let producer = {
        let world = world.clone();
        tokio::spawn(async move {
            for i in 0..2_400 {
                let now = world.now_ms();
                world
                    .put_log_events(&busy, "steady", &[(now, format!("steady {i}"))])
                    .unwrap();
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        })
    };
    let (cancel, delivered) = tail(&world, &groups);
    // No tail reaches before its start: run long enough that 15 minutes back is inside it.
    tokio::time::sleep(Duration::from_secs(15 * 60 + 20)).await;
    // Late events of every horizon, in every group, spread over the run.
    let horizons_s = [10, 45, 59, 90, 200, 240, 600, 890];
    let mut put: Vec<(String, i64, i64)> = Vec::new();
    for (k, late_s) in horizons_s.iter().enumerate() {
        for (g, group) in groups.iter().enumerate() {
            let now = world.now_ms();
            let message = format!("late {late_s}s in {g}");
            world
                .put_log_events(group, "late", &[(now - late_s * 1_000, message.clone())])
                .unwrap();
            put.push((message, now, *late_s));
            tokio::time::sleep(Duration::from_millis(7_300 + 900 * k as u64)).await;
        }
    }
    tokio::time::sleep(Duration::from_secs(130)).await;
    cancel.cancel();
    producer.abort();
    let delivered = delivered.lock().unwrap();
    for (message, ingested, late_s) in &put {
        let got: Vec<i64> = delivered
            .iter()
            .filter(|(_, e)| &e.message == message)
            .map(|(at, _)| *at)
            .collect();
        assert_eq!(
            got.len(),
            1,
            "{message} (late {late_s} s) delivered {got:?}"
        );
        let took = got[0] - ingested;
        assert!(
            took <= 120_000,
            "{message}: delivered {took} ms after ingestion"
        );
    }
    let steady = delivered
        .iter()
        .filter(|(_, e)| e.message.starts_with("steady"))
        .count();
    let mut ids: Vec<&str> = delivered.iter().map(|(_, e)| e.event_id.as_str()).collect();
    let all = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), all, "no event twice");
    assert!(steady > 200, "the steady events keep coming: {steady}");
}

/// Calls per second of a tail of `n` groups where nothing happens, over ten minutes.
async fn idle_calls_per_second(n: usize) -> f64 {
    let world = SimWorld::empty(12);
    let groups = quiet_groups(&world, n);
    let (cancel, _) = tail(&world, &groups);
    // The first minute backs off; then measure.
    tokio::time::sleep(Duration::from_secs(60)).await;
    let before = world.calls().of("FilterLogEvents");
    tokio::time::sleep(Duration::from_secs(600)).await;
    let calls = world.calls().of("FilterLogEvents") - before;
    cancel.cancel();
    calls as f64 / 600.0
}

#[tokio::test(start_paused = true)]
async fn an_idle_tail_spends_a_small_part_of_the_budget() {
    let two = idle_calls_per_second(2).await;
    // Each quiet group every 5 s.
    assert!(
        (0.3..=0.45).contains(&two),
        "2 quiet groups: {two:.2} calls/s"
    );
    let eighteen = idle_calls_per_second(18).await;
    eprintln!("idle tail: 2 quiet groups {two:.3} calls/s, 18 quiet groups {eighteen:.3} calls/s");
    // 0.4 calls/s for all quiet groups together (40% of the default 1 call/s).
    assert!(
        (0.3..=0.5).contains(&eighteen),
        "18 quiet groups: {eighteen:.2} calls/s"
    );
}

/// The bench's shape (`scripts/bench/tail_late_idle.py`): 18 empty groups, the second
/// minute of the tail. At 1 call/s each group is polled every 18 s at first; backing off by
/// polls alone took minutes (0.80 calls/s measured in that minute), by time quiet it settles
/// within it.
#[tokio::test(start_paused = true)]
async fn a_new_tail_of_quiet_groups_settles_within_two_minutes_at_the_default_budget() {
    let world = SimWorld::empty(15);
    let groups = quiet_groups(&world, 18);
    let (cancel, _) = tail(&world, &groups);
    tokio::time::sleep(Duration::from_secs(60)).await;
    let before = world.calls().of("FilterLogEvents");
    tokio::time::sleep(Duration::from_secs(60)).await;
    let calls = world.calls().of("FilterLogEvents") - before;
    cancel.cancel();
    eprintln!("18 quiet groups, second minute: {calls} calls");
    assert!(
        calls <= 30,
        "{calls} calls in the second minute (0.5/s is 30)"
    );
}

#[tokio::test(start_paused = true)]
async fn a_burst_in_a_quiet_group_shows_within_the_back_off() {
    let world = SimWorld::empty(13);
    let groups = quiet_groups(&world, 2);
    let (cancel, delivered) = tail(&world, &groups);
    tokio::time::sleep(Duration::from_secs(120)).await;
    let at = world.now_ms();
    let burst: Vec<(i64, String)> = (0..50).map(|i| (at, format!("burst {i}"))).collect();
    world.put_log_events(&groups[1], "s", &burst).unwrap();
    tokio::time::sleep(Duration::from_secs(8)).await;
    cancel.cancel();
    let delivered = delivered.lock().unwrap();
    let arrivals: Vec<i64> = delivered
        .iter()
        .filter(|(_, e)| e.message.starts_with("burst"))
        .map(|(when, _)| when - at)
        .collect();
    assert_eq!(arrivals.len(), 50);
    assert!(
        arrivals.iter().all(|&took| took <= 5_500),
        "burst shown after {arrivals:?} ms"
    );
}

#[tokio::test(start_paused = true)]
async fn traffic_starting_in_many_quiet_groups_wakes_them_together() {
    let world = SimWorld::empty(14);
    let groups = quiet_groups(&world, 18);
    let (cancel, delivered) = tail(&world, &groups);
    // Long enough for every group to back off to its ~45 s share of the quiet budget.
    tokio::time::sleep(Duration::from_secs(180)).await;
    let at = world.now_ms();
    for group in &groups {
        world
            .put_log_events(group, "s", &[(at, format!("wave in {group}"))])
            .unwrap();
    }
    tokio::time::sleep(Duration::from_secs(60)).await;
    cancel.cancel();
    let delivered = delivered.lock().unwrap();
    let mut arrivals: Vec<i64> = delivered
        .iter()
        .filter(|(_, e)| e.message.starts_with("wave"))
        .map(|(when, _)| when - at)
        .collect();
    arrivals.sort_unstable();
    assert_eq!(arrivals.len(), 18, "{arrivals:?}");
    // The first quiet poll after the wave sees it (the 18 share 0.4 calls/s: ~2.5 s apart);
    // the other 17 are polled at once, inside the default 1 call/s budget: ~17 s more.
    // Without the wake-up each would wait for its own poll, up to ~45 s.
    let slowest = arrivals[17];
    eprintln!("wave over 18 quiet groups shown after {arrivals:?} ms");
    assert!(slowest <= 22_000, "wave shown after {arrivals:?} ms");
}

#[tokio::test(start_paused = true)]
async fn quiet_groups_are_polled_at_spread_moments_so_new_traffic_is_seen_early() {
    // Three quiet groups at the default 1 call/s: each is checked every 7.5 s (0.4 calls/s
    // for all three). Polled together, traffic starting just after their poll would wait
    // 7.5 s; spread over the round, the first sees it within 2.5 s and wakes the others,
    // polled a second apart.
    let mut slowest = Vec::new();
    for (seed, offset_ms) in [(21, 300), (22, 1_700), (23, 3_100), (24, 5_900)] {
        let world = SimWorld::empty(seed);
        let groups = quiet_groups(&world, 3);
        let (cancel, delivered) = tail(&world, &groups);
        tokio::time::sleep(Duration::from_millis(90_000 + offset_ms)).await;
        let at = world.now_ms();
        for group in &groups {
            world
                .put_log_events(group, "s", &[(at, format!("start in {group}"))])
                .unwrap();
        }
        tokio::time::sleep(Duration::from_secs(15)).await;
        cancel.cancel();
        let delivered = delivered.lock().unwrap();
        let arrivals: Vec<i64> = delivered
            .iter()
            .filter(|(_, e)| e.message.starts_with("start"))
            .map(|(when, _)| when - at)
            .collect();
        assert_eq!(arrivals.len(), 3, "{arrivals:?}");
        slowest.push(arrivals.into_iter().max().unwrap());
    }
    eprintln!("3 quiet groups: traffic in all shown after at most {slowest:?} ms");
    assert!(
        slowest.iter().all(|&ms| ms <= 4_500),
        "slowest per start moment: {slowest:?} ms"
    );
}
