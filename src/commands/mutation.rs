//! Running a mutation: written to the audit log before it is sent (not sent when that fails),
//! sent, and its outcome written. The one path for the TUI's executor and the headless
//! subcommands.

use std::sync::Arc;

use unstuck_aws::api::{StepFunctionsOps, WallClock};
use unstuck_aws::model::BackendError;

use super::audit_log::{AuditEntry, AuditLog, AuditPhase, AuditSession, new_audit_id};
use super::step_functions_ops::SfnCommand;

/// What a mutation needs besides itself.
#[derive(Clone)]
pub struct MutationContext {
    pub ops: Arc<dyn StepFunctionsOps>,
    /// None: no state directory to keep it in (the mutation is refused).
    pub audit: Option<AuditLog>,
    pub session: AuditSession,
    pub clock: Arc<dyn WallClock>,
}

/// Why a mutation did not go through.
#[derive(Debug, thiserror::Error)]
pub enum MutationError {
    #[error("{0}")]
    Aws(#[from] BackendError),
    #[error("not sent: the audit log {0}")]
    Audit(String),
}

/// Write down, send, write down the outcome. Ok: the line to report.
pub async fn run_audited(
    command: &SfnCommand,
    cx: &MutationContext,
) -> Result<String, MutationError> {
    let Some(audit) = &cx.audit else {
        return Err(MutationError::Audit(
            "has no place here (no state directory; set UNSTUCK_STATE_DIR)".into(),
        ));
    };
    let started = cx.clock.now_ms();
    let id = new_audit_id(started);
    let (summary, parameters) = (command.summary(), command.audit_parameters());
    let mut entry = AuditEntry {
        id: &id,
        time_ms: started,
        session: &cx.session,
        operation: command.api_name(),
        summary: &summary,
        parameters: &parameters,
        phase: AuditPhase::Requested,
    };
    audit.append(&entry).map_err(|e| {
        MutationError::Audit(format!("{} cannot be written: {e}", audit.path().display()))
    })?;
    let result = command.run(cx.ops.as_ref()).await;
    entry.time_ms = cx.clock.now_ms();
    entry.phase = match &result {
        Ok(_) => AuditPhase::Ok,
        Err(e) => AuditPhase::Failed(e.to_string()),
    };
    if let Err(e) = audit.append(&entry) {
        // It was sent: say so rather than hide the outcome.
        tracing::error!(path = %audit.path().display(), %e, "audit log: outcome not written");
    }
    Ok(result?)
}
