//! The overview, functions and signals panes on the demo world's data (paused time, so the
//! same every run): the overview tells the demo's story (the refund consumer failing: its
//! alarm, its errors, its DLQ, the canary step, the portal's JS errors) ordered by severity
//! and recency, and each of its rows opens the pane that acts on it with the item selected;
//! snapshots of each pane at 160x48 and 80x24 in data, loading, error and stale.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod executions_support;

use executions_support::{clone_polled, state, status_text};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use unstuck::config::Action;
use unstuck::runtime::buffer_text;
use unstuck::state::overview::{FindingKind, Severity, overview_topics, stuck_scan_topics};
use unstuck::state::shell::keys::on_action;
use unstuck::state::{AppState, Msg, PaneId, update, wanted_topics};
use unstuck_aws::api::{
    Backends, Data, FunctionsTopic, SignalsTopic, StepFunctionsData, Topic, Unpaced,
};
use unstuck_aws::model::BackendError;
use unstuck_aws::model::functions::MetricWindow;

fn render(s: &AppState) -> String {
    let mut terminal = Terminal::new(TestBackend::new(s.size.0, s.size.1)).unwrap();
    terminal.draw(|f| unstuck::state::draw(f, s)).unwrap();
    buffer_text(terminal.backend().buffer())
}

/// Every topic the three panes read (the functions and signals panes at their 1 h default).
fn topics() -> Vec<Topic> {
    let mut out = overview_topics().to_vec();
    out.push(Topic::Functions(FunctionsTopic::Table {
        window: MetricWindow::H1,
    }));
    out.push(Topic::Functions(FunctionsTopic::ColdStarts {
        window: MetricWindow::H1,
    }));
    out.push(Topic::Signals(SignalsTopic::Rum {
        window: MetricWindow::H1,
    }));
    out
}

/// The demo world 15 minutes on, each topic polled once.
async fn demo_polls() -> (Backends, Vec<Msg>) {
    let backends = unstuck_aws::sim::demo_backends(7);
    tokio::time::sleep(std::time::Duration::from_secs(900)).await;
    let mut msgs = Vec::new();
    let mut scans = Vec::new();
    for topic in topics() {
        let result = topic.fetch(&backends, &Unpaced).await;
        assert!(result.is_ok(), "{topic:?}: {result:?}");
        if let Ok(Data::StepFunctions(StepFunctionsData::Machines(rows))) = &result {
            scans = stuck_scan_topics(rows);
        }
        msgs.push(Msg::Polled {
            topic,
            at_ms: backends.clock.now_ms(),
            result,
        });
    }
    // Then the machines with running executions, as the overview subscribes to them.
    assert!(!scans.is_empty(), "the demo has running executions");
    for scan in scans {
        let topic = Topic::StepFunctions(scan);
        let result = topic.fetch(&backends, &Unpaced).await;
        assert!(result.is_ok(), "{topic:?}: {result:?}");
        msgs.push(Msg::Polled {
            topic,
            at_ms: backends.clock.now_ms(),
            result,
        });
    }
    (backends, msgs)
}

fn fed(msgs: &[Msg], w: u16, h: u16) -> AppState {
    let mut s = state(true);
    update(&mut s, Msg::Resize(w, h));
    for m in msgs {
        update(&mut s, clone_polled(m));
    }
    on_action(&mut s, Action::GotoOverview);
    s
}

/// The line the cursor is on (the `›` row).
fn selected_line(text: &str) -> &str {
    text.lines()
        .find(|l| l.contains('›'))
        .unwrap_or_else(|| panic!("no selected row:\n{text}"))
}

