//! Keys and mouse to actions, and what each action does to the state.

use crossterm::event::{KeyEvent, KeyEventKind, MouseButton, MouseEvent, MouseEventKind};
use unstuck_views::layout::{AppLayout, tab_at};
use unstuck_views::props::StatusLevel;

use super::logs_actions::{is_detail_action, on_detail_action, on_logs_action};
use super::msg::{Effect, Topic};
use super::prompt::PromptKind;
use super::update::start_tail;
use super::view_model::PANE_TABS;
use super::{AppState, PaneId};
use crate::config::{Action, Context};

use super::prompt_actions::{on_prompt_action, on_prompt_edit, open_prompt};

const MOUSE_SCROLL_ROWS: isize = 3;

fn pane_context(pane: PaneId) -> Context {
    match pane {
        PaneId::Logs => Context::Logs,
        PaneId::Groups => Context::Groups,
    }
}

/// The context whose bindings apply first right now.
pub fn active_context(state: &AppState) -> Context {
    if state.prompt.is_some() {
        Context::Prompt
    } else if state.help_scroll.is_some() {
        Context::Help
    } else if state.pane == PaneId::Logs && state.logs.detail.is_some() {
        Context::Detail
    } else {
        pane_context(state.pane)
    }
}

pub fn on_key(state: &mut AppState, key: &KeyEvent) -> Vec<Effect> {
    if key.kind == KeyEventKind::Release {
        return Vec::new();
    }
    let context = active_context(state);
    let specific = state.keymap.action_for(context, key);
    if context == Context::Prompt {
        return match specific {
            Some(action) => on_prompt_action(state, action),
            None => {
                on_prompt_edit(state, key);
                Vec::new()
            }
        };
    }
    match specific.or_else(|| state.keymap.action_for(Context::Global, key)) {
        Some(action) => on_action(state, action),
        None => Vec::new(),
    }
}

pub fn on_mouse(state: &mut AppState, mouse: &MouseEvent) -> Vec<Effect> {
    let page = state.body_rows();
    match mouse.kind {
        MouseEventKind::ScrollUp | MouseEventKind::ScrollDown => {
            let delta = if mouse.kind == MouseEventKind::ScrollUp {
                -MOUSE_SCROLL_ROWS
            } else {
                MOUSE_SCROLL_ROWS
            };
            if let Some(scroll) = state.help_scroll.as_mut() {
                *scroll = scroll.saturating_add_signed(delta);
            } else if let (PaneId::Logs, Some(detail)) = (state.pane, state.logs.detail.as_mut()) {
                detail.move_cursor(delta, page);
            } else {
                match state.pane {
                    PaneId::Logs => state.logs.scroll_by(-delta, page),
                    PaneId::Groups => state.groups.move_cursor(delta, page),
                }
            }
            Vec::new()
        }
        MouseEventKind::Down(MouseButton::Left) => {
            let area = ratatui::layout::Rect::new(0, 0, state.size.0, state.size.1);
            let layout = AppLayout::new(area);
            if mouse.row == layout.header.y {
                if let Some(i) = tab_at(&PANE_TABS, mouse.column) {
                    switch_pane(state, PaneId::ALL[i]);
                }
            } else if state.pane == PaneId::Logs
                && state.help_scroll.is_none()
                && state.logs.detail.is_none()
                && mouse.row > layout.body.y
                && mouse.row + 1 < layout.body.bottom()
            {
                state.logs.page_rows = page.max(1);
                state
                    .logs
                    .select_at_row(usize::from(mouse.row - layout.body.y - 1));
            } else if state.pane == PaneId::Groups
                && state.help_scroll.is_none()
                && mouse.row > layout.body.y
                && mouse.row + 1 < layout.body.bottom()
            {
                let row = usize::from(mouse.row - layout.body.y - 1);
                let index = state.groups.offset + row;
                if index < state.groups.shown.len() {
                    state.groups.set_cursor(index, page);
                    // A click on the check box toggles the selection.
                    if mouse.column <= layout.body.x + 4 {
                        state.groups.toggle_current();
                    }
                }
            }
            Vec::new()
        }
        _ => Vec::new(),
    }
}

