//! The `:` palette and `/` filter prompts: editing, completion, history, live filtering,
//! and running a palette line through the one parser.

use crossterm::event::KeyEvent;

use super::modal::Modal;
use super::palette::{self, PaletteError};
use super::panes::{PaneId, pane_ref, with_pane};
use super::prompt::{Prompt, PromptKind};
use super::shell_commands::{
    CommandOwner, command_tables, run_shell_command, shell_argument_values,
};
use super::update::{apply_requests, run_effects};
use crate::config::Action;
use crate::state::AppState;
use crate::state::shared::msg::Effect;

pub fn open_prompt(state: &mut AppState, kind: PromptKind, text: &str) {
    let mut prompt = Prompt::new(kind, text);
    refresh_candidates(state, &mut prompt);
    state.modals.push(Modal::Prompt(prompt));
}

/// The open prompt, taken off the stack (put back with `put_back`).
fn take_prompt(state: &mut AppState) -> Option<Prompt> {
    match state.modals.top() {
        Some(Modal::Prompt(_)) => match state.modals.pop() {
            Some(Modal::Prompt(prompt)) => Some(prompt),
            _ => None,
        },
        _ => None,
    }
}

fn put_back(state: &mut AppState, prompt: Prompt) {
    state.modals.push(Modal::Prompt(prompt));
}

fn refresh_candidates(state: &AppState, prompt: &mut Prompt) {
    if prompt.kind == PromptKind::Palette {
        let tables = command_tables(state);
        prompt.candidates =
            palette::completions(
                &prompt.input.text,
                &tables,
                |owner, spec| match CommandOwner::of(owner) {
                    CommandOwner::Shell => shell_argument_values(state, spec.name),
                    CommandOwner::Goto => Vec::new(),
                    CommandOwner::Pane(pane) => {
                        pane_ref(state, pane).argument_values(spec.name, state.now_ms)
                    }
                },
            );
        prompt.selected = None;
    }
}

pub fn on_prompt_edit(state: &mut AppState, key: &KeyEvent) {
    let Some(mut prompt) = take_prompt(state) else {
        return;
    };
    if prompt.input.edit(key) {
        prompt.error = None;
        prompt.history_pos = None;
        refresh_candidates(state, &mut prompt);
        if let PromptKind::Filter { pane, .. } = prompt.kind {
            let text = prompt.input.text.clone();
            let (result, _) = with_pane(state, pane, |p, _| {
                p.set_filter((!text.is_empty()).then_some(text.as_str()))
            });
            prompt.error = result.err();
        }
    }
    put_back(state, prompt);
}

pub fn on_prompt_action(state: &mut AppState, action: Action) -> Vec<Effect> {
    let Some(mut prompt) = take_prompt(state) else {
        return Vec::new();
    };
    match action {
        Action::Cancel | Action::Back => {
            if let PromptKind::Filter { pane, previous } = &prompt.kind {
                let previous = previous.clone();
                let _ = with_pane(state, *pane, |p, _| p.set_filter(previous.as_deref()));
            }
            return Vec::new();
        }
        Action::Complete if prompt.kind == PromptKind::Palette => {
            let tables = command_tables(state);
            match palette::complete(&prompt.input.text, &prompt.candidates, &tables) {
                Some(text) => prompt.input.set(&text),
                None if !prompt.candidates.is_empty() => {
                    let next = prompt
                        .selected
                        .map_or(0, |s| (s + 1) % prompt.candidates.len());
                    prompt.selected = Some(next);
                    let chosen = prompt.candidates[next].text.clone();
                    prompt.input.set(&chosen);
                    put_back(state, prompt);
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
                put_back(state, prompt);
                return Vec::new();
            }
            if prompt.kind == PromptKind::Palette {
                return run_palette(state, prompt);
            }
            return Vec::new();
        }
        _ => {}
    }
    put_back(state, prompt);
    Vec::new()
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

/// Parse the line with the one parser and hand it to the shell or the pane that declared
/// the command. An error stays in the prompt.
fn run_palette(state: &mut AppState, mut prompt: Prompt) -> Vec<Effect> {
    let line = prompt.input.text.trim().to_string();
    let tables = command_tables(state);
    let result = palette::parse(&line, &tables).and_then(|parsed| {
        let arg = parsed.arg.to_string();
        match CommandOwner::of(parsed.owner) {
            CommandOwner::Shell => run_shell_command(state, parsed.spec.name, &arg),
            CommandOwner::Goto => {
                let pane = PaneId::all()
                    .find(|p| p.spec().command.name == parsed.spec.name)
                    .unwrap_or(state.pane);
                super::keys::switch_pane(state, pane);
                Ok(Vec::new())
            }
            CommandOwner::Pane(pane) => {
                let (result, requests) = with_pane(state, pane, |p, ctx| {
                    p.run_command(parsed.spec.name, &arg, ctx)
                });
                let effects = result.map_err(PaletteError::BadArgument)?;
                apply_requests(state, pane, requests);
                Ok(run_effects(state, effects))
            }
        }
    });
    match result {
        Ok(effects) => {
            if state.palette_history.last() != Some(&line) {
                state.palette_history.push(line);
            }
            effects
        }
        Err(error) => {
            prompt.error = Some(error.to_string());
            put_back(state, prompt);
            Vec::new()
        }
    }
}
