//! The overview refresh (issue 11) against the demo world sized up to 1,000 functions, 500
//! queues and 200 state machines: the API calls of one refresh (first, with cold caches, and
//! the next one), the time to build the overview from those results (target <= 50 ms), and
//! one 160x48 frame of it (target <= 2 ms). The call counts and the GetMetricData metrics
//! of a refresh are printed before the timings. A refresh includes the stuck scans of the
//! machines with running executions (the overview subscribes to them once the machines are
//! read). Also timed: generating the demo world (`unstuck --demo`'s start).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;
use std::sync::Arc;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use unstuck::config::{Action, ConfigDirs, Overrides};
use unstuck::state::overview::{overview_topics, stuck_scan_topics};
use unstuck::state::shell::keys::on_action;
use unstuck::state::{AppState, Msg, StartOptions, draw, update};
use unstuck_aws::api::{
    ACCOUNT_TOTALS, Backends, Data, FunctionsData, FunctionsTopic, HEALTH_POLL_MS,
    StepFunctionsData, Topic, Unpaced, per_function_every_ms,
};
use unstuck_aws::model::BackendError;
use unstuck_aws::sim::sized::{AccountSize, sized_demo_backends};

const SIZE: AccountSize = AccountSize {
    functions: 1_000,
    queues: 500,
    machines: 200,
};

type Results = Vec<(Topic, Result<Data, BackendError>)>;

/// One refresh: every overview topic fetched once, as the pollers do; the calls it made.
async fn refresh(backends: &Backends) -> (Results, Vec<(String, u64)>, usize) {
    let before: std::collections::BTreeMap<String, u64> =
        backends.calls.snapshot().into_iter().collect();
    let mut results = Vec::new();
    for topic in overview_topics() {
        let result = topic.fetch(backends, &Unpaced).await;
        results.push((topic, result));
    }
    for topic in scans(&results) {
        let result = topic.fetch(backends, &Unpaced).await;
        results.push((topic, result));
    }
    let calls = backends
        .calls
        .snapshot()
        .into_iter()
        .map(|(op, n)| {
            let was = before.get(&op).copied().unwrap_or(0);
            (op, n - was)
        })
        .filter(|(_, n)| *n > 0)
        .collect();
    let metrics = results
        .iter()
        .map(|(_, r)| match r {
            Ok(Data::Functions(FunctionsData::Table(t))) => t.metrics_requested,
            _ => 0,
        })
        .sum();
    (results, calls, metrics)
}

/// The stuck scans the machines read call for.
fn scans(results: &Results) -> Vec<Topic> {
    results
        .iter()
        .find_map(|(_, r)| match r {
            Ok(Data::StepFunctions(StepFunctionsData::Machines(rows))) => Some(rows),
            _ => None,
        })
        .map(|rows| {
            stuck_scan_topics(rows)
                .into_iter()
                .map(Topic::StepFunctions)
                .collect()
        })
        .unwrap_or_default()
}

