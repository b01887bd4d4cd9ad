//! `unstuck snapshot --pane NAME`: one rendered frame of a pane as plain text, for bug
//! reports, docs and tests. The real app runs headless (runtime, reducer, views) for
//! `--after` seconds, optionally pressed through `--keys`, then prints what the screen shows.
//! It is always read-only: no mutation backend is built, so no key can change anything.

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use crossterm::event::KeyEvent;
use unstuck_aws::api::Backends;

use crate::cli::SnapshotArgs;
use crate::config::chord::Chord;
use crate::config::{ConfigDirs, Context, ResolvedConfig};
use crate::runtime::{AppRuntime, HeadlessScreen};
use crate::state::{AppState, Msg, PaneId, StartOptions};

/// Between two keys: time for what the last one asked for to arrive.
const KEY_GAP: Duration = Duration::from_millis(400);

/// `WxH` as given to `--size`.
pub fn parse_size(text: &str) -> Result<(u16, u16), String> {
    let (w, h) = text
        .split_once(['x', 'X'])
        .ok_or_else(|| format!("{text} is not WIDTHxHEIGHT, e.g. 160x48"))?;
    let w: u16 = w
        .trim()
        .parse()
        .map_err(|_| format!("bad width in {text}"))?;
    let h: u16 = h
        .trim()
        .parse()
        .map_err(|_| format!("bad height in {text}"))?;
    if !(20..=1000).contains(&w) || !(6..=500).contains(&h) {
        return Err(format!("{text}: width 20..1000 and height 6..500"));
    }
    Ok((w, h))
}

/// The key events of `--keys` ("enter s down"), each a chord as keymap files write them.
fn keys_of(text: &str) -> anyhow::Result<Vec<KeyEvent>> {
    text.split_whitespace()
        .map(|k| {
            Chord::parse(k)
                .map(|c| KeyEvent::new(c.code, c.modifiers))
                .map_err(|e| anyhow::anyhow!("--keys: {k}: {e}"))
        })
        .collect()
}

pub async fn run_snapshot(
    backends: Backends,
    args: &SnapshotArgs,
    resolved: ResolvedConfig,
    options: StartOptions,
) -> anyhow::Result<()> {
    let pane = PaneId::all()
        .find(|p| p.name() == args.pane)
        .context("no such pane")?;
    let keys = keys_of(args.keys.as_deref().unwrap_or(""))?;
    let goto = resolved
        .keymap
        .first_chord(Context::Global, pane.spec().goto)
        .and_then(|c| Chord::parse(&c).ok())
        .map(|c| KeyEvent::new(c.code, c.modifiers));
    let (w, h) = args.size;
    let state = AppState::new(
        Arc::new(resolved.keymap),
        resolved.theme,
        backends.label.clone(),
        StartOptions {
            read_only: true,
            start_pane: Some(pane),
            ..options
        },
    );
    let screen = HeadlessScreen::new(w, h).context("making the screen")?;
    let observer = screen.observer();
    let app = AppRuntime::new(state, screen, backends, ConfigDirs { dir: None }, true);
    let tx = app.sender();
    let handle = tokio::spawn(app.run());
    let now = || 0;
    for key in goto.into_iter().chain(keys) {
        tokio::time::sleep(KEY_GAP).await;
        if tx.send(Msg::key(key, now())).await.is_err() {
            break;
        }
    }
    tokio::time::sleep(Duration::from_secs_f64(args.after)).await;
    let text = observer.text();
    handle.abort();
    crate::startup::print_bytes(format!("{text}\n").as_bytes())
}
