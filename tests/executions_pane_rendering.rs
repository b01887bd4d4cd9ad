//! How the executions pane looks, on the demo world's data at a fixed simulated time: the
//! machines, a machine's running executions, a stuck execution (its graph with the waiting
//! state selected and coloured by the `status.stuck` slot), a failed one, at 160x48 and 80x24.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod executions_support;

use std::time::Duration;

use executions_support::{clone_polled, polled, run_palette, state};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use unstuck::config::Action;
use unstuck::runtime::buffer_text;
use unstuck::state::shell::keys::on_action;
use unstuck::state::{AppState, Msg, draw, update};
use unstuck_aws::api::{StepFunctionsData, StepFunctionsTopic};
use unstuck_aws::model::step_functions::ExecutionStatus;

fn render(s: &AppState) -> (String, Buffer) {
    let mut terminal = Terminal::new(TestBackend::new(s.size.0, s.size.1)).unwrap();
    terminal.draw(|f| draw(f, s)).unwrap();
    let buffer = terminal.backend().buffer().clone();
    (buffer_text(&buffer), buffer)
}

/// The style of the first cell of `needle` on screen.
fn style_at(text: &str, buffer: &Buffer, needle: &str) -> ratatui::style::Style {
    let width = usize::from(buffer.area.width);
    for (y, line) in text.lines().enumerate() {
        if let Some(byte) = line.find(needle) {
            let x = line[..byte].chars().count();
            let cell = &buffer.content[y * width + x];
            return cell.style();
        }
    }
    panic!("{needle} not on screen:\n{text}")
}

struct Demo {
    machines: Msg,
    running: Msg,
    all: Msg,
    stuck: (String, Msg),
    failed: (String, Msg),
}

async fn demo() -> Demo {
    let backends = unstuck_aws::sim::demo_backends(7);
    tokio::time::sleep(Duration::from_secs(900)).await;
    let (machines, data) = polled(&backends, StepFunctionsTopic::Machines).await;
    let StepFunctionsData::Machines(rows) = data else {
        panic!()
    };
    let arn = rows[0].summary.arn.clone();
    assert!(arn.ends_with(":tax-return-processing"));
    let executions = |status| StepFunctionsTopic::Executions {
        machine_arn: arn.clone(),
        status,
        rows_from: 0,
        pages: 1,
    };
    let (running, data) = polled(&backends, executions(Some(ExecutionStatus::Running))).await;
    let StepFunctionsData::Executions(view) = data else {
        panic!()
    };
    let stuck_arn = view
        .stuck
        .iter()
        .find(|(_, s)| s.reason.contains("task token"))
        .unwrap()
        .0
        .clone();
    let (all, data) = polled(&backends, executions(None)).await;
    let StepFunctionsData::Executions(view) = data else {
        panic!()
    };
    let failed_arn = view
        .executions
        .iter()
        .find(|e| e.status == ExecutionStatus::Failed)
        .unwrap()
        .arn
        .clone();
    let execution = |arn: &str| StepFunctionsTopic::Execution {
        execution_arn: arn.to_string(),
    };
    let (stuck, _) = polled(&backends, execution(&stuck_arn)).await;
    let (failed, _) = polled(&backends, execution(&failed_arn)).await;
    Demo {
        machines,
        running,
        all,
        stuck: (stuck_arn, stuck),
        failed: (failed_arn, failed),
    }
}

fn sized(w: u16, h: u16) -> AppState {
    let mut s = state(true);
    update(&mut s, Msg::Resize(w, h));
    on_action(&mut s, Action::GotoExecutions);
    s
}

#[tokio::test(start_paused = true)]
async fn the_lists_at_160x48_and_80x24() {
    let demo = demo().await;
    for (w, h) in [(160, 48), (80, 24)] {
        let mut s = sized(w, h);
        update(&mut s, clone_polled(&demo.machines));
        let (text, _) = render(&s);
        insta::assert_snapshot!(format!("machines_{w}x{h}"), text);
        on_action(&mut s, Action::Open);
        on_action(&mut s, Action::CycleStatus);
        update(&mut s, clone_polled(&demo.running));
        let (text, _) = render(&s);
        assert!(text.contains("waiting for a task"), "{text}");
        insta::assert_snapshot!(format!("running_executions_{w}x{h}"), text);
    }
}

#[tokio::test(start_paused = true)]
async fn a_stuck_and_a_failed_execution_at_160x48_and_80x24() {
    let demo = demo().await;
    let theme = state(true).theme;
    for (w, h) in [(160, 48), (80, 24)] {
        let mut s = sized(w, h);
        update(&mut s, clone_polled(&demo.machines));
        update(&mut s, clone_polled(&demo.all));
        run_palette(&mut s, &format!("execution {}", demo.stuck.0));
        update(&mut s, clone_polled(&demo.stuck.1));
        let (text, buffer) = render(&s);
        assert!(text.contains("STUCK: waiting for a task token"), "{text}");
        // The waiting state is selected (followed) and drawn in the stuck colour; a state it
        // passed through in the succeeded colour; one not reached dim.
        let waiting = style_at(&text, &buffer, "│ HumanApproval │");
        let label = style_at(&text, &buffer, "HumanApproval │");
        assert_eq!(waiting.fg, theme.status_stuck.fg, "{text}");
        assert!(
            label
                .add_modifier
                .contains(ratatui::style::Modifier::REVERSED)
        );
        insta::assert_snapshot!(format!("stuck_execution_{w}x{h}"), text);
        if w == 160 {
            let passed = style_at(&text, &buffer, "ScreenForFraud");
            assert_eq!(passed.fg, theme.status_ok.fg, "{text}");
        }
        run_palette(&mut s, &format!("execution {}", demo.failed.0));
        update(&mut s, clone_polled(&demo.failed.1));
        let (text, buffer) = render(&s);
        assert!(text.contains("FAILED"), "{text}");
        insta::assert_snapshot!(format!("failed_execution_{w}x{h}"), text);
        let headline = style_at(&text, &buffer, "FAILED");
        assert_eq!(headline.fg, theme.status_failed.fg, "{text}");
    }
}
