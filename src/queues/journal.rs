//! The redrive journal: what a selective redrive received, sent and deleted, one JSON line
//! per batch step, flushed before the next step. Re-running the same command reads it back:
//! a message the journal says was sent is deleted from the DLQ, never sent again; messages a
//! killed run was holding are shown again at once (their receipt handles are in the
//! journal). A crash between a send and its journal line can duplicate that one batch; no
//! order of steps loses a message (a message leaves the DLQ only after it was sent).
//!
//! A run that ends with nothing left to do writes `{"complete":true}`; the next run with the
//! same journal starts afresh.

use std::collections::{HashMap, HashSet};
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use super::filter::MessageFilter;
use super::target::{Destination, QueueTarget};

/// One journal per DLQ, destination and filter in the state directory, so that re-running
/// the same command continues the same run.
pub fn default_journal_path(
    dlq: &QueueTarget,
    destination: &Destination,
    filter: &MessageFilter,
) -> Option<PathBuf> {
    let key = format!(
        "{}\u{1f}{}\u{1f}{}",
        dlq.url,
        destination.key(),
        filter.key()
    );
    let hash = key.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    });
    let name: String = dlq
        .name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        .collect();
    let file = format!("{name}-{hash:016x}.jsonl");
    Some(crate::commands::state_dir()?.join("redrive").join(file))
}

/// The journal of a run: at `path`, else at [`default_journal_path`].
pub fn journal_for(
    dlq: &QueueTarget,
    destination: &Destination,
    filter: &MessageFilter,
    path: Option<&Path>,
) -> Result<Journal, String> {
    let path = match path {
        Some(path) => path.to_path_buf(),
        None => default_journal_path(dlq, destination, filter)
            .ok_or("no state directory for the journal: set UNSTUCK_STATE_DIR or give --journal")?,
    };
    let run = json!({ "dlq": dlq.url, "to": destination.key(), "filter": filter.key() });
    Journal::open(&path, &run).map_err(|e| format!("the journal {}: {e}", path.display()))
}

#[derive(Debug)]
pub struct Journal {
    path: PathBuf,
    file: std::fs::File,
    /// Message ids sent by an earlier run (or this one).
    sent: HashSet<String>,
    deleted: HashSet<String>,
    /// The last receipt handle of each message received and not yet deleted.
    handles: HashMap<String, String>,
    /// Lines read back from an unfinished earlier run.
    pub resumed_lines: usize,
}

/// What an unfinished earlier run left: sent but not deleted, and held.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Unsettled {
    /// (message id, receipt handle): sent, still to delete.
    pub to_delete: Vec<(String, String)>,
    /// (message id, receipt handle): received and neither sent nor deleted: to show again.
    pub to_release: Vec<(String, String)>,
}

impl Journal {
    /// Open (or create) the journal at `path`; `run` describes the run (DLQ, destination,
    /// filter), written at the top of a new journal.
    pub fn open(path: &Path, run: &Value) -> std::io::Result<Journal> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let mut journal = Journal {
            path: path.to_path_buf(),
            file: open_append(path)?,
            sent: HashSet::new(),
            deleted: HashSet::new(),
            handles: HashMap::new(),
            resumed_lines: 0,
        };
        let lines = read_lines(path)?;
        let complete = lines.iter().any(|l| l.get("complete").is_some());
        if complete || lines.is_empty() {
            if complete {
                let done = path.with_extension(format!("done-{}.jsonl", std::process::id()));
                std::fs::rename(path, &done)?;
                journal.file = open_append(path)?;
            }
            journal.write(&json!({ "run": run }))?;
            return Ok(journal);
        }
        journal.resumed_lines = lines.len();
        for line in &lines {
            journal.apply(line);
        }
        Ok(journal)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn apply(&mut self, line: &Value) {
        let text = |k: &str| line.get(k).and_then(Value::as_str).map(str::to_string);
        if let (Some(id), Some(handle)) = (text("received"), text("handle")) {
            self.handles.insert(id, handle);
        }
        for id in ids(line, "sent") {
            self.sent.insert(id);
        }
        for id in ids(line, "deleted") {
            self.handles.remove(&id);
            self.deleted.insert(id);
        }
    }

