//! `▁▂▃▅█` sparklines, scaled to the largest value shown (the queue depths, a function's
//! invocations, an alarm's metric, a canary's durations).

const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/// The last `width` values as bars, right-aligned (blank where there are fewer values).
/// A NaN (no datum) draws as a blank.
pub fn sparkline(values: &[f64], width: usize) -> String {
    let shown = &values[values.len().saturating_sub(width)..];
    let max = shown
        .iter()
        .copied()
        .filter(|v| v.is_finite())
        .fold(0.0_f64, f64::max);
    let mut out: String = shown
        .iter()
        .map(|&v| {
            if !v.is_finite() {
                ' '
            } else if max <= 0.0 {
                BARS[0]
            } else {
                // Truncation is the point: 7 levels above the floor.
                #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                let level = ((v.max(0.0) / max) * 7.0).floor() as usize;
                BARS[level.min(7)]
            }
        })
        .collect();
    let pad = width.saturating_sub(out.chars().count());
    out.insert_str(0, &" ".repeat(pad));
    out
}

/// The same for counts.
pub fn sparkline_counts(values: &[u64], width: usize) -> String {
    let floats: Vec<f64> = values.iter().map(|&v| v as f64).collect();
    sparkline(&floats, width)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sparklines_scale_to_the_largest_value_shown() {
        assert_eq!(sparkline_counts(&[0, 7, 14], 3), "▁▄█");
        assert_eq!(sparkline_counts(&[0, 0], 4), "  ▁▁");
        assert_eq!(sparkline_counts(&[], 2), "  ");
        assert_eq!(sparkline(&[1.0, f64::NAN, 2.0], 3), "▄ █");
        assert_eq!(sparkline(&[9.0, 1.0, 2.0], 2), "▄█");
    }
}
