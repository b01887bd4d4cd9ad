//! Shipped keymap/theme presets, user config dirs, and the exact errors for broken files.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::style::Color;
use unstuck::config::{
    self, Action, ConfigDirs, Context, Overrides, PresetKind, ResolvedConfig, SLOT_NAMES,
};
use unstuck_views::theme::Theme;

fn fixture(case: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/config")
        .join(case)
}

fn dirs_at(dir: &Path) -> ConfigDirs {
    ConfigDirs {
        dir: Some(dir.to_path_buf()),
    }
}

fn load_from(dir: &Path) -> ResolvedConfig {
    config::load(&dirs_at(dir), &Overrides::default(), false).unwrap()
}

fn with_keymap(name: &str) -> ResolvedConfig {
    let overrides = Overrides {
        keymap: Some(name.to_string()),
        ..Overrides::default()
    };
    config::load(&ConfigDirs::none(), &overrides, false).unwrap()
}

fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

fn ctrl(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
}

fn write(dir: &Path, relative: &str, text: &str) {
    let path = dir.join(relative);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

#[test]
fn every_keymap_preset_resolves_with_bindings_in_every_context_and_no_duplicate_chords() {
    for name in PresetKind::Keymap.names() {
        let keymap = with_keymap(name).keymap;
        for ctx in Context::ALL {
            let bindings = keymap.bindings(ctx);
            assert!(!bindings.is_empty(), "{name}: [{}] is empty", ctx.name());
            let mut seen = HashSet::new();
            for binding in &bindings {
                assert!(
                    seen.insert(binding.chord_label.clone()),
                    "{name}: [{}] binds {} twice",
                    ctx.name(),
                    binding.chord_label
                );
                assert!(!binding.desc.is_empty());
            }
        }
        let bound: HashSet<Action> = Context::ALL
            .iter()
            .flat_map(|ctx| keymap.bindings(*ctx))
            .map(|binding| binding.action)
            .collect();
        for action in Action::ALL {
            assert!(bound.contains(action), "{name}: {} unbound", action.name());
        }
    }
}

#[test]
fn default_keymap_binds_the_documented_keys() {
    let keymap = with_keymap("default").keymap;
    let cases = [
        (Context::Global, key(KeyCode::Char('q')), Action::Quit),
        (Context::Global, key(KeyCode::Char('?')), Action::Help),
        (
            Context::Global,
            key(KeyCode::Char(':')),
            Action::CommandPalette,
        ),
        (Context::Global, key(KeyCode::Esc), Action::Back),
        (Context::Global, ctrl('z'), Action::Suspend),
        (Context::Global, key(KeyCode::Tab), Action::NextPane),
        (Context::Global, key(KeyCode::BackTab), Action::PrevPane),
        (Context::Global, key(KeyCode::Char('1')), Action::GotoLogs),
        (Context::Global, key(KeyCode::Char('2')), Action::GotoGroups),
        (Context::Global, ctrl('r'), Action::Refresh),
        (Context::Logs, key(KeyCode::Down), Action::ScrollDown),
        (Context::Logs, key(KeyCode::PageDown), Action::PageDown),
        (Context::Logs, key(KeyCode::End), Action::ScrollBottom),
        (Context::Logs, key(KeyCode::Char('f')), Action::ToggleFollow),
        (Context::Logs, key(KeyCode::Char('/')), Action::Filter),
        (Context::Logs, key(KeyCode::Char('g')), Action::GotoGroups),
        (
            Context::Groups,
            key(KeyCode::Char(' ')),
            Action::ToggleSelect,
        ),
        (Context::Groups, key(KeyCode::Char('a')), Action::SelectAll),
        (Context::Groups, key(KeyCode::Char('n')), Action::SelectNone),
        (Context::Groups, key(KeyCode::Enter), Action::Open),
        (Context::Help, key(KeyCode::Char('q')), Action::Back),
        (Context::Prompt, key(KeyCode::Tab), Action::Complete),
        (Context::Prompt, key(KeyCode::Enter), Action::Submit),
        (Context::Prompt, key(KeyCode::Esc), Action::Cancel),
        (Context::Prompt, key(KeyCode::Up), Action::HistoryPrev),
    ];
    for (ctx, event, action) in cases {
        assert_eq!(keymap.action_for(ctx, &event), Some(action), "{event:?}");
    }
    assert_eq!(
        keymap.first_chord(Context::Logs, Action::GotoGroups),
        Some("g".to_string())
    );
}

#[test]
fn vim_keymap_extends_default_and_moves_groups_off_g() {
    let keymap = with_keymap("vim").keymap;
    assert_eq!(keymap.name(), "vim");
    let logs = |event: KeyEvent| keymap.action_for(Context::Logs, &event);
    assert_eq!(logs(key(KeyCode::Char('j'))), Some(Action::ScrollDown));
    assert_eq!(logs(ctrl('d')), Some(Action::PageDown));
    assert_eq!(logs(key(KeyCode::Char('g'))), Some(Action::ScrollTop));
    for modifiers in [KeyModifiers::NONE, KeyModifiers::SHIFT] {
        let shifted_g = KeyEvent::new(KeyCode::Char('G'), modifiers);
        assert_eq!(logs(shifted_g), Some(Action::ScrollBottom));
    }
    assert_eq!(logs(key(KeyCode::Down)), Some(Action::ScrollDown));
    assert_eq!(keymap.first_chord(Context::Logs, Action::GotoGroups), None);
    assert_eq!(
        keymap.first_chord(Context::Global, Action::GotoGroups),
        Some("2".to_string())
    );
    // Extra chords sit next to the first chord for the same action in help.
    let labels: Vec<String> = keymap
        .bindings(Context::Logs)
        .into_iter()
        .map(|b| b.chord_label)
        .take(4)
        .collect();
    assert_eq!(labels, ["↑", "k", "↓", "j"]);
}

#[test]
fn every_theme_preset_sets_every_slot() {
    let mut themes = Vec::new();
    for name in PresetKind::Theme.names() {
        let resolved = config::resolve_theme(&ConfigDirs::none(), name).unwrap();
        assert!(
            resolved.defaulted_slots.is_empty(),
            "{name}: {:?}",
            resolved.defaulted_slots
        );
        assert_eq!(resolved.theme.name, name);
        assert!(!resolved.theme.tags.is_empty());
        themes.push(resolved.theme);
    }
    assert_ne!(themes[0], themes[1]);
    assert_ne!(themes[0], themes[2]);
    assert_eq!(SLOT_NAMES.len(), 27);
}

#[test]
fn defaults_prints_the_embedded_files() {
    for (kind, folder) in [
        (PresetKind::Keymap, "keymaps"),
        (PresetKind::Theme, "themes"),
    ] {
        for name in kind.names() {
            let on_disk = fs::read_to_string(
                Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("{folder}/{name}.toml")),
            )
            .unwrap();
            assert_eq!(config::preset_source(kind, Some(name)).unwrap(), on_disk);
        }
    }
    let default_theme = config::preset_source(PresetKind::Theme, None).unwrap();
    assert!(default_theme.contains("unstuck dark theme"));
}

