//! The demo world's CloudWatch: datapoints kept per metric in one-minute buckets (coarser
//! before the history the logs cover), answered per period with the statistic asked.
//! Percentiles come from a log-scale histogram per bucket (about 10% wide, interpolated
//! inside), as CloudWatch's own are approximate.

use std::collections::BTreeMap;

use crate::model::metrics::{MetricQuery, MetricSeries, Stat};

/// Histogram buckets: 10 decades from 0.001, 16 per decade.
const HIST_BUCKETS: usize = 160;
const HIST_LOW: f64 = 0.001;
const PER_DECADE: f64 = 16.0;

/// (namespace, metric, dimensions) of a published metric.
pub type MetricKey = (String, String, Vec<(String, String)>);

pub fn key(namespace: &str, metric: &str, dimensions: &[(&str, &str)]) -> MetricKey {
    (
        namespace.to_string(),
        metric.to_string(),
        dimensions
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect(),
    )
}

/// The datapoints of one bucket of time.
#[derive(Debug, Clone, Default)]
pub struct Bucket {
    pub count: f64,
    pub sum: f64,
    pub min: f64,
    pub max: f64,
    hist: Option<Box<[u32; HIST_BUCKETS]>>,
}

impl Bucket {
    pub fn add(&mut self, value: f64, with_histogram: bool) {
        self.add_weighted(value, 1.0, with_histogram);
    }

    /// `value` as if seen `weight` times (history drawn from a sample).
    pub fn add_weighted(&mut self, value: f64, weight: f64, with_histogram: bool) {
        if weight <= 0.0 {
            return;
        }
        if self.count == 0.0 {
            self.min = value;
            self.max = value;
        } else {
            self.min = self.min.min(value);
            self.max = self.max.max(value);
        }
        self.count += weight;
        self.sum += value * weight;
        if with_histogram {
            let hist = self.hist.get_or_insert_with(|| Box::new([0; HIST_BUCKETS]));
            hist[hist_index(value)] += weight.round().max(1.0) as u32;
        }
    }

    fn merge(&mut self, other: &Bucket) {
        if other.count == 0.0 {
            return;
        }
        if self.count == 0.0 {
            *self = other.clone();
            return;
        }
        self.count += other.count;
        self.sum += other.sum;
        self.min = self.min.min(other.min);
        self.max = self.max.max(other.max);
        if let Some(theirs) = &other.hist {
            let mine = self.hist.get_or_insert_with(|| Box::new([0; HIST_BUCKETS]));
            for (m, t) in mine.iter_mut().zip(theirs.iter()) {
                *m += t;
            }
        }
    }

    fn stat(&self, stat: Stat) -> Option<f64> {
        if self.count == 0.0 {
            return None;
        }
        Some(match stat {
            Stat::Sum => self.sum,
            Stat::Average => self.sum / self.count,
            Stat::Maximum => self.max,
            Stat::Minimum => self.min,
            Stat::SampleCount => self.count,
            Stat::Percentile(_) => {
                let hist = self.hist.as_ref()?;
                let fraction = stat.fraction().unwrap_or(0.5);
                percentile(hist, fraction).clamp(self.min, self.max)
            }
        })
    }
}

fn hist_index(value: f64) -> usize {
    if value <= HIST_LOW {
        return 0;
    }
    let i = ((value / HIST_LOW).log10() * PER_DECADE).floor();
    (i.max(0.0) as usize).min(HIST_BUCKETS - 1)
}

fn hist_low(index: usize) -> f64 {
    HIST_LOW * 10f64.powf(index as f64 / PER_DECADE)
}

fn percentile(hist: &[u32; HIST_BUCKETS], fraction: f64) -> f64 {
    let total: u64 = hist.iter().map(|&n| u64::from(n)).sum();
    let rank = fraction * total as f64;
    let mut seen = 0.0;
    for (i, &n) in hist.iter().enumerate() {
        let n = f64::from(n);
        if n > 0.0 && seen + n >= rank {
            let inside = ((rank - seen) / n).clamp(0.0, 1.0);
            let (low, high) = (hist_low(i), hist_low(i + 1));
            return low + (high - low) * inside;
        }
        seen += n;
    }
    hist_low(HIST_BUCKETS)
}

/// Every metric the world publishes.
#[derive(Debug, Default)]
pub struct MetricStore {
    /// Bucket start (epoch ms) -> bucket, per metric.
    metrics: BTreeMap<MetricKey, BTreeMap<i64, Bucket>>,
}

