//! How the executions pane looks, on the demo world's data at a fixed simulated time: the
//! machines, a machine's running executions, a stuck execution (its graph with the waiting
//! state selected and coloured by the `status.stuck` slot), a failed one, at 160x48 and 80x24.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod executions_support;

use executions_support::{clone_polled, demo_executions, run_palette, state};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use unstuck::config::Action;
use unstuck::runtime::buffer_text;
use unstuck::state::shell::keys::on_action;
use unstuck::state::{AppState, Msg, draw, update};

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

fn sized(w: u16, h: u16) -> AppState {
    let mut s = state(true);
    update(&mut s, Msg::Resize(w, h));
    on_action(&mut s, Action::GotoExecutions);
    s
}

#[tokio::test(start_paused = true)]
async fn the_lists_at_160x48_and_80x24() {
    let demo = demo_executions().await;
    for (w, h) in [(160, 48), (80, 24)] {
        let mut s = sized(w, h);
        update(&mut s, clone_polled(&demo.machines));
        let (text, _) = render(&s);
        insta::assert_snapshot!(format!("machines_{w}x{h}"), text);
        on_action(&mut s, Action::Open);
        on_action(&mut s, Action::CycleStatus);
        update(&mut s, clone_polled(&demo.running.0));
        let (text, _) = render(&s);
        assert!(text.contains("waiting for a task"), "{text}");
        insta::assert_snapshot!(format!("running_executions_{w}x{h}"), text);
    }
}

#[tokio::test(start_paused = true)]
async fn a_stuck_and_a_failed_execution_at_160x48_and_80x24() {
    let demo = demo_executions().await;
    let theme = state(true).theme;
    for (w, h) in [(160, 48), (80, 24)] {
        let mut s = sized(w, h);
        update(&mut s, clone_polled(&demo.machines));
        update(&mut s, clone_polled(&demo.all.0));
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