#[tokio::test(start_paused = true)]
async fn the_demo_overview_tells_one_story_and_every_row_opens_its_pane() {
    let (_backends, msgs) = demo_polls().await;
    let mut s = fed(&msgs, 160, 48);
    assert_eq!(s.pane, PaneId::Overview);
    let findings = s.overview.overview().findings.clone();
    // Critical first; within a severity, the newest first and the undated last.
    let severities: Vec<Severity> = findings.iter().map(|f| f.severity).collect();
    let mut sorted = severities.clone();
    sorted.sort();
    assert_eq!(severities, sorted);
    for pair in findings.windows(2) {
        if pair[0].severity == pair[1].severity {
            assert!(
                pair[1].since.is_none() || pair[0].since >= pair[1].since,
                "{pair:?}"
            );
        }
    }
    let find = |kind: FindingKind, resource: &str| {
        findings
            .iter()
            .position(|f| f.kind == kind && f.resource == resource)
            .unwrap_or_else(|| panic!("no {kind:?} finding for {resource}: {findings:#?}"))
    };
    // The story: the refund consumer fails, its alarm fires, its DLQ fills, the journey
    // canary fails at the refund step and the portal's JS errors rise.
    let alarm = find(FindingKind::Alarm, "tax-calculate-refund-errors");
    assert_eq!(findings[alarm].severity, Severity::Critical);
    let function = find(FindingKind::Function, "tax-calculate-refund");
    assert_eq!(findings[function].severity, Severity::Critical);
    let dlq = find(FindingKind::Dlq, "tax-refund-calculation-dlq");
    let canary = find(FindingKind::Canary, "tax-submit-journey");
    assert!(findings[canary].summary.contains("submit return"));
    find(FindingKind::Rum, "tax-portal");
    let machine = find(FindingKind::Executions, "tax-return-processing");
    // Approvals nobody will send and amendments held until the deadline: stuck, critical.
    let stuck = find(FindingKind::Stuck, "tax-return-processing");
    assert_eq!(findings[stuck].severity, Severity::Critical);
    assert!(
        findings[stuck]
            .summary
            .contains("stuck of the 10 longest-running"),
        "{:?}",
        findings[stuck]
    );
    let held = find(FindingKind::Stuck, "tax-amendment-review");
    assert!(
        findings[held].summary.contains("Wait"),
        "{:?}",
        findings[held]
    );
    let healthy = &s.overview.overview().healthy;
    assert!(
        healthy
            .iter()
            .any(|(what, n)| what.contains("alarms OK") && *n == 3)
    );

    // Each row opens its pane with its item selected.
    let cases = [
        (alarm, PaneId::Signals, "tax-calculate-refund-errors"),
        (canary, PaneId::Signals, "tax-submit-journey"),
        (function, PaneId::Functions, "tax-calculate-refund"),
        (dlq, PaneId::Queues, "tax-refund-calculation-dlq"),
    ];
    for (row, pane, name) in cases {
        on_action(&mut s, Action::GotoOverview);
        on_action(&mut s, Action::ScrollTop);
        for _ in 0..row {
            on_action(&mut s, Action::ScrollDown);
        }
        on_action(&mut s, Action::Open);
        assert_eq!(s.pane, pane, "row {row} ({name})");
        if pane == PaneId::Queues {
            // The queue table marks its row by colour alone.
            assert_eq!(s.queues.selected_name(), Some(name));
            continue;
        }
        let text = render(&s);
        assert!(selected_line(&text).contains(name), "{name}:\n{text}");
    }
    on_action(&mut s, Action::GotoOverview);
    on_action(&mut s, Action::ScrollTop);
    for _ in 0..machine {
        on_action(&mut s, Action::ScrollDown);
    }
    on_action(&mut s, Action::Open);
    assert_eq!(s.pane, PaneId::Executions);
    let text = render(&s);
    assert!(
        text.lines()
            .nth(1)
            .unwrap()
            .contains("tax-return-processing"),
        "the machine is open:\n{text}"
    );
    // Several stuck: their machine's list opens.
    on_action(&mut s, Action::GotoOverview);
    on_action(&mut s, Action::ScrollTop);
    for _ in 0..stuck {
        on_action(&mut s, Action::ScrollDown);
    }
    on_action(&mut s, Action::Open);
    assert_eq!(s.pane, PaneId::Executions);
    assert!(
        render(&s)
            .lines()
            .nth(1)
            .unwrap()
            .contains("tax-return-processing"),
        "the machine with stuck executions is open"
    );
}