/// Each overview topic fetched once on a warm world (caches filled), its calls scaled by
/// its polling interval: (service, calls/min, quota/min) and metrics/min.
async fn steady_rates() -> (Vec<(&'static str, f64, f64)>, f64) {
    let backends = sized_demo_backends(7, SIZE);
    let (results, _, _) = refresh(&backends).await;
    let mut by_service: std::collections::BTreeMap<&'static str, f64> = Default::default();
    let mut metrics_per_min = 0.0;
    for topic in overview_topics().into_iter().chain(scans(&results)) {
        let before = backends.calls.snapshot();
        let metrics_before = backends.calls.billed().metrics_requested;
        let _ = topic.fetch(&backends, &Unpaced).await;
        let per_min = 60.0 / topic.timing().interval.as_secs_f64();
        for (op, n) in backends.calls.snapshot() {
            let was = before.iter().find(|(o, _)| *o == op).map_or(0, |(_, n)| *n);
            let label = unstuck_aws::api::service_of_operation(&op)
                .map_or("Synthetics / RUM", |s| s.quota().label);
            *by_service.entry(label).or_default() += (n - was) as f64 * per_min;
        }
        // The function health's metrics depend on the account's errors: counted apart.
        if !matches!(topic, Topic::Functions(FunctionsTopic::Health { .. })) {
            metrics_per_min +=
                (backends.calls.billed().metrics_requested - metrics_before) as f64 * per_min;
        }
    }
    let rows = by_service
        .into_iter()
        .map(|(label, per_min)| {
            let quota = unstuck_aws::api::SERVICE_QUOTAS
                .iter()
                .find(|q| q.label == label)
                .map_or(f64::INFINITY, |q| q.quota_per_second * 60.0);
            (label, per_min, quota)
        })
        .collect();
    (rows, metrics_per_min)
}

fn state() -> AppState {
    let config =
        unstuck::config::load(&ConfigDirs { dir: None }, &Overrides::default(), false).unwrap();
    let label = unstuck_aws::api::BackendLabel {
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
    update(&mut state, Msg::Resize(160, 48));
    on_action(&mut state, Action::GotoOverview);
    state
}

fn feed(state: &mut AppState, results: &Results) {
    for (topic, result) in results {
        update(
            state,
            Msg::Polled {
                topic: topic.clone(),
                at_ms: 1_796_000_000_000,
                result: result.clone(),
            },
        );
    }
}

fn overview(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let (results, first, second, metrics) = runtime.block_on(async {
        let backends = sized_demo_backends(7, SIZE);
        let (_, first, metrics) = refresh(&backends).await;
        let (results, second, _) = refresh(&backends).await;
        (results, first, second, metrics)
    });
    for (label, calls) in [("first refresh", &first), ("next refresh", &second)] {
        let total: u64 = calls.iter().map(|(_, n)| n).sum();
        println!("overview {label}: {total} calls: {calls:?}");
    }
    println!("GetMetricData metrics of a read of every function's health: {metrics}");
    // Steady state: each topic at its own interval, per minute, against each quota.
    let per_minute = runtime.block_on(steady_rates());
    for (service, calls_per_min, quota_per_min) in &per_minute.0 {
        println!(
            "steady: {service:<16} {calls_per_min:>8.1} calls/min of {quota_per_min:>7.0} \
             ({:.1}% of quota)",
            calls_per_min * 100.0 / quota_per_min
        );
    }
    let others = per_minute.1 * 60.0;
    println!(
        "steady: {others:.0} GetMetricData metrics/h = ${:.4}/h (alarms, RUM)",
        others / 1000.0 * 0.01
    );
    // The function health: every function read one by one when due, the account's totals
    // at the other polls; at every poll while the account's errors are above their baseline.
    let polls_per_hour = 3_600_000.0 / HEALTH_POLL_MS as f64;
    let full_per_hour = 3_600_000.0 / per_function_every_ms(SIZE.functions) as f64;
    let totals = ACCOUNT_TOTALS.len() as f64;
    let gated = full_per_hour < polls_per_hour;
    let calm = metrics as f64 * full_per_hour
        + if gated {
            totals * (polls_per_hour - full_per_hour)
        } else {
            0.0
        };
    let up = (metrics as f64 + if gated { totals } else { 0.0 }) * polls_per_hour;
    for (label, health) in [("calm", calm), ("while the account's errors rise", up)] {
        println!(
            "steady, {label}: function health {health:.0} metrics/h; with the rest \
             {:.0} metrics/h = ${:.4}/h",
            health + others,
            (health + others) / 1000.0 * 0.01
        );
    }
    for (topic, result) in &results {
        assert!(result.is_ok(), "{topic:?}: {result:?}");
    }

    let mut group = c.benchmark_group("overview_1000fn_500q_200sm");
    group.bench_function("build_from_a_refresh", |b| {
        b.iter_batched(
            state,
            |mut s| {
                feed(&mut s, black_box(&results));
                s
            },
            BatchSize::LargeInput,
        );
    });
    let mut s = state();
    feed(&mut s, &results);
    assert!(!s.overview.overview().findings.is_empty());
    let mut terminal = Terminal::new(TestBackend::new(160, 48)).unwrap();
    group.bench_function("frame_160x48", |b| {
        b.iter(|| {
            terminal.draw(|f| draw(f, black_box(&s))).unwrap();
        });
    });
    group.finish();

    let mut group = c.benchmark_group("demo_world");
    group.sample_size(10);
    group.bench_function("generate", |b| {
        b.iter(|| black_box(unstuck_aws::sim::demo_backends(2026)));
    });
    group.finish();
}

criterion_group!(benches, overview);
criterion_main!(benches);
