//! Lambda functions as the functions pane and the overview see them: configuration
//! (ListFunctions), metrics over a window (GetMetricData, `AWS/Lambda`), cold starts derived
//! from REPORT lines (AWS publishes no cold-start metric), an estimated cost, and the event
//! source mappings that lead to queues and streams.

use super::metrics::{MetricSeries, Stat};

/// The windows the functions pane and `unstuck functions --window` offer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum MetricWindow {
    M15,
    #[default]
    H1,
    H3,
    H24,
}

impl MetricWindow {
    pub const ALL: [MetricWindow; 4] = [Self::M15, Self::H1, Self::H3, Self::H24];

    pub fn ms(self) -> i64 {
        match self {
            Self::M15 => 15 * 60_000,
            Self::H1 => 3_600_000,
            Self::H3 => 3 * 3_600_000,
            Self::H24 => 24 * 3_600_000,
        }
    }

    /// The period of each point: 15 to 60 points per window.
    pub fn period_s(self) -> u32 {
        match self {
            Self::M15 | Self::H1 => 60,
            Self::H3 => 300,
            Self::H24 => 1_800,
        }
    }

    pub fn points(self) -> usize {
        usize::try_from(self.ms() / (i64::from(self.period_s()) * 1000)).unwrap_or(1)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::M15 => "15m",
            Self::H1 => "1h",
            Self::H3 => "3h",
            Self::H24 => "24h",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|w| w.label() == text.trim())
    }

    pub fn next(self) -> Self {
        let i = Self::ALL.iter().position(|w| *w == self).unwrap_or(0);
        Self::ALL[(i + 1) % Self::ALL.len()]
    }

    /// The window's start for an end at `now_ms`, on a period boundary (CloudWatch aligns
    /// points to the period), so the points land on whole periods.
    pub fn range(self, now_ms: i64) -> (i64, i64) {
        let period_ms = i64::from(self.period_s()) * 1000;
        let end = now_ms.div_euclid(period_ms) * period_ms + period_ms;
        (end - self.ms(), end)
    }
}

/// A function's configuration (ListFunctions).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FunctionConfig {
    pub name: String,
    pub arn: String,
    pub runtime: String,
    pub memory_mb: u32,
    pub timeout_s: u32,
    /// Epoch ms.
    pub last_modified_ms: Option<i64>,
    /// `x86_64` or `arm64` (the price differs).
    pub architecture: String,
    /// Where failed asynchronous invocations go after their retries (DeadLetterConfig: an
    /// SQS queue or SNS topic ARN).
    pub dead_letter_arn: Option<String>,
}

impl FunctionConfig {
    pub fn log_group(&self) -> String {
        format!("/aws/lambda/{}", self.name)
    }
}

/// What feeds a function from a queue or stream (ListEventSourceMappings).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventSourceMapping {
    pub uuid: String,
    pub function_arn: String,
    /// An SQS queue, Kinesis or DynamoDB stream ARN.
    pub source_arn: String,
    pub state: String,
    pub batch_size: Option<u32>,
}

impl EventSourceMapping {
    /// The function's name from its ARN.
    pub fn function_name(&self) -> &str {
        self.function_arn
            .split(":function:")
            .nth(1)
            .map_or(self.function_arn.as_str(), |rest| {
                rest.split(':').next().unwrap_or(rest)
            })
    }

    pub fn is_queue(&self) -> bool {
        self.source_arn.starts_with("arn:aws:sqs:")
    }
}

/// Where a function's asynchronous invocations go when they end
/// (ListFunctionEventInvokeConfigs): an SQS queue, SNS topic, Lambda function, EventBridge
/// bus or S3 bucket ARN each.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FunctionDestinations {
    pub on_success: Option<String>,
    pub on_failure: Option<String>,
}

/// A state machine that invokes a function from its Task states (as its definition names it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invoker {
    pub machine_arn: String,
    pub machine_name: String,
    /// The Task states that invoke it.
    pub states: Vec<String>,
}

/// p50 / p95 / p99 of a duration, milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Percentiles {
    pub p50: Option<f64>,
    pub p95: Option<f64>,
    pub p99: Option<f64>,
}

