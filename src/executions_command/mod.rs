//! `unstuck executions` and `unstuck execution show`: Step Functions executions for runbooks
//! and scripts, with the stuck reason of each running one; the mutations are in [`mutate`].
//!
//! Quotas: ListExecutions is asked once per machine and status, lazily paged up to `--limit`;
//! the history of a running execution is read only when its stuck reason is asked for (always
//! in the JSON `stuck` field), within a budget shaped like the account's GetExecutionHistory
//! bucket (100 at once, then 4 calls/s). The definition an execution ran is read once per
//! machine and revision: a revision read for an execution started at t was current from its
//! update until t, so it serves executions started in that span (listed newest first, the
//! first read covers most). Express machines keep no executions to list: they are skipped
//! with a note on stderr, as is an execution whose details cannot be read.

mod mutate;
mod render;

pub use mutate::{mutation_args, run_mutation};

use std::collections::HashMap;

use anyhow::Context as _;
use unstuck_aws::api::{Backends, StepFunctions};
use unstuck_aws::model::asl::{self, Definition, MapMode, StateKind};
use unstuck_aws::model::step_functions::{
    ExecutionProgress, ExecutionStatus, ExecutionSummary, ExecutionsRequest, MAX_HISTORY_EVENTS,
    MachineDefinition, MachineType, StateMachineSummary, Stuck, StuckLimits, detect_stuck,
};

use crate::cli::{ExecutionShowArgs, ExecutionsArgs, OutputFormat, StatusArg};
use crate::tail::RequestBudget;

/// The history and definition calls of one command: a share of the account's buckets.
const HISTORY_CALLS_PER_SECOND: f64 = 4.0;
const HISTORY_BURST: f64 = 100.0;
/// Successful runs read per machine for the p95 rule.
const RECENT_SUCCESSES: u32 = 100;

/// One execution as the commands report it.
pub struct Found {
    pub machine: String,
    pub summary: ExecutionSummary,
    /// None: not running, or running and not stuck.
    pub stuck: Option<Stuck>,
}

impl From<StatusArg> for ExecutionStatus {
    fn from(s: StatusArg) -> Self {
        match s {
            StatusArg::Running => Self::Running,
            StatusArg::Succeeded => Self::Succeeded,
            StatusArg::Failed => Self::Failed,
            StatusArg::TimedOut => Self::TimedOut,
            StatusArg::Aborted => Self::Aborted,
            StatusArg::PendingRedrive => Self::PendingRedrive,
        }
    }
}

/// One revision of a machine's definition, and the span it was current in as far as known.
struct Revision {
    read: MachineDefinition,
    parsed: Definition,
    current_until_ms: i64,
}

impl Revision {
    fn served(&self, start_ms: i64) -> bool {
        (self.read.updated_ms..=self.current_until_ms).contains(&start_ms)
    }
}

/// What the stuck rules need, read from AWS once and reused.
struct Reader<'a> {
    api: &'a dyn StepFunctions,
    budget: RequestBudget,
    /// Per machine: the definitions read, with when each was last updated.
    /// Per machine: each revision read, and the latest start it is known to have served.
    definitions: HashMap<String, Vec<Revision>>,
    successes: HashMap<String, Vec<i64>>,
    now_ms: i64,
}

impl<'a> Reader<'a> {
    fn new(api: &'a dyn StepFunctions, now_ms: i64) -> Self {
        Self {
            api,
            budget: RequestBudget::with_burst(HISTORY_CALLS_PER_SECOND, HISTORY_BURST),
            definitions: HashMap::new(),
            successes: HashMap::new(),
            now_ms,
        }
    }

    /// The definition `execution` ran: one read per machine and revision.
    async fn definition(&mut self, execution: &ExecutionSummary) -> anyhow::Result<Definition> {
        let known = self
            .definitions
            .entry(execution.state_machine_arn.clone())
            .or_default();
        if let Some(r) = known.iter().find(|r| r.served(execution.start_ms)) {
            return Ok(r.parsed.clone());
        }
        self.budget.acquire().await;
        let ran = self.api.definition_for_execution(&execution.arn).await?;
        let known = self
            .definitions
            .entry(execution.state_machine_arn.clone())
            .or_default();
        if let Some(r) = known
            .iter_mut()
            .find(|r| r.read.updated_ms == ran.updated_ms && r.read.definition == ran.definition)
        {
            r.current_until_ms = r.current_until_ms.max(execution.start_ms);
            return Ok(r.parsed.clone());
        }
        let parsed = asl::parse(&ran.definition)
            .with_context(|| format!("the definition of {} does not parse", ran.name))?;
        known.push(Revision {
            read: ran,
            parsed: parsed.clone(),
            current_until_ms: execution.start_ms,
        });
        Ok(parsed)
    }

    async fn successes(&mut self, machine_arn: &str) -> anyhow::Result<Vec<i64>> {
        if let Some(known) = self.successes.get(machine_arn) {
            return Ok(known.clone());
        }
        let page = self
            .api
            .list_executions(&ExecutionsRequest {
                state_machine_arn: machine_arn.to_string(),
                status: Some(ExecutionStatus::Succeeded),
                max_results: Some(RECENT_SUCCESSES),
                next_token: None,
            })
            .await?;
        let durations: Vec<i64> = page
            .executions
            .iter()
            .map(|e| e.duration_ms(self.now_ms))
            .collect();
        self.successes
            .insert(machine_arn.to_string(), durations.clone());
        Ok(durations)
    }

