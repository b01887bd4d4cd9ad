//! The demo world's live tail: timing, the 3-hour end, sampling, filters, and agreement with
//! FilterLogEvents. All under paused tokio time.

use std::time::Duration;

use super::*;
use crate::api::{Logs, WallClock};
use crate::model::MAX_LIVE_TAIL_GROUPS;
use crate::sim::{DEMO_ACCOUNT, DEMO_REGION, HISTORY_MS, backends_for};

const GROUP: &str = "/test/app";

async fn open(world: &Arc<SimWorld>, req: &LiveTailRequest) -> Box<dyn LiveTailSession> {
    match SimLiveTail::new(Arc::clone(world))
        .start_live_tail(req)
        .await
    {
        Ok(session) => session,
        Err(e) => panic!("start_live_tail failed: {e}"),
    }
}

async fn next(session: &mut Box<dyn LiveTailSession>) -> Option<LiveTailUpdate> {
    match session.next().await {
        Ok(update) => update,
        Err(e) => panic!("next failed: {e}"),
    }
}

fn put(world: &SimWorld, stream: &str, events: &[(i64, &str)]) {
    let events: Vec<_> = events.iter().map(|(t, m)| (*t, (*m).to_string())).collect();
    if let Err(e) = world.put_log_events(GROUP, stream, &events) {
        panic!("put failed: {e}");
    }
}

fn test_world() -> Arc<SimWorld> {
    let world = SimWorld::empty(1);
    if let Err(e) = world.create_log_group(GROUP) {
        panic!("{e}");
    }
    world
}

fn messages(update: &Option<LiveTailUpdate>) -> Vec<String> {
    match update {
        Some(LiveTailUpdate::Events { events, .. }) => {
            events.iter().map(|e| e.message.clone()).collect()
        }
        other => panic!("expected events, got {other:?}"),
    }
}

#[tokio::test(start_paused = true)]
async fn events_arrive_after_their_ingestion_and_the_session_ends_after_three_hours() {
    let world = test_world();
    let t0 = world.now_ms();
    let mut session = open(&world, &LiveTailRequest::for_groups([GROUP])).await;
    assert_eq!(
        next(&mut session).await,
        Some(LiveTailUpdate::Started {
            session_id: "sim-live-tail-0001".into(),
            groups: vec![GROUP.into()],
        })
    );
    tokio::time::advance(Duration::from_millis(300)).await;
    put(&world, "s1", &[(t0 + 290, "one"), (t0 + 280, "zero")]);
    let update = next(&mut session).await;
    // Delivered by the next poll (every 500 ms), ordered by event time.
    assert_eq!(world.now_ms(), t0 + 500);
    assert_eq!(messages(&update), ["zero", "one"]);
    let Some(LiveTailUpdate::Events { events, sampled }) = &update else {
        unreachable!()
    };
    assert!(!sampled);
    assert!(
        events
            .iter()
            .all(|e| e.group == GROUP && e.ingestion_time_ms == t0 + 300)
    );
    let polled = match world
        .filter_log_events(&FilterRequest {
            group: GROUP.into(),
            ..FilterRequest::default()
        })
        .await
    {
        Ok(page) => page.events,
        Err(e) => panic!("{e}"),
    };
    assert_eq!(events, &polled);

    // Just before the end, then after it: only what was ingested in time arrives.
    tokio::time::advance(Duration::from_millis(3 * 3600 * 1000 - 1_500)).await;
    put(&world, "s2", &[(t0 + 10_795_000, "last")]);
    assert_eq!(messages(&next(&mut session).await), ["last"]);
    tokio::time::advance(Duration::from_millis(1_300)).await;
    put(&world, "s2", &[(world.now_ms(), "too late")]);
    let Some(LiveTailUpdate::Ended { reason }) = next(&mut session).await else {
        panic!("no end");
    };
    assert!(reason.contains("3 hours"), "{reason}");
    assert_eq!(next(&mut session).await, None);
}

#[tokio::test(start_paused = true)]
async fn an_idle_session_ends_on_time() {
    let world = test_world();
    let t0 = world.now_ms();
    let mut session = open(&world, &LiveTailRequest::for_groups([GROUP])).await;
    assert!(matches!(
        next(&mut session).await,
        Some(LiveTailUpdate::Started { .. })
    ));
    assert!(matches!(
        next(&mut session).await,
        Some(LiveTailUpdate::Ended { .. })
    ));
    assert_eq!(world.now_ms(), t0 + LIVE_TAIL_SESSION_MS);
}

