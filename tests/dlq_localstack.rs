//! What moto cannot show of DLQ redrive, on LocalStack through the real aws-sdk-sqs client:
//! SQS message move tasks (`unstuck dlq redrive --native`, its refusal while a task is
//! active, `unstuck dlq cancel-move`), and a selective redrive sending each message back to
//! the queue it came from (`DeadLetterQueueSourceArn`, which moto never sets) with its
//! trace header. Started by scripts/test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod dlq_support;
mod localstack_support;
mod moto_support;

use std::time::{Duration, Instant};

use dlq_support::*;
use localstack_support::*;
use serde_json::Value;

fn seeds(n: usize, kind: &'static str) -> Vec<Seed> {
    (0..n)
        .map(|i| Seed {
            body: format!(
                "{{\"submissionId\":\"SUB-{kind}-{i:04}-{:06x}\"}}",
                fastrand::u32(..0xffffff)
            ),
            kind,
            group: None,
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn localstack_native_redrive_moves_every_message_back_to_its_source() {
    let c = sqs().await;
    let pair = pair(&c, "native", false).await;
    let all = seeds(12, "retry");
    drive_into_dlq(&c, &pair, &all).await;
    let state = tempfile::tempdir().unwrap();
    let out = unstuck_on_localstack(
        state.path(),
        &[
            "dlq",
            "redrive",
            &pair.dlq_name,
            "--native",
            "--rate",
            "50",
            "--yes",
            "--output",
            "json",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let summary = last_json(&out);
    assert_eq!(summary["native"], true);
    assert_eq!(summary["status"], "COMPLETED", "{summary}");
    assert_eq!(summary["moved"], 12, "{summary}");
    assert_eq!(summary["failed"], 0);
    let back = drain(&c, &pair.source_url).await;
    assert_eq!(back.len(), 12);
    assert!(all.iter().all(|s| back[&s.body].len() == 1));
    assert_eq!(depth(&c, &pair.dlq_url).await, 0);
    let audit = std::fs::read_to_string(state.path().join("audit.jsonl")).unwrap();
    assert!(audit.contains("StartMessageMoveTask"), "{audit}");
    assert!(audit.contains("at 50 msg/s"), "{audit}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn localstack_a_second_move_is_refused_while_one_runs_and_cancel_stops_it() {
    let c = sqs().await;
    let pair = pair(&c, "slow-move", false).await;
    drive_into_dlq(&c, &pair, &seeds(40, "retry")).await;
    // A move at 1 message a second, started outside unstuck (as the console would).
    c.start_message_move_task()
        .source_arn(&pair.dlq_arn)
        .max_number_of_messages_per_second(1)
        .send()
        .await
        .unwrap();
    let state = tempfile::tempdir().unwrap();
    let again = unstuck_on_localstack(
        state.path(),
        &["dlq", "redrive", &pair.dlq_name, "--native", "--yes"],
    );
    assert_eq!(again.status.code(), Some(1), "{}", stderr(&again));
    assert!(
        stderr(&again).contains("already"),
        "says a task is active: {}",
        stderr(&again)
    );
    // The task shows RUNNING once LocalStack has started it.
    let started = Instant::now();
    let cancelled = loop {
        let out = unstuck_on_localstack(
            state.path(),
            &[
                "dlq",
                "cancel-move",
                &pair.dlq_name,
                "--yes",
                "--output",
                "json",
            ],
        );
        if out.status.success() || started.elapsed() > Duration::from_secs(15) {
            break out;
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
    };
    assert!(cancelled.status.success(), "{}", stderr(&cancelled));
    let answer: Value = serde_json::from_str(stdout(&cancelled).trim()).unwrap();
    assert_eq!(answer["cancelled"], true);
    let moved = answer["moved"].as_u64().unwrap();
    assert!(moved < 40, "cancelled before the end: {moved}");
    // Nothing lost: what moved is at the source, the rest still in the DLQ.
    let started = Instant::now();
    let tasks = loop {
        let tasks = c
            .list_message_move_tasks()
            .source_arn(&pair.dlq_arn)
            .send()
            .await
            .unwrap();
        let status = tasks.results()[0].status().unwrap_or_default().to_string();
        if status != "CANCELLING" || started.elapsed() > Duration::from_secs(15) {
            break tasks;
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
    };
    assert_eq!(tasks.results()[0].status(), Some("CANCELLED"));
    assert_eq!(
        depth(&c, &pair.source_url).await + depth(&c, &pair.dlq_url).await,
        40
    );
    let audit = std::fs::read_to_string(state.path().join("audit.jsonl")).unwrap();
    assert!(audit.contains("CancelMessageMoveTask"), "{audit}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn localstack_selective_redrive_sends_each_message_to_the_queue_it_came_from() {
    let c = sqs().await;
    let orders = pair(&c, "orders", false).await;
    let refunds = second_source(&c, &orders, "refunds").await;
    let from_orders = seeds(5, "retry");
    let from_refunds = seeds(4, "retry");
    let poison = seeds(3, "poison");
    drive_into_dlq(&c, &orders, &from_orders).await;
    drive_into_dlq(&c, &refunds, &from_refunds).await;
    drive_into_dlq(&c, &refunds, &poison).await;
    let state = tempfile::tempdir().unwrap();
    let out = unstuck_on_localstack(
        state.path(),
        &[
            "dlq",
            "redrive",
            &orders.dlq_name,
            "--attribute",
            "kind=retry",
            "--yes",
            "--output",
            "json",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let summary = last_json(&out);
    for (key, want) in [("selected", 9), ("moved", 9), ("skipped", 0), ("failed", 0)] {
        assert_eq!(summary[key].as_u64(), Some(want), "{key}: {summary}");
    }
    let at_orders = drain(&c, &orders.source_url).await;
    let at_refunds = drain(&c, &refunds.source_url).await;
    assert_eq!(at_orders.len(), 5, "{at_orders:?}");
    assert_eq!(at_refunds.len(), 4, "{at_refunds:?}");
    for (seeds, at) in [(&from_orders, &at_orders), (&from_refunds, &at_refunds)] {
        for s in seeds {
            let got = &at[&s.body];
            assert_eq!(got.len(), 1, "once, at its own source: {}", s.body);
            assert!(
                got[0]
                    .trace
                    .as_deref()
                    .is_some_and(|t| t.starts_with("Root=1-5759e988-")),
                "the trace header kept: {:?}",
                got[0]
            );
            assert_eq!(got[0].kind.as_deref(), Some("retry"));
        }
    }
    assert_eq!(depth(&c, &orders.dlq_url).await, 3, "the poison stays");
}
