//! The world's determinism, clock and CloudWatch semantics.

use std::collections::BTreeSet;
use std::time::Duration;

use super::*;
use crate::api::Logs;
use crate::model::{FilterRequest, LogEvent};

const REFUND: &str = "/aws/lambda/tax-calculate-refund";

fn request(group: &str) -> FilterRequest {
    FilterRequest {
        group: group.to_owned(),
        ..FilterRequest::default()
    }
}

/// Every page of `req`, following tokens.
async fn all_pages(world: &SimWorld, mut req: FilterRequest) -> Vec<LogEvent> {
    let mut events = Vec::new();
    loop {
        let page = match world.filter_log_events(&req).await {
            Ok(page) => page,
            Err(e) => panic!("filter failed: {e}"),
        };
        events.extend(page.events);
        match page.next_token {
            Some(token) => req.next_token = Some(token),
            None => return events,
        }
    }
}

/// Every visible event of every group.
async fn everything(world: &SimWorld) -> Vec<LogEvent> {
    let mut events = Vec::new();
    for name in world.function_names() {
        events.extend(all_pages(world, request(&format!("/aws/lambda/{name}"))).await);
    }
    events
}

async fn advance_s(seconds: u64) {
    tokio::time::advance(Duration::from_secs(seconds)).await;
}

#[tokio::test(start_paused = true)]
async fn same_seed_same_events_however_often_it_is_queried() {
    let eager = SimWorld::new(42);
    let lazy = SimWorld::new(42);
    for _ in 0..90 {
        advance_s(1).await;
        let _ = eager.filter_log_events(&request(REFUND)).await;
        let _ = eager.list_log_groups(None).await;
    }
    let late = SimWorld::new(42);
    advance_s(90).await;
    let eager_events = everything(&eager).await;
    assert!(eager_events.len() > 10_000, "{} events", eager_events.len());
    assert_eq!(eager_events, everything(&lazy).await);
    // A world created later sees the same thing at the same simulated time.
    assert_eq!(
        all_pages(&late, request(REFUND)).await,
        all_pages(
            &eager,
            FilterRequest {
                end_ms: Some(late.now_ms()),
                ..request(REFUND)
            }
        )
        .await
        .into_iter()
        .filter(|e| e.ingestion_time_ms <= late.now_ms())
        .collect::<Vec<_>>()
    );
}

#[tokio::test(start_paused = true)]
async fn different_seeds_give_different_worlds() {
    let one = all_pages(&SimWorld::new(1), request(REFUND)).await;
    let two = all_pages(&SimWorld::new(2), request(REFUND)).await;
    assert_ne!(one, two);
}

#[tokio::test(start_paused = true)]
async fn history_fills_the_ten_minutes_before_now() {
    let world = SimWorld::new(7);
    let now = world.now_ms();
    assert_eq!(now, DEMO_EPOCH_MS);
    let events = everything(&world).await;
    let oldest = events.iter().map(|e| e.timestamp_ms).min().unwrap_or(now);
    assert!(
        oldest < now - HISTORY_MS + 5_000,
        "history starts at {oldest}"
    );
    assert!(events.iter().all(|e| e.ingestion_time_ms <= now));
    assert!(
        events.len() > 15_000,
        "{} events in ten minutes",
        events.len()
    );
}

#[tokio::test(start_paused = true)]
async fn advancing_time_reveals_new_events() {
    let world = SimWorld::new(3);
    let before = everything(&world).await;
    let newest_before = before.iter().map(|e| e.timestamp_ms).max().unwrap_or(0);
    advance_s(120).await;
    let after = everything(&world).await;
    assert!(
        after.len() > before.len() + 1_000,
        "{} -> {}",
        before.len(),
        after.len()
    );
    let newest_after = after.iter().map(|e| e.timestamp_ms).max().unwrap_or(0);
    assert!(newest_after > newest_before + 100_000);
    assert!(after.iter().all(|e| e.ingestion_time_ms <= world.now_ms()));
}

#[tokio::test(start_paused = true)]
async fn late_ingested_events_appear_only_after_their_ingestion_time() {
    let world = SimWorld::new(5);
    let mut late = Vec::new();
    for _ in 0..6 {
        let cutoff = world.now_ms();
        let seen: BTreeSet<String> = everything(&world)
            .await
            .into_iter()
            .map(|e| e.event_id)
            .collect();
        advance_s(25).await;
        let arrived: Vec<LogEvent> = everything(&world)
            .await
            .into_iter()
            .filter(|e| e.timestamp_ms <= cutoff && !seen.contains(&e.event_id))
            .collect();
        assert!(arrived.iter().all(|e| e.ingestion_time_ms > cutoff));
        late.extend(arrived);
    }
    assert!(
        late.iter()
            .any(|e| e.ingestion_time_ms - e.timestamp_ms >= 5_000),
        "some events arrive 5-20 s late"
    );
    assert!(
        late.len() > 20,
        "{} events arrived after a cutoff",
        late.len()
    );
    let delays: Vec<i64> = everything(&world)
        .await
        .iter()
        .map(|e| e.ingestion_time_ms - e.timestamp_ms)
        .collect();
    assert!(delays.iter().all(|d| (200..=20_000).contains(d)));
    let slow = delays.iter().filter(|d| **d > 2_500).count();
    assert!(
        slow * 1000 < delays.len() * 25 && slow * 1000 > delays.len() * 3,
        "{slow} of {}",
        delays.len()
    );
}

