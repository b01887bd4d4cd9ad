//! API calls per minute, from counter readings that arrive in messages.

use std::collections::VecDeque;

const WINDOW_MS: i64 = 60_000;

/// Readings of the app's total API call count over the last minute or so.
#[derive(Debug, Default, Clone)]
pub struct CallRate {
    readings: VecDeque<(i64, u64)>,
}

impl CallRate {
    pub fn record(&mut self, at_ms: i64, total: u64) {
        self.readings.push_back((at_ms, total));
        // Keep one reading at or before the window start, to measure the whole minute.
        while self.readings.len() > 2 && self.readings[1].0 <= at_ms - WINDOW_MS {
            self.readings.pop_front();
        }
    }

    /// Calls in the last minute (scaled up when less than a minute has been seen).
    pub fn per_minute(&self) -> Option<u64> {
        let (first_at, first) = *self.readings.front()?;
        let (last_at, last) = *self.readings.back()?;
        let span = last_at - first_at;
        if span <= 0 {
            return None;
        }
        let calls = last.saturating_sub(first) as f64;
        let per_minute = calls * WINDOW_MS as f64 / span as f64;
        Some(per_minute.round() as u64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rate_over_the_last_minute() {
        let mut rate = CallRate::default();
        assert_eq!(rate.per_minute(), None);
        rate.record(0, 0);
        rate.record(30_000, 60);
        assert_eq!(rate.per_minute(), Some(120));
        for s in 1..=10 {
            rate.record(30_000 + s * 10_000, 60 + s as u64 * 10);
        }
        // Last minute: 60 calls.
        assert_eq!(rate.per_minute(), Some(60));
    }
}
