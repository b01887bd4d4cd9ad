//! The per-invocation index of the logs pane, built incrementally at ingest: every line that
//! belongs to a Lambda request (by the id it carries, or by being written to a stream
//! between that request's START and REPORT) updates one `InvocationRow`.
//!
//! A Lambda execution environment (one log stream) runs one invocation at a time, so lines
//! without an id (Java stack frames printed to stderr, extension output) belong to the
//! invocation open on their stream. INIT_* lines come before START and belong to none.

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;

use unstuck_views::logs::invocation_row::InvocationRow;
use unstuck_views::logs::log_row::{Level, LogRow};

use super::ingest::{EventFacts, PlatformLine};

/// Error lines kept per invocation (the detail view shows every line anyway).
pub const MAX_ERROR_LINES_KEPT: usize = 40;
/// Streams remembered with their open invocation before the map is cleared.
const MAX_STREAMS: usize = 20_000;

#[derive(Default)]
pub struct InvocationIndex {
    /// Ordered by `(start_ms, serial)`.
    pub items: VecDeque<InvocationRow>,
    /// Request id → sort key of its entry in `items`.
    by_request: HashMap<Arc<str>, (i64, u64)>,
    /// (group, stream) → the request open on it (between START and REPORT).
    open_on_stream: HashMap<(Arc<str>, Arc<str>), Arc<str>>,
    next_serial: u64,
    /// Bumped on every change, so a filtered view knows when to rebuild.
    pub generation: u64,
}

