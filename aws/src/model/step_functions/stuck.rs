//! Why a running execution is stuck, in words, from its definition, its history and its Map
//! runs; and the machine-level case: executions have stopped starting while the machine's
//! upstream keeps receiving events ("nothing reaches it"). Pure functions with explicit
//! limits, so each rule is tested on its own.

use super::step_status::{ExecutionProgress, StepStatus};
use super::{ExecutionSummary, MAX_HISTORY_EVENTS, MapRun};
use crate::model::asl::{Definition, Seconds, StateKind, TaskPattern, WaitSpec};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StuckKind {
    /// Waits on a `.waitForTaskToken` task that nothing will time out.
    TaskToken,
    /// In a Wait state until a time far ahead.
    Wait,
    /// Running longer than the p95 of recent successful runs of its machine.
    OverP95,
    /// A Map run with items pending and none running.
    MapBacklog,
    /// An activity task no worker has picked up.
    Activity,
    /// Its history is close to the 25,000 events that fail an execution.
    HistoryLimit,
}

impl StuckKind {
    /// The name scripts see (`unstuck executions --output json`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::TaskToken => "task_token",
            Self::Wait => "wait",
            Self::OverP95 => "over_p95",
            Self::MapBacklog => "map_backlog",
            Self::Activity => "activity",
            Self::HistoryLimit => "history_limit",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stuck {
    pub kind: StuckKind,
    /// The state it is stuck in, when it is one state.
    pub state: Option<String>,
    pub since_ms: Option<i64>,
    pub reason: String,
}

/// The thresholds of the rules.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StuckLimits {
    /// A Wait ending further ahead than this is stuck.
    pub wait_ahead_ms: i64,
    /// A token wait whose definition is unknown is stuck after this.
    pub token_wait_ms: i64,
    /// An activity not picked up for this long has no worker.
    pub activity_wait_ms: i64,
    /// Share of the history limit that counts as near it.
    pub history_share: f64,
    /// Successful runs needed before the p95 rule speaks.
    pub min_samples: usize,
}

impl Default for StuckLimits {
    fn default() -> Self {
        Self {
            wait_ahead_ms: 3_600_000,
            token_wait_ms: 3_600_000,
            activity_wait_ms: 60_000,
            history_share: 0.9,
            min_samples: 5,
        }
    }
}

