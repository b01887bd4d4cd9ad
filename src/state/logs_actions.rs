//! What the logs pane's actions and palette commands do: moving the selection, the detail
//! overlay, grouping by invocation, the level filter, highlight mode and `n`/`N`, jumping to
//! a time, the CloudWatch filter pattern, and starting an export.

use std::path::PathBuf;
use std::sync::Arc;

use unstuck_views::log_row::LogRow;
use unstuck_views::props::{MatchMode, StatusLevel};

use super::export::{ExportFormat, ExportJob, default_file_name};
use super::keys::switch_pane;
use super::log_detail::LogDetail;
use super::logs_commands::LogsCommand;
use super::logs_navigation::JumpOutcome;
use super::logs_pane::PatternTrial;
use super::msg::Effect;
use super::prompt::PromptKind;
use super::prompt_actions::{compile_filter, open_prompt};
use super::update::{TAIL_BACKFILL_MS, replace_tail};
use super::{AppState, ExportRun, PaneId};
use crate::config::{Action, Context};

/// Actions of the logs pane itself (the global ones are handled by `keys`).
pub fn on_logs_action(state: &mut AppState, action: Action) -> Vec<Effect> {
    let page = state.body_rows();
    let logs = &mut state.logs;
    logs.page_rows = page.max(1);
    let page_entries = isize::try_from(logs.page_entries()).unwrap_or(isize::MAX);
    match action {
        Action::ScrollUp => logs.move_cursor(1),
        Action::ScrollDown => logs.move_cursor(-1),
        Action::PageUp => logs.page_by(page_entries),
        Action::PageDown => logs.page_by(-page_entries),
        Action::ScrollTop => logs.scroll_to_top(page),
        Action::ScrollBottom => logs.scroll_to_bottom(),
        Action::ToggleFollow => logs.toggle_follow(),
        Action::Expand => open_detail(state),
        Action::ToggleInvocations => {
            let on = !logs.by_invocation;
            logs.set_by_invocation(on);
            let text = if on {
                "one row per invocation (START … REPORT), errors under it"
            } else {
                "one row per line"
            };
            state.set_status(StatusLevel::Info, text);
        }
        Action::CycleLevel => {
            logs.cycle_min_level();
            announce_level(state);
        }
        Action::ToggleHighlight => {
            let mode = match logs.match_mode {
                MatchMode::Hide => MatchMode::Highlight,
                MatchMode::Highlight => MatchMode::Hide,
            };
            logs.set_match_mode(mode);
            let filter_text = logs.filter_text.clone();
            let text = match (mode, filter_text.as_deref()) {
                (MatchMode::Highlight, Some(re)) => {
                    format!(
                        "/{re}: every line shown, matches highlighted; {} jump",
                        match_keys(state)
                    )
                }
                (MatchMode::Hide, Some(re)) => format!("/{re}: only matching lines shown"),
                (MatchMode::Highlight, None) => {
                    "highlight mode: / now highlights matches instead of hiding lines".into()
                }
                (MatchMode::Hide, None) => "hide mode: / now hides lines that do not match".into(),
            };
            state.set_status(StatusLevel::Info, text);
        }
        Action::OlderMatch | Action::NewerMatch => {
            let older = action == Action::OlderMatch;
            if logs.filter.is_none() {
                state.set_status(StatusLevel::Warn, "no regex yet: press / to type one");
            } else if !logs.search(older) {
                let which = if older { "older" } else { "newer" };
                state.set_status(StatusLevel::Warn, format!("no {which} match"));
            }
        }
        Action::JumpToTime => open_prompt(state, PromptKind::Palette, "time "),
        Action::EditPattern => {
            let current = logs
                .rejected_pattern
                .clone()
                .or_else(|| logs.filter_pattern.clone())
                .unwrap_or_default();
            open_prompt(state, PromptKind::Palette, &format!("pattern {current}"));
        }
        Action::Export => {
            let name = default_file_name(state.now_ms);
            open_prompt(state, PromptKind::Palette, &format!("export {name}"));
        }
        _ => {}
    }
    Vec::new()
}

