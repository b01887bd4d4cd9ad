//! The application state, owned by the runtime loop alone, and the pure reducer.
//!
//! - `shell/`: the pane table and trait, the modal layer, the palette, key routing, the
//!   top-level reducer and the frame's props;
//! - `shared/`: what the shell and the panes share (messages, `Polled<T>`, status, the
//!   pane context, text input, JSON and detail views);
//! - one folder per pane: `overview/`, `logs/`, `groups/`, `insights/`, `executions/`,
//!   `queues/`, `functions/`, `signals/`.

pub mod executions;
pub mod functions;
pub mod groups;
pub mod insights;
pub mod logs;
pub mod overview;
pub mod queues;
pub mod shared;
pub mod shell;
pub mod signals;

use std::sync::Arc;

use unstuck_aws::api::BackendLabel;
use unstuck_views::props::StatusLevel;
use unstuck_views::theme::Theme;

use crate::config::Keymap;

pub use executions::ExecutionsPane;
pub use functions::FunctionsPane;
pub use groups::GroupsPane;
pub use insights::{InsightsPane, InsightsSettings};
pub use logs::{DEFAULT_BUFFER_LINES, LogsPane};
pub use overview::OverviewPane;
pub use queues::QueuesPane;
pub use shared::msg::{Connection, Effect, Focus, Msg, Reconnect};
pub use shared::polled::{PollError, Polled};
pub use shared::status::{StatusBoard, StatusSource};
pub use shell::modal::{Confirm, Dialog, Modal, ModalStack};
pub use shell::panes::{PANES, Pane, PaneId};
pub use shell::update::{next_wake_ms, update, wanted_topics};
pub use shell::view_model::{PANE_TABS, app_props, draw, footer_hints, help_sections};
pub use signals::SignalsPane;

/// Start-up choices that shape the initial state.
#[derive(Debug, Clone, Default)]
pub struct StartOptions {
    pub read_only: bool,
    /// Log groups whose name starts with one of these are tailed once the list arrives.
    pub log_group_prefixes: Vec<String>,
    pub buffer_lines: Option<usize>,
    /// The machine's offset from UTC at start-up, for `:tz local` (seconds east).
    pub local_offset_s: i32,
    /// Show times in the local zone from the start (`--tz local`).
    pub local_times: bool,
    /// How far back the logs pane's tails start (`--since`; 5 minutes when not given).
    pub since_back_ms: Option<i64>,
    /// Names offered by `:theme`.
    pub theme_names: Vec<String>,
    /// Names offered by `:profile` (from the AWS config files).
    pub profile_names: Vec<String>,
    /// Every configuration error found at start-up (the embedded defaults stand in for
    /// the broken files): shown in one dialog.
    pub config_errors: Vec<String>,
    /// Saved Logs Insights queries and the price per GB scanned.
    pub insights: InsightsSettings,
    /// The pane shown first (`--pane`); the overview, or the logs when groups were named.
    pub start_pane: Option<PaneId>,
    /// The tail's FilterLogEvents budget (`--calls-per-second`), for `:usage`; None: the
    /// default.
    pub logs_calls_per_second: Option<f64>,
}

pub struct AppState {
    pub keymap: Arc<Keymap>,
    pub theme: Theme,
    pub theme_names: Vec<String>,
    pub profile_names: Vec<String>,
    pub read_only: bool,
    pub label: BackendLabel,
    pub account: Option<String>,
    /// The newest time any message carried (the reducer never reads a clock).
    pub now_ms: i64,
    pub size: (u16, u16),
    pub pane: PaneId,
    pub pane_history: Vec<PaneId>,
    /// Help, prompt, detail, dialogs: the top one owns the keys.
    pub modals: ModalStack,
    /// Palette lines run so far, oldest first.
    pub palette_history: Vec<String>,
    pub status: StatusBoard,
    /// The shell's own last error (the account), for the error detail view.
    pub last_error: Option<PollError>,
    pub call_rate: shared::call_rate::CallRate,
    /// Calls per service and the $/hour of the app's own use (`:usage`).
    pub usage: shell::usage::Usage,
    pub logs: LogsPane,
    pub groups: GroupsPane,
    pub insights: InsightsPane,
    pub executions: ExecutionsPane,
    pub queues: QueuesPane,
    pub overview: OverviewPane,
    pub functions: FunctionsPane,
    pub signals: SignalsPane,
    /// Something visible changed since the last frame.
    pub redraw: bool,
    pub quit: bool,
    /// The zone times are shown and typed in (`:tz`).
    pub zone: unstuck_views::zone::Zone,
    pub local_offset_s: i32,
}

