//! The executions pane in the real app (runtime, reducer, views, executor) on the demo world,
//! in paused time: machines with their counts, a machine's running executions with the stuck
//! reason, one stuck execution drawn as a graph with its history, a task token answered from
//! the pane through the confirm dialog (audited, the new status within one refresh), the
//! step's logs, and what read-only and bad input say.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod app_support;

use std::time::Duration;

use app_support::*;
use crossterm::event::KeyCode;
use unstuck::commands::AuditLog;
use unstuck::state::StartOptions;

fn options(read_only: bool) -> StartOptions {
    StartOptions {
        read_only,
        ..StartOptions::default()
    }
}

/// The name of the first execution on screen whose row says it waits for a task token.
fn first_stuck_name(text: &str) -> String {
    text.lines()
        .find(|l| l.contains("waiting for a task token"))
        .and_then(|l| l.trim_start_matches('│').split_whitespace().next())
        .unwrap_or_else(|| panic!("no stuck execution on screen:\n{text}"))
        .to_string()
}

/// Open the machines list, tax-return-processing's running executions, and the first stuck one.
async fn open_a_stuck_execution(
    tx: &tokio::sync::mpsc::Sender<unstuck::state::Msg>,
    screen: &unstuck::runtime::ScreenObserver,
) -> String {
    key(tx, KeyCode::Char('4')).await;
    let text = wait_for(screen, "tax-amendment-review", 10).await;
    assert!(text.contains("state machines · 2"), "{text}");
    assert!(
        text.contains("RUNNING") && text.contains("FAILED 24H"),
        "{text}"
    );
    key(tx, KeyCode::Enter).await;
    wait_for(screen, "executions · tax-return-processing · all", 10).await;
    key(tx, KeyCode::Char('s')).await;
    let text = wait_for(screen, "waiting for a task token", 20).await;
    assert!(
        text.contains("executions · tax-return-processing · running"),
        "{text}"
    );
    let name = first_stuck_name(&text);
    key(tx, KeyCode::Char('/')).await;
    typed(tx, &format!("^{name}$")).await;
    key(tx, KeyCode::Enter).await;
    key(tx, KeyCode::Enter).await;
    let text = wait_for(screen, "STUCK: waiting for a task token", 20).await;
    assert!(
        text.contains(&format!("execution · tax-return-processing/{name}")),
        "{text}"
    );
    name
}

#[tokio::test(start_paused = true)]
async fn demo_a_stuck_execution_is_explained_and_its_token_answered_from_the_pane() {
    let dir = tempfile::tempdir().unwrap();
    let audit = dir.path().join("audit.jsonl");
    let backends = unstuck_aws::sim::demo_backends(7);
    let log = AuditLog::at(&audit);
    let (tx, screen, handle) = start_app_with(backends, options(false), 160, 48, |app| {
        app.with_audit_log(log)
    });
    let name = open_a_stuck_execution(&tx, &screen).await;
    // The graph is drawn with the waiting state selected (followed), its details beside it.
    let text = screen.text();
    for needle in [
        "HumanApproval",
        "TaxReturnSubmitted",
        "IsSuspicious",
        "status   waiting since",
        "history ·",
        "TaskSubmitted",
    ] {
        assert!(text.contains(needle), "{needle} missing:\n{text}");
    }
    // A opens the palette on the command with an output to edit; the output is validated.
    key(&tx, KeyCode::Char('A')).await;
    wait_for(&screen, ":task-success {}", 5).await;
    key(&tx, KeyCode::Backspace).await;
    typed(&tx, "\"approved\": tru").await;
    key(&tx, KeyCode::Enter).await;
    wait_for(&screen, "the task output is not JSON", 5).await;
    typed(&tx, "e}").await;
    key(&tx, KeyCode::Enter).await;
    let summary = format!(
        "Send task success to tax-return-processing/{name} (HumanApproval), output of 18 bytes"
    );
    let text = wait_for(&screen, "y confirm · n cancel", 5).await;
    assert!(text.contains(&summary[..60]), "{text}");
    assert!(!audit.exists(), "nothing is recorded before the yes");
    key(&tx, KeyCode::Char('y')).await;
    wait_for(&screen, "output of 18 bytes: done", 10).await;
    // Within one refresh the execution moves on: no longer stuck, HumanApproval succeeded.
    for _ in 0..100 {
        if !screen.text().contains("STUCK:") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let text = screen.text();
    assert!(!text.contains("STUCK:"), "{text}");
    let lines = std::fs::read_to_string(&audit).unwrap();
    let outcomes: Vec<&str> = lines
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            assert_eq!(v["command"], "SendTaskSuccess");
            assert_eq!(v["parameters"]["state"], "HumanApproval");
            assert!(!l.contains("approved"), "no payload in the audit log: {l}");
            if v["outcome"] == "requested" {
                "requested"
            } else {
                "ok"
            }
        })
        .collect();
    assert_eq!(outcomes, ["requested", "ok"], "{lines}");
    // Up: select HumanApproval again and see it succeeded with its output.
    key(&tx, KeyCode::Char('f')).await;
    let state = quit(&tx, handle).await;
    let open = state.executions.open.as_ref().unwrap();
    let reading = open.reading().unwrap();
    assert_eq!(
        reading.progress.status("HumanApproval"),
        unstuck_aws::model::step_functions::StepStatus::Succeeded
    );
}

#[tokio::test(start_paused = true)]
async fn demo_a_lambda_step_opens_its_logs_and_refusals_are_explained() {
    let backends = unstuck_aws::sim::demo_backends(7);
    let (tx, screen, handle) = start_app(backends, options(true), 160, 48);
    open_a_stuck_execution(&tx, &screen).await;
    // Read-only: the mutations are refused with the reason, and no dialog opens.
    for k in ['S', 'R', 'A', 'F', 'B'] {
        key(&tx, KeyCode::Char(k)).await;
        let text = wait_for(&screen, "read-only: changes are off", 5).await;
        assert!(!text.contains("y confirm"), "{text}");
    }
    // Up to the Lambda state before it, and to its function's logs.
    key(&tx, KeyCode::Home).await;
    key(&tx, KeyCode::Down).await;
    let text = wait_for(&screen, "function tax-fraud-screening", 5).await;
    assert!(text.contains("ScreenForFraud"), "{text}");
    key(&tx, KeyCode::Char('l')).await;
    // The invocation of that step, by the request id its output names.
    let text = wait_for(&screen, "in /aws/lambda/tax-fraud-screening", 5).await;
    assert!(text.contains("logs: request "), "{text}");
    let text = wait_for(&screen, "tax-fraud-screening START RequestId", 10).await;
    assert!(text.contains("logs · 1 group"), "{text}");
    // esc clears the request filter, then goes back to the execution, then up to the list.
    key(&tx, KeyCode::Esc).await;
    key(&tx, KeyCode::Esc).await;
    wait_for(&screen, "STUCK: waiting for a task token", 5).await;
    key(&tx, KeyCode::Esc).await;
    wait_for(&screen, "executions · tax-return-processing · running", 5).await;
    // A bad ARN and a bad status are said in the prompt; the app goes on.
    key(&tx, KeyCode::Char(':')).await;
    typed(&tx, "execution nope").await;
    key(&tx, KeyCode::Enter).await;
    wait_for(&screen, "nope is not an execution ARN", 5).await;
    key(&tx, KeyCode::Esc).await;
    quit(&tx, handle).await;
}