#[tokio::test(start_paused = true)]
async fn from_a_function_enter_tails_its_logs_and_o_opens_its_queue() {
    let (_backends, msgs) = demo_polls().await;
    let mut s = fed(&msgs, 160, 48);
    on_action(&mut s, Action::GotoFunctions);
    // Sorted by errors: the failing refund consumer is first, and stands out.
    let text = render(&s);
    assert!(
        selected_line(&text).contains("tax-calculate-refund"),
        "{text}"
    );
    assert!(text.contains("calls and errors per 1m") && text.contains("p99 duration"));
    on_action(&mut s, Action::OpenSource);
    assert_eq!(s.pane, PaneId::Queues);
    assert_eq!(s.queues.selected_name(), Some("tax-refund-calculation"));
    on_action(&mut s, Action::GotoFunctions);
    let effects = on_action(&mut s, Action::Open);
    assert_eq!(s.pane, PaneId::Logs);
    assert!(
        format!("{effects:?}").contains("/aws/lambda/tax-calculate-refund"),
        "{effects:?}"
    );
    // Left picks a chart point (the newest, then earlier): marked on the charts, and enter
    // opens the function's logs from that minute rather than a tail from now.
    on_action(&mut s, Action::GotoFunctions);
    on_action(&mut s, Action::ScrollLeft);
    on_action(&mut s, Action::ScrollLeft);
    let text = render(&s);
    assert!(text.contains("(enter: its logs)"), "{text}");
    let effects = on_action(&mut s, Action::Open);
    assert_eq!(s.pane, PaneId::Logs);
    let now = s.now_ms;
    // The logs pane starts a tail of the function's group from that minute.
    let started = format!("{effects:?}");
    assert!(
        started.contains("/aws/lambda/tax-calculate-refund"),
        "{started}"
    );
    let since: i64 = started
        .split("since_ms: Some(")
        .nth(1)
        .and_then(|rest| rest.split(')').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("logs from a point: {started}"));
    // The 1 h window's second-newest minute: one to two minutes ago.
    assert_eq!(since % 60_000, 0);
    assert!(
        (60_000..=120_000).contains(&(now - since)),
        "{}",
        now - since
    );
    // Once the tail has caught up, the view pauses on the point's first line, not the newest.
    let tail_id: u64 = started
        .split("tail_id: ")
        .nth(1)
        .and_then(|rest| rest.split(',').next())
        .and_then(|n| n.parse().ok())
        .unwrap();
    let line = |ts: i64, id: &str, message: &str| unstuck_aws::model::LogEvent {
        timestamp_ms: ts,
        ingestion_time_ms: ts,
        group: "/aws/lambda/tax-calculate-refund".into(),
        stream: "s".into(),
        event_id: id.into(),
        message: message.into(),
    };
    update(
        &mut s,
        Msg::Tail(unstuck::tail::TailReport::Events {
            tail_id,
            at_ms: now,
            events: vec![
                line(since + 2_000, "1", "at the point"),
                line(now - 500, "2", "the newest"),
            ],
        }),
    );
    update(
        &mut s,
        Msg::Tail(unstuck::tail::TailReport::Caught {
            tail_id,
            at_ms: now,
        }),
    );
    assert!(!s.logs.follow, "paused at the point");
    let at = s.logs.cursor_position().unwrap();
    let row = s.logs.shown_row_index(at).unwrap();
    assert_eq!(s.logs.rows[row].text, "at the point");
    // Right past the newest point is now again: a tail.
    on_action(&mut s, Action::GotoFunctions);
    on_action(&mut s, Action::ScrollRight);
    on_action(&mut s, Action::ScrollRight);
    let effects = on_action(&mut s, Action::Open);
    assert!(
        format!("{effects:?}").contains("backfill_ms: 300000"),
        "a tail with its usual 5 minutes of backfill: {effects:?}"
    );
    // Every column sorts; 15 presses come back to the start (name, then 14 columns).
    on_action(&mut s, Action::GotoFunctions);
    for _ in 0..15 {
        on_action(&mut s, Action::CycleSort);
    }
    assert!(selected_line(&render(&s)).contains("tax-calculate-refund"));
    // From ERR (the fifth column) ten more presses reach NAME.
    for _ in 0..10 {
        on_action(&mut s, Action::CycleSort);
    }
    let by_name = render(&s);
    assert!(
        selected_line(&by_name).contains("tax-audit-trail"),
        "{by_name}"
    );
}

