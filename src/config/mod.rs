//! Configuration: keymaps, themes and start-up settings.
//!
//! Embedded presets (`keymaps/*.toml`, `themes/*.toml`, compiled in) are overridden by the
//! user's config dir (see `paths.rs`): `config.toml` picks presets, `keymap.toml` is a
//! sparse keymap on top, `themes/<name>.toml` adds or replaces themes. Command-line flags
//! win over everything. The app never writes the user's config.

pub mod actions;
pub mod aws_files;
pub mod chord;
mod colour;
pub mod error;
pub mod keymap;
pub mod paths;
pub mod presets;
pub mod theme_file;
mod theme_resolve;
mod theme_slots;
mod toml_source;
pub mod user_config;

use unstuck_views::theme::Theme;

pub use actions::{Action, Context};
pub use chord::Chord;
pub use error::{ConfigError, SourceLocation, Suggestion};
pub use keymap::{Binding, Keymap, UNBIND, preset_keymap};
pub use paths::ConfigDirs;
pub use presets::{PresetKind, preset_source};
pub use theme_file::ThemeResolution;
pub use theme_slots::{SLOT_NAMES, slot_fallback};
pub use user_config::Settings;

use paths::read_optional;
use toml_source::TomlSource;

/// Everything the app needs from configuration, resolved.
#[derive(Debug, Clone)]
pub struct ResolvedConfig {
    /// `keymap` and `theme` hold the names actually in effect (after command-line flags).
    pub settings: Settings,
    pub keymap: Keymap,
    pub theme: Theme,
    /// What was loaded from where, e.g. `keymap: vim (user keymap.toml applied)`.
    pub source_notes: Vec<String>,
}

/// Command-line flags; they win over the config dir.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Overrides {
    pub keymap: Option<String>,
    pub theme: Option<String>,
    /// `--read-only`: forces read-only on (a flag cannot turn it off).
    pub read_only: bool,
}

const COMMAND_LINE: &str = "command line";

/// Loads settings, keymap and theme. `no_color` (`NO_COLOR` set) gives the monochrome
/// theme, though the chosen theme is still checked so a broken file is reported.
pub fn load(
    dirs: &ConfigDirs,
    overrides: &Overrides,
    no_color: bool,
) -> Result<ResolvedConfig, ConfigError> {
    let mut notes = Vec::new();
    let (mut settings, origins) = match dirs.settings_file() {
        Some(path) => match read_optional(&path)? {
            Some(text) => {
                notes.push(format!("settings: {}", path.display()));
                user_config::parse_settings(&TomlSource::new(path.display().to_string(), text))?
            }
            None => Default::default(),
        },
        None => Default::default(),
    };
    settings.read_only |= overrides.read_only;

    let keymap = load_keymap(dirs, overrides, &mut settings, origins.keymap, &mut notes)?;

    let (theme_name, theme_origin) = theme_choice(overrides, &settings, origins.theme);
    let resolved = theme_resolve::resolve_theme(dirs, &theme_name, &theme_origin)?;
    settings.theme = theme_name;
    let theme = if no_color {
        notes.push(format!(
            "theme: monochrome (NO_COLOR set; {} not used)",
            settings.theme
        ));
        Theme::monochrome()
    } else {
        notes.push(format!("theme: {}", settings.theme));
        resolved.theme
    };
    Ok(ResolvedConfig {
        settings,
        keymap,
        theme,
        source_notes: notes,
    })
}

/// Like [`load`], but a broken file does not stop the app: each part that fails (settings,
/// keymap, theme) falls back to the embedded default, and every error found is returned so
/// the app can show them all at once (and `unstuck config check` can list them).
pub fn load_tolerant(
    dirs: &ConfigDirs,
    overrides: &Overrides,
    no_color: bool,
) -> (ResolvedConfig, Vec<ConfigError>) {
    let mut errors = Vec::new();
    let mut notes = Vec::new();
    let settings_result = match dirs.settings_file() {
        Some(path) => read_optional(&path).and_then(|text| match text {
            Some(text) => {
                notes.push(format!("settings: {}", path.display()));
                user_config::parse_settings(&TomlSource::new(path.display().to_string(), text))
            }
            None => Ok(Default::default()),
        }),
        None => Ok(Default::default()),
    };
    let (mut settings, origins) = settings_result.unwrap_or_else(|error| {
        errors.push(error);
        notes.push("settings: embedded defaults (config.toml has errors)".to_string());
        Default::default()
    });
    settings.read_only |= overrides.read_only;
    let keymap = load_keymap(dirs, overrides, &mut settings, origins.keymap, &mut notes)
        .unwrap_or_else(|error| {
            errors.push(error);
            notes.push("keymap: default (embedded; the chosen keymap has errors)".to_string());
            settings.keymap = "default".to_string();
            preset_keymap("default").unwrap_or_default()
        });
    let (theme_name, theme_origin) = theme_choice(overrides, &settings, origins.theme);
    let theme = match theme_resolve::resolve_theme(dirs, &theme_name, &theme_origin) {
        Ok(resolved) => {
            settings.theme = theme_name;
            notes.push(format!("theme: {}", settings.theme));
            resolved.theme
        }
        Err(error) => {
            errors.push(error);
            notes.push("theme: dark (embedded; the chosen theme has errors)".to_string());
            settings.theme = "dark".to_string();
            theme_resolve::resolve_theme(&ConfigDirs::none(), "dark", "")
                .map(|r| r.theme)
                .unwrap_or_default()
        }
    };
    let theme = if no_color { Theme::monochrome() } else { theme };
    let resolved = ResolvedConfig {
        settings,
        keymap,
        theme,
        source_notes: notes,
    };
    (resolved, errors)
}

