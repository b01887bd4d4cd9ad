//! The app's own AWS use, live: calls per minute of each service against the budget the
//! app holds itself to and the account's quota, and what that use costs per hour
//! (GetMetricData by the metric, Logs Insights by the GB scanned, Live Tail by the
//! session-minute). The header shows the $/hour; `:usage` the whole table.

use std::collections::BTreeMap;

use unstuck_aws::api::{SERVICE_QUOTAS, Service, service_of_operation};
use unstuck_aws::model::Billed;

use crate::state::shared::call_rate::CallRate;

/// GetMetricData: $0.01 per 1,000 metrics requested.
pub const PRICE_PER_1000_METRICS: f64 = 0.01;
/// Logs Insights: $0.005 per GB scanned.
pub const PRICE_PER_GB_SCANNED: f64 = 0.005;
/// Live Tail: $0.01 per session-minute.
pub const PRICE_PER_LIVE_TAIL_MINUTE: f64 = 0.01;
/// Where the prices come from.
pub const PRICES_SOURCE: &str = "us-east-1 list prices, aws.amazon.com/cloudwatch/pricing \
     (read 2026-11): GetMetricData $0.01 per 1,000 metrics, Logs Insights $0.005 per GB \
     scanned, Live Tail $0.01 per session-minute";
/// The goal: every service under this share of its quota, and the whole under $0.05/h.
pub const QUOTA_SHARE_GOAL: f64 = 0.20;
pub const DOLLARS_PER_HOUR_GOAL: f64 = 0.05;

/// Billed counts move once a poll (every minute or ten): rates over ten minutes.
const BILLED_WINDOW_MS: i64 = 10 * 60_000;

#[derive(Debug, Clone)]
pub struct Usage {
    by_service: BTreeMap<Service, CallRate>,
    metrics: CallRate,
    insights_bytes: CallRate,
    /// The tail's FilterLogEvents budget when it is not the default (`--calls-per-second`).
    log_events_budget: Option<f64>,
}

impl Default for Usage {
    fn default() -> Self {
        Self {
            by_service: BTreeMap::new(),
            metrics: CallRate::over(BILLED_WINDOW_MS),
            insights_bytes: CallRate::over(BILLED_WINDOW_MS),
            log_events_budget: None,
        }
    }
}

/// One service's line of the usage table.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceUse {
    pub label: &'static str,
    pub per_minute: u64,
    pub budget_per_minute: f64,
    pub quota_per_minute: f64,
}

impl ServiceUse {
    pub fn quota_share(&self) -> f64 {
        self.per_minute as f64 / self.quota_per_minute.max(1.0)
    }
}

impl Usage {
    /// The usage of an app whose tail spends `calls_per_second` FilterLogEvents calls.
    pub fn with_log_events_budget(calls_per_second: Option<f64>) -> Self {
        Self {
            log_events_budget: calls_per_second,
            ..Self::default()
        }
    }

    /// A reading of the counters: calls per operation so far and what was billed.
    pub fn record(&mut self, at_ms: i64, calls: &[(String, u64)], billed: Billed) {
        let mut totals: BTreeMap<Service, u64> =
            SERVICE_QUOTAS.iter().map(|q| (q.service, 0)).collect();
        for (operation, n) in calls {
            if let Some(service) = service_of_operation(operation) {
                *totals.entry(service).or_default() += n;
            }
        }
        for (service, total) in totals {
            self.by_service
                .entry(service)
                .or_default()
                .record(at_ms, total);
        }
        self.metrics.record(at_ms, billed.metrics_requested);
        self.insights_bytes
            .record(at_ms, billed.insights_bytes_scanned);
    }

    pub fn services(&self) -> Vec<ServiceUse> {
        SERVICE_QUOTAS
            .iter()
            .map(|q| ServiceUse {
                label: q.label,
                per_minute: self
                    .by_service
                    .get(&q.service)
                    .and_then(CallRate::per_minute)
                    .unwrap_or(0),
                budget_per_minute: match (q.service, self.log_events_budget) {
                    (Service::LogEvents, Some(rate)) => rate,
                    _ => q.budget_per_second,
                } * 60.0,
                quota_per_minute: q.quota_per_second * 60.0,
            })
            .collect()
    }

    /// ($/h of GetMetricData, of Logs Insights, of Live Tail) at the rates of the last
    /// minutes, with `live_sessions` Live Tail sessions open. None until the readings span
    /// the billing window: the first polls bill a burst that, divided by a few seconds,
    /// would read as dollars an hour.
    pub fn cost_per_hour(&self, live_sessions: usize) -> Option<(f64, f64, f64)> {
        if !self.metrics.covers_window() {
            return None;
        }
        let metrics = self.metrics.per_minute_exact()? * 60.0 / 1000.0 * PRICE_PER_1000_METRICS;
        let bytes = self.insights_bytes.per_minute_exact()? * 60.0 / 1e9 * PRICE_PER_GB_SCANNED;
        let live = live_sessions as f64 * 60.0 * PRICE_PER_LIVE_TAIL_MINUTE;
        Some((metrics, bytes, live))
    }

    /// The header's compact item: "$0.012/h", or "$ measuring" while the billing window
    /// fills (None before any reading).
    pub fn header_item(&self, live_sessions: usize) -> Option<String> {
        match self.cost_per_hour(live_sessions) {
            Some((m, b, l)) => Some(format!("${:.3}/h", m + b + l)),
            None if self.metrics.is_empty() => None,
            None => Some("$ measuring".into()),
        }
    }

