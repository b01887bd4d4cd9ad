//! `unstuck execution stop|redrive|send-task-success|send-task-failure|send-task-heartbeat`,
//! run as a runbook runs them. Against moto: a waiting task is resumed with the token the
//! command reads from the history and the execution succeeds; another is stopped; read-only
//! refuses both (exit 3) and they stay as they were. On the demo world: the JSON answer,
//! the audit log (two lines per mutation, no payload, no whole token), `--yes` needed when
//! stdin is not a terminal (exit 2), bad output JSON (exit 1), AWS's refusals (exit 1).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod moto_support;

use std::time::{Duration, Instant};

use moto_support::*;
use serde_json::Value;

fn stdout_json(out: &std::process::Output) -> Value {
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).to_string()
}

/// The demo execution waiting on a token nobody sends, and its token.
fn demo_token_wait(state_dir: &str) -> (String, String) {
    let stuck = stdout_json(&unstuck(
        &[
            "executions",
            "--demo",
            "--stuck",
            "--limit",
            "300",
            "--output",
            "json",
        ],
        &[("UNSTUCK_STATE_DIR", state_dir)],
    ));
    let arn = stuck
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["stuck"]["kind"] == "task_token" && e["stuck"]["state"] == "HumanApproval")
        .expect("an approval nobody answers")["executionArn"]
        .as_str()
        .unwrap()
        .to_string();
    let shown = stdout_json(&unstuck(
        &["execution", "show", "--demo", &arn, "--output", "json"],
        &[],
    ));
    let token = shown["states"]
        .as_array()
        .unwrap()
        .iter()
        .find_map(|s| s["taskToken"].as_str())
        .unwrap()
        .to_string();
    (arn, token)
}

