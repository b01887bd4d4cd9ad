//! Copy and pivot in the logs pane: `:copy line|json|id` (key `y`), `r` for every line of the
//! selected request across groups; and the runtime putting the text on the clipboard through
//! OSC 52 (when turned on) or in a private file.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod app_support;
mod logs_pane_support;

use std::time::Duration;

use crossterm::event::KeyCode;
use logs_pane_support::*;
use unstuck::runtime::Clipboard;
use unstuck::state::logs::Clip;
use unstuck::state::{Effect, StartOptions};

fn clip(effects: &[Effect]) -> Option<Clip> {
    effects.iter().find_map(|e| match e {
        Effect::Copy(clip) => Some(clip.clone()),
        _ => None,
    })
}

/// Tailing the fixture, paused with the JSON error line of REQ selected.
fn on_the_json_error() -> unstuck::state::AppState {
    let (mut s, id) = tailing(120, 30);
    feed(&mut s, id, lambda_events());
    palette(&mut s, "highlight submission rejected");
    keys(&mut s, "n");
    assert!(selected_text(&s).contains("submission rejected"));
    s
}

#[test]
fn copy_takes_the_line_its_json_or_its_request_id() {
    let mut s = on_the_json_error();
    let id = clip(&palette(&mut s, "copy id")).expect("an id to copy");
    assert_eq!(id.text, REQ);
    let json = clip(&palette(&mut s, "copy json")).expect("JSON to copy");
    assert!(json.text.starts_with("{\n"), "pretty: {}", json.text);
    assert!(json.text.contains("\"exception_name\": \"KeyError\""));
    let line = clip(&palette(&mut s, "copy")).expect("the line");
    assert!(line.text.contains("submission rejected"));
    // `y` opens the palette on :copy, with what it can copy offered.
    press(&mut s, KeyCode::Esc);
    keys(&mut s, "y");
    let screen = render(&s).0;
    assert!(screen.contains(":copy"), "{screen}");
    assert!(screen.contains("json"), "{screen}");
}

#[test]
fn a_plain_line_has_no_json_to_copy_and_says_so() {
    let (mut s, id) = tailing(120, 30);
    feed(&mut s, id, lambda_events());
    keys(&mut s, "k");
    assert!(clip(&palette(&mut s, "copy json")).is_none());
    assert!(status(&s).contains("no JSON"), "{}", status(&s));
    assert!(clip(&palette(&mut s, "copy nonsense")).is_none());
}

#[test]
fn r_shows_every_line_of_the_request_and_its_trace_across_groups() {
    let mut s = on_the_json_error();
    keys(&mut s, "r");
    let shown: Vec<String> = (0..s.logs.shown_len())
        .map(|i| s.logs.rows[s.logs.shown_row_index(i).unwrap()].text.clone())
        .collect();
    assert!(
        shown
            .iter()
            .any(|t| t.starts_with("START RequestId: 6f1c2a3b"))
    );
    assert!(
        shown
            .iter()
            .any(|t| t.starts_with("REPORT RequestId: 6f1c2a3b"))
    );
    // The other functions' lines of the same X-Ray trace come with it; unrelated ones do not.
    assert!(shown.iter().all(|t| !t.contains("INIT_START")));
    assert!(
        !shown
            .iter()
            .any(|t| t.contains("calling taxpayer registry"))
    );
    assert!(status(&s).contains(REQ), "{}", status(&s));
    // ctrl-l shows everything again.
    update_key_ctrl_l(&mut s);
    assert_eq!(s.logs.shown_len(), s.logs.rows.len());
}

fn update_key_ctrl_l(s: &mut unstuck::state::AppState) {
    use crossterm::event::{KeyEvent, KeyModifiers};
    unstuck::state::update(
        s,
        unstuck::state::Msg::key(KeyEvent::new(KeyCode::Char('l'), KeyModifiers::CONTROL), 0),
    );
}

#[tokio::test(start_paused = true)]
async fn the_runtime_copies_through_osc52_or_to_a_private_file() {
    let options = || StartOptions {
        log_group_prefixes: vec!["/aws/lambda/".into()],
        ..StartOptions::default()
    };
    let (tx, screen, handle) = app_support::start_app_with(
        unstuck_aws::sim::demo_backends(3),
        options(),
        120,
        30,
        |app| app.with_clipboard(Clipboard::Osc52),
    );
    app_support::wait_for(&screen, "following", 10).await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    app_support::key(&tx, KeyCode::Up).await;
    app_support::typed(&tx, ":copy line").await;
    app_support::key(&tx, KeyCode::Enter).await;
    let text = app_support::wait_for(&screen, "via the terminal", 5).await;
    let sent = screen.clipboard();
    assert_eq!(sent.len(), 1, "{text}");
    assert!(sent[0].starts_with("\u{1b}]52;c;") && sent[0].ends_with('\u{7}'));
    app_support::quit(&tx, handle).await;

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("clipboard.txt");
    let file = path.clone();
    let (tx, screen, handle) = app_support::start_app_with(
        unstuck_aws::sim::demo_backends(3),
        options(),
        160,
        30,
        move |app| app.with_clipboard(Clipboard::File(file)),
    );
    app_support::wait_for(&screen, "following", 10).await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    app_support::key(&tx, KeyCode::Up).await;
    app_support::typed(&tx, ":copy").await;
    app_support::key(&tx, KeyCode::Enter).await;
    app_support::wait_for(&screen, "written to", 5).await;
    assert!(screen.clipboard().is_empty());
    let copied = std::fs::read_to_string(&path).unwrap();
    assert!(!copied.trim().is_empty());
    app_support::quit(&tx, handle).await;
}
