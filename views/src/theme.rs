//! The resolved theme: one ratatui `Style` per semantic slot. Parsing theme files and
//! resolving `extends`/palette names happens in the app (`src/config/theme_file.rs`); views only
//! read this struct.

use ratatui::style::{Color, Modifier, Style};

/// Every semantic slot a theme file can set. Slot names in theme files are the field names
/// with the first `_` written as `.`: `chrome.header`, `status.ok`, `log.error`, ...
#[derive(Debug, Clone, PartialEq)]
pub struct Theme {
    pub name: String,
    // chrome.*
    pub chrome_base: Style,
    pub chrome_header: Style,
    pub chrome_footer: Style,
    pub chrome_border: Style,
    pub chrome_border_focused: Style,
    pub chrome_title: Style,
    pub chrome_selection: Style,
    pub chrome_key: Style,
    pub chrome_dim: Style,
    pub chrome_badge: Style,
    pub chrome_read_only: Style,
    pub chrome_match: Style,
    // status.*
    pub status_ok: Style,
    pub status_failed: Style,
    pub status_running: Style,
    pub status_stuck: Style,
    pub status_stale: Style,
    pub status_info: Style,
    // log.*
    pub log_timestamp: Style,
    pub log_text: Style,
    pub log_error: Style,
    pub log_warn: Style,
    pub log_info: Style,
    pub log_debug: Style,
    pub log_platform: Style,
    // chart.*
    pub chart_primary: Style,
    pub chart_secondary: Style,
    /// Per-function tag colours (`tags = [...]` in a theme file); a log group's tag colour is
    /// chosen by a stable hash of its name.
    pub tags: Vec<Style>,
}

impl Theme {
    /// The colour-free theme used when `NO_COLOR` is set: emphasis by modifiers only.
    pub fn monochrome() -> Self {
        let plain = Style::default();
        let bold = Style::default().add_modifier(Modifier::BOLD);
        let rev = Style::default().add_modifier(Modifier::REVERSED);
        let dim = Style::default().add_modifier(Modifier::DIM);
        Self {
            name: "monochrome".to_string(),
            chrome_base: plain,
            chrome_header: rev,
            chrome_footer: plain,
            chrome_border: plain,
            chrome_border_focused: bold,
            chrome_title: bold,
            chrome_selection: rev,
            chrome_key: bold,
            chrome_dim: dim,
            chrome_badge: rev,
            chrome_read_only: rev.add_modifier(Modifier::BOLD),
            chrome_match: Style::default().add_modifier(Modifier::UNDERLINED),
            status_ok: plain,
            status_failed: bold,
            status_running: plain,
            status_stuck: bold.add_modifier(Modifier::UNDERLINED),
            status_stale: dim,
            status_info: plain,
            log_timestamp: dim,
            log_text: plain,
            log_error: bold,
            log_warn: bold,
            log_info: plain,
            log_debug: dim,
            log_platform: dim,
            chart_primary: plain,
            chart_secondary: dim,
            tags: vec![bold],
        }
    }

    /// The tag style for a log group (stable across runs and machines).
    pub fn tag_style(&self, group: &str) -> Style {
        if self.tags.is_empty() {
            return Style::default();
        }
        // FNV-1a: stable, unlike the std hasher.
        let mut hash: u32 = 0x811c_9dc5;
        for b in group.bytes() {
            hash ^= u32::from(b);
            hash = hash.wrapping_mul(0x0100_0193);
        }
        self.tags[hash as usize % self.tags.len()]
    }
}

impl Default for Theme {
    /// A minimal built-in dark theme for tests and as the last resort; the shipped presets
    /// are the TOML files under `themes/`.
    fn default() -> Self {
        let fg = |c| Style::default().fg(c);
        Self {
            name: "builtin".to_string(),
            chrome_base: Style::default(),
            chrome_header: Style::default().fg(Color::Black).bg(Color::Cyan),
            chrome_footer: fg(Color::Gray),
            chrome_border: fg(Color::DarkGray),
            chrome_border_focused: fg(Color::Cyan),
            chrome_title: fg(Color::Cyan).add_modifier(Modifier::BOLD),
            chrome_selection: Style::default().bg(Color::DarkGray),
            chrome_key: fg(Color::Yellow).add_modifier(Modifier::BOLD),
            chrome_dim: fg(Color::DarkGray),
            chrome_badge: Style::default().fg(Color::Black).bg(Color::Yellow),
            chrome_read_only: Style::default().fg(Color::White).bg(Color::Red),
            chrome_match: Style::default().fg(Color::Black).bg(Color::Yellow),
            status_ok: fg(Color::Green),
            status_failed: fg(Color::Red),
            status_running: fg(Color::Blue),
            status_stuck: fg(Color::Magenta),
            status_stale: fg(Color::Yellow),
            status_info: fg(Color::Gray),
            log_timestamp: fg(Color::DarkGray),
            log_text: Style::default(),
            log_error: fg(Color::Red),
            log_warn: fg(Color::Yellow),
            log_info: fg(Color::Green),
            log_debug: fg(Color::DarkGray),
            log_platform: fg(Color::DarkGray),
            chart_primary: fg(Color::Cyan),
            chart_secondary: fg(Color::Magenta),
            tags: [
                Color::Cyan,
                Color::Magenta,
                Color::Green,
                Color::Yellow,
                Color::Blue,
                Color::LightRed,
                Color::LightCyan,
                Color::LightMagenta,
            ]
            .into_iter()
            .map(fg)
            .collect(),
        }
    }
}
