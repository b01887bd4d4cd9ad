//! Keymaps: parsing `keymaps/*.toml` / the user's `keymap.toml`, applying `extends` and
//! sparse overrides, and looking keys up. Help and footer hints are generated from
//! `Keymap::bindings`, so they always show what the keys really do.

use std::collections::{BTreeMap, HashMap};

use crossterm::event::{KeyEvent, KeyEventKind};
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::actions::{Action, Context};
use super::chord::Chord;
use super::error::{ConfigError, SourceLocation, Suggestion};
use super::presets::PresetKind;
use super::toml_source::{TomlSource, entries_in_file_order};

/// The action name that removes a chord inherited through `extends` or from the preset.
pub const UNBIND: &str = "none";

/// One line of help: a chord, what it does, and the text to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binding {
    pub chord_label: String,
    pub action: Action,
    pub desc: String,
    /// Which file of the `extends` chain bound it (higher = applied later: the user's
    /// keymap over `vim` over `default`). Hints prefer the most specific chord.
    pub layer: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct BoundChord {
    chord: Chord,
    action: Action,
    desc: String,
    layer: u32,
}

/// A fully resolved keymap: per context, chords in help order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Keymap {
    name: String,
    contexts: BTreeMap<Context, Vec<BoundChord>>,
    /// Files applied so far.
    layers: u32,
}

enum FileEntry {
    Bind(BoundChord),
    Unbind(Chord),
}

/// One keymap file, parsed and validated but not yet applied.
pub(crate) struct KeymapFile {
    pub extends: Option<(String, SourceLocation)>,
    contexts: Vec<(Context, Vec<FileEntry>)>,
}

impl Keymap {
    /// The preset this keymap was built from.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The action bound to a key press in exactly this context (the caller tries the
    /// focused context, then `Context::Global`). Key releases never match.
    pub fn action_for(&self, ctx: Context, ev: &KeyEvent) -> Option<Action> {
        if ev.kind == KeyEventKind::Release {
            return None;
        }
        let chord = Chord::from_key_event(ev);
        self.contexts
            .get(&ctx)?
            .iter()
            .find(|bound| bound.chord == chord)
            .map(|bound| bound.action)
    }

