//! The logs pane's features through the reducer and the real views: compact JSON lines,
//! grouping by invocation, the level filter, highlight and n/N, jumping to a time, the
//! CloudWatch filter pattern, the detail overlay and mouse selection.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod logs_pane_support;

use logs_pane_support::*;

use crossterm::event::{KeyCode, KeyModifiers};
use unstuck::state::{AppState, Effect, Msg, update};
use unstuck::tail::TailReport;
use unstuck_aws::model::{BackendError, LogEvent};
use unstuck_views::logs::invocation_row::InvocationOutcome;
use unstuck_views::logs::log_row::Level;
use unstuck_views::logs::props::MatchMode;

#[test]
fn powertools_json_becomes_a_compact_line_with_its_level() {
    let (mut s, id) = tailing(160, 48);
    feed(&mut s, id, lambda_events());
    let row = &s.logs.rows[2];
    assert_eq!(
        row.text,
        "INFO ❄ validating submission  submission_id=SUB-2026-000123 req=6f1c2a3b trace=bd862e3f"
    );
    assert_eq!(row.level, Some(Level::Info));
    assert_eq!(row.request_id.as_deref(), Some(REQ));
    assert!(row.json.as_ref().unwrap().raw.contains("\"function_arn\""));
    let warn = s
        .logs
        .rows
        .iter()
        .find(|r| r.text.starts_with("WARN"))
        .unwrap();
    assert_eq!(
        warn.text,
        "WARN DynamoDB throttled the request, retrying  submission_id=SUB-2026-000123 error_code=ProvisionedThroughputExceededException retry_attempt=2 req=0a0b0c0d trace=bd862e3f"
    );
    // The level word is drawn in the theme's level colour.
    let (text, buffer) = render(&s);
    let cell = &buffer[position_on_row(&text, "WARN DynamoDB", 'W')];
    assert_eq!(cell.fg, s.theme.log_warn.fg.unwrap());
}

#[test]
fn invocations_fold_start_to_report_with_numbers_cold_mark_and_error_lines() {
    let (mut s, id) = tailing(160, 48);
    feed(&mut s, id, lambda_events());
    press(&mut s, KeyCode::Char('i'));
    assert!(s.logs.by_invocation);
    assert_eq!(s.logs.shown_len(), 3);
    let items = &s.logs.invocations.items;
    let cold = &items[0];
    assert_eq!(&*cold.request_id, REQ);
    assert_eq!(cold.outcome(), InvocationOutcome::Failed);
    assert_eq!(
        (
            cold.duration_ms,
            cold.billed_ms,
            cold.memory_size_mb,
            cold.max_memory_used_mb
        ),
        (Some(412.3), Some(725.0), Some(512), Some(87))
    );
    assert_eq!(cold.init_duration_ms, Some(312.45));
    assert!(cold.cold_start);
    assert_eq!(
        cold.line_count, 9,
        "START, 2 JSON, 4 traceback rows, END, REPORT"
    );
    assert_eq!(cold.error_lines.len(), 5);
    assert!(cold.error_lines[0].starts_with("ERROR ❄ submission rejected"));
    assert_eq!(cold.error_lines[1], "[ERROR] KeyError: 'dependants'");
    assert_eq!(cold.error_lines[2], "Traceback (most recent call last):");
    let warm = &items[1];
    assert_eq!(
        (warm.outcome(), warm.cold_start),
        (InvocationOutcome::Succeeded, false)
    );
    assert_eq!(warm.max_level, Some(Level::Warn));
    assert_eq!(items[2].outcome(), InvocationOutcome::Running);
    let (text, _) = render(&s);
    let summary = text.lines().find(|l| l.contains("6f1c2a3b")).unwrap();
    for part in [
        "02:45:00.313",
        "✗ ERROR",
        "412.30 ms",
        "billed   725 ms",
        "87/512 MB",
        "init 312.45 ms",
        "❄ cold start",
    ] {
        assert!(summary.contains(part), "{part} missing in {summary}");
    }
    let error_line = text
        .lines()
        .find(|l| l.contains("[ERROR] KeyError: 'dependants'"))
        .unwrap();
    assert!(
        error_line.starts_with("│             ┆      "),
        "indented under it: {text}"
    );
    assert!(text.contains("… 2 more error lines"), "{text}");
    assert!(
        text.lines()
            .any(|l| l.contains("9e8d7c6b") && l.contains("… running"))
    );
    // Back to lines, at the same place.
    press(&mut s, KeyCode::Char('i'));
    assert!(!s.logs.by_invocation);
    assert_eq!(s.logs.shown_len(), s.logs.rows.len());
}

