//! The poller scheduler: one task per subscribed topic, each polling at its own interval
//! with jitter, backing off on errors (honouring the wait AWS asks for when throttled),
//! never running two requests for the same topic at once, cancelled on unsubscribe.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Notify;
use tokio::sync::mpsc::Sender;
use tokio_util::sync::CancellationToken;
use unstuck_aws::api::Backends;
use unstuck_aws::model::BackendError;

use crate::state::{Data, Msg, Topic};

/// How often a topic is polled, and how far its error backoff may grow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TopicTiming {
    pub interval: Duration,
    pub first_retry: Duration,
    pub max_backoff: Duration,
}

impl TopicTiming {
    pub fn for_topic(topic: &Topic) -> Self {
        let interval = match topic {
            Topic::Identity => Duration::from_secs(15 * 60),
            Topic::LogGroups => Duration::from_secs(60),
        };
        Self {
            interval,
            first_retry: Duration::from_secs(2),
            max_backoff: Duration::from_secs(120),
        }
    }

    /// The interval with ±10% jitter, so topics do not poll in lock-step.
    pub fn next_poll(&self, rng: &mut fastrand::Rng) -> Duration {
        self.interval.mul_f64(0.9 + rng.f64() * 0.2)
    }

    /// Exponential backoff after `failures` consecutive errors, jittered to 50–100%, never
    /// shorter than what the service asked for.
    pub fn backoff(
        &self,
        failures: u32,
        asked: Option<Duration>,
        rng: &mut fastrand::Rng,
    ) -> Duration {
        let exp = self
            .first_retry
            .saturating_mul(1u32 << failures.saturating_sub(1).min(16))
            .min(self.max_backoff);
        let jittered = exp.mul_f64(0.5 + rng.f64() * 0.5);
        asked.map_or(jittered, |asked| jittered.max(asked))
    }
}

struct TopicTask {
    subscribers: usize,
    cancel: CancellationToken,
    refresh: Arc<Notify>,
}

pub struct Poller {
    backends: Backends,
    tx: Sender<Msg>,
    tasks: HashMap<Topic, TopicTask>,
}

impl Poller {
    pub fn new(backends: Backends, tx: Sender<Msg>) -> Self {
        Self {
            backends,
            tx,
            tasks: HashMap::new(),
        }
    }

    pub fn subscribe(&mut self, topic: Topic) {
        if let Some(task) = self.tasks.get_mut(&topic) {
            task.subscribers += 1;
            return;
        }
        let cancel = CancellationToken::new();
        let refresh = Arc::new(Notify::new());
        tokio::spawn(poll_topic(
            topic.clone(),
            self.backends.clone(),
            self.tx.clone(),
            cancel.clone(),
            Arc::clone(&refresh),
        ));
        self.tasks.insert(
            topic,
            TopicTask {
                subscribers: 1,
                cancel,
                refresh,
            },
        );
    }

    pub fn unsubscribe(&mut self, topic: &Topic) {
        let gone = match self.tasks.get_mut(topic) {
            Some(task) => {
                task.subscribers = task.subscribers.saturating_sub(1);
                task.subscribers == 0
            }
            None => false,
        };
        if gone && let Some(task) = self.tasks.remove(topic) {
            task.cancel.cancel();
        }
    }

    /// Poll now. While a poll is in flight, any number of refreshes collapse into one.
    pub fn refresh(&self, topic: &Topic) {
        if let Some(task) = self.tasks.get(topic) {
            task.refresh.notify_one();
        }
    }

    pub fn is_subscribed(&self, topic: &Topic) -> bool {
        self.tasks.contains_key(topic)
    }

    pub fn shutdown(&mut self) {
        for (_, task) in self.tasks.drain() {
            task.cancel.cancel();
        }
    }
}

impl Drop for Poller {
    fn drop(&mut self) {
        self.shutdown();
    }
}

async fn fetch(topic: &Topic, backends: &Backends) -> Result<Data, BackendError> {
    match topic {
        Topic::Identity => backends.session.identity().await.map(Data::Identity),
        Topic::LogGroups => backends
            .logs
            .list_log_groups(None)
            .await
            .map(Data::LogGroups),
    }
}

async fn poll_topic(
    topic: Topic,
    backends: Backends,
    tx: Sender<Msg>,
    cancel: CancellationToken,
    refresh: Arc<Notify>,
) {
    let timing = TopicTiming::for_topic(&topic);
    let mut rng = fastrand::Rng::new();
    let mut failures = 0u32;
    loop {
        let result = tokio::select! {
            () = cancel.cancelled() => return,
            result = fetch(&topic, &backends) => result,
        };
        let wait = match &result {
            Ok(_) => {
                failures = 0;
                timing.next_poll(&mut rng)
            }
            Err(error) => {
                failures += 1;
                tracing::warn!(topic = topic.label(), %error, failures, "poll failed");
                timing.backoff(failures, error.retry_after(), &mut rng)
            }
        };
        let msg = Msg::Polled {
            topic: topic.clone(),
            at_ms: backends.clock.now_ms(),
            result,
        };
        if tx.send(msg).await.is_err() {
            return;
        }
        tokio::select! {
            () = cancel.cancelled() => return,
            () = tokio::time::sleep(wait) => {}
            () = refresh.notified() => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_is_capped_and_honours_retry_after() {
        let timing = TopicTiming::for_topic(&Topic::LogGroups);
        let mut rng = fastrand::Rng::with_seed(7);
        let first = timing.backoff(1, None, &mut rng);
        assert!(first >= Duration::from_secs(1) && first <= Duration::from_secs(2));
        let late = timing.backoff(30, None, &mut rng);
        assert!(late <= Duration::from_secs(120) && late >= Duration::from_secs(60));
        let asked = timing.backoff(1, Some(Duration::from_secs(30)), &mut rng);
        assert_eq!(asked, Duration::from_secs(30));
    }

    #[test]
    fn poll_interval_is_jittered_within_ten_percent() {
        let timing = TopicTiming::for_topic(&Topic::LogGroups);
        let mut rng = fastrand::Rng::with_seed(1);
        for _ in 0..100 {
            let d = timing.next_poll(&mut rng);
            assert!(d >= Duration::from_secs(54) && d <= Duration::from_secs(66));
        }
    }
}
