//! `unstuck tail`, the built binary, against moto (started by scripts/test) through the real
//! SDK: every event once, sanitised text, escaped JSON, clear failures with a non-zero exit.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod moto_support;

use std::process::Command;

use aws_sdk_cloudwatchlogs::types::InputLogEvent;
use moto_support::*;

#[tokio::test]
async fn prints_every_event_once_sanitised_or_as_escaped_json() {
    let prefix = prefix();
    let seeded = seed(&prefix).await;
    let ep = moto_endpoint();
    let out = tail_against(&ep, &["--since", "5m", &prefix]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 6, "{text}");
    assert!(
        !text.chars().any(|c| c.is_control() && c != '\n'),
        "raw control characters on stdout: {text:?}"
    );
    assert!(!text.contains('\u{202e}'));
    let hostile: Vec<&str> = lines
        .iter()
        .copied()
        .filter(|l| l.contains("pwned"))
        .collect();
    assert_eq!(hostile.len(), 2);
    assert!(
        hostile[0].contains("␛]52;c;aGk=␇ ␛[2J ⟨U+009B⟩31m ⟨U+202E⟩txt.exe␊second line"),
        "{}",
        hostile[0]
    );
    assert!(
        lines
            .iter()
            .any(|l| l.contains(&format!("{prefix}/a s1 hello from a"))),
        "{text}"
    );

    let out = tail_against(&ep, &["--since", "5m", "--output", "json", &prefix]);
    assert!(out.status.success());
    let json = String::from_utf8(out.stdout).unwrap();
    assert!(!json.chars().any(|c| c.is_control() && c != '\n'));
    let mut got: Vec<(String, String)> = json
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            assert!(!v["event_id"].as_str().unwrap().is_empty());
            assert!(v["timestamp"].as_str().unwrap().ends_with('Z'));
            assert!(v["ingestion_time"].as_str().is_some());
            assert_eq!(v["stream"], "s1");
            (
                v["group"].as_str().unwrap().to_string(),
                v["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let mut expected = seeded.clone();
    got.sort();
    expected.sort();
    assert_eq!(got, expected, "JSON carries the exact messages");

    let out = tail_against(
        &ep,
        &["--since", "5m", "--grep", "ERROR", &format!("{prefix}/b")],
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.lines().count(), 1, "{text}");
    assert!(text.contains("ERROR boom in b"));
}

#[test]
fn a_missing_group_fails_with_a_clear_message() {
    let ep = moto_endpoint();
    let out = tail_against(&ep, &["/unstuck-tail-test/does-not-exist"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("no log group is named or starts with \"/unstuck-tail-test/does-not-exist\""),
        "{err}"
    );
}

#[test]
fn missing_credentials_fail_with_a_clear_message() {
    let ep = moto_endpoint();
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("none");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_unstuck"));
    let out = cmd
        .args(["tail", "--endpoint-url", &ep, "--region", "us-east-1", "/x"])
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .env_remove("AWS_SESSION_TOKEN")
        .env_remove("AWS_PROFILE")
        .env("AWS_CONFIG_FILE", &empty)
        .env("AWS_SHARED_CREDENTIALS_FILE", &empty)
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.to_lowercase().contains("credentials"), "{err}");
}

#[test]
fn an_unreachable_endpoint_fails_fast_with_a_clear_message() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let ep = format!("http://127.0.0.1:{port}");
    let start = std::time::Instant::now();
    let out = tail_against(&ep, &["/x"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("cannot reach"), "{err}");
    assert!(start.elapsed() < std::time::Duration::from_secs(15));
}

/// A group deleted while `--follow` runs is dropped with a message; the other goes on.
#[tokio::test]
async fn a_group_deleted_mid_follow_is_dropped_and_the_other_goes_on() {
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;
    use std::sync::{Arc, Mutex};
    use std::time::{Duration, Instant};

    let prefix = prefix();
    seed(&prefix).await;
    let ep = moto_endpoint();
    let mut child = tail_command(&ep, &["--since", "5m", "--follow", &prefix])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let collect = |stream: Box<dyn std::io::Read + Send>| {
        let lines = Arc::new(Mutex::new(Vec::<String>::new()));
        let sink = Arc::clone(&lines);
        std::thread::spawn(move || {
            for line in BufReader::new(stream).lines().map_while(Result::ok) {
                sink.lock().unwrap().push(line);
            }
        });
        lines
    };
    let stdout = collect(Box::new(child.stdout.take().unwrap()));
    let stderr = collect(Box::new(child.stderr.take().unwrap()));
    let wait_until = |what: &str, done: &dyn Fn() -> bool| {
        let start = Instant::now();
        while !done() {
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "{what}; stdout: {:?}; stderr: {:?}",
                stdout.lock().unwrap(),
                stderr.lock().unwrap()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    };
    wait_until("the back-fill", &|| stdout.lock().unwrap().len() >= 6);

    let client = seed_client(&ep).await;
    client
        .delete_log_group()
        .log_group_name(format!("{prefix}/a"))
        .send()
        .await
        .unwrap();
    let survivor = format!("{prefix}/b");
    for i in 0..5 {
        client
            .put_log_events()
            .log_group_name(&survivor)
            .log_stream_name("s1")
            .log_events(
                InputLogEvent::builder()
                    .timestamp(now_ms())
                    .message(format!("after the delete {i}"))
                    .build()
                    .unwrap(),
            )
            .send()
            .await
            .unwrap();
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    wait_until("the survivor's new events", &|| {
        stdout
            .lock()
            .unwrap()
            .iter()
            .filter(|l| l.contains("after the delete"))
            .count()
            == 5
    });
    wait_until("the drop message", &|| {
        stderr.lock().unwrap().iter().any(|l| l.contains("dropped"))
    });
    assert!(
        child.try_wait().unwrap().is_none(),
        "the tail is still running"
    );
    child.kill().unwrap();
    let _ = child.wait();
}

/// Without `--follow`, the output is one stream in time order across groups.
#[tokio::test]
async fn a_one_shot_tail_merges_groups_by_time() {
    let prefix = prefix();
    let client = seed_client(&moto_endpoint()).await;
    let t = now_ms() - 30_000;
    for (g, offsets) in [("a", [0, 2, 4]), ("b", [1, 3, 5])] {
        let group = format!("{prefix}/{g}");
        create_group(&client, &group).await;
        let mut put = client
            .put_log_events()
            .log_group_name(&group)
            .log_stream_name("s1");
        for offset in offsets {
            put = put.log_events(
                InputLogEvent::builder()
                    .timestamp(t + offset * 1_000)
                    .message(format!("event {offset}"))
                    .build()
                    .unwrap(),
            );
        }
        put.send().await.unwrap();
    }
    let out = tail_against(&moto_endpoint(), &["--since", "5m", &prefix]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let order: Vec<&str> = text
        .lines()
        .filter_map(|l| l.split("event ").nth(1))
        .collect();
    assert_eq!(order, ["0", "1", "2", "3", "4", "5"], "{text}");
}
