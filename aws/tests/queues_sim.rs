//! The demo world's SQS through the same traits as the real backend: a consumer failing into
//! its DLQ (with DeadLetterQueueSourceArn), a send that keeps attributes, the trace header and
//! FIFO group ids, deletes by receipt handle, and native move tasks that really move.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use unstuck_aws::model::queues::{
    OutgoingMessage, RawText, ReceiptEntry, ReceiveRequest, system_attribute as sys,
};
use unstuck_aws::sim::demo_backends;

const PEEK: ReceiveRequest = ReceiveRequest {
    max_messages: 10,
    visibility_timeout_s: 30,
    wait_s: 0,
};

#[tokio::test(start_paused = true)]
async fn the_refund_dlq_fills_with_messages_that_name_their_source() {
    let b = demo_backends(7);
    let url = b
        .queues
        .queue_url("tax-refund-calculation-dlq")
        .await
        .unwrap();
    let before = b.queues.queue_attributes(&url).await.unwrap().visible;
    tokio::time::sleep(Duration::from_secs(20 * 60)).await;
    let after = b.queues.queue_attributes(&url).await.unwrap().visible;
    assert!(
        after > before,
        "the failing consumer fills its DLQ: {before} -> {after}"
    );
    let got = b.queues.receive(&url, &PEEK).await.unwrap();
    assert!(got.iter().all(
        |m| m.source_arn() == Some("arn:aws:sqs:eu-west-1:123456789012:tax-refund-calculation")
    ));
    let sources = b.queues.dead_letter_sources(&url).await.unwrap();
    assert_eq!(sources.len(), 1);
}

#[tokio::test(start_paused = true)]
async fn a_sent_message_keeps_its_attributes_trace_header_and_group() {
    let b = demo_backends(7);
    let ops = b.queues_ops.clone().unwrap();
    let dlq = b.queues.queue_url("tax-amendments-dlq.fifo").await.unwrap();
    let fifo = b.queues.queue_url("tax-amendments.fifo").await.unwrap();
    let got = b.queues.receive(&dlq, &PEEK).await.unwrap();
    let m = &got[0];
    let out = OutgoingMessage {
        entry_id: "0".into(),
        body: m.body.clone(),
        message_attributes: m.message_attributes.clone(),
        trace_header: m.attribute(sys::TRACE_HEADER).map(str::to_string),
        group_id: m.group_id().map(str::to_string),
        deduplication_id: Some("fresh-1".into()),
    };
    // A standard queue refuses a group id; the FIFO one needs it.
    let std_url = b.queues.queue_url("tax-submissions-audit").await.unwrap();
    assert_eq!(
        ops.send_batch(&std_url, std::slice::from_ref(&out))
            .await
            .unwrap()
            .failed
            .len(),
        1
    );
    let sent = ops
        .send_batch(&fifo, std::slice::from_ref(&out))
        .await
        .unwrap();
    assert_eq!(sent.ok, vec!["0".to_string()]);
    let back = b.queues.receive(&fifo, &PEEK).await.unwrap();
    let copy = back
        .iter()
        .find(|c| c.body == m.body)
        .expect("the copy arrived");
    assert_eq!(
        copy.attribute(sys::TRACE_HEADER),
        m.attribute(sys::TRACE_HEADER)
    );
    assert_eq!(copy.group_id(), m.group_id());
    assert_eq!(copy.message_attributes, m.message_attributes);
    let deleted = ops
        .delete_batch(
            &dlq,
            &[ReceiptEntry {
                entry_id: "0".into(),
                receipt_handle: m.receipt_handle.clone(),
            }],
        )
        .await
        .unwrap();
    assert_eq!(deleted.ok.len(), 1);
    let _ = RawText::new("");
}

#[tokio::test(start_paused = true)]
async fn a_native_move_task_moves_at_its_rate_and_refuses_a_second_one() {
    let b = demo_backends(7);
    let ops = b.queues_ops.clone().unwrap();
    let url = b.queues.queue_url("tax-submissions-dlq").await.unwrap();
    let arn = b.queues.queue_attributes(&url).await.unwrap().arn;
    let n = b.queues.queue_attributes(&url).await.unwrap().visible;
    assert!(n > 0);
    ops.start_move_task(&arn, None, Some(1)).await.unwrap();
    let again = ops.start_move_task(&arn, None, None).await.unwrap_err();
    assert!(again.to_string().contains("already"), "{again}");
    tokio::time::sleep(Duration::from_secs(n + 3)).await;
    let tasks = b.queues.list_move_tasks(&arn).await.unwrap();
    assert_eq!(tasks[0].status, "COMPLETED");
    assert_eq!(tasks[0].moved, n);
    let lambda_fed = b.queues.queue_url("tax-notify-failures").await.unwrap();
    let lambda_arn = b.queues.queue_attributes(&lambda_fed).await.unwrap().arn;
    let err = ops
        .start_move_task(&lambda_arn, None, None)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("not a dead-letter queue"), "{err}");
}

#[tokio::test(start_paused = true)]
async fn a_world_without_the_demo_queues_has_none_and_never_ticks_them() {
    let world = unstuck_aws::sim::SimWorld::empty(3);
    world.create_log_group("/g").unwrap();
    let b = unstuck_aws::sim::backends_for(world);
    tokio::time::sleep(Duration::from_secs(30)).await;
    assert!(b.queues.list_queues().await.unwrap().is_empty());
    assert!(b.logs.list_log_groups(None).await.is_ok());
}
