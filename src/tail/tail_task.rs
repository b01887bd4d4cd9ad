//! The tail engine: follows many log groups with FilterLogEvents inside one shared request
//! budget. Each page is one call; the group whose poll is most overdue goes next. Groups that
//! just produced events are due again soon, quiet ones back off, so dozens of groups stay live
//! inside a couple of calls per second. Throttling pauses the whole budget; the failed page is
//! simply asked again, so nothing is lost.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::mpsc::Sender;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;
use unstuck_aws::api::{Logs, WallClock};
use unstuck_aws::model::BackendError;

use super::arrival_rhythm::ArrivalRhythm;
use super::group_cursor::{GroupCursor, LookBack, QueryScope, UNDECODABLE_STREAM};
use super::quiet_groups::{WAKE_AFTER_QUIET_POLLS, quiet_cap, spread_in_round, wake_gap};
use super::report::{GroupProgress, TailReport, TailSpec};
use super::request_budget::RequestBudget;
use super::window_pieces::MAX_UNDECODABLE_PER_POLL;

/// "Caught up" is reported at most this often while nothing else changes.
const CAUGHT_EVERY: Duration = Duration::from_secs(15);

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TailOptions {
    /// An active group is polled again after this (if the budget allows).
    pub active_interval: Duration,
    /// A quiet group backs off (doubling) up to this ...
    pub quiet_interval: Duration,
    /// ... or further, so that the quiet groups together spend at most this share of the
    /// budget (the budget is a ceiling, not a target: an idle tail spends little of it) ...
    pub quiet_share: f64,
    /// ... but at least this many calls/s (or half a small budget), so that a small budget
    /// still checks each quiet group as often as the default 2 calls/s did.
    pub quiet_floor_per_second: f64,
    pub look_back: LookBack,
    /// Per-group cap of remembered event ids.
    pub seen_capacity: usize,
    /// false: read the window once and stop (headless `tail` without `--follow`).
    pub follow: bool,
}

impl Default for TailOptions {
    fn default() -> Self {
        Self {
            active_interval: Duration::from_millis(500),
            quiet_interval: Duration::from_secs(5),
            quiet_share: 0.2,
            quiet_floor_per_second: 0.4,
            look_back: LookBack::default(),
            seen_capacity: 200_000,
            follow: true,
        }
    }
}

/// Where the engine's reports go: the app channel, or a headless printer.
pub trait ReportSink: Send {
    /// false when nobody listens any more.
    fn report(&self, report: TailReport) -> impl Future<Output = bool> + Send;
}

impl ReportSink for Sender<TailReport> {
    async fn report(&self, report: TailReport) -> bool {
        self.send(report).await.is_ok()
    }
}

struct Group {
    cursor: GroupCursor,
    due: Instant,
    /// Polls in a row that found nothing ...
    quiet: u32,
    /// ... since the first of them.
    quiet_since: Option<Instant>,
    failures: u32,
    found_this_poll: bool,
    failing: bool,
    polled_once: bool,
    rhythm: ArrivalRhythm,
    /// `due` is a slot just after an expected batch (not a plain interval).
    aligned: bool,
    /// The last aligned slot was skipped for want of budget (never twice in a row).
    skipped: bool,
    /// A poll with no particular timing first gave way to aligned ones at this time.
    yielding_since: Option<Instant>,
    /// Wall-clock start of the last complete poll, and the gap to the next one.
    polled_ms: Option<i64>,
    every: Duration,
}

impl Group {
    /// Polls in the slot just after an expected batch.
    fn polls_in_slot(&self) -> bool {
        self.aligned && !self.skipped
    }

    /// Groups go in order of due time, except that one that gave up its last slot goes ahead
    /// of the others due about when it is, so that a short budget rotates between groups.
    fn pick_order(&self) -> Instant {
        if self.aligned && self.skipped {
            self.due.checked_sub(SLOT_TOLERANCE).unwrap_or(self.due)
        } else {
            self.due
        }
    }
}

/// Progress is reported at most this often.
const PROGRESS_EVERY: Duration = Duration::from_secs(1);

