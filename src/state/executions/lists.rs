//! The pane's state and its two lists: the machines, and one machine's executions (one
//! page of ListExecutions, filtered by status in AWS and by name here).

use std::collections::HashMap;

use regex::Regex;
use unstuck_aws::api::{ExecutionsView, MachineRow, StepFunctionsData, StepFunctionsTopic};
use unstuck_aws::model::step_functions::{ExecutionStatus, MachineType, Stuck};

use super::open_execution::OpenExecution;
use crate::config::{Action, Context, Keymap};
use crate::state::shared::pane_ctx::key_for;
use crate::state::shared::polled::{PollError, Polled};
use crate::state::shared::regex_filter::compile_filter;

pub const STATUS_WORDS: [&str; 6] = [
    "all",
    "running",
    "failed",
    "timed-out",
    "aborted",
    "succeeded",
];
const STATUSES: [Option<ExecutionStatus>; 6] = [
    None,
    Some(ExecutionStatus::Running),
    Some(ExecutionStatus::Failed),
    Some(ExecutionStatus::TimedOut),
    Some(ExecutionStatus::Aborted),
    Some(ExecutionStatus::Succeeded),
];

pub fn status_word(status: Option<ExecutionStatus>) -> &'static str {
    let i = STATUSES.iter().position(|s| *s == status).unwrap_or(0);
    STATUS_WORDS[i]
}

pub fn next_status(status: Option<ExecutionStatus>) -> Option<ExecutionStatus> {
    let i = STATUSES.iter().position(|s| *s == status).unwrap_or(0);
    STATUSES[(i + 1) % STATUSES.len()]
}

pub fn parse_status(word: &str) -> Result<Option<ExecutionStatus>, String> {
    let word = word.trim().to_ascii_lowercase().replace('_', "-");
    STATUS_WORDS
        .iter()
        .position(|w| *w == word)
        .map(|i| STATUSES[i])
        .ok_or_else(|| format!("no status {word}: {}", STATUS_WORDS.join(", ")))
}

/// The machine whose executions are listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenMachine {
    pub arn: String,
    pub name: String,
}

#[derive(Debug, Clone, Default)]
pub struct ExecutionsPane {
    pub machines: Polled<Vec<MachineRow>>,
    pub machine_cursor: usize,
    pub machine: Option<OpenMachine>,
    /// The status asked of ListExecutions (None: all).
    pub status: Option<ExecutionStatus>,
    pub executions: Polled<ExecutionsView>,
    /// What the polls learnt of each running execution's stuck reason (a poll reads some).
    pub known_stuck: HashMap<String, Option<Stuck>>,
    pub execution_cursor: usize,
    /// Pages of executions listed: one more each time the list is scrolled past its end.
    pub pages: u8,
    pub filter_text: Option<String>,
    filter: Option<Regex>,
    pub open: Option<OpenExecution>,
}

/// The machine an execution ARN belongs to (`...:execution:M:E` -> `...:stateMachine:M`).
fn machine_of(execution_arn: &str) -> Option<OpenMachine> {
    let parts: Vec<&str> = execution_arn.split(':').collect();
    let at = parts.iter().position(|p| *p == "execution")?;
    let name = parts.get(at + 1)?.to_string();
    let mut arn: Vec<&str> = parts[..at].to_vec();
    arn.push("stateMachine");
    arn.push(&name);
    Some(OpenMachine {
        arn: arn.join(":"),
        name,
    })
}

/// Keep a poll's error beside the last good data, and hand it back explained.
fn failed<T>(
    polled: &mut Polled<T>,
    resource: &str,
    at_ms: i64,
    error: &unstuck_aws::model::BackendError,
) -> Result<(), PollError> {
    polled.failed(resource, at_ms, error);
    polled.error.clone().map_or(Ok(()), Err)
}

impl ExecutionsPane {
    fn matches(&self, name: &str) -> bool {
        self.filter.as_ref().is_none_or(|re| re.is_match(name))
    }

    /// Indices of the machines shown (the filter applies).
    pub(super) fn shown_machines(&self) -> Vec<usize> {
        let all = self.machines.data.as_deref().unwrap_or(&[]);
        (0..all.len())
            .filter(|&i| self.matches(&all[i].summary.name))
            .collect()
    }

    pub(super) fn shown_executions(&self) -> Vec<usize> {
        let all = self
            .executions
            .data
            .as_ref()
            .map_or(&[][..], |v| &v.executions[..]);
        (0..all.len())
            .filter(|&i| self.matches(&all[i].name))
            .collect()
    }

    /// Down past the last execution listed, when AWS has more: list a page more.
    pub fn load_more_at_end(&mut self, delta: isize) -> bool {
        let view = self.executions.data.as_ref();
        let at_end = self.execution_cursor + 1 >= self.shown_executions().len();
        let more = view.is_some_and(|v| v.more);
        if self.machine.is_none() || delta <= 0 || !at_end || !more {
            return false;
        }
        if self.pages >= unstuck_aws::api::MAX_PAGES {
            return false;
        }
        let listed = view.map_or(0, |v| v.executions.len());
        let wanted = u8::try_from(listed / 100 + 1).unwrap_or(u8::MAX);
        if self.pages < wanted.min(unstuck_aws::api::MAX_PAGES) {
            self.pages = wanted.min(unstuck_aws::api::MAX_PAGES);
            return true;
        }
        false
    }

