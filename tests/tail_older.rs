//! Loading an older window on demand, against the simulated world through the `Logs` trait:
//! the whole window of every group, its end exclusive, and a window with more events than the
//! pane has room for halved until it fits (never a partial window with a gap).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;
use unstuck::tail::{OlderRequest, QueryScope, RequestBudget, TailReport, load_older};
use unstuck_aws::api::WallClock;
use unstuck_aws::sim::SimWorld;

async fn older(world: &Arc<SimWorld>, request: OlderRequest) -> TailReport {
    let (tx, mut rx) = mpsc::channel(4);
    load_older(
        world.clone(),
        world.clone(),
        Arc::new(RequestBudget::new(5.0)),
        request,
        tx,
        CancellationToken::new(),
    )
    .await;
    rx.recv().await.expect("one report")
}

#[tokio::test(start_paused = true)]
async fn reads_the_whole_window_of_every_group_and_halves_one_too_big() {
    let world = SimWorld::empty(21);
    world.create_log_group("/a").unwrap();
    world.create_log_group("/b").unwrap();
    let now = world.now_ms();
    let end = now - 60_000;
    let start = end - 600_000;
    // One event a second in /a over the ten minutes before `end`, and a few in /b; one at
    // `end` itself belongs to the newer side.
    let a: Vec<(i64, String)> = (0..600)
        .map(|i| (start + i * 1_000, format!("a{i}")))
        .collect();
    world.put_log_events("/a", "s", &a).unwrap();
    world
        .put_log_events(
            "/b",
            "s",
            &[(start + 5, "b0".into()), (end, "b-at-end".into())],
        )
        .unwrap();
    let request = OlderRequest {
        tail_id: 3,
        groups: vec!["/a".into(), "/b".into()],
        scope: QueryScope::default(),
        start_ms: start,
        end_ms: end,
        floor_ms: start - 3_600_000,
        room: 10_000,
    };
    let TailReport::Older {
        tail_id, result, ..
    } = older(&world, request.clone()).await
    else {
        panic!("not an older report")
    };
    assert_eq!(tail_id, 3);
    let window = result.unwrap();
    assert_eq!((window.start_ms, window.end_ms), (start, end));
    assert_eq!(
        window.events.len(),
        601,
        "600 of /a and b0, not the one at the end"
    );

    // Room for 200: the window is halved until it holds no more.
    let TailReport::Older { result, .. } = older(
        &world,
        OlderRequest {
            room: 200,
            ..request
        },
    )
    .await
    else {
        panic!("not an older report")
    };
    let window = result.unwrap();
    assert!(window.start_ms > start && window.events.len() <= 200);
    let of_a: Vec<_> = window.events.iter().filter(|e| e.group == "/a").collect();
    let expected = (end - window.start_ms) / 1_000;
    assert_eq!(of_a.len() as i64, expected, "the newest part of /a, whole");
    assert!(of_a.iter().all(|e| e.timestamp_ms >= window.start_ms));
    // /b has nothing in the halved window: its probe found b0, all it holds before.
    assert_eq!(window.exhausted, ["/b"]);
    assert!(window.events.iter().any(|e| e.message == "b0"));
}

#[tokio::test(start_paused = true)]
async fn an_empty_window_probes_once_for_anything_older() {
    let world = SimWorld::empty(22);
    for group in ["/old", "/none", "/busy"] {
        world.create_log_group(group).unwrap();
    }
    let now = world.now_ms();
    let end = now - 60_000;
    let start = end - 300_000;
    let floor = end - 86_400_000;
    // /old: two events three hours back; /busy: more than fits, an hour back; /none: nothing.
    world
        .put_log_events(
            "/old",
            "s",
            &[
                (end - 10_800_000, "o1".into()),
                (end - 10_700_000, "o2".into()),
            ],
        )
        .unwrap();
    let busy: Vec<(i64, String)> = (0..300)
        .map(|i| (end - 3_600_000 + i, format!("b{i}")))
        .collect();
    world.put_log_events("/busy", "s", &busy).unwrap();
    let before = world.calls().of("FilterLogEvents");
    let request = OlderRequest {
        tail_id: 1,
        groups: vec!["/old".into(), "/none".into(), "/busy".into()],
        scope: QueryScope::default(),
        start_ms: start,
        end_ms: end,
        floor_ms: floor,
        room: 100,
    };
    let TailReport::Older { result, .. } = older(&world, request).await else {
        panic!("not an older report")
    };
    let window = result.unwrap();
    assert_eq!(
        world.calls().of("FilterLogEvents") - before,
        6,
        "a window and a probe each"
    );
    let mut messages: Vec<&str> = window.events.iter().map(|e| e.message.as_str()).collect();
    messages.sort_unstable();
    assert_eq!(messages, ["o1", "o2"], "all of /old's older events");
    assert_eq!(
        window.exhausted,
        ["/old", "/none"],
        "/busy has more than fits"
    );
}