/// The theme to use and where that choice came from: the command line, else config.toml.
fn theme_choice(
    overrides: &Overrides,
    settings: &Settings,
    settings_origin: Option<String>,
) -> (String, String) {
    match &overrides.theme {
        Some(name) => (name.clone(), COMMAND_LINE.to_string()),
        None => (
            settings.theme.clone(),
            settings_origin.unwrap_or_else(|| "default settings".to_string()),
        ),
    }
}

/// The keymap: the preset named on the command line, else by `extends` in the user's
/// `keymap.toml`, else by `config.toml`; then the user's `keymap.toml` on top.
fn load_keymap(
    dirs: &ConfigDirs,
    overrides: &Overrides,
    settings: &mut Settings,
    settings_origin: Option<String>,
    notes: &mut Vec<String>,
) -> Result<Keymap, ConfigError> {
    let user_source = match dirs.keymap_file() {
        Some(path) => {
            read_optional(&path)?.map(|text| TomlSource::new(path.display().to_string(), text))
        }
        None => None,
    };
    let user_file = user_source
        .as_ref()
        .map(keymap::parse_keymap_file)
        .transpose()?;
    let extends = user_file.as_ref().and_then(|file| file.extends.as_ref());
    let (base, origin) = match (&overrides.keymap, extends) {
        (Some(name), _) => (name.clone(), COMMAND_LINE.to_string()),
        (None, Some((name, at))) => (name.clone(), at.to_string()),
        (None, None) => (
            settings.keymap.clone(),
            settings_origin.unwrap_or_else(|| "default settings".to_string()),
        ),
    };
    let mut keymap = keymap::resolve_preset(&base, &origin, &mut Vec::new())?;
    match &user_file {
        Some(file) => {
            keymap.apply(file);
            notes.push(format!("keymap: {base} (user keymap.toml applied)"));
        }
        None => notes.push(format!("keymap: {base}")),
    }
    settings.keymap = base;
    Ok(keymap)
}

/// A theme by name (user `themes/<name>.toml` first, then the presets), for `:theme NAME`
/// at run time. `no_color` gives the monochrome theme after checking the named one.
pub fn theme_by_name(dirs: &ConfigDirs, name: &str, no_color: bool) -> Result<Theme, ConfigError> {
    let resolved = resolve_theme(dirs, name)?;
    Ok(if no_color {
        Theme::monochrome()
    } else {
        resolved.theme
    })
}

/// Resolves a theme and reports which slots fell through to the built-in defaults.
pub fn resolve_theme(dirs: &ConfigDirs, name: &str) -> Result<ThemeResolution, ConfigError> {
    theme_resolve::resolve_theme(dirs, name, "")
}

/// Every theme name that `theme_by_name` accepts: the presets, then the user's own
/// `themes/*.toml` that are not presets (for `:theme` completion).
pub fn theme_names(dirs: &ConfigDirs) -> Vec<String> {
    let mut names: Vec<String> = PresetKind::Theme
        .names()
        .into_iter()
        .map(str::to_string)
        .collect();
    for user_name in dirs.user_theme_names() {
        if !names.contains(&user_name) {
            names.push(user_name);
        }
    }
    names
}

/// Whether the terminal announces 24-bit colour (`COLORTERM=truecolor` or `24bit`).
pub fn truecolor_supported(get: impl Fn(&str) -> Option<String>) -> bool {
    get("COLORTERM").is_some_and(|v| {
        let v = v.to_ascii_lowercase();
        v == "truecolor" || v == "24bit"
    })
}

/// The theme as this terminal can show it: RGB colours become their nearest of the 256
/// where 24-bit colour is not announced.
pub fn fit_colour_depth(theme: Theme, get: impl Fn(&str) -> Option<String>) -> Theme {
    if truecolor_supported(get) {
        theme
    } else {
        theme.in_256_colours()
    }
}

/// Whether `NO_COLOR` asks for no colour: set and not empty (see no-color.org).
pub fn no_color_requested(get: impl Fn(&str) -> Option<String>) -> bool {
    get("NO_COLOR").is_some_and(|value| !value.is_empty())
}
