//! Which topics are polled: the runtime hands in the set the screen wants after every batch
//! of messages; [`Subscriptions::reconcile`] says which to start (at once) and which to
//! stop. A topic no longer wanted keeps polling for a short grace period first, so flipping
//! between panes does not restart every poll. Pure: time comes in as an argument.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use tokio::time::Instant;
use unstuck_aws::api::Topic;

/// How long a topic nobody wants keeps polling.
pub const UNSUBSCRIBE_GRACE: Duration = Duration::from_secs(10);

#[derive(Debug, Default)]
pub struct Subscriptions {
    running: BTreeSet<Topic>,
    /// Running topics nobody wants, and since when.
    leaving: BTreeMap<Topic, Instant>,
}

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Changes {
    pub start: Vec<Topic>,
    pub stop: Vec<Topic>,
}

impl Subscriptions {
    pub fn reconcile(&mut self, wanted: &BTreeSet<Topic>, now: Instant) -> Changes {
        let mut changes = Changes::default();
        for topic in wanted {
            self.leaving.remove(topic);
            if self.running.insert(topic.clone()) {
                changes.start.push(topic.clone());
            }
        }
        for topic in &self.running {
            if !wanted.contains(topic) {
                self.leaving.entry(topic.clone()).or_insert(now);
            }
        }
        let expired: Vec<Topic> = self
            .leaving
            .iter()
            .filter(|(_, since)| now.duration_since(**since) >= UNSUBSCRIBE_GRACE)
            .map(|(t, _)| t.clone())
            .collect();
        for topic in expired {
            self.leaving.remove(&topic);
            self.running.remove(&topic);
            changes.stop.push(topic);
        }
        changes
    }

    /// When the next leaving topic's grace ends (the loop reconciles again then).
    pub fn next_expiry(&self) -> Option<Instant> {
        self.leaving
            .values()
            .map(|since| *since + UNSUBSCRIBE_GRACE)
            .min()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn starts_at_once_and_stops_after_the_grace() {
        let mut subs = Subscriptions::default();
        let t0 = Instant::now();
        let both = BTreeSet::from([Topic::IDENTITY, Topic::LOG_GROUPS]);
        let changes = subs.reconcile(&both, t0);
        assert_eq!(changes.start.len(), 2);
        let only_identity = BTreeSet::from([Topic::IDENTITY]);
        assert_eq!(subs.reconcile(&only_identity, t0), Changes::default());
        assert_eq!(subs.next_expiry(), Some(t0 + UNSUBSCRIBE_GRACE));
        // Wanted again within the grace: nothing restarts.
        assert_eq!(
            subs.reconcile(&both, t0 + Duration::from_secs(5)),
            Changes::default()
        );
        subs.reconcile(&only_identity, t0 + Duration::from_secs(6));
        let later = subs.reconcile(&only_identity, t0 + Duration::from_secs(16));
        assert_eq!(later.stop, vec![Topic::LOG_GROUPS]);
        assert_eq!(subs.next_expiry(), None);
    }
}
