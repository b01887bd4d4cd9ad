//! Every SDK error becomes a [`BackendError`] here, and only here.
//!
//! The classification looks at, in order: the kind of `SdkError` (no answer at all: timeout,
//! connection failure, credentials that could not be resolved), then the AWS error code and
//! message of an error response, then the bare HTTP status (emulators answer unimplemented
//! operations with an HTML 404/500 the SDK cannot parse).

use std::error::Error as StdError;
use std::time::Duration;

use aws_smithy_runtime_api::client::result::{DispatchFailure, SdkError};
use aws_smithy_runtime_api::http::Response as HttpResponse;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use aws_smithy_types::event_stream::RawMessage;

use crate::model::BackendError;

/// What the messages need to know about where a call went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ErrorContext {
    /// The profile in use ("default" when none), for the `aws sso login` hint.
    pub profile: String,
    /// Where the client sends its calls: the endpoint URL when overridden, else a description
    /// such as "CloudWatch Logs (eu-west-1)".
    pub endpoint: String,
}

const THROTTLING_CODES: &[&str] = &[
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottled",
    "RequestThrottledException",
    "TooManyRequestsException",
    "RequestLimitExceeded",
    "SlowDown",
    "BandwidthLimitExceeded",
    "ProvisionedThroughputExceededException",
];

const CREDENTIAL_CODES: &[&str] = &[
    "UnrecognizedClientException",
    "InvalidClientTokenId",
    "InvalidAccessKeyId",
    "SignatureDoesNotMatch",
    "InvalidSignatureException",
    "IncompleteSignature",
    "MissingAuthenticationToken",
    "AuthFailure",
];

const INVALID_INPUT_CODES: &[&str] = &[
    "InvalidParameterException",
    "InvalidParameterValue",
    "InvalidParameterValueException",
    "InvalidParameterCombination",
    "MissingParameter",
    "ValidationException",
    "ValidationError",
    "MalformedQueryException",
    // Step Functions: a malformed ARN, task token, input or output.
    "InvalidArn",
    "InvalidToken",
    "InvalidExecutionInput",
    "InvalidOutput",
    "InvalidName",
    "InvalidOperationException",
    // Step Functions refusals: asking again gets the same answer.
    "ExecutionNotRedrivable",
    "TaskTimedOut",
    "StateMachineTypeNotSupported",
    // SQS refusals (query-compatible codes): a move task SQS will not run, a malformed batch
    // or message, a receipt handle that is not one.
    "AWS.SimpleQueueService.UnsupportedOperation",
    "UnsupportedOperation",
    "InvalidAttributeName",
    "InvalidAttributeValue",
    "InvalidMessageContents",
    "ReceiptHandleIsInvalid",
    "AWS.SimpleQueueService.BatchEntryIdsNotDistinct",
    "AWS.SimpleQueueService.BatchRequestTooLong",
    "AWS.SimpleQueueService.EmptyBatchRequest",
    "AWS.SimpleQueueService.InvalidBatchEntryId",
    "AWS.SimpleQueueService.TooManyEntriesInBatchRequest",
];

/// Texts (lower case) by which credentials and token providers report that they could not
/// produce an identity (`CredentialsError`, `TokenError` and `NoMatchingAuthSchemeError` are
/// not re-exported by the crates we depend on, so they are recognised by their messages).
const CREDENTIAL_PROVIDER_TEXTS: &[&str] = &[
    "credential provider",
    "credentials provider",
    "loading credentials",
    "credentials error",
    "access token provider",
    "loading an access token",
    "no auth scheme",
    "identity resolver",
    "sso token",
];

