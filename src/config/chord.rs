//! Key chords as written in keymap files (`"q"`, `"G"`, `"ctrl-c"`, `"shift-tab"`, `"pgdn"`)
//! and as reported by crossterm, normalised so the two compare equal.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::error::Suggestion;

/// A key plus the modifiers that matter for matching (ctrl, alt, shift).
///
/// Normal form: for a character key the character carries the case and SHIFT is dropped
/// (terminals differ in whether they report SHIFT with `G`); with ctrl, letters are
/// lowercase (most terminals cannot tell ctrl-C from ctrl-c); shift-tab is `BackTab`
/// without SHIFT.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Chord {
    pub code: KeyCode,
    pub modifiers: KeyModifiers,
}

const MODIFIER_NAMES: [&str; 3] = ["ctrl", "alt", "shift"];

/// Named keys accepted in keymap files, with the short label help shows for them.
const NAMED_KEYS: &[(&str, KeyCode, &str)] = &[
    ("enter", KeyCode::Enter, "enter"),
    ("esc", KeyCode::Esc, "esc"),
    ("tab", KeyCode::Tab, "tab"),
    ("backtab", KeyCode::BackTab, "shift-tab"),
    ("backspace", KeyCode::Backspace, "bksp"),
    ("space", KeyCode::Char(' '), "space"),
    ("up", KeyCode::Up, "↑"),
    ("down", KeyCode::Down, "↓"),
    ("left", KeyCode::Left, "←"),
    ("right", KeyCode::Right, "→"),
    ("pgup", KeyCode::PageUp, "pgup"),
    ("pgdn", KeyCode::PageDown, "pgdn"),
    ("home", KeyCode::Home, "home"),
    ("end", KeyCode::End, "end"),
    ("delete", KeyCode::Delete, "del"),
    ("insert", KeyCode::Insert, "ins"),
];

impl Chord {
    pub fn new(code: KeyCode, modifiers: KeyModifiers) -> Self {
        Self::normalised(code, modifiers)
    }

    /// Parses a chord as written in a keymap file. The error text explains what is wrong,
    /// with a "did you mean" for misspelt modifiers and key names.
    pub fn parse(s: &str) -> Result<Chord, String> {
        if s.is_empty() {
            return Err("empty chord".to_string());
        }
        // The key is the part after the last `-`, except that `-` itself is a key: "-",
        // "ctrl--".
        let (modifier_part, key_part) = if s == "-" {
            ("", "-")
        } else if let Some(prefix) = s.strip_suffix("--") {
            (prefix, "-")
        } else {
            match s.rfind('-') {
                Some(i) => (&s[..i], &s[i + 1..]),
                None => ("", s),
            }
        };
        let mut modifiers = KeyModifiers::NONE;
        if !modifier_part.is_empty() {
            for name in modifier_part.split('-') {
                let flag = match name.to_ascii_lowercase().as_str() {
                    "ctrl" => KeyModifiers::CONTROL,
                    "alt" => KeyModifiers::ALT,
                    "shift" => KeyModifiers::SHIFT,
                    _ => {
                        let hint = Suggestion::nearest(name, MODIFIER_NAMES);
                        return Err(format!("unknown modifier \"{name}\"{hint}"));
                    }
                };
                if modifiers.contains(flag) {
                    return Err(format!("modifier \"{name}\" given twice"));
                }
                modifiers |= flag;
            }
        }
        let code = parse_key(key_part)?;
        if modifiers.contains(KeyModifiers::SHIFT) {
            return match code {
                KeyCode::Char(c) if c.is_alphabetic() => {
                    let upper: Vec<char> = c.to_uppercase().collect();
                    match upper.as_slice() {
                        [single] => Ok(Self::normalised(KeyCode::Char(*single), modifiers)),
                        _ => Err(format!("cannot shift \"{c}\"")),
                    }
                }
                KeyCode::Char(c) => Err(format!(
                    "shift with \"{c}\": write the shifted character itself"
                )),
                KeyCode::Tab => Ok(Self::normalised(KeyCode::BackTab, modifiers)),
                other => Ok(Self::normalised(other, modifiers)),
            };
        }
        Ok(Self::normalised(code, modifiers))
    }

    /// The chord a key press matches.
    pub fn from_key_event(ev: &KeyEvent) -> Chord {
        Self::normalised(ev.code, ev.modifiers)
    }

    fn normalised(code: KeyCode, modifiers: KeyModifiers) -> Self {
        let mut modifiers =
            modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT);
        let code = match code {
            KeyCode::Char(c) => {
                modifiers.remove(KeyModifiers::SHIFT);
                if modifiers.contains(KeyModifiers::CONTROL) {
                    KeyCode::Char(c.to_ascii_lowercase())
                } else {
                    KeyCode::Char(c)
                }
            }
            KeyCode::BackTab => {
                modifiers.remove(KeyModifiers::SHIFT);
                KeyCode::BackTab
            }
            KeyCode::Tab if modifiers.contains(KeyModifiers::SHIFT) => {
                modifiers.remove(KeyModifiers::SHIFT);
                KeyCode::BackTab
            }
            other => other,
        };
        Self { code, modifiers }
    }

    /// A short label for help and footer hints: `ctrl-c`, `?`, `G`, `space`, `↑`, `pgdn`.
    pub fn label(&self) -> String {
        let mut label = String::new();
        if self.modifiers.contains(KeyModifiers::CONTROL) {
            label.push_str("ctrl-");
        }
        if self.modifiers.contains(KeyModifiers::ALT) {
            label.push_str("alt-");
        }
        if self.modifiers.contains(KeyModifiers::SHIFT) {
            label.push_str("shift-");
        }
        let named = NAMED_KEYS.iter().find(|(_, code, _)| *code == self.code);
        match (named, self.code) {
            (Some((_, _, key_label)), _) => label.push_str(key_label),
            (None, KeyCode::Char(c)) => label.push(c),
            (None, KeyCode::F(n)) => label.push_str(&format!("f{n}")),
            (None, other) => label.push_str(&format!("{other:?}").to_lowercase()),
        }
        label
    }
}