fn announce_level(state: &mut AppState) {
    let text = match state.logs.min_level {
        None => "level: all lines".to_string(),
        Some(level) => format!(
            "level: {}+ only (lines without a level count as INFO)",
            level.label()
        ),
    };
    state.set_status(StatusLevel::Info, text);
}

/// Open the detail overlay on the selected line or invocation.
fn open_detail(state: &mut AppState) {
    let page = state.body_rows();
    let logs = &mut state.logs;
    let Some(position) = logs.cursor_position() else {
        return;
    };
    let detail = if logs.by_invocation {
        logs.shown_invocation(position)
            .map(|item| LogDetail::for_invocation(item, &logs.rows))
    } else {
        logs.shown_row_index(position)
            .and_then(|index| LogDetail::for_row(&logs.rows, index))
    };
    logs.detail = detail.map(|mut d| {
        d.keep_visible(page);
        d
    });
}

/// True for the actions the detail overlay handles while it is open.
pub fn is_detail_action(action: Action) -> bool {
    matches!(
        action,
        Action::Back
            | Action::Cancel
            | Action::Expand
            | Action::ScrollUp
            | Action::ScrollDown
            | Action::PageUp
            | Action::PageDown
            | Action::ScrollTop
            | Action::ScrollBottom
            | Action::ToggleFold
            | Action::FoldAll
            | Action::UnfoldAll
    )
}

pub fn on_detail_action(state: &mut AppState, action: Action) {
    let page = state.body_rows();
    let page_i = isize::try_from(page.max(1)).unwrap_or(isize::MAX);
    let Some(detail) = state.logs.detail.as_mut() else {
        return;
    };
    match action {
        Action::Back | Action::Cancel | Action::Expand => state.logs.detail = None,
        Action::ScrollUp => detail.move_cursor(-1, page),
        Action::ScrollDown => detail.move_cursor(1, page),
        Action::PageUp => detail.move_cursor(-page_i, page),
        Action::PageDown => detail.move_cursor(page_i, page),
        Action::ScrollTop => detail.move_cursor(isize::MIN, page),
        Action::ScrollBottom => detail.move_cursor(isize::MAX, page),
        Action::ToggleFold => {
            let toggled = detail.toggle_fold();
            let json = detail.is_json();
            if json && !toggled {
                state.set_status(StatusLevel::Info, "this line opens no object or array");
            }
        }
        Action::FoldAll => detail.fold_nested(),
        Action::UnfoldAll => detail.unfold_all(),
        _ => {}
    }
    if let Some(detail) = state.logs.detail.as_mut() {
        detail.keep_visible(page);
    }
}

/// Run a logs palette command.
pub fn run_logs_command(state: &mut AppState, command: LogsCommand) -> Vec<Effect> {
    match command {
        LogsCommand::Time(ms) => {
            switch_pane(state, PaneId::Logs);
            state.logs.page_rows = state.body_rows().max(1);
            state.logs.detail = None;
            let when = unstuck_views::chrome::clock_time(ms);
            match state.logs.jump_to_time(ms) {
                JumpOutcome::At { entry_ms } if entry_ms == ms => {
                    let follow = key_for(state, Action::ToggleFollow);
                    state.set_status(
                        StatusLevel::Info,
                        format!("at {when} (paused; {follow} follows)"),
                    );
                }
                JumpOutcome::At { entry_ms } => {
                    let follow = key_for(state, Action::ToggleFollow);
                    state.set_status(
                        StatusLevel::Info,
                        format!(
                            "first line after {when} is at {} (paused; {follow} follows)",
                            unstuck_views::log_line::row_time(entry_ms)
                        ),
                    );
                }
                JumpOutcome::AfterNewest => state.set_status(
                    StatusLevel::Warn,
                    format!("nothing at or after {when}: showing the newest (paused)"),
                ),
                JumpOutcome::Empty => {
                    state.set_status(StatusLevel::Warn, "no lines to jump in yet");
                }
            }
            Vec::new()
        }
        LogsCommand::Pattern(pattern) => set_pattern(state, Some(pattern)),
        LogsCommand::NoPattern => set_pattern(state, None),
        LogsCommand::Level(level) => {
            state.logs.set_min_level(level);
            announce_level(state);
            switch_pane(state, PaneId::Logs);
            Vec::new()
        }
        LogsCommand::Highlight(text) => {
            match compile_filter(&text) {
                Ok(re) => {
                    state.logs.set_match_mode(MatchMode::Highlight);
                    state.logs.set_filter(Some((text.clone(), re)));
                    switch_pane(state, PaneId::Logs);
                    state.set_status(
                        StatusLevel::Info,
                        format!("/{text} highlighted; {} jump", match_keys(state)),
                    );
                }
                Err(error) => state.set_status(StatusLevel::Error, error),
            }
            Vec::new()
        }
        LogsCommand::Export { path, overwrite } => start_export(state, path, overwrite),
    }
}

