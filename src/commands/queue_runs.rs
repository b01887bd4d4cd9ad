//! The queue mutations as they run, one path for the TUI's executor and `unstuck dlq`: each
//! written to the audit log before anything is sent (and not sent when that fails), then
//! run, then its outcome and counts written (never message bodies).

use serde_json::{Value, json};
use unstuck_aws::api::{Backends, WallClock};

use super::audit_log::{AuditLog, AuditSession};
use super::mutation::begin_audit;
use crate::queues::{
    Destination, Journal, QueueTarget, RedriveCounts, RedriveError, RedriveOptions, RedriveReport,
    redrive,
};

/// Where a mutation is written down.
#[derive(Clone, Copy)]
pub struct AuditPlace<'a> {
    pub audit: Option<&'a AuditLog>,
    pub session: &'a AuditSession,
    pub clock: &'a dyn WallClock,
}

/// The session of `backends` as the audit log names it (the account read once).
pub async fn audit_session(backends: &Backends) -> AuditSession {
    AuditSession {
        profile: backends.label.profile.clone(),
        region: backends.label.region.clone(),
        account: backends
            .session
            .identity()
            .await
            .ok()
            .and_then(|i| i.account),
    }
}

/// Write down `operation`, run `call`, write down its outcome with `done` of it.
async fn audited<T>(
    place: AuditPlace<'_>,
    operation: &'static str,
    summary: &str,
    parameters: Value,
    call: impl Future<Output = Result<T, String>>,
    done: impl Fn(&T) -> Option<Value>,
) -> Result<T, String> {
    let trail = begin_audit(
        place.audit,
        place.session,
        place.clock,
        operation,
        summary.to_string(),
        parameters,
    )
    .map_err(|e| e.to_string())?;
    let result = call.await;
    match &result {
        Ok(value) => trail.finish(Ok(()), done(value)),
        Err(e) => trail.finish(Err(e.clone()), None),
    }
    result
}

/// A selective redrive with its journal, audited with its counts (a stopped run too).
#[allow(clippy::too_many_arguments)]
pub async fn selective_redrive(
    backends: &Backends,
    dlq: &QueueTarget,
    destination: &Destination,
    options: &RedriveOptions,
    journal: Journal,
    summary: &str,
    place: AuditPlace<'_>,
    progress: &(dyn Fn(&RedriveCounts) + Sync),
) -> Result<RedriveReport, RedriveError> {
    let ops = backends
        .queues_ops
        .as_deref()
        .ok_or_else(|| RedriveError::Refused("read-only: changes are off".into()))?;
    let parameters = json!({
        "queueArn": dlq.arn(), "destination": destination.describe(),
        "filter": options.filter.describe(), "rate": options.rate,
        "journal": journal.path().display().to_string(),
    });
    let trail = begin_audit(
        place.audit,
        place.session,
        place.clock,
        "SelectiveRedrive",
        summary.to_string(),
        parameters,
    )
    .map_err(|e| RedriveError::Refused(e.to_string()))?;
    let queues = backends.queues.as_ref();
    let result = redrive(
        queues,
        Some(ops),
        dlq,
        destination,
        options,
        Some(journal),
        backends.clock.as_ref(),
        progress,
    )
    .await;
    match &result {
        Ok(report) => trail.finish(Ok(()), Some(report.to_json())),
        Err(RedriveError::Stopped { reason, report }) => {
            trail.finish(Err(reason.clone()), Some(report.to_json()))
        }
        Err(e) => trail.finish(Err(e.to_string()), None),
    }
    result
}

/// StartMessageMoveTask, audited. Ok: the task handle.
pub async fn start_move_task(
    backends: &Backends,
    dlq: &str,
    to: Option<&str>,
    rate: Option<u32>,
    summary: &str,
    place: AuditPlace<'_>,
) -> Result<String, String> {
    let ops = backends
        .queues_ops
        .as_deref()
        .ok_or("read-only: changes are off")?;
    let parameters = json!({ "sourceArn": dlq, "destinationArn": to, "maxPerSecond": rate });
    let call = async {
        ops.start_move_task(dlq, to, rate)
            .await
            .map_err(|e| e.to_string())
    };
    audited(
        place,
        "StartMessageMoveTask",
        summary,
        parameters,
        call,
        |_| None,
    )
    .await
}

/// CancelMessageMoveTask, audited. Ok: the messages moved before it stopped.
pub async fn cancel_move_task(
    backends: &Backends,
    dlq: &str,
    handle: &str,
    summary: &str,
    place: AuditPlace<'_>,
) -> Result<u64, String> {
    let ops = backends
        .queues_ops
        .as_deref()
        .ok_or("read-only: changes are off")?;
    let call = async {
        ops.cancel_move_task(handle)
            .await
            .map_err(|e| e.to_string())
    };
    let parameters = json!({ "sourceArn": dlq });
    audited(
        place,
        "CancelMessageMoveTask",
        summary,
        parameters,
        call,
        |moved| Some(json!({ "moved": moved })),
    )
    .await
}
