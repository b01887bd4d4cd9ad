//! Building the real backend: one `SdkConfig`, one HTTPS client, one client per service.
//!
//! # Endpoint precedence
//!
//! Read from aws-config 1.13 (`ConfigLoader::load`, `default_provider::endpoint_url`,
//! `env_service_config`) and from each service's `impl From<&SdkConfig> for config::Builder`
//! (e.g. aws-sdk-cloudwatchlogs 1.162 `config.rs`). A service client built from an `SdkConfig`
//! takes the first of:
//!
//! 1. an endpoint set on that service's own config builder ("client config" origin);
//! 2. `AWS_ENDPOINT_URL_<SERVICE>` (the service id upper-cased, spaces to `_`:
//!    `AWS_ENDPOINT_URL_CLOUDWATCH_LOGS`, `_STS`, `_SQS`, `_SFN`, `_LAMBDA`, `_CLOUDWATCH`);
//! 3. `AWS_ENDPOINT_URL`;
//! 4. the profile's `services` section (`[services x]` / `logs = \n endpoint_url = ...`);
//! 5. the profile's `endpoint_url`;
//! 6. `SdkConfig::endpoint_url`: `ConfigLoader::endpoint_url(..)` when set programmatically,
//!    else `AWS_ENDPOINT_URL`, else the profile's `endpoint_url`;
//! 7. the regional AWS endpoint.
//!
//! Steps 2-5 (and 6 when not programmatic) are skipped when `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS`
//! or the profile's `ignore_configured_endpoint_urls` is true, unless an endpoint was set
//! programmatically on the loader.
//!
//! So an endpoint given to the loader alone comes *last*: plain SDK behaviour would let
//! `AWS_ENDPOINT_URL` beat `--endpoint-url`. We want a flag to beat the environment, yet keep
//! per-service variables working (moto for everything via `--endpoint-url` or
//! `AWS_ENDPOINT_URL`, LocalStack for CloudWatch only via `AWS_ENDPOINT_URL_CLOUDWATCH`). Hence:
//! `--endpoint-url` is set on the loader (so ignore-flags do not apply) **and** on each service
//! builder (step 1), or that service's own `AWS_ENDPOINT_URL_<SERVICE>` when it is set: a
//! service builder made `From<&SdkConfig>` takes an endpoint set on the loader over every
//! variable (the SDK checks `get_origin("endpoint_url").is_client_config()` first), so the
//! per-service variable has to be forced too. Without the flag nothing is set and the SDK's
//! order above applies unchanged. Effective order for us:
//! `AWS_ENDPOINT_URL_<SERVICE>` > `--endpoint-url` > `AWS_ENDPOINT_URL` > profile > AWS.

use super::call_counter::CountCalls;
use crate::model::ApiCalls;
use std::sync::Arc;
use std::time::Duration;

use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_smithy_http_client::tls;

use super::errors::ErrorContext;
use super::insights::RealInsights;
use super::live_tail::{LiveTailUnavailable, RealLiveTail};
use super::logs::RealLogs;
use super::session::RealSession;
use super::step_functions::RealStepFunctions;
use crate::api::{BackendLabel, Backends, LiveTail, SystemClock};
use crate::model::BackendError;

/// TCP connect timeout (a dead emulator or a black-holed route fails fast).
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);
/// One HTTP attempt.
pub const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(10);
/// A whole operation, retries included.
pub const OPERATION_TIMEOUT: Duration = Duration::from_secs(20);
/// The SDK retries once; the app has its own backoff on top.
pub const MAX_ATTEMPTS: u32 = 2;

/// What the command line says about where to connect. `None` everywhere = the standard chain.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConnectOptions {
    /// `--profile`: a profile of ~/.aws/config (SSO, assume-role, credential_process, ...).
    pub profile: Option<String>,
    /// `--region`: beats `AWS_REGION` and the profile's region.
    pub region: Option<String>,
    /// `--endpoint-url`: e.g. an emulator on 127.0.0.1 (see the module docs for precedence).
    pub endpoint_url: Option<String>,
}

/// The per-service endpoint variable suffix of a service id ("CloudWatch Logs" ->
/// "CLOUDWATCH_LOGS"), as aws-runtime's `format_service_id_for_env` does.
struct Service {
    /// Smithy service id, e.g. "CloudWatch Logs".
    id: &'static str,
}

