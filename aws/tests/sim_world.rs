//! The demo world's logs look like a real serverless app's, through the public API only.
#![cfg(feature = "sim")]

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use unstuck_aws::api::{Backends, Logs};
use unstuck_aws::model::{FilterRequest, LogEvent};
use unstuck_aws::sim::{DEMO_EPOCH_MS, SimWorld, demo_backends};

async fn group_events(logs: &dyn Logs, group: &str) -> Vec<LogEvent> {
    let mut req = FilterRequest {
        group: group.to_owned(),
        ..FilterRequest::default()
    };
    let mut events = Vec::new();
    loop {
        let page = match logs.filter_log_events(&req).await {
            Ok(page) => page,
            Err(e) => panic!("{group}: {e}"),
        };
        events.extend(page.events);
        match page.next_token {
            Some(token) => req.next_token = Some(token),
            None => return events,
        }
    }
}

/// Every event of every group, by group.
async fn world_events(backends: &Backends) -> BTreeMap<String, Vec<LogEvent>> {
    let groups = backends
        .logs
        .list_log_groups(None)
        .await
        .unwrap_or_default();
    let mut all = BTreeMap::new();
    for group in groups {
        let events = group_events(backends.logs.as_ref(), &group.name).await;
        all.insert(group.name, events);
    }
    all
}

fn request_id_of(message: &str) -> Option<&str> {
    let rest = message
        .strip_prefix("START RequestId: ")
        .or_else(|| message.strip_prefix("END RequestId: "))
        .or_else(|| message.strip_prefix("REPORT RequestId: "))?;
    rest.split([' ', '\t']).next()
}

#[tokio::test(start_paused = true)]
async fn the_demo_starts_with_a_full_realistic_world() {
    // How fast it is made is measured by `cargo bench --bench overview` (demo_world).
    let backends = demo_backends(2026);
    assert!(backends.label.is_demo);
    assert_eq!(backends.clock.now_ms(), DEMO_EPOCH_MS);

    let world = world_events(&backends).await;
    assert_eq!(world.len(), 18);
    assert!(world.keys().all(|g| g.starts_with("/aws/lambda/tax-")));
    let mut streams = 0;
    for (group, events) in &world {
        assert!(!events.is_empty(), "{group} is empty");
        let names: BTreeSet<&str> = events.iter().map(|e| e.stream.as_str()).collect();
        assert!(
            (1..=5).contains(&names.len()),
            "{group}: {} streams",
            names.len()
        );
        for name in &names {
            let suffix = name.strip_prefix("2026/11/20/[$LATEST]").unwrap_or("");
            assert!(
                suffix.len() == 32 && suffix.chars().all(|c| c.is_ascii_hexdigit()),
                "{name}"
            );
        }
        streams += names.len();
    }
    assert!((26..=40).contains(&streams), "{streams} streams");
}

#[tokio::test(start_paused = true)]
async fn invocations_have_start_end_and_report_lines_in_one_stream() {
    let backends = demo_backends(7);
    let world = world_events(&backends).await;
    let mut cold_reports = 0;
    for (group, events) in &world {
        let mut by_request: BTreeMap<&str, Vec<&LogEvent>> = BTreeMap::new();
        for event in events {
            if let Some(id) = request_id_of(&event.message) {
                by_request.entry(id).or_default().push(event);
            }
        }
        for (id, lines) in &by_request {
            if lines[0].timestamp_ms > DEMO_EPOCH_MS - 30_000 {
                continue; // Maybe still running, or not all ingested yet.
            }
            assert_eq!(lines.len(), 3, "{group} {id}: {lines:?}");
            assert!(lines.iter().all(|l| l.stream == lines[0].stream));
            assert!(
                lines
                    .windows(2)
                    .all(|w| w[0].timestamp_ms < w[1].timestamp_ms)
            );
            assert_eq!(
                lines[0].message,
                format!("START RequestId: {id} Version: $LATEST")
            );
            assert_eq!(lines[1].message, format!("END RequestId: {id}"));
            let report = &lines[2].message;
            let fields: Vec<&str> = report.split('\t').collect();
            assert!(fields.len() >= 5, "{report}");
            assert!(fields[1].starts_with("Duration: ") && fields[1].ends_with(" ms"));
            assert!(fields[2].starts_with("Billed Duration: "));
            assert!(fields[3].starts_with("Memory Size: ") && fields[3].ends_with(" MB"));
            assert!(fields[4].starts_with("Max Memory Used: "));
            if let Some(init) = fields.get(5) {
                assert!(init.starts_with("Init Duration: ") && init.ends_with(" ms"));
                cold_reports += 1;
                let stream_events: Vec<&LogEvent> = events
                    .iter()
                    .filter(|e| e.stream == lines[0].stream)
                    .collect();
                let start_at = stream_events
                    .iter()
                    .position(|e| e.event_id == lines[0].event_id);
                let before = start_at
                    .and_then(|i| i.checked_sub(1))
                    .map(|i| stream_events[i]);
                assert!(
                    before.is_some_and(|e| e.message.starts_with("INIT_START Runtime Version: ")),
                    "{group}: a cold start begins with INIT_START"
                );
            }
        }
    }
    assert!(cold_reports >= 18, "{cold_reports} cold starts");
}

