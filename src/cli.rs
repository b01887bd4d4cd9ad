//! Command-line interface.

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "unstuck",
    version,
    about = "A terminal UI for observing and operating serverless apps on AWS",
    long_about = "A terminal UI for observing and operating serverless apps on AWS.\n\n\
        Uses the standard AWS credential chain (environment, profiles, SSO, assume-role). \
        --demo runs against an embedded simulated serverless app and needs no account."
)]
pub struct Cli {
    #[command(flatten)]
    pub aws: AwsArgs,

    /// Disable every action that changes anything in AWS (no mutation can be reached:
    /// keys, palette commands, `unstuck execution stop|redrive|send-task-*` and `unstuck dlq
    /// redrive|cancel-move` are refused).
    #[arg(long, global = true)]
    pub read_only: bool,

    /// Keymap preset or user keymap name (default from config.toml, else "default").
    #[arg(long, value_name = "NAME")]
    pub keymap: Option<String>,

    /// Theme name (default from config.toml, else "dark").
    #[arg(long, value_name = "NAME")]
    pub theme: Option<String>,

    /// Tail every log group whose name starts with PREFIX (repeatable).
    #[arg(long = "log-group", value_name = "PREFIX")]
    pub log_groups: Vec<String>,

    /// Lines kept in the logs pane before the oldest are dropped.
    #[arg(long, value_name = "LINES")]
    pub buffer_lines: Option<usize>,

    /// Where the logs pane starts: 30m, 2h, 1d, 02:46 (today, UTC), 2026-11-20 02:46 or an
    /// RFC 3339 time [default: 5m]. Older lines load on demand (scroll up, or :time).
    #[arg(long, value_name = "TIME")]
    pub since: Option<String>,

    /// Show (and read typed) times in UTC, as CloudWatch does, or in this machine's zone;
    /// `:tz` switches [default: utc].
    #[arg(long, value_enum, value_name = "ZONE")]
    pub tz: Option<TimeZoneArg>,

    #[command(subcommand)]
    pub command: Option<CliCommand>,
}

/// Where to connect and how fast to call: for the TUI and for `unstuck tail` (given
/// before or after `tail`); the other subcommands take none of them.
#[derive(Debug, Clone, Args)]
pub struct AwsArgs {
    /// Run against the embedded simulated tax-return app (no AWS account needed).
    #[arg(long)]
    pub demo: bool,

    /// AWS profile to use (default: the standard credential chain).
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,

    /// AWS region (default: from the profile or AWS_REGION).
    #[arg(long, value_name = "REGION")]
    pub region: Option<String>,

    /// Send every AWS call to this endpoint (LocalStack, moto). Per-service
    /// AWS_ENDPOINT_URL_<SERVICE> variables work when this is not given.
    #[arg(long, value_name = "URL")]
    pub endpoint_url: Option<String>,

    /// FilterLogEvents calls per second for the whole app (AWS allows 5 per account and
    /// region, for every tool together); half of it while the logs pane is not shown.
    /// [default: 1 (20% of the quota), or calls_per_second in config.toml]
    #[arg(long, value_name = "N")]
    pub calls_per_second: Option<f64>,

    /// Use CloudWatch Logs Live Tail (StartLiveTail streams) instead of polling where AWS
    /// offers it; groups where it is not offered are polled.
    #[arg(long)]
    pub live_tail: bool,

    /// Seed of the demo world (the same seed gives the same world).
    #[arg(long, default_value_t = DEFAULT_SEED, hide = true)]
    pub seed: u64,
}

impl AwsArgs {
    /// These flags, with any not given taken from `outer` (the ones before `tail`).
    pub fn or(&self, outer: &AwsArgs) -> AwsArgs {
        AwsArgs {
            demo: self.demo || outer.demo,
            profile: self.profile.clone().or_else(|| outer.profile.clone()),
            region: self.region.clone().or_else(|| outer.region.clone()),
            endpoint_url: self
                .endpoint_url
                .clone()
                .or_else(|| outer.endpoint_url.clone()),
            calls_per_second: self.calls_per_second.or(outer.calls_per_second),
            live_tail: self.live_tail || outer.live_tail,
            seed: if self.seed == DEFAULT_SEED {
                outer.seed
            } else {
                self.seed
            },
        }
    }
}

/// The demo world's default seed.
pub const DEFAULT_SEED: u64 = 7;

