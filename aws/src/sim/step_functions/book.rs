//! The demo world's executions: which have started by a given time, each one's timeline
//! (walked once, on first use, from a seed of its own), and what the Step Functions reads
//! see of them at the world's now. Deterministic in the seed and the time.

use std::collections::HashMap;

use fastrand::Rng;

use super::machines::{DemoOracle, MACHINES, MachineSpec};
use super::walker::{Interventions, Timeline, walk};
use crate::model::BackendError;
use crate::model::asl::{self, Definition};
use crate::model::step_functions::{
    ExecutionDetail, ExecutionStatus, ExecutionSummary, ExecutionsPage, ExecutionsRequest,
    HistoryEvent, HistoryPage, MachineDefinition, MachineType, StateMachineSummary,
};
use crate::sim::{DEMO_ACCOUNT, DEMO_REGION};

/// Executions listed per page when the request does not say (ListExecutions' default).
const DEFAULT_PAGE: usize = 100;
/// History events per page (GetExecutionHistory's maximum).
const HISTORY_PAGE: usize = 1_000;

pub(super) struct Machine {
    pub(super) spec: &'static MachineSpec,
    pub(super) definition: Definition,
    pub(super) arn: String,
}

pub(super) struct Run {
    pub(super) start_ms: i64,
    pub(super) input: String,
    pub(super) timeline: Timeline,
    /// What operators did to it (walked into the timeline).
    pub(super) done: Interventions,
}

#[derive(Default)]
pub struct ExecutionBook {
    seed: u64,
    epoch_ms: i64,
    pub(super) machines: Vec<Machine>,
    pub(super) runs: HashMap<(usize, u64), Run>,
    pub(super) lambda_scan: super::lambda_runs::LambdaScan,
}

impl std::fmt::Debug for ExecutionBook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ExecutionBook")
            .field("machines", &self.machines.len())
            .field("runs", &self.runs.len())
            .finish()
    }
}

fn machine_arn(name: &str) -> String {
    format!("arn:aws:states:{DEMO_REGION}:{DEMO_ACCOUNT}:stateMachine:{name}")
}

fn execution_name(machine: &str, index: u64) -> String {
    match machine {
        "tax-amendment-review" => format!("amendment-{index:05}"),
        _ => format!("return-{index:06}"),
    }
}

pub(super) fn not_found(what: &str, arn: &str) -> BackendError {
    BackendError::NotFound(format!(
        "{what} does not exist: {}",
        crate::untrusted_text::sanitize_line(arn)
    ))
}

impl ExecutionBook {
    /// The demo machines, their executions starting before `epoch_ms` as their specs say.
    pub fn demo(seed: u64, epoch_ms: i64) -> Self {
        let machines = MACHINES
            .iter()
            .filter_map(|spec| {
                let definition = asl::parse(spec.definition)
                    .inspect_err(|e| tracing::error!(machine = spec.name, %e, "demo machine"))
                    .ok()?;
                Some(Machine {
                    spec,
                    definition,
                    arn: machine_arn(spec.name),
                })
            })
            .collect();
        Self {
            seed,
            epoch_ms,
            machines,
            runs: HashMap::new(),
            lambda_scan: Default::default(),
        }
    }

    pub fn machines(&self) -> Vec<StateMachineSummary> {
        self.machines
            .iter()
            .map(|m| StateMachineSummary {
                arn: m.arn.clone(),
                name: m.spec.name.to_string(),
                machine_type: MachineType::Standard,
                created_ms: self.epoch_ms - m.spec.since_ms - 86_400_000,
            })
            .collect()
    }

    fn first_start_ms(&self, m: usize) -> i64 {
        self.epoch_ms - self.machines[m].spec.since_ms
    }

    /// When execution `index` of machine `m` starts: on its slot, up to half a slot late.
    fn start_ms(&self, m: usize, index: u64) -> i64 {
        let every = self.machines[m].spec.every_ms;
        let mut rng =
            Rng::with_seed(self.seed ^ ((m as u64) << 40) ^ index.wrapping_mul(0x9e37_79b9));
        let slot = i64::try_from(index)
            .unwrap_or(i64::MAX)
            .saturating_mul(every);
        self.first_start_ms(m) + slot + rng.i64(0..every / 2)
    }