#[test]
fn without_a_config_dir_the_defaults_apply() {
    let resolved = config::load(&ConfigDirs::none(), &Overrides::default(), false).unwrap();
    assert_eq!(resolved.settings, config::Settings::default());
    assert_eq!(resolved.keymap.name(), "default");
    assert_eq!(resolved.theme.name, "dark");
    assert_eq!(resolved.source_notes, ["keymap: default", "theme: dark"]);
}

#[test]
fn config_dir_precedence_follows_the_environment() {
    let root = tempfile::tempdir().unwrap();
    let explicit = root.path().join("explicit");
    let xdg = root.path().join("xdg");
    let home = root.path().join("home");
    write(&explicit, "config.toml", "theme = \"light\"\n");
    write(&xdg, "unstuck/config.toml", "theme = \"high-contrast\"\n");
    write(&home, ".config/unstuck/config.toml", "keymap = \"vim\"\n");
    let env = |vars: Vec<(&'static str, PathBuf)>| {
        ConfigDirs::from_env(move |name| {
            vars.iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| value.display().to_string())
        })
    };
    let all = vec![
        ("UNSTUCK_CONFIG_DIR", explicit.clone()),
        ("XDG_CONFIG_HOME", xdg.clone()),
        ("HOME", home.clone()),
    ];
    let load = |dirs: ConfigDirs| config::load(&dirs, &Overrides::default(), false).unwrap();
    assert_eq!(load(env(all.clone())).settings.theme, "light");
    assert_eq!(load(env(all[1..].to_vec())).settings.theme, "high-contrast");
    let from_home = load(env(all[2..].to_vec()));
    assert_eq!(from_home.settings.keymap, "vim");
    assert_eq!(from_home.settings.theme, "dark");
}

