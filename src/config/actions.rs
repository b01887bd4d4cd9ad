//! The closed set of bindable actions and the keymap contexts they are bound in.
//! Internal messages are not bindable: only what is listed here can appear in a keymap.

use serde::{Deserialize, Serialize};

/// A keymap table: `[global]`, `[logs]`, ... Keys are looked up in the most specific
/// context first (an open prompt, the help overlay, the focused pane), then `[global]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Context {
    Global,
    Logs,
    Groups,
    Insights,
    Executions,
    Queues,
    Overview,
    Functions,
    Signals,
    Help,
    Prompt,
    /// The detail overlay (a log line or an invocation in full, an error's causes).
    Detail,
    /// A dialog or a confirmation over everything.
    Dialog,
}

impl Context {
    pub const ALL: [Context; 13] = [
        Context::Global,
        Context::Logs,
        Context::Groups,
        Context::Insights,
        Context::Executions,
        Context::Queues,
        Context::Overview,
        Context::Functions,
        Context::Signals,
        Context::Help,
        Context::Prompt,
        Context::Detail,
        Context::Dialog,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Context::Global => "global",
            Context::Logs => "logs",
            Context::Groups => "groups",
            Context::Insights => "insights",
            Context::Executions => "executions",
            Context::Queues => "queues",
            Context::Overview => "overview",
            Context::Functions => "functions",
            Context::Signals => "signals",
            Context::Help => "help",
            Context::Prompt => "prompt",
            Context::Detail => "detail",
            Context::Dialog => "dialog",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.name() == name)
    }
}

macro_rules! actions {
    ($($variant:ident => $name:literal, $desc:literal;)*) => {
        /// Everything a key can be bound to.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Action { $($variant,)* }

        impl Action {
            pub const ALL: &'static [Action] = &[$(Action::$variant,)*];

            /// The name used in keymap files (kebab-case).
            pub fn name(self) -> &'static str {
                match self { $(Action::$variant => $name,)* }
            }

            /// The default one-line description shown in help and footer hints.
            pub fn description(self) -> &'static str {
                match self { $(Action::$variant => $desc,)* }
            }

            pub fn from_name(name: &str) -> Option<Self> {
                match name { $($name => Some(Action::$variant),)* _ => None }
            }
        }
    };
}

actions! {
    Quit => "quit", "quit";
    Help => "help", "help";
    CommandPalette => "command-palette", "command";
    Back => "back", "back";
    Suspend => "suspend", "suspend";
    NextPane => "next-pane", "next pane";
    PrevPane => "prev-pane", "previous pane";
    GotoLogs => "goto-logs", "logs";
    GotoGroups => "goto-groups", "log groups";
    GotoInsights => "goto-insights", "insights";
    GotoExecutions => "goto-executions", "executions";
    GotoQueues => "goto-queues", "queues";
    GotoOverview => "goto-overview", "overview";
    GotoFunctions => "goto-functions", "functions";
    GotoSignals => "goto-signals", "alarms, canaries, RUM";
    Refresh => "refresh", "refresh";
    ErrorDetails => "error-details", "error details";
    Confirm => "confirm", "confirm";
    ScrollUp => "scroll-up", "up";
    ScrollDown => "scroll-down", "down";
    PageUp => "page-up", "page up";
    PageDown => "page-down", "page down";
    ScrollTop => "scroll-top", "top";
    ScrollBottom => "scroll-bottom", "bottom";
    Filter => "filter", "filter";
    ClearFilter => "clear-filter", "clear filter";
    ToggleFollow => "toggle-follow", "follow/pause";
    Expand => "expand", "details";
    ToggleInvocations => "toggle-invocations", "invocations";
    CycleLevel => "cycle-level", "level";
    ToggleHighlight => "toggle-highlight", "highlight";
    OlderMatch => "older-match", "match ↑";
    NewerMatch => "newer-match", "match ↓";
    JumpToTime => "jump-to-time", "go to time";
    EditPattern => "edit-pattern", "aws pattern";
    Export => "export", "export";
    ToggleWrap => "toggle-wrap", "wrap";
    Copy => "copy", "copy";
    CycleSort => "cycle-sort", "sort";
    PivotRequest => "pivot-request", "whole request";
    QueryInsights => "query-insights", "insights";
    SavedQueries => "saved-queries", "saved queries";
    EditQuery => "edit-query", "edit query";
    StopQuery => "stop-query", "stop query";
    ScrollLeft => "scroll-left", "left";
    ScrollRight => "scroll-right", "right";
    ToggleFold => "toggle-fold", "fold/unfold";
    FoldAll => "fold-all", "fold all";
    UnfoldAll => "unfold-all", "unfold all";
    ToggleSelect => "toggle-select", "select";
    SelectAll => "select-all", "select all shown";
    SelectNone => "select-none", "select none";
    Open => "open", "open";
    Complete => "complete", "complete";
    Submit => "submit", "run";
    Cancel => "cancel", "cancel";
    HistoryPrev => "history-prev", "previous";
    HistoryNext => "history-next", "next";
    CycleStatus => "cycle-status", "status filter";
    FocusHistory => "focus-history", "history";
    ToggleCollapse => "toggle-collapse", "collapse/expand";
    StepLogs => "step-logs", "step logs";
    StopExecution => "stop-execution", "stop";
    RedriveExecution => "redrive-execution", "redrive";
    SendTaskSuccess => "send-task-success", "task success";
    SendTaskFailure => "send-task-failure", "task failure";
    SendTaskHeartbeat => "send-task-heartbeat", "heartbeat";
    OpenMapRun => "open-map-run", "map run executions";
    RedriveMessages => "redrive-messages", "redrive";
    NativeRedrive => "native-redrive", "native redrive";
    CancelMoveTask => "cancel-move-task", "cancel move task";
    CycleWindow => "cycle-window", "window";
    ReverseSort => "reverse-sort", "reverse sort";
    OpenSource => "open-source", "where it leads";
}

impl Serialize for Action {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}
