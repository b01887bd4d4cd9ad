//! The `:` palette and `/` filter prompts: editing, completion, history, live filtering,
//! and running a palette line (logs commands first, then the general ones).

use crossterm::event::KeyEvent;
use regex::RegexBuilder;
use unstuck_views::props::{MatchMode, StatusLevel};

use super::keys::{plural, quit, switch_pane};
use super::logs_actions::run_logs_command;
use super::logs_commands::{self, LOGS_COMMANDS};
use super::msg::{Effect, Topic};
use super::palette::{self, Command};
use super::prompt::{Prompt, PromptKind};
use super::update::start_tail;
use super::{AppState, PaneId};
use crate::config::Action;

pub(super) fn open_prompt(state: &mut AppState, kind: PromptKind, text: &str) {
    let mut prompt = Prompt::new(kind, text);
    refresh_candidates(state, &mut prompt);
    state.prompt = Some(prompt);
}

fn refresh_candidates(state: &AppState, prompt: &mut Prompt) {
    if prompt.kind == PromptKind::Palette {
        let groups: Vec<&str> = state.groups.all.iter().map(|g| g.name.as_str()).collect();
        let text = &prompt.input.text;
        prompt.candidates = palette::candidates(text, &state.theme_names, &groups);
        prompt
            .candidates
            .extend(logs_commands::candidates(text, state.now_ms));
        prompt.selected = None;
    }
}

pub(super) fn on_prompt_edit(state: &mut AppState, key: &KeyEvent) {
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

pub(super) fn on_prompt_action(state: &mut AppState, action: Action) -> Vec<Effect> {
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
                Some(text) if logs_commands::takes_argument(&text) => {
                    prompt.input.set(&format!("{text} "));
                }
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
    if let Some(parsed) = logs_commands::parse(&line, state.now_ms) {
        return match parsed {
            Ok(command) => {
                remember(state, line);
                run_logs_command(state, command)
            }
            Err(error) => {
                prompt.error = Some(error);
                state.prompt = Some(prompt);
                Vec::new()
            }
        };
    }
    let command = match palette::parse(&line) {
        Ok(command) => command,
        Err(error) => {
            prompt.error = Some(with_logs_suggestion(error, &line));
            state.prompt = Some(prompt);
            return Vec::new();
        }
    };
    remember(state, line);
    match command {
        Command::Pane(pane) => switch_pane(state, pane),
        Command::Help => state.help_scroll = Some(0),
        Command::Quit => return quit(state),
        Command::Theme(name) => return vec![Effect::LoadTheme(name)],
        Command::Follow => state.logs.scroll_to_bottom(),
        Command::Pause => state.logs.follow = false,
        Command::Filter(text) => match compile_filter(&text) {
            Ok(re) => {
                state.logs.set_match_mode(MatchMode::Hide);
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

fn remember(state: &mut AppState, line: String) {
    if state.palette_history.last() != Some(&line) {
        state.palette_history.push(line);
    }
}

/// Add a "did you mean" for the logs commands to an unknown-command error that has none.
fn with_logs_suggestion(error: String, line: &str) -> String {
    if !error.starts_with("unknown command") || error.contains("did you mean") {
        return error;
    }
    let typed = line.split_whitespace().next().unwrap_or("");
    LOGS_COMMANDS
        .iter()
        .map(|(name, _, _)| (strsim::levenshtein(name, typed), *name))
        .min()
        .filter(|(distance, _)| *distance <= 3)
        .map_or(error.clone(), |(_, name)| {
            format!("{error} (did you mean {name}?)")
        })
}
