//! The histories read, kept for the backends' life with the page tokens that fetched them,
//! so a poll of a running execution reads again only its last page and what came after
//! (one call, not the 25 a full history takes), and a finished one reads nothing. A token
//! AWS no longer takes means a full read, once.

use std::collections::HashMap;
use std::sync::Mutex;

use crate::model::step_functions::{EventPhase, HistoryEvent};

/// One execution's history so far, with where each page of it began.
#[derive(Debug, Clone, Default)]
pub struct CachedHistory {
    pub events: Vec<HistoryEvent>,
    /// Per page: (events before it, the token that fetched it; None for the first).
    pub pages: Vec<(usize, Option<String>)>,
    /// Its last page said there was more (at the 25,000-event cap).
    pub truncated: bool,
}

impl CachedHistory {
    /// Where to read from: the last page again (it may have grown), and its token.
    pub fn resume(&mut self) -> Option<String> {
        let (start, token) = self.pages.pop().unwrap_or((0, None));
        self.events.truncate(start);
        token
    }

    /// Whether the execution ended (its last event ends it): nothing more will come unless
    /// it is redriven, which DescribeExecution shows first.
    pub fn ended(&self) -> bool {
        self.events
            .last()
            .is_some_and(|e| matches!(e.phase(), EventPhase::ExecutionEnded(_)))
    }
}

#[derive(Default)]
pub struct HistoryCache {
    known: Mutex<HashMap<String, CachedHistory>>,
}

impl std::fmt::Debug for HistoryCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HistoryCache").finish_non_exhaustive()
    }
}

/// Histories kept at most (the oldest read are dropped first).
const KEPT: usize = 200;

impl HistoryCache {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, CachedHistory>> {
        self.known.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn get(&self, execution_arn: &str) -> Option<CachedHistory> {
        self.lock().get(execution_arn).cloned()
    }

    pub fn put(&self, execution_arn: &str, history: CachedHistory) {
        let mut known = self.lock();
        if known.len() >= KEPT && !known.contains_key(execution_arn) {
            // Executions read long ago: ended ones first.
            let drop = known
                .iter()
                .find(|(_, h)| h.ended())
                .or_else(|| known.iter().next())
                .map(|(arn, _)| arn.clone());
            if let Some(arn) = drop {
                known.remove(&arn);
            }
        }
        known.insert(execution_arn.to_string(), history);
    }
}
