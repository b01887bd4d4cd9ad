//! Rates per minute (API calls, metrics requested, bytes scanned) from counter readings
//! that arrive in messages.

use std::collections::VecDeque;

const WINDOW_MS: i64 = 60_000;
const MINUTE_MS: f64 = 60_000.0;

/// Readings of a growing count over the last minute (or a longer window) or so.
#[derive(Debug, Clone)]
pub struct CallRate {
    readings: VecDeque<(i64, u64)>,
    window_ms: i64,
}

impl Default for CallRate {
    fn default() -> Self {
        Self::over(WINDOW_MS)
    }
}

impl CallRate {
    /// A rate measured over the last `window_ms` (for counts that move in steps, as a
    /// poll every minute does, a window of several minutes).
    pub fn over(window_ms: i64) -> Self {
        Self {
            readings: VecDeque::new(),
            window_ms: window_ms.max(1),
        }
    }

    pub fn record(&mut self, at_ms: i64, total: u64) {
        self.readings.push_back((at_ms, total));
        // Keep one reading at or before the window start, to measure the whole window.
        while self.readings.len() > 2 && self.readings[1].0 <= at_ms - self.window_ms {
            self.readings.pop_front();
        }
    }

    /// Whether the readings span the whole window (before that a rate of counts that move
    /// in steps is a guess: the first poll's burst divided by a few seconds).
    pub fn covers_window(&self) -> bool {
        match (self.readings.front(), self.readings.back()) {
            (Some((first, _)), Some((last, _))) => last - first >= self.window_ms,
            _ => false,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.readings.is_empty()
    }

    /// How long the readings span so far, in ms.
    pub fn span_ms(&self) -> i64 {
        match (self.readings.front(), self.readings.back()) {
            (Some((first, _)), Some((last, _))) => last - first,
            _ => 0,
        }
    }

    /// Calls in the last minute (scaled up when less than a minute has been seen).
    pub fn per_minute(&self) -> Option<u64> {
        self.per_minute_exact().map(|r| r.round() as u64)
    }

    /// The same, unrounded (for small rates: metrics requested, bytes scanned).
    pub fn per_minute_exact(&self) -> Option<f64> {
        let (first_at, first) = *self.readings.front()?;
        let (last_at, last) = *self.readings.back()?;
        let span = last_at - first_at;
        if span <= 0 {
            return None;
        }
        let calls = last.saturating_sub(first) as f64;
        Some(calls * MINUTE_MS / span as f64)
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
        assert!(rate.covers_window());
    }

    #[test]
    fn a_window_is_covered_only_once_the_readings_span_it() {
        let mut rate = CallRate::over(600_000);
        rate.record(0, 0);
        rate.record(1_000, 4_000);
        assert!(!rate.covers_window());
        assert_eq!(rate.span_ms(), 1_000);
        rate.record(600_000, 4_100);
        assert!(rate.covers_window());
    }
}