#[test]
fn sparse_user_keymap_goes_on_top_of_its_preset_and_none_unbinds() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "keymap.toml",
        "extends = \"vim\"\n[global]\n\"q\" = \"none\"\n\"ctrl-q\" = \"quit\"\n\
         [logs]\n\"p\" = { action = \"toggle-follow\", desc = \"pause\" }\n",
    );
    let resolved = load_from(dir.path());
    let keymap = &resolved.keymap;
    assert_eq!(
        keymap.action_for(Context::Global, &key(KeyCode::Char('q'))),
        None
    );
    assert_eq!(
        keymap.action_for(Context::Global, &ctrl('q')),
        Some(Action::Quit)
    );
    assert_eq!(
        keymap.action_for(Context::Global, &ctrl('c')),
        Some(Action::Quit)
    );
    let logs = |c| keymap.action_for(Context::Logs, &key(KeyCode::Char(c)));
    assert_eq!(logs('j'), Some(Action::ScrollDown));
    assert_eq!(logs('f'), Some(Action::ToggleFollow));
    assert_eq!(logs('p'), Some(Action::ToggleFollow));
    let follow: Vec<(String, String)> = keymap
        .bindings(Context::Logs)
        .into_iter()
        .filter(|b| b.action == Action::ToggleFollow)
        .map(|b| (b.chord_label, b.desc))
        .collect();
    let expected = [("f", "follow/pause"), ("p", "pause")].map(|(k, d)| (k.into(), d.into()));
    assert_eq!(follow, expected);
    assert_eq!(resolved.settings.keymap, "vim");
    assert!(
        resolved
            .source_notes
            .contains(&"keymap: vim (user keymap.toml applied)".to_string())
    );
}

#[test]
fn user_keymap_without_extends_uses_the_configured_preset_and_flags_win() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "config.toml",
        "keymap = \"vim\"\ntheme = \"light\"\n",
    );
    write(
        dir.path(),
        "keymap.toml",
        "[logs]\n\"x\" = \"clear-filter\"\n",
    );
    let resolved = load_from(dir.path());
    assert_eq!(resolved.keymap.name(), "vim");
    let j = key(KeyCode::Char('j'));
    assert_eq!(
        resolved.keymap.action_for(Context::Logs, &j),
        Some(Action::ScrollDown)
    );
    assert!(!resolved.settings.read_only);

    let flags = Overrides {
        keymap: Some("default".into()),
        theme: Some("high-contrast".into()),
        read_only: true,
    };
    let resolved = config::load(&dirs_at(dir.path()), &flags, false).unwrap();
    assert_eq!(resolved.keymap.action_for(Context::Logs, &j), None);
    let x = key(KeyCode::Char('x'));
    assert_eq!(
        resolved.keymap.action_for(Context::Logs, &x),
        Some(Action::ClearFilter)
    );
    assert_eq!(resolved.settings.theme, "high-contrast");
    assert_eq!(resolved.theme.name, "high-contrast");
    assert!(resolved.settings.read_only);
}

#[test]
fn user_themes_extend_presets_and_may_replace_them() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "themes/ocean.toml",
        "extends = \"dark\"\n[palette]\nok = \"#00aa88\"\n",
    );
    write(
        dir.path(),
        "themes/dark.toml",
        "extends = \"dark\"\n[slots]\n\"status.failed\" = \"lightred\"\n",
    );
    let dirs = dirs_at(dir.path());
    let builtin_dark = config::theme_by_name(&ConfigDirs::none(), "dark", false).unwrap();
    let ocean = config::theme_by_name(&dirs, "ocean", false).unwrap();
    // Changing a palette entry recolours every slot that uses it.
    assert_eq!(ocean.status_ok.fg, Some(Color::Rgb(0, 0xaa, 0x88)));
    assert_eq!(ocean.log_info.fg, Some(Color::Rgb(0, 0xaa, 0x88)));
    assert_eq!(ocean.chrome_header, builtin_dark.chrome_header);
    // ocean extends the user's dark, which extends the preset dark.
    assert_eq!(ocean.status_failed.fg, Some(Color::LightRed));
    let user_dark = config::theme_by_name(&dirs, "dark", false).unwrap();
    assert_eq!(user_dark.status_failed.fg, Some(Color::LightRed));
    assert_eq!(user_dark.status_ok, builtin_dark.status_ok);
    assert_eq!(
        config::theme_names(&dirs),
        ["dark", "light", "high-contrast", "ocean"]
    );
    // A typo lists user themes as well as presets.
    let err = config::theme_by_name(&dirs, "ocaen", false).unwrap_err();
    assert_eq!(
        err.to_string(),
        "unknown theme \"ocaen\" (did you mean \"ocean\"?); \
         available: dark, light, high-contrast, ocean"
    );
}

