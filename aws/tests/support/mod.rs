//! Shared fixtures for the backend contract tests: the simulated world and moto.
//!
//! moto is started by `scripts/test`, which exports `UNSTUCK_TEST_MOTO_ENDPOINT`. A test that
//! needs it and does not find it fails (never skips).

#![allow(dead_code)]

use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use aws_config::{BehaviorVersion, Region};
use aws_sdk_cloudwatchlogs::config::Credentials;
use aws_sdk_cloudwatchlogs::types::InputLogEvent;
use unstuck_aws::api::{Backends, Logs};
use unstuck_aws::real::{ConnectOptions, connect};
#[cfg(feature = "sim")]
use unstuck_aws::sim::SimWorld;

pub const MOTO_ENV: &str = "UNSTUCK_TEST_MOTO_ENDPOINT";

/// The moto endpoint exported by `scripts/test`; panics with instructions when missing.
pub fn moto_endpoint() -> String {
    match std::env::var(MOTO_ENV) {
        Ok(url) if !url.is_empty() => {
            assert!(
                url.starts_with("http://127.0.0.1:"),
                "{MOTO_ENV}={url}: the test emulator must listen on 127.0.0.1"
            );
            url
        }
        _ => panic!(
            "{MOTO_ENV} is not set: run the suite with scripts/test, which installs and starts moto"
        ),
    }
}

/// A name part no other test (or earlier run against the same moto) uses.
pub fn unique(tag: &str) -> String {
    format!(
        "{tag}-{}-{:012x}",
        std::process::id(),
        fastrand::u64(..) >> 16
    )
}

pub fn system_now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// Something to run the contract against: a backend plus a way to seed it.
pub enum Fixture {
    #[cfg(feature = "sim")]
    Sim(Arc<SimWorld>),
    Moto(Box<MotoFixture>),
}

pub struct MotoFixture {
    /// Seeds moto directly through the SDK (static test credentials).
    pub seed: aws_sdk_cloudwatchlogs::Client,
    /// The backend under test, built by `unstuck_aws::real::connect`.
    pub backends: Backends,
}

impl Fixture {
    /// Must be called inside a tokio runtime.
    #[cfg(feature = "sim")]
    pub fn sim() -> Self {
        Self::Sim(SimWorld::empty(7))
    }

    pub async fn moto() -> Self {
        let endpoint = moto_endpoint();
        let backends = connect_to(&endpoint).await;
        Self::Moto(Box::new(MotoFixture {
            seed: seed_client(&endpoint).await,
            backends,
        }))
    }

    pub fn logs(&self) -> Arc<dyn Logs> {
        match self {
            #[cfg(feature = "sim")]
            Self::Sim(world) => world.clone(),
            Self::Moto(m) => Arc::clone(&m.backends.logs),
        }
    }

    pub fn insights(&self) -> Arc<dyn unstuck_aws::api::LogsInsights> {
        match self {
            #[cfg(feature = "sim")]
            Self::Sim(world) => world.clone(),
            Self::Moto(m) => Arc::clone(&m.backends.insights),
        }
    }

    /// A timestamp both backends accept: a few minutes before "now" in their clock (moto
    /// rejects events older than 14 days; the demo world lives at its own fixed epoch).
    pub fn base_ms(&self) -> i64 {
        let now = match self {
            #[cfg(feature = "sim")]
            Self::Sim(world) => unstuck_aws::api::WallClock::now_ms(world.as_ref()),
            Self::Moto(_) => system_now_ms(),
        };
        (now - 10 * 60_000) / 1000 * 1000
    }

    pub async fn create_group(&self, name: &str) {
        match self {
            #[cfg(feature = "sim")]
            Self::Sim(world) => world.create_log_group(name).unwrap(),
            Self::Moto(m) => {
                m.seed
                    .create_log_group()
                    .log_group_name(name)
                    .send()
                    .await
                    .unwrap();
            }
        }
    }

    /// Appends events (sorted by time here, as PutLogEvents requires) to a stream, creating
    /// the stream when needed.
    pub async fn put(&self, group: &str, stream: &str, events: &[(i64, &str)]) {
        let mut events: Vec<(i64, String)> =
            events.iter().map(|(t, m)| (*t, (*m).to_string())).collect();
        events.sort_by_key(|(t, _)| *t);
        match self {
            #[cfg(feature = "sim")]
            Self::Sim(world) => world.put_log_events(group, stream, &events).unwrap(),
            Self::Moto(m) => {
                // CreateLogStream fails when the stream exists; that is fine here.
                let _ = m
                    .seed
                    .create_log_stream()
                    .log_group_name(group)
                    .log_stream_name(stream)
                    .send()
                    .await;
                let mut call = m
                    .seed
                    .put_log_events()
                    .log_group_name(group)
                    .log_stream_name(stream);
                for (ts, message) in events {
                    call = call.log_events(
                        InputLogEvent::builder()
                            .timestamp(ts)
                            .message(message)
                            .build()
                            .unwrap(),
                    );
                }
                let out = call.send().await.unwrap();
                assert!(
                    out.rejected_log_events_info().is_none(),
                    "moto rejected events: {:?}",
                    out.rejected_log_events_info()
                );
            }
        }
    }
}

/// The real backend pointed at `endpoint`, with the standard credential chain (scripts/test
/// exports static test credentials and AWS_REGION).
pub async fn connect_to(endpoint: &str) -> Backends {
    connect(&ConnectOptions {
        profile: None,
        region: Some("us-east-1".into()),
        endpoint_url: Some(endpoint.into()),
    })
    .await
    .unwrap()
}

/// An SDK configuration for seeding moto directly: static test credentials, us-east-1.
pub async fn seed_config(endpoint: &str) -> aws_config::SdkConfig {
    let http = aws_smithy_http_client::Builder::new()
        .tls_provider(aws_smithy_http_client::tls::Provider::Rustls(
            aws_smithy_http_client::tls::rustls_provider::CryptoMode::Ring,
        ))
        .build_https();
    aws_config::defaults(BehaviorVersion::latest())
        .endpoint_url(endpoint)
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new(
            "testing",
            "testing",
            None,
            None,
            "unstuck-tests",
        ))
        .http_client(http)
        .load()
        .await
}

async fn seed_client(endpoint: &str) -> aws_sdk_cloudwatchlogs::Client {
    let conf = seed_config(endpoint).await;
    let mut builder = aws_sdk_cloudwatchlogs::config::Builder::from(&conf);
    // Beat any AWS_ENDPOINT_URL* of the environment: seeding must hit this moto.
    builder.set_endpoint_url(Some(endpoint.to_string()));
    aws_sdk_cloudwatchlogs::Client::from_conf(builder.build())
}