/// Change the CloudWatch filter pattern and restart the tail with it. The lines on screen
/// stay until AWS answers: the first report of the new tail replaces them; a rejection puts
/// the previous pattern back (see `update::on_tail`).
fn set_pattern(state: &mut AppState, pattern: Option<String>) -> Vec<Effect> {
    let previous = state.logs.filter_pattern.clone();
    state.logs.rejected_pattern = None;
    state.logs.filter_pattern = pattern.clone();
    switch_pane(state, PaneId::Logs);
    if state.logs.groups.is_empty() {
        let text = match &pattern {
            Some(p) => format!("filter pattern {p} applies once you tail log groups"),
            None => "no filter pattern".to_string(),
        };
        state.set_status(StatusLevel::Info, text);
        return Vec::new();
    }
    state.logs.pattern_trial = pattern.as_ref().map(|_| PatternTrial { previous });
    let text = match &pattern {
        Some(p) => format!("asking AWS for lines matching {p}…"),
        None => "tailing without a filter pattern…".to_string(),
    };
    state.set_status(StatusLevel::Info, text);
    vec![replace_tail(state, TAIL_BACKFILL_MS, true)]
}

fn start_export(state: &mut AppState, path: Option<String>, overwrite: bool) -> Vec<Effect> {
    if state.export.is_some() {
        state.set_status(StatusLevel::Warn, "an export is already running");
        return Vec::new();
    }
    let logs = &state.logs;
    let rows: Vec<LogRow> = (0..logs.visible.as_ref().map_or(logs.rows.len(), Vec::len))
        .filter_map(|i| logs.shown_row_index(i))
        .map(|i| logs.rows[i].clone())
        .collect();
    if rows.is_empty() {
        state.set_status(StatusLevel::Warn, "nothing to export: no line is shown");
        return Vec::new();
    }
    let path = PathBuf::from(path.unwrap_or_else(|| default_file_name(state.now_ms)));
    let format = ExportFormat::for_path(&path);
    let total = rows.len();
    state.export = Some(ExportRun {
        path: path.display().to_string(),
        total,
    });
    state.set_status(
        StatusLevel::Info,
        export_progress_text(0, total, &path.display().to_string()),
    );
    vec![Effect::Export(ExportJob {
        path,
        format,
        overwrite,
        rows: Arc::new(rows),
    })]
}

/// The first key bound to `action` in the logs pane (or everywhere), for hints.
pub fn key_for(state: &AppState, action: Action) -> String {
    state
        .keymap
        .first_chord(Context::Logs, action)
        .or_else(|| state.keymap.first_chord(Context::Global, action))
        .unwrap_or_else(|| format!("({})", action.name()))
}

/// `n/N`: the keys to the older and the newer match.
fn match_keys(state: &AppState) -> String {
    format!(
        "{}/{}",
        key_for(state, Action::OlderMatch),
        key_for(state, Action::NewerMatch)
    )
}

/// `1234567` → `1,234,567`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `exporting ▕█████░░░░░▏ 45% (45,000/100,000 lines) → out.jsonl`.
pub fn export_progress_text(written: usize, total: usize, path: &str) -> String {
    const WIDTH: usize = 20;
    let percent = (written * 100).checked_div(total).unwrap_or(100).min(100);
    let filled = percent * WIDTH / 100;
    format!(
        "exporting ▕{}{}▏ {percent}% ({}/{} lines) → {path}",
        "█".repeat(filled),
        "░".repeat(WIDTH - filled),
        thousands(written),
        thousands(total)
    )
}