#[tokio::test(start_paused = true)]
async fn pagination_returns_every_event_exactly_once_in_order() {
    let world = SimWorld::new(9);
    let whole = all_pages(&world, request(REFUND)).await;
    let paged = all_pages(
        &world,
        FilterRequest {
            limit: Some(137),
            ..request(REFUND)
        },
    )
    .await;
    assert_eq!(whole, paged);
    let ids: BTreeSet<&str> = paged.iter().map(|e| e.event_id.as_str()).collect();
    assert_eq!(ids.len(), paged.len());
    assert!(
        paged
            .windows(2)
            .all(|w| w[0].timestamp_ms <= w[1].timestamp_ms)
    );
    let first = world
        .filter_log_events(&FilterRequest {
            limit: Some(10),
            ..request(REFUND)
        })
        .await;
    assert!(matches!(first, Ok(ref page) if page.events.len() == 10 && page.next_token.is_some()));
}

#[tokio::test(start_paused = true)]
async fn limits_and_tokens_are_validated() {
    let world = SimWorld::new(9);
    for limit in [0, -1, 10_001] {
        let result = world
            .filter_log_events(&FilterRequest {
                limit: Some(limit),
                ..request(REFUND)
            })
            .await;
        assert!(
            matches!(result, Err(BackendError::InvalidInput(_))),
            "{limit}"
        );
    }
    let bad_token = world
        .filter_log_events(&FilterRequest {
            next_token: Some("garbage".to_owned()),
            ..request(REFUND)
        })
        .await;
    assert!(matches!(bad_token, Err(BackendError::InvalidInput(_))));
    let default_page = world.filter_log_events(&request(REFUND)).await;
    assert!(matches!(default_page, Ok(ref p) if p.next_token.is_none()));
}

#[tokio::test(start_paused = true)]
async fn time_range_and_streams_restrict() {
    let world = SimWorld::new(11);
    let all = all_pages(&world, request(REFUND)).await;
    let streams: BTreeSet<&str> = all.iter().map(|e| e.stream.as_str()).collect();
    assert!(streams.len() >= 2, "{streams:?}");
    let Some(&chosen) = streams.iter().next() else {
        return;
    };
    let only = all_pages(
        &world,
        FilterRequest {
            stream_names: vec![chosen.to_owned()],
            ..request(REFUND)
        },
    )
    .await;
    assert!(!only.is_empty() && only.iter().all(|e| e.stream == chosen));
    assert_eq!(
        only.len(),
        all.iter().filter(|e| e.stream == chosen).count()
    );
    let by_prefix = all_pages(
        &world,
        FilterRequest {
            stream_prefix: Some(chosen[..chosen.len() - 4].to_owned()),
            ..request(REFUND)
        },
    )
    .await;
    assert_eq!(by_prefix, only);

    let (start, end) = (DEMO_EPOCH_MS - 120_000, DEMO_EPOCH_MS - 60_000);
    let window = all_pages(
        &world,
        FilterRequest {
            start_ms: start,
            end_ms: Some(end),
            ..request(REFUND)
        },
    )
    .await;
    let expected: Vec<&LogEvent> = all
        .iter()
        .filter(|e| (start..=end).contains(&e.timestamp_ms))
        .collect();
    assert_eq!(window.iter().collect::<Vec<_>>(), expected);
}

