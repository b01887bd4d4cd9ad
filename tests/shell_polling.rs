//! Polling follows the screen: the real runtime on the demo world in paused time, with the
//! calls counted per operation. A pane you leave stops polling after the grace, a pane you
//! open polls at once, errors retrying cannot fix are not retried, and a pane hidden behind
//! another draws nothing when its data moves.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod app_support;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use app_support::*;
use async_trait::async_trait;
use crossterm::event::KeyCode;
use tokio::sync::mpsc::Sender;
use unstuck::runtime::{ScreenObserver, UNSUBSCRIBE_GRACE};
use unstuck::state::{Msg, PaneId, StartOptions};
use unstuck_aws::api::{Backends, Logs};
use unstuck_aws::model::{BackendError, FilterPage, FilterRequest, LogGroup};

fn start(backends: Backends, prefixes: &[&str]) -> (Sender<Msg>, ScreenObserver, AppHandle) {
    let options = StartOptions {
        log_group_prefixes: prefixes.iter().map(|p| p.to_string()).collect(),
        // These tests are about the log panes: start on them, not on the overview.
        start_pane: Some(if prefixes.is_empty() {
            PaneId::Groups
        } else {
            PaneId::Logs
        }),
        ..StartOptions::default()
    };
    start_app(backends, options, 120, 30)
}

#[tokio::test(start_paused = true)]
async fn a_pane_you_leave_stops_polling_and_one_you_open_polls_at_once() {
    let backends = unstuck_aws::sim::demo_backends(7);
    let calls = backends.calls.clone();
    let (tx, screen, handle) = start(backends, &["/aws/lambda/"]);
    wait_for(&screen, "following", 10).await;
    // The list was read once to resolve the prefixes; the logs pane needs it no more.
    assert_eq!(calls.of("DescribeLogGroups"), 1);
    tokio::time::sleep(Duration::from_secs(180)).await;
    assert_eq!(
        calls.of("DescribeLogGroups"),
        1,
        "nobody looks at the list: it is not polled (it would be every 60 s)"
    );

    // Open the group chooser: its list is asked for at once.
    key(&tx, KeyCode::Char('2')).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(calls.of("DescribeLogGroups"), 2, "polled at once on open");
    // While it is on screen it polls at its interval (60 s, ±10%).
    tokio::time::sleep(Duration::from_secs(130)).await;
    let on_screen = calls.of("DescribeLogGroups");
    assert!((3..=4).contains(&on_screen), "{on_screen}");

    // Leave it: after the grace, no more polls.
    key(&tx, KeyCode::Char('1')).await;
    tokio::time::sleep(UNSUBSCRIBE_GRACE + Duration::from_secs(1)).await;
    let after_grace = calls.of("DescribeLogGroups");
    tokio::time::sleep(Duration::from_secs(300)).await;
    assert_eq!(calls.of("DescribeLogGroups"), after_grace);
    // The account is the header's: it polls whatever the pane.
    assert!(calls.of("GetCallerIdentity") <= 1 || calls.total() > 0);
    quit(&tx, handle).await;
}

/// CloudWatch Logs that refuses DescribeLogGroups, as an IAM policy without
/// `logs:DescribeLogGroups` does, and counts the attempts.
struct DeniedList {
    inner: Arc<dyn Logs>,
    attempts: AtomicU64,
}

#[async_trait]
impl Logs for DeniedList {
    async fn list_log_groups(&self, _prefix: Option<&str>) -> Result<Vec<LogGroup>, BackendError> {
        self.attempts.fetch_add(1, Ordering::SeqCst);
        Err(BackendError::AccessDenied {
            action: "logs:DescribeLogGroups".into(),
            message: "User: arn:aws:sts::123456789012:assumed-role/ReadOnly is not authorized"
                .into(),
        })
    }

    async fn filter_log_events(&self, req: &FilterRequest) -> Result<FilterPage, BackendError> {
        self.inner.filter_log_events(req).await
    }
}

#[tokio::test(start_paused = true)]
async fn access_denied_is_not_retried_until_a_refresh() {
    let mut backends = unstuck_aws::sim::demo_backends(7);
    let denied = Arc::new(DeniedList {
        inner: backends.logs.clone(),
        attempts: AtomicU64::new(0),
    });
    backends.logs = denied.clone();
    let (tx, screen, handle) = start(backends, &[]);
    let text = wait_for(&screen, "access denied", 5).await;
    assert!(text.contains("not retried"), "{text}");
    tokio::time::sleep(Duration::from_secs(600)).await;
    assert_eq!(
        denied.attempts.load(Ordering::SeqCst),
        1,
        "retrying cannot fix access denied"
    );
    // The user fixed the policy and asks again.
    key(&tx, KeyCode::Char('r')).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(denied.attempts.load(Ordering::SeqCst), 2);
    // `!` explains the whole chain of causes.
    key(&tx, KeyCode::Char('!')).await;
    let details = wait_for(&screen, "error details", 2).await;
    assert!(details.contains("logs:DescribeLogGroups"), "{details}");
    key(&tx, KeyCode::Esc).await;
    quit(&tx, handle).await;
}

#[tokio::test(start_paused = true)]
async fn a_hidden_pane_whose_data_moves_draws_nothing_and_the_groups_list_every_2_s() {
    let backends = unstuck_aws::sim::demo_backends(7);
    let (tx, screen, handle) = start(backends, &["/aws/lambda/"]);
    wait_for(&screen, "following", 10).await;
    key(&tx, KeyCode::Char('2')).await;
    wait_for(&screen, "log groups ·", 2).await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let frames = screen.frames();
    tokio::time::sleep(Duration::from_secs(10)).await;
    // The tail delivered dozens of batches to the hidden logs pane: none is drawn. The
    // groups list shows the tail's rates and ages, refreshed every 2 s (5 frames in 10 s),
    // and the header's calls/min (read every 5 s) may change.
    let drawn = screen.frames() - frames;
    assert!(
        drawn <= 7,
        "{drawn} frames in 10 s for a list refreshed every 2 s"
    );
    let state = quit(&tx, handle).await;
    assert!(state.logs.rows.len() > 100, "the tail kept running hidden");
}