    pub fn move_cursor(&mut self, delta: isize) {
        let (len, cursor) = if self.machine.is_some() {
            (self.shown_executions().len(), &mut self.execution_cursor)
        } else {
            (self.shown_machines().len(), &mut self.machine_cursor)
        };
        let last = len.saturating_sub(1) as isize;
        *cursor = (*cursor as isize)
            .saturating_add(delta)
            .clamp(0, last.max(0)) as usize;
    }

    pub fn set_status(&mut self, status: Option<ExecutionStatus>) {
        if self.status != status {
            self.status = status;
            self.executions = Polled::default();
            self.known_stuck.clear();
            self.execution_cursor = 0;
            self.pages = 1;
        }
    }

    fn open_machine(&mut self, machine: OpenMachine) {
        if self.machine.as_ref() != Some(&machine) {
            self.executions = Polled::default();
            self.known_stuck.clear();
            self.pages = 1;
            self.execution_cursor = 0;
        }
        self.machine = Some(machine);
        self.set_filter(None).ok();
    }

    pub fn open_machine_named(&mut self, wanted: &str) -> Result<(), String> {
        let all = self.machines.data.as_deref().unwrap_or(&[]);
        let found = all
            .iter()
            .find(|m| m.summary.name == wanted || m.summary.arn == wanted)
            .map(|m| OpenMachine {
                arn: m.summary.arn.clone(),
                name: m.summary.name.clone(),
            });
        let machine = match found {
            Some(m) => m,
            None if wanted.contains(":stateMachine:") => OpenMachine {
                arn: wanted.to_string(),
                name: wanted.rsplit(':').next().unwrap_or(wanted).to_string(),
            },
            None if self.machines.data.is_none() => {
                return Err("the list of state machines has not arrived yet".into());
            }
            None => return Err(format!("no state machine named {wanted} here")),
        };
        self.open = None;
        self.open_machine(machine);
        Ok(())
    }

    /// List a distributed Map run's child executions (in place of a machine's).
    pub fn open_map_run(&mut self, map_run_arn: String, state: &str) {
        self.open = None;
        self.open_machine(OpenMachine {
            arn: map_run_arn,
            name: format!("{state} (Map run)"),
        });
    }

    pub fn machine_names(&self) -> Vec<String> {
        let all = self.machines.data.as_deref().unwrap_or(&[]);
        all.iter().map(|m| m.summary.name.clone()).collect()
    }

    pub fn open_execution(&mut self, arn: String) {
        if self.machine.is_none()
            && let Some(machine) = machine_of(&arn)
        {
            self.open_machine(machine);
        }
        if self.open.as_ref().is_none_or(|o| o.arn != arn) {
            self.open = Some(OpenExecution::new(arn));
        }
    }

    /// The machine under the cursor when it is an Express one (its logging read).
    pub fn selected_express(&self) -> Option<&MachineRow> {
        if self.machine.is_some() {
            return None;
        }
        let i = *self.shown_machines().get(self.machine_cursor)?;
        let row = &self.machines.data.as_ref()?[i];
        (row.summary.machine_type == MachineType::Express).then_some(row)
    }

    pub fn open_selected(&mut self) {
        if self.machine.is_some() {
            let shown = self.shown_executions();
            let arn = shown.get(self.execution_cursor).and_then(|&i| {
                let view = self.executions.data.as_ref()?;
                Some(view.executions[i].arn.clone())
            });
            if let Some(arn) = arn {
                self.set_filter(None).ok();
                self.open_execution(arn);
            }
            return;
        }
        let shown = self.shown_machines();
        let machine = shown.get(self.machine_cursor).and_then(|&i| {
            let m = &self.machines.data.as_ref()?[i].summary;
            Some(OpenMachine {
                arn: m.arn.clone(),
                name: m.name.clone(),
            })
        });
        if let Some(machine) = machine {
            self.open_machine(machine);
        }
    }

    /// The ARN under the cursor (a machine's or an execution's).
    pub fn selected_arn(&self) -> Option<String> {
        if self.machine.is_some() {
            let i = *self.shown_executions().get(self.execution_cursor)?;
            return Some(self.executions.data.as_ref()?.executions[i].arn.clone());
        }
        let i = *self.shown_machines().get(self.machine_cursor)?;
        Some(self.machines.data.as_ref()?[i].summary.arn.clone())
    }

    /// esc: from an execution to its machine's list, from there to the machines.
    pub fn up_a_level(&mut self) -> bool {
        if self.open.take().is_some() {
            return true;
        }
        if self.machine.take().is_some() {
            self.executions = Polled::default();
            self.set_filter(None).ok();
            return true;
        }
        false
    }

