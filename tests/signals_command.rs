//! `unstuck functions`, `alarms`, `canaries`, `rum` and `overview` as a script runs them on
//! the demo world: the JSON contract of each, the text tables, and exit 2 for bad usage and
//! 1 (in bounded time) when the endpoint is down.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod moto_support;

use std::time::{Duration, Instant};

use moto_support::unstuck;
use serde_json::Value;

fn ok_stdout(args: &[&str]) -> String {
    let out = unstuck(args, &[]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn json_lines(args: &[&str]) -> Vec<Value> {
    ok_stdout(args)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn demo_functions_carry_their_numbers_and_cold_starts() {
    let rows = json_lines(&["functions", "--demo", "--window", "15m", "--output", "json"]);
    assert_eq!(rows.len(), 18, "the demo's 18 functions");
    for row in &rows {
        for field in [
            "name",
            "invocations",
            "errors",
            "throttles",
            "cold_start_pct",
        ] {
            assert!(row.get(field).is_some(), "{field} missing: {row}");
        }
        let d = &row["duration_ms"];
        assert!(
            d["p50"].is_number() && d["p95"].is_number() && d["p99"].is_number(),
            "{row}"
        );
        assert!(d["p50"].as_f64() <= d["p99"].as_f64(), "{row}");
        assert_eq!(row["window"], "15m");
    }
    // Sorted by errors: the refund consumer the demo's incident is about comes first.
    let first = &rows[0];
    assert_eq!(first["name"], "tax-calculate-refund");
    assert!(first["errors"].as_f64().unwrap() >= 5.0, "{first}");
    assert!(first["in_trouble"].as_bool().unwrap());
    // Java cold starts show in its REPORT lines' Init Duration.
    assert!(first["cold_start_pct"].as_f64().unwrap() > 0.0, "{first}");
    assert!(
        first["init_duration_ms"]["p50"].as_f64().unwrap() > 100.0,
        "{first}"
    );
    let text = ok_stdout(&["functions", "--demo"]);
    assert!(
        text.starts_with("FUNCTION") && text.contains("(last 1h)"),
        "{text}"
    );
    assert!(
        text.lines()
            .nth(1)
            .unwrap()
            .starts_with("tax-calculate-refund")
    );
}

#[test]
fn demo_alarms_canaries_and_rum_say_what_fails() {
    let alarms = json_lines(&["alarms", "--demo", "--output", "json"]);
    assert_eq!(alarms.len(), 5);
    assert_eq!(alarms[0]["state"], "ALARM", "in ALARM first");
    let refund = alarms
        .iter()
        .find(|a| a["name"] == "tax-calculate-refund-errors")
        .unwrap();
    assert_eq!(refund["state"], "ALARM");
    assert_eq!(refund["metric"]["name"], "Errors");
    assert_eq!(
        refund["metric"]["dimensions"]["FunctionName"],
        "tax-calculate-refund"
    );
    assert!(refund["since"].as_str().unwrap().ends_with('Z'));

    let canaries = json_lines(&["canaries", "--demo", "--output", "json"]);
    let journey = canaries
        .iter()
        .find(|c| c["name"] == "tax-submit-journey")
        .unwrap();
    assert!(
        journey["success_pct"].as_f64().unwrap() < 100.0,
        "{journey}"
    );
    let home = canaries
        .iter()
        .find(|c| c["name"] == "tax-portal-home")
        .unwrap();
    assert_eq!(home["failing"], false);

    let rum = json_lines(&["rum", "--demo", "--output", "json"]);
    assert_eq!(rum.len(), 1);
    let portal = &rum[0];
    assert_eq!(portal["name"], "tax-portal");
    assert!(portal["js_errors"].as_f64().unwrap() > 0.0);
    let apdex = portal["apdex"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&apdex));
    assert!(portal["lcp_p75_ms"].is_number() && portal["cls_p75"].is_number());
    assert!(ok_stdout(&["alarms", "--demo"]).contains("ALARM    tax-calculate-refund-errors"));
}

#[test]
fn demo_overview_is_an_array_of_findings_most_severe_first() {
    let out = ok_stdout(&["overview", "--demo", "--output", "json"]);
    let findings: Vec<Value> = serde_json::from_str(&out).unwrap();
    assert!(findings.len() >= 5, "{out}");
    for f in &findings {
        for field in ["severity", "kind", "resource", "summary", "since"] {
            assert!(f.get(field).is_some(), "{field} missing: {f}");
        }
    }
    let severities: Vec<&str> = findings
        .iter()
        .map(|f| f["severity"].as_str().unwrap())
        .collect();
    let first_warning = severities.iter().position(|s| *s == "warning").unwrap();
    assert!(severities[..first_warning].iter().all(|s| *s == "critical"));
    assert!(severities[first_warning..].iter().all(|s| *s == "warning"));
    let has = |kind: &str, resource: &str| {
        findings
            .iter()
            .any(|f| f["kind"] == kind && f["resource"] == resource)
    };
    assert!(has("alarm", "tax-calculate-refund-errors"));
    assert!(has("function", "tax-calculate-refund"));
    assert!(has("dlq", "tax-refund-calculation-dlq"));
    assert!(has("canary", "tax-submit-journey"));
    let text = ok_stdout(&["overview", "--demo"]);
    assert!(
        text.starts_with("SEVERITY") && text.contains("healthy: "),
        "{text}"
    );
}

#[test]
fn bad_usage_is_exit_2_and_a_dead_endpoint_exit_1_in_bounded_time() {
    for usage in [
        vec!["functions", "--demo", "--window", "2h"],
        vec!["rum", "--demo", "--output", "yaml"],
        vec!["overview", "--demo", "extra"],
    ] {
        assert_eq!(unstuck(&usage, &[]).status.code(), Some(2), "{usage:?}");
    }
    // Nothing listens there: every part fails, the command says so and ends.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let endpoint = format!("http://127.0.0.1:{port}");
    let env = [
        ("AWS_ACCESS_KEY_ID", "testing"),
        ("AWS_SECRET_ACCESS_KEY", "testing"),
        ("AWS_REGION", "us-east-1"),
    ];
    for command in ["overview", "alarms", "functions"] {
        let started = Instant::now();
        let out = unstuck(&[command, "--endpoint-url", &endpoint], &env);
        assert_eq!(out.status.code(), Some(1), "{command}");
        assert!(started.elapsed() < Duration::from_secs(120), "{command}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.trim().is_empty(), "{command}: says why");
    }
}