/// Every reason `execution` is stuck, the most specific first; empty when it is not (or has
/// ended). `recent_successes_ms` are the durations of recent successful runs of its machine.
pub fn detect_stuck(
    definition: Option<&Definition>,
    execution: &ExecutionSummary,
    progress: &ExecutionProgress,
    map_runs: &[MapRun],
    recent_successes_ms: &[i64],
    now_ms: i64,
    limits: &StuckLimits,
) -> Vec<Stuck> {
    if !execution.status.is_running() || progress.ended.is_some() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for (name, step) in progress.active() {
        let state = definition.and_then(|d| d.named(name).next());
        let since = step.waiting_since_ms.or(step.entered_ms).unwrap_or(now_ms);
        let waited = now_ms.saturating_sub(since);
        match state.map(|s| &s.kind) {
            Some(StateKind::Task(task)) if task.pattern == TaskPattern::WaitForTaskToken => {
                if step.status == StepStatus::Waiting
                    && task.heartbeat.is_none()
                    && task.timeout.is_none()
                {
                    out.push(Stuck {
                        kind: StuckKind::TaskToken,
                        state: Some(name.to_string()),
                        since_ms: Some(since),
                        reason: format!(
                            "waiting for a task token for {} in {name}, which has no \
                             HeartbeatSeconds or TimeoutSeconds: only SendTaskSuccess or \
                             SendTaskFailure ends the wait",
                            human_duration(waited)
                        ),
                    });
                }
            }
            Some(StateKind::Task(task)) if task.pattern == TaskPattern::Activity => {
                if step.status == StepStatus::Waiting && waited >= limits.activity_wait_ms {
                    out.push(activity_stuck(name, since, waited, &task.resource));
                }
            }
            Some(StateKind::Wait(spec)) => {
                if let Some(stuck) = wait_stuck(name, spec, since, now_ms, limits) {
                    out.push(stuck);
                }
            }
            Some(_) => {}
            None => {
                // No definition: go by what the history says the state runs.
                let resource = step.resource.as_deref().unwrap_or_default();
                if step.status == StepStatus::Waiting
                    && resource.ends_with(".waitForTaskToken")
                    && waited >= limits.token_wait_ms
                {
                    out.push(Stuck {
                        kind: StuckKind::TaskToken,
                        state: Some(name.to_string()),
                        since_ms: Some(since),
                        reason: format!(
                            "waiting for a task token for {} in {name}",
                            human_duration(waited)
                        ),
                    });
                } else if step.status == StepStatus::Waiting
                    && resource.contains(":activity:")
                    && waited >= limits.activity_wait_ms
                {
                    out.push(activity_stuck(name, since, waited, resource));
                }
            }
        }
    }
    for run in map_runs.iter().filter(|r| r.execution_arn == execution.arn) {
        let i = &run.items;
        if i.pending > 0 && i.running == 0 {
            out.push(Stuck {
                kind: StuckKind::MapBacklog,
                state: None,
                since_ms: Some(run.start_ms),
                reason: format!(
                    "Map run has {} of {} items pending and none running ({} failed)",
                    i.pending, i.total, i.failed
                ),
            });
        }
    }
    let limit = (MAX_HISTORY_EVENTS as f64 * limits.history_share) as usize;
    if progress.events >= limit {
        out.push(Stuck {
            kind: StuckKind::HistoryLimit,
            state: None,
            since_ms: None,
            reason: format!(
                "its history has {} of {MAX_HISTORY_EVENTS} events: at the limit the execution \
                 fails (continue the work in a new execution)",
                progress.events
            ),
        });
    }
    if recent_successes_ms.len() >= limits.min_samples
        && let Some(p95) = percentile_ms(recent_successes_ms, 0.95)
    {
        let running = execution.duration_ms(now_ms);
        if running > p95 && running - p95 >= 60_000 {
            let now_in: Vec<&str> = progress.active().map(|(name, _)| name).collect();
            let now_in = if now_in.is_empty() {
                String::new()
            } else {
                format!("; now in {}", now_in.join(", "))
            };
            out.push(Stuck {
                kind: StuckKind::OverP95,
                state: progress.active().next().map(|(name, _)| name.to_string()),
                since_ms: Some(execution.start_ms),
                reason: format!(
                    "running for {}, longer than 95% of the last {} successful runs (p95 {}){now_in}",
                    human_duration(running),
                    recent_successes_ms.len(),
                    human_duration(p95)
                ),
            });
        }
    }
    out
}

fn activity_stuck(name: &str, since: i64, waited: i64, resource: &str) -> Stuck {
    let activity = resource.rsplit(':').next().unwrap_or(resource);
    Stuck {
        kind: StuckKind::Activity,
        state: Some(name.to_string()),
        since_ms: Some(since),
        reason: format!(
            "activity {activity} was scheduled {} ago and no worker has picked it up \
             (GetActivityTask)",
            human_duration(waited)
        ),
    }
}

fn wait_stuck(
    name: &str,
    spec: &WaitSpec,
    since: i64,
    now_ms: i64,
    limits: &StuckLimits,
) -> Option<Stuck> {
    let (until, how) = match spec {
        WaitSpec::Seconds(Seconds::Fixed(s)) => (
            Some(since.saturating_add(i64::try_from(*s).unwrap_or(i64::MAX).saturating_mul(1_000))),
            format!("Seconds {s}"),
        ),
        WaitSpec::Until(text) => (rfc3339_ms(text), format!("until {text}")),
        WaitSpec::Seconds(Seconds::Dynamic(expr)) => (None, format!("for {expr}")),
    };
    let reason = match until {
        Some(until) if until.saturating_sub(now_ms) > limits.wait_ahead_ms => format!(
            "in Wait state {name} ({how}): {} to go",
            human_duration(until - now_ms)
        ),
        // A time from the input: stuck once it has waited that long.
        None if now_ms.saturating_sub(since) > limits.wait_ahead_ms => format!(
            "in Wait state {name} ({how}) for {} already",
            human_duration(now_ms - since)
        ),
        _ => return None,
    };
    Some(Stuck {
        kind: StuckKind::Wait,
        state: Some(name.to_string()),
        since_ms: Some(since),
        reason,
    })
}

