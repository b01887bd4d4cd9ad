//! Queues on moto for the DLQ tests: a source queue whose RedrivePolicy names a DLQ, messages
//! really driven into it by failed receives, and reading a queue back.
#![allow(dead_code, clippy::unwrap_used)]

use std::collections::BTreeMap;

use aws_sdk_sqs::Client;
use aws_sdk_sqs::types::{
    MessageAttributeValue, MessageSystemAttributeName, MessageSystemAttributeNameForSends,
    MessageSystemAttributeValue, QueueAttributeName,
};

pub struct Pair {
    pub source_url: String,
    pub source_arn: String,
    pub dlq_url: String,
    pub dlq_arn: String,
    pub dlq_name: String,
}

pub async fn client() -> Client {
    Client::new(&crate::moto_support::seed_config(&crate::moto_support::moto_endpoint()).await)
}

pub fn unique(base: &str) -> String {
    format!("{base}-{:08x}", fastrand::u32(..))
}

async fn arn_of(c: &Client, url: &str) -> String {
    c.get_queue_attributes()
        .queue_url(url)
        .attribute_names(QueueAttributeName::QueueArn)
        .send()
        .await
        .unwrap()
        .attributes()
        .unwrap()[&QueueAttributeName::QueueArn]
        .clone()
}

/// Another source queue sending its dead letters to `pair`'s DLQ (a Pair of the two).
pub async fn second_source(c: &Client, pair: &Pair, base: &str) -> Pair {
    let policy =
        serde_json::json!({"deadLetterTargetArn": pair.dlq_arn, "maxReceiveCount": 1}).to_string();
    let source_url = c
        .create_queue()
        .queue_name(unique(base))
        .attributes(QueueAttributeName::RedrivePolicy, policy)
        .send()
        .await
        .unwrap()
        .queue_url()
        .unwrap()
        .to_string();
    let source_arn = arn_of(c, &source_url).await;
    Pair {
        source_url,
        source_arn,
        dlq_url: pair.dlq_url.clone(),
        dlq_arn: pair.dlq_arn.clone(),
        dlq_name: pair.dlq_name.clone(),
    }
}

