//! The world's traffic pattern: steady background, batch-submission deadline spikes (tax
//! agents' software submits in batches before each cut-off) and quiet periods.

use fastrand::Rng;

use super::catalogue::{FunctionSpec, TrafficProfile};

/// What the whole system is going through right now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrafficMode {
    Normal,
    /// A batch submission deadline: the ingestion chain runs several times hotter and slower.
    DeadlineBurst,
    /// Hardly anything arrives.
    Quiet,
}

/// The mode and when it ends, advanced once per tick from the world's RNG.
#[derive(Debug, Clone)]
pub struct TrafficState {
    mode: TrafficMode,
    mode_ends_s: i64,
}

impl TrafficState {
    pub fn new(start_s: i64, rng: &mut Rng) -> Self {
        Self {
            mode: TrafficMode::Normal,
            mode_ends_s: start_s + rng.i64(40..120),
        }
    }

    pub fn mode(&self) -> TrafficMode {
        self.mode
    }

    /// Moves to the next mode when the current one has run out.
    pub fn step(&mut self, tick_s: i64, rng: &mut Rng) {
        if tick_s < self.mode_ends_s {
            return;
        }
        let (mode, length_s) = match self.mode {
            TrafficMode::Normal if rng.f64() < 0.6 => (TrafficMode::DeadlineBurst, rng.i64(20..50)),
            TrafficMode::Normal => (TrafficMode::Quiet, rng.i64(30..90)),
            TrafficMode::DeadlineBurst | TrafficMode::Quiet => {
                (TrafficMode::Normal, rng.i64(60..150))
            }
        };
        self.mode = mode;
        self.mode_ends_s = tick_s + length_s;
    }

    /// Expected invocations of `function` in the one-second tick starting at `tick_s`.
    pub fn expected_arrivals(&self, function: &FunctionSpec, index: usize, tick_s: i64) -> f64 {
        let TrafficProfile::Steady {
            per_second,
            burst_factor,
        } = function.traffic
        else {
            return 0.0;
        };
        let mode_factor = match self.mode {
            TrafficMode::Normal => 1.0,
            TrafficMode::DeadlineBurst => burst_factor,
            TrafficMode::Quiet => 0.25,
        };
        per_second * mode_factor * slow_wave(index, tick_s)
    }

    /// How much slower downstream calls are (DynamoDB, the registry) in this mode.
    pub fn latency_factor(&self) -> f64 {
        match self.mode {
            TrafficMode::DeadlineBurst => 1.7,
            TrafficMode::Normal | TrafficMode::Quiet => 1.0,
        }
    }
}

/// A gentle per-function swell (0.65..1.35) so functions do not all move in lockstep.
fn slow_wave(index: usize, tick_s: i64) -> f64 {
    let index = index as f64;
    let period_s = 97.0 + 31.0 * index;
    let phase = index * 1.7;
    let t = tick_s as f64;
    1.0 + 0.35 * (std::f64::consts::TAU * t / period_s + phase).sin()
}

/// Invocations in a tick for a function scheduled every `every_s` seconds.
pub fn periodic_arrivals(every_s: i64, index: usize, tick_s: i64) -> usize {
    let phase = i64::try_from(index).unwrap_or(0) * 7;
    usize::from(every_s > 0 && (tick_s + phase).rem_euclid(every_s) == 0)
}

/// A Poisson-distributed count with mean `mean` (Knuth's method; means here stay small).
pub fn poisson(rng: &mut Rng, mean: f64) -> usize {
    if mean <= 0.0 {
        return 0;
    }
    let limit = (-mean.min(60.0)).exp();
    let mut count = 0;
    let mut product = rng.f64();
    while product > limit && count < 200 {
        count += 1;
        product *= rng.f64();
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn poisson_mean_is_close() {
        let mut rng = Rng::with_seed(3);
        let total: usize = (0..20_000).map(|_| poisson(&mut rng, 2.5)).sum();
        let mean = total as f64 / 20_000.0;
        assert!((2.4..2.6).contains(&mean), "{mean}");
        assert_eq!(poisson(&mut rng, 0.0), 0);
    }

    #[test]
    fn modes_cycle_through_bursts_and_quiet_periods() {
        let mut rng = Rng::with_seed(11);
        let mut state = TrafficState::new(0, &mut rng);
        let mut seen = Vec::new();
        for tick in 0..3600 {
            state.step(tick, &mut rng);
            if seen.last() != Some(&state.mode()) {
                seen.push(state.mode());
            }
        }
        assert!(seen.contains(&TrafficMode::DeadlineBurst));
        assert!(seen.contains(&TrafficMode::Quiet));
        assert!(seen.len() > 20, "{} mode changes in an hour", seen.len());
    }

    #[test]
    fn periodic_functions_fire_once_per_period() {
        let fired: usize = (0..600).map(|t| periodic_arrivals(60, 3, t)).sum();
        assert_eq!(fired, 10);
    }
}
