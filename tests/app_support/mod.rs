//! Running the real app headless in tests: the runtime, reducer and views on a backend
//! (usually the demo world) with a ratatui TestBackend screen, driven by keys in paused time.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::time::Duration;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tokio::sync::mpsc::Sender;
use tokio::task::JoinHandle;
use unstuck::config::{ConfigDirs, Overrides};
use unstuck::runtime::{AppRuntime, HeadlessScreen, ScreenObserver};
use unstuck::state::{AppState, Msg, StartOptions};
use unstuck_aws::api::Backends;

pub type AppHandle = JoinHandle<std::io::Result<(AppState, HeadlessScreen)>>;

/// No user config: the embedded presets only.
pub fn no_user_config() -> ConfigDirs {
    ConfigDirs { dir: None }
}

/// Start the app on `backends` with a `w`x`h` screen.
pub fn start_app(
    backends: Backends,
    options: StartOptions,
    w: u16,
    h: u16,
) -> (Sender<Msg>, ScreenObserver, AppHandle) {
    start_app_with(backends, options, w, h, |app| app)
}

/// `start_app`, with the runtime set up further by `configure` (a clipboard, tail options).
pub fn start_app_with(
    backends: Backends,
    options: StartOptions,
    w: u16,
    h: u16,
    configure: impl FnOnce(AppRuntime<HeadlessScreen>) -> AppRuntime<HeadlessScreen>,
) -> (Sender<Msg>, ScreenObserver, AppHandle) {
    let config = unstuck::config::load(&no_user_config(), &Overrides::default(), false).unwrap();
    let state = AppState::new(
        Arc::new(config.keymap),
        config.theme,
        backends.label.clone(),
        options,
    );
    let screen = HeadlessScreen::new(w, h).unwrap();
    let observer = screen.observer();
    let app = configure(AppRuntime::new(
        state,
        screen,
        backends,
        no_user_config(),
        false,
    ));
    let tx = app.sender();
    (tx, observer, tokio::spawn(app.run()))
}

/// Press a key and give the app a moment (of paused time) to take it.
pub async fn key(tx: &Sender<Msg>, code: KeyCode) {
    tx.send(Msg::key(KeyEvent::new(code, KeyModifiers::NONE), 0))
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(50)).await;
}

pub async fn typed(tx: &Sender<Msg>, text: &str) {
    for c in text.chars() {
        key(tx, KeyCode::Char(c)).await;
    }
}

/// Wait (in paused time) until the screen shows `needle`; panic with the screen if not.
pub async fn wait_for(screen: &ScreenObserver, needle: &str, max_secs: u64) -> String {
    for _ in 0..max_secs * 10 {
        let text = screen.text();
        if text.contains(needle) {
            return text;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!(
        "screen never showed {needle:?}; last frame:\n{}",
        screen.text()
    );
}

/// `q`, and the state the app ended with.
pub async fn quit(tx: &Sender<Msg>, handle: AppHandle) -> AppState {
    key(tx, KeyCode::Char('q')).await;
    let (state, _) = tokio::time::timeout(Duration::from_secs(5), handle)
        .await
        .expect("the app quits")
        .unwrap()
        .unwrap();
    assert!(state.quit);
    state
}
