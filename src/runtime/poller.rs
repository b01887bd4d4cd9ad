//! The poller: one task per wanted topic, each polling at its topic's interval with jitter,
//! drawing every call from its service's API budget, backing off on errors (never shorter
//! than the wait AWS asks for when throttled), never running two requests for the same
//! topic at once, and cancelled when the topic is no longer wanted. An error that retrying
//! cannot fix (access denied, not found, credentials, bad input) stops the retries: the task
//! waits for a refresh.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Notify;
use tokio::sync::mpsc::Sender;
use tokio_util::sync::CancellationToken;
use unstuck_aws::api::{Backends, Topic, TopicTiming};

use crate::budgets::ApiBudgets;
use crate::state::Msg;

/// The interval with ±10% jitter, so topics do not poll in lock-step.
pub fn next_poll(timing: &TopicTiming, rng: &mut fastrand::Rng) -> Duration {
    timing.interval.mul_f64(0.9 + rng.f64() * 0.2)
}

/// Exponential backoff after `failures` consecutive errors, jittered to 50–100%, never
/// shorter than what the service asked for.
pub fn backoff(
    timing: &TopicTiming,
    failures: u32,
    asked: Option<Duration>,
    rng: &mut fastrand::Rng,
) -> Duration {
    let exp = timing
        .first_retry
        .saturating_mul(1u32 << failures.saturating_sub(1).min(16))
        .min(timing.max_backoff);
    let jittered = exp.mul_f64(0.5 + rng.f64() * 0.5);
    asked.map_or(jittered, |asked| jittered.max(asked))
}

struct TopicTask {
    cancel: CancellationToken,
    refresh: Arc<Notify>,
}

pub struct Poller {
    backends: Backends,
    budgets: ApiBudgets,
    tx: Sender<Msg>,
    tasks: HashMap<Topic, TopicTask>,
}

impl Poller {
    pub fn new(backends: Backends, budgets: ApiBudgets, tx: Sender<Msg>) -> Self {
        Self {
            backends,
            budgets,
            tx,
            tasks: HashMap::new(),
        }
    }

    /// Start polling `topic` now (nothing happens if it already runs).
    pub fn start(&mut self, topic: Topic) {
        if self.tasks.contains_key(&topic) {
            return;
        }
        let cancel = CancellationToken::new();
        let refresh = Arc::new(Notify::new());
        tokio::spawn(poll_topic(
            topic.clone(),
            self.backends.clone(),
            self.budgets.clone(),
            self.tx.clone(),
            cancel.clone(),
            Arc::clone(&refresh),
        ));
        self.tasks.insert(topic, TopicTask { cancel, refresh });
    }

    pub fn stop(&mut self, topic: &Topic) {
        if let Some(task) = self.tasks.remove(topic) {
            task.cancel.cancel();
        }
    }

    /// Poll now. While a poll is in flight, any number of refreshes collapse into one.
    pub fn refresh(&self, topic: &Topic) {
        if let Some(task) = self.tasks.get(topic) {
            task.refresh.notify_one();
        }
    }

    pub fn is_running(&self, topic: &Topic) -> bool {
        self.tasks.contains_key(topic)
    }

    /// Poll with other backends from now on (after `:profile` / `:region`): every task
    /// restarts with them.
    pub fn replace_backends(&mut self, backends: Backends) {
        self.backends = backends;
        let topics: Vec<Topic> = self.tasks.keys().cloned().collect();
        for topic in topics {
            self.stop(&topic);
            self.start(topic);
        }
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

async fn poll_topic(
    topic: Topic,
    backends: Backends,
    budgets: ApiBudgets,
    tx: Sender<Msg>,
    cancel: CancellationToken,
    refresh: Arc<Notify>,
) {
    let timing = topic.timing();
    let budget = budgets.of(topic.service());
    let mut rng = fastrand::Rng::new();
    let mut failures = 0u32;
    loop {
        let result = tokio::select! {
            () = cancel.cancelled() => return,
            result = async {
                budget.acquire().await;
                let pace = crate::budgets::BudgetPace(Arc::clone(&budget));
                topic.fetch(&backends, &pace).await
            } => result,
        };
        let wait = match &result {
            Ok(_) => {
                failures = 0;
                budget.succeeded();
                Some(next_poll(&timing, &mut rng))
            }
            Err(error) => {
                failures += 1;
                tracing::warn!(topic = %topic.resource(), %error, failures, "poll failed");
                if error.is_throttling() {
                    budget.throttled(error.retry_after());
                }
                // What retrying cannot fix waits for a refresh (the user fixed it).
                error
                    .is_retryable()
                    .then(|| backoff(&timing, failures, error.retry_after(), &mut rng))
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
        match wait {
            Some(wait) => tokio::select! {
                () = cancel.cancelled() => return,
                () = tokio::time::sleep(wait) => {}
                () = refresh.notified() => {}
            },
            None => tokio::select! {
                () = cancel.cancelled() => return,
                () = refresh.notified() => {}
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_is_capped_and_honours_retry_after() {
        let timing = Topic::LOG_GROUPS.timing();
        let mut rng = fastrand::Rng::with_seed(7);
        let first = backoff(&timing, 1, None, &mut rng);
        assert!(first >= Duration::from_secs(1) && first <= Duration::from_secs(2));
        let late = backoff(&timing, 30, None, &mut rng);
        assert!(late <= Duration::from_secs(120) && late >= Duration::from_secs(60));
        let asked = backoff(&timing, 1, Some(Duration::from_secs(30)), &mut rng);
        assert_eq!(asked, Duration::from_secs(30));
    }

    #[test]
    fn poll_interval_is_jittered_within_ten_percent() {
        let timing = Topic::LOG_GROUPS.timing();
        let mut rng = fastrand::Rng::with_seed(1);
        for _ in 0..100 {
            let d = next_poll(&timing, &mut rng);
            assert!(d >= Duration::from_secs(54) && d <= Duration::from_secs(66));
        }
    }
}