/// `/TEXT` and enter, as typed.
fn filter_to(s: &mut AppState, text: &str) {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    let now = s.now_ms;
    for code in std::iter::once(KeyCode::Char('/'))
        .chain(text.chars().map(KeyCode::Char))
        .chain(std::iter::once(KeyCode::Enter))
    {
        update(s, Msg::key(KeyEvent::new(code, KeyModifiers::NONE), now));
    }
}

/// `topic` fetched from the demo world and fed to the reducer.
async fn poll_into(s: &mut AppState, backends: &Backends, topic: &Topic) {
    let result = topic.fetch(backends, &Unpaced).await;
    assert!(result.is_ok(), "{topic:?}: {result:?}");
    update(
        s,
        Msg::Polled {
            topic: topic.clone(),
            at_ms: backends.clock.now_ms(),
            result,
        },
    );
}

/// A function a state machine invokes leads to that machine's executions.
#[tokio::test(start_paused = true)]
async fn o_leads_from_a_step_function_to_the_machine_that_invokes_it() {
    let (backends, msgs) = demo_polls().await;
    let mut s = fed(&msgs, 160, 48);
    on_action(&mut s, Action::GotoFunctions);
    filter_to(&mut s, "fraud-screening");
    on_action(&mut s, Action::OpenSource);
    for topic in [
        Topic::Functions(FunctionsTopic::Destinations {
            function: "tax-fraud-screening".into(),
        }),
        Topic::Functions(FunctionsTopic::Invokers {
            function: "tax-fraud-screening".into(),
        }),
    ] {
        poll_into(&mut s, &backends, &topic).await;
    }
    assert_eq!(s.pane, PaneId::Executions, "{}", status_text(&s));
    // What it followed is said in the pane it opened.
    assert!(
        status_text(&s).contains("invoked by state machine tax-return-processing ("),
        "{}",
        status_text(&s)
    );
    assert!(
        render(&s)
            .lines()
            .nth(1)
            .unwrap()
            .contains("tax-return-processing"),
        "the machine is open:\n{}",
        render(&s)
    );
}