    /// The bindings of a context in help order (file order; extra chords for an action
    /// already bound sit next to its first chord).
    pub fn bindings(&self, ctx: Context) -> Vec<Binding> {
        self.contexts
            .get(&ctx)
            .map(|list| {
                list.iter()
                    .map(|bound| Binding {
                        chord_label: bound.chord.label(),
                        action: bound.action,
                        desc: bound.desc.clone(),
                        layer: bound.layer,
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The label of the chord to name for `action` in `ctx`, for hints like "press g to
    /// choose groups": the first one bound by the most specific file (with the vim keymap,
    /// `j` rather than the default's `down`).
    pub fn first_chord(&self, ctx: Context, action: Action) -> Option<String> {
        let list = self.contexts.get(&ctx)?;
        let top = list
            .iter()
            .filter(|b| b.action == action)
            .map(|b| b.layer)
            .max()?;
        list.iter()
            .find(|b| b.action == action && b.layer == top)
            .map(|b| b.chord.label())
    }

    /// The label of the first chord bound to `action` in `ctx`, in file order.
    pub fn first_chord_in_order(&self, ctx: Context, action: Action) -> Option<String> {
        self.contexts
            .get(&ctx)?
            .iter()
            .find(|bound| bound.action == action)
            .map(|bound| bound.chord.label())
    }

    /// Applies a parsed file on top of this keymap: a chord bound in the file replaces that
    /// chord only; `"none"` removes it.
    pub(crate) fn apply(&mut self, file: &KeymapFile) {
        self.layers += 1;
        let layer = self.layers;
        for (ctx, entries) in &file.contexts {
            let list = self.contexts.entry(*ctx).or_default();
            for entry in entries {
                match entry {
                    FileEntry::Unbind(chord) => list.retain(|bound| bound.chord != *chord),
                    FileEntry::Bind(new) => {
                        let new = BoundChord {
                            layer,
                            ..new.clone()
                        };
                        list.retain(|bound| bound.chord != new.chord);
                        match list.iter().rposition(|bound| bound.action == new.action) {
                            Some(last) => list.insert(last + 1, new.clone()),
                            None => list.push(new.clone()),
                        }
                    }
                }
            }
        }
    }
}

/// Builds an embedded keymap preset, following its `extends` chain.
pub fn preset_keymap(name: &str) -> Result<Keymap, ConfigError> {
    resolve_preset(name, "", &mut Vec::new())
}

/// Resolves preset `name`; `origin` names where the name came from (for an unknown name),
/// `chain` holds the presets already being resolved (for cycle detection).
pub(crate) fn resolve_preset(
    name: &str,
    origin: &str,
    chain: &mut Vec<String>,
) -> Result<Keymap, ConfigError> {
    let kind = PresetKind::Keymap;
    let source = kind.source(name).ok_or_else(|| {
        let available = kind.names().into_iter().map(str::to_string).collect();
        kind.unknown(origin, name, available)
    })?;
    chain.push(name.to_string());
    let file = parse_keymap_file(&source)?;
    let mut keymap = match &file.extends {
        Some((base, at)) => {
            check_cycle(chain, base, at)?;
            resolve_preset(base, &at.to_string(), chain)?
        }
        None => Keymap::default(),
    };
    keymap.apply(&file);
    keymap.name = name.to_string();
    Ok(keymap)
}

/// An error if `next` is already in `chain`.
pub(crate) fn check_cycle(
    chain: &[String],
    next: &str,
    at: &SourceLocation,
) -> Result<(), ConfigError> {
    if chain.iter().any(|seen| seen == next) {
        let mut cycle = chain.to_vec();
        cycle.push(next.to_string());
        return Err(ConfigError::ExtendsCycle {
            at: at.clone(),
            chain: cycle,
        });
    }
    Ok(())
}

/// Parses and validates a keymap file: known contexts, chords and actions, no chord twice
/// in one context.
pub(crate) fn parse_keymap_file(source: &TomlSource) -> Result<KeymapFile, ConfigError> {
    let table = source.parse()?;
    let mut file = KeymapFile {
        extends: None,
        contexts: Vec::new(),
    };
    for (key, value) in entries_in_file_order(&table) {
        let name: &str = key.get_ref();
        if name == "extends" {
            let base = source.expect_str(name, value)?;
            file.extends = Some((base.to_string(), source.location(value.span())));
            continue;
        }
        let Some(table) = value.get_ref().as_table() else {
            return Err(source.invalid(
                key.span(),
                format!(
                    "\"{name}\" is outside any context: put bindings under [global], [logs], ..."
                ),
            ));
        };
        let Some(ctx) = Context::from_name(name) else {
            return Err(ConfigError::UnknownContext {
                at: source.location(key.span()),
                name: name.to_string(),
                suggestion: Suggestion::nearest(name, Context::ALL.map(Context::name)),
            });
        };
        file.contexts
            .push((ctx, parse_context(source, ctx, table)?));
    }
    Ok(file)
}

fn parse_context(
    source: &TomlSource,
    ctx: Context,
    table: &DeTable<'_>,
) -> Result<Vec<FileEntry>, ConfigError> {
    let mut first_line_of: HashMap<Chord, usize> = HashMap::new();
    let mut entries = Vec::new();
    for (key, value) in entries_in_file_order(table) {
        let at = source.location(key.span());
        let chord = Chord::parse(key.get_ref()).map_err(|reason| ConfigError::BadChord {
            at: at.clone(),
            chord: key.get_ref().to_string(),
            reason,
        })?;
        if let Some(first_line) = first_line_of.get(&chord) {
            return Err(ConfigError::DuplicateChord {
                at,
                context: ctx.name().to_string(),
                chord: key.get_ref().to_string(),
                first_line: *first_line,
            });
        }
        first_line_of.insert(chord, at.line);
        let (action_name, desc) = parse_binding_value(source, value)?;
        if action_name.get_ref() == UNBIND {
            entries.push(FileEntry::Unbind(chord));
            continue;
        }
        let Some(action) = Action::from_name(action_name.get_ref()) else {
            let candidates = Action::ALL.iter().map(|a| a.name()).chain([UNBIND]);
            return Err(ConfigError::UnknownAction {
                at: source.location(action_name.span()),
                context: ctx.name().to_string(),
                name: action_name.get_ref().clone(),
                suggestion: Suggestion::nearest(action_name.get_ref(), candidates),
            });
        };
        let desc = desc.unwrap_or_else(|| action.description().to_string());
        entries.push(FileEntry::Bind(BoundChord {
            chord,
            action,
            desc,
            layer: 0,
        }));
    }
    Ok(entries)
}

/// `"action"` or `{ action = "...", desc = "..." }`.
fn parse_binding_value(
    source: &TomlSource,
    value: &Spanned<DeValue<'_>>,
) -> Result<(Spanned<String>, Option<String>), ConfigError> {
    if let Some(action) = value.get_ref().as_str() {
        return Ok((Spanned::new(value.span(), action.to_string()), None));
    }
    let Some(table) = value.get_ref().as_table() else {
        return Err(source.invalid(
            value.span(),
            "a binding is \"action\" or { action = \"...\", desc = \"...\" }",
        ));
    };
    let mut action = None;
    let mut desc = None;
    for (key, field) in entries_in_file_order(table) {
        match key.get_ref().as_ref() {
            "action" => {
                let name = source.expect_str("action", field)?;
                action = Some(Spanned::new(field.span(), name.to_string()));
            }
            "desc" => desc = Some(source.expect_str("desc", field)?.to_string()),
            _ => return Err(source.unknown_key(key, ["action", "desc"])),
        }
    }
    let action = action.ok_or_else(|| source.invalid(value.span(), "binding has no `action`"))?;
    Ok((action, desc))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::{KeyCode, KeyModifiers};

    fn keymap_from(text: &str) -> Result<Keymap, String> {
        let source = TomlSource::new("k.toml", text);
        let file = parse_keymap_file(&source).map_err(|err| err.to_string())?;
        let mut keymap = Keymap::default();
        keymap.apply(&file);
        Ok(keymap)
    }

    fn press(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn looks_up_only_the_given_context() {
        let Ok(keymap) = keymap_from("[global]\nq = \"quit\"\n[logs]\nf = \"toggle-follow\"\n")
        else {
            panic!("parse failed")
        };
        let f = press(KeyCode::Char('f'));
        assert_eq!(
            keymap.action_for(Context::Logs, &f),
            Some(Action::ToggleFollow)
        );
        assert_eq!(keymap.action_for(Context::Global, &f), None);
        let mut release = press(KeyCode::Char('q'));
        release.kind = KeyEventKind::Release;
        assert_eq!(keymap.action_for(Context::Global, &release), None);
    }

    #[test]
    fn bindings_keep_file_order_and_descriptions() {
        let text =
            "[logs]\nz = \"scroll-down\"\n\"/\" = { action = \"filter\", desc = \"grep\" }\n";
        let Ok(keymap) = keymap_from(text) else {
            panic!("parse failed")
        };
        let bindings = keymap.bindings(Context::Logs);
        let summary: Vec<(&str, &str)> = bindings
            .iter()
            .map(|b| (b.chord_label.as_str(), b.desc.as_str()))
            .collect();
        assert_eq!(summary, [("z", "down"), ("/", "grep")]);
    }

    #[test]
    fn overrides_group_chords_of_one_action_and_none_unbinds() {
        let Ok(mut keymap) = keymap_from("[logs]\ndown = \"scroll-down\"\nf = \"toggle-follow\"\n")
        else {
            panic!("parse failed")
        };
        let source = TomlSource::new("u.toml", "[logs]\nj = \"scroll-down\"\nf = \"none\"\n");
        let Ok(file) = parse_keymap_file(&source) else {
            panic!("parse failed")
        };
        keymap.apply(&file);
        let labels: Vec<String> = keymap
            .bindings(Context::Logs)
            .into_iter()
            .map(|b| b.chord_label)
            .collect();
        assert_eq!(labels, ["↓", "j"]);
        // Hints name the chord of the most specific file: the user's `j`.
        assert_eq!(
            keymap.first_chord(Context::Logs, Action::ScrollDown),
            Some("j".into())
        );
        assert_eq!(
            keymap.first_chord_in_order(Context::Logs, Action::ScrollDown),
            Some("↓".into())
        );
    }

    #[test]
    fn errors_name_line_and_suggestion() {
        assert_eq!(
            keymap_from("[logs]\nq = \"qiut\"\n"),
            Err("k.toml:2: unknown action \"qiut\" in [logs] (did you mean \"quit\"?)".into())
        );
        assert_eq!(
            keymap_from("[global]\n\n\"ctlr-c\" = \"quit\"\n"),
            Err("k.toml:3: bad chord \"ctlr-c\": unknown modifier \"ctlr\" (did you mean \"ctrl\"?)".into())
        );
        assert_eq!(
            keymap_from("[logz]\nq = \"quit\"\n"),
            Err("k.toml:1: unknown context [logz] (did you mean \"logs\"?)".into())
        );
        assert_eq!(
            keymap_from("[global]\nG = \"quit\"\nshift-g = \"help\"\n"),
            Err("k.toml:3: chord \"shift-g\" is bound twice in [global] (also on line 2)".into())
        );
        assert_eq!(
            keymap_from("[global]\nq = { action = \"quit\", dsc = \"x\" }\n"),
            Err("k.toml:2: unknown key \"dsc\" (did you mean \"desc\"?)".into())
        );
    }

    #[test]
    fn presets_follow_extends() {
        let Ok(vim) = preset_keymap("vim") else {
            panic!("vim preset failed")
        };
        assert_eq!(vim.name(), "vim");
        assert_eq!(
            vim.action_for(Context::Global, &press(KeyCode::Char('q'))),
            Some(Action::Quit)
        );
        assert_eq!(
            vim.action_for(Context::Logs, &press(KeyCode::Char('j'))),
            Some(Action::ScrollDown)
        );
        let Err(err) = preset_keymap("emacs") else {
            panic!("expected an error")
        };
        assert_eq!(
            err.to_string(),
            "unknown keymap \"emacs\"; available: default, vim"
        );
    }
}
