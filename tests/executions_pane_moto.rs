//! The executions pane against moto through the real aws-sdk-rust clients: a machine whose
//! task waits on `sqs:sendMessage.waitForTaskToken` is listed with its waiting execution as
//! stuck, opened, answered from the pane (A, edit the output, y), and seen SUCCEEDED within
//! one refresh; the audit log holds the request and its outcome.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod app_support;
mod moto_support;

use app_support::*;
use crossterm::event::KeyCode;
use moto_support::*;
use unstuck::commands::AuditLog;
use unstuck::state::StartOptions;
use unstuck_aws::real::{ConnectOptions, connect};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn moto_a_waiting_execution_is_answered_from_the_pane() {
    let endpoint = moto_endpoint();
    let conf = seed_config(&endpoint).await;
    let sfn = aws_sdk_sfn::Client::new(&conf);
    let name = format!("pane-{}-{:08x}", std::process::id(), fastrand::u32(..));
    let queue_url = token_queue(&conf, &name).await;
    let definition = serde_json::json!({
        "StartAt": "Prepare",
        "States": {
            "Prepare": {"Type": "Pass", "Next": "HumanApproval"},
            "HumanApproval": approval_state(&queue_url)
        }
    });
    let machine = create_machine(&sfn, &name, &definition).await;
    sfn.start_execution()
        .state_machine_arn(&machine)
        .name("waiting")
        .input(r#"{"return": 42}"#)
        .send()
        .await
        .unwrap();
    let backends = connect(&ConnectOptions {
        profile: None,
        region: Some("us-east-1".into()),
        endpoint_url: Some(endpoint.clone()),
    })
    .await
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let audit = dir.path().join("audit.jsonl");
    let log = AuditLog::at(&audit);
    let (tx, screen, handle) = start_app_with(backends, StartOptions::default(), 160, 48, |app| {
        app.with_audit_log(log)
    });
    key(&tx, KeyCode::Char('4')).await;
    wait_for(&screen, "STATE MACHINE", 15).await;
    key(&tx, KeyCode::Char('/')).await;
    typed(&tx, &format!("^{name}$")).await;
    key(&tx, KeyCode::Enter).await;
    key(&tx, KeyCode::Enter).await;
    // The list polls every 30 s; r asks again until moto has the task waiting.
    let mut text = String::new();
    for _ in 0..20 {
        text = screen.text();
        if text.contains("waiting for a task token") {
            break;
        }
        key(&tx, KeyCode::Char('r')).await;
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    }
    assert!(text.contains("waiting for a task token"), "{text}");
    key(&tx, KeyCode::Enter).await;
    let text = wait_for(&screen, "STUCK: waiting for a task token", 15).await;
    for needle in [
        "Prepare",
        "HumanApproval",
        "status   waiting since",
        "history ·",
    ] {
        assert!(text.contains(needle), "{needle}:\n{text}");
    }
    key(&tx, KeyCode::Char('A')).await;
    wait_for(&screen, ":task-success {}", 5).await;
    key(&tx, KeyCode::Backspace).await;
    typed(&tx, "\"approved\": true}").await;
    key(&tx, KeyCode::Enter).await;
    wait_for(
        &screen,
        &format!("Send task success to {name}/waiting (HumanApproval)"),
        5,
    )
    .await;
    key(&tx, KeyCode::Char('y')).await;
    wait_for(&screen, "output of 18 bytes: done", 15).await;
    let text = wait_for(&screen, &format!("{name}/waiting · SUCCEEDED"), 15).await;
    assert!(!text.contains("STUCK:"), "{text}");
    let lines = std::fs::read_to_string(&audit).unwrap();
    assert_eq!(lines.lines().count(), 2, "{lines}");
    assert!(lines.contains(r#""outcome":"ok""#), "{lines}");
    quit(&tx, handle).await;
}

/// Express machines keep no history: the pane says so, and opens the log group a machine
/// logs its executions to, or says its logging is off.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn moto_an_express_machine_opens_its_log_group_or_says_logging_is_off() {
    let endpoint = moto_endpoint();
    let conf = seed_config(&endpoint).await;
    let sfn = aws_sdk_sfn::Client::new(&conf);
    let logs = aws_sdk_cloudwatchlogs::Client::new(&conf);
    let name = format!("express-{}-{:08x}", std::process::id(), fastrand::u32(..));
    let group = format!("/aws/vendedlogs/states/{name}");
    create_group(&logs, &group).await;
    let group_arn = format!("arn:aws:logs:us-east-1:123456789012:log-group:{group}:*");
    let definition = r#"{"StartAt": "Done", "States": {"Done": {"Type": "Succeed"}}}"#;
    use aws_sdk_sfn::types::{
        CloudWatchLogsLogGroup, LogDestination, LogLevel, LoggingConfiguration, StateMachineType,
    };
    for (suffix, logging) in [
        (
            "logged",
            Some(
                LoggingConfiguration::builder()
                    .level(LogLevel::All)
                    .include_execution_data(true)
                    .destinations(
                        LogDestination::builder()
                            .cloud_watch_logs_log_group(
                                CloudWatchLogsLogGroup::builder()
                                    .log_group_arn(&group_arn)
                                    .build(),
                            )
                            .build(),
                    )
                    .build(),
            ),
        ),
        ("silent", None),
    ] {
        sfn.create_state_machine()
            .name(format!("{name}-{suffix}"))
            .r#type(StateMachineType::Express)
            .definition(definition)
            .role_arn("arn:aws:iam::123456789012:role/unstuck-test")
            .set_logging_configuration(logging)
            .send()
            .await
            .unwrap();
    }
    let backends = connect(&ConnectOptions {
        profile: None,
        region: Some("us-east-1".into()),
        endpoint_url: Some(endpoint.clone()),
    })
    .await
    .unwrap();
    let (tx, screen, handle) = start_app(backends, StartOptions::default(), 160, 48);
    key(&tx, KeyCode::Char('4')).await;
    wait_for(&screen, "STATE MACHINE", 15).await;
    key(&tx, KeyCode::Char('/')).await;
    typed(&tx, &format!("^{name}")).await;
    key(&tx, KeyCode::Enter).await;
    let text = wait_for(&screen, "logging off: its executions are not kept", 15).await;
    assert!(text.contains(&format!("logs to {group}")), "{text}");
    assert!(text.contains("express"), "{text}");
    // Rows are by name: "-logged" first.
    key(&tx, KeyCode::Down).await;
    key(&tx, KeyCode::Enter).await;
    wait_for(&screen, "is an Express machine with logging off", 5).await;
    key(&tx, KeyCode::Up).await;
    key(&tx, KeyCode::Enter).await;
    let text = wait_for(
        &screen,
        "Step Functions keeps no history of its executions",
        5,
    )
    .await;
    assert!(text.contains("logs · 1 group"), "{text}");
    // The status line is cut at the screen's width: the group's name starts there.
    assert!(
        text.contains("they are in /aws/vendedlogs/states/express-"),
        "{text}"
    );
    let state = quit(&tx, handle).await;
    assert_eq!(state.logs.groups, [group]);
}
