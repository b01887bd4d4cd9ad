//! Colour and text-modifier names in theme files.

use ratatui::style::{Color, Modifier};

/// ANSI colour names (the terminal's own palette) plus `reset` (the terminal default).
pub const COLOUR_NAMES: &[(&str, Color)] = &[
    ("reset", Color::Reset),
    ("black", Color::Black),
    ("red", Color::Red),
    ("green", Color::Green),
    ("yellow", Color::Yellow),
    ("blue", Color::Blue),
    ("magenta", Color::Magenta),
    ("cyan", Color::Cyan),
    ("gray", Color::Gray),
    ("darkgray", Color::DarkGray),
    ("lightred", Color::LightRed),
    ("lightgreen", Color::LightGreen),
    ("lightyellow", Color::LightYellow),
    ("lightblue", Color::LightBlue),
    ("lightmagenta", Color::LightMagenta),
    ("lightcyan", Color::LightCyan),
    ("white", Color::White),
];

pub const MODIFIER_NAMES: &[(&str, Modifier)] = &[
    ("bold", Modifier::BOLD),
    ("dim", Modifier::DIM),
    ("italic", Modifier::ITALIC),
    ("underlined", Modifier::UNDERLINED),
    ("reversed", Modifier::REVERSED),
    ("crossed-out", Modifier::CROSSED_OUT),
    ("slow-blink", Modifier::SLOW_BLINK),
    ("rapid-blink", Modifier::RAPID_BLINK),
    ("hidden", Modifier::HIDDEN),
];

/// A colour literal: an ANSI name, `#rrggbb`, `indexed:N` or `N` (0-255).
pub fn parse_colour(text: &str) -> Option<Color> {
    let lower = text.trim().to_ascii_lowercase();
    if let Some((_, colour)) = COLOUR_NAMES.iter().find(|(name, _)| *name == lower) {
        return Some(*colour);
    }
    if let Some(hex) = lower.strip_prefix('#') {
        if hex.len() != 6 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let channel = |i: usize| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok();
        return Some(Color::Rgb(channel(0)?, channel(2)?, channel(4)?));
    }
    let index = lower.strip_prefix("indexed:").unwrap_or(&lower);
    index.parse::<u8>().ok().map(Color::Indexed)
}

pub fn parse_modifier(text: &str) -> Option<Modifier> {
    MODIFIER_NAMES
        .iter()
        .find(|(name, _)| *name == text)
        .map(|(_, modifier)| *modifier)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_colour_form() {
        assert_eq!(parse_colour("green"), Some(Color::Green));
        assert_eq!(parse_colour("DarkGray"), Some(Color::DarkGray));
        assert_eq!(parse_colour("#ff8000"), Some(Color::Rgb(255, 128, 0)));
        assert_eq!(parse_colour("indexed:244"), Some(Color::Indexed(244)));
        assert_eq!(parse_colour("17"), Some(Color::Indexed(17)));
        assert_eq!(parse_colour("reset"), Some(Color::Reset));
        assert_eq!(parse_colour("gren"), None);
        assert_eq!(parse_colour("#ff80"), None);
        assert_eq!(parse_colour("256"), None);
    }
}
