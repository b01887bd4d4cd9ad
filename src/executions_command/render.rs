//! How `unstuck executions` and `unstuck execution show` print: aligned text for people, JSON
//! for scripts (times in RFC 3339 UTC, statuses as AWS spells them, stuck kinds as documented).
//! Every text here was neutralised at ingest.

use std::io::Write;

use serde_json::{Value, json};
use unicode_width::UnicodeWidthStr;
use unstuck_aws::model::asl::{Definition, State};
use unstuck_aws::model::step_functions::{
    ExecutionDetail, ExecutionProgress, StepRecord, StepStatus, Stuck, human_duration,
    waiting_token,
};

use super::Found;

/// Write to stdout; a reader that went away (`| head`) is not an error.
pub fn print(text: &str) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(()),
    }
}

/// RFC 3339 in UTC, to the second.
pub fn rfc3339(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
        .unwrap_or_default()
}

/// `2026-11-20 02:46:11Z`.
fn shown_time(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| t.format("%Y-%m-%d %H:%M:%SZ").to_string())
        .unwrap_or_default()
}

fn stuck_json(stuck: &Stuck) -> Value {
    json!({
        "kind": stuck.kind.as_str(),
        "reason": stuck.reason,
        "state": stuck.state,
        "since": stuck.since_ms.map(rfc3339),
    })
}