#[derive(Debug, Subcommand)]
pub enum CliCommand {
    /// Print the events of log groups, one per line, without the TUI.
    Tail(Box<TailArgs>),
    /// Check the configuration files (config.toml, keymap.toml, themes): print every
    /// error and exit 1 if there is one.
    Config {
        #[arg(value_enum)]
        action: ConfigAction,
    },
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), e.g. `unstuck man | man -l -`.
    Man,
    /// List Step Functions executions, with why each running one is stuck (task token nobody
    /// sends, a Wait far ahead, longer than usual, a Map backlog, an activity without a
    /// worker, a history near its limit).
    Executions(Box<ExecutionsArgs>),
    /// One Step Functions execution.
    Execution {
        #[command(subcommand)]
        action: ExecutionAction,
    },
    /// Lay out a Step Functions definition (ASL) in the terminal, without AWS: the states
    /// as boxes, Parallel and Map as regions, Catch edges dashed. `--output json` prints the
    /// layout (nodes with their boxes in cells, edges with their kinds).
    Graph(GraphArgs),
    /// Every SQS queue with its counts, its DLQ and the queues it is the DLQ of.
    Queues(Box<crate::cli_queues::QueuesArgs>),
    /// Inspect, export and redrive a dead-letter queue.
    Dlq {
        #[command(subcommand)]
        action: crate::cli_queues::DlqAction,
    },
    /// Every Lambda function with its calls, errors, throttles, duration percentiles and
    /// cold-start rate over --window.
    Functions(Box<crate::cli_signals::WindowedArgs>),
    /// CloudWatch alarms (in ALARM first) with their metric and threshold.
    Alarms(Box<crate::cli_signals::SignalsArgs>),
    /// Synthetics canaries: the last run, success % and the failing step.
    Canaries(Box<crate::cli_signals::SignalsArgs>),
    /// RUM app monitors: page loads, errors, sessions, Apdex, web vitals over --window.
    Rum(Box<crate::cli_signals::WindowedArgs>),
    /// What is on fire: alarms in ALARM, failing canaries, RUM spikes, DLQs with messages,
    /// functions above their baseline, failed executions; most severe and newest first.
    Overview(Box<crate::cli_signals::SignalsArgs>),
    /// Print one rendered frame of a pane as plain text (for bug reports, docs and tests):
    /// the app runs headless and read-only for --after seconds, pressed through --keys.
    Snapshot(Box<SnapshotArgs>),
    /// Print an embedded preset (to start a config of your own from it).
    Defaults {
        #[arg(value_enum)]
        kind: PresetArg,
        /// Preset name (default: "default" keymap, "dark" theme).
        name: Option<String>,
    },
}

#[derive(Debug, Clone, Args)]
pub struct ExecutionsArgs {
    #[command(flatten)]
    pub aws: AwsArgs,
    /// Only this state machine (name or ARN) [default: every machine].
    #[arg(long, value_name = "NAME|ARN")]
    pub state_machine: Option<String>,
    /// Only executions in this status.
    #[arg(long, value_enum, conflicts_with = "stuck")]
    pub status: Option<StatusArg>,
    /// Only running executions that are stuck, with the reason.
    #[arg(long)]
    pub stuck: bool,
    /// At most this many executions per machine, newest first.
    #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u64).range(1..=10_000))]
    pub limit: u64,
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub output: OutputFormat,
}

#[derive(Debug, Clone, Subcommand)]
pub enum ExecutionAction {
    /// Status, current states, why it is stuck, and each state's status.
    Show(Box<ExecutionShowArgs>),
    /// Stop a running execution (StopExecution), with an error and cause for its history.
    Stop(Box<ExecutionStopArgs>),
    /// Redrive a failed, timed-out or aborted Standard execution from where it stopped
    /// (RedriveExecution); says why when AWS does not allow it.
    Redrive(Box<MutationArgs>),
    /// Resume the task waiting on a token with this output (SendTaskSuccess).
    SendTaskSuccess(Box<SendTaskSuccessArgs>),
    /// Fail the task waiting on a token (SendTaskFailure); a Catch may take it.
    SendTaskFailure(Box<SendTaskFailureArgs>),
    /// Tell the task waiting on a token that work goes on (SendTaskHeartbeat).
    SendTaskHeartbeat(Box<MutationArgs>),
}

/// What every mutation of an execution takes.
#[derive(Debug, Clone, Args)]
pub struct MutationArgs {
    #[command(flatten)]
    pub aws: AwsArgs,
    /// The execution's ARN.
    #[arg(value_name = "ARN")]
    pub execution_arn: String,
    /// The task token [default: the one the execution waits on, read from its history].
    #[arg(long, value_name = "TOKEN")]
    pub task_token: Option<String>,
    /// Do it without asking (needed when stdin is not a terminal).
    #[arg(long)]
    pub yes: bool,
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub output: OutputFormat,
}

