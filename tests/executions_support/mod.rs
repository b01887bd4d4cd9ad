//! The demo world's Step Functions data as the app polls it, and a reducer-only app state
//! to hand it to: for the executions pane's reducer and rendering tests.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use unstuck::config::{Action, ConfigDirs, Overrides};
use unstuck::state::shell::keys::on_action;
use unstuck::state::{AppState, Effect, Msg, StartOptions, update};
use unstuck_aws::api::{Backends, StepFunctionsData, StepFunctionsTopic, Topic};

/// What a poll of `topic` brings: the message for the reducer and the data in it.
pub async fn polled(backends: &Backends, topic: StepFunctionsTopic) -> (Msg, StepFunctionsData) {
    let topic = Topic::StepFunctions(topic);
    let data = topic.fetch(backends).await.unwrap();
    let unstuck_aws::api::Data::StepFunctions(sfn) = data.clone() else {
        panic!("not Step Functions data")
    };
    let msg = Msg::Polled {
        topic,
        at_ms: backends.clock.now_ms(),
        result: Ok(data),
    };
    (msg, sfn)
}

/// A reducer-only state at 160x48 on the demo label.
pub fn state(read_only: bool) -> AppState {
    let config =
        unstuck::config::load(&ConfigDirs { dir: None }, &Overrides::default(), false).unwrap();
    let label = unstuck_aws::api::BackendLabel {
        profile: "DEMO".into(),
        region: "eu-west-1".into(),
        endpoint_url: None,
        is_demo: true,
    };
    let mut s = AppState::new(
        Arc::new(config.keymap),
        config.theme,
        label,
        StartOptions {
            read_only,
            ..StartOptions::default()
        },
    );
    update(&mut s, Msg::Resize(160, 48));
    s
}

/// Type `line` into the palette and run it.
pub fn run_palette(s: &mut AppState, line: &str) -> Vec<Effect> {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    let mut effects = on_action(s, Action::CommandPalette);
    for c in line.chars() {
        effects.extend(update(
            s,
            Msg::key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE), 0),
        ));
    }
    effects.extend(update(
        s,
        Msg::key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE), 0),
    ));
    effects
}

/// A copy of a poll message (messages are not Clone).
pub fn clone_polled(m: &Msg) -> Msg {
    match m {
        Msg::Polled {
            topic,
            at_ms,
            result,
        } => Msg::Polled {
            topic: topic.clone(),
            at_ms: *at_ms,
            result: result.clone(),
        },
        _ => unreachable!("only poll messages are copied"),
    }
}
