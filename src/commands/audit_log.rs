//! The audit log: one JSON line per mutation, before it is sent (`requested`) and when AWS
//! has answered (`ok` or `failed`), in `audit.jsonl` in the user's state directory
//! (`$UNSTUCK_STATE_DIR`, else the platform's: `~/.local/state/unstuck` on Linux). It keeps
//! time, profile, region, account, the AWS operation, its one-line summary and its parameters
//! as [`SfnCommand::audit_parameters`](super::SfnCommand::audit_parameters) gives them: names
//! and sizes, never payload bodies, never credentials or whole task tokens.
//!
//! A mutation whose request cannot be written down is not sent.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

/// Where a mutation was sent: the session as the header shows it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AuditSession {
    pub profile: String,
    pub region: String,
    pub account: Option<String>,
}

/// What became of a mutation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuditPhase {
    Requested,
    Ok,
    Failed(String),
}

/// One mutation, as the log records it.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditEntry<'a> {
    /// Links the `requested` line to its outcome.
    pub id: &'a str,
    pub time_ms: i64,
    pub session: &'a AuditSession,
    /// The AWS operation ("SendTaskSuccess").
    pub operation: &'a str,
    pub summary: &'a str,
    pub parameters: &'a Value,
    pub phase: AuditPhase,
}

impl AuditEntry<'_> {
    pub fn to_json(&self) -> Value {
        let time = chrono::DateTime::from_timestamp_millis(self.time_ms)
            .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true));
        let (outcome, error) = match &self.phase {
            AuditPhase::Requested => ("requested", None),
            AuditPhase::Ok => ("ok", None),
            AuditPhase::Failed(e) => (
                "failed",
                Some(unstuck_aws::untrusted_text::sanitize_line(e)),
            ),
        };
        json!({
            "id": self.id,
            "time": time,
            "profile": self.session.profile,
            "region": self.session.region,
            "account": self.session.account,
            "command": self.operation,
            "summary": self.summary,
            "parameters": self.parameters,
            "outcome": outcome,
            "error": error,
        })
    }
}

/// An append-only JSONL file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditLog {
    path: PathBuf,
}

impl AuditLog {
    pub fn at(path: impl Into<PathBuf>) -> Self {
        Self { path: path.into() }
    }

    /// `audit.jsonl` in the state directory; None where the platform has none.
    pub fn in_state_dir() -> Option<Self> {
        Some(Self::at(state_dir()?.join("audit.jsonl")))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Append one line (creating the file, readable by its owner only, and its directory).
    pub fn append(&self, entry: &AuditEntry<'_>) -> std::io::Result<()> {
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let mut options = std::fs::OpenOptions::new();
        options.create(true).append(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = options.open(&self.path)?;
        let mut line = entry.to_json().to_string();
        line.push('\n');
        // One write per line: concurrent writers (two sessions) do not interleave lines.
        file.write_all(line.as_bytes())?;
        file.flush()
    }
}

/// The user's state directory: `$UNSTUCK_STATE_DIR`, else the platform's.
pub fn state_dir() -> Option<PathBuf> {
    std::env::var_os("UNSTUCK_STATE_DIR")
        .map(PathBuf::from)
        .or_else(|| {
            directories::ProjectDirs::from("", "", "unstuck")
                .map(|d| d.state_dir().unwrap_or(d.data_local_dir()).to_path_buf())
        })
}

/// A fresh id for one mutation (time and process, unique enough to pair two lines).
pub fn new_audit_id(time_ms: i64) -> String {
    format!(
        "{time_ms:x}-{:x}-{:04x}",
        std::process::id(),
        fastrand::u16(..)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_mutation_is_two_lines_of_json_with_its_session() {
        let dir = tempfile::tempdir().unwrap();
        let log = AuditLog::at(dir.path().join("nested/audit.jsonl"));
        let session = AuditSession {
            profile: "prod".into(),
            region: "eu-west-1".into(),
            account: Some("123456789012".into()),
        };
        let parameters = json!({"executionArn": "arn:…:exec-42"});
        let mut entry = AuditEntry {
            id: "a1",
            time_ms: 1_764_000_000_123,
            session: &session,
            operation: "StopExecution",
            summary: "Stop tax/exec-42",
            parameters: &parameters,
            phase: AuditPhase::Requested,
        };
        log.append(&entry).unwrap();
        entry.phase = AuditPhase::Failed("ExecutionDoesNotExist: \u{1b}[2J gone".into());
        log.append(&entry).unwrap();
        let text = std::fs::read_to_string(log.path()).unwrap();
        let lines: Vec<Value> = text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0]["outcome"], "requested");
        assert_eq!(lines[0]["time"], "2025-11-24T16:00:00.123Z");
        assert_eq!(lines[0]["account"], "123456789012");
        assert_eq!(lines[1]["outcome"], "failed");
        assert_eq!(lines[1]["id"], lines[0]["id"]);
        let error = lines[1]["error"].as_str().unwrap();
        assert!(!error.contains('\u{1b}'), "{error:?}");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(log.path()).unwrap().permissions().mode();
            assert_eq!(mode & 0o077, 0, "only its owner reads it");
        }
    }
}
