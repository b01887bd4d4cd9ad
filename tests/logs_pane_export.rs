//! Exporting the logs pane: the reducer snapshots the filtered lines into an effect, the
//! runtime writes them on a blocking thread (JSONL or text) with progress reports.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod logs_pane_support;

use logs_pane_support::*;

use std::sync::Arc;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use unstuck::commands::{
    Command, CommandOutcome, CommandReport, ExportFormat, ExportJob, write_export,
};
use unstuck::config::{ConfigDirs, Overrides};
use unstuck::state::{AppState, Effect, Msg, StartOptions, update};

fn export_job(s: &mut AppState, path: &std::path::Path) -> ExportJob {
    let effects = palette(s, &format!("export {}", path.display()));
    match effects.as_slice() {
        [Effect::Execute(Command::ExportLines(job))] => job.clone(),
        other => panic!("{other:?} / {}", status(s)),
    }
}

#[test]
fn export_snapshots_the_filtered_lines_and_writes_jsonl_and_text() {
    let dir = tempfile::tempdir().unwrap();
    let (mut s, id) = tailing(160, 48);
    feed(&mut s, id, lambda_events());
    palette(&mut s, "level warn");
    let job = export_job(&mut s, &dir.path().join("warn.jsonl"));
    assert_eq!((job.format, job.rows.len()), (ExportFormat::Jsonl, 6));
    assert!(s.logs.export.is_some());
    assert!(
        palette(&mut s, "export other.txt").is_empty(),
        "one export at a time"
    );
    // Lines keep arriving while the snapshot is written.
    feed(&mut s, id, filler(3));
    let mut reports = Vec::new();
    let summary = write_export(&job, |written, total| reports.push((written, total))).unwrap();
    assert_eq!(reports, [(6, 6)]);
    assert_eq!(
        summary.written, 3,
        "the traceback's 4 lines are one event again"
    );
    let text = std::fs::read_to_string(dir.path().join("warn.jsonl")).unwrap();
    assert!(
        text.lines().all(|l| l.starts_with("{\"timestamp\":")),
        "{text}"
    );
    let records: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(records.len(), 3);
    assert_eq!(records[0]["timestamp"], T0 + 600);
    assert_eq!(records[0]["group"], GROUP);
    assert_eq!(records[0]["stream"], "2026/11/20/[$LATEST]3f9c2a");
    let raw: serde_json::Value =
        serde_json::from_str(records[0]["message"].as_str().unwrap()).unwrap();
    assert_eq!(
        raw["exception_name"], "KeyError",
        "JSON lines are exported as received"
    );
    assert_eq!(
        records[1]["message"],
        "[ERROR] KeyError: 'dependants'\nTraceback (most recent call last):\n  File \"/var/task/app.py\", line 57, in lambda_handler\n    result = process_batch(event[\"Records\"])"
    );
    update(
        &mut s,
        Msg::Command(CommandReport::Progress { done: 3, total: 6 }),
    );
    assert!(status(&s).contains("50% (3/6 lines)"), "{}", status(&s));
    update(
        &mut s,
        Msg::Command(CommandReport::Done(Ok(CommandOutcome::Exported(summary)))),
    );
    assert!(
        status(&s).starts_with("exported 3 events"),
        "{}",
        status(&s)
    );
    assert!(s.logs.export.is_none());

    // Text: what the pane shows, with the full date.
    palette(&mut s, "level all");
    let job = export_job(&mut s, &dir.path().join("all.txt"));
    assert_eq!(job.format, ExportFormat::Text);
    write_export(&job, |_, _| {}).unwrap();
    let text = std::fs::read_to_string(dir.path().join("all.txt")).unwrap();
    assert_eq!(text.lines().count(), s.logs.rows.len());
    assert!(text.lines().nth(2).unwrap().starts_with(
        "2026-11-20T02:45:00.400Z  tax-validate-submission  INFO ❄ validating submission"
    ));
}

