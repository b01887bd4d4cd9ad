//! From state to view props: what the views crate draws. Pure and cheap (borrows).

use unstuck_views::props::{
    AppProps, DetailProps, DialogProps, HeaderProps, HelpProps, HelpSection, Hint, ModalProps,
    PromptProps, StatusProps,
};

use super::keys::active_context;
use super::modal::Modal;
use super::palette::describe;
use super::panes::{PANES, PaneId, pane_ref};
use super::shell_commands::command_tables;
use crate::config::{Action, Context, Keymap};
use crate::state::AppState;

/// What the filter prompts accept, for help.
const FILTER_SYNTAX: [(&str, &str); 5] = [
    (
        "/text",
        "logs: a regex; smart case (case-insensitive unless it has a capital)",
    ),
    (
        "/ERROR|WARN",
        "logs: either word; h switches hide/highlight, n/N jump",
    ),
    (
        "/tax-",
        "groups: the same smart-case regex over group names",
    ),
    (
        ":pattern P",
        "logs: a CloudWatch filter pattern, run by AWS (ERROR, ?a ?b, { $.x = 1 })",
    ),
    (
        "ctrl-l / esc",
        "clear the filter (esc first clears, then goes back)",
    ),
];

/// Help: the bindings of the pane and everywhere, then the palette commands, the filter
/// syntax, and the other contexts.
pub fn help_sections(state: &AppState) -> Vec<HelpSection> {
    let keymap = &state.keymap;
    let pane_context = state.pane.spec().context;
    let mut sections = vec![
        section(keymap, pane_context),
        section(keymap, Context::Global),
    ];
    let commands = command_tables(state)
        .into_iter()
        .flat_map(|table| table.iter())
        .map(|spec| Hint {
            key: if spec.usage.is_empty() {
                format!(":{}", spec.name)
            } else {
                format!(":{} {}", spec.name, spec.usage)
            },
            desc: describe_help(spec),
        })
        .collect();
    sections.push(HelpSection {
        title: "commands (type : then tab to complete)".to_string(),
        hints: commands,
    });
    sections.push(HelpSection {
        title: "filters".to_string(),
        hints: FILTER_SYNTAX
            .iter()
            .map(|(k, d)| Hint {
                key: (*k).to_string(),
                desc: (*d).to_string(),
            })
            .collect(),
    });
    for context in Context::ALL {
        if context != pane_context && context != Context::Global {
            sections.push(section(keymap, context));
        }
    }
    sections
}

fn describe_help(spec: &super::palette::CommandSpec) -> String {
    let text = describe(spec);
    match text.split_once(" — ") {
        Some((_, help)) => help.to_string(),
        None => text,
    }
}

