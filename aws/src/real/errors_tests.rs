//! Classification of hand-built SDK errors (no network).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use aws_sdk_cloudwatchlogs::operation::filter_log_events::FilterLogEventsError;
use aws_smithy_runtime_api::client::result::{ConnectorError, SdkError};
use aws_smithy_runtime_api::http::{Response as HttpResponse, StatusCode};
use aws_smithy_types::body::SdkBody;
use aws_smithy_types::error::ErrorMetadata;

use super::{ErrorContext, chain_text, classify};
use crate::model::BackendError;

type Err = SdkError<FilterLogEventsError, HttpResponse>;

fn cx() -> ErrorContext {
    ErrorContext {
        profile: "prod-sso".into(),
        endpoint: "http://127.0.0.1:4566".into(),
    }
}

fn raw(status: u16, headers: &[(&'static str, &'static str)], body: &'static str) -> HttpResponse {
    let mut r = HttpResponse::new(StatusCode::try_from(status).unwrap(), SdkBody::from(body));
    for (k, v) in headers {
        r.headers_mut().insert(*k, *v);
    }
    r
}

fn service(code: &str, message: &str, status: u16) -> Err {
    service_with(code, message, raw(status, &[], "{}"))
}

fn service_with(code: &str, message: &str, raw: HttpResponse) -> Err {
    let mut meta = ErrorMetadata::builder();
    if !code.is_empty() {
        meta = meta.code(code);
    }
    if !message.is_empty() {
        meta = meta.message(message);
    }
    SdkError::service_error(FilterLogEventsError::generic(meta.build()), raw)
}

fn run(e: &Err) -> BackendError {
    classify(e, "FilterLogEvents", &cx())
}

#[test]
fn throttling_codes_messages_and_429() {
    for code in [
        "ThrottlingException",
        "Throttling",
        "TooManyRequestsException",
        "RequestLimitExceeded",
    ] {
        let got = run(&service(code, "slow down", 400));
        assert!(got.is_throttling(), "{code}: {got:?}");
        assert_eq!(got.retry_after(), None);
    }
    let got = run(&service("LimitExceeded", "Rate exceeded", 400));
    assert!(got.is_throttling(), "{got:?}");
    let got = run(&service("", "", 429));
    assert!(got.is_throttling(), "{got:?}");
}

#[test]
fn retry_after_headers() {
    let got = run(&service_with(
        "ThrottlingException",
        "Rate exceeded",
        raw(400, &[("Retry-After", "3")], "{}"),
    ));
    assert_eq!(got.retry_after(), Some(Duration::from_secs(3)));
    let got = run(&service_with(
        "ThrottlingException",
        "",
        raw(400, &[("x-amz-retry-after", "1500")], "{}"),
    ));
    assert_eq!(got.retry_after(), Some(Duration::from_millis(1500)));
    let got = run(&service_with(
        "",
        "",
        raw(429, &[("retry-after", "not-a-number")], ""),
    ));
    assert!(got.is_throttling());
    assert_eq!(got.retry_after(), None);
}

#[test]
fn not_found() {
    let got = run(&service(
        "ResourceNotFoundException",
        "The specified log group does not exist.",
        400,
    ));
    assert_eq!(
        got,
        BackendError::NotFound(
            "ResourceNotFoundException: The specified log group does not exist.".into()
        )
    );
}

#[test]
fn step_functions_codes_are_not_found_and_invalid_input() {
    for code in [
        "ExecutionDoesNotExist",
        "StateMachineDoesNotExist",
        "ActivityDoesNotExist",
    ] {
        assert!(
            matches!(run(&service(code, "gone", 400)), BackendError::NotFound(_)),
            "{code}"
        );
    }
    for code in ["InvalidArn", "InvalidToken", "InvalidExecutionInput"] {
        assert!(
            matches!(
                run(&service(code, "bad", 400)),
                BackendError::InvalidInput(_)
            ),
            "{code}"
        );
    }
}

#[test]
fn access_denied_names_the_action() {
    for code in ["AccessDeniedException", "AccessDenied"] {
        let got = run(&service(code, "User: x is not authorized", 400));
        match got {
            BackendError::AccessDenied { action, message } => {
                assert_eq!(action, "FilterLogEvents");
                assert!(message.contains("not authorized"), "{message}");
            }
            other => panic!("{code}: {other:?}"),
        }
    }
}

#[test]
fn bad_or_expired_credentials_hint_at_sso_login() {
    for code in [
        "ExpiredTokenException",
        "ExpiredToken",
        "UnrecognizedClientException",
        "InvalidClientTokenId",
    ] {
        match run(&service(code, "The security token is invalid", 400)) {
            BackendError::Credentials { message, fix } => {
                let m = format!("{message}. {fix}");
                assert!(
                    m.contains("aws sso login --profile prod-sso"),
                    "{code}: {m}"
                );
                assert!(m.contains(code), "{code}: {m}");
            }
            other => panic!("{code}: {other:?}"),
        }
    }
}

#[test]
fn invalid_input() {
    for (code, msg) in [
        ("InvalidParameterException", "Invalid filter pattern"),
        ("MalformedQueryException", "unexpected symbol"),
        ("SomethingElse", "Invalid filter pattern near `{`"),
    ] {
        let got = run(&service(code, msg, 400));
        assert!(
            matches!(got, BackendError::InvalidInput(ref m) if m.contains(msg)),
            "{code}: {got:?}"
        );
    }
}

