//! The executions pane: state machines (running and failed counts), one machine's
//! executions (status filter in AWS, a `/` name filter here, the stuck reason of the running
//! ones), and one execution (its graph coloured by status, the selected state's details,
//! the history), with Stop / Redrive / SendTask* behind a confirm dialog. `esc` goes up a
//! level. Its seam with the shell is the [`Pane`] impl below; polling is by topic, the last
//! data kept on screen while a new poll is pending or failing.

mod execution_props;
mod list_props;
mod lists;
mod open_execution;
mod operations;

use std::collections::BTreeSet;

use unstuck_aws::api::{Data, StepFunctionsData, StepFunctionsTopic, Topic};
use unstuck_aws::model::BackendError;
use unstuck_views::executions::props::{ExecutionsBody, ExecutionsProps};
use unstuck_views::props::PaneProps;
use unstuck_views::zone::Zone;

use crate::commands::Command;
use crate::config::{Action, Keymap};
use crate::state::shared::msg::{Effect, Focus};
use crate::state::shared::pane_ctx::{PaneCtx, ShellRequest, cursor_delta};
use crate::state::shared::polled::PollError;
use crate::state::shell::palette::CommandSpec;
use crate::state::shell::panes::{Pane, PaneId};

pub use lists::ExecutionsPane;
pub use open_execution::OpenExecution;
pub use operations::{Mutation, error_and_cause};

/// Columns one ← or → pans the graph by.
const PAN_STEP: isize = 8;

const EXECUTIONS_COMMANDS: &[CommandSpec] = &[
    CommandSpec::new("execution", "open a Step Functions execution by its ARN")
        .required("ARN", "an execution ARN"),
    CommandSpec::new("machine", "list a state machine's executions")
        .aliases(&["executions"])
        .required("NAME", "a state machine's name or ARN"),
    CommandSpec::new(
        "status",
        "show executions of one status: all, running, failed, timed-out, aborted, succeeded",
    )
    .required(
        "STATUS",
        "all, running, failed, timed-out, aborted or succeeded",
    ),
    CommandSpec::new("stop", "stop the open execution (confirmed first)")
        .optional("[ERROR [CAUSE]]", "recorded in its history"),
    CommandSpec::new(
        "redrive",
        "redrive the open execution from where it stopped",
    ),
    CommandSpec::new(
        "task-success",
        "send task success to the state waiting on a token (confirmed first)",
    )
    .required("JSON", "the task's output, e.g. {\"approved\": true}"),
    CommandSpec::new(
        "task-failure",
        "send task failure to the state waiting on a token",
    )
    .optional("[ERROR [CAUSE]]", "e.g. Rejected the documents are missing"),
    CommandSpec::new(
        "heartbeat",
        "send a task heartbeat for the state waiting on a token",
    ),
    CommandSpec::new(
        "token",
        "use this task token for the next send (else the one in the history)",
    )
    .required("TOKEN", "a task token"),
];

impl ExecutionsPane {
    /// Ask for a confirmation of `mutation` of the open execution, or say why not.
    fn confirm(&mut self, mutation: Mutation, ctx: &mut PaneCtx<'_>) -> Result<(), String> {
        if ctx.read_only {
            return Err("read-only: changes are off (unstuck was started with --read-only)".into());
        }
        let open = self.open.as_ref().ok_or("open an execution first")?;
        let command = open.command(mutation)?;
        ctx.request(ShellRequest::Confirm(Command::StepFunctions(command)));
        Ok(())
    }

    fn mutate(&mut self, mutation: Mutation, ctx: &mut PaneCtx<'_>) {
        if let Err(error) = self.confirm(mutation, ctx) {
            ctx.error(error);
        }
    }

    /// Open the palette on a command that needs what only the user can type.
    fn prompt_for(&self, text: &str, ctx: &mut PaneCtx<'_>) {
        if ctx.read_only {
            ctx.error("read-only: changes are off (unstuck was started with --read-only)");
        } else if self.open.is_none() {
            ctx.error("open an execution first");
        } else {
            ctx.request(ShellRequest::OpenPalette(text.to_string()));
        }
    }