/// Columns padded to their widest cell, two spaces apart; the last is not padded.
fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    let widths: Vec<usize> = (0..header.len())
        .map(|c| {
            rows.iter()
                .map(|r| r[c].width())
                .chain([header[c].width()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |cells: &[String]| {
        let mut out = String::new();
        for (c, cell) in cells.iter().enumerate() {
            out.push_str(cell);
            if c + 1 < cells.len() {
                out.push_str(&" ".repeat(widths[c] - cell.width() + 2));
            }
        }
        out.trim_end().to_string() + "\n"
    };
    let head: Vec<String> = header.iter().map(|h| (*h).to_string()).collect();
    std::iter::once(line(&head))
        .chain(rows.iter().map(|r| line(r)))
        .collect()
}

pub fn executions_text(found: &[Found], now_ms: i64) -> String {
    if found.is_empty() {
        return "no executions\n".to_string();
    }
    let rows: Vec<Vec<String>> = found
        .iter()
        .map(|f| {
            let s = &f.summary;
            vec![
                s.name.clone(),
                f.machine.clone(),
                s.status.as_str().to_string(),
                shown_time(s.start_ms),
                human_duration(s.duration_ms(now_ms)),
                s.redrive_count.to_string(),
                f.stuck
                    .as_ref()
                    .map(|st| format!("{}: {}", st.kind.as_str(), st.reason))
                    .unwrap_or_default(),
            ]
        })
        .collect();
    table(
        &[
            "NAME", "MACHINE", "STATUS", "STARTED", "DURATION", "REDRIVES", "STUCK",
        ],
        &rows,
    )
}

pub fn executions_json(found: &[Found]) -> String {
    let items: Vec<Value> = found
        .iter()
        .map(|f| {
            let s = &f.summary;
            json!({
                "executionArn": s.arn,
                "name": s.name,
                "stateMachineArn": s.state_machine_arn,
                "stateMachineName": f.machine,
                "status": s.status.as_str(),
                "startDate": rfc3339(s.start_ms),
                "stopDate": s.stop_ms.map(rfc3339),
                "redriveCount": s.redrive_count,
                "stuck": f.stuck.as_ref().map(stuck_json),
            })
        })
        .collect();
    Value::Array(items).to_string() + "\n"
}

fn status_word(status: StepStatus) -> &'static str {
    match status {
        StepStatus::NotReached => "not_reached",
        StepStatus::Running => "running",
        StepStatus::Waiting => "waiting",
        StepStatus::Succeeded => "succeeded",
        StepStatus::Failed => "failed",
        StepStatus::Caught => "caught",
        StepStatus::Aborted => "aborted",
    }
}

/// Each state of the definition in order, with what the history says of it.
fn state_rows<'a>(
    definition: &'a Definition,
    progress: &'a ExecutionProgress,
) -> impl Iterator<Item = (&'a State, Option<&'a StepRecord>)> {
    definition
        .reading_order()
        .into_iter()
        .filter_map(|id| definition.state(id))
        .map(|s| (s, progress.step(&s.name)))
}

pub fn show_text(
    detail: &ExecutionDetail,
    definition: &Definition,
    progress: &ExecutionProgress,
    stuck: &[Stuck],
    now_ms: i64,
) -> String {
    let s = &detail.summary;
    let mut out = String::new();
    let mut field = |name: &str, value: String| {
        if !value.is_empty() {
            out.push_str(&format!("{name:<9}{value}\n"));
        }
    };
    field("name", s.name.clone());
    field("arn", s.arn.clone());
    field(
        "status",
        format!(
            "{}, started {} ({} {})",
            s.status.as_str(),
            shown_time(s.start_ms),
            human_duration(s.duration_ms(now_ms)),
            if s.stop_ms.is_some() { "run" } else { "so far" }
        ),
    );
    let current: Vec<String> = progress
        .active()
        .map(|(name, step)| match step.waiting_since_ms {
            Some(since) => format!("{name} (waiting {})", human_duration(now_ms - since)),
            None => name.to_string(),
        })
        .collect();
    field("current", current.join(", "));
    for st in stuck {
        field("stuck", format!("{}: {}", st.kind.as_str(), st.reason));
    }
    if let Some(error) = &detail.error {
        field(
            "error",
            format!("{error}: {}", detail.cause.clone().unwrap_or_default()),
        );
    }
    if let Some(redrive) = &detail.redrive_status {
        let reason = detail.redrive_status_reason.clone().unwrap_or_default();
        field(
            "redrive",
            if reason.is_empty() {
                redrive.clone()
            } else {
                format!("{redrive}: {reason}")
            },
        );
    }
    for (state, step) in state_rows(definition, progress) {
        if let Some(token) = waiting_token(state, step) {
            let shown: String = token.chars().take(24).collect();
            field(
                "token",
                format!(
                    "{}: {shown}… ({} characters; --output json has it whole)",
                    state.name,
                    token.len()
                ),
            );
        }
    }
    field(
        "input",
        detail.input.clone().unwrap_or_default().replace('\n', " "),
    );
    out.push('\n');
    let rows: Vec<Vec<String>> = state_rows(definition, progress)
        .map(|(state, step)| {
            let status = step.map_or(StepStatus::NotReached, |r| r.status);
            vec![
                state.name.clone(),
                state.kind.type_name().to_string(),
                status_word(status).to_string(),
                step.and_then(|r| r.entered_ms)
                    .map(shown_time)
                    .unwrap_or_default(),
                step.and_then(|r| r.duration_ms(now_ms))
                    .map(human_duration)
                    .unwrap_or_default(),
                step.map(|r| r.retries().to_string()).unwrap_or_default(),
                step.and_then(|r| r.error.clone()).unwrap_or_default(),
            ]
        })
        .collect();
    out + &table(
        &[
            "STATE", "TYPE", "STATUS", "ENTERED", "DURATION", "RETRIES", "ERROR",
        ],
        &rows,
    )
}

pub fn show_json(
    detail: &ExecutionDetail,
    definition: &Definition,
    progress: &ExecutionProgress,
    stuck: &[Stuck],
) -> String {
    let s = &detail.summary;
    let states: Vec<Value> = state_rows(definition, progress)
        .map(|(state, step)| {
            json!({
                "name": state.name,
                "type": state.kind.type_name(),
                "parent": state.parent.and_then(|p| definition.state(p)).map(|p| p.name.clone()),
                "status": status_word(step.map_or(StepStatus::NotReached, |r| r.status)),
                "enteredDate": step.and_then(|r| r.entered_ms).map(rfc3339),
                "exitedDate": step.and_then(|r| r.exited_ms).map(rfc3339),
                "attempts": step.map_or(0, |r| r.attempts),
                "retries": step.map_or(0, |r| r.retries()),
                "error": step.and_then(|r| r.error.clone()),
                "cause": step.and_then(|r| r.cause.clone()),
                "taskToken": waiting_token(state, step),
            })
        })
        .collect();
    json!({
        "executionArn": s.arn,
        "name": s.name,
        "stateMachineArn": s.state_machine_arn,
        "status": s.status.as_str(),
        "startDate": rfc3339(s.start_ms),
        "stopDate": s.stop_ms.map(rfc3339),
        "input": detail.input,
        "output": detail.output,
        "error": detail.error,
        "cause": detail.cause,
        "redriveStatus": detail.redrive_status,
        "redriveStatusReason": detail.redrive_status_reason,
        "current": progress.active().map(|(n, _)| n).collect::<Vec<_>>(),
        "stuck": stuck.iter().map(stuck_json).collect::<Vec<_>>(),
        "states": states,
    })
    .to_string()
        + "\n"
}
