//! The shell's own `:` commands (help, quit, theme, refresh, profile, region), and the
//! tables the one parser reads: the shell's, the pane-opening ones, then each pane's.

use super::keys::quit;
use super::modal::Modal;
use super::palette::{CommandSpec, Owner, PaletteError};
use super::panes::{PANE_COMMANDS, PaneId, pane_ref};
use super::update::refresh_effects;
use crate::state::AppState;
use crate::state::shared::msg::{Effect, Reconnect};

pub const SHELL_COMMANDS: &[CommandSpec] = &[
    CommandSpec::new("help", "key bindings, commands and filter syntax").aliases(&["?"]),
    CommandSpec::new("quit", "leave unstuck").aliases(&["q", "q!", "exit"]),
    CommandSpec::new("theme", "switch theme").required("NAME", "a theme name"),
    CommandSpec::new("refresh", "poll everything on screen now"),
    CommandSpec::new("profile", "switch AWS profile (from ~/.aws/config)")
        .required("NAME", "a profile name"),
    CommandSpec::new("region", "switch AWS region").required("NAME", "a region, e.g. us-east-1"),
    CommandSpec::new("usage", "the app's own AWS calls per service and $/hour").aliases(&["cost"]),
    CommandSpec::new("tz", "show and read times in UTC or the local zone")
        .aliases(&["timezone"])
        .required("local|utc", "local or utc"),
];

/// Whose command a parsed line is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommandOwner {
    Shell,
    /// Opens a pane.
    Goto,
    Pane(PaneId),
}

impl CommandOwner {
    pub fn of(owner: Owner) -> Self {
        match owner.0 {
            0 => CommandOwner::Shell,
            1 => CommandOwner::Goto,
            n => CommandOwner::Pane(PaneId::at(n - 2)),
        }
    }
}

/// Every command table, in the order [`CommandOwner::of`] reads.
pub fn command_tables(state: &AppState) -> Vec<&'static [CommandSpec]> {
    let mut tables: Vec<&'static [CommandSpec]> = vec![SHELL_COMMANDS, &PANE_COMMANDS];
    tables.extend(PaneId::all().map(|pane| pane_ref(state, pane).commands()));
    tables
}

pub fn shell_argument_values(state: &AppState, command: &str) -> Vec<String> {
    match command {
        "theme" => state.theme_names.clone(),
        "profile" => state.profile_names.clone(),
        "tz" => vec!["local".to_string(), "utc".to_string()],
        "region" => crate::config::aws_files::KNOWN_REGIONS
            .iter()
            .map(|r| r.to_string())
            .collect(),
        _ => Vec::new(),
    }
}

pub fn run_shell_command(
    state: &mut AppState,
    name: &str,
    arg: &str,
) -> Result<Vec<Effect>, PaletteError> {
    Ok(match name {
        "help" => {
            state.modals.push(Modal::Help { scroll: 0 });
            Vec::new()
        }
        "quit" => quit(state),
        "theme" => vec![Effect::LoadTheme(arg.to_string())],
        "tz" => {
            state.zone = match arg.trim().to_ascii_lowercase().as_str() {
                "local" => unstuck_views::zone::Zone::local(state.local_offset_s),
                "utc" | "z" => unstuck_views::zone::Zone::UTC,
                other => {
                    return Err(PaletteError::BadArgument(format!(
                        "unknown zone \"{other}\": local or utc"
                    )));
                }
            };
            let label = state.zone.label();
            state.shell_status(
                crate::state::StatusLevel::Info,
                format!("times in {label} (shown and typed)"),
            );
            Vec::new()
        }
        "refresh" => refresh_effects(state),
        "usage" => {
            let lines = state.usage.lines(state.live_tail_sessions());
            state.modals.push(Modal::Detail(crate::state::shared::detail::Detail::text(
                "the app's own AWS use (calls in the last minute, $ at the last 10 minutes' rate)",
                &lines,
            )));
            Vec::new()
        }
        "profile" | "region" if state.label.is_demo => {
            return Err(PaletteError::BadArgument(format!(
                "the demo world has no {name}s: start without --demo to use AWS"
            )));
        }
        "profile" => {
            if !state.profile_names.is_empty() && !state.profile_names.iter().any(|p| p == arg) {
                let nearest = crate::config::Suggestion::nearest(
                    arg,
                    state.profile_names.iter().map(String::as_str),
                );
                return Err(PaletteError::BadArgument(format!(
                    "no profile \"{arg}\" in the AWS config files{nearest}"
                )));
            }
            vec![Effect::Reconnect(Reconnect::Profile(arg.to_string()))]
        }
        "region" => vec![Effect::Reconnect(Reconnect::Region(arg.to_string()))],
        _ => Vec::new(),
    })
}