    fn on_execution_action(&mut self, action: Action, ctx: &mut PaneCtx<'_>) -> Vec<Effect> {
        let Some(open) = self.open.as_mut() else {
            return Vec::new();
        };
        if let Some(delta) = cursor_delta(action, ctx.body_rows) {
            open.move_selection(delta);
            return Vec::new();
        }
        match action {
            Action::ScrollLeft | Action::ScrollRight => {
                // At most the graph's width either way (the view clamps to what it shows).
                let limit = isize::try_from(open.layout.width).unwrap_or(isize::MAX);
                let step = if action == Action::ScrollLeft {
                    -PAN_STEP
                } else {
                    PAN_STEP
                };
                open.pan_x = (open.pan_x + step).clamp(-limit, limit);
            }
            Action::ToggleFollow => {
                open.follow = !open.follow;
                if open.follow {
                    open.history_focused = false;
                    open.select_current();
                    ctx.info("following the current state");
                } else {
                    ctx.info("paused: the selection stays where it is");
                }
            }
            Action::FocusHistory => {
                open.history_focused = !open.history_focused;
            }
            Action::ToggleCollapse => match open.toggle_collapse() {
                Some(name) => ctx.info(format!("{name}: collapsed or expanded")),
                None => ctx.info("select a Parallel or Map state (or one inside it)"),
            },
            Action::Open | Action::Expand => {
                if let Some(detail) = open.full_detail() {
                    ctx.request(ShellRequest::OpenDetail(detail));
                }
            }
            Action::StepLogs => match open.step_logs() {
                Ok(focus) => {
                    return vec![Effect::Goto {
                        pane: PaneId::Logs,
                        focus,
                        show: true,
                    }];
                }
                Err(error) => ctx.error(error),
            },
            Action::Copy => {
                return vec![Effect::Copy(crate::state::logs::Clip {
                    what: "execution ARN".into(),
                    text: open.arn.clone(),
                })];
            }
            Action::OpenMapRun => {
                let Some(run) = open.map_runs_of_selected().first().map(|r| r.arn.clone()) else {
                    ctx.info("select a distributed Map state that has run");
                    return Vec::new();
                };
                let state = open.selected_name().unwrap_or("Map").to_string();
                self.open_map_run(run, &state);
            }
            Action::StopExecution => self.mutate(
                Mutation::Stop {
                    error: None,
                    cause: None,
                },
                ctx,
            ),
            Action::RedriveExecution => self.mutate(Mutation::Redrive, ctx),
            Action::SendTaskHeartbeat => self.mutate(Mutation::TaskHeartbeat, ctx),
            Action::SendTaskSuccess => self.prompt_for("task-success {}", ctx),
            Action::SendTaskFailure => self.prompt_for("task-failure ", ctx),
            _ => {}
        }
        Vec::new()
    }
}

impl Pane for ExecutionsPane {
    fn on_action(&mut self, action: Action, ctx: &mut PaneCtx<'_>) -> Vec<Effect> {
        if self.open.is_some() {
            return self.on_execution_action(action, ctx);
        }
        if let Some(delta) = cursor_delta(action, ctx.body_rows) {
            if self.load_more_at_end(delta) {
                ctx.info("listing 100 more executions…");
            }
            self.move_cursor(delta);
            return Vec::new();
        }
        match action {
            Action::CycleStatus if self.machine.is_some() => {
                self.set_status(lists::next_status(self.status));
                ctx.info(format!(
                    "showing {} executions",
                    lists::status_word(self.status)
                ));
            }
            Action::Open | Action::Expand => {
                if let Some(express) = self.selected_express() {
                    return express_logs(express, ctx);
                }
                self.open_selected();
            }
            Action::Copy => {
                if let Some(arn) = self.selected_arn() {
                    return vec![Effect::Copy(crate::state::logs::Clip {
                        what: "ARN".into(),
                        text: arn,
                    })];
                }
            }
            _ => {}
        }
        Vec::new()
    }

    fn go_back(&mut self) -> bool {
        self.up_a_level()
    }

    fn on_polled(
        &mut self,
        topic: &Topic,
        result: &Result<Data, BackendError>,
        ctx: &mut PaneCtx<'_>,
    ) -> Vec<Effect> {
        let Topic::StepFunctions(topic) = topic else {
            return Vec::new();
        };
        let data = match result {
            Ok(Data::StepFunctions(data)) => Ok(data),
            Ok(_) => return Vec::new(),
            Err(e) => Err(e),
        };
        if let Err(error) = self.absorb(topic, data, ctx.now_ms)
            && ctx.visible
        {
            ctx.error(error.headline.clone());
        }
        Vec::new()
    }

    fn on_focus(&mut self, focus: Focus, ctx: &mut PaneCtx<'_>) -> Vec<Effect> {
        match focus {
            Focus::Execution(arn) => self.open_execution(arn),
            Focus::Machine(arn) => {
                if let Err(why) = self.open_machine_named(&arn) {
                    ctx.error(why);
                }
            }
            _ => {}
        }
        Vec::new()
    }

