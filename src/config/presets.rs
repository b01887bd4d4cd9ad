//! The keymap and theme presets embedded in the binary.

use super::error::{ConfigError, Suggestion};
use super::toml_source::TomlSource;

/// Which kind of preset: for `unstuck defaults keymap|theme`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PresetKind {
    Keymap,
    Theme,
}

const KEYMAPS: &[(&str, &str)] = &[
    ("default", include_str!("../../keymaps/default.toml")),
    ("vim", include_str!("../../keymaps/vim.toml")),
];

const THEMES: &[(&str, &str)] = &[
    ("dark", include_str!("../../themes/dark.toml")),
    ("light", include_str!("../../themes/light.toml")),
    (
        "high-contrast",
        include_str!("../../themes/high-contrast.toml"),
    ),
];

impl PresetKind {
    /// `keymap` / `theme`, as used in messages.
    pub fn noun(self) -> &'static str {
        match self {
            PresetKind::Keymap => "keymap",
            PresetKind::Theme => "theme",
        }
    }

    /// The preset used when nothing else is chosen.
    pub fn default_name(self) -> &'static str {
        match self {
            PresetKind::Keymap => "default",
            PresetKind::Theme => "dark",
        }
    }

    fn table(self) -> &'static [(&'static str, &'static str)] {
        match self {
            PresetKind::Keymap => KEYMAPS,
            PresetKind::Theme => THEMES,
        }
    }

    /// The embedded preset names, in shipping order.
    pub fn names(self) -> Vec<&'static str> {
        self.table().iter().map(|(name, _)| *name).collect()
    }

    /// The embedded file text of a preset.
    pub fn source_text(self, name: &str) -> Option<&'static str> {
        self.table()
            .iter()
            .find(|(preset, _)| *preset == name)
            .map(|(_, text)| *text)
    }

    /// The embedded preset as a `TomlSource` labelled `builtin:keymaps/<name>.toml`.
    pub fn source(self, name: &str) -> Option<TomlSource> {
        let folder = match self {
            PresetKind::Keymap => "keymaps",
            PresetKind::Theme => "themes",
        };
        self.source_text(name)
            .map(|text| TomlSource::new(format!("builtin:{folder}/{name}.toml"), text))
    }

    /// The error for a name that is none of `available`.
    pub fn unknown(self, origin: &str, name: &str, available: Vec<String>) -> ConfigError {
        ConfigError::UnknownPreset {
            origin: origin.to_string(),
            kind: self.noun(),
            name: name.to_string(),
            suggestion: Suggestion::nearest(name, available.iter().map(String::as_str)),
            available,
        }
    }
}

/// The text of an embedded preset (`None`: the default one), for `unstuck defaults`.
pub fn preset_source(kind: PresetKind, name: Option<&str>) -> Result<String, ConfigError> {
    let name = name.unwrap_or(kind.default_name());
    kind.source_text(name).map(str::to_string).ok_or_else(|| {
        let available = kind.names().into_iter().map(str::to_string).collect();
        kind.unknown("", name, available)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_print_the_default_preset() {
        let Ok(text) = preset_source(PresetKind::Keymap, None) else {
            panic!("no default keymap")
        };
        assert!(text.contains("[global]"));
        assert!(preset_source(PresetKind::Theme, Some("light")).is_ok());
    }

    #[test]
    fn unknown_preset_lists_valid_names() {
        let Err(err) = preset_source(PresetKind::Theme, Some("drak")) else {
            panic!("expected an error")
        };
        assert_eq!(
            err.to_string(),
            "unknown theme \"drak\" (did you mean \"dark\"?); \
             available: dark, light, high-contrast"
        );
    }
}
