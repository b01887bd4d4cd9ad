//! CloudWatch Logs Live Tail (StartLiveTail): a pushed stream of newly ingested events,
//! offered next to polling with FilterLogEvents.
//!
//! A session covers at most [`MAX_LIVE_TAIL_GROUPS`] log groups (the caller splits larger sets
//! with [`LiveTailRequest::split`]) and AWS ends it after [`LIVE_TAIL_SESSION_MS`]: the
//! caller opens a new one on [`LiveTailUpdate::Ended`]. Above
//! [`LIVE_TAIL_MAX_EVENTS_PER_SECOND`] matching events a second AWS samples them and says so
//! ([`LiveTailUpdate::Events::sampled`]); the app shows that some events were dropped.

use crate::model::{BackendError, LogEvent};

/// Log groups one StartLiveTail session may cover.
pub const MAX_LIVE_TAIL_GROUPS: usize = 10;

/// AWS ends a live tail session after three hours (SessionTimeoutException).
pub const LIVE_TAIL_SESSION_MS: i64 = 3 * 3600 * 1000;

/// Above this many matching events a second, AWS samples them down to this many.
pub const LIVE_TAIL_MAX_EVENTS_PER_SECOND: usize = 500;

/// What to tail. Mirrors StartLiveTail's parameters.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LiveTailRequest {
    /// Log group names or ARNs (a trailing `:*` is accepted), 1 to [`MAX_LIVE_TAIL_GROUPS`].
    /// Events carry the entry exactly as given here in [`LogEvent::group`].
    pub groups: Vec<String>,
    /// Only these streams (needs exactly one group; excludes `stream_prefixes`).
    pub stream_names: Vec<String>,
    /// Only streams starting with one of these (needs exactly one group).
    pub stream_prefixes: Vec<String>,
    /// A CloudWatch Logs filter pattern, evaluated by the backend.
    pub filter_pattern: Option<String>,
}

impl LiveTailRequest {
    /// All streams of these groups, unfiltered.
    pub fn for_groups<I, S>(groups: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self {
            groups: groups.into_iter().map(Into::into).collect(),
            ..Self::default()
        }
    }

    /// The same request over chunks of at most [`MAX_LIVE_TAIL_GROUPS`] groups, one per
    /// session (none when there are no groups).
    pub fn split(&self) -> Vec<LiveTailRequest> {
        self.groups
            .chunks(MAX_LIVE_TAIL_GROUPS)
            .map(|chunk| LiveTailRequest {
                groups: chunk.to_vec(),
                ..self.clone()
            })
            .collect()
    }

    /// What StartLiveTail rejects, checked before calling it.
    pub fn validate(&self) -> Result<(), BackendError> {
        let n = self.groups.len();
        if n == 0 || n > MAX_LIVE_TAIL_GROUPS {
            return Err(BackendError::InvalidInput(format!(
                "live tail takes 1 to {MAX_LIVE_TAIL_GROUPS} log groups per session, got {n}"
            )));
        }
        if self.groups.iter().any(|g| log_group_name_of(g).is_empty()) {
            return Err(BackendError::InvalidInput(
                "live tail: empty log group name".to_string(),
            ));
        }
        let streams_filtered = !self.stream_names.is_empty() || !self.stream_prefixes.is_empty();
        if streams_filtered && n != 1 {
            return Err(BackendError::InvalidInput(
                "live tail can filter log streams only when tailing exactly one log group"
                    .to_string(),
            ));
        }
        if !self.stream_names.is_empty() && !self.stream_prefixes.is_empty() {
            return Err(BackendError::InvalidInput(
                "live tail takes stream names or stream prefixes, not both".to_string(),
            ));
        }
        Ok(())
    }
}

/// One step of a live tail session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LiveTailUpdate {
    /// The session is open (always the first update).
    Started {
        session_id: String,
        /// The groups it covers, as given in the request.
        groups: Vec<String>,
    },
    /// Newly ingested events (never empty), ordered by event time.
    Events {
        events: Vec<LogEvent>,
        /// More events matched than AWS delivers (over 500 a second): some were dropped.
        sampled: bool,
    },
    /// AWS closed the session (the 3-hour timeout, or the end of the stream). The caller
    /// opens a new one; the session yields nothing more.
    Ended { reason: String },
}

/// The log group name in a name or ARN: `arn:aws:logs:r:a:log-group:NAME[:*]` -> `NAME`,
/// `account:NAME` (how live tail sometimes names groups) is left alone, a name is itself.
pub fn log_group_name_of(identifier: &str) -> &str {
    if !identifier.starts_with("arn:") {
        return identifier;
    }
    match identifier.split_once(":log-group:") {
        Some((_, name)) => name.strip_suffix(":*").unwrap_or(name),
        None => identifier,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_of_arns_and_names() {
        assert_eq!(log_group_name_of("/aws/lambda/x"), "/aws/lambda/x");
        assert_eq!(
            log_group_name_of("arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/x"),
            "/aws/lambda/x"
        );
        assert_eq!(
            log_group_name_of("arn:aws-cn:logs:cn-north-1:1:log-group:/a:b:*"),
            "/a:b"
        );
        assert_eq!(
            log_group_name_of("arn:aws:s3:::bucket"),
            "arn:aws:s3:::bucket"
        );
    }

    #[test]
    fn split_into_sessions_of_ten() {
        let req = LiveTailRequest {
            filter_pattern: Some("ERROR".into()),
            ..LiveTailRequest::for_groups((0..23).map(|i| format!("/g/{i}")))
        };
        let parts = req.split();
        let sizes: Vec<_> = parts.iter().map(|p| p.groups.len()).collect();
        assert_eq!(sizes, [10, 10, 3]);
        assert_eq!(parts[2].groups[0], "/g/20");
        assert!(
            parts
                .iter()
                .all(|p| p.filter_pattern.as_deref() == Some("ERROR"))
        );
        assert!(parts.iter().all(|p| p.validate().is_ok()));
        assert!(LiveTailRequest::default().split().is_empty());
    }

    #[test]
    fn validation_follows_start_live_tail() {
        let invalid =
            |r: LiveTailRequest| matches!(r.validate(), Err(BackendError::InvalidInput(_)));
        assert!(invalid(LiveTailRequest::default()));
        assert!(invalid(LiveTailRequest::for_groups(
            (0..11).map(|i| i.to_string())
        )));
        assert!(invalid(LiveTailRequest::for_groups([""])));
        let two = LiveTailRequest {
            stream_prefixes: vec!["2026/".into()],
            ..LiveTailRequest::for_groups(["/a", "/b"])
        };
        assert!(invalid(two));
        let both = LiveTailRequest {
            stream_names: vec!["s".into()],
            stream_prefixes: vec!["p".into()],
            ..LiveTailRequest::for_groups(["/a"])
        };
        assert!(invalid(both));
        let one = LiveTailRequest {
            stream_names: vec!["s".into()],
            ..LiveTailRequest::for_groups(["/a"])
        };
        assert_eq!(one.validate(), Ok(()));
    }

    #[test]
    fn unavailable_is_final() {
        let e = BackendError::Unavailable("StartLiveTail is not served by moto".into());
        assert!(!e.is_retryable());
        assert!(e.is_unavailable());
        assert_eq!(
            e.to_string(),
            "not available: StartLiveTail is not served by moto"
        );
    }
}