    pub fn set_filter(&mut self, text: Option<&str>) -> Result<(), String> {
        match text.filter(|t| !t.is_empty()) {
            Some(text) => {
                self.filter = Some(compile_filter(text)?);
                self.filter_text = Some(text.to_string());
            }
            None => {
                self.filter = None;
                self.filter_text = None;
            }
        }
        self.machine_cursor = 0;
        self.execution_cursor = 0;
        Ok(())
    }

    /// Take a poll result; the error (explained) when it failed and it was for what is shown.
    pub fn absorb(
        &mut self,
        topic: &StepFunctionsTopic,
        data: super::TopicResult<'_>,
        at_ms: i64,
    ) -> Result<(), PollError> {
        let resource = topic.resource();
        match (topic, data) {
            (StepFunctionsTopic::Machines, Ok(StepFunctionsData::Machines(rows))) => {
                let kept = self
                    .machine
                    .is_none()
                    .then(|| self.selected_arn())
                    .flatten();
                self.machines.fetched(at_ms, rows.clone());
                if let Some(arn) = kept {
                    self.machine_cursor = self
                        .shown_machines()
                        .iter()
                        .position(|&i| rows[i].summary.arn == arn)
                        .unwrap_or(self.machine_cursor);
                }
                self.move_cursor(0);
            }
            (StepFunctionsTopic::Machines, Err(e)) => {
                return failed(&mut self.machines, &resource, at_ms, e);
            }
            (
                StepFunctionsTopic::Executions {
                    machine_arn,
                    status,
                    ..
                },
                result,
            ) if self.machine.as_ref().is_some_and(|m| &m.arn == machine_arn)
                && *status == self.status =>
            {
                match result {
                    Ok(StepFunctionsData::Executions(view)) => {
                        // The cursor stays on its execution as newer ones arrive above it.
                        let kept = self.selected_arn();
                        self.learn_stuck(view);
                        self.executions.fetched(at_ms, view.clone());
                        if let Some(arn) = kept {
                            self.execution_cursor = self
                                .shown_executions()
                                .iter()
                                .position(|&i| view.executions[i].arn == arn)
                                .unwrap_or(self.execution_cursor);
                        }
                        self.move_cursor(0);
                    }
                    Ok(_) => {}
                    Err(e) => {
                        return failed(&mut self.executions, &resource, at_ms, e);
                    }
                }
            }
            (StepFunctionsTopic::Execution { execution_arn }, result) => {
                let Some(open) = self.open.as_mut().filter(|o| &o.arn == execution_arn) else {
                    return Ok(());
                };
                match result {
                    Ok(StepFunctionsData::Execution(reading)) => {
                        open.fetched(at_ms, reading.clone());
                    }
                    Ok(_) => {}
                    Err(e) => {
                        return failed(&mut open.data, &resource, at_ms, e);
                    }
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// Keep what this poll read, forget executions that are no longer running on the page.
    fn learn_stuck(&mut self, view: &ExecutionsView) {
        for arn in &view.read {
            let stuck = view
                .stuck
                .iter()
                .find(|(a, _)| a == arn)
                .map(|(_, s)| s.clone());
            self.known_stuck.insert(arn.clone(), stuck);
        }
        self.known_stuck.retain(|arn, _| {
            view.executions
                .iter()
                .any(|e| &e.arn == arn && e.status.is_running())
        });
    }

    /// The first row of the block of rows the cursor is in, whose stuck reasons are read.
    pub fn rows_from(&self) -> u32 {
        let block = self.execution_cursor / unstuck_aws::api::ROWS_READ;
        u32::try_from(block * unstuck_aws::api::ROWS_READ).unwrap_or(0)
    }

    pub fn current_error(&self) -> Option<&PollError> {
        match (&self.open, &self.machine) {
            (Some(open), _) => open.data.error.as_ref(),
            (None, Some(_)) => self.executions.error.as_ref(),
            (None, None) => self.machines.error.as_ref(),
        }
    }

    pub fn hint(&self, keymap: &Keymap) -> String {
        let key = |a| key_for(keymap, Context::Executions, a);
        let pairs: Vec<(String, &str)> = match (&self.open, &self.machine) {
            (Some(_), _) => vec![
                (key(Action::ScrollDown), "next state"),
                (key(Action::Open), "input/output"),
                (key(Action::StepLogs), "step logs"),
                (key(Action::FocusHistory), "history"),
                (key(Action::ToggleFollow), "follow"),
                (key(Action::ToggleCollapse), "collapse"),
                (key(Action::StopExecution), "stop"),
                (key(Action::RedriveExecution), "redrive"),
                (key(Action::SendTaskSuccess), "task success"),
                (key(Action::SendTaskFailure), "task failure"),
                (key(Action::Back), "back"),
            ],
            (None, Some(_)) => vec![
                (key(Action::Open), "open"),
                (key(Action::CycleStatus), "status"),
                (key(Action::Filter), "name"),
                (key(Action::Back), "machines"),
            ],
            (None, None) => vec![
                (key(Action::Open), "executions"),
                (key(Action::Filter), "name"),
            ],
        };
        pairs
            .iter()
            .map(|(k, d)| format!("{k} {d}"))
            .collect::<Vec<_>>()
            .join(" · ")
    }
}
