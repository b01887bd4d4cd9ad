//! An execution's history reduced to where each state stands: not reached, running, waiting
//! (for a token, a worker or a time), succeeded, failed, failed and caught, aborted, with its
//! times, tries, input, output and error. One pass, O(events): a 25,000-event history
//! reduces in well under the frame budget.
//!
//! Events other than a state's entry and exit name no state; each belongs to the state its
//! `previous_id` chain leads to, which is how AWS links them, except the events of a Parallel
//! or Map itself (`MapStateSucceeded`, `ParallelStateFailed`, `MapIterationStarted`, ...):
//! their previous event is often the last one of an inner state, so they go to the region
//! that inner state sits in. Each state reached knows its region, from the event it was
//! entered after.

use std::collections::HashMap;

use super::ExecutionStatus;
use super::history::{EventPhase, HistoryEvent, MAX_HISTORY_EVENTS};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StepStatus {
    #[default]
    NotReached,
    Running,
    /// Waiting for something outside: a task token, an activity worker, a Wait's time.
    Waiting,
    Succeeded,
    Failed,
    /// Failed, and a Catch (or the state's exit) took the execution on.
    Caught,
    Aborted,
}

impl StepStatus {
    pub fn is_active(self) -> bool {
        matches!(self, Self::Running | Self::Waiting)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct StepRecord {
    pub status: StepStatus,
    /// The last entry (a state entered again, by a loop or a Map iteration, keeps the last).
    pub entered_ms: Option<i64>,
    pub exited_ms: Option<i64>,
    /// Since when it waits, while it waits.
    pub waiting_since_ms: Option<i64>,
    /// Times entered.
    pub entries: u32,
    /// Times its work was scheduled (a retry schedules it again).
    pub attempts: u32,
    pub resource: Option<String>,
    pub input: Option<String>,
    pub output: Option<String>,
    pub error: Option<String>,
    pub cause: Option<String>,
    /// The rendered parameters of its last scheduled task (where a task token is).
    pub parameters: Option<String>,
    /// The id of its last event.
    pub last_event_id: i64,
}

impl StepRecord {
    /// Tries beyond the first of each entry.
    pub fn retries(&self) -> u32 {
        self.attempts.saturating_sub(self.entries)
    }

    /// How long its last entry took (or has taken, at `now_ms`).
    pub fn duration_ms(&self, now_ms: i64) -> Option<i64> {
        let entered = self.entered_ms?;
        Some(
            self.exited_ms
                .unwrap_or(now_ms)
                .saturating_sub(entered)
                .max(0),
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ExecutionProgress {
    /// Every state reached, by name, in the order first entered.
    pub steps: Vec<(String, StepRecord)>,
    index: HashMap<String, usize>,
    pub events: usize,
    pub first_event_ms: Option<i64>,
    pub last_event_ms: Option<i64>,
    /// How the execution ended, if it has.
    pub ended: Option<ExecutionStatus>,
    pub error: Option<String>,
    pub cause: Option<String>,
}

/// An event's owner, and whether it opens its owner to inner states (a Parallel or Map's
/// entry or one of its own events: a state entered after it is inside that region).
#[derive(Debug, Clone, Copy, Default)]
struct Owner {
    step: Option<usize>,
    opens: bool,
}

/// An event of a Parallel or Map itself, other than its entry and exit.
fn is_region_event(kind: &str) -> bool {
    let region = ["ParallelState", "MapState", "MapIteration", "MapRun"]
        .iter()
        .any(|p| kind.starts_with(p));
    region && !kind.ends_with("Entered") && !kind.ends_with("Exited")
}

impl ExecutionProgress {
    /// Reduce a history (in event order, as GetExecutionHistory pages it).
    pub fn from_history(events: &[HistoryEvent]) -> Self {
        let mut progress = Self::default();
        // Event id -> the step it belongs to. Ids count up from 1, so a vector does.
        let mut owner: Vec<Owner> = Vec::with_capacity(events.len() + 1);
        // Per step: the Parallel or Map it sits in.
        let mut region: Vec<Option<usize>> = Vec::new();
        for event in events {
            progress.absorb(event, &mut owner, &mut region);
        }
        progress
    }

    pub fn step(&self, name: &str) -> Option<&StepRecord> {
        self.index.get(name).map(|&i| &self.steps[i].1)
    }

    pub fn status(&self, name: &str) -> StepStatus {
        self.step(name).map_or(StepStatus::NotReached, |s| s.status)
    }

    /// The states running or waiting now, in the order first entered.
    pub fn active(&self) -> impl Iterator<Item = (&str, &StepRecord)> {
        self.steps
            .iter()
            .filter(|(_, s)| s.status.is_active())
            .map(|(n, s)| (n.as_str(), s))
    }

    /// The state running or waiting now that was entered last (where the execution is).
    pub fn newest_active(&self) -> Option<(&str, &StepRecord)> {
        self.active().max_by_key(|(_, s)| s.entered_ms)
    }

    fn step_index(&mut self, name: &str) -> usize {
        if let Some(&i) = self.index.get(name) {
            return i;
        }
        self.steps.push((name.to_string(), StepRecord::default()));
        self.index.insert(name.to_string(), self.steps.len() - 1);
        self.steps.len() - 1
    }

    fn absorb(
        &mut self,
        event: &HistoryEvent,
        owner: &mut Vec<Owner>,
        region: &mut Vec<Option<usize>>,
    ) {
        self.events += 1;
        self.first_event_ms.get_or_insert(event.timestamp_ms);
        self.last_event_ms = Some(event.timestamp_ms);
        let before = usize::try_from(event.previous_id)
            .ok()
            .and_then(|i| owner.get(i).copied())
            .unwrap_or_default();
        let previous = before.step;
        // The region a state entered now, or a region event, belongs to.
        let enclosing = match before.step {
            Some(p) if before.opens => Some(p),
            Some(p) => region.get(p).copied().flatten(),
            None => None,
        };
        let phase = event.phase();
        let region_event = is_region_event(&event.kind);
        let mine = match (phase, &event.state) {
            (EventPhase::StateEntered | EventPhase::StateExited, Some(name)) => {
                let i = self.step_index(name);
                if region.len() <= i {
                    region.resize(i + 1, None);
                }
                if phase == EventPhase::StateEntered && enclosing != Some(i) {
                    region[i] = enclosing;
                }
                Some(i)
            }
            _ if region_event => enclosing,
            _ => previous,
        };
        let opens = region_event
            || (phase == EventPhase::StateEntered
                && (event.kind == "ParallelStateEntered" || event.kind == "MapStateEntered"));
        if let Ok(id) = usize::try_from(event.id)
            && id < 10 * MAX_HISTORY_EVENTS
        {
            if owner.len() <= id {
                owner.resize(id + 1, Owner::default());
            }
            owner[id] = Owner { step: mine, opens };
        }
        let at = event.timestamp_ms;
        match phase {
            EventPhase::ExecutionEnded(status) => {
                self.ended = Some(status);
                self.error.clone_from(&event.error);
                self.cause.clone_from(&event.cause);
                // A Fail state (or an uncaught error) fails the execution: that state failed.
                if status == ExecutionStatus::Failed
                    && let Some(p) = previous
                    && self.steps[p].1.status.is_active()
                {
                    let step = &mut self.steps[p].1;
                    step.status = StepStatus::Failed;
                    step.exited_ms.get_or_insert(at);
                    step.waiting_since_ms = None;
                    if step.error.is_none() {
                        step.error.clone_from(&event.error);
                        step.cause.clone_from(&event.cause);
                    }
                }
                for (_, step) in &mut self.steps {
                    if step.status.is_active() {
                        step.status = StepStatus::Aborted;
                        step.exited_ms.get_or_insert(at);
                        step.waiting_since_ms = None;
                    }
                }
                return;
            }
            EventPhase::ExecutionRedriven => {
                self.ended = None;
                return;
            }
            _ => {}
        }
        // A state entered from one that failed: the failure was caught.
        if phase == EventPhase::StateEntered
            && let Some(p) = previous
            && p != mine.unwrap_or(usize::MAX)
            && self.steps[p].1.status == StepStatus::Failed
        {
            self.steps[p].1.status = StepStatus::Caught;
        }
        let Some(i) = mine else {
            return;
        };
        let step = &mut self.steps[i].1;
        step.last_event_id = event.id;
        match phase {
            EventPhase::StateEntered => {
                step.entries += 1;
                step.entered_ms = Some(at);
                step.exited_ms = None;
                step.error = None;
                step.cause = None;
                step.input.clone_from(&event.input);
                let waits = event.kind == "WaitStateEntered";
                step.status = if waits {
                    StepStatus::Waiting
                } else {
                    StepStatus::Running
                };
                step.waiting_since_ms = waits.then_some(at);
            }
            EventPhase::StateExited => {
                step.exited_ms = Some(at);
                step.output.clone_from(&event.output);
                step.waiting_since_ms = None;
                step.status = match step.status {
                    StepStatus::Failed | StepStatus::Caught => StepStatus::Caught,
                    _ => StepStatus::Succeeded,
                };
            }
            EventPhase::Scheduled => {
                step.attempts += 1;
                if event.resource.is_some() {
                    step.resource.clone_from(&event.resource);
                }
                step.parameters.clone_from(&event.parameters);
                // An activity waits for a worker until it is started.
                let activity = event.kind == "ActivityScheduled";
                step.status = if activity {
                    StepStatus::Waiting
                } else {
                    StepStatus::Running
                };
                step.waiting_since_ms = activity.then_some(at);
            }
            EventPhase::Started => {
                step.status = StepStatus::Running;
                step.waiting_since_ms = None;
            }
            EventPhase::Submitted => {
                step.status = StepStatus::Waiting;
                step.waiting_since_ms = Some(at);
            }
            // A late success report does not take back an exit already seen.
            EventPhase::WorkSucceeded
                if matches!(step.status, StepStatus::Succeeded | StepStatus::Caught) => {}
            EventPhase::WorkSucceeded => {
                step.status = StepStatus::Running;
                step.waiting_since_ms = None;
                if event.output.is_some() {
                    step.output.clone_from(&event.output);
                }
            }
            EventPhase::WorkFailed => {
                step.status = StepStatus::Failed;
                step.waiting_since_ms = None;
                step.error.clone_from(&event.error);
                step.cause.clone_from(&event.cause);
            }
            EventPhase::StateAborted => {
                step.status = StepStatus::Aborted;
                step.waiting_since_ms = None;
                step.exited_ms = Some(at);
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests;
