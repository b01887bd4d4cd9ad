//! CloudWatch Logs Live Tail through aws-sdk-cloudwatchlogs (StartLiveTail, an event stream).
//!
//! - **Group identifiers.** StartLiveTail takes log group ARNs. Entries of the request that
//!   already are ARNs are sent as given (a trailing `:*` dropped); names become
//!   `arn:<partition>:logs:<region>:<account>:log-group:<name>`, with the account and the
//!   partition from STS GetCallerIdentity, asked once on the first start that needs them and
//!   cached. Events name their group by identifier (ARN or name); they are mapped back to the
//!   request's entry, so the app sees the keys it asked for.
//! - **Custom endpoints.** The SDK prepends the host prefix `stream-` to the endpoint
//!   (`http://127.0.0.1:5000` becomes `http://stream-127.0.0.1:5000`, which does not resolve),
//!   and no emulator serves a real stream anyway: with an endpoint override `connect` installs
//!   [`LiveTailUnavailable`], and the app polls.
//! - **Fallback.** Whatever says "not offered here" is [`BackendError::Unavailable`]: see
//!   `errors::classify_live_tail_start`, plus a 200 answer that is not an event stream (the
//!   first event is awaited before the session is handed out).
//! - **Updates.** AWS sends one update a second, empty when nothing was ingested; empty
//!   updates are skipped. `sessionMetadata.sampled` becomes `sampled`. Live tail events have
//!   no event id: a stable one is derived from (group, stream, time, ingestion, message).
//!   SessionTimeoutException (after 3 h) and the end of the stream become
//!   [`LiveTailUpdate::Ended`]; SessionStreamingException and transport failures are errors.

use std::collections::VecDeque;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use aws_sdk_cloudwatchlogs::Client;
use aws_sdk_cloudwatchlogs::primitives::event_stream::EventReceiver;
use aws_sdk_cloudwatchlogs::types::error::StartLiveTailResponseStreamError as StreamError;
use aws_sdk_cloudwatchlogs::types::{
    LiveTailSessionLogEvent, LiveTailSessionUpdate, StartLiveTailResponseStream as StreamEvent,
};
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::event_stream::RawMessage;
use tokio::sync::OnceCell;

use super::errors::{ErrorContext, classify_live_tail_start, classify_live_tail_stream};
use crate::api::{LiveTail, LiveTailSession, Session};
use crate::model::{BackendError, LiveTailRequest, LiveTailUpdate, LogEvent, log_group_name_of};

/// How long StartLiveTail may take to send its first event (AWS sends the session start at
/// once; an endpoint that says nothing does not stream).
pub const FIRST_EVENT_TIMEOUT: Duration = Duration::from_secs(10);

/// AWS sends an update every second; a stream silent this long is dead.
pub const IDLE_TIMEOUT: Duration = Duration::from_secs(30);

/// The real [`LiveTail`] backend.
pub struct RealLiveTail {
    client: Client,
    cx: ErrorContext,
    region: String,
    session: Arc<dyn Session>,
    /// (partition, account) of the caller, for building log group ARNs.
    account: OnceCell<(String, String)>,
}

impl RealLiveTail {
    /// `session` answers who we are (once, when a request names a group without its ARN).
    pub(crate) fn new(
        client: Client,
        cx: ErrorContext,
        region: String,
        session: Arc<dyn Session>,
    ) -> Self {
        Self {
            client,
            cx,
            region,
            session,
            account: OnceCell::new(),
        }
    }

    /// The ARN of every entry, in order.
    async fn identifiers(&self, groups: &[String]) -> Result<Vec<String>, BackendError> {
        let mut out = Vec::with_capacity(groups.len());
        for group in groups {
            if group.starts_with("arn:") {
                out.push(group.strip_suffix(":*").unwrap_or(group).to_string());
                continue;
            }
            let (partition, account) = self.partition_and_account().await?;
            out.push(format!(
                "arn:{partition}:logs:{}:{account}:log-group:{group}",
                self.region
            ));
        }
        Ok(out)
    }

    async fn partition_and_account(&self) -> Result<&(String, String), BackendError> {
        self.account
            .get_or_try_init(|| async {
                let id = self.session.identity().await?;
                let account = id.account.filter(|a| !a.is_empty()).ok_or_else(|| {
                    BackendError::Other(
                        "live tail: STS did not say which account we are in".to_string(),
                    )
                })?;
                let partition = id
                    .arn
                    .as_deref()
                    .and_then(|arn| arn.strip_prefix("arn:"))
                    .and_then(|rest| rest.split(':').next())
                    .filter(|p| !p.is_empty())
                    .map_or_else(|| partition_of_region(&self.region), str::to_string);
                Ok((partition, account))
            })
            .await
    }
}

impl std::fmt::Debug for RealLiveTail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RealLiveTail")
            .field("region", &self.region)
            .field("cx", &self.cx)
            .finish_non_exhaustive()
    }
}

