//! Keys and mouse to actions, and what each action does to the state.

use crossterm::event::{KeyEvent, KeyEventKind, MouseButton, MouseEvent, MouseEventKind};
use regex::RegexBuilder;
use unstuck_views::layout::{AppLayout, tab_at};
use unstuck_views::props::StatusLevel;

use super::msg::{Effect, Topic};
use super::palette::{self, Command};
use super::prompt::{Prompt, PromptKind};
use super::update::start_tail;
use super::view_model::PANE_TABS;
use super::{AppState, PaneId};
use crate::config::{Action, Context};

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

fn switch_pane(state: &mut AppState, pane: PaneId) {
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
            PaneId::Logs => on_logs_action(state, action, page, page_i),
            PaneId::Groups => return on_groups_action(state, action, page, page_i),
        },
    }
    Vec::new()
}

fn quit(state: &mut AppState) -> Vec<Effect> {
    state.quit = true;
    vec![Effect::Quit]
}

fn on_logs_action(state: &mut AppState, action: Action, page: usize, page_i: isize) {
    let logs = &mut state.logs;
    match action {
        Action::ScrollUp => logs.scroll_by(1, page),
        Action::ScrollDown => logs.scroll_by(-1, page),
        Action::PageUp => logs.scroll_by(page_i, page),
        Action::PageDown => logs.scroll_by(-page_i, page),
        Action::ScrollTop => logs.scroll_to_top(page),
        Action::ScrollBottom => logs.scroll_to_bottom(),
        Action::ToggleFollow => logs.toggle_follow(),
        _ => {}
    }
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

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn open_prompt(state: &mut AppState, kind: PromptKind, text: &str) {
    let mut prompt = Prompt::new(kind, text);
    refresh_candidates(state, &mut prompt);
    state.prompt = Some(prompt);
}

fn refresh_candidates(state: &AppState, prompt: &mut Prompt) {
    if prompt.kind == PromptKind::Palette {
        let groups: Vec<&str> = state.groups.all.iter().map(|g| g.name.as_str()).collect();
        prompt.candidates = palette::candidates(&prompt.input.text, &state.theme_names, &groups);
        prompt.selected = None;
    }
}

fn on_prompt_edit(state: &mut AppState, key: &KeyEvent) {
    let Some(mut prompt) = state.prompt.take() else {
        return;
    };
    if prompt.input.edit(key) {
        prompt.error = None;
        prompt.history_pos = None;
        refresh_candidates(state, &mut prompt);
        if let PromptKind::Filter { pane, .. } = prompt.kind {
            apply_filter(state, pane, &mut prompt);
        }
    }
    state.prompt = Some(prompt);
}

/// Live filtering while typing. A bad regex is reported in the prompt and the last good
/// filter stays in effect.
fn apply_filter(state: &mut AppState, pane: PaneId, prompt: &mut Prompt) {
    let text = prompt.input.text.clone();
    match pane {
        PaneId::Groups => state.groups.set_filter(Some(text)),
        PaneId::Logs if text.is_empty() => state.logs.set_filter(None),
        PaneId::Logs => match compile_filter(&text) {
            Ok(re) => state.logs.set_filter(Some((text, re))),
            Err(err) => prompt.error = Some(err),
        },
    }
}

/// Smart case: case-insensitive unless the pattern has an uppercase letter.
pub fn compile_filter(text: &str) -> Result<regex::Regex, String> {
    RegexBuilder::new(text)
        .case_insensitive(!text.chars().any(char::is_uppercase))
        .size_limit(1 << 20)
        .build()
        .map_err(|e| {
            let detail = e.to_string();
            let last = detail
                .lines()
                .last()
                .unwrap_or("invalid")
                .trim()
                .to_string();
            format!("bad regex: {last}")
        })
}

fn on_prompt_action(state: &mut AppState, action: Action) -> Vec<Effect> {
    let Some(mut prompt) = state.prompt.take() else {
        return Vec::new();
    };
    match action {
        Action::Cancel | Action::Back => {
            if let PromptKind::Filter { pane, previous } = &prompt.kind {
                restore_filter(state, *pane, previous.clone());
            }
            return Vec::new();
        }
        Action::Complete if prompt.kind == PromptKind::Palette => {
            match palette::complete(&prompt.input.text, &prompt.candidates) {
                Some(text) => prompt.input.set(&text),
                None if !prompt.candidates.is_empty() => {
                    let next = prompt
                        .selected
                        .map_or(0, |s| (s + 1) % prompt.candidates.len());
                    prompt.selected = Some(next);
                    let chosen = prompt.candidates[next].clone();
                    prompt.input.set(&chosen);
                    state.prompt = Some(prompt);
                    return Vec::new();
                }
                None => {}
            }
            refresh_candidates(state, &mut prompt);
        }
        Action::HistoryPrev | Action::HistoryNext if prompt.kind == PromptKind::Palette => {
            walk_history(state, &mut prompt, action == Action::HistoryPrev);
        }
        Action::Submit => {
            if prompt.error.is_some() && matches!(prompt.kind, PromptKind::Filter { .. }) {
                state.prompt = Some(prompt);
                return Vec::new();
            }
            if prompt.kind == PromptKind::Palette {
                return run_palette(state, prompt);
            }
            return Vec::new();
        }
        _ => {}
    }
    state.prompt = Some(prompt);
    Vec::new()
}

fn restore_filter(state: &mut AppState, pane: PaneId, previous: Option<String>) {
    match pane {
        PaneId::Groups => state.groups.set_filter(previous),
        PaneId::Logs => {
            let restored = previous.and_then(|t| compile_filter(&t).ok().map(|re| (t, re)));
            state.logs.set_filter(restored);
        }
    }
}

fn walk_history(state: &AppState, prompt: &mut Prompt, older: bool) {
    let history = &state.palette_history;
    if history.is_empty() {
        return;
    }
    let pos = match (prompt.history_pos, older) {
        (None, true) => Some(history.len() - 1),
        (None, false) => None,
        (Some(p), true) => Some(p.saturating_sub(1)),
        (Some(p), false) if p + 1 < history.len() => Some(p + 1),
        (Some(_), false) => None,
    };
    prompt.history_pos = pos;
    let text = pos.map_or("", |p| history[p].as_str()).to_string();
    prompt.input.set(&text);
}

fn run_palette(state: &mut AppState, mut prompt: Prompt) -> Vec<Effect> {
    let line = prompt.input.text.trim().to_string();
    let command = match palette::parse(&line) {
        Ok(command) => command,
        Err(error) => {
            prompt.error = Some(error);
            state.prompt = Some(prompt);
            return Vec::new();
        }
    };
    if state.palette_history.last() != Some(&line) {
        state.palette_history.push(line);
    }
    match command {
        Command::Pane(pane) => switch_pane(state, pane),
        Command::Help => state.help_scroll = Some(0),
        Command::Quit => return quit(state),
        Command::Theme(name) => return vec![Effect::LoadTheme(name)],
        Command::Follow => state.logs.scroll_to_bottom(),
        Command::Pause => state.logs.follow = false,
        Command::Filter(text) => match compile_filter(&text) {
            Ok(re) => {
                state.logs.set_filter(Some((text, re)));
                switch_pane(state, PaneId::Logs);
            }
            Err(error) => state.set_status(StatusLevel::Error, error),
        },
        Command::NoFilter => state.logs.set_filter(None),
        Command::Prefix(prefix) => {
            state.groups.select_none();
            let n = state.groups.select_prefix(&prefix);
            if n == 0 {
                state.set_status(
                    StatusLevel::Warn,
                    format!("no log group starts with {prefix}"),
                );
                return Vec::new();
            }
            let effect = start_tail(state);
            switch_pane(state, PaneId::Logs);
            state.set_status(
                StatusLevel::Info,
                format!("tailing {n} log group{}", plural(n)),
            );
            return vec![effect];
        }
        Command::Refresh => return vec![Effect::Refresh(Topic::LogGroups)],
    }
    Vec::new()
}