/// Turns one failed SDK call into a [`BackendError`]. `action` is the operation name
/// ("FilterLogEvents"), used for AccessDenied and in messages.
pub(crate) fn classify<E>(
    err: &SdkError<E, HttpResponse>,
    action: &str,
    cx: &ErrorContext,
) -> BackendError
where
    E: ProvideErrorMetadata + StdError + 'static,
{
    match err {
        SdkError::ServiceError(service)
            if service.raw().status().is_success() && service.err().code().is_none() =>
        {
            // A 2xx answer whose body the SDK could not read (it reports that as an
            // unhandled service error): not a missing operation, and the same again if asked
            // again.
            BackendError::Undecodable(format!(
                "{action}: unreadable answer from {}: {}",
                cx.endpoint,
                chain_text(err)
            ))
        }
        SdkError::ServiceError(service) => {
            let e = service.err();
            from_response(e.code(), e.message(), service.raw(), action, cx)
        }
        SdkError::ResponseError(response) => {
            let status = response.raw().status().as_u16();
            if (200..300).contains(&status) {
                // A success status with a body the SDK could not read.
                BackendError::Undecodable(format!(
                    "{action}: unreadable answer from {}: {}",
                    cx.endpoint,
                    chain_text(err)
                ))
            } else {
                from_response(None, None, response.raw(), action, cx)
            }
        }
        SdkError::TimeoutError(_) => {
            BackendError::Timeout(format!("{action}: no answer from {} in time", cx.endpoint))
        }
        SdkError::DispatchFailure(dispatch) => from_dispatch(dispatch, err, action, cx),
        SdkError::ConstructionFailure(_) => {
            BackendError::InvalidInput(format!("{action}: {}", chain_text(err)))
        }
        _ => BackendError::Other(format!("{action}: {}", chain_text(err))),
    }
}

fn from_dispatch<E>(
    dispatch: &DispatchFailure,
    err: &SdkError<E, HttpResponse>,
    action: &str,
    cx: &ErrorContext,
) -> BackendError
where
    E: StdError + 'static,
{
    let text = chain_text(err);
    // Identity resolution runs before transmission; its failure surfaces as a dispatch
    // failure whose connector error is of kind "other" and wraps the provider's error.
    if !dispatch.is_io() && !dispatch.is_timeout() && mentions_credential_provider(err) {
        return BackendError::Credentials {
            message: format!(
                "no usable AWS credentials for profile {} ({text})",
                cx.profile
            ),
            fix: login_hint(&cx.profile),
        };
    }
    if dispatch.is_timeout() {
        return BackendError::Timeout(format!(
            "{action}: {} did not answer in time ({text})",
            cx.endpoint
        ));
    }
    BackendError::Network(format!("cannot reach {}: {text}", cx.endpoint))
}

fn from_response(
    code: Option<&str>,
    message: Option<&str>,
    raw: &HttpResponse,
    action: &str,
    cx: &ErrorContext,
) -> BackendError {
    let status = raw.status().as_u16();
    let message = message.unwrap_or_default().to_string();
    let described = match (code, message.is_empty()) {
        (Some(c), false) => format!("{c}: {message}"),
        (Some(c), true) => c.to_string(),
        (None, false) => message.clone(),
        (None, true) => format!("HTTP {status}"),
    };
    let lower_message = message.to_ascii_lowercase();

    if code.is_some_and(|c| THROTTLING_CODES.contains(&c))
        || lower_message.contains("rate exceeded")
        || status == 429
    {
        return BackendError::Throttled {
            retry_after: retry_after(raw),
            message: described,
        };
    }
    let Some(code) = code else {
        return BackendError::Other(format!(
            "{action}: HTTP {status} from {} without an AWS error (is {action} implemented there?)",
            cx.endpoint
        ));
    };
    if code.ends_with("NotFoundException")
        || code.ends_with("NotFound")
        // Step Functions: ExecutionDoesNotExist, StateMachineDoesNotExist, ...
        || code.ends_with("DoesNotExist")
        || code == "QueueDoesNotExist"
        || code == "AWS.SimpleQueueService.NonExistentQueue"
    {
        return BackendError::NotFound(described);
    }
    if code.starts_with("AccessDenied") || code == "UnauthorizedOperation" {
        return BackendError::AccessDenied {
            action: action.to_string(),
            message: described,
        };
    }
    if code.starts_with("ExpiredToken") || code == "RequestExpired" {
        return BackendError::Credentials {
            message: format!(
                "the credentials of profile {} have expired ({described})",
                cx.profile
            ),
            fix: login_hint(&cx.profile),
        };
    }
    if CREDENTIAL_CODES.contains(&code) {
        return BackendError::Credentials {
            message: format!(
                "AWS does not accept the credentials of profile {} ({described})",
                cx.profile
            ),
            fix: login_hint(&cx.profile),
        };
    }
    if INVALID_INPUT_CODES.contains(&code) || lower_message.contains("invalid filter pattern") {
        return BackendError::InvalidInput(described);
    }
    BackendError::Other(format!("{action}: {described} (HTTP {status})"))
}