    /// How many executions of machine `m` have started by `now_ms`.
    pub(super) fn started(&self, m: usize, now_ms: i64) -> u64 {
        let every = self.machines[m].spec.every_ms;
        let elapsed = now_ms - self.first_start_ms(m);
        if elapsed < 0 {
            return 0;
        }
        let upper = u64::try_from(elapsed / every).unwrap_or(0) + 1;
        (0..upper)
            .rev()
            .find(|&i| self.start_ms(m, i) <= now_ms)
            .map_or(0, |i| i + 1)
    }

    pub(super) fn run(&mut self, m: usize, index: u64) -> &Run {
        if !self.runs.contains_key(&(m, index)) {
            let run = self.walk_run(m, index, Interventions::default());
            self.runs.insert((m, index), run);
        }
        &self.runs[&(m, index)]
    }

    /// Execution `index` of machine `m`, walked from its seed with what was done to it.
    pub(super) fn walk_run(&self, m: usize, index: u64, done: Interventions) -> Run {
        let start_ms = self.start_ms(m, index);
        let seed = self.seed ^ ((m as u64 + 1) << 48) ^ index;
        let machine = &self.machines[m];
        let mut oracle = DemoOracle::new(seed, start_ms - self.epoch_ms);
        let input = oracle.input(machine.spec.name, index);
        let timeline = walk(&machine.definition, &mut oracle, start_ms, &input, &done);
        Run {
            start_ms,
            input,
            timeline,
            done,
        }
    }

    pub(super) fn summary(&mut self, m: usize, index: u64, now_ms: i64) -> ExecutionSummary {
        let name = execution_name(self.machines[m].spec.name, index);
        let machine_arn = self.machines[m].arn.clone();
        let run = self.run(m, index);
        let (status, stop_ms) = match run.timeline.end {
            Some((status, at)) if at <= now_ms => (status, Some(at)),
            _ => (ExecutionStatus::Running, None),
        };
        ExecutionSummary {
            arn: format!(
                "arn:aws:states:{DEMO_REGION}:{DEMO_ACCOUNT}:execution:{}:{name}",
                machine_arn.rsplit(':').next().unwrap_or_default()
            ),
            name,
            state_machine_arn: machine_arn,
            status,
            start_ms: run.start_ms,
            stop_ms,
            redrive_count: run.timeline.redrives,
        }
    }

    pub fn list(
        &mut self,
        req: &ExecutionsRequest,
        now_ms: i64,
    ) -> Result<ExecutionsPage, BackendError> {
        let m = self
            .machines
            .iter()
            .position(|x| x.arn == req.state_machine_arn)
            .ok_or_else(|| not_found("state machine", &req.state_machine_arn))?;
        let limit = req
            .max_results
            .map_or(DEFAULT_PAGE, |n| n.clamp(1, 1_000) as usize);
        let started = self.started(m, now_ms);
        let from = match &req.next_token {
            None => started,
            Some(token) => token
                .parse::<u64>()
                .ok()
                .filter(|&t| t <= started)
                .ok_or_else(|| {
                    BackendError::InvalidInput(format!("invalid next token {token:?}"))
                })?,
        };
        let mut executions = Vec::new();
        let mut index = from;
        while index > 0 && executions.len() < limit {
            index -= 1;
            let summary = self.summary(m, index, now_ms);
            if req.status.is_none_or(|s| s == summary.status) {
                executions.push(summary);
            }
        }
        Ok(ExecutionsPage {
            executions,
            next_token: (index > 0).then(|| index.to_string()),
        })
    }

    /// Machine and index of an execution ARN of this world.
    pub(super) fn locate(&self, execution_arn: &str, now_ms: i64) -> Option<(usize, u64)> {
        let rest = execution_arn.strip_prefix(&format!(
            "arn:aws:states:{DEMO_REGION}:{DEMO_ACCOUNT}:execution:"
        ))?;
        let (machine, name) = rest.split_once(':')?;
        let m = self.machines.iter().position(|x| x.spec.name == machine)?;
        let index: u64 = name.rsplit('-').next()?.parse().ok()?;
        (execution_name(machine, index) == name && index < self.started(m, now_ms))
            .then_some((m, index))
    }

