//! The pane seam. One table says what each pane is (tab label, keymap context, goto action,
//! palette names); the [`Pane`] trait says what it does (keys, data, focus from another
//! pane, `:` commands, what it polls, its filter, its props). [`with_pane`] is the one
//! place that maps a [`PaneId`] to its state, with one plain `match`.
//!
//! Adding a pane: a folder in `src/state/`, one in `views/src/`, a row in [`PANES`], a
//! variant of [`PaneId`], a field of `AppState` and an arm in [`with_pane`] and in the
//! views' `PaneProps`.

use std::collections::BTreeSet;
use unstuck_views::zone::Zone;

use crossterm::event::MouseEventKind;
use unstuck_aws::api::{Data, Topic};
use unstuck_aws::model::BackendError;
use unstuck_views::props::PaneProps;

use super::palette::CommandSpec;
use crate::config::{Action, Context, Keymap};
use crate::state::AppState;
use crate::state::logs::LogsPane;
use crate::state::shared::msg::{Effect, Focus};
use crate::state::shared::pane_ctx::{PaneCtx, ShellRequest};
use crate::state::shared::polled::PollError;

/// The panes, in tab order (the order of [`PANES`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PaneId {
    Overview,
    Logs,
    Groups,
    Insights,
    Executions,
    Queues,
    Functions,
    Signals,
}

/// What the shell needs to know about a pane.
#[derive(Debug, Clone, Copy)]
pub struct PaneSpec {
    pub id: PaneId,
    /// The tab label in the header, and the palette command that opens it.
    pub tab: &'static str,
    /// The palette command that opens it (its name is the tab label).
    pub command: CommandSpec,
    /// The keymap context of its own bindings.
    pub context: Context,
    /// The global action that opens it.
    pub goto: Action,
}

pub const PANES: [PaneSpec; 8] = [
    PaneSpec {
        id: PaneId::Overview,
        tab: "overview",
        command: CommandSpec::new(
            "overview",
            "what is on fire: alarms, canaries, DLQs, errors",
        )
        .aliases(&["triage"]),
        context: Context::Overview,
        goto: Action::GotoOverview,
    },
    PaneSpec {
        id: PaneId::Logs,
        tab: "logs",
        command: CommandSpec::new("logs", "merged logs of the chosen groups").aliases(&["log"]),
        context: Context::Logs,
        goto: Action::GotoLogs,
    },
    PaneSpec {
        id: PaneId::Groups,
        tab: "groups",
        command: CommandSpec::new("groups", "choose log groups").aliases(&["group"]),
        context: Context::Groups,
        goto: Action::GotoGroups,
    },
    PaneSpec {
        id: PaneId::Insights,
        tab: "insights",
        command: CommandSpec::new("queries", "Logs Insights: saved queries, the last results"),
        context: Context::Insights,
        goto: Action::GotoInsights,
    },
    PaneSpec {
        id: PaneId::Executions,
        tab: "executions",
        command: CommandSpec::new(
            "executions-pane",
            "Step Functions: machines, executions, why one is stuck",
        )
        .aliases(&["sfn", "stepfunctions"]),
        context: Context::Executions,
        goto: Action::GotoExecutions,
    },
    PaneSpec {
        id: PaneId::Queues,
        tab: "queues",
        command: CommandSpec::new("queues", "SQS: queue depths, DLQs, peek, export, redrive")
            .aliases(&["sqs", "dlq"]),
        context: Context::Queues,
        goto: Action::GotoQueues,
    },
    PaneSpec {
        id: PaneId::Functions,
        tab: "functions",
        command: CommandSpec::new("functions", "Lambda: calls, errors, p99, cold starts, cost")
            .aliases(&["lambda"]),
        context: Context::Functions,
        goto: Action::GotoFunctions,
    },
    PaneSpec {
        id: PaneId::Signals,
        tab: "signals",
        command: CommandSpec::new("signals", "CloudWatch alarms, Synthetics canaries, RUM")
            .aliases(&["alarms", "canaries", "rum"]),
        context: Context::Signals,
        goto: Action::GotoSignals,
    },
];

