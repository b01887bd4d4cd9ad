//! `unstuck executions` and `unstuck execution show`, run as a script runs them: on the demo
//! world (each kind of stuck execution it holds) and against moto running a real
//! `waitForTaskToken` execution; the JSON contract, and exit 1 / 2 for bad input and usage.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod moto_support;

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use moto_support::*;
use serde_json::Value;

fn json_of(out: &std::process::Output) -> Value {
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn is_rfc3339(text: &str) -> bool {
    chrono::DateTime::parse_from_rfc3339(text).is_ok()
}

#[test]
fn demo_stuck_executions_are_listed_with_their_reasons() {
    let out = unstuck(
        &[
            "executions",
            "--demo",
            "--stuck",
            "--limit",
            "300",
            "--output",
            "json",
        ],
        &[],
    );
    let all = json_of(&out);
    let all = all.as_array().unwrap();
    assert!(!all.is_empty());
    let mut kinds = BTreeSet::new();
    for e in all {
        for key in ["executionArn", "name", "stateMachineArn"] {
            assert!(e[key].as_str().is_some_and(|s| !s.is_empty()), "{key}: {e}");
        }
        assert_eq!(e["status"], "RUNNING");
        assert!(is_rfc3339(e["startDate"].as_str().unwrap()), "{e}");
        let stuck = &e["stuck"];
        assert!(
            stuck["reason"].as_str().is_some_and(|r| !r.is_empty()),
            "{e}"
        );
        kinds.insert(stuck["kind"].as_str().unwrap().to_string());
    }
    assert_eq!(
        kinds.into_iter().collect::<Vec<_>>(),
        ["over_p95", "task_token", "wait"]
    );
    // Without --stuck, every execution has the field: null when not stuck.
    let some = json_of(&unstuck(
        &[
            "executions",
            "--demo",
            "--state-machine",
            "tax-return-processing",
            "--limit",
            "20",
            "--output",
            "json",
        ],
        &[],
    ));
    let some = some.as_array().unwrap();
    assert_eq!(some.len(), 20);
    assert!(
        some.iter()
            .all(|e| e["stateMachineName"] == "tax-return-processing")
    );
    assert!(some.iter().any(|e| e["stuck"].is_null()));
    assert!(
        some.iter()
            .filter(|e| e["status"] != "RUNNING")
            .all(|e| e["stuck"].is_null() && is_rfc3339(e["stopDate"].as_str().unwrap()))
    );
}

#[test]
fn demo_one_execution_shows_each_state_and_why_it_is_stuck() {
    let list = json_of(&unstuck(
        &[
            "executions",
            "--demo",
            "--state-machine",
            "tax-amendment-review",
            "--stuck",
            "--output",
            "json",
        ],
        &[],
    ));
    let held = list.as_array().unwrap().first().unwrap();
    assert_eq!(held["stuck"]["kind"], "wait");
    let arn = held["executionArn"].as_str().unwrap();
    let shown = json_of(&unstuck(
        &["execution", "show", "--demo", arn, "--output", "json"],
        &[],
    ));
    assert_eq!(shown["status"], "RUNNING");
    assert_eq!(shown["current"], serde_json::json!(["HoldUntilDeadline"]));
    assert_eq!(shown["stuck"][0]["kind"], "wait");
    let states = shown["states"].as_array().unwrap();
    let status_of =
        |name: &str| states.iter().find(|s| s["name"] == name).unwrap()["status"].clone();
    assert_eq!(status_of("AmendmentReceived"), "succeeded");
    assert_eq!(status_of("HoldUntilDeadline"), "waiting");
    assert_eq!(status_of("ReviewAmendment"), "not_reached");
    let text = unstuck(&["execution", "show", "--demo", arn], &[]);
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(
        text.contains("current  HoldUntilDeadline (waiting"),
        "{text}"
    );
    assert!(
        text.contains("stuck    wait: in Wait state HoldUntilDeadline"),
        "{text}"
    );
    // A human approval nobody sent: its token is shown, to send it back.
    let waiting = json_of(&unstuck(
        &[
            "executions",
            "--demo",
            "--stuck",
            "--limit",
            "300",
            "--output",
            "json",
        ],
        &[],
    ));
    let approval = waiting
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["stuck"]["kind"] == "task_token")
        .unwrap();
    let shown = json_of(&unstuck(
        &[
            "execution",
            "show",
            "--demo",
            approval["executionArn"].as_str().unwrap(),
            "--output",
            "json",
        ],
        &[],
    ));
    let states = shown["states"].as_array().unwrap();
    let token = states
        .iter()
        .find(|s| s["name"] == "HumanApproval")
        .unwrap()["taskToken"]
        .clone();
    assert!(
        token
            .as_str()
            .is_some_and(|t| t.starts_with("AAAAKg") && t.len() > 300),
        "{token}"
    );
    assert!(
        states
            .iter()
            .filter(|s| s["name"] != "HumanApproval")
            .all(|s| s["taskToken"].is_null())
    );
}

