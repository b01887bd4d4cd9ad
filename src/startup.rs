//! Start-up: parse the command line, load configuration, connect the backends, run the
//! TUI with the terminal guarded. `anyhow` is used only here; once the TUI runs, errors
//! are state.

use std::io::Write;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context as _;
use clap::Parser;
use unstuck_aws::api::Backends;

use crate::cli::{Cli, CliCommand, PresetArg};
use crate::config::{self, ConfigDirs, Overrides, PresetKind, ResolvedConfig};
use crate::runtime::{
    AppRuntime, TerminalGuard, TerminalScreen, install_panic_hook, spawn_input_task,
};
use crate::state::{AppState, StartOptions};

/// Default log groups tailed in the demo: every function of the simulated app.
pub const DEMO_LOG_GROUP_PREFIX: &str = "/aws/lambda/";

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            let _ = writeln!(std::io::stderr(), "unstuck: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<()> {
    if let Some(CliCommand::Defaults { kind, name }) = &cli.command {
        let kind = match kind {
            PresetArg::Keymap => PresetKind::Keymap,
            PresetArg::Theme => PresetKind::Theme,
        };
        let text = config::preset_source(kind, name.as_deref())?;
        print!("{text}");
        return Ok(());
    }
    if let Some(CliCommand::Tail(args)) = &cli.command {
        let args = args.clone();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .context("starting the async runtime")?;
        return runtime.block_on(async {
            let backends = connect(&cli).await?;
            crate::tail_command::run(backends, args, cli.calls_per_second, cli.live_tail).await
        });
    }
    let dirs = ConfigDirs::from_process_env();
    let no_color = config::no_color_requested(|key| std::env::var(key).ok());
    let overrides = Overrides {
        keymap: cli.keymap.clone(),
        theme: cli.theme.clone(),
        read_only: cli.read_only,
    };
    let resolved = config::load(&dirs, &overrides, no_color)?;
    init_tracing();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    runtime.block_on(run_tui(cli, resolved, dirs, no_color))
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

async fn connect(cli: &Cli) -> anyhow::Result<Backends> {
    if cli.demo {
        return Ok(unstuck_aws::sim::demo_backends(cli.seed));
    }
    let options = unstuck_aws::real::ConnectOptions {
        profile: cli.profile.clone(),
        region: cli.region.clone(),
        endpoint_url: cli.endpoint_url.clone(),
    };
    unstuck_aws::real::connect(&options)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))
}

/// The log-group prefixes to select at start: the command line, else config.toml, else
/// (demo only) every Lambda function.
pub fn start_prefixes(cli: &Cli, settings_prefixes: &[String]) -> Vec<String> {
    if !cli.log_groups.is_empty() {
        cli.log_groups.clone()
    } else if !settings_prefixes.is_empty() {
        settings_prefixes.to_vec()
    } else if cli.demo {
        vec![DEMO_LOG_GROUP_PREFIX.to_string()]
    } else {
        Vec::new()
    }
}

async fn run_tui(
    cli: Cli,
    resolved: ResolvedConfig,
    dirs: ConfigDirs,
    no_color: bool,
) -> anyhow::Result<()> {
    let backends = connect(&cli).await?;
    let options = StartOptions {
        read_only: resolved.settings.read_only || cli.read_only,
        log_group_prefixes: start_prefixes(&cli, &resolved.settings.log_groups),
        buffer_lines: cli.buffer_lines,
        theme_names: config::theme_names(&dirs),
    };
    let state = AppState::new(
        Arc::new(resolved.keymap),
        resolved.theme,
        backends.label.clone(),
        options,
    );

    install_panic_hook();
    let guard = TerminalGuard::enter().context("entering the terminal's full-screen mode")?;
    let screen = TerminalScreen::new().context("opening the terminal")?;
    let budget = Arc::new(crate::tail::RequestBudget::new(cli.calls_per_second));
    let app = AppRuntime::new(state, screen, backends, dirs, no_color)
        .with_budget(budget)
        .with_live_tail(cli.live_tail);
    let input_cancel = tokio_util::sync::CancellationToken::new();
    let input = spawn_input_task(app.sender(), input_cancel.clone());
    let result = app.run().await;
    input_cancel.cancel();
    input.abort();
    drop(guard);
    result.map(|_| ()).context("drawing the terminal")
}
