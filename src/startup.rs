//! Start-up: parse the command line, load configuration, connect the backends, run the
//! TUI with the terminal guarded. `anyhow` is used only here; once the TUI runs, errors
//! are state.

use std::io::Write;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context as _;
use clap::Parser;
use unstuck_aws::api::Backends;

use crate::cli::{AwsArgs, Cli, CliCommand, ExecutionAction, PresetArg};
use crate::config::{self, ConfigDirs, Overrides, PresetKind, ResolvedConfig, Settings};
use crate::runtime::{
    AppRuntime, Reconnector, TerminalGuard, TerminalScreen, install_panic_hook, spawn_input_task,
};
use crate::state::{AppState, Reconnect, StartOptions};

/// Default log groups tailed in the demo: every function of the simulated app.
pub const DEMO_LOG_GROUP_PREFIX: &str = "/aws/lambda/";

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            // AWS error text and resource names are untrusted: never raw on stderr.
            let text = format!("{error:#}");
            let text = unstuck_aws::untrusted_text::sanitize_line(&text);
            let _ = writeln!(std::io::stderr(), "unstuck: {text}");
            crate::exit::code_of(&error)
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<()> {
    match &cli.command {
        Some(CliCommand::Completions { shell }) => {
            let mut command = <Cli as clap::CommandFactory>::command();
            let mut text = Vec::new();
            clap_complete::generate(*shell, &mut command, "unstuck", &mut text);
            return print_bytes(&text);
        }
        Some(CliCommand::Graph(args)) => return crate::graph_command::run_graph(args),
        Some(CliCommand::Man) => {
            let command = <Cli as clap::CommandFactory>::command();
            let mut text = Vec::new();
            clap_mangen::Man::new(command)
                .render(&mut text)
                .context("writing the manual page")?;
            return print_bytes(&text);
        }
        _ => {}
    }
    if let Some(CliCommand::Defaults { kind, name }) = &cli.command {
        let kind = match kind {
            PresetArg::Keymap => PresetKind::Keymap,
            PresetArg::Theme => PresetKind::Theme,
        };
        let text = config::preset_source(kind, name.as_deref())?;
        print!("{text}");
        return Ok(());
    }
    let dirs = ConfigDirs::from_process_env();
    let no_color = config::no_color_requested(|key| std::env::var(key).ok());
    let overrides = Overrides {
        keymap: cli.keymap.clone(),
        theme: cli.theme.clone(),
        read_only: cli.read_only,
    };
    if let Some(CliCommand::Config { .. }) = &cli.command {
        return config_check(&dirs, &overrides, no_color);
    }
    // A broken file does not stop the app: the embedded defaults stand in for it and every
    // error is shown at once (headless commands refuse to run on a broken config).
    let (resolved, config_errors) = config::load_tolerant(&dirs, &overrides, no_color);
    let aws = match &cli.command {
        Some(CliCommand::Tail(args)) => args.aws.or(&cli.aws),
        Some(CliCommand::Executions(args)) => args.aws.or(&cli.aws),
        Some(CliCommand::Snapshot(args)) => args.aws.or(&cli.aws),
        Some(CliCommand::Queues(args)) => args.aws.or(&cli.aws),
        Some(CliCommand::Functions(args) | CliCommand::Rum(args)) => args.aws.or(&cli.aws),
        Some(
            CliCommand::Alarms(args) | CliCommand::Canaries(args) | CliCommand::Overview(args),
        ) => args.aws.or(&cli.aws),
        Some(CliCommand::Dlq { action }) => action.aws().or(&cli.aws),
        Some(CliCommand::Execution {
            action: ExecutionAction::Show(args),
        }) => args.aws.or(&cli.aws),
        Some(CliCommand::Execution { action }) => crate::executions_command::mutation_args(action)
            .map_or_else(|| cli.aws.clone(), |args| args.aws.or(&cli.aws)),
        _ => cli.aws.clone(),
    };
    let mut choices = Choices::from(&aws, cli.buffer_lines, &resolved.settings);
    choices.validate()?;
    // A snapshot only looks: it never builds a mutation backend.
    choices.read_only |= matches!(&cli.command, Some(CliCommand::Snapshot(_)));
    if matches!(
        &cli.command,
        Some(
            CliCommand::Tail(_)
                | CliCommand::Executions(_)
                | CliCommand::Execution { .. }
                | CliCommand::Snapshot(_)
                | CliCommand::Queues(_)
                | CliCommand::Dlq { .. }
                | CliCommand::Functions(_)
                | CliCommand::Alarms(_)
                | CliCommand::Canaries(_)
                | CliCommand::Rum(_)
                | CliCommand::Overview(_)
        )
    ) {
        if let Some(error) = config_errors.first() {
            anyhow::bail!("{error} (run `unstuck config check` to list every error)");
        }
        // A panic in any task ends the command with a non-zero exit (not a hung or exit-0
        // run); stdout is the output here, so no terminal restore is written to it.
        install_panic_hook(false);
        // Headless output is stdout; diagnostics go to the log file only when asked for.
        if std::env::var_os("UNSTUCK_LOG").is_some() {
            init_tracing();
        }
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .context("starting the async runtime")?;
        return runtime.block_on(async {
            let backends = connect(&aws, &choices).await?;
            match &cli.command {
                Some(CliCommand::Tail(args)) => {
                    crate::tail_command::run(backends, (**args).clone(), &choices).await
                }
                Some(CliCommand::Executions(args)) => {
                    crate::executions_command::run_executions(backends, args).await
                }
                Some(CliCommand::Execution {
                    action: ExecutionAction::Show(args),
                }) => crate::executions_command::run_execution_show(backends, args).await,
                Some(CliCommand::Execution { action }) => {
                    crate::executions_command::run_mutation(backends, action).await
                }
                Some(CliCommand::Queues(args)) => {
                    crate::queues_command::run_queues(backends, args).await
                }
                Some(CliCommand::Dlq { action }) => {
                    crate::queues_command::run_dlq(backends, action).await
                }
                Some(CliCommand::Functions(args)) => {
                    crate::signals_command::run_functions(backends, args).await
                }
                Some(CliCommand::Alarms(args)) => {
                    crate::signals_command::run_alarms(backends, args).await
                }
                Some(CliCommand::Canaries(args)) => {
                    crate::signals_command::run_canaries(backends, args).await
                }
                Some(CliCommand::Rum(args)) => {
                    crate::signals_command::run_rum(backends, args).await
                }
                Some(CliCommand::Overview(args)) => {
                    crate::signals_command::run_overview(backends, args).await
                }
                Some(CliCommand::Snapshot(args)) => {
                    let options = StartOptions {
                        log_group_prefixes: start_prefixes(
                            &cli,
                            aws.demo,
                            &resolved.settings.log_groups,
                        ),
                        ..StartOptions::default()
                    };
                    crate::snapshot_command::run_snapshot(backends, args, resolved, options).await
                }
                _ => Ok(()),
            }
        });
    }
    init_tracing();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    let config_errors = config_errors.iter().map(ToString::to_string).collect();
    runtime.block_on(run_tui(
        cli,
        aws,
        choices,
        resolved,
        config_errors,
        dirs,
        no_color,
    ))
}