#[test]
fn level_filter_cycles_and_hides_unlevelled_platform_lines_at_warn() {
    let (mut s, id) = tailing(160, 48);
    feed(&mut s, id, lambda_events());
    let shown = |s: &AppState| -> Vec<String> {
        (0..s.logs.shown_len())
            .map(|i| s.logs.rows[s.logs.shown_row_index(i).unwrap()].text.clone())
            .collect()
    };
    let all = s.logs.rows.len();
    keys(&mut s, "LL");
    assert_eq!(s.logs.min_level, Some(Level::Info));
    assert_eq!(shown(&s).len(), all, "nothing here is DEBUG");
    keys(&mut s, "L");
    assert!(status(&s).contains("WARN+"), "{}", status(&s));
    let warn_up = shown(&s);
    assert_eq!(warn_up.len(), 6, "{warn_up:?}");
    assert!(
        warn_up
            .iter()
            .all(|t| !t.starts_with("START") && !t.starts_with("REPORT"))
    );
    keys(&mut s, "L");
    assert_eq!(
        shown(&s).len(),
        5,
        "ERROR: the JSON error and the 4-line traceback"
    );
    keys(&mut s, "L");
    assert_eq!((s.logs.min_level, shown(&s).len()), (None, all));
    palette(&mut s, "level error");
    assert_eq!(s.logs.min_level, Some(Level::Error));
}

#[test]
fn highlight_mode_keeps_every_line_and_n_and_shift_n_walk_the_matches() {
    let (mut s, id) = tailing(160, 48);
    feed(&mut s, id, lambda_events());
    palette(&mut s, "highlight KeyError");
    assert_eq!(s.logs.match_mode, MatchMode::Highlight);
    assert_eq!(s.logs.shown_len(), s.logs.rows.len());
    keys(&mut s, "n");
    assert!(!s.logs.follow, "a jump pauses");
    assert_eq!(selected_text(&s), "[ERROR] KeyError: 'dependants'");
    keys(&mut s, "n");
    assert!(selected_text(&s).starts_with("ERROR ❄ submission rejected"));
    keys(&mut s, "n");
    assert_eq!(status(&s), "no older match");
    assert!(selected_text(&s).starts_with("ERROR ❄ submission rejected"));
    keys(&mut s, "N");
    assert_eq!(selected_text(&s), "[ERROR] KeyError: 'dependants'");
    // Matches are drawn in the match style, the selected row in the selection style.
    let (text, buffer) = render(&s);
    let (x, y) = position_on_row(&text, "[ERROR] KeyError", 'K');
    assert_eq!(buffer[(x, y)].bg, s.theme.chrome_match.bg.unwrap());
    assert_eq!(buffer[(3, y)].bg, s.theme.chrome_selection.bg.unwrap());
    // `h` turns the same regex into a filter that hides the rest.
    keys(&mut s, "h");
    assert_eq!(s.logs.match_mode, MatchMode::Hide);
    assert_eq!(s.logs.shown_len(), 2);
    assert_eq!(
        selected_text(&s),
        "[ERROR] KeyError: 'dependants'",
        "selection kept"
    );
}

#[test]
fn jump_to_time_puts_the_first_line_at_that_time_on_top_and_pauses() {
    let (mut s, id) = tailing(80, 24);
    feed(&mut s, id, lambda_events());
    feed(&mut s, id, filler(100));
    palette(&mut s, "time 02:45:02");
    assert!(!s.logs.follow);
    assert_eq!(
        selected_text(&s),
        format!("START RequestId: {WARM} Version: $LATEST")
    );
    let (text, _) = render(&s);
    let first_row = text.lines().nth(2).unwrap();
    assert!(
        first_row.contains("02:45:02.000") && first_row.contains("START"),
        "{text}"
    );
    assert!(text.contains("paused"), "{text}");
    // With seconds, as RFC 3339, and relative to the newest message time.
    palette(&mut s, "time 2026-11-20T02:45:00.600Z");
    assert!(selected_text(&s).starts_with("ERROR ❄ submission rejected"));
    palette(&mut s, "time -1m");
    assert!(
        status(&s).contains("nothing at or after 02:46:00"),
        "{}",
        status(&s)
    );
    palette(&mut s, "time yesterday-ish");
    assert!(
        s.prompt()
            .unwrap()
            .error
            .as_deref()
            .unwrap()
            .contains("try 02:45")
    );
}

