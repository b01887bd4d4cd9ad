//! Counting the app's own AWS API calls, per operation (every HTTP attempt counts: that is
//! what the quota sees).

use std::collections::BTreeMap;
use std::sync::Mutex;

#[derive(Debug, Default)]
pub struct ApiCalls {
    counts: Mutex<BTreeMap<String, u64>>,
    billed: Mutex<Billed>,
}

/// What AWS bills the app's own use by, beyond the request counts: GetMetricData by the
/// metric requested, Logs Insights by the byte scanned. (Live Tail, billed by the
/// session-minute, is counted by the logs pane from the sessions it has open.)
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Billed {
    pub metrics_requested: u64,
    pub insights_bytes_scanned: u64,
}

impl ApiCalls {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn record(&self, operation: &str) {
        let mut counts = self.counts.lock().unwrap_or_else(|p| p.into_inner());
        match counts.get_mut(operation) {
            Some(n) => *n += 1,
            None => {
                counts.insert(operation.to_string(), 1);
            }
        }
    }

    /// (operation, calls) sorted by operation name.
    pub fn snapshot(&self) -> Vec<(String, u64)> {
        let counts = self.counts.lock().unwrap_or_else(|p| p.into_inner());
        counts.iter().map(|(k, v)| (k.clone(), *v)).collect()
    }

    pub fn total(&self) -> u64 {
        let counts = self.counts.lock().unwrap_or_else(|p| p.into_inner());
        counts.values().sum()
    }

    /// `n` more metrics requested from GetMetricData.
    pub fn bill_metrics(&self, n: usize) {
        let mut billed = self.billed.lock().unwrap_or_else(|p| p.into_inner());
        billed.metrics_requested += u64::try_from(n).unwrap_or(u64::MAX);
    }

    /// `bytes` more scanned by a Logs Insights query.
    pub fn bill_insights_bytes(&self, bytes: f64) {
        let mut billed = self.billed.lock().unwrap_or_else(|p| p.into_inner());
        // Whole bytes, as AWS reports them.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let bytes = bytes.max(0.0) as u64;
        billed.insights_bytes_scanned += bytes;
    }

    pub fn billed(&self) -> Billed {
        *self.billed.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn of(&self, operation: &str) -> u64 {
        let counts = self.counts.lock().unwrap_or_else(|p| p.into_inner());
        counts.get(operation).copied().unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_per_operation() {
        let calls = ApiCalls::new();
        calls.record("FilterLogEvents");
        calls.record("FilterLogEvents");
        calls.record("DescribeLogGroups");
        assert_eq!(calls.total(), 3);
        assert_eq!(calls.of("FilterLogEvents"), 2);
        assert_eq!(
            calls.snapshot(),
            vec![
                ("DescribeLogGroups".to_string(), 1),
                ("FilterLogEvents".to_string(), 2)
            ]
        );
    }
}
