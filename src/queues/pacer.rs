//! A rate limit shared by a run's workers: each message takes the next slot, `1/rate` apart.

use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

#[derive(Debug)]
pub struct Pacer {
    interval: Duration,
    next: Mutex<Option<Instant>>,
}

impl Pacer {
    pub fn per_second(rate: f64) -> Self {
        Self {
            interval: Duration::from_secs_f64(1.0 / rate.max(0.001)),
            next: Mutex::new(None),
        }
    }

    /// Wait for `n` messages' slots.
    pub async fn take(&self, n: usize) {
        let at = {
            let mut next = self.next.lock().unwrap_or_else(|e| e.into_inner());
            let now = Instant::now();
            let at = next.map_or(now, |t| t.max(now));
            *next = Some(at + self.interval * u32::try_from(n).unwrap_or(u32::MAX));
            at
        };
        tokio::time::sleep_until(at).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn messages_are_spaced_by_the_rate() {
        let pacer = Pacer::per_second(10.0);
        let start = Instant::now();
        pacer.take(10).await;
        pacer.take(10).await;
        pacer.take(1).await;
        assert_eq!(start.elapsed(), Duration::from_secs(2));
    }
}