#[test]
fn a_rejected_filter_pattern_keeps_the_lines_and_the_previous_pattern() {
    let (mut s, id) = tailing(160, 48);
    feed(&mut s, id, lambda_events());
    let held = s.logs.rows.len();
    let effects = palette(&mut s, "pattern { $.level = ");
    let [Effect::StartTail(trial)] = &effects[..] else {
        panic!("{effects:?}")
    };
    assert_eq!(trial.filter_pattern.as_deref(), Some("{ $.level ="));
    assert_eq!(s.logs.rows.len(), held, "lines stay until AWS answers");
    let (text, _) = render(&s);
    assert!(text.contains("aws: { $.level = (checking…)"), "{text}");
    let effects = update(
        &mut s,
        Msg::Tail(TailReport::Failed {
            tail_id: trial.tail_id,
            at_ms: NOW,
            group: GROUP.into(),
            error: BackendError::InvalidInput("invalid filter pattern \"{ $.level =\"".into()),
        }),
    );
    assert!(
        status(&s).starts_with("filter pattern rejected: invalid filter pattern"),
        "{}",
        status(&s)
    );
    assert_eq!(s.logs.filter_pattern, None);
    assert_eq!(s.logs.rows.len(), held);
    let [Effect::StartTail(again)] = &effects[..] else {
        panic!("{effects:?}")
    };
    assert_eq!(again.filter_pattern, None);
    assert!(
        again.backfill_ms < 5 * 60_000,
        "only since a little before the newest line"
    );
    // What the restarted tail sends again is not shown twice.
    feed(&mut s, again.tail_id, lambda_events()[10..].to_vec());
    assert_eq!(s.logs.rows.len(), held);
    // P offers the refused pattern for editing.
    keys(&mut s, "P");
    assert_eq!(s.prompt().unwrap().input.text, "pattern { $.level =");
    press(&mut s, KeyCode::Esc);
    // An accepted pattern replaces the lines with what AWS sends.
    let effects = palette(&mut s, "pattern ERROR");
    let [Effect::StartTail(good)] = &effects[..] else {
        panic!("{effects:?}")
    };
    let errors: Vec<LogEvent> = lambda_events()
        .into_iter()
        .filter(|e| e.message.contains("ERROR"))
        .collect();
    feed(&mut s, good.tail_id, errors.clone());
    assert_eq!(
        s.logs
            .rows
            .iter()
            .filter(|r| r.kind != unstuck_views::logs::log_row::RowKind::Continuation)
            .count(),
        errors.len()
    );
    assert_eq!(status(&s), "filter pattern applied by AWS: ERROR");
}

#[test]
fn detail_shows_pretty_foldable_json_and_whole_events() {
    let (mut s, id) = tailing(160, 48);
    feed(&mut s, id, lambda_events());
    palette(&mut s, "highlight submission rejected");
    keys(&mut s, "n");
    press(&mut s, KeyCode::Enter);
    let detail = s.detail().unwrap();
    let text: Vec<String> = detail.lines.iter().map(|l| l.text()).collect();
    assert!(
        text.contains(&format!("  \"function_request_id\": \"{REQ}\",")),
        "{text:?}"
    );
    assert!(
        text.iter()
            .any(|l| l.contains("\"exception\": \"Traceback (most recent call last):"))
    );
    assert!(
        text.iter().any(|l| l.contains("KeyError: 'dependants'\",")),
        "{text:?}"
    );
    let lines = detail.lines.len();
    let (screen, _) = render(&s);
    assert!(
        screen.contains("JSON line") && screen.contains("space fold/unfold"),
        "{screen}"
    );
    // Fold and unfold everything nested; the top level stays open.
    press(&mut s, KeyCode::Char('-'));
    assert_eq!(
        s.detail().unwrap().lines.len(),
        lines,
        "nothing nested in this line"
    );
    press(&mut s, KeyCode::Char(' '));
    let folded = s.detail().unwrap();
    assert!(
        folded.lines.iter().any(|l| l.text().contains("{…")),
        "root folded"
    );
    press(&mut s, KeyCode::Char('+'));
    assert_eq!(s.detail().unwrap().lines.len(), lines);
    press(&mut s, KeyCode::Char('q'));
    assert!(
        s.detail().is_none() && !s.quit,
        "q closes the detail, not the app"
    );
    // A traceback row opens the whole event.
    palette(&mut s, "highlight Traceback");
    keys(&mut s, "N");
    press(&mut s, KeyCode::Enter);
    let event: Vec<String> = s.detail().unwrap().lines.iter().map(|l| l.text()).collect();
    let start = event
        .iter()
        .position(|l| l == "[ERROR] KeyError: 'dependants'")
        .unwrap();
    assert_eq!(event.len() - start, 4, "{event:?}");
    press(&mut s, KeyCode::Esc);
    // On an invocation: every line of that request.
    press(&mut s, KeyCode::Char('i'));
    palette(&mut s, "time 02:45:00");
    press(&mut s, KeyCode::Enter);
    let detail = s.detail().unwrap();
    assert!(detail.title.starts_with("invocation 6f1c2a3b"));
    assert_eq!(
        detail
            .lines
            .iter()
            .filter(|l| l.text().starts_with("02:45:00."))
            .count(),
        6
    );
}

#[test]
fn mouse_click_selects_a_row_and_pauses() {
    use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
    let (mut s, id) = tailing(160, 48);
    feed(&mut s, id, lambda_events());
    update(
        &mut s,
        Msg::Mouse {
            at_ms: 0,
            mouse: MouseEvent {
                kind: MouseEventKind::Down(MouseButton::Left),
                column: 20,
                row: 2 + 3,
                modifiers: KeyModifiers::NONE,
            },
        },
    );
    assert!(!s.logs.follow);
    assert!(selected_text(&s).starts_with("ERROR ❄ submission rejected"));
}
