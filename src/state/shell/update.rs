//! The pure reducer: `update(&mut AppState, Msg) -> Vec<Effect>`. No IO, no clock reads:
//! time arrives inside messages. It also says whether anything visible changed
//! ([`AppState::take_redraw`]), which topics the screen needs ([`wanted_topics`]) and when
//! to wake it next ([`next_wake_ms`]).

use std::collections::BTreeSet;

use unstuck_aws::api::{Data, SessionData, Topic};
use unstuck_views::props::StatusLevel;

use super::keys;
use super::modal::Modal;
use super::panes::{PaneId, pane_ref, with_insights, with_logs, with_pane};
use super::prompt::PromptKind;
use crate::commands::{CommandOutcome, CommandReport};
use crate::state::AppState;
use crate::state::shared::detail::Detail;
use crate::state::shared::msg::{Effect, Msg};
use crate::state::shared::pane_ctx::ShellRequest;
use crate::state::shared::status::StatusSource;

pub fn update(state: &mut AppState, msg: Msg) -> Vec<Effect> {
    match msg {
        Msg::Key { key, at_ms } => {
            state.advance_clock(at_ms);
            state.redraw = true;
            keys::on_key(state, &key)
        }
        Msg::Mouse { mouse, at_ms } => {
            state.advance_clock(at_ms);
            state.redraw = true;
            keys::on_mouse(state, &mouse)
        }
        Msg::Resize(w, h) => {
            state.size = (w, h);
            state.redraw = true;
            let page = state.body_rows();
            for pane in PaneId::all() {
                let _ = with_pane(state, pane, |p, _| p.on_resize(page));
            }
            for modal in state.modals.iter_mut() {
                if let Modal::Detail(detail) = modal {
                    detail.keep_visible(page);
                }
            }
            Vec::new()
        }
        Msg::Polled {
            topic,
            at_ms,
            result,
        } => {
            state.advance_clock(at_ms);
            let before = visible_signature(state);
            let shown_here = wanted_by(state, state.pane, true).contains(&topic);
            if topic == Topic::IDENTITY {
                on_identity(state, &result);
            }
            let mut effects = Vec::new();
            for pane in PaneId::all() {
                let (more, requests) =
                    with_pane(state, pane, |p, ctx| p.on_polled(&topic, &result, ctx));
                apply_requests(state, pane, requests);
                effects.extend(more);
            }
            state.redraw |= shown_here || before != visible_signature(state);
            run_effects(state, effects)
        }
        Msg::Tail(report) => {
            let before = visible_signature(state);
            if let Some(at_ms) = report.at_ms() {
                state.advance_clock(at_ms);
            }
            let mut seen_changed = false;
            for pane in PaneId::all() {
                let (changed, _) = with_pane(state, pane, |p, _| p.on_tail_seen(&report));
                seen_changed |= changed && state.pane == pane;
            }
            state.redraw |= seen_changed;
            let (effects, requests) = with_logs(state, |logs, ctx| logs.on_tail(report, ctx));
            apply_requests(state, PaneId::Logs, requests);
            state.redraw |= state.pane == PaneId::Logs || before != visible_signature(state);
            run_effects(state, effects)
        }
        Msg::ThemeLoaded(Ok(theme)) => {
            let name = theme.name.clone();
            state.theme = *theme;
            state.redraw = true;
            state.shell_status(StatusLevel::Info, format!("theme: {name}"));
            Vec::new()
        }
        Msg::ThemeLoaded(Err(error)) => {
            state.redraw = true;
            state.shell_status(StatusLevel::Error, error);
            Vec::new()
        }
        Msg::Insights(report) => {
            let ((), requests) = with_insights(state, |pane, ctx| pane.on_report(report, ctx));
            apply_requests(state, PaneId::Insights, requests);
            state.redraw = true;
            Vec::new()
        }
        Msg::Resumed => {
            state.redraw = true;
            Vec::new()
        }
        Msg::Copied(result) => {
            match result {
                Ok(text) => state.shell_status(StatusLevel::Info, text),
                Err(error) => state.shell_status(StatusLevel::Error, error),
            }
            state.redraw = true;
            Vec::new()
        }
        Msg::Tick { at_ms } => {
            // Only a message that fades from the screen is news.
            let before = visible_signature(state);
            state.advance_clock(at_ms);
            state.redraw |= before != visible_signature(state);
            Vec::new()
        }
        Msg::ApiCalls {
            at_ms,
            total,
            by_operation,
            billed,
        } => {
            state.advance_clock(at_ms);
            let before = (state.call_rate.per_minute(), state.usage_item());
            state.call_rate.record(at_ms, total);
            state.usage.record(at_ms, &by_operation, billed);
            state.redraw |= before != (state.call_rate.per_minute(), state.usage_item());
            Vec::new()
        }
        Msg::Command(report) => {
            state.redraw = true;
            on_command_report(state, report)
        }
        Msg::Reconnected(result) => {
            state.redraw = true;
            match result {
                Ok(connection) => {
                    let text = format!(
                        "connected: profile {} in {}",
                        connection.label.profile, connection.label.region
                    );
                    state.label = connection.label;
                    state.account = None;
                    state.shell_status(StatusLevel::Info, text);
                    refresh_wanted(state)
                }
                Err(error) => {
                    state.shell_status(StatusLevel::Error, format!("switch failed: {error}"));
                    Vec::new()
                }
            }
        }
    }
}

/// What the header and status line show, to tell whether a message changed any of it.
fn visible_signature(state: &AppState) -> (Option<String>, Option<String>, bool) {
    let shown = state
        .status
        .shown(state.pane, state.now_ms)
        .map(|m| m.text.clone());
    (shown, state.account.clone(), state.is_stale())
}

