//! How a headless command ends: exit 0 on success, 1 on an AWS or input error, 2 for bad
//! usage (clap's own, and a mutation without `--yes` when stdin is not a terminal), 3 when
//! `--read-only` refused it. An error that is a [`Refusal`] carries its code; any other is 1.

use std::process::ExitCode;

#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct Refusal {
    pub code: u8,
    pub message: String,
}

impl Refusal {
    /// An input the command cannot act on (exit 1).
    pub fn input(message: impl Into<String>) -> Self {
        Self {
            code: 1,
            message: message.into(),
        }
    }

    /// Bad usage (exit 2).
    pub fn usage(message: impl Into<String>) -> Self {
        Self {
            code: 2,
            message: message.into(),
        }
    }

    /// Refused by `--read-only` (exit 3).
    pub fn read_only(message: impl Into<String>) -> Self {
        Self {
            code: 3,
            message: message.into(),
        }
    }
}

/// The exit code of a command that failed with `error`.
pub fn code_of(error: &anyhow::Error) -> ExitCode {
    match error.downcast_ref::<Refusal>() {
        Some(refusal) => ExitCode::from(refusal.code),
        None => ExitCode::FAILURE,
    }
}