#[test]
fn export_reports_progress_in_chunks_and_fails_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let (mut s, id) = tailing(160, 48);
    feed(&mut s, id, filler(12_000));
    let job = export_job(&mut s, &dir.path().join("big.jsonl"));
    let mut reports = Vec::new();
    let summary = write_export(&job, |written, total| reports.push((written, total))).unwrap();
    assert_eq!(
        reports,
        [(5_000, 12_000), (10_000, 12_000), (12_000, 12_000)]
    );
    assert_eq!(summary.written, 12_000);
    // The same file again is refused (nothing is overwritten by accident); `export!` replaces.
    let again = write_export(&job, |_, _| {}).unwrap_err();
    assert!(
        again.contains("already exists") && again.contains(":export!"),
        "{again}"
    );
    let replace = ExportJob {
        overwrite: true,
        ..job.clone()
    };
    assert!(write_export(&replace, |_, _| {}).is_ok());
    let nowhere = ExportJob {
        path: dir.path().join("no-such-dir").join("x.jsonl"),
        ..job
    };
    let error = write_export(&nowhere, |_, _| {}).unwrap_err();
    assert!(error.starts_with("cannot write"), "{error}");
    s.logs.export = Some(unstuck::state::logs::ExportRun {
        path: "x".into(),
        total: 1,
    });
    update(&mut s, Msg::Command(CommandReport::Done(Err(error))));
    assert!(
        status(&s).starts_with("export failed: cannot write"),
        "{}",
        status(&s)
    );
    assert!(!s.quit);
}

/// The runtime carries out the export off the UI thread and the status line reports it.
#[tokio::test(start_paused = true)]
async fn demo_export_runs_in_the_background_and_reports_the_file() {
    use std::time::Duration;
    use unstuck::runtime::{AppRuntime, HeadlessScreen};
    let dir = tempfile::tempdir().unwrap();
    let backends = unstuck_aws::sim::demo_backends(3);
    let config =
        unstuck::config::load(&ConfigDirs { dir: None }, &Overrides::default(), false).unwrap();
    let options = StartOptions {
        read_only: true,
        log_group_prefixes: vec!["/aws/lambda/".into()],
        ..StartOptions::default()
    };
    let state = AppState::new(
        Arc::new(config.keymap),
        config.theme,
        backends.label.clone(),
        options,
    );
    let screen = HeadlessScreen::new(160, 48).unwrap();
    let observer = screen.observer();
    let app = AppRuntime::new(state, screen, backends, ConfigDirs { dir: None }, false);
    let tx = app.sender();
    let handle = tokio::spawn(app.run());
    let send = |code: KeyCode| {
        let tx = tx.clone();
        async move {
            tx.send(Msg::key(KeyEvent::new(code, KeyModifiers::NONE), 0))
                .await
                .unwrap();
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    };
    tokio::time::sleep(Duration::from_secs(5)).await;
    assert!(observer.text().contains("following"), "{}", observer.text());
    let path = dir.path().join("demo.jsonl");
    send(KeyCode::Char(':')).await;
    for c in format!("export {}", path.display()).chars() {
        send(KeyCode::Char(c)).await;
    }
    send(KeyCode::Enter).await;
    // The file is written on a blocking thread, in real time.
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while !observer.text().contains("exported") {
        assert!(std::time::Instant::now() < deadline, "{}", observer.text());
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let text = observer.text();
    let status = text.lines().rev().nth(1).unwrap();
    assert!(status.contains(&path.display().to_string()), "{status}");
    let written = std::fs::read_to_string(&path).unwrap();
    let records: Vec<serde_json::Value> = written
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(records.len() > 100, "{}", records.len());
    assert!(records.iter().all(|r| r["timestamp"].is_i64()
        && r["group"].as_str().unwrap().starts_with("/aws/lambda/")
        && r["message"].is_string()));
    send(KeyCode::Char('q')).await;
    let (state, _) = handle.await.unwrap().unwrap();
    assert!(state.quit && state.logs.export.is_none());
}
