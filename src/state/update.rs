//! The pure reducer: `update(&mut AppState, Msg) -> Vec<Effect>`. No IO, no clock reads:
//! time arrives inside messages.

use unstuck_aws::model::BackendError;
use unstuck_views::props::{Loadable, StatusLevel};

use super::msg::{Data, Effect, Msg, TailReport, TailSpec, Topic};
use super::{AppState, PaneId, keys};

/// How far back a new tail starts, so the pane is not empty when it opens.
pub const TAIL_BACKFILL_MS: i64 = 5 * 60 * 1000;

/// What the runtime does before the first message.
pub fn initial_effects() -> Vec<Effect> {
    vec![
        Effect::Subscribe(Topic::Identity),
        Effect::Subscribe(Topic::LogGroups),
    ]
}

pub fn update(state: &mut AppState, msg: Msg) -> Vec<Effect> {
    match msg {
        Msg::Key(key) => keys::on_key(state, &key),
        Msg::Mouse(mouse) => keys::on_mouse(state, &mouse),
        Msg::Resize(w, h) => {
            state.size = (w, h);
            let page = state.body_rows();
            state.groups.keep_cursor_visible(page);
            Vec::new()
        }
        Msg::Polled {
            topic,
            at_ms,
            result,
        } => {
            state.now_ms = state.now_ms.max(at_ms);
            match result {
                Ok(data) => on_data(state, at_ms, data),
                Err(error) => {
                    on_poll_error(state, &topic, &error);
                    Vec::new()
                }
            }
        }
        Msg::Tail(report) => on_tail(state, report),
        Msg::ThemeLoaded(Ok(theme)) => {
            let name = theme.name.clone();
            state.theme = *theme;
            state.set_status(StatusLevel::Info, format!("theme: {name}"));
            Vec::new()
        }
        Msg::ThemeLoaded(Err(error)) => {
            state.set_status(StatusLevel::Error, error);
            Vec::new()
        }
        Msg::Resumed => Vec::new(),
    }
}

fn on_data(state: &mut AppState, at_ms: i64, data: Data) -> Vec<Effect> {
    state.last_refresh_ms = Some(at_ms);
    match data {
        Data::Identity(identity) => {
            state.account = identity.account;
            Vec::new()
        }
        Data::LogGroups(groups) => {
            let was_failing =
                matches!(state.groups.state, Loadable::Stale(_) | Loadable::Failed(_));
            state.groups.set_groups(groups);
            if was_failing {
                state.set_status(StatusLevel::Info, "log groups: reachable again");
            }
            let prefixes = std::mem::take(&mut state.groups.pending_prefixes);
            if prefixes.is_empty() || !state.groups.selected.is_empty() {
                return Vec::new();
            }
            let matched: usize = prefixes.iter().map(|p| state.groups.select_prefix(p)).sum();
            if matched == 0 {
                state.pane = PaneId::Groups;
                state.set_status(
                    StatusLevel::Warn,
                    format!("no log group starts with {}", prefixes.join(" or ")),
                );
                return Vec::new();
            }
            vec![start_tail(state)]
        }
    }
}

fn on_poll_error(state: &mut AppState, topic: &Topic, error: &BackendError) {
    let text = describe_error(error);
    match topic {
        Topic::Identity => {
            let level = if matches!(error, BackendError::Credentials(_)) {
                StatusLevel::Error
            } else {
                StatusLevel::Warn
            };
            state.set_status(level, format!("account: {text}"));
        }
        Topic::LogGroups => {
            state.groups.state = if state.groups.all.is_empty() {
                Loadable::Failed(text.clone())
            } else {
                Loadable::Stale(text.clone())
            };
            let kept = if state.groups.all.is_empty() {
                String::new()
            } else {
                " (showing the last list)".to_string()
            };
            state.set_status(
                StatusLevel::Error,
                format!("{}: {text}{kept}", topic.label()),
            );
        }
    }
}

/// One line for the status bar; throttling says that it is retrying.
pub fn describe_error(error: &BackendError) -> String {
    match error {
        BackendError::Throttled { .. } => format!("{error}; backing off and retrying"),
        BackendError::Network(_) | BackendError::Timeout(_) => format!("{error}; retrying"),
        _ => error.to_string(),
    }
}

fn on_tail(state: &mut AppState, report: TailReport) -> Vec<Effect> {
    let current = state.logs.tail_id;
    match report {
        TailReport::Events {
            tail_id,
            at_ms,
            events,
        } if Some(tail_id) == current => {
            state.now_ms = state.now_ms.max(at_ms);
            state.last_refresh_ms = Some(at_ms);
            state.logs.ingest(events);
            if state.logs.group_errors.is_empty() {
                state.logs.state = Loadable::Ready;
            }
        }
        TailReport::Failed {
            tail_id,
            at_ms,
            group,
            error,
        } if Some(tail_id) == current => {
            state.now_ms = state.now_ms.max(at_ms);
            let text = describe_error(&error);
            state.set_status(StatusLevel::Error, format!("tail {group}: {text}"));
            state.logs.group_errors.insert(group, text.clone());
            state.logs.state = if state.logs.rows.is_empty() && state.last_refresh_ms.is_none() {
                Loadable::Failed(text)
            } else {
                Loadable::Stale(text)
            };
        }
        TailReport::Caught { tail_id, at_ms } if Some(tail_id) == current => {
            state.now_ms = state.now_ms.max(at_ms);
            state.last_refresh_ms = Some(at_ms);
            if !state.logs.group_errors.is_empty() {
                state.logs.group_errors.clear();
                state.set_status(StatusLevel::Info, "tail: all groups reachable again");
            }
            state.logs.state = Loadable::Ready;
        }
        _ => {}
    }
    Vec::new()
}

/// Replace the tail with one over the selected groups.
pub fn start_tail(state: &mut AppState) -> Effect {
    let groups = state.groups.selected_names();
    let tail_id = state.next_tail_id;
    state.next_tail_id += 1;
    state.logs.reset_for(groups.clone(), tail_id);
    if groups.is_empty() {
        state.logs.tail_id = None;
        return Effect::StopTail;
    }
    Effect::StartTail(TailSpec {
        tail_id,
        groups,
        backfill_ms: TAIL_BACKFILL_MS,
    })
}
