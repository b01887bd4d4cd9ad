//! `unstuck queues` and `unstuck dlq peek|export|redrive` against moto through the real SDK:
//! DLQ pairing, messages really driven into a DLQ, peek and export taking nothing, selective
//! redrive keeping attributes, the trace header and FIFO group ids, a run killed with
//! SIGKILL and run again, read-only refusals and bad input. Started by scripts/test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod dlq_support;
mod moto_support;

use dlq_support::*;
use serde_json::Value;

fn seeds(n: usize, kind: &'static str, group: Option<&str>) -> Vec<Seed> {
    (0..n)
        .map(|i| Seed {
            body: format!(
                "{{\"submissionId\":\"SUB-{kind}-{i:04}-{:06x}\",\"n\":{i}}}",
                fastrand::u32(..0xffffff)
            ),
            kind,
            group: group.map(|g| format!("{g}-{}", i % 3)),
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn moto_queues_pairs_dlqs_with_their_sources_and_counts_what_is_in_them() {
    let c = client().await;
    let pair = pair(&c, "pairing", false).await;
    drive_into_dlq(&c, &pair, &seeds(4, "retry", None)).await;
    let state = tempfile::tempdir().unwrap();
    let out = run(state.path(), &["queues", "--output", "json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let rows: Vec<Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let dlq = rows
        .iter()
        .find(|r| r["arn"] == pair.dlq_arn.as_str())
        .expect("the DLQ is listed");
    assert_eq!(dlq["visible"], 4);
    assert_eq!(dlq["sources"], serde_json::json!([pair.source_arn]));
    assert_eq!(dlq["dlq"], Value::Null);
    let source = rows
        .iter()
        .find(|r| r["arn"] == pair.source_arn.as_str())
        .unwrap();
    assert_eq!(source["dlq"], pair.dlq_arn.as_str());
    assert_eq!(source["fifo"], false);
    for key in ["name", "url", "in_flight", "delayed"] {
        assert!(source.get(key).is_some(), "{key}");
    }
    // DLQs holding messages come first in the text table.
    let text = stdout(&run(state.path(), &["queues"]));
    let first_dlq_line = text.lines().position(|l| l.contains("DLQ of")).unwrap();
    assert_eq!(first_dlq_line, 1, "{text}");
}

#[tokio::test(flavor = "multi_thread")]
async fn moto_peek_and_export_read_everything_and_take_nothing() {
    let c = client().await;
    let pair = pair(&c, "peek", false).await;
    let seeded = seeds(12, "retry", None);
    drive_into_dlq(&c, &pair, &seeded).await;
    let state = tempfile::tempdir().unwrap();
    let out = run(
        state.path(),
        &[
            "dlq",
            "peek",
            &pair.dlq_name,
            "--max",
            "3",
            "--output",
            "json",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("is a receive"),
        "says plainly it is a receive"
    );
    let lines: Vec<Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(
        lines[0]["MessageAttributes"]["kind"]["StringValue"],
        "retry"
    );
    assert!(lines[0]["Attributes"]["ApproximateReceiveCount"].is_string());
    let text = stdout(&run(
        state.path(),
        &["dlq", "peek", &pair.dlq_url, "--max", "2"],
    ));
    assert!(
        text.contains("@kind = retry") && text.contains("2 read"),
        "{text}"
    );

    let file = state.path().join("dlq.jsonl");
    let out = run(
        state.path(),
        &["dlq", "export", &pair.dlq_arn, file.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let exported: Vec<Value> = std::fs::read_to_string(&file)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let mut bodies: Vec<&str> = exported
        .iter()
        .map(|m| m["Body"].as_str().unwrap())
        .collect();
    bodies.sort_unstable();
    let mut want: Vec<&str> = seeded.iter().map(|s| s.body.as_str()).collect();
    want.sort_unstable();
    assert_eq!(bodies, want, "every message exported once, byte for byte");
    assert_eq!(
        exported[0]["MessageAttributes"]["blob"]["DataType"],
        "Binary"
    );
    assert!(exported[0]["MessageAttributes"]["blob"]["BinaryValue"].is_string());
    assert!(
        exported[0]["Attributes"]["AWSTraceHeader"]
            .as_str()
            .unwrap()
            .starts_with("Root=1-")
    );
    // Nothing was taken: every message is visible again.
    assert_eq!(depth(&c, &pair.dlq_url).await, 12);
    // The file is never overwritten.
    let again = run(
        state.path(),
        &["dlq", "export", &pair.dlq_name, file.to_str().unwrap()],
    );
    assert_eq!(again.status.code(), Some(1), "{}", stderr(&again));
}

#[tokio::test(flavor = "multi_thread")]
async fn moto_selective_redrive_moves_only_the_chosen_with_their_attributes() {
    let c = client().await;
    let pair = pair(&c, "selective", false).await;
    let mut all = seeds(6, "retry", None);
    all.extend(seeds(4, "poison", None));
    drive_into_dlq(&c, &pair, &all).await;
    let state = tempfile::tempdir().unwrap();
    // The dry run moves nothing and says where each would go.
    let dry = run(
        state.path(),
        &[
            "dlq",
            "redrive",
            &pair.dlq_name,
            "--attribute",
            "kind=retry",
            "--dry-run",
            "--output",
            "json",
        ],
    );
    assert!(dry.status.success(), "{}", stderr(&dry));
    let summary = last_json(&dry);
    assert_eq!(
        (summary["selected"].as_u64(), summary["dry_run"].as_bool()),
        (Some(6), Some(true))
    );
    assert_eq!(depth(&c, &pair.dlq_url).await, 10);
    // moto sets no DeadLetterQueueSourceArn: the DLQ's only source is where they go.
    let out = run(
        state.path(),
        &[
            "dlq",
            "redrive",
            &pair.dlq_name,
            "--attribute",
            "kind=retry",
            "--yes",
            "--output",
            "json",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let summary = last_json(&out);
    for (key, want) in [("selected", 6), ("moved", 6), ("skipped", 0), ("failed", 0)] {
        assert_eq!(summary[key].as_u64(), Some(want), "{key}: {summary}");
    }
    let moved = drain(&c, &pair.source_url).await;
    assert_eq!(moved.len(), 6);
    for s in all.iter().filter(|s| s.kind == "retry") {
        let got = &moved[&s.body];
        assert_eq!(got.len(), 1, "no duplicate of {}", s.body);
        assert_eq!(got[0].kind.as_deref(), Some("retry"));
        assert_eq!(
            got[0].blob.as_ref().map(|b| b[..3].to_vec()),
            Some(vec![0, 159, 255]),
            "binary attribute kept"
        );
        // The trace header goes out in SendMessageBatch's MessageSystemAttributes, which
        // moto drops: kept across a redrive is checked on the demo world (queues_sim.rs).
    }
    assert_eq!(
        depth(&c, &pair.dlq_url).await,
        4,
        "the unselected stay, visible again"
    );
    let audit = std::fs::read_to_string(state.path().join("audit.jsonl")).unwrap();
    let lines: Vec<Value> = audit
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(
        lines.len(),
        2,
        "the dry run is not audited, the run is: {audit}"
    );
    assert_eq!(lines[1]["outcome"], "ok");
    assert_eq!(lines[1]["parameters"]["done"]["moved"], 6);
    assert!(!audit.contains("SUB-retry"), "no bodies in the audit log");
}

#[tokio::test(flavor = "multi_thread")]
async fn moto_fifo_redrive_keeps_group_ids_and_refuses_a_standard_destination() {
    let c = client().await;
    let pair = pair(&c, "fifo", true).await;
    let seeded = seeds(5, "retry", Some("taxpayer"));
    drive_into_dlq(&c, &pair, &seeded).await;
    let state = tempfile::tempdir().unwrap();
    let standard = c
        .create_queue()
        .queue_name(unique("standard"))
        .send()
        .await
        .unwrap()
        .queue_url()
        .unwrap()
        .to_string();
    let out = run(
        state.path(),
        &["dlq", "redrive", &pair.dlq_name, "--to", &standard, "--yes"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("same") || stderr(&out).contains("one type"),
        "{}",
        stderr(&out)
    );
    assert_eq!(depth(&c, &pair.dlq_url).await, 5, "nothing moved");
    let out = run(
        state.path(),
        &[
            "dlq",
            "redrive",
            &pair.dlq_url,
            "--to",
            &pair.source_url,
            "--yes",
            "--output",
            "json",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(last_json(&out)["moved"], 5);
    let moved = drain(&c, &pair.source_url).await;
    for s in &seeded {
        assert_eq!(
            moved[&s.body][0].group.as_deref(),
            s.group.as_deref(),
            "group id kept"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn moto_a_redrive_killed_midway_resumes_and_loses_nothing() {
    let c = client().await;
    let pair = pair(&c, "killed", false).await;
    let mut all = seeds(150, "retry", None);
    all.extend(seeds(15, "keep", None));
    drive_into_dlq(&c, &pair, &all).await;
    let state = tempfile::tempdir().unwrap();
    let journal = state.path().join("journal.jsonl");
    let endpoint = moto_support::moto_endpoint();
    let args = [
        "dlq",
        "redrive",
        pair.dlq_name.as_str(),
        "--grep",
        "SUB-retry",
        "--rate",
        "40",
        "--yes",
        "--visibility",
        "20",
        "--journal",
        journal.to_str().unwrap(),
        "--output",
        "json",
        "--endpoint-url",
        endpoint.as_str(),
        "--region",
        "us-east-1",
    ];
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_unstuck"))
        .args(args)
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("UNSTUCK_STATE_DIR", state.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // At 40 msg/s the 150 take ~4 s: kill it (SIGKILL) once some have moved.
    let started = std::time::Instant::now();
    loop {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        let text = std::fs::read_to_string(&journal).unwrap_or_default();
        if text.matches("\"deleted\"").count() >= 3 || started.elapsed().as_secs() > 20 {
            break;
        }
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let after_kill = depth(&c, &pair.source_url).await;
    assert!(
        after_kill > 0 && after_kill < 150,
        "killed midway: {after_kill} moved"
    );
    let out = run(state.path(), &args[..args.len() - 4]);
    assert!(out.status.success(), "{}", stderr(&out));
    let moved = drain(&c, &pair.source_url).await;
    for s in all.iter().filter(|s| s.kind == "retry") {
        assert!(moved.contains_key(&s.body), "{} lost", s.body);
    }
    let duplicates: usize = moved.values().map(|v| v.len() - 1).sum();
    assert!(duplicates <= 10, "at most one batch twice: {duplicates}");
    assert!(
        moved.keys().all(|b| b.contains("SUB-retry")),
        "unselected ones untouched"
    );
    assert_eq!(
        depth(&c, &pair.dlq_url).await,
        15,
        "nothing selected left behind, the rest kept"
    );
    let kept = drain(&c, &pair.dlq_url).await;
    assert!(kept.keys().all(|b| b.contains("SUB-keep")));
}

#[tokio::test(flavor = "multi_thread")]
async fn moto_read_only_refuses_every_mutation_and_bad_input_is_explained() {
    let c = client().await;
    let pair = pair(&c, "refusals", false).await;
    drive_into_dlq(&c, &pair, &seeds(3, "retry", None)).await;
    let state = tempfile::tempdir().unwrap();
    let name = pair.dlq_name.as_str();
    for args in [
        vec!["--read-only", "dlq", "redrive", name, "--yes"],
        vec!["--read-only", "dlq", "redrive", name, "--native", "--yes"],
        vec!["--read-only", "dlq", "cancel-move", name, "--yes"],
    ] {
        let out = run(state.path(), &args);
        assert_eq!(out.status.code(), Some(3), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains("read-only"));
    }
    // A dry run and a peek change nothing: allowed read-only.
    let out = run(
        state.path(),
        &["--read-only", "dlq", "redrive", name, "--dry-run"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(depth(&c, &pair.dlq_url).await, 3);
    let bad = run(
        state.path(),
        &["dlq", "redrive", name, "--grep", "(unclosed", "--yes"],
    );
    assert_eq!(bad.status.code(), Some(1));
    assert!(
        stderr(&bad).contains("not a regular expression"),
        "{}",
        stderr(&bad)
    );
    let bad = run(
        state.path(),
        &["dlq", "redrive", name, "--attribute", "novalue", "--yes"],
    );
    assert_eq!(bad.status.code(), Some(1));
    let gone = run(state.path(), &["dlq", "peek", "no-such-queue-here"]);
    assert_eq!(gone.status.code(), Some(1));
    assert!(
        stderr(&gone).contains("no-such-queue-here"),
        "{}",
        stderr(&gone)
    );
    // No --yes on a non-terminal stdin: usage, nothing done.
    let out = run(state.path(), &["dlq", "redrive", name]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    // moto serves no move tasks: a clear error, nothing moved.
    let out = run(state.path(), &["dlq", "redrive", name, "--native", "--yes"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(depth(&c, &pair.dlq_url).await, 3);
    let audit = std::fs::read_to_string(state.path().join("audit.jsonl")).unwrap_or_default();
    for line in audit.lines() {
        let entry: Value = serde_json::from_str(line).unwrap();
        assert_ne!(entry["outcome"], "ok", "nothing went through: {line}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn moto_a_one_mebibyte_body_and_a_hostile_body_survive_the_trip() {
    let c = client().await;
    let pair = pair(&c, "big", false).await;
    let big = format!("{{\"pad\":\"{}\"}}", "x".repeat(1024 * 1024 - 300));
    let hostile = format!(
        "{{\"note\":\"{}\"}}",
        moto_support::HOSTILE.replace('\n', "\\n")
    );
    let seeds = vec![
        Seed {
            body: big.clone(),
            kind: "retry",
            group: None,
        },
        Seed {
            body: hostile.clone(),
            kind: "retry",
            group: None,
        },
    ];
    drive_into_dlq(&c, &pair, &seeds).await;
    let state = tempfile::tempdir().unwrap();
    let peek = run(state.path(), &["dlq", "peek", &pair.dlq_name, "--max", "5"]);
    assert!(peek.status.success(), "{}", stderr(&peek));
    assert!(
        !stdout(&peek).contains('\u{1b}'),
        "a body never reaches the terminal raw"
    );
    let out = run(
        state.path(),
        &[
            "dlq",
            "redrive",
            &pair.dlq_name,
            "--yes",
            "--output",
            "json",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let moved = drain(&c, &pair.source_url).await;
    assert!(
        moved.contains_key(&big) && moved.contains_key(&hostile),
        "byte for byte"
    );
}
