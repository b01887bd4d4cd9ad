//! The demo's RUM app monitor, `tax-portal`: the taxpayers' web front end. Its JS errors
//! rise with the refund function's failures (the status page shows a broken refund
//! estimate), its page loads slow a little with them.

use fastrand::Rng;

use super::history::{count_of, normal};
use super::store::{MetricStore, key};
use crate::model::signals::AppMonitor;

pub const MONITOR_NAME: &str = "tax-portal";

pub fn monitor() -> AppMonitor {
    AppMonitor {
        name: MONITOR_NAME.into(),
        id: "6f1c9a52-3b7e-4d08-9a41-2c5e7b8d9f10".into(),
        domain: "returns.tax.example.gov".into(),
        state: "ACTIVE".into(),
    }
}

/// Page loads under this are satisfied, under 4× tolerated (Apdex with T = 2 s).
const APDEX_T_MS: f64 = 2_000.0;

/// One minute of the portal: sessions, page loads, web vitals, JS and HTTP errors.
pub fn publish_minute(store: &mut MetricStore, rng: &mut Rng, minute_ms: i64, refund_errors: f64) {
    let dims = [("application_name", MONITOR_NAME)];
    let put = |store: &mut MetricStore, metric: &str, value: f64, pct: bool| {
        store.put(&key("AWS/RUM", metric, &dims), minute_ms, value, pct);
    };
    let sessions = count_of(rng, 6.0) as f64;
    put(store, "SessionCount", sessions, false);
    let js = count_of(rng, 0.3 + 0.8 * refund_errors) as f64;
    put(store, "JsErrorCount", js, false);
    let http = count_of(rng, 0.2 + 0.3 * refund_errors) as f64;
    put(store, "HttpErrorCount", http, false);
    let slow = 1.0 + 0.04 * refund_errors.min(10.0);
    let (mut satisfied, mut tolerated, mut frustrated) = (0.0, 0.0, 0.0);
    for _ in 0..count_of(rng, 14.0) {
        let load = 1_250.0 * slow * (0.5 * normal(rng)).exp();
        put(store, "PerformanceNavigationDuration", load, true);
        if load <= APDEX_T_MS {
            satisfied += 1.0;
        } else if load <= 4.0 * APDEX_T_MS {
            tolerated += 1.0;
        } else {
            frustrated += 1.0;
        }
        let lcp = load * (1.2 + 0.3 * rng.f64());
        put(store, "WebVitalsLargestContentfulPaint", lcp, true);
        put(
            store,
            "WebVitalsInteractionToNextPaint",
            120.0 * (0.4 * normal(rng)).exp(),
            true,
        );
        put(
            store,
            "WebVitalsCumulativeLayoutShift",
            0.04 * (0.6 * normal(rng)).exp(),
            true,
        );
    }
    put(store, "NavigationSatisfiedTransaction", satisfied, false);
    put(store, "NavigationToleratedTransaction", tolerated, false);
    put(store, "NavigationFrustratedTransaction", frustrated, false);
}
