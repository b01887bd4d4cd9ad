//! The world's shared state and the generator that advances it lazily, one-second tick by
//! tick, from one seeded RNG: what exists at a given simulated time depends only on the seed
//! and that time, never on when or how often anyone looked.

use fastrand::Rng;

use super::catalogue::{FUNCTIONS, FunctionSpec, TrafficProfile};
use super::fleet::Fleet;
use super::ids::{hex, request_id, xray_trace_id};
use super::log_store::{EventSource, LogStore};
use super::log_writer::{Invocation, Outcome, write_invocation};
use super::metrics::{InvocationPoint, SimSignals};
use super::stack_traces::failures;
use super::traffic::{TrafficMode, TrafficState, periodic_arrivals, poisson};

/// How much history exists before the demo epoch.
pub const HISTORY_MS: i64 = 10 * 60 * 1000;

/// The functions' log groups were created (deployed) this long before the epoch.
const DEPLOYED_BEFORE_EPOCH_MS: i64 = 23 * 24 * 3600 * 1000;

const TICK_MS: i64 = 1000;

/// Everything behind the world's mutex.
#[derive(Debug)]
pub struct WorldState {
    pub logs: LogStore,
    pub insights: super::insights::QueryRegistry,
    pub executions: super::step_functions::ExecutionBook,
    pub queues: super::queues::QueueBook,
    /// Metrics, alarms, canaries and RUM.
    pub signals: super::metrics::SimSignals,
    queue_traffic: super::queues::QueueTraffic,
    generator: Option<Generator>,
}

impl WorldState {
    /// No functions, no groups: for tests that seed their own data.
    pub fn empty() -> Self {
        Self {
            logs: LogStore::default(),
            insights: Default::default(),
            executions: Default::default(),
            queues: Default::default(),
            signals: super::metrics::SimSignals::new(0, None),
            queue_traffic: super::queues::QueueTraffic::new(0, None),
            generator: None,
        }
    }

    /// The tax-return app, with history starting [`HISTORY_MS`] before `epoch_ms`.
    pub fn demo(seed: u64, epoch_ms: i64) -> Self {
        let mut logs = LogStore::default();
        let mut rng = Rng::with_seed(seed);
        let history_start_ms = epoch_ms - HISTORY_MS;
        let mut functions = Vec::with_capacity(FUNCTIONS.len());
        for spec in &FUNCTIONS {
            let group = spec.log_group();
            // The catalogue's names are distinct, so creating each group succeeds.
            let _ = logs.create_group(&group, epoch_ms - DEPLOYED_BEFORE_EPOCH_MS, Some(30));
            let (fleet, streams) =
                Fleet::provision(spec.initial_containers, history_start_ms, &mut rng);
            for stream in streams {
                let _ = logs.stream(&group, &stream);
            }
            functions.push(FunctionState { spec, group, fleet });
        }
        let traffic = TrafficState::new(history_start_ms.div_euclid(1000), &mut rng);
        Self {
            logs,
            insights: Default::default(),
            executions: super::step_functions::ExecutionBook::demo(seed, epoch_ms),
            // The queues draw from an RNG of their own: the logs stay as they were.
            queues: super::queues::QueueBook::demo(
                history_start_ms,
                &mut Rng::with_seed(seed ^ 0x0051_5545),
            ),
            queue_traffic: super::queues::QueueTraffic::new(seed, Some(history_start_ms)),
            signals: super::metrics::SimSignals::new(seed, Some(history_start_ms)),
            generator: Some(Generator {
                rng,
                history_start_ms,
                next_tick_ms: history_start_ms,
                traffic,
                functions,
            }),
        }
    }

    /// The tax-return app (not a test's empty world).
    pub fn is_demo(&self) -> bool {
        self.generator.is_some()
    }

    pub fn function_names(&self) -> Vec<String> {
        self.generator.as_ref().map_or_else(Vec::new, |g| {
            g.functions.iter().map(|f| f.spec.name.to_owned()).collect()
        })
    }

    /// Generates every tick that starts at or before `now_ms`. Events of later ticks could
    /// not be ingested by `now_ms` anyway (ingestion lags the event by at least 200 ms).
    /// The Lambda steps of executions write their invocations' logs too, with the request
    /// id the task's output names.
    pub fn catch_up(&mut self, now_ms: i64) {
        if let Some(generator) = self.generator.as_mut() {
            let since_ms = generator.history_start_ms;
            while generator.next_tick_ms <= now_ms {
                let tick_ms = generator.next_tick_ms;
                generator.generate_tick(tick_ms, &mut self.logs, &mut self.signals);
                let until_ms = tick_ms + TICK_MS - 1;
                for run in self.executions.lambda_runs_started_by(until_ms, since_ms) {
                    generator.invoke_step(&run, &mut self.logs, &mut self.signals);
                }
                generator.next_tick_ms += TICK_MS;
            }
            // Redriven messages processed by their consumers write their invocations.
            for run in self.queues.catch_up(&mut self.queue_traffic, now_ms) {
                generator.invoke_step(&run, &mut self.logs, &mut self.signals);
            }
            self.signals.sample(now_ms, &self.queues);
        } else {
            self.queues.catch_up(&mut self.queue_traffic, now_ms);
        }
    }
}

