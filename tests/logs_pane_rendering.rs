//! What reaches the terminal from the logs pane: no escape sequence or control character
//! from a log line, in any mode; and snapshots of the new modes at 80x24 and 160x48.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod logs_pane_support;

use logs_pane_support::*;

use crossterm::event::KeyCode;
use unstuck::state::AppState;
use unstuck_aws::model::LogEvent;

/// Control characters, escapes and bidi controls that must never reach the terminal.
fn dangerous(c: char) -> bool {
    let code = u32::from(c);
    code < 0x20
        || (0x7f..=0x9f).contains(&code)
        || matches!(c, '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

#[test]
fn escape_sequences_never_reach_the_screen_in_any_mode() {
    let (mut s, id) = tailing(160, 48);
    let corpus = [
        "copy \u{1b}]52;c;ZWNobyBwd25lZA==\u{7} done",
        "clear \u{1b}[2J\u{1b}[H home \u{1b}]8;;http://x\u{1b}\\link\u{1b}]8;;\u{1b}\\",
        "c1 \u{9b}31m csi \u{85} nel \u{9d}osc",
        "bidi \u{202E}txt.exe\u{202C} \u{2066}iso\u{2069} del\u{7f} nul\u{0} bell\u{7}",
        r#"{"level":"ERROR","message":"json \u001b]52;c;eA==\u0007 \u009b2J \u202e","k\u001b[1m":{"nested":"\u001b[2J\r\nline"},"function_request_id":"6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b"}"#,
        "START RequestId: 6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b\u{1b}[31m Version: $LATEST",
        "[ERROR]\t2026-11-20T02:45:00Z\t6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b\tboom \u{1b}]0;title\u{7}\r\n  frame \u{9b}1m\r\n",
    ];
    let events = corpus
        .iter()
        .enumerate()
        .map(|(i, m)| LogEvent {
            timestamp_ms: T0 + i64::try_from(i).unwrap(),
            ingestion_time_ms: T0,
            group: GROUP.into(),
            stream: "s\u{1b}[2J".into(),
            event_id: i.to_string(),
            message: (*m).into(),
        })
        .collect();
    feed(&mut s, id, events);
    let check = |s: &AppState, mode: &str| {
        let (_, buffer) = render(s);
        for cell in &buffer.content {
            assert!(
                !cell.symbol().chars().any(dangerous),
                "{mode}: {:?} reached the screen",
                cell.symbol()
            );
        }
    };
    check(&s, "lines");
    palette(&mut s, "highlight json|frame|bidi");
    keys(&mut s, "n");
    check(&s, "highlight");
    press(&mut s, KeyCode::Enter);
    check(&s, "detail of a JSON line");
    press(&mut s, KeyCode::Esc);
    keys(&mut s, "n");
    press(&mut s, KeyCode::Enter);
    check(&s, "detail of a plain line");
    press(&mut s, KeyCode::Esc);
    keys(&mut s, "i");
    check(&s, "invocations");
    press(&mut s, KeyCode::Enter);
    check(&s, "detail of an invocation");
}

#[test]
fn snapshots_of_the_new_modes() {
    for (w, h) in [(40, 12), (80, 24), (160, 48)] {
        let (mut s, id) = tailing(w, h);
        feed(&mut s, id, lambda_events());
        palette(&mut s, "highlight KeyError");
        keys(&mut s, "n");
        insta::assert_snapshot!(format!("lines_highlight_paused_{w}x{h}"), render(&s).0);
        keys(&mut s, "i");
        insta::assert_snapshot!(format!("invocations_{w}x{h}"), render(&s).0);
        keys(&mut s, "i");
        // Back on the invocation's first line (START); the JSON error is the next match.
        keys(&mut s, "N");
        press(&mut s, KeyCode::Enter);
        insta::assert_snapshot!(format!("detail_json_{w}x{h}"), render(&s).0);
    }
}

#[test]
fn wrap_and_sideways_scroll_fit_long_lines_at_any_width() {
    for (w, h) in [(40, 12), (80, 24)] {
        let (mut s, id) = tailing(w, h);
        feed(&mut s, id, lambda_events());
        let (cut, _) = render(&s);
        // The common "tax-" is not drawn: the tag column keeps the function's own name.
        assert!(cut.contains(" valida"), "{cut}");
        assert!(!cut.contains("tax-valid"), "{cut}");
        press(&mut s, KeyCode::Right);
        let (scrolled, _) = render(&s);
        assert_ne!(scrolled, cut, "right scrolls the text");
        // The time column stays while the text moves.
        assert!(scrolled.contains("02:45:02.131"), "{scrolled}");
        press(&mut s, KeyCode::Left);
        assert_eq!(render(&s).0, cut);
        keys(&mut s, "w");
        let (wrapped, _) = render(&s);
        insta::assert_snapshot!(format!("lines_wrapped_{w}x{h}"), wrapped);
        // The newest line is still on screen, to its last word.
        assert!(wrapped.contains("regis"), "{wrapped}");
    }
}

#[test]
fn invocation_columns_stay_apart_with_long_durations_at_any_width() {
    let id = "b3b9d75a-0000-4000-8000-000000000001";
    let slow = |offset: i64, message: String| unstuck_aws::model::LogEvent {
        timestamp_ms: T0 + offset,
        ingestion_time_ms: T0 + offset,
        group: GROUP.into(),
        stream: "s".into(),
        event_id: format!("slow{offset}"),
        message,
    };
    for (w, h) in [(40, 12), (80, 24), (160, 48)] {
        let (mut s, tail) = tailing(w, h);
        feed(
            &mut s,
            tail,
            vec![
                slow(0, format!("START RequestId: {id} Version: $LATEST")),
                slow(1_669, format!("END RequestId: {id}")),
                slow(
                    1_670,
                    format!(
                        "REPORT RequestId: {id}\tDuration: 1669.20 ms\tBilled Duration: 1670 ms\tMemory Size: 512 MB\tMax Memory Used: 91 MB"
                    ),
                ),
            ],
        );
        keys(&mut s, "i");
        let screen = render(&s).0;
        if w >= 80 {
            let after_id = screen.split("b3b9d75a").nth(1).unwrap_or_default();
            assert!(
                after_id.trim_start().starts_with("1669"),
                "{w}x{h}: {screen}"
            );
        }
        assert!(!screen.contains("b3b9d75a1669"), "{w}x{h}: {screen}");
    }
}
