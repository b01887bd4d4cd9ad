//! Lambda through aws-sdk-lambda: functions, event source mappings, the account's limit.

use async_trait::async_trait;
use aws_sdk_lambda::Client;
use aws_smithy_types::DateTime;
use aws_smithy_types::date_time::Format;

use super::errors::{ErrorContext, classify};
use crate::api::Functions;
use crate::model::BackendError;
use crate::model::functions::{EventSourceMapping, FunctionConfig, FunctionDestinations};
use crate::untrusted_text::sanitize_line;

/// Functions listed at most (ListFunctions pages of 50).
pub const MAX_FUNCTIONS: usize = 5_000;

/// The real [`Functions`] backend.
#[derive(Debug, Clone)]
pub struct RealFunctions {
    client: Client,
    cx: ErrorContext,
}

impl RealFunctions {
    pub(crate) fn new(client: Client, cx: ErrorContext) -> Self {
        Self { client, cx }
    }
}

fn clean(text: Option<&str>) -> String {
    sanitize_line(text.unwrap_or_default()).into_owned()
}

/// Lambda writes `2026-11-14T08:10:00.000+0000`; RFC 3339 wants `+00:00`.
pub(crate) fn lambda_time_ms(text: &str) -> Option<i64> {
    let normalised = match text.strip_suffix("+0000") {
        Some(head) => format!("{head}Z"),
        None => text.to_string(),
    };
    let t = DateTime::from_str(&normalised, Format::DateTime).ok()?;
    t.to_millis().ok()
}

pub(crate) fn function_config(f: &aws_sdk_lambda::types::FunctionConfiguration) -> FunctionConfig {
    FunctionConfig {
        name: clean(f.function_name()),
        arn: clean(f.function_arn()),
        runtime: clean(f.runtime().map(|r| r.as_str())),
        memory_mb: f
            .memory_size()
            .and_then(|m| u32::try_from(m).ok())
            .unwrap_or(128),
        timeout_s: f.timeout().and_then(|t| u32::try_from(t).ok()).unwrap_or(3),
        last_modified_ms: f.last_modified().and_then(lambda_time_ms),
        architecture: f
            .architectures()
            .first()
            .map_or_else(|| "x86_64".to_string(), |a| clean(Some(a.as_str()))),
        dead_letter_arn: f
            .dead_letter_config()
            .and_then(|d| d.target_arn())
            .filter(|arn| !arn.is_empty())
            .map(|arn| clean(Some(arn))),
    }
}

/// The destinations of the function itself (`...:function:NAME` or `:$LATEST`) among the
/// configs of its versions and aliases; else the first.
fn unqualified_destinations(
    configs: &[aws_sdk_lambda::types::FunctionEventInvokeConfig],
) -> FunctionDestinations {
    let unqualified = |c: &&aws_sdk_lambda::types::FunctionEventInvokeConfig| {
        c.function_arn().is_none_or(|arn| {
            arn.ends_with(":$LATEST")
                || arn
                    .split(":function:")
                    .nth(1)
                    .is_some_and(|n| !n.contains(':'))
        })
    };
    let Some(config) = configs.iter().find(unqualified).or_else(|| configs.first()) else {
        return FunctionDestinations::default();
    };
    let destination = config.destination_config();
    let arn = |a: Option<&str>| a.filter(|a| !a.is_empty()).map(|a| clean(Some(a)));
    FunctionDestinations {
        on_success: arn(destination
            .and_then(|d| d.on_success())
            .and_then(|o| o.destination())),
        on_failure: arn(destination
            .and_then(|d| d.on_failure())
            .and_then(|o| o.destination())),
    }
}

#[async_trait]
impl Functions for RealFunctions {
    async fn list_functions(&self) -> Result<Vec<FunctionConfig>, BackendError> {
        let mut out = Vec::new();
        let mut marker: Option<String> = None;
        loop {
            let page = self
                .client
                .list_functions()
                .max_items(50)
                .set_marker(marker.take())
                .send()
                .await
                .map_err(|e| classify(&e, "ListFunctions", &self.cx))?;
            out.extend(page.functions().iter().map(function_config));
            marker = page
                .next_marker()
                .filter(|m| !m.is_empty())
                .map(str::to_string);
            if marker.is_none() || out.len() >= MAX_FUNCTIONS {
                break;
            }
        }
        out.sort_by(|a, b| a.name.cmp(&b.name));
        out.truncate(MAX_FUNCTIONS);
        Ok(out)
    }

    async fn event_source_mappings(&self) -> Result<Vec<EventSourceMapping>, BackendError> {
        let mut out = Vec::new();
        let mut marker: Option<String> = None;
        loop {
            let page = self
                .client
                .list_event_source_mappings()
                .max_items(100)
                .set_marker(marker.take())
                .send()
                .await
                .map_err(|e| classify(&e, "ListEventSourceMappings", &self.cx))?;
            out.extend(
                page.event_source_mappings()
                    .iter()
                    .map(|m| EventSourceMapping {
                        uuid: clean(m.uuid()),
                        function_arn: clean(m.function_arn()),
                        source_arn: clean(m.event_source_arn()),
                        state: clean(m.state()),
                        batch_size: m.batch_size().and_then(|b| u32::try_from(b).ok()),
                    }),
            );
            marker = page
                .next_marker()
                .filter(|m| !m.is_empty())
                .map(str::to_string);
            if marker.is_none() || out.len() >= MAX_FUNCTIONS {
                break;
            }
        }
        Ok(out)
    }

    async fn account_concurrency_limit(&self) -> Result<Option<u32>, BackendError> {
        let out = self
            .client
            .get_account_settings()
            .send()
            .await
            .map_err(|e| classify(&e, "GetAccountSettings", &self.cx))?;
        Ok(out
            .account_limit()
            .and_then(|l| u32::try_from(l.concurrent_executions()).ok()))
    }

    async fn destinations(&self, function: &str) -> Result<FunctionDestinations, BackendError> {
        let out = self
            .client
            .list_function_event_invoke_configs()
            .function_name(function)
            .max_items(50)
            .send()
            .await
            .map_err(|e| classify(&e, "ListFunctionEventInvokeConfigs", &self.cx))?;
        Ok(unqualified_destinations(
            out.function_event_invoke_configs(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lambda_times_are_read_with_their_odd_offset() {
        assert_eq!(lambda_time_ms("1970-01-01T00:00:01.500+0000"), Some(1_500));
        assert_eq!(lambda_time_ms("not a time"), None);
    }
}
