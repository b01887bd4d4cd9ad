//! Keys and mouse to actions. The top modal layer owns the keys; without one the visible
//! pane gets its context's bindings, then `[global]`.

use crossterm::event::{KeyEvent, KeyEventKind, MouseButton, MouseEvent, MouseEventKind};
use unstuck_views::widgets::layout::{AppLayout, tab_at};

use super::modal::Modal;
use super::panes::{PaneClick, PaneId, with_pane};
use super::prompt::PromptKind;
use super::prompt_keys::{on_prompt_action, on_prompt_edit, open_prompt};
use super::update::{apply_requests, refresh_effects, run_effects};
use super::view_model::PANE_TABS;
use crate::config::{Action, Context};
use crate::state::AppState;
use crate::state::shared::msg::Effect;

const MOUSE_SCROLL_ROWS: isize = 3;

/// The context whose bindings apply first right now: the top layer's, else the pane's.
pub fn active_context(state: &AppState) -> Context {
    state
        .modals
        .top()
        .map_or(state.pane.spec().context, Modal::context)
}

pub fn on_key(state: &mut AppState, key: &KeyEvent) -> Vec<Effect> {
    if key.kind == KeyEventKind::Release {
        return Vec::new();
    }
    let context = active_context(state);
    let specific = state.keymap.action_for(context, key);
    match state.modals.top() {
        Some(Modal::Prompt(_)) => {
            return match specific {
                Some(action) => on_prompt_action(state, action),
                None => {
                    on_prompt_edit(state, key);
                    Vec::new()
                }
            };
        }
        // A name being typed takes every character (a queue name may hold `q` or `y`).
        Some(Modal::Confirm(confirm))
            if confirm.typed_name.is_some() && (specific.is_none() || is_text(key)) =>
        {
            if let Some(Modal::Confirm(confirm)) = state.modals.top_mut() {
                confirm.typed.edit(key);
            }
            return Vec::new();
        }
        _ => {}
    }
    match specific.or_else(|| state.keymap.action_for(Context::Global, key)) {
        Some(action) => on_action(state, action),
        None => Vec::new(),
    }
}

fn is_text(key: &KeyEvent) -> bool {
    use crossterm::event::{KeyCode, KeyModifiers};
    matches!(key.code, KeyCode::Char(_) | KeyCode::Backspace)
        && !key
            .modifiers
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
}

pub fn on_mouse(state: &mut AppState, mouse: &MouseEvent) -> Vec<Effect> {
    let page = state.body_rows();
    let area = ratatui::layout::Rect::new(0, 0, state.size.0, state.size.1);
    let layout = AppLayout::new(area);
    let scroll = match mouse.kind {
        MouseEventKind::ScrollUp => Some(-MOUSE_SCROLL_ROWS),
        MouseEventKind::ScrollDown => Some(MOUSE_SCROLL_ROWS),
        _ => None,
    };
    match state.modals.top_mut() {
        Some(Modal::Help { scroll: at }) => {
            if let Some(delta) = scroll {
                *at = at.saturating_add_signed(delta);
            }
            return Vec::new();
        }
        Some(Modal::Detail(detail)) => {
            if let Some(delta) = scroll {
                detail.move_cursor(delta, page);
            }
            return Vec::new();
        }
        Some(_) => return Vec::new(),
        None => {}
    }
    if mouse.kind == MouseEventKind::Down(MouseButton::Left) && mouse.row == layout.header.y {
        if let Some(i) = tab_at(
            PANE_TABS,
            state.pane.index(),
            layout.header.width,
            mouse.column,
        ) {
            switch_pane(state, PaneId::at(i));
        }
        return Vec::new();
    }
    let inside = mouse.row > layout.body.y && mouse.row + 1 < layout.body.bottom();
    if scroll.is_some() || (inside && mouse.kind == MouseEventKind::Down(MouseButton::Left)) {
        let click = PaneClick {
            row: usize::from(mouse.row.saturating_sub(layout.body.y + 1)),
            column: mouse.column.saturating_sub(layout.body.x),
            kind: mouse.kind,
        };
        let pane = state.pane;
        let ((), requests) = with_pane(state, pane, |p, ctx| p.on_mouse(click, ctx));
        apply_requests(state, pane, requests);
    }
    Vec::new()
}

pub fn switch_pane(state: &mut AppState, pane: PaneId) {
    if state.pane != pane {
        state.pane_history.push(state.pane);
        state.pane = pane;
    }
    state.modals.clear();
}

