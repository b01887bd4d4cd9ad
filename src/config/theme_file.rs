//! Theme files -> `unstuck_views::theme::Theme`. The format is documented at the top of
//! `themes/dark.toml`. A file is parsed into a `ThemeFile`; the files of an `extends` chain
//! are merged base-first into `ThemeLayers` (later files win, per palette entry and per
//! slot), and only then are colour names resolved, so a theme that only changes
//! `[palette]` recolours every slot of the theme it extends.

use std::collections::HashMap;

use ratatui::style::{Color, Modifier, Style};
use toml::Spanned;
use toml::de::{DeTable, DeValue};
use unstuck_views::theme::Theme;

use super::colour::{COLOUR_NAMES, MODIFIER_NAMES, parse_colour, parse_modifier};
use super::error::{ConfigError, SourceLocation, Suggestion};
use super::theme_slots::{SLOT_GROUPS, SLOT_NAMES, slot_fallback, slot_style_mut};
use super::toml_source::{TomlSource, entries_in_file_order};

const TOP_LEVEL_KEYS: [&str; 4] = ["extends", "palette", "slots", "tags"];
const STYLE_KEYS: [&str; 3] = ["fg", "bg", "modifiers"];

/// A colour as written (a palette name or a literal) and where, resolved after merging.
#[derive(Debug, Clone)]
struct ColourRef {
    text: String,
    at: SourceLocation,
}

#[derive(Debug, Clone, Default)]
struct StyleSpec {
    fg: Option<ColourRef>,
    bg: Option<ColourRef>,
    modifiers: Modifier,
}

