//! Command-line arguments of `unstuck queues` and `unstuck dlq peek|export|redrive|cancel`.

use clap::{Args, Subcommand};

use crate::cli::{AwsArgs, OutputFormat};

#[derive(Debug, Clone, Args)]
pub struct QueuesArgs {
    #[command(flatten)]
    pub aws: AwsArgs,
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub output: OutputFormat,
}

#[derive(Debug, Clone, Subcommand)]
pub enum DlqAction {
    /// Read messages without taking them (a receive: it raises each one's receive count and
    /// hides it until the read ends, at most --visibility seconds).
    Peek(Box<DlqPeekArgs>),
    /// Write the queue's messages (or the filtered ones) to a JSONL file, deleting nothing.
    Export(Box<DlqExportArgs>),
    /// Send messages back to their source queue (or --to), then delete them from the DLQ:
    /// selective (--grep, --attribute), journalled and resumable; --native starts an SQS
    /// message move task instead.
    Redrive(Box<DlqRedriveArgs>),
    /// Cancel the queue's running message move task (CancelMessageMoveTask).
    CancelMove(Box<DlqCancelArgs>),
}

impl DlqAction {
    pub fn aws(&self) -> &AwsArgs {
        match self {
            DlqAction::Peek(a) => &a.aws,
            DlqAction::Export(a) => &a.aws,
            DlqAction::Redrive(a) => &a.aws,
            DlqAction::CancelMove(a) => &a.aws,
        }
    }
}

/// Which messages: the same two flags for export and redrive.
#[derive(Debug, Clone, Args)]
pub struct MessageSelection {
    /// Only messages whose body matches this regex.
    #[arg(long, value_name = "REGEX")]
    pub grep: Option<String>,
    /// Only messages whose message attribute NAME has the string value VALUE (repeatable:
    /// all must match).
    #[arg(long = "attribute", value_name = "NAME=VALUE")]
    pub attributes: Vec<String>,
}

#[derive(Debug, Clone, Args)]
pub struct DlqPeekArgs {
    #[command(flatten)]
    pub aws: AwsArgs,
    /// The queue: name, URL or ARN.
    #[arg(value_name = "QUEUE")]
    pub queue: String,
    /// At most this many messages.
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=10_000))]
    pub max: u64,
    /// Seconds the messages read stay hidden at most (they are shown again when the read ends).
    #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u32).range(1..=43_200))]
    pub visibility: u32,
    #[command(flatten)]
    pub selection: MessageSelection,
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub output: OutputFormat,
}

#[derive(Debug, Clone, Args)]
pub struct DlqExportArgs {
    #[command(flatten)]
    pub aws: AwsArgs,
    #[arg(value_name = "QUEUE")]
    pub queue: String,
    /// The JSONL file to create (never overwritten).
    #[arg(value_name = "FILE")]
    pub file: std::path::PathBuf,
    #[command(flatten)]
    pub selection: MessageSelection,
    #[arg(long, default_value_t = 120, value_parser = clap::value_parser!(u32).range(1..=43_200))]
    pub visibility: u32,
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub output: OutputFormat,
}

#[derive(Debug, Clone, Args)]
pub struct DlqRedriveArgs {
    #[command(flatten)]
    pub aws: AwsArgs,
    /// The DLQ: name, URL or ARN.
    #[arg(value_name = "QUEUE")]
    pub queue: String,
    /// Send everything here [default: each message back to its source queue].
    #[arg(long, value_name = "QUEUE")]
    pub to: Option<String>,
    #[command(flatten)]
    pub selection: MessageSelection,
    /// At most this many messages per second (native: 1-500).
    #[arg(long, value_name = "N", value_parser = rate)]
    pub rate: Option<f64>,
    /// Say what would move where; send and delete nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Start an SQS message move task (StartMessageMoveTask) and follow it: all messages,
    /// no filter, only to the sources or one queue of the same type.
    #[arg(long, conflicts_with_all = ["grep", "attributes", "dry_run", "journal"])]
    pub native: bool,
    /// The journal that makes the run resumable [default: one per DLQ, destination and
    /// filter in the state directory].
    #[arg(long, value_name = "PATH")]
    pub journal: Option<std::path::PathBuf>,
    /// Receivers in parallel.
    #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u64).range(1..=64))]
    pub workers: u64,
    /// Seconds the messages being worked on stay hidden.
    #[arg(long, default_value_t = 60, value_parser = clap::value_parser!(u32).range(1..=43_200))]
    pub visibility: u32,
    /// Do it without asking (needed when stdin is not a terminal).
    #[arg(long)]
    pub yes: bool,
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub output: OutputFormat,
}

#[derive(Debug, Clone, Args)]
pub struct DlqCancelArgs {
    #[command(flatten)]
    pub aws: AwsArgs,
    #[arg(value_name = "QUEUE")]
    pub queue: String,
    #[arg(long)]
    pub yes: bool,
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub output: OutputFormat,
}

fn rate(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(r) if r > 0.0 && r <= 100_000.0 => Ok(r),
        _ => Err(format!("{text}: messages per second, more than 0")),
    }
}