#[test]
fn unknown_service_codes_are_other_with_status() {
    let got = run(&service("InternalFailure", "boom", 500));
    assert_eq!(
        got,
        BackendError::Other("FilterLogEvents: InternalFailure: boom (HTTP 500)".into())
    );
}

#[test]
fn html_answers_from_an_emulator_are_other_with_the_status() {
    for status in [404_u16, 500] {
        let e: Err = SdkError::response_error(
            "failed to parse JSON",
            raw(
                status,
                &[("content-type", "text/html")],
                "<!doctype html><title>404 Not Found</title>",
            ),
        );
        match run(&e) {
            BackendError::Other(m) => {
                assert!(m.contains(&format!("HTTP {status}")), "{m}");
                assert!(m.contains("127.0.0.1:4566"), "{m}");
            }
            other => panic!("{status}: {other:?}"),
        }
        // The same answer surfaced as an unhandled service error without a code.
        let got = run(&service_with("", "", raw(status, &[], "<html></html>")));
        assert!(
            matches!(got, BackendError::Other(ref m) if m.contains(&format!("HTTP {status}"))),
            "{got:?}"
        );
    }
}

#[test]
fn operation_timeout() {
    let e: Err = SdkError::timeout_error("operation timeout (all attempts) reached");
    assert!(matches!(run(&e), BackendError::Timeout(_)));
}

#[test]
fn connection_refused_is_network_naming_the_endpoint() {
    let io = std::io::Error::new(
        std::io::ErrorKind::ConnectionRefused,
        "Connection refused (os error 111)",
    );
    let e: Err = SdkError::dispatch_failure(ConnectorError::io(Box::new(io)));
    match run(&e) {
        BackendError::Network(m) => {
            assert!(m.starts_with("cannot reach http://127.0.0.1:4566"), "{m}");
            assert!(m.contains("Connection refused"), "{m}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn connector_timeout_is_timeout() {
    let e: Err = SdkError::dispatch_failure(ConnectorError::timeout("connect timed out".into()));
    assert!(matches!(run(&e), BackendError::Timeout(_)), "{:?}", run(&e));
}

#[test]
fn credentials_provider_failure_in_dispatch_is_credentials() {
    let e: Err = SdkError::dispatch_failure(ConnectorError::other(
        "the credential provider was not enabled: no providers in chain provided credentials"
            .into(),
        None,
    ));
    match run(&e) {
        BackendError::Credentials { message, fix } => {
            let m = format!("{message}. {fix}");
            assert!(m.contains("aws sso login --profile prod-sso"), "{m}")
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn chain_text_skips_generic_layers() {
    let io = std::io::Error::new(std::io::ErrorKind::ConnectionRefused, "refused");
    let e: Err = SdkError::dispatch_failure(ConnectorError::io(Box::new(io)));
    assert_eq!(chain_text(&e), "refused");
    let multi: Err = SdkError::dispatch_failure(ConnectorError::other(
        "no credentials found in chain. Attempted:\n  Environment: not set\n  Profile: none".into(),
        None,
    ));
    assert_eq!(
        chain_text(&multi),
        "no credentials found in chain. Attempted: Environment: not set; Profile: none"
    );
}

/// A real credentials failure produced by the SDK itself (a profile that does not exist),
/// before any connection is made: the endpoint is a closed loopback port that is never
/// reached.
// aws-config only re-exports the profile-file types under deprecated aliases, and aws-runtime
// (their new home) is not a dependency of ours.
#[allow(deprecated)]
#[tokio::test]
async fn sdk_credentials_failure_is_classified_as_credentials() {
    use aws_config::profile::ProfileFileCredentialsProvider;
    use aws_config::profile::profile_file::{ProfileFileKind, ProfileFiles};
    use aws_config::provider_config::ProviderConfig;
    use aws_config::{BehaviorVersion, Region};

    let dir = std::env::temp_dir().join(format!("unstuck-no-such-dir-{}", std::process::id()));
    let files = ProfileFiles::builder()
        .include_default_config_file(false)
        .include_default_credentials_file(false)
        .with_file(ProfileFileKind::Config, dir.join("config"))
        .build();
    let http = aws_smithy_http_client::Builder::new()
        .tls_provider(aws_smithy_http_client::tls::Provider::Rustls(
            aws_smithy_http_client::tls::rustls_provider::CryptoMode::Ring,
        ))
        .build_https();
    let provider = ProfileFileCredentialsProvider::builder()
        .configure(&ProviderConfig::without_region().with_http_client(http.clone()))
        .profile_files(files)
        .profile_name("unstuck-no-such-profile")
        .build();
    let conf = aws_sdk_cloudwatchlogs::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(provider)
        .endpoint_url("http://127.0.0.1:9")
        .http_client(http)
        .build();
    let client = aws_sdk_cloudwatchlogs::Client::from_conf(conf);
    let err = client
        .filter_log_events()
        .log_group_name("/g")
        .send()
        .await
        .expect_err("no credentials");
    match classify(&err, "FilterLogEvents", &cx()) {
        BackendError::Credentials { fix, .. } => assert!(fix.contains("aws sso login"), "{fix}"),
        other => panic!("{other:?} from {err:?}"),
    }
}
