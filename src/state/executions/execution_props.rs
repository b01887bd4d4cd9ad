//! What the view draws of the open execution: the headline and notes, the selected state's
//! details, the history rows; and the detail overlays (a state's input and output in full,
//! one history event).

use unstuck_aws::model::asl::{StateKind, TaskPattern};
use unstuck_aws::model::step_functions::{HistoryEvent, StepStatus, waiting_token};
use unstuck_views::executions::props::{ExecutionView, HistoryItem, Tone};
use unstuck_views::props::{DetailLine, DetailStyle};
use unstuck_views::zone::Zone;

use super::open_execution::{OpenExecution, event_tone, status_tone};
use crate::commands::{execution_label, token_hint};
use crate::state::shared::detail::{Detail, labelled};
use crate::state::shared::durations::short_duration;
use crate::state::shared::json_value::JsonValue;
use crate::state::shared::json_view::JsonTree;

/// Characters of input or output shown beside the graph (the rest: enter).
const PREVIEW_CHARS: usize = 240;
/// History rows handed to the view around the cursor: more than its table ever shows, so a
/// frame costs the same for a history of 25,000 events as for one of 20.
const HISTORY_WINDOW: usize = 64;

fn text(label: &str, value: impl Into<String>) -> DetailLine {
    labelled(label, value, DetailStyle::Text)
}

fn preview(json: &str) -> String {
    JsonValue::parse(json).map_or_else(
        || json.chars().take(PREVIEW_CHARS).collect(),
        |v| v.compact(PREVIEW_CHARS),
    )
}

/// A state's status in words.
pub fn status_word(status: StepStatus) -> &'static str {
    match status {
        StepStatus::NotReached => "not reached",
        StepStatus::Running => "running",
        StepStatus::Waiting => "waiting",
        StepStatus::Succeeded => "succeeded",
        StepStatus::Failed => "failed",
        StepStatus::Caught => "failed, caught",
        StepStatus::Aborted => "aborted",
    }
}

impl OpenExecution {
    fn headline(&self, now_ms: i64, zone: Zone) -> (String, Tone) {
        let Some(detail) = self.detail() else {
            let what = if self.data.error.is_some() {
                "could not be read (see above; r asks again)"
            } else {
                "loading…"
            };
            return (
                format!("{} · {what}", execution_label(&self.arn)),
                Tone::Quiet,
            );
        };
        let s = &detail.summary;
        let mut line = format!(
            "{} · {} · started {} · {}",
            execution_label(&s.arn),
            s.status.as_str(),
            zone.clock(s.start_ms),
            short_duration(s.duration_ms(now_ms)),
        );
        if s.redrive_count > 0 {
            line.push_str(&format!(" · redriven {}×", s.redrive_count));
        }
        if !self.follow {
            line.push_str(" · f follows the current state");
        }
        (line, status_tone(s.status))
    }

    fn notes(&self) -> Vec<(Tone, String)> {
        let mut notes = Vec::new();
        let (Some(detail), Some(reading)) = (self.detail(), self.reading()) else {
            return notes;
        };
        for stuck in &reading.stuck {
            notes.push((Tone::Stuck, format!("STUCK: {}", stuck.reason)));
        }
        if let Err(e) = &reading.definition {
            notes.push((Tone::Failed, e.clone()));
        }
        if reading.truncated {
            notes.push((
                Tone::Warn,
                format!(
                    "only the first {} events of the history are read",
                    reading.events.len()
                ),
            ));
        }
        if let (Some(error), false) = (&detail.error, detail.summary.status.is_running()) {
            let text = match detail.cause.as_deref().filter(|c| !c.is_empty()) {
                Some(cause) => format!("{error}: {cause}"),
                None => error.clone(),
            };
            notes.push((Tone::Failed, text));
        }
        if let (Some(status), Some(reason)) =
            (&detail.redrive_status, &detail.redrive_status_reason)
            && status != "REDRIVABLE"
            && !detail.summary.status.is_running()
        {
            notes.push((Tone::Quiet, format!("redrive: {status} — {reason}")));
        }
        notes
    }