    /// The whole history, page by page (at most the 25,000 events an execution keeps).
    async fn progress(&mut self, execution_arn: &str) -> anyhow::Result<ExecutionProgress> {
        let mut events = Vec::new();
        let mut token: Option<String> = None;
        loop {
            self.budget.acquire().await;
            let page = self
                .api
                .execution_history(execution_arn, token.as_deref())
                .await?;
            events.extend(page.events);
            token = page.next_token;
            if token.is_none() || events.len() >= MAX_HISTORY_EVENTS {
                break;
            }
        }
        Ok(ExecutionProgress::from_history(&events))
    }

    /// Every reason a running execution is stuck (empty when it is not).
    async fn stuck(
        &mut self,
        execution: &ExecutionSummary,
    ) -> anyhow::Result<(Definition, ExecutionProgress, Vec<Stuck>)> {
        let definition = self.definition(execution).await?;
        let progress = self.progress(&execution.arn).await?;
        let distributed = definition.states.iter().any(|s| {
            matches!(
                s.kind,
                StateKind::Map {
                    mode: MapMode::Distributed,
                    ..
                }
            )
        });
        let map_runs = if distributed && execution.status.is_running() {
            self.budget.acquire().await;
            self.api.map_runs(&execution.arn).await?
        } else {
            Vec::new()
        };
        let successes = self.successes(&execution.state_machine_arn).await?;
        let stuck = detect_stuck(
            Some(&definition),
            execution,
            &progress,
            &map_runs,
            &successes,
            self.now_ms,
            &StuckLimits::default(),
        );
        Ok((definition, progress, stuck))
    }
}

/// A line on stderr, sanitised like everything else that came from AWS.
fn note(text: &str) {
    eprintln!(
        "unstuck: {}",
        unstuck_aws::untrusted_text::sanitize_line(text)
    );
}

/// The machines `wanted` names (a name or an ARN), or all of them.
fn pick_machines(
    all: Vec<StateMachineSummary>,
    wanted: Option<&str>,
) -> anyhow::Result<Vec<StateMachineSummary>> {
    let Some(wanted) = wanted else {
        return Ok(all);
    };
    let names: Vec<String> = all.iter().map(|m| m.name.clone()).collect();
    let picked: Vec<_> = all
        .into_iter()
        .filter(|m| m.name == wanted || m.arn == wanted)
        .collect();
    if picked.is_empty() {
        let shown = unstuck_aws::untrusted_text::sanitize_line(wanted);
        anyhow::bail!(
            "no state machine named {shown} here (there are: {})",
            if names.is_empty() {
                "none".to_string()
            } else {
                names.join(", ")
            }
        );
    }
    Ok(picked)
}

/// `unstuck executions`.
pub async fn run_executions(backends: Backends, args: &ExecutionsArgs) -> anyhow::Result<()> {
    let api = backends.step_functions.as_ref();
    let now_ms = backends.clock.now_ms();
    let machines = pick_machines(
        api.list_state_machines().await?,
        args.state_machine.as_deref(),
    )?;
    let status = if args.stuck {
        Some(ExecutionStatus::Running)
    } else {
        args.status.map(ExecutionStatus::from)
    };
    let mut reader = Reader::new(api, now_ms);
    let mut found = Vec::new();
    for machine in &machines {
        if machine.machine_type == MachineType::Express {
            note(&format!(
                "{} is an Express machine: its executions are not kept by Step Functions \
                 (they are in its log group when logging is on); skipped",
                machine.name
            ));
            continue;
        }
        let mut token = None;
        let mut listed = 0;
        loop {
            let page = api
                .list_executions(&ExecutionsRequest {
                    state_machine_arn: machine.arn.clone(),
                    status,
                    next_token: token.take(),
                    max_results: Some(
                        u32::try_from(args.limit - listed)
                            .unwrap_or(1_000)
                            .min(1_000),
                    ),
                })
                .await?;
            for summary in page.executions {
                listed += 1;
                let stuck = if summary.status.is_running() {
                    match reader.stuck(&summary).await {
                        Ok((_, _, stuck)) => stuck.into_iter().next(),
                        Err(e) => {
                            note(&format!(
                                "{}: its stuck reason could not be read: {e:#}",
                                summary.name
                            ));
                            None
                        }
                    }
                } else {
                    None
                };
                if !args.stuck || stuck.is_some() {
                    found.push(Found {
                        machine: machine.name.clone(),
                        summary,
                        stuck,
                    });
                }
            }
            token = page.next_token;
            if token.is_none() || listed >= args.limit {
                break;
            }
        }
    }
    let out = match args.output {
        OutputFormat::Text => render::executions_text(&found, now_ms),
        OutputFormat::Json => render::executions_json(&found),
    };
    render::print(&out)
}

/// `unstuck execution show ARN`.
pub async fn run_execution_show(
    backends: Backends,
    args: &ExecutionShowArgs,
) -> anyhow::Result<()> {
    let api = backends.step_functions.as_ref();
    let now_ms = backends.clock.now_ms();
    let detail = api.describe_execution(&args.execution_arn).await?;
    let mut reader = Reader::new(api, now_ms);
    let (definition, progress, stuck) = reader.stuck(&detail.summary).await?;
    let out = match args.output {
        OutputFormat::Text => render::show_text(&detail, &definition, &progress, &stuck, now_ms),
        OutputFormat::Json => render::show_json(&detail, &definition, &progress, &stuck),
    };
    render::print(&out)
}
