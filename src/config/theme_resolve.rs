//! Finding a theme by name and following its `extends` chain.
//!
//! A name is looked up in the user's `themes/<name>.toml` first, then among the embedded
//! presets. A user file that extends its own name (`themes/dark.toml` with
//! `extends = "dark"`) extends the preset. Presets only ever extend presets.

use super::error::ConfigError;
use super::keymap::check_cycle;
use super::paths::{ConfigDirs, read_optional};
use super::presets::PresetKind;
use super::theme_file::{ThemeLayers, ThemeResolution, parse_theme_file};
use super::toml_source::TomlSource;

/// A theme file found for a name, with its identity in an `extends` chain.
struct LocatedTheme {
    source: TomlSource,
    /// `name` for user files, `builtin:name` for presets.
    chain_label: String,
    is_user: bool,
}

/// Resolves theme `name` (`origin` says where the name came from, for an unknown name).
pub fn resolve_theme(
    dirs: &ConfigDirs,
    name: &str,
    origin: &str,
) -> Result<ThemeResolution, ConfigError> {
    let located = locate(dirs, name, false, origin)?;
    let mut chain = vec![located.chain_label.clone()];
    let layers = load_layers(dirs, name, located, &mut chain)?;
    layers.build(name)
}

fn load_layers(
    dirs: &ConfigDirs,
    name: &str,
    located: LocatedTheme,
    chain: &mut Vec<String>,
) -> Result<ThemeLayers, ConfigError> {
    let file = parse_theme_file(&located.source)?;
    let mut layers = match &file.extends {
        Some((base, at)) => {
            let presets_only = !located.is_user || base == name;
            let base_file = locate(dirs, base, presets_only, &at.to_string())?;
            check_cycle(chain, &base_file.chain_label, at)?;
            chain.push(base_file.chain_label.clone());
            load_layers(dirs, base, base_file, chain)?
        }
        None => ThemeLayers::default(),
    };
    layers.apply(file);
    Ok(layers)
}

fn locate(
    dirs: &ConfigDirs,
    name: &str,
    presets_only: bool,
    origin: &str,
) -> Result<LocatedTheme, ConfigError> {
    let kind = PresetKind::Theme;
    let safe_name = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if safe_name
        && !presets_only
        && let Some(path) = dirs.theme_file(name)
        && let Some(text) = read_optional(&path)?
    {
        return Ok(LocatedTheme {
            source: TomlSource::new(path.display().to_string(), text),
            chain_label: name.to_string(),
            is_user: true,
        });
    }
    if let Some(source) = kind.source(name) {
        return Ok(LocatedTheme {
            source,
            chain_label: format!("builtin:{name}"),
            is_user: false,
        });
    }
    let available = if presets_only {
        kind.names().into_iter().map(str::to_string).collect()
    } else {
        super::theme_names(dirs)
    };
    Err(kind.unknown(origin, name, available))
}