    fn commands(&self) -> &'static [CommandSpec] {
        EXECUTIONS_COMMANDS
    }

    fn run_command(
        &mut self,
        name: &'static str,
        arg: &str,
        ctx: &mut PaneCtx<'_>,
    ) -> Result<Vec<Effect>, String> {
        let arg = arg.trim();
        // First: switching to the pane closes every layer, the confirm dialog too.
        ctx.request(ShellRequest::ShowMe);
        match name {
            "execution" => {
                if !arg.contains(":execution:") {
                    return Err(format!("{arg} is not an execution ARN"));
                }
                self.open_execution(arg.to_string());
            }
            "machine" => self.open_machine_named(arg)?,
            "status" => {
                let status = lists::parse_status(arg)?;
                self.set_status(status);
            }
            "stop" => {
                let (error, cause) = error_and_cause(arg);
                self.confirm(Mutation::Stop { error, cause }, ctx)?;
            }
            "redrive" => self.confirm(Mutation::Redrive, ctx)?,
            "task-success" => self.confirm(
                Mutation::TaskSuccess {
                    output: arg.to_string(),
                },
                ctx,
            )?,
            "task-failure" => {
                let (error, cause) = error_and_cause(arg);
                self.confirm(Mutation::TaskFailure { error, cause }, ctx)?;
            }
            "heartbeat" => self.confirm(Mutation::TaskHeartbeat, ctx)?,
            "token" => {
                let open = self.open.as_mut().ok_or("open an execution first")?;
                open.pasted_token = Some(arg.to_string());
                ctx.info("the next send uses the pasted token");
            }
            _ => {}
        }
        Ok(Vec::new())
    }

    fn argument_values(&self, command: &'static str, _now_ms: i64) -> Vec<String> {
        match command {
            "machine" => self.machine_names(),
            "status" => lists::STATUS_WORDS.iter().map(|s| s.to_string()).collect(),
            _ => Vec::new(),
        }
    }

    fn subscriptions(&self, visible: bool, out: &mut BTreeSet<Topic>) {
        if !visible {
            return;
        }
        let topics = match (&self.open, &self.machine) {
            (Some(open), _) => vec![StepFunctionsTopic::Execution {
                execution_arn: open.arn.clone(),
            }],
            // The list, and apart the stuck reasons of the rows around the cursor.
            (None, Some(machine)) => [(0, false), (self.rows_from(), true)]
                .into_iter()
                .map(|(rows_from, reasons)| StepFunctionsTopic::Executions {
                    machine_arn: machine.arn.clone(),
                    status: self.status,
                    rows_from,
                    pages: self.pages.max(1),
                    reasons,
                })
                .collect(),
            (None, None) => vec![StepFunctionsTopic::Machines],
        };
        out.extend(topics.into_iter().map(Topic::StepFunctions));
    }

    fn filter_text(&self) -> Option<&str> {
        self.filter_text.as_deref()
    }

    fn set_filter(&mut self, text: Option<&str>) -> Result<(), String> {
        ExecutionsPane::set_filter(self, text)
    }

    fn props<'a>(&'a self, keymap: &Keymap, now_ms: i64, zone: Zone) -> PaneProps<'a> {
        let hint = self.hint(keymap);
        let (title, state, body) = match &self.open {
            Some(open) => (
                format!(
                    "execution · {}",
                    crate::commands::execution_label(&open.arn)
                ),
                open.data.loadable(),
                ExecutionsBody::Execution(Box::new(open.view(now_ms, zone))),
            ),
            None => self.list_props(now_ms, zone),
        };
        PaneProps::Executions(ExecutionsProps {
            title,
            state,
            body,
            hint,
        })
    }

    fn is_stale(&self) -> bool {
        self.current_error().is_some()
    }

    fn last_refresh_ms(&self) -> Option<i64> {
        match (&self.open, &self.machine) {
            (Some(open), _) => open.data.fetched_ms,
            (None, Some(_)) => self.executions.fetched_ms,
            (None, None) => self.machines.fetched_ms,
        }
    }

    fn last_error(&self) -> Option<&PollError> {
        self.current_error()
    }
}

/// An Express machine keeps no execution history: its executions are what it logs. Open
/// its log group in the logs pane, or say why there is nothing to show.
fn express_logs(row: &unstuck_aws::api::MachineRow, ctx: &mut PaneCtx<'_>) -> Vec<Effect> {
    let name = &row.summary.name;
    match &row.logging {
        Some(logging) if logging.is_on() => {
            let group = logging.group.clone().unwrap_or_default();
            let data = if logging.include_execution_data {
                ""
            } else {
                " (without execution data: inputs and outputs are not logged)"
            };
            let note = format!(
                "{name} is an Express machine: Step Functions keeps no history of its \
                 executions; they are in {group}, logged at level {}{data}",
                logging.level
            );
            vec![Effect::Goto {
                pane: PaneId::Logs,
                focus: Focus::MachineLogs { group, note },
                show: true,
            }]
        }
        Some(_) => {
            ctx.error(format!(
                "{name} is an Express machine with logging off: nothing keeps a record of its \
                 executions. Turn on its logging (level ALL, with execution data) to see them"
            ));
            Vec::new()
        }
        None => {
            ctx.error(format!(
                "{name} is an Express machine: its logging was not read"
            ));
            Vec::new()
        }
    }
}

/// The data of one Step Functions topic, or its error (for [`ExecutionsPane::absorb`]).
pub type TopicResult<'a> = Result<&'a StepFunctionsData, &'a BackendError>;