/// A source queue and its DLQ (maxReceiveCount 1), FIFO when `fifo`.
pub async fn pair(c: &Client, base: &str, fifo: bool) -> Pair {
    let suffix = if fifo { ".fifo" } else { "" };
    let name = unique(base);
    let dlq_name = format!("{name}-dlq{suffix}");
    let mut create = c.create_queue().queue_name(&dlq_name);
    if fifo {
        create = create.attributes(QueueAttributeName::FifoQueue, "true");
    }
    let dlq_url = create
        .send()
        .await
        .unwrap()
        .queue_url()
        .unwrap()
        .to_string();
    let dlq_arn = arn_of(c, &dlq_url).await;
    let policy =
        serde_json::json!({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": 1}).to_string();
    let mut create = c
        .create_queue()
        .queue_name(format!("{name}{suffix}"))
        .attributes(QueueAttributeName::RedrivePolicy, policy);
    if fifo {
        create = create
            .attributes(QueueAttributeName::FifoQueue, "true")
            .attributes(QueueAttributeName::ContentBasedDeduplication, "false");
    }
    let source_url = create
        .send()
        .await
        .unwrap()
        .queue_url()
        .unwrap()
        .to_string();
    let source_arn = arn_of(c, &source_url).await;
    Pair {
        source_url,
        source_arn,
        dlq_url,
        dlq_arn,
        dlq_name,
    }
}

/// One message to seed: body, `kind` attribute, FIFO group.
pub struct Seed {
    pub body: String,
    pub kind: &'static str,
    pub group: Option<String>,
}

/// Send `seeds` to the source, then receive each twice (visibility 0): moto moves each to
/// the DLQ once its receive count passes maxReceiveCount, as SQS does.
pub async fn drive_into_dlq(c: &Client, pair: &Pair, seeds: &[Seed]) {
    let before = depth(c, &pair.dlq_url).await;
    // One SendMessage each: moto keeps AWSTraceHeader only from SendMessage, not from
    // SendMessageBatch (its send_message_batch drops MessageSystemAttributes).
    for (i, s) in seeds.iter().enumerate() {
        let mut send = c
            .send_message()
            .queue_url(&pair.source_url)
            .message_body(&s.body)
            .message_attributes(
                "kind",
                MessageAttributeValue::builder()
                    .data_type("String")
                    .string_value(s.kind)
                    .build()
                    .unwrap(),
            )
            .message_attributes(
                "blob",
                MessageAttributeValue::builder()
                    .data_type("Binary")
                    .binary_value(aws_sdk_sqs::primitives::Blob::new(vec![
                        0u8,
                        159,
                        255,
                        (i % 250) as u8,
                    ]))
                    .build()
                    .unwrap(),
            )
            .message_system_attributes(
                MessageSystemAttributeNameForSends::AwsTraceHeader,
                MessageSystemAttributeValue::builder()
                    .data_type("String")
                    .string_value(format!("Root=1-5759e988-bd862e3fe1be46a99427{i:04}"))
                    .build()
                    .unwrap(),
            );
        if let Some(g) = &s.group {
            send = send
                .message_group_id(g)
                .message_deduplication_id(format!("d{i}-{}", fastrand::u32(..)));
        }
        send.send().await.unwrap();
    }
    for _ in 0..(seeds.len() * 3 + 10) {
        let got = c
            .receive_message()
            .queue_url(&pair.source_url)
            .max_number_of_messages(10)
            .visibility_timeout(0)
            .send()
            .await
            .unwrap();
        if got.messages().is_empty() && depth(c, &pair.source_url).await == 0 {
            break;
        }
    }
    assert_eq!(
        depth(c, &pair.dlq_url).await,
        before + seeds.len() as u64,
        "every message reached the DLQ"
    );
}

pub async fn depth(c: &Client, url: &str) -> u64 {
    let out = c
        .get_queue_attributes()
        .queue_url(url)
        .attribute_names(QueueAttributeName::All)
        .send()
        .await
        .unwrap();
    let a = out.attributes().unwrap();
    let n = |k: QueueAttributeName| a.get(&k).map_or(0, |v| v.parse::<u64>().unwrap());
    n(QueueAttributeName::ApproximateNumberOfMessages)
        + n(QueueAttributeName::ApproximateNumberOfMessagesNotVisible)
}

/// A received message as the tests compare it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Got {
    pub body: String,
    pub kind: Option<String>,
    pub blob: Option<Vec<u8>>,
    pub trace: Option<String>,
    pub group: Option<String>,
}

/// Everything in `url`, deleting it (for checking a destination), by body.
pub async fn drain(c: &Client, url: &str) -> BTreeMap<String, Vec<Got>> {
    let mut out: BTreeMap<String, Vec<Got>> = BTreeMap::new();
    let mut empty = 0;
    while empty < 3 {
        let got = c
            .receive_message()
            .queue_url(url)
            .max_number_of_messages(10)
            .visibility_timeout(30)
            .message_system_attribute_names(MessageSystemAttributeName::All)
            .message_attribute_names("All")
            .send()
            .await
            .unwrap();
        if got.messages().is_empty() {
            empty += 1;
            continue;
        }
        empty = 0;
        for m in got.messages() {
            let attrs = m.attributes().cloned().unwrap_or_default();
            let mattrs = m.message_attributes().cloned().unwrap_or_default();
            out.entry(m.body().unwrap().to_string())
                .or_default()
                .push(Got {
                    body: m.body().unwrap().to_string(),
                    kind: mattrs
                        .get("kind")
                        .and_then(|v| v.string_value())
                        .map(str::to_string),
                    blob: mattrs
                        .get("blob")
                        .and_then(|v| v.binary_value())
                        .map(|b| b.as_ref().to_vec()),
                    trace: attrs
                        .get(&MessageSystemAttributeName::AwsTraceHeader)
                        .cloned(),
                    group: attrs
                        .get(&MessageSystemAttributeName::MessageGroupId)
                        .cloned(),
                });
            c.delete_message()
                .queue_url(url)
                .receipt_handle(m.receipt_handle().unwrap())
                .send()
                .await
                .unwrap();
        }
    }
    out
}

/// `unstuck ARGS --endpoint-url moto --region us-east-1` with a state directory of its own.
pub fn run(state: &std::path::Path, args: &[&str]) -> std::process::Output {
    let endpoint = crate::moto_support::moto_endpoint();
    let mut all: Vec<&str> = args.to_vec();
    all.extend(["--endpoint-url", endpoint.as_str(), "--region", "us-east-1"]);
    crate::moto_support::unstuck(&all, &[("UNSTUCK_STATE_DIR", state.to_str().unwrap())])
}

pub fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

pub fn last_json(out: &std::process::Output) -> serde_json::Value {
    let text = stdout(out);
    let line = text
        .lines()
        .last()
        .unwrap_or_else(|| panic!("no output; stderr: {}", stderr(out)));
    serde_json::from_str(line).unwrap()
}
