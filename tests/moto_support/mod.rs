//! Shared by the tests that run the built binary against moto (started by scripts/test):
//! the endpoint, an SDK client to seed it, groups with streams, and running `unstuck`.
#![allow(dead_code)]

use std::process::{Command, Output};

use aws_config::{BehaviorVersion, Region};
use aws_sdk_cloudwatchlogs::config::Credentials;
use aws_sdk_cloudwatchlogs::types::InputLogEvent;

pub const MOTO_ENV: &str = "UNSTUCK_TEST_MOTO_ENDPOINT";

pub fn moto_endpoint() -> String {
    match std::env::var(MOTO_ENV) {
        Ok(url) if url.starts_with("http://127.0.0.1:") => url,
        _ => panic!(
            "{MOTO_ENV} is not set: run the suite with scripts/test, which installs and starts moto"
        ),
    }
}

/// An SDK configuration for seeding moto directly (static test credentials, us-east-1).
pub async fn seed_config(endpoint: &str) -> aws_config::SdkConfig {
    seed_config_in(endpoint, "us-east-1").await
}

/// The same in `region` (a region no other test uses starts empty on the emulators).
pub async fn seed_config_in(endpoint: &str, region: &str) -> aws_config::SdkConfig {
    let http = aws_smithy_http_client::Builder::new()
        .tls_provider(aws_smithy_http_client::tls::Provider::Rustls(
            aws_smithy_http_client::tls::rustls_provider::CryptoMode::Ring,
        ))
        .build_https();
    aws_config::defaults(BehaviorVersion::latest())
        .endpoint_url(endpoint)
        .region(Region::new(region.to_string()))
        .credentials_provider(Credentials::new("testing", "testing", None, None, "tests"))
        .http_client(http)
        .load()
        .await
}

pub async fn seed_client(endpoint: &str) -> aws_sdk_cloudwatchlogs::Client {
    aws_sdk_cloudwatchlogs::Client::new(&seed_config(endpoint).await)
}

pub fn now_ms() -> i64 {
    i64::try_from(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_millis(),
    )
    .unwrap()
}

pub const HOSTILE: &str =
    "pwned \u{1b}]52;c;aGk=\u{7} \u{1b}[2J \u{9b}31m \u{202e}txt.exe\nsecond line";

/// A log group with one stream, `s1`.
pub async fn create_group(client: &aws_sdk_cloudwatchlogs::Client, group: &str) {
    client
        .create_log_group()
        .log_group_name(group)
        .send()
        .await
        .unwrap();
    client
        .create_log_stream()
        .log_group_name(group)
        .log_stream_name("s1")
        .send()
        .await
        .unwrap();
}

/// Two groups under a fresh prefix, 3 events each (one hostile).
pub async fn seed(prefix: &str) -> Vec<(String, String)> {
    let client = seed_client(&moto_endpoint()).await;
    let mut all = Vec::new();
    for g in ["a", "b"] {
        let group = format!("{prefix}/{g}");
        create_group(&client, &group).await;
        let t = now_ms() - 60_000;
        let messages = [
            format!("hello from {g}"),
            format!("ERROR boom in {g}"),
            HOSTILE.to_string(),
        ];
        let mut put = client
            .put_log_events()
            .log_group_name(&group)
            .log_stream_name("s1");
        for (i, m) in messages.iter().enumerate() {
            put = put.log_events(
                InputLogEvent::builder()
                    .timestamp(t + i64::try_from(i).unwrap())
                    .message(m)
                    .build()
                    .unwrap(),
            );
            all.push((group.clone(), m.clone()));
        }
        put.send().await.unwrap();
    }
    all
}

pub fn unstuck(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_unstuck"));
    cmd.args(args)
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env_remove("AWS_PROFILE");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

/// `unstuck tail` against `endpoint` in us-east-1 with test credentials.
pub fn tail_against(endpoint: &str, args: &[&str]) -> Output {
    let mut all = vec!["tail", "--endpoint-url", endpoint, "--region", "us-east-1"];
    all.extend_from_slice(args);
    unstuck(&all, &[])
}

pub fn prefix() -> String {
    format!(
        "/unstuck-tail-test/{}-{:08x}",
        std::process::id(),
        fastrand::u32(..)
    )
}

/// `unstuck tail` against `endpoint` in us-east-1 with test credentials, not yet run.
pub fn tail_command(endpoint: &str, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_unstuck"));
    cmd.args(["tail", "--endpoint-url", endpoint, "--region", "us-east-1"])
        .args(args)
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env_remove("AWS_PROFILE");
    cmd
}

/// A queue for task tokens, named `name`: its URL.
pub async fn token_queue(conf: &aws_config::SdkConfig, name: &str) -> String {
    aws_sdk_sqs::Client::new(conf)
        .create_queue()
        .queue_name(name)
        .send()
        .await
        .unwrap()
        .queue_url()
        .unwrap()
        .to_string()
}

/// `HumanApproval`: a task that sends its token to `queue_url` and waits for it.
pub fn approval_state(queue_url: &str) -> serde_json::Value {
    serde_json::json!({
        "Type": "Task",
        "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
        "Parameters": {"QueueUrl": queue_url, "MessageBody": {"token.$": "$$.Task.Token"}},
        "End": true
    })
}

/// A Standard state machine: its ARN.
pub async fn create_machine(
    sfn: &aws_sdk_sfn::Client,
    name: &str,
    definition: &serde_json::Value,
) -> String {
    sfn.create_state_machine()
        .name(name)
        .definition(definition.to_string())
        .role_arn("arn:aws:iam::123456789012:role/unstuck-test")
        .send()
        .await
        .unwrap()
        .state_machine_arn()
        .to_string()
}

/// The smallest zip there is (an end-of-central-directory record): moto keeps the code,
/// it never runs it here.
pub const EMPTY_ZIP: [u8; 22] = [
    0x50, 0x4b, 0x05, 0x06, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
];

/// CreateRole on moto's IAM (a form POST; moto reads the service from the credential
/// scope and checks no signature): Lambda there refuses a role it does not know.
pub async fn create_role(endpoint: &str, name: &str) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let host = endpoint.trim_start_matches("http://");
    let body = format!(
        "Action=CreateRole&Version=2010-05-08&RoleName={name}&AssumeRolePolicyDocument=%7B%7D"
    );
    let request = format!(
        "POST / HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/x-www-form-urlencoded\r\n\
         Authorization: AWS4-HMAC-SHA256 Credential=testing/20261203/us-east-1/iam/aws4_request, \
         SignedHeaders=host, Signature=0\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let mut stream = tokio::net::TcpStream::connect(host).await.unwrap();
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    format!("arn:aws:iam::123456789012:role/{name}")
}