/// `Retry-After` (seconds, as HTTP says) or `x-amz-retry-after` (milliseconds).
fn retry_after(raw: &HttpResponse) -> Option<Duration> {
    let headers = raw.headers();
    if let Some(secs) = headers
        .get("retry-after")
        .and_then(|v| v.trim().parse::<f64>().ok())
        .filter(|s| s.is_finite() && *s >= 0.0)
    {
        return Some(Duration::from_secs_f64(secs.min(3600.0)));
    }
    headers
        .get("x-amz-retry-after")
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map(|ms| Duration::from_millis(ms.min(3_600_000)))
}

fn login_hint(profile: &str) -> String {
    format!(
        "Run `aws sso login --profile {profile}` (or refresh the credentials of that profile), \
         or pick another with --profile"
    )
}

fn mentions_credential_provider(err: &(dyn StdError + 'static)) -> bool {
    let mut cur: Option<&(dyn StdError + 'static)> = Some(err);
    while let Some(e) = cur {
        let text = e.to_string().to_ascii_lowercase();
        if CREDENTIAL_PROVIDER_TEXTS.iter().any(|t| text.contains(t)) {
            return true;
        }
        cur = e.source();
    }
    false
}

/// The error and its sources on one line, joined with ": ", skipping the SDK's generic layer
/// names and repeats.
pub(crate) fn chain_text(err: &(dyn StdError + 'static)) -> String {
    const GENERIC: &[&str] = &[
        "dispatch failure",
        "service error",
        "response error",
        "timeout",
        "other",
        "io error",
        "unhandled error",
    ];
    let mut parts: Vec<String> = Vec::new();
    let mut cur: Option<&(dyn StdError + 'static)> = Some(err);
    while let Some(e) = cur {
        // One line: multi-line texts (the credential chain lists every provider it tried)
        // become "; "-separated.
        let text = e
            .to_string()
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join("; ")
            .replace(":; ", ": ");
        let keep = !text.is_empty()
            && !GENERIC.contains(&text.as_str())
            && !parts.iter().any(|p| p.contains(&text));
        if keep {
            parts.push(text);
        }
        cur = e.source();
    }
    if parts.is_empty() {
        err.to_string()
    } else {
        parts.join(": ")
    }
}

/// Codes by which a service or an emulator says it does not know an operation.
const UNKNOWN_OPERATION_CODES: &[&str] = &[
    "UnknownOperationException",
    "UnknownOperation",
    "UnrecognizedOperation",
    "InvalidAction",
    "NotImplemented",
    "NotImplementedException",
    "UnsupportedOperation",
    "UnsupportedOperationException",
];

/// A failed StartLiveTail call. What says "live tail is not offered here" becomes
/// [`BackendError::Unavailable`] so the caller polls instead: an unknown operation, an HTTP
/// 404/405/500/501 without an AWS error (emulators), a success that is no event stream, no
/// `stream-` host in DNS, AccessDenied (allowed to poll, not to tail), LimitExceededException
/// (too many concurrent sessions in the account). Everything else is classified as any call.
pub(crate) fn classify_live_tail_start<E>(
    err: &SdkError<E, HttpResponse>,
    cx: &ErrorContext,
) -> BackendError
where
    E: ProvideErrorMetadata + StdError + 'static,
{
    const ACTION: &str = "StartLiveTail";
    let unavailable =
        |why: String| BackendError::Unavailable(format!("live tail at {}: {why}", cx.endpoint));
    let bare_status = |raw: &HttpResponse| {
        let status = raw.status().as_u16();
        matches!(status, 404 | 405 | 500 | 501).then_some(status)
    };
    match err {
        SdkError::ServiceError(service) => {
            let e = service.err();
            let message = e.message().unwrap_or_default();
            match e.code() {
                Some(code) if UNKNOWN_OPERATION_CODES.contains(&code) => {
                    return unavailable(format!("{ACTION} is not offered ({code})"));
                }
                Some("LimitExceededException")
                    if !message.to_ascii_lowercase().contains("rate exceeded") =>
                {
                    return unavailable(format!(
                        "too many live tail sessions in this account ({message})"
                    ));
                }
                None => {
                    if let Some(status) = bare_status(service.raw()) {
                        return unavailable(format!(
                            "HTTP {status} without an AWS error: {ACTION} is not implemented there"
                        ));
                    }
                }
                Some(_) => {}
            }
        }
        SdkError::ResponseError(response) => {
            if response.raw().status().is_success() {
                // The SDK reads the first frame while sending: this body is no event stream.
                return unavailable(format!(
                    "{ACTION} did not answer with an event stream ({})",
                    chain_text(err)
                ));
            }
            if let Some(status) = bare_status(response.raw()) {
                return unavailable(format!("HTTP {status}: {ACTION} is not implemented there"));
            }
        }
        SdkError::DispatchFailure(dispatch)
            if !dispatch.is_timeout() && !mentions_credential_provider(err) =>
        {
            let text = chain_text(err);
            let lower = text.to_ascii_lowercase();
            if lower.contains("dns error") || lower.contains("failed to lookup address") {
                return unavailable(format!("its streaming host does not resolve ({text})"));
            }
        }
        _ => {}
    }
    match classify(err, ACTION, cx) {
        BackendError::AccessDenied { message, .. } => {
            unavailable(format!("no permission for logs:{ACTION} ({message})"))
        }
        other => other,
    }
}

/// A failure while reading the live tail event stream. `before_first_event`: nothing arrived
/// yet, so a body that is not an event stream means the endpoint does not stream
/// ([`BackendError::Unavailable`]). Modeled exceptions other than the session timeout (which
/// the caller turns into an orderly end) are retryable [`BackendError::Other`]s: open a new
/// session.
pub(crate) fn classify_live_tail_stream<E>(
    err: &SdkError<E, RawMessage>,
    before_first_event: bool,
    cx: &ErrorContext,
) -> BackendError
where
    E: StdError + 'static,
{
    let text = chain_text(err);
    match err {
        SdkError::ResponseError(_) if before_first_event => BackendError::Unavailable(format!(
            "live tail at {}: StartLiveTail did not answer with an event stream ({text})",
            cx.endpoint
        )),
        SdkError::ResponseError(_) => BackendError::Other(format!(
            "StartLiveTail: unreadable event from {}: {text}",
            cx.endpoint
        )),
        SdkError::TimeoutError(_) => BackendError::Timeout(format!(
            "StartLiveTail: the stream from {} stalled",
            cx.endpoint
        )),
        SdkError::DispatchFailure(dispatch) if dispatch.is_timeout() => {
            BackendError::Timeout(format!(
                "StartLiveTail: the stream from {} stalled ({text})",
                cx.endpoint
            ))
        }
        SdkError::DispatchFailure(_) => BackendError::Network(format!(
            "the live tail stream from {} broke: {text}",
            cx.endpoint
        )),
        _ => BackendError::Other(format!("StartLiveTail stream: {text}")),
    }
}

#[cfg(test)]
#[path = "errors_tests.rs"]
mod tests;
