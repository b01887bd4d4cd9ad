//! The request budget: one token bucket shared by every FilterLogEvents caller of the
//! process, so any number of tailed groups stays inside a calls-per-second budget (AWS's
//! FilterLogEvents quota is 5 TPS per account and region, for every tool together).
//! Throttling pauses the whole bucket, with exponential backoff and jitter.
//!
//! The bucket spends its whole rate only while someone watches what it reads: behind another
//! pane it refills at [`BACKGROUND_SHARE`] of the rate, so the tail keeps its place (nothing
//! is missed, it only falls a little behind) and the account's quota keeps its room.

use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

/// Default budget for the whole app: 1 call/s is 20% of the 5 TPS account quota, which the
/// app shares with every other tool and person in the account.
pub const DEFAULT_CALLS_PER_SECOND: f64 = 1.0;
/// The share of the rate spent while nobody watches the tail (the logs pane is not shown).
pub const BACKGROUND_SHARE: f64 = 0.5;
const MAX_THROTTLE_BACKOFF: Duration = Duration::from_secs(30);
const MIN_WAIT: Duration = Duration::from_millis(1);

#[derive(Debug)]
struct Bucket {
    tokens: f64,
    refilled_at: Instant,
    /// No call before this (set by throttling).
    paused_until: Option<Instant>,
    throttles_in_a_row: u32,
    rng: fastrand::Rng,
    /// Refilling at [`BACKGROUND_SHARE`] of the rate.
    background: bool,
}

impl Bucket {
    fn rate(&self, full: f64) -> f64 {
        if self.background {
            full * BACKGROUND_SHARE
        } else {
            full
        }
    }

    /// The tokens held at `now`: what the time since the last refill earned, at the rate
    /// spent meanwhile.
    fn tokens_at(&self, now: Instant, full: f64, burst: f64) -> f64 {
        let elapsed = now
            .saturating_duration_since(self.refilled_at)
            .as_secs_f64();
        (self.tokens + elapsed * self.rate(full)).min(burst)
    }

    fn refill(&mut self, now: Instant, full: f64, burst: f64) {
        self.tokens = self.tokens_at(now, full, burst);
        self.refilled_at = now;
    }
}

#[derive(Debug)]
pub struct RequestBudget {
    rate: f64,
    burst: f64,
    bucket: Mutex<Bucket>,
}

impl RequestBudget {
    /// `calls_per_second` > 0; the bucket holds 1.5 seconds' worth (at least one call).
    pub fn new(calls_per_second: f64) -> Self {
        let rate = if calls_per_second.is_finite() && calls_per_second > 0.0 {
            calls_per_second
        } else {
            DEFAULT_CALLS_PER_SECOND
        };
        Self {
            rate,
            // Half a second of slack: polls aligned to a batch can go out together while the
            // average stays at `rate`.
            burst: (rate * 1.5).max(1.0),
            bucket: Mutex::new(Bucket {
                tokens: 1.0,
                refilled_at: Instant::now(),
                paused_until: None,
                throttles_in_a_row: 0,
                rng: fastrand::Rng::new(),
                background: false,
            }),
        }
    }

    /// A bucket that starts full with `burst` calls (an AWS token bucket's shape, for one-shot
    /// commands that may spend a share of the account's bucket at once) and refills at
    /// `calls_per_second`.
    pub fn with_burst(calls_per_second: f64, burst: f64) -> Self {
        let budget = Self::new(calls_per_second);
        let burst = burst.max(1.0);
        budget.lock().tokens = burst;
        Self { burst, ..budget }
    }

    /// The rate the bucket refills at now (the budget's own, or its background share).
    pub fn calls_per_second(&self) -> f64 {
        self.lock().rate(self.rate)
    }

    /// The budget's own rate, whatever it spends now.
    pub fn full_calls_per_second(&self) -> f64 {
        self.rate
    }