#[test]
fn no_color_gives_monochrome() {
    let resolved = config::load(&ConfigDirs::none(), &Overrides::default(), true).unwrap();
    assert_eq!(resolved.theme, Theme::monochrome());
    assert_eq!(resolved.settings.theme, "dark");
    let light = config::theme_by_name(&ConfigDirs::none(), "light", true).unwrap();
    assert_eq!(light, Theme::monochrome());
    let env = |value: &'static str| move |name: &str| (name == "NO_COLOR").then(|| value.into());
    assert!(config::no_color_requested(env("1")));
    assert!(!config::no_color_requested(env("")));
    assert!(!config::no_color_requested(|_| None));
    // A broken theme is still reported under NO_COLOR.
    let broken = config::load(
        &dirs_at(&fixture("bad-colour")),
        &Overrides::default(),
        true,
    );
    assert!(broken.is_err());
}

fn load_error(case: &str) -> (String, String) {
    let dir = fixture(case);
    let err = config::load(&dirs_at(&dir), &Overrides::default(), false)
        .err()
        .unwrap_or_else(|| panic!("{case} loaded without an error"));
    (err.to_string(), dir.display().to_string())
}

#[test]
fn broken_user_files_name_file_line_and_nearest_name() {
    let cases = [
        (
            "bad-action",
            "keymap.toml:7: unknown action \"qiut\" in [logs] (did you mean \"quit\"?)",
        ),
        (
            "bad-chord",
            "keymap.toml:3: bad chord \"ctlr-c\": unknown modifier \"ctlr\" (did you mean \"ctrl\"?)",
        ),
        (
            "bad-colour",
            "themes/mine.toml:5: unknown colour \"gren\" (did you mean \"green\"?)",
        ),
        (
            "unknown-slot",
            "themes/mine.toml:4: unknown slot \"status.stuk\" (did you mean \"status.stuck\"?)",
        ),
        (
            "unknown-context",
            "keymap.toml:1: unknown context [log] (did you mean \"logs\"?)",
        ),
        (
            "duplicate-chord",
            "keymap.toml:3: chord \"shift-g\" is bound twice in [groups] (also on line 2)",
        ),
        (
            "extends-cycle",
            "themes/b.toml:2: extends cycle: a -> b -> a",
        ),
        (
            "unknown-preset",
            "config.toml:2: unknown keymap \"vin\" (did you mean \"vim\"?); available: default, vim",
        ),
        (
            "bad-setting",
            "config.toml:2: unknown key \"read-only\" (did you mean \"read_only\"?)",
        ),
    ];
    for (case, expected) in cases {
        let (message, dir) = load_error(case);
        assert_eq!(message, format!("{dir}/{expected}"), "fixture {case}");
    }
}

#[test]
fn toml_syntax_errors_name_file_and_line() {
    let (message, dir) = load_error("bad-toml");
    assert_eq!(
        message,
        format!(
            "{dir}/keymap.toml:3: invalid TOML: string values must be quoted, expected literal string"
        )
    );
}

#[test]
fn unknown_names_from_the_command_line_list_the_choices() {
    let flags = Overrides {
        theme: Some("drak".into()),
        ..Overrides::default()
    };
    let err = config::load(&ConfigDirs::none(), &flags, false).unwrap_err();
    assert_eq!(
        err.to_string(),
        "command line: unknown theme \"drak\" (did you mean \"dark\"?); \
         available: dark, light, high-contrast"
    );
    let err = config::preset_source(PresetKind::Keymap, Some("emacs")).unwrap_err();
    assert_eq!(
        err.to_string(),
        "unknown keymap \"emacs\"; available: default, vim"
    );
}