#[derive(Debug)]
struct FunctionState {
    spec: &'static FunctionSpec,
    group: String,
    fleet: Fleet,
}

#[derive(Debug)]
struct Generator {
    rng: Rng,
    /// The first tick: logs exist from here.
    history_start_ms: i64,
    next_tick_ms: i64,
    traffic: TrafficState,
    functions: Vec<FunctionState>,
}

impl Generator {
    fn generate_tick(&mut self, tick_ms: i64, logs: &mut LogStore, signals: &mut SimSignals) {
        let tick_s = tick_ms.div_euclid(1000);
        self.traffic.step(tick_s, &mut self.rng);
        for index in 0..self.functions.len() {
            let spec = self.functions[index].spec;
            let arrivals = match spec.traffic {
                TrafficProfile::Steady { .. } => {
                    let mean = self.traffic.expected_arrivals(spec, index, tick_s);
                    poisson(&mut self.rng, mean)
                }
                TrafficProfile::Periodic { every_s } => periodic_arrivals(every_s, index, tick_s),
            };
            if arrivals == 0 {
                continue;
            }
            let mut offsets: Vec<i64> = (0..arrivals).map(|_| self.rng.i64(0..TICK_MS)).collect();
            offsets.sort_unstable();
            for offset in offsets {
                self.invoke(index, tick_ms + offset, logs, signals);
            }
        }
    }

    fn invoke(
        &mut self,
        index: usize,
        arrival_ms: i64,
        logs: &mut LogStore,
        signals: &mut SimSignals,
    ) {
        let rng = &mut self.rng;
        let function = &mut self.functions[index];
        let spec = function.spec;
        let (placement, new_stream) = function.fleet.place(arrival_ms, spec.max_concurrency, rng);
        if let Some(stream) = &new_stream {
            let _ = logs.stream(&function.group, stream);
        }
        let Some(stream) = function
            .fleet
            .container(placement.container)
            .map(|c| std::sync::Arc::clone(&c.stream))
        else {
            return;
        };
        let bursting = self.traffic.mode() == TrafficMode::DeadlineBurst;
        let invocation = plan_invocation(
            spec,
            placement.start_ms,
            placement.cold,
            self.traffic.latency_factor(),
            bursting,
            rng,
        );
        let lines = write_invocation(&invocation);
        let end_ms = lines.last().map_or(placement.start_ms, |l| l.timestamp_ms);
        signals.record_invocation(
            spec,
            InvocationPoint {
                at_ms: placement.start_ms,
                duration_ms: invocation.duration_ms,
                failed: !matches!(invocation.outcome, Outcome::Succeeded),
                // A wait for a free container stands for Lambda's throttle-and-retry of
                // an async event; a short wait is the retry landing at once, not counted.
                throttled: placement.start_ms - arrival_ms > THROTTLE_WAIT_MS,
                concurrency: function.fleet.busy_at(placement.start_ms) + 1,
            },
        );
        function.fleet.finish(placement.container, end_ms);
        store_lines(logs, &function.group, &stream, lines, rng);
    }
}

impl Generator {
    /// One invocation made by an execution's Lambda step: its own random draws (seeded by
    /// its request id, so the rest of the traffic stays as it was), the step's times and
    /// outcome.
    fn invoke_step(
        &mut self,
        run: &super::step_functions::LambdaRun,
        logs: &mut LogStore,
        signals: &mut SimSignals,
    ) {
        let Some(function) = self.functions.iter().find(|f| f.spec.name == run.function) else {
            return;
        };
        let mut rng = Rng::with_seed(fnv(&run.request_id));
        let spec = function.spec;
        let mut invocation = plan_invocation(spec, run.start_ms, false, 1.0, false, &mut rng);
        invocation.request_id.clone_from(&run.request_id);
        invocation.duration_ms = hundredths((run.end_ms - run.start_ms).max(1) as f64 * 0.95);
        invocation.outcome = match &run.error {
            None => Outcome::Succeeded,
            Some(_) => Outcome::Failed {
                failure: spec.signature_failure.unwrap_or(failures(spec.runtime)[0]),
                after_steps: 1,
            },
        };
        // On a container of the function's (its first), else a stream of their own.
        let stream = match function.fleet.container(0) {
            Some(container) => std::sync::Arc::clone(&container.stream),
            None => {
                let date = super::clock::UtcTime::from_epoch_ms(run.start_ms).stream_date();
                let name = super::ids::log_stream_name(&mut Rng::with_seed(fnv(spec.name)), &date);
                let Ok(stream) = logs.stream(&function.group, &name) else {
                    return;
                };
                stream
            }
        };
        signals.record_invocation(
            spec,
            InvocationPoint {
                at_ms: run.start_ms,
                duration_ms: invocation.duration_ms,
                failed: run.error.is_some(),
                throttled: false,
                concurrency: function.fleet.busy_at(run.start_ms) + 1,
            },
        );
        let lines = write_invocation(&invocation);
        store_lines(logs, &function.group, &stream, lines, &mut rng);
    }
}