    /// The events of the execution that have happened by `now_ms`.
    fn visible(&mut self, m: usize, index: u64, now_ms: i64) -> Vec<HistoryEvent> {
        self.run(m, index)
            .timeline
            .events
            .iter()
            .take_while(|e| e.timestamp_ms <= now_ms)
            .cloned()
            .collect()
    }

    pub fn describe(
        &mut self,
        execution_arn: &str,
        now_ms: i64,
    ) -> Result<ExecutionDetail, BackendError> {
        let (m, index) = self
            .locate(execution_arn, now_ms)
            .ok_or_else(|| not_found("execution", execution_arn))?;
        let summary = self.summary(m, index, now_ms);
        let input = self.run(m, index).input.clone();
        let last = self.visible(m, index, now_ms).pop();
        let ended = summary.status != ExecutionStatus::Running;
        let (redrive_status, reason) = match summary.status {
            ExecutionStatus::Failed | ExecutionStatus::TimedOut | ExecutionStatus::Aborted => {
                ("REDRIVABLE", None)
            }
            status => (
                "NOT_REDRIVABLE",
                Some(format!(
                    "Execution is {} and cannot be redriven",
                    status.as_str()
                )),
            ),
        };
        Ok(ExecutionDetail {
            input: Some(input),
            output: last
                .as_ref()
                .filter(|_| ended)
                .and_then(|e| e.output.clone()),
            error: last
                .as_ref()
                .filter(|_| ended)
                .and_then(|e| e.error.clone()),
            cause: last
                .as_ref()
                .filter(|_| ended)
                .and_then(|e| e.cause.clone()),
            redrive_status: Some(redrive_status.to_string()),
            redrive_status_reason: reason,
            summary,
        })
    }

    pub fn definition(
        &self,
        execution_arn: &str,
        now_ms: i64,
    ) -> Result<MachineDefinition, BackendError> {
        let (m, _) = self
            .locate(execution_arn, now_ms)
            .ok_or_else(|| not_found("execution", execution_arn))?;
        Ok(self.definition_of(m))
    }

    /// Machine `m`'s definition, as DescribeStateMachine gives it.
    fn definition_of(&self, m: usize) -> MachineDefinition {
        let machine = &self.machines[m];
        MachineDefinition {
            state_machine_arn: machine.arn.clone(),
            name: machine.spec.name.to_string(),
            definition: machine.spec.definition.to_string(),
            revision_id: Some("1".into()),
            updated_ms: self.first_start_ms(m),
        }
    }

    /// A machine's definition by its ARN.
    pub fn machine_definition(
        &self,
        state_machine_arn: &str,
    ) -> Result<MachineDefinition, BackendError> {
        let m = self
            .machines
            .iter()
            .position(|m| m.arn == state_machine_arn)
            .ok_or_else(|| not_found("state machine", state_machine_arn))?;
        Ok(self.definition_of(m))
    }

    pub fn history(
        &mut self,
        execution_arn: &str,
        next_token: Option<&str>,
        now_ms: i64,
    ) -> Result<HistoryPage, BackendError> {
        let (m, index) = self
            .locate(execution_arn, now_ms)
            .ok_or_else(|| not_found("execution", execution_arn))?;
        let events = self.visible(m, index, now_ms);
        let from = match next_token {
            None => 0,
            Some(t) => t
                .parse::<usize>()
                .ok()
                .filter(|&t| t <= events.len())
                .ok_or_else(|| BackendError::InvalidInput(format!("invalid next token {t:?}")))?,
        };
        let to = (from + HISTORY_PAGE).min(events.len());
        Ok(HistoryPage {
            events: events[from..to].to_vec(),
            next_token: (to < events.len()).then(|| to.to_string()),
        })
    }

    pub fn has_execution(&self, execution_arn: &str, now_ms: i64) -> bool {
        self.locate(execution_arn, now_ms).is_some()
    }
}
