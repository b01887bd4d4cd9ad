//! From state to view props: what the views crate draws. Pure and cheap (borrows).

use unstuck_views::props::{
    AppProps, DetailProps, GroupItem, GroupsProps, HeaderProps, HelpProps, HelpSection, Hint,
    Loadable, LogsBody, LogsProps, PaneProps, PromptProps, StatusProps,
};

use super::keys::active_context;
use super::{AppState, PaneId};
use crate::config::{Action, Context, Keymap};

/// Pane tab labels, in `PaneId::ALL` order.
pub const PANE_TABS: [&str; 2] = ["logs", "groups"];

/// Help: the global bindings, then those of each pane and of prompts.
pub fn help_sections(keymap: &Keymap, pane: PaneId) -> Vec<HelpSection> {
    let pane_context = match pane {
        PaneId::Logs => Context::Logs,
        PaneId::Groups => Context::Groups,
    };
    let mut order = vec![pane_context, Context::Global];
    order.extend(
        [
            Context::Logs,
            Context::Detail,
            Context::Groups,
            Context::Prompt,
            Context::Help,
        ]
        .into_iter()
        .filter(|c| *c != pane_context),
    );
    order
        .into_iter()
        .map(|context| HelpSection {
            title: match context {
                Context::Global => "everywhere".to_string(),
                Context::Prompt => "in : and / prompts".to_string(),
                Context::Help => "in this help".to_string(),
                Context::Detail => "in line details (enter on a log line)".to_string(),
                other => format!("{} pane", other.name()),
            },
            hints: hints(keymap, context),
        })
        .collect()
}

fn hints(keymap: &Keymap, context: Context) -> Vec<Hint> {
    keymap
        .bindings(context)
        .into_iter()
        .map(|b| Hint {
            key: b.chord_label,
            desc: b.desc,
        })
        .collect()
}

fn is_move(action: Action) -> bool {
    matches!(
        action,
        Action::ScrollUp
            | Action::ScrollDown
            | Action::PageUp
            | Action::PageDown
            | Action::ScrollTop
            | Action::ScrollBottom
    )
}

/// Footer: the bindings of the context in effect (the first chord of each action, in keymap
/// order, moves last: the footer is one line), then a few global ones.
pub fn footer_hints(state: &AppState) -> Vec<Hint> {
    let context = active_context(state);
    let all = state.keymap.bindings(context);
    let bound_here: std::collections::HashSet<String> =
        all.iter().map(|b| b.chord_label.clone()).collect();
    let mut seen = std::collections::HashSet::new();
    let mut bindings: Vec<_> = all.into_iter().filter(|b| seen.insert(b.action)).collect();
    bindings.sort_by_key(|b| is_move(b.action));
    let mut out: Vec<Hint> = bindings
        .into_iter()
        .map(|b| Hint {
            key: b.chord_label,
            desc: b.desc,
        })
        .collect();
    if matches!(context, Context::Logs | Context::Groups | Context::Detail) {
        for action in [Action::CommandPalette, Action::Help, Action::Quit] {
            // A chord the focused context binds to something else is not this action here.
            if let Some(key) = state.keymap.first_chord(Context::Global, action)
                && !bound_here.contains(&key)
            {
                out.push(Hint {
                    key,
                    desc: action.description().to_string(),
                });
            }
        }
    }
    out
}