/// One theme file, parsed and checked for unknown keys, slots and palette colours.
pub(crate) struct ThemeFile {
    pub extends: Option<(String, SourceLocation)>,
    palette: Vec<(String, Color)>,
    slots: Vec<(&'static str, StyleSpec)>,
    tags: Option<Vec<ColourRef>>,
}

/// A theme chain merged base-first.
#[derive(Default)]
pub(crate) struct ThemeLayers {
    palette: HashMap<String, Color>,
    slots: HashMap<&'static str, StyleSpec>,
    tags: Option<Vec<ColourRef>>,
}

/// A resolved theme plus the slots no file set, directly or through a fallback, which
/// therefore got the built-in default (shipped presets have none).
#[derive(Debug, Clone)]
pub struct ThemeResolution {
    pub theme: Theme,
    pub defaulted_slots: Vec<&'static str>,
}

pub(crate) fn parse_theme_file(source: &TomlSource) -> Result<ThemeFile, ConfigError> {
    let table = source.parse()?;
    let mut file = ThemeFile {
        extends: None,
        palette: Vec::new(),
        slots: Vec::new(),
        tags: None,
    };
    for (key, value) in entries_in_file_order(&table) {
        match &**key.get_ref() {
            "extends" => {
                let base = source.expect_str("extends", value)?;
                file.extends = Some((base.to_string(), source.location(value.span())));
            }
            "palette" => file.palette = parse_palette(source, expect_table(source, key, value)?)?,
            "slots" => file.slots = parse_slots(source, expect_table(source, key, value)?)?,
            "tags" => {
                let array = value.get_ref().as_array().ok_or_else(|| {
                    source.invalid(value.span(), "`tags` must be a list of colours")
                })?;
                let refs = array.iter().map(|item| colour_ref(source, item));
                file.tags = Some(refs.collect::<Result<_, _>>()?);
            }
            _ => return Err(source.unknown_key(key, TOP_LEVEL_KEYS)),
        }
    }
    Ok(file)
}

fn expect_table<'t, 'i>(
    source: &TomlSource,
    key: &Spanned<toml::de::DeString<'_>>,
    value: &'t Spanned<DeValue<'i>>,
) -> Result<&'t DeTable<'i>, ConfigError> {
    value
        .get_ref()
        .as_table()
        .ok_or_else(|| source.invalid(value.span(), format!("`{}` must be a table", key.get_ref())))
}

/// Palette entries are colour literals (not other palette names).
fn parse_palette(
    source: &TomlSource,
    table: &DeTable<'_>,
) -> Result<Vec<(String, Color)>, ConfigError> {
    let mut palette = Vec::new();
    for (key, value) in entries_in_file_order(table) {
        let colour_ref = colour_ref(source, value)?;
        let colour = parse_colour(&colour_ref.text).ok_or_else(|| {
            unknown_colour(&colour_ref, COLOUR_NAMES.iter().map(|(name, _)| *name))
        })?;
        palette.push((key.get_ref().to_string(), colour));
    }
    Ok(palette)
}

/// `"status.ok" = ...` or, nested, `[slots.status] ok = ...` / `status.ok = ...`.
fn parse_slots(
    source: &TomlSource,
    table: &DeTable<'_>,
) -> Result<Vec<(&'static str, StyleSpec)>, ConfigError> {
    let mut slots = Vec::new();
    for (key, value) in entries_in_file_order(table) {
        let group: &str = key.get_ref();
        match value.get_ref().as_table() {
            Some(nested) if SLOT_GROUPS.contains(&group) => {
                for (sub_key, sub_value) in entries_in_file_order(nested) {
                    let name = format!("{group}.{}", sub_key.get_ref());
                    let slot = new_slot(source, &name, sub_key.span(), &slots)?;
                    slots.push((slot, parse_style(source, sub_value)?));
                }
            }
            _ => {
                let slot = new_slot(source, group, key.span(), &slots)?;
                slots.push((slot, parse_style(source, value)?));
            }
        }
    }
    Ok(slots)
}

/// A known slot name, not yet set in this file.
fn new_slot(
    source: &TomlSource,
    name: &str,
    span: std::ops::Range<usize>,
    already_set: &[(&'static str, StyleSpec)],
) -> Result<&'static str, ConfigError> {
    if already_set.iter().any(|(slot, _)| *slot == name) {
        return Err(source.invalid(span, format!("slot \"{name}\" is set twice")));
    }
    SLOT_NAMES
        .iter()
        .find(|slot| **slot == name)
        .copied()
        .ok_or_else(|| ConfigError::UnknownSlot {
            at: source.location(span),
            name: name.to_string(),
            suggestion: Suggestion::nearest(name, SLOT_NAMES.iter().copied()),
        })
}

/// `"colour"` (foreground only) or `{ fg = ..., bg = ..., modifiers = [...] }`.
fn parse_style(
    source: &TomlSource,
    value: &Spanned<DeValue<'_>>,
) -> Result<StyleSpec, ConfigError> {
    if value.get_ref().as_str().is_some() {
        return Ok(StyleSpec {
            fg: Some(colour_ref(source, value)?),
            ..StyleSpec::default()
        });
    }
    let Some(table) = value.get_ref().as_table() else {
        return Err(source.invalid(
            value.span(),
            "a slot is \"colour\" or { fg = \"...\", bg = \"...\", modifiers = [...] }",
        ));
    };
    let mut spec = StyleSpec::default();
    for (key, field) in entries_in_file_order(table) {
        match &**key.get_ref() {
            "fg" => spec.fg = Some(colour_ref(source, field)?),
            "bg" => spec.bg = Some(colour_ref(source, field)?),
            "modifiers" => spec.modifiers = parse_modifiers(source, field)?,
            _ => return Err(source.unknown_key(key, STYLE_KEYS)),
        }
    }
    Ok(spec)
}

fn parse_modifiers(
    source: &TomlSource,
    value: &Spanned<DeValue<'_>>,
) -> Result<Modifier, ConfigError> {
    let message = "`modifiers` must be a list like [\"bold\", \"italic\"]";
    let array = value
        .get_ref()
        .as_array()
        .ok_or_else(|| source.invalid(value.span(), message))?;
    let mut modifiers = Modifier::empty();
    for item in array.iter() {
        let name = item
            .get_ref()
            .as_str()
            .ok_or_else(|| source.invalid(item.span(), message))?;
        modifiers |= parse_modifier(name).ok_or_else(|| ConfigError::UnknownModifier {
            at: source.location(item.span()),
            name: name.to_string(),
            suggestion: Suggestion::nearest(name, MODIFIER_NAMES.iter().map(|(n, _)| *n)),
        })?;
    }
    Ok(modifiers)
}

/// A colour as a string, or a bare integer (a 256-colour index).
fn colour_ref(source: &TomlSource, value: &Spanned<DeValue<'_>>) -> Result<ColourRef, ConfigError> {
    let text = match value.get_ref() {
        DeValue::String(text) => text.to_string(),
        DeValue::Integer(number) if number.radix() == 10 => number.as_str().replace('_', ""),
        other => {
            return Err(source.invalid(
                value.span(),
                format!("expected a colour, not {}", other.type_str()),
            ));
        }
    };
    Ok(ColourRef {
        text,
        at: source.location(value.span()),
    })
}

fn unknown_colour<'a>(
    colour: &ColourRef,
    candidates: impl IntoIterator<Item = &'a str>,
) -> ConfigError {
    ConfigError::UnknownColour {
        at: colour.at.clone(),
        name: colour.text.clone(),
        suggestion: Suggestion::nearest(&colour.text, candidates),
    }
}

impl ThemeLayers {
    /// Puts `file` on top: its palette entries, slots and tags replace those below.
    pub(crate) fn apply(&mut self, file: ThemeFile) {
        self.palette.extend(file.palette);
        self.slots.extend(file.slots);
        if file.tags.is_some() {
            self.tags = file.tags;
        }
    }

