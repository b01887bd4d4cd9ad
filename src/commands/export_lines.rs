//! Exporting the logs pane's (filtered) lines to a file: JSONL (one CloudWatch-like event per
//! line: `timestamp` in epoch ms, `group`, `stream`, `message`; a stack trace's lines are one
//! message again) or text (what the pane shows, with the full date). The reducer snapshots
//! the rows into an `ExportJob`; the runtime runs `write_export` on a blocking thread, which
//! reports progress as it writes in chunks. Messages are the sanitised text (control
//! characters shown as pictures), so the file is safe to `cat`.

use std::fs::{File, OpenOptions};
use std::io::{BufWriter, ErrorKind, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use unstuck_views::logs::log_row::{LogRow, RowKind};

/// Lines written between two progress reports.
pub const EXPORT_CHUNK_LINES: usize = 5_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Jsonl,
    Text,
}

impl ExportFormat {
    /// `.jsonl`, `.ndjson` and `.json` are JSONL; anything else is text.
    pub fn for_path(path: &Path) -> Self {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("jsonl" | "ndjson" | "json") => ExportFormat::Jsonl,
            _ => ExportFormat::Text,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ExportJob {
    /// As typed (relative to the working directory; `~/` is the home directory).
    pub path: PathBuf,
    pub format: ExportFormat,
    /// Replace an existing file (`:export!`).
    pub overwrite: bool,
    /// The snapshot: ingest goes on while this is written.
    pub rows: Arc<Vec<LogRow>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportSummary {
    pub path: PathBuf,
    /// Lines (text) or events (JSONL) written.
    pub written: usize,
}

/// `unstuck-logs-20261120-024700.jsonl` for a time.
pub fn default_file_name(now_ms: i64) -> String {
    let stamp = DateTime::<Utc>::from_timestamp_millis(now_ms)
        .map(|t| t.format("%Y%m%d-%H%M%S").to_string())
        .unwrap_or_else(|| "now".to_string());
    format!("unstuck-logs-{stamp}.jsonl")
}

fn iso_time(ms: i64) -> String {
    DateTime::<Utc>::from_timestamp_millis(ms)
        .map(|t| t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string())
        .unwrap_or_else(|| ms.to_string())
}

fn resolve(path: &Path) -> PathBuf {
    if let Ok(rest) = path.strip_prefix("~")
        && let Some(dirs) = directories::BaseDirs::new()
    {
        return dirs.home_dir().join(rest);
    }
    path.to_path_buf()
}

fn open(path: &Path, overwrite: bool) -> Result<File, String> {
    let mut options = OpenOptions::new();
    options.write(true);
    if overwrite {
        options.create(true).truncate(true);
    } else {
        options.create_new(true);
    }
    options.open(path).map_err(|e| match e.kind() {
        ErrorKind::AlreadyExists => format!(
            "{} already exists (:export! {} replaces it)",
            path.display(),
            path.display()
        ),
        _ => format!("cannot write {}: {e}", path.display()),
    })
}

/// The JSONL record of an event (its first row and its continuation rows), keys in the
/// order of a CloudWatch event.
fn jsonl_record(rows: &[&LogRow]) -> String {
    let first = rows[0];
    let mut message = first
        .json
        .as_deref()
        .map_or_else(|| first.text.clone(), |j| j.raw.clone());
    for row in &rows[1..] {
        message.push('\n');
        message.push_str(&row.text);
    }
    let string = |text: &str| serde_json::to_string(text).unwrap_or_else(|_| "\"\"".into());
    format!(
        "{{\"timestamp\":{},\"group\":{},\"stream\":{},\"message\":{}}}",
        first.timestamp_ms,
        string(&first.group),
        string(&first.stream),
        string(&message)
    )
}

fn text_line(row: &LogRow) -> String {
    if row.kind == RowKind::Continuation {
        format!("{:24}  {:w$}  {}", "", "", row.text, w = row.tag.len())
    } else {
        format!("{}  {}  {}", iso_time(row.timestamp_ms), row.tag, row.text)
    }
}

/// Write the job's rows to its file, calling `progress(written, total)` after every chunk
/// (rows handled so far of all rows). Runs on a blocking thread; never panics on IO errors.
pub fn write_export(
    job: &ExportJob,
    mut progress: impl FnMut(usize, usize),
) -> Result<ExportSummary, String> {
    let path = resolve(&job.path);
    let file = open(&path, job.overwrite)?;
    let mut out = BufWriter::new(file);
    let write_error = |e: std::io::Error| format!("writing {} failed: {e}", path.display());
    let total = job.rows.len();
    let mut written = 0;
    let mut event: Vec<&LogRow> = Vec::new();
    for (done, row) in job.rows.iter().enumerate() {
        match job.format {
            ExportFormat::Text => {
                writeln!(out, "{}", text_line(row)).map_err(write_error)?;
                written += 1;
            }
            ExportFormat::Jsonl => {
                let continues = event.last().is_some_and(|last| {
                    row.kind == RowKind::Continuation
                        && row.seq == last.seq + 1
                        && row.stream == last.stream
                });
                if !continues && !event.is_empty() {
                    writeln!(out, "{}", jsonl_record(&event)).map_err(write_error)?;
                    written += 1;
                    event.clear();
                }
                event.push(row);
            }
        }
        if (done + 1).is_multiple_of(EXPORT_CHUNK_LINES) {
            progress(done + 1, total);
        }
    }
    if !event.is_empty() {
        writeln!(out, "{}", jsonl_record(&event)).map_err(write_error)?;
        written += 1;
    }
    out.flush().map_err(write_error)?;
    progress(total, total);
    let shown = std::path::absolute(&path).unwrap_or(path);
    Ok(ExportSummary {
        path: shown,
        written,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_from_the_extension_and_default_name() {
        assert_eq!(
            ExportFormat::for_path(Path::new("a.jsonl")),
            ExportFormat::Jsonl
        );
        assert_eq!(
            ExportFormat::for_path(Path::new("a.NDJSON")),
            ExportFormat::Jsonl
        );
        assert_eq!(
            ExportFormat::for_path(Path::new("a.txt")),
            ExportFormat::Text
        );
        assert_eq!(ExportFormat::for_path(Path::new("a")), ExportFormat::Text);
        assert_eq!(
            default_file_name(1_795_142_820_000),
            "unstuck-logs-20261120-024700.jsonl"
        );
    }
}