/// Everything the views need for one frame. `help` and `footer` are built by the caller
/// (they own the hint strings) and borrowed here.
pub fn app_props<'a>(
    state: &'a AppState,
    footer: &'a [Hint],
    help: &'a [HelpSection],
    empty_hint: &'a str,
) -> AppProps<'a> {
    let stale = matches!(state.groups.state, Loadable::Stale(_) | Loadable::Failed(_))
        || matches!(state.logs.state, Loadable::Stale(_));
    let header = HeaderProps {
        profile: &state.label.profile,
        region: &state.label.region,
        account: state.account.as_deref(),
        endpoint: state.label.endpoint_url.as_deref(),
        is_demo: state.label.is_demo,
        read_only: state.read_only,
        last_refresh_ms: state.last_refresh_ms,
        tabs: &PANE_TABS,
        active_tab: state.pane.index(),
        stale,
        calls_per_minute: state.call_rate.per_minute(),
    };
    let pane = match state.pane {
        PaneId::Logs => {
            let logs = &state.logs;
            PaneProps::Logs(LogsProps {
                body: if logs.by_invocation {
                    LogsBody::Invocations {
                        items: &logs.invocations.items,
                        visible: logs.visible_invocations.as_deref(),
                    }
                } else {
                    LogsBody::Lines {
                        rows: &logs.rows,
                        visible: logs.visible.as_deref(),
                    }
                },
                total_lines: logs.rows.len(),
                scroll_from_bottom: logs.scroll_from_bottom,
                cursor_from_bottom: (!logs.follow).then_some(logs.cursor_from_bottom),
                follow: logs.follow,
                filter: logs.filter.as_ref(),
                filter_text: logs.filter_text.as_deref(),
                match_mode: logs.match_mode,
                min_level: logs.min_level,
                pattern: logs.filter_pattern.as_deref(),
                pattern_pending: logs.pattern_trial.is_some(),
                groups: &logs.groups,
                tag_width: logs
                    .groups
                    .iter()
                    .map(|g| {
                        unicode_width::UnicodeWidthStr::width(super::tag_for_group(g).as_str())
                    })
                    .max()
                    .unwrap_or(0),
                source: state.live_note.as_deref(),
                dropped: logs.dropped,
                state: logs.state.clone(),
                empty_hint,
            })
        }
        PaneId::Groups => {
            let g = &state.groups;
            PaneProps::Groups(GroupsProps {
                items: g
                    .shown
                    .iter()
                    .map(|&i| GroupItem {
                        name: &g.all[i].name,
                        selected: g.selected.contains(&g.all[i].name),
                        stored_bytes: g.all[i].stored_bytes,
                    })
                    .collect(),
                cursor: g.cursor,
                offset: g.offset,
                total: g.all.len(),
                selected_count: g.selected.len(),
                filter_text: g.filter_text.as_deref(),
                state: g.state.clone(),
            })
        }
    };
    AppProps {
        theme: &state.theme,
        now_ms: state.now_ms,
        header,
        pane,
        status: state.status.as_ref().map(|s| StatusProps {
            level: s.level,
            text: &s.text,
        }),
        footer,
        prompt: state.prompt.as_ref().map(|p| PromptProps {
            prefix: p.prefix(),
            input: &p.input.text,
            cursor: p.input.cursor,
            candidates: &p.candidates,
            selected_candidate: p.selected,
            error: p.error.as_deref(),
        }),
        help: state.help_scroll.map(|scroll| HelpProps {
            sections: help,
            scroll,
        }),
        detail: match (state.pane, &state.logs.detail) {
            (PaneId::Logs, Some(detail)) => Some(DetailProps {
                title: &detail.title,
                lines: &detail.lines,
                cursor: detail.cursor,
                scroll: detail.scroll,
            }),
            _ => None,
        },
    }
}

/// Draw the state into a frame (the runtime and headless tests both call this).
pub fn draw(frame: &mut ratatui::Frame<'_>, state: &AppState) {
    let footer = footer_hints(state);
    let help = if state.help_scroll.is_some() {
        help_sections(&state.keymap, state.pane)
    } else {
        Vec::new()
    };
    let empty_hint = match state
        .keymap
        .first_chord(Context::Global, Action::GotoGroups)
    {
        Some(key) => {
            format!("No log groups chosen yet. Press {key} (or type :groups) to choose some.")
        }
        None => "No log groups chosen yet. Type :groups to choose some.".to_string(),
    };
    let props = app_props(state, &footer, &help, &empty_hint);
    unstuck_views::render(frame, &props);
}