fn progress(tail_id: u64, at_ms: i64, groups: &[Group]) -> TailReport {
    TailReport::Progress {
        tail_id,
        at_ms,
        groups: groups
            .iter()
            .map(|g| GroupProgress {
                group: g.cursor.group.clone(),
                polled_ms: g.polled_ms,
                every_ms: i64::try_from(g.every.as_millis()).unwrap_or(i64::MAX),
                quiet: g.quiet > 0,
            })
            .collect(),
    }
}

/// How late an aligned poll may start before it waits for the next slot instead.
const SLOT_TOLERANCE: Duration = Duration::from_millis(150);

/// How far ahead aligned polls reserve their calls.
const SLOT_HORIZON: Duration = Duration::from_millis(1_500);

/// The soonest a group is polled again after a complete poll.
const MIN_GAP: Duration = Duration::from_millis(150);

impl Group {
    /// Schedule the next poll: just after the next expected batch when the group has a rhythm,
    /// else soon when it is active and later and later while it stays quiet.
    /// `slot` is the group's place among `n`, and `origin` the tail's start: a quiet group
    /// polled once a round is polled at its own moment of the round.
    fn after_poll(
        &mut self,
        (now, now_ms): (Instant, i64),
        opts: &TailOptions,
        cap: Duration,
        (origin, slot, n): (Instant, usize, usize),
    ) {
        if self.found_this_poll {
            self.quiet = 0;
            self.quiet_since = None;
        } else {
            self.quiet = self.quiet.saturating_add(1);
            self.quiet_since.get_or_insert(now);
            if self.aligned {
                self.rhythm.missed();
            }
        }
        self.found_this_poll = false;
        // Doubling per empty poll, or as long as the group has been quiet: under a small
        // budget a group is polled seldom, and it should not take it ten minutes of polls
        // to back off.
        let quiet_for = self
            .quiet_since
            .map_or(Duration::ZERO, |since| now.saturating_duration_since(since));
        let interval = opts
            .active_interval
            .saturating_mul(1u32 << self.quiet.min(10))
            .max(quiet_for)
            .min(cap);
        let aligned = self.next_slot(now_ms, cap);
        self.aligned = aligned.is_some();
        self.every = aligned.unwrap_or(interval);
        self.due = now + self.every;
        if !self.aligned && self.quiet > 0 && interval >= cap {
            self.due = spread_in_round(self.due, origin, cap, slot, n).max(now + MIN_GAP);
        }
    }

    /// The wait until the next aligned slot, if the group has a rhythm.
    fn next_slot(&self, now_ms: i64, cap: Duration) -> Option<Duration> {
        self.rhythm.next_poll_ms(now_ms).map(|at| {
            Duration::from_millis(u64::try_from(at - now_ms).unwrap_or(0)).clamp(MIN_GAP, cap)
        })
    }
}

/// Every quiet group without a rhythm is due now (ties go round-robin, as always).
fn wake_quiet(groups: &mut [Group], now: Instant) {
    for g in groups.iter_mut().filter(|g| g.quiet > 0 && !g.aligned) {
        g.due = g.due.min(now);
    }
}

/// Whether the unaligned poll of `pick` should wait: it would take a call that aligned polls
/// due within the bucket's horizon need. Returns the first such slot. A poll gives way for at
/// most `cap`, so a group without a rhythm is never starved by groups with one.
fn yield_to_slots(
    groups: &[Group],
    pick: usize,
    budget: &RequestBudget,
    now: Instant,
    cap: Duration,
) -> Option<Instant> {
    if groups[pick]
        .yielding_since
        .is_some_and(|since| now.duration_since(since) >= cap)
    {
        return None;
    }
    let horizon = now + SLOT_HORIZON;
    let mut reserved: Vec<Instant> = groups
        .iter()
        .enumerate()
        .filter(|&(i, g)| i != pick && g.polls_in_slot() && g.due >= now && g.due <= horizon)
        .map(|(_, g)| g.due)
        .collect();
    reserved.sort_unstable();
    let first = *reserved.first()?;
    (!budget.can_spare(now, &reserved)).then_some(first)
}

