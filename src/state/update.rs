//! The pure reducer: `update(&mut AppState, Msg) -> Vec<Effect>`. No IO, no clock reads:
//! time arrives inside messages.

use unstuck_aws::model::BackendError;
use unstuck_views::props::{Loadable, StatusLevel};

use super::logs_actions::{export_progress_text, key_for, thousands};
use super::msg::{Data, Effect, Msg, TailReport, TailSpec, Topic};
use super::{AppState, PaneId, keys};
use crate::tail::LiveState;

/// How far back a new tail starts, so the pane is not empty when it opens.
pub const TAIL_BACKFILL_MS: i64 = 5 * 60 * 1000;
/// A tail restarted over lines already held starts this long before the newest of them (so
/// late events are not lost); what it sends again is skipped.
const RESTART_OVERLAP_MS: i64 = 60 * 1000;

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
            state.logs.page_rows = page.max(1);
            state.logs.keep_cursor_visible();
            if let Some(detail) = state.logs.detail.as_mut() {
                detail.keep_visible(page);
            }
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
        Msg::ApiCalls { at_ms, total } => {
            state.call_rate.record(at_ms, total);
            Vec::new()
        }
        Msg::ExportProgress { written, total } => {
            if let Some(run) = &state.export {
                let text = export_progress_text(written, total, &run.path);
                state.set_status(StatusLevel::Info, text);
            }
            Vec::new()
        }
        Msg::ExportDone(result) => {
            let total = state.export.take().map_or(0, |run| run.total);
            match result {
                Ok(summary) => {
                    let what = if summary.written == total {
                        "lines"
                    } else {
                        "events (a stack trace is one event)"
                    };
                    state.set_status(
                        StatusLevel::Info,
                        format!(
                            "exported {} {what} to {}",
                            thousands(summary.written),
                            summary.path.display()
                        ),
                    );
                }
                Err(error) => {
                    state.set_status(StatusLevel::Error, format!("export failed: {error}"))
                }
            }
            Vec::new()
        }
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
            accept_replacement(state);
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
            if let BackendError::InvalidInput(reason) = &error
                && state.logs.pattern_trial.is_some()
            {
                return reject_pattern(state, reason);
            }
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
            accept_replacement(state);
            state.logs.replayed = None;
            if !state.logs.group_errors.is_empty() {
                state.logs.group_errors.clear();
                state.set_status(StatusLevel::Info, "tail: all groups reachable again");
            }
            state.logs.state = Loadable::Ready;
        }
        TailReport::Live {
            tail_id,
            at_ms,
            groups,
            state: live,
        } if Some(tail_id) == current => {
            state.now_ms = state.now_ms.max(at_ms);
            on_live(state, groups.len(), live);
        }
        _ => {}
    }
    Vec::new()
}

/// The first good report of a replacing tail: its lines take the place of the old ones, and
/// a new filter pattern counts as accepted.
fn accept_replacement(state: &mut AppState) {
    if state.logs.replace_on_report {
        state.logs.clear_rows();
    }
    if state.logs.pattern_trial.take().is_some()
        && let Some(pattern) = &state.logs.filter_pattern
    {
        let text = format!("filter pattern applied by AWS: {pattern}");
        state.set_status(StatusLevel::Info, text);
    }
}

/// AWS refused the filter pattern: say so, put the previous pattern back and tail with it
/// again, keeping the lines on screen (the refused pattern stays editable with `P`).
fn reject_pattern(state: &mut AppState, reason: &str) -> Vec<Effect> {
    let refused = state.logs.filter_pattern.take();
    let previous = state.logs.pattern_trial.take().and_then(|t| t.previous);
    state.logs.filter_pattern = previous.clone();
    state.logs.rejected_pattern = refused;
    let now = match &previous {
        Some(p) => format!("tailing with {p} again"),
        None => "tailing without a pattern".to_string(),
    };
    state.set_status(
        StatusLevel::Error,
        format!(
            "filter pattern rejected: {reason}; {now} ({} edits it)",
            key_for(state, crate::config::Action::EditPattern)
        ),
    );
    // The lines on screen are those of the previous pattern: keep them, and ask again only
    // from a little before the newest one (late events), skipping what is already held.
    let backfill_ms = match state.logs.rows.back() {
        Some(newest) => {
            let since = newest.timestamp_ms - RESTART_OVERLAP_MS;
            state.logs.expect_replay_since(since);
            (state.now_ms - since).clamp(0, TAIL_BACKFILL_MS)
        }
        None => TAIL_BACKFILL_MS,
    };
    vec![replace_tail(state, backfill_ms, false)]
}

fn on_live(state: &mut AppState, groups: usize, live: LiveState) {
    let of = format!("{groups} group{}", if groups == 1 { "" } else { "s" });
    match live {
        LiveState::Streaming => {
            state.live_note = Some("live tail".into());
            state.set_status(StatusLevel::Info, format!("live tail streaming {of}"));
        }
        LiveState::Sampled => {
            state.live_note = Some("live tail SAMPLED".into());
            state.set_status(
                StatusLevel::Warn,
                format!("live tail of {of} is sampled by AWS (over 500 events/s): some events are not shown"),
            );
        }
        LiveState::Reopening(reason) => {
            state.set_status(
                StatusLevel::Info,
                format!("live tail session ended ({reason}); reopening"),
            );
        }
        LiveState::Polling(why) => {
            state.live_note = Some("polling".into());
            state.set_status(
                StatusLevel::Warn,
                format!("live tail not available for {of} ({why}): polling instead"),
            );
        }
    }
}

/// Replace the tail with one over the selected groups.
pub fn start_tail(state: &mut AppState) -> Effect {
    let groups = state.groups.selected_names();
    let tail_id = state.next_tail_id;
    state.next_tail_id += 1;
    state.logs.reset_for(groups.clone(), tail_id);
    state.logs.pattern_trial = None;
    if groups.is_empty() {
        state.logs.tail_id = None;
        return Effect::StopTail;
    }
    Effect::StartTail(TailSpec {
        tail_id,
        groups,
        backfill_ms: TAIL_BACKFILL_MS,
        filter_pattern: state.logs.filter_pattern.clone(),
        ..TailSpec::default()
    })
}

/// Restart the tail of the same groups (new filter pattern). The rows on screen stay; with
/// `replace_rows` the first report of the new tail replaces them.
pub fn replace_tail(state: &mut AppState, backfill_ms: i64, replace_rows: bool) -> Effect {
    let tail_id = state.next_tail_id;
    state.next_tail_id += 1;
    state.logs.tail_id = Some(tail_id);
    state.logs.group_errors.clear();
    state.logs.replace_on_report = replace_rows;
    Effect::StartTail(TailSpec {
        tail_id,
        groups: state.logs.groups.clone(),
        backfill_ms,
        filter_pattern: state.logs.filter_pattern.clone(),
        ..TailSpec::default()
    })
}
