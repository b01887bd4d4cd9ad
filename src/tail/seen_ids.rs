//! A bounded memory of the event ids already delivered for one log group.

use std::collections::{HashSet, VecDeque};

/// Remembers ids with their timestamps; ids older than the look-back window are forgotten
/// (the window never reaches them again), and the memory never exceeds `capacity`.
#[derive(Debug, Default)]
pub struct SeenIds {
    ids: HashSet<String>,
    order: VecDeque<(i64, String)>,
    capacity: usize,
}

impl SeenIds {
    pub fn new(capacity: usize) -> Self {
        Self {
            ids: HashSet::new(),
            order: VecDeque::new(),
            capacity: capacity.max(1),
        }
    }

    /// True when the id is new (and remembers it).
    pub fn insert(&mut self, timestamp_ms: i64, id: &str) -> bool {
        if self.ids.contains(id) {
            return false;
        }
        self.ids.insert(id.to_string());
        self.order.push_back((timestamp_ms, id.to_string()));
        while self.order.len() > self.capacity {
            self.evict_front();
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

    fn evict_front(&mut self) {
        if let Some((_, id)) = self.order.pop_front() {
            self.ids.remove(&id);
        }
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
    }
}
