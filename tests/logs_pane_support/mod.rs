//! Shared fixtures of the logs pane tests: realistic Lambda log lines (Powertools JSON, a
//! Python traceback, START/END/REPORT with Init Duration) and a state tailing them.
#![allow(dead_code)]

use std::sync::Arc;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use unstuck::config::{ConfigDirs, Overrides};
use unstuck::state::{AppState, Effect, Msg, StartOptions, draw, update};
use unstuck::tail::TailReport;
use unstuck_aws::api::BackendLabel;
use unstuck_aws::api::{Data, LogsData, Topic};
use unstuck_aws::model::{LogEvent, LogGroup};

pub const T0: i64 = 1_795_142_700_000; // 2026-11-20T02:45:00Z
pub const NOW: i64 = T0 + 120_000;
pub const GROUP: &str = "/aws/lambda/tax-validate-submission";
pub const OTHER_GROUP: &str = "/aws/lambda/tax-enrich-taxpayer";
pub const REQ: &str = "6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b";
pub const WARM: &str = "0a0b0c0d-1111-4222-8333-444455556666";
pub const OPEN: &str = "9e8d7c6b-5a49-4838-a726-150f0e0d0c0b";

pub fn powertools(level: &str, message: &str, request: &str, cold: bool, extra: &str) -> String {
    format!(
        r#"{{"level":"{level}","location":"lambda_handler:58","message":"{message}","timestamp":"2026-11-20 02:45:00,400+0000","service":"tax-validate-submission","cold_start":{cold},"function_name":"tax-validate-submission","function_memory_size":512,"function_arn":"arn:aws:lambda:eu-west-1:123456789012:function:tax-validate-submission","function_request_id":"{request}","submission_id":"SUB-2026-000123"{extra},"xray_trace_id":"1-6740a1b2-bd862e3fe1be46a994272793"}}"#
    )
}

