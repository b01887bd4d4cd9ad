//! CloudWatch Synthetics and RUM through their SDK clients. Neither emulator serves them to
//! the Rust SDK (TESTING.md): the request/response mapping is covered with aws-smithy-mocks
//! (`signals_mocked`), the behaviour above the traits with the demo world.

use async_trait::async_trait;
use aws_sdk_synthetics::types::CanaryRun as SdkRun;

use super::errors::{ErrorContext, classify};
use crate::api::{Rum, Synthetics};
use crate::model::BackendError;
use crate::model::signals::{AppMonitor, Canary, CanaryRun, RunStatus};
use crate::untrusted_text::sanitize_line;

/// Canaries read at most.
pub const MAX_CANARIES: usize = 500;

fn clean(text: Option<&str>) -> String {
    sanitize_line(text.unwrap_or_default()).into_owned()
}

/// The real [`Synthetics`] backend.
#[derive(Debug, Clone)]
pub struct RealSynthetics {
    client: aws_sdk_synthetics::Client,
    cx: ErrorContext,
}

impl RealSynthetics {
    pub(crate) fn new(client: aws_sdk_synthetics::Client, cx: ErrorContext) -> Self {
        Self { client, cx }
    }
}

pub(crate) fn canary_run(r: &SdkRun) -> CanaryRun {
    let status = r.status();
    CanaryRun {
        id: clean(r.id()),
        status: RunStatus::parse(status.and_then(|s| s.state()).map_or("", |s| s.as_str())),
        reason: clean(status.and_then(|s| s.state_reason())),
        started_ms: r
            .timeline()
            .and_then(|t| t.started())
            .and_then(|t| t.to_millis().ok()),
        completed_ms: r
            .timeline()
            .and_then(|t| t.completed())
            .and_then(|t| t.to_millis().ok()),
    }
}

#[async_trait]
impl Synthetics for RealSynthetics {
    async fn canaries(&self) -> Result<Vec<Canary>, BackendError> {
        let mut canaries = Vec::new();
        let mut next_token: Option<String> = None;
        loop {
            let page = self
                .client
                .describe_canaries()
                .max_results(20)
                .set_next_token(next_token.take())
                .send()
                .await
                .map_err(|e| classify(&e, "DescribeCanaries", &self.cx))?;
            canaries.extend(page.canaries().iter().map(|c| Canary {
                name: clean(c.name()),
                state: clean(c.status().and_then(|s| s.state()).map(|s| s.as_str())),
                schedule: clean(c.schedule().and_then(|s| s.expression())),
                last_run: None,
                runs: Vec::new(),
            }));
            next_token = page
                .next_token()
                .filter(|t| !t.is_empty())
                .map(str::to_string);
            if next_token.is_none() || canaries.len() >= MAX_CANARIES {
                break;
            }
        }
        let mut next_token: Option<String> = None;
        loop {
            let page = self
                .client
                .describe_canaries_last_run()
                .max_results(100)
                .set_next_token(next_token.take())
                .send()
                .await
                .map_err(|e| classify(&e, "DescribeCanariesLastRun", &self.cx))?;
            for last in page.canaries_last_run() {
                let name = clean(last.canary_name());
                if let Some(canary) = canaries.iter_mut().find(|c| c.name == name) {
                    canary.last_run = last.last_run().map(canary_run);
                }
            }
            next_token = page
                .next_token()
                .filter(|t| !t.is_empty())
                .map(str::to_string);
            if next_token.is_none() {
                break;
            }
        }
        Ok(canaries)
    }

    async fn canary_runs(&self, name: &str, max: usize) -> Result<Vec<CanaryRun>, BackendError> {
        let out = self
            .client
            .get_canary_runs()
            .name(name)
            .max_results(i32::try_from(max.clamp(1, 100)).unwrap_or(100))
            .send()
            .await
            .map_err(|e| classify(&e, "GetCanaryRuns", &self.cx))?;
        let mut runs: Vec<CanaryRun> = out.canary_runs().iter().map(canary_run).collect();
        runs.sort_by_key(|r| std::cmp::Reverse(r.started_ms));
        Ok(runs)
    }
}

/// The real [`Rum`] backend.
#[derive(Debug, Clone)]
pub struct RealRum {
    client: aws_sdk_rum::Client,
    cx: ErrorContext,
}

impl RealRum {
    pub(crate) fn new(client: aws_sdk_rum::Client, cx: ErrorContext) -> Self {
        Self { client, cx }
    }
}

#[async_trait]
impl Rum for RealRum {
    async fn app_monitors(&self) -> Result<Vec<AppMonitor>, BackendError> {
        let mut out = Vec::new();
        let mut next_token: Option<String> = None;
        loop {
            let page = self
                .client
                .list_app_monitors()
                .max_results(100)
                .set_next_token(next_token.take())
                .send()
                .await
                .map_err(|e| classify(&e, "ListAppMonitors", &self.cx))?;
            out.extend(page.app_monitor_summaries().iter().map(|m| AppMonitor {
                name: clean(m.name()),
                id: clean(m.id()),
                domain: String::new(),
                state: clean(m.state().map(|s| s.as_str())),
            }));
            next_token = page
                .next_token()
                .filter(|t| !t.is_empty())
                .map(str::to_string);
            if next_token.is_none() || out.len() >= MAX_CANARIES {
                break;
            }
        }
        Ok(out)
    }
}
