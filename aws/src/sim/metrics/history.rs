//! A day of metrics before the logs' history, drawn from each function's traffic profile:
//! one-minute buckets for the last three hours (what the 15 m, 1 h and 3 h windows show),
//! half-hour buckets before that (the 24 h window's period). The refund function fails at
//! its spec's rate only from the incident's start; before it, hardly ever.

use fastrand::Rng;

use super::rum;
use super::store::{MetricStore, key};
use crate::sim::catalogue::{FUNCTIONS, FunctionSpec, TrafficProfile};

const FINE_MS: i64 = 3 * 3_600_000;
const DAY_MS: i64 = 24 * 3_600_000;
const COARSE_BUCKET_MS: i64 = 30 * 60_000;
/// Durations drawn per bucket at most; the rest are weighted in.
const SAMPLES_PER_BUCKET: usize = 40;
/// The refund function's error rate before the incident.
const CALM_ERROR_RATE: f64 = 0.004;

pub fn generate(store: &mut MetricStore, seed: u64, history_start_ms: i64, incident_ms: i64) {
    let mut rng = Rng::with_seed(seed ^ 0x4849_5354);
    let fine_start = history_start_ms - FINE_MS;
    let coarse_start = history_start_ms - DAY_MS;
    let mut bucket = coarse_start;
    while bucket < history_start_ms {
        let length = if bucket < fine_start {
            COARSE_BUCKET_MS
        } else {
            60_000
        };
        let mut claimed = 0.0;
        let mut refund_errors = 0.0;
        for spec in &FUNCTIONS {
            let incident = bucket >= incident_ms;
            let (concurrency, errors) =
                function_bucket(store, &mut rng, spec, bucket, length, incident);
            claimed += concurrency;
            if spec.name == super::INCIDENT_FUNCTION {
                refund_errors = errors;
            }
        }
        let k = key("AWS/Lambda", "ClaimedAccountConcurrency", &[]);
        store.bucket(&k, bucket).add(claimed, false);
        let minutes = length / 60_000;
        for m in 0..minutes {
            let per_minute = refund_errors / minutes as f64;
            rum::publish_minute(store, &mut rng, bucket + m * 60_000, per_minute);
        }
        bucket += length;
    }
}

/// One function's bucket: (peak concurrency, errors).
fn function_bucket(
    store: &mut MetricStore,
    rng: &mut Rng,
    spec: &FunctionSpec,
    start_ms: i64,
    length_ms: i64,
    incident: bool,
) -> (f64, f64) {
    let seconds = (length_ms / 1000) as f64;
    let expected = match spec.traffic {
        TrafficProfile::Steady { per_second, .. } => per_second * seconds * 0.95,
        TrafficProfile::Periodic { every_s } => seconds / every_s.max(1) as f64,
    };
    let n = count_of(rng, expected);
    let dims = [("FunctionName", spec.name)];
    let error_rate = if spec.name == super::INCIDENT_FUNCTION && !incident {
        CALM_ERROR_RATE
    } else {
        spec.error_rate
    };
    let mut errors = 0.0;
    for _ in 0..n {
        if rng.f64() < error_rate {
            errors += 1.0;
        }
    }
    let invocations = n as f64;
    let b = store.bucket(&key("AWS/Lambda", "Invocations", &dims), start_ms);
    b.add_weighted(1.0, invocations, false);
    let b = store.bucket(&key("AWS/Lambda", "Errors", &dims), start_ms);
    b.add_weighted(errors / invocations.max(1.0), invocations, false);
    let b = store.bucket(&key("AWS/Lambda", "Throttles", &dims), start_ms);
    b.add_weighted(0.0, invocations, false);
    let samples = n.min(SAMPLES_PER_BUCKET);
    let weight = if samples == 0 {
        0.0
    } else {
        invocations / samples as f64
    };
    let mut peak = 0.0f64;
    let duration_key = key("AWS/Lambda", "Duration", &dims);
    for _ in 0..samples {
        let mut d = spec.typical_duration_ms * (0.45 * normal(rng)).exp();
        if rng.f64() < 0.02 {
            d *= 3.0 + 5.0 * rng.f64();
        }
        let d = d.min(f64::from(spec.timeout_s) * 1000.0);
        store
            .bucket(&duration_key, start_ms)
            .add_weighted(d, weight, true);
        peak = peak.max(d);
    }
    let rate = invocations / seconds.max(1.0);
    let concurrency = if n == 0 {
        0.0
    } else {
        (rate * peak / 1000.0 * 3.0)
            .ceil()
            .clamp(1.0, spec.max_concurrency as f64)
    };
    if n > 0 {
        let k = key("AWS/Lambda", "ConcurrentExecutions", &dims);
        store.bucket(&k, start_ms).add(concurrency, false);
    }
    (concurrency, errors)
}

/// A Poisson count; its normal approximation for large means.
pub fn count_of(rng: &mut Rng, mean: f64) -> usize {
    if mean < 30.0 {
        return crate::sim::traffic::poisson(rng, mean);
    }
    (mean + mean.sqrt() * normal(rng)).round().max(0.0) as usize
}

/// A standard normal sample (Box–Muller).
pub fn normal(rng: &mut Rng) -> f64 {
    let u1 = 1.0 - rng.f64();
    let u2 = rng.f64();
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}