#[tokio::test(start_paused = true)]
async fn application_lines_are_powertools_json_or_plain_text() {
    let backends = demo_backends(11);
    let world = world_events(&backends).await;
    let validate = &world["/aws/lambda/tax-validate-submission"];
    let json: Vec<serde_json::Value> = validate
        .iter()
        .filter(|e| e.message.starts_with('{'))
        .filter_map(|e| serde_json::from_str(&e.message).ok())
        .collect();
    assert!(json.len() > 100);
    for line in &json {
        for field in [
            "level",
            "message",
            "service",
            "cold_start",
            "function_request_id",
            "xray_trace_id",
            "timestamp",
        ] {
            assert!(line.get(field).is_some(), "{field} missing in {line}");
        }
        assert_eq!(line["service"], "tax-validate-submission");
        assert!(
            line["xray_trace_id"]
                .as_str()
                .is_some_and(|t| t.starts_with("1-"))
        );
    }
    assert!(json.iter().any(|l| l["cold_start"] == true));
    let reconciliation = &world["/aws/lambda/tax-nightly-reconciliation"];
    assert!(
        reconciliation
            .iter()
            .any(|e| e.message.starts_with("[INFO]\t2026-11-20T"))
    );
    let config = &world["/aws/lambda/tax-config-refresh"];
    assert!(
        config
            .iter()
            .any(|e| e.message.contains("\tINFO\tconfig version"))
    );
}

#[tokio::test(start_paused = true)]
async fn failures_leave_stack_traces_timeouts_and_warnings() {
    let backends = demo_backends(3);
    tokio::time::advance(Duration::from_secs(30 * 60)).await;
    let world = world_events(&backends).await;
    let all: Vec<&LogEvent> = world.values().flatten().collect();
    let has = |predicate: &dyn Fn(&str) -> bool| all.iter().any(|e| predicate(&e.message));

    assert!(has(&|m| m.starts_with("[ERROR] ")
        && m.contains(
            "\nTraceback (most recent call last):\n  File \"/var/task/"
        )));
    assert!(has(&|m| m.contains("\tERROR\t") && m.contains("\n    at ")));
    assert!(has(&|m| m.starts_with("java.lang.NullPointerException: ")
        && m.contains(
            "\n\tat eu.example.tax.calculaterefund.RefundCalculator."
        )));
    // printStackTrace without the Lambda appender: one event per frame.
    assert!(has(
        &|m| m.starts_with("\tat eu.example.tax.legacymainframebridge.")
    ));
    assert!(has(&|m| m.contains(" Task timed out after 6.0")));
    assert!(has(
        &|m| m.contains("\"level\":\"WARNING\"") && m.contains("throttled")
    ));

    let refund = &world["/aws/lambda/tax-calculate-refund"];
    let errors = refund
        .iter()
        .filter(|e| e.message.starts_with("{\"level\":\"ERROR\""))
        .count();
    let invocations = refund
        .iter()
        .filter(|e| e.message.starts_with("START"))
        .count();
    assert!(
        errors * 100 > invocations * 3,
        "refunds fail often: {errors} of {invocations}"
    );
    let payments = &world["/aws/lambda/tax-issue-payment"];
    let payment_errors = payments
        .iter()
        .filter(|e| e.message.contains("\"level\":\"ERROR\""))
        .count();
    assert!(
        payment_errors * 100 < payments.len(),
        "other functions are mostly healthy"
    );
}

#[tokio::test(start_paused = true)]
async fn traffic_has_bursts_and_quiet_periods() {
    let backends = demo_backends(5);
    tokio::time::advance(Duration::from_secs(20 * 60)).await;
    let events = group_events(backends.logs.as_ref(), "/aws/lambda/tax-submit-api").await;
    let mut per_minute: BTreeMap<i64, usize> = BTreeMap::new();
    for event in events.iter().filter(|e| e.message.starts_with("START")) {
        *per_minute
            .entry(event.timestamp_ms.div_euclid(30_000))
            .or_default() += 1;
    }
    let busiest = per_minute.values().max().copied().unwrap_or(0);
    let quietest = per_minute.values().min().copied().unwrap_or(0);
    assert!(busiest > quietest * 4, "{per_minute:?}");
}

#[tokio::test(start_paused = true)]
async fn contract_tests_can_seed_an_empty_world() {
    let world = SimWorld::empty(1);
    assert_eq!(world.create_log_group("/contract/logs"), Ok(()));
    let events = [(DEMO_EPOCH_MS - 5, "hello".to_owned())];
    assert_eq!(
        world.put_log_events("/contract/logs", "s1", &events),
        Ok(())
    );
    let logs: &dyn Logs = world.as_ref();
    let seen = group_events(logs, "/contract/logs").await;
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].message, "hello");
    assert_eq!(seen[0].stream, "s1");
}