pub(super) fn switch_pane(state: &mut AppState, pane: PaneId) {
    if state.pane != pane {
        state.pane_history.push(state.pane);
        state.pane = pane;
    }
    state.help_scroll = None;
}

fn on_action(state: &mut AppState, action: Action) -> Vec<Effect> {
    let page = state.body_rows();
    let page_i = isize::try_from(page.max(1)).unwrap_or(isize::MAX);
    if let Some(scroll) = state.help_scroll.as_mut() {
        match action {
            Action::ScrollUp => *scroll = scroll.saturating_sub(1),
            Action::ScrollDown => *scroll += 1,
            Action::PageUp => *scroll = scroll.saturating_sub(page),
            Action::PageDown => *scroll += page,
            Action::Help | Action::Back | Action::Cancel => state.help_scroll = None,
            Action::Quit => return quit(state),
            _ => {}
        }
        return Vec::new();
    }
    if state.pane == PaneId::Logs && state.logs.detail.is_some() && is_detail_action(action) {
        on_detail_action(state, action);
        return Vec::new();
    }
    match action {
        Action::Quit => return quit(state),
        Action::Help => state.help_scroll = Some(0),
        Action::CommandPalette => open_prompt(state, PromptKind::Palette, ""),
        Action::Back | Action::Cancel => {
            if let Some(previous) = state.pane_history.pop() {
                state.pane = previous;
            }
        }
        Action::Suspend => return vec![Effect::Suspend],
        Action::NextPane | Action::PrevPane => {
            let n = PaneId::ALL.len();
            let step = if action == Action::NextPane { 1 } else { n - 1 };
            switch_pane(state, PaneId::ALL[(state.pane.index() + step) % n]);
        }
        Action::GotoLogs => switch_pane(state, PaneId::Logs),
        Action::GotoGroups => switch_pane(state, PaneId::Groups),
        Action::Refresh => {
            state.set_status(StatusLevel::Info, "refreshing…");
            return vec![
                Effect::Refresh(Topic::LogGroups),
                Effect::Refresh(Topic::Identity),
            ];
        }
        Action::Filter => {
            let previous = match state.pane {
                PaneId::Logs => state.logs.filter_text.clone(),
                PaneId::Groups => state.groups.filter_text.clone(),
            };
            let text = previous.clone().unwrap_or_default();
            open_prompt(
                state,
                PromptKind::Filter {
                    pane: state.pane,
                    previous,
                },
                &text,
            );
        }
        Action::ClearFilter => match state.pane {
            PaneId::Logs => state.logs.set_filter(None),
            PaneId::Groups => state.groups.set_filter(None),
        },
        _ => match state.pane {
            PaneId::Logs => return on_logs_action(state, action),
            PaneId::Groups => return on_groups_action(state, action, page, page_i),
        },
    }
    Vec::new()
}

pub(super) fn quit(state: &mut AppState) -> Vec<Effect> {
    state.quit = true;
    vec![Effect::Quit]
}

fn on_groups_action(
    state: &mut AppState,
    action: Action,
    page: usize,
    page_i: isize,
) -> Vec<Effect> {
    let groups = &mut state.groups;
    match action {
        Action::ScrollUp => groups.move_cursor(-1, page),
        Action::ScrollDown => groups.move_cursor(1, page),
        Action::PageUp => groups.move_cursor(-page_i, page),
        Action::PageDown => groups.move_cursor(page_i, page),
        Action::ScrollTop => groups.set_cursor(0, page),
        Action::ScrollBottom => groups.set_cursor(usize::MAX, page),
        Action::ToggleSelect => {
            groups.toggle_current();
            groups.move_cursor(1, page);
        }
        Action::SelectAll => groups.select_all_shown(),
        Action::SelectNone => groups.select_none(),
        Action::Open => {
            if groups.selected.is_empty() {
                groups.toggle_current();
            }
            let effect = start_tail(state);
            let n = state.logs.groups.len();
            switch_pane(state, PaneId::Logs);
            state.set_status(
                StatusLevel::Info,
                format!("tailing {n} log group{}", plural(n)),
            );
            return vec![effect];
        }
        _ => {}
    }
    Vec::new()
}

pub(super) fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