/// The `AWS/Lambda` metrics of one function over a window.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FunctionMetrics {
    pub invocations: f64,
    pub errors: f64,
    pub throttles: f64,
    pub duration: Percentiles,
    pub max_concurrency: Option<f64>,
    /// Stream consumers: the age of the last record read, ms (Maximum).
    pub iterator_age_ms: Option<f64>,
    /// Asynchronous invocations: how long events waited, ms (Maximum).
    pub async_event_age_ms: Option<f64>,
    /// Per period, oldest first, one per period of the window (0 where none).
    pub invocations_series: Vec<f64>,
    pub errors_series: Vec<f64>,
    pub throttles_series: Vec<f64>,
    pub p99_series: Vec<f64>,
    /// Sum of durations (`Duration` Sum), ms: the GB-s of the cost estimate.
    pub duration_sum_ms: f64,
}

impl FunctionMetrics {
    /// Errors over invocations, 0..=1 (None without invocations).
    pub fn error_rate(&self) -> Option<f64> {
        (self.invocations > 0.0).then(|| self.errors / self.invocations)
    }
}

/// Cold starts counted from REPORT lines over a window.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct ColdStarts {
    /// REPORT lines seen (invocations logged).
    pub reports: u64,
    /// Those with an `Init Duration`.
    pub cold: u64,
    pub init_p50_ms: Option<f64>,
    pub init_p99_ms: Option<f64>,
}

impl ColdStarts {
    pub fn rate(&self) -> Option<f64> {
        (self.reports > 0).then(|| self.cold as f64 / self.reports as f64)
    }
}

/// One row of the functions table.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FunctionRow {
    pub config: FunctionConfig,
    pub metrics: FunctionMetrics,
}

/// Account concurrency: the peak claimed over the window against the account's limit.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AccountConcurrency {
    pub claimed_max: Option<f64>,
    pub limit: Option<u32>,
    pub claimed_series: Vec<f64>,
}

/// The functions table of one window, as one poll read it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FunctionsTable {
    pub window: MetricWindow,
    /// Where the window starts and ends (epoch ms, period-aligned).
    pub range_ms: (i64, i64),
    pub rows: Vec<FunctionRow>,
    pub account: AccountConcurrency,
    pub mappings: Vec<EventSourceMapping>,
    /// GetMetricData metrics requested by this poll (what CloudWatch bills).
    pub metrics_requested: usize,
    /// Why the duration percentiles are missing when the endpoint refused them.
    pub percentiles_refused: Option<String>,
    /// When the rows were read, if by an earlier poll: the overview's health poll reads a
    /// large account's functions one by one only now and then, and its own totals between.
    pub rows_read_at_ms: Option<i64>,
}

/// The queries a function's row needs: (query id suffix, metric, statistic).
pub const FUNCTION_METRICS: [(&str, &str, Stat); 10] = [
    ("inv", "Invocations", Stat::Sum),
    ("err", "Errors", Stat::Sum),
    ("thr", "Throttles", Stat::Sum),
    ("p50", "Duration", Stat::P50),
    ("p95", "Duration", Stat::P95),
    ("p99", "Duration", Stat::P99),
    ("dsum", "Duration", Stat::Sum),
    ("conc", "ConcurrentExecutions", Stat::Maximum),
    ("iter", "IteratorAge", Stat::Maximum),
    ("age", "AsyncEventAge", Stat::Maximum),
];

/// What the overview needs of each function (calls, errors, throttles against their
/// baseline, a p99 near the timeout): 4 metrics of the 10, as GetMetricData bills by metric.
pub const FUNCTION_HEALTH_METRICS: [(&str, &str, Stat); 4] = [
    FUNCTION_METRICS[0],
    FUNCTION_METRICS[1],
    FUNCTION_METRICS[2],
    FUNCTION_METRICS[5],
];