fn audit_lines(state_dir: &std::path::Path) -> Vec<Value> {
    std::fs::read_to_string(state_dir.join("audit.jsonl"))
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn demo_send_task_success_answers_the_waiting_token_and_is_audited() {
    let dir = tempfile::tempdir().unwrap();
    let state_dir = dir.path().to_str().unwrap();
    let (arn, token) = demo_token_wait(state_dir);
    let env = [("UNSTUCK_STATE_DIR", state_dir)];
    let output = r#"{"approved":true,"reviewer":"on-call 0000"}"#;

    // Not a terminal and no --yes: refused with the hint, nothing sent or written.
    let base = [
        "execution",
        "send-task-success",
        "--demo",
        &arn,
        "--task-output",
        output,
    ];
    let refused = unstuck(&base, &env);
    assert_eq!(refused.status.code(), Some(2), "{}", stderr(&refused));
    assert!(stderr(&refused).contains("--yes"), "{}", stderr(&refused));
    assert!(audit_lines(dir.path()).is_empty());

    // Output that is not JSON: an input error before anything is sent.
    let bad = unstuck(
        &[
            "execution",
            "send-task-success",
            "--demo",
            &arn,
            "--task-output",
            "{approved",
            "--yes",
        ],
        &env,
    );
    assert_eq!(bad.status.code(), Some(1));
    assert!(stderr(&bad).contains("not JSON"), "{}", stderr(&bad));

    let mut args = base.to_vec();
    args.extend(["--yes", "--output", "json"]);
    let done = stdout_json(&unstuck(&args, &env));
    assert_eq!(done["command"], "SendTaskSuccess");
    assert_eq!(done["executionArn"], arn.as_str());
    assert_eq!(done["state"], "HumanApproval");
    assert_eq!(done["outcome"], "ok");
    assert!(
        done["summary"]
            .as_str()
            .unwrap()
            .starts_with("Send task success to tax-return-processing/")
    );

    let lines = audit_lines(dir.path());
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert_eq!(
        (lines[0]["outcome"].as_str(), lines[1]["outcome"].as_str()),
        (Some("requested"), Some("ok"))
    );
    assert_eq!(lines[0]["id"], lines[1]["id"]);
    assert_eq!(lines[1]["command"], "SendTaskSuccess");
    assert_eq!(lines[1]["profile"], "DEMO");
    assert_eq!(lines[1]["account"], "123456789012");
    assert_eq!(lines[1]["parameters"]["executionArn"], arn.as_str());
    let text = std::fs::read_to_string(dir.path().join("audit.jsonl")).unwrap();
    assert!(!text.contains(&token), "no whole token in the audit log");
    assert!(!text.contains("0000"), "no payload in the audit log");

    // The same token given explicitly for a failure: the demo world is new in each
    // process, so it still waits there; the state is named from the history.
    let failed = stdout_json(&unstuck(
        &[
            "execution",
            "send-task-failure",
            "--demo",
            &arn,
            "--task-token",
            &token,
            "--error",
            "Rejected",
            "--cause",
            "documents missing",
            "--yes",
            "--output",
            "json",
        ],
        &env,
    ));
    assert_eq!(failed["state"], "HumanApproval");
    assert_eq!(audit_lines(dir.path()).len(), 4);
}

#[test]
fn demo_refusals_are_aws_words_with_exit_1_and_usage_is_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let env = [("UNSTUCK_STATE_DIR", dir.path().to_str().unwrap())];
    let succeeded = stdout_json(&unstuck(
        &[
            "executions",
            "--demo",
            "--status",
            "succeeded",
            "--limit",
            "1",
            "--output",
            "json",
        ],
        &env,
    ))[0]["executionArn"]
        .as_str()
        .unwrap()
        .to_string();
    let redrive = unstuck(
        &["execution", "redrive", "--demo", &succeeded, "--yes"],
        &env,
    );
    assert_eq!(redrive.status.code(), Some(1));
    assert!(
        stderr(&redrive).contains("ExecutionNotRedrivable"),
        "{}",
        stderr(&redrive)
    );
    let lines = audit_lines(dir.path());
    assert_eq!(lines.last().unwrap()["outcome"], "failed", "{lines:?}");

    let heartbeat = unstuck(
        &[
            "execution",
            "send-task-heartbeat",
            "--demo",
            &succeeded,
            "--yes",
        ],
        &env,
    );
    assert_eq!(heartbeat.status.code(), Some(1));
    assert!(
        stderr(&heartbeat).contains("waits on no task token"),
        "{}",
        stderr(&heartbeat)
    );

    let token_for_stop = unstuck(
        &[
            "execution",
            "stop",
            "--demo",
            &succeeded,
            "--task-token",
            "x",
            "--yes",
        ],
        &env,
    );
    assert_eq!(token_for_stop.status.code(), Some(2));
    let missing = unstuck(
        &["execution", "send-task-success", "--demo", &succeeded],
        &env,
    );
    assert_eq!(missing.status.code(), Some(2), "--task-output is required");
}

