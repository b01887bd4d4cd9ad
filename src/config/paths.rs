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
    use std::io::Read;
    let io_error = |source| super::error::ConfigError::Io {
        path: path.display().to_string(),
        source,
    };
    let meta = match std::fs::metadata(path) {
        Ok(meta) => meta,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => return Err(io_error(source)),
    };
    // A FIFO or a device (/dev/zero) would block or never end: only regular files, and
    // none larger than a config file can sensibly be.
    if !meta.is_file() {
        return Err(io_error(std::io::Error::other("not a regular file")));
    }
    if meta.len() > MAX_CONFIG_FILE_BYTES {
        return Err(io_error(std::io::Error::other(format!(
            "larger than {} KiB",
            MAX_CONFIG_FILE_BYTES / 1024
        ))));
    }
    let mut text = String::new();
    std::fs::File::open(path)
        .and_then(|file| file.take(MAX_CONFIG_FILE_BYTES).read_to_string(&mut text))
        .map_err(io_error)?;
    Ok(Some(text))
}

/// The largest config file read (keymaps and themes are a few KiB).
pub const MAX_CONFIG_FILE_BYTES: u64 = 1 << 20;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_files_are_read_only_when_regular_and_small() {
        let dir = std::env::temp_dir().join(format!("unstuck-read-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let big = dir.join("config.toml");
        std::fs::write(&big, vec![b'#'; 2 << 20]).unwrap();
        let error = read_optional(&big).unwrap_err().to_string();
        assert!(error.contains("larger than 1024 KiB"), "{error}");
        let not_a_file = read_optional(std::path::Path::new("/dev/zero"))
            .unwrap_err()
            .to_string();
        assert!(not_a_file.contains("not a regular file"), "{not_a_file}");
        assert_eq!(read_optional(&dir.join("none.toml")).unwrap(), None);
        std::fs::remove_dir_all(&dir).unwrap();
    }

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
