//! The one error type every backend call returns. It says whether and when to retry.

use std::time::Duration;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BackendError {
    /// ThrottlingException, "Rate exceeded", TooManyRequests, HTTP 429.
    #[error("throttled by AWS: {message}")]
    Throttled {
        retry_after: Option<Duration>,
        message: String,
    },
    #[error("access denied to {action}: {message}")]
    AccessDenied { action: String, message: String },
    /// Missing, expired or invalid credentials (ExpiredToken, UnrecognizedClient, no SSO
    /// token). `fix` says what to run ("aws sso login --profile prod").
    #[error("credentials problem: {message}. {fix}")]
    Credentials { message: String, fix: String },
    /// The local AWS set-up is incomplete (no region configured): not a credentials problem.
    #[error("set-up problem: {message}. {fix}")]
    Setup { message: String, fix: String },
    #[error("not found: {0}")]
    NotFound(String),
    /// The request itself is wrong (bad filter pattern, bad parameter).
    #[error("invalid request: {0}")]
    InvalidInput(String),
    #[error("timed out: {0}")]
    Timeout(String),
    /// Could not reach the endpoint (emulator down, DNS, TLS).
    #[error("network error: {0}")]
    Network(String),
    /// The operation is not offered where we are connected (an emulator without it, a
    /// non-streaming endpoint, no permission for it, an account limit): the caller uses
    /// another way (live tail falls back to polling). Not retryable.
    #[error("not available: {0}")]
    Unavailable(String),
    /// A 2xx answer that could not be read even leniently (a page holding text or fields no
    /// decoder accepts). Asking again gets the same page: the caller narrows the request.
    #[error("undecodable answer: {0}")]
    Undecodable(String),
    #[error("{0}")]
    Other(String),
}

impl BackendError {
    /// Whether trying the same call again later can succeed.
    pub fn is_retryable(&self) -> bool {
        matches!(
            self,
            Self::Throttled { .. } | Self::Timeout(_) | Self::Network(_) | Self::Other(_)
        )
    }

    /// What the user can do about it, when the error knows (shown before the cause).
    pub fn fix(&self) -> Option<&str> {
        match self {
            Self::Credentials { fix, .. } | Self::Setup { fix, .. } => Some(fix),
            _ => None,
        }
    }

    pub fn is_undecodable(&self) -> bool {
        matches!(self, Self::Undecodable(_))
    }

    pub fn is_unavailable(&self) -> bool {
        matches!(self, Self::Unavailable(_))
    }

    pub fn is_throttling(&self) -> bool {
        matches!(self, Self::Throttled { .. })
    }

    /// The wait AWS asked for, when it asked.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Self::Throttled { retry_after, .. } => *retry_after,
            _ => None,
        }
    }
}
