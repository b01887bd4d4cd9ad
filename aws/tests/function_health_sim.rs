//! The overview's function health at 1,000 functions (the demo world sized up): every
//! function is read one by one when due or when the account's errors rise, and between those
//! reads each poll costs the account's 3 totals.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use unstuck_aws::api::{
    Backends, Data, FunctionsData, FunctionsTopic, HEALTH_POLL_MS, Topic, Unpaced,
    per_function_every_ms,
};
use unstuck_aws::model::functions::{FunctionsTable, MetricWindow};
use unstuck_aws::sim::sized::{AccountSize, sized_demo_backends};

const SIZE: AccountSize = AccountSize {
    functions: 1_000,
    queues: 20,
    machines: 10,
};

/// One poll of the health topic: the table and the metrics it was billed.
async fn poll(b: &Backends) -> (FunctionsTable, u64) {
    poll_over(b, MetricWindow::H3).await
}

async fn poll_over(b: &Backends, window: MetricWindow) -> (FunctionsTable, u64) {
    let before = b.calls.billed().metrics_requested;
    let topic = Topic::Functions(FunctionsTopic::Health { window });
    let Ok(Data::Functions(FunctionsData::Table(table))) = topic.fetch(b, &Unpaced).await else {
        panic!("no table");
    };
    (*table, b.calls.billed().metrics_requested - before)
}

async fn wait_a_poll() {
    tokio::time::sleep(Duration::from_millis(HEALTH_POLL_MS as u64)).await;
}

#[tokio::test(start_paused = true)]
async fn a_large_account_reads_its_functions_when_due_or_when_its_errors_rise() {
    let b = sized_demo_backends(7, SIZE);
    tokio::time::sleep(Duration::from_secs(120)).await;
    // The first poll reads every function: 4 metrics each and the account's concurrency.
    let (first, billed) = poll(&b).await;
    assert_eq!(billed, 4_001);
    assert_eq!(first.rows.len(), 1_000);
    assert_eq!(first.rows_read_at_ms, None);
    // The demo's incident (the refund function failing) is under way: the account's errors
    // are above their baseline, so the next polls read every function again.
    wait_a_poll().await;
    let (during, billed) = poll(&b).await;
    assert_eq!(
        billed,
        3 + 4_001,
        "the account's totals, then every function"
    );
    assert_eq!(during.rows_read_at_ms, None);
    // Once the errors have been up for an hour they are the baseline: a poll costs the
    // account's 3 totals and serves the last read, saying when it was made.
    tokio::time::sleep(Duration::from_secs(80 * 60)).await;
    let (_, _) = poll(&b).await;
    let read_at = b.clock.now_ms();
    wait_a_poll().await;
    let (calm, billed) = poll(&b).await;
    assert_eq!(billed, 3, "only the account's totals");
    assert_eq!(calm.rows_read_at_ms, Some(read_at));
    assert_eq!(calm.rows.len(), 1_000);
    // Every 85 minutes every function is read again.
    let every = per_function_every_ms(1_000);
    assert_eq!(every, 85 * 60_000);
    let mut full_reads = 0;
    for _ in 0..(every / HEALTH_POLL_MS) {
        wait_a_poll().await;
        let (table, billed) = poll(&b).await;
        if billed > 3 {
            full_reads += 1;
            assert_eq!(table.rows_read_at_ms, None);
        }
    }
    assert_eq!(full_reads, 1, "one read of every function in 85 minutes");
    // A read over another window does not stand for this one.
    let (other, billed) = poll_over(&b, MetricWindow::H1).await;
    assert_eq!(billed, 4_001);
    assert_eq!(other.window, MetricWindow::H1);
}

#[tokio::test(start_paused = true)]
async fn a_small_account_is_read_at_every_poll_and_refresh() {
    let b = unstuck_aws::sim::demo_backends(7);
    tokio::time::sleep(Duration::from_secs(120)).await;
    for _ in 0..2 {
        // 18 functions: 4 metrics each and the account's concurrency, a minute apart.
        let (table, billed) = poll(&b).await;
        assert_eq!(billed, 18 * 4 + 1);
        assert_eq!(table.rows_read_at_ms, None);
        tokio::time::sleep(Duration::from_secs(60)).await;
    }
}
