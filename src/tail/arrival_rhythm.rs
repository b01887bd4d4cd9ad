//! When does a group's next batch of events arrive? Log producers flush in batches (a Lambda
//! runtime per invocation, agents every few seconds), so a busy group's ingestion times often
//! recur with a steady period. Learning that period and phase from the ingestion times AWS
//! returns lets the tail poll just after the next batch lands instead of at a random moment,
//! which cuts the average wait from half a period to a few tens of milliseconds without a
//! single extra call. Irregular arrivals give no rhythm, and the tail polls as before.

/// Gaps outside this range do not form a rhythm worth following.
const MIN_PERIOD_MS: i64 = 400;
const MAX_PERIOD_MS: i64 = 5_000;
/// Poll this long after the expected arrival: a batch takes a moment to land in full.
const MARGIN_MS: i64 = 100;
/// Weight of a new gap in the period and jitter estimates.
const SMOOTHING: f64 = 0.3;
/// Gaps needed before a rhythm is trusted.
const MIN_GAPS: u32 = 3;
/// A rhythm is followed only while arrivals stray less than this share of the period.
const MAX_JITTER_SHARE: f64 = 0.1;
/// Batches a gap may span and still count as a whole number of periods.
const MAX_SKIPPED: f64 = 2.0;
/// Empty polls in a row at expected arrivals before the rhythm is given up.
const MAX_MISSES: u32 = 2;

#[derive(Debug, Default, Clone, PartialEq)]
pub struct ArrivalRhythm {
    last_arrival_ms: Option<i64>,
    period_ms: Option<f64>,
    /// Smoothed absolute deviation of gaps from the period.
    jitter_ms: f64,
    gaps: u32,
    misses: u32,
}

impl ArrivalRhythm {
    /// A poll found fresh events, the newest ingested at `newest_ingestion_ms`.
    pub fn observe(&mut self, newest_ingestion_ms: i64) {
        self.misses = 0;
        let Some(previous) = self.last_arrival_ms else {
            self.last_arrival_ms = Some(newest_ingestion_ms);
            return;
        };
        let gap = newest_ingestion_ms - previous;
        if gap <= 0 {
            return;
        }
        self.last_arrival_ms = Some(newest_ingestion_ms);
        if gap > MAX_PERIOD_MS * 2 {
            self.forget();
            return;
        }
        let gap = gap as f64;
        // A poll that skipped a slot (or found a batch empty) sees a gap of whole periods.
        let gap = match self.period_ms {
            Some(period) if gap > period * 1.5 => {
                let periods = (gap / period).round().min(MAX_SKIPPED + 1.0);
                let per_period = gap / periods;
                if (per_period - period).abs() <= period * MAX_JITTER_SHARE {
                    per_period
                } else {
                    gap
                }
            }
            _ => gap,
        };
        if !(MIN_PERIOD_MS as f64..=MAX_PERIOD_MS as f64).contains(&gap) {
            return;
        }
        match self.period_ms {
            // The first gaps may span several batches (polls were slower than the batches):
            // a clearly shorter gap starts the estimate afresh.
            None => self.period_ms = Some(gap),
            Some(period) if gap < period / 1.5 => {
                self.period_ms = Some(gap);
                self.jitter_ms = 0.0;
                self.gaps = 0;
            }
            Some(period) => {
                self.jitter_ms += SMOOTHING * ((gap - period).abs() - self.jitter_ms);
                self.period_ms = Some(period + SMOOTHING * (gap - period));
            }
        }
        self.gaps = self.gaps.saturating_add(1);
    }

    /// A poll at an expected arrival found nothing: one late batch is forgiven, a second
    /// empty slot in a row means the rhythm has stopped.
    pub fn missed(&mut self) {
        self.misses = self.misses.saturating_add(1);
        if self.misses >= MAX_MISSES {
            self.forget();
        }
    }

    fn forget(&mut self) {
        *self = Self {
            last_arrival_ms: self.last_arrival_ms,
            ..Self::default()
        };
    }