#[test]
fn bad_input_is_exit_1_and_bad_usage_exit_2() {
    let out = unstuck(
        &["executions", "--demo", "--state-machine", "no-such-machine"],
        &[],
    );
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("no state machine named no-such-machine here (there are: tax-return-processing, tax-amendment-review)"),
        "{stderr}"
    );
    let arn = "arn:aws:states:eu-west-1:123456789012:execution:tax-return-processing:nope";
    let out = unstuck(&["execution", "show", "--demo", arn], &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not found"));
    for usage in [
        vec!["executions", "--demo", "--status", "bogus"],
        vec!["executions", "--demo", "--stuck", "--status", "failed"],
        vec!["executions", "--demo", "--limit", "0"],
        vec!["execution", "show", "--demo"],
    ] {
        assert_eq!(unstuck(&usage, &[]).status.code(), Some(2), "{usage:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn moto_a_token_wait_is_found_stuck_and_shown() {
    let endpoint = moto_endpoint();
    let conf = seed_config(&endpoint).await;
    let sqs = aws_sdk_sqs::Client::new(&conf);
    let sfn = aws_sdk_sfn::Client::new(&conf);
    let name = format!("approvals-{}-{:08x}", std::process::id(), fastrand::u32(..));
    let queue_url = token_queue(&conf, &name).await;
    let definition = serde_json::json!({
        "StartAt": "HumanApproval",
        "States": {"HumanApproval": approval_state(&queue_url)}
    });
    let machine = create_machine(&sfn, &name, &definition).await;
    let exec = sfn
        .start_execution()
        .state_machine_arn(&machine)
        .name("waiting")
        .input("{}")
        .send()
        .await
        .unwrap()
        .execution_arn()
        .to_string();
    let args = [
        "executions",
        "--endpoint-url",
        &endpoint,
        "--region",
        "us-east-1",
        "--state-machine",
        &name,
        "--stuck",
        "--output",
        "json",
    ];
    let start = Instant::now();
    let found = loop {
        let found = json_of(&unstuck(&args, &[]));
        if found.as_array().is_some_and(|a| !a.is_empty()) {
            break found;
        }
        assert!(
            start.elapsed() < Duration::from_secs(15),
            "never found stuck"
        );
        tokio::time::sleep(Duration::from_millis(300)).await;
    };
    assert_eq!(found[0]["executionArn"], exec.as_str());
    assert_eq!(found[0]["stuck"]["kind"], "task_token");
    assert_eq!(found[0]["stuck"]["state"], "HumanApproval");
    let shown = json_of(&unstuck(
        &[
            "execution",
            "show",
            "--endpoint-url",
            &endpoint,
            "--region",
            "us-east-1",
            &exec,
            "--output",
            "json",
        ],
        &[],
    ));
    assert_eq!(shown["current"], serde_json::json!(["HumanApproval"]));
    assert_eq!(shown["states"][0]["status"], "waiting");
    // The token read back from the history is the one the task sent out.
    let received = sqs
        .receive_message()
        .queue_url(&queue_url)
        .wait_time_seconds(2)
        .send()
        .await
        .unwrap();
    let body: Value = serde_json::from_str(received.messages()[0].body().unwrap()).unwrap();
    assert!(
        body["token"].as_str().is_some_and(|t| !t.is_empty()),
        "{body}"
    );
    assert_eq!(shown["states"][0]["taskToken"], body["token"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn moto_an_express_machine_is_skipped_with_a_note_not_an_error() {
    let endpoint = moto_endpoint();
    let conf = seed_config(&endpoint).await;
    let sfn = aws_sdk_sfn::Client::new(&conf);
    let name = format!("express-{}-{:08x}", std::process::id(), fastrand::u32(..));
    let definition = serde_json::json!({
        "StartAt": "Done", "States": {"Done": {"Type": "Succeed"}}
    });
    sfn.create_state_machine()
        .name(&name)
        .r#type(aws_sdk_sfn::types::StateMachineType::Express)
        .definition(definition.to_string())
        .role_arn("arn:aws:iam::123456789012:role/unstuck-test")
        .send()
        .await
        .unwrap();
    let out = unstuck(
        &[
            "executions",
            "--endpoint-url",
            &endpoint,
            "--region",
            "us-east-1",
            "--state-machine",
            &name,
            "--output",
            "json",
        ],
        &[],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert_eq!(json_of(&out), serde_json::json!([]));
    assert!(
        stderr.contains(&name) && stderr.contains("Express machine") && stderr.contains("skipped"),
        "{stderr}"
    );
}
