//! The logs pane's hot paths: ingesting events into the bounded buffer, and drawing one frame
//! at 160x48 with 100k buffered lines and a filter on. Targets (issue 3): ingest >= 200k
//! lines/s; one frame <= 2 ms. Events come from the demo world, so they look like real Lambda
//! logs (START/END/REPORT, Powertools JSON, stack traces).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;
use std::sync::Arc;
use std::time::Duration;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use unstuck::config::{ConfigDirs, Overrides};
use unstuck::state::{AppState, LogsPane, PaneId, StartOptions, draw};
use unstuck_aws::api::{BackendLabel, Logs};
use unstuck_aws::model::{FilterRequest, LogEvent};
use unstuck_aws::sim::SimWorld;

const BUFFER: usize = 100_000;

/// About 100k realistic events: the demo world's logs, repeated with fresh ids.
fn demo_events() -> Vec<LogEvent> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .unwrap();
    runtime.block_on(async {
        let world = SimWorld::new(1);
        tokio::time::sleep(Duration::from_secs(600)).await;
        let mut events = Vec::new();
        for function in world.function_names() {
            let mut token = None;
            loop {
                let request = FilterRequest {
                    group: format!("/aws/lambda/{function}"),
                    start_ms: 0,
                    next_token: token,
                    ..FilterRequest::default()
                };
                let page = world.filter_log_events(&request).await.unwrap();
                events.extend(page.events);
                match page.next_token {
                    Some(t) => token = Some(t),
                    None => break,
                }
            }
        }
        events.sort_by_key(|e| e.timestamp_ms);
        let base: Vec<LogEvent> = events;
        let mut out = Vec::with_capacity(BUFFER);
        let span = base.last().unwrap().timestamp_ms - base[0].timestamp_ms + 1;
        let mut round = 0;
        while out.len() < BUFFER {
            for e in &base {
                let mut e = e.clone();
                e.timestamp_ms += span * round;
                e.event_id = format!("{}-{round}", e.event_id);
                out.push(e);
                if out.len() == BUFFER {
                    break;
                }
            }
            round += 1;
        }
        out
    })
}

fn ingest(c: &mut Criterion) {
    let events = demo_events();
    let batch = 1_000;
    let mut group = c.benchmark_group("logs_pane_ingest");
    group.throughput(Throughput::Elements(batch as u64));
    // Steady state: a full buffer, so every batch also drops the oldest lines.
    let mut full = LogsPane::new(BUFFER);
    full.ingest(events.clone());
    let mut offset = 0i64;
    group.bench_function("1000_events_into_full_100k_buffer", |b| {
        b.iter_batched(
            || {
                offset += 1;
                events[..batch]
                    .iter()
                    .map(|e| {
                        let mut e = e.clone();
                        e.timestamp_ms += 10_000_000_000 + offset * 100_000;
                        e
                    })
                    .collect::<Vec<_>>()
            },
            |batch_events| full.ingest(black_box(batch_events)),
            BatchSize::SmallInput,
        );
    });
    group.finish();
}

fn frame(c: &mut Criterion) {
    let events = demo_events();
    let config =
        unstuck::config::load(&ConfigDirs { dir: None }, &Overrides::default(), false).unwrap();
    let label = BackendLabel {
        profile: "DEMO".into(),
        region: "eu-west-1".into(),
        endpoint_url: None,
        is_demo: true,
    };
    let mut state = AppState::new(
        Arc::new(config.keymap),
        config.theme,
        label,
        StartOptions::default(),
    );
    state.pane = PaneId::Logs;
    state.size = (160, 48);
    state.logs = LogsPane::new(BUFFER);
    state.logs.groups = vec!["/aws/lambda/tax-submit-api".into()];
    state.logs.ingest(events);
    assert_eq!(state.logs.rows.len(), BUFFER);
    let mut terminal = Terminal::new(TestBackend::new(160, 48)).unwrap();
    let mut group = c.benchmark_group("logs_pane_frame_160x48");
    group.bench_function("100k_lines_no_filter", |b| {
        b.iter(|| {
            terminal.draw(|f| draw(f, black_box(&state))).unwrap();
        });
    });
    let re = regex::RegexBuilder::new("error")
        .case_insensitive(true)
        .build()
        .unwrap();
    state.logs.set_filter(Some(("error".into(), re)));
    assert!(
        state.logs.shown_len() > 100,
        "the filter should match some lines"
    );
    group.bench_function("100k_lines_filter_error", |b| {
        b.iter(|| {
            terminal.draw(|f| draw(f, black_box(&state))).unwrap();
        });
    });
    group.finish();
}

criterion_group!(benches, ingest, frame);
criterion_main!(benches);