fn parse_key(key: &str) -> Result<KeyCode, String> {
    let mut chars = key.chars();
    if let (Some(c), None) = (chars.next(), chars.next()) {
        return Ok(KeyCode::Char(c));
    }
    let lower = key.to_ascii_lowercase();
    if let Some((_, code, _)) = NAMED_KEYS.iter().find(|(name, _, _)| *name == lower) {
        return Ok(*code);
    }
    if let Some(number) = lower.strip_prefix('f')
        && let Ok(n) = number.parse::<u8>()
        && (1..=12).contains(&n)
    {
        return Ok(KeyCode::F(n));
    }
    if key.is_empty() {
        return Err("missing key after the modifiers".to_string());
    }
    let function_keys: Vec<String> = (1..=12).map(|n| format!("f{n}")).collect();
    let candidates = NAMED_KEYS
        .iter()
        .map(|(name, _, _)| *name)
        .chain(function_keys.iter().map(String::as_str));
    let hint = Suggestion::nearest(key, candidates);
    Err(format!("unknown key \"{key}\"{hint}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::KeyEventKind;

    fn parsed(s: &str) -> Chord {
        match Chord::parse(s) {
            Ok(chord) => chord,
            Err(err) => panic!("{s}: {err}"),
        }
    }

    fn event(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        let mut ev = KeyEvent::new(code, modifiers);
        ev.kind = KeyEventKind::Press;
        ev
    }

    #[test]
    fn parses_characters_names_and_modifiers() {
        assert_eq!(parsed("q").code, KeyCode::Char('q'));
        assert_eq!(
            parsed("ctrl-c"),
            Chord::new(KeyCode::Char('c'), KeyModifiers::CONTROL)
        );
        assert_eq!(parsed("alt-x").modifiers, KeyModifiers::ALT);
        assert_eq!(parsed("space").code, KeyCode::Char(' '));
        assert_eq!(parsed("pgdn").code, KeyCode::PageDown);
        assert_eq!(parsed("f12").code, KeyCode::F(12));
        assert_eq!(parsed("-").code, KeyCode::Char('-'));
        assert_eq!(
            parsed("ctrl--"),
            Chord::new(KeyCode::Char('-'), KeyModifiers::CONTROL)
        );
        assert_eq!(parsed("shift-tab"), parsed("backtab"));
        assert_eq!(parsed("shift-g"), parsed("G"));
    }

    #[test]
    fn uppercase_matches_with_or_without_shift() {
        let chord = parsed("G");
        for modifiers in [KeyModifiers::NONE, KeyModifiers::SHIFT] {
            assert_eq!(
                Chord::from_key_event(&event(KeyCode::Char('G'), modifiers)),
                chord
            );
        }
        assert_ne!(
            Chord::from_key_event(&event(KeyCode::Char('g'), KeyModifiers::NONE)),
            chord
        );
    }

    #[test]
    fn ctrl_letters_ignore_case() {
        assert_eq!(parsed("ctrl-C"), parsed("ctrl-c"));
        let ctrl_shift_c = event(
            KeyCode::Char('C'),
            KeyModifiers::CONTROL | KeyModifiers::SHIFT,
        );
        assert_eq!(Chord::from_key_event(&ctrl_shift_c), parsed("ctrl-c"));
        assert_eq!(parsed("ctrl-C").label(), "ctrl-c");
    }

    #[test]
    fn shift_tab_matches_both_encodings() {
        let chord = parsed("shift-tab");
        assert_eq!(
            Chord::from_key_event(&event(KeyCode::BackTab, KeyModifiers::SHIFT)),
            chord
        );
        assert_eq!(
            Chord::from_key_event(&event(KeyCode::Tab, KeyModifiers::SHIFT)),
            chord
        );
    }

    #[test]
    fn labels_are_short() {
        let labels: Vec<String> = ["ctrl-c", "?", "G", "space", "up", "pgdn", "shift-tab", "f1"]
            .iter()
            .map(|s| parsed(s).label())
            .collect();
        assert_eq!(
            labels,
            ["ctrl-c", "?", "G", "space", "↑", "pgdn", "shift-tab", "f1"]
        );
    }

    #[test]
    fn bad_chords_explain_and_suggest() {
        assert_eq!(
            Chord::parse("ctlr-c"),
            Err("unknown modifier \"ctlr\" (did you mean \"ctrl\"?)".to_string())
        );
        assert_eq!(
            Chord::parse("entr"),
            Err("unknown key \"entr\" (did you mean \"enter\"?)".to_string())
        );
        assert!(Chord::parse("shift-1").is_err());
        assert!(Chord::parse("ctrl-").is_err());
        assert!(Chord::parse("").is_err());
    }
}