const LOGS: Service = Service {
    id: "CloudWatch Logs",
};
const STS: Service = Service { id: "STS" };
const STEP_FUNCTIONS: Service = Service { id: "SFN" };
const SQS: Service = Service { id: "SQS" };
const LAMBDA: Service = Service { id: "Lambda" };
const CLOUDWATCH: Service = Service { id: "CloudWatch" };
const SYNTHETICS: Service = Service { id: "synthetics" };
const RUM: Service = Service { id: "RUM" };

impl Service {
    fn env_key(&self) -> String {
        format!(
            "AWS_ENDPOINT_URL_{}",
            self.id.to_uppercase().replace(' ', "_")
        )
    }
}

/// Builds the real backend. Does not call AWS: credentials are resolved lazily on the first
/// call, so a missing or expired login shows up as [`BackendError::Credentials`] there.
pub async fn connect(opts: &ConnectOptions) -> Result<Backends, BackendError> {
    let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    let flag = opts.endpoint_url.as_deref().filter(|u| !u.is_empty());
    let profile_label = opts
        .profile
        .clone()
        .filter(|p| !p.is_empty())
        .or_else(|| env("AWS_PROFILE"))
        .unwrap_or_else(|| "default".to_string());

    let sdk = load_sdk_config(opts, flag).await;
    let Some(region) = sdk.region().map(|r| r.as_ref().to_string()) else {
        return Err(BackendError::Setup {
            message: format!("no AWS region configured for profile {profile_label}"),
            fix: "pass --region (e.g. --region us-east-1), set AWS_REGION, or add `region = ...` \
                  to the profile in ~/.aws/config"
                .to_string(),
        });
    };
    let ignore_configured =
        env("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS").is_some_and(|v| v.eq_ignore_ascii_case("true"));
    let shared_endpoint = sdk.endpoint_url().map(str::to_string);
    let endpoint_of = |svc: &Service| {
        effective_endpoint(
            &svc.env_key(),
            flag,
            shared_endpoint.as_deref(),
            ignore_configured,
            env,
        )
    };
    let context = |svc: &Service| ErrorContext {
        profile: profile_label.clone(),
        endpoint: endpoint_of(svc).unwrap_or_else(|| format!("{} ({region})", svc.id)),
    };

    let calls = Arc::new(ApiCalls::new());
    let mut logs_conf = aws_sdk_cloudwatchlogs::config::Builder::from(&sdk)
        .interceptor(CountCalls(Arc::clone(&calls)));
    if let Some(url) = flag_override(&LOGS.env_key(), flag, env) {
        logs_conf.set_endpoint_url(Some(url));
    }
    let logs_client = aws_sdk_cloudwatchlogs::Client::from_conf(logs_conf.build());
    let logs = RealLogs::new(logs_client.clone(), context(&LOGS));
    let insights = RealInsights::new(logs_client.clone(), context(&LOGS));

    let mut sts_conf =
        aws_sdk_sts::config::Builder::from(&sdk).interceptor(CountCalls(Arc::clone(&calls)));
    if let Some(url) = flag_override(&STS.env_key(), flag, env) {
        sts_conf.set_endpoint_url(Some(url));
    }
    let session = Arc::new(RealSession::new(
        aws_sdk_sts::Client::from_conf(sts_conf.build()),
        context(&STS),
    ));
    let mut sfn_conf =
        aws_sdk_sfn::config::Builder::from(&sdk).interceptor(CountCalls(Arc::clone(&calls)));
    if let Some(url) = flag_override(&STEP_FUNCTIONS.env_key(), flag, env) {
        sfn_conf.set_endpoint_url(Some(url));
    }
    let step_functions: Arc<RealStepFunctions> = Arc::new(RealStepFunctions::new(
        aws_sdk_sfn::Client::from_conf(sfn_conf.build()),
        context(&STEP_FUNCTIONS),
    ));
    let mut sqs_conf =
        aws_sdk_sqs::config::Builder::from(&sdk).interceptor(CountCalls(Arc::clone(&calls)));
    if let Some(url) = flag_override(&SQS.env_key(), flag, env) {
        sqs_conf.set_endpoint_url(Some(url));
    }
    let queues = Arc::new(super::RealQueues::new(
        aws_sdk_sqs::Client::from_conf(sqs_conf.build()),
        context(&SQS),
    ));
    let mut lambda_conf =
        aws_sdk_lambda::config::Builder::from(&sdk).interceptor(CountCalls(Arc::clone(&calls)));
    if let Some(url) = flag_override(&LAMBDA.env_key(), flag, env) {
        lambda_conf.set_endpoint_url(Some(url));
    }
    let functions = Arc::new(super::RealFunctions::new(
        aws_sdk_lambda::Client::from_conf(lambda_conf.build()),
        context(&LAMBDA),
    ));
    let mut cw_conf =
        aws_sdk_cloudwatch::config::Builder::from(&sdk).interceptor(CountCalls(Arc::clone(&calls)));
    if let Some(url) = flag_override(&CLOUDWATCH.env_key(), flag, env) {
        cw_conf.set_endpoint_url(Some(url));
    }
    let cloudwatch = Arc::new(super::RealCloudWatch::new(
        aws_sdk_cloudwatch::Client::from_conf(cw_conf.build()),
        context(&CLOUDWATCH),
    ));
    let mut synthetics_conf =
        aws_sdk_synthetics::config::Builder::from(&sdk).interceptor(CountCalls(Arc::clone(&calls)));
    if let Some(url) = flag_override(&SYNTHETICS.env_key(), flag, env) {
        synthetics_conf.set_endpoint_url(Some(url));
    }
    let synthetics = Arc::new(super::RealSynthetics::new(
        aws_sdk_synthetics::Client::from_conf(synthetics_conf.build()),
        context(&SYNTHETICS),
    ));
    let mut rum_conf =
        aws_sdk_rum::config::Builder::from(&sdk).interceptor(CountCalls(Arc::clone(&calls)));
    if let Some(url) = flag_override(&RUM.env_key(), flag, env) {
        rum_conf.set_endpoint_url(Some(url));
    }
    let rum = Arc::new(super::RealRum::new(
        aws_sdk_rum::Client::from_conf(rum_conf.build()),
        context(&RUM),
    ));
    let live_tail: Arc<dyn LiveTail> = match endpoint_of(&LOGS) {
        Some(url) => Arc::new(LiveTailUnavailable::new(format!(
            "live tail needs AWS itself, not the endpoint override {url} (emulators do not \
             stream; the SDK would call stream-<host>): polling instead"
        ))),
        None => Arc::new(RealLiveTail::new(
            logs_client,
            context(&LOGS),
            region.clone(),
            session.clone(),
        )),
    };

    let label = BackendLabel {
        profile: profile_label.clone(),
        region: region.clone(),
        endpoint_url: endpoint_of(&LOGS),
        is_demo: false,
    };
    Ok(Backends {
        logs: Arc::new(logs),
        insights: Arc::new(insights),
        session,
        step_functions_ops: Some(step_functions.clone()),
        step_functions,
        queues_ops: Some(queues.clone()),
        queues,
        queue_attributes: Arc::default(),
        functions,
        metrics: cloudwatch.clone(),
        alarms: cloudwatch,
        synthetics,
        rum,
        function_list: Arc::default(),
        live_tail,
        clock: Arc::new(SystemClock),
        label,
        calls,
        definitions: Arc::default(),
        histories: Arc::default(),
        current_definitions: Arc::default(),
        function_health: Arc::default(),
    })
}