impl MetricStore {
    /// One datapoint at `at_ms`, into its minute. `percentiles`: keep a histogram.
    pub fn put(&mut self, key: &MetricKey, at_ms: i64, value: f64, percentiles: bool) {
        let minute = at_ms.div_euclid(60_000) * 60_000;
        self.bucket(key, minute).add(value, percentiles);
    }

    /// The bucket starting at `start_ms` (for the history generated in bulk).
    pub fn bucket(&mut self, key: &MetricKey, start_ms: i64) -> &mut Bucket {
        self.metrics
            .entry(key.clone())
            .or_default()
            .entry(start_ms)
            .or_default()
    }

    /// A query's series over `[start_ms, end_ms)`: one point per period holding data.
    pub fn series(&self, query: &MetricQuery, start_ms: i64, end_ms: i64) -> MetricSeries {
        let dims: Vec<(String, String)> = query.dimensions.clone();
        let key: MetricKey = (query.namespace.clone(), query.metric.clone(), dims);
        let mut out = MetricSeries {
            id: query.id.clone(),
            points: Vec::new(),
        };
        let published: Vec<&BTreeMap<i64, Bucket>> = match self.metrics.get(&key) {
            Some(buckets) => vec![buckets],
            // Lambda's metrics are also published over the whole account, without a
            // dimension: the sum of every function's.
            None if key.2.is_empty() && key.0 == "AWS/Lambda" => self
                .metrics
                .iter()
                .filter(|((namespace, metric, _), _)| *namespace == key.0 && *metric == key.1)
                .map(|(_, buckets)| buckets)
                .collect(),
            None => return out,
        };
        let period_ms = i64::from(query.period_s.max(1)) * 1000;
        let first = start_ms.div_euclid(period_ms) * period_ms;
        let mut at = first;
        while at < end_ms {
            let mut merged = Bucket::default();
            for buckets in &published {
                for (_, b) in buckets.range(at..at + period_ms) {
                    merged.merge(b);
                }
            }
            if let Some(value) = merged.stat(query.stat) {
                out.points.push((at, value));
            }
            at += period_ms;
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_aggregate_their_minutes_with_the_statistic_asked() {
        let mut store = MetricStore::default();
        let k = key("AWS/Lambda", "Duration", &[("FunctionName", "f")]);
        for i in 1..=100 {
            store.put(&k, 10_000, f64::from(i), true);
        }
        store.put(&k, 70_000, 500.0, true);
        let q = |stat| {
            MetricQuery::new("d", "AWS/Lambda", "Duration", stat)
                .dimension("FunctionName", "f")
                .period(120)
        };
        let p99 = store.series(&q(Stat::P99), 0, 120_000);
        assert_eq!(p99.points.len(), 1);
        let v = p99.points[0].1;
        assert!(
            (90.0..=120.0).contains(&v),
            "p99 of 1..100 + 500 is ~100, got {v}"
        );
        let p50 = store.series(&q(Stat::P50), 0, 120_000).points[0].1;
        assert!((45.0..=57.0).contains(&p50), "p50 ~51, got {p50}");
        assert_eq!(
            store.series(&q(Stat::Maximum), 0, 120_000).points[0].1,
            500.0
        );
        assert_eq!(
            store.series(&q(Stat::SampleCount), 0, 120_000).points[0].1,
            101.0
        );
        let minutes = store.series(&q(Stat::Sum).period(60), 0, 180_000);
        assert_eq!(minutes.points, vec![(0, 5050.0), (60_000, 500.0)]);
    }

    #[test]
    fn unknown_metrics_answer_no_points() {
        let store = MetricStore::default();
        let q = MetricQuery::new("x", "AWS/Lambda", "Errors", Stat::Sum);
        assert!(store.series(&q, 0, 600_000).points.is_empty());
    }

    #[test]
    fn lambda_counts_without_a_dimension_are_the_accounts_sum() {
        let mut store = MetricStore::default();
        for (f, n) in [("a", 2.0), ("b", 3.0)] {
            let k = key("AWS/Lambda", "Errors", &[("FunctionName", f)]);
            store.put(&k, 60_000, n, false);
        }
        let q = MetricQuery::new("e", "AWS/Lambda", "Errors", Stat::Sum).period(60);
        assert_eq!(store.series(&q, 0, 180_000).points, vec![(60_000, 5.0)]);
        let other = MetricQuery::new("x", "AWS/SQS", "Errors", Stat::Sum).period(60);
        assert!(store.series(&other, 0, 180_000).points.is_empty());
    }
}
