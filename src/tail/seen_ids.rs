//! A bounded memory of the event ids already delivered for one log group.
//!
//! Ids are kept as 64-bit hashes (an event id is a 56-digit string; a hash is an eighth of its
//! memory, and the chance of two of a million ids colliding is about 1 in 30 million), so the
//! deep sweep's quarter of an hour of a busy group fits.

use std::collections::{HashSet, VecDeque};
use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher};

/// Remembers ids with their timestamps; ids older than the look-back window are forgotten
/// (the window never reaches them again), and the memory never exceeds `capacity`. When the
/// capacity forces out an id the window could still reach, the memory's *horizon* moves past
/// it: no query may start before the horizon, or that event would be delivered twice.
#[derive(Debug, Default)]
pub struct SeenIds {
    ids: HashSet<u64>,
    order: VecDeque<(i64, u64)>,
    capacity: usize,
    horizon_ms: i64,
}

fn id_hash(id: &str) -> u64 {
    BuildHasherDefault::<DefaultHasher>::default().hash_one(id)
}

impl SeenIds {
    pub fn new(capacity: usize) -> Self {
        Self {
            ids: HashSet::new(),
            order: VecDeque::new(),
            capacity: capacity.max(1),
            horizon_ms: i64::MIN,
        }
    }

    /// True when the id is new (and remembers it).
    pub fn insert(&mut self, timestamp_ms: i64, id: &str) -> bool {
        let hash = id_hash(id);
        if !self.ids.insert(hash) {
            return false;
        }
        self.order.push_back((timestamp_ms, hash));
        while self.order.len() > self.capacity {
            if let Some((ts, _)) = self.evict_front() {
                self.horizon_ms = self.horizon_ms.max(ts.saturating_add(1));
            }
        }
        true
    }

    /// Forget ids of events older than `window_start_ms`.
    pub fn forget_before(&mut self, window_start_ms: i64) {
        while self
            .order
            .front()
            .is_some_and(|(ts, _)| *ts < window_start_ms)
        {
            self.evict_front();
        }
    }

    fn evict_front(&mut self) -> Option<(i64, u64)> {
        let front = self.order.pop_front()?;
        self.ids.remove(&front.1);
        Some(front)
    }

    /// No query may start before this: ids of older events were forgotten for room.
    pub fn horizon_ms(&self) -> i64 {
        self.horizon_ms
    }

    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembers_forgets_and_stays_bounded() {
        let mut seen = SeenIds::new(3);
        assert!(seen.insert(10, "a"));
        assert!(!seen.insert(10, "a"));
        assert!(seen.insert(20, "b"));
        seen.forget_before(15);
        assert!(seen.insert(10, "a"));
        assert!(seen.insert(30, "c"));
        assert!(seen.insert(40, "d"));
        assert_eq!(seen.len(), 3);
        // "b" (20, the oldest inserted) was forced out for room: nothing before 21 may be
        // asked for again.
        assert_eq!(seen.horizon_ms(), 21);
    }
}