async fn load_sdk_config(opts: &ConnectOptions, flag: Option<&str>) -> SdkConfig {
    let http = aws_smithy_http_client::Builder::new()
        .tls_provider(tls::Provider::Rustls(
            tls::rustls_provider::CryptoMode::Ring,
        ))
        .build_https();
    let timeouts = TimeoutConfig::builder()
        .connect_timeout(CONNECT_TIMEOUT)
        .operation_attempt_timeout(ATTEMPT_TIMEOUT)
        .operation_timeout(OPERATION_TIMEOUT)
        .build();
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .http_client(http)
        .timeout_config(timeouts)
        .retry_config(RetryConfig::standard().with_max_attempts(MAX_ATTEMPTS));
    if let Some(profile) = opts.profile.as_deref().filter(|p| !p.is_empty()) {
        loader = loader.profile_name(profile);
    }
    if let Some(region) = opts.region.as_deref().filter(|r| !r.is_empty()) {
        loader = loader.region(Region::new(region.to_string()));
    }
    if let Some(url) = flag {
        loader = loader.endpoint_url(url);
    }
    loader.load().await
}

/// The endpoint to force on one service's builder when the flag is given: that service's own
/// `AWS_ENDPOINT_URL_<SERVICE>` variable, else the flag.
fn flag_override(
    service_env_key: &str,
    flag: Option<&str>,
    env: impl Fn(&str) -> Option<String>,
) -> Option<String> {
    let url = flag?;
    Some(env(service_env_key).unwrap_or_else(|| url.to_string()))
}