#[async_trait]
impl LiveTail for RealLiveTail {
    async fn start_live_tail(
        &self,
        req: &LiveTailRequest,
    ) -> Result<Box<dyn LiveTailSession>, BackendError> {
        req.validate()?;
        let identifiers = self.identifiers(&req.groups).await?;
        let non_empty = |v: &Vec<String>| Some(v.clone()).filter(|v| !v.is_empty());
        let out = self
            .client
            .start_live_tail()
            .set_log_group_identifiers(Some(identifiers.clone()))
            .set_log_stream_names(non_empty(&req.stream_names))
            .set_log_stream_name_prefixes(non_empty(&req.stream_prefixes))
            .set_log_event_filter_pattern(req.filter_pattern.clone().filter(|p| !p.is_empty()))
            .send()
            .await
            .map_err(|e| classify_live_tail_start(&e, &self.cx))?;
        let groups = GroupKeys::new(&req.groups, identifiers);
        let mut session = RealSession {
            receiver: out.response_stream,
            groups,
            cx: self.cx.clone(),
            pending: VecDeque::new(),
            received_any: false,
            done: false,
        };
        session.open().await?;
        Ok(Box::new(session))
    }
}

/// Live tail where it cannot work (an endpoint override: see the module docs).
#[derive(Debug, Clone)]
pub struct LiveTailUnavailable {
    reason: String,
}

impl LiveTailUnavailable {
    pub fn new(reason: impl Into<String>) -> Self {
        Self {
            reason: reason.into(),
        }
    }
}

#[async_trait]
impl LiveTail for LiveTailUnavailable {
    async fn start_live_tail(
        &self,
        _req: &LiveTailRequest,
    ) -> Result<Box<dyn LiveTailSession>, BackendError> {
        Err(BackendError::Unavailable(self.reason.clone()))
    }
}

/// One open StartLiveTail stream.
struct RealSession {
    receiver: EventReceiver<StreamEvent, StreamError>,
    groups: GroupKeys,
    cx: ErrorContext,
    pending: VecDeque<LiveTailUpdate>,
    received_any: bool,
    done: bool,
}

impl RealSession {
    /// Waits for the first event, so that an endpoint that does not stream is `Unavailable`
    /// at start rather than a failure later.
    async fn open(&mut self) -> Result<(), BackendError> {
        let first = tokio::time::timeout(FIRST_EVENT_TIMEOUT, self.receiver.recv())
            .await
            .map_err(|_| {
                BackendError::Timeout(format!(
                    "StartLiveTail: no session start from {} within {}s",
                    self.cx.endpoint,
                    FIRST_EVENT_TIMEOUT.as_secs()
                ))
            })?;
        match first {
            Ok(Some(StreamEvent::SessionStart(start))) => {
                self.received_any = true;
                let groups = start
                    .log_group_identifiers()
                    .iter()
                    .map(|g| self.groups.key_of(g))
                    .collect::<Vec<_>>();
                self.pending.push_back(LiveTailUpdate::Started {
                    session_id: start.session_id().unwrap_or_default().to_string(),
                    groups: if groups.is_empty() {
                        self.groups.keys()
                    } else {
                        groups
                    },
                });
            }
            Ok(Some(other)) => {
                self.received_any = true;
                self.pending.push_back(LiveTailUpdate::Started {
                    session_id: String::new(),
                    groups: self.groups.keys(),
                });
                let converted = self.convert(other);
                self.pending.extend(converted);
            }
            Ok(None) => {
                return Err(BackendError::Unavailable(format!(
                    "live tail at {}: the stream ended before the session started",
                    self.cx.endpoint
                )));
            }
            Err(e) => {
                return match self.on_error(&e) {
                    Ok(Some(LiveTailUpdate::Ended { reason })) => Err(BackendError::Other(
                        format!("StartLiveTail: the session ended at once: {reason}"),
                    )),
                    Ok(_) => Err(BackendError::Other("StartLiveTail: no session".into())),
                    Err(e) => Err(e),
                };
            }
        }
        Ok(())
    }

    fn convert(&self, event: StreamEvent) -> Option<LiveTailUpdate> {
        match event {
            StreamEvent::SessionStart(start) => Some(LiveTailUpdate::Started {
                session_id: start.session_id().unwrap_or_default().to_string(),
                groups: self.groups.keys(),
            }),
            StreamEvent::SessionUpdate(update) => session_update(&update, &self.groups),
            _ => None,
        }
    }

    /// The session timeout is an orderly end; anything else ends the session with an error.
    fn on_error(
        &mut self,
        err: &SdkError<StreamError, RawMessage>,
    ) -> Result<Option<LiveTailUpdate>, BackendError> {
        self.done = true;
        if let Some(StreamError::SessionTimeoutException(e)) = err.as_service_error() {
            let detail = e.message().unwrap_or("the session timed out");
            return Ok(Some(LiveTailUpdate::Ended {
                reason: format!("live tail session timed out after 3 hours ({detail})"),
            }));
        }
        Err(classify_live_tail_stream(err, !self.received_any, &self.cx))
    }
}