    fn write(&mut self, line: &Value) -> std::io::Result<()> {
        let mut text = line.to_string();
        text.push('\n');
        self.file.write_all(text.as_bytes())?;
        self.file.flush()
    }

    pub fn was_sent(&self, message_id: &str) -> bool {
        self.sent.contains(message_id)
    }

    /// What an earlier run left unsettled.
    pub fn unsettled(&self) -> Unsettled {
        let mut out = Unsettled::default();
        for (id, handle) in &self.handles {
            let entry = (id.clone(), handle.clone());
            if self.sent.contains(id) {
                out.to_delete.push(entry);
            } else {
                out.to_release.push(entry);
            }
        }
        out.to_delete.sort();
        out.to_release.sort();
        out
    }

    pub fn received(&mut self, messages: &[(String, String)]) -> std::io::Result<()> {
        let mut text = String::new();
        for (id, handle) in messages {
            self.handles.insert(id.clone(), handle.clone());
            text.push_str(&json!({ "received": id, "handle": handle }).to_string());
            text.push('\n');
        }
        self.file.write_all(text.as_bytes())?;
        self.file.flush()
    }

    pub fn sent(&mut self, message_ids: &[String], to_url: &str) -> std::io::Result<()> {
        self.sent.extend(message_ids.iter().cloned());
        self.write(&json!({ "sent": message_ids, "to": to_url }))
    }

    pub fn deleted(&mut self, message_ids: &[String]) -> std::io::Result<()> {
        for id in message_ids {
            self.handles.remove(id);
            self.deleted.insert(id.clone());
        }
        self.write(&json!({ "deleted": message_ids }))
    }

    /// Nothing is left to do: the next run starts afresh.
    pub fn complete(&mut self, summary: &Value) -> std::io::Result<()> {
        self.write(&json!({ "complete": true, "summary": summary }))?;
        self.file.sync_all()
    }
}

fn ids(line: &Value, key: &str) -> Vec<String> {
    match line.get(key) {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect(),
        _ => Vec::new(),
    }
}

fn open_append(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)
}

/// Every whole line; a torn last line (the kill came mid-write) is ignored.
fn read_lines(path: &Path) -> std::io::Result<Vec<Value>> {
    let file = std::fs::File::open(path)?;
    let mut out = Vec::new();
    for line in std::io::BufReader::new(file).lines() {
        if let Ok(value) = serde_json::from_str::<Value>(&line?) {
            out.push(value);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reopened_journal_knows_what_was_sent_and_what_was_held() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.jsonl");
        let mut j = Journal::open(&path, &json!({"dlq": "d"})).unwrap();
        j.received(&[
            ("a".into(), "ha".into()),
            ("b".into(), "hb".into()),
            ("c".into(), "hc".into()),
        ])
        .unwrap();
        j.sent(&["a".into(), "b".into()], "u").unwrap();
        j.deleted(&["a".into()]).unwrap();
        drop(j);
        // A torn line from a kill mid-write.
        std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap()
            .write_all(b"{\"sent\":[\"c")
            .unwrap();
        let j = Journal::open(&path, &json!({})).unwrap();
        assert!(j.was_sent("a") && j.was_sent("b") && !j.was_sent("c"));
        let u = j.unsettled();
        assert_eq!(u.to_delete, vec![("b".to_string(), "hb".to_string())]);
        assert_eq!(u.to_release, vec![("c".to_string(), "hc".to_string())]);
    }

    #[test]
    fn a_complete_journal_starts_afresh() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.jsonl");
        let mut j = Journal::open(&path, &json!({})).unwrap();
        j.sent(&["a".into()], "u").unwrap();
        j.complete(&json!({})).unwrap();
        drop(j);
        let j = Journal::open(&path, &json!({})).unwrap();
        assert!(!j.was_sent("a"));
        assert_eq!(j.resumed_lines, 0);
    }
}