/// A cold invocation that fails (Powertools JSON, a Python traceback, REPORT with Init
/// Duration), a warm one that warns, and one still running in another function.
pub fn lambda_events() -> Vec<LogEvent> {
    let stream = "2026/11/20/[$LATEST]3f9c2a";
    let exception = r#","exception":"Traceback (most recent call last):\n  File \"/var/task/app.py\", line 57, in lambda_handler\nKeyError: 'dependants'","exception_name":"KeyError""#;
    let lines: Vec<(i64, &str, &str, String)> = vec![
        (0, GROUP, stream, "INIT_START Runtime Version: python:3.12.v40\tRuntime Version ARN: arn:aws:lambda:eu-west-1::runtime:abc".into()),
        (313, GROUP, stream, format!("START RequestId: {REQ} Version: $LATEST")),
        (400, GROUP, stream, powertools("INFO", "validating submission", REQ, true, "")),
        (600, GROUP, stream, powertools("ERROR", "submission rejected", REQ, true, exception)),
        (601, GROUP, stream, "[ERROR] KeyError: 'dependants'\nTraceback (most recent call last):\n  File \"/var/task/app.py\", line 57, in lambda_handler\n    result = process_batch(event[\"Records\"])".into()),
        (725, GROUP, stream, format!("END RequestId: {REQ}")),
        (726, GROUP, stream, format!("REPORT RequestId: {REQ}\tDuration: 412.30 ms\tBilled Duration: 725 ms\tMemory Size: 512 MB\tMax Memory Used: 87 MB\tInit Duration: 312.45 ms")),
        (2000, GROUP, stream, format!("START RequestId: {WARM} Version: $LATEST")),
        (2050, GROUP, stream, powertools("WARNING", "DynamoDB throttled the request, retrying", WARM, false, r#","error_code":"ProvisionedThroughputExceededException","retry_attempt":2"#)),
        (2100, GROUP, stream, powertools("INFO", "submission validated", WARM, false, "")),
        (2130, GROUP, stream, format!("END RequestId: {WARM}")),
        (2131, GROUP, stream, format!("REPORT RequestId: {WARM}\tDuration: 130.00 ms\tBilled Duration: 130 ms\tMemory Size: 512 MB\tMax Memory Used: 90 MB")),
        (2500, OTHER_GROUP, "2026/11/20/[$LATEST]77aa", format!("START RequestId: {OPEN} Version: $LATEST")),
        (2510, OTHER_GROUP, "2026/11/20/[$LATEST]77aa", format!("2026-11-20T02:45:02.510Z\t{OPEN}\tINFO\tcalling taxpayer registry")),
    ];
    lines
        .into_iter()
        .enumerate()
        .map(|(i, (offset, group, stream, message))| LogEvent {
            timestamp_ms: T0 + offset,
            ingestion_time_ms: T0 + offset,
            group: group.into(),
            stream: stream.into(),
            event_id: format!("e{i}"),
            message,
        })
        .collect()
}

pub fn filler(n: i64) -> Vec<LogEvent> {
    (0..n)
        .map(|i| LogEvent {
            timestamp_ms: T0 + 3_000 + i * 10,
            ingestion_time_ms: T0 + 3_000 + i * 10,
            group: OTHER_GROUP.into(),
            stream: "2026/11/20/[$LATEST]77aa".into(),
            event_id: format!("f{i}"),
            message: format!("2026-11-20T02:45:03.000Z\t{OPEN}\tINFO\tpolling registry {i}"),
        })
        .collect()
}

/// A state tailing both groups at `w`x`h`; returns it and the tail id.
pub fn tailing(w: u16, h: u16) -> (AppState, u64) {
    let config =
        unstuck::config::load(&ConfigDirs { dir: None }, &Overrides::default(), false).unwrap();
    let label = BackendLabel {
        profile: "test".into(),
        region: "eu-west-1".into(),
        endpoint_url: None,
        is_demo: false,
    };
    let options = StartOptions {
        log_group_prefixes: vec!["/aws/lambda/tax-".into()],
        ..StartOptions::default()
    };
    let mut s = AppState::new(Arc::new(config.keymap), config.theme, label, options);
    update(&mut s, Msg::Resize(w, h));
    let effects = update(
        &mut s,
        Msg::Polled {
            topic: Topic::LOG_GROUPS,
            at_ms: NOW,
            result: Ok(Data::Logs(LogsData::Groups(vec![
                LogGroup::named(GROUP),
                LogGroup::named(OTHER_GROUP),
            ]))),
        },
    );
    let [Effect::StartTail(spec), ..] = &effects[..] else {
        panic!("{effects:?}")
    };
    (s, spec.tail_id)
}

pub fn feed(s: &mut AppState, tail_id: u64, events: Vec<LogEvent>) -> Vec<Effect> {
    update(
        s,
        Msg::Tail(TailReport::Events {
            tail_id,
            at_ms: NOW,
            events,
        }),
    )
}

pub fn press(s: &mut AppState, code: KeyCode) -> Vec<Effect> {
    update(s, Msg::key(KeyEvent::new(code, KeyModifiers::NONE), 0))
}

pub fn keys(s: &mut AppState, text: &str) {
    for c in text.chars() {
        press(s, KeyCode::Char(c));
    }
}

pub fn palette(s: &mut AppState, line: &str) -> Vec<Effect> {
    keys(s, ":");
    keys(s, line);
    press(s, KeyCode::Enter)
}

pub fn selected_text(s: &AppState) -> String {
    let logs = &s.logs;
    let index = logs
        .shown_row_index(logs.cursor_position().unwrap())
        .unwrap();
    logs.rows[index].text.clone()
}

pub fn status(s: &AppState) -> String {
    s.shown_status().map(|m| m.text.clone()).unwrap_or_default()
}

pub fn render(s: &AppState) -> (String, Buffer) {
    let mut terminal = Terminal::new(TestBackend::new(s.size.0, s.size.1)).unwrap();
    terminal.draw(|f| draw(f, s)).unwrap();
    let buffer = terminal.backend().buffer().clone();
    let text = buffer
        .content
        .chunks(usize::from(s.size.0))
        .map(|row| {
            row.iter()
                .map(|c| c.symbol())
                .collect::<String>()
                .trim_end()
                .to_string()
        })
        .collect::<Vec<_>>()
        .join("\n");
    (text, buffer)
}

/// Screen position (x, y) of the first `ch` on the first row of `text` that contains `row`.
pub fn position_on_row(text: &str, row: &str, ch: char) -> (u16, u16) {
    let y = text
        .lines()
        .position(|l| l.contains(row))
        .unwrap_or_else(|| panic!("no row contains {row:?}:\n{text}"));
    let x = text
        .lines()
        .nth(y)
        .and_then(|l| l.chars().position(|c| c == ch))
        .unwrap_or_else(|| panic!("no {ch:?} on the row with {row:?}"));
    (u16::try_from(x).unwrap(), u16::try_from(y).unwrap())
}
