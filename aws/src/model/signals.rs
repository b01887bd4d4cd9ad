//! Signals: CloudWatch alarms, Synthetics canaries and RUM app monitors, as the signals
//! pane and the overview show them. Names, reasons and metric labels come from AWS and are
//! sanitised by the backends that read them.

use super::metrics::{MetricQuery, MetricSeries};

/// An alarm's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AlarmState {
    Alarm,
    InsufficientData,
    Ok,
}

impl AlarmState {
    pub fn parse(text: &str) -> Self {
        match text {
            "ALARM" => Self::Alarm,
            "OK" => Self::Ok,
            _ => Self::InsufficientData,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Alarm => "ALARM",
            Self::InsufficientData => "INSUFFICIENT_DATA",
            Self::Ok => "OK",
        }
    }
}

/// The metric a (single-metric) alarm watches, and how it compares.
#[derive(Debug, Clone, PartialEq)]
pub struct AlarmMetric {
    /// Namespace, metric, dimensions, statistic and period, as a query (id "m").
    pub query: MetricQuery,
    pub threshold: f64,
    /// `GreaterThanThreshold`, ...
    pub comparison: String,
    pub evaluation_periods: u32,
}

impl AlarmMetric {
    /// ">", ">=", "<", "<=" for the comparison.
    pub fn operator(&self) -> &'static str {
        match self.comparison.as_str() {
            "GreaterThanThreshold" => ">",
            "GreaterThanOrEqualToThreshold" => ">=",
            "LessThanThreshold" => "<",
            "LessThanOrEqualToThreshold" => "<=",
            _ => "?",
        }
    }

    /// "Errors Sum > 5 (tax-calculate-refund)".
    pub fn describe(&self) -> String {
        let dims: Vec<&str> = self
            .query
            .dimensions
            .iter()
            .map(|(_, v)| v.as_str())
            .collect();
        let mut text = format!(
            "{} {} {} {}",
            self.query.metric,
            self.query.stat.name(),
            self.operator(),
            trim_number(self.threshold)
        );
        if !dims.is_empty() {
            text.push_str(&format!(" ({})", dims.join(", ")));
        }
        text
    }
}

/// One CloudWatch alarm (DescribeAlarms).
#[derive(Debug, Clone, PartialEq)]
pub struct Alarm {
    pub name: String,
    pub arn: String,
    pub state: AlarmState,
    pub reason: String,
    /// When it entered its state, epoch ms.
    pub since_ms: Option<i64>,
    /// None for composite and metric-math alarms.
    pub metric: Option<AlarmMetric>,
    pub actions_enabled: bool,
}

/// An alarm with its metric around the threshold (read with the signals).
#[derive(Debug, Clone, PartialEq)]
pub struct AlarmRow {
    pub alarm: Alarm,
    pub series: Option<MetricSeries>,
}

/// A canary run's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RunStatus {
    Failed,
    Running,
    Passed,
}

impl RunStatus {
    pub fn parse(text: &str) -> Self {
        match text {
            "PASSED" => Self::Passed,
            "RUNNING" => Self::Running,
            _ => Self::Failed,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Failed => "FAILED",
            Self::Running => "RUNNING",
            Self::Passed => "PASSED",
        }
    }
}

/// One run of a canary (GetCanaryRuns, DescribeCanariesLastRun).
#[derive(Debug, Clone, PartialEq)]
pub struct CanaryRun {
    pub id: String,
    pub status: RunStatus,
    /// Why it failed ("Step 3 'submit return' failed: ...").
    pub reason: String,
    pub started_ms: Option<i64>,
    pub completed_ms: Option<i64>,
}

impl CanaryRun {
    pub fn duration_ms(&self) -> Option<i64> {
        Some(self.completed_ms? - self.started_ms?)
    }

    /// The step a failed run names in its reason (`Step 3 'submit return'` or
    /// `step "submit return"`), if it names one.
    pub fn failing_step(&self) -> Option<String> {
        let lower = self.reason.to_lowercase();
        let at = lower.find("step")?;
        let rest = &self.reason[at..];
        let quote = rest.find(['\'', '"'])?;
        let close_char = rest[quote..].chars().next()?;
        let inner = &rest[quote + 1..];
        let close = inner.find(close_char)?;
        Some(inner[..close].to_string()).filter(|s| !s.is_empty())
    }
}

/// A canary with its recent runs.
#[derive(Debug, Clone, PartialEq)]
pub struct Canary {
    pub name: String,
    /// RUNNING, STOPPED, ERROR, ...
    pub state: String,
    /// `rate(5 minutes)`.
    pub schedule: String,
    pub last_run: Option<CanaryRun>,
    /// Newest first.
    pub runs: Vec<CanaryRun>,
}

