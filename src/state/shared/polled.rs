//! `Polled<T>`: the last good data of a topic, when it was fetched, and the last error. A
//! pane draws from it: stale data with its age instead of a blank, and the error of this
//! source only.

use unstuck_aws::model::BackendError;
use unstuck_views::props::Loadable;

/// One source's error, explained: the fix first, the chain of causes for a detail view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PollError {
    /// One line for the status bar: what to do, then what went wrong.
    pub headline: String,
    /// The whole story, for the error detail view.
    pub chain: Vec<String>,
    /// Whether the poller keeps trying by itself (else it waits for a refresh).
    pub retrying: bool,
    pub at_ms: i64,
}

impl PollError {
    pub fn explain(resource: &str, error: &BackendError, at_ms: i64) -> Self {
        let retrying = error.is_retryable();
        let cause = error.to_string();
        let what_now = if retrying {
            match error {
                BackendError::Throttled { .. } => "backing off and retrying",
                _ => "retrying",
            }
        } else {
            "not retried: press r (or :refresh) once fixed"
        };
        let headline = match error.fix() {
            Some(fix) => format!("{fix} — {resource}: {}", short_cause(error)),
            None if !retrying => {
                format!("not retried, r asks again once fixed — {resource}: {cause}")
            }
            None => format!("{resource}: {cause}; {what_now}"),
        };
        let mut chain = vec![format!("{resource}: {}", short_cause(error))];
        if let Some(fix) = error.fix() {
            chain.push(format!("what to do: {fix}"));
        }
        chain.push(format!("error: {cause}"));
        chain.push(if retrying {
            format!("the app is {what_now} by itself")
        } else {
            "retrying cannot fix this, so the app stopped asking; press r (or :refresh) to ask again once fixed"
                .to_string()
        });
        Self {
            headline,
            chain,
            retrying,
            at_ms,
        }
    }
}

/// The cause without the fix (which the headline already put first).
fn short_cause(error: &BackendError) -> String {
    match error {
        BackendError::Credentials { message, .. } => format!("credentials problem: {message}"),
        BackendError::Setup { message, .. } => format!("set-up problem: {message}"),
        other => other.to_string(),
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Polled<T> {
    pub data: Option<T>,
    pub fetched_ms: Option<i64>,
    pub error: Option<PollError>,
}

impl<T> Default for Polled<T> {
    fn default() -> Self {
        Self {
            data: None,
            fetched_ms: None,
            error: None,
        }
    }
}

impl<T> Polled<T> {
    /// A good result: the data replaces the old, the error is gone.
    pub fn fetched(&mut self, at_ms: i64, data: T) {
        self.data = Some(data);
        self.fetched_ms = Some(at_ms);
        self.error = None;
    }

    /// A failed poll: the last good data stays.
    pub fn failed(&mut self, resource: &str, at_ms: i64, error: &BackendError) {
        self.error = Some(PollError::explain(resource, error, at_ms));
    }

    /// Loading (nothing yet), Ready, Failed (nothing to show) or Stale (old data shown).
    pub fn loadable(&self) -> Loadable {
        match (&self.data, &self.error) {
            (None, None) => Loadable::Loading,
            (Some(_), None) => Loadable::Ready,
            (None, Some(e)) => Loadable::Failed(e.headline.clone()),
            (Some(_), Some(e)) => Loadable::Stale(e.headline.clone()),
        }
    }

    pub fn is_stale(&self) -> bool {
        self.data.is_some() && self.error.is_some()
    }

    /// How old the data shown is.
    pub fn age_ms(&self, now_ms: i64) -> Option<i64> {
        self.fetched_ms.map(|at| now_ms.saturating_sub(at).max(0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_last_good_data_and_puts_the_fix_first() {
        let mut polled: Polled<u32> = Polled::default();
        assert_eq!(polled.loadable(), Loadable::Loading);
        polled.fetched(1_000, 7);
        let expired = BackendError::Credentials {
            message: "the token expired".into(),
            fix: "Run `aws sso login --profile prod`".into(),
        };
        polled.failed("log groups", 5_000, &expired);
        assert_eq!(polled.data, Some(7));
        assert!(polled.is_stale());
        let error = polled.error.clone().unwrap();
        assert!(
            error
                .headline
                .starts_with("Run `aws sso login --profile prod`")
        );
        assert!(!error.retrying);
        assert_eq!(polled.age_ms(6_000), Some(5_000));
        polled.fetched(7_000, 8);
        assert_eq!(polled.loadable(), Loadable::Ready);
    }
}