/// `o` on a function that no queue feeds reads its asynchronous destinations, then follows
/// them: the demo's mainframe bridge hands its successes to the audit trail (opened in the
/// functions pane) and its failures to an SNS topic (named: unstuck has no SNS pane).
#[tokio::test(start_paused = true)]
async fn o_reads_a_functions_destinations_then_follows_them() {
    let (backends, msgs) = demo_polls().await;
    let mut s = fed(&msgs, 160, 48);
    on_action(&mut s, Action::GotoFunctions);
    filter_to(&mut s, "mainframe");
    assert!(selected_line(&render(&s)).contains("tax-legacy-mainframe-bridge"));
    let destinations = Topic::Functions(FunctionsTopic::Destinations {
        function: "tax-legacy-mainframe-bridge".into(),
    });
    let invokers = Topic::Functions(FunctionsTopic::Invokers {
        function: "tax-legacy-mainframe-bridge".into(),
    });
    assert!(!wanted_topics(&s).contains(&destinations));
    let effects = on_action(&mut s, Action::OpenSource);
    assert!(effects.is_empty(), "{effects:?}");
    assert_eq!(s.pane, PaneId::Functions);
    assert!(status_text(&s).contains("reading where tax-legacy-mainframe-bridge leads"));
    // The pane now wants them: one ListFunctionEventInvokeConfigs, and the machines'
    // definitions, for this function only.
    let wanted = wanted_topics(&s);
    assert!(
        wanted.contains(&destinations) && wanted.contains(&invokers),
        "{wanted:?}"
    );
    poll_into(&mut s, &backends, &destinations).await;
    assert!(
        status_text(&s).contains("reading where"),
        "it waits for both reads"
    );
    poll_into(&mut s, &backends, &invokers).await;
    let status = status_text(&s);
    assert!(
        status.contains("on failure → SNS topic tax-ops-alerts (no pane)")
            && status.contains("opened function tax-audit-trail"),
        "{status}"
    );
    // Selected, the filter that hid it cleared.
    assert_eq!(s.pane, PaneId::Functions);
    assert!(
        selected_line(&render(&s)).contains("tax-audit-trail"),
        "{}",
        render(&s)
    );
    // The detail of the bridge lists both.
    filter_to(&mut s, "mainframe");
    on_action(&mut s, Action::Expand);
    let text = render(&s);
    assert!(
        text.contains("arn:aws:sns:eu-west-1:123456789012:tax-ops-alerts")
            && text.contains("function:tax-audit-trail"),
        "{text}"
    );
}

#[tokio::test(start_paused = true)]
async fn each_pane_at_160x48_and_80x24() {
    let (_backends, msgs) = demo_polls().await;
    for (w, h) in [(160, 48), (80, 24)] {
        let mut s = fed(&msgs, w, h);
        for (pane, action) in [
            ("overview", Action::GotoOverview),
            ("functions", Action::GotoFunctions),
            ("signals", Action::GotoSignals),
        ] {
            on_action(&mut s, action);
            insta::assert_snapshot!(format!("{pane}_{w}x{h}"), render(&s));
        }
    }
}

#[tokio::test(start_paused = true)]
async fn loading_failed_and_stale_say_so() {
    let (_backends, msgs) = demo_polls().await;
    let throttled = |m: &Msg| match m {
        Msg::Polled { topic, at_ms, .. } => Msg::Polled {
            topic: topic.clone(),
            at_ms: at_ms + 60_000,
            result: Err(BackendError::Throttled {
                retry_after: None,
                message: "Rate exceeded".into(),
            }),
        },
        _ => unreachable!(),
    };
    for (pane, action) in [
        ("overview", Action::GotoOverview),
        ("functions", Action::GotoFunctions),
        ("signals", Action::GotoSignals),
    ] {
        // Loading: nothing polled yet.
        let mut s = state(true);
        update(&mut s, Msg::Resize(80, 24));
        on_action(&mut s, action);
        let text = render(&s);
        assert!(text.contains("loading"), "{pane}:\n{text}");
        insta::assert_snapshot!(format!("{pane}_loading_80x24"), text);
        // Failed: errors and no data.
        for m in &msgs {
            update(&mut s, throttled(m));
        }
        let text = render(&s);
        assert!(text.contains("Rate exceeded"), "{pane}:\n{text}");
        insta::assert_snapshot!(format!("{pane}_failed_80x24"), text);
        // Stale: the data kept, the error said.
        let mut s = fed(&msgs, 80, 24);
        on_action(&mut s, action);
        for m in &msgs {
            update(&mut s, throttled(m));
        }
        let text = render(&s);
        assert!(text.contains("STALE"), "{pane}:\n{text}");
        insta::assert_snapshot!(format!("{pane}_stale_80x24"), text);
    }
}
