//! The application state, owned by the runtime loop alone, and the pure reducer.

mod call_rate;
mod export;
mod groups_pane;
mod invocations;
mod json_compact;
mod json_value;
mod json_view;
mod keys;
mod log_detail;
mod log_ingest;
mod logs_actions;
mod logs_commands;
mod logs_navigation;
mod logs_pane;
mod msg;
mod palette;
mod prompt;
mod prompt_actions;
mod update;
mod view_model;

use std::sync::Arc;

use unstuck_aws::api::BackendLabel;
use unstuck_views::props::StatusLevel;
use unstuck_views::theme::Theme;

use crate::config::Keymap;

pub use export::{ExportFormat, ExportJob, ExportSummary, write_export};
pub use groups_pane::GroupsPane;
pub use invocations::InvocationIndex;
pub use json_compact::{CompactLine, compact_json};
pub use log_detail::LogDetail;
pub use log_ingest::{
    EventFacts, PlatformLine, ReportNumbers, level_of, rows_for_event, tag_for_group,
};
pub use logs_commands::{LogsCommand, parse_time};
pub use logs_navigation::JumpOutcome;
pub use logs_pane::{DEFAULT_BUFFER_LINES, LogsPane, PatternTrial};
pub use msg::{Data, Effect, Msg, TailReport, TailSpec, Topic};
pub use prompt::{Prompt, PromptKind, TextInput};
pub use update::{initial_effects, update};
pub use view_model::{PANE_TABS, app_props, draw, footer_hints, help_sections};

/// The panes, in tab order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaneId {
    Logs,
    Groups,
}

impl PaneId {
    pub const ALL: [PaneId; 2] = [PaneId::Logs, PaneId::Groups];

    pub fn name(self) -> &'static str {
        match self {
            PaneId::Logs => "logs",
            PaneId::Groups => "groups",
        }
    }

    pub fn index(self) -> usize {
        Self::ALL.iter().position(|p| *p == self).unwrap_or(0)
    }
}

/// An export being written by the runtime.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportRun {
    /// As typed, for the progress line.
    pub path: String,
    pub total: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusMessage {
    pub level: StatusLevel,
    pub text: String,
    pub at_ms: i64,
}

/// Start-up choices that shape the initial state.
#[derive(Debug, Clone, Default)]
pub struct StartOptions {
    pub read_only: bool,
    /// Log groups whose name starts with one of these are selected once the list arrives.
    pub log_group_prefixes: Vec<String>,
    pub buffer_lines: Option<usize>,
    /// Names offered by `:theme`.
    pub theme_names: Vec<String>,
}

pub struct AppState {
    pub keymap: Arc<Keymap>,
    pub theme: Theme,
    pub theme_names: Vec<String>,
    pub read_only: bool,
    pub label: BackendLabel,
    pub account: Option<String>,
    /// The newest time any message carried (the reducer never reads a clock).
    pub now_ms: i64,
    pub last_refresh_ms: Option<i64>,
    pub size: (u16, u16),
    pub pane: PaneId,
    pub pane_history: Vec<PaneId>,
    pub help_scroll: Option<usize>,
    pub prompt: Option<Prompt>,
    /// Palette lines run so far, oldest first.
    pub palette_history: Vec<String>,
    pub status: Option<StatusMessage>,
    pub logs: LogsPane,
    pub groups: GroupsPane,
    pub next_tail_id: u64,
    pub call_rate: call_rate::CallRate,
    /// What the Live Tail is doing, for the pane title ("live tail", "SAMPLED", "polling").
    pub live_note: Option<String>,
    /// The export in progress, if any (one at a time).
    pub export: Option<ExportRun>,
    pub quit: bool,
}

impl AppState {
    pub fn new(keymap: Arc<Keymap>, theme: Theme, label: BackendLabel, opts: StartOptions) -> Self {
        let start_pane = if opts.log_group_prefixes.is_empty() {
            PaneId::Groups
        } else {
            PaneId::Logs
        };
        Self {
            keymap,
            theme,
            theme_names: opts.theme_names,
            read_only: opts.read_only,
            label,
            account: None,
            now_ms: 0,
            last_refresh_ms: None,
            size: (80, 24),
            pane: start_pane,
            pane_history: Vec::new(),
            help_scroll: None,
            prompt: None,
            palette_history: Vec::new(),
            status: None,
            logs: LogsPane::new(opts.buffer_lines.unwrap_or(DEFAULT_BUFFER_LINES)),
            groups: GroupsPane::new(opts.log_group_prefixes),
            next_tail_id: 1,
            call_rate: call_rate::CallRate::default(),
            live_note: None,
            export: None,
            quit: false,
        }
    }

    pub fn set_status(&mut self, level: StatusLevel, text: impl Into<String>) {
        self.status = Some(StatusMessage {
            level,
            text: text.into(),
            at_ms: self.now_ms,
        });
    }

    /// Rows available to a pane's list (body minus borders).
    pub fn body_rows(&self) -> usize {
        let area = ratatui::layout::Rect::new(0, 0, self.size.0, self.size.1);
        unstuck_views::layout::AppLayout::new(area).body_content_rows()
    }
}