/// An invocation's lines into its stream, each ingested a little after it was written.
fn store_lines(
    logs: &mut LogStore,
    group: &str,
    stream: &std::sync::Arc<str>,
    lines: Vec<super::log_writer::LogLine>,
    rng: &mut Rng,
) {
    for line in lines {
        let ingestion_ms = line.timestamp_ms + ingestion_delay_ms(rng);
        let _ = logs.append(
            group,
            stream,
            line.timestamp_ms,
            ingestion_ms,
            line.message,
            EventSource::Simulation,
        );
    }
}

/// FNV-1a: a seed from a name.
fn fnv(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    })
}

/// Draws everything random about one invocation.
/// A wait for a container longer than this counts as a throttle (see `invoke`).
const THROTTLE_WAIT_MS: i64 = 2_000;

fn plan_invocation(
    spec: &'static FunctionSpec,
    start_ms: i64,
    cold: bool,
    latency_factor: f64,
    bursting: bool,
    rng: &mut Rng,
) -> Invocation<'static> {
    let request_id = request_id(rng);
    let trace_id = xray_trace_id(rng, start_ms);
    let submission_id = format!("SUB-2025-{}", hex(rng, 8).to_uppercase());
    let init_duration_ms = cold.then(|| {
        let (low, high) = spec.runtime.init_duration_ms();
        hundredths(low + (high - low) * rng.f64())
    });
    let mut duration_ms = spec.typical_duration_ms * latency_factor * (0.45 * normal(rng)).exp();
    if rng.f64() < 0.02 {
        duration_ms *= 3.0 + 5.0 * rng.f64();
    }
    if cold {
        duration_ms *= 1.4;
    }
    let steps = spec.steps.len();
    let pressure = if bursting { 4.0 } else { 1.0 };
    let outcome = if rng.f64() < spec.timeout_rate * pressure {
        duration_ms = f64::from(spec.timeout_s) * 1000.0 + 5.0 + 30.0 * rng.f64();
        Outcome::TimedOut {
            after_steps: steps.saturating_sub(1).max(1),
        }
    } else if rng.f64() < spec.error_rate * if bursting { 1.5 } else { 1.0 } {
        let roll = rng.f64();
        let generic = failures(spec.runtime);
        let failure = if roll < 0.75 {
            spec.signature_failure.unwrap_or(generic[0])
        } else if roll < 0.9 {
            generic[1]
        } else {
            generic[2]
        };
        Outcome::Failed {
            failure,
            after_steps: rng.usize(0..steps.max(1)),
        }
    } else {
        Outcome::Succeeded
    };
    let duration_ms = hundredths(duration_ms.min(f64::from(spec.timeout_s) * 1000.0 + 40.0));
    let memory_scale = 0.9 + 0.2 * rng.f64() + if cold { 0.0 } else { 0.04 };
    let max_memory_used_mb = ((f64::from(spec.typical_memory_used_mb) * memory_scale) as u32)
        .clamp(1, spec.memory_mb.saturating_sub(1).max(1));
    let throttle_chance = if bursting { 0.04 } else { 0.0025 };
    let throttled_downstream = rng.f64() < throttle_chance;
    Invocation {
        function: spec,
        request_id,
        trace_id,
        submission_id,
        arrival_ms: start_ms,
        init_duration_ms,
        duration_ms: duration_ms.max(0.5),
        max_memory_used_mb,
        outcome,
        throttled_downstream,
    }
}

/// When CloudWatch ingests an event: usually 0.2–2.5 s after it, 1% of the time 5–20 s.
fn ingestion_delay_ms(rng: &mut Rng) -> i64 {
    if rng.f64() < 0.01 {
        rng.i64(5_000..=20_000)
    } else {
        rng.i64(200..=2_500)
    }
}

/// A standard normal sample (Box–Muller).
fn normal(rng: &mut Rng) -> f64 {
    let u1 = 1.0 - rng.f64();
    let u2 = rng.f64();
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

fn hundredths(value: f64) -> f64 {
    (value * 100.0).round() / 100.0
}
