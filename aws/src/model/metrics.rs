//! CloudWatch metrics as the app asks for them: one [`MetricQuery`] per series (namespace,
//! metric, dimensions, statistic, period), answered by a [`MetricSeries`] of points. One
//! GetMetricData call carries up to [`MAX_METRICS_PER_CALL`] queries, so every pane that
//! needs metrics batches them through one fetch.

/// GetMetricData takes at most this many queries per call.
pub const MAX_METRICS_PER_CALL: usize = 500;

/// A statistic CloudWatch computes over each period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Stat {
    Sum,
    Average,
    Maximum,
    Minimum,
    SampleCount,
    /// A percentile in tenths: 990 is p99, 500 is p50.
    Percentile(u16),
}

impl Stat {
    pub const P50: Stat = Stat::Percentile(500);
    pub const P75: Stat = Stat::Percentile(750);
    pub const P90: Stat = Stat::Percentile(900);
    pub const P95: Stat = Stat::Percentile(950);
    pub const P99: Stat = Stat::Percentile(990);

    /// The name GetMetricData takes ("Sum", "p99", "p99.9").
    pub fn name(self) -> String {
        match self {
            Stat::Sum => "Sum".into(),
            Stat::Average => "Average".into(),
            Stat::Maximum => "Maximum".into(),
            Stat::Minimum => "Minimum".into(),
            Stat::SampleCount => "SampleCount".into(),
            Stat::Percentile(tenths) if tenths % 10 == 0 => format!("p{}", tenths / 10),
            Stat::Percentile(tenths) => format!("p{}.{}", tenths / 10, tenths % 10),
        }
    }

    /// Reads a statistic's name back ("p99", "Sum"); `None` for what the app never asks.
    pub fn parse(name: &str) -> Option<Stat> {
        Some(match name {
            "Sum" => Stat::Sum,
            "Average" => Stat::Average,
            "Maximum" => Stat::Maximum,
            "Minimum" => Stat::Minimum,
            "SampleCount" => Stat::SampleCount,
            _ => {
                let number: f64 = name.strip_prefix('p')?.parse().ok()?;
                if !(0.0..=100.0).contains(&number) {
                    return None;
                }
                Stat::Percentile((number * 10.0).round() as u16)
            }
        })
    }

    /// The fraction 0..=1 of a percentile.
    pub fn fraction(self) -> Option<f64> {
        match self {
            Stat::Percentile(tenths) => Some(f64::from(tenths) / 1000.0),
            _ => None,
        }
    }
}

/// One series asked of CloudWatch.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct MetricQuery {
    /// Unique within a call; starts with a lower-case letter (AWS's rule).
    pub id: String,
    pub namespace: String,
    pub metric: String,
    /// (name, value) pairs, as the metric was published.
    pub dimensions: Vec<(String, String)>,
    pub stat: Stat,
    pub period_s: u32,
}

impl MetricQuery {
    pub fn new(id: impl Into<String>, namespace: &str, metric: &str, stat: Stat) -> Self {
        Self {
            id: id.into(),
            namespace: namespace.to_string(),
            metric: metric.to_string(),
            dimensions: Vec::new(),
            stat,
            period_s: 60,
        }
    }

    pub fn dimension(mut self, name: &str, value: &str) -> Self {
        self.dimensions.push((name.to_string(), value.to_string()));
        self
    }

    pub fn period(mut self, period_s: u32) -> Self {
        self.period_s = period_s.max(1);
        self
    }

    /// The value of one of its dimensions.
    pub fn dimension_value(&self, name: &str) -> Option<&str> {
        self.dimensions
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// One series as CloudWatch answered it: (period start in epoch ms, value), oldest first.
/// Periods with no data are absent, as AWS leaves them.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct MetricSeries {
    pub id: String,
    pub points: Vec<(i64, f64)>,
}

impl MetricSeries {
    pub fn sum(&self) -> f64 {
        self.points.iter().map(|(_, v)| v).sum()
    }

    pub fn max(&self) -> Option<f64> {
        self.points.iter().map(|(_, v)| *v).reduce(f64::max)
    }

    pub fn last(&self) -> Option<f64> {
        self.points.last().map(|(_, v)| *v)
    }

    /// The values of each period from `start_ms` on, `period_ms` apart, 0 where none.
    pub fn dense(&self, start_ms: i64, period_ms: i64, periods: usize) -> Vec<f64> {
        let mut out = vec![0.0; periods];
        for (at, value) in &self.points {
            let index = (at - start_ms).div_euclid(period_ms.max(1));
            if let Ok(index) = usize::try_from(index)
                && let Some(slot) = out.get_mut(index)
            {
                *slot += value;
            }
        }
        out
    }

    /// The sum of the points at or after `since_ms`.
    pub fn sum_since(&self, since_ms: i64) -> f64 {
        self.points
            .iter()
            .filter(|(at, _)| *at >= since_ms)
            .map(|(_, v)| v)
            .sum()
    }
}

/// The series of one call, found by query id.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct MetricResults {
    pub series: std::collections::BTreeMap<String, MetricSeries>,
    /// Metrics requested (what GetMetricData bills: $0.01 per 1,000).
    pub metrics_requested: usize,
    /// GetMetricData calls made.
    pub calls: usize,
    /// Why percentile statistics are missing when the endpoint refused them (emulators
    /// compute none): the other statistics were read again without them.
    pub percentiles_refused: Option<String>,
}

impl MetricResults {
    pub fn get(&self, id: &str) -> Option<&MetricSeries> {
        self.series.get(id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statistics_round_trip_their_names() {
        for stat in [Stat::Sum, Stat::Maximum, Stat::P99, Stat::Percentile(999)] {
            assert_eq!(Stat::parse(&stat.name()), Some(stat));
        }
        assert_eq!(Stat::P95.name(), "p95");
        assert_eq!(Stat::Percentile(999).name(), "p99.9");
        assert_eq!(Stat::parse("tm99"), None);
    }

    #[test]
    fn series_fill_missing_periods_with_zero() {
        let s = MetricSeries {
            id: "a".into(),
            points: vec![(60_000, 2.0), (180_000, 5.0)],
        };
        assert_eq!(s.dense(0, 60_000, 4), vec![0.0, 2.0, 0.0, 5.0]);
        assert_eq!(s.sum_since(120_000), 5.0);
        assert_eq!(s.max(), Some(5.0));
    }
}