/// The palette commands that open each pane, from [`PANES`].
pub const PANE_COMMANDS: [CommandSpec; PANES.len()] = {
    let mut out = [CommandSpec::new("", ""); PANES.len()];
    let mut i = 0;
    while i < PANES.len() {
        out[i] = PANES[i].command;
        i += 1;
    }
    out
};

impl PaneId {
    pub fn all() -> impl Iterator<Item = PaneId> {
        PANES.iter().map(|spec| spec.id)
    }

    pub fn index(self) -> usize {
        PANES.iter().position(|s| s.id == self).unwrap_or(0)
    }

    pub fn spec(self) -> &'static PaneSpec {
        &PANES[self.index()]
    }

    pub fn name(self) -> &'static str {
        self.spec().tab
    }

    pub fn at(index: usize) -> PaneId {
        PANES[index % PANES.len()].id
    }

    pub fn for_goto(action: Action) -> Option<PaneId> {
        PANES.iter().find(|s| s.goto == action).map(|s| s.id)
    }

    pub fn for_context(context: Context) -> Option<PaneId> {
        PANES.iter().find(|s| s.context == context).map(|s| s.id)
    }
}

/// A mouse event inside the pane's list, in content rows (0 = first row under the border).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PaneClick {
    pub row: usize,
    /// Columns from the pane's left edge.
    pub column: u16,
    pub kind: MouseEventKind,
}

/// What every pane does. Defaults are "nothing", so a pane states only what it has.
pub trait Pane {
    /// An action bound in this pane's context, or a global one it may take (moving).
    fn on_action(&mut self, action: Action, ctx: &mut PaneCtx<'_>) -> Vec<Effect>;

    /// Every poll result goes to every pane; each takes what it uses.
    fn on_polled(
        &mut self,
        _topic: &Topic,
        _result: &Result<Data, BackendError>,
        _ctx: &mut PaneCtx<'_>,
    ) -> Vec<Effect> {
        Vec::new()
    }

    /// A report of the logs pane's tail, for panes that show what the tail sees (the logs
    /// pane itself takes its reports apart). True when something it shows changed.
    fn on_tail_seen(&mut self, _report: &crate::tail::TailReport) -> bool {
        false
    }

    /// Another pane asks this one to show something.
    fn on_focus(&mut self, _focus: Focus, _ctx: &mut PaneCtx<'_>) -> Vec<Effect> {
        Vec::new()
    }

    /// The `:` commands this pane declares (usable from anywhere).
    fn commands(&self) -> &'static [CommandSpec] {
        &[]
    }

    /// Run one of [`Pane::commands`] (`arg` trimmed, checked against its [`CommandSpec`]).
    /// `Err` goes back into the prompt, which stays open.
    fn run_command(
        &mut self,
        _name: &'static str,
        _arg: &str,
        _ctx: &mut PaneCtx<'_>,
    ) -> Result<Vec<Effect>, String> {
        Ok(Vec::new())
    }

    /// Completion values for the argument of one of its commands.
    fn argument_values(&self, _command: &'static str, _now_ms: i64) -> Vec<String> {
        Vec::new()
    }

    /// The topics it wants polled, when on screen (`visible`) or not.
    fn subscriptions(&self, _visible: bool, _out: &mut BTreeSet<Topic>) {}

    /// Its `/` filter as typed, if any.
    fn filter_text(&self) -> Option<&str> {
        None
    }

    /// Apply a `/` filter while it is typed (`None` clears). `Err` is shown in the prompt
    /// and the last good filter stays.
    fn set_filter(&mut self, _text: Option<&str>) -> Result<(), String> {
        Ok(())
    }

    /// A wheel or a click in its body.
    fn on_mouse(&mut self, _click: PaneClick, _ctx: &mut PaneCtx<'_>) {}

    /// The page size changed.
    fn on_resize(&mut self, _body_rows: usize) {}

    /// esc with nothing over the pane: go up a level of the pane's own (true), else the
    /// shell goes back to the previous pane.
    fn go_back(&mut self) -> bool {
        false
    }

    /// What the views draw.
    fn props<'a>(&'a self, keymap: &Keymap, now_ms: i64, zone: Zone) -> PaneProps<'a>;

    /// Whether it is showing stale data (for the header's STALE badge).
    fn is_stale(&self) -> bool {
        false
    }