#[tokio::test(start_paused = true)]
async fn the_demo_world_tails_what_filter_log_events_returns() {
    let world = SimWorld::new(42);
    let groups: Vec<String> = world
        .function_names()
        .iter()
        .take(MAX_LIVE_TAIL_GROUPS)
        .map(|f| format!("/aws/lambda/{f}"))
        .collect();
    let t0 = world.now_ms();
    let mut session = open(&world, &LiveTailRequest::for_groups(groups.clone())).await;
    assert!(matches!(
        next(&mut session).await,
        Some(LiveTailUpdate::Started { .. })
    ));
    let mut tailed = Vec::new();
    let mut updates = 0;
    while world.now_ms() < t0 + 120_000 {
        match next(&mut session).await {
            Some(LiveTailUpdate::Events { events, sampled }) => {
                assert!(!sampled);
                assert!(!events.is_empty());
                updates += 1;
                tailed.extend(events);
            }
            other => panic!("{other:?}"),
        }
    }
    let t_end = world.now_ms();
    assert!(updates >= 100, "{updates} updates in 2 minutes");

    let mut polled = Vec::new();
    for group in &groups {
        let mut req = FilterRequest {
            group: group.clone(),
            // All history, not just the session's look-back.
            start_ms: t0 - HISTORY_MS,
            ..FilterRequest::default()
        };
        loop {
            let page = match world.filter_log_events(&req).await {
                Ok(page) => page,
                Err(e) => panic!("{e}"),
            };
            polled.extend(
                page.events
                    .into_iter()
                    .filter(|e| e.ingestion_time_ms > t0 && e.ingestion_time_ms <= t_end),
            );
            match page.next_token {
                Some(token) => req.next_token = Some(token),
                None => break,
            }
        }
    }
    assert!(polled.len() > 500, "{} events", polled.len());
    let key = |e: &LogEvent| (e.group.clone(), e.event_id.clone());
    tailed.sort_by_key(key);
    polled.sort_by_key(key);
    assert_eq!(tailed, polled);
}

#[tokio::test(start_paused = true)]
async fn same_seed_same_session() {
    let mut runs = Vec::new();
    for _ in 0..2 {
        let world = SimWorld::new(7);
        let req = LiveTailRequest::for_groups(["/aws/lambda/tax-calculate-refund"]);
        let mut session = open(&world, &req).await;
        let mut seen = Vec::new();
        for _ in 0..20 {
            seen.push(next(&mut session).await);
        }
        runs.push(seen);
    }
    assert_eq!(runs[0], runs[1]);
}

#[tokio::test(start_paused = true)]
async fn above_500_events_a_second_it_samples() {
    let world = test_world();
    let t0 = world.now_ms();
    let mut session = open(&world, &LiveTailRequest::for_groups([GROUP])).await;
    next(&mut session).await;
    tokio::time::advance(Duration::from_millis(100)).await;
    let lines: Vec<(i64, String)> = (0..1_000).map(|i| (t0 + i, format!("line {i}"))).collect();
    let lines: Vec<(i64, &str)> = lines.iter().map(|(t, m)| (*t, m.as_str())).collect();
    put(&world, "busy", &lines);
    let Some(LiveTailUpdate::Events { events, sampled }) = next(&mut session).await else {
        panic!("no events");
    };
    assert!(sampled);
    // One poll covers 500 ms: 250 events at most, spread over the whole second.
    assert_eq!(events.len(), 250);
    assert_eq!(events[0].message, "line 0");
    assert_eq!(events[1].message, "line 4");
    assert_eq!(events[249].message, "line 996");
}

#[tokio::test(start_paused = true)]
async fn stream_prefixes_and_filter_patterns_apply() {
    let world = test_world();
    let t0 = world.now_ms();
    let req = LiveTailRequest {
        stream_prefixes: vec!["api/".into(), "worker/".into()],
        filter_pattern: Some("ERROR".into()),
        ..LiveTailRequest::for_groups([GROUP])
    };
    let mut session = open(&world, &req).await;
    next(&mut session).await;
    tokio::time::advance(Duration::from_millis(100)).await;
    put(&world, "api/1", &[(t0, "ERROR in api"), (t0, "fine")]);
    put(&world, "worker/1", &[(t0 + 1, "ERROR in worker")]);
    put(&world, "cron/1", &[(t0 + 2, "ERROR in cron")]);
    assert_eq!(
        messages(&next(&mut session).await),
        ["ERROR in api", "ERROR in worker"]
    );
}

#[tokio::test(start_paused = true)]
async fn bad_requests_fail_at_start_and_every_start_is_counted() {
    let world = test_world();
    let tail = SimLiveTail::new(Arc::clone(&world));
    let err = |req: LiveTailRequest| {
        let tail = &tail;
        async move {
            match tail.start_live_tail(&req).await {
                Ok(_) => panic!("{req:?} opened"),
                Err(e) => e,
            }
        }
    };
    let missing = err(LiveTailRequest::for_groups(["/nope"])).await;
    assert!(matches!(missing, BackendError::NotFound(_)), "{missing:?}");
    let pattern = LiveTailRequest {
        filter_pattern: Some("{ $.a = ".into()),
        ..LiveTailRequest::for_groups([GROUP])
    };
    assert!(matches!(err(pattern).await, BackendError::InvalidInput(_)));
    let many = LiveTailRequest::for_groups((0..11).map(|i| format!("/g/{i}")));
    assert!(matches!(err(many).await, BackendError::InvalidInput(_)));
    assert_eq!(world.calls().of("StartLiveTail"), 3);

    // An ARN names its group; events carry the entry as requested.
    let arn = format!("arn:aws:logs:{DEMO_REGION}:{DEMO_ACCOUNT}:log-group:{GROUP}:*");
    let backends = backends_for(Arc::clone(&world));
    let mut session = match backends
        .live_tail
        .start_live_tail(&LiveTailRequest::for_groups([arn.clone()]))
        .await
    {
        Ok(s) => s,
        Err(e) => panic!("{e}"),
    };
    next(&mut session).await;
    tokio::time::advance(Duration::from_millis(100)).await;
    put(&world, "s", &[(world.now_ms(), "via arn")]);
    let Some(LiveTailUpdate::Events { events, .. }) = next(&mut session).await else {
        panic!("no events");
    };
    assert_eq!(events[0].group, arn);
    assert_eq!(world.calls().of("StartLiveTail"), 4);
}
