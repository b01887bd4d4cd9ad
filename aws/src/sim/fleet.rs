//! A function's execution environments (containers). Each writes its own log stream; a new
//! one cold-starts when all are busy, and idle ones are reclaimed, so new streams keep
//! appearing over time as they do in CloudWatch.

use std::sync::Arc;

use fastrand::Rng;

use super::clock::UtcTime;
use super::ids::log_stream_name;

/// Lambda reclaims an environment after it has been idle this long.
const RECLAIM_AFTER_IDLE_MS: i64 = 7 * 60 * 1000;

/// Environments are recycled after a while even when busy (between invocations).
const LIFETIME_MS: std::ops::Range<i64> = 20 * 60 * 1000..60 * 60 * 1000;

/// One execution environment.
#[derive(Debug, Clone)]
pub struct Container {
    pub stream: Arc<str>,
    /// Busy with an invocation until then.
    free_at_ms: i64,
    /// Has served an invocation (the next one is warm).
    warm: bool,
    /// Recycled at its first idle moment after this.
    retire_at_ms: i64,
}

/// Where and when an invocation runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Placement {
    pub container: usize,
    /// When the invocation reaches the environment (later than its arrival when queued).
    pub start_ms: i64,
    pub cold: bool,
}

/// A stream name the caller must register with the log store.
pub type NewStream = Option<Arc<str>>;

/// The environments of one function.
#[derive(Debug, Clone, Default)]
pub struct Fleet {
    containers: Vec<Container>,
}

impl Fleet {
    /// `count` environments provisioned at `at_ms`, not yet warm.
    pub fn provision(count: usize, at_ms: i64, rng: &mut Rng) -> (Self, Vec<Arc<str>>) {
        let mut fleet = Self::default();
        let streams = (0..count).map(|_| fleet.spawn(at_ms, rng)).collect();
        (fleet, streams)
    }

    pub fn container(&self, index: usize) -> Option<&Container> {
        self.containers.get(index)
    }

    /// Picks an environment for an invocation arriving at `arrival_ms`: the free one used
    /// most recently (so surplus environments idle out after a spike), else a new one (cold
    /// start) while under `max_concurrency`, else the one that frees up first (the event
    /// waits in its queue). Idle and old environments are reclaimed first.
    pub fn place(
        &mut self,
        arrival_ms: i64,
        max_concurrency: usize,
        rng: &mut Rng,
    ) -> (Placement, NewStream) {
        self.containers.retain(|c| {
            c.free_at_ms > arrival_ms
                || (arrival_ms - c.free_at_ms < RECLAIM_AFTER_IDLE_MS
                    && arrival_ms < c.retire_at_ms)
        });
        let most_recent_free = self
            .containers
            .iter()
            .enumerate()
            .filter(|(_, c)| c.free_at_ms <= arrival_ms)
            .max_by_key(|(_, c)| c.free_at_ms)
            .map(|(i, _)| i);
        let (index, start_ms, new_stream) = if let Some(index) = most_recent_free {
            (index, arrival_ms, None)
        } else if self.containers.len() < max_concurrency.max(1) {
            let stream = self.spawn(arrival_ms, rng);
            (self.containers.len() - 1, arrival_ms, Some(stream))
        } else {
            let (index, first_free) = self
                .containers
                .iter()
                .enumerate()
                .min_by_key(|(_, c)| c.free_at_ms)
                .map_or((0, arrival_ms), |(i, c)| (i, c.free_at_ms));
            (index, first_free + rng.i64(5..60), None)
        };
        let cold = self.containers.get(index).is_some_and(|c| !c.warm);
        (
            Placement {
                container: index,
                start_ms,
                cold,
            },
            new_stream,
        )
    }

    /// Environments busy with an invocation at `at_ms`.
    pub fn busy_at(&self, at_ms: i64) -> usize {
        self.containers
            .iter()
            .filter(|c| c.free_at_ms > at_ms)
            .count()
    }

    /// The invocation placed in `container` wrote its last line at `end_ms`.
    pub fn finish(&mut self, container: usize, end_ms: i64) {
        if let Some(c) = self.containers.get_mut(container) {
            c.free_at_ms = end_ms + 1;
            c.warm = true;
        }
    }

    fn spawn(&mut self, at_ms: i64, rng: &mut Rng) -> Arc<str> {
        let date = UtcTime::from_epoch_ms(at_ms).stream_date();
        let stream: Arc<str> = Arc::from(log_stream_name(rng, &date));
        self.containers.push(Container {
            stream: Arc::clone(&stream),
            free_at_ms: at_ms,
            warm: false,
            retire_at_ms: at_ms + rng.i64(LIFETIME_MS),
        });
        stream
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn busy_containers_spawn_new_streams_up_to_the_limit_then_queue() {
        let mut rng = Rng::with_seed(1);
        let (mut fleet, streams) = Fleet::provision(1, 0, &mut rng);
        assert_eq!(streams.len(), 1);
        let (first, new) = fleet.place(10, 2, &mut rng);
        assert!(first.cold && new.is_none());
        fleet.finish(first.container, 500);
        let (second, new) = fleet.place(20, 2, &mut rng);
        assert!(second.cold && new.is_some(), "all busy: a new environment");
        fleet.finish(second.container, 600);
        let (third, new) = fleet.place(30, 2, &mut rng);
        assert!(new.is_none() && !third.cold);
        assert!(third.start_ms > 500, "queued until the first frees up");
        let (warm, _) = fleet.place(1000, 2, &mut rng);
        assert!(!warm.cold && warm.start_ms == 1000);
    }

    #[test]
    fn idle_containers_are_reclaimed() {
        let mut rng = Rng::with_seed(2);
        let (mut fleet, _) = Fleet::provision(1, 0, &mut rng);
        let (placement, _) = fleet.place(0, 1, &mut rng);
        fleet.finish(placement.container, 100);
        let (later, new) = fleet.place(100 + RECLAIM_AFTER_IDLE_MS + 1, 1, &mut rng);
        assert!(later.cold && new.is_some());
    }
}