    /// Spend [`BACKGROUND_SHARE`] of the rate (`true`: nobody watches what it reads) or all of
    /// it. What was refilled until now stays.
    pub fn set_background(&self, background: bool) {
        let now = Instant::now();
        let mut b = self.lock();
        if b.background != background {
            b.refill(now, self.rate, self.burst);
            b.background = background;
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Bucket> {
        self.bucket
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Take one token, or say how long to wait for one.
    /// A call now if the budget has one, without waiting.
    pub fn try_acquire(&self) -> bool {
        self.try_take(Instant::now()).is_ok()
    }

    fn try_take(&self, now: Instant) -> Result<(), Duration> {
        let mut b = self.lock();
        if let Some(until) = b.paused_until {
            if now < until {
                return Err(until - now);
            }
            b.paused_until = None;
            b.refilled_at = now;
        }
        b.refill(now, self.rate, self.burst);
        // Within rounding error of a whole token counts as one.
        if b.tokens >= 1.0 - 1e-6 {
            b.tokens = (b.tokens - 1.0).max(0.0);
            Ok(())
        } else {
            // At least a millisecond: the timer cannot wait less, and a shorter wait would
            // spin without time passing.
            Err(Duration::from_secs_f64((1.0 - b.tokens) / b.rate(self.rate)).max(MIN_WAIT))
        }
    }

    /// Wait until a call is allowed, then take it.
    pub async fn acquire(&self) {
        loop {
            match self.try_take(Instant::now()) {
                Ok(()) => return,
                Err(wait) => tokio::time::sleep(wait).await,
            }
        }
    }

    /// Take a call if one is available within `limit`; false (nothing taken) otherwise.
    pub async fn acquire_within(&self, limit: Duration) -> bool {
        let deadline = Instant::now() + limit;
        loop {
            match self.try_take(Instant::now()) {
                Ok(()) => return true,
                Err(wait) if Instant::now() + wait <= deadline => tokio::time::sleep(wait).await,
                Err(_) => return false,
            }
        }
    }

    /// Whether a call now still leaves a call for each of `reserved` (sorted, all later than
    /// `now`) when its time comes. Polls timed to a batch reserve their calls this way, so
    /// that polls with no particular timing do not use them up just before.
    pub fn can_spare(&self, now: Instant, reserved: &[Instant]) -> bool {
        let b = self.lock();
        if b.paused_until.is_some_and(|until| now < until) {
            return true;
        }
        let rate = b.rate(self.rate);
        // Taking a call now may leave a debt that the refill pays back first.
        let mut tokens = b.tokens_at(now, self.rate, self.burst) - 1.0;
        let mut at = now;
        for &slot in reserved {
            let refill = slot.saturating_duration_since(at).as_secs_f64() * rate;
            tokens = (tokens + refill).min(self.burst);
            if tokens < 1.0 - 1e-6 {
                return false;
            }
            tokens -= 1.0;
            at = at.max(slot);
        }
        true
    }

    /// AWS said "Rate exceeded": stop every caller for a while (exponential, jittered, at
    /// least what AWS asked for). Returns the pause.
    pub fn throttled(&self, asked: Option<Duration>) -> Duration {
        let mut b = self.lock();
        b.throttles_in_a_row = b.throttles_in_a_row.saturating_add(1);
        let exp = Duration::from_secs(1)
            .saturating_mul(1u32 << b.throttles_in_a_row.saturating_sub(1).min(8))
            .min(MAX_THROTTLE_BACKOFF);
        let jittered = exp.mul_f64(0.5 + b.rng.f64() * 0.5);
        let pause = asked.map_or(jittered, |a| jittered.max(a));
        let until = Instant::now() + pause;
        b.paused_until = Some(b.paused_until.map_or(until, |p| p.max(until)));
        b.tokens = 0.0;
        pause
    }

    /// A call went through: the throttling streak is over.
    pub fn succeeded(&self) {
        self.lock().throttles_in_a_row = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn holds_the_rate_over_time() {
        let budget = RequestBudget::new(2.0);
        let start = Instant::now();
        for _ in 0..21 {
            budget.acquire().await;
        }
        // One token at start, then two per second: 20 more take 10 s.
        let took = start.elapsed();
        assert!(
            took >= Duration::from_millis(9_990) && took <= Duration::from_millis(10_100),
            "{took:?}"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn in_the_background_it_spends_half_the_rate_then_all_again() {
        let budget = RequestBudget::new(1.0);
        budget.acquire().await;
        budget.set_background(true);
        assert_eq!(budget.calls_per_second(), 0.5);
        assert_eq!(budget.full_calls_per_second(), 1.0);
        let start = Instant::now();
        for _ in 0..5 {
            budget.acquire().await;
        }
        // Five calls at 0.5/s take 10 s.
        let took = start.elapsed();
        assert!(
            took >= Duration::from_millis(9_990) && took <= Duration::from_millis(10_100),
            "{took:?}"
        );
        budget.set_background(false);
        let start = Instant::now();
        for _ in 0..5 {
            budget.acquire().await;
        }
        let took = start.elapsed();
        assert!(
            took >= Duration::from_millis(4_990) && took <= Duration::from_millis(5_100),
            "{took:?}"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn what_was_refilled_before_a_switch_is_kept() {
        let budget = RequestBudget::new(2.0);
        budget.acquire().await;
        tokio::time::sleep(Duration::from_millis(500)).await; // one call earned at 2/s
        budget.set_background(true);
        assert!(
            budget.try_acquire(),
            "the call earned at the full rate stays"
        );
        assert!(!budget.try_acquire());
    }

    #[tokio::test(start_paused = true)]
    async fn a_call_now_must_not_take_a_reserved_one() {
        let budget = RequestBudget::new(3.0);
        tokio::time::sleep(Duration::from_secs(2)).await; // full: 4.5 calls
        let now = Instant::now();
        let soon = |ms| now + Duration::from_millis(ms);
        assert!(budget.can_spare(now, &[soon(100), soon(100), soon(100)]));
        for _ in 0..2 {
            budget.acquire().await;
        }
        // 2.5 left: one now leaves 1.5 (+0.3 by the slot), not enough for three at 100 ms ...
        assert!(!budget.can_spare(now, &[soon(100), soon(100), soon(100)]));
        // ... but enough when they are 300 ms apart.
        assert!(budget.can_spare(now, &[soon(100), soon(400), soon(700)]));
        assert!(budget.can_spare(now, &[]));
    }

    #[tokio::test(start_paused = true)]
    async fn throttling_pauses_every_caller_and_backs_off() {
        let budget = RequestBudget::new(10.0);
        budget.acquire().await;
        let first = budget.throttled(None);
        assert!(first >= Duration::from_millis(500) && first <= Duration::from_secs(1));
        let second = budget.throttled(Some(Duration::from_secs(5)));
        assert_eq!(second, Duration::from_secs(5));
        let start = Instant::now();
        budget.acquire().await;
        assert!(start.elapsed() >= Duration::from_secs(5));
        budget.succeeded();
        let after_success = budget.throttled(None);
        assert!(after_success <= Duration::from_secs(1));
    }
}