#[derive(Debug, Clone, Args)]
pub struct ExecutionStopArgs {
    #[command(flatten)]
    pub target: MutationArgs,
    /// The error recorded in the execution's history.
    #[arg(long, value_name = "E")]
    pub error: Option<String>,
    /// The cause recorded in the execution's history.
    #[arg(long, value_name = "C")]
    pub cause: Option<String>,
}

#[derive(Debug, Clone, Args)]
pub struct SendTaskSuccessArgs {
    #[command(flatten)]
    pub target: MutationArgs,
    /// The task's output: JSON, checked before it is sent.
    #[arg(long, value_name = "JSON")]
    pub task_output: String,
}

#[derive(Debug, Clone, Args)]
pub struct SendTaskFailureArgs {
    #[command(flatten)]
    pub target: MutationArgs,
    #[arg(long, value_name = "E")]
    pub error: Option<String>,
    #[arg(long, value_name = "C")]
    pub cause: Option<String>,
}

#[derive(Debug, Clone, Args)]
pub struct ExecutionShowArgs {
    #[command(flatten)]
    pub aws: AwsArgs,
    /// The execution's ARN.
    #[arg(value_name = "ARN")]
    pub execution_arn: String,
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub output: OutputFormat,
}

/// An execution status, as `--status` takes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StatusArg {
    Running,
    Succeeded,
    Failed,
    TimedOut,
    Aborted,
    PendingRedrive,
}

#[derive(Debug, Clone, Args)]
pub struct GraphArgs {
    /// The definition file, or `-` for stdin.
    #[arg(value_name = "FILE|-")]
    pub file: String,
    /// Fit in this many columns, cutting names down as far as that takes [default: the
    /// terminal's width, or 120].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(20..))]
    pub width: Option<u16>,
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub output: OutputFormat,
}

#[derive(Debug, Clone, Args)]
pub struct SnapshotArgs {
    #[command(flatten)]
    pub aws: AwsArgs,
    /// The pane to show.
    #[arg(long, value_parser = ["overview", "logs", "groups", "insights", "executions", "queues", "functions", "signals"])]
    pub pane: String,
    /// The screen's size.
    #[arg(long, value_name = "WxH", default_value = "160x48", value_parser = crate::snapshot_command::parse_size)]
    pub size: (u16, u16),
    /// Seconds to run (after the keys) before the frame is taken.
    #[arg(long, value_name = "SECONDS", default_value_t = 3.0, value_parser = after_seconds)]
    pub after: f64,
    /// Keys to press first, as keymap files write them, e.g. "enter s down enter".
    #[arg(long, value_name = "KEYS", allow_hyphen_values = true)]
    pub keys: Option<String>,
}

fn after_seconds(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(s) if (0.0..=600.0).contains(&s) => Ok(s),
        _ => Err(format!("{text}: seconds from 0 to 600")),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ConfigAction {
    /// Load every file and report what is wrong.
    Check,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PresetArg {
    Keymap,
    Theme,
}

#[derive(Debug, Clone, Args)]
pub struct TailArgs {
    #[command(flatten)]
    pub aws: AwsArgs,

    /// Log group names, or name prefixes (every group starting with it).
    #[arg(required = true, value_name = "GROUP_OR_PREFIX")]
    pub groups: Vec<String>,

    /// Start this far back (30s, 10m, 2h, 1d) or at a time (02:46 UTC, 2026-11-20 02:46,
    /// RFC 3339), as `:time` takes it.
    #[arg(long, default_value = "10m")]
    pub since: String,

    /// Keep following new events until interrupted.
    #[arg(long, short = 'f')]
    pub follow: bool,

    /// Without --follow: give up (exit 1) after this many seconds of errors without a
    /// success, so a cron job never hangs [default: 60].
    #[arg(long, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub give_up_after: Option<u64>,

    /// A CloudWatch Logs filter pattern, evaluated by AWS.
    #[arg(long, value_name = "PATTERN")]
    pub filter_pattern: Option<String>,

    /// Print only events whose message matches this regex (evaluated here).
    #[arg(long, value_name = "REGEX")]
    pub grep: Option<String>,

    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub output: OutputFormat,

    /// Only streams whose name starts with this.
    #[arg(long, value_name = "PREFIX")]
    pub stream_prefix: Option<String>,

    /// Only this stream (repeatable).
    #[arg(long = "stream", value_name = "NAME")]
    pub stream: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// timestamp, group, stream, message (sanitised)
    Text,
    /// one JSON object per line: timestamp, ingestion_time, group, stream, event_id, message
    Json,
}

/// `--tz`: which zone times are shown in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TimeZoneArg {
    Utc,
    Local,
}