fn on_layer_action(state: &mut AppState, action: Action) -> Option<Vec<Effect>> {
    let page = state.body_rows();
    let page_i = isize::try_from(page.max(1)).unwrap_or(isize::MAX);
    let top = state.modals.top_mut()?;
    match top {
        Modal::Help { scroll } => match action {
            Action::ScrollUp => *scroll = scroll.saturating_sub(1),
            Action::ScrollDown => *scroll += 1,
            Action::PageUp => *scroll = scroll.saturating_sub(page),
            Action::PageDown => *scroll += page,
            Action::ScrollTop => *scroll = 0,
            Action::Help | Action::Back | Action::Cancel => {
                state.modals.pop();
            }
            Action::Quit => return Some(quit(state)),
            _ => {}
        },
        Modal::Detail(detail) => match action {
            Action::Back | Action::Cancel | Action::Expand => {
                state.modals.pop();
            }
            Action::ScrollUp => detail.move_cursor(-1, page),
            Action::ScrollDown => detail.move_cursor(1, page),
            Action::PageUp => detail.move_cursor(-page_i, page),
            Action::PageDown => detail.move_cursor(page_i, page),
            Action::ScrollTop => detail.move_cursor(isize::MIN, page),
            Action::ScrollBottom => detail.move_cursor(isize::MAX, page),
            Action::ToggleFold => {
                detail.toggle_fold();
                detail.keep_visible(page);
            }
            Action::FoldAll => detail.fold_nested(),
            Action::UnfoldAll => detail.unfold_all(),
            // Everything else (the palette, help, quit) still works over a detail view.
            _ => return None,
        },
        Modal::Dialog(_) => {
            if matches!(action, Action::Confirm | Action::Cancel | Action::Back) {
                state.modals.pop();
            } else if action == Action::Quit {
                return Some(quit(state));
            }
        }
        Modal::Confirm(confirm) => match action {
            Action::Confirm if confirm.ready() => {
                let command = confirm.command.clone();
                state.modals.pop();
                return Some(run_effects(state, vec![Effect::Execute(command)]));
            }
            Action::Confirm => {}
            Action::Cancel | Action::Back => {
                state.modals.pop();
                state.shell_status(
                    unstuck_views::props::StatusLevel::Info,
                    "cancelled: nothing was changed",
                );
            }
            _ => {}
        },
        Modal::Prompt(_) => return None,
    }
    Some(Vec::new())
}

/// Take `action` as if its key was pressed (the read-only walk test runs every one).
pub fn on_action(state: &mut AppState, action: Action) -> Vec<Effect> {
    if let Some(effects) = on_layer_action(state, action) {
        return effects;
    }
    if let Some(pane) = PaneId::for_goto(action) {
        switch_pane(state, pane);
        return Vec::new();
    }
    match action {
        Action::Quit => return quit(state),
        Action::Help => state.modals.push(Modal::Help { scroll: 0 }),
        Action::CommandPalette => open_prompt(state, PromptKind::Palette, ""),
        Action::Back | Action::Cancel => go_back(state),
        Action::Suspend => return vec![Effect::Suspend],
        Action::NextPane | Action::PrevPane => {
            let n = super::panes::PANES.len();
            let step = if action == Action::NextPane { 1 } else { n - 1 };
            switch_pane(state, PaneId::at(state.pane.index() + step));
        }
        Action::Refresh => return refresh_effects(state),
        Action::ErrorDetails => super::update::open_error_details(state),
        Action::Filter => {
            let pane = state.pane;
            let previous = super::panes::pane_ref(state, pane)
                .filter_text()
                .map(str::to_string);
            let text = previous.clone().unwrap_or_default();
            open_prompt(state, PromptKind::Filter { pane, previous }, &text);
        }
        Action::ClearFilter => {
            let pane = state.pane;
            let _ = with_pane(state, pane, |p, _| p.set_filter(None));
        }
        _ => {
            let pane = state.pane;
            let (effects, requests) = with_pane(state, pane, |p, ctx| p.on_action(action, ctx));
            apply_requests(state, pane, requests);
            return run_effects(state, effects);
        }
    }
    Vec::new()
}

/// esc: clear the pane's filter first (as k9s does), then up a level of the pane (an
/// execution to its list), then back a pane.
fn go_back(state: &mut AppState) {
    let pane = state.pane;
    let had_filter = super::panes::pane_ref(state, pane).filter_text().is_some();
    if had_filter {
        let _ = with_pane(state, pane, |p, _| p.set_filter(None));
        state.shell_status(
            unstuck_views::props::StatusLevel::Info,
            "filter cleared (esc again goes back)",
        );
        return;
    }
    let (went_up, _) = with_pane(state, pane, |p, _| p.go_back());
    if went_up {
        return;
    }
    if let Some(previous) = state.pane_history.pop() {
        state.pane = previous;
    }
}

pub fn quit(state: &mut AppState) -> Vec<Effect> {
    state.quit = true;
    vec![Effect::Quit]
}