    /// When what it shows was last fetched (the header's ↻).
    fn last_refresh_ms(&self) -> Option<i64> {
        None
    }

    /// Its newest error, explained (for the error detail view).
    fn last_error(&self) -> Option<&PollError> {
        None
    }
}

/// Run `f` on pane `id` with a context borrowed from the rest of the state; returns what
/// `f` returned and what the pane asked of the shell.
pub fn with_pane<R>(
    state: &mut AppState,
    id: PaneId,
    f: impl FnOnce(&mut dyn Pane, &mut PaneCtx<'_>) -> R,
) -> (R, Vec<ShellRequest>) {
    with_parts(state, id, |panes, ctx| {
        let pane: &mut dyn Pane = match id {
            PaneId::Logs => panes.logs,
            PaneId::Groups => panes.groups,
            PaneId::Insights => panes.insights,
            PaneId::Executions => panes.executions,
            PaneId::Queues => panes.queues,
            PaneId::Overview => panes.overview,
            PaneId::Functions => panes.functions,
            PaneId::Signals => panes.signals,
        };
        f(pane, ctx)
    })
}

/// The logs pane with its context: for what only it receives (tail reports, the reports
/// of the exports it started).
pub fn with_logs<R>(
    state: &mut AppState,
    f: impl FnOnce(&mut LogsPane, &mut PaneCtx<'_>) -> R,
) -> (R, Vec<ShellRequest>) {
    with_parts(state, PaneId::Logs, |panes, ctx| f(panes.logs, ctx))
}

/// The queues pane with its context: for its commands' reports.
pub fn with_queues<R>(
    state: &mut AppState,
    f: impl FnOnce(&mut crate::state::QueuesPane, &mut PaneCtx<'_>) -> R,
) -> (R, Vec<ShellRequest>) {
    with_parts(state, PaneId::Queues, |panes, ctx| f(panes.queues, ctx))
}

/// The insights pane with its context: for its query's reports.
pub fn with_insights<R>(
    state: &mut AppState,
    f: impl FnOnce(&mut crate::state::InsightsPane, &mut PaneCtx<'_>) -> R,
) -> (R, Vec<ShellRequest>) {
    with_parts(state, PaneId::Insights, |panes, ctx| f(panes.insights, ctx))
}

/// Every pane's state, borrowed apart from the rest of the state.
struct PaneStates<'a> {
    logs: &'a mut LogsPane,
    groups: &'a mut crate::state::GroupsPane,
    insights: &'a mut crate::state::InsightsPane,
    executions: &'a mut crate::state::ExecutionsPane,
    queues: &'a mut crate::state::QueuesPane,
    overview: &'a mut crate::state::OverviewPane,
    functions: &'a mut crate::state::FunctionsPane,
    signals: &'a mut crate::state::SignalsPane,
}

/// Split the state into the panes and a context for pane `id`, run `f`, and return what it
/// returned and what the pane asked of the shell.
fn with_parts<R>(
    state: &mut AppState,
    id: PaneId,
    f: impl FnOnce(PaneStates<'_>, &mut PaneCtx<'_>) -> R,
) -> (R, Vec<ShellRequest>) {
    let body_rows = state.body_rows();
    let visible = state.pane == id;
    let AppState {
        logs,
        groups,
        insights,
        executions,
        queues,
        overview,
        functions,
        signals,
        status,
        keymap,
        now_ms,
        read_only,
        zone,
        ..
    } = state;
    let mut ctx = PaneCtx::new(id, *now_ms, keymap, body_rows, visible, *read_only, status);
    ctx.zone = *zone;
    let out = f(
        PaneStates {
            logs,
            groups,
            insights,
            executions,
            queues,
            overview,
            functions,
            signals,
        },
        &mut ctx,
    );
    (out, ctx.requests)
}

/// Pane `id`, read-only.
pub fn pane_ref(state: &AppState, id: PaneId) -> &dyn Pane {
    match id {
        PaneId::Logs => &state.logs,
        PaneId::Groups => &state.groups,
        PaneId::Insights => &state.insights,
        PaneId::Executions => &state.executions,
        PaneId::Queues => &state.queues,
        PaneId::Overview => &state.overview,
        PaneId::Functions => &state.functions,
        PaneId::Signals => &state.signals,
    }
}
