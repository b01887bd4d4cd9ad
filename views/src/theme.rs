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

impl Theme {
    /// Every slot, mutably (for whole-theme changes such as colour depth).
    fn styles_mut(&mut self) -> impl Iterator<Item = &mut Style> {
        [
            &mut self.chrome_base,
            &mut self.chrome_header,
            &mut self.chrome_footer,
            &mut self.chrome_border,
            &mut self.chrome_border_focused,
            &mut self.chrome_title,
            &mut self.chrome_selection,
            &mut self.chrome_key,
            &mut self.chrome_dim,
            &mut self.chrome_badge,
            &mut self.chrome_read_only,
            &mut self.chrome_match,
            &mut self.status_ok,
            &mut self.status_failed,
            &mut self.status_running,
            &mut self.status_stuck,
            &mut self.status_stale,
            &mut self.status_info,
            &mut self.log_timestamp,
            &mut self.log_text,
            &mut self.log_error,
            &mut self.log_warn,
            &mut self.log_info,
            &mut self.log_debug,
            &mut self.log_platform,
            &mut self.chart_primary,
            &mut self.chart_secondary,
        ]
        .into_iter()
        .chain(self.tags.iter_mut())
    }

    /// The same theme in the 256-colour palette, for terminals that do not announce 24-bit
    /// colour (`COLORTERM=truecolor`): every RGB colour becomes its nearest xterm colour.
    pub fn in_256_colours(mut self) -> Self {
        for style in self.styles_mut() {
            style.fg = style.fg.map(nearest_256);
            style.bg = style.bg.map(nearest_256);
        }
        self
    }
}

/// The nearest colour of the xterm 256-colour cube or grey ramp to an RGB colour.
pub fn nearest_256(colour: Color) -> Color {
    let Color::Rgb(r, g, b) = colour else {
        return colour;
    };
    const LEVELS: [u8; 6] = [0, 95, 135, 175, 215, 255];
    let level = |v: u8| {
        (0..6)
            .min_by_key(|&i| (i16::from(LEVELS[i]) - i16::from(v)).abs())
            .unwrap_or(0)
    };
    let (ri, gi, bi) = (level(r), level(g), level(b));
    let cube = (LEVELS[ri], LEVELS[gi], LEVELS[bi]);
    let distance = |(x, y, z): (u8, u8, u8)| {
        let d = |a: u8, b: u8| (i32::from(a) - i32::from(b)).pow(2);
        d(x, r) + d(y, g) + d(z, b)
    };
    let average = (u16::from(r) + u16::from(g) + u16::from(b)) / 3;
    let grey_index = (average.saturating_sub(8) / 10).min(23);
    let grey_level = u8::try_from(8 + grey_index * 10).unwrap_or(238);
    let cube_index = 16 + 36 * ri + 6 * gi + bi;
    if distance((grey_level, grey_level, grey_level)) < distance(cube) {
        Color::Indexed(232 + u8::try_from(grey_index).unwrap_or(23))
    } else {
        Color::Indexed(u8::try_from(cube_index).unwrap_or(16))
    }
}

#[cfg(test)]
mod colour_depth_tests {
    use super::*;

    #[test]
    fn rgb_becomes_the_nearest_xterm_colour() {
        assert_eq!(nearest_256(Color::Rgb(255, 0, 0)), Color::Indexed(196));
        assert_eq!(nearest_256(Color::Rgb(0, 0, 0)), Color::Indexed(16));
        assert_eq!(nearest_256(Color::Rgb(128, 128, 128)), Color::Indexed(244));
        assert_eq!(nearest_256(Color::Blue), Color::Blue);
        let theme = Theme {
            log_text: Style::default().fg(Color::Rgb(0x10, 0x10, 0x10)),
            ..Theme::default()
        }
        .in_256_colours();
        assert!(matches!(theme.log_text.fg, Some(Color::Indexed(_))));
    }
}