    /// The selected state's facts, beside the graph.
    fn state_details(&self, now_ms: i64, zone: Zone) -> Vec<DetailLine> {
        let (Some(definition), Some(reading), Some(id)) =
            (self.definition(), self.reading(), self.selected)
        else {
            return Vec::new();
        };
        let Some(state) = definition.state(id) else {
            return Vec::new();
        };
        let mut lines = vec![DetailLine::new(
            0,
            vec![
                (DetailStyle::Heading, state.name.clone()),
                (DetailStyle::Dim, format!("  {}", state.kind.type_name())),
            ],
        )];
        let step = reading.progress.step(&state.name);
        if let StateKind::Task(task) = &state.kind {
            if let Some(function) = &task.function {
                lines.push(text(
                    "function",
                    unstuck_aws::model::asl::lambda_function_name(function),
                ));
            }
            if task.pattern == TaskPattern::WaitForTaskToken {
                let timeout = match (&task.heartbeat, &task.timeout) {
                    (None, None) => "no heartbeat or timeout: it waits up to a year".to_string(),
                    _ => "has a heartbeat or timeout".to_string(),
                };
                lines.push(text("waits", timeout));
            }
        }
        for run in self.map_runs_of_selected().into_iter().take(3) {
            let c = &run.items;
            lines.push(labelled(
                "map run",
                format!(
                    "{} items: {} pending · {} running · {} ok · {} failed · {} timed out · {} \
                     aborted (m: its executions)",
                    c.total, c.pending, c.running, c.succeeded, c.failed, c.timed_out, c.aborted
                ),
                if c.failed + c.timed_out > 0 {
                    DetailStyle::Error
                } else {
                    DetailStyle::Text
                },
            ));
        }
        let Some(step) = step else {
            lines.push(labelled("status", "not reached", DetailStyle::Dim));
            return lines;
        };
        let mut status = status_word(step.status).to_string();
        if let Some(since) = step.waiting_since_ms {
            status.push_str(&format!(
                " since {} ({})",
                zone.clock(since),
                short_duration(now_ms - since)
            ));
        }
        lines.push(text("status", status));
        if let Some(entered) = step.entered_ms {
            lines.push(text("entered", zone.clock(entered)));
        }
        if let Some(exited) = step.exited_ms {
            lines.push(text("exited", zone.clock(exited)));
        }
        if let Some(took) = step.duration_ms(now_ms) {
            lines.push(text("took", short_duration(took)));
        }
        if step.entries > 1 {
            lines.push(text("entered", format!("{} times", step.entries)));
        }
        if step.retries() > 0 {
            lines.push(labelled(
                "retried",
                format!("{} times", step.retries()),
                DetailStyle::Error,
            ));
        }
        if let Some(error) = &step.error {
            lines.push(labelled("error", error.clone(), DetailStyle::Error));
        }
        if let Some(cause) = step.cause.as_ref().filter(|c| !c.is_empty()) {
            lines.push(labelled("cause", cause.clone(), DetailStyle::Error));
        }
        if let Some(token) = waiting_token(state, Some(step)) {
            lines.push(text(
                "token",
                format!("{} (A sends success, F failure)", token_hint(&token)),
            ));
        }
        if let Some(input) = &step.input {
            lines.push(labelled("input", preview(input), DetailStyle::String));
        }
        if let Some(output) = &step.output {
            lines.push(labelled("output", preview(output), DetailStyle::String));
        }
        lines.push(DetailLine::new(
            0,
            vec![(DetailStyle::Dim, "enter: input and output in full".into())],
        ));
        lines
    }

    /// The rows around the cursor, and the cursor's index among them.
    fn history_items(&self, zone: Zone) -> (Vec<HistoryItem<'_>>, usize) {
        let start = self.detail().map_or(0, |d| d.summary.start_ms);
        let events = self.events();
        let first = self
            .history_cursor
            .saturating_sub(HISTORY_WINDOW - 1)
            .min(events.len().saturating_sub(HISTORY_WINDOW));
        let items = events[first..]
            .iter()
            .take(HISTORY_WINDOW)
            .map(|e| HistoryItem {
                id: e.id,
                kind: &e.kind,
                state: e.state.as_deref().unwrap_or(""),
                time: zone.clock(e.timestamp_ms),
                elapsed: format!("+{:.1}s", (e.timestamp_ms - start) as f64 / 1_000.0),
                tone: event_tone(e),
            })
            .collect();
        (items, self.history_cursor - first)
    }

