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
    let data = topic
        .fetch(backends, &unstuck_aws::api::Unpaced)
        .await
        .unwrap();
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
            Msg::key(
                crossterm::event::KeyEvent::new(
                    crossterm::event::KeyCode::Char(c),
                    crossterm::event::KeyModifiers::NONE,
                ),
                0,
            ),
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

/// The demo world 15 minutes on, as the pane polls it: the machines, tax-return-processing's
/// running and all executions (first page, first rows), one execution waiting on a task token
/// nobody sends and one failed, each read as the open-execution topic reads it.
pub struct DemoExecutions {
    pub backends: Backends,
    pub machine_arn: String,
    pub machines: Msg,
    pub running: (Msg, unstuck_aws::api::ExecutionsView),
    pub all: (Msg, unstuck_aws::api::ExecutionsView),
    pub stuck: (String, Msg),
    pub failed: (String, Msg),
}

/// A machine's list as the pane asks for it first.
pub fn first_page(
    machine_arn: &str,
    status: Option<unstuck_aws::model::step_functions::ExecutionStatus>,
) -> StepFunctionsTopic {
    StepFunctionsTopic::Executions {
        machine_arn: machine_arn.to_string(),
        status,
        rows_from: 0,
        pages: 1,
        reasons: true,
    }
}

pub async fn demo_executions() -> DemoExecutions {
    use unstuck_aws::model::step_functions::ExecutionStatus;
    let backends = unstuck_aws::sim::demo_backends(7);
    tokio::time::sleep(std::time::Duration::from_secs(900)).await;
    let (machines, data) = polled(&backends, StepFunctionsTopic::Machines).await;
    let StepFunctionsData::Machines(rows) = data else {
        panic!("not machines")
    };
    let machine_arn = rows[0].summary.arn.clone();
    assert!(machine_arn.ends_with(":tax-return-processing"));
    let list = |status| first_page(&machine_arn, status);
    let (running_msg, data) = polled(&backends, list(Some(ExecutionStatus::Running))).await;
    let StepFunctionsData::Executions(running) = data else {
        panic!("not executions")
    };
    let (all_msg, data) = polled(&backends, list(None)).await;
    let StepFunctionsData::Executions(all) = data else {
        panic!("not executions")
    };
    let stuck_arn = running
        .stuck
        .iter()
        .find(|(_, s)| s.reason.contains("task token"))
        .expect("the demo has approvals nobody sends")
        .0
        .clone();
    let failed_arn = all
        .executions
        .iter()
        .find(|e| e.status == ExecutionStatus::Failed)
        .expect("the demo has failed executions")
        .arn
        .clone();
    let execution = |arn: &str| StepFunctionsTopic::Execution {
        execution_arn: arn.to_string(),
    };
    let (stuck, _) = polled(&backends, execution(&stuck_arn)).await;
    let (failed, _) = polled(&backends, execution(&failed_arn)).await;
    DemoExecutions {
        backends,
        machine_arn,
        machines,
        running: (running_msg, running),
        all: (all_msg, all),
        stuck: (stuck_arn, stuck),
        failed: (failed_arn, failed),
    }
}

pub fn press(s: &mut AppState, c: char) -> Vec<Effect> {
    update(
        s,
        Msg::key(
            crossterm::event::KeyEvent::new(
                crossterm::event::KeyCode::Char(c),
                crossterm::event::KeyModifiers::NONE,
            ),
            0,
        ),
    )
}

pub fn status_text(s: &AppState) -> String {
    s.shown_status()
        .map(|st| st.text.to_string())
        .unwrap_or_default()
}

/// A writable app with `arn` open, its reading delivered.
pub fn opened(arn: &str, reading: &Msg) -> AppState {
    let mut s = state(false);
    on_action(&mut s, Action::GotoExecutions);
    run_palette(&mut s, &format!("execution {arn}"));
    update(&mut s, clone_polled(reading));
    s
}
