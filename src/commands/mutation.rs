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

/// A mutation written down as requested, waiting for its outcome.
pub struct AuditTrail<'a> {
    audit: &'a AuditLog,
    session: &'a AuditSession,
    clock: &'a dyn WallClock,
    id: String,
    operation: &'static str,
    summary: String,
    parameters: serde_json::Value,
}

/// Write down a mutation before it is sent: Err (do not send it) when that cannot be done.
pub fn begin_audit<'a>(
    audit: Option<&'a AuditLog>,
    session: &'a AuditSession,
    clock: &'a dyn WallClock,
    operation: &'static str,
    summary: String,
    parameters: serde_json::Value,
) -> Result<AuditTrail<'a>, MutationError> {
    let Some(audit) = audit else {
        return Err(MutationError::Audit(
            "has no place here (no state directory; set UNSTUCK_STATE_DIR)".into(),
        ));
    };
    let trail = AuditTrail {
        audit,
        session,
        clock,
        id: new_audit_id(clock.now_ms()),
        operation,
        summary,
        parameters,
    };
    trail.write(AuditPhase::Requested).map_err(|e| {
        MutationError::Audit(format!("{} cannot be written: {e}", audit.path().display()))
    })?;
    Ok(trail)
}

impl AuditTrail<'_> {
    fn write(&self, phase: AuditPhase) -> std::io::Result<()> {
        self.audit.append(&AuditEntry {
            id: &self.id,
            time_ms: self.clock.now_ms(),
            session: self.session,
            operation: self.operation,
            summary: &self.summary,
            parameters: &self.parameters,
            phase,
        })
    }

    /// Write the outcome, with what it did added to the parameters (counts, never bodies).
    pub fn finish(mut self, outcome: Result<(), String>, done: Option<serde_json::Value>) {
        if let Some(done) = done {
            self.parameters["done"] = done;
        }
        let phase = match outcome {
            Ok(()) => AuditPhase::Ok,
            Err(e) => AuditPhase::Failed(e),
        };
        if let Err(e) = self.write(phase) {
            // It was sent: say so rather than hide the outcome.
            tracing::error!(path = %self.audit.path().display(), %e, "audit log: outcome not written");
        }
    }
}

/// Write down, send, write down the outcome. Ok: the line to report.
pub async fn run_audited(
    command: &SfnCommand,
    cx: &MutationContext,
) -> Result<String, MutationError> {
    let trail = begin_audit(
        cx.audit.as_ref(),
        &cx.session,
        cx.clock.as_ref(),
        command.api_name(),
        command.summary(),
        command.audit_parameters(),
    )?;
    let result = command.run(cx.ops.as_ref()).await;
    trail.finish(
        result.as_ref().map(|_| ()).map_err(ToString::to_string),
        None,
    );
    Ok(result?)
}
