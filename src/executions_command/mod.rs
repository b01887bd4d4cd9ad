//! `unstuck executions` and `unstuck execution show`: Step Functions executions for runbooks
//! and scripts, with the stuck reason of each running one; the mutations are in [`mutate`].
//!
//! Quotas: ListExecutions is asked once per machine and status, lazily paged up to `--limit`;
//! the history of a running execution is read only when its stuck reason is asked for (always
//! in the JSON `stuck` field), within a budget shaped like the account's GetExecutionHistory
//! bucket (100 at once, then 4 calls/s), through the [`ExecutionReader`] the executions pane
//! uses too (definitions read once per machine and revision). Express machines keep no executions to list: they are skipped
//! with a note on stderr, as is an execution whose details cannot be read.

mod mutate;
pub mod render;

pub use mutate::{mutation_args, run_mutation};

use unstuck_aws::api::{Backends, ExecutionReader};
use unstuck_aws::model::step_functions::{
    ExecutionStatus, ExecutionSummary, ExecutionsRequest, MachineType, StateMachineSummary, Stuck,
};

use crate::budgets::BudgetPace;
use crate::cli::{ExecutionShowArgs, ExecutionsArgs, OutputFormat, StatusArg};
use crate::tail::RequestBudget;

/// The history and definition calls of one command: a share of the account's buckets.
const HISTORY_CALLS_PER_SECOND: f64 = 4.0;
const HISTORY_BURST: f64 = 100.0;

/// A command's calls wait on its own budget.
fn command_pace() -> BudgetPace {
    BudgetPace(std::sync::Arc::new(RequestBudget::with_burst(
        HISTORY_CALLS_PER_SECOND,
        HISTORY_BURST,
    )))
}

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
    let pace = command_pace();
    let mut reader = ExecutionReader::new(api, &pace, backends.caches(), now_ms);
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
                    match reader.read(&summary).await {
                        Ok(reading) => reading.stuck.into_iter().next(),
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
    let pace = command_pace();
    let mut reader = ExecutionReader::new(api, &pace, backends.caches(), now_ms);
    let reading = reader.read(&detail.summary).await?;
    let definition = reading.definition.map_err(anyhow::Error::msg)?;
    let (progress, stuck) = (reading.progress, reading.stuck);
    let out = match args.output {
        OutputFormat::Text => render::show_text(&detail, &definition, &progress, &stuck, now_ms),
        OutputFormat::Json => render::show_json(&detail, &definition, &progress, &stuck),
    };
    render::print(&out)
}