    fn colour(&self, colour: &ColourRef) -> Result<Color, ConfigError> {
        if let Some(named) = self.palette.get(&colour.text) {
            return Ok(*named);
        }
        parse_colour(&colour.text).ok_or_else(|| {
            let palette_names = self.palette.keys().map(String::as_str);
            let ansi_names = COLOUR_NAMES.iter().map(|(name, _)| *name);
            unknown_colour(colour, palette_names.chain(ansi_names))
        })
    }

    fn style(&self, spec: &StyleSpec) -> Result<Style, ConfigError> {
        let mut style = Style::default().add_modifier(spec.modifiers);
        if let Some(fg) = &spec.fg {
            style = style.fg(self.colour(fg)?);
        }
        if let Some(bg) = &spec.bg {
            style = style.bg(self.colour(bg)?);
        }
        Ok(style)
    }

    /// Resolves every slot: set in a file, else the nearest set slot along the fallback
    /// chain, else the built-in default.
    pub(crate) fn build(&self, name: &str) -> Result<ThemeResolution, ConfigError> {
        let mut theme = Theme {
            name: name.to_string(),
            ..Theme::default()
        };
        let mut defaulted_slots = Vec::new();
        for slot in SLOT_NAMES {
            let style = match self.slots.get(slot) {
                Some(spec) => Some(self.style(spec)?),
                None => {
                    let set_fallback =
                        std::iter::successors(slot_fallback(slot), |s| slot_fallback(s))
                            .find(|fallback| self.slots.contains_key(fallback));
                    set_fallback.and_then(|fallback| {
                        slot_style_mut(&mut theme, fallback).map(|style| *style)
                    })
                }
            };
            match (style, slot_style_mut(&mut theme, slot)) {
                (Some(style), Some(field)) => *field = style,
                _ => defaulted_slots.push(*slot),
            }
        }
        match &self.tags {
            Some(tags) => {
                theme.tags = tags
                    .iter()
                    .map(|tag| self.colour(tag).map(|colour| Style::default().fg(colour)))
                    .collect::<Result<_, _>>()?;
            }
            None => defaulted_slots.push("tags"),
        }
        Ok(ThemeResolution {
            theme,
            defaulted_slots,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn build(texts: &[&str]) -> Result<ThemeResolution, String> {
        let mut layers = ThemeLayers::default();
        for (index, text) in texts.iter().enumerate() {
            let source = TomlSource::new(format!("t{index}.toml"), *text);
            layers.apply(parse_theme_file(&source).map_err(|err| err.to_string())?);
        }
        layers.build("test").map_err(|err| err.to_string())
    }

    #[test]
    fn slots_accept_strings_tables_and_nesting() {
        let text = "[palette]\nleaf = \"#00ff00\"\n\n[slots]\n\"status.ok\" = \"leaf\"\n\
                    status.failed = { fg = \"red\", bg = 16, modifiers = [\"bold\"] }\n\
                    [slots.chrome]\nbase = \"indexed:250\"\n";
        let Ok(resolved) = build(&[text]) else {
            panic!("build failed")
        };
        let theme = resolved.theme;
        assert_eq!(theme.status_ok, Style::default().fg(Color::Rgb(0, 255, 0)));
        assert_eq!(
            theme.status_failed,
            Style::default()
                .fg(Color::Red)
                .bg(Color::Indexed(16))
                .add_modifier(Modifier::BOLD)
        );
        assert_eq!(theme.chrome_base.fg, Some(Color::Indexed(250)));
        // Unset slots fall back along the chain: log.warn -> status.stuck -> status.failed.
        assert_eq!(theme.log_warn, theme.status_failed);
        assert!(resolved.defaulted_slots.contains(&"chrome.header"));
        assert!(!resolved.defaulted_slots.contains(&"log.warn"));
    }

    #[test]
    fn later_palette_recolours_earlier_slots() {
        let base = "[palette]\nok = \"green\"\n[slots]\n\"status.ok\" = \"ok\"\n";
        let child = "[palette]\nok = \"#123456\"\n";
        let Ok(resolved) = build(&[base, child]) else {
            panic!("build failed")
        };
        assert_eq!(
            resolved.theme.status_ok.fg,
            Some(Color::Rgb(0x12, 0x34, 0x56))
        );
    }

    #[test]
    fn every_slot_name_sets_its_own_field() {
        let mut theme = Theme::default();
        for (index, slot) in SLOT_NAMES.iter().enumerate() {
            if let Some(field) = slot_style_mut(&mut theme, slot) {
                *field = Style::default().fg(Color::Indexed(index as u8));
            }
        }
        for (index, slot) in SLOT_NAMES.iter().enumerate() {
            let field = slot_style_mut(&mut theme, slot).map(|style| style.fg);
            assert_eq!(field, Some(Some(Color::Indexed(index as u8))), "{slot}");
        }
    }

    #[test]
    fn errors_name_line_and_suggestion() {
        let cases = [
            (
                "[slots]\n\"status.ok\" = \"gren\"\n",
                "t0.toml:2: unknown colour \"gren\" (did you mean \"green\"?)",
            ),
            (
                "[palette]\nmine = \"#00ff00\"\n[slots]\n\"status.ok\" = \"mien\"\n",
                "t0.toml:4: unknown colour \"mien\" (did you mean \"mine\"?)",
            ),
            (
                "[slots]\n\n\"status.okk\" = \"green\"\n",
                "t0.toml:3: unknown slot \"status.okk\" (did you mean \"status.ok\"?)",
            ),
            (
                "[slots]\nstatus.stuk = \"red\"\n",
                "t0.toml:2: unknown slot \"status.stuk\" (did you mean \"status.stuck\"?)",
            ),
            (
                "[slots]\n\"log.warn\" = { fg = \"red\", modifiers = [\"bolt\"] }\n",
                "t0.toml:2: unknown text modifier \"bolt\" (did you mean \"bold\"?)",
            ),
            (
                "[slots]\n\"status.ok\" = \"red\"\nstatus.ok = \"green\"\n",
                "t0.toml:3: slot \"status.ok\" is set twice",
            ),
            (
                "palete = {}\n",
                "t0.toml:1: unknown key \"palete\" (did you mean \"palette\"?)",
            ),
        ];
        for (text, expected) in cases {
            assert_eq!(build(&[text]).map(|_| ()), Err(expected.to_string()));
        }
    }
}
