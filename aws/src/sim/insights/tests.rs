use std::sync::Arc;
use std::time::Duration;

use super::*;
use crate::model::DEFAULT_INSIGHTS_LIMIT;

const A: &str = "/aws/lambda/a";
const B: &str = "/aws/lambda/b";

fn report(id: &str, ms: f64, init: Option<f64>) -> String {
    let mut line = format!(
        "REPORT RequestId: {id}\tDuration: {ms:.2} ms\tBilled Duration: {} ms\tMemory Size: 128 MB\tMax Memory Used: 64 MB",
        ms.ceil()
    );
    if let Some(init) = init {
        line.push_str(&format!("\tInit Duration: {init:.2} ms"));
    }
    line
}

async fn world() -> (Arc<SimWorld>, i64) {
    let world = SimWorld::empty(1);
    let now = world.clock.now_ms();
    for group in [A, B] {
        world.create_log_group(group).unwrap();
    }
    world
        .put_log_events(
            A,
            "s1",
            &[
                (now - 5_000, report("a1", 100.0, Some(300.0))),
                (
                    now - 4_000,
                    "{\"level\":\"ERROR\",\"message\":\"boom\"}".into(),
                ),
                (now - 3_000, report("a2", 40.0, None)),
            ],
        )
        .unwrap();
    world
        .put_log_events(
            B,
            "s1",
            &[
                (now - 4_500, report("b1", 900.0, Some(500.0))),
                (now - 2_000, "[ERROR] Timeout".into()),
                (now - 1_000, "ERROR again".into()),
            ],
        )
        .unwrap();
    (world, now)
}

async fn run(world: &SimWorld, now: i64, text: &str) -> QueryResults {
    let id = world
        .start_query(&InsightsQuery {
            groups: vec![A.into(), B.into()],
            start_ms: now - 60_000,
            end_ms: now,
            query: text.into(),
            limit: DEFAULT_INSIGHTS_LIMIT,
        })
        .await
        .unwrap();
    let running = world.query_results(&id).await.unwrap();
    assert_eq!(running.status, QueryStatus::Running);
    assert!(running.rows.is_empty());
    tokio::time::sleep(Duration::from_millis(SIM_QUERY_MS as u64)).await;
    let done = world.query_results(&id).await.unwrap();
    assert_eq!(done.status, QueryStatus::Complete);
    done
}

#[tokio::test(start_paused = true)]
async fn stats_by_group_count_and_sort_like_insights() {
    let (world, now) = world().await;
    let r = run(
        &world,
        now,
        "filter @message like /(?i)error|timeout/ | stats count(*) as errors by @log | sort errors desc",
    )
    .await;
    assert_eq!(r.columns, ["@log", "errors"]);
    assert_eq!(r.rows.len(), 2);
    assert_eq!(r.rows[0], [format!("123456789012:{B}"), "2".to_string()]);
    assert_eq!(r.rows[1][1], "1");
    assert_eq!(r.statistics.records_scanned, 6.0);
    assert_eq!(r.statistics.records_matched, 3.0);
    let bytes: usize = 6; // at least one byte per event
    assert!(r.statistics.bytes_scanned > bytes as f64);
}

#[tokio::test(start_paused = true)]
async fn lambda_fields_give_cold_starts_and_the_slowest_invocations() {
    let (world, now) = world().await;
    let cold = run(
        &world,
        now,
        "filter @type = \"REPORT\" and ispresent(@initDuration) \
         | stats count(*) as coldStarts, avg(@initDuration) as avgInit, max(@initDuration) by @log \
         | sort coldStarts desc",
    )
    .await;
    assert_eq!(
        cold.columns,
        ["@log", "coldStarts", "avgInit", "max(@initDuration)"]
    );
    assert_eq!(cold.rows.len(), 2);
    assert!(cold.rows.iter().all(|r| r[1] == "1"));
    let slow = run(
        &world,
        now,
        "filter @type = 'REPORT' | fields @timestamp, @requestId, @duration | sort @duration desc | limit 2",
    )
    .await;
    assert_eq!(slow.columns, ["@timestamp", "@requestId", "@duration"]);
    assert_eq!(slow.rows[0][1], "b1");
    assert_eq!(slow.rows[0][2], "900");
    assert_eq!(slow.rows[1][1], "a1");
    assert_eq!(slow.rows.len(), 2);
    assert_eq!(slow.rows[0][0].len(), "2026-11-20 02:47:01.123".len());
}

#[tokio::test(start_paused = true)]
async fn a_raw_query_returns_the_default_fields_newest_first() {
    let (world, now) = world().await;
    let r = run(&world, now, "filter level = 'ERROR'").await;
    assert_eq!(r.columns, ["@timestamp", "@message", "@logStream", "@log"]);
    assert_eq!(r.rows.len(), 1);
    assert!(r.rows[0][1].contains("boom"));
    let all = run(&world, now, "fields @message | limit 3").await;
    assert_eq!(all.rows.len(), 3);
    assert_eq!(all.rows[0][0], "ERROR again");
}

#[tokio::test(start_paused = true)]
async fn bad_queries_groups_and_windows_are_refused_with_a_reason() {
    let (world, now) = world().await;
    let mut q = InsightsQuery {
        groups: vec![A.into()],
        start_ms: now - 60_000,
        end_ms: now,
        query: "parse @message 'x*' as y".into(),
        limit: 10,
    };
    let e = world.start_query(&q).await.unwrap_err().to_string();
    assert!(e.contains("unknown command parse"), "{e}");
    q.query = "filter @message like /(/".into();
    let e = world.start_query(&q).await.unwrap_err().to_string();
    assert!(e.contains("bad regular expression"), "{e}");
    q.query = "fields @message".into();
    q.groups = vec!["/nope".into()];
    assert!(matches!(
        world.start_query(&q).await,
        Err(BackendError::NotFound(_))
    ));
    q.groups = vec![A.into()];
    q.end_ms = q.start_ms;
    assert!(world.start_query(&q).await.is_err());
}

#[tokio::test(start_paused = true)]
async fn a_stopped_query_reports_cancelled() {
    let (world, now) = world().await;
    let id = world
        .start_query(&InsightsQuery {
            groups: vec![A.into()],
            start_ms: now - 60_000,
            end_ms: now,
            query: "fields @message".into(),
            limit: 10,
        })
        .await
        .unwrap();
    world.stop_query(&id).await.unwrap();
    tokio::time::sleep(Duration::from_secs(2)).await;
    let r = world.query_results(&id).await.unwrap();
    assert_eq!(r.status, QueryStatus::Cancelled);
    assert!(world.stop_query("unknown").await.is_ok());
    assert!(matches!(
        world.query_results("unknown").await,
        Err(BackendError::NotFound(_))
    ));
}
