//! The demo's two Synthetics canaries, every five minutes: `tax-portal-home` (loads the
//! portal, nearly always passes) and `tax-submit-journey` (signs in, submits a return and
//! checks its status: since the incident it fails at times on the step that waits for the
//! refund estimate). Each run is a pure function of the seed and its number, so what a read
//! sees depends only on the time.

use crate::model::signals::{Canary, CanaryRun, RunStatus};

const EVERY_MS: i64 = 5 * 60_000;

struct CanarySpec {
    name: &'static str,
    /// Offset of its runs inside the five minutes.
    offset_ms: i64,
    typical_ms: i64,
    calm_failure: f64,
    incident_failure: f64,
    failure: &'static str,
}

const CANARIES: [CanarySpec; 2] = [
    CanarySpec {
        name: "tax-portal-home",
        offset_ms: 40_000,
        typical_ms: 6_500,
        calm_failure: 0.01,
        incident_failure: 0.02,
        failure: "Step 1 'open portal' failed: net::ERR_CONNECTION_RESET at https://returns.tax.example.gov/",
    },
    CanarySpec {
        name: "tax-submit-journey",
        offset_ms: 130_000,
        typical_ms: 21_000,
        calm_failure: 0.03,
        incident_failure: 0.55,
        failure: "Step 3 'submit return' failed: TimeoutError: waiting for selector `#refund-estimate` failed: timeout 15000ms exceeded",
    },
];

/// The canaries at `now_ms`, each with its last run (`runs` left empty).
pub fn canaries(seed: u64, incident_ms: i64, now_ms: i64) -> Vec<Canary> {
    CANARIES
        .iter()
        .map(|spec| Canary {
            name: spec.name.into(),
            state: "RUNNING".into(),
            schedule: "rate(5 minutes)".into(),
            last_run: runs(spec, seed, incident_ms, now_ms, 1).into_iter().next(),
            runs: Vec::new(),
        })
        .collect()
}

/// A canary's newest `max` runs at `now_ms`; None for a name the demo does not have.
pub fn canary_runs(
    name: &str,
    seed: u64,
    incident_ms: i64,
    now_ms: i64,
    max: usize,
) -> Option<Vec<CanaryRun>> {
    let spec = CANARIES.iter().find(|c| c.name == name)?;
    Some(runs(spec, seed, incident_ms, now_ms, max))
}

fn runs(spec: &CanarySpec, seed: u64, incident_ms: i64, now_ms: i64, max: usize) -> Vec<CanaryRun> {
    let mut out = Vec::with_capacity(max);
    let mut k = (now_ms - spec.offset_ms).div_euclid(EVERY_MS);
    while out.len() < max {
        let started = k * EVERY_MS + spec.offset_ms;
        let mut roll = fastrand::Rng::with_seed(
            seed ^ (k as u64).wrapping_mul(0x9e37_79b9) ^ spec.offset_ms as u64,
        );
        let duration = spec.typical_ms + roll.i64(-1_500..2_500);
        let p = if started >= incident_ms {
            spec.incident_failure
        } else {
            spec.calm_failure
        };
        let failed = roll.f64() < p;
        let duration = if failed { duration + 15_000 } else { duration };
        let completed = started + duration;
        let (status, completed_ms, reason) = if completed > now_ms {
            (RunStatus::Running, None, String::new())
        } else if failed {
            (RunStatus::Failed, Some(completed), spec.failure.to_string())
        } else {
            (RunStatus::Passed, Some(completed), String::new())
        };
        out.push(CanaryRun {
            id: format!(
                "{:08x}-{:04x}-4{:03x}-a{:03x}-{:012x}",
                k as u32,
                spec.offset_ms & 0xffff,
                k & 0xfff,
                (k >> 12) & 0xfff,
                seed & 0xffff_ffff_ffff
            ),
            status,
            reason,
            started_ms: Some(started),
            completed_ms,
        });
        k -= 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_are_a_function_of_time_and_the_journey_fails_more_since_the_incident() {
        let now = 10_000 * EVERY_MS;
        let a = canary_runs("tax-submit-journey", 7, now - 3_600_000 * 5, now, 60).unwrap();
        let b = canary_runs("tax-submit-journey", 7, now - 3_600_000 * 5, now, 60).unwrap();
        assert_eq!(a, b);
        let failed = a.iter().filter(|r| r.status == RunStatus::Failed).count();
        assert!(failed > 15, "about half of 60 fail, got {failed}");
        let calm = canary_runs("tax-submit-journey", 7, now + 1, now, 60).unwrap();
        let calm_failed = calm
            .iter()
            .filter(|r| r.status == RunStatus::Failed)
            .count();
        assert!(calm_failed < 8, "{calm_failed}");
        assert!(
            a.windows(2).all(|w| w[0].started_ms > w[1].started_ms),
            "newest first"
        );
        let failing = a.iter().find(|r| r.status == RunStatus::Failed).unwrap();
        assert_eq!(failing.failing_step().as_deref(), Some("submit return"));
        assert!(canary_runs("nope", 7, 0, now, 1).is_none());
    }
}