/// Write to stdout; a reader that went away (`| head`) is not an error.
pub fn print_bytes(bytes: &[u8]) -> anyhow::Result<()> {
    match std::io::stdout().write_all(bytes) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(()),
    }
}

/// `unstuck config check`: every configuration error, one per line; exit 1 if any.
fn config_check(dirs: &ConfigDirs, overrides: &Overrides, no_color: bool) -> anyhow::Result<()> {
    let (resolved, errors) = config::load_tolerant(dirs, overrides, no_color);
    if errors.is_empty() {
        for note in &resolved.source_notes {
            println!("{note}");
        }
        println!("configuration OK");
        return Ok(());
    }
    for error in &errors {
        println!("{error}");
    }
    anyhow::bail!(
        "{} in the configuration",
        crate::state::shared::thousands::count(errors.len(), "error")
    )
}

/// `tracing` goes to a file in the state directory, never to the screen.
fn init_tracing() {
    let dir = std::env::var_os("UNSTUCK_STATE_DIR")
        .map(std::path::PathBuf::from)
        .or_else(|| {
            directories::ProjectDirs::from("", "", "unstuck")
                .map(|d| d.state_dir().unwrap_or(d.data_local_dir()).to_path_buf())
        });
    let Some(dir) = dir else { return };
    if std::fs::create_dir_all(&dir).is_err() {
        return;
    }
    let Ok(file) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(dir.join("unstuck.log"))
    else {
        return;
    };
    let filter = tracing_subscriber::EnvFilter::try_from_env("UNSTUCK_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(false)
        .with_writer(std::sync::Mutex::new(file))
        .try_init();
}

/// What the command line and config.toml settle between them (flags win).
#[derive(Debug, Clone, PartialEq)]
pub struct Choices {
    pub profile: Option<String>,
    pub region: Option<String>,
    pub calls_per_second: f64,
    pub live_tail: bool,
    pub buffer_lines: Option<usize>,
    /// The tail's windows and back-off (config.toml; defaults otherwise).
    pub tail: crate::tail::TailOptions,
    /// `--read-only` or `read_only = true`: the backends are built without mutations.
    pub read_only: bool,
}

impl Choices {
    pub fn from(aws: &AwsArgs, buffer_lines: Option<usize>, settings: &Settings) -> Self {
        Self {
            profile: aws.profile.clone().or_else(|| settings.profile.clone()),
            region: aws.region.clone().or_else(|| settings.region.clone()),
            calls_per_second: aws
                .calls_per_second
                .or(settings.calls_per_second)
                .unwrap_or(crate::tail::DEFAULT_CALLS_PER_SECOND),
            live_tail: aws.live_tail || settings.live_tail,
            buffer_lines: buffer_lines.or(settings.buffer_lines),
            tail: tail_options(settings),
            read_only: settings.read_only,
        }
    }

    /// Refuse what cannot work; warn above the account quota.
    pub fn validate(&self) -> anyhow::Result<()> {
        let cps = self.calls_per_second;
        if !cps.is_finite() || !(MIN_CALLS_PER_SECOND..=MAX_CALLS_PER_SECOND).contains(&cps) {
            anyhow::bail!(
                "--calls-per-second {cps} cannot work: give {MIN_CALLS_PER_SECOND} to \
                 {MAX_CALLS_PER_SECOND} (AWS allows 5 FilterLogEvents calls/s per account)"
            );
        }
        if cps > LOGS_QUOTA_PER_SECOND {
            eprintln!(
                "unstuck: warning: --calls-per-second {cps} is above the account's quota of \
                 {LOGS_QUOTA_PER_SECOND} FilterLogEvents calls/s: expect throttling"
            );
        }
        if self.buffer_lines == Some(0) {
            anyhow::bail!("--buffer-lines 0 would hold no line: give at least 1");
        }
        Ok(())
    }
}

/// The tail's settings from config.toml over the defaults.
fn tail_options(settings: &Settings) -> crate::tail::TailOptions {
    let mut options = crate::tail::TailOptions::default();
    if let Some(late) = settings.late_window_ms {
        options.look_back.late_ms = late;
    }
    if let Some(every) = settings.deep_sweep_every_ms {
        options.look_back.deep_every_ms = every;
    }
    if let Some(quiet) = settings.quiet_poll_ms {
        options.quiet_interval = std::time::Duration::from_millis(quiet.unsigned_abs());
    }
    options
}

/// The smallest and largest `--calls-per-second` accepted.
pub const MIN_CALLS_PER_SECOND: f64 = 0.05;
pub const MAX_CALLS_PER_SECOND: f64 = 100.0;
const LOGS_QUOTA_PER_SECOND: f64 = 5.0;

/// The backends for the command line's choices; without any mutation when read-only.
async fn connect(aws: &AwsArgs, choices: &Choices) -> anyhow::Result<Backends> {
    let backends = if aws.demo {
        unstuck_aws::sim::demo_backends(aws.seed)
    } else {
        let options = unstuck_aws::real::ConnectOptions {
            profile: choices.profile.clone(),
            region: choices.region.clone(),
            endpoint_url: aws.endpoint_url.clone(),
        };
        unstuck_aws::real::connect(&options)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?
    };
    Ok(if choices.read_only {
        backends.read_only()
    } else {
        backends
    })
}

/// The log-group prefixes to select at start: the command line, else config.toml, else
/// (demo only) every Lambda function.
pub fn start_prefixes(cli: &Cli, demo: bool, settings_prefixes: &[String]) -> Vec<String> {
    if !cli.log_groups.is_empty() {
        cli.log_groups.clone()
    } else if !settings_prefixes.is_empty() {
        settings_prefixes.to_vec()
    } else if demo {
        vec![DEMO_LOG_GROUP_PREFIX.to_string()]
    } else {
        Vec::new()
    }
}

async fn run_tui(
    cli: Cli,
    aws: AwsArgs,
    choices: Choices,
    resolved: ResolvedConfig,
    config_errors: Vec<String>,
    dirs: ConfigDirs,
    no_color: bool,
) -> anyhow::Result<()> {
    use std::io::IsTerminal;
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        anyhow::bail!(
            "the TUI needs a terminal; for scripts and pipes use `unstuck tail GROUP...` \
             (see `unstuck --help`)"
        );
    }
    let backends = connect(&aws, &choices).await?;
    // The machine's zone now (a fixed offset for the session).
    let local_offset_s = chrono::Local::now().offset().local_minus_utc();
    let local_times = cli.tz == Some(crate::cli::TimeZoneArg::Local);
    let zone = if local_times {
        unstuck_views::zone::Zone::local(local_offset_s)
    } else {
        unstuck_views::zone::Zone::UTC
    };
    let since_back_ms = cli
        .since
        .as_deref()
        .map(|text| crate::state::logs::parse_since_in(text, backends.clock.now_ms(), zone))
        .transpose()
        .map_err(|e| anyhow::anyhow!("--since: {e}"))?;
    let options = StartOptions {
        since_back_ms,
        local_offset_s,
        local_times,
        read_only: choices.read_only,
        logs_calls_per_second: Some(choices.calls_per_second),
        log_group_prefixes: start_prefixes(&cli, aws.demo, &resolved.settings.log_groups),
        buffer_lines: choices.buffer_lines,
        theme_names: config::theme_names(&dirs),
        profile_names: config::aws_files::profile_names(|key| std::env::var(key).ok()),
        config_errors,
        // Named groups (`-g`) open on their tail; else the overview says what is on fire.
        start_pane: Some(if cli.log_groups.is_empty() {
            crate::state::PaneId::Overview
        } else {
            crate::state::PaneId::Logs
        }),
        insights: crate::state::InsightsSettings {
            saved: crate::state::insights::saved_queries(&resolved.settings.insights_queries),
            price_per_gb: resolved
                .settings
                .insights_price_per_gb
                .unwrap_or(crate::state::insights::DEFAULT_PRICE_PER_GB),
        },
    };
    let resolved_osc52 = resolved.settings.clipboard_osc52;
    let theme = config::fit_colour_depth(resolved.theme, |key| std::env::var(key).ok());
    let state = AppState::new(
        Arc::new(resolved.keymap),
        theme,
        backends.label.clone(),
        options,
    );

    install_panic_hook(true);
    let guard = TerminalGuard::enter().context("entering the terminal's full-screen mode")?;
    let screen = TerminalScreen::new().context("opening the terminal")?;
    let budget = Arc::new(crate::tail::RequestBudget::new(choices.calls_per_second));
    let clock = backends.clock.clone();
    let endpoint_url = aws.endpoint_url.clone();
    let read_only = choices.read_only;
    let reconnector: Reconnector = Arc::new(move |what, label| {
        let endpoint_url = endpoint_url.clone();
        Box::pin(async move {
            let (profile, region) = match what {
                Reconnect::Profile(p) => (Some(p), None),
                Reconnect::Region(r) => (
                    (label.profile != "default").then_some(label.profile),
                    Some(r),
                ),
            };
            let options = unstuck_aws::real::ConnectOptions {
                profile,
                region,
                endpoint_url,
            };
            unstuck_aws::real::connect(&options)
                .await
                .map(|b| if read_only { b.read_only() } else { b })
                .map_err(|e| e.to_string())
        })
    });
    let mut app = AppRuntime::new(state, screen, backends, dirs, no_color)
        .with_budget(budget)
        .with_live_tail(choices.live_tail)
        .with_tail_options(choices.tail)
        .with_clipboard(if resolved_osc52 {
            crate::runtime::Clipboard::Osc52
        } else {
            crate::runtime::Clipboard::default()
        });
    if !aws.demo {
        app = app.with_reconnector(reconnector);
    }
    let input_cancel = tokio_util::sync::CancellationToken::new();
    let input = spawn_input_task(app.sender(), clock, input_cancel.clone());
    let result = app.run().await;
    input_cancel.cancel();
    input.abort();
    drop(guard);
    result.map(|_| ()).context("drawing the terminal")
}