/// Tail `spec.groups` until cancelled (or, without `follow`, until each group was read once).
pub async fn run_tail(
    logs: Arc<dyn Logs>,
    clock: Arc<dyn WallClock>,
    budget: Arc<RequestBudget>,
    spec: TailSpec,
    sink: impl ReportSink,
    cancel: CancellationToken,
    opts: TailOptions,
) {
    let since = spec
        .since_ms
        .unwrap_or_else(|| clock.now_ms().saturating_sub(spec.backfill_ms));
    let scope = QueryScope {
        stream_names: spec.stream_names.clone(),
        stream_prefix: spec.stream_prefix.clone(),
        filter_pattern: spec.filter_pattern.clone(),
    };
    let start = Instant::now();
    let mut groups: Vec<Group> = spec
        .groups
        .iter()
        .map(|g| Group {
            cursor: GroupCursor::new(g.clone(), since, opts.seen_capacity, opts.look_back),
            due: start,
            quiet: 0,
            quiet_since: None,
            failures: 0,
            found_this_poll: false,
            failing: false,
            polled_once: false,
            rhythm: ArrivalRhythm::default(),
            aligned: false,
            skipped: false,
            yielding_since: None,
            polled_ms: None,
            every: opts.active_interval,
        })
        .collect();
    let mut rng = fastrand::Rng::new();
    let mut last_caught: Option<Instant> = None;
    let mut last_progress: Option<Instant> = None;
    let mut next = 0usize;
    let mut last_wake: Option<Instant> = None;
    while !groups.is_empty() {
        // The rate spent now: lower while nobody watches the tail (see `set_background`).
        let rate = budget.calls_per_second();
        if !opts.follow && groups.iter().all(|g| g.polled_once) {
            let _ = sink
                .report(TailReport::Caught {
                    tail_id: spec.tail_id,
                    at_ms: clock.now_ms(),
                })
                .await;
            return;
        }
        // The most overdue group; ties go round-robin from the last one polled.
        let n = groups.len();
        let pick = (0..n)
            .map(|k| (next + k) % n)
            .filter(|&i| opts.follow || !groups[i].polled_once)
            .min_by_key(|&i| groups[i].pick_order())
            .unwrap_or(next % n);
        let due = groups[pick].due;
        tokio::select! {
            () = cancel.cancelled() => return,
            () = tokio::time::sleep_until(due) => {}
        }
        let quiet = groups.iter().filter(|g| g.quiet > 0).count();
        let cap = quiet_cap(&opts, quiet, rate);
        if !groups[pick].aligned {
            let now = Instant::now();
            if let Some(slot) = yield_to_slots(&groups, pick, &budget, now, cap) {
                groups[pick].yielding_since.get_or_insert(now);
                groups[pick].due = slot + Duration::from_millis(1);
                continue;
            }
        }
        let n_groups = groups.len();
        let group = &mut groups[pick];
        group.yielding_since = None;
        if group.polls_in_slot() {
            // Poll in the slot just after the expected batch, or wait for the next slot: a
            // late poll would keep the polls spread out and the budget never free for a batch.
            let got = tokio::select! {
                () = cancel.cancelled() => return,
                got = budget.acquire_within(SLOT_TOLERANCE) => got,
            };
            if !got {
                tracing::debug!(group = %group.cursor.group, at = clock.now_ms(), "slot skipped");
                group.skipped = true;
                group.due =
                    Instant::now() + group.next_slot(clock.now_ms(), cap).unwrap_or(MIN_GAP);
                continue;
            }
        } else {
            tokio::select! {
                () = cancel.cancelled() => return,
                () = budget.acquire() => {}
            }
        }
        group.skipped = false;
        let requested_at = clock.now_ms();
        let request = group.cursor.next_request(&scope, requested_at);
        let result = tokio::select! {
            () = cancel.cancelled() => return,
            result = logs.filter_log_events(&request) => result,
        };
        let now = Instant::now();
        let result = match result {
            Ok(page) => Ok(group.cursor.absorb(&request, page, requested_at)),
            // The same page would come again: narrow the window around it instead.
            Err(error) if error.is_undecodable() => {
                tracing::warn!(group = %group.cursor.group, start = request.start_ms,
                    end = request.end_ms, %error, "undecodable page: narrowing");
                group.cursor.undecodable(requested_at).ok_or_else(|| {
                    BackendError::Other(format!(
                        "FilterLogEvents: {MAX_UNDECODABLE_PER_POLL} unreadable pages in one \
                         poll; trying again later ({error})"
                    ))
                })
            }
            Err(error) => Err(error),
        };
        match result {
            Ok(outcome) => {
                budget.succeeded();
                // A marker for a skipped millisecond is not traffic.
                let newest = outcome
                    .fresh
                    .iter()
                    .filter(|e| e.stream != UNDECODABLE_STREAM)
                    .map(|e| e.ingestion_time_ms)
                    .max();
                tracing::debug!(
                    group = %group.cursor.group,
                    requested_at,
                    took_ms = clock.now_ms() - requested_at,
                    fresh = outcome.fresh.len(),
                    newest_ingestion = newest,
                    aligned = group.aligned,
                    done = outcome.done,
                    "poll"
                );
                group.failures = 0;
                if let Some(newest) = newest {
                    group.found_this_poll = true;
                    group.rhythm.observe(newest);
                }
                if !outcome.fresh.is_empty() {
                    let events = TailReport::Events {
                        tail_id: spec.tail_id,
                        at_ms: clock.now_ms(),
                        events: outcome.fresh,
                    };
                    if !sink.report(events).await {
                        return;
                    }
                }
                if outcome.done {
                    group.polled_once = true;
                    group.polled_ms = Some(requested_at);
                    let woke = group.found_this_poll && group.quiet >= WAKE_AFTER_QUIET_POLLS;
                    group.after_poll((now, clock.now_ms()), &opts, cap, (start, pick, n_groups));
                    next = pick + 1;
                    let recovered =
                        std::mem::take(&mut group.failing) && !groups.iter().any(|g| g.failing);
                    if woke
                        && last_wake
                            .is_none_or(|t| now.duration_since(t) >= wake_gap(&opts, quiet, rate))
                    {
                        last_wake = Some(now);
                        wake_quiet(&mut groups, now);
                    }
                    let due_caught = last_caught
                        .is_none_or(|t| now.duration_since(t) >= CAUGHT_EVERY)
                        && groups.iter().all(|g| g.polled_once);
                    if opts.follow
                        && last_progress.is_none_or(|t| now.duration_since(t) >= PROGRESS_EVERY)
                    {
                        last_progress = Some(now);
                        if !sink
                            .report(progress(spec.tail_id, clock.now_ms(), &groups))
                            .await
                        {
                            return;
                        }
                    }
                    if opts.follow && (recovered || due_caught) {
                        last_caught = Some(now);
                        let caught = TailReport::Caught {
                            tail_id: spec.tail_id,
                            at_ms: clock.now_ms(),
                        };
                        if !sink.report(caught).await {
                            return;
                        }
                    }
                } else {
                    // The next page now, not at the next slot: the batch is still being read.
                    group.aligned = false;
                    group.due = now;
                }
            }
            Err(error) => {
                group.failing = true;
                group.failures = group.failures.saturating_add(1);
                if error.is_throttling() {
                    // The quota is per account: every group waits. The same page is asked
                    // again afterwards, so nothing is lost.
                    budget.throttled(error.retry_after());
                    group.due = now;
                } else {
                    let backoff = opts
                        .active_interval
                        .max(Duration::from_secs(1))
                        .saturating_mul(1u32 << group.failures.min(6))
                        .min(Duration::from_secs(60));
                    group.due = now + backoff.mul_f64(0.5 + rng.f64() * 0.5);
                    next = pick + 1;
                }
                let failed = TailReport::Failed {
                    tail_id: spec.tail_id,
                    at_ms: clock.now_ms(),
                    group: group.cursor.group.clone(),
                    error,
                };
                if !sink.report(failed).await {
                    return;
                }
            }
        }
    }
}