/// One function's metrics from the series its queries (`f{index}_{suffix}`) answered.
pub fn function_metrics(
    index: usize,
    series: impl Fn(&str) -> Option<MetricSeries>,
    start_ms: i64,
    period_ms: i64,
    points: usize,
) -> FunctionMetrics {
    let get = |suffix: &str| series(&format!("f{index}_{suffix}")).unwrap_or_default();
    let inv = get("inv");
    let p99 = get("p99");
    // CloudWatch answers a percentile per period. Over the window, p50 is the invocation-
    // weighted mean of the periods' medians; p95 and p99 are the worst period's (what an
    // on-call engineer looks for, and never below the truth).
    let median = {
        let p50 = get("p50");
        let total: f64 = inv.sum();
        let weighted: f64 = p50
            .points
            .iter()
            .map(|(at, v)| {
                let n = inv
                    .points
                    .iter()
                    .find(|(t, _)| t == at)
                    .map_or(0.0, |p| p.1);
                v * n
            })
            .sum();
        if total > 0.0 && weighted > 0.0 {
            Some(weighted / total)
        } else {
            p50.max()
        }
    };
    FunctionMetrics {
        invocations: inv.sum(),
        errors: get("err").sum(),
        throttles: get("thr").sum(),
        duration: Percentiles {
            p50: median,
            p95: get("p95").max(),
            p99: p99.max(),
        },
        max_concurrency: get("conc").max(),
        iterator_age_ms: get("iter").max(),
        async_event_age_ms: get("age").max(),
        invocations_series: inv.dense(start_ms, period_ms, points),
        errors_series: get("err").dense(start_ms, period_ms, points),
        throttles_series: get("thr").dense(start_ms, period_ms, points),
        p99_series: p99.dense(start_ms, period_ms, points),
        duration_sum_ms: get("dsum").sum(),
    }
}

/// Lambda's on-demand prices, us-east-1, from https://aws.amazon.com/lambda/pricing/
/// (read 2026-11): $0.20 per million requests; $0.0000166667 per GB-second on x86_64 and
/// $0.0000133334 on arm64 (the first pricing tier; the free tier is left out).
pub const PRICE_PER_MILLION_REQUESTS: f64 = 0.20;
pub const PRICE_PER_GB_SECOND_X86: f64 = 0.000_016_666_7;
pub const PRICE_PER_GB_SECOND_ARM: f64 = 0.000_013_333_4;

/// What a function's invocations over the window cost, in dollars.
pub fn estimated_cost(config: &FunctionConfig, metrics: &FunctionMetrics) -> f64 {
    let gb_seconds = metrics.duration_sum_ms / 1000.0 * f64::from(config.memory_mb) / 1024.0;
    let per_gb_s = if config.architecture == "arm64" {
        PRICE_PER_GB_SECOND_ARM
    } else {
        PRICE_PER_GB_SECOND_X86
    };
    metrics.invocations / 1_000_000.0 * PRICE_PER_MILLION_REQUESTS + gb_seconds * per_gb_s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_align_to_their_period() {
        let (start, end) = MetricWindow::H1.range(3_600_000 + 90_000);
        assert_eq!(end, 3_600_000 + 120_000);
        assert_eq!(end - start, 3_600_000);
        assert_eq!(MetricWindow::H24.points(), 48);
        assert_eq!(MetricWindow::parse("3h"), Some(MetricWindow::H3));
        assert_eq!(MetricWindow::H24.next(), MetricWindow::M15);
    }

    #[test]
    fn cost_follows_gb_seconds_and_requests() {
        let config = FunctionConfig {
            memory_mb: 1024,
            ..Default::default()
        };
        let metrics = FunctionMetrics {
            invocations: 1_000_000.0,
            duration_sum_ms: 1_000_000.0 * 100.0,
            ..Default::default()
        };
        let cost = estimated_cost(&config, &metrics);
        assert!((cost - (0.20 + 100_000.0 * PRICE_PER_GB_SECOND_X86)).abs() < 1e-9);
    }

    #[test]
    fn mappings_name_their_function() {
        let m = EventSourceMapping {
            uuid: "u".into(),
            function_arn: "arn:aws:lambda:eu-west-1:1:function:tax-refund:live".into(),
            source_arn: "arn:aws:sqs:eu-west-1:1:q".into(),
            state: "Enabled".into(),
            batch_size: Some(10),
        };
        assert_eq!(m.function_name(), "tax-refund");
        assert!(m.is_queue());
    }
}
