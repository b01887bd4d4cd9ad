//! The backend boundary: async traits per service, taking and returning model types.
//! Implemented by `real` (aws-sdk-rust) and `sim` (the demo world); both are held to the
//! same contract tests.

use std::sync::Arc;

use async_trait::async_trait;

use crate::model::{
    ApiCalls, BackendError, FilterPage, FilterRequest, Identity, LiveTailRequest, LiveTailUpdate,
    LogGroup,
};

/// CloudWatch Logs.
#[async_trait]
pub trait Logs: Send + Sync {
    /// All log groups whose name starts with `prefix` (all groups when `None`), following
    /// pagination, sorted by name.
    async fn list_log_groups(&self, prefix: Option<&str>) -> Result<Vec<LogGroup>, BackendError>;

    /// One FilterLogEvents call: exactly one page (the caller follows `next_token`).
    async fn filter_log_events(&self, req: &FilterRequest) -> Result<FilterPage, BackendError>;
}

/// CloudWatch Logs Live Tail (StartLiveTail): events pushed as they are ingested.
#[async_trait]
pub trait LiveTail: Send + Sync {
    /// Opens a session over at most [`crate::model::MAX_LIVE_TAIL_GROUPS`] groups (the caller
    /// splits with [`LiveTailRequest::split`]). [`BackendError::Unavailable`] means live tail
    /// is not offered here (emulator, custom endpoint, no permission, session limit): the
    /// caller falls back to polling with [`Logs::filter_log_events`].
    async fn start_live_tail(
        &self,
        req: &LiveTailRequest,
    ) -> Result<Box<dyn LiveTailSession>, BackendError>;
}

/// One open live tail session. Dropping it closes the stream.
#[async_trait]
pub trait LiveTailSession: Send {
    /// The next update: first [`LiveTailUpdate::Started`], then [`LiveTailUpdate::Events`]
    /// as events arrive, finally [`LiveTailUpdate::Ended`] when AWS closes the session.
    /// `Ok(None)` once it has ended or failed; an `Err` also ends it (open a new session).
    async fn next(&mut self) -> Result<Option<LiveTailUpdate>, BackendError>;
}

/// Who and where we are.
#[async_trait]
pub trait Session: Send + Sync {
    async fn identity(&self) -> Result<Identity, BackendError>;
}

/// Wall-clock time in epoch milliseconds. The real backend reads the system clock; the
/// demo world is a fixed epoch plus tokio time, so tests with paused time are deterministic.
pub trait WallClock: Send + Sync {
    fn now_ms(&self) -> i64;
}

/// The system clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl WallClock for SystemClock {
    fn now_ms(&self) -> i64 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
            .unwrap_or(0)
    }
}

/// What the header shows about where we are connected.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BackendLabel {
    /// "DEMO" for the simulated world, else the profile name ("default" when none).
    pub profile: String,
    pub region: String,
    pub endpoint_url: Option<String>,
    pub is_demo: bool,
}

/// Every service the app talks to, behind its trait.
#[derive(Clone)]
pub struct Backends {
    pub logs: Arc<dyn Logs>,
    pub session: Arc<dyn Session>,
    /// Live Tail; `Unavailable` where it is not offered (see [`LiveTail`]).
    pub live_tail: Arc<dyn LiveTail>,
    pub clock: Arc<dyn WallClock>,
    pub label: BackendLabel,
    /// Every AWS API call made through these backends, per operation.
    pub calls: Arc<ApiCalls>,
}
