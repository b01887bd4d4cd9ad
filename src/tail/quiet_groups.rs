//! How quiet groups are polled: rarely, spread over the round, and all at once when one of
//! them wakes.
//!
//! - A quiet group backs off to `quiet_interval`, or longer when the quiet groups polled that
//!   often would together spend more than `quiet_share` of the budget, or than 0.4 calls/s
//!   where that is more (half of a budget under 0.8) ([`quiet_cap`]).
//! - Groups that back off alike would all be polled at the same moment of each round, so
//!   traffic starting just after it would wait the whole round in every group. Group `i` of
//!   `n` is polled at `i/n` of the round instead ([`spread_in_round`]): the first of them sees
//!   new traffic within a fraction of the round, at the same number of calls.
//! - Traffic rarely starts in one function alone (a deploy, an incident, a wave of requests):
//!   when a quiet group wakes, every other quiet group is polled at once, not at the end of
//!   its back-off ([`wake_gap`] spaces the wake-ups so they cost at most what the quiet polls
//!   themselves do).

use std::time::Duration;

use tokio::time::Instant;

use super::tail_task::TailOptions;

/// A group counts as woken from quiet when it finds events after this many empty polls.
pub const WAKE_AFTER_QUIET_POLLS: u32 = 2;

/// The calls/s all quiet groups together may spend out of `calls_per_second`: its
/// `quiet_share`, or the floor when that is more (at most half the budget).
pub fn quiet_calls_per_second(opts: &TailOptions, calls_per_second: f64) -> f64 {
    let floor = opts.quiet_floor_per_second.min(calls_per_second * 0.5);
    (calls_per_second * opts.quiet_share).max(floor).max(1e-3)
}

/// The longest a quiet group waits between polls, with `quiet` groups quiet.
pub fn quiet_cap(opts: &TailOptions, quiet: usize, calls_per_second: f64) -> Duration {
    let share = quiet_calls_per_second(opts, calls_per_second);
    opts.quiet_interval
        .max(Duration::from_secs_f64(quiet.max(1) as f64 / share))
        .max(opts.active_interval)
}

/// The least time between two wake-ups: one round of the quiet polls, and at least 30 s, so a
/// tail that is mostly idle still costs a small part of the budget.
pub fn wake_gap(opts: &TailOptions, quiet: usize, calls_per_second: f64) -> Duration {
    let share = quiet_calls_per_second(opts, calls_per_second);
    Duration::from_secs(30).max(Duration::from_secs_f64(quiet as f64 / share))
}

/// The moment nearest to `due` that is group `slot`'s of `n` in rounds of `round` counted
/// from `origin`: the gap between two polls stays within half a round of `round`.
pub fn spread_in_round(
    due: Instant,
    origin: Instant,
    round: Duration,
    slot: usize,
    n: usize,
) -> Instant {
    let period = round.as_nanos().max(1);
    let phase = period * (slot % n.max(1)) as u128 / n.max(1) as u128;
    let elapsed = due.saturating_duration_since(origin).as_nanos();
    // The round whose slot is nearest to `due`.
    let rounds = (elapsed + period / 2).saturating_sub(phase) / period;
    let at = rounds * period + phase;
    let at = Duration::from_nanos(u64::try_from(at).unwrap_or(u64::MAX));
    origin.checked_add(at).unwrap_or(due)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quiet_groups_are_spread_over_the_round() {
        let origin = Instant::now();
        let round = Duration::from_secs(6);
        let at = |due_s: f64, slot| {
            spread_in_round(
                origin + Duration::from_secs_f64(due_s),
                origin,
                round,
                slot,
                3,
            )
            .duration_since(origin)
            .as_secs_f64()
        };
        // Three groups that all want to be polled at 60 s go at 60, 62 and 64 s (or 58).
        assert_eq!(at(60.0, 0), 60.0);
        assert_eq!(at(60.0, 1), 62.0);
        assert_eq!(at(60.0, 2), 58.0);
        assert_eq!(at(61.0, 2), 64.0);
        // Never more than half a round from where it was due (after the first round).
        for slot in 0..3 {
            for due in [6.0, 7.9, 13.2, 100.0] {
                assert!((at(due, slot) - due).abs() <= 3.0 + 1e-9, "{due} {slot}");
            }
        }
    }

    #[test]
    fn wake_ups_cost_at_most_a_round_of_quiet_polls() {
        let opts = TailOptions::default();
        // 18 groups at 2 calls/s: the quiet share is 0.4 calls/s, a round 45 s.
        assert_eq!(quiet_cap(&opts, 18, 2.0), Duration::from_secs(45));
        assert_eq!(wake_gap(&opts, 17, 2.0), Duration::from_secs_f64(42.5));
        // 3 groups at 3 calls/s: each every 5 s, wake-ups at most every 30 s.
        assert_eq!(quiet_cap(&opts, 3, 3.0), Duration::from_secs(5));
        assert_eq!(wake_gap(&opts, 2, 3.0), Duration::from_secs(30));
    }

    #[test]
    fn a_small_budget_checks_quiet_groups_as_often_as_two_calls_a_second_did() {
        let opts = TailOptions::default();
        // The default 1 call/s: 0.4 calls/s for the quiet groups, as at 2 calls/s.
        assert_eq!(quiet_calls_per_second(&opts, 1.0), 0.4);
        assert_eq!(quiet_cap(&opts, 18, 1.0), Duration::from_secs(45));
        // In the background (0.5 calls/s) half of it: 18 quiet groups every 72 s.
        assert_eq!(quiet_calls_per_second(&opts, 0.5), 0.25);
        assert_eq!(quiet_cap(&opts, 18, 0.5), Duration::from_secs(72));
        // A large budget keeps its fifth.
        assert_eq!(quiet_calls_per_second(&opts, 5.0), 1.0);
    }
}