    pub fn view(&self, now_ms: i64, zone: Zone) -> ExecutionView<'_> {
        let (headline, tone) = self.headline(now_ms, zone);
        let (history, history_cursor) = self.history_items(zone);
        ExecutionView {
            headline,
            tone,
            notes: self.notes(),
            definition: self.definition(),
            layout: &self.layout,
            tones: &self.tones,
            selected: self.selected,
            pan_x: self.pan_x,
            details: self.state_details(now_ms, zone),
            selected_line: self.selected_line(now_ms, zone),
            history,
            history_cursor,
            history_focused: self.history_focused,
            history_total: self.events().len(),
        }
    }

    /// The selected state in one line: name, status (and since when), retries, error.
    fn selected_line(&self, now_ms: i64, zone: Zone) -> String {
        let Some(name) = self.selected_name() else {
            return String::new();
        };
        let Some(step) = self.reading().and_then(|r| r.progress.step(name)) else {
            return format!("{name} · not reached");
        };
        let mut line = format!("{name} · {}", status_word(step.status));
        if let Some(since) = step.waiting_since_ms {
            line.push_str(&format!(
                " since {} ({})",
                zone.clock(since),
                short_duration(now_ms - since)
            ));
        }
        if step.retries() > 0 {
            line.push_str(&format!(" · retried {}×", step.retries()));
        }
        if let Some(error) = &step.error {
            line.push_str(&format!(" · {error}"));
        }
        line.push_str(" · enter for more");
        line
    }

    /// The selected state's input and output in full (or the selected event's, when the
    /// history has the keys).
    pub fn full_detail(&self) -> Option<Detail> {
        if self.history_focused {
            return self.selected_event().map(event_detail);
        }
        let name = self.selected_name()?;
        let step = self.reading()?.progress.step(name);
        let mut header = Vec::new();
        if let Some(step) = step {
            if let Some(error) = &step.error {
                header.push(labelled("error", error.clone(), DetailStyle::Error));
            }
            if let Some(cause) = step.cause.as_ref().filter(|c| !c.is_empty()) {
                header.push(labelled("cause", cause.clone(), DetailStyle::Error));
            }
        }
        let input = step.and_then(|s| s.input.as_deref());
        let output = step.and_then(|s| s.output.as_deref());
        Some(io_detail(
            format!("{name} · input and output"),
            header,
            input,
            output,
        ))
    }
}

/// A detail of an input and an output: one folded JSON tree when both are JSON, else text.
fn io_detail(
    title: String,
    header: Vec<DetailLine>,
    input: Option<&str>,
    output: Option<&str>,
) -> Detail {
    let json = format!(
        "{{\"input\":{},\"output\":{}}}",
        input.unwrap_or("null"),
        output.unwrap_or("null")
    );
    match JsonValue::parse(&json) {
        Some(value) => Detail::build(title, header, Some(JsonTree::new(value)), Vec::new()),
        None => {
            let mut body = Vec::new();
            for (label, text) in [("input", input), ("output", output)] {
                body.push(DetailLine::new(
                    0,
                    vec![(DetailStyle::Heading, label.into())],
                ));
                for line in text.unwrap_or("(none)").lines() {
                    body.push(DetailLine::new(
                        2,
                        vec![(DetailStyle::Text, line.to_string())],
                    ));
                }
            }
            Detail::build(title, header, None, body)
        }
    }
}

fn event_detail(event: &HistoryEvent) -> Detail {
    let mut header = vec![
        text("event", format!("{} {}", event.id, event.kind)),
        text("after", event.previous_id.to_string()),
    ];
    let optional = [
        ("state", &event.state),
        ("resource", &event.resource),
        ("error", &event.error),
        ("cause", &event.cause),
        ("params", &event.parameters),
    ];
    for (label, value) in optional {
        if let Some(value) = value {
            header.push(text(label, value.clone()));
        }
    }
    io_detail(
        format!("event {} · {}", event.id, event.kind),
        header,
        event.input.as_deref(),
        event.output.as_deref(),
    )
}
