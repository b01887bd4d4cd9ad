//! What counts as a rise above the baseline: the last 15 minutes of a series against the
//! rest of its window. The overview's findings and the function-health gate judge alike.

/// Periods at the end of a window that count as "now"; the rest is the baseline.
pub const RECENT_MS: i64 = 15 * 60_000;

/// (recent per minute, baseline per minute, when the recent rise began) of a series whose
/// points are `period_ms` apart and end at `end_ms`.
pub fn rise(series: &[f64], end_ms: i64, period_ms: i64) -> (f64, f64, Option<i64>) {
    let recent_n = usize::try_from(RECENT_MS / period_ms.max(1))
        .unwrap_or(1)
        .max(1);
    let split = series.len().saturating_sub(recent_n);
    let (before, recent) = series.split_at(split);
    let minutes = |n: usize| (n as f64 * period_ms as f64 / 60_000.0).max(1.0);
    let baseline = before.iter().sum::<f64>() / minutes(before.len());
    let now = recent.iter().sum::<f64>() / minutes(recent.len());
    let start = end_ms - series.len() as i64 * period_ms;
    let since = recent
        .iter()
        .position(|v| *v > 0.0)
        .map(|i| start + (split + i) as i64 * period_ms);
    (now, baseline, since)
}

/// Above its baseline: at least twice it, and clearly more than nothing.
pub fn above(now: f64, baseline: f64) -> bool {
    now >= 0.2 && now > 2.0 * baseline + 0.1
}

/// A count that rose: at least 3 in the last 15 minutes, above its baseline.
pub fn count_rose(series: &[f64], end_ms: i64, period_ms: i64) -> bool {
    let recent_n = usize::try_from(RECENT_MS / period_ms.max(1))
        .unwrap_or(1)
        .max(1);
    let recent: f64 = series.iter().rev().take(recent_n).sum();
    let (now, baseline, _) = rise(series, end_ms, period_ms);
    recent >= 3.0 && above(now, baseline)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_count_rises_when_the_last_15_minutes_double_the_rest() {
        // 1-minute periods over an hour: 1 error a minute, then 3 a minute.
        let steady = vec![1.0; 60];
        assert!(!count_rose(&steady, 0, 60_000), "steady is no rise");
        let mut rising = vec![1.0; 45];
        rising.extend(vec![3.0; 15]);
        assert!(count_rose(&rising, 0, 60_000));
        // Nothing before, two now: too few to judge.
        let mut few = vec![0.0; 58];
        few.extend([1.0, 1.0]);
        assert!(!count_rose(&few, 0, 60_000));
    }
}
