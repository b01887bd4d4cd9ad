//! How a headless command ends: exit 0 on success, 1 on an AWS or input error, 2 for bad
//! usage (clap's own, and a mutation without `--yes` when stdin is not a terminal), 3 when
//! `--read-only` refused it. An error that is a [`Refusal`] carries its code; any other is 1.

use std::io::{BufRead, IsTerminal, Write};
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

/// A mutation asks before it acts. `--yes` goes ahead; a stdin that is not a terminal is
/// refused (exit 2); on a terminal, `y`/`yes` — or, for a bulk one, the resource's name
/// typed — goes ahead, and anything else cancels it (exit 1).
pub fn confirm_mutation(summary: &str, yes: bool, type_name: Option<&str>) -> anyhow::Result<()> {
    if yes {
        return Ok(());
    }
    if !std::io::stdin().is_terminal() {
        return Err(Refusal::usage(format!(
            "{summary}: not done; stdin is not a terminal, so add --yes to do it without asking"
        ))
        .into());
    }
    let mut err = std::io::stderr().lock();
    match type_name {
        Some(name) => write!(err, "{summary}\nType the name ({name}) to go ahead: ")?,
        None => write!(err, "{summary}? [y/N] ")?,
    }
    err.flush()?;
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer)?;
    let answer = answer.trim();
    let ok = match type_name {
        Some(name) => answer == name,
        None => matches!(answer.to_ascii_lowercase().as_str(), "y" | "yes"),
    };
    if ok {
        Ok(())
    } else {
        Err(Refusal::input(format!("{summary}: cancelled")).into())
    }
}