fn on_identity(state: &mut AppState, result: &Result<Data, unstuck_aws::model::BackendError>) {
    match result {
        Ok(Data::Session(SessionData::Identity(identity))) => {
            state.account = identity.account.clone();
            state.status.clear_error(StatusSource::Shell);
        }
        Ok(_) => {}
        Err(error) => {
            let explained =
                super::super::shared::polled::PollError::explain("account", error, state.now_ms);
            state.last_error = Some(explained.clone());
            let level = if error.fix().is_some() || !error.is_retryable() {
                StatusLevel::Error
            } else {
                StatusLevel::Warn
            };
            state.shell_status(level, explained.headline);
        }
    }
}

/// A command's report goes to the pane that started it (exports: the logs pane).
fn on_command_report(state: &mut AppState, report: CommandReport) -> Vec<Effect> {
    if let CommandReport::Mutated { summary, result } = report {
        match result {
            Ok(done) => state.shell_status(StatusLevel::Info, done),
            Err(error) => state.shell_status(StatusLevel::Error, format!("{summary}: {error}")),
        }
        // What changed is read again now: the new status shows within one refresh.
        return wanted_topics(state)
            .into_iter()
            .filter(|t| matches!(t, Topic::StepFunctions(_)))
            .map(Effect::Refresh)
            .collect();
    }
    if let CommandReport::Queue(report) = report {
        let (effects, requests) =
            super::panes::with_queues(state, |q, ctx| q.on_report(report, ctx));
        apply_requests(state, PaneId::Queues, requests);
        return effects;
    }
    let ((), requests) = with_logs(state, |logs, ctx| match report {
        CommandReport::Progress { done, total } => logs.on_export_progress(done, total, ctx),
        CommandReport::Done(Ok(CommandOutcome::Exported(summary))) => {
            logs.on_export_done(Ok(summary), ctx)
        }
        CommandReport::Done(Err(error)) => logs.on_export_done(Err(error), ctx),
        CommandReport::Mutated { .. } | CommandReport::Queue(_) => {}
    });
    apply_requests(state, PaneId::Logs, requests);
    Vec::new()
}

/// Carry out what the shell handles itself (`Goto`) and return the rest for the runtime.
pub fn run_effects(state: &mut AppState, effects: Vec<Effect>) -> Vec<Effect> {
    let mut out = Vec::new();
    let mut queue: std::collections::VecDeque<Effect> = effects.into();
    while let Some(effect) = queue.pop_front() {
        match effect {
            Effect::Goto { pane, focus, show } => {
                if show {
                    keys::switch_pane(state, pane);
                }
                let (more, requests) = with_pane(state, pane, |p, ctx| p.on_focus(focus, ctx));
                apply_requests(state, pane, requests);
                queue.extend(more);
            }
            Effect::Execute(command) if command.mutates_aws() && state.read_only => {
                state.shell_status(
                    StatusLevel::Error,
                    format!("read-only: refused to {}", command.summary()),
                );
            }
            other => out.push(other),
        }
    }
    out
}

/// Do what a pane asked of the shell.
pub fn apply_requests(state: &mut AppState, pane: PaneId, requests: Vec<ShellRequest>) {
    for request in requests {
        match request {
            ShellRequest::OpenPalette(text) => {
                super::prompt_keys::open_prompt(state, PromptKind::Palette, &text)
            }
            ShellRequest::OpenDetail(mut detail) => {
                detail.keep_visible(state.body_rows());
                state.modals.push(Modal::Detail(detail));
            }
            ShellRequest::CloseLayers => state.modals.clear(),
            ShellRequest::ShowMe => keys::switch_pane(state, pane),
            ShellRequest::Confirm(command) => {
                state.modals.push(Modal::Confirm(super::modal::Confirm::new(
                    command.clone(),
                    command.typed_name(),
                )));
            }
        }
    }
}

/// Poll now everything the screen shows.
pub fn refresh_effects(state: &mut AppState) -> Vec<Effect> {
    state.shell_status(StatusLevel::Info, "refreshing…");
    refresh_wanted(state)
}

/// A refresh of every topic the screen wants.
fn refresh_wanted(state: &AppState) -> Vec<Effect> {
    wanted_topics(state)
        .into_iter()
        .map(Effect::Refresh)
        .collect()
}

/// The last error, with the whole chain of causes, in a detail view.
pub fn open_error_details(state: &mut AppState) {
    let error = PaneId::all()
        .filter_map(|p| pane_ref(state, p).last_error().cloned())
        .chain(state.last_error.clone())
        .max_by_key(|e| e.at_ms);
    match error {
        Some(error) => {
            let mut detail = Detail::text("error details · esc to close", &error.chain);
            detail.keep_visible(state.body_rows());
            state.modals.push(Modal::Detail(detail));
        }
        None => state.shell_status(StatusLevel::Info, "no error to explain"),
    }
}

fn wanted_by(state: &AppState, pane: PaneId, visible: bool) -> BTreeSet<Topic> {
    let mut out = BTreeSet::new();
    pane_ref(state, pane).subscriptions(visible, &mut out);
    out
}

/// The topics the screen needs now: the header's, the visible pane's, and what hidden
/// panes still need (a pending selection, the overview's sources). The runtime diffs this
/// after every batch of messages.
pub fn wanted_topics(state: &AppState) -> BTreeSet<Topic> {
    let mut out = BTreeSet::from([Topic::IDENTITY]);
    for pane in PaneId::all() {
        pane_ref(state, pane).subscriptions(pane == state.pane, &mut out);
    }
    out
}

/// When the reducer wants a [`Msg::Tick`]: the next time a shown status message fades.
pub fn next_wake_ms(state: &AppState) -> Option<i64> {
    state.status.next_expiry(state.now_ms)
}