/// Executions of a machine over time and what its upstream received since the last one.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MachineActivity {
    /// Start times of its recent executions, any order.
    pub starts_ms: Vec<i64>,
    /// Events (messages, puts) its upstream received since its last execution started.
    pub upstream_events: u64,
    /// What the upstream is, in words ("queue tax-submissions", "rule tax-submitted").
    pub upstream: String,
}

/// "Nothing reaches it": no execution started for far longer than the usual gap (5 times
/// the median, and at least 10 minutes) while the upstream kept receiving events.
pub fn nothing_reaches_it(activity: &MachineActivity, now_ms: i64) -> Option<String> {
    let mut starts = activity.starts_ms.clone();
    starts.sort_unstable();
    if starts.len() < 3 || activity.upstream_events == 0 {
        return None;
    }
    let gaps: Vec<i64> = starts.windows(2).map(|w| w[1] - w[0]).collect();
    let usual = percentile_ms(&gaps, 0.5)?;
    let last = *starts.last()?;
    let silence = now_ms.saturating_sub(last);
    (silence > (usual.saturating_mul(5)).max(600_000)).then(|| {
        format!(
            "no execution started for {} (usually one every {}) while {} received {} events",
            human_duration(silence),
            human_duration(usual),
            activity.upstream,
            activity.upstream_events
        )
    })
}

/// The `q` quantile (0..1) of `values`, nearest rank.
pub fn percentile_ms(values: &[i64], q: f64) -> Option<i64> {
    if values.is_empty() {
        return None;
    }
    let mut sorted = values.to_vec();
    sorted.sort_unstable();
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    Some(sorted[rank - 1])
}

/// `3h 12m`, `4m 5s`, `12s`, `21d 4h`.
pub fn human_duration(ms: i64) -> String {
    let s = ms.max(0) / 1_000;
    match s {
        0..60 => format!("{s}s"),
        60..3_600 => format!("{}m {}s", s / 60, s % 60),
        3_600..86_400 => format!("{}h {}m", s / 3_600, s % 3_600 / 60),
        _ => format!("{}d {}h", s / 86_400, s % 86_400 / 3_600),
    }
}

/// `2026-12-24T00:00:00Z` (or with a fraction, or an offset) as epoch milliseconds.
pub fn rfc3339_ms(text: &str) -> Option<i64> {
    let b = text.as_bytes();
    let num = |from: usize, len: usize| -> Option<i64> {
        std::str::from_utf8(b.get(from..from + len)?)
            .ok()?
            .parse()
            .ok()
    };
    if b.get(4) != Some(&b'-')
        || b.get(7) != Some(&b'-')
        || !matches!(b.get(10), Some(b'T' | b't' | b' '))
        || b.get(13) != Some(&b':')
        || b.get(16) != Some(&b':')
    {
        return None;
    }
    let (y, mo, d, h, mi, sec) = (
        num(0, 4)?,
        num(5, 2)?,
        num(8, 2)?,
        num(11, 2)?,
        num(14, 2)?,
        num(17, 2)?,
    );
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || sec > 60 {
        return None;
    }
    let mut rest = text.get(19..)?;
    let mut millis = 0;
    if let Some(fraction) = rest.strip_prefix('.') {
        let digits = fraction.bytes().take_while(u8::is_ascii_digit).count();
        let first3: String = fraction
            .get(..digits)?
            .chars()
            .chain("000".chars())
            .take(3)
            .collect();
        millis = first3.parse::<i64>().ok()?;
        rest = fraction.get(digits..)?;
    }
    let offset_min = match rest {
        "Z" | "z" => 0,
        _ if rest.len() == 6 && (rest.starts_with('+') || rest.starts_with('-')) => {
            let sign = if rest.starts_with('-') { -1 } else { 1 };
            let (oh, om): (i64, i64) =
                (rest.get(1..3)?.parse().ok()?, rest.get(4..6)?.parse().ok()?);
            sign * (oh * 60 + om)
        }
        _ => return None,
    };
    // Days from the civil date (Howard Hinnant's algorithm).
    let (y, mo) = if mo <= 2 {
        (y - 1, mo + 9)
    } else {
        (y, mo - 3)
    };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * mo + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(((days * 86_400 + h * 3_600 + mi * 60 + sec - offset_min * 60) * 1_000) + millis)
}

#[cfg(test)]
mod tests;