    /// The `:usage` view's lines.
    pub fn lines(&self, live_sessions: usize) -> Vec<String> {
        let mut out = vec![format!(
            "{:<16} {:>9} {:>11} {:>11} {:>9}",
            "SERVICE", "CALLS/MIN", "BUDGET/MIN", "QUOTA/MIN", "OF QUOTA"
        )];
        let services = self.services();
        for s in &services {
            out.push(format!(
                "{:<16} {:>9} {:>11.0} {:>11.0} {:>8.1}%{}",
                s.label,
                s.per_minute,
                s.budget_per_minute,
                s.quota_per_minute,
                s.quota_share() * 100.0,
                if s.quota_share() > QUOTA_SHARE_GOAL {
                    "  over the 20% goal"
                } else {
                    ""
                }
            ));
        }
        out.push(String::new());
        match self.cost_per_hour(live_sessions) {
            Some((m, b, l)) => {
                let metrics_h = self.metrics.per_minute_exact().unwrap_or(0.0) * 60.0;
                let gb_h = self.insights_bytes.per_minute_exact().unwrap_or(0.0) * 60.0 / 1e9;
                out.push(format!(
                    "GetMetricData     {metrics_h:>10.0} metrics/h   ${m:.4}/h"
                ));
                out.push(format!(
                    "Logs Insights     {gb_h:>10.3} GB/h        ${b:.4}/h"
                ));
                out.push(format!(
                    "Live Tail         {live_sessions:>10} sessions    ${l:.4}/h"
                ));
                let total = m + b + l;
                out.push(format!(
                    "total             ${total:.4}/h ({} the ${DOLLARS_PER_HOUR_GOAL:.2}/h goal)",
                    if total <= DOLLARS_PER_HOUR_GOAL {
                        "within"
                    } else {
                        "over"
                    }
                ));
            }
            None => out.push(format!(
                "cost: measuring ({} of the {} min the rate is taken over)",
                crate::state::shared::durations::short_duration(self.metrics.span_ms()),
                BILLED_WINDOW_MS / 60_000
            )),
        }
        out.push(String::new());
        out.push(format!("prices: {PRICES_SOURCE}"));
        out.push(
            "the quotas are per account and region, shared with everything else that calls them"
                .into(),
        );
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calls_count_against_their_service_and_billing_becomes_dollars_per_hour() {
        let mut usage = Usage::default();
        assert_eq!(usage.header_item(0), None, "nothing read yet");
        usage.record(0, &[], Billed::default());
        assert_eq!(usage.header_item(0), Some("$ measuring".into()));
        // The first polls' burst, seconds after start, is no rate an hour.
        usage.record(
            2_000,
            &[],
            Billed {
                metrics_requested: 4_000,
                insights_bytes_scanned: 0,
            },
        );
        assert_eq!(usage.header_item(0), Some("$ measuring".into()));
        assert!(usage.lines(0).iter().any(|l| l.contains("cost: measuring")));
        assert_eq!(usage.cost_per_hour(0), None);
        let mut usage = Usage::default();
        usage.record(0, &[], Billed::default());
        usage.record(
            600_000,
            &[
                ("GetMetricData".into(), 30),
                ("DescribeAlarms".into(), 10),
                ("ListExecutions".into(), 600),
            ],
            Billed {
                metrics_requested: 5_000,
                insights_bytes_scanned: 20_000_000_000,
            },
        );
        let services = usage.services();
        let of = |label: &str| services.iter().find(|s| s.label == label).cloned();
        assert_eq!(of("CloudWatch").map(|s| s.per_minute), Some(4));
        let sfn = of("Step Functions").unwrap();
        assert_eq!(sfn.per_minute, 60);
        // 60 a minute of a 2/s (120/min) quota: half, over the goal.
        assert!((sfn.quota_share() - 0.5).abs() < 1e-9);
        assert!(
            usage
                .lines(0)
                .iter()
                .any(|l| l.contains("over the 20% goal"))
        );
        // 500 metrics a minute: 30,000 an hour, $0.30; 2 GB a minute: 120 GB/h, $0.60; one
        // Live Tail session $0.60/h.
        let (m, b, l) = usage.cost_per_hour(1).unwrap();
        assert!((m - 0.30).abs() < 1e-9 && (b - 0.60).abs() < 1e-9 && (l - 0.60).abs() < 1e-9);
        assert_eq!(usage.header_item(1), Some("$1.500/h".into()));
    }

    #[test]
    fn the_tail_counts_against_filter_log_events_apart_from_the_other_logs_reads() {
        let mut usage = Usage::with_log_events_budget(Some(2.0));
        usage.record(0, &[], Billed::default());
        usage.record(
            60_000,
            &[
                ("FilterLogEvents".into(), 60),
                ("DescribeLogGroups".into(), 2),
            ],
            Billed::default(),
        );
        let services = usage.services();
        let of = |label: &str| services.iter().find(|s| s.label == label).cloned();
        let tail = of("FilterLogEvents").unwrap();
        // 1 call/s of the 5/s quota: 20%, not over the goal; the budget is the one given.
        assert_eq!(tail.per_minute, 60);
        assert!((tail.quota_share() - 0.2).abs() < 1e-9);
        assert_eq!(tail.budget_per_minute, 120.0);
        assert_eq!(of("CloudWatch Logs").map(|s| s.per_minute), Some(2));
        assert!(
            !usage
                .lines(0)
                .iter()
                .any(|l| l.contains("over the 20% goal"))
        );
        assert_eq!(Usage::default().services()[2].budget_per_minute, 60.0);
    }
}
