//! Where the user's configuration lives. The app only ever reads from here.
//!
//! Layout of the config dir:
//! - `config.toml`: preset names and start-up settings (see `user_config.rs`);
//! - `keymap.toml`: a sparse keymap applied on top of the chosen preset;
//! - `themes/<name>.toml`: user themes, which may define a new name or override a preset.

use std::path::PathBuf;

/// The user config directory, if one could be determined.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConfigDirs {
    pub dir: Option<PathBuf>,
}

impl ConfigDirs {
    /// `$UNSTUCK_CONFIG_DIR`, else `$XDG_CONFIG_HOME/unstuck`, else `$HOME/.config/unstuck`.
    /// Empty variables count as unset. Pure: `get` reads the environment.
    pub fn from_env(get: impl Fn(&str) -> Option<String>) -> Self {
        let non_empty = |key: &str| get(key).filter(|value| !value.is_empty());
        let dir = if let Some(dir) = non_empty("UNSTUCK_CONFIG_DIR") {
            Some(PathBuf::from(dir))
        } else if let Some(xdg) = non_empty("XDG_CONFIG_HOME") {
            Some(PathBuf::from(xdg).join("unstuck"))
        } else {
            non_empty("HOME").map(|home| PathBuf::from(home).join(".config").join("unstuck"))
        };
        Self { dir }
    }

    /// `from_env` over the process environment; without `HOME` (e.g. on Windows) the
    /// platform's home directory stands in for it.
    pub fn from_process_env() -> Self {
        Self::from_env(|key| {
            std::env::var(key).ok().or_else(|| {
                (key == "HOME")
                    .then(directories::BaseDirs::new)
                    .flatten()
                    .map(|dirs| dirs.home_dir().to_string_lossy().into_owned())
            })
        })
    }

    /// No user configuration at all: embedded presets only.
    pub fn none() -> Self {
        Self { dir: None }
    }

    pub fn settings_file(&self) -> Option<PathBuf> {
        self.dir.as_ref().map(|dir| dir.join("config.toml"))
    }

    pub fn keymap_file(&self) -> Option<PathBuf> {
        self.dir.as_ref().map(|dir| dir.join("keymap.toml"))
    }

    pub fn themes_dir(&self) -> Option<PathBuf> {
        self.dir.as_ref().map(|dir| dir.join("themes"))
    }

    pub fn theme_file(&self, name: &str) -> Option<PathBuf> {
        self.themes_dir()
            .map(|dir| dir.join(format!("{name}.toml")))
    }

    /// Names of the `themes/*.toml` files in the config dir, sorted.
    pub fn user_theme_names(&self) -> Vec<String> {
        let Some(Ok(entries)) = self.themes_dir().map(std::fs::read_dir) else {
            return Vec::new();
        };
        let mut names: Vec<String> = entries
            .filter_map(Result::ok)
            .map(|entry| entry.path())
            .filter(|path| path.extension().is_some_and(|ext| ext == "toml"))
            .filter_map(|path| Some(path.file_stem()?.to_str()?.to_string()))
            .collect();
        names.sort();
        names
    }
}

/// Reads a file that may legitimately be absent.
pub(crate) fn read_optional(
    path: &std::path::Path,
) -> Result<Option<String>, super::error::ConfigError> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(Some(text)),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(super::error::ConfigError::Io {
            path: path.display().to_string(),
            source,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dirs(vars: &[(&str, &str)]) -> ConfigDirs {
        ConfigDirs::from_env(|key| {
            vars.iter()
                .find(|(k, _)| *k == key)
                .map(|(_, v)| v.to_string())
        })
    }

    #[test]
    fn precedence_is_unstuck_then_xdg_then_home() {
        let all = [
            ("UNSTUCK_CONFIG_DIR", "/u"),
            ("XDG_CONFIG_HOME", "/x"),
            ("HOME", "/h"),
        ];
        assert_eq!(dirs(&all).dir, Some(PathBuf::from("/u")));
        assert_eq!(dirs(&all[1..]).dir, Some(PathBuf::from("/x/unstuck")));
        assert_eq!(
            dirs(&all[2..]).dir,
            Some(PathBuf::from("/h/.config/unstuck"))
        );
        assert_eq!(dirs(&[]).dir, None);
    }

    #[test]
    fn empty_variables_count_as_unset() {
        let vars = [("UNSTUCK_CONFIG_DIR", ""), ("HOME", "/h")];
        assert_eq!(dirs(&vars).dir, Some(PathBuf::from("/h/.config/unstuck")));
    }
}