#[tokio::test(start_paused = true)]
async fn filter_patterns_apply_to_the_world() {
    let world = SimWorld::new(13);
    let with = |pattern: &str| FilterRequest {
        filter_pattern: Some(pattern.to_owned()),
        ..request(REFUND)
    };
    let errors = all_pages(&world, with(r#"{ $.level = "ERROR" }"#)).await;
    assert!(!errors.is_empty());
    assert!(
        errors
            .iter()
            .all(|e| e.message.starts_with("{\"level\":\"ERROR\""))
    );
    let cold = all_pages(&world, with("REPORT \"Init Duration\"")).await;
    assert!(
        !cold.is_empty()
            && cold
                .iter()
                .all(|e| e.message.starts_with("REPORT RequestId: "))
    );
    let either = all_pages(&world, with(r#"?"START RequestId" ?"END RequestId""#)).await;
    assert!(
        either
            .iter()
            .all(|e| e.message.starts_with("START") || e.message.starts_with("END"))
    );
    let not_platform = all_pages(&world, with("RequestId -START -END -REPORT")).await;
    assert!(
        not_platform.is_empty(),
        "only platform lines say RequestId in Java's JSON"
    );
    let bad = world.filter_log_events(&with("{ $.level = ")).await;
    assert!(
        matches!(bad, Err(BackendError::InvalidInput(m)) if m.contains("invalid filter pattern"))
    );
}

#[tokio::test(start_paused = true)]
async fn missing_group_is_not_found() {
    let world = SimWorld::new(1);
    let result = world.filter_log_events(&request("/x")).await;
    assert_eq!(
        result,
        Err(BackendError::NotFound(
            "log group /x does not exist".to_owned()
        ))
    );
}

#[tokio::test(start_paused = true)]
async fn log_groups_are_listed_sorted_with_a_prefix_filter() {
    let world = SimWorld::new(1);
    let groups = world.list_log_groups(None).await.unwrap_or_default();
    assert_eq!(groups.len(), 18);
    let names: Vec<&str> = groups.iter().map(|g| g.name.as_str()).collect();
    let mut sorted = names.clone();
    sorted.sort_unstable();
    assert_eq!(names, sorted);
    let refund = world
        .list_log_groups(Some("/aws/lambda/tax-calc"))
        .await
        .unwrap_or_default();
    assert_eq!(refund.len(), 1);
    assert_eq!(refund[0].name, REFUND);
    assert!(
        world
            .list_log_groups(Some("/nope"))
            .await
            .unwrap_or_default()
            .is_empty()
    );
}

#[tokio::test(start_paused = true)]
async fn empty_world_round_trips_created_data() {
    let world = SimWorld::empty(0);
    assert!(world.function_names().is_empty());
    assert_eq!(world.list_log_groups(None).await, Ok(Vec::new()));
    assert_eq!(world.create_log_group("/test/app"), Ok(()));
    assert!(matches!(
        world.create_log_group("/test/app"),
        Err(BackendError::InvalidInput(_))
    ));
    assert!(matches!(
        world.put_log_events("/test/missing", "s", &[(1, "x".to_owned())]),
        Err(BackendError::NotFound(_))
    ));
    let now = world.now_ms();
    let batch = [
        (now - 3_000, "first".to_owned()),
        (now - 1_000, "third".to_owned()),
    ];
    assert_eq!(world.put_log_events("/test/app", "one", &batch), Ok(()));
    assert_eq!(
        world.put_log_events("/test/app", "two", &[(now - 2_000, "second".to_owned())]),
        Ok(())
    );
    let events = all_pages(&world, request("/test/app")).await;
    let messages: Vec<&str> = events.iter().map(|e| e.message.as_str()).collect();
    assert_eq!(messages, ["first", "second", "third"]);
    assert!(
        events
            .iter()
            .all(|e| e.ingestion_time_ms == now && e.group == "/test/app")
    );
    assert_eq!(events[1].stream, "two");
    let ids: BTreeSet<&str> = events.iter().map(|e| e.event_id.as_str()).collect();
    assert_eq!(ids.len(), 3);
    advance_s(60).await;
    assert_eq!(
        all_pages(&world, request("/test/app")).await,
        events,
        "nothing generated"
    );
}

#[tokio::test(start_paused = true)]
async fn memory_stays_bounded_and_new_streams_keep_appearing() {
    let world = SimWorld::new(17);
    let streams_at_start: BTreeSet<String> = everything(&world)
        .await
        .into_iter()
        .map(|e| e.stream)
        .collect();
    advance_s(2 * 3600).await;
    let events = all_pages(&world, request("/aws/lambda/tax-authorizer")).await;
    assert!(events.len() <= MAX_EVENTS_PER_GROUP && events.len() > MAX_EVENTS_PER_GROUP / 2);
    let streams_now: BTreeSet<String> = everything(&world)
        .await
        .into_iter()
        .map(|e| e.stream)
        .collect();
    assert!(streams_now.difference(&streams_at_start).count() > 0);
}

#[tokio::test(start_paused = true)]
async fn identity_clock_and_label_describe_the_demo() {
    let backends = demo_backends(1);
    assert!(backends.label.is_demo);
    assert_eq!(backends.label.profile, "DEMO");
    assert_eq!(backends.label.region, "eu-west-1");
    let identity = backends.session.identity().await;
    assert!(matches!(identity, Ok(ref i) if i.account.as_deref() == Some("123456789012")));
    assert_eq!(backends.clock.now_ms(), DEMO_EPOCH_MS);
    advance_s(2).await;
    assert_eq!(backends.clock.now_ms(), DEMO_EPOCH_MS + 2_000);
}
