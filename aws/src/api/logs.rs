//! CloudWatch Logs: the read traits the logs pane and the tail use, and the topics the
//! poller fetches for them (with their timing). Logs has no mutations yet; when it does,
//! they go in a `LogsOps` trait here, which `--read-only` never builds.

use std::time::Duration;

use async_trait::async_trait;

use super::Backends;
use super::topic::{Service, TopicTiming};
use crate::model::{
    BackendError, FilterPage, FilterRequest, LiveTailRequest, LiveTailUpdate, LogGroup,
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

/// What the poller can fetch from CloudWatch Logs.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum LogsTopic {
    /// Every log group (DescribeLogGroups, all pages).
    Groups,
}

/// What a [`LogsTopic`] yields.
#[derive(Debug, Clone, PartialEq)]
pub enum LogsData {
    Groups(Vec<LogGroup>),
}

impl LogsTopic {
    pub fn timing(&self) -> TopicTiming {
        match self {
            LogsTopic::Groups => TopicTiming::every(Duration::from_secs(60)),
        }
    }

    pub fn service(&self) -> Service {
        Service::Logs
    }

    /// What it fetches, for error messages ("log groups: access denied ...").
    pub fn resource(&self) -> String {
        match self {
            LogsTopic::Groups => "log groups".to_string(),
        }
    }

    pub async fn fetch(&self, backends: &Backends) -> Result<LogsData, BackendError> {
        match self {
            LogsTopic::Groups => backends
                .logs
                .list_log_groups(None)
                .await
                .map(LogsData::Groups),
        }
    }
}