#[test]
fn read_only_refuses_every_mutation_subcommand_with_exit_3_before_any_call() {
    let dir = tempfile::tempdir().unwrap();
    let env = [("UNSTUCK_STATE_DIR", dir.path().to_str().unwrap())];
    let arn = "arn:aws:states:eu-west-1:123456789012:execution:tax-return-processing:return-000001";
    for args in [
        vec!["execution", "stop", arn],
        vec!["execution", "redrive", arn],
        vec!["execution", "send-task-success", arn, "--task-output", "{}"],
        vec!["execution", "send-task-failure", arn, "--error", "E"],
        vec!["execution", "send-task-heartbeat", arn],
    ] {
        for place in ["before", "after"] {
            let mut all = Vec::new();
            if place == "before" {
                all.push("--read-only");
            }
            all.extend(&args);
            all.extend(["--demo", "--yes"]);
            if place == "after" {
                all.push("--read-only");
            }
            let out = unstuck(&all, &env);
            assert_eq!(out.status.code(), Some(3), "{all:?}: {}", stderr(&out));
            assert!(stderr(&out).contains("read-only"), "{}", stderr(&out));
        }
    }
    assert!(
        !dir.path().join("audit.jsonl").exists(),
        "nothing was attempted"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn moto_send_task_success_and_stop_change_the_executions_and_read_only_does_not() {
    let endpoint = moto_endpoint();
    let conf = seed_config(&endpoint).await;
    let sfn = aws_sdk_sfn::Client::new(&conf);
    let name = format!("ops-{}-{:08x}", std::process::id(), fastrand::u32(..));
    let queue_url = token_queue(&conf, &name).await;
    let create =
        async |name: String, definition: Value| create_machine(&sfn, &name, &definition).await;
    let approvals = create(
        name.clone(),
        serde_json::json!({
            "StartAt": "HumanApproval",
            "States": {"HumanApproval": approval_state(&queue_url)}
        }),
    )
    .await;
    // moto stops an execution in a Wait, not one blocked on a token.
    let holds = create(
        format!("{name}-hold"),
        serde_json::json!({"StartAt": "Hold", "States": {"Hold": {"Type": "Wait", "Seconds": 3600, "End": true}}}),
    )
    .await;
    let start = async |machine: &str| {
        sfn.start_execution()
            .state_machine_arn(machine)
            .send()
            .await
            .unwrap()
            .execution_arn()
            .to_string()
    };
    let (waiting, holding) = (start(&approvals).await, start(&holds).await);
    let status = async |arn: &str| {
        sfn.describe_execution()
            .execution_arn(arn)
            .send()
            .await
            .unwrap()
            .status()
            .as_str()
            .to_string()
    };
    let dir = tempfile::tempdir().unwrap();
    let env = [("UNSTUCK_STATE_DIR", dir.path().to_str().unwrap())];
    let aws = ["--endpoint-url", endpoint.as_str(), "--region", "us-east-1"];
    let run = |args: &[&str]| {
        let mut all = args.to_vec();
        all.extend(aws);
        unstuck(&all, &env)
    };

    // Read-only first: refused, and nothing changed.
    let refused = run(&["--read-only", "execution", "stop", &holding, "--yes"]);
    assert_eq!(refused.status.code(), Some(3), "{}", stderr(&refused));
    let refused = run(&[
        "--read-only",
        "execution",
        "send-task-success",
        &waiting,
        "--task-output",
        "{}",
        "--yes",
    ]);
    assert_eq!(refused.status.code(), Some(3), "{}", stderr(&refused));
    assert_eq!(status(&holding).await, "RUNNING");

    // The token is read from the history once the task has sent its message.
    let started = Instant::now();
    let done = loop {
        let out = run(&[
            "execution",
            "send-task-success",
            &waiting,
            "--task-output",
            r#"{"approved":true}"#,
            "--yes",
            "--output",
            "json",
        ]);
        if out.status.code() == Some(0) {
            break stdout_json(&out);
        }
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "never sent: {}",
            stderr(&out)
        );
        tokio::time::sleep(Duration::from_millis(300)).await;
    };
    assert_eq!(done["state"], "HumanApproval");
    let started = Instant::now();
    while status(&waiting).await != "SUCCEEDED" {
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "never succeeded"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }

    let stopped = run(&[
        "execution",
        "stop",
        &holding,
        "--error",
        "OnCall.Stopped",
        "--cause",
        "runbook",
        "--yes",
    ]);
    assert_eq!(stopped.status.code(), Some(0), "{}", stderr(&stopped));
    let text = String::from_utf8_lossy(&stopped.stdout);
    assert!(text.starts_with("Stop "), "{text}");
    let started = Instant::now();
    while status(&holding).await != "ABORTED" {
        assert!(started.elapsed() < Duration::from_secs(15), "never aborted");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let lines = audit_lines(dir.path());
    assert!(
        lines
            .iter()
            .any(|l| l["command"] == "StopExecution" && l["outcome"] == "ok"),
        "{lines:?}"
    );
    assert!(lines.iter().all(|l| l["region"] == "us-east-1"));
}
