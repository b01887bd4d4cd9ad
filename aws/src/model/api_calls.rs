//! Counting the app's own AWS API calls, per operation (every HTTP attempt counts: that is
//! what the quota sees).

use std::collections::BTreeMap;
use std::sync::Mutex;

#[derive(Debug, Default)]
pub struct ApiCalls {
    counts: Mutex<BTreeMap<String, u64>>,
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
