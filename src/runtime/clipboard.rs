//! The clipboard: OSC 52 through the terminal when the user turned it on (`clipboard =
//! "osc52"` in config.toml; some terminals refuse it, or ask first), else a private file whose
//! path the status line gives. The text comes from sanitised rows; OSC 52 sends it base64, so
//! nothing in it can reach the terminal as a control sequence.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use base64::Engine;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Clipboard {
    Osc52,
    File(PathBuf),
}

impl Default for Clipboard {
    fn default() -> Self {
        Clipboard::File(default_clipboard_file())
    }
}

/// `clipboard.txt` in the user's cache directory (or the temp directory without one).
pub fn default_clipboard_file() -> PathBuf {
    directories::ProjectDirs::from("", "", "unstuck")
        .map(|dirs| dirs.cache_dir().to_path_buf())
        .unwrap_or_else(std::env::temp_dir)
        .join("clipboard.txt")
}

/// The OSC 52 sequence that sets the system clipboard to `text`.
pub fn osc52(text: &str) -> String {
    let encoded = base64::engine::general_purpose::STANDARD.encode(text.as_bytes());
    format!("\x1b]52;c;{encoded}\x07")
}

/// Write `text` to `path`, readable by the user only (log lines may be sensitive).
pub fn write_private(path: &Path, text: &str) -> io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(text.as_bytes())?;
    file.write_all(b"\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn osc52_is_base64_inside_the_sequence() {
        assert_eq!(osc52("hi"), "\x1b]52;c;aGk=\x07");
        // A control character in the text is only ever base64 on the wire.
        assert!(!osc52("a\x1b]0;x\x07").contains("]0;"));
    }

    #[test]
    fn the_file_is_private() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/clipboard.txt");
        write_private(&path, "line").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "line\n");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }
}
