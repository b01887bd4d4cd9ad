//! One simulated execution: a walk through the definition that writes the history AWS would,
//! event by event with their times, as an [`Oracle`] decides (which Choice rule holds, whether
//! a task fails, when a token comes back, or never). The timeline is written whole; a query
//! shows the part of it that has happened by the world's now. What an operator did to the
//! execution ([`Interventions`]: tokens sent, stops, redrives) is walked into it: after each
//! one the timeline is walked again from the same seed, so it stays deterministic.

mod task;

use std::collections::HashMap;

pub use super::timeline::{
    Interventions, LambdaRun, Operation, Oracle, TaskFate, Timeline, TokenAnswer, TokenSpan,
};
use crate::model::asl::{
    Block, Definition, Seconds, State, StateId, StateKind, TaskPattern, WaitSpec,
};
use crate::model::step_functions::{ExecutionStatus, HistoryEvent};

/// Waits longer than this are not walked past: the execution is still in them.
const FAR_AHEAD_MS: i64 = 7 * 24 * 3_600_000;
/// States visited at most (a loop that never ends stops the walk).
const MAX_STEPS: usize = 2_000;

enum Halt {
    /// Waits for something that does not come (by now or ever).
    Stuck,
    Failed {
        error: String,
        cause: String,
        id: i64,
    },
}

enum Step {
    Go(StateId, i64),
    End(i64),
}

struct Walker<'a, O: Oracle> {
    definition: &'a Definition,
    oracle: &'a mut O,
    answers: &'a HashMap<String, (i64, TokenAnswer)>,
    events: Vec<HistoryEvent>,
    tokens: Vec<TokenSpan>,
    lambdas: Vec<LambdaRun>,
    at_ms: i64,
    steps: usize,
    /// Blocks entered and not left (1: the machine's own states).
    depth: usize,
    /// When each top-level state was entered: a redrive starts again from the last one.
    top_entered: Vec<(i64, StateId)>,
}

/// Walk `definition` for an execution started at `start_ms` with `input`, with what
/// operators did to it.
pub fn walk<O: Oracle>(
    definition: &Definition,
    oracle: &mut O,
    start_ms: i64,
    input: &str,
    done: &Interventions,
) -> Timeline {
    let mut w = Walker {
        definition,
        oracle,
        answers: &done.answers,
        events: Vec::new(),
        tokens: Vec::new(),
        lambdas: Vec::new(),
        at_ms: start_ms,
        steps: 0,
        depth: 0,
        top_entered: Vec::new(),
    };
    let started = w.emit("ExecutionStarted", None, 0, |e| {
        e.input = Some(input.to_string())
    });
    let outcome = w.block(&definition.root, started);
    let mut end = w.finish(outcome);
    let mut redrives = 0;
    for (at, operation) in &done.operations {
        let ended_by = |end: Option<(ExecutionStatus, i64)>| end.filter(|(_, e)| e <= at);
        match operation {
            Operation::Stop { error, cause } => {
                if ended_by(end).is_some() {
                    continue;
                }
                w.cut_after(*at);
                let last = w.events.len() as i64;
                w.emit("ExecutionAborted", None, last, |e| {
                    e.error.clone_from(error);
                    e.cause.clone_from(cause);
                });
                end = Some((ExecutionStatus::Aborted, *at));
            }
            Operation::Redrive => {
                let Some((status, _)) = ended_by(end) else {
                    continue;
                };
                let resume = w.top_entered.last().map(|&(_, id)| id);
                let (true, Some(resume)) = (status != ExecutionStatus::Succeeded, resume) else {
                    continue;
                };
                w.at_ms = *at;
                let last = w.events.len() as i64;
                let redriven = w.emit("ExecutionRedriven", None, last, |_| {});
                w.steps = 0;
                let outcome = w.block_from(resume, redriven);
                end = w.finish(outcome);
                redrives += 1;
            }
        }
    }
    Timeline {
        events: w.events,
        end,
        tokens: w.tokens,
        redrives,
        lambdas: w.lambdas,
    }
}