    /// The period, once arrivals have been steady long enough to be worth following.
    fn steady_period_ms(&self) -> Option<i64> {
        let period = self.period_ms?;
        let steady = self.gaps >= MIN_GAPS && self.jitter_ms <= period * MAX_JITTER_SHARE;
        steady.then(|| period.round() as i64)
    }

    /// Wall-clock time to poll next: just after the next expected arrival, which is at least
    /// one period after the last one seen and not yet passed at `now_ms`.
    pub fn next_poll_ms(&self, now_ms: i64) -> Option<i64> {
        let last = self.last_arrival_ms?;
        let period = self.steady_period_ms()?;
        if period <= 0 {
            return None;
        }
        let periods = ((now_ms - last - MARGIN_MS).div_euclid(period) + 1).max(1);
        Some(last + periods * period + MARGIN_MS)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn steady(start: i64, period: i64, batches: i64) -> ArrivalRhythm {
        let mut rhythm = ArrivalRhythm::default();
        for k in 0..batches {
            rhythm.observe(start + k * period);
        }
        rhythm
    }

    #[test]
    fn learns_a_steady_period_and_polls_just_after_the_next_batch() {
        let rhythm = steady(10_000, 1_000, 5);
        // Last batch at 14,000; at 14,300 the next is due at 15,000.
        assert_eq!(rhythm.next_poll_ms(14_300), Some(15_100));
        assert_eq!(rhythm.next_poll_ms(15_050), Some(15_100));
        assert_eq!(rhythm.next_poll_ms(15_200), Some(16_100));
    }

    #[test]
    fn a_poll_right_after_a_batch_waits_for_the_next_one_not_the_same_one() {
        let rhythm = steady(10_000, 1_000, 5);
        // Polled 40 ms after the batch of 14,000 landed: the next slot is 15,100, not 14,100.
        assert_eq!(rhythm.next_poll_ms(14_040), Some(15_100));
    }

    #[test]
    fn needs_a_few_steady_gaps_before_it_is_followed() {
        let rhythm = steady(0, 1_000, 3);
        assert_eq!(rhythm.next_poll_ms(2_200), None, "two gaps are not enough");
        let rhythm = steady(0, 1_000, 4);
        assert_eq!(rhythm.next_poll_ms(3_200), Some(4_100));
    }

    #[test]
    fn a_skipped_slot_does_not_stretch_the_period() {
        let mut rhythm = steady(0, 1_000, 5);
        rhythm.observe(6_000); // the slot at 5,000 was skipped
        rhythm.observe(7_000);
        assert_eq!(rhythm.next_poll_ms(7_200), Some(8_100));
    }

    #[test]
    fn a_first_estimate_spanning_two_batches_is_corrected_quickly() {
        let mut rhythm = ArrivalRhythm::default();
        for at in [0, 2_000, 4_000, 5_000, 6_000] {
            rhythm.observe(at);
        }
        assert_eq!(rhythm.next_poll_ms(6_200), None, "two gaps of 1 s so far");
        rhythm.observe(7_000);
        assert_eq!(rhythm.next_poll_ms(7_200), Some(8_100), "three gaps of 1 s");
    }

    #[test]
    fn irregular_arrivals_give_no_rhythm() {
        let mut rhythm = ArrivalRhythm::default();
        for at in [0, 900, 1_500, 2_900, 3_400, 4_700, 5_300, 6_900, 7_600] {
            rhythm.observe(at);
        }
        assert_eq!(rhythm.next_poll_ms(7_700), None);
    }

    #[test]
    fn one_empty_slot_is_forgiven_two_stop_the_rhythm() {
        let mut rhythm = steady(0, 1_000, 5);
        rhythm.missed();
        assert_eq!(rhythm.next_poll_ms(5_200), Some(6_100));
        rhythm.missed();
        assert_eq!(rhythm.next_poll_ms(6_200), None);
    }

    #[test]
    fn a_long_silence_resets_it() {
        let mut rhythm = steady(0, 1_000, 5);
        rhythm.observe(30_000);
        assert_eq!(rhythm.next_poll_ms(30_100), None);
        rhythm.observe(31_000);
        assert_eq!(
            rhythm.next_poll_ms(31_100),
            None,
            "a new rhythm is learnt afresh"
        );
    }
}
