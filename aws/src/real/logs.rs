//! CloudWatch Logs through aws-sdk-cloudwatchlogs.

use async_trait::async_trait;
use aws_sdk_cloudwatchlogs::Client;

use super::convert;
use super::errors::{ErrorContext, classify};
use crate::api::Logs;
use crate::model::{BackendError, FilterPage, FilterRequest, LogGroup};

/// At most this many groups are listed (an account can hold far more; the picker filters by
/// prefix long before that).
pub const MAX_LOG_GROUPS: usize = 10_000;

/// DescribeLogGroups page size (the API maximum).
const DESCRIBE_PAGE: i32 = 50;

/// The real [`Logs`] backend.
#[derive(Debug, Clone)]
pub struct RealLogs {
    client: Client,
    cx: ErrorContext,
}

impl RealLogs {
    pub(crate) fn new(client: Client, cx: ErrorContext) -> Self {
        Self { client, cx }
    }
}

#[async_trait]
impl Logs for RealLogs {
    async fn list_log_groups(&self, prefix: Option<&str>) -> Result<Vec<LogGroup>, BackendError> {
        let prefix = prefix.filter(|p| !p.is_empty());
        let mut groups = Vec::new();
        let mut next_token: Option<String> = None;
        loop {
            let out = self
                .client
                .describe_log_groups()
                .set_log_group_name_prefix(prefix.map(str::to_string))
                .set_next_token(next_token.take())
                .limit(DESCRIBE_PAGE)
                .send()
                .await
                .map_err(|e| classify(&e, "DescribeLogGroups", &self.cx))?;
            groups.extend(out.log_groups().iter().filter_map(convert::log_group));
            next_token = out
                .next_token()
                .filter(|t| !t.is_empty())
                .map(str::to_string);
            if next_token.is_none() || groups.len() >= MAX_LOG_GROUPS {
                break;
            }
        }
        groups.sort_by(|a, b| a.name.cmp(&b.name));
        groups.dedup_by(|a, b| a.name == b.name);
        groups.truncate(MAX_LOG_GROUPS);
        Ok(groups)
    }

    async fn filter_log_events(&self, req: &FilterRequest) -> Result<FilterPage, BackendError> {
        let mut call = self
            .client
            .filter_log_events()
            .log_group_name(&req.group)
            .start_time(req.start_ms)
            .set_end_time(req.end_ms)
            .set_filter_pattern(req.filter_pattern.clone().filter(|p| !p.is_empty()))
            .set_next_token(req.next_token.clone())
            .set_limit(req.limit);
        if req.stream_names.is_empty() {
            call = call
                .set_log_stream_name_prefix(req.stream_prefix.clone().filter(|p| !p.is_empty()));
        } else {
            call = call.set_log_stream_names(Some(req.stream_names.clone()));
        }
        // No SDK retries here: the tail's engine retries within its own call budget, so
        // every HTTP attempt of FilterLogEvents is a call the budget counted.
        let no_retries = aws_sdk_cloudwatchlogs::config::Builder::default()
            .retry_config(aws_sdk_cloudwatchlogs::config::retry::RetryConfig::disabled());
        let out = match call.customize().config_override(no_retries).send().await {
            Ok(out) => out,
            Err(error) => {
                // A page the SDK could not read (a lone surrogate in a message): read it
                // from the raw body instead of failing it again and again.
                // The SDK reports it as an unhandled service error (or a response error)
                // with a 2xx status; the raw body is still there.
                if let Some(raw) = error.raw_response()
                    && raw.status().is_success()
                    && let Some(body) = raw.body().bytes()
                    && let Some(mut page) = super::lenient_page::decode_page(&req.group, body)
                {
                    tracing::warn!(group = %req.group, "FilterLogEvents page read leniently");
                    convert::sort_page(&mut page.events);
                    return Ok(page);
                }
                let page_like = error
                    .raw_response()
                    .and_then(|raw| raw.body().bytes())
                    .is_some_and(looks_like_a_page);
                let error = classify(&error, "FilterLogEvents", &self.cx);
                return Err(not_a_page_is_retryable(error, page_like, &self.cx));
            }
        };
        let mut events: Vec<_> = out
            .events()
            .iter()
            .map(|e| convert::log_event(&req.group, e))
            .collect();
        convert::sort_page(&mut events);
        Ok(FilterPage {
            events,
            next_token: out
                .next_token()
                .filter(|t| !t.is_empty())
                .map(str::to_string),
        })
    }
}

/// An unreadable 2xx answer is narrowed around only when it looks like a FilterLogEvents
/// page (a JSON object naming `events`, cut short or broken by one event). Anything else (an
/// HTML page from a captive portal or proxy, an empty body) says nothing about the events
/// asked for: narrowing would only spend calls and skip milliseconds that were never bad, so
/// it is an ordinary failure, retried with back-off.
fn not_a_page_is_retryable(
    error: BackendError,
    page_like: bool,
    cx: &ErrorContext,
) -> BackendError {
    match error {
        BackendError::Undecodable(_) if !page_like => BackendError::Other(format!(
            "FilterLogEvents: the answer from {} is not a FilterLogEvents page \
                 (HTTP 2xx with another body: a proxy or portal in between?)",
            cx.endpoint
        )),
        other => other,
    }
}

/// A JSON object that names `events` near its start, as every FilterLogEvents answer does.
fn looks_like_a_page(body: &[u8]) -> bool {
    let start = body.iter().position(|b| !b.is_ascii_whitespace());
    let head = &body[start.unwrap_or(body.len())..];
    head.first() == Some(&b'{') && head.windows(8).any(|w| w == b"\"events\"")
}

#[cfg(test)]
mod tests {
    use super::looks_like_a_page;

    #[test]
    fn only_a_json_object_naming_events_is_narrowed_around() {
        assert!(looks_like_a_page(br#" {"events": [{"message": "cut sho"#));
        assert!(looks_like_a_page(
            br#"{"searchedLogStreams":[],"events":[{"#
        ));
        assert!(!looks_like_a_page(
            b"<html><body>Sign in to the Wi-Fi</body></html>"
        ));
        assert!(!looks_like_a_page(b""));
        assert!(!looks_like_a_page(br#"{"message": "gateway timeout"}"#));
    }
}