#[async_trait]
impl LiveTailSession for RealSession {
    async fn next(&mut self) -> Result<Option<LiveTailUpdate>, BackendError> {
        loop {
            if let Some(update) = self.pending.pop_front() {
                return Ok(Some(update));
            }
            if self.done {
                return Ok(None);
            }
            let Ok(received) = tokio::time::timeout(IDLE_TIMEOUT, self.receiver.recv()).await
            else {
                self.done = true;
                return Err(BackendError::Timeout(format!(
                    "StartLiveTail: nothing from {} for {}s",
                    self.cx.endpoint,
                    IDLE_TIMEOUT.as_secs()
                )));
            };
            match received {
                Ok(Some(event)) => {
                    self.received_any = true;
                    if let Some(update) = self.convert(event) {
                        return Ok(Some(update));
                    }
                }
                Ok(None) => {
                    self.done = true;
                    return Ok(Some(LiveTailUpdate::Ended {
                        reason: "AWS closed the live tail stream".to_string(),
                    }));
                }
                Err(e) => return self.on_error(&e),
            }
        }
    }
}

/// Maps the group identifiers AWS reports back to the request's entries.
#[derive(Debug, Clone)]
struct GroupKeys {
    /// (entry as requested, its name, the ARN sent)
    entries: Vec<(String, String, String)>,
}

impl GroupKeys {
    fn new(requested: &[String], sent: Vec<String>) -> Self {
        let entries = requested
            .iter()
            .zip(sent)
            .map(|(entry, arn)| (entry.clone(), log_group_name_of(entry).to_string(), arn))
            .collect();
        Self { entries }
    }

    fn keys(&self) -> Vec<String> {
        self.entries.iter().map(|(k, _, _)| k.clone()).collect()
    }

    /// The entry an identifier (ARN, `account:name` or name) stands for; unknown ones by
    /// their name.
    fn key_of(&self, identifier: &str) -> String {
        let trimmed = identifier.strip_suffix(":*").unwrap_or(identifier);
        if let Some((k, _, _)) = self
            .entries
            .iter()
            .find(|(k, _, arn)| k == identifier || arn == trimmed)
        {
            return k.clone();
        }
        let name = log_group_name_of(identifier);
        self.entries
            .iter()
            .filter(|(_, n, _)| {
                n == name
                    || trimmed
                        .strip_suffix(n.as_str())
                        .is_some_and(|head| head.ends_with(':'))
            })
            .max_by_key(|(_, n, _)| n.len())
            .map_or_else(|| name.to_string(), |(k, _, _)| k.clone())
    }
}

/// One LiveTailSessionUpdate; `None` when it carries no events.
fn session_update(update: &LiveTailSessionUpdate, groups: &GroupKeys) -> Option<LiveTailUpdate> {
    let mut events: Vec<LogEvent> = update
        .session_results()
        .iter()
        .map(|e| live_event(e, groups))
        .collect();
    if events.is_empty() {
        return None;
    }
    events.sort_by_key(|e| e.timestamp_ms);
    Some(LiveTailUpdate::Events {
        events,
        sampled: update.session_metadata().is_some_and(|m| m.sampled()),
    })
}

fn live_event(e: &LiveTailSessionLogEvent, groups: &GroupKeys) -> LogEvent {
    let group = groups.key_of(e.log_group_identifier().unwrap_or_default());
    let stream = e.log_stream_name().unwrap_or_default().to_string();
    let timestamp_ms = e.timestamp().unwrap_or(0);
    let ingestion_time_ms = e.ingestion_time().unwrap_or(timestamp_ms);
    let message = e.message().unwrap_or_default().to_string();
    let event_id = live_event_id(&group, &stream, timestamp_ms, ingestion_time_ms, &message);
    LogEvent {
        timestamp_ms,
        ingestion_time_ms,
        group,
        stream,
        event_id,
        message,
    }
}

/// Live tail events carry no id; the app de-duplicates by id, so derive a stable one.
fn live_event_id(group: &str, stream: &str, ts: i64, ingested: i64, message: &str) -> String {
    // DefaultHasher::new() has fixed keys: the same event always gets the same id.
    let mut h = DefaultHasher::new();
    (group, stream, ts, ingested, message).hash(&mut h);
    format!("live-{ts}-{:016x}", h.finish())
}

/// The ARN partition of a region, when STS gave no ARN to read it from.
fn partition_of_region(region: &str) -> String {
    let partition = if region.starts_with("cn-") {
        "aws-cn"
    } else if region.starts_with("us-gov-") {
        "aws-us-gov"
    } else if region.starts_with("us-isob-") {
        "aws-iso-b"
    } else if region.starts_with("us-iso-") {
        "aws-iso"
    } else {
        "aws"
    };
    partition.to_string()
}

#[cfg(test)]
#[path = "live_tail_tests.rs"]
mod tests;