impl AppState {
    pub fn new(keymap: Arc<Keymap>, theme: Theme, label: BackendLabel, opts: StartOptions) -> Self {
        let start_pane = match opts.start_pane {
            Some(pane) => pane,
            None if opts.log_group_prefixes.is_empty() => PaneId::Overview,
            None => PaneId::Logs,
        };
        let mut modals = ModalStack::default();
        if !opts.config_errors.is_empty() {
            let mut lines = opts.config_errors.clone();
            lines.push(String::new());
            lines.push(
                "The embedded defaults stand in for the broken files until they are fixed \
                 (`unstuck config check` lists these errors too)."
                    .to_string(),
            );
            modals.push(Modal::Dialog(Dialog {
                title: format!(
                    "{} in the configuration",
                    shared::thousands::count(opts.config_errors.len(), "error")
                ),
                lines,
            }));
        }
        Self {
            keymap,
            theme,
            theme_names: opts.theme_names,
            profile_names: opts.profile_names,
            read_only: opts.read_only,
            label,
            account: None,
            now_ms: 0,
            size: (80, 24),
            pane: start_pane,
            pane_history: Vec::new(),
            modals,
            palette_history: Vec::new(),
            status: StatusBoard::default(),
            last_error: None,
            call_rate: shared::call_rate::CallRate::default(),
            usage: shell::usage::Usage::with_log_events_budget(opts.logs_calls_per_second),
            logs: LogsPane::with_start_prefixes(
                opts.buffer_lines.unwrap_or(DEFAULT_BUFFER_LINES),
                opts.log_group_prefixes,
            )
            .starting_back(opts.since_back_ms),
            groups: GroupsPane::new(),
            insights: InsightsPane::new(opts.insights),
            executions: ExecutionsPane::default(),
            queues: QueuesPane::default(),
            overview: OverviewPane::default(),
            functions: FunctionsPane::default(),
            signals: SignalsPane::default(),
            zone: if opts.local_times {
                unstuck_views::zone::Zone::local(opts.local_offset_s)
            } else {
                unstuck_views::zone::Zone::UTC
            },
            local_offset_s: opts.local_offset_s,
            redraw: true,
            quit: false,
        }
    }

    /// A status message of the shell itself (theme, refresh, the account).
    pub fn shell_status(&mut self, level: StatusLevel, text: impl Into<String>) {
        self.status
            .set(StatusSource::Shell, level, text.into(), self.now_ms);
    }

    /// The status message shown now, if any.
    pub fn shown_status(&self) -> Option<&shared::status::StatusMessage> {
        self.status.shown(self.pane, self.now_ms)
    }

    /// The open prompt, if any.
    pub fn prompt(&self) -> Option<&shell::prompt::Prompt> {
        self.modals.prompt()
    }

    /// The detail view on top, if one is.
    pub fn detail(&self) -> Option<&shared::detail::Detail> {
        match self.modals.top() {
            Some(Modal::Detail(detail)) => Some(detail),
            _ => None,
        }
    }

    /// Live Tail sessions open: one per 10 groups while the tail streams.
    pub fn live_tail_sessions(&self) -> usize {
        let streaming = self
            .logs
            .live_note
            .as_deref()
            .is_some_and(|n| n.starts_with("live tail"));
        if streaming {
            self.logs.groups.len().div_ceil(10)
        } else {
            0
        }
    }

    /// The header's $/hour item.
    pub fn usage_item(&self) -> Option<String> {
        self.usage.header_item(self.live_tail_sessions())
    }

    /// Time only moves forward.
    pub fn advance_clock(&mut self, at_ms: i64) {
        self.now_ms = self.now_ms.max(at_ms);
    }

    /// Whether the visible pane shows stale data.
    pub fn is_stale(&self) -> bool {
        shell::panes::pane_ref(self, self.pane).is_stale()
    }

    /// Whether anything visible changed since the last call (the loop draws only then).
    pub fn take_redraw(&mut self) -> bool {
        std::mem::take(&mut self.redraw)
    }

    /// Rows available to a pane's list (body minus borders).
    pub fn body_rows(&self) -> usize {
        let area = ratatui::layout::Rect::new(0, 0, self.size.0, self.size.1);
        unstuck_views::widgets::layout::AppLayout::new(area).body_content_rows()
    }
}
