//! `unstuck execution stop|redrive|send-task-success|send-task-failure|send-task-heartbeat`:
//! the mutations for runbooks and scripts. Each is refused by `--read-only` (exit 3) before
//! any call; asks before it acts when stdin is a terminal, and needs `--yes` when it is not
//! (exit 2); takes the task token the execution waits on from its history unless one is
//! given; goes through the audit log; then reads the execution once to show its new status.

use serde_json::json;
use unstuck_aws::api::{Backends, StepFunctions};
use unstuck_aws::model::asl;
use unstuck_aws::model::step_functions::{ExecutionProgress, waiting_tokens};

use super::render;
use crate::cli::{ExecutionAction, MutationArgs, OutputFormat};
use crate::commands::{
    AuditLog, MutationContext, SfnCommand, SfnOperation, run_audited, valid_json,
};
use crate::exit::Refusal;

/// The common arguments of a mutation subcommand, if `action` is one.
pub fn mutation_args(action: &ExecutionAction) -> Option<&MutationArgs> {
    match action {
        ExecutionAction::Show(_) => None,
        ExecutionAction::Stop(a) => Some(&a.target),
        ExecutionAction::Redrive(a) | ExecutionAction::SendTaskHeartbeat(a) => Some(a),
        ExecutionAction::SendTaskSuccess(a) => Some(&a.target),
        ExecutionAction::SendTaskFailure(a) => Some(&a.target),
    }
}

/// The token to answer and the state waiting on it: the one given, or the one the execution
/// waits on (an error when it waits on none, or on several and none was given).
async fn token_for(
    api: &dyn StepFunctions,
    arn: &str,
    given: Option<&str>,
) -> anyhow::Result<(String, Option<String>)> {
    let detail = api.describe_execution(arn).await?;
    let waiting = if detail.summary.status.is_running() {
        let ran = api.definition_for_execution(arn).await?;
        let definition = asl::parse(&ran.definition)?;
        let mut events = Vec::new();
        let mut next = None;
        loop {
            let page = api.execution_history(arn, next.as_deref()).await?;
            events.extend(page.events);
            next = page.next_token;
            if next.is_none() {
                break;
            }
        }
        waiting_tokens(&definition, &ExecutionProgress::from_history(&events))
    } else {
        Vec::new()
    };
    if let Some(token) = given {
        let state = waiting
            .iter()
            .find(|(_, t)| t == token)
            .map(|(s, _)| s.clone());
        return Ok((token.to_string(), state));
    }
    match waiting.as_slice() {
        [(state, token)] => Ok((token.clone(), Some(state.clone()))),
        [] => Err(Refusal::input(format!(
            "{} is {} and waits on no task token (give one with --task-token)",
            crate::commands::execution_label(arn),
            detail.summary.status.as_str()
        ))
        .into()),
        several => Err(Refusal::input(format!(
            "{} waits on {} task tokens ({}): say which with --task-token",
            crate::commands::execution_label(arn),
            several.len(),
            several
                .iter()
                .map(|(s, _)| s.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ))
        .into()),
    }
}

/// The command `action` asks for.
async fn build(api: &dyn StepFunctions, action: &ExecutionAction) -> anyhow::Result<SfnCommand> {
    let target = mutation_args(action).ok_or_else(|| anyhow::anyhow!("not a mutation"))?;
    let arn = target.execution_arn.clone();
    let no_token = || -> anyhow::Result<()> {
        match target.task_token {
            Some(_) => Err(Refusal::usage(
                "--task-token is for send-task-success, send-task-failure and send-task-heartbeat",
            )
            .into()),
            None => Ok(()),
        }
    };
    let (state, operation) = match action {
        ExecutionAction::Show(_) => anyhow::bail!("not a mutation"),
        ExecutionAction::Stop(a) => {
            no_token()?;
            let operation = SfnOperation::Stop {
                error: a.error.clone(),
                cause: a.cause.clone(),
            };
            (None, operation)
        }
        ExecutionAction::Redrive(_) => {
            no_token()?;
            (None, SfnOperation::Redrive)
        }
        ExecutionAction::SendTaskSuccess(a) => {
            let output = valid_json(&a.task_output)
                .map_err(|e| Refusal::input(format!("--task-output: {e}")))?;
            let (token, state) = token_for(api, &arn, target.task_token.as_deref()).await?;
            (state, SfnOperation::SendTaskSuccess { token, output })
        }
        ExecutionAction::SendTaskFailure(a) => {
            let (token, state) = token_for(api, &arn, target.task_token.as_deref()).await?;
            let operation = SfnOperation::SendTaskFailure {
                token,
                error: a.error.clone(),
                cause: a.cause.clone(),
            };
            (state, operation)
        }
        ExecutionAction::SendTaskHeartbeat(_) => {
            let (token, state) = token_for(api, &arn, target.task_token.as_deref()).await?;
            (state, SfnOperation::SendTaskHeartbeat { token })
        }
    };
    Ok(SfnCommand {
        execution_arn: arn,
        state,
        operation,
    })
}

/// Run one mutation subcommand.
pub async fn run_mutation(backends: Backends, action: &ExecutionAction) -> anyhow::Result<()> {
    let target = mutation_args(action).ok_or_else(|| anyhow::anyhow!("not a mutation"))?;
    let Some(ops) = backends.step_functions_ops.clone() else {
        return Err(Refusal::read_only(format!(
            "read-only: refused to change {} (drop --read-only, or read_only in config.toml)",
            crate::commands::execution_label(&target.execution_arn)
        ))
        .into());
    };
    let api = backends.step_functions.as_ref();
    let command = build(api, action).await?;
    let summary = command.summary();
    crate::exit::confirm_mutation(&summary, target.yes, None)?;
    let cx = MutationContext {
        ops,
        audit: AuditLog::in_state_dir(),
        session: crate::commands::audit_session(&backends).await,
        clock: backends.clock.clone(),
    };
    let done = run_audited(&command, &cx).await?;
    let status = api
        .describe_execution(&command.execution_arn)
        .await
        .map(|d| d.summary.status.as_str().to_string())
        .ok();
    let out = match target.output {
        OutputFormat::Text => match &status {
            Some(status) => format!("{done}; the execution is {status}\n"),
            None => format!("{done}\n"),
        },
        OutputFormat::Json => {
            json!({
                "command": command.api_name(),
                "executionArn": command.execution_arn,
                "state": command.state,
                "summary": summary,
                "outcome": "ok",
                "status": status,
            })
            .to_string()
                + "\n"
        }
    };
    render::print(&out)
}
