//! Shared by the tests that need LocalStack (started by scripts/test next to moto): its
//! endpoint, SDK clients to seed it, and running `unstuck` with CloudWatch routed to it
//! while everything else goes to moto.
#![allow(dead_code)]

use std::process::Output;

pub const LOCALSTACK_ENV: &str = "UNSTUCK_TEST_LOCALSTACK_ENDPOINT";

pub fn localstack_endpoint() -> String {
    match std::env::var(LOCALSTACK_ENV) {
        Ok(url) if url.starts_with("http://127.0.0.1:") => url,
        _ => panic!(
            "{LOCALSTACK_ENV} is not set: run the suite with scripts/test, which installs and \
             starts LocalStack next to moto"
        ),
    }
}

pub async fn cloudwatch() -> aws_sdk_cloudwatch::Client {
    cloudwatch_in("us-east-1").await
}

pub async fn cloudwatch_in(region: &str) -> aws_sdk_cloudwatch::Client {
    aws_sdk_cloudwatch::Client::new(
        &crate::moto_support::seed_config_in(&localstack_endpoint(), region).await,
    )
}

pub async fn sqs() -> aws_sdk_sqs::Client {
    aws_sdk_sqs::Client::new(&crate::moto_support::seed_config(&localstack_endpoint()).await)
}

/// `unstuck ARGS --endpoint-url moto --region us-east-1` with CloudWatch on LocalStack
/// (`AWS_ENDPOINT_URL_CLOUDWATCH`, as a user with both emulators would set it) and a state
/// directory of its own.
pub fn unstuck_split(state: &std::path::Path, args: &[&str]) -> Output {
    unstuck_split_in(state, "us-east-1", args)
}

/// The same in `region`.
pub fn unstuck_split_in(state: &std::path::Path, region: &str, args: &[&str]) -> Output {
    let moto = crate::moto_support::moto_endpoint();
    let localstack = localstack_endpoint();
    let mut all: Vec<&str> = args.to_vec();
    all.extend(["--endpoint-url", moto.as_str(), "--region", region]);
    crate::moto_support::unstuck(
        &all,
        &[
            ("UNSTUCK_STATE_DIR", state.to_str().unwrap_or_default()),
            ("AWS_ENDPOINT_URL_CLOUDWATCH", localstack.as_str()),
        ],
    )
}

/// `unstuck ARGS --endpoint-url localstack --region us-east-1` (SQS move tasks).
pub fn unstuck_on_localstack(state: &std::path::Path, args: &[&str]) -> Output {
    let localstack = localstack_endpoint();
    let mut all: Vec<&str> = args.to_vec();
    all.extend([
        "--endpoint-url",
        localstack.as_str(),
        "--region",
        "us-east-1",
    ]);
    crate::moto_support::unstuck(
        &all,
        &[("UNSTUCK_STATE_DIR", state.to_str().unwrap_or_default())],
    )
}