impl Canary {
    /// PASSED runs among the finished ones read, 0..=100.
    pub fn success_pct(&self) -> Option<f64> {
        let done: Vec<_> = self
            .runs
            .iter()
            .filter(|r| r.status != RunStatus::Running)
            .collect();
        let passed = done
            .iter()
            .filter(|r| r.status == RunStatus::Passed)
            .count();
        (!done.is_empty()).then(|| passed as f64 * 100.0 / done.len() as f64)
    }

    pub fn is_failing(&self) -> bool {
        self.last_run
            .as_ref()
            .or(self.runs.first())
            .is_some_and(|r| r.status == RunStatus::Failed)
    }
}

/// A RUM app monitor (ListAppMonitors).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppMonitor {
    pub name: String,
    pub id: String,
    pub domain: String,
    pub state: String,
}

/// The `AWS/RUM` numbers of one app monitor over a window.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RumSummary {
    pub monitor: Option<AppMonitor>,
    pub sessions: f64,
    pub js_errors: f64,
    pub http_errors: f64,
    /// Page loads (PerformanceNavigationDuration) p90, ms.
    pub page_load_p90_ms: Option<f64>,
    pub satisfied: f64,
    pub tolerated: f64,
    pub frustrated: f64,
    pub lcp_p75_ms: Option<f64>,
    pub inp_p75_ms: Option<f64>,
    pub cls_p75: Option<f64>,
    /// JS errors per period, oldest first.
    pub js_errors_series: Vec<f64>,
}

impl RumSummary {
    /// (satisfied + tolerated / 2) / all, 0..=1.
    pub fn apdex(&self) -> Option<f64> {
        let all = self.satisfied + self.tolerated + self.frustrated;
        (all > 0.0).then(|| (self.satisfied + self.tolerated / 2.0) / all)
    }
}

/// The `AWS/RUM` metrics a summary reads: (query id suffix, metric, statistic).
pub const RUM_METRICS: [(&str, &str, super::metrics::Stat); 10] = {
    use super::metrics::Stat;
    [
        ("ses", "SessionCount", Stat::Sum),
        ("js", "JsErrorCount", Stat::Sum),
        ("http", "HttpErrorCount", Stat::Sum),
        ("load", "PerformanceNavigationDuration", Stat::P90),
        ("sat", "NavigationSatisfiedTransaction", Stat::Sum),
        ("tol", "NavigationToleratedTransaction", Stat::Sum),
        ("fru", "NavigationFrustratedTransaction", Stat::Sum),
        ("lcp", "WebVitalsLargestContentfulPaint", Stat::P75),
        ("inp", "WebVitalsInteractionToNextPaint", Stat::P75),
        ("cls", "WebVitalsCumulativeLayoutShift", Stat::P75),
    ]
};

/// "5", "0.25", "1200".
pub fn trim_number(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{}", value as i64)
    } else {
        format!("{value:.2}")
            .trim_end_matches('0')
            .trim_end_matches('.')
            .to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(status: RunStatus, reason: &str) -> CanaryRun {
        CanaryRun {
            id: "r".into(),
            status,
            reason: reason.into(),
            started_ms: Some(0),
            completed_ms: Some(4_000),
        }
    }

    #[test]
    fn a_failed_run_names_its_step() {
        let r = run(
            RunStatus::Failed,
            "Step 3 'submit return' failed: TimeoutError: waiting for selector",
        );
        assert_eq!(r.failing_step().as_deref(), Some("submit return"));
        assert_eq!(run(RunStatus::Failed, "no step here").failing_step(), None);
        assert_eq!(r.duration_ms(), Some(4_000));
    }

    #[test]
    fn success_percent_counts_finished_runs() {
        let canary = Canary {
            name: "c".into(),
            state: "RUNNING".into(),
            schedule: "rate(5 minutes)".into(),
            last_run: None,
            runs: vec![
                run(RunStatus::Failed, ""),
                run(RunStatus::Running, ""),
                run(RunStatus::Passed, ""),
                run(RunStatus::Passed, ""),
                run(RunStatus::Passed, ""),
            ],
        };
        assert_eq!(canary.success_pct(), Some(75.0));
        assert!(canary.is_failing());
    }

    #[test]
    fn apdex_weighs_tolerated_half() {
        let s = RumSummary {
            satisfied: 70.0,
            tolerated: 20.0,
            frustrated: 10.0,
            ..Default::default()
        };
        assert_eq!(s.apdex(), Some(0.8));
        assert_eq!(trim_number(5.0), "5");
        assert_eq!(trim_number(0.25), "0.25");
    }
}