impl InvocationIndex {
    pub fn clear(&mut self) {
        *self = Self::default();
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    fn position(&self, key: (i64, u64)) -> Result<usize, usize> {
        self.items
            .binary_search_by_key(&key, |item| (item.start_ms, item.serial))
    }

    /// The position in `items` of the invocation with this sort key, if it is still held.
    pub fn find(&self, start_ms: i64, serial: u64) -> Option<usize> {
        self.position((start_ms, serial)).ok()
    }

    /// The position of a request's entry.
    pub fn find_request(&self, request_id: &str) -> Option<usize> {
        let key = *self.by_request.get(request_id)?;
        self.position(key).ok()
    }

    /// Take one event's rows into account and stamp them with their request id.
    pub fn observe(&mut self, facts: &EventFacts, rows: &mut [LogRow]) {
        let Some(first) = rows.first() else { return };
        let (group, tag, stream, at_ms) = (
            Arc::clone(&first.group),
            Arc::clone(&first.tag),
            Arc::clone(&first.stream),
            first.timestamp_ms,
        );
        let stream_key = (group.clone(), stream);
        let request_id: Arc<str> = match (&facts.request_id, &facts.platform) {
            (_, Some(PlatformLine::Other)) => return,
            (Some(id), _) => match self.by_request.get_key_value(id.as_str()) {
                Some((interned, _)) => Arc::clone(interned),
                None => Arc::from(id.as_str()),
            },
            (None, _) => match self.open_on_stream.get(&stream_key) {
                Some(open) => Arc::clone(open),
                None => return,
            },
        };
        match &facts.platform {
            Some(PlatformLine::Start) => {
                if self.open_on_stream.len() >= MAX_STREAMS {
                    self.open_on_stream.clear();
                }
                self.open_on_stream
                    .insert(stream_key, Arc::clone(&request_id));
            }
            Some(PlatformLine::Report(_))
                if self
                    .open_on_stream
                    .get(&stream_key)
                    .is_some_and(|open| *open == request_id) =>
            {
                self.open_on_stream.remove(&stream_key);
            }
            _ => {}
        }
        let index = self.entry(&request_id, group, tag, at_ms);
        let item = &mut self.items[index];
        item.last_ms = item.last_ms.max(at_ms);
        item.line_count += rows.len();
        let level = first.level;
        item.max_level = item.max_level.max(Some(level.unwrap_or(Level::Info)));
        item.cold_start |= facts.cold_start;
        item.timed_out |= facts.timed_out;
        if let Some(PlatformLine::Report(numbers)) = &facts.platform {
            item.reported = true;
            item.duration_ms = numbers.duration_ms;
            item.billed_ms = numbers.billed_ms;
            item.memory_size_mb = numbers.memory_size_mb;
            item.max_memory_used_mb = numbers.max_memory_used_mb;
            item.init_duration_ms = numbers.init_duration_ms;
            item.cold_start |= numbers.init_duration_ms.is_some();
            item.timed_out |= numbers.timed_out;
        }
        if level >= Some(Level::Error) {
            item.error_lines_total += rows.len();
            let room = MAX_ERROR_LINES_KEPT.saturating_sub(item.error_lines.len());
            item.error_lines
                .extend(rows.iter().take(room).map(|r| r.text.clone()));
        }
        for row in rows.iter_mut() {
            row.request_id = Some(Arc::clone(&request_id));
        }
        self.generation += 1;
    }

    /// The index in `items` of the request's entry, created (or moved earlier) as needed.
    fn entry(
        &mut self,
        request_id: &Arc<str>,
        group: Arc<str>,
        tag: Arc<str>,
        at_ms: i64,
    ) -> usize {
        if let Some(&key) = self.by_request.get(request_id)
            && let Ok(index) = self.position(key)
        {
            if at_ms >= key.0 {
                return index;
            }
            // A line older than the first one seen: the entry moves to keep the order.
            let mut item = self.items.remove(index).unwrap_or_else(|| {
                InvocationRow::new(
                    key.1,
                    Arc::clone(request_id),
                    group.clone(),
                    tag.clone(),
                    at_ms,
                )
            });
            item.start_ms = at_ms;
            return self.insert(item);
        }
        let serial = self.next_serial;
        self.next_serial += 1;
        let item = InvocationRow::new(serial, Arc::clone(request_id), group, tag, at_ms);
        self.insert(item)
    }

    fn insert(&mut self, item: InvocationRow) -> usize {
        let key = (item.start_ms, item.serial);
        self.by_request.insert(Arc::clone(&item.request_id), key);
        let at_end = self
            .items
            .back()
            .is_none_or(|last| (last.start_ms, last.serial) < key);
        if at_end {
            self.items.push_back(item);
            self.items.len() - 1
        } else {
            let index = self.position(key).unwrap_or_else(|i| i);
            self.items.insert(index, item);
            index
        }
    }

    /// Forget invocations whose last line is older than `oldest_ms` (the buffer dropped
    /// their lines), and keep at most `capacity` entries.
    pub fn evict(&mut self, oldest_ms: i64, capacity: usize) {
        let mut removed = false;
        while let Some(front) = self.items.front() {
            if front.last_ms >= oldest_ms && self.items.len() <= capacity {
                break;
            }
            if let Some(gone) = self.items.pop_front() {
                self.by_request.remove(&gone.request_id);
                removed = true;
            }
        }
        if removed {
            self.generation += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::logs::ingest::rows_for_event;
    use unstuck_aws::model::LogEvent;
    use unstuck_views::logs::invocation_row::InvocationOutcome;

    const ID: &str = "6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b";
    const OTHER: &str = "0a0b0c0d-1111-4222-8333-444455556666";

    fn feed(index: &mut InvocationIndex, ts: i64, stream: &str, message: &str) -> Vec<LogRow> {
        let group: Arc<str> = Arc::from("/aws/lambda/tax-calc");
        let tag: Arc<str> = Arc::from("tax-calc");
        let event = LogEvent {
            timestamp_ms: ts,
            ingestion_time_ms: ts,
            group: group.to_string(),
            stream: stream.to_string(),
            event_id: ts.to_string(),
            message: message.to_string(),
        };
        let mut seq = 0;
        let (mut rows, facts) = rows_for_event(&event, &group, &tag, &Arc::from(stream), &mut seq);
        index.observe(&facts, &mut rows);
        rows
    }

    #[test]
    fn lines_without_an_id_join_the_invocation_open_on_their_stream() {
        let mut index = InvocationIndex::default();
        feed(
            &mut index,
            1,
            "s1",
            &format!("START RequestId: {ID} Version: $LATEST"),
        );
        feed(
            &mut index,
            2,
            "s2",
            &format!("START RequestId: {OTHER} Version: $LATEST"),
        );
        let frame = feed(
            &mut index,
            3,
            "s1",
            "\tat eu.example.Calc.apply(Calc.java:142)",
        );
        assert_eq!(frame[0].request_id.as_deref(), Some(ID));
        feed(
            &mut index,
            4,
            "s1",
            &format!("REPORT RequestId: {ID}\tDuration: 2.00 ms"),
        );
        let after = feed(&mut index, 5, "s1", "stray line");
        assert_eq!(after[0].request_id, None, "nothing is open after REPORT");
        assert_eq!(index.len(), 2);
        let first = &index.items[0];
        assert_eq!((first.line_count, first.reported), (3, true));
        assert_eq!(index.items[1].outcome(), InvocationOutcome::Running);
    }

    #[test]
    fn late_lines_move_an_entry_earlier_and_eviction_forgets_old_ones() {
        let mut index = InvocationIndex::default();
        feed(&mut index, 100, "s1", &format!("END RequestId: {ID}"));
        feed(
            &mut index,
            50,
            "s2",
            &format!("START RequestId: {OTHER} Version: $LATEST"),
        );
        feed(
            &mut index,
            10,
            "s1",
            &format!("START RequestId: {ID} Version: $LATEST"),
        );
        let ids: Vec<&str> = index.items.iter().map(|i| &*i.request_id).collect();
        assert_eq!(ids, [ID, OTHER]);
        assert_eq!(index.find_request(OTHER), Some(1));
        index.evict(60, 100);
        assert_eq!(index.len(), 2, "the oldest entry still has recent lines");
        index.evict(0, 1);
        assert_eq!(index.len(), 1, "at most `capacity` entries");
        assert_eq!(index.find_request(OTHER), Some(0));
        assert_eq!(index.find_request(ID), None);
        index.evict(60, 100);
        assert!(index.is_empty(), "{OTHER} had nothing after 50");
    }
}