impl<O: Oracle> Walker<'_, O> {
    /// The execution's last event for how its root block ended.
    fn finish(&mut self, outcome: Result<i64, Halt>) -> Option<(ExecutionStatus, i64)> {
        match outcome {
            Ok(last) => {
                self.emit("ExecutionSucceeded", None, last, |e| {
                    e.output = Some(r#"{"status":"FILED"}"#.into())
                });
                Some((ExecutionStatus::Succeeded, self.at_ms))
            }
            Err(Halt::Failed { error, cause, id }) => {
                self.emit("ExecutionFailed", None, id, |e| {
                    e.error = Some(error);
                    e.cause = Some(cause);
                });
                Some((ExecutionStatus::Failed, self.at_ms))
            }
            Err(Halt::Stuck) => None,
        }
    }

    /// Everything after `at_ms` did not happen (the execution was stopped then).
    fn cut_after(&mut self, at_ms: i64) {
        let keep = self.events.partition_point(|e| e.timestamp_ms <= at_ms);
        self.events.truncate(keep);
        self.top_entered.retain(|&(ms, _)| ms <= at_ms);
        for token in &mut self.tokens {
            if token.closed_ms.is_none_or(|c| c > at_ms) {
                token.closed_ms = Some(at_ms);
            }
        }
        self.tokens.retain(|t| t.handed_ms <= at_ms);
        self.lambdas.retain(|l| l.start_ms <= at_ms);
        self.at_ms = at_ms;
    }

    fn emit(
        &mut self,
        kind: &str,
        state: Option<&str>,
        previous: i64,
        fill: impl FnOnce(&mut HistoryEvent),
    ) -> i64 {
        let id = self.events.len() as i64 + 1;
        let mut event = HistoryEvent {
            id,
            previous_id: previous,
            timestamp_ms: self.at_ms,
            kind: kind.to_string(),
            state: state.map(str::to_string),
            ..HistoryEvent::default()
        };
        fill(&mut event);
        self.events.push(event);
        id
    }

    fn pass(&mut self, ms: i64) {
        self.at_ms = self.at_ms.saturating_add(ms.max(0));
    }

    fn block(&mut self, block: &Block, previous: i64) -> Result<i64, Halt> {
        self.block_from(block.start, previous)
    }

    /// Walk a block from its state `from` (its start, or where a redrive resumes).
    fn block_from(&mut self, from: StateId, previous: i64) -> Result<i64, Halt> {
        self.depth += 1;
        let result = self.states_from(from, previous);
        self.depth -= 1;
        result
    }

    fn states_from(&mut self, from: StateId, previous: i64) -> Result<i64, Halt> {
        let mut current = from;
        let mut previous = previous;
        loop {
            if self.depth == 1 {
                self.top_entered.push((self.at_ms, current));
            }
            self.steps += 1;
            if self.steps > MAX_STEPS {
                return Err(Halt::Stuck);
            }
            let Some(state) = self.definition.state(current) else {
                return Err(Halt::Stuck);
            };
            match self.state(state, previous)? {
                Step::Go(next, last) => (current, previous) = (next, last),
                Step::End(last) => return Ok(last),
            }
        }
    }

    /// After a state's last event: go on to Next, or end the block.
    fn onward(state: &State, last: i64) -> Step {
        state
            .next
            .map_or(Step::End(last), |next| Step::Go(next, last))
    }

    /// A failure at event `id`: a Catch takes it on, or it fails the block.
    fn failed(state: &State, error: String, cause: String, id: i64) -> Result<Step, Halt> {
        let catch = state
            .catches
            .iter()
            .find(|c| c.errors.iter().any(|e| e == "States.ALL" || *e == error));
        match catch {
            Some(c) => Ok(Step::Go(c.next, id)),
            None => Err(Halt::Failed { error, cause, id }),
        }
    }

    fn state(&mut self, state: &State, previous: i64) -> Result<Step, Halt> {
        let name = state.name.as_str();
        let entered_kind = format!("{}StateEntered", state.kind.type_name());
        let exited_kind = format!("{}StateExited", state.kind.type_name());
        let entered = self.emit(&entered_kind, Some(name), previous, |e| {
            e.input = Some("{}".into())
        });
        match &state.kind {
            StateKind::Pass => {
                let exited = self.emit(&exited_kind, Some(name), entered, |_| {});
                Ok(Self::onward(state, exited))
            }
            StateKind::Succeed => Ok(Step::End(self.emit(
                &exited_kind,
                Some(name),
                entered,
                |_| {},
            ))),
            StateKind::Fail { error, cause } => Err(Halt::Failed {
                error: error.clone().unwrap_or_else(|| "States.Fail".into()),
                cause: cause.clone().unwrap_or_default(),
                id: entered,
            }),
            StateKind::Choice { rules, default } => {
                let pick = self.oracle.choose(name, rules.len());
                let next = rules.get(pick).map(|r| r.next).or(*default);
                let exited = self.emit(&exited_kind, Some(name), entered, |_| {});
                next.map_or(Err(Halt::Stuck), |n| Ok(Step::Go(n, exited)))
            }
            StateKind::Wait(spec) => {
                let ms = match spec {
                    WaitSpec::Seconds(Seconds::Fixed(s)) => {
                        i64::try_from(*s).unwrap_or(i64::MAX).saturating_mul(1_000)
                    }
                    WaitSpec::Until(text) => crate::model::step_functions::rfc3339_ms(text)
                        .map_or(FAR_AHEAD_MS + 1, |until| until - self.at_ms),
                    WaitSpec::Seconds(Seconds::Dynamic(_)) => 60_000,
                };
                if ms > FAR_AHEAD_MS {
                    return Err(Halt::Stuck);
                }
                self.pass(ms);
                let exited = self.emit(&exited_kind, Some(name), entered, |_| {});
                Ok(Self::onward(state, exited))
            }
            StateKind::Task(task) => self.task(state, task, entered, &exited_kind),
            StateKind::Parallel { branches } => {
                let started = self.emit("ParallelStateStarted", None, entered, |_| {});
                let mut last = started;
                for branch in branches {
                    match self.block(branch, started) {
                        Ok(id) => last = id,
                        Err(Halt::Failed { error, cause, id }) => {
                            let failed = self.emit("ParallelStateFailed", None, id, |e| {
                                e.error = Some(error.clone());
                                e.cause = Some(cause.clone());
                            });
                            return Self::failed(state, error, cause, failed);
                        }
                        Err(Halt::Stuck) => return Err(Halt::Stuck),
                    }
                }
                let done = self.emit("ParallelStateSucceeded", None, last, |_| {});
                let exited = self.emit(&exited_kind, Some(name), done, |_| {});
                Ok(Self::onward(state, exited))
            }
            StateKind::Map { processor, .. } => {
                let started = self.emit("MapStateStarted", None, entered, |_| {});
                let mut last = started;
                for _ in 0..self.oracle.map_items(name) {
                    let iteration = self.emit("MapIterationStarted", None, last, |_| {});
                    match self.block(processor, iteration) {
                        Ok(id) => last = self.emit("MapIterationSucceeded", None, id, |_| {}),
                        Err(Halt::Failed { error, cause, id }) => {
                            let failed = self.emit("MapStateFailed", None, id, |e| {
                                e.error = Some(error.clone());
                                e.cause = Some(cause.clone());
                            });
                            return Self::failed(state, error, cause, failed);
                        }
                        Err(Halt::Stuck) => return Err(Halt::Stuck),
                    }
                }
                let done = self.emit("MapStateSucceeded", None, last, |_| {});
                let exited = self.emit(&exited_kind, Some(name), done, |_| {});
                Ok(Self::onward(state, exited))
            }
        }
    }
}