fn section(keymap: &Keymap, context: Context) -> HelpSection {
    HelpSection {
        title: match context {
            Context::Global => "everywhere".to_string(),
            Context::Prompt => "in : and / prompts".to_string(),
            Context::Help => "in this help".to_string(),
            Context::Detail => "in details (enter on a log line, ! on an error)".to_string(),
            Context::Dialog => "in dialogs and confirmations".to_string(),
            other => format!("{} pane", other.name()),
        },
        hints: keymap
            .bindings(context)
            .into_iter()
            .map(|b| Hint {
                key: b.chord_label,
                desc: b.desc,
            })
            .collect(),
    }
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

/// Footer: the bindings of the context in effect (one chord per action, the most specific
/// one; moves last), and separately the pinned `? help`, `: commands`, `q quit`.
pub fn footer_hints(state: &AppState) -> (Vec<Hint>, Vec<Hint>) {
    let context = active_context(state);
    let keymap = &state.keymap;
    let all = keymap.bindings(context);
    let mut seen = std::collections::HashSet::new();
    let mut actions: Vec<Action> = all
        .iter()
        .map(|b| b.action)
        .filter(|a| seen.insert(*a))
        .collect();
    actions.sort_by_key(|a| is_move(*a));
    let pinned_actions = [Action::Help, Action::CommandPalette, Action::Quit];
    let pane_context = PaneId::for_context(context).is_some() || context == Context::Detail;
    let hints = actions
        .into_iter()
        .filter(|a| !(pane_context && pinned_actions.contains(a)))
        .filter_map(|action| {
            let chord = keymap.first_chord(context, action)?;
            let desc = all
                .iter()
                .find(|b| b.action == action && b.chord_label == chord)
                .map_or_else(|| action.description().to_string(), |b| b.desc.clone());
            Some(Hint { key: chord, desc })
        })
        .collect();
    let mut pinned = Vec::new();
    if pane_context {
        let bound_here: std::collections::HashSet<String> =
            all.iter().map(|b| b.chord_label.clone()).collect();
        for action in pinned_actions {
            // A chord the focused context binds to something else is not this action here.
            if let Some(key) = keymap.first_chord(Context::Global, action)
                && !bound_here.contains(&key)
            {
                let desc = match action {
                    Action::CommandPalette => "commands".to_string(),
                    other => other.description().to_string(),
                };
                pinned.push(Hint { key, desc });
            }
        }
    }
    (hints, pinned)
}

/// What every frame needs besides the pane's own props, owned here and borrowed by props.
pub struct FrameParts {
    pub footer: Vec<Hint>,
    pub pinned: Vec<Hint>,
    pub help: Vec<HelpSection>,
    pub confirm_hint: String,
}

/// Everything the views need for one frame.
pub fn app_props<'a>(state: &'a AppState, parts: &'a FrameParts) -> AppProps<'a> {
    let header = HeaderProps {
        zone: state.zone,
        profile: &state.label.profile,
        region: &state.label.region,
        account: state.account.as_deref(),
        endpoint: state.label.endpoint_url.as_deref(),
        is_demo: state.label.is_demo,
        read_only: state.read_only,
        last_refresh_ms: pane_ref(state, state.pane).last_refresh_ms(),
        tabs: PANE_TABS,
        active_tab: state.pane.index(),
        stale: state.is_stale(),
        calls_per_minute: state.call_rate.per_minute(),
        cost_per_hour: state.usage_item(),
    };
    let modals = state
        .modals
        .iter()
        .map(|modal| match modal {
            Modal::Help { scroll } => ModalProps::Help(HelpProps {
                sections: &parts.help,
                scroll: *scroll,
            }),
            Modal::Prompt(p) => ModalProps::Prompt(PromptProps {
                prefix: p.prefix(),
                input: &p.input.text,
                cursor: p.input.cursor,
                candidates: &p.candidates,
                selected_candidate: p.selected,
                error: p.error.as_deref(),
            }),
            Modal::Detail(detail) => ModalProps::Detail(DetailProps {
                title: &detail.title,
                lines: &detail.lines,
                cursor: detail.cursor,
                scroll: detail.scroll,
            }),
            Modal::Dialog(dialog) => ModalProps::Dialog(DialogProps {
                title: &dialog.title,
                lines: &dialog.lines,
                hint: "enter or esc to close",
                danger: false,
                typed: None,
            }),
            Modal::Confirm(confirm) => ModalProps::Dialog(DialogProps {
                title: "confirm",
                lines: std::slice::from_ref(&confirm.summary),
                hint: &parts.confirm_hint,
                danger: confirm.command.mutates_aws(),
                typed: confirm
                    .typed_name
                    .as_deref()
                    .map(|name| (name, confirm.typed.text.as_str())),
            }),
        })
        .collect();
    AppProps {
        theme: &state.theme,
        now_ms: state.now_ms,
        header,
        pane: pane_ref(state, state.pane).props(&state.keymap, state.now_ms, state.zone),
        status: state
            .status
            .shown(state.pane, state.now_ms)
            .map(|s| StatusProps {
                level: s.level,
                text: &s.text,
            }),
        footer: &parts.footer,
        footer_pinned: &parts.pinned,
        modals,
    }
}

/// The header's tab labels, in pane order.
pub const PANE_TABS: &[&str] = &{
    let mut out = [""; PANES.len()];
    let mut i = 0;
    while i < PANES.len() {
        out[i] = PANES[i].tab;
        i += 1;
    }
    out
};

/// Draw the state into a frame (the runtime and headless tests both call this).
pub fn draw(frame: &mut ratatui::Frame<'_>, state: &AppState) {
    let (footer, pinned) = footer_hints(state);
    let help = if state.modals.help_scroll().is_some() {
        help_sections(state)
    } else {
        Vec::new()
    };
    let confirm_hint = format!(
        "{} confirm · {} cancel",
        super::super::shared::pane_ctx::key_for(&state.keymap, Context::Dialog, Action::Confirm),
        super::super::shared::pane_ctx::key_for(&state.keymap, Context::Dialog, Action::Cancel),
    );
    let parts = FrameParts {
        footer,
        pinned,
        help,
        confirm_hint,
    };
    let props = app_props(state, &parts);
    unstuck_views::render(frame, &props);
}