/// Where one service's calls go, for the header and error messages (`None` = AWS itself).
/// Approximates the order in the module docs; a profile's `services` section is not read.
fn effective_endpoint(
    service_env_key: &str,
    flag: Option<&str>,
    shared: Option<&str>,
    ignore_configured: bool,
    env: impl Fn(&str) -> Option<String>,
) -> Option<String> {
    if (flag.is_some() || !ignore_configured)
        && let Some(url) = env(service_env_key)
    {
        return Some(url);
    }
    flag.or(shared).map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env_of(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |k| {
            pairs
                .iter()
                .find(|(key, _)| *key == k)
                .map(|(_, v)| (*v).to_string())
        }
    }

    #[tokio::test]
    async fn an_endpoint_override_means_no_live_tail() {
        let backends = connect(&ConnectOptions {
            profile: None,
            region: Some("us-east-1".into()),
            endpoint_url: Some("http://127.0.0.1:9".into()),
        })
        .await
        .unwrap();
        let req = crate::model::LiveTailRequest::for_groups(["/g"]);
        let Err(err) = backends.live_tail.start_live_tail(&req).await else {
            panic!("live tail opened against an emulator endpoint");
        };
        assert!(err.is_unavailable(), "{err:?}");
        assert!(err.to_string().contains("http://127.0.0.1:9"), "{err}");
        assert_eq!(backends.calls.total(), 0);
    }

    #[test]
    fn service_env_keys_follow_the_sdk() {
        assert_eq!(LOGS.env_key(), "AWS_ENDPOINT_URL_CLOUDWATCH_LOGS");
        assert_eq!(STS.env_key(), "AWS_ENDPOINT_URL_STS");
    }

    #[test]
    fn the_flag_is_forced_or_the_services_own_variable() {
        let none = env_of(&[]);
        assert_eq!(flag_override("AWS_ENDPOINT_URL_STS", None, &none), None);
        assert_eq!(
            flag_override("AWS_ENDPOINT_URL_STS", Some("http://127.0.0.1:1"), &none),
            Some("http://127.0.0.1:1".to_string())
        );
        let own = env_of(&[("AWS_ENDPOINT_URL_STS", "http://127.0.0.1:2")]);
        assert_eq!(
            flag_override("AWS_ENDPOINT_URL_STS", Some("http://127.0.0.1:1"), &own),
            Some("http://127.0.0.1:2".to_string())
        );
        // The global variable does not stop the flag.
        let global = env_of(&[("AWS_ENDPOINT_URL", "http://127.0.0.1:3")]);
        assert_eq!(
            flag_override("AWS_ENDPOINT_URL_STS", Some("http://127.0.0.1:1"), &global),
            Some("http://127.0.0.1:1".to_string())
        );
    }

    #[test]
    fn effective_endpoint_order() {
        let key = "AWS_ENDPOINT_URL_CLOUDWATCH_LOGS";
        let own = env_of(&[("AWS_ENDPOINT_URL_CLOUDWATCH_LOGS", "http://127.0.0.1:2")]);
        let none = env_of(&[]);
        let flag = Some("http://127.0.0.1:1");
        let shared = Some("http://127.0.0.1:3");
        assert_eq!(
            effective_endpoint(key, flag, flag, false, &own).as_deref(),
            Some("http://127.0.0.1:2")
        );
        assert_eq!(
            effective_endpoint(key, flag, flag, true, &own).as_deref(),
            Some("http://127.0.0.1:2")
        );
        assert_eq!(
            effective_endpoint(key, None, shared, false, &own).as_deref(),
            Some("http://127.0.0.1:2")
        );
        assert_eq!(effective_endpoint(key, None, None, true, &own), None);
        assert_eq!(
            effective_endpoint(key, flag, flag, false, &none).as_deref(),
            Some("http://127.0.0.1:1")
        );
        assert_eq!(
            effective_endpoint(key, None, shared, false, &none).as_deref(),
            Some("http://127.0.0.1:3")
        );
        assert_eq!(effective_endpoint(key, None, None, false, &none), None);
    }
}
